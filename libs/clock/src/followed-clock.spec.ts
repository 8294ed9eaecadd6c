import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FollowedClock } from './followed-clock';

describe(FollowedClock.name, () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body: unknown };
  const seenTokens: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seenTokens.push(request.headers.authorization);
      response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/clock`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('should run ahead of the machine by the followed offset, and follow it when it moves', async () => {
    const day = 86_400_000;
    answer = { status: 200, body: { now: 'ignored', offsetMs: 3 * day } };
    const clock = await FollowedClock.start({ url, token: 'secret-token', pollMs: 20 });
    try {
      expect(Math.abs(clock.now().getTime() - (Date.now() + 3 * day))).toBeLessThan(1_000);

      answer = { status: 200, body: { offsetMs: 10 * day } };
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(Math.abs(clock.now().getTime() - (Date.now() + 10 * day))).toBeLessThan(1_000);
      expect(seenTokens.at(-1)).toBe('Bearer secret-token');
    } finally {
      clock.stop();
    }
  });

  it('should keep the last offset and tell once while the followed clock fails', async () => {
    answer = { status: 200, body: { offsetMs: 60_000 } };
    const errors: string[] = [];
    const clock = await FollowedClock.start({ url, token: 't', pollMs: 10, onError: (error) => errors.push(error.message) });
    try {
      answer = { status: 503, body: {} };
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(Math.abs(clock.now().getTime() - (Date.now() + 60_000))).toBeLessThan(1_000);
      expect(errors).toEqual([`${url} answered 503`]);
    } finally {
      clock.stop();
    }
  });

  it('should refuse to start when the followed clock never gives an offset', async () => {
    answer = { status: 200, body: { now: '2026-12-01T00:00:00Z' } };

    await expect(FollowedClock.start({ url, token: 't', startTimeoutMs: 300 })).rejects.toThrow(
      `The clock to follow at ${url} did not answer within 300 ms: ${url} gave no numeric offsetMs`,
    );
  });
});
