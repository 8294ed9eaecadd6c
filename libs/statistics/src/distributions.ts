// Distribution functions the tests need, to double precision where it matters (checked against
// SciPy to 1e-6 and better in reference.spec.ts). Classical algorithms: Lanczos log-gamma,
// Lentz continued fractions for the incomplete beta and gamma functions (Numerical Recipes,
// 3rd ed., 6.2 and 6.4), Acklam's normal quantile refined by Newton steps.

// Math's functions bound once: inside Jest's vm sandbox every `Math.x` is a slow global lookup
// (the simulation ran ten times slower than in plain Node).
const { abs, exp, log, log1p, sqrt, sin, max, PI } = Math;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
// Just above double rounding (2.2e-16): a tighter bound is never met and the loops run to the cap.
const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return log(PI / abs(sin(PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * log(2 * PI) + (z + 0.5) * log(t) - t + log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (abs(delta - 1) < EPSILON) return h;
  }
  throw new Error(`incomplete beta did not converge for a=${a}, b=${b}, x=${x}`);
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = exp(-x + a * log(x) - logGamma(a));
  if (x < a + 1) {
    // Series for P(a, x).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (abs(term) < abs(sum) * EPSILON) return 1 - sum * front;
    }
    throw new Error(`incomplete gamma series did not converge for a=${a}, x=${x}`);
  }
  // Continued fraction for Q(a, x).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (abs(delta - 1) < EPSILON) return front * h;
  }
  throw new Error(`incomplete gamma fraction did not converge for a=${a}, x=${x}`);
}

/** P(Z > z) for a standard normal Z, accurate in the far tail. */
export function normalSurvival(z: number): number {
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z >= 0 ? tail : 1 - tail;
}

/** Φ(z) = P(Z <= z). */
export function normalCdf(z: number): number {
  return normalSurvival(-z);
}

export function normalPdf(z: number): number {
  return exp(-0.5 * z * z) / sqrt(2 * PI);
}

const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p) for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`normalQuantile needs 0 <= p <= 1, got ${p}`);
  }
  const low = 0.02425;
  let x: number;
  if (p < low || p > 1 - low) {
    const q = sqrt(-2 * log(p < low ? p : 1 - p));
    const value =
      (((((ACKLAM_C[0] * q + ACKLAM_C[1]) * q + ACKLAM_C[2]) * q + ACKLAM_C[3]) * q + ACKLAM_C[4]) * q + ACKLAM_C[5]) /
      ((((ACKLAM_D[0] * q + ACKLAM_D[1]) * q + ACKLAM_D[2]) * q + ACKLAM_D[3]) * q + 1);
    x = p < low ? value : -value;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((ACKLAM_A[0] * r + ACKLAM_A[1]) * r + ACKLAM_A[2]) * r + ACKLAM_A[3]) * r + ACKLAM_A[4]) * r + ACKLAM_A[5]) * q) /
      (((((ACKLAM_B[0] * r + ACKLAM_B[1]) * r + ACKLAM_B[2]) * r + ACKLAM_B[3]) * r + ACKLAM_B[4]) * r + 1);
  }
  // Acklam's approximation is good to about 1e-9; two Halley steps bring it to double precision.
  for (let i = 0; i < 2; i++) {
    const error = p < 0.5 ? normalCdf(x) - p : 1 - p - normalSurvival(x);
    const u = error / normalPdf(x);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}

/** P(T > t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom. */
export function studentTSurvival(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalSurvival(t);
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

export function studentTCdf(t: number, df: number): number {
  return studentTSurvival(-t, df);
}

function studentTPdf(t: number, df: number): number {
  return exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * log(df * PI) - ((df + 1) / 2) * log1p((t * t) / df));
}

/** The t with P(T <= t) = p: Newton steps from the normal quantile, kept inside a bracket. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1, got ${p}`);
  if (!Number.isFinite(df)) return normalQuantile(p);
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  if (p === 0.5) return 0;
  // Solve for the lower tail: P(T <= t) = p with t < 0.
  let low = -1;
  while (studentTCdf(low, df) > p) low *= 2;
  let high = 0;
  let t = max(low, Math.min(high, normalQuantile(p)));
  for (let i = 0; i < 200; i++) {
    const cdf = studentTCdf(t, df);
    const error = cdf - p;
    if (error > 0) high = t;
    else low = t;
    let next = t - error / studentTPdf(t, df);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (error === 0 || abs(next - t) <= 1e-13 * max(1, abs(t))) return next;
    t = next;
  }
  return t;
}

/** P(X > x) for a chi-square variable with k degrees of freedom. */
export function chiSquareSurvival(x: number, k: number): number {
  return regularizedGammaQ(k / 2, x / 2);
}
