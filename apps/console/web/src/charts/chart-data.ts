/** Turns the services' figures into the rows the charts draw. Pure: tested without a browser. */

const STAGE_ORDER = ['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'];

/** A preview's `byStage` as bars in lifecycle order (unknown stages last, alphabetically). */
export function stageBars(byStage: Record<string, number>): { stage: string; customers: number }[] {
  const rank = (stage: string) => {
    const index = STAGE_ORDER.indexOf(stage);
    return index === -1 ? STAGE_ORDER.length : index;
  };
  return Object.entries(byStage)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([stage, customers]) => ({ stage, customers }));
}

/** One day of segmentation's distribution: customers per stage (or micro-segment). */
export type DistributionDay = { date: string; customers: Record<string, number> };

/**
 * The distribution over time as chart rows (`{ date, active: 120, ... }`, every value present on
 * every row, 0 where a day has none) and the series in lifecycle order.
 */
export function distributionRows(days: readonly DistributionDay[]): { rows: Record<string, string | number>[]; series: string[] } {
  const names = new Set<string>();
  for (const day of days) for (const name of Object.keys(day.customers)) names.add(name);
  const series = stageBars(Object.fromEntries([...names].map((name) => [name, 0]))).map((bar) => bar.stage);
  const rows = [...days]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({ date: day.date, ...Object.fromEntries(series.map((name) => [name, day.customers[name] ?? 0])) }));
  return { rows, series };
}

type FunnelLike = { day: number; date?: string; sent?: number; delivered?: number; opens?: number; uniqueOpens?: number; clicks?: number; uniqueClicks?: number; unsubscribes?: number; bounces?: number };
type GroupLike = { name: string; kind: string; funnel?: FunnelLike[] | { days?: FunnelLike[] }; days?: FunnelLike[] };

/** A group's daily snapshots, wherever the analysis puts them, in day order. */
export function groupDays(group: GroupLike): FunnelLike[] {
  const days = Array.isArray(group.funnel) ? group.funnel : (group.funnel?.days ?? group.days ?? []);
  return [...days].sort((a, b) => a.day - b.day);
}

export type FunnelStage = 'sent' | 'delivered' | 'opens' | 'clicks' | 'unsubscribes';
const opens = (day: FunnelLike) => day.uniqueOpens ?? day.opens;
const clicks = (day: FunnelLike) => day.uniqueClicks ?? day.clicks;

/** The e-mail funnel per variant (the last snapshot: figures are cumulative), one row per stage. */
export function funnelRows(groups: readonly GroupLike[]): { rows: Record<string, string | number>[]; series: string[] } {
  const variants = groups.filter((group) => group.kind !== 'control');
  const latest = new Map(variants.map((group) => [group.name, groupDays(group).at(-1)]));
  const stages: [string, (day: FunnelLike) => number | undefined][] = [
    ['sent', (day) => day.sent],
    ['delivered', (day) => day.delivered],
    ['opened', opens],
    ['clicked', clicks],
    ['unsubscribed', (day) => day.unsubscribes],
  ];
  const rows = stages.map(([stage, read]) => ({ stage, ...Object.fromEntries(variants.map((group) => [group.name, read(latest.get(group.name) ?? { day: 0 }) ?? 0])) }));
  return { rows, series: variants.map((group) => group.name) };
}

/** One metric per day of the week, a line per variant (`day 1` .. `day 7`). */
export function dailyRows(groups: readonly GroupLike[], metric: 'delivered' | 'opens' | 'clicks' | 'unsubscribes'): Record<string, string | number>[] {
  const read = (day: FunnelLike) => (metric === 'opens' ? opens(day) : metric === 'clicks' ? clicks(day) : day[metric]);
  const byDay = new Map<number, Record<string, string | number>>();
  for (const group of groups) {
    if (group.kind === 'control') continue;
    for (const day of groupDays(group)) {
      const row = byDay.get(day.day) ?? { day: `day ${day.day}` };
      row[group.name] = read(day) ?? 0;
      byDay.set(day.day, row);
    }
  }
  return [...byDay.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

/**
 * Points for the uplift chart: each variant's difference against control with its interval as
 * the error bar's [below, above] lengths (recharts' ErrorBar takes lengths, not bounds).
 */
export function upliftPoints(
  comparisons: readonly { groupId: string; estimate?: { difference: number; ciLow: number | null; ciHigh: number | null } }[],
  names: ReadonlyMap<string, string>,
): { name: string; difference: number; interval: [number, number]; ciLow: number; ciHigh: number }[] {
  const points: { name: string; difference: number; interval: [number, number]; ciLow: number; ciHigh: number }[] = [];
  for (const { groupId, estimate } of comparisons) {
    // No interval, nothing to draw (too small a group, no variation).
    if (!estimate || estimate.ciLow === null || estimate.ciHigh === null) continue;
    const { difference, ciLow, ciHigh } = estimate;
    points.push({ name: names.get(groupId) ?? groupId, difference, interval: [Math.max(0, difference - ciLow), Math.max(0, ciHigh - difference)], ciLow, ciHigh });
  }
  return points;
}

/** What the interval says, in plain words (95 %: the interval excludes 0 or it does not). */
export function verdictInWords(estimate: { difference: number; ciLow: number | null; ciHigh: number | null } | undefined, what: string, final: boolean): string {
  if (!estimate || estimate.ciLow === null || estimate.ciHigh === null) return `No ${what} figure yet.`;
  const sure = final ? '' : ' so far (the window is still open; the interval allows for daily looks)';
  if (estimate.ciLow > 0) return `The campaign raised ${what}${sure}: the whole 95 % interval is above zero.`;
  if (estimate.ciHigh < 0) return `The campaign lowered ${what}${sure}: the whole 95 % interval is below zero.`;
  return `No clear effect on ${what}${sure}: the 95 % interval includes zero.`;
}
