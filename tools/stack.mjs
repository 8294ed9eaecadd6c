// The local stack of `npm start` and `npm run demo`: the environment, the database, the build, the
// migrations, and the six apps as child processes on their ports, ready or stopped together.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import pg from 'pg';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every app and its port; the simulator first (the others may follow its clock). */
export const APPS = [
  ['smartfocus-simulator', 3005],
  ['profile-import', 3001],
  ['segmentation', 3002],
  ['smartfocus-dispatch', 3003],
  ['metrics-collector', 3004],
  ['console', 3006],
];

export const localUrl = (port) => `http://127.0.0.1:${port}`;

/**
 * The stack's environment from the process's: the local PostgreSQL and RabbitMQ by default, an
 * API token (made up when none is set), the console's service URLs and a user who may sign in.
 * Returns the made-up secrets to print.
 */
export function stackEnv(base = process.env) {
  const env = { ...base };
  const madeUp = {};
  env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/optimove';
  env.AMQP_URL ??= 'amqp://guest:guest@127.0.0.1:5672';
  if (!env.API_TOKEN) env.API_TOKEN = madeUp.apiToken = `dev-${randomBytes(12).toString('hex')}`;
  env.PROFILE_IMPORT_URL ??= localUrl(3001);
  env.SEGMENTATION_URL ??= localUrl(3002);
  env.SMARTFOCUS_DISPATCH_URL ??= localUrl(3003);
  env.METRICS_COLLECTOR_URL ??= localUrl(3004);
  if (!env.CONSOLE_USERS) {
    madeUp.consolePassword = randomBytes(9).toString('base64url');
    env.CONSOLE_USERS = `marketer:${bcrypt.hashSync(madeUp.consolePassword, 10)}`;
  }
  return { env, madeUp };
}

/** Runs a command to its end; a failure ends the process with the command's name. */
export function runOrExit(command, args, env, say) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    say(`${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(1);
  }
}

/**
 * What an app needs, beyond the common environment, to run a simulated night and week in minutes
 * (`npm run demo`, the nightly-cycle benchmark): every service follows the simulator's clock, the
 * night is started through the API (POST /runs), and the pollers look often.
 */
export function followingEnv(app, simulatorUrl) {
  const follow = { CLOCK_FOLLOW_URL: `${simulatorUrl}/admin/clock` };
  switch (app) {
    case 'profile-import':
      return { ...follow, IMPORT_INBOX_DIR: '' };
    case 'segmentation':
      return { ...follow, RUN_SCHEDULE_ENABLED: 'false' };
    case 'smartfocus-dispatch':
      return { ...follow, DISPATCH_POLL_INTERVAL_MS: '250' };
    case 'metrics-collector':
      return { ...follow, COLLECTION_POLL_INTERVAL_MS: '250' };
    default:
      return {};
  }
}

/** The SmartFocus simulator's credentials and the SmartFocus client's, the same pair (development). */
export function simulatorCredentials(env, simulatorUrl) {
  env.SIMULATOR_LOGIN ??= 'optimove-api';
  env.SIMULATOR_PASSWORD ??= 'simulator-password';
  env.SIMULATOR_API_KEY ??= 'simulator-manager-key';
  env.SMARTFOCUS_LOGIN ??= env.SIMULATOR_LOGIN;
  env.SMARTFOCUS_PASSWORD ??= env.SIMULATOR_PASSWORD;
  env.SMARTFOCUS_API_KEY ??= env.SIMULATOR_API_KEY;
  env.SMARTFOCUS_BASE_URL ??= simulatorUrl;
  return env;
}

/** Creates the database of DATABASE_URL when it does not exist. */
export async function ensureDatabase(env, say) {
  const url = new URL(env.DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      say(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

/** Creates the database if needed, builds everything and applies every app's migrations. */
export async function prepare(env, say) {
  await ensureDatabase(env, say);
  say('building (nx run-many -t build)...');
  runOrExit('npx', ['nx', 'run-many', '-t', 'build', '--parallel=2', '--outputStyle=static'], env, say);
  say('migrating every app...');
  for (const [app] of APPS) runOrExit(process.execPath, [`dist/apps/${app}/src/main.js`, 'migrate'], env, say);
}

/** Resolves when `port` can be listened on (on every interface, as the apps do). */
function assertPortFree(app, port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} of ${app} is already in use (another npm start, npm run demo or benchmark?): stop it first`) : error),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

/** The apps as child processes; `stop()` ends them all with SIGTERM and waits. */
export class LocalStack {
  children = new Map();
  stopping = false;

  constructor(env, say, { quiet = false } = {}) {
    this.env = env;
    this.say = say;
    this.quiet = quiet;
  }

  /**
   * Starts the given apps (`[name, port]`), each with `envOf(name)` added, and waits until each is
   * ready. A port something else listens on is refused first: another stack's app would answer the
   * readiness check, and the stack would drive it (with another API token and database).
   */
  async start(apps, envOf = () => ({})) {
    for (const [app, port] of apps) await assertPortFree(app, port);
    for (const [app, port] of apps) {
      const child = spawn(process.execPath, [`dist/apps/${app}/src/main.js`], {
        cwd: root,
        env: { ...this.env, HTTP_PORT: String(port), ...envOf(app) },
        stdio: ['ignore', this.quiet ? 'ignore' : 'inherit', 'inherit'],
      });
      this.children.set(app, child);
      child.on('exit', (code, signal) => {
        if (!this.stopping) this.say(`${app} exited (${code ?? signal})`);
      });
    }
    await Promise.all(apps.map(([app, port]) => this.waitReady(app, port)));
  }

  async waitReady(app, port, timeoutMs = 120_000) {
    const child = this.children.get(app);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode}`);
      try {
        if ((await fetch(`${localUrl(port)}/health/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${app} was not ready on port ${port} within ${timeoutMs / 1000} s`);
  }

  /** Resolves when every app has exited. */
  exited() {
    return Promise.all([...this.children.values()].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)))));
  }

  async stop() {
    this.stopping = true;
    for (const child of this.children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await this.exited();
  }
}
