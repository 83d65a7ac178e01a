"""``rayleigh(loc, scale)``: closed-form scale with loc fixed, Newton with loc free."""
import math

import numpy as np

from .. import _scan
from .._config import resolve_n_threads
from ._onesided import OneSidedFamily


class Rayleigh(OneSidedFamily):
    """Rayleigh distribution, ``scipy.stats.rayleigh`` parametrization.

    Density ``y / scale**2 * exp(-y**2 / (2 scale**2))`` for ``y = x - loc > 0``.
    With ``loc`` fixed the scale MLE is ``sqrt(sum(y**2) / (2 n))``: one
    pass (the scan, taken about ``loc``). With ``loc`` free the likelihood
    vanishes at ``loc -> min(x)`` (the density is 0 there), so the maximum is
    regular; Newton runs in ``log(min(x) - loc)`` on the family kernel.
    """

    name = "rayleigh"

    def _quick_fit(self, x, kwds, n_threads):
        floc = kwds.get("floc")
        if set(kwds) != {"floc"} or not isinstance(floc, (int, float)) or not math.isfinite(floc):
            return None
        s, lo, _ = _scan.scan(x, None, float(floc), False, resolve_n_threads(n_threads))
        # sums about floc: s[4] = sum (x - floc)^2, no cancellation
        if s[0] or not lo > floc or not math.isfinite(s[4]):
            return None         # the validating path explains
        return floc, math.sqrt(s[4] / (2.0 * s[2]))

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
