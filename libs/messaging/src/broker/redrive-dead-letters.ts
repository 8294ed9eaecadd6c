import amqplib from 'amqplib';
import { HEADERS, originalRoutingKeyOf, type DeadLetterReason } from '../consumer/event-consumer';
import { deadLetterQueueName } from './topology';

export type RedriveOptions = {
  amqpUrl: string;
  /** The app's queue; its dead letters are in `<queue>.dead`. */
  queue: string;
  /** Move only dead letters with this reason (others stay, in their order). */
  reason?: DeadLetterReason;
  /** Move at most this many. */
  limit?: number;
};

export type RedriveResult = { examined: number; moved: number; kept: number };

/**
 * Why a dead letter is dead: the consumer's `x-dead-letter-reason` header, or for one the broker
 * dead-lettered itself, its `x-death` record (`delivery-limit` when redelivered too often).
 */
export function deadLetterReasonOf(headers: Record<string, unknown> | undefined): string | undefined {
  const written = headers?.[HEADERS.deadLetterReason];
  if (typeof written === 'string') return written;
  const death = (headers?.['x-death'] as { reason?: unknown }[] | undefined)?.[0];
  return typeof death?.reason === 'string' ? death.reason.replace(/_/g, '-') : undefined;
}

/**
 * Moves dead letters back into the app's queue after the cause was fixed, as a fresh first
 * attempt. Looks at each message present when it starts exactly once: a moved one is published
 * (mandatory, confirmed) to the queue and acknowledged only after the broker confirmed it; one
 * that is kept (another reason, or over the limit) goes to the back of the dead-letter queue
 * unchanged. A queue that does not exist moves nothing and fails with that reason; a message the
 * broker returns stays where it was. Consumers skip an event they already handled, so moving one
 * twice does no harm.
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const deadLetters = deadLetterQueueName(options.queue);
  const connection = await amqplib.connect(options.amqpUrl, { clientProperties: { connection_name: `${options.queue}-redrive` } });
  // A channel error (e.g. no such queue) rejects the pending call; these listeners keep it from
  // also surfacing as an unhandled 'error' event.
  connection.on('error', () => undefined);
  const result: RedriveResult = { examined: 0, moved: 0, kept: 0 };
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    const { messageCount } = await channel.checkQueue(deadLetters).catch((error: Error) => {
      throw new Error(`No dead-letter queue ${deadLetters} on the broker (has the app consumed yet?): ${error.message}`);
    });
    // Moving into a queue that does not exist would drop every message: refuse before taking one.
    const target = await connection.createChannel();
    target.on('error', () => undefined);
    await target.checkQueue(options.queue).catch((error: Error) => {
      throw new Error(`Queue ${options.queue} does not exist, so nothing was moved (start the app once to declare it): ${error.message}`);
    });
    await target.close().catch(() => undefined);
    let returned = false;
    channel.on('return', () => (returned = true));
    for (let index = 0; index < messageCount; index += 1) {
      const message = await channel.get(deadLetters, { noAck: false });
      if (!message) break;
      result.examined += 1;
      const headers = { ...(message.properties.headers ?? {}) };
      const wanted = options.reason === undefined || deadLetterReasonOf(headers) === options.reason;
      const underLimit = options.limit === undefined || result.moved < options.limit;
      const properties = {
        persistent: true,
        mandatory: true,
        messageId: message.properties.messageId as string | undefined,
        type: message.properties.type as string | undefined,
        contentType: message.properties.contentType as string | undefined,
        timestamp: message.properties.timestamp as number | undefined,
        appId: message.properties.appId as string | undefined,
      };
      returned = false;
      if (wanted && underLimit) {
        const originalKey = originalRoutingKeyOf(message.properties.headers);
        for (const header of [HEADERS.deadLetterReason, HEADERS.errors, HEADERS.attempt, HEADERS.lastError, HEADERS.publishId, 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-delivery-count']) {
          delete headers[header];
        }
        if (originalKey) headers[HEADERS.originalRoutingKey] = originalKey;
        channel.publish('', options.queue, message.content, { ...properties, headers });
      } else {
        channel.publish('', deadLetters, message.content, { ...properties, headers });
      }
      await channel.waitForConfirms();
      if (returned) {
        channel.nack(message, false, true);
        throw new Error(`The broker returned a message published to ${wanted && underLimit ? options.queue : deadLetters}; it stays in ${deadLetters}. Moved so far: ${result.moved}`);
      }
      if (wanted && underLimit) result.moved += 1;
      else result.kept += 1;
      channel.ack(message);
    }
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
  return result;
}
