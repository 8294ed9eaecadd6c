import { defineService } from '@optimove/app-runtime';
import { MetricsCollectorConfig } from './config/metrics-collector.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';
import { MetricsCollectorModule } from './metrics-collector.module';

/** How to run this app: `serviceEntry(env?)` loads its config (the process environment by default). */
export const serviceEntry = defineService({
  service: 'metrics-collector',
  schema: SCHEMA,
  description: 'Collects SmartFocus campaign metrics for seven days after each send and analyses each campaign against its control group.',
  configClass: MetricsCollectorConfig,
  dataSourceOptions,
  features: (config) => [MetricsCollectorModule.register(config)],
  secrets: (config) => [config.SMARTFOCUS_PASSWORD, config.SMARTFOCUS_API_KEY],
});
