import { parseInboxFileName } from './inbox-file-name';

describe(parseInboxFileName.name, () => {
  it.each([
    ['customers_20261126.csv', { kind: 'import', dataset: 'customers', asOfDate: '2026-11-26' }],
    ['transactions_20261126_part2.csv.gz', { kind: 'import', dataset: 'transactions', asOfDate: '2026-11-26' }],
    ['orders_20261126.csv', { kind: 'unknown-dataset', dataset: 'orders' }],
    ['customers_20261126.csv.part', { kind: 'not-an-import' }],
    ['customers_20261131.csv', { kind: 'not-an-import' }],
    ['notes.txt', { kind: 'not-an-import' }],
  ])('should read %j', (name, expected) => {
    expect(parseInboxFileName(name)).toEqual(expected);
  });
});
