import type { Channel } from 'amqplib';

/**
 * Redeliveries the broker allows before it dead-letters a message by itself (a consumer that
 * crashed or lost its connection while holding it). A queue argument: changing it on an existing
 * queue fails with PRECONDITION_FAILED, so it is a constant, not a setting.
 */
export const DELIVERY_LIMIT = 10;

export const deadLetterQueueName = (queue: string): string => `${queue}.dead`;
export const retryQueueName = (queue: string, delayMs: number): string => `${queue}.retry.${delayMs}ms`;

export async function assertExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/**
 * Declares a consuming app's queues: the main quorum queue bound to its routing keys, the
 * dead-letter queue, and one delay queue per retry delay whose expired messages flow back into
 * the main queue. Uniform TTL per delay queue avoids head-of-line blocking. The main queue
 * dead-letters at-least-once (RabbitMQ 3.10+; it needs `reject-publish` overflow): a message the
 * broker dead-letters itself (the delivery limit) stays with the queue until `.dead` accepts it.
 */
export async function assertConsumerTopology(
  channel: Channel,
  settings: { exchange: string; queue: string; retryDelaysMs: readonly number[]; routingKeys: readonly string[] },
): Promise<void> {
  const { exchange, queue } = settings;
  await assertExchange(channel, exchange);
  await channel.assertQueue(deadLetterQueueName(queue), { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': DELIVERY_LIMIT,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': deadLetterQueueName(queue),
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  });
  for (const key of settings.routingKeys) await channel.bindQueue(queue, exchange, key);
  for (const delayMs of settings.retryDelaysMs) {
    await channel.assertQueue(retryQueueName(queue, delayMs), {
      durable: true,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
    });
  }
}
