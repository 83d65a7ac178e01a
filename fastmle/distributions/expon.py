"""``expon(loc, scale)``: loc's MLE is the sample minimum, scale's the mean excess."""
import numpy as np

from .. import _expon
from .._config import threads_for
from .._optimize import Log
from ._natural import locscale_map
from ._base import Distribution, Problem


class Expon(Distribution):
    """Exponential distribution, ``scipy.stats.expon`` parametrization.

    With ``loc`` free its MLE is ``min(x)``, on the boundary of the parameter
    space (the likelihood increases with ``loc`` up to the smallest
    observation), so it is set there rather than optimized and its standard
    error is reported as NaN. ``scale`` is then fitted by Newton from the
    sufficient statistics and checked against ``mean(x) - loc``.
    """

    name = "expon"

    def _quick_fit(self, x, kwds, n_threads):
        if kwds:
            return None
        out = _expon.min_and_mean_excess(x, threads_for(x.shape[0], n_threads))
        if out is None or out[1] == 0.0:
            return None
        return out

    def _problem(self, data, spec):
        summary = data.check_finite()
        boundary = {}
        if "loc" in spec.fixed:
            loc = spec.fixed["loc"]
            if summary.min < loc:
                raise self._support_error(data, loc, strict=False)
        else:
            loc = summary.min
            boundary["loc"] = loc
        # the scan's sum of (x - shift) gives the sufficient statistics; the
        # shift is an observation, so shift - loc is of the order of the spread
        shift = summary.shift
        s = np.array([summary.sum_w, summary.sums[3]])
        n = s[0]
        scale_cf = max(s[1] / n - (loc - shift), 0.0)
        if "scale" not in spec.fixed and scale_cf == 0.0:
            raise ValueError("all observations equal loc: the exponential scale MLE is 0 and the "
                             "likelihood is unbounded")
        start = [loc, self._start(spec, "scale", scale_cf)]
        transforms = {} if "scale" in spec.fixed else {1: Log(scale_cf)}

        def evaluate(p):
            return _expon.loglike_grad_hess(s, shift, p[0], p[1])

        def closed_form(p):
            return {} if "scale" in spec.fixed else {"scale": scale_cf}

        notes = ["loc is the sample minimum (boundary MLE)"] if boundary else []
        return Problem(start, transforms, evaluate, n, closed_form, boundary, notes)

    def _std_moments(self, shapes):
        return 1.0, 1.0, 2.0, 6.0

    def _natural_map(self, params):
        return locscale_map("expon", (), params[0], params[1])

    def loglike_at(self, data, params):
        loc, scale = params
        summary = data.scan()
        if not scale > 0 or summary.min < loc:
            return -np.inf
        s = np.array([summary.sum_w, summary.sums[3]])
        return _expon.loglike_grad_hess(s, summary.shift, loc, scale)[0]


expon = Expon()
