import { parseArgs } from './import-command';

describe(parseArgs.name, () => {
  it('should refuse --as-of without a value when it is the last argument', () => {
    expect(parseArgs(['customers', 'customers.csv', '--as-of'])).toBe('--as-of must be a calendar day (YYYY-MM-DD)');
  });

  it('should read --as-of with its value in either spelling', () => {
    expect(parseArgs(['customers', 'customers.csv', '--as-of', '2026-11-26'])).toEqual({ dataset: 'customers', file: 'customers.csv', force: false, asOf: '2026-11-26' });
    expect(parseArgs(['--as-of=2026-11-26', '--force', 'transactions', 't.csv'])).toEqual({ dataset: 'transactions', file: 't.csv', force: true, asOf: '2026-11-26' });
  });
});
