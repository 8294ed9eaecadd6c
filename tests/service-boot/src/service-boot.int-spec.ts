import { DEFAULT_RETRY_DELAYS_MS } from '@optimove/messaging';
import { APP_NAMES, createTestBroker, createTestDatabase, freePort, spawnApp, testServiceQueues, waitFor, type TestBroker, type TestDatabase } from '@optimove/testing';

// Boots every app as operators run it: the built `main.js` as its own process, configured only
// through the environment. Needs `nx run-many -t build` first (the test target depends on it).

const TOKEN = 'boot-test-token-0123456789';

describe.each(APP_NAMES)('the %s app', (app) => {
  let database: TestDatabase;
  let broker: TestBroker;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(`boot_${app}`);
    broker = createTestBroker(`boot-${app}`);
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      API_TOKEN: TOKEN,
      DATABASE_URL: database.url,
      AMQP_URL: broker.amqpUrl,
      EVENTS_EXCHANGE: broker.exchange,
      AMQP_QUEUE_PREFIX: broker.queuePrefix,
      HTTP_PORT: String(await freePort()),
      // Dispatch and metrics-collector need SmartFocus credentials to boot; they open no session
      // until they have work, so no SmartFocus needs to answer here.
      SMARTFOCUS_LOGIN: 'boot-login',
      SMARTFOCUS_PASSWORD: 'boot-password',
      SMARTFOCUS_API_KEY: 'boot-api-key',
    };
  });

  afterAll(async () => {
    // The queues the app declared, if it consumes events (configured by the environment alone, it keeps the default retry delays).
    await broker?.cleanup(testServiceQueues(broker.queuePrefix, app, DEFAULT_RETRY_DELAYS_MS));
    await database?.drop();
  });

  it('should migrate, serve health, metrics and docs, and stop cleanly on SIGTERM', async () => {
    const migrate = await spawnApp(app, env, ['migrate']).exit;
    expect(migrate).toMatchObject({ code: 0 });
    expect(migrate.stdout).toMatch(/"msg":"Migrations applied"/);

    const { child, exit } = spawnApp(app, env);
    const base = `http://127.0.0.1:${env['HTTP_PORT']}`;
    await waitFor(async () => (await fetch(`${base}/health/ready`)).ok, { timeoutMs: 30_000, what: `${app} to be ready` });

    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const docs = (await (await fetch(`${base}/docs-json`)).json()) as { info: { title: string }; paths: Record<string, unknown> };
    expect(docs.info.title).toBe(app);
    expect(docs.paths).toHaveProperty(['/health/ready']);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(`process_cpu_seconds_total{service="${app}"}`);
    expect(metrics).toContain('http_request_duration_seconds_bucket');

    // Production HTTP defaults (libs/app-runtime): security headers, no X-Powered-By, request ids
    // taken from the caller or made up and echoed, JSON bodies over HTTP_BODY_LIMIT_BYTES refused.
    const traced = await fetch(`${base}/docs-json`, { headers: { 'X-Request-Id': `boot-${app}-request` } });
    expect(traced.headers.get('x-request-id')).toBe(`boot-${app}-request`);
    expect(traced.headers.get('x-powered-by')).toBeNull();
    // Idle connections are left for the client to close (65 s, above undici's 4 s and balancers' 60 s).
    expect(traced.headers.get('keep-alive')).toBe('timeout=65');
    expect(traced.headers.get('x-content-type-options')).toBe('nosniff');
    expect(traced.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(traced.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(traced.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const generated = await fetch(`${base}/health/live`, { headers: { 'X-Request-Id': 'not a sane id' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const oversized = await fetch(`${base}/no-such-route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
    });
    expect(oversized.status).toBe(413);
    expect(oversized.headers.get('x-request-id')).toBeTruthy();

    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const result = await exit;
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(result.code === 0 || result.signal === 'SIGTERM').toBe(true);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { level: string; service: string });
    expect(lines.every((line) => line.service === app)).toBe(true);
    expect(lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
    expect(result.stdout).not.toContain(TOKEN);
    const accessLog = result.stdout.split('\n').find((line) => line.includes(`"id":"boot-${app}-request"`));
    expect(accessLog).toBeDefined();
  });

  it('should validate its configuration and exit with check-config', async () => {
    // (An invalid configuration fails every command alike: see the test below.)
    const result = await spawnApp(app, env, ['check-config']).exit;

    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(`${app}: configuration valid`);
  });

  it('should check the arguments of the dead-letter re-drive command', async () => {
    const result = await spawnApp(app, env, ['redrive-dead-letters', '--reason', 'whatever']).exit;

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      app === 'smartfocus-simulator' || app === 'console' ? /consumes no events/ : /--reason must be one of unparseable, invalid-payload, no-handler, handler-failed/,
    );
  });

  it('should refuse to boot and name the variables when the configuration is invalid', async () => {
    const { exit } = spawnApp(app, { ...env, HTTP_PORT: 'eighty', API_TOKEN: 'short' });

    const result = await exit;

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration/);
    expect(result.stderr).toMatch(/HTTP_PORT: .*got "eighty"/);
    expect(result.stderr).toMatch(/API_TOKEN: .*got <redacted>/);
  });
});
