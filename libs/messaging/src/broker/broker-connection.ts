import { connect, type AmqpConnectionManager } from 'amqp-connection-manager';
import type { Logger } from '@optimove/observability';

/**
 * The app's one connection to RabbitMQ. amqp-connection-manager reconnects by itself after a
 * broker restart or a closed connection and re-runs every channel's setup.
 */
export class BrokerConnection {
  readonly manager: AmqpConnectionManager;

  constructor(
    amqpUrl: string,
    connectionName: string,
    private readonly logger: Logger,
  ) {
    this.manager = connect([amqpUrl], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
      connectionOptions: { clientProperties: { connection_name: connectionName } },
    });
    this.manager.on('connect', () => this.logger.info({ connectionName }, 'Broker connected'));
    this.manager.on('disconnect', ({ err }) =>
      this.logger.warn({ connectionName, reason: err?.message }, 'Broker connection lost; reconnecting'),
    );
    this.manager.on('connectFailed', ({ err }) =>
      this.logger.warn({ connectionName, reason: err?.message }, 'Broker connection failed; retrying'),
    );
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  async close(): Promise<void> {
    await this.manager.close();
  }
}
