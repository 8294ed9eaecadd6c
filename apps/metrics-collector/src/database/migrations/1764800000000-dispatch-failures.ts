import type { MigrationInterface, QueryRunner } from 'typeorm';

// A group smartfocus-dispatch could not hand to SmartFocus (campaign.dispatch-failed.v1), with the
// step and the reason: the analysis lists it as not sent. The first failure reported is kept. The
// table name is read by the analysis SQL; do not rename.
export class DispatchFailures1764800000000 implements MigrationInterface {
  name = 'DispatchFailures1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE metrics.dispatch_failure (
      execution_id uuid NOT NULL,
      group_id uuid NOT NULL,
      campaign_id uuid NOT NULL,
      step text NOT NULL,
      error_code text NOT NULL,
      error_message text NOT NULL,
      attempts integer NOT NULL,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (execution_id, group_id)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE metrics.dispatch_failure`);
  }
}
