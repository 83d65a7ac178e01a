"""Accuracy tests for the C special functions in src/_special.h.

The functions are reached through the vectorized wrappers in
``fastmle._special``.  References:

* scipy.special (gammaln, psi, polygamma, xlogy) and numpy.logaddexp, wherever
  they are themselves accurate to ~1e-15: relative tolerance ``RTOL``.
* mpmath at 40 digits where scipy is not accurate enough (gammaln loses up to
  ~1e-12 relative near its zeros x = 1 and x = 2) and to check the few-ulp
  claim: relative tolerance ``MP_RTOL``.  mpmath is optional.
* Closed forms at integers and half-integers (DLMF 5.4, 5.15).

For x < 0 the reflection formulas are ill-conditioned near the zeros of
lgamma and digamma (for scipy as much as for us), so there the comparison is
relative to the size of the terms of the reflection formula instead of the
size of the result.
"""
import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
import scipy.special as sc
from numpy.testing import assert_allclose, assert_array_equal

from fastmle import _special

RTOL = 1e-14      # against scipy / numpy
MP_RTOL = 2e-15   # against mpmath (the measured maximum is ~7e-16)

# 40-digit constants for closed-form references computed in Decimal (the
# closed forms cancel badly in double precision).
D_EULER = Decimal("0.5772156649015328606065120900824024310422")
D_PI = Decimal("3.141592653589793238462643383279502884197")
EULER = float(D_EULER)
X0 = 1.4616321449683623  # positive zero of digamma
NEG_ROOT = -0.5040830082644554  # first negative zero of digamma


def _mp_ref(kind, x):
    """40-digit mpmath values of lgamma/digamma/trigamma at the doubles x."""
    mp = pytest.importorskip("mpmath")
    out = np.empty(len(x))
    with mp.workdps(40):
        for i, v in enumerate(x):
            v = mp.mpf(float(v))  # exact conversion of the double
            if kind == "lgamma":
                r = mp.log(abs(mp.gamma(v))) if v < 0 else mp.loggamma(v)
            elif kind == "digamma":
                r = mp.digamma(v)
            elif v > 0:
                r = mp.psi(1, v)
            else:
                # mpmath sums the series directly for v < 0, which is slow for
                # large |v|; the reflection formula is exact at 40 digits.
                r = (mp.pi / mp.sinpi(v)) ** 2 - mp.psi(1, 1 - v)
            out[i] = float(r)
    return out


def _positive_grid():
    """Dense positive grid: geometric over the whole range, plus linear."""
    x = np.unique(np.concatenate([
        np.geomspace(1e-300, 1e300, 20001),
        np.geomspace(1e300, 1.7e308, 201),
        np.linspace(1e-3, 40.0, 40001),
        np.arange(1.0, 200.0),           # integers
        np.arange(0.5, 200.0),           # half-integers
        [5e-324, 1e-310, 2.2250738585072014e-308],   # subnormal and tiny
    ]))
    assert np.all(np.isfinite(x) & (x > 0))
    return x


def _negative_grid(max_abs=1e6):
    """Negative non-integers: dense near 0, geometric out to -max_abs."""
    x = -np.concatenate([
        np.geomspace(1e-300, 0.999, 3001),
        np.linspace(0.001, 30.0, 30001),
        np.geomspace(30.0, max_abs, 3001) * (1 + 1e-9),
        np.arange(0.5, 60.0),            # negative half-integers
    ])
    return np.unique(x[x != np.round(x)])


def _near(center, max_offset, n=400):
    """Points center +- offsets, the offsets geometric from 1 ulp up."""
    ulp = np.spacing(abs(center))
    off = np.geomspace(ulp, max_offset, n)
    x = np.concatenate([center + off, center - off, center + np.arange(-20, 21) * ulp])
    assert np.all(np.isfinite(x))
    return np.unique(x)


def _assert_rel(actual, desired, rtol):
    """|actual - desired| <= rtol |desired| everywhere; any nan fails."""
    assert_allclose(actual, desired, rtol=rtol, atol=0, equal_nan=False)


def _assert_same_special(ours, ref):
    """Same nan and signed-infinity pattern as scipy, close elsewhere."""
    assert_array_equal(np.isnan(ours), np.isnan(ref))
    assert_array_equal(np.isposinf(ours), np.isposinf(ref))
    assert_array_equal(np.isneginf(ours), np.isneginf(ref))
    fin = np.isfinite(ref)
    _assert_rel(ours[fin], ref[fin], RTOL)


# ---------------------------------------------------------------- lgamma


def test_lgamma_positive_vs_scipy():
    x = _positive_grid()
    # scipy.special.gammaln is only ~1e-12 accurate near its zeros 1 and 2;
    # that interval is checked against mpmath below.  It also returns inf
    # for x < ~5.6e-309 (it forms 1/x), checked separately below.
    x = x[((x < 0.75) | (x > 2.25)) & (x > 1e-307)]
    _assert_rel(_special.lgamma(x), sc.gammaln(x), RTOL)


def test_lgamma_near_zeros_vs_mpmath():
    x = np.concatenate([_near(1.0, 0.5), _near(2.0, 0.5),
                        np.linspace(0.5, 3.0, 2001)])
    x = x[(x != 1.0) & (x != 2.0)]
    _assert_rel(_special.lgamma(x), _mp_ref("lgamma", x), MP_RTOL)


def test_lgamma_random_vs_mpmath():
    rng = np.random.default_rng(20240601)
    x = np.exp(rng.uniform(np.log(1e-8), np.log(1e4), 3000))
    _assert_rel(_special.lgamma(x), _mp_ref("lgamma", x), MP_RTOL)


def test_lgamma_exact_zeros_and_factorials():
    # Gamma(1) = Gamma(2) = 1 exactly.
    assert_array_equal(_special.lgamma([1.0, 2.0]), [0.0, 0.0])
    # lgamma(n) = log((n-1)!);  Gamma(n + 1/2) = (2n)! sqrt(pi) / (4^n n!)
    # (DLMF 5.4.1, 5.4.6), evaluated in 40-digit Decimal.
    n = np.arange(1, 100)
    with localcontext() as ctx:
        ctx.prec = 40
        fact = [float(Decimal(math.factorial(k - 1)).ln()) for k in n]
        half = [float((Decimal(math.factorial(2 * k)) * D_PI.sqrt()
                       / (Decimal(4) ** k * math.factorial(k))).ln()) for k in np.r_[0, n]]
    _assert_rel(_special.lgamma(n.astype(float)), fact, MP_RTOL)
    _assert_rel(_special.lgamma(np.r_[0, n] + 0.5), half, MP_RTOL)


def test_lgamma_tiny_arguments():
    # lgamma(x) = -log(x) - gamma x + O(x^2) (DLMF 5.7.3), so for x < 1e-20
    # it is -log(x) to double precision; scipy returns inf below ~5.6e-309.
    x = np.concatenate([np.geomspace(5e-324, 1e-20, 2001), -np.geomspace(5e-324, 1e-20, 2001)])
    _assert_rel(_special.lgamma(x), -np.log(np.abs(x)), MP_RTOL)
    assert_allclose(_special.lgamma(5e-324), 1074 * math.log(2.0), rtol=MP_RTOL)


def test_lgamma_negative_vs_scipy():
    x = _negative_grid()
    ref = sc.gammaln(x)
    # Reflection: lgamma(x) = log(pi / |x sin(pi x)|) - lgamma(-x).  The
    # attainable absolute accuracy is relative to the size of those terms.
    scale = np.abs(ref) + np.abs(sc.gammaln(-x)) + 1.0
    err = np.abs(_special.lgamma(x) - ref)
    assert np.all(err <= RTOL * scale), x[np.argmax(err / scale)]
    # Away from the negative zeros (|result| not small) it is relative accuracy.
    far = np.abs(ref) > 1.0
    _assert_rel(_special.lgamma(x[far]), ref[far], RTOL)


def test_lgamma_negative_vs_mpmath():
    x = np.concatenate([np.linspace(-0.999, -1e-3, 999), -np.geomspace(1e-300, 1e-3, 200),
                        np.linspace(-9.95, -1.05, 600)])
    ref = _mp_ref("lgamma", x)
    scale = np.abs(ref) + np.abs(_mp_ref("lgamma", -x)) + 1.0
    err = np.abs(_special.lgamma(x) - ref)
    assert np.all(err <= MP_RTOL * scale)
    # (-1, 0) has no zero of lgamma: full relative accuracy there.
    inside = x > -1
    _assert_rel(_special.lgamma(x[inside]), ref[inside], MP_RTOL)


def test_lgamma_special_values_match_scipy():
    x = np.array([0.0, -0.0, -1.0, -2.0, -7.0, -2.0**52, -2.0**53, -1e300,
                  -np.inf, np.inf, np.nan, 1e-300, 1e305, 1e306, 1.7e308])
    ours = _special.lgamma(x)
    _assert_same_special(ours, sc.gammaln(x))
    # Poles give +inf; lgamma overflows to +inf only past DBL_MAX.
    assert np.all(np.isposinf(ours[:8]))
    assert np.isfinite(_special.lgamma(2.5e305)) and np.isposinf(_special.lgamma(2.6e305))


# ---------------------------------------------------------------- digamma


def test_digamma_positive_vs_scipy():
    x = np.concatenate([_positive_grid(), _near(X0, 0.5)])
    _assert_rel(_special.digamma(x), sc.psi(x), RTOL)


def test_digamma_near_zero_vs_mpmath():
    x = np.concatenate([_near(X0, 0.6), np.linspace(0.5, 3.0, 2001)])
    ref = _mp_ref("digamma", x)
    _assert_rel(_special.digamma(x), ref, MP_RTOL)
    # The double nearest the zero: psi'(x0) (X0 - x0) ~ -9.3e-17, not 0.
    v = _special.digamma(X0)
    assert v != 0 and abs(v - _mp_ref("digamma", [X0])[0]) <= MP_RTOL * abs(v)


def test_digamma_random_vs_mpmath():
    rng = np.random.default_rng(7)
    x = np.exp(rng.uniform(np.log(1e-8), np.log(1e4), 3000))
    _assert_rel(_special.digamma(x), _mp_ref("digamma", x), MP_RTOL)


def test_digamma_closed_forms():
    # psi(n) = -gamma + sum_{k<n} 1/k,
    # psi(n + 1/2) = -gamma - 2 log 2 + sum_{k<=n} 2/(2k-1)   (DLMF 5.4.14, 5.4.15)
    n = np.arange(1, 100)
    with localcontext() as ctx:
        ctx.prec = 40
        ln2 = Decimal(2).ln()
        ints = [float(sum(Decimal(1) / k for k in range(1, m)) - D_EULER) for m in n]
        halves = [float(sum(Decimal(2) / (2 * k - 1) for k in range(1, m + 1)) - D_EULER - 2 * ln2)
                  for m in np.r_[0, n]]
    _assert_rel(_special.digamma(n.astype(float)), ints, MP_RTOL)
    _assert_rel(_special.digamma(np.r_[0, n] + 0.5), halves, MP_RTOL)


def test_digamma_negative_vs_scipy():
    x = _negative_grid()
    # Close to the negative integers scipy.special.psi is inaccurate (1e-13
    # relative at -2 + 1e-3, 3% at -1 + 1e-15); there we check against mpmath.
    x = x[np.abs(x - np.round(x)) > 0.05]
    ref = sc.psi(x)
    # Reflection: psi(x) = psi(1 - x) - pi cot(pi x); scale by its terms.
    scale = np.abs(ref) + np.abs(sc.psi(1 - x))
    err = np.abs(_special.digamma(x) - ref)
    assert np.all(err <= RTOL * scale), x[np.argmax(err / scale)]
    # Where the reflection is well conditioned, plain relative accuracy.  (Closer
    # to the negative zeros scipy's own error grows to ~1e-14; ours is checked
    # against mpmath below.)
    far = np.abs(ref) > np.abs(sc.psi(1 - x))
    _assert_rel(_special.digamma(x[far]), ref[far], RTOL)


def test_digamma_negative_vs_mpmath():
    x = np.concatenate([np.linspace(-29.995, -1.005, 2900),
                        -np.geomspace(30.0, 1e15, 300) * (1 + 1e-9)])
    x = x[x != np.round(x)]
    ref = _mp_ref("digamma", x)
    scale = np.abs(ref) + np.abs(_mp_ref("digamma", 1 - x))
    err = np.abs(_special.digamma(x) - ref)
    assert np.all(err <= MP_RTOL * scale), x[np.argmax(err / scale)]


def test_digamma_near_negative_poles_vs_mpmath():
    # psi(x) ~ -1/(x + n) next to the pole at -n: full relative accuracy,
    # because the reduction x - round(x) inside cot(pi x) is exact.
    off = np.geomspace(1e-14, 1e-2, 60)
    x = np.concatenate([-n + s * off for n in (1.0, 2.0, 7.0, 1e3, 1e6) for s in (1, -1)])
    x = x[x != np.round(x)]
    _assert_rel(_special.digamma(x), _mp_ref("digamma", x), MP_RTOL)


def test_digamma_negative_zero_vs_mpmath():
    # Full relative accuracy through the first negative zero -0.5040830...
    x = np.concatenate([_near(NEG_ROOT, 0.3), np.linspace(-0.99, -0.01, 981)])
    _assert_rel(_special.digamma(x), _mp_ref("digamma", x), MP_RTOL)


def test_digamma_special_values_match_scipy():
    x = np.array([0.0, -0.0, -1.0, -2.0, -2.0**53, -1e300, -np.inf, np.inf,
                  np.nan, 5e-324, -5e-324, 1e300])
    ours = _special.digamma(x)
    _assert_same_special(ours, sc.psi(x))
    # psi(x) ~ -1/x at 0: -inf from the right, +inf from the left.
    assert np.isneginf(ours[0]) and np.isposinf(ours[1])


# ---------------------------------------------------------------- trigamma


def test_trigamma_positive_vs_scipy():
    x = np.concatenate([_positive_grid(), _near(X0, 0.5)])
    _assert_rel(_special.trigamma(x), sc.polygamma(1, x), RTOL)


def test_trigamma_random_vs_mpmath():
    rng = np.random.default_rng(11)
    x = np.exp(rng.uniform(np.log(1e-8), np.log(1e4), 3000))
    _assert_rel(_special.trigamma(x), _mp_ref("trigamma", x), MP_RTOL)


def test_trigamma_closed_forms():
    # psi'(n) = pi^2/6 - sum_{k<n} 1/k^2,
    # psi'(n + 1/2) = pi^2/2 - sum_{k<=n} 4/(2k-1)^2   (DLMF 5.15.2, 5.15.3, 5.15.5)
    n = np.arange(1, 100)
    with localcontext() as ctx:
        ctx.prec = 40
        ints = [float(D_PI**2 / 6 - sum(Decimal(1) / k**2 for k in range(1, m))) for m in n]
        halves = [float(D_PI**2 / 2 - sum(Decimal(4) / (2 * k - 1) ** 2 for k in range(1, m + 1)))
                  for m in np.r_[0, n]]
    _assert_rel(_special.trigamma(n.astype(float)), ints, MP_RTOL)
    _assert_rel(_special.trigamma(np.r_[0, n] + 0.5), halves, MP_RTOL)


def test_trigamma_negative_vs_scipy():
    # scipy.special.polygamma(1, x) sums the series from x up for x < 0,
    # which takes O(|x|) time: keep |x| moderate here, larger |x| below.
    x = _negative_grid(max_abs=1e4)
    _assert_rel(_special.trigamma(x), sc.polygamma(1, x), RTOL)


def test_trigamma_negative_vs_mpmath():
    x = np.concatenate([np.linspace(-29.99, -0.01, 2999),
                        -np.geomspace(1e4, 1e15, 300) * (1 + 1e-9),
                        -np.geomspace(1e-300, 1e-3, 100)])
    x = x[x != np.round(x)]
    _assert_rel(_special.trigamma(x), _mp_ref("trigamma", x), MP_RTOL)


def test_trigamma_special_values_match_scipy():
    x = np.array([0.0, -0.0, -1.0, -2.0, -2.0**53, -1e300, -np.inf, np.inf,
                  np.nan, 5e-324, 1e300, 1.7e308])
    ours = _special.trigamma(x)
    _assert_same_special(ours, sc.polygamma(1, x))
    assert np.all(np.isposinf(ours[:7]))      # poles, and -inf as scipy
    assert ours[7] == 0.0                     # psi'(x) ~ 1/x -> 0


# ---------------------------------------------------------------- log1pexp


def test_log1pexp_vs_logaddexp():
    # Include the branch cut-offs -37, 18 and 33.3 of the implementation.
    cuts = [c + k * np.spacing(c) for c in (-37.0, 18.0, 33.3) for k in range(-50, 51)]
    x = np.concatenate([np.linspace(-708.0, 750.0, 200001), np.linspace(-40, 40, 80001), cuts])
    _assert_rel(_special.log1pexp(x), np.logaddexp(0.0, x), RTOL)


def test_log1pexp_vs_mpmath():
    mp = pytest.importorskip("mpmath")
    x = np.concatenate([np.linspace(-60, 60, 2401),
                        [c + k * np.spacing(c) for c in (-37.0, 18.0, 33.3) for k in (-1, 0, 1)]])
    with mp.workdps(40):
        ref = np.array([float(mp.log1p(mp.exp(mp.mpf(float(v))))) for v in x])
    _assert_rel(_special.log1pexp(x), ref, MP_RTOL)


def test_log1pexp_extremes():
    # Far left log(1 + e^x) = e^x to double precision (also when subnormal);
    # far right it is x: no overflow where exp(x) would overflow.
    x = np.linspace(-745.0, -40.0, 1001)
    assert_allclose(_special.log1pexp(x), np.exp(x), rtol=1e-15, atol=5e-324)
    x = np.array([40.0, 710.0, 1e5, 1e300, np.finfo(float).max])
    assert_array_equal(_special.log1pexp(x), x)
    out = _special.log1pexp([-np.inf, np.inf, np.nan, 0.0])
    assert out[0] == 0.0 and np.isposinf(out[1]) and np.isnan(out[2])
    assert out[3] == math.log(2.0)


# ---------------------------------------------------------------- xlogy


def test_xlogy_vs_scipy():
    rng = np.random.default_rng(3)
    x = rng.normal(size=20000) * 10.0 ** rng.uniform(-300, 300, 20000)
    y = np.abs(rng.normal(size=20000)) * 10.0 ** rng.uniform(-300, 300, 20000)
    _assert_rel(_special.xlogy(x, y), sc.xlogy(x, y), RTOL)


def test_xlogy_zero_convention_matches_scipy():
    x = np.array([0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, np.nan, 1.0, -1.0, 0.0])
    y = np.array([0.0, 0.0, np.inf, -1.0, 7.0, np.nan, 0.0, -1.0, 1.0, np.inf, 0.0, -np.inf])
    ours = _special.xlogy(x, y)
    assert_array_equal(ours, sc.xlogy(x, y))
    # 0 log 0 = 0 (and 0 log y = 0 for any non-nan y), but 0 log nan = nan.
    assert_array_equal(ours[:5], 0.0)
    assert np.isnan(ours[5]) and np.isneginf(ours[6]) and np.isposinf(ours[10])


def test_xlogy_broadcasts():
    x = np.array([[0.0], [1.0], [2.5]])
    y = np.array([0.5, 1.0, 4.0, 0.0])
    out = _special.xlogy(x, y)
    assert out.shape == (3, 4)
    assert_allclose(out, sc.xlogy(x, y), rtol=RTOL)


# ---------------------------------------------------------------- wrappers


@pytest.mark.parametrize("name", ["lgamma", "digamma", "trigamma", "log1pexp"])
def test_wrappers_keep_shape_and_accept_any_input(name):
    f = getattr(_special, name)
    x2 = np.linspace(0.25, 6.0, 24).reshape(4, 6)
    out = f(x2)
    assert out.shape == (4, 6) and out.dtype == np.float64
    flat = f(x2.ravel())
    assert_array_equal(out.ravel(), flat)
    # Non-contiguous, read-only and integer input; scalars give 0-d arrays.
    assert_array_equal(f(x2[:, ::2]), out[:, ::2])
    ro = x2.copy()
    ro.flags.writeable = False
    assert_array_equal(f(ro), out)
    assert_array_equal(f([1, 2, 3]), f([1.0, 2.0, 3.0]))
    s = f(2.5)
    assert isinstance(s, np.ndarray) and s.shape == () and s.dtype == np.float64
    assert s == f(np.array([2.5]))[0]
    assert f(np.empty((0, 3))).shape == (0, 3)


def test_log_minus_digamma_keeps_relative_accuracy_for_large_x():
    # log(x) - psi(x) ~ 1/(2x): the difference of the two functions loses
    # digits as x grows; the dedicated function must not
    mp = pytest.importorskip("mpmath")
    x = np.geomspace(1e-3, 1e15, 400)
    got = _special.log_minus_digamma(x)
    with mp.workdps(40):
        want = np.array([float(mp.log(mp.mpf(v)) - mp.digamma(mp.mpf(v))) for v in x])
    assert_allclose(got, want, rtol=4e-15)
    assert np.isnan(_special.log_minus_digamma([0.0, -1.0, np.nan])).all()
