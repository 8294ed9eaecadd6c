import { freePort, startAppProcess, startTestService, testServiceQueues, type AppProcess, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { call, createProfiles, type Profiles } from '../../test/segmentation-test-kit';
import type { RunReport } from '../run-report/run-report.service';

// Stored attribute values that do not fit the attribute's declared type, as profile-import leaves
// them: attributes declared as text and loaded, then deleted and declared again as number, date and
// boolean (the stored values stay). Such a value counts as missing for a rule, never as an error.
// Other customers are loaded after the new declarations, so they hold what a correct import stores.

const AS_OF = '2026-06-01';
const RUN = '2026-06-02';

// Loaded while every attribute was text: none of these fits its later type. (An impossible day such
// as 2026-02-30 is no text value profile-import stores: eight digits look like a phone number; the
// rule compiler's test covers it.)
const AS_TEXT = [
  'customer_id,registered_at,country,points,birthday,vip',
  'a-gold,2024-01-01,DE,gold,someday,maybe',
  'a-digits,2024-01-01,DE,12,2026-02,true',
  'a-empty,2024-01-01,DE,,,',
].join('\n');

// Loaded after points became a number, birthday a date and vip a boolean.
const TYPED = [
  'customer_id,registered_at,country,points,birthday,vip',
  'a-typed,2024-01-01,DE,12,2024-02-29,yes',
  'a-other,2024-01-01,DE,3.5e0,1990-07-01,false',
].join('\n');

jest.setTimeout(120_000);

describe('attribute values that do not fit the declared type', () => {
  let profiles: Profiles;
  let profileImport: AppProcess | undefined;
  let service: RunningTestService;
  let base: string;

  const http = <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => call<T>(base, method, path, body);

  beforeAll(async () => {
    profiles = await createProfiles('seg_attr_values', { GLOBAL_CONTROL_SHARE: '0' });
    // The attribute catalogue is profile-import's API.
    const importer = await startAppProcess('profile-import', { ...profiles.env, HTTP_PORT: String(await freePort()) }, { migrate: false });
    profileImport = importer;
    const declare = async (name: string, type: string): Promise<void> => {
      expect((await call(importer.baseUrl, 'PUT', `/attributes/${name}`, { type })).status).toBe(201);
    };
    for (const name of ['points', 'birthday', 'vip']) await declare(name, 'text');
    await profiles.importCsv('customers', `${AS_TEXT}\n`, AS_OF);
    for (const [name, type] of [['points', 'number'], ['birthday', 'date'], ['vip', 'boolean']]) {
      expect((await call(importer.baseUrl, 'DELETE', `/attributes/${name}`)).status).toBe(204);
      await declare(name, type);
    }
    await profiles.importCsv('customers', `${TYPED}\n`, AS_OF);
    await importer.stop();
    service = await startTestService(serviceEntry(profiles.env));
    base = service.baseUrl;
  }, 120_000);

  afterAll(async () => {
    await profileImport?.stop();
    await service?.close();
    await profiles?.broker.cleanup(testServiceQueues(profiles.broker.queuePrefix, 'segmentation')).catch(() => undefined);
    await profiles?.close();
  });

  it('should hold the stored values as profile-import leaves them (the premise of the other tests)', async () => {
    const { rows } = await profiles.db.query<{ customer_id: string; attributes: Record<string, unknown> }>(
      `SELECT customer_id, attributes FROM profiles.customer_v ORDER BY customer_id`,
    );
    expect(rows).toEqual([
      { customer_id: 'a-digits', attributes: { points: '12', birthday: '2026-02', vip: 'true' } },
      { customer_id: 'a-empty', attributes: {} },
      { customer_id: 'a-gold', attributes: { points: 'gold', birthday: 'someday', vip: 'maybe' } },
      { customer_id: 'a-other', attributes: { points: 3.5, birthday: '1990-07-01', vip: false } },
      { customer_id: 'a-typed', attributes: { points: 12, birthday: '2024-02-29', vip: true } },
    ]);
  });

  it.each([
    [{ field: 'attributes.points', op: 'is_null' }, ['a-digits', 'a-empty', 'a-gold']],
    [{ field: 'attributes.points', op: 'is_not_null' }, ['a-other', 'a-typed']],
    [{ field: 'attributes.points', op: 'eq', value: 12 }, ['a-typed']],
    [{ field: 'attributes.points', op: 'gte', value: 0 }, ['a-other', 'a-typed']],
    [{ field: 'attributes.points', op: 'neq', value: 12 }, ['a-digits', 'a-empty', 'a-gold', 'a-other']],
    [{ not: { field: 'attributes.points', op: 'lt', value: 100 } }, ['a-digits', 'a-empty', 'a-gold']],
    [{ field: 'attributes.birthday', op: 'is_null' }, ['a-digits', 'a-empty', 'a-gold']],
    [{ field: 'attributes.birthday', op: 'between', value: ['1900-01-01', '2100-12-31'] }, ['a-other', 'a-typed']],
    [{ field: 'attributes.birthday', op: 'eq', value: '2024-02-29' }, ['a-typed']],
    [{ field: 'attributes.vip', op: 'is_null' }, ['a-digits', 'a-empty', 'a-gold']],
    [{ field: 'attributes.vip', op: 'eq', value: true }, ['a-typed']],
    [{ field: 'attributes.vip', op: 'neq', value: false }, ['a-digits', 'a-empty', 'a-gold', 'a-typed']],
  ])('should count a stored value that does not fit the declared type as missing in a preview: %j', async (rule, expected) => {
    const preview = await http<{ count: number; sample: string[] }>('POST', '/target-groups/preview', { rule, asOf: AS_OF });

    expect([preview.status, preview.body]).toEqual([200, expect.objectContaining({ count: expected.length, sample: expected })]);
  });

  it('should execute every due campaign when one rule reads values that do not fit, those customers counting as missing', async () => {
    const group = async (name: string, rule: unknown): Promise<string> => {
      const response = await http<{ id: string }>('POST', '/target-groups', { name, rule });
      expect(response.status).toBe(201);
      return response.body.id;
    };
    const plan = (name: string, targetGroupId: string, priority: number): Record<string, unknown> => ({
      name,
      targetGroupId,
      templateMessageId: String(priority),
      sendTime: '09:30',
      timeZone: 'Europe/Berlin',
      recurrence: { type: 'daily', startDate: '2026-01-01' },
      controlShare: 0,
      priority,
      actionDurationDays: 1,
    });
    const points = await group('points customers', { any: [{ field: 'attributes.points', op: 'gte', value: 10 }, { field: 'attributes.birthday', op: 'lt', value: '2000-01-01' }] });
    const everyone = await group('everyone in DE', { field: 'country', op: 'eq', value: 'DE' });
    for (const body of [plan('points', points, 1), plan('everyone', everyone, 2)]) expect((await http('POST', '/campaigns', body)).status).toBe(201);

    const run = await http<RunReport>('POST', '/runs', { runDate: RUN, wait: true });

    expect(run.status).toBe(202);
    expect({ status: run.body.status, error: run.body.error }).toEqual({ status: 'completed', error: null });
    const { rows } = await profiles.db.query<{ campaign: string; customer_id: string; outcome: string }>(
      `SELECT c.name AS campaign, l.customer_id, coalesce(l.exclusion_reason, g.name) AS outcome
       FROM segmentation.assignment_ledger_v l JOIN segmentation.executions e ON e.id = l.execution_id JOIN segmentation.campaigns c ON c.id = e.campaign_id
       LEFT JOIN segmentation.execution_groups g ON g.group_id = l.group_id
       WHERE e.run_date = $1 ORDER BY c.name, l.customer_id`,
      [RUN],
    );
    expect(rows).toEqual([
      { campaign: 'everyone', customer_id: 'a-digits', outcome: 'main' },
      { campaign: 'everyone', customer_id: 'a-empty', outcome: 'main' },
      { campaign: 'everyone', customer_id: 'a-gold', outcome: 'main' },
      { campaign: 'everyone', customer_id: 'a-other', outcome: 'taken_by_priority' },
      { campaign: 'everyone', customer_id: 'a-typed', outcome: 'taken_by_priority' },
      { campaign: 'points', customer_id: 'a-other', outcome: 'main' },
      { campaign: 'points', customer_id: 'a-typed', outcome: 'main' },
    ]);
  });
});
