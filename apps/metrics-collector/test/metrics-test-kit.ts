import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import type { EventPayload, RoutingKey } from '@optimove/contracts';
import { createLogger } from '@optimove/observability';
import { SmartFocusClient } from '@optimove/smartfocus-client';
import { SIMULATOR_API_KEY, SIMULATOR_LOGIN, SIMULATOR_PASSWORD, SimulatorAdmin, simulatorEnv, startAppProcess, testServiceEnv, type AppProcess } from '@optimove/testing';

export const API_TOKEN = 'test-api-token-0123456789';

/** The built simulator as its own process on the test database (its own schema). */
export async function startSimulator(databaseUrl: string): Promise<{ process: AppProcess; admin: SimulatorAdmin; client: SmartFocusClient }> {
  const env = testServiceEnv({ databaseUrl, amqpUrl: 'amqp://unused', exchange: 'unused', queuePrefix: '' }, { ...simulatorEnv(), API_TOKEN });
  delete env['HTTP_PORT'];
  const process = await startAppProcess('smartfocus-simulator', env);
  const client = new SmartFocusClient(
    {
      baseUrl: process.baseUrl,
      login: SIMULATOR_LOGIN,
      password: SIMULATOR_PASSWORD,
      apiKey: SIMULATOR_API_KEY,
      requestTimeoutMs: 5_000,
      retryMaxAttempts: 3,
      retryInitialDelayMs: 5,
      retryMaxDelayMs: 40,
      maxConcurrency: 4,
      circuitBreakerThreshold: 50,
      circuitBreakerHalfOpenAfterMs: 200,
      criteriaValuesCap: 1_000,
    },
    createLogger({ service: 'test', level: 'silent' }),
  );
  return { process, admin: new SimulatorAdmin(process.baseUrl, API_TOKEN), client };
}

/** The collector's SmartFocus variables pointed at the simulator; no client retries, so a fault shows at once. */
export function collectorSmartFocusEnv(simulatorBaseUrl: string): Record<string, string> {
  return {
    SMARTFOCUS_BASE_URL: simulatorBaseUrl,
    SMARTFOCUS_LOGIN: SIMULATOR_LOGIN,
    SMARTFOCUS_PASSWORD: SIMULATOR_PASSWORD,
    SMARTFOCUS_API_KEY: SIMULATOR_API_KEY,
    SMARTFOCUS_RETRY_MAX_ATTEMPTS: '1',
  };
}

/** Publishes CloudEvents to the test's exchange as another system would. */
export class EventSender {
  private constructor(
    private readonly connection: amqplib.ChannelModel,
    private readonly channel: amqplib.ConfirmChannel,
    private readonly exchange: string,
  ) {}

  static async connect(amqpUrl: string, exchange: string): Promise<EventSender> {
    const connection = await amqplib.connect(amqpUrl);
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    return new EventSender(connection, channel, exchange);
  }

  async send<K extends RoutingKey>(type: K, data: EventPayload<K>): Promise<string> {
    const id = randomUUID();
    const event = { specversion: '1.0', id, type, source: '/test', time: new Date().toISOString(), datacontenttype: 'application/json', data };
    this.channel.publish(this.exchange, type, Buffer.from(JSON.stringify(event)), {
      messageId: id,
      type,
      contentType: 'application/cloudevents+json',
      persistent: true,
    });
    await this.channel.waitForConfirms();
    return id;
  }

  async close(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }
}

/** Customer ids `${prefix}000001`... as memberCsv makes them. */
export function customerIds(count: number, prefix = 'C', start = 1): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(start + index).padStart(6, '0')}`);
}
