import { startTestService, testServiceQueues, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { call, createProfiles, type Profiles } from '../../test/segmentation-test-kit';
import { customersCsv } from '../../test/profile-data';
import type { RunReport } from '../run-report/run-report.service';

// Campaign plans over several nights on the real PostgreSQL and RabbitMQ, a few customers: what a
// marketer reads in the run report and the ledger.

jest.setTimeout(120_000);

describe('campaign plans across nights', () => {
  let profiles: Profiles;
  let service: RunningTestService;
  let base: string;

  const http = <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => call<T>(base, method, path, body);

  beforeAll(async () => {
    profiles = await createProfiles('seg_nights', { GLOBAL_CONTROL_SHARE: '0' });
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: `c${String(i).padStart(2, '0')}`, country: i < 10 ? 'XA' : 'XB' }));
    await profiles.importCsv('customers', customersCsv(rows), '2026-07-01');
    service = await startTestService(serviceEntry(profiles.env));
    base = service.baseUrl;
  }, 90_000);

  afterAll(async () => {
    await service?.close();
    await profiles?.broker.cleanup(testServiceQueues(profiles.broker.queuePrefix, 'segmentation')).catch(() => undefined);
    await profiles?.close();
  });

  const targetGroup = async (name: string, countries: string[]): Promise<string> => {
    const response = await http<{ id: string }>('POST', '/target-groups', { name, rule: { field: 'country', op: 'in', value: countries } });
    expect(response.status).toBe(201);
    return response.body.id;
  };

  const plan = (name: string, targetGroupId: string, extra: Record<string, unknown>): Record<string, unknown> => ({
    name,
    targetGroupId,
    templateMessageId: '1',
    sendTime: '09:30',
    timeZone: 'Europe/Berlin',
    recurrence: { type: 'daily', startDate: '2026-01-01' },
    controlShare: 0,
    priority: 1,
    actionDurationDays: 1,
    ...extra,
  });

  const runAndWait = async (runDate: string): Promise<RunReport> => {
    const response = await http<RunReport>('POST', '/runs', { runDate, wait: true });
    expect(response.status).toBe(202);
    if (response.body.status !== 'completed') throw new Error(`run ${runDate}: ${response.body.status} ${String(response.body.error)}`);
    return response.body;
  };

  it('should keep the customers of an execution out of another campaign sent before its action duration ends', async () => {
    const xa = await targetGroup('XA', ['XA']);
    // Sent on Thursdays at 20:00 Berlin: on Thursday 07-02 its action duration (1 day) runs until 07-03 20:00.
    expect((await http('POST', '/campaigns', plan('evening', xa, { priority: 1, sendTime: '20:00', recurrence: { type: 'weekdays', weekdays: ['thu'], startDate: '2026-07-02' } }))).status).toBe(201);
    // Due every day at 08:00 Berlin: on 07-03 that is inside the evening campaign's action duration.
    expect((await http('POST', '/campaigns', plan('morning', xa, { priority: 2, sendTime: '08:00', recurrence: { type: 'daily', startDate: '2026-07-02' } }))).status).toBe(201);

    const first = await runAndWait('2026-07-02');
    expect(first.executions.map((e) => [e.campaignName, e.assigned, e.excluded])).toEqual([
      ['evening', 10, { global_control: 0, action_duration: 0, taken_by_priority: 0 }],
      ['morning', 0, { global_control: 0, action_duration: 0, taken_by_priority: 10 }],
    ]);
    const second = await runAndWait('2026-07-03');
    expect(second.executions.map((e) => [e.campaignName, e.assigned, e.excluded])).toEqual([
      ['morning', 0, { global_control: 0, action_duration: 10, taken_by_priority: 0 }],
    ]);
    const third = await runAndWait('2026-07-04');
    expect(third.executions.map((e) => [e.campaignName, e.assigned])).toEqual([['morning', 10]]);
  });

  it('should preview a date already run as the run would do it: the executions published before as they were', async () => {
    const xb = await targetGroup('XB', ['XB']);
    expect((await http('POST', '/campaigns', plan('XB daily', xb, { priority: 3, recurrence: { type: 'daily', startDate: '2026-07-06' } }))).status).toBe(201);
    const run = await runAndWait('2026-07-06');
    const published = run.executions.find((e) => e.campaignName === 'XB daily');
    expect(published).toMatchObject({ targeted: 10, assigned: 10 });
    // The target group changes after the run: running the date again publishes nothing new.
    expect((await http('PUT', `/target-groups/${xb}`, { name: 'XB', rule: { field: 'country', op: 'eq', value: 'ZZ' } })).status).toBe(200);

    const preview = await http<{ executions: { executionId: string; campaignName: string; outcome: string; targeted: number }[] }>('POST', '/runs/preview', { runDate: '2026-07-06' });
    const again = await runAndWait('2026-07-06');

    expect(again.executions.find((e) => e.campaignName === 'XB daily')).toMatchObject({ executionId: published?.executionId, targeted: 10 });
    expect(preview.body.executions.find((e) => e.campaignName === 'XB daily')).toMatchObject({ executionId: published?.executionId, outcome: 'existing', targeted: 10 });
  });

  it("should publish the other campaigns and name the one whose target group lost its attribute when a run date's campaign cannot run", async () => {
    await profiles.db.query(`INSERT INTO profiles.attributes (name, type, created_at, updated_at) VALUES ('tier', 'text', now(), now())`);
    const tier = await http<{ id: string }>('POST', '/target-groups', { name: 'gold tier', rule: { field: 'attributes.tier', op: 'eq', value: 'gold' } });
    expect(tier.status).toBe(201);
    expect((await http('POST', '/campaigns', plan('tiered', tier.body.id, { priority: 5, recurrence: { type: 'daily', startDate: '2026-07-08' } }))).status).toBe(201);
    // The client deletes the attribute in profile-import: the saved rule no longer fits the catalogue.
    await profiles.db.query(`DELETE FROM profiles.attributes WHERE name = 'tier'`);

    const preview = await http<{ executions: { campaignName: string }[]; error?: string }>('POST', '/runs/preview', { runDate: '2026-07-08' });
    const response = await http<RunReport>('POST', '/runs', { runDate: '2026-07-08', wait: true });

    expect(preview.status).toBe(200);
    expect(preview.body.executions.map((e) => e.campaignName)).toEqual(['morning', 'XB daily']);
    expect(preview.body.error).toMatch(/campaign "tiered".*unknown field "attributes\.tier"/);
    expect(response.body.executions.map((e) => [e.campaignName, e.assigned])).toEqual([['morning', 10], ['XB daily', 0]]);
    expect(response.body.status).toBe('failed');
    expect(response.body.error).toMatch(/campaign "tiered".*unknown field "attributes\.tier"/);
    // Once its target group is fixed, running the date again executes it alone.
    expect((await http('PUT', `/target-groups/${tier.body.id}`, { name: 'gold tier', rule: { field: 'country', op: 'eq', value: 'XB' } })).status).toBe(200);
    const again = await runAndWait('2026-07-08');
    expect(again.executions.map((e) => [e.campaignName, e.assigned])).toEqual([['morning', 10], ['XB daily', 0], ['tiered', 10]]);
  });

  it('should report a control group as held out, never as a dispatch still pending', async () => {
    const report = (await http<RunReport>('GET', '/runs/2026-07-04')).body;
    const morning = report.executions.find((e) => e.campaignName === 'morning');

    expect(morning?.groups.map((group) => [group.kind, group.dispatch.status])).toEqual([['control', 'held_out'], ['variant', 'pending']]);
  });
});
