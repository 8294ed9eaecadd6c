import { detectDelimiter } from './delimiter';

describe(detectDelimiter.name, () => {
  it.each([
    ['customer_id,registered_at,country\n1,2,3', ','],
    ['customer_id;registered_at;country\n', ';'],
    ['customer_id\tregistered_at\tcountry\n', '\t'],
    ['"id;x","a,b";"c";"d"\n', ';'],
    ['customer_id\n', ','],
  ])('should pick the delimiter of %j', (header, expected) => {
    expect(detectDelimiter(Buffer.from(header))).toBe(expected);
  });

  it('should ignore delimiters inside quotes and after the first line', () => {
    expect(detectDelimiter(Buffer.from('"a,b,c,d";x;y\n1,2,3,4,5,6,7\n'))).toBe(';');
  });
});
