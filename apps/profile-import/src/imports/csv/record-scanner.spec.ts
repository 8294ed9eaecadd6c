import { parse } from 'csv-parse/sync';
import { RecordScanner, fieldText } from './record-scanner';

/** All records of `text`, scanned in one buffer. */
function scanAll(text: string | Buffer, delimiter = ','): { fields: string[]; error?: string }[] {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const scanner = new RecordScanner(delimiter.charCodeAt(0), 64);
  const records: { fields: string[]; error?: string }[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const next = scanner.scan(buf, pos, true);
    const fields: string[] = [];
    for (let f = 0; f < scanner.fieldCount; f++) fields.push(fieldText(buf, scanner.starts[f], scanner.ends[f], scanner.quoted[f] === 1));
    records.push(scanner.error ? { fields, error: scanner.error } : { fields });
    pos = next;
  }
  return records;
}

/** The same text fed in pieces of `size` bytes, as a stream delivers it. */
function scanInPieces(text: string, size: number): string[][] {
  const whole = Buffer.from(text);
  const scanner = new RecordScanner(0x2c, 64);
  const records: string[][] = [];
  let pending = Buffer.alloc(0);
  for (let at = 0; at <= whole.length; at += size) {
    const final = at + size >= whole.length;
    pending = Buffer.concat([pending, whole.subarray(at, at + size)]);
    let pos = 0;
    while (pos < pending.length) {
      const next = scanner.scan(pending, pos, final);
      if (next < 0) break;
      const fields: string[] = [];
      for (let f = 0; f < scanner.fieldCount; f++) fields.push(fieldText(pending, scanner.starts[f], scanner.ends[f], scanner.quoted[f] === 1));
      records.push(fields);
      pos = next;
    }
    pending = pending.subarray(pos);
    if (final) break;
  }
  return records;
}

const RFC_4180_SAMPLES = [
  'a,b,c\n1,2,3\n',
  'id,note\n1,"with, comma"\n2,"with ""quotes"""\n',
  'id,note\r\n1,"multi\nline"\r\n2,plain\r\n',
  'id,note\n1,""\n2,\n3,"x"\n',
  'id,note\n"0042","  spaced  "\n',
  'id,note\n1,"=SUM(A1:A9)"\n2,+49 30\n3,-5\n4,@handle\n',
  "id,note\n1,'; DROP TABLE profiles.customers; --\n",
  'id,note\n1,"ünïcödé ✓ 𝄞"\n',
  'id,note\n1,last line without newline',
];

describe(RecordScanner.name, () => {
  it.each(RFC_4180_SAMPLES)('should split %j exactly as csv-parse does', (sample) => {
    const expected: string[][] = parse(sample, { relax_column_count: true });
    expect(scanAll(sample).map((record) => record.fields)).toEqual(expected);
  });

  it.each([1, 2, 3, 7])('should give the same records when the bytes arrive in pieces of %i', (size) => {
    const sample = RFC_4180_SAMPLES.slice(1, 4).join('');
    expect(scanInPieces(sample, size)).toEqual(scanAll(sample).map((record) => record.fields));
  });

  it('should split on semicolons and tabs when told so', () => {
    expect(scanAll('a;"b;c"\n', ';')[0].fields).toEqual(['a', 'b;c']);
    expect(scanAll('a\t"b\tc"\n', '\t')[0].fields).toEqual(['a', 'b\tc']);
  });

  it('should flag a quote inside an unquoted field and resume at the next line', () => {
    const records = scanAll('1,ab"c\n2,ok\n');
    expect(records[0].error).toBe('stray-quote');
    expect(records[1]).toEqual({ fields: ['2', 'ok'] });
  });

  it('should flag text after a closing quote', () => {
    expect(scanAll('1,"ab"c,3\n')[0].error).toBe('text-after-quote');
  });

  it('should flag a NUL byte and a bare carriage return', () => {
    expect(scanAll(Buffer.from('1,a\u0000b\n'))[0].error).toBe('nul-byte');
    expect(scanAll('1,a\rb\n')[0].error).toBe('carriage-return');
  });

  it('should end the input\'s last record at a carriage return after a quoted field, as after an unquoted one', () => {
    expect(scanAll('1,"a"\r')).toEqual([{ fields: ['1', 'a'] }]);
    expect(scanAll('1,a\r')).toEqual([{ fields: ['1', 'a'] }]);
  });

  it('should flag a quoted field that is never closed at the end of the input', () => {
    expect(scanAll('1,"never closed\n2,x\n')[0].error).toBe('unterminated-quote');
  });

  it('should ask for more bytes when a record is not complete and the input is not final', () => {
    const scanner = new RecordScanner(0x2c, 4);
    expect(scanner.scan(Buffer.from('1,"open\n'), 0, false)).toBe(-1);
    expect(scanner.scan(Buffer.from('1,2'), 0, false)).toBe(-1);
    expect(scanner.scan(Buffer.from('1,2\r'), 0, false)).toBe(-1);
  });

  it('should count fields beyond its capacity without storing them', () => {
    const scanner = new RecordScanner(0x2c, 2);
    scanner.scan(Buffer.from('a,b,c,d\n'), 0, true);
    expect(scanner.fieldCount).toBe(4);
  });
});
