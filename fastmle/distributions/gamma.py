"""``gamma(a, loc, scale)``: sufficient statistics with fixed loc, 3-D Newton with free loc."""
import math

import numpy as np

from .. import _gamma
from .._config import threads_for
from .._optimize import Log
from .. import _special
from ._natural import locscale_map
from ._base import Distribution, Problem
from ._charts import CHARTS
from ._locfree import check_edge, explain_nonfinite_sums, free_loc_start, loc_candidates, loc_transform


#: With every parameter free and a start shape above this (skewness below 1),
#: the fit runs in the limit chart (mean, sd, 1/sqrt(a)) where the normal
#: limit a -> inf is the point 1/sqrt(a) = 0 (see ``_charts``).
CHART_ABOVE_A = 4.0



def _inverse_digamma(c):
    """The ``a > 0`` with ``psi(a) = c`` (Minka's start, then Newton)."""
    a = math.exp(c) + 0.5 if c >= -2.22 else -1.0 / (c - _special.digamma(1.0))
    for _ in range(60):
        step = (float(_special.digamma(a)) - c) / float(_special.trigamma(a))
        a_new = a - step
        a = a_new if a_new > 0 else 0.5 * a
        if abs(step) <= 1e-14 * a:
            break
    return a

class Gamma(Distribution):
    """Gamma distribution, ``scipy.stats.gamma`` parametrization (shape ``a``).

    With ``loc`` fixed (``floc=0`` is the common call) one pass computes the
    sufficient statistics ``sum log(x - loc)`` and ``sum (x - loc)``; the
    optimizer never touches the data again, and the scale is checked against
    its closed form ``mean(x - loc) / a``. With ``loc`` free each Newton
    iteration is one pass over the data.
    """

    name = "gamma"
    shapes = ("a",)
    positive = ("a",)

    def _quick_fit(self, x, kwds, n_threads):
        floc = kwds.get("floc")
        fixed_a = kwds.get("fa", kwds.get("f0", kwds.get("fix_a")))
        if (set(kwds) - {"floc", "fa", "f0", "fix_a"} or len(kwds) > 2
                or not isinstance(floc, (int, float)) or not math.isfinite(floc)):
            return None
        if len(kwds) == 2 and not (isinstance(fixed_a, (int, float)) and 0 < fixed_a < math.inf):
            return None
        sums = _gamma.sums(x, None, floc, False, n_threads=threads_for(x.shape[0], n_threads))
        if not all(map(math.isfinite, sums.tolist())):
            return None         # the validating path explains
        ybar, mlog = sums[2] / sums[0], sums[1] / sums[0]
        if fixed_a:
            return fixed_a, floc, ybar / fixed_a
        try:
            a = _gamma.shape_mle(math.log(ybar) - mlog)
        except ValueError:      # all observations equal: the validating path explains
            return None
        return a, floc, ybar / a

    def _passes_per_iteration(self, spec):
        return "loc" not in spec.fixed

    def _problem(self, data, spec):
        if "loc" in spec.fixed:
            return self._problem_fixed_loc(data, spec)
        return self._problem_free_loc(data, spec)

    def _problem_fixed_loc(self, data, spec):
        floc = spec.fixed["loc"]
        s = data.reduce(_gamma.sums, floc, False)
        if not np.all(np.isfinite(s)):
            explain_nonfinite_sums(self, data, floc)
        n = s[0]
        ybar, mlog = s[2] / n, s[1] / n
        if "a" in spec.fixed:
            a0 = spec.fixed["a"]
        elif "scale" in spec.fixed:
            # digamma(a) = mean log y - log scale: start from the asymptotic inverse
            a0 = max(ybar / spec.fixed["scale"], 1e-3)
        else:
            a0 = _gamma.shape_mle(math.log(ybar) - mlog)
        a0 = self._start(spec, "a", a0)
        start = [a0, floc, self._start(spec, "scale", ybar / a0)]
        transforms = {}
        if "a" not in spec.fixed:
            transforms[0] = Log(a0)
        if "scale" not in spec.fixed:
            transforms[2] = Log(ybar / a0)

        def evaluate(p):
            return _gamma.loglike_grad_hess(s, p[0], p[1], p[2])

        def closed_form(p):
            return {} if "scale" in spec.fixed else {"scale": ybar / p[0]}

        return Problem(start, transforms, evaluate, n, closed_form)

    def _profile(self, data, loc):
        """(a, loc, scale) maximizing the likelihood at this loc, and its value."""
        s = data.reduce(_gamma.sums, loc, False)
        n = s[0]
        a = _gamma.shape_mle(math.log(s[2] / n) - s[1] / n)
        p = (a, loc, s[2] / n / a)
        return p, _gamma.loglike_grad_hess(s, *p)[0]

    def _profile_fixed(self, data, loc, fa=None, fscale=None):
        """``_profile`` with ``a`` or ``scale`` held: the other parameter's
        maximum at this loc (scale = mean(y) / a, or psi(a) = mean(log y) -
        log(scale))."""
        if fa is None and fscale is None:
            return self._profile(data, loc)
        s = data.reduce(_gamma.sums, loc, False)
        n = s[0]
        if fa is not None:
            a, scale = fa, s[2] / n / fa
        else:
            a, scale = _inverse_digamma(s[1] / n - math.log(fscale)), fscale
        p = (a, loc, scale)
        return p, _gamma.loglike_grad_hess(s, *p)[0]

    def _problem_free_loc(self, data, spec):
        summary = data.check_finite()
        sd = math.sqrt(summary.var)
        fa, fscale = spec.fixed.get("a"), spec.fixed.get("scale")
        mom = []
        if summary.skew > 0:
            a_mm = 4.0 / summary.skew ** 2
            mom.append(summary.mean - a_mm * sd / math.sqrt(a_mm))
        # With a or scale held far from the free fit (as profile likelihoods
        # do) the maximum can lie far below min(x), towards the normal limit:
        # the moment loc given the held value (mean = loc + a scale, var =
        # a scale^2) starts there (gamma, 40 points, scale held at 0.0013:
        # a ~ 2e6, loc ~ -3000; from the usual candidates Newton stopped at
        # its iteration limit 4.5 nats short)
        if fscale is not None:
            mom.append(summary.mean - summary.var / fscale)
        elif fa is not None:
            mom.append(summary.mean - math.sqrt(fa) * sd)
        cands = loc_candidates(summary, spec.guesses.get("loc"), mom)
        loc0, p0 = free_loc_start(spec, summary, cands, lambda loc: self._profile_fixed(data, loc, fa, fscale), 0)
        start = [self._start(spec, "a", p0[0]), loc0, self._start(spec, "scale", p0[2])]
        transforms = {1: loc_transform(summary, loc0, start[0])}
        if "a" not in spec.fixed:
            transforms[0] = Log(start[0])
        if "scale" not in spec.fixed:
            transforms[2] = Log(start[2])
        cache = {}

        def sums_at(loc):
            # the last two locations (the edge check alternates between two)
            if loc not in cache:
                if len(cache) >= 2:
                    cache.pop(next(iter(cache)))
                cache[loc] = data.reduce(_gamma.sums, loc, True)
            return cache[loc]

        def evaluate(p):
            return _gamma.loglike_grad_hess(sums_at(p[1]), p[0], p[1], p[2])

        def closed_form(p):
            s = sums_at(p[1])
            return {} if "scale" in spec.fixed else {"scale": s[2] / s[0] / p[0]}

        problem = Problem(start, transforms, evaluate, summary.sum_w, closed_form)
        both_free = "a" not in spec.fixed and "scale" not in spec.fixed
        return check_edge(problem, summary, lambda p: p[0] < 2.0,
                          (lambda loc: self._profile(data, loc)) if both_free else None)

    def _limit_chart(self, start, data, spec=None):
        return CHARTS["gamma"] if start[0] >= CHART_ABOVE_A else None

    def _std_moments(self, shapes):
        (a,) = shapes
        return a, a, 2.0 / math.sqrt(a), 6.0 / a

    def _natural_map(self, params):
        a, loc, scale = (float(v) for v in params)
        const = (-float(_special.lgamma(a)), [-float(_special.digamma(a))], [[-float(_special.trigamma(a))]])
        return locscale_map("gamma", (a,), loc, scale, const=const)

    def loglike_at(self, data, params):
        a, loc, scale = params
        if not (a > 0 and scale > 0) or not data.scan().min > loc:
            return -np.inf
        return _gamma.loglike_grad_hess(data.reduce(_gamma.sums, loc, False), a, loc, scale)[0]


gamma = Gamma()
