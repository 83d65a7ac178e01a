"""Family distributions whose support is bounded on one side at ``loc``.

rayleigh, halfnorm, invgauss, fisk, lomax (support ``x > loc`` or ``x >=
loc``) and weibull_max (its mirror, ``x < loc``) share the fit logic here:

- ``loc`` fixed: the data are checked against the support (a
  :class:`fastmle.FitDataError` counting the offending observations), the
  other parameters start from the subclass's estimates at that ``loc``
  (closed-form MLEs where they exist) and Newton runs on the family kernel.
- ``loc`` free, density decreasing in ``|x - loc|`` (halfnorm, lomax): the
  likelihood increases with ``loc`` up to ``min(x)`` for any other
  parameters, so ``loc = min(x)`` is set there (a boundary estimate, as
  expon's) and the rest is a fixed-``loc`` fit.
- ``loc`` free otherwise: the ``_locfree`` machinery of gamma and
  weibull_min (start candidates scored by a cheap profile, the coordinate
  ``log(min(x) - loc)`` while the shape says the edge may matter, and the
  comparison with the edge of an unbounded likelihood for shapes below 1).
  weibull_max uses the mirrored coordinate ``log(loc - max(x))``.
"""
import math

import numpy as np

from .. import _norm, _onesided
from .._data import FitDataError
from .._optimize import Above, Affine, Below, Log
from ._base import Distribution, Problem, active_prior
from ._family import LocScaleFamily, sample_quantiles
from ._locfree import best_start, edge_barrier, edge_test, loc_candidates

__all__ = ["OneSidedFamily", "free_loc_prologue", "gap_quantile"]


class _Context:
    """The data, its validating scan and (computed once, on demand) a few
    sample quantiles: what the start-value formulas read."""

    def __init__(self, data, summary):
        self.data = data
        self.summary = summary
        self._q = None
        self._cache = {}

    def quantiles(self):
        """Sample quantiles at ``QS`` (of a strided subsample for large data)."""
        if self._q is None:
            self._q = dict(zip(self.QS, sample_quantiles(self.data, list(self.QS)).tolist()))
        return self._q

    def sum_sq_about(self, loc):
        """``sum w (x - loc)**2`` from the scan's sums about its shift, or
        from a pass about ``loc`` when the shift is far from ``loc`` compared
        with the spread (the shifted form would cancel)."""
        s = self.summary
        d = s.shift - loc
        ss = s.sums[4] + 2.0 * d * s.sums[3] + s.sum_w * d * d
        if not d * d * s.sum_w <= 16.0 * ss:
            key = ("ss", loc)
            if key not in self._cache:
                self._cache[key] = float(self.data.reduce(_norm.sums, float(loc))[2])
            ss = self._cache[key]
        return ss

    QS = (0.25, 0.5, 0.75, 1.0 - math.exp(-1.0), math.exp(-1.0))


class OneSidedFamily(LocScaleFamily):
    """A family distribution with support ``x > loc`` (or ``x >= loc``, or,
    ``mirrored``, ``x < loc``).

    Subclasses set:

    - ``closed_support``: observations equal to ``loc`` have positive density;
    - ``mirrored``: the support lies below ``loc`` (weibull_max);
    - ``loc_at_bound``: the density decreases away from ``loc``, so the free
      ``loc`` MLE is the nearest observation (halfnorm, lomax);
    - ``edge_shape``: the density at ``x -> loc`` is unbounded when this
      shape is below 1 (fisk's and weibull_max's ``c``): a free ``loc``
      starts in the log-gap coordinate and the edge is compared;
    - ``skew_free_shape``: the ``edge_shape`` value at which the family's
      skewness changes sign (weibull's 3.602), or None (always skewed away
      from ``loc``): see ``_locfree.edge_barrier``;

    and implement ``_initial_at(ctx, loc, spec) -> (shapes, scale)``, start
    values (the closed-form MLE where there is one) at a given ``loc``.
    """

    closed_support = False
    mirrored = False
    loc_at_bound = False
    edge_shape = None
    skew_free_shape = None

    def _support(self, shapes):
        return (-math.inf, 0.0) if self.mirrored else (0.0, math.inf)

    def _initial_at(self, ctx, loc, spec):
        raise NotImplementedError

    def _fixed_loc_candidates(self, ctx, spec):
        """Hook: starts for a free loc implied by the fixed shape or scale
        (a quantile match), or ().

        The usual candidates lie within a few standard deviations of the
        data's edge; a fixed parameter far from the free fit's value can put
        the maximum much farther out, and from a start near the edge Newton
        then ends on a second, lower mode (or at the edge of an unbounded
        likelihood)."""
        return ()

    def _initial(self, data, summary, spec):
        # unused: _problem below picks the start
        raise NotImplementedError

    def _mm_start(self, data, summary, spec):
        # the maximum likelihood estimate (the base class's default), not the
        # family's moment start: _initial_at needs a loc on the support side
        return Distribution._mm_start(self, data, summary, spec)

    # -- support -----------------------------------------------------------------
    def _bound(self, summary):
        """The data's extreme on the support side: min(x), or max(x) when mirrored."""
        return summary.max if self.mirrored else summary.min

    def _check_loc(self, data, loc):
        """Raise ``FitDataError`` unless every observation is in the support at ``loc``."""
        summary = data.check_finite()
        if self.mirrored:
            ok = summary.max <= loc if self.closed_support else summary.max < loc
            bad = (lambda x: x > loc) if self.closed_support else (lambda x: x >= loc)
            rel = "<=" if self.closed_support else "<"
        else:
            ok = summary.min >= loc if self.closed_support else summary.min > loc
            bad = (lambda x: x < loc) if self.closed_support else (lambda x: x <= loc)
            rel = ">=" if self.closed_support else ">"
        if not ok:
            n_out = sum(int(np.count_nonzero(bad(x))) for x, _ in data.chunks)
            raise FitDataError(
                f"Invalid values in `data`: maximum likelihood estimation with {self.name!r} requires "
                f"x {rel} loc = {loc!r} for each x in `data`; {n_out} of {data.n_rows} observations "
                f"are not.")
        return summary

    # -- the fit -----------------------------------------------------------------
    def _limit_message(self, params, spec):
        """Hook: where the likelihood has no finite maximum and rises towards
        a limiting distribution (lomax's exponential, invgauss's normal), a
        sentence saying so for an unconverged fit at ``params``, else None."""
        return None

    def _fit(self, data, spec):
        if spec.method == "mm":
            return super()._fit(data, spec)
        result = super()._fit(data, spec)
        # (a fit that ended on a limit chart's limit has said so already)
        note = None if result.converged or "limit" in result.mle_retvals else \
            self._limit_message(tuple(result.params), spec)
        if note is not None:
            result.message = note + "; the optimizer: " + result.message
        return result

    def _problem(self, data, spec):
        if "loc" in spec.fixed:
            return self._problem_fixed_loc(data, spec, spec.fixed["loc"])
        if self.loc_at_bound:
            summary = data.check_finite()
            loc = self._bound(summary)
            if "scale" not in spec.fixed and summary.var == 0.0:
                raise ValueError(f"all observations are equal: with loc at min(x) the {self.name} "
                                 "scale MLE is 0 and the likelihood is unbounded")
            problem = self._problem_fixed_loc(data, spec, loc)
            problem.boundary = {"loc": loc}
            return problem
        return self._problem_free_loc(data, spec)

    def _warm_moved(self, spec, start):
        """The warm start with loc moved past the data's extreme: with every
        parameter free and a limit chart (``loc = mu -+ sigma / k``), the
        bulk of the subsample's fit (its ``mu`` and ``sigma``) is kept and the
        shape follows the new loc; the subsample's shape and scale would
        belong to the old loc (normal data fitted by weibull_max: a start
        log-likelihood 30% below the optimum's, 40 passes)."""
        from ._charts import CHARTS

        chart = CHARTS.get(self.name)
        if chart is None or spec.fixed:
            return start
        loc = start[len(self.shapes)]
        _, mu, sigma = chart.chart(spec.warm)
        span = (loc - mu) if self.mirrored else (mu - loc)
        if not span > 0:
            return start
        moved = list(chart.natural((sigma / span, mu, sigma))[0])
        moved[len(self.shapes)] = loc
        return moved

    def _start_at(self, ctx, loc, spec):
        """Full start vector at ``loc``: fixed values, else guesses, else ``_initial_at``."""
        names = self.param_names
        shapes0, scale0 = self._initial_at(ctx, loc, spec)
        defaults = list(shapes0) + [loc, scale0]
        return [self._start(spec, n, v) if n != "loc" else loc for n, v in zip(names, defaults)]

    def _log_transforms(self, spec, start):
        return {i: Log(start[i]) for i, n in enumerate(self.param_names)
                if n != "loc" and n not in spec.fixed}

    def _problem_fixed_loc(self, data, spec, loc):
        summary = self._check_loc(data, loc)
        m = len(self.shapes)
        ctx = _Context(data, summary)
        if spec.warm is not None:
            start = [spec.fixed.get(n, v) for n, v in zip(self.param_names, spec.warm)]
            start[m] = loc
        else:
            start = self._start_at(ctx, loc, spec)
        first = [True]

        def evaluate(p):
            out = self._evaluate(data, p)
            if first[0]:        # the optimizer's first call is at the start: check it there
                first[0] = False
                if not np.isfinite(out[0]):
                    raise ValueError(f"{self.name}: the log-likelihood is not finite at the start "
                                     f"values {tuple(p)}; the data may be degenerate or overflow "
                                     "float64")
            return out

        closed = (lambda p: self._closed_form(ctx, p, spec)) if self._has_closed_form else None
        if spec.warm is None and self._start_is_mle(spec) and not active_prior(spec):
            # the closed-form MLE (guesses are not needed): Newton has nothing
            # to add, and its gradient can be less accurate than the closed
            # form where the data lie far from loc (sums that cancel)
            shapes0, scale0 = self._initial_at(ctx, loc, spec)
            start = [spec.fixed.get(n, v) for n, v in zip(self.param_names, list(shapes0) + [loc, scale0])]
            start[m] = loc
            return Problem(start, {}, evaluate, summary.sum_w, closed, notes=["closed-form MLE"])
        return Problem(start, self._log_transforms(spec, start), evaluate, summary.sum_w, closed)

    def _start_is_mle(self, spec):
        """Hook: True where ``_initial_at`` at a fixed (or boundary) loc is
        the exact MLE of the other free parameters."""
        return False

    _has_closed_form = False

    def _closed_form(self, ctx, p, spec):
        """Hook: closed-form MLEs at the optimum (for ``FitResult.closed_form``)."""
        return {}

    def _problem_free_loc(self, data, spec):
        summary = data.check_finite()
        m = len(self.shapes)
        ctx = _Context(data, summary)
        bound = self._bound(summary)

        def profile(loc):
            p = self._start_at(ctx, loc, spec)
            return p, self._evaluate(data, p)[0]

        sign = -1.0 if self.mirrored else 1.0
        if spec.warm is not None:
            w_loc = spec.warm[m]
            if not sign * (bound - w_loc) > 0:
                # the full data reach beyond the subsample's estimate: keep
                # the subsample's gap between its own extreme and its loc
                # (the same strided rows, a cheap pass over them)
                sub = data.subsample(self.warm_start_rows)
                ext = [float(np.max(x) if self.mirrored else np.min(x)) for x, _ in sub.chunks]
                sub_bound = max(ext) if self.mirrored else min(ext)
                gap = sign * (sub_bound - w_loc)
                if not (gap > 0 and math.isfinite(gap)):
                    gap = 0.01 * math.sqrt(summary.var)
                w_loc = bound - sign * gap
            loc0 = w_loc
            start = [spec.fixed.get(n, v) for n, v in zip(self.param_names, spec.warm)]
            start[m] = loc0
            if loc0 != spec.warm[m]:
                start = self._warm_moved(spec, start)
        else:
            if self.mirrored:
                # candidates above max(x): mirror the data's moments
                sd = math.sqrt(summary.var)
                if not math.isfinite(sd):
                    raise ValueError("the spread of the data overflows float64 (values too large in "
                                     "magnitude); rescale the data before fitting a free location")
                if sd == 0.0:
                    raise ValueError("all observations are equal: a free location, shape and scale "
                                     "cannot be estimated")
                guess = spec.guesses.get("loc")
                cands = [guess] if guess is not None and guess > bound else []
                cands += [v for v in self._fixed_loc_candidates(ctx, spec) if math.isfinite(v) and v > bound]
                cands += [bound + k * sd for k in (0.05, 0.3, 1.0, 3.0)]
            else:
                cands = loc_candidates(summary, spec.guesses.get("loc"), self._fixed_loc_candidates(ctx, spec))
            loc0, start, _ = best_start(cands, profile, None if self.mirrored else bound)
            start = list(start)
        sd = math.sqrt(summary.var)
        regular = (self.edge_shape is not None and start[self.edge_shape] > 2.0
                   and not edge_barrier(spec, start[self.edge_shape], sign * (bound - loc0) / sd,
                                        self.skew_free_shape))
        if regular:
            loc_tr = Affine(loc0, sd)
        else:
            loc_tr = Above(bound, sd) if self.mirrored else Below(bound, sd)
        transforms = self._log_transforms(spec, start)
        transforms[m] = loc_tr

        def evaluate(p):
            return self._evaluate(data, p)

        notes = ["support below loc: where a message speaks of min(x) and the gap below it, read "
                 "max(x) and the gap above it"] if self.mirrored else []
        problem = Problem(start, transforms, evaluate, summary.sum_w, notes=notes)
        if self.edge_shape is not None:
            k = self.edge_shape
            problem.edge_loc = bound - sign * math.ulp(abs(bound))   # one ulp outside the data
            problem.edge_worth_checking = edge_test(lambda p: p[k] < 2.0, summary.sum_w)
        return problem


def free_loc_prologue(x, n_threads, sub_rows, refit, loc_index, min_n):
    """The first pass of a one-pass-per-step free-loc root search.

    Returns ``(n, mean, sd, min(x), gap0)`` or None (too few or degenerate
    data: the caller leaves the fit to the driver). ``gap0``, the start of
    ``min(x) - loc``, comes from ``refit`` (the same search) on a strided
    subsample when the data are large, else None (the caller's moment start).
    """
    first = _onesided.min_and_square_sums(x, float(x[0]), n_threads)
    if first is None:
        return None
    n, s1, s2, mn = first
    mean = float(x[0]) + s1 / n
    var = s2 / n - (s1 / n) ** 2
    if n < min_n or not (var > 0 and math.isfinite(var)):
        return None
    gap0 = None
    if n > 4 * sub_rows:
        sub = np.ascontiguousarray(x[::int(n) // sub_rows])
        out = refit(sub, 1, sub_rows)
        if out is not None and out[loc_index] < mn:
            gap0 = mn - out[loc_index]
    return n, mean, math.sqrt(var), mn, gap0


def gap_quantile(ctx, loc, p, mirrored=False):
    """The ``p`` quantile of the distance ``|x - loc|`` on the support side
    (from the sample quantiles; ``p`` one of ``_Context.QS``)."""
    q = ctx.quantiles()
    if mirrored:
        key = min(q, key=lambda k: abs(k - (1.0 - p)))
        return loc - q[key]
    return q[p] - loc
