import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '@optimove/config';
import type { RoutingKey } from '@optimove/contracts';
import { runMigrations } from '@optimove/database';
import { createTestBroker, createTestDatabase, migrateApp, spawnApp, testServiceEnv, type TestBroker, type TestDatabase } from '@optimove/testing';
import { SegmentationConfig } from '../src/config/segmentation.config';
import { SCHEMA, dataSourceOptions } from '../src/database/data-source-options';

// Helpers of the segmentation integration tests: a database with profile-import's schema (its
// built migrate command), profile data loaded through its CLI, HTTP calls, a listening queue.

export const TOKEN = 'test-api-token-0123456789';

export type Profiles = {
  database: TestDatabase;
  broker: TestBroker;
  env: Record<string, string>;
  db: Client;
  /** Imports a CSV through profile-import's CLI (`main.js import`). */
  importCsv: (dataset: 'customers' | 'transactions', csv: string, asOf: string) => Promise<void>;
  close: () => Promise<void>;
};

/** A fresh database with the profiles schema, and broker resources, for one test file. */
export async function createProfiles(label: string, overrides: Record<string, string> = {}): Promise<Profiles> {
  const database = await createTestDatabase(label);
  const broker = createTestBroker(label);
  const env = testServiceEnv(
    { databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix },
    { RUN_SCHEDULE_ENABLED: 'false', ...overrides },
  );
  await migrateApp('profile-import', env);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const folder = mkdtempSync(join(tmpdir(), 'segmentation-test-'));
  let files = 0;
  return {
    database,
    broker,
    env,
    db,
    importCsv: async (dataset, csv, asOf) => {
      const file = join(folder, `${dataset}_${files++}.csv`);
      writeFileSync(file, csv);
      const result = await spawnApp('profile-import', env, ['import', dataset, file, '--as-of', asOf, '--force']).exit;
      if (result.code !== 0) throw new Error(`import of ${dataset} failed (${String(result.code)}):\n${result.stderr}\n${result.stdout}`);
    },
    close: async () => {
      await db.end();
      rmSync(folder, { recursive: true, force: true });
      await database.drop();
    },
  };
}

/** A fresh database with segmentation's migrations only (the test creates what it needs of the profiles schema), and a client on it. */
export async function createSegmentationDatabase(label: string): Promise<{ db: Client; close: () => Promise<void> }> {
  const database = await createTestDatabase(label);
  const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: 'amqp://unused', exchange: 'unused', queuePrefix: 'unused.' });
  const dataSource = new DataSource(dataSourceOptions(loadConfig(SegmentationConfig, env)));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource, SCHEMA);
  } finally {
    await dataSource.destroy();
  }
  const db = new Client({ connectionString: database.url });
  await db.connect();
  return {
    db,
    close: async () => {
      await db.end();
      await database.drop();
    },
  };
}

export async function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export type Listener = { messages: Record<string, unknown>[]; queue: string; close: () => Promise<void> };

/** A queue of the test bound to `keys` on the test exchange, collecting the events' data. */
export async function listen(broker: TestBroker, keys: RoutingKey[]): Promise<Listener> {
  const connection = await amqplib.connect(broker.amqpUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(broker.exchange, 'topic', { durable: true });
  const queue = `${broker.queuePrefix}listener`;
  await channel.assertQueue(queue, { durable: false, autoDelete: true });
  for (const key of keys) await channel.bindQueue(queue, broker.exchange, key);
  const messages: Record<string, unknown>[] = [];
  await channel.consume(queue, (message) => {
    if (!message) return;
    messages.push((JSON.parse(message.content.toString()) as { data: Record<string, unknown> }).data);
    channel.ack(message);
  });
  return { messages, queue, close: async () => connection.close() };
}

/** Publishes an event to the test exchange as another system would: a CloudEvents document. */
export async function publish(broker: TestBroker, type: RoutingKey, data: Record<string, unknown>): Promise<void> {
  const connection = await amqplib.connect(broker.amqpUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(broker.exchange, 'topic', { durable: true });
    const id = randomUUID();
    const event = { specversion: '1.0', id, type, source: '/test', time: new Date().toISOString(), datacontenttype: 'application/json', data };
    channel.publish(broker.exchange, type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: id,
      type,
      contentType: 'application/cloudevents+json',
    });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
