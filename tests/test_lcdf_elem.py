"""Closed-form cdfs (NAME_lcdf) of cauchy, laplace, pareto, lomax, fisk,
genextreme, genpareto, rayleigh, weibull_max, geom and uniform, and the
censored fits they make possible.

- log F and log S against scipy's logcdf/logsf over wide grids of points and
  shapes, and against mpmath far in both tails (z up to 1e300) and through
  the shape's sign change of genextreme and genpareto (c = 0, |c| < 1e-8);
- gradient and Hessian in (shapes, z) against finite differences of scipy's
  logcdf/logsf, and against mpmath's derivatives far in the tails;
- censored fits (right- and interval-censored, free and fixed loc) never
  worse than scipy's censored fit, closed forms where they exist, and the
  fits that have no Newton coordinates (laplace's loc, pareto's and
  uniform's support ends) checked for local optimality.
"""
import math
import warnings

import numpy as np
import pytest
import scipy.stats as st
from scipy.optimize import minimize, minimize_scalar

import fastmle
from fastmle._censored import as_censored
from fastmle.distributions._natural import lcdf, natural_sums

mp = pytest.importorskip("mpmath")

# shapes over each family's range, extremes included
SHAPES = {
    "cauchy": [()], "laplace": [()], "rayleigh": [()], "uniform": [()],
    "weibull_max": [(0.3,), (1.0,), (4.5,)],
    "fisk": [(0.2,), (1.0,), (7.0,)],
    "lomax": [(0.05,), (1.0,), (30.0,)],
    "pareto": [(0.1,), (2.0,), (50.0,)],
    "genpareto": [(-2.0,), (-0.5,), (-1e-9,), (0.0,), (1e-12,), (0.3,), (3.0,)],
    "genextreme": [(-2.0,), (-0.5,), (-1e-9,), (0.0,), (1e-12,), (0.3,), (3.0,)],
    "geom": [(1e-6,), (0.3,), (0.99,)],
    # the other fm_log1mexp users
    "expon": [()], "weibull_min": [(0.3,), (1.7,)], "gumbel_r": [()],
}
NAMES = sorted(SHAPES)
LOC, SCALE = 0.3, 1.7


def _params(name, shapes):
    return list(shapes) + ([0.0] if fastmle.distributions.REGISTRY[name].discrete else [LOC, SCALE])


# -- an mpmath reference, written in logs so that no huge power is formed ------
NINF = -mp.inf


def _log1mexp(u):
    """log(1 - e^{-u}) at 60 digits"""
    if u <= 0:
        return NINF
    if u > 1:
        e = mp.exp(-u)
        return -e - e ** 2 / 2 - e ** 3 / 3 if e < mp.mpf(10) ** -20 else mp.log(1 - e)
    return mp.log(-mp.expm1(-u))


def mp_value(name, z, shapes, upper):
    """mp_lcdf at 60 digits, as a float"""
    with mp.workdps(60):
        return _mp_float(mp_lcdf(name, z, shapes, upper))


def mp_lcdf(name, z, shapes, upper):
    """log F (log S with ``upper``) of the standardized variable (k for geom),
    at mpmath's working precision."""
    z = mp.mpf(z)
    sh = [mp.mpf(s) for s in shapes]
    zero = mp.mpf(0)
    if name in ("cauchy", "laplace"):
        t = z if upper else -z                      # both are log S(t), symmetric
        if name == "laplace":
            return -t - mp.log(2) if t >= 0 else mp.log1p(-mp.exp(t) / 2)
        if t > 0:
            return mp.log(mp.atan(1 / t)) - mp.log(mp.pi)
        return -mp.log(2) if t == 0 else mp.log1p(-mp.atan(-1 / t) / mp.pi)
    if name == "uniform":
        if z <= 0:
            return zero if upper else NINF
        if z >= 1:
            return NINF if upper else zero
        return mp.log1p(-z) if upper else mp.log(z)
    if name == "fisk":
        if z <= 0:
            return zero if upper else NINF
        y = sh[0] * mp.log(z) * (1 if upper else -1)  # -log(1 + e^y)
        return -(y + mp.log1p(mp.exp(-y))) if y > 0 else -mp.log1p(mp.exp(y))
    # the rest are exp(-u) in one tail, 1 - exp(-u) in the other
    f_is_exp = False
    if name in ("rayleigh", "expon", "weibull_min"):
        if z <= 0:
            return zero if upper else NINF
        u = {"rayleigh": z * z / 2, "expon": z}.get(name) if name != "weibull_min" else z ** sh[0]
    elif name == "gumbel_r":
        if -z > 1e5:
            return zero if upper else NINF
        u, f_is_exp = mp.exp(-z), True
    elif name == "weibull_max":
        if z >= 0:
            return NINF if upper else zero
        u, f_is_exp = (-z) ** sh[0], True
    elif name == "lomax":
        if z <= 0:
            return zero if upper else NINF
        u = sh[0] * mp.log1p(z)
    elif name == "pareto":
        if z <= 1:
            return zero if upper else NINF
        u = sh[0] * mp.log(z)
    elif name == "genpareto":
        c = sh[0]
        if z <= 0:
            return zero if upper else NINF
        if c < 0 and z >= -1 / c:
            return NINF if upper else zero
        u = mp.log1p(c * z) / c if c != 0 else z
    elif name == "genextreme":
        c = sh[0]
        if 1 - c * z <= 0:
            return (NINF if c > 0 else zero) if upper else (zero if c > 0 else NINF)
        M = mp.log1p(-c * z) / c if c != 0 else -z
        if M > 1e5:
            return zero if upper else NINF
        u, f_is_exp = mp.exp(M), True
    elif name == "geom":
        j = mp.floor(z)
        if j < 1:
            return zero if upper else NINF
        u = -j * mp.log1p(-sh[0])
    else:
        raise KeyError(name)
    if upper != f_is_exp:                           # the exp(-u) tail
        return -u
    return _log1mexp(u)


def _mp_float(v):
    return float(v) if mp.isfinite(v) else (-math.inf if v < 0 else math.inf)


# -- values --------------------------------------------------------------------
def _scipy_points(name, shapes):
    """x from scipy's quantiles 1e-10 .. 1 - 1e-10 (and their neighbours)"""
    d = getattr(st, name)
    p = _params(name, shapes)
    q = np.concatenate([np.logspace(-10, -1, 10), np.linspace(0.05, 0.95, 19), 1 - np.logspace(-1, -10, 10)])
    x = d.ppf(q, *p)
    return np.unique(x[np.isfinite(x)])


def _arbitrate(name, shapes, x, got, ref, upper):
    """Where scipy and fastmle differ by more than 1e-12, mpmath decides: at
    the standardized point either of them computes, fastmle must be right to
    2e-13 and scipy the one that is off. Returns how many points scipy lost."""
    lost = 0
    for i in np.flatnonzero(~np.isclose(got, ref, rtol=1e-12, atol=1e-12)):
        zs = [(x[i] - LOC) * (1.0 / SCALE), (x[i] - LOC) / SCALE]
        exact = [mp_value(name, z, shapes, upper) for z in zs]
        assert any(abs(got[i] - e) <= 2e-13 * abs(e) for e in exact), (shapes, upper, x[i], got[i], ref[i], exact)
        assert all(abs(ref[i] - e) > 1e-12 * abs(e) for e in exact)
        lost += 1
    return lost


@pytest.mark.parametrize("name", [n for n in NAMES if n != "geom"])
def test_values_match_scipy(name):
    """1e-12 relative (absolute near 0) wherever scipy itself is accurate;
    scipy loses digits in a few tails (pareto's logcdf near the support's
    start, fisk's logsf far up), where mpmath arbitrates."""
    d, sd = fastmle.distributions.REGISTRY[name], getattr(st, name)
    for shapes in SHAPES[name]:
        p = _params(name, shapes)
        x = _scipy_points(name, shapes)
        for upper, ref_fn in ((False, sd.logcdf), (True, sd.logsf)):
            got = lcdf(d, x, p, upper=upper)
            ref = ref_fn(x, *p)
            lost = _arbitrate(name, shapes, x, got, ref, upper)
            assert lost <= x.size // 4, (shapes, upper, lost)


def test_geom_values_match_scipy():
    k = np.array([0, 1, 2, 3, 5, 10, 100, 1000, 10 ** 5], dtype=float)
    for (p,) in SHAPES["geom"]:
        for upper, ref_fn in ((False, st.geom.logcdf), (True, st.geom.logsf)):
            got = lcdf(fastmle.geom, k, [p, 0.0], upper=upper)
            ref = ref_fn(k, p)
            np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12, err_msg=f"p={p} upper={upper}")
    # non-integers are read at their floor, as the cdf of counts is
    np.testing.assert_array_equal(lcdf(fastmle.geom, [2.7, -0.5], [0.3, 0.0]),
                                  lcdf(fastmle.geom, [2.0, -1.0], [0.3, 0.0]))


FAR = np.concatenate([-np.logspace(-300, 300, 41), [0.0], np.logspace(-300, 300, 41),
                      np.linspace(-5.0, 5.0, 21)])


@pytest.mark.parametrize("name", NAMES)
def test_far_tails_match_mpmath(name):
    d = fastmle.distributions.REGISTRY[name]
    z = np.floor(np.abs(FAR[::3])) + 1 if d.discrete else FAR
    for shapes in SHAPES[name]:
        p = list(shapes) + ([0.0] if d.discrete else [0.0, 1.0])
        for upper in (False, True):
            got = lcdf(d, z, p, upper=upper)
            ref = np.array([mp_value(name, zi, shapes, upper) for zi in z])
            assert np.array_equal(np.isinf(got), np.isinf(ref)), (shapes, upper, z[np.isinf(got) != np.isinf(ref)])
            fin = np.isfinite(ref)
            # exp(c log z) carries log's rounding times |c log z| <= ~700:
            # a few 1e-14 relative at the extremes, inherent in z^c
            np.testing.assert_allclose(got[fin], ref[fin], rtol=2e-13, atol=0,
                                       err_msg=f"{shapes} upper={upper}")


def test_named_tail_values():
    # cauchy: log S(1e300) = log(atan(1e-300) / pi) = -log(pi) - 300 log(10)
    for z in (1e300, 1.7e308):
        assert lcdf(fastmle.cauchy, [z], [0.0, 1.0], upper=True)[0] == pytest.approx(
            -math.log(math.pi) - math.log(z), rel=1e-15)
        assert lcdf(fastmle.cauchy, [-z], [0.0, 1.0])[0] == pytest.approx(
            -math.log(math.pi) - math.log(z), rel=1e-15)
    # and log F far up: log1p(-atan(1/z)/pi)
    assert lcdf(fastmle.cauchy, [1e10], [0.0, 1.0])[0] == pytest.approx(-1.0 / (math.pi * 1e10), rel=1e-12)
    # pareto and lomax heavy tails: log S = -b log z exactly
    assert lcdf(fastmle.pareto, [1e300], [0.5, 0.0, 1.0], upper=True)[0] == pytest.approx(-0.5 * 300 * math.log(10),
                                                                                            rel=1e-15)
    assert lcdf(fastmle.lomax, [1e300], [2.0, 0.0, 1.0], upper=True)[0] == pytest.approx(-2 * 300 * math.log(10),
                                                                                           rel=1e-15)
    # log F where F underflows: weibull_max near its end, rayleigh near 0
    assert lcdf(fastmle.weibull_max, [-1e-300], [2.0, 0.0, 1.0], upper=True)[0] == pytest.approx(
        2 * math.log(1e-300), rel=1e-15)
    assert lcdf(fastmle.rayleigh, [1e-200], [0.0, 1.0])[0] == pytest.approx(2 * math.log(1e-200) - math.log(2),
                                                                           rel=1e-15)
    # gumbel_r (c = 0 of genextreme) far up: log S = -z once e^{-z} underflows
    for name, p in (("gumbel_r", [0.0, 1.0]), ("genextreme", [0.0, 0.0, 1.0])):
        assert lcdf(fastmle.distributions.REGISTRY[name], [800.0], p, upper=True)[0] == -800.0


@pytest.mark.parametrize("name", ["genextreme", "genpareto"])
def test_shape_sign_change_is_smooth(name):
    """c = 0 exactly and |c| < 1e-8: the same value as the limit, to rounding,
    with no cancellation on either side."""
    d = fastmle.distributions.REGISTRY[name]
    z = np.array([0.01, 0.5, 2.0, 10.0, 40.0]) if name == "genpareto" else np.array([-3.0, -0.5, 0.5, 3.0, 30.0])
    for upper in (False, True):
        at0 = lcdf(d, z, [0.0, 0.0, 1.0], upper=upper)
        for c in (1e-300, -1e-300, 1e-15, -1e-15, 1e-9, -1e-9):
            got = lcdf(d, z, [c, 0.0, 1.0], upper=upper)
            ref = np.array([mp_value(name, zi, (c,), upper) for zi in z])
            # log S of the GEV is -exp(-u) with u = e^M ~ 20 at z = -3: M's
            # rounding times u
            np.testing.assert_allclose(got, ref, rtol=5e-14, atol=0, err_msg=f"c={c} upper={upper}")
            if abs(c) < 1e-200:
                np.testing.assert_array_equal(got, at0)


# -- derivatives -------------------------------------------------------------
def _one_row(d, x, upper):
    if upper:
        lo, hi = (x + 1.0 if d.discrete else x), np.inf         # counts: K >= x + 1 is K > x
    else:
        lo, hi = -np.inf, x
    return as_censored(fastmle.Censored(np.array([lo]), np.array([hi])))


def kernel_derivs(name, x, shapes, upper):
    """(value, gradient, Hessian) of NAME_lcdf in (shapes, z), read off the
    natural-parameter sums of one censored row at loc 0, scale 1 (there
    d/dloc = -d/dz exactly)."""
    d = fastmle.distributions.REGISTRY[name]
    m = len(shapes)
    _, ll, G, H, _ = natural_sums(d, _one_row(d, x, upper), _params_std(d, shapes))
    if d.discrete:
        return ll, G[:m], H[:m, :m]
    sign = np.ones(m + 1)
    sign[m] = -1.0
    return ll, G[:m + 1] * sign, H[:m + 1, :m + 1] * np.outer(sign, sign)


def _params_std(d, shapes):
    return list(shapes) + ([0.0] if d.discrete else [0.0, 1.0])


# moderate points (quantiles) per family, natural parameters as scipy has them
@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("geom", "uniform")])
def test_derivatives_match_scipy_finite_differences(name):
    d, sd = fastmle.distributions.REGISTRY[name], getattr(st, name)
    for shapes in SHAPES[name]:
        if name in ("genpareto", "genextreme") and abs(shapes[0]) > 1:
            continue      # scipy's own cdf is what is differenced: keep to |c| <= 1
        p = np.array(_params(name, shapes))
        x = sd.ppf([0.05, 0.3, 0.7, 0.95], *p)
        ends = np.array(sd.support(*p))
        for xi in x:
            # steps well inside the distance to the support's ends (the tails'
            # derivatives are checked against mpmath below)
            dist = np.min(np.abs(xi - ends[np.isfinite(ends)])) if np.isfinite(ends).any() else np.inf
            frac = min(1e-3, 0.02 * dist / SCALE)
            for upper in (False, True):
                ref_fn = sd.logsf if upper else sd.logcdf
                _, ll, g, H, _ = natural_sums(d, _one_row(d, xi, upper), p)
                assert ll == pytest.approx(float(ref_fn(xi, *p)), rel=1e-11, abs=1e-12)
                for i in range(len(p)):
                    h = frac * max(abs(p[i]), 0.1)

                    def f(t, i=i):
                        q = p.copy()
                        q[i] += t
                        return float(ref_fn(xi, *q))

                    fd = (f(-2 * h) - 8 * f(-h) + 8 * f(h) - f(2 * h)) / (12 * h)
                    fd2 = (-f(-2 * h) + 16 * f(-h) - 30 * f(0) + 16 * f(h) - f(2 * h)) / (12 * h * h)
                    scale = max(1.0, np.max(np.abs(g)))
                    assert g[i] == pytest.approx(fd, rel=1e-6, abs=1e-7 * scale), (shapes, xi, upper, i)
                    assert H[i, i] == pytest.approx(fd2, rel=1e-4, abs=1e-5 * max(1.0, np.max(np.abs(H))))
                    for j in range(i + 1, len(p)):
                        def gj(t, i=i, j=j):
                            q = p.copy()
                            q[i] += t
                            return natural_sums(d, _one_row(d, xi, upper), q)[2][j]

                        fdij = (gj(-2 * h) - 8 * gj(-h) + 8 * gj(h) - gj(2 * h)) / (12 * h)
                        assert H[i, j] == pytest.approx(fdij, rel=1e-6, abs=1e-7 * max(1.0, np.max(np.abs(H))))
                        assert H[j, i] == H[i, j]


TAIL_POINTS = {
    "default": [-1e30, -1e6, -30.0, -3.0, -1e-3, -1e-9, 1e-9, 1e-3, 0.5, 1.5, 3.0, 30.0, 1e6, 1e30],
    "geom": [1.0, 2.0, 7.0, 50.0, 1000.0],
}


@pytest.mark.parametrize("name", NAMES)
def test_tail_derivatives_match_mpmath(name):
    """Gradient and Hessian in (shapes, z) against mpmath's derivatives of
    the reference (80 digits), in both tails: no cancellation in the chain
    of log(1 - e^{-u}) where u is tiny or huge."""
    d = fastmle.distributions.REGISTRY[name]
    m = len(SHAPES[name][0])
    shapes_list = SHAPES[name][::2] if len(SHAPES[name]) > 3 else SHAPES[name]
    for shapes in shapes_list:
        for x in TAIL_POINTS["geom" if d.discrete else "default"]:
            if name == "genpareto" and shapes[0] < 0 and abs(x * shapes[0] + 1) < 1e-3:
                continue    # at the upper end
            for upper in (False, True):
                ll, g, H = kernel_derivs(name, x, shapes, upper)
                with mp.workdps(80):
                    v0 = mp_lcdf(name, x, shapes, upper)
                    if not mp.isfinite(v0) or v0 == 0:
                        assert ll == _mp_float(v0)
                        continue
                    k = m if d.discrete else m + 1
                    p0 = [mp.mpf(s) for s in shapes] + ([] if d.discrete else [mp.mpf(x)])
                    # steps relative to each coordinate, at least 1e-20: the
                    # differences then keep 40 of the 80 digits
                    step = [mp.mpf(10) ** -15 * max(abs(v), mp.mpf(10) ** -5) for v in p0]

                    def f(*q):
                        return mp_lcdf(name, x if d.discrete else q[m], q[:m], upper)

                    def deriv(o):
                        # central differences on the coordinates in o (orders 1 or 2)
                        idx = [i for i in range(k) for _ in range(o[i])]
                        total = mp.mpf(0)
                        signs = [(1,), (-1,)] if len(idx) == 1 else [(1, 1), (1, -1), (-1, 1), (-1, -1)]
                        for sg in signs:
                            q = list(p0)
                            for i, sgn in zip(idx, sg):
                                q[i] += sgn * step[i]
                            total += mp.fprod(sg) * f(*q)
                        den = 2 * step[idx[0]] if len(idx) == 1 else 4 * step[idx[0]] * step[idx[1]]
                        return float(total / den)

                    for a in range(k):
                        o = [0] * k
                        o[a] = 1
                        ref = deriv(o)
                        assert g[a] == pytest.approx(ref, rel=1e-11, abs=1e-13 * abs(float(v0)) + 1e-300), \
                            (shapes, x, upper, a)
                        for b in range(a, k):
                            o = [0] * k
                            o[a] += 1
                            o[b] += 1
                            ref = deriv(o) if a != b else _second(f, p0, a, step[a])
                            assert H[a, b] == pytest.approx(ref, rel=1e-10, abs=1e-12 * abs(float(v0)) + 1e-300), \
                                (shapes, x, upper, a, b)


def _second(f, p0, a, h):
    q_plus, q_minus = list(p0), list(p0)
    q_plus[a] += h
    q_minus[a] -= h
    return float((f(*q_plus) - 2 * f(*p0) + f(*q_minus)) / (h * h))


# -- censored fits -------------------------------------------------------------
FIT_PARAMS = {"cauchy": (0.5, 2.0), "laplace": (0.5, 2.0), "pareto": (3.0, 0.5, 2.0), "lomax": (3.0, 0.5, 2.0),
              "fisk": (3.0, 0.5, 2.0), "genextreme": (-0.2, 0.5, 2.0), "genpareto": (0.2, 0.5, 2.0),
              "rayleigh": (0.5, 2.0), "weibull_max": (1.7, 0.5, 2.0), "uniform": (0.5, 2.0)}


def censored_nll(name, p, lo, hi):
    """scipy's censored negative log-likelihood (as its censored fit has it)"""
    d = getattr(st, name)
    ex = lo == hi
    left = np.isneginf(lo) & ~ex
    right = np.isposinf(hi) & ~ex
    iv = ~ex & ~left & ~right
    with np.errstate(all="ignore"):
        ll = (d.logpdf(lo[ex], *p).sum() + d.logcdf(hi[left], *p).sum() + d.logsf(lo[right], *p).sum()
              + np.log(d.cdf(hi[iv], *p) - d.cdf(lo[iv], *p)).sum())
    return -float(ll)


def censored_sample(name, kind, n, seed):
    """right: type-I censoring at the 70% quantile (ties there) plus random
    censoring times, some below loc; interval: rounding to bins of a quarter
    standard deviation, with some left-censored rows."""
    rng = np.random.default_rng(seed)
    x = getattr(st, name).rvs(*FIT_PARAMS[name], size=n, random_state=rng)
    lo, hi = x.copy(), x.copy()
    if kind == "right":
        c = np.quantile(x, 0.7)
        lo[x > c], hi[x > c] = c, np.inf
        r = (rng.random(n) < 0.15) & (x <= c)
        lo[r], hi[r] = x[r] * rng.random(r.sum()), np.inf
    else:
        w = 0.5 if name == "cauchy" else 0.25 * np.std(x)
        k = np.floor(x / w)
        iv = rng.random(n) < 0.6
        lo[iv], hi[iv] = k[iv] * w, (k[iv] + 1) * w
        left = (rng.random(n) < 0.1) & ~iv
        lo[left] = -np.inf
    return lo, hi


def scipy_censored(lo, hi):
    ex = lo == hi
    left = np.isneginf(lo) & ~ex
    right = np.isposinf(hi) & ~ex
    iv = ~ex & ~left & ~right
    return st.CensoredData(uncensored=lo[ex], left=hi[left], right=lo[right],
                           interval=np.column_stack([lo, hi])[iv])


@pytest.mark.parametrize("name", sorted(FIT_PARAMS))
@pytest.mark.parametrize("kind", ["right", "interval"])
@pytest.mark.parametrize("loc_fixed", [False, True])
def test_censored_fit_not_worse_than_scipy(name, kind, loc_fixed):
    lo, hi = censored_sample(name, kind, 150, 1)
    kw = {"floc": FIT_PARAMS[name][-2]} if loc_fixed else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = tuple(getattr(fastmle, name).fit(fastmle.Censored(lo, hi), **kw))
        theirs = getattr(st, name).fit(scipy_censored(lo, hi), **kw)
    if loc_fixed:
        assert ours[-2] == kw["floc"]
    a, b = censored_nll(name, ours, lo, hi), censored_nll(name, theirs, lo, hi)
    assert np.isfinite(a)
    assert a <= b + 1e-9 * abs(b), (ours, theirs, a, b)


def _polish(name, lo, hi, params, free):
    """Nelder-Mead from the estimate on scipy's censored nll: never better"""
    p = np.array(params, dtype=float)

    def f(v):
        q = p.copy()
        q[free] = v
        val = censored_nll(name, q, lo, hi)
        return val if np.isfinite(val) else 1e300

    res = minimize(f, p[free], method="Nelder-Mead", options=dict(xatol=1e-12, fatol=1e-13, maxiter=3000))
    a = censored_nll(name, p, lo, hi)
    assert res.fun >= a - 1e-10 * abs(a), (params, res.x, a, res.fun)


@pytest.mark.parametrize("name, fixed", [("laplace", {}), ("laplace", {"fscale": 2.0}), ("pareto", {}),
                                         ("pareto", {"floc": 0.5}), ("pareto", {"fscale": 2.0}),
                                         ("uniform", {}), ("uniform", {"floc": 0.5}),
                                         ("uniform", {"fscale": 2.5})])
@pytest.mark.parametrize("kind", ["right", "interval"])
def test_kinked_fits_are_local_maxima(name, fixed, kind):
    """laplace's loc, pareto's and uniform's support ends are not Newton
    coordinates (kinks, boundaries): no Nelder-Mead step from the estimate
    improves it."""
    lo, hi = censored_sample(name, kind, 150, 2)
    r = getattr(fastmle, name).fit(fastmle.Censored(lo, hi), **fixed)
    names = getattr(fastmle, name).param_names
    free = [i for i, n in enumerate(names) if "f" + n not in fixed]
    for n_, v in fixed.items():
        assert r[names.index(n_[1:])] == v
    _polish(name, lo, hi, tuple(r), free)


# closed forms of right-censored fits with loc fixed (type-I censoring at c)
def _type1(name, n, seed, q=0.7, params=None):
    rng = np.random.default_rng(seed)
    d = getattr(st, name)
    x = d.rvs(*(params or FIT_PARAMS[name]), size=n, random_state=rng)
    c = float(np.quantile(x, q))
    ex = x <= c
    lo = np.where(ex, x, c)
    hi = np.where(ex, x, np.inf)
    return x[ex], int((~ex).sum()), c, fastmle.Censored(lo, hi)


def test_closed_forms_of_right_censored_fits():
    # laplace, loc fixed below c: scale = (sum |x - loc| + R (c - loc)) / n_exact
    xe, R, c, data = _type1("laplace", 400, 3)
    scale = (np.abs(xe - 0.5).sum() + R * (c - 0.5)) / xe.size
    assert fastmle.laplace.fit(data, floc=0.5)[1] == pytest.approx(scale, rel=1e-10)
    # rayleigh: scale^2 = (sum (x - loc)^2 + R (c - loc)^2) / (2 n_exact)
    xe, R, c, data = _type1("rayleigh", 400, 4)
    scale = math.sqrt((((xe - 0.5) ** 2).sum() + R * (c - 0.5) ** 2) / (2 * xe.size))
    assert fastmle.rayleigh.fit(data, floc=0.5)[1] == pytest.approx(scale, rel=1e-10)
    # pareto: the support starts at min(x); b = n_exact / (sum log z + R log z_c)
    xe, R, c, data = _type1("pareto", 400, 5)
    b, loc, scale = fastmle.pareto.fit(data, floc=0.5)
    assert scale == pytest.approx(xe.min() - 0.5, rel=1e-15)
    assert b == pytest.approx(xe.size / (np.log((xe - 0.5) / scale).sum() + R * math.log((c - 0.5) / scale)),
                              rel=1e-10)
    # genpareto at c = 0 is the exponential: scale = (sum (x - loc) + R (c - loc)) / n_exact
    xe, R, c, data = _type1("genpareto", 400, 6, params=(0.0, 0.5, 2.0))
    scale = ((xe - 0.5).sum() + R * (c - 0.5)) / xe.size
    assert fastmle.genpareto.fit(data, f0=0.0, floc=0.5)[2] == pytest.approx(scale, rel=1e-10)
    # uniform with loc fixed: b = (n + R) c / n above max(x) (R/(b - c) = n_all/(b - loc) - ...)
    xe, R, c, data = _type1("uniform", 400, 7)
    top = 0.5 + (xe.size + R) * (c - 0.5) / xe.size
    assert sum(fastmle.uniform.fit(data, floc=0.5)) == pytest.approx(top, rel=1e-12)
    # geom, K >= c right-censored: p = n / (n + sum (k - 1) + R (c - 1))
    rng = np.random.default_rng(8)
    k = st.geom.rvs(0.3, size=500, random_state=rng).astype(float)
    c = 4.0
    lo, hi = np.where(k < c, k, c), np.where(k < c, k, np.inf)
    n = int((k < c).sum())
    p = n / (n + (k[k < c] - 1).sum() + (500 - n) * (c - 1))
    assert fastmle.geom.fit(fastmle.Censored(lo, hi))[0] == pytest.approx(p, rel=1e-10)


def test_geom_censored_fit_is_the_maximum():
    """scipy does not fit censored counts: a bounded scalar search on scipy's
    censored log-likelihood (K >= lo right-censored, lo <= K <= hi) instead."""
    rng = np.random.default_rng(0)
    k = st.geom.rvs(0.3, size=400, random_state=rng).astype(float)
    lo, hi = k.copy(), k.copy()
    u = rng.random(400)
    right = u < 0.3
    hi[right] = np.inf
    iv = (u >= 0.3) & (u < 0.5)
    lo[iv], hi[iv] = np.maximum(k[iv] - 1, 1), k[iv] + 2

    def nll(p):
        ex = lo == hi
        return -(st.geom.logpmf(lo[ex], p).sum() + st.geom.logsf(lo[right] - 1, p).sum()
                 + np.log(st.geom.cdf(hi[iv], p) - st.geom.cdf(lo[iv] - 1, p)).sum())

    ours = fastmle.geom.fit(fastmle.Censored(lo, hi))[0]
    best = minimize_scalar(nll, bounds=(1e-6, 1 - 1e-9), method="bounded", options=dict(xatol=1e-12))
    assert nll(ours) <= best.fun + 1e-12 * abs(best.fun)
    assert ours == pytest.approx(best.x, rel=1e-6)


def test_censored_edge_cases():
    # right-censored rows below a fixed loc say nothing (S = 1 there)
    for name in ("fisk", "lomax", "rayleigh"):
        lo, hi = censored_sample(name, "right", 150, 1)
        assert np.any(lo[np.isposinf(hi)] < 0.5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # lomax's sample runs to its exponential limit
            assert getattr(fastmle, name).fit(fastmle.Censored(lo, hi), floc=0.5)[-2] == 0.5
    # no finite maximum: every bounding row right-censored
    lo = np.array([0.1, 0.5, 0.9])
    with pytest.raises(ValueError, match="right-censored"):
        fastmle.uniform.fit(fastmle.Censored(lo, np.full(3, np.inf)))
    with pytest.raises(ValueError, match="right-censored"):
        fastmle.pareto.fit(fastmle.Censored(lo + 1, np.full(3, np.inf)))
    # fixed loc above the data
    with pytest.raises(ValueError, match="floc"):
        fastmle.uniform.fit(fastmle.Censored(np.array([0.1, 0.5]), np.array([0.1, np.inf])), floc=0.2)
    with pytest.raises(ValueError, match="floc"):
        fastmle.pareto.fit(fastmle.Censored(np.array([1.1, 1.5]), np.array([1.1, np.inf])), floc=1.2)


@pytest.mark.parametrize("name, seed, n, q", [("cauchy", 0, 20, 0.3), ("cauchy", 0, 200, 0.2),
                                              ("pareto", 0, 200, 0.2), ("fisk", 0, 20, 0.3)])
def test_heavy_type1_censoring_not_worse_than_scipy(name, seed, n, q):
    """Most rows censored at one point: their stand-ins are ties that make
    the start fit degenerate (cauchy raises on them, pareto runs to its
    exponential limit, fisk to its edge); the other starts find the maximum."""
    rng = np.random.default_rng(seed)
    x = getattr(st, name).rvs(*FIT_PARAMS[name], size=n, random_state=rng)
    c = np.quantile(x, q)
    lo, hi = np.where(x <= c, x, c), np.where(x <= c, x, np.inf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = tuple(getattr(fastmle, name).fit(fastmle.Censored(lo, hi)))
        theirs = getattr(st, name).fit(scipy_censored(lo, hi))
    a, b = censored_nll(name, ours, lo, hi), censored_nll(name, theirs, lo, hi)
    assert a <= b + 1e-9 * abs(b), (ours, theirs, a, b)
