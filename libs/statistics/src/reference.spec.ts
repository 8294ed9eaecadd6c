import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chiSquareSurvival,
  cupedTest,
  holmAdjust,
  logGamma,
  minimumDetectableEffect,
  mixtureSequentialTest,
  normalCdf,
  normalQuantile,
  normalSurvival,
  rateDifferenceScoreInterval,
  regularizedBeta,
  sampleRatioCheck,
  sequentialMeanTest,
  sequentialProportionTest,
  skewGuardedWelchTest,
  studentTQuantile,
  studentTSurvival,
  summarize,
  twoProportionTest,
  welchTest,
  type Comparison,
  type CovariateSums,
} from './index';

// Values computed independently with SciPy: see test/reference/README.md.
type Reference = {
  normal: { z: number; cdf: number; sf: number }[];
  normalQuantile: { p: number; q: number }[];
  studentT: { t: number; df: number; sf: number }[];
  studentTQuantile: { p: number; df: number; q: number }[];
  chiSquare: { x: number; k: number; sf: number }[];
  logGamma: { x: number; value: number }[];
  regularizedBeta: { x: number; a: number; b: number; value: number }[];
  welch: { name: string; treatment: number[]; control: number[]; statistic: number; pValue: number; df: number; difference: number; ciLow: number; ciHigh: number }[];
  twoProportion: { name: string; treatment: [number, number]; control: [number, number]; statistic: number; pValue: number; ciLow: number; ciHigh: number }[];
  sampleRatio: { observed: number[]; shares: number[]; chiSquare: number; pValue: number }[];
  holm: { pValues: number[]; adjusted: number[] }[];
  mde: { sd: number; nt: number; nc: number; alpha: number; power: number; value: number }[];
  cuped: { name: string; treatmentY: number[]; treatmentX: number[]; controlY: number[]; controlX: number[]; theta: number; statistic: number; pValue: number; df: number; difference: number; ciLow: number; ciHigh: number }[];
  sequential: { difference: number; variance: number; mixtureVariance: number; alpha: number; likelihoodRatio: number; pValue: number; ciLow: number; ciHigh: number }[];
  twoProportionWithheld: { name: string; treatment: [number, number]; control: [number, number]; fisherExactPValue: number; zTestPValue: number }[];
  scoreInterval: { treatment: [number, number]; control: [number, number]; ciLow: number; ciHigh: number; published: [number, number] }[];
  sequentialProportion: { name: string; treatment: [number, number]; control: [number, number]; mixtureVariance: number | null; likelihoodRatio: number; pValue: number; ciLow: number; ciHigh: number }[];
  sequentialMean: { name: string; treatment: number[]; control: number[]; mixtureVariance: number | null; likelihoodRatio: number; pValue: number; ciLow: number; ciHigh: number }[];
  revenueWithoutSpread: { name: string; treatment: number[]; control: number[]; statistic: number; pValue: number; df: number; difference: number; ciLow: number; ciHigh: number; plainWelchPValue: number }[];
};

const reference = JSON.parse(readFileSync(join(__dirname, '..', 'test', 'reference', 'reference-values.json'), 'utf8')) as Reference;

/** Agreement to 1e-6: relative for values of 1 and more, absolute below. */
function expectClose(actual: number | null | undefined, expected: number, what: string): void {
  const tolerance = 1e-6 * Math.max(1, Math.abs(expected));
  if (actual === null || actual === undefined || !(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what}: expected ${expected}, got ${String(actual)} (tolerance ${tolerance})`);
  }
}

/** Relative agreement to 1e-6, for tail probabilities far below 1. */
function expectRelative(actual: number, expected: number, what: string): void {
  if (!(Math.abs(actual - expected) <= 1e-6 * Math.abs(expected))) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

function ok(comparison: Comparison): Extract<Comparison, { status: 'ok' }> {
  if (comparison.status !== 'ok') throw new Error(`expected figures, got status ${comparison.status}`);
  return comparison;
}

type WelchFigures = { difference: number; statistic: number; df: number; pValue: number; ciLow: number; ciHigh: number };

/** A t-test's figures against SciPy's. */
function expectWelchFigures(comparison: Comparison, c: WelchFigures): void {
  const result = ok(comparison);
  expectClose(result.difference, c.difference, 'difference');
  expectClose(result.statistic, c.statistic, 't');
  expectClose(result.degreesOfFreedom, c.df, 'df');
  expectClose(result.pValue, c.pValue, 'p');
  expectClose(result.ciLow, c.ciLow, 'ciLow');
  expectClose(result.ciHigh, c.ciHigh, 'ciHigh');
}

/** A sequential test's figures against the numerically integrated mixture. */
function expectSequentialFigures(comparison: Comparison, c: { likelihoodRatio: number; pValue: number; ciLow: number; ciHigh: number }): void {
  const result = ok(comparison);
  expectClose(result.statistic, c.likelihoodRatio, 'Λ');
  expectClose(result.pValue, c.pValue, 'p');
  expectClose(result.ciLow, c.ciLow, 'ciLow');
  expectClose(result.ciHigh, c.ciHigh, 'ciHigh');
}

function covariateSums(y: number[], x: number[]): CovariateSums {
  let sumY = 0, sumY2 = 0, sumX = 0, sumX2 = 0, sumXY = 0;
  y.forEach((value, i) => {
    sumY += value;
    sumY2 += value * value;
    sumX += x[i];
    sumX2 += x[i] * x[i];
    sumXY += x[i] * value;
  });
  return { n: y.length, sumY, sumY2, sumX, sumX2, sumXY };
}

describe('statistics against SciPy', () => {
  it('should agree on the normal distribution, tails included, relatively to 1e-6', () => {
    for (const { z, cdf, sf } of reference.normal) {
      expectRelative(normalCdf(z), cdf, `Φ(${z})`);
      expectRelative(normalSurvival(z), sf, `1 - Φ(${z})`);
    }
    for (const { p, q } of reference.normalQuantile) expectClose(normalQuantile(p), q, `Φ⁻¹(${p})`);
  });

  it("should agree on Student's t for whole and fractional degrees of freedom", () => {
    for (const { t, df, sf } of reference.studentT) expectRelative(studentTSurvival(t, df), sf, `P(T_${df} > ${t})`);
    for (const { p, df, q } of reference.studentTQuantile) expectClose(studentTQuantile(p, df), q, `t_${df}(${p})`);
  });

  it('should agree on chi-square tails, log-gamma and the incomplete beta function', () => {
    for (const { x, k, sf } of reference.chiSquare) expectRelative(chiSquareSurvival(x, k), sf, `P(χ²_${k} > ${x})`);
    for (const { x, value } of reference.logGamma) expectClose(logGamma(x), value, `lnΓ(${x})`);
    for (const { x, a, b, value } of reference.regularizedBeta) expectClose(regularizedBeta(x, a, b), value, `I_${x}(${a}, ${b})`);
  });

  it.each(reference.welch.map((c) => [c.name, c] as const))("should agree with scipy's Welch test: %s", (_name, c) => {
    expectWelchFigures(welchTest(summarize(c.treatment), summarize(c.control)), c);
  });

  it.each(reference.twoProportion.map((c) => [c.name, c] as const))('should agree on the two-proportion z-test and its score interval: %s', (_name, c) => {
    const result = ok(twoProportionTest({ successes: c.treatment[0], trials: c.treatment[1] }, { successes: c.control[0], trials: c.control[1] }));
    expectClose(result.statistic, c.statistic, 'z');
    expectClose(result.pValue, c.pValue, 'p');
    expectClose(result.ciLow, c.ciLow, 'ciLow');
    expectClose(result.ciHigh, c.ciHigh, 'ciHigh');
  });

  it.each(reference.twoProportionWithheld.map((c) => [c.name, c] as const))(
    'should give no rate figures where a group is expected to have fewer than 5 successes or failures: %s',
    (_name, c) => {
      const treatment = { successes: c.treatment[0], trials: c.treatment[1] };
      const control = { successes: c.control[0], trials: c.control[1] };
      for (const result of [twoProportionTest(treatment, control), sequentialProportionTest(treatment, control, null), sequentialProportionTest(treatment, control, 1e-4)]) {
        expect(result.status).toBe('too_small');
        expect(result.status === 'ok' ? null : result.reason).toMatch(/expected/);
      }
    },
  );

  it("should agree with SciPy and with Newcombe's published bounds on the score interval of a difference of rates", () => {
    for (const c of reference.scoreInterval) {
      const what = `${c.treatment.join('/')} - ${c.control.join('/')}`;
      const interval = rateDifferenceScoreInterval({ successes: c.treatment[0], trials: c.treatment[1] }, { successes: c.control[0], trials: c.control[1] });
      expectClose(interval.ciLow, c.ciLow, `ciLow of ${what}`);
      expectClose(interval.ciHigh, c.ciHigh, `ciHigh of ${what}`);
      expect(Math.abs(interval.ciLow - c.published[0])).toBeLessThanOrEqual(5e-5);
      expect(Math.abs(interval.ciHigh - c.published[1])).toBeLessThanOrEqual(5e-5);
    }
  });

  it.each(reference.sequentialProportion.map((c) => [c.name, c] as const))('should agree on the sequential rate test with the pooled variance: %s', (_name, c) => {
    expectSequentialFigures(sequentialProportionTest({ successes: c.treatment[0], trials: c.treatment[1] }, { successes: c.control[0], trials: c.control[1] }, c.mixtureVariance), c);
  });

  it.each(reference.sequentialMean.map((c) => [c.name, c] as const))('should agree on the sequential mean test, its variance never below the pooled: %s', (_name, c) => {
    // No mixture variance planned (null), or none to plan from (0: nobody bought in the pre-period), give the same.
    for (const mixtureVariance of c.mixtureVariance === null ? [null, 0] : [c.mixtureVariance]) {
      expectSequentialFigures(sequentialMeanTest(summarize(c.treatment), summarize(c.control), mixtureVariance), c);
    }
  });

  it.each(reference.revenueWithoutSpread.map((c) => [c.name, c] as const))(
    'should give a group without spread the pooled variance in the revenue test, where plain Welch would not: %s',
    (_name, c) => {
      expectWelchFigures(skewGuardedWelchTest(summarize(c.treatment), summarize(c.control)), c);
      expectClose(ok(welchTest(summarize(c.treatment), summarize(c.control))).pValue, c.plainWelchPValue, 'plain Welch p');
    },
  );

  it('should agree on the sample-ratio chi-square', () => {
    for (const c of reference.sampleRatio) {
      const result = sampleRatioCheck(c.observed, c.shares)!;
      expectClose(result.chiSquare, c.chiSquare, `χ² of ${c.observed.join('/')}`);
      expectRelative(result.pValue, c.pValue, `p of ${c.observed.join('/')}`);
      expect(result.mismatch).toBe(c.pValue < 0.001);
    }
  });

  it('should agree on Holm-adjusted p-values and the minimum detectable effect', () => {
    for (const c of reference.holm) holmAdjust(c.pValues).forEach((p, i) => expectClose(p, c.adjusted[i], `Holm ${c.pValues.join(',')}[${i}]`));
    for (const c of reference.mde) {
      expectClose(minimumDetectableEffect(c.sd, { treatmentSize: c.nt, controlSize: c.nc, alpha: c.alpha, power: c.power }), c.value, `MDE ${c.nt}/${c.nc}`);
    }
  });

  it.each(reference.cuped.map((c) => [c.name, c] as const))('should agree on the CUPED-adjusted Welch test: %s', (_name, c) => {
    const result = cupedTest(covariateSums(c.treatmentY, c.treatmentX), covariateSums(c.controlY, c.controlX));
    expectClose(result.theta, c.theta, 'θ');
    expectWelchFigures(result.comparison, c);
    expect(result.varianceReduction).toBeGreaterThan(0);
  });

  it('should agree with the numerically integrated mixture likelihood ratio and its confidence sequence', () => {
    for (const c of reference.sequential) {
      const result = mixtureSequentialTest(c);
      expectClose(result.likelihoodRatio, c.likelihoodRatio, `Λ of ${c.difference}`);
      expectClose(result.pValue, c.pValue, `p of ${c.difference}`);
      expectClose(result.ciLow, c.ciLow, `ciLow of ${c.difference}`);
      expectClose(result.ciHigh, c.ciHigh, `ciHigh of ${c.difference}`);
    }
  });
});
