import { Writable } from 'node:stream';

export type LogCapture = { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] };

/** A destination for `createLogger` that keeps every line, for asserting on what was logged. */
export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const text = (): string => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
