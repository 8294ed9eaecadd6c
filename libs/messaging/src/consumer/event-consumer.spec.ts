import type { DataSource } from 'typeorm';
import { createLogger } from '@optimove/observability';
import type { BrokerConnection } from '../broker/broker-connection';
import { DEFAULT_RETRY_DELAYS_MS } from '../messaging-settings';
import { EventConsumer } from './event-consumer';

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
});
