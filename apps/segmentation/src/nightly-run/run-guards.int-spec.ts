import { startTestService, testServiceQueues, waitFor, type RunningTestService } from '@optimove/testing';
import { Client } from 'pg';
import { serviceEntry } from '../service-entry';
import { addDays } from '../shared/days';
import { call, createProfiles, type Profiles } from '../../test/segmentation-test-kit';
import { customersCsv, transactionsCsv } from '../../test/profile-data';
import type { RunReport } from '../run-report/run-report.service';

// What the run dates, the dry run and the scheduler must never do to the model and the runs, on
// the real clock (RUN_TIME_ZONE UTC): a dry run leaves the model where it is, a run date whose day
// before is not over is refused, a dry run beside a run does not fail it, and a scheduled run that
// found another run holding the lock starts once the lock is free.

jest.setTimeout(180_000);

const TODAY = new Date().toISOString().slice(0, 10);
const RUN_LOCK = 'segmentation.nightly-run';

describe('run guards', () => {
  let profiles: Profiles;
  let service: RunningTestService;
  let base: string;

  const http = <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => call<T>(base, method, path, body);
  const modelDate = async (): Promise<string | null> =>
    ((await profiles.db.query(`SELECT to_char(model_date, 'YYYY-MM-DD') AS day FROM segmentation.model_state`)).rows[0] as { day: string | null }).day;
  const runStatus = async (runDate: string): Promise<string | undefined> =>
    ((await profiles.db.query(`SELECT status FROM segmentation.runs WHERE run_date = $1`, [runDate])).rows[0] as { status: string } | undefined)?.status;

  beforeAll(async () => {
    profiles = await createProfiles('seg_guards', { RUN_TIME_ZONE: 'UTC' });
    const customers = Array.from({ length: 40 }, (_, i) => ({ id: `g${i}`, country: i % 2 ? 'DE' : 'FR' }));
    await profiles.importCsv('customers', customersCsv(customers), addDays(TODAY, -10));
    const purchases = customers.flatMap((customer, i) => [
      { id: `t${i}a`, customerId: customer.id, day: addDays(TODAY, -40 - i), hour: 10, cents: 1000 + i },
      { id: `t${i}b`, customerId: customer.id, day: addDays(TODAY, -1 - (i % 6)), hour: 12, cents: 500 },
    ]);
    await profiles.importCsv('transactions', transactionsCsv(purchases), addDays(TODAY, -1));
    service = await startTestService(serviceEntry(profiles.env));
    base = service.baseUrl;
    const group = await http<{ id: string }>('POST', '/target-groups', { name: 'all', rule: { field: 'country', op: 'in', value: ['DE', 'FR'] } });
    const campaign = await http('POST', '/campaigns', {
      name: 'daily',
      targetGroupId: group.body.id,
      templateMessageId: '100',
      sendTime: '09:30',
      timeZone: 'UTC',
      recurrence: { type: 'daily', startDate: addDays(TODAY, -5) },
      controlShare: 0.1,
      priority: 1,
      actionDurationDays: 1,
    });
    expect(campaign.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await service?.close();
    await profiles?.broker.cleanup(testServiceQueues(profiles.broker.queuePrefix, 'segmentation')).catch(() => undefined);
    await profiles?.close();
  });

  it('should leave the model where it is after a dry run, whatever its date', async () => {
    const next = await http<{ executions: unknown[] }>('POST', '/runs/preview', { runDate: addDays(TODAY, 7) });
    expect(next.status).toBe(200);
    expect(next.body.executions).toHaveLength(1);
    expect(await modelDate()).toBeNull();

    await http('POST', '/runs', { runDate: addDays(TODAY, -4), wait: true });
    expect(await modelDate()).toBe(addDays(TODAY, -5));
    const tonight = await http('POST', '/runs/preview', { runDate: addDays(TODAY, 1) });
    expect(tonight.status).toBe(200);
    expect(await modelDate()).toBe(addDays(TODAY, -5));
  });

  it('should refuse a run whose day before is not over, claiming nothing', async () => {
    const tomorrow = addDays(TODAY, 1);
    const refused = await http<{ message: string }>('POST', '/runs', { runDate: tomorrow });

    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(`run date ${tomorrow} is in the future: its model day ${TODAY} is not over in UTC (today is ${TODAY})`);
    expect(await runStatus(tomorrow)).toBeUndefined();
    expect(await modelDate()).toBe(addDays(TODAY, -5));
  });

  it('should complete a run that steps the model while a dry run of the same date steps it too', async () => {
    const runDate = addDays(TODAY, -1);
    const [preview, run] = await Promise.all([
      http<{ executions: unknown[] }>('POST', '/runs/preview', { runDate }),
      http<RunReport>('POST', '/runs', { runDate, wait: true }),
    ]);

    expect(preview.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'completed' });
    expect(run.body.executions).toHaveLength(1);
    expect(await modelDate()).toBe(addDays(TODAY, -2));
  });

  it('should start a scheduled run claimed while another run held the lock, once the lock is free', async () => {
    const holder = new Client({ connectionString: profiles.database.url });
    await holder.connect();
    let scheduled: RunningTestService | undefined;
    try {
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', [RUN_LOCK]);
      scheduled = await startTestService(serviceEntry({ ...profiles.env, RUN_SCHEDULE_ENABLED: 'true', RUN_SCHEDULE_TIME: '00:00', RUN_SCHEDULER_INTERVAL_MS: '200' }));
      await waitFor(async () => (await runStatus(TODAY)) !== undefined, { timeoutMs: 30_000, what: 'the scheduled run to be claimed' });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await runStatus(TODAY)).toBe('pending');

      await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [RUN_LOCK]);
      await waitFor(async () => (await runStatus(TODAY)) === 'completed', { timeoutMs: 30_000, what: 'the scheduled run to complete' });
      expect(await modelDate()).toBe(addDays(TODAY, -1));
    } finally {
      await scheduled?.close();
      await holder.end();
    }
  });
});
