import { startAppProcess, startTestService, waitFor, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { DispatchHarness, customerIds, newExecution } from '../../test/dispatch-harness';

// A group's customer-id criteria are added in windows, and a window may be added again: after a
// crash between SmartFocus's answer and the saved progress, or by a replica resuming another's
// work (with another SMARTFOCUS_CRITERIA_VALUES_CAP, when a deploy changed it). Criteria of a
// group are OR-ed, so that must select the same members, count them once, and the group must
// still be sent with every one of its customer ids in the segment.
describe('SmartFocus dispatch of a group whose criteria are added again', () => {
  const harness = new DispatchHarness('dispatch_criteria');
  let template: string;
  let dispatch: RunningTestService | undefined;

  beforeAll(async () => {
    await harness.start();
    template = await harness.seedWelcome(customerIds(500));
  }, 180_000);

  afterAll(async () => {
    await dispatch?.close();
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
    // Three windows of 100 ids, added twice.
    expect(await harness.count('SELECT count(*)::int AS count FROM simulator.segment_criterion WHERE segment_id = $1', [campaign.segmentId])).toBe(6);
  }, 300_000);

  it('should put every customer id in the segment when a replica with a larger cap resumes the criteria', async () => {
    // Slow criteria, so that the first replica stops half-way.
    await harness.admin.setFaults({ operations: [{ operation: 'segment/addStringDemographic', latencyMs: 300 }] });
    dispatch = await startTestService(serviceEntry(harness.dispatchEnv({ SMARTFOCUS_CRITERIA_VALUES_CAP: '40', DISPATCH_CRITERIA_PER_PROGRESS: '1' })));
    const execution = newExecution(new Date(Date.now() + 3_600_000), [{ kind: 'variant', name: 'A', templateMessageId: template, customerIds: customerIds(500) }]);
    const [group] = execution.groups;
    await harness.publish(harness.chunks(execution, 100));
    const criteriaDone = (): Promise<number> => harness.count('SELECT criteria_done AS count FROM dispatch.dispatch WHERE group_id = $1', [group.groupId]);
    await waitFor(async () => (await criteriaDone()) >= 2, { timeoutMs: 30_000, what: 'two criteria windows saved' });
    await dispatch.close();
    expect(await criteriaDone()).toBeLessThan(13);

    await harness.admin.resetFaults();
    dispatch = await startTestService(serviceEntry(harness.dispatchEnv({ SMARTFOCUS_CRITERIA_VALUES_CAP: '100', DISPATCH_CRITERIA_PER_PROGRESS: '1' })));
    await harness.waitForOutcomes(execution);

    const [campaign] = await harness.campaignsOf(execution.executionId, group.groupId);
    expect(await harness.segmentValues(campaign.segmentId)).toEqual([...group.customerIds].sort());
    expect(harness.scheduled.filter((e) => e.groupId === group.groupId)).toMatchObject([{ recipients: 500, matchedRecipients: 500 }]);
  }, 120_000);

  it('should never select another customer for a customer id SmartFocus would read trimmed', async () => {
    // SmartFocus trims the text of an XML value: ' C000001' would select the member C000001, a
    // customer of the control group here. Such ids are left out of the segment and of the
    // recipients, never sent as another customer.
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'A', templateMessageId: template, customerIds: [' C000001', 'C000002\t', 'C000003'] },
      { kind: 'control', name: 'control', customerIds: ['C000001', 'C000002'] },
    ]);
    const [variant] = execution.groups;
    dispatch ??= await startTestService(serviceEntry(harness.dispatchEnv()));
    await harness.publish(harness.chunks(execution, 10));
    await harness.waitForOutcomes(execution);

    const [campaign] = await harness.campaignsOf(execution.executionId, variant.groupId);
    expect(await harness.segmentMembers(campaign.segmentId)).toEqual(['C000003']);
    expect(harness.scheduled.filter((e) => e.groupId === variant.groupId)).toMatchObject([{ recipients: 1, matchedRecipients: 1 }]);
  }, 60_000);
});
