export { serviceDataSourceOptions, type ServiceDataSourceSettings } from './data-source-options';
export { runMigrations, revertLastMigration } from './migrations';
export { quoteIdentifier } from './sql';
