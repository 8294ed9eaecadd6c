import { isUtf8 } from 'node:buffer';

/**
 * Checks that a byte stream is strict UTF-8, chunk by chunk, carrying a character split across two
 * chunks to the next one. Uses the native validator (the same strictness as a fatal TextDecoder:
 * no overlong forms, no surrogates, nothing above U+10FFFF) and finds the offending byte only on
 * failure.
 */
export class Utf8Guard {
  private carry: Buffer = Buffer.alloc(0);

  /** Returns -1, or the offset in `chunk` of the first byte that is not valid UTF-8. */
  check(chunk: Buffer, final: boolean): number {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = final ? data.length : completeLength(data);
    const whole = data.subarray(0, cut);
    if (!isUtf8(whole)) return Math.max(0, firstInvalidUtf8(whole) - this.carry.length);
    if (final && cut < data.length) return Math.max(0, cut - this.carry.length);
    this.carry = Buffer.from(data.subarray(cut));
    return -1;
  }
}

/** Length of `data` without a character that may continue in the next chunk. */
function completeLength(data: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= data.length; back++) {
    const b = data[data.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > back ? data.length - back : data.length;
  }
  return data.length;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (data.length if none). */
export function firstInvalidUtf8(data: Uint8Array): number {
  let i = 0;
  while (i < data.length) {
    const b = data[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let size: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [size, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [size, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [size, min] = [4, 0x10000];
    else return i;
    if (i + size > data.length) return i;
    let code = b & (0xff >> (size + 1));
    for (let k = 1; k < size; k++) {
      const next = data[i + k];
      if ((next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += size;
  }
  return data.length;
}
