import fc from 'fast-check';
import {
  MIN_EXPECTED_COUNT,
  sequentialMeanTest,
  sequentialProportionTest,
  skewGuardedWelchTest,
  twoProportionTest,
  type Comparison,
  type Proportion,
  type SampleSummary,
} from './index';

// Properties over many generated groups, small and degenerate ones on purpose: a size of 1 to
// 40 half of the time, and successes near 0 or near all of the trials half of the time.
const trials = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5_000 }));
const group: fc.Arbitrary<Proportion> = trials.chain((n) =>
  fc
    .oneof(fc.integer({ min: 0, max: Math.min(n, 6) }), fc.integer({ min: Math.max(0, n - 6), max: n }), fc.integer({ min: 0, max: n }))
    .map((successes) => ({ successes, trials: n })),
);
const alpha = fc.constantFrom(0.01, 0.05, 0.1);
/** The mixture variance the analysis plans from the pre-period: none, 0 (nobody bought then), or some. */
const mixtureVariance = fc.oneof(fc.constant(null), fc.constant(0), fc.double({ min: 1e-8, max: 1, noNaN: true }));

/** The smallest count of successes or failures a group is expected to have when the rates are equal. */
function smallestExpectedCount(t: Proportion, c: Proportion): number {
  const pooled = (t.successes + c.successes) / (t.trials + c.trials);
  return Math.min(t.trials, c.trials) * Math.min(pooled, 1 - pooled);
}

/** Interval and p-value say the same: 0 is inside exactly when p >= alpha (boundary ties skipped). */
function agrees(result: Comparison, level: number): boolean {
  if (result.status !== 'ok' || Math.abs(result.pValue - level) < 1e-9) return true;
  return (result.ciLow <= 0 && 0 <= result.ciHigh) === result.pValue >= level;
}

describe('properties of the rate comparisons', () => {
  it('should give no figures, so no significance, when a group is expected to have fewer than 5 successes or 5 failures under no effect', () => {
    fc.assert(
      fc.property(group, group, mixtureVariance, (t, c, w) => {
        fc.pre(t.successes + c.successes > 0 && t.successes + c.successes < t.trials + c.trials);
        fc.pre(smallestExpectedCount(t, c) < MIN_EXPECTED_COUNT);
        expect(twoProportionTest(t, c).status).toBe('too_small');
        expect(sequentialProportionTest(t, c, w).status).toBe('too_small');
      }),
      { numRuns: 2_000 },
    );
  });

  it('should never give figures for a group of fewer than 10 customers', () => {
    fc.assert(
      fc.property(group, group, mixtureVariance, (t, c, w) => {
        fc.pre(Math.min(t.trials, c.trials) < 10);
        expect(twoProportionTest(t, c).status).not.toBe('ok');
        expect(sequentialProportionTest(t, c, w).status).not.toBe('ok');
      }),
      { numRuns: 1_000 },
    );
  });

  it('should give an interval that contains 0 exactly when the p-value is at least alpha, fixed-horizon and sequential', () => {
    fc.assert(
      fc.property(group, group, mixtureVariance, alpha, (t, c, w, level) => {
        expect(agrees(twoProportionTest(t, c, level), level)).toBe(true);
        expect(agrees(sequentialProportionTest(t, c, w, level), level)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('properties of the mean comparisons', () => {
  // Revenue per customer: a mean, a variance that is 0 a third of the time (nobody bought yet).
  const summary: fc.Arbitrary<SampleSummary> = fc.record({
    n: fc.oneof(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 50_000 })),
    mean: fc.double({ min: 0, max: 200, noNaN: true }),
    variance: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e5, noNaN: true }), fc.double({ min: 1e-6, max: 1e5, noNaN: true })),
  });
  const pooledWithin = (t: SampleSummary, c: SampleSummary): number => ((t.n - 1) * t.variance + (c.n - 1) * c.variance) / (t.n + c.n - 2);

  it('should never be more significant while the window runs than with both groups at their pooled within-group variance', () => {
    fc.assert(
      fc.property(summary, summary, mixtureVariance, (t, c, w) => {
        const pooled = pooledWithin(t, c);
        fc.pre(pooled > 0);
        const actual = sequentialMeanTest(t, c, w);
        const atPooled = sequentialMeanTest({ ...t, variance: pooled }, { ...c, variance: pooled }, w);
        if (actual.status !== 'ok' || atPooled.status !== 'ok') throw new Error('expected figures');
        expect(actual.pValue).toBeGreaterThanOrEqual(atPooled.pValue * (1 - 1e-9));
      }),
      { numRuns: 3_000 },
    );
  });

  it('should give an interval that contains 0 exactly when the p-value is at least alpha, fixed-horizon and sequential', () => {
    fc.assert(
      fc.property(summary, summary, mixtureVariance, alpha, (t, c, w, level) => {
        expect(agrees(skewGuardedWelchTest(t, c, level), level)).toBe(true);
        expect(agrees(sequentialMeanTest(t, c, w, level), level)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });
});
