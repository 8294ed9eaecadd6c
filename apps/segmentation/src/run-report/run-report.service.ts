import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ExecutionReport, RunReport } from '@optimove/contracts/http';

// The run report's shape is an HTTP contract read by the console: it lives in libs/contracts.
export type { ExecutionReport, GroupReport, RunReport } from '@optimove/contracts/http';

type RunRow = {
  run_date: string;
  model_date: string;
  status: string;
  trigger: string;
  held_reason: string | null;
  released_at: Date | null;
  error: string | null;
  model_update: unknown;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const RUN_COLUMNS = `to_char(run_date, 'YYYY-MM-DD') AS run_date, to_char(model_date, 'YYYY-MM-DD') AS model_date, status, trigger,
  held_reason, released_at, error, model_update, created_at, started_at, finished_at`;

/** What a run did: per campaign and group, targeted, control, variants, exclusions, timings, dispatch outcomes. */
@Injectable()
export class RunReportService {
  constructor(private readonly dataSource: DataSource) {}

  async list(limit: number): Promise<Omit<RunReport, 'executions' | 'model'>[]> {
    const rows = await this.dataSource.query<RunRow[]>(`SELECT ${RUN_COLUMNS} FROM segmentation.runs ORDER BY run_date DESC LIMIT $1`, [limit]);
    return rows.map((row) => {
      const { model: _model, executions: _executions, ...run } = runView(row, []);
      return run;
    });
  }

  async report(runDate: string): Promise<RunReport> {
    const [run] = await this.dataSource.query<RunRow[]>(`SELECT ${RUN_COLUMNS} FROM segmentation.runs WHERE run_date = $1`, [runDate]);
    if (!run) throw new NotFoundException(`no run for ${runDate}`);
    const executions = await this.dataSource.query<
      {
        id: string;
        campaign_id: string;
        campaign_name: string;
        priority: number;
        scheduled_at: Date;
        model_date: string;
        targeted: number;
        excluded: Record<string, number>;
        timings: Record<string, number>;
        published_at: Date;
      }[]
    >(
      `SELECT id, campaign_id, campaign_name, priority, scheduled_at, to_char(model_date, 'YYYY-MM-DD') AS model_date, targeted, excluded, timings, published_at
       FROM segmentation.executions WHERE run_date = $1 ORDER BY priority, published_at`,
      [runDate],
    );
    const groups = await this.dataSource.query<
      {
        group_id: string;
        execution_id: string;
        kind: 'control' | 'variant';
        name: string;
        template_message_id: string | null;
        planned_share: number;
        group_size: number;
        chunk_count: number;
        dispatch_status: 'pending' | 'scheduled' | 'failed';
        dispatch: Record<string, unknown> | null;
        dispatch_updated_at: Date | null;
      }[]
    >(
      `SELECT g.* FROM segmentation.execution_groups g JOIN segmentation.executions e ON e.id = g.execution_id
       WHERE e.run_date = $1 ORDER BY g.kind, g.name`,
      [runDate],
    );
    return runView(
      run,
      executions.map((execution): ExecutionReport => {
        const own = groups.filter((group) => group.execution_id === execution.id);
        return {
          executionId: execution.id,
          campaignId: execution.campaign_id,
          campaignName: execution.campaign_name,
          priority: execution.priority,
          scheduledAt: execution.scheduled_at.toISOString(),
          modelDate: execution.model_date,
          targeted: execution.targeted,
          assigned: own.reduce((sum, group) => sum + group.group_size, 0),
          control: own.filter((group) => group.kind === 'control').reduce((sum, group) => sum + group.group_size, 0),
          excluded: execution.excluded,
          timings: execution.timings,
          publishedAt: execution.published_at.toISOString(),
          groups: own.map((group) => ({
            groupId: group.group_id,
            kind: group.kind,
            name: group.name,
            templateMessageId: group.template_message_id,
            plannedShare: group.planned_share,
            size: group.group_size,
            chunkCount: group.chunk_count,
            // A control group is never dispatched: no outcome will ever come for it.
            dispatch:
              group.kind === 'control'
                ? { status: 'held_out', updatedAt: null }
                : { status: group.dispatch_status, updatedAt: group.dispatch_updated_at?.toISOString() ?? null, ...(group.dispatch ?? {}) },
          })),
        };
      }),
    );
  }
}

function runView(row: RunRow, executions: ExecutionReport[]): RunReport {
  return {
    runDate: row.run_date,
    modelDate: row.model_date,
    status: row.status,
    trigger: row.trigger,
    heldReason: row.held_reason,
    releasedAt: row.released_at?.toISOString() ?? null,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    model: row.model_update,
    executions,
  };
}
