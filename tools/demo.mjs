#!/usr/bin/env node
// `npm run demo`: the product's main job on this machine, end to end.
//
//   npm run demo -- [--customers=100000] [--seed=demo] [--keep-running] [--stack=local|external]
//
// With the local PostgreSQL and RabbitMQ (DATABASE_URL, AMQP_URL; defaults as in .env.example):
// builds, migrates, starts the SmartFocus simulator and the four services as child processes,
// generates a synthetic retailer with libs/synthetic-retailer (customers, two years of purchases,
// and members with generated addresses for the simulator only), delivers the day's customers and
// transactions files to profile-import over HTTP as a client would, then drives the nightly cycle
// over the apps' HTTP APIs (target groups and campaigns, the nightly run, a simulated week of
// SmartFocus metrics, post-send purchases with planted effects) and prints each campaign's analysis.
// `--stack=external` uses a running stack instead (the compose `demo` profile): URLs from
// PROFILE_IMPORT_URL, SEGMENTATION_URL, SMARTFOCUS_DISPATCH_URL, METRICS_COLLECTOR_URL and
// SMARTFOCUS_SIMULATOR_URL, token from API_TOKEN. Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const options = {
  customers: Number(args.customers ?? process.env.DEMO_CUSTOMERS ?? 100_000),
  seed: args.seed ?? process.env.DEMO_SEED ?? 'demo',
  keepRunning: args['keep-running'] === 'true',
  stack: args.stack ?? 'local',
  // The business day of the files (today, UTC); the history is the two years before it, and the
  // nightly run is for the next day (segmentation models "as of" the last complete day).
  asOfDate: args['as-of'] ?? new Date().toISOString().slice(0, 10),
};
if (!Number.isInteger(options.customers) || options.customers < 100) fail('--customers must be a whole number of at least 100');

const APPS = [
  ['smartfocus-simulator', 3005],
  ['profile-import', 3001],
  ['segmentation', 3002],
  ['smartfocus-dispatch', 3003],
  ['metrics-collector', 3004],
];
const started = performance.now();
const children = new Map();
let stopping = false;

function say(line) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[demo ${seconds}s] ${line}\n`);
}

function fail(message) {
  process.stderr.write(`[demo] ${message}\n`);
  process.exit(1);
}

// ---- the stack -----------------------------------------------------------------------------

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/optimove';
env.AMQP_URL ??= 'amqp://guest:guest@127.0.0.1:5672';
env.API_TOKEN ||= `demo-${randomBytes(12).toString('hex')}`;
env.SIMULATOR_LOGIN ??= 'optimove-api';
env.SIMULATOR_PASSWORD ??= 'simulator-password';
env.SIMULATOR_API_KEY ??= 'simulator-manager-key';
env.SMARTFOCUS_LOGIN ??= env.SIMULATOR_LOGIN;
env.SMARTFOCUS_PASSWORD ??= env.SIMULATOR_PASSWORD;
env.SMARTFOCUS_API_KEY ??= env.SIMULATOR_API_KEY;
env.SMARTFOCUS_BASE_URL ??= 'http://127.0.0.1:3005';
// Imports from the demo are large single files; the nightly run waits for both datasets.
env.IMPORT_INBOX_DIR = '';

const urls = Object.fromEntries(
  APPS.map(([app, port]) => [app, options.stack === 'external' ? process.env[`${app.toUpperCase().replaceAll('-', '_')}_URL`] : `http://127.0.0.1:${port}`]),
);

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) fail(`${command} ${commandArgs.join(' ')} failed (exit ${result.status})`);
}

async function ensureDatabase() {
  const pg = require('pg');
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

async function waitReady(app, child) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${urls[app]}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app} was not ready at ${urls[app]} within 120 s`);
}

async function startStack() {
  await ensureDatabase();
  say('building (nx run-many -t build)...');
  run('npx', ['nx', 'run-many', '-t', 'build', '--parallel=2', '--outputStyle=static']);
  say('migrating every app...');
  for (const [app] of APPS) run(process.execPath, [`dist/apps/${app}/src/main.js`, 'migrate']);
  for (const [app, port] of APPS) {
    const child = spawn(process.execPath, [`dist/apps/${app}/src/main.js`], {
      cwd: root,
      env: { ...env, HTTP_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.set(app, child);
    child.on('exit', (code, signal) => {
      if (!stopping) say(`${app} exited (${code ?? signal})`);
    });
  }
  await Promise.all(APPS.map(([app]) => waitReady(app, children.get(app))));
  say(`stack ready: ${APPS.map(([app]) => `${app} ${urls[app]}`).join(', ')}`);
}

async function stopStack() {
  stopping = true;
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    say(`${signal}: stopping the apps...`);
    void stopStack().then(() => process.exit(130));
  });
}

// ---- HTTP -------------------------------------------------------------------------------------

async function call(app, method, path, body, headers = {}) {
  const init = { method, headers: { Authorization: `Bearer ${env.API_TOKEN}`, ...headers } };
  if (body instanceof Readable) Object.assign(init, { body: Readable.toWeb(body), duplex: 'half' });
  else if (typeof body === 'string') init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${urls[app]}${path}`, init);
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, ok: response.ok, body: json };
}

async function must(app, method, path, body, headers) {
  const answer = await call(app, method, path, body, headers);
  if (!answer.ok) throw new Error(`${app} ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  return answer.body;
}

// ---- the retailer's data ----------------------------------------------------------------------

function loadGenerator() {
  const built = join(root, 'dist', 'libs', 'synthetic-retailer', 'src', 'index.js');
  if (!existsSync(built)) run('npx', ['nx', 'run', 'synthetic-retailer:build', '--outputStyle=static']);
  return require(built);
}

async function deliverFiles(lib, retailer) {
  const compact = options.asOfDate.replaceAll('-', '');
  for (const attribute of lib.CUSTOMER_ATTRIBUTES) {
    const answer = await call('profile-import', 'PUT', `/attributes/${attribute.name}`, { type: attribute.type, description: attribute.description });
    if (!answer.ok && answer.status !== 409) throw new Error(`declaring ${attribute.name} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const files = [
    ['customers', `customers_${compact}.csv`, () => lib.customersCsv(retailer)],
    ['transactions', `transactions_${compact}.csv`, () => lib.transactionsCsv(retailer.transactions())],
  ];
  for (const [dataset, fileName, chunks] of files) {
    say(`delivering ${fileName} to profile-import (generated while it streams)...`);
    const report = await must('profile-import', 'POST', `/imports/${dataset}?fileName=${fileName}&asOf=${options.asOfDate}`, Readable.from(chunks()), { 'Content-Type': 'text/csv' });
    say(`  ${dataset}: ${report.status}, ${report.rows?.loaded ?? 0} rows loaded, ${report.rows?.rejected ?? 0} rejected${report.status === 'unchanged' ? ' (the same file as a previous run)' : ''}`);
  }
}

async function loadMembers(lib, retailer) {
  say('loading the members (generated addresses) into the SmartFocus simulator...');
  const report = await must('smartfocus-simulator', 'POST', '/admin/members/csv', Readable.from(lib.membersCsv(retailer)), { 'Content-Type': 'text/csv' });
  say(`  members: ${report.inserted} inserted, ${report.updated} updated, ${report.rejected} rejected`);
}

// ---- the campaigns (segmentation), the week (simulator), the analysis (metrics-collector) -----

function nextDay(day) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

async function campaignApiAvailable() {
  const answer = await call('segmentation', 'GET', '/target-groups/fields');
  return answer.ok;
}

/** The demo's template messages in the simulator (named optimove_demo_*: offered to marketers). */
async function templateMessages() {
  const names = ['optimove_demo_winback', 'optimove_demo_ab_a', 'optimove_demo_ab_b', 'optimove_demo_welcome'];
  const created = await must('smartfocus-simulator', 'POST', '/admin/messages/templates', {
    messages: names.map((name) => ({ name, subject: `Retail Co: ${name.replace('optimove_demo_', '')}`, body: `<p>${name}</p>` })),
  });
  return Object.fromEntries(created.messages.map((message) => [message.name, message.id]));
}

/** Finds a target group or campaign by name (a second run reuses the first one's), else creates it. */
async function ensureNamed(path, body) {
  const existing = (await must('segmentation', 'GET', path)).find((item) => item.name === body.name && item.status !== 'archived');
  if (existing) return { ...existing, reused: true };
  return must('segmentation', 'POST', path, body);
}

/** Three campaigns for the run date: a win-back with a control group, an A/B test with a control group, a recurring one. */
async function createCampaigns(runDate, templates) {
  const groups = {
    winback: await ensureNamed('/target-groups', { name: 'Demo: lapsing and churned buyers', rule: { field: 'lifecycle_stage', op: 'in', value: ['at_risk', 'churned'] } }),
    active: await ensureNamed('/target-groups', { name: 'Demo: active buyers', rule: { all: [{ field: 'lifecycle_stage', op: 'in', value: ['active', 'reactivated'] }] } }),
    newcomers: await ensureNamed('/target-groups', { name: 'Demo: new customers', rule: { field: 'lifecycle_stage', op: 'eq', value: 'new' } }),
  };
  const common = { sendTime: '09:30', timeZone: 'Europe/Berlin' };
  const once = { type: 'once', date: runDate };
  const campaigns = [
    await ensureNamed('/campaigns', { ...common, name: 'Demo: win-back', targetGroupId: groups.winback.id, templateMessageId: templates.optimove_demo_winback, recurrence: once, controlShare: 0.2, priority: 1, actionDurationDays: 14 }),
    await ensureNamed('/campaigns', {
      ...common,
      name: 'Demo: A/B test of two messages',
      targetGroupId: groups.active.id,
      variants: [
        { name: 'A', templateMessageId: templates.optimove_demo_ab_a, weight: 1 },
        { name: 'B', templateMessageId: templates.optimove_demo_ab_b, weight: 1 },
      ],
      recurrence: once,
      controlShare: 0.1,
      priority: 2,
      actionDurationDays: 7,
      abTestKpi: 'click_rate',
    }),
    await ensureNamed('/campaigns', { ...common, name: 'Demo: welcome (daily)', targetGroupId: groups.newcomers.id, templateMessageId: templates.optimove_demo_welcome, recurrence: { type: 'daily', startDate: runDate }, controlShare: 0.1, priority: 3, actionDurationDays: 7 }),
  ];
  for (const campaign of campaigns) say(`  campaign "${campaign.name}"${campaign.reused ? ' (from a previous run)' : ''}: ${campaign.variants.map((variant) => variant.name).join(', ')} + control ${campaign.controlShare * 100} %`);
  return campaigns;
}

function table(rows, columns) {
  const widths = columns.map(([title, key]) => Math.max(title.length, ...rows.map((row) => String(row[key] ?? '').length)));
  const line = (cells) => `  ${cells.map((cell, index) => String(cell).padStart(widths[index])).join('  ')}`;
  return [line(columns.map(([title]) => title)), line(widths.map((width) => '-'.repeat(width))), ...rows.map((row) => line(columns.map(([, key]) => row[key] ?? '')))].join('\n');
}

async function nightlyRun(runDate) {
  say(`nightly run for ${runDate} (POST /runs, model as of ${options.asOfDate})...`);
  const report = await must('segmentation', 'POST', '/runs', { runDate, wait: true });
  say(`  run ${report.status ?? ''}: ${(report.executions ?? []).length} execution(s)`);
  for (const execution of report.executions ?? []) {
    const excluded = Object.entries(execution.excluded ?? {}).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none';
    process.stdout.write(`\n  ${execution.campaignName ?? execution.campaignId}: targeted ${execution.targeted}, assigned ${execution.assigned}, excluded ${excluded}\n`);
    const rows = (execution.groups ?? []).map((group) => ({
      name: group.name,
      kind: group.kind,
      size: group.size,
      planned: group.plannedShare === undefined || group.plannedShare === null ? '' : `${(group.plannedShare * 100).toFixed(1)} %`,
      dispatch: typeof group.dispatch === 'object' && group.dispatch !== null ? (group.dispatch.status ?? JSON.stringify(group.dispatch)) : (group.dispatch ?? ''),
    }));
    process.stdout.write(`${table(rows, [['group', 'name'], ['kind', 'kind'], ['customers', 'size'], ['planned share', 'planned'], ['dispatch', 'dispatch']])}\n`);
  }
  process.stdout.write('\n');
  return report;
}

async function main() {
  say(`synthetic retailer: ${options.customers.toLocaleString('en')} customers, seed "${options.seed}", files of ${options.asOfDate}`);
  if (options.stack === 'local') await startStack();
  else await Promise.all(APPS.map(([app]) => waitReady(app)));

  const lib = loadGenerator();
  const retailer = new lib.SyntheticRetailer({ seed: options.seed, customers: options.customers, asOfDate: options.asOfDate });
  await loadMembers(lib, retailer);
  await deliverFiles(lib, retailer);

  const runDate = nextDay(options.asOfDate);
  if (await campaignApiAvailable()) {
    say('creating the template messages in SmartFocus (simulator), the target groups and the campaigns over HTTP...');
    const templates = await templateMessages();
    await createCampaigns(runDate, templates);
    await nightlyRun(runDate);
    say('not yet on main: SmartFocus dispatch and the metrics and analysis APIs; the cycle stops after the nightly run.');
  } else {
    say('segmentation does not serve target groups and campaigns (GET /target-groups/fields answered no): the cycle stops after the data load.');
  }

  if (options.keepRunning && options.stack === 'local') {
    say(`--keep-running: the stack stays up until Ctrl-C. API_TOKEN=${env.API_TOKEN}`);
    for (const [app] of APPS) say(`  ${app.padEnd(22)} ${urls[app]}  (OpenAPI: ${urls[app]}/docs)`);
    return;
  }
  await stopStack();
  say('done');
}

main().catch(async (error) => {
  process.stderr.write(`[demo] ${error instanceof Error ? error.message : String(error)}\n`);
  await stopStack();
  process.exit(1);
});
