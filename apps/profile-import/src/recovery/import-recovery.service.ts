import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { importLockKey } from '../imports/import-runner.service';

export const INTERRUPTED_MESSAGE = 'interrupted: the process stopped during the import (found running at start-up); nothing applied';

/**
 * Crash recovery at start-up: an import left `running` by a process that died is marked
 * `interrupted` (its transaction was rolled back with the connection, so nothing of it was
 * applied). An import another replica is still running holds its lock (importLockKey) and is left
 * alone. The inbox watcher waits for this before moving files back from `processing/`.
 */
@Injectable()
export class ImportRecovery implements OnApplicationBootstrap {
  private recovered: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.recover();
  }

  /** Runs once per process; every caller waits for the same run. */
  recover(): Promise<void> {
    this.recovered ??= this.markInterrupted();
    return this.recovered;
  }

  /** Names of files of `running` inbox imports (live ones, after recover()). */
  async runningInboxFiles(): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ file_name: string }[]>(`SELECT file_name FROM profiles.imports WHERE status = 'running' AND channel = 'inbox'`);
    return new Set(rows.map((row) => row.file_name));
  }

  private async markInterrupted(): Promise<void> {
    const running = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM profiles.imports WHERE status = 'running'`);
    if (running.length === 0) return;
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    const interrupted: string[] = [];
    try {
      for (const { id } of running) {
        const key = importLockKey(id);
        const [{ free }] = (await queryRunner.query('SELECT pg_try_advisory_lock($1) AS free', [key])) as { free: boolean }[];
        if (!free) continue; // running in another process
        try {
          const result = (await queryRunner.query(
            `UPDATE profiles.imports SET status = 'interrupted', message = $2, finished_at = $3 WHERE id = $1 AND status = 'running'`,
            [id, INTERRUPTED_MESSAGE, this.clock.now()],
            true,
          )) as { affected?: number };
          if (result.affected) interrupted.push(id);
        } finally {
          await queryRunner.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      }
    } finally {
      await queryRunner.release();
    }
    if (interrupted.length > 0) this.logger.warn({ imports: interrupted }, `${interrupted.length} import(s) left running by a stopped process marked interrupted`);
  }
}
