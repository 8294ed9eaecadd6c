import { normalCdf, normalQuantile } from '@optimove/statistics';
import type { SyntheticRetailer } from '@optimove/synthetic-retailer';

export type EffectSizing = {
  /** The planted purchase-rate factor on the treated customers. */
  purchaseRateFactor: number;
  /** Power of the two-sided tests at 5 % to find it, at the groups' sizes. */
  power: { revenuePerCustomer: number; purchaseRate: number };
  /** Expected figures per customer, without and with the effect. */
  expected: { control: { purchaseRate: number; revenuePerCustomer: number }; treated: { purchaseRate: number; revenuePerCustomer: number } };
};

/**
 * The smallest purchase-rate factor (in steps of 0.1, up to 5) that a campaign's comparison
 * finds with at least `targetPower` in both revenue per customer (Welch) and purchase rate (two
 * proportions), for `treatedSize` treated and `controlSize` control customers drawn from
 * `population` (e.g. the treated customers themselves: the control group is a random share of the
 * same target group), over the window of `days` from `from`.
 */
export function sizePlantedEffect(
  retailer: SyntheticRetailer,
  population: readonly string[],
  sizes: { treated: number; control: number },
  window: { from: string; days: number },
  targetPower = 0.99,
): EffectSizing {
  if (population.length === 0 || sizes.treated === 0 || sizes.control === 0) throw new Error('a planted effect needs treated and control customers');
  const moments = (factor: number): { rate: number; mean: number; variance: number } => {
    let rate = 0;
    let mean = 0;
    let square = 0;
    for (const customerId of population) {
      const one = retailer.windowExpectation(customerId, window.from, window.days, { purchaseRateFactor: factor });
      rate += one.purchaseProbability;
      mean += one.revenueCents;
      square += one.revenueSquareCents;
    }
    const n = population.length;
    return { rate: rate / n, mean: mean / n, variance: square / n - (mean / n) ** 2 };
  };
  const control = moments(1);
  const critical = normalQuantile(0.975);
  let last: EffectSizing | undefined;
  for (let tenths = 11; tenths <= 50; tenths++) {
    const factor = tenths / 10;
    const treated = moments(factor);
    const rateError = Math.sqrt((control.rate * (1 - control.rate)) / sizes.control + (treated.rate * (1 - treated.rate)) / sizes.treated);
    const revenueError = Math.sqrt(control.variance / sizes.control + treated.variance / sizes.treated);
    last = {
      purchaseRateFactor: factor,
      power: {
        revenuePerCustomer: normalCdf((treated.mean - control.mean) / revenueError - critical),
        purchaseRate: normalCdf((treated.rate - control.rate) / rateError - critical),
      },
      expected: {
        control: { purchaseRate: control.rate, revenuePerCustomer: control.mean / 100 },
        treated: { purchaseRate: treated.rate, revenuePerCustomer: treated.mean / 100 },
      },
    };
    if (Math.min(last.power.revenuePerCustomer, last.power.purchaseRate) >= targetPower) return last;
  }
  return last!;
}

/** A SmartFocus campaign's own engagement rates, as the simulator draws them (`GET /admin/campaigns/{id}/engagement`). */
export type EngagementRates = { filterRate: number; bounceRate: number; openRate: number; clickOfOpeners: number };

export type ClickSizing = {
  /** The engagement factor planted on the winning variant's template message. */
  factor: number;
  /** Power of the two-sided two-proportion test at 5 % to find the planted variant the better one, at the groups' sizes. */
  power: number;
  /** Expected click rates (clicks over delivered): the other variant's, and the planted one's with the factor. */
  expected: { other: number; planted: number };
};

/** The simulator's click rate over delivered recipients: the open rate times the factor (at most 1), times the openers' click rate. */
function clickRate(rates: EngagementRates, factor: number): number {
  return Math.min(1, rates.openRate * factor) * rates.clickOfOpeners;
}

/**
 * The smallest engagement factor (in steps of 0.1, up to the simulator's 20) on one variant's
 * template message with which an A/B test on the click rate finds it better than the other
 * variant with at least `targetPower`, from the two SmartFocus campaigns' own rates (each campaign
 * draws its own, so the planted variant may start behind) and the groups' sizes.
 */
export function sizeClickEffect(
  other: { rates: EngagementRates; factor: number; size: number },
  planted: { rates: EngagementRates; size: number },
  targetPower = 0.99,
): ClickSizing {
  if (other.size === 0 || planted.size === 0) throw new Error('a planted click effect needs two variants with customers');
  const delivered = (rates: EngagementRates, size: number): number => size * (1 - rates.filterRate) * (1 - rates.bounceRate);
  const otherRate = clickRate(other.rates, other.factor);
  const otherDelivered = delivered(other.rates, other.size);
  const plantedDelivered = delivered(planted.rates, planted.size);
  const critical = normalQuantile(0.975);
  let last: ClickSizing | undefined;
  for (let tenths = 11; tenths <= 200; tenths++) {
    const factor = tenths / 10;
    const plantedRate = clickRate(planted.rates, factor);
    const error = Math.sqrt((otherRate * (1 - otherRate)) / otherDelivered + (plantedRate * (1 - plantedRate)) / plantedDelivered);
    last = { factor, power: normalCdf((plantedRate - otherRate) / error - critical), expected: { other: otherRate, planted: plantedRate } };
    if (last.power >= targetPower) return last;
  }
  return last!;
}
