import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 8: when an import was applied, written in its own transaction, so "unchanged" compares a
// file with the latest applied one (A, B, then A again applies A again).
export class ImportAppliedAt1764464400000 implements MigrationInterface {
  name = 'ImportAppliedAt1764464400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE profiles.imports ADD COLUMN applied_at timestamptz`);
    await queryRunner.query(`UPDATE profiles.imports SET applied_at = finished_at WHERE status = 'applied'`);
    await queryRunner.query(`CREATE INDEX imports_dataset_applied_idx ON profiles.imports (dataset, applied_at DESC) WHERE status = 'applied'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX profiles.imports_dataset_applied_idx`);
    await queryRunner.query(`ALTER TABLE profiles.imports DROP COLUMN applied_at`);
  }
}
