import {
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, MetricsRegistry, type Logger } from '@optimove/observability';
import { BrokerConnection } from './broker/broker-connection';
import { EventPublisher } from './broker/event-publisher';
import { EventConsumer } from './consumer/event-consumer';
import type { MessagingSettings } from './messaging-settings';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox.writer';

export const MESSAGING_SETTINGS = Symbol('MESSAGING_SETTINGS');

/** Starts the relay with the app and stops every messaging resource in the right order. */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly publisher: EventPublisher,
    private readonly connection: BrokerConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close().catch(() => undefined);
    await this.connection.close();
  }
}

/**
 * RabbitMQ for one app: the broker connection, the outbox writer and relay, and the event
 * consumer transport (connect it with `connectEventConsumer`). Needs a global DataSource, LOGGER,
 * CLOCK and MetricsRegistry (the app-runtime core module provides them).
 */
@Module({})
export class MessagingModule {
  static forRoot(settings: MessagingSettings): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_SETTINGS, useValue: settings },
        {
          provide: BrokerConnection,
          inject: [LOGGER],
          // Named after the queue: the service name in production, unique per test file in tests.
          useFactory: (logger: Logger) => new BrokerConnection(settings.amqpUrl, settings.queue, logger),
        },
        {
          provide: EventPublisher,
          inject: [BrokerConnection, LOGGER],
          useFactory: (connection: BrokerConnection, logger: Logger) =>
            new EventPublisher(connection, settings.exchange, logger.child({ component: 'event-publisher' })),
        },
        {
          provide: OutboxWriter,
          inject: [CLOCK],
          useFactory: (clock: Clock) => new OutboxWriter(settings.schema, settings.service, clock),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, EventPublisher, LOGGER, MetricsRegistry],
          useFactory: (dataSource: DataSource, publisher: EventPublisher, logger: Logger, metrics: MetricsRegistry) =>
            new OutboxRelay(
              dataSource,
              publisher,
              {
                databaseUrl: dataSourceUrl(dataSource),
                schema: settings.schema,
                batchSize: settings.outboxBatchSize,
                pollIntervalMs: settings.outboxPollIntervalMs,
                retentionDays: settings.outboxRetentionDays,
                inboxRetentionDays: settings.inboxRetentionDays,
              },
              logger.child({ component: 'outbox-relay' }),
              metrics,
            ),
        },
        {
          provide: EventConsumer,
          inject: [BrokerConnection, DataSource, LOGGER, MetricsRegistry],
          useFactory: (connection: BrokerConnection, dataSource: DataSource, logger: Logger, metrics: MetricsRegistry) =>
            new EventConsumer(connection, dataSource, settings, logger.child({ component: 'event-consumer' }), metrics),
        },
        MessagingLifecycle,
      ],
      exports: [MESSAGING_SETTINGS, BrokerConnection, EventPublisher, OutboxWriter, OutboxRelay, EventConsumer],
    };
  }
}

function dataSourceUrl(dataSource: DataSource): string {
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('The DataSource must be configured with a url for the outbox relay');
  return url;
}
