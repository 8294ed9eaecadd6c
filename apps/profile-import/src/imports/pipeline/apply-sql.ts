import type { AttributeType } from '../../datasets/dataset-definitions';
import type { FirstLoadTable } from '../../datasets/first-load';
import type { HeaderPlan } from './header-plan';

// Set-based SQL from the staging table (`ordinal`, the row's number in COPY order, then
// c0..cN-1: the staged columns in file order, all text)
// into the profiles tables. Values were checked row by row before COPY, so every cast succeeds.
// Header names never reach the SQL text: staged columns are positional, attribute names are
// parameters.

export type ApplyStatement = { sql: string; parameters: unknown[] };

function columnOf(plan: HeaderPlan, target: string): string | undefined {
  const position = plan.fields.findIndex((field) => field.target === target && !field.isAttribute);
  return position >= 0 ? `s.c${position}` : undefined;
}

// jsonb_build_object takes typed values as they are: no to_jsonb per value (half the cost).
// Every spelling the boolean check accepts is one PostgreSQL's boolean input accepts.
const ATTRIBUTE_CASTS: Record<AttributeType, string> = { text: '', number: '::numeric', date: '::date', boolean: '::boolean' };

function attributeValue(column: string, type: AttributeType): string {
  return `NULLIF(${column}, '')${ATTRIBUTE_CASTS[type]}`;
}

/** The COPY columns of the staging table for a plan: one text column per staged field. */
export function stagingColumns(plan: HeaderPlan): string[] {
  return plan.fields.map((_field, position) => `c${position}`);
}

/** The customers of the staging table as typed rows; attribute names are parameters from `$first` on. */
function customersSource(plan: HeaderPlan, staging: string, first: number): { sql: string; names: string[]; keys: string } {
  const attributes = plan.fields.map((field, position) => ({ field, position })).filter(({ field }) => field.isAttribute);
  const pairs = attributes.map(({ field, position }, k) => `$${first + k}::text, ${attributeValue(`s.c${position}`, field.kind as AttributeType)}`);
  // A row with every attribute cell filled (the usual case) has no null to strip: building the
  // object without NULLIF and without jsonb_strip_nulls gives the same value for less work (an
  // empty cell is '' or NULL, which fails the test and takes the stripping branch).
  const filled = attributes.map(({ position }) => `s.c${position} <> ''`).join(' AND ');
  const direct = attributes.map(({ field, position }, k) => `$${first + k}::text, s.c${position}${ATTRIBUTE_CASTS[field.kind as AttributeType]}`);
  const attributesSql =
    pairs.length > 0
      ? `CASE WHEN ${filled} THEN jsonb_build_object(${direct.join(', ')}) ELSE jsonb_strip_nulls(jsonb_build_object(${pairs.join(', ')})) END`
      : `'{}'::jsonb`;
  return {
    sql: `SELECT ${columnOf(plan, 'customer_id')} AS customer_id, NULLIF(${columnOf(plan, 'registered_at')}, '')::timestamptz AS registered_at,
      upper(NULLIF(${columnOf(plan, 'country')}, ''))::char(2) AS country, ${attributesSql} AS attributes FROM ${staging} s`,
    names: attributes.map(({ field }) => field.target),
    keys: `ARRAY[${attributes.map((_attribute, k) => `$${first + k}`).join(', ')}]::text[]`,
  };
}

/**
 * Upserts customers by customer_id in three statements (the import holds the dataset's advisory
 * lock, so no other import writes in between): one join finds the existing customers where
 * something changed (`IS DISTINCT FROM`) into a temporary table, an UPDATE rewrites just those
 * (an unchanged row is not touched), and an anti-join INSERT adds the new ids. On 5M rows with
 * 10 % changed this takes half the time of `INSERT ... ON CONFLICT DO UPDATE ... WHERE` or of an
 * UPDATE joined to the whole file. The attributes in the file replace those keys (an empty cell
 * removes one); attributes the file does not mention are kept.
 *
 * The first load into an empty table (`typed`, `firstLoad`, see CUSTOMERS_FIRST_LOAD) converts the
 * staged text once (timestamptz, country, the attributes' jsonb) into an UNLOGGED table of the
 * import, in key order, by a parallel plan: the conversion, the jsonb above all, is most of the
 * apply's CPU and the Node process is idle meanwhile (5M rows: 6.6 s instead of 10.6 s; an
 * INSERT ... SELECT never runs in parallel on PostgreSQL 15); a plain INSERT then copies it.
 * `typed` is dropped (`dropTyped`) before commit, like the staging table. (Tried for the daily
 * upsert as well: the join and the update did not get faster, the apply took 30.8 s instead of 21.6 s.)
 */
export function customersApply(
  plan: HeaderPlan,
  staging: string,
  importId: string,
  now: Date,
): { changed: ApplyStatement; update: ApplyStatement; insert: ApplyStatement; typed: ApplyStatement; firstLoad: ApplyStatement; dropTyped: ApplyStatement } {
  const changedTable = `changed_${importId.replace(/-/g, '')}`;
  const forChanged = customersSource(plan, staging, 1);
  const merged = `(c.attributes - ${forChanged.keys}) || n.attributes`;
  const changed = `
    CREATE TEMPORARY TABLE ${changedTable} ON COMMIT DROP AS
    SELECT n.customer_id, n.registered_at, n.country, ${merged} AS attributes
    FROM (${forChanged.sql}) n JOIN profiles.customers c ON c.customer_id = n.customer_id
    WHERE (c.registered_at, c.country, c.attributes) IS DISTINCT FROM (n.registered_at, n.country, ${merged})`;
  const update = `
    UPDATE profiles.customers c
    SET registered_at = d.registered_at, country = d.country, attributes = d.attributes, updated_at = $2, import_id = $1
    FROM ${changedTable} d
    WHERE c.customer_id = d.customer_id`;
  const forInsert = customersSource(plan, staging, 3);
  const insert = `
    INSERT INTO profiles.customers (customer_id, registered_at, country, attributes, created_at, updated_at, import_id)
    SELECT n.customer_id, n.registered_at, n.country, n.attributes, $2, $2, $1
    FROM (${forInsert.sql}) n
    WHERE NOT EXISTS (SELECT 1 FROM profiles.customers c WHERE c.customer_id = n.customer_id)`;
  const typedTable = `${staging}_typed`;
  // In key order (the workers' parts sorted and merged): the key build after the insert then sorts
  // presorted input (5M rows: 0.9 s more here, 1.6 s less there).
  const typed = `CREATE UNLOGGED TABLE ${typedTable} AS ${forChanged.sql} ORDER BY customer_id`;
  const firstLoad = `
    INSERT INTO profiles.customers (customer_id, registered_at, country, attributes, created_at, updated_at, import_id)
    SELECT n.customer_id, n.registered_at, n.country, n.attributes, $2, $2, $1
    FROM ${typedTable} n`;
  return {
    changed: { sql: changed, parameters: forChanged.names },
    update: { sql: update, parameters: [importId, now] },
    insert: { sql: insert, parameters: [importId, now, ...forInsert.names] },
    typed: { sql: typed, parameters: forChanged.names },
    firstLoad: { sql: firstLoad, parameters: [importId, now] },
    dropTyped: { sql: `DROP TABLE ${typedTable}`, parameters: [] },
  };
}

/**
 * Planner settings for `typed` alone: a parallel plan for it whatever the row estimate (the planner
 * prices sending millions of rows from the workers above converting them in one process).
 */
export const PARALLEL_CONVERSION = { parallel_setup_cost: 0, parallel_tuple_cost: 0 };

/**
 * The first load into an empty customers table (see startFirstLoad): the primary key is dropped,
 * the rows inserted and the key built again in one sort (5M rows in psql: 29.6 s inserting with
 * the key in place, 15.8 s without it plus 2 to 8 s for the key build). The table stays LOGGED:
 * inserting with WAL and building the key took 5.2 to 6.6 s where inserting UNLOGGED, `SET LOGGED`
 * and the key build took 7.0 to 9.2 s (5M rows in psql, load average about 3.3; see the README).
 */
export const CUSTOMERS_FIRST_LOAD: FirstLoadTable = {
  table: 'profiles.customers',
  drop: ['ALTER TABLE profiles.customers DROP CONSTRAINT customers_pkey'],
  build: ['ALTER TABLE profiles.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (customer_id)'],
  unlogged: false,
};

/** The first load into an empty transactions table: every index built after the insert (see startFirstLoad). */
export const TRANSACTIONS_FIRST_LOAD: FirstLoadTable = {
  table: 'profiles.transactions',
  drop: [
    'ALTER TABLE profiles.transactions DROP CONSTRAINT transactions_pkey',
    'DROP INDEX profiles.transactions_customer_occurred_idx',
    'DROP INDEX profiles.transactions_occurred_idx',
  ],
  build: [
    'ALTER TABLE profiles.transactions ADD CONSTRAINT transactions_pkey PRIMARY KEY (transaction_id)',
    'CREATE INDEX transactions_customer_occurred_idx ON profiles.transactions (customer_id, occurred_at)',
    'CREATE INDEX transactions_occurred_idx ON profiles.transactions (occurred_at) INCLUDE (customer_id, amount)',
  ],
  unlogged: true,
};

/**
 * Inserts transactions once by transaction_id; one already loaded is left as it is. `firstLoad`:
 * into an empty table every row is new (duplicates were removed from staging), no anti-join.
 */
export function transactionsApply(plan: HeaderPlan, staging: string, importId: string, now: Date): { insert: ApplyStatement; firstLoad: ApplyStatement } {
  const currency = columnOf(plan, 'currency');
  const id = columnOf(plan, 'transaction_id');
  const sql = `
    INSERT INTO profiles.transactions (transaction_id, customer_id, occurred_at, amount, currency, created_at, import_id)
    SELECT ${id}, ${columnOf(plan, 'customer_id')}, ${columnOf(plan, 'occurred_at')}::timestamptz,
           ${columnOf(plan, 'amount')}::numeric(14, 2), ${currency ? `upper(NULLIF(${currency}, ''))` : 'NULL'}, $2, $1
    FROM ${staging} s
    WHERE NOT EXISTS (SELECT 1 FROM profiles.transactions t WHERE t.transaction_id = ${id})`;
  const firstLoad = sql.slice(0, sql.indexOf('WHERE NOT EXISTS'));
  return { insert: { sql, parameters: [importId, now] }, firstLoad: { sql: firstLoad, parameters: [importId, now] } };
}
