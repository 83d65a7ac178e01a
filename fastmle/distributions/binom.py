"""``binom(n, p, loc)`` with ``n`` fixed by the caller; closed-form p = mean(k) / n."""
import math

import numpy as np

from .. import _special
from ._family import ShapeFamily


class Binom(ShapeFamily):
    """Binomial distribution, ``scipy.stats.binom`` parametrization.

    ``pmf(k) = C(n, k) p**k (1 - p)**(n - k)`` for ``k = x - loc`` in
    ``0..n``. The number of trials ``n`` is not estimated: the caller fixes
    it (``fn=10``, ``f0=10`` or ``fix_n=10``; with :func:`fastmle.fit`,
    equal bounds), otherwise a ``ValueError`` says so; data above
    ``loc + n`` raise a :class:`fastmle.FitDataError`. The MLE of ``p`` is the
    closed form ``mean(k) / n``, read off the validating scan when ``loc`` is
    fixed; ``p = 0`` or ``1`` (all counts at an end) is reported as a
    boundary estimate. A free ``loc`` ranges over the integers between
    ``max(x) - n`` and ``min(x)``, all profiled.
    """

    name = "binom"
    shapes = ("n", "p")
    kernel_shapes = ("p",)
    probabilities = ("p",)
    required_fixed = ("n",)
    quick_closed_form = True

    def _kernel_params(self, shapes):
        n, p = shapes
        return [p, n, math.log(p) if p > 0 else -math.inf, math.log1p(-p) if p < 1 else -math.inf]

    def _constant(self, shapes):
        n, p = shapes
        return float(_special.lgamma(n + 1.0)), np.zeros(1), np.zeros((1, 1))

    def _support_max(self, shapes):
        return shapes[0]

    def _summary_closed_form(self, summary, spec, loc):
        if "p" in spec.fixed:
            return None
        n = spec.fixed["n"]
        return n, ((summary.mean - loc) / n if n > 0 else 0.0)

    def _fit_shapes(self, table, stats, spec, loc):
        n = spec.fixed["n"]
        if "p" in spec.fixed:
            return (n, spec.fixed["p"]), {}, [], True, None
        if n == 0:
            raise ValueError("binom: with n = 0 every count is 0 and p is not identified")
        p = stats.mean / n
        if p <= 0.0:
            return (n, 0.0), {"p": 0.0}, ["every k = x - loc is 0: p = 0 on the boundary"], True, None
        if p >= 1.0:
            return (n, 1.0), {"p": 1.0}, ["every k = x - loc is n: p = 1 on the boundary"], True, None
        return (n, p), {}, [], True, None

    def _std_moments(self, shapes):
        n, p = shapes
        q = 1.0 - p
        v = n * p * q
        return n * p, v, (q - p) / math.sqrt(v), (1.0 - 6.0 * p * q) / v


binom = Binom()
