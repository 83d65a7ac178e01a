"""``gumbel_l(loc, scale)``: the left-skewed Gumbel (minimum extreme value)."""
from .gumbel_r import GumbelR


class GumbelL(GumbelR):
    """Left-skewed Gumbel distribution, ``scipy.stats.gumbel_l``
    parametrization: log density ``-log(scale) + z - exp(z)``, the
    ``gumbel_r`` density at ``-z`` (its own C kernel; the small-sample
    numpy path fits ``gumbel_r`` to ``-x``).
    """

    name = "gumbel_l"
    _sign = -1.0


gumbel_l = GumbelL()
