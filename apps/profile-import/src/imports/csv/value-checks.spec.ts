import { checkAmount, checkBoolean, checkDate, checkLetters, checkNumber, checkTimestamp } from './value-checks';

function run(check: (buf: Uint8Array, start: number, end: number) => string | undefined, text: string): string | undefined {
  // Surround the value with other bytes: a check must look only inside [start, end).
  const buf = Buffer.from(`9${text}9`);
  return check(buf, 1, buf.length - 1);
}

describe('value checks', () => {
  it.each(['2024-02-29', '2023-12-31T23:59', '2023-12-31 23:59:59', '2023-01-01T00:00:00.123456Z', '2023-01-01T10:00:00+02:00', '2023-01-01T10:00:00-0530', '2023-01-01T10:00+01'])(
    'should accept the timestamp %j',
    (value) => expect(run(checkTimestamp, value)).toBeUndefined(),
  );

  it.each(['2023-02-29', '2023-13-01', '2023-1-01', '01.02.2023', '2023-01-01T24:00', '2023-01-01T10:00:00.1234567', '2023-01-01T10:00:00Zx', "2023-01-01'; DROP TABLE x; --", ''])(
    'should refuse the timestamp %j',
    (value) => expect(run(checkTimestamp, value)).toBeDefined(),
  );

  it.each(['0', '12', '-3.5', '1234.50', '999999999999.99'])('should accept the amount %j', (value) => expect(run(checkAmount, value)).toBeUndefined());

  it.each([['1,50', 'not an amount'], ['1.505', 'more than 2 decimals'], ['1e3', 'not an amount'], ['1234567890123', 'too large'], ['.5', 'not an amount'], ['5.', 'not an amount'], ['NaN', 'not an amount']])(
    'should refuse the amount %j',
    (value, reason) => expect(run(checkAmount, value)).toContain(reason),
  );

  it('should check dates, numbers, booleans and codes', () => {
    expect(run(checkDate, '2024-01-31')).toBeUndefined();
    expect(run(checkDate, '2024-01-32')).toBe('not a calendar day');
    expect(run(checkNumber, '-1.5e3')).toBeUndefined();
    expect(run(checkNumber, '1.2.3')).toBeDefined();
    expect(run(checkBoolean, 'YES')).toBeUndefined();
    expect(run(checkBoolean, 'maybe')).toBeDefined();
    expect(run(checkLetters(2, 'a country'), 'de')).toBeUndefined();
    expect(run(checkLetters(2, 'a country'), 'D1')).toBe('not a country');
  });
});
