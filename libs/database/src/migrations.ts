import type { DataSource } from 'typeorm';
import { quoteIdentifier } from './sql';

/**
 * Applies pending migrations of one app. The schema is created first because TypeORM keeps its
 * migrations table inside it. Returns the names of the migrations applied.
 */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}
