import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { CLOCK } from '@optimove/clock';
import type { BaseServiceConfig } from '@optimove/config';
import { BrokerConnection, EventConsumer, EventPublisher, MessagingModule } from '@optimove/messaging';
import { LOGGER, MetricsRegistry, type Logger } from '@optimove/observability';
import { clockOf } from './clock-of';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';

export type ServiceCoreOptions = {
  /** Service name: logs, metrics, CloudEvents source, queue name. */
  service: string;
  /** The app's database schema. */
  schema: string;
  config: BaseServiceConfig;
  dataSourceOptions: DataSourceOptions;
  logger: Logger;
  /** false for an app that neither publishes nor consumes events (the simulator). */
  messaging?: boolean;
};

/**
 * Everything every app has: config-driven TypeORM on its schema, RabbitMQ messaging with outbox
 * and consumer, the logger, Prometheus metrics, a clock, and the health and metrics endpoints.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
    const messaging = options.messaging ?? true;
    const { service } = options;
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(options.dataSourceOptions),
        ...(messaging ? [messagingModule(options)] : []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: LOGGER, useValue: options.logger },
        { provide: MetricsRegistry, useValue: new MetricsRegistry(service) },
        { provide: CLOCK, useFactory: () => clockOf(options.config, options.logger) },
        {
          provide: READINESS_CHECKS,
          inject: messaging ? [DataSource, BrokerConnection, EventConsumer, EventPublisher] : [DataSource],
          useFactory: (dataSource: DataSource, broker?: BrokerConnection, consumer?: EventConsumer, publisher?: EventPublisher): ReadinessCheck[] => [
            { name: 'database', check: async () => void (await dataSource.query('SELECT 1')) },
            ...(broker
              ? [
                  {
                    name: 'broker',
                    check: () =>
                      broker.isConnected() ? Promise.resolve() : Promise.reject(new Error('not connected to RabbitMQ')),
                  },
                ]
              : []),
            // Its queues could not be declared (e.g. declared before with other arguments).
            ...(consumer ? [{ name: 'event-consumer', check: () => consumer.readiness() }] : []),
            // Its exchange could not be declared (e.g. declared before with another type).
            ...(publisher ? [{ name: 'event-publisher', check: () => publisher.readiness() }] : []),
          ],
        },
      ],
      exports: [LOGGER, MetricsRegistry, CLOCK],
    };
  }
}

function messagingModule({ service, schema, config }: ServiceCoreOptions): DynamicModule {
  return MessagingModule.forRoot({
    service,
    amqpUrl: config.AMQP_URL,
    exchange: config.EVENTS_EXCHANGE,
    queue: `${config.AMQP_QUEUE_PREFIX}${service}`,
    schema,
    prefetch: config.AMQP_PREFETCH,
    retryDelaysMs: config.AMQP_RETRY_DELAYS_MS.map(Number),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    outboxBatchSize: config.OUTBOX_BATCH_SIZE,
    outboxRetentionDays: config.OUTBOX_RETENTION_DAYS,
    inboxRetentionDays: config.INBOX_RETENTION_DAYS,
  });
}
