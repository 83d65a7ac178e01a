"""``cauchy(loc, scale)`` on the family kernel."""
import math

from ._family import LocScaleFamily, sample_quantiles
from ._realline import best_of_loc_starts, robust_loc_transform, check_not_all_equal


class Cauchy(LocScaleFamily):
    """Cauchy distribution, ``scipy.stats.cauchy`` parametrization.

    Log density ``-log(pi) - log(1 + z^2)``, ``z = (x - loc)/scale``.

    Notes
    -----
    The likelihood can have several local maxima in loc (one near each
    cluster of observations). Newton starts from the median and from both
    quartiles (scale from half the interquartile range, which is exactly the
    scale of a Cauchy) and keeps the highest optimum; large data start from
    a subsample's fit, chosen the same way. When the scale (fixed, or
    estimated) is far below the interquartile range there is a mode near
    nearly every observation: the likelihood at loc = each of up to 256
    observations is compared and Newton runs from the best three. With the
    scale free the MLE is
    unique for N >= 3 (Copas 1975), except for ties that make half the
    sample equal (then the likelihood is unbounded as scale -> 0 and the
    fit raises a ValueError saying so).
    The Cauchy has no moments: ``method="MM"`` is not defined (the moment
    hook returns NaN).
    """

    name = "cauchy"

    def _constant(self, shapes):
        return -math.log(math.pi), None, None

    def _initial(self, data, summary, spec):
        check_not_all_equal(self, summary, spec)
        q25, q50, q75 = sample_quantiles(data, [0.25, 0.5, 0.75])
        # half the interquartile range is exactly a Cauchy's scale
        scale = 0.5 * (q75 - q25)
        if not scale > 0:
            scale = math.sqrt(summary.var)
        if "loc" in spec.fixed:
            # the sample may sit far from a fixed loc: widen to reach it
            scale = max(scale, abs(q50 - spec.fixed["loc"]))
        return (), q50, scale

    def _problem(self, data, spec):
        return robust_loc_transform(self, super()._problem(data, spec))

    def _std_moments(self, shapes):
        return math.nan, math.nan, math.nan, math.nan

    def _fit(self, data, spec):
        return best_of_loc_starts(self, super()._fit, data, spec)


cauchy = Cauchy()
