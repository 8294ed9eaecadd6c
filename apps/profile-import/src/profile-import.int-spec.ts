import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { createTestBroker, createTestDatabase, startTestService, testServiceEnv, waitFor } from '@optimove/testing';
import { runImportCommand } from './cli/import-command';
import { serviceEntry } from './service-entry';
import { customersFile, getJson, latestImport, rows, sendJson, streamUpload, upload, type Harness, type Report } from '../test/profile-import-test-kit';

// The three ways in end to end on a real PostgreSQL and RabbitMQ: the HTTP upload with the
// datasets, every hostile file of issue 4 item 8, the reject threshold, idempotency and force,
// the volume check, the reports and the event; then the inbox watcher and the CLI. Each test
// uses its own ids, so the tests share one app and database (booting Nest costs seconds).

const MAX_FILE_BYTES = 3_000_000;

/** The app on its own database and exchange, with a queue recording every `profiles.imported.v1`. */
async function startProfileImport(label: string, overrides: Record<string, string>): Promise<Harness> {
  const database = await createTestDatabase(label);
  const broker = createTestBroker(label);
  const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: broker.amqpUrl, exchange: broker.exchange, queuePrefix: broker.queuePrefix }, overrides);
  const service = await startTestService(serviceEntry(env));
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const events: Record<string, unknown>[] = [];
  const connection = await amqplib.connect(broker.amqpUrl);
  const channel = await connection.createChannel();
  const queue = `${broker.queuePrefix}observer`;
  await channel.assertExchange(broker.exchange, 'topic', { durable: true });
  await channel.assertQueue(queue, { durable: false });
  await channel.bindQueue(queue, broker.exchange, 'profiles.imported.v1');
  await channel.consume(queue, (message) => {
    if (!message) return;
    events.push((JSON.parse(message.content.toString()) as { data: Record<string, unknown> }).data);
    channel.ack(message);
  });
  return {
    service,
    db,
    env,
    events,
    close: async () => {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await db.end();
      await service.close();
      await broker.cleanup([queue]);
      await database.drop();
    },
  };
}

describe('Profile import', () => {
  let harness: Harness;
  const inbox = mkdtempSync(join(tmpdir(), 'profile-import-inbox-'));

  beforeAll(async () => {
    harness = await startProfileImport('profile_import', {
      IMPORT_INBOX_DIR: inbox,
      IMPORT_INBOX_STABLE_MS: '200',
      IMPORT_MAX_FILE_BYTES: String(MAX_FILE_BYTES),
      IMPORT_VOLUME_MIN_HISTORY: '3',
      IMPORT_VOLUME_FACTOR: '2',
    });
    for (const [name, type] of [['loyalty_tier', 'text'], ['lifetime_points', 'number'], ['birthday', 'date'], ['newsletter', 'boolean']]) {
      expect((await sendJson(harness, 'PUT', `/attributes/${name}`, { type, description: `test ${name}` })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(inbox, { recursive: true, force: true });
  });

  function customer(id: string): Promise<{ customer_id: string; registered_at: Date | null; country: string | null; attributes: Record<string, unknown> }[]> {
    return rows(harness, 'SELECT customer_id, registered_at, country, attributes FROM profiles.customer_v WHERE customer_id = $1', [id]);
  }

  async function eventFor(importId: string): Promise<Record<string, unknown>> {
    return waitFor(() => harness.events.find((event) => event.importId === importId), { what: `profiles.imported.v1 of ${importId}` });
  }

  it('should load a customers file with BOM, semicolons, CRLF, quoted newlines and attributes, keeping ids exactly and dropping personal data', async () => {
    const file =
      '\uFEFFcustomer_id;registered_at;country;E-Mail;First Name;loyalty_tier;lifetime_points;birthday;newsletter;favourite_colour\r\n' +
      '000123;2024-03-01T10:15:00+02:00;de;ann@example.com;Ann;"gold; with ""quotes""";1200.5;1990-05-17;yes;red\r\n' +
      '0042;;FR;bob@example.com;Bob;"multi\r\nline";;;0;blue\r\n' +
      'A-7;2024-03-02;;;"";;0;2000-02-29;TRUE;\r\n';

    const { status, report } = await upload(harness, 'customers', file, { query: 'fileName=customers_20261120.csv' });

    expect(status).toBe(201);
    expect(report).toMatchObject({
      status: 'applied',
      asOfDate: '2026-11-20',
      delimiter: 'semicolon',
      rows: { read: 3, loaded: 3, rejected: 0, inserted: 3, updated: 0, unchanged: 0 },
      droppedColumns: ['E-Mail', 'First Name'],
      ignoredColumns: ['favourite_colour'],
    });
    const [ann] = await customer('000123');
    expect(ann).toEqual({
      customer_id: '000123',
      registered_at: new Date('2024-03-01T08:15:00Z'),
      country: 'DE',
      attributes: { loyalty_tier: 'gold; with "quotes"', lifetime_points: 1200.5, birthday: '1990-05-17', newsletter: true },
    });
    expect((await customer('0042'))[0]).toMatchObject({ registered_at: null, country: 'FR', attributes: { loyalty_tier: 'multi\r\nline', newsletter: false } });
    expect((await customer('A-7'))[0]).toMatchObject({ registered_at: new Date('2024-03-02T00:00:00Z'), country: null, attributes: { lifetime_points: 0, newsletter: true } });
    // Personal data is nowhere: not in the profiles, not in the report, not in rejections.
    const everything = JSON.stringify(await rows(harness, `SELECT * FROM profiles.customers`)) + JSON.stringify(await rows(harness, 'SELECT * FROM profiles.import_rejections'));
    expect(everything).not.toMatch(/example\.com|Ann|Bob/);
    // This was the first load into the empty table: its primary key was dropped and built again.
    expect(await rows(harness, `SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'profiles.customers'::regclass`)).toEqual([
      { conname: 'customers_pkey', definition: 'PRIMARY KEY (customer_id)' },
    ]);
    // ... and the table is logged (crash-safe): customers stay LOGGED throughout the load.
    expect(await rows(harness, `SELECT relpersistence FROM pg_class WHERE oid = 'profiles.customers'::regclass`)).toEqual([{ relpersistence: 'p' }]);
    const event = await eventFor(report.id);
    expect(event).toEqual({
      importId: report.id,
      dataset: 'customers',
      sourceFileName: 'customers_20261120.csv',
      asOfDate: '2026-11-20',
      rowsRead: 3,
      rowsLoaded: 3,
      rowsRejected: 0,
      checksum: report.checksum,
      suspicious: false,
    });
  });

  it('should rewrite only changed customers and keep attributes a later file does not mention', async () => {
    await upload(harness, 'customers', 'customer_id,registered_at,country,loyalty_tier\nUP-1,2024-01-01,DE,gold\nUP-2,2024-01-01,DE,silver\n');
    const before = await rows<{ customer_id: string; updated_at: Date; xmin: string }>(harness, `SELECT customer_id, updated_at, xmin::text FROM profiles.customers WHERE customer_id LIKE 'UP-%' ORDER BY 1`);

    const { report } = await upload(harness, 'customers', 'customer_id,registered_at,country,newsletter\nUP-1,2024-01-01,DE,yes\nUP-2,2024-01-01,DE,\n');

    expect(report.rows).toMatchObject({ loaded: 2, inserted: 0, updated: 1, unchanged: 1 });
    const after = await rows<{ customer_id: string; attributes: Record<string, unknown>; xmin: string }>(harness, `SELECT customer_id, attributes, xmin::text FROM profiles.customers WHERE customer_id LIKE 'UP-%' ORDER BY 1`);
    expect(after[0].attributes).toEqual({ loyalty_tier: 'gold', newsletter: true });
    expect(after[1].attributes).toEqual({ loyalty_tier: 'silver' });
    // The unchanged row was not rewritten: same row version.
    expect(after[1].xmin).toBe(before[1].xmin);
    expect(after[0].xmin).not.toBe(before[0].xmin);
  });

  it('should load gzip, tab-separated transactions with exact amounts, inserting each transaction_id once', async () => {
    const file = 'transaction_id\tcustomer_id\toccurred_at\tamount\tcurrency\nTX-1\t000123\t2026-11-19T18:30:00Z\t19.99\teur\nTX-2\t000123\t2026-11-19 19:00:00\t0.10\t\nTX-3\t0042\t2026-11-19\t-5\tUSD\n';

    const first = await upload(harness, 'transactions', gzipSync(file), { headers: { 'Content-Type': 'application/gzip', 'X-File-Name': 'transactions_20261119.csv.gz' } });
    const second = await upload(harness, 'transactions', 'transaction_id,customer_id,occurred_at,amount\nTX-3,0042,2026-11-19,99\nTX-4,0042,2026-11-20,0.20\n');

    expect(first.report).toMatchObject({ status: 'applied', compressed: true, delimiter: 'tab', asOfDate: '2026-11-19', rows: { inserted: 3 } });
    expect(second.report.rows).toMatchObject({ loaded: 2, inserted: 1, unchanged: 1 });
    // The first load built the indexes after the insert, as the migration has them, and logged the table again.
    expect(await rows(harness, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'profiles' AND tablename = 'transactions' ORDER BY 1`)).toEqual([
      { indexname: 'transactions_customer_occurred_idx', indexdef: 'CREATE INDEX transactions_customer_occurred_idx ON profiles.transactions USING btree (customer_id, occurred_at)' },
      { indexname: 'transactions_occurred_idx', indexdef: 'CREATE INDEX transactions_occurred_idx ON profiles.transactions USING btree (occurred_at) INCLUDE (customer_id, amount)' },
      { indexname: 'transactions_pkey', indexdef: 'CREATE UNIQUE INDEX transactions_pkey ON profiles.transactions USING btree (transaction_id)' },
    ]);
    expect(await rows(harness, `SELECT relpersistence FROM pg_class WHERE oid = 'profiles.transactions'::regclass`)).toEqual([{ relpersistence: 'p' }]);
    const loaded = await rows<{ transaction_id: string; amount: string; currency: string | null; occurred_at: Date }>(
      harness,
      `SELECT transaction_id, amount::text AS amount, currency, occurred_at FROM profiles.transaction_v WHERE transaction_id LIKE 'TX-%' ORDER BY 1`,
    );
    expect(loaded).toEqual([
      { transaction_id: 'TX-1', amount: '19.99', currency: 'EUR', occurred_at: new Date('2026-11-19T18:30:00Z') },
      { transaction_id: 'TX-2', amount: '0.10', currency: null, occurred_at: new Date('2026-11-19T19:00:00Z') },
      { transaction_id: 'TX-3', amount: '-5.00', currency: 'USD', occurred_at: new Date('2026-11-19T00:00:00Z') },
      { transaction_id: 'TX-4', amount: '0.20', currency: null, occurred_at: new Date('2026-11-20T00:00:00Z') },
    ]);
    const [{ total }] = await rows<{ total: string }>(harness, `SELECT sum(amount)::text AS total FROM profiles.transaction_v WHERE transaction_id LIKE 'TX-%'`);
    expect(total).toBe('15.29');
  });

  it('should take the file of a multipart form upload', async () => {
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([customersFile('FORM', 3)], { type: 'text/csv' }), 'customers_20261122.csv');

    const response = await fetch(`${harness.service.baseUrl}/imports/customers`, { method: 'POST', headers: { Authorization: 'Bearer test-api-token-0123456789' }, body: form });

    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ fileName: 'customers_20261122.csv', asOfDate: '2026-11-22', rows: { loaded: 3 } });
  });

  it('should quarantine bad rows with line, column and reason and load the good ones (hostile cells stored verbatim)', async () => {
    const hostile = [
      'H-EQ,2024-01-01,DE,"=HYPERLINK(""http://evil.example"")"',
      'H-PLUS,2024-01-01,DE,+SUM(A1)',
      'H-MINUS,2024-01-01,DE,-2+3',
      'H-AT,2024-01-01,DE,@SUM(A1:A2)',
      `H-SQL,2024-01-01,DE,"'; DROP TABLE profiles.customers; --"`,
      `H-SQL2'); DELETE FROM profiles.imports; --,2024-01-01,DE,x`,
    ];
    const bad = [
      `H-LONG,2024-01-01,DE,${'x'.repeat(1_048_576)}`, // a 1 MB field
      'H-FEW,2024-01-01',
      'H-MANY,2024-01-01,DE,gold,extra',
      ',2024-01-01,DE,gold',
      `${'9'.repeat(65)},2024-01-01,DE,gold`,
      'H-DATE,2024-02-30,DE,gold',
      'H-DUP,2024-01-01,DE,first',
      'H-DUP,2024-01-01,DE,second',
      'H-QUOTE,2024-01-01,DE,bro"ken',
    ];
    const good = customersFile('HG', 900, { header: 'customer_id,registered_at,country,loyalty_tier' }).trimEnd().split('\n').slice(1).map((line) => `${line},plain`);
    const file = `customer_id,registered_at,country,loyalty_tier\n${[...hostile, ...bad, ...good].join('\n')}\n`;

    const { status, report } = await upload(harness, 'customers', file, { query: 'fileName=hostile.csv' });

    expect(status).toBe(201);
    expect(report.rows).toMatchObject({ read: 915, rejected: 8, loaded: 907 });
    const { body } = await getJson<Report>(harness, `/imports/${report.id}?rejectionsLimit=50`);
    expect(body.rejections!.total).toBe(8);
    expect(body.rejections!.items).toEqual([
      // Ids and free text are never quoted back (they may hold personal data).
      { line: 8, column: 'loyalty_tier', reason: 'value longer than 1000 characters', value: null },
      { line: 9, column: null, reason: 'wrong number of columns: expected 4, found 2', value: null },
      { line: 10, column: null, reason: 'wrong number of columns: expected 4, found 5', value: null },
      { line: 11, column: 'customer_id', reason: 'customer_id is empty', value: null },
      { line: 12, column: 'customer_id', reason: 'customer_id longer than 64 characters', value: null },
      { line: 13, column: 'registered_at', reason: 'not a calendar day', value: '2024-02-30' },
      { line: 15, column: 'customer_id', reason: 'duplicate customer_id: first seen on line 14', value: null },
      { line: 16, column: 'loyalty_tier', reason: expect.stringContaining('a double quote inside an unquoted field') as string, value: null },
    ]);
    const stored = await rows<{ customer_id: string; tier: string }>(harness, `SELECT customer_id, attributes->>'loyalty_tier' AS tier FROM profiles.customer_v WHERE customer_id LIKE 'H-%' ORDER BY 1`);
    expect(stored).toEqual([
      { customer_id: 'H-AT', tier: '@SUM(A1:A2)' },
      { customer_id: 'H-DUP', tier: 'first' },
      { customer_id: 'H-EQ', tier: '=HYPERLINK("http://evil.example")' },
      { customer_id: 'H-MINUS', tier: '-2+3' },
      { customer_id: 'H-PLUS', tier: '+SUM(A1)' },
      { customer_id: 'H-SQL', tier: "'; DROP TABLE profiles.customers; --" },
      { customer_id: "H-SQL2'); DELETE FROM profiles.imports; --", tier: 'x' },
    ]);
    // The SQL-looking cells were data: the tables they name are intact.
    expect(await rows(harness, 'SELECT id FROM profiles.imports WHERE id = $1', [report.id])).toHaveLength(1);
  });

  it('should refuse a file that is not UTF-8, naming the line, and apply nothing', async () => {
    const file = Buffer.concat([Buffer.from('customer_id,registered_at,country\nU-1,2024-01-01,DE\nU-2,2024-01-01,'), Buffer.from([0x4d, 0xfc, 0x6e]), Buffer.from('\n')]);

    const { status, report } = await upload(harness, 'customers', file);

    expect(status).toBe(422);
    expect(report.status).toBe('refused');
    expect(report.message).toBe('file refused: line 3: the file is not UTF-8 text (byte 0xfc is not valid UTF-8); save it as UTF-8');
    expect(await customer('U-1')).toEqual([]);
  });

  it.each([
    ['an empty file', '', 'file refused: the file is empty (no header line)'],
    ['a header without rows', 'customer_id,registered_at,country\n', 'file refused: the file has a header but no data rows'],
    ['a missing required column', 'customer_id,country\nM-1,DE\n', 'file refused: line 1: missing required column "registered_at" for dataset "customers" (the first line has 2 columns, of them "customer_id", "country"; is the header line missing?)'],
    ['a repeated column', 'customer_id,registered_at,country,Country\nM-1,2024-01-01,DE,DE\n', 'file refused: line 1: column "Country" appears twice (columns 3 and 4)'],
  ])('should refuse %s with a message naming the problem', async (_case, file, message) => {
    const { status, report } = await upload(harness, 'customers', file);

    expect(status).toBe(422);
    expect(report).toMatchObject({ status: 'refused', message });
  });

  it('should refuse an unknown dataset', async () => {
    const response = await upload(harness, 'orders', 'order_id\n1\n');

    expect(response.status).toBe(400);
    expect(response.report).toMatchObject({ message: 'unknown dataset "orders": use customers or transactions' });
  });

  it('should refuse an over-size upload early, by its Content-Length and while streaming', async () => {
    const declared = await streamUpload(harness, 'customers', { 'Content-Length': MAX_FILE_BYTES + 1, 'X-File-Name': 'big-declared.csv' }, async (send) => {
      await send('customer_id,registered_at,country\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    expect(declared.status).toBe(413);

    let sent = 0;
    const streamed = await streamUpload(harness, 'customers', { 'Transfer-Encoding': 'chunked', 'X-File-Name': 'big-streamed.csv' }, async (send, abort, responded) => {
      await send('customer_id,registered_at,country\n');
      const chunk = customersFile('BIG', 2_000).split('\n').slice(1).join('\n');
      // Keep sending until the server answers; never more than 3x the cap.
      while (!responded() && sent < 3 * MAX_FILE_BYTES) {
        await send(chunk);
        sent += chunk.length;
      }
      if (!responded()) abort();
    });
    expect([413, 0]).toContain(streamed.status);
    expect(sent).toBeLessThan(3 * MAX_FILE_BYTES);
    const report = await latestImport(harness, 'big-streamed.csv');
    expect(report).toMatchObject({ status: 'refused', message: `file refused: the file is larger than ${MAX_FILE_BYTES} bytes (IMPORT_MAX_FILE_BYTES)` });
    expect(await rows(harness, `SELECT 1 FROM profiles.customers WHERE customer_id LIKE 'BIG%'`)).toEqual([]);
  });

  it('should apply nothing of an upload cut off in the middle', async () => {
    const file = customersFile('CUT', 5_000);

    const result = await streamUpload(harness, 'customers', { 'Content-Length': file.length, 'X-File-Name': 'cut.csv' }, async (send, abort) => {
      await send(file.slice(0, file.length / 2));
      await new Promise((resolve) => setTimeout(resolve, 200));
      abort();
    });

    expect(result.status).toBe(0);
    const report = await latestImport(harness, 'cut.csv');
    expect(report.status).toBe('failed');
    expect(report.message).toMatch(/^upload interrupted after \d+ bytes: nothing applied$/);
    expect(await rows(harness, `SELECT 1 FROM profiles.customers WHERE customer_id LIKE 'CUT%'`)).toEqual([]);
    expect(harness.events.some((event) => event.importId === report.id)).toBe(false);
  });

  it('should fail the whole import when the rejected share is over the limit, keeping the rejections', async () => {
    const file = customersFile('SHARE', 97, { lines: ['SHARE-X1,not-a-date,DE', 'SHARE-X2,2024-01-01,Germany'] });

    const { status, report } = await upload(harness, 'customers', file);

    expect(status).toBe(422);
    expect(report).toMatchObject({
      status: 'failed',
      message: '2 of 99 data lines rejected (2.02 %), more than IMPORT_MAX_REJECTED_PERCENT=1 %: nothing applied',
      rows: { read: 99, rejected: 2, loaded: 0 },
    });
    expect(await rows(harness, `SELECT 1 FROM profiles.customers WHERE customer_id LIKE 'SHARE%'`)).toEqual([]);
    const { body } = await getJson<Report>(harness, `/imports/${report.id}`);
    expect(body.rejections!.items.map((item) => item.line)).toEqual([99, 100]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.events.some((event) => event.importId === report.id)).toBe(false);
  });

  it('should change nothing and say so for the same file again, and re-apply it with force', async () => {
    const file = customersFile('SAME', 20);
    const first = await upload(harness, 'customers', file, { query: 'fileName=customers_20261121.csv' });
    await eventFor(first.report.id);

    const again = await upload(harness, 'customers', file, { query: 'fileName=customers_20261121.csv' });
    const forced = await upload(harness, 'customers', file, { query: 'fileName=customers_20261121.csv&force=true' });

    expect(again.status).toBe(200);
    expect(again.report).toMatchObject({ status: 'unchanged', checksum: first.report.checksum, rows: { read: 20, loaded: 0 } });
    expect(again.report.message).toBe(`the same file (SHA-256 ${first.report.checksum}) was the last one applied, by import ${first.report.id}: nothing changed; use force to apply it again`);
    expect(forced.status).toBe(201);
    expect(forced.report).toMatchObject({ status: 'applied', rows: { loaded: 20, inserted: 0, updated: 0, unchanged: 20 } });
    await eventFor(forced.report.id);
    expect(harness.events.some((event) => event.importId === again.report.id)).toBe(false);
  });

  it('should mark a volume spike against the trailing average suspicious', async () => {
    const day = (n: number, count: number): string =>
      ['transaction_id,customer_id,occurred_at,amount', ...Array.from({ length: count }, (_v, i) => `VOL${n}-${i},C1,2026-11-0${n}T10:00:00Z,1.00`)].join('\n');
    const history: Report[] = [];
    for (const n of [1, 2, 3]) history.push((await upload(harness, 'transactions', day(n, 50))).report);
    // Earlier transactions imports of this file also count: the average is over the last 7.
    const { report } = await upload(harness, 'transactions', day(4, 400));

    expect(report.suspicious).toBe(true);
    expect(report.volumeCheck).toMatch(/^spike: 400 rows vs a trailing average of \d+ over the last \d imports \(more than 2x\)$/);
    expect(history.at(-1)!.suspicious).toBe(false);
    expect(await eventFor(report.id)).toMatchObject({ rowsRead: 400, suspicious: true });
  });

  it('should list reports newest first and page the rejected rows of one', async () => {
    const { report } = await upload(harness, 'customers', customersFile('PAGE', 300, { lines: ['PAGE-BAD1,x,DE', 'PAGE-BAD2,y,DE', 'PAGE-BAD3,z,DE'] }), {
      query: 'fileName=paged.csv',
    });

    const list = await getJson<{ total: number; items: Report[] }>(harness, '/imports?dataset=customers&limit=2');
    const page = await getJson<Report>(harness, `/imports/${report.id}?rejectionsLimit=2&rejectionsOffset=1`);
    const missing = await getJson<{ message: string }>(harness, '/imports/6b1d3f64-8f8e-4e55-9d5b-0c9d7e2f9a10');

    expect(list.body.items[0].id).toBe(report.id);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.total).toBeGreaterThan(2);
    expect(page.body.rejections).toMatchObject({ total: 3, offset: 1, limit: 2 });
    expect(page.body.rejections!.items.map((item) => item.value)).toEqual(['y', 'z']);
    expect(missing.status).toBe(404);
  });

  it('should keep the attribute catalogue: declare, refuse personal data and type changes, remove', async () => {
    expect((await sendJson(harness, 'PUT', '/attributes/store_visits', { type: 'number' })).status).toBe(201);
    expect((await sendJson(harness, 'PUT', '/attributes/store_visits', { type: 'number', description: 'visits' })).status).toBe(200);
    expect((await sendJson(harness, 'PUT', '/attributes/store_visits', { type: 'text' })).status).toBe(409);
    expect((await sendJson(harness, 'PUT', '/attributes/email_hash', { type: 'text' })).status).toBe(400);
    expect((await sendJson(harness, 'PUT', '/attributes/Bad-Name', { type: 'text' })).status).toBe(400);
    expect((await sendJson(harness, 'PUT', '/attributes/x', { type: 'float' })).status).toBe(400);
    const list = await getJson<{ name: string; type: string }[]>(harness, '/attributes');
    expect(list.body.find((attribute) => attribute.name === 'store_visits')).toMatchObject({ type: 'number', description: 'visits' });
    expect((await sendJson(harness, 'DELETE', '/attributes/store_visits')).status).toBe(204);
    expect((await sendJson(harness, 'DELETE', '/attributes/store_visits')).status).toBe(404);
  });

  it('should require the bearer token', async () => {
    const response = await fetch(`${harness.service.baseUrl}/imports`);

    expect(response.status).toBe(401);
  });

  it('should count imports by status on /metrics', async () => {
    const metrics = await (await fetch(`${harness.service.baseUrl}/metrics`)).text();

    expect(metrics).toMatch(/profile_imports_total\{dataset="customers",status="applied",service="profile-import"\} [1-9]/);
    expect(metrics).toMatch(/profile_imports_total\{dataset="customers",status="refused",service="profile-import"\} [1-9]/);
  });

  describe('inbox watcher', () => {
    function drop(name: string, content: string | Buffer): void {
      // Written under another name and renamed, as a careful transfer does; the watcher also
      // waits for a file to stop growing (IMPORT_INBOX_STABLE_MS).
      writeFileSync(join(inbox, `.${name}.part`), content);
      writeFileSync(join(inbox, name), content);
      rmSync(join(inbox, `.${name}.part`));
    }

    it('should import matching files and move them to processed/ or failed/ with the reason', async () => {
      drop('customers_20261125.csv', customersFile('INBOX', 10));
      drop('transactions_20261125.csv.gz', gzipSync('transaction_id,customer_id,occurred_at,amount\nINBOX-T1,INBOX00001,2026-11-25T09:00:00Z,12.50\n'));
      drop('transactions_20261125_broken.csv', 'transaction_id,customer_id\nX,Y\n');
      drop('orders_20261125.csv', 'order_id\n1\n');
      drop('notes.txt', 'not an import');

      await waitFor(() => ['processed/customers_20261125.csv', 'processed/transactions_20261125.csv.gz', 'failed/transactions_20261125_broken.csv', 'failed/orders_20261125.csv'].every((path) => existsSync(join(inbox, path))), {
        what: 'the inbox files to be moved',
      });

      const report = await latestImport(harness, 'customers_20261125.csv');
      expect(report).toMatchObject({ status: 'applied', asOfDate: '2026-11-25', rows: { loaded: 10 } });
      expect((await latestImport(harness, 'transactions_20261125.csv.gz')).status).toBe('applied');
      expect(readFileSync(join(inbox, 'failed/transactions_20261125_broken.csv.error.txt'), 'utf8')).toMatch(/refused: file refused: line 1: missing required columns "occurred_at", "amount"/);
      expect(readFileSync(join(inbox, 'failed/orders_20261125.csv.error.txt'), 'utf8')).toBe('unknown dataset "orders": use customers or transactions\n');
      expect(existsSync(join(inbox, 'notes.txt'))).toBe(true);
      expect(await rows(harness, `SELECT customer_id FROM profiles.customer_v WHERE customer_id LIKE 'INBOX%'`)).toHaveLength(10);
    });
  });

  describe('CLI', () => {
    function capture(): { io: { stdout: { write: (text: string) => boolean }; stderr: { write: (text: string) => boolean } }; out: () => string; err: () => string } {
      let out = '';
      let err = '';
      return {
        io: { stdout: { write: (text) => Boolean((out += text)) }, stderr: { write: (text) => Boolean((err += text)) } },
        out: () => out,
        err: () => err,
      };
    }

    it('should import a file, print its report, and tell a repeated file and a forced one apart', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'profile-import-cli-'));
      const file = join(folder, 'customers_20261124.csv');
      writeFileSync(file, customersFile('CLI', 25));
      try {
        const first = capture();
        expect(await runImportCommand(['customers', file], harness.env, first.io)).toBe(0);
        expect(JSON.parse(first.out())).toMatchObject({ status: 'applied', fileName: 'customers_20261124.csv', asOfDate: '2026-11-24', rows: { loaded: 25 } });
        expect(first.err()).toContain('applied: 25 of 25 rows loaded');

        const again = capture();
        expect(await runImportCommand(['customers', file], harness.env, again.io)).toBe(0);
        expect(JSON.parse(again.out())).toMatchObject({ status: 'unchanged' });

        const forced = capture();
        expect(await runImportCommand(['customers', file, '--force', '--as-of', '2026-11-23'], harness.env, forced.io)).toBe(0);
        expect(JSON.parse(forced.out())).toMatchObject({ status: 'applied', forced: true, asOfDate: '2026-11-23', rows: { unchanged: 25 } });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      expect(await rows(harness, `SELECT customer_id FROM profiles.customer_v WHERE customer_id LIKE 'CLI%'`)).toHaveLength(25);
    });

    it('should exit 1 for a refused file and 2 for a usage error', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'profile-import-cli-'));
      const file = join(folder, 'empty.csv');
      writeFileSync(file, '');
      try {
        const refused = capture();
        expect(await runImportCommand(['customers', file], harness.env, refused.io)).toBe(1);
        expect(refused.err()).toContain('refused: file refused: the file is empty');
        const usage = capture();
        expect(await runImportCommand(['customers'], harness.env, usage.io)).toBe(2);
        expect(usage.err()).toContain('usage: main.js import <customers|transactions>');
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
});
