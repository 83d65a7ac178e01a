"""Accuracy tests for the cdf special functions in src/_special_cdf.h.

Reached through the vectorized wrappers in ``fastmle._special``.  References:

* closed forms wherever they exist (Q(1, x) = exp(-x), Q(2, x) = (1 + x) e^-x,
  Q(1/2, x) = erfc(sqrt x), I_x(a, 1) = x^a, I_x(1, b) = 1 - (1-x)^b, ...),
  which also reach the far tails;
* scipy.special where scipy is itself accurate (values not close to 1, so
  that their log is not dominated by scipy's absolute rounding);
* mpmath at 30-50 digits for the tails, for the method-switch boundaries and
  for the derivatives in the shape arguments.

Tolerances on values are relative to the log that is returned and allow for
the conditioning of the problem in its inputs: an input rounded by eps moves
log F by eps * |x d/dx log F|, which no algorithm can avoid.  Hence the
"backward" scale used below, ``eps * (|v| + |a dv/da| + |x dv/dx| ...)``.
"""
import math

import numpy as np
import pytest
import scipy.special as sc
from numpy.testing import assert_allclose

from fastmle import _special

mp = pytest.importorskip("mpmath")

EPS = np.finfo(float).eps


def _scale(value, args, derivs):
    """Size of the rounding error that the conditioning alone allows:
    |value| + sum |arg_i * d value / d arg_i|."""
    s = np.abs(value).copy()
    for k, arg in enumerate(args):
        s += np.abs(arg * derivs[..., k])
    return s


# ---------------------------------------------------------------------------
# normal distribution
# ---------------------------------------------------------------------------

NORM_X = np.concatenate([-np.logspace(-3, 4, 120), np.linspace(-40.0, 40.0, 321),
                         np.logspace(-3, np.log10(38.0), 60), [0.0, -20.0, -20.000001, -19.99999]])


def _mp_norm(x):
    with mp.workdps(50):
        out = np.empty((len(x), 4))
        for i, v in enumerate(x):
            v = mp.mpf(float(v))
            p = mp.ncdf(v)
            logp = mp.log(p) if v <= 0 else mp.log1p(-mp.ncdf(-v))
            r = mp.npdf(v) / p
            out[i] = [float(p), float(logp), float(r), float(-r * (v + r))]
    return out


@pytest.fixture(scope="module")
def norm_ref():
    return _mp_norm(NORM_X)


def test_ndtr_against_mpmath(norm_ref):
    # relative accuracy of Phi down to its underflow (x ~ -38), which
    # scipy.special.ndtr does not reach (it rounds x/sqrt(2) first and loses
    # ~x^2 eps: 2e-13 at x = -35)
    got = _special.ndtr(NORM_X)
    ok = norm_ref[:, 0] > 1e-300
    assert_allclose(got[ok], norm_ref[ok, 0], rtol=4 * EPS, atol=0)
    assert np.all(got[~ok] < 1e-300)


def test_ndtr_matches_scipy():
    x = np.linspace(-37.0, 37.0, 2001)
    # scipy's own error grows like x^2 eps in the lower tail
    err = np.abs(_special.ndtr(x) - sc.ndtr(x)) / sc.ndtr(x)
    assert np.all(err <= 4 * EPS * (1 + x ** 2))


def test_log_ndtr_against_mpmath_and_scipy(norm_ref):
    got = _special.log_ndtr(NORM_X)
    # atol: log Phi(x) ~ -Phi(-x) is subnormal beyond x ~ 37.5
    assert_allclose(got, norm_ref[:, 1], rtol=4 * EPS, atol=1e-300)
    # scipy rounds x/sqrt(2) first: its own error grows like x^2 eps
    err = np.abs(got - sc.log_ndtr(NORM_X))
    assert np.all(err <= 4 * EPS * (1 + NORM_X ** 2) * np.abs(got) + 1e-300)
    # far left: no underflow; log Phi(-1e4) = -5e7 - log(1e4) - log(2 pi)/2 + ...
    x = -1e4
    assert _special.log_ndtr(x) == pytest.approx(-0.5 * x * x - math.log(-x) - 0.5 * math.log(2 * math.pi)
                                                 + math.log1p(-1 / x ** 2 + 3 / x ** 4), rel=2 * EPS)
    # far right: log Phi(x) ~ -Phi(-x) keeps relative accuracy
    for x in (8.0, 20.0, 37.0):
        assert _special.log_ndtr(x) == pytest.approx(-float(mp.ncdf(-x)), rel=1e-14)


def test_ndtr_ratio_and_log_ndtr_derivs(norm_ref):
    r = _special.ndtr_ratio(NORM_X)
    assert_allclose(r, norm_ref[:, 2], rtol=4 * EPS, atol=1e-300)
    value, d = _special.log_ndtr_derivs(NORM_X)
    assert_allclose(value, norm_ref[:, 1], rtol=4 * EPS, atol=1e-300)
    assert_allclose(d[:, 0], r, rtol=0, atol=0)
    # d2: -r (x + r) loses up to x^2 eps between -20 and -1; below -20 the
    # cancellation is removed (x + r = x s1/(1 + s1))
    tol = 4 * EPS * np.where((NORM_X > -20) & (NORM_X < -1), NORM_X ** 2, 1.0)
    err = np.abs(d[:, 1] - norm_ref[:, 3]) / np.maximum(np.abs(norm_ref[:, 3]), 1e-300)
    assert np.all(err[norm_ref[:, 3] != 0] <= tol[norm_ref[:, 3] != 0])
    # the ratio behaves like -x and d2 like -1 far left
    # r = -x + 1/(-x) - 2/(-x)^3 + ..., d2 = -1 + 1/x^2 - 6/x^4 + ... (DLMF 7.12.1)
    assert _special.ndtr_ratio(-1e4) == pytest.approx(1e4 + 1e-4 - 2e-12, rel=2 * EPS)
    assert _special.log_ndtr_derivs(-1e4)[1][1] == pytest.approx(-1 + 1e-8 - 6e-16, rel=2 * EPS)


def test_normal_nan_and_infinities():
    assert np.isnan(_special.ndtr(np.nan)) and np.isnan(_special.log_ndtr(np.nan))
    assert _special.ndtr(np.inf) == 1.0 and _special.ndtr(-np.inf) == 0.0
    assert _special.log_ndtr(np.inf) == 0.0 and _special.log_ndtr(-np.inf) == -np.inf
    assert _special.ndtr_ratio(np.inf) == 0.0


# ---------------------------------------------------------------------------
# incomplete gamma
# ---------------------------------------------------------------------------

def _mp_log_pq(a, x):
    """(log P, log Q) at 50 digits; the smaller side is computed directly."""
    with mp.workdps(50):
        a = mp.mpf(float(a))
        x = mp.mpf(float(x))
        if x < a:
            p = mp.gammainc(a, 0, x, regularized=True)
            return float(mp.log(p)), float(mp.log1p(-p))
        q = mp.gammainc(a, x, mp.inf, regularized=True)
        return float(mp.log1p(-q)), float(mp.log(q))


def _gamma_grid():
    pts = []
    for a in [1e-10, 1e-3, 0.1, 0.5, 1.0, 2.0, 5.0, 9.99, 10.0, 30.0, 100.0, 1e3, 1e4, 1e5]:
        for f in [1e-300, 1e-5, 0.01, 0.3, 0.9, 0.99, 1.0, 1.01, 1.1, 2.0, 10.0, 1000.0]:
            pts.append((a, a * f))
        # the method boundaries: x = 0.5, 1.1, x = a, x*1.1 = a, -0.4/log(x) = a
        for x in [0.4, 0.5, 0.5 + 1e-12, 0.6, 1.0, 1.1, 1.1 + 1e-12, 1.2, a + 1, a / 1.1,
                  math.exp(-0.4 / a) if a > 0.1 else 1e-3]:
            pts.append((a, x))
        if a >= 10:
            for z in [-8, -3, -1, -0.1, 0.1, 1, 3, 8, 30]:
                x = a + z * math.sqrt(a)
                if x > 0:
                    pts.append((a, x))
    return np.array(pts)


GAMMA_PTS = _gamma_grid()


@pytest.fixture(scope="module")
def gamma_ref():
    return np.array([_mp_log_pq(a, x) for a, x in GAMMA_PTS])


@pytest.mark.parametrize("upper", [False, True])
def test_log_gammainc_against_mpmath(gamma_ref, upper):
    a, x = GAMMA_PTS.T
    value, d = _special.log_gammainc(a, x, upper=upper)
    ref = gamma_ref[:, int(upper)]
    # allowed error: eps times the conditioning in (a, x), plus the rounding
    # of the ~sqrt(a) series terms near x = a
    tol = 8 * EPS * _scale(ref, (a, x), d[:, :2]) * (1 + np.sqrt(np.minimum(a, 1e5)) / 30)
    err = np.abs(value - ref)
    assert np.all(err <= tol), (GAMMA_PTS[err > tol], (err / np.abs(ref))[err > tol])
    # and plainly relative: 1e-13 (measured maximum 2.2e-13, where the log is
    # ~ -1e-200 and is minus a Q or P that was itself formed as exp(log) of
    # about -500, i.e. with relative error eps * 500)
    assert np.all(err <= 3e-13 * np.abs(ref) + 1e-300)


@pytest.mark.parametrize("upper", [False, True])
def test_log_gammainc_matches_scipy(upper):
    rng = np.random.default_rng(0)
    a = np.exp(rng.uniform(np.log(1e-3), np.log(1e3), 4000))
    x = a * np.exp(rng.normal(0.0, 1.0, a.size))
    value = _special.log_gammainc(a, x, upper=upper, derivatives=False)
    ref = sc.gammaincc(a, x) if upper else sc.gammainc(a, x)
    # compare logs where the value is away from 1 (there log v ~ v - 1 would
    # only show scipy's absolute rounding); scipy's own error in the tails is
    # ~1e-12 absolute in the log at log ~ -400 (checked against mpmath, where
    # ours is ~1e-13)
    ok = (ref > 1e-300) & (ref < 0.9)
    assert_allclose(value[ok], np.log(ref[ok]), rtol=2e-14, atol=2e-14)


def _assert_gamma(a, x, upper, ref, k=4):
    """|value - ref| <= k eps (|ref| + |a d/da| + |x d/dx|): exact up to the
    conditioning of log P or log Q in its inputs."""
    a, x = np.broadcast_arrays(np.asarray(a, float), np.asarray(x, float))
    value, d = _special.log_gammainc(a, x, upper=upper)
    tol = k * EPS * _scale(np.asarray(ref), (a, x), d[..., :2])
    assert np.all(np.abs(value - ref) <= tol), (a, x, value, ref)


def test_log_gammainc_closed_forms_far_tails():
    x = np.array([1e-300, 1e-10, 0.3, 1.0, 5.0, 50.0, 800.0, 1e4, 1e6])
    _assert_gamma(1.0, x, True, -x)                         # Q(1, x) = e^-x
    with np.errstate(divide="ignore"):
        _assert_gamma(1.0, x, False, np.where(x < math.log(2), np.log(-np.expm1(-x)), np.log1p(-np.exp(-x))))
    with mp.workdps(40):
        ref = np.array([float(mp.log1p(v) - v) for v in x])
    _assert_gamma(2.0, x, True, ref)                        # Q(2, x) = (1 + x) e^-x
    # both sides accurate where the other is ~1: log Q(2, 800) and
    # log P(2, 40) = log(1 - 41 e^-40) = -41 e^-40 (relative, not absolute)
    assert _special.log_gammainc(2.0, 800.0, upper=True, derivatives=False) == pytest.approx(
        math.log(801.0) - 800.0, rel=2 * EPS)
    assert _special.log_gammainc(2.0, 40.0, upper=False, derivatives=False) == pytest.approx(
        -41.0 * math.exp(-40.0), rel=1e-14)
    # Q(1/2, x) = erfc(sqrt x), P(1/2, x) = erf(sqrt x)
    xs = np.array([1e-12, 1e-4, 0.2, 0.7, 2.0, 30.0, 600.0])
    with mp.workdps(40):
        ref = np.array([float(mp.log(mp.erfc(mp.sqrt(mp.mpf(v))))) for v in xs])
    _assert_gamma(0.5, xs, True, ref)
    with mp.workdps(40):
        ref = np.array([float(mp.log1p(-mp.erfc(mp.sqrt(mp.mpf(v))))) for v in xs])
    _assert_gamma(0.5, xs, False, ref)
    # Q(a, 1000 a): the log is dominated by -x; P(a, tiny x) by a log x
    a = np.array([0.3, 3.0, 30.0, 300.0])
    _assert_gamma(a, 1000 * a, True, np.array([_mp_log_pq(v, 1000 * v)[1] for v in a]))
    _assert_gamma(a, 1e-200, False, np.array([_mp_log_pq(v, 1e-200)[0] for v in a]))


def _mp_gamma_derivs(a, x, upper):
    with mp.workdps(30):
        def f(A, X):
            if X < A:
                p = mp.gammainc(A, 0, X, regularized=True)
                return mp.log1p(-p) if upper else mp.log(p)
            q = mp.gammainc(A, X, mp.inf, regularized=True)
            return mp.log(q) if upper else mp.log1p(-q)
        orders = [(1, 0), (0, 1), (2, 0), (1, 1), (0, 2)]
        return np.array([float(mp.diff(f, (mp.mpf(a), mp.mpf(x)), o)) for o in orders])


GAMMA_DERIV_PTS = [(1e-3, 0.3), (1e-3, 2.0), (0.1, 0.05), (0.5, 0.7), (0.5, 3.0), (2.0, 0.5),
                   (2.0, 800.0), (5.0, 4.0), (5.0, 6.5), (9.99, 12.0), (10.0, 9.0), (30.0, 60.0),
                   (100.0, 100.0), (1000.0, 1030.0), (3.0, 1.15), (0.9, 1.0)]


@pytest.mark.parametrize("upper", [False, True])
def test_log_gammainc_derivatives_against_mpmath(upper):
    for a, x in GAMMA_DERIV_PTS:
        ref = _mp_gamma_derivs(a, x, upper)
        _, d = _special.log_gammainc(a, x, upper=upper)
        # relative 1e-12 (measured: <= 3e-14 except d2/da2 at a = 1e3..1e4,
        # 2e-12, where that entry is small next to the others), with an
        # absolute floor on the scale of the gradient
        floor = 1e-13 * (np.abs(ref).max())
        assert_allclose(d, ref, rtol=1e-12, atol=floor, err_msg=f"a={a}, x={x}, upper={upper}")


@pytest.mark.parametrize("upper", [False, True])
def test_log_gammainc_derivatives_consistent_with_values(upper):
    # 4th-order central differences of the returned log over every method
    a = np.array([0.02, 0.3, 0.8, 1.5, 4.0, 12.0, 60.0, 400.0, 0.3, 0.8, 4.0, 60.0, 400.0, 2.0])
    x = np.array([0.3, 0.05, 0.9, 0.4, 4.5, 11.0, 70.0, 380.0, 3.0, 1.05, 0.7, 20.0, 500.0, 0.8])

    def val(aa, xx):
        return _special.log_gammainc(aa, xx, upper=upper, derivatives=False)

    _, d = _special.log_gammainc(a, x, upper=upper)
    ha, hx = 1e-3 * a, 1e-3 * x

    def c4(f, h):
        return (-f(2) + 8 * f(1) - 8 * f(-1) + f(-2)) / (12 * h)

    ga = c4(lambda k: val(a + k * ha, x), ha)
    gx = c4(lambda k: val(a, x + k * hx), hx)
    gaa = c4(lambda k: _special.log_gammainc(a + k * ha, x, upper=upper)[1][:, 0], ha)
    gax = c4(lambda k: _special.log_gammainc(a, x + k * hx, upper=upper)[1][:, 0], hx)
    gxx = c4(lambda k: _special.log_gammainc(a, x + k * hx, upper=upper)[1][:, 1], hx)
    # truncation O(h^4) and rounding eps/h: 1e-7 relative is ample
    for got, fd in [(d[:, 0], ga), (d[:, 1], gx), (d[:, 2], gaa), (d[:, 3], gax), (d[:, 4], gxx)]:
        assert_allclose(got, fd, rtol=1e-7, atol=1e-9 * np.abs(fd).max())


def test_log_gammainc_special_values():
    v, d = _special.log_gammainc([1.0, 1.0], [0.0, 0.0], upper=False)
    assert np.all(v == -np.inf) and np.all(np.isnan(d))
    v, d = _special.log_gammainc(1.0, 0.0, upper=True)
    assert v == 0.0 and np.all(d == 0.0)
    v, d = _special.log_gammainc(1.0, np.inf, upper=False)
    assert v == 0.0 and np.all(d == 0.0)
    assert _special.log_gammainc(1.0, np.inf, upper=True, derivatives=False) == -np.inf
    for a, x in [(0.0, 1.0), (-1.0, 1.0), (1.0, -1.0), (np.nan, 1.0), (1.0, np.nan)]:
        v, d = _special.log_gammainc(a, x)
        assert np.isnan(v) and np.all(np.isnan(d))


def test_log_gammainc_value_path_equals_derivative_path():
    a, x = GAMMA_PTS.T
    for upper in (False, True):
        v0 = _special.log_gammainc(a, x, upper=upper, derivatives=False)
        v1, _ = _special.log_gammainc(a, x, upper=upper)
        # the same method on both paths, summed in a slightly different order
        assert_allclose(v0, v1, rtol=8 * EPS, atol=1e-300)


# ---------------------------------------------------------------------------
# incomplete beta
# ---------------------------------------------------------------------------

def _mp_ibeta_quad(a, b, lo, hi):
    """Integral of the beta density over [lo, hi], scaled by the integrand's
    maximum on the interval (mpmath's hypergeometric betainc fails for large
    parameters)."""
    lb = mp.log(mp.beta(a, b))

    def logf(t):
        return (a - 1) * mp.log(t) + (b - 1) * mp.log1p(-t)

    cands = [t for t in (lo, hi) if 0 < t < 1]
    pts = [lo, hi]
    if a > 1 and b > 1:
        mode = (a - 1) / (a + b - 2)
        sd = mp.sqrt(a * b / (a + b) ** 2 / (a + b + 1))
        if lo < mode < hi:
            cands.append(mode)
        pts += [mode + z * sd for z in (-40, -10, -3, -1, 0, 1, 3, 10, 40) if lo < mode + z * sd < hi]
    pts += [p for k in (1e-1, 1e-2, 1e-3) for p in (hi - (hi - lo) * k, lo + (hi - lo) * k)]
    pts = sorted(set(p for p in pts if lo <= p <= hi))
    lmax = max(logf(t) for t in cands)
    integral = mp.quad(lambda t: mp.exp(logf(t) - lmax), pts, maxdegree=10)
    return mp.log(integral) + lmax - lb


def _mp_log_ibeta_side(a, b, x):
    # mpmath's hypergeometric betainc is slow or fails when both shapes are
    # large (unless x b is small, where its series converges at once); the
    # density is smooth there and quadrature is fast
    if a > 1 and b > 1 and a + b > 1e3 and x * b > 1:
        return _mp_ibeta_quad(a, b, mp.mpf(0), x)
    try:
        return mp.log(mp.betainc(a, b, 0, x, regularized=True))
    except Exception:
        return _mp_ibeta_quad(a, b, mp.mpf(0), x)


def _mp_log_ibeta(a, b, x):
    """(log I_x(a, b), log(1 - I_x(a, b))) at 30 digits, the smaller side
    computed directly."""
    with mp.workdps(30):
        a, b, x = mp.mpf(float(a)), mp.mpf(float(b)), mp.mpf(float(x))
        if x <= a / (a + b):
            li = _mp_log_ibeta_side(a, b, x)
            return float(li), float(mp.log1p(-mp.exp(li)))
        lj = _mp_log_ibeta_side(b, a, 1 - x)
        return float(mp.log1p(-mp.exp(lj))), float(lj)


def _beta_grid():
    pts = []
    for a in [0.1, 0.5, 2.5, 9.99, 10.0, 200.0, 1e4]:
        for b in [0.5, 1.0, 3.0, 50.0, 1e3, 1e5]:
            # the swap point of the continued fraction and both sides of it
            switch = (a + 1) / (a + b + 2)
            xs = [1e-300, 1e-10, 0.3, 0.7, 1 - 1e-10, switch, switch * (1 - 1e-9),
                  switch * (1 + 1e-9)]
            mean = a / (a + b)
            sd = math.sqrt(a * b / (a + b) ** 2 / (a + b + 1))
            xs += [mean + z * sd for z in (-6, -2, 0.5, 3, 8)]
            pts += [(a, b, x) for x in xs if 0 < x < 1]
    return np.array(pts)


BETA_PTS = _beta_grid()


@pytest.fixture(scope="module")
def beta_ref():
    return np.array([_mp_log_ibeta(*p) for p in BETA_PTS])


@pytest.mark.parametrize("upper", [False, True])
def test_log_betainc_against_mpmath(beta_ref, upper):
    a, b, x = BETA_PTS.T
    value, d = _special.log_betainc(a, b, x, upper=upper)
    ref = beta_ref[:, int(upper)]
    err = np.abs(value - ref)
    # 1e-13 relative, except where max(a, b)/min(a, b) > 1e3 (the continued
    # fraction on its swapped side rounds up to ~2e-12 there, see
    # fm__beta_cf), with eps times the conditioning in (a, b, x) added
    ratio = np.maximum(a, b) / np.minimum(a, b)
    rel = np.where(ratio > 1e3, 3e-12, 1e-13)
    tol = rel * np.abs(ref) + 8 * EPS * _scale(ref, (a, b, x), d[:, :3])
    assert np.all(err <= tol), (BETA_PTS[err > tol], (err / np.abs(ref))[err > tol])


@pytest.mark.parametrize("upper", [False, True])
def test_log_betainc_matches_scipy(upper):
    rng = np.random.default_rng(1)
    a = np.exp(rng.uniform(np.log(0.2), np.log(500.0), 4000))
    b = np.exp(rng.uniform(np.log(0.2), np.log(500.0), 4000))
    x = rng.beta(a, b)
    x = np.clip(x, 1e-300, 1 - 1e-16)
    value = _special.log_betainc(a, b, x, upper=upper, derivatives=False)
    ref = sc.betaincc(a, b, x) if upper else sc.betainc(a, b, x)
    ok = (ref > 1e-300) & (ref < 0.9)
    assert_allclose(value[ok], np.log(ref[ok]), rtol=2e-14, atol=2e-14)


def _assert_beta(a, b, x, upper, ref, k=4):
    """|value - ref| <= k eps (|ref| + |a d/da| + |b d/db| + |x d/dx|)."""
    a, b, x = np.broadcast_arrays(*(np.asarray(v, float) for v in (a, b, x)))
    value, d = _special.log_betainc(a, b, x, upper=upper)
    tol = k * EPS * _scale(np.asarray(ref), (a, b, x), d[..., :3])
    assert np.all(np.abs(value - ref) <= tol), (a, b, x, value, ref)


def test_log_betainc_closed_forms_far_tails():
    x = np.array([1e-300, 1e-20, 1e-5, 0.1, 0.5, 0.9, 1 - 1e-9, 1 - 2 ** -52])
    for a in (0.3, 1.0, 7.0, 300.0):
        # I_x(a, 1) = x^a: log I = a log x, log(1 - I) = log(-expm1(a log x))
        _assert_beta(a, 1.0, x, False, a * np.log(x))
        with mp.workdps(40):
            ref = np.array([float(mp.log1p(-mp.power(mp.mpf(v), a))) for v in x])
        _assert_beta(a, 1.0, x, True, ref)
        # I_x(1, b) = 1 - (1-x)^b: log(1 - I) = b log1p(-x)
        _assert_beta(1.0, a, x, True, a * np.log1p(-x))
    # Student t with df = 1 (Cauchy): I_{1/(1+t^2)}(1/2, 1/2) = (2/pi) atan(1/|t|)
    t = np.array([0.5, 3.0, 1e3, 1e8])
    xt = 1.0 / (1.0 + t * t)
    _assert_beta(0.5, 0.5, xt, False, np.log(2 / np.pi * np.arctan(1 / t)))


def _mp_beta_derivs(a, b, x, upper):
    with mp.workdps(30):
        def f(A, B, X):
            return mp.log(mp.betainc(B, A, 0, 1 - X, regularized=True)) if upper else \
                mp.log(mp.betainc(A, B, 0, X, regularized=True))
        orders = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 2, 0),
                  (0, 1, 1), (0, 0, 2)]
        return np.array([float(mp.diff(f, (mp.mpf(a), mp.mpf(b), mp.mpf(x)), o)) for o in orders])


BETA_DERIV_PTS = [(2.0, 3.0, 0.2), (2.0, 3.0, 0.7), (0.5, 0.5, 0.1), (0.5, 0.5, 0.95),
                  (5.0, 50.0, 0.05), (5.0, 50.0, 0.3), (30.0, 20.0, 0.6), (30.0, 20.0, 0.2),
                  (0.3, 7.0, 0.01), (50.0, 0.5, 0.99), (12.0, 15.0, 0.44)]


@pytest.mark.parametrize("upper", [False, True])
def test_log_betainc_derivatives_against_mpmath(upper):
    for a, b, x in BETA_DERIV_PTS:
        ref = _mp_beta_derivs(a, b, x, upper)
        _, d = _special.log_betainc(a, b, x, upper=upper)
        floor = 1e-13 * np.abs(ref).max()
        assert_allclose(d, ref, rtol=1e-12, atol=floor, err_msg=f"a={a}, b={b}, x={x}, upper={upper}")


@pytest.mark.parametrize("upper", [False, True])
def test_log_betainc_derivatives_consistent_with_values(upper):
    # both sides of the swap, large ratios, and the 1 - x form near x = 1
    a = np.array([0.4, 2.0, 2.0, 8.0, 40.0, 300.0, 2.5, 1e3, 0.7])
    b = np.array([0.6, 3.0, 3.0, 0.5, 60.0, 30.0, 2000.0, 1e3, 9.0])
    x = np.array([0.3, 0.2, 0.8, 0.97, 0.45, 0.93, 0.0014, 0.51, 0.02])

    def c4(f, h):
        return (-f(2) + 8 * f(1) - 8 * f(-1) + f(-2)) / (12 * h)

    _, d = _special.log_betainc(a, b, x, upper=upper)
    ha, hb, hx = 1e-3 * a, 1e-3 * b, 1e-3 * np.minimum(x, 1 - x)

    def at(k, which, deriv=None):
        aa = a + k * ha * (which == 0)
        bb = b + k * hb * (which == 1)
        xx = x + k * hx * (which == 2)
        if deriv is None:
            return _special.log_betainc(aa, bb, xx, upper=upper, derivatives=False)
        return _special.log_betainc(aa, bb, xx, upper=upper)[1][:, deriv]

    hs = (ha, hb, hx)
    checks = [(0, c4(lambda k: at(k, 0), ha)), (1, c4(lambda k: at(k, 1), hb)),
              (2, c4(lambda k: at(k, 2), hx))]
    # Hessian (aa, ab, ax, bb, bx, xx) from differences of the gradient
    for slot, (i, j) in zip(range(3, 9), [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]):
        checks.append((slot, c4(lambda k: at(k, j, i), hs[j])))
    for slot, fd in checks:
        assert_allclose(d[:, slot], fd, rtol=1e-7, atol=1e-9 * np.abs(fd).max(), err_msg=f"slot {slot}")


def test_log_betainc_symmetry_and_special_values():
    rng = np.random.default_rng(3)
    a = np.exp(rng.uniform(-2, 5, 300))
    b = np.exp(rng.uniform(-2, 5, 300))
    x = rng.uniform(0.5, 1.0, 300)       # 1 - x exact
    v1, d1 = _special.log_betainc(a, b, x)
    v2, d2 = _special.log_betainc(b, a, 1 - x, upper=True)
    assert_allclose(v1, v2, rtol=1e-13)
    # d/da <-> d/db, d/dx -> -d/dx, (aa, ab, ax, bb, bx, xx) -> (bb, ab, -bx, aa, -ax, xx)
    perm = d2[:, [1, 0, 2, 6, 4, 7, 3, 5, 8]] * np.array([1, 1, -1, 1, 1, -1, 1, -1, 1])
    assert_allclose(d1, perm, rtol=1e-10, atol=1e-12)
    v, d = _special.log_betainc(2.0, 3.0, 0.0)
    assert v == -np.inf and np.all(np.isnan(d))
    v, d = _special.log_betainc(2.0, 3.0, 0.0, upper=True)
    assert v == 0.0 and np.all(d == 0.0)
    v, d = _special.log_betainc(2.0, 3.0, 1.0)
    assert v == 0.0 and np.all(d == 0.0)
    for args in [(0.0, 1.0, 0.5), (1.0, -1.0, 0.5), (1.0, 1.0, 1.5), (1.0, 1.0, -0.1), (np.nan, 1, 0.5)]:
        v, d = _special.log_betainc(*args)
        assert np.isnan(v) and np.all(np.isnan(d))


# ---------------------------------------------------------------------------
# log(exp(hi) - exp(lo))
# ---------------------------------------------------------------------------

def test_log_diff_exp_gradient_and_hessian():
    # hi(t) and lo(t): log cdfs of a normal at two points, as functions of
    # t = (mu, log sigma); the interval term log(F(b) - F(a)) against
    # differences of the direct formula
    a_pt, b_pt = -0.3, 1.7

    def logs(t):
        mu, ls = t
        s = math.exp(ls)
        return (float(_special.log_ndtr((b_pt - mu) / s)), float(_special.log_ndtr((a_pt - mu) / s)))

    def derivs(t, pt):
        mu, ls = t
        s = math.exp(ls)
        z = (pt - mu) / s
        v, d = _special.log_ndtr_derivs(z)
        r, r2 = d[0], d[1]
        # dz/dmu = -1/s, dz/dls = -z
        g = np.array([-r / s, -r * z])
        h = np.array([r2 / s ** 2, r2 * z / s + r / s, r2 * z * z + r * z])
        return float(v), g, h

    t0 = np.array([0.2, -0.4])
    vh, gh, hh = derivs(t0, b_pt)
    vl, gl, hl = derivs(t0, a_pt)
    value, g, h = _special.log_diff_exp([vh], [vl], gh[None], gl[None], hh[None], hl[None])

    def direct(t):
        hi, lo = logs(t)
        return math.log(math.exp(hi) - math.exp(lo))

    assert value[0] == pytest.approx(direct(t0), rel=1e-14)
    eps = 1e-5
    num_g = np.array([(direct(t0 + eps * e) - direct(t0 - eps * e)) / (2 * eps) for e in np.eye(2)])
    assert_allclose(g[0], num_g, rtol=1e-8)

    def grad_at(t):
        vh, gh, hh = derivs(t, b_pt)
        vl, gl, hl = derivs(t, a_pt)
        return _special.log_diff_exp([vh], [vl], gh[None], gl[None], hh[None], hl[None])[1][0]

    num_h = np.array([(grad_at(t0 + eps * e) - grad_at(t0 - eps * e)) / (2 * eps) for e in np.eye(2)])
    assert_allclose(h[0], [num_h[0, 0], num_h[0, 1], num_h[1, 1]], rtol=1e-7)
    assert num_h[0, 1] == pytest.approx(num_h[1, 0], rel=1e-7)


def test_log_diff_exp_tiny_interval_and_empty():
    # exp(hi) - exp(lo) with lo = hi - 2^-40 (exact): log(e^hi (1 - e^-d))
    d = 2.0 ** -40
    value, _, _ = _special.log_diff_exp([-3.0], [-3.0 - d], [[0.0]], [[0.0]], [[0.0]], [[0.0]])
    assert value[0] == pytest.approx(-3.0 + math.log(-math.expm1(-d)), rel=2 * EPS)
    value, _, _ = _special.log_diff_exp([-3.0, -3.0], [-3.0, -2.0], np.zeros((2, 1)), np.zeros((2, 1)),
                                        np.zeros((2, 1)), np.zeros((2, 1)))
    assert np.all(value == -np.inf)
    with pytest.raises(ValueError, match="matching rows"):
        _special.log_diff_exp([0.0], [-1.0, -2.0], [[0.0]], [[0.0]], [[0.0]], [[0.0]])


# ---------------------------------------------------------------------------
# Owen's T
# ---------------------------------------------------------------------------

def _mp_owens_t(h, a, pieces=40):
    """T(h, a) by quadrature of its defining integral, split into pieces so
    that the Gaussian factor is resolved for large h."""
    with mp.workdps(30):
        h, a = mp.mpf(float(h)), mp.mpf(float(a))
        f = lambda x: mp.exp(-h * h * (1 + x * x) / 2) / (1 + x * x)
        return float(mp.quad(f, mp.linspace(0, a, pieces)) / (2 * mp.pi))


def test_owens_t_matches_scipy_on_a_grid():
    # every region of the Patefield-Tandy table, both signs, and the a > 1
    # reduction on both sides of h = 0.67
    hr = [0.02, 0.06, 0.09, 0.125, 0.26, 0.4, 0.6, 0.67, 1.6, 1.7, 2.33, 2.4, 3.36, 3.4, 4.8]
    ar = [0.025, 0.09, 0.15, 0.36, 0.5, 0.9, 0.99999, 1.0]
    h = np.unique(np.concatenate([np.linspace(-10, 10, 201), hr, np.nextafter(hr, 10), [12.0, 20.0, 38.0]]))
    a = np.unique(np.concatenate([np.linspace(-6, 6, 121), ar, np.nextafter(ar, 2), [1e-8, 30.0, 1e5, np.inf]]))
    H, A = np.meshgrid(h, a)
    got = _special.owens_t(H, A)
    assert_allclose(got, sc.owens_t(H, A), rtol=0, atol=4e-16)


def test_owens_t_against_mpmath():
    rng = np.random.default_rng(5)
    h = rng.uniform(-7, 7, 60)
    a = np.concatenate([rng.uniform(-1, 1, 30), rng.uniform(-8, 8, 30)])
    ref = np.array([_mp_owens_t(hh, aa) for hh, aa in zip(h, a)])
    assert_allclose(_special.owens_t(h, a), ref, rtol=0, atol=2e-16)
    # relative accuracy where T is small, for |a| <= 1 (measured 3e-16)
    for hh, aa in [(5.0, 0.5), (8.0, 0.9), (30.0, 0.1), (12.0, 0.02), (6.5, 0.999)]:
        assert _special.owens_t(hh, aa) == pytest.approx(_mp_owens_t(hh, aa), rel=1e-14)


def test_owens_t_identities():
    h = np.linspace(-6, 6, 61)
    # T(h, 1) = Phi(h) Phi(-h) / 2
    assert_allclose(_special.owens_t(h, 1.0), 0.5 * sc.ndtr(h) * sc.ndtr(-h), rtol=0, atol=4e-17)
    assert_allclose(_special.owens_t(0.0, np.array([0.3, 1.0, 7.0])), np.arctan([0.3, 1.0, 7.0]) / (2 * np.pi),
                    rtol=2 * EPS)
    assert_allclose(_special.owens_t(h, np.inf), 0.5 * sc.ndtr(-np.abs(h)), rtol=1e-14)
    assert np.all(_special.owens_t(h, 0.0) == 0.0)
    a = np.linspace(-3, 3, 13)
    assert_allclose(_special.owens_t(1.3, -a), -_special.owens_t(1.3, a), rtol=0, atol=0)
    assert_allclose(_special.owens_t(-1.3, a), _special.owens_t(1.3, a), rtol=0, atol=0)
    assert np.isnan(_special.owens_t(np.nan, 1.0)) and np.isnan(_special.owens_t(1.0, np.nan))
    # the skew-normal cdf Phi(z) - 2 T(z, a)
    stats = pytest.importorskip("scipy.stats")
    z = np.linspace(-4, 4, 41)
    for alpha in (-5.0, -0.7, 0.0, 2.0, 12.0):
        assert_allclose(sc.ndtr(z) - 2 * _special.owens_t(z, alpha), stats.skewnorm.cdf(z, alpha),
                        rtol=0, atol=2e-15)


# ---------------------------------------------------------------------------
# von Mises
# ---------------------------------------------------------------------------

def _mp_vm_log_lower(k, x):
    """log F(x) for x <= 0 at the working precision: quadrature of the density
    scaled by its value at x, on pieces of the integrand's own width below x
    (it falls like exp(-kappa |sin x| (x - t)) and then like a Gaussian)."""
    f = lambda t: mp.exp(k * (mp.cos(t) - mp.cos(x)))
    width = min(mp.mpf(1) / 4, 1 / mp.sqrt(k), 2 / (k * abs(mp.sin(x)) + 1e-30))
    pts = [x]
    while pts[-1] > -mp.pi and k * (mp.cos(pts[-1]) - mp.cos(x)) > -120:
        pts.append(pts[-1] - width)
    pts = [t for t in pts if t > -mp.pi] + [-mp.pi]
    integral = mp.quad(f, pts[::-1])
    return mp.log(integral) + k * (mp.cos(x) - 1) - mp.log(2 * mp.pi * mp.besseli(0, k)) + k


def _mp_vm_log_cdf_mp(k, x, upper):
    """log F(x), or log S(x) = log F(-x), as an mpf (for mp.diff too)."""
    if upper:
        x = -x
    if x <= 0:
        return _mp_vm_log_lower(k, x)
    return mp.log1p(-mp.exp(_mp_vm_log_lower(k, -x)))


def _mp_vonmises_log_cdf(kappa, x, upper):
    with mp.workdps(30):
        return float(_mp_vm_log_cdf_mp(mp.mpf(float(kappa)), mp.mpf(float(x)), upper))


VM_X = np.array([-3.1, -2.0, -1.0, -0.2, -0.1, -0.01, 0.0, 0.01, 0.2, 0.7, 2.5, 3.1])
VM_KAPPA = [1e-3, 0.5, 10.0, 49.0, 100.0, 1e3, 1e6]


@pytest.fixture(scope="module")
def vm_ref():
    return {(k, up): np.array([_mp_vonmises_log_cdf(k, x, up) for x in VM_X])
            for k in VM_KAPPA for up in (False, True)}


@pytest.mark.parametrize("upper", [False, True])
def test_log_vonmises_cdf_against_mpmath(vm_ref, upper):
    for k in VM_KAPPA:
        ref = vm_ref[(k, upper)]
        value, d = _special.log_vonmises_cdf(k, VM_X, upper=upper)
        # relative accuracy of the log in both tails (down to log F ~ -2e6 at
        # kappa = 1e6 and log S ~ -1e-200), within the conditioning in
        # (kappa, x) and the exp() of logs of -500 (measured maximum 2e-14);
        # where both F and S are >= 0.01 the Fourier series is used, whose
        # error is ~1.3e-15 absolute in F
        g = np.exp(ref)
        series = np.minimum(g, 1 - g) >= 0.01
        tol = 5e-14 * np.abs(ref) + 8 * EPS * _scale(ref, (np.full_like(VM_X, k), VM_X), d[:, :2]) \
            + np.where(series, 2e-15 / np.maximum(g, 0.01), 0.0)
        assert np.all(np.abs(value - ref) <= tol), (k, VM_X, value, ref)
        assert_allclose(_special.log_vonmises_cdf(k, VM_X, upper=upper, derivatives=False), value,
                        rtol=8 * EPS)


def test_log_vonmises_cdf_matches_scipy_below_50():
    # scipy's series (kappa < 50) is exact to ~1e-13; above 50 it uses a
    # normal approximation (error 3e-6 at kappa = 50, see the mpmath test)
    stats = pytest.importorskip("scipy.stats")
    x = np.linspace(-np.pi, np.pi, 201)
    for k in (0.01, 0.3, 1.0, 4.0, 17.0, 49.9):
        got = np.exp(_special.log_vonmises_cdf(k, x, derivatives=False))
        assert_allclose(got, stats.vonmises.cdf(x, k), rtol=0, atol=2e-13)
        got = np.exp(_special.log_vonmises_cdf(k, x, upper=True, derivatives=False))
        assert_allclose(got, stats.vonmises.sf(x, k), rtol=0, atol=2e-13)


@pytest.mark.parametrize("upper", [False, True])
def test_log_vonmises_cdf_derivatives_consistent_with_values(upper):
    # both methods (series in the middle, quadrature on the small side)
    k = np.array([0.3, 0.3, 2.0, 2.0, 20.0, 20.0, 20.0, 300.0, 300.0, 5e3, 5e3, 1.0, 60.0])
    x = np.array([-2.5, 1.0, -0.3, 2.9, -0.05, -0.9, 0.4, -0.2, 0.05, -0.1, 0.03, -3.1, 2.0])
    value, d = _special.log_vonmises_cdf(k, x, upper=upper)
    # steps that move the log by ~1e-3 of itself, so that 4th-order
    # differences are accurate also where the log is tiny (log S ~ -F)
    hk = 1e-3 / np.maximum(np.abs(d[:, 0]) / np.maximum(np.abs(value), 1e-300), 1.0 / k)
    hx = 1e-3 / np.maximum(np.abs(d[:, 1]) / np.maximum(np.abs(value), 1e-300), 1.0)

    def c4(f, h):
        return (-f(2) + 8 * f(1) - 8 * f(-1) + f(-2)) / (12 * h)

    def at(dk, dx, slot=None):
        if slot is None:
            return _special.log_vonmises_cdf(k + dk, x + dx, upper=upper, derivatives=False)
        return _special.log_vonmises_cdf(k + dk, x + dx, upper=upper)[1][:, slot]

    checks = [(0, c4(lambda j: at(j * hk, 0), hk)), (1, c4(lambda j: at(0, j * hx), hx)),
              (2, c4(lambda j: at(j * hk, 0, 0), hk)), (3, c4(lambda j: at(0, j * hx, 0), hx)),
              (4, c4(lambda j: at(0, j * hx, 1), hx))]
    for slot, fd in checks:
        assert_allclose(d[:, slot], fd, rtol=1e-7, atol=0, err_msg=f"slot {slot}")


def test_log_vonmises_cdf_x_derivatives_closed_form():
    # d/dx log F = f/F and d2/dx2 log F = -kappa sin(x) f/F - (f/F)^2, with
    # the density f from scipy's i0e and F from the returned log (mpmath
    # differentiation of a quadrature is too slow for the test suite; the
    # kappa-derivatives are checked by differences above)
    x = np.linspace(-3.0, 3.0, 25)
    for k in (0.2, 3.0, 40.0, 800.0):
        for upper in (False, True):
            value, d = _special.log_vonmises_cdf(k, x, upper=upper)
            log_f = k * (np.cos(x) - 1) - np.log(2 * np.pi * sc.i0e(k))
            r = (-1 if upper else 1) * np.exp(log_f - value)
            # the reference's own rounding: exp of a difference of logs of
            # size |value| and kappa
            nz = np.abs(r) > 1e-290           # f underflows far out at kappa = 800
            assert np.all(np.abs(d[~nz, 1]) < 1e-280)
            err = np.abs(d[nz, 1] - r[nz]) / np.abs(r[nz])
            assert np.all(err <= 8 * EPS * (1 + np.abs(value[nz]) + k))
            assert_allclose(d[:, 4], -k * np.sin(x) * r - r * r, rtol=1e-10, atol=1e-12 * np.abs(r * r).max())


def test_log_vonmises_cdf_special_values():
    v, d = _special.log_vonmises_cdf(3.0, -np.pi)
    assert v == -np.inf and np.all(np.isnan(d))
    v, d = _special.log_vonmises_cdf(3.0, np.pi)
    f = np.exp(-6.0) / (2 * np.pi * sc.i0e(3.0))    # density at pi
    assert v == 0.0 and d[0] == 0.0 and d[2] == 0.0
    assert d[1] == pytest.approx(f, rel=1e-14) and d[4] == pytest.approx(-f * f, rel=1e-13)
    v, d = _special.log_vonmises_cdf(3.0, -np.pi, upper=True)
    assert v == 0.0 and d[1] == pytest.approx(-f, rel=1e-14)
    for k, x in [(0.0, 1.0), (-1.0, 1.0), (2e8, 0.1), (1.0, 3.2), (1.0, -4.0), (np.nan, 1.0)]:
        v, d = _special.log_vonmises_cdf(k, x)
        assert np.isnan(v) and np.all(np.isnan(d))
