import type { ServiceEntry } from '@optimove/app-runtime';
import { loadConfig } from '@optimove/config';
import { AppModule } from './app.module';
import { SegmentationConfig } from './config/segmentation.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

/** How to run this app; `env` defaults to the process environment (tests pass their own). */
export function serviceEntry(env?: Record<string, string | undefined>): ServiceEntry {
  const config = loadConfig(SegmentationConfig, env);
  return {
    service: 'segmentation',
    schema: SCHEMA,
    description: 'Customer model, target groups, campaign plans and the nightly run that generates each campaign\'s lists.',
    config,
    dataSourceOptions: dataSourceOptions(config),
    rootModule: (logger) => AppModule.register(config, logger),
  };
}
