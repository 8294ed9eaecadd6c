import type { MigrationInterface, QueryRunner } from 'typeorm';

// valid_to is only searched by range (the distribution's "rows closed between two days"), never
// for null: an index of the closed rows alone serves those queries, and writing an open history
// row (a million on the first build, one per change every night) no longer adds an entry to it.
export class HistoryClosedRowsIndex1764600100000 implements MigrationInterface {
  name = 'HistoryClosedRowsIndex1764600100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX segmentation.customer_state_history_valid_to_idx');
    await queryRunner.query(
      'CREATE INDEX customer_state_history_valid_to_idx ON segmentation.customer_state_history (valid_to) WHERE valid_to IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX segmentation.customer_state_history_valid_to_idx');
    await queryRunner.query('CREATE INDEX customer_state_history_valid_to_idx ON segmentation.customer_state_history (valid_to)');
  }
}
