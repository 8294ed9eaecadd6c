import { transactionsApply } from '../imports/pipeline/apply-sql';
import type { ApplyContext, ApplyCounts, DatasetApply } from './dataset-apply';

/** Transactions are inserted once by transaction_id; one already loaded is never changed. */
export class TransactionsInsert implements DatasetApply {
  async apply({ queryRunner, plan, staging, importId, now }: ApplyContext): Promise<ApplyCounts> {
    const apply = transactionsApply(plan, staging, importId, now);
    const inserted = (await queryRunner.query(apply.insert.sql, apply.insert.parameters, true)).affected ?? 0;
    return { inserted, updated: 0 };
  }
}
