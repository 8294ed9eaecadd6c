import bcrypt from 'bcryptjs';
import { linesWithStack, startConsoleInProcess, type ConsoleInProcess } from '../../test/console-in-process';

// Sign-in and the session cookie as a script or a browser meets them over HTTP: the console in
// this process against a real PostgreSQL (no other service, no browser), with at most 3 failures
// per user name.

const PASSWORD = 'the right password, long enough';
const MAX_FAILURES = 3;

jest.setTimeout(120_000);

describe('the session API over HTTP', () => {
  let consoleApp: ConsoleInProcess;

  beforeAll(async () => {
    // bob's hash costs what production's do (12): a comparison takes long enough that a burst's
    // three requests are surely all in flight together.
    const users = [`alice:${bcrypt.hashSync(PASSWORD, 10)}`, `bob:${bcrypt.hashSync(PASSWORD, 12)}`, `carol:${bcrypt.hashSync(PASSWORD, 10)}`];
    consoleApp = await startConsoleInProcess('console_session', { CONSOLE_USERS: users.join(','), CONSOLE_SIGN_IN_MAX_FAILURES: String(MAX_FAILURES) });
  }, 120_000);

  afterAll(async () => {
    await consoleApp?.close();
  });

  async function signIn(userName: string, password: string): Promise<number> {
    const response = await fetch(`${consoleApp.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName, password }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  const tally = (statuses: number[]): Record<number, number> => statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

  it('should check at most the configured number of guesses when 30 wrong passwords arrive at once', async () => {
    const statuses = await Promise.all(Array.from({ length: 30 }, () => signIn('alice', 'a wrong guess')));

    // 401: the guess was compared with the password; 429: refused before any comparison.
    expect(tally(statuses)).toEqual({ 401: MAX_FAILURES, 429: 30 - MAX_FAILURES });
    expect(await signIn('alice', PASSWORD)).toBe(429);
  });

  it('should keep the failures made beside a right password when a burst holds one', async () => {
    const statuses = await Promise.all([signIn('bob', 'first wrong guess'), signIn('bob', 'second wrong guess'), signIn('bob', PASSWORD)]);
    expect(statuses.sort()).toEqual([200, 401, 401]);

    // The two failures of the burst still count: one more guess, then the name is refused.
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await signIn('bob', `later guess ${i}`));
    expect(after).toEqual([401, 429, 429]);
  });

  it('should forget the failures made before a right password', async () => {
    expect([await signIn('carol', 'typo one'), await signIn('carol', 'typo two')]).toEqual([401, 401]);
    expect(await signIn('carol', PASSWORD)).toBe(200);

    const after = [];
    for (let i = 0; i < 4; i++) after.push(await signIn('carol', `later typo ${i}`));
    expect(after).toEqual([401, 401, 401, 429]);
  });

  it("should compare an unknown user name's password against a hash as costly as the costliest user's, so both answers take as long", async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    try {
      expect(await signIn('mallory', 'a guess')).toBe(401);
      const [, hash] = compare.mock.calls.at(-1) as [string, string];
      expect(bcrypt.getRounds(hash)).toBe(12);
    } finally {
      compare.mockRestore();
    }
  });

  it('should answer 401 without a stack in the log when the session cookie is not valid percent-encoding', async () => {
    const response = await fetch(`${consoleApp.baseUrl}/api/session`, { headers: { cookie: 'console_session=%E0%A4%A' } });

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Sign in first' });
    expect(linesWithStack(consoleApp.logs)).toEqual([]);
  });
});
