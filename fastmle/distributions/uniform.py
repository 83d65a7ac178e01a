"""``uniform(loc, scale)``: closed-form MLE from the validating scan's range."""
import math

import numpy as np

from .. import _range
from .._config import threads_for
from .._data import FitDataError
from .._results import FitResult
from ._base import Distribution, active_prior
from ._natural import locscale_map


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

    Censored data: the support's ends by bisection on their one-sided slopes
    (the maximum sits on a kink: no standard errors); a likelihood that rises
    without bound (every row bounding an end censored away from it) is a
    ``ValueError``.
    """

    name = "uniform"

    def _std_moments(self, shapes):
        return 0.5, 1.0 / 12.0, 0.0, -1.2

    def _natural_map(self, params):
        # log density 0 on [0, 1] (uniform_obs in src/families/basic.h)
        return locscale_map("uniform", (), params[0], params[1])

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
        if active_prior(spec):
            raise NotImplementedError(f"uniform: priors are not supported yet: its MLE is the data's range (a boundary estimate in closed form), not found by the Newton iteration a prior enters")
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

    # -- censored data ------------------------------------------------------------
    def _fit_censored(self, sample, spec):
        """Censored data, on the support's ends ``a = loc``, ``b = loc + scale``.

        Each row contributes ``log |[a, b] & [lower, upper]| - log(b - a)``
        (``-log(b - a)`` if exact), so the log-likelihood is piecewise smooth
        with kinks where an end crosses a bound, and its maximum usually sits
        on one (the extreme exact values hold ``a <= min``, ``b >= max``).
        Newton cannot work there; instead, in ``b`` at a fixed ``a`` the
        log-likelihood is unimodal (``(b - a) dl/db`` decreases: every
        ``(b - a)/(b - c)`` with ``c >= a`` does, and each kink lowers the
        slope), and likewise in ``a``, so each end is found exactly by
        bisection on the sign of its one-sided slopes; with both free the
        ends are maximized in turn until neither moves (the kinks of each end
        are its own, so a point that neither end can improve is one that no
        direction improves). With ``fscale`` the log-likelihood is concave in
        ``a``. No standard errors: the maximum is on a kink.
        """
        if sample.counts["exact"] == sample.n_rows or spec.method != "mle":
            return super()._fit_censored(sample, spec)
        fixed = spec.fixed
        if "loc" in fixed and "scale" in fixed:
            raise ValueError("uniform: loc and scale are both fixed: nothing to estimate")
        ends = _CensoredEnds(sample)
        if "loc" in fixed:
            a = float(fixed["loc"])
            if not a <= ends.a_max:
                raise FitDataError(f"Invalid values in `data`: maximum likelihood estimation with "
                                   f"'uniform' and floc={a!r} needs every exact value >= floc and every "
                                   f"censoring upper bound > floc.")
            b, n_iter = ends.best_b(a), 1
        elif "scale" in fixed:
            a, n_iter = ends.best_a_shifted(float(fixed["scale"])), 1
            b = a + float(fixed["scale"])
        else:
            # the ends in turn, from the lower end at its limit
            a, b = ends.a_max if ends.a_max_closed else ends.a_max - 1.0, None
            for n_iter in range(1, 201):
                b_new = ends.best_b(a)
                if not math.isfinite(b_new):
                    b = b_new
                    break
                a_new = ends.best_a(b_new)
                if b_new == b and a_new == a:
                    break
                a, b = a_new, b_new
        if not math.isfinite(b):
            raise ValueError("uniform: the censored likelihood keeps rising as the support's upper end "
                             "goes to infinity (every row that bounds it is right-censored)")
        if not math.isfinite(a):
            raise ValueError("uniform: the censored likelihood keeps rising as the support's lower end "
                             "goes to -infinity (every row that bounds it is left-censored)")
        loc = a
        scale = float(fixed["scale"]) if "scale" in fixed else ends.aligned_scale(a, b)
        params = np.array([loc, scale])
        from ._natural import natural_sums

        ll = ends.loglike(loc, loc + scale)
        converged = n_iter < 200
        message = ("support ends by bisection on their one-sided slopes" if converged else
                   "the support's ends were still moving after 200 rounds")
        message += f"; censored data ({sample.summary()})"
        H = natural_sums(self, sample, params)[3] if ends.smooth_at(loc, loc + scale) else None
        retvals = {"method": "bisection", "n_iter": n_iter, "message": message, "converged": converged,
                   "censored": dict(sample.counts)}
        return FitResult(self, params, fixed, ll, sample.nobs, H, converged, message, n_iter, 0.0,
                         data=sample, mle_retvals=retvals)

    def loglike_at(self, data, params):
        loc, scale = (float(v) for v in params)
        summary = data.scan()
        if not scale >= 0 or summary.min < loc or summary.max > loc + scale:
            return -np.inf
        if scale == 0.0:
            return np.inf
        return -summary.sum_w * math.log(scale)


uniform = Uniform()


class _CensoredEnds:
    """The censored uniform log-likelihood as a function of the support's
    ends ``a < b``, with one-sided slopes and 1-D maximizers (numpy; a row
    is its (lower, upper) bounds and weight)."""

    def __init__(self, sample):
        lo, hi = sample.lower, sample.upper
        w = np.ones(lo.shape[0]) if sample.weights is None else sample.weights
        ex = sample.exact
        self.w_all = float(w.sum())
        self.lo, self.hi, self.w = lo[~ex], hi[~ex], w[~ex]
        ex_lo = float(lo[ex].min()) if ex.any() else math.inf
        ex_hi = float(lo[ex].max()) if ex.any() else -math.inf
        tops = self.hi[np.isfinite(self.hi)]
        bottoms = self.lo[np.isfinite(self.lo)]
        top = float(tops.min()) if tops.size else math.inf
        bottom = float(bottoms.max()) if bottoms.size else -math.inf
        # a <= min(exact) (closed), a < every finite upper bound (open)
        self.a_max, self.a_max_closed = (ex_lo, True) if ex_lo < top else (top, False)
        self.b_min, self.b_min_closed = (ex_hi, True) if ex_hi > bottom else (bottom, False)
        self.ex_lo, self.ex_hi = ex_lo, ex_hi

    def loglike(self, a, b):
        if not (b > a and a <= self.ex_lo and b >= self.ex_hi):
            return -math.inf
        length = np.minimum(self.hi, b) - np.maximum(self.lo, a)
        if np.any(length <= 0):
            return -math.inf
        return float(np.dot(self.w, np.log(length))) - self.w_all * math.log(b - a)

    def slope_b(self, a, b, side):
        """d/db from the right (side > 0) or the left."""
        length = np.minimum(self.hi, b) - np.maximum(self.lo, a)
        moving = self.hi > b if side > 0 else self.hi >= b
        return float(np.sum(self.w[moving] / length[moving])) - self.w_all / (b - a)

    def slope_a(self, a, b, side):
        """d/da from the right (side > 0) or the left."""
        length = np.minimum(self.hi, b) - np.maximum(self.lo, a)
        moving = self.lo <= a if side > 0 else self.lo < a
        return self.w_all / (b - a) - float(np.sum(self.w[moving] / length[moving]))

    @staticmethod
    def _root(slope, lo, hi, lo_open, hi_open):
        """The maximizer of a unimodal function on [lo, hi] from its one-sided
        slopes ``slope(x, side)`` (at an open end the function is -inf)."""
        if not lo_open and slope(lo, 1) <= 0:
            return lo
        if not hi_open and slope(hi, -1) >= 0:
            return hi
        while True:
            mid = 0.5 * (lo + hi)
            if not lo < mid < hi:
                # adjacent floats: the one inside the domain
                return hi if lo_open else lo
            if slope(mid, 1) > 0:
                lo, lo_open = mid, False
            elif slope(mid, -1) < 0:
                hi, hi_open = mid, False
            else:
                return mid          # a kink holding the maximum

    def best_b(self, a):
        lo = max(self.b_min, a)
        lo_open = not self.b_min_closed or lo == a
        step = max(lo - a, abs(lo) * 1e-8, 1e-300)
        hi = lo + step
        for _ in range(2100):
            if self.slope_b(a, hi, -1) < 0:
                break
            step *= 2.0
            hi = lo + step
            if not math.isfinite(hi):
                return math.inf
        else:
            return math.inf
        return self._root(lambda b, side: self.slope_b(a, b, side), lo, hi, lo_open, True)

    def best_a(self, b):
        hi = min(self.a_max, b)
        hi_open = not self.a_max_closed or hi == b
        step = max(b - hi, abs(hi) * 1e-8, 1e-300)
        lo = hi - step
        for _ in range(2100):
            if self.slope_a(lo, b, 1) > 0:
                break
            step *= 2.0
            lo = hi - step
            if not math.isfinite(lo):
                return -math.inf
        else:
            return -math.inf
        return self._root(lambda a, side: self.slope_a(a, b, side), lo, hi, True, hi_open)

    def best_a_shifted(self, scale):
        """a maximizing loglike(a, a + scale) (concave in a)."""
        lo, hi = self.b_min - scale, self.a_max
        if not lo <= hi:
            from .._data import FitDataError
            raise FitDataError(f"Invalid values in `data`: maximum likelihood estimation with 'uniform' "
                               f"and fscale={scale!r} needs a support of that length holding every exact "
                               f"value and meeting every censored row.")

        def slope(a, side):
            return self.slope_a(a, a + scale, side) + self.slope_b(a, a + scale, side)

        return self._root(slope, lo, hi, not self.b_min_closed, not self.a_max_closed)

    def aligned_scale(self, a, b):
        """b - a, raised by ulps until the largest exact value lies inside
        the support as scipy ((x - loc) / scale <= 1) and the kernel
        ((x - loc) * (1 / scale) <= 1) compute it."""
        scale = b - a
        x = self.ex_hi
        if math.isfinite(x):
            while (x - a) / scale > 1.0 or (x - a) * (1.0 / scale) > 1.0:
                scale = float(np.nextafter(scale, math.inf))
        return scale

    def smooth_at(self, a, b):
        """No end on a kink: no exact extreme and no censoring bound at it."""
        bounds = np.concatenate([self.lo, self.hi])
        return (a < self.ex_lo and b > self.ex_hi
                and not np.any(np.isclose(bounds, a, rtol=1e-12, atol=0))
                and not np.any(np.isclose(bounds, b, rtol=1e-12, atol=0)))
