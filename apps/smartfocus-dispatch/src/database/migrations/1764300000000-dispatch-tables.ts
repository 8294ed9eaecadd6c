import type { MigrationInterface, QueryRunner } from 'typeorm';

// The chunks of every received group and one row per group with its dispatch state. Table names
// are documented in the README (operators query them): do not rename.
export class DispatchTables1764300000000 implements MigrationInterface {
  name = 'DispatchTables1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE dispatch.list_chunk (
        execution_id uuid NOT NULL,
        group_id uuid NOT NULL,
        chunk_index integer NOT NULL,
        customer_ids text[] NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (execution_id, group_id, chunk_index)
      )`,
      `CREATE TABLE dispatch.dispatch (
        dispatch_id uuid PRIMARY KEY,
        execution_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        campaign_name text NOT NULL,
        run_date date NOT NULL,
        group_id uuid NOT NULL,
        group_kind text NOT NULL CONSTRAINT dispatch_group_kind_ck CHECK (group_kind IN ('variant', 'control')),
        group_name text NOT NULL,
        template_message_id bigint,
        scheduled_at timestamptz NOT NULL,
        chunk_count integer NOT NULL,
        group_size integer NOT NULL,
        state text NOT NULL CONSTRAINT dispatch_state_ck CHECK (state IN ('receiving', 'dispatching', 'scheduled', 'failed', 'control')),
        progress text NOT NULL CONSTRAINT dispatch_progress_ck
          CHECK (progress IN ('receiving', 'assembled', 'message-cloned', 'segment-created', 'criteria-added', 'segment-counted', 'campaign-created', 'posted')),
        send_at timestamptz,
        late boolean NOT NULL DEFAULT false,
        smartfocus_message_id bigint,
        smartfocus_segment_id bigint,
        segment_create_started boolean NOT NULL DEFAULT false,
        smartfocus_campaign_id bigint,
        criteria_done integer NOT NULL DEFAULT 0,
        criteria_total integer,
        recipients integer,
        matched_recipients integer,
        stale_member_list boolean NOT NULL DEFAULT false,
        attempts integer NOT NULL DEFAULT 0,
        last_error jsonb,
        failed_step text,
        next_attempt_at timestamptz,
        claimed_by text,
        claimed_until timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT dispatch_group_uq UNIQUE (execution_id, group_id)
      )`,
      `CREATE INDEX dispatch_due_idx ON dispatch.dispatch (next_attempt_at) WHERE state = 'dispatching'`,
      `CREATE INDEX dispatch_state_idx ON dispatch.dispatch (state, execution_id)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE dispatch.dispatch');
    await queryRunner.query('DROP TABLE dispatch.list_chunk');
  }
}
