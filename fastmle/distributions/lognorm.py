"""``lognorm(s, loc, scale)``: closed form with fixed loc, 3-D Newton with free loc."""
import math

import numpy as np

from .. import _lognorm
from .._config import threads_for
from .._optimize import Log
from ._natural import LOG_SQRT_2PI, locscale_map
from ._base import Distribution, Problem
from ._charts import CHARTS
from ._locfree import check_edge, log_shift, explain_nonfinite_sums, free_loc_start, loc_candidates, loc_transform


def _closed_form(s, lshift, fixed_s=None, fixed_scale=None):
    """(s, scale) maximizing the likelihood given the sums at one loc."""
    n, sl, sl2 = s[0], s[1], s[2]
    m = sl / n                                  # mean of log y - lshift
    if fixed_scale is not None:
        m = math.log(fixed_scale) - lshift
    var = max(sl2 / n - 2.0 * m * sl / n + m * m, 0.0)
    shape = fixed_s if fixed_s is not None else math.sqrt(var)
    return shape, math.exp(m + lshift)


#: With every parameter free and a start shape below this, the fit runs in
#: the limit chart (loc + scale, s scale, s) where the normal limit s -> 0
#: is an ordinary point (see ``_charts``).
CHART_BELOW_S = 0.5


def _moment_locs(summary, fs=None, fscale=None):
    """Method-of-moments loc given a fixed ``s`` or ``scale`` (or both).

    mean = loc + scale sqrt(w) and var = scale^2 w (w - 1) with w = exp(s^2).
    A fixed parameter far from the free fit's value can put the maximum far
    below min(x) (towards the normal limit s -> 0, loc -> -inf), out of reach
    of the usual candidates a few standard deviations below min(x); there
    the likelihood over (s, loc) has a second, lower mode near min(x).
    """
    if fs is None and fscale is None:
        return ()
    var = summary.var
    if fs is not None:
        w = math.exp(min(fs * fs, 700.0))
        scale = fscale if fscale is not None else math.sqrt(var / (w * (w - 1.0))) if w > 1.0 else 0.0
    else:
        scale = fscale
        w = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * var / (scale * scale)))
    loc = summary.mean - scale * math.sqrt(w)
    return (loc,) if math.isfinite(loc) else ()


class Lognorm(Distribution):
    """Log-normal distribution, ``scipy.stats.lognorm`` parametrization.

    ``s`` is the standard deviation of ``log(x - loc)`` and ``scale`` is
    ``exp`` of its mean. With ``loc`` fixed both have closed forms from the
    sufficient statistics (one pass); Newton starts from the user's guesses or
    the closed form and is checked against it. With ``loc`` free each Newton
    iteration is one pass.
    """

    name = "lognorm"
    shapes = ("s",)
    positive = ("s",)

    def _quick_fit(self, x, kwds, n_threads):
        floc = kwds.get("floc")
        if len(kwds) != 1 or not isinstance(floc, (int, float)) or not math.isfinite(floc):
            return None
        lshift = log_shift(float(x[0]) - floc)
        sums = _lognorm.sums(x, None, floc, lshift, False, n_threads=threads_for(x.shape[0], n_threads))
        if not all(map(math.isfinite, sums.tolist())):
            return None         # the validating path explains
        shape, scale = _closed_form(sums, lshift)
        if shape == 0.0:
            return None
        return shape, floc, scale

    def _passes_per_iteration(self, spec):
        return "loc" not in spec.fixed

    def _problem(self, data, spec):
        fs, fscale = spec.fixed.get("s"), spec.fixed.get("scale")
        if "loc" in spec.fixed:
            floc = spec.fixed["loc"]
            lshift = log_shift(float(data.chunks[0][0][0]) - floc)
            s = data.reduce(_lognorm.sums, floc, lshift, False)
            if not np.all(np.isfinite(s)):
                explain_nonfinite_sums(self, data, floc)
            n = s[0]
            shape_cf, scale_cf = _closed_form(s, lshift, fs, fscale)
            if shape_cf == 0.0:
                raise ValueError("all observations are equal: the lognorm shape MLE is 0 and the "
                                 "likelihood is unbounded")
            start = [self._start(spec, "s", shape_cf), floc, self._start(spec, "scale", scale_cf)]
            sums_at = lambda loc: s  # noqa: E731  (loc is fixed)
            transforms = {}
            ref_scale = scale_cf
        else:
            summary = data.check_finite()
            sd = math.sqrt(summary.var)
            lshift = math.log(sd) if sd > 0 else 0.0
            cache = {}

            def sums_at(loc):
                # the last two locations (the edge check alternates between two)
                if loc not in cache:
                    if len(cache) >= 2:
                        cache.pop(next(iter(cache)))
                    cache[loc] = data.reduce(_lognorm.sums, loc, lshift, True)
                return cache[loc]

            def profile(loc):
                t = sums_at(loc)
                shape, scale = _closed_form(t, lshift, fs, fscale)
                p = (shape, loc, scale)
                return p, _lognorm.loglike_grad_hess(t, lshift, *p)[0]

            cands = loc_candidates(summary, spec.guesses.get("loc"), _moment_locs(summary, fs, fscale))
            loc0, p0 = free_loc_start(spec, summary, cands, profile, None, CHARTS["lognorm"])
            n = summary.sum_w
            start = [self._start(spec, "s", p0[0]), loc0, self._start(spec, "scale", p0[2])]
            # The log-normal density vanishes smoothly at loc whatever s, but a
            # small s can put the optimum far below the data (the normal
            # limit), where log(min(x) - loc) moves faster than loc itself.
            transforms = {1: loc_transform(summary, loc0, start[0], regular_above=0.3)}
            ref_scale = p0[2]

        if "s" not in spec.fixed:
            transforms[0] = Log(start[0])
        if "scale" not in spec.fixed:
            transforms[2] = Log(ref_scale)

        def evaluate(p):
            return _lognorm.loglike_grad_hess(sums_at(p[1]), lshift, p[0], p[1], p[2])

        def closed_form(p):
            shape, scale = _closed_form(sums_at(p[1]), lshift, fs, fscale)
            out = {}
            if "s" not in spec.fixed:
                out["s"] = shape
            if "scale" not in spec.fixed:
                out["scale"] = scale
            return out

        problem = Problem(start, transforms, evaluate, n, closed_form)
        if "loc" not in spec.fixed:
            # unbounded as loc -> min(x) with s growing (Hill 1963): always look
            check_edge(problem, summary, lambda p: True, profile)
        return problem

    def _limit_chart(self, start, data, spec=None):
        return CHARTS["lognorm"] if start[0] <= CHART_BELOW_S else None

    def _std_moments(self, shapes):
        (s,) = shapes
        w = math.exp(s * s)
        return math.sqrt(w), (w - 1.0) * w, (w + 2.0) * math.sqrt(w - 1.0), w ** 4 + 2 * w ** 3 + 3 * w * w - 6.0

    def _natural_map(self, params):
        s, loc, scale = (float(v) for v in params)
        const = (-math.log(s) - LOG_SQRT_2PI, [-1.0 / s], [[1.0 / (s * s)]])
        return locscale_map("lognorm", (s,), loc, scale, const=const)

    def loglike_at(self, data, params):
        shape, loc, scale = params
        if not (shape > 0 and scale > 0) or not data.scan().min > loc:
            return -np.inf
        # logs centred at log(scale), the median's: near the normal limit
        # (s ~ 1e-6, loc ~ -1e6) log(x - loc) is ~14 with a spread of 1e-6,
        # and uncentred sums of squares would keep none of it
        lshift = math.log(scale)
        t = data.reduce(_lognorm.sums, loc, lshift, False)
        return _lognorm.loglike_grad_hess(t, lshift, shape, loc, scale)[0]


lognorm = Lognorm()
