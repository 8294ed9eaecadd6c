// Which members a segment selects, as SQL over the member table (reference §5.3): criteria of one
// group are OR-ed, groups are AND-ed; a segment without criteria selects every member. Columns
// and operators come from the whitelists below (checked when a criterion is added), never from
// raw input, so they can be written into the statement.

/** Member-table columns a string criterion may test, by wire name. */
export const CRITERION_COLUMNS: Record<string, string> = {
  EMAIL: 'm.email',
  FIRSTNAME: 'm.firstname',
  LASTNAME: 'm.lastname',
  CUSTOMER_ID: 'm.customer_id',
};

type Match = (column: string) => string;
const folded = (column: string): string => `lower(coalesce(${column}, ''))`;

/** How each operator matches a member column against a criterion value `v.value` (or without values). */
export const CRITERION_OPERATORS: Record<string, { usesValues: boolean; match: Match }> = {
  EQUALS: { usesValues: true, match: (column) => `${folded(column)} = lower(v.value)` },
  EQUALS_CASE_SENSITIVE: { usesValues: true, match: (column) => `${column} = v.value` },
  CONTAINS: { usesValues: true, match: (column) => `strpos(${folded(column)}, lower(v.value)) > 0` },
  CONTAINS_CASE_SENSITIVE: { usesValues: true, match: (column) => `strpos(${column}, v.value) > 0` },
  BEGINS_WITH: { usesValues: true, match: (column) => `left(${folded(column)}, length(v.value)) = lower(v.value)` },
  BEGINS_WITH_CASE_SENSITIVE: { usesValues: true, match: (column) => `left(${column}, length(v.value)) = v.value` },
  ENDS_WITH: { usesValues: true, match: (column) => `right(${folded(column)}, length(v.value)) = lower(v.value)` },
  ENDS_WITH_CASE_SENSITIVE: { usesValues: true, match: (column) => `right(${column}, length(v.value)) = v.value` },
  IS_EMPTY: { usesValues: false, match: (column) => `coalesce(${column}, '') = ''` },
  IS_NOT_EMPTY: { usesValues: false, match: (column) => `coalesce(${column}, '') <> ''` },
};

/** A distinct (group, column, operator) of a segment's criteria. */
export type CriterionShape = { groupNumber: number; columnName: string; operator: string };

/**
 * `SELECT member_id ...` of the segment `$1`. Criteria of the same shape are matched by one join
 * over their values, so a segment of a thousand criteria of a thousand IDs is still one join.
 */
export function segmentMembersSql(shapes: readonly CriterionShape[]): string {
  // The statement always takes the segment id as $1, so callers bind it the same way.
  if (shapes.length === 0) return 'SELECT m.member_id FROM simulator.member m WHERE $1::bigint IS NOT NULL';
  const groups = new Map<number, string[]>();
  for (const shape of shapes) {
    const column = CRITERION_COLUMNS[shape.columnName];
    const operator = CRITERION_OPERATORS[shape.operator];
    if (!column || !operator || !Number.isInteger(shape.groupNumber)) throw new Error(`Unsupported criterion ${JSON.stringify(shape)}`);
    const criteria = `c.segment_id = $1 AND c.group_number = ${shape.groupNumber} AND c.column_name = '${shape.columnName}' AND c.operator = '${shape.operator}'`;
    // DISTINCT: a member whose value several criteria name (a window added again) is one member.
    const select = operator.usesValues
      ? `SELECT DISTINCT m.member_id FROM simulator.segment_criterion c
           JOIN simulator.segment_criterion_value v ON v.criterion_id = c.criterion_id
           JOIN simulator.member m ON ${operator.match(column)}
          WHERE ${criteria}`
      : `SELECT m.member_id FROM simulator.member m
          WHERE ${operator.match(column)} AND EXISTS (SELECT 1 FROM simulator.segment_criterion c WHERE ${criteria})`;
    groups.set(shape.groupNumber, [...(groups.get(shape.groupNumber) ?? []), select]);
  }
  return [...groups.values()].map((selects) => `(${selects.join(' UNION ')})`).join(' INTERSECT ');
}
