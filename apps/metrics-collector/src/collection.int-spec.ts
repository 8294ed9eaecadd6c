import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ManualClock, SystemClock } from '@optimove/clock';
import { createTestBroker, createTestDatabase, memberCsv, startTestService, testServiceEnv, testServiceQueues, waitFor, type RunningTestService, type TestBroker, type TestDatabase } from '@optimove/testing';
import { CollectionPoller } from './collection/collection-poller.service';
import { serviceEntry } from './service-entry';
import { API_TOKEN, EventSender, collectorSmartFocusEnv, customerIds, startSimulator } from '../test/metrics-test-kit';

// Group membership and the snapshot collection against the built simulator over real HTTP, with
// the collector's clock and the simulator's clock moved together.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('metrics-collector: group membership and snapshot collection', () => {
  const clock = new ManualClock(new Date('2026-12-01T06:00:00Z'));
  const sendAt = new Date('2026-12-01T08:00:00Z');
  const executionId = randomUUID();
  const campaignId = randomUUID();
  const variantId = randomUUID();
  const controlId = randomUUID();
  let database: TestDatabase;
  let broker: TestBroker;
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let service: RunningTestService | undefined;
  let sender: EventSender;
  let db: Client;
  let env: Record<string, string>;
  let smartFocusCampaignId: string;

  async function moveClocks(to: Date): Promise<void> {
    clock.set(to);
    await simulator.admin.setClock(to);
  }

  async function startCollector(): Promise<RunningTestService> {
    service = await startTestService(serviceEntry(env));
    return service;
  }

  async function fetches(): Promise<{ group_id: string; day: number; status: string; attempts: number; last_error: string | null }[]> {
    type Row = { group_id: string; day: number; status: string; attempts: number; last_error: string | null };
    return (await db.query<Row>('SELECT group_id, day, status, attempts, last_error FROM metrics.snapshot_fetch WHERE execution_id = $1 ORDER BY group_id, day', [executionId])).rows;
  }

  beforeAll(async () => {
    // Every clock of the in-process collector is this test's clock.
    jest.spyOn(SystemClock.prototype, 'now').mockImplementation(() => clock.now());
    database = await createTestDatabase('metrics_collection');
    broker = createTestBroker('metrics-collection');
    simulator = await startSimulator(database.url);
    env = testServiceEnv(
      { databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix },
      { ...collectorSmartFocusEnv(simulator.process.baseUrl), API_TOKEN, COLLECTION_POLL_INTERVAL_MS: '3600000', COLLECTION_RETRY_INITIAL_DELAY_MS: '60000' },
    );
    db = new Client({ connectionString: database.url });
    await db.connect();
    await moveClocks(clock.now());
    await startCollector();
    sender = await EventSender.connect(broker.amqpUrl, broker.exchange);


    // A real SmartFocus campaign for the variant: 200 members of the simulator's 300.
    await simulator.admin.loadMembersCsv(memberCsv(300));
    const templates = await simulator.admin.seedTemplates();
    const messageId = await simulator.client.messages.clone(Number(templates.messages[0].id), `optimove_${executionId}_A`);
    const segmentId = await simulator.client.segments.create({ name: `${executionId} A` });
    await simulator.client.segments.addCustomerIdCriteria(segmentId, customerIds(200));
    const created = await simulator.client.campaigns.create({ name: `${executionId} A`, sendDate: sendAt, messageId, segmentId });
    await simulator.client.campaigns.post(created.id);
    smartFocusCampaignId = String(created.id);
  }, 180_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await service?.close();
    await sender?.close();
    await simulator?.client.close();
    await simulator?.process.stop();
    await db?.end();
    await broker?.cleanup(testServiceQueues(broker.queuePrefix, 'metrics-collector')).catch(() => undefined);
    await database?.drop();
  }, 60_000);

  it('should record both groups from their chunks, once each, control group included', async () => {
    const base = { executionId, campaignId, campaignName: 'Winback', runDate: '2026-12-01', scheduledAt: sendAt.toISOString(), actionDurationDays: 7 };
    const variant = { groupId: variantId, kind: 'variant' as const, name: 'A', templateMessageId: '100000001', plannedShare: 0.8 };
    const ids = customerIds(250);
    await sender.send('lists.generated.v1', { ...base, group: variant, chunkIndex: 0, chunkCount: 2, groupSize: 200, customerIds: ids.slice(0, 100) });
    await sender.send('lists.generated.v1', { ...base, group: variant, chunkIndex: 1, chunkCount: 2, groupSize: 200, customerIds: ids.slice(100, 200) });
    // The same chunk again (a republish with a new event id) adds nothing.
    await sender.send('lists.generated.v1', { ...base, group: variant, chunkIndex: 1, chunkCount: 2, groupSize: 200, customerIds: ids.slice(100, 200) });
    await sender.send('lists.generated.v1', {
      ...base,
      group: { groupId: controlId, kind: 'control', name: 'control', plannedShare: 0.2 },
      chunkIndex: 0,
      chunkCount: 1,
      groupSize: 50,
      customerIds: ids.slice(200, 250),
    });

    // Until all four events were handled: the three chunks can be stored while the repeated one is
    // still being handled (the consumer takes several at once).
    const handled = async (): Promise<number> => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM metrics.inbox WHERE type = 'lists.generated.v1'`)).rows[0].n;
    await waitFor(async () => (await handled()) === 4, { what: 'the four chunks handled' });
    const rows = (await db.query<{ group_id: string; members: number }>('SELECT group_id, count(*)::int AS members FROM metrics.group_member WHERE execution_id = $1 GROUP BY group_id', [executionId])).rows;
    const chunks = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM metrics.group_chunk WHERE execution_id = $1', [executionId])).rows[0].n;

    expect(Object.fromEntries(rows.map((row) => [row.group_id, row.members]))).toEqual({ [variantId]: 200, [controlId]: 50 });
    expect(chunks).toBe(3);
  });

  it('should plan the send-end snapshot and seven daily ones from campaign.scheduled.v1, once', async () => {
    const scheduled = {
      executionId,
      campaignId,
      groupId: variantId,
      smartFocusCampaignId,
      smartFocusMessageId: '100000009',
      smartFocusSegmentId: '200000001',
      scheduledAt: sendAt.toISOString(),
      recipients: 200,
      matchedRecipients: 200,
    };
    await sender.send('campaign.scheduled.v1', scheduled);
    await sender.send('campaign.scheduled.v1', scheduled);

    await waitFor(async () => (await db.query(`SELECT 1 FROM metrics.inbox WHERE type = 'campaign.scheduled.v1'`)).rows.length === 2, { what: 'both events handled' });
    const planned = await fetches();
    const due = (await db.query<{ day: number; due_at: Date }>('SELECT day, due_at FROM metrics.snapshot_fetch WHERE execution_id = $1 ORDER BY day', [executionId])).rows;

    expect(planned.map((fetch) => [fetch.day, fetch.status])).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((day) => [day, 'pending']));
    expect(due[0].due_at.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(due[7].due_at.toISOString()).toBe('2026-12-08T08:00:00.000Z');
  });

  it('should fetch nothing before it is due, then the send-end snapshot, and publish it through the outbox', async () => {
    const poller = service!.app.get(CollectionPoller);
    expect(await poller.runDue()).toBe(0);

    await moveClocks(new Date(sendAt.getTime() + 61 * 60_000));
    expect(await poller.runDue()).toBe(1);

    type Row = { day: number; selected: number; sent: number; delivered: number };
    const snapshot = (await db.query<Row>('SELECT day, selected, sent, delivered FROM metrics.snapshot WHERE execution_id = $1', [executionId])).rows;
    expect(snapshot.map((row) => [row.day, row.selected])).toEqual([[0, 200]]);
    expect(snapshot[0].sent).toBeLessThanOrEqual(200);
    expect(snapshot[0].delivered).toBeGreaterThan(150);
    const published = await waitFor(async () => {
      const rows = (await db.query<{ envelope: { data: { day: number; counts: { selected: number } } } }>(`SELECT envelope FROM metrics.outbox WHERE type = 'metrics.fetched.v1' AND published_at IS NOT NULL`)).rows;
      return rows.length === 1 ? rows[0].envelope.data : undefined;
    }, { what: 'metrics.fetched.v1 published' });
    expect(published).toMatchObject({ day: 0, counts: { selected: 200 } });
  });

  it('should catch up the fetches missed while the service was down as soon as it starts again, after a move of the clock', async () => {
    await service!.close();
    service = undefined;
    await moveClocks(new Date(sendAt.getTime() + 3 * DAY + HOUR));
    await startCollector();

    const done = await waitFor(async () => {
      const rows = await fetches();
      return rows.filter((fetch) => fetch.status === 'done').length === 4 ? rows : undefined;
    }, { what: 'days 0 to 3 fetched after the restart' });
    const opens = (await db.query<{ day: number; unique_opens: number }>('SELECT day, unique_opens FROM metrics.snapshot WHERE execution_id = $1 ORDER BY day', [executionId])).rows;

    expect(done.map((fetch) => [fetch.day, fetch.status])).toEqual([[0, 'done'], [1, 'done'], [2, 'done'], [3, 'done'], [4, 'pending'], [5, 'pending'], [6, 'pending'], [7, 'pending']]);
    expect(opens.map((row) => row.day)).toEqual([0, 1, 2, 3]);
    expect(opens[3].unique_opens).toBeGreaterThan(0);
  });

  it('should store a repeated snapshot of the same group and day once, and announce it once', async () => {
    await db.query(`UPDATE metrics.snapshot_fetch SET status = 'pending', completed_at = NULL WHERE execution_id = $1 AND day = 2`, [executionId]);

    expect(await service!.app.get(CollectionPoller).runDue()).toBe(1);

    const stored = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM metrics.snapshot WHERE execution_id = $1 AND day = 2', [executionId])).rows[0].n;
    const announced = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM metrics.outbox WHERE type = 'metrics.fetched.v1' AND (envelope->'data'->>'day')::int = 2`)).rows[0].n;
    expect([stored, announced]).toEqual([1, 1]);
    expect((await fetches()).find((fetch) => fetch.day === 2)?.status).toBe('done');
  });

  it('should retry a fetch that failed on a SmartFocus outage after the backoff, on the clock', async () => {
    await simulator.admin.setFaults({ operations: [{ operation: 'campaign/getCampaignSnapshotReport', failNext: 1 }] });
    await moveClocks(new Date(sendAt.getTime() + 4 * DAY + HOUR));
    const poller = service!.app.get(CollectionPoller);

    expect(await poller.runDue()).toBe(1);
    const failed = (await fetches()).find((fetch) => fetch.day === 4)!;
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.last_error).toMatch(/SmartFocus/);
    expect(await poller.runDue()).toBe(0);

    await moveClocks(new Date(clock.now().getTime() + 61_000));
    expect(await poller.runDue()).toBe(1);
    expect((await fetches()).find((fetch) => fetch.day === 4)).toMatchObject({ status: 'done', attempts: 2, last_error: null });
  });

  it('should record a permanent failure with its reason when SmartFocus does not know the campaign', async () => {
    const lostGroup = randomUUID();
    await sender.send('campaign.scheduled.v1', {
      executionId,
      campaignId,
      groupId: lostGroup,
      smartFocusCampaignId: '399999999',
      smartFocusMessageId: '100000099',
      smartFocusSegmentId: '200000099',
      scheduledAt: sendAt.toISOString(),
      recipients: 10,
    });
    await waitFor(async () => (await db.query('SELECT 1 FROM metrics.snapshot_fetch WHERE group_id = $1', [lostGroup])).rows.length > 0, { what: 'fetches planned' });

    await service!.app.get(CollectionPoller).runDue();

    const rows = (await fetches()).filter((fetch) => fetch.group_id === lostGroup && fetch.day <= 4);
    expect(rows.map((fetch) => fetch.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
    expect(rows[0].attempts).toBe(1);
    expect(rows[0].last_error).toMatch(/NotFound/);
  });

  it('should list the schedule and the snapshots over the API', async () => {
    const response = await fetch(`${service!.baseUrl}/executions/${executionId}/snapshots`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    const body = (await response.json()) as { groupId: string; day: number; status: string; snapshot: { selected: number } | null }[];

    expect(response.status).toBe(200);
    expect(body.filter((row) => row.groupId === variantId && row.status === 'done').map((row) => row.day)).toEqual([0, 1, 2, 3, 4]);
    expect(body.find((row) => row.groupId === variantId && row.day === 3)?.snapshot?.selected).toBe(200);
  });
});
