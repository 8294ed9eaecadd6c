import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { isDue } from '../campaigns/campaign-plan';
import type { CampaignRow } from '../campaigns/campaigns.service';
import { SegmentationConfig } from '../config/segmentation.config';
import { CustomerModelService, type ModelUpdate } from '../customer-model/customer-model.service';
import { addDays } from '../shared/days';
import { ExecutionService, type ExecutionOutcome } from './execution.service';

export const RUN_STATUSES = ['pending', 'held', 'running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ['schedule', 'imports', 'deadline', 'api', 'cli'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export type RunResult = {
  runDate: string;
  status: RunStatus;
  heldReason?: string;
  model?: ModelUpdate;
  executions: ExecutionOutcome[];
  error?: string;
};

const RUN_LOCK = 'segmentation.nightly-run';

/**
 * The nightly run for a date: model update to the day before, then every campaign due that day
 * in priority order, each execution in its own transaction (published exactly once: an execution
 * that exists is never redone). One run at a time across replicas (a session advisory lock).
 */
@Injectable()
export class NightlyRunService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SegmentationConfig,
    private readonly model: CustomerModelService,
    private readonly executions: ExecutionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The model date of a run: the last complete day before the run date. */
  static modelDateOf(runDate: string): string {
    return addDays(runDate, -1);
  }

  /** Why the date cannot run now (undefined when it can): its model day must be over. */
  runDateProblem(runDate: string): string | undefined {
    const problem = this.model.dayProblem(NightlyRunService.modelDateOf(runDate), 'its model day');
    return problem && `run date ${runDate} is in the future: ${problem}`;
  }

  /** Records the run (once: the first trigger wins); true when this call created it. */
  async claim(runDate: string, trigger: RunTrigger): Promise<boolean> {
    const rows = await this.dataSource.query<{ run_date: string }[]>(
      `INSERT INTO segmentation.runs (run_date, model_date, status, trigger, created_at) VALUES ($1, $2, 'pending', $3, $4)
       ON CONFLICT (run_date) DO NOTHING RETURNING run_date`,
      [runDate, NightlyRunService.modelDateOf(runDate), trigger, this.clock.now()],
    );
    return rows.length === 1;
  }

  /** Releases a run held by a suspicious import; the caller then executes it. False when there is no such run. */
  async release(runDate: string): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows] = await this.dataSource.query<[{ run_date: string }[], number]>(
      `UPDATE segmentation.runs SET released_at = $2, status = CASE WHEN status = 'held' THEN 'pending' ELSE status END
       WHERE run_date = $1 RETURNING run_date`,
      [runDate, this.clock.now()],
    );
    return rows.length === 1;
  }

  /**
   * Executes the run (claimed before). Safe to call again at any time: finished executions are
   * skipped, so a date never publishes a second or a different list. Returns `undefined` when
   * another run holds the lock.
   */
  async execute(runDate: string): Promise<RunResult | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [RUN_LOCK])) as { locked: boolean }[];
      if (!locked) return undefined;
      try {
        return await this.executeLocked(runDate);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [RUN_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async executeLocked(runDate: string): Promise<RunResult> {
    const modelDate = NightlyRunService.modelDateOf(runDate);
    const log = this.logger.child({ runDate });
    const [run] = await this.dataSource.query<{ released_at: Date | null }[]>(`SELECT released_at FROM segmentation.runs WHERE run_date = $1`, [runDate]);
    if (!run) throw new Error(`run ${runDate} was not claimed`);
    const heldReason = run.released_at ? undefined : await this.suspiciousImports(modelDate);
    if (heldReason) {
      if (this.config.RUN_SUSPICIOUS_IMPORT_POLICY === 'hold') {
        await this.setStatus(runDate, 'held', { held_reason: heldReason });
        log.warn({ heldReason }, 'Nightly run held until released (POST /runs/{date}/release)');
        return { runDate, status: 'held', heldReason, executions: [] };
      }
      log.warn({ heldReason }, 'Suspicious import; RUN_SUSPICIOUS_IMPORT_POLICY=proceed, so the run goes on');
    }
    await this.setStatus(runDate, 'running', { started_at: this.clock.now(), error: null });
    const executions: ExecutionOutcome[] = [];
    try {
      await this.dataSource.query(
        `UPDATE segmentation.model_state SET global_control_share = $1 WHERE id = 1`,
        [this.config.GLOBAL_CONTROL_SHARE],
      );
      const model = await this.model.updateTo(modelDate);
      await this.dataSource.query(`UPDATE segmentation.runs SET model_update = $2::jsonb WHERE run_date = $1`, [runDate, JSON.stringify(model)]);
      const state = await this.model.state();
      const due = await this.executeDue(runDate, state.modelDate ?? modelDate);
      executions.push(...due.outcomes);
      if (due.problems.length > 0) {
        // The other campaigns are published; these run when the date runs again once their target group is fixed.
        const error = due.problems.join('; ');
        await this.setStatus(runDate, 'failed', { error, finished_at: this.clock.now() });
        log.error({ problems: due.problems }, 'Nightly run done but for campaigns that cannot run; they run when the date is run again');
        return { runDate, status: 'failed', model, executions, error };
      }
      await this.setStatus(runDate, 'completed', { finished_at: this.clock.now() });
      log.info({ executions: executions.map((e) => ({ campaign: e.campaignName, outcome: e.outcome, targeted: e.targeted })) }, 'Nightly run completed');
      return { runDate, status: 'completed', model, executions };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.setStatus(runDate, 'failed', { error: message, finished_at: this.clock.now() });
      log.error({ err: error }, 'Nightly run failed; executions published so far stay, the rest runs when the date is run again');
      return { runDate, status: 'failed', executions, error: message };
    }
  }

  /**
   * Tonight's lists without publishing (POST /runs/preview, `main.js preview-run`), for any run
   * date: in one transaction that is rolled back, the model is brought to the model date as the run
   * would do it, then every due campaign not executed yet is evaluated (an execution published
   * before is shown as it is, `existing`: the run never redoes it). The model stays where it was: a dry run of
   * tonight, whose model day is not over, must not move it past data still to come. Meanwhile the
   * dry run holds the model lock, so a run stepping the model waits for it.
   */
  async preview(runDate: string): Promise<RunResult> {
    const modelDate = NightlyRunService.modelDateOf(runDate);
    let model: ModelUpdate | undefined;
    let error: string | undefined;
    const executions: ExecutionOutcome[] = [];
    const rollback = new Error('dry run');
    await this.dataSource
      .transaction(async (manager) => {
        model = await this.model.updateTo(modelDate, manager);
        const state = await this.model.state(manager);
        await this.executions.tune(manager);
        await manager.query(`UPDATE segmentation.model_state SET global_control_share = $1 WHERE id = 1`, [this.config.GLOBAL_CONTROL_SHARE]);
        // As the run would do it: the executions published before as they are, the others decided.
        const { due, outcomes, pending: decided } = await this.splitDue(manager, runDate);
        const problems = await this.executions.problems(manager, decided);
        const pending = decided.filter((campaign) => !problems.has(campaign.id));
        if (problems.size > 0) error = [...problems.values()].join('; ');
        // The pass over the model needs a campaign to decide (as in executeDue).
        if (pending.length > 0) {
          const pass = await this.executions.assignAll(manager, pending, runDate, state.modelDate ?? modelDate);
          for (const [index, campaign] of pending.entries()) {
            outcomes.set(campaign.id, await this.executions.execute(manager, campaign, index + 1, runDate, state.modelDate ?? modelDate, { dryRun: true, pass }));
          }
        }
        executions.push(...due.flatMap((campaign) => outcomes.get(campaign.id) ?? []));
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    return error ? { runDate, status: 'failed', model, executions, error } : { runDate, status: 'completed', model, executions };
  }

  /** True when the run of the date waits to start: claimed or released, but another run held the lock, or its process stopped first. */
  async waitingToStart(runDate: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM segmentation.runs WHERE run_date = $1 AND status = 'pending'`, [runDate]);
    return rows.length > 0;
  }

  /**
   * The executions of the campaigns due on the run date, in priority order: those published before
   * as they are; the others decided in one pass over the model (a temporary table of this
   * connection), then each published in its own transaction.
   */
  private async executeDue(runDate: string, modelDate: string): Promise<{ outcomes: ExecutionOutcome[]; problems: string[] }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const { due, outcomes, pending: decided } = await this.splitDue(runner.manager, runDate);
      // A campaign that cannot run is left out (and named), not the whole night's lists with it.
      const problems = await this.executions.problems(runner.manager, decided);
      const pending = decided.filter((campaign) => !problems.has(campaign.id));
      if (pending.length > 0) {
        const pass = await runner.manager.transaction(async (manager) => {
          await this.executions.tune(manager);
          return this.executions.assignAll(manager, pending, runDate, modelDate);
        });
        for (const [index, campaign] of pending.entries()) {
          const outcome = await runner.manager.transaction(async (manager) => {
            await this.executions.tune(manager);
            return this.executions.execute(manager, campaign, index + 1, runDate, modelDate, { dryRun: false, pass });
          });
          outcomes.set(campaign.id, outcome);
        }
      }
      return { outcomes: due.flatMap((campaign) => outcomes.get(campaign.id) ?? []), problems: [...problems.values()] };
    } finally {
      await this.executions.dropPass(runner.manager).catch(() => undefined);
      await runner.release();
    }
  }

  /** The campaigns due on the date: the outcomes of those executed before, and the others (pending), in priority order. */
  private async splitDue(manager: EntityManager, runDate: string): Promise<{ due: CampaignRow[]; outcomes: Map<string, ExecutionOutcome>; pending: CampaignRow[] }> {
    const outcomes = new Map<string, ExecutionOutcome>();
    const pending: CampaignRow[] = [];
    const due = await this.dueCampaigns(runDate);
    for (const campaign of due) {
      const existing = await this.executions.existing(manager, campaign, runDate);
      if (existing) outcomes.set(campaign.id, existing);
      else pending.push(campaign);
    }
    return { due, outcomes, pending };
  }

  /** Active campaigns due on the date, highest priority (lowest number) first. */
  async dueCampaigns(runDate: string): Promise<CampaignRow[]> {
    const campaigns = await this.dataSource.query<CampaignRow[]>(
      `SELECT * FROM segmentation.campaigns WHERE status = 'active' ORDER BY priority, created_at, id`,
    );
    return campaigns.filter((campaign) => isDue(campaign.recurrence, runDate));
  }

  private async suspiciousImports(modelDate: string): Promise<string | undefined> {
    const rows = await this.dataSource.query<{ import_id: string; dataset: string }[]>(
      `SELECT import_id, dataset FROM segmentation.profile_imports WHERE as_of_date = $1 AND suspicious ORDER BY received_at`,
      [modelDate],
    );
    if (rows.length === 0) return undefined;
    return `suspicious import(s) for ${modelDate}: ${rows.map((row) => `${row.dataset} ${row.import_id}`).join(', ')}`;
  }

  private async setStatus(runDate: string, status: RunStatus, extra: Record<string, unknown>): Promise<void> {
    const columns = Object.keys(extra);
    const sets = columns.map((column, index) => `${column} = $${index + 3}`);
    await this.dataSource.query(
      `UPDATE segmentation.runs SET ${['status = $2', ...sets].join(', ')} WHERE run_date = $1`,
      [runDate, status, ...columns.map((column) => extra[column])],
    );
  }
}
