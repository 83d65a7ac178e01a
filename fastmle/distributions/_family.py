"""Distributions built on the generic family kernel (``src/_family_loop.h``).

A family's C density (``src/families/<name>.h``) gives, per observation, the
log density of the standardized ``z = (x - loc) / scale`` and its derivatives
in (shapes, z); one OpenMP pass sums them. This module turns those sums into
the log-likelihood, gradient and Hessian in scipy's parameters (chain rule for
loc and scale, plus the z-free constant terms of the density) and runs the
shared driver. A subclass states the parameters, the constants, start values
and, where it wants them, closed forms and moments for ``method="MM"``.
"""
import math

import numpy as np

from .. import _families
from .._data import as_data, value_table
from .._optimize import Affine, Log
from ._base import Distribution, Problem, active_prior
from ._natural import NaturalMap, locscale_map, unpack_upper as _unpack_tri

__all__ = ["LocScaleFamily", "ShapeFamily", "Logit", "assemble_locscale", "assemble_shape", "sample_quantiles"]


def assemble_locscale(s, m, scale, const=None):
    """Log-likelihood, gradient and Hessian in (shapes..., loc, scale).

    Parameters
    ----------
    s : ndarray
        A location-scale family's block sums (see ``src/_family_loop.h``).
    m : int
        Number of shape parameters.
    scale : float
    const : (c0, c1, c2), optional
        Per-observation constant of the log density and its gradient (m,) and
        Hessian (m, m) in the shapes; multiplied by ``sum(w)``.
    """
    ll, grad, hess = _families.assemble_locscale(s, m, scale)
    if const is not None:
        n = s[0]
        ll += n * const[0]
        if m:
            grad[:m] += n * np.asarray(const[1], dtype=float)
            hess[:m, :m] += n * np.asarray(const[2], dtype=float)
    return ll, grad, hess


def assemble_shape(s, m, const=None):
    """Log-likelihood, gradient and Hessian in the shapes from a shape family's sums."""
    n, ll = s[0], s[1]
    grad = np.array(s[2:2 + m], dtype=float)
    hess = _unpack_tri(s[2 + m:], m)
    if const is not None:
        c0, c1, c2 = const
        ll += n * c0
        grad += n * np.asarray(c1, dtype=float)
        hess += n * np.asarray(c2, dtype=float)
    return ll, grad, hess


def sample_quantiles(data, q, max_rows=1 << 15):
    """Weighted quantiles ``q`` of the data (of an evenly strided subsample
    of about ``max_rows`` rows for large data): robust start values.

    Integer weights give ``np.quantile`` of the rows repeated (its linear
    rule at rank ``(N - 1) q`` of ``N = sum w`` rows), so a fit with
    frequency weights starts where the fit of the repeated rows does: in
    multimodal problems (heavy tails, t's method of moments) a different
    start could end in a different mode. Other weights interpolate between
    the midpoints of each value's weight (invariant to scaling the weights).
    """
    sub = data.subsample(max_rows) if data.n_rows > max_rows else data
    x = np.concatenate([np.asarray(c, dtype=float) for c, _ in sub.chunks])
    if not sub.weighted:
        return np.quantile(x, q)
    w = np.concatenate([np.ones(c.shape[0]) if cw is None else cw for c, cw in sub.chunks])
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws)
    q = np.asarray(q, dtype=float)
    if np.all(ws == np.floor(ws)) and cw[-1] < 2.0 ** 53:
        h = (cw[-1] - 1.0) * q                  # np.quantile's rank, 0-based, in repeated rows
        below = np.floor(h)
        lo = xs[np.minimum(np.searchsorted(cw, below, side="right"), xs.shape[0] - 1)]
        hi = xs[np.minimum(np.searchsorted(cw, below + 1.0, side="right"), xs.shape[0] - 1)]
        frac = h - below
        # numpy's lerp, from the nearer end
        return np.where(frac >= 0.5, hi - (hi - lo) * (1.0 - frac), lo + (hi - lo) * frac)
    return np.interp(q * cw[-1], cw - 0.5 * ws, xs)


class LocScaleFamily(Distribution):
    """A shape-location-scale distribution computed by a family kernel.

    Subclasses set ``name`` (scipy's), ``shapes``, ``positive`` and
    ``family`` (the kernel name, default ``name``), and override:

    - ``_kernel_params(shapes)``: the parameter block ``P`` the C density
      reads (default: the shapes);
    - ``_constant(shapes)``: ``(c0, c1, c2)``, the z-free part of the log
      density with its gradient and Hessian in the shapes (default: zeros);
    - ``_initial(data, summary, spec)``: start values ``(shapes, loc,
      scale)`` from the data's moments (``summary`` is the validating scan)
      or quantiles (:func:`sample_quantiles`);
    - ``_std_moments(shapes)``: mean, variance, skewness and excess kurtosis
      of the standardized variable, for ``method="MM"``.

    The support is checked by the kernel itself (a density outside it is
    ``-inf``); ``_support(shapes)`` gives the standardized support used to
    explain the error.
    """

    family = None
    #: shape parameters that may take any real value (the others are positive)
    real_shapes = ()

    # -- what a subclass says ---------------------------------------------------
    def _kernel_params(self, shapes):
        return list(shapes)

    def _constant(self, shapes):
        m = len(shapes)
        return 0.0, np.zeros(m), np.zeros((m, m))

    def _support(self, shapes):
        return -math.inf, math.inf

    def _initial(self, data, summary, spec):
        raise NotImplementedError

    # -- the likelihood ---------------------------------------------------------
    @property
    def _kernel(self):
        return self.family or self.name

    def _sums(self, data, p):
        m = len(self.shapes)
        shapes, loc, scale = p[:m], p[m], p[m + 1]
        block = np.array([loc, 1.0 / scale] + list(self._kernel_params(shapes)), dtype=float)
        return data.reduce(_families.sums, self._kernel, block)

    def _evaluate(self, data, p):
        m = len(self.shapes)
        p = [float(v) for v in p]
        s = self._sums(data, p)
        return assemble_locscale(s, m, p[m + 1], self._constant(p[:m]))

    def _passes_per_iteration(self, spec):
        return True

    def _natural_map(self, params):
        m = len(self.shapes)
        shapes = [float(v) for v in params[:m]]
        return locscale_map(self._kernel, shapes, params[m], params[m + 1],
                            P=self._kernel_params(shapes), const=self._constant(shapes))

    def loglike_at(self, data, params):
        m = len(self.shapes)
        if not params[m + 1] > 0 or any(not params[self.shapes.index(n)] > 0 for n in self.positive):
            return -np.inf
        ll = self._evaluate(data, params)[0]
        return ll if not math.isnan(ll) else -np.inf

    # -- the fit ----------------------------------------------------------------
    def _transform(self, name, value, ref_loc, ref_scale):
        if name == "loc":
            return Affine(ref_loc, ref_scale)
        if name in self.real_shapes:
            return Affine(value, max(abs(value), 1.0))
        return Log(value)

    def _problem(self, data, spec):
        summary = data.check_finite()
        names = self.param_names
        m = len(self.shapes)
        if spec.warm is not None:
            start = [spec.fixed.get(n, v) for n, v in zip(names, spec.warm)]
        else:
            shapes0, loc0, scale0 = self._initial(data, summary, spec)
            defaults = list(shapes0) + [loc0, scale0]
            start = [self._start(spec, n, v) for n, v in zip(names, defaults)]
        sd = math.sqrt(summary.var) or abs(start[m + 1])
        transforms = {i: self._transform(n, start[i], summary.mean, sd)
                      for i, n in enumerate(names) if n not in spec.fixed}
        first = [True]

        def evaluate(p):
            out = self._evaluate(data, p)
            if first[0]:        # the optimizer's first call is at the start
                first[0] = False
                if not np.isfinite(out[0]):
                    self._explain_start(data, summary, spec, list(p))
            return out

        return Problem(start, transforms, evaluate, summary.sum_w)

    def _mm_start(self, data, summary, spec):
        shapes0, loc0, scale0 = self._initial(data, summary, spec)
        return [self._start(spec, n, v) for n, v in zip(self.param_names, list(shapes0) + [loc0, scale0])]

    def _explain_start(self, data, summary, spec, start):
        """The log-likelihood is not finite at the start: say why (always raises)."""
        m = len(self.shapes)
        lo, hi = self._support(start[:m])
        loc, scale = start[m], start[m + 1]
        if "loc" in spec.fixed and "scale" in spec.fixed or math.isfinite(lo) or math.isfinite(hi):
            xlo, xhi = loc + lo * scale, loc + hi * scale
            n_out = sum(int(np.count_nonzero((x < xlo) | (x > xhi))) for x, _ in data.chunks)
            if n_out and ("loc" in spec.fixed or "scale" in spec.fixed):
                from .._data import FitDataError
                raise FitDataError(
                    f"Invalid values in `data`: maximum likelihood estimation with {self.name!r} and "
                    f"the fixed parameters {spec.fixed} requires every x in [{xlo!r}, {xhi!r}]; "
                    f"{n_out} of {data.n_rows} observations are not.")
        raise ValueError(f"{self.name}: the log-likelihood is not finite at the start values "
                         f"{tuple(start)}; the data may be degenerate or overflow float64")


class Logit:
    """p = 1 / (1 + exp(-(c + t))) with c = logit(ref): a probability in (0, 1).

    The same interface as the transforms of ``fastmle._optimize``; it lives
    here because only the discrete families (probabilities p, pi) use it.
    """

    def __init__(self, ref):
        ref = min(max(float(ref), 1e-300), 1.0 - 2.0 ** -53)
        self.c = math.log(ref) - math.log1p(-ref)

    def to_internal(self, p):
        return math.log(p) - math.log1p(-p) - self.c

    def _pq(self, t):
        u = self.c + t
        if u >= 0:
            e = math.exp(-min(u, 745.0))
            return 1.0 / (1.0 + e), e / (1.0 + e)
        e = math.exp(max(u, -745.0))
        return e / (1.0 + e), 1.0 / (1.0 + e)

    def to_natural(self, t):
        return self._pq(t)[0]

    def derivs(self, t):
        p, q = self._pq(t)
        d = p * q
        return d, d * (q - p)

    def natural_and_derivs(self, t):
        p, q = self._pq(t)
        d = p * q
        return p, d, d * (q - p)


class ShapeFamily(Distribution):
    """A discrete distribution (shapes and an integer ``loc``) computed by a
    family kernel.

    Like ``scipy.stats.fit``, ``loc`` is held at 0 unless freed (``floc=None``
    or a ``loc=`` guess). Counts usually take few distinct values: the data
    are first reduced to a table of (value, total weight)
    (:func:`fastmle._data.value_table`), and every Newton iteration runs over
    that table instead of the observations (data spanning more integers than
    there are rows are used as they are).

    A free ``loc`` is an integer: it is chosen by maximizing the profile
    log-likelihood (the shapes fitted at each candidate) over the integers
    that keep the data in the support, by a grid search refined around its
    best point (no unimodality is assumed between grid points far apart),
    and gets no standard error.

    Subclasses set ``name``, ``shapes``, ``family`` (default ``name``) and

    - ``kernel_shapes``: the shapes the C density differentiates (default
      all; binom's and betabinom's ``n`` is an integer fixed by the caller);
    - ``probabilities``: shapes in (0, 1), optimized on the logit scale (the
      others are positive, on the log scale);
    - ``support_min``: the smallest ``k = x - loc`` of the support (geom: 1);
    - ``required_fixed``: shapes the caller must fix (``n``);

    and override ``_kernel_params(shapes)``, ``_constant(shapes)`` (the
    k-free part of the log pmf with its gradient and Hessian in the kernel
    shapes), ``_support_max(shapes)`` (largest k, default infinite),
    ``_fit_shapes(table, stats, spec, loc)`` (start values, boundaries,
    closed forms at a given loc), ``_std_moments(shapes)`` (mean,
    variance, skewness and excess kurtosis of ``k``, for ``method="MM"``)
    and, where they apply, ``_limit_loglike`` (the supremum when the
    likelihood has no maximum, e.g. nbinom's Poisson limit) and
    ``_summary_closed_form`` with ``quick_closed_form = True`` (the MLE from
    the validating scan alone, geom and binom: no table, no Newton).

    When no maximum exists the fit returns a limit point with
    ``converged=False`` and a ``ConvergenceWarning`` naming the limit;
    MLEs on the boundary of the parameter space (binom's p = 0, zipoisson's
    pi = 0) are regular answers, held there and named in the message.
    """

    family = None
    discrete = True
    #: shapes fixed by the caller only (binom's n)
    required_fixed = ()
    #: shapes the kernel differentiates (None: all)
    kernel_shapes = None
    #: shapes in (0, 1)
    probabilities = ()
    #: smallest k = x - loc in the support
    support_min = 0

    # -- what a subclass says -----------------------------------------------------
    def _kernel_params(self, shapes):
        return list(shapes)

    def _constant(self, shapes):
        m = len(self._kernel_index)
        return 0.0, np.zeros(m), np.zeros((m, m))

    def _support_max(self, shapes):
        return math.inf

    def _fit_shapes(self, table, stats, spec, loc):
        """Start values of the shapes at ``loc`` and what is known there.

        Parameters
        ----------
        table : Data
            The value table.
        stats : _Stats
            Weighted count, mean and variance of ``k = x - loc`` (and the
            weight of ``k == support_min``).
        spec : FitSpec
        loc : float

        Returns
        -------
        (shapes, boundary, notes, exact, no_mle)
            ``boundary``: shapes held at the boundary (name -> value);
            ``exact``: the shapes are the MLE already (closed form), Newton
            only confirms them; ``no_mle``: None, or the reason why the
            likelihood has no maximum (the estimate is then a limit point).
        """
        raise NotImplementedError

    # -- the likelihood -------------------------------------------------------------
    @property
    def _kernel(self):
        return self.family or self.name

    @property
    def _kernel_index(self):
        names = self.shapes if self.kernel_shapes is None else self.kernel_shapes
        return [self.shapes.index(n) for n in names]

    def _evaluate(self, table, p):
        """(ll, grad, hess) in all parameters; rows of shapes the kernel does
        not differentiate (an integer n) and of loc are zero."""
        m = len(self.shapes)
        p = [float(v) for v in p]
        idx = self._kernel_index
        block = np.array([p[m]] + list(self._kernel_params(p[:m])), dtype=float)
        s = table.reduce(_families.sums, self._kernel, block)
        ll, g, h = assemble_shape(s, len(idx), self._constant(p[:m]))
        grad = np.zeros(m + 1)
        hess = np.zeros((m + 1, m + 1))
        grad[idx] = g
        hess[np.ix_(idx, idx)] = h
        return ll, grad, hess

    def _natural_map(self, params):
        m = len(self.shapes)
        shapes = [float(v) for v in params[:m]]
        idx = self._kernel_index
        return NaturalMap(self._kernel, False, list(self._kernel_params(shapes)), self._constant(shapes),
                          idx, [1.0] * len(idx), float(params[m]), 1.0)

    def _default_fixed(self, spec):
        if "loc" not in spec.fixed and "loc" not in spec.freed and "loc" not in spec.guesses:
            spec.fixed["loc"] = 0.0
        for name in self.required_fixed:
            if name not in spec.fixed:
                raise ValueError(f"{self.name}: the shape {name!r} must be fixed by the caller "
                                 f"(e.g. f{name}=10 or f{self.shapes.index(name)}=10); it is not "
                                 "estimated")
            value = spec.fixed[name]
            if not (value >= 0 and value == math.floor(value)):
                raise ValueError(f"{self.name}: {name} must be a non-negative integer, got {value}")
        for name in self.probabilities:
            if name in spec.fixed and not 0 <= spec.fixed[name] <= 1:
                raise ValueError(f"{self.name}: fixed {name} must be in [0, 1], got {spec.fixed[name]}")
            if name in spec.guesses and not 0 < spec.guesses[name] < 1:
                raise ValueError(f"{self.name}: guess for {name} must be in (0, 1), got "
                                 f"{spec.guesses[name]}")
        if "loc" in spec.fixed and spec.fixed["loc"] != math.floor(spec.fixed["loc"]):
            raise ValueError(f"{self.name}'s loc must be an integer, got floc={spec.fixed['loc']}")
        if "loc" in spec.guesses:
            spec.guesses["loc"] = float(math.floor(spec.guesses["loc"]))

    def _validate(self, data):
        summary = data.scan(check_integer=True)
        if summary.n_nonfinite:
            data.check_finite()
        if summary.n_nonint:
            raise ValueError(f"{self.name} data must be integers: {summary.n_nonint} of "
                             f"{data.n_rows} observations are not")
        return summary

    def _check_support(self, data, summary, spec, loc):
        """FitDataError unless every k = x - loc lies in the support."""
        from .._data import FitDataError
        lo = loc + self.support_min
        hi = loc + self._support_max([spec.fixed.get(n, 1.0) for n in self.shapes])
        if summary.min >= lo and summary.max <= hi:
            return
        n_out = sum(int(np.count_nonzero((x < lo) | (x > hi))) for x, _ in data.chunks)
        where = f"[{lo!r}, {hi!r}]" if math.isfinite(hi) else f">= {lo!r}"
        raise FitDataError(
            f"Invalid values in `data`: {self.name} with loc = {loc!r} and the fixed parameters "
            f"{spec.fixed} has support {where}; {n_out} of {data.n_rows} observations are outside it.")

    # -- the fit --------------------------------------------------------------------
    def _transform(self, name, value):
        return Logit(value) if name in self.probabilities else Log(value)

    def _stats(self, summary, table, loc):
        return _Stats(summary, table, loc, self.support_min)

    def _profile(self, table, summary, spec, loc):
        """Shapes maximizing the likelihood at ``loc``: (params, ll, boundary, notes, no_mle).

        For a MAP fit (priors on shapes) the posterior's: a shape the
        likelihood puts on the boundary (binom's p = 0 for all-zero counts)
        is released when it has a prior, which may give it an interior mode,
        and ``ll`` is the log posterior (what the integer loc search compares).
        """
        from ._base import _maximize_free, active_prior, log_prior_at

        shapes, boundary, notes, exact, no_mle = self._fit_shapes(table, self._stats(summary, table, loc),
                                                                  spec, loc)
        params = np.array(list(shapes) + [loc], dtype=float)
        prior = active_prior(spec)
        if prior:
            for name in [n for n in boundary if n in prior]:
                del boundary[name]
                v = prior[name].interior_point()
                params[self.shapes.index(name)] = (min(max(v, 1e-3), 1.0 - 1e-3) if name in self.probabilities
                                                   else max(v, 1e-3))
                notes = [note for note in notes if "boundary" not in note]
            exact, no_mle = False, None     # the posterior decides whether there is a mode
        free = [i for i, n in enumerate(self.shapes) if n not in spec.fixed and n not in boundary]
        problem = None
        if free and not exact:
            transforms = {i: self._transform(self.shapes[i], params[i]) for i in free}
            problem = Problem(params, transforms, lambda p: self._evaluate(table, p), summary.sum_w)
            if prior:
                self._apply_prior(problem, spec, prior)
                params = problem.start.copy()
            with np.errstate(all="ignore"):
                _maximize_free(problem, params, free)
        ll = self._evaluate(table, params)[0]
        if prior:
            ll += log_prior_at(self, spec, params)
        if no_mle:
            # the supremum is a limit (nbinom's Poisson limit): compare locs by
            # the limit's exact log-likelihood, not by a large-n stand-in
            # whose lgamma differences carry rounding noise
            limit = self._limit_loglike(table, self._stats(summary, table, loc), spec, loc)
            if limit is not None and math.isfinite(limit):
                ll = max(ll, limit)
        return params, (ll if not math.isnan(ll) else -math.inf), boundary, notes, no_mle

    def _limit_loglike(self, table, stats, spec, loc):
        """Hook: the log-likelihood of the limit distribution when the
        likelihood has no maximum (the supremum), or None."""
        return None

    def _search_loc(self, data, table, summary, spec):
        """Integer loc maximizing the profile log-likelihood.

        The candidates are the integers keeping the data in the support:
        ``loc <= min(x) - support_min`` and, for a bounded support (binom's
        n), ``loc >= max(x) - n``. An unbounded range starts at a window
        below min(x) that grows while its lower end is the best point.
        Large windows are searched on a grid of 33 points, then again
        between the grid neighbours of the best point, down to consecutive
        integers.
        """
        hi = math.floor(summary.min) - self.support_min
        width = self._support_max([spec.fixed.get(n, 1.0) for n in self.shapes])
        if math.isfinite(width):
            lo = math.ceil(summary.max - width)
            if lo > hi:
                raise ValueError(f"{self.name}: the data span {summary.max - summary.min:g} > "
                                 f"{width:g}, wider than the support: no loc fits")
            bounded = True
        else:
            if not math.isfinite(summary.var):
                raise ValueError(f"{self.name}: the spread of the counts overflows float64 for a free loc")
            sd = math.sqrt(summary.var)
            lo = min(hi, math.floor(summary.mean - summary.var - 3.0 * sd) - 3)
            bounded = False
        values = {}

        def profile(loc):
            if loc not in values:
                try:
                    values[loc] = self._profile(table, summary, spec, float(loc))
                except (ValueError, ArithmeticError):
                    values[loc] = (None, -math.inf, {}, [], None)
            return values[loc][1]

        def search(a, b):
            while b - a > 64:
                grid = sorted(set(int(round(v)) for v in np.linspace(a, b, 33)))
                best = max(range(len(grid)), key=lambda i: profile(grid[i]))
                a, b = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
            return max(range(a, b + 1), key=profile)

        best = search(lo, hi)
        # the lower end of an unbounded range is a guess: move it down while it wins
        for _ in range(6):
            if bounded or best != lo:
                break
            new_lo = lo - 2 * (hi - lo + 1)
            best = search(new_lo, lo)
            lo = new_lo
        return float(best), values[best]

    def _problem(self, data, spec):
        names = self.param_names
        m = len(self.shapes)
        summary = self._validate(data)
        table = value_table(data)
        notes = []
        if "loc" in spec.fixed:
            loc = spec.fixed["loc"]
            self._check_support(data, summary, spec, loc)
            params, ll, boundary, more, no_mle = self._profile(table, summary, spec, loc)
            boundary = dict(boundary)
        else:
            loc, (params, ll, boundary, more, no_mle) = self._search_loc(data, table, summary, spec)
            if params is None:
                raise ValueError(f"{self.name}: no integer loc gives a finite log-likelihood")
            boundary = dict(boundary, loc=loc)
            notes.append("loc chosen by integer profile-likelihood search")
        notes.extend(more)
        if no_mle:
            spec.no_mle = no_mle
        start = [float(v) for v in params]
        for i, n in enumerate(self.shapes):       # a user's guess replaces a non-exact start
            if n in spec.guesses and n not in boundary and n not in spec.fixed:
                trial = list(start)
                trial[i] = spec.guesses[n]
                if self._evaluate(table, trial)[0] > ll:
                    start = trial
        if not np.isfinite(self._evaluate(table, start)[0]):
            raise ValueError(f"{self.name}: the log-likelihood is not finite at the start values "
                             f"{tuple(start)}; check the data against the fixed parameters {spec.fixed}")
        transforms = {i: self._transform(n, start[i]) for i, n in enumerate(names[:m])
                      if n not in spec.fixed and n not in boundary}

        def evaluate(p):
            return self._evaluate(table, p)

        return Problem(start, transforms, evaluate, summary.sum_w, boundary=boundary, notes=notes)

    def _fit(self, data, spec):
        spec.no_mle = None
        result = super()._fit(data, spec)
        if spec.no_mle:
            # no maximum exists (e.g. nbinom's n -> infinity): the estimate is
            # a limit point, however well Newton converged on the rest
            result.converged = result.success = False
            result.message = spec.no_mle + "; " + result.message
        return result

    def _fit_mm(self, data, spec):
        """Method of moments; a free loc must end on an integer that keeps the
        data in the support: the moment equations are solved with loc
        continuous, then again with loc fixed at the admissible integers
        around that solution, and the one whose solution has the smallest
        objective with loc free (one moment more) wins (loc is then reported
        as fixed by this search). With loc fixed both integers usually solve
        their equations exactly, so their own objectives tie at rounding
        level and could not decide."""
        if "loc" in spec.fixed:
            return super()._fit_mm(data, spec)
        from ._base import FitSpec
        from ._moments import data_raw_moments, raw_moments_from_central

        summary = self._validate(data)
        top = math.floor(summary.min) - self.support_min
        rough = super()._fit_mm(data, spec).params.loc
        cands = sorted({min(math.floor(rough), top), min(math.ceil(rough), top)})
        k = len(self.param_names) - len(spec.fixed)
        target = data_raw_moments(summary, k)
        denom = np.maximum(np.abs(target), 1e-8)

        def free_loc_objective(params):
            with np.errstate(all="ignore"):
                r = (raw_moments_from_central(*self._moments_at(tuple(params)), k) - target) / denom
            value = float(r @ r)
            return value if math.isfinite(value) else math.inf

        best = None
        for loc in cands:
            sub = FitSpec(dict(spec.guesses), dict(spec.fixed, loc=float(loc)), "mm", spec.freed)
            try:
                res = super()._fit_mm(data, sub)
            except ValueError:
                continue
            res.mle_retvals["objective_free_loc"] = free_loc_objective(res.params)
            if best is None or res.mle_retvals["objective_free_loc"] < best.mle_retvals["objective_free_loc"]:
                best = res
        if best is None:
            raise ValueError(f"{self.name}: the method of moments found no integer loc keeping the data "
                             "in the support")
        best.message += "; loc: the best admissible integer next to the continuous moment solution"
        return best

    def fit(self, data, *args, weights=None, n_threads=None, **kwds):
        # Counts usually arrive as integer arrays, which the base class's
        # quick path (float32/float64 only) would send down the full path;
        # the closed forms read the scan of the converted copy just as well.
        if (self.quick_closed_form and not args and weights is None and type(data) is np.ndarray
                and data.ndim == 1 and data.dtype.kind in "iu" and data.shape[0] > 0):
            quick = self._quick_fit(data, kwds, n_threads)
            if quick is not None:
                return quick
        return super().fit(data, *args, weights=weights, n_threads=n_threads, **kwds)

    fit.__doc__ = Distribution.fit.__doc__

    def _quick_fit(self, x, kwds, n_threads):
        """The closed form straight from the validating scan (geom, binom)."""
        if not self.quick_closed_form:
            return None
        try:
            spec = self._parse_fit_args((), kwds)
        except (TypeError, ValueError):
            return None     # the full path raises the same error with context
        if (spec.method != "mle" or spec.guesses or "loc" not in spec.fixed or active_prior(spec)
                or any(n in spec.fixed for n in self.shapes if n not in self.required_fixed)):
            return None
        data = as_data(x, None, n_threads)
        summary = self._validate(data)
        loc = spec.fixed["loc"]
        self._check_support(data, summary, spec, loc)
        shapes = self._summary_closed_form(summary, spec, loc)
        if shapes is None:
            return None
        return tuple(float(v) for v in shapes) + (loc,)

    #: whether ``_summary_closed_form`` may answer from the scan alone
    quick_closed_form = False

    def _summary_closed_form(self, summary, spec, loc):
        """Hook: the MLE of the shapes from the scan's moments, or None."""
        return None

    def loglike_at(self, data, params):
        m = len(self.shapes)
        loc = params[m]
        summary = self._validate(data)
        if loc != math.floor(loc):
            return -np.inf
        shapes = params[:m]
        if summary.min - loc < self.support_min or summary.max - loc > self._support_max(shapes):
            return -np.inf
        with np.errstate(all="ignore"):
            ll = self._evaluate(value_table(data), params)[0]
        return ll if not math.isnan(ll) else -np.inf


class _Stats:
    """Weighted count, mean and variance of ``k = x - loc``, and the weight at
    ``k == support_min`` (zero-inflation, geom's ones), from the scan and table."""

    def __init__(self, summary, table, loc, kmin):
        self.n = summary.sum_w
        self.mean = summary.mean - loc
        self.var = summary.var
        self.min = summary.min - loc
        self.max = summary.max - loc
        self._table, self._at = table, loc + kmin
        self._n_min = None

    @property
    def n_at_min(self):
        """Total weight of observations with k == support_min."""
        if self._n_min is None:
            self._n_min = sum(float(np.sum(x == self._at if w is None else w[x == self._at]))
                              for x, w in self._table.chunks)
        return self._n_min
