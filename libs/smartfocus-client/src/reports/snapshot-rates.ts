import type { SnapshotCounts, SnapshotRates } from '../types';

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/**
 * Rates with the vendor's global-report denominators (reference §7.1): delivery over the mails
 * sent (selected - filtered); open, click and unsubscribe over the mails delivered.
 */
export function snapshotRates(counts: SnapshotCounts): SnapshotRates {
  const sent = counts.selected - counts.filtered;
  return {
    delivery: ratio(counts.delivered, sent),
    open: ratio(counts.uniqueOpens, counts.delivered),
    click: ratio(counts.uniqueClicks, counts.delivered),
    unsubscribe: ratio(counts.unsubscribes, counts.delivered),
  };
}
