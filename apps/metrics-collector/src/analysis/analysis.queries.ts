import type { DataSource } from 'typeorm';
import type { NotSentVariant } from './analysis-report';

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

// Per customer who bought in the window or the pre-period: y (the window's revenue, exact and as
// float8), x (the pre-period's) and the products the statistics need, computed once per buyer.
const SPEND_COLUMNS = `y_exact, y, x, y * y AS y2, y * y * y AS y3, x * x AS x2, x * y AS xy, x * x * x AS x3, x * x * y AS x2y, x * y * y AS xy2`;

// Summed per group over every member, the buyers' figures joined to the members: a member who
// bought nothing brings nulls, which the sums skip (they count 0) and count(*) still counts.
const SUMS = `count(*)::int AS n, coalesce(sum(s.y_exact), 0)::text AS total,
  count(*) FILTER (WHERE s.y_exact > 0)::int AS purchasers, count(*) FILTER (WHERE s.x > 0)::int AS pre_purchasers,
  coalesce(sum(s.y), 0) AS sum_y, coalesce(sum(s.y2), 0) AS sum_y2, coalesce(sum(s.y3), 0) AS sum_y3,
  coalesce(sum(s.x), 0) AS sum_x, coalesce(sum(s.x2), 0) AS sum_x2, coalesce(sum(s.xy), 0) AS sum_xy,
  coalesce(sum(s.x3), 0) AS sum_x3, coalesce(sum(s.x2y), 0) AS sum_x2y, coalesce(sum(s.xy2), 0) AS sum_xy2`;

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

/**
 * The programme view's people and window: every customer contacted by a variant of these
 * executions (one SmartFocus scheduled) against the global control group. `contacted: false` sums the global control group
 * only (the caller has the contacted customers' sums already: one execution over its own window).
 */
export type ProgrammeScope = { executionIds: readonly string[]; window: Omit<ExecutionWindow, 'executionId'>; contacted: boolean };

/** The groups' sums, and the programme's (`contacted`, `global_control`) when asked for. */
export type AnalysisSums = { groups: GroupSums[]; programme: GroupSums[] | null };

export const sameWindow = (a: Omit<ExecutionWindow, 'executionId'>, b: Omit<ExecutionWindow, 'executionId'>): boolean =>
  a.preFrom.getTime() === b.preFrom.getTime() && a.from.getTime() === b.from.getTime() && a.to.getTime() === b.to.getTime();

/**
 * Per group: every member counted (nobody who bought nothing is left out: they count 0), revenue
 * from profiles.transaction_v within the member's execution window, and the same customer's
 * revenue over the pre-period of the same length; with `programme`, the same for the customers
 * contacted by a variant SmartFocus scheduled and for the global control group (segmentation.global_control_v) over the
 * programme's window. One statement, set-wise, shaped like the bare join and aggregate it is
 * measured against (bench/analysis.bench.mjs): one pass over the transactions of the time range
 * the windows span, summed per window and buyer (a few hundred thousand buyers, not the members),
 * then joined to the members (and to the programme's people) and summed per group. The programme
 * reuses an execution's window when it is the same (one closed execution), so the transactions are
 * read once.
 */
export async function analysisSums(dataSource: DataSource, windows: readonly ExecutionWindow[], programme: ProgrammeScope | null): Promise<AnalysisSums> {
  if (windows.length === 0) return { groups: [], programme: programme ? [] : null };
  const all: { executionId: string | null; window: Omit<ExecutionWindow, 'executionId'> }[] = windows.map((w) => ({ executionId: w.executionId, window: w }));
  let programmeIndex = -1;
  if (programme) {
    programmeIndex = all.findIndex((entry) => sameWindow(entry.window, programme.window));
    if (programmeIndex < 0) programmeIndex = all.push({ executionId: null, window: programme.window }) - 1;
  }
  // The windows as a VALUES list: the planner sees how many there are, and folds one (an
  // execution's analysis) into constants. Parameters: $1, $2 the span, 4 per window, then the
  // programme's executions.
  const values = all.map((_, i) => `(${i}, $${4 * i + 3}::uuid, $${4 * i + 4}::timestamptz, $${4 * i + 5}::timestamptz, $${4 * i + 6}::timestamptz)`).join(', ');
  const programmeExecutions = `$${4 * all.length + 3}::uuid[]`;
  // Who is summed: every member under its group over its execution's window, and with the
  // programme its contacted customers and the global control group over the programme's window.
  const programmePeople = programme
    ? `${
        programme.contacted
          ? `UNION ALL
       SELECT 'programme', 'contacted', ${programmeIndex}, customer_id
         FROM (SELECT ${programme.executionIds.length > 1 ? 'DISTINCT ' : ''}m.customer_id
                 FROM metrics.group_member m JOIN metrics.execution_group g USING (execution_id, group_id)
                      JOIN metrics.scheduled_group s USING (execution_id, group_id)
                WHERE m.execution_id = ANY(${programmeExecutions}) AND g.kind = 'variant') contacted`
          : ''
      }
       UNION ALL
       SELECT 'programme', 'global_control', ${programmeIndex}, customer_id FROM (SELECT DISTINCT customer_id FROM segmentation.global_control_v) global_control`
    : '';
  // JIT off for this statement: compiling its expressions took longer than it saved (about 0.3 s
  // of 1.3 s at 1M members, bench/analysis.bench.mjs); SET LOCAL needs the transaction.
  const rows = await dataSource.transaction(async (manager): Promise<(SumsRow & { part: 'group' | 'programme' })[]> => {
    await manager.query(`SET LOCAL jit = off`);
    return manager.query(
      `WITH windows (window_index, execution_id, pre_from, from_at, to_at) AS NOT MATERIALIZED (VALUES ${values}),
       buyers AS (
         SELECT w.window_index, t.customer_id,
                coalesce(sum(t.amount) FILTER (WHERE t.occurred_at >= w.from_at), 0) AS y_exact,
                coalesce(sum(t.amount) FILTER (WHERE t.occurred_at < w.from_at), 0)::float8 AS x
           FROM profiles.transaction_v t JOIN windows w ON t.occurred_at >= w.pre_from AND t.occurred_at < w.to_at
          WHERE t.occurred_at >= $1 AND t.occurred_at < $2
          GROUP BY w.window_index, t.customer_id
       ),
       spend AS (
         SELECT window_index, customer_id, ${SPEND_COLUMNS} FROM (SELECT *, y_exact::float8 AS y FROM buyers) b
       ),
       people (part, group_id, window_index, customer_id) AS (
         SELECT 'group', m.group_id::text, w.window_index, m.customer_id
           FROM metrics.group_member m JOIN windows w ON w.execution_id = m.execution_id
         ${programmePeople}
       )
       SELECT p.part, p.group_id, ${SUMS}
         FROM people p LEFT JOIN spend s ON s.window_index = p.window_index AND s.customer_id = p.customer_id
        GROUP BY p.part, p.group_id`,
      [
        new Date(Math.min(...all.map((entry) => entry.window.preFrom.getTime()))).toISOString(),
        new Date(Math.max(...all.map((entry) => entry.window.to.getTime()))).toISOString(),
        ...all.flatMap((entry) => [entry.executionId, entry.window.preFrom.toISOString(), entry.window.from.toISOString(), entry.window.to.toISOString()]),
        ...(programme?.contacted ? [programme.executionIds] : []),
      ],
    );
  });
  return {
    groups: rows.filter((row) => row.part === 'group').map(toSums),
    programme: programme ? rows.filter((row) => row.part === 'programme').map(toSums) : null,
  };
}

/** Whether segmentation's view of the global control group exists (it is another app's). */
export async function globalControlAvailable(dataSource: DataSource): Promise<boolean> {
  const rows: { present: boolean }[] = await dataSource.query(`SELECT to_regclass('segmentation.global_control_v') IS NOT NULL AS present`);
  return rows[0]?.present ?? false;
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

/** A group of an execution, with whether SmartFocus scheduled it (campaign.scheduled.v1) or why its dispatch failed. */
export type GroupRow = {
  executionId: string;
  groupId: string;
  kind: 'variant' | 'control';
  name: string;
  plannedShare: number | null;
  /** lists.generated.v1 `groupSize`. */
  size: number;
  /** campaign.scheduled.v1 came for the group; a later success after a failure counts as scheduled. */
  scheduled: boolean;
  /** campaign.dispatch-failed.v1, when it came and the group was not scheduled after all. */
  failure: NotSentVariant['failure'];
};

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
  const rows: {
    execution_id: string;
    group_id: string;
    kind: 'variant' | 'control';
    name: string;
    planned_share: number | null;
    group_size: number;
    scheduled: boolean;
    failure: GroupRow['failure'];
  }[] = await dataSource.query(
    // Variants before the control, by name; a campaign's same-named groups in the order of their executions.
    `SELECT g.execution_id, g.group_id, g.kind, g.name, g.planned_share, g.group_size, s.group_id IS NOT NULL AS scheduled,
            CASE WHEN s.group_id IS NULL AND f.group_id IS NOT NULL
                 THEN jsonb_build_object('step', f.step, 'errorCode', f.error_code, 'errorMessage', f.error_message, 'attempts', f.attempts) END AS failure
       FROM metrics.execution_group g JOIN metrics.execution e USING (execution_id)
       LEFT JOIN metrics.scheduled_group s USING (execution_id, group_id)
       LEFT JOIN metrics.dispatch_failure f USING (execution_id, group_id)
      WHERE g.execution_id = ANY($1::uuid[]) ORDER BY g.kind DESC, g.name, e.run_date, g.execution_id`,
    [executionIds],
  );
  return rows.map((row) => ({
    executionId: row.execution_id,
    groupId: row.group_id,
    kind: row.kind,
    name: row.name,
    plannedShare: row.planned_share,
    size: row.group_size,
    scheduled: row.scheduled,
    failure: row.failure,
  }));
}
