import { chiSquareSurvival } from './distributions';

export type SampleRatioCheck = {
  /** Pearson's chi-square of the observed counts against the planned shares. */
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** p below the threshold (0.001 by default): the split is not what the plan said. */
  mismatch: boolean;
  expected: number[];
};

/**
 * Sample-ratio-mismatch check: chi-square goodness of fit of the observed group sizes against the
 * planned shares (normalised to sum to 1). null for fewer than two groups or no members.
 */
export function sampleRatioCheck(observed: readonly number[], plannedShares: readonly number[], threshold = 0.001): SampleRatioCheck | null {
  if (observed.length !== plannedShares.length) throw new RangeError('one planned share per observed count is needed');
  const total = observed.reduce((sum, count) => sum + count, 0);
  const shareSum = plannedShares.reduce((sum, share) => sum + share, 0);
  if (observed.length < 2 || total === 0 || !(shareSum > 0)) return null;
  const expected = plannedShares.map((share) => (total * share) / shareSum);
  let chiSquare = 0;
  for (let i = 0; i < observed.length; i++) {
    if (expected[i] === 0) {
      // A group the plan leaves empty that has members: as far from the plan as it can be.
      if (observed[i] > 0) return { chiSquare: Infinity, degreesOfFreedom: observed.length - 1, pValue: 0, mismatch: true, expected };
      continue;
    }
    chiSquare += (observed[i] - expected[i]) ** 2 / expected[i];
  }
  const degreesOfFreedom = observed.length - 1;
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < threshold, expected };
}
