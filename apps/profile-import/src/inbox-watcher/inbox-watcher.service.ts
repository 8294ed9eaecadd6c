import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { watch, type FSWatcher } from 'chokidar';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { ProfileImportConfig } from '../config/profile-import.config';
import { ImportRunner } from '../imports/import-runner.service';
import { maskEmailAddresses } from '../imports/csv/personal-data';
import { ImportRecovery } from '../recovery/import-recovery.service';
import { parseInboxFileName } from './inbox-file-name';

/**
 * Watches IMPORT_INBOX_DIR for `<dataset>_<YYYYMMDD>*.csv[.gz]`. Only regular files are taken:
 * a symbolic link, FIFO, device or socket is moved to `failed/` unopened (a FIFO would block the
 * reader for good, a link could point at any file of the host). A file is imported once its size
 * and modification time have not changed for IMPORT_INBOX_STABLE_MS, then moved to `processed/`
 * (applied or unchanged) or `failed/` (refused or failed, with `<name>.error.txt` saying why). A
 * file is first claimed by renaming it into `processing/`, so replicas watching one shared folder
 * never import it twice. One file at a time. At start-up, files a stopped process left in
 * `processing/` go back to the inbox (unless a live import of another replica has them).
 */
@Injectable()
export class InboxWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private watcher: FSWatcher | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    private readonly config: ProfileImportConfig,
    private readonly runner: ImportRunner,
    private readonly recovery: ImportRecovery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'inbox-watcher' });
  }

  async onApplicationBootstrap(): Promise<void> {
    const inbox = this.config.IMPORT_INBOX_DIR;
    if (!inbox) return;
    for (const folder of ['processing', 'processed', 'failed']) await mkdir(join(inbox, folder), { recursive: true });
    await this.recovery.recover();
    await this.returnUnfinished();
    this.watcher = watch(inbox, {
      depth: 0,
      ignoreInitial: false,
      followSymlinks: false,
      awaitWriteFinish: { stabilityThreshold: this.config.IMPORT_INBOX_STABLE_MS, pollInterval: 100 },
    });
    this.watcher.on('add', (path) => {
      this.queue = this.queue.then(() => this.handle(path)).catch((error: unknown) => this.log.error({ err: error, path: maskEmailAddresses(path) }, 'inbox file not handled'));
    });
    this.watcher.on('error', (error) => this.log.error({ err: error }, 'inbox watcher error'));
    this.log.info({ inbox }, 'watching the inbox');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.watcher?.close();
    await this.queue;
  }

  /** Moves files left in `processing/` by a stopped process back into the inbox. */
  private async returnUnfinished(): Promise<void> {
    const inbox = this.config.IMPORT_INBOX_DIR;
    const live = await this.recovery.runningInboxFiles();
    for (const name of await readdir(join(inbox, 'processing'))) {
      if (live.has(name)) continue;
      const target = await this.freeName(join(inbox, name));
      await rename(join(inbox, 'processing', name), target).catch(() => undefined);
      this.log.warn({ name: maskEmailAddresses(name) }, 'file left in processing/ by a stopped process moved back to the inbox');
    }
  }

  private async handle(path: string): Promise<void> {
    const inbox = this.config.IMPORT_INBOX_DIR;
    const name = basename(path);
    const file = parseInboxFileName(name);
    if (file.kind === 'not-an-import') {
      this.log.debug({ name: maskEmailAddresses(name) }, 'not an import file name: left in place');
      return;
    }
    const info = await this.stable(path);
    if (!info) return; // gone
    if (!info.isFile()) {
      await this.moveAside(path, name, `not a regular file (${kindOf(info)}): moved aside unopened`);
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
    // Opened without following a link and without blocking, and checked again on the open file:
    // what was claimed may have been swapped since the check above.
    const handle = await open(claimed, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
    const opened = await handle?.stat();
    if (!handle || !opened?.isFile()) {
      await handle?.close();
      await this.finish(claimed, name, 'failed', 'not a regular file: moved aside unopened');
      return;
    }
    const { record } = await this.runner
      .run({
        dataset: file.dataset,
        fileName: name,
        channel: 'inbox',
        asOfDate: file.asOfDate,
        source: handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false }),
        declaredBytes: opened.size,
        // A writer still at it (a transfer paused longer than IMPORT_INBOX_STABLE_MS) changes the
        // claimed file: its rows read so far are not applied, and the file is moved to failed/.
        changedSinceOpened: async () => {
          const now = await handle.stat();
          if (now.size === opened.size && now.mtimeMs === opened.mtimeMs) return undefined;
          return `the file changed while it was imported (${opened.size} bytes when claimed, ${now.size} bytes now): nothing applied; deliver it again once it is complete`;
        },
      })
      // Open until the change check after reading: the read stream leaves it open (autoClose off).
      .finally(() => handle.close().catch(() => undefined));
    const ok = record.status === 'applied' || record.status === 'unchanged';
    await this.finish(claimed, name, ok ? 'processed' : 'failed', ok ? undefined : `import ${record.id} ${record.status}: ${record.message ?? ''}`);
  }

  /** The entry's lstat once its size and modification time have held for IMPORT_INBOX_STABLE_MS; undefined when it is gone. */
  private async stable(path: string): Promise<Stats | undefined> {
    let before = await lstat(path).catch(() => undefined);
    for (;;) {
      if (!before || !before.isFile()) return before;
      await new Promise((resolve) => setTimeout(resolve, this.config.IMPORT_INBOX_STABLE_MS));
      const after = await lstat(path).catch(() => undefined);
      if (!after || (after.size === before.size && after.mtimeMs === before.mtimeMs)) return after;
      before = after;
    }
  }

  private async moveAside(path: string, name: string, reason: string): Promise<void> {
    const target = await this.freeName(join(this.config.IMPORT_INBOX_DIR, 'failed', name));
    await rename(path, target);
    await writeFile(`${target}.error.txt`, `${reason}\n`);
    this.log.warn({ name: maskEmailAddresses(name), reason }, 'inbox entry moved to failed/');
  }

  private async finish(claimed: string, name: string, folder: 'processed' | 'failed', error?: string): Promise<void> {
    const target = await this.freeName(join(this.config.IMPORT_INBOX_DIR, folder, name));
    try {
      await rename(claimed, target);
    } catch {
      // Moved back to the inbox by another replica's start-up meanwhile: it imports it again ("unchanged").
      this.log.warn({ name: maskEmailAddresses(name), folder }, 'claimed inbox file gone before it could be moved');
      return;
    }
    if (error) await writeFile(`${target}.error.txt`, `${error}\n`);
    this.log.info({ name: maskEmailAddresses(name), folder, error }, `inbox file moved to ${folder}/`);
  }

  private async freeName(target: string): Promise<string> {
    return lstat(target).then(
      () => `${target}.${this.clock.now().getTime()}`,
      () => target,
    );
  }
}

function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'not a file';
}
