"""The natural-parameter kernels (src/_natural_loop.h) of every distribution that has one.

Parametrized over ``has_natural``: a distribution is checked here as soon as
its family registers a cdf. Exact-data sums against scipy's logpdf; log F and
log S against scipy's logcdf/logsf; censored log-likelihood, score and
Hessian against finite differences; score outer products against per-row
sums; float32, weights and threads; censored fits never worse than scipy's.
"""
import warnings

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle._censored import as_censored
from fastmle._data import as_data
from fastmle.distributions import REGISTRY
from fastmle.distributions._natural import has_natural, lcdf, natural_sums

# typical parameters in scipy's order
PARAMS = {
    "norm": (0.5, 2.0), "expon": (0.5, 2.0), "gamma": (2.5, 0.5, 2.0), "chi2": (4.0, 0.5, 2.0),
    "lognorm": (0.7, 0.5, 2.0), "weibull_min": (1.7, 0.5, 2.0), "weibull_max": (1.7, 0.5, 2.0),
    "beta": (2.0, 3.0, 0.5, 2.0), "t": (5.0, 0.5, 2.0), "logistic": (0.5, 2.0), "laplace": (0.5, 2.0),
    "cauchy": (0.5, 2.0), "gumbel_r": (0.5, 2.0), "gumbel_l": (0.5, 2.0), "pareto": (3.0, 0.5, 2.0),
    "lomax": (3.0, 0.5, 2.0), "invgauss": (0.5, 0.5, 2.0), "rayleigh": (0.5, 2.0), "halfnorm": (0.5, 2.0),
    "uniform": (0.5, 2.0), "fisk": (3.0, 0.5, 2.0), "genextreme": (-0.2, 0.5, 2.0),
    "genpareto": (0.2, 0.5, 2.0), "vonmises": (2.0, 0.5, 1.0), "skewnorm": (3.0, 0.5, 2.0),
    "poisson": (3.5, 0.0), "geom": (0.3, 0.0), "binom": (10, 0.3, 0.0), "nbinom": (5.0, 0.4, 0.0),
    "betabinom": (10, 2.0, 3.0, 0.0), "zipoisson": (3.0, 0.2, 0.0),
}
# parameters the kernel does not differentiate (integers)
NOT_DIFFERENTIATED = {"binom": ("n", "loc"), "betabinom": ("n", "loc"), "poisson": ("loc",),
                      "geom": ("loc",), "nbinom": ("loc",), "zipoisson": ("loc",)}

# scipy's own accuracy where it is below 1e-10: skewnorm's cdf under 1e-6 is a
# quadrature good to ~3e-10 (tests/test_lcdf_norm.py checks against mpmath)
SCIPY_LCDF_RTOL = {"skewnorm": 1e-9}

NAMES = sorted(n for n, d in REGISTRY.items() if has_natural(d))
SCIPY_NAMES = [n for n in NAMES if hasattr(st, n)]


def _scipy(name):
    return getattr(st, name)


def _sample(name, n, seed):
    rng = np.random.default_rng(seed)
    x = np.asarray(_scipy(name).rvs(*PARAMS[name], size=n, random_state=rng), dtype=float)
    if name == "vonmises":
        # angles in the window loc +- pi: one-sided censoring is read there
        # (scipy's rvs wraps to [-pi, pi] whatever loc is, and its cdf beyond
        # loc +- pi leaves [0, 1]; intervals are arcs and agree anywhere)
        loc = PARAMS[name][1]
        x = loc + np.mod(x - loc + np.pi, 2 * np.pi) - np.pi
    return x


def _logpdf(name, x, p):
    d = _scipy(name)
    return d.logpmf(x, *p) if hasattr(d, "logpmf") else d.logpdf(x, *p)


def _censor(name, x, seed):
    """A mix of exact, left-, right- and interval-censored rows around ``x``."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    u = rng.random(n)
    discrete = REGISTRY[name].discrete
    width = 1.0 if discrete else 0.3 * np.std(x) + 1e-3
    lo = x.copy()
    hi = x.copy()
    lo[u < 0.2] = -np.inf                                   # left: X <= x
    hi[(u >= 0.2) & (u < 0.4)] = np.inf                     # right
    iv = (u >= 0.4) & (u < 0.6)
    lo[iv] = x[iv] - (1.0 if discrete else width)
    hi[iv] = x[iv] + (2.0 if discrete else width)
    return lo, hi


def _scipy_censored_nll(name, p, lo, hi):
    d = _scipy(name)
    ex = lo == hi
    left = np.isneginf(lo) & ~ex
    right = np.isposinf(hi) & ~ex & ~left
    iv = ~ex & ~left & ~right
    if REGISTRY[name].discrete:
        # inclusive bounds on counts: K >= lo is S(lo - 1), [lo, hi] is F(hi) - F(lo - 1)
        terms = (d.logpmf(lo[ex], *p).sum() + d.logcdf(hi[left], *p).sum()
                 + d.logsf(lo[right] - 1, *p).sum()
                 + np.log(d.cdf(hi[iv], *p) - d.cdf(lo[iv] - 1, *p)).sum())
    else:
        terms = (d.logpdf(lo[ex], *p).sum() + d.logcdf(hi[left], *p).sum() + d.logsf(lo[right], *p).sum()
                 + np.log(d.cdf(hi[iv], *p) - d.cdf(lo[iv], *p)).sum())
    return -float(terms)


def _differentiated(name):
    skip = NOT_DIFFERENTIATED.get(name, ())
    return [i for i, n in enumerate(REGISTRY[name].param_names) if n not in skip]


def _fd_check(f, p, idx, rtol=2e-6):
    """Gradient and Hessian of ``f(p) -> (ll, g, H)`` against 4th-order differences."""
    p = np.array(p, dtype=float)
    ll, g, H = f(p)
    for i in idx:
        h = 1e-4 * max(abs(p[i]), 0.1)
        vals = []
        for s in (-2, -1, 1, 2):
            q = p.copy()
            q[i] += s * h
            vals.append(f(q))
        fd_g = (vals[0][0] - 8 * vals[1][0] + 8 * vals[2][0] - vals[3][0]) / (12 * h)
        fd_H = (vals[0][1] - 8 * vals[1][1] + 8 * vals[2][1] - vals[3][1]) / (12 * h)
        scale_g = max(1.0, np.max(np.abs(g)))
        assert abs(g[i] - fd_g) <= rtol * 10 * scale_g, (i, g[i], fd_g)
        scale_h = max(1.0, np.max(np.abs(H)))
        for j in idx:
            assert abs(H[j, i] - fd_H[j]) <= rtol * 10 * scale_h, (i, j, H[j, i], fd_H[j])
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-12 * max(1.0, np.max(np.abs(H))))


@pytest.mark.parametrize("name", SCIPY_NAMES)
def test_exact_sums_match_scipy(name):
    d = REGISTRY[name]
    x = _sample(name, 500, 1)
    p = PARAMS[name]
    n, ll, g, H, B = natural_sums(d, as_data(x), p)
    ref = float(np.sum(_logpdf(name, x, p)))
    assert n == 500
    assert abs(ll - ref) <= 1e-11 * max(1.0, abs(ref))

    def f(q):
        return natural_sums(d, as_data(x), q)[1:4]

    _fd_check(f, p, _differentiated(name))


# where scipy's own logcdf loses digits, the closed form written accurately:
# pareto's is log(1 - z**-b), which cancels near the support's start (3.6e-10
# relative at F = 1e-8); log(-expm1(-b log z)) does not
ACCURATE_LOGCDF = {"pareto": lambda x, b, loc, scale: np.log(-np.expm1(-b * np.log((x - loc) / scale)))}


@pytest.mark.parametrize("name", SCIPY_NAMES)
def test_lcdf_matches_scipy(name):
    d = REGISTRY[name]
    sd = _scipy(name)
    p = PARAMS[name]
    # scipy's von Mises cdf is a Fourier series with ~1e-16 absolute accuracy:
    # no reference for logs of probabilities below 1e-6
    lo = {"vonmises": -6}.get(name, -12)
    q = np.concatenate([np.logspace(lo, -1, 12), np.linspace(0.1, 0.9, 9), 1 - np.logspace(-1, lo, 12)])
    x = np.unique(sd.ppf(q, *p))
    x = x[np.isfinite(x)]
    for upper, ref_fn in ((False, ACCURATE_LOGCDF.get(name, sd.logcdf)), (True, sd.logsf)):
        got = lcdf(d, x, p, upper=upper)
        ref = ref_fn(x, *p)
        np.testing.assert_allclose(got, ref, rtol=SCIPY_LCDF_RTOL.get(name, 1e-10), atol=1e-13,
                                   err_msg=f"upper={upper}")


@pytest.mark.parametrize("name", SCIPY_NAMES)
def test_censored_loglike_and_derivatives(name):
    d = REGISTRY[name]
    x = _sample(name, 300, 2)
    lo, hi = _censor(name, x, 3)
    sample = as_censored(fastmle.Censored(lo, hi))
    p = PARAMS[name]
    ll = natural_sums(d, sample, p)[1]
    ref = -_scipy_censored_nll(name, p, lo, hi)
    assert abs(ll - ref) <= 1e-10 * max(1.0, abs(ref)), (ll, ref)

    def f(q):
        return natural_sums(d, sample, q)[1:4]

    _fd_check(f, p, _differentiated(name))


@pytest.mark.parametrize("name", NAMES)
def test_score_outer_products_are_per_row_sums(name):
    d = REGISTRY[name]
    x = np.asarray(_sample(name, 40, 4) if name in SCIPY_NAMES else fastmle_sample(name, 40), dtype=float)
    lo, hi = _censor(name, x, 5)
    sample = as_censored(fastmle.Censored(lo, hi))
    p = PARAMS[name]
    B = natural_sums(d, sample, p)[4]
    ref = np.zeros_like(B)
    for i in range(x.shape[0]):
        g = natural_sums(d, as_censored(fastmle.Censored(lo[i:i + 1], hi[i:i + 1])), p)[2]
        ref += np.outer(g, g)
    np.testing.assert_allclose(B, ref, rtol=1e-11, atol=1e-11 * np.max(np.abs(ref)))


def fastmle_sample(name, n):
    """zipoisson (not in scipy): zero-inflated poisson draws."""
    rng = np.random.default_rng(6)
    mu, pi, _ = PARAMS[name]
    return np.where(rng.random(n) < pi, 0.0, rng.poisson(mu, n).astype(float))


@pytest.mark.parametrize("name", NAMES)
def test_float32_weights_threads(name):
    d = REGISTRY[name]
    x = _sample(name, 3000, 7) if name in SCIPY_NAMES else fastmle_sample(name, 3000)
    p = PARAMS[name]
    a = natural_sums(d, as_data(x), p)
    b = natural_sums(d, as_data(x.astype(np.float32).astype(np.float64)), p)
    c = natural_sums(d, as_data(x.astype(np.float32)), p)
    np.testing.assert_array_equal(b[1], c[1])
    assert np.isfinite(a[1])
    # weights as repeated rows, censored layout
    rng = np.random.default_rng(8)
    w = rng.integers(1, 4, size=x.shape[0]).astype(float)
    lo, hi = _censor(name, x, 9)
    sw = natural_sums(d, as_censored(fastmle.Censored(lo, hi, w)), p)
    sr = natural_sums(d, as_censored(fastmle.Censored(np.repeat(lo, w.astype(int)),
                                                      np.repeat(hi, w.astype(int)))), p)
    for u, v in zip(sw, sr):
        np.testing.assert_allclose(u, v, rtol=1e-11, atol=1e-9)
    # bitwise equal for 1 and 2 threads (enough rows for 2 threads to split)
    big_lo, big_hi = np.tile(lo, 50), np.tile(hi, 50)
    s1 = natural_sums(d, as_censored(fastmle.Censored(big_lo, big_hi), n_threads=1), p)
    s2 = natural_sums(d, as_censored(fastmle.Censored(big_lo, big_hi), n_threads=2), p)
    for u, v in zip(s1, s2):
        np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("name", [n for n in SCIPY_NAMES if not REGISTRY[n].discrete])
def test_censored_fit_not_worse_than_scipy(name):
    """scipy.stats fits censored data of continuous distributions only."""
    x = _sample(name, 200, 10)
    lo, hi = _censor(name, x, 11)
    ex = lo == hi
    left = np.isneginf(lo) & ~ex
    right = np.isposinf(hi) & ~ex & ~left
    iv = ~ex & ~left & ~right
    cd = st.CensoredData(uncensored=lo[ex], left=hi[left], right=lo[right],
                         interval=np.column_stack([lo, hi])[iv])
    kw = {"fscale": 1.0} if name == "vonmises" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = tuple(fastmle.fit(name, fastmle.Censored(lo, hi), **kw).params)
        theirs = _scipy(name).fit(cd, **kw)
    nll_ours = _scipy_censored_nll(name, ours, lo, hi)
    nll_theirs = _scipy_censored_nll(name, theirs, lo, hi)
    assert nll_ours <= nll_theirs + 1e-9 * abs(nll_theirs), (ours, theirs, nll_ours, nll_theirs)
