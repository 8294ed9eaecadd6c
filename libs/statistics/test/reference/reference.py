#!/usr/bin/python3
"""Reference values for libs/statistics, computed independently with SciPy.

Run with Debian's Python and SciPy (apt-get install -y python3-scipy):
    /usr/bin/python3 libs/statistics/test/reference/reference.py > libs/statistics/test/reference/reference-values.json
Produced with Python 3.11, SciPy 1.10.1, NumPy 1.24.2. The inputs are written into the JSON
beside the values, so the TypeScript tests read the very same inputs.
"""
import json
import math

import numpy as np
from scipy import special, stats

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


out = {"source": "SciPy 1.10.1 / NumPy 1.24.2 on Debian bookworm, libs/statistics/test/reference/reference.py"}

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

prop_cases = []
for name, xt, nt, xc, nc in [
    ("purchase rate", 512, 9000, 48, 1000),
    ("small groups", 3, 40, 1, 35),
    ("equal rates", 100, 1000, 50, 500),
    ("click rate", 1830, 21000, 1700, 21100),
]:
    pt, pc = xt / nt, xc / nc
    pooled = (xt + xc) / (nt + nc)
    z = (pt - pc) / math.sqrt(pooled * (1 - pooled) * (1 / nt + 1 / nc))
    se = math.sqrt(pt * (1 - pt) / nt + pc * (1 - pc) / nc)
    half = stats.norm.ppf(0.975) * se
    prop_cases.append({"name": name, "treatment": [xt, nt], "control": [xc, nc], "statistic": z,
                       "pValue": float(2 * stats.norm.sf(abs(z))), "ciLow": pt - pc - half, "ciHigh": pt - pc + half})
out["twoProportion"] = prop_cases

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

seq_cases = []
for d, v, w, alpha in [(1.2, 0.25, 1.0, 0.05), (-0.004, 1e-5, 4e-5, 0.05), (3.0, 0.5, 0.5, 0.01), (0.0, 2.0, 1.0, 0.05)]:
    # Normal mixture over the tilt: integrate exp(l*d - l^2 v/2) against N(0, 1/w) numerically.
    from scipy import integrate
    sd = 1 / math.sqrt(w)
    def mixture(shift):
        # exp(l*shift - l^2 v/2) times the N(0, 1/w) density, one exponent so nothing overflows.
        return integrate.quad(lambda l: math.exp(l * shift - l * l * (v + w) / 2) / (math.sqrt(2 * math.pi) * sd), -40 * sd, 40 * sd, epsabs=0, epsrel=1e-12, limit=500)[0]
    ratio = mixture(d)
    # Confidence sequence: the deltas with mixture ratio below 1/alpha, found by root finding.
    from scipy import optimize
    def excess(delta):
        return mixture(d - delta) - 1 / alpha
    span = 8 * math.sqrt(v + w)
    high = optimize.brentq(excess, d, d + span, xtol=1e-14, rtol=1e-14)
    low = optimize.brentq(excess, d - span, d, xtol=1e-14, rtol=1e-14)
    seq_cases.append({"difference": d, "variance": v, "mixtureVariance": w, "alpha": alpha,
                      "likelihoodRatio": ratio, "pValue": min(1.0, 1 / ratio), "ciLow": low, "ciHigh": high})
out["sequential"] = seq_cases

print(json.dumps(out, indent=1))
