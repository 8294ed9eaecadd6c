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

/**
 * The sum in cents of the amounts of the transactions `t` matching `where` (null for none), by
 * `segmentation.sum_cents` (see transactionFactsSql), and the same in currency units, 0 for none.
 */
const centsWhere = (where: string): string => `segmentation.sum_cents((t.amount * 100)::bigint) FILTER (WHERE ${where})`;
const spendWhere = (where: string): string => `coalesce(${centsWhere(where)}, 0) * 0.01`;

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
 * `reactivated_on` comes out normalised (null once older than the reactivation days). The
 * `passThrough` columns of `facts` come out as they are (after the model columns).
 */
export function modelRowsFromFactsSql(facts: string, day: string, settings: ModelSettings, params: SqlParams, passThrough: readonly string[] = []): string {
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
        LEAST(${candidates.join(', ')}) AS next_change_on${passThrough.map((column) => `, m.${column}`).join('')}
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
 * only the ids in `subsetTable`): first and last purchase, the last purchase before and the first
 * since the start of the reactivation days, orders and spend per window and lifetime.
 *
 * Cheap per transaction, as it reads all of them: each one is counted and summed once, in the band
 * between two window starts it falls in (the windows are the sums of their bands), and the sums
 * are of integer cents (`amount` is numeric with 2 decimals, so exact) by `segmentation.sum_cents`,
 * whose state is a plain bigint: numeric's state took hundreds of bytes per customer and the hash
 * tables of a million customers spilled to disk.
 */
function transactionFactsSql(day: string, settings: ModelSettings, params: SqlParams, subsetTable?: string): string {
  const end = params.add(dayStart(addDays(day, 1)), 'timestamptz');
  const recentStart = params.add(dayStart(addDays(day, -settings.reactivatedDays)), 'timestamptz');
  // Band i holds the transactions from the start of the i-th shortest window to the start of the
  // one before it; the last band, those before the longest window.
  const lengths = [...new Set(windowList(settings).map(({ days }) => days))].sort((a, b) => a - b);
  const starts = lengths.map((days) => params.add(dayStart(addDays(day, 1 - days)), 'timestamptz'));
  const bands = [
    ...starts.map((start, i) => (i === 0 ? `t.occurred_at >= ${start}` : `t.occurred_at >= ${start} AND t.occurred_at < ${starts[i - 1]}`)),
    `t.occurred_at < ${starts[starts.length - 1]}`,
  ];
  const bandAggregates = bands
    .map((band, i) => `count(*) FILTER (WHERE t.amount > 0 AND ${band}) AS orders_b${i},
        ${centsWhere(band)} AS cents_b${i}`)
    .join(',\n        ');
  const orders = (count: number): string => Array.from({ length: count }, (_, i) => `a.orders_b${i}`).join(' + ');
  const spend = (count: number): string => `(${Array.from({ length: count }, (_, i) => `coalesce(a.cents_b${i}, 0)`).join(' + ')}) * 0.01`;
  const windows = windowList(settings)
    .map(({ column, days }) => {
      const count = lengths.indexOf(days) + 1;
      return `(${orders(count)})::int AS orders_${column}, ${spend(count)} AS spend_${column}`;
    })
    .join(',\n      ');
  return `
    SELECT a.customer_id, a.first_purchase_on, a.last_purchase_on, a.before_recent_on, a.first_recent_on,
      ${windows},
      (${orders(bands.length)})::int AS orders_lifetime, ${spend(bands.length)} AS spend_lifetime
    FROM (
      SELECT t.customer_id,
        (min(t.occurred_at) FILTER (WHERE t.amount > 0) AT TIME ZONE 'UTC')::date AS first_purchase_on,
        (max(t.occurred_at) FILTER (WHERE t.amount > 0) AT TIME ZONE 'UTC')::date AS last_purchase_on,
        (max(t.occurred_at) FILTER (WHERE t.amount > 0 AND t.occurred_at < ${recentStart}) AT TIME ZONE 'UTC')::date AS before_recent_on,
        (min(t.occurred_at) FILTER (WHERE t.amount > 0 AND t.occurred_at >= ${recentStart}) AT TIME ZONE 'UTC')::date AS first_recent_on,
        ${bandAggregates}
      FROM profiles.transaction_v t
      WHERE t.occurred_at < ${end} ${subsetTable ? `AND t.customer_id IN (SELECT customer_id FROM ${subsetTable})` : ''}
      GROUP BY t.customer_id
    ) a`;
}

/**
 * SELECT of complete model rows as of `day` computed from the profiles views: every customer of
 * `profiles.customer_v` and every buyer of `profiles.transaction_v`, or only the ids in
 * `subsetTable` (a table with a customer_id column).
 *
 * One aggregate pass over the transactions up to the end of `day` (transactionFactsSql). When the
 * reactivation days are at most the churn days (the default), two purchases inside them are never
 * more than the churn days apart, so only the first purchase since their start can be a
 * reactivation: the aggregate tells it. Otherwise a second read of the transactions of the
 * reactivation days finds the last purchase that came more than the churn days after the one
 * before it.
 */
export function buildModelRowsSql(day: string, settings: ModelSettings, params: SqlParams, subsetTable?: string): string {
  const churn = params.add(settings.churnDays, 'int');
  const subset = (column: string): string => (subsetTable ? `AND ${column} IN (SELECT customer_id FROM ${subsetTable})` : '');
  const zero = windowList(settings)
    .map(({ column }) => `coalesce(tx.orders_${column}, 0) AS orders_${column}, coalesce(tx.spend_${column}, 0) AS spend_${column}`)
    .join(',\n        ');
  const facts = transactionFactsSql(day, settings, params, subsetTable);
  let reactivations = '';
  let reactivatedOn = `CASE WHEN tx.first_recent_on - tx.before_recent_on > ${churn} THEN tx.first_recent_on END`;
  let reactivationsJoin = '';
  if (settings.reactivatedDays > settings.churnDays) {
    const end = params.add(dayStart(addDays(day, 1)), 'timestamptz');
    const recentStart = params.add(dayStart(addDays(day, -settings.reactivatedDays)), 'timestamptz');
    reactivations = `,
    recent_days AS (
      SELECT DISTINCT t.customer_id, (t.occurred_at AT TIME ZONE 'UTC')::date AS day
      FROM profiles.transaction_v t
      WHERE t.amount > 0 AND t.occurred_at >= ${recentStart} AND t.occurred_at < ${end} ${subset('t.customer_id')}
    ),
    reactivations AS (
      SELECT customer_id, max(day) AS reactivated_on FROM (
        SELECT r.customer_id, r.day,
          coalesce(lag(r.day) OVER (PARTITION BY r.customer_id ORDER BY r.day), tx.before_recent_on) AS previous_day
        FROM recent_days r JOIN tx ON tx.customer_id = r.customer_id
      ) gaps
      WHERE previous_day IS NOT NULL AND day - previous_day > ${churn}
      GROUP BY customer_id
    )`;
    reactivatedOn = 're.reactivated_on';
    reactivationsJoin = 'LEFT JOIN reactivations re ON re.customer_id = tx.customer_id';
  }
  return `
    WITH tx AS (${facts})${reactivations},
    facts AS (
      -- every customer of customer_v and every buyer: customer_id is unique on both sides
      SELECT coalesce(c.customer_id, tx.customer_id) AS customer_id, tx.first_purchase_on, tx.last_purchase_on,
        ${reactivatedOn} AS reactivated_on,
        ${zero},
        coalesce(tx.orders_lifetime, 0) AS orders_lifetime, coalesce(tx.spend_lifetime, 0) AS spend_lifetime
      FROM (SELECT customer_id FROM profiles.customer_v WHERE true ${subset('customer_id')}) c
      FULL JOIN tx ON tx.customer_id = c.customer_id
      ${reactivationsJoin}
    )
    SELECT * FROM (${modelRowsFromFactsSql('SELECT * FROM facts', day, settings, params)}) built`;
}

/** `INSERT INTO <table> (model columns) <select>`, the select being modelRowsFromFactsSql or buildModelRowsSql. */
export function insertModelRowsSql(table: string, select: string): string {
  return `INSERT INTO ${table} (${MODEL_ROW_COLUMNS.join(', ')}) ${select}`;
}

/**
 * One day of the incremental update: per customer, the purchases of `day` and those leaving each
 * window on `day`, from one pass over `profiles.transaction_v` restricted to those day bands
 * (amounts summed in cents, as in transactionFactsSql).
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
        ${spendWhere(`t.occurred_at >= ${start} AND t.occurred_at < ${end}`)} AS out_spend_${column}`,
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
      ${spendWhere(`t.occurred_at >= ${newStart} AND t.occurred_at < ${newEnd}`)} AS new_spend,
      ${leaving}
    FROM (
      ${rows}
    ) t
    GROUP BY t.customer_id`;
}

/** Columns of steppedFactsSql besides the facts: where the row is, and its stage and micro-segment before the step. */
export const STEPPED_ROW_COLUMNS = ['model_row', 'before_stage', 'before_segment'] as const;

/**
 * The facts of the customers in `model_affected` after `day`: each row is a copy of a model row
 * before `day`, with `model_row` (the row's ctid) and the columns of dayDeltaSql (null for a
 * customer whose stage only moves with time); its facts plus the day's increments, as
 * modelRowsFromFactsSql takes them, and the STEPPED_ROW_COLUMNS.
 */
export function steppedFactsSql(day: string, settings: ModelSettings, params: SqlParams): string {
  const d = params.add(day, 'date');
  const churn = params.add(settings.churnDays, 'int');
  const windows = windowList(settings)
    .map(
      ({ column }) => `m.orders_${column} + coalesce(m.new_orders - m.out_orders_${column}, 0) AS orders_${column},
      m.spend_${column} + coalesce(m.new_spend - m.out_spend_${column}, 0) AS spend_${column}`,
    )
    .join(',\n      ');
  return `
    SELECT m.customer_id, m.model_row, m.lifecycle_stage AS before_stage, m.micro_segment AS before_segment,
      CASE WHEN m.new_orders > 0 THEN coalesce(m.first_purchase_on, ${d}) ELSE m.first_purchase_on END AS first_purchase_on,
      CASE WHEN m.new_orders > 0 THEN ${d} ELSE m.last_purchase_on END AS last_purchase_on,
      CASE WHEN m.new_orders > 0 AND m.last_purchase_on IS NOT NULL AND ${d} - m.last_purchase_on > ${churn}
           THEN ${d} ELSE m.reactivated_on END AS reactivated_on,
      ${windows},
      m.orders_lifetime + coalesce(m.new_orders, 0) AS orders_lifetime,
      m.spend_lifetime + coalesce(m.new_spend, 0) AS spend_lifetime
    FROM model_affected m`;
}

/**
 * UPDATE of every column but the id of the model rows from `rows` (a modelRowsFromFactsSql SELECT
 * with a `model_row` column): each row found by its ctid, read earlier in the same transaction
 * under the model's lock (nothing else writes the model), so no index or scan of the model finds
 * them again. The caller checks that each updated row has the id of its `rows` row.
 */
export function updateModelRowsSql(rows: string): string {
  const columns = MODEL_ROW_COLUMNS.filter((column) => column !== 'customer_id');
  return `
    UPDATE segmentation.customer_model m
    SET (${columns.join(', ')}) = (${columns.map((column) => `x.${column}`).join(', ')})
    FROM (${rows}) x WHERE m.ctid = x.model_row`;
}
