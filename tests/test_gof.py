"""Goodness of fit (FitResult.gof), public cdfs, the bootstrap samplers.

Parametrized over every distribution with a cdf kernel
(``has_natural``), so coverage grows as kernels land.
"""
import math
import warnings

import numpy as np
import pytest

st = pytest.importorskip("scipy.stats")
from scipy import integrate, special  # noqa: E402

import fastmle  # noqa: E402
from fastmle import _gof  # noqa: E402
from fastmle._gof import (andersondarling_sf, continuous_statistics, cramervonmises_sf,  # noqa: E402
                          discrete_statistics, kolmogorov_sf)
from fastmle._sampling import STANDARD_SAMPLERS, sample, sample_by_inversion  # noqa: E402
from fastmle.distributions import REGISTRY  # noqa: E402
from fastmle.distributions import _natural  # noqa: E402
from fastmle.distributions._natural import has_natural  # noqa: E402

#: test parameters (scipy's order) of every registered distribution
PARAMS = {
    "beta": (2.5, 1.7, 0.7, 1.9), "betabinom": (12, 2.0, 3.0, 0), "binom": (15, 0.3, 0),
    "cauchy": (0.7, 1.9), "chi2": (4.5, 0.7, 1.9), "expon": (0.7, 1.9), "fisk": (3.0, 0.7, 1.9),
    "gamma": (2.5, 0.7, 1.9), "genextreme": (0.2, 0.7, 1.9), "genpareto": (0.2, 0.7, 1.9),
    "geom": (0.3, 0), "gumbel_l": (0.7, 1.9), "gumbel_r": (0.7, 1.9), "halfnorm": (0.7, 1.9),
    "invgauss": (0.6, 0.7, 1.9), "laplace": (0.7, 1.9), "logistic": (0.7, 1.9),
    "lognorm": (0.6, 0.7, 1.9), "lomax": (3.0, 0.7, 1.9), "nbinom": (3.5, 0.4, 0), "norm": (0.7, 1.9),
    "pareto": (3.0, 0.7, 1.9), "poisson": (4.2, 0), "rayleigh": (0.7, 1.9), "skewnorm": (2.0, 0.7, 1.9),
    "t": (5.0, 0.7, 1.9), "uniform": (0.7, 1.9), "vonmises": (2.0, 0.5, 1.0),
    "weibull_max": (2.0, 0.7, 1.9), "weibull_min": (1.7, 0.7, 1.9), "zipoisson": (3.0, 0.2, 0),
}
#: fit keywords that pin parameters a plain fit does not estimate
FIT_KWDS = {"binom": {"fn": 15}, "betabinom": {"fn": 12}, "vonmises": {"fscale": 1.0}}

WITH_CDF = sorted(n for n, d in REGISTRY.items() if has_natural(d))
CONTINUOUS = [n for n in WITH_CDF if not REGISTRY[n].discrete]
DISCRETE = [n for n in WITH_CDF if REGISTRY[n].discrete]
WITHOUT_CDF = sorted(set(REGISTRY) - set(WITH_CDF))


def test_every_distribution_has_test_parameters_and_a_sampler():
    assert set(PARAMS) == set(REGISTRY)
    assert set(STANDARD_SAMPLERS) == set(REGISTRY)


# ----------------------------------------------------------------------------
# public cdf, sf, logcdf, logsf
# ----------------------------------------------------------------------------


def _points(name, params):
    d = REGISTRY[name]
    q = np.array([1e-6, 1e-3, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999, 1 - 1e-6])
    if name == "zipoisson":
        return np.arange(-2.0, 20.0)
    ref = getattr(st, name)
    inner = ref.ppf(q, *params)
    if d.discrete:
        return np.concatenate([np.arange(inner[0] - 2, inner[-1] + 2), inner[3:5] + 0.5])
    lo, hi = ref.support(*params)
    # scipy's vonmises cdf runs on below 0 and above 1 off its period: no reference there
    outside = [v for v in (lo - 1.0, hi + 1.0) if np.isfinite(v) and name != "vonmises"]
    return np.concatenate([inner, outside])


def _reference(name, params, x, fn):
    """scipy's value; zipoisson (not in scipy) from fastmle's own pmf summed
    (sf as the sum above k: 1 - cdf cancels in the tail); skewnorm from
    Owen's T, Phi(z) - 2 T(z, a): scipy's skewnorm.cdf switches to a
    quadrature good to ~1e-8 below 1e-6."""
    if name == "skewnorm":
        a, loc, scale = params
        z = (x - loc) / scale
        t = 2.0 * special.owens_t(z, a)
        cdf, sf = special.ndtr(z) - t, special.ndtr(-z) + t
        return {"cdf": cdf, "sf": sf, "logcdf": np.log(cdf), "logsf": np.log(sf)}[fn]
    if name != "zipoisson":
        return getattr(getattr(st, name), fn)(x, *params)
    d = REGISTRY[name]
    ks = np.arange(0.0, 200.0)
    pmf = np.array([math.exp(d.loglike(np.array([k]), params)) for k in ks])
    k = np.clip(np.floor(x).astype(int), 0, 199)
    cdf = np.where(x < 0, 0.0, np.cumsum(pmf)[k])
    above = np.concatenate([np.cumsum(pmf[::-1])[::-1][1:], [0.0]])     # sum of pmf over j > k
    sf = np.where(x < 0, 1.0, above[k])
    return {"cdf": cdf, "sf": sf, "logcdf": np.log(cdf), "logsf": np.log(sf)}[fn]


@pytest.mark.parametrize("name", WITH_CDF)
def test_cdf_functions_match_scipy(name):
    d = REGISTRY[name]
    params = PARAMS[name]
    x = _points(name, params)
    for fn in ("cdf", "sf", "logcdf", "logsf"):
        ours = getattr(d, fn)(x, *params)
        ref = _reference(name, params, x, fn)
        assert ours.shape == x.shape
        if fn.startswith("log"):
            finite = np.isfinite(ref)
            np.testing.assert_array_equal(np.isfinite(ours), finite)
            np.testing.assert_array_equal(ours[~finite], ref[~finite])
            np.testing.assert_allclose(ours[finite], ref[finite], rtol=1e-9, atol=1e-13)
        else:
            np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("name", WITH_CDF)
def test_cdf_argument_conventions(name):
    d = REGISTRY[name]
    params = PARAMS[name]
    m = len(d.shapes)
    x = _points(name, params)
    positional = d.cdf(x, *params)
    by_name = d.cdf(x, **dict(zip(d.param_names, params)))
    np.testing.assert_array_equal(positional, by_name)
    mixed = d.cdf(x, *params[:m], loc=params[m], **({} if d.discrete else {"scale": params[m + 1]}))
    np.testing.assert_array_equal(positional, mixed)
    # loc and scale default to 0 and 1
    defaults = tuple(params[:m]) + ((0,) if d.discrete else (0.0, 1.0))
    np.testing.assert_array_equal(d.cdf(x, *params[:m]), d.cdf(x, *defaults))
    # a scalar in, a numpy scalar out; shape kept; NaN propagates
    value = d.cdf(float(x[4]), *params)
    assert np.ndim(value) == 0 and value == positional[4]
    grid = np.stack([x, x])
    assert d.logsf(grid, *params).shape == grid.shape
    assert np.isnan(d.cdf(np.array([np.nan]), *params)[0])
    assert np.isnan(d.logsf(np.nan, *params))


def test_cdf_bad_arguments():
    d = fastmle.weibull_min
    with pytest.raises(TypeError, match="missing required shape parameter.*'c'"):
        d.cdf(1.0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'shape'"):
        d.cdf(1.0, 1.5, shape=2)
    with pytest.raises(TypeError, match="multiple values for 'c'"):
        d.cdf(1.0, 1.5, c=2)
    with pytest.raises(TypeError, match="at most 3"):
        d.cdf(1.0, 1.5, 0, 1, 2)
    with pytest.raises(ValueError, match="scale must be positive"):
        d.cdf(1.0, 1.5, scale=0)
    with pytest.raises(ValueError, match="c must be positive"):
        d.sf(1.0, -1.5)
    with pytest.raises(ValueError, match="must be finite"):
        d.logcdf(1.0, np.nan)
    with pytest.raises(ValueError, match="scalar"):
        d.cdf(1.0, [1.5, 2.0])
    with pytest.raises(TypeError, match="complex"):
        d.cdf(1j, 1.5)


def test_every_distribution_has_a_cdf_kernel():
    """cdf, sf, censored data and gof need one for each of the 31 distributions."""
    assert WITHOUT_CDF == []


# ----------------------------------------------------------------------------
# statistics against scipy and direct formulas
# ----------------------------------------------------------------------------


def _fit(name, x, **kwds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fastmle.fit(name, x, **FIT_KWDS.get(name, {}), **kwds)


def _ad_direct(logF, logS):
    """A2 by the textbook formula on scipy's log cdf and log sf (sorted data)."""
    ok = np.isfinite(logF) & np.isfinite(logS)
    logF, logS = logF[ok], logS[ok]
    n = logF.shape[0]
    i = np.arange(1, n + 1)
    return -n - np.sum((2 * i - 1) * (logF + logS[::-1])) / n


@pytest.mark.parametrize("name", CONTINUOUS)
def test_statistics_equal_scipy_at_the_fitted_parameters(name):
    rng = np.random.default_rng(sum(map(ord, name)))
    x = sample(REGISTRY[name], PARAMS[name], 400, rng)
    res = _fit(name, x)
    p = tuple(res.params)
    g = res.gof()
    ref = getattr(st, name)
    assert g.method == "asymptotic" and g.nobs == 400
    ks = st.kstest(x, ref.cdf, args=p)
    cvm = st.cramervonmises(x, ref.cdf, args=p)
    xs = np.sort(x)
    ad = _ad_direct(ref.logcdf(xs, *p), ref.logsf(xs, *p))
    assert g.ks.statistic == pytest.approx(ks.statistic, rel=1e-10, abs=1e-14)
    assert g.cvm.statistic == pytest.approx(cvm.statistic, rel=1e-10)
    assert g.ad.statistic == pytest.approx(ad, rel=1e-10)
    # asymptotic p-values: the Kolmogorov distribution at sqrt(n) D
    assert g.ks.pvalue == pytest.approx(st.kstwobign.sf(math.sqrt(400) * ks.statistic), rel=1e-10)
    # scipy's CvM p-value has the finite-n correction of Csorgo & Faraway (O(1/n))
    assert g.cvm.pvalue == pytest.approx(cvm.pvalue, abs=2e-3)
    assert list(g) == ["ks", "ad", "cvm"]
    assert g["ad"] is g.ad and g.statistic["ks"] == g.ks.statistic


def test_ad_statistic_equals_scipy_goodness_of_fit():
    rng = np.random.default_rng(3)
    x = rng.logistic(1.0, 2.0, 250)
    res = fastmle.fit("logistic", x)
    loc, scale = res.params
    ref = st.goodness_of_fit(st.logistic, x, known_params={"loc": loc, "scale": scale},
                             statistic="ad", n_mc_samples=9, rng=0)
    assert res.gof(statistics=["ad"]).ad.statistic == pytest.approx(ref.statistic, rel=1e-10)


def test_continuous_statistics_weights_equal_repeated_rows():
    rng = np.random.default_rng(7)
    x = np.sort(rng.logistic(size=60))
    x[10:13] = x[10]                           # ties too
    w = rng.integers(1, 5, size=60).astype(float)
    p = (0.1, 1.2)
    rep = np.repeat(x, w.astype(int))
    lf = lambda v: st.logistic.logcdf(v, *p)   # noqa: E731
    ls = lambda v: st.logistic.logsf(v, *p)    # noqa: E731
    weighted, _ = continuous_statistics(lf(x), ls(x), w, _gof.STATISTICS)
    repeated, _ = continuous_statistics(lf(rep), ls(rep), None, _gof.STATISTICS)
    for k in _gof.STATISTICS:
        assert weighted[k] == pytest.approx(repeated[k], rel=1e-12)
    # and the repeated ones are the textbook statistics
    assert repeated["ks"] == pytest.approx(st.kstest(rep, st.logistic.cdf, args=p).statistic, rel=1e-12)
    assert repeated["cvm"] == pytest.approx(st.cramervonmises(rep, st.logistic.cdf, args=p).statistic,
                                            rel=1e-12)
    assert repeated["ad"] == pytest.approx(_ad_direct(lf(rep), ls(rep)), rel=1e-12)


def test_continuous_statistics_fractional_weights_are_the_integrals():
    """With any positive weights the statistics are the defining integrals
    n int (F_n - F)^2 dF and n int (F_n - F)^2 / (F (1 - F)) dF of the
    weighted empirical cdf (checked by quadrature on F)."""
    rng = np.random.default_rng(8)
    u = np.sort(rng.random(7))           # F at the observations: a uniform null
    w = rng.random(7) + 0.2
    total = w.sum()
    stats, _ = continuous_statistics(np.log(u), np.log1p(-u), w, _gof.STATISTICS)
    steps = np.concatenate([[0.0], np.cumsum(w) / total])
    edges = np.concatenate([[0.0], u, [1.0]])
    cvm = ad = 0.0
    for j in range(8):
        a, b, c = edges[j], edges[j + 1], steps[j]
        cvm += integrate.quad(lambda t: (c - t) ** 2, a, b)[0]
        ad += integrate.quad(lambda t: (c - t) ** 2 / (t * (1 - t)), a, b, epsabs=1e-13)[0]
    assert stats["cvm"] == pytest.approx(total * cvm, rel=1e-10)
    assert stats["ad"] == pytest.approx(total * ad, rel=1e-9)
    assert stats["ks"] == pytest.approx(max(np.max(steps[1:] - u), np.max(u - steps[:-1])), rel=1e-14)


@pytest.mark.parametrize("name", CONTINUOUS)
def test_gof_with_weights_equals_repeated_rows(name):
    rng = np.random.default_rng(11)
    x = sample(REGISTRY[name], PARAMS[name], 80, rng)
    w = rng.integers(1, 4, size=80).astype(float)
    a = _fit(name, x, weights=w).gof()
    b = _fit(name, np.repeat(x, w.astype(int))).gof()
    assert a.nobs == b.nobs == w.sum()
    for k in _gof.STATISTICS:
        assert a[k].statistic == pytest.approx(b[k].statistic, rel=1e-7, abs=1e-12)
        assert a[k].pvalue == pytest.approx(b[k].pvalue, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("n", [_gof._ONE_PASS_FROM, 1000, 40_000])
@pytest.mark.parametrize("name", CONTINUOUS)
def test_one_kernel_pass_for_log_cdf_and_sf(name, n):
    """From 16 rows: log F from the kernel below the fitted median, log S
    above it, and each other tail as log1p(-exp(.)) of the kernel's value
    (full relative precision where that tail is >= 1/2; checked with
    mpmath). The statistics equal the two-pass ones."""
    mp = pytest.importorskip("mpmath")
    d = REGISTRY[name]
    x = np.sort(sample(d, PARAMS[name], n, np.random.default_rng(n)))
    p = PARAMS[name]
    log_F, log_S = _gof._log_cdf_and_sf(d, x, p, 2)
    kernel_F, kernel_S = _natural.lcdf(d, x, p, upper=False), _natural.lcdf(d, x, p, upper=True)
    lower = kernel_F <= -math.log(2)
    assert 0 < lower.sum() < x.size and np.all(np.diff(lower.astype(int)) <= 0)
    np.testing.assert_array_equal(log_F[lower], kernel_F[lower])
    np.testing.assert_array_equal(log_S[~lower], kernel_S[~lower])
    mp.mp.dps = 40
    for derived, primary in ((log_S[lower], kernel_F[lower]), (log_F[~lower], kernel_S[~lower])):
        for i in np.linspace(0, derived.size - 1, 40).astype(int):
            exact = float(mp.log(1 - mp.exp(mp.mpf(float(primary[i])))))
            assert derived[i] == pytest.approx(exact, rel=4e-16, abs=1e-300)
    one, _ = continuous_statistics(log_F, log_S, None, _gof.STATISTICS)
    two, _ = continuous_statistics(kernel_F, kernel_S, None, _gof.STATISTICS)
    for k in _gof.STATISTICS:
        assert one[k] == pytest.approx(two[k], rel=1e-10)


def test_ad_leaves_out_observations_at_the_support_edge():
    rng = np.random.default_rng(5)
    x = rng.exponential(2.0, 200) + 1.0
    res = fastmle.fit("expon", x)           # loc = min(x): F = 0 there
    assert res.params.loc == x.min()
    g = res.gof()
    assert g.ad_left_out == 1 and np.isfinite(g.ad.statistic)
    xs = np.sort(x)[1:]
    p = tuple(res.params)
    assert g.ad.statistic == pytest.approx(_ad_direct(st.expon.logcdf(xs, *p), st.expon.logsf(xs, *p)),
                                           rel=1e-10)
    assert any("leaves out 1" in n for n in g.notes)


def test_ad_is_infinite_for_observations_outside_the_support():
    """A method-of-moments expon puts loc above the smallest uniform values:
    those observations are impossible under the fit, not at its edge."""
    x = np.random.default_rng(6).random(200)
    res = fastmle.fit("expon", x, method="mm")
    assert res.params.loc > x.min() and res.llf == -np.inf
    g = res.gof()
    assert g.ad.statistic == np.inf and g.ad.pvalue == 0.0 and g.ad_left_out == 0
    assert np.isfinite(g.ks.statistic) and g.ks.statistic >= np.mean(x < res.params.loc)


def test_ad_uses_log_tails_far_out():
    """An observation 40 scales into the lower tail of a logistic: F = e^-40
    would be exp's; log F from the kernel keeps A2 exact."""
    x = np.concatenate([np.linspace(-3, 3, 99), [-40.0]])
    res = fastmle.fit("logistic", x, fscale=1.0)
    xs = np.sort(x)
    ref = _ad_direct(st.logistic.logcdf(xs, *res.params), st.logistic.logsf(xs, *res.params))
    assert np.log(st.logistic.cdf(-40.0, *res.params)) == pytest.approx(
        st.logistic.logcdf(-40.0, *res.params), rel=1e-6)
    assert res.gof().ad.statistic == pytest.approx(ref, rel=1e-11)


# ----------------------------------------------------------------------------
# asymptotic distributions
# ----------------------------------------------------------------------------


def test_kolmogorov_sf_equals_kstwobign():
    t = np.concatenate([[0.0, 0.05], np.linspace(0.1, 6.0, 119)])
    np.testing.assert_allclose(kolmogorov_sf(t), st.kstwobign.sf(t), rtol=1e-11, atol=1e-15)
    assert kolmogorov_sf(0.8) == pytest.approx(st.kstwobign.sf(0.8), rel=1e-13)


def _cvm_cdf_reference(x):
    """Csorgo & Faraway's eq. 1.2 with scipy.special.kv, summed to the end."""
    total = 0.0
    for k in range(100):
        y = 4 * k + 1
        q = y * y / (16 * x)
        coef = math.exp(special.gammaln(k + 0.5) - special.gammaln(k + 1)) / math.pi ** 1.5
        total += coef * math.sqrt(y) * special.kve(0.25, q) * math.exp(-2 * q) / math.sqrt(x)
    return total


def test_cramervonmises_sf_against_the_series_with_scipys_bessel():
    for x in (0.02, 0.05, 0.1, 0.2, 0.3, 0.46136, 0.74346, 1.0, 1.5, 2.5, 3.5):
        assert cramervonmises_sf(x) == pytest.approx(1 - _cvm_cdf_reference(x), rel=1e-12, abs=1e-14)
    # the classical asymptotic percentage points (Anderson & Darling 1952)
    assert cramervonmises_sf(0.46136) == pytest.approx(0.05, abs=1e-5)
    assert cramervonmises_sf(0.74346) == pytest.approx(0.01, abs=1e-5)


def _imhof_sf(x, lam):
    """P(sum lam_j chi2_1 > x) by Imhof's (1961) inversion."""
    def f(u):
        theta = 0.5 * np.sum(np.arctan(lam * u)) - 0.5 * x * u
        rho = np.exp(0.25 * np.sum(np.log1p((lam * u) ** 2)))
        return np.sin(theta) / (u * rho)
    return 0.5 + integrate.quad(f, 0, np.inf, limit=1000, epsabs=1e-13, epsrel=1e-12)[0] / np.pi


def test_asymptotic_sfs_against_imhof():
    """A2 = sum chi2_1 / (j (j + 1)) and n omega2 = sum chi2_1 / (j pi)^2; the
    eigenvalues past J enter by their sum (their spread is O(J^-3))."""
    J = 2000
    j = np.arange(1, J + 1.0)
    for z in (0.8, 2.492, 6.0):
        assert andersondarling_sf(z) == pytest.approx(_imhof_sf(z - 1 / (J + 1), 1 / (j * (j + 1))),
                                                      abs=1e-9)
    for x in (0.1, 1.2):
        ref = _imhof_sf(x - 1 / (math.pi ** 2 * (J + 0.5)), 1 / (j * j * math.pi ** 2))
        assert cramervonmises_sf(x) == pytest.approx(ref, abs=1e-9)


def test_andersondarling_sf_table_values():
    # Stephens (1974) asymptotic points: 2.492 (5%), 3.857 (1%, to the table's rounding)
    assert andersondarling_sf(2.492) == pytest.approx(0.05, abs=5e-5)
    assert andersondarling_sf(3.857) == pytest.approx(0.01, abs=3e-4)
    assert andersondarling_sf(1.933) == pytest.approx(0.10, abs=5e-5)
    assert andersondarling_sf(0.0) == 1.0 and andersondarling_sf(1e-4) == 1.0


def test_tail_expansions_join_the_series():
    eps = 1e-9
    for sf, at in ((andersondarling_sf, _gof._AD_TAIL_FROM), (cramervonmises_sf, _gof._CVM_TAIL_FROM)):
        inner, outer = sf(at), sf(at + eps)
        assert outer == pytest.approx(inner, rel=2e-3)
        assert 0 < sf(at * 3) < outer
    assert np.all(np.diff(andersondarling_sf(np.linspace(0.1, 40, 300))) < 0)
    assert np.all(np.diff(cramervonmises_sf(np.linspace(0.02, 8, 300))) < 0)


# ----------------------------------------------------------------------------
# the parametric bootstrap
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONTINUOUS)
def test_bootstrap_runs_and_is_reproducible(name):
    rng = np.random.default_rng(21)
    x = sample(REGISTRY[name], PARAMS[name], 150, rng)
    res = _fit(name, x)
    a = res.gof(n_boot=19, random_state=4)
    b = res.gof(n_boot=19, random_state=np.random.default_rng(4))
    assert a.method == "bootstrap" and a.n_boot == 19
    assert a.pvalue == b.pvalue
    for k in _gof.STATISTICS:
        t = a.null_distribution[k]
        assert t.shape[0] == 19 - a.n_failed
        assert a[k].pvalue == (1 + np.count_nonzero(t >= a[k].statistic)) / (t.shape[0] + 1)
        assert a[k].statistic == res.gof()[k].statistic


def test_bootstrap_pvalues_are_uniform_under_the_null_and_small_under_an_alternative():
    rng = np.random.default_rng(2024)
    boot, asym = [], []
    for _ in range(40):
        x = rng.logistic(3.0, 2.0, 60)
        g = fastmle.fit("logistic", x).gof(n_boot=39, random_state=rng)
        boot.append([g[k].pvalue for k in _gof.STATISTICS])
        asym.append([g2.pvalue for g2 in fastmle.fit("logistic", x).gof().values()])
    boot, asym = np.array(boot), np.array(asym)
    for col in range(3):
        p = boot[:, col]
        assert 0.38 < p.mean() < 0.62
        assert np.mean(p <= 0.25) < 0.45 and np.mean(p > 0.75) < 0.45
        # the asymptotic p-values ignore the estimation: conservative
        assert asym[:, col].mean() > p.mean() + 0.1
    # a clear alternative: exponential data, fitted by a logistic
    x = rng.exponential(1.0, 300)
    g = fastmle.fit("logistic", x).gof(n_boot=49, random_state=1)
    for k in _gof.STATISTICS:
        assert g[k].pvalue == 1 / 50


def test_refits_hold_the_same_fixed_parameters_and_bounds():
    rng = np.random.default_rng(9)
    x = rng.weibull(1.7, 300) * 2.0
    res = fastmle.fit("weibull_min", x, floc=0.0, f0=1.7)
    spec = _gof._refit_spec(res)
    y = rng.weibull(1.7, 300) * 2.5
    refit = _gof._refit(fastmle.weibull_min, y, spec)
    assert refit.params.c == 1.7 and refit.params.loc == 0.0
    assert refit.params.scale == pytest.approx(fastmle.weibull_min.fit(y, f0=1.7, floc=0)[2], rel=1e-12)
    # bounds: the refit enforces them as fastmle.fit does
    res_b = fastmle.fit("weibull_min", x, bounds={"c": (0.5, 1.2), "loc": (0, 0), "scale": (0.1, 10)})
    assert res_b.params.c == 1.2
    again = _gof._refit(fastmle.weibull_min, x, _gof._refit_spec(res_b))
    assert tuple(again.params) == pytest.approx(tuple(res_b.params), rel=1e-12)


# ----------------------------------------------------------------------------
# discrete distributions
# ----------------------------------------------------------------------------


def _discrete_reference(x, w, cdf, pmf, lo, hi):
    """Choulakian, Lockhart & Stephens (1994) by brute force on [lo, hi]."""
    k = np.arange(lo, hi + 1.0)
    Fn = np.array([np.sum(w[x <= v]) for v in k]) / w.sum()
    F, p = cdf(k), pmf(k)
    Z = Fn - F
    H = F * (1 - F)
    keep = H > 0
    return {"ks": np.max(np.abs(Z)), "cvm": w.sum() * np.sum(Z * Z * p),
            "ad": w.sum() * np.sum((Z * Z * p)[keep] / H[keep])}


def _scipy_log_cdf(ref, params):
    return lambda k, upper: ref.logsf(k, *params) if upper else ref.logcdf(k, *params)


@pytest.mark.parametrize("ref, params", [(st.poisson, (3.3,)), (st.nbinom, (2.5, 0.3)),
                                         (st.binom, (12, 0.4))])
def test_discrete_statistics_by_brute_force(ref, params):
    rng = np.random.default_rng(13)
    x = np.sort(ref.rvs(*params, size=150, random_state=rng).astype(float))
    w = rng.integers(1, 4, size=150).astype(float)
    ours = discrete_statistics(x, w, _scipy_log_cdf(ref, params), _gof.STATISTICS)
    expected = _discrete_reference(x, w, lambda k: ref.cdf(k, *params), lambda k: ref.pmf(k, *params),
                                   -1, ref.isf(1e-15, *params) + 80)
    for k in _gof.STATISTICS:
        assert ours[k] == pytest.approx(expected[k], rel=1e-9)
    repeated = discrete_statistics(np.repeat(x, w.astype(int)), None, _scipy_log_cdf(ref, params),
                                   _gof.STATISTICS)
    for k in _gof.STATISTICS:
        assert repeated[k] == pytest.approx(ours[k], rel=1e-12)


@pytest.fixture
def scipy_poisson_cdf(monkeypatch):
    """poisson with a scipy-backed cdf where its kernel has none yet, so the
    discrete path runs end to end; with the kernel, the kernel is used."""
    if has_natural(fastmle.poisson):
        return
    real_has, real_lcdf = _natural.has_natural, _natural.lcdf

    def lcdf(dist, x, params, upper=False, n_threads=1):
        if dist.name != "poisson":
            return real_lcdf(dist, x, params, upper, n_threads)
        x = np.floor(np.asarray(x, dtype=float))
        return (st.poisson.logsf if upper else st.poisson.logcdf)(x, *params)

    monkeypatch.setattr(_natural, "lcdf", lcdf)
    monkeypatch.setattr(_natural, "has_natural", lambda d: d.name == "poisson" or real_has(d))


def test_discrete_gof_bootstrap_and_no_asymptotic_pvalue(scipy_poisson_cdf):
    rng = np.random.default_rng(17)
    x = rng.poisson(4.0, 200).astype(float)
    res = fastmle.fit("poisson", x)
    g = res.gof()
    assert g.method == "none" and all(math.isnan(t.pvalue) for t in g.values())
    mu = res.params.mu
    expected = _discrete_reference(x, np.ones(200), lambda k: st.poisson.cdf(k, mu),
                                   lambda k: st.poisson.pmf(k, mu), -1, 80)
    for k in _gof.STATISTICS:
        assert g[k].statistic == pytest.approx(expected[k], rel=1e-9)
    pvals = []
    for _ in range(25):
        y = rng.poisson(4.0, 80).astype(float)
        pvals.append(fastmle.fit("poisson", y).gof(n_boot=29, random_state=rng).cvm.pvalue)
    assert 0.3 < np.mean(pvals) < 0.7
    # overdispersed counts: a poisson fit is clearly rejected
    y = rng.negative_binomial(2, 0.3, 300).astype(float)
    g = fastmle.fit("poisson", y).gof(n_boot=49, random_state=3)
    assert g.method == "bootstrap" and all(t.pvalue == 1 / 50 for t in g.values())


@pytest.mark.parametrize("name", DISCRETE)
def test_discrete_gof_with_a_kernel(name):
    rng = np.random.default_rng(19)
    d = REGISTRY[name]
    x = sample(d, PARAMS[name], 200, rng)
    res = _fit(name, x)
    g = res.gof(n_boot=19, random_state=0)
    assert g.method == "bootstrap" and all(0 < t.pvalue <= 1 for t in g.values())
    w = rng.integers(1, 4, size=200).astype(float)
    a = _fit(name, x, weights=w).gof()
    b = _fit(name, np.repeat(x, w.astype(int))).gof()
    for k in _gof.STATISTICS:
        assert a[k].statistic == pytest.approx(b[k].statistic, rel=1e-7, abs=1e-12)


# ----------------------------------------------------------------------------
# samplers
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_sampler_matches_the_distribution(name):
    d = REGISTRY[name]
    params = PARAMS[name]
    x = sample(d, params, 4000, np.random.default_rng(99))
    if name == "zipoisson":
        mu, pi, _ = params
        zeros = np.mean(x == 0)
        assert zeros == pytest.approx(pi + (1 - pi) * math.exp(-mu), abs=0.03)
        assert x[x > 0].mean() == pytest.approx(mu / (1 - math.exp(-mu)), rel=0.03)
        return
    ref = getattr(st, name)
    if d.discrete:
        k = np.arange(ref.ppf(1e-9, *params) - 1, ref.ppf(1 - 1e-9, *params) + 1)
        ecdf = np.searchsorted(np.sort(x), k, side="right") / x.size
        assert np.max(np.abs(ecdf - ref.cdf(k, *params))) < 2.0 / math.sqrt(x.size)
    else:
        assert st.kstest(x, ref.cdf, args=params).pvalue > 1e-3


@pytest.mark.parametrize("name", CONTINUOUS)
def test_inversion_sampler_is_scipys_ppf(name):
    d = REGISTRY[name]
    params = PARAMS[name]
    x = sample_by_inversion(d, params, 300, np.random.default_rng(5))
    u = np.random.default_rng(5).random(300)
    np.testing.assert_allclose(x, getattr(st, name).ppf(u, *params), rtol=1e-9, atol=1e-12)


def test_inversion_sampler_discrete(scipy_poisson_cdf):
    x = sample_by_inversion(fastmle.poisson, (6.5, 2), 500, np.random.default_rng(6))
    u = np.random.default_rng(6).random(500)
    np.testing.assert_array_equal(x, st.poisson.ppf(u, 6.5, loc=2))


# ----------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------


def test_gof_bad_arguments():
    res = fastmle.fit("logistic", np.random.default_rng(1).logistic(size=50))
    with pytest.raises(ValueError, match="statistics must name tests"):
        res.gof(statistics=["ks", "chi2"])
    with pytest.raises(ValueError, match="statistics must name tests"):
        res.gof(statistics=[])
    with pytest.raises(TypeError, match="n_boot"):
        res.gof(n_boot=1.5)
    with pytest.raises(ValueError, match="n_boot"):
        res.gof(n_boot=0)
    with pytest.raises(TypeError, match="random_state"):
        res.gof(n_boot=5, random_state="seed")
    g = res.gof(statistics="ad")
    assert list(g) == ["ad"]
    with pytest.raises(AttributeError, match="tests computed"):
        g.ks


def test_gof_censored_data_and_missing_kernel():
    x = np.random.default_rng(2).weibull(1.5, 100)
    cens = fastmle.Censored(lower=x, upper=np.where(x > 1.5, np.inf, x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fastmle.fit("weibull_min", cens, floc=0)
    with pytest.raises(NotImplementedError, match="censored"):
        res.gof()
    if WITHOUT_CDF:
        name = next(n for n in WITHOUT_CDF if not REGISTRY[n].discrete)
        res = _fit(name, sample(REGISTRY[name], PARAMS[name], 100, np.random.default_rng(3)))
        with pytest.raises(NotImplementedError, match=f"{name} has no cdf kernel"):
            res.gof()


def test_gof_result_to_dict_and_repr():
    res = fastmle.fit("gumbel_r", np.random.default_rng(4).gumbel(size=100))
    g = res.gof()
    d = g.to_dict()
    assert d["method"] == "asymptotic" and set(d["tests"]) == {"ks", "ad", "cvm"}
    assert d["tests"]["ad"]["statistic"] == g.ad.statistic
    text = repr(g)
    assert "Anderson-Darling" in text and "conservative" in text


def test_gof_of_out_of_core_data_equals_in_memory(tmp_path):
    x = np.random.default_rng(8).logistic(1.0, 2.0, 30_000)
    files = []
    for i in range(3):
        files.append(tmp_path / f"part{i}.npy")
        np.save(files[-1], x[i * 10_000:(i + 1) * 10_000])
    chunked = fastmle.fit("logistic", fastmle.chunks([str(f) for f in files])).gof()
    in_memory = fastmle.fit("logistic", x).gof()
    for k in _gof.STATISTICS:
        assert chunked[k].statistic == pytest.approx(in_memory[k].statistic, rel=1e-9)
