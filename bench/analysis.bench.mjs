// node bench/analysis.bench.mjs            (options: --customers=1000000 --transactions-per-customer=10 --runs=5 --keep)
//
// Campaign analysis benchmark (issue 11, item 8). Builds metrics-collector, profile-import and
// libs/synthetic-retailer, creates its own database and broker exchange, and sets up (timed apart):
//   - a synthetic retailer of `customers` customers whose history (about 10 transactions each, so
//     10M) ends on the send day, plus a week of post-send purchases (variant A with a planted effect),
//     all imported through profile-import's CLI into profiles.transactions;
//   - one execution with `customers` customers in its groups (control 10 %, variants A and B 45 %
//     each), published as lists.generated.v1 chunks to the running metrics-collector, which
//     records them; 2 % more customers form the global control group (a fixture
//     segmentation.global_control_v), so the analysis includes its programme view.
// Then, interleaved `runs` times in the same run (after one warm-up of each, shown apart):
//   baseline: the bare SQL join and aggregate of the same data: revenue per group in the window and
//             in the pre-period the analysis reads for CUPED (members LEFT JOIN the transactions of
//             both summed per customer, GROUP BY group); beside it the same with JIT off (as the
//             analysis runs its statement) and the window-only join;
//   measured: GET /executions/{id}/analysis (JSON) from the service: revenue, pre-period covariate,
//             funnel, statistics, programme view (contacted against the global control group).
// Checks that both give the same revenue per group, and prints the medians (and the best runs), their ratio and the
// targets (at most 1.5x the baseline, under 3 s).
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), about
// 3 GB of disk, and RabbitMQ (AMQP_URL, default amqp://guest:guest@127.0.0.1:5672). Drops its
// database and queues afterwards unless --keep.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import amqplib from 'amqplib';
import pg from 'pg';
import {
  amqpUrl,
  apiToken,
  args,
  benchDatabase,
  build,
  commonEnv,
  deleteBrokerObjects,
  dist,
  log,
  migrateApp,
  publishEvent,
  root,
  run,
  seconds,
  simulatorCredentials,
  startApp,
  stopApp,
} from './support/services.mjs';

const customers = Number(args.customers ?? 1_000_000);
const perCustomer = Number(args['transactions-per-customer'] ?? 10);
const runs = Number(args.runs ?? 5);
const CHUNK = 50_000;
const GLOBAL_CONTROL_SHARE = 0.02;
const TARGET_SECONDS = 3;
const TARGET_RATIO = 1.5;
const SEND_DAY = '2026-11-16'; // the history ends at its midnight; the window closed a week ago
const SEND_AT = '2026-11-16T09:00:00Z';
const WINDOW_DAYS = 7;
const WINDOW_TO = new Date(Date.parse(SEND_AT) + WINDOW_DAYS * 86_400_000).toISOString();
const database = benchDatabase('analysis');
const exchange = `bench.analysis.${process.pid}.events`;
const queuePrefix = `bench.analysis.${process.pid}.`;
const work = mkdtempSync(join(tmpdir(), 'analysis-bench-'));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Every customer in one group: control 10 %, A and B 45 % each, drawn per customer from the seed. */
function groupsOf(retailer) {
  const groups = {
    control: { groupId: randomUUID(), kind: 'control', name: 'control', plannedShare: 0.1, customerIds: [] },
    A: { groupId: randomUUID(), kind: 'variant', name: 'A', templateMessageId: '100000001', plannedShare: 0.45, customerIds: [] },
    B: { groupId: randomUUID(), kind: 'variant', name: 'B', templateMessageId: '100000002', plannedShare: 0.45, customerIds: [] },
  };
  for (let index = 0; index < customers; index++) {
    const draw = retailer.uniform(index, 'analysis-bench-group');
    const group = draw < 0.1 ? groups.control : draw < 0.55 ? groups.A : groups.B;
    group.customerIds.push(retailer.customerId(index));
  }
  return groups;
}

async function main() {
  build(['metrics-collector', 'profile-import', 'synthetic-retailer']);
  const { SyntheticRetailer, transactionsCsv, writeCsvFile } = dist('libs/synthetic-retailer');
  const env = {
    ...commonEnv(database.url),
    AMQP_URL: amqpUrl,
    EVENTS_EXCHANGE: exchange,
    AMQP_QUEUE_PREFIX: queuePrefix,
    // The variants' campaign.scheduled.v1 plans fetches the hourly poll never reaches: the
    // collection never calls SmartFocus (a closed port besides).
    SMARTFOCUS_BASE_URL: 'http://127.0.0.1:9',
    SMARTFOCUS_LOGIN: simulatorCredentials.login,
    SMARTFOCUS_PASSWORD: simulatorCredentials.password,
    SMARTFOCUS_API_KEY: simulatorCredentials.apiKey,
    COLLECTION_POLL_INTERVAL_MS: '3600000',
  };
  await database.create();
  let collector;
  let connection;
  let db;
  try {
    // Setup 1: the retailer's transactions through profile-import.
    migrateApp('profile-import', env);
    // The execution's members are the first `customers`; the next 2 % are the global control group.
    const globalControl = Math.round(customers * GLOBAL_CONTROL_SHARE);
    const retailer = new SyntheticRetailer({ seed: 'analysis-bench', customers: customers + globalControl, asOfDate: SEND_DAY, transactionsPerCustomer: perCustomer });
    const groups = groupsOf(retailer);
    const globalControlIds = Array.from({ length: globalControl }, (_, index) => retailer.customerId(customers + index));
    const file = join(work, 'transactions.csv');
    let started = performance.now();
    function* transactions() {
      yield* retailer.transactions();
      yield* retailer.postSendPurchases({
        from: SEND_AT,
        days: WINDOW_DAYS,
        salt: 'bench',
        groups: [
          { customerIds: groups.control.customerIds },
          { customerIds: groups.A.customerIds, effect: { purchaseRateFactor: 1.3, spendFactor: 1.05 } },
          { customerIds: groups.B.customerIds },
          { customerIds: globalControlIds },
        ],
      });
    }
    const bytes = await writeCsvFile(file, transactionsCsv(transactions()));
    log(`setup: transactions file written (${(bytes / 1024 / 1024).toFixed(0)} MB) in ${seconds(started).toFixed(1)} s`);
    started = performance.now();
    execFileSync(process.execPath, [resolve(root, 'dist/apps/profile-import/src/main.js'), 'import', 'transactions', file, '--as-of', '2026-11-24'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    rmSync(file);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    await db.query('VACUUM ANALYZE profiles.transactions');
    // segmentation's view of the global control group, as a fixture (the analysis reads only its customer_id).
    await db.query('CREATE SCHEMA segmentation; CREATE TABLE segmentation.bench_global_control (customer_id text PRIMARY KEY)');
    await db.query('INSERT INTO segmentation.bench_global_control SELECT unnest($1::text[])', [globalControlIds]);
    await db.query('CREATE VIEW segmentation.global_control_v AS SELECT customer_id FROM segmentation.bench_global_control');
    const [{ count: transactionCount, in_window: inWindow }] = (
      await db.query(`SELECT count(*)::int AS count, count(*) FILTER (WHERE occurred_at >= $1 AND occurred_at < $2)::int AS in_window FROM profiles.transaction_v`, [SEND_AT, WINDOW_TO])
    ).rows;
    log(`setup: ${transactionCount} transactions imported through profile-import's CLI in ${seconds(started).toFixed(1)} s (${inWindow} in the window)`);

    // Setup 2: the execution's groups, as lists.generated.v1 chunks to the running service.
    collector = await startApp('metrics-collector', env);
    connection = await amqplib.connect(amqpUrl);
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const executionId = randomUUID();
    const campaignId = randomUUID();
    started = performance.now();
    for (const { customerIds, ...group } of Object.values(groups)) {
      const chunkCount = Math.ceil(customerIds.length / CHUNK);
      for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex++) {
        publishEvent(channel, exchange, 'lists.generated.v1', {
          executionId,
          campaignId,
          campaignName: 'Analysis benchmark',
          runDate: SEND_DAY,
          scheduledAt: SEND_AT,
          actionDurationDays: WINDOW_DAYS,
          abTestKpi: 'revenue_per_customer',
          group,
          chunkIndex,
          chunkCount,
          groupSize: customerIds.length,
          customerIds: customerIds.slice(chunkIndex * CHUNK, (chunkIndex + 1) * CHUNK),
        });
      }
    }
    // SmartFocus scheduled both variants: the analysis measures only what it scheduled.
    for (const group of [groups.A, groups.B]) {
      publishEvent(channel, exchange, 'campaign.scheduled.v1', {
        executionId,
        campaignId,
        groupId: group.groupId,
        smartFocusCampaignId: '300000001',
        smartFocusMessageId: '100000009',
        smartFocusSegmentId: '200000001',
        scheduledAt: SEND_AT,
        recipients: group.customerIds.length,
      });
    }
    await channel.waitForConfirms();
    for (;;) {
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM metrics.group_member WHERE execution_id = $1', [executionId])).rows;
      const [{ scheduled }] = (await db.query('SELECT count(*)::int AS scheduled FROM metrics.scheduled_group WHERE execution_id = $1', [executionId])).rows;
      if (n === customers && scheduled === 2) break;
      if (seconds(started) > 900) throw new Error(`only ${n} of ${customers} members recorded after 15 minutes`);
      await new Promise((done) => setTimeout(done, 500));
    }
    await db.query('VACUUM ANALYZE metrics.group_member');
    log(`setup: ${customers} members in 3 groups recorded by metrics-collector from lists.generated.v1 in ${seconds(started).toFixed(1)} s`);

    // The baseline: the bare join and aggregate of the same data, revenue per group in the window
    // and in the pre-period (the covariate) from one pass over the transactions of both.
    const PRE_FROM = new Date(Date.parse(SEND_AT) - WINDOW_DAYS * 86_400_000).toISOString();
    const bareStatements = {
      'window and pre-period': `SELECT m.group_id, count(*)::int AS members, coalesce(sum(t.revenue), 0)::text AS revenue, coalesce(sum(t.pre_revenue), 0)::text AS pre_revenue
           FROM metrics.group_member m
           LEFT JOIN (SELECT customer_id, sum(amount) FILTER (WHERE occurred_at >= $3) AS revenue, sum(amount) FILTER (WHERE occurred_at < $3) AS pre_revenue
                        FROM profiles.transaction_v WHERE occurred_at >= $2 AND occurred_at < $4 GROUP BY customer_id) t USING (customer_id)
          WHERE m.execution_id = $1
          GROUP BY m.group_id`,
      // For reference: the window alone (no covariate), the least any revenue per group can cost.
      'window only': `SELECT m.group_id, count(*)::int AS members, coalesce(sum(t.revenue), 0)::text AS revenue
           FROM metrics.group_member m
           LEFT JOIN (SELECT customer_id, sum(amount) AS revenue FROM profiles.transaction_v
                       WHERE occurred_at >= $2 AND occurred_at < $3 GROUP BY customer_id) t USING (customer_id)
          WHERE m.execution_id = $1
          GROUP BY m.group_id`,
    };
    const bareRun = async (statement, values) => {
      const begun = performance.now();
      const { rows } = await db.query(statement, values);
      return { seconds: seconds(begun), rows };
    };
    const baseline = () => bareRun(bareStatements['window and pre-period'], [executionId, PRE_FROM, SEND_AT, WINDOW_TO]);
    // The same with JIT off, as the analysis runs its statement: the settings' share of the ratio.
    const baselineNoJit = async () => {
      await db.query(`BEGIN; SET LOCAL jit = off`);
      try {
        return await baseline();
      } finally {
        await db.query('COMMIT');
      }
    };
    const windowOnly = () => bareRun(bareStatements['window only'], [executionId, SEND_AT, WINDOW_TO]);
    const analysis = async () => {
      const begun = performance.now();
      const response = await fetch(`${collector.baseUrl}/executions/${executionId}/analysis`, { headers: { Authorization: `Bearer ${apiToken}` } });
      if (!response.ok) throw new Error(`analysis: ${response.status} ${await response.text()}`);
      const body = await response.json();
      return { seconds: seconds(begun), body };
    };

    const warmBaseline = await baseline();
    const warmAnalysis = await analysis();
    log(`warm-up (not counted): baseline ${warmBaseline.seconds.toFixed(2)} s, analysis ${warmAnalysis.seconds.toFixed(2)} s`);
    const baselineSeconds = [];
    const analysisSeconds = [];
    const windowOnlySeconds = [];
    const noJitSeconds = [];
    let last;
    for (let i = 0; i < runs; i++) {
      const bare = await baseline();
      last = await analysis();
      const window = await windowOnly();
      const noJit = await baselineNoJit();
      noJitSeconds.push(noJit.seconds);
      baselineSeconds.push(bare.seconds);
      analysisSeconds.push(last.seconds);
      windowOnlySeconds.push(window.seconds);
      log(`run ${i + 1}: baseline ${bare.seconds.toFixed(2)} s, analysis ${last.seconds.toFixed(2)} s, window-only join ${window.seconds.toFixed(2)} s, baseline with JIT off ${noJit.seconds.toFixed(2)} s`);
      // Same data, same figures: the analysis's revenue per group is the bare aggregate's.
      for (const row of bare.rows) {
        const group = last.body.groups.find((candidate) => candidate.groupId === row.group_id);
        if (!group || group.size !== row.members || group.revenue.total !== Number(row.revenue).toFixed(2)) {
          throw new Error(`group ${row.group_id}: the analysis says ${JSON.stringify(group && { size: group.size, total: group.revenue.total })}, the bare aggregate ${JSON.stringify(row)}`);
        }
      }
    }
    const { body } = last;
    for (const group of body.groups) {
      log(`  ${group.kind} ${group.name}: ${group.size} members, revenue ${group.revenue.total}, ${group.revenue.perCustomer.toFixed(3)} per customer, purchase rate ${(100 * group.revenue.purchaseRate).toFixed(2)} %`);
    }
    for (const comparison of body.comparisons) {
      const { revenuePerCustomer: r, cupedRevenuePerCustomer: c } = comparison;
      log(`  ${comparison.name} vs control (${r.kind}): revenue per customer ${r.difference.toFixed(3)} [${r.ciLow?.toFixed(3)}, ${r.ciHigh?.toFixed(3)}] p ${r.pValue?.toExponential(2)}; CUPED ${c.difference.toFixed(3)} [${c.ciLow?.toFixed(3)}, ${c.ciHigh?.toFixed(3)}] (variance -${(100 * c.varianceReduction).toFixed(0)} %)`);
    }
    log(`  state ${body.state}; A/B: ${body.abTest?.verdict}; SRM p ${body.srm.pValue?.toFixed(3)}`);
    const programme = body.programme;
    log(
      `  programme: ${programme.available ? `${programme.contacted.size} contacted (${programme.contacted.revenue.perCustomer.toFixed(3)} per customer) vs ${programme.globalControl.size} in the global control group (${programme.globalControl.revenue.perCustomer.toFixed(3)}), difference ${programme.revenuePerCustomer.difference.toFixed(3)} p ${programme.revenuePerCustomer.pValue?.toExponential(2)}` : `not available: ${programme.reason}`}`,
    );
    // The machine may be shared: the median of interleaved runs, and the best of each beside it.
    const measured = median(analysisSeconds);
    const bare = median(baselineSeconds);
    const ratio = measured / bare;
    const best = Math.min(...analysisSeconds) / Math.min(...baselineSeconds);
    const windowOnlyMedian = median(windowOnlySeconds);
    log(
      `result: analysis of ${customers} members over ${transactionCount} transactions ${measured.toFixed(2)} s (median of ${runs}; best ${Math.min(...analysisSeconds).toFixed(2)} s) ` +
        `vs baseline bare join + aggregate (window and pre-period) ${bare.toFixed(2)} s (best ${Math.min(...baselineSeconds).toFixed(2)} s) = ${ratio.toFixed(2)}x (best to best ${best.toFixed(2)}x); ` +
        `target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}; target < ${TARGET_SECONDS} s: ${measured < TARGET_SECONDS ? 'met' : 'MISSED'}`,
    );
    log(`       against the window-only join (no covariate) ${windowOnlyMedian.toFixed(2)} s: ${(measured / windowOnlyMedian).toFixed(2)}x`);
    log(`       against the baseline with JIT off, as the analysis runs ${median(noJitSeconds).toFixed(2)} s: ${(measured / median(noJitSeconds)).toFixed(2)}x`);
  } finally {
    await connection?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await stopApp(collector);
    rmSync(work, { recursive: true, force: true });
    await deleteBrokerObjects(exchange, queuePrefix, ['metrics-collector']);
    if ('keep' in args) log(`kept database ${database.name}`);
    else await database.drop();
  }
}

run(main);
