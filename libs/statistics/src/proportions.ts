import type { Comparison } from './comparison';
import { relativeTo } from './comparison';
import { normalQuantile, normalSurvival } from './distributions';

/** Successes out of trials in one group (purchasers of members, clicks of delivered...). */
export type Proportion = { successes: number; trials: number };

/**
 * Fewest successes, and fewest failures, each group must be expected to have under no effect for
 * a normal-approximation rate test (Cochran's rule): min(nₜ, n꜀) · min(p̂, 1 - p̂) >= 5, p̂ pooled.
 */
export const MIN_EXPECTED_COUNT = 5;

type Withheld = { status: 'too_small' | 'no_variation'; reason: string };

function rate({ successes, trials }: Proportion): number {
  return trials > 0 ? successes / trials : 0;
}

/**
 * Why two rates cannot be compared by a normal approximation, or null when they can. With fewer
 * expected successes or failures than MIN_EXPECTED_COUNT the p-value is far off in the tail: one
 * customer who bought against 1,000 at 5 % gives a z-test p of 0.00002, where Fisher's exact test
 * gives 0.05. The rule is on the counts expected under no effect, not the observed ones, so a group
 * large enough to tell can still show that nobody in it bought (0 of 200 against 5 %: p 0.001).
 */
export function rateComparisonWithheld(treatment: Proportion, control: Proportion): Withheld | null {
  if (treatment.trials < 1 || control.trials < 1) return { status: 'too_small', reason: 'A group has no members.' };
  const pooled = (treatment.successes + control.successes) / (treatment.trials + control.trials);
  if (!(pooled > 0 && pooled < 1)) {
    return { status: 'no_variation', reason: 'Every member of both groups has the same outcome (none succeeded, or all did): no test exists.' };
  }
  const expected = Math.min(treatment.trials, control.trials) * Math.min(pooled, 1 - pooled);
  if (expected < MIN_EXPECTED_COUNT) {
    const what = pooled <= 0.5 ? 'successes' : 'failures';
    return {
      status: 'too_small',
      reason: `With no effect the smaller group would be expected to have ${expected.toFixed(1)} ${what}; a normal approximation needs ${MIN_EXPECTED_COUNT}.`,
    };
  }
  return null;
}

/** Variance of the difference of rates under no effect: p̂(1 - p̂)(1/nₜ + 1/n꜀), p̂ pooled. */
export function pooledRateVariance(treatment: Proportion, control: Proportion): number {
  const pooled = (treatment.successes + control.successes) / (treatment.trials + control.trials);
  return pooled * (1 - pooled) * (1 / treatment.trials + 1 / control.trials);
}

/**
 * The treatment and control rates that maximise the likelihood when their difference is `delta`:
 * the closed-form root of the cubic score equation (Miettinen & Nurminen 1985, appendix; the same
 * as Farrington & Manning 1990), clamped into the range a rate pair with that difference can take.
 */
function restrictedRates(treatment: Proportion, control: Proportion, delta: number): [number, number] {
  const p1 = rate(treatment);
  const p2 = rate(control);
  const theta = control.trials / treatment.trials;
  const a = 1 + theta;
  const b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2));
  const c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2;
  const d = -p1 * delta * (1 + delta);
  const v = b ** 3 / (3 * a) ** 3 - (b * c) / (6 * a * a) + d / (2 * a);
  const u = (v < 0 ? -1 : 1) * Math.sqrt(Math.max(0, (b * b) / (3 * a) ** 2 - c / (3 * a)));
  const cosine = u === 0 ? 0 : Math.min(1, Math.max(-1, v / u ** 3));
  const w = (Math.PI + Math.acos(cosine)) / 3;
  const r1 = Math.min(Math.min(1, 1 + delta), Math.max(Math.max(0, delta), 2 * u * Math.cos(w) - b / (3 * a)));
  return [r1, r1 - delta];
}

/** Score statistic of "treatment rate - control rate = delta", its variance at the restricted rates. */
function scoreStatistic(treatment: Proportion, control: Proportion, delta: number): number {
  const [r1, r2] = restrictedRates(treatment, control, delta);
  const numerator = rate(treatment) - rate(control) - delta;
  const variance = (r1 * (1 - r1)) / treatment.trials + (r2 * (1 - r2)) / control.trials;
  if (!(variance > 0)) return numerator === 0 ? 0 : numerator > 0 ? Infinity : -Infinity;
  return numerator / Math.sqrt(variance);
}

/** The delta in [low, high] where the decreasing `f` crosses 0, by bisection to the last bit. */
function bisect(f: (delta: number) => number, low: number, high: number): number {
  for (let i = 0; i < 200; i++) {
    const middle = (low + high) / 2;
    if (middle === low || middle === high) break;
    if (f(middle) > 0) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * The (1 - alpha) score interval of treatment rate - control rate (Mee 1984): every difference δ
 * that the score test of "difference = δ" does not reject. At δ = 0 that test is the pooled
 * z-test, so the interval contains 0 exactly when the z-test's p-value is at least alpha. Unlike
 * the Wald interval it stays within [-1, 1] and does not collapse when a group's rate is 0 or 1.
 * Needs both groups non-empty.
 */
export function rateDifferenceScoreInterval(treatment: Proportion, control: Proportion, alpha = 0.05): { ciLow: number; ciHigh: number } {
  const q = normalQuantile(1 - alpha / 2);
  const difference = rate(treatment) - rate(control);
  const ciLow = difference <= -1 ? -1 : bisect((delta) => scoreStatistic(treatment, control, delta) - q, -1, difference);
  const ciHigh = difference >= 1 ? 1 : bisect((delta) => scoreStatistic(treatment, control, delta) + q, difference, 1);
  return { ciLow, ciHigh };
}

/**
 * Two-proportion z-test of treatment rate - control rate, two-sided, with the pooled rate (the
 * null hypothesis says the rates are equal), and the score interval that inverts the same test
 * (`rateDifferenceScoreInterval`), so interval and p-value never disagree. Withheld
 * (`too_small`) when a group is expected to have fewer than MIN_EXPECTED_COUNT successes or
 * failures under no effect (`rateComparisonWithheld`).
 */
export function twoProportionTest(treatment: Proportion, control: Proportion, alpha = 0.05): Comparison {
  const pt = rate(treatment);
  const pc = rate(control);
  const difference = pt - pc;
  const base = { treatment: pt, control: pc, difference, relative: relativeTo(difference, pc) };
  const withheld = rateComparisonWithheld(treatment, control);
  if (withheld) return { ...withheld, ...base };
  const z = difference / Math.sqrt(pooledRateVariance(treatment, control));
  return {
    status: 'ok',
    ...base,
    ...rateDifferenceScoreInterval(treatment, control, alpha),
    pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))),
    statistic: z,
    degreesOfFreedom: null,
  };
}
