import { BadRequestException, RequestTimeoutException } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { UploadStalledError } from './import-outcome';

export type UploadSource = { source: AsyncIterable<Buffer>; fileName?: string; declaredBytes?: number };

/**
 * The file of an upload as a stream: the raw request body (text/csv, application/gzip,
 * application/octet-stream, ...) or the first file part of a multipart/form-data body. Nothing is
 * buffered: the importer pulls the bytes as it goes. A client that sends nothing for `idleMs`
 * while the importer waits for bytes stops the import (UploadStalledError).
 */
export async function uploadSource(request: Request, idleMs: number): Promise<UploadSource> {
  const type = request.headers['content-type'] ?? '';
  const length = Number(request.headers['content-length']);
  const declaredBytes = Number.isFinite(length) && length >= 0 ? length : undefined;
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    return { source: idleLimited(request, idleMs), declaredBytes };
  }
  let form: busboy.Busboy;
  try {
    form = busboy({ headers: request.headers, limits: { files: 1, fields: 10 } });
  } catch (error) {
    throw new BadRequestException(`the multipart body cannot be read: ${(error as Error).message}`);
  }
  const file = new Promise<UploadSource>((resolve, reject) => {
    // Until the file part starts no import runs to time the client out: a client that stalls
    // before it is stopped here, as one that stalls inside it is by idleLimited.
    let timer: NodeJS.Timeout | undefined;
    const restart = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        // Data arriving after this must not start another timer: the answer is on its way.
        settled();
        request.unpipe(form);
        request.res?.setHeader('Connection', 'close');
        reject(new RequestTimeoutException(`${new UploadStalledError(idleMs).message} before the file part of the multipart body`));
      }, idleMs);
    };
    const settled = (): void => {
      clearTimeout(timer);
      request.off('data', restart);
    };
    restart();
    request.on('data', restart);
    form.on('file', (_field, stream, info) => {
      settled();
      resolve({ source: idleLimited(stream, idleMs), fileName: info.filename, declaredBytes });
    });
    form.on('error', (error: Error) => {
      settled();
      reject(new BadRequestException(`the multipart body cannot be read: ${error.message}`));
    });
    form.on('close', () => {
      settled();
      reject(new BadRequestException('the multipart body holds no file part'));
    });
  });
  request.pipe(form);
  return file;
}

/**
 * The chunks of `source`, failing with UploadStalledError when one takes longer than `idleMs` to
 * arrive. Only time spent waiting for the client counts: while the importer is busy (the database
 * taking a COPY batch) no chunk is asked for and no clock runs.
 */
export async function* idleLimited(source: AsyncIterable<Buffer>, idleMs: number): AsyncGenerator<Buffer> {
  const chunks = source[Symbol.asyncIterator]();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new UploadStalledError(idleMs)), idleMs);
    });
    try {
      const next = await Promise.race([chunks.next(), stalled]);
      if (next.done) return;
      yield next.value;
    } finally {
      clearTimeout(timer);
    }
  }
}
