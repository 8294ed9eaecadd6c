// node bench/nightly-cycle.bench.mjs    (options: --customers=1000000 --transactions-per-customer=10 --keep)
//
// The whole night (issue 12, item 3). Builds and migrates into its own database, starts the
// simulator and the four services as built processes on free ports (their time follows the
// simulator's clock, as in `npm run demo`), and as setup (timed apart): loads the retailer's
// members into the simulator, delivers its history (1M customers, about 10M transactions of
// libs/synthetic-retailer) to profile-import over HTTP, builds the model with a run of the day
// before, and creates 10 campaigns due on the run date (6 by lifecycle stage, 4 overlapping ones
// by country; A/B variants and a 10 % control group each).
// Then the night, timed: from the day's files delivered (the full customers file, revision 1, and
// the day's new transactions, 1 % of the history) to every variant group scheduled in SmartFocus,
// with each stage's share: import (both files applied), run (model update and lists until the run
// completed), dispatch (from then until the last group was scheduled: dispatch starts on the first
// chunk of each group, so most of its work overlaps the run).
// Then, in the same run on the same data, each stage's own baseline:
//   import:   `psql \copy` of the same two files into tables with the profiles tables' keys and
//             indexes (the transactions one holding the history);
//   run:      a bare `GROUP BY customer_id` of the whole history of the customers who bought that
//             day (what an incremental model must read), plus `COPY ... TO STDOUT` of the published ids;
//   dispatch: the SmartFocus client's bare segment push (segment + CUSTOMER_ID criteria) of every
//             variant group's ids against the same simulator, with dispatch's concurrency.
// Targets: the night under 3 minutes, and at most 1.5x the sum of the baselines.
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), psql
// and RabbitMQ (AMQP_URL). Drops its database and exchange afterwards unless --keep.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStack, followingEnv, localUrl, prepare } from '../tools/stack.mjs';
import { amqpUrl, apiToken, args, benchDatabase, deleteBrokerObjects, dist, freePort, run, simulatorCredentials, smartFocusClient } from './support/services.mjs';

const customers = Number(args.customers ?? 1_000_000);
const perCustomer = Number(args['transactions-per-customer'] ?? 10);
const database = benchDatabase('nightly');
const databaseUrl = database.url;
const exchange = `bench.nightly.${process.pid}`;
const HISTORY_DAY = '2026-11-29'; // the history's files
const DAY = '2026-11-30'; // the day's files; the night is the next day's
const TARGET_SECONDS = 180;
const TARGET_RATIO = 1.5;

const work = mkdtempSync(join(tmpdir(), 'nightly-bench-'));
// psql runs asynchronously: a blocked event loop would keep idle HTTP connections past the apps'
// keep-alive and the next call would meet a closed socket.
const psql = async (sql) => (await promisify(execFile)('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8', maxBuffer: 1 << 30 })).stdout.trim();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();
const say = (line) => process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);
const timed = async (work_) => {
  const from = performance.now();
  const result = await work_();
  return { ms: performance.now() - from, result };
};

const SERVICES = ['profile-import', 'segmentation', 'smartfocus-dispatch', 'metrics-collector'];

async function main() {
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    API_TOKEN: apiToken,
    DATABASE_URL: databaseUrl,
    AMQP_URL: amqpUrl,
    EVENTS_EXCHANGE: exchange,
    AMQP_QUEUE_PREFIX: `bench.nightly.${process.pid}.`,
    OUTBOX_POLL_INTERVAL_MS: '50',
  };
  const ports = Object.fromEntries(await Promise.all(['smartfocus-simulator', ...SERVICES].map(async (app) => [app, await freePort()])));
  const urls = Object.fromEntries(Object.entries(ports).map(([app, port]) => [app, localUrl(port)]));
  const { login, password, apiKey } = simulatorCredentials;
  Object.assign(env, { SIMULATOR_LOGIN: login, SIMULATOR_PASSWORD: password, SIMULATOR_API_KEY: apiKey, SMARTFOCUS_LOGIN: login, SMARTFOCUS_PASSWORD: password, SMARTFOCUS_API_KEY: apiKey });
  env.SMARTFOCUS_BASE_URL = urls['smartfocus-simulator'];
  await prepare(env, say);
  const lib = { ...dist('libs/synthetic-retailer'), ...dist('libs/nightly-cycle') };
  const stack = new LocalStack(env, say, { quiet: true });
  try {
    const client = new lib.StackClient(urls, env.API_TOKEN);
    const retailer = new lib.SyntheticRetailer({ seed: 'bench', customers, asOfDate: HISTORY_DAY, transactionsPerCustomer: perCustomer });
    const cycle = new lib.NightlyCycle(client, retailer, { asOfDate: DAY, log: say, timeoutMs: 1_800_000 });

    await stack.start([['smartfocus-simulator', ports['smartfocus-simulator']]]);
    await cycle.setClock(new Date(`${HISTORY_DAY}T21:00:00Z`));
    await stack.start(SERVICES.map((app) => [app, ports[app]]), (app) => followingEnv(app, urls['smartfocus-simulator']));

    // ---- setup --------------------------------------------------------------------------------
    say(`setup: ${customers.toLocaleString('en')} customers with about ${perCustomer} transactions each`);
    const members = await timed(() => cycle.loadMembers());
    say(`  members into the simulator: ${members.result.inserted} in ${seconds(members.ms)}`);
    await cycle.declareAttributes();
    const history = await timed(async () => {
      await cycle.deliver('customers', lib.customersCsv(retailer), HISTORY_DAY);
      return cycle.deliver('transactions', lib.transactionsCsv(retailer.transactions()), HISTORY_DAY);
    });
    const historyRows = history.result.rows?.loaded ?? 0;
    say(`  history delivered in ${seconds(history.ms)}`);
    await cycle.setClock(new Date(`${DAY}T00:30:00Z`));
    const model = await timed(() => cycle.run(DAY));
    say(`  model built as of ${HISTORY_DAY} by the run of ${DAY} in ${seconds(model.ms)}`);
    const templates = await cycle.templates();
    const countries = (await psql(
      `SELECT string_agg(country, ',' ORDER BY n DESC) FROM (SELECT country, count(*) n FROM profiles.customer_v WHERE country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 4) c`,
    )).split(',');
    const plans = [
      ...['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'].map((stage) => ({ name: `stage ${stage}`, rule: { field: 'lifecycle_stage', op: 'eq', value: stage } })),
      ...countries.map((country) => ({ name: `country ${country}`, rule: { field: 'country', op: 'eq', value: country } })),
    ];
    for (const [index, plan] of plans.entries()) {
      const group = await client.must('segmentation', 'POST', '/target-groups', plan);
      await client.must('segmentation', 'POST', '/campaigns', {
        name: plan.name,
        targetGroupId: group.id,
        variants: [
          { name: 'A', templateMessageId: templates.optimove_demo_ab_a, weight: 1 },
          { name: 'B', templateMessageId: templates.optimove_demo_ab_b, weight: 1 },
        ],
        abTestKpi: 'purchase_rate',
        sendTime: '09:30',
        timeZone: 'Europe/Berlin',
        recurrence: { type: 'once', date: cycle.runDate },
        controlShare: 0.1,
        priority: index + 1,
        actionDurationDays: 7,
      });
    }
    say(`  ${plans.length} campaigns due on ${cycle.runDate}`);

    // ---- the night ----------------------------------------------------------------------------
    await cycle.setClock(cycle.night());
    const dayCount = Math.round(historyRows / 100);
    say(`the night of ${cycle.runDate}: the customers file (revision 1) and ${dayCount.toLocaleString('en')} new transactions of ${DAY} delivered...`);
    const night0 = performance.now();
    await cycle.deliver('customers', lib.customersCsv(retailer, { revision: 1 }), DAY);
    await cycle.deliver('transactions', lib.transactionsCsv(retailer.dayTransactions({ date: DAY, count: dayCount })), DAY);
    const imported = performance.now();
    const report = await cycle.run(cycle.runDate);
    const ran = performance.now();
    const dispatched = await cycle.waitForDispatch();
    const scheduled = performance.now();
    // An empty group (every customer taken by a campaign of higher priority) has nothing to send.
    const variants = dispatched.executions.flatMap((execution) => execution.groups.filter((group) => group.kind === 'variant' && group.size > 0));
    const failed = variants.filter((group) => group.dispatch.status !== 'scheduled');
    if (failed.length > 0) throw new Error(`${failed.length} group(s) not scheduled: ${JSON.stringify(failed[0].dispatch)}`);
    const published = report.executions.reduce((sum, execution) => sum + execution.assigned, 0);
    const sent = variants.reduce((sum, group) => sum + group.size, 0);
    const stages = { import: imported - night0, run: ran - imported, dispatch: scheduled - ran };
    const night = scheduled - night0;
    say(`  done: ${report.executions.length} executions, ${published.toLocaleString('en')} ids published, ${variants.length} groups of ${sent.toLocaleString('en')} customers scheduled`);

    // ---- the baselines ------------------------------------------------------------------------
    say('baselines on the same data...');
    const customersFile = join(work, 'customers.csv');
    const transactionsFile = join(work, 'transactions.csv');
    await lib.writeCsvFile(customersFile, lib.customersCsv(retailer, { revision: 1 }));
    await lib.writeCsvFile(transactionsFile, lib.transactionsCsv(retailer.dayTransactions({ date: DAY, count: dayCount })));
    await psql(`CREATE SCHEMA bench;
      CREATE TABLE bench.customers (${lib.CUSTOMERS_HEADER.map((column) => `${column} text${column === 'customer_id' ? ' PRIMARY KEY' : ''}`).join(', ')});
      CREATE TABLE bench.transactions (transaction_id text PRIMARY KEY, customer_id text NOT NULL, occurred_at timestamptz NOT NULL, amount numeric(14,2) NOT NULL, currency char(3));
      INSERT INTO bench.transactions SELECT transaction_id, customer_id, occurred_at, amount, currency FROM profiles.transactions WHERE occurred_at < '${DAY}';
      CREATE INDEX ON bench.transactions (customer_id, occurred_at); CREATE INDEX ON bench.transactions (occurred_at) INCLUDE (customer_id, amount);
      ANALYZE bench.transactions`);
    const copyIn = await timed(async () => {
      await psql(`\\copy bench.customers FROM '${customersFile}' WITH (FORMAT csv, HEADER true)`);
      await psql(`\\copy bench.transactions FROM '${transactionsFile}' WITH (FORMAT csv, HEADER true)`);
    });
    const aggregate = await timed(async () =>
      psql(`CREATE TEMP TABLE day_model AS SELECT customer_id, count(*), sum(amount), min(occurred_at), max(occurred_at) FROM profiles.transactions
            WHERE customer_id IN (SELECT customer_id FROM profiles.transactions WHERE occurred_at >= '${DAY}' AND occurred_at < '${cycle.runDate}') GROUP BY customer_id`),
    );
    const copyOut = await timed(async () =>
      psql(`COPY (SELECT l.customer_id FROM segmentation.assignment_ledger_v l JOIN segmentation.executions e ON e.id = l.execution_id WHERE e.run_date = '${cycle.runDate}' AND l.group_id IS NOT NULL) TO STDOUT`),
    );
    const groupIds = [];
    for (const group of variants) groupIds.push((await psql(`SELECT string_agg(customer_id, ',') FROM segmentation.assignment_ledger_v WHERE group_id = '${group.groupId}'`)).split(','));
    const push = await timed(() => segmentPush({ baseUrl: urls['smartfocus-simulator'] }, groupIds));
    const baselines = { import: copyIn.ms, run: aggregate.ms + copyOut.ms, dispatch: push.ms };
    const baseline = baselines.import + baselines.run + baselines.dispatch;

    // ---- figures ------------------------------------------------------------------------------
    const share = (ms) => `${((ms / night) * 100).toFixed(0)} %`;
    process.stdout.write(`\nnight of ${customers.toLocaleString('en')} customers, ${historyRows.toLocaleString('en')} transactions of history, ${dayCount.toLocaleString('en')} new, ${plans.length} campaigns (load ${loadavg().map((load) => load.toFixed(1)).join(' ')})\n`);
    process.stdout.write(
      `${lib.table(
        [
          ['import (customers + transactions files applied)', seconds(stages.import), share(stages.import), seconds(baselines.import), (stages.import / baselines.import).toFixed(2)],
          ['run (model update, lists published)', seconds(stages.run), share(stages.run), seconds(baselines.run), (stages.run / baselines.run).toFixed(2)],
          ['dispatch (after the run: the rest overlaps it)', seconds(stages.dispatch), share(stages.dispatch), seconds(baselines.dispatch), (stages.dispatch / baselines.dispatch).toFixed(2)],
          ['the night', seconds(night), '100 %', seconds(baseline), (night / baseline).toFixed(2)],
        ],
        ['stage', 'time', 'share', 'baseline', 'ratio'],
      )}\n`,
    );
    process.stdout.write(
      `baselines: \\copy of both files ${seconds(copyIn.ms)}; GROUP BY of the day's buyers' history ${seconds(aggregate.ms)} + COPY TO STDOUT of ${published.toLocaleString('en')} ids ${seconds(copyOut.ms)}; bare segment push of ${sent.toLocaleString('en')} ids ${seconds(push.ms)}\n`,
    );
    process.stdout.write(
      `targets: the night ${seconds(night)} < ${TARGET_SECONDS} s: ${night / 1000 < TARGET_SECONDS ? 'met' : 'MISSED'}; ${(night / baseline).toFixed(2)}x the baselines <= ${TARGET_RATIO}x: ${night / baseline <= TARGET_RATIO ? 'met' : 'MISSED'}\n`,
    );
  } finally {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
    if (!('keep' in args)) {
      await database.drop();
      await deleteBrokerObjects(exchange, env.AMQP_QUEUE_PREFIX, SERVICES);
    } else say(`kept database ${database.name}`);
  }
}

/** The SmartFocus client's bare push of every group's ids: a segment and its CUSTOMER_ID criteria each, at the client's default concurrency and cap. */
async function segmentPush(simulator, groups) {
  const client = smartFocusClient(simulator);
  try {
    for (const [index, ids] of groups.entries()) {
      const segmentId = await client.segments.create({ name: `baseline ${index}` });
      await client.segments.addCustomerIdCriteria(segmentId, ids);
    }
  } finally {
    await client.close();
  }
}

run(main);
