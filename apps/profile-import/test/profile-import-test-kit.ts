import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import type { Logger } from '@optimove/observability';
import { createTestBroker, createTestDatabase, startTestService, testServiceEnv } from '@optimove/testing';
import { serviceEntry } from '../src/service-entry';

// Helpers of the profile-import integration tests: HTTP calls, raw streamed uploads, queries.

export const TOKEN = 'test-api-token-0123456789';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

export type Report = {
  id: string;
  status: string;
  message: string | null;
  fileName: string;
  asOfDate: string;
  checksum: string | null;
  delimiter: string | null;
  compressed: boolean | null;
  rows: { read: number; loaded: number; rejected: number; inserted: number; updated: number; unchanged: number };
  droppedColumns: string[];
  ignoredColumns: string[];
  suspicious: boolean;
  volumeCheck: string | null;
  rejections?: { total: number; items: { line: number; column: string | null; reason: string; value: string | null }[] };
};

export type Harness = {
  service: { baseUrl: string };
  db: Client;
  env: Record<string, string>;
  /** Data of every `profiles.imported.v1` received so far. */
  events: Record<string, unknown>[];
  close: () => Promise<void>;
};

/**
 * The service on a database and broker topology of its own (`label`), with `overrides` of its
 * environment and, when given, `logger` for its log lines. No observer of its events.
 */
export async function startHarness(label: string, overrides: Record<string, string>, logger?: Logger): Promise<Harness & { databaseUrl: string }> {
  const database = await createTestDatabase(label);
  const broker = createTestBroker(label);
  const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix }, overrides);
  const service = await startTestService(serviceEntry(env), logger);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  return {
    service,
    db,
    env,
    events: [],
    databaseUrl: database.url,
    close: async () => {
      await db.end();
      await service.close();
      await broker.cleanup([]);
      await database.drop();
    },
  };
}

export async function upload(
  harness: Harness,
  dataset: string,
  body: string | Buffer,
  options: { query?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; report: Report }> {
  const response = await fetch(`${harness.service.baseUrl}/imports/${dataset}${options.query ? `?${options.query}` : ''}`, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'text/csv', ...options.headers },
    body,
  });
  return { status: response.status, report: (await response.json()) as Report };
}

export async function getJson<T>(harness: Harness, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${harness.service.baseUrl}${path}`, { headers: AUTH });
  return { status: response.status, body: (await response.json()) as T };
}

export async function sendJson<T>(harness: Harness, method: string, path: string, body?: unknown): Promise<{ status: number; body: T | undefined }> {
  const response = await fetch(`${harness.service.baseUrl}${path}`, {
    method,
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as T) : undefined };
}

/**
 * Streams an upload through a raw HTTP request: `write` feeds it and may stop feeding half way
 * (`abort` cuts the connection). Resolves with the response status, or 0 when there was none.
 */
export function streamUpload(
  harness: Harness,
  dataset: string,
  headers: Record<string, string | number>,
  write: (send: (chunk: Buffer | string) => Promise<void>, abort: () => void, responded: () => boolean) => Promise<void>,
): Promise<{ status: number; body: string }> {
  const url = new URL(`${harness.service.baseUrl}/imports/${dataset}`);
  return new Promise((resolve) => {
    let responded = false;
    const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...AUTH, 'Content-Type': 'text/csv', ...headers } });
    request.on('response', (response) => {
      responded = true;
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', () => {
      if (!responded) resolve({ status: 0, body: '' });
    });
    // Sending waits while the server is not reading: what was sent is what it could take in.
    const send = (chunk: Buffer | string): Promise<void> =>
      new Promise((done) => {
        if (request.destroyed || request.write(chunk)) return done();
        const resume = (): void => {
          request.off('drain', resume);
          request.off('close', resume);
          done();
        };
        request.on('drain', resume);
        request.on('close', resume);
      });
    void write(
      send,
      () => request.destroy(),
      () => responded,
    ).then(() => {
      if (!request.destroyed && !responded) request.end();
    });
  });
}

/** The newest finished import of a file, waiting up to 20 s for it. */
export async function latestImport(harness: Harness, fileName: string): Promise<Report> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const { body } = await getJson<{ items: Report[] }>(harness, '/imports?limit=100');
    const found = body.items.find((item) => item.fileName === fileName && item.status !== 'running');
    if (found) return found;
  }
  throw new Error(`no finished import of ${fileName} within 20 s`);
}

export async function rows<T>(harness: Harness, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return (await harness.db.query(sql, parameters)).rows as T[];
}

/** A customers CSV: header, then rows; `n` generated rows with ids `<prefix>00001`... */
export function customersFile(prefix: string, n: number, extra: { header?: string; lines?: string[] } = {}): string {
  const lines = [extra.header ?? 'customer_id,registered_at,country'];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}${String(i).padStart(5, '0')},2024-01-${String(1 + (i % 28)).padStart(2, '0')},DE`);
  return `${[...lines, ...(extra.lines ?? [])].join('\n')}\n`;
}
