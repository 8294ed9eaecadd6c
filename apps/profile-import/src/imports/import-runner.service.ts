import { randomUUID } from 'node:crypto';
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
import { CUSTOMERS_FIRST_LOAD, PARALLEL_CONVERSION, customersApply, transactionsApply } from './pipeline/apply-sql';
import { CsvStagingParser, type Rejection } from './pipeline/csv-staging-parser';
import { StagingTable } from './staging-table';
import { FileRefusedError } from './pipeline/header-plan';
import { SourceStats, readSource } from './pipeline/file-source';
import { checkVolume } from './pipeline/volume-check';

export type ImportRequest = {
  dataset: string;
  /** File name as delivered (no path); `<dataset>_<YYYYMMDD>...` gives the as-of date. */
  fileName: string;
  channel: ImportChannel;
  source: AsyncIterable<Buffer | string>;
  /** Apply even when an applied import had the same checksum. */
  force?: boolean;
  /** YYYY-MM-DD; else taken from the file name, else today (UTC). */
  asOfDate?: string;
  /** Size announced before reading (Content-Length, file size): over the cap refuses at once. */
  declaredBytes?: number;
  /** Called after each chunk with the bytes read so far (the CLI's progress bar). */
  onProgress?: (bytesRead: number) => void;
  /** Called when the file is read and staged, before the checks and the apply in the database. */
  onStaged?: () => void;
};

/** The finished import, and the HTTP status that tells its outcome. */
export type ImportOutcome = { record: ImportEntity; httpStatus: number };

type Parsed = { parser: CsvStagingParser; checksum: string };

/** Thrown for a request that names no dataset this service knows (no import is recorded). */
export class UnknownDatasetError extends Error {}

/**
 * Runs one import: stream, check and COPY the file into an UNLOGGED staging table, then in the
 * same transaction confirm duplicates, apply the reject threshold, the checksum idempotency and the
 * volume check, upsert into the profiles tables and write `profiles.imported.v1` to the outbox.
 * Readers see all of an import or nothing of it. The report row is written outside that
 * transaction, so a refused or failed import keeps its report.
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

  async run(request: ImportRequest): Promise<ImportOutcome> {
    const dataset = datasetDefinition(request.dataset);
    if (!dataset) throw new UnknownDatasetError(`unknown dataset "${request.dataset}": use customers or transactions`);
    const record = await this.start(request, dataset);
    const log = this.logger.child({ importId: record.id, dataset: dataset.name, file: record.fileName });
    const queryRunner = this.dataSource.createQueryRunner();
    let httpStatus = 201;
    try {
      if (request.declaredBytes !== undefined && request.declaredBytes > this.config.IMPORT_MAX_FILE_BYTES) {
        throw new FileRefusedError(`the file is larger than ${this.config.IMPORT_MAX_FILE_BYTES} bytes (IMPORT_MAX_FILE_BYTES)`, 413);
      }
      const client = (await queryRunner.connect()) as PoolClient;
      await queryRunner.startTransaction();
      await queryRunner.query(`SET LOCAL TIME ZONE 'UTC'`);
      const staging = new StagingTable(record.id, queryRunner, client);
      const parsed = await this.stage(request, dataset, record, staging);
      record.parsedAt = this.clock.now();
      request.onStaged?.();
      await this.settle(record, dataset, parsed, staging, queryRunner, request.force ?? false);
      await queryRunner.commitTransaction();
      httpStatus = record.status === 'applied' ? 201 : record.status === 'unchanged' ? 200 : 422;
      log.info({ status: record.status, rowsRead: record.rowsRead, rowsLoaded: record.rowsLoaded, rowsRejected: record.rowsRejected }, `import ${record.status}`);
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      httpStatus = this.fail(record, error);
      log.warn({ status: record.status, reason: record.message }, `import ${record.status}`);
    } finally {
      await queryRunner.release();
    }
    record.finishedAt = this.clock.now();
    await this.dataSource.getRepository(ImportEntity).save(record);
    this.metrics?.record(record);
    return { record, httpStatus };
  }

  private async start(request: ImportRequest, dataset: DatasetDefinition): Promise<ImportEntity> {
    const repository = this.dataSource.getRepository(ImportEntity);
    const record = repository.create({
      id: randomUUID(),
      dataset: dataset.name,
      channel: request.channel,
      fileName: request.fileName.slice(0, 255),
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
    await repository.insert(record);
    return record;
  }

  /** Streams the file through the parser into a fresh staging table (COPY). */
  private async stage(request: ImportRequest, dataset: DatasetDefinition, record: ImportEntity, staging: StagingTable): Promise<Parsed> {
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
      const limits = { maxBytes: this.config.IMPORT_MAX_FILE_BYTES, maxUncompressedBytes: this.config.IMPORT_MAX_UNCOMPRESSED_BYTES };
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
      this.describeParse(record, parser, stats);
      throw error;
    }
    this.describeParse(record, parser, stats);
    return { parser, checksum: stats.checksum() };
  }

  private describeParse(record: ImportEntity, parser: CsvStagingParser, stats: SourceStats): void {
    record.bytes = stats.bytes;
    record.compressed = stats.compressed;
    record.delimiter = parser.delimiter ?? null;
    record.rowsRead = parser.rowsRead;
    record.rowsRejected = parser.rowsRejected;
    record.linesTotal = parser.lines.total;
    record.linesHeader = parser.lines.header;
    record.linesBlank = parser.lines.blank;
    record.linesLoaded = parser.lines.loaded;
    record.linesRejected = parser.lines.rejected;
    record.droppedColumns = parser.plan?.droppedColumns ?? [];
    record.ignoredColumns = parser.plan?.ignoredColumns ?? [];
  }

  /** Everything after the COPY, in the import's transaction. */
  private async settle(record: ImportEntity, dataset: DatasetDefinition, parsed: Parsed, staging: StagingTable, queryRunner: QueryRunner, force: boolean): Promise<void> {
    const { parser, checksum } = parsed;
    record.checksum = checksum;
    // One apply per dataset at a time: the checksum check and the upsert see each other's results.
    await queryRunner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`profile-import:${dataset.name}`]);
    if (!force) {
      const same = (await queryRunner.query(
        `SELECT id FROM profiles.imports WHERE dataset = $1 AND checksum = $2 AND status = 'applied' ORDER BY started_at DESC LIMIT 1`,
        [dataset.name, checksum],
      )) as { id: string }[];
      if (same.length > 0) {
        record.status = 'unchanged';
        record.sameAsImportId = same[0].id;
        record.message = `the same file (SHA-256 ${checksum}) was already applied by import ${same[0].id}: nothing changed; use force to apply it again`;
        await staging.drop();
        return;
      }
    }
    const duplicates = await staging.removeDuplicates(parser, dataset);
    const rejections = [...parser.rejections, ...duplicates.slice(0, Math.max(0, this.config.IMPORT_MAX_REJECTION_DETAILS - parser.rejections.length))];
    record.rowsRejected = parser.rowsRejected + duplicates.length;
    const duplicateLines = duplicates.reduce((sum, duplicate) => sum + duplicate.lines, 0);
    record.linesLoaded = parser.lines.loaded - duplicateLines;
    record.linesRejected = parser.lines.rejected + duplicateLines;
    await this.saveRejections(record.id, rejections, queryRunner);
    // Physical lines, not records: an unclosed quote swallowing lines cannot hide them as one row.
    const dataLines = record.linesLoaded + record.linesRejected;
    const share = (record.linesRejected / dataLines) * 100;
    if (share > this.config.IMPORT_MAX_REJECTED_PERCENT) {
      record.status = 'failed';
      record.message = `${record.linesRejected} of ${dataLines} data lines rejected (${share.toFixed(2)} %), more than IMPORT_MAX_REJECTED_PERCENT=${this.config.IMPORT_MAX_REJECTED_PERCENT} %: nothing applied`;
      await staging.drop();
      return;
    }
    const history = (await queryRunner.query(
      `SELECT rows_read FROM profiles.imports WHERE dataset = $1 AND status = 'applied' ORDER BY started_at DESC LIMIT 7`,
      [dataset.name],
    )) as { rows_read: string }[];
    const volume = checkVolume(record.rowsRead, history.map((row) => Number(row.rows_read)), this.config.IMPORT_VOLUME_FACTOR, this.config.IMPORT_VOLUME_MIN_HISTORY);
    record.suspicious = volume.suspicious;
    record.volumeCheck = volume.note;

    const now = this.clock.now();
    // Hash joins against the profiles tables: memory of the database session, not of this process.
    await queryRunner.query(`SET LOCAL work_mem = '256MB'`);
    let updated = 0;
    let inserted: number;
    if (dataset.name === 'customers') {
      const apply = customersApply(parser.plan!, staging.name, record.id, now);
      if (await this.startFirstCustomersLoad(queryRunner)) {
        for (const setting of PARALLEL_CONVERSION.on) await queryRunner.query(setting);
        await queryRunner.query(apply.typed.sql, apply.typed.parameters);
        for (const setting of PARALLEL_CONVERSION.off) await queryRunner.query(setting);
        inserted = (await queryRunner.query(apply.firstLoad.sql, apply.firstLoad.parameters, true)).affected ?? 0;
        await queryRunner.query(apply.dropTyped.sql);
        await queryRunner.query(CUSTOMERS_FIRST_LOAD.sortMemory);
        await queryRunner.query(CUSTOMERS_FIRST_LOAD.addKey);
      } else {
        await queryRunner.query(apply.changed.sql, apply.changed.parameters);
        updated = (await queryRunner.query(apply.update.sql, apply.update.parameters, true)).affected ?? 0;
        inserted = (await queryRunner.query(apply.insert.sql, apply.insert.parameters, true)).affected ?? 0;
      }
    } else {
      const apply = transactionsApply(parser.plan!, staging.name, record.id, now);
      inserted = (await queryRunner.query(apply.insert.sql, apply.insert.parameters, true)).affected ?? 0;
    }
    record.rowsLoaded = parser.rowsStaged - duplicates.length;
    record.rowsInserted = inserted;
    record.rowsUpdated = updated;
    record.rowsUnchanged = record.rowsLoaded - record.rowsInserted - record.rowsUpdated;
    record.status = 'applied';
    record.message = record.rowsRejected > 0 ? `${record.rowsRejected} row(s) rejected, the rest applied` : null;
    await staging.drop();
    const event: ProfilesImportedV1 = {
      importId: record.id,
      dataset: dataset.name,
      sourceFileName: record.fileName,
      asOfDate: record.asOfDate,
      rowsRead: record.rowsRead,
      rowsLoaded: record.rowsLoaded,
      rowsRejected: record.rowsRejected,
      checksum,
      suspicious: record.suspicious,
    };
    await this.outbox.enqueue(queryRunner.manager, 'profiles.imported.v1', event, { subject: record.id });
  }

  /**
   * Into an empty customers table (the first load) every row is new: no change detection, no
   * anti-join, and the primary key is built once after the insert instead of row by row (see
   * CUSTOMERS_FIRST_LOAD). When the table is empty this locks it and drops the key (the caller
   * inserts and adds the key back); returns false, changing nothing, when the table is not empty
   * or its key cannot be dropped (e.g. another object depends on it): the caller upserts as usual.
   */
  private async startFirstCustomersLoad(queryRunner: QueryRunner): Promise<boolean> {
    const isEmpty = async () => ((await queryRunner.query(CUSTOMERS_FIRST_LOAD.isEmpty)) as { empty: boolean }[])[0].empty;
    if (!(await isEmpty())) return false;
    await queryRunner.query(CUSTOMERS_FIRST_LOAD.lock);
    // Imports hold the dataset's advisory lock, so nothing else should have written in between.
    if (!(await isEmpty())) return false;
    await queryRunner.query('SAVEPOINT customers_first_load');
    try {
      await queryRunner.query(CUSTOMERS_FIRST_LOAD.dropKey);
    } catch (error) {
      await queryRunner.query('ROLLBACK TO SAVEPOINT customers_first_load');
      this.logger.warn({ err: error }, 'customers primary key not dropped for the first load; inserting with the key in place');
      return false;
    }
    await queryRunner.query('RELEASE SAVEPOINT customers_first_load');
    return true;
  }

  private async saveRejections(importId: string, rejections: readonly Rejection[], queryRunner: QueryRunner): Promise<void> {
    if (rejections.length === 0) return;
    await queryRunner.query(
      `INSERT INTO profiles.import_rejections (import_id, line, column_name, reason, value)
       SELECT $1, r.line, r.column_name, r.reason, r.value
       FROM jsonb_to_recordset($2::jsonb) AS r(line bigint, column_name text, reason text, value text)`,
      [importId, JSON.stringify(rejections.map((rejection) => ({ line: rejection.line, column_name: rejection.column, reason: rejection.reason, value: rejection.value })))],
    );
  }

  private async attributeTypes(): Promise<Map<string, AttributeType>> {
    const rows = await this.dataSource.query<{ name: string; type: AttributeType }[]>('SELECT name, type FROM profiles.attributes');
    return new Map(rows.map((row) => [row.name, row.type]));
  }

  /** Records why the import did not apply; returns the HTTP status for it. */
  private fail(record: ImportEntity, error: unknown): number {
    if (error instanceof FileRefusedError) {
      record.status = 'refused';
      record.message = `file refused: ${error.message}`;
      return error.httpStatus;
    }
    record.status = 'failed';
    const message = safeErrorMessage(error);
    const code = (error as { code?: unknown } | null)?.code;
    record.message =
      message === 'aborted' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'Unexpected end of form'
        ? `upload interrupted after ${record.bytes ?? 0} bytes: nothing applied`
        : `import failed: ${message}; nothing applied`;
    if (!record.message.startsWith('import failed')) return 400;
    // Not the error object: a database error's detail and context quote the row it failed on.
    this.logger.error({ importId: record.id, errorName: error instanceof Error ? error.name : typeof error, errorCode: code, reason: message, stack: safeStack(error) }, 'import failed');
    return 500;
  }
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
  if (match) {
    const candidate = `${match[1]}-${match[2]}-${match[3]}`;
    const date = new Date(`${candidate}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(candidate)) return candidate;
  }
  return now.toISOString().slice(0, 10);
}
