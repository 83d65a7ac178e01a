"""Whole-real-line families: t, cauchy, logistic, laplace, gumbel_r, gumbel_l, skewnorm."""
import math
import warnings

import numpy as np
import pytest
import scipy.special as sc
import scipy.stats as st

import fastmle
from fastmle._data import as_data

from _family_checks import (check_derivatives, check_dtypes_weights_threads, check_fit_not_worse_than_scipy,
                            check_loglike_matches_scipy, llgh)

KERNEL_CASES = [
    ("cauchy", (1.0, 2.0), lambda r, n: 1.0 + 2.0 * r.standard_cauchy(n)),
    ("cauchy", (1e6, 1e-3), lambda r, n: 1e6 + 1e-3 * r.standard_cauchy(n)),
    ("laplace", (-1.0, 0.5), lambda r, n: r.laplace(-1.0, 0.5, n)),
    ("gumbel_r", (1.0, 2.0), lambda r, n: r.gumbel(1.0, 2.0, n)),
    ("gumbel_r", (1e4, 1e-2), lambda r, n: r.gumbel(1e4, 1e-2, n)),
    ("gumbel_l", (1.0, 2.0), lambda r, n: -r.gumbel(-1.0, 2.0, n)),
    ("skewnorm", (4.0, 1.0, 2.0), lambda r, n: st.skewnorm.rvs(4.0, 1.0, 2.0, size=n, random_state=r)),
    ("skewnorm", (-30.0, 0.0, 1.0), lambda r, n: st.skewnorm.rvs(-30.0, 0.0, 1.0, size=n, random_state=r)),
    # observations on the short side far into the log Phi tail
    ("skewnorm", (40.0, 0.0, 1.0), lambda r, n: r.normal(0.0, 1.0, n)),
    ("t", (1e7, 0.0, 2.0), lambda r, n: r.normal(0.0, 2.0, n)),
    ("t", (250.0, 1.0, 2.0), lambda r, n: 1.0 + 2.0 * r.standard_t(250.0, n)),
]


@pytest.mark.parametrize("name,params,gen", KERNEL_CASES)
def test_kernel_mathematics(name, params, gen):
    rng = np.random.default_rng(0)
    x = gen(rng, 400)
    dist = getattr(fastmle, name)
    check_loglike_matches_scipy(dist, x, params)
    if name == "laplace":
        # the loc curvature is replaced by the expected information (not a
        # derivative): check the scale only, the loc gradient separately
        check_derivatives(dist, x, params, free=[1])
    elif name == "t" and params[0] > 1e6:
        check_derivatives(dist, x, params, free=[1, 2])
    else:
        check_derivatives(dist, x, params)
    check_dtypes_weights_threads(dist, x, params, rng)


def test_log_ndtr_and_mills_ratio_against_scipy():
    # a single observation x = 1 at loc 0, scale 1: the skewnorm log density
    # is log 2 + log phi(1) + log Phi(a) and its a-derivative is phi(a)/Phi(a)
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 40
    a = np.concatenate([-np.logspace(-3, 3, 200), [-29.999, -30.0, -30.001, -37.5, -40.0, -1e4],
                        np.logspace(-3, 1.5, 50), [0.0]])
    const = math.log(2.0) + st.norm.logpdf(1.0)
    for ai in a:
        ll, g, _ = llgh(fastmle.skewnorm, np.array([1.0]), (ai, 0.0, 1.0))
        ref = sc.log_ndtr(ai)
        assert abs((ll - const) - ref) <= 2e-14 * max(abs(ref), abs(const) * 1e-2) + 1e-16, (ai, ll - const, ref)
        # phi/Phi from mpmath: exp(logpdf - log_ndtr) in float64 loses ~a^2 ulps
        ratio = float(mp.npdf(mp.mpf(ai)) / mp.ncdf(mp.mpf(ai)))
        # the exp(-u^2/2) of the direct range carries ~u^2 ulps of rounding
        assert abs(g[0] / ratio - 1) <= 1e-15 * max(1.0, ai * ai) + 2e-15, (ai, g[0], ratio)


def test_t_constant_series_matches_lgamma():
    # for large df the t constant lgamma((nu+1)/2) - lgamma(nu/2) - log(nu pi)/2
    # is an asymptotic series (the lgamma difference would cancel)
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 40
    for nu in (100.5, 150.0, 1e3, 1e6, 1e12):
        c0, c1, c2 = fastmle.t._constant((nu,))
        m = mp.mpf(nu)
        ref = float(mp.loggamma((m + 1) / 2) - mp.loggamma(m / 2) - mp.log(m * mp.pi) / 2)
        assert abs(c0 - ref) < 3e-16
        if nu > 1e6:
            continue        # c0 no longer changes in float64: nothing to difference
        h = 1e-4 * nu
        fd = (fastmle.t._constant((nu + h,))[0] - fastmle.t._constant((nu - h,))[0]) / (2 * h)
        assert abs(c1[0] - fd) < 1e-6 * abs(c1[0])


FIT_CASES = [
    ("t", {}, lambda r, n: 1.0 + 2.0 * r.standard_t(3.0, n)),
    ("t", {}, lambda r, n: -2.0 + 0.5 * r.standard_t(0.7, n)),
    ("t", {"floc": 0.0}, lambda r, n: 2.0 * r.standard_t(4.0, n)),
    ("t", {"floc": 0.0}, lambda r, n: r.normal(0.0, 2.0, n)),
    ("t", {}, lambda r, n: r.normal(3.0, 2.0, n)),
    ("t", {"fscale": 1.0}, lambda r, n: 3.0 + r.standard_t(2.0, n)),
    ("t", {"f0": 0.8}, lambda r, n: 3.0 + r.standard_t(0.8, n)),
    ("cauchy", {}, lambda r, n: 1.0 + 2.0 * r.standard_cauchy(n)),
    ("cauchy", {"floc": 1.0}, lambda r, n: 1.0 + 2.0 * r.standard_cauchy(n)),
    ("cauchy", {"fscale": 0.5}, lambda r, n: 1.0 + 2.0 * r.standard_cauchy(n)),
    ("logistic", {}, lambda r, n: r.logistic(1.0, 2.0, n)),
    ("logistic", {"floc": 0.0}, lambda r, n: r.logistic(0.5, 2.0, n)),
    ("logistic", {"fscale": 1.5}, lambda r, n: r.logistic(0.5, 2.0, n)),
    ("laplace", {}, lambda r, n: r.laplace(1.0, 2.0, n)),
    ("laplace", {"floc": 0.0}, lambda r, n: r.laplace(1.0, 2.0, n)),
    ("laplace", {"fscale": 3.0}, lambda r, n: r.laplace(1.0, 2.0, n)),
    ("gumbel_r", {}, lambda r, n: r.gumbel(1.0, 2.0, n)),
    ("gumbel_r", {"floc": 0.0}, lambda r, n: r.gumbel(1.0, 2.0, n)),
    ("gumbel_r", {"fscale": 3.0}, lambda r, n: r.gumbel(1.0, 2.0, n)),
    ("gumbel_l", {}, lambda r, n: -r.gumbel(1.0, 2.0, n)),
    ("gumbel_l", {"floc": 0.0}, lambda r, n: -r.gumbel(1.0, 2.0, n)),
    ("gumbel_l", {"fscale": 3.0}, lambda r, n: -r.gumbel(1.0, 2.0, n)),
    ("skewnorm", {}, lambda r, n: st.skewnorm.rvs(4.0, 1.0, 2.0, size=n, random_state=r)),
    ("skewnorm", {}, lambda r, n: st.skewnorm.rvs(-2.0, 1.0, 2.0, size=n, random_state=r)),
    ("skewnorm", {"floc": 0.0}, lambda r, n: st.skewnorm.rvs(3.0, 0.0, 2.0, size=n, random_state=r)),
    ("skewnorm", {"fscale": 2.0}, lambda r, n: st.skewnorm.rvs(3.0, 0.0, 2.0, size=n, random_state=r)),
    ("skewnorm", {"fa": 2.0}, lambda r, n: st.skewnorm.rvs(3.0, 0.0, 2.0, size=n, random_state=r)),
    # more skewed than any skew-normal: a -> inf
    ("skewnorm", {}, lambda r, n: r.exponential(1.0, n)),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [50, 2000])
@pytest.mark.parametrize("name,kw,gen", FIT_CASES)
def test_fit_never_worse_than_scipy(name, kw, gen, n, seed):
    check_fit_not_worse_than_scipy(name, gen(np.random.default_rng(seed), n), kw)
