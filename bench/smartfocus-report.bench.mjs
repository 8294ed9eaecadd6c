// node bench/smartfocus-report.bench.mjs            (options: --members=1000000)
//
// SmartFocus snapshot report benchmark (issue 11, item 4). Builds the simulator and
// libs/synthetic-retailer, creates its own database, starts the simulator on a free port
// (bench/support/services.mjs), loads the synthetic retailer's members (setup, timed apart), and
// with the real client creates a campaign of every member (a segment `CUSTOMER_ID IS_NOT_EMPTY`),
// posts it and moves the simulator's clock past its send date (the recipients are frozen and their
// engagement recorded: timed). Then it times `campaign/getCampaignSnapshotReport`:
//   - day 1, 2 and 7 after the send, each asked twice (the same figures both times);
//   - once more at day 7 after the recorded engagement and the report's high-water mark are
//     deleted, so the report computes everything again in that request (what a campaign sent
//     before the engagement table existed gets, once): the same figures again (deterministic),
//     timed apart from the reports.
// While each request runs, /health/live is called every 20 ms: the longest answer shows whether
// the simulator stalls other requests. Targets (issue 11): a snapshot under 1 s; other requests
// not stalled (here: none waits longer than 100 ms).
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
import { args, benchDatabase, build, dist, loadMembers, log, run, seconds, simulatorAdmin, smartFocusClient, sql, startSimulator, stopApp } from './support/services.mjs';

const members = Number(args.members ?? 1_000_000);
const TARGET_SECONDS = 1;
const STALL_MS = 100;
const DAY = 86_400_000;
const database = benchDatabase('smartfocus_report');

/** Runs `work` while /health/live is called every 20 ms; resolves with its result, seconds and the longest health answer (ms). */
async function whileProbing(simulator, work) {
  let done = false;
  let longest = 0;
  const probe = (async () => {
    while (!done) {
      const begun = performance.now();
      await fetch(`${simulator.baseUrl}/health/live`).then((response) => response.arrayBuffer());
      longest = Math.max(longest, performance.now() - begun);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const begun = performance.now();
  try {
    const result = await work();
    return { result, seconds: seconds(begun), longestHealthMs: longest };
  } finally {
    done = true;
    await probe;
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function main() {
  build(['smartfocus-simulator', 'synthetic-retailer']);
  const { SyntheticRetailer, membersCsv } = dist('libs/synthetic-retailer');
  const retailer = new SyntheticRetailer({ seed: 'smartfocus-report-bench', customers: members, asOfDate: '2026-11-30' });
  await database.create();
  let simulator;
  try {
    simulator = await startSimulator(database.url);
    let started = performance.now();
    const loaded = await loadMembers(simulator, membersCsv(retailer));
    log(`setup: ${loaded.inserted} synthetic-retailer members loaded in ${seconds(started).toFixed(1)} s`);

    const client = smartFocusClient(simulator);
    const sendDate = new Date('2026-12-01T08:00:00Z');
    await simulatorAdmin(simulator, 'PUT', '/admin/clock', { now: new Date(sendDate.getTime() - DAY).toISOString() });
    const [template] = (await simulatorAdmin(simulator, 'POST', '/admin/messages/templates', {
      messages: [{ name: 'optimove_report_bench', subject: 'Bench', body: '[EMV HTMLPART]<p>x</p>[EMV TEXTPART]x' }],
    })).messages;
    const messageId = await client.messages.clone(Number(template.id), 'report bench message');
    const segmentId = await client.segments.create({ name: 'report bench: every member' });
    await client.segments.addStringDemographic(segmentId, { columnName: 'CUSTOMER_ID', operator: 'IS_NOT_EMPTY', values: [] });
    const { id: campaignId } = await client.campaigns.create({ name: 'report bench', sendDate, messageId, segmentId });
    await client.campaigns.post(campaignId);
    const before = await client.campaigns.snapshot(campaignId);

    // The send: the clock moves past the send date, the recipients are frozen and their engagement recorded.
    const send = await whileProbing(simulator, () => simulatorAdmin(simulator, 'PUT', '/admin/clock', { now: new Date(sendDate.getTime() + 60_000).toISOString() }));
    // Sessions expire on the simulator's clock: after a move a new one is opened before timing a report.
    const moveClock = async (now) => {
      await simulatorAdmin(simulator, 'PUT', '/admin/clock', { now: now.toISOString() });
      await client.close().catch(() => undefined);
      await client.open('apiccmd');
    };
    const [{ recipients }] = await sql(database.url, 'SELECT count(*)::int AS recipients FROM simulator.campaign_recipient WHERE campaign_id = $1', [campaignId]);
    log(`send: ${recipients} recipients frozen and their engagement recorded in ${send.seconds.toFixed(2)} s (longest /health/live meanwhile ${send.longestHealthMs.toFixed(0)} ms); before the send the report said ${before.counts.selected} selected`);

    const timings = [];
    let slowestHealth = send.longestHealthMs;
    let deterministic = true;
    let day7;
    for (const day of [1, 2, 7]) {
      await moveClock(new Date(sendDate.getTime() + day * DAY));
      const first = await whileProbing(simulator, () => client.campaigns.snapshot(campaignId));
      const second = await whileProbing(simulator, () => client.campaigns.snapshot(campaignId));
      deterministic &&= same(first.result.counts, second.result.counts);
      timings.push(first.seconds, second.seconds);
      slowestHealth = Math.max(slowestHealth, first.longestHealthMs, second.longestHealthMs);
      const c = first.result.counts;
      log(
        `day ${day}: snapshot in ${first.seconds.toFixed(3)} s and ${second.seconds.toFixed(3)} s (longest /health/live ${Math.max(first.longestHealthMs, second.longestHealthMs).toFixed(0)} ms): ` +
          `selected ${c.selected}, delivered ${c.delivered}, bounces ${c.bounces}, unique opens ${c.uniqueOpens}, clicks ${c.uniqueClicks}, unsubscribes ${c.unsubscribes}`,
      );
      if (day === 7) day7 = first.result.counts;
    }

    // Everything computed again inside one request (what a campaign sent before the engagement
    // table existed gets): the same figures, and the slowest answer there can be; shown apart.
    await sql(database.url, 'DELETE FROM simulator.campaign_engagement WHERE campaign_id = $1', [campaignId]);
    await sql(database.url, 'UPDATE simulator.campaign SET report_high_water = NULL WHERE campaign_id = $1', [campaignId]);
    const again = await whileProbing(simulator, () => client.campaigns.snapshot(campaignId));
    deterministic &&= same(again.result.counts, day7);
    slowestHealth = Math.max(slowestHealth, again.longestHealthMs);
    log(`day 7 recomputed from scratch in the request: ${again.seconds.toFixed(3)} s (longest /health/live ${again.longestHealthMs.toFixed(0)} ms); same figures: ${same(again.result.counts, day7)}`);
    await client.close();

    const slowest = Math.max(...timings);
    log(
      `result: snapshot report of a ${recipients}-recipient campaign: slowest ${slowest.toFixed(3)} s of ${timings.length}; target < ${TARGET_SECONDS} s: ${slowest < TARGET_SECONDS ? 'met' : 'MISSED'}; ` +
        `longest /health/live meanwhile (send and recompute included) ${slowestHealth.toFixed(0)} ms (not stalled: < ${STALL_MS} ms: ${slowestHealth < STALL_MS ? 'met' : 'MISSED'}); deterministic: ${deterministic ? 'yes' : 'NO'}; ` +
        `once per campaign: engagement recorded at the send in ${send.seconds.toFixed(1)} s, or in the first report in ${again.seconds.toFixed(1)} s`,
    );
    if (!deterministic || recipients !== members) process.exitCode = 1;
  } finally {
    await stopApp(simulator);
    await database.drop();
  }
}

run(main);
