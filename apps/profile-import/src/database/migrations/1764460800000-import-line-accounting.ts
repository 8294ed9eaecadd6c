import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 8: every physical line of a file accounted for in its report (header, blank, loaded,
// rejected), and the status `interrupted` for imports a crash left `running`.
export class ImportLineAccounting1764460800000 implements MigrationInterface {
  name = 'ImportLineAccounting1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE profiles.imports
      ADD COLUMN lines_total bigint NOT NULL DEFAULT 0,
      ADD COLUMN lines_header bigint NOT NULL DEFAULT 0,
      ADD COLUMN lines_blank bigint NOT NULL DEFAULT 0,
      ADD COLUMN lines_loaded bigint NOT NULL DEFAULT 0,
      ADD COLUMN lines_rejected bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE profiles.imports DROP CONSTRAINT imports_status_ck`);
    await queryRunner.query(
      `ALTER TABLE profiles.imports ADD CONSTRAINT imports_status_ck CHECK (status IN ('running', 'applied', 'unchanged', 'refused', 'failed', 'interrupted'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE profiles.imports SET status = 'failed' WHERE status = 'interrupted'`);
    await queryRunner.query(`ALTER TABLE profiles.imports DROP CONSTRAINT imports_status_ck`);
    await queryRunner.query(`ALTER TABLE profiles.imports ADD CONSTRAINT imports_status_ck CHECK (status IN ('running', 'applied', 'unchanged', 'refused', 'failed'))`);
    await queryRunner.query(`ALTER TABLE profiles.imports
      DROP COLUMN lines_total, DROP COLUMN lines_header, DROP COLUMN lines_blank, DROP COLUMN lines_loaded, DROP COLUMN lines_rejected`);
  }
}
