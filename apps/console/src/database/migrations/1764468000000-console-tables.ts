import type { MigrationInterface, QueryRunner } from 'typeorm';

// The console keeps only its sessions: sign-out and expiry end a session on every replica.
export class ConsoleTables1764468000000 implements MigrationInterface {
  name = 'ConsoleTables1764468000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE console.session (
      token_hash text PRIMARY KEY,
      user_name text NOT NULL,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX idx_session_expires_at ON console.session (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE console.session`);
  }
}
