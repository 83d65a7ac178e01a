"""``logistic(loc, scale)`` on the family kernel."""
import math

import numpy as np

from ._family import LocScaleFamily
from ._realline import check_not_all_equal, quick_newton_m0, quick_start


class Logistic(LocScaleFamily):
    """Logistic distribution, ``scipy.stats.logistic`` parametrization:
    log density ``-log(scale) - z - 2 log(1 + e^{-z})``.

    Notes
    -----
    Start values from the moments (the variance is (pi scale)^2 / 3). The
    log-likelihood is concave in loc for a fixed scale. Samples up to 4096
    rows skip the general driver: a scalar Newton iteration on the C
    kernel's sums (``_realline.quick_newton_m0``) is as fast as scipy's
    root-finding ``fit`` at N = 100; larger ones, weights and unusual
    arguments take the shared driver (warm-started from a subsample).
    """

    name = "logistic"

    def _quick_fit(self, x, kwds, n_threads):
        start = quick_start(x, kwds)
        if start is None:
            return None     # NaN/inf data, unusual arguments: the validating path explains
        floc, fscale, mean = start
        if floc is None:
            scale0 = fscale or math.sqrt(3.0) / math.pi * float(np.std(x))
        else:
            scale0 = math.sqrt(3.0 * float(np.mean((x - floc) ** 2))) / math.pi
        loc0 = mean if floc is None else floc
        return quick_newton_m0("logistic", x, loc0, scale0, floc, fscale, 0.0)

    def _initial(self, data, summary, spec):
        check_not_all_equal(self, summary, spec)
        # the logistic variance is (pi scale)^2 / 3
        loc = spec.fixed.get("loc", summary.mean)
        scale = math.sqrt(3.0 * (summary.var + (summary.mean - loc) ** 2)) / math.pi
        return (), summary.mean, scale if scale > 0 else 1.0

    def _std_moments(self, shapes):
        return 0.0, math.pi ** 2 / 3.0, 0.0, 1.2

logistic = Logistic()
