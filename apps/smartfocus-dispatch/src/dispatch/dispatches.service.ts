import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import type { ListDispatchesQueryDto } from './dispatch-query.dto';
import type { Dispatch, DispatchError, DispatchProgress, DispatchState } from './dispatch-state';
import { DispatchWorker } from './dispatch-worker.service';
import { DispatchesRepository } from './dispatches.repository';

/** A group's dispatch as the API shows it. */
export type DispatchView = {
  dispatchId: string;
  executionId: string;
  campaignId: string;
  campaignName: string;
  runDate: string;
  groupId: string;
  groupName: string;
  groupKind: 'variant' | 'control';
  state: DispatchState;
  progress: DispatchProgress;
  scheduledAt: string;
  /**
   * The send date given to SmartFocus (the post time when the list came late); once scheduled, the
   * one SmartFocus holds for the posted campaign (the post time when the post came after it).
   */
  sendAt: string | null;
  late: boolean;
  templateMessageId: string | null;
  smartFocusMessageId: string | null;
  smartFocusSegmentId: string | null;
  smartFocusCampaignId: string | null;
  groupSize: number;
  recipients: number | null;
  matchedRecipients: number | null;
  criteria: { done: number; total: number | null };
  /** e.g. the stale SmartFocus member list. */
  warnings: string[];
  attempts: number;
  nextAttemptAt: string | null;
  lastError: DispatchError | null;
  updatedAt: string;
};

@Injectable()
export class DispatchesService {
  constructor(
    private readonly dispatches: DispatchesRepository,
    private readonly worker: DispatchWorker,
    @Inject(SmartFocusDispatchConfig) private readonly config: SmartFocusDispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(query: ListDispatchesQueryDto): Promise<{ total: number; items: DispatchView[] }> {
    const { total, items } = await this.dispatches.list({ executionId: query.executionId, state: query.state, limit: query.limit, offset: query.offset });
    return { total, items: items.map((dispatch) => this.view(dispatch)) };
  }

  async get(dispatchId: string): Promise<DispatchView> {
    const dispatch = await this.dispatches.get(dispatchId);
    if (!dispatch) throw new NotFoundException(`No dispatch ${dispatchId}`);
    return this.view(dispatch);
  }

  /**
   * Starts a failed group again from its last completed step, with a fresh attempt budget; what
   * SmartFocus already holds is found by name and reused. A list that was empty or inconsistent
   * cannot be retried (a corrected list comes as a new execution).
   */
  async retry(dispatchId: string): Promise<DispatchView> {
    const now = this.clock.now();
    const retried = await this.dispatches.transaction(async (manager) => {
      const dispatch = await this.dispatches.lock(manager, dispatchId);
      if (!dispatch) throw new NotFoundException(`No dispatch ${dispatchId}`);
      if (dispatch.state !== 'failed') throw new ConflictException(`Dispatch ${dispatchId} is ${dispatch.state}; only a failed one can be retried`);
      const late = dispatch.lastError?.code === 'LATE';
      if (dispatch.failedStep === 'assemble-list' && !late) {
        throw new ConflictException(`Dispatch ${dispatchId} failed on its list (${dispatch.lastError?.code ?? 'unknown'}); it cannot be retried`);
      }
      await this.dispatches.update(
        manager,
        dispatchId,
        {
          state: 'dispatching',
          attempts: 0,
          failedStep: null,
          nextAttemptAt: now,
          claimedBy: null,
          claimedUntil: null,
          ...(late ? { progress: 'assembled' as const, sendAt: now, late: true, recipients: dispatch.groupSize } : {}),
        },
        now,
      );
      return (await this.dispatches.get(dispatchId, manager)) as Dispatch;
    });
    this.logger.info({ dispatchId, executionId: retried.executionId, groupId: retried.groupId, progress: retried.progress }, 'Failed dispatch retried');
    this.worker.wake();
    return this.view(retried);
  }

  private view(dispatch: Dispatch): DispatchView {
    const warnings: string[] = [];
    if (dispatch.staleMemberList && dispatch.matchedRecipients !== null) {
      warnings.push(
        `SmartFocus member list looks stale: it knows ${dispatch.matchedRecipients} of ${dispatch.recipients ?? dispatch.groupSize} customer ids (minimum ${this.config.DISPATCH_MIN_MATCHED_PERCENT} %)`,
      );
    }
    if (dispatch.late) warnings.push(`The list was complete after its send time ${dispatch.scheduledAt.toISOString()}; sent at once`);
    return {
      dispatchId: dispatch.dispatchId,
      executionId: dispatch.executionId,
      campaignId: dispatch.campaignId,
      campaignName: dispatch.campaignName,
      runDate: dispatch.runDate,
      groupId: dispatch.groupId,
      groupName: dispatch.groupName,
      groupKind: dispatch.groupKind,
      state: dispatch.state,
      progress: dispatch.progress,
      scheduledAt: dispatch.scheduledAt.toISOString(),
      sendAt: dispatch.sendAt?.toISOString() ?? null,
      late: dispatch.late,
      templateMessageId: dispatch.templateMessageId,
      smartFocusMessageId: dispatch.smartFocusMessageId,
      smartFocusSegmentId: dispatch.smartFocusSegmentId,
      smartFocusCampaignId: dispatch.smartFocusCampaignId,
      groupSize: dispatch.groupSize,
      recipients: dispatch.recipients,
      matchedRecipients: dispatch.matchedRecipients,
      criteria: { done: dispatch.criteriaDone, total: dispatch.criteriaTotal },
      warnings,
      attempts: dispatch.attempts,
      nextAttemptAt: dispatch.nextAttemptAt?.toISOString() ?? null,
      lastError: dispatch.lastError,
      updatedAt: dispatch.updatedAt.toISOString(),
    };
  }
}
