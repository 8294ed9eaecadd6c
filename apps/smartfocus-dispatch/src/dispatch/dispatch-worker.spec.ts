import { SystemClock } from '@optimove/clock';
import { createLogger } from '@optimove/observability';
import type { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import type { DispatchRunner } from './dispatch-runner.service';
import { DispatchWorker } from './dispatch-worker.service';
import type { Dispatch } from './dispatch-state';
import type { DispatchesRepository } from './dispatches.repository';
import type { IncompleteListSweep } from './incomplete-list-sweep.service';

describe(DispatchWorker.name, () => {
  it('should claim again when woken during a claim that found nothing, not wait for the next poll', async () => {
    const group = { dispatchId: 'd1', executionId: 'e1', groupId: 'g1', progress: 'assembled', attempts: 0 } as Dispatch;
    let ready = false;
    let firstClaimStarted!: () => void;
    let answerFirstClaim!: () => void;
    const started = new Promise<void>((resolve) => (firstClaimStarted = resolve));
    const claim = jest.fn(async (): Promise<Dispatch | undefined> => {
      if (claim.mock.calls.length === 1) {
        // The first claim looks before the group is ready and answers only after the wake.
        firstClaimStarted();
        await new Promise<void>((resolve) => (answerFirstClaim = resolve));
        return undefined;
      }
      if (!ready) return undefined;
      ready = false;
      return group;
    });
    const ran: string[] = [];
    const runner = { run: (claimed: Dispatch) => Promise.resolve(void ran.push(claimed.dispatchId)) } as unknown as DispatchRunner;
    // A poll every hour: only the wake can find the group within the test.
    const config = { DISPATCH_CONCURRENCY: 2, DISPATCH_POLL_INTERVAL_MS: 3_600_000, DISPATCH_CLAIM_LEASE_MS: 60_000 } as SmartFocusDispatchConfig;
    const dispatches = { claim, renew: jest.fn() } as unknown as DispatchesRepository;
    const sweep = { sweep: () => Promise.resolve(0) } as unknown as IncompleteListSweep;
    const worker = new DispatchWorker(runner, dispatches, sweep, config, new SystemClock(), createLogger({ service: 'dispatch-worker-test', level: 'silent' }));

    worker.onApplicationBootstrap();
    await started;
    ready = true; // the group's last chunk committed
    worker.wake(); // and woke the worker while its first claim was under way
    answerFirstClaim();

    for (let waited = 0; ran.length === 0 && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await worker.beforeApplicationShutdown();
    expect(ran).toEqual(['d1']);
  });

  it('should still claim due groups when the sweep of incomplete lists fails', async () => {
    const group = { dispatchId: 'd2', executionId: 'e2', groupId: 'g2', progress: 'assembled', attempts: 0 } as Dispatch;
    const claim = jest.fn().mockResolvedValueOnce(group).mockResolvedValue(undefined);
    const ran: string[] = [];
    const runner = { run: (claimed: Dispatch) => Promise.resolve(void ran.push(claimed.dispatchId)) } as unknown as DispatchRunner;
    const config = { DISPATCH_CONCURRENCY: 2, DISPATCH_POLL_INTERVAL_MS: 3_600_000, DISPATCH_CLAIM_LEASE_MS: 60_000 } as SmartFocusDispatchConfig;
    const dispatches = { claim, renew: jest.fn() } as unknown as DispatchesRepository;
    const sweep = { sweep: jest.fn().mockRejectedValue(new Error('database restarting')) };
    const worker = new DispatchWorker(runner, dispatches, sweep as unknown as IncompleteListSweep, config, new SystemClock(), createLogger({ service: 'dispatch-worker-test', level: 'silent' }));

    worker.onApplicationBootstrap();
    for (let waited = 0; ran.length === 0 && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await worker.beforeApplicationShutdown();

    expect(sweep.sweep).toHaveBeenCalled();
    expect(ran).toEqual(['d2']);
  });
});
