#!/usr/bin/env node
// `npm run demo`: the product's main job on this machine, end to end.
//
//   npm run demo -- [--customers=100000] [--seed=demo] [--as-of=YYYY-MM-DD] [--keep-running] [--stack=local|external]
//
// With the local PostgreSQL and RabbitMQ (DATABASE_URL, AMQP_URL; defaults as in .env.example):
// builds, migrates, starts the SmartFocus simulator and the other apps as child processes (every
// app's time follows the simulator's clock), generates a synthetic retailer with
// libs/synthetic-retailer, and drives one nightly cycle with libs/nightly-cycle as a retailer, a
// marketer and the world would: the day's files delivered over HTTP, target groups and campaigns,
// the night's run, SmartFocus dispatch, a simulated week of metrics, the customers' purchases after
// the send with planted effects, and each campaign's analysis printed as tables.
// `--stack=external` uses a running stack instead (the compose `demo` profile): URLs from
// PROFILE_IMPORT_URL, SEGMENTATION_URL, SMARTFOCUS_DISPATCH_URL, METRICS_COLLECTOR_URL and
// SMARTFOCUS_SIMULATOR_URL, token from API_TOKEN; its apps must follow the simulator's clock.
// Ctrl-C stops everything it started.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { APPS, LocalStack, followingEnv, localUrl, prepare, root, runOrExit, simulatorCredentials, stackEnv } from './stack.mjs';

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
  // The business day of the files; the night's run is the next day. The apps follow the
  // simulator's clock, so any day works: today (UTC) by default.
  asOfDate: args['as-of'] ?? new Date().toISOString().slice(0, 10),
};
const known = new Set(['customers', 'seed', 'keep-running', 'stack', 'as-of']);
const unknown = Object.keys(args).filter((key) => !known.has(key));
if (unknown.length > 0) fail(`unknown option --${unknown[0]} (options: --customers=N --seed=S --as-of=YYYY-MM-DD --keep-running --stack=local|external)`);
if (!Number.isInteger(options.customers) || options.customers < 100) fail('--customers must be a whole number of at least 100');
if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOfDate) || Number.isNaN(Date.parse(options.asOfDate))) fail('--as-of must be a day YYYY-MM-DD');
if (!['local', 'external'].includes(options.stack)) fail('--stack must be local or external');

const started = performance.now();
function say(line) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[demo ${seconds}s] ${line}\n`);
}
function fail(message) {
  process.stderr.write(`[demo] ${message}\n`);
  process.exit(1);
}

// ---- the stack -----------------------------------------------------------------------------

const { env, madeUp } = stackEnv();
// The followed clock is refused in production: this is a development stack.
env.NODE_ENV = 'development';
env.LOG_LEVEL ??= 'warn';
simulatorCredentials(env, localUrl(3005));
env.SIMULATOR_ENGAGEMENT_SEED ??= options.seed;

const urlVariable = (app) => `${app.toUpperCase().replaceAll('-', '_')}_URL`;
const urls = Object.fromEntries(APPS.map(([app, port]) => [app, options.stack === 'external' ? process.env[urlVariable(app)] : localUrl(port)]));
const stack = new LocalStack(env, say, { quiet: true });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the apps...`);
    void stack.stop().then(() => process.exit(130));
  });
}

function loadLibraries() {
  const built = (lib) => join(root, 'dist', 'libs', lib, 'src', 'index.js');
  if (!existsSync(built('nightly-cycle'))) runOrExit('npx', ['nx', 'run-many', '-t', 'build', '-p', 'nightly-cycle', 'synthetic-retailer', 'statistics', '--outputStyle=static'], env, say);
  return { ...require(built('synthetic-retailer')), ...require(built('nightly-cycle')) };
}

// ---- the cycle --------------------------------------------------------------------------------

async function main() {
  say(`synthetic retailer: ${options.customers.toLocaleString('en')} customers, seed "${options.seed}", files of ${options.asOfDate}`);
  if (options.stack === 'local') await prepare(env, say);
  const lib = loadLibraries();
  const client = new lib.StackClient(urls, env.API_TOKEN);
  const retailer = new lib.SyntheticRetailer({ seed: options.seed, customers: options.customers, asOfDate: options.asOfDate });
  const cycle = new lib.NightlyCycle(client, retailer, { asOfDate: options.asOfDate, log: say });

  if (options.stack === 'local') {
    say('starting the SmartFocus simulator, then the other apps following its clock...');
    const [simulator, ...others] = APPS;
    await stack.start([simulator]);
    await cycle.setClock(cycle.evening());
    await stack.start(others, (app) => followingEnv(app, localUrl(3005)));
  } else {
    for (const app of lib.STACK_APPS) await client.waitReady(app);
    await cycle.setClock(cycle.evening());
  }
  say(`stack ready; the simulated time is ${cycle.evening().toISOString()}, the evening the retailer's files arrive`);

  say('loading the members (generated addresses) into the SmartFocus simulator only...');
  const members = await cycle.loadMembers();
  say(`  members: ${members.inserted} inserted, ${members.updated} updated, ${members.rejected} rejected`);
  await cycle.deliverFiles();

  say('creating the template messages (simulator), the target groups and the campaigns (segmentation API)...');
  const templates = await cycle.templates();
  const campaigns = await cycle.createCampaigns(templates);
  for (const campaign of Object.values(campaigns)) {
    say(`  "${campaign.name}"${campaign.reused ? ' (from a previous run)' : ''}: ${campaign.variants.map((variant) => variant.name).join(', ')} + control ${campaign.controlShare * 100} %`);
  }

  say(`the night of ${cycle.runDate}: the nightly run (customer model as of ${options.asOfDate}, lists, lists.generated.v1)...`);
  await cycle.runNight();
  say('waiting for SmartFocus dispatch (clone message, segment, campaign, post) of every group...');
  const report = await cycle.waitForDispatch();
  printRun(lib, report);
  const click = await cycle.plantClickEffect(report, campaigns.abTest);
  say(
    `message B of the A/B test is planted to be clicked more: its engagement factor ${click.factor} in the simulator (expected click rate ${(click.expected.planted * 100).toFixed(2)} % against A's ${(click.expected.other * 100).toFixed(2)} %, ` +
      `each SmartFocus campaign drawing its own rates), power ${(click.power * 100).toFixed(2)} %`,
  );

  const sendAt = lib.NightlyCycle.sendTime(report);
  say(`the week after the send (${sendAt.toISOString()}): the simulator's clock moves a day at a time; metrics-collector fetches each day's snapshots`);
  await cycle.collectWeek(report, (day, fetches) => {
    const done = fetches.filter((fetch) => fetch.day === day && fetch.status === 'done').length;
    const failed = fetches.filter((fetch) => fetch.day === day && fetch.status === 'failed');
    say(`  day ${day}: ${done} snapshot(s) stored${failed.length > 0 ? `, ${failed.length} failed (${failed[0].lastError})` : ''}`);
  });

  const windowDays = Math.max(...Object.values(campaigns).map((campaign) => campaign.actionDurationDays ?? 7));
  say(`the customers' purchases in the ${windowDays} days after the send, the win-back's treated customers planted to buy more...`);
  const planted = await cycle.plantPurchases(report, campaigns.winback, windowDays);
  const { sizing } = planted;
  say(
    `  planted: purchase rate x${sizing.purchaseRateFactor} on ${planted.treated.toLocaleString('en')} treated customers (expected ${(sizing.expected.control.purchaseRate * 100).toFixed(2)} % -> ${(sizing.expected.treated.purchaseRate * 100).toFixed(2)} %), ` +
      `power ${(sizing.power.revenuePerCustomer * 100).toFixed(2)} % (revenue per customer) and ${(sizing.power.purchaseRate * 100).toFixed(2)} % (purchase rate); ${planted.transactions.toLocaleString('en')} purchases`,
  );

  say('each campaign\'s analysis (metrics-collector, GET /campaigns/{id}/analysis):');
  for (const analysis of await cycle.analyses(Object.values(campaigns))) process.stdout.write(`\n${lib.formatAnalysis(analysis)}\n`);
  process.stdout.write('\n');

  if (options.keepRunning && options.stack === 'local') {
    say(`--keep-running: the stack stays up until Ctrl-C. API_TOKEN=${env.API_TOKEN}`);
    for (const [app] of APPS) say(`  ${app.padEnd(22)} ${urls[app]}  (OpenAPI: ${urls[app]}/docs)`);
    say(`  the console: ${urls.console}${madeUp.consolePassword ? ` (sign in as marketer / ${madeUp.consolePassword})` : ''}`);
    return;
  }
  stopping = true;
  await stack.stop();
  say('done');
}

function printRun(lib, report) {
  for (const execution of report.executions) {
    const excluded = Object.entries(execution.excluded ?? {}).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none';
    process.stdout.write(`\n  ${execution.campaignName}: targeted ${execution.targeted}, assigned ${execution.assigned}, excluded ${excluded}\n`);
    const rows = execution.groups.map((group) => [
      group.name,
      group.kind,
      String(group.size),
      `${(group.plannedShare * 100).toFixed(1)} %`,
      group.kind === 'control' ? 'held out' : group.dispatch.status === 'scheduled' ? `scheduled, SmartFocus campaign ${group.dispatch.smartFocusCampaignId}` : group.dispatch.status,
    ]);
    process.stdout.write(`${lib.table(rows, ['group', 'kind', 'customers', 'planned share', 'SmartFocus'])}\n`);
  }
  process.stdout.write('\n');
}

main().catch(async (error) => {
  if (stopping) return; // Ctrl-C: the calls in flight fail as the apps stop
  process.stderr.write(`[demo] ${error instanceof Error ? error.message : String(error)}\n`);
  stopping = true;
  await stack.stop();
  process.exit(1);
});
