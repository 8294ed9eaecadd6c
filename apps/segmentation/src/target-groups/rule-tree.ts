import { LIFECYCLE_STAGES, MICRO_SEGMENTS } from '../customer-model/lifecycle';
import { isDay } from '../shared/days';
import { OPERATORS, type Field, type FieldCatalogue, type Operator } from './field-catalogue';

/** A target group's rule tree (JSON). Wire format, documented in the README. */
export type RuleNode = { all: RuleNode[] } | { any: RuleNode[] } | { not: RuleNode } | Condition;

export type Condition = { field: string; op: Operator; value?: unknown };

export type StageChange = { from: string; to: string; withinDays: number };

export type RuleError = { path: string; message: string };

export const MAX_RULE_NODES = 500;
export const MAX_RULE_DEPTH = 20;
export const MAX_LIST_VALUES = 1_000;
const MAX_TEXT = 1_000;

/** Checks a rule tree against the catalogue; returns every problem with the JSON path of its node (empty: valid). */
export function validateRule(rule: unknown, catalogue: FieldCatalogue): RuleError[] {
  const errors: RuleError[] = [];
  let nodes = 0;
  const visit = (node: unknown, path: string, depth: number): void => {
    nodes += 1;
    if (nodes > MAX_RULE_NODES) {
      if (nodes === MAX_RULE_NODES + 1) errors.push({ path, message: `a rule tree has at most ${MAX_RULE_NODES} nodes` });
      return;
    }
    if (depth > MAX_RULE_DEPTH) {
      errors.push({ path, message: `a rule tree is at most ${MAX_RULE_DEPTH} levels deep` });
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      errors.push({ path, message: 'a node is an object: {"all": [...]}, {"any": [...]}, {"not": {...}} or {"field", "op", "value"}' });
      return;
    }
    const keys = Object.keys(node);
    const record = node as Record<string, unknown>;
    if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
      const children = record[keys[0]];
      if (!Array.isArray(children) || children.length === 0) {
        errors.push({ path: `${path}.${keys[0]}`, message: `"${keys[0]}" takes a non-empty array of nodes` });
        return;
      }
      children.forEach((child, index) => visit(child, `${path}.${keys[0]}[${index}]`, depth + 1));
      return;
    }
    if (keys.length === 1 && keys[0] === 'not') {
      visit(record['not'], `${path}.not`, depth + 1);
      return;
    }
    if ('field' in record || 'op' in record) {
      validateCondition(record, path, catalogue, errors);
      return;
    }
    errors.push({ path, message: `unknown node with keys ${JSON.stringify(keys)}: expected all, any, not or a condition {field, op, value}` });
  };
  visit(rule, '$', 0);
  return errors;
}

function validateCondition(record: Record<string, unknown>, path: string, catalogue: FieldCatalogue, errors: RuleError[]): void {
  const extra = Object.keys(record).filter((key) => !['field', 'op', 'value'].includes(key));
  if (extra.length > 0) errors.push({ path, message: `a condition has only field, op and value (not ${extra.join(', ')})` });
  const { field: name, op } = record;
  if (typeof name !== 'string') {
    errors.push({ path: `${path}.field`, message: 'field must be a field name from GET /target-groups/fields' });
    return;
  }
  const field = catalogue.get(name);
  if (!field) {
    errors.push({ path: `${path}.field`, message: `unknown field "${name}" (see GET /target-groups/fields)` });
    return;
  }
  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
    errors.push({ path: `${path}.op`, message: `op must be one of ${field.operators.join(', ')}` });
    return;
  }
  if (!field.operators.includes(op as Operator)) {
    errors.push({ path: `${path}.op`, message: `operator "${op}" does not apply to ${field.type} field "${name}" (use ${field.operators.join(', ')})` });
    return;
  }
  const problem = checkValue(field, op as Operator, record['value'], 'value' in record);
  if (problem) errors.push({ path: `${path}.value`, message: problem });
}

function checkValue(field: Field, op: Operator, value: unknown, present: boolean): string | undefined {
  switch (op) {
    case 'is_null':
    case 'is_not_null':
      return present ? `"${op}" takes no value` : undefined;
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST_VALUES) {
        return `"${op}" takes an array of 1 to ${MAX_LIST_VALUES} values`;
      }
      for (let i = 0; i < value.length; i++) {
        const problem = checkScalar(field, value[i]);
        if (problem) return `item ${i}: ${problem}`;
      }
      return undefined;
    }
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) return '"between" takes [low, high]';
      const problem = checkScalar(field, value[0]) ?? checkScalar(field, value[1]);
      if (problem) return problem;
      return compare(value[0], value[1]) > 0 ? '"between" needs low <= high' : undefined;
    }
    case 'changed':
      return checkStageChange(field, value);
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return checkScalar(field, value);
  }
}

function checkScalar(field: Field, value: unknown): string | undefined {
  switch (field.type) {
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : `${field.name} is an integer field: expected a whole number`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${field.name} is a number field: expected a number`;
    case 'date':
      return isDay(value) ? undefined : `${field.name} is a date field: expected "YYYY-MM-DD"`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${field.name} is a boolean field: expected true or false`;
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT ? undefined : `${field.name} is a text field: expected a string of at most ${MAX_TEXT} characters`;
    case 'enum':
      return typeof value === 'string' && field.values?.includes(value) ? undefined : `${field.name} is one of ${field.values?.join(', ') ?? ''}`;
  }
}

function checkStageChange(field: Field, value: unknown): string | undefined {
  const allowed: readonly string[] = field.name === 'lifecycle_stage' ? LIFECYCLE_STAGES : MICRO_SEGMENTS;
  if (typeof value !== 'object' || value === null) return '"changed" takes {"from": ..., "to": ..., "withinDays": N}';
  const { from, to, withinDays } = value as Record<string, unknown>;
  if (typeof from !== 'string' || !allowed.includes(from)) return `from must be one of ${allowed.join(', ')}`;
  if (typeof to !== 'string' || !allowed.includes(to)) return `to must be one of ${allowed.join(', ')}`;
  if (from === to) return 'from and to must differ';
  if (!Number.isSafeInteger(withinDays) || (withinDays as number) < 1 || (withinDays as number) > 3650) return 'withinDays must be a whole number from 1 to 3650';
  if (Object.keys(value).length !== 3) return '"changed" takes only from, to and withinDays';
  return undefined;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
