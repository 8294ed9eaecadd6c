import type { MigrationInterface, QueryRunner } from 'typeorm';

// The profiles tables, the import reports and the attribute catalogue, plus the published views.
// Table and view names are wire names (other apps read the views): do not rename.
export class ProfilesTables1764201600000 implements MigrationInterface {
  name = 'ProfilesTables1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE profiles.attributes (
        name text PRIMARY KEY CONSTRAINT attributes_name_ck CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
        type text NOT NULL CONSTRAINT attributes_type_ck CHECK (type IN ('text', 'number', 'date', 'boolean')),
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE TABLE profiles.imports (
        id uuid PRIMARY KEY,
        dataset text NOT NULL CONSTRAINT imports_dataset_ck CHECK (dataset IN ('customers', 'transactions')),
        channel text NOT NULL CONSTRAINT imports_channel_ck CHECK (channel IN ('upload', 'inbox', 'cli')),
        file_name text NOT NULL,
        as_of_date date NOT NULL,
        status text NOT NULL CONSTRAINT imports_status_ck CHECK (status IN ('running', 'applied', 'unchanged', 'refused', 'failed')),
        message text,
        forced boolean NOT NULL DEFAULT false,
        checksum char(64),
        same_as_import_id uuid,
        compressed boolean,
        delimiter text,
        bytes bigint,
        rows_read bigint NOT NULL DEFAULT 0,
        rows_loaded bigint NOT NULL DEFAULT 0,
        rows_rejected bigint NOT NULL DEFAULT 0,
        rows_inserted bigint NOT NULL DEFAULT 0,
        rows_updated bigint NOT NULL DEFAULT 0,
        rows_unchanged bigint NOT NULL DEFAULT 0,
        dropped_columns text[] NOT NULL DEFAULT '{}',
        ignored_columns text[] NOT NULL DEFAULT '{}',
        suspicious boolean NOT NULL DEFAULT false,
        volume_check text,
        started_at timestamptz NOT NULL,
        parsed_at timestamptz,
        finished_at timestamptz
      )`,
      `CREATE INDEX imports_dataset_started_idx ON profiles.imports (dataset, started_at DESC)`,
      `CREATE INDEX imports_applied_checksum_idx ON profiles.imports (dataset, checksum) WHERE status = 'applied'`,
      `CREATE TABLE profiles.import_rejections (
        import_id uuid NOT NULL CONSTRAINT import_rejections_import_fk REFERENCES profiles.imports (id) ON DELETE CASCADE,
        line bigint NOT NULL,
        column_name text,
        reason text NOT NULL,
        value text,
        CONSTRAINT import_rejections_pk PRIMARY KEY (import_id, line)
      )`,
      `CREATE TABLE profiles.customers (
        customer_id text PRIMARY KEY,
        registered_at timestamptz,
        country char(2),
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        import_id uuid NOT NULL
      )`,
      `CREATE TABLE profiles.transactions (
        transaction_id text PRIMARY KEY,
        customer_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        amount numeric(14, 2) NOT NULL,
        currency char(3),
        created_at timestamptz NOT NULL,
        import_id uuid NOT NULL
      )`,
      `CREATE INDEX transactions_customer_occurred_idx ON profiles.transactions (customer_id, occurred_at)`,
      `CREATE VIEW profiles.customer_v AS
        SELECT customer_id, registered_at, country::text AS country, attributes, updated_at FROM profiles.customers`,
      `CREATE VIEW profiles.transaction_v AS
        SELECT transaction_id, customer_id, occurred_at, amount, currency::text AS currency FROM profiles.transactions`,
      `CREATE VIEW profiles.attribute_v AS SELECT name, type, description FROM profiles.attributes`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [
      'DROP VIEW profiles.attribute_v',
      'DROP VIEW profiles.transaction_v',
      'DROP VIEW profiles.customer_v',
      'DROP TABLE profiles.transactions',
      'DROP TABLE profiles.customers',
      'DROP TABLE profiles.import_rejections',
      'DROP TABLE profiles.imports',
      'DROP TABLE profiles.attributes',
    ]) {
      await queryRunner.query(statement);
    }
  }
}
