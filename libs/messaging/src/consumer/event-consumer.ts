import { randomUUID } from 'node:crypto';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import { CLOUD_EVENTS_CONTENT_TYPE, isRoutingKey, validateEvent, type RoutingKey } from '@optimove/contracts';
import { quoteIdentifier } from '@optimove/database';
import type { Logger, MetricsRegistry } from '@optimove/observability';
import type { BrokerConnection } from '../broker/broker-connection';
import { ReopenBackoff } from '../broker/reopen-backoff';
import { assertConsumerTopology, deadLetterQueueName, retryQueueName } from '../broker/topology';
import type { MessagingSettings } from '../messaging-settings';
import { PermanentEventError, type EventContext } from './event-context';
import { effectivePrefetch, isInfrastructureError } from './infrastructure-errors';

/** Headers this consumer writes; documented in the README. Wire names: do not rename. */
export const HEADERS = {
  attempt: 'x-attempt',
  originalRoutingKey: 'x-original-routing-key',
  deadLetterReason: 'x-dead-letter-reason',
  errors: 'x-errors',
  lastError: 'x-last-error',
  /** One per message the publisher or the consumer publishes, to recognise it when the broker returns it unroutable. */
  publishId: 'x-publish-id',
} as const;

/**
 * Why a message is in `<queue>.dead`: the `x-dead-letter-reason` header the consumer writes, or
 * `delivery-limit` for one the broker moved there itself (its `x-death` header says so).
 */
export const DEAD_LETTER_REASONS = [
  'unparseable',
  'invalid-payload',
  'no-handler',
  'handler-failed',
  'routing-mismatch',
  'event-id-conflict',
  'delivery-limit',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

type Outcome = 'handled' | 'duplicate' | 'retry-scheduled' | 'dead-lettered';

/** Thrown out of the handler's transaction when the event id was seen with another type or source. */
class EventIdConflict extends Error {}

/** The consumer is shutting down while it waits for the database: leave the message for redelivery. */
class ShuttingDown extends Error {}

/** A copy for a retry or dead-letter queue was refused, returned or not confirmed: keep the original. */
class RepublishFailed extends Error {}

/** How long a republish may wait for the broker before the message is given back instead. */
const REPUBLISH_TIMEOUT_MS = 5_000;

/** How long the app's start waits for the broker before it starts without it. */
const START_WAIT_MS = 5_000;

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
  private readonly returned = new Set<string>();
  /** The consumers on the current channel: the slow start's, then the full prefetch's. */
  private consumerTags = new Set<string>();
  /** The channel whose consumer runs at the full prefetch (after the slow start). */
  private fullSpeedOn: Channel | undefined;
  private readonly backoff = new ReopenBackoff();
  private topologyProblem: string | undefined;
  private consuming = false;
  private databaseDown = false;
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

  /**
   * Stops taking messages, lets the ones in flight finish (and ack), then closes the channel.
   * Bounded: with the broker or the database gone, what is in flight is left unacknowledged and
   * the broker redelivers it.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const channel = this.currentChannel;
    if (channel) await withTimeout(Promise.all([...this.consumerTags].map((tag) => channel.cancel(tag))), 2_000).catch(() => undefined);
    await withTimeout(Promise.allSettled([...this.inFlight]), REPUBLISH_TIMEOUT_MS + 2_000).catch(() => undefined);
    await withTimeout(this.channel?.close() ?? Promise.resolve(), 2_000).catch(() => undefined);
  }

  /** Deliveries taken and not yet settled (acked, given back or left): 0 when the consumer is idle. */
  pending(): number {
    return this.inFlight.size;
  }

  /** Rejects with the reason the consumer cannot consume (its queues could not be declared). */
  readiness(): Promise<void> {
    if (this.topologyProblem) return Promise.reject(new Error(this.topologyProblem));
    if (this.databaseDown) return Promise.reject(new Error('event consumer is holding its deliveries: database unreachable'));
    if (this.messageHandlers.size > 0 && !this.consuming) return Promise.reject(new Error('event consumer is not consuming yet (broker unreachable)'));
    return Promise.resolve();
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
    const { queue } = this.settings;
    const poolSize = (this.dataSource.options as { poolSize?: number }).poolSize ?? 10;
    const prefetch = effectivePrefetch(this.settings.prefetch, poolSize);
    if (prefetch < this.settings.prefetch) {
      this.log.warn({ configured: this.settings.prefetch, poolSize, prefetch }, 'Prefetch lowered to what the database pool can serve');
    }
    // Declared and consumed on every (re)connect. Awaited only for a while: the app starts, and
    // answers /health/live, while the broker is still unreachable.
    let consuming!: () => void;
    const firstSetup = new Promise<void>((resolve) => (consuming = resolve));
    this.channel = this.openChannel(routingKeys, prefetch, () => consuming());
    await withTimeout(firstSetup, START_WAIT_MS).catch(() =>
      this.log.warn({ queue, waitedMs: START_WAIT_MS }, 'Broker not reachable yet; starting without it, consuming once it connects'),
    );
  }

  /** The consumer's channel: declares the queues and consumes on every (re)connect; `setUp` after each setup. */
  private openChannel(routingKeys: RoutingKey[], prefetch: number, setUp: () => void): ChannelWrapper {
    const { queue } = this.settings;
    const wrapper: ChannelWrapper = this.connection.manager.createChannel({
      name: `${queue}-consumer`,
      confirm: true,
      publishTimeout: REPUBLISH_TIMEOUT_MS,
      setup: async (channel: ConfirmChannel) => {
        this.currentChannel = channel;
        this.consuming = false;
        // Without a listener, amqplib would take the channel's error (e.g. a queue declared with
        // other arguments) for the connection's and close it, the publisher's channel with it.
        channel.on('error', (error: Error) => this.reopen(wrapper, error, routingKeys, prefetch));
        channel.on('close', () => {
          if (this.currentChannel === channel) this.consuming = false;
        });
        channel.on('return', (returned: ConsumeMessage) => {
          const id: unknown = returned.properties.headers?.[HEADERS.publishId];
          if (typeof id === 'string') this.returned.add(id);
        });
        try {
          await assertConsumerTopology(channel, { ...this.settings, routingKeys });
        } catch (error) {
          this.topologyProblem = `Queue ${queue} (or its retry and dead-letter queues) could not be declared: ${describeError(error)}. ` +
            'A queue declared with other arguments must be deleted (after moving its messages) or changed by a broker policy.';
          this.log.error({ queue, err: error }, this.topologyProblem);
          setUp();
          return;
        }
        this.topologyProblem = undefined;
        // Slow start: one delivery at a time while the queue hands back the deliveries a consumer
        // died holding (they come first). When one of them crashes the process again, it takes no
        // other delivery down with it, whose delivery count the broker would raise towards the
        // delivery limit along with its own. The first fresh delivery switches to the full prefetch.
        await channel.prefetch(1, false);
        this.consumerTags = new Set();
        this.fullSpeedOn = undefined;
        const { consumerTag } = await channel.consume(
          queue,
          (message) => {
            if (!message) return;
            this.track(message, channel);
            if (!message.fields.redelivered && prefetch > 1) void this.speedUp(channel, prefetch, message.fields.consumerTag);
          },
          { noAck: false },
        );
        this.consumerTags.add(consumerTag);
        this.consuming = true;
        this.log.info({ queue, routingKeys, prefetch }, 'Consuming events');
        setUp();
      },
    });
    wrapper.on('error', (error: unknown) => this.log.error({ queue, err: error }, 'Event consumer channel error'));
    return wrapper;
  }

  /**
   * A channel the broker closed with an error is replaced on the same connection (at once, or
   * after a growing pause when it keeps breaking at its setup). What was in flight on it is
   * redelivered to the new one; the inbox skips what was handled.
   */
  private reopen(broken: ChannelWrapper, error: Error, routingKeys: RoutingKey[], prefetch: number): void {
    if (this.closing || this.channel !== broken) return;
    const pause = this.backoff.pauseAfterFailure();
    this.log.warn({ queue: this.settings.queue, err: error, reopenInMs: pause }, 'Event consumer channel closed by the broker; opening a new one on the same connection');
    this.consuming = false;
    void broken.close().catch(() => undefined);
    setTimeout(() => {
      if (this.closing) return;
      this.backoff.opened();
      this.channel = this.openChannel(routingKeys, prefetch, () => undefined);
    }, pause).unref();
  }

  /** Ends the slow start on `channel`: a consumer with the full prefetch replaces the one-at-a-time one. */
  private async speedUp(channel: Channel, prefetch: number, slowConsumerTag: string): Promise<void> {
    if (this.fullSpeedOn === channel || this.closing) return;
    this.fullSpeedOn = channel;
    try {
      // basic.qos applies to the consumers started after it, not to the one already there.
      await channel.prefetch(prefetch, false);
      const { consumerTag } = await channel.consume(this.settings.queue, (message) => message && this.track(message, channel), { noAck: false });
      if (this.currentChannel === channel) this.consumerTags.add(consumerTag);
      await channel.cancel(slowConsumerTag);
      this.consumerTags.delete(slowConsumerTag);
      if (this.closing) await channel.cancel(consumerTag);
    } catch {
      // The channel closed: its next setup starts slowly again.
    }
  }

  private track(message: ConsumeMessage, deliveredOn: Channel): void {
    // Ack on the channel that delivered the message: after a reconnect its delivery tag means
    // nothing on the new channel, and the broker redelivers it anyway (the inbox skips it).
    const work = this.process(message, deliveredOn).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async process(message: ConsumeMessage, deliveredOn: Channel): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.handleOrDeadLetter(message);
    } catch (error) {
      if (error instanceof ShuttingDown) return; // unacked: the broker redelivers it
      // Publishing to a retry or dead-letter queue failed (refused, returned unroutable, or the
      // broker is gone): nothing else gets here. Put the message, unchanged, at the back of our
      // queue after a pause and ack it once that is confirmed: the queue keeps flowing and the
      // message is tried again later. If even that fails, give it back to the broker (or leave
      // it to the reconnect).
      this.log.warn({ err: error, messageId: message.properties.messageId }, 'Event could not be retried or dead-lettered; trying it again later');
      await sleep(Math.min(1_000, this.settings.retryDelaysMs[0] ?? 1_000));
      try {
        await this.republish(message, this.settings.queue, {});
        deliveredOn.ack(message);
      } catch {
        try {
          deliveredOn.nack(message, false, true);
        } catch {
          // The channel is gone: the broker redelivers the message anyway.
        }
      }
      return;
    }
    const type: unknown = message.properties.type;
    this.metrics?.eventsConsumed.inc({ type: isRoutingKey(type) ? type : 'unknown', outcome });
    try {
      deliveredOn.ack(message);
    } catch {
      // The channel closed after the commit: the broker redelivers and the inbox skips it.
      this.log.debug({ messageId: message.properties.messageId, outcome }, 'Ack lost with its channel; the redelivery will be skipped');
    }
  }

  /**
   * `handle`, with anything it throws other than a failed republish (or the shutdown) dead-lettered
   * at once: putting such a message back would only throw again, forever.
   */
  private async handleOrDeadLetter(message: ConsumeMessage): Promise<Outcome> {
    try {
      return await this.handle(message);
    } catch (error) {
      if (error instanceof ShuttingDown || error instanceof RepublishFailed) throw error;
      const reason = `consumer: ${describeError(error)}`;
      this.log.error({ err: error, messageId: message.properties.messageId, routingKey: message.fields.routingKey }, 'Event could not be processed; dead-lettering');
      return this.deadLetter(message, 'handler-failed', [reason], attemptOf(message));
    }
  }

  private async handle(message: ConsumeMessage): Promise<Outcome> {
    const attempt = attemptOf(message);
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch {
      return this.deadLetter(message, 'unparseable', ['body: not a JSON document'], attempt);
    }
    // validateEvent reports what it cannot validate, it does not throw (and handleOrDeadLetter
    // dead-letters whatever is thrown all the same).
    const validation = validateEvent(body);
    if (!validation.valid) {
      return this.deadLetter(message, 'invalid-payload', validation.errors, attempt);
    }
    const event = validation.event;
    // The key it was published with (kept through retries in a header): an event whose type
    // says otherwise was misrouted and must not reach the handler of its type.
    const routedWith = routingKeyOf(message);
    if (routedWith !== event.type) {
      return this.deadLetter(message, 'routing-mismatch', [`type: ${event.type} arrived with routing key ${routedWith}`], attempt);
    }
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) {
      return this.deadLetter(message, 'no-handler', [`type: no handler for ${event.type} in ${this.settings.service}`], attempt);
    }

    const afterCommit: (() => void)[] = [];
    try {
      const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome> => {
        const claimed: unknown[] = await manager.query(
          `INSERT INTO ${this.inboxTable} (event_id, type, source) VALUES ($1, $2, $3)
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
          [event.id, event.type, event.source],
        );
        if (claimed.length === 0) {
          const [seen] = await manager.query<{ type: string; source: string }[]>(`SELECT type, source FROM ${this.inboxTable} WHERE event_id = $1`, [event.id]);
          if (seen && (seen.type !== event.type || seen.source !== event.source)) {
            throw new EventIdConflict(`id: ${event.id} was handled as ${seen.type} from ${seen.source}, now ${event.type} from ${event.source}`);
          }
          return 'duplicate';
        }
        const context: EventContext = { event, manager, attempt, afterCommit: (effect) => afterCommit.push(effect) };
        await lastValueFrom(this.transformToObservable(await handler(event.data, context)), { defaultValue: undefined });
        // A statement that failed inside the handler aborts the transaction even when the handler
        // caught its error; PostgreSQL would then turn the COMMIT into a silent rollback. Any
        // statement now fails on an aborted transaction, which makes this attempt a failure.
        await manager.query('SELECT 1');
        return 'handled';
      });
      if (outcome === 'handled') this.runAfterCommit(afterCommit, event);
      return outcome;
    } catch (error) {
      if (error instanceof EventIdConflict) {
        this.log.error({ eventId: event.id, type: event.type, source: event.source, reason: error.message }, 'Event id seen before as another event; dead-lettering');
        return this.deadLetter(message, 'event-id-conflict', [error.message], attempt);
      }
      if (isInfrastructureError(error)) {
        // Not the handler's fault and not an attempt: hold the delivery until the database is back.
        await this.waitForDatabase(error);
        return this.handle(message);
      }
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

  private runAfterCommit(effects: readonly (() => void)[], event: { id: string; type: string }): void {
    for (const effect of effects) {
      try {
        effect();
      } catch (error) {
        this.log.warn({ err: error, eventId: event.id, type: event.type }, 'An after-commit effect of a handled event failed; the event stays handled');
      }
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

  /** Polls the database until it answers; the deliveries in flight stay unacknowledged meanwhile. */
  private async waitForDatabase(cause: unknown): Promise<void> {
    if (!this.databaseDown) {
      this.databaseDown = true;
      this.log.warn({ err: cause }, 'Database unreachable; holding deliveries until it is back (not counted as attempts)');
    }
    for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
      if (this.closing) throw new ShuttingDown();
      try {
        await this.dataSource.query('SELECT 1');
        if (this.databaseDown) {
          this.databaseDown = false;
          this.log.info('Database reachable again; handling the held deliveries');
        }
        return;
      } catch {
        await sleep(delay);
      }
    }
  }

  /**
   * Sends a copy to one of our own queues (default exchange), mandatory, and waits for the
   * confirm. A copy the broker returns (no such queue) or refuses is a failure: the caller then
   * keeps the original.
   */
  private async republish(message: ConsumeMessage, queue: string, headers: Record<string, unknown>, expiration?: string): Promise<void> {
    try {
      await this.publishCopy(message, queue, headers, expiration);
    } catch (error) {
      throw new RepublishFailed(`Publishing to ${queue} failed: ${describeError(error)}`, { cause: error });
    }
  }

  private async publishCopy(message: ConsumeMessage, queue: string, headers: Record<string, unknown>, expiration?: string): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new Error('Consumer channel is not open');
    const original = message.properties;
    const publishId = randomUUID();
    await channel.publish('', queue, message.content, {
      mandatory: true,
      timeout: REPUBLISH_TIMEOUT_MS,
      persistent: true,
      messageId: original.messageId as string | undefined,
      type: original.type as string | undefined,
      contentType: (original.contentType as string | undefined) ?? CLOUD_EVENTS_CONTENT_TYPE,
      timestamp: original.timestamp as number | undefined,
      appId: original.appId as string | undefined,
      expiration,
      headers: {
        ...(original.headers ?? {}),
        [HEADERS.originalRoutingKey]: routingKeyOf(message),
        ...headers,
        [HEADERS.publishId]: publishId,
      },
    });
    // The broker sends basic.return before the confirm of a mandatory message it could not route.
    if (this.returned.delete(publishId)) {
      const current = this.currentChannel;
      // Declare the queues again (someone deleted one), so the redelivery can get through.
      if (current) await assertConsumerTopology(current, { ...this.settings, routingKeys: this.routingKeys() }).catch(() => undefined);
      throw new Error(`Queue ${queue} does not exist: the broker returned the message`);
    }
  }
}

/** 1 on the first delivery, then the attempt the `x-attempt` header of a retry copy counts. */
function attemptOf(message: ConsumeMessage): number {
  return Number(message.properties.headers?.[HEADERS.attempt] ?? 0) + 1;
}

/** The routing key the event was published with: kept in a header through retries and re-drives. */
function routingKeyOf(message: ConsumeMessage): string {
  return originalRoutingKeyOf(message.properties.headers) ?? message.fields.routingKey;
}

/**
 * The key an event was first published with, from our `x-original-routing-key` header or, for a
 * message the broker dead-lettered itself, its `x-death` record; undefined when neither says.
 */
export function originalRoutingKeyOf(headers: Record<string, unknown> | undefined): string | undefined {
  const kept: unknown = headers?.[HEADERS.originalRoutingKey];
  if (typeof kept === 'string') return kept;
  const death = (headers?.['x-death'] as { 'routing-keys'?: unknown[] }[] | undefined)?.[0];
  const key = death?.['routing-keys']?.[0];
  return typeof key === 'string' ? key : undefined;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function truncate(text: string): string {
  return text.length > 4_000 ? `${text.slice(0, 4_000)}...` : text;
}
