import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { ProfilesImportedV1 } from '@optimove/contracts';
import {
  createTestBroker,
  createTestDatabase,
  startTestService,
  testServiceEnv,
  waitFor,
  type RunningTestService,
  type TestBroker,
  type TestDatabase,
} from '@optimove/testing';
import { DELIVERY_LIMIT, EventConsumer, HEADERS, OutboxWriter, deadLetterQueueName, redriveDeadLetters, retryQueueName } from '@optimove/messaging';
import { afterCommitRuns, defect, handlerAttempts, testAppEntry } from './messaging-test-apps';

const SERVICES = ['producer', 'consumer-a', 'consumer-b'] as const;

describe('Messaging over RabbitMQ and PostgreSQL', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let db: Client;
  let env: Record<string, string>;
  const apps = new Map<string, RunningTestService>();

  beforeAll(async () => {
    database = await createTestDatabase('messaging');
    broker = createTestBroker('messaging');
    env = testServiceEnv({ databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix });
    for (const service of SERVICES) {
      apps.set(service, await startTestService(testAppEntry(service, env, service !== 'producer')));
    }
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    for (const app of apps.values()) await app.close();
    const queues = SERVICES.filter((s) => s !== 'producer').flatMap((service) => {
      const queue = `${broker.queuePrefix}${service}`;
      return [queue, deadLetterQueueName(queue), retryQueueName(queue, 100), retryQueueName(queue, 300)];
    });
    await broker?.cleanup(queues);
    await database?.drop();
  });

  function payload(sourceFileName: string): ProfilesImportedV1 {
    return {
      importId: randomUUID(),
      dataset: 'customers',
      sourceFileName,
      asOfDate: '2026-11-26',
      rowsRead: 10,
      rowsLoaded: 9,
      rowsRejected: 1,
      checksum: 'a'.repeat(64),
    };
  }

  function cloudEvent(data: unknown, id = randomUUID()): Record<string, unknown> {
    return { specversion: '1.0', id, type: 'profiles.imported.v1', source: '/outside', time: new Date().toISOString(), datacontenttype: 'application/json', data };
  }

  async function publishRaw(body: unknown, options: amqplib.Options.Publish = {}): Promise<void> {
    await publishRawMany([body], options);
  }

  async function publishRawMany(bodies: unknown[], options: amqplib.Options.Publish = {}): Promise<void> {
    const connection = await amqplib.connect(broker.amqpUrl);
    try {
      const channel = await connection.createConfirmChannel();
      for (const body of bodies) {
        channel.publish(broker.exchange, 'profiles.imported.v1', Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), options);
      }
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  }

  async function purge(queue: string): Promise<void> {
    const connection = await amqplib.connect(broker.amqpUrl);
    try {
      await (await connection.createChannel()).purgeQueue(queue);
    } finally {
      await connection.close();
    }
  }

  async function messagesIn(queue: string): Promise<number> {
    const connection = await amqplib.connect(broker.amqpUrl);
    try {
      return (await (await connection.createChannel()).checkQueue(queue)).messageCount;
    } finally {
      await connection.close();
    }
  }

  async function effects(service: string, eventId: string): Promise<number> {
    const result = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${service.replace('-', '_')}".effects WHERE event_id = $1`, [eventId]);
    return Number(result.rows[0].n);
  }

  /**
   * Waits until nothing is left to happen in a consumer: its queue and retry queues are empty and
   * it holds no delivery. What is true then stays true (no fixed sleep standing in for "nothing else").
   */
  async function settled(...services: string[]): Promise<void> {
    await waitFor(
      async () => {
        for (const service of services) {
          const queue = `${broker.queuePrefix}${service}`;
          for (const name of [queue, retryQueueName(queue, 100), retryQueueName(queue, 300)]) if ((await messagesIn(name)) > 0) return false;
          if (apps.get(service)!.app.get(EventConsumer).pending() > 0) return false;
        }
        return true;
      },
      { what: `${services.join(', ')} to settle` },
    );
  }

  function attempts(service: string, eventId: string): number[] {
    return handlerAttempts.get(`${service.replace('-', '_')}/${eventId}`) ?? [];
  }

  async function takeDeadLetter(service: string, eventId: string): Promise<amqplib.GetMessage> {
    const connection = await amqplib.connect(broker.amqpUrl);
    try {
      const channel = await connection.createChannel();
      return await waitFor(
        async () => {
          const message = await channel.get(deadLetterQueueName(`${broker.queuePrefix}${service}`), { noAck: false });
          if (!message) return undefined;
          const body = message.content.toString();
          if (message.properties.messageId === eventId || body.includes(`"id":"${eventId}"`)) {
            channel.ack(message);
            return message;
          }
          channel.nack(message, false, true);
          return undefined;
        },
        { what: `dead letter ${eventId}` },
      );
    } finally {
      await connection.close();
    }
  }

  it('should deliver an event written to one app\'s outbox to two other apps, each handling it once', async () => {
    const producer = apps.get('producer')!.app;
    const dataSource = producer.get(DataSource);
    const event = await dataSource.transaction((manager) => producer.get(OutboxWriter).enqueue(manager, 'profiles.imported.v1', payload('fan-out.csv')));

    await waitFor(async () => (await effects('consumer-a', event.id)) === 1 && (await effects('consumer-b', event.id)) === 1, { what: 'both consumers' });
    await settled('consumer-a', 'consumer-b');

    expect(await effects('consumer-a', event.id)).toBe(1);
    expect(await effects('consumer-b', event.id)).toBe(1);
    const published = await db.query<{ published_at: Date | null }>(`SELECT published_at FROM producer.outbox WHERE event_id = $1`, [event.id]);
    expect(published.rows[0].published_at).not.toBeNull();
  });

  it('should have one effect when the same event id is delivered twice', async () => {
    const event = cloudEvent(payload('twice.csv'));

    await publishRaw(event);
    await publishRaw(event);
    await waitFor(async () => (await effects('consumer-a', event['id'] as string)) === 1, { what: 'first delivery' });
    await settled('consumer-a');

    expect(await effects('consumer-a', event['id'] as string)).toBe(1);
    expect(attempts('consumer-a', event['id'] as string)).toEqual([1]);
  });

  it('should dead-letter an invalid payload with its reasons and keep consuming what follows', async () => {
    const invalid = cloudEvent({ ...payload('invalid.csv'), dataset: 'orders', rowsRead: -1 });
    const valid = cloudEvent(payload('after-invalid.csv'));

    await publishRaw(invalid, { messageId: invalid['id'] as string });
    await publishRaw(valid);

    const dead = await takeDeadLetter('consumer-a', invalid['id'] as string);
    expect(dead.properties.headers?.[HEADERS.deadLetterReason]).toBe('invalid-payload');
    const errors = JSON.parse(String(dead.properties.headers?.[HEADERS.errors])) as string[];
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^data\.dataset: /), expect.stringMatching(/^data\.rowsRead: /)]));
    await waitFor(async () => (await effects('consumer-a', valid['id'] as string)) === 1, { what: 'the valid event after the invalid one' });
  });

  it('should dead-letter as invalid-payload, with its reason, a well-formed event nested too deep to validate, and keep consuming what follows', async () => {
    // 5,000 levels, 30 KB: written as text, since JSON.stringify itself runs out of stack on it.
    const nested = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const deep = cloudEvent({ ...payload('deep.csv'), extra: 'NESTED' });
    const valid = cloudEvent(payload('after-deep.csv'));

    await publishRaw(JSON.stringify(deep).replace('"NESTED"', nested), { messageId: deep['id'] as string });
    await publishRaw(valid);

    const dead = await takeDeadLetter('consumer-a', deep['id'] as string);
    expect(dead.properties.headers?.[HEADERS.deadLetterReason]).toBe('invalid-payload');
    expect(JSON.parse(String(dead.properties.headers?.[HEADERS.errors]))).toEqual([expect.stringMatching(/^data: .*nested deeper than/)]);
    await waitFor(async () => (await effects('consumer-a', valid['id'] as string)) === 1, { what: 'the valid event after the deep one' });
    expect(attempts('consumer-a', deep['id'] as string)).toEqual([]);
  });

  it('should dead-letter a body that is not JSON', async () => {
    const messageId = randomUUID();

    await publishRaw('this is not json', { messageId });

    const dead = await takeDeadLetter('consumer-b', messageId);
    expect(dead.properties.headers?.[HEADERS.deadLetterReason]).toBe('unparseable');
  });

  it('should retry a handler that fails once and then succeed', async () => {
    const event = cloudEvent(payload('fail-once.csv'));

    await publishRaw(event);

    await waitFor(async () => (await effects('consumer-a', event['id'] as string)) === 1, { what: 'the retried event' });
    expect(attempts('consumer-a', event['id'] as string)).toEqual([1, 2]);
  });

  it("should run a handler's after-commit effects once its transaction committed: not for a failed attempt, nor for a duplicate", async () => {
    const retried = cloudEvent(payload('fail-once-after-commit.csv'));
    const duplicated = cloudEvent(payload('after-commit-twice.csv'));
    const failing = cloudEvent(payload('always-fail-after-commit.csv'));
    const runs = (eventId: string): { attempt: number; effectsSeen: number }[] | undefined => afterCommitRuns.get(`consumer_a/${eventId}`);

    for (const event of [retried, duplicated, duplicated, failing]) await publishRaw(event);
    await takeDeadLetter('consumer-a', failing['id'] as string);
    await waitFor(async () => (await effects('consumer-a', retried['id'] as string)) === 1 && (await effects('consumer-a', duplicated['id'] as string)) === 1, {
      what: 'the retried and the duplicated event',
    });
    await settled('consumer-a');
    await waitFor(() => runs(retried['id'] as string) !== undefined && runs(duplicated['id'] as string) !== undefined, { what: 'the after-commit effects' });

    // Each ran once, after the commit: a separate connection saw the handler's effect row.
    expect(runs(retried['id'] as string)).toEqual([{ attempt: 2, effectsSeen: 1 }]);
    expect(runs(duplicated['id'] as string)).toEqual([{ attempt: 1, effectsSeen: 1 }]);
    expect(attempts('consumer-a', failing['id'] as string)).toEqual([1, 2, 3]);
    expect(runs(failing['id'] as string)).toBeUndefined();
  });

  it('should dead-letter an event whose handler always fails after the last retry, without looping', async () => {
    const event = cloudEvent(payload('always-fail.csv'));

    await publishRaw(event);

    const dead = await takeDeadLetter('consumer-a', event['id'] as string);
    expect(dead.properties.headers?.[HEADERS.deadLetterReason]).toBe('handler-failed');
    expect(String(dead.properties.headers?.[HEADERS.errors])).toContain('handler refuses always-fail.csv');
    // Two retry delays configured: three attempts, then nothing more.
    await settled('consumer-a');
    expect(attempts('consumer-a', event['id'] as string)).toEqual([1, 2, 3]);
    expect(await effects('consumer-a', event['id'] as string)).toBe(0);
  });

  it('should dead-letter at once when the handler reports a permanent error', async () => {
    const event = cloudEvent(payload('permanent.csv'));

    await publishRaw(event);

    const dead = await takeDeadLetter('consumer-b', event['id'] as string);
    expect(dead.properties.headers?.[HEADERS.deadLetterReason]).toBe('handler-failed');
    expect(attempts('consumer-b', event['id'] as string)).toEqual([1]);
  });

  it('should move dead letters back into the queue once the cause is fixed, keeping the others', async () => {
    const queue = `${broker.queuePrefix}consumer-b`;
    await purge(deadLetterQueueName(queue)); // earlier tests' dead letters (every event reaches both consumers)
    const broken = cloudEvent(payload('broken-until-fixed.csv'));
    const invalid = cloudEvent({ ...payload('still-invalid.csv'), dataset: 'orders' });
    await publishRawMany([broken, invalid]);
    await waitFor(async () => (await messagesIn(deadLetterQueueName(queue))) === 2, { what: 'both events in the dead-letter queue' });

    defect.fixed = true;
    const result = await redriveDeadLetters({ amqpUrl: broker.amqpUrl, queue, reason: 'handler-failed' });

    expect(result).toEqual({ examined: 2, moved: 1, kept: 1 });
    await waitFor(async () => (await effects('consumer-b', broken['id'] as string)) === 1, { what: 'the redriven event' });
    expect(attempts('consumer-b', broken['id'] as string)).toEqual([1, 2, 3, 1]);
    const kept = await takeDeadLetter('consumer-b', invalid['id'] as string);
    expect(kept.properties.headers?.[HEADERS.deadLetterReason]).toBe('invalid-payload');
  });

  it('should declare the queue as a quorum queue with an explicit delivery limit and at-least-once dead-lettering', async () => {
    const connection = await amqplib.connect(broker.amqpUrl);
    try {
      const channel = await connection.createChannel();
      // Re-declaring with the same arguments succeeds; a different limit would be refused.
      await channel.assertQueue(`${broker.queuePrefix}consumer-a`, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-delivery-limit': DELIVERY_LIMIT,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': deadLetterQueueName(`${broker.queuePrefix}consumer-a`),
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
        },
      });
      const other = await connection.createChannel();
      other.on('error', () => undefined);
      await expect(
        other.assertQueue(`${broker.queuePrefix}consumer-a`, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': DELIVERY_LIMIT + 1 } }),
      ).rejects.toThrow(/PRECONDITION_FAILED/);
    } finally {
      await connection.close().catch(() => undefined);
    }
  });

  it('should handle an event published by a plain AMQP client with only the CloudEvents body and routing key', async () => {
    const event = cloudEvent(payload('raw-client.csv'));

    await publishRaw(event); // no message id, type, content type or headers

    await waitFor(async () => (await effects('consumer-b', event['id'] as string)) === 1, { what: 'the raw event' });
  });

  it('should handle an event published with the amqp-publish command of amqp-tools, as the README shows', async () => {
    const event = cloudEvent(payload('amqp-tools.csv'));

    await promisify(execFile)('amqp-publish', [
      `--url=${broker.amqpUrl}`,
      `--exchange=${broker.exchange}`,
      '--routing-key=profiles.imported.v1',
      '--content-type=application/cloudevents+json',
      '--persistent',
      `--body=${JSON.stringify(event)}`,
    ]);

    await waitFor(async () => (await effects('consumer-a', event['id'] as string)) === 1, { what: 'the amqp-publish event' });
  });

  it('should finish in-flight events on shutdown and leave the rest queued for the next start', async () => {
    const events = Array.from({ length: 60 }, () => cloudEvent(payload('slow.csv')));
    const ids = events.map((event) => event['id'] as string);
    await publishRawMany(events);
    await waitFor(() => ids.some((id) => attempts('consumer-b', id).length > 0), { what: 'the first slow event' });

    await apps.get('consumer-b')!.close();

    const started = ids.filter((id) => attempts('consumer-b', id).length > 0);
    for (const id of started) expect(await effects('consumer-b', id)).toBe(1);
    expect(started.length).toBeLessThan(ids.length);
    apps.set('consumer-b', await startTestService(testAppEntry('consumer-b', env, true)));
    await waitFor(async () => {
      const result = await db.query<{ once: number }>(
        `SELECT count(*) FILTER (WHERE n = 1)::int AS once FROM (SELECT count(*) AS n FROM consumer_b.effects WHERE event_id = ANY($1::uuid[]) GROUP BY event_id) AS per_event`,
        [ids],
      );
      return result.rows[0].once === ids.length;
    }, { what: 'all slow events after the restart' });
    for (const id of ids) expect(attempts('consumer-b', id)).toEqual([1]);
  });

  it('should handle every confirmed event exactly once when all broker connections are closed mid-stream', async () => {
    const producer = apps.get('producer')!.app;
    const dataSource = producer.get(DataSource);
    const writer = producer.get(OutboxWriter);
    const total = 10_000;
    const batch = 500;
    const marker = `stream-${randomUUID()}`;

    const writing = (async () => {
      for (let offset = 0; offset < total; offset += batch) {
        const payloads = Array.from({ length: batch }, () => payload(`${marker}.csv`));
        await dataSource.transaction((manager) => writer.enqueueMany(manager, 'profiles.imported.v1', payloads));
      }
    })();
    await waitFor(async () => (await countEffects('consumer-a', marker)) > total / 10, { timeoutMs: 60_000, what: 'a tenth of the stream' });
    const closed = await closeConnectionsOf(SERVICES.map((service) => `${broker.queuePrefix}${service}`));
    await writing;

    await waitFor(
      async () => (await countEffects('consumer-a', marker)) >= total && (await countEffects('consumer-b', marker)) >= total,
      { timeoutMs: 120_000, intervalMs: 500, what: 'the whole stream in both consumers' },
    );
    await settled('consumer-a', 'consumer-b');

    expect(closed).toBeGreaterThanOrEqual(3);
    for (const service of ['consumer-a', 'consumer-b']) {
      const result = await db.query<{ total: string; distinct: string }>(
        `SELECT count(*) AS total, count(DISTINCT event_id) AS distinct FROM "${service.replace('-', '_')}".effects WHERE source_file_name = $1`,
        [`${marker}.csv`],
      );
      expect(result.rows[0]).toEqual({ total: String(total), distinct: String(total) });
    }
    const unpublished = await db.query<{ n: string }>(`SELECT count(*) AS n FROM producer.outbox WHERE published_at IS NULL`);
    expect(unpublished.rows[0].n).toBe('0');
  }, 240_000);

  async function countEffects(service: string, marker: string): Promise<number> {
    const result = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${service.replace('-', '_')}".effects WHERE source_file_name = $1`, [`${marker}.csv`]);
    return Number(result.rows[0].n);
  }
});

/**
 * Closes, on the broker, every connection whose client-given name is one of `names` (our apps'),
 * like `rabbitmqctl close_all_connections` but without disturbing other test files. Returns how
 * many were closed.
 */
async function closeConnectionsOf(names: string[]): Promise<number> {
  const run = promisify(execFile);
  const { stdout } = await run('rabbitmqctl', ['list_connections', '--quiet', '--no-table-headers', 'pid', 'client_properties']);
  const pids = stdout
    .split('\n')
    .filter((line) => names.some((name) => line.includes(`{"connection_name","${name}"}`)))
    .map((line) => line.split('\t')[0]);
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'test: simulated broker outage']);
  return pids.length;
}
