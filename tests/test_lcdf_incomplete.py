"""cdfs built on incomplete gamma/beta functions: gamma, chi2, t, beta,
vonmises, binom, nbinom, betabinom (``NAME_lcdf`` in src/families/).

Values of log F and log S against scipy over wide grids (far tails and
parameter extremes included; mpmath where scipy underflows or loses the
digits), derivatives in the parameters against finite differences, and
right- and interval-censored fits against scipy's censored fits (continuous)
or a Nelder-Mead minimum of the censored likelihood written with scipy
(discrete, loc fixed). ``tests/test_natural.py`` covers the generic checks.
"""
import math
import warnings

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st

import fastmle
from fastmle._censored import as_censored
from fastmle.distributions import REGISTRY
from fastmle.distributions._natural import lcdf, natural_sums

mp = pytest.importorskip("mpmath")

TINY = 1e-300      # below this scipy's cdf/sf are subnormal or 0: mpmath instead


def _ours(name, x, p, upper):
    return lcdf(REGISTRY[name], np.asarray(x, dtype=float), p, upper=upper)


def _scipy_two_sided(name, x, p):
    """(log F, log S) from scipy's cdf and sf, each read only where it is the
    smaller one (log1p(-other) elsewhere, so a log near 0 keeps the relative
    accuracy of the small tail); NaN where the small side is below TINY."""
    d = getattr(st, name)
    F, S = d.cdf(x, *p), d.sf(x, *p)
    with np.errstate(divide="ignore", invalid="ignore"):
        lF = np.where(F <= S, np.log(F), np.log1p(-S))
        lS = np.where(S < F, np.log(S), np.log1p(-F))
    small = np.minimum(F, S)
    bad = ~(small > TINY)
    lF[bad] = np.nan
    lS[bad] = np.nan
    return lF, lS


def _mp_digits(hint):
    """Working digits for a reference whose log is about ``hint``: when the
    log is near 0 the small other tail decides it, and 1 minus the large
    side must resolve it (a tiny log of the side computed directly by its
    series needs no extra digits)."""
    h = abs(float(hint))
    return 40 + (int(-math.log10(h)) if 0 < h < 1 else 0)


def _mp_log_betainc(a, b, x, upper, hint):
    """log I_x(a, b) (log(1 - I_x(a, b)) with ``upper``) from the positive
    series I_x = x^a (1-x)^b / (a B(a, b)) 2F1(a + b, 1; a + 1; x) on the side
    where it converges fast (x below about the mean), 1 minus it on the other."""
    with mp.workdps(_mp_digits(hint)):
        a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)

        def series(a, b, x):
            return x ** a * (1 - x) ** b / (a * mp.beta(a, b)) * mp.hyp2f1(a + b, 1, a + 1, x, maxterms=10 ** 7)

        if x <= (a + 1) / (a + b + 2):
            lower = series(a, b, x)
            upper_v = 1 - lower
        else:
            upper_v = series(b, a, 1 - x)
            lower = 1 - upper_v
        return float(mp.log(upper_v if upper else lower))


def _mp_ref(name, x, p, upper, hint):
    """High-precision log F (log S) of scipy's ``name`` at ``x``."""
    if name == "chi2":
        return _mp_ref("gamma", x, (p[0] / 2, p[1], 2 * p[2]), upper, hint)
    if name in ("gamma", "t", "beta", "vonmises"):
        z = (x - p[-2]) / p[-1]
    if name == "gamma":
        with mp.workdps(_mp_digits(hint)):
            v = mp.gammainc(p[0], z, mp.inf, regularized=True) if upper else \
                mp.gammainc(p[0], 0, z, regularized=True)
            return float(mp.log(v))
    if name == "t":
        return _t_ref(z, p[0], upper, hint)
    if name == "beta":
        return _mp_log_betainc(p[0], p[1], z, upper, hint)
    if name == "vonmises":
        # the tail beyond |z| (S(z) for z >= 0, F(z) = S(-z) below), with
        # t = kappa (cos|z| - cos s): S = e^(kappa (cos z - 1)) int_0^T e^-t
        # / (kappa sin s) dt, an exponential with an integrable 1/sqrt at
        # s = pi, which tanh-sinh takes to full precision
        with mp.workdps(40):
            k, a = mp.mpf(p[0]), abs(mp.mpf(z))
            c = mp.cos(a)
            top = k * (1 + c)
            g = lambda t: mp.exp(-t) / (k * mp.sqrt((1 - c + t / k) * (1 + c - t / k)))   # noqa: E731
            pts = [0] + [b for b in (0.5, 2, 8, 30, 100) if b < top] + [top]
            tail = mp.re(mp.quad(g, pts)) * mp.exp(k * (c - 1)) / (2 * mp.pi * mp.besseli(0, k) * mp.exp(-k))
            small_side = upper == (z >= 0)
            return float(mp.log(tail) if small_side else mp.log1p(-tail))
    k = math.floor(x - p[-1])
    if name == "binom":          # S(k) = I_p(k + 1, n - k)
        return _mp_log_betainc(k + 1, p[0] - k, p[1], not upper, hint)
    if name == "nbinom":         # F(k) = I_p(n, k + 1)
        return _mp_log_betainc(p[0], k + 1, p[1], upper, hint)
    raise ValueError(name)


def _check_values(name, x, p, rtol=1e-12):
    """log F and log S to ``rtol`` relative: against scipy (each side from the
    smaller tail), and where scipy underflows or disagrees by more than
    ``rtol`` (its own errors reach ~1e-11 in places), against mpmath.
    Returns the number of points checked."""
    x = np.asarray(x, dtype=float)
    lF, lS = _scipy_two_sided(name, x, p)
    for upper, ref in ((False, lF), (True, lS)):
        got = _ours(name, x, p, upper)
        for i in range(x.shape[0]):
            r = ref[i]
            if np.isfinite(r) and abs(got[i] - r) <= rtol * abs(r):
                continue
            d = getattr(st, name)
            if got[i] == -np.inf:        # probability 0: outside the support only
                assert (d.sf(x[i], *p) if upper else d.cdf(x[i], *p)) == 0.0, (name, p, x[i], upper)
                continue
            if got[i] == 0.0:            # probability 1: the other side is below the smallest float
                assert (d.cdf(x[i], *p) if upper else d.sf(x[i], *p)) < 1e-300, (name, p, x[i], upper)
                continue
            m = _mp_ref(name, x[i], p, upper, got[i])
            assert abs(got[i] - m) <= rtol * abs(m), (name, p, x[i], upper, got[i], m, r)
    return x.shape[0]


def _assert_rel(got, ref, rtol, what):
    ref = np.asarray(ref, dtype=float)
    err = np.abs(got - ref) / np.abs(ref)
    worst = int(np.argmax(err))
    assert err[worst] <= rtol, (what, got[worst], ref[worst], err[worst])


def _quantile_grid(name, p, q_min=1e-280):
    d = getattr(st, name)
    q = np.concatenate([np.geomspace(q_min, 1e-3, 12), [0.02, 0.2, 0.5, 0.8, 0.98]])
    x = np.concatenate([d.ppf(q, *p), d.isf(q, *p)])
    return np.unique(x[np.isfinite(x)])


# -- gamma and chi2 ------------------------------------------------------------------

@pytest.mark.parametrize("a", [1e-3, 0.3, 1.0, 3.7, 60.0, 2e3, 1e5])
def test_gamma_values_against_scipy(a):
    p = (a, 0.0, 1.0)
    assert _check_values("gamma", _quantile_grid("gamma", p), p) > 10


def test_gamma_far_tails_against_mpmath():
    """Where scipy's cdf/sf underflow: log P(a, 1e-300) and log Q(a, 1000 a)."""
    mp.mp.dps = 30
    for a, x, upper in [(3.7, 1e-300, False), (60.0, 1e-250, False), (0.5, 2000.0, True),
                        (1e3, 1e5, True), (1e3, 1e-5, False)]:
        ref = mp.log(mp.gammainc(a, x, mp.inf, regularized=True) if upper
                     else mp.gammainc(a, 0, x, regularized=True))
        got = _ours("gamma", [x], (a, 0.0, 1.0), upper)[0]
        assert abs(got - float(ref)) <= 1e-13 * abs(float(ref)), (a, x, upper, got, ref)


def test_chi2_through_gamma():
    for df in (0.01, 1.0, 7.0, 500.0):
        p = (df, 0.5, 2.0)
        assert _check_values("chi2", _quantile_grid("chi2", p), p) > 10


# -- t ------------------------------------------------------------------------------

@pytest.mark.parametrize("df", [0.05, 0.7, 1.0, 2.5, 30.0, 1999.0, 2000.0, 1e4, 1e6])
def test_t_values_against_scipy(df):
    p = (df, 0.0, 1.0)
    x = np.concatenate([_quantile_grid("t", p), [-1e-3, 1e-7, 1e-150]])
    assert _check_values("t", x, p) > 10


def _t_ref(z, df, upper, hint=1.0):
    """log F (log S) of t(df) in high precision: T = I_x(df/2, 1/2) / 2
    beyond |z|, x = df / (df + z^2), by the positive series (on the side of
    the mean of Beta(df/2, 1/2) where it converges fast)."""
    with mp.workdps(_mp_digits(hint) + 20):
        s = mp.mpf(-z if upper else z)
        nu = mp.mpf(df)
        a, b = nu / 2, mp.mpf(1) / 2
        x, y = nu / (nu + s * s), s * s / (nu + s * s)

        def series(a, b, u, v):     # v = 1 - u, given exactly
            return u ** a * v ** b / (a * mp.beta(a, b)) * mp.hyp2f1(a + b, 1, a + 1, u, maxterms=10 ** 7)

        T = series(a, b, x, y) / 2 if x <= (a + 1) / (a + b + 2) else (1 - series(b, a, y, x)) / 2
        return float(mp.log(T) if s < 0 else mp.log1p(-T))


def test_t_large_df_and_far_tails_against_mpmath():
    """The expansion about the normal cdf (df >= 2000 near the centre), the
    incomplete beta beyond it, and |z| past 1e140 (x underflows)."""
    cases = [(df, z) for df in (2000.0, 1e5, 1e8, 1e12) for z in (-9.0, -2.5, -0.3, 1e-9, 1.7, 6.0)]
    cases += [(2000.0, -40.0), (1e5, 30.0), (0.7, -1e200), (3.0, 1e160), (30.0, -1e10)]
    for df, z in cases:
        for upper in (False, True):
            got = _ours("t", [z], (df, 0.0, 1.0), upper)[0]
            ref = _t_ref(z, df, upper, got)
            assert abs(got - ref) <= 2e-13 * abs(ref), (df, z, upper, got, ref)


# -- beta ---------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [(0.5, 0.5), (2.0, 3.0), (0.05, 4.0), (50.0, 0.8), (300.0, 500.0),
                                  (1e4, 3.0), (2e4, 5e4)])
def test_beta_values_against_scipy(a, b):
    p = (a, b, 0.0, 1.0)
    assert _check_values("beta", _quantile_grid("beta", p), p) > 10


def test_beta_with_loc_scale_and_outside_support():
    p = (2.0, 3.0, -1.0, 4.0)
    x = np.array([-5.0, -1.0, 3.0, 10.0])
    np.testing.assert_array_equal(_ours("beta", x, p, False), [-np.inf, -np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(_ours("beta", x, p, True), [0.0, 0.0, -np.inf, -np.inf])
    _check_values("beta", np.linspace(-0.9, 2.9, 15), p)


# -- vonmises -----------------------------------------------------------------------

@pytest.mark.parametrize("kappa", [1e-3, 0.5, 2.0, 30.0, 700.0])
def test_vonmises_values_against_scipy(kappa):
    """scipy's series (kappa < 50) is good to ~1e-16 absolute only, its normal
    approximation above to ~1e-6..1e-11: mpmath decides where they differ.
    Points stay 1e-3 from the cut at +-pi, where F(-pi + d) ~ d carries the
    rounding of pi in z relative to d."""
    p = (kappa, 0.4, 1.0)
    n = 25 if kappa < 50 else 9
    z = np.concatenate([np.linspace(-np.pi + 1e-3, np.pi - 1e-3, n), [-0.01, 1e-6, 0.2]])
    assert _check_values("vonmises", 0.4 + z, p, rtol=1e-12) > 10


def test_vonmises_kappa_beyond_the_series():
    """kappa = 0 (fixed uniform), below 1e-8 and above 1e8 (fits reach 1e16
    when all angles agree): expansions in kappa and about the normal cdf."""
    z = np.array([-3.1, -2.0, -1e-3, 0.0, 0.7, 3.0])
    np.testing.assert_allclose(_ours("vonmises", z, (0.0, 0.0, 1.0), False), np.log((z + np.pi) / (2 * np.pi)),
                               rtol=1e-15)
    np.testing.assert_allclose(_ours("vonmises", z, (0.0, 0.0, 1.0), True), np.log((np.pi - z) / (2 * np.pi)),
                               rtol=1e-15)
    for kappa in (1e-300, 5e-9, 1.5e8, 1e12, 1e16):
        w = np.array([-30.0, -5.0, -1.0, 0.3, 3.0, 8.0]) / np.sqrt(kappa) if kappa > 1 else z
        for upper in (False, True):
            got = _ours("vonmises", w, (kappa, 0.0, 1.0), upper)
            for zi, gi in zip(w, got):
                ref = _mp_ref("vonmises", zi, (kappa, 0.0, 1.0), upper, gi)
                assert abs(gi - ref) <= 1e-13 * abs(ref) + 1e-300, (kappa, zi, upper, gi, ref)


def test_vonmises_censoring_intervals_are_arcs():
    """An interval across the cut at loc +- pi, or given turns away, has the
    arc's probability: scipy's F(b) - F(a) with its unwrapped cdf; the
    gradient in (kappa, loc) against differences of that."""
    p = (2.0, 0.5, 1.0)
    arcs = [(2.0, 4.5), (-3.0, -2.0), (10.0, 11.0), (-6.0, -5.5), (0.4, 0.6), (-2.6, 3.6)]
    d = REGISTRY["vonmises"]

    def scipy_ll(q, a, b):
        return float(np.log(st.vonmises.cdf(b, *q) - st.vonmises.cdf(a, *q)))

    for a, b in arcs:
        _, ll, g, _, _ = natural_sums(d, as_censored(fastmle.Censored(np.array([a]), np.array([b]))), p)
        assert abs(ll - scipy_ll(p, a, b)) <= 1e-12 * max(1.0, abs(ll)), (a, b, ll, scipy_ll(p, a, b))
        turned = natural_sums(d, as_censored(fastmle.Censored(np.array([a + 4 * np.pi]),
                                                              np.array([b + 4 * np.pi]))), p)[1]
        assert abs(turned - ll) <= 1e-12 * max(1.0, abs(ll))
        for i in (0, 1):
            h = 1e-5
            q1, q2 = list(p), list(p)
            q1[i] -= h
            q2[i] += h
            fd = (scipy_ll(q2, a, b) - scipy_ll(q1, a, b)) / (2 * h)
            assert abs(g[i] - fd) <= 1e-6 * max(1.0, abs(fd)), (a, b, i, g[i], fd)
    # the whole circle (or more) carries no information
    whole = natural_sums(d, as_censored(fastmle.Censored(np.array([0.0]), np.array([7.0]))), p)
    assert whole[0] == 1.0 and whole[1] == 0.0


def test_vonmises_binned_directions_fit():
    """Wind-direction style data: 12 sectors of 30 degrees covering the circle
    in [-pi, pi), the mean direction far from 0 (one sector holds the
    antipode of loc); the fit is at least as good as scipy's."""
    x = st.vonmises.rvs(3.0, loc=2.5, size=300, random_state=np.random.default_rng(24))
    edges = -np.pi + np.arange(13) * (np.pi / 6)
    k = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, 11)
    lo, hi = edges[k], edges[k + 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fastmle.fit("vonmises", fastmle.Censored(lo, hi))
        theirs = st.vonmises.fit(st.CensoredData(interval=np.column_stack([lo, hi])), fscale=1.0)
    assert res.converged, res.message
    nll_ours = _censored_nll("vonmises", tuple(res.params), lo, hi)
    nll_theirs = _censored_nll("vonmises", theirs, lo, hi)
    assert abs(-res.llf - nll_ours) <= 1e-9 * nll_ours
    assert nll_ours <= nll_theirs + 1e-9 * nll_theirs, (tuple(res.params), theirs, nll_ours, nll_theirs)
    assert abs(res.params[1] - 2.5) < 0.2 and res.params[2] == 1.0


def test_vonmises_is_cut_at_loc_plus_minus_pi():
    """cdf values: F = 0 below loc - pi and 1 above loc + pi (scipy's cdf
    continues as F(z + 2 pi) = F(z) + 1 instead, which is no probability)."""
    p = (2.0, 0.4, 1.0)
    x = np.array([0.4 - 4.0, 0.4 - np.pi, 0.4 + np.pi, 0.4 + 5.0])
    np.testing.assert_array_equal(_ours("vonmises", x, p, False), [-np.inf, -np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(_ours("vonmises", x, p, True), [0.0, 0.0, -np.inf, -np.inf])


# -- discrete -----------------------------------------------------------------------

@pytest.mark.parametrize("n, p", [(1, 0.3), (7, 1e-8), (100, 0.02), (100, 0.5), (100, 1 - 1e-9),
                                  (10 ** 4, 0.37), (10 ** 7, 1e-5)])
def test_binom_values_against_scipy(n, p):
    par = (n, p, 0.0)
    k = np.unique(np.concatenate([np.arange(0, min(n, 60) + 1),
                                  np.linspace(0, n, 41).round(), [n - 1, n, n + 3, -1]]))
    assert _check_values("binom", k, par) >= 3


def test_binom_degenerate_p():
    k = np.array([-1.0, 0.0, 3.0, 9.0, 10.0])
    np.testing.assert_array_equal(_ours("binom", k, (10, 0.0, 0.0), False), [-np.inf, 0, 0, 0, 0])
    np.testing.assert_array_equal(_ours("binom", k, (10, 1.0, 0.0), False),
                                  [-np.inf, -np.inf, -np.inf, -np.inf, 0])


@pytest.mark.parametrize("n, p", [(0.01, 0.3), (0.5, 1e-4), (3.0, 0.4), (3.0, 0.999), (200.0, 0.9),
                                  (1e6, 1 - 1e-6)])
def test_nbinom_values_against_scipy(n, p):
    par = (n, p, 0.0)
    d = st.nbinom(*par)
    hi = d.isf(1e-250)
    k = np.unique(np.concatenate([np.arange(0, 40), np.geomspace(1, max(hi, 2), 60).round()]))
    assert _check_values("nbinom", k, par) > 10


def _betabinom_ref(n, a, b):
    """log F(k) and log S(k) for k = 0..n-1 in high precision, each tail from
    its own terms (log1p(-other) only when the other is the smaller)."""
    with mp.workdps(40):
        a, b = mp.mpf(a), mp.mpf(b)
        c = mp.loggamma(a + b) - mp.loggamma(n + a + b) - mp.loggamma(a) - mp.loggamma(b) + mp.loggamma(n + 1)
        pmf = [mp.exp(c + mp.loggamma(j + a) + mp.loggamma(n - j + b) - mp.loggamma(j + 1)
                      - mp.loggamma(n - j + 1)) for j in range(n + 1)]
        F, S = [], []
        acc = mp.mpf(0)
        for j in range(n):
            acc += pmf[j]
            F.append(acc)
        acc = mp.mpf(0)
        for j in range(n, 0, -1):
            acc += pmf[j]
            S.append(acc)
        S = S[::-1]
        lF = [float(mp.log(f) if f <= s else mp.log1p(-s)) for f, s in zip(F, S)]
        lS = [float(mp.log(s) if s < f else mp.log1p(-f)) for f, s in zip(F, S)]
    return np.array(lF), np.array(lS)


@pytest.mark.parametrize("n, a, b", [(1, 0.4, 2.0), (10, 1.0, 1.0), (60, 0.05, 0.3), (300, 2.0, 7.0),
                                     (200, 300.0, 2.0), (40, 1e4, 2e4), (30, 1e6, 3e6), (2000, 3.0, 3.0)])
def test_betabinom_values_against_mpmath(n, a, b, rtol=1e-12):
    """scipy's betabinom cdf is a float sum and its sf is 1 - cdf: no
    reference in the upper tail; mpmath sums instead."""
    lF, lS = _betabinom_ref(n, a, b)
    k = np.arange(n, dtype=float)
    _assert_rel(_ours("betabinom", k, (n, a, b, 0.0), False), lF, rtol, "log F")
    _assert_rel(_ours("betabinom", k, (n, a, b, 0.0), True), lS, rtol, "log S")
    edge = np.array([-1.0, float(n), n + 2.0])
    np.testing.assert_array_equal(_ours("betabinom", edge, (n, a, b, 0.0), False), [-np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(_ours("betabinom", edge, (n, a, b, 0.0), True), [0.0, -np.inf, -np.inf])


# -- derivatives ----------------------------------------------------------------------

DERIV_CASES = {
    "gamma": [(0.4, 0.3, 2.0), (3.7, -1.0, 0.5), (150.0, 0.0, 1.0)],
    "chi2": [(3.0, 0.2, 1.5)],
    "t": [(0.8, 0.3, 2.0), (4.0, -1.0, 0.5), (300.0, 0.0, 1.0), (5e3, 0.0, 1.0), (1e6, 1.0, 2.0)],
    "beta": [(0.6, 2.5, 0.0, 1.0), (3.0, 40.0, -2.0, 5.0)],
    "vonmises": [(0.3, 0.2, 1.0), (4.0, -0.5, 1.0), (90.0, 0.1, 1.0)],
    "binom": [(20, 0.3, 0.0), (400, 0.02, 3.0)],
    "nbinom": [(0.7, 0.2, 0.0), (12.0, 0.6, 0.0), (400.0, 0.97, 2.0)],
    "betabinom": [(30, 0.6, 2.5, 0.0), (50, 4.0, 9.0, 1.0), (12, 200.0, 40.0, 0.0)],
}
# outside fm_log_vonmises_cdf's range: the expansions in vonmises_lcdf
DERIV_CASES["vonmises"] += [(5e-9, 0.2, 1.0), (4e8, 0.1, 1.0)]
NOT_DIFFERENTIATED = {"binom": ("n", "loc"), "betabinom": ("n", "loc"), "nbinom": ("loc",)}


def _ref_log(name, x, p, upper):
    """scipy's log F (log S) at one point, each tail from its own function;
    betabinom's as a log-sum of scipy's logpmf (its sf is 1 - cdf)."""
    if name == "betabinom":
        n, a, b, loc = p
        j = np.arange(0, n + 1)
        lp = st.betabinom.logpmf(j + loc, *p)
        above = j > x - loc
        want, other = (lp[above], lp[~above]) if upper else (lp[~above], lp[above])
        lw, lo = np.logaddexp.reduce(want), np.logaddexp.reduce(other)
        return float(lw if lw <= lo else np.log1p(-np.exp(lo)))
    if name == "vonmises" and p[0] >= 50:
        # scipy's normal approximation there is off by up to 1e-3 in the log
        # tails: the differences are taken of the kernel's values instead,
        # which test_vonmises_values_against_scipy holds to mpmath
        return float(_ours(name, [x], p, upper)[0])
    lF, lS = _scipy_two_sided(name, np.array([x]), p)
    return float((lS if upper else lF)[0])


def _one_term(name, p, x, upper):
    """(log F or log S, gradient, Hessian) of one censored row, from the kernel."""
    d = REGISTRY[name]
    if d.discrete:       # K >= x + 1 is S(x); K <= x is F(x)
        lo, hi = (x + 1.0, np.inf) if upper else (-np.inf, x)
    else:
        lo, hi = (x, np.inf) if upper else (-np.inf, x)
    sample = as_censored(fastmle.Censored(np.array([lo]), np.array([hi])))
    _, ll, g, H, _ = natural_sums(d, sample, p)
    return ll, g, H


@pytest.mark.parametrize("name", sorted(DERIV_CASES))
def test_derivatives_against_finite_differences(name):
    """Gradient against 4th-order differences of scipy's logcdf/logsf in each
    parameter; Hessian against differences of the kernel's own gradient."""
    d = REGISTRY[name]
    sd = getattr(st, name)
    idx = [i for i, n in enumerate(d.param_names) if n not in NOT_DIFFERENTIATED.get(name, ())]
    for p in DERIV_CASES[name]:
        for q in (1e-6, 0.1, 0.5, 0.9, 1 - 1e-6):
            x = float(sd.ppf(q, *p))
            if d.discrete and x >= (p[0] if name in ("binom", "betabinom") else np.inf) + p[-1]:
                continue
            # distance to the ends of a bounded support, in units of scale:
            # finite-difference steps in loc and scale must stay well inside
            room = np.inf
            if name in ("gamma", "chi2", "beta"):
                room = (x - p[-2]) / p[-1]
            if name == "beta":
                room = min(room, 1.0 - room)
            if name == "vonmises":       # cut at loc +- pi
                room = np.pi - abs((x - p[-2]) / p[-1])
            if room < 1e-4:
                continue
            for upper in (False, True):
                ll, g, H = _one_term(name, p, x, upper)
                ref = _ref_log(name, x, p, upper)
                # scipy's von Mises cdf has ~1e-16 absolute accuracy only
                slack = 1e-15 if name == "vonmises" else 0.0
                assert abs(ll - ref) <= 1e-10 * abs(ref) + slack, (p, x, upper, ll, ref)
                np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-14)
                for i in idx:
                    h = 2e-4 * max(abs(p[i]), 0.05)
                    if name in ("binom", "nbinom") and d.param_names[i] == "p":
                        h = 1e-4 * min(p[i], 1 - p[i])
                    if name == "vonmises" and d.param_names[i] == "kappa":
                        # kappa spans 5e-9 .. 4e8 here: a step that stays
                        # positive and is not lost in rounding
                        h = 1e-4 * p[i] if p[i] > 1e-3 else 1e-9
                    if d.param_names[i] in ("loc", "scale") and np.isfinite(room):
                        h = min(h, 1e-3 * room * p[-1])
                    if name == "vonmises" and d.param_names[i] == "loc":
                        h = min(h, 1e-2 / np.sqrt(p[0]))   # the spread is 1/sqrt(kappa)
                    vals, grads = [], []
                    for s in (-2, -1, 1, 2):
                        r = list(p)
                        r[i] += s * h
                        vals.append(_ref_log(name, x, r, upper))
                        grads.append(_one_term(name, r, x, upper)[1])
                    fd = (vals[0] - 8 * vals[1] + 8 * vals[2] - vals[3]) / (12 * h)
                    fdH = (grads[0] - 8 * grads[1] + 8 * grads[2] - grads[3]) / (12 * h)
                    scale = max(1e-3, np.max(np.abs(g)))
                    assert abs(g[i] - fd) <= 2e-6 * scale, (p, x, upper, i, g[i], fd)
                    hscale = max(1e-3, np.max(np.abs(H)))
                    for j in idx:
                        assert abs(H[j, i] - fdH[j]) <= 2e-6 * hscale, (p, x, upper, i, j, H[j, i], fdH[j])


# -- censored fits --------------------------------------------------------------------

FIT_CASES = {
    "gamma": ((2.5, 0.0, 3.0), {"floc": 0.0}),
    "chi2": ((5.0, 0.0, 1.0), {"floc": 0.0, "fscale": 1.0}),
    "t": ((4.0, 1.0, 2.0), {}),
    "beta": ((2.0, 5.0, 0.0, 1.0), {"floc": 0.0, "fscale": 1.0}),
    "vonmises": ((3.0, 0.4, 1.0), {"fscale": 1.0}),
}


def _right_censored(x, q=0.7):
    c = np.quantile(x, q)
    lo = x.copy()
    hi = np.where(x > c, np.inf, x)
    lo[x > c] = c
    return lo, hi


def _binned(x, width, origin):
    k = np.floor((x - origin) / width)
    return origin + k * width, origin + (k + 1) * width


def _censored_nll(name, p, lo, hi):
    d = getattr(st, name)
    ex = lo == hi
    left = np.isneginf(lo) & ~ex
    right = np.isposinf(hi) & ~ex & ~left
    iv = ~ex & ~left & ~right
    dlo = lo - 1 if REGISTRY[name].discrete else lo
    logp = d.logpmf if REGISTRY[name].discrete else d.logpdf
    with np.errstate(all="ignore"):
        terms = (logp(lo[ex], *p).sum() + d.logcdf(hi[left], *p).sum() + d.logsf(dlo[right], *p).sum()
                 + np.log(d.cdf(hi[iv], *p) - d.cdf(dlo[iv], *p)).sum())
    return -float(terms) if np.isfinite(terms) else np.inf


def _scipy_censored_data(lo, hi):
    ex = lo == hi
    right = np.isposinf(hi) & ~ex
    iv = ~ex & ~right
    return st.CensoredData(uncensored=lo[ex], right=lo[right], interval=np.column_stack([lo, hi])[iv])


@pytest.mark.parametrize("name", sorted(FIT_CASES))
@pytest.mark.parametrize("kind", ["right", "interval"])
def test_censored_fit_not_worse_than_scipy(name, kind):
    truth, kw = FIT_CASES[name]
    x = getattr(st, name).rvs(*truth, size=150, random_state=np.random.default_rng(21))
    if kind == "right":
        lo, hi = _right_censored(x)
    else:
        lo, hi = _binned(x, 0.25 * np.std(x), np.min(x) - 0.1 * np.std(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fastmle.fit(name, fastmle.Censored(lo, hi), **kw)
        theirs = getattr(st, name).fit(_scipy_censored_data(lo, hi), **kw)
    assert res.converged, res.message
    nll_ours = _censored_nll(name, tuple(res.params), lo, hi)
    nll_theirs = _censored_nll(name, theirs, lo, hi)
    assert abs(-res.llf - nll_ours) <= 1e-9 * abs(nll_ours)
    assert nll_ours <= nll_theirs + 1e-9 * abs(nll_theirs), (tuple(res.params), theirs, nll_ours, nll_theirs)


DISCRETE_FIT_CASES = {
    "binom": ((30, 0.35, 0.0), {"fn": 30, "floc": 0}, ["p"]),
    "nbinom": ((4.0, 0.3, 0.0), {"floc": 0}, ["n", "p"]),
    "betabinom": ((25, 2.0, 3.0, 0.0), {"fn": 25, "floc": 0}, ["a", "b"]),
}


@pytest.mark.parametrize("name", sorted(DISCRETE_FIT_CASES))
@pytest.mark.parametrize("kind", ["right", "interval"])
def test_discrete_censored_fit_not_worse_than_nelder_mead(name, kind):
    """scipy fits no censored counts: Nelder-Mead on the censored likelihood
    written with scipy's logpmf/logcdf/logsf, started at the truth, is the
    reference (loc fixed; right-censored rows are K >= c, intervals [lo, hi])."""
    truth, kw, free = DISCRETE_FIT_CASES[name]
    x = getattr(st, name).rvs(*truth, size=200, random_state=np.random.default_rng(22)).astype(float)
    if kind == "right":
        c = np.quantile(x, 0.7)
        lo = np.where(x >= c, c, x)
        hi = np.where(x >= c, np.inf, x)
    else:                # counts binned in pairs: midpoints are not counts
        lo = 2 * np.floor(x / 2)
        hi = lo + 1
    res = fastmle.fit(name, fastmle.Censored(lo, hi), **kw)
    assert res.converged, res.message
    names = REGISTRY[name].param_names
    fi = [names.index(n) for n in free]

    def nll(v):
        p = list(truth)
        for i, t in zip(fi, v):
            p[i] = t
        if name == "nbinom" and not (p[0] > 0 and 0 < p[1] < 1):
            return np.inf
        if name == "binom" and not 0 < p[1] < 1:
            return np.inf
        if name == "betabinom" and not (p[1] > 0 and p[2] > 0):
            return np.inf
        return _censored_nll(name, p, lo, hi)

    ref = so.minimize(nll, [truth[i] for i in fi], method="Nelder-Mead",
                      options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 5000})
    nll_ours = _censored_nll(name, tuple(res.params), lo, hi)
    assert abs(-res.llf - nll_ours) <= 1e-9 * abs(nll_ours)
    assert nll_ours <= ref.fun + 1e-9 * abs(ref.fun), (tuple(res.params), ref.x, nll_ours, ref.fun)


def test_t_censored_normal_data_reach_the_normal_limit():
    """Censored normal data: the df MLE runs off to infinity, as for exact
    data; the fit says so (df on the boundary, not converged) and is at least
    as good as scipy's censored normal fit read as t(1e12)."""
    x = st.norm.ppf((np.arange(400) + 0.5) / 400)      # normal scores: lighter tails than any t
    lo, hi = _right_censored(x, 0.8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fastmle.fit("t", fastmle.Censored(lo, hi))
        loc, scale = st.norm.fit(_scipy_censored_data(lo, hi))
    assert "df" in res.boundary and not res.converged and res.params[0] > 1e5
    assert "normal limit" in res.message
    nll_ours = _censored_nll("t", tuple(res.params), lo, hi)
    nll_normal = _censored_nll("t", (1e12, loc, scale), lo, hi)
    assert nll_ours <= nll_normal + 1e-9 * abs(nll_normal)


EDGE_PARAMS = {
    "gamma": [(a, 0.0, 1.0) for a in (1e-8, 1e-3, 1.0, 1e3, 1e6)],
    "chi2": [(df, 0.0, 1.0) for df in (1e-3, 2.0, 1e4)],
    "t": [(df, 0.0, 1.0) for df in (1e-3, 0.5, 1.0, 30.0, 1999.0, 2001.0, 1e5, 1e12, 1e16, 1e18)],
    "beta": [(a, b, 0.0, 1.0) for a in (1e-3, 1.0, 1e4) for b in (1e-3, 1.0, 1e5)],
    "binom": [(n, p, 0.0) for n in (0, 1, 50, 10 ** 6) for p in (0.0, 1e-12, 0.5, 1 - 1e-12, 1.0)],
    "nbinom": [(n, p, 0.0) for n in (1e-3, 1.0, 1e6) for p in (1e-12, 0.5, 1 - 1e-12, 1.0)],
    "betabinom": [(n, a, b, 0.0) for n in (0, 1, 100) for a in (1e-3, 1.0, 1e5) for b in (1e-3, 1e5)],
    "vonmises": [(k, 0.0, 1.0) for k in (0.0, 1e-300, 1e-3, 30.0, 1e8, 1e12, 1e16)],
}


@pytest.mark.parametrize("name", sorted(EDGE_PARAMS))
def test_no_nan_at_edges(name):
    """Support ends, +-inf and parameter extremes: log F, log S in [-inf, 0],
    never NaN, and a finite log with finite derivatives."""
    d = REGISTRY[name]
    x = np.array([-np.inf, -1e10, -5.0, -1.0, -1e-150, 0.0, 1e-150, 1e-10, 0.3, 0.5, 1 - 1e-16, 1.0,
                  1 + 1e-15, 2.0, 7.0, 1e3, 1e10, np.inf])
    for p in EDGE_PARAMS[name]:
        for upper in (False, True):
            v = _ours(name, x, p, upper)
            assert not np.isnan(v).any() and (v <= 0).all(), (p, upper, x[np.isnan(v) | (v > 0)])
        for xi in x[np.isfinite(x)]:
            for lo, hi in ((-np.inf, xi), (xi, np.inf)):
                _, ll, g, H, _ = natural_sums(d, as_censored(fastmle.Censored(np.array([lo]), np.array([hi]))), p)
                assert not np.isnan(ll), (p, lo, hi)
                if np.isfinite(ll):
                    assert np.isfinite(g).all() and np.isfinite(H).all(), (p, lo, hi, g, H)
