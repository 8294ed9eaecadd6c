// A customer's purchases as a Poisson process whose intensity follows the seasonality: candidate
// times at the peak rate, each kept with probability season(day) / peak (thinning), then a time of
// day from the hourly profile and a lognormal order value.

import { formatInstant, HOUR_WEIGHTS, seasonality } from './calendar';
import { cumulativeWeights, Random } from './random';

/** One row of the transactions file. */
export type Transaction = {
  readonly transactionId: string;
  readonly customerId: string;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  readonly occurredAt: string;
  /** Decimal with a dot and two decimals; negative for a refund. */
  readonly amount: string;
  /** The same amount in integer cents (sum these, never the strings as floats). */
  readonly amountCents: number;
  readonly currency: string;
};

/** A purchase before it gets its id: time in fractional days, amount in cents. */
export type RawPurchase = { at: number; cents: number };

const HOURS = cumulativeWeights(HOUR_WEIGHTS);
const ORDER_SIGMA = 0.65;
const MIN_ORDER_CENTS = 99;

/**
 * Seasonality looked up from a table over a range of days (the hot path of the generator), and
 * computed directly outside it.
 */
export class SeasonTable {
  private readonly factors: Float64Array;
  /** cumulative[k] = sum of the factors of the table's first k days. */
  private readonly cumulative: Float64Array;
  readonly peak: number;

  constructor(private readonly firstDay: number, days: number) {
    this.factors = new Float64Array(days);
    this.cumulative = new Float64Array(days + 1);
    let peak = 0;
    for (let offset = 0; offset < days; offset++) {
      this.factors[offset] = seasonality(firstDay + offset);
      this.cumulative[offset + 1] = this.cumulative[offset] + this.factors[offset];
      peak = Math.max(peak, this.factors[offset]);
    }
    this.peak = peak;
  }

  factor(day: number): number {
    const offset = Math.floor(day) - this.firstDay;
    return offset >= 0 && offset < this.factors.length ? this.factors[offset] : seasonality(day);
  }

  /** The integral of the factors from the table's start to `offset` days into it. */
  private cumulativeAt(offset: number): number {
    const whole = Math.floor(offset);
    return this.cumulative[whole] + (offset - whole) * this.factors[whole];
  }

  /** The integral of the seasonality over [from, to), in days (for the expected purchase count). */
  integral(from: number, to: number): number {
    if (to <= from) return 0;
    const first = from - this.firstDay;
    const last = to - this.firstDay;
    if (first >= 0 && last < this.factors.length) return this.cumulativeAt(last) - this.cumulativeAt(first);
    let sum = 0;
    let day = from;
    while (day < to) {
      const next = Math.min(to, Math.floor(day) + 1);
      sum += (next - day) * this.factor(day);
      day = next;
    }
    return sum;
  }
}

/** Moves an instant to a time of day drawn from the hourly profile, on the same day. */
export function atTimeOfDay(random: Random, day: number): number {
  const hour = random.pick(HOURS);
  return Math.floor(day) + (hour + random.float()) / 24;
}

/** A lognormal order value around the customer's median, in cents. */
/** The mean and the mean square of `orderCents` (the lognormal's; the floor at 99 cents is negligible). */
export function orderMoments(medianCents: number): { mean: number; meanSquare: number } {
  return { mean: medianCents * Math.exp(ORDER_SIGMA ** 2 / 2), meanSquare: medianCents ** 2 * Math.exp(2 * ORDER_SIGMA ** 2) };
}

export function orderCents(random: Random, medianCents: number): number {
  return Math.max(MIN_ORDER_CENTS, Math.round(random.lognormal(medianCents, ORDER_SIGMA)));
}

/**
 * Appends the purchases of a Poisson process with `perYear` purchases a year (times the
 * seasonality) over [from, to) to `into`, unsorted.
 */
export function poissonPurchases(random: Random, season: SeasonTable, perYear: number, from: number, to: number, medianCents: number, into: RawPurchase[]): void {
  if (perYear <= 0 || to <= from) return;
  const peakPerDay = (perYear / 365) * season.peak;
  let at = from;
  for (;;) {
    at += random.exponential(peakPerDay);
    if (at >= to) return;
    if (random.float() * season.peak < season.factor(at)) {
      let time = atTimeOfDay(random, at);
      if (time < from) time = from; // the first day may have started after the drawn hour
      if (time >= to) time = to - 1e-6;
      into.push({ at: time, cents: orderCents(random, medianCents) });
    }
  }
}

/** Integer cents -> `12.34` / `-0.50`. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const fraction = absolute % 100;
  return `${sign}${(absolute - fraction) / 100}.${fraction < 10 ? '0' : ''}${fraction}`;
}

/** A raw purchase -> a transaction row. */
export function toTransaction(transactionId: string, customerId: string, purchase: RawPurchase, currency: string): Transaction {
  return {
    transactionId,
    customerId,
    occurredAt: formatInstant(purchase.at),
    amount: formatCents(purchase.cents),
    amountCents: purchase.cents,
    currency,
  };
}
