/** What a two-sample test needs of one group: its size, mean and sample variance (n - 1). */
export type SampleSummary = {
  n: number;
  mean: number;
  /** Unbiased sample variance; 0 when n < 2. */
  variance: number;
  /** Third central moment Σ(y - ȳ)³ / n, for the skewness correction; 0 when unknown. */
  thirdMoment?: number;
};

/**
 * Sums of one group's values, as SQL computes them set-wise (`count`, `sum(y)`, `sum(y*y)`).
 * Customers without a value count with 0: their rows add to `n` and nothing else.
 */
export type SampleSums = { n: number; sum: number; sumOfSquares: number; sumOfCubes?: number };

export function summaryFromSums({ n, sum, sumOfSquares, sumOfCubes }: SampleSums): SampleSummary {
  if (n === 0) return { n, mean: 0, variance: 0 };
  const mean = sum / n;
  // Centred form; clamp the rounding noise of a near-constant sample at 0.
  const variance = n < 2 ? 0 : Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  const thirdMoment = sumOfCubes === undefined ? 0 : sumOfCubes / n - (3 * mean * sumOfSquares) / n + 2 * mean * mean * mean;
  return { n, mean, variance, thirdMoment };
}

/** Summary of raw values (two passes, for tests and small samples). */
export function summarize(values: ArrayLike<number>): SampleSummary {
  const n = values.length;
  if (n === 0) return { n, mean: 0, variance: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  let cubes = 0;
  for (let i = 0; i < n; i++) {
    const deviation = values[i] - mean;
    squares += deviation * deviation;
    cubes += deviation * deviation * deviation;
  }
  return { n, mean, variance: n < 2 ? 0 : squares / (n - 1), thirdMoment: cubes / n };
}
