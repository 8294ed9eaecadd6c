import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export type ServiceDataSourceSettings = {
  /** postgres:// URL of the one database all apps share. */
  url: string;
  /** The app's own schema; only this app's migrations create or change it. */
  schema: string;
  entities: MixedList<string | (new () => unknown) | EntitySchema>;
  migrations: MixedList<string | (new () => unknown)>;
  /** Name shown in pg_stat_activity. */
  applicationName: string;
  poolSize?: number;
};

/**
 * TypeORM options every app uses: its own schema, its migrations table inside that schema,
 * `synchronize` and `migrationsRun` always off (migrations run only through `db:migrate`).
 */
export function serviceDataSourceOptions(settings: ServiceDataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    schema: settings.schema,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: settings.applicationName,
    poolSize: settings.poolSize ?? 10,
    extra: { connectionTimeoutMillis: 5_000 },
  };
}
