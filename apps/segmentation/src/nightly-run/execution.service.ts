import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import type { ListsGeneratedV1 } from '@optimove/contracts';
import { withLocalSettings } from '@optimove/database';
import { OutboxWriter } from '@optimove/messaging';
import { LOGGER, type Logger } from '@optimove/observability';
import { plannedShares, scheduledAt } from '../campaigns/campaign-plan';
import type { CampaignRow } from '../campaigns/campaigns.service';
import { SegmentationConfig } from '../config/segmentation.config';
import { addDays } from '../shared/days';
import { SqlParams } from '../shared/sql-params';
import { validateRule, type RuleNode } from '../target-groups/rule-tree';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { assignmentPassSql, type PassPlan } from './assignment-pass-sql';

/** Why a targeted customer is in no group tonight, in the order they are checked. Wire values: do not rename. */
export const EXCLUSION_REASONS = ['global_control', 'action_duration', 'taken_by_priority'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export type PlannedGroup = {
  groupId: string;
  kind: 'control' | 'variant';
  name: string;
  templateMessageId: string | null;
  plannedShare: number;
  size: number;
};

export type ExecutionOutcome = {
  executionId: string;
  campaignId: string;
  campaignName: string;
  /** `published` now, `existing` (published before: nothing done), or `dry-run`. */
  outcome: 'published' | 'existing' | 'dry-run';
  targeted: number;
  excluded: Record<ExclusionReason, number>;
  groups: PlannedGroup[];
  chunks: number;
  timings: Record<string, number>;
  /** Dry run only: assigned customers against the campaign's last execution. */
  difference?: { lastExecutionId: string | null; lastRunDate: string | null; new: number; dropped: number; unchanged: number };
};

type TonightCount = { ordinal: number; group_index: number | null; exclusion_reason: ExclusionReason | null; customers: number };

/** What `assignAll` decided: its duration and, per ordinal, the customers by group and exclusion. */
export type AssignmentPass = { ms: number; counts: ReadonlyMap<number, readonly TonightCount[]> };

/**
 * One execution (one campaign, one run date), in the caller's transaction: evaluate the target
 * group, apply the exclusions, assign control and variants by hash, write the assignment ledger
 * and every group's `lists.generated.v1` chunks to the outbox. The chunks of ids are cut in the
 * database into a temporary table, never held in this process.
 */
@Injectable()
export class ExecutionService {
  constructor(
    private readonly config: SegmentationConfig,
    private readonly targetGroups: TargetGroupsService,
    private readonly outbox: OutboxWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Transaction settings of the run's statements. JIT off: the statements are short, and with
   * estimates of large tables PostgreSQL spent about 3 s compiling each one on this machine.
   */
  async tune(manager: EntityManager): Promise<void> {
    await manager.query(`SET LOCAL work_mem = '${this.config.RUN_WORK_MEM}'`);
    await manager.query('SET LOCAL jit = off');
    // The outbox rows of list chunks are large (~120 kB of JSON each): lz4 compresses them several
    // times faster than the default pglz (outbox writes of 980k ids: 0.2 s instead of 0.6 to 1.7 s).
    await manager.query(`SET LOCAL default_toast_compression = 'lz4'`);
  }

  /**
   * Decides tonight's outcome of every customer targeted by the campaigns (not executed yet, in
   * priority order) in one pass over the model, into the temporary table `run_chunks` of the
   * session (dropped by `dropPass`); `execute` then takes campaign `campaigns[i]` as ordinal i + 1.
   */
  async assignAll(manager: EntityManager, campaigns: readonly CampaignRow[], runDate: string, modelDate: string): Promise<AssignmentPass> {
    const started = Date.now();
    const catalogue = await this.targetGroups.catalogue(manager);
    const rules = new Map(
      (await manager.query<{ id: string; rule: RuleNode }[]>(`SELECT id, rule FROM segmentation.target_groups WHERE id = ANY($1::uuid[])`, [
        campaigns.map((campaign) => campaign.target_group_id),
      ])).map((group) => [group.id, group.rule]),
    );
    const plans = campaigns.map((campaign): PassPlan => {
      const rule = rules.get(campaign.target_group_id);
      if (!rule) throw new Error(`campaign ${campaign.id}: target group ${campaign.target_group_id} not found`);
      return { campaignId: campaign.id, rule, salt: campaign.salt, controlShare: Number(campaign.control_share), weights: campaign.variants.map((variant) => variant.weight) };
    });
    const [state] = await manager.query<{ salt: string; share: string }[]>(
      'SELECT global_control_salt::text AS salt, global_control_share AS share FROM segmentation.model_state WHERE id = 1',
    );
    // Given as values, not joined: a join above the model's scan kept the rules and hashes out of its parallel workers.
    const globalControl = { salt: state.salt, share: Number(state.share) };
    const params = new SqlParams();
    await this.dropPass(manager); // left on this pooled connection by a run that failed
    // Every outcome's ids cut into chunks, in the order the pass found them (sorting them cost a third
    // of the pass): those of the ledger, and for a group those of its lists. The planner counts the
    // rules and the hashes of the pass's scan as nearly free, so by its default costs it keeps the
    // scan in one process; parallel, the pass takes a third less.
    const chunkSize = params.add(this.config.LIST_CHUNK_SIZE, 'int');
    await withLocalSettings(manager, { parallel_setup_cost: 0, parallel_tuple_cost: 0.001 }, () =>
      manager.query(
        `CREATE TEMP TABLE run_chunks AS
       SELECT o.ordinal, o.group_index, o.exclusion_reason, i AS chunk_index, o.ids[i * ${chunkSize} + 1:(i + 1) * ${chunkSize}] AS customer_ids,
         least(cardinality(o.ids) - i * ${chunkSize}, ${chunkSize}) AS customers
       FROM (
         SELECT ordinal, group_index, exclusion_reason, array_agg(customer_id) AS ids
         FROM (${assignmentPassSql(plans, globalControl, catalogue, modelDate, runDate, params)}) p
         GROUP BY ordinal, group_index, exclusion_reason
       ) o CROSS JOIN generate_series(0, (cardinality(o.ids) - 1) / ${chunkSize}) AS i`,
        params.values,
      ),
    );
    const counts = new Map<number, TonightCount[]>();
    for (const row of await manager.query<TonightCount[]>(
      `SELECT ordinal, group_index, exclusion_reason, sum(customers)::int AS customers FROM run_chunks GROUP BY 1, 2, 3`, // the arrays stay compressed
    )) {
      counts.set(row.ordinal, [...(counts.get(row.ordinal) ?? []), row]);
    }
    return { ms: Date.now() - started, counts };
  }

  /**
   * Why each of the campaigns cannot be executed, by campaign id: its target group no longer fits
   * the field catalogue (a custom attribute deleted, or declared again with another type, in
   * profile-import after the group was saved). The others can run without it.
   */
  async problems(manager: EntityManager, campaigns: readonly CampaignRow[]): Promise<Map<string, string>> {
    const catalogue = await this.targetGroups.catalogue(manager);
    const groups = new Map(
      (await manager.query<{ id: string; name: string; rule: unknown }[]>(`SELECT id, name, rule FROM segmentation.target_groups WHERE id = ANY($1::uuid[])`, [
        campaigns.map((campaign) => campaign.target_group_id),
      ])).map((group) => [group.id, group]),
    );
    const problems = new Map<string, string>();
    for (const campaign of campaigns) {
      const group = groups.get(campaign.target_group_id);
      const errors = group ? validateRule(group.rule, catalogue).map((error) => `${error.path}: ${error.message}`) : ['it does not exist'];
      if (errors.length > 0) {
        problems.set(campaign.id, `campaign "${campaign.name}" cannot run: its target group "${group?.name ?? campaign.target_group_id}" no longer fits the fields: ${errors.join('; ')}`);
      }
    }
    return problems;
  }

  async dropPass(manager: EntityManager): Promise<void> {
    await manager.query('DROP TABLE IF EXISTS run_chunks');
  }

  /** One execution of tonight's pass (`assignAll` first; `ordinal` is the campaign's place in it). */
  async execute(
    manager: EntityManager,
    campaign: CampaignRow,
    ordinal: number,
    runDate: string,
    modelDate: string,
    options: { dryRun: boolean; pass: AssignmentPass },
  ): Promise<ExecutionOutcome> {
    const timings: Record<string, number> = { passMs: options.pass.ms };
    let mark = Date.now();
    const lap = (name: string): void => {
      const now = Date.now();
      timings[name] = now - mark;
      mark = now;
    };
    const shares = plannedShares({ controlShare: Number(campaign.control_share), variants: campaign.variants });
    const counts = options.pass.counts.get(ordinal) ?? [];
    const excluded = Object.fromEntries(EXCLUSION_REASONS.map((reason) => [reason, 0])) as Record<ExclusionReason, number>;
    const sizes = new Map<number, number>();
    let targeted = 0;
    for (const row of counts) {
      targeted += row.customers;
      if (row.exclusion_reason) excluded[row.exclusion_reason] += row.customers;
      else sizes.set(row.group_index ?? 0, row.customers);
    }
    const groups: PlannedGroup[] = [
      { groupId: randomUUID(), kind: 'control', name: 'control', templateMessageId: null, plannedShare: shares.control, size: sizes.get(0) ?? 0 },
      ...campaign.variants.map((variant, index): PlannedGroup => ({
        groupId: randomUUID(),
        kind: 'variant',
        name: variant.name,
        templateMessageId: variant.templateMessageId,
        plannedShare: shares.variants[index],
        size: sizes.get(index + 1) ?? 0,
      })),
    ];
    const executionId = randomUUID();
    const base = { executionId, campaignId: campaign.id, campaignName: campaign.name, targeted, excluded, groups };
    if (options.dryRun) {
      const difference = await this.differenceFromLast(manager, campaign, ordinal, runDate);
      lap('differenceMs');
      return { ...base, outcome: 'dry-run', chunks: 0, timings, difference };
    }
    const sendAt = scheduledAt({ sendTime: campaign.send_time, timeZone: campaign.time_zone }, runDate);
    const chunkSize = this.config.LIST_CHUNK_SIZE;
    const chunkCount = (size: number): number => Math.max(1, Math.ceil(size / chunkSize));
    await manager.query(
      `INSERT INTO segmentation.executions (id, run_date, campaign_id, campaign_name, priority, scheduled_at, model_date, targeted, excluded, timings, published_at, held_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, '{}'::jsonb, $10, $11)`,
      [executionId, runDate, campaign.id, campaign.name, campaign.priority, sendAt, modelDate, targeted, JSON.stringify(excluded), this.clock.now(), addDays(runDate, campaign.action_duration_days)],
    );
    await manager.query(
      `INSERT INTO segmentation.execution_groups (group_id, execution_id, kind, name, template_message_id, planned_share, group_size, chunk_count)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS g(group_id uuid, execution_id uuid, kind text, name text, template_message_id text,
         planned_share double precision, group_size int, chunk_count int)`,
      [
        JSON.stringify(
          groups.map((g) => ({
            group_id: g.groupId,
            execution_id: executionId,
            kind: g.kind,
            name: g.name,
            template_message_id: g.templateMessageId,
            planned_share: g.plannedShare,
            group_size: g.size,
            chunk_count: chunkCount(g.size),
          })),
        ),
      ],
    );
    // The ledger; its assigned customers are also held out of other campaigns for the action duration
    // (the executions' held_until), and out of lower priorities tonight should the run be repeated.
    await manager.query(
      `INSERT INTO segmentation.assignment_ledger (execution_id, group_id, exclusion_reason, chunk_index, customer_ids)
       SELECT $1, CASE WHEN group_index IS NOT NULL THEN ($2::uuid[])[group_index + 1] END, exclusion_reason, chunk_index, customer_ids
       FROM run_chunks WHERE ordinal = $3`,
      [executionId, groups.map((g) => g.groupId), ordinal],
    );
    lap('ledgerMs');
    let chunks = 0;
    for (const [index, group] of groups.entries()) {
      // Every chunk's payload but its index and ids.
      const base = (note?: string): Omit<ListsGeneratedV1, 'chunkIndex' | 'customerIds'> => ({
        executionId,
        campaignId: campaign.id,
        campaignName: campaign.name,
        runDate,
        scheduledAt: sendAt.toISOString(),
        group: {
          groupId: group.groupId,
          kind: group.kind,
          name: group.name,
          ...(group.templateMessageId ? { templateMessageId: group.templateMessageId } : {}),
          plannedShare: group.plannedShare,
        },
        chunkCount: chunkCount(group.size),
        groupSize: group.size,
        actionDurationDays: campaign.action_duration_days,
        ...(campaign.ab_test_kpi ? { abTestKpi: campaign.ab_test_kpi } : {}),
        ...(note ? { note } : {}),
      });
      if (group.size === 0) {
        const why = targeted === 0 ? 'the target group selected nobody' : 'every targeted customer was excluded or assigned to another group';
        await this.outbox.enqueue(manager, 'lists.generated.v1', { ...base(`empty group: ${why}`), chunkIndex: 0, customerIds: [] }, { subject: executionId });
        chunks += 1;
        continue;
      }
      // The group's chunks, as the ledger has them, go straight from the database into the outbox.
      chunks += await this.outbox.enqueueSelect(
        manager,
        'lists.generated.v1',
        `SELECT $1::jsonb || jsonb_build_object('chunkIndex', chunk_index, 'customerIds', to_jsonb(customer_ids)) AS data
         FROM run_chunks WHERE ordinal = $2 AND group_index = $3
         ORDER BY chunk_index`,
        [JSON.stringify(base()), ordinal, index],
        executionId,
      );
    }
    lap('outboxMs');
    await manager.query(`UPDATE segmentation.executions SET timings = $2::jsonb WHERE id = $1`, [executionId, JSON.stringify(timings)]);
    this.logger.info({ runDate, executionId, campaignId: campaign.id, targeted, excluded, groups: groups.map((g) => ({ name: g.name, size: g.size })), chunks, timings }, 'Execution published');
    return { ...base, outcome: 'published', chunks, timings };
  }

  /** The execution of the campaign on the date, when it was published before. */
  async existing(manager: EntityManager, campaign: CampaignRow, runDate: string): Promise<ExecutionOutcome | undefined> {
    const [row] = await manager.query<{ id: string; targeted: number; excluded: Record<ExclusionReason, number>; timings: Record<string, number> }[]>(
      `SELECT id, targeted, excluded, timings FROM segmentation.executions WHERE campaign_id = $1 AND run_date = $2`,
      [campaign.id, runDate],
    );
    if (!row) return undefined;
    const groups = await manager.query<{ group_id: string; kind: 'control' | 'variant'; name: string; template_message_id: string | null; planned_share: number; group_size: number }[]>(
      `SELECT group_id, kind, name, template_message_id, planned_share, group_size FROM segmentation.execution_groups WHERE execution_id = $1 ORDER BY kind, name`,
      [row.id],
    );
    return {
      executionId: row.id,
      campaignId: campaign.id,
      campaignName: campaign.name,
      outcome: 'existing',
      targeted: row.targeted,
      excluded: row.excluded,
      groups: groups.map((g) => ({ groupId: g.group_id, kind: g.kind, name: g.name, templateMessageId: g.template_message_id, plannedShare: g.planned_share, size: g.group_size })),
      chunks: 0,
      timings: row.timings,
    };
  }

  private async differenceFromLast(manager: EntityManager, campaign: CampaignRow, ordinal: number, runDate: string): Promise<NonNullable<ExecutionOutcome['difference']>> {
    const [last] = await manager.query<{ id: string; run_date: string }[]>(
      `SELECT id, to_char(run_date, 'YYYY-MM-DD') AS run_date FROM segmentation.executions
       WHERE campaign_id = $1 AND run_date < $2 ORDER BY run_date DESC LIMIT 1`,
      [campaign.id, runDate],
    );
    const [counts] = await manager.query<{ new: number; dropped: number; unchanged: number }[]>(
      `SELECT count(*) FILTER (WHERE l.customer_id IS NULL)::int AS new,
              count(*) FILTER (WHERE t.customer_id IS NULL)::int AS dropped,
              count(*) FILTER (WHERE t.customer_id IS NOT NULL AND l.customer_id IS NOT NULL)::int AS unchanged
       FROM (SELECT unnest(customer_ids) AS customer_id FROM run_chunks WHERE ordinal = $2 AND group_index IS NOT NULL) t
       FULL JOIN (SELECT customer_id FROM segmentation.assignment_ledger_v WHERE execution_id = $1 AND group_id IS NOT NULL) l
         ON l.customer_id = t.customer_id`,
      [last?.id ?? null, ordinal],
    );
    return { lastExecutionId: last?.id ?? null, lastRunDate: last?.run_date ?? null, ...counts };
  }
}
