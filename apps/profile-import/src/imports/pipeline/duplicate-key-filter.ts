// Finds ids that may occur twice in a file without keeping every id in memory: a Bloom filter of
// the key bytes (16 MiB, about 0.2 % false positives at 10M rows). An id the filter has probably
// seen becomes a candidate; the import confirms candidates against the staging table in one scan.
// Keeping 5M ids in a Set would cost more memory than the whole import is allowed.

const BITS_LOG2 = 27;
const MASK = (1 << BITS_LOG2) - 1;
const PROBES = 7;
/** Beyond this many candidates the import finds duplicates with a set-based query instead. */
export const MAX_DUPLICATE_CANDIDATES = 200_000;

export class DuplicateKeyFilter {
  private readonly bits = new Uint32Array(1 << (BITS_LOG2 - 5));
  /** Keys probably seen before, each with the line where it was seen again (a false positive of the filter is a key seen once). */
  readonly candidates = new Map<string, number>();
  overflow = false;

  /** Records the key in buf[start, end); returns true when it was probably seen before. */
  add(buf: Uint8Array, start: number, end: number): boolean {
    // Two FNV-1a style hashes, combined by double hashing into PROBES bit positions.
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = start; i < end; i++) {
      h1 = Math.imul(h1 ^ buf[i], 0x01000193);
      h2 = Math.imul(h2 ^ buf[i], 0x5bd1e995);
    }
    h2 = (h2 ^ (h2 >>> 15)) | 1;
    let seen = true;
    for (let k = 0; k < PROBES; k++) {
      const bit = (h1 + Math.imul(k, h2)) & MASK;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.bits[word] & flag) === 0) {
        seen = false;
        this.bits[word] |= flag;
      }
    }
    return seen;
  }

  /**
   * Records a key the filter has probably seen (`add` returned true), seen again on `line`.
   * Returns the line of an earlier repeat when the key was a candidate already: then it is
   * certainly a third (or later) occurrence, and the caller can reject it without staging it.
   */
  addCandidate(key: string, line: number): number | undefined {
    if (this.overflow) return undefined;
    const earlier = this.candidates.get(key);
    if (earlier !== undefined) return earlier;
    if (this.candidates.size >= MAX_DUPLICATE_CANDIDATES) {
      this.overflow = true;
      this.candidates.clear();
      return undefined;
    }
    this.candidates.set(key, line);
    return undefined;
  }
}
