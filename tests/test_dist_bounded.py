"""The bounded-support group: beta, uniform, pareto, genpareto, genextreme, vonmises.

Kernel mathematics against scipy and finite differences (including across
the c = 0 seam of genpareto/genextreme), the closed forms against their
defining equations, parity with scipy's fits over every combination of fixed
parameters, scipy's errors, and the hard cases (edges of unbounded
likelihoods, data far from the origin, tiny and huge scales, tiny samples).
"""
import math
import warnings

import numpy as np
import pytest
import scipy.special as sc
import scipy.stats as st

import fastmle
from fastmle import FitDataError
from fastmle.distributions.vonmises import _kappa_mle, bessel_i0e_i1e

from _family_checks import (check_derivatives, check_dtypes_weights_threads, check_fit_not_worse_than_scipy,
                            check_loglike_matches_scipy, llgh)


def rvs(name, params, n, seed):
    return getattr(st, name).rvs(*params, size=n, random_state=np.random.default_rng(seed))


# -- kernels ----------------------------------------------------------------------
# (name, params for the data, params for the derivative check: ends of a
# bounded support kept a few finite-difference steps away from the data)
KERNEL_CASES = [
    ("pareto", (3.0, -1.0, 2.0), (3.0, -1.2, 2.0)),
    ("pareto", (0.7, 1e3, 1e-2), (0.7, 1e3 - 2e-3, 1e-2)),
    ("vonmises", (2.0, 1.0, 1.0), (2.0, 1.0, 1.0)),
    ("vonmises", (300.0, -3.0, 1.0), (300.0, -3.0, 1.0)),
    ("vonmises", (0.3, 0.5, 2.0), (0.3, 0.5, 2.0)),
    ("genpareto", (0.3, 1.0, 2.0), (0.3, 0.9, 2.0)),
    ("genpareto", (-0.3, 1.0, 2.0), (-0.3, 0.9, 2.3)),
    ("genextreme", (0.2, 1.0, 2.0), (0.2, 1.0, 2.5)),
    ("genextreme", (-0.2, 1.0, 2.0), (-0.2, 1.0, 2.5)),
    ("beta", (2.0, 3.0, 1.0, 2.0), (2.0, 3.0, 0.8, 2.4)),
    ("beta", (0.5, 0.7, -1.0, 3.0), (0.5, 0.7, -1.6, 4.2)),
    ("beta", (30.0, 2.0, 1e3, 1e-2), (30.0, 2.0, 1e3 - 2e-3, 1.4e-2)),
]


@pytest.mark.parametrize("name,params,at", KERNEL_CASES)
def test_kernel_mathematics(name, params, at):
    rng = np.random.default_rng(0)
    x = rvs(name, params, 400, 1)
    dist = getattr(fastmle, name)
    check_loglike_matches_scipy(dist, x, params)
    check_loglike_matches_scipy(dist, x, at)
    check_derivatives(dist, x, at)
    check_dtypes_weights_threads(dist, x, at, rng)


@pytest.mark.parametrize("name", ["genpareto", "genextreme"])
@pytest.mark.parametrize("c", [1e-9, 0.0, -1e-9, 0.09, -0.09, 0.11, -0.11])
def test_shape_zero_is_smooth(name, c):
    """Value and derivatives at and around c = 0 (the exponential / Gumbel
    limit, and the switch between series and closed form at |c z| = 0.1)."""
    x = rvs(name, (0.0, 1.0, 2.0), 400, 2)
    dist = getattr(fastmle, name)
    # (a wider scale keeps the +-0.11 supports around the data)
    at = (c, 0.9 if name == "genpareto" else 1.0, 4.0)
    check_loglike_matches_scipy(dist, x, at)
    check_derivatives(dist, x, at)
    if abs(c) < 1e-6:
        # continuity in c: value, gradient and Hessian at c equal those at 0
        # to first order (their c-derivatives are bounded)
        ref = llgh(dist, x, (0.0,) + at[1:])
        got = llgh(dist, x, at)
        step = abs(c) * 1e4 + 1e-12
        assert abs(got[0] - ref[0]) <= step * max(1.0, abs(ref[0]))
        np.testing.assert_allclose(got[1], ref[1], atol=step * max(1.0, np.max(np.abs(ref[1]))))
        np.testing.assert_allclose(got[2], ref[2], atol=step * max(1.0, np.max(np.abs(ref[2]))))
        # and the c-derivative at c equals the difference quotient across 0
        fd = (llgh(dist, x, (1e-6,) + at[1:])[0] - llgh(dist, x, (-1e-6,) + at[1:])[0]) / 2e-6
        assert abs(got[1][0] - fd) <= 1e-6 * max(1.0, abs(fd))


def test_out_of_support_is_minus_inf():
    x = np.array([0.5, 1.5, 2.5])
    assert fastmle.genpareto.loglike(x, (-0.5, 0.0, 1.0)) == -np.inf      # z = 2.5 > -1/c
    assert fastmle.genextreme.loglike(x, (0.5, 0.0, 1.0)) == -np.inf      # z = 2.5 > 1/c
    assert fastmle.genextreme.loglike(-x, (-0.5, 0.0, 1.0)) == -np.inf    # z = -2.5 < 1/c
    assert fastmle.beta.loglike(x, (2.0, 2.0, 0.0, 2.0)) == -np.inf
    assert fastmle.pareto.loglike(x, (2.0, 0.0, 1.0)) == -np.inf
    assert fastmle.uniform.loglike(x, (0.0, 2.0)) == -np.inf
    for name, p in [("genpareto", (-0.5, 0.0, 1.0)), ("genextreme", (0.5, 0.0, 1.0)),
                    ("beta", (2.0, 2.0, 0.0, 2.0)), ("pareto", (2.0, 0.0, 1.0))]:
        assert getattr(st, name).nnlf(p, x) == np.inf


def test_bessel_functions_match_scipy():
    ks = np.concatenate([[0.0, 1e-300, 1e-10, 1e-3, 29.999, 30.0, 30.001, 700.0, 1e4, 1e8, 1e15],
                         np.linspace(0.0, 200.0, 401)])
    for k in ks:
        i0, i1 = bessel_i0e_i1e(k)
        assert abs(i0 - sc.i0e(k)) <= 1e-14 * sc.i0e(k), k
        assert abs(i1 - sc.i1e(k)) <= 1e-14 * max(sc.i1e(k), 1e-300), k


def test_kappa_root_solves_bessel_ratio():
    for r in [1e-6, 0.1, 0.5, 0.9, 0.999, 1 - 1e-9]:
        k = _kappa_mle(r)
        i0, i1 = bessel_i0e_i1e(k)
        assert abs(i1 / i0 - r) <= 1e-13, (r, k)
    assert _kappa_mle(-0.2) == np.finfo(float).tiny
    assert _kappa_mle(1.0) == 1e16


# -- closed forms ---------------------------------------------------------------
def test_uniform_closed_forms():
    x = rvs("uniform", (2.0, 3.0), 1000, 3)
    assert x.min() + (x.max() - x.min()) == x.max()     # no rounding here: scipy's tuple exactly
    assert fastmle.uniform.fit(x) == (x.min(), x.max() - x.min())
    assert fastmle.uniform.fit(x, floc=1.0) == (1.0, x.max() - 1.0)
    loc, scale = fastmle.uniform.fit(x, fscale=4.0)
    assert scale == 4.0 and abs((loc + 2.0) - (x.min() + x.max()) / 2) <= 1e-12  # centred support
    # the slow path (weights, lists) gives the same
    assert fastmle.uniform.fit(list(x)) == fastmle.uniform.fit(x)
    res = fastmle.fit("uniform", x)
    assert res.llf == pytest.approx(-x.size * math.log(x.max() - x.min()), rel=1e-14)


@pytest.mark.parametrize("fixed", [{}, {"floc": -6.0}, {"fscale": 25.0}])
def test_uniform_support_holds_the_data_when_loc_plus_scale_rounds_down(fixed):
    # min + (max - min) rounds below max for these draws (as for 1e6 normal
    # draws of bench/select_speed.py): the support must still hold every
    # observation in floating point, or the likelihood is -inf at its own MLE
    rng = np.random.default_rng(1)
    pairs = rng.normal(5.0, 2.0, (4000, 2))
    lo, hi = pairs.min(axis=1), pairs.max(axis=1)
    bad = np.flatnonzero(lo + (hi - lo) < hi)
    assert bad.size >= 3
    for i in bad[:3]:
        x = np.concatenate([np.linspace(lo[i], hi[i], 50), pairs[i]])
        loc, scale = fastmle.uniform.fit(x, **fixed)
        assert loc <= x.min() and loc + scale >= x.max()
        if "fscale" in fixed:
            assert scale == 25.0
        else:
            # the smallest such scale: one ulp less no longer covers the data
            assert loc + np.nextafter(scale, 0.0) < x.max()
            assert loc == fixed.get("floc", x.min())
        res = fastmle.fit("uniform", x, **fixed)
        assert np.isfinite(res.llf) and res.llf == fastmle.uniform.loglike(x, (loc, scale))
        scipy_params = st.uniform.fit(x, **fixed)
        assert res.llf >= -st.uniform.nnlf(scipy_params, x) - 1e-12 * abs(res.llf)
        assert np.isfinite(st.uniform.nnlf((loc, scale), x))


def test_pareto_closed_forms():
    x = rvs("pareto", (3.0, -1.0, 2.0), 1000, 4)
    b, loc, scale = fastmle.pareto.fit(x, floc=-1.0)
    assert loc == -1.0 and scale == x.min() + 1.0
    assert b == pytest.approx(x.size / np.sum(np.log((x + 1.0) / scale)), rel=1e-12)
    b, loc, scale = fastmle.pareto.fit(x, fscale=1.5)
    assert scale == 1.5 and loc + 1.5 == pytest.approx(x.min(), abs=1e-12)
    assert b == pytest.approx(x.size / np.sum(np.log((x - loc) / scale)), rel=1e-12)
    # free loc/scale: the profile's stationarity condition holds (scipy's equation)
    b, loc, scale = fastmle.pareto.fit(x)
    assert loc + scale == pytest.approx(x.min(), abs=1e-12)
    y = x - loc
    assert (b + 1) * np.sum(1 / y) == pytest.approx(x.size * b / scale, rel=1e-8)


def test_vonmises_closed_form():
    x = rvs("vonmises", (4.0, 2.5, 1.0), 5000, 5)
    kappa, loc, scale = fastmle.vonmises.fit(x)
    assert scale == 1.0
    assert loc == pytest.approx(np.mod(st.circmean(x) + np.pi, 2 * np.pi) - np.pi, abs=1e-12)
    r = np.mean(np.cos(x - loc))
    assert sc.i1e(kappa) / sc.i0e(kappa) == pytest.approx(r, abs=1e-13)


def test_beta_shape_equations():
    x = rvs("beta", (2.0, 5.0), 2000, 6)
    a, b, loc, scale = fastmle.beta.fit(x, floc=0, fscale=1)
    assert (loc, scale) == (0, 1)
    # the score equations: digamma(a) - digamma(a + b) = mean log x, same for b
    assert sc.digamma(a) - sc.digamma(a + b) == pytest.approx(np.mean(np.log(x)), abs=1e-12)
    assert sc.digamma(b) - sc.digamma(a + b) == pytest.approx(np.mean(np.log1p(-x)), abs=1e-12)
    a2, b2, _, _ = fastmle.beta.fit(x, floc=0, fscale=1, f0=2.0)
    assert a2 == 2.0
    assert sc.digamma(b2) - sc.digamma(2.0 + b2) == pytest.approx(np.mean(np.log1p(-x)), abs=1e-12)


# -- parity with scipy ----------------------------------------------------------
PARITY = [
    ("uniform", (2.0, 3.0), [{}, {"floc": 1.0}, {"fscale": 4.0}]),
    ("pareto", (3.0, -1.0, 2.0), [{}, {"floc": -1.0}, {"fscale": 1.5}, {"f0": 3.0},
                                 {"floc": -1.0, "fscale": 1.5}, {"f0": 2.0, "floc": -1.0},
                                 {"fb": 2.0, "fscale": 1.0}]),
    ("vonmises", (2.0, 1.0, 1.0), [{}, {"floc": 1.0}, {"f0": 2.0}, {"floc": -3.0}]),
    ("vonmises", (0.05, -3.0, 1.0), [{}, {"floc": 0.0}]),
    ("genpareto", (0.3, 1.0, 2.0), [{}, {"floc": 0.5}, {"fscale": 2.0}, {"f0": 0.3},
                                   {"floc": 0.5, "fscale": 2.0}, {"fc": 0.3, "floc": 0.5}]),
    ("genpareto", (-0.3, 1.0, 2.0), [{}, {"floc": 0.5}, {"f0": -0.3}]),
    ("genpareto", (0.0, 1.0, 2.0), [{}, {"floc": 1.0}]),
    ("genextreme", (-0.2, 1.0, 2.0), [{}, {"floc": 0.5}, {"fscale": 2.0}, {"f0": -0.2},
                                     {"floc": 1.0, "fscale": 2.0}]),
    ("genextreme", (0.0, 1.0, 2.0), [{}, {"fc": 0.0}]),
    ("genextreme", (0.2, 1.0, 2.0), [{}, {"floc": 0.5}, {"f0": 0.2}]),
    ("beta", (2.0, 3.0, 1.0, 2.0), [{"floc": 1.0, "fscale": 2.0}, {"floc": 1.0, "fscale": 2.0, "f0": 2.0},
                                    {"floc": 1.0, "fscale": 2.0, "fb": 3.0}, {}, {"floc": 0.9},
                                    {"fscale": 2.5}, {"f0": 2.0}, {"fb": 3.0, "floc": 0.95}]),
    ("beta", (0.5, 0.7, 1.0, 2.0), [{"floc": 1.0, "fscale": 2.0}, {}, {"floc": 0.9}, {"fscale": 2.5},
                                    {"fa": 0.5}]),
    ("beta", (5.0, 1.2, 1.0, 2.0), [{}, {"fscale": 2.5}, {"f0": 5.0}]),
]


@pytest.mark.parametrize("n,seed", [(50, 0), (50, 1), (50, 2), (1000, 0), (1000, 1)])
@pytest.mark.parametrize("name,params,kws", PARITY, ids=lambda v: v if isinstance(v, str) else None)
def test_fit_never_worse_than_scipy(name, params, kws, n, seed):
    x = rvs(name, params, n, 100 * seed + n)
    for kw in kws:
        check_fit_not_worse_than_scipy(name, x, kw)


@pytest.mark.parametrize("name,params,kw", [
    ("pareto", (3.0, -1.0, 2.0), {}),
    ("beta", (2.0, 3.0, 1.0, 2.0), {}),
    ("beta", (2.0, 5.0, 0.0, 1.0), {"floc": 0, "fscale": 1}),
    ("vonmises", (2.0, 1.0, 1.0), {}),
])
def test_fit_never_worse_than_scipy_large(name, params, kw):
    # (genextreme at 2e4 rows is in the sign-change test, genpareto at 1e3;
    # scipy's Nelder-Mead takes seconds on each at 1e5)
    check_fit_not_worse_than_scipy(name, rvs(name, params, 100_000, 7), kw)


@pytest.mark.parametrize("c", [-0.2, 0.0, 0.2])
def test_genextreme_across_the_sign_change(c):
    """The named hard case: the shape's sign is recovered and the fit is
    never worse than scipy's, whichever side of the Gumbel case."""
    x = rvs("genextreme", (c, 1.0, 2.0), 20_000, 8)
    ours = check_fit_not_worse_than_scipy("genextreme", x, {})
    assert abs(ours[0] - c) < 0.03
    res = fastmle.fit("genextreme", x)
    assert res.converged


# -- scipy's errors -------------------------------------------------------------
def test_errors_like_scipy():
    x = rvs("uniform", (2.0, 3.0), 100, 9)
    with pytest.raises(FitDataError):
        fastmle.uniform.fit(x, floc=3.0)
    with pytest.raises(FitDataError, match="ptp"):
        fastmle.uniform.fit(x, fscale=1.0)
    with pytest.raises(ValueError, match="All parameters fixed"):
        fastmle.uniform.fit(x, floc=0.0, fscale=10.0)
    with pytest.raises(TypeError):
        fastmle.uniform.fit(x, 1.0)
    with pytest.raises(ValueError, match="non-finite"):
        fastmle.uniform.fit(np.append(x, np.inf))
    with pytest.raises(FitDataError):
        fastmle.pareto.fit(x, floc=2.5)
    with pytest.raises(FitDataError):
        fastmle.pareto.fit(x, floc=1.5, fscale=1.0)     # min(x) - floc < fscale
    with pytest.raises(FitDataError):
        fastmle.beta.fit(x, floc=2.5, fscale=3.0)
    with pytest.raises(FitDataError):
        fastmle.beta.fit(x, floc=2.0, fscale=1.0)
    with pytest.raises(ValueError):
        fastmle.genpareto.fit(x, floc=3.0)
    with pytest.raises(ValueError, match="All parameters fixed"):
        fastmle.vonmises.fit(x, f0=1.0, floc=0.0, fscale=1.0)
    with pytest.raises(ValueError, match="not available"):
        fastmle.vonmises.fit(x, method="MM")
    for name in ("uniform", "pareto", "beta", "genpareto", "genextreme", "vonmises"):
        with pytest.raises(ValueError):
            getattr(fastmle, name).fit(np.array([1.0, np.nan, 2.0]))
    # data below a fixed loc: scipy raises for these, and so does fastmle
    y = np.array([-1.0, 1.0, 2.0])
    for name, kw in [("pareto", {"floc": 0.0}), ("uniform", {"floc": 0.0}),
                     ("beta", {"floc": 0.0, "fscale": 3.0})]:
        with pytest.raises(ValueError):
            getattr(st, name).fit(y, **kw)
        with pytest.raises(ValueError):
            getattr(fastmle, name).fit(y, **kw)


def test_vonmises_scipy_conventions():
    x = np.full(5, 0.3)
    assert fastmle.vonmises.fit(x) == pytest.approx((1e16, 0.3, 1.0))
    # fscale is ignored and floc is returned wrapped, as scipy does
    y = rvs("vonmises", (2.0, 1.0, 1.0), 200, 10)
    assert fastmle.vonmises.fit(y, fscale=3.0)[2] == 1.0
    assert fastmle.vonmises.fit(y, floc=5.0)[1] == pytest.approx(5.0 - 2 * np.pi, abs=1e-15)
    assert st.vonmises.fit(y, floc=5.0)[1] == pytest.approx(5.0 - 2 * np.pi, abs=1e-15)
    # a fixed loc opposite the mean: r < 0, kappa -> tiny (scipy's convention)
    k = fastmle.vonmises.fit(y, floc=1.0 + np.pi)[0]
    assert k == np.finfo(float).tiny


@pytest.mark.parametrize("kw, estimated", [({}, ("kappa", "loc")), ({"floc": 5.0}, ("kappa",)),
                                           ({"floc": 0.5, "f0": 2.0}, ())])
def test_vonmises_counts_only_what_it_estimates(kw, estimated):
    """The scale is 1 by definition and a fixed loc comes back wrapped: both are
    fixed in the result, so AIC/BIC count kappa and a free loc only (they
    counted a third, never estimated, parameter)."""
    y = rvs("vonmises", (2.0, 1.0, 1.0), 200, 10)
    res = fastmle.fit("vonmises", y, **kw)
    assert res.free == estimated and res.df_model == len(estimated)
    assert res.aic == pytest.approx(2 * len(estimated) - 2 * res.llf, rel=1e-14)
    assert res.fixed["scale"] == 1.0
    if "floc" in kw:
        assert res.fixed["loc"] == res.params.loc == pytest.approx(5.0 - 2 * np.pi if kw["floc"] == 5.0
                                                                   else kw["floc"], abs=1e-15)


# -- hard cases -------------------------------------------------------------------
def _finite_tuple(t):
    return all(np.isfinite(v) for v in t)


@pytest.mark.parametrize("name,params", [
    ("uniform", (1e7, 3.0)), ("pareto", (3.0, 1e7, 2.0)), ("vonmises", (5.0, 1e7, 1.0)),
    ("genpareto", (0.2, 1e7, 2.0)), ("genextreme", (0.1, 1e7, 2.0)), ("beta", (2.0, 3.0, 1e7, 2.0)),
    ("uniform", (0.0, 1e-8)), ("pareto", (3.0, 0.0, 1e-8)), ("genpareto", (0.2, 0.0, 1e-8)),
    ("genextreme", (0.1, 0.0, 1e-8)), ("beta", (2.0, 3.0, 0.0, 1e-8)),
    ("uniform", (0.0, 1e8)), ("pareto", (3.0, 0.0, 1e8)), ("genpareto", (0.2, 0.0, 1e8)),
    ("genextreme", (0.1, 0.0, 1e8)), ("beta", (2.0, 3.0, 0.0, 1e8)),
])
def test_far_from_origin_and_extreme_scales(name, params):
    x = rvs(name, params, 2000, 11)
    ours = check_fit_not_worse_than_scipy(name, x, {})
    assert _finite_tuple(ours)


@pytest.mark.parametrize("name", ["uniform", "pareto", "vonmises", "genpareto", "genextreme", "beta"])
@pytest.mark.parametrize("n", [2, 3])
def test_tiny_samples_never_nan(name, n):
    x = np.array([1.0, 1.7, 2.9][:n])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ours = getattr(fastmle, name).fit(x)
        except ValueError as exc:       # a clear error is allowed
            assert str(exc)
            return
    assert _finite_tuple(ours), ours
    assert np.isfinite(getattr(st, name).nnlf(ours, x)) or name == "uniform"


@pytest.mark.parametrize("name", ["uniform", "pareto", "vonmises", "genpareto", "genextreme", "beta"])
def test_all_equal_and_ties(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ours = getattr(fastmle, name).fit(np.full(10, 2.5))
            assert _finite_tuple(ours), ours      # scipy's degenerate answer
        except ValueError as exc:
            assert "equal" in str(exc)
    x = np.repeat(rvs(name, {"uniform": (0, 1), "pareto": (3.0,), "vonmises": (2.0,), "genpareto": (0.2,),
                             "genextreme": (0.1,), "beta": (2.0, 3.0)}[name], 40, 12), 5)
    check_fit_not_worse_than_scipy(name, x, {})


def test_beta_unbounded_edge_is_reported_not_nan():
    x = rvs("beta", (0.5, 0.7, 1.0, 2.0), 2000, 13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fastmle.fit("beta", x)
    assert _finite_tuple(res.params)
    assert "unbounded" in res.message
    assert np.isfinite(st.beta.nnlf(tuple(res.params), x))
    # the support holds the data as scipy standardizes it
    a, b, loc, scale = res.params
    z = (x - loc) / scale
    assert z.min() >= 0 and z.max() <= 1


# -- method of moments -----------------------------------------------------------
@pytest.mark.parametrize("name,shapes", [
    ("pareto", (5.5,)), ("genpareto", (0.1,)), ("genpareto", (-0.3,)), ("genextreme", (0.2,)),
    ("genextreme", (-0.2,)), ("genextreme", (0.0,)), ("genextreme", (0.07,)), ("beta", (2.0, 3.0)),
    ("beta", (0.5, 7.0)), ("uniform", ()),
])
def test_std_moments_match_scipy(name, shapes):
    ours = np.array(getattr(fastmle, name)._std_moments(shapes))
    ref = np.array(getattr(st, name).stats(*shapes, moments="mvsk"), dtype=float)
    np.testing.assert_allclose(ours, ref, rtol=1e-9)


@pytest.mark.parametrize("c", [-0.03, -1e-6, 1e-6, 0.03])
def test_genextreme_moments_near_zero_are_smooth(c):
    # the quadrature near c = 0 agrees with the Gamma-function formulas just
    # outside its range, and moves smoothly (no seam at c = 0)
    g = fastmle.genextreme
    m0 = np.array(g._std_moments((c,)))
    m1 = np.array(g._std_moments((c + 1e-7,)))
    assert np.all(np.abs(m1 - m0) < 1e-4 * np.maximum(np.abs(m0), 1.0))
    inside, outside = np.array(g._std_moments((0.0499999999,))), np.array(g._std_moments((0.05,)))
    np.testing.assert_allclose(inside, outside, rtol=1e-8)


@pytest.mark.parametrize("name,params,kw", [
    ("uniform", (1.0, 2.0), {}), ("uniform", (1.0, 2.0), {"floc": 0.5}),
    ("beta", (2.0, 3.0, 1.0, 2.0), {}), ("beta", (2.0, 3.0, 1.0, 2.0), {"floc": 0.9, "fscale": 2.2}),
    ("genpareto", (0.1, 1.0, 2.0), {"f0": 0.1}), ("genextreme", (0.1, 1.0, 2.0), {"f0": 0.1}),
    ("genextreme", (0.1, 1.0, 2.0), {}), ("pareto", (6.0, -1.0, 2.0), {"floc": -1.0}),
])
def test_method_of_moments(name, params, kw):
    from test_moments import mm_objective
    x = rvs(name, params, 2000, 14)
    n_free = len(getattr(fastmle, name).param_names) - len(kw)
    ours = getattr(fastmle, name).fit(x, method="MM", **kw)
    assert mm_objective(name, ours, x, n_free) <= 1e-20


@pytest.mark.parametrize("name,params", [("genextreme", (0.6, 0.0, 1.0)), ("genextreme", (1.3, 0.0, 1.0)),
                                         ("genpareto", (-1.3, 0.0, 1.0))])
def test_upper_end_of_an_unbounded_support(name, params):
    """|c| > 1 on the bounded side: the density is infinite at the upper end,
    and a loc fixed below the data pushes the fit there. The edge (one ulp
    above max(x)) is found, reported, and at least as high as scipy's point;
    the parameters stay finite and inside scipy's support."""
    x = rvs(name, params, 3000, 1)
    kw = {"floc": float(np.min(x) - 0.1)}
    ours = check_fit_not_worse_than_scipy(name, x, kw)
    assert _finite_tuple(ours)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fastmle.fit(name, x, **kw)
    assert "unbounded" in res.message
    assert np.isfinite(getattr(st, name).nnlf(tuple(res.params), x))


@pytest.mark.parametrize("name,params,kw", [
    ("uniform", (1.0, 2.0), {}), ("pareto", (3.0, -1.0, 2.0), {}), ("pareto", (3.0, -1.0, 2.0), {"floc": -1.5}),
    ("vonmises", (2.0, 1.0, 1.0), {}), ("genpareto", (0.2, 1.0, 2.0), {}), ("genextreme", (0.1, 1.0, 2.0), {}),
    ("beta", (2.0, 3.0, 1.0, 2.0), {}), ("beta", (2.0, 3.0, 1.0, 2.0), {"floc": 0.9, "fscale": 2.3}),
])
def test_weights_are_repeated_rows(name, params, kw):
    rng = np.random.default_rng(15)
    x = rvs(name, params, 300, 15)
    w = rng.integers(1, 4, x.size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = fastmle.fit(name, x, weights=w.astype(float), **kw).params
        ref = getattr(fastmle, name).fit(np.repeat(x, w), **kw)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12)
