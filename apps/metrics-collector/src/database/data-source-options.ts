import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@optimove/database';
import type { MetricsCollectorConfig } from '../config/metrics-collector.config';
import { MessagingTables1764194400000 } from './migrations/1764194400000-messaging-tables';
import { MetricsTables1764480000000 } from './migrations/1764480000000-metrics-tables';
import { DispatchFailures1764800000000 } from './migrations/1764800000000-dispatch-failures';

/** The app's own schema. Wire name (views and other apps' docs refer to it): do not rename. */
export const SCHEMA = 'metrics';

/** Every entity and migration of the app, listed explicitly (no globs). */
export function dataSourceOptions(config: MetricsCollectorConfig): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'metrics-collector',
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [],
    migrations: [MessagingTables1764194400000, MetricsTables1764480000000, DispatchFailures1764800000000],
  });
}
