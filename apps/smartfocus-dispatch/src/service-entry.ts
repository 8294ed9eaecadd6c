import { defineService } from '@optimove/app-runtime';
import { SmartFocusDispatchConfig } from './config/smartfocus-dispatch.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';
import { DispatchModule } from './dispatch/dispatch.module';

/** How to run this app: `serviceEntry(env?)` loads its config (the process environment by default). */
export const serviceEntry = defineService({
  service: 'smartfocus-dispatch',
  schema: SCHEMA,
  description: 'Hands each generated list to SmartFocus: clones the message, builds the segment, creates and posts the campaign.',
  configClass: SmartFocusDispatchConfig,
  dataSourceOptions,
  features: (config) => [DispatchModule.register(config)],
  secrets: (config) => [config.SMARTFOCUS_PASSWORD, config.SMARTFOCUS_API_KEY],
});
