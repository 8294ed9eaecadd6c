import { startTestService, waitFor, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { DispatchHarness, customerIds, newExecution } from '../../test/dispatch-harness';

// The outcome a group reports must be what SmartFocus will do: a group reported failed is never
// sent, and a group whose campaign SmartFocus holds posted is never reported failed. Chunks that
// disagree about their group never make a list of both.
describe('SmartFocus dispatch outcomes against the simulator', () => {
  const harness = new DispatchHarness('dispatch_outcome');
  let dispatch: RunningTestService;
  let template: string;

  beforeAll(async () => {
    await harness.start();
    template = await harness.seedWelcome(customerIds(100));
    dispatch = await startTestService(serviceEntry(harness.dispatchEnv({ DISPATCH_MAX_ATTEMPTS: '2' })));
  }, 180_000);

  afterAll(async () => {
    await dispatch?.close();
    await harness.stop(harness.dispatchQueues());
  }, 60_000);

  afterEach(() => harness.admin.resetFaults());

  // Longer than the whole attempt budget (2 attempts, retries 100-400 ms apart), several times over.
  const budgetTime = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 4_000));

  it('should not report a group failed when its campaign was posted and reading it back keeps failing', async () => {
    await harness.admin.setFaults({ operations: [{ operation: 'campaign/get', errorRate: 1 }] });
    const execution = newExecution(new Date(Date.now() + 3_600_000), [{ kind: 'variant', name: 'posted', templateMessageId: template, customerIds: customerIds(5) }]);
    const [group] = execution.groups;
    await harness.publish(harness.chunks(execution, 10));
    await waitFor(async () => (await harness.campaignsOf(execution.executionId, group.groupId))[0]?.status === 'QUEUED', { timeoutMs: 15_000, what: 'the campaign posted' });
    await budgetTime();

    // SmartFocus will send it: nobody may be told it failed (a failed execution is sent again by hand).
    expect(harness.failed.filter((e) => e.groupId === group.groupId)).toEqual([]);
    await harness.admin.resetFaults();
    await harness.waitForOutcomes(execution);
    const [campaign] = await harness.campaignsOf(execution.executionId, group.groupId);
    expect(harness.scheduled.filter((e) => e.groupId === group.groupId)).toMatchObject([{ smartFocusCampaignId: campaign.id }]);
    expect(harness.failed.filter((e) => e.groupId === group.groupId)).toEqual([]);
  }, 60_000);

  it('should fail a group whose chunks disagree on the ids of one chunk or on the group, and send none of it', async () => {
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'ids', templateMessageId: template, customerIds: customerIds(20, 'C', 10) },
      { kind: 'variant', name: 'kind', templateMessageId: template, customerIds: customerIds(20, 'C', 40) },
    ]);
    const [idsGroup, kindGroup] = execution.groups;
    const [ids0, ids1] = harness.chunks({ ...execution, groups: [idsGroup] }, 10);
    const [kind0, kind1] = harness.chunks({ ...execution, groups: [kindGroup] }, 10);
    // The same chunk index with other customer ids (a list generated again differently).
    const otherIds0 = { ...ids0, customerIds: customerIds(10, 'C', 70) };
    // The same group said to be the control group by its second chunk.
    const controlKind1 = { ...kind1, group: { groupId: kindGroup.groupId, kind: 'control' as const, name: 'kind' } };
    // One chunk at a time: chunks are consumed concurrently, and a group completed before the
    // disagreeing chunk comes is dispatched as it was (the later chunk cannot undo that).
    const stored = (groupId: string): Promise<number> => harness.count('SELECT count(*)::int AS count FROM dispatch.list_chunk WHERE group_id = $1', [groupId]);
    await harness.publish([ids0, kind0]);
    await waitFor(async () => (await stored(idsGroup.groupId)) === 1 && (await stored(kindGroup.groupId)) === 1, { what: 'the first chunks stored' });
    await harness.publish([otherIds0, controlKind1]);
    await harness.waitForOutcomes(execution);
    // The rest of each list comes after all, then a group that is sent: the failed ones stay failed.
    const marker = newExecution(new Date(Date.now() + 3_600_000), [{ kind: 'variant', name: 'marker', templateMessageId: template, customerIds: customerIds(5, 'C', 95) }]);
    await harness.publish([ids1, kind1, ...harness.chunks(marker, 10)]);
    await harness.waitForOutcomes(marker);

    for (const group of execution.groups) {
      expect(harness.scheduled.filter((e) => e.groupId === group.groupId)).toEqual([]);
      expect(harness.failed.filter((e) => e.groupId === group.groupId)).toMatchObject([{ step: 'assemble-list', errorCode: 'INCONSISTENT_CHUNKS' }]);
      expect(await harness.campaignsOf(execution.executionId, group.groupId)).toEqual([]);
    }
  }, 60_000);

  it('should dispatch a group whose campaign name of 200 characters ends in an emoji', async () => {
    // 200 characters as the contract counts them (code points), 201 UTF-16 units: the SmartFocus
    // description, cut at 200 units, must not end in half of the emoji.
    const execution = newExecution(new Date(Date.now() + 3_600_000), [{ kind: 'variant', name: 'A', templateMessageId: template, customerIds: customerIds(5, 'C', 90) }]);
    const chunks = harness.chunks(execution, 10).map((chunk) => ({ ...chunk, campaignName: `${'x'.repeat(199)}\u{1F389}` }));
    await harness.publish(chunks);
    await harness.waitForOutcomes(execution);
    expect(harness.failed.filter((e) => e.executionId === execution.executionId)).toEqual([]);
    expect(harness.scheduled.filter((e) => e.executionId === execution.executionId)).toHaveLength(1);
  }, 60_000);
});
