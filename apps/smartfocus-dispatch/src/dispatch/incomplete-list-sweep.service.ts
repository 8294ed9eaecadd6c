import { Inject, Injectable } from '@nestjs/common';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import { DispatchOutcomes } from './dispatch-outcomes.service';
import { DispatchesRepository } from './dispatches.repository';

// Groups failed by one sweep at most; the next poll goes on.
const SWEEP_LIMIT = 100;

/**
 * Fails the groups whose chunks never all arrived (a chunk dead-lettered or lost upstream): still
 * receiving DISPATCH_INCOMPLETE_LIST_AFTER_MS after their send time, with no chunk in that time (a
 * late list still arriving is left to complete). Each group is locked and failed in one
 * transaction with its campaign.dispatch-failed.v1 (INCOMPLETE_LIST); a chunk that comes later
 * finds it failed and is ignored, so the group is never sent.
 */
@Injectable()
export class IncompleteListSweep {
  constructor(
    private readonly dispatches: DispatchesRepository,
    private readonly outcomes: DispatchOutcomes,
    @Inject(SmartFocusDispatchConfig) private readonly config: SmartFocusDispatchConfig,
  ) {}

  /** Fails the incomplete groups due at `now`; returns how many. */
  async sweep(now: Date): Promise<number> {
    const waitedMs = this.config.DISPATCH_INCOMPLETE_LIST_AFTER_MS;
    const cutoff = new Date(now.getTime() - waitedMs);
    let failed = 0;
    while (failed < SWEEP_LIMIT) {
      const found = await this.dispatches.transaction(async (manager) => {
        const dispatch = await this.dispatches.lockIncomplete(manager, cutoff);
        if (!dispatch) return false;
        // Counted under the lock: a chunk stored just before it is included.
        const totals = await this.dispatches.chunkTotals(manager, dispatch.executionId, dispatch.groupId);
        const message =
          `Only ${totals.chunks} of ${dispatch.chunkCount} chunks (${totals.ids} of ${dispatch.groupSize} customer ids) had arrived at ${now.toISOString()}, ` +
          `${duration(waitedMs)} after the send time ${dispatch.scheduledAt.toISOString()} and none in that time; the group is not sent`;
        await this.outcomes.fail(manager, dispatch, { step: 'assemble-list', code: 'INCOMPLETE_LIST', message }, now);
        return true;
      });
      if (!found) break;
      failed++;
    }
    return failed;
  }
}

function duration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1_000} s`;
}
