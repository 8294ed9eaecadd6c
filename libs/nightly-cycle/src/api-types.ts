// The apps' HTTP answers the cycle reads. The run report and the analysis are contracts in
// libs/contracts (`@optimove/contracts/http`); the others are the parts the cycle reads (the apps'
// OpenAPI documents at /docs are the full answers; a lib does not import app code).
import type { GroupReport } from '@optimove/contracts/http';

export type { Analysis, ExecutionReport, GroupReport, MetricComparison, NotSentVariant, RunReport } from '@optimove/contracts/http';

export type ImportReport = { id: string; status: string; rows?: { loaded?: number; rejected?: number; inserted?: number; updated?: number } };

export type TemplateMessage = { id: string; name: string };

export type Named = { id: string; name: string; status?: string };

export type Campaign = Named & {
  targetGroupId: string;
  controlShare: number;
  actionDurationDays?: number;
  variants: { name: string; templateMessageId: string; weight: number }[];
};

export type SnapshotFetch = { groupId: string; day: number; dueAt: string; status: 'pending' | 'done' | 'failed'; lastError: string | null };

/** The SmartFocus campaign a scheduled group was posted as (from campaign.scheduled.v1), if any. */
export function smartFocusCampaignOf(group: GroupReport): string | undefined {
  const id = group.dispatch.smartFocusCampaignId;
  return typeof id === 'string' ? id : undefined;
}
