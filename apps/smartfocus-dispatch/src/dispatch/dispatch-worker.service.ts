import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import { DispatchRunner } from './dispatch-runner.service';
import { DispatchesRepository } from './dispatches.repository';
import { IncompleteListSweep } from './incomplete-list-sweep.service';

/**
 * Runs due groups, up to DISPATCH_CONCURRENCY at once on this replica. Groups are claimed in the
 * database with a lease, so with several replicas each group is worked on by one at a time; a
 * claim is renewed while its run lasts and taken over by another replica when its holder died.
 * Each poll first fails the groups whose list never completed (IncompleteListSweep).
 */
@Injectable()
export class DispatchWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private filling = false;
  private wokenWhileFilling = false;
  private stopping = false;

  constructor(
    private readonly runner: DispatchRunner,
    private readonly dispatches: DispatchesRepository,
    private readonly incompleteLists: IncompleteListSweep,
    @Inject(SmartFocusDispatchConfig) private readonly config: SmartFocusDispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => void this.renewClaims(), Math.max(100, Math.floor(this.config.DISPATCH_CLAIM_LEASE_MS / 3)));
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    // Runs stop at their next step and release their claim.
    await Promise.allSettled(this.inFlight.values());
    clearInterval(this.heartbeat);
  }

  /** Looks for due groups now: called by the poll timer, when a run ends, and when a group's list is complete. */
  wake(): void {
    if (this.stopping) return;
    clearTimeout(this.timer);
    void this.fill().finally(() => {
      if (!this.stopping) this.timer = setTimeout(() => this.wake(), this.config.DISPATCH_POLL_INTERVAL_MS);
    });
  }

  private async fill(): Promise<void> {
    if (this.filling) {
      // Woken while claiming: the claim under way may have looked before the group was ready.
      this.wokenWhileFilling = true;
      return;
    }
    this.filling = true;
    await this.sweepIncompleteLists();
    try {
      do {
        this.wokenWhileFilling = false;
        while (!this.stopping && this.inFlight.size < this.config.DISPATCH_CONCURRENCY) {
          const claimed = await this.dispatches.claim(this.workerId, this.clock.now(), this.config.DISPATCH_CLAIM_LEASE_MS);
          if (!claimed) break;
          this.logger.info({ dispatchId: claimed.dispatchId, executionId: claimed.executionId, groupId: claimed.groupId, progress: claimed.progress, attempt: claimed.attempts }, 'Dispatching group');
          const run = this.runner
            .run(claimed, this.workerId, () => this.stopping)
            .catch((error: unknown) => this.logger.error({ err: error, dispatchId: claimed.dispatchId }, 'Dispatch run ended unexpectedly'))
            .finally(() => {
              this.inFlight.delete(claimed.dispatchId);
              this.wake();
            });
          this.inFlight.set(claimed.dispatchId, run);
        }
      } while (this.wokenWhileFilling && !this.stopping);
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not claim a group; trying again at the next poll');
    } finally {
      this.filling = false;
    }
  }

  private async sweepIncompleteLists(): Promise<void> {
    try {
      const failed = await this.incompleteLists.sweep(this.clock.now());
      if (failed > 0) this.logger.warn({ failed }, 'Groups whose list never completed failed (INCOMPLETE_LIST)');
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not sweep the groups whose list is incomplete; trying again at the next poll');
    }
  }

  private async renewClaims(): Promise<void> {
    for (const dispatchId of this.inFlight.keys()) {
      await this.dispatches.renew(dispatchId, this.workerId, this.clock.now(), this.config.DISPATCH_CLAIM_LEASE_MS).catch(() => false);
    }
  }
}
