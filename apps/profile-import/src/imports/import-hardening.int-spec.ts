import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Client } from 'pg';
import { captureLogs, createTestBroker, createTestDatabase, startTestService, testServiceEnv, waitFor, type LogCapture } from '@optimove/testing';
import { createLogger } from '@optimove/observability';
import { runImportCommand } from '../cli/import-command';
import { serviceEntry } from '../service-entry';
import { getJson, rows, sendJson, upload, type Harness, type Report } from '../../test/profile-import-test-kit';

// Issue 8: what a hostile client found. Every test here failed on the import before the
// hardening: row accounting (item 1) and personal data (item 2). One app on its own database,
// every log line it writes captured.

type LinesReport = Report & { lines?: { total: number; header: number; blank: number; loaded: number; rejected: number } };

/** Physical lines of a file: line feeds, plus a last line without one. CR alone ends no line. */
function physicalLines(file: string): number {
  const feeds = file.split('\n').length - 1;
  return feeds + (file.length > 0 && !file.endsWith('\n') ? 1 : 0);
}

describe('Profile import hardening', () => {
  let harness: Harness;
  let logs: LogCapture;
  let databaseName: string;
  const inbox = mkdtempSync(join(tmpdir(), 'profile-import-hardening-'));
  /** Every body the API answered, for the personal-data search. */
  const answers: string[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase('profile_import_hardening');
    databaseName = database.url;
    const broker = createTestBroker('profile_import_hardening');
    const env = testServiceEnv(
      { databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix },
      { IMPORT_INBOX_DIR: inbox, IMPORT_INBOX_STABLE_MS: '200', IMPORT_MAX_RECORD_LINES: '20' },
    );
    logs = captureLogs();
    const service = await startTestService(serviceEntry(env), createLogger({ service: 'profile-import', level: 'debug', destination: logs.stream }));
    const db = new Client({ connectionString: database.url });
    await db.connect();
    harness = {
      service,
      db,
      env,
      events: [],
      close: async () => {
        await db.end();
        await service.close();
        await broker.cleanup([]);
        await database.drop();
      },
    };
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
        { numRuns: 60, seed: 8 },
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
      for (const report of reports) await reportWithRejections(report.id);
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
});
