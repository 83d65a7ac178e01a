"""``lomax(c, loc, scale)`` (Pareto II) on the family kernel."""
import math

import numpy as np

from ._onesided import OneSidedFamily, gap_quantile

_LOG2 = math.log(2.0)


class Lomax(OneSidedFamily):
    """Lomax (Pareto II) distribution, ``scipy.stats.lomax`` parametrization.

    Density of ``z = (x - loc) / scale >= 0``: ``c / (1 + z)**(c+1)``. It
    decreases away from ``loc``, so for any ``c`` and ``scale`` the
    likelihood increases with ``loc`` up to ``min(x)``: a free ``loc`` is
    set there (a boundary estimate) and ``(c, scale)`` are fitted by Newton
    (one pass per iteration). Start values come from the median and upper
    quartile (``q75 / q50 - 1 = 2**(1/c)``).

    Data lighter-tailed than an exponential have no finite MLE (the
    likelihood rises towards the exponential limit ``c, scale -> inf`` with
    ``scale / c`` fixed); the fit then reports non-convergence.
    """

    name = "lomax"
    shapes = ("c",)
    positive = ("c",)
    closed_support = True
    loc_at_bound = True

    def _constant(self, shapes):
        c = shapes[0]
        return math.log(c), np.array([1.0 / c]), np.array([[-1.0 / (c * c)]])

    def _initial_at(self, ctx, loc, spec):
        y50, y75 = gap_quantile(ctx, loc, 0.5), gap_quantile(ctx, loc, 0.75)
        if not y50 > 0:         # ties at loc: the mean gap stands in for the median
            y50 = max(ctx.summary.mean - loc, math.sqrt(ctx.summary.var), 1e-300)
            y75 = 2.5 * y50
        fc, fscale = spec.fixed.get("c"), spec.fixed.get("scale")
        if fc is not None:
            c = fc
        elif fscale is not None:
            c = _LOG2 / math.log1p(y50 / fscale)
        elif y75 / y50 > 2.0 + 1e-3:
            c = _LOG2 / math.log(y75 / y50 - 1.0)
        else:                   # close to exponential: a large c
            c = 50.0
        scale = fscale if fscale is not None else y50 / math.expm1(_LOG2 / c)
        return (c,), scale

    def _limit_message(self, params, spec):
        c = params[0]
        if "c" in spec.fixed or "scale" in spec.fixed or not c > 1e6:
            return None
        return ("no finite maximum: the data are lighter-tailed than any lomax, and the likelihood "
                "rises towards the exponential limit (c and scale -> inf with scale / c -> the mean "
                "excess over loc); the estimate is a point far along that ridge")

    def _mm_start(self, data, summary, spec):
        # k matched raw moments (k free parameters) exist only for c > k:
        # from a maximum likelihood start below that (heavier sample tails)
        # the moment equations could not be evaluated, so c starts just
        # inside, with the scale keeping the mean excess scale / (c - 1)
        start = list(super()._mm_start(data, summary, spec))
        k = len(self.param_names) - len(spec.fixed)
        if "c" not in spec.fixed and "c" not in spec.guesses and not start[0] > k:
            if "scale" not in spec.fixed and start[0] > 1:
                start[2] *= k / (start[0] - 1.0)
            start[0] = k + 1.0
        return start

    def _std_moments(self, shapes):
        c = shapes[0]
        mean = 1.0 / (c - 1.0) if c > 1 else math.inf
        var = c / ((c - 1.0) ** 2 * (c - 2.0)) if c > 2 else math.inf
        skew = 2.0 * (1.0 + c) / (c - 3.0) * math.sqrt((c - 2.0) / c) if c > 3 else math.nan
        kurt = 6.0 * (c ** 3 + c ** 2 - 6.0 * c - 2.0) / (c * (c - 3.0) * (c - 4.0)) if c > 4 else math.nan
        return mean, var, skew, kurt


lomax = Lomax()
