import amqplib from 'amqplib';
import { HEADERS, type DeadLetterReason } from '../consumer/event-consumer';
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
 * Moves dead letters back into the app's queue after the cause was fixed, as a fresh first
 * attempt. Looks at each message present when it starts exactly once: a moved one is published
 * to the queue and acknowledged only after the broker confirmed it; one that is kept (another
 * reason, or over the limit) goes to the back of the dead-letter queue unchanged. Consumers skip
 * an event they already handled, so moving one twice does no harm.
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
    for (let index = 0; index < messageCount; index += 1) {
      const message = await channel.get(deadLetters, { noAck: false });
      if (!message) break;
      result.examined += 1;
      const headers = { ...(message.properties.headers ?? {}) };
      const wanted = options.reason === undefined || headers[HEADERS.deadLetterReason] === options.reason;
      const underLimit = options.limit === undefined || result.moved < options.limit;
      const properties = {
        persistent: true,
        messageId: message.properties.messageId as string | undefined,
        type: message.properties.type as string | undefined,
        contentType: message.properties.contentType as string | undefined,
        timestamp: message.properties.timestamp as number | undefined,
        appId: message.properties.appId as string | undefined,
      };
      if (wanted && underLimit) {
        for (const header of [HEADERS.deadLetterReason, HEADERS.errors, HEADERS.attempt, HEADERS.lastError, 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason']) {
          delete headers[header];
        }
        channel.publish('', options.queue, message.content, { ...properties, headers });
        result.moved += 1;
      } else {
        channel.publish('', deadLetters, message.content, { ...properties, headers });
        result.kept += 1;
      }
      await channel.waitForConfirms();
      channel.ack(message);
    }
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
  return result;
}
