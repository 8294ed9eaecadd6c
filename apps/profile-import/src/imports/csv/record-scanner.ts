// A byte-level RFC 4180 record scanner. It finds the fields of one record in a Buffer without
// creating strings or objects per row: the field boundaries land in preallocated typed arrays that
// the row checks read and the staging writer copies from. Parsing, not COPY, is the bottleneck of
// an import (csv-parse plus per-row objects runs at a fifth of `psql \copy`), hence this loop;
// csv-parse stays the reference it is tested against (record-scanner.spec.ts).

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

/** What is wrong with a record's syntax; the record is still delimited, so scanning resumes after it. */
export type RecordSyntaxError = 'stray-quote' | 'text-after-quote' | 'nul-byte' | 'carriage-return' | 'unterminated-quote';

export const SYNTAX_ERROR_TEXT: Record<RecordSyntaxError, string> = {
  'stray-quote': 'a double quote inside an unquoted field (quote the whole field and double the quote)',
  'text-after-quote': 'text after the closing quote of a quoted field',
  'nul-byte': 'a NUL byte, which text columns cannot hold',
  'carriage-return': 'a carriage return inside an unquoted field (quote the field)',
  'unterminated-quote': 'a quoted field that is never closed',
};

/** `scan` result: more bytes are needed to end the record. */
export const NEED_MORE = -1;
/** `scan` result: a quoted field spans more lines than allowed (see `openQuoteLineFeeds`). */
export const TOO_MANY_LINES = -2;

export class RecordScanner {
  /** Start offset of each field (the opening quote of a quoted field). */
  readonly starts: Int32Array;
  /** End offset (exclusive) of each field (after the closing quote of a quoted field). */
  readonly ends: Int32Array;
  /** 1 where the field was quoted. */
  readonly quoted: Uint8Array;
  /** Fields in the record; may exceed `capacity` (then only the first `capacity` are recorded). */
  fieldCount = 0;
  /** End of the record's content, before its line terminator. */
  contentEnd = 0;
  /** Line feeds inside quoted fields of the record (the record spans 1 + this many lines). */
  innerLineFeeds = 0;
  error: RecordSyntaxError | undefined;
  /** Index of the field where `error` was found. */
  errorField = 0;
  /**
   * After NEED_MORE or TOO_MANY_LINES from inside a quoted field: the line feeds of the record
   * before that quote opened (its line is the record's line + this), else -1.
   */
  openQuoteLineFeeds = -1;

  constructor(
    private readonly delimiter: number,
    readonly capacity: number,
    /** Most line feeds a record may hold inside quotes (it then spans this many lines + 1). */
    private readonly maxLineFeeds = Number.MAX_SAFE_INTEGER,
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.quoted = new Uint8Array(capacity);
  }

  /**
   * Scans the record that starts at `pos`. Returns the offset after its line terminator, or
   * NEED_MORE when the record does not end inside `buf` and more bytes may follow (`final` false),
   * or TOO_MANY_LINES when a quoted field holds more than `maxLineFeeds` line feeds (an unclosed
   * quote swallowing the file). At the end of the input (`final`), the last record may end without
   * a line terminator.
   */
  scan(buf: Uint8Array, pos: number, final: boolean): number {
    const length = buf.length;
    const delimiter = this.delimiter;
    const capacity = this.capacity;
    let field = 0;
    let lineFeeds = 0;
    let error: RecordSyntaxError | undefined;
    let errorField = 0;
    let i = pos;
    this.openQuoteLineFeeds = -1;
    for (;;) {
      // One field starts at i; it ends at `end`, and i stops on its delimiter, LF or the input end.
      const start = i;
      let end: number;
      let isQuoted = 0;
      if (i < length && buf[i] === QUOTE) {
        isQuoted = 1;
        i++;
        const feedsBefore = lineFeeds;
        for (;;) {
          if (i >= length) {
            if (!final) {
              this.openQuoteLineFeeds = feedsBefore;
              return NEED_MORE;
            }
            if (error === undefined) {
              error = 'unterminated-quote';
              errorField = field;
            }
            break;
          }
          const b = buf[i];
          if (b === QUOTE) {
            if (i + 1 >= length && !final) {
              this.openQuoteLineFeeds = feedsBefore;
              return NEED_MORE;
            }
            if (i + 1 < length && buf[i + 1] === QUOTE) {
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (b === LF) {
            if (++lineFeeds > this.maxLineFeeds) {
              this.openQuoteLineFeeds = feedsBefore;
              return TOO_MANY_LINES;
            }
          } else if (b === NUL && error === undefined) {
            error = 'nul-byte';
            errorField = field;
          }
          i++;
        }
        end = i;
        if (i < length && buf[i] === CR) {
          if (i + 1 >= length && !final) return NEED_MORE;
          // CR LF ends the record at the LF; a CR ending the input ends it too (as after an unquoted field).
          if (i + 1 >= length || buf[i + 1] === LF) i++;
        }
        if (i < length && buf[i] !== delimiter && buf[i] !== LF) {
          if (error === undefined) {
            error = 'text-after-quote';
            errorField = field;
          }
          while (i < length && buf[i] !== delimiter && buf[i] !== LF) i++;
          if (i >= length && !final) return NEED_MORE;
          end = i > end && buf[i - 1] === CR && i < length ? i - 1 : i;
        }
      } else {
        while (i < length) {
          const b = buf[i];
          if (b === delimiter || b === LF) break;
          if (b < 0x23 && error === undefined) {
            // Only QUOTE, NUL and a CR that does not end the line are wrong here.
            if (b === QUOTE) error = 'stray-quote';
            else if (b === NUL) error = 'nul-byte';
            else if (b === CR && i + 1 < length && buf[i + 1] !== LF) error = 'carriage-return';
            if (error !== undefined) errorField = field;
          }
          i++;
        }
        if (i >= length && !final) return NEED_MORE;
        end = i;
        if (end > start && buf[end - 1] === CR && (i >= length || buf[i] === LF)) end--;
      }
      if (field < capacity) {
        this.starts[field] = start;
        this.ends[field] = end;
        this.quoted[field] = isQuoted;
      }
      field++;
      if (i >= length || buf[i] === LF) {
        this.contentEnd = end;
        this.fieldCount = field;
        this.innerLineFeeds = lineFeeds;
        this.error = error;
        this.errorField = errorField;
        return i >= length ? length : i + 1;
      }
      i++; // past the delimiter
    }
  }
}

/** Counts the characters (not bytes) of UTF-8 text in buf[start, end). */
export function utf8Length(buf: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if ((buf[i] & 0xc0) !== 0x80) count++;
  return count;
}

/** The text of a field, unquoted and unescaped. For headers, messages and the few cells shown in reports. */
export function fieldText(buf: Buffer, start: number, end: number, quoted: boolean): string {
  if (!quoted) return buf.toString('utf8', start, end);
  return buf.toString('utf8', start + 1, Math.max(start + 1, end - 1)).replace(/""/g, '"');
}
