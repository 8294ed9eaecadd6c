import type { MigrationInterface, QueryRunner } from 'typeorm';

// Table and view names are read by the README, tests and (global_control_v) the analysis: do not rename.
export class SegmentationTables1764300000000 implements MigrationInterface {
  name = 'SegmentationTables1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // A uniform number in [0, 1) from a salt and a customer id: the assignment hash. The same
      // function in TypeScript is src/shared/unit-hash.ts (tests compare them).
      `CREATE FUNCTION segmentation.unit_hash(salt text, customer_id text) RETURNS double precision
         LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
         AS $$ SELECT ('x' || substr(md5(salt || ':' || customer_id), 1, 13))::bit(52)::bigint / 4503599627370496.0 $$`,

      // --- customer model -------------------------------------------------------------------
      `CREATE TABLE segmentation.model_state (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        model_date date,
        settings jsonb,
        built_at timestamptz,
        updated_at timestamptz,
        customers_seen_at timestamptz,
        global_control_salt uuid NOT NULL DEFAULT gen_random_uuid(),
        global_control_share numeric(5,4) NOT NULL DEFAULT 0
      )`,
      `INSERT INTO segmentation.model_state (id) VALUES (1)`,
      `CREATE TABLE segmentation.customer_model (
        customer_id text PRIMARY KEY,
        first_purchase_on date,
        last_purchase_on date,
        reactivated_on date,
        orders_30d integer NOT NULL,
        orders_90d integer NOT NULL,
        orders_365d integer NOT NULL,
        orders_rfm integer NOT NULL,
        orders_lifetime integer NOT NULL,
        spend_30d numeric(16,2) NOT NULL,
        spend_90d numeric(16,2) NOT NULL,
        spend_365d numeric(16,2) NOT NULL,
        spend_rfm numeric(16,2) NOT NULL,
        spend_lifetime numeric(16,2) NOT NULL,
        recency_score smallint,
        frequency_score smallint,
        monetary_score smallint,
        lifecycle_stage text NOT NULL,
        micro_segment text,
        next_change_on date
      )`,
      `CREATE INDEX customer_model_next_change_idx ON segmentation.customer_model (next_change_on)`,
      `CREATE TABLE segmentation.customer_state_history (
        customer_id text NOT NULL,
        lifecycle_stage text NOT NULL,
        micro_segment text,
        valid_from date NOT NULL,
        valid_to date,
        CONSTRAINT customer_state_history_pkey PRIMARY KEY (customer_id, valid_from)
      )`,
      `CREATE INDEX customer_state_history_valid_from_idx ON segmentation.customer_state_history (valid_from)`,
      `CREATE INDEX customer_state_history_valid_to_idx ON segmentation.customer_state_history (valid_to)`,
      `CREATE VIEW segmentation.global_control_v AS
        SELECT m.customer_id FROM segmentation.customer_model m, segmentation.model_state s
        WHERE segmentation.unit_hash(s.global_control_salt::text, m.customer_id) < s.global_control_share`,

      // --- target groups and campaigns ---------------------------------------------------------
      `CREATE TABLE segmentation.target_groups (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        rule jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT target_groups_name_uq UNIQUE (name)
      )`,
      `CREATE TABLE segmentation.campaigns (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        target_group_id uuid NOT NULL REFERENCES segmentation.target_groups (id),
        salt uuid NOT NULL,
        variants jsonb NOT NULL,
        send_time text NOT NULL,
        time_zone text NOT NULL,
        recurrence jsonb NOT NULL,
        control_share numeric(5,4) NOT NULL,
        priority integer NOT NULL,
        action_duration_days integer NOT NULL,
        ab_test_kpi text,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT campaigns_name_uq UNIQUE (name)
      )`,

      // --- nightly runs, executions, ledger ------------------------------------------------------
      `CREATE TABLE segmentation.profile_imports (
        import_id uuid PRIMARY KEY,
        dataset text NOT NULL,
        as_of_date date NOT NULL,
        suspicious boolean NOT NULL,
        rows_loaded integer NOT NULL,
        received_at timestamptz NOT NULL
      )`,
      `CREATE INDEX profile_imports_as_of_idx ON segmentation.profile_imports (as_of_date)`,
      `CREATE TABLE segmentation.runs (
        run_date date PRIMARY KEY,
        model_date date NOT NULL,
        status text NOT NULL,
        trigger text NOT NULL,
        held_reason text,
        released_at timestamptz,
        error text,
        model_update jsonb,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz
      )`,
      `CREATE TABLE segmentation.executions (
        id uuid PRIMARY KEY,
        run_date date NOT NULL,
        campaign_id uuid NOT NULL REFERENCES segmentation.campaigns (id),
        campaign_name text NOT NULL,
        priority integer NOT NULL,
        scheduled_at timestamptz NOT NULL,
        model_date date NOT NULL,
        targeted integer NOT NULL,
        excluded jsonb NOT NULL,
        timings jsonb NOT NULL,
        published_at timestamptz NOT NULL,
        CONSTRAINT executions_campaign_run_uq UNIQUE (campaign_id, run_date)
      )`,
      `CREATE INDEX executions_run_date_idx ON segmentation.executions (run_date)`,
      `CREATE TABLE segmentation.execution_groups (
        group_id uuid PRIMARY KEY,
        execution_id uuid NOT NULL REFERENCES segmentation.executions (id),
        kind text NOT NULL,
        name text NOT NULL,
        template_message_id text,
        planned_share double precision NOT NULL,
        group_size integer NOT NULL,
        chunk_count integer NOT NULL,
        dispatch_status text NOT NULL DEFAULT 'pending',
        dispatch jsonb,
        dispatch_updated_at timestamptz
      )`,
      `CREATE INDEX execution_groups_execution_idx ON segmentation.execution_groups (execution_id)`,
      // Append-only: every targeted customer's group or exclusion per execution.
      `CREATE TABLE segmentation.assignment_ledger (
        execution_id uuid NOT NULL,
        customer_id text NOT NULL,
        group_id uuid,
        exclusion_reason text,
        CONSTRAINT assignment_ledger_pkey PRIMARY KEY (execution_id, customer_id),
        CONSTRAINT assignment_ledger_one_outcome CHECK ((group_id IS NULL) <> (exclusion_reason IS NULL))
      )`,
      `CREATE RULE assignment_ledger_no_update AS ON UPDATE TO segmentation.assignment_ledger DO INSTEAD NOTHING`,
      `CREATE RULE assignment_ledger_no_delete AS ON DELETE TO segmentation.assignment_ledger DO INSTEAD NOTHING`,
      // Customers inside a campaign's action duration (derived from the ledger; expired rows are purged).
      `CREATE TABLE segmentation.customer_holds (
        customer_id text NOT NULL,
        execution_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        from_date date NOT NULL,
        until_date date NOT NULL
      )`,
      `CREATE INDEX customer_holds_customer_idx ON segmentation.customer_holds (customer_id)`,
      `CREATE INDEX customer_holds_until_idx ON segmentation.customer_holds (until_date)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [
      'DROP TABLE segmentation.customer_holds',
      'DROP TABLE segmentation.assignment_ledger',
      'DROP TABLE segmentation.execution_groups',
      'DROP TABLE segmentation.executions',
      'DROP TABLE segmentation.runs',
      'DROP TABLE segmentation.profile_imports',
      'DROP TABLE segmentation.campaigns',
      'DROP TABLE segmentation.target_groups',
      'DROP VIEW segmentation.global_control_v',
      'DROP TABLE segmentation.customer_state_history',
      'DROP TABLE segmentation.customer_model',
      'DROP TABLE segmentation.model_state',
      'DROP FUNCTION segmentation.unit_hash(text, text)',
    ]) {
      await queryRunner.query(statement);
    }
  }
}
