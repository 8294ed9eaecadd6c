import type { SqlParams } from '../shared/sql-params';
import { compileCondition } from '../target-groups/rule-compiler';
import type { FieldCatalogue } from '../target-groups/field-catalogue';
import type { RuleNode } from '../target-groups/rule-tree';

/** What the pass needs of one campaign; `ordinal` is its place in tonight's priority order (1, 2, ...). */
export type PassPlan = {
  campaignId: string;
  rule: RuleNode;
  salt: string;
  controlShare: number;
  weights: number[];
};

/** The global control group's salt and share (segmentation.model_state). */
export type GlobalControl = { salt: string; share: number };

/** A targeted campaign and its group as one integer: ordinal x CODE + group index (at most 10 variants). */
const CODE = 16;

/**
 * One pass over the model that decides, for every campaign of the run not executed yet (in
 * priority order), every targeted customer's exclusion or group: the SELECT of
 * `(ordinal, customer_id, exclusion_reason, group_index)` rows, ordinal 1 the first plan.
 *
 * The rules are those of one execution after another: for campaign k and a customer it targets,
 * `global_control` (the global hash), else `action_duration` (held from an earlier day by another
 * campaign), else `taken_by_priority` (held tonight by another campaign, or assigned by a campaign
 * before k in this pass), else assigned. So the customer goes to the first campaign that is not
 * excluded by another's action duration or held tonight. Control and variant come from the
 * campaign's salted hashes (group 0 is control, 1.. the variants by cumulative weight).
 *
 * One scan of the model computes, per customer, the global control hash and, for each campaign
 * whose rule selects the customer, the group it would be in (`codes`); PostgreSQL runs it in
 * parallel workers (see `ExecutionService.assignAll`). Above it, in one process, the holds are
 * joined and each targeted campaign's exclusion decided.
 */
export function assignmentPassSql(
  plans: readonly PassPlan[],
  globalControl: GlobalControl,
  catalogue: FieldCatalogue,
  modelDate: string,
  runDate: string,
  params: SqlParams,
): string {
  let usesCustomers = false;
  const hash = (salt: string): string => `segmentation.unit_hash(${params.add(salt, 'text')}, m.customer_id)`;
  const codes = plans.map((plan, index) => {
    if (plan.weights.length >= CODE) throw new Error(`campaign ${plan.campaignId}: ${plan.weights.length} variants, the pass codes at most ${CODE - 1}`);
    const condition = compileCondition(plan.rule, catalogue, modelDate, params);
    usesCustomers ||= condition.usesCustomers;
    // Variant i+1 when the variant hash falls in [cumulative weight before i, cumulative weight up to i) / total.
    const total = plan.weights.reduce((sum, weight) => sum + weight, 0);
    let cumulative = 0;
    const thresholds = [0, ...plan.weights.slice(0, -1).map((weight) => (cumulative += weight) / total)];
    const variant = plan.weights.length === 1 ? '1' : `width_bucket(${hash(`${plan.salt}:variant`)}, ${params.add(thresholds, 'float8[]')})`;
    const group = `CASE WHEN ${hash(`${plan.salt}:control`)} < ${params.add(plan.controlShare, 'float8')} THEN 0 ELSE ${variant} END`;
    return `CASE WHEN ${condition.where} THEN ${(index + 1) * CODE} + ${group} END`;
  });
  const campaignIds = params.add(plans.map((plan) => plan.campaignId), 'uuid[]');
  const run = params.add(runDate, 'date');
  // Holds of the customer from an earlier day (before_) and from tonight (tonight_), as the lowest
  // and highest ordinal of their campaigns (0 for a campaign not in this pass): another campaign
  // than k holds the customer unless both are k. They are the ledger's assigned customers of the
  // executions whose hold covers the run date, or of tonight's. A hold covers the day its action
  // duration ends on (held_until): the action duration runs from the send instant to the same time
  // that day, and a campaign sent earlier in that day would reach the customer inside it.
  const heldByAnother = (low: string, high: string, ordinal: string): string => `(${low} IS NOT NULL AND (${low} <> ${ordinal} OR ${high} <> ${ordinal}))`;
  const holds = `
    SELECT u.customer_id,
      min(h.ordinal) FILTER (WHERE NOT h.tonight) AS before_low, max(h.ordinal) FILTER (WHERE NOT h.tonight) AS before_high,
      min(h.ordinal) FILTER (WHERE h.tonight) AS tonight_low, max(h.ordinal) FILTER (WHERE h.tonight) AS tonight_high
    FROM (
      SELECT coalesce(array_position(${campaignIds}, e.campaign_id), 0) AS ordinal, e.run_date = ${run} AS tonight, l.customer_ids
      FROM segmentation.executions e JOIN segmentation.assignment_ledger l ON l.execution_id = e.id AND l.group_id IS NOT NULL
      WHERE e.run_date = ${run} OR (e.run_date < ${run} AND e.held_until >= ${run})
    ) h CROSS JOIN LATERAL unnest(h.customer_ids) AS u(customer_id)
    GROUP BY u.customer_id`;
  const join = usesCustomers ? 'LEFT JOIN profiles.customer_v c ON c.customer_id = m.customer_id' : '';
  // The first campaign k of the customer's (in priority order) that no other campaign holds.
  const free = `(SELECT min(code / ${CODE}) FROM unnest(t.codes) code
                 WHERE NOT ${heldByAnother('h.before_low', 'h.before_high', `code / ${CODE}`)} AND NOT ${heldByAnother('h.tonight_low', 'h.tonight_high', `code / ${CODE}`)})`;
  // OFFSET 0 keeps each level's expressions computed once per row; below the innermost one, the
  // scan runs in parallel workers.
  return `
    SELECT u.ordinal, u.customer_id, u.exclusion_reason, CASE WHEN u.exclusion_reason IS NULL THEN u.code % ${CODE} END AS group_index
    FROM (
      SELECT a.customer_id, a.code, a.code / ${CODE} AS ordinal,
        CASE WHEN a.global_control THEN 'global_control'
             WHEN ${heldByAnother('a.before_low', 'a.before_high', `a.code / ${CODE}`)} THEN 'action_duration'
             WHEN a.code / ${CODE} IS DISTINCT FROM a.assigned_to THEN 'taken_by_priority' END AS exclusion_reason
      FROM (
        SELECT t.customer_id, unnest(t.codes) AS code, h.before_low, h.before_high, t.global_control,
          CASE WHEN h.before_low IS NULL AND h.tonight_low IS NULL THEN t.codes[1] / ${CODE}
               -- held by one campaign only: it, if it targets the customer; the others are held by another either way
               WHEN h.tonight_low IS NULL AND h.before_low = h.before_high THEN h.before_low
               ELSE ${free} END AS assigned_to
        FROM (
          SELECT customer_id, codes, global_control FROM (
            SELECT m.customer_id, array_remove(ARRAY[${codes.join(', ')}]::int[], NULL) AS codes,
              ${hash(globalControl.salt)} < ${params.add(globalControl.share, 'float8')} AS global_control
            FROM segmentation.customer_model m ${join}
            OFFSET 0
          ) scanned
          WHERE codes <> '{}'
        ) t
        LEFT JOIN (${holds}) h ON h.customer_id = t.customer_id
        OFFSET 0
      ) a
      OFFSET 0
    ) u`;
}
