import { createServer, type Server, type ServerResponse } from 'node:http';
import bcrypt from 'bcryptjs';
import { freePort } from '@optimove/testing';
import { linesWithStack, startConsoleInProcess, type ConsoleInProcess } from '../../test/console-in-process';

// The gateway against a stand-in for segmentation: a tiny HTTP server of this test that answers
// /runs at once, never answers /model/changers, and for /model sends its headers in time and then
// never its body. The console runs in this process against a real PostgreSQL.

const PASSWORD = 'the right password, long enough';
const TIMEOUT_MS = 500;

jest.setTimeout(60_000);

describe('the gateway over HTTP', () => {
  let consoleApp: ConsoleInProcess;
  let segmentation: Server;
  const stalled: ServerResponse[] = [];

  beforeAll(async () => {
    const port = await freePort();
    segmentation = createServer((request, response) => {
      if (request.url === '/model/changers') {
        stalled.push(response);
        return;
      }
      if (request.url === '/model') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.flushHeaders();
        stalled.push(response);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [] }));
    });
    await new Promise<void>((resolve) => segmentation.listen(port, '127.0.0.1', resolve));

    consoleApp = await startConsoleInProcess('console_gateway', {
      CONSOLE_USERS: `marketer:${bcrypt.hashSync(PASSWORD, 4)}`,
      SEGMENTATION_URL: `http://127.0.0.1:${port}`,
      CONSOLE_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  }, 60_000);

  afterAll(async () => {
    for (const response of stalled) response.destroy();
    await consoleApp?.close();
    await new Promise((resolve) => segmentation?.close(resolve));
  });

  async function signedInCookie(): Promise<string> {
    const response = await fetch(`${consoleApp.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'marketer', password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    return response.headers.get('set-cookie')!.split(';')[0];
  }

  it('should forward an answer that comes in time', async () => {
    const response = await fetch(`${consoleApp.baseUrl}/api/segmentation/runs`, { headers: { cookie: await signedInCookie() } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [] });
  });

  it('should answer 504 when a service does not answer in time', async () => {
    const response = await fetch(`${consoleApp.baseUrl}/api/segmentation/model/changers`, { headers: { cookie: await signedInCookie() } });

    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ message: 'segmentation did not answer in time' });
  });

  it('should answer 504 without a stack in the log when a service sends its headers in time but not its body', async () => {
    const response = await fetch(`${consoleApp.baseUrl}/api/segmentation/model`, { headers: { cookie: await signedInCookie() } });

    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ message: 'segmentation did not answer in time' });
    expect(linesWithStack(consoleApp.logs)).toEqual([]);
    expect(consoleApp.logs.lines()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'Service did not answer in time', path: '/model' }));
  });
});
