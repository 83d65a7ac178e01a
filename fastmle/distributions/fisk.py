"""``fisk(c, loc, scale)`` (log-logistic) on the family kernel."""
import math

import numpy as np

from ._onesided import OneSidedFamily, gap_quantile
from ._charts import CHARTS


#: With every parameter free and a start shape above this, the fit runs in
#: the limit chart (loc + scale, scale / c, 1 / c) where the logistic limit
#: c -> inf is an ordinary point (see ``_charts``); not where loc starts
#: within CHART_EDGE_GAP standard deviations of min(x), where the support's
#: edge, not the limit, shapes the likelihood.
CHART_ABOVE_C = 4.0
CHART_EDGE_GAP = 0.1

class Fisk(OneSidedFamily):
    """Fisk (log-logistic) distribution, ``scipy.stats.fisk`` parametrization.

    Density of ``z = (x - loc) / scale > 0``: ``c z**(c-1) / (1 + z**c)**2``;
    ``log z`` is logistic with location ``0`` and scale ``1/c``. No
    sufficient statistics: each Newton iteration is one pass. Start values
    come from the sample quartiles (``log`` of their ratio is
    ``2 log(3) / c``; the median is the scale). With ``loc`` free and
    ``c < 1`` the density is unbounded at ``loc -> min(x)``: the driver
    compares the interior optimum with that edge.
    """

    name = "fisk"
    shapes = ("c",)
    positive = ("c",)
    edge_shape = 0

    def _constant(self, shapes):
        c = shapes[0]
        return math.log(c), np.array([1.0 / c]), np.array([[-1.0 / (c * c)]])

    def _initial_at(self, ctx, loc, spec):
        y25, y50, y75 = (gap_quantile(ctx, loc, p) for p in (0.25, 0.5, 0.75))
        scale = spec.fixed.get("scale", y50 if y50 > 0 else math.sqrt(ctx.summary.var))
        if "c" in spec.fixed:
            c = spec.fixed["c"]
        elif y75 > y25 > 0:
            c = 2.0 * math.log(3.0) / math.log(y75 / y25)
        else:       # ties at the quartiles
            c = 1.0
        return (c,), scale

    def _limit_chart(self, start, data, spec=None):
        s = data.scan()
        far = s.min - start[1] > CHART_EDGE_GAP * math.sqrt(s.var)
        return CHARTS["fisk"] if start[0] >= CHART_ABOVE_C and far else None

    def _fixed_loc_candidates(self, ctx, spec):
        q = ctx.quantiles()
        fc, fscale = spec.fixed.get("c"), spec.fixed.get("scale")
        if fscale is not None:      # the median is loc + scale
            return (q[0.5] - fscale,)
        if fc is not None and q[0.75] > q[0.25]:
            # quartiles of x - loc in the ratio 3**(2/c)
            r = math.exp(2.0 * math.log(3.0) / fc)
            return ((q[0.75] - r * q[0.25]) / (1.0 - r),)
        return ()

    def _std_moments(self, shapes):
        c = shapes[0]

        def raw(k):     # E z**k = (k pi / c) / sin(k pi / c), finite for k < c
            if k >= c:
                return math.inf
            b = k * math.pi / c
            return b / math.sin(b)

        m1, m2, m3, m4 = (raw(k) for k in (1, 2, 3, 4))
        var = m2 - m1 * m1 if c > 2 else math.inf
        skew = (m3 - 3 * m1 * m2 + 2 * m1 ** 3) / var ** 1.5 if c > 3 else math.nan
        kurt = (m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4) / var ** 2 - 3.0 if c > 4 else math.nan
        return m1, var, skew, kurt


fisk = Fisk()
