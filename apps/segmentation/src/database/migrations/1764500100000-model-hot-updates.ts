import type { MigrationInterface, QueryRunner } from 'typeorm';

// The nightly update rewrites about a tenth of the model rows a day. Without an index on a column
// it changes (next_change_on: the update finds the day's customers in the same scan as the delta's)
// and with free space in every page, PostgreSQL updates them in place (HOT): no index entry per row.
// The fill factor takes effect as the model is next rebuilt.
export class ModelHotUpdates1764500100000 implements MigrationInterface {
  name = 'ModelHotUpdates1764500100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX segmentation.customer_model_next_change_idx');
    await queryRunner.query('ALTER TABLE segmentation.customer_model SET (fillfactor = 85)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE segmentation.customer_model RESET (fillfactor)');
    await queryRunner.query('CREATE INDEX customer_model_next_change_idx ON segmentation.customer_model (next_change_on)');
  }
}
