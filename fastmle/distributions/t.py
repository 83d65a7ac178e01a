"""``t(df, loc, scale)``: Student's t on the family kernel."""
import math

import numpy as np

from .. import _special
from ._family import LocScaleFamily, sample_quantiles


class T(LocScaleFamily):
    """Student's t distribution, ``scipy.stats.t`` parametrization.

    Heavy tails make the likelihood multimodal in loc for small ``df``;
    Newton starts from the median and a robust scale (the interquartile
    range of a t is about 1.35 scale for large df and wider for small).
    """

    name = "t"
    shapes = ("df",)
    positive = ("df",)

    def _constant(self, shapes):
        nu = shapes[0]
        c0 = (_special.lgamma(0.5 * (nu + 1)) - _special.lgamma(0.5 * nu)
              - 0.5 * math.log(nu * math.pi))
        c1 = 0.5 * (_special.digamma(0.5 * (nu + 1)) - _special.digamma(0.5 * nu)) - 0.5 / nu
        c2 = 0.25 * (_special.trigamma(0.5 * (nu + 1)) - _special.trigamma(0.5 * nu)) + 0.5 / nu ** 2
        return c0, np.array([c1]), np.array([[c2]])

    def _initial(self, data, summary, spec):
        # median and quartiles are robust to the heavy tails; the ratio of the
        # 10-90% range to the interquartile range (2.0 for df = 1, 1.9 for a
        # normal... too flat) -- the excess kurtosis 6 / (df - 4) says more
        q10, q25, q50, q75, q90 = sample_quantiles(data, [0.1, 0.25, 0.5, 0.75, 0.9])
        kurt = summary.kurtosis
        df = min(4.0 + 6.0 / kurt, 100.0) if kurt > 0.06 else 100.0
        # interquartile range of a standard t: 2 * t.ppf(0.75, df), about
        # 2.0 (df = 1) to 1.35 (normal)
        iqr_std = 1.349 + 0.65 / df
        scale = (q75 - q25) / iqr_std if q75 > q25 else math.sqrt(summary.var)
        return (df,), q50, scale

    def _std_moments(self, shapes):
        (df,) = shapes
        # moments of order >= df do not exist
        mean = 0.0 if df > 1 else math.nan
        var = df / (df - 2.0) if df > 2 else (math.inf if df > 1 else math.nan)
        skew = 0.0 if df > 3 else math.nan
        kurt = 6.0 / (df - 4.0) if df > 4 else (math.inf if df > 2 else math.nan)
        return mean, var, skew, kurt

t = T()
