import { randomUUID } from 'node:crypto';
import { startTestService, testServiceQueues, waitFor, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { unitHash } from '../shared/unit-hash';
import { call, createProfiles, listen, publish, type Listener, type Profiles } from '../../test/segmentation-test-kit';
import { customersCsv } from '../../test/profile-data';
import type { RunReport } from '../run-report/run-report.service';

// The nightly run end to end on the real PostgreSQL and RabbitMQ: campaigns and target groups over
// HTTP, profile data through profile-import's CLI, the lists read from the broker.

type Campaign = { id: string; salt: string; status: string };
type Message = {
  executionId: string;
  campaignId: string;
  runDate: string;
  group: { groupId: string; kind: string; name: string; templateMessageId?: string; plannedShare?: number };
  chunkIndex: number;
  chunkCount: number;
  groupSize: number;
  customerIds: string[];
  actionDurationDays?: number;
  abTestKpi?: string;
  note?: string;
};

const R1 = '2026-06-02';
const R2 = '2026-06-03';
const R3 = '2026-06-05';
const DE = 100_000;
const crafted = { XA: 10, XB: 15, XC: 15 };

// Runs over 100k customers take long on a shared 2-core machine.
jest.setTimeout(240_000);

describe('the nightly run', () => {
  let profiles: Profiles;
  let service: RunningTestService;
  let lists: Listener;
  let base: string;
  const campaigns: Record<string, Campaign> = {};
  const countryOf = new Map<string, string>();

  const http = <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => call<T>(base, method, path, body);
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await profiles.db.query(sql, params)).rows as T[];

  beforeAll(async () => {
    profiles = await createProfiles('seg_run', { GLOBAL_CONTROL_SHARE: '0.05', LIST_CHUNK_SIZE: '5000' });
    const rows: { id: string; country: string }[] = [];
    for (let i = 0; i < DE; i++) rows.push({ id: `d${String(i).padStart(6, '0')}`, country: 'DE' });
    for (const [country, count] of Object.entries(crafted)) for (let i = 0; i < count; i++) rows.push({ id: `${country.toLowerCase()}-${i}`, country });
    for (const row of rows) countryOf.set(row.id, row.country);
    await profiles.importCsv('customers', customersCsv(rows), '2026-06-01');
    service = await startTestService(serviceEntry(profiles.env));
    base = service.baseUrl;
    lists = await listen(profiles.broker, ['lists.generated.v1']);
  }, 180_000);

  afterAll(async () => {
    await lists?.close();
    await service?.close();
    await profiles?.broker.cleanup(testServiceQueues(profiles.broker.queuePrefix, 'segmentation')).catch(() => undefined);
    await profiles?.close();
  });

  const targetGroup = async (name: string, rule: unknown): Promise<string> => {
    const response = await http<{ id: string }>('POST', '/target-groups', { name, rule });
    expect(response.status).toBe(201);
    return response.body.id;
  };

  const plan = (name: string, targetGroupId: string, extra: Record<string, unknown>): Record<string, unknown> => ({
    name,
    targetGroupId,
    sendTime: '09:30',
    timeZone: 'Europe/Berlin',
    recurrence: { type: 'daily', startDate: '2026-01-01' },
    controlShare: 0,
    priority: 1,
    actionDurationDays: 2,
    ...extra,
  });

  it('should answer the dry run of a night with no campaign due: no executions', async () => {
    const preview = await http<{ executions: unknown[] }>('POST', '/runs/preview', { runDate: R1 });

    expect(preview.status).toBe(200);
    expect(preview.body.executions).toEqual([]);
  });

  it('should refuse a bad rule tree with the JSON path of each bad node, and a campaign that cannot run with its reasons', async () => {
    const badRule = await http<{ errors: { path: string; message: string }[] }>('POST', '/target-groups', {
      name: 'bad',
      rule: { all: [{ field: 'country', op: 'eq', value: 'DE' }, { any: [{ field: 'spend_90d', op: 'between', value: [10] }, { field: 'shoe_size', op: 'eq', value: 1 }] }, { not: { field: 'orders_30d', op: 'gt', value: 1.5 } }] },
    });
    expect(badRule.status).toBe(400);
    expect(badRule.body.errors).toEqual([
      { path: '$.all[1].any[0].value', message: '"between" takes [low, high]' },
      { path: '$.all[1].any[1].field', message: 'unknown field "shoe_size" (see GET /target-groups/fields)' },
      { path: '$.all[2].not.value', message: 'orders_30d is an integer field: expected a whole number' },
    ]);
    const wrongOperator = await http<{ errors: { path: string }[] }>('POST', '/target-groups/preview', { rule: { field: 'lifecycle_stage', op: 'gt', value: 'new' } });
    expect(wrongOperator).toMatchObject({ status: 400, body: { errors: [{ path: '$.op' }] } });

    const group = await targetGroup('everyone in DE', { field: 'country', op: 'eq', value: 'DE' });
    const refused = await http<{ problems: string[] }>('POST', '/campaigns', {
      ...plan('impossible', group, {}),
      timeZone: 'Moon/Base',
      variants: [{ name: 'control', templateMessageId: '1', weight: 1 }, { name: 'B', templateMessageId: '2', weight: 1 }],
      recurrence: { type: 'once', date: '2020-01-01' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual([
      '"control" is the name of the control group, not of a variant',
      'an A/B test needs abTestKpi (revenue_per_customer, purchase_rate, click_rate or open_rate)',
      '"Moon/Base" is not an IANA time zone (e.g. Europe/Berlin)',
      expect.stringMatching(/^recurrence.date 2020-01-01 is in the past/),
    ]);
    expect((await http('POST', '/campaigns', plan('no group', randomUUID(), { templateMessageId: '1' }))).status).toBe(400);
  });

  it('should manage target groups and campaigns over HTTP', async () => {
    const fields = await http<{ name: string; operators: string[] }[]>('GET', '/target-groups/fields');
    expect(fields.body.map((field) => field.name)).toEqual(expect.arrayContaining(['lifecycle_stage', 'micro_segment', 'spend_365d', 'days_since_last_purchase', 'country']));
    const groupA = await targetGroup('XA and XB', { field: 'country', op: 'in', value: ['XA', 'XB'] });
    const groupB = await targetGroup('XB and XC', { field: 'country', op: 'in', value: ['XB', 'XC'] });
    const [de] = (await http<{ id: string; name: string }[]>('GET', '/target-groups')).body.filter((group) => group.name === 'everyone in DE');

    const created = [
      await http<Campaign>('POST', '/campaigns', plan('P1', groupA, { templateMessageId: '101', priority: 1 })),
      await http<Campaign>('POST', '/campaigns', plan('P2', groupB, { templateMessageId: '102', priority: 2 })),
      await http<Campaign>('POST', '/campaigns', plan('P3', de.id, {
        priority: 3,
        controlShare: 0.2,
        actionDurationDays: 1,
        abTestKpi: 'revenue_per_customer',
        variants: [{ name: 'A', templateMessageId: '201', weight: 1 }, { name: 'B', templateMessageId: '202', weight: 1 }, { name: 'C', templateMessageId: '203', weight: 2 }],
      })),
    ];
    for (const response of created) expect(response.status).toBe(201);
    [campaigns['P1'], campaigns['P2'], campaigns['P3']] = created.map((response) => response.body);

    expect((await http('DELETE', `/target-groups/${groupA}`)).status).toBe(409);
    const paused = await http<Campaign>('POST', `/campaigns/${campaigns['P1'].id}/pause`);
    expect(paused.body.status).toBe('paused');
    expect((await http<Campaign>('POST', `/campaigns/${campaigns['P1'].id}/resume`)).body.status).toBe('active');
    const spare = await http<Campaign>('POST', '/campaigns', plan('spare', groupA, { templateMessageId: '9' }));
    expect((await http<Campaign>('POST', `/campaigns/${spare.body.id}/archive`)).body.status).toBe('archived');
    expect((await http('POST', `/campaigns/${spare.body.id}/resume`)).status).toBe(409);
    const renamed = await http<Campaign & { name: string }>('PUT', `/campaigns/${campaigns['P2'].id}`, plan('P2', groupB, { templateMessageId: '102', priority: 2 }));
    expect(renamed.body).toMatchObject({ name: 'P2', salt: campaigns['P2'].salt });
  });

  async function runAndWait(runDate: string): Promise<RunReport> {
    const response = await http<RunReport>('POST', '/runs', { runDate, wait: true });
    expect(response.status).toBe(202);
    if (response.body.status === 'failed') throw new Error(`run ${runDate} failed: ${String(response.body.error)}`);
    return response.body;
  }

  const ledger = (executionId: string): Promise<{ customer_id: string; name: string | null; exclusion_reason: string | null }[]> =>
    query(
      `SELECT l.customer_id, g.name, l.exclusion_reason FROM segmentation.assignment_ledger_v l
       LEFT JOIN segmentation.execution_groups g ON g.group_id = l.group_id WHERE l.execution_id = $1`,
      [executionId],
    );

  let globalSalt: string;
  const inGlobalControl = (id: string): boolean => unitHash(globalSalt, id) < 0.05;

  it('should apply the exclusions in order and respect priorities, explaining every customer in the ledger', async () => {
    const first = await runAndWait(R1);
    expect(first).toMatchObject({ status: 'completed', modelDate: '2026-06-01' });
    expect(first.executions.map((execution) => execution.campaignName)).toEqual(['P1', 'P2', 'P3']);
    [{ global_control_salt: globalSalt }] = await query<{ global_control_salt: string }>(`SELECT global_control_salt FROM segmentation.model_state`);

    const outcomes = async (report: RunReport, name: string): Promise<Record<string, string>> => {
      const execution = report.executions.find((e) => e.campaignName === name);
      return Object.fromEntries((await ledger(execution?.executionId ?? '')).map((row) => [row.customer_id, row.exclusion_reason ?? row.name ?? '']));
    };
    const expectOutcomes = (actual: Record<string, string>, countries: string[], decide: (id: string, country: string) => string): void => {
      const expected: Record<string, string> = {};
      for (const [id, country] of countryOf) if (countries.includes(country)) expected[id] = inGlobalControl(id) ? 'global_control' : decide(id, country);
      expect(actual).toEqual(expected);
    };
    expectOutcomes(await outcomes(first, 'P1'), ['XA', 'XB'], () => 'main');
    expectOutcomes(await outcomes(first, 'P2'), ['XB', 'XC'], (_id, country) => (country === 'XB' ? 'taken_by_priority' : 'main'));

    const second = await runAndWait(R2);
    expectOutcomes(await outcomes(second, 'P1'), ['XA', 'XB'], () => 'main');
    // XB is inside P1's action duration (sent on R1, 2 days) before it is taken by priority tonight.
    expectOutcomes(await outcomes(second, 'P2'), ['XB', 'XC'], (_id, country) => (country === 'XB' ? 'action_duration' : 'main'));
    const p2 = second.executions.find((e) => e.campaignName === 'P2');
    expect(p2?.excluded['action_duration']).toBe([...countryOf].filter(([id, c]) => c === 'XB' && !inGlobalControl(id)).length);
    // The global control group the analysis reads.
    const view = await query<{ customer_id: string }>(`SELECT customer_id FROM segmentation.global_control_v`);
    expect(view.map((row) => row.customer_id).sort()).toEqual([...countryOf.keys()].filter(inGlobalControl).sort());
  });

  it('should assign groups deterministically, stably across the days of a recurring campaign, in the planned shares on 100k customers', async () => {
    const [r1, r2] = await Promise.all(
      [R1, R2].map(async (runDate) => {
        const [execution] = await query<{ id: string }>(`SELECT id FROM segmentation.executions WHERE campaign_id = $1 AND run_date = $2`, [campaigns['P3'].id, runDate]);
        return new Map((await ledger(execution.id)).map((row) => [row.customer_id, row.exclusion_reason ?? row.name]));
      }),
    );
    expect(r1.size).toBe(DE);
    expect(r2).toEqual(r1);
    const counts: Record<string, number> = {};
    for (const outcome of r1.values()) counts[outcome ?? ''] = (counts[outcome ?? ''] ?? 0) + 1;
    const assigned = DE - counts['global_control'];
    const within = (observed: number, n: number, share: number): void => {
      const sigma = Math.sqrt(n * share * (1 - share));
      expect(Math.abs(observed - n * share)).toBeLessThan(4 * sigma);
    };
    within(counts['global_control'], DE, 0.05);
    within(counts['control'], assigned, 0.2);
    within(counts['A'], assigned, 0.2);
    within(counts['B'], assigned, 0.2);
    within(counts['C'], assigned, 0.4);
    // Re-derivable by hand from the salt and the customer id.
    const salt = campaigns['P3'].salt;
    for (const id of [...r1.keys()].slice(0, 2_000)) {
      const variant = unitHash(`${salt}:variant`, id);
      const expected = inGlobalControl(id) ? 'global_control' : unitHash(`${salt}:control`, id) < 0.2 ? 'control' : variant < 0.25 ? 'A' : variant < 0.5 ? 'B' : 'C';
      expect([id, r1.get(id)]).toEqual([id, expected]);
    }
  });

  it('should publish every group, control and empty ones included, as chunks carrying the plan', async () => {
    const [p3] = await query<{ id: string }>(`SELECT id FROM segmentation.executions WHERE campaign_id = $1 AND run_date = $2`, [campaigns['P3'].id, R1]);
    const groups = await query<{ group_id: string; name: string; group_size: number; chunk_count: number }>(
      `SELECT group_id, name, group_size, chunk_count FROM segmentation.execution_groups WHERE execution_id = $1`,
      [p3.id],
    );
    const expectedMessages = groups.reduce((sum, group) => sum + group.chunk_count, 0);
    const received = await waitFor(() => {
      const mine = lists.messages.filter((message) => message['executionId'] === p3.id) as Message[];
      return mine.length >= expectedMessages && mine;
    }, { timeoutMs: 60_000, what: 'the lists of P3' });
    expect(received).toHaveLength(expectedMessages);
    const shares: Record<string, number> = { control: 0.2, A: 0.2, B: 0.2, C: 0.4 };
    for (const group of groups) {
      const chunks = received.filter((message) => message.group.groupId === group.group_id).sort((a, b) => a.chunkIndex - b.chunkIndex);
      expect(chunks.map((chunk) => chunk.chunkIndex)).toEqual([...Array(group.chunk_count).keys()]);
      expect(group.chunk_count).toBe(Math.ceil(group.group_size / 5000));
      const ids = chunks.flatMap((chunk) => chunk.customerIds);
      // Chunks of 5000 ids, the last one the rest, each as the ledger has it.
      expect(chunks.slice(0, -1).map((chunk) => chunk.customerIds.length)).toEqual(chunks.slice(0, -1).map(() => 5000));
      expect(new Set(ids).size).toBe(ids.length);
      const ledgerChunks = await query<{ customer_ids: string[] }>(`SELECT customer_ids FROM segmentation.assignment_ledger WHERE group_id = $1 ORDER BY chunk_index`, [group.group_id]);
      expect(ledgerChunks.map((chunk) => chunk.customer_ids)).toEqual(chunks.map((chunk) => chunk.customerIds));
      for (const chunk of chunks) {
        expect(chunk).toMatchObject({ runDate: R1, groupSize: group.group_size, chunkCount: group.chunk_count, actionDurationDays: 1, abTestKpi: 'revenue_per_customer' });
        expect(chunk.group.plannedShare).toBeCloseTo(shares[group.name], 10);
        expect(chunk.group.templateMessageId).toBe({ control: undefined, A: '201', B: '202', C: '203' }[group.name]);
      }
    }
    // The chunks are built in the database: each is a whole CloudEvents envelope of its own.
    const envelopes = await query<{ event_id: string; envelope: Record<string, unknown> }>(`SELECT event_id, envelope FROM segmentation.outbox WHERE envelope->>'subject' = $1`, [p3.id]);
    expect(envelopes).toHaveLength(expectedMessages);
    for (const { event_id, envelope } of envelopes) {
      expect(envelope).toMatchObject({ specversion: '1.0', id: event_id, type: 'lists.generated.v1', source: '/segmentation', subject: p3.id, datacontenttype: 'application/json' });
      expect(new Date(envelope['time'] as string).toISOString()).toBe(envelope['time']);
    }
    // P1 holds out no control group: its control group is published empty, with a note.
    const [p1] = await query<{ id: string }>(`SELECT id FROM segmentation.executions WHERE campaign_id = $1 AND run_date = $2`, [campaigns['P1'].id, R1]);
    const empty = await waitFor(() => (lists.messages as Message[]).find((message) => message.executionId === p1.id && message.group.kind === 'control'));
    expect(empty).toMatchObject({ groupSize: 0, chunkCount: 1, customerIds: [] });
    expect(empty.note).toMatch(/^empty group/);
  });

  it('should publish nothing when a date runs again, keeping the same executions', async () => {
    const before = await http<RunReport>('GET', `/runs/${R1}`);
    const [{ outbox }] = await query<{ outbox: number }>(`SELECT count(*)::int AS outbox FROM segmentation.outbox`);
    const again = await runAndWait(R1);
    expect(again.status).toBe('completed');
    expect(again.executions.map((e) => e.executionId)).toEqual(before.body.executions.map((e) => e.executionId));
    expect((await query<{ outbox: number }>(`SELECT count(*)::int AS outbox FROM segmentation.outbox`))[0].outbox).toBe(outbox);
    const ledgerRows = await query<{ rows: number }>(`SELECT count(*)::int AS rows FROM segmentation.assignment_ledger_v`);
    expect(ledgerRows[0].rows).toBe(2 * (DE + 25 + 30));
  });

  it("should preview tonight's lists without publishing, with the difference from the last execution", async () => {
    const [{ outbox }] = await query<{ outbox: number }>(`SELECT count(*)::int AS outbox FROM segmentation.outbox`);
    const preview = await http<{ executions: { campaignName: string; outcome: string; difference: { lastRunDate: string; new: number; dropped: number; unchanged: number } }[] }>(
      'POST',
      '/runs/preview',
      { runDate: '2026-06-04' },
    );
    expect(preview.status).toBe(200);
    const p3 = preview.body.executions.find((e) => e.campaignName === 'P3');
    const [{ assigned }] = await query<{ assigned: number }>(
      `SELECT count(*)::int AS assigned FROM segmentation.assignment_ledger_v l JOIN segmentation.executions e ON e.id = l.execution_id
       WHERE e.campaign_id = $1 AND e.run_date = $2 AND l.group_id IS NOT NULL`,
      [campaigns['P3'].id, R2],
    );
    expect(p3).toMatchObject({ outcome: 'dry-run', difference: { lastRunDate: R2, new: 0, dropped: 0, unchanged: assigned } });
    expect((await query<{ outbox: number }>(`SELECT count(*)::int AS outbox FROM segmentation.outbox`))[0].outbox).toBe(outbox);
    expect(await query(`SELECT 1 FROM segmentation.executions WHERE run_date = '2026-06-04'`)).toEqual([]);
  });

  it('should hold a run after a suspicious import until a person releases it', async () => {
    await publish(profiles.broker, 'profiles.imported.v1', {
      importId: randomUUID(),
      dataset: 'transactions',
      sourceFileName: 'transactions_20260604.csv',
      asOfDate: '2026-06-04',
      rowsRead: 10,
      rowsLoaded: 10,
      rowsRejected: 0,
      checksum: 'a'.repeat(64),
      suspicious: true,
    });
    await waitFor(async () => (await query(`SELECT 1 FROM segmentation.profile_imports WHERE as_of_date = '2026-06-04'`)).length > 0, { what: 'the import event' });
    const held = await runAndWait(R3);
    expect(held).toMatchObject({ status: 'held', executions: [] });
    expect(held.heldReason).toMatch(/^suspicious import\(s\) for 2026-06-04: transactions /);
    const released = await http<RunReport>('POST', `/runs/${R3}/release`);
    expect([released.status, released.body]).toMatchObject([202, { runDate: R3 }]);
    const done = await waitFor(async () => {
      const report = (await http<RunReport>('GET', `/runs/${R3}`)).body;
      return report.status === 'completed' && report;
    }, { timeoutMs: 60_000, what: 'the released run' });
    expect(done.executions.map((e) => e.campaignName)).toEqual(['P1', 'P2', 'P3']);
    expect(done.releasedAt).not.toBeNull();
  });

  it('should record each group dispatch outcome in the run report', async () => {
    const report = (await http<RunReport>('GET', `/runs/${R1}`)).body;
    const p3 = report.executions.find((e) => e.campaignName === 'P3');
    const [a, b] = ['A', 'B'].map((name) => p3?.groups.find((group) => group.name === name));
    await publish(profiles.broker, 'campaign.scheduled.v1', {
      executionId: p3?.executionId,
      campaignId: campaigns['P3'].id,
      groupId: a?.groupId,
      smartFocusCampaignId: '77',
      smartFocusMessageId: '78',
      smartFocusSegmentId: '79',
      scheduledAt: '2026-06-02T07:30:00.000Z',
      recipients: a?.size,
    });
    await publish(profiles.broker, 'campaign.dispatch-failed.v1', {
      executionId: p3?.executionId,
      campaignId: campaigns['P3'].id,
      groupId: b?.groupId,
      step: 'create-segment',
      errorCode: 'SEGMENT_LIMIT',
      errorMessage: 'too many segments',
      attempts: 5,
    });
    const after = await waitFor(async () => {
      const groups = (await http<RunReport>('GET', `/runs/${R1}`)).body.executions.find((e) => e.campaignName === 'P3')?.groups ?? [];
      return groups.filter((group) => group.kind === 'variant' && group.dispatch.status !== 'pending').length === 2 && groups;
    }, { what: 'the dispatch outcomes' });
    expect(after.find((group) => group.name === 'A')?.dispatch).toMatchObject({ status: 'scheduled', smartFocusCampaignId: '77', recipients: a?.size });
    expect(after.find((group) => group.name === 'B')?.dispatch).toMatchObject({ status: 'failed', step: 'create-segment', errorCode: 'SEGMENT_LIMIT', attempts: 5 });
    expect(after.find((group) => group.name === 'C')?.dispatch.status).toBe('pending');
  });

  it('should preview a target group as of the model date and as of another day, and document the API', async () => {
    const [de] = (await http<{ id: string; name: string }[]>('GET', '/target-groups')).body.filter((group) => group.name === 'everyone in DE');
    const now = await http<{ asOf: string; count: number; sample: string[]; byStage: Record<string, number> }>('GET', `/target-groups/${de.id}/preview`);
    expect(now.body).toEqual({ asOf: '2026-06-04', count: DE, sample: Array.from({ length: 20 }, (_, i) => `d${String(i).padStart(6, '0')}`), byStage: { prospect: DE } });
    const earlier = await http<{ asOf: string; count: number }>('POST', '/target-groups/preview', { rule: { field: 'country', op: 'in', value: ['XA'] }, asOf: '2026-05-01' });
    expect(earlier.body).toMatchObject({ asOf: '2026-05-01', count: crafted.XA });
    const docs = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/target-groups/fields', '/campaigns', '/runs', '/runs/{runDate}', '/runs/preview', '/model/distribution', '/model/changers']));
  });

  it('should count customers published earlier tonight as taken by priority when a date runs again with a campaign that was not due before', async () => {
    // P1 alone on R4; then P2 resumed and R4 run again: P1 is not redone, and P2 finds the XB
    // customers P1 published tonight taken (no action duration covers R4: the last sends were on R3).
    const R4 = '2026-06-10';
    for (const name of ['P2', 'P3']) expect((await http<Campaign>('POST', `/campaigns/${campaigns[name].id}/pause`)).body.status).toBe('paused');
    const first = await runAndWait(R4);
    expect(first.executions.map((e) => e.campaignName)).toEqual(['P1']);
    expect((await http<Campaign>('POST', `/campaigns/${campaigns['P2'].id}/resume`)).body.status).toBe('active');
    const again = await runAndWait(R4);
    expect(again.executions.map((e) => [e.campaignName, e.executionId])).toEqual([['P1', first.executions[0].executionId], ['P2', expect.any(String)]]);
    const p2 = again.executions.find((e) => e.campaignName === 'P2');
    const outcomes = Object.fromEntries((await ledger(p2?.executionId ?? '')).map((row) => [row.customer_id, row.exclusion_reason ?? row.name]));
    const expected: Record<string, string> = {};
    for (const [id, country] of countryOf) {
      if (country === 'XB' || country === 'XC') expected[id] = inGlobalControl(id) ? 'global_control' : country === 'XB' ? 'taken_by_priority' : 'main';
    }
    expect(outcomes).toEqual(expected);
  });
});
