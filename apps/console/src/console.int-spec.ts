import bcrypt from 'bcryptjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestBroker, createTestDatabase, freePort, startAppProcess, testServiceEnv, type AppProcess, type TestBroker, type TestDatabase } from '@optimove/testing';
import { launchChromium, screenshot } from '../test/browser';

// The console as a marketer meets it: real Chromium (Debian's, headless, driven by
// playwright-core) against the built console and the services it needs, each its own process.
// Needs `npx nx run-many -t build` first.

const PASSWORD = 'a long enough password';
const API_TOKEN = 'console-browser-test-token-0123';

describe('the console in a browser', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let profileImport: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('console_browser');
    broker = createTestBroker('console-browser');
    const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix }, { API_TOKEN });
    delete env['HTTP_PORT'];
    const profileImportPort = String(await freePort());
    [profileImport, consoleApp, browser] = await Promise.all([
      startAppProcess('profile-import', { ...env, HTTP_PORT: profileImportPort }, { readyTimeoutMs: 90_000 }),
      startAppProcess('console', {
        ...env,
        PROFILE_IMPORT_URL: `http://127.0.0.1:${profileImportPort}`,
        CONSOLE_USERS: `marketer:${bcrypt.hashSync(PASSWORD, 4)}`,
        CONSOLE_SIGN_IN_MAX_FAILURES: '3',
      }, { readyTimeoutMs: 90_000 }),
      launchChromium(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([consoleApp?.stop(), profileImport?.stop()]);
    await broker?.cleanup([]);
    await database?.drop();
  });

  async function signedIn(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(consoleApp.baseUrl);
    await page.getByLabel('User name').fill('marketer');
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    return { context, page };
  }

  it('should refuse a wrong password and say so on the sign-in form', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(consoleApp.baseUrl);
    await screenshot(page, 'sign-in');

    await page.getByLabel('User name').fill('marketer');
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expectText(page.getByRole('alert'), 'Wrong user name or password');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('should sign in with an HttpOnly, SameSite=Strict cookie and sign out for good', async () => {
    const { context, page } = await signedIn();
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'console_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate<string>('document.cookie')).toBe('');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // The old cookie opens nothing any more: the session ended on the server.
    const reused = await fetch(`${consoleApp.baseUrl}/api/session`, { headers: { cookie: `console_session=${cookie.value}` } });
    expect(reused.status).toBe(401);
    await context.close();
  });

  it('should refuse a write without the CSRF token or from another site, even with the session cookie', async () => {
    const { context, page } = await signedIn();

    const statuses = await page.evaluate(async () => {
      const noToken = await fetch('/api/profile-import/imports/customers', { method: 'POST', body: 'customer_id\n1\n', headers: { 'Content-Type': 'text/csv' } });
      const wrongToken = await fetch('/api/session', { method: 'DELETE', headers: { 'X-CSRF-Token': 'guessed' } });
      return [noToken.status, wrongToken.status];
    });
    expect(statuses).toEqual([403, 403]);
    const [cookie] = await context.cookies();
    const crossSite = await fetch(`${consoleApp.baseUrl}/api/session`, {
      method: 'DELETE',
      headers: { cookie: `console_session=${cookie.value}`, origin: 'https://attacker.example', 'x-csrf-token': 'anything' },
    });
    expect(crossSite.status).toBe(403);
    // Nothing happened: still signed in, and no import was made.
    const imports = await page.evaluate(async () => (await fetch('/api/profile-import/imports')).json() as Promise<{ total: number }>);
    expect(imports.total).toBe(0);
    await context.close();
  });

  it('should upload a customers file with progress and show its report and rejected rows', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: 'Imports' }).click();
    await expectText(page.getByText('No import yet.'), 'No import yet.');

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByLabel('File (CSV, optionally .gz)').click()]);
    await chooser.setFiles({
      name: 'customers_20261129.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('customer_id,registered_at,country\n00017,2025-01-03,DE\n00018,2025-02-11,FR\n00019,not-a-date,FR\n'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();

    // The outcome replaces the progress bar: an alert when refused, a status line when applied.
    const outcome = page.getByText(/^customers_20261129\.csv: /);
    await outcome.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`no upload outcome; the page says: ${await page.locator('main').innerText()}`, { cause: error });
    });
    expect(await outcome.innerText()).toMatch(/^customers_20261129\.csv: applied.*, 2 rows loaded, 1 rejected$/);
    const row = page.getByRole('table', { name: 'Recent imports' }).getByRole('row').nth(1);
    await expectText(row, 'customers_20261129.csv');
    await expectText(row, '2026-11-29');
    await screenshot(page, 'imports');

    await page.getByRole('button', { name: 'Details of customers_20261129.csv' }).click();
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await expectText(rejected, 'registered_at');
    await context.close();
  });
});

async function expectText(locator: { waitFor: (options?: { timeout?: number }) => Promise<void>; innerText: () => Promise<string> }, text: string): Promise<void> {
  await locator.waitFor({ timeout: 15_000 });
  const deadline = Date.now() + 15_000;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await locator.innerText();
    if (seen.includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected "${text}" in "${seen}"`);
}
