"""``norm(loc, scale)``: sufficient statistics, closed-form MLE, verified by Newton."""
import math

import numpy as np

from .. import _norm
from .._config import threads_for
from .._optimize import Affine, Log
from ._natural import LOG_SQRT_2PI, locscale_map
from ._base import Distribution, Problem


class Norm(Distribution):
    """Normal distribution, ``scipy.stats.norm`` parametrization.

    The MLE is the sample mean and the (biased, ``ddof=0``) standard
    deviation. The validating scan pass already yields the sums about one
    observation; a second pass about the mean follows only when that
    observation lies far from the mean, so data far from the origin (1e7 +
    small noise) keep full float64 precision. Newton then starts from the
    user's guesses (or the closed form) and must land on the closed form.
    """

    name = "norm"

    def _quick_fit(self, x, kwds, n_threads):
        if kwds and set(kwds) - {"floc", "fscale"} or len(kwds) > 1:
            return None
        out = _norm.closed_form_fit(x, threads_for(x.shape[0], n_threads))
        if out is None or out[1] == 0.0:
            return None
        mean, var = out
        if "floc" in kwds:
            floc = kwds["floc"]
            if not isinstance(floc, (int, float)) or not math.isfinite(floc):
                return None
            return floc, math.sqrt(var + (mean - floc) ** 2)
        if "fscale" in kwds:
            fscale = kwds["fscale"]
            if not isinstance(fscale, (int, float)) or not fscale > 0 or not math.isfinite(fscale):
                return None
            return mean, fscale
        return mean, math.sqrt(var)

    def _sums(self, data):
        summary = data.check_finite()
        shift = summary.shift
        # The scan's sums of (x - shift) and (x - shift)**2 are the normal
        # sufficient statistics; like closed_form_fit, a second pass about
        # the mean is only taken when the shift is far from it.
        s = np.array([summary.sum_w, summary.sums[3], summary.sums[4]])
        d = summary.mean - shift
        if not d * d <= 16.0 * summary.var:
            shift = summary.mean
            s = data.reduce(_norm.sums, shift)
        if not np.all(np.isfinite(s)):
            raise ValueError("norm: the data's spread overflows float64 (squared deviations "
                             "exceed 1.8e308); rescale the data before fitting")
        return shift, s

    def _problem(self, data, spec):
        shift, s = self._sums(data)
        n = s[0]
        mean = shift + s[1] / n

        def sd_about(loc):
            m = loc - shift
            return math.sqrt(max(s[2] - 2.0 * m * s[1] + m * m * n, 0.0) / n)

        loc_cf = spec.fixed.get("loc", mean)
        scale_cf = spec.fixed.get("scale", sd_about(loc_cf))
        if scale_cf == 0.0:
            raise ValueError("all observations are equal: the normal scale MLE is 0 and the "
                             "likelihood is unbounded")
        start = [self._start(spec, "loc", loc_cf), self._start(spec, "scale", scale_cf)]
        ref = sd_about(mean) or scale_cf
        transforms = {}
        if "loc" not in spec.fixed:
            transforms[0] = Affine(shift, ref)
        if "scale" not in spec.fixed:
            transforms[1] = Log(ref)

        def evaluate(p):
            return _norm.loglike_grad_hess(s, shift, p[0], p[1])

        def closed_form(p):
            out = {}
            if "loc" not in spec.fixed:
                out["loc"] = mean
            if "scale" not in spec.fixed:
                out["scale"] = sd_about(p[0] if "loc" in spec.fixed else mean)
            return out

        return Problem(start, transforms, evaluate, n, closed_form)

    def _std_moments(self, shapes):
        return 0.0, 1.0, 0.0, 0.0

    def _natural_map(self, params):
        return locscale_map("norm", (), params[0], params[1], const=(-LOG_SQRT_2PI, np.zeros(0), np.zeros((0, 0))))

    def loglike_at(self, data, params):
        loc, scale = params
        if not scale > 0:
            return -np.inf
        shift, s = self._sums(data)
        return _norm.loglike_grad_hess(s, shift, loc, scale)[0]


norm = Norm()
