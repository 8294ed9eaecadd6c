import { readAnswer, writeHeaders } from '../../api/client';

export type ImportStatus = string;

/** profile-import's report of one import (GET /imports, /imports/{id}). */
export type ImportReport = {
  id: string;
  dataset: 'customers' | 'transactions';
  channel: string;
  fileName: string;
  asOfDate: string;
  status: ImportStatus;
  message: string | null;
  forced: boolean;
  bytes: number | null;
  rows: { read: number; loaded: number; rejected: number; inserted: number; updated: number; unchanged: number };
  droppedColumns: string[];
  ignoredColumns: string[];
  suspicious: boolean;
  volumeCheck: string | null;
  timings: { startedAt: string; finishedAt: string | null; totalMs: number | null };
  rejections?: { total: number; offset: number; limit: number; items: { line: number; column: string | null; reason: string }[] };
};

export type ImportList = { total: number; items: ImportReport[] };

export type UploadRequest = { dataset: 'customers' | 'transactions'; file: File; asOf?: string; force: boolean };

/**
 * Streams a file to profile-import through the console, reporting the share sent (0..1). XHR, not
 * fetch: only XHR tells how much of a request body has gone.
 */
export function uploadImport(request: UploadRequest, onProgress: (share: number) => void): Promise<ImportReport> {
  const query = new URLSearchParams({ fileName: request.file.name });
  if (request.asOf) query.set('asOf', request.asOf);
  if (request.force) query.set('force', 'true');
  const url = `/api/profile-import/imports/${request.dataset}?${query.toString()}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(writeHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Content-Type', /\.gz$/i.test(request.file.name) ? 'application/gzip' : 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'text/plain' } });
      readAnswer<ImportReport>(response, url).then(resolve, reject);
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted (network error)'));
    xhr.send(request.file);
  });
}
