import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, runServiceCommand, type ServiceEntry } from '@optimove/app-runtime';
import { deadLetterQueueName, retryQueueName } from '@optimove/messaging';
import { createLogger, type Logger } from '@optimove/observability';

/** The retry delays of an app under test (`testServiceEnv`). */
const TEST_RETRY_DELAYS_MS = [100, 300];

export type RunningTestService = {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> of the app's HTTP API. */
  baseUrl: string;
  close: () => Promise<void>;
};

/** Environment for an app under test: its own database, exchange and queue prefix, a quiet log. */
export function testServiceEnv(resources: {
  databaseUrl: string;
  amqpUrl: string;
  exchange: string;
  queuePrefix: string;
}, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HTTP_PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    API_TOKEN: 'test-api-token-0123456789',
    DATABASE_URL: resources.databaseUrl,
    AMQP_URL: resources.amqpUrl,
    EVENTS_EXCHANGE: resources.exchange,
    AMQP_QUEUE_PREFIX: resources.queuePrefix,
    AMQP_RETRY_DELAYS_MS: TEST_RETRY_DELAYS_MS.join(','),
    OUTBOX_POLL_INTERVAL_MS: '100',
    ...overrides,
  };
}

/**
 * The queues an app declares: its own, its dead-letter queue and a retry queue per delay (those of
 * `testServiceEnv`, unless the app runs with others).
 */
export function testServiceQueues(queuePrefix: string, service: string, retryDelaysMs: readonly number[] = TEST_RETRY_DELAYS_MS): string[] {
  const queue = `${queuePrefix}${service}`;
  return [queue, deadLetterQueueName(queue), ...retryDelaysMs.map((delay) => retryQueueName(queue, delay))];
}

/** Migrates the app's schema, then starts the app (HTTP on a free port, consumer attached). */
export async function startTestService(entry: ServiceEntry, logger?: Logger): Promise<RunningTestService> {
  await runServiceCommand(entry, ['node', 'main', 'migrate']);
  const log = logger ?? createLogger({ service: entry.service, level: entry.config.LOG_LEVEL });
  const app = await createServiceApp(entry, log);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
