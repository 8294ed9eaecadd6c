// The parts of the apps' HTTP answers the cycle reads (their OpenAPI documents at /docs are the
// full contracts; a lib does not import app code).

export type ImportReport = { id: string; status: string; rows?: { loaded?: number; rejected?: number; inserted?: number; updated?: number } };

export type TemplateMessage = { id: string; name: string };

export type Named = { id: string; name: string; status?: string };

export type Campaign = Named & {
  targetGroupId: string;
  controlShare: number;
  actionDurationDays?: number;
  variants: { name: string; templateMessageId: string; weight: number }[];
};

export type GroupDispatch = { status: 'pending' | 'scheduled' | 'failed'; smartFocusCampaignId?: string; recipients?: number; reason?: string };

export type RunGroup = { groupId: string; kind: 'control' | 'variant'; name: string; plannedShare: number; size: number; dispatch: GroupDispatch };

export type RunExecution = {
  executionId: string;
  campaignId: string;
  campaignName: string;
  scheduledAt: string;
  targeted: number;
  assigned: number;
  control: number;
  excluded: Record<string, number>;
  groups: RunGroup[];
};

export type RunReport = { runDate: string; modelDate: string; status: string; error: string | null; executions: RunExecution[] };

export type SnapshotFetch = { groupId: string; day: number; dueAt: string; status: 'pending' | 'done' | 'failed'; lastError: string | null };

export type MetricFigures = {
  status: string;
  treatment: number;
  control: number;
  difference: number;
  relative: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  significant: boolean;
};

export type FunnelDay = { day: number; sent: number; delivered: number; opens: number; clicks: number; unsubscribes: number; bounces: number; rates: Record<string, number | null> };

export type Analysis = {
  scope: { campaignId: string; campaignName: string; executions: number };
  state: string;
  message: string;
  window: { from: string; to: string; closed: boolean };
  figures: string;
  groups: {
    /** What comparisons, `srm` and `abTest` name the group by: its group id, or for a campaign `<kind>:<name>` (its executions' groups pooled). */
    key: string;
    /** The execution's group id; null for a campaign's group pooled from several executions. */
    groupId: string | null;
    groupIds: string[];
    name: string;
    kind: 'control' | 'variant';
    size: number;
    funnel: FunnelDay[];
    revenue: { total: string; perCustomer: number; purchasers: number; purchaseRate: number };
  }[];
  comparisons: {
    key: string;
    groupId: string | null;
    name: string;
    revenuePerCustomer: MetricFigures;
    purchaseRate: MetricFigures;
    cupedRevenuePerCustomer: MetricFigures;
    incrementalRevenue: { value: number; ciLow: number | null; ciHigh: number | null };
  }[];
  srm: { checked: boolean; reason: string | null; pValue: number | null; mismatch: boolean };
  /** `winner`: the winning variant's `key`. */
  abTest: { kpi: string; winner: string | null; verdict: string } | null;
};
