import bcrypt from 'bcryptjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SyntheticRetailer, csvText, customersCsv, transactionsCsv } from '@optimove/synthetic-retailer';
import { createTestBroker, createTestDatabase, freePort, startAppProcess, testServiceEnv, type AppProcess, type TestBroker, type TestDatabase } from '@optimove/testing';
import { launchChromium, screenshot } from '../test/browser';

// The console as a marketer meets it: real Chromium (Debian's, headless, driven by
// playwright-core) against the built console and the services it needs, each its own process.
// Needs `npx nx run-many -t build` first.

const PASSWORD = 'a long enough password';
const API_TOKEN = 'console-browser-test-token-0123';
const TODAY = new Date().toISOString().slice(0, 10);
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

// Each test drives a real browser; on a loaded machine a step can take seconds.
jest.setTimeout(120_000);

describe('the console in a browser', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let profileImport: AppProcess;
  let segmentation: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('console_browser');
    broker = createTestBroker('console-browser');
    const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix }, { API_TOKEN });
    delete env['HTTP_PORT'];
    const [profileImportPort, segmentationPort] = (await Promise.all([freePort(), freePort()])).map(String);
    const ready = { readyTimeoutMs: 120_000 };
    // segmentation reads profile-import's views: profile-import's migrations come first.
    // IMPORT_MAX_REJECTED_PERCENT: a third of the upload test's rows is bad on purpose.
    profileImport = await startAppProcess('profile-import', { ...env, HTTP_PORT: profileImportPort, IMPORT_MAX_REJECTED_PERCENT: '50' }, ready);
    [segmentation, consoleApp, browser] = await Promise.all([
      startAppProcess('segmentation', { ...env, HTTP_PORT: segmentationPort, RUN_SCHEDULE_ENABLED: 'false' }, ready),
      startAppProcess(
        'console',
        {
          ...env,
          PROFILE_IMPORT_URL: profileImport.baseUrl,
          SEGMENTATION_URL: `http://127.0.0.1:${segmentationPort}`,
          CONSOLE_USERS: `marketer:${bcrypt.hashSync(PASSWORD, 4)}`,
          CONSOLE_SIGN_IN_MAX_FAILURES: '3',
        },
        ready,
      ),
      launchChromium(),
    ]);
    // A small retailer, imported as of yesterday, and tonight's run: the model exists.
    const retailer = new SyntheticRetailer({ seed: 'console-browser', customers: 400, asOfDate: YESTERDAY });
    const stamp = YESTERDAY.replace(/-/g, '');
    await service(profileImport, `/imports/customers?fileName=customers_${stamp}.csv`, csvText(customersCsv(retailer)), 'text/csv');
    await service(profileImport, `/imports/transactions?fileName=transactions_${stamp}.csv`, csvText(transactionsCsv(retailer.transactions())), 'text/csv');
    await service(segmentation, '/runs', JSON.stringify({ runDate: TODAY, wait: true }), 'application/json');
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([consoleApp?.stop(), segmentation?.stop(), profileImport?.stop()]);
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
    const importsBefore = await page.evaluate(async () => ((await (await fetch('/api/profile-import/imports')).json()) as { total: number }).total);

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
    const importsAfter = await page.evaluate(async () => ((await (await fetch('/api/profile-import/imports')).json()) as { total: number }).total);
    expect(importsAfter).toBe(importsBefore);
    await context.close();
  });

  it('should upload a customers file with progress and show its report and rejected rows', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('table', { name: 'Recent imports' }).waitFor();

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByLabel('File (CSV, optionally .gz)').click()]);
    await chooser.setFiles({
      name: 'customers_20261128.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('customer_id,registered_at,country\n00017,2025-01-03,DE\n00018,2025-02-11,FR\n00019,not-a-date,FR\n'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();

    // The outcome replaces the progress bar: an alert when refused, a status line when applied.
    const outcome = page.getByText(/^customers_20261128\.csv: /);
    await outcome.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`no upload outcome; the page says: ${await page.locator('main').innerText()}`, { cause: error });
    });
    expect(await outcome.innerText()).toMatch(/^customers_20261128\.csv: applied.*, 2 rows loaded, 1 rejected$/);
    const row = page.getByRole('table', { name: 'Recent imports' }).getByRole('row').nth(1);
    await expectText(row, 'customers_20261128.csv');
    await expectText(row, '2026-11-28');
    await screenshot(page, 'imports');

    await page.getByRole('button', { name: 'Details of customers_20261128.csv' }).click();
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await expectText(rejected, 'registered_at');
    await context.close();
  });

  it('should show the customer model: the stage distribution chart and the day\'s stage changers', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: 'Customer model' }).click();

    await expectText(page.getByText(/customers modelled as of/), `400 customers modelled as of ${YESTERDAY}`);
    await page.locator('.recharts-surface').first().waitFor();
    await expectText(page.getByRole('heading', { name: 'Stage changers of the day' }), 'Stage changers');
    await page.getByText(/customers changed stage on/).waitFor();
    await screenshot(page, 'customer-model');
    await context.close();
  });

  it('should build a target group in the wizard and show its live count, sample and stage breakdown', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: 'Run campaign' }).click();
    await page.getByLabel('Name of the new target group').fill('Active customers');

    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Condition 1: field', { exact: true }).fill('lifecycle_stage');
    await page.getByRole('option', { name: 'lifecycle_stage', exact: true }).click();
    await page.getByLabel('Condition 1: operator', { exact: true }).click();
    await page.getByRole('option', { name: 'is not', exact: true }).click();
    await page.getByLabel('Condition 1: value', { exact: true }).click();
    await page.getByRole('option', { name: 'prospect', exact: true }).click();

    const count = page.getByLabel('Matching customers');
    await count.waitFor({ timeout: 30_000 });
    expect(Number((await count.innerText()).replace(/\D/g, ''))).toBeGreaterThan(0);
    await screenshot(page, 'run-campaign-target-group');
    await context.close();
  });

  it('should show tonight\'s run and compute a dry run', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: 'Nightly runs' }).click();

    await page.getByText('No campaign was due.').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: "Compute tonight's lists" }).click();
    await page.getByRole('table', { name: 'Dry run' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'nightly-runs');
    await context.close();
  });
});

/** A call straight to a service with the bearer token (test set-up, not the console). */
async function service(app: AppProcess, path: string, body: string, contentType: string): Promise<void> {
  const response = await fetch(`${app.baseUrl}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': contentType } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

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
