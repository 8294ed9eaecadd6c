import type { DataSource } from 'typeorm';

/** One execution's measurement window and its pre-period of the same length. */
export type ExecutionWindow = { executionId: string; preFrom: Date; from: Date; to: Date };

/** A group's sums for the statistics: outcome y (revenue in the window) and covariate x (pre-period). */
export type GroupSums = {
  groupId: string;
  n: number;
  /** Exact numeric sum of y, as text. */
  total: string;
  purchasers: number;
  /** Members with net revenue above 0 in the pre-period. */
  prePurchasers: number;
  sumY: number;
  sumY2: number;
  sumY3: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
  sumX3: number;
  sumX2Y: number;
  sumXY2: number;
};

type SumsRow = {
  group_id: string;
  n: number;
  total: string;
  purchasers: number;
  pre_purchasers: number;
  sum_y: number;
  sum_y2: number;
  sum_y3: number;
  sum_x: number;
  sum_x2: number;
  sum_xy: number;
  sum_x3: number;
  sum_x2y: number;
  sum_xy2: number;
};

const SUMS = `count(*)::int AS n, coalesce(sum(y_exact), 0)::text AS total, count(*) FILTER (WHERE y_exact > 0)::int AS purchasers,
  coalesce(sum(y), 0) AS sum_y, coalesce(sum(y * y), 0) AS sum_y2, coalesce(sum(y * y * y), 0) AS sum_y3,
  coalesce(sum(x), 0) AS sum_x, coalesce(sum(x * x), 0) AS sum_x2, coalesce(sum(x * y), 0) AS sum_xy,
  coalesce(sum(x * x * x), 0) AS sum_x3, coalesce(sum(x * x * y), 0) AS sum_x2y, coalesce(sum(x * y * y), 0) AS sum_xy2`;

function toSums(row: SumsRow): GroupSums {
  return {
    groupId: row.group_id,
    n: row.n,
    total: row.total,
    purchasers: row.purchasers,
    prePurchasers: row.pre_purchasers,
    sumY: row.sum_y,
    sumY2: row.sum_y2,
    sumY3: row.sum_y3,
    sumX: row.sum_x,
    sumX2: row.sum_x2,
    sumXY: row.sum_xy,
    sumX3: row.sum_x3,
    sumX2Y: row.sum_x2y,
    sumXY2: row.sum_xy2,
  };
}

function windowsJson(windows: readonly ExecutionWindow[]): string {
  return JSON.stringify(windows.map((w) => ({ execution_id: w.executionId, pre_from: w.preFrom.toISOString(), from_at: w.from.toISOString(), to_at: w.to.toISOString() })));
}

/**
 * Per group: every member counted (nobody who bought nothing is left out: they count 0), revenue
 * from profiles.transaction_v within the member's execution window, and the same customer's
 * revenue over the pre-period of the same length. One statement, set-wise: the transactions are
 * aggregated per member in one pass over the time range the windows span.
 */
export async function groupSums(dataSource: DataSource, windows: readonly ExecutionWindow[]): Promise<GroupSums[]> {
  if (windows.length === 0) return [];
  const rows: SumsRow[] = await dataSource.query(
    `WITH windows AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS w (execution_id uuid, pre_from timestamptz, from_at timestamptz, to_at timestamptz)
     ),
     members AS (
       SELECT m.execution_id, m.customer_id, m.group_id, w.pre_from, w.from_at, w.to_at
         FROM metrics.group_member m JOIN windows w USING (execution_id)
     ),
     spend AS (
       SELECT mb.execution_id, mb.customer_id,
              sum(t.amount) FILTER (WHERE t.occurred_at >= mb.from_at) AS post,
              sum(t.amount) FILTER (WHERE t.occurred_at < mb.from_at) AS pre
         FROM members mb
         JOIN profiles.transaction_v t ON t.customer_id = mb.customer_id AND t.occurred_at >= mb.pre_from AND t.occurred_at < mb.to_at
        WHERE t.occurred_at >= (SELECT min(pre_from) FROM windows) AND t.occurred_at < (SELECT max(to_at) FROM windows)
        GROUP BY mb.execution_id, mb.customer_id
     ),
     per_customer AS (
       SELECT mb.group_id, coalesce(s.post, 0) AS y_exact, coalesce(s.post, 0)::float8 AS y, coalesce(s.pre, 0)::float8 AS x
         FROM members mb LEFT JOIN spend s USING (execution_id, customer_id)
     )
     SELECT group_id, ${SUMS} FROM per_customer GROUP BY group_id`,
    [windowsJson(windows)],
  );
  return rows.map(toSums);
}

/** Whether segmentation's view of the global control group exists (it is another app's). */
export async function globalControlAvailable(dataSource: DataSource): Promise<boolean> {
  const rows: { present: boolean }[] = await dataSource.query(`SELECT to_regclass('segmentation.global_control_v') IS NOT NULL AS present`);
  return rows[0]?.present ?? false;
}

/**
 * The programme view: every customer contacted by a variant of these executions against the
 * global control group, both over one window. Returns the sums of `contacted` and `global_control`.
 */
export async function programmeSums(dataSource: DataSource, executionIds: readonly string[], from: Date, to: Date): Promise<GroupSums[]> {
  const duration = to.getTime() - from.getTime();
  const preFrom = new Date(from.getTime() - Math.max(duration, 0));
  const rows: SumsRow[] = await dataSource.query(
    `WITH people AS (
       SELECT DISTINCT m.customer_id, 'contacted' AS group_id
         FROM metrics.group_member m
         JOIN metrics.execution_group g USING (execution_id, group_id)
        WHERE m.execution_id = ANY($1::uuid[]) AND g.kind = 'variant'
       UNION ALL
       SELECT DISTINCT customer_id, 'global_control' FROM segmentation.global_control_v
     ),
     spend AS (
       SELECT t.customer_id,
              sum(t.amount) FILTER (WHERE t.occurred_at >= $2) AS post,
              sum(t.amount) FILTER (WHERE t.occurred_at < $2) AS pre
         FROM profiles.transaction_v t
        WHERE t.occurred_at >= $4 AND t.occurred_at < $3 AND t.customer_id IN (SELECT customer_id FROM people)
        GROUP BY t.customer_id
     ),
     per_customer AS (
       SELECT p.group_id, coalesce(s.post, 0) AS y_exact, coalesce(s.post, 0)::float8 AS y, coalesce(s.pre, 0)::float8 AS x
         FROM people p LEFT JOIN spend s USING (customer_id)
     )
     SELECT group_id, ${SUMS} FROM per_customer GROUP BY group_id`,
    [executionIds, from, to, preFrom],
  );
  return rows.map(toSums);
}

export type SnapshotRow = {
  executionId: string;
  groupId: string;
  day: number;
  fetchedAt: Date;
  sent: number;
  delivered: number;
  bounces: number;
  opens: number;
  clicks: number;
  unsubscribes: number;
};

export async function snapshots(dataSource: DataSource, executionIds: readonly string[]): Promise<SnapshotRow[]> {
  const rows: { execution_id: string; group_id: string; day: number; fetched_at: Date; sent: number; delivered: number; bounces: number; unique_opens: number; unique_clicks: number; unsubscribes: number }[] =
    await dataSource.query(
      `SELECT execution_id, group_id, day, fetched_at, sent, delivered, bounces, unique_opens, unique_clicks, unsubscribes
         FROM metrics.snapshot WHERE execution_id = ANY($1::uuid[]) ORDER BY execution_id, group_id, day`,
      [executionIds],
    );
  return rows.map((row) => ({
    executionId: row.execution_id,
    groupId: row.group_id,
    day: row.day,
    fetchedAt: row.fetched_at,
    sent: row.sent,
    delivered: row.delivered,
    bounces: row.bounces,
    opens: row.unique_opens,
    clicks: row.unique_clicks,
    unsubscribes: row.unsubscribes,
  }));
}

export type ExecutionRow = {
  executionId: string;
  campaignId: string;
  campaignName: string;
  scheduledAt: Date;
  actionDurationDays: number | null;
  abTestKpi: string | null;
};

export type GroupRow = { executionId: string; groupId: string; kind: 'variant' | 'control'; name: string; plannedShare: number | null };

export async function executions(dataSource: DataSource, where: { executionId: string } | { campaignId: string }): Promise<ExecutionRow[]> {
  const [column, value] = 'executionId' in where ? ['execution_id', where.executionId] : ['campaign_id', where.campaignId];
  const rows: { execution_id: string; campaign_id: string; campaign_name: string; scheduled_at: Date; action_duration_days: number | null; ab_test_kpi: string | null }[] =
    await dataSource.query(
      // The send time: the earliest scheduled group's, else the plan's.
      `SELECT e.execution_id, e.campaign_id, e.campaign_name, coalesce((SELECT min(s.scheduled_at) FROM metrics.scheduled_group s WHERE s.execution_id = e.execution_id), e.scheduled_at) AS scheduled_at,
              e.action_duration_days, e.ab_test_kpi
         FROM metrics.execution e WHERE e.${column} = $1 ORDER BY e.run_date, e.execution_id`,
      [value],
    );
  return rows.map((row) => ({
    executionId: row.execution_id,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    scheduledAt: row.scheduled_at,
    actionDurationDays: row.action_duration_days,
    abTestKpi: row.ab_test_kpi,
  }));
}

export async function groups(dataSource: DataSource, executionIds: readonly string[]): Promise<GroupRow[]> {
  const rows: { execution_id: string; group_id: string; kind: 'variant' | 'control'; name: string; planned_share: number | null }[] = await dataSource.query(
    `SELECT execution_id, group_id, kind, name, planned_share FROM metrics.execution_group WHERE execution_id = ANY($1::uuid[]) ORDER BY kind DESC, name`,
    [executionIds],
  );
  return rows.map((row) => ({ executionId: row.execution_id, groupId: row.group_id, kind: row.kind, name: row.name, plannedShare: row.planned_share }));
}
