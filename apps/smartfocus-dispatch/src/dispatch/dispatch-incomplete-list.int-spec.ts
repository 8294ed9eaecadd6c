import { startTestService, waitFor, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { API_TOKEN, DispatchHarness, customerIds, newExecution } from '../../test/dispatch-harness';

// A group whose chunks never all arrive (one dead-lettered or lost upstream) must not wait
// forever: DISPATCH_INCOMPLETE_LIST_AFTER_MS (default an hour) after its send time, with no chunk
// in that time, it fails with campaign.dispatch-failed.v1 and is never sent. Dispatch's clock
// follows the simulator's, so the test moves time by moving the simulator's clock.
describe('SmartFocus dispatch of a group whose list never completes', () => {
  const harness = new DispatchHarness('dispatch_incomplete');
  let dispatch: RunningTestService;
  let template: string;

  beforeAll(async () => {
    await harness.start();
    template = await harness.seedWelcome(customerIds(100));
    dispatch = await startTestService(serviceEntry(harness.dispatchEnv({ CLOCK_FOLLOW_URL: `${harness.simulator.baseUrl}/admin/clock` })));
  }, 180_000);

  afterAll(async () => {
    await dispatch?.close();
    await harness.stop(harness.dispatchQueues());
  }, 60_000);

  async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${dispatch.baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${API_TOKEN}`, ...(init.headers ?? {}) } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : text) as T };
  }

  const chunksStored = (groupId: string): Promise<number> => harness.count('SELECT count(*)::int AS count FROM dispatch.list_chunk WHERE group_id = $1', [groupId]);
  // Longer than dispatch's poll (100 ms) plus its clock's (200 ms), several times over.
  const somePolls = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_500));

  it('should fail a group still missing chunks an hour after its send time, saying how many arrived, and never send it when the last one comes', async () => {
    const execution = newExecution(new Date((await harness.admin.now()).getTime() + 30 * 60_000), [
      { kind: 'variant', name: 'A', templateMessageId: template, customerIds: customerIds(30) },
    ]);
    const [group] = execution.groups;
    const [first, second, lost] = harness.chunks(execution, 10);
    await harness.publish([first, second]);
    await waitFor(async () => (await chunksStored(group.groupId)) === 2, { what: 'two chunks stored' });

    // Half an hour after the send time: still waiting for its last chunk.
    await harness.admin.advanceClock({ hours: 1 });
    await somePolls();
    expect(harness.failed).toEqual([]);

    await harness.admin.advanceClock({ hours: 1 });
    const failure = await waitFor(() => harness.failed.find((e) => e.groupId === group.groupId), { timeoutMs: 15_000, what: 'campaign.dispatch-failed.v1 of the incomplete group' });
    expect(failure).toMatchObject({ executionId: execution.executionId, step: 'assemble-list', errorCode: 'INCOMPLETE_LIST', attempts: 1 });
    expect(failure.errorMessage).toMatch(/2 of 3 chunks/);
    const { body } = await api<{ items: { dispatchId: string; state: string; lastError: { code: string } }[] }>(`/dispatches?executionId=${execution.executionId}`);
    expect(body.items).toMatchObject([{ state: 'failed', lastError: { code: 'INCOMPLETE_LIST' } }]);

    // The lost chunk comes after all, then a group that is sent: the failed one stays failed.
    const marker = newExecution(new Date((await harness.admin.now()).getTime() + 30 * 60_000), [
      { kind: 'variant', name: 'marker', templateMessageId: template, customerIds: customerIds(5, 'C', 50) },
    ]);
    await harness.publish([lost, ...harness.chunks(marker, 10)]);
    await harness.waitForOutcomes(marker);
    expect(harness.scheduled.filter((e) => e.groupId === group.groupId)).toEqual([]);
    expect(harness.failed.filter((e) => e.groupId === group.groupId)).toHaveLength(1);
    expect(await harness.campaignsOf(execution.executionId, group.groupId)).toEqual([]);
    expect(await chunksStored(group.groupId)).toBe(2);
    expect((await api<{ state: string }>(`/dispatches/${body.items[0].dispatchId}`)).body.state).toBe('failed');
    expect((await api(`/dispatches/${body.items[0].dispatchId}/retry`, { method: 'POST' })).status).toBe(409);
  });

  it('should not fail a late list while its chunks are still arriving', async () => {
    // Its send time is long past (DISPATCH_LATE_LIST_POLICY send-now), but its chunks are coming.
    const execution = newExecution(new Date((await harness.admin.now()).getTime() - 3 * 3_600_000), [
      { kind: 'variant', name: 'late', templateMessageId: template, customerIds: customerIds(20, 'C', 60) },
    ]);
    const [group] = execution.groups;
    const [first, last] = harness.chunks(execution, 10);
    await harness.publish([first]);
    await waitFor(async () => (await chunksStored(group.groupId)) === 1, { what: 'the first chunk stored' });
    await somePolls();
    await harness.publish([last]);
    await harness.waitForOutcomes(execution);
    expect(harness.failed.filter((e) => e.groupId === group.groupId)).toEqual([]);
    expect(harness.scheduled.filter((e) => e.groupId === group.groupId)).toHaveLength(1);
  });
});
