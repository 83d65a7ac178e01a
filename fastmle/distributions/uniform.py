"""``uniform(loc, scale)``: closed-form MLE from the validating scan's range."""
import math

import numpy as np

from .. import _range
from .._config import threads_for
from .._data import FitDataError
from .._results import FitResult
from ._base import Distribution


class UniformFixedScaleError(FitDataError):
    """``fscale`` is shorter than the data's range (scipy's FitUniformFixedScaleDataError)."""


class Uniform(Distribution):
    """Uniform distribution on ``[loc, loc + scale]``, ``scipy.stats.uniform``.

    The log-likelihood is ``-n log(scale)`` when every observation lies in
    the support and ``-inf`` otherwise, so the MLE is the shortest support
    that covers the data: ``loc = min(x)``, ``scale = max(x) - min(x)``. The
    validating scan already finds the range, so a fit costs that one pass.
    scipy's rules for fixed parameters are followed exactly:

    - ``floc``: ``scale = max(x) - floc``; an observation below ``floc`` is a
      :class:`fastmle.FitDataError`;
    - ``fscale``: any ``loc`` in ``[max(x) - fscale, min(x)]`` is an MLE; like
      scipy, the support is centred on the data's range; a range longer than
      ``fscale`` is a :class:`fastmle.FitDataError`;
    - both fixed: ``ValueError`` (nothing to optimize).

    All-equal data give scipy's degenerate answer ``(x, 0.0)`` (with free
    scale): the likelihood is unbounded there, as the result's message says.
    Shape guesses are not accepted (uniform has no shapes); ``loc=`` and
    ``scale=`` guesses are ignored, as in scipy.
    """

    name = "uniform"

    def _std_moments(self, shapes):
        return 0.5, 1.0 / 12.0, 0.0, -1.2

    # -- the closed form ------------------------------------------------------
    @staticmethod
    def _covering(loc, scale, lo, hi, fixed_scale=False):
        """``(loc, scale)`` moved by the fewest ulps so that the support holds
        the data in floating point: ``loc <= lo`` and ``loc + scale >= hi``.

        ``lo + (hi - lo)`` can round below ``hi`` (a few ranges in a thousand
        do; the range of 1e6 normal draws in bench/select_speed.py does), and
        the likelihood would then be ``-inf`` at its own maximum. The rounded
        sum is off by an ulp or two of ``hi``, and ``scale`` (at least about
        ``hi / 2`` whenever ``hi - lo`` was rounded) has ulps as large, so the
        loops run once or twice. With ``fixed_scale`` only ``loc`` moves.
        """
        while loc > lo:
            loc = math.nextafter(loc, -math.inf)
        while loc + scale < hi:
            if fixed_scale:
                if loc >= lo:
                    break       # no float loc fits: scipy's check (ptp <= fscale) already passed
                loc = math.nextafter(loc, math.inf)
            else:
                scale = math.nextafter(scale, math.inf)
        return loc, scale

    def _closed_form(self, lo, hi, fixed):
        """(loc, scale) from the data's range under scipy's fixed-parameter rules."""
        if "scale" in fixed:
            fscale = fixed["scale"]
            ptp = hi - lo
            if ptp > fscale:
                raise UniformFixedScaleError(
                    "Invalid values in `data`.  Maximum likelihood estimation with the uniform "
                    "distribution and fixed scale requires that np.ptp(data) <= fscale, but "
                    f"np.ptp(data) = {ptp} and fscale = {fscale}.")
            # every loc in [hi - fscale, lo] is an MLE: centre the support (scipy's choice)
            return self._covering(lo - 0.5 * (fscale - ptp), fscale, lo, hi, fixed_scale=True)
        if "loc" in fixed:
            floc = fixed["loc"]
            if lo < floc:
                raise FitDataError(
                    f"Invalid values in `data`: maximum likelihood estimation with 'uniform' and "
                    f"floc={floc!r} requires every x >= floc; min(x) = {lo!r}.")
            return self._covering(floc, hi - floc, lo, hi)
        return self._covering(lo, hi - lo, lo, hi)

    def _quick_fit(self, x, kwds, n_threads):
        # scipy ignores loc=/scale= guesses and the optimizer: so do we
        fixed = {}
        for key, value in kwds.items():
            if key in ("floc", "fscale"):
                if value is None:
                    continue
                if not isinstance(value, (int, float)) or not math.isfinite(value):
                    return None
                fixed[key[1:]] = float(value)
            elif key not in ("loc", "scale", "optimizer") and not (key == "method" and value in ("MLE", "mle")):
                return None
        if len(fixed) == 2 or ("scale" in fixed and not fixed["scale"] > 0):
            return None         # the validating path raises
        # the range alone: a branch-free pass (the validating scan's moments
        # are not needed here; non-finite data take the validating path)
        lo, hi, finite = _range.data_range(x, threads_for(x.shape[0], n_threads))
        if not finite:
            return None
        loc, scale = self._closed_form(lo, hi, fixed)
        return float(loc), float(scale)

    def _fit(self, data, spec):
        summary = data.check_finite()
        lo, hi = summary.min, summary.max
        if spec.method == "mm":
            loc, scale = self._mm(summary, spec.fixed)
        else:
            loc, scale = self._closed_form(lo, hi, spec.fixed)
        params = np.array([loc, scale], dtype=float)
        ll = self.loglike_at(data, params)
        message = "closed form"
        if scale == 0.0:
            message = ("all observations are equal: the likelihood is unbounded as scale -> 0; "
                       "scale = 0 is scipy's degenerate answer")
        boundary = () if spec.method == "mm" else tuple(n for n in ("loc", "scale") if n not in spec.fixed)
        return FitResult(self, params, spec.fixed, ll, summary.sum_w, None, True, message, 0, 0.0,
                         closed_form={n: v for n, v in (("loc", loc), ("scale", scale)) if n not in spec.fixed},
                         boundary=boundary, data=data, method=spec.method.upper())

    def _mm(self, summary, fixed):
        """Method of moments: mean = loc + scale / 2, variance = scale^2 / 12.

        With one parameter fixed only the mean is matched (scipy's MM uses as
        many moments as free parameters), which has an exact solution.
        """
        mean = summary.mean
        if "loc" in fixed:
            return fixed["loc"], 2.0 * (mean - fixed["loc"])
        if "scale" in fixed:
            return mean - 0.5 * fixed["scale"], fixed["scale"]
        scale = math.sqrt(12.0 * summary.var)
        return mean - 0.5 * scale, scale

    def loglike_at(self, data, params):
        loc, scale = (float(v) for v in params)
        summary = data.scan()
        if not scale >= 0 or summary.min < loc or summary.max > loc + scale:
            return -np.inf
        if scale == 0.0:
            return np.inf
        return -summary.sum_w * math.log(scale)


uniform = Uniform()
