import { Client } from 'pg';
import { createLogger } from '@optimove/observability';
import {
  SmartFocusAuthenticationError,
  SmartFocusCircuitOpenError,
  SmartFocusClient,
  SmartFocusClientModule,
  SmartFocusTransientError,
  type SmartFocusClientSettings,
  type SmartFocusError,
} from '@optimove/smartfocus-client';
import { NestFactory } from '@nestjs/core';
import { captureLogs, createTestDatabase, memberCsv, SIMULATOR_API_KEY, SIMULATOR_PASSWORD, SimulatorAdmin, type TestDatabase } from '@optimove/testing';
import { clientSettings } from './client-settings';
import { API_TOKEN, startSimulator, type RunningSimulator } from './simulator-process';

// Failure behaviour of the client against the simulator's faults: session expiry mid-flow, the
// per-session call cap, injected 500s, dropped connections and timeouts within the retry budget,
// the circuit breaker, the concurrency limit, campaign/create never retried blindly, and no
// password or token in any log line or error message.

describe('SmartFocus client resilience against the simulator (contract)', () => {
  let database: TestDatabase;
  let simulator: RunningSimulator;
  let admin: SimulatorAdmin;
  let db: Client;
  const clientLogs = captureLogs();
  const errors: unknown[] = [];
  const clients: SmartFocusClient[] = [];

  function newClient(overrides: Partial<SmartFocusClientSettings> = {}): SmartFocusClient {
    const client = new SmartFocusClient(
      clientSettings(simulator.baseUrl, overrides),
      createLogger({ service: 'dispatch-test', level: 'debug', destination: clientLogs.stream }),
    );
    clients.push(client);
    return client;
  }

  async function failure(promise: Promise<unknown>): Promise<SmartFocusError> {
    const error = await promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (caught: unknown) => caught,
    );
    errors.push(error);
    return error as SmartFocusError;
  }

  beforeAll(async () => {
    database = await createTestDatabase('sf_resilience');
    simulator = await startSimulator(database.url);
    admin = new SimulatorAdmin(simulator.baseUrl, API_TOKEN);
    db = new Client({ connectionString: database.url });
    await db.connect();
    await admin.loadMembersCsv(memberCsv(300));
  });

  afterEach(async () => {
    await admin.resetFaults();
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await db?.end();
    await simulator?.stop();
    await database?.drop();
  });

  async function sessionsClosedFor(reason: string): Promise<number> {
    const rows = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM simulator.session WHERE closed_reason = $1', [reason]);
    return rows.rows[0].count;
  }

  it('should re-open the session once when it expires in the middle of a flow', async () => {
    const client = newClient();
    const [template] = (await admin.seedTemplates([{ name: 'optimove_expiry', subject: 'S', body: 'B' }])).messages;
    const messageId = await client.messages.clone(Number(template.id), 'expiry clone');
    const segmentId = await client.segments.create({ name: 'expiry' });
    await client.segments.addCustomerIdCriteria(segmentId, ['C000001', 'C000002', 'C000003']);

    expect((await admin.expireSessions()).expired).toBeGreaterThanOrEqual(1);
    // The flow goes on: each module's next call is refused, the client re-opens and repeats it.
    await client.segments.addCustomerIdCriteria(segmentId, ['C000004']);
    const { id } = await client.campaigns.create({ name: 'expiry campaign', sendDate: new Date('2030-01-01T00:00:00Z'), messageId, segmentId });
    expect(await client.campaigns.post(id)).toBe(true);
    expect(await client.segments.count(segmentId)).toBe(4);
    expect(await sessionsClosedFor('forced-expiry')).toBeGreaterThanOrEqual(1);
    expect(clientLogs.text()).toContain('SmartFocus session refused; re-opening');
  });

  it('should survive the per-session call cap by opening new sessions', async () => {
    await admin.setFaults({ sessionCallCap: 3 });
    const client = newClient();
    const before = await sessionsClosedFor('call-cap');
    const segmentId = await client.segments.create({ name: 'call cap' });
    for (let call = 0; call < 10; call++) expect((await client.segments.get(segmentId)).id).toBe(segmentId);
    expect((await sessionsClosedFor('call-cap')) - before).toBeGreaterThanOrEqual(3);
  });

  it('should survive injected 500s and dropped connections within the retry budget', async () => {
    const client = newClient({ retryMaxAttempts: 4 });
    const segmentId = await client.segments.create({ name: 'flaky' });
    await admin.setFaults({
      operations: [
        { operation: 'segment/count', failNext: 3 },
        { operation: 'segment/get', dropNext: 3 },
        { operation: 'segment/addStringDemographic', failNext: 1, dropNext: 1 },
      ],
    });
    expect(await client.segments.count(segmentId)).toBe(300);
    expect((await client.segments.get(segmentId)).name).toBe('flaky');
    await client.segments.addCustomerIdCriteria(segmentId, ['C000010', 'C000011']);
    expect(await client.segments.count(segmentId)).toBe(2);
    const left = (await admin.faults()).operations;
    expect([left['segment/count'].failNext, left['segment/get'].dropNext, left['segment/addStringDemographic'].failNext]).toEqual([0, 0, 0]);
  });

  it('should give up with a transient error when the failures outlast the retry budget', async () => {
    const client = newClient({ retryMaxAttempts: 3 });
    const segmentId = await client.segments.create({ name: 'too flaky' });
    await admin.setFaults({ operations: [{ operation: 'segment/count', failNext: 5 }] });
    const error = await failure(client.segments.count(segmentId));
    expect(error).toBeInstanceOf(SmartFocusTransientError);
    expect(error).toMatchObject({ status: 'INTERNAL_ERROR', httpStatus: 500, operation: 'segment/count' });
    // Three attempts were made: two of the five failures are left.
    expect((await admin.faults()).operations['segment/count'].failNext).toBe(2);
  });

  it('should time out a slow request and retry it', async () => {
    const client = newClient({ requestTimeoutMs: 150, retryMaxAttempts: 2 });
    const segmentId = await client.segments.create({ name: 'slow' });
    await admin.setFaults({ operations: [{ operation: 'segment/get', latencyMs: 400 }] });
    const error = await failure(client.segments.get(segmentId));
    expect(error).toBeInstanceOf(SmartFocusTransientError);
    expect(error.message).toContain('no answer within 150 ms');
  });

  it('should never retry campaign/create blindly: after a failed answer it looks the name up', async () => {
    const client = newClient({ requestTimeoutMs: 200 });
    const [template] = (await admin.seedTemplates([{ name: 'optimove_once', subject: 'S', body: 'B' }])).messages;
    const messageId = await client.messages.clone(Number(template.id), 'once clone');
    const segmentId = await client.segments.create({ name: 'once' });
    const campaign = { name: 'exactly once', sendDate: new Date('2030-01-01T00:00:00Z'), messageId, segmentId };

    // The simulator answers 500: nothing was created, the lookup finds nothing, the error surfaces.
    await admin.setFaults({ operations: [{ operation: 'campaign/create', failNext: 1 }] });
    expect(await failure(client.campaigns.create(campaign))).toBeInstanceOf(SmartFocusTransientError);
    expect(await client.campaigns.findByName('exactly once')).toBeUndefined();

    // The answer is lost (timeout) but the campaign is made: the next attempt finds it by name.
    await admin.setFaults({ operations: [{ operation: 'campaign/create', latencyMs: 500 }] });
    expect(await failure(client.campaigns.create(campaign))).toBeInstanceOf(SmartFocusTransientError);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await client.campaigns.create(campaign);
    expect(again.created).toBe(false);
    const rows = await db.query<{ count: number }>("SELECT count(*)::int AS count FROM simulator.campaign WHERE name = 'exactly once'");
    expect(rows.rows[0].count).toBe(1);
  });

  it('should open the circuit after repeated transient failures and close it once SmartFocus recovers', async () => {
    const client = newClient({ retryMaxAttempts: 1, circuitBreakerThreshold: 3, circuitBreakerHalfOpenAfterMs: 200 });
    const segmentId = await client.segments.create({ name: 'breaker' });
    await admin.setFaults({ operations: [{ operation: 'segment/get', errorRate: 1 }] });
    for (let call = 0; call < 3; call++) expect(await failure(client.segments.get(segmentId))).toBeInstanceOf(SmartFocusTransientError);
    const refused = await failure(client.segments.get(segmentId));
    expect(refused).toBeInstanceOf(SmartFocusCircuitOpenError);
    expect(refused.retryable).toBe(true);
    await admin.resetFaults();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await client.segments.get(segmentId)).id).toBe(segmentId);
  });

  it('should keep at most the configured number of requests in flight', async () => {
    const client = newClient({ maxConcurrency: 2 });
    const segmentId = await client.segments.create({ name: 'concurrency' });
    await admin.setFaults({ operations: [{ operation: 'segment/get', latencyMs: 150 }] });
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => client.segments.get(segmentId)));
    // Six calls of 150 ms, two at a time: three waves.
    expect(performance.now() - started).toBeGreaterThanOrEqual(440);
  });

  it('should refuse bad credentials as an authentication error', async () => {
    const client = newClient({ password: 'wrong-password-123' });
    expect(await failure(client.open('apiccmd'))).toBeInstanceOf(SmartFocusAuthenticationError);
    const error = await failure(client.segments.list(1, 10));
    expect(error).toBeInstanceOf(SmartFocusAuthenticationError);
    expect(error.status).toBe('OPEN_CONNECTION_FAILED');
  });

  it('should provide the client to a Nest app and close its sessions on shutdown', async () => {
    const app = await NestFactory.createApplicationContext(
      SmartFocusClientModule.forRoot({ useFactory: () => clientSettings(simulator.baseUrl) }),
      { logger: false },
    );
    const client = app.get(SmartFocusClient);
    await client.segments.list(1, 1);
    const open = async (): Promise<number> =>
      (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM simulator.session WHERE closed_at IS NULL')).rows[0].count;
    const before = await open();
    await app.close();
    expect(await open()).toBe(before - 1);
  });

  it('should never put the password, the API key or a session token in a log line or an error message', async () => {
    const tokens = (await db.query<{ token: string }>('SELECT token FROM simulator.session')).rows.map((row) => row.token);
    expect(tokens.length).toBeGreaterThan(5);
    const secrets = [SIMULATOR_PASSWORD, encodeURIComponent(SIMULATOR_PASSWORD), SIMULATOR_API_KEY, ...tokens];
    const errorText = errors.map((error) => `${String(error)}\n${(error as Error).stack ?? ''}\n${JSON.stringify(error)}`).join('\n');
    expect(errors.length).toBeGreaterThan(5);
    expect(clientLogs.lines().length).toBeGreaterThan(20);
    for (const [name, text] of [['client log', clientLogs.text()], ['simulator log', simulator.logs()], ['errors', errorText]] as const) {
      for (const secret of secrets) {
        if (text.includes(secret)) throw new Error(`${name} contains a secret (${secret.slice(0, 3)}...)`);
      }
    }
    // The simulator logged its SmartFocus URLs, with the credentials and tokens masked.
    expect(simulator.logs()).toContain('connect/open/[redacted]');
  });
});
