import { logGamma } from '../src/distributions';

// A seeded model of what shops see after a send: most customers buy nothing in the window (zero
// inflation), a minority buys once or several times, order values are log-normal (long right
// tail). Used by the A/A simulation; deterministic for a seed.

// Bound once: inside Jest's vm sandbox every `Math.x` is a slow global lookup.
const { abs, exp, log, sqrt, cos, floor, round, max, min, imul, PI } = Math;
/** Small fast PRNG (mulberry32): uniform in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(uniform: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  return sqrt(-2 * log(1 - uniform())) * cos(2 * PI * uniform());
}

/** Poisson draw: multiplication for small means, PTRS (Hörmann 1993) otherwise. */
export function poisson(mean: number, uniform: () => number): number {
  if (mean <= 0) return 0;
  if (mean < 10) {
    const limit = exp(-mean);
    let k = 0;
    let product = uniform();
    while (product > limit) {
      k++;
      product *= uniform();
    }
    return k;
  }
  const root = sqrt(mean);
  const b = 0.931 + 2.53 * root;
  const a = -0.059 + 0.02483 * b;
  const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - abs(u);
    const k = floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (log(v) + log(inverseAlpha) - log(a / (us * us) + b) <= -mean + k * log(mean) - logGamma(k + 1)) return k;
  }
}

/** One execution's shop: who can buy, how often, and how much. */
export type ShopModel = {
  /** Share of customers who buy at all (the rest stay at 0). */
  activeShare: number;
  /** Purchases per active customer per day. */
  dailyRate: number;
  /** Order value: exp(N(mu, sigma²)). */
  mu: number;
  sigma: number;
  windowDays: number;
};

export function randomShop(uniform: () => number): ShopModel {
  return {
    activeShare: 0.1 + 0.3 * uniform(),
    dailyRate: 0.005 + 0.02 * uniform(),
    mu: 3.8,
    sigma: 0.7 + 0.5 * uniform(),
    windowDays: 7 + floor(8 * uniform()),
  };
}

/** E[revenue per customer over the window]. */
export function expectedRevenuePerCustomer(shop: ShopModel): number {
  return shop.activeShare * shop.dailyRate * shop.windowDays * exp(shop.mu + (shop.sigma * shop.sigma) / 2);
}

/** A group's running figures: revenue per customer, its sums, and the purchasers. */
export class SimulatedGroup {
  readonly revenue: Float64Array;
  readonly preRevenue: Float64Array;
  sum = 0;
  sumOfSquares = 0;
  purchasers = 0;
  private readonly active: number;

  constructor(
    readonly n: number,
    private readonly shop: ShopModel,
    private readonly uniform: () => number,
    /** Order values are multiplied by this (1 = no effect). */
    private readonly amountFactor = 1,
  ) {
    this.revenue = new Float64Array(n);
    this.preRevenue = new Float64Array(n);
    // Each customer buys at all with probability activeShare, independently (binomial), and stays
    // so: customers are exchangeable, so the first `active` ones are taken.
    // Binomial(n, activeShare) by its normal approximation: n·activeShare >= 50 here.
    const a = shop.activeShare;
    this.active = max(1, min(n, round(n * a + sqrt(n * a * (1 - a)) * normal(uniform))));
    // The pre-period: the same customers over a window of the same length before the send.
    const events = poisson(this.active * shop.dailyRate * shop.windowDays, uniform);
    for (let e = 0; e < events; e++) this.preRevenue[floor(uniform() * this.active)] += this.amount(1);
  }

  private amount(factor: number): number {
    return round(exp(this.shop.mu + this.shop.sigma * normal(this.uniform)) * factor * 100) / 100;
  }

  /** One more day of the window. */
  advanceDay(): void {
    const events = poisson(this.active * this.shop.dailyRate, this.uniform);
    for (let e = 0; e < events; e++) {
      const customer = floor(this.uniform() * this.active);
      const before = this.revenue[customer];
      const after = before + this.amount(this.amountFactor);
      this.revenue[customer] = after;
      this.sum += after - before;
      this.sumOfSquares += after * after - before * before;
      if (before === 0) this.purchasers++;
    }
  }
}
