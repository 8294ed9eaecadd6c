import type { DispatchStep } from '@optimove/contracts';

/** Where a group stands. Wire values (API filter, database): do not rename. */
export const DISPATCH_STATES = ['receiving', 'dispatching', 'scheduled', 'failed', 'control'] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

/** The last step a group's dispatch completed, persisted after each one so a restart resumes after it. */
export type DispatchProgress =
  | 'receiving'
  | 'assembled'
  | 'message-cloned'
  | 'segment-created'
  | 'criteria-added'
  | 'segment-counted'
  | 'campaign-created'
  | 'posted';

/** The step that follows each progress mark; none once posted. */
const NEXT_STEP: Record<DispatchProgress, DispatchStep | undefined> = {
  receiving: 'assemble-list',
  assembled: 'clone-message',
  'message-cloned': 'create-segment',
  'segment-created': 'add-criteria',
  'criteria-added': 'count-segment',
  'segment-counted': 'create-campaign',
  'campaign-created': 'post-campaign',
  posted: undefined,
};

export function nextStep(progress: DispatchProgress): DispatchStep | undefined {
  return NEXT_STEP[progress];
}

/** One group's row (`dispatch.dispatch`), as the service reads it. */
export type Dispatch = {
  dispatchId: string;
  executionId: string;
  campaignId: string;
  campaignName: string;
  runDate: string;
  groupId: string;
  groupKind: 'variant' | 'control';
  groupName: string;
  templateMessageId: string | null;
  scheduledAt: Date;
  chunkCount: number;
  groupSize: number;
  state: DispatchState;
  progress: DispatchProgress;
  sendAt: Date | null;
  late: boolean;
  smartFocusMessageId: string | null;
  smartFocusSegmentId: string | null;
  segmentCreateStarted: boolean;
  smartFocusCampaignId: string | null;
  criteriaDone: number;
  criteriaTotal: number | null;
  /** The SMARTFOCUS_CRITERIA_VALUES_CAP the criteria done were added with. */
  criteriaValuesCap: number | null;
  recipients: number | null;
  matchedRecipients: number | null;
  staleMemberList: boolean;
  attempts: number;
  lastError: DispatchError | null;
  failedStep: DispatchStep | null;
  nextAttemptAt: Date | null;
  claimedBy: string | null;
  claimedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** The last failure of a group: the step, SmartFocus's status (or our code) and a redacted message. */
export type DispatchError = { step: DispatchStep; code: string; message: string; smartFocusStatus?: string; at: string };

/**
 * The deterministic name of every SmartFocus object made for a group (message clone, segment,
 * campaign): a retry or a second replica looks it up instead of making another. Not `optimove_`:
 * clones must never show up as template messages.
 */
export function smartFocusName(dispatch: Pick<Dispatch, 'executionId' | 'groupId'>): string {
  return `dispatch_${dispatch.executionId}_${dispatch.groupId}`;
}
