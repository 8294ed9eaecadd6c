import { defineService } from '@optimove/app-runtime';
import { SmartFocusSimulatorConfig } from './config/smartfocus-simulator.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';
import { registerRouteRedaction } from './protocol/log-redaction';
import { SimulatorModule } from './simulator.module';

/** How to run this app: `serviceEntry(env?)` loads its config (the process environment by default). */
export const serviceEntry = defineService({
  service: 'smartfocus-simulator',
  schema: SCHEMA,
  description: 'A faithful stand-in for the SmartFocus REST/XML API, with persisted state, a controllable clock and switchable faults.',
  configClass: SmartFocusSimulatorConfig,
  dataSourceOptions,
  messaging: false,
  secrets: (config) => [config.SIMULATOR_PASSWORD, config.SIMULATOR_API_KEY],
  features: (config) => {
    // Before the first request is logged.
    registerRouteRedaction();
    return [SimulatorModule.register(config)];
  },
});
