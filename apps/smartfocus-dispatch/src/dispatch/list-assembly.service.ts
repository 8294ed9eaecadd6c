import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListsGeneratedV1 } from '@optimove/contracts';
import { LOGGER, type Logger } from '@optimove/observability';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import { DispatchOutcomes } from './dispatch-outcomes.service';
import type { Dispatch } from './dispatch-state';
import { DispatchesRepository } from './dispatches.repository';

/**
 * Takes in the chunks of `lists.generated.v1`. Chunks are stored by (execution, group, index), so
 * a duplicate or a chunk out of order changes nothing; when a group has all its chunks and their
 * ids add up to its size, its dispatch starts (variants), it is recorded (control) or it fails
 * (empty, inconsistent, late with the `fail` policy).
 */
@Injectable()
export class ListAssemblyService {
  constructor(
    private readonly dispatches: DispatchesRepository,
    private readonly outcomes: DispatchOutcomes,
    @Inject(SmartFocusDispatchConfig) private readonly config: SmartFocusDispatchConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Stores one chunk; true when it completed a group whose dispatch starts now (once the caller's transaction commits). */
  async receive(chunk: ListsGeneratedV1, manager: EntityManager, now: Date): Promise<boolean> {
    const group = chunk.group;
    const dispatch = await this.dispatches.lockOrCreate(
      manager,
      {
        executionId: chunk.executionId,
        campaignId: chunk.campaignId,
        campaignName: chunk.campaignName,
        runDate: chunk.runDate,
        groupId: group.groupId,
        groupKind: group.kind,
        groupName: group.name,
        templateMessageId: group.kind === 'variant' ? (group.templateMessageId ?? null) : null,
        scheduledAt: new Date(chunk.scheduledAt),
        chunkCount: chunk.chunkCount,
        groupSize: chunk.groupSize,
      },
      randomUUID(),
      now,
    );
    const log = { executionId: chunk.executionId, groupId: group.groupId, chunkIndex: chunk.chunkIndex, chunkCount: chunk.chunkCount };
    if (dispatch.state !== 'receiving') {
      this.logger.debug(log, 'Chunk of a group already assembled; ignored');
      return false;
    }
    if (chunk.chunkCount !== dispatch.chunkCount || chunk.groupSize !== dispatch.groupSize || chunk.chunkIndex >= dispatch.chunkCount) {
      await this.inconsistent(
        manager,
        dispatch,
        `Chunk ${chunk.chunkIndex} says ${chunk.chunkCount} chunks and ${chunk.groupSize} customers; the group's first chunk said ${dispatch.chunkCount} and ${dispatch.groupSize}`,
        now,
      );
      return false;
    }
    // A group told apart by its chunks (control in one, variant in another; another template, send
    // time or campaign) or a chunk index with two lists is no list at all: sending either could
    // mail a control customer or the wrong members.
    const otherGroup = groupDisagreement(chunk, dispatch);
    if (otherGroup) {
      await this.inconsistent(manager, dispatch, `Chunk ${chunk.chunkIndex} says ${otherGroup}`, now);
      return false;
    }
    if (!(await this.dispatches.storeChunk(manager, chunk.executionId, group.groupId, chunk.chunkIndex, chunk.customerIds, now))) {
      await this.inconsistent(manager, dispatch, `Chunk ${chunk.chunkIndex} came twice with different customer ids`, now);
      return false;
    }
    const totals = await this.dispatches.chunkTotals(manager, chunk.executionId, group.groupId);
    if (totals.chunks < dispatch.chunkCount) {
      this.logger.debug({ ...log, received: totals.chunks }, 'Chunk stored');
      return false;
    }
    if (totals.ids !== dispatch.groupSize) {
      await this.outcomes.fail(
        manager,
        dispatch,
        { step: 'assemble-list', code: 'GROUP_SIZE_MISMATCH', message: `The ${dispatch.chunkCount} chunks hold ${totals.ids} customer ids; groupSize says ${dispatch.groupSize}` },
        now,
      );
      return false;
    }
    if (dispatch.groupKind === 'control') {
      await this.dispatches.update(manager, dispatch.dispatchId, { state: 'control', progress: 'assembled', recipients: totals.ids }, now);
      this.logger.info({ ...log, groupSize: totals.ids }, 'Control group recorded; it is never sent');
      return false;
    }
    if (totals.ids === 0) {
      // A SmartFocus segment without criteria selects every member: an empty group is never sent.
      await this.outcomes.fail(manager, dispatch, { step: 'assemble-list', code: 'EMPTY_GROUP', message: 'The group holds no customer ids; nothing is sent' }, now);
      return false;
    }
    const late = dispatch.scheduledAt.getTime() <= now.getTime();
    if (late && this.config.DISPATCH_LATE_LIST_POLICY === 'fail') {
      await this.outcomes.fail(
        manager,
        dispatch,
        { step: 'assemble-list', code: 'LATE', message: `The list was complete at ${now.toISOString()}, after its send time ${dispatch.scheduledAt.toISOString()}` },
        now,
      );
      return false;
    }
    if (late) this.logger.warn({ ...log, scheduledAt: dispatch.scheduledAt.toISOString() }, 'List complete after its send time; sending now');
    await this.dispatches.update(
      manager,
      dispatch.dispatchId,
      { state: 'dispatching', progress: 'assembled', recipients: totals.ids, sendAt: late ? now : dispatch.scheduledAt, late, nextAttemptAt: now },
      now,
    );
    this.logger.info({ ...log, groupSize: totals.ids }, 'Group complete; dispatch starts');
    return true;
  }

  private async inconsistent(manager: EntityManager, dispatch: Dispatch, message: string, now: Date): Promise<void> {
    await this.outcomes.fail(manager, dispatch, { step: 'assemble-list', code: 'INCONSISTENT_CHUNKS', message }, now);
  }
}

/** What a chunk says about its group that the group's first chunk did not, if anything. */
function groupDisagreement(chunk: ListsGeneratedV1, dispatch: Dispatch): string | undefined {
  // Ids compared as the database holds them (uuid, bigint): `0123` is message 123, case is no difference.
  const templateMessageId = chunk.group.kind === 'variant' && chunk.group.templateMessageId !== undefined ? BigInt(chunk.group.templateMessageId).toString() : null;
  if (chunk.group.kind !== dispatch.groupKind) return `the group is a ${chunk.group.kind}; the group's first chunk said ${dispatch.groupKind}`;
  if (templateMessageId !== dispatch.templateMessageId) return `template message ${templateMessageId}; the group's first chunk said ${dispatch.templateMessageId}`;
  if (new Date(chunk.scheduledAt).getTime() !== dispatch.scheduledAt.getTime()) return `send time ${chunk.scheduledAt}; the group's first chunk said ${dispatch.scheduledAt.toISOString()}`;
  if (chunk.campaignId.toLowerCase() !== dispatch.campaignId) return `campaign ${chunk.campaignId}; the group's first chunk said ${dispatch.campaignId}`;
  return undefined;
}
