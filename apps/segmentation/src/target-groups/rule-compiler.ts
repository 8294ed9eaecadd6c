import type { SqlParams } from '../shared/sql-params';
import { ATTRIBUTE_PREFIX, type Field, type FieldCatalogue, type FieldType } from './field-catalogue';
import type { Condition, RuleNode, StageChange } from './rule-tree';

/** Relations a compiled rule reads; tests point them at fixtures. */
export type RuleSources = {
  /** Model rows (segmentation.customer_model, or a table of rows as of another day). */
  model: string;
  /** profiles.customer_v */
  customers: string;
  /** segmentation.customer_state_history */
  history: string;
};

export const DEFAULT_SOURCES: RuleSources = {
  model: 'segmentation.customer_model',
  customers: 'profiles.customer_v',
  history: 'segmentation.customer_state_history',
};

const CASTS: Record<FieldType, string> = { enum: 'text', text: 'text', integer: 'int', number: 'numeric', date: 'date', boolean: 'boolean' };

/**
 * Compiles a validated rule tree into a parameterised SQL selection of customer ids:
 * `SELECT m.customer_id, m.lifecycle_stage FROM <model> m [LEFT JOIN <customers> c] WHERE <condition>`.
 * Values and attribute names are bind parameters; only catalogue SQL (code) enters the text.
 * Every condition is two-valued (never NULL), so `not` is the plain complement: a comparison with a
 * missing value is false, `neq` and `not_in` are true for a missing value. A stored attribute value
 * that does not fit the attribute's declared type is missing (see field-catalogue.ts), never an error.
 */
export function compileRule(rule: RuleNode, catalogue: FieldCatalogue, day: string, params: SqlParams, sources: RuleSources = DEFAULT_SOURCES): string {
  const { where, usesCustomers } = compileCondition(rule, catalogue, day, params, sources);
  const join = usesCustomers ? `LEFT JOIN ${sources.customers} c ON c.customer_id = m.customer_id` : '';
  return `SELECT m.customer_id, m.lifecycle_stage FROM ${sources.model} m ${join} WHERE ${where}`;
}

/**
 * The condition of a rule tree over the aliases `m` (model row) and, when `usesCustomers`, `c`
 * (`LEFT JOIN <customers> c ON c.customer_id = m.customer_id`): never NULL, so it can also sit in
 * a CASE (the nightly run's one pass over the model for every campaign).
 */
export function compileCondition(
  rule: RuleNode,
  catalogue: FieldCatalogue,
  day: string,
  params: SqlParams,
  sources: RuleSources = DEFAULT_SOURCES,
): { where: string; usesCustomers: boolean } {
  let usesCustomers = false;
  // Added on first use: an unused parameter has no type PostgreSQL could infer.
  let dayParameter: string | undefined;
  const dayParam = (): string => (dayParameter ??= params.add(day, 'date'));
  const fieldSql = (field: Field): string => {
    switch (field.sql.kind) {
      case 'model':
        return field.sql.sql(dayParam);
      case 'customer':
        usesCustomers = true;
        return field.sql.sql;
      case 'attribute':
        usesCustomers = true;
        return field.sql.sql(params.add(field.name.slice(ATTRIBUTE_PREFIX.length), 'text'));
    }
  };
  const condition = (node: Condition): string => {
    const field = catalogue.get(node.field);
    if (!field) throw new Error(`compileRule: unknown field ${node.field} (validate first)`);
    const cast = CASTS[field.type];
    const value = (v: unknown): string => params.add(v, cast);
    const f = fieldSql(field);
    switch (node.op) {
      case 'eq':
        return `coalesce(${f} = ${value(node.value)}, false)`;
      case 'neq':
        return `(${f} IS DISTINCT FROM ${value(node.value)})`;
      case 'gt':
        return `coalesce(${f} > ${value(node.value)}, false)`;
      case 'gte':
        return `coalesce(${f} >= ${value(node.value)}, false)`;
      case 'lt':
        return `coalesce(${f} < ${value(node.value)}, false)`;
      case 'lte':
        return `coalesce(${f} <= ${value(node.value)}, false)`;
      case 'between': {
        const [low, high] = node.value as [unknown, unknown];
        return `coalesce(${f} BETWEEN ${value(low)} AND ${value(high)}, false)`;
      }
      case 'in':
        return `coalesce(${f} = ANY(${params.add(node.value, `${cast}[]`)}), false)`;
      case 'not_in':
        return `coalesce(NOT (${f} = ANY(${params.add(node.value, `${cast}[]`)})), true)`;
      case 'is_null':
        return `(${f} IS NULL)`;
      case 'is_not_null':
        return `(${f} IS NOT NULL)`;
      case 'changed': {
        const change = node.value as StageChange;
        const column = field.name === 'lifecycle_stage' ? 'lifecycle_stage' : 'micro_segment';
        return `EXISTS (SELECT 1 FROM ${sources.history} h JOIN ${sources.history} p ON p.customer_id = h.customer_id AND p.valid_to = h.valid_from
          WHERE h.customer_id = m.customer_id AND h.${column} = ${params.add(change.to, 'text')} AND p.${column} = ${params.add(change.from, 'text')}
            AND h.valid_from > ${dayParam()} - ${params.add(change.withinDays, 'int')} AND h.valid_from <= ${dayParam()})`;
      }
    }
  };
  const visit = (node: RuleNode): string => {
    if ('all' in node) return `(${node.all.map(visit).join(' AND ')})`;
    if ('any' in node) return `(${node.any.map(visit).join(' OR ')})`;
    if ('not' in node) return `(NOT ${visit(node.not)})`;
    return condition(node);
  };
  const where = visit(rule);
  return { where, usesCustomers };
}
