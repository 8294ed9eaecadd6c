import { startTestService, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { DispatchHarness, customerIds, newExecution } from '../../test/dispatch-harness';

// The worker also polls for due groups (DISPATCH_POLL_INTERVAL_MS), here as rarely as the config
// allows: a group must start as soon as its list is complete, not at the next poll.
describe('SmartFocus dispatch of a group whose list just completed', () => {
  const harness = new DispatchHarness('dispatch_wake');
  let dispatch: RunningTestService;
  let template: string;

  beforeAll(async () => {
    await harness.start();
    template = await harness.seedWelcome(customerIds(50));
    dispatch = await startTestService(serviceEntry(harness.dispatchEnv({ DISPATCH_POLL_INTERVAL_MS: '60000' })));
  }, 180_000);

  afterAll(async () => {
    await dispatch?.close();
    await harness.stop(harness.dispatchQueues());
  }, 60_000);

  it('should start the group once its last chunk is stored, without waiting for the next poll', async () => {
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'A', templateMessageId: template, customerIds: customerIds(50) },
      { kind: 'control', name: 'control', customerIds: customerIds(5, 'K') },
    ]);

    await harness.publish(harness.chunks(execution, 20));

    // A fifth of the poll interval: only the wake can have started it.
    await harness.waitForOutcomes(execution, 12_000);
    expect(harness.failed).toEqual([]);
    expect(harness.scheduled.map((event) => event.groupId)).toEqual([execution.groups[0].groupId]);
  });
});
