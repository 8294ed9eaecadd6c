import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 9: segmentation's nightly update reads only the day's transactions and those leaving its
// 30/90/365-day windows, by occurred_at. The included columns let it read them from the index alone.
export class TransactionsOccurredIndex1764500000000 implements MigrationInterface {
  name = 'TransactionsOccurredIndex1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX transactions_occurred_idx ON profiles.transactions (occurred_at) INCLUDE (customer_id, amount)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX profiles.transactions_occurred_idx`);
  }
}
