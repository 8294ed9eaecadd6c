import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { createSegmentationDatabase } from '../../test/segmentation-test-kit';
import { addDays } from '../shared/days';
import { SqlParams } from '../shared/sql-params';
import { unitHash } from '../shared/unit-hash';
import { BASE_FIELDS, catalogueOf } from '../target-groups/field-catalogue';
import { assignmentPassSql, type PassPlan } from './assignment-pass-sql';

const RUN = '2026-06-10';
const STAGES = ['active', 'at_risk', 'churned'];
const COUNTRIES = ['DE', 'FR', 'NL'];

type Customer = { id: string; stage: string; country: string };
type Plan = { rule: { field: 'lifecycle_stage' | 'country'; value: string }; controlShare: number; weights: number[]; salt: string };
/** An earlier execution holding customers: of campaign `plan` (an index into the plans) or of a campaign outside the pass. */
type Hold = { plan: number | 'outside'; runDaysAgo: number; heldDays: number; customers: number[] };
type Outcome = { ordinal: number; customer_id: string; exclusion_reason: string | null; group_index: number | null };

/** The pass's rules, evaluated customer by customer (as the README and `assignmentPassSql` state them). */
function expectedOutcomes(customers: Customer[], plans: Plan[], holds: Hold[], global: { salt: string; share: number }): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const [index, customer] of customers.entries()) {
    const targets = plans.flatMap((plan, k) => ((plan.rule.field === 'country' ? customer.country : customer.stage) === plan.rule.value ? [k + 1] : []));
    const holders = (tonight: boolean): Set<number> =>
      new Set(
        holds
          .filter((hold) => hold.customers.includes(index) && (tonight ? hold.runDaysAgo === 0 : hold.runDaysAgo > 0 && hold.heldDays >= hold.runDaysAgo))
          .map((hold) => (hold.plan === 'outside' ? 0 : hold.plan + 1)),
      );
    const before = holders(false);
    const tonight = holders(true);
    const heldByAnother = (held: Set<number>, k: number): boolean => [...held].some((holder) => holder !== k);
    const assigned = targets.find((k) => !heldByAnother(before, k) && !heldByAnother(tonight, k));
    const inGlobalControl = unitHash(global.salt, customer.id) < global.share;
    for (const k of targets) {
      const plan = plans[k - 1];
      const reason = inGlobalControl ? 'global_control' : heldByAnother(before, k) ? 'action_duration' : k !== assigned ? 'taken_by_priority' : null;
      let group: number | null = null;
      if (reason === null) {
        // Variant i when the variant hash lies at or above the first i thresholds: 0 and each cumulative weight but the last, over the total.
        const total = plan.weights.reduce((sum, weight) => sum + weight, 0);
        let cumulative = 0;
        const thresholds = [0, ...plan.weights.slice(0, -1).map((weight) => (cumulative += weight) / total)];
        const variantHash = unitHash(`${plan.salt}:variant`, customer.id);
        group = unitHash(`${plan.salt}:control`, customer.id) < plan.controlShare ? 0 : thresholds.filter((threshold) => threshold <= variantHash).length;
      }
      outcomes.push({ ordinal: k, customer_id: customer.id, exclusion_reason: reason, group_index: group });
    }
  }
  return outcomes;
}

const order = (outcomes: Outcome[]): Outcome[] => [...outcomes].sort((a, b) => a.ordinal - b.ordinal || (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0));

describe(assignmentPassSql.name, () => {
  let db: Client;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ db, close } = await createSegmentationDatabase('seg_pass'));
    // profile-import's view, as the pass reads it for rules on customer fields.
    await db.query(`CREATE SCHEMA profiles`);
    await db.query(`CREATE TABLE profiles.customer_v (customer_id text PRIMARY KEY, registered_at timestamptz, country text, attributes jsonb NOT NULL DEFAULT '{}')`);
  });

  afterAll(async () => {
    await close?.();
  });

  async function campaign(name: string): Promise<string> {
    const id = randomUUID();
    const targetGroup = randomUUID();
    await db.query(`INSERT INTO segmentation.target_groups (id, name, rule, created_at, updated_at) VALUES ($1, $2, '{}', now(), now())`, [targetGroup, name]);
    await db.query(
      `INSERT INTO segmentation.campaigns (id, name, target_group_id, salt, variants, send_time, time_zone, recurrence, control_share, priority,
         action_duration_days, status, created_at, updated_at)
       VALUES ($1, $2, $3, gen_random_uuid(), '[]', '09:00', 'UTC', '{}', 0, 1, 1, 'active', now(), now())`,
      [id, name, targetGroup],
    );
    return id;
  }

  async function load(customers: Customer[], holds: Hold[], campaignIds: string[], outside: string): Promise<void> {
    await db.query(`TRUNCATE segmentation.customer_model, profiles.customer_v, segmentation.assignment_ledger, segmentation.execution_groups, segmentation.executions`);
    await db.query(
      `INSERT INTO segmentation.customer_model (customer_id, lifecycle_stage, orders_30d, orders_90d, orders_365d, orders_rfm, orders_lifetime,
         spend_30d, spend_90d, spend_365d, spend_rfm, spend_lifetime)
       SELECT c->>'id', c->>'stage', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM jsonb_array_elements($1::jsonb) c`,
      [JSON.stringify(customers)],
    );
    await db.query(`INSERT INTO profiles.customer_v (customer_id, country) SELECT c->>'id', c->>'country' FROM jsonb_array_elements($1::jsonb) c`, [JSON.stringify(customers)]);
    for (const hold of holds) {
      const execution = randomUUID();
      const group = randomUUID();
      const runDate = addDays(RUN, -hold.runDaysAgo);
      await db.query(
        `INSERT INTO segmentation.executions (id, run_date, campaign_id, campaign_name, priority, scheduled_at, model_date, targeted, excluded, timings, published_at, held_until)
         VALUES ($1, $2, $3, 'earlier', 1, now(), $2, 0, '{}', '{}', now(), $4)`,
        [execution, runDate, hold.plan === 'outside' ? outside : campaignIds[hold.plan], addDays(runDate, hold.heldDays)],
      );
      await db.query(
        `INSERT INTO segmentation.execution_groups (group_id, execution_id, kind, name, planned_share, group_size, chunk_count) VALUES ($1, $2, 'variant', 'A', 1, 0, 1)`,
        [group, execution],
      );
      await db.query(`INSERT INTO segmentation.assignment_ledger (execution_id, group_id, chunk_index, customer_ids) VALUES ($1, $2, 0, $3)`, [
        execution,
        group,
        hold.customers.map((index) => customers[index].id),
      ]);
    }
  }

  it('should refuse a campaign with more variants than the pass can code', () => {
    const plan: PassPlan = { campaignId: 'c', rule: { field: 'country', op: 'eq', value: 'DE' }, salt: 's', controlShare: 0, weights: Array.from({ length: 16 }, () => 1) };
    expect(() => assignmentPassSql([plan], { salt: 'g', share: 0 }, catalogueOf(BASE_FIELDS), RUN, RUN, new SqlParams())).toThrow('16 variants, the pass codes at most 15');
  });

  it('should decide every targeted customer as the rules evaluated one by one do, for random customers, campaigns and holds', async () => {
    const campaignIds: string[] = [];
    for (const i of [1, 2, 3, 4]) campaignIds.push(await campaign(`pass ${i}`));
    const outside = await campaign('outside the pass');
    const [{ salt: globalSalt }] = (await db.query<{ salt: string }>(`SELECT global_control_salt::text AS salt FROM segmentation.model_state`)).rows;
    const customers = fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z0-9-]{1,12}$/), stage: fc.constantFrom(...STAGES), country: fc.constantFrom(...COUNTRIES) }), {
      minLength: 1,
      maxLength: 40,
      selector: (customer) => customer.id,
    });
    const plan: fc.Arbitrary<Plan> = fc.record({
      rule: fc.oneof(
        fc.record({ field: fc.constant('lifecycle_stage' as const), value: fc.constantFrom(...STAGES) }),
        fc.record({ field: fc.constant('country' as const), value: fc.constantFrom(...COUNTRIES) }),
      ),
      controlShare: fc.constantFrom(0, 0.2, 0.5),
      weights: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
      salt: fc.uuid(),
    });
    const scenario = fc
      .tuple(customers, fc.array(plan, { minLength: 1, maxLength: 4 }), fc.constantFrom(0, 0.1, 0.3))
      .chain(([people, plans, globalShare]) =>
        fc.tuple(
          fc.constant(people),
          fc.constant(plans),
          fc.constant(globalShare),
          // Earlier nights' holds (some expired: held until a day before the run date), of the pass's campaigns or another; tonight's only of another (a campaign executed tonight is not in the pass).
          fc.uniqueArray(
            fc.oneof(
              fc.record({ plan: fc.integer({ min: 0, max: plans.length - 1 }), runDaysAgo: fc.integer({ min: 1, max: 3 }), heldDays: fc.integer({ min: 1, max: 5 }), customers: fc.uniqueArray(fc.nat({ max: people.length - 1 })) }),
              fc.record({ plan: fc.constant('outside' as const), runDaysAgo: fc.integer({ min: 0, max: 3 }), heldDays: fc.integer({ min: 0, max: 5 }), customers: fc.uniqueArray(fc.nat({ max: people.length - 1 })) }),
            ),
            { maxLength: 4, selector: (hold) => `${hold.plan}:${hold.runDaysAgo}` }, // one execution per campaign and run date
          ),
        ),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async ([people, plans, globalShare, holds]) => {
        await load(people, holds, campaignIds, outside);
        const passPlans = plans.map((p, index): PassPlan => ({ campaignId: campaignIds[index], rule: { field: p.rule.field, op: 'eq', value: p.rule.value }, salt: p.salt, controlShare: p.controlShare, weights: p.weights }));
        const params = new SqlParams();
        const sql = assignmentPassSql(passPlans, { salt: globalSalt, share: globalShare }, catalogueOf(BASE_FIELDS), RUN, RUN, params);
        const { rows } = await db.query<Outcome>(sql, params.values);
        expect(order(rows)).toEqual(order(expectedOutcomes(people, plans, holds, { salt: globalSalt, share: globalShare })));
      }),
      { numRuns: 150, seed: 20261130 },
    );
  });
});
