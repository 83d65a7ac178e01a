"""``rayleigh(loc, scale)``: closed-form scale with loc fixed, Newton with loc free."""
import math

from .. import _onesided
from .._config import threads_for
from ._onesided import OneSidedFamily, free_loc_prologue


def _free_loc_fit(x, n_threads, sub_rows=1 << 15):
    """(loc, scale) for unweighted data, or None (then the driver fits).

    With the scale profiled out (``scale**2 = sum(y**2) / (2 n)``, ``y = x -
    loc``) the likelihood is stationary in ``loc`` where
        f(loc) = 2 n sum(y) / sum(y**2) - sum(1 / y) = 0,
    negative as ``loc -> min(x)`` and positive far below. A safeguarded
    Newton iteration in ``u = log(min(x) - loc)`` on a sign bracket finds the
    root; each iteration is one lean pass (``_onesided.power_sums``, sums of
    y, y**2, 1/y, 1/y**2 about the current loc, so no cancellation). Large
    data start from the same root on a strided subsample. scipy's override
    solves the same equation with a bracketing root finder over numpy passes.
    """
    first = free_loc_prologue(x, n_threads, sub_rows, _free_loc_fit, 0, 2)
    if first is None:
        return None
    n, mean, sd, mn, gap0 = first
    if gap0 is None:
        # moment start: the mean is loc + 1.2533 scale, the sd 0.6551 scale
        loc0 = mean - 1.2533141373155003 * sd / 0.6551363775620336
        gap0 = mn - loc0 if loc0 < mn else 0.05 * sd
    u = math.log(gap0)
    lo = hi = None          # u with f < 0 (too close), u with f > 0 (too far)
    for _ in range(100):
        loc = mn - math.exp(u)
        ps = _onesided.power_sums(x, loc, n_threads)
        if ps is None or not loc < mn:
            return None
        _, t1, t2, tinv, tinv2, _ = ps
        f = 2.0 * n * t1 / t2 - tinv
        # d f / d loc, times d loc / d u = -(min - loc)
        df = -(mn - loc) * (2.0 * n * (2.0 * t1 * t1 - n * t2) / (t2 * t2) - tinv2)
        if not (math.isfinite(f) and math.isfinite(df)):
            return None
        if f < 0:
            lo = u if lo is None else max(lo, u)
        else:
            hi = u if hi is None else min(hi, u)
        step = -f / df if df != 0 else math.inf
        if abs(step) <= 1e-7 and df > 0:      # f rises through its root (a profile maximum)
            # Newton converges quadratically: after a step this small the
            # error is ~1e-14 in u. Take it without another pass; the sums
            # of y and y**2 move analytically with loc.
            delta = (mn - math.exp(u + step)) - loc
            t2 = t2 - 2.0 * delta * t1 + n * delta * delta
            return loc + delta, math.sqrt(t2 / (2.0 * n))
        u_new = u + max(min(step, 2.0), -2.0)
        if lo is not None and hi is not None and not lo < u_new < hi:
            u_new = 0.5 * (lo + hi)
        # a step this small moves loc by ~1e-13 of the gap: (loc, its
        # profiled scale) is the root to rounding
        if abs(u_new - u) <= 1e-13 or (lo is not None and hi is not None and hi - lo <= 1e-13):
            return loc, math.sqrt(t2 / (2.0 * n))
        u = u_new
    return None


class Rayleigh(OneSidedFamily):
    """Rayleigh distribution, ``scipy.stats.rayleigh`` parametrization.

    Density ``y / scale**2 * exp(-y**2 / (2 scale**2))`` for ``y = x - loc > 0``.
    With ``loc`` fixed the scale MLE is ``sqrt(sum(y**2) / (2 n))``: one
    pass (sums of squares about ``loc`` and the minimum together). With ``loc`` free the likelihood
    vanishes at ``loc -> min(x)`` (the density is 0 there), so the maximum is
    regular. Unweighted data without other keywords take a 1-D root finder
    on the profile equation (one lean pass per iteration); otherwise Newton
    runs in ``log(min(x) - loc)`` on the family kernel.
    """

    name = "rayleigh"

    def _passes_per_iteration(self, spec):
        # with loc fixed (or at min(x)) the start is the closed-form MLE and
        # Newton only confirms it: a subsample warm start would be wasted
        return "loc" not in spec.fixed and "scale" not in spec.fixed

    def _quick_fit(self, x, kwds, n_threads):
        if not kwds:
            return _free_loc_fit(x, threads_for(x.shape[0], n_threads))
        floc = kwds.get("floc")
        if set(kwds) != {"floc"} or not isinstance(floc, (int, float)) or not math.isfinite(floc):
            return None
        out = _onesided.min_and_square_sums(x, float(floc), threads_for(x.shape[0], n_threads))
        # sums about floc itself: sum (x - floc)**2 without cancellation
        if out is None or not out[3] > floc:
            return None         # the validating path explains
        return floc, math.sqrt(out[2] / (2.0 * out[0]))

    def _start_is_mle(self, spec):
        return True     # scale = sqrt(sum(y**2) / (2 n))

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
