import type { ServiceEntry } from '@optimove/app-runtime';
import { loadConfig } from '@optimove/config';
import { AppModule } from './app.module';
import { MetricsCollectorConfig } from './config/metrics-collector.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

/** How to run this app; `env` defaults to the process environment (tests pass their own). */
export function serviceEntry(env?: Record<string, string | undefined>): ServiceEntry {
  const config = loadConfig(MetricsCollectorConfig, env);
  return {
    service: 'metrics-collector',
    schema: SCHEMA,
    description: 'Collects SmartFocus campaign metrics for seven days after each send and analyses each campaign against its control group.',
    config,
    dataSourceOptions: dataSourceOptions(config),
    rootModule: (logger) => AppModule.register(config, logger),
  };
}
