import { BASE_FIELDS, catalogueOf } from './field-catalogue';
import { validateRule } from './rule-tree';

describe(validateRule.name, () => {
  const catalogue = catalogueOf(BASE_FIELDS);

  it('should accept a nested rule tree whose every condition fits the catalogue', () => {
    const rule = {
      all: [
        { field: 'lifecycle_stage', op: 'changed', value: { from: 'active', to: 'at_risk', withinDays: 7 } },
        { any: [{ field: 'spend_90d', op: 'between', value: [10, 99.5] }, { field: 'country', op: 'is_null' }] },
        { not: { field: 'last_purchase_date', op: 'lt', value: '2026-01-31' } },
      ],
    };
    expect(validateRule(rule, catalogue)).toEqual([]);
  });

  it('should name the JSON path of every bad node when the tree does not fit', () => {
    const rule = {
      any: [
        { field: 'orders_30d', op: 'gte', value: '3' },
        { all: [] },
        { not: { field: 'micro_segment', op: 'in', value: ['champions', 'heroes'] } },
        { field: 'first_purchase_date', op: 'between', value: ['2026-02-01', '2026-01-01'] },
        { field: 'lifecycle_stage', op: 'changed', value: { from: 'new', to: 'new', withinDays: 3 } },
        { field: 'recency_score', op: 'is_null', value: 1 },
        { field: 'country', op: 'gt', value: 'DE' },
        { nope: 1 },
      ],
    };
    expect(validateRule(rule, catalogue)).toEqual([
      { path: '$.any[0].value', message: 'orders_30d is an integer field: expected a whole number' },
      { path: '$.any[1].all', message: '"all" takes a non-empty array of nodes' },
      { path: '$.any[2].not.value', message: 'item 1: micro_segment is one of champions, loyal, potential_loyalist, new_customers, promising, need_attention, about_to_sleep, at_risk, cant_lose, hibernating, lost' },
      { path: '$.any[3].value', message: '"between" needs low <= high' },
      { path: '$.any[4].value', message: 'from and to must differ' },
      { path: '$.any[5].value', message: '"is_null" takes no value' },
      { path: '$.any[6].op', message: 'operator "gt" does not apply to text field "country" (use eq, neq, in, not_in, is_null, is_not_null)' },
      { path: '$.any[7]', message: 'unknown node with keys ["nope"]: expected all, any, not or a condition {field, op, value}' },
    ]);
  });

  it('should refuse a date PostgreSQL cannot read, as the year 0000 or 30 February', () => {
    for (const value of ['0000-01-01', '2026-02-30', '2026-13-01']) {
      expect(validateRule({ field: 'last_purchase_date', op: 'gte', value }, catalogue)).toEqual([{ path: '$.value', message: 'last_purchase_date is a date field: expected "YYYY-MM-DD"' }]);
    }
    expect(validateRule({ field: 'last_purchase_date', op: 'gte', value: '0001-01-01' }, catalogue)).toEqual([]);
  });

  it('should refuse a tree deeper than 20 levels', () => {
    let rule: Record<string, unknown> = { field: 'orders_30d', op: 'gt', value: 1 };
    for (let i = 0; i < 25; i++) rule = { not: rule };
    expect(validateRule(rule, catalogue)[0]?.message).toBe('a rule tree is at most 20 levels deep');
  });
});
