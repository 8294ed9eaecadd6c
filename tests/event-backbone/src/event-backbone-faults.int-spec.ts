import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ChannelWrapper } from 'amqp-connection-manager';
import amqplib, { type ConfirmChannel } from 'amqplib';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MetricsRegistry, createLogger } from '@optimove/observability';
import type { CampaignDispatchFailedV1, MetricsFetchedV1, ProfilesImportedV1 } from '@optimove/contracts';
import {
  captureLogs,
  createTestBroker,
  createTestDatabase,
  startTestService,
  testServiceEnv,
  testServiceQueues,
  waitFor,
  type AppExit,
  type RunningTestService,
  type TestBroker,
  type TestDatabase,
} from '@optimove/testing';
import { BrokerConnection, DELIVERY_LIMIT, EventConsumer, EventPublisher, HEADERS, OutboxRelay, OutboxWriter, deadLetterQueueName, deadLetterReasonOf, redriveDeadLetters, retryQueueName } from '@optimove/messaging';
import { CRASH_EXIT_CODE, handlerAttempts, testAppEntry } from './messaging-test-apps';
import { spawnTestApp } from './test-app-process';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

// Faults the backbone must survive without losing, blocking or misrouting an event. Each app here
// has an exchange of its own, so an event published for one scenario reaches only that app.

const run = promisify(execFile);

describe('Event backbone under faults', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let db: Client;
  const apps = new Map<string, RunningTestService>();
  const exchanges = new Set<string>();
  const queues = new Set<string>();
  const proxies: TcpProxy[] = [];
  const policies: string[] = [];

  const exchangeOf = (service: string): string => `${broker.exchange}.${service}`;
  const queueOf = (service: string): string => `${broker.queuePrefix}${service}`;

  function envFor(service: string, overrides: Record<string, string> = {}, resources: { databaseUrl?: string; amqpUrl?: string } = {}): Record<string, string> {
    exchanges.add(exchangeOf(service));
    for (const name of testServiceQueues(broker.queuePrefix, service)) queues.add(name);
    return testServiceEnv(
      { databaseUrl: resources.databaseUrl ?? database.url, amqpUrl: resources.amqpUrl ?? broker.amqpUrl, exchange: exchangeOf(service), queuePrefix: broker.queuePrefix },
      overrides,
    );
  }

  async function start(service: string, env: Record<string, string>, consumes = true): Promise<RunningTestService> {
    const app = await startTestService(testAppEntry(service, env, consumes));
    apps.set(service, app);
    return app;
  }

  beforeAll(async () => {
    database = await createTestDatabase('backbone_faults');
    broker = createTestBroker('faults');
    db = new Client({ connectionString: database.url });
    await db.connect();
    await start('fault-a', envFor('fault-a'));
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.close().catch(() => undefined);
    for (const proxy of proxies) await proxy.close();
    for (const policy of policies) await run('rabbitmqctl', ['clear_policy', policy]).catch(() => undefined);
    await db?.end();
    await withChannel(async (channel) => {
      for (const exchange of exchanges) await channel.deleteExchange(exchange);
    }).catch(() => undefined);
    await broker?.cleanup([...queues]);
    await database?.drop();
  });

  async function withChannel<T>(work: (channel: amqplib.ConfirmChannel) => Promise<T>): Promise<T> {
    const connection = await amqplib.connect(broker.amqpUrl);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      return await work(channel);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  function payload(sourceFileName: string): ProfilesImportedV1 {
    return { importId: randomUUID(), dataset: 'customers', sourceFileName, asOfDate: '2026-11-26', rowsRead: 10, rowsLoaded: 9, rowsRejected: 1, checksum: 'a'.repeat(64) };
  }

  function cloudEvent(data: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { specversion: '1.0', id: randomUUID(), type: 'profiles.imported.v1', source: '/outside', time: new Date().toISOString(), datacontenttype: 'application/json', data, ...overrides };
  }

  async function publish(service: string, events: Record<string, unknown>[], routingKey = 'profiles.imported.v1'): Promise<void> {
    await withChannel(async (channel) => {
      for (const event of events) channel.publish(exchangeOf(service), routingKey, Buffer.from(JSON.stringify(event)), { messageId: event['id'] as string });
      await channel.waitForConfirms();
    });
  }

  async function depth(queue: string): Promise<{ messages: number }> {
    return withChannel(async (channel) => ({ messages: (await channel.checkQueue(queue)).messageCount }));
  }

  async function effects(service: string, eventIds: string[]): Promise<number> {
    const result = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${service.replace(/-/g, '_')}".effects WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    return result.rows[0].n;
  }

  /** The number of effects of each of `eventIds`, in their order (1 each: handled exactly once). */
  async function effectsPerEvent(service: string, eventIds: string[]): Promise<number[]> {
    const result = await db.query<{ event_id: string; n: number }>(
      `SELECT event_id, count(*)::int AS n FROM "${service.replace(/-/g, '_')}".effects WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
      [eventIds],
    );
    const counts = new Map(result.rows.map((row) => [row.event_id, row.n]));
    return eventIds.map((id) => counts.get(id) ?? 0);
  }

  async function publishedAt(schema: string, eventId: string): Promise<Date | null> {
    const result = await db.query<{ published_at: Date | null }>(`SELECT published_at FROM "${schema}".outbox WHERE event_id = $1`, [eventId]);
    return result.rows[0].published_at;
  }

  async function inboxHas(service: string, eventId: string): Promise<boolean> {
    const result = await db.query(`SELECT 1 FROM "${service.replace(/-/g, '_')}".inbox WHERE event_id = $1`, [eventId]);
    return result.rowCount === 1;
  }

  function attempts(service: string, eventId: string): number[] {
    return handlerAttempts.get(`${service.replace(/-/g, '_')}/${eventId}`) ?? [];
  }

  /**
   * Takes the messages of `queue` (acking them) up to one with the message id `keep`, which stays;
   * returns the bodies taken.
   */
  async function takeAllBut(queue: string, keep: string): Promise<string[]> {
    return withChannel(async (channel) => {
      const taken: string[] = [];
      for (let message = await channel.get(queue, { noAck: false }); message; message = await channel.get(queue, { noAck: false })) {
        if (message.properties.messageId === keep) return taken; // unacked: back in the queue with the channel's close
        channel.ack(message);
        taken.push(message.content.toString());
      }
      return taken;
    });
  }

  /** Takes every message of `queue` (acking them) and returns them. */
  async function drain(queue: string): Promise<amqplib.GetMessage[]> {
    return withChannel(async (channel) => {
      const taken: amqplib.GetMessage[] = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (!message) return taken;
        taken.push(message);
      }
    });
  }

  async function deadLetter(service: string, eventId: string, timeoutMs = 20_000): Promise<amqplib.GetMessage> {
    const found: amqplib.GetMessage[] = [];
    return waitFor(
      async () => {
        found.push(...(await drain(deadLetterQueueName(queueOf(service)))));
        return found.find((message) => message.properties.messageId === eventId || message.content.toString().includes(eventId));
      },
      { timeoutMs, intervalMs: 200, what: `dead letter ${eventId}` },
    );
  }

  /** Waits until the app's queue and retry queues are empty and its consumer holds no delivery. */
  async function settled(service: string): Promise<void> {
    const dead = deadLetterQueueName(queueOf(service));
    const consumer = apps.get(service)!.app.get(EventConsumer);
    await waitFor(
      async () => {
        for (const name of testServiceQueues(broker.queuePrefix, service)) if (name !== dead && (await depth(name)).messages > 0) return false;
        return consumer.pending() === 0;
      },
      { what: `${service} to settle` },
    );
  }

  // --- 1. an aborted transaction is a failed attempt ---------------------------------------------

  it('should retry an event whose handler swallowed a database error instead of acking it with no effect', async () => {
    const event = cloudEvent(payload('swallow-once.csv'));

    await publish('fault-a', [event]);

    await waitFor(async () => (await effects('fault-a', [event['id'] as string])) === 1, { what: 'the event handled on its second attempt' });
    expect(attempts('fault-a', event['id'] as string)).toEqual([1, 2]);
    expect(await inboxHas('fault-a', event['id'] as string)).toBe(true);
  });

  // --- 4. routing key and type agree; an id is one event ------------------------------------------

  it('should dead-letter an event whose type differs from its routing key, not hand it to the type\'s handler', async () => {
    const event = cloudEvent(payload('misrouted.csv'));

    await publish('fault-a', [event], 'campaign.dispatch-failed.v1');

    const dead = await deadLetter('fault-a', event['id'] as string);
    expect(dead.properties.headers?.[HEADERS.deadLetterReason]).toBe('routing-mismatch');
    expect(String(dead.properties.headers?.[HEADERS.errors])).toContain('campaign.dispatch-failed.v1');
    expect(await effects('fault-a', [event['id'] as string])).toBe(0);
    expect(attempts('fault-a', event['id'] as string)).toEqual([]);
  });

  it('should dead-letter as a conflict an event id seen before with another source, not skip it as a duplicate', async () => {
    const first = cloudEvent(payload('original.csv'));
    const impostor = { ...cloudEvent(payload('impostor.csv')), id: first['id'], source: '/someone-else' };
    await publish('fault-a', [first]);
    await waitFor(async () => (await effects('fault-a', [first['id'] as string])) === 1, { what: 'the first event' });

    await publish('fault-a', [impostor]);

    const dead = await deadLetter('fault-a', first['id'] as string);
    expect(dead.properties.headers?.[HEADERS.deadLetterReason]).toBe('event-id-conflict');
    expect(JSON.parse(dead.content.toString())).toMatchObject({ source: '/someone-else' });
    expect(await effects('fault-a', [first['id'] as string])).toBe(1);
  });

  // --- 2. retry, dead-letter and re-drive publishes cannot drop a message -------------------------

  it('should not lose an event whose retry queue has disappeared', async () => {
    await withChannel((channel) => channel.deleteQueue(retryQueueName(queueOf('fault-a'), 100)));
    const event = cloudEvent(payload('fail-once-no-retry-queue.csv'));

    await publish('fault-a', [event]);

    await waitFor(async () => (await effects('fault-a', [event['id'] as string])) === 1, { what: 'the event after its retry' });
    expect(attempts('fault-a', event['id'] as string).at(-1)).toBe(2);
  });

  it('should move nothing and say why when re-driving into a queue that does not exist', async () => {
    const ghost = `${broker.queuePrefix}ghost`;
    queues.add(deadLetterQueueName(ghost));
    await withChannel(async (channel) => {
      await channel.assertQueue(deadLetterQueueName(ghost), { durable: true });
      channel.sendToQueue(deadLetterQueueName(ghost), Buffer.from(JSON.stringify(cloudEvent(payload('ghost.csv')))), { headers: { [HEADERS.deadLetterReason]: 'handler-failed' } });
      await channel.waitForConfirms();
    });

    await expect(redriveDeadLetters({ amqpUrl: broker.amqpUrl, queue: ghost })).rejects.toThrow(new RegExp(`${ghost.replace(/\./g, '\\.')}.*does not exist|no queue ${ghost.replace(/\./g, '\\.')}`, 'i'));

    expect((await depth(deadLetterQueueName(ghost))).messages).toBe(1);
  });

  // --- 3. a refused dead-letter publish never blocks the queue ------------------------------------

  it('should keep consuming when the dead-letter queue refuses a message, and lose nothing', async () => {
    const service = 'fault-c';
    const dead = deadLetterQueueName(queueOf(service));
    const policy = `test-refuse-${broker.queuePrefix}`;
    await start(service, envFor(service, { AMQP_PREFETCH: '1' }));
    // A full dead-letter queue that refuses what comes next: one message in, a limit of one.
    await withChannel(async (channel) => {
      channel.sendToQueue(dead, Buffer.from('filler'), { persistent: true });
      await channel.waitForConfirms();
    });
    await run('rabbitmqctl', ['set_policy', '--apply-to', 'queues', policy, `^${dead.replace(/\./g, '\\.')}$`, '{"max-length":1,"overflow":"reject-publish"}']);
    policies.push(policy);
    await waitFor(async () => {
      const refused = await withChannel(async (channel) => {
        channel.sendToQueue(dead, Buffer.from('probe'), { persistent: true });
        return channel.waitForConfirms().then(() => false, () => true);
      });
      return refused;
    }, { what: 'the dead-letter queue to refuse messages' });
    const invalid = cloudEvent({ ...payload('refused.csv'), dataset: 'orders' });
    const valid = Array.from({ length: 5 }, () => cloudEvent(payload('after-refused.csv')));

    await publish(service, [invalid, ...valid]);

    await waitFor(async () => (await effects(service, valid.map((event) => event['id'] as string))) === 5, { timeoutMs: 30_000, what: 'the valid events behind the refused one' });
    // Not lost: once the dead-letter queue has room again (the filler and probes taken out), the
    // refused event gets there, with its reason.
    const taken = await takeAllBut(dead, invalid['id'] as string);
    expect(taken.filter((body) => body !== 'probe')).toEqual(['filler']);
    const arrived = await deadLetter(service, invalid['id'] as string);

    expect(arrived.properties.headers?.[HEADERS.deadLetterReason]).toBe('invalid-payload');
    await settled(service);
    expect((await depth(dead)).messages).toBe(0);
    expect(await effects(service, valid.map((event) => event['id'] as string))).toBe(5);
  });

  // --- 7. dead letters say why, those of the delivery limit too -----------------------------------

  it('should let the broker dead-letter, through the delivery limit, an event that crashes its consumer\'s process every time, handle the others, and re-drive it by that reason', async () => {
    const service = 'fault-i';
    const queue = queueOf(service);
    const env = envFor(service);
    await (await start(service, env)).close(); // declares the queues
    apps.delete(service);
    const poison = cloudEvent(payload('crash-process.csv'));
    // Slow (200 ms): still in hand when the poison event crashes the process.
    const others = Array.from({ length: 10 }, () => cloudEvent(payload('slow-beside-the-poison.csv')));
    const otherIds = others.map((event) => event['id'] as string);
    await publish(service, [...others.slice(0, 5), poison, ...others.slice(5)]);

    // The consumer runs as a process of its own that the poison event ends (exit code 70), and is
    // started again each time, as a supervisor would: the broker counts the deliveries the dead
    // processes held and dead-letters the event after its limit.
    const exits: AppExit[] = [];
    let consumer = await spawnTestApp(service, env, { consumes: true });
    await waitFor(
      async () => {
        if (consumer.child.exitCode !== null) {
          exits.push(await consumer.exit);
          consumer = await spawnTestApp(service, env, { consumes: true });
        }
        if ((await depth(deadLetterQueueName(queue))).messages === 0) return false;
        // Dead-lettered, so every process that held the event has died (its HTTP port with it):
        // a process that answers is one started after the last crash.
        return (await fetch(`${consumer.baseUrl}/health/ready`)).ok;
      },
      { timeoutMs: 90_000, intervalMs: 100, what: 'the poison event dead-lettered and a consumer process ready' },
    );
    // The poison event alone: none of the events the crashed processes held beside it.
    const deadLetters = await drain(deadLetterQueueName(queue));
    expect(deadLetters.map((message) => message.properties.messageId as string)).toEqual([poison['id']]);
    const [dead] = deadLetters;

    expect(deadLetterReasonOf(dead.properties.headers)).toBe('delivery-limit');
    expect(dead.properties.headers?.['x-death']).toEqual([expect.objectContaining({ reason: 'delivery_limit', queue, 'routing-keys': ['profiles.imported.v1'] })]);
    expect(exits.map((exit) => exit.code)).toEqual(Array.from({ length: DELIVERY_LIMIT + 1 }, () => CRASH_EXIT_CODE));
    await waitFor(async () => (await effects(service, otherIds)) === otherIds.length, { what: 'the events beside the poison one' });
    await waitFor(async () => (await depth(queue)).messages === 0, { what: 'an empty queue' });
    await consumer.stop();
    expect(await effectsPerEvent(service, otherIds)).toEqual(otherIds.map(() => 1));
    expect((await depth(deadLetterQueueName(queue))).messages).toBe(0);
    // Put it back, as it was, for the re-drive; the app in this process survives the event (the fix).
    await withChannel(async (channel) => {
      channel.sendToQueue(deadLetterQueueName(queue), dead.content, dead.properties);
      await channel.waitForConfirms();
    });
    await start(service, env);

    const moved = await redriveDeadLetters({ amqpUrl: broker.amqpUrl, queue, reason: 'delivery-limit' });

    expect(moved).toMatchObject({ moved: 1 });
    await waitFor(async () => (await effects(service, [poison['id'] as string])) === 1, { what: 'the re-driven event' });
  }, 120_000);

  // --- 5. a database outage is not a handler failure ----------------------------------------------

  it('should hold events through a database outage longer than the retry delays and handle each once afterwards, dead-lettering none', async () => {
    const service = 'fault-d';
    const proxy = await startTcpProxy(database.url);
    proxies.push(proxy);
    await start(service, envFor(service, {}, { databaseUrl: proxy.via(database.url) }));
    const events = Array.from({ length: 30 }, () => cloudEvent(payload('through-outage.csv')));
    const ids = events.map((event) => event['id'] as string);

    proxy.cut();
    await publish(service, events);
    // The outage lasts well past the retry delays (100 ms, 300 ms): a consumer that counted it as
    // handler failures would have dead-lettered every event by now.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await depth(deadLetterQueueName(queueOf(service)))).messages).toBe(0);
    proxy.restore();

    await waitFor(async () => (await effects(service, ids)) === ids.length, { timeoutMs: 30_000, what: 'every event after the outage' });
    await settled(service);
    expect((await depth(deadLetterQueueName(queueOf(service)))).messages).toBe(0);
    const perEvent = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fault_d.effects WHERE event_id = ANY($1::uuid[]) GROUP BY event_id HAVING count(*) > 1`, [ids]);
    expect(perEvent.rows).toEqual([]);
  }, 60_000);

  // --- 6. broker outages: start, shutdown, channel errors -----------------------------------------

  it('should answer /health/live while the broker is unreachable at start, and get ready once it is back', async () => {
    const service = 'fault-e';
    const proxy = await startTcpProxy(broker.amqpUrl);
    proxies.push(proxy);
    proxy.cut();

    const app = await Promise.race([
      start(service, envFor(service, {}, { amqpUrl: proxy.via(broker.amqpUrl) })),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the app did not start without the broker')), 20_000)),
    ]);

    expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(503);
    proxy.restore();
    await waitFor(async () => (await fetch(`${app.baseUrl}/health/ready`)).status === 200, { what: 'ready after the broker is back' });
    const event = cloudEvent(payload('after-late-broker.csv'));
    await publish(service, [event]);
    await waitFor(async () => (await effects(service, [event['id'] as string])) === 1, { what: 'an event once the broker is back' });
  }, 60_000);

  it('should shut down within the grace period while the broker is unreachable, leaving what is in flight for redelivery', async () => {
    const service = 'fault-g';
    const proxy = await startTcpProxy(broker.amqpUrl);
    proxies.push(proxy);
    const app = await start(service, envFor(service, {}, { amqpUrl: proxy.via(broker.amqpUrl) }));
    const events = Array.from({ length: 5 }, () => cloudEvent(payload('slow-at-shutdown.csv')));
    await publish(service, events);
    await waitFor(() => events.some((event) => attempts(service, event['id'] as string).length > 0), { what: 'the first slow event' });

    proxy.cut();
    const started = Date.now();
    await app.close();
    apps.delete(service);

    expect(Date.now() - started).toBeLessThan(10_000);
    proxy.restore();
    await start(service, envFor(service, {}, { amqpUrl: proxy.via(broker.amqpUrl) }));
    const ids = events.map((event) => event['id'] as string);
    await waitFor(async () => (await effects(service, ids)) === ids.length, { timeoutMs: 30_000, what: 'every event after the restart' });
  }, 60_000);

  it('should keep its consumers, and publish from the outbox again without a reconnect, when the broker closes the publisher\'s channel', async () => {
    const service = 'fault-p';
    const logs = captureLogs();
    const app = await startTestService(testAppEntry(service, envFor(service), true), createLogger({ service, level: 'info', destination: logs.stream }));
    apps.set(service, app);
    let disconnects = 0;
    app.app.get(BrokerConnection).manager.on('disconnect', () => (disconnects += 1));
    const dataSource = app.app.get(DataSource);
    const throughOutbox = async (name: string): Promise<string> =>
      (await dataSource.transaction((manager) => app.app.get(OutboxWriter).enqueue(manager, 'profiles.imported.v1', payload(name)))).id;
    const before = await throughOutbox('before-channel-error.csv');
    await waitFor(async () => (await effects(service, [before])) === 1, { what: 'an event through the outbox before the channel error' });
    const inHand = cloudEvent(payload('slow-during-channel-error.csv'));
    await publish(service, [inHand]);
    await waitFor(() => attempts(service, inHand['id'] as string).length > 0, { what: 'an event in the consumer\'s hands' });

    // A publish the broker refuses on the publisher's own channel (no such exchange): the broker
    // closes that channel, and only that one.
    const publisherChannel = app.app.get<EventPublisher, { channel: ChannelWrapper }>(EventPublisher).channel; // its private channel
    const refused = (channel: ConfirmChannel): Promise<void> => {
      channel.publish(`${exchangeOf(service)}.missing`, 'profiles.imported.v1', Buffer.from('{}'));
      return Promise.resolve();
    };
    await publisherChannel.addSetup(refused);
    await publisherChannel.removeSetup(refused);
    const reported = /Publisher channel closed by the broker/;
    await waitFor(() => disconnects > 0 || reported.test(logs.text()), { what: 'the publisher\'s channel error' });
    const consumed = cloudEvent(payload('consumed-after-channel-error.csv'));
    await publish(service, [consumed]);
    const after = await throughOutbox('after-channel-error.csv');

    // Sooner than the publish timeout (10 s): the relay does not wait for its publish to time out.
    await waitFor(async () => (await effects(service, [inHand['id'] as string, consumed['id'] as string, after])) === 3, { timeoutMs: 8_000, what: 'events consumed and published after the channel error' });
    expect(disconnects).toBe(0);
    expect(logs.text()).toMatch(reported);
    expect(attempts(service, inHand['id'] as string)).toEqual([1]);
    const pending = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fault_p.outbox WHERE published_at IS NULL');
    expect(pending.rows[0].n).toBe(0);
  }, 30_000);

  it('should report a queue declared with other arguments as a clear log line and a readiness failure', async () => {
    const service = 'fault-h';
    const env = envFor(service);
    await withChannel((channel) => channel.assertQueue(queueOf(service), { durable: true, arguments: { 'x-queue-type': 'classic' } }));
    const logs = captureLogs();

    const app = await startTestService(testAppEntry(service, env, true), createLogger({ service, level: 'info', destination: logs.stream }));
    apps.set(service, app);

    const ready = await waitFor(async () => {
      const response = await fetch(`${app.baseUrl}/health/ready`);
      return response.status === 503 ? ((await response.json()) as { checks: Record<string, { error?: string }> }) : undefined;
    }, { what: 'a readiness failure' });
    expect(JSON.stringify(ready.checks)).toMatch(/PRECONDITION_FAILED|arguments/);
    expect(logs.text()).toMatch(/declared with other arguments|PRECONDITION_FAILED/);
    // The consumer's channel error is its own: the connection (and the publisher on it) stays. The
    // publisher's broker confirms it: the event comes back, since no queue is bound to its key
    // while the app's queue is wrong, and waits in the outbox.
    expect(ready.checks['event-publisher']).toEqual({ status: 'up' });
    const event = await app.app.get(DataSource).transaction((manager) => app.app.get(OutboxWriter).enqueue(manager, 'profiles.imported.v1', payload('held-while-queue-wrong.csv')));
    await waitFor(() => /No queue took these events/.test(logs.text()), { what: 'the relay to find no queue for the event' });
    expect((await db.query('SELECT 1 FROM fault_h.outbox WHERE event_id = $1 AND published_at IS NULL', [event.id])).rowCount).toBe(1);
    expect(logs.text()).not.toMatch(/Broker connection lost/);
    // Fixed (the queue deleted, to be declared again): the consumer gets going by itself, and the
    // event that waited is published and handled.
    await withChannel((channel) => channel.deleteQueue(queueOf(service)));
    await waitFor(async () => (await fetch(`${app.baseUrl}/health/ready`)).status === 200, { timeoutMs: 40_000, what: 'ready once the queue is gone' });
    const consumed = cloudEvent(payload('after-queue-fixed.csv'));
    await publish(service, [consumed]);
    await waitFor(async () => (await effects(service, [consumed['id'] as string, event.id])) === 2, { what: 'an event consumed once the queue is right, and the one that waited' });
  }, 60_000);

  it('should report an exchange declared with another type as a clear log line and a readiness failure, not a crash', async () => {
    const service = 'fault-x';
    const env = envFor(service);
    await withChannel((channel) => channel.assertExchange(exchangeOf(service), 'direct', { durable: true }));
    const logs = captureLogs();

    // A producer only: no consumer whose own failure to declare would bring a reconnect.
    const app = await startTestService(testAppEntry(service, env, false), createLogger({ service, level: 'info', destination: logs.stream }));
    apps.set(service, app);

    const failed = await waitFor(async () => {
      const response = await fetch(`${app.baseUrl}/health/ready`);
      const { checks } = (await response.json()) as { checks: Record<string, { error?: string }> };
      return response.status === 503 && checks['event-publisher']?.error;
    }, { what: 'the publisher\'s readiness failure' });
    expect(failed).toMatch(/PRECONDITION_FAILED/);
    expect(logs.text()).toMatch(/Exchange .* could not be declared/);
    // Fixed (the exchange declared again as it should be): the app gets ready by itself.
    await withChannel(async (channel) => {
      await channel.deleteExchange(exchangeOf(service));
      await channel.assertExchange(exchangeOf(service), 'topic', { durable: true });
    });
    await waitFor(async () => (await fetch(`${app.baseUrl}/health/ready`)).status === 200, { timeoutMs: 40_000, what: 'ready once the exchange is right' });
    expect(logs.text()).not.toMatch(/Broker connection lost/);
  }, 60_000);

  // --- 8. the outbox relay ------------------------------------------------------------------------

  it('should deliver once every event a producer committed before it was killed mid-stream, and none it did not commit', async () => {
    const service = 'fault-k';
    await start(service, envFor(service));
    const producerEnv = envFor('fault-producer', { EVENTS_EXCHANGE: exchangeOf(service) });
    const outbox = async (): Promise<{ published: number; pending: number }> =>
      (await db.query<{ published: number; pending: number }>(
        'SELECT count(published_at)::int AS published, (count(*) - count(published_at))::int AS pending FROM fault_producer.outbox',
      )).rows[0];
    // A producer process that writes events in small transactions (one in four rolled back) as
    // fast as it can while its relay publishes them.
    const producer = await spawnTestApp('fault-producer', producerEnv, { consumes: false, write: 'written-until-killed' });
    await waitFor(async () => {
      const { published, pending } = await outbox();
      return published >= 200 && pending > 0;
    }, { timeoutMs: 30_000, what: 'the producer half way through its stream' });

    const killed = await producer.kill();

    expect(killed.signal).toBe('SIGKILL');
    const rolledBack = killed.stdout.split('\n').filter((line) => line.startsWith('rolled-back ')).flatMap((line) => line.split(' ').slice(1));
    expect(rolledBack.length).toBeGreaterThan(0);
    expect((await outbox()).pending).toBeGreaterThan(0);
    // Started again, its relay publishes what the killed one left in the outbox.
    const restarted = await spawnTestApp('fault-producer', producerEnv, { consumes: false });
    await waitFor(async () => (await outbox()).pending === 0, { timeoutMs: 30_000, what: 'the restarted producer to empty its outbox' });
    const committed = (await db.query<{ event_id: string }>('SELECT event_id FROM fault_producer.outbox')).rows.map((row) => row.event_id);
    await waitFor(async () => (await effects(service, committed)) >= committed.length, { timeoutMs: 30_000, what: 'every committed event handled' });
    await settled(service);
    await restarted.stop();
    const handled = (await db.query<{ event_id: string; n: number }>('SELECT event_id, count(*)::int AS n FROM fault_k.effects GROUP BY event_id')).rows;
    expect(handled.filter((row) => row.n !== 1)).toEqual([]);
    expect(handled.map((row) => row.event_id).sort()).toEqual([...committed].sort());
    expect(rolledBack.filter((id) => committed.includes(id))).toEqual([]);
  }, 90_000);

  it('should keep in the outbox an event no queue took, say so, and deliver it once its consumer has declared its queue', async () => {
    const consumer = 'fault-late';
    const consumerEnv = envFor(consumer);
    const logs = captureLogs();
    const producer = await startTestService(
      testAppEntry('producer-early', envFor('producer-early', { EVENTS_EXCHANGE: exchangeOf(consumer) }), false),
      createLogger({ service: 'producer-early', level: 'info', destination: logs.stream }),
    );
    apps.set('producer-early', producer);
    const relay = producer.app.get(OutboxRelay);
    await relay.stop(); // its first pass is made by hand, so the test knows it has been made
    const event = await producer.app.get(DataSource).transaction((manager) =>
      producer.app.get(OutboxWriter).enqueue(manager, 'profiles.imported.v1', payload('before-its-consumer.csv')),
    );

    // No queue is bound to the key yet: the consumer is not deployed, or its queue is being declared again.
    const published = await relay.relayBatch();

    expect(published).toBe(0);
    expect(await publishedAt('producer_early', event.id)).toBeNull();
    expect(logs.text()).toMatch(/No queue took .*"routingKey":"profiles\.imported\.v1"|"routingKey":"profiles\.imported\.v1".*No queue took/);
    const exposition = await (await fetch(`${producer.baseUrl}/metrics`)).text();
    const held = exposition.split('\n').find((line) => line.startsWith('events_unroutable_total{') && line.includes('type="profiles.imported.v1"') && line.includes('handling="held"'));
    expect(held).toMatch(/ 1$/);
    // The consumer arrives (its queue declared and bound); the relay, running again, publishes the event.
    await start(consumer, consumerEnv);
    relay.start();
    await waitFor(async () => (await effects(consumer, [event.id])) === 1, { what: 'the held event handled once its consumer is there' });
    await waitFor(async () => (await publishedAt('producer_early', event.id)) !== null, { what: 'the held event marked published' });
    expect(attempts(consumer, event.id)).toEqual([1]);
    await producer.close();
    apps.delete('producer-early');
  });

  it('should mark published only the events a queue took in a batch that mixes them with events no queue took, and not let the held ones block the rest', async () => {
    const service = 'producer-mixed';
    const producer = await start(service, envFor(service), false);
    await producer.app.get(OutboxRelay).stop(); // the passes are made by hand below
    const tap = `${broker.queuePrefix}mixed-tap`;
    queues.add(tap);
    await withChannel(async (channel) => {
      await channel.assertQueue(tap, { durable: false });
      await channel.bindQueue(tap, exchangeOf(service), 'profiles.imported.v1');
    });
    const dispatchFailed = (): CampaignDispatchFailedV1 => ({
      executionId: randomUUID(), campaignId: randomUUID(), groupId: randomUUID(), step: 'clone-message', errorCode: 'TEST', errorMessage: 'test', attempts: 1,
    });
    const metricsFetched: MetricsFetchedV1 = {
      executionId: randomUUID(), groupId: randomUUID(), smartFocusCampaignId: '42', fetchedAt: new Date().toISOString(), day: 1,
      counts: { selected: 1, sent: 1, delivered: 1, bounces: 0, uniqueOpens: 0, uniqueClicks: 0, unsubscribes: 0, complaints: 0 },
      rates: { delivery: 1, open: 0, click: 0, unsubscribe: 0 },
    };
    const dataSource = producer.app.get(DataSource);
    const writer = producer.app.get(OutboxWriter);
    // In order of writing: one event the tap takes, more of a key no queue is bound to (one the
    // system's apps consume) than a batch holds, then two the tap takes around one of a key no app
    // of the system consumes (metrics.fetched.v1: published for whoever listens).
    const written = await dataSource.transaction(async (manager) => ({
      first: await writer.enqueue(manager, 'profiles.imported.v1', payload('mixed-first.csv')),
      noQueue: await writer.enqueueMany(manager, 'campaign.dispatch-failed.v1', Array.from({ length: 5 }, dispatchFailed)),
      second: await writer.enqueue(manager, 'profiles.imported.v1', payload('mixed-second.csv')),
      announced: await writer.enqueue(manager, 'metrics.fetched.v1', metricsFetched),
      third: await writer.enqueue(manager, 'profiles.imported.v1', payload('mixed-third.csv')),
    }));
    const metrics = new MetricsRegistry('relay-test');
    const settings = { databaseUrl: database.url, schema: 'producer_mixed', batchSize: 4, pollIntervalMs: 600_000, retentionDays: 1, inboxRetentionDays: 1 };
    const relay = new OutboxRelay(dataSource, producer.app.get(EventPublisher), settings, createLogger({ service: 'relay', level: 'silent' }), metrics);

    const passes = [await relay.relayBatch(), await relay.relayBatch(), await relay.relayBatch()];

    // First batch: the tap's event and three no queue took; then the rest, past the held key.
    expect(passes).toEqual([1, 3, 0]);
    const rows = await db.query<{ event_id: string; published: boolean }>('SELECT event_id, published_at IS NOT NULL AS published FROM producer_mixed.outbox ORDER BY seq');
    const publishedIds = rows.rows.filter((row) => row.published).map((row) => row.event_id);
    expect(publishedIds).toEqual([written.first.id, written.second.id, written.announced.id, written.third.id]);
    const tapped = await waitFor(async () => ((await depth(tap)).messages >= 3 ? drain(tap) : undefined), { what: 'the routable events in the tap queue' });
    expect(tapped.map((message) => message.properties.messageId as string)).toEqual([written.first.id, written.second.id, written.third.id]);
    const unroutable = (await metrics.eventsUnroutable.get()).values.map(({ labels, value }) => ({ ...labels, value }));
    expect(unroutable).toEqual(expect.arrayContaining([
      { type: 'campaign.dispatch-failed.v1', handling: 'held', value: 3 },
      { type: 'metrics.fetched.v1', handling: 'dropped', value: 1 },
    ]));
    await producer.close();
    apps.delete(service);
  });

  it('should publish at once through LISTEN/NOTIFY when the poll interval is long', async () => {
    const producer = await start('producer-listen', envFor('producer-listen', { OUTBOX_POLL_INTERVAL_MS: '60000', EVENTS_EXCHANGE: exchangeOf('fault-a') }), false);
    // The relay's LISTEN is in place (its first pass, started before it, is done by then).
    await waitFor(async () => {
      const listening = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN "outbox:producer_listen.outbox"'`);
      return listening.rowCount === 1;
    }, { what: 'the relay to LISTEN' });
    const dataSource = producer.app.get(DataSource);

    const event = await dataSource.transaction((manager) => producer.app.get(OutboxWriter).enqueue(manager, 'profiles.imported.v1', payload('notified.csv')));

    await waitFor(async () => (await effects('fault-a', [event.id])) === 1, { timeoutMs: 5_000, what: 'the event without waiting for a poll' });
  });

  it('should publish every row once when two relays race over one outbox', async () => {
    const producer = apps.get('producer-listen')!.app;
    const dataSource = producer.get(DataSource);
    const tap = `${broker.queuePrefix}tap`;
    queues.add(tap);
    await withChannel(async (channel) => {
      await channel.assertQueue(tap, { durable: false });
      await channel.bindQueue(tap, exchangeOf('fault-a'), 'profiles.imported.v1');
    });
    const settings = { databaseUrl: database.url, schema: 'producer_listen', batchSize: 7, pollIntervalMs: 600_000, retentionDays: 1, inboxRetentionDays: 1 };
    const quiet = createLogger({ service: 'relay', level: 'silent' });
    const relays = [0, 1].map(() => new OutboxRelay(dataSource, producer.get(EventPublisher), settings, quiet));
    await producer.get(OutboxRelay).stop();
    const total = 300;
    await dataSource.transaction((manager) =>
      producer.get(OutboxWriter).enqueueMany(manager, 'profiles.imported.v1', Array.from({ length: total }, () => payload('raced.csv'))),
    );

    await Promise.all(relays.map(async (relay) => {
      while ((await relay.relayBatch()) > 0) { /* until the outbox is empty */ }
    }));

    const pending = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM producer_listen.outbox WHERE published_at IS NULL');
    expect(pending.rows[0].n).toBe(0);
    const tapped = await waitFor(async () => ((await depth(tap)).messages >= total ? drain(tap) : undefined), { what: 'the raced events in the tap queue' });
    const ids = tapped.map((message) => message.properties.messageId as string);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
  });
});
