import { startTestService, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { API_TOKEN, DispatchHarness, customerIds, newExecution, shuffled } from '../../test/dispatch-harness';

// Dispatch against the simulator over real HTTP and the real broker: lists published as raw
// CloudEvents, chunks duplicated and out of order, every variant ending as exactly one posted
// SmartFocus campaign whose segment holds exactly the group's members.

describe('SmartFocus dispatch against the simulator', () => {
  const harness = new DispatchHarness('dispatch');
  let dispatch: RunningTestService;
  let templates: Record<string, string>;

  beforeAll(async () => {
    await harness.start();
    const seeded = await harness.admin.seedTemplates([
      { name: 'optimove_winback', subject: 'We miss you', body: '[EMV HTMLPART]<p>Come back</p>[EMV TEXTPART]Come back' },
      { name: 'optimove_vip', subject: 'Thank you', body: '[EMV HTMLPART]<p>Thanks</p><script>alert(1)</script>[EMV TEXTPART]Thanks' },
      { name: 'newsletter_weekly', subject: 'News', body: '[EMV HTMLPART]<p>News</p>[EMV TEXTPART]News' },
    ]);
    templates = Object.fromEntries(seeded.messages.map((message) => [message.name, message.id]));
    await harness.admin.loadMembersCsv(memberCsvOf(5_000));
    dispatch = await startTestService(serviceEntry(harness.dispatchEnv()));
  });

  afterAll(async () => {
    await dispatch?.close();
    await harness.stop(harness.dispatchQueues());
  });

  function memberCsvOf(count: number): string {
    return ['EMAIL,FIRSTNAME,LASTNAME,CUSTOMER_ID', ...customerIds(count).map((id) => `m.${id.toLowerCase()}@example.com,F,L,${id}`)].join('\n') + '\n';
  }

  async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${dispatch.baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${API_TOKEN}`, ...(init.headers ?? {}) } });
    const text = await response.text();
    const body = (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
    return { status: response.status, body, headers: response.headers };
  }

  it('should end every variant as exactly one posted campaign whose segment holds exactly its members, from duplicate and out-of-order chunks', async () => {
    const scheduledAt = new Date(Date.now() + 3 * 3_600_000);
    const execution = newExecution(scheduledAt, [
      { kind: 'variant', name: 'A', templateMessageId: templates['optimove_winback'], customerIds: customerIds(1_250, 'C', 1) },
      { kind: 'variant', name: 'B', templateMessageId: templates['optimove_vip'], customerIds: [...customerIds(600, 'C', 1_251), 'NOT-A-MEMBER-1'] },
      { kind: 'control', name: 'control', customerIds: customerIds(300, 'C', 1_852) },
    ]);
    const chunks = harness.chunks(execution, 400);
    // Every chunk twice, in a shuffled order.
    await harness.publish(shuffled([...chunks, ...chunks]));
    await harness.waitForOutcomes(execution);

    expect(harness.failed.filter((event) => event.executionId === execution.executionId)).toEqual([]);
    for (const group of execution.groups.filter((g) => g.kind === 'variant')) {
      const campaigns = await harness.campaignsOf(execution.executionId, group.groupId);
      expect(campaigns).toHaveLength(1);
      expect(campaigns[0].status).toBe('QUEUED');
      expect(campaigns[0].sendDate.toISOString()).toBe(scheduledAt.toISOString().replace(/\.\d+Z$/, '.000Z'));
      expect(await harness.segmentValues(campaigns[0].segmentId)).toEqual([...group.customerIds].sort());
      const members = group.customerIds.filter((id) => id.startsWith('C'));
      expect(await harness.segmentMembers(campaigns[0].segmentId)).toEqual([...members].sort());
      const events = harness.scheduled.filter((event) => event.groupId === group.groupId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        executionId: execution.executionId,
        campaignId: execution.campaignId,
        smartFocusCampaignId: campaigns[0].id,
        smartFocusSegmentId: campaigns[0].segmentId,
        smartFocusMessageId: campaigns[0].messageId,
        recipients: group.customerIds.length,
        matchedRecipients: members.length,
      });
      // The campaign's message is a clone, never the template itself.
      expect(campaigns[0].messageId).not.toBe(group.templateMessageId);
    }
    const control = execution.groups.find((g) => g.kind === 'control')!;
    expect(await harness.campaignsOf(execution.executionId, control.groupId)).toEqual([]);

    const listed = await api<{ total: number; items: { groupName: string; state: string; smartFocusCampaignId: string | null; matchedRecipients: number | null }[] }>(
      `/dispatches?executionId=${execution.executionId}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => [item.groupName, item.state]).sort()).toEqual([
      ['A', 'scheduled'],
      ['B', 'scheduled'],
      ['control', 'control'],
    ]);
  });
});
