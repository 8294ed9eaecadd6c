import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { watch, type FSWatcher } from 'chokidar';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { ProfileImportConfig } from '../config/profile-import.config';
import { ImportRunner } from '../imports/import-runner.service';
import { parseInboxFileName } from './inbox-file-name';

/**
 * Watches IMPORT_INBOX_DIR for `<dataset>_<YYYYMMDD>*.csv[.gz]`. A file is imported once it has
 * stopped growing, then moved to `processed/` (applied or unchanged) or `failed/` (refused or
 * failed, with `<name>.error.txt` saying why). A file is first claimed by renaming it into
 * `processing/`, so replicas watching one shared folder never import it twice. One file at a time.
 */
@Injectable()
export class InboxWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private watcher: FSWatcher | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    private readonly config: ProfileImportConfig,
    private readonly runner: ImportRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'inbox-watcher' });
  }

  async onApplicationBootstrap(): Promise<void> {
    const inbox = this.config.IMPORT_INBOX_DIR;
    if (!inbox) return;
    for (const folder of ['processing', 'processed', 'failed']) await mkdir(join(inbox, folder), { recursive: true });
    this.watcher = watch(inbox, {
      depth: 0,
      ignoreInitial: false,
      awaitWriteFinish: { stabilityThreshold: this.config.IMPORT_INBOX_STABLE_MS, pollInterval: 100 },
    });
    this.watcher.on('add', (path) => {
      this.queue = this.queue.then(() => this.handle(path)).catch((error: unknown) => this.log.error({ err: error, path }, 'inbox file not handled'));
    });
    this.watcher.on('error', (error) => this.log.error({ err: error }, 'inbox watcher error'));
    this.log.info({ inbox }, 'watching the inbox');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.watcher?.close();
    await this.queue;
  }

  private async handle(path: string): Promise<void> {
    const inbox = this.config.IMPORT_INBOX_DIR;
    const name = basename(path);
    const file = parseInboxFileName(name);
    if (file.kind === 'not-an-import') {
      this.log.debug({ name }, 'not an import file name: left in place');
      return;
    }
    const claimed = join(inbox, 'processing', name);
    try {
      await rename(path, claimed);
    } catch {
      return; // another replica took it, or it is gone
    }
    if (file.kind === 'unknown-dataset') {
      await this.finish(claimed, name, 'failed', `unknown dataset "${file.dataset}": use customers or transactions`);
      return;
    }
    const size = (await stat(claimed)).size;
    const { record } = await this.runner.run({
      dataset: file.dataset,
      fileName: name,
      channel: 'inbox',
      asOfDate: file.asOfDate,
      source: createReadStream(claimed, { highWaterMark: 1 << 20 }),
      declaredBytes: size,
    });
    const ok = record.status === 'applied' || record.status === 'unchanged';
    await this.finish(claimed, name, ok ? 'processed' : 'failed', ok ? undefined : `import ${record.id} ${record.status}: ${record.message ?? ''}`);
  }

  private async finish(claimed: string, name: string, folder: 'processed' | 'failed', error?: string): Promise<void> {
    const target = join(this.config.IMPORT_INBOX_DIR, folder, name);
    const free = await stat(target).then(
      () => `${target}.${this.clock.now().getTime()}`,
      () => target,
    );
    await rename(claimed, free);
    if (error) await writeFile(`${free}.error.txt`, `${error}\n`);
    this.log.info({ name, folder, error }, `inbox file moved to ${folder}/`);
  }
}
