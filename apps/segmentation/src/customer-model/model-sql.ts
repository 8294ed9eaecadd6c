import { addDays } from '../shared/days';
import type { SqlParams } from '../shared/sql-params';
import { MICRO_SEGMENT_TABLE, type ModelSettings } from './lifecycle';

// SQL of the customer model. Every threshold and date is a bind parameter; the fragments below
// are code, never input. The rules are the same as `classify` in lifecycle.ts (tests compare them).

/** The windows (days) orders and spend are kept for; `rfm` is RFM_WINDOW_DAYS. */
export const WINDOWS = [
  { column: '30d', days: 30 },
  { column: '90d', days: 90 },
  { column: '365d', days: 365 },
] as const;

/** Start of a UTC day as a timestamptz literal value. */
export const dayStart = (day: string): string => `${day}T00:00:00Z`;

const windowList = (settings: ModelSettings): { column: string; days: number }[] => [
  ...WINDOWS,
  { column: 'rfm', days: settings.rfmWindowDays },
];

/**
 * Complete model rows as of `day` from `facts` (a SELECT with customer_id, first_purchase_on,
 * last_purchase_on, reactivated_on and the orders_/spend_ columns): adds the lifecycle stage, the
 * scores, the micro-segment and the next day the stage or recency score changes by time alone.
 * `reactivated_on` comes out normalised (null once older than the reactivation days).
 */
export function modelRowsFromFactsSql(facts: string, day: string, settings: ModelSettings, params: SqlParams): string {
  const d = params.add(day, 'date');
  const f = 'm.first_purchase_on';
  const l = 'm.last_purchase_on';
  const r = `(CASE WHEN m.reactivated_on IS NOT NULL AND ${d} - m.reactivated_on <= ${params.add(settings.reactivatedDays, 'int')} THEN m.reactivated_on END)`;
  const stage = `CASE
      WHEN ${l} IS NULL THEN 'prospect'
      WHEN ${d} - ${f} <= ${params.add(settings.newDays, 'int')} THEN 'new'
      WHEN ${r} IS NOT NULL THEN 'reactivated'
      WHEN ${d} - ${l} <= ${params.add(settings.activeDays, 'int')} THEN 'active'
      WHEN ${d} - ${l} <= ${params.add(settings.churnDays, 'int')} THEN 'at_risk'
      ELSE 'churned' END`;
  const [r1, r2, r3, r4] = settings.recencyDays.map((bound) => params.add(bound, 'int'));
  const recency = `CASE WHEN ${l} IS NULL THEN NULL
      WHEN ${d} - ${l} <= ${r1} THEN 5 WHEN ${d} - ${l} <= ${r2} THEN 4
      WHEN ${d} - ${l} <= ${r3} THEN 3 WHEN ${d} - ${l} <= ${r4} THEN 2 ELSE 1 END`;
  const scoreAtLeast = (value: string, bounds: readonly number[], cast: string): string => {
    const [b1, b2, b3, b4] = bounds.map((bound) => params.add(bound, cast));
    return `CASE WHEN ${l} IS NULL THEN NULL
      WHEN ${value} >= ${b4} THEN 5 WHEN ${value} >= ${b3} THEN 4
      WHEN ${value} >= ${b2} THEN 3 WHEN ${value} >= ${b1} THEN 2 ELSE 1 END`;
  };
  const frequency = scoreAtLeast('m.orders_rfm', settings.frequencyOrders, 'int');
  const monetary = scoreAtLeast('m.spend_rfm', settings.monetarySpend, 'numeric');
  // Row R5..R1, column FM1..FM5 of MICRO_SEGMENT_TABLE, flattened: index (5 - R) * 5 + FM.
  const segments = [5, 4, 3, 2, 1].flatMap((score) => MICRO_SEGMENT_TABLE[score as 1 | 2 | 3 | 4 | 5]).map((name) => `'${name}'`);
  // The first day after `day` on which the stage or the recency score changes by time alone.
  const later = (expression: string): string => `CASE WHEN ${expression} > ${d} THEN ${expression} END`;
  const candidates = [
    later(`${f} + ${params.add(settings.newDays + 1, 'int')}`),
    later(`${r} + ${params.add(settings.reactivatedDays + 1, 'int')}`),
    later(`${l} + ${params.add(settings.activeDays + 1, 'int')}`),
    later(`${l} + ${params.add(settings.churnDays + 1, 'int')}`),
    ...settings.recencyDays.map((bound) => later(`${l} + ${params.add(bound + 1, 'int')}`)),
  ];
  return `
    SELECT s.*, (ARRAY[${segments.join(', ')}]::text[])[(5 - s.recency_score) * 5 + (s.frequency_score + s.monetary_score + 1) / 2] AS micro_segment
    FROM (
      SELECT m.customer_id, m.first_purchase_on, m.last_purchase_on,
        m.orders_30d, m.orders_90d, m.orders_365d, m.orders_rfm, m.orders_lifetime,
        m.spend_30d, m.spend_90d, m.spend_365d, m.spend_rfm, m.spend_lifetime,
        ${r} AS reactivated_on,
        ${stage} AS lifecycle_stage,
        (${recency})::smallint AS recency_score,
        (${frequency})::smallint AS frequency_score,
        (${monetary})::smallint AS monetary_score,
        LEAST(${candidates.join(', ')}) AS next_change_on
      FROM (${facts}) m
    ) s`;
}

/** Columns in the order modelRowsFromFactsSql selects them. */
export const MODEL_ROW_COLUMNS = [
  'customer_id', 'first_purchase_on', 'last_purchase_on',
  'orders_30d', 'orders_90d', 'orders_365d', 'orders_rfm', 'orders_lifetime',
  'spend_30d', 'spend_90d', 'spend_365d', 'spend_rfm', 'spend_lifetime',
  'reactivated_on', 'lifecycle_stage', 'recency_score', 'frequency_score', 'monetary_score', 'next_change_on', 'micro_segment',
] as const;

/**
 * The per-customer aggregate of `profiles.transaction_v` up to the end of `day` (all customers, or
 * only the ids in `subsetTable`): first and last purchase, the last purchase before the
 * reactivation days, orders and spend per window and lifetime. The full build runs it alone into a
 * temporary table, so PostgreSQL can aggregate in parallel (it does not for an INSERT).
 */
export function transactionFactsSql(day: string, settings: ModelSettings, params: SqlParams, subsetTable?: string): string {
  const end = params.add(dayStart(addDays(day, 1)), 'timestamptz');
  const recentStart = params.add(dayStart(addDays(day, -settings.reactivatedDays)), 'timestamptz');
  const windowAggregates = windowList(settings)
    .map(({ column, days }) => {
      const start = params.add(dayStart(addDays(day, 1 - days)), 'timestamptz');
      return `count(*) FILTER (WHERE t.amount > 0 AND t.occurred_at >= ${start})::int AS orders_${column},
        coalesce(sum(t.amount) FILTER (WHERE t.occurred_at >= ${start}), 0) AS spend_${column}`;
    })
    .join(',\n        ');
  return `
      SELECT t.customer_id,
        (min(t.occurred_at) FILTER (WHERE t.amount > 0) AT TIME ZONE 'UTC')::date AS first_purchase_on,
        (max(t.occurred_at) FILTER (WHERE t.amount > 0) AT TIME ZONE 'UTC')::date AS last_purchase_on,
        (max(t.occurred_at) FILTER (WHERE t.amount > 0 AND t.occurred_at < ${recentStart}) AT TIME ZONE 'UTC')::date AS before_recent_on,
        ${windowAggregates},
        count(*) FILTER (WHERE t.amount > 0)::int AS orders_lifetime,
        coalesce(sum(t.amount), 0) AS spend_lifetime
      FROM profiles.transaction_v t
      WHERE t.occurred_at < ${end} ${subsetTable ? `AND t.customer_id IN (SELECT customer_id FROM ${subsetTable})` : ''}
      GROUP BY t.customer_id`;
}

/**
 * SELECT of complete model rows as of `day` computed from the profiles views: every customer of
 * `profiles.customer_v` and every buyer of `profiles.transaction_v`, or only the ids in
 * `subsetTable` (a table with a customer_id column). One aggregate pass over the transactions up
 * to the end of `day` (transactionFactsSql, or its result in `factsTable`), plus a window over the
 * last LIFECYCLE_REACTIVATED_DAYS days for reactivations.
 */
export function buildModelRowsSql(day: string, settings: ModelSettings, params: SqlParams, subsetTable?: string, factsTable?: string): string {
  const end = params.add(dayStart(addDays(day, 1)), 'timestamptz');
  const recentStart = params.add(dayStart(addDays(day, -settings.reactivatedDays)), 'timestamptz');
  const churn = params.add(settings.churnDays, 'int');
  const subset = (column: string): string => (subsetTable ? `AND ${column} IN (SELECT customer_id FROM ${subsetTable})` : '');
  const zero = windowList(settings)
    .map(({ column }) => `coalesce(tx.orders_${column}, 0) AS orders_${column}, coalesce(tx.spend_${column}, 0) AS spend_${column}`)
    .join(',\n        ');
  // The aggregate is read twice below: a table as it is, else a CTE (which PostgreSQL then keeps).
  const tx = factsTable ?? 'tx';
  return `
    WITH ${factsTable ? '' : `tx AS (${transactionFactsSql(day, settings, params, subsetTable)}),`}
    recent_days AS (
      SELECT DISTINCT t.customer_id, (t.occurred_at AT TIME ZONE 'UTC')::date AS day
      FROM profiles.transaction_v t
      WHERE t.amount > 0 AND t.occurred_at >= ${recentStart} AND t.occurred_at < ${end} ${subset('t.customer_id')}
    ),
    reactivations AS (
      SELECT customer_id, max(day) AS reactivated_on FROM (
        SELECT r.customer_id, r.day,
          coalesce(lag(r.day) OVER (PARTITION BY r.customer_id ORDER BY r.day), tx.before_recent_on) AS previous_day
        FROM recent_days r JOIN ${tx} tx ON tx.customer_id = r.customer_id
      ) gaps
      WHERE previous_day IS NOT NULL AND day - previous_day > ${churn}
      GROUP BY customer_id
    ),
    facts AS (
      -- every customer of customer_v and every buyer: customer_id is unique on both sides
      SELECT coalesce(c.customer_id, tx.customer_id) AS customer_id, tx.first_purchase_on, tx.last_purchase_on, re.reactivated_on,
        ${zero},
        coalesce(tx.orders_lifetime, 0) AS orders_lifetime, coalesce(tx.spend_lifetime, 0) AS spend_lifetime
      FROM (SELECT customer_id FROM profiles.customer_v WHERE true ${subset('customer_id')}) c
      FULL JOIN ${tx} tx ON tx.customer_id = c.customer_id
      LEFT JOIN reactivations re ON re.customer_id = coalesce(c.customer_id, tx.customer_id)
    )
    SELECT * FROM (${modelRowsFromFactsSql('SELECT * FROM facts', day, settings, params)}) built`;
}

/** `INSERT INTO <table> (model columns) <select>`, the select being modelRowsFromFactsSql or buildModelRowsSql. */
export function insertModelRowsSql(table: string, select: string): string {
  return `INSERT INTO ${table} (${MODEL_ROW_COLUMNS.join(', ')}) ${select}`;
}

/**
 * One day of the incremental update: per customer, the purchases of `day` and those leaving each
 * window on `day`, from one pass over `profiles.transaction_v` restricted to those day bands.
 */
export function dayDeltaSql(day: string, settings: ModelSettings, params: SqlParams): string {
  const newStart = params.add(dayStart(day), 'timestamptz');
  const newEnd = params.add(dayStart(addDays(day, 1)), 'timestamptz');
  const bands = windowList(settings).map(({ column, days }) => ({
    column,
    day: addDays(day, -days),
    start: params.add(dayStart(addDays(day, -days)), 'timestamptz'),
    end: params.add(dayStart(addDays(day, 1 - days)), 'timestamptz'),
  }));
  const leaving = bands
    .map(
      ({ column, start, end }) => `count(*) FILTER (WHERE t.amount > 0 AND t.occurred_at >= ${start} AND t.occurred_at < ${end})::int AS out_orders_${column},
        coalesce(sum(t.amount) FILTER (WHERE t.occurred_at >= ${start} AND t.occurred_at < ${end}), 0) AS out_spend_${column}`,
    )
    .join(',\n        ');
  // One range read per distinct day band (the RFM window may be one of the others), each from the
  // index on occurred_at alone; the bands are whole days, so two are either the same or disjoint.
  const ranges = new Map([[day, `${newStart} AND t.occurred_at < ${newEnd}`]]);
  for (const band of bands) if (!ranges.has(band.day)) ranges.set(band.day, `${band.start} AND t.occurred_at < ${band.end}`);
  const rows = [...ranges.values()]
    .map((range) => `SELECT t.customer_id, t.occurred_at, t.amount FROM profiles.transaction_v t WHERE t.occurred_at >= ${range}`)
    .join('\n      UNION ALL ');
  return `
    SELECT t.customer_id,
      count(*) FILTER (WHERE t.amount > 0 AND t.occurred_at >= ${newStart} AND t.occurred_at < ${newEnd})::int AS new_orders,
      coalesce(sum(t.amount) FILTER (WHERE t.occurred_at >= ${newStart} AND t.occurred_at < ${newEnd}), 0) AS new_spend,
      ${leaving}
    FROM (
      ${rows}
    ) t
    GROUP BY t.customer_id`;
}

/**
 * The facts of the customers in `model_affected` (a copy of their model rows before `day`) after
 * `day`: the row plus the day's increments from `model_delta` (none for a customer whose stage
 * only moves with time), as modelRowsFromFactsSql takes them.
 */
export function steppedFactsSql(day: string, settings: ModelSettings, params: SqlParams): string {
  const d = params.add(day, 'date');
  const churn = params.add(settings.churnDays, 'int');
  const windows = windowList(settings)
    .map(
      ({ column }) => `m.orders_${column} + coalesce(d.new_orders - d.out_orders_${column}, 0) AS orders_${column},
      m.spend_${column} + coalesce(d.new_spend - d.out_spend_${column}, 0) AS spend_${column}`,
    )
    .join(',\n      ');
  return `
    SELECT m.customer_id,
      CASE WHEN d.new_orders > 0 THEN coalesce(m.first_purchase_on, ${d}) ELSE m.first_purchase_on END AS first_purchase_on,
      CASE WHEN d.new_orders > 0 THEN ${d} ELSE m.last_purchase_on END AS last_purchase_on,
      CASE WHEN d.new_orders > 0 AND m.last_purchase_on IS NOT NULL AND ${d} - m.last_purchase_on > ${churn}
           THEN ${d} ELSE m.reactivated_on END AS reactivated_on,
      ${windows},
      m.orders_lifetime + coalesce(d.new_orders, 0) AS orders_lifetime,
      m.spend_lifetime + coalesce(d.new_spend, 0) AS spend_lifetime
    FROM model_affected m
    LEFT JOIN model_delta d ON d.customer_id = m.customer_id`;
}

/** UPDATE of every column of the model rows from `rows` (a modelRowsFromFactsSql SELECT). */
export function updateModelRowsSql(rows: string): string {
  const columns = MODEL_ROW_COLUMNS.filter((column) => column !== 'customer_id');
  return `
    UPDATE segmentation.customer_model m
    SET (${columns.join(', ')}) = (${columns.map((column) => `x.${column}`).join(', ')})
    FROM (${rows}) x WHERE m.customer_id = x.customer_id`;
}
