import type { EntityManager } from 'typeorm';

type IndexDefinition = { constraint_name: string | null; constraint_def: string | null; index_name: string; index_def: string };

/**
 * Runs `load` with `table` (schema-qualified) stripped of its indexes and the keys they back, then
 * builds them again from their definitions as they were: one sorted build per index is much
 * cheaper than an index entry per loaded row. In the caller's transaction, which keeps the table
 * locked until it ends.
 */
export async function loadWithoutIndexes<T>(manager: EntityManager, table: string, load: () => Promise<T>): Promise<T> {
  const indexes = await manager.query<IndexDefinition[]>(
    `SELECT quote_ident(c.conname) AS constraint_name, pg_get_constraintdef(c.oid) AS constraint_def,
       i.indexrelid::regclass::text AS index_name, pg_get_indexdef(i.indexrelid) AS index_def
     FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
     WHERE i.indrelid = $1::regclass ORDER BY i.indexrelid`,
    [table],
  );
  for (const index of indexes) {
    await manager.query(index.constraint_name ? `ALTER TABLE ${table} DROP CONSTRAINT ${index.constraint_name}` : `DROP INDEX ${index.index_name}`);
  }
  const result = await load();
  for (const index of indexes) {
    await manager.query(index.constraint_name ? `ALTER TABLE ${table} ADD CONSTRAINT ${index.constraint_name} ${String(index.constraint_def)}` : index.index_def);
  }
  return result;
}
