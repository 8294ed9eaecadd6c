import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { startAppProcess, startTestService, waitFor, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { API_TOKEN, DispatchHarness, customerIds, newExecution, shuffled } from '../../test/dispatch-harness';

// Dispatch against the simulator (a built process) over real HTTP and the real broker: lists
// published as raw CloudEvents (also with amqp-publish), chunks duplicated and out of order,
// SmartFocus faults, a session expiring mid-flow, bad templates, empty, late and stale groups,
// the retry API, and the process killed with SIGKILL after each step. One file: the simulator
// and dispatch start once. Every variant ends as exactly one posted SmartFocus campaign whose
// segment holds exactly the group's members, or as a campaign.dispatch-failed.v1 that says why.

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
    // Two processes to migrate and start: on a loaded machine that takes more than jest's minute.
  }, 180_000);

  afterAll(async () => {
    await dispatch?.close();
    await harness.stop(harness.dispatchQueues());
  }, 60_000);

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

  it('should take a raw CloudEvent published with amqp-publish', async () => {
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'raw', templateMessageId: templates['optimove_winback'], customerIds: customerIds(5, 'C', 2_201) },
    ]);
    const [chunk] = harness.chunks(execution, 100);
    const event = { specversion: '1.0', id: randomUUID(), type: 'lists.generated.v1', source: '/outside', time: new Date().toISOString(), datacontenttype: 'application/json', data: chunk };
    await promisify(execFile)('amqp-publish', ['--url', harness.broker.amqpUrl, '--exchange', harness.broker.exchange, '--routing-key', 'lists.generated.v1', '--persistent', '--body', JSON.stringify(event)]);
    await harness.waitForOutcomes(execution);
    expect(harness.scheduled.filter((e) => e.executionId === execution.executionId)).toHaveLength(1);
  });

  it('should fail unknown and non-optimove templates, never send an empty group, and warn on a stale member list', async () => {
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'unknown', templateMessageId: '999999999', customerIds: customerIds(10, 'C', 2_301) },
      { kind: 'variant', name: 'newsletter', templateMessageId: templates['newsletter_weekly'], customerIds: customerIds(10, 'C', 2_311) },
      { kind: 'variant', name: 'empty', templateMessageId: templates['optimove_winback'], customerIds: [] },
      { kind: 'variant', name: 'stale', templateMessageId: templates['optimove_vip'], customerIds: [...customerIds(60, 'C', 2_321), ...customerIds(40, 'GONE', 1)] },
    ]);
    const segmentsBefore = await harness.count('SELECT count(*)::int AS count FROM simulator.segment');
    await harness.publish(harness.chunks(execution, 100));
    await harness.waitForOutcomes(execution);
    const failure = (name: string) => {
      const groupId = execution.groups.find((g) => g.name === name)!.groupId;
      return harness.failed.find((e) => e.groupId === groupId);
    };
    expect(failure('unknown')).toMatchObject({ step: 'clone-message', errorCode: 'UNKNOWN_TEMPLATE', attempts: 1 });
    expect(failure('newsletter')).toMatchObject({ step: 'clone-message', errorCode: 'NOT_OPTIMOVE_TEMPLATE' });
    expect(failure('empty')).toMatchObject({ step: 'assemble-list', errorCode: 'EMPTY_GROUP' });
    // Only the stale group got a segment: nothing was made for the three that failed.
    expect(await harness.count('SELECT count(*)::int AS count FROM simulator.segment')).toBe(segmentsBefore + 1);
    const stale = execution.groups.find((g) => g.name === 'stale')!;
    expect(harness.scheduled.find((e) => e.groupId === stale.groupId)).toMatchObject({ recipients: 100, matchedRecipients: 60 });
    const listed = await api<{ items: { groupName: string; state: string; warnings: string[]; lastError: { code: string } | null }[] }>(`/dispatches?executionId=${execution.executionId}&state=scheduled`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].warnings[0]).toMatch(/member list looks stale: it knows 60 of 100/);
    const failed = await api<{ items: { groupName: string; lastError: { code: string } }[] }>(`/dispatches?executionId=${execution.executionId}&state=failed`);
    expect(failed.body.items.map((item) => [item.groupName, item.lastError.code]).sort()).toEqual([
      ['empty', 'EMPTY_GROUP'],
      ['newsletter', 'NOT_OPTIMOVE_TEMPLATE'],
      ['unknown', 'UNKNOWN_TEMPLATE'],
    ]);
  });

  it('should never send to a control customer whose id differs from a variant customer id only by case', async () => {
    // Customer ids are compared exactly: `abc001` is another customer than `ABC001`.
    await harness.admin.loadMembersCsv(
      ['EMAIL,FIRSTNAME,LASTNAME,CUSTOMER_ID', 'upper.abc001@example.com,F,L,ABC001', 'lower.abc001@example.com,F,L,abc001', 'upper.abc002@example.com,F,L,ABC002'].join('\n') + '\n',
    );
    // Already due: SmartFocus sends at the post, so whom it mailed can be read at once.
    const execution = newExecution(new Date(Date.now() - 60_000), [
      { kind: 'variant', name: 'A', templateMessageId: templates['optimove_winback'], customerIds: ['ABC001', 'ABC002'] },
      { kind: 'control', name: 'control', customerIds: ['abc001'] },
    ]);
    await harness.publish(harness.chunks(execution, 100));
    await harness.waitForOutcomes(execution);

    expect(harness.failed.filter((e) => e.executionId === execution.executionId)).toEqual([]);
    const [event] = harness.scheduled.filter((e) => e.executionId === execution.executionId);
    expect(event).toMatchObject({ recipients: 2, matchedRecipients: 2 });
    await harness.admin.advanceClock({ minutes: 0 }); // the simulator moves its due campaigns
    expect(await harness.admin.recipients(event.smartFocusCampaignId)).toMatchObject({ sent: true, customerIds: ['ABC001', 'ABC002'] });
  });

  it('should fail a group before anything is posted when its segment selects more members than it has customer ids', async () => {
    // Two SmartFocus members carry one customer id: the segment would mail someone outside the group.
    await harness.admin.loadMembersCsv(
      ['EMAIL,FIRSTNAME,LASTNAME,CUSTOMER_ID', 'first.dup001@example.com,F,L,DUP001', 'second.dup001@example.com,F,L,DUP001', 'only.dup002@example.com,F,L,DUP002'].join('\n') + '\n',
    );
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'A', templateMessageId: templates['optimove_winback'], customerIds: ['DUP001', 'DUP002'] },
    ]);
    await harness.publish(harness.chunks(execution, 100));
    await harness.waitForOutcomes(execution);

    expect(harness.scheduled.filter((e) => e.executionId === execution.executionId)).toEqual([]);
    const failure = harness.failed.find((e) => e.executionId === execution.executionId);
    expect(failure).toMatchObject({ step: 'count-segment', errorCode: 'TOO_MANY_MATCHED', attempts: 1 });
    expect(failure?.errorMessage).toMatch(/selects 3 members for the group's 2 customer ids/);
    expect(await harness.campaignsOf(execution.executionId, execution.groups[0].groupId)).toEqual([]);
    const listed = await api<{ items: { state: string; matchedRecipients: number | null; lastError: { code: string } | null }[] }>(`/dispatches?executionId=${execution.executionId}`);
    expect(listed.body.items).toMatchObject([{ state: 'failed', matchedRecipients: 3, lastError: { code: 'TOO_MANY_MATCHED' } }]);
  });

  it('should send a late list at once, the simulator sending from the post time', async () => {
    const before = new Date();
    const execution = newExecution(new Date(Date.now() - 2 * 3_600_000), [
      { kind: 'variant', name: 'late', templateMessageId: templates['optimove_winback'], customerIds: customerIds(20, 'C', 2_501) },
    ]);
    await harness.publish(harness.chunks(execution, 100));
    await harness.waitForOutcomes(execution);
    const [campaign] = await harness.campaignsOf(execution.executionId, execution.groups[0].groupId);
    expect(campaign.sendDate.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    const [event] = harness.scheduled.filter((e) => e.executionId === execution.executionId);
    expect(new Date(event.scheduledAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    const listed = await api<{ items: { late: boolean; warnings: string[] }[] }>(`/dispatches?executionId=${execution.executionId}`);
    expect(listed.body.items[0]).toMatchObject({ late: true });
  });

  it('should ride out injected 500s, dropped connections and a session expiring mid-flow', async () => {
    await harness.admin.setFaults({
      operations: [
        { operation: 'message/cloneMessage', failNext: 1 },
        { operation: 'segment/create', dropNext: 1 },
        { operation: 'segment/addStringDemographic', failNext: 2, dropNext: 1, latencyMs: 30 },
        { operation: 'campaign/create', failNext: 1 },
        { operation: 'campaign/post', dropNext: 1 },
      ],
    });
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'faulty', templateMessageId: templates['optimove_winback'], customerIds: customerIds(900, 'C', 3_001) },
    ]);
    await harness.publish(harness.chunks(execution, 300));
    const group = execution.groups[0];
    await waitFor(async () => (await api<{ items: { criteria: { done: number } }[] }>(`/dispatches?executionId=${execution.executionId}`)).body.items[0]?.criteria.done > 0, { timeoutMs: 30_000 });
    await harness.admin.expireSessions();
    await harness.waitForOutcomes(execution, 60_000);
    await harness.admin.resetFaults();
    expect(harness.failed.filter((e) => e.executionId === execution.executionId)).toEqual([]);
    const campaigns = await harness.campaignsOf(execution.executionId, group.groupId);
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0].status).toBe('QUEUED');
    expect(await harness.segmentValues(campaigns[0].segmentId)).toEqual([...group.customerIds].sort());
    expect(await harness.count(`SELECT count(*)::int AS count FROM simulator.message WHERE name = $1`, [`dispatch_${execution.executionId}_${group.groupId}`])).toBe(1);
    expect(await harness.count(`SELECT count(*)::int AS count FROM simulator.segment WHERE name = $1`, [`dispatch_${execution.executionId}_${group.groupId}`])).toBe(1);
  });

  it('should fail a group whose message is already used, and one whose attempt budget is spent, then retry it on request reusing what it made', async () => {
    const execution = newExecution(new Date(Date.now() + 3_600_000), [
      { kind: 'variant', name: 'used', templateMessageId: templates['optimove_winback'], customerIds: customerIds(10, 'C', 4_001) },
      { kind: 'variant', name: 'budget', templateMessageId: templates['optimove_vip'], customerIds: customerIds(10, 'C', 4_011) },
    ]);
    const [used, budget] = execution.groups;
    // Someone else's campaign already uses the message the group would clone (same name).
    const sf = harness.client();
    const clone = await sf.messages.clone(Number(templates['optimove_winback']), `dispatch_${execution.executionId}_${used.groupId}`);
    const other = await sf.segments.create({ name: 'someone else' });
    await sf.segments.addCustomerIdCriteria(other, ['C000001']);
    await sf.campaigns.create({ name: 'someone else', sendDate: new Date(Date.now() + 3_600_000), messageId: clone, segmentId: other });
    await sf.close();
    await harness.admin.setFaults({ operations: [{ operation: 'campaign/post', failNext: 1_000 }] });

    await harness.publish(harness.chunks(execution, 100));
    await harness.waitForOutcomes(execution, 60_000);
    expect(harness.failed.find((e) => e.groupId === used.groupId)).toMatchObject({ step: 'create-campaign', errorCode: 'MESSAGE_ALREADY_USED' });
    const spent = harness.failed.find((e) => e.groupId === budget.groupId)!;
    expect(spent).toMatchObject({ step: 'post-campaign', errorCode: 'BUDGET_SPENT', attempts: 6 });
    expect(spent.errorMessage).toMatch(/left in SmartFocus for a retry to reuse: message \d+, segment \d+, campaign \d+/);

    await harness.admin.resetFaults();
    const { body } = await api<{ items: { dispatchId: string; groupName: string }[] }>(`/dispatches?executionId=${execution.executionId}&state=failed`);
    const retried = await api<{ state: string }>(`/dispatches/${body.items.find((i) => i.groupName === 'budget')!.dispatchId}/retry`, { method: 'POST' });
    expect(retried).toMatchObject({ status: 202, body: { state: 'dispatching' } });
    expect((await api(`/dispatches/${body.items.find((i) => i.groupName === 'budget')!.dispatchId}/retry`, { method: 'POST' })).status).toBe(409);
    await waitFor(() => harness.scheduled.some((e) => e.groupId === budget.groupId), { timeoutMs: 30_000 });
    const campaigns = await harness.campaignsOf(execution.executionId, budget.groupId);
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0].status).toBe('QUEUED');
  });

  it('should publish the send date SmartFocus keeps when a retried group is posted after its planned send time', async () => {
    // On time when its list is complete: the campaign is created for the planned time.
    const planned = new Date(Date.now() + 5_000);
    const execution = newExecution(planned, [
      { kind: 'variant', name: 'posted late', templateMessageId: templates['optimove_vip'], customerIds: customerIds(10, 'C', 4_101) },
    ]);
    const [group] = execution.groups;
    await harness.admin.setFaults({ operations: [{ operation: 'campaign/post', failNext: 1_000 }] });
    await harness.publish(harness.chunks(execution, 100));
    await harness.waitForOutcomes(execution, 60_000);
    expect(harness.failed.find((e) => e.groupId === group.groupId)).toMatchObject({ step: 'post-campaign', errorCode: 'BUDGET_SPENT' });
    await harness.admin.resetFaults();

    // The operator retries once the planned time has passed: SmartFocus sends at the post.
    await waitFor(() => Date.now() > planned.getTime() + 2_000, { timeoutMs: 30_000 });
    const { body } = await api<{ items: { dispatchId: string }[] }>(`/dispatches?executionId=${execution.executionId}`);
    const retriedAt = Date.now();
    expect((await api(`/dispatches/${body.items[0].dispatchId}/retry`, { method: 'POST' })).status).toBe(202);
    await waitFor(() => harness.scheduled.some((e) => e.groupId === group.groupId), { timeoutMs: 30_000 });

    const [campaign] = await harness.campaignsOf(execution.executionId, group.groupId);
    expect(campaign.sendDate.getTime()).toBeGreaterThanOrEqual(retriedAt - 1_000);
    // SmartFocus answers dates to the second.
    const sendDate = new Date(Math.floor(campaign.sendDate.getTime() / 1_000) * 1_000).toISOString();
    expect(harness.scheduled.find((e) => e.groupId === group.groupId)).toMatchObject({ scheduledAt: sendDate });
    expect((await api<{ sendAt: string }>(`/dispatches/${body.items[0].dispatchId}`)).body.sendAt).toBe(sendDate);
  });

  it('should list only optimove_ template messages and serve a preview no script can run in', async () => {
    const listed = await api<{ id: string; name: string; subject: string | null }[]>('/messages');
    expect(listed.status).toBe(200);
    expect(listed.body.map((m) => m.name).sort()).toEqual(['optimove_vip', 'optimove_winback']);
    const preview = await api<string>(`/messages/${templates['optimove_vip']}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toMatch(/^text\/html/);
    expect(preview.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
    expect(preview.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(preview.body).toContain('Thanks');
    expect((await api(`/messages/${templates['newsletter_weekly']}/preview`)).status).toBe(404);
  });

  describe('killed with SIGKILL after each step', () => {
    const STEPS = ['clone-message', 'create-segment', 'add-criteria', 'count-segment', 'create-campaign', 'post-campaign'] as const;
    // After SmartFocus answered but before the answer was saved (the look-ups must find what was
    // made), and after the last step's commit (the event must still go out).
    const started = Date.now();
    const log = (line: string): void => void process.stderr.write(`[crash test ${Date.now() - started} ms] ${line}\n`);
    const POINTS = [...STEPS.map((step) => `after-call:${step}`), 'after-save:post-campaign'];

    it('should still end with exactly one posted campaign per group whose segment holds exactly its ids', async () => {
      await dispatch.close();
      const { HTTP_PORT: _port, ...env } = harness.dispatchEnv({
        DISPATCH_CLAIM_LEASE_MS: '800',
        // Every restart claims the groups again and a claim counts as an attempt: the budget
        // must outlast the crashes (this test is about exactly-once, not the budget).
        DISPATCH_MAX_ATTEMPTS: '50',
        SMARTFOCUS_REQUEST_TIMEOUT_MS: '15000',
        LOG_LEVEL: 'warn',
      });
      const executions = POINTS.map((_, index) =>
        newExecution(new Date(Date.now() + 3_600_000), [
          { kind: 'variant', name: 'A', templateMessageId: templates['optimove_winback'], customerIds: customerIds(150, 'C', 5_001 + index * 300) },
          { kind: 'variant', name: 'B', templateMessageId: templates['optimove_vip'], customerIds: customerIds(120, 'C', 5_151 + index * 300) },
        ]),
      );
      for (const [index, point] of POINTS.entries()) {
        let app: Awaited<ReturnType<typeof startAppProcess>>;
        try {
          app = await startAppProcess('smartfocus-dispatch', { ...env, DISPATCH_TEST_CRASH_POINTS: point }, { migrate: false, readyTimeoutMs: 120_000 });
        } catch (error) {
          // A group an earlier crash left behind is resumed at start and can reach this point
          // before the process reports ready: the crash at this point all the same.
          if (!/exited SIGKILL/.test(String(error))) throw error;
          log(`${point}: SIGKILL before ready (a group left by an earlier crash reached it)`);
          await harness.publish(harness.chunks(executions[index], 100));
          continue;
        }
        log(`${point}: started`);
        await harness.publish(harness.chunks(executions[index], 100));
        const exit = await Promise.race([app.exit, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000))]);
        if (!exit) await app.kill();
        log(`${point}: ${exit?.signal ?? 'no crash'}`);
        expect({ point, signal: exit?.signal }).toEqual({ point, signal: 'SIGKILL' });
      }
      const survivor = await startAppProcess('smartfocus-dispatch', env, { migrate: false, readyTimeoutMs: 120_000 });
      try {
        for (const execution of executions) await harness.waitForOutcomes(execution, 60_000);
      } finally {
        await survivor.stop();
      }
      for (const execution of executions) {
        expect(harness.failed.filter((e) => e.executionId === execution.executionId)).toEqual([]);
        for (const group of execution.groups) {
          const campaigns = await harness.campaignsOf(execution.executionId, group.groupId);
          expect(campaigns.map((c) => c.status)).toEqual(['QUEUED']);
          expect(await harness.segmentValues(campaigns[0].segmentId)).toEqual([...group.customerIds].sort());
          const name = `dispatch_${execution.executionId}_${group.groupId}`;
          expect(await harness.count('SELECT count(*)::int AS count FROM simulator.message WHERE name = $1', [name])).toBe(1);
          const events = harness.scheduled.filter((e) => e.groupId === group.groupId && e.smartFocusCampaignId === campaigns[0].id);
          expect(events.length).toBeGreaterThan(0);
          // The send date SmartFocus holds (to the second), also when the post's answer was lost.
          expect(new Date(events[0].scheduledAt).getTime()).toBe(Math.floor(campaigns[0].sendDate.getTime() / 1_000) * 1_000);
        }
      }
    }, 900_000);
  });
});
