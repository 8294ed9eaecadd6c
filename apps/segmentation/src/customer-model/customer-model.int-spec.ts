import { DataSource } from 'typeorm';
import { SystemClock } from '@optimove/clock';
import { loadConfig } from '@optimove/config';
import { createLogger } from '@optimove/observability';
import { SegmentationConfig } from '../config/segmentation.config';
import { dataSourceOptions, SCHEMA } from '../database/data-source-options';
import { runMigrations } from '@optimove/database';
import { createProfiles, type Profiles } from '../../test/segmentation-test-kit';
import { customersCsv, expectedFacts, prng, randomTransactions, transactionsCsv, type Tx } from '../../test/profile-data';
import { CustomerModelService } from './customer-model.service';
import { classify, modelSettings, type ModelSettings } from './lifecycle';
import { ModelQueriesService } from './model-queries.service';

// The model on the real PostgreSQL, fed through profile-import's CLI: lifecycle transitions of a
// crafted purchase timeline, SQL against the TypeScript rules on random customers, and the
// incremental day steps against a full rebuild.

type ModelRow = Record<string, unknown> & { customer_id: string; lifecycle_stage: string; micro_segment: string | null };

// Runs over 100k customers take long on a shared 2-core machine.
jest.setTimeout(240_000);

describe(CustomerModelService.name, () => {
  let profiles: Profiles;
  let dataSource: DataSource;
  let model: CustomerModelService;
  let queries: ModelQueriesService;
  let config: SegmentationConfig;
  let indexesBefore: unknown[];
  const transactions: Tx[] = [];
  const logger = createLogger({ service: 'segmentation', level: 'silent' });
  const indexes = (): Promise<unknown[]> =>
    dataSource.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'segmentation'
      AND tablename IN ('customer_model', 'customer_state_history') ORDER BY indexname`);

  const tx = (customerId: string, day: string, cents = 5_000): Tx => ({ id: `${customerId}-${day}-${transactions.length}`, customerId, day, hour: 12, cents });

  beforeAll(async () => {
    profiles = await createProfiles('seg_model');
    config = loadConfig(SegmentationConfig, profiles.env);
    dataSource = new DataSource(dataSourceOptions(config));
    await dataSource.initialize();
    await runMigrations(dataSource, SCHEMA);
    indexesBefore = await indexes();
    model = new CustomerModelService(dataSource, config, new SystemClock(), logger);
    queries = new ModelQueriesService(dataSource);

    const random = prng(42);
    const randomIds = Array.from({ length: 300 }, (_, i) => `r${String(i).padStart(4, '0')}`);
    transactions.push(
      // The crafted timeline: new, active, at_risk, churned, reactivated, active again.
      tx('tl-1', '2025-01-10'), tx('tl-1', '2025-02-01'), tx('tl-1', '2025-12-01'),
      // Crafted transitions inside the stepped days (2026-03-01 .. 2026-03-07).
      tx('s-new', '2026-01-30'),
      tx('s-risk', '2025-10-01'), tx('s-risk', '2025-12-03'),
      tx('s-churn', '2025-09-05'),
      tx('s-react', '2025-06-01'), tx('s-react', '2026-03-06'),
      // Two purchases 186 days apart, both within 190 days of 2026-03-08: reactivated by the second.
      tx('s-react2', '2025-08-31'), tx('s-react2', '2026-03-05'),
      tx('s-buyer-only', '2026-03-04'),
      ...randomTransactions(random, randomIds, '2025-01-01', '2026-03-10', 12, 'rt'),
    );
    await profiles.importCsv('customers', customersCsv([...['tl-1', 'tl-2', 's-new', 's-risk', 's-churn', 's-react', 's-react2'].map((id) => ({ id })), ...randomIds.map((id) => ({ id, country: 'DE' }))]), '2026-03-01');
    await profiles.importCsv('transactions', transactionsCsv(transactions), '2026-03-01');
  }, 180_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await profiles?.close();
  });

  const stageOf = async (customerId: string): Promise<string> => {
    const [row] = await dataSource.query<ModelRow[]>(`SELECT * FROM segmentation.customer_model WHERE customer_id = $1`, [customerId]);
    return row.lifecycle_stage;
  };

  // Every metric, score, stage and micro-segment of the crafted and random customers as the TypeScript rules say.
  const expectRulesFollowed = async (day: string, settings: ModelSettings): Promise<void> => {
    const rows = await dataSource.query<ModelRow[]>(`SELECT * FROM segmentation.customer_model WHERE customer_id LIKE 'r%' OR customer_id LIKE 's-%' ORDER BY customer_id`);
    expect(rows.length).toBeGreaterThan(300);
    const asDay = (value: unknown): string | null => (value instanceof Date ? value.toISOString().slice(0, 10) : (value as string | null));
    for (const row of rows) {
      const own = transactions.filter((t) => t.customerId === row.customer_id);
      const facts = expectedFacts(own, day, settings);
      const expected = classify(facts, day, settings);
      expect({
        id: row.customer_id,
        stage: row.lifecycle_stage,
        segment: row.micro_segment,
        scores: [row['recency_score'], row['frequency_score'], row['monetary_score']],
        days: [asDay(row['first_purchase_on']), asDay(row['last_purchase_on']), asDay(row['reactivated_on'])],
        orders: [row['orders_30d'], row['orders_90d'], row['orders_365d'], row['orders_rfm'], row['orders_lifetime']],
        spend: [row['spend_30d'], row['spend_90d'], row['spend_365d'], row['spend_rfm'], row['spend_lifetime']].map((value) => Math.round(Number(value) * 100)),
      }).toEqual({
        id: row.customer_id,
        stage: expected.lifecycleStage,
        segment: expected.microSegment,
        scores: [expected.recencyScore, expected.frequencyScore, expected.monetaryScore],
        days: [facts.firstPurchaseOn, facts.lastPurchaseOn, facts.reactivatedOn],
        orders: ['30d', '90d', '365d', 'rfm', 'lifetime'].map((window) => facts.orders[window]),
        spend: ['30d', '90d', '365d', 'rfm', 'lifetime'].map((window) => facts.spendCents[window]),
      });
    }
  };

  // The model and its history after stepping to `day`, then after a full rebuild as of the same day: equal.
  const expectRebuildEqualsSteps = async (service: CustomerModelService): Promise<void> => {
    const incremental = await dataSource.query<ModelRow[]>(`SELECT * FROM segmentation.customer_model ORDER BY customer_id`);
    const historyBefore = await dataSource.query<unknown[]>(`SELECT * FROM segmentation.customer_state_history ORDER BY customer_id, valid_from`);
    const rebuilt = await service.rebuild();
    expect(rebuilt).toMatchObject({ mode: 'rebuild', historyChanges: 0 });
    expect(await dataSource.query<ModelRow[]>(`SELECT * FROM segmentation.customer_model ORDER BY customer_id`)).toEqual(incremental);
    expect(await dataSource.query<unknown[]>(`SELECT * FROM segmentation.customer_state_history ORDER BY customer_id, valid_from`)).toEqual(historyBefore);
  };

  it('should move a customer through every lifecycle stage along its purchase timeline', async () => {
    const timeline: [string, string][] = [
      ['2025-01-05', 'prospect'],
      ['2025-01-20', 'new'],
      ['2025-03-05', 'active'],
      ['2025-05-15', 'at_risk'],
      ['2025-08-15', 'churned'],
      ['2025-12-10', 'reactivated'],
      ['2026-01-15', 'active'],
    ];
    for (const [day, stage] of timeline) {
      await model.updateTo(day);
      expect([day, await stageOf('tl-1')]).toEqual([day, stage]);
      expect(await stageOf('tl-2')).toBe('prospect');
    }
    // History: one row per change, each closed where the next begins.
    const history = await queries.customer('tl-1');
    expect(history.history.map((row) => [row.validFrom, row.lifecycleStage])).toEqual(timeline.map(([day, stage]) => [day, stage]));
    expect(history.history.slice(0, -1).map((row) => row.validTo)).toEqual(timeline.slice(1).map(([day]) => day));
  });

  it('should keep the keys and indexes of the model and its history when the first build loads them without', async () => {
    // The first build (of the test above) loaded both tables with their indexes dropped.
    expect(await indexes()).toEqual(indexesBefore);
    expect(indexesBefore).toHaveLength(4);
  });

  it('should step day by day to the same model a full rebuild computes, recording each transition on its day', async () => {
    await model.updateTo('2026-03-01');
    const steps = await model.updateTo('2026-03-03');
    expect(steps.mode).toBe('incremental');
    // A customer row that arrives later (a prospect) joins at the next step.
    await profiles.importCsv('customers', customersCsv([{ id: 's-late', country: 'FR' }]), '2026-03-03');
    const more = await model.updateTo('2026-03-07');
    expect(more).toMatchObject({ mode: 'incremental', fromDate: '2026-03-03', toDate: '2026-03-07' });
    expect(more.days.map((day) => day.day)).toEqual(['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07']);
    expect(more.days[0].newCustomers).toBe(2); // s-late (a customer row) and s-buyer-only (a buyer without one)

    const incremental = await dataSource.query<ModelRow[]>(`SELECT * FROM segmentation.customer_model ORDER BY customer_id`);
    await expectRebuildEqualsSteps(model);

    const changed = async (date: string, from: string, to: string): Promise<string[]> =>
      (await queries.changers(date, { from, to, limit: 1000, offset: 0 })).items.map((item) => item.customerId);
    expect(await changed('2026-03-02', 'new', 'active')).toContain('s-new');
    expect(await changed('2026-03-04', 'active', 'at_risk')).toContain('s-risk');
    expect(await changed('2026-03-05', 'at_risk', 'churned')).toContain('s-churn');
    expect(await changed('2026-03-06', 'churned', 'reactivated')).toEqual(expect.arrayContaining(['s-react']));
    expect(await stageOf('s-buyer-only')).toBe('new');
    expect(await stageOf('s-late')).toBe('prospect');

    // The distribution over the stepped days adds up to the customers of each day.
    const distribution = await queries.distribution('lifecycle_stage', '2026-03-01', '2026-03-07');
    expect(distribution).toHaveLength(7);
    const total = (day: { customers: Record<string, number> }): number => Object.values(day.customers).reduce((sum, n) => sum + n, 0);
    expect(total(distribution[6])).toBe(incremental.length);
  });

  it('should compute every metric, score, stage and micro-segment as the TypeScript rules do', async () => {
    await expectRulesFollowed('2026-03-07', modelSettings(config));
    expect(await stageOf('s-react2')).toBe('reactivated');
  });

  it('should follow the rules with an RFM window of its own and reactivation days longer than the churn days', async () => {
    // 200 days is none of the 30/90/365-day windows (a band of its own); with reactivation days
    // (190) above the churn days (180), a reactivation can follow another purchase inside them.
    const otherConfig = loadConfig(SegmentationConfig, { ...profiles.env, RFM_WINDOW_DAYS: '200', LIFECYCLE_REACTIVATED_DAYS: '190' });
    const other = new CustomerModelService(dataSource, otherConfig, new SystemClock(), logger);
    expect(await other.updateTo('2026-03-08')).toMatchObject({ mode: 'rebuild' });
    await expectRulesFollowed('2026-03-08', modelSettings(otherConfig));
    // Its first purchase of the 190 days (2025-08-31) follows none; the second (2026-03-05) came 186 days later.
    expect(await stageOf('s-react2')).toBe('reactivated');
    expect(await other.updateTo('2026-03-10')).toMatchObject({ mode: 'incremental' });
    await expectRulesFollowed('2026-03-10', modelSettings(otherConfig));
    await expectRebuildEqualsSteps(other);
  });
});
