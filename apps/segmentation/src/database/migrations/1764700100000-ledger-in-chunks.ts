import type { MigrationInterface, QueryRunner } from 'typeorm';

const LEDGER_RULES = [
  `CREATE RULE assignment_ledger_no_update AS ON UPDATE TO segmentation.assignment_ledger DO INSTEAD NOTHING`,
  `CREATE RULE assignment_ledger_no_delete AS ON DELETE TO segmentation.assignment_ledger DO INSTEAD NOTHING`,
];

// The assignment ledger keeps each execution's outcomes (a group, or an exclusion reason) as chunks
// of at most LIST_CHUNK_SIZE customer ids, sorted in byte order: a group's chunks are exactly the
// ids of its lists.generated.v1 chunks. A row per customer cost a WAL record and about 70 bytes
// each, 1.67M rows a night on 1M customers (2 to 3 s of the run); the chunks are a few hundred rows
// of compressed arrays. `segmentation.assignment_ledger_v` gives one row per execution and customer.
//
// The holds (customers inside a campaign's action duration) were a copy of the ledger's assigned
// rows, another million rows a night: they are read from the ledger now, by the executions whose
// `held_until` (run date + action duration) lies after the run date.
export class LedgerInChunks1764700100000 implements MigrationInterface {
  name = 'LedgerInChunks1764700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE segmentation.executions ADD COLUMN held_until date`,
      `UPDATE segmentation.executions e SET held_until = coalesce((SELECT max(h.until_date) FROM segmentation.customer_holds h WHERE h.execution_id = e.id), e.run_date)`,
      `ALTER TABLE segmentation.executions ALTER COLUMN held_until SET NOT NULL`,
      `ALTER TABLE segmentation.assignment_ledger RENAME TO assignment_ledger_rows`,
      `CREATE TABLE segmentation.assignment_ledger (
        execution_id uuid NOT NULL REFERENCES segmentation.executions (id),
        group_id uuid REFERENCES segmentation.execution_groups (group_id),
        exclusion_reason text,
        chunk_index integer NOT NULL,
        customer_ids text[] COMPRESSION lz4 NOT NULL,
        CONSTRAINT assignment_ledger_one_outcome CHECK ((group_id IS NULL) <> (exclusion_reason IS NULL)),
        CONSTRAINT assignment_ledger_chunk_uq UNIQUE NULLS NOT DISTINCT (execution_id, group_id, exclusion_reason, chunk_index)
      )`,
      `INSERT INTO segmentation.assignment_ledger (execution_id, group_id, exclusion_reason, chunk_index, customer_ids)
       SELECT execution_id, group_id, exclusion_reason, (n - 1) / 10000, array_agg(customer_id ORDER BY n)
       FROM (SELECT *, row_number() OVER (PARTITION BY execution_id, group_id, exclusion_reason ORDER BY customer_id COLLATE "C") AS n
             FROM segmentation.assignment_ledger_rows) r
       GROUP BY execution_id, group_id, exclusion_reason, (n - 1) / 10000`,
      `DROP TABLE segmentation.assignment_ledger_rows`,
      ...LEDGER_RULES,
      `CREATE VIEW segmentation.assignment_ledger_v AS
       SELECT l.execution_id, u.customer_id, l.group_id, l.exclusion_reason
       FROM segmentation.assignment_ledger l CROSS JOIN LATERAL unnest(l.customer_ids) AS u(customer_id)`,
      `DROP TABLE segmentation.customer_holds`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE segmentation.customer_holds (
        customer_id text NOT NULL,
        execution_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        from_date date NOT NULL,
        until_date date NOT NULL
      )`,
      `CREATE INDEX customer_holds_until_idx ON segmentation.customer_holds (until_date)`,
      `INSERT INTO segmentation.customer_holds (customer_id, execution_id, campaign_id, from_date, until_date)
       SELECT l.customer_id, e.id, e.campaign_id, e.run_date, e.held_until
       FROM segmentation.assignment_ledger_v l JOIN segmentation.executions e ON e.id = l.execution_id
       WHERE l.group_id IS NOT NULL AND e.held_until > e.run_date`,
      `CREATE TABLE segmentation.assignment_ledger_rows AS SELECT execution_id, customer_id, group_id, exclusion_reason FROM segmentation.assignment_ledger_v`,
      `DROP VIEW segmentation.assignment_ledger_v`,
      `DROP TABLE segmentation.assignment_ledger`,
      `ALTER TABLE segmentation.assignment_ledger_rows RENAME TO assignment_ledger`,
      `ALTER TABLE segmentation.assignment_ledger ALTER COLUMN execution_id SET NOT NULL, ALTER COLUMN customer_id SET NOT NULL,
         ADD CONSTRAINT assignment_ledger_one_outcome CHECK ((group_id IS NULL) <> (exclusion_reason IS NULL))`,
      `CREATE INDEX assignment_ledger_execution_idx ON segmentation.assignment_ledger USING brin (execution_id)`,
      ...LEDGER_RULES,
      `ALTER TABLE segmentation.executions DROP COLUMN held_until`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }
}
