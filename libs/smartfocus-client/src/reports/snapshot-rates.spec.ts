import { snapshotRates } from './snapshot-rates';
import type { SnapshotCounts } from '../types';

const counts = (overrides: Partial<SnapshotCounts>): SnapshotCounts => ({
  selected: 0,
  filtered: 0,
  delivered: 0,
  bounces: 0,
  hardBounces: 0,
  softBounces: 0,
  complaints: 0,
  uniqueOpens: 0,
  uniqueClicks: 0,
  unsubscribes: 0,
  conversions: 0,
  ...overrides,
});

describe(snapshotRates.name, () => {
  it('should compute delivery over the mails sent and the other rates over the mails delivered', () => {
    const rates = snapshotRates(counts({ selected: 1_000, filtered: 20, delivered: 931, uniqueOpens: 233, uniqueClicks: 47, unsubscribes: 5 }));
    expect(rates.delivery).toBeCloseTo(931 / 980, 12);
    expect(rates.open).toBeCloseTo(233 / 931, 12);
    expect(rates.click).toBeCloseTo(47 / 931, 12);
    expect(rates.unsubscribe).toBeCloseTo(5 / 931, 12);
  });

  it('should give no rate when nothing was sent or delivered', () => {
    expect(snapshotRates(counts({}))).toEqual({ delivery: null, open: null, click: null, unsubscribe: null });
    expect(snapshotRates(counts({ selected: 10, filtered: 0, delivered: 0, bounces: 10 }))).toEqual({ delivery: 0, open: null, click: null, unsubscribe: null });
  });
});
