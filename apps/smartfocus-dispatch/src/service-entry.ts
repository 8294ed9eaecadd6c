import type { ServiceEntry } from '@optimove/app-runtime';
import { loadConfig } from '@optimove/config';
import { AppModule } from './app.module';
import { SmartFocusDispatchConfig } from './config/smartfocus-dispatch.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

/** How to run this app; `env` defaults to the process environment (tests pass their own). */
export function serviceEntry(env?: Record<string, string | undefined>): ServiceEntry {
  const config = loadConfig(SmartFocusDispatchConfig, env);
  return {
    service: 'smartfocus-dispatch',
    schema: SCHEMA,
    description: 'Hands each generated list to SmartFocus: clones the message, builds the segment, creates and posts the campaign.',
    config,
    dataSourceOptions: dataSourceOptions(config),
    rootModule: (logger) => AppModule.register(config, logger),
  };
}
