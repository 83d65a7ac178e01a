"""``genpareto(c, loc, scale)``: generalized Pareto on the family kernel."""
import math

from ._upper_edge import compare_upper_edge, repair_warm
from ._base import FitSpec
from ._family import LocScaleFamily, sample_quantiles


class GenPareto(LocScaleFamily):
    """Generalized Pareto distribution, ``scipy.stats.genpareto`` parametrization.

    Density ``(1 + c z)^(-1 - 1/c)`` of ``z = (x - loc) / scale`` on ``z >= 0``
    (and ``z <= -1/c`` when ``c < 0``); ``c = 0`` is the exponential. The C
    density is one smooth expression across ``c = 0`` (a series in ``c z``
    near 0), so Newton crosses the exponential case without a seam.

    A free ``loc`` is set to ``min(x)``: for ``c > -1`` the log-likelihood
    increases with ``loc`` at any fixed ``(c, scale)`` (the density decreases
    from ``z = 0``), so every point with ``loc < min(x)`` is beaten by one
    with ``loc = min(x)``; the shape and scale are then maximized there.
    (For ``c < -1`` the density is unbounded at the upper end and the
    likelihood has no maximum.)
    """

    name = "genpareto"
    shapes = ("c",)
    real_shapes = ("c",)

    def _support(self, shapes):
        c = shapes[0]
        return 0.0, (-1.0 / c if c < 0 else math.inf)

    def _std_moments(self, shapes):
        c = shapes[0]
        nan = math.nan
        mean = 1.0 / (1.0 - c) if c < 1 else math.inf
        var = 1.0 / ((1.0 - c) ** 2 * (1.0 - 2.0 * c)) if c < 0.5 else math.inf
        skew = 2.0 * (1.0 + c) * math.sqrt(1.0 - 2.0 * c) / (1.0 - 3.0 * c) if c < 1 / 3 else nan
        kurt = 3.0 * (1.0 - 2.0 * c) * (2.0 * c * c + c + 3.0) / ((1.0 - 3.0 * c) * (1.0 - 4.0 * c)) - 3.0 \
            if c < 0.25 else nan
        return mean, var, skew, kurt

    def _initial(self, data, summary, spec):
        loc = spec.fixed.get("loc", summary.min)
        m = summary.mean - loc
        v = summary.var
        c = 0.5 * (1.0 - m * m / v) if v > 0 else 0.0
        # c >= 0 is feasible for any scale (unbounded support); a negative
        # moment estimate starts at the exponential and Newton moves on
        c = min(max(c, 0.0), 0.45)
        if "c" in spec.fixed:
            c = spec.fixed["c"]
        if c >= 0.5 and m > 0:
            # the mean does not exist for c >= 1 (m (1 - c) would be a
            # negative scale): match the median, scale (2^c - 1) / c
            med = float(sample_quantiles(data, [0.5])[0]) - loc
            scale = c * med / math.expm1(c * math.log(2.0)) if med > 0 else m
        else:
            scale = m * (1.0 - c) if m > 0 else math.sqrt(v) or 1.0
        if c < 0:
            scale = max(scale, -c * (summary.max - loc) * 1.01)
        return (c,), loc, scale

    def _problem(self, data, spec):
        repair_warm(spec, data.check_finite(), -1)
        if "loc" in spec.fixed or spec.method != "mle":
            return super()._problem(data, spec)
        # free loc: held at min(x) (see the class docstring); c and scale free
        summary = data.check_finite()
        if not summary.var > 0:
            raise ValueError("all observations are equal: genpareto's scale MLE is 0 and the "
                             "likelihood is unbounded")
        spec2 = type(spec)(spec.guesses, dict(spec.fixed, loc=summary.min), spec.method, spec.freed)
        spec2.warm = spec.warm
        problem = super()._problem(data, spec2)
        problem.boundary = {"loc": summary.min}
        problem.notes.append("loc = min(x): for c > -1 the likelihood increases with loc up to the "
                             "smallest observation")
        return problem

    def _fit(self, data, spec):
        # the upper end of the support with |c| > 1: see _upper_edge.py
        return compare_upper_edge(self, data, spec, super()._fit(data, spec), -1)

    def _censored_start_fit(self, pseudo, spec):
        # a start needs the regular maximum only, not the |c| > 1 edge search
        return super()._fit(pseudo, spec)

    def _censored_starts(self, sample, pseudo, spec, start_fit, transforms):
        # the exponential (c = 0) and the moment start (cheap: first): the
        # stand-ins' fit can end at the c < -1 edge, where ties at a
        # censoring point pull it, with a support that misses the
        # right-censored rows
        summary = pseudo.check_finite()
        for c in (spec.fixed["c"],) if "c" in spec.fixed else (0.0, None):
            fixed = dict(spec.fixed) if c is None else dict(spec.fixed, c=c)
            shapes, loc, scale = self._initial(pseudo, summary, FitSpec({}, fixed, "mle"))
            yield (*shapes, loc, scale)
        yield from super()._censored_starts(sample, pseudo, spec, start_fit, transforms)


genpareto = GenPareto()
