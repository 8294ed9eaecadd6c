import { withLocalSettings } from '@optimove/database';
import { CUSTOMERS_FIRST_LOAD, PARALLEL_CONVERSION, customersApply } from '../imports/pipeline/apply-sql';
import type { ApplyContext, ApplyCounts, DatasetApply } from './dataset-apply';
import { finishFirstLoad, startFirstLoad } from './first-load';

/**
 * Customers are upserted by customer_id: changed rows rewritten, new ones inserted, unchanged ones
 * left as they are (see customersApply). The first load into an empty table inserts without the
 * primary key, without WAL, and builds the key once afterwards (see startFirstLoad).
 */
export class CustomersUpsert implements DatasetApply {
  async apply({ queryRunner, plan, staging, importId, now, logger }: ApplyContext): Promise<ApplyCounts> {
    const apply = customersApply(plan, staging, importId, now);
    if (await startFirstLoad(queryRunner, CUSTOMERS_FIRST_LOAD, logger)) {
      await withLocalSettings(queryRunner, PARALLEL_CONVERSION, () => queryRunner.query(apply.typed.sql, apply.typed.parameters));
      const inserted = (await queryRunner.query(apply.firstLoad.sql, apply.firstLoad.parameters, true)).affected ?? 0;
      await queryRunner.query(apply.dropTyped.sql);
      await finishFirstLoad(queryRunner, CUSTOMERS_FIRST_LOAD);
      return { inserted, updated: 0 };
    }
    await queryRunner.query(apply.changed.sql, apply.changed.parameters);
    const updated = (await queryRunner.query(apply.update.sql, apply.update.parameters, true)).affected ?? 0;
    const inserted = (await queryRunner.query(apply.insert.sql, apply.insert.parameters, true)).affected ?? 0;
    return { inserted, updated };
  }
}
