/** What runs a statement and answers its rows: a TypeORM EntityManager or QueryRunner. */
export type SqlRunner = { query: (sql: string, parameters?: unknown[]) => Promise<unknown> };

/**
 * Runs `work` with planner or storage settings of PostgreSQL changed for the current transaction
 * only (`set_config(name, value, true)`, as SET LOCAL), then sets each back to the value it had,
 * also when `work` fails: the settings are for one statement, not for the rest of the transaction.
 * When `work` fails, its error is what this throws.
 */
export async function withLocalSettings<T>(runner: SqlRunner, settings: Readonly<Record<string, string | number>>, work: () => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  const before = (await runner.query(`SELECT name, current_setting(name) AS value FROM unnest($1::text[]) AS name`, [names])) as { name: string; value: string }[];
  const apply = (values: readonly { name: string; value: string }[]): Promise<unknown> =>
    runner.query(`SELECT set_config(s.name, s.value, true) FROM unnest($1::text[], $2::text[]) AS s(name, value)`, [values.map((v) => v.name), values.map((v) => v.value)]);
  await apply(names.map((name) => ({ name, value: String(settings[name]) })));
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // A failed statement aborts the transaction, and its rollback discards the settings anyway:
    // the restore then fails too, and must not hide why the work failed.
    await apply(before).catch(() => undefined);
    throw error;
  }
  await apply(before);
  return result;
}
