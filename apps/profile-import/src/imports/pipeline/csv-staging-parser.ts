import type { DatasetDefinition, AttributeType, ValueKind } from '../../datasets/dataset-definitions';
import type { PiiHeaderMatcher } from '../../datasets/pii-columns';
import { detectDelimiter, type Delimiter } from '../csv/delimiter';
import { NEED_MORE, RecordScanner, SYNTAX_ERROR_TEXT, TOO_MANY_LINES, fieldText, utf8Length } from '../csv/record-scanner';
import { looksLikePersonalData, safeValue } from '../csv/personal-data';
import { checkAmount, checkBoolean, checkDate, checkLetters, checkNumber, checkTimestamp } from '../csv/value-checks';
import { DuplicateKeyFilter } from './duplicate-key-filter';
import { FileRefusedError, columnLabel, planHeader, type HeaderPlan } from './header-plan';
import { Utf8Guard } from './utf8-guard';

export type ParseLimits = {
  /** Longest id (customer_id, transaction_id), in characters. */
  maxIdLength: number;
  /** Longest text attribute value, in characters. */
  maxTextLength: number;
  /** Longest record, in bytes; a longer one (usually an unclosed quote) refuses the file. */
  maxRecordBytes: number;
  /** Most physical lines one record may span (quoted line breaks); more refuses the file. */
  maxRecordLines: number;
  /** Rejections kept with their details; all of them are counted. */
  maxRejectionDetails: number;
};

/**
 * A quarantined row: where and why. `value` only for cells that cannot be personal data (a bad
 * date, amount, code: see safeValue), never for ids or free text, never of a dropped column.
 */
export type Rejection = { line: number; column: string | null; reason: string; value: string | null };

/** Where every physical line of the file went: total = header + blank + loaded + rejected. */
export type LineCounts = { total: number; header: number; blank: number; loaded: number; rejected: number };

type Check = (buf: Uint8Array, start: number, end: number) => string | undefined;

const CHECKS: Record<Exclude<ValueKind, 'id' | 'text'>, Check> = {
  timestamp: checkTimestamp,
  amount: checkAmount,
  country: checkLetters(2, 'a country code (expected ISO 3166 alpha-2, e.g. DE)'),
  currency: checkLetters(3, 'a currency code (expected ISO 4217, e.g. EUR)'),
  number: checkNumber,
  date: checkDate,
  boolean: checkBoolean,
};

const MAX_HEADER_BYTES = 65_536;
const BOM = [0xef, 0xbb, 0xbf];
const LF = 0x0a;
const LF_ONLY = Buffer.from([LF]);
const CRLF = Buffer.from([0x0d, LF]);

/**
 * Turns a CSV byte stream into COPY input for the staging table, checking every row on the way.
 * Synchronous and free of I/O: `push` chunks in, `takeOutput` the COPY bytes (CSV with the file's
 * delimiter, the staged columns in file order). Good rows go through as the very bytes of the
 * file: a run of them is handed on as one slice of the input chunk, with no copy, and a value is
 * stored exactly as written, never re-encoded. Only a row that must change (a dropped column, a
 * different line ending) is rewritten. The staging table numbers rows in COPY order; `lineOf`
 * maps that number back to the file's line. Whole-file problems throw FileRefusedError; bad rows
 * become Rejections.
 */
export class CsvStagingParser {
  plan: HeaderPlan | undefined;
  delimiter: Delimiter | undefined;
  rowsRead = 0;
  rowsStaged = 0;
  rowsRejected = 0;
  /** Physical lines by where they went (a record with quoted line breaks spans several). */
  readonly lines: LineCounts = { total: 0, header: 0, blank: 0, loaded: 0, rejected: 0 };
  readonly rejections: Rejection[] = [];
  readonly duplicates = new DuplicateKeyFilter();

  private readonly utf8 = new Utf8Guard();
  private leftover: Buffer = Buffer.alloc(0);
  private line = 1;
  private started = false;
  private scanner: RecordScanner | undefined;
  // The staged fields as parallel arrays, so the per-row loop reads no objects.
  private fieldIndexes = new Int32Array(0);
  private fieldChecks: (Check | undefined)[] = [];
  private fieldLimits = new Int32Array(0);
  private fieldNullable = new Uint8Array(0);
  // Staged fields grouped into runs of adjacent columns (first, last index), each copied at once.
  private copyRunFirst = new Int32Array(0);
  private copyRunLast = new Int32Array(0);
  private output: Buffer[] = [];
  private out: Buffer = Buffer.allocUnsafe(1 << 20);
  private outPos = 0;
  /** Start of the bytes in `out` not handed on yet (what is before it belongs to the output). */
  private outStart = 0;
  private keyField = -1;
  private allStaged = false;
  private delimiterByte = 0x2c;
  /** Line ending of the staged rows: the first one's (COPY wants one style). */
  private eol: Buffer | undefined;
  // The run of good rows in the current buffer that goes out as one slice.
  private runStart = -1;
  private runEnd = -1;
  // Where line = ordinal + offset changes: (ordinal, offset) pairs, ordinals ascending.
  private readonly breakOrdinals: number[] = [];
  private readonly breakOffsets: number[] = [];
  // Lines spanned by staged rows that may be removed as duplicates later, when more than one.
  private readonly candidateSpans = new Map<number, number>();
  private fieldIsText = new Uint8Array(0);

  constructor(
    private readonly dataset: DatasetDefinition,
    private readonly attributes: ReadonlyMap<string, AttributeType>,
    private readonly pii: PiiHeaderMatcher,
    private readonly limits: ParseLimits,
  ) {}

  push(chunk: Buffer): void {
    this.consume(chunk, false);
  }

  end(): void {
    this.consume(Buffer.alloc(0), true);
    if (!this.plan) throw new FileRefusedError('the file is empty (no header line)');
    if (this.rowsRead === 0) throw new FileRefusedError('the file has a header but no data rows');
    this.lines.total = this.lines.header + this.lines.blank + this.lines.loaded + this.lines.rejected;
    this.flushOut();
  }

  /** Lines of a staged row (1 unless it held quoted line breaks), for a duplicate removed later. */
  linesOf(ordinal: number): number {
    return this.candidateSpans.get(ordinal) ?? 1;
  }

  /** COPY bytes produced so far. */
  takeOutput(): Buffer[] {
    this.flushOut();
    const taken = this.output;
    this.output = [];
    return taken;
  }

  private consume(chunk: Buffer, final: boolean): void {
    const invalid = this.utf8.check(chunk, final);
    if (invalid >= 0) {
      const data = Buffer.concat([this.leftover, chunk.subarray(0, invalid)]);
      let line = this.line;
      for (let i = data.indexOf(LF); i >= 0; i = data.indexOf(LF, i + 1)) line++;
      const bad = chunk[invalid] ?? 0;
      throw new FileRefusedError(`line ${line}: the file is not UTF-8 text (byte 0x${bad.toString(16).padStart(2, '0')} is not valid UTF-8); save it as UTF-8`);
    }
    let data = this.leftover.length > 0 ? Buffer.concat([this.leftover, chunk]) : chunk;
    if (!this.started) {
      if (data.length < BOM.length && !final) {
        this.leftover = Buffer.from(data);
        return;
      }
      this.started = true;
      if (data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2]) data = data.subarray(3);
    }
    let pos = 0;
    if (!this.plan) {
      pos = this.readHeader(data, final);
      if (pos < 0) {
        if (data.length > MAX_HEADER_BYTES) throw new FileRefusedError(`line 1: no end of the header line within ${MAX_HEADER_BYTES} bytes`);
        this.leftover = Buffer.from(data);
        return;
      }
    }
    pos = this.stageRecords(data, pos, final);
    const rest = data.length - pos;
    if (rest > this.limits.maxRecordBytes) this.refuseLongRecord();
    // Copy the incomplete record: `data` may be a chunk the stream reuses.
    this.leftover = rest > 0 ? Buffer.from(data.subarray(pos)) : Buffer.alloc(0);
  }

  /** Reads the header record; returns the offset after it, or -1 when it is not complete yet. */
  private readHeader(data: Buffer, final: boolean): number {
    let start = 0;
    // Blank lines before the header carry no columns (counted once the header is complete: this
    // runs again on the same bytes while it is not).
    let blank = 0;
    while (start < data.length && (data[start] === LF || (data[start] === 0x0d && data[start + 1] === LF))) {
      start += data[start] === LF ? 1 : 2;
      blank++;
    }
    if (start >= data.length) {
      if (!final) return -1;
      this.line += blank;
      this.lines.blank += blank;
      return data.length;
    }
    const delimiter = detectDelimiter(data.subarray(start, Math.min(data.length, start + MAX_HEADER_BYTES)));
    const scanner = new RecordScanner(delimiter.charCodeAt(0), 4_096, this.limits.maxRecordLines - 1);
    const next = scanner.scan(data, start, final);
    if (next === TOO_MANY_LINES) this.refuseOpenQuote(scanner);
    if (next < 0) return -1;
    if (scanner.fieldCount > scanner.capacity) throw new FileRefusedError(`line ${this.line + blank}: more than ${scanner.capacity} columns`);
    if (scanner.error) throw new FileRefusedError(`line ${this.line + blank}: the header has ${SYNTAX_ERROR_TEXT[scanner.error]}`);
    const headers: string[] = [];
    for (let f = 0; f < scanner.fieldCount; f++) {
      headers.push(fieldText(data, scanner.starts[f], scanner.ends[f], scanner.quoted[f] === 1));
    }
    this.plan = planHeader(headers, this.dataset, this.attributes, this.pii);
    this.delimiter = delimiter;
    this.delimiterByte = delimiter.charCodeAt(0);
    this.line += blank + 1 + scanner.innerLineFeeds;
    this.lines.blank += blank;
    this.lines.header = 1 + scanner.innerLineFeeds;
    // One more slot than the header has, so a row with too many fields is still told apart.
    this.scanner = new RecordScanner(delimiter.charCodeAt(0), this.plan.columnCount + 1, this.limits.maxRecordLines - 1);
    const fields = this.plan.fields;
    this.fieldIndexes = Int32Array.from(fields, (field) => field.index);
    this.fieldNullable = Uint8Array.from(fields, (field) => (field.nullable ? 1 : 0));
    // A length limit for ids and text, a byte-level check for everything else.
    this.fieldLimits = Int32Array.from(fields, (field) =>
      field.kind === 'id' ? this.limits.maxIdLength : field.kind === 'text' ? this.limits.maxTextLength : 0,
    );
    this.fieldChecks = fields.map((field) => (field.kind === 'id' || field.kind === 'text' ? undefined : CHECKS[field.kind]));
    this.fieldIsText = Uint8Array.from(fields, (field) => (field.kind === 'text' ? 1 : 0));
    const runs: [number, number][] = [];
    for (const field of fields) {
      const last = runs[runs.length - 1];
      if (last && last[1] === field.index - 1) last[1] = field.index;
      else runs.push([field.index, field.index]);
    }
    this.copyRunFirst = Int32Array.from(runs, (run) => run[0]);
    this.copyRunLast = Int32Array.from(runs, (run) => run[1]);
    this.allStaged = this.plan.fields.length === this.plan.columnCount;
    for (const field of this.plan.fields) {
      if (field.target === this.dataset.key) this.keyField = field.index;
    }
    return next;
  }

  private stageRecords(data: Buffer, from: number, final: boolean): number {
    const scanner = this.scanner!;
    const plan = this.plan!;
    let pos = from;
    while (pos < data.length) {
      const next = scanner.scan(data, pos, final);
      if (next === TOO_MANY_LINES) this.refuseOpenQuote(scanner);
      if (next === NEED_MORE) break;
      if (next - pos > this.limits.maxRecordBytes) this.refuseLongRecord();
      const line = this.line;
      this.line += 1 + scanner.innerLineFeeds;
      const recordStart = pos;
      pos = next;
      // Physical lines of the record: its quoted line feeds, plus its own line unless the input
      // ended inside a quoted field right after a line feed.
      const span = scanner.innerLineFeeds + (data[next - 1] === LF && next - 1 < scanner.contentEnd ? 0 : 1);
      // A blank line is not a row.
      if (scanner.contentEnd === recordStart && scanner.fieldCount === 1) {
        this.lines.blank += span;
        this.endRun(data);
        continue;
      }
      this.rowsRead++;
      const reason = this.checkRecord(data, scanner, plan);
      if (reason !== undefined) {
        this.endRun(data);
        this.lines.rejected += span;
        this.reject(line, reason.column, reason.reason, reason.value);
        continue;
      }
      let candidate = false;
      if (this.keyField >= 0) {
        const quoted = scanner.quoted[this.keyField];
        const keyStart = scanner.starts[this.keyField] + quoted;
        const keyEnd = scanner.ends[this.keyField] - quoted;
        if (this.duplicates.add(data, keyStart, keyEnd)) {
          const key = fieldText(data, scanner.starts[this.keyField], scanner.ends[this.keyField], quoted === 1);
          const repeated = this.duplicates.addCandidate(key, line);
          // A third occurrence or later is certainly a duplicate: rejected here, so repeated rows
          // (a file of one row copied a million times) never multiply the staging table.
          if (repeated !== undefined) {
            this.endRun(data);
            this.lines.rejected += span;
            this.reject(line, plan.fields.find((field) => field.index === this.keyField)!.header, `duplicate ${this.dataset.key}: seen before, again on line ${repeated}`, null);
            continue;
          }
          candidate = true;
        }
      }
      this.lines.loaded += span;
      const ordinal = ++this.rowsStaged;
      if (line - ordinal !== this.breakOffsets[this.breakOffsets.length - 1]) {
        this.breakOrdinals.push(ordinal);
        this.breakOffsets.push(line - ordinal);
      }
      if (candidate && span > 1) this.candidateSpans.set(ordinal, span);
      this.stageRow(data, scanner, recordStart, next);
    }
    this.endRun(data);
    return pos;
  }

  /** The record from `this.line` on is longer than allowed: refuses the file, naming where it (or its open quote) starts. */
  private refuseLongRecord(): never {
    const scanner = this.scanner;
    const quoteLine = scanner && scanner.openQuoteLineFeeds >= 0 ? this.line + scanner.openQuoteLineFeeds : -1;
    throw new FileRefusedError(
      quoteLine >= 0
        ? `line ${quoteLine}: a quoted field opened here is not closed within ${this.limits.maxRecordBytes} bytes (IMPORT_MAX_RECORD_BYTES); close the quote or double the quote characters inside it`
        : `line ${this.line}: a record longer than ${this.limits.maxRecordBytes} bytes (IMPORT_MAX_RECORD_BYTES)`,
    );
  }

  private refuseOpenQuote(scanner: RecordScanner): never {
    throw new FileRefusedError(
      `line ${this.line + Math.max(0, scanner.openQuoteLineFeeds)}: a quoted field opened here is not closed within ${this.limits.maxRecordLines} lines (IMPORT_MAX_RECORD_LINES); close the quote or double the quote characters inside it`,
    );
  }

  /** The file line of a staged row, from its ordinal (1-based, COPY order). */
  lineOf(ordinal: number): number {
    let low = 0;
    let high = this.breakOrdinals.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.breakOrdinals[middle] <= ordinal) low = middle;
      else high = middle - 1;
    }
    return ordinal + (this.breakOffsets[low] ?? 0);
  }

  private checkRecord(
    data: Buffer,
    scanner: RecordScanner,
    plan: HeaderPlan,
  ): { column: string | null; reason: string; value: string | null } | undefined {
    if (scanner.error) {
      const column = scanner.errorField < plan.columnCount ? columnLabel(plan, scanner.errorField) : null;
      return { column, reason: `row has ${SYNTAX_ERROR_TEXT[scanner.error]}`, value: null };
    }
    if (scanner.fieldCount !== plan.columnCount) {
      const found = scanner.fieldCount > scanner.capacity ? `more than ${plan.columnCount}` : String(scanner.fieldCount);
      return { column: null, reason: `wrong number of columns: expected ${plan.columnCount}, found ${found}`, value: null };
    }
    const count = this.fieldIndexes.length;
    for (let k = 0; k < count; k++) {
      const index = this.fieldIndexes[k];
      const quoted = scanner.quoted[index];
      const start = scanner.starts[index] + quoted;
      const end = scanner.ends[index] - quoted;
      let reason: string | undefined;
      if (start >= end) {
        if (this.fieldNullable[k] === 0) reason = `${plan.fields[k].target} is empty`;
      } else {
        const check = this.fieldChecks[k];
        if (check !== undefined) {
          reason = check(data, start, end);
        } else {
          const limit = this.fieldLimits[k];
          // Bytes >= characters: count characters only when the bytes exceed the limit.
          if (end - start > limit && utf8Length(data, start, end) > limit) {
            const field = plan.fields[k];
            reason = field.kind === 'id' ? `${field.target} longer than ${limit} characters` : `value longer than ${limit} characters`;
          } else {
            reason = looksLikePersonalData(data, start, end, this.fieldIsText[k] === 1);
          }
          // Ids and free text are never quoted back: either may be anything, personal data included.
          if (reason !== undefined) return { column: plan.fields[k].header, reason, value: null };
        }
      }
      if (reason !== undefined) {
        const value = start >= end ? null : safeValue(fieldText(data, scanner.starts[index], scanner.ends[index], quoted === 1));
        return { column: plan.fields[k].header, reason, value };
      }
    }
    return undefined;
  }

  private reject(line: number, column: string | null, reason: string, value: string | null): void {
    this.rowsRejected++;
    if (this.rejections.length < this.limits.maxRejectionDetails) this.rejections.push({ line, column, reason, value });
  }

  /** Adds a good row to the current run, or writes it rewritten when it cannot go through as it is. */
  private stageRow(data: Buffer, scanner: RecordScanner, recordStart: number, next: number): void {
    // The terminator is LF (1 byte), CR LF (2) or none (0, the last line). A bare CR ending the
    // file is none: passed on as it is, COPY would fail on it ("unquoted carriage return").
    const terminator = data[next - 1] === LF ? next - scanner.contentEnd : 0;
    this.eol ??= terminator === 2 ? CRLF : LF_ONLY;
    if (this.allStaged && terminator === this.eol.length) {
      if (this.runStart < 0) this.runStart = recordStart;
      this.runEnd = next;
      return;
    }
    this.endRun(data);
    const needed = scanner.contentEnd - recordStart + this.eol.length;
    if (this.outPos + needed > this.out.length) {
      this.flushOut();
      // The handed-on bytes stay with their consumer: write the next ones into a new buffer.
      this.out = Buffer.allocUnsafe(Math.max(needed, 1 << 20));
      this.outStart = 0;
      this.outPos = 0;
    }
    const out = this.out;
    let o = this.outPos;
    const delimiter = this.delimiterByte;
    const runs = this.copyRunFirst.length;
    for (let r = 0; r < runs; r++) {
      if (r > 0) out[o++] = delimiter;
      // Adjacent staged columns are copied together, with the delimiters between them.
      o += data.copy(out, o, scanner.starts[this.copyRunFirst[r]], scanner.ends[this.copyRunLast[r]]);
    }
    for (let e = 0; e < this.eol.length; e++) out[o++] = this.eol[e];
    this.outPos = o;
  }

  private endRun(data: Buffer): void {
    if (this.runStart < 0) return;
    this.flushOut();
    this.output.push(data.subarray(this.runStart, this.runEnd));
    this.runStart = -1;
  }

  /** Hands on the rewritten rows written since the last flush; later ones go after them in `out`. */
  private flushOut(): void {
    if (this.outPos === this.outStart) return;
    this.output.push(this.out.subarray(this.outStart, this.outPos));
    this.outStart = this.outPos;
  }
}
