export { serviceDataSourceOptions, type ServiceDataSourceSettings } from './data-source-options';
export { runMigrations } from './migrations';
export { withLocalSettings, type SqlRunner } from './local-settings';
export { quoteIdentifier } from './sql';
