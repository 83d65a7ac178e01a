"""``laplace(loc, scale)``: closed-form MLE (median, mean absolute deviation)."""
import math

import numpy as np

from .. import _range
from .._config import threads_for
from .._data import weighted_middle
from .._optimize import Log
from ._base import Problem
from ._family import LocScaleFamily, assemble_locscale
from ._realline import quick_kwds


def fast_median(x):
    """``np.median(x)`` of a 1-D array without partitioning all of it.

    For large arrays the median is bracketed by quantiles of an evenly
    strided sample (~32k rows, a bracket of +-5 sample standard errors);
    one pass counts the rows below the bracket and gathers those inside,
    and the order statistics are selected among those few. If the bracket
    misses (adversarial order, NaN), ``np.median`` decides. The result is
    exactly ``np.median``'s (same order statistics, same midpoint rule).
    """
    n = x.shape[0]
    if n < 1 << 17:
        # np.partition alone: np.median's generality costs ~5 us, a third of
        # scipy's whole laplace fit at N = 100 (NaN ends last: the caller's
        # finiteness checks catch it)
        k1, k2 = (n - 1) // 2, n // 2
        part = np.partition(x, [k1, k2] if k1 != k2 else k1)
        return 0.5 * (float(part[k1]) + float(part[k2]))
    step = n >> 15
    sample = np.sort(x[::step])
    m = sample.shape[0]
    half = 5.0 * math.sqrt(m) / 2.0
    lo = sample[max(int(m / 2 - half), 0)]
    hi = sample[min(int(m / 2 + half), m - 1)]
    below = int(np.count_nonzero(x < lo))
    inside = x[(x >= lo) & (x <= hi)]
    k1, k2 = (n - 1) // 2, n // 2           # the middle order statistics (equal for odd n)
    if not (below <= k1 and k2 < below + inside.shape[0]):
        return float(np.median(x))
    part = np.partition(inside, [k1 - below, k2 - below])
    return 0.5 * (float(part[k1 - below]) + float(part[k2 - below]))


def weighted_median(data):
    """The (weighted) sample median: the midpoint of the middle pair when
    the cumulative weight splits exactly in half (``np.median``'s rule for
    unit weights). Unweighted data use ``np.median`` (a partition, no full
    sort); weighted data sort once."""
    if data.out_of_core:
        from .._data import chunked_median      # memory maps, chunk sources, Dask: O(chunk) memory
        return chunked_median(data)
    xs = [np.asarray(x, dtype=float) for x, _ in data.chunks]
    if not data.weighted:
        return fast_median(xs[0] if len(xs) == 1 else np.concatenate(xs))
    x = np.concatenate(xs)
    w = np.concatenate([np.ones(c.shape[0]) if cw is None else cw for c, cw in data.chunks])
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    i, split = weighted_middle(w)
    # an exact split leaves every point of [x_i, x_{i+1}] optimal
    if split and i + 1 < x.shape[0]:
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
        loc = fast_median(x) if floc is None else floc
        if fscale is not None:
            # the median ignores an infinite value: check explicitly
            return (loc, fscale) if math.isfinite(float(np.add.reduce(x, dtype=float))) else None
        if not math.isfinite(loc):
            return None
        # sum |x - loc| in one threaded pass with nothing else to do
        scale = _range.abs_deviation_sum(
            x, loc, threads_for(x.shape[0], n_threads)) / x.shape[0]
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
