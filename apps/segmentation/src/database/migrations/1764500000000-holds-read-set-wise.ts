import type { MigrationInterface, QueryRunner } from 'typeorm';

// The nightly run reads the holds in one pass for all its campaigns (a hash join, never a lookup
// per customer): the index on customer_id only made each execution's insert of its holds slower.
export class HoldsReadSetWise1764500000000 implements MigrationInterface {
  name = 'HoldsReadSetWise1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX segmentation.customer_holds_customer_idx');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX customer_holds_customer_idx ON segmentation.customer_holds (customer_id)');
  }
}
