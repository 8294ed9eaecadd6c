// node bench/smartfocus-segment.bench.mjs            (options: --ids=1000000 --members=1000000 --cap=1000 --concurrency=4)
//
// SmartFocus segment benchmark (issue 3). Builds the libs and the simulator (SWC), creates its
// own database, migrates it, starts the simulator as a child process on a free port, loads the
// member table through the admin CSV API (setup, timed apart), then with the real client:
// creates a segment and adds 1,000,000 customer IDs as CUSTOMER_ID EQUALS criteria of 1,000
// values each (1,000 PUT calls), and counts the segment. Prints the time, calls per second and
// the target (< 60 s on this 2-core machine) as a baseline line.
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import pg from 'pg';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const ids = Number(args.ids ?? 1_000_000);
const members = Number(args.members ?? 1_000_000);
const cap = Number(args.cap ?? 1_000);
const concurrency = Number(args.concurrency ?? 4);
const TARGET_SECONDS = 60;
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `bench_smartfocus_segment_${process.pid}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
const apiToken = 'bench-api-token-0123456789';
const credentials = { login: 'bench-login', password: 'bench-password/1', apiKey: 'bench-manager-key' };

const seconds = (started) => (performance.now() - started) / 1000;
const log = (line) => process.stdout.write(`${line}\n`);
const customerId = (n) => `C${String(n).padStart(7, '0')}`;

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

async function admin(baseUrl, sql) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function* memberCsvChunks() {
  yield 'EMAIL,FIRSTNAME,LASTNAME,CUSTOMER_ID\n';
  const lines = [];
  for (let n = 1; n <= members; n++) {
    lines.push(`m${n}@bench.example,F${n},L${n},${customerId(n)}`);
    if (lines.length === 10_000) yield `${lines.splice(0).join('\n')}\n`;
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}

async function main() {
  log('Building the libs and the simulator (SWC)...');
  for (const project of ['libs/config', 'libs/observability', 'libs/clock', 'libs/database', 'libs/messaging', 'libs/contracts', 'libs/app-runtime', 'libs/smartfocus-client', 'apps/smartfocus-simulator']) {
    execFileSync('npx', ['swc', `${project}/src`, '-d', 'dist', '--config-file', '.swcrc', '--quiet'], { cwd: root, stdio: 'inherit' });
  }
  await admin(adminUrl, `CREATE DATABASE "${database}"`);
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
    API_TOKEN: apiToken,
    DATABASE_URL: databaseUrl,
    SIMULATOR_LOGIN: credentials.login,
    SIMULATOR_PASSWORD: credentials.password,
    SIMULATOR_API_KEY: credentials.apiKey,
    SIMULATOR_CRITERIA_VALUES_CAP: String(cap),
  };
  const main = resolve(root, 'dist/apps/smartfocus-simulator/src/main.js');
  execFileSync('node', [main, 'migrate'], { env, stdio: 'inherit' });
  const simulator = spawn('node', [main], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    for (let attempt = 0; ; attempt++) {
      const ready = await fetch(`${baseUrl}/health/ready`).then((response) => response.ok, () => false);
      if (ready) break;
      if (attempt > 200) throw new Error('the simulator did not start');
      await new Promise((done) => setTimeout(done, 100));
    }

    let started = performance.now();
    const { Readable } = await import('node:stream');
    const loaded = await fetch(`${baseUrl}/admin/members/csv`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'text/csv' },
      body: Readable.toWeb(Readable.from(memberCsvChunks())),
      duplex: 'half',
    }).then((response) => response.json());
    log(`setup: ${loaded.inserted} members loaded through the admin CSV API in ${seconds(started).toFixed(1)} s`);

    const { SmartFocusClient } = require(resolve(root, 'dist/libs/smartfocus-client/src/index.js'));
    const { createLogger } = require(resolve(root, 'dist/libs/observability/src/index.js'));
    const client = new SmartFocusClient(
      {
        baseUrl,
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
    // One in ten IDs is not a member (IDs from members * 0.1 + 1 on), so the count is checkable.
    const offset = Math.floor(members / 10);
    const list = Array.from({ length: ids }, (_, index) => customerId(offset + index + 1));
    const expected = Math.max(0, Math.min(members, offset + ids) - offset);

    started = performance.now();
    const segmentId = await client.segments.create({ name: `bench ${ids} ids` });
    const criteria = await client.segments.addCustomerIdCriteria(segmentId, list);
    const buildSeconds = seconds(started);
    const calls = criteria + 1;

    started = performance.now();
    const count = await client.segments.count(segmentId);
    const countSeconds = seconds(started);
    await client.close();

    log(`segment ${segmentId}: ${ids} customer IDs in ${criteria} criteria of <= ${cap} values, ${concurrency} requests in flight`);
    log(`count: ${count} members (expected ${expected}) in ${countSeconds.toFixed(1)} s`);
    log(
      `baseline: smartfocus segment of ${ids} IDs built in ${buildSeconds.toFixed(1)} s, ${calls} calls, ${(calls / buildSeconds).toFixed(1)} calls/s, ` +
        `${Math.round(ids / buildSeconds)} IDs/s; target < ${TARGET_SECONDS} s: ${buildSeconds < TARGET_SECONDS ? 'met' : 'MISSED'}`,
    );
    if (count !== expected) process.exitCode = 1;
  } finally {
    simulator.kill('SIGTERM');
    await once(simulator, 'exit');
    await admin(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
