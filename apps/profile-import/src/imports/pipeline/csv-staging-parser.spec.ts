import { DATASETS, type AttributeType } from '../../datasets/dataset-definitions';
import { DEFAULT_PII_HEADER_DENY_LIST, PiiHeaderMatcher } from '../../datasets/pii-columns';
import { CsvStagingParser, type ParseLimits } from './csv-staging-parser';
import { FileRefusedError } from './header-plan';

const LIMITS: ParseLimits = { maxIdLength: 10, maxTextLength: 20, maxRecordBytes: 4_096, maxRecordLines: 100, maxRejectionDetails: 100 };
const ATTRIBUTES = new Map<string, AttributeType>([['tier', 'text'], ['points', 'number']]);

/** Parses `text` fed in chunks of `chunk` bytes; returns the parser and the COPY text it produced. */
function parse(text: string | Buffer, { dataset = DATASETS.customers, chunk = 7 } = {}): { parser: CsvStagingParser; copy: string } {
  const parser = new CsvStagingParser(dataset, ATTRIBUTES, new PiiHeaderMatcher(DEFAULT_PII_HEADER_DENY_LIST), LIMITS);
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const output: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    parser.push(bytes.subarray(at, at + chunk));
    output.push(...parser.takeOutput());
  }
  parser.end();
  output.push(...parser.takeOutput());
  return { parser, copy: Buffer.concat(output).toString() };
}

describe(CsvStagingParser.name, () => {
  it('should pass good rows through byte for byte and keep the header plan', () => {
    const { parser, copy } = parse('customer_id,registered_at,country,tier\n007,2024-01-01,DE,"a, b"\n008,,,\n');

    expect(copy).toBe('007,2024-01-01,DE,"a, b"\n008,,,\n');
    expect(parser.plan?.fields.map((field) => field.target)).toEqual(['customer_id', 'registered_at', 'country', 'tier']);
    expect([parser.rowsRead, parser.rowsStaged, parser.rowsRejected]).toEqual([2, 2, 0]);
  });

  it('should leave out dropped and ignored columns and never stage personal data', () => {
    const { parser, copy } = parse('email,customer_id,phone,registered_at,country,shoe_size\nann@example.com,1,+4930,2024-01-01,DE,42\n');

    expect(copy).toBe('1,2024-01-01,DE\n');
    expect(parser.plan).toMatchObject({ droppedColumns: ['email', 'phone'], ignoredColumns: ['shoe_size'] });
  });

  it('should reject bad rows with line, column and reason, counting lines of quoted newlines', () => {
    const { parser, copy } = parse(
      'customer_id,registered_at,country,points\n1,"2024-01-01",DE,"1\n2"\n2,2024-13-01,DE,1\n3,2024-01-01,DEU,1\n4,2024-01-01,DE\n12345678901,2024-01-01,DE,1\n6,2024-01-01,DE,1.5\n',
    );

    expect(copy).toBe('6,2024-01-01,DE,1.5\n');
    expect(parser.rejections).toEqual([
      { line: 2, column: 'points', reason: expect.stringContaining('not a number') as string, value: '9\n9' },
      { line: 4, column: 'registered_at', reason: 'not a calendar day', value: '2024-13-01' },
      { line: 5, column: 'country', reason: 'not a country code (expected ISO 3166 alpha-2, e.g. DE)', value: 'DEU' },
      { line: 6, column: null, reason: 'wrong number of columns: expected 4, found 3', value: null },
      { line: 7, column: 'customer_id', reason: 'customer_id longer than 10 characters', value: null },
    ]);
    expect(parser.lineOf(1)).toBe(8);
  });

  it('should map staged row numbers back to file lines across rejected and blank lines', () => {
    const { parser } = parse('customer_id,registered_at,country\na,,\n\nb,,\nbad\nc,,\n');

    expect([1, 2, 3].map((ordinal) => parser.lineOf(ordinal))).toEqual([2, 4, 6]);
  });

  it('should flag a repeated id as a duplicate candidate', () => {
    const { parser } = parse('customer_id,registered_at,country\n"x1",,\ny,,\nx1,,\n');

    expect([...parser.duplicates.candidates.keys()]).toEqual(['x1']);
  });

  it('should rewrite a row whose line ending differs from the first one, so COPY sees one style', () => {
    const { copy } = parse('customer_id,registered_at,country\r\na,,\r\nb,,\nc,,');

    expect(copy).toBe('a,,\r\nb,,\r\nc,,\r\n');
  });

  it('should end a last row that ends in a bare carriage return with the rows\' line ending, so COPY never sees a lone CR', () => {
    const { parser, copy } = parse('customer_id,registered_at,country\na,,\nb,,DE\r');

    expect(copy).toBe('a,,\nb,,DE\n');
    expect(parser.lines).toEqual({ total: 3, header: 1, blank: 0, loaded: 2, rejected: 0 });
  });

  it('should keep every row in order when passed-through and rewritten rows alternate many times', () => {
    const rows = Array.from({ length: 5_000 }, (_v, i) => `id${i},,${i % 2 === 0 ? '\r\n' : '\n'}`);

    const { parser, copy } = parse(`customer_id,registered_at,country\r\n${rows.join('')}`, { chunk: 4_096 });

    expect(parser.rowsStaged).toBe(5_000);
    expect(copy).toBe(rows.map((row) => row.replace(/\r?\n$/, '\r\n')).join(''));
  });

  it('should strip a BOM split across chunks and detect the semicolon', () => {
    const { parser, copy } = parse('\uFEFFcustomer_id;registered_at;country\nz;;\n', { chunk: 1 });

    expect(parser.delimiter).toBe(';');
    expect(copy).toBe('z;;\n');
  });

  it.each([
    ['not UTF-8', Buffer.concat([Buffer.from('customer_id,registered_at,country\na,,\nb,'), Buffer.from([0xff]), Buffer.from(',\n')]), 'line 3: the file is not UTF-8 text (byte 0xff is not valid UTF-8); save it as UTF-8'],
    ['empty', '', 'the file is empty (no header line)'],
    ['blank', '\n\r\n', 'the file is empty (no header line)'],
    ['without rows', 'customer_id,registered_at,country\n', 'the file has a header but no data rows'],
    ['with an endless record', `customer_id,registered_at,country\na,"${'x'.repeat(5_000)}`, 'line 2: a quoted field opened here is not closed within 4096 bytes (IMPORT_MAX_RECORD_BYTES); close the quote or double the quote characters inside it'],
    [
      'with a quote left open for more lines than allowed',
      `customer_id,registered_at,country\na,2024-01-01,DE\nb,2024-01-01,"DE\n${'c,2024-01-01,DE\n'.repeat(150)}`,
      'line 3: a quoted field opened here is not closed within 100 lines (IMPORT_MAX_RECORD_LINES); close the quote or double the quote characters inside it',
    ],
  ])('should refuse a file %s', (_case, text, message) => {
    expect(() => parse(text, { chunk: 1_000 })).toThrow(new FileRefusedError(message));
  });

  it('should account for every physical line: header, blank, loaded and rejected', () => {
    const { parser } = parse('\ncustomer_id,registered_at,country\n1,2024-01-01,DE\n\n2,"2024-01-01",DE,x\n3,"2024-\n01-01",DE\n4,2024-01-01,"D\nE"\n5,2024-01-01,"DE');

    expect(parser.lines).toEqual({ total: 10, header: 1, blank: 2, loaded: 1, rejected: 6 });
  });

  it('should stage a row repeated many times at most twice, rejecting the later copies at once', () => {
    const { parser, copy } = parse(`customer_id,registered_at,country\n${'7,2024-01-01,DE\n'.repeat(1_000)}8,2024-01-01,DE\n`, { chunk: 4_096 });

    expect(copy).toBe('7,2024-01-01,DE\n7,2024-01-01,DE\n8,2024-01-01,DE\n');
    expect(parser.rowsRejected).toBe(998);
    expect(parser.rejections[0]).toEqual({ line: 4, column: 'customer_id', reason: 'duplicate customer_id: seen before, again on line 3', value: null });
    expect(parser.lines).toEqual({ total: 1_002, header: 1, blank: 0, loaded: 3, rejected: 998 });
  });

  it('should check transaction amounts and keep the optional currency optional', () => {
    const { parser, copy } = parse('transaction_id,customer_id,occurred_at,amount\nt1,c1,2024-01-01T10:00:00Z,10.5\nt2,c1,2024-01-01,10.555\n', {
      dataset: DATASETS.transactions,
    });

    expect(copy).toBe('t1,c1,2024-01-01T10:00:00Z,10.5\n');
    expect(parser.rejections[0]).toMatchObject({ line: 3, column: 'amount', reason: 'amount has more than 2 decimals' });
  });
});
