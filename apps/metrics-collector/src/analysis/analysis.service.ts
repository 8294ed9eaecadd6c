import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { MetricsCollectorConfig } from '../config/metrics-collector.config';
import { buildAnalysis, executionWindow, funnel, programmeComparison, revenueOf, type AnalysedGroup } from './analysis-figures';
import type { Analysis, NotSentVariant, ProgrammeView } from './analysis-report';
import { analysisSums, executions, globalControlAvailable, groups, sameWindow, snapshots, type ExecutionRow, type GroupSums } from './analysis.queries';

function addSums(a: GroupSums, b: GroupSums): GroupSums {
  return {
    groupId: a.groupId,
    n: a.n + b.n,
    // Exact decimal addition of the two numeric totals (cents), never float.
    total: addDecimal(a.total, b.total),
    purchasers: a.purchasers + b.purchasers,
    prePurchasers: a.prePurchasers + b.prePurchasers,
    sumY: a.sumY + b.sumY,
    sumY2: a.sumY2 + b.sumY2,
    sumY3: a.sumY3 + b.sumY3,
    sumX: a.sumX + b.sumX,
    sumX2: a.sumX2 + b.sumX2,
    sumXY: a.sumXY + b.sumXY,
    sumX3: a.sumX3 + b.sumX3,
    sumX2Y: a.sumX2Y + b.sumX2Y,
    sumXY2: a.sumXY2 + b.sumXY2,
  };
}

/** Adds two decimal strings with at most 2 decimals through integer cents. */
export function addDecimal(a: string, b: string): string {
  const cents = (value: string): bigint => {
    const negative = value.startsWith('-');
    const [whole, fraction = ''] = value.replace('-', '').split('.');
    const result = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
    return negative ? -result : result;
  };
  const total = cents(a) + cents(b);
  const sign = total < 0n ? '-' : '';
  const absolute = total < 0n ? -total : total;
  return `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
}

const EMPTY: Omit<GroupSums, 'groupId'> = { n: 0, total: '0.00', purchasers: 0, prePurchasers: 0, sumY: 0, sumY2: 0, sumY3: 0, sumX: 0, sumX2: 0, sumXY: 0, sumX3: 0, sumX2Y: 0, sumXY2: 0 };

/** The campaign analysis of one execution, or of all executions of a campaign together. */
@Injectable()
export class AnalysisService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MetricsCollectorConfig) private readonly config: MetricsCollectorConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forExecution(executionId: string): Promise<Analysis> {
    const rows = await executions(this.dataSource, { executionId });
    if (rows.length === 0) throw new NotFoundException(`No execution ${executionId} is known to the metrics collector`);
    return this.analyse(rows, executionId);
  }

  async forCampaign(campaignId: string): Promise<Analysis> {
    const rows = await executions(this.dataSource, { campaignId });
    if (rows.length === 0) throw new NotFoundException(`No execution of campaign ${campaignId} is known to the metrics collector`);
    return this.analyse(rows, null);
  }

  private async analyse(rows: readonly ExecutionRow[], executionId: string | null): Promise<Analysis> {
    const present: { present: boolean }[] = await this.dataSource.query(`SELECT to_regclass('profiles.transaction_v') IS NOT NULL AS present`);
    if (!present[0]?.present) throw new ServiceUnavailableException('profiles.transaction_v does not exist: run the profile-import migrations');
    const now = this.clock.now();
    const allGroups = await groups(this.dataSource, rows.map((row) => row.executionId));
    // Only what SmartFocus scheduled is measured: a variant it did not schedule reached nobody, and
    // an execution none of whose variants it scheduled has nothing to hold its control group
    // against (for a campaign, it is left out of every figure). With no variant sent anywhere, the
    // executions' control groups are shown over the planned window, and no verdict.
    const sentExecutions = new Set(allGroups.filter((group) => group.kind === 'variant' && group.scheduled).map((group) => group.executionId));
    const measured = sentExecutions.size > 0 ? rows.filter((row) => sentExecutions.has(row.executionId)) : rows;
    const groupRows = allGroups.filter((group) => (group.kind === 'control' || group.scheduled) && measured.some((row) => row.executionId === group.executionId));
    const notSent = rows.flatMap((row) =>
      allGroups
        .filter((group) => group.executionId === row.executionId && group.kind === 'variant' && !group.scheduled)
        .map((group): NotSentVariant => ({
          executionId: group.executionId,
          groupId: group.groupId,
          name: group.name,
          size: group.size,
          status: group.failure ? 'failed' : 'not_scheduled',
          failure: group.failure,
        })),
    );
    const duration = (row: ExecutionRow): number => row.actionDurationDays ?? this.config.ANALYSIS_DEFAULT_ACTION_DURATION_DAYS;
    const windows = measured.map((row) => ({ row, window: executionWindow(row.scheduledAt, duration(row), now) }));
    const ids = measured.map((row) => row.executionId);
    const from = new Date(Math.min(...windows.map(({ window }) => window.from.getTime())));
    const to = new Date(Math.max(...windows.map(({ window }) => window.to.getTime())));
    // The programme view: every contacted customer against the global control group over one
    // window (from the earliest send to the latest end, with a pre-period of the same length).
    const programmeUnavailable =
      sentExecutions.size === 0
        ? 'no variant was sent: nobody was contacted'
        : now < from
          ? 'the send time has not come yet'
          : (await globalControlAvailable(this.dataSource))
            ? null
            : 'segmentation.global_control_v does not exist (segmentation not migrated)';
    const programmeWindow = { preFrom: new Date(from.getTime() - Math.max(to.getTime() - from.getTime(), 0)), from, to };
    // One execution over its own window: the contacted customers are its variants' members, whose
    // sums the groups give; only the global control group needs summing.
    const contactedFromGroups = windows.length === 1 && sameWindow(windows[0].window, programmeWindow);
    const [sums, snapshotRows] = await Promise.all([
      analysisSums(
        this.dataSource,
        windows.map(({ row, window }) => ({ executionId: row.executionId, preFrom: window.preFrom, from: window.from, to: window.to })),
        programmeUnavailable === null ? { executionIds: ids, window: programmeWindow, contacted: !contactedFromGroups } : null,
      ),
      snapshots(this.dataSource, ids),
    ]);
    const sumsOf = (groupId: string): GroupSums => sums.groups.find((sum) => sum.groupId === groupId) ?? { groupId, ...EMPTY };
    // One execution: its groups, by group id. A campaign: the same-named groups of its executions
    // together, by `<kind>:<name>`, each listing the execution groups pooled in it.
    const keyOf = (group: { groupId: string; kind: string; name: string }): string => (executionId ? group.groupId : `${group.kind}:${group.name}`);
    const analysed = new Map<string, AnalysedGroup>();
    for (const group of groupRows) {
      const key = keyOf(group);
      const groupSum = sumsOf(group.groupId);
      const existing = analysed.get(key);
      if (existing) {
        existing.sums = addSums(existing.sums, groupSum);
        existing.groupIds.push(group.groupId);
        existing.plannedShare = existing.plannedShare === group.plannedShare ? existing.plannedShare : null;
      } else {
        analysed.set(key, { key, groupIds: [group.groupId], name: group.name, kind: group.kind, plannedShare: group.plannedShare, sums: groupSum, funnel: [] });
      }
    }
    for (const group of analysed.values()) {
      const members = new Set(group.groupIds);
      group.funnel = funnel(snapshotRows.filter((snapshot) => members.has(snapshot.groupId)));
    }
    const durations = new Set(measured.map(duration));
    return buildAnalysis({
      scope: { executionId, campaignId: rows[0].campaignId, campaignName: rows[0].campaignName, executions: rows.length },
      now,
      from,
      to,
      closed: windows.every(({ window }) => window.closed),
      actionDurationDays: Math.max(...durations),
      actionDurationSource: measured.every((row) => row.actionDurationDays !== null) ? 'plan' : 'default',
      abTestKpi: rows[0].abTestKpi,
      groups: [...analysed.values()],
      notSent,
      programme: programmeView(
        contactedFromGroups && sums.programme
          ? [...sums.programme, groupRows.filter((group) => group.kind === 'variant').map((group) => sumsOf(group.groupId)).reduce(addSums, { groupId: 'contacted', ...EMPTY })]
          : sums.programme,
        programmeUnavailable,
        windows.every(({ window }) => window.closed) ? 'fixed_horizon' : 'sequential',
      ),
    });
  }
}

/** The programme view from its sums, or why there is none. */
function programmeView(sums: GroupSums[] | null, unavailable: string | null, kind: 'fixed_horizon' | 'sequential'): ProgrammeView {
  const none = (reason: string): ProgrammeView => ({ available: false, reason, contacted: null, globalControl: null, revenuePerCustomer: null, purchaseRate: null });
  if (sums === null) return none(unavailable ?? 'not computed');
  const contacted = sums.find((sum) => sum.groupId === 'contacted') ?? { groupId: 'contacted', ...EMPTY };
  const globalControl = sums.find((sum) => sum.groupId === 'global_control') ?? { groupId: 'global_control', ...EMPTY };
  if (globalControl.n === 0) return { ...none('the global control group is empty'), contacted: { size: contacted.n, revenue: revenueOf(contacted) } };
  return {
    available: true,
    reason: null,
    contacted: { size: contacted.n, revenue: revenueOf(contacted) },
    globalControl: { size: globalControl.n, revenue: revenueOf(globalControl) },
    ...programmeComparison(contacted, globalControl, kind),
  };
}
