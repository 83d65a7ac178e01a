"""``skewnorm(a, loc, scale)``: the skew-normal on the family kernel."""
import math
import warnings

import numpy as np

from ._base import FitSpec
from ._realline import check_not_all_equal, fit_quietly, reissue
from ._family import LocScaleFamily
from .._results import FitResult

#: |a| beyond which the skew-normal is the half-normal to within float64 for
#: every observation more than ~1e-6 scale on the short side
A_LIMIT = 1e4


class _RunsOff(Exception):
    """Newton is crawling towards |a| = inf (see SkewNorm._problem)."""

    def __init__(self, params):
        super().__init__("a runs off")
        self.params = tuple(float(v) for v in params)


class Asinh:
    """a = sinh(t): linear near a = 0, logarithmic for large |a|.

    The skew-normal likelihood flattens as |a| grows (and keeps rising
    towards the half-normal limit for very skewed samples); with a linear
    transform Newton's capped steps would crawl there. Same interface as
    the transforms of ``fastmle._optimize``.
    """

    def to_internal(self, p):
        return math.asinh(p)

    def to_natural(self, t):
        return math.sinh(max(min(t, 700.0), -700.0))

    def derivs(self, t):
        t = max(min(t, 700.0), -700.0)
        return math.cosh(t), math.sinh(t)

    def natural_and_derivs(self, t):
        t = max(min(t, 700.0), -700.0)
        return math.sinh(t), math.cosh(t), math.sinh(t)


def _delta_of_skew(skew):
    """delta = a / sqrt(1 + a^2) whose skew-normal has skewness ``skew``."""
    s23 = abs(skew) ** (2.0 / 3.0)
    return math.copysign(math.sqrt(0.5 * math.pi * s23 / (s23 + (0.5 * (4.0 - math.pi)) ** (2.0 / 3.0))),
                         skew)


class SkewNorm(LocScaleFamily):
    """Skew-normal distribution, ``scipy.stats.skewnorm`` parametrization:
    log density ``log 2 - log(scale) + log phi(z) + log Phi(a z)``; the
    shape ``a`` is any real number.

    Notes
    -----
    * ``log Phi`` and the ratio ``phi/Phi`` are computed in C without
      underflow far into the left tail (``src/families/skewnorm.h``).
    * Start values by the method of moments (sample skewness clipped to
      +-0.99, as scipy does).
    * When the sample is more skewed than any skew-normal can be, the
      likelihood keeps rising as ``|a| -> inf`` (the half-normal limit).
      A fit that runs past ``|a| = 1e4`` (or does not converge with a large
      ``|a|``) is replaced by the best of the fits with ``a`` held at
      ``+-1e4, 1e6, 1e8`` (loc and scale maximized there); the result's
      message says so and ``a`` is listed in ``boundary``.
    """

    name = "skewnorm"
    shapes = ("a",)
    real_shapes = ("a",)

    def _constant(self, shapes):
        return math.log(2.0) - 0.5 * math.log(2.0 * math.pi), np.zeros(1), np.zeros((1, 1))

    def _initial(self, data, summary, spec):
        check_not_all_equal(self, summary, spec)
        if "a" in spec.fixed or "a" in spec.guesses:
            a = spec.fixed.get("a", spec.guesses.get("a"))
            d = a / math.sqrt(1.0 + a * a)
        else:
            d = _delta_of_skew(min(max(summary.skew, -0.99), 0.99))
            a = d / math.sqrt(1.0 - d * d)
        mu = d * math.sqrt(2.0 / math.pi)
        sd = math.sqrt(summary.var)
        loc = spec.fixed.get("loc")
        if "scale" in spec.fixed:
            scale = spec.fixed["scale"]
        elif loc is None:
            scale = sd / math.sqrt(1.0 - mu * mu)
        else:
            # E(x - loc)^2 = scale^2 for every a
            scale = math.sqrt(summary.var + (summary.mean - loc) ** 2)
        if not scale > 0:
            scale = 1.0
        if loc is None:
            loc = summary.mean - scale * mu
        return (a,), loc, scale

    def _transform(self, name, value, ref_loc, ref_scale):
        if name == "a":
            return Asinh()
        return super()._transform(name, value, ref_loc, ref_scale)

    def _std_moments(self, shapes):
        a = shapes[0]
        d = a / math.sqrt(1.0 + a * a)
        mu = d * math.sqrt(2.0 / math.pi)
        var = 1.0 - mu * mu
        skew = 0.5 * (4.0 - math.pi) * mu ** 3 / var ** 1.5
        kurt = 2.0 * (math.pi - 3.0) * mu ** 4 / var ** 2
        return mu, var, skew, kurt

    def _problem(self, data, spec):
        problem = super()._problem(data, spec)
        if "a" in spec.fixed:
            return problem
        inner = problem.evaluate
        seen = []

        def evaluate(p):
            # Towards the half-normal limit the likelihood flattens like
            # 1 - exp(-(a z)^2/2) and Newton's quadratic model crawls (each
            # step adds ~1/|a z| to |a z|): stop early and let _fit compare
            # the limit instead. A regular optimum takes ~10-20 evaluations.
            seen.append(p[0])
            if len(seen) > 40 and abs(p[0]) > 30.0:
                raise _RunsOff(p)
            return inner(p)

        problem.evaluate = evaluate
        return problem

    def _fit(self, data, spec):
        if spec.method != "mle" or "a" in spec.fixed:
            return super()._fit(data, spec)
        try:
            result, caught = fit_quietly(super()._fit, data, spec)
        except _RunsOff as stop:
            return self._half_normal_limit(data, spec, None, stop.params)
        a = result.params[0]
        if abs(a) < A_LIMIT and (result.converged or abs(a) < 50.0):
            reissue(caught)
            return result
        return self._half_normal_limit(data, spec, result, tuple(result.params))

    def _half_normal_limit(self, data, spec, result, last):
        """|a| ran off: compare with the half-normal limit and with fits at
        large fixed |a|, and keep the best.

        The supremum is the half-normal likelihood with loc at the sample
        extreme on the short side; it is approached with loc a gap
        ``8 scale / |a|`` beyond that extreme (where log Phi(8) ~ -6e-16
        for the extreme observation) and |a| as large as the gap can
        still be resolved in float64.
        """
        sign = 1.0 if last[0] > 0 else -1.0
        summary = data.check_finite()
        best, total_iter = result, 0 if result is None else result.n_iter
        cands = []
        edge = summary.min if sign > 0 else summary.max
        loc = spec.fixed.get("loc")
        if loc is None:
            s0 = spec.fixed.get("scale", math.sqrt(summary.var + (summary.mean - edge) ** 2))
            gap = max(8.0 * s0 / 1e12, 8.0 * math.ulp(edge))
            loc = edge - sign * gap
        gap = sign * (edge - loc)
        if gap > 0:
            scale = spec.fixed.get("scale", math.sqrt(summary.var + (summary.mean - loc) ** 2))
            a = sign * max(8.0 * scale / gap, 1e12)
            cands.append((a, loc, scale))
        for a, loc, scale in cands:
            ll = self.loglike_at(data, (a, loc, scale))
            if best is None or ll > best.llf:
                H = self._evaluate(data, (a, loc, scale))[2]
                best = FitResult(self, (a, loc, scale), spec.fixed, ll, summary.sum_w, H, True, "",
                                 0, 0.0, data=data)
        for a_fixed in (last[0], sign * A_LIMIT, sign * 1e6, sign * 1e8):
            fixed = dict(spec.fixed, a=a_fixed)
            if all(n in fixed for n in self.param_names):
                break
            guesses = {k: v for k, v in zip(self.param_names, last) if k not in fixed}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = super()._fit(data, FitSpec(guesses, fixed, "mle", spec.freed))
            except (ValueError, ArithmeticError):
                continue
            total_iter += res.n_iter
            if best is None or res.llf > best.llf:
                best = res
        if best is None:
            raise ValueError("skewnorm: no finite log-likelihood near the half-normal limit; the data "
                             "may be degenerate")
        msg = ("the likelihood keeps rising as |a| -> inf (the sample is more skewed than any "
               f"skew-normal; half-normal limit): the estimate is held at a = {best.params[0]:.3g}")
        return FitResult(self, tuple(best.params), spec.fixed, best.llf, summary.sum_w, best._hessian,
                         False, msg, total_iter, best.grad_norm, boundary=("a",), data=data,
                         mle_retvals=best.mle_retvals)


skewnorm = SkewNorm()
