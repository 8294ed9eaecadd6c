import { startAppProcess, waitFor } from '@optimove/testing';
import { DispatchHarness, customerIds, newExecution } from '../../test/dispatch-harness';

// A group's customer-id criteria are added in windows, and a window may be added again: after a
// crash between SmartFocus's answer and the saved progress, or by a replica resuming another's
// work. Criteria of a group are OR-ed, so that must select the same members, count them once,
// and the group must still be sent with every one of its customer ids in the segment.
describe('SmartFocus dispatch of a group whose criteria are added again', () => {
  const harness = new DispatchHarness('dispatch_criteria');
  let template: string;

  beforeAll(async () => {
    await harness.start();
    template = await harness.seedWelcome(customerIds(500));
  }, 180_000);

  afterAll(async () => {
    await harness.stop(harness.dispatchQueues());
  }, 60_000);

  it('should send a group whose criteria were added again after a crash, counting each member once', async () => {
    const { HTTP_PORT: _port, ...env } = harness.dispatchEnv({ DISPATCH_CLAIM_LEASE_MS: '800', LOG_LEVEL: 'warn' });
    const execution = newExecution(new Date(Date.now() + 3_600_000), [{ kind: 'variant', name: 'A', templateMessageId: template, customerIds: customerIds(250) }]);
    const [group] = execution.groups;
    const crashing = await startAppProcess('smartfocus-dispatch', { ...env, DISPATCH_TEST_CRASH_POINTS: 'after-call:add-criteria' }, { readyTimeoutMs: 120_000 });
    await harness.publish(harness.chunks(execution, 100));
    expect((await crashing.exit).signal).toBe('SIGKILL');

    const survivor = await startAppProcess('smartfocus-dispatch', env, { migrate: false, readyTimeoutMs: 120_000 });
    try {
      await harness.waitForOutcomes(execution);
    } finally {
      await survivor.stop();
    }
    expect(harness.failed).toEqual([]);
    const [campaign] = await harness.campaignsOf(execution.executionId, group.groupId);
    expect(await harness.segmentValues(campaign.segmentId)).toEqual([...group.customerIds].sort());
    expect(harness.scheduled).toMatchObject([{ groupId: group.groupId, recipients: 250, matchedRecipients: 250 }]);
    await waitFor(async () => (await harness.count('SELECT count(*)::int AS count FROM simulator.segment_criterion WHERE segment_id = $1', [campaign.segmentId])) > 3, {
      what: 'a window added twice',
    });
  }, 300_000);
});
