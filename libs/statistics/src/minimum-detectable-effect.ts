import { normalQuantile } from './distributions';

export type MdeOptions = {
  treatmentSize: number;
  controlSize: number;
  /** Two-sided significance level; 0.05 by default. */
  alpha?: number;
  /** Probability of detecting an effect of the returned size; 0.8 by default. */
  power?: number;
};

/**
 * Smallest true difference in means a two-sided test at `alpha` detects with `power`, for groups
 * of these sizes whose values have this standard deviation: (z(1-α/2) + z(power)) σ √(1/n₁ + 1/n₂).
 * null when a group is empty. The console uses it to size control groups before a send.
 */
export function minimumDetectableEffect(standardDeviation: number, options: MdeOptions): number | null {
  const { treatmentSize, controlSize, alpha = 0.05, power = 0.8 } = options;
  if (treatmentSize < 1 || controlSize < 1) return null;
  const multiplier = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return multiplier * standardDeviation * Math.sqrt(1 / treatmentSize + 1 / controlSize);
}

/** The same for a rate (purchase rate, click rate) around a baseline rate p: σ = √(p(1-p)). */
export function minimumDetectableRateDifference(baselineRate: number, options: MdeOptions): number | null {
  return minimumDetectableEffect(Math.sqrt(baselineRate * (1 - baselineRate)), options);
}
