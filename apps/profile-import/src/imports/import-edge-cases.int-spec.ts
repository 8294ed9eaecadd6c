import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs, waitFor } from '@optimove/testing';
import { createLogger } from '@optimove/observability';
import { getJson, rows, sendJson, startHarness, streamUpload, upload, type Harness, type Report } from '../../test/profile-import-test-kit';

// What a second review as a hostile client and an unlucky operator found after issue 8's
// hardening. Every test here was first seen failing on the import before its fix.

describe('Profile import edge cases', () => {
  let harness: Harness;
  const inbox = mkdtempSync(join(tmpdir(), 'profile-import-edges-'));

  beforeAll(async () => {
    harness = await startHarness(
      'profile_import_edges',
      { IMPORT_INBOX_DIR: inbox, IMPORT_INBOX_STABLE_MS: '300', IMPORT_UPLOAD_IDLE_TIMEOUT_MS: '700' },
      createLogger({ service: 'profile-import', level: 'debug', destination: captureLogs().stream }),
    );
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(inbox, { recursive: true, force: true });
  });

  describe('line endings', () => {
    it('should apply a file whose last line ends in a bare carriage return instead of failing with 500', async () => {
      const { status, report } = await upload(harness, 'customers', 'customer_id,registered_at,country\nCR-1,,DE\nCR-2,,FR\r');

      expect([status, report.status]).toEqual([201, 'applied']);
      expect(await rows(harness, `SELECT customer_id, country FROM profiles.customer_v WHERE customer_id LIKE 'CR-%' ORDER BY 1`)).toEqual([
        { customer_id: 'CR-1', country: 'DE' },
        { customer_id: 'CR-2', country: 'FR' },
      ]);
    });

    it('should load a last row whose quoted last field is followed by a bare carriage return', async () => {
      const { status, report } = await upload(harness, 'customers', 'customer_id,registered_at,country\nCQ-1,,DE\nCQ-2,,"FR"\r');

      expect([status, report.status, report.rows.loaded, report.rows.rejected]).toEqual([201, 'applied', 2, 0]);
      expect(await rows(harness, `SELECT country FROM profiles.customer_v WHERE customer_id = 'CQ-2'`)).toEqual([{ country: 'FR' }]);
    });
  });

  describe('uploads', () => {
    it('should stop a multipart upload that stalls before its file part after the idle timeout (408) instead of waiting forever', async () => {
      const result = await streamUpload(harness, 'customers', { 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Transfer-Encoding': 'chunked' }, async (send, abort, responded) => {
        await send('--XyZ\r\nContent-Disposition: form-data; name="file"; filen');
        await waitFor(() => responded(), { timeoutMs: 3_000, what: 'an answer to the stalled multipart upload' }).catch(() => abort());
      });

      expect(result.status).toBe(408);
      expect(JSON.parse(result.body)).toMatchObject({ message: 'upload stalled: no data for 700 ms (IMPORT_UPLOAD_IDLE_TIMEOUT_MS) before the file part of the multipart body' });
    });
  });

  describe('crash recovery', () => {
    it('should keep an applied import\'s counts in its report when the report cannot be written after the apply\'s commit', async () => {
      // The final write of the report fails, as when the process stops or loses its connection right after the commit.
      await harness.db.query(`CREATE FUNCTION profiles.lose_final_save() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'connection lost'; END $$`);
      await harness.db.query(
        `CREATE TRIGGER lose_final_save BEFORE UPDATE ON profiles.imports FOR EACH ROW WHEN (NEW.file_name = 'after-commit.csv' AND NEW.finished_at IS NOT NULL) EXECUTE FUNCTION profiles.lose_final_save()`,
      );
      try {
        await upload(harness, 'customers', 'customer_id,registered_at,country\nAC-1,,DE\n\nAC-2,,FR\n', { query: 'fileName=after-commit.csv' });
      } finally {
        await harness.db.query('DROP TRIGGER lose_final_save ON profiles.imports');
        await harness.db.query('DROP FUNCTION profiles.lose_final_save()');
      }

      expect(await rows(harness, `SELECT customer_id FROM profiles.customer_v WHERE customer_id LIKE 'AC-%'`)).toHaveLength(2);
      const [report] = await rows(harness, `SELECT status, rows_read, rows_loaded, rows_inserted, lines_total, lines_header, lines_blank, lines_loaded FROM profiles.imports WHERE file_name = 'after-commit.csv'`);
      expect(report).toEqual({
        status: 'applied',
        rows_read: '2',
        rows_loaded: '2',
        rows_inserted: '2',
        lines_total: '4',
        lines_header: '1',
        lines_blank: '1',
        lines_loaded: '2',
      });
    });
  });

  describe('the inbox', () => {
    it('should refuse a file that changes after it was claimed, moving it to failed/ with nothing applied', async () => {
      // Held here, the dataset's lock keeps the import waiting once it has read the file.
      await harness.db.query(`SELECT pg_advisory_lock(hashtext('profile-import:customers'))`);
      try {
        writeFileSync(join(inbox, 'customers_20261210.csv'), 'customer_id,registered_at,country\nCHG-1,,DE\nCHG-2,,DE\n');
        await waitFor(async () => (await rows(harness, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0, { what: 'the import to wait for the lock' });
        appendFileSync(join(inbox, 'processing/customers_20261210.csv'), 'CHG-3,,DE\n');
      } finally {
        await harness.db.query(`SELECT pg_advisory_unlock(hashtext('profile-import:customers'))`);
      }

      await waitFor(() => existsSync(join(inbox, 'processed/customers_20261210.csv')) || existsSync(join(inbox, 'failed/customers_20261210.csv')), { what: 'the changed file to be handled' });

      expect(readFileSync(join(inbox, 'failed/customers_20261210.csv.error.txt'), 'utf8')).toMatch(/refused: file refused: the file changed while it was imported/);
      expect(await rows(harness, `SELECT customer_id FROM profiles.customer_v WHERE customer_id LIKE 'CHG-%'`)).toEqual([]);
    });
  });

  describe('the reports API', () => {
    it.each([
      ['/imports?offset=100000000000000000000', 'offset'],
      ['/imports?offset=1e21', 'offset'],
      ['/imports/{id}?rejectionsOffset=100000000000000000000', 'rejectionsOffset'],
    ])('should answer 400 naming the parameter, not 500, for %s', async (path, parameter) => {
      const { report } = await upload(harness, 'customers', 'customer_id,registered_at,country\nPAGE-1,,DE\n');

      const { status, body } = await getJson<{ message: string[] }>(harness, path.replace('{id}', report.id));

      expect(status).toBe(400);
      expect(body.message.join(' ')).toContain(parameter);
    });

    it('should list every report exactly once across pages when several started at the same instant', async () => {
      const ids = Array.from({ length: 40 }, (_v, i) => `0b6c3a5e-0000-4000-8000-${String(i).padStart(12, '0')}`);
      for (const id of ids) {
        await harness.db.query(
          `INSERT INTO profiles.imports (id, dataset, channel, file_name, as_of_date, status, started_at) VALUES ($1, 'customers', 'upload', 'tie.csv', '2026-11-29', 'interrupted', '2026-11-29T10:00:00Z')`,
          [id],
        );
      }

      const listed: string[] = [];
      for (let offset = 0; offset < ids.length; offset += 3) {
        const { body } = await getJson<{ items: Report[] }>(harness, `/imports?status=interrupted&limit=3&offset=${offset}`);
        listed.push(...body.items.map((item) => item.id));
      }

      expect([...listed].sort()).toEqual(ids);
    });
  });

  describe('the attribute catalogue', () => {
    it('should answer one of two concurrent declarations of a new attribute with different types 409, never 500, and keep the type of the other', async () => {
      for (let round = 0; round < 10; round++) {
        const name = `race_${round}`;

        const answers = await Promise.all([sendJson(harness, 'PUT', `/attributes/${name}`, { type: 'number' }), sendJson(harness, 'PUT', `/attributes/${name}`, { type: 'text' })]);

        expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
        const declared = answers.find((answer) => answer.status === 201)!.body as { type: string };
        expect(await rows(harness, 'SELECT type FROM profiles.attribute_v WHERE name = $1', [name])).toEqual([{ type: declared.type }]);
      }
    });

    it('should refuse a file whose attribute was declared again with another type while the file was read, applying nothing', async () => {
      expect((await sendJson(harness, 'PUT', '/attributes/points_retyped', { type: 'number' })).status).toBe(201);
      // Held here, the dataset's lock keeps the import waiting once it has read the file.
      await harness.db.query(`SELECT pg_advisory_lock(hashtext('profile-import:customers'))`);
      let result: Promise<{ status: number; report: Report }>;
      try {
        result = upload(harness, 'customers', 'customer_id,registered_at,country,points_retyped\nRT-1,,DE,12\n');
        await waitFor(async () => (await rows(harness, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0, { what: 'the import to wait for the lock' });
        expect((await sendJson(harness, 'DELETE', '/attributes/points_retyped')).status).toBe(204);
        expect((await sendJson(harness, 'PUT', '/attributes/points_retyped', { type: 'boolean' })).status).toBe(201);
      } finally {
        await harness.db.query(`SELECT pg_advisory_unlock(hashtext('profile-import:customers'))`);
      }
      const { report } = await result;

      expect([report.status, report.message]).toEqual([
        'refused',
        'file refused: attribute "points_retyped" was read as number, and is now boolean: the attribute catalogue changed while the file was read; nothing applied, import the file again',
      ]);
      expect(await rows(harness, `SELECT customer_id FROM profiles.customer_v WHERE customer_id = 'RT-1'`)).toEqual([]);
    });

    it('should answer two concurrent declarations of a new attribute with one type 201 and 200', async () => {
      for (let round = 0; round < 10; round++) {
        const declare = (): Promise<{ status: number }> => sendJson(harness, 'PUT', `/attributes/same_${round}`, { type: 'date' });

        const answers = await Promise.all([declare(), declare()]);

        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
      }
    });
  });
});
