import type { ProfileDataset } from '@optimove/contracts';
import type { ImportChannel, ImportEntity, ImportStatus } from '../database/entities/import.entity';
import type { ImportRejectionEntity } from '../database/entities/import-rejection.entity';
import { delimiterName, type Delimiter } from './csv/delimiter';

export type RejectionPage = {
  /** Rejected rows kept with details (at most IMPORT_MAX_REJECTION_DETAILS; `rows.rejected` counts all). */
  total: number;
  offset: number;
  limit: number;
  items: { line: number; column: string | null; reason: string; value: string | null }[];
};

/** The report of one import, as the API returns it. */
export type ImportReport = {
  id: string;
  dataset: ProfileDataset;
  channel: ImportChannel;
  fileName: string;
  asOfDate: string;
  status: ImportStatus;
  message: string | null;
  forced: boolean;
  checksum: string | null;
  sameAsImportId: string | null;
  compressed: boolean | null;
  delimiter: string | null;
  bytes: number | null;
  rows: { read: number; loaded: number; rejected: number; inserted: number; updated: number; unchanged: number };
  /**
   * Physical lines of the file by where they went: total = header + blank + loaded + rejected
   * (a record with quoted line breaks spans several lines; the reject threshold counts lines).
   */
  lines: { total: number; header: number; blank: number; loaded: number; rejected: number };
  /** Personal-data columns that were dropped unread. */
  droppedColumns: string[];
  /** Columns neither in the dataset nor in the attribute catalogue: not stored. */
  ignoredColumns: string[];
  suspicious: boolean;
  volumeCheck: string | null;
  timings: { startedAt: string; parsedAt: string | null; finishedAt: string | null; totalMs: number | null };
  rejections?: RejectionPage;
};

export function toReport(record: ImportEntity, rejections?: { total: number; offset: number; limit: number; rows: ImportRejectionEntity[] }): ImportReport {
  return {
    id: record.id,
    dataset: record.dataset,
    channel: record.channel,
    fileName: record.fileName,
    asOfDate: record.asOfDate,
    status: record.status,
    message: record.message,
    forced: record.forced,
    checksum: record.checksum,
    sameAsImportId: record.sameAsImportId,
    compressed: record.compressed,
    delimiter: record.delimiter ? delimiterName(record.delimiter as Delimiter) : null,
    bytes: record.bytes,
    rows: {
      read: record.rowsRead,
      loaded: record.rowsLoaded,
      rejected: record.rowsRejected,
      inserted: record.rowsInserted,
      updated: record.rowsUpdated,
      unchanged: record.rowsUnchanged,
    },
    lines: { total: record.linesTotal, header: record.linesHeader, blank: record.linesBlank, loaded: record.linesLoaded, rejected: record.linesRejected },
    droppedColumns: record.droppedColumns,
    ignoredColumns: record.ignoredColumns,
    suspicious: record.suspicious,
    volumeCheck: record.volumeCheck,
    timings: {
      startedAt: record.startedAt.toISOString(),
      parsedAt: record.parsedAt?.toISOString() ?? null,
      finishedAt: record.finishedAt?.toISOString() ?? null,
      totalMs: record.finishedAt ? record.finishedAt.getTime() - record.startedAt.getTime() : null,
    },
    ...(rejections
      ? {
          rejections: {
            total: rejections.total,
            offset: rejections.offset,
            limit: rejections.limit,
            items: rejections.rows.map(({ line, column, reason, value }) => ({ line, column, reason, value })),
          },
        }
      : {}),
  };
}
