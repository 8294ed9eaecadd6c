import fc from 'fast-check';
import {
  MIN_EXPECTED_COUNT,
  sequentialProportionTest,
  twoProportionTest,
  type Comparison,
  type Proportion,
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
