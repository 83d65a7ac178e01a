"""``logistic(loc, scale)`` on the family kernel."""
import math

from ._family import LocScaleFamily


class Logistic(LocScaleFamily):
    """Logistic distribution, ``scipy.stats.logistic`` parametrization."""

    name = "logistic"

    def _initial(self, data, summary, spec):
        # the logistic variance is (pi scale)^2 / 3
        return (), summary.mean, math.sqrt(3.0 * summary.var) / math.pi

    def _std_moments(self, shapes):
        return 0.0, math.pi ** 2 / 3.0, 0.0, 1.2

logistic = Logistic()
