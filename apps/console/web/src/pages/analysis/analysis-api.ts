/**
 * metrics-collector's campaign analysis (GET /executions/{id}/analysis, /campaigns/{id}/analysis).
 * Only what the page reads; every part is optional where the service may leave it out.
 */
export type Estimate = {
  treatment: number;
  control: number;
  difference: number;
  relative: number | null;
  ciLow: number;
  ciHigh: number;
  pValue: number | null;
  /** fixed-horizon (final) or sequential (always-valid, while the window runs). */
  kind?: string;
};

export type FunnelDay = {
  day: number;
  date?: string;
  sent?: number;
  delivered?: number;
  opens?: number;
  uniqueOpens?: number;
  clicks?: number;
  uniqueClicks?: number;
  unsubscribes?: number;
  bounces?: number;
};

export type AnalysisGroup = {
  groupId: string;
  name: string;
  kind: 'variant' | 'control';
  size: number;
  funnel?: FunnelDay[] | { days?: FunnelDay[] };
  days?: FunnelDay[];
  revenue?: { total: number | string; perCustomer: number; purchasers: number; purchaseRate: number };
};

export type Comparison = {
  groupId: string;
  revenuePerCustomer?: Estimate;
  purchaseRate?: Estimate;
  incrementalRevenue?: number | string | null;
  minimumDetectableEffect?: number | Record<string, number> | null;
  cuped?: Estimate | { revenuePerCustomer?: Estimate };
};

export type Analysis = {
  state: 'ok' | 'too_early' | 'no_control_group' | 'not_enough_data';
  window?: { from: string; to: string; closed?: boolean };
  final?: boolean;
  groups: AnalysisGroup[];
  comparisons?: Comparison[];
  srm?: { chiSquare?: number; pValue: number | null; flagged: boolean };
  abTest?: { kpi: string; winner: string | null; verdict?: string } | null;
  verdict?: string;
  campaignName?: string;
};
