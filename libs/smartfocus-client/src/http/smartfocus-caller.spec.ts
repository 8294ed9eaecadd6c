import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@optimove/observability';
import { SmartFocusClient } from '../smartfocus-client';
import type { SmartFocusClientSettings } from '../smartfocus-client.config';
import { SmartFocusProtocolError, SmartFocusTransientError } from '../errors/smartfocus-errors';

// The client against a scripted HTTP server: answers the simulator never gives (HTML, truncated
// XML, a gateway error without an envelope) become typed errors, retried only when transient.

type Reply = { status: number; body: string };

const OPEN = '<response responseStatus="success"><result>token-0123456789</result></response>';

describe('SmartFocusCaller against unexpected answers', () => {
  let server: Server;
  let settings: SmartFocusClientSettings;
  const replies: Reply[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const path = request.url ?? '';
      requests.push(path.includes('connect/open') ? 'connect/open' : path.split('/').slice(4, 6).join('/'));
      const reply = path.includes('connect/open') ? { status: 200, body: OPEN } : (replies.shift() ?? { status: 200, body: '<response responseStatus="success"><result>1</result></response>' });
      response.writeHead(reply.status, { 'Content-Type': 'application/xml' }).end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    settings = {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      login: 'login',
      password: 'password-xyz',
      apiKey: 'key-123456',
      requestTimeoutMs: 1_000,
      retryMaxAttempts: 3,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 5,
      maxConcurrency: 2,
      circuitBreakerThreshold: 100,
      circuitBreakerHalfOpenAfterMs: 1_000,
      criteriaValuesCap: 2,
      timeZone: 'UTC',
    };
  });

  beforeEach(() => {
    replies.length = 0;
    requests.length = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (overrides: Partial<SmartFocusClientSettings> = {}): SmartFocusClient =>
    new SmartFocusClient({ ...settings, ...overrides }, createLogger({ service: 'test', level: 'silent' }));

  it('should raise a protocol error, without retrying, for HTML or truncated XML on a 200', async () => {
    replies.push({ status: 200, body: '<html><body>maintenance</body></html>' });
    await expect(client().campaigns.status(5)).rejects.toBeInstanceOf(SmartFocusProtocolError);
    expect(requests).toEqual(['connect/open', 'campaign/getStatus']);

    requests.length = 0;
    replies.push({ status: 200, body: '<response responseStatus="success"><result>RUNN' });
    await expect(client().campaigns.status(5)).rejects.toBeInstanceOf(SmartFocusProtocolError);
    expect(requests).toEqual(['connect/open', 'campaign/getStatus']);
  });

  it('should raise a protocol error for a well-formed answer of the wrong shape', async () => {
    replies.push({ status: 200, body: '<response responseStatus="success"><result>SLEEPING</result></response>' });
    await expect(client().campaigns.status(5)).rejects.toThrow(/unknown status/);
  });

  it('should retry a gateway error without an envelope and succeed', async () => {
    replies.push({ status: 502, body: '<html>Bad gateway</html>' }, { status: 503, body: '' });
    replies.push({ status: 200, body: '<response responseStatus="success"><result>Queued</result></response>' });
    expect(await client().campaigns.status(5)).toBe('QUEUED');
    expect(requests.filter((request) => request === 'campaign/getStatus')).toHaveLength(3);
  });

  it('should stop adding criteria after a chunk fails for good', async () => {
    replies.push({ status: 200, body: '<response responseStatus="success"><result>true</result></response>' });
    replies.push(...Array.from({ length: 3 }, () => ({ status: 502, body: '' })));
    const error = await client({ maxConcurrency: 1 })
      .segments.addCustomerIdCriteria(7, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmartFocusTransientError);
    // The first chunk went in, the second used its 3 attempts, the other three were never sent.
    expect(requests.filter((request) => request === 'segmentationservice/token-0123456789')).toHaveLength(4);
  });
});
