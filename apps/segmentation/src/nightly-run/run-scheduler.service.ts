import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { SegmentationConfig } from '../config/segmentation.config';
import { localDayAndMinutes } from '../shared/days';
import { NightlyRunService, type RunResult, type RunTrigger } from './nightly-run.service';

/**
 * Starts runs: by the clock (RUN_SCHEDULE_TIME in RUN_TIME_ZONE), or, with RUN_WAIT_FOR_IMPORTS,
 * once both datasets of the previous day were imported (the scheduled time is then the deadline).
 * A run is claimed in the database, so of several replicas exactly one starts it. Runs started
 * here or through the API execute in the background of this process.
 */
@Injectable()
export class RunScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SegmentationConfig,
    private readonly runs: NightlyRunService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_SCHEDULE_ENABLED) return;
    // The first look is one interval after start: a booting replica does not race its own migrations.
    this.timer = setInterval(() => this.nudge(), this.config.RUN_SCHEDULER_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks at the clock and the imports now (also called when an import event arrives). */
  nudge(): void {
    if (this.stopped || this.ticking || !this.config.RUN_SCHEDULE_ENABLED) return;
    this.ticking = this.tick()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Run scheduler pass failed; trying again at the next interval'))
      .finally(() => (this.ticking = undefined));
  }

  async tick(): Promise<void> {
    const now = localDayAndMinutes(this.clock.now(), this.config.RUN_TIME_ZONE);
    const [hours, minutes] = this.config.RUN_SCHEDULE_TIME.split(':').map(Number);
    const timeReached = now.minutes >= hours * 60 + minutes;
    const runDate = now.day;
    let trigger: RunTrigger | undefined;
    if (this.config.RUN_WAIT_FOR_IMPORTS) {
      if (await this.bothDatasetsImported(NightlyRunService.modelDateOf(runDate))) trigger = 'imports';
      else if (timeReached) trigger = 'deadline';
    } else if (timeReached) {
      trigger = 'schedule';
    }
    if (trigger && (await this.runs.claim(runDate, trigger))) {
      if (trigger === 'deadline') this.logger.warn({ runDate }, 'Import deadline passed without both datasets: the run starts with the data there is');
      this.logger.info({ runDate, trigger }, 'Nightly run claimed');
      void this.start(runDate);
    } else if (await this.runs.waitingToStart(runDate)) {
      // Claimed here or elsewhere while another run held the lock (or by a process that stopped
      // before starting it): started now; if the lock is still busy, at a later look.
      void this.start(runDate);
    }
  }

  /** Executes a run in the background of this process; resolves when it is done. */
  start(runDate: string): Promise<RunResult | undefined> {
    const work = this.runs.execute(runDate).catch((error: unknown) => {
      this.logger.error({ err: error, runDate }, 'Nightly run crashed');
      return undefined;
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  private async bothDatasetsImported(asOfDate: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ datasets: number }[]>(
      `SELECT count(DISTINCT dataset)::int AS datasets FROM segmentation.profile_imports WHERE as_of_date = $1`,
      [asOfDate],
    );
    return row.datasets >= 2;
  }
}

