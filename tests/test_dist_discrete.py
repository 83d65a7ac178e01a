"""Discrete families: geom, binom, nbinom, betabinom (scipy.stats) and zipoisson.

scipy has no ``.fit`` for discrete distributions: the parity reference is
``scipy.stats.fit`` (differential evolution, seeded) with bounds containing
the truth, at small N; for zipoisson (not in scipy) it is
``scipy.optimize.minimize`` on a direct numpy log-pmf.
"""
import math
import warnings
from functools import partial

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st

import fastmle
from fastmle._data import FitDataError, as_data, value_table
from fastmle._optimize import ConvergenceWarning
from fastmle.distributions.zipoisson import logpmf as zip_logpmf

from _family_checks import (check_derivatives, check_dtypes_weights_threads, check_loglike_matches_scipy,
                            llgh)

DE = partial(so.differential_evolution, rng=0)


def gen_betabinom(r, size, n, a, b):
    return r.binomial(n, r.beta(a, b, size))


def zip_gen(r, size, mu, pi):
    return np.where(r.random(size) < pi, 0, r.poisson(mu, size))


def zip_nll(x, params):
    return -float(np.sum(zip_logpmf(x, *params)))


# -- the kernels: log-likelihood, derivatives, dtypes, weights, threads -------------
KERNEL_CASES = [
    ("geom", (0.3, 0.0), [0], lambda r: r.geometric(0.3, 400)),
    ("geom", (0.02, -3.0), [0], lambda r: r.geometric(0.02, 400) - 3),
    ("binom", (10, 0.3, 0.0), [1], lambda r: r.binomial(10, 0.3, 400)),
    ("binom", (1000, 0.97, 5.0), [1], lambda r: r.binomial(1000, 0.97, 400) + 5),
    ("nbinom", (3.0, 0.4, 0.0), [0, 1], lambda r: r.negative_binomial(3.0, 0.4, 400)),
    ("nbinom", (0.3, 0.05, 2.0), [0, 1], lambda r: r.negative_binomial(0.3, 0.05, 400) + 2),
    ("betabinom", (12, 2.0, 3.0, 0.0), [1, 2], lambda r: gen_betabinom(r, 400, 12, 2.0, 3.0)),
    ("betabinom", (40, 0.4, 0.7, 1.0), [1, 2], lambda r: gen_betabinom(r, 400, 40, 0.4, 0.7) + 1),
]


@pytest.mark.parametrize("name,params,free,gen", KERNEL_CASES)
def test_kernel_mathematics(name, params, free, gen):
    rng = np.random.default_rng(0)
    x = gen(rng).astype(float)
    dist = getattr(fastmle, name)
    check_loglike_matches_scipy(dist, x, params)
    check_derivatives(dist, x, params, free=free)
    check_dtypes_weights_threads(dist, x, params, rng)


@pytest.mark.parametrize("params", [(3.0, 0.3, 0.0), (0.2, 0.6, 0.0), (25.0, 0.05, -2.0)])
def test_zipoisson_kernel_against_numpy_logpmf(params):
    rng = np.random.default_rng(1)
    x = (zip_gen(rng, 400, params[0], params[1]) + params[2]).astype(float)
    ll, g, H = llgh(fastmle.zipoisson, x, params)
    ref = float(np.sum(zip_logpmf(x, *params)))
    assert abs(ll - ref) <= 1e-12 * abs(ref)
    assert fastmle.zipoisson.loglike(x, params) == pytest.approx(ref, rel=1e-12)
    check_derivatives(fastmle.zipoisson, x, params, free=[0, 1])
    # weights as repeated rows, float32, threads (scipy's logpmf is not needed there)
    w = rng.integers(1, 4, x.shape[0]).astype(float)
    np.testing.assert_allclose(llgh(fastmle.zipoisson, x, params, w=w)[0],
                               llgh(fastmle.zipoisson, np.repeat(x, w.astype(int)), params)[0], rtol=1e-12)
    np.testing.assert_allclose(llgh(fastmle.zipoisson, x.astype(np.float32), params)[0], ll, rtol=1e-13)
    big = np.tile(x, 800)
    one, two = llgh(fastmle.zipoisson, big, params, n_threads=1), llgh(fastmle.zipoisson, big, params, n_threads=2)
    assert one[0] == two[0] and np.array_equal(one[1], two[1]) and np.array_equal(one[2], two[2])


def test_loglike_outside_support_is_minus_inf():
    assert fastmle.geom.loglike([0, 1, 2], (0.5, 0)) == -np.inf
    assert fastmle.binom.loglike([0, 11], (10, 0.5, 0)) == -np.inf
    assert fastmle.betabinom.loglike([-1, 3], (10, 1.0, 1.0, 0)) == -np.inf
    assert fastmle.nbinom.loglike([0, 1], (2.0, 0.5, 0.5)) == -np.inf      # non-integer loc
    assert fastmle.zipoisson.loglike([-1, 1], (2.0, 0.5, 0)) == -np.inf


# -- closed forms -------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_geom_and_binom_closed_forms(seed):
    rng = np.random.default_rng(seed)
    x = rng.geometric(0.2, 300)
    (p, loc) = fastmle.geom.fit(x)
    assert loc == 0 and p == pytest.approx(1.0 / x.mean(), rel=1e-10)
    res = fastmle.fit("geom", x)                       # the Newton path agrees
    assert res.converged and res.params.p == pytest.approx(1.0 / x.mean(), rel=1e-10)
    assert fastmle.geom.fit(x + 4, floc=4)[0] == pytest.approx(1.0 / x.mean(), rel=1e-10)
    b = rng.binomial(20, 0.35, 300)
    n, p, loc = fastmle.binom.fit(b, fn=20)
    assert (n, loc) == (20, 0) and p == pytest.approx(b.mean() / 20, rel=1e-10)
    for kw in ({"f0": 20}, {"fix_n": 20}):
        assert fastmle.binom.fit(b, **kw)[1] == pytest.approx(b.mean() / 20, rel=1e-10)
    res = fastmle.fit("binom", b, fn=20)
    assert res.converged and res.params.p == pytest.approx(b.mean() / 20, rel=1e-10)
    # scipy.stats.fit's bounds: equal bounds fix n
    res = fastmle.fit(st.binom, b, bounds={"n": (20, 20), "p": (0, 1)})
    assert res.params.n == 20 and res.params.p == pytest.approx(b.mean() / 20, rel=1e-10)


def test_weights_equal_repeated_rows_in_fits():
    rng = np.random.default_rng(3)
    for name, x, kw in [("nbinom", rng.negative_binomial(2.0, 0.3, 300), {}),
                        ("betabinom", gen_betabinom(rng, 300, 15, 1.5, 2.5), {"fn": 15}),
                        ("zipoisson", zip_gen(rng, 300, 2.5, 0.3), {}),
                        ("geom", rng.geometric(0.4, 300), {"floc": None})]:
        w = rng.integers(1, 5, x.shape[0])
        a = getattr(fastmle, name).fit(x, weights=w, **kw)
        b = getattr(fastmle, name).fit(np.repeat(x, w), **kw)
        np.testing.assert_allclose(a, b, rtol=1e-9, err_msg=name)


def test_value_table_with_weights_and_huge_range():
    rng = np.random.default_rng(4)
    x = rng.negative_binomial(2.0, 0.3, 500).astype(float)
    w = rng.random(500) * 3
    t = value_table(as_data(x, w))
    (vals, tw), = t.chunks
    u = np.unique(x)
    np.testing.assert_array_equal(vals, u)
    np.testing.assert_allclose(tw, [w[x == v].sum() for v in u], rtol=1e-12)
    # counts spanning far more integers than there are rows: the raw data are used
    wide = rng.negative_binomial(0.8, 2e-5, 300).astype(float)
    data = as_data(wide)
    assert value_table(data) is data
    params = (0.9, 3e-5, 0.0)
    assert llgh(fastmle.nbinom, wide, params)[0] == pytest.approx(
        float(np.sum(st.nbinom.logpmf(wide, *params))), rel=1e-12)
    res = fastmle.fit("nbinom", wide)
    assert res.converged
    ours = tuple(res.params)
    ref = so.minimize(lambda q: st.nbinom.nnlf((math.exp(q[0]), 1 / (1 + math.exp(-q[1])), 0), wide),
                      [math.log(0.8), math.log(2e-5)], method="Nelder-Mead",
                      options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000})
    theirs = (math.exp(ref.x[0]), 1 / (1 + math.exp(-ref.x[1])), 0)
    assert st.nbinom.nnlf(ours, wide) <= st.nbinom.nnlf(theirs, wide) + 1e-9 * abs(ref.fun)
    # the same fit from the distinct values and their counts as weights
    u, c = np.unique(wide, return_counts=True)
    np.testing.assert_allclose(fastmle.nbinom.fit(u, weights=c), ours, rtol=1e-9)


# -- parity with scipy.stats.fit (differential evolution) ----------------------------
def scipy_stats_fit(name, x, bounds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(float(v) for v in st.fit(getattr(st, name), x, bounds=bounds, optimizer=DE).params)


def assert_not_worse(name, x, ours, theirs, fixed=()):
    sd = getattr(st, name)
    assert len(ours) == len(theirs)
    for i, v in fixed:
        assert ours[i] == v
    a, b = sd.nnlf(ours, x), sd.nnlf(theirs, x)
    assert np.isfinite(a), ours
    assert a <= b + 1e-9 * abs(b), (ours, theirs, a, b)


PARITY = [
    # name, generator, fastmle kwds, scipy.stats.fit bounds, fixed (index, value)
    ("geom", lambda r, n: r.geometric(0.3, n), {}, {"p": (0.001, 1)}, [(1, 0)]),
    ("binom", lambda r, n: r.binomial(10, 0.3, n), {"fn": 10}, {"n": (10, 10), "p": (0, 1)}, [(0, 10), (2, 0)]),
    ("nbinom", lambda r, n: r.negative_binomial(3.0, 0.4, n), {}, {"n": (0.01, 100), "p": (0.001, 0.999)},
     [(2, 0)]),
    ("nbinom", lambda r, n: r.negative_binomial(0.5, 0.1, n), {}, {"n": (0.01, 100), "p": (0.001, 0.999)},
     [(2, 0)]),
    ("nbinom", lambda r, n: r.negative_binomial(3.0, 0.4, n), {"f0": 2.0},
     {"n": (2.0, 2.0), "p": (0.001, 0.999)}, [(0, 2.0)]),
    ("nbinom", lambda r, n: r.negative_binomial(3.0, 0.4, n), {"fp": 0.4}, {"n": (0.01, 100), "p": (0.4, 0.4)},
     [(1, 0.4)]),
    ("nbinom", lambda r, n: r.negative_binomial(4.0, 0.5, n) + 6, {"floc": None},
     {"n": (0.01, 100), "p": (0.001, 0.999), "loc": (-5, 10)}, []),
    ("betabinom", lambda r, n: gen_betabinom(r, n, 12, 2.0, 3.0), {"fn": 12},
     {"n": (12, 12), "a": (0.01, 100), "b": (0.01, 100)}, [(0, 12), (3, 0)]),
    ("betabinom", lambda r, n: gen_betabinom(r, n, 12, 0.5, 0.8), {"fn": 12, "fa": 0.5},
     {"n": (12, 12), "a": (0.5, 0.5), "b": (0.01, 100)}, [(1, 0.5)]),
    ("betabinom", lambda r, n: gen_betabinom(r, n, 12, 2.0, 3.0), {"fn": 12, "fb": 3.0},
     {"n": (12, 12), "a": (0.01, 100), "b": (3.0, 3.0)}, [(2, 3.0)]),
    ("geom", lambda r, n: r.geometric(0.3, n) + 3, {"floc": None}, {"p": (0.001, 1), "loc": (-5, 10)}, []),
    ("binom", lambda r, n: r.binomial(10, 0.6, n) + 2, {"fn": 10, "floc": None},
     {"n": (10, 10), "p": (0, 1), "loc": (-5, 10)}, [(0, 10)]),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [50, 400])
@pytest.mark.parametrize("name,gen,kw,bounds,fixed", PARITY,
                         ids=[f"{p[0]}-{'-'.join(p[2]) or 'default'}" for p in PARITY])
def test_fit_never_worse_than_scipy_stats_fit(name, gen, kw, bounds, fixed, n, seed):
    x = gen(np.random.default_rng(seed), n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = getattr(fastmle, name).fit(x, **kw)
    assert_not_worse(name, x, ours, scipy_stats_fit(name, x, bounds), fixed)


@pytest.mark.parametrize("name,gen,kw,truth", [
    ("nbinom", lambda r, n: r.negative_binomial(3.0, 0.4, n), {}, (3.0, 0.4, 0)),
    ("betabinom", lambda r, n: gen_betabinom(r, n, 30, 2.0, 5.0), {"fn": 30}, (30, 2.0, 5.0, 0)),
])
def test_large_sample_beats_a_local_scipy_optimum(name, gen, kw, truth):
    # N = 1e5: scipy.stats.fit would take seconds; a bounded L-BFGS-B on
    # scipy's nnlf (over the distinct counts) from the truth is the reference
    x = gen(np.random.default_rng(7), 100_000)
    u, c = np.unique(x, return_counts=True)
    sd = getattr(st, name)
    fixed_n = truth[0] if name == "betabinom" else None

    def nll(q):
        shapes = (fixed_n, *q) if fixed_n is not None else tuple(q)
        return -float(np.sum(c * sd.logpmf(u, *shapes)))
    lo = [1e-3, 1e-3]
    hi = [1e3, 1 - 1e-9] if name == "nbinom" else [1e3, 1e3]
    ref = so.minimize(nll, truth[1:3] if fixed_n else truth[:2], method="L-BFGS-B",
                      bounds=list(zip(lo, hi)), options={"ftol": 1e-15, "gtol": 1e-10})
    ours = getattr(fastmle, name).fit(x, **kw)
    shapes_ours = ours[1:3] if fixed_n else ours[:2]
    assert nll(shapes_ours) <= ref.fun + 1e-9 * abs(ref.fun)


# -- zipoisson against scipy.optimize.minimize on its numpy log-pmf ------------------
def zip_reference(x, fixed=None):
    fixed = fixed or {}
    best = None
    m = float(np.mean(x))
    for mu0, pi0 in ((m + 0.1, 0.05), (2 * m + 0.1, 0.5), (0.5, 0.8)):
        if True:
            q0 = [v for k, v in (("mu", mu0), ("pi", pi0)) if k not in fixed]

            def f(q):
                it = iter(q)
                p = (fixed.get("mu") or next(it), fixed["pi"] if "pi" in fixed else next(it), 0)
                return zip_nll(x, p)
            b = [bd for k, bd in (("mu", (1e-9, 1e3)), ("pi", (0.0, 1 - 1e-12))) if k not in fixed]
            with np.errstate(all="ignore"):
                r = so.minimize(f, q0, method="L-BFGS-B", bounds=b)
            if best is None or r.fun < best.fun:
                best = r
    return best.fun


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [50, 1000])
@pytest.mark.parametrize("mu,pi,kw", [(3.0, 0.3, {}), (0.7, 0.5, {}), (5.0, 0.0, {}), (3.0, 0.3, {"fpi": 0.25}),
                                      (3.0, 0.3, {"fmu": 2.5}), (20.0, 0.1, {})])
def test_zipoisson_never_worse_than_minimize(mu, pi, kw, n, seed):
    x = zip_gen(np.random.default_rng(seed), n, mu, pi)
    ours = fastmle.zipoisson.fit(x, **kw)
    fixed = {k[1:]: v for k, v in kw.items()}
    for k, v in fixed.items():
        assert ours[("mu", "pi").index(k)] == v
    assert len(ours) == 3 and ours[2] == 0
    ref = zip_reference(x, fixed)
    assert zip_nll(x, ours) <= ref + 1e-9 * abs(ref)


def test_zipoisson_closed_form_and_boundaries():
    rng = np.random.default_rng(5)
    x = zip_gen(rng, 2000, 3.0, 0.3)
    mu, pi, loc = fastmle.zipoisson.fit(x)
    pos = x[x > 0]
    # zero-truncated Poisson equation and the zero fraction
    assert mu / -math.expm1(-mu) == pytest.approx(pos.mean(), rel=1e-12)
    assert pi + (1 - pi) * math.exp(-mu) == pytest.approx(np.mean(x == 0), rel=1e-12)
    res = fastmle.fit("zipoisson", x)
    assert res.converged and res.params.mu == pytest.approx(mu, rel=1e-10)
    # no zeros at all: pi = 0 on the boundary, mu = the mean
    y = rng.poisson(6.0, 300) + 1
    res = fastmle.fit("zipoisson", y)
    assert res.params.pi == 0 and res.params.mu == pytest.approx(y.mean(), rel=1e-12)
    assert "pi = 0" in res.message and np.isfinite(res.llf)
    # all zeros: mu = 0, likelihood 1
    res = fastmle.fit("zipoisson", np.zeros(10))
    assert res.params.mu == 0 and res.llf == 0
    assert fastmle.zipoisson.fit(np.zeros(10), fmu=2.0)[1] == 1.0
    with pytest.raises(ValueError, match="pi"):
        fastmle.zipoisson.fit(x, fpi=1.5)


# -- free loc: the search finds the best integer -----------------------------------------
@pytest.mark.parametrize("name,x,kw", [
    ("nbinom", np.random.default_rng(8).negative_binomial(2.0, 0.2, 300) + 40, {}),
    ("geom", np.random.default_rng(9).geometric(0.1, 200) - 7, {}),
    ("zipoisson", zip_gen(np.random.default_rng(10), 300, 6.0, 0.2) + 3, {}),
    ("betabinom", gen_betabinom(np.random.default_rng(11), 300, 20, 3.0, 3.0) + 5, {"fn": 30}),
    # strong zero inflation: the profile has a local maximum near loc = min - 220
    # besides the global one at loc = min(x) (a ternary search can end on either)
    ("zipoisson", np.where(np.random.default_rng(0).random(300) < 0.5, 0,
                           np.random.default_rng(1).poisson(30, 300)) + 50, {}),
    # two clusters far apart
    ("nbinom", np.concatenate([np.random.default_rng(12).poisson(3.0, 200) + 100,
                               np.random.default_rng(13).poisson(3.0, 50) + 160]), {}),
])
def test_free_loc_is_the_best_integer(name, x, kw):
    d = getattr(fastmle, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = fastmle.fit(name, x, floc=None, **kw)
        spec = d._parse_fit_args((), dict(kw, floc=None))
        data = as_data(x)
        summary, table = d._validate(data), value_table(data)
        top = int(x.min()) - d.support_min
        lows = top - (400 if name != "betabinom" else 0)
        if name == "betabinom":
            lows = int(x.max()) - 30
        prof = {loc: d._profile(table, summary, spec, float(loc))[1] for loc in range(lows, top + 1)}
    best = max(prof, key=prof.get)
    assert res.llf >= prof[best] - 1e-9 * abs(prof[best])
    assert res.params.loc == best or prof[res.params.loc] >= prof[best] - 1e-9 * abs(prof[best])
    assert "loc" in res.boundary


def test_method_of_moments_free_loc_is_an_admissible_integer():
    rng = np.random.default_rng(18)
    for name, x in [("geom", rng.geometric(0.3, 500) + 4), ("nbinom", rng.negative_binomial(3, 0.4, 500) + 10)]:
        params = getattr(fastmle, name).fit(x, floc=None, method="MM")
        loc = params[-1]
        assert loc == math.floor(loc) and loc <= x.min() - getattr(fastmle, name).support_min
        assert np.isfinite(getattr(fastmle, name).loglike(x, params))


# -- hard cases ---------------------------------------------------------------------------
def test_nbinom_underdispersed_has_no_maximum_and_says_so():
    x = np.random.default_rng(14).binomial(8, 0.5, 500)      # variance < mean
    with pytest.warns(ConvergenceWarning, match="Poisson limit"):
        res = fastmle.fit("nbinom", x)
    assert not res.converged and np.all(np.isfinite(res.params))
    assert res.params.n > 1e4
    theirs = scipy_stats_fit("nbinom", x, {"n": (0.01, 1000), "p": (0.001, 0.999)})
    assert_not_worse("nbinom", x, tuple(res.params), theirs)
    # within rounding of the Poisson limit (Poisson with the mean)
    assert -res.llf <= st.poisson.nnlf((x.mean(), 0), x) + 1e-6 * len(x)


def test_betabinom_underdispersed_reports_binomial_limit():
    x = np.random.default_rng(15).binomial(10, 0.4, 400)
    with pytest.warns(ConvergenceWarning, match="binomial limit"):
        res = fastmle.fit("betabinom", x, fn=10)
    assert not res.converged and np.all(np.isfinite(res.params))
    theirs = scipy_stats_fit("betabinom", x, {"n": (10, 10), "a": (0.01, 1000), "b": (0.01, 1000)})
    assert_not_worse("betabinom", x, tuple(res.params), theirs)


@pytest.mark.parametrize("name,kw", [("geom", {}), ("binom", {"fn": 5}), ("nbinom", {}), ("zipoisson", {}),
                                     ("betabinom", {"fn": 5})])
def test_small_and_degenerate_samples_never_nan(name, kw):
    d = getattr(fastmle, name)
    lo = d.support_min
    for x in ([lo + 1, lo + 2], [lo, lo + 1, lo + 3], [lo + 2] * 5, [lo] * 4, [lo + 1, lo + 1, lo + 5]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                res = fastmle.fit(name, np.array(x, dtype=float), **kw)
        except ValueError as exc:           # a clear error is acceptable, a NaN is not
            assert str(exc)
            continue
        assert np.all(np.isfinite(res.params)) and np.isfinite(res.llf), (x, res.params)
        assert res.llf == pytest.approx(d.loglike(x, tuple(res.params)), rel=1e-12, abs=1e-12)


def test_far_from_origin():
    rng = np.random.default_rng(16)
    k = rng.negative_binomial(3.0, 0.4, 1000)
    x = k + 10_000_000
    a = fastmle.nbinom.fit(x, floc=10_000_000)
    b = fastmle.nbinom.fit(k)
    np.testing.assert_allclose(a[:2], b[:2], rtol=1e-10)
    c = fastmle.nbinom.fit(x, floc=None)
    assert c[2] <= 10_000_000 and st.nbinom.nnlf(c, x) <= st.nbinom.nnlf(a, x) + 1e-9
    g = rng.geometric(0.3, 500) + 10_000_000
    p, loc = fastmle.geom.fit(g, floc=None)
    assert loc == g.min() - 1 and p == pytest.approx(1 / (g - loc).mean(), rel=1e-10)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="must be fixed"):
        fastmle.binom.fit([1, 2, 3])
    with pytest.raises(ValueError, match="must be fixed"):
        fastmle.betabinom.fit([1, 2, 3])
    with pytest.raises(FitDataError, match="support"):
        fastmle.binom.fit([1, 2, 11], fn=10)
    with pytest.raises(FitDataError, match="support"):
        fastmle.betabinom.fit([1, 2, 11], fn=10)
    with pytest.raises(FitDataError, match="support"):
        fastmle.geom.fit([0, 1, 2])
    with pytest.raises(FitDataError, match="support"):
        fastmle.nbinom.fit([-1, 1, 2])
    with pytest.raises(ValueError, match="integer"):
        fastmle.nbinom.fit([1.5, 2, 3])
    with pytest.raises(ValueError, match="integer"):
        fastmle.binom.fit([1, 2, 3], fn=10.5)
    with pytest.raises(ValueError, match="non-finite"):
        fastmle.zipoisson.fit([1, np.nan, 3])
    with pytest.raises(ValueError, match="loc must be an integer"):
        fastmle.geom.fit([1, 2, 3], floc=0.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fastmle.nbinom.fit([1, 2, 3], fp=1.5)
    with pytest.raises(ValueError, match="wider than the support"):
        fastmle.binom.fit([0, 20], fn=10, floc=None)
    with pytest.raises(TypeError):
        fastmle.geom.fit([1, 2, 3], 0.5, 0.5)


# -- method of moments ---------------------------------------------------------------------
@pytest.mark.parametrize("name,shapes", [("geom", (0.3,)), ("binom", (12, 0.3)), ("nbinom", (2.5, 0.3)),
                                         ("betabinom", (12, 2.0, 3.0)), ("betabinom", (5, 0.3, 0.9))])
def test_moments_match_scipy(name, shapes):
    ours = getattr(fastmle, name)._std_moments(shapes)
    theirs = [float(v) for v in getattr(st, name).stats(*shapes, moments="mvsk")]
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_zipoisson_moments_match_the_pmf():
    mu, pi = 3.5, 0.25
    k = np.arange(200.0)
    p = np.exp(zip_logpmf(k, mu, pi))
    m = np.sum(k * p)
    v = np.sum((k - m) ** 2 * p)
    sk = np.sum((k - m) ** 3 * p) / v ** 1.5
    ku = np.sum((k - m) ** 4 * p) / v ** 2 - 3
    np.testing.assert_allclose(fastmle.zipoisson._std_moments((mu, pi)), (m, v, sk, ku), rtol=1e-10)


def test_method_of_moments():
    rng = np.random.default_rng(17)
    x = rng.geometric(0.25, 500)
    assert fastmle.geom.fit(x, method="MM")[0] == pytest.approx(1 / x.mean(), rel=1e-8)
    y = rng.negative_binomial(3.0, 0.4, 2000)
    n, p, loc = fastmle.nbinom.fit(y, method="MM")
    m, v = y.mean(), y.var()
    # first two raw moments matched: n (1-p)/p = m, n (1-p)/p^2 = v
    assert n * (1 - p) / p == pytest.approx(m, rel=1e-8)
    assert n * (1 - p) / p ** 2 == pytest.approx(v, rel=1e-8)


def test_quick_path_for_integer_arrays_equals_the_full_path():
    rng = np.random.default_rng(19)
    x = rng.geometric(0.2, 1000)
    for dist, kw in [(fastmle.geom, {}), (fastmle.geom, {"floc": -2}), (fastmle.binom, {"fn": 40})]:
        quick = dist.fit(x, **kw)                        # int64: the scan's closed form
        full = tuple(fastmle.fit(dist, x, **kw).params)  # the table, Newton-confirmed
        assert all(type(v) is float for v in quick)
        np.testing.assert_allclose(quick, full, rtol=1e-10)


def test_free_loc_with_counts_spanning_a_huge_range():
    # the raw data are used (no table) and the search window below min(x) is
    # ~1e8 wide; candidates deep in it are Poisson limits, compared exactly
    x = np.random.default_rng(1).negative_binomial(2.0, 1e-4, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        free = fastmle.fit("nbinom", x, floc=None)
    at0 = fastmle.fit("nbinom", x)
    assert free.params.loc <= x.min() and abs(free.params.loc) < 1e4
    assert free.llf >= at0.llf - 1e-9 * abs(at0.llf)
    assert st.nbinom.nnlf(tuple(free.params), x) <= st.nbinom.nnlf(tuple(at0.params), x) + 1e-6
