// node bench/dispatch.bench.mjs           (options: --customers=1000000 --chunk=50000 --cap=1000 --concurrency=4)
//
// SmartFocus dispatch benchmark (issue 10). Builds what it needs, creates its own database and
// broker exchange, starts the simulator and smartfocus-dispatch as built processes, and loads the
// synthetic retailer's members (1M customers, libs/synthetic-retailer) into the simulator (setup,
// timed apart). Then, in the same run:
//   baseline: the client's bare segment push of the group's ids (segment create + CUSTOMER_ID
//             criteria of `cap` values, `concurrency` requests in flight), as bench/smartfocus-segment does;
//   measured: the whole group published as lists.generated.v1 chunks of `chunk` ids, from the
//             first chunk published to campaign.scheduled.v1 received (assembly, clone, segment,
//             criteria, count, campaign, post, outbox).
// Prints both with their ratio against the targets (at most 1.5x the baseline, under 60 s).
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres) and
// RabbitMQ (AMQP_URL, default amqp://guest:guest@127.0.0.1:5672).
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import amqplib from 'amqplib';
import pg from 'pg';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const customers = Number(args.customers ?? 1_000_000);
const chunkSize = Number(args.chunk ?? 50_000);
const cap = Number(args.cap ?? 1_000);
const concurrency = Number(args.concurrency ?? 4);
const TARGET_SECONDS = 60;
const TARGET_RATIO = 1.5;
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const database = `bench_dispatch_${process.pid}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
const exchange = `bench.dispatch.${process.pid}.events`;
const queuePrefix = `bench.dispatch.${process.pid}.`;
const apiToken = 'bench-api-token-0123456789';
const credentials = { login: 'bench-login', password: 'bench-password/1', apiKey: 'bench-manager-key' };

const seconds = (started) => (performance.now() - started) / 1000;
const log = (line) => process.stdout.write(`${line}\n`);

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

async function sql(url, statement) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Migrates and starts a built app; resolves when /health/ready answers. */
async function startApp(app, env) {
  const main = resolve(root, `dist/apps/${app}/src/main.js`);
  execFileSync('node', [main, 'migrate'], { env, stdio: 'inherit' });
  const child = spawn('node', [main], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${env.HTTP_PORT}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`${app} exited ${child.exitCode}`);
    if (await fetch(`${baseUrl}/health/ready`).then((response) => response.ok, () => false)) return { child, baseUrl };
    if (attempt > 600) throw new Error(`${app} did not start`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function stopApp(app) {
  if (!app || app.child.exitCode !== null) return;
  app.child.kill('SIGTERM');
  await once(app.child, 'exit');
}

async function main() {
  log('Building the libs, the simulator and smartfocus-dispatch...');
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'smartfocus-simulator', 'smartfocus-dispatch', 'synthetic-retailer', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false' },
  });
  const { SyntheticRetailer, membersCsv } = require(resolve(root, 'dist/libs/synthetic-retailer/src/index.js'));
  const { SmartFocusClient } = require(resolve(root, 'dist/libs/smartfocus-client/src/index.js'));
  const { createLogger } = require(resolve(root, 'dist/libs/observability/src/index.js'));

  await sql(adminUrl, `CREATE DATABASE "${database}"`);
  const common = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', API_TOKEN: apiToken, DATABASE_URL: databaseUrl };
  let simulator;
  let dispatch;
  let connection;
  try {
    simulator = await startApp('smartfocus-simulator', {
      ...common,
      HTTP_PORT: String(await freePort()),
      SIMULATOR_LOGIN: credentials.login,
      SIMULATOR_PASSWORD: credentials.password,
      SIMULATOR_API_KEY: credentials.apiKey,
      SIMULATOR_CRITERIA_VALUES_CAP: String(cap),
    });
    const retailer = new SyntheticRetailer({ seed: 'dispatch-bench', customers, asOfDate: '2026-11-30' });
    let started = performance.now();
    const loaded = await fetch(`${simulator.baseUrl}/admin/members/csv`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'text/csv' },
      body: Readable.toWeb(Readable.from(membersCsv(retailer))),
      duplex: 'half',
    }).then((response) => response.json());
    log(`setup: ${loaded.inserted} synthetic-retailer members loaded into the simulator in ${seconds(started).toFixed(1)} s`);
    const templates = await fetch(`${simulator.baseUrl}/admin/messages/templates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ name: 'optimove_bench', subject: 'Bench', body: '[EMV HTMLPART]<p>x</p>[EMV TEXTPART]x' }] }),
    }).then((response) => response.json());
    const ids = Array.from({ length: customers }, (_, index) => retailer.customerId(index));

    // Baseline: the client's bare segment push of the same ids.
    const client = new SmartFocusClient(
      {
        baseUrl: simulator.baseUrl,
        ...credentials,
        requestTimeoutMs: 30_000,
        retryMaxAttempts: 5,
        retryInitialDelayMs: 200,
        retryMaxDelayMs: 10_000,
        maxConcurrency: concurrency,
        circuitBreakerThreshold: 10,
        circuitBreakerHalfOpenAfterMs: 30_000,
        criteriaValuesCap: cap,
        timeZone: 'Europe/Paris',
      },
      createLogger({ service: 'bench', level: 'warn' }),
    );
    started = performance.now();
    const segmentId = await client.segments.create({ name: `bench bare push ${customers}` });
    const criteria = await client.segments.addCustomerIdCriteria(segmentId, ids);
    const baselineSeconds = seconds(started);
    await client.close();
    log(`baseline: client bare segment push of ${customers} ids (${criteria} criteria of <= ${cap}, ${concurrency} in flight) in ${baselineSeconds.toFixed(1)} s`);

    // Measured: the same ids as a lists.generated.v1 stream through smartfocus-dispatch.
    dispatch = await startApp('smartfocus-dispatch', {
      ...common,
      HTTP_PORT: String(await freePort()),
      AMQP_URL: amqpUrl,
      EVENTS_EXCHANGE: exchange,
      AMQP_QUEUE_PREFIX: queuePrefix,
      OUTBOX_POLL_INTERVAL_MS: '100',
      SMARTFOCUS_BASE_URL: simulator.baseUrl,
      SMARTFOCUS_LOGIN: credentials.login,
      SMARTFOCUS_PASSWORD: credentials.password,
      SMARTFOCUS_API_KEY: credentials.apiKey,
      SMARTFOCUS_MAX_CONCURRENCY: String(concurrency),
      SMARTFOCUS_CRITERIA_VALUES_CAP: String(cap),
      DISPATCH_POLL_INTERVAL_MS: '200',
    });
    connection = await amqplib.connect(amqpUrl);
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const listener = `${queuePrefix}bench-listener`;
    await channel.assertQueue(listener, { exclusive: true });
    await channel.bindQueue(listener, exchange, 'campaign.scheduled.v1');
    await channel.bindQueue(listener, exchange, 'campaign.dispatch-failed.v1');
    const outcome = new Promise((done) => {
      void channel.consume(listener, (message) => {
        if (message) done({ at: performance.now(), event: JSON.parse(message.content.toString('utf8')) });
      }, { noAck: true });
    });
    const executionId = randomUUID();
    const groupId = randomUUID();
    const chunkCount = Math.ceil(customers / chunkSize);
    const scheduledAt = new Date(Date.now() + 6 * 3_600_000).toISOString();
    started = performance.now();
    for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex++) {
      const data = {
        executionId,
        campaignId: randomUUID(),
        campaignName: 'Dispatch benchmark',
        runDate: scheduledAt.slice(0, 10),
        scheduledAt,
        group: { groupId, kind: 'variant', name: 'A', templateMessageId: templates.messages[0].id },
        chunkIndex,
        chunkCount,
        groupSize: customers,
        customerIds: ids.slice(chunkIndex * chunkSize, (chunkIndex + 1) * chunkSize),
      };
      const event = { specversion: '1.0', id: randomUUID(), type: 'lists.generated.v1', source: '/bench', time: new Date().toISOString(), datacontenttype: 'application/json', data };
      channel.publish(exchange, 'lists.generated.v1', Buffer.from(JSON.stringify(event)), { persistent: true });
    }
    await channel.waitForConfirms();
    const published = seconds(started);
    const { at, event } = await Promise.race([outcome, new Promise((_, fail) => setTimeout(() => fail(new Error('no outcome within 15 minutes')), 900_000))]);
    const dispatchSeconds = (at - started) / 1000;
    if (event.type !== 'campaign.scheduled.v1') throw new Error(`dispatch failed: ${JSON.stringify(event.data)}`);
    const ratio = dispatchSeconds / baselineSeconds;
    log(`dispatch: ${customers}-customer group in ${chunkCount} chunks of ${chunkSize} (published in ${published.toFixed(1)} s) -> campaign.scheduled.v1 in ${dispatchSeconds.toFixed(1)} s; matchedRecipients ${event.data.matchedRecipients} of ${event.data.recipients}`);
    log(
      `result: dispatch ${dispatchSeconds.toFixed(1)} s vs baseline bare segment push ${baselineSeconds.toFixed(1)} s = ${ratio.toFixed(2)}x; ` +
        `target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}; target < ${TARGET_SECONDS} s: ${dispatchSeconds < TARGET_SECONDS ? 'met' : 'MISSED'}`,
    );
    if (event.data.matchedRecipients !== customers) process.exitCode = 1;
  } finally {
    await connection?.close().catch(() => undefined);
    await stopApp(dispatch);
    await stopApp(simulator);
    const cleanup = await amqplib.connect(amqpUrl).catch(() => undefined);
    if (cleanup) {
      const channel = await cleanup.createChannel();
      const queue = `${queuePrefix}smartfocus-dispatch`;
      for (const name of [queue, `${queue}.dead`, `${queue}.retry.1000ms`, `${queue}.retry.10000ms`, `${queue}.retry.60000ms`]) await channel.deleteQueue(name).catch(() => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await cleanup.close().catch(() => undefined);
    }
    await sql(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
