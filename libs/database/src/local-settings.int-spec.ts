import { Client } from 'pg';
import { withLocalSettings, type SqlRunner } from './local-settings';

describe(withLocalSettings.name, () => {
  let client: Client;
  // The rows of each statement, as TypeORM's query answers them.
  const runner: SqlRunner = { query: async (sql, parameters): Promise<unknown> => (await client.query(sql, parameters)).rows as unknown };

  beforeAll(async () => {
    const url = process.env['TEST_DATABASE_ADMIN_URL'];
    if (!url) throw new Error('TEST_DATABASE_ADMIN_URL is not set: run integration tests through jest with the shared globalSetup');
    client = new Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  const setting = async (name: string): Promise<string> => (await client.query<{ value: string }>('SELECT current_setting($1) AS value', [name])).rows[0].value;

  it('should change the settings for the work only, then put back the values they had in the transaction', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL work_mem = '8MB'`);
      const seen = await withLocalSettings(runner, { work_mem: '32MB', parallel_setup_cost: 0, default_toast_compression: 'lz4' }, async () => [
        await setting('work_mem'),
        await setting('parallel_setup_cost'),
        await setting('default_toast_compression'),
      ]);
      expect(seen).toEqual(['32MB', '0', 'lz4']);
      expect([await setting('work_mem'), await setting('parallel_setup_cost'), await setting('default_toast_compression')]).toEqual(['8MB', '1000', 'pglz']);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('should put the settings back when the work fails, and change nothing beyond the transaction', async () => {
    const outside = await setting('enable_hashjoin');
    await client.query('BEGIN');
    try {
      await expect(withLocalSettings(runner, { enable_hashjoin: 'off' }, () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
      expect(await setting('enable_hashjoin')).toBe(outside);
      await withLocalSettings(runner, { enable_hashjoin: 'off' }, () => Promise.resolve());
    } finally {
      await client.query('COMMIT');
    }
    expect(await setting('enable_hashjoin')).toBe(outside);
  });

  it("should fail with the work's own error when a statement of the work failed (the transaction is aborted then)", async () => {
    await client.query('BEGIN');
    try {
      await expect(withLocalSettings(runner, { enable_hashjoin: 'off' }, () => runner.query('SELECT 1 / 0'))).rejects.toThrow('division by zero');
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
