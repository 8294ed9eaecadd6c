// Shared by the bench scripts (not a benchmark: tools/bench.mjs runs bench/*.mjs only): build the
// projects, own a database, start built apps (the SmartFocus simulator among them) on free ports,
// and the real SmartFocus client against it.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import amqplib from 'amqplib';
import pg from 'pg';

export const root = resolve(import.meta.dirname, '..', '..');
export const require = createRequire(import.meta.url);
export const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const apiToken = 'bench-api-token-0123456789';
export const simulatorCredentials = { login: 'bench-login', password: 'bench-password/1', apiKey: 'bench-manager-key' };

/** `--name=value` options of the command line (`--flag` alone gives `undefined`, so test with `in`). */
export const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
export const seconds = (started) => (performance.now() - started) / 1000;
export const log = (line) => process.stdout.write(`${line}\n`);

/** Builds the projects (and what they depend on) with Nx; the built files are then required from dist/. */
export function build(projects) {
  log(`Building ${projects.join(', ')}...`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false' },
  });
}

/** A built lib or app file under dist/, e.g. `dist('libs/synthetic-retailer')`. */
export function dist(project) {
  return require(resolve(root, `dist/${project}/src/index.js`));
}

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

/** Runs one statement on `url` and returns its rows. */
export async function sql(url, statement, values = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement, values)).rows;
  } finally {
    await client.end();
  }
}

/** A database of the bench's own (`bench_<name>_<pid>`): `create()`, then `drop()` in a finally. */
export function benchDatabase(name) {
  const database = `bench_${name}_${process.pid}`;
  const url = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  return {
    name: database,
    url,
    create: () => sql(adminUrl, `CREATE DATABASE "${database}"`),
    drop: () => sql(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  };
}

/** Runs a built app's `migrate` command. */
export function migrateApp(app, env) {
  execFileSync(process.execPath, [resolve(root, `dist/apps/${app}/src/main.js`), 'migrate'], { env, stdio: 'inherit' });
}

/** Migrates and starts a built app on a free port (unless env.HTTP_PORT is set); resolves when /health/ready answers. */
export async function startApp(app, env) {
  const port = env.HTTP_PORT ?? String(await freePort());
  const appEnv = { ...env, HTTP_PORT: port };
  migrateApp(app, appEnv);
  const child = spawn(process.execPath, [resolve(root, `dist/apps/${app}/src/main.js`)], { env: appEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`${app} exited ${child.exitCode}`);
    if (await fetch(`${baseUrl}/health/ready`).then((response) => response.ok, () => false)) return { app, child, baseUrl };
    if (attempt > 600) throw new Error(`${app} did not start`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

export async function stopApp(running) {
  if (!running || running.child.exitCode !== null) return;
  running.child.kill('SIGTERM');
  await once(running.child, 'exit');
}

/** What every app of a bench reads: production mode, quiet logs, the bench's token and database. */
export function commonEnv(databaseUrl) {
  return { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', API_TOKEN: apiToken, DATABASE_URL: databaseUrl };
}

/** Starts the built SmartFocus simulator with the bench's credentials. */
export function startSimulator(databaseUrl, { criteriaValuesCap = 1_000, ...env } = {}) {
  return startApp('smartfocus-simulator', {
    ...commonEnv(databaseUrl),
    SIMULATOR_LOGIN: simulatorCredentials.login,
    SIMULATOR_PASSWORD: simulatorCredentials.password,
    SIMULATOR_API_KEY: simulatorCredentials.apiKey,
    SIMULATOR_CRITERIA_VALUES_CAP: String(criteriaValuesCap),
    ...env,
  });
}

/** The SmartFocus environment of an app that calls the simulator. */
export function smartFocusEnv(simulator, { maxConcurrency = 4, criteriaValuesCap = 1_000 } = {}) {
  return {
    SMARTFOCUS_BASE_URL: simulator.baseUrl,
    SMARTFOCUS_LOGIN: simulatorCredentials.login,
    SMARTFOCUS_PASSWORD: simulatorCredentials.password,
    SMARTFOCUS_API_KEY: simulatorCredentials.apiKey,
    SMARTFOCUS_MAX_CONCURRENCY: String(maxConcurrency),
    SMARTFOCUS_CRITERIA_VALUES_CAP: String(criteriaValuesCap),
  };
}

/** Calls the simulator's admin API with the bench's token; resolves with the JSON answer. */
export async function simulatorAdmin(simulator, method, path, body) {
  const response = await fetch(`${simulator.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Streams a members CSV (a generator of chunks, e.g. synthetic-retailer's `membersCsv`) into the simulator. */
export async function loadMembers(simulator, chunks) {
  const response = await fetch(`${simulator.baseUrl}/admin/members/csv`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'text/csv' },
    body: Readable.toWeb(Readable.from(chunks)),
    duplex: 'half',
  });
  if (!response.ok) throw new Error(`members upload: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The real libs/smartfocus-client against the simulator (built first). */
export function smartFocusClient(simulator, { maxConcurrency = 4, criteriaValuesCap = 1_000 } = {}) {
  const { SmartFocusClient } = dist('libs/smartfocus-client');
  const { createLogger } = dist('libs/observability');
  return new SmartFocusClient(
    {
      baseUrl: simulator.baseUrl,
      ...simulatorCredentials,
      requestTimeoutMs: 30_000,
      retryMaxAttempts: 5,
      retryInitialDelayMs: 200,
      retryMaxDelayMs: 10_000,
      maxConcurrency,
      circuitBreakerThreshold: 10,
      circuitBreakerHalfOpenAfterMs: 30_000,
      criteriaValuesCap,
      timeZone: 'Europe/Paris',
    },
    createLogger({ service: 'bench', level: 'warn' }),
  );
}

/** Publishes one event as the apps do (a CloudEvents envelope, persistent) on a confirm channel. */
export function publishEvent(channel, exchange, type, data) {
  const event = { specversion: '1.0', id: randomUUID(), type, source: '/bench', time: new Date().toISOString(), datacontenttype: 'application/json', data };
  channel.publish(exchange, type, Buffer.from(JSON.stringify(event)), { persistent: true });
}

/** Deletes an app's queues (`<prefix><app>`, its dead-letter and retry queues) and the bench's exchange; never throws. */
export async function deleteBrokerObjects(exchange, queuePrefix, apps) {
  const connection = await amqplib.connect(amqpUrl).catch(() => undefined);
  if (!connection) return;
  const channel = await connection.createChannel();
  for (const app of apps) {
    const queue = `${queuePrefix}${app}`;
    for (const name of [queue, `${queue}.dead`, `${queue}.retry.1000ms`, `${queue}.retry.10000ms`, `${queue}.retry.60000ms`]) await channel.deleteQueue(name).catch(() => undefined);
  }
  await channel.deleteExchange(exchange).catch(() => undefined);
  await connection.close().catch(() => undefined);
}

/** Runs `main`, reporting a failure on stderr with a non-zero exit code. */
export function run(main) {
  main().catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
