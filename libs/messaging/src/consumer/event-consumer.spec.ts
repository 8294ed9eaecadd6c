import { randomUUID } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { DataSource } from 'typeorm';
import { createLogger } from '@optimove/observability';
import type { BrokerConnection } from '../broker/broker-connection';
import { DEFAULT_RETRY_DELAYS_MS } from '../messaging-settings';
import { EventConsumer, HEADERS } from './event-consumer';

function consumer(): EventConsumer {
  return new EventConsumer({} as BrokerConnection, {} as DataSource, {
    service: 'test',
    amqpUrl: 'amqp://localhost',
    exchange: 'test.events',
    queue: 'test',
    schema: 'test',
    prefetch: 1,
    retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
    outboxPollIntervalMs: 1_000,
    outboxBatchSize: 10,
    outboxRetentionDays: 1,
    inboxRetentionDays: 1,
  }, createLogger({ service: 'test', level: 'silent' }));
}

describe(EventConsumer.name, () => {
  it('should bind exactly the routing keys its handlers declare', () => {
    const subject = consumer();
    subject.addHandler('lists.generated.v1', () => Promise.resolve(), true);
    subject.addHandler('campaign.scheduled.v1', () => Promise.resolve(), true);

    expect(subject.routingKeys()).toEqual(['lists.generated.v1', 'campaign.scheduled.v1']);
  });

  it('should refuse to start when a handler names a routing key the contracts do not have', () => {
    const subject = consumer();
    subject.addHandler('lists.generated', () => Promise.resolve(), true);

    expect(() => subject.routingKeys()).toThrow(/unknown routing keys: lists.generated/);
  });

  it('should dead-letter at once, not put back in its queue, an event whose processing throws anything but a failed republish', async () => {
    const subject = consumer();
    subject.addHandler('profiles.imported.v1', () => Promise.resolve(), true);
    // Stands for any throw the consumer does not expect (a deep payload used to be one).
    subject.getHandlerByPattern = () => {
      throw new TypeError('a defect in the consumer');
    };
    const copies: { queue: string; headers: Record<string, unknown> }[] = [];
    const internals = subject as unknown as { channel: unknown; process(message: ConsumeMessage, deliveredOn: Channel): Promise<void> };
    internals.channel = {
      publish: (_exchange: string, queue: string, _content: Buffer, options: { headers: Record<string, unknown> }) => {
        copies.push({ queue, headers: options.headers });
        return Promise.resolve(true);
      },
    };
    const acked: ConsumeMessage[] = [];
    const message = profilesImported();

    await internals.process(message, { ack: (settled: ConsumeMessage) => acked.push(settled), nack: () => undefined } as unknown as Channel);

    expect(copies.map(({ queue, headers }) => ({ queue, reason: headers[HEADERS.deadLetterReason] }))).toEqual([{ queue: 'test.dead', reason: 'handler-failed' }]);
    expect(String(copies[0].headers[HEADERS.errors])).toContain('a defect in the consumer');
    expect(acked).toEqual([message]);
  });
});

function profilesImported(): ConsumeMessage {
  const id = randomUUID();
  const event = {
    specversion: '1.0',
    id,
    type: 'profiles.imported.v1',
    source: '/test',
    time: '2026-11-26T02:00:00Z',
    data: { importId: randomUUID(), dataset: 'customers', sourceFileName: 'c.csv', asOfDate: '2026-11-26', rowsRead: 1, rowsLoaded: 1, rowsRejected: 0, checksum: 'a'.repeat(64) },
  };
  return {
    content: Buffer.from(JSON.stringify(event)),
    fields: { routingKey: 'profiles.imported.v1', exchange: 'test.events', deliveryTag: 1, redelivered: false, consumerTag: 'test' },
    properties: { messageId: id, headers: {} },
  } as unknown as ConsumeMessage;
}
