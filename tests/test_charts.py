"""Limit charts (fastmle/distributions/_charts.py, src/families/charts.h).

A chart rewrites a family as (k, mu, sigma) with its limit family at k = 0.
Checked here: the chart density is scipy's at the mapped parameters and the
limit family's at k = 0; gradients and Hessians against finite differences,
across the switch from power series to closed forms; the z-free constants
across their own switches; the natural-parameter derivatives obtained through
the chart against the families' own kernels; and the fits that use charts:
limits found and reported (converged False, the limit named, its
log-likelihood equal to the limit family's MLE), huge-but-finite maxima
found as regular maxima, in a few passes, never worse than scipy.
"""
import math
import warnings

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle._budget import WorkBudget
from fastmle._data import as_data
from fastmle.distributions._charts import CHARTS

from _family_checks import check_fit_not_worse_than_scipy

# k values on both sides of the kernels' series/closed-form switches (|k z| of
# 0.05 and 0.1 with |z| up to ~3) and of the constants' (gamma k = 0.3, t k = 0.01)
KS = [1e-7, 0.004, 0.02, 0.05, 0.09, 0.2, 0.299, 0.301, 0.45]


def _data(n=300, seed=0):
    return np.random.default_rng(seed).normal(1.0, 2.0, n)


ONE_SHAPE = sorted(n for n, c in CHARTS.items() if c.m == 1)


@pytest.mark.parametrize("name", ONE_SHAPE)
@pytest.mark.parametrize("k", KS)
def test_chart_density_is_scipys_at_the_mapped_parameters(name, k):
    chart = CHARTS[name]
    x = _data()
    theta = np.array([k, 1.3, 2.2])
    ll = chart.evaluate(as_data(x), theta)[0]
    p = chart.natural(theta)[0]
    bounded = name not in ("t", "skewnorm")
    if bounded and not np.all(1.0 + k * (x - 1.3) / 2.2 * (-1 if name == "weibull_max" else 1) > 0):
        assert ll == -np.inf
        return
    ref = float(np.sum(getattr(st, name).logpdf(x, *p)))
    # scipy's own formulas round ~eps/k (gamma: eps/k^2) per observation
    tol = 1e-13 + (2e-16 / k ** 2 if name == "gamma" else 2e-16 / k) * bounded
    assert abs(ll - ref) <= tol * abs(ref) * 10, (ll, ref)


@pytest.mark.parametrize("name", ONE_SHAPE)
def test_chart_at_zero_is_the_limit_family(name):
    chart = CHARTS[name]
    x = _data()
    ll = chart.evaluate(as_data(x), np.array([0.0, 1.3, 2.2]))[0]
    ref = float(np.sum(getattr(st, chart.limit or "norm").logpdf(x, 1.3, 2.2)))
    assert abs(ll - ref) <= 1e-13 * abs(ref)


@pytest.mark.parametrize("name", ONE_SHAPE)
@pytest.mark.parametrize("k", [0.0] + KS)
def test_chart_derivatives_match_finite_differences(name, k):
    chart = CHARTS[name]
    data = as_data(_data())
    theta = np.array([k, 1.3, 2.2])
    ll, g, H = chart.evaluate(data, theta)
    if not np.isfinite(ll):
        return
    steps = np.array([1e-4, 1e-4, 1e-4])
    for i in range(3):
        h = steps[i]
        if i == 0 and k < 2 * h:
            # one-sided at the floor k = 0 (4th order forward differences)
            f = [chart.evaluate(data, theta + j * h * np.eye(3)[i]) for j in range(5)]
            fd_g = (-25 * f[0][0] + 48 * f[1][0] - 36 * f[2][0] + 16 * f[3][0] - 3 * f[4][0]) / (12 * h)
            fd_H = (-25 * f[0][1] + 48 * f[1][1] - 36 * f[2][1] + 16 * f[3][1] - 3 * f[4][1]) / (12 * h)
        else:
            f = [chart.evaluate(data, theta + s * h * np.eye(3)[i]) for s in (-2, -1, 1, 2)]
            fd_g = (f[0][0] - 8 * f[1][0] + 8 * f[2][0] - f[3][0]) / (12 * h)
            fd_H = (f[0][1] - 8 * f[1][1] + 8 * f[2][1] - f[3][1]) / (12 * h)
        assert abs(g[i] - fd_g) <= 1e-6 * max(1.0, np.max(np.abs(g))), (i, g[i], fd_g)
        np.testing.assert_allclose(H[:, i], fd_H, rtol=0, atol=1e-6 * max(1.0, np.max(np.abs(H))))
    np.testing.assert_array_equal(H, H.T)


@pytest.mark.parametrize("c", [-1.3, -0.6, -0.02, 0.0, 3e-5, 0.7, 1.32])
def test_skewnorm_chart_both_signs(c):
    """The centred chart of skewnorm: c of either sign up to |c| < 1.3236
    (|a| -> inf), scipy's density at the mapped parameters, finite
    differences, and the mapping back and forth."""
    chart = CHARTS["skewnorm"]
    data = as_data(_data())
    theta = np.array([c, 1.3, 2.2])
    ll, g, H = chart.evaluate(data, theta)
    p = chart.natural(theta)[0]
    assert ll == pytest.approx(float(np.sum(st.skewnorm.logpdf(_data(), *p))), rel=1e-12)
    np.testing.assert_allclose(chart.chart(p), theta, rtol=1e-9, atol=1e-12)
    h = 1e-5
    for i in range(3):
        f = [chart.evaluate(data, theta + s * h * np.eye(3)[i]) for s in (-2, -1, 1, 2)]
        fd_g = (f[0][0] - 8 * f[1][0] + 8 * f[2][0] - f[3][0]) / (12 * h)
        fd_H = (f[0][1] - 8 * f[1][1] + 8 * f[2][1] - f[3][1]) / (12 * h)
        assert abs(g[i] - fd_g) <= 1e-6 * max(1.0, np.max(np.abs(g)))
        np.testing.assert_allclose(H[:, i], fd_H, rtol=0, atol=1e-6 * max(1.0, np.max(np.abs(H))))
    assert chart.evaluate(data, np.array([1.33, 1.3, 2.2]))[0] == -np.inf     # beyond |a| = inf


@pytest.mark.parametrize("name,switch", [("gamma", 0.3), ("t", 0.01)])
def test_constants_continuous_across_their_switch(name, switch):
    """The z-free constant and its k-derivatives: series below the switch,
    special functions above; both agree there to rounding."""
    chart = CHARTS[name]
    below = chart.constant(switch * (1 - 1e-12))
    above = chart.constant(switch * (1 + 1e-12))
    assert below[0] == pytest.approx(above[0], rel=1e-13, abs=1e-15)
    assert below[1][0] == pytest.approx(above[1][0], rel=1e-9, abs=1e-12)
    assert below[2][0, 0] == pytest.approx(above[2][0, 0], rel=1e-7, abs=1e-10)


@pytest.mark.parametrize("name,k", [("gamma", 0.5), ("gamma", 0.1), ("t", 0.3), ("t", 0.005)])
def test_constants_derivatives_match_finite_differences(name, k):
    chart = CHARTS[name]
    h = 1e-5 * k
    c = [chart.constant(k + s * h) for s in (-2, -1, 1, 2)]
    d1 = (c[0][0] - 8 * c[1][0] + 8 * c[2][0] - c[3][0]) / (12 * h)
    d2 = (c[0][1][0] - 8 * c[1][1][0] + 8 * c[2][1][0] - c[3][1][0]) / (12 * h)
    c0, c1, c2 = chart.constant(k)
    assert c1[0] == pytest.approx(d1, rel=1e-7, abs=1e-10)
    assert c2[0, 0] == pytest.approx(d2, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("name,params", [
    ("gamma", (6.0, -12.0, 1.5)), ("lognorm", (0.3, -12.0, 13.0)), ("fisk", (6.0, -12.0, 13.0)),
    ("weibull_min", (4.0, -12.0, 13.0)), ("weibull_max", (4.0, 12.0, 11.0)), ("invgauss", (0.4, -12.0, 9.0)),
    ("t", (12.0, 1.0, 2.0)),
])
def test_natural_derivatives_through_the_chart(name, params):
    """g and H in scipy's parameters from the chart's (inverse-function
    chain rule) equal the family's own kernel's."""
    chart = CHARTS[name]
    dist = fastmle.REGISTRY[name]
    x = _data(500, 1)
    data = as_data(x)
    theta = chart.chart(params)
    np.testing.assert_allclose(chart.natural(theta)[0], params, rtol=1e-13)
    ll, g, H = chart.natural_derivatives(theta, *chart.evaluate(data, theta))
    ref = _natural_llgh(dist, data, list(params))
    assert ll == pytest.approx(ref[0], rel=1e-12)
    np.testing.assert_allclose(g, ref[1], rtol=1e-8, atol=1e-8 * np.max(np.abs(ref[1])))
    np.testing.assert_allclose(H, ref[2], rtol=1e-8, atol=1e-8 * np.max(np.abs(ref[2])))


def _natural_llgh(dist, data, p):
    """(ll, grad, hess) of a family's own kernel in scipy's parameters, loc free."""
    from fastmle import _gamma, _lognorm

    if dist.name == "gamma":
        return _gamma.loglike_grad_hess(data.reduce(_gamma.sums, p[1], True), *p)
    if dist.name == "lognorm":
        lshift = math.log(p[2])
        return _lognorm.loglike_grad_hess(data.reduce(_lognorm.sums, p[1], lshift, True), lshift, *p)
    if dist.name == "weibull_min":
        return dist._evaluate(data, p, True)
    return dist._evaluate(data, p)


def _fit_counting(name, x):
    budget = WorkBudget(math.inf)
    with budget, warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = fastmle.fit(name, x)
    return res, budget.used / x.shape[0]


def _limit_data(gen, n, seed):
    return gen(np.random.default_rng(seed), n)


# data beyond the family's reach, and the limit its likelihood rises towards
LIMIT_CASES = [
    ("gamma", lambda r, n: 5.0 - r.gamma(4.0, 1.0, n), "norm"),          # left-skewed
    ("lognorm", lambda r, n: 5.0 - r.gamma(4.0, 1.0, n), "norm"),
    ("invgauss", lambda r, n: 5.0 - r.gamma(4.0, 1.0, n), "norm"),
    ("fisk", lambda r, n: 5.0 - r.gamma(4.0, 1.0, n), "logistic"),
    ("weibull_max", lambda r, n: r.gamma(1.2, 1.0, n), "gumbel_r"),       # skewness 1.8 > gumbel_r's 1.14
    ("t", lambda r, n: r.uniform(0.0, 1.0, n), "norm"),                   # lighter tails than a normal
]


@pytest.mark.parametrize("n", [3000, 200_000])
@pytest.mark.parametrize("name,gen,limit", LIMIT_CASES, ids=[c[0] for c in LIMIT_CASES])
def test_limit_found_named_and_cheap(name, gen, limit, n):
    x = _limit_data(gen, n, 5)
    with pytest.warns(fastmle.ConvergenceWarning, match="limit"):
        res = fastmle.fit(name, x)
    assert not res.converged
    info = res.mle_retvals["limit"]
    assert info["family"] == limit and info["slope"] <= 0.0
    # the supremum is the limit family's own MLE
    ref = getattr(st, limit)
    lp = ref.fit(x) if limit != "norm" else (x.mean(), x.std())
    ll_ref = float(np.sum(ref.logpdf(x, *lp)))
    assert info["llf"] >= ll_ref - 1e-9 * abs(ll_ref)
    assert info["llf"] == pytest.approx(ll_ref, rel=1e-9)
    # the returned member is within the reported gap of it, and that is what its parameters give
    assert res.llf == pytest.approx(info["llf"] - info["gap"], rel=1e-12)
    assert res.llf == pytest.approx(float(np.sum(getattr(st, name).logpdf(x, *res.params))), rel=1e-9)
    assert res.dist.param_names[0] in res.boundary
    if n > 100_000:
        _, passes = _fit_counting(name, x)
        assert passes <= 8, passes
    else:       # (scipy's own fits take seconds at 2e5 rows)
        # scipy's point on the ridge is no better than the supremum (up to its
        # own rounding out there), and the member returned is within the
        # reported gap of it; scipy's Nelder-Mead can stop closer to the
        # limit than that member (fisk: c = 6e8, where its formulas round
        # ~1e-9 of the total)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            theirs = getattr(st, name).fit(x)
            ll_theirs = float(np.sum(getattr(st, name).logpdf(x, *theirs)))
        assert ll_theirs <= info["llf"] + 1e-9 * abs(info["llf"])
        assert res.llf >= ll_theirs - info["gap"] - 1e-9 * abs(ll_theirs)


@pytest.mark.parametrize("name,params", [
    ("gamma", (400.0, -20.0, 0.05)), ("lognorm", (0.05, -20.0, 21.0)), ("invgauss", (0.01, -10.0, 1100.0)),
    ("t", (60.0, 1.0, 2.0)), ("weibull_max", (40.0, 30.0, 29.0)), ("fisk", (60.0, -50.0, 51.0)),
])
def test_huge_but_finite_shape_is_a_regular_maximum(name, params):
    """Data from a member close to the limit: the chart's Newton converges to
    the (finite) maximum, no worse than scipy, in a few passes."""
    x = getattr(st, name).rvs(*params, size=200_000, random_state=np.random.default_rng(7))
    res, passes = _fit_counting(name, x)
    assert res.converged, res.message
    assert "limit" not in res.mle_retvals and res.mle_retvals.get("chart")
    # a regular maximum: the gradient in scipy's parameters vanishes (through the chart)
    theta = CHARTS[name].chart(res.params)
    _, g, H = CHARTS[name].evaluate(as_data(x), theta)
    # (Newton in a chart stops at steps of 1e-7, well inside any sample's resolution)
    assert np.max(np.abs(g)) / x.shape[0] < 1e-6
    assert np.all(np.linalg.eigvalsh(H) < 0)
    assert passes <= 8, passes
    check_fit_not_worse_than_scipy(name, x[:5000], {})


def test_fixed_parameters_never_use_a_chart():
    x = _data(20_000, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fastmle.fit("gamma", x, fscale=1.0)
        assert "chart" not in res.mle_retvals
        res = fastmle.fit("gamma", x)
    assert res.mle_retvals.get("chart") == "GammaChart"


@pytest.mark.parametrize("seed", [0, 1])
def test_skewnorm_near_symmetric_data_is_a_regular_maximum(seed):
    """Normal data: skewnorm's a is near 0, where the direct parametrization's
    information is singular (Newton crawled 135 passes at 1e6 rows and then
    called a = -3e-7 a 'large shape'); in the centred chart the maximum is
    regular: converged, its gradient zero, a few passes, never worse than
    scipy, and no better than the normal by more than the skewness allows."""
    x = np.random.default_rng(seed).normal(5.0, 2.0, 200_000)
    res, passes = _fit_counting("skewnorm", x)
    assert res.converged and "large shape" not in res.message
    assert abs(res.params.a) < 1.0
    chart = CHARTS["skewnorm"]
    g = chart.evaluate(as_data(x), chart.chart(res.params))[1]
    assert np.max(np.abs(g)) / x.shape[0] < 1e-9
    assert passes <= 10, passes
    normal = float(np.sum(st.norm.logpdf(x, x.mean(), x.std())))
    assert res.llf >= normal - 1e-9 * abs(normal)
    check_fit_not_worse_than_scipy("skewnorm", x[:5000], {})


# -- beta: two shapes, three limits --------------------------------------------------
BETA_POINTS = [(0.0, 0.0), (0.3, 0.2), (0.02, 0.05), (0.15, 0.0), (0.0, 0.12), (1e-7, 0.3), (0.2, 1e-6),
               (0.05, 0.03), (0.3, 0.02)]


def _beta_reference(x, al, be, mu, sigma):
    """scipy's log-likelihood of the family the beta chart is at (al, be)."""
    if al > 0 and be > 0:
        a, b, loc, hi = CHARTS["beta"].natural(np.array([al, be, mu, sigma]))[0]
        return float(np.sum(st.beta.logpdf(x, a, b, loc, hi - loc)))
    if al > 0:
        return float(np.sum(st.gamma.logpdf(x, 1 / al ** 2, mu - sigma / al, sigma * al)))
    if be > 0:
        return float(np.sum(st.gamma.logpdf(-x, 1 / be ** 2, -mu - sigma / be, sigma * be)))
    return float(np.sum(st.norm.logpdf(x, mu, sigma)))


@pytest.mark.parametrize("al,be", BETA_POINTS)
def test_beta_chart_density_and_its_limits(al, be):
    """Inside: scipy's beta at the mapped (a, b, loc, loc + scale); on be = 0
    the gamma, on al = 0 the reflected gamma, at both the normal; the
    Gauss-Legendre and partial-fraction forms of W both covered (|al z| and
    |be z| on both sides of 0.5)."""
    chart = CHARTS["beta"]
    x = _data()
    ll = chart.evaluate(as_data(x), np.array([al, be, 1.3, 2.2]))[0]
    ref = _beta_reference(x, al, be, 1.3, 2.2)
    # scipy's beta rounds ~1e-15/(al be) relative out there (at al = 0.2,
    # be = 1e-6, b = 5e6: 9e-10; the chart agrees with 40-digit mpmath to 1e-16)
    assert abs(ll - ref) <= (1e-13 + 2e-15 / max(al * be, 1e-9)) * abs(ref), (ll, ref)


@pytest.mark.parametrize("al,be", BETA_POINTS)
def test_beta_chart_derivatives_match_finite_differences(al, be):
    chart = CHARTS["beta"]
    data = as_data(_data())
    theta = np.array([al, be, 1.3, 2.2])
    ll, g, H = chart.evaluate(data, theta)
    h = 1e-5
    for i in range(4):
        e = np.eye(4)[i]
        if i < 2 and theta[i] < 3 * h:      # one-sided at a floor
            f = [chart.evaluate(data, theta + j * h * e) for j in range(5)]
            fd_g = (-25 * f[0][0] + 48 * f[1][0] - 36 * f[2][0] + 16 * f[3][0] - 3 * f[4][0]) / (12 * h)
            fd_H = (-25 * f[0][1] + 48 * f[1][1] - 36 * f[2][1] + 16 * f[3][1] - 3 * f[4][1]) / (12 * h)
        else:
            f = [chart.evaluate(data, theta + s * h * e) for s in (-2, -1, 1, 2)]
            fd_g = (f[0][0] - 8 * f[1][0] + 8 * f[2][0] - f[3][0]) / (12 * h)
            fd_H = (f[0][1] - 8 * f[1][1] + 8 * f[2][1] - f[3][1]) / (12 * h)
        assert abs(g[i] - fd_g) <= 1e-6 * max(1.0, np.max(np.abs(g))), (i, g[i], fd_g)
        np.testing.assert_allclose(H[:, i], fd_H, rtol=0, atol=1e-6 * max(1.0, np.max(np.abs(H))))
    np.testing.assert_array_equal(H, H.T)


def test_beta_chart_constant_across_its_series_switch():
    """The Stirling remainders switch from their series to lgamma at
    1/x = 0.1: the constant and its derivatives agree across it."""
    chart = CHARTS["beta"]
    # 1/a = al (al + be) / (1 - al be) = 0.1 on this line
    for be in (0.05, 0.2):
        al = (-be + math.sqrt(be * be + 4 * 0.1 * (1 + 0.1 * be))) / 2 / (1 + 0.1 * be) * (1 + 0.1 * be)
        al = (-(be + 0.1 * be) + math.sqrt((be + 0.1 * be) ** 2 + 0.4)) / 2
        lo, hi = chart.constant(al * (1 - 1e-12), be), chart.constant(al * (1 + 1e-12), be)
        assert lo[0] == pytest.approx(hi[0], rel=1e-13)
        np.testing.assert_allclose(lo[1], hi[1], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(lo[2], hi[2], rtol=1e-7, atol=1e-10)


def test_beta_natural_derivatives_through_the_chart():
    """(a, b, loc, hi = loc + scale), the beta driver's coordinates: the
    chart's values equal beta's own kernel's."""
    chart = CHARTS["beta"]
    x = _data(500, 1)
    data = as_data(x)
    a, b, loc, scale = 6.0, 9.0, -12.0, 30.0
    theta = chart.chart((a, b, loc, loc + scale))
    np.testing.assert_allclose(chart.natural(theta)[0], (a, b, loc, loc + scale), rtol=1e-13)
    ll, g, H = chart.natural_derivatives(theta, *chart.evaluate(data, theta))
    ref = fastmle.beta._evaluate(data, [a, b, loc, scale])
    J = np.eye(4)
    J[3, 2] = -1.0          # scale = hi - loc
    assert ll == pytest.approx(ref[0], rel=1e-12)
    np.testing.assert_allclose(g, J.T @ ref[1], rtol=1e-8, atol=1e-8 * np.max(np.abs(ref[1])))
    np.testing.assert_allclose(H, J.T @ ref[2] @ J, rtol=1e-8, atol=1e-8 * np.max(np.abs(ref[2])))


@pytest.mark.parametrize("gen,limit", [
    # (shapes above 2: beta's edge searches for a shape below 2 cost ~130
    # passes at any sample size, whatever the chart did)
    (lambda r, n: r.gamma(3.0, 1.5, n), "gamma"),                        # b -> inf
    (lambda r, n: 10.0 - r.gamma(3.0, 1.5, n), "reflected gamma"),       # a -> inf
    (lambda r, n: r.uniform(0, 1, n) + r.uniform(0, 1, n) + r.normal(0, 2.0, n), None),
])
@pytest.mark.parametrize("n", [3000, 200_000])
def test_beta_limits_found_cheaply(gen, limit, n):
    """beta with every parameter free on gamma data runs to the gamma limit
    (b -> inf), on reflected gamma data to its mirror (a -> inf): found,
    named, its supremum gamma's own fit's, in a few passes (151 before, 528
    on normal data). Symmetric data: whichever limit or interior point, no
    worse than the normal (the beta closure contains it) nor than scipy."""
    x = gen(np.random.default_rng(9), n)
    res, passes = _fit_counting("beta", x)
    normal = float(np.sum(st.norm.logpdf(x, x.mean(), x.std())))
    lim = res.mle_retvals.get("limit")
    sup = lim["llf"] if lim else res.llf
    if limit is not None:
        # the closure of the beta family holds that gamma: a regular maximum
        # (sampling noise can put one at a large finite shape) beats it, or
        # the fit is that limit, named, with gamma's own fit's log-likelihood
        g = fastmle.fit("gamma", x if limit == "gamma" else -x)
        assert sup >= g.llf - 1e-9 * abs(g.llf)
        if lim is not None:
            assert not res.converged and lim["family"].startswith(limit)
            assert lim["llf"] == pytest.approx(g.llf, rel=1e-9)
            assert res.llf == pytest.approx(lim["llf"] - lim["gap"], rel=1e-12)
        else:
            assert res.converged and max(res.params.a, res.params.b) > 10
    assert sup >= normal - 1e-9 * abs(normal)
    if n > 100_000:
        assert passes <= 20, passes      # (the 33e3-row subsample is a sixth of the data here)
    else:
        check_fit_not_worse_than_scipy("beta", x, {})


# -- warm starts of a free loc -------------------------------------------------------
def test_warm_loc_scales_the_subsample_gap_by_the_shape_power_law():
    """The smallest of n observations lies ~n^(-1/shape) above loc for a
    density ~ y^(shape - 1) there: the subsample's gap to its own minimum is
    scaled to the data's size (shape <= 2), the subsample's loc kept where it
    is below the data (larger shapes), the gap kept as it is without a power
    law (lognorm), and 0.01 sd only without a usable gap."""
    from fastmle.distributions._base import FitSpec
    from fastmle.distributions._locfree import warm_loc

    x = np.random.default_rng(3).gamma(1.5, 1.0, 40_000)
    data = as_data(x)
    sub = data.subsample(4_000)
    s, ss = data.scan(), sub.scan()
    spec = FitSpec({}, {}, "mle")
    spec.warm_data = sub
    gap = 1e-3
    spec.warm = (1.5, ss.min - gap, 1.0)
    assert warm_loc(spec, s, 1.5) == pytest.approx(s.min - gap * (ss.sum_w / s.sum_w) ** (1 / 1.5), rel=1e-12)
    assert warm_loc(spec, s, None) == pytest.approx(s.min - gap, rel=1e-12)
    spec.warm = (5.0, s.min - 0.5, 1.0)          # a larger shape below the data: kept
    assert warm_loc(spec, s, 5.0) == s.min - 0.5
    spec.warm = (1.5, ss.min + 1.0, 1.0)         # no gap to scale
    assert warm_loc(spec, s, 1.5) == pytest.approx(s.min - 0.01 * math.sqrt(s.var))


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_weibull_min_free_loc_warm_start_on_normal_data(seed):
    """weibull_min with a free loc on 1e6 normal draws: the data reach far
    below the subsample's minimum, and the warm start restarted its gap at
    0.01 sd with the subsample's shape and scale (15-23 passes for these
    seeds, 27 on bench/select_speed.py's data). Its limit chart's mean and
    sd are kept as loc moves, and loc, hugging min(x) here, is optimized in
    the log gap: 10 passes."""
    x = np.random.default_rng(seed).normal(5.0, 2.0, 1_000_000)
    res, passes = _fit_counting("weibull_min", x)
    assert res.converged and passes <= 11, passes
    assert res.params.loc < x.min()


@pytest.mark.parametrize("name,gen", [
    ("gamma", lambda r: r.normal(0.0, 1.0, 3000)),                       # the normal limit
    ("skewnorm", lambda r: r.normal(0.0, 1.0, 3000)),                    # a near 0
    ("beta", lambda r: r.gamma(3.0, 1.0, 3000)),
])
def test_chart_fits_weights_equal_repeated_rows_and_float32(name, gen):
    x = gen(np.random.default_rng(21))
    w = np.random.default_rng(22).integers(1, 4, x.shape[0]).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = fastmle.fit(name, x, weights=w)
        b = fastmle.fit(name, np.repeat(x, w.astype(int)))
        c = fastmle.fit(name, x.astype(np.float32))
        d = fastmle.fit(name, x.astype(np.float32).astype(np.float64))
    assert a.mle_retvals.get("chart") and b.mle_retvals.get("chart")
    assert a.llf == pytest.approx(b.llf, rel=1e-10)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-6)
    assert c.llf == pytest.approx(d.llf, rel=1e-12)


@pytest.mark.parametrize("name", ["beta", "gamma", "fisk", "weibull_max", "t", "skewnorm"])
def test_chart_fits_cut_by_a_work_budget_end_finite(name):
    """fastmle.select's work budget can stop a chart fit anywhere, also on
    a limit before its slopes were read (beta on gamma data failed there
    with a ZeroDivisionError, and select listed it as failed): the fit ends
    at a finite member, flagged."""
    from fastmle._budget import WorkBudget

    x = np.random.default_rng(30).gamma(2.0, 1.5, 200_000)
    for passes in (0.5, 1, 2, 3, 4, 6):
        with WorkBudget(passes * x.shape[0]), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = fastmle.fit(name, x)
        assert np.all(np.isfinite(res.params)) and np.isfinite(res.llf), (passes, res.params)


# -- where the charts are not used: data of the family, from a warm start ----------------------
@pytest.mark.parametrize("name,gen,max_passes", [
    ("weibull_max", lambda r, n: 5.0 - 2.0 * r.weibull(3.0, n), 6),     # 5.4; 11.4 in the log gap
    ("weibull_min", lambda r, n: 1.0 + 2.0 * r.weibull(2.5, n), 6),     # 5.4; 8.4 in the log gap
])
def test_well_specified_weibull_free_loc_is_optimized_on_loc(name, gen, max_passes):
    """A warm start on data of the family (skewed away from loc, c < 3.602)
    places loc by the power law of the smallest gaps, near the maximum:
    Newton on loc itself converges there in about half the passes of the log
    gap, which only symmetric or loc-side-skewed data need (see
    _locfree.edge_barrier and the normal-data test above)."""
    x = gen(np.random.default_rng(11), 1_000_000)
    res, passes = _fit_counting(name, x)
    assert res.converged and passes <= max_passes, passes


@pytest.mark.parametrize("name,gen", [
    ("beta", lambda r, n: 1.0 + 4.0 * r.beta(2.0, 3.0, n)),
    ("invgauss", lambda r, n: 1.0 + r.wald(1.0, 2.0, n)),             # mu = 0.5
])
def test_warm_starts_with_moderate_shapes_fit_in_natural_coordinates(name, gen, monkeypatch):
    """The beta and invgauss charts' passes cost 1.5-2.5x a natural pass; a
    warm start far from the limit stays in the natural coordinates and
    reaches the maximum the chart reaches."""
    x = gen(np.random.default_rng(12), 1_000_000)
    natural = fastmle.fit(name, x)
    assert natural.converged and natural.mle_retvals.get("chart") is None
    monkeypatch.setattr(type(getattr(fastmle, name)), "_limit_chart",
                        lambda self, start, data, spec=None: CHARTS[name])
    charted = fastmle.fit(name, x)
    assert charted.mle_retvals.get("chart") is not None
    assert natural.llf == pytest.approx(charted.llf, rel=1e-12, abs=1e-9)
    np.testing.assert_allclose(natural.params, charted.params, rtol=1e-6)


def test_skewnorm_small_data_with_a_moderate_shape_skips_the_chart():
    """Without a warm start a skewnorm start with 1 <= |a| <= 10 is fitted in
    the direct parametrization (lighter per iteration); near a = 0, where
    that one is singular, in the centred chart."""
    x = st.skewnorm.rvs(4.0, loc=1.0, scale=2.0, size=100, random_state=3)
    res = fastmle.fit("skewnorm", x)
    assert res.converged and res.mle_retvals.get("chart") is None
    check_fit_not_worse_than_scipy("skewnorm", x, {})
    near_normal = fastmle.fit("skewnorm", np.random.default_rng(4).normal(0.0, 1.0, 2000))
    assert near_normal.mle_retvals.get("chart") is not None
