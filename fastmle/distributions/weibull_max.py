"""``weibull_max(c, loc, scale)``: the mirror of weibull_min, on the family kernel."""
import math

import numpy as np

from .. import _special
from ._locfree import WEIBULL_SKEW_FREE_C
from ._onesided import OneSidedFamily, gap_quantile, _Context
from ._charts import CHARTS

# log(-log(1/4)) - log(-log(3/4)): the log ratio of a standard Weibull's
# upper and lower quartiles, times c
_QUARTILE_LOG_RATIO = math.log(math.log(4.0)) - math.log(math.log(4.0 / 3.0))


#: With every parameter free and a start shape above this, the fit runs in
#: the limit chart (genextreme with c_gev = 1/c >= 0) where the right-skewed
#: Gumbel limit c -> inf is an ordinary point (see ``_charts``); not where
#: loc starts within CHART_EDGE_GAP standard deviations of max(x), where the
#: support's edge, not the limit, shapes the likelihood.
CHART_ABOVE_C = 2.0
CHART_EDGE_GAP = 0.1

class WeibullMax(OneSidedFamily):
    """Weibull maximum distribution, ``scipy.stats.weibull_max`` parametrization.

    ``X`` is weibull_max(c, loc, scale) when ``-X`` is weibull_min(c, -loc,
    scale): density ``c u**(c-1) exp(-u**c)`` of ``u = (loc - x) / scale >
    0``. The family kernel evaluates it on the data as they are (no
    reflected copy). Each Newton iteration is one pass. A free ``loc`` stays
    above ``max(x)`` (coordinate ``log(loc - max(x))`` while the shape may
    be below 2) and, for ``c < 1`` where the density is unbounded at
    ``loc -> max(x)``, the interior optimum is compared with that edge
    (the driver's messages then speak of ``min(x)``: read ``max(x)``).
    scipy fits weibull_max with Nelder-Mead; fastmle's Newton is exact.
    """

    name = "weibull_max"
    shapes = ("c",)
    positive = ("c",)
    mirrored = True
    edge_shape = 0
    skew_free_shape = WEIBULL_SKEW_FREE_C

    def _constant(self, shapes):
        c = shapes[0]
        return math.log(c), np.array([1.0 / c]), np.array([[-1.0 / (c * c)]])

    def _initial_at(self, ctx, loc, spec):
        u25, u75 = gap_quantile(ctx, loc, 0.25, True), gap_quantile(ctx, loc, 0.75, True)
        u63 = gap_quantile(ctx, loc, _Context.QS[3], True)
        if "c" in spec.fixed:
            c = spec.fixed["c"]
        elif u75 > u25 > 0:
            c = _QUARTILE_LOG_RATIO / math.log(u75 / u25)
        else:
            c = 1.0
        scale = spec.fixed.get("scale", u63 if u63 > 0 else math.sqrt(ctx.summary.var))
        return (c,), scale

    def _limit_chart(self, start, data, spec=None):
        s = data.scan()
        far = start[1] - s.max > CHART_EDGE_GAP * math.sqrt(s.var)
        return CHARTS["weibull_max"] if start[0] >= CHART_ABOVE_C and far else None

    def _fixed_loc_candidates(self, ctx, spec):
        q = ctx.quantiles()
        fc, fscale = spec.fixed.get("c"), spec.fixed.get("scale")
        if fscale is not None:      # P(x < loc - scale) = exp(-1) for every c
            return (q[_Context.QS[4]] + fscale,)
        if fc is not None and q[0.75] > q[0.25]:
            # (loc - x25) / (loc - x75) is the ratio of a Weibull's upper and lower quartiles
            r = math.exp(_QUARTILE_LOG_RATIO / fc)
            return ((r * q[0.75] - q[0.25]) / (r - 1.0),)
        return ()

    def _std_moments(self, shapes):
        c = shapes[0]
        g = [math.exp(_special.lgamma(1.0 + k / c)) for k in (1, 2, 3, 4)]
        var = g[1] - g[0] ** 2
        m3 = g[2] - 3 * g[0] * g[1] + 2 * g[0] ** 3
        m4 = g[3] - 4 * g[0] * g[2] + 6 * g[0] ** 2 * g[1] - 3 * g[0] ** 4
        # mirrored: mean and skewness change sign
        return -g[0], var, -m3 / var ** 1.5, m4 / var ** 2 - 3.0


weibull_max = WeibullMax()
