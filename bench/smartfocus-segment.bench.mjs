// node bench/smartfocus-segment.bench.mjs            (options: --ids=1000000 --members=1000000 --cap=1000 --concurrency=4)
//
// SmartFocus segment benchmark (issue 3). Builds the simulator and libs/synthetic-retailer, creates
// its own database, starts the simulator as a child process on a free port (bench/support/services.mjs),
// loads the synthetic retailer's members through the admin CSV API (setup, timed apart), then with
// the real client: creates a segment and adds 1,000,000 customer IDs as CUSTOMER_ID EQUALS_CASE_SENSITIVE criteria of 1,000
// values each (1,000 PUT calls), and counts the segment. Prints the time, calls per second and
// the target (< 60 s on this 2-core machine) as a baseline line.
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
import { args, benchDatabase, build, dist, loadMembers, log, run, seconds, smartFocusClient, startSimulator, stopApp } from './support/services.mjs';

const ids = Number(args.ids ?? 1_000_000);
const members = Number(args.members ?? 1_000_000);
const cap = Number(args.cap ?? 1_000);
const concurrency = Number(args.concurrency ?? 4);
const TARGET_SECONDS = 60;
const database = benchDatabase('smartfocus_segment');

async function main() {
  build(['smartfocus-simulator', 'synthetic-retailer']);
  const { SyntheticRetailer, membersCsv } = dist('libs/synthetic-retailer');
  // The members are the synthetic retailer's (names and addresses generated, customer ids 00000001...).
  const retailer = new SyntheticRetailer({ seed: 'smartfocus-segment-bench', customers: members, asOfDate: '2026-11-30' });
  await database.create();
  let simulator;
  try {
    simulator = await startSimulator(database.url, { criteriaValuesCap: cap });
    let started = performance.now();
    const loaded = await loadMembers(simulator, membersCsv(retailer));
    log(`setup: ${loaded.inserted} members loaded through the admin CSV API in ${seconds(started).toFixed(1)} s`);

    const client = smartFocusClient(simulator, { maxConcurrency: concurrency, criteriaValuesCap: cap });
    // One in ten IDs is not a member (IDs from members * 0.1 + 1 on), so the count is checkable.
    const offset = Math.floor(members / 10);
    const list = Array.from({ length: ids }, (_, index) => retailer.customerId(offset + index));
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
    await stopApp(simulator);
    await database.drop();
  }
}

run(main);
