import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Client } from 'pg';
import { captureLogs, startTestService, waitFor, type LogCapture } from '@optimove/testing';
import { createLogger } from '@optimove/observability';
import { runImportCommand } from '../cli/import-command';
import { serviceEntry } from '../service-entry';
import { customersFile, getJson, latestImport, rows, sendJson, startHarness, streamUpload, TOKEN, upload, type Harness, type Report } from '../../test/profile-import-test-kit';
import { importLockKey } from './import-runner.service';
import { httpStatusOf } from './imports.controller';

// Issue 8: what a hostile client found. Every test here failed on the import before the
// hardening: row accounting (item 1) and personal data (item 2). One app on its own database,
// every log line it writes captured.

const MAX_FILE_BYTES = 8_000_000;

type LinesReport = Report & { sameAsImportId?: string | null; lines?: { total: number; header: number; blank: number; loaded: number; rejected: number } };

/** Physical lines of a file: line feeds, plus a last line without one. CR alone ends no line. */
function physicalLines(file: string): number {
  const feeds = file.split('\n').length - 1;
  return feeds + (file.length > 0 && !file.endsWith('\n') ? 1 : 0);
}

describe('Profile import hardening', () => {
  let harness: Harness;
  let logs: LogCapture;
  let databaseName: string;
  let databaseUrl: string;
  const inbox = mkdtempSync(join(tmpdir(), 'profile-import-hardening-'));
  /** Every body the API answered, for the personal-data search. */
  const answers: string[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    const started = await startHarness(
      'profile_import_hardening',
      {
        IMPORT_INBOX_DIR: inbox,
        IMPORT_INBOX_STABLE_MS: '300',
        IMPORT_MAX_RECORD_LINES: '20',
        IMPORT_MAX_FILE_BYTES: String(MAX_FILE_BYTES),
        IMPORT_UPLOAD_IDLE_TIMEOUT_MS: '700',
      },
      createLogger({ service: 'profile-import', level: 'debug', destination: logs.stream }),
    );
    harness = started;
    databaseName = started.databaseUrl;
    databaseUrl = started.databaseUrl;
    for (const [name, type] of [['loyalty_tier', 'text'], ['lifetime_points', 'number'], ['birthday', 'date']]) {
      expect((await sendJson(harness, 'PUT', `/attributes/${name}`, { type })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(inbox, { recursive: true, force: true });
  });

  async function send(dataset: string, body: string | Buffer, options: { query?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; report: LinesReport }> {
    const result = await upload(harness, dataset, body, options);
    answers.push(JSON.stringify(result.report));
    return result;
  }

  async function reportWithRejections(id: string): Promise<LinesReport> {
    const { body } = await getJson<LinesReport>(harness, `/imports/${id}?rejectionsLimit=1000`);
    answers.push(JSON.stringify(body));
    return body;
  }

  describe('item 1: every physical line is accounted for', () => {
    it('should refuse a transactions file whose quote opens at row 50,001 and never closes, naming that line', async () => {
      const lines = ['transaction_id,customer_id,occurred_at,amount,currency'];
      for (let i = 1; i <= 100_000; i++) lines.push(`Q${i},C${i % 977},2026-11-19T10:00:00Z,${i % 500}.25,EUR`);
      lines[50_001] = 'Q50001,C1,2026-11-19T10:00:00Z,"12.50,EUR';

      const { status, report } = await send('transactions', `${lines.join('\n')}\n`);

      expect(status).toBe(422);
      expect(report.status).toBe('refused');
      expect(report.message).toMatch(/^file refused: line 50002: a quoted field opened here is not closed within 20 lines/);
      expect(await rows(harness, `SELECT 1 FROM profiles.transaction_v WHERE transaction_id LIKE 'Q%' LIMIT 1`)).toEqual([]);
    });

    it('should count every line of a rejected record spanning several lines in the reject threshold', async () => {
      // 200 good rows and one quote left open for 10 lines: 10 of 211 lines rejected is over 1 %.
      const good = Array.from({ length: 200 }, (_v, i) => `SPAN${i},2024-01-01,DE,x`);
      const open = ['SPAN-X,2024-01-01,"DE,open', ...Array.from({ length: 8 }, (_v, i) => `SPAN-Y${i},2024-01-01,DE,y`), 'SPAN-Z,2024-01-01,DE,z"'];
      const file = `customer_id,registered_at,country,loyalty_tier\n${[...good.slice(0, 100), ...open, ...good.slice(100)].join('\n')}\n`;

      const { report } = await send('customers', file);

      expect(report.lines).toEqual({ total: 211, header: 1, blank: 0, loaded: 200, rejected: 10 });
      expect(report.status).toBe('failed');
      expect(report.message).toMatch(/^10 of 210 data lines rejected \(4\.76 %\)/);
    });

    it('should satisfy lines = header + blank + loaded + rejected for every import of a randomly damaged file', async () => {
      const damage = fc.constantFrom('open-quote', 'missing-cell', 'extra-cell', 'bad-date', 'bad-country', 'nul', 'bare-cr', 'blank', 'duplicate', 'multiline', 'stray-quote', 'quote-closed-later');
      const fileArbitrary = fc.record({
        rows: fc.integer({ min: 1, max: 150 }),
        damages: fc.array(fc.tuple(damage, fc.nat(), fc.nat()), { maxLength: 4 }),
        crlf: fc.boolean(),
        finalNewline: fc.boolean(),
        leadingBlank: fc.boolean(),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fileArbitrary, async ({ rows: count, damages, crlf, finalNewline, leadingBlank }) => {
          const prefix = `P${run++}-`;
          const body = Array.from({ length: count }, (_v, i) => [`${prefix}${i}`, '2024-01-01', 'DE', `tier ${i}`]);
          const extraLines: { at: number; text: string }[] = [];
          for (const [kind, a, b] of damages) {
            const row = body[a % body.length];
            if (kind === 'open-quote') row[3] = `"${row[3]}`;
            else if (kind === 'missing-cell') row.pop();
            else if (kind === 'extra-cell') row.push('extra');
            else if (kind === 'bad-date') row[1] = '2024-02-30';
            else if (kind === 'bad-country') row[2] = 'Germany';
            else if (kind === 'nul') row[3] = 'a\u0000b';
            else if (kind === 'bare-cr') row[3] = 'a\rb';
            else if (kind === 'blank') extraLines.push({ at: a % (body.length + 1), text: '' });
            else if (kind === 'duplicate') row[0] = body[b % body.length][0];
            else if (kind === 'multiline') row[3] = `"line one\nline two"`;
            else if (kind === 'stray-quote') row[3] = 'x"y';
            else {
              row[3] = `"${row[3]}`;
              const later = body[(a + 1 + (b % 30)) % body.length];
              later[3] = `${later[3]}"`;
            }
          }
          const lines = body.map((cells) => cells.join(','));
          for (const { at, text } of extraLines.sort((x, y) => y.at - x.at)) lines.splice(at, 0, text);
          const eol = crlf ? '\r\n' : '\n';
          const file = `${leadingBlank ? eol : ''}customer_id,registered_at,country,loyalty_tier${eol}${lines.join(eol)}${finalNewline ? eol : ''}`;

          const { report } = await send('customers', file);

          if (report.status === 'refused') {
            expect(report.message).toMatch(/line \d+/);
            return;
          }
          expect(['applied', 'failed']).toContain(report.status);
          const total = physicalLines(file);
          expect(report.lines).toBeDefined();
          const accounted = report.lines!;
          expect(accounted.total).toBe(total);
          expect(accounted.header + accounted.blank + accounted.loaded + accounted.rejected).toBe(total);
          const share = (accounted.rejected / (accounted.loaded + accounted.rejected)) * 100;
          expect(report.status).toBe(share > 1 ? 'failed' : 'applied');
          if (report.status === 'applied') {
            const stored = await rows<{ n: string }>(harness, `SELECT count(*) AS n FROM profiles.customer_v WHERE customer_id LIKE $1`, [`${prefix}%`]);
            expect(Number(stored[0].n)).toBe(report.rows.loaded);
          }
        }),
        { numRuns: 40, seed: 8 },
      );
    });
  });

  describe('item 2: personal data is never stored, logged or echoed', () => {
    const EMAIL = 'zelda.quarry@pii-example.org';
    const NAME = 'Zelda Quarrington';
    const PHONE = '+49 151 2345 6789';
    const NEEDLES = [/zelda/i, /quarr/i, /pii-example/i, /2345 ?6789/];

    function findPersonalData(text: string): string[] {
      return NEEDLES.filter((needle) => needle.test(text)).map((needle) => `${needle} in …${text.slice(Math.max(0, text.search(needle) - 80), text.search(needle) + 80)}…`);
    }

    it('should keep planted e-mails, names and phones out of the database, the logs, every answer, the CLI and the inbox notes', async () => {
      const header = 'customer_id,registered_at,country,loyalty_tier,lifetime_points,birthday,favourite_colour,email,full name,mobile';
      const good = (id: string): string => `${id},2024-01-01,DE,gold,1,1990-01-01,red,${EMAIL},${NAME},${PHONE}`;
      const files: [string, string | Buffer, string?][] = [
        // Headerless files: the first line is data.
        ['customers', `H-1,2024-01-01,DE,${EMAIL},${NAME},${PHONE}\nH-2,2024-01-01,DE,${EMAIL},${NAME},${PHONE}\n`],
        ['transactions', `${NAME},${EMAIL},2026-11-19,${PHONE}\n`],
        ['customers', gzipSync(`${EMAIL};${NAME};${PHONE}\n`), 'application/gzip'],
        // Personal data as header names of otherwise valid files.
        ['customers', `customer_id,registered_at,country,${EMAIL},${NAME},${PHONE}\nHD-1,2024-01-01,DE,a,b,c\n`],
        // Personal-data columns, ignored columns and shifted rows in a file that applies.
        ['customers', [header, good('PD-1'), good('PD-2'), ...Array.from({ length: 600 }, (_v, i) => good(`PD-G${i}`)),
          // shifted: the e-mail lands in registered_at, the name in country, the phone in lifetime_points
          `PD-3,${EMAIL},${NAME},gold,${PHONE},1990-01-01,red,x,y,z`,
          // shifted the other way: e-mail as the id, name in birthday
          `${EMAIL},2024-01-01,DE,gold,1,${NAME},red,x,y,z`,
          // an e-mail and a phone in a declared text attribute
          `PD-4,2024-01-01,DE,${EMAIL},1,1990-01-01,red,x,y,z`,
          `PD-5,2024-01-01,DE,${PHONE},1,1990-01-01,red,x,y,z`,
          // a wrong column count with personal data in it
          `PD-6,${EMAIL},${NAME},${PHONE}`,
        ].join('\n')],
        // The same with too many bad rows: the import fails and keeps its rejections.
        ['customers', [header, `PF-1,${EMAIL},${NAME},gold,${PHONE},${NAME},red,x,y,z`, `PF-2,${PHONE},${EMAIL},gold,${NAME},${EMAIL},red,x,y,z`, good('PF-3')].join('\n')],
        ['customers', gzipSync([header, `PG-1,${EMAIL},${NAME},gold,${PHONE},${NAME},red,x,y,z`, good('PG-2')].join('\n')), 'application/gzip'],
        // Over-long text and an unclosed quote holding personal data.
        ['customers', `customer_id,registered_at,country,loyalty_tier\nPL-1,2024-01-01,DE,"${NAME} ${EMAIL} ${PHONE} ${'x'.repeat(1_100)}"\n`],
        ['customers', `customer_id,registered_at,country,loyalty_tier\nPQ-1,2024-01-01,DE,"${NAME} ${EMAIL} ${PHONE}\n`],
      ];
      const reports: LinesReport[] = [];
      for (const [dataset, file, type] of files) {
        const { report } = await send(dataset, file, type ? { headers: { 'Content-Type': type } } : {});
        reports.push(report);
      }
      expect(reports.map((report) => report.status)).toEqual(['refused', 'refused', 'refused', 'applied', 'applied', 'failed', 'failed', 'failed', 'failed']);
      const applied = await reportWithRejections(reports[4].id);
      expect(applied.rejections!.items.map((item) => [item.line, item.column, item.value])).toEqual([
        [604, 'registered_at', 'z***@***.org'],
        [605, 'customer_id', null],
        [606, 'loyalty_tier', null],
        [607, 'loyalty_tier', null],
        [608, null, null],
      ]);
      // An e-mail address in the name of a file that applies, uploaded and delivered to the inbox.
      const named = await send('customers', 'customer_id,registered_at,country\nPN-1,2024-01-01,DE\n', { query: `fileName=${encodeURIComponent(`customers_20261125_${EMAIL}.csv`)}` });
      expect(named.report.status).toBe('applied');
      writeFileSync(join(inbox, `customers_20261125_${EMAIL}.csv`), 'customer_id,registered_at,country\nPN-2,2024-01-01,DE\n');
      await waitFor(() => existsSync(join(inbox, `processed/customers_20261125_${EMAIL}.csv`)), { what: 'the inbox file named with an e-mail address to apply' });
      for (const report of [...reports, named.report]) await reportWithRejections(report.id);
      answers.push(JSON.stringify((await getJson(harness, '/imports?limit=500')).body));
      expect(reports[3].ignoredColumns).toEqual(['(column 4)', '(column 5)', '(column 6)']);

      // The CLI and the inbox with a headerless file.
      const folder = mkdtempSync(join(tmpdir(), 'profile-import-pii-'));
      const cliFile = join(folder, 'customers_20261126.csv');
      writeFileSync(cliFile, `${EMAIL},${NAME},${PHONE}\n`);
      let cliOutput = '';
      const io = { stdout: { write: (text: string) => Boolean((cliOutput += text)) }, stderr: { write: (text: string) => Boolean((cliOutput += text)) } };
      expect(await runImportCommand(['customers', cliFile], harness.env, io)).toBe(1);
      rmSync(folder, { recursive: true, force: true });
      writeFileSync(join(inbox, 'customers_20261127.csv'), `${EMAIL},${NAME},${PHONE}\n`);
      await waitFor(() => existsSync(join(inbox, 'failed/customers_20261127.csv.error.txt')), { what: 'the inbox file to fail' });
      const inboxNotes = readdirSync(join(inbox, 'failed'))
        .filter((name) => name.endsWith('.error.txt'))
        .map((name) => readFileSync(join(inbox, 'failed', name), 'utf8'))
        .join('\n');

      const dump = execFileSync('pg_dump', ['--no-owner', databaseName], { encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(dump).toContain('PD-G1');
      expect(findPersonalData(dump)).toEqual([]);
      expect(logs.text()).toContain('import failed');
      expect(findPersonalData(logs.text())).toEqual([]);
      expect(findPersonalData(answers.join('\n'))).toEqual([]);
      expect(findPersonalData(cliOutput)).toEqual([]);
      expect(findPersonalData(inboxNotes)).toEqual([]);
    });
  });
  describe('item 3: one apply per file, also under concurrency', () => {
    async function importedEvents(checksum: string): Promise<number> {
      const found = await rows<{ n: string }>(harness, `SELECT count(*) AS n FROM profiles.outbox WHERE type = 'profiles.imported.v1' AND envelope->'data'->>'checksum' = $1`, [checksum]);
      return Number(found[0].n);
    }

    it('should apply a file uploaded four times at once exactly once and announce it once', async () => {
      const file = customersFile('CONC', 3_000);

      const results = await Promise.all([1, 2, 3, 4].map(() => send('customers', file, { query: 'fileName=customers_20261201.csv' })));

      const applied = results.filter((result) => result.report.status === 'applied');
      expect(applied).toHaveLength(1);
      expect(results.filter((result) => result.report.status === 'unchanged').map((result) => [result.status, result.report.sameAsImportId])).toEqual([
        [200, applied[0].report.id],
        [200, applied[0].report.id],
        [200, applied[0].report.id],
      ]);
      expect(await importedEvents(applied[0].report.checksum!)).toBe(1);
    });

    it('should apply A again after B, and call A unchanged only while its data is the latest', async () => {
      const a = 'customer_id,registered_at,country,loyalty_tier\nABA-1,2024-01-01,DE,gold\n';
      const b = 'customer_id,registered_at,country,loyalty_tier\nABA-1,2024-01-01,DE,silver\n';

      const first = await send('customers', a);
      const again = await send('customers', a);
      await send('customers', b);
      const third = await send('customers', a);

      expect([first.report.status, again.report.status, third.report.status]).toEqual(['applied', 'unchanged', 'applied']);
      expect(third.report.rows).toMatchObject({ updated: 1 });
      expect(await rows(harness, `SELECT attributes->>'loyalty_tier' AS tier FROM profiles.customer_v WHERE customer_id = 'ABA-1'`)).toEqual([{ tier: 'gold' }]);
    });
  });

  describe('item 4: every bad input is a 4xx with a clear message', () => {
    const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

    it('should keep a rejected cell cut in the middle of a surrogate pair valid text', async () => {
      const cell = `${'a'.repeat(39)}${'\u{1F600}'.repeat(40)}`;
      const file = `customer_id,registered_at,country\n${Array.from({ length: 150 }, (_v, i) => `SUR${i},2024-01-01,DE`).join('\n')}\nSUR-X,${cell},DE\n`;

      const { status, report } = await send('customers', file);

      expect(status).toBe(201);
      const { rejections } = await reportWithRejections(report.id);
      expect(rejections!.items).toHaveLength(1);
      expect(rejections!.items[0].value).not.toMatch(LONE_SURROGATE);
    });

    it.each([
      ['an as-of date that is no calendar day', 'asOf=2026-02-30', 'asOf must be a calendar day (YYYY-MM-DD)'],
      ['a NUL in the file name', 'fileName=a%00b.csv', 'fileName must not hold control characters'],
    ])('should answer 400 for %s', async (_case, query, message) => {
      const response = await fetch(`${harness.service.baseUrl}/imports/customers?${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/csv' },
        body: customersFile('BADQ', 2),
      });

      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain(message);
    });

    it('should answer 400 for a multipart body without a file part', async () => {
      const form = new FormData();
      form.append('note', 'no file here');

      const response = await fetch(`${harness.service.baseUrl}/imports/customers`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form });

      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBe('the multipart body holds no file part');
    });

    it.each([
      ['an unknown dataset', ['orders', 'x.csv'], 'unknown dataset "orders": use customers or transactions'],
      ['a missing file', ['customers', '/nonexistent/customers.csv'], 'no such file: /nonexistent/customers.csv'],
      ['a folder', ['customers', '/tmp'], 'not a file: /tmp'],
      ['an as-of date that is no calendar day', ['customers', 'x.csv', '--as-of', '2026-02-30'], '--as-of must be a calendar day (YYYY-MM-DD)'],
    ])('should make the CLI exit 2 with one line for %s', async (_case, args, message) => {
      let out = '';
      const io = { stdout: { write: (text: string) => Boolean((out += text)) }, stderr: { write: (text: string) => Boolean((out += text)) } };

      const code = await runImportCommand(args, harness.env, io);

      expect(code).toBe(2);
      expect(out.split('\n')[0]).toBe(message);
      expect(out).toContain('usage: main.js import');
      expect(out.trim().split('\n')).toHaveLength(2);
    });
  });

  describe('item 5: bounded resources', () => {
    it('should refuse a gzip file expanding beyond a few times the upload cap (413), before staging it', async () => {
      // Long rows (an ignored column) keep the parsing short; the same row again and again.
      const row = `BOMB-1,2024-01-01,DE,${'x'.repeat(4_000)}\n`;
      const bomb = gzipSync(`customer_id,registered_at,country,notes\n${row.repeat(Math.ceil((5 * MAX_FILE_BYTES) / row.length))}`);
      expect(bomb.length).toBeLessThan(MAX_FILE_BYTES / 10);

      const { status, report } = await send('customers', bomb, { headers: { 'Content-Type': 'application/gzip' } });

      expect(status).toBe(413);
      expect(report.message).toBe(`file refused: the file is larger than ${4 * MAX_FILE_BYTES} bytes once decompressed (IMPORT_MAX_UNCOMPRESSED_BYTES, by default 4 x IMPORT_MAX_FILE_BYTES)`);
    });

    it('should stop a stalled upload after the idle timeout, saying so, instead of waiting for the 300 s request timeout', async () => {
      expect((harness.service as unknown as { app: { getHttpServer(): { requestTimeout: number } } }).app.getHttpServer().requestTimeout).toBe(0);

      const result = await streamUpload(harness, 'customers', { 'Transfer-Encoding': 'chunked', 'X-File-Name': 'stalled.csv' }, async (send, _abort, responded) => {
        await send(customersFile('STALL', 50));
        await waitFor(() => responded(), { timeoutMs: 3_000, what: 'an answer to the stalled upload' }).catch(() => undefined);
      });

      expect(result.status).toBe(408);
      expect(JSON.parse(result.body)).toMatchObject({
        status: 'failed',
        message: 'upload stalled: no data for 700 ms (IMPORT_UPLOAD_IDLE_TIMEOUT_MS): nothing applied',
      });
      expect(await rows(harness, `SELECT 1 FROM profiles.customers WHERE customer_id LIKE 'STALL%'`)).toEqual([]);
    });
  });

  describe('item 6: the inbox takes regular files only', () => {
    it('should move a symlink and a FIFO to failed/ unopened, and go on with the next file', async () => {
      symlinkSync('/etc/passwd', join(inbox, 'customers_20261202.csv'));
      execFileSync('mkfifo', [join(inbox, 'transactions_20261202.csv')]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      writeFileSync(join(inbox, 'customers_20261203.csv'), customersFile('AFTERFIFO', 5));

      await waitFor(() => existsSync(join(inbox, 'processed/customers_20261203.csv')), { timeoutMs: 8_000, what: 'the regular file after the FIFO to be imported' });

      expect(readFileSync(join(inbox, 'failed/customers_20261202.csv.error.txt'), 'utf8')).toBe('not a regular file (a symbolic link): moved aside unopened\n');
      expect(readFileSync(join(inbox, 'failed/transactions_20261202.csv.error.txt'), 'utf8')).toBe('not a regular file (a FIFO): moved aside unopened\n');
      expect(lstatSync(join(inbox, 'failed/customers_20261202.csv')).isSymbolicLink()).toBe(true);
      const reports = (await getJson<{ items: Report[] }>(harness, '/imports?limit=500')).body.items;
      expect(reports.some((report) => report.fileName === 'customers_20261202.csv' || /root:/.test(report.message ?? ''))).toBe(false);
    });

    it('should claim a file only once its size has stopped changing', async () => {
      const path = join(inbox, 'customers_20261204.csv');
      const content = customersFile('GROW', 400);
      const pieces = 6;
      const step = Math.ceil(content.length / pieces);
      writeFileSync(path, content.slice(0, step));
      for (let k = 1; k < pieces; k++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        appendFileSync(path, content.slice(k * step, (k + 1) * step));
      }

      await waitFor(() => existsSync(join(inbox, 'processed/customers_20261204.csv')) || existsSync(join(inbox, 'failed/customers_20261204.csv')), { what: 'the growing file to be handled' });

      expect(await latestImport(harness, 'customers_20261204.csv')).toMatchObject({ status: 'applied', rows: { read: 400, loaded: 400 } });
    });
  });

  describe('item 7: crash recovery', () => {
    it('should mark imports a crash left running interrupted and move files left in processing/ back, leaving a live import alone', async () => {
      const started = new Date('2026-11-29T10:00:00Z');
      const insert = (id: string, fileName: string): Promise<unknown> =>
        harness.db.query(
          `INSERT INTO profiles.imports (id, dataset, channel, file_name, as_of_date, status, started_at) VALUES ($1, 'customers', 'inbox', $2, '2026-11-29', 'running', $3)`,
          [id, fileName, started],
        );
      const crashed = '0b6c3a5e-0000-4000-8000-000000000001';
      const live = '0b6c3a5e-0000-4000-8000-000000000002';
      await insert(crashed, 'customers_20261205.csv');
      await insert(live, 'customers_20261206.csv');
      // Another replica is still running `live`: it holds the import's lock.
      const replica = new Client({ connectionString: databaseUrl });
      await replica.connect();
      await replica.query('SELECT pg_advisory_lock($1)', [importLockKey(live)]);
      writeFileSync(join(inbox, 'processing/customers_20261205.csv'), customersFile('CRASH', 5));
      writeFileSync(join(inbox, 'processing/customers_20261206.csv'), customersFile('LIVE', 5));

      const restarted = await startTestService(serviceEntry({ ...harness.env, HTTP_PORT: '0' }));
      try {
        const statuses = await rows<{ id: string; status: string; message: string | null }>(harness, `SELECT id, status, message FROM profiles.imports WHERE id = ANY($1) ORDER BY id`, [[crashed, live]]);
        expect(statuses).toEqual([
          { id: crashed, status: 'interrupted', message: 'interrupted: the process stopped during the import (found running at start-up); nothing applied' },
          { id: live, status: 'running', message: null },
        ]);
        await waitFor(() => existsSync(join(inbox, 'processed/customers_20261205.csv')), { what: 'the file left in processing/ to be imported again' });
        expect(existsSync(join(inbox, 'processing/customers_20261206.csv'))).toBe(true);
        expect(await rows(harness, `SELECT customer_id FROM profiles.customer_v WHERE customer_id LIKE 'CRASH%'`)).toHaveLength(5);
      } finally {
        await restarted.close();
        await replica.end();
      }
    });
  });

  describe('item 9: one status code per outcome, as the README says', () => {
    it.each([
      ['applied', 201],
      ['unchanged', 200],
      ['refused', 422],
      ['too-large', 413],
      ['too-many-rejections', 422],
      ['upload-interrupted', 400],
      ['upload-stalled', 408],
      ['error', 500],
    ] as const)('should answer %s with %i', (outcome, status) => {
      expect(httpStatusOf(outcome)).toBe(status);
    });

    it('should answer each outcome of a real upload with its code', async () => {
      const refused = await send('customers', 'customer_id\nX\n');
      const tooMany = await send('customers', 'customer_id,registered_at,country\nTM-1,2024-01-01,DE\nTM-2,nope,DE\n');
      const tooLarge = await send('customers', Buffer.alloc(MAX_FILE_BYTES + 1, 0x41));

      expect([refused.status, refused.report.status]).toEqual([422, 'refused']);
      expect([tooMany.status, tooMany.report.status]).toEqual([422, 'failed']);
      expect([tooLarge.status, tooLarge.report.status]).toEqual([413, 'refused']);
    });
  });
});
