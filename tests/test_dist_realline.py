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
    # two of three parameters fixed
    ("t", {"f0": 3.0, "floc": 1.0}, lambda r, n: 1.0 + 2.0 * r.standard_t(3.0, n)),
    ("t", {"fdf": 3.0, "fscale": 2.0}, lambda r, n: 1.0 + 2.0 * r.standard_t(3.0, n)),
    ("t", {"floc": 1.0, "fscale": 2.0}, lambda r, n: 1.0 + 2.0 * r.standard_t(3.0, n)),
    ("skewnorm", {"fa": 3.0, "floc": 0.0}, lambda r, n: st.skewnorm.rvs(3.0, 0.0, 2.0, size=n, random_state=r)),
    ("skewnorm", {"f0": 3.0, "fscale": 2.0}, lambda r, n: st.skewnorm.rvs(3.0, 0.0, 2.0, size=n, random_state=r)),
    ("skewnorm", {"floc": 0.0, "fscale": 2.0}, lambda r, n: st.skewnorm.rvs(3.0, 0.0, 2.0, size=n, random_state=r)),
]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("n", [50, 2000])
@pytest.mark.parametrize("name,kw,gen", FIT_CASES)
def test_fit_never_worse_than_scipy(name, kw, gen, n, seed):
    check_fit_not_worse_than_scipy(name, gen(np.random.default_rng(seed), n), kw)


NAMES = ["t", "cauchy", "logistic", "laplace", "gumbel_r", "gumbel_l", "skewnorm"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("data", [
    pytest.param(lambda r: 1e7 + r.logistic(0.0, 1.0, 200), id="far"),
    pytest.param(lambda r: 1e-8 * r.logistic(0.0, 1.0, 200), id="tiny"),
    pytest.param(lambda r: 1e8 * r.logistic(0.0, 1.0, 200), id="huge"),
    pytest.param(lambda r: np.array([1.0, 2.5]), id="n2"),
    pytest.param(lambda r: np.array([1.0, 2.5, 2.7]), id="n3"),
])
def test_hard_data_never_worse_than_scipy(name, data):
    check_fit_not_worse_than_scipy(name, data(np.random.default_rng(5)), {})


@pytest.mark.parametrize("name", NAMES)
def test_all_equal_and_nonfinite_data_raise(name):
    dist = getattr(fastmle, name)
    with pytest.raises(ValueError, match="all observations are equal"):
        dist.fit(np.full(10, 3.0))
    # with the scale fixed there is an answer (skewnorm's a is then at its
    # half-normal edge and may warn)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmle.ConvergenceWarning)
        assert np.isfinite(dist.fit(np.full(10, 3.0), fscale=1.0)).all()
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="non-finite"):
            dist.fit(np.array([1.0, 2.0, bad, 4.0]))
        with pytest.raises(ValueError, match="non-finite"):
            dist.fit(np.array([1.0, 2.0, bad, 4.0]), floc=0.0)


@pytest.mark.parametrize("name", NAMES)
def test_all_parameters_fixed_is_an_error(name):
    dist = getattr(fastmle, name)
    kw = {"floc": 0.0, "fscale": 1.0}
    if dist.shapes:
        kw["f0"] = 2.0
    x = np.random.default_rng(0).normal(size=20)
    with pytest.raises(ValueError, match="nothing to optimize"):
        dist.fit(x, **kw)
    # scipy refuses too (a ValueError from the generic fit, a RuntimeError
    # from the _fit overrides of logistic, laplace, gumbel, skewnorm, cauchy)
    with pytest.raises((ValueError, RuntimeError), match="nothing to optimize"):
        getattr(st, name).fit(x, **kw)


@pytest.mark.parametrize("name", ["t", "cauchy"])
def test_ties_collapse_is_an_error(name):
    # 30 of 47 observations tied: the likelihood is unbounded as scale -> 0
    x = np.repeat([1.0, 2.0, 3.0, 7.0], [10, 30, 5, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="no regular maximum"):
            getattr(fastmle, name).fit(x)
    # scipy's own answer there is a point on the way to the unbounded edge
    theirs = getattr(st, name).fit(x)
    assert theirs[-1] < 1e-3


def test_ties_regular_fits_never_worse_than_scipy():
    x = np.repeat([1.0, 2.0, 3.0, 7.0], [10, 30, 5, 2])
    for name in ["logistic", "laplace", "gumbel_r", "gumbel_l", "skewnorm"]:
        check_fit_not_worse_than_scipy(name, x, {})


def test_t_normal_limit_is_reported():
    x = np.random.default_rng(0).normal(1.0, 2.0, 5000)
    res = fastmle.t._fit(as_data(x), fastmle.t._parse_fit_args((), {}))
    assert res.params[0] >= 1e5 and "normal" in res.message and "df" in res.boundary
    # loc and scale are the normal MLE
    np.testing.assert_allclose(res.params[1:], [x.mean(), x.std()], rtol=1e-6)
    assert np.isnan(res.bse[0]) and np.all(np.isfinite(res.bse[1:]))


def test_skewnorm_half_normal_limit():
    x = np.random.default_rng(3).exponential(2.0, 1000) + 5.0
    res = fastmle.skewnorm._fit(as_data(x), fastmle.skewnorm._parse_fit_args((), {}))
    assert res.params[0] > 1e3 and "half-normal" in res.message and "a" in res.boundary
    # the limit is the half-normal with loc at min(x)
    assert abs(res.params[1] - x.min()) < 1e-6
    np.testing.assert_allclose(res.params[2], np.sqrt(np.mean((x - x.min()) ** 2)), rtol=1e-6)
    with pytest.warns(fastmle.ConvergenceWarning, match="half-normal"):
        ours = fastmle.skewnorm.fit(-x)
    assert ours[0] < -1e3
    check_fit_not_worse_than_scipy("skewnorm", -x, {})


def test_laplace_closed_form_and_weighted_median():
    rng = np.random.default_rng(1)
    for n in (101, 100):
        x = rng.laplace(2.0, 3.0, n)
        loc, scale = fastmle.laplace.fit(x)
        assert loc == np.median(x)
        np.testing.assert_allclose(scale, np.mean(np.abs(x - np.median(x))), rtol=1e-12)
        # the general (validating) path agrees with the quick path
        res = fastmle.laplace._fit(as_data(x), fastmle.laplace._parse_fit_args((), {}))
        assert res.params[0] == loc
        np.testing.assert_allclose(res.params[1], scale, rtol=1e-10)
        # loc's standard error is the asymptotic one of the median, scale / sqrt(N)
        np.testing.assert_allclose(res.bse[0], scale / np.sqrt(n), rtol=1e-10)
        np.testing.assert_allclose(res.bse[1], scale / np.sqrt(n), rtol=1e-6)
    # weights equal repeated rows
    x = rng.normal(size=30)
    w = rng.integers(1, 5, 30).astype(float)
    a = fastmle.laplace.fit(x, weights=w)
    b = fastmle.laplace.fit(np.repeat(x, w.astype(int)))
    np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("name,shapes", [
    ("t", (0.8,)), ("t", (1.5,)), ("t", (3.0,)), ("t", (7.0,)), ("cauchy", ()),
    ("logistic", ()), ("laplace", ()), ("gumbel_r", ()), ("gumbel_l", ()),
    ("skewnorm", (-3.0,)), ("skewnorm", (0.5,)),
])
def test_std_moments_match_scipy(name, shapes):
    ours = np.array(getattr(fastmle, name)._std_moments(shapes), dtype=float)
    ref = np.array([float(v) for v in getattr(st, name).stats(*shapes, moments="mvsk")])
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["logistic", "gumbel_r", "gumbel_l"])
@pytest.mark.parametrize("kw", [{}, {"floc": 0.5}, {"fscale": 1.5}])
def test_quick_path_equals_general_path(name, kw):
    x = getattr(np.random.default_rng(2), "logistic")(1.0, 2.0, 300)
    dist = getattr(fastmle, name)
    quick = dist.fit(x, **kw)
    general = dist._fit(as_data(x), dist._parse_fit_args((), kw)).params
    np.testing.assert_allclose(quick, general, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name,gen", [
    # symmetrized: a t's third central moment is 0, so only a sample with
    # zero skewness can match the first three raw moments exactly
    ("t", lambda r, n: 1.0 + np.concatenate([y := 2.0 * r.standard_t(6.0, n // 2), -y])),
    ("logistic", lambda r, n: r.logistic(1.0, 2.0, n)),
    ("laplace", lambda r, n: r.laplace(1.0, 2.0, n)),
    ("gumbel_r", lambda r, n: r.gumbel(1.0, 2.0, n)),
    ("gumbel_l", lambda r, n: -r.gumbel(1.0, 2.0, n)),
    ("skewnorm", lambda r, n: st.skewnorm.rvs(4.0, 1.0, 2.0, size=n, random_state=r)),
])
def test_method_of_moments_matches_the_sample_moments(name, gen):
    x = gen(np.random.default_rng(4), 3000)
    params = getattr(fastmle, name).fit(x, method="MM")
    k = len(params)
    # the fitted distribution's raw moments equal the sample's
    model = [getattr(st, name).moment(j, *params) for j in range(1, k + 1)]
    sample = [np.mean(x ** j) for j in range(1, k + 1)]
    np.testing.assert_allclose(model, sample, rtol=1e-8)


def test_cauchy_method_of_moments_is_an_error():
    with pytest.raises(ValueError, match="moments"):
        fastmle.cauchy.fit(np.random.default_rng(0).standard_cauchy(100), method="MM")


def test_fast_median_is_numpys():
    from fastmle.distributions.laplace import fast_median
    rng = np.random.default_rng(7)
    for n in (1 << 17, (1 << 17) + 1, 300_001):
        for x in (rng.laplace(1.0, 2.0, n), np.sort(rng.normal(size=n)), np.round(rng.normal(size=n), 1),
                  rng.normal(size=n).astype(np.float32), np.repeat([1.0, 2.0], [n // 2, n - n // 2])):
            assert fast_median(x) == np.median(x)


@pytest.mark.parametrize("name,kw,gen", [
    ("t", {}, lambda r, n: 1.0 + 2.0 * r.standard_t(3.0, n)),
    ("cauchy", {}, lambda r, n: 1.0 + 2.0 * r.standard_cauchy(n)),
    ("logistic", {}, lambda r, n: r.logistic(1.0, 2.0, n)),
    ("laplace", {}, lambda r, n: r.laplace(1.0, 2.0, n)),
    ("gumbel_r", {"floc": 0.0}, lambda r, n: r.gumbel(1.0, 2.0, n)),
    ("gumbel_l", {}, lambda r, n: -r.gumbel(1.0, 2.0, n)),
    ("skewnorm", {}, lambda r, n: st.skewnorm.rvs(4.0, 1.0, 2.0, size=n, random_state=r)),
])
def test_large_sample_never_worse_than_scipy(name, kw, gen):
    # 1e5 rows (2e5 for the closed-form laplace: its median takes the
    # sample-bracketed selection; 3e4 for t, whose scipy fit alone takes
    # seconds at 1e5), warm-started from a subsample
    n = {"laplace": 200_000, "t": 30_000}.get(name, 100_000)
    check_fit_not_worse_than_scipy(name, gen(np.random.default_rng(11), n), kw)


@pytest.mark.parametrize("name", NAMES)
def test_fit_weights_equal_repeated_rows(name):
    rng = np.random.default_rng(12)
    x = st.skewnorm.rvs(2.0, 1.0, 2.0, size=150, random_state=rng)
    if name == "t":         # heavy tails, or df runs off to the normal limit
        x = 1.0 + 2.0 * rng.standard_t(3.0, 150)
    w = rng.integers(1, 4, x.shape[0]).astype(float)
    dist = getattr(fastmle, name)
    a = dist.fit(x, weights=w)
    b = dist.fit(np.repeat(x, w.astype(int)))
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ["gumbel_r", "gumbel_l"])
def test_gumbel_loc_closed_form_given_a_tiny_scale(name):
    # exp(-x/s) overflows float64 for s = 1e-3 on data of spread ~2: the loc
    # given the scale is a log-mean-exp taken about its largest term
    rng = np.random.default_rng(8)
    x = rng.gumbel(1.0, 2.0, 500) * (1 if name == "gumbel_r" else -1)
    for xs in (x[:100], x):            # quick path and general path (with weights)
        ours = getattr(fastmle, name).fit(xs, fscale=1e-3)
        check_fit_not_worse_than_scipy(name, xs, {"fscale": 1e-3})
        sg = 1.0 if name == "gumbel_r" else -1.0
        v = -sg * xs / 1e-3
        np.testing.assert_allclose(ours[0], -sg * 1e-3 * (sc.logsumexp(v) - np.log(xs.shape[0])), rtol=1e-12)
    w = np.ones(x.shape[0])
    np.testing.assert_allclose(getattr(fastmle, name).fit(x, fscale=1e-3, weights=w),
                               getattr(fastmle, name).fit(x, fscale=1e-3), rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("name", ["t", "cauchy"])
@pytest.mark.parametrize("fscale", [1e-3, 1e-2])
def test_tiny_fixed_scale_spiky_likelihood(name, fscale, seed):
    # a scale far below the spread: a local maximum in loc near almost every
    # observation; the fit scans them and must not lose to scipy
    x = np.random.default_rng(seed).logistic(1.0, 2.0, 300)
    check_fit_not_worse_than_scipy(name, x, {"fscale": fscale})


def test_t_small_fixed_df_tiny_sample_collapse_is_an_error():
    # (N - 1) df = 0.8 < 1: the likelihood is unbounded with loc at any one
    # observation as scale -> 0
    x = 3.0 + 0.5 * np.random.default_rng(0).standard_t(0.2, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="no regular maximum"):
            fastmle.t.fit(x, f0=0.2)
        assert st.t.fit(x, f0=0.2)[2] < 1e-3      # scipy: a point on the way


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("df", [0.2, 0.5])
def test_t_very_heavy_tails_never_worse_than_scipy(df, seed):
    # sample mean and sd are noise here: start and loc ruler are quantile-based
    x = 3.0 + 0.5 * np.random.default_rng(seed).standard_t(df, 1000)
    for kw in ({}, {"fscale": 0.5}, {"f0": df}):
        check_fit_not_worse_than_scipy("t", x, kw)


@pytest.mark.parametrize("n", [4096, 20000])
def test_skewnorm_large_finite_a_profile(n):
    # a fixed scale 100x the spread: the MLE has a finite but large a
    # (~100-200) where Newton crawls; the profile search must find it
    r = np.random.default_rng(0)
    for _ in range(3):
        x = 5.0 + 0.3 * r.standard_normal(n) * np.where(r.random(n) < 0.3, 3.0, 1.0)
        check_fit_not_worse_than_scipy("skewnorm", x, {"fscale": 30.0})
