// node bench/segmentation.bench.mjs    (options: --customers=1000000 --transactions-per-customer=10 --keep)
//
// Segmentation benchmark (issue 9, item 8). Builds the apps, creates its own database, generates
// a retailer with libs/synthetic-retailer (1M customers, about 10M transactions by default) and
// loads it through profile-import's CLI, then measures, each figure beside a baseline of the same run:
//   1. full model build (`main.js rebuild-model --as-of D`) against a bare
//      `CREATE TEMP TABLE AS SELECT customer_id, count(*), sum(amount), max(occurred_at) ... GROUP BY customer_id`
//      of the transactions (target: at most 1.5x);
//   2. the nightly update after 1 % new transactions (one day file of `dayTransactions`, imported
//      through the CLI) against the full build (target: at most 10 %);
//   3. the lists of 10 campaigns over at least 1.5M targeted customers (6 by lifecycle stage, then 4
//      overlapping ones by country: every customer is targeted by one stage campaign and most by a
//      country campaign, which finds them taken by priority), from `POST /runs` until the broker
//      confirmed every chunk (a quorum queue bound to lists.generated.v1), against
//      `COPY (SELECT customer_id ...) TO STDOUT` of the same published ids (target: at least 400k ids/s);
//   4. the peak RSS (VmHWM) of the segmentation service process over the whole run (target < 300 MB).
// Each timed step, baselines included, starts after a CHECKPOINT: it does not pay for writing back
// what the steps before it wrote (the import of 10M rows, the builds).
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), psql
// and RabbitMQ (AMQP_URL, default amqp://guest:guest@127.0.0.1:5672). Drops its database and queue
// afterwards unless --keep.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const customers = Number(args.customers ?? 1_000_000);
const perCustomer = Number(args['transactions-per-customer'] ?? 10);
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const database = `bench_segmentation_${process.pid}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
const work = mkdtempSync(join(tmpdir(), 'segmentation-bench-'));
const exchange = `bench.segmentation.${process.pid}`;
const listsQueue = `bench.segmentation.${process.pid}.lists`;
// The dates are the last nights' (UTC, the service's RUN_TIME_ZONE): a run date's day before must
// be over, as must the model's day.
const dayBefore = (day, days = 1) => new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const RUN_DATE = new Date().toISOString().slice(0, 10); // model date: the day file's
const DAY_FILE = dayBefore(RUN_DATE);
const AS_OF = dayBefore(RUN_DATE, 2); // the history's last day is the day before
const MODEL_DATE = AS_OF;

const env = {
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  API_TOKEN: 'bench-token-0123456789abcdef',
  DATABASE_URL: databaseUrl,
  AMQP_URL: amqpUrl,
  EVENTS_EXCHANGE: exchange,
  AMQP_QUEUE_PREFIX: `bench.segmentation.${process.pid}.`,
  RUN_SCHEDULE_ENABLED: 'false',
  RUN_TIME_ZONE: 'UTC',
  GLOBAL_CONTROL_SHARE: '0.02',
  OUTBOX_POLL_INTERVAL_MS: '50',
};

const psql = (sql) => execFileSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' }).trim();
const checkpoint = () => psql('CHECKPOINT');
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const main = (app) => join(root, 'dist', 'apps', app, 'src', 'main.js');
function run(app, commandArgs) {
  const started = Date.now();
  const stdout = execFileSync(process.execPath, [main(app), ...commandArgs], { env, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  return { ms: Date.now() - started, stdout };
}
function timed(label, work) {
  const started = Date.now();
  const result = work();
  const ms = Date.now() - started;
  console.log(`  ${label}: ${seconds(ms)}`);
  return { ms, result };
}

const figures = [];
function figure(name, value, baseline, verdict) {
  figures.push({ name, value, baseline, verdict });
  console.log(`  => ${name}: ${value} | baseline ${baseline} | ${verdict}`);
}

async function main_() {
  console.log(`building (segmentation, profile-import, synthetic-retailer) ...`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'segmentation', 'profile-import', 'synthetic-retailer'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false' },
  });
  const { SyntheticRetailer, customersCsv, transactionsCsv, writeCsvFile } = require(`${root}/dist/libs/synthetic-retailer/src/index.js`);
  execFileSync('psql', [adminUrl, '-qc', `CREATE DATABASE ${database}`]);
  run('profile-import', ['migrate']);
  run('segmentation', ['migrate']);

  console.log(`generating ${customers} customers, about ${customers * perCustomer} transactions (seed bench-9) ...`);
  const retailer = new SyntheticRetailer({ seed: 'bench-9', customers, asOfDate: AS_OF, transactionsPerCustomer: perCustomer });
  const customersFile = join(work, 'customers.csv');
  const transactionsFile = join(work, 'transactions.csv');
  const dayFile = join(work, 'day.csv');
  await writeCsvFile(customersFile, customersCsv(retailer));
  await writeCsvFile(transactionsFile, transactionsCsv(retailer.transactions()));
  console.log('importing through profile-import (main.js import) ...');
  timed('customers import', () => run('profile-import', ['import', 'customers', customersFile, '--as-of', AS_OF]));
  timed('transactions import', () => run('profile-import', ['import', 'transactions', transactionsFile, '--as-of', AS_OF]));
  psql('VACUUM ANALYZE profiles.transactions');
  psql('VACUUM ANALYZE profiles.customers');
  const transactions = Number(psql('SELECT count(*) FROM profiles.transaction_v'));
  console.log(`  loaded ${customers} customers, ${transactions} transactions`);

  // 1. Full build against the bare aggregate, each twice, interleaved (the machine is shared: noisy).
  console.log('\n1. full model build vs bare GROUP BY customer_id');
  const bare = () => {
    checkpoint();
    return timed('bare GROUP BY', () =>
      psql(`BEGIN; CREATE TEMP TABLE bare ON COMMIT DROP AS SELECT customer_id, count(*) AS n, sum(amount) AS spend, max(occurred_at) AS last
            FROM profiles.transaction_v GROUP BY customer_id; COMMIT;`),
    ).ms;
  };
  const build = () => {
    checkpoint();
    const { stdout } = run('segmentation', ['rebuild-model', '--as-of', MODEL_DATE]);
    const report = JSON.parse(stdout);
    console.log(`  full build (rebuild-model, in-process time): ${seconds(report.ms)} (${report.customers} customers, ${report.historyChanges} history rows)`);
    return report.ms;
  };
  const bare1 = bare();
  const build1 = build();
  const bare2 = bare();
  const build2 = build();
  const bareBest = Math.min(bare1, bare2);
  const buildBest = Math.min(build2, build1);
  figure('full build (first, with 1M history rows)', seconds(build1), seconds(bare1), `${(build1 / bare1).toFixed(2)}x`);
  figure('full build (rebuild of a built model)', seconds(build2), seconds(bare2), `${(build2 / bare2).toFixed(2)}x (target <= 1.5x)`);

  // 2. The nightly update after 1 % new transactions.
  console.log('\n2. nightly update after 1 % new transactions vs full build');
  const dayCount = Math.round(transactions / 100);
  await writeCsvFile(dayFile, transactionsCsv(retailer.dayTransactions({ date: DAY_FILE, count: dayCount })));
  timed(`day file import (${dayCount} transactions)`, () => run('profile-import', ['import', 'transactions', dayFile, '--as-of', DAY_FILE]));
  psql('ANALYZE profiles.transactions');
  checkpoint();
  const { stdout: updateOut } = run('segmentation', ['update-model', DAY_FILE]);
  const update = JSON.parse(updateOut);
  console.log(`  update-model ${DAY_FILE}: ${update.mode}, ${JSON.stringify(update.days)}`); // phases per step
  figure('nightly update (1 % new transactions)', seconds(update.ms), `${seconds(buildBest)} (full build, best of 2)`, `${((100 * update.ms) / buildBest).toFixed(1)} % (target <= 10 %)`);

  // 3. Lists of 10 campaigns.
  console.log('\n3. lists of 10 campaigns, generated and confirmed by the broker');
  const amqplib = require(`${root}/node_modules/amqplib`);
  const connection = await amqplib.connect(amqpUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertQueue(listsQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(listsQueue, exchange, 'lists.generated.v1');
  const port = 39_000 + (process.pid % 1000);
  const service = spawn(process.execPath, [main('segmentation')], { env: { ...env, HTTP_PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const api = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${env.API_TOKEN}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    const json = await response.json();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/health/ready`).catch(() => undefined))?.ok) break;
    if (i > 600) throw new Error('segmentation did not get ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stages = ['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'];
  const countries = psql(`SELECT string_agg(country, ',' ORDER BY n DESC) FROM (SELECT country, count(*) n FROM profiles.customer_v WHERE country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 4) c`).split(',');
  const plans = [
    ...stages.map((stage) => ({ name: `stage ${stage}`, rule: { field: 'lifecycle_stage', op: 'eq', value: stage } })),
    ...countries.map((country) => ({ name: `country ${country}`, rule: { field: 'country', op: 'eq', value: country } })),
  ];
  for (const [index, plan] of plans.entries()) {
    const group = await api('POST', '/target-groups', { name: plan.name, rule: plan.rule });
    await api('POST', '/campaigns', {
      name: plan.name,
      targetGroupId: group.id,
      variants: [{ name: 'A', templateMessageId: String(1000 + index), weight: 1 }, { name: 'B', templateMessageId: String(2000 + index), weight: 1 }],
      abTestKpi: 'purchase_rate',
      sendTime: '09:00',
      timeZone: 'Europe/Berlin',
      recurrence: { type: 'daily', startDate: dayBefore(RUN_DATE, 30) },
      controlShare: 0.1,
      priority: index + 1,
      actionDurationDays: 7,
    });
  }
  const rssBefore = vmHwm(service.pid);
  checkpoint();
  // The run's end and the last confirm are read from the database every 20 ms (the relay marks a
  // chunk published once the broker confirmed it).
  const { Client } = require(`${root}/node_modules/pg`);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const started = Date.now();
  // The run outlasts an HTTP request's header timeout at this size: start it, then poll its state.
  await api('POST', '/runs', { runDate: RUN_DATE });
  let committed;
  for (;;) {
    const { rows: [state] } = await db.query(
      `SELECT (SELECT status FROM segmentation.runs WHERE run_date = $1) AS status,
              (SELECT count(*)::int FROM segmentation.outbox WHERE published_at IS NULL) AS unpublished`,
      [RUN_DATE],
    );
    if (committed === undefined && ['completed', 'failed', 'held'].includes(state.status)) committed = Date.now() - started;
    if (committed !== undefined && (state.status !== 'completed' || state.unpublished === 0)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const confirmed = Date.now() - started;
  await db.end();
  const report = await api('GET', `/runs/${RUN_DATE}`);
  if (report.status !== 'completed') throw new Error(`run ${report.status}: ${report.error}`);
  const targeted = report.executions.reduce((sum, e) => sum + e.targeted, 0);
  const published = report.executions.reduce((sum, e) => sum + e.assigned, 0);
  const chunks = Number(psql(`SELECT count(*) FROM segmentation.outbox WHERE type = 'lists.generated.v1'`));
  const queued = (await channel.checkQueue(listsQueue)).messageCount;
  console.log(`  run ${RUN_DATE}: model ${report.model?.mode}; ${targeted} targeted, ${published} ids in ${chunks} chunks (queue holds ${queued}); committed after ${seconds(committed)}, confirmed after ${seconds(confirmed)}`);
  for (const e of report.executions) console.log(`    ${e.campaignName}: targeted ${e.targeted}, assigned ${e.assigned}, excluded ${JSON.stringify(e.excluded)}, timings ${JSON.stringify(e.timings)}`);
  const copy = timed('COPY (SELECT customer_id ...) TO STDOUT of the published ids', () =>
    execFileSync('psql', [databaseUrl, '-qAtc', `COPY (SELECT l.customer_id FROM segmentation.assignment_ledger_v l JOIN segmentation.executions e ON e.id = l.execution_id WHERE e.run_date = '${RUN_DATE}' AND l.group_id IS NOT NULL) TO STDOUT`], { maxBuffer: 1 << 28 }),
  );
  figure(
    'lists: published ids/s (POST /runs until the broker confirmed the last chunk)',
    `${Math.round(published / (confirmed / 1000))} ids/s (${published} ids, ${seconds(confirmed)}; ${Math.round(targeted / (confirmed / 1000))} targeted/s)`,
    `${Math.round(published / (copy.ms / 1000))} ids/s (COPY TO STDOUT, ${seconds(copy.ms)})`,
    'target >= 400k ids/s',
  );
  const rss = vmHwm(service.pid);
  figure('peak RSS of the segmentation service', `${rss} MB`, `${rssBefore} MB after start`, 'target < 300 MB');
  service.kill('SIGTERM');
  await new Promise((r) => service.on('exit', r));
  await channel.deleteQueue(listsQueue);
  // The service's own queue, its dead-letter queue and its retry queues (default delays).
  const serviceQueue = `${env.AMQP_QUEUE_PREFIX}segmentation`;
  for (const queue of [serviceQueue, `${serviceQueue}.dead`, ...[1_000, 10_000, 60_000].map((ms) => `${serviceQueue}.retry.${ms}ms`)]) await channel.deleteQueue(queue);
  await channel.deleteExchange(exchange);
  await connection.close();
}

function vmHwm(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

try {
  await main_();
  console.log('\nsummary (figure | baseline of the same run | ratio or target)');
  for (const f of figures) console.log(`  ${f.name}: ${f.value} | ${f.baseline} | ${f.verdict}`);
} finally {
  rmSync(work, { recursive: true, force: true });
  if (!('keep' in args)) execFileSync('psql', [adminUrl, '-qc', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`]);
  else console.log(`kept database ${database}`);
}
