"""``invgauss(mu, loc, scale)``: closed forms with loc fixed, Newton with loc free."""
import math

import numpy as np

from .. import _gamma, _onesided
from .._config import threads_for
from ._onesided import OneSidedFamily, free_loc_prologue
from ._charts import CHARTS

_C0 = -0.5 * math.log(2.0 * math.pi)


def _inverse_excess(chunks, floc, n, s1, sinv):
    """``sum w (1/y - 1/ybar)`` (``y = x - floc``), the free scale's denominator.

    From the sums it is ``sinv - n / ybar``, which cancels when the spread is
    tiny against the distance from ``floc`` (data at 1e7 + noise with
    ``floc = 0``: 14 of 16 digits). Then it is recomputed as
    ``sum w (dbar - d) / y / ybar`` with ``d = x - x0`` about a data value
    ``x0``, where ``ybar - y = dbar - d`` carries no rounding of the large
    offset (one numpy pass, only in that case).
    """
    ybar = s1 / n
    ex = sinv - n / ybar
    if ex > 1e-6 * sinv:
        return ex
    x0 = float(chunks[0][0][0])
    sw = sd = 0.0
    for x, w in chunks:
        d = np.asarray(x, dtype=np.float64) - x0
        sw += d.shape[0] if w is None else float(np.sum(w))
        sd += float(np.sum(d if w is None else w * d))
    dbar = sd / sw
    tot = 0.0
    for x, w in chunks:
        xd = np.asarray(x, dtype=np.float64)
        t = (dbar - (xd - x0)) / (xd - floc)
        tot += float(np.sum(t if w is None else w * t))
    return tot / ybar


def _closed_form(n, s1, sinv, fmu=None, fscale=None, excess=None):
    """(mu, scale) maximizing the likelihood given the sufficient statistics
    ``n = sum w``, ``s1 = sum w y``, ``sinv = sum w / y`` (``y = x - loc``).

    In the usual (nu, lambda) parametrization (mean nu = mu scale, shape
    lambda = scale) the MLEs are nu = mean(y) and 1 / lambda = mean(1/y -
    1/nu); nu's does not depend on lambda, so a fixed scale gives mu =
    mean(y) / scale; a fixed mu makes the scale equation the quadratic
    ``sinv s**2 - n s - s1 / mu**2 = 0``.
    """
    if fmu is not None:
        return fmu, (n + math.sqrt(n * n + 4.0 * sinv * s1 / (fmu * fmu))) / (2.0 * sinv)
    ybar = s1 / n
    if fscale is not None:
        return ybar / fscale, fscale
    scale = n / (sinv - n / ybar if excess is None else excess)
    return ybar / scale, scale


def _free_loc_fit(x, n_threads, sub_rows=1 << 15):
    """(mu, loc, scale) for unweighted data, or None (then the driver fits).

    At a given loc the other parameters are the closed forms of
    :func:`_closed_form`; by the envelope theorem the profile likelihood's
    slope in loc is the likelihood's partial derivative there,
        g(loc) = 1.5 sum(1/y) + n / (2 scale mu**2) - scale sum(1/y**2) / 2,
    which tends to -inf as loc -> min(x). A bracketing secant (Illinois)
    iteration in ``u = log(min(x) - loc)`` finds its root, a maximum of the
    profile; each step is one lean pass (``_onesided.power_sums``). Large data
    start from the root on a strided subsample, small data from the moment
    estimate (an inverse Gaussian's skewness is 3 sd / (mean - loc)).
    """
    first = free_loc_prologue(x, n_threads, sub_rows, _free_loc_fit, 1, 3)
    if first is None:
        return None
    n, mean, sd, mn, gap0 = first
    if gap0 is None:
        xs = np.asarray(x[::max(1, int(n) // sub_rows)], dtype=np.float64)
        d = xs - xs.mean()
        m2 = float(np.dot(d, d)) / d.shape[0]
        skew = float(np.dot(d * d, d)) / d.shape[0] / m2 ** 1.5 if m2 > 0 else 0.0
        loc0 = mean - 3.0 * sd / skew if skew > 0 else mn - sd
        gap0 = mn - loc0 if loc0 < mn else 0.05 * sd

    def slope(u):
        loc = mn - math.exp(u)
        ps = _onesided.power_sums(x, loc, n_threads)
        if ps is None or not loc < mn:
            return None
        _, t1, _, tinv, tinv2, _ = ps
        if not tinv - n * n / t1 > 0:
            return None
        mu, scale = _closed_form(n, t1, tinv)
        return 1.5 * tinv + n / (2.0 * scale * mu * mu) - 0.5 * scale * tinv2, (mu, loc, scale)

    # bracket: g < 0 at small u (near min), g > 0 at large u
    u0 = math.log(gap0)
    a = slope(u0)
    if a is None:
        return None
    ua, ga = u0, a[0]
    step = 0.25 if ga < 0 else -0.25
    for _ in range(60):
        ub = ua + step
        b = slope(ub)
        if b is None:
            return None
        if (b[0] < 0) != (ga < 0):
            break
        ua, ga, a = ub, b[0], b
        step *= 2.0
    else:
        return None     # no sign change: the profile may rise towards loc -> -inf
    gb = b[0]
    side = 0
    u_prev = None
    for _ in range(100):
        # Illinois: regula falsi that halves a stale end's value
        uc = (ua * gb - ub * ga) / (gb - ga)
        c = slope(uc)
        if c is None:
            return None
        gc = c[0]
        # a change of 1e-11 in u moves loc by 1e-11 of its gap to min(x):
        # far below the estimate's statistical (and the likelihood's) resolution
        if gc == 0.0 or (u_prev is not None and abs(uc - u_prev) <= 1e-11):
            return c[1]
        u_prev = uc
        if (gc < 0) == (gb < 0):
            ub, gb = uc, gc
            if side == -1:
                ga *= 0.5
            side = -1
        else:
            ua, ga = uc, gc
            if side == 1:
                gb *= 0.5
            side = 1
    return None


#: With every parameter free and a start shape below this, the fit runs in
#: the limit chart (mean, sd, sqrt(mu)) where the normal limit mu -> 0 is an
#: ordinary point (see ``_charts``).
CHART_BELOW_MU = 1.0
#: the same from a warm start, see ``Invgauss._limit_chart``
CHART_BELOW_MU_WARM = 0.1

class Invgauss(OneSidedFamily):
    """Inverse Gaussian distribution, ``scipy.stats.invgauss`` parametrization.

    Density of ``z = (x - loc) / scale > 0``:
    ``exp(-(z/mu - 1)**2 / (2 z)) / sqrt(2 pi z**3)``. With ``loc`` fixed
    every fit is a closed form in ``sum y``, ``sum 1/y`` (``y = x - loc``):
    one pass (scipy uses the same formulas with ``mu`` free; with ``mu``
    fixed fastmle solves the scale's quadratic where scipy runs
    Nelder-Mead). With ``loc`` free the likelihood vanishes at
    ``loc -> min(x)`` (the ``-1/(2z)`` term), the maximum is regular and
    Newton runs in ``log(min(x) - loc)`` on the family kernel.
    """

    name = "invgauss"
    shapes = ("mu",)
    positive = ("mu",)

    def _passes_per_iteration(self, spec):
        # with loc fixed (or at min(x)) the start is the closed-form MLE and
        # Newton only confirms it: a subsample warm start would be wasted
        return "loc" not in spec.fixed

    def _quick_fit(self, x, kwds, n_threads):
        if not kwds:
            return _free_loc_fit(x, threads_for(x.shape[0], n_threads))
        floc = kwds.get("floc")
        keys = set(kwds) - {"floc"}
        if (not isinstance(floc, (int, float)) or not math.isfinite(floc) or len(keys) > 1
                or keys - {"f0", "fmu", "fix_mu", "fscale"}):
            return None
        other = kwds[next(iter(keys))] if keys else None
        if keys and not (isinstance(other, (int, float)) and 0 < other < math.inf):
            return None
        out = _onesided.power_sums(x, float(floc), threads_for(x.shape[0], n_threads))
        if out is None or not out[5] > floc:
            return None         # x <= floc or non-finite: the validating path explains
        n, s1, sinv = out[0], out[1], out[3]
        try:
            if keys == {"fscale"}:
                mu, scale = _closed_form(n, s1, sinv, fscale=other)
            elif keys:
                mu, scale = _closed_form(n, s1, sinv, fmu=other)
            else:
                mu, scale = _closed_form(n, s1, sinv, excess=_inverse_excess([(x, None)], floc, n, s1, sinv))
        except ZeroDivisionError:
            return None
        if not (0 < scale < math.inf and 0 < mu < math.inf):
            return None         # all observations equal: the validating path explains
        return (other if keys and keys != {"fscale"} else mu), floc, (other if keys == {"fscale"} else scale)

    def _constant(self, shapes):
        return _C0, np.zeros(1), np.zeros((1, 1))

    def _sufficient(self, ctx, loc):
        key = ("ig", loc)
        if key not in ctx._cache:
            s = ctx.data.reduce(_gamma.sums, float(loc), True)
            ctx._cache[key] = (float(s[0]), float(s[2]), float(s[3]))
        return ctx._cache[key]

    def _start_is_mle(self, spec):
        return True     # every fixed-loc case is a closed form

    def _initial_at(self, ctx, loc, spec):
        fmu, fscale = spec.fixed.get("mu"), spec.fixed.get("scale")
        if fmu is not None and fscale is not None:
            return (fmu,), fscale
        if "loc" in spec.fixed:
            n, s1, sinv = self._sufficient(ctx, loc)
            excess = None
            if fmu is None and fscale is None:
                excess = _inverse_excess(ctx.data.chunks, loc, n, s1, sinv)
                if not excess > 0:
                    raise ValueError("all observations are equal: the invgauss scale MLE is infinite")
            mu, scale = _closed_form(n, s1, sinv, fmu, fscale, excess)
            return (mu,), scale
        # moments at this loc: mean nu = mu scale, variance nu**3 / scale
        s = ctx.summary
        m = s.mean - loc
        v = s.var if s.var > 0 else (1e-3 * m) ** 2
        if fmu is not None:
            return (fmu,), m / fmu
        if fscale is not None:
            return (m / fscale,), fscale
        return (v / (m * m),), m ** 3 / v

    _has_closed_form = True

    def _closed_form(self, ctx, p, spec):
        if "loc" not in spec.fixed:
            return {}
        n, s1, sinv = self._sufficient(ctx, p[1])
        fmu, fscale = spec.fixed.get("mu"), spec.fixed.get("scale")
        excess = _inverse_excess(ctx.data.chunks, p[1], n, s1, sinv) if fmu is None and fscale is None else None
        mu, scale = _closed_form(n, s1, sinv, fmu, fscale, excess)
        out = {}
        if "mu" not in spec.fixed:
            out["mu"] = mu
        if "scale" not in spec.fixed:
            out["scale"] = scale
        return out

    def _limit_message(self, params, spec):
        mu = params[0]
        if "mu" in spec.fixed or not mu < 1e-6:
            return None
        return ("no finite maximum: the data are not right-skewed enough for an inverse Gaussian, "
                "and the likelihood rises towards its normal limit (mu -> 0, scale -> inf); the "
                "estimate is a point far along that ridge")

    def _limit_chart(self, start, data, spec=None):
        # The chart's pass costs ~1.5x a natural one: from a warm start (a
        # converged subsample fit) it pays only near the limit (1e6 rows:
        # mu = 0.5 takes 32 ms in the chart against 27, mu = 0.01 19 against 34)
        warm = spec is not None and spec.warm is not None
        return CHARTS["invgauss"] if start[0] <= (CHART_BELOW_MU_WARM if warm else CHART_BELOW_MU) else None

    def _std_moments(self, shapes):
        mu = shapes[0]
        return mu, mu ** 3, 3.0 * math.sqrt(mu), 15.0 * mu


invgauss = Invgauss()
