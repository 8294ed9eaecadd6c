#!/usr/bin/env node
// `npm start`: runs the whole system on this machine against the local PostgreSQL and RabbitMQ.
// Builds, creates the database if needed, applies every app's migrations, starts the six apps,
// waits until each reports ready, and stops them all on Ctrl-C (SIGINT) or SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const APPS = [
  ['smartfocus-simulator', 3005],
  ['profile-import', 3001],
  ['segmentation', 3002],
  ['smartfocus-dispatch', 3003],
  ['metrics-collector', 3004],
  ['console', 3006],
];

const env = { ...process.env };
env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/optimove';
env.AMQP_URL ??= 'amqp://guest:guest@127.0.0.1:5672';
if (!env.API_TOKEN) {
  env.API_TOKEN = `dev-${randomBytes(12).toString('hex')}`;
  say(`API_TOKEN was not set; this run uses ${env.API_TOKEN}`);
}
// The console calls the services on the ports above and needs someone who may sign in.
env.PROFILE_IMPORT_URL ??= 'http://127.0.0.1:3001';
env.SEGMENTATION_URL ??= 'http://127.0.0.1:3002';
env.SMARTFOCUS_DISPATCH_URL ??= 'http://127.0.0.1:3003';
env.METRICS_COLLECTOR_URL ??= 'http://127.0.0.1:3004';
let consolePassword;
if (!env.CONSOLE_USERS) {
  consolePassword = randomBytes(9).toString('base64url');
  env.CONSOLE_USERS = `marketer:${bcrypt.hashSync(consolePassword, 10)}`;
}

function say(line) {
  process.stdout.write(`[start] ${line}\n`);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(1);
  }
}

async function ensureDatabase() {
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

async function waitReady(app, port, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app} was not ready on port ${port} within 60 s`);
}

await ensureDatabase();
run('npx', ['nx', 'run-many', '-t', 'build', '--parallel=2', '--outputStyle=static']);
for (const [app] of APPS) run('node', [`dist/apps/${app}/src/main.js`, 'migrate']);

const children = APPS.map(([app, port]) => {
  const child = spawn('node', [`dist/apps/${app}/src/main.js`], {
    cwd: root,
    env: { ...env, HTTP_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { app, port, child };
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping the apps`);
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

try {
  await Promise.all(children.map(({ app, port, child }) => waitReady(app, port, child)));
  say('all six apps are ready:');
  for (const { app, port } of children) say(`  ${app.padEnd(22)} http://127.0.0.1:${port}  (docs /docs, health /health/ready, metrics /metrics)`);
  say(`the console: http://127.0.0.1:3006${consolePassword ? `  (sign in as marketer / ${consolePassword})` : ''}`);
  say('Ctrl-C stops them.');
} catch (error) {
  say(error.message);
  stop('startup failure');
  process.exitCode = 1;
}

await Promise.all(children.map(({ child }) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)))));
say('stopped');
