import type { Comparison } from './comparison';
import { relativeTo } from './comparison';
import type { Proportion } from './proportions';
import { pooledRateVariance, rateComparisonWithheld } from './proportions';
import type { SampleSummary } from './summary';
import { pooledVariance, withSpread } from './welch';

export type SequentialInput = {
  /** Observed difference D (treatment - control) at this look. */
  difference: number;
  /** Its estimated variance V at this look (σ²ₜ/nₜ + σ²꜀/n꜀). */
  variance: number;
  /**
   * Variance W of the normal mixture over effects, fixed before the data are seen: the variance
   * the difference is expected to have when the window closes (the analysis takes it from the
   * same customers' pre-period). The test is most powerful near there.
   */
  mixtureVariance: number;
  alpha?: number;
};

export type SequentialResult = {
  /** Mixture likelihood ratio Λ = √(W/(W+V)) · exp(D² / (2(W+V))). */
  likelihoodRatio: number;
  /** Always-valid p-value min(1, 1/Λ): P(it ever falls below α under no effect) <= α. */
  pValue: number;
  /** Confidence sequence: covers the true difference at every look at once with 1 - α. */
  ciLow: number;
  ciHigh: number;
};

/**
 * Mixture sequential probability ratio test (Robbins 1970; Johari, Pekelis, Walsh 2017, "Always
 * valid inference"). The difference of cumulative revenue per customer between two fixed groups
 * grows over the window as a sum of independent daily increments: under no effect it is a
 * martingale D with variance V, and exp(λD - λ²V/2) mixed over λ ~ N(0, 1/W) is a non-negative
 * martingale with mean 1. By Ville's inequality it exceeds 1/α with probability at most α at ANY
 * look, so a marketer may look every day and stop at the first significant verdict.
 */
export function mixtureSequentialTest({ difference, variance, mixtureVariance, alpha = 0.05 }: SequentialInput): SequentialResult {
  const w = mixtureVariance;
  const total = w + variance;
  const logRatio = 0.5 * Math.log(w / total) + (difference * difference) / (2 * total);
  const likelihoodRatio = Math.exp(logRatio);
  const halfWidth = Math.sqrt(total * (2 * Math.log(1 / alpha) + Math.log(total / w)));
  return {
    likelihoodRatio,
    pValue: Math.min(1, Math.exp(-logRatio)),
    ciLow: difference - halfWidth,
    ciHigh: difference + halfWidth,
  };
}

function sequentialComparison(treatment: number, control: number, variance: number, mixtureVariance: number | null, alpha: number): Comparison {
  const difference = treatment - control;
  // Without a pre-period to plan W (none given, or nobody bought then so it is 0), the mixture is
  // centred on the current variance (documented). That is never ~0: V is floored by the caller.
  const w = mixtureVariance !== null && mixtureVariance > 0 ? mixtureVariance : variance;
  const result = mixtureSequentialTest({ difference, variance, mixtureVariance: w, alpha });
  return {
    status: 'ok',
    treatment,
    control,
    difference,
    relative: relativeTo(difference, control),
    ciLow: result.ciLow,
    ciHigh: result.ciHigh,
    pValue: result.pValue,
    statistic: result.likelihoodRatio,
    degreesOfFreedom: null,
  };
}

/**
 * The sequential counterpart of `skewGuardedWelchTest` (difference of means). V is the larger of
 * Welch's σ²ₜ/nₜ + σ²꜀/n꜀ (a group without spread given the pooled variance, `withSpread`) and
 * the pooled s²ₚ(1/nₜ + 1/n꜀), the variance of the difference under no effect. The running test
 * has no skew guard: early in the window a small group often shows no or little spread (nobody,
 * or one small order), and its own variance would make V, and so the p-value, far too small.
 */
export function sequentialMeanTest(treatment: SampleSummary, control: SampleSummary, mixtureVariance: number | null, alpha = 0.05): Comparison {
  const difference = treatment.mean - control.mean;
  const base = { treatment: treatment.mean, control: control.mean, difference, relative: relativeTo(difference, control.mean) };
  if (treatment.n < 2 || control.n < 2) return { status: 'too_small', ...base, reason: 'A group has fewer than 2 members: its spread cannot be estimated.' };
  const [t, c] = withSpread(treatment, control);
  const variance = Math.max(t.variance / t.n + c.variance / c.n, pooledVariance(treatment, control) * (1 / t.n + 1 / c.n));
  if (!(variance > 0)) return { status: 'no_variation', ...base, reason: 'Both groups are constant (nobody bought in either, or everyone spent the same): no test exists.' };
  return sequentialComparison(treatment.mean, control.mean, variance, mixtureVariance, alpha);
}

/**
 * The sequential counterpart of `twoProportionTest`: V = p̂(1 - p̂)(1/nₜ + 1/n꜀) with the pooled
 * rate p̂, the variance under no effect (a group's own rate of 0 or 1 would give it none), and the
 * same rule on expected counts (`rateComparisonWithheld`).
 */
export function sequentialProportionTest(treatment: Proportion, control: Proportion, mixtureVariance: number | null, alpha = 0.05): Comparison {
  const pt = treatment.trials > 0 ? treatment.successes / treatment.trials : 0;
  const pc = control.trials > 0 ? control.successes / control.trials : 0;
  const withheld = rateComparisonWithheld(treatment, control);
  if (withheld) return { ...withheld, treatment: pt, control: pc, difference: pt - pc, relative: relativeTo(pt - pc, pc) };
  return sequentialComparison(pt, pc, pooledRateVariance(treatment, control), mixtureVariance, alpha);
}
