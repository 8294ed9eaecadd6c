import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@optimove/database';
import type { ProfileImportConfig } from '../config/profile-import.config';
import { AttributeEntity } from './entities/attribute.entity';
import { ImportRejectionEntity } from './entities/import-rejection.entity';
import { ImportEntity } from './entities/import.entity';
import { MessagingTables1764194400000 } from './migrations/1764194400000-messaging-tables';
import { ProfilesTables1764201600000 } from './migrations/1764201600000-profiles-tables';
import { ImportLineAccounting1764460800000 } from './migrations/1764460800000-import-line-accounting';
import { ImportAppliedAt1764464400000 } from './migrations/1764464400000-import-applied-at';
import { TransactionsOccurredIndex1764500000000 } from './migrations/1764500000000-transactions-occurred-index';

/** The app's own schema. Wire name (views and other apps' docs refer to it): do not rename. */
export const SCHEMA = 'profiles';

/** Every entity and migration of the app, listed explicitly (no globs). */
export function dataSourceOptions(config: ProfileImportConfig): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'profile-import',
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [ImportEntity, ImportRejectionEntity, AttributeEntity],
    migrations: [MessagingTables1764194400000, ProfilesTables1764201600000, ImportLineAccounting1764460800000, ImportAppliedAt1764464400000, TransactionsOccurredIndex1764500000000],
  });
}
