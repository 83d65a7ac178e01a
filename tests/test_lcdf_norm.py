"""log F and log S of the normal-based and Poisson families, far into both tails.

norm, lognorm, halfnorm, invgauss, skewnorm, poisson and zipoisson: values
against mpmath at high precision (scipy's logcdf/logsf underflow or cancel in
some of these tails: skewnorm's short tail, invgauss's upper tail, the
Poisson's far tails) and against scipy where scipy is exact; gradients and
Hessians of single censored terms against finite differences; censored fits
never worse than scipy's, and the right-censored normal and lognormal against
the EM (Schmee-Hahn) fixed point of the censored normal likelihood.
"""
import math
import warnings

import mpmath as mp
import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st

import fastmle
from fastmle._censored import as_censored
from fastmle.distributions import REGISTRY
from fastmle.distributions._natural import lcdf, natural_sums

RTOL = 1e-12


def _close(got, ref, rtol=RTOL, what=""):
    got = np.asarray(got, dtype=float)
    ref = np.asarray(ref, dtype=float)
    with np.errstate(invalid="ignore"):             # -inf - -inf: equal, err 0 below
        err = np.where(got == ref, 0.0, np.abs(got - ref) / np.maximum(np.abs(ref), 1e-300))
    worst = int(np.argmax(err))
    assert err[worst] <= rtol, f"{what}: at index {worst} got {got.flat[worst]!r}, ref {ref.flat[worst]!r}, " \
                               f"rel err {err[worst]:.2e}"


def _log_pair(F, S):
    """(log F, log S) of complementary probabilities, each from the smaller one."""
    lF = mp.log(F) if F < 0.5 else mp.log1p(-S)
    lS = mp.log(S) if S < 0.5 else mp.log1p(-F)
    return float(lF), float(lS)


def _check_values(name, x, params, ref_pairs, rtol=RTOL):
    d = REGISTRY[name]
    ref = np.array(ref_pairs, dtype=float)
    _close(lcdf(d, x, params, upper=False), ref[:, 0], rtol, f"{name}{tuple(params)} log F")
    _close(lcdf(d, x, params, upper=True), ref[:, 1], rtol, f"{name}{tuple(params)} log S")


# -- values ------------------------------------------------------------------

Z_GRID = np.array([-1e3, -200.0, -40.0, -38.5, -37.0, -20.0, -19.9, -8.0, -1.0, -1e-3, 0.0, 1e-3, 1.0, 8.0,
                   19.9, 20.0, 37.0, 38.5, 40.0, 200.0, 1e3])


def test_norm_values_both_tails():
    with mp.workdps(40):
        refs = [_log_pair(mp.ncdf(z), mp.ncdf(-z)) for z in Z_GRID]
    _check_values("norm", 1.5 + 0.25 * Z_GRID, (1.5, 0.25), refs)
    # scipy's log_ndtr agrees (up to z = 37, where it loses digits of log Phi(z) ~ -Phi(-z))
    z = Z_GRID[Z_GRID < 37]
    _close(lcdf(fastmle.norm, z, (0, 1)), st.norm.logcdf(z), 1e-12, "vs scipy")
    assert np.isfinite(lcdf(fastmle.norm, [-40.0, -1e3], (0, 1))).all()


@pytest.mark.parametrize("s", [1e-3, 0.1, 1.0, 5.0, 50.0])
def test_lognorm_values_both_tails(s):
    t = Z_GRID[np.abs(Z_GRID * s) < 700]                  # x = exp(s t) representable
    x = 0.5 + 2.0 * np.exp(s * t)
    with mp.workdps(40):
        refs = []
        for xi in x:
            u = mp.log((mp.mpf(xi) - mp.mpf(0.5)) / 2) / s
            refs.append(_log_pair(mp.ncdf(u), mp.ncdf(-u)))
    _check_values("lognorm", x, (s, 0.5, 2.0), refs)


def test_lognorm_far_upper_tail_and_support_edges():
    x = np.array([1e10, 1e100, 1e300])
    got = lcdf(fastmle.lognorm, x, (0.5, 0, 1), upper=True)
    with mp.workdps(40):
        ref = [float(mp.log(mp.ncdf(-mp.log(mp.mpf(v)) / 0.5))) for v in x]
    _close(got, ref, 1e-13, "lognorm log S far up")
    assert lcdf(fastmle.lognorm, [-1.0, 0.0], (0.5, 0, 1)).tolist() == [-np.inf, -np.inf]
    assert lcdf(fastmle.lognorm, [-1.0, 0.0, np.inf], (0.5, 0, 1), upper=True).tolist() == [0.0, 0.0, -np.inf]


def test_halfnorm_values_both_tails():
    z = np.array([1e-300, 1e-10, 1e-3, 0.5, 0.999, 1.0, 1.001, 3.0, 10.0, 20.0, 37.0, 38.5, 40.0, 200.0, 1e3])
    with mp.workdps(40):
        refs = [_log_pair(mp.erf(mp.mpf(v) / mp.sqrt(2)), mp.erfc(mp.mpf(v) / mp.sqrt(2))) for v in z]
    _check_values("halfnorm", z, (0, 1), refs)
    assert lcdf(fastmle.halfnorm, [-1.0, 0.0], (0, 1)).tolist() == [-np.inf, -np.inf]
    assert lcdf(fastmle.halfnorm, [-1.0, 0.0], (0, 1), upper=True).tolist() == [0.0, 0.0]


def _invgauss_ref(z, mu):
    z, mu = mp.mpf(z), mp.mpf(mu)
    a = (z / mu - 1) / mp.sqrt(z)
    b = -(z / mu + 1) / mp.sqrt(z)
    e = mp.exp(2 / mu) * mp.ncdf(b)
    return _log_pair(mp.ncdf(a) + e, mp.ncdf(-a) - e)


@pytest.mark.parametrize("mu", [1e-3, 0.05, 0.3, 1.0, 3.0, 10.0, 100.0, 1e4, 1e7])
def test_invgauss_values_both_tails(mu):
    """The classical Phi(a) + exp(2/mu) Phi(b) cancels in S far up (and overflows
    for small mu); the reference evaluates it with 400 digits."""
    q = np.array([1e-6, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.9, 0.99, 1.01, 1.1, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0,
                  1e3, 1e4, 1e6])
    z = q * mu
    z = z[(z > 1e-4) & (z < 1e9)]
    with mp.workdps(400):
        refs = [_invgauss_ref(v, mu) for v in z]
    _check_values("invgauss", z, (mu, 0, 1), refs)


def test_invgauss_upper_tail_beats_scipy_cancellation():
    """scipy's logsf = log(Phi(-a)) + log1p(-exp(b - a)) loses all digits far up."""
    z = np.array([2e3, 1e4])
    with mp.workdps(400):
        ref = [_invgauss_ref(v, 3.0)[1] for v in z]
    _close(lcdf(fastmle.invgauss, z, (3.0, 0, 1), upper=True), ref, 1e-13, "invgauss log S")


def _skewnorm_ref(z, a):
    """F(z; a) = (1/pi) int_a^inf exp(-z^2 (1 + b^2)/2)/(1 + b^2) db for z < 0, a >= 0
    (the exponential at b = a factored out), and the mirror F(z; -a) = S(-z; a),
    F(h) = erf(h/sqrt2) + F(-h), S(h) = 2 Phi(-h) - F(-h) for h > 0."""
    z, a = mp.mpf(z), mp.mpf(a)
    if a < 0:
        lF, lS = _skewnorm_ref(-z, -a)
        return lS, lF

    def left(h):
        if h == 0:
            return mp.atan(1 / a) / mp.pi if a > 0 else mp.mpf(0.5)
        scale = min(1 / h, 1 / (h * h * a)) if a > 0 else 1 / h
        integrand = lambda s: mp.exp(-h * h * (2 * a * s + s * s) / 2) / (1 + (a + s) ** 2)  # noqa: E731
        pts = [0] + [k * scale for k in (0.5, 2, 8, 32)] + [mp.inf]
        return mp.exp(-h * h * (1 + a * a) / 2) * mp.quad(integrand, pts) / mp.pi

    if z <= 0:
        L = left(-z)
        return _log_pair(L, 1 - L)
    L = left(z)
    return _log_pair(mp.erf(z / mp.sqrt(2)) + L, 2 * mp.ncdf(-z) - L)


@pytest.mark.parametrize("a", [0.0, 1e-3, 0.5, 1.0, 1.5, 3.0, 10.0, 100.0, 1e3])
def test_skewnorm_values_both_tails(a):
    z = np.array([-1e3, -40.0, -25.0, -19.0, -5.0, -2.0, -0.3, -1e-4, 0.0, 1e-4, 0.3, 2.0, 5.0, 19.0, 25.0,
                  40.0, 1e3])
    with mp.workdps(25):
        refs = [_skewnorm_ref(v, a) for v in z]
    _check_values("skewnorm", z, (a, 0, 1), refs)
    # -a: F(z; -a) = S(-z; a) (z is symmetric, so the reference is the same list reversed and swapped)
    _check_values("skewnorm", z, (-a, 0, 1), [(s, f) for f, s in refs[::-1]])


def test_skewnorm_matches_scipy_where_scipy_is_exact():
    """scipy takes log(cdf) and log(sf): exact where the probability is not near 1,
    and above 1e-6, where its cdf is Boost's (below, a quadrature good to ~1e-10)."""
    z = np.linspace(-3, 3, 13)
    for a in (-4.0, 0.7, 4.0):
        for upper, prob, ref in ((False, st.skewnorm.cdf, st.skewnorm.logcdf),
                                 (True, st.skewnorm.sf, st.skewnorm.logsf)):
            ok = (prob(z, a) < 0.5) & (prob(z, a) > 1e-6)
            got = lcdf(fastmle.skewnorm, z[ok], (a, 0, 1), upper=upper)
            np.testing.assert_allclose(got, ref(z[ok], a), rtol=1e-10)


def _poisson_ref(k, mu):
    k, mu = int(k), mp.mpf(mu)
    return _log_pair(mp.gammainc(k + 1, mu, mp.inf, regularized=True),
                     mp.gammainc(k + 1, 0, mu, regularized=True))


@pytest.mark.parametrize("mu", [1e-3, 0.5, 5.0, 100.0, 1e4])
def test_poisson_values_both_tails(mu):
    k = np.unique(np.floor(np.concatenate([[0, 1, 2, 5, 30, 300], mu * np.array([0.01, 0.5, 0.9, 1, 1.1, 2, 10]),
                                          mu + np.sqrt(mu) * np.array([-30, -5, 5, 30])])))
    k = k[k >= 0]
    with mp.workdps(60):
        refs = [_poisson_ref(v, mu) for v in k]
    _check_values("poisson", k, (mu, 0), refs, rtol=1e-11)
    # scipy's log(cdf) agrees where cdf neither underflows nor rounds towards 1
    ok = (st.poisson.cdf(k, mu) > 1e-250) & (st.poisson.cdf(k, mu) < 0.5)
    np.testing.assert_allclose(lcdf(fastmle.poisson, k[ok], (mu, 0)), st.poisson.logcdf(k[ok], mu), rtol=1e-10)
    assert lcdf(fastmle.poisson, [-1.0], (mu, 0)).tolist() == [-np.inf]


@pytest.mark.parametrize("mu,pi", [(0.01, 0.3), (3.0, 0.0), (3.0, 0.2), (40.0, 0.9), (1e3, 1e-6)])
def test_zipoisson_values_both_tails(mu, pi):
    k = np.array([0.0, 1.0, 2.0, 5.0, math.floor(mu), math.floor(2 * mu), math.floor(10 * mu) + 30, 2000.0])
    with mp.workdps(60):
        refs = []
        for v in k:
            Fp = mp.gammainc(int(v) + 1, mp.mpf(mu), mp.inf, regularized=True)
            Sp = mp.gammainc(int(v) + 1, 0, mp.mpf(mu), regularized=True)
            refs.append(_log_pair(mp.mpf(pi) + (1 - mp.mpf(pi)) * Fp, (1 - mp.mpf(pi)) * Sp))
    _check_values("zipoisson", k, (mu, pi, 0), refs, rtol=1e-11)


# -- derivatives ---------------------------------------------------------------

def _term_sums(name, lo, hi, params):
    sample = as_censored(fastmle.Censored(np.atleast_1d(float(lo)), np.atleast_1d(float(hi))))
    return lambda p: natural_sums(REGISTRY[name], sample, p)[1:4]


def _fd(f, p, idx, rtol):
    """Score and Hessian of f(p) -> (ll, g, H) against 4th-order central differences of ll and g."""
    p = np.array(p, dtype=float)
    ll, g, H = f(p)
    assert np.isfinite(ll) and np.all(np.isfinite(g)) and np.all(np.isfinite(H))
    for i in idx:
        step = 1e-4 * max(abs(p[i]), 1e-2)
        vals = []
        for s in (-2, -1, 1, 2):
            q = p.copy()
            q[i] += s * step
            vals.append(f(q))
        fd_g = (vals[0][0] - 8 * vals[1][0] + 8 * vals[2][0] - vals[3][0]) / (12 * step)
        fd_H = (vals[0][1] - 8 * vals[1][1] + 8 * vals[2][1] - vals[3][1]) / (12 * step)
        # differences of ll lose ~|ll| eps / step; allow that next to the relative tolerance
        floor = 1e-14 * max(1.0, abs(ll)) / step
        assert abs(g[i] - fd_g) <= rtol * abs(g[i]) + floor, (i, g[i], fd_g)
        for j in idx:
            scale = max(abs(H[j, i]), abs(g[j]) / max(abs(p[i]), 1.0), 1e-300)
            assert abs(H[j, i] - fd_H[j]) <= rtol * scale + 10 * floor, (i, j, H[j, i], fd_H[j])
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-300)


# (name, params, list of (lower, upper) rows): left (-inf, x), right (x, inf), interval
DERIV_CASES = [
    ("norm", (0.3, 1.7), [(-np.inf, -60.0), (-np.inf, 3.0), (20.0, np.inf), (2.0, np.inf), (-40.0, -39.0),
                          (50.0, 51.0), (-1.0, 2.0)]),
    ("lognorm", (0.8, 0.1, 2.0), [(-np.inf, 0.11), (-np.inf, 3.0), (1e6, np.inf), (2.0, np.inf),
                                  (1e5, 2e5), (0.5, 3.0)]),
    ("lognorm", (0.05, 0.0, 1.0), [(-np.inf, 0.5), (3.0, np.inf), (1.2, 1.3)]),
    ("halfnorm", (0.2, 1.3), [(-np.inf, 0.21), (-np.inf, 2.0), (40.0, np.inf), (1.0, np.inf),
                              (30.0, 31.0), (0.3, 1.0)]),
    ("invgauss", (0.4, 0.0, 1.5), [(-np.inf, 0.01), (-np.inf, 0.5), (-np.inf, 30.0), (60.0, np.inf),
                                   (0.3, np.inf), (0.01, 0.02), (40.0, 50.0), (0.2, 0.9)]),
    ("invgauss", (50.0, 0.0, 1.0), [(-np.inf, 0.02), (49.0, np.inf), (2e3, np.inf), (60.0, 70.0), (1.0, 80.0)]),
    ("invgauss", (0.01, 0.0, 1.0), [(-np.inf, 0.005), (0.05, np.inf), (0.02, 0.03)]),
]
for _a in (-30.0, -2.0, 0.0, 0.5, 3.0, 300.0):
    DERIV_CASES.append(("skewnorm", (_a, 0.2, 1.5), [(-np.inf, -30.0), (-np.inf, -1.0), (-np.inf, 0.25),
                                                     (-np.inf, 3.0), (25.0, np.inf), (1.0, np.inf),
                                                     (-2.0, np.inf), (-0.5, 0.5), (-20.0, -19.0)]))


@pytest.mark.parametrize("name,params,rows", DERIV_CASES)
def test_censored_term_derivatives(name, params, rows):
    idx = range(len(params))
    for lo, hi in rows:
        _fd(_term_sums(name, lo, hi, params), params, idx, rtol=1e-6)


@pytest.mark.parametrize("name,params,rows", [
    ("poisson", (3.5, 0.0), [(-np.inf, 0.0), (-np.inf, 2.0), (-np.inf, 40.0), (2.0, np.inf), (40.0, np.inf),
                             (2.0, 5.0), (30.0, 35.0)]),
    ("poisson", (800.0, 0.0), [(-np.inf, 600.0), (1000.0, np.inf), (790.0, 810.0)]),
    ("zipoisson", (3.5, 0.3, 0.0), [(-np.inf, 0.0), (-np.inf, 2.0), (-np.inf, 40.0), (2.0, np.inf),
                                    (40.0, np.inf), (0.0, 5.0), (30.0, 35.0)]),
    ("zipoisson", (0.02, 0.05, 0.0), [(-np.inf, 0.0), (1.0, np.inf), (3.0, np.inf)]),
])
def test_censored_count_term_derivatives(name, params, rows):
    idx = range(len(params) - 1)                         # loc is an integer, not differentiated
    for lo, hi in rows:
        _fd(_term_sums(name, lo, hi, params), params, idx, rtol=1e-6)


# -- censored fits ---------------------------------------------------------------

FIT_PARAMS = {"norm": (0.5, 2.0), "lognorm": (0.6, 0.5, 2.0), "halfnorm": (0.5, 2.0),
              "invgauss": (0.5, 0.5, 2.0), "skewnorm": (4.0, 0.5, 2.0)}


def _censored_rows(x, kind, rng, origin):
    """right: type-I censoring at the 70% point; interval: 60% of rows reported
    as the bin of width sd/2 that holds them (the rest exact), bins counted
    from ``origin`` (the support's edge)."""
    if kind == "right":
        c = np.quantile(x, 0.7)
        return np.minimum(x, c), np.where(x > c, np.inf, x)
    w = 0.5 * np.std(x)
    binned = rng.random(x.shape[0]) < 0.6
    lo = np.where(binned, origin + np.floor((x - origin) / w) * w, x)
    hi = np.where(binned, lo + w, x)
    return lo, hi


def _scipy_nll(dist, p, lo, hi):
    ex = lo == hi
    right = np.isposinf(hi) & ~ex
    iv = ~ex & ~right
    return -float(dist.logpdf(lo[ex], *p).sum() + dist.logsf(lo[right], *p).sum()
                  + np.log(dist.cdf(hi[iv], *p) - dist.cdf(lo[iv], *p)).sum())


def _scipy_censored_data(lo, hi):
    ex = lo == hi
    right = np.isposinf(hi) & ~ex
    iv = ~ex & ~right
    return st.CensoredData(uncensored=lo[ex], right=lo[right], interval=np.column_stack([lo, hi])[iv])


@pytest.mark.parametrize("kind", ["right", "interval"])
@pytest.mark.parametrize("fix_loc", [False, True])
@pytest.mark.parametrize("name", sorted(FIT_PARAMS))
def test_censored_fit_not_worse_than_scipy(name, fix_loc, kind):
    p = FIT_PARAMS[name]
    dist = getattr(st, name)
    rng = np.random.default_rng(len(name) + 10 * fix_loc + (kind == "right"))
    x = dist.rvs(*p, size=200, random_state=rng)
    lo, hi = _censored_rows(x, kind, rng, p[-2])
    kw = {"floc": p[-2]} if fix_loc else {}
    res = fastmle.fit(name, fastmle.Censored(lo, hi), **kw)
    assert res.converged, res.message
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = dist.fit(_scipy_censored_data(lo, hi), **kw)
    if fix_loc:
        assert res.params[-2] == p[-2]
    ours_nll = _scipy_nll(dist, tuple(res.params), lo, hi)
    theirs_nll = _scipy_nll(dist, theirs, lo, hi)
    assert ours_nll <= theirs_nll + 1e-9 * abs(theirs_nll), (tuple(res.params), theirs, ours_nll, theirs_nll)
    # the reported log-likelihood is the censored one
    assert abs(res.llf + ours_nll) <= 1e-9 * abs(ours_nll)


def _count_nll(logpmf, logcdf, logsf, lo, hi):
    """Censored counts: exact, K >= lo (right), lo <= K <= hi (interval)."""
    ex = lo == hi
    right = np.isposinf(hi) & ~ex
    iv = ~ex & ~right
    return -float(logpmf(lo[ex]).sum() + logsf(lo[right] - 1).sum()
                  + np.log(np.exp(logcdf(hi[iv])) - np.exp(logcdf(lo[iv] - 1))).sum())


def _count_rows(k, kind, rng):
    if kind == "right":
        c = np.floor(np.quantile(k, 0.7))
        return np.minimum(k, c), np.where(k >= c, np.inf, k)
    grouped = rng.random(k.shape[0]) < 0.6
    lo = np.where(grouped, 2 * np.floor(k / 2), k)
    return lo, np.where(grouped, lo + 1, k)


@pytest.mark.parametrize("kind", ["right", "interval"])
def test_censored_poisson_fit_not_worse_than_scipy_optimize(kind):
    """scipy.stats has no discrete censored fit: a bounded scalar minimization of
    the censored negative log-likelihood written with scipy.stats.poisson."""
    rng = np.random.default_rng(20)
    k = rng.poisson(6.5, 300).astype(float)
    lo, hi = _count_rows(k, kind, rng)
    res = fastmle.fit("poisson", fastmle.Censored(lo, hi), floc=0)
    assert res.converged, res.message

    def nll(mu):
        return _count_nll(lambda v: st.poisson.logpmf(v, mu), lambda v: st.poisson.logcdf(v, mu),
                          lambda v: st.poisson.logsf(v, mu), lo, hi)

    ref = so.minimize_scalar(nll, bounds=(0.5, 50), method="bounded", options={"xatol": 1e-12})
    assert nll(res.params[0]) <= ref.fun + 1e-9 * abs(ref.fun)
    np.testing.assert_allclose(res.params[0], ref.x, rtol=1e-6)


@pytest.mark.parametrize("kind", ["right", "interval"])
def test_censored_zipoisson_fit_not_worse_than_nelder_mead(kind):
    rng = np.random.default_rng(21)
    k = np.where(rng.random(400) < 0.25, 0.0, rng.poisson(4.0, 400)).astype(float)
    lo, hi = _count_rows(k, kind, rng)
    res = fastmle.fit("zipoisson", fastmle.Censored(lo, hi), floc=0)
    assert res.converged, res.message

    def nll(q):
        mu, pi = q
        if not (mu > 0 and 0 <= pi < 1):
            return np.inf
        pmf = lambda v: np.log(np.where(v == 0, pi, 0.0) + (1 - pi) * st.poisson.pmf(v, mu))  # noqa: E731
        cdf = lambda v: np.log(np.where(v >= 0, pi, 0.0) + (1 - pi) * st.poisson.cdf(v, mu))  # noqa: E731
        sf = lambda v: np.log1p(-pi) + st.poisson.logsf(v, mu)  # noqa: E731
        return _count_nll(pmf, cdf, sf, lo, hi)

    with np.errstate(divide="ignore"):
        ref = so.minimize(nll, [3.0, 0.3], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12,
                                                                          "maxiter": 4000})
        ours = nll(res.params[:2])
    assert ours <= ref.fun + 1e-9 * abs(ref.fun)


def _em_censored_normal(y, c, censored, iters=100000):
    """Schmee and Hahn's EM for right-censored normal data: E-step with the
    truncated-normal moments E[Y | Y > c] = mu + sigma lam and
    E[Y^2 | Y > c] = mu^2 + sigma^2 + sigma (c + mu) lam, lam = phi(zeta)/S(zeta);
    M-step the complete-data normal MLE."""
    mu, sigma = y.mean(), y.std()
    for _ in range(iters):
        zeta = (c - mu) / sigma
        lam = np.exp(st.norm.logpdf(zeta) - st.norm.logsf(zeta))
        e1 = np.where(censored, mu + sigma * lam, y)
        e2 = np.where(censored, mu * mu + sigma * sigma + sigma * (c + mu) * lam, y * y)
        mu_new = e1.mean()
        sigma_new = math.sqrt(e2.mean() - mu_new * mu_new)
        if abs(mu_new - mu) < 1e-15 * abs(mu) + 1e-15 and abs(sigma_new - sigma) < 1e-15 * sigma:
            return mu_new, sigma_new
        mu, sigma = mu_new, sigma_new
    return mu, sigma


def test_right_censored_normal_is_the_em_fixed_point():
    rng = np.random.default_rng(30)
    x = rng.normal(10.0, 3.0, 1000)
    c = 12.0                                            # type-I censoring, ~25% censored
    censored = x > c
    y = np.minimum(x, c)
    mu_em, sigma_em = _em_censored_normal(y, c, censored)
    loc, scale = fastmle.norm.fit(fastmle.Censored.right(y, censored))
    np.testing.assert_allclose([loc, scale], [mu_em, sigma_em], rtol=1e-9)


def test_right_censored_lognormal_is_the_em_fixed_point_on_the_log_scale():
    rng = np.random.default_rng(31)
    t = rng.lognormal(1.0, 0.7, 1000)
    c = 4.0
    censored = t > c
    y = np.minimum(t, c)
    mu_em, sigma_em = _em_censored_normal(np.log(y), math.log(c), censored)
    s, loc, scale = fastmle.lognorm.fit(fastmle.Censored.right(y, censored), floc=0)
    assert loc == 0
    np.testing.assert_allclose([s, math.log(scale)], [sigma_em, mu_em], rtol=1e-9)
