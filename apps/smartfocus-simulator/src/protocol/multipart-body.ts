import type { Request } from 'express';
import busboy from 'busboy';
import { SmartFocusFault } from './smartfocus-fault';

/**
 * Reads a multipart/form-data body into its parts by name. A part sent with
 * `Content-Transfer-Encoding: base64` (as the batch upload's file is) is decoded.
 */
export function readMultipart(request: Request, limitBytes: number): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fileSize: limitBytes, fieldSize: limitBytes, files: 5, fields: 10 } });
    } catch {
      reject(SmartFocusFault.invalid('body', 'The request must be multipart/form-data.'));
      return;
    }
    const parts = new Map<string, Buffer>();
    let failure: SmartFocusFault | undefined;
    parser.on('field', (name, value) => parts.set(name, Buffer.from(value, 'utf8')));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (failure = new SmartFocusFault('INVALID_FILE', `The file exceeds ${limitBytes} bytes.`, [name])));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        parts.set(name, info.encoding.toLowerCase() === 'base64' ? Buffer.from(raw.toString('ascii'), 'base64') : raw);
      });
    });
    parser.on('error', () => reject(SmartFocusFault.invalid('body', 'The multipart body is malformed.')));
    parser.on('close', () => (failure ? reject(failure) : resolve(parts)));
    request.pipe(parser);
  });
}
