"""``weibull_min(c, loc, scale)``: one kernel pass per Newton iteration."""
import math

import numpy as np

from .. import _lognorm, _weibull
from .._optimize import Log
from ._natural import locscale_map
from ._base import Distribution, Problem
from ._charts import CHARTS
from ._locfree import (WEIBULL_SKEW_FREE_C, check_edge, edge_barrier, explain_nonfinite_sums, free_loc_start,
                       loc_candidates, loc_transform, log_shift)

_EULER = 0.5772156649015329


def _log_moment_start(t, lshift, fc=None, fscale=None):
    """(c, scale) from the mean and variance of log(x - loc).

    For a Weibull, log(y) has standard deviation pi / (c sqrt 6) and mean
    log(scale) - euler_gamma / c.
    """
    n = t[0]
    m = t[1] / n
    sd = math.sqrt(max(t[2] / n - m * m, 0.0))
    if fc is not None:
        c = fc
    elif sd > 0:
        c = math.pi / (sd * math.sqrt(6.0))
    else:
        raise ValueError("all observations are equal: the weibull_min shape MLE is infinite")
    scale = fscale if fscale is not None else math.exp(m + lshift + _EULER / c)
    return c, scale


#: With every parameter free and a start shape above this, the fit runs in
#: the limit chart (loc + scale, scale / c, 1 / c) where the left-skewed
#: Gumbel limit c -> inf is an ordinary point (see ``_charts``).
CHART_ABOVE_C = 2.0
CHART_EDGE_GAP = 0.1

class WeibullMin(Distribution):
    """Weibull minimum distribution, ``scipy.stats.weibull_min`` parametrization.

    ``(x/scale)**c`` ties every parameter to every observation, so there are
    no sufficient statistics: each Newton iteration is one OpenMP pass that
    yields the log-likelihood, gradient and Hessian together. The scale is
    checked against its closed form given the shape,
    ``scale = mean((x - loc)**c)**(1/c)``.
    """

    name = "weibull_min"
    shapes = ("c",)
    positive = ("c",)

    def _passes_per_iteration(self, spec):
        return True

    def _problem(self, data, spec):
        fc, fscale = spec.fixed.get("c"), spec.fixed.get("scale")
        cache = {}
        if "loc" in spec.fixed and spec.warm is not None:
            # the subsample fit gave the start: its first full pass doubles as
            # the support check (sums are non-finite if any x <= loc)
            floc = spec.fixed["loc"]
            start = [spec.warm[0], floc, spec.warm[2]]
            first = data.reduce(_weibull.sums, start[0], floc, start[2], False)
            if not np.all(np.isfinite(first)):
                explain_nonfinite_sums(self, data, floc)
            cache["key"], cache["sums"] = tuple(start), first
            n = first[0]
            transforms = {}
            loc_free = False
        elif "loc" in spec.fixed:
            floc = spec.fixed["loc"]
            lshift = log_shift(float(data.chunks[0][0][0]) - floc)
            t = data.reduce(_lognorm.sums, floc, lshift, False)   # log moments: start and support check
            if not np.all(np.isfinite(t)):
                explain_nonfinite_sums(self, data, floc)
            c0, scale0 = _log_moment_start(t, lshift, fc, fscale)
            start = [self._start(spec, "c", c0), floc, self._start(spec, "scale", scale0)]
            n = t[0]
            transforms = {}
            loc_free = False
        else:
            summary = data.check_finite()
            sd = math.sqrt(summary.var)
            lshift = math.log(sd) if sd > 0 else 0.0

            def profile(loc):
                t = data.reduce(_lognorm.sums, loc, lshift, False)
                c, scale = _log_moment_start(t, lshift, fc, fscale)
                p = (c, loc, scale)
                return p, self._evaluate(data, p, False)[0]

            cands = loc_candidates(summary, spec.guesses.get("loc"))
            loc0, p0 = free_loc_start(spec, summary, cands, profile, 0, CHARTS["weibull_min"])
            n = summary.sum_w
            start = [self._start(spec, "c", p0[0]), loc0, self._start(spec, "scale", p0[2])]
            barrier = edge_barrier(spec, start[0], (summary.min - loc0) / math.sqrt(summary.var),
                                   WEIBULL_SKEW_FREE_C)
            transforms = {1: loc_transform(summary, loc0, start[0], barrier=barrier)}
            loc_free = True
        if "c" not in spec.fixed:
            transforms[0] = Log(start[0])
        if "scale" not in spec.fixed:
            transforms[2] = Log(start[2])

        def sums_at(p):
            key = tuple(p)
            if cache.get("key") != key:
                cache["key"], cache["sums"] = key, data.reduce(_weibull.sums, p[0], p[1], p[2], loc_free)
            return cache["sums"]

        def evaluate(p):
            return _weibull.loglike_grad_hess(sums_at(p), p[0], p[1], p[2])

        def closed_form(p):
            if "scale" in spec.fixed:
                return {}
            t = sums_at(p)      # sum (y/scale)^c  ->  scale * mean((y/scale)^c)^(1/c)
            return {"scale": p[2] * (t[2] / t[0]) ** (1.0 / p[0])}

        problem = Problem(start, transforms, evaluate, n, closed_form)
        if loc_free:
            check_edge(problem, summary, lambda p: p[0] < 2.0)
        return problem

    @staticmethod
    def _evaluate(data, p, loc_free):
        t = data.reduce(_weibull.sums, p[0], p[1], p[2], loc_free)
        return _weibull.loglike_grad_hess(t, p[0], p[1], p[2])

    def _limit_chart(self, start, data, spec=None):
        # not where loc hugs min(x) (symmetric or left-heavy data): the support
        # edge, not the Gumbel limit, then shapes the likelihood
        near_edge = data.scan().min - start[1] < CHART_EDGE_GAP * math.sqrt(data.scan().var)
        return CHARTS["weibull_min"] if start[0] >= CHART_ABOVE_C and not near_edge else None

    def _std_moments(self, shapes):
        (c,) = shapes
        g1, g2, g3, g4 = (math.exp(math.lgamma(1.0 + k / c)) for k in (1, 2, 3, 4))
        var = g2 - g1 * g1
        skew = (g3 - 3 * g1 * g2 + 2 * g1 ** 3) / var ** 1.5
        kurt = (g4 - 4 * g1 * g3 + 6 * g1 * g1 * g2 - 3 * g1 ** 4) / var ** 2 - 3.0
        return g1, var, skew, kurt

    def _natural_map(self, params):
        c, loc, scale = (float(v) for v in params)
        return locscale_map("weibull_min", (c,), loc, scale,
                            const=(math.log(c), [1.0 / c], [[-1.0 / (c * c)]]))

    def loglike_at(self, data, params):
        c, loc, scale = params
        if not (c > 0 and scale > 0) or not data.scan().min > loc:
            return -np.inf
        return self._evaluate(data, (c, loc, scale), False)[0]


weibull_min = WeibullMin()
