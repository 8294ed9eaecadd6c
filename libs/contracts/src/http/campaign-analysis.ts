// The campaign analysis as metrics-collector answers it (GET /executions/{id}/analysis,
// GET /campaigns/{id}/analysis): an HTTP contract, read by the console. Types only, importing
// nothing with decorators, so the console's browser app can import them (`@optimove/contracts/http`)
// without pulling server code into its bundle.
import type { AbTestKpi, GroupKind } from '../group-vocabulary';

/**
 * Why an analysis has figures or not; never a number that means nothing. `not_sent`: SmartFocus
 * scheduled none of the variants (see `notSent`), so there is nothing to measure against control.
 */
export type AnalysisState = 'ok' | 'too_early' | 'no_control_group' | 'not_enough_data' | 'not_sent';

/** `sequential` while the action duration runs (valid at every daily look); `fixed_horizon` once it has closed. */
export type FigureKind = 'sequential' | 'fixed_horizon';

export type FunnelDay = {
  /** 0 = once the send ended, then 1..N. */
  day: number;
  fetchedAt: string | null;
  sent: number;
  delivered: number;
  opens: number;
  clicks: number;
  unsubscribes: number;
  bounces: number;
  rates: { delivery: number | null; open: number | null; click: number | null; unsubscribe: number | null; bounce: number | null };
};

export type GroupRevenue = {
  /** Sum of the members' net amounts in the window, a decimal string (numeric, never a float sum). */
  total: string;
  perCustomer: number;
  purchasers: number;
  purchaseRate: number;
};

export type AnalysisGroup = {
  /**
   * The group's name in this analysis, which comparisons, `srm` and `abTest` refer to: an
   * execution's group id, or for a campaign `<kind>:<name>` (`variant:A`, `control:control`), the
   * same-named groups of its executions pooled.
   */
  key: string;
  /** The execution's group id; for a campaign, the one pooled group id when only one execution has it, else null. */
  groupId: string | null;
  /** Every execution group pooled into this one (one id for an execution). */
  groupIds: string[];
  name: string;
  kind: GroupKind;
  size: number;
  plannedShare: number | null;
  funnel: FunnelDay[];
  revenue: GroupRevenue;
};

/** One metric of one comparison; the numbers are absent unless `status` is `ok`. */
export type MetricComparison = {
  kind: FigureKind;
  method: string;
  status: 'ok' | 'too_small' | 'no_variation' | 'too_skewed';
  treatment: number;
  control: number;
  difference: number;
  relative: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  significant: boolean;
  /** Why there are no figures, in a sentence a person can read; null when `status` is `ok`. */
  reason: string | null;
};

export type VariantComparison = {
  /** The variant's `key` (see AnalysisGroup). */
  key: string;
  groupId: string | null;
  name: string;
  revenuePerCustomer: MetricComparison;
  purchaseRate: MetricComparison;
  /** Revenue per customer adjusted with the same customers' revenue over the same length of time before the send. */
  cupedRevenuePerCustomer: MetricComparison & { theta: number; varianceReduction: number };
  /** Difference in revenue per customer times the variant's size, with its interval. */
  incrementalRevenue: { value: number; ciLow: number | null; ciHigh: number | null };
  /** Smallest true difference the groups detect with 80 % power at 5 % (two-sided). */
  minimumDetectableEffect: { revenuePerCustomer: number | null; purchaseRate: number | null };
};

export type SampleRatio = {
  checked: boolean;
  /** Why it was not checked. */
  reason: string | null;
  /** Observed and expected sizes by group `key`. */
  observed: Record<string, number>;
  expected: Record<string, number> | null;
  chiSquare: number | null;
  pValue: number | null;
  /** p < 0.001: the observed split is not what the plan said; distrust the comparisons. */
  mismatch: boolean;
};

export type AbTestVerdict = {
  kpi: AbTestKpi;
  /** Where the KPI came from: the campaign plan, or the default when the plan named none. */
  kpiSource: 'plan' | 'default';
  kind: FigureKind;
  /**
   * For `open_rate` and `click_rate`: the snapshot day compared, the latest every variant has
   * (opens and clicks add up over the days, so only the same day compares); null when no day is
   * common to every variant (no verdict, `verdict` says why) and for the revenue KPIs.
   */
  snapshotDay: number | null;
  /** The `key` of the best variant, only when it beats every other variant with Holm-adjusted p < 0.05. */
  winner: string | null;
  verdict: string;
  /** The best variant (`key`) against each other (`againstKey`). */
  comparisons: { key: string; againstKey: string; difference: number; pValue: number | null; adjustedPValue: number | null }[];
};

/**
 * A variant SmartFocus did not schedule (no campaign.scheduled.v1): nobody was sent it, so it is
 * left out of the groups, the comparisons, the A/B test and the programme's contacted customers.
 */
export type NotSentVariant = {
  executionId: string;
  groupId: string;
  name: string;
  /** The customers segmentation put in the group (lists.generated.v1 `groupSize`). */
  size: number;
  /** `failed`: campaign.dispatch-failed.v1 came; `not_scheduled`: neither it nor campaign.scheduled.v1 (yet). */
  status: 'failed' | 'not_scheduled';
  /** From campaign.dispatch-failed.v1; null when `not_scheduled`. */
  failure: { step: string; errorCode: string; errorMessage: string; attempts: number } | null;
};

export type ProgrammeView = {
  available: boolean;
  reason: string | null;
  contacted: { size: number; revenue: GroupRevenue } | null;
  globalControl: { size: number; revenue: GroupRevenue } | null;
  revenuePerCustomer: MetricComparison | null;
  purchaseRate: MetricComparison | null;
};

export type Analysis = {
  scope: { executionId: string | null; campaignId: string; campaignName: string; executions: number };
  state: AnalysisState;
  message: string;
  /** When revenue is measured: the send time to the end of the action duration (up to now while it runs). */
  window: { from: string; to: string; actionDurationDays: number; actionDurationSource: 'plan' | 'default'; closed: boolean };
  /** Which kind the verdicts and intervals are. */
  figures: FigureKind;
  /** The groups analysed: the variants SmartFocus scheduled and the control group. */
  groups: AnalysisGroup[];
  /** Variants not sent, in the order of their executions; for a campaign, an execution none of whose variants was sent is left out of every figure. */
  notSent: NotSentVariant[];
  comparisons: VariantComparison[];
  srm: SampleRatio;
  abTest: AbTestVerdict | null;
  programme: ProgrammeView;
};
