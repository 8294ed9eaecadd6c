import type { AttributeType } from '../../datasets/dataset-definitions';
import type { HeaderPlan } from './header-plan';

// Set-based SQL from the staging table (columns `line`, then c0..cN-1 in file order, all text)
// into the profiles tables. Values were checked row by row before COPY, so every cast succeeds.
// Header names never reach the SQL text: staged columns are positional, attribute names are
// parameters.

export type ApplyStatement = { sql: string; parameters: unknown[] };

function columnOf(plan: HeaderPlan, target: string): string | undefined {
  const position = plan.fields.findIndex((field) => field.target === target && !field.isAttribute);
  return position >= 0 ? `s.c${position}` : undefined;
}

function attributeValue(column: string, type: AttributeType): string {
  switch (type) {
    case 'text':
      return `to_jsonb(NULLIF(${column}, ''))`;
    case 'number':
      return `to_jsonb(NULLIF(${column}, '')::numeric)`;
    case 'date':
      return `to_jsonb(NULLIF(${column}, '')::date)`;
    case 'boolean':
      return `to_jsonb(lower(NULLIF(${column}, '')) IN ('true', '1', 'yes', 't', 'y'))`;
  }
}

/** The staging table for a plan: the line number, then one text column per staged field. */
export function stagingColumns(plan: HeaderPlan): string[] {
  return ['line', ...plan.fields.map((_field, position) => `c${position}`)];
}

/**
 * Upserts customers by customer_id. A row is rewritten only when something changed (`IS DISTINCT
 * FROM`). The attributes in the file replace those keys (an empty cell removes one); attributes
 * the file does not mention are kept. Returns one row: inserted, updated.
 */
export function customersApply(plan: HeaderPlan, staging: string, importId: string, now: Date): ApplyStatement {
  const attributes = plan.fields.map((field, position) => ({ field, position })).filter(({ field }) => field.isAttribute);
  const parameters: unknown[] = [importId, now, attributes.map(({ field }) => field.target)];
  const pairs = attributes.map(({ field, position }) => {
    parameters.push(field.target);
    return `$${parameters.length}::text, ${attributeValue(`s.c${position}`, field.kind as AttributeType)}`;
  });
  const newAttributes = pairs.length > 0 ? `jsonb_strip_nulls(jsonb_build_object(${pairs.join(', ')}))` : `'{}'::jsonb`;
  const merged = `(c.attributes - $3::text[]) || EXCLUDED.attributes`;
  const sql = `
    WITH upserted AS (
      INSERT INTO profiles.customers AS c (customer_id, registered_at, country, attributes, created_at, updated_at, import_id)
      SELECT ${columnOf(plan, 'customer_id')}, NULLIF(${columnOf(plan, 'registered_at')}, '')::timestamptz,
             upper(NULLIF(${columnOf(plan, 'country')}, '')), ${newAttributes}, $2, $2, $1
      FROM ${staging} s
      ON CONFLICT (customer_id) DO UPDATE
        SET registered_at = EXCLUDED.registered_at, country = EXCLUDED.country, attributes = ${merged},
            updated_at = EXCLUDED.updated_at, import_id = EXCLUDED.import_id
        WHERE (c.registered_at, c.country, c.attributes) IS DISTINCT FROM (EXCLUDED.registered_at, EXCLUDED.country, ${merged})
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM upserted`;
  return { sql, parameters };
}

/** Inserts transactions once by transaction_id; one already loaded is left as it is. Returns one row: inserted, updated (0). */
export function transactionsApply(plan: HeaderPlan, staging: string, importId: string, now: Date): ApplyStatement {
  const currency = columnOf(plan, 'currency');
  const sql = `
    WITH inserted AS (
      INSERT INTO profiles.transactions (transaction_id, customer_id, occurred_at, amount, currency, created_at, import_id)
      SELECT ${columnOf(plan, 'transaction_id')}, ${columnOf(plan, 'customer_id')}, ${columnOf(plan, 'occurred_at')}::timestamptz,
             ${columnOf(plan, 'amount')}::numeric(14, 2), ${currency ? `upper(NULLIF(${currency}, ''))` : 'NULL'}, $2, $1
      FROM ${staging} s
      ON CONFLICT (transaction_id) DO NOTHING
      RETURNING 1
    )
    SELECT count(*) AS inserted, 0 AS updated FROM inserted`;
  return { sql, parameters: [importId, now] };
}
