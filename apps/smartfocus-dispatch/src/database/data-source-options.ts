import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@optimove/database';
import type { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import { MessagingTables1764194400000 } from './migrations/1764194400000-messaging-tables';
import { DispatchTables1764300000000 } from './migrations/1764300000000-dispatch-tables';
import { CriteriaValuesCap1764900000000 } from './migrations/1764900000000-criteria-values-cap';
import { TemplateMessages1764900100000 } from './migrations/1764900100000-template-messages';

/** The app's own schema. Wire name (views and other apps' docs refer to it): do not rename. */
export const SCHEMA = 'dispatch';

/** Every entity and migration of the app, listed explicitly (no globs). */
export function dataSourceOptions(config: SmartFocusDispatchConfig): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'smartfocus-dispatch',
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [],
    migrations: [MessagingTables1764194400000, DispatchTables1764300000000, CriteriaValuesCap1764900000000, TemplateMessages1764900100000],
  });
}
