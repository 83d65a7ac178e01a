"""``geom(p, loc)``: geometric on k = 1, 2, ...; closed-form p = 1 / mean(k)."""
import math

import numpy as np

from ._family import ShapeFamily


class Geom(ShapeFamily):
    """Geometric distribution, ``scipy.stats.geom`` parametrization.

    ``pmf(k) = (1 - p)**(k - 1) * p`` for ``k = x - loc >= 1``. scipy has no
    ``geom.fit``; like ``scipy.stats.fit``, ``loc`` is held at 0 unless
    freed, and ``(p, loc)`` is returned. The MLE is the closed form
    ``p = 1 / mean(k)`` (the mean is sufficient): with ``loc`` fixed it is
    read off the validating scan alone. Data all equal to ``loc + 1`` give
    ``p = 1`` on the boundary of the parameter space (reported in the
    result's message). A free ``loc`` is the integer maximizing the profile
    likelihood (for a geometric that is ``min(x) - 1``, found by the search).
    """

    name = "geom"
    shapes = ("p",)
    probabilities = ("p",)
    support_min = 1
    quick_closed_form = True

    def _kernel_params(self, shapes):
        (p,) = shapes
        return [p, math.log1p(-p) if p < 1 else -math.inf]

    def _constant(self, shapes):
        (p,) = shapes
        return math.log(p), np.array([1.0 / p]), np.array([[-1.0 / (p * p)]])

    def _summary_closed_form(self, summary, spec, loc):
        if "p" in spec.fixed:
            return None
        return (1.0 / (summary.mean - loc),)

    def _fit_shapes(self, table, stats, spec, loc):
        if "p" in spec.fixed:
            return (spec.fixed["p"],), {}, [], True, None
        p = 1.0 / stats.mean
        if stats.mean <= 1.0:        # every k == 1
            return (1.0,), {"p": 1.0}, ["every k = x - loc equals 1: p = 1 on the boundary"], True, None
        return (p,), {}, [], True, None

    def _std_moments(self, shapes):
        (p,) = shapes
        q = 1.0 - p
        return 1.0 / p, q / (p * p), (2.0 - p) / math.sqrt(q), 6.0 + p * p / q


geom = Geom()
