"""Supports bounded on one side at loc: rayleigh, halfnorm, chi2, invgauss,
fisk, lomax, weibull_max."""
import math
import warnings

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle import FitDataError

from _family_checks import (check_derivatives, check_dtypes_weights_threads, check_fit_not_worse_than_scipy,
                            check_loglike_matches_scipy)

# (name, params in scipy order) for the kernel checks; data drawn from scipy
KERNEL_CASES = [
    ("rayleigh", (1.0, 2.0)),
    ("rayleigh", (1e3, 1e-2)),
    ("halfnorm", (-3.0, 0.5)),
    ("halfnorm", (0.0, 1e8)),
    ("invgauss", (0.5, 1.0, 2.0)),
    ("invgauss", (3.0, -2.0, 1e-3)),
    ("chi2", (3.0, 1.0, 2.0)),
    ("chi2", (0.7, 0.0, 1.0)),
    ("fisk", (3.0, 1.0, 2.0)),
    ("fisk", (0.6, 0.0, 1e-6)),
    ("lomax", (2.5, 0.0, 1.0)),
    ("lomax", (0.8, 5.0, 1e3)),
    ("weibull_max", (3.0, 1.0, 2.0)),
    ("weibull_max", (0.7, 1e7, 5.0)),
]


def rvs(name, params, n, seed):
    return getattr(st, name).rvs(*params, size=n, random_state=np.random.default_rng(seed))


def fit_quiet(dist, x, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dist.fit(x, *args, **kw)


@pytest.mark.parametrize("name,params", KERNEL_CASES)
def test_kernel_mathematics(name, params):
    rng = np.random.default_rng(0)
    x = rvs(name, params, 400, 1)
    # evaluate with loc a little away from the data's edge: the finite
    # differences in loc must not step outside the support
    params = list(params)
    params[-2] += (0.05 if name == "weibull_max" else -0.05) * params[-1]
    dist = getattr(fastmle, name)
    check_loglike_matches_scipy(dist, x, params)
    check_derivatives(dist, x, params)
    check_dtypes_weights_threads(dist, x, params, rng)


@pytest.mark.parametrize("name,params", KERNEL_CASES)
def test_outside_support_is_minus_inf(name, params):
    """One observation beyond loc makes the log-likelihood -inf, never NaN."""
    x = rvs(name, params, 50, 2)
    m = len(params) - 2
    loc = params[m]
    x[3] = loc + 1.0 if name == "weibull_max" else loc - 1.0
    assert fastmle.REGISTRY[name].loglike(x, params) == -np.inf


# -- closed forms ------------------------------------------------------------------

def test_rayleigh_fixed_loc_closed_form():
    x = rvs("rayleigh", (1.0, 2.0), 3000, 3)
    y = x - 0.25
    want = math.sqrt(math.fsum(y * y) / (2 * len(x)))
    quick = fastmle.rayleigh.fit(x, floc=0.25)
    assert quick[0] == 0.25
    assert abs(quick[1] - want) <= 1e-12 * want
    # the validating path (weights force it): Newton lands on the closed form
    res = fastmle.fit("rayleigh", x, floc=0.25, weights=np.ones_like(x))
    assert abs(res.params[1] - want) <= 1e-10 * want
    assert abs(res.closed_form["scale"] - want) <= 1e-12 * want


def test_halfnorm_closed_forms():
    x = rvs("halfnorm", (-3.0, 0.5), 3000, 4)
    mn = x.min()
    for kw, loc in (({}, mn), ({"floc": -3.5}, -3.5)):
        want = math.sqrt(math.fsum((x - loc) ** 2) / len(x))
        quick = fastmle.halfnorm.fit(x, **kw)
        assert quick[0] == loc
        assert abs(quick[1] - want) <= 1e-12 * want
        res = fastmle.fit("halfnorm", x, weights=np.ones_like(x), **kw)
        assert res.params[0] == loc
        assert abs(res.params[1] - want) <= 1e-10 * want
    # free loc with fixed scale: loc is still min(x)
    assert fastmle.halfnorm.fit(x, fscale=2.0) == (mn, 2.0)


def test_halfnorm_far_from_origin_keeps_precision():
    # x[0] far above the others: the scan's shifted sums would cancel
    x = np.concatenate([[1e7 + 50.0], 1e7 + np.abs(np.random.default_rng(5).normal(0, 1e-3, 999))])
    loc = x.min()
    want = math.sqrt(math.fsum((x - loc) ** 2) / len(x))
    got = fastmle.halfnorm.fit(x)
    assert got[0] == loc and abs(got[1] - want) <= 1e-10 * want
    got = fastmle.fit("halfnorm", x, weights=np.ones_like(x)).params
    assert got[0] == loc and abs(got[1] - want) <= 1e-10 * want


def _ig_closed(y, fmu=None, fscale=None):
    n = len(y)
    ybar = math.fsum(y) / n
    sinv = math.fsum(1.0 / y)
    if fmu is not None:
        return fmu, (n + math.sqrt(n * n + 4 * sinv * math.fsum(y) / fmu ** 2)) / (2 * sinv)
    if fscale is not None:
        return ybar / fscale, fscale
    scale = n / math.fsum(1.0 / y - 1.0 / ybar)
    return ybar / scale, scale


@pytest.mark.parametrize("kw", [{}, {"f0": 0.3}, {"fmu": 2.0}, {"fscale": 1.5}])
def test_invgauss_fixed_loc_closed_forms(kw):
    x = rvs("invgauss", (0.5, 1.0, 2.0), 2000, 6)
    y = x - 0.5
    fmu = kw.get("f0", kw.get("fmu"))
    mu, scale = _ig_closed(y, fmu, kw.get("fscale"))
    quick = fastmle.invgauss.fit(x, floc=0.5, **kw)
    np.testing.assert_allclose(quick, (mu, 0.5, scale), rtol=1e-10)
    res = fastmle.fit("invgauss", x, floc=0.5, weights=np.ones_like(x), **kw)
    np.testing.assert_allclose(res.params, (mu, 0.5, scale), rtol=1e-9)
    # the closed form is the maximum: the likelihood's gradient vanishes there
    g = fastmle.invgauss._evaluate(fastmle._data.as_data(x), [mu, 0.5, scale])[1]
    free = [i for i, k in ((0, "mu"), (2, "scale")) if not ({"f0", "fmu"} & set(kw) and k == "mu")
            and not ("fscale" in kw and k == "scale")]
    assert np.all(np.abs(g[free]) <= 1e-7 * len(x))
    if fmu is not None:
        assert quick[0] == fmu


def test_chi2_is_gamma_reparametrized():
    x = rvs("chi2", (3.0, 0.0, 2.0), 3000, 7)
    a, _, sg = fastmle.gamma.fit(x, floc=0)
    df, loc, scale = fastmle.chi2.fit(x, floc=0)
    assert loc == 0
    np.testing.assert_allclose((df, scale), (2 * a, sg / 2), rtol=1e-12)
    # fixed df: the scale's closed form mean(x - loc) / df
    df, loc, scale = fastmle.chi2.fit(x, floc=0, f0=3.0)
    assert df == 3.0 and abs(scale - math.fsum(x) / len(x) / 3.0) <= 1e-12 * scale
    res = fastmle.fit("chi2", x, floc=0, fdf=3.0, weights=np.ones_like(x))
    assert abs(res.params[2] - math.fsum(x) / len(x) / 3.0) <= 1e-10 * scale


# -- parity with scipy -----------------------------------------------------------------

PARITY = [
    ("rayleigh", (1.0, 2.0), [{}, {"floc": 0.5}, {"fscale": 2.0}]),
    ("halfnorm", (1.0, 2.0), [{}, {"floc": 0.5}, {"fscale": 2.0}]),
    ("invgauss", (0.5, 1.0, 2.0), [{}, {"floc": 0.5}, {"floc": 0.5, "f0": 0.4}, {"floc": 0.5, "fscale": 2.0},
                                   {"f0": 0.5}, {"fscale": 2.0}, {"f0": 0.5, "fscale": 2.0}]),
    ("chi2", (3.0, 1.0, 2.0), [{}, {"floc": 0.0}, {"floc": 0.0, "f0": 3.0}, {"floc": 0.0, "fscale": 2.0},
                               {"fdf": 3.0}, {"fscale": 2.0}, {"f0": 3.0, "fscale": 2.0}]),
    ("fisk", (3.0, 1.0, 2.0), [{}, {"floc": 0.0}, {"floc": 0.0, "f0": 3.0}, {"floc": 0.0, "fscale": 2.0},
                               {"fc": 3.0}, {"fscale": 2.0}, {"f0": 3.0, "fscale": 2.0}]),
    ("lomax", (2.5, 0.0, 2.0), [{}, {"floc": 0.0}, {"floc": 0.0, "f0": 2.5}, {"floc": 0.0, "fscale": 2.0},
                                {"fc": 2.5}, {"fscale": 2.0}, {"f0": 2.5, "fscale": 2.0}]),
    ("weibull_max", (3.0, 1.0, 2.0), [{}, {"floc": 1.0}, {"floc": 1.0, "f0": 3.0}, {"floc": 1.0, "fscale": 2.0},
                                      {"fc": 3.0}, {"fscale": 2.0}, {"f0": 3.0, "fscale": 2.0}]),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [50, 1000])
@pytest.mark.parametrize("name,params,kws", PARITY, ids=[p[0] for p in PARITY])
def test_fit_never_worse_than_scipy(name, params, kws, n, seed):
    x = rvs(name, params, n, 10 + seed)
    for kw in kws:
        if "floc" in kw and name != "weibull_max":
            x = np.maximum(x, kw["floc"] + 1e-9)
        check_fit_not_worse_than_scipy(name, x, kw)


@pytest.mark.parametrize("name,params,kw", [
    ("rayleigh", (1.0, 2.0), {"floc": 0.5}),
    ("halfnorm", (1.0, 2.0), {}),
    ("invgauss", (0.5, 1.0, 2.0), {"floc": 0.5}),
    ("chi2", (3.0, 0.0, 2.0), {"floc": 0.0}),
])
def test_large_closed_form_parity(name, params, kw):
    check_fit_not_worse_than_scipy(name, rvs(name, params, 100_000, 3), kw)


@pytest.mark.parametrize("name,shape", [("fisk", 0.7), ("weibull_max", 0.6), ("chi2", 1.2)])
def test_small_shape_free_loc(name, shape):
    """Shapes below 1 (df < 2): the likelihood is unbounded at the data's
    edge; fastmle returns a finite answer no worse than scipy's or reports
    the edge (the shared check accepts only that)."""
    params = (shape, 1.0, 2.0)
    for seed in range(3):
        x = rvs(name, params, 500, 20 + seed)
        ours = check_fit_not_worse_than_scipy(name, x, {})
        assert np.all(np.isfinite(ours))


# -- bad data and hard cases ---------------------------------------------------------------

@pytest.mark.parametrize("name,kw,bad", [
    ("rayleigh", {"floc": 1.0}, 1.0),          # open support: x == loc is invalid
    ("rayleigh", {"floc": 1.0}, 0.5),
    ("halfnorm", {"floc": 1.0}, 0.5),
    ("invgauss", {"floc": 1.0}, 0.5),
    ("invgauss", {"floc": 1.0, "f0": 1.0}, 0.5),
    ("chi2", {"floc": 1.0}, 0.5),
    ("fisk", {"floc": 1.0}, 0.5),
    ("lomax", {"floc": 1.0}, 0.5),
    ("weibull_max", {"floc": 1.0}, 1.5),
])
def test_data_outside_fixed_support_raises(name, kw, bad):
    x = np.linspace(1.1, 3.0, 40) if name != "weibull_max" else np.linspace(-1.0, 0.9, 40)
    x[5] = bad
    with pytest.raises(FitDataError, match=r"1 of 40 observations"):
        getattr(fastmle, name).fit(x, **kw)
    with pytest.raises(FitDataError):
        fastmle.fit(name, x, weights=np.ones_like(x), **kw)
    if name in ("rayleigh", "halfnorm", "invgauss") and bad == 0.5 and len(kw) == 1:   # scipy's overrides check
        with warnings.catch_warnings(), pytest.raises(ValueError):
            warnings.simplefilter("ignore")
            getattr(st, name).fit(x, **kw)


@pytest.mark.parametrize("name", ["rayleigh", "halfnorm", "invgauss", "chi2", "fisk", "lomax", "weibull_max"])
def test_non_finite_data_raises(name):
    x = np.linspace(1.0, 3.0, 30)
    x[4] = np.nan
    for kw in ({}, {"floc": 0.0} if name != "weibull_max" else {"floc": 4.0}):
        with pytest.raises(ValueError, match="non-finite"):
            getattr(fastmle, name).fit(x, **kw)


@pytest.mark.parametrize("name", ["rayleigh", "halfnorm", "invgauss", "chi2", "fisk", "lomax", "weibull_max"])
def test_all_equal_data(name):
    """All observations equal: a clear ValueError, never NaN."""
    x = np.full(20, 3.0)
    for kw in ({}, {"floc": 1.0} if name != "weibull_max" else {"floc": 5.0}):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = getattr(fastmle, name).fit(x, **kw)
        except ValueError as exc:
            assert "equal" in str(exc) or "not finite" in str(exc) or "degenerate" in str(exc), str(exc)
        else:
            assert np.all(np.isfinite(out)), (kw, out)


@pytest.mark.parametrize("name,params", [
    ("rayleigh", (1e7, 1.0)), ("halfnorm", (1e7, 1.0)), ("invgauss", (0.5, 1e7, 1.0)),
    ("chi2", (4.0, 1e7, 1.0)), ("fisk", (4.0, 1e7, 1.0)), ("weibull_max", (3.0, 1e7, 1.0)),
    ("rayleigh", (0.0, 1e-8)), ("invgauss", (0.5, 0.0, 1e8)), ("fisk", (3.0, 0.0, 1e-8)),
    ("lomax", (3.0, 0.0, 1e8)), ("weibull_max", (3.0, 0.0, 1e-8)), ("chi2", (3.0, 0.0, 1e8)),
])
def test_far_from_origin_and_extreme_scales(name, params):
    x = rvs(name, params, 400, 30)
    check_fit_not_worse_than_scipy(name, x, {})


@pytest.mark.parametrize("name", ["rayleigh", "halfnorm", "invgauss", "chi2", "fisk", "lomax", "weibull_max"])
@pytest.mark.parametrize("n", [2, 3])
def test_tiny_samples_finite_or_clear_error(name, n):
    x = rvs(name, {"rayleigh": (0, 1), "halfnorm": (0, 1)}.get(name, (2.0, 0.0, 1.0)), n, 40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = getattr(fastmle, name).fit(x)
        except ValueError as exc:
            assert str(exc)
            return
    assert np.all(np.isfinite(out)), out
    sd = getattr(st, name)
    assert np.isfinite(sd.nnlf(out, x)) or name in ("halfnorm", "lomax")


def test_ties_at_the_minimum():
    x = np.concatenate([np.full(30, 1.0), rvs("lomax", (2.5, 1.0, 1.0), 200, 41)])
    for name in ("halfnorm", "lomax"):
        out = fit_quiet(getattr(fastmle, name), x)
        assert out[-2] == 1.0 and np.all(np.isfinite(out))
        assert np.isfinite(getattr(st, name).nnlf(out, x))


# -- method of moments ------------------------------------------------------------------------

@pytest.mark.parametrize("name,shapes", [
    ("rayleigh", ()), ("halfnorm", ()), ("invgauss", (0.7,)), ("chi2", (5.0,)), ("fisk", (6.0,)),
    ("lomax", (7.0,)), ("weibull_max", (2.5,)),
])
def test_std_moments_match_scipy(name, shapes):
    got = fastmle.REGISTRY[name]._std_moments(shapes)
    want = [float(v) for v in getattr(st, name).stats(*shapes, moments="mvsk")]
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("name,params,kw", [
    ("rayleigh", (1.0, 2.0), {}), ("halfnorm", (1.0, 2.0), {}), ("invgauss", (0.5, 0.0, 2.0), {"floc": 0.0}),
    ("chi2", (5.0, 0.0, 1.0), {"floc": 0.0}), ("weibull_max", (3.0, 0.0, 2.0), {"floc": 0.0}),
])
def test_method_of_moments_matches_sample_moments(name, params, kw):
    x = rvs(name, params, 5000, 50)
    out = fit_quiet(fastmle.REGISTRY[name], x, method="MM", **kw)
    mean, var, _, _ = getattr(st, name).stats(*out, moments="mvsk")
    np.testing.assert_allclose([mean, var], [x.mean(), x.var()], rtol=1e-7)


@pytest.mark.parametrize("n", [3, 100, 4000, 300_000])
@pytest.mark.parametrize("seed", [0, 1])
def test_rayleigh_free_loc_root_finder(n, seed):
    """The profile root finder agrees with the driver's Newton fit and
    solves the profile equation 2 n sum(y) / sum(y**2) = sum(1/y)."""
    x = rvs("rayleigh", (1e3 * seed, 0.5 + seed), n, 60 + seed)
    quick = fastmle.rayleigh.fit(x)
    full = fastmle.fit("rayleigh", x, weights=np.ones_like(x)).params
    np.testing.assert_allclose(quick, full, rtol=0, atol=1e-9 * full[1])
    y = x - quick[0]
    lhs, rhs = 2 * n * math.fsum(y) / math.fsum(y * y), math.fsum(1 / y)
    assert abs(lhs - rhs) <= 1e-8 * rhs
    assert abs(quick[1] - math.sqrt(math.fsum(y * y) / (2 * n))) <= 1e-12 * quick[1]


@pytest.mark.parametrize("name,params,kw", [
    ("rayleigh", (1.0, 2.0), {}), ("rayleigh", (1.0, 2.0), {"floc": 0.5}), ("halfnorm", (1.0, 2.0), {}),
    ("halfnorm", (1.0, 2.0), {"floc": 0.5}), ("invgauss", (0.5, 1.0, 2.0), {"floc": 0.5}),
    ("invgauss", (0.5, 1.0, 2.0), {"floc": 0.5, "fmu": 0.4}), ("chi2", (3.0, 1.0, 2.0), {"floc": 0.5}),
])
def test_quick_paths_float32_and_threads(name, params, kw):
    """The one-pass paths read float32 in place and give the float64 answer;
    1 and 2 threads agree bitwise."""
    x32 = rvs(name, params, 200_000, 70).astype(np.float32)
    dist = fastmle.REGISTRY[name]
    a = dist.fit(x32, **kw)
    b = dist.fit(x32.astype(np.float64), **kw)
    np.testing.assert_allclose(a, b, rtol=1e-12)
    assert dist.fit(x32, n_threads=1, **kw) == dist.fit(x32, n_threads=2, **kw)


@pytest.mark.parametrize("name,params", [("fisk", (3.0, 1.0, 2.0)), ("weibull_max", (3.0, 1.0, 2.0)),
                                         ("invgauss", (0.5, 1.0, 2.0)), ("lomax", (2.5, 1.0, 2.0))])
def test_guesses_and_argument_errors(name, params):
    x = rvs(name, params, 500, 80)
    dist = fastmle.REGISTRY[name]
    plain = np.array(fit_quiet(dist, x))
    guessed = np.array(fit_quiet(dist, x, params[0] * 1.3, loc=params[1] - 0.1 if name != "weibull_max"
                                 else params[1] + 0.1, scale=params[2] * 0.8))
    sd = getattr(st, name)
    assert abs(sd.nnlf(guessed, x) - sd.nnlf(plain, x)) <= 1e-8 * abs(sd.nnlf(plain, x))
    with pytest.raises(TypeError):
        dist.fit(x, 1.0, 2.0)
    with pytest.raises(ValueError):
        dist.fit(x, f0=1.0, **{f"f{dist.shapes[0]}": 1.0})
    with pytest.raises(ValueError):
        dist.fit(x, fscale=-1.0)


@pytest.mark.parametrize("n", [5, 100, 300_000])
@pytest.mark.parametrize("seed", [0, 1])
def test_invgauss_free_loc_root_finder(n, seed):
    """The profile root finder (closed-form mu and scale at each loc) agrees
    with the driver's 3-D Newton fit, and the full gradient vanishes there."""
    x = rvs("invgauss", (0.3 + 0.5 * seed, 1e3 * seed, 1.5), n, 90 + seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", fastmle.ConvergenceWarning)
        quick = fastmle.invgauss.fit(x)
        full = fastmle.fit("invgauss", x, weights=np.ones_like(x)).params
    # a fit on the normal-limit ridge must say so, once per call
    assert all("normal limit" in str(w.message) for w in caught) and len(caught) in (0, 2)
    np.testing.assert_allclose(quick, full, rtol=1e-9, atol=1e-9 * full[2])
    if n < 100:
        return      # tiny samples may sit on the normal-limit ridge (mu -> 0): ill-conditioned
    g = fastmle.invgauss._evaluate(fastmle._data.as_data(x), list(quick))[1]
    hess = fastmle.invgauss._evaluate(fastmle._data.as_data(x), list(quick))[2]
    # gradient small against the curvature: a Newton step from here moves < 1e-8 relative
    step = np.linalg.solve(hess, g)
    assert np.all(np.abs(step) <= 1e-8 * np.abs(np.array(quick)) + 1e-8 * quick[2]), step


@pytest.mark.parametrize("name,params,kw", [
    ("rayleigh", (1.0, 2.0), {}), ("halfnorm", (1.0, 2.0), {}), ("invgauss", (0.5, 1.0, 2.0), {}),
    ("chi2", (5.0, 1.0, 2.0), {}), ("fisk", (4.0, 1.0, 2.0), {}), ("lomax", (2.5, 1.0, 2.0), {}),
    ("weibull_max", (3.0, 1.0, 2.0), {}), ("lomax", (2.5, 1.0, 2.0), {"floc": 0.5}),
])
def test_weighted_fit_equals_repeated_rows(name, params, kw):
    x = rvs(name, params, 300, 100)
    w = np.random.default_rng(101).integers(1, 4, size=x.shape[0]).astype(float)
    a = fastmle.fit(name, x, weights=w, **kw).params
    b = fit_quiet(fastmle.REGISTRY[name], np.repeat(x, w.astype(int)), **kw)
    np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9 * b[-1])


@pytest.mark.parametrize("name,gen,kw,phrase", [
    ("lomax", lambda r: 1.0 + r.uniform(0, 1, 500), {}, "exponential limit"),
    ("lomax", lambda r: 1.0 + np.abs(r.normal(0, 1, 500)), {"floc": 0.5}, "exponential limit"),
    ("invgauss", lambda r: 1.0 - r.exponential(1.0, 500), {}, "normal limit"),
])
def test_no_finite_maximum_is_reported(name, gen, kw, phrase):
    """Data outside the family's reach (lighter tails than any lomax, no
    right skew for an inverse Gaussian): a ConvergenceWarning naming the
    limit, a finite answer no worse than scipy's."""
    x = gen(np.random.default_rng(110))
    with pytest.warns(fastmle.ConvergenceWarning, match=phrase):
        res = fastmle.fit(name, x, **kw)
    assert not res.converged and phrase in res.message
    assert np.all(np.isfinite(res.params))
    check_fit_not_worse_than_scipy(name, x, kw)


def test_invgauss_fixed_loc_far_from_data_keeps_precision():
    """1e7 + unit noise with floc = 0: sum(1/y) - n/mean(y) cancels 14
    digits; the free scale must still match the exactly computed closed form."""
    from fractions import Fraction
    x = 1e7 + np.random.default_rng(120).normal(0.0, 1.0, 1000)
    ys = [Fraction(float(v)) for v in x]
    n = len(ys)
    ybar = sum(ys) / n
    scale = float(n / sum(1 / y - 1 / ybar for y in ys))
    mu = float(ybar) / scale
    quick = fastmle.invgauss.fit(x, floc=0)
    np.testing.assert_allclose(quick, (mu, 0, scale), rtol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = fastmle.fit("invgauss", x, floc=0, weights=np.ones_like(x)).params
    np.testing.assert_allclose(full, (mu, 0, scale), rtol=1e-8)
    check_fit_not_worse_than_scipy("invgauss", x, {"floc": 0})


@pytest.mark.parametrize("name,params,kw", [
    ("rayleigh", (1.0, 2.0), {"floc": 0.5}), ("halfnorm", (1.0, 2.0), {}), ("halfnorm", (1.0, 2.0), {"floc": 0.5}),
    ("invgauss", (0.5, 1.0, 2.0), {"floc": 0.5}), ("invgauss", (0.5, 1.0, 2.0), {"floc": 0.5, "fscale": 3.0}),
])
def test_closed_forms_ignore_guesses(name, params, kw):
    """Guesses only seed iterations: a closed-form fit returns the MLE whatever they are."""
    x = rvs(name, params, 400, 130)
    dist = fastmle.REGISTRY[name]
    plain = dist.fit(x, **kw)
    args = (7.0,) if dist.shapes and not ({"f0", "fmu"} & set(kw)) else ()
    guessed = dist.fit(x, *args, scale=50.0, **kw)
    np.testing.assert_allclose(guessed, plain, rtol=1e-12)
