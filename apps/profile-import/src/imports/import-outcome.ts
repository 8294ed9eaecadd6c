import type { ImportEntity } from '../database/entities/import.entity';

/**
 * How an import ended, for the caller to answer with (the HTTP status is the controller's
 * choice: see httpStatusOf). The report's `status` is what is stored; several outcomes share one.
 */
export type ImportOutcome =
  /** status applied */
  | 'applied'
  /** status unchanged: the latest applied import of the dataset had the same checksum */
  | 'unchanged'
  /** status refused: the file as a whole is invalid */
  | 'refused'
  /** status refused: over IMPORT_MAX_FILE_BYTES or IMPORT_MAX_UNCOMPRESSED_BYTES */
  | 'too-large'
  /** status failed: more rejected lines than IMPORT_MAX_REJECTED_PERCENT */
  | 'too-many-rejections'
  /** status failed: the client cut the upload off */
  | 'upload-interrupted'
  /** status failed: the client sent nothing for IMPORT_UPLOAD_IDLE_TIMEOUT_MS */
  | 'upload-stalled'
  /** status failed: an error of this service or its database */
  | 'error';

export type ImportResult = { record: ImportEntity; outcome: ImportOutcome };

/** An upload that sent no bytes for the idle timeout. */
export class UploadStalledError extends Error {
  constructor(readonly idleMs: number) {
    super(`upload stalled: no data for ${idleMs} ms (IMPORT_UPLOAD_IDLE_TIMEOUT_MS)`);
    this.name = 'UploadStalledError';
  }
}

/** Thrown for a request that names no dataset this service knows (no import is recorded). */
export class UnknownDatasetError extends Error {
  constructor(dataset: string) {
    super(`unknown dataset "${dataset}": use customers or transactions`);
    this.name = 'UnknownDatasetError';
  }
}
