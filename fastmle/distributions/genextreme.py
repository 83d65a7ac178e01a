"""``genextreme(c, loc, scale)``: generalized extreme value on the family kernel."""
import math

import numpy as np

from ._upper_edge import compare_upper_edge, repair_warm
from ._base import FitSpec
from ._family import LocScaleFamily

_EULER = 0.5772156649015329


# Nodes of the trapezoid rule for moments near c = 0 (see _moments_near_gumbel)
_Y = np.arange(-5.0, 60.0, 0.1)
_W = 0.1 * np.exp(-_Y - np.exp(-_Y))     # Gumbel density times the step


def _moments_near_gumbel(c):
    """Mean, variance, skewness and excess kurtosis of the standard GEV for
    small ``|c|``, where the Gamma-function formulas cancel (the k-th central
    moment is O(1) terms summing to O(c^k)).

    ``Z = -expm1(-c y) / c`` with ``y`` standard Gumbel is computed without
    cancellation, and the moments are integrals over ``y`` of a function
    analytic in a strip: the trapezoid rule with step 0.1 on [-5, 60] is
    accurate to rounding (tails below 1e-25).
    """
    z = -np.expm1(-c * _Y) / c if c != 0 else _Y.copy()
    mean = float(np.dot(_W, z))
    d = z - mean
    d2 = d * d
    var = float(np.dot(_W, d2))
    skew = float(np.dot(_W, d2 * d)) / var ** 1.5
    kurt = float(np.dot(_W, d2 * d2)) / var ** 2 - 3.0
    return mean, var, skew, kurt


class GenExtreme(LocScaleFamily):
    """Generalized extreme value distribution, ``scipy.stats.genextreme``
    parametrization (scipy's sign convention: ``c > 0`` is bounded above at
    ``loc + scale / c``, ``c < 0`` bounded below, ``c = 0`` is Gumbel).

    ``log g(z) = -(1 - c z)^(1/c) + (1/c - 1) log(1 - c z)``. The C density
    is one smooth expression across ``c = 0`` (``log1p(-c z) / c`` with a
    series near ``c z = 0``), so value, gradient and Hessian are continuous
    through the Gumbel case and Newton crosses the sign change of ``c``
    freely. Starts: Gumbel moments and the best of ``c`` in ``{0, +-0.2}``
    by likelihood; out-of-support trial steps are cut back by the line
    search. For ``c > 1`` the density is unbounded at the upper end of the
    support, so the likelihood has no maximum there; the fit returns the
    regular local maximum Newton reaches.
    """

    name = "genextreme"
    shapes = ("c",)
    real_shapes = ("c",)

    def _support(self, shapes):
        c = shapes[0]
        if c > 0:
            return -math.inf, 1.0 / c
        if c < 0:
            return 1.0 / c, math.inf
        return -math.inf, math.inf

    def _std_moments(self, shapes):
        c = float(shapes[0])
        if abs(c) < 0.05:
            return _moments_near_gumbel(c)
        g = [math.gamma(k * c + 1) if k * c > -1 else math.inf for k in range(5)]
        mean = (1.0 - g[1]) / c if c > -1 else math.inf
        v = g[2] - g[1] ** 2
        var = v / c ** 2 if c > -0.5 else math.inf
        skew = math.copysign(1.0, c) * (-g[3] + 3 * g[1] * g[2] - 2 * g[1] ** 3) / v ** 1.5 \
            if c > -1 / 3 else math.nan
        kurt = (g[4] - 4 * g[3] * g[1] + 6 * g[2] * g[1] ** 2 - 3 * g[1] ** 4) / v ** 2 - 3 \
            if c > -0.25 else math.nan
        return mean, var, skew, kurt

    def _initial(self, data, summary, spec):
        sd = math.sqrt(summary.var)
        if "c" in spec.fixed:
            cands = [spec.fixed["c"]]
        else:
            cands = [0.0, 0.2, -0.2]
        best = None
        for c in cands:
            scale = spec.fixed.get("scale", sd * math.sqrt(6.0) / math.pi if sd > 0 else 1.0)
            m, _, _, _ = self._std_moments((c,)) if c > -1 else (0.0, 0, 0, 0)
            loc = spec.fixed.get("loc", summary.mean - m * scale)
            # widen the scale until the support holds the data
            for _ in range(60):
                lo, hi = self._support((c,))
                if loc + lo * scale < summary.min and summary.max < loc + hi * scale:
                    break
                if "scale" in spec.fixed:
                    break
                scale *= 1.5
            p = [c, loc, scale]
            ll = self._evaluate(data, p)[0] if "c" not in spec.fixed or len(cands) == 1 else 0
            if np.isfinite(ll) and (best is None or ll > best[0]):
                best = (ll, p)
        if best is None:
            p = [cands[0], summary.mean, sd or 1.0]
        else:
            p = best[1]
        return (p[0],), p[1], p[2]

    def _problem(self, data, spec):
        repair_warm(spec, data.check_finite(), 1)
        return super()._problem(data, spec)

    def _fit(self, data, spec):
        # the upper end of the support with |c| > 1: see _upper_edge.py
        return compare_upper_edge(self, data, spec, super()._fit(data, spec), 1)

    def _censored_start_fit(self, pseudo, spec):
        # a start needs the regular maximum only, not the |c| > 1 edge search
        return super()._fit(pseudo, spec)

    def _censored_starts(self, sample, pseudo, spec, start_fit, transforms):
        # the Gumbel and c = +-0.2 moment starts (cheap: first): the
        # stand-ins' fit can end at the c > 1 edge, where ties at a
        # censoring point pull it
        summary = pseudo.check_finite()
        for c in (spec.fixed["c"],) if "c" in spec.fixed else (0.0, 0.2, -0.2):
            shapes, loc, scale = self._initial(pseudo, summary, FitSpec({}, dict(spec.fixed, c=c), "mle"))
            yield (*shapes, loc, scale)
        yield from super()._censored_starts(sample, pseudo, spec, start_fit, transforms)


genextreme = GenExtreme()
