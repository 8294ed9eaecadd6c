import {
  cupedTest,
  holmAdjust,
  minimumDetectableEffect,
  minimumDetectableRateDifference,
  sampleRatioCheck,
  sequentialMeanTest,
  sequentialProportionTest,
  skewGuardedWelchTest,
  differenceSkewness,
  summarize,
  summaryFromSums,
  twoProportionTest,
  welchTest,
} from './index';

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

describe('edge cases', () => {
  it('should give no p-value when nobody bought in either group (all-zero revenue), not a made-up one', () => {
    const result = welchTest(summarize(zeros(500)), summarize(zeros(50)));
    expect(result).toEqual({ status: 'no_variation', treatment: 0, control: 0, difference: 0, relative: null });
    expect(twoProportionTest({ successes: 0, trials: 500 }, { successes: 0, trials: 50 }).status).toBe('no_variation');
    expect(sequentialMeanTest(summarize(zeros(500)), summarize(zeros(50)), 1).status).toBe('no_variation');
  });

  it('should refuse an empty or one-member control', () => {
    expect(welchTest(summarize([1, 2, 3]), summarize([])).status).toBe('too_small');
    expect(welchTest(summarize([1, 2, 3]), summarize([5])).status).toBe('too_small');
    expect(twoProportionTest({ successes: 3, trials: 10 }, { successes: 0, trials: 0 }).status).toBe('too_small');
    expect(sequentialProportionTest({ successes: 3, trials: 10 }, { successes: 0, trials: 0 }, null).status).toBe('too_small');
    expect(minimumDetectableEffect(10, { treatmentSize: 100, controlSize: 0 })).toBeNull();
  });

  it('should test one purchaser against an all-zero control with a finite, unimpressive p-value', () => {
    const result = welchTest(summarize([...zeros(99), 120]), summarize(zeros(40)));
    if (result.status !== 'ok') throw new Error(result.status);
    // One purchase of 120 among 100: t = 1 on 99 degrees of freedom.
    expect(result.statistic).toBeCloseTo(1, 12);
    expect(result.degreesOfFreedom).toBeCloseTo(99, 9);
    expect(result.pValue).toBeGreaterThan(0.3);
    expect(result.relative).toBeNull();
  });

  it('should handle zero variance in one group only', () => {
    const result = welchTest(summarize([10, 10, 10, 10]), summarize([8, 9, 10, 11, 12]));
    if (result.status !== 'ok') throw new Error(result.status);
    expect(result.degreesOfFreedom).toBeCloseTo(4, 9);
    expect(result.ciLow).toBeLessThan(0);
    expect(result.ciHigh).toBeGreaterThan(0);
  });

  it('should give Welch when the difference is not too skewed, and withhold figures when a few big orders in a small group make it so', () => {
    const treatment = summarize([1, 2, 3, 4, 5, 6]);
    const control = summarize([2, 3, 4, 5, 6, 7, 8]);
    expect(skewGuardedWelchTest(treatment, control)).toEqual(welchTest(treatment, control));
    const large = summarize([...zeros(5_000), 300, 250, 400, 350, 280]);
    const small = summarize(zeros(100));
    expect(Math.abs(differenceSkewness(large, small)!)).toBeGreaterThan(2);
    expect(welchTest(large, small).status).toBe('ok');
    expect(skewGuardedWelchTest(large, small)).toMatchObject({ status: 'too_skewed', difference: welchTest(large, small).difference });
  });

  it('should compute summaries from SQL-style sums like from raw values', () => {
    const values = [0, 0, 12.5, 0, 99.99, 3];
    const sums = { n: 6, sum: values.reduce((a, b) => a + b, 0), sumOfSquares: values.reduce((a, b) => a + b * b, 0), sumOfCubes: values.reduce((a, b) => a + b ** 3, 0) };
    const fromSums = summaryFromSums(sums);
    const direct = summarize(values);
    expect(fromSums.mean).toBeCloseTo(direct.mean, 12);
    expect(fromSums.variance).toBeCloseTo(direct.variance, 9);
    expect(fromSums.thirdMoment!).toBeCloseTo(direct.thirdMoment!, 6);
    expect(summaryFromSums({ n: 0, sum: 0, sumOfSquares: 0 })).toEqual({ n: 0, mean: 0, variance: 0 });
  });

  it('should not adjust CUPED when the pre-period covariate is constant', () => {
    const group = { n: 3, sumY: 6, sumY2: 14, sumX: 0, sumX2: 0, sumXY: 0 };
    const result = cupedTest(group, { n: 3, sumY: 3, sumY2: 5, sumX: 0, sumX2: 0, sumXY: 0 });
    expect(result.theta).toBe(0);
    expect(result.varianceReduction).toBe(0);
  });

  it('should say nothing about a split of one group or of nobody, and flag a planned-empty group that has members', () => {
    expect(sampleRatioCheck([100], [1])).toBeNull();
    expect(sampleRatioCheck([0, 0], [0.9, 0.1])).toBeNull();
    expect(sampleRatioCheck([90, 10], [1, 0])).toMatchObject({ mismatch: true, pValue: 0 });
    expect(() => sampleRatioCheck([1, 2], [1])).toThrow(RangeError);
  });

  it('should keep Holm-adjusted p-values monotone and at most 1', () => {
    expect(holmAdjust([0.9, 0.8, 0.01])).toEqual([1, 1, 0.03]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('should give a larger detectable rate difference for smaller groups', () => {
    expect(minimumDetectableRateDifference(0.05, { treatmentSize: 500, controlSize: 500 })!).toBeGreaterThan(
      minimumDetectableRateDifference(0.05, { treatmentSize: 50_000, controlSize: 5_000 })!,
    );
  });
});
