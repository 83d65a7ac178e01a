"""``skewnorm(a, loc, scale)``: the skew-normal on the family kernel."""
import copy
import math

import numpy as np

from .. import _budget
from ._base import FitSpec, active_prior
from ._realline import check_not_all_equal, quietly
from ._family import LocScaleFamily
from ._charts import CHARTS
from .._results import FitResult

#: Beyond this |a| (or when Newton does not converge) the profile search in
#: a and the half-normal limits of both signs are compared with Newton's end.
A_LARGE = 30.0
#: A free fit ending with |a| below this scans the profile in a (see SkewNorm._scan_near_normal).
NEAR_NORMAL = 1.0


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


#: With every parameter free and no warm start, the centred chart is used
#: unless the start's |a| lies in this range (see ``SkewNorm._limit_chart``).
CHART_OUTSIDE_A = (1.0, 10.0)


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
      likelihood keeps rising as ``|a| -> inf`` (the half-normal limit),
      and for large finite ``|a|`` it is so flat that Newton crawls. A fit
      that ends with ``|a| > 30`` (or crawls past it) is compared with the
      profile likelihood in ``a`` of both signs (a grid up to 1e8,
      golden-section refinement; located on a subsample for large data)
      and the half-normal limits, and the best is kept;
      the limit is reported in the message with ``a`` in ``boundary``.
    """

    name = "skewnorm"
    shapes = ("a",)
    real_shapes = ("a",)

    def _constant(self, shapes):
        return math.log(2.0) - 0.5 * math.log(2.0 * math.pi), np.zeros(1), np.zeros((1, 1))

    def _initial(self, data, summary, spec):
        """Moment start values given whatever the caller fixed.

        With loc and scale free, ``a`` comes from the sample skewness. A
        fixed loc or scale pins ``mu = E z = delta sqrt(2/pi)`` by the first
        two moments alone (``E(x - loc)^2 = scale^2`` for every ``a``), which
        is far better than the noisy skewness: from the skewness start a
        fixed scale can sit across ``a = 0`` from the maximum, and the
        likelihood in ``a`` then has a second, lower mode there.
        """
        check_not_all_equal(self, summary, spec)
        loc, scale = spec.fixed.get("loc"), spec.fixed.get("scale")
        if "a" in spec.fixed or "a" in spec.guesses:
            a = spec.fixed.get("a", spec.guesses.get("a"))
            d = a / math.sqrt(1.0 + a * a)
        else:
            if loc is not None:
                # E(x - loc) = scale mu with scale = sqrt(E(x - loc)^2) if free
                s = scale if scale is not None else math.sqrt(summary.var + (summary.mean - loc) ** 2)
                mu = (summary.mean - loc) / s if s > 0 else 0.0
            elif scale is not None:
                # var = scale^2 (1 - mu^2); the sign of mu is the skewness'
                mu = math.copysign(math.sqrt(max(1.0 - summary.var / (scale * scale), 0.0)),
                                   summary.skew if summary.skew != 0 else 1.0)
            else:
                mu = None
            if mu is None:
                d = _delta_of_skew(min(max(summary.skew, -0.99), 0.99))
            else:
                # |delta| <= 0.99 (|a| <= 7); at least 0.1 so that a starts off
                # the stationary point a = 0 on the side the moments point to
                d = mu * math.sqrt(0.5 * math.pi)
                d = math.copysign(min(max(abs(d), 0.1), 0.99), d if d != 0 else summary.skew or 1.0)
            a = d / math.sqrt(1.0 - d * d)
        mu = d * math.sqrt(2.0 / math.pi)
        sd = math.sqrt(summary.var)
        if scale is None:
            if loc is None:
                scale = sd / math.sqrt(1.0 - mu * mu)
            else:
                # E(x - loc)^2 = scale^2 for every a
                scale = math.sqrt(summary.var + (summary.mean - loc) ** 2)
        if not scale > 0:
            scale = 1.0
        if loc is None:
            loc = summary.mean - scale * mu
        return (a,), loc, scale

    def _limit_chart(self, start, data, spec=None):
        # every parameter free: the centred parametrization (the data's mean,
        # sd and c^3 ~ skewness; _charts.SkewnormChart), where a = 0 is a
        # regular point and Newton also converges at large |a| (a = 37 on
        # lognormal data: 4 passes where the direct one crawled for 140).
        # Between those ends the direct parametrization is regular and, for
        # a fit without a warm start (small data), its Python-side work per
        # iteration is lighter: a start with 1 <= |a| <= 10 stays there
        # (skewed data of the family, a = 4: 0.23 ms against 0.37 at 100
        # rows). From a warm start the chart needs a pass fewer (1e6 rows:
        # 66 ms against 76).
        warm = spec is not None and spec.warm is not None
        if not warm and CHART_OUTSIDE_A[0] <= abs(start[0]) <= CHART_OUTSIDE_A[1]:
            return None
        return CHARTS["skewnorm"]

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
        if active_prior(spec):
            # MAP: Newton on the posterior. The half-normal limit search below
            # profiles the likelihood alone; a posterior that still runs off
            # to |a| = inf (no proper prior on a) has no mode to report
            try:
                return super()._fit(data, spec)
            except _RunsOff as stop:
                raise ValueError(
                    f"skewnorm: the posterior keeps rising as |a| -> inf (the sample is more skewed "
                    f"than any skew-normal; Newton reached a = {stop.params[0]:.3g}) and the priors do "
                    "not stop it: there is no posterior mode; give a a proper prior (e.g. "
                    "fastmle.priors.Normal(0, 10))") from None
        result = self._fit_from_start(data, spec)
        if (("loc" in spec.fixed or "scale" in spec.fixed) and "a" not in spec.guesses
                and spec.warm is None):
            # A fixed loc or scale away from the free fit's values gives the
            # likelihood in a several modes: one of each sign (seen: 38 nats
            # apart with a fixed scale on 400 points), or one near a = 0 and
            # a rise to the half-normal limit. The fixed-parameter moments
            # of _initial, the sample skewness and the mirror of the first
            # answer each point to one of them: Newton from each, the best
            # kept. (Large data start from a subsample's fit, which made
            # this choice already: spec.warm.)
            skew = min(max(data.check_finite().skew, -0.99), 0.99)
            d = _delta_of_skew(skew)
            a = float(result.params[0])
            for a0 in (d / math.sqrt(1.0 - d * d), -math.copysign(min(max(abs(a), 0.2), 7.0), a)):
                other_spec = copy.copy(spec)
                other_spec.guesses = dict(spec.guesses, a=a0)
                other_spec.warm = None
                other = self._fit_from_start(data, other_spec)
                if other.llf > result.llf:
                    result = other
        elif (result.converged and abs(result.params[0]) < NEAR_NORMAL and "a" not in spec.guesses
              and spec.warm is None):
            result = self._scan_near_normal(data, spec, result)
        return result

    def _scan_near_normal(self, data, spec, result):
        """Near-normal data (Newton ended with |a| < 1): the profile
        likelihood in a is flat about its stationary point a = 0 and can
        rise again further out (40 points: Newton stopped at a = -0.16, 1.6
        nats below the half-normal limit a -> -inf, with a narrow mode at
        a = 7.5 on the other side). The profile is evaluated at a = +-6
        (loc and scale from the moments at each a, then maximized; a pass
        or two of Newton each) and a free Newton from the better point
        replaces the first answer if it ends higher."""
        best = None
        for a0 in (-6.0, 6.0):
            at = self._fit_at_a(data, spec, a0, ())
            if at is not None and at.llf > result.llf and (best is None or at.llf > best.llf):
                best = at
        if best is None:
            return result
        polish_spec = copy.copy(spec)
        polish_spec.guesses = {k: float(v) for k, v in zip(self.param_names, best.params)
                               if k not in spec.fixed}
        polish_spec.warm = None
        try:
            polished = self._fit_from_start(data, polish_spec)
        except (ValueError, ArithmeticError):
            return result
        return polished if polished.llf > result.llf else result

    def _fit_from_start(self, data, spec):
        """Newton from the start ``spec`` implies; near the half-normal limit
        the profile search in a."""
        try:
            result = quietly(super()._fit, data, spec)
        except _RunsOff as stop:
            return self._half_normal_limit(data, spec, None, stop.params)
        a = result.params[0]
        if abs(a) <= A_LARGE and result.converged:
            return result
        # large |a|: the likelihood is flat in a, possibly rising to the
        # half-normal limit, and can have a better mode of the other sign
        return self._half_normal_limit(data, spec, result, tuple(result.params))

    def _censored_start_fit(self, pseudo, spec):
        # a start needs a regular point, not the half-normal limit search
        # (right-censored rows tied at one value often send the stand-ins'
        # fit there); Newton running off makes the start doubtful instead
        if "a" in spec.fixed:
            return super()._censored_start_fit(pseudo, spec)
        try:
            return quietly(LocScaleFamily._fit, self, pseudo, spec)
        except _RunsOff as stop:
            a = math.copysign(A_LARGE, stop.params[0])
            held = self._fit_at_a(pseudo, spec, a, stop.params)
            if held is None:
                return super()._censored_start_fit(pseudo, spec)
            held.converged = held.success = False      # a doubtful start: other starts are tried
            return held

    def _censored_starts(self, sample, pseudo, spec, start_fit, transforms):
        # the stand-ins' moment starts with a of both signs and a = 0
        # (cheap: first): censoring can flip the stand-ins' skewness, and a
        # start on the wrong side of the saddle near a = 0 stops there
        if "a" not in spec.fixed:
            summary = pseudo.check_finite()
            (a,), _, _ = self._initial(pseudo, summary, FitSpec({}, dict(spec.fixed), "mle"))
            for a0 in (a, -a, 0.0):
                (a0,), loc, scale = self._initial(pseudo, summary, FitSpec({}, dict(spec.fixed, a=a0), "mle"))
                yield (a0, loc, scale)
        yield from super()._censored_starts(sample, pseudo, spec, start_fit, transforms)

    def _fit_at_a(self, data, spec, a, guess):
        """Maximize over loc and scale (those free) with a held at ``a``:
        one point of the profile likelihood in a."""
        if _budget.spent():     # a work budget (fastmle.select) ran out: no more passes
            return None
        fixed = dict(spec.fixed, a=a)
        guesses = {k: v for k, v in zip(self.param_names, guess) if k not in fixed}
        try:
            res = quietly(super()._fit, data, FitSpec(guesses, fixed, "mle", spec.freed))
        except (ValueError, ArithmeticError):
            return None
        return res if np.isfinite(res.llf) else None

    def _half_normal_limit(self, data, spec, result, last):
        """Newton ran off towards |a| = inf: search the profile likelihood in a.

        The profile (loc and scale maximized at each a) is evaluated on a
        geometric grid of |a| from where Newton stopped up to 1e8, refined by
        golden-section search around the best interior grid point, and
        compared with the half-normal limit itself: loc a gap ``8 scale/|a|``
        beyond the sample extreme on the short side, |a| as large as that
        gap can be resolved in float64 (log Phi(8) ~ -6e-16 for the extreme
        observation). An interior optimum is returned as a regular one;
        otherwise the limit, with a message and ``a`` in ``boundary``.
        """
        summary = data.check_finite()
        if result is not None and result.converged and "chart" in result.mle_retvals:
            # a regular maximum of the centred chart (Newton converges there
            # at any |a|): only the half-normal limit of its sign is left to
            # compare, one pass, not the profile searches of both signs
            sign = 1.0 if last[0] > 0 else -1.0
            limit = self._profile_search(data, spec, summary, sign, last, limit_only=True)[0]
            if limit is None or not limit.llf > result.llf:
                return result
            result = None
        n_iter = 0 if result is None else result.n_iter
        first = 1.0 if last[0] > 0 else -1.0
        if data.n_rows > 4 * self.warm_start_rows:
            # locate each sign's best on a subsample, refine around it on all rows
            subdata = data.subsample(self.warm_start_rows)
            ssum = subdata.check_finite()
            found = []
            for sign in (first, -first):
                lim, cs, _, it = self._profile_search(subdata, spec, ssum, sign, last if sign == first else None)
                pool = cs + ([lim] if lim is not None else [])
                if pool:
                    b = max(pool, key=lambda r: r.llf)
                    found.append(self._profile_search(data, spec, summary, sign, tuple(b.params), narrow=True))
        else:
            # Newton may have run off on the wrong side: both signs are searched
            found = [self._profile_search(data, spec, summary, sign, last if sign == first else None)
                     for sign in (first, -first)]
        cands = [r for r in [result] if r is not None]
        limits = []
        interior_any = False
        for limit, cs, interior, it in found:
            cands += cs
            n_iter += it
            interior_any = interior_any or interior
            if limit is not None:
                cands.append(limit)
                limits.append(limit)
        if not cands:
            raise ValueError("skewnorm: no finite log-likelihood near the half-normal limit; the data "
                             "may be degenerate")
        top = max(cands, key=lambda r: r.llf)
        if all(top is not lim for lim in limits) and abs(top.params[0]) < 0.5e8:
            # polish an interior profile maximum with a free Newton from it
            guesses = {k: v for k, v in zip(self.param_names, top.params) if k not in spec.fixed}
            try:
                polished = quietly(super()._fit, data, FitSpec(guesses, dict(spec.fixed), "mle", spec.freed))
                n_iter += polished.n_iter
                if polished.llf > top.llf and abs(polished.params[0]) < 0.5e8:
                    top = polished
            except (_RunsOff, ValueError, ArithmeticError):
                pass
        params = tuple(top.params)
        H = self._evaluate(data, params)[2]
        if all(top is not lim for lim in limits) and abs(params[0]) < 0.5e8:
            msg = (f"large shape a = {params[0]:.6g}: Newton crawled in the flat direction of a; "
                   "the estimate is the maximum of the profile likelihood in a")
            return FitResult(self, params, spec.fixed, top.llf, summary.sum_w, H, top.converged, msg,
                             n_iter, top.grad_norm, data=data, mle_retvals=top.mle_retvals)
        msg = ("the likelihood keeps rising as |a| -> inf (the sample is more skewed than any "
               f"skew-normal; half-normal limit): the estimate is held at a = {params[0]:.3g}")
        return FitResult(self, params, spec.fixed, top.llf, summary.sum_w, H, False, msg, n_iter,
                         top.grad_norm, boundary=("a",), data=data, mle_retvals=top.mle_retvals)

    def _profile_search(self, data, spec, summary, sign, last, narrow=False, limit_only=False):
        """One sign of a: the half-normal limit, the profile grid and its
        refinement (``narrow``: only a bracket of a factor 4 about ``last``;
        ``limit_only``: the limit alone).
        Returns (limit result or None, candidate results, whether the grid
        maximum is interior, Newton iterations)."""
        n_iter = 0
        limit = None
        edge = summary.min if sign > 0 else summary.max
        loc = spec.fixed.get("loc")
        if loc is None:
            s0 = spec.fixed.get("scale", math.sqrt(summary.var + (summary.mean - edge) ** 2))
            gap = max(8.0 * s0 / 1e12, 8.0 * math.ulp(edge))
            loc = edge - sign * gap
        gap = sign * (edge - loc)
        if gap > 0:
            scale = spec.fixed.get("scale", math.sqrt(summary.var + (summary.mean - loc) ** 2))
            params = (sign * max(8.0 * scale / gap, 1e12), loc, scale)
            ll = self.loglike_at(data, params)
            if np.isfinite(ll):
                limit = FitResult(self, params, spec.fixed, ll, summary.sum_w,
                                  self._evaluate(data, params)[2], False, "", 0, 0.0, data=data)
        if limit_only:
            return limit, [], False, n_iter
        # the profile in a on a grid (factor ~4 over 1..1e8: wherever Newton
        # crawled to, possibly far past the maximum) and a golden-section
        # refinement; ``narrow``: a factor 4 either side of ``last``
        if narrow:
            start = max(abs(last[0]), 1.0)
            grid = np.array([start / 4.0, start, min(4.0 * start, 1e8)]) if start < 1e8 else np.array([start])
            guess = last
        else:
            grid = np.geomspace(1.0, 1e8, 14)
            guess = (sign, summary.mean, math.sqrt(summary.var) or 1.0)
        prof = []
        for mag in grid.tolist():
            res = self._fit_at_a(data, spec, sign * mag, guess)
            prof.append(res)
            if res is not None:
                n_iter += res.n_iter
                guess = tuple(res.params)
        lls = np.array([-np.inf if r is None else r.llf for r in prof])
        i = int(np.argmax(lls))
        cands = [r for r in (prof[i],) if r is not None]
        interior = 0 < i < len(grid) - 1 and (limit is None or lls[i] > limit.llf)
        if interior:
            lo, hi = math.log(grid[i - 1]), math.log(grid[i + 1])
            g = 0.5 * (math.sqrt(5.0) - 1.0)
            found = {}

            def at(t):
                if t not in found:
                    found[t] = self._fit_at_a(data, spec, sign * math.exp(t), tuple(prof[i].params))
                r = found[t]
                return -np.inf if r is None else r.llf

            c, d = hi - g * (hi - lo), lo + g * (hi - lo)
            for _ in range(12 if narrow else 30):
                if hi - lo < 1e-9:
                    break
                if at(c) > at(d):
                    hi, d = d, c
                    c = hi - g * (hi - lo)
                else:
                    lo, c = c, d
                    d = lo + g * (hi - lo)
            cands += [r for r in found.values() if r is not None]
        return limit, cands, interior, n_iter


skewnorm = SkewNorm()
