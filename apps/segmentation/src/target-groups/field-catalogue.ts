import { LIFECYCLE_STAGES, MICRO_SEGMENTS } from '../customer-model/lifecycle';

/** Condition operators. Wire values of the rule tree: do not rename. */
export const OPERATORS = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'is_not_null', 'changed'] as const;
export type Operator = (typeof OPERATORS)[number];

export const FIELD_TYPES = ['enum', 'integer', 'number', 'date', 'text', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const ORDERED: Operator[] = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'is_not_null'];
const UNORDERED: Operator[] = ['eq', 'neq', 'in', 'not_in', 'is_null', 'is_not_null'];
const BOOLEAN: Operator[] = ['eq', 'neq', 'is_null', 'is_not_null'];

export function operatorsOf(type: FieldType): Operator[] {
  switch (type) {
    case 'integer':
    case 'number':
    case 'date':
      return ORDERED;
    case 'enum':
    case 'text':
      return UNORDERED;
    case 'boolean':
      return BOOLEAN;
  }
}

/**
 * SQL of a field over the aliases `m` (the model row), `c` (profiles.customer_v) and the as-of day
 * parameter. `attribute` fields read `c.attributes` by a bound name (the parameter `name`).
 */
export type FieldSql =
  | { kind: 'model'; sql: (day: () => string) => string }
  | { kind: 'customer'; sql: string }
  | { kind: 'attribute'; sql: (name: string) => string };

export type Field = {
  name: string;
  type: FieldType;
  description: string;
  operators: Operator[];
  /** Allowed values of an enum field. */
  values?: readonly string[];
  source: 'model' | 'customer' | 'attribute';
  sql: FieldSql;
};

const model = (name: string, type: FieldType, description: string, column: string, extra: Partial<Field> = {}): Field => ({
  name,
  type,
  description,
  operators: operatorsOf(type),
  source: 'model',
  sql: { kind: 'model', sql: () => column },
  ...extra,
});

/** The model's fields and profile-import's customer columns; custom attributes are added from `profiles.attribute_v`. */
export const BASE_FIELDS: readonly Field[] = [
  model('lifecycle_stage', 'enum', 'Lifecycle stage as of the day; `changed` selects a move from one stage to another within N days', 'm.lifecycle_stage', {
    values: LIFECYCLE_STAGES,
    operators: [...UNORDERED, 'changed'],
  }),
  model('micro_segment', 'enum', 'RFM micro-segment as of the day (null for prospects); `changed` as for lifecycle_stage', 'm.micro_segment', {
    values: MICRO_SEGMENTS,
    operators: [...UNORDERED, 'changed'],
  }),
  model('recency_score', 'integer', 'RFM recency score 1-5 (null for prospects)', 'm.recency_score'),
  model('frequency_score', 'integer', 'RFM frequency score 1-5 (null for prospects)', 'm.frequency_score'),
  model('monetary_score', 'integer', 'RFM monetary score 1-5 (null for prospects)', 'm.monetary_score'),
  {
    ...model('days_since_last_purchase', 'integer', 'Days from the last purchase to the as-of day (null: never bought)', ''),
    sql: { kind: 'model', sql: (day) => `(${day()} - m.last_purchase_on)` },
  },
  model('first_purchase_date', 'date', 'Day of the first purchase (UTC)', 'm.first_purchase_on'),
  model('last_purchase_date', 'date', 'Day of the last purchase (UTC)', 'm.last_purchase_on'),
  model('orders_30d', 'integer', 'Purchases in the 30 days up to the as-of day', 'm.orders_30d'),
  model('orders_90d', 'integer', 'Purchases in the 90 days up to the as-of day', 'm.orders_90d'),
  model('orders_365d', 'integer', 'Purchases in the 365 days up to the as-of day', 'm.orders_365d'),
  model('orders_lifetime', 'integer', 'Purchases ever', 'm.orders_lifetime'),
  model('spend_30d', 'number', 'Spend (purchases minus refunds) in the 30 days up to the as-of day', 'm.spend_30d'),
  model('spend_90d', 'number', 'Spend in the 90 days up to the as-of day', 'm.spend_90d'),
  model('spend_365d', 'number', 'Spend in the 365 days up to the as-of day', 'm.spend_365d'),
  model('spend_lifetime', 'number', 'Spend ever', 'm.spend_lifetime'),
  model(
    'average_order_value',
    'number',
    'Lifetime spend / lifetime purchases, 2 decimals (null: never bought)',
    'CASE WHEN m.orders_lifetime > 0 THEN round(m.spend_lifetime / m.orders_lifetime, 2) END',
  ),
  {
    name: 'registration_date',
    type: 'date',
    description: 'Day the customer registered (UTC), from profile-import',
    operators: operatorsOf('date'),
    source: 'customer',
    sql: { kind: 'customer', sql: "(c.registered_at AT TIME ZONE 'UTC')::date" },
  },
  {
    name: 'country',
    type: 'text',
    description: 'ISO 3166 alpha-2 country code, upper case, from profile-import',
    operators: operatorsOf('text'),
    source: 'customer',
    sql: { kind: 'customer', sql: 'c.country' },
  },
];

/** Prefix of custom attribute fields: `attributes.<name>`. */
export const ATTRIBUTE_PREFIX = 'attributes.';

// An attribute's stored value of its declared type: read only when it is what profile-import stores
// for that type (text a string, number a JSON number, date a "YYYY-MM-DD" string, boolean true or
// false), else NULL. Values loaded under an earlier declaration of another type stay stored, and a
// cast of one would fail the whole statement (the nightly run's pass over every campaign with it).
// A text attribute reads any stored value as text, as before.
const ATTRIBUTE_TYPES: Record<string, { type: FieldType; sql: (name: string) => string }> = {
  text: { type: 'text', sql: (name) => `(c.attributes ->> ${name})` },
  number: { type: 'number', sql: (name) => `(CASE WHEN jsonb_typeof(c.attributes -> ${name}) = 'number' THEN (c.attributes -> ${name})::numeric END)` },
  date: { type: 'date', sql: (name) => `(CASE WHEN segmentation.is_day(c.attributes ->> ${name}) THEN (c.attributes ->> ${name})::date END)` },
  boolean: { type: 'boolean', sql: (name) => `(CASE WHEN jsonb_typeof(c.attributes -> ${name}) = 'boolean' THEN (c.attributes -> ${name})::boolean END)` },
};

/** The field of one row of `profiles.attribute_v`. */
export function attributeField(attribute: { name: string; type: string; description: string | null }): Field | undefined {
  const mapped = ATTRIBUTE_TYPES[attribute.type];
  if (!mapped) return undefined;
  return {
    name: `${ATTRIBUTE_PREFIX}${attribute.name}`,
    type: mapped.type,
    description: attribute.description || `Custom attribute ${attribute.name} (${attribute.type})`,
    operators: operatorsOf(mapped.type),
    source: 'attribute',
    sql: { kind: 'attribute', sql: mapped.sql },
  };
}

export type FieldCatalogue = ReadonlyMap<string, Field>;

export function catalogueOf(fields: readonly Field[]): FieldCatalogue {
  return new Map(fields.map((field) => [field.name, field]));
}
