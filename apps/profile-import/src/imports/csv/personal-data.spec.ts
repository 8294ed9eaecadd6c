import { looksLikePersonalData, safeValue } from './personal-data';

function check(cell: string, text: boolean): string | undefined {
  const buf = Buffer.from(`x${cell}y`);
  return looksLikePersonalData(buf, 1, buf.length - 1, text);
}

describe('personal data in cells', () => {
  it.each([
    ['ann@example.com', true, 'e-mail'],
    ['ann@example.com', false, 'e-mail'],
    ['contact: a.b@mail.example.org please', true, 'e-mail'],
    ['+49 151 2345 6789', true, 'phone'],
    ['(030) 123-4567', true, 'phone'],
    ['0151/23456789', true, 'phone'],
  ])('should flag %j (free text %s) as %s', (cell, text, kind) => {
    expect(check(cell, text)).toContain(kind === 'e-mail' ? 'e-mail address' : 'phone number');
  });

  it.each([
    ['0151/23456789', false],
    ['00000012345678', false],
    ['@SUM(A1)', true],
    ['a@b', true],
    ['gold', true],
    ['+SUM(A1)', true],
    ['1200.5', true],
    ['12 34', true],
  ])('should let %j (free text %s) through', (cell, text) => {
    expect(check(cell, text)).toBeUndefined();
  });

  it.each([
    ['2024-02-30', '2024-02-30'],
    ['2024-13-01T25:00:00+02:00', '2024-13-01T25:00:00+02:00'],
    ['12.555', '12.555'],
    ['DEU', 'DEU'],
    ['maybe', 'aaaaa'],
    ['Zelda Quarrington', 'Aaaaa Aaaaaaaaaaa'],
    ['zelda.quarry@pii-example.org', 'z***@***.org'],
    ['+49 151 2345 6789', '+99 999 9999 9999'],
    ['004915123456789', '999999999999999'],
    ['x'.repeat(50), `${'a'.repeat(40)}…`],
  ])('should show %j of a typed cell as %j', (cell, shown) => {
    expect(safeValue(cell)).toBe(shown);
  });
});
