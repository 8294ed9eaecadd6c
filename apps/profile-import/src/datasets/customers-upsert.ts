import type { QueryRunner } from 'typeorm';
import type { Logger } from '@optimove/observability';
import { CUSTOMERS_FIRST_LOAD, PARALLEL_CONVERSION, customersApply } from '../imports/pipeline/apply-sql';
import type { ApplyContext, ApplyCounts, DatasetApply } from './dataset-apply';

/**
 * Customers are upserted by customer_id: changed rows rewritten, new ones inserted, unchanged ones
 * left as they are (see customersApply). The first load into an empty table inserts without the
 * primary key and builds it once afterwards (see CUSTOMERS_FIRST_LOAD).
 */
export class CustomersUpsert implements DatasetApply {
  async apply({ queryRunner, plan, staging, importId, now, logger }: ApplyContext): Promise<ApplyCounts> {
    const apply = customersApply(plan, staging, importId, now);
    if (await startFirstCustomersLoad(queryRunner, logger)) {
      for (const setting of PARALLEL_CONVERSION.on) await queryRunner.query(setting);
      await queryRunner.query(apply.typed.sql, apply.typed.parameters);
      for (const setting of PARALLEL_CONVERSION.off) await queryRunner.query(setting);
      const inserted = (await queryRunner.query(apply.firstLoad.sql, apply.firstLoad.parameters, true)).affected ?? 0;
      await queryRunner.query(apply.dropTyped.sql);
      await queryRunner.query(CUSTOMERS_FIRST_LOAD.sortMemory);
      await queryRunner.query(CUSTOMERS_FIRST_LOAD.addKey);
      return { inserted, updated: 0 };
    }
    await queryRunner.query(apply.changed.sql, apply.changed.parameters);
    const updated = (await queryRunner.query(apply.update.sql, apply.update.parameters, true)).affected ?? 0;
    const inserted = (await queryRunner.query(apply.insert.sql, apply.insert.parameters, true)).affected ?? 0;
    return { inserted, updated };
  }
}

/**
 * Into an empty customers table (the first load) every row is new: no change detection, no
 * anti-join, and the primary key is built once after the insert instead of row by row. When the
 * table is empty this locks it and drops the key (the caller inserts and adds the key back);
 * returns false, changing nothing, when the table is not empty or its key cannot be dropped (e.g.
 * another object depends on it): the caller upserts as usual.
 */
async function startFirstCustomersLoad(queryRunner: QueryRunner, logger: Logger): Promise<boolean> {
  const isEmpty = async (): Promise<boolean> => ((await queryRunner.query(CUSTOMERS_FIRST_LOAD.isEmpty)) as { empty: boolean }[])[0].empty;
  if (!(await isEmpty())) return false;
  await queryRunner.query(CUSTOMERS_FIRST_LOAD.lock);
  // Imports hold the dataset's advisory lock, so nothing else should have written in between.
  if (!(await isEmpty())) return false;
  await queryRunner.query('SAVEPOINT customers_first_load');
  try {
    await queryRunner.query(CUSTOMERS_FIRST_LOAD.dropKey);
  } catch (error) {
    await queryRunner.query('ROLLBACK TO SAVEPOINT customers_first_load');
    logger.warn({ errorCode: (error as { code?: unknown }).code }, 'customers primary key not dropped for the first load; inserting with the key in place');
    return false;
  }
  await queryRunner.query('RELEASE SAVEPOINT customers_first_load');
  return true;
}
