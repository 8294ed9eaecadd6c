import type { MigrationInterface, QueryRunner } from 'typeorm';

// The metrics schema: who is in which group of each execution, the snapshot fetch schedule and
// the snapshots. Table names are read by the analysis SQL; do not rename.
export class MetricsTables1764480000000 implements MigrationInterface {
  name = 'MetricsTables1764480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE metrics.execution (
        execution_id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        campaign_name text NOT NULL,
        run_date date NOT NULL,
        scheduled_at timestamptz NOT NULL,
        action_duration_days integer,
        ab_test_kpi text,
        created_at timestamptz NOT NULL
      )`,
      `CREATE INDEX execution_campaign_idx ON metrics.execution (campaign_id)`,
      `CREATE TABLE metrics.execution_group (
        execution_id uuid NOT NULL REFERENCES metrics.execution (execution_id) ON DELETE CASCADE,
        group_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('variant', 'control')),
        name text NOT NULL,
        template_message_id text,
        planned_share double precision,
        group_size integer NOT NULL,
        chunk_count integer NOT NULL,
        PRIMARY KEY (execution_id, group_id)
      )`,
      // One row per received chunk: a redelivered or repeated chunk adds nothing.
      `CREATE TABLE metrics.group_chunk (
        execution_id uuid NOT NULL,
        group_id uuid NOT NULL,
        chunk_index integer NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (execution_id, group_id, chunk_index),
        FOREIGN KEY (execution_id, group_id) REFERENCES metrics.execution_group (execution_id, group_id) ON DELETE CASCADE
      )`,
      // A customer is in one group of an execution at most.
      `CREATE TABLE metrics.group_member (
        execution_id uuid NOT NULL,
        customer_id text NOT NULL,
        group_id uuid NOT NULL,
        PRIMARY KEY (execution_id, customer_id)
      )`,
      `CREATE TABLE metrics.scheduled_group (
        execution_id uuid NOT NULL,
        group_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        smartfocus_campaign_id text NOT NULL,
        smartfocus_message_id text NOT NULL,
        smartfocus_segment_id text NOT NULL,
        scheduled_at timestamptz NOT NULL,
        recipients integer NOT NULL,
        matched_recipients integer,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (execution_id, group_id)
      )`,
      // The collection schedule: one row per snapshot to fetch (day 0 = once the send has ended).
      `CREATE TABLE metrics.snapshot_fetch (
        fetch_id bigserial PRIMARY KEY,
        execution_id uuid NOT NULL,
        group_id uuid NOT NULL,
        smartfocus_campaign_id text NOT NULL,
        day integer NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        claimed_until timestamptz,
        last_error text,
        completed_at timestamptz,
        CONSTRAINT snapshot_fetch_group_day_uq UNIQUE (execution_id, group_id, day)
      )`,
      `CREATE INDEX snapshot_fetch_due_idx ON metrics.snapshot_fetch (next_attempt_at) WHERE status = 'pending'`,
      `CREATE TABLE metrics.snapshot (
        execution_id uuid NOT NULL,
        group_id uuid NOT NULL,
        day integer NOT NULL,
        smartfocus_campaign_id text NOT NULL,
        fetched_at timestamptz NOT NULL,
        selected integer NOT NULL,
        sent integer NOT NULL,
        delivered integer NOT NULL,
        bounces integer NOT NULL,
        unique_opens integer NOT NULL,
        unique_clicks integer NOT NULL,
        unsubscribes integer NOT NULL,
        complaints integer NOT NULL,
        PRIMARY KEY (execution_id, group_id, day)
      )`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['snapshot', 'snapshot_fetch', 'scheduled_group', 'group_member', 'group_chunk', 'execution_group', 'execution']) {
      await queryRunner.query(`DROP TABLE metrics.${table}`);
    }
  }
}
