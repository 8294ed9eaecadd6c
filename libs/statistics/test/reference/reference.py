#!/usr/bin/env python3
"""Reference values for libs/statistics, computed independently with SciPy.

Run with a Python 3 that has SciPy (Debian: apt-get install -y python3-scipy):
    python3 libs/statistics/test/reference/reference.py > libs/statistics/test/reference/reference-values.json
The versions used are written into the JSON ("source"). The inputs are written into the JSON
beside the values, so the TypeScript tests read the very same inputs.
"""
import json
import math
import platform

import numpy as np
import scipy
from scipy import integrate, optimize, special, stats

rng = np.random.default_rng(20261130)


def revenue(n, purchase_rate, sigma):
    """Zero-inflated log-normal revenue per customer, in cents rounded to 2 decimals."""
    buys = rng.random(n) < purchase_rate
    amounts = np.round(rng.lognormal(3.8, sigma, n), 2)
    return [float(v) for v in np.where(buys, amounts, 0.0)]


def welch(t, c, alpha=0.05):
    t = np.asarray(t, dtype=float)
    c = np.asarray(c, dtype=float)
    result = stats.ttest_ind(t, c, equal_var=False)
    vt = t.var(ddof=1) / len(t)
    vc = c.var(ddof=1) / len(c)
    df = (vt + vc) ** 2 / (vt ** 2 / (len(t) - 1) + vc ** 2 / (len(c) - 1))
    diff = t.mean() - c.mean()
    half = stats.t.ppf(1 - alpha / 2, df) * math.sqrt(vt + vc)
    return {"statistic": float(result.statistic), "pValue": float(result.pvalue), "df": float(df),
            "difference": float(diff), "ciLow": float(diff - half), "ciHigh": float(diff + half)}


out = {"source": f"SciPy {scipy.__version__} / NumPy {np.__version__} / Python {platform.python_version()}, libs/statistics/test/reference/reference.py"}

out["normal"] = [{"z": z, "cdf": float(stats.norm.cdf(z)), "sf": float(stats.norm.sf(z))}
                 for z in [-8.5, -5, -3.1, -1.96, -1, -0.3, 0, 0.42, 1.6448536, 2.5758, 4, 7.2]]
out["normalQuantile"] = [{"p": p, "q": float(stats.norm.ppf(p))}
                         for p in [1e-12, 1e-6, 0.001, 0.02, 0.025, 0.1, 0.5, 0.8, 0.975, 0.99, 0.999999]]
out["studentT"] = [{"t": t, "df": df, "sf": float(stats.t.sf(t, df))}
                   for t, df in [(0.5, 1), (2.3, 2.5), (-1.7, 7.3), (2.0, 30), (3.3, 148.62), (1.96, 5000.5), (4.5, 123456.7), (0.01, 3)]]
out["studentTQuantile"] = [{"p": p, "df": df, "q": float(stats.t.ppf(p, df))}
                           for p, df in [(0.975, 1), (0.975, 2.5), (0.025, 7.3), (0.975, 30), (0.995, 148.62), (0.975, 5000.5), (0.9, 123456.7), (0.6, 3)]]
out["chiSquare"] = [{"x": x, "k": k, "sf": float(stats.chi2.sf(x, k))}
                    for x, k in [(0.1, 1), (3.84, 1), (10.83, 1), (5.99, 2), (25.0, 3), (0.5, 4), (100.0, 9)]]
out["logGamma"] = [{"x": x, "value": float(special.gammaln(x))} for x in [0.1, 0.5, 1, 2.5, 10, 74.3, 25000.25]]
out["regularizedBeta"] = [{"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
                          for x, a, b in [(0.3, 2, 3), (0.9, 0.5, 0.5), (0.01, 50, 0.5), (0.999, 3000, 0.5), (0.5, 1e4, 1e4)]]

welch_cases = []
for name, t, c in [
    ("skewed revenue, unequal sizes", revenue(400, 0.12, 1.1), revenue(90, 0.10, 1.1)),
    ("tiny groups", [12.5, 0.0, 33.1], [0.0, 7.25]),
    ("one purchaser in the treatment", [0.0] * 59 + [149.9], [0.0] * 40),
    ("large groups", revenue(3000, 0.05, 1.3), revenue(2000, 0.06, 1.3)),
]:
    welch_cases.append({"name": name, "treatment": t, "control": c, **welch(t, c)})
out["welch"] = welch_cases

def restricted_mle(x1, n1, x2, n2, delta):
    """The binomial maximum likelihood under p1 - p2 = delta: the root of the score equation in p2
    by root finding (brentq), not the closed-form cubic the library uses. Returns (p1, p2)."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def slope(p2):
        p1 = p2 + delta
        total = 0.0
        for x, n, p in ((x1, n1, p1), (x2, n2, p2)):
            if x > 0:
                total += x / p if p > 0 else math.inf
            if n - x > 0:
                total -= (n - x) / (1 - p) if p < 1 else math.inf
        return total

    # The log-likelihood is concave in p2: a maximum at an end, or the one root between.
    if slope(lo) <= 0:
        p2 = lo
    elif slope(hi) >= 0:
        p2 = hi
    else:
        p2 = optimize.brentq(slope, lo, hi, xtol=1e-16, rtol=1e-15, maxiter=500)
    return p2 + delta, p2


def score_z(x1, n1, x2, n2, delta):
    """Score statistic of p1 - p2 = delta, the variance taken at the restricted estimates (Mee 1984)."""
    p1, p2 = restricted_mle(x1, n1, x2, n2, delta)
    variance = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    numerator = x1 / n1 - x2 / n2 - delta
    if variance <= 0:
        return 0.0 if numerator == 0 else math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def score_interval(x1, n1, x2, n2, alpha=0.05):
    """The differences the score test does not reject at alpha, by root finding on score_z."""
    q = stats.norm.ppf(1 - alpha / 2)
    d = x1 / n1 - x2 / n2
    eps = 1e-12
    if d <= -1 + eps or score_z(x1, n1, x2, n2, -1 + eps) < q:
        low = -1.0
    else:
        low = optimize.brentq(lambda delta: score_z(x1, n1, x2, n2, delta) - q, -1 + eps, d, xtol=1e-15, rtol=1e-15)
    if d >= 1 - eps or score_z(x1, n1, x2, n2, 1 - eps) > -q:
        high = 1.0
    else:
        high = optimize.brentq(lambda delta: score_z(x1, n1, x2, n2, delta) + q, d, 1 - eps, xtol=1e-15, rtol=1e-15)
    return low, high


def pooled_z(xt, nt, xc, nc):
    pooled = (xt + xc) / (nt + nc)
    return (xt / nt - xc / nc) / math.sqrt(pooled * (1 - pooled) * (1 / nt + 1 / nc))


# The pooled z-test and the score interval that inverts it; Fisher's exact p-value beside, to read.
prop_cases = []
for name, xt, nt, xc, nc in [
    ("purchase rate", 512, 9000, 48, 1000),
    ("small groups with enough expected purchasers", 9, 60, 4, 55),
    ("equal rates", 100, 1000, 50, 500),
    ("click rate", 1830, 21000, 1700, 21100),
    ("nobody bought in a group large enough to tell", 0, 200, 100, 2000),
    ("everybody against nobody", 100, 100, 0, 100),
    ("clear difference, unequal sizes", 30, 150, 200, 2500),
]:
    z = pooled_z(xt, nt, xc, nc)
    low, high = score_interval(xt, nt, xc, nc)
    prop_cases.append({"name": name, "treatment": [xt, nt], "control": [xc, nc], "statistic": z,
                       "pValue": float(2 * stats.norm.sf(abs(z))), "ciLow": low, "ciHigh": high,
                       "fisherExactPValue": float(stats.fisher_exact([[xt, nt - xt], [xc, nc - xc]]).pvalue)})
out["twoProportion"] = prop_cases

# Too few expected successes or failures for the normal approximation: the library gives no figures.
# Fisher's exact p-value (scipy.stats.fisher_exact) and the z-test's are written beside, to show why.
withheld = []
for name, xt, nt, xc, nc in [
    ("small groups", 3, 40, 1, 35),
    ("review scenario a: 20 customers, nobody bought yet, against 2,000 at 5 %", 0, 20, 100, 2000),
    ("review scenario b: one customer who bought against 1,000 at 5 %", 1, 1, 50, 1000),
]:
    withheld.append({"name": name, "treatment": [xt, nt], "control": [xc, nc],
                     "fisherExactPValue": float(stats.fisher_exact([[xt, nt - xt], [xc, nc - xc]]).pvalue),
                     "zTestPValue": float(2 * stats.norm.sf(abs(pooled_z(xt, nt, xc, nc))))})
out["twoProportionWithheld"] = withheld

# The score interval alone, on the examples of Newcombe (1998, Statistics in Medicine 17:873-890,
# Table II, method 5: Mee's score interval), with the published four-decimal bounds beside.
newcombe = []
for xt, nt, xc, nc, published in [(56, 70, 48, 80, [0.0533, 0.3377]), (9, 10, 3, 10, [0.1821, 0.8370]),
                                  (6, 7, 2, 7, [0.0544, 0.8478]), (5, 56, 0, 29, [-0.0313, 0.1926])]:
    low, high = score_interval(xt, nt, xc, nc)
    newcombe.append({"treatment": [xt, nt], "control": [xc, nc], "ciLow": low, "ciHigh": high, "published": published})
out["scoreInterval"] = newcombe

srm_cases = []
for observed, shares in [([9012, 988], [0.9, 0.1]), ([4950, 5050], [0.5, 0.5]), ([3000, 3100, 1150], [0.45, 0.45, 0.1]), ([8800, 1200], [0.9, 0.1])]:
    total = sum(observed)
    expected = [total * s / sum(shares) for s in shares]
    result = stats.chisquare(observed, expected)
    srm_cases.append({"observed": observed, "shares": shares, "chiSquare": float(result.statistic), "pValue": float(result.pvalue)})
out["sampleRatio"] = srm_cases


def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        adjusted[i] = running
    return adjusted


out["holm"] = [{"pValues": ps, "adjusted": holm(ps)} for ps in [[0.01, 0.04, 0.03], [0.2, 0.001], [0.04], [0.5, 0.5, 0.01, 0.02]]]

out["mde"] = [{"sd": sd, "nt": nt, "nc": nc, "alpha": a, "power": pw,
               "value": float((stats.norm.ppf(1 - a / 2) + stats.norm.ppf(pw)) * sd * math.sqrt(1 / nt + 1 / nc))}
              for sd, nt, nc, a, pw in [(85.3, 9000, 1000, 0.05, 0.8), (1.0, 500, 500, 0.05, 0.9), (math.sqrt(0.05 * 0.95), 45000, 5000, 0.01, 0.8)]]

cuped_cases = []
for name, n_t, n_c in [("correlated pre-period", 600, 300), ("small", 40, 25)]:
    x_t = np.array(revenue(n_t, 0.2, 1.0))
    x_c = np.array(revenue(n_c, 0.2, 1.0))
    y_t = np.round(0.6 * x_t + np.array(revenue(n_t, 0.1, 1.0)), 2)
    y_c = np.round(0.6 * x_c + np.array(revenue(n_c, 0.1, 1.0)), 2)
    x = np.concatenate([x_t, x_c])
    y = np.concatenate([y_t, y_c])
    theta = np.cov(x, y, ddof=1)[0, 1] / x.var(ddof=1)
    adj_t = y_t - theta * (x_t - x.mean())
    adj_c = y_c - theta * (x_c - x.mean())
    cuped_cases.append({"name": name, "treatmentY": y_t.tolist(), "treatmentX": x_t.tolist(), "controlY": y_c.tolist(),
                        "controlX": x_c.tolist(), "theta": float(theta), **welch(adj_t, adj_c)})
out["cuped"] = cuped_cases

def mixture_case(d, v, w, alpha):
    """Normal mixture over the tilt: exp(l*d - l^2 v/2) integrated against N(0, 1/w) numerically,
    and the confidence-sequence bounds by root finding on it."""
    sd = 1 / math.sqrt(w)

    def mixture(shift):
        # exp(l*shift - l^2 v/2) times the N(0, 1/w) density, one exponent so nothing overflows.
        return integrate.quad(lambda l: math.exp(l * shift - l * l * (v + w) / 2) / (math.sqrt(2 * math.pi) * sd), -40 * sd, 40 * sd, epsabs=0, epsrel=1e-12, limit=500)[0]

    ratio = mixture(d)
    # Confidence sequence: the deltas with mixture ratio below 1/alpha, found by root finding.
    def excess(delta):
        return mixture(d - delta) - 1 / alpha
    span = 8 * math.sqrt(v + w)
    high = optimize.brentq(excess, d, d + span, xtol=1e-14, rtol=1e-14)
    low = optimize.brentq(excess, d - span, d, xtol=1e-14, rtol=1e-14)
    return {"likelihoodRatio": ratio, "pValue": min(1.0, 1 / ratio), "ciLow": low, "ciHigh": high}


seq_cases = []
for d, v, w, alpha in [(1.2, 0.25, 1.0, 0.05), (-0.004, 1e-5, 4e-5, 0.05), (3.0, 0.5, 0.5, 0.01), (0.0, 2.0, 1.0, 0.05)]:
    seq_cases.append({"difference": d, "variance": v, "mixtureVariance": w, "alpha": alpha, **mixture_case(d, v, w, alpha)})
out["sequential"] = seq_cases

# Sequential rate test: V = pooled p(1 - p)(1/nt + 1/nc), the variance under no effect; W as given,
# or V itself when none is given (no purchaser in the pre-period).
seq_prop = []
for name, xt, nt, xc, nc, w in [
    ("running purchase rate", 60, 1000, 45, 1000, 1e-4),
    ("no pre-period purchaser: W from the look", 130, 2000, 100, 2100, None),
    ("clear difference", 300, 3000, 200, 3000, 6e-5),
]:
    pooled = (xt + xc) / (nt + nc)
    v = pooled * (1 - pooled) * (1 / nt + 1 / nc)
    seq_prop.append({"name": name, "treatment": [xt, nt], "control": [xc, nc], "mixtureVariance": w, "variance": v,
                     **mixture_case(xt / nt - xc / nc, v, v if w is None else w, 0.05)})
out["sequentialProportion"] = seq_prop


def pooled_variance(t, c):
    return ((len(t) - 1) * t.var(ddof=1) + (len(c) - 1) * c.var(ddof=1)) / (len(t) + len(c) - 2)


def with_spread(t, c):
    """Each group's sample variance, a group with none (all values equal) given the pooled one."""
    pooled = pooled_variance(t, c)
    return [g.var(ddof=1) if g.var(ddof=1) > 0 else pooled for g in (t, c)]


# Sequential mean test: V is the larger of Welch's (a group with no spread given the pooled
# within-group variance) and the pooled variance of the difference (1/nt + 1/nc) s_p^2.
seq_mean = []
for name, t, c, w in [
    ("review scenario a: 20 customers, nobody bought yet, against 2,000 at 5 % of 40", [0.0] * 20, [40.0] * 100 + [0.0] * 1900, None),
    ("a small group with more buyers (Welch's variance above the pooled)", revenue(120, 0.3, 1.0), revenue(3000, 0.1, 1.0), 4.0),
    ("a small group with fewer buyers (the pooled variance above Welch's)", revenue(150, 0.06, 0.5), revenue(4000, 0.2, 1.2), 2.0),
    ("equal sizes", revenue(800, 0.1, 1.0), revenue(800, 0.2, 1.0), 1.5),
]:
    t = np.asarray(t, dtype=float)
    c = np.asarray(c, dtype=float)
    st2, sc2 = with_spread(t, c)
    v = max(st2 / len(t) + sc2 / len(c), pooled_variance(t, c) * (1 / len(t) + 1 / len(c)))
    seq_mean.append({"name": name, "treatment": t.tolist(), "control": c.tolist(), "mixtureVariance": w, "variance": v,
                     **mixture_case(float(t.mean() - c.mean()), v, v if w is None else w, 0.05)})
out["sequentialMean"] = seq_mean

# The revenue test (Welch's, withheld when too skewed) where a group has no spread: that group is
# given the pooled within-group variance, not 0. SciPy's plain Welch p-value is written beside.
revenue_cases = []
for name, t, c in [
    ("nobody bought in one of two groups of 20, four bought 40 each in the other", [0.0] * 20, [40.0] * 4 + [0.0] * 16),
    ("nobody bought in one of two groups of 20, five in the other", [0.0] * 20, [38.9, 52.4, 21.75, 44.1, 67.3] + [0.0] * 15),
]:
    t = np.asarray(t, dtype=float)
    c = np.asarray(c, dtype=float)
    st2, sc2 = with_spread(t, c)
    vt, vc = st2 / len(t), sc2 / len(c)
    df = (vt + vc) ** 2 / (vt ** 2 / (len(t) - 1) + vc ** 2 / (len(c) - 1))
    diff = float(t.mean() - c.mean())
    statistic = diff / math.sqrt(vt + vc)
    half = stats.t.ppf(0.975, df) * math.sqrt(vt + vc)
    revenue_cases.append({"name": name, "treatment": t.tolist(), "control": c.tolist(), "statistic": statistic,
                          "pValue": float(2 * stats.t.sf(abs(statistic), df)), "df": float(df), "difference": diff,
                          "ciLow": diff - half, "ciHigh": diff + half,
                          "plainWelchPValue": float(stats.ttest_ind(t, c, equal_var=False).pvalue)})
out["revenueWithoutSpread"] = revenue_cases

print(json.dumps(out, indent=1))
