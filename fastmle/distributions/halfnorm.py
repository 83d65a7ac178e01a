"""``halfnorm(loc, scale)``: every fit is a closed form."""
import math

import numpy as np

from .. import _onesided
from .._config import threads_for
from ._onesided import OneSidedFamily

_C0 = 0.5 * math.log(2.0 / math.pi)


class Halfnorm(OneSidedFamily):
    """Half-normal distribution, ``scipy.stats.halfnorm`` parametrization.

    Density ``sqrt(2/pi) / scale * exp(-y**2 / (2 scale**2))`` for
    ``y = x - loc >= 0``. The density decreases away from ``loc``, so a free
    ``loc``'s MLE is ``min(x)`` (a boundary estimate, as in scipy), and the
    scale MLE at any ``loc`` is ``sqrt(mean(y**2))``: one pass in the
    usual cases, a second only when the first observation lies far
    from ``loc`` compared with the spread (cancellation).
    """

    name = "halfnorm"
    closed_support = True
    loc_at_bound = True

    def _passes_per_iteration(self, spec):
        # with loc fixed (or at min(x)) the start is the closed-form MLE and
        # Newton only confirms it: a subsample warm start would be wasted
        return False

    def _quick_fit(self, x, kwds, n_threads):
        if kwds and (set(kwds) != {"floc"} or not isinstance(kwds["floc"], (int, float))
                     or not math.isfinite(kwds["floc"])):
            return None
        nt = threads_for(x.shape[0], n_threads)
        floc = kwds.get("floc")
        shift = float(x[0]) if floc is None else float(floc)
        if not math.isfinite(shift):
            return None
        out = _onesided.min_and_square_sums(x, shift, nt)
        if out is None:
            return None
        n, s1, s2, lo = out
        loc = lo if floc is None else floc
        if not lo >= loc:
            return None
        d = shift - loc           # sum (x - loc)^2 = sum (x - shift + d)^2
        ss = s2 + 2.0 * d * s1 + n * d * d
        if d * d * n > 16.0 * ss:     # far shift: take the sum about loc itself
            ss = _onesided.min_and_square_sums(x, float(loc), nt)[2]
        if not (ss > 0 and math.isfinite(ss)):
            return None
        return loc, math.sqrt(ss / n)

    def _constant(self, shapes):
        return _C0, np.zeros(0), np.zeros((0, 0))

    def _start_is_mle(self, spec):
        return True     # scale = sqrt(mean(y**2))

    def _initial_at(self, ctx, loc, spec):
        if "scale" in spec.fixed:
            return (), spec.fixed["scale"]
        return (), math.sqrt(ctx.sum_sq_about(loc) / ctx.summary.sum_w)

    _has_closed_form = True

    def _closed_form(self, ctx, p, spec):
        if "scale" in spec.fixed:
            return {}
        return {"scale": math.sqrt(ctx.sum_sq_about(p[0]) / ctx.summary.sum_w)}

    def _std_moments(self, shapes):
        return (math.sqrt(2.0 / math.pi), 1.0 - 2.0 / math.pi,
                math.sqrt(2.0) * (4.0 - math.pi) / (math.pi - 2.0) ** 1.5,
                8.0 * (math.pi - 3.0) / (math.pi - 2.0) ** 2)


halfnorm = Halfnorm()
