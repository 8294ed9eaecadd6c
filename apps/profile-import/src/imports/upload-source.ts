import busboy from 'busboy';
import type { Request } from 'express';

export type UploadSource = { source: AsyncIterable<Buffer>; fileName?: string; declaredBytes?: number };

/**
 * The file of an upload as a stream: the raw request body (text/csv, application/gzip,
 * application/octet-stream, ...) or the first file part of a multipart/form-data body. Nothing is
 * buffered: the importer pulls the bytes as it goes.
 */
export async function uploadSource(request: Request): Promise<UploadSource> {
  const type = request.headers['content-type'] ?? '';
  const length = Number(request.headers['content-length']);
  const declaredBytes = Number.isFinite(length) && length >= 0 ? length : undefined;
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    return { source: request, declaredBytes };
  }
  const form = busboy({ headers: request.headers, limits: { files: 1, fields: 10 } });
  const file = new Promise<UploadSource>((resolve, reject) => {
    form.on('file', (_field, stream, info) => resolve({ source: stream, fileName: info.filename, declaredBytes }));
    form.on('error', reject);
    form.on('close', () => reject(new Error('the multipart body holds no file part')));
  });
  request.pipe(form);
  return file;
}
