import { TRANSACTIONS_FIRST_LOAD, transactionsApply } from '../imports/pipeline/apply-sql';
import type { ApplyContext, ApplyCounts, DatasetApply } from './dataset-apply';
import { finishFirstLoad, startFirstLoad } from './first-load';

/**
 * Transactions are inserted once by transaction_id; one already loaded is never changed. The first
 * load into an empty table inserts without indexes and without WAL and builds both indexes after
 * (see startFirstLoad): 10M rows took 115 s to apply with the indexes in place.
 */
export class TransactionsInsert implements DatasetApply {
  async apply({ queryRunner, plan, staging, importId, now, logger }: ApplyContext): Promise<ApplyCounts> {
    const apply = transactionsApply(plan, staging, importId, now);
    if (await startFirstLoad(queryRunner, TRANSACTIONS_FIRST_LOAD, logger)) {
      const inserted = (await queryRunner.query(apply.firstLoad.sql, apply.firstLoad.parameters, true)).affected ?? 0;
      await finishFirstLoad(queryRunner, TRANSACTIONS_FIRST_LOAD);
      return { inserted, updated: 0 };
    }
    const inserted = (await queryRunner.query(apply.insert.sql, apply.insert.parameters, true)).affected ?? 0;
    return { inserted, updated: 0 };
  }
}
