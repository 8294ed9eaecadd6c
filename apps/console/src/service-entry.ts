import { defineService } from '@optimove/app-runtime';
import { parseUserList } from './auth/user-list';
import { ConsoleConfig } from './config/console.config';
import { ConsoleModule } from './console.module';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

/** How to run this app: `serviceEntry(env?)` loads its config (the process environment by default). */
export const serviceEntry = defineService({
  service: 'console',
  schema: SCHEMA,
  description: "The marketers' console: sign-in and sessions, and the services' APIs the browser app uses, behind the session and CSRF checks.",
  configClass: ConsoleConfig,
  dataSourceOptions,
  // It consumes and publishes no event: it reads and changes state only through the services' APIs.
  messaging: false,
  secrets: (config) => parseUserList(config.CONSOLE_USERS).map((user) => user.passwordHash),
  features: (config) => [ConsoleModule.register(config, parseUserList(config.CONSOLE_USERS))],
});
