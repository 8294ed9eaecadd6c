import type { MigrationInterface, QueryRunner } from 'typeorm';

// Engagement computed once per campaign at its send, in PostgreSQL (a snapshot of a 1M-recipient
// campaign then reads a few hundred rows), and the engagement factor of template messages.
export class EngagementTables1764490000000 implements MigrationInterface {
  name = 'EngagementTables1764490000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE simulator.template_engagement (
      message_id bigint PRIMARY KEY REFERENCES simulator.message (message_id) ON DELETE CASCADE,
      factor double precision NOT NULL CHECK (factor >= 0 AND factor <= 20),
      updated_at timestamptz NOT NULL
    )`);
    // How many recipients had each event, by the minute after the send it happened in.
    await queryRunner.query(`CREATE TABLE simulator.campaign_engagement (
      campaign_id bigint NOT NULL REFERENCES simulator.campaign (campaign_id) ON DELETE CASCADE,
      event text NOT NULL,
      minute integer NOT NULL,
      members integer NOT NULL,
      PRIMARY KEY (campaign_id, event, minute)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE simulator.campaign_engagement');
    await queryRunner.query('DROP TABLE simulator.template_engagement');
  }
}
