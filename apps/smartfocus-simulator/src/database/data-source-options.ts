import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@optimove/database';
import type { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';

/** The app's own schema. Wire name (views and other apps' docs refer to it): do not rename. */
export const SCHEMA = 'simulator';

/** Every entity and migration of the app, listed explicitly (no globs). */
export function dataSourceOptions(config: SmartFocusSimulatorConfig): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'smartfocus-simulator',
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [],
    migrations: [],
  });
}
