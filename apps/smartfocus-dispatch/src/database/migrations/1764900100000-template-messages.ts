import type { MigrationInterface, QueryRunner } from 'typeorm';

// The template messages the picker has found: it scans only the newest SmartFocus messages, and
// every dispatch adds a clone, so a template older than the scan is listed from here.
export class TemplateMessages1764900100000 implements MigrationInterface {
  name = 'TemplateMessages1764900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE dispatch.template_message (message_id bigint PRIMARY KEY, found_at timestamptz NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE dispatch.template_message');
  }
}
