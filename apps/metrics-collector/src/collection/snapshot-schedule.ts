const HOUR_MS = 3_600_000;

/** One snapshot to fetch: day 0 once the send has ended, then day 1..N, 24 h apart. */
export type PlannedFetch = { day: number; dueAt: Date };

/**
 * The collection plan of one scheduled group: the snapshot after the send ends (`sendEndDelayMinutes`
 * after the send time), then one a day for `days` days, each exactly `day` x 24 h after the send time.
 */
export function snapshotSchedule(scheduledAt: Date, days: number, sendEndDelayMinutes: number): PlannedFetch[] {
  const start = scheduledAt.getTime();
  const plan: PlannedFetch[] = [{ day: 0, dueAt: new Date(start + sendEndDelayMinutes * 60_000) }];
  for (let day = 1; day <= days; day++) plan.push({ day, dueAt: new Date(start + day * 24 * HOUR_MS) });
  return plan;
}

/** Wait before attempt `attempt + 1` after `attempt` failures: doubled each time, capped. */
export function retryDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}
