// segmentation's nightly run report (GET /runs/{runDate}; GET /runs lists the runs without
// `executions` and `model`): an HTTP contract, read by the console. Types only, importing
// nothing with decorators, so the console's browser app can import them.
import type { GroupKind } from '../group-vocabulary';

export type GroupReport = {
  groupId: string;
  kind: GroupKind;
  name: string;
  templateMessageId: string | null;
  plannedShare: number;
  size: number;
  chunkCount: number;
  /**
   * From campaign.scheduled.v1 / campaign.dispatch-failed.v1: pending until one arrives. A control
   * group is `held_out`: it is never dispatched, so no such event comes for it.
   */
  dispatch: { status: 'pending' | 'scheduled' | 'failed' | 'held_out'; updatedAt: string | null } & Record<string, unknown>;
};

export type ExecutionReport = {
  executionId: string;
  campaignId: string;
  campaignName: string;
  priority: number;
  scheduledAt: string;
  modelDate: string;
  targeted: number;
  assigned: number;
  control: number;
  excluded: Record<string, number>;
  timings: Record<string, number>;
  publishedAt: string;
  groups: GroupReport[];
};

export type RunReport = {
  runDate: string;
  modelDate: string;
  status: string;
  trigger: string;
  heldReason: string | null;
  releasedAt: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  model: unknown;
  executions: ExecutionReport[];
};

/** One line of GET /runs. */
export type RunSummary = Omit<RunReport, 'executions' | 'model'>;
