import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import type { ProfilesImportedV1 } from '@optimove/contracts';
import { OutboxWriter } from '@optimove/messaging';
import { LOGGER, type Logger } from '@optimove/observability';
import { ProfileImportConfig } from '../config/profile-import.config';
import { datasetDefinition, type AttributeType, type DatasetDefinition } from '../datasets/dataset-definitions';
import { PiiHeaderMatcher } from '../datasets/pii-columns';
import { ImportEntity, type ImportChannel } from '../database/entities/import.entity';
import { ImportMetrics } from './import-metrics';
import { isCalendarDay, safeFileName } from './import-inputs';
import { UnknownDatasetError, UploadStalledError, type ImportOutcome, type ImportResult } from './import-outcome';
import { CsvStagingParser, type Rejection } from './pipeline/csv-staging-parser';
import { SourceStats, readSource } from './pipeline/file-source';
import { FileRefusedError } from './pipeline/header-plan';
import { checkVolume } from './pipeline/volume-check';
import { StagingTable } from './staging-table';

export type ImportRequest = {
  dataset: string;
  /** File name as delivered (no path); `<dataset>_<YYYYMMDD>...` gives the as-of date. */
  fileName: string;
  channel: ImportChannel;
  source: AsyncIterable<Buffer | string>;
  /** Apply even when the latest applied import of the dataset had the same checksum. */
  force?: boolean;
  /** YYYY-MM-DD (a calendar day, checked by the caller); else taken from the file name, else today (UTC). */
  asOfDate?: string;
  /** Size announced before reading (Content-Length, file size): over the cap refuses at once. */
  declaredBytes?: number;
  /** Called after each chunk with the bytes read so far (the CLI's progress bar). */
  onProgress?: (bytesRead: number) => void;
  /** Called when the file is read and staged, before the checks and the apply in the database. */
  onStaged?: () => void;
  /**
   * How the source changed since it was opened, if it did (an inbox file still being written);
   * asked once the file is read, under the dataset's lock, before anything is applied: a change
   * refuses the import, as what was read is not the file that stays.
   */
  changedSinceOpened?: () => Promise<string | undefined>;
};

type Staged = { parser: CsvStagingParser; checksum: string; staging: StagingTable };

/**
 * The advisory lock an import holds on its connection from before its report row exists until it
 * ends. A process that dies releases it with its connection: at start-up, a `running` import whose
 * lock is free was left by a crash (ImportRecovery), one whose lock is held runs elsewhere.
 */
export function importLockKey(importId: string): string {
  return createHash('sha256').update(`profile-import:import:${importId}`).digest().readBigInt64BE(0).toString();
}

/**
 * Runs one import: stream, check and COPY the file into an UNLOGGED staging table, then in the
 * same transaction, under the dataset's advisory lock: the same-file check, the duplicates and
 * the reject threshold, the volume check, the dataset's apply, the report's status and the
 * `profiles.imported.v1` event in the outbox. Readers see all of an import or nothing of it. The
 * report row is written before and after that transaction, so a refused or failed import keeps it.
 */
@Injectable()
export class ImportRunner {
  private readonly pii: PiiHeaderMatcher;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: ProfileImportConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    // Absent in the CLI, which has no /metrics to serve.
    @Optional() private readonly metrics?: ImportMetrics,
  ) {
    this.pii = new PiiHeaderMatcher(config.IMPORT_PII_HEADER_DENY_LIST);
  }

  async run(request: ImportRequest): Promise<ImportResult> {
    const dataset = datasetDefinition(request.dataset);
    if (!dataset) throw new UnknownDatasetError(request.dataset);
    const record = this.newRecord(request, dataset);
    const log = this.logger.child({ importId: record.id, dataset: dataset.name, file: record.fileName });
    const queryRunner = this.dataSource.createQueryRunner();
    const client = (await queryRunner.connect()) as PoolClient;
    const lockKey = importLockKey(record.id);
    let outcome: ImportOutcome;
    try {
      await queryRunner.query('SELECT pg_advisory_lock($1)', [lockKey]);
      await queryRunner.manager.insert(ImportEntity, record);
      try {
        outcome = await this.importFile(request, dataset, record, queryRunner, client, log);
        log.info({ status: record.status, rowsRead: record.rowsRead, rowsLoaded: record.rowsLoaded, rowsRejected: record.rowsRejected }, `import ${record.status}`);
      } catch (error) {
        if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
        outcome = this.fail(record, error);
        log.warn({ status: record.status, reason: record.message }, `import ${record.status}`);
      }
      record.finishedAt = this.clock.now();
      await queryRunner.manager.save(record);
    } finally {
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
      await queryRunner.release();
    }
    this.metrics?.record(record);
    return { record, outcome };
  }

  private async importFile(request: ImportRequest, dataset: DatasetDefinition, record: ImportEntity, queryRunner: QueryRunner, client: PoolClient, log: Logger): Promise<ImportOutcome> {
    if (request.declaredBytes !== undefined && request.declaredBytes > this.config.IMPORT_MAX_FILE_BYTES) {
      throw new FileRefusedError(`the file is larger than ${this.config.IMPORT_MAX_FILE_BYTES} bytes (IMPORT_MAX_FILE_BYTES)`, 'too-large');
    }
    await queryRunner.startTransaction();
    await queryRunner.query(`SET LOCAL TIME ZONE 'UTC'`);
    const staged = await this.stage(request, dataset, record, new StagingTable(record.id, queryRunner, client));
    record.parsedAt = this.clock.now();
    request.onStaged?.();
    const outcome = await this.settle(record, dataset, staged, queryRunner, request, log);
    // The report with its counts commits with the data: a process stopping right after the commit
    // must not leave an `applied` report that accounts for no line (only its end time is written later).
    await queryRunner.manager.save(record);
    await queryRunner.commitTransaction();
    return outcome;
  }

  private newRecord(request: ImportRequest, dataset: DatasetDefinition): ImportEntity {
    return this.dataSource.getRepository(ImportEntity).create({
      id: randomUUID(),
      dataset: dataset.name,
      channel: request.channel,
      fileName: safeFileName(request.fileName),
      asOfDate: asOfDate(request, this.clock.now()),
      status: 'running',
      message: null,
      forced: request.force ?? false,
      checksum: null,
      sameAsImportId: null,
      compressed: null,
      delimiter: null,
      bytes: null,
      rowsRead: 0,
      rowsLoaded: 0,
      rowsRejected: 0,
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      linesTotal: 0,
      linesHeader: 0,
      linesBlank: 0,
      linesLoaded: 0,
      linesRejected: 0,
      droppedColumns: [],
      ignoredColumns: [],
      suspicious: false,
      volumeCheck: null,
      startedAt: this.clock.now(),
      parsedAt: null,
      finishedAt: null,
    });
  }

  /** Streams the file through the parser into a fresh staging table (COPY). */
  private async stage(request: ImportRequest, dataset: DatasetDefinition, record: ImportEntity, staging: StagingTable): Promise<Staged> {
    const attributes = await this.attributeTypes();
    const parser = new CsvStagingParser(dataset, attributes, this.pii, {
      maxIdLength: this.config.IMPORT_MAX_ID_LENGTH,
      maxTextLength: this.config.IMPORT_MAX_TEXT_LENGTH,
      maxRecordBytes: this.config.IMPORT_MAX_RECORD_BYTES,
      maxRecordLines: this.config.IMPORT_MAX_RECORD_LINES,
      maxRejectionDetails: this.config.IMPORT_MAX_REJECTION_DETAILS,
    });
    const stats = new SourceStats();
    try {
      const limits = { maxBytes: this.config.IMPORT_MAX_FILE_BYTES, maxUncompressedBytes: this.config.maxUncompressedBytes() };
      for await (const chunk of readSource(request.source, limits, stats)) {
        parser.push(chunk);
        await staging.write(parser);
        request.onProgress?.(stats.bytes);
      }
      parser.end();
      await staging.write(parser);
      await staging.endCopy();
    } catch (error) {
      await staging.abortCopy(error);
      describeParse(record, parser, stats);
      throw error;
    }
    describeParse(record, parser, stats);
    return { parser, checksum: stats.checksum(), staging };
  }

  /** Everything after the COPY, in the import's transaction, one dataset at a time. */
  private async settle(record: ImportEntity, dataset: DatasetDefinition, staged: Staged, queryRunner: QueryRunner, request: ImportRequest, log: Logger): Promise<ImportOutcome> {
    const { parser, checksum, staging } = staged;
    record.checksum = checksum;
    // One import of a dataset settles at a time, and an applied one marks its report in this
    // transaction: the next sees its data and its status together (no second apply of one file).
    await queryRunner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`profile-import:${dataset.name}`]);
    const change = (await request.changedSinceOpened?.()) ?? (await this.catalogueChange(parser, queryRunner));
    if (change) throw new FileRefusedError(change);
    if (!request.force && (await this.isLatestApplied(record, dataset, checksum, queryRunner))) {
      await staging.drop();
      return 'unchanged';
    }
    await this.quarantine(record, dataset, staged, queryRunner);
    const dataLines = record.linesLoaded + record.linesRejected;
    const share = (record.linesRejected / dataLines) * 100;
    // Physical lines, not records: an unclosed quote swallowing lines cannot hide them as one row.
    if (share > this.config.IMPORT_MAX_REJECTED_PERCENT) {
      record.status = 'failed';
      record.rowsLoaded = 0;
      record.message = `${record.linesRejected} of ${dataLines} data lines rejected (${share.toFixed(2)} %), more than IMPORT_MAX_REJECTED_PERCENT=${this.config.IMPORT_MAX_REJECTED_PERCENT} %: nothing applied`;
      await staging.drop();
      return 'too-many-rejections';
    }
    await this.checkVolume(record, dataset, queryRunner);
    // Hash joins against the profiles tables: memory of the database session, not of this process.
    await queryRunner.query(`SET LOCAL work_mem = '256MB'`);
    const counts = await dataset.apply.apply({ queryRunner, plan: parser.plan!, staging: staging.name, importId: record.id, now: this.clock.now(), logger: log });
    await staging.drop();
    record.rowsInserted = counts.inserted;
    record.rowsUpdated = counts.updated;
    record.rowsUnchanged = record.rowsLoaded - counts.inserted - counts.updated;
    record.status = 'applied';
    record.message = record.rowsRejected > 0 ? `${record.rowsRejected} row(s) rejected, the rest applied` : null;
    await this.announce(record, dataset, queryRunner);
    return 'applied';
  }

  /**
   * "Unchanged" only when the data is what this file produced: the latest applied import of the
   * dataset had the same checksum (A, then B, then A again applies A again).
   */
  private async isLatestApplied(record: ImportEntity, dataset: DatasetDefinition, checksum: string, queryRunner: QueryRunner): Promise<boolean> {
    const latest = (await queryRunner.query(
      `SELECT id, checksum FROM profiles.imports WHERE dataset = $1 AND status = 'applied' ORDER BY applied_at DESC NULLS LAST, started_at DESC LIMIT 1`,
      [dataset.name],
    )) as { id: string; checksum: string }[];
    if (latest[0]?.checksum !== checksum) return false;
    record.status = 'unchanged';
    record.sameAsImportId = latest[0].id;
    record.message = `the same file (SHA-256 ${checksum}) was the last one applied, by import ${latest[0].id}: nothing changed; use force to apply it again`;
    return true;
  }

  /** Removes repeated keys from staging and stores the rejections; lines move from loaded to rejected. */
  private async quarantine(record: ImportEntity, dataset: DatasetDefinition, { parser, staging }: Staged, queryRunner: QueryRunner): Promise<void> {
    const duplicates = await staging.removeDuplicates(parser, dataset);
    const room = Math.max(0, this.config.IMPORT_MAX_REJECTION_DETAILS - parser.rejections.length);
    await saveRejections(record.id, [...parser.rejections, ...duplicates.slice(0, room)], queryRunner);
    const duplicateLines = duplicates.reduce((sum, duplicate) => sum + duplicate.lines, 0);
    record.rowsRejected = parser.rowsRejected + duplicates.length;
    record.rowsLoaded = parser.rowsStaged - duplicates.length;
    record.linesLoaded = parser.lines.loaded - duplicateLines;
    record.linesRejected = parser.lines.rejected + duplicateLines;
  }

  private async checkVolume(record: ImportEntity, dataset: DatasetDefinition, queryRunner: QueryRunner): Promise<void> {
    const history = (await queryRunner.query(
      `SELECT rows_read FROM profiles.imports WHERE dataset = $1 AND status = 'applied' ORDER BY started_at DESC LIMIT 7`,
      [dataset.name],
    )) as { rows_read: string }[];
    const volume = checkVolume(record.rowsRead, history.map((row) => Number(row.rows_read)), this.config.IMPORT_VOLUME_FACTOR, this.config.IMPORT_VOLUME_MIN_HISTORY);
    record.suspicious = volume.suspicious;
    record.volumeCheck = volume.note;
  }

  /** Marks the report applied and writes `profiles.imported.v1`, both in the import's transaction. */
  private async announce(record: ImportEntity, dataset: DatasetDefinition, queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE profiles.imports SET status = 'applied', checksum = $2, applied_at = clock_timestamp() WHERE id = $1`, [record.id, record.checksum]);
    const event: ProfilesImportedV1 = {
      importId: record.id,
      dataset: dataset.name,
      sourceFileName: record.fileName,
      asOfDate: record.asOfDate,
      rowsRead: record.rowsRead,
      rowsLoaded: record.rowsLoaded,
      rowsRejected: record.rowsRejected,
      checksum: record.checksum!,
      suspicious: record.suspicious,
    };
    await this.outbox.enqueue(queryRunner.manager, 'profiles.imported.v1', event, { subject: record.id });
  }

  private async attributeTypes(): Promise<Map<string, AttributeType>> {
    const rows = await this.dataSource.query<{ name: string; type: AttributeType }[]>('SELECT name, type FROM profiles.attributes');
    return new Map(rows.map((row) => [row.name, row.type]));
  }

  /**
   * How the catalogue changed for the file's attributes since it was read (undefined when it did
   * not): an attribute deleted, or declared again with another type, meanwhile. Its cells were
   * checked as the old type, so they are not applied. The rows read are locked until the commit:
   * a declaration waits for the apply instead of changing a type under it.
   */
  private async catalogueChange(parser: CsvStagingParser, queryRunner: QueryRunner): Promise<string | undefined> {
    const read = parser.plan!.fields.filter((field) => field.isAttribute);
    if (read.length === 0) return undefined;
    const rows = (await queryRunner.query('SELECT name, type FROM profiles.attributes WHERE name = ANY($1::text[]) FOR SHARE', [read.map((field) => field.target)])) as {
      name: string;
      type: AttributeType;
    }[];
    const now = new Map(rows.map((row) => [row.name, row.type]));
    const changed = read.find((field) => now.get(field.target) !== field.kind);
    if (!changed) return undefined;
    const type = now.get(changed.target);
    return `attribute "${changed.target}" was read as ${changed.kind}, and is now ${type ?? 'deleted'}: the attribute catalogue changed while the file was read; nothing applied, import the file again`;
  }

  /** Records why the import did not apply; returns the outcome. */
  private fail(record: ImportEntity, error: unknown): ImportOutcome {
    if (error instanceof FileRefusedError) {
      record.status = 'refused';
      record.message = `file refused: ${error.message}`;
      return error.reason === 'too-large' ? 'too-large' : 'refused';
    }
    record.status = 'failed';
    if (error instanceof UploadStalledError) {
      record.message = `${error.message}: nothing applied`;
      return 'upload-stalled';
    }
    const message = safeErrorMessage(error);
    const code = (error as { code?: unknown } | null)?.code;
    if (message === 'aborted' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'Unexpected end of form') {
      record.message = `upload interrupted after ${record.bytes ?? 0} bytes: nothing applied`;
      return 'upload-interrupted';
    }
    record.message = `import failed: ${message}; nothing applied`;
    // Not the error object: a database error's detail and context quote the row it failed on.
    this.logger.error({ importId: record.id, errorName: error instanceof Error ? error.name : typeof error, errorCode: code, reason: message, stack: safeStack(error) }, 'import failed');
    return 'error';
  }
}

function describeParse(record: ImportEntity, parser: CsvStagingParser, stats: SourceStats): void {
  record.bytes = stats.bytes;
  record.compressed = stats.compressed;
  record.delimiter = parser.delimiter ?? null;
  record.rowsRead = parser.rowsRead;
  record.rowsRejected = parser.rowsRejected;
  record.rowsLoaded = 0;
  record.linesTotal = parser.lines.total;
  record.linesHeader = parser.lines.header;
  record.linesBlank = parser.lines.blank;
  record.linesLoaded = parser.lines.loaded;
  record.linesRejected = parser.lines.rejected;
  record.droppedColumns = parser.plan?.droppedColumns ?? [];
  record.ignoredColumns = parser.plan?.ignoredColumns ?? [];
}

async function saveRejections(importId: string, rejections: readonly Rejection[], queryRunner: QueryRunner): Promise<void> {
  if (rejections.length === 0) return;
  await queryRunner.query(
    `INSERT INTO profiles.import_rejections (import_id, line, column_name, reason, value)
     SELECT $1, r.line, r.column_name, r.reason, r.value
     FROM jsonb_to_recordset($2::jsonb) AS r(line bigint, column_name text, reason text, value text)`,
    [importId, JSON.stringify(rejections.map((rejection) => ({ line: rejection.line, column_name: rejection.column, reason: rejection.reason, value: rejection.value })))],
  );
}

/** An error's message with every quoted part masked: database errors quote the value they failed on. */
export function safeErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/"[^"]*"?/g, '"…"').replace(/'[^']*'?/g, "'…'").slice(0, 300);
}

function safeStack(error: unknown): string | undefined {
  return error instanceof Error ? error.stack?.split('\n').slice(1).join('\n') : undefined;
}

function asOfDate(request: ImportRequest, now: Date): string {
  if (request.asOfDate) return request.asOfDate;
  const match = /_(\d{4})(\d{2})(\d{2})/.exec(request.fileName);
  if (match && isCalendarDay(`${match[1]}-${match[2]}-${match[3]}`)) return `${match[1]}-${match[2]}-${match[3]}`;
  return now.toISOString().slice(0, 10);
}
