"""``laplace(loc, scale)``: closed-form MLE (median, mean absolute deviation)."""
import math

import numpy as np

from .._optimize import Log
from ._base import Problem
from ._family import LocScaleFamily, assemble_locscale
from ._realline import quick_kwds


def weighted_median(data):
    """The (weighted) sample median: the midpoint of the middle pair when
    the cumulative weight splits exactly in half (``np.median``'s rule for
    unit weights). Unweighted data use ``np.median`` (a partition, no full
    sort); weighted data sort once."""
    xs = [np.asarray(x, dtype=float) for x, _ in data.chunks]
    if not data.weighted:
        return float(np.median(xs[0] if len(xs) == 1 else np.concatenate(xs)))
    x = np.concatenate(xs)
    w = np.concatenate([np.ones(c.shape[0]) if cw is None else cw for c, cw in data.chunks])
    order = np.argsort(x, kind="stable")
    x, cw = x[order], np.cumsum(w[order])
    half = 0.5 * cw[-1]
    i = int(np.searchsorted(cw, half, side="left"))
    # cw[i] >= half; an exact split leaves every point of [x_i, x_{i+1}] optimal
    if cw[i] == half and i + 1 < x.shape[0]:
        return 0.5 * (x[i] + x[i + 1])
    return float(x[i])


class Laplace(LocScaleFamily):
    """Laplace (double exponential) distribution, ``scipy.stats.laplace``
    parametrization: log density ``-log(2 scale) - |x - loc| / scale``.

    Notes
    -----
    The MLE is closed form: loc is the sample median (weighted median with
    weights) and scale the mean absolute deviation about loc; with loc
    fixed the scale is the mean absolute deviation about it, with scale
    fixed loc is still the median. No optimizer runs for loc; Newton checks
    the scale's closed form.

    The log-likelihood is not differentiable in loc (a kink at every
    observation), so there is no observed information for it. The result's
    Hessian uses the expected information instead, ``N / scale^2`` for loc
    (and 0 between loc and scale): ``bse`` of loc is then the asymptotic
    standard error of the sample median, ``scale / sqrt(N)``.
    """

    name = "laplace"

    def _constant(self, shapes):
        return -math.log(2.0), None, None

    def _quick_fit(self, x, kwds, n_threads):
        parsed = quick_kwds(kwds)
        if parsed is None:
            return None
        floc, fscale = parsed
        loc = float(np.median(x)) if floc is None else floc
        if fscale is not None:
            # the median ignores an infinite value: check explicitly
            return (loc, fscale) if math.isfinite(float(np.add.reduce(x, dtype=float))) else None
        scale = float(np.mean(np.abs(x - loc)))
        if not (math.isfinite(scale) and scale > 0):
            return None     # non-finite or all-equal data: the general path explains
        return loc, scale

    def _passes_per_iteration(self, spec):
        return False        # closed form: no warm start from a subsample

    def _problem(self, data, spec):
        summary = data.check_finite()
        n = summary.sum_w
        loc = spec.fixed.get("loc")
        if loc is None:
            loc = weighted_median(data)
        scale = spec.fixed.get("scale")
        if scale is None:
            s = self._sums(data, [loc, 1.0])
            # sum w g_z z = -sum w |x - loc| at scale 1
            scale = -s[3] / n
            if not scale > 0:
                raise ValueError("laplace: all observations are equal: the scale MLE is 0 and the "
                                 "likelihood is unbounded")
        start = [loc, scale]
        transforms = {}
        if "scale" not in spec.fixed:
            transforms[1] = Log(spec.guesses.get("scale", scale))

        def evaluate(p):
            s = self._sums(data, p)
            ll, g, H = assemble_locscale(s, 0, p[1], self._constant(()))
            H[0, 0] = -s[0] / (p[1] * p[1])
            H[0, 1] = H[1, 0] = 0.0
            return ll, g, H

        def closed_form(p):
            out = {}
            if "loc" not in spec.fixed:
                out["loc"] = loc
            if "scale" not in spec.fixed:
                out["scale"] = scale
            return out

        return Problem(start, transforms, evaluate, n, closed_form,
                       notes=["closed form: loc = median, scale = mean |x - loc|; loc's standard "
                              "error from the expected information N/scale^2"])

    def _initial(self, data, summary, spec):
        # method="MM" start (the MLE itself is closed form): variance 2 scale^2
        return (), summary.mean, math.sqrt(0.5 * summary.var) or 1.0

    def _std_moments(self, shapes):
        return 0.0, 2.0, 0.0, 3.0


laplace = Laplace()
