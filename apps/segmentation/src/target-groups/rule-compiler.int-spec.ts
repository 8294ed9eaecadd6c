import fc from 'fast-check';
import { Client } from 'pg';
import { createSegmentationDatabase } from '../../test/segmentation-test-kit';
import { LIFECYCLE_STAGES, MICRO_SEGMENTS } from '../customer-model/lifecycle';
import { addDays, daysBetween } from '../shared/days';
import { SqlParams } from '../shared/sql-params';
import { unitHash } from '../shared/unit-hash';
import { BASE_FIELDS, attributeField, catalogueOf, type Field, type Operator } from './field-catalogue';
import { compileRule } from './rule-compiler';
import { validateRule, type Condition, type RuleNode } from './rule-tree';

// Property: for random customers and random rule trees, the compiled SQL selects exactly the
// customers an independent in-memory evaluation selects. The model and history rows are this
// app's own tables; the customers relation is a fixture with the columns of profiles.customer_v.

const DAY = '2026-03-10';
const DATES = Array.from({ length: 80 }, (_, i) => addDays('2026-01-01', i));

type History = { stage: string; segment: string | null; validFrom: string; validTo: string | null }[];
type Customer = {
  id: string;
  stage: string;
  segment: string | null;
  recency: number | null;
  frequency: number | null;
  monetary: number | null;
  first: string | null;
  last: string | null;
  orders: [number, number, number, number];
  spendCents: [number, number, number, number];
  registered: string | null;
  country: string | null;
  /** As stored: of the declared type, or (as left by an earlier declaration of another type) not. */
  attributes: { tier?: string; points?: unknown; birthday?: unknown; vip?: unknown };
  history: History;
};

const catalogue = catalogueOf([
  ...BASE_FIELDS,
  ...[
    { name: 'tier', type: 'text', description: '' },
    { name: 'points', type: 'number', description: '' },
    { name: 'birthday', type: 'date', description: '' },
    { name: 'vip', type: 'boolean', description: '' },
  ].map((attribute) => attributeField(attribute) as Field),
]);

const nullable = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null, freq: 4 });
const date = fc.constantFrom(...DATES);
const score = fc.integer({ min: 1, max: 5 });
const countries = ['DE', 'FR', 'IT'];
const tiers = ['gold', 'silver'];
// Stored values that do not fit the attribute's declared type (they count as missing), and edge
// days that do (profile-import stores years 0001 to 9999).
const notNumbers = ['gold', '12', '', true, null];
const notDays = ['2026-02-30', '2023-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '0000-01-01', '2026-1-05', ' 2026-01-05', '2026-01-05x', 'someday', 20260105, false, null];
const edgeDays = ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'];
const notBooleans = ['maybe', 'true', 'f', 1, 0, null];

const historyArbitrary: fc.Arbitrary<History> = fc
  .array(fc.tuple(fc.constantFrom(...LIFECYCLE_STAGES), fc.integer({ min: 1, max: 15 })), { maxLength: 4 })
  .map((steps) => {
    let day = '2026-01-05';
    return steps.map(([stage, gap], index) => {
      const validFrom = day;
      day = addDays(day, gap);
      return { stage, segment: null, validFrom, validTo: index === steps.length - 1 ? null : day };
    });
  });

const customerArbitrary = (id: string): fc.Arbitrary<Customer> =>
  fc.record({
    id: fc.constant(id),
    stage: fc.constantFrom(...LIFECYCLE_STAGES),
    segment: nullable(fc.constantFrom(...MICRO_SEGMENTS)),
    recency: nullable(score),
    frequency: nullable(score),
    monetary: nullable(score),
    first: nullable(date),
    last: nullable(date),
    orders: fc.tuple(fc.nat(6), fc.nat(6), fc.nat(6), fc.nat(6)),
    spendCents: fc.tuple(fc.integer({ min: -500, max: 9_000 }), fc.integer({ min: -500, max: 9_000 }), fc.integer({ min: -500, max: 9_000 }), fc.integer({ min: -500, max: 9_000 })),
    registered: nullable(date),
    country: nullable(fc.constantFrom(...countries)),
    attributes: fc.record(
      {
        tier: fc.constantFrom(...tiers),
        points: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 500 }).map((n) => n / 4) }, { weight: 1, arbitrary: fc.constantFrom(...notNumbers) }),
        birthday: fc.oneof({ weight: 3, arbitrary: date }, { weight: 1, arbitrary: fc.constantFrom(...notDays, ...edgeDays) }),
        vip: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom(...notBooleans) }),
      },
      { requiredKeys: [] },
    ),
    history: historyArbitrary,
  });

/** A value of the field's type from a small domain, so conditions often match. */
function valueOf(field: Field): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'enum':
      return fc.constantFrom(...(field.values ?? []));
    case 'integer':
      return field.name.endsWith('_score') ? score : fc.integer({ min: -5, max: 70 });
    case 'number':
      return fc.integer({ min: -600, max: 9_000 }).map((cents) => cents / 100);
    case 'date':
      return date;
    case 'text':
      return fc.constantFrom(...countries, ...tiers, 'x');
    case 'boolean':
      return fc.boolean();
  }
}

const fields = [...catalogue.values()];

const conditionArbitrary: fc.Arbitrary<Condition> = fc.constantFrom(...fields).chain((field) =>
  fc.constantFrom(...field.operators).chain((op: Operator): fc.Arbitrary<Condition> => {
    const value = valueOf(field);
    switch (op) {
      case 'is_null':
      case 'is_not_null':
        return fc.constant({ field: field.name, op });
      case 'in':
      case 'not_in':
        return fc.array(value, { minLength: 1, maxLength: 3 }).map((values) => ({ field: field.name, op, value: values }));
      case 'between':
        return fc.tuple(value, value).map(([a, b]) => ({ field: field.name, op, value: compare(a, b) <= 0 ? [a, b] : [b, a] }));
      case 'changed':
        return fc
          .tuple(fc.constantFrom(...LIFECYCLE_STAGES), fc.constantFrom(...LIFECYCLE_STAGES), fc.integer({ min: 1, max: 60 }))
          .filter(([from, to]) => from !== to)
          .map(([from, to, withinDays]) => ({ field: 'lifecycle_stage', op, value: { from, to, withinDays } }));
      case 'eq':
      case 'neq':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return value.map((v) => ({ field: field.name, op, value: v }));
    }
  }),
);

const ruleArbitrary: fc.Arbitrary<RuleNode> = fc.letrec<{ node: RuleNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    conditionArbitrary,
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('node').map((not) => ({ not })),
  ),
})).node;

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** The in-memory reference: what each field of a customer is, in TypeScript. */
function fieldValue(customer: Customer, name: string): unknown {
  const cents = (value: number): number => value / 100;
  switch (name) {
    case 'lifecycle_stage':
      return customer.stage;
    case 'micro_segment':
      return customer.segment;
    case 'recency_score':
      return customer.recency;
    case 'frequency_score':
      return customer.frequency;
    case 'monetary_score':
      return customer.monetary;
    case 'days_since_last_purchase':
      return customer.last === null ? null : daysBetween(customer.last, DAY);
    case 'first_purchase_date':
      return customer.first;
    case 'last_purchase_date':
      return customer.last;
    case 'orders_30d':
    case 'orders_90d':
    case 'orders_365d':
    case 'orders_lifetime':
      return customer.orders[['orders_30d', 'orders_90d', 'orders_365d', 'orders_lifetime'].indexOf(name)];
    case 'spend_30d':
    case 'spend_90d':
    case 'spend_365d':
    case 'spend_lifetime':
      return cents(customer.spendCents[['spend_30d', 'spend_90d', 'spend_365d', 'spend_lifetime'].indexOf(name)]);
    case 'average_order_value': {
      const orders = customer.orders[3];
      if (orders === 0) return null;
      const spend = customer.spendCents[3];
      return (Math.sign(spend) * Math.round(Math.abs(spend) / orders)) / 100;
    }
    case 'registration_date':
      return customer.registered;
    case 'country':
      return customer.country;
    case 'attributes.tier':
      return customer.attributes.tier ?? null;
    case 'attributes.points':
      return typeof customer.attributes.points === 'number' ? customer.attributes.points : null;
    case 'attributes.birthday':
      return isStoredDay(customer.attributes.birthday) ? customer.attributes.birthday : null;
    case 'attributes.vip':
      return typeof customer.attributes.vip === 'boolean' ? customer.attributes.vip : null;
    default:
      throw new Error(`no reference value for field ${name}`);
  }
}

/** A day as profile-import stores a date attribute: "YYYY-MM-DD", a calendar day of the years 0001 to 9999. */
function isStoredDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function evaluate(node: RuleNode, customer: Customer): boolean {
  if ('all' in node) return node.all.every((child) => evaluate(child, customer));
  if ('any' in node) return node.any.some((child) => evaluate(child, customer));
  if ('not' in node) return !evaluate(node.not, customer);
  const value = fieldValue(customer, node.field);
  const given = node.value;
  const equal = (a: unknown, b: unknown): boolean => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b);
  switch (node.op) {
    case 'is_null':
      return value === null;
    case 'is_not_null':
      return value !== null;
    case 'eq':
      return value !== null && equal(value, given);
    case 'neq':
      return value === null || !equal(value, given);
    case 'in':
      return value !== null && (given as unknown[]).some((v) => equal(value, v));
    case 'not_in':
      return value === null || !(given as unknown[]).some((v) => equal(value, v));
    case 'gt':
      return value !== null && compare(value, given) > 0 && !equal(value, given);
    case 'gte':
      return value !== null && (compare(value, given) >= 0 || equal(value, given));
    case 'lt':
      return value !== null && compare(value, given) < 0 && !equal(value, given);
    case 'lte':
      return value !== null && (compare(value, given) <= 0 || equal(value, given));
    case 'between': {
      const [low, high] = given as [unknown, unknown];
      return value !== null && (compare(value, low) >= 0 || equal(value, low)) && (compare(value, high) <= 0 || equal(value, high));
    }
    case 'changed': {
      const { from, to, withinDays } = given as { from: string; to: string; withinDays: number };
      return customer.history.some(
        (row, index) =>
          index > 0 &&
          row.stage === to &&
          customer.history[index - 1].stage === from &&
          daysBetween(row.validFrom, DAY) < withinDays &&
          row.validFrom <= DAY,
      );
    }
  }
}

describe(compileRule.name, () => {
  let db: Client;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ db, close } = await createSegmentationDatabase('seg_rules'));
    await db.query(`CREATE SCHEMA fixture`);
    await db.query(`CREATE TABLE fixture.customer_v (customer_id text PRIMARY KEY, registered_at timestamptz, country text, attributes jsonb NOT NULL)`);
  });

  afterAll(async () => {
    await close?.();
  });

  async function load(customers: Customer[]): Promise<void> {
    await db.query(`TRUNCATE segmentation.customer_model, segmentation.customer_state_history, fixture.customer_v`);
    await db.query(
      `INSERT INTO segmentation.customer_model (customer_id, lifecycle_stage, micro_segment, recency_score, frequency_score, monetary_score,
         first_purchase_on, last_purchase_on, orders_30d, orders_90d, orders_365d, orders_rfm, orders_lifetime,
         spend_30d, spend_90d, spend_365d, spend_rfm, spend_lifetime)
       SELECT c->>'id', c->>'stage', c->>'segment', (c->>'recency')::smallint, (c->>'frequency')::smallint, (c->>'monetary')::smallint,
         (c->>'first')::date, (c->>'last')::date, (c->'orders'->>0)::int, (c->'orders'->>1)::int, (c->'orders'->>2)::int, 0, (c->'orders'->>3)::int,
         (c->'spendCents'->>0)::numeric / 100, (c->'spendCents'->>1)::numeric / 100, (c->'spendCents'->>2)::numeric / 100, 0, (c->'spendCents'->>3)::numeric / 100
       FROM jsonb_array_elements($1::jsonb) c`,
      [JSON.stringify(customers)],
    );
    await db.query(
      `INSERT INTO fixture.customer_v SELECT c->>'id', ((c->>'registered') || 'T10:00:00Z')::timestamptz, c->>'country', c->'attributes'
       FROM jsonb_array_elements($1::jsonb) c`,
      [JSON.stringify(customers)],
    );
    await db.query(
      `INSERT INTO segmentation.customer_state_history (customer_id, lifecycle_stage, micro_segment, valid_from, valid_to)
       SELECT h->>'id', h->>'stage', NULL, (h->>'validFrom')::date, (h->>'validTo')::date FROM jsonb_array_elements($1::jsonb) h`,
      [JSON.stringify(customers.flatMap((customer) => customer.history.map((row) => ({ ...row, id: customer.id }))))],
    );
  }

  it('should select exactly the customers an in-memory evaluation selects, for random customers and rule trees', async () => {
    const population = fc.integer({ min: 1, max: 25 }).chain((size) => fc.tuple(...Array.from({ length: size }, (_, i) => customerArbitrary(`c${i}`))));
    await fc.assert(
      fc.asyncProperty(population, fc.array(ruleArbitrary, { minLength: 1, maxLength: 5 }), async (customers, rules) => {
        await load(customers);
        for (const rule of rules) {
          expect(validateRule(rule, catalogue)).toEqual([]);
          const params = new SqlParams();
          const sql = compileRule(rule, catalogue, DAY, params, { model: 'segmentation.customer_model', customers: 'fixture.customer_v', history: 'segmentation.customer_state_history' });
          const selected = (await db.query<{ customer_id: string }>(sql, params.values)).rows.map((row) => row.customer_id).sort();
          const expected = customers.filter((customer) => evaluate(rule, customer)).map((customer) => customer.id).sort();
          expect({ rule, selected }).toEqual({ rule, selected: expected });
        }
      }),
      { numRuns: 120, seed: 20261130 },
    );
  });

  it('should tell a calendar day from any other text in SQL without an error, as profile-import checks a date', async () => {
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    const dayLike = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([year, month, day]) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`);
    const texts = fc.oneof(dayLike, fc.constantFrom(...notDays.filter((value) => typeof value === 'string'), ...edgeDays), fc.string({ maxLength: 12 }).map((value) => value.replaceAll('\0', '')));
    await fc.assert(
      fc.asyncProperty(fc.array(texts, { minLength: 1, maxLength: 300 }), async (values) => {
        const { rows } = await db.query<{ day: boolean; cast: string | null }>(
          `SELECT segmentation.is_day(v) AS day, CASE WHEN segmentation.is_day(v) THEN to_char(v::date, 'YYYY-MM-DD') END AS cast
           FROM unnest($1::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n`,
          [values],
        );
        expect(rows.map((row, i) => [values[i], row.day, row.cast])).toEqual(values.map((value) => [value, isStoredDay(value), isStoredDay(value) ? value : null]));
      }),
      { numRuns: 50, seed: 20261130 },
    );
  });

  it('should hash in SQL exactly as in TypeScript', async () => {
    // Salts and ids of every length (each tail length of the 12-byte blocks), any Unicode text but NUL (not text in PostgreSQL).
    const text = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength }).map((value) => value.replaceAll('\0', ''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text(30), text(40)), { minLength: 1, maxLength: 200 }), async (pairs) => {
        const { rows } = await db.query<{ hash: number }>(
          `SELECT segmentation.unit_hash(salt, id) AS hash FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(salt, id, n) ORDER BY n`,
          [pairs.map(([salt]) => salt), pairs.map(([, id]) => id)],
        );
        expect(rows.map((row, i) => [...pairs[i], row.hash])).toEqual(pairs.map(([salt, id]) => [salt, id, unitHash(salt, id)]));
      }),
      { numRuns: 50, seed: 20261130 },
    );
  });
});
