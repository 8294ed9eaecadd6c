import { quoteIdentifier } from './sql';

describe(quoteIdentifier.name, () => {
  it('should quote a plain lower-case identifier', () => {
    expect(quoteIdentifier('smartfocus_dispatch')).toBe('"smartfocus_dispatch"');
  });

  it.each(['Profiles', 'a"; DROP SCHEMA x; --', 'with space', '', '1abc'])('should refuse %j when it could break out of quotes or is not ours', (name) => {
    expect(() => quoteIdentifier(name)).toThrow(/Refusing identifier/);
  });
});
