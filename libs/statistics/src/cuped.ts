import type { Comparison } from './comparison';
import { skewGuardedWelchTest } from './welch';
import type { SampleSummary } from './summary';

/**
 * One group's sums of the outcome y and the pre-period covariate x (the same customers' revenue
 * over the same length of time before the send), as SQL computes them set-wise.
 */
export type CovariateSums = {
  n: number;
  sumY: number;
  sumY2: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
  /** Σy³, Σx³, Σx²y, Σxy²: optional, for the skewness correction of the adjusted outcome. */
  sumY3?: number;
  sumX3?: number;
  sumX2Y?: number;
  sumXY2?: number;
};

export type CupedResult = {
  /** θ = cov(x, y) / var(x) over both groups; 0 when x does not vary. */
  theta: number;
  /** Share of the difference's variance the adjustment removed (0..1; can be slightly negative). */
  varianceReduction: number;
  /** The revenue test (`skewGuardedWelchTest`) on the adjusted outcome y - θ(x - x̄). */
  comparison: Comparison;
  /** The adjusted groups, for a sequential test on them. */
  treatment: SampleSummary;
  control: SampleSummary;
};

function adjustedSummary(group: CovariateSums, theta: number, overallMeanX: number): SampleSummary {
  const { n } = group;
  if (n === 0) return { n, mean: 0, variance: 0 };
  const meanY = group.sumY / n;
  const meanX = group.sumX / n;
  if (n < 2) return { n, mean: meanY - theta * (meanX - overallMeanX), variance: 0 };
  const varY = (group.sumY2 - n * meanY * meanY) / (n - 1);
  const varX = (group.sumX2 - n * meanX * meanX) / (n - 1);
  const covXY = (group.sumXY - n * meanX * meanY) / (n - 1);
  // Third central moment of u = y - θx (a shift does not change it), from the raw sums.
  let thirdMoment: number | undefined;
  if (group.sumY3 !== undefined && group.sumX3 !== undefined && group.sumX2Y !== undefined && group.sumXY2 !== undefined) {
    const sumU = group.sumY - theta * group.sumX;
    const sumU2 = group.sumY2 - 2 * theta * group.sumXY + theta * theta * group.sumX2;
    const sumU3 = group.sumY3 - 3 * theta * group.sumXY2 + 3 * theta * theta * group.sumX2Y - theta * theta * theta * group.sumX3;
    const meanU = sumU / n;
    thirdMoment = sumU3 / n - (3 * meanU * sumU2) / n + 2 * meanU * meanU * meanU;
  }
  return { n, mean: meanY - theta * (meanX - overallMeanX), variance: Math.max(0, varY + theta * theta * varX - 2 * theta * covXY), thirdMoment };
}

function plainSummary(group: CovariateSums): SampleSummary {
  return adjustedSummary(group, 0, 0);
}

/**
 * CUPED (Deng, Xu, Kohavi, Walker 2013): the treatment effect on y with the part of y that the
 * pre-period covariate predicts removed. x is measured before the send, so the adjustment cannot
 * bias the difference; it only narrows the interval when x predicts y.
 */
export function cupedTest(treatment: CovariateSums, control: CovariateSums, alpha = 0.05): CupedResult {
  const n = treatment.n + control.n;
  const sumX = treatment.sumX + control.sumX;
  const sumY = treatment.sumY + control.sumY;
  const meanX = n > 0 ? sumX / n : 0;
  const meanY = n > 0 ? sumY / n : 0;
  const varX = n > 1 ? (treatment.sumX2 + control.sumX2 - n * meanX * meanX) / (n - 1) : 0;
  const covXY = n > 1 ? (treatment.sumXY + control.sumXY - n * meanX * meanY) / (n - 1) : 0;
  const theta = varX > 1e-12 * Math.max(1, meanX * meanX) ? covXY / varX : 0;
  const adjustedT = adjustedSummary(treatment, theta, meanX);
  const adjustedC = adjustedSummary(control, theta, meanX);
  const comparison = skewGuardedWelchTest(adjustedT, adjustedC, alpha);
  const plainT = plainSummary(treatment);
  const plainC = plainSummary(control);
  const plainVariance = (treatment.n > 0 ? plainT.variance / treatment.n : 0) + (control.n > 0 ? plainC.variance / control.n : 0);
  const adjustedVariance = (treatment.n > 0 ? adjustedT.variance / treatment.n : 0) + (control.n > 0 ? adjustedC.variance / control.n : 0);
  return { theta, varianceReduction: plainVariance > 0 ? 1 - adjustedVariance / plainVariance : 0, comparison, treatment: adjustedT, control: adjustedC };
}
