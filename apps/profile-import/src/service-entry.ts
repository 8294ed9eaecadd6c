import { defineService } from '@optimove/app-runtime';
import { ProfileImportConfig } from './config/profile-import.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';
import { ProfileImportModule } from './profile-import.module';

/** How to run this app: `serviceEntry(env?)` loads its config (the process environment by default). */
export const serviceEntry = defineService({
  service: 'profile-import',
  schema: SCHEMA,
  description: "Ingests the client's daily customer and transaction files into the profiles schema and announces each applied import.",
  configClass: ProfileImportConfig,
  dataSourceOptions,
  features: (config) => [ProfileImportModule.register(config)],
});
