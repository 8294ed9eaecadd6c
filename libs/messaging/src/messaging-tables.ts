import { quoteIdentifier } from '@optimove/database';

/**
 * SQL of the `outbox` and `inbox` tables, version 1, for an app's first migration. Frozen: a
 * change to these tables ships as a new function used by a new migration, never as an edit here.
 * Table names are wire names of the messaging lib: do not rename.
 */
export function messagingTablesV1Up(schema: string): string[] {
  const s = quoteIdentifier(schema);
  return [
    `CREATE TABLE ${s}.outbox (
      seq bigserial PRIMARY KEY,
      event_id uuid NOT NULL,
      type text NOT NULL,
      envelope jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      CONSTRAINT outbox_event_id_uq UNIQUE (event_id)
    )`,
    `CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (seq) WHERE published_at IS NULL`,
    `CREATE INDEX outbox_published_at_idx ON ${s}.outbox (published_at) WHERE published_at IS NOT NULL`,
    `CREATE TABLE ${s}.inbox (
      event_id uuid PRIMARY KEY,
      type text NOT NULL,
      source text NOT NULL,
      handled_at timestamptz NOT NULL DEFAULT now()
    )`,
  ];
}

export function messagingTablesV1Down(schema: string): string[] {
  const s = quoteIdentifier(schema);
  return [`DROP TABLE ${s}.inbox`, `DROP TABLE ${s}.outbox`];
}
