"""``rayleigh(loc, scale)``: closed-form scale with loc fixed, Newton with loc free."""
import math

import numpy as np

from .. import _onesided
from .._config import resolve_n_threads
from ._onesided import OneSidedFamily


def _small_free_loc_fit(x):
    """(loc, scale) for small unweighted data, or None (then the driver fits).

    The profile likelihood's stationarity condition in ``loc`` (scale
    profiled out, ``scale**2 = sum(y**2) / (2 n)``, ``y = x - loc``) is
        f(loc) = 2 n sum(y) / sum(y**2) - sum(1 / y) = 0,
    negative as ``loc -> min(x)`` and positive far below: a safeguarded
    Newton iteration in ``u = log(min(x) - loc)`` on a sign bracket finds the
    root with a few numpy passes over at most ``quick_rows`` values -- what
    scipy's own override does with a bracketing root finder, without the
    general driver's fixed cost that dominates at N = 100.
    """
    xd = np.asarray(x, dtype=np.float64)
    n = xd.shape[0]
    if n < 2 or not np.isfinite(xd).all():
        return None
    mn = float(xd.min())
    sd = float(xd.std())
    if not (sd > 0 and math.isfinite(sd)):
        return None

    def f_and_slope(u):
        g = math.exp(u)
        y = xd - (mn - g)
        s1, s2 = float(y.sum()), float(np.dot(y, y))
        iy = 1.0 / y
        sinv, sinv2 = float(iy.sum()), float(np.dot(iy, iy))
        f = 2.0 * n * s1 / s2 - sinv
        # d f / d loc, times d loc / d u = -g
        dfdloc = 2.0 * n * (2.0 * s1 * s1 - n * s2) / (s2 * s2) - sinv2
        return f, -g * dfdloc, s2

    # moment start: the mean is loc + 1.2533 scale, the sd 0.6551 scale
    scale0 = sd / 0.6551363775620336
    gap0 = float(xd.mean()) - 1.2533141373155003 * scale0
    gap0 = mn - gap0 if gap0 < mn else 0.05 * sd
    u = math.log(gap0)
    lo = hi = None          # u with f < 0 (too close), u with f > 0 (too far)
    for _ in range(100):
        f, df, s2 = f_and_slope(u)
        if not (math.isfinite(f) and math.isfinite(df)):
            return None
        if f < 0:
            lo = u if lo is None else max(lo, u)
        else:
            hi = u if hi is None else min(hi, u)
        step = -f / df if df != 0 else math.inf
        u_new = u + max(min(step, 2.0), -2.0)
        if lo is not None and hi is not None and not lo < u_new < hi:
            u_new = 0.5 * (lo + hi)
        if abs(u_new - u) <= 1e-13 * max(1.0, abs(u)) or (lo is not None and hi is not None
                                                            and hi - lo <= 1e-13 * max(1.0, abs(u))):
            g = math.exp(u_new)
            loc = mn - g
            y = xd - loc
            return loc, math.sqrt(float(np.dot(y, y)) / (2.0 * n))
        u = u_new
    return None


class Rayleigh(OneSidedFamily):
    """Rayleigh distribution, ``scipy.stats.rayleigh`` parametrization.

    Density ``y / scale**2 * exp(-y**2 / (2 scale**2))`` for ``y = x - loc > 0``.
    With ``loc`` fixed the scale MLE is ``sqrt(sum(y**2) / (2 n))``: one
    pass (sums of squares about ``loc`` and the minimum together). With ``loc`` free the likelihood
    vanishes at ``loc -> min(x)`` (the density is 0 there), so the maximum is
    regular; Newton runs in ``log(min(x) - loc)`` on the family kernel.
    """

    name = "rayleigh"

    #: free-loc fits of at most this many rows take the small-data path
    quick_rows = 4096

    def _quick_fit(self, x, kwds, n_threads):
        if not kwds:
            return _small_free_loc_fit(x) if x.shape[0] <= self.quick_rows else None
        floc = kwds.get("floc")
        if set(kwds) != {"floc"} or not isinstance(floc, (int, float)) or not math.isfinite(floc):
            return None
        out = _onesided.min_and_square_sums(x, float(floc), resolve_n_threads(n_threads))
        # sums about floc itself: sum (x - floc)**2 without cancellation
        if out is None or not out[3] > floc:
            return None         # the validating path explains
        return floc, math.sqrt(out[2] / (2.0 * out[0]))

    def _initial_at(self, ctx, loc, spec):
        s = ctx.summary
        if "scale" in spec.fixed:
            return (), spec.fixed["scale"]
        ms = ctx.sum_sq_about(loc) / s.sum_w if "loc" in spec.fixed else s.var + (s.mean - loc) ** 2
        return (), math.sqrt(0.5 * ms)

    _has_closed_form = True

    def _closed_form(self, ctx, p, spec):
        if "scale" in spec.fixed or "loc" not in spec.fixed:
            return {}
        return {"scale": math.sqrt(0.5 * ctx.sum_sq_about(p[0]) / ctx.summary.sum_w)}

    def _std_moments(self, shapes):
        v = 4.0 - math.pi
        return (math.sqrt(math.pi / 2.0), v / 2.0, 2.0 * (math.pi - 3.0) * math.sqrt(math.pi) / v ** 1.5,
                6.0 * math.pi / v - 16.0 / v ** 2)


rayleigh = Rayleigh()
