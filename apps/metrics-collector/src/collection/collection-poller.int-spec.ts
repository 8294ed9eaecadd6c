import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ManualClock } from '@optimove/clock';
import { loadConfig } from '@optimove/config';
import { runMigrations } from '@optimove/database';
import { OutboxWriter } from '@optimove/messaging';
import { createLogger } from '@optimove/observability';
import { SmartFocusProtocolError, type CampaignSnapshot, type SmartFocusClient } from '@optimove/smartfocus-client';
import { createTestDatabase, type TestDatabase } from '@optimove/testing';
import { MetricsCollectorConfig } from '../config/metrics-collector.config';
import { SCHEMA, dataSourceOptions } from '../database/data-source-options';
import { CollectionPoller } from './collection-poller.service';

// The poller's claims over a real PostgreSQL, with SmartFocus scripted: what a replica does with
// the fetches it claimed when its lease runs out in the middle of a batch, and when it stops.

const LEASE_MS = 60_000;

type Script = (campaignId: number) => Promise<void>;

describe(CollectionPoller.name, () => {
  const clock = new ManualClock(new Date('2026-12-05T10:00:00Z'));
  const sendAt = new Date('2026-12-01T08:00:00Z');
  let database: TestDatabase;
  let dataSource: DataSource;
  let env: Record<string, string>;
  let config: MetricsCollectorConfig;
  let executionId: string;
  const calls: string[] = [];

  function snapshotOf(campaignId: number): CampaignSnapshot {
    const counts = { selected: 100, filtered: 0, delivered: 90, bounces: 10, hardBounces: 5, softBounces: 5, complaints: 0, uniqueOpens: 30, uniqueClicks: 5, unsubscribes: 1, conversions: 0 };
    return { campaignId, beginDate: sendAt, endDate: new Date(sendAt.getTime() + 3_600_000), counts, rates: { delivery: 0.9, open: 1 / 3, click: 1 / 18, unsubscribe: 1 / 90 } };
  }

  /** A replica: its own poller over the shared database, SmartFocus answering as `script` says. */
  function replica(name: string, script: Script = () => Promise.resolve(), settings: MetricsCollectorConfig = config): CollectionPoller {
    const smartFocus = {
      campaigns: {
        snapshot: async (campaignId: number): Promise<CampaignSnapshot> => {
          calls.push(`${name}:${campaignId}`);
          await script(campaignId);
          return snapshotOf(campaignId);
        },
      },
    } as unknown as SmartFocusClient;
    return new CollectionPoller(dataSource, smartFocus, new OutboxWriter(SCHEMA, 'metrics-collector', clock), settings, clock, createLogger({ service: 'test', level: 'silent' }));
  }

  /** Three fetches due now (days 1 to 3 of SmartFocus campaigns 1 to 3), claimed in that order. */
  async function dueFetches(): Promise<void> {
    executionId = randomUUID();
    for (const day of [1, 2, 3]) {
      await dataSource.query(
        `INSERT INTO metrics.snapshot_fetch (execution_id, group_id, smartfocus_campaign_id, day, due_at, status, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $5)`,
        [executionId, randomUUID(), String(day), day, new Date(sendAt.getTime() + day * 86_400_000)],
      );
    }
  }

  async function fetches(): Promise<{ day: number; status: string; attempts: number; last_error: string | null; claimed: boolean }[]> {
    return dataSource.query(
      `SELECT day, status, attempts, last_error, claimed_until IS NOT NULL AS claimed FROM metrics.snapshot_fetch WHERE execution_id = $1 ORDER BY day`,
      [executionId],
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase('metrics_poller');
    env = {
      DATABASE_URL: database.url,
      API_TOKEN: 'test-api-token-0123456789',
      SMARTFOCUS_LOGIN: 'login',
      SMARTFOCUS_PASSWORD: 'password-123',
      SMARTFOCUS_API_KEY: 'key-1234567',
      COLLECTION_LEASE_MS: String(LEASE_MS),
      COLLECTION_MAX_ATTEMPTS: '1',
    };
    config = loadConfig(MetricsCollectorConfig, env);
    dataSource = new DataSource(dataSourceOptions(config));
    await dataSource.initialize();
    await runMigrations(dataSource, SCHEMA);
  });

  beforeEach(() => {
    calls.length = 0;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('should leave the rest of its batch to the replica that claimed it when its lease ran out, and never fail what that replica stored', async () => {
    await dueFetches();
    const other = replica('B');
    // A is slow on its first fetch: its lease on the whole batch runs out, and B claims the batch.
    // A's SmartFocus then fails on the next fetch, at A's last attempt.
    const slow = replica('A', async (campaignId) => {
      if (campaignId === 1) {
        clock.advance(LEASE_MS + 1_000);
        await other.runDue();
      } else throw new Error('SmartFocus timed out');
    });

    await slow.runDue();

    expect((await fetches()).map(({ day, status, last_error }) => [day, status, last_error])).toEqual([
      [1, 'done', null],
      [2, 'done', null],
      [3, 'done', null],
    ]);
    expect(calls).toEqual(['A:1', 'B:1', 'B:2', 'B:3']);
  });

  it('should stop after the fetch in hand when it shuts down, and give back the claims it did not start, without an attempt', async () => {
    await dueFetches();
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const inHand = new Promise<void>((resolve) => (started = resolve));
    const poller = replica('A', async (campaignId) => {
      if (campaignId !== 1) return;
      started();
      await new Promise<void>((resolve) => (release = resolve));
    });

    const draining = poller.runDue();
    await inHand;
    const stopping = poller.onApplicationShutdown();
    release();
    await stopping;
    await draining;

    expect(calls).toEqual(['A:1']);
    expect((await fetches()).map(({ day, status, attempts, claimed }) => [day, status, attempts, claimed])).toEqual([
      [1, 'done', 1, false],
      [2, 'pending', 0, false],
      [3, 'pending', 0, false],
    ]);
  });

  it('should retry a fetch whose answer could not be read, as a maintenance page served instead of XML, not lose that day', async () => {
    await dueFetches();
    const retrying = loadConfig(MetricsCollectorConfig, { ...env, COLLECTION_MAX_ATTEMPTS: '3' });
    let unreadable = true;
    const poller = replica(
      'A',
      (campaignId) => {
        if (campaignId !== 1 || !unreadable) return Promise.resolve();
        unreadable = false;
        return Promise.reject(new SmartFocusProtocolError('the answer is not XML (text/html)', { operation: 'getCampaignSnapshot' }));
      },
      retrying,
    );

    await poller.runDue();
    const afterFirst = (await fetches())[0];
    clock.advance(24 * 3_600_000);
    await poller.runDue();

    expect([afterFirst.status, afterFirst.attempts, afterFirst.last_error]).toEqual(['pending', 1, expect.stringContaining('not XML')]);
    expect((await fetches()).map(({ day, status }) => [day, status])).toEqual([
      [1, 'done'],
      [2, 'done'],
      [3, 'done'],
    ]);
  });
});
