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
