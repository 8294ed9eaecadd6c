import type { AbTestKpi, GroupKind } from '@optimove/contracts';
import { AB_TEST_KPIS } from '@optimove/contracts';
import {
  cupedTest,
  holmAdjust,
  minimumDetectableEffect,
  minimumDetectableRateDifference,
  sampleRatioCheck,
  sequentialMeanTest,
  sequentialProportionTest,
  skewGuardedWelchTest,
  summaryFromSums,
  twoProportionTest,
  type Comparison,
  type Proportion,
  type SampleSummary,
} from '@optimove/statistics';
import type {
  Analysis,
  AnalysisGroup,
  AbTestVerdict,
  FigureKind,
  FunnelDay,
  GroupRevenue,
  MetricComparison,
  NotSentVariant,
  ProgrammeView,
  SampleRatio,
  VariantComparison,
} from './analysis-report';
import type { GroupSums, SnapshotRow } from './analysis.queries';

const DAY_MS = 86_400_000;
const ALPHA = 0.05;

/** A group of the analysis: one execution's group, or the same-named groups of a campaign's executions together. */
export type AnalysedGroup = { key: string; groupIds: string[]; name: string; kind: GroupKind; plannedShare: number | null; sums: GroupSums; funnel: FunnelDay[] };

/** The one execution group behind an analysed group, or null when it pools several. */
function singleGroupId(group: AnalysedGroup): string | null {
  return group.groupIds.length === 1 ? group.groupIds[0] : null;
}

export type AnalysisInput = {
  scope: Analysis['scope'];
  now: Date;
  /** The earliest send time and the latest window end over the executions. */
  from: Date;
  to: Date;
  /** Every execution's action duration has ended. */
  closed: boolean;
  actionDurationDays: number;
  actionDurationSource: 'plan' | 'default';
  abTestKpi: string | null;
  /** The groups measured: the variants SmartFocus scheduled and the control groups of their executions. */
  groups: AnalysedGroup[];
  /** The variants SmartFocus did not schedule, left out of every figure. */
  notSent: NotSentVariant[];
  programme: ProgrammeView;
};

/** The window of one execution: the send time to the end of the action duration, up to now while it runs. */
export function executionWindow(sendAt: Date, actionDurationDays: number, now: Date): { preFrom: Date; from: Date; end: Date; to: Date; closed: boolean } {
  const end = new Date(sendAt.getTime() + actionDurationDays * DAY_MS);
  const to = now < end ? (now > sendAt ? now : sendAt) : end;
  return { preFrom: new Date(sendAt.getTime() - actionDurationDays * DAY_MS), from: sendAt, end, to, closed: now >= end };
}

function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** The e-mail funnel of one group per snapshot day, summed over executions for a campaign. */
export function funnel(rows: readonly SnapshotRow[]): FunnelDay[] {
  const byDay = new Map<number, FunnelDay>();
  for (const row of rows) {
    const day = byDay.get(row.day) ?? { day: row.day, fetchedAt: null, sent: 0, delivered: 0, opens: 0, clicks: 0, unsubscribes: 0, bounces: 0, rates: { delivery: null, open: null, click: null, unsubscribe: null, bounce: null } };
    day.sent += row.sent;
    day.delivered += row.delivered;
    day.opens += row.opens;
    day.clicks += row.clicks;
    day.unsubscribes += row.unsubscribes;
    day.bounces += row.bounces;
    const fetched = row.fetchedAt.toISOString();
    if (day.fetchedAt === null || fetched > day.fetchedAt) day.fetchedAt = fetched;
    byDay.set(row.day, day);
  }
  return [...byDay.values()]
    .sort((a, b) => a.day - b.day)
    .map((day) => ({
      ...day,
      rates: {
        delivery: rate(day.delivered, day.sent),
        open: rate(day.opens, day.delivered),
        click: rate(day.clicks, day.delivered),
        unsubscribe: rate(day.unsubscribes, day.delivered),
        bounce: rate(day.bounces, day.sent),
      },
    }));
}

export function revenueOf(sums: GroupSums): GroupRevenue {
  return { total: sums.total, perCustomer: sums.n > 0 ? sums.sumY / sums.n : 0, purchasers: sums.purchasers, purchaseRate: sums.n > 0 ? sums.purchasers / sums.n : 0 };
}

function outcome(sums: GroupSums): SampleSummary {
  return summaryFromSums({ n: sums.n, sum: sums.sumY, sumOfSquares: sums.sumY2, sumOfCubes: sums.sumY3 });
}

function preVariance(sums: GroupSums): number {
  return sums.n > 0 ? summaryFromSums({ n: sums.n, sum: sums.sumX, sumOfSquares: sums.sumX2 }).variance / sums.n : 0;
}

function metric(comparison: Comparison, kind: FigureKind, method: string): MetricComparison {
  const ok = comparison.status === 'ok';
  return {
    kind,
    method,
    status: comparison.status,
    treatment: comparison.treatment,
    control: comparison.control,
    difference: comparison.difference,
    relative: comparison.relative,
    ciLow: ok ? comparison.ciLow : null,
    ciHigh: ok ? comparison.ciHigh : null,
    pValue: ok ? comparison.pValue : null,
    significant: ok && comparison.pValue < ALPHA,
    reason: ok ? null : comparison.reason,
  };
}

const METHODS = {
  revenue: { fixed_horizon: "Welch's t-test (withheld when too skewed)", sequential: 'mixture SPRT (always valid)' },
  rate: { fixed_horizon: 'two-proportion z-test', sequential: 'mixture SPRT (always valid)' },
} as const;

function revenueComparison(t: GroupSums, c: GroupSums, kind: FigureKind): MetricComparison {
  const comparison = kind === 'fixed_horizon' ? skewGuardedWelchTest(outcome(t), outcome(c), ALPHA) : sequentialMeanTest(outcome(t), outcome(c), preVariance(t) + preVariance(c), ALPHA);
  return metric(comparison, kind, METHODS.revenue[kind]);
}

function rateComparison(t: Proportion, c: Proportion, kind: FigureKind, mixtureVariance: number | null): MetricComparison {
  const comparison = kind === 'fixed_horizon' ? twoProportionTest(t, c, ALPHA) : sequentialProportionTest(t, c, mixtureVariance, ALPHA);
  return metric(comparison, kind, METHODS.rate[kind]);
}

function purchaseRateComparison(t: GroupSums, c: GroupSums, kind: FigureKind): MetricComparison {
  const prePooled = t.n + c.n > 0 ? (t.prePurchasers + c.prePurchasers) / (t.n + c.n) : 0;
  const w = t.n > 0 && c.n > 0 ? prePooled * (1 - prePooled) * (1 / t.n + 1 / c.n) : null;
  return rateComparison({ successes: t.purchasers, trials: t.n }, { successes: c.purchasers, trials: c.n }, kind, w);
}

function cupedComparison(t: GroupSums, c: GroupSums, kind: FigureKind): VariantComparison['cupedRevenuePerCustomer'] {
  const sums = (g: GroupSums) => ({ n: g.n, sumY: g.sumY, sumY2: g.sumY2, sumX: g.sumX, sumX2: g.sumX2, sumXY: g.sumXY, sumY3: g.sumY3, sumX3: g.sumX3, sumX2Y: g.sumX2Y, sumXY2: g.sumXY2 });
  const result = cupedTest(sums(t), sums(c), ALPHA);
  if (kind === 'fixed_horizon') return { ...metric(result.comparison, kind, `CUPED + ${METHODS.revenue.fixed_horizon}`), theta: result.theta, varianceReduction: result.varianceReduction };
  const w = (preVariance(t) + preVariance(c)) * Math.max(0, 1 - result.varianceReduction);
  const sequential = sequentialMeanTest(result.treatment, result.control, w > 0 ? w : null, ALPHA);
  return { ...metric(sequential, kind, `CUPED + ${METHODS.revenue.sequential}`), theta: result.theta, varianceReduction: result.varianceReduction };
}

function sampleRatio(groups: readonly AnalysedGroup[]): SampleRatio {
  const observed = Object.fromEntries(groups.map((group) => [group.key, group.sums.n]));
  const unchecked = (reason: string): SampleRatio => ({ checked: false, reason, observed, expected: null, chiSquare: null, pValue: null, mismatch: false });
  if (groups.length < 2) return unchecked('fewer than two groups');
  if (groups.some((group) => group.plannedShare === null)) return unchecked('the plan gave no planned share for every group (lists.generated.v1 group.plannedShare)');
  const check = sampleRatioCheck(groups.map((group) => group.sums.n), groups.map((group) => group.plannedShare ?? 0));
  if (!check) return unchecked('no members');
  return {
    checked: true,
    reason: null,
    observed,
    expected: Object.fromEntries(groups.map((group, i) => [group.key, check.expected[i]])),
    chiSquare: Number.isFinite(check.chiSquare) ? check.chiSquare : null,
    pValue: check.pValue,
    mismatch: check.mismatch,
  };
}

/**
 * The latest snapshot day every variant has, or null. Opens and clicks add up over the days, so a
 * variant's day-1 figures are no match for another's day 0: the rates compare on one day.
 */
function commonSnapshotDay(variants: readonly AnalysedGroup[]): number | null {
  const days = variants[0].funnel.map((funnelDay) => funnelDay.day).filter((day) => variants.every((variant) => variant.funnel.some((funnelDay) => funnelDay.day === day)));
  return days.length > 0 ? Math.max(...days) : null;
}

/** A variant's opens or clicks over delivered on `day` (0 of 0 when it has no snapshot that day). */
function snapshotRate(kpi: 'click_rate' | 'open_rate', group: AnalysedGroup, day: number | null): Proportion {
  const snapshot = group.funnel.find((funnelDay) => funnelDay.day === day);
  return { successes: snapshot ? (kpi === 'click_rate' ? snapshot.clicks : snapshot.opens) : 0, trials: snapshot?.delivered ?? 0 };
}

function kpiComparison(kpi: AbTestKpi, a: AnalysedGroup, b: AnalysedGroup, kind: FigureKind, day: number | null): MetricComparison {
  switch (kpi) {
    case 'revenue_per_customer':
      return revenueComparison(a.sums, b.sums, kind);
    case 'purchase_rate':
      return purchaseRateComparison(a.sums, b.sums, kind);
    case 'click_rate':
    case 'open_rate':
      return rateComparison(snapshotRate(kpi, a, day), snapshotRate(kpi, b, day), kind, null);
  }
}

function kpiValue(kpi: AbTestKpi, group: AnalysedGroup, day: number | null): number {
  switch (kpi) {
    case 'revenue_per_customer':
      return revenueOf(group.sums).perCustomer;
    case 'purchase_rate':
      return revenueOf(group.sums).purchaseRate;
    case 'click_rate':
    case 'open_rate': {
      const { successes, trials } = snapshotRate(kpi, group, day);
      return trials > 0 ? successes / trials : 0;
    }
  }
}

/**
 * The A/B verdict: the best variant wins only if it beats every other with Holm-adjusted p < 0.05.
 * Open and click rates compare on the latest snapshot day every variant has; with none, no verdict.
 */
function abTest(variants: readonly AnalysedGroup[], planKpi: string | null, kind: FigureKind): AbTestVerdict | null {
  if (variants.length < 2) return null;
  const fromPlan = planKpi !== null && (AB_TEST_KPIS as readonly string[]).includes(planKpi);
  const kpi: AbTestKpi = fromPlan ? (planKpi as AbTestKpi) : 'revenue_per_customer';
  const onSnapshots = kpi === 'click_rate' || kpi === 'open_rate';
  const day = onSnapshots ? commonSnapshotDay(variants) : null;
  const verdictOf = { kpi, kpiSource: fromPlan ? ('plan' as const) : ('default' as const), kind, snapshotDay: day };
  if (onSnapshots && day === null) {
    const days = variants.map(({ name, funnel: stored }) => `${name}: ${stored.length === 0 ? 'none' : `${stored.length === 1 ? 'day' : 'days'} ${stored.map((funnelDay) => funnelDay.day).join(', ')}`}`);
    return { ...verdictOf, winner: null, verdict: `no verdict on ${kpi}: no snapshot day that every variant has yet (${days.join('; ')})`, comparisons: [] };
  }
  const best = [...variants].sort((a, b) => kpiValue(kpi, b, day) - kpiValue(kpi, a, day))[0];
  const others = variants.filter((variant) => variant !== best);
  const tests = others.map((other) => kpiComparison(kpi, best, other, kind, day));
  const adjusted = tests.every((test) => test.pValue !== null) ? holmAdjust(tests.map((test) => test.pValue!)) : null;
  const wins = adjusted !== null && adjusted.every((p) => p < ALPHA) && tests.every((test) => test.difference > 0);
  const compared = onSnapshots ? ` at snapshot day ${day}, the latest every variant has` : '';
  return {
    ...verdictOf,
    winner: wins ? best.key : null,
    verdict: wins ? `${best.name} wins on ${kpi}${compared} (Holm-adjusted p < 0.05 against every other variant)` : `no winner yet${onSnapshots ? ` (${kpi}${compared})` : ''}`,
    comparisons: others.map((other, i) => ({ key: best.key, againstKey: other.key, difference: tests[i].difference, pValue: tests[i].pValue, adjustedPValue: adjusted ? adjusted[i] : null })),
  };
}

/** Why each variant was not sent, in a few words: `B failed at post-campaign (BUDGET_SPENT)`. */
function notSentReasons(notSent: readonly NotSentVariant[]): string {
  const reasons = notSent.map((variant) => (variant.failure ? `${variant.name} failed at ${variant.failure.step} (${variant.failure.errorCode})` : `${variant.name} not scheduled by SmartFocus (yet)`));
  return [...new Set(reasons)].join('; ');
}

/** Everything the analysis shows, from the groups' sums and snapshots (pure: unit-tested with hand-computed figures). */
export function buildAnalysis(input: AnalysisInput): Analysis {
  const { closed } = input;
  const kind: FigureKind = closed ? 'fixed_horizon' : 'sequential';
  const groups: AnalysisGroup[] = input.groups.map((group) => ({
    key: group.key,
    groupId: singleGroupId(group),
    groupIds: group.groupIds,
    name: group.name,
    kind: group.kind,
    size: group.sums.n,
    plannedShare: group.plannedShare,
    funnel: group.funnel,
    revenue: revenueOf(group.sums),
  }));
  const control = input.groups.find((group) => group.kind === 'control' && group.sums.n > 0);
  const variants = input.groups.filter((group) => group.kind === 'variant');
  const base = {
    scope: input.scope,
    window: { from: input.from.toISOString(), to: (input.now < input.from ? input.from : input.to).toISOString(), actionDurationDays: input.actionDurationDays, actionDurationSource: input.actionDurationSource, closed },
    figures: kind,
    groups,
    srm: sampleRatio(input.groups),
    notSent: input.notSent,
    programme: input.programme,
  };
  if (variants.length === 0) {
    const why = input.notSent.length > 0 ? ` (${notSentReasons(input.notSent)})` : '';
    return { ...base, state: 'not_sent', message: `No variant was sent: SmartFocus scheduled none of them${why}, so there is nothing to measure against the control group.`, comparisons: [], abTest: null };
  }
  // Said beside whatever else the analysis says: what the figures leave out.
  const leftOut = input.notSent.length > 0 ? ` Not sent, so left out of the figures: ${notSentReasons(input.notSent)}.` : '';
  if (input.now < input.from) {
    return { ...base, state: 'too_early', message: `The send time has not come yet: nothing to measure.${leftOut}`, comparisons: [], abTest: null };
  }
  if (!control) {
    return { ...base, state: 'no_control_group', message: `This campaign was dispatched with no control group: no uplift can be measured.${leftOut}`, comparisons: [], abTest: abTest(variants, input.abTestKpi, kind) };
  }
  if (control.sums.n < 2 || variants.every((variant) => variant.sums.n < 2)) {
    return { ...base, state: 'not_enough_data', message: `The control group or every variant has fewer than 2 members.${leftOut}`, comparisons: [], abTest: null };
  }
  const comparisons = variants.map((variant): VariantComparison => {
    const revenue = revenueComparison(variant.sums, control.sums, kind);
    const controlSd = Math.sqrt(outcome(control.sums).variance);
    const controlRate = revenueOf(control.sums).purchaseRate;
    const sizes = { treatmentSize: variant.sums.n, controlSize: control.sums.n };
    return {
      key: variant.key,
      groupId: singleGroupId(variant),
      name: variant.name,
      revenuePerCustomer: revenue,
      purchaseRate: purchaseRateComparison(variant.sums, control.sums, kind),
      cupedRevenuePerCustomer: cupedComparison(variant.sums, control.sums, kind),
      incrementalRevenue: {
        value: revenue.difference * variant.sums.n,
        ciLow: revenue.ciLow === null ? null : revenue.ciLow * variant.sums.n,
        ciHigh: revenue.ciHigh === null ? null : revenue.ciHigh * variant.sums.n,
      },
      minimumDetectableEffect: { revenuePerCustomer: minimumDetectableEffect(controlSd, sizes), purchaseRate: minimumDetectableRateDifference(controlRate, sizes) },
    };
  });
  const withheld = comparisons.every((comparison) => comparison.revenuePerCustomer.status !== 'ok' && comparison.purchaseRate.status !== 'ok');
  return {
    ...base,
    state: withheld ? 'not_enough_data' : 'ok',
    message:
      (withheld
        ? 'Too few purchasers (or none) for a trustworthy verdict yet; the groups and their figures are shown.'
        : kind === 'sequential'
          ? 'The action duration is running: p-values and intervals are always-valid (sequential); the fixed-horizon figures come when it closes.'
          : 'The action duration has closed: fixed-horizon figures.') + leftOut,
    comparisons,
    abTest: abTest(variants, input.abTestKpi, kind),
  };
}

/** Contacted customers against the global control group: revenue per customer and purchase rate. */
export function programmeComparison(contacted: GroupSums, globalControl: GroupSums, kind: FigureKind): { revenuePerCustomer: MetricComparison; purchaseRate: MetricComparison } {
  return { revenuePerCustomer: revenueComparison(contacted, globalControl, kind), purchaseRate: purchaseRateComparison(contacted, globalControl, kind) };
}
