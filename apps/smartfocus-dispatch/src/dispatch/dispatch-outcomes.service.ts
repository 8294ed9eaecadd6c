import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DispatchStep } from '@optimove/contracts';
import { OutboxWriter } from '@optimove/messaging';
import { LOGGER, type Logger } from '@optimove/observability';
import type { Dispatch } from './dispatch-state';
import { DispatchesRepository } from './dispatches.repository';

export type DispatchFailure = { step: DispatchStep; code: string; message: string; smartFocusStatus?: string };

/** The two ends of a group's dispatch, each committed with its event in the outbox. */
@Injectable()
export class DispatchOutcomes {
  constructor(
    private readonly dispatches: DispatchesRepository,
    private readonly outbox: OutboxWriter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Ends the group as failed and publishes `campaign.dispatch-failed.v1`; names what SmartFocus already holds. */
  async fail(manager: EntityManager, dispatch: Dispatch, failure: DispatchFailure, now: Date, claimedBy?: string): Promise<boolean> {
    const message = `${failure.message}${leftovers(dispatch)}`.slice(0, 2_000);
    const updated = await this.dispatches.update(
      manager,
      dispatch.dispatchId,
      {
        state: 'failed',
        failedStep: failure.step,
        lastError: { step: failure.step, code: failure.code, message, smartFocusStatus: failure.smartFocusStatus, at: now.toISOString() },
        claimedBy: null,
        claimedUntil: null,
        nextAttemptAt: null,
      },
      now,
      claimedBy,
    );
    if (!updated) return false;
    await this.outbox.enqueue(
      manager,
      'campaign.dispatch-failed.v1',
      {
        executionId: dispatch.executionId,
        campaignId: dispatch.campaignId,
        groupId: dispatch.groupId,
        step: failure.step,
        errorCode: failure.code.slice(0, 100),
        errorMessage: message,
        attempts: Math.max(1, dispatch.attempts),
      },
      { subject: dispatch.groupId },
    );
    this.logger.error({ ...ids(dispatch), step: failure.step, code: failure.code, attempts: dispatch.attempts, error: message }, 'Group dispatch failed');
    return true;
  }

  /** Marks the group scheduled for `sendAt`, the send date SmartFocus holds for the posted campaign, and publishes `campaign.scheduled.v1`. */
  async scheduled(manager: EntityManager, dispatch: Dispatch, sendAt: Date, now: Date, claimedBy: string): Promise<boolean> {
    const updated = await this.dispatches.update(
      manager,
      dispatch.dispatchId,
      { state: 'scheduled', progress: 'posted', sendAt, lastError: null, failedStep: null, claimedBy: null, claimedUntil: null, nextAttemptAt: null },
      now,
      claimedBy,
    );
    if (!updated) return false;
    await this.outbox.enqueue(
      manager,
      'campaign.scheduled.v1',
      {
        executionId: dispatch.executionId,
        campaignId: dispatch.campaignId,
        groupId: dispatch.groupId,
        smartFocusCampaignId: required(dispatch.smartFocusCampaignId),
        smartFocusMessageId: required(dispatch.smartFocusMessageId),
        smartFocusSegmentId: required(dispatch.smartFocusSegmentId),
        // Metrics anchor their collection and analysis window on it: the real send time.
        scheduledAt: sendAt.toISOString(),
        recipients: dispatch.recipients ?? dispatch.groupSize,
        ...(dispatch.matchedRecipients === null ? {} : { matchedRecipients: dispatch.matchedRecipients }),
      },
      { subject: dispatch.groupId },
    );
    this.logger.info({ ...ids(dispatch), recipients: dispatch.recipients, matchedRecipients: dispatch.matchedRecipients }, 'Group scheduled in SmartFocus');
    return true;
  }
}

export function ids(dispatch: Dispatch): Record<string, string | null> {
  return {
    dispatchId: dispatch.dispatchId,
    executionId: dispatch.executionId,
    groupId: dispatch.groupId,
    smartFocusMessageId: dispatch.smartFocusMessageId,
    smartFocusSegmentId: dispatch.smartFocusSegmentId,
    smartFocusCampaignId: dispatch.smartFocusCampaignId,
  };
}

// What earlier steps made in SmartFocus stays there; the report names it so nobody reuses it by hand.
function leftovers(dispatch: Dispatch): string {
  const made = [
    dispatch.smartFocusMessageId && `message ${dispatch.smartFocusMessageId}`,
    dispatch.smartFocusSegmentId && `segment ${dispatch.smartFocusSegmentId}`,
    dispatch.smartFocusCampaignId && `campaign ${dispatch.smartFocusCampaignId}`,
  ].filter(Boolean);
  return made.length ? ` (left in SmartFocus for a retry to reuse: ${made.join(', ')})` : '';
}

function required(id: string | null): string {
  if (id === null) throw new Error('A scheduled group must have its SmartFocus ids');
  return id;
}
