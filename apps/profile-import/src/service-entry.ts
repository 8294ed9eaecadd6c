import type { ServiceEntry } from '@optimove/app-runtime';
import { loadConfig } from '@optimove/config';
import { AppModule } from './app.module';
import { ProfileImportConfig } from './config/profile-import.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

/** How to run this app; `env` defaults to the process environment (tests pass their own). */
export function serviceEntry(env?: Record<string, string | undefined>): ServiceEntry {
  const config = loadConfig(ProfileImportConfig, env);
  return {
    service: 'profile-import',
    schema: SCHEMA,
    description: 'Ingests the client\'s daily customer and transaction files into the profiles schema and announces each applied import.',
    config,
    dataSourceOptions: dataSourceOptions(config),
    rootModule: (logger) => AppModule.register(config, logger),
  };
}
