/**
 * metrics-collector's campaign analysis (GET /executions/{id}/analysis, /campaigns/{id}/analysis;
 * `?format=csv` for the CSV): the parts the page reads.
 */
export type FigureKind = 'sequential' | 'fixed_horizon';

export type FunnelDay = {
  /** 0 = once the send ended, then 1..N. */
  day: number;
  fetchedAt?: string | null;
  sent: number;
  delivered: number;
  opens: number;
  clicks: number;
  unsubscribes: number;
  bounces: number;
};

export type GroupRevenue = { total: string; perCustomer: number; purchasers: number; purchaseRate: number };

export type AnalysisGroup = {
  /** What comparisons, `abTest.winner` and `srm` refer to: the group id, or for a campaign `<kind>:<name>` (its executions' same-named groups pooled). */
  key: string;
  /** The execution's group id; null for a campaign's group pooled over several executions. */
  groupId: string | null;
  /** The execution groups pooled into this one. */
  groupIds: string[];
  name: string;
  kind: 'variant' | 'control';
  size: number;
  plannedShare: number | null;
  funnel: FunnelDay[];
  revenue: GroupRevenue;
};

/** One metric of one comparison; the numbers mean something only when `status` is `ok`. */
export type Estimate = {
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
};

export type Comparison = {
  /** The variant's `key`. */
  key: string;
  name: string;
  revenuePerCustomer: Estimate;
  purchaseRate: Estimate;
  cupedRevenuePerCustomer?: Estimate & { varianceReduction: number };
  incrementalRevenue: { value: number; ciLow: number | null; ciHigh: number | null };
  minimumDetectableEffect: { revenuePerCustomer: number | null; purchaseRate: number | null };
};

export type Analysis = {
  scope: { executionId: string | null; campaignId: string; campaignName: string; executions: number };
  state: 'ok' | 'too_early' | 'no_control_group' | 'not_enough_data';
  message: string;
  window: { from: string; to: string; actionDurationDays: number; closed: boolean };
  figures: FigureKind;
  groups: AnalysisGroup[];
  comparisons: Comparison[];
  srm: { checked: boolean; reason: string | null; chiSquare: number | null; pValue: number | null; mismatch: boolean };
  /** `winner`: the winning group's `key`. */
  abTest: { kpi: string; winner: string | null; verdict: string } | null;
  programme?: {
    available: boolean;
    reason: string | null;
    contacted: { size: number; revenue: GroupRevenue } | null;
    globalControl: { size: number; revenue: GroupRevenue } | null;
    revenuePerCustomer: Estimate | null;
  };
};
