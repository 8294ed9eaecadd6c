import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@optimove/database';
import type { ConsoleConfig } from '../config/console.config';
import { ConsoleTables1764468000000 } from './migrations/1764468000000-console-tables';
import { SessionEntity } from './session.entity';

/** The app's own schema: its sessions only. */
export const SCHEMA = 'console';

/** Every entity and migration of the app, listed explicitly (no globs). */
export function dataSourceOptions(config: ConsoleConfig): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'console',
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [SessionEntity],
    migrations: [ConsoleTables1764468000000],
  });
}
