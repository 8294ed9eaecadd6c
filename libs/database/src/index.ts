export { serviceDataSourceOptions, type ServiceDataSourceSettings } from './data-source-options';
export { runMigrations } from './migrations';
export { quoteIdentifier } from './sql';
