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
 * Each customer's targeting campaigns and global control hash come from one scan of the model (one
 * CASE per rule), which PostgreSQL may run in parallel workers (see `ExecutionService.assignAll`); the
 * other hashes are computed only where they decide something.
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
  const targets = plans.map((plan, index) => {
    const condition = compileCondition(plan.rule, catalogue, modelDate, params);
    usesCustomers ||= condition.usesCustomers;
    return `CASE WHEN ${condition.where} THEN ${index + 1} END`;
  });
  const campaignIds = params.add(plans.map((plan) => plan.campaignId), 'uuid[]');
  const run = params.add(runDate, 'date');
  const controlSalts = params.add(plans.map((plan) => `${plan.salt}:control`), 'text[]');
  const controlShares = params.add(plans.map((plan) => plan.controlShare), 'float8[]');
  // Added on first use: a parameter the text does not use has no type PostgreSQL could infer.
  let variantSaltsParameter: string | undefined;
  const variantSalts = (): string => (variantSaltsParameter ??= params.add(plans.map((plan) => `${plan.salt}:variant`), 'text[]'));
  // Variant i+1 when the variant hash falls in [cumulative weight before i, cumulative weight up to i) / total.
  const variantOf = plans.map((plan, index) => {
    if (plan.weights.length === 1) return `WHEN ${index + 1} THEN 1`;
    const total = plan.weights.reduce((sum, weight) => sum + weight, 0);
    let cumulative = 0;
    const thresholds = [0, ...plan.weights.slice(0, -1).map((weight) => (cumulative += weight) / total)];
    return `WHEN ${index + 1} THEN width_bucket(segmentation.unit_hash((${variantSalts()})[o.ordinal], o.customer_id), ${params.add(thresholds, 'float8[]')})`;
  });
  // Holds of the customer from an earlier day (before_) and from tonight (tonight_), as the lowest
  // and highest ordinal of their campaigns (0 for a campaign not in this pass): another campaign
  // than k holds the customer unless both are k. They are the ledger's assigned customers of the
  // executions whose hold covers the run date, or of tonight's.
  const heldByAnother = (low: string, high: string, ordinal: string): string => `(${low} IS NOT NULL AND (${low} <> ${ordinal} OR ${high} <> ${ordinal}))`;
  const holds = `
    SELECT u.customer_id,
      min(h.ordinal) FILTER (WHERE NOT h.tonight) AS before_low, max(h.ordinal) FILTER (WHERE NOT h.tonight) AS before_high,
      min(h.ordinal) FILTER (WHERE h.tonight) AS tonight_low, max(h.ordinal) FILTER (WHERE h.tonight) AS tonight_high
    FROM (
      SELECT coalesce(array_position(${campaignIds}, e.campaign_id), 0) AS ordinal, e.run_date = ${run} AS tonight, l.customer_ids
      FROM segmentation.executions e JOIN segmentation.assignment_ledger l ON l.execution_id = e.id AND l.group_id IS NOT NULL
      WHERE e.run_date = ${run} OR (e.run_date < ${run} AND e.held_until > ${run})
    ) h CROSS JOIN LATERAL unnest(h.customer_ids) AS u(customer_id)
    GROUP BY u.customer_id`;
  const join = usesCustomers ? 'LEFT JOIN profiles.customer_v c ON c.customer_id = m.customer_id' : '';
  // OFFSET 0 keeps each level's expressions (the hashes above all) computed once per row; below the
  // innermost one, the scan can be parallel.
  return `
    SELECT o.ordinal, o.customer_id, o.exclusion_reason,
      CASE WHEN o.exclusion_reason IS NOT NULL THEN NULL
           WHEN segmentation.unit_hash((${controlSalts})[o.ordinal], o.customer_id) < (${controlShares})[o.ordinal] THEN 0
           ELSE CASE o.ordinal ${variantOf.join(' ')} END END AS group_index
    FROM (
      SELECT u.customer_id, u.ordinal,
        CASE WHEN u.global_control THEN 'global_control'
             WHEN ${heldByAnother('u.before_low', 'u.before_high', 'u.ordinal')} THEN 'action_duration'
             WHEN u.ordinal IS DISTINCT FROM u.assigned_to THEN 'taken_by_priority' END AS exclusion_reason
      FROM (
        SELECT t.customer_id, unnest(t.ordinals) AS ordinal, h.before_low, h.before_high, t.global_control,
          CASE WHEN h.before_low IS NULL AND h.tonight_low IS NULL THEN t.ordinals[1]
               WHEN h.tonight_low IS NULL AND h.before_low = h.before_high THEN CASE WHEN h.before_low = ANY(t.ordinals) THEN h.before_low END
               ELSE (SELECT min(k) FROM unnest(t.ordinals) k
                     WHERE NOT ${heldByAnother('h.before_low', 'h.before_high', 'k')} AND NOT ${heldByAnother('h.tonight_low', 'h.tonight_high', 'k')})
          END AS assigned_to
        FROM (
          SELECT customer_id, ordinals, global_control FROM (
            SELECT m.customer_id, array_remove(ARRAY[${targets.join(', ')}]::int[], NULL) AS ordinals,
              segmentation.unit_hash(${params.add(globalControl.salt, 'text')}, m.customer_id) < ${params.add(globalControl.share, 'float8')} AS global_control
            FROM segmentation.customer_model m ${join}
            OFFSET 0
          ) scanned
          WHERE ordinals <> '{}'
        ) t
        LEFT JOIN (${holds}) h ON h.customer_id = t.customer_id
        OFFSET 0
      ) u
      OFFSET 0
    ) o`;
}
