import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { createLogger } from '@optimove/observability';
import { SmartFocusClient } from '@optimove/smartfocus-client';
import type { CampaignDispatchFailedV1, CampaignScheduledV1, ListsGeneratedV1 } from '@optimove/contracts';
import {
  SIMULATOR_API_KEY,
  SIMULATOR_LOGIN,
  SIMULATOR_PASSWORD,
  SimulatorAdmin,
  createTestBroker,
  createTestDatabase,
  simulatorEnv,
  startAppProcess,
  testServiceEnv,
  testServiceQueues,
  waitFor,
  type AppProcess,
  type TestBroker,
  type TestDatabase,
} from '@optimove/testing';

// What every dispatch integration file needs: a database and broker of its own, the simulator
// as a built process (apps never import apps), a listener for dispatch's events, helpers to
// publish `lists.generated.v1` chunks as raw CloudEvents and to read the simulator's state.

export const API_TOKEN = 'test-api-token-0123456789';

export type Group = { groupId: string; kind: 'variant' | 'control'; name: string; templateMessageId?: string; customerIds: string[] };

export type Execution = { executionId: string; campaignId: string; scheduledAt: Date; groups: Group[] };

export type SimulatorCampaign = { id: string; name: string; status: string; messageId: string; segmentId: string; sendDate: Date };

export class DispatchHarness {
  database!: TestDatabase;
  broker!: TestBroker;
  simulator!: AppProcess;
  admin!: SimulatorAdmin;
  db!: Client;
  readonly scheduled: CampaignScheduledV1[] = [];
  readonly failed: CampaignDispatchFailedV1[] = [];
  private connection!: amqplib.ChannelModel;
  private channel!: amqplib.ConfirmChannel;
  private listenQueue = '';

  constructor(private readonly label: string) {}

  async start(simulatorOverrides: Record<string, string> = {}): Promise<void> {
    this.database = await createTestDatabase(this.label);
    this.broker = createTestBroker(this.label);
    this.simulator = await startAppProcess('smartfocus-simulator', {
      ...simulatorEnv(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      API_TOKEN,
      DATABASE_URL: this.database.url,
      ...simulatorOverrides,
    }, { readyTimeoutMs: 120_000 });
    this.admin = new SimulatorAdmin(this.simulator.baseUrl, API_TOKEN);
    this.db = new Client({ connectionString: this.database.url });
    await this.db.connect();
    this.connection = await amqplib.connect(this.broker.amqpUrl);
    this.channel = await this.connection.createConfirmChannel();
    await this.channel.assertExchange(this.broker.exchange, 'topic', { durable: true });
    this.listenQueue = `${this.broker.queuePrefix}listener`;
    await this.channel.assertQueue(this.listenQueue, { durable: false, autoDelete: false });
    await this.channel.bindQueue(this.listenQueue, this.broker.exchange, 'campaign.scheduled.v1');
    await this.channel.bindQueue(this.listenQueue, this.broker.exchange, 'campaign.dispatch-failed.v1');
    await this.channel.consume(this.listenQueue, (message) => {
      if (!message) return;
      const event = JSON.parse(message.content.toString('utf8')) as { type: string; data: unknown };
      if (event.type === 'campaign.scheduled.v1') this.scheduled.push(event.data as CampaignScheduledV1);
      if (event.type === 'campaign.dispatch-failed.v1') this.failed.push(event.data as CampaignDispatchFailedV1);
      this.channel.ack(message);
    });
  }

  async stop(dispatchQueues: readonly string[] = []): Promise<void> {
    await this.connection?.close().catch(() => undefined);
    await this.db?.end().catch(() => undefined);
    await this.simulator?.stop();
    await this.broker?.cleanup([this.listenQueue, ...dispatchQueues]).catch(() => undefined);
    await this.database?.drop();
  }

  /** Dispatch's environment: this file's database and broker, pointed at the simulator, quick timings. */
  dispatchEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return testServiceEnv(
      { databaseUrl: this.database.url, amqpUrl: this.broker.amqpUrl, exchange: this.broker.exchange, queuePrefix: this.broker.queuePrefix },
      {
        SMARTFOCUS_BASE_URL: this.simulator.baseUrl,
        SMARTFOCUS_LOGIN: SIMULATOR_LOGIN,
        SMARTFOCUS_PASSWORD: SIMULATOR_PASSWORD,
        SMARTFOCUS_API_KEY: SIMULATOR_API_KEY,
        SMARTFOCUS_REQUEST_TIMEOUT_MS: '3000',
        SMARTFOCUS_RETRY_MAX_ATTEMPTS: '3',
        SMARTFOCUS_RETRY_INITIAL_DELAY_MS: '10',
        SMARTFOCUS_RETRY_MAX_DELAY_MS: '50',
        SMARTFOCUS_CIRCUIT_BREAKER_THRESHOLD: '1000',
        SMARTFOCUS_CRITERIA_VALUES_CAP: '100',
        DISPATCH_POLL_INTERVAL_MS: '100',
        DISPATCH_RETRY_INITIAL_DELAY_MS: '100',
        DISPATCH_RETRY_MAX_DELAY_MS: '400',
        DISPATCH_CRITERIA_PER_PROGRESS: '3',
        DISPATCH_MAX_ATTEMPTS: '6',
        ...overrides,
      },
    );
  }

  /** The queues dispatch declares for itself under this file's prefix (for cleanup). */
  dispatchQueues(): string[] {
    return testServiceQueues(this.broker.queuePrefix, 'smartfocus-dispatch');
  }

  /** An `optimove_welcome` template message and a SmartFocus member for each customer id; returns the template's id. */
  async seedWelcome(memberIds: readonly string[]): Promise<string> {
    const seeded = await this.admin.seedTemplates([{ name: 'optimove_welcome', subject: 'Welcome', body: '[EMV HTMLPART]<p>Hi</p>[EMV TEXTPART]Hi' }]);
    await this.admin.loadMembersCsv(['EMAIL,FIRSTNAME,LASTNAME,CUSTOMER_ID', ...memberIds.map((id) => `m.${id.toLowerCase()}@example.com,F,L,${id}`)].join('\n') + '\n');
    return seeded.messages[0].id;
  }

  /** A SmartFocus client of the test's own, on the simulator (to prepare what someone else made). */
  client(): SmartFocusClient {
    return new SmartFocusClient(
      {
        baseUrl: this.simulator.baseUrl,
        login: SIMULATOR_LOGIN,
        password: SIMULATOR_PASSWORD,
        apiKey: SIMULATOR_API_KEY,
        requestTimeoutMs: 5_000,
        retryMaxAttempts: 3,
        retryInitialDelayMs: 10,
        retryMaxDelayMs: 50,
        maxConcurrency: 2,
        circuitBreakerThreshold: 1_000,
        circuitBreakerHalfOpenAfterMs: 1_000,
        criteriaValuesCap: 100,
        timeZone: 'Europe/Paris',
      },
      createLogger({ service: 'dispatch-test', level: 'silent' }),
    );
  }

  /** The chunks of every group of an execution, `chunkSize` ids each. */
  chunks(execution: Execution, chunkSize: number): ListsGeneratedV1[] {
    return execution.groups.flatMap((group) => {
      const chunkCount = Math.max(1, Math.ceil(group.customerIds.length / chunkSize));
      return Array.from({ length: chunkCount }, (_, chunkIndex) => ({
        executionId: execution.executionId,
        campaignId: execution.campaignId,
        campaignName: 'Win-back November',
        runDate: execution.scheduledAt.toISOString().slice(0, 10),
        scheduledAt: execution.scheduledAt.toISOString(),
        group: { groupId: group.groupId, kind: group.kind, name: group.name, ...(group.templateMessageId ? { templateMessageId: group.templateMessageId } : {}) },
        chunkIndex,
        chunkCount,
        groupSize: group.customerIds.length,
        customerIds: group.customerIds.slice(chunkIndex * chunkSize, (chunkIndex + 1) * chunkSize),
      }));
    });
  }

  /** Publishes chunks as raw CloudEvents, the way any other system may (no outbox of ours). */
  async publish(chunks: readonly ListsGeneratedV1[]): Promise<void> {
    for (const data of chunks) {
      const event = { specversion: '1.0', id: randomUUID(), type: 'lists.generated.v1', source: '/test', time: new Date().toISOString(), datacontenttype: 'application/json', data };
      this.channel.publish(this.broker.exchange, 'lists.generated.v1', Buffer.from(JSON.stringify(event)), { persistent: true, contentType: 'application/cloudevents+json' });
    }
    await this.channel.waitForConfirms();
  }

  async waitForOutcomes(execution: Execution, timeoutMs = 30_000): Promise<void> {
    const variants = execution.groups.filter((group) => group.kind === 'variant').map((group) => group.groupId);
    await waitFor(
      () => variants.every((groupId) => this.scheduled.some((e) => e.groupId === groupId) || this.failed.some((e) => e.groupId === groupId)),
      { timeoutMs, intervalMs: 100, what: `every variant of execution ${execution.executionId} to be scheduled or failed` },
    );
  }

  /** The simulator's campaigns for one group (by the deterministic name). */
  async campaignsOf(executionId: string, groupId: string): Promise<SimulatorCampaign[]> {
    const result = await this.db.query<SimulatorCampaign>(
      `SELECT campaign_id::text AS id, name, status, message_id::text AS "messageId", segment_id::text AS "segmentId", send_date AS "sendDate"
         FROM simulator.campaign WHERE name = $1`,
      [`dispatch_${executionId}_${groupId}`],
    );
    return result.rows;
  }

  /** The customer ids a segment's criteria name (each once). */
  async segmentValues(segmentId: string): Promise<string[]> {
    const result = await this.db.query<{ value: string }>(
      `SELECT DISTINCT v.value FROM simulator.segment_criterion c JOIN simulator.segment_criterion_value v USING (criterion_id) WHERE c.segment_id = $1`,
      [segmentId],
    );
    return result.rows.map((row) => row.value).sort();
  }

  /** Members the segment selects, by customer id (dispatch's criteria are EQUALS_CASE_SENSITIVE). */
  async segmentMembers(segmentId: string): Promise<string[]> {
    const result = await this.db.query<{ id: string }>(
      `SELECT DISTINCT m.customer_id AS id FROM simulator.member m
         JOIN simulator.segment_criterion_value v ON m.customer_id = v.value
         JOIN simulator.segment_criterion c USING (criterion_id) WHERE c.segment_id = $1`,
      [segmentId],
    );
    return result.rows.map((row) => row.id).sort();
  }

  async count(sql: string, values: unknown[] = []): Promise<number> {
    const result = await this.db.query<{ count: number }>(sql, values);
    return result.rows[0].count;
  }
}

/** Customer ids `<prefix>000001`... as the simulator's memberCsv names them. */
export function customerIds(count: number, prefix = 'C', start = 1): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(start + index).padStart(6, '0')}`);
}

export function newExecution(scheduledAt: Date, groups: Omit<Group, 'groupId'>[]): Execution {
  return { executionId: randomUUID(), campaignId: randomUUID(), scheduledAt, groups: groups.map((group) => ({ ...group, groupId: randomUUID() })) };
}

/** A deterministic shuffle (tests must not be flaky). */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}
