import { segmentMembersSql } from './segment-members.query';

describe(segmentMembersSql.name, () => {
  it('should select every member for a segment without criteria', () => {
    expect(segmentMembersSql([])).toContain('FROM simulator.member m');
  });

  it('should OR the criteria of a group and AND the groups', () => {
    const sql = segmentMembersSql([
      { groupNumber: 1, columnName: 'CUSTOMER_ID', operator: 'EQUALS' },
      { groupNumber: 1, columnName: 'EMAIL', operator: 'ENDS_WITH' },
      { groupNumber: 2, columnName: 'LASTNAME', operator: 'IS_NOT_EMPTY' },
    ]);
    expect(sql.match(/ UNION /g)).toHaveLength(1);
    expect(sql.match(/ INTERSECT /g)).toHaveLength(1);
    expect(sql).toContain("lower(coalesce(m.customer_id, '')) = lower(v.value)");
  });

  it('should select a member once when several criteria of a group name its value', () => {
    expect(segmentMembersSql([{ groupNumber: 1, columnName: 'CUSTOMER_ID', operator: 'EQUALS_CASE_SENSITIVE' }])).toMatch(/^\(SELECT DISTINCT m\.member_id /);
  });

  it('should refuse a column or operator outside the whitelists', () => {
    expect(() => segmentMembersSql([{ groupNumber: 1, columnName: "EMAIL'; DROP TABLE x; --", operator: 'EQUALS' }])).toThrow(/Unsupported/);
    expect(() => segmentMembersSql([{ groupNumber: 1, columnName: 'EMAIL', operator: 'MATCHES' }])).toThrow(/Unsupported/);
  });
});
