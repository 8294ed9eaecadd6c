/** segmentation's run report (GET /runs/{runDate}, GET /runs): the contract's types, erased from the bundle. */
export type { ExecutionReport, GroupReport, RunReport, RunSummary } from '@optimove/contracts/http';

/** segmentation's dry run (POST /runs/preview). */
export type DryRunExecution = {
  executionId: string;
  campaignId: string;
  campaignName: string;
  targeted: number;
  excluded: Record<string, number>;
  groups: { groupId: string; kind: 'control' | 'variant'; name: string; size: number; plannedShare: number }[];
  difference?: { lastRunDate: string | null; new: number; dropped: number; unchanged: number };
};
export type DryRun = { runDate: string; status: string; heldReason?: string; executions: DryRunExecution[]; error?: string };

/** smartfocus-dispatch's view of one group's dispatch (GET /dispatches). */
export type Dispatch = {
  dispatchId: string;
  executionId: string;
  groupId: string;
  groupName: string;
  groupKind: 'variant' | 'control';
  state: 'receiving' | 'dispatching' | 'scheduled' | 'failed' | 'control';
  groupSize: number;
  recipients: number | null;
  matchedRecipients: number | null;
  smartFocusCampaignId: string | null;
  warnings: string[];
  attempts: number;
  lastError: { step: string; code: string; message: string } | null;
};

export const EXCLUSION_LABELS: Record<string, string> = {
  global_control: 'Global control group',
  action_duration: 'In another campaign’s action duration',
  taken_by_priority: 'Taken by a higher-priority campaign',
};
