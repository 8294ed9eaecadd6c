import type { ServiceEntry } from '@optimove/app-runtime';
import { loadConfig } from '@optimove/config';
import { AppModule } from './app.module';
import { SmartFocusSimulatorConfig } from './config/smartfocus-simulator.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

/** How to run this app; `env` defaults to the process environment (tests pass their own). */
export function serviceEntry(env?: Record<string, string | undefined>): ServiceEntry {
  const config = loadConfig(SmartFocusSimulatorConfig, env);
  return {
    service: 'smartfocus-simulator',
    schema: SCHEMA,
    description: 'A faithful stand-in for the SmartFocus REST/XML API, with persisted state, a controllable clock and switchable faults.',
    config,
    dataSourceOptions: dataSourceOptions(config),
    messaging: false,
    secrets: [config.SIMULATOR_PASSWORD, config.SIMULATOR_API_KEY],
    rootModule: (logger) => AppModule.register(config, logger),
  };
}
