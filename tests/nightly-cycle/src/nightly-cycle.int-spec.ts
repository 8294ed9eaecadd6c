import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { NightlyCycle, StackClient, smartFocusCampaignOf, type Analysis, type CycleCampaigns, type ExecutionReport, type RunReport, type StackApp } from '@optimove/nightly-cycle';
import { SyntheticRetailer } from '@optimove/synthetic-retailer';
import {
  SIMULATOR_API_KEY,
  SIMULATOR_LOGIN,
  SIMULATOR_PASSWORD,
  SimulatorAdmin,
  createTestBroker,
  createTestDatabase,
  freePort,
  migrateApp,
  simulatorEnv,
  startAppProcess,
  testServiceEnv,
  testServiceQueues,
  waitFor,
  type AppExit,
  type AppName,
  type AppProcess,
  type TestBroker,
  type TestDatabase,
} from '@optimove/testing';

// The product's whole nightly cycle at small scale, as the demo runs it (libs/nightly-cycle), with
// the five apps as real processes built in dist, the real broker and database, and the SmartFocus
// simulator over HTTP: a retailer's files in, three campaigns, the night, SmartFocus dispatch
// (killed once mid-way), a simulated week of snapshots, purchases with a planted effect, and each
// campaign's analysis. The cycle drives the apps over HTTP only; this test reads their databases
// to check what each one recorded against the others.

const API_TOKEN = 'test-api-token-0123456789';
const CUSTOMERS = 4_000;
const AS_OF = '2026-12-07';
/** The win-back's window for the planted purchases: its action duration. */
const WINDOW_DAYS = 14;
const STARTED = Date.now();

function log(line: string): void {
  process.stderr.write(`[nightly cycle ${((Date.now() - STARTED) / 1000).toFixed(1)} s] ${line}\n`);
}

/** The salts the assignment hashes customer ids with (random at migration and creation), fixed by the first test. */
const GLOBAL_CONTROL_SALT = '5e1f0000-0000-4000-8000-000000000000';
const SALTS: Record<keyof CycleCampaigns, string> = {
  winback: '5e1f0000-0000-4000-8000-000000000001',
  abTest: '5e1f0000-0000-4000-8000-000000000002',
  welcome: '5e1f0000-0000-4000-8000-000000000003',
};
/** Lifecycle stages of each campaign's target group (the rules NightlyCycle.createCampaigns saves). */
const TARGET_STAGES: Record<keyof CycleCampaigns, string[]> = { winback: ['at_risk', 'churned'], abTest: ['active', 'reactivated'], welcome: ['new'] };

type Listener = { lists: { executionId: string; group: { groupId: string }; chunkIndex: number; customerIds: string[] }[]; scheduled: { groupId: string; smartFocusCampaignId: string }[] };

describe('the nightly cycle end to end', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let db: Client;
  let connection: amqplib.ChannelModel | undefined;
  const listener: Listener = { lists: [], scheduled: [] };
  const listenQueue = (): string => `${broker.queuePrefix}e2e-listener`;
  const apps = new Map<AppName, AppProcess>();
  let dispatchEnv: Record<string, string>;
  let admin: SimulatorAdmin;
  let stack: StackClient;
  let cycle: NightlyCycle;
  let campaigns: CycleCampaigns;
  let report: RunReport;

  const executionOf = (campaign: keyof CycleCampaigns): ExecutionReport => {
    const execution = report.executions.find((one) => one.campaignId === campaigns[campaign].id);
    if (!execution) throw new Error(`no execution of ${campaign} in the run of ${report.runDate}`);
    return execution;
  };
  const variantGroups = (): { execution: ExecutionReport; group: ExecutionReport['groups'][number] }[] =>
    report.executions.flatMap((execution) => execution.groups.filter((group) => group.kind === 'variant').map((group) => ({ execution, group })));
  const ids = async (sql: string, values: unknown[]): Promise<string[]> => (await db.query<{ id: string }>(sql, values)).rows.map((row) => row.id).sort();
  const ledgerMembers = (groupId: string): Promise<string[]> => ids('SELECT customer_id AS id FROM segmentation.assignment_ledger_v WHERE group_id = $1', [groupId]);
  const collectorMembers = (groupId: string): Promise<string[]> => ids('SELECT customer_id AS id FROM metrics.group_member WHERE group_id = $1', [groupId]);
  const simulatorCampaigns = async (): Promise<{ name: string; id: string; status: string }[]> =>
    (await db.query<{ name: string; id: string; status: string }>('SELECT name, campaign_id::text AS id, status FROM simulator.campaign ORDER BY campaign_id')).rows;

  beforeAll(async () => {
    database = await createTestDatabase('nightly_cycle');
    broker = createTestBroker('nightly-cycle');
    db = new Client({ connectionString: database.url });
    await db.connect();
    const { HTTP_PORT: _anyPort, ...common } = testServiceEnv(
      { databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix },
      { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn', SIMULATOR_ENGAGEMENT_SEED: 'nightly-cycle-e2e', ...simulatorEnv() },
    );

    // The simulator first, its clock at the evening the files arrive; every other app follows it.
    const simulator = await startAppProcess('smartfocus-simulator', common, { readyTimeoutMs: 120_000 });
    apps.set('smartfocus-simulator', simulator);
    admin = new SimulatorAdmin(simulator.baseUrl, API_TOKEN);
    const followers = {
      ...common,
      CLOCK_FOLLOW_URL: `${simulator.baseUrl}/admin/clock`,
      SMARTFOCUS_BASE_URL: simulator.baseUrl,
      SMARTFOCUS_LOGIN: SIMULATOR_LOGIN,
      SMARTFOCUS_PASSWORD: SIMULATOR_PASSWORD,
      SMARTFOCUS_API_KEY: SIMULATOR_API_KEY,
    };
    const envOf: Record<Exclude<StackApp, 'smartfocus-simulator'>, Record<string, string>> = {
      'profile-import': { ...followers, IMPORT_INBOX_DIR: '' },
      // The cycle starts the night itself (POST /runs); small chunks, so every group spans several.
      segmentation: { ...followers, RUN_SCHEDULE_ENABLED: 'false', LIST_CHUNK_SIZE: '250' },
      'metrics-collector': { ...followers, COLLECTION_POLL_INTERVAL_MS: '250' },
      // A lease on the followed clock short enough for the restarted dispatch to take over at once.
      'smartfocus-dispatch': { ...followers, DISPATCH_POLL_INTERVAL_MS: '250', DISPATCH_CLAIM_LEASE_MS: '1500' },
    };
    for (const env of Object.values(envOf)) env['HTTP_PORT'] = String(await freePort());
    dispatchEnv = envOf['smartfocus-dispatch'];

    stack = new StackClient(
      {
        'smartfocus-simulator': simulator.baseUrl,
        'profile-import': `http://127.0.0.1:${envOf['profile-import']['HTTP_PORT']}`,
        segmentation: `http://127.0.0.1:${envOf.segmentation['HTTP_PORT']}`,
        'smartfocus-dispatch': `http://127.0.0.1:${dispatchEnv['HTTP_PORT']}`,
        'metrics-collector': `http://127.0.0.1:${envOf['metrics-collector']['HTTP_PORT']}`,
      },
      API_TOKEN,
    );
    cycle = new NightlyCycle(stack, new SyntheticRetailer({ seed: 'nightly-cycle-e2e', customers: CUSTOMERS, asOfDate: AS_OF }), { asOfDate: AS_OF, log, timeoutMs: 90_000 });
    await cycle.setClock(cycle.evening());

    // A listener of the events between the apps, bound before anything is published.
    connection = await amqplib.connect(broker.amqpUrl);
    const channel = await connection.createChannel();
    await channel.assertExchange(broker.exchange, 'topic', { durable: true });
    await channel.assertQueue(listenQueue(), { durable: false });
    for (const key of ['lists.generated.v1', 'campaign.scheduled.v1']) await channel.bindQueue(listenQueue(), broker.exchange, key);
    await channel.consume(listenQueue(), (message) => {
      if (!message) return;
      const event = JSON.parse(message.content.toString('utf8')) as { type: string; data: never };
      if (event.type === 'lists.generated.v1') listener.lists.push(event.data);
      if (event.type === 'campaign.scheduled.v1') listener.scheduled.push(event.data);
      channel.ack(message);
    });

    // Migrations one after the other (segmentation's views read profile-import's), then the apps
    // together; dispatch dies with SIGKILL right after SmartFocus accepted its first post.
    for (const [app, env] of Object.entries(envOf)) await migrateApp(app as AppName, env);
    const started = await Promise.all(
      Object.entries(envOf).map(async ([app, env]) => {
        const crash: Record<string, string> = app === 'smartfocus-dispatch' ? { DISPATCH_TEST_CRASH_POINTS: 'after-call:post-campaign' } : {};
        return [app, await startAppProcess(app as AppName, { ...env, ...crash }, { migrate: false, readyTimeoutMs: 120_000 })] as const;
      }),
    );
    for (const [app, running] of started) apps.set(app as AppName, running);
    log(`stack ready (${CUSTOMERS} customers, files of ${AS_OF})`);
  }, 300_000);

  afterAll(async () => {
    const exits = await Promise.all([...apps.entries()].map(async ([app, running]) => [app, await running.stop()] as const));
    // E2E_APP_LOGS=<folder> keeps what each app printed (TEST_LOG_LEVEL sets how much).
    const folder = process.env['E2E_APP_LOGS'];
    if (folder) for (const [app, exit] of exits) writeFileSync(join(folder, `${app}.log`), `${exit.stderr}${exit.stdout}`);
    await connection?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    // The consumers' queues, with their retry and dead-letter queues.
    const all = ['segmentation', 'smartfocus-dispatch', 'metrics-collector'].flatMap((service) => testServiceQueues(broker.queuePrefix, service));
    await broker?.cleanup([listenQueue(), ...all]).catch(() => undefined);
    await database?.drop();
  }, 60_000);

  it('should take in the day\'s files and the marketer\'s campaigns over HTTP', async () => {
    const members = await cycle.loadMembers();
    expect(members).toMatchObject({ inserted: CUSTOMERS, rejected: 0 });
    const files = await cycle.deliverFiles();
    expect(files.customers).toMatchObject({ status: 'applied', rows: { loaded: CUSTOMERS, rejected: 0 } });
    expect(files.transactions).toMatchObject({ status: 'applied', rows: { rejected: 0 } });
    campaigns = await cycle.createCampaigns(await cycle.templates());
    expect(Object.values(campaigns).map((campaign) => campaign.reused)).toEqual([false, false, false]);

    // Each customer's group follows from its id and the campaign's salt, random at creation. Fixed
    // here, with the retailer's seed, so every run of this test is the same cycle: the campaign
    // without a planted effect then gives one verdict, not a false positive 5 % of the time.
    expect((await db.query('UPDATE segmentation.model_state SET global_control_salt = $1', [GLOBAL_CONTROL_SALT])).rowCount).toBe(1);
    for (const [campaign, salt] of Object.entries(SALTS)) {
      const updated = await db.query('UPDATE segmentation.campaigns SET salt = $2 WHERE id = $1', [campaigns[campaign as keyof CycleCampaigns].id, salt]);
      expect(updated.rowCount).toBe(1);
    }
  }, 120_000);

  it('should put in each list exactly the targeted customers minus the exclusions, split as planned, and record the same groups in metrics-collector', async () => {
    report = await cycle.runNight();
    log(`the night of ${report.runDate}: ${report.executions.map((one) => `${one.campaignName} ${one.targeted} targeted`).join(', ')}`);
    expect(report.executions).toHaveLength(3);
    for (const campaign of Object.keys(campaigns) as (keyof CycleCampaigns)[]) {
      const execution = executionOf(campaign);
      // The target set computed here from the customer model, apart from the target group's compiled rule.
      const expected = await ids('SELECT customer_id AS id FROM segmentation.customer_model WHERE lifecycle_stage = ANY($1)', [TARGET_STAGES[campaign]]);
      const targeted = await ids('SELECT customer_id AS id FROM segmentation.assignment_ledger_v WHERE execution_id = $1', [execution.executionId]);
      expect(targeted).toEqual(expected);
      expect(execution.targeted).toBe(expected.length);
      expect(execution.targeted).toBeGreaterThan(100);
      const preview = await stack.must<{ count: number }>('segmentation', 'GET', `/target-groups/${campaigns[campaign].targetGroupId}/preview`);
      expect(preview.count).toBe(execution.targeted);

      // Exclusions: the target groups are disjoint by stage and nobody was held before, so the
      // global control group is the only reason, and it takes exactly the targeted ones in it.
      const globalControl = await ids(
        'SELECT m.customer_id AS id FROM segmentation.customer_model m JOIN segmentation.global_control_v g USING (customer_id) WHERE m.lifecycle_stage = ANY($1)',
        [TARGET_STAGES[campaign]],
      );
      const excluded = await ids('SELECT customer_id AS id FROM segmentation.assignment_ledger_v WHERE execution_id = $1 AND group_id IS NULL', [execution.executionId]);
      expect(excluded).toEqual(globalControl);
      expect(execution.excluded).toEqual({ global_control: globalControl.length, action_duration: 0, taken_by_priority: 0 });
      expect(execution.assigned).toBe(execution.targeted - globalControl.length);
      expect(execution.groups.reduce((sum, group) => sum + group.size, 0)).toBe(execution.assigned);

      // Each group as planned: control share, then the variants by weight, within 4 sigma.
      for (const group of execution.groups) {
        const sigma = Math.sqrt(execution.assigned * group.plannedShare * (1 - group.plannedShare));
        expect(Math.abs(group.size - execution.assigned * group.plannedShare)).toBeLessThan(4 * sigma);
      }
      expect(execution.groups.map((group) => `${group.kind}:${group.name}:${group.plannedShare.toFixed(2)}`).sort()).toEqual(
        campaign === 'abTest' ? ['control:control:0.10', 'variant:A:0.45', 'variant:B:0.45'] : [`control:control:${campaigns[campaign].controlShare.toFixed(2)}`, `variant:main:${(1 - campaigns[campaign].controlShare).toFixed(2)}`],
      );
    }

    // metrics-collector recorded every group, control included, with the same members, from the chunks.
    const assigned = report.executions.reduce((sum, execution) => sum + execution.assigned, 0);
    await waitFor(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM metrics.group_member')).rows[0].n === assigned, {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: 'metrics-collector to record every group member',
    });
    for (const execution of report.executions) {
      for (const group of execution.groups) {
        const members = await ledgerMembers(group.groupId);
        expect(members).toHaveLength(group.size);
        expect(await collectorMembers(group.groupId)).toEqual(members);
        const chunks = listener.lists.filter((chunk) => chunk.group.groupId === group.groupId);
        expect(chunks.map((chunk) => chunk.chunkIndex).sort((x, y) => x - y)).toEqual([...Array(Math.max(1, Math.ceil(group.size / 250))).keys()]);
        expect(chunks.flatMap((chunk) => chunk.customerIds).sort()).toEqual(members);
      }
    }
  }, 120_000);

  it('should end with exactly one posted SmartFocus campaign per variant group although dispatch was killed mid-way', async () => {
    const killed = apps.get('smartfocus-dispatch')!;
    const exit = await Promise.race([killed.exit, new Promise<AppExit | undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000))]);
    expect(exit?.signal).toBe('SIGKILL');
    log('dispatch was killed right after its first post; restarting it');
    apps.set('smartfocus-dispatch', await startAppProcess('smartfocus-dispatch', dispatchEnv, { migrate: false, readyTimeoutMs: 120_000 }));

    report = await cycle.waitForDispatch();
    const variants = variantGroups();
    expect(variants).toHaveLength(4);
    const inSimulator = await simulatorCampaigns();
    expect(inSimulator).toHaveLength(variants.length);
    for (const { execution, group } of variants) {
      expect(group.dispatch).toMatchObject({ status: 'scheduled', recipients: group.size });
      const named = inSimulator.filter((campaign) => campaign.name === `dispatch_${execution.executionId}_${group.groupId}`);
      expect(named).toEqual([{ name: named[0]?.name, id: group.dispatch.smartFocusCampaignId, status: 'QUEUED' }]);
      expect(listener.scheduled.filter((event) => event.groupId === group.groupId).map((event) => event.smartFocusCampaignId)).toContain(group.dispatch.smartFocusCampaignId);
    }

    // The planted click effect on message B, before the send: sized on the campaigns' own rates.
    const click = await cycle.plantClickEffect(report, campaigns.abTest);
    log(`planted click factor ${click.factor} on message B: expected click rate ${click.expected.planted.toFixed(4)} against ${click.expected.other.toFixed(4)}, power ${click.power.toFixed(4)}`);
    expect(click.power).toBeGreaterThan(0.99);
  }, 180_000);

  it('should collect the send-end snapshot and days 1 to 7 of every variant group, and SmartFocus sent each group to exactly its members', async () => {
    const fetches = await cycle.collectWeek(report, (day, all) => log(`day ${day}: ${all.filter((one) => one.day === day && one.status === 'done').length} snapshot(s)`));
    for (const { execution, group } of variantGroups()) {
      const ofGroup = (fetches.get(execution.executionId) ?? []).filter((fetch) => fetch.groupId === group.groupId);
      expect(ofGroup.map((fetch) => `${fetch.day}:${fetch.status}`)).toEqual(['0:done', '1:done', '2:done', '3:done', '4:done', '5:done', '6:done', '7:done']);
      const stored = await db.query<{ day: number; sent: number }>('SELECT day, sent FROM metrics.snapshot WHERE group_id = $1 ORDER BY day', [group.groupId]);
      expect(stored.rows.map((row) => row.day)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(stored.rows.every((row) => row.sent > 0 && row.sent <= group.size)).toBe(true);

      const recipients = await admin.recipients(smartFocusCampaignOf(group)!);
      expect(recipients.sent).toBe(true);
      expect([...recipients.customerIds].sort()).toEqual(await ledgerMembers(group.groupId));
    }
    const controls = report.executions.flatMap((execution) => execution.groups.filter((group) => group.kind === 'control'));
    expect(controls).toHaveLength(3);
    for (const group of controls) {
      expect((await db.query('SELECT 1 FROM metrics.snapshot_fetch WHERE group_id = $1', [group.groupId])).rowCount).toBe(0);
    }
  }, 180_000);

  it('should find the planted win-back uplift and A/B winner, and nothing in the campaign without a planted effect', async () => {
    const planted = await cycle.plantPurchases(report, campaigns.winback, WINDOW_DAYS);
    log(`planted purchase rate x${planted.sizing.purchaseRateFactor}, power ${JSON.stringify(planted.sizing.power)}`);
    expect(planted.sizing.power.revenuePerCustomer).toBeGreaterThan(0.99);
    expect(planted.sizing.power.purchaseRate).toBeGreaterThan(0.99);
    expect(planted.report.status).toBe('applied');

    const [winback, abTest, welcome] = await cycle.analyses([campaigns.winback, campaigns.abTest, campaigns.welcome]);
    const summary = (analysis: Analysis): unknown =>
      analysis.comparisons.map((one) => ({ name: one.name, revenue: one.revenuePerCustomer.pValue, rate: one.purchaseRate.pValue, cuped: one.cupedRevenuePerCustomer.pValue, cupedStatus: one.cupedRevenuePerCustomer.status, revenueStatus: one.revenuePerCustomer.status }));
    log(`analyses: ${JSON.stringify([winback, abTest, welcome].map(summary))}`);
    log(`A/B: ${JSON.stringify({ abTest: abTest.abTest, groups: abTest.groups.map((group) => ({ name: group.name, size: group.size, last: group.funnel.at(-1) })) })}`);
    for (const analysis of [winback, abTest, welcome]) {
      // Nothing was planted in the welcome campaign, whose new customers rarely buy within its week:
      // its groups may hold too few expected purchasers for any figure (not_enough_data).
      const states = analysis === welcome ? ['ok', 'not_enough_data'] : ['ok'];
      expect(states).toContain(analysis.state);
      expect(analysis).toMatchObject({ figures: 'fixed_horizon', window: { closed: true }, srm: { checked: true, mismatch: false } });
      // The groups the analysis counts are segmentation's groups.
      const execution = report.executions.find((one) => one.campaignId === analysis.scope.campaignId)!;
      expect(analysis.groups.map((group) => [group.groupId, group.size]).sort()).toEqual(execution.groups.map((group) => [group.groupId, group.size]).sort());
    }

    const [uplift] = winback.comparisons;
    expect(uplift.revenuePerCustomer).toMatchObject({ significant: true });
    expect(uplift.revenuePerCustomer.difference).toBeGreaterThan(0);
    expect(uplift.purchaseRate).toMatchObject({ significant: true });
    expect(uplift.purchaseRate.difference).toBeGreaterThan(0);

    expect(abTest.abTest?.kpi).toBe('click_rate');
    expect(abTest.groups.find((group) => group.key === abTest.abTest?.winner)?.name).toBe('B');

    for (const comparison of welcome.comparisons) {
      expect([comparison.revenuePerCustomer.significant, comparison.purchaseRate.significant, comparison.cupedRevenuePerCustomer.significant]).toEqual([false, false, false]);
    }
  }, 180_000);

  it('should send nothing new when the date is run again, by the API and by a second cycle', async () => {
    const lists = listener.lists.length;
    const inSimulator = await simulatorCampaigns();
    // Every lists.generated.v1 goes through segmentation's outbox: its sequence counts them all.
    const outboxSeq = async (): Promise<string> => (await db.query<{ last: string }>('SELECT last_value::text AS last FROM segmentation.outbox_seq_seq')).rows[0].last;
    const outboxBefore = await outboxSeq();
    const again = await stack.must<RunReport>('segmentation', 'POST', '/runs', { runDate: cycle.runDate, wait: true });
    expect(again.executions.map((one) => one.executionId).sort()).toEqual(report.executions.map((one) => one.executionId).sort());

    const second = new NightlyCycle(stack, cycle.retailer, { asOfDate: AS_OF, log, timeoutMs: 90_000 });
    const files = await second.deliverFiles();
    // The customers file is the latest of its dataset (unchanged); the transactions file is applied
    // again after the planted purchases' file, and every transaction in it is known (none inserted).
    expect(files.customers.status).toBe('unchanged');
    expect(files.transactions.rows).toMatchObject({ inserted: 0, updated: 0 });
    const reused = await second.createCampaigns(await second.templates());
    expect(Object.values(reused).map((campaign) => [campaign.id, campaign.reused])).toEqual(Object.values(campaigns).map((campaign) => [campaign.id, true]));
    const rerun = await second.runNight();
    expect(rerun.executions.map((one) => one.executionId).sort()).toEqual(report.executions.map((one) => one.executionId).sort());
    await second.waitForDispatch();

    expect(await outboxSeq()).toBe(outboxBefore);
    expect(listener.lists.length).toBe(lists);
    expect((await simulatorCampaigns()).map((campaign) => campaign.id)).toEqual(inSimulator.map((campaign) => campaign.id));
  }, 180_000);
});
