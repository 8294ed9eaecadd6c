import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import { CLOUD_EVENTS_CONTENT_TYPE, isRoutingKey, validateEvent, type RoutingKey } from '@optimove/contracts';
import { quoteIdentifier } from '@optimove/database';
import type { Logger, MetricsRegistry } from '@optimove/observability';
import type { BrokerConnection } from '../broker/broker-connection';
import { assertConsumerTopology, deadLetterQueueName, retryQueueName } from '../broker/topology';
import type { MessagingSettings } from '../messaging-settings';
import { PermanentEventError, type EventContext } from './event-context';

/** Headers this consumer writes; documented in the README. Wire names: do not rename. */
export const HEADERS = {
  attempt: 'x-attempt',
  originalRoutingKey: 'x-original-routing-key',
  deadLetterReason: 'x-dead-letter-reason',
  errors: 'x-errors',
  lastError: 'x-last-error',
} as const;

export const DEAD_LETTER_REASONS = ['unparseable', 'invalid-payload', 'no-handler', 'handler-failed'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

type Outcome = 'handled' | 'duplicate' | 'retry-scheduled' | 'dead-lettered';

/**
 * Nest microservice transport that consumes the app's queue. Per message: parse and validate the
 * CloudEvent (invalid -> dead-letter queue with the reasons), then in one database transaction
 * record the event id in the inbox (seen before -> skip) and run the handler; ack only after the
 * commit. A failing handler is retried through the delay queues, then dead-lettered.
 */
export class EventConsumer extends Server implements CustomTransportStrategy {
  // Handler errors come back to `handle`, which retries or dead-letters (see ServerKafka).
  override propagatesEventHandlerErrors = true;
  private channel: ChannelWrapper | undefined;
  private currentChannel: Channel | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inboxTable: string;
  private closing = false;

  constructor(
    private readonly connection: BrokerConnection,
    private readonly dataSource: DataSource,
    private readonly settings: MessagingSettings,
    private readonly log: Logger,
    private readonly metrics?: MetricsRegistry,
  ) {
    super();
    this.inboxTable = `${quoteIdentifier(settings.schema)}.inbox`;
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops taking messages, lets the ones in flight finish (and ack), then closes the channel. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.channel?.cancelAll().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.channel?.close().catch(() => undefined);
  }

  on(): never {
    throw new Error('EventConsumer does not emit transport events');
  }

  unwrap<T>(): T {
    return this.channel as T;
  }

  routingKeys(): RoutingKey[] {
    const patterns = [...this.messageHandlers.keys()];
    const unknown = patterns.filter((pattern) => !isRoutingKey(pattern));
    if (unknown.length > 0) {
      throw new Error(`Handlers for unknown routing keys: ${unknown.join(', ')} (see libs/contracts ROUTING_KEYS)`);
    }
    return patterns as RoutingKey[];
  }

  private async start(): Promise<void> {
    const routingKeys = this.routingKeys();
    if (routingKeys.length === 0) {
      this.log.info('No event handlers registered; not consuming');
      return;
    }
    const { queue, prefetch } = this.settings;
    this.channel = this.connection.manager.createChannel({
      name: `${queue}-consumer`,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        this.currentChannel = channel;
        await assertConsumerTopology(channel, { ...this.settings, routingKeys });
      },
    });
    await this.channel.waitForConnect();
    await this.channel.consume(queue, (message) => this.track(message), { noAck: false, prefetch });
    this.log.info({ queue, routingKeys, prefetch }, 'Consuming events');
  }

  private track(message: ConsumeMessage): void {
    // Ack on the channel that delivered the message: after a reconnect its delivery tag means
    // nothing on the new channel, and the broker redelivers it anyway (the inbox skips it).
    const deliveredOn = this.currentChannel;
    const work = this.process(message, deliveredOn).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async process(message: ConsumeMessage, deliveredOn: Channel | undefined): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.handle(message);
    } catch (error) {
      // Publishing to a retry or dead-letter queue failed (broker gone): leave the message
      // unacknowledged; the broker redelivers it after the reconnect.
      this.log.warn({ err: error, messageId: message.properties.messageId }, 'Event left for redelivery');
      return;
    }
    const type: unknown = message.properties.type;
    this.metrics?.eventsConsumed.inc({ type: isRoutingKey(type) ? type : 'unknown', outcome });
    try {
      deliveredOn?.ack(message);
    } catch {
      // The channel closed after the commit: the broker redelivers and the inbox skips it.
      this.log.debug({ messageId: message.properties.messageId, outcome }, 'Ack lost with its channel; the redelivery will be skipped');
    }
  }

  private async handle(message: ConsumeMessage): Promise<Outcome> {
    const attempt = Number(message.properties.headers?.[HEADERS.attempt] ?? 0) + 1;
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch {
      return this.deadLetter(message, 'unparseable', ['body: not a JSON document'], attempt);
    }
    const validation = validateEvent(body);
    if (!validation.valid) {
      return this.deadLetter(message, 'invalid-payload', validation.errors, attempt);
    }
    const event = validation.event;
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) {
      return this.deadLetter(message, 'no-handler', [`type: no handler for ${event.type} in ${this.settings.service}`], attempt);
    }

    try {
      return await this.dataSource.transaction(async (manager): Promise<Outcome> => {
        const claimed: unknown[] = await manager.query(
          `INSERT INTO ${this.inboxTable} (event_id, type, source) VALUES ($1, $2, $3)
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
          [event.id, event.type, event.source],
        );
        if (claimed.length === 0) return 'duplicate';
        const context: EventContext = { event, manager, attempt };
        await lastValueFrom(this.transformToObservable(await handler(event.data, context)), { defaultValue: undefined });
        return 'handled';
      });
    } catch (error) {
      const reason = describeError(error);
      const attempts = this.settings.retryDelaysMs.length + 1;
      if (error instanceof PermanentEventError || attempt >= attempts) {
        this.log.error({ err: error, eventId: event.id, type: event.type, attempt }, 'Event handler failed; dead-lettering');
        return this.deadLetter(message, 'handler-failed', [reason], attempt);
      }
      const delayMs = this.settings.retryDelaysMs[attempt - 1];
      this.log.warn({ err: error, eventId: event.id, type: event.type, attempt, retryInMs: delayMs }, 'Event handler failed; retrying');
      await this.republish(message, retryQueueName(this.settings.queue, delayMs), {
        [HEADERS.attempt]: attempt,
        [HEADERS.lastError]: truncate(reason),
      }, String(delayMs));
      return 'retry-scheduled';
    }
  }

  private async deadLetter(message: ConsumeMessage, reason: DeadLetterReason, errors: string[], attempt: number): Promise<Outcome> {
    this.log.warn(
      { messageId: message.properties.messageId, routingKey: message.fields.routingKey, reason, errors, attempt },
      'Event dead-lettered',
    );
    await this.republish(message, deadLetterQueueName(this.settings.queue), {
      [HEADERS.deadLetterReason]: reason,
      [HEADERS.errors]: truncate(JSON.stringify(errors)),
      [HEADERS.attempt]: attempt,
    });
    return 'dead-lettered';
  }

  /** Sends a copy to one of our own queues (default exchange) and waits for the confirm. */
  private async republish(message: ConsumeMessage, queue: string, headers: Record<string, unknown>, expiration?: string): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new Error('Consumer channel is not open');
    const original = message.properties;
    await channel.publish('', queue, message.content, {
      persistent: true,
      messageId: original.messageId as string | undefined,
      type: original.type as string | undefined,
      contentType: (original.contentType as string | undefined) ?? CLOUD_EVENTS_CONTENT_TYPE,
      timestamp: original.timestamp as number | undefined,
      appId: original.appId as string | undefined,
      expiration,
      headers: {
        ...(original.headers ?? {}),
        [HEADERS.originalRoutingKey]: (original.headers?.[HEADERS.originalRoutingKey] as string | undefined) ?? message.fields.routingKey,
        ...headers,
      },
    });
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function truncate(text: string): string {
  return text.length > 4_000 ? `${text.slice(0, 4_000)}...` : text;
}
