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
import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import {
  amqpUrl,
  args,
  benchDatabase,
  build,
  commonEnv,
  deleteBrokerObjects,
  dist,
  loadMembers,
  log,
  publishEvent,
  run,
  seconds,
  simulatorAdmin,
  smartFocusClient,
  smartFocusEnv,
  startApp,
  startSimulator,
  stopApp,
} from './support/services.mjs';

const customers = Number(args.customers ?? 1_000_000);
const chunkSize = Number(args.chunk ?? 50_000);
const cap = Number(args.cap ?? 1_000);
const concurrency = Number(args.concurrency ?? 4);
const TARGET_SECONDS = 60;
const TARGET_RATIO = 1.5;
const database = benchDatabase('dispatch');
const exchange = `bench.dispatch.${process.pid}.events`;
const queuePrefix = `bench.dispatch.${process.pid}.`;

async function main() {
  build(['smartfocus-simulator', 'smartfocus-dispatch', 'synthetic-retailer']);
  const { SyntheticRetailer, membersCsv } = dist('libs/synthetic-retailer');

  await database.create();
  let simulator;
  let dispatch;
  let connection;
  try {
    simulator = await startSimulator(database.url, { criteriaValuesCap: cap });
    const retailer = new SyntheticRetailer({ seed: 'dispatch-bench', customers, asOfDate: '2026-11-30' });
    let started = performance.now();
    const loaded = await loadMembers(simulator, membersCsv(retailer));
    log(`setup: ${loaded.inserted} synthetic-retailer members loaded into the simulator in ${seconds(started).toFixed(1)} s`);
    const templates = await simulatorAdmin(simulator, 'POST', '/admin/messages/templates', {
      messages: [{ name: 'optimove_bench', subject: 'Bench', body: '[EMV HTMLPART]<p>x</p>[EMV TEXTPART]x' }],
    });
    const ids = Array.from({ length: customers }, (_, index) => retailer.customerId(index));

    // Baseline: the client's bare segment push of the same ids.
    const client = smartFocusClient(simulator, { maxConcurrency: concurrency, criteriaValuesCap: cap });
    started = performance.now();
    const segmentId = await client.segments.create({ name: `bench bare push ${customers}` });
    const criteria = await client.segments.addCustomerIdCriteria(segmentId, ids);
    const baselineSeconds = seconds(started);
    await client.close();
    log(`baseline: client bare segment push of ${customers} ids (${criteria} criteria of <= ${cap}, ${concurrency} in flight) in ${baselineSeconds.toFixed(1)} s`);

    // Measured: the same ids as a lists.generated.v1 stream through smartfocus-dispatch.
    dispatch = await startApp('smartfocus-dispatch', {
      ...commonEnv(database.url),
      ...smartFocusEnv(simulator, { maxConcurrency: concurrency, criteriaValuesCap: cap }),
      AMQP_URL: amqpUrl,
      EVENTS_EXCHANGE: exchange,
      AMQP_QUEUE_PREFIX: queuePrefix,
      OUTBOX_POLL_INTERVAL_MS: '100',
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
      publishEvent(channel, exchange, 'lists.generated.v1', data);
    }
    await channel.waitForConfirms();
    const published = seconds(started);
    const { at, event } = await Promise.race([outcome, new Promise((_, fail) => setTimeout(() => fail(new Error('no outcome within 15 minutes')), 900_000).unref())]);
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
    await deleteBrokerObjects(exchange, queuePrefix, ['smartfocus-dispatch']);
    await database.drop();
  }
}

run(main);
