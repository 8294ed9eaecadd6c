export * from './distributions';
export * from './summary';
export * from './comparison';
export { welchTest, skewGuardedWelchTest, differenceSkewness, pooledVariance, withSpread, MAX_SKEWNESS } from './welch';
export {
  twoProportionTest,
  rateDifferenceScoreInterval,
  rateComparisonWithheld,
  pooledRateVariance,
  MIN_EXPECTED_COUNT,
  type Proportion,
} from './proportions';
export { minimumDetectableEffect, minimumDetectableRateDifference, type MdeOptions } from './minimum-detectable-effect';
export { holmAdjust } from './holm';
export { sampleRatioCheck, type SampleRatioCheck } from './sample-ratio';
export { cupedTest, type CovariateSums, type CupedResult } from './cuped';
export { mixtureSequentialTest, sequentialMeanTest, sequentialProportionTest, type SequentialInput, type SequentialResult } from './sequential';
