import type { Comparison } from './comparison';
import { relativeTo } from './comparison';
import { normalQuantile, normalSurvival } from './distributions';

/** Successes out of trials in one group (purchasers of members, clicks of delivered...). */
export type Proportion = { successes: number; trials: number };

/**
 * Two-proportion z-test of treatment rate - control rate, two-sided. The p-value uses the pooled
 * rate (the null hypothesis says the rates are equal); the (1 - alpha) interval uses the unpooled
 * standard error (Wald), the textbook pair (Agresti, Categorical Data Analysis, 3.1).
 */
export function twoProportionTest(treatment: Proportion, control: Proportion, alpha = 0.05): Comparison {
  const pt = treatment.trials > 0 ? treatment.successes / treatment.trials : 0;
  const pc = control.trials > 0 ? control.successes / control.trials : 0;
  const difference = pt - pc;
  const base = { treatment: pt, control: pc, difference, relative: relativeTo(difference, pc) };
  if (treatment.trials < 1 || control.trials < 1) return { status: 'too_small', ...base };
  const pooled = (treatment.successes + control.successes) / (treatment.trials + control.trials);
  const pooledVariance = pooled * (1 - pooled) * (1 / treatment.trials + 1 / control.trials);
  if (!(pooledVariance > 0)) return { status: 'no_variation', ...base };
  const z = difference / Math.sqrt(pooledVariance);
  const se = Math.sqrt((pt * (1 - pt)) / treatment.trials + (pc * (1 - pc)) / control.trials);
  const halfWidth = normalQuantile(1 - alpha / 2) * se;
  return {
    status: 'ok',
    ...base,
    ciLow: difference - halfWidth,
    ciHigh: difference + halfWidth,
    pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))),
    statistic: z,
    degreesOfFreedom: null,
  };
}
