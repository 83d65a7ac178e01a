"""``skewnorm(a, loc, scale)``: the skew-normal on the family kernel."""
import math
import warnings

import numpy as np

from ._base import FitSpec
from ._family import LocScaleFamily
from .._results import FitResult

#: |a| beyond which the skew-normal is the half-normal to within float64 for
#: every observation more than ~1e-6 scale on the short side
A_LIMIT = 1e4


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

    def _std_moments(self, shapes):
        a = shapes[0]
        d = a / math.sqrt(1.0 + a * a)
        mu = d * math.sqrt(2.0 / math.pi)
        var = 1.0 - mu * mu
        skew = 0.5 * (4.0 - math.pi) * mu ** 3 / var ** 1.5
        kurt = 2.0 * (math.pi - 3.0) * mu ** 4 / var ** 2
        return mu, var, skew, kurt

    def _fit(self, data, spec):
        result = super()._fit(data, spec)
        if spec.method != "mle" or "a" in spec.fixed:
            return result
        a = result.params[0]
        if abs(a) < A_LIMIT and (result.converged or abs(a) < 50.0):
            return result
        return self._half_normal_limit(data, spec, result)

    def _half_normal_limit(self, data, spec, result):
        """|a| ran off: compare with the half-normal limit and with fits at
        large fixed |a|, and keep the best.

        The supremum is the half-normal likelihood with loc at the sample
        extreme on the short side; it is approached with loc a gap
        ``8 scale / |a|`` beyond that extreme (where log Phi(8) ~ -6e-16
        for the extreme observation) and |a| as large as the gap can
        still be resolved in float64.
        """
        sign = 1.0 if result.params[0] > 0 else -1.0
        summary = data.check_finite()
        best, total_iter = result, result.n_iter
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
            if ll > best.llf:
                H = self._evaluate(data, (a, loc, scale))[2]
                best = FitResult(self, (a, loc, scale), spec.fixed, ll, result.nobs, H, True, "",
                                 0, 0.0, data=data)
        for mag in (A_LIMIT, 1e6, 1e8):
            fixed = dict(spec.fixed, a=sign * mag)
            if all(n in fixed for n in self.param_names):
                break
            guesses = {k: v for k, v in zip(self.param_names, result.params) if k not in fixed}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = super()._fit(data, FitSpec(guesses, fixed, "mle", spec.freed))
            except (ValueError, ArithmeticError):
                continue
            total_iter += res.n_iter
            if res.llf > best.llf:
                best = res
        msg = ("the likelihood keeps rising as |a| -> inf (the sample is more skewed than any "
               f"skew-normal; half-normal limit): the estimate is held at a = {best.params[0]:.3g}")
        return FitResult(self, tuple(best.params), spec.fixed, best.llf, result.nobs, best._hessian,
                         False, msg, total_iter, best.grad_norm, boundary=("a",), data=data,
                         mle_retvals=best.mle_retvals)


skewnorm = SkewNorm()
