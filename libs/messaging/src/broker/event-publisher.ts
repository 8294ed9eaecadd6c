import { randomUUID } from 'node:crypto';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { CLOUD_EVENTS_CONTENT_TYPE, type CloudEvent } from '@optimove/contracts';
import type { Logger } from '@optimove/observability';
import { HEADERS } from '../consumer/event-consumer';
import type { BrokerConnection } from './broker-connection';
import { ReopenBackoff } from './reopen-backoff';
import { assertExchange } from './topology';

/**
 * What became of a confirmed publish: `routed` to at least one queue, or `unroutable` (no queue is
 * bound to its routing key, so the broker returned it and kept nothing).
 */
export type PublishOutcome = 'routed' | 'unroutable';

/**
 * Publishes CloudEvents to the topic exchange and resolves only once the broker confirms, saying
 * whether a queue took the event. Each event is published `mandatory`: the broker confirms an
 * event no queue took just the same, but first returns it (basic.return before basic.ack on the
 * channel), recognised by its `x-publish-id` header.
 *
 * A channel error (the broker closes the publisher's channel, e.g. after a refused publish) is
 * this channel's alone: it is replaced at once on the same connection, so the consumers on
 * their own channels go on, and publishing does not wait for a reconnect that never comes (the
 * connection is fine). What was waiting on the broken channel fails; the outbox relay publishes
 * it again on the new one. An exchange that cannot be declared (declared before with another type)
 * is a clear log line and a readiness failure until a reopened channel declares it.
 */
export class EventPublisher {
  private channel: ChannelWrapper;
  private reopening: Promise<void> | undefined;
  private readonly backoff = new ReopenBackoff();
  private problem: string | undefined;
  private closed = false;
  /** Publish ids of the events published and not yet confirmed or failed. */
  private readonly awaitingConfirm = new Set<string>();
  /** Those of them the broker returned: no queue took them. */
  private readonly returned = new Set<string>();

  constructor(
    private readonly connection: BrokerConnection,
    private readonly exchange: string,
    private readonly logger: Logger,
    private readonly publishTimeoutMs = 10_000,
  ) {
    this.channel = this.open();
  }

  async publish(event: CloudEvent): Promise<PublishOutcome> {
    await this.reopening;
    const publishId = randomUUID();
    this.awaitingConfirm.add(publishId);
    try {
      await this.channel.publish(this.exchange, event.type, Buffer.from(JSON.stringify(event)), {
        mandatory: true,
        persistent: true,
        messageId: event.id,
        type: event.type,
        contentType: CLOUD_EVENTS_CONTENT_TYPE,
        timestamp: Math.floor(Date.parse(event.time) / 1000),
        appId: event.source,
        headers: { [HEADERS.publishId]: publishId },
      });
      return this.returned.has(publishId) ? 'unroutable' : 'routed';
    } finally {
      this.awaitingConfirm.delete(publishId);
      this.returned.delete(publishId);
    }
  }

  /** Rejects with the reason the publisher cannot publish (its exchange could not be declared). */
  readiness(): Promise<void> {
    return this.problem ? Promise.reject(new Error(this.problem)) : Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.channel.close();
  }

  private open(): ChannelWrapper {
    const wrapper: ChannelWrapper = this.connection.manager.createChannel({
      name: 'publisher',
      confirm: true,
      publishTimeout: this.publishTimeoutMs,
      setup: async (channel: ConfirmChannel) => {
        // Without a listener, amqplib would take the channel's error for the connection's and
        // close the connection, and every consumer with it.
        channel.on('error', (error: Error) => this.replace(wrapper, error));
        channel.on('return', (message: ConsumeMessage) => {
          const id: unknown = message.properties.headers?.[HEADERS.publishId];
          if (typeof id === 'string' && this.awaitingConfirm.has(id)) this.returned.add(id);
        });
        try {
          await assertExchange(channel, this.exchange);
        } catch (error) {
          const problem = `Exchange ${this.exchange} could not be declared: ${error instanceof Error ? error.message : String(error)}. ` +
            'An exchange declared before with another type or arguments must be deleted (its bindings go with it) and declared again.';
          if (problem !== this.problem) this.logger.error({ exchange: this.exchange, err: error }, problem);
          this.problem = problem;
          return;
        }
        this.problem = undefined;
      },
    });
    // Without a listener, a channel the wrapper fails to open would crash the process.
    wrapper.on('error', (error: unknown) => this.logger.warn({ err: error }, 'Publisher channel could not be opened; retrying with the connection'));
    return wrapper;
  }

  private replace(broken: ChannelWrapper, error: Error): void {
    if (this.closed || this.channel !== broken) return;
    const pause = this.backoff.pauseAfterFailure();
    this.logger.warn({ err: error, reopenInMs: pause }, 'Publisher channel closed by the broker; opening a new one on the same connection');
    void broken.close().catch(() => undefined);
    this.reopening = new Promise<void>((resolve) => setTimeout(resolve, pause)).then(() => {
      this.backoff.opened();
      this.reopening = undefined;
      if (!this.closed) this.channel = this.open();
    });
  }
}
