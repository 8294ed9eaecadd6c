import type { QueryRunner } from 'typeorm';
import type { Logger } from '@optimove/observability';

/** A profiles table's keys and indexes, as the first load drops and builds them again. */
export type FirstLoadTable = {
  /** Qualified table name (a wire name: do not rename). */
  table: string;
  /** Statements dropping its keys and indexes. */
  drop: readonly string[];
  /** Statements building them again, exactly as the migrations create them. */
  build: readonly string[];
  /**
   * Whether the rows go in UNLOGGED, the table made LOGGED again afterwards (a rewrite of the whole
   * table into the WAL), or straight into the logged table (a WAL record per row, no rewrite).
   */
  unlogged: boolean;
};

/**
 * The first load into an empty profiles table, all of it in the import's transaction: the table is
 * locked (readers wait for the commit instead of seeing it empty), its keys and indexes are
 * dropped, so the rows go in without index maintenance row by row, and, for a table with
 * `unlogged`, it is made UNLOGGED, so they go in without WAL; `finishFirstLoad` then makes it LOGGED
 * again (one pass writing whole pages to the WAL, as `COPY` would) and builds each index in one
 * sort. A rollback restores all of it; a duplicate cannot reach the key build (duplicates are
 * removed from staging before).
 *
 * Returns false, changing nothing, when the table is not empty or its keys cannot be dropped (e.g.
 * another object depends on one): the caller inserts as usual.
 */
export async function startFirstLoad(queryRunner: QueryRunner, target: FirstLoadTable, logger: Logger): Promise<boolean> {
  const isEmpty = async (): Promise<boolean> => ((await queryRunner.query(`SELECT NOT EXISTS (SELECT 1 FROM ${target.table}) AS empty`)) as { empty: boolean }[])[0].empty;
  if (!(await isEmpty())) return false;
  await queryRunner.query(`LOCK TABLE ${target.table} IN ACCESS EXCLUSIVE MODE`);
  // Imports hold the dataset's advisory lock, so nothing else should have written in between.
  if (!(await isEmpty())) return false;
  await queryRunner.query('SAVEPOINT first_load');
  try {
    for (const statement of target.drop) await queryRunner.query(statement);
    if (target.unlogged) await queryRunner.query(`ALTER TABLE ${target.table} SET UNLOGGED`);
  } catch (error) {
    await queryRunner.query('ROLLBACK TO SAVEPOINT first_load');
    logger.warn({ table: target.table, errorCode: (error as { code?: unknown }).code }, 'keys not dropped for the first load; inserting with them in place');
    return false;
  }
  await queryRunner.query('RELEASE SAVEPOINT first_load');
  return true;
}

export async function finishFirstLoad(queryRunner: QueryRunner, target: FirstLoadTable): Promise<void> {
  if (target.unlogged) await queryRunner.query(`ALTER TABLE ${target.table} SET LOGGED`);
  // The sorts of the index builds: in memory of the database session for a few million keys.
  await queryRunner.query(`SET LOCAL maintenance_work_mem = '512MB'`);
  for (const statement of target.build) await queryRunner.query(statement);
}
