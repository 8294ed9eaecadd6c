import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { withLocalSettings } from '@optimove/database';
import { LOGGER, type Logger } from '@optimove/observability';
import { SegmentationConfig } from '../config/segmentation.config';
import { addDays, daysBetween, localDayAndMinutes } from '../shared/days';
import { SqlParams } from '../shared/sql-params';
import { loadWithoutIndexes } from './bulk-load';
import { modelSettings, type ModelSettings } from './lifecycle';
import { buildModelRowsSql, dayDeltaSql, insertModelRowsSql, MODEL_ROW_COLUMNS, modelRowsFromFactsSql, STEPPED_ROW_COLUMNS, steppedFactsSql, updateModelRowsSql } from './model-sql';

export type ModelState = { modelDate: string | null; settings: ModelSettings | null; customersSeenAt: Date | null };

export type ModelUpdate = {
  /** `rebuild`: computed from all transactions; `incremental`: stepped day by day; `none`: already there. */
  mode: 'rebuild' | 'incremental' | 'none';
  fromDate: string | null;
  toDate: string;
  days: { day: string; deltaCustomers: number; newCustomers: number; recomputed: number; historyChanges: number; ms: number; phases: Record<string, number> }[];
  customers: number;
  historyChanges: number;
  ms: number;
};

const MODEL_LOCK = 'segmentation.customer_model';

/**
 * For the full build's one statement (the rebuild, and the model as of another day for a preview):
 * a parallel plan whatever the planner's estimate of the aggregate; JIT compiles its expressions
 * but neither inlines nor optimises them (that took 4 s of compilation over the workers for a
 * statement of about 10 s).
 */
const PARALLEL_BUILD = { parallel_setup_cost: 0, parallel_tuple_cost: 0, jit_inline_above_cost: -1, jit_optimize_above_cost: -1 };

/** For the day step's UPDATE, whose one join is its rows to the model by ctid: no hash or merge join. */
const NESTED_LOOPS = { enable_hashjoin: 'off', enable_mergejoin: 'off' };

/**
 * For the day step's statements, which touch few rows: JIT compilation would cost more than it
 * saves; and they look up rows of tables that are read every night (cached), so a key lookup is cheap.
 */
const DAY_STEP = { jit: 'off', random_page_cost: '1.1' };

/** The temporary tables of a day step, dropped at its end (a dry run steps several days in one transaction). */
const DAY_STEP_TABLES = ['model_delta', 'model_affected', 'model_moved', 'model_new'];

/**
 * The customer model: a full build as of a day, or the incremental update one day at a time.
 * Everything happens in PostgreSQL; Node only sends the statements.
 */
@Injectable()
export class CustomerModelService {
  readonly settings: ModelSettings;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SegmentationConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.settings = modelSettings(config);
  }

  async state(manager: EntityManager = this.dataSource.manager): Promise<ModelState> {
    const [row] = await manager.query<{ model_date: string | null; settings: ModelSettings | null; customers_seen_at: Date | null }[]>(
      `SELECT to_char(model_date, 'YYYY-MM-DD') AS model_date, settings, customers_seen_at FROM segmentation.model_state WHERE id = 1`,
    );
    return { modelDate: row.model_date, settings: row.settings, customersSeenAt: row.customers_seen_at };
  }

  /**
   * Why the model cannot be brought to `day` for good (undefined when it can): only a day that is
   * over in RUN_TIME_ZONE is complete; a model past it would never see that day's later data.
   */
  dayProblem(day: string, what = 'the model day'): string | undefined {
    const today = localDayAndMinutes(this.clock.now(), this.config.RUN_TIME_ZONE).day;
    return day < today ? undefined : `${what} ${day} is not over in ${this.config.RUN_TIME_ZONE} (today is ${today})`;
  }

  /**
   * Brings the model to `day`: nothing when it is there (or later), day steps when it is at most
   * MODEL_MAX_INCREMENTAL_DAYS behind with the same settings, a full rebuild otherwise. Each step
   * in its own transaction, or all of them in `within` (a dry run's, rolled back afterwards: the
   * model lock is then held until it ends). Another caller bringing the model forward meanwhile
   * is waited for, and its steps are not done again.
   */
  async updateTo(day: string, within?: EntityManager): Promise<ModelUpdate> {
    const started = Date.now();
    const state = await this.state(within);
    if (state.modelDate !== null && state.modelDate >= day) {
      return { mode: 'none', fromDate: state.modelDate, toDate: state.modelDate, days: [], customers: 0, historyChanges: 0, ms: 0 };
    }
    const sameSettings = state.settings !== null && canonical(state.settings) === canonical(this.settings);
    if (state.modelDate === null || !sameSettings || daysBetween(state.modelDate, day) > this.config.MODEL_MAX_INCREMENTAL_DAYS) {
      return this.rebuild(day, within, { onlyIfBehind: true });
    }
    const days: ModelUpdate['days'] = [];
    for (let current = addDays(state.modelDate, 1); current <= day; current = addDays(current, 1)) {
      const step = await this.stepDay(current, within);
      if (step) days.push(step);
    }
    const update: ModelUpdate = {
      mode: days.length > 0 ? 'incremental' : 'none',
      fromDate: state.modelDate,
      toDate: day,
      days,
      customers: days.reduce((sum, step) => sum + step.recomputed + step.newCustomers, 0),
      historyChanges: days.reduce((sum, step) => sum + step.historyChanges, 0),
      ms: Date.now() - started,
    };
    this.logger.info({ model: update }, 'Customer model updated');
    return update;
  }

  /**
   * Recomputes every customer as of `day` (default: the model's date) from all transactions; history
   * records the differences. In `within` when given. With `onlyIfBehind` (updateTo), nothing is done
   * when another caller brought the model to `day` or later meanwhile.
   */
  async rebuild(day?: string, within?: EntityManager, { onlyIfBehind = false } = {}): Promise<ModelUpdate> {
    const started = Date.now();
    return this.inTransaction(within, async (manager) => {
      await this.lock(manager);
      const state = await this.state(manager);
      if (onlyIfBehind && day !== undefined && state.modelDate !== null && state.modelDate >= day) {
        return { mode: 'none', fromDate: state.modelDate, toDate: state.modelDate, days: [], customers: 0, historyChanges: 0, ms: Date.now() - started };
      }
      const asOf = day ?? state.modelDate;
      if (!asOf) throw new Error('The model was never built: give the date to build it as of');
      const latest = await this.latestHistoryDay(manager);
      if (latest !== null && asOf < latest) {
        throw new Error(`The model's history already reaches ${latest}: rebuild as of ${latest} or later`);
      }
      // The customers seen, read before the build: one imported while it runs is seen again later.
      const seenAt = await this.customersSeenUpTo(manager, state.customersSeenAt);
      // The whole build in one statement into a temporary table (no WAL): PostgreSQL aggregates in
      // parallel for CREATE TABLE AS, never for an INSERT. Then one plain copy into the model,
      // loaded without its key, which is built once afterwards (cheaper than per row).
      const params = new SqlParams();
      const inserted = await withLocalSettings(manager, PARALLEL_BUILD, () =>
        this.execute(manager, `CREATE TEMP TABLE model_build ON COMMIT DROP AS ${buildModelRowsSql(asOf, this.settings, params)}`, params.values),
      );
      await manager.query('TRUNCATE segmentation.customer_model');
      await loadWithoutIndexes(manager, 'segmentation.customer_model', () =>
        manager.query(`INSERT INTO segmentation.customer_model (${MODEL_ROW_COLUMNS.join(', ')}) SELECT ${MODEL_ROW_COLUMNS.join(', ')} FROM model_build`),
      );
      await manager.query('DROP TABLE model_build');
      // The first build opens every customer's history: loaded without the indexes too.
      const historyChanges =
        latest === null
          ? await loadWithoutIndexes(manager, 'segmentation.customer_state_history', () => this.syncHistory(manager, asOf))
          : await this.syncHistory(manager, asOf);
      // Fresh statistics for the nightly steps that follow: with the ones from before the build, the
      // planner took the million open history rows for a few hundred (the closing update: 2.3 s
      // instead of 0.6 s on 1M customers). A rebuild as of the model's own day keeps the model's
      // statistics (its rows are those of before, but for late transactions) and, without history
      // changes, the history's.
      if (state.modelDate !== asOf) await manager.query('ANALYZE segmentation.customer_model');
      if (historyChanges > 0) await manager.query('ANALYZE segmentation.customer_state_history');
      await this.saveState(manager, asOf, seenAt, true);
      const update: ModelUpdate = { mode: 'rebuild', fromDate: state.modelDate, toDate: asOf, days: [], customers: inserted, historyChanges, ms: Date.now() - started };
      this.logger.info({ model: update }, 'Customer model rebuilt');
      return update;
    });
  }

  /**
   * One day of the incremental update, in its own transaction or in `within`; undefined when another
   * caller stepped the model to the day (or past it) first.
   */
  private async stepDay(day: string, within?: EntityManager): Promise<ModelUpdate['days'][number] | undefined> {
    return this.inTransaction(within, async (manager) => {
      await this.lock(manager);
      const state = await this.state(manager);
      if (state.modelDate !== null && state.modelDate >= day) return undefined;
      if (state.modelDate !== addDays(day, -1)) throw new Error(`The model moved (now ${String(state.modelDate)}) while stepping to ${day}`);
      return withLocalSettings(manager, DAY_STEP, () => this.stepDayLocked(manager, day, state));
    });
  }

  private async stepDayLocked(manager: EntityManager, day: string, state: ModelState): Promise<ModelUpdate['days'][number]> {
    const started = Date.now();
    const phases: Record<string, number> = {};
    let mark = started;
    const lap = (name: string): void => {
      phases[name] = Date.now() - mark;
      mark = Date.now();
    };
    const delta = new SqlParams();
    const deltaCustomers = await this.execute(manager, `CREATE TEMP TABLE model_delta ON COMMIT DROP AS ${dayDeltaSql(day, this.settings, delta)}`, delta.values);
    lap('deltaMs');
    // The customers to recompute, as their rows stand before the day (and where they are), with
    // their delta: those with a delta and those whose stage or recency score changes with time today.
    const recomputed = await this.execute(
      manager,
      `CREATE TEMP TABLE model_affected ON COMMIT DROP AS
       SELECT m.ctid AS model_row, * FROM segmentation.customer_model m LEFT JOIN model_delta d USING (customer_id)
       WHERE m.next_change_on <= $1::date OR m.customer_id IN (SELECT customer_id FROM model_delta)`,
      [day],
    );
    // Facts and derived columns in one UPDATE (each affected row written once), noting whose stage
    // or micro-segment moved: the open history row of every other customer equals its model row.
    // The rows are fetched by ctid: the planner, counting a scan of the whole model as cheaper than
    // ~100k fetches by ctid, hashed the model instead (0.4 s more on 1M customers).
    await manager.query('CREATE TEMP TABLE model_moved (customer_id text, lifecycle_stage text, micro_segment text) ON COMMIT DROP');
    const step = new SqlParams();
    const [{ updated }] = await withLocalSettings(manager, NESTED_LOOPS, () =>
      manager.query<{ updated: number }[]>(
        `WITH updated AS (
         ${updateModelRowsSql(modelRowsFromFactsSql(steppedFactsSql(day, this.settings, step), day, this.settings, step, STEPPED_ROW_COLUMNS))}
         RETURNING m.customer_id, m.lifecycle_stage, m.micro_segment, x.before_stage, x.before_segment, m.customer_id = x.customer_id AS same_customer
       ), moved AS (
         INSERT INTO model_moved
         SELECT customer_id, lifecycle_stage, micro_segment FROM updated
         WHERE lifecycle_stage IS DISTINCT FROM before_stage OR micro_segment IS DISTINCT FROM before_segment
       )
       SELECT count(*) FILTER (WHERE same_customer)::int AS updated FROM updated`,
        step.values,
      ),
    );
    if (updated !== recomputed) throw new Error(`The day step of ${day} updated ${updated} model rows of ${recomputed}`);
    lap('updateMs');
    // Customers the model has not seen: new buyers (a delta but no model row) and new rows of
    // customer_v since the last update. The time they are seen up to is read first: a row
    // imported after it is looked at again by the next step (and skipped if it got in now).
    const seenAt = await this.customersSeenUpTo(manager, state.customersSeenAt);
    const newCustomers = await this.execute(
      manager,
      `CREATE TEMP TABLE model_new ON COMMIT DROP AS
       SELECT customer_id FROM model_delta d WHERE NOT EXISTS (SELECT 1 FROM model_affected a WHERE a.customer_id = d.customer_id)
       UNION
       SELECT customer_id FROM profiles.customer_v c WHERE c.updated_at > coalesce($1::timestamptz, '-infinity')
         AND NOT EXISTS (SELECT 1 FROM segmentation.customer_model m WHERE m.customer_id = c.customer_id)`,
      [state.customersSeenAt],
    );
    if (newCustomers > 0) {
      const build = new SqlParams();
      await manager.query(
        `WITH inserted AS (
           ${insertModelRowsSql('segmentation.customer_model', buildModelRowsSql(day, this.settings, build, 'model_new'))}
           RETURNING customer_id, lifecycle_stage, micro_segment
         )
         INSERT INTO model_moved SELECT customer_id, lifecycle_stage, micro_segment FROM inserted`,
        build.values,
      );
    }
    lap('newCustomersMs');
    const historyChanges = await this.syncHistory(manager, day, 'model_moved');
    lap('historyMs');
    await this.saveState(manager, day, seenAt, false);
    await manager.query(`DROP TABLE ${DAY_STEP_TABLES.join(', ')}`);
    lap('stateMs');
    return { day, deltaCustomers, newCustomers, recomputed, historyChanges, ms: Date.now() - started, phases };
  }

  /**
   * Model rows as of a day other than the model's, computed on the fly into a temporary table of
   * the transaction (the cost of a full build): for previews as of a past date.
   */
  async createAsOfTable(manager: EntityManager, day: string, table: string): Promise<void> {
    const params = new SqlParams();
    await withLocalSettings(manager, PARALLEL_BUILD, () =>
      manager.query(`CREATE TEMP TABLE ${table} ON COMMIT DROP AS ${buildModelRowsSql(day, this.settings, params)}`, params.values),
    );
    await manager.query(`ANALYZE ${table}`);
  }

  /**
   * Writes a history change for every customer of `source` (a table of customer_id,
   * lifecycle_stage and micro_segment: the model, or the customers a day step moved or added)
   * whose stage or micro-segment differs from its open history row.
   */
  private async syncHistory(manager: EntityManager, day: string, source = 'segmentation.customer_model'): Promise<number> {
    const changes = await this.execute(
      manager,
      `CREATE TEMP TABLE history_changes ON COMMIT DROP AS
       SELECT m.customer_id, m.lifecycle_stage, m.micro_segment FROM ${source} m
       WHERE NOT EXISTS (SELECT 1 FROM segmentation.customer_state_history h
                         WHERE h.customer_id = m.customer_id AND h.valid_to IS NULL
                           AND h.lifecycle_stage = m.lifecycle_stage AND h.micro_segment IS NOT DISTINCT FROM m.micro_segment)`,
      [],
    );
    if (changes > 0) {
      await manager.query('ANALYZE history_changes');
      await manager.query(
        `UPDATE segmentation.customer_state_history h SET valid_to = $1::date FROM history_changes c
         WHERE h.customer_id = c.customer_id AND h.valid_to IS NULL AND h.valid_from < $1::date`,
        [day],
      );
      await manager.query(
        `DELETE FROM segmentation.customer_state_history h USING history_changes c WHERE h.customer_id = c.customer_id AND h.valid_from = $1::date`,
        [day],
      );
      await manager.query(
        `INSERT INTO segmentation.customer_state_history (customer_id, lifecycle_stage, micro_segment, valid_from)
         SELECT customer_id, lifecycle_stage, micro_segment, $1::date FROM history_changes`,
        [day],
      );
    }
    await manager.query('DROP TABLE history_changes');
    return changes;
  }

  /** The latest `updated_at` of customer_v (at least `since`): the model has looked at every row up to it. */
  private async customersSeenUpTo(manager: EntityManager, since: Date | null): Promise<Date | null> {
    const [row] = await manager.query<{ seen: Date | null }[]>(
      `SELECT greatest($1::timestamptz, (SELECT max(updated_at) FROM profiles.customer_v WHERE updated_at > coalesce($1::timestamptz, '-infinity'))) AS seen`,
      [since],
    );
    return row.seen;
  }

  private async saveState(manager: EntityManager, day: string, seenAt: Date | null, rebuilt: boolean): Promise<void> {
    const now = this.clock.now();
    await manager.query(
      `UPDATE segmentation.model_state SET model_date = $1::date, settings = $2::jsonb, updated_at = $3,
         built_at = CASE WHEN $4 THEN $3 ELSE built_at END, customers_seen_at = $5
       WHERE id = 1`,
      [day, JSON.stringify(this.settings), now, rebuilt, seenAt],
    );
  }

  private inTransaction<T>(within: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return within ? work(within) : this.dataSource.transaction(work);
  }

  private async latestHistoryDay(manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query<{ day: string | null }[]>(
      `SELECT to_char(max(valid_from), 'YYYY-MM-DD') AS day FROM segmentation.customer_state_history`,
    );
    return row.day;
  }

  private async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SET LOCAL work_mem = '${this.config.RUN_WORK_MEM}'`);
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MODEL_LOCK]);
  }

  /** Runs a statement and returns the rows it affected (CREATE TABLE AS, INSERT, UPDATE). */
  private async execute(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('execute needs a transaction');
    const result = await runner.query(sql, params, true);
    return result.affected ?? 0;
  }
}

/** JSON with sorted keys (jsonb does not keep key order). */
function canonical(settings: ModelSettings): string {
  return JSON.stringify(settings, Object.keys(settings).sort());
}
