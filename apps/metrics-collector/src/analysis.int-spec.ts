import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ManualClock, SystemClock } from '@optimove/clock';
import { createTestBroker, createTestDatabase, migrateApp, spawnApp, startTestService, testServiceEnv, testServiceQueues, waitFor, type RunningTestService, type TestBroker, type TestDatabase } from '@optimove/testing';
import type { CampaignScheduledV1 } from '@optimove/contracts';
import type { Analysis } from './analysis/analysis-report';
import { serviceEntry } from './service-entry';
import { API_TOKEN, EventSender } from '../test/metrics-test-kit';

// The analysis of crafted executions whose figures are worked out by hand (and, for the test
// statistics, by SciPy: see the comments). Revenue comes through profile-import's CLI into
// profiles.transaction_v; the global control group is a fixture view.

describe('metrics-collector: campaign analysis', () => {
  const clock = new ManualClock(new Date('2026-11-20T12:00:00Z'));
  const sendAt = '2026-11-02T08:00:00Z';
  const campaignId = randomUUID();
  const executionId = randomUUID();
  const variantId = randomUUID();
  const controlId = randomUUID();
  const noControlExecution = randomUUID();
  const noControlVariant = randomUUID();
  let database: TestDatabase;
  let broker: TestBroker;
  let service: RunningTestService;
  let sender: EventSender;
  let db: Client;

  /** `campaign.scheduled.v1` as smartfocus-dispatch sends it once SmartFocus has the group's campaign. */
  function scheduled(execution: string, campaign: string, groupId: string, scheduledAt: string): CampaignScheduledV1 {
    return { executionId: execution, campaignId: campaign, groupId, smartFocusCampaignId: '300000001', smartFocusMessageId: '100000009', smartFocusSegmentId: '200000001', scheduledAt, recipients: 6 };
  }

  async function scheduledGroups(execution: string): Promise<number> {
    return (await db.query(`SELECT 1 FROM metrics.scheduled_group WHERE execution_id = $1`, [execution])).rows.length;
  }

  async function analysis(path: string): Promise<Analysis> {
    const response = await fetch(`${service.baseUrl}${path}`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Analysis;
  }

  beforeAll(async () => {
    jest.spyOn(SystemClock.prototype, 'now').mockImplementation(() => clock.now());
    database = await createTestDatabase('metrics_analysis');
    broker = createTestBroker('metrics-analysis');
    const env = testServiceEnv(
      { databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix },
      // No SmartFocus (a closed port): the test stores the snapshots itself.
      { API_TOKEN, SMARTFOCUS_BASE_URL: 'http://127.0.0.1:9', SMARTFOCUS_LOGIN: 'unused', SMARTFOCUS_PASSWORD: 'unused-password', SMARTFOCUS_API_KEY: 'unused-key', COLLECTION_POLL_INTERVAL_MS: '3600000' },
    );
    // profiles.transaction_v from profile-import's own migrations, its data through its CLI.
    const profileEnv = { ...env, HTTP_PORT: '0' };
    await migrateApp('profile-import', profileEnv);
    const folder = mkdtempSync(join(tmpdir(), 'analysis-'));
    const file = join(folder, 'transactions_20261120.csv');
    writeFileSync(
      file,
      [
        'transaction_id,customer_id,occurred_at,amount,currency',
        // In the window (2026-11-02T08:00Z .. 2026-11-09T08:00Z): variant V1 20, V4 25 + 15, V5 10; control K2 10, K4 30.
        'T1,V1,2026-11-03T10:00:00Z,20.00,EUR',
        'T2,V4,2026-11-04T10:00:00Z,25.00,EUR',
        'T3,V4,2026-11-08T10:00:00Z,15.00,EUR',
        'T4,V5,2026-11-02T09:00:00Z,10.00,EUR',
        'T5,K2,2026-11-05T07:00:00Z,10.00,EUR',
        'T6,K4,2026-11-06T10:00:00Z,30.00,EUR',
        // Outside it: before the send (pre-period of V1 and K1), after the end (V2), not counted as revenue.
        'T7,V1,2026-10-30T10:00:00Z,5.00,EUR',
        'T8,K1,2026-10-29T10:00:00Z,12.00,EUR',
        'T9,V2,2026-11-10T10:00:00Z,100.00,EUR',
        // The global control group (G1, G2): G1 bought 50 in the window.
        'T10,G1,2026-11-03T10:00:00Z,50.00,EUR',
      ].join('\n') + '\n',
    );
    const load = await spawnApp('profile-import', profileEnv, ['import', 'transactions', file]).exit;
    if (load.code !== 0) throw new Error(`import failed: ${load.stderr}${load.stdout}`);
    db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(`CREATE SCHEMA segmentation`);
    await db.query(`CREATE VIEW segmentation.global_control_v AS SELECT customer_id FROM (VALUES ('G1'), ('G2')) AS v (customer_id)`);
    service = await startTestService(serviceEntry(env));
    sender = await EventSender.connect(broker.amqpUrl, broker.exchange);

    const base = { executionId, campaignId, campaignName: 'Winback', runDate: '2026-11-02', scheduledAt: sendAt, actionDurationDays: 7 };
    const noControlCampaign = randomUUID();
    await sender.send('lists.generated.v1', { ...base, group: { groupId: variantId, kind: 'variant', name: 'A', templateMessageId: '100000001', plannedShare: 0.6 }, chunkIndex: 0, chunkCount: 1, groupSize: 6, customerIds: ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] });
    await sender.send('lists.generated.v1', { ...base, group: { groupId: controlId, kind: 'control', name: 'control', plannedShare: 0.4 }, chunkIndex: 0, chunkCount: 1, groupSize: 4, customerIds: ['K1', 'K2', 'K3', 'K4'] });
    await sender.send('lists.generated.v1', {
      executionId: noControlExecution,
      campaignId: noControlCampaign,
      campaignName: '=HYPERLINK("http://evil.example","click")',
      runDate: '2026-11-02',
      scheduledAt: sendAt,
      group: { groupId: noControlVariant, kind: 'variant', name: '@everyone', templateMessageId: '100000002' },
      chunkIndex: 0,
      chunkCount: 1,
      groupSize: 3,
      customerIds: ['V1', 'V2', 'V3'],
    });
    // Both variants were handed to SmartFocus, which scheduled them.
    await sender.send('campaign.scheduled.v1', scheduled(executionId, campaignId, variantId, sendAt));
    await sender.send('campaign.scheduled.v1', scheduled(noControlExecution, noControlCampaign, noControlVariant, sendAt));
    await waitFor(async () => (await db.query(`SELECT 1 FROM metrics.group_member`)).rows.length === 13, { what: 'members recorded' });
    await waitFor(async () => (await scheduledGroups(executionId)) + (await scheduledGroups(noControlExecution)) === 2, { what: 'variants scheduled' });
    // A day-1 snapshot of the variant, stored as the collector stores them.
    await db.query(
      `INSERT INTO metrics.snapshot (execution_id, group_id, day, smartfocus_campaign_id, fetched_at, selected, sent, delivered, bounces, unique_opens, unique_clicks, unsubscribes, complaints)
       VALUES ($1, $2, 1, '300000001', '2026-11-03T08:05:00Z', 6, 6, 5, 1, 2, 1, 0, 0)`,
      [executionId, variantId],
    );
  }, 180_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await service?.close();
    await sender?.close();
    await db?.end();
    await broker?.cleanup(testServiceQueues(broker.queuePrefix, 'metrics-collector')).catch(() => undefined);
    await database?.drop();
  }, 60_000);

  it('should give the hand-computed figures of a closed window, fixed-horizon', async () => {
    const result = await analysis(`/executions/${executionId}/analysis`);

    expect(result.state).toBe('ok');
    expect(result.figures).toBe('fixed_horizon');
    expect(result.window).toMatchObject({ from: '2026-11-02T08:00:00.000Z', to: '2026-11-09T08:00:00.000Z', closed: true, actionDurationDays: 7, actionDurationSource: 'plan' });
    const variant = result.groups.find((group) => group.groupId === variantId)!;
    const control = result.groups.find((group) => group.groupId === controlId)!;
    // Variant: 20 + 25 + 15 + 10 = 70 over 6 members (V2's 100 is after the window, V1's 5 before it).
    expect(variant).toMatchObject({ name: 'A', kind: 'variant', size: 6, revenue: { total: '70.00', purchasers: 3, purchaseRate: 0.5 } });
    expect(variant.revenue.perCustomer).toBeCloseTo(70 / 6, 10);
    expect(control).toMatchObject({ kind: 'control', size: 4, revenue: { total: '40.00', perCustomer: 10, purchasers: 2, purchaseRate: 0.5 } });
    expect(variant.funnel).toEqual([
      { day: 1, fetchedAt: '2026-11-03T08:05:00.000Z', sent: 6, delivered: 5, opens: 2, clicks: 1, unsubscribes: 0, bounces: 1, rates: { delivery: 5 / 6, open: 0.4, click: 0.2, unsubscribe: 0, bounce: 1 / 6 } },
    ]);
    const [comparison] = result.comparisons;
    // SciPy: ttest_ind([20,0,0,40,10,0], [0,10,0,30], equal_var=False) -> t 0.17303, p 0.8674051618527898, df 7.17716.
    expect(comparison.revenuePerCustomer).toMatchObject({ kind: 'fixed_horizon', status: 'ok', control: 10, significant: false });
    expect(comparison.revenuePerCustomer.difference).toBeCloseTo(5 / 3, 10);
    expect(comparison.revenuePerCustomer.relative).toBeCloseTo(1 / 6, 10);
    expect(comparison.revenuePerCustomer.pValue).toBeCloseTo(0.8674051618527898, 6);
    expect(comparison.revenuePerCustomer.ciLow).toBeCloseTo(-20.996208697882786, 6);
    expect(comparison.revenuePerCustomer.ciHigh).toBeCloseTo(24.32954203121612, 6);
    // Purchase rate 3/6 against 2/4: under no effect the control is expected to have 2 purchasers,
    // too few for the z-test (libs/statistics README, "Rates"): no figures.
    expect(comparison.purchaseRate).toMatchObject({ status: 'too_small', difference: 0, pValue: null, significant: false });
    expect(comparison.purchaseRate.reason).toMatch(/expected to have .* needs 5/);
    expect(comparison.revenuePerCustomer.reason).toBeNull();
    expect(comparison.incrementalRevenue.value).toBeCloseTo(10, 10);
    expect(comparison.cupedRevenuePerCustomer.kind).toBe('fixed_horizon');
    expect(comparison.minimumDetectableEffect.revenuePerCustomer).toBeGreaterThan(0);
    // Planned 0.6 / 0.4 of 10 members, observed 6 / 4: chi-square 0.
    expect(result.srm).toMatchObject({ checked: true, chiSquare: 0, pValue: 1, mismatch: false });
    expect(result.abTest).toBeNull();
    // Programme: the 6 contacted customers (70 in all) against G1 and G2 (50).
    expect(result.programme).toMatchObject({ available: true, contacted: { size: 6, revenue: { total: '70.00' } }, globalControl: { size: 2, revenue: { total: '50.00', perCustomer: 25 } } });
  });

  it('should show sequential figures while the action duration runs, and nothing before the send', async () => {
    clock.set(new Date('2026-11-05T08:00:00Z'));
    const running = await analysis(`/executions/${executionId}/analysis`);
    clock.set(new Date('2026-11-01T08:00:00Z'));
    const early = await analysis(`/executions/${executionId}/analysis`);
    clock.set(new Date('2026-11-20T12:00:00Z'));

    expect(running.figures).toBe('sequential');
    expect(running.window).toMatchObject({ to: '2026-11-05T08:00:00.000Z', closed: false });
    // Until 2026-11-05T08:00: variant V1 20, V4 25 and V5 10; control K2 10.
    expect(running.groups.find((group) => group.groupId === variantId)?.revenue.total).toBe('55.00');
    expect(running.groups.find((group) => group.groupId === controlId)?.revenue.total).toBe('10.00');
    expect(running.comparisons[0].revenuePerCustomer.kind).toBe('sequential');
    expect(running.comparisons[0].revenuePerCustomer.method).toMatch(/SPRT/);
    // Purchase rate 3/6 (V1, V4, V5) against 1/4 (K2): too few purchasers for figures.
    expect(running.comparisons[0].purchaseRate).toMatchObject({ kind: 'sequential', status: 'too_small', difference: 0.25, pValue: null });
    // Revenue [20, 25, 10, 0, 0, 0] against [10, 0, 0, 0]: V is the pooled s²ₚ(1/6 + 1/4) = 36.2413 (above
    // Welch's 26.9444). The mixture W comes from the pre-period (2026-10-26T08:00 .. the send): V1
    // spent 5, K1 12, W = var([5,0,0,0,0,0])/6 + var([12,0,0,0])/4 = 9.6944. SciPy (the mixture
    // integrated numerically, mixture_case in libs/statistics/test/reference/reference.py): p 1,
    // interval -11.952795066345539 .. 25.28612839967887.
    expect(running.comparisons[0].revenuePerCustomer).toMatchObject({ kind: 'sequential', status: 'ok', pValue: 1 });
    expect(running.comparisons[0].revenuePerCustomer.ciLow).toBeCloseTo(-11.952795066345539, 6);
    expect(running.comparisons[0].revenuePerCustomer.ciHigh).toBeCloseTo(25.28612839967887, 6);
    // The programme over its own window (the send to now, a pre-period of 3 days): contacted 55 (V1, V4, V5), G1 50.
    expect(running.programme).toMatchObject({ available: true, contacted: { size: 6, revenue: { total: '55.00' } }, globalControl: { size: 2, revenue: { total: '50.00' } } });
    expect(early.state).toBe('too_early');
    expect(early.comparisons).toEqual([]);
  });

  it('should say a campaign dispatched with no control group has no uplift, and neutralise formulas in the CSV', async () => {
    const result = await analysis(`/executions/${noControlExecution}/analysis`);
    const response = await fetch(`${service.baseUrl}/executions/${noControlExecution}/analysis?format=csv`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    const csv = await response.text();

    expect(result.state).toBe('no_control_group');
    expect(result.comparisons).toEqual([]);
    expect(result.window.actionDurationSource).toBe('default');
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain(`,'@everyone,`);
    expect(csv).not.toMatch(/(^|,)[=@]/m);
  });

  it('should pool a campaign\'s same-named groups over its executions, keyed by kind and name with every group id, and refuse an unknown one', async () => {
    // The campaign's second execution, a day later: variant A of 3 (W1..W3), control of 2 (L1, L2), its own group ids.
    const secondExecution = randomUUID();
    const secondVariant = randomUUID();
    const secondControl = randomUUID();
    const second = { executionId: secondExecution, campaignId, campaignName: 'Winback', runDate: '2026-11-03', scheduledAt: '2026-11-03T08:00:00Z', actionDurationDays: 7 };
    await sender.send('lists.generated.v1', { ...second, group: { groupId: secondVariant, kind: 'variant', name: 'A', templateMessageId: '100000001', plannedShare: 0.6 }, chunkIndex: 0, chunkCount: 1, groupSize: 3, customerIds: ['W1', 'W2', 'W3'] });
    await sender.send('lists.generated.v1', { ...second, group: { groupId: secondControl, kind: 'control', name: 'control', plannedShare: 0.4 }, chunkIndex: 0, chunkCount: 1, groupSize: 2, customerIds: ['L1', 'L2'] });
    await sender.send('campaign.scheduled.v1', scheduled(secondExecution, campaignId, secondVariant, '2026-11-03T08:00:00Z'));
    await waitFor(async () => (await db.query(`SELECT 1 FROM metrics.group_member WHERE execution_id = $1`, [secondExecution])).rows.length === 5, { what: 'second execution recorded' });
    await waitFor(async () => (await scheduledGroups(secondExecution)) === 1, { what: 'second execution scheduled' });

    const result = await analysis(`/campaigns/${campaignId}/analysis`);
    const single = await analysis(`/executions/${executionId}/analysis`);
    const missing = await fetch(`${service.baseUrl}/executions/${randomUUID()}/analysis`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });

    expect(result.scope).toMatchObject({ executionId: null, campaignId, executions: 2 });
    expect(result.groups.map(({ key, groupId, groupIds, name, size }) => ({ key, groupId, groupIds, name, size }))).toEqual([
      { key: 'variant:A', groupId: null, groupIds: [variantId, secondVariant], name: 'A', size: 9 },
      { key: 'control:control', groupId: null, groupIds: [controlId, secondControl], name: 'control', size: 6 },
    ]);
    expect(result.comparisons.map(({ key, groupId }) => ({ key, groupId }))).toEqual([{ key: 'variant:A', groupId: null }]);
    expect(result.srm.observed).toEqual({ 'variant:A': 9, 'control:control': 6 });
    // Programme from the first send to the second's end (2026-11-10T08:00): the 9 contacted bought 70 (V2's 100 comes later).
    expect(result.programme).toMatchObject({ available: true, contacted: { size: 9, revenue: { total: '70.00' } }, globalControl: { size: 2, revenue: { total: '50.00' } } });
    // One execution: each group is itself, keyed by its group id.
    expect(single.groups.map(({ key, groupId, groupIds }) => ({ key, groupId, groupIds }))).toEqual([
      { key: variantId, groupId: variantId, groupIds: [variantId] },
      { key: controlId, groupId: controlId, groupIds: [controlId] },
    ]);
    expect(missing.status).toBe(404);
  });
  describe('variants SmartFocus did not schedule', () => {
    // A campaign with variants A and B and a control group, run on two dates. On the first,
    // SmartFocus scheduled A and refused B (campaign.dispatch-failed.v1, BUDGET_SPENT); on the
    // second it scheduled neither. A and the control hold the first test's customers, so A
    // against control gives the same hand-computed figures; B's customers bought nothing.
    const reactivation = randomUUID();
    const partial = { executionId: randomUUID(), a: randomUUID(), b: randomUUID(), control: randomUUID() };
    const unsent = { executionId: randomUUID(), a: randomUUID(), b: randomUUID(), control: randomUUID() };
    const budgetSpent = { step: 'post-campaign', errorCode: 'BUDGET_SPENT', errorMessage: 'The account has spent its sending budget', attempts: 3 } as const;

    async function generate(execution: typeof partial, runDate: string, scheduledAt: string): Promise<void> {
      const base = { executionId: execution.executionId, campaignId: reactivation, campaignName: 'Reactivation', runDate, scheduledAt, actionDurationDays: 7 };
      const groups = [
        { group: { groupId: execution.a, kind: 'variant' as const, name: 'A', templateMessageId: '100000001', plannedShare: 0.4 }, customerIds: ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] },
        { group: { groupId: execution.b, kind: 'variant' as const, name: 'B', templateMessageId: '100000003', plannedShare: 0.4 }, customerIds: ['B1', 'B2', 'B3'] },
        { group: { groupId: execution.control, kind: 'control' as const, name: 'control', plannedShare: 0.2 }, customerIds: ['K1', 'K2', 'K3', 'K4'] },
      ];
      for (const { group, customerIds } of groups) await sender.send('lists.generated.v1', { ...base, group, chunkIndex: 0, chunkCount: 1, groupSize: customerIds.length, customerIds });
      await waitFor(async () => (await db.query(`SELECT 1 FROM metrics.group_member WHERE execution_id = $1`, [execution.executionId])).rows.length === 13, { what: 'members recorded' });
    }

    async function failed(execution: typeof partial, groupId: string): Promise<string> {
      return sender.send('campaign.dispatch-failed.v1', { executionId: execution.executionId, campaignId: reactivation, groupId, ...budgetSpent });
    }

    it('should compare only the variant SmartFocus scheduled against control, and list the one whose dispatch failed as not sent with its reason', async () => {
      await generate(partial, '2026-11-02', sendAt);
      await sender.send('campaign.scheduled.v1', scheduled(partial.executionId, reactivation, partial.a, sendAt));
      // The failure twice (a republish under a new event id): recorded once.
      const failures = [await failed(partial, partial.b), await failed(partial, partial.b)];
      await waitFor(async () => (await scheduledGroups(partial.executionId)) === 1, { what: 'A scheduled' });

      const result = await analysis(`/executions/${partial.executionId}/analysis`);

      expect(result.state).toBe('ok');
      expect(result.groups.map((group) => group.key)).toEqual([partial.a, partial.control]);
      // A against control as in the first test: nothing of B's in the comparison, nor an A/B test of one variant.
      expect(result.comparisons.map((comparison) => comparison.key)).toEqual([partial.a]);
      expect(result.comparisons[0].revenuePerCustomer.pValue).toBeCloseTo(0.8674051618527898, 6);
      expect(result.comparisons[0].incrementalRevenue.value).toBeCloseTo(10, 10);
      expect(result.abTest).toBeNull();
      // Contacted: A's 6 customers alone.
      expect(result.programme).toMatchObject({ available: true, contacted: { size: 6, revenue: { total: '70.00' } } });
      const notSent = await waitFor(async () => {
        const listed = (await analysis(`/executions/${partial.executionId}/analysis`)).notSent;
        return listed?.[0]?.status === 'failed' ? listed : undefined;
      }, { what: "B's dispatch failure in the analysis" });
      expect(notSent).toEqual([{ executionId: partial.executionId, groupId: partial.b, name: 'B', size: 3, status: 'failed', failure: budgetSpent }]);
      const recorded = (await db.query(`SELECT 1 FROM metrics.dispatch_failure WHERE group_id = $1`, [partial.b])).rows.length;
      const handled = (await db.query(`SELECT 1 FROM metrics.inbox WHERE event_id = ANY($1::uuid[])`, [failures])).rows.length;
      expect([recorded, handled]).toEqual([1, 2]);
    });

    it('should give an execution none of whose variants was scheduled no verdict and no contacted customers, and leave it out of its campaign', async () => {
      await generate(unsent, '2026-11-03', '2026-11-03T08:00:00Z');
      const failures = [await failed(unsent, unsent.a), await failed(unsent, unsent.b)];

      const result = await analysis(`/executions/${unsent.executionId}/analysis`);

      expect(result.state).toBe('not_sent');
      expect(result.message).toMatch(/no variant was sent/i);
      expect(result.groups.map((group) => group.key)).toEqual([unsent.control]);
      expect(result.comparisons).toEqual([]);
      expect(result.abTest).toBeNull();
      expect(result.programme).toMatchObject({ available: false, contacted: null });
      expect(result.programme.reason).toMatch(/no variant was sent/i);
      await waitFor(async () => (await db.query(`SELECT 1 FROM metrics.inbox WHERE event_id = ANY($1::uuid[])`, [failures])).rows.length === 2, { what: 'both failures handled' });
      const withReasons = await analysis(`/executions/${unsent.executionId}/analysis`);
      expect(withReasons.notSent.map(({ groupId, status, failure }) => ({ groupId, status, errorCode: failure?.errorCode }))).toEqual([
        { groupId: unsent.a, status: 'failed', errorCode: 'BUDGET_SPENT' },
        { groupId: unsent.b, status: 'failed', errorCode: 'BUDGET_SPENT' },
      ]);
      expect(withReasons.message).toContain('BUDGET_SPENT');
      // The campaign: the first date's A and control only, over the first date's window.
      const campaign = await analysis(`/campaigns/${reactivation}/analysis`);
      expect(campaign.groups.map(({ key, groupIds, size }) => ({ key, groupIds, size }))).toEqual([
        { key: 'variant:A', groupIds: [partial.a], size: 6 },
        { key: 'control:control', groupIds: [partial.control], size: 4 },
      ]);
      expect(campaign.window).toMatchObject({ from: '2026-11-02T08:00:00.000Z', to: '2026-11-09T08:00:00.000Z' });
      expect(campaign.notSent.map((variant) => variant.groupId)).toEqual([partial.b, unsent.a, unsent.b]);
      expect(campaign.programme).toMatchObject({ contacted: { size: 6 } });
    });
  });
  describe('A/B test on a snapshot rate', () => {
    // A campaign decided on open rate, A and B with no control group, run on two dates. On the
    // first, A's day-1 snapshot is stored while B's day-1 fetch is still being retried; on the
    // second, A has its day-0 snapshot and B none (its fetches failed for good). Opens are
    // cumulative: a day-1 figure is no match for a day-0 one.
    const newsletter = randomUUID();
    const lagging = { executionId: randomUUID(), a: randomUUID(), b: randomUUID() };
    const missing = { executionId: randomUUID(), a: randomUUID(), b: randomUUID() };

    async function generate(execution: typeof lagging, runDate: string, scheduledAt: string): Promise<void> {
      const base = { executionId: execution.executionId, campaignId: newsletter, campaignName: 'Newsletter', runDate, scheduledAt, actionDurationDays: 7, abTestKpi: 'open_rate' as const };
      const groups = [
        { group: { groupId: execution.a, kind: 'variant' as const, name: 'A', templateMessageId: '100000001', plannedShare: 0.5 }, customerIds: ['N1', 'N2', 'N3'] },
        { group: { groupId: execution.b, kind: 'variant' as const, name: 'B', templateMessageId: '100000003', plannedShare: 0.5 }, customerIds: ['N4', 'N5', 'N6'] },
      ];
      for (const { group, customerIds } of groups) await sender.send('lists.generated.v1', { ...base, group, chunkIndex: 0, chunkCount: 1, groupSize: customerIds.length, customerIds });
      for (const groupId of [execution.a, execution.b]) await sender.send('campaign.scheduled.v1', scheduled(execution.executionId, newsletter, groupId, scheduledAt));
      await waitFor(async () => (await scheduledGroups(execution.executionId)) === 2, { what: 'both variants scheduled' });
    }

    /** A snapshot as the collector stores it: 1,000 delivered and `opens` unique opens, `day` days after the send. */
    async function snapshot(execution: typeof lagging, groupId: string, day: number, opens: number): Promise<void> {
      await db.query(
        `INSERT INTO metrics.snapshot (execution_id, group_id, day, smartfocus_campaign_id, fetched_at, selected, sent, delivered, bounces, unique_opens, unique_clicks, unsubscribes, complaints)
         SELECT $1, $2, $3, '300000001', e.scheduled_at + make_interval(hours => greatest($3 * 24, 1)), 1000, 1000, 1000, 0, $4, 0, 0, 0 FROM metrics.execution e WHERE e.execution_id = $1`,
        [execution.executionId, groupId, day, opens],
      );
    }

    beforeAll(async () => {
      await generate(lagging, '2026-11-02', sendAt);
      await generate(missing, '2026-11-03', '2026-11-03T08:00:00Z');
      // Day 0: A 50 opens, B 60; day 1: A 300, B's still being retried.
      await snapshot(lagging, lagging.a, 0, 50);
      await snapshot(lagging, lagging.b, 0, 60);
      await snapshot(lagging, lagging.a, 1, 300);
      await snapshot(missing, missing.a, 0, 40);
    }, 60_000);

    it('should compare open rates on the latest snapshot day every variant has, and say which', async () => {
      const execution = await analysis(`/executions/${lagging.executionId}/analysis`);
      const campaign = await analysis(`/campaigns/${newsletter}/analysis`);

      // Day 0: B 60 / 1,000 against A 50 / 1,000, not A's day 1 (300) against B's day 0.
      // By hand: pooled rate 110 / 2,000, z = 0.01 / √(0.055 × 0.945 × 2 / 1,000) = 0.980816, two-sided p 0.326683.
      expect(execution.abTest).toMatchObject({ kpi: 'open_rate', snapshotDay: 0, winner: null });
      expect(execution.abTest?.comparisons).toMatchObject([{ key: lagging.b, againstKey: lagging.a }]);
      expect(execution.abTest?.comparisons[0].difference).toBeCloseTo(0.01, 12);
      expect(execution.abTest?.comparisons[0].pValue).toBeCloseTo(0.326683, 5);
      expect(execution.abTest?.verdict).toMatch(/snapshot day 0/);
      // The campaign: day 0 is the latest both pooled variants have (A's of both dates, B's of the first).
      expect(campaign.abTest).toMatchObject({ snapshotDay: 0, winner: null, comparisons: [{ key: 'variant:B', againstKey: 'variant:A' }] });
    });

    it('should withhold the verdict, saying why, when no snapshot day is common to every variant', async () => {
      const result = await analysis(`/executions/${missing.executionId}/analysis`);
      const response = await fetch(`${service.baseUrl}/executions/${missing.executionId}/analysis?format=csv`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });

      expect(result.abTest).toMatchObject({ kpi: 'open_rate', snapshotDay: null, winner: null, comparisons: [] });
      expect(result.abTest?.verdict).toMatch(/no snapshot day that every variant has/);
      expect(await response.text()).toMatch(/abTest,,,snapshotDay,\r\n/);
    });
  });
});
