import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileRefusedError } from './header-plan';

export type SourceLimits = { maxBytes: number; maxUncompressedBytes: number };

/** What was read from a source; filled in while it is read. */
export class SourceStats {
  bytes = 0;
  uncompressedBytes = 0;
  compressed = false;
  private readonly hash = createHash('sha256');

  update(chunk: Buffer): void {
    this.hash.update(chunk);
  }

  /** SHA-256 of the bytes as delivered, hex; call once, after the source is read. */
  checksum(): string {
    return this.hash.digest('hex');
  }
}

/**
 * The bytes of an incoming file, decompressed when they start with the gzip magic number, with the
 * size caps enforced while streaming: the file is refused as soon as a cap is passed, having held
 * no more than one chunk in memory.
 */
export async function* readSource(source: AsyncIterable<Buffer | string>, limits: SourceLimits, stats: SourceStats): AsyncGenerator<Buffer> {
  const counted = countBytes(source, limits.maxBytes, stats)[Symbol.asyncIterator]();
  const first = await counted.next();
  if (first.done) return;
  stats.compressed = first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b;
  const chunks: AsyncIterable<Buffer> = stats.compressed ? gunzip(first.value, counted) : prepend(first.value, counted);
  for await (const chunk of chunks) {
    stats.uncompressedBytes += chunk.length;
    if (stats.uncompressedBytes > limits.maxUncompressedBytes) {
      throw new FileRefusedError(
        `the file is larger than ${limits.maxUncompressedBytes} bytes once decompressed (IMPORT_MAX_UNCOMPRESSED_BYTES, by default 4 x IMPORT_MAX_FILE_BYTES)`,
        'too-large',
      );
    }
    yield chunk;
  }
}

async function* countBytes(source: AsyncIterable<Buffer | string>, maxBytes: number, stats: SourceStats): AsyncGenerator<Buffer> {
  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    stats.bytes += chunk.length;
    if (stats.bytes > maxBytes) throw new FileRefusedError(`the file is larger than ${maxBytes} bytes (IMPORT_MAX_FILE_BYTES)`, 'too-large');
    stats.update(chunk);
    yield chunk;
  }
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function* gunzip(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  const input = Readable.from(prepend(first, rest), { objectMode: false });
  const inflate = createGunzip();
  input.on('error', (error) => inflate.destroy(error));
  input.pipe(inflate);
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new FileRefusedError(`the file starts like gzip but is not valid gzip data (${(error as Error).message})`);
    }
    throw error;
  } finally {
    input.destroy();
  }
}
