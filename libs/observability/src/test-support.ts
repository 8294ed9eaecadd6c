import { Writable } from 'node:stream';

/** A log destination that keeps what is written (for this lib's own specs). */
export function captureLogsForSpec(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}
