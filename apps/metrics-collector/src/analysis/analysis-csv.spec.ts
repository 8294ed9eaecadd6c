import { csvCell } from './analysis-csv';
import { addDecimal } from './analysis.service';

describe('csvCell', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+31 6 1234', "'+31 6 1234"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['plain, with comma', '"plain, with comma"'],
    ['say "hi"', '"say ""hi"""'],
  ])('should neutralise and quote %j when it could run as a formula or break the row', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('should write numbers, booleans and nothing as they are', () => {
    expect([csvCell(-1.5), csvCell(true), csvCell(null)]).toEqual(['-1.5', 'true', '']);
  });
});

describe('addDecimal', () => {
  it('should add money exactly through cents', () => {
    expect(addDecimal('0.10', '0.20')).toBe('0.30');
    expect(addDecimal('70.00', '-75.5')).toBe('-5.50');
    expect(addDecimal('12345678901.99', '0.01')).toBe('12345678902.00');
  });
});
