import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { CLOUD_EVENTS_CONTENT_TYPE, type CloudEvent } from '@optimove/contracts';
import type { BrokerConnection } from './broker-connection';
import { assertExchange } from './topology';

/** Publishes CloudEvents to the topic exchange and resolves only once the broker confirms. */
export class EventPublisher {
  private readonly channel: ChannelWrapper;

  constructor(
    connection: BrokerConnection,
    private readonly exchange: string,
    publishTimeoutMs = 10_000,
  ) {
    this.channel = connection.manager.createChannel({
      name: 'publisher',
      confirm: true,
      publishTimeout: publishTimeoutMs,
      setup: (channel: ConfirmChannel) => assertExchange(channel, exchange),
    });
  }

  async publish(event: CloudEvent): Promise<void> {
    await this.channel.publish(this.exchange, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: event.id,
      type: event.type,
      contentType: CLOUD_EVENTS_CONTENT_TYPE,
      timestamp: Math.floor(Date.parse(event.time) / 1000),
      appId: event.source,
    });
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
