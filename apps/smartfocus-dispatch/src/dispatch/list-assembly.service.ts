import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListsGeneratedV1 } from '@optimove/contracts';
import { LOGGER, type Logger } from '@optimove/observability';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import { DispatchOutcomes } from './dispatch-outcomes.service';
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
      await this.outcomes.fail(
        manager,
        dispatch,
        {
          step: 'assemble-list',
          code: 'INCONSISTENT_CHUNKS',
          message: `Chunk ${chunk.chunkIndex} says ${chunk.chunkCount} chunks and ${chunk.groupSize} customers; the group's first chunk said ${dispatch.chunkCount} and ${dispatch.groupSize}`,
        },
        now,
      );
      return false;
    }
    await this.dispatches.storeChunk(manager, chunk.executionId, group.groupId, chunk.chunkIndex, chunk.customerIds, now);
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
}
