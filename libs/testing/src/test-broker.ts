import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';

export type TestBroker = {
  amqpUrl: string;
  /** A topic exchange of this test file's own, used instead of `optimove.events`. */
  exchange: string;
  /** Prefix for this file's queue names (AMQP_QUEUE_PREFIX). */
  queuePrefix: string;
  /** Deletes the exchange and every queue whose name starts with the prefix that the test named. */
  cleanup: (queues: readonly string[]) => Promise<void>;
};

function amqpUrl(): string {
  const url = process.env['TEST_AMQP_URL'];
  if (!url) throw new Error('TEST_AMQP_URL is not set: run integration tests through jest with the shared globalSetup');
  return url;
}

/** Broker resources of one test file: its own exchange and queue-name prefix. */
export function createTestBroker(label: string): TestBroker {
  const id = `${label.replace(/[^a-z0-9]/gi, '-').toLowerCase()}-${randomBytes(4).toString('hex')}`;
  const url = amqpUrl();
  const exchange = `test.${id}.events`;
  return {
    amqpUrl: url,
    exchange,
    queuePrefix: `test.${id}.`,
    cleanup: async (queues) => {
      const connection = await amqplib.connect(url);
      try {
        const channel = await connection.createChannel();
        for (const queue of queues) await channel.deleteQueue(queue);
        await channel.deleteExchange(exchange);
        await channel.close();
      } finally {
        await connection.close();
      }
    },
  };
}
