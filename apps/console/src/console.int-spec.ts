import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { Client } from 'pg';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SyntheticRetailer, csvText, customersCsv, membersCsv, transactionsCsv } from '@optimove/synthetic-retailer';
import {
  SIMULATOR_API_KEY,
  SIMULATOR_LOGIN,
  SIMULATOR_PASSWORD,
  SimulatorAdmin,
  createTestBroker,
  createTestDatabase,
  freePort,
  simulatorEnv,
  startAppProcess,
  testServiceEnv,
  testServiceQueues,
  waitFor,
  type AppProcess,
  type TestBroker,
  type TestDatabase,
} from '@optimove/testing';
import { launchChromium, screenshot } from '../test/browser';

// The console as a marketer meets it: real Chromium (Debian's, headless, driven by
// playwright-core) against the built console and the services it needs, each its own process:
// profile-import, segmentation, smartfocus-dispatch, metrics-collector and the SmartFocus
// simulator, over HTTP and the real broker. Needs `npx nx run-many -t build` first.

const PASSWORD = 'a long enough password';
const API_TOKEN = 'console-browser-test-token-0123';
const TODAY = new Date().toISOString().slice(0, 10);
/** Template A's HTML carries a script that would change its text: the preview must not run it. */
const SPRING_A = '[EMV HTMLPART]<h1 id="title">Spring is here</h1><script>document.getElementById("title").textContent = "script ran"</script>[EMV TEXTPART]Spring is here';
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

// Each test drives a real browser; on a loaded machine a step can take seconds.
jest.setTimeout(120_000);

describe('the console in a browser', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let profileImport: AppProcess;
  let segmentation: AppProcess;
  let simulator: AppProcess;
  let dispatch: AppProcess;
  let metricsCollector: AppProcess;
  let consoleApp: AppProcess;
  let browser: Browser;
  let simulatorAdmin: SimulatorAdmin;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase('console_browser');
    broker = createTestBroker('console-browser');
    const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix }, { API_TOKEN });
    delete env['HTTP_PORT'];
    const [segmentationPort, dispatchPort, metricsPort] = (await Promise.all([freePort(), freePort(), freePort()])).map(String);
    const ready = { readyTimeoutMs: 120_000 };
    // segmentation and metrics-collector read profile-import's views: profile-import's migrations come first.
    // IMPORT_MAX_REJECTED_PERCENT: a third of the upload test's rows is bad on purpose.
    [profileImport, simulator] = await Promise.all([
      startAppProcess('profile-import', { ...env, HTTP_PORT: String(await freePort()), IMPORT_MAX_REJECTED_PERCENT: '50' }, ready),
      startAppProcess('smartfocus-simulator', { ...env, ...simulatorEnv() }, ready),
    ]);
    simulatorAdmin = new SimulatorAdmin(simulator.baseUrl, API_TOKEN);
    const smartFocus = {
      SMARTFOCUS_BASE_URL: simulator.baseUrl,
      SMARTFOCUS_LOGIN: SIMULATOR_LOGIN,
      SMARTFOCUS_PASSWORD: SIMULATOR_PASSWORD,
      SMARTFOCUS_API_KEY: SIMULATOR_API_KEY,
      // A refused post fails the group at once (the retry test), not after minutes of backoff.
      SMARTFOCUS_RETRY_MAX_ATTEMPTS: '1',
    };
    [segmentation, dispatch, metricsCollector, consoleApp, browser] = await Promise.all([
      startAppProcess('segmentation', { ...env, HTTP_PORT: segmentationPort, RUN_SCHEDULE_ENABLED: 'false' }, ready),
      startAppProcess('smartfocus-dispatch', { ...env, ...smartFocus, HTTP_PORT: dispatchPort, DISPATCH_POLL_INTERVAL_MS: '200', DISPATCH_MAX_ATTEMPTS: '1' }, ready),
      // The send-end snapshot (day 0) is taken a minute after the send, the earliest the service allows.
      startAppProcess(
        'metrics-collector',
        {
          ...env,
          ...smartFocus,
          HTTP_PORT: metricsPort,
          COLLECTION_SEND_END_DELAY_MINUTES: '1',
          COLLECTION_POLL_INTERVAL_MS: '1000',
          COLLECTION_RETRY_INITIAL_DELAY_MS: '1000',
          COLLECTION_RETRY_MAX_DELAY_MS: '3000',
          COLLECTION_MAX_ATTEMPTS: '100',
        },
        ready,
      ),
      startAppProcess(
        'console',
        {
          ...env,
          PROFILE_IMPORT_URL: profileImport.baseUrl,
          SEGMENTATION_URL: `http://127.0.0.1:${segmentationPort}`,
          SMARTFOCUS_DISPATCH_URL: `http://127.0.0.1:${dispatchPort}`,
          METRICS_COLLECTOR_URL: `http://127.0.0.1:${metricsPort}`,
          CONSOLE_USERS: `marketer:${bcrypt.hashSync(PASSWORD, 4)}`,
          CONSOLE_SIGN_IN_MAX_FAILURES: '3',
        },
        ready,
      ),
      launchChromium(),
    ]);
    // A small retailer, imported as of yesterday, and tonight's run: the model exists. Its
    // customers are SmartFocus members (generated addresses, in the simulator only); two
    // optimove_ messages are offered to marketers, the newsletter is not.
    const retailer = new SyntheticRetailer({ seed: 'console-browser', customers: 400, asOfDate: YESTERDAY });
    const stamp = YESTERDAY.replace(/-/g, '');
    await service(profileImport, `/imports/customers?fileName=customers_${stamp}.csv`, csvText(customersCsv(retailer)), 'text/csv');
    await service(profileImport, `/imports/transactions?fileName=transactions_${stamp}.csv`, csvText(transactionsCsv(retailer.transactions())), 'text/csv');
    await service(segmentation, '/runs', JSON.stringify({ runDate: TODAY, wait: true }), 'application/json');
    await simulatorAdmin.loadMembersCsv(csvText(membersCsv(retailer)));
    await simulatorAdmin.seedTemplates([
      { name: 'optimove_spring_a', subject: 'Spring is here', body: SPRING_A },
      { name: 'optimove_spring_b', subject: 'Ten percent off', body: '[EMV HTMLPART]<h1>Ten percent off this spring</h1>[EMV TEXTPART]Ten percent off' },
      { name: 'newsletter_weekly', subject: 'News', body: '[EMV HTMLPART]<p>News</p>[EMV TEXTPART]News' },
    ]);
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await Promise.all([consoleApp?.stop(), metricsCollector?.stop(), dispatch?.stop(), segmentation?.stop(), simulator?.stop(), profileImport?.stop()]);
    await broker?.cleanup(['segmentation', 'smartfocus-dispatch', 'metrics-collector'].flatMap((app) => testServiceQueues(broker.queuePrefix, app))).catch(() => undefined);
    await database?.drop();
  });

  async function metricsApi(path: string): Promise<string> {
    return (await fetch(`${metricsCollector.baseUrl}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).text();
  }

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
    const count = await buildTargetGroup(page, 'Active customers');
    expect(Number((await count.innerText()).replace(/\D/g, ''))).toBeGreaterThan(0);
    await screenshot(page, 'run-campaign-target-group');
    await context.close();
  });

  it('should show tonight\'s run and compute a dry run', async () => {
    const { context, page } = await signedIn();
    await page.getByRole('link', { name: 'Nightly runs' }).click();

    await page.getByText('No campaign was due.').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: "Compute tonight's lists" }).click();
    await page.getByRole('table', { name: 'Dry run' }).waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`no dry run; the page says: ${await page.locator('main').innerText()}`, { cause: error });
    });
    await context.close();
  });

  // One campaign's life in the console, in order: planned in the wizard, seen in tonight's dry
  // run, run (its dispatches refused by SmartFocus, then retried from the console), bought from,
  // and read in its analysis. Each step needs the one before.
  describe('a campaign from the wizard to its analysis', () => {
    const CAMPAIGN = 'Spring sale';
    let planned = false;
    let executionId: string | undefined;

    it('should plan an A/B campaign through the whole wizard, the messages from the optimove_ drop-down with their previews in sandboxed frames, and find it in tonight\'s dry run', async () => {
      const { context, page } = await signedIn();
      await buildTargetGroup(page, 'Customers who bought');
      await page.getByRole('button', { name: 'Next' }).click();

      // Message step: only optimove_ messages are offered, served by dispatch from SmartFocus.
      await page.getByLabel('A/B test: several variants, each its own message').check();
      await page.getByLabel('Variant 1: message', { exact: true }).click();
      const offered = await page.getByRole('option').allInnerTexts();
      expect(offered.sort()).toEqual(['optimove_spring_a – Spring is here', 'optimove_spring_b – Ten percent off']);
      await page.getByRole('option', { name: 'optimove_spring_a – Spring is here' }).click();
      await page.getByLabel('Variant 2: message', { exact: true }).click();
      await page.getByRole('option', { name: 'optimove_spring_b – Ten percent off' }).click();
      await page.getByRole('combobox', { name: 'KPI that decides the A/B test' }).click();
      await page.getByRole('option', { name: 'Purchase rate' }).click();
      // The previews: the e-mails' own HTML in frames sandboxed to nothing; A's script did not run.
      const frames = page.locator('iframe[title^="Preview of message"]');
      await expectCount(frames, 2);
      expect(await Promise.all([frames.nth(0).getAttribute('sandbox'), frames.nth(1).getAttribute('sandbox')])).toEqual(['', '']);
      await expectText(frames.nth(0).contentFrame().locator('h1'), 'Spring is here');
      await expectText(frames.nth(1).contentFrame().locator('h1'), 'Ten percent off this spring');
      expect(await frames.nth(0).contentFrame().locator('h1').innerText()).toBe('Spring is here');
      await screenshot(page, 'run-campaign-message');
      await page.getByRole('button', { name: 'Next' }).click();

      // Schedule: today, at a time already past (its lists will be late and sent at once), in UTC.
      await page.getByLabel('Campaign name').fill(CAMPAIGN);
      await page.getByLabel('Send time').fill('00:00');
      await page.getByRole('combobox', { name: 'Time zone' }).fill('UTC');
      await page.getByRole('option', { name: 'UTC', exact: true }).click();
      await page.getByLabel('Control group (% held out)').fill('20');
      await page.getByRole('button', { name: 'Next' }).click();

      const summary = page.getByRole('table', { name: 'Campaign summary' });
      await expectText(summary, 'Customers who bought (new)');
      await expectText(summary, 'A: optimove_spring_a (weight 1); B: optimove_spring_b (weight 1)');
      await expectText(summary, `Once on ${TODAY} at 00:00 (UTC)`);
      await expectText(summary, '20 %');
      await screenshot(page, 'run-campaign-review');
      await page.getByRole('button', { name: 'Create campaign' }).click();
      await expectText(page.getByRole('status'), `${CAMPAIGN} is planned (active)`);

      await page.getByRole('link', { name: "See tonight's run" }).click();
      await page.getByRole('button', { name: "Compute tonight's lists" }).click();
      const dryRun = page.getByRole('table', { name: 'Dry run' }).getByRole('row', { name: new RegExp(CAMPAIGN) });
      await expectText(dryRun, 'control');
      await expectText(dryRun, 'first run');
      planned = true;
      await context.close();
    });

    it('should show tonight\'s run with the campaign\'s groups and retry its dispatches that SmartFocus refused', async () => {
      if (!planned) throw new Error('the wizard did not plan the campaign (see the test before)');
      // SmartFocus refuses every post: both variants fail (one attempt each in this test's set-up).
      await simulatorAdmin.setFaults({ operations: [{ operation: 'campaign/post', failNext: 1_000 }] });
      // The scheduler's part: the run of today again, which executes the campaign planned since.
      await service(segmentation, '/runs', JSON.stringify({ runDate: TODAY, wait: true }), 'application/json');
      const { context, page } = await signedIn();
      await page.getByRole('link', { name: 'Nightly runs' }).click();
      const section = page.getByRole('region', { name: `Campaign ${CAMPAIGN}` });
      await reloadUntil(page, section.getByRole('button', { name: 'Retry the dispatch of B' }), 60_000);
      await section.getByRole('button', { name: 'Retry the dispatch of A' }).waitFor();
      const groups = section.getByRole('table', { name: `Groups of ${CAMPAIGN}` });
      await expectText(groups.getByRole('row', { name: /^A / }), 'post-campaign: ');
      expect(await groups.getByRole('row').count()).toBe(4);

      // The retry is a write: without the session's CSRF token the console refuses it.
      const dispatchIds = await page.evaluate(async () => ((await (await fetch('/api/smartfocus-dispatch/dispatches?state=failed')).json()) as { items: { dispatchId: string }[] }).items.map((item) => item.dispatchId));
      expect(dispatchIds).toHaveLength(2);
      const refused = await page.evaluate(async (id) => (await fetch(`/api/smartfocus-dispatch/dispatches/${id}/retry`, { method: 'POST' })).status, dispatchIds[0]);
      expect(refused).toBe(403);

      await simulatorAdmin.resetFaults();
      await section.getByRole('button', { name: 'Retry the dispatch of A' }).click();
      await section.getByRole('button', { name: 'Retry the dispatch of B' }).click();
      await reloadUntil(page, groups.getByRole('row', { name: /^B .*scheduled/ }), 60_000);
      await reloadUntil(page, groups.getByRole('row', { name: /^A .*scheduled/ }), 60_000);
      await expectText(groups.getByRole('row', { name: /^control/ }), 'not sent');
      await screenshot(page, 'nightly-runs');
      executionId = /\/executions\/([^/]+)\/analysis/.exec((await section.getByRole('link', { name: 'Analysis of this execution' }).getAttribute('href')) ?? '')![1];
      await context.close();
    });

    it('should read the campaign\'s analysis: groups, uplift with its interval, p-value and verdict, the A/B winner, the sample-ratio check, the funnel and the CSV', async () => {
      if (!executionId) throw new Error('the campaign was not run and dispatched (see the test before)');
      // Two days of engagement on SmartFocus's clock: the send-end snapshot will show opens and clicks.
      await simulatorAdmin.advanceClock({ days: 2 });
      // Purchases after the send, planted: half of A's customers buy, a fifth of B's, a tenth of the control group's.
      const members = await waitFor(
        async () => {
          const { rows } = await db.query<{ name: string; customer_id: string }>(
            `SELECT g.name, m.customer_id FROM metrics.group_member m JOIN metrics.execution_group g USING (execution_id, group_id)
             WHERE m.execution_id = $1 ORDER BY m.customer_id`,
            [executionId],
          );
          return rows.length > 0 && new Set(rows.map((row) => row.name)).size === 3 ? rows : undefined;
        },
        { what: 'the groups recorded by metrics-collector', timeoutMs: 30_000 },
      );
      const share: Record<string, number> = { A: 2, B: 5, control: 10 };
      const seen: Record<string, number> = {};
      const sizes: Record<string, number> = {};
      for (const member of members) sizes[member.name] = (sizes[member.name] ?? 0) + 1;
      const rate = (name: string) => Math.floor(sizes[name] / share[name]) / sizes[name];
      const percent = (value: number) => `${(value * 100).toFixed(2)} %`;
      const boughtAt = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const purchases = members
        .filter((member) => (seen[member.name] = (seen[member.name] ?? 0) + 1) % share[member.name] === 0)
        .map((member, index) => `P-${index},${member.customer_id},${boughtAt},40.00,EUR`);
      await service(profileImport, `/imports/transactions?fileName=transactions_${TODAY.replace(/-/g, '')}.csv`, ['transaction_id,customer_id,occurred_at,amount,currency', ...purchases].join('\n') + '\n', 'text/csv');

      const { context, page } = await signedIn();
      await page.getByRole('link', { name: 'Campaigns' }).click();
      await expectText(page.getByRole('table', { name: 'Campaigns' }).getByRole('row', { name: new RegExp(CAMPAIGN) }), 'A, B (Purchase rate)');
      await screenshot(page, 'campaigns');
      await page.getByRole('link', { name: `Analysis of ${CAMPAIGN}` }).click();

      await expectText(page.getByRole('heading', { level: 2 }), `Campaign analysis: ${CAMPAIGN}`);
      const groups = page.getByRole('table', { name: 'Groups' });
      await expectText(groups.getByRole('row', { name: /^A / }), `\t${sizes['A']}\t`);
      await expectText(groups.getByRole('row', { name: /^A / }), percent(rate('A')));
      await expectText(groups.getByRole('row', { name: /^B / }), percent(rate('B')));
      await expectText(groups.getByRole('row', { name: /^control/ }), percent(rate('control')));
      await page.getByRole('radiogroup', { name: 'Measure' }).getByText('Purchase rate', { exact: true }).click();
      const uplift = page.getByRole('table', { name: 'Uplift in purchase rate' });
      const upliftOfA = uplift.getByRole('row', { name: /^A / });
      // Difference, its 95 % interval, the p-value and the verdict, while the action duration runs.
      await expectText(upliftOfA, percent(rate('A') - rate('control')));
      expect(await upliftOfA.innerText()).toMatch(/\d+\.\d\d % to \d+\.\d\d %/);
      expect(await upliftOfA.innerText()).toMatch(/< 0\.001|0\.0\d\d/);
      await expectText(upliftOfA, 'The campaign raised purchase rate so far');
      await page.getByRole('img', { name: /Difference in purchase rate per variant against control, with its 95 % interval/ }).waitFor();
      await expectText(page.getByRole('region', { name: 'A/B test and checks' }), 'A/B winner on purchase rate: A');
      await expectText(page.getByRole('region', { name: 'A/B test and checks' }), "The groups' sizes match the plan");

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
      const csv = readFileSync(await download.path(), 'utf8');
      expect(csv.split(/\r?\n/)[0]).toBe('section,group,name,field,value');
      expect(csv).toContain(`analysis,,${CAMPAIGN},state,ok`);

      // The send-end snapshot comes a minute after the send (SmartFocus's figures two days on, by
      // its clock): then the funnel per variant and the figures over the week are drawn.
      await expectText(page.getByRole('region', { name: 'E-mail funnel per variant' }), 'No SmartFocus figures yet');
      await reloadUntil(page, page.getByRole('region', { name: 'E-mail funnel per variant' }).locator('.recharts-surface'), 90_000, () => metricsApi(`/executions/${executionId}/snapshots`));
      const funnel = await page.evaluate(
        async (path) => ((await (await fetch(path)).json()) as { groups: { name: string; funnel: { sent: number; opens: number; clicks: number }[] }[] }).groups.map((group) => ({ name: group.name, latest: group.funnel.at(-1) })),
        `/api/metrics-collector/executions/${executionId}/analysis`,
      );
      const latestOfA = funnel.find((group) => group.name === 'A')?.latest;
      // SmartFocus sends to the members its segment matched (a few are filtered): most of the group.
      expect(latestOfA?.sent).toBeGreaterThan(sizes['A'] * 0.8);
      expect(latestOfA?.sent).toBeLessThanOrEqual(sizes['A']);
      expect(latestOfA?.opens).toBeGreaterThan(0);
      await screenshot(page, 'campaign-analysis');

      // The same send alone, as the nightly runs page links it: its groups are the execution's own.
      await page.goto(`${consoleApp.baseUrl}/executions/${executionId}/analysis`);
      await expectText(page.getByText(/^One execution/), 'One execution (one send date).');
      await expectText(page.getByRole('table', { name: 'Groups' }).getByRole('row', { name: /^A / }), percent(rate('A')));
      await expectText(page.getByRole('region', { name: 'A/B test and checks' }), 'A/B winner on purchase rate: A');
      await context.close();
    }, 180_000);
  });
});

/** A call straight to a service with the bearer token (test set-up, not the console). */
async function service(app: AppProcess, path: string, body: string, contentType: string): Promise<void> {
  const response = await fetch(`${app.baseUrl}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': contentType } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

/**
 * The wizard's first step: a new target group "lifecycle stage is not prospect", built in the
 * rule builder; answers the live count once it shows.
 */
async function buildTargetGroup(page: Page, name: string): Promise<Locator> {
  await page.getByRole('link', { name: 'Run campaign' }).click();
  await page.getByLabel('Name of the new target group').fill(name);
  await page.getByRole('button', { name: 'Add condition' }).click();
  await page.getByLabel('Condition 1: field', { exact: true }).fill('lifecycle_stage');
  await page.getByRole('option', { name: 'lifecycle_stage', exact: true }).click();
  await page.getByLabel('Condition 1: operator', { exact: true }).click();
  await page.getByRole('option', { name: 'is not', exact: true }).click();
  await page.getByLabel('Condition 1: value', { exact: true }).click();
  await page.getByRole('option', { name: 'prospect', exact: true }).click();
  const count = page.getByLabel('Matching customers');
  await count.waitFor({ timeout: 30_000 });
  return count;
}

/**
 * Reloads the page until the locator shows (the pages poll every 15 s; a test need not wait that
 * long); `explain` adds what a service says to the failure.
 */
async function reloadUntil(page: Page, locator: Locator, timeoutMs: number, explain?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await locator.waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`still not shown after ${timeoutMs} ms; the page says: ${await page.locator('main').innerText()}${explain ? `\n${await explain()}` : ''}`, { cause: error });
      }
      await page.reload();
    }
  }
}

async function expectCount(locator: Locator, count: number): Promise<void> {
  await waitFor(async () => (await locator.count()) === count, { timeoutMs: 15_000, what: `${count} of ${locator.toString()}` });
}

async function expectText(locator: { waitFor: (options?: { timeout?: number }) => Promise<void>; innerText: () => Promise<string> }, text: string): Promise<void> {
  await locator.waitFor({ timeout: 15_000 });
  const deadline = Date.now() + 15_000;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await locator.innerText();
    // innerText follows CSS text-transform (badges are upper case): the words matter, not their case.
    if (seen.toLowerCase().includes(text.toLowerCase())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected "${text}" in "${seen}"`);
}
