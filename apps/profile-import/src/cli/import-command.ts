import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';
import { SystemClock } from '@optimove/clock';
import { loadConfig } from '@optimove/config';
import { OutboxWriter } from '@optimove/messaging';
import { createLogger } from '@optimove/observability';
import { ProfileImportConfig } from '../config/profile-import.config';
import { SCHEMA, dataSourceOptions } from '../database/data-source-options';
import { datasetDefinition } from '../datasets/dataset-definitions';
import { isCalendarDay } from '../imports/import-inputs';
import { toReport } from '../imports/import-report';
import { ImportRunner } from '../imports/import-runner.service';

export const IMPORT_USAGE = 'usage: main.js import <customers|transactions> <file.csv[.gz]> [--force] [--as-of YYYY-MM-DD]';

type Output = { write(text: string): unknown; isTTY?: boolean };
export type CommandIo = { stdout: Output; stderr: Output };

/**
 * `node main.js import <dataset> <file> [--force] [--as-of YYYY-MM-DD]`: imports one file with a
 * progress bar on stderr and prints the import report (JSON) on stdout. Needs only the database:
 * the event goes to the outbox and the running service's relay publishes it. Exit code 0 when
 * the file was applied or was already applied, 1 otherwise, 2 for a usage error.
 */
export async function runImportCommand(args: readonly string[], env?: Record<string, string | undefined>, io: CommandIo = process): Promise<number> {
  const options = parseArgs(args);
  const size = typeof options === 'string' ? options : await fileSize(options.file);
  if (typeof size === 'string' || typeof options === 'string') {
    io.stderr.write(`${typeof options === 'string' ? options : size}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const config = loadConfig(ProfileImportConfig, env);
  const logger = createLogger({ service: 'profile-import', level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, destination: process.stderr });
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  const clock = new SystemClock();
  const bar = new SingleBar({ stream: io.stderr as NodeJS.WritableStream, format: 'importing [{bar}] {percentage}% | {value}/{total} bytes | {phase} | {duration_formatted}', hideCursor: true });
  try {
    const runner = new ImportRunner(dataSource, new OutboxWriter(SCHEMA, 'profile-import', clock), clock, config, logger);
    bar.start(size, 0, { phase: 'reading and checking' });
    const { record } = await runner.run({
      dataset: options.dataset,
      fileName: basename(options.file),
      channel: 'cli',
      source: createReadStream(options.file, { highWaterMark: 1 << 20 }),
      force: options.force,
      asOfDate: options.asOf,
      declaredBytes: size,
      onProgress: (bytes) => bar.update(bytes),
      onStaged: () => bar.update(size, { phase: 'applying in the database' }),
    });
    bar.stop();
    io.stdout.write(`${JSON.stringify(toReport(record), null, 2)}\n`);
    io.stderr.write(`${record.status}: ${record.message ?? `${record.rowsLoaded} of ${record.rowsRead} rows loaded`}\n`);
    return record.status === 'applied' || record.status === 'unchanged' ? 0 : 1;
  } finally {
    bar.stop();
    await dataSource.destroy();
  }
}

type ImportOptions = { dataset: string; file: string; force: boolean; asOf?: string };

export function parseArgs(args: readonly string[]): ImportOptions | string {
  const positional: string[] = [];
  let force = false;
  let asOf: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--force') force = true;
    // A missing value is an empty one (a usage error below), not no option at all.
    else if (arg === '--as-of') asOf = args[++i] ?? '';
    else if (arg.startsWith('--as-of=')) asOf = arg.slice('--as-of='.length);
    else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional.length !== 2) return 'expected a dataset and a file';
  if (!datasetDefinition(positional[0])) return `unknown dataset "${positional[0]}": use customers or transactions`;
  if (asOf !== undefined && !isCalendarDay(asOf)) return '--as-of must be a calendar day (YYYY-MM-DD)';
  return { dataset: positional[0], file: positional[1], force, asOf };
}

/** The size of a regular file, or what is wrong with the path (a usage error). */
async function fileSize(file: string): Promise<number | string> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : `not a file: ${file}`;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${String(code)})`;
  }
}
