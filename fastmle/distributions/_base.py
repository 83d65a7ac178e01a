"""What every distribution shares: scipy's fit arguments, the fit driver, results.

A distribution class says only what is particular to it (parameter names,
support checks, start values, closed forms, and which kernel computes its
log-likelihood, gradient and Hessian); :meth:`Distribution._fit` runs the same
path for all: validate -> kernel pass(es) -> optimizer -> :class:`FitResult`.
"""
import math
import warnings

import numpy as np

from .._data import FitDataError, as_data
from .._optimize import ConvergenceWarning, maximize
from .._results import FitResult

__all__ = ["Distribution", "Problem", "FitSpec", "active_prior", "fit_objective", "finish_map",
           "log_prior_at", "log_prior_hessian", "posterior_evaluate"]

# native float32/float64: what the kernels read in place
_KERNEL_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


class FitSpec:
    """Parsed fit arguments: guesses and fixed values by parameter name."""

    def __init__(self, guesses, fixed, method, freed=(), bounds=None, prior=None):
        self.guesses = guesses
        self.fixed = fixed
        self.method = method
        self.freed = set(freed)    # parameters explicitly freed (``floc=None``)
        self.bounds = bounds or {}
        self.warm = None           # full parameter tuple from a subsample fit, if any
        self.warm_data = None      # that subsample (its scan places a free loc against the data's edge)
        self.limit_charts = True   # False: natural coordinates only (the starts of a censored fit)
        self.prior = prior         # name -> fastmle.priors.Prior (a MAP fit), or None


class Problem:
    """A likelihood ready for the optimizer, built by a distribution.

    Parameters
    ----------
    start : sequence of float
        Start values of every parameter (fixed ones at their values).
    transforms : dict
        Parameter index -> transform (see ``fastmle._optimize``) for every
        parameter the optimizer moves.
    evaluate : callable
        ``evaluate(params) -> (ll, grad, hess)`` in natural parameters, for
        the full parameter vector.
    closed_form : callable, optional
        ``closed_form(params) -> dict`` of closed-form MLEs at the optimum.
    boundary : dict, optional
        Parameters whose MLE lies on the boundary of the parameter space
        (name -> value); held there and reported as such.
    nobs : float
    """

    def __init__(self, start, transforms, evaluate, nobs, closed_form=None, boundary=None, notes=()):
        self.start = np.array(start, dtype=float)
        self.transforms = transforms
        self.evaluate = evaluate
        self.nobs = nobs
        self.closed_form = closed_form
        self.boundary = boundary or {}
        self.notes = list(notes)
        # For a free location whose likelihood may be unbounded as loc ->
        # min(x): the location one ulp below min(x) and a test on the
        # interior estimate saying whether that edge is worth a look.
        self.edge_loc = None
        self.edge_worth_checking = None
        self.edge_profile = None    # optional loc -> (params, ll), cheaper than Newton
        # A limit chart (fastmle.distributions._charts) for a fit with every
        # parameter free that may run off towards a limit family: the driver
        # then optimizes in its coordinates instead.
        self.chart = None
        # index -> (lo, hi): the support of a parameter's prior (MAP fits)
        self.prior_bounds = {}


def _as_data_or_censored(data, weights, n_threads):
    """``as_data``, or a ``CensoredSample`` for censored data."""
    from .._censored import as_censored, is_censored

    if is_censored(data):
        return as_censored(data, weights, n_threads)
    return as_data(data, weights, n_threads)


def _positive_float(value, what):
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a real number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return v


def _maximize_free(problem, params, free, xtol=None):
    """Maximize over the parameters at indices ``free`` (updating ``params``).

    ``xtol``: the optimizer's step tolerance, if not its default.
    Returns the optimizer's result and whether a location hit the floor of
    its transform (see ``fastmle._optimize.Below``). Parameters bounded by
    their prior's support (``problem.prior_bounds``) are kept inside it; those
    that end on such a bound are in the result's ``prior_bound_hits``
    (index -> (natural bound, -1 lower or +1 upper)).
    """
    trs = [problem.transforms[i] for i in free]
    k = len(free)
    block = np.ix_(free, free)
    free_idx = np.array(free)
    everything_free = free == list(range(len(params)))
    floors = [getattr(tr, "T_MIN", -np.inf) for tr in trs]
    lower, upper, ends = list(floors), [np.inf] * k, {}
    for j, i in enumerate(free):
        if i in problem.prior_bounds:
            t_lo, t_hi, ends[j] = _t_interval(trs[j], *problem.prior_bounds[i])
            lower[j], upper[j] = max(lower[j], t_lo), min(upper[j], t_hi)

    def fun(t):
        p = params.copy()
        d1, d2 = [], []
        for i, tr, ti in zip(free, trs, t.tolist()):
            p[i], a, b = tr.natural_and_derivs(ti)
            d1.append(a)
            d2.append(b)
        ll, g, H = problem.evaluate(p)
        d1 = np.array(d1)
        if everything_free:
            gf, Hf = g, H
        else:
            gf, Hf = g[free_idx], H[block]
        # chain rule: dp/dt on both sides, plus the curvature of p(t)
        Ht = Hf * (d1[:, None] * d1)
        Ht.flat[::k + 1] += gf * d2
        return ll, gf * d1, Ht

    def resolution(t):
        # 4 ulps of each natural parameter, in transformed units (t: a list)
        out = []
        for tr, ti in zip(trs, t):
            v, a, _ = tr.natural_and_derivs(ti)
            out.append(4.0 * math.ulp(abs(v)) / max(abs(a), 1e-300))
        return out

    t0 = np.array([tr.to_internal(params[i]) for i, tr in zip(free, trs)])
    t0 = np.minimum(np.maximum(t0, lower), upper)
    kw = {} if xtol is None else {"xtol": xtol}
    opt = maximize(fun, t0, problem.nobs, resolution=resolution, lower=lower,
                   upper=upper if ends else None, **kw)
    for i, tr, ti in zip(free, trs, opt.t):
        params[i] = tr.to_natural(ti)
    opt.prior_bound_hits = {}
    for j, (at_lower_t, at_upper_t) in ends.items():
        tj = float(opt.t[j])
        if at_lower_t is not None and tj <= lower[j] and lower[j] > floors[j]:
            opt.prior_bound_hits[free[j]] = at_lower_t
        elif at_upper_t is not None and tj >= upper[j]:
            opt.prior_bound_hits[free[j]] = at_upper_t
    return opt, any(ti <= lo for ti, lo in zip(opt.t.tolist(), floors))


def _domain(transform):
    """The natural values a transform of ``fastmle._optimize`` can reach."""
    from .._optimize import Above, Below, Log
    from ._family import Logit

    if isinstance(transform, Log):
        return 0.0, math.inf
    if isinstance(transform, Below):
        return -math.inf, transform.bound
    if isinstance(transform, Above):
        return transform.bound, math.inf
    if isinstance(transform, Logit):
        return 0.0, 1.0
    return -math.inf, math.inf


def _t_interval(transform, lo, hi):
    """The optimizer coordinates whose natural values lie in ``[lo, hi]``.

    Returns ``(t_lo, t_hi, (lower_end, upper_end))``: the coordinate bounds
    and, for each, the natural bound it stands for as ``(value, side)``
    (side -1: the natural lower end, +1: the upper), or None where the
    transform's own range already ends inside ``[lo, hi]`` (no bound
    needed). Each coordinate bound is moved inwards until its natural value
    lies within ``[lo, hi]`` (a round trip through exp/log may land an ulp
    outside, where the prior's density is 0).
    """
    d_lo, d_hi = _domain(transform)
    increasing = transform.to_natural(1.0) > transform.to_natural(0.0)

    def coordinate(b, inward):
        t = transform.to_internal(b)
        for _ in range(64):
            v = transform.to_natural(t)
            if lo <= v <= hi:
                return t
            t = math.nextafter(t, inward)
        return t

    t_bounds = {}
    for b, side in ((lo, -1), (hi, 1)):
        if not (math.isfinite(b) and d_lo < b < d_hi):
            continue
        # a natural lower end is a lower coordinate bound if the transform increases
        t_side = side if increasing else -side
        t_bounds[t_side] = (coordinate(b, -t_side * math.inf), (b, side))
    t_lo, end_lo = t_bounds.get(-1, (-math.inf, None))
    t_hi, end_hi = t_bounds.get(1, (math.inf, None))
    return t_lo, t_hi, (end_lo, end_hi)


def active_prior(spec):
    """The priors of a MAP fit that are not flat (a flat prior adds nothing
    to the log posterior: with only those the fit is the MLE), by name."""
    prior = getattr(spec, "prior", None)
    return {n: p for n, p in prior.items() if not p.flat} if prior else {}


def log_prior_at(dist, spec, params):
    """Sum of the log prior densities at ``params`` (0 without a prior)."""
    names = dist.param_names
    return math.fsum(p.logpdf(params[names.index(n)]) for n, p in active_prior(spec).items())


def log_prior_hessian(dist, spec, params):
    """Hessian of the summed log priors at ``params`` (diagonal; zeros without a prior)."""
    names = dist.param_names
    H = np.zeros((len(names), len(names)))
    for n, p in active_prior(spec).items():
        i = names.index(n)
        H[i, i] = p.derivs(params[i])[2]
    return H


def fit_objective(dist, spec, result):
    """What a fit maximizes: the log-likelihood, plus the log prior for a MAP
    fit. Fits that choose between candidate results compare this."""
    if not active_prior(spec):
        return result.llf
    return result.llf + log_prior_at(dist, spec, tuple(result.params))


def posterior_evaluate(dist, spec, evaluate):
    """``evaluate(p) -> (ll, grad, hess)`` plus the active priors' log
    densities, gradients and Hessians (diagonal: independent priors).

    Outside a prior's support the log posterior is ``-inf`` and the data are
    not read."""
    names = dist.param_names
    terms = [(names.index(n), p) for n, p in active_prior(spec).items()]
    if not terms:
        return evaluate

    def evaluate_posterior(p):
        parts = []
        for i, prior in terms:
            lp, d1, d2 = prior.derivs(p[i])
            if not math.isfinite(lp):
                k = len(p)
                return (lp if lp > 0 else -math.inf), np.zeros(k), np.zeros((k, k))
            parts.append((i, lp, d1, d2))
        ll, g, H = evaluate(p)
        g, H = np.array(g, dtype=float), np.array(H, dtype=float)
        for i, lp, d1, d2 in parts:
            ll += lp
            g[i] += d1
            H[i, i] += d2
        return ll, g, H

    return evaluate_posterior


def warn_if_not_converged(result, stacklevel=2):
    """The one place a fit's non-convergence becomes a ``ConvergenceWarning``.

    Called by the public entry points on the final result, so that the
    internal fits a distribution runs on its way (warm starts, profiles,
    limit comparisons) warn only if the answer the user gets did not converge.
    """
    if not result.converged:
        what = "method of moments" if result.method == "MM" else "fit"
        warnings.warn(f"fastmle {result.dist.name} {what} did not converge: {result.message} "
                      f"(max|grad|/nobs = {result.grad_norm:.3g})", ConvergenceWarning,
                      stacklevel=stacklevel + 1)


def finish_map(dist, spec, result):
    """Mark a fit made with priors as the maximum a posteriori estimate it is.

    ``method`` becomes "MAP", ``prior`` holds the priors, ``log_posterior``
    the unnormalized log posterior at the estimate (``llf`` stays the
    log-likelihood), and the message says so. Closed-form checks are MLE
    facts, dropped when a prior moved the estimate.
    """
    if not getattr(spec, "prior", None):
        return result
    result.method = "MAP"
    result.prior = dict(spec.prior)
    result.log_posterior = result.llf + log_prior_at(dist, spec, tuple(result.params))
    if active_prior(spec):
        result.closed_form = result.closed_form_gap = None
    described = ", ".join(f"{n} ~ {p!r}" for n, p in spec.prior.items())
    result.message = f"maximum a posteriori estimate (priors: {described}); " + result.message
    return result


def _remember_last(evaluate):
    """``evaluate`` with a one-entry memory: the driver asks again for the
    point where the optimizer stopped, which costs a pass over the data."""
    last = [None, None]

    def remembered(p):
        key = tuple(p.tolist()) if isinstance(p, np.ndarray) else tuple(float(v) for v in p)
        if last[0] != key:
            last[0], last[1] = key, evaluate(p)
        return last[1]

    return remembered


class Distribution:
    """Base class of fastmle's distributions (scipy-compatible ``fit``).

    Subclasses set ``name``, ``shapes`` (tuple of shape-parameter names) and
    ``discrete``, and implement ``_problem(data, spec)``, ``loglike_at`` and,
    where a parameter must be positive, list it in ``positive``.
    """

    name = None
    shapes = ()
    discrete = False
    positive = ()        # parameters that must be > 0 (besides scale)
    #: Fits whose iterations pass over the data start from a fit to a strided
    #: subsample of this many rows when the data are much larger: Newton then
    #: needs only a few full passes from a start within sampling error.
    warm_start_rows = 1 << 15

    # -- names -----------------------------------------------------------------
    @property
    def param_names(self):
        """Parameter names in scipy's order: shapes, then loc (and scale)."""
        return self.shapes + (("loc",) if self.discrete else ("loc", "scale"))

    @property
    def numargs(self):
        return len(self.shapes)

    def __repr__(self):
        return f"<fastmle.{self.name}>"

    # -- scipy's argument conventions ----------------------------------------
    def _parse_fit_args(self, args, kwds, guesses=None, defaults=True):
        """Split ``fit(data, *args, **kwds)`` the way scipy does.

        ``guesses`` (by name) are added to the positional and keyword ones.
        ``defaults=False`` leaves parameters that are fixed unless freed
        (poisson's loc) free, for a caller that applies its own rules.

        Returns
        -------
        FitSpec
        """
        kwds = dict(kwds)
        if len(args) > self.numargs:
            raise TypeError(f"Too many input arguments: {self.name} has {self.numargs} shape "
                            f"parameter(s) {self.shapes}, got {len(args)} positional guesses.")
        guesses = dict(guesses or {}, **dict(zip(self.shapes, args)))
        fixed = {}
        freed = set()
        for j, s in enumerate(self.shapes):
            names = [f"f{j}", f"f{s}", f"fix_{s}"]
            given = [(k, kwds.pop(k)) for k in names if k in kwds]
            if len(given) > 1:
                raise ValueError("fit method got multiple keyword arguments to specify the same "
                                 "fixed parameter: " + ", ".join(k for k, _ in given))
            if given and given[0][1] is not None:
                fixed[s] = given[0][1]
        for name in ("loc",) if self.discrete else ("loc", "scale"):
            if name in kwds:
                value = kwds.pop(name)
                if value is not None:
                    guesses[name] = value
            key = "f" + name
            if key in kwds:
                value = kwds.pop(key)
                if value is not None:
                    fixed[name] = value
                else:
                    freed.add(name)
        method = kwds.pop("method", "MLE")
        prior = kwds.pop("prior", None)
        kwds.pop("optimizer", None)  # accepted for compatibility: fastmle uses its own Newton solver
        if kwds:
            raise TypeError(f"Unknown arguments: {sorted(kwds)}.")
        if not isinstance(method, str) or method.lower() not in ("mle", "mm"):
            raise ValueError(f"Method '{method}' not available; must be one of {{'mle', 'mm'}}")
        return self._check_spec(FitSpec(guesses, fixed, method.lower(), freed, prior=prior), defaults)

    def _check_spec(self, spec, defaults=True):
        for name, value in list(spec.fixed.items()):
            spec.fixed[name] = _positive_float(value, f"fixed {name}")
        for name in list(spec.guesses):
            spec.guesses[name] = _positive_float(spec.guesses[name], f"guess for {name}")
        for name in ("scale",) + tuple(self.positive):
            if name in spec.fixed and not spec.fixed[name] > 0:
                raise ValueError(f"fixed {name} must be positive, got {spec.fixed[name]}")
            if name in spec.guesses and not spec.guesses[name] > 0:
                raise ValueError(f"guess for {name} must be positive, got {spec.guesses[name]}")
        if defaults:
            self._default_fixed(spec)
        if all(n in spec.fixed for n in self.param_names):
            raise ValueError("All parameters fixed. There is nothing to optimize.")
        if spec.prior is not None:
            spec.prior = self._check_prior(spec.prior, spec)
        return spec

    def _check_prior(self, prior, spec):
        """``prior=`` as a dict name -> Prior (None if empty), or a clear error."""
        from ..priors import Prior

        if not isinstance(prior, dict):
            raise TypeError(f"prior must be a dict of parameter name -> fastmle.priors prior, "
                            f"got {type(prior).__name__}")
        unknown = [n for n in prior if n not in self.param_names]
        if unknown:
            raise ValueError(f"prior names unknown parameter(s) {unknown}; {self.name} has "
                             f"{self.param_names}")
        for name, value in prior.items():
            if not isinstance(value, Prior):
                raise TypeError(f"the prior on {name!r} must be a fastmle.priors prior (e.g. "
                                f"fastmle.priors.Normal(0, 1)), got {value!r}")
            if name in spec.fixed:
                how = (" (discrete distributions hold loc at 0 unless floc=None frees it)"
                       if self.discrete and name == "loc" else "")
                raise ValueError(f"a prior on {name!r}, which is fixed at {spec.fixed[name]!r}{how}: "
                                 "a fixed parameter takes no prior")
        if spec.method == "mm" and prior:
            raise ValueError("prior= makes a maximum a posteriori fit; method='MM' takes no prior")
        return dict(prior) or None

    def _default_fixed(self, spec):
        """Hook: parameters fixed unless freed (discrete families fix loc=0)."""

    # -- public API ------------------------------------------------------------
    def fit(self, data, *args, weights=None, n_threads=None, **kwds):
        """Fit the distribution to data; scipy's ``fit`` signature and return value.

        Parameters
        ----------
        data : array_like, ``fastmle.chunks(...)`` or dask array
            Observations (any shape; flattened). float32 and float64 arrays are
            read without a copy; large memory maps chunk by chunk, chunk
            sources pass by pass, dask arrays where their chunks live.
        *args : float
            Starting guesses for the shape parameters, in scipy's order.
        loc, scale : float, optional
            Starting guesses for location and scale.
        f0, ..., fn, fa, fix_a, ... : float, optional
            Hold a shape parameter fixed (by index or by name).
        floc, fscale : float, optional
            Hold location or scale fixed.
        method : {"MLE", "MM"}, optional
            Maximum likelihood (default) or method of moments.
        optimizer : optional
            Accepted for compatibility with scipy and ignored: fastmle always
            uses its own Newton solver on analytic derivatives.
        weights : array_like, optional
            Frequency weights (fastmle extension): weight ``k`` counts as the
            observation repeated ``k`` times; need not be integers; weight 0
            drops the observation (even NaN or outside the support).
        prior : dict, optional
            Priors by parameter name (fastmle extension), e.g.
            ``{"a": fastmle.priors.Gamma(2, 1)}``: the fit is then the
            maximum a posteriori estimate (see :mod:`fastmle.priors`).
        n_threads : int, optional
            Threads for the kernels (default: all cores, or ``OMP_NUM_THREADS``).

        Returns
        -------
        tuple of float
            ``(shapes..., loc, scale)`` for continuous distributions,
            ``(shapes..., loc)`` for discrete ones; fixed values are returned
            exactly as given.

        Raises
        ------
        ValueError
            Non-finite or empty data, data outside the support of a fixed
            location (:class:`fastmle.FitDataError`), invalid fixed values,
            all parameters fixed, the same parameter fixed twice, a prior on
            a fixed or unknown parameter, bad weights.
        TypeError
            Unknown keywords, too many shape guesses, non-numeric data.
        NotImplementedError
            A prior on a parameter this distribution sets by a closed form
            or on a boundary rather than by Newton (expon's loc, ...).

        Warns
        -----
        fastmle.ConvergenceWarning
            If the optimizer did not converge (the estimate is still returned).
        """
        if (not args and weights is None and kwds.get("prior") is None and type(data) is np.ndarray
                and data.ndim == 1 and data.dtype in _KERNEL_DTYPES and data.shape[0] > 0):
            quick = self._quick_fit(data, kwds, n_threads)
            if quick is not None:
                return quick
        spec = self._parse_fit_args(args, kwds)
        result = finish_map(self, spec, self._fit_any(_as_data_or_censored(data, weights, n_threads), spec))
        warn_if_not_converged(result)
        return tuple(result.params)

    def _quick_fit(self, x, kwds, n_threads):
        """Hook: the closed-form MLE straight from one kernel call, or None.

        Distributions whose MLE has a closed form (or a scalar root) under
        the given keywords return scipy's tuple here without building the
        optimizer problem; anything unusual (other keywords, invalid data)
        returns None and takes the validating path. Newton's agreement with
        these closed forms is what ``fastmle.fit`` checks and records.
        """
        return None

    def loglike(self, data, params, weights=None, n_threads=None):
        """Log-likelihood of ``data`` at ``params`` (scipy order); ``-inf`` outside the support."""
        params = tuple(float(p) for p in params)
        if len(params) != len(self.param_names):
            raise ValueError(f"{self.name} takes {len(self.param_names)} parameters "
                             f"{self.param_names}, got {len(params)}")
        from .._censored import as_censored, is_censored

        if is_censored(data):
            from ._natural import natural_sums
            ll = natural_sums(self, as_censored(data, weights, n_threads), params)[1]
            return ll if not math.isnan(ll) else -np.inf
        data = as_data(data, weights, n_threads)
        if data.scan().n_nonfinite:
            return -np.inf
        return self.loglike_at(data, params)

    def nnlf(self, params, data):
        """Negative log-likelihood with scipy's argument order (``rv_continuous.nnlf``)."""
        return -self.loglike(data, params)

    # -- distribution functions (scipy's cdf, sf, logcdf, logsf) ---------------
    def _dist_params(self, what, args, kwds):
        """scipy's ``(*shapes, loc=0, scale=1)`` arguments as a validated parameter list."""
        names = self.param_names
        if len(args) > len(names):
            raise TypeError(f"{self.name}.{what}() takes at most {len(names)} parameters {names}, "
                            f"got {len(args)} positional")
        given = dict(zip(names, args))
        for key, value in kwds.items():
            if key not in names:
                raise TypeError(f"{self.name}.{what}() got an unexpected keyword argument {key!r}; "
                                f"its parameters are {names}")
            if key in given:
                raise TypeError(f"{self.name}.{what}() got multiple values for {key!r}")
            given[key] = value
        missing = [n for n in self.shapes if n not in given]
        if missing:
            raise TypeError(f"{self.name}.{what}() missing required shape parameter(s): "
                            + ", ".join(repr(n) for n in missing))
        defaults = {"loc": 0.0, "scale": 1.0}
        params = []
        for name in names:
            value = np.asarray(given.get(name, defaults.get(name)))
            if value.size != 1:
                raise ValueError(f"{self.name}.{what}(): {name} must be a scalar (array-valued "
                                 f"parameters are not supported), got shape {value.shape}")
            if value.dtype.kind not in "biuf":
                raise TypeError(f"{self.name}.{what}(): {name} must be a real number, got {given[name]!r}")
            v = float(value.reshape(()))
            if not math.isfinite(v):
                raise ValueError(f"{self.name}.{what}(): {name} must be finite, got {v}")
            params.append(v)
        p = dict(zip(names, params))
        for name in ("scale",) + tuple(self.positive):
            if name in p and not p[name] > 0:
                raise ValueError(f"{self.name}.{what}(): {name} must be positive, got {p[name]}")
        for name in getattr(self, "probabilities", ()):
            if not 0 <= p[name] <= 1:
                raise ValueError(f"{self.name}.{what}(): {name} must be in [0, 1], got {p[name]}")
        integers = tuple(getattr(self, "required_fixed", ())) + (("loc",) if self.discrete else ())
        for name in integers:
            if p[name] != math.floor(p[name]) or (name != "loc" and p[name] < 0):
                raise ValueError(f"{self.name}.{what}(): {name} must be a"
                                 f"{'n' if name == 'loc' else ' non-negative'} integer, got {p[name]}")
        return params

    def _log_tail(self, what, x, args, kwds, upper):
        from .._config import resolve_n_threads
        from ._natural import has_natural, lcdf

        params = self._dist_params(what, args, kwds)
        if not has_natural(self):
            raise NotImplementedError(f"{self.name}.{what}(): {self.name} has no cdf kernel yet")
        if np.iscomplexobj(x):
            raise TypeError(f"{self.name}.{what}(): x must be real, got complex values")
        try:
            x = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{self.name}.{what}(): x must be real numbers, got {x!r}") from None
        out = lcdf(self, x, params, upper=upper, n_threads=resolve_n_threads(None)).reshape(x.shape)
        out = np.where(np.isnan(x), np.nan, out)
        return out[()] if out.ndim == 0 else out

    def logcdf(self, x, *args, **kwds):
        """Log of the cumulative distribution function, ``log P(X <= x)``.

        Arguments as ``scipy.stats``: ``dist.logcdf(x, *shapes, loc=0, scale=1)``
        (discrete: ``loc`` only; shapes and loc/scale may be positional or by
        name). Computed by the distribution's cdf kernel as a log, so it
        keeps its relative precision far in the lower tail.

        Parameters
        ----------
        x : array_like
            Points (any shape); discrete distributions floor them, as scipy does.
        *args, **kwds : float
            Shape parameters, ``loc`` and ``scale`` (scalars).

        Returns
        -------
        ndarray or float
            Same shape as ``x``; ``-inf`` below the support, NaN where ``x`` is NaN.

        Raises
        ------
        NotImplementedError
            No cdf kernel for this distribution yet.
        TypeError
            Missing, unknown or repeated parameters; non-real ``x``.
        ValueError
            Invalid parameters (non-positive scale, shapes outside their
            domain, array-valued parameters). scipy returns NaN instead.
        """
        return self._log_tail("logcdf", x, args, kwds, False)

    def logsf(self, x, *args, **kwds):
        """Log of the survival function, ``log P(X > x)``; arguments as :meth:`logcdf`.

        Keeps its relative precision far in the upper tail (where ``log(1 - cdf)``
        would be ``-inf``).
        """
        return self._log_tail("logsf", x, args, kwds, True)

    def cdf(self, x, *args, **kwds):
        """Cumulative distribution function ``P(X <= x)``; arguments as :meth:`logcdf`.

        Examples
        --------
        >>> import fastmle
        >>> float(fastmle.logistic.cdf(0.0, loc=0, scale=2))
        0.5
        """
        return np.exp(self._log_tail("cdf", x, args, kwds, False))

    def sf(self, x, *args, **kwds):
        """Survival function ``P(X > x) = 1 - cdf``, accurate in the upper tail; arguments as :meth:`logcdf`."""
        return np.exp(self._log_tail("sf", x, args, kwds, True))

    # -- the fit driver -------------------------------------------------------
    def _passes_per_iteration(self, spec):
        """Hook: True if each optimizer iteration needs a pass over the data."""
        return False

    def _limit_chart(self, start, data, spec=None):
        """Hook: the limit chart (``fastmle.distributions._charts``) to fit
        ``data`` in when every parameter is free and the fit starts at
        ``start``, or None (the natural coordinates). A family whose
        likelihood may rise towards a limit family returns its chart where
        the start shape is far enough out for that to be likely. ``spec``
        (the fit's ``FitSpec``) says whether ``start`` is a warm start (a fit
        to a subsample, ``spec.warm``)."""
        return None

    def _warm_start(self, data, spec):
        """Fit a strided subsample and keep its estimate as ``spec.warm``."""
        # n_rows last: a chunk source of unknown length counts its rows in a pass
        if (spec.warm is not None or spec.guesses or not self._passes_per_iteration(spec)
                or data.n_rows < 4 * self.warm_start_rows):
            return
        sub_spec = FitSpec({}, dict(spec.fixed), spec.method, spec.freed)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sub_data = data.subsample(self.warm_start_rows)
                sub = self._fit(sub_data, sub_spec)
        except (ValueError, ArithmeticError):
            return      # the full fit starts the usual way
        if np.all(np.isfinite(sub.params)):
            spec.warm = tuple(sub.params)
            spec.warm_data = sub_data

    def _fit(self, data, spec):
        if spec.method == "mm":
            return self._fit_mm(data, spec)
        self._warm_start(data, spec)
        problem = self._problem(data, spec)
        problem.evaluate = likelihood = _remember_last(problem.evaluate)
        prior = active_prior(spec)
        if prior:
            self._apply_prior(problem, spec, prior)
        elif (problem.chart is None and spec.limit_charts and not spec.fixed
              and len(problem.transforms) == len(self.param_names)):
            # (a MAP fit stays in the natural coordinates, where its priors are)
            problem.chart = self._limit_chart(problem.start, data, spec)
        names = self.param_names
        free = sorted(problem.transforms)
        params = problem.start.copy()
        for name, value in problem.boundary.items():
            params[names.index(name)] = value
        boundary = dict(problem.boundary)
        status = {"converged": True, "message": "nothing to optimize", "n_iter": 0, "grad_norm": 0.0}
        retvals = {}
        if free:
            if problem.chart is not None and len(free) == len(params):
                from ._charts import maximize_problem_in_chart
                opt, floored = maximize_problem_in_chart(problem, data, params, boundary), False
            else:
                opt, floored = _maximize_free(problem, params, free)
            status = {"converged": opt.converged, "message": opt.message, "n_iter": opt.n_iter,
                      "grad_norm": opt.grad_norm}
            retvals = {"method": opt.method, "n_iter": opt.n_iter, "n_eval": opt.n_eval,
                       "message": opt.message, "converged": opt.converged}
            retvals.update(getattr(opt, "retvals", {}))
            if getattr(opt, "prior_bound_hits", None):
                self._hold_at_prior_bounds(problem, params, free, opt.prior_bound_hits, spec, boundary,
                                           status, retvals)
            elif floored:
                self._hold_loc_at_floor(problem, params, free, boundary, status, retvals)
        if (problem.edge_loc is not None and "loc" not in boundary
                and problem.edge_worth_checking(params)):
            self._compare_with_edge(problem, params, free, boundary, status, retvals)
        ll, g, H = problem.evaluate(params)     # with a prior: the log posterior and its Hessian
        if prior:
            ll = likelihood(params)[0]      # the same point: remembered, no pass over the data
        if not (np.isfinite(ll) and np.all(np.isfinite(params))):
            raise ValueError(f"{self.name}: the fit ended at non-finite values (params {tuple(params)}, "
                             f"log-likelihood {ll}); the data may overflow float64 or be degenerate")
        message = "; ".join([status["message"]] + problem.notes)
        closed = problem.closed_form(params) if problem.closed_form else None
        result = FitResult(self, params, spec.fixed, ll, problem.nobs, H, status["converged"], message,
                           status["n_iter"], status["grad_norm"], closed_form=closed,
                           boundary=tuple(boundary), data=data, mle_retvals=retvals)
        return result

    def _apply_prior(self, problem, spec, prior):
        """Turn ``problem`` into the posterior's: the log prior joins every
        evaluation, the start moves inside each prior's support, and the
        optimizer keeps each parameter there (``prior_bounds``).

        Shortcuts that describe the likelihood alone are dropped: the
        closed-form MLEs (``closed_form``) and the cheap edge profile. A prior
        on a parameter the distribution sets without Newton (a closed form,
        a boundary estimate) cannot be honoured: NotImplementedError.
        """
        names = self.param_names
        moved = []
        for name, pr in prior.items():
            i = names.index(name)
            if name in spec.fixed:
                continue        # held by an internal refit (a limit, a bound): a constant
            if i not in problem.transforms:
                if self.discrete and name == "loc":
                    why = (f"{self.name} chooses its integer loc by a profile search over the integers, "
                           "not by the Newton iteration a prior enters")
                elif name in problem.boundary:
                    why = (f"its estimate lies on the boundary of the parameter space ({name} = "
                           f"{problem.boundary[name]!r}), where {self.name} sets it rather than "
                           "optimizing it")
                else:
                    why = (f"{self.name} computes its estimate in closed form (or by a search), not "
                           "by the Newton iteration a prior enters")
                raise NotImplementedError(f"{self.name}: a prior on {name!r} is not supported yet: "
                                          f"{why}. Fix {name} or drop its prior.")
            tr = problem.transforms[i]
            d_lo, d_hi = _domain(tr)
            for v in pr.unbounded_at():
                if d_lo < v < d_hi:
                    raise ValueError(f"{self.name}: the prior {pr!r} on {name!r} has infinite density "
                                     f"at {v:g}, inside the range of {name}: the posterior has no mode "
                                     "there to find; choose a prior with a bounded density")
            lo, hi = pr.support
            problem.prior_bounds[i] = (lo, hi)
            p0 = float(problem.start[i])
            if math.isfinite(pr.logpdf(p0)) and lo < p0 < hi:
                continue
            # the start (a likelihood start) is outside the prior's support:
            # move it just inside, towards the prior's centre
            lo_in, hi_in = max(lo, d_lo), min(hi, d_hi)
            if not lo_in < hi_in:
                raise ValueError(f"{self.name}: the prior {pr!r} on {name!r} puts no mass where "
                                 f"{name} can lie ({d_lo:g} to {d_hi:g})")
            width = (hi_in - lo_in if math.isfinite(hi_in - lo_in)
                     else max(abs(pr.interior_point() - (lo_in if math.isfinite(lo_in) else hi_in)), 1e-300))
            p_new = min(max(p0, lo_in + 1e-3 * width), hi_in - 1e-3 * width)
            if not (math.isfinite(pr.logpdf(p_new)) and lo_in < p_new < hi_in):
                p_new = pr.interior_point()
            problem.start[i] = p_new
            moved.append(name)
        likelihood = problem.evaluate
        problem.evaluate = posterior_evaluate(self, spec, likelihood)
        problem.closed_form = None
        problem.edge_profile = None
        if moved:
            start = problem.start.copy()
            for name, value in problem.boundary.items():
                start[names.index(name)] = value
            if not np.isfinite(likelihood(start)[0]):
                raise ValueError(
                    f"{self.name}: moved inside the support of the prior on {', '.join(map(repr, moved))} "
                    f"(start {dict(zip(names, start.tolist()))}), the log-likelihood is -inf: the prior "
                    "puts its mass where the data are impossible, and the posterior has no mode")

    def _hold_at_prior_bounds(self, problem, params, free, hits, spec, boundary, status, retvals):
        """The posterior keeps rising beyond the edge of a prior's support
        (a Uniform prior below the likelihood's maximum, say): its mode is on
        that edge. Hold each such parameter there, maximize the others, and
        release any held one whose posterior slope points back inside (the
        Karush-Kuhn-Tucker condition), until it settles."""
        names = self.param_names
        held = dict(hits)
        converged = False
        for _ in range(len(free) + 2):
            for i, (value, _side) in held.items():
                params[i] = value
            rest = [i for i in free if i not in held]
            converged = True
            if rest:
                opt, _ = _maximize_free(problem, params, rest)
                status["n_iter"] += opt.n_iter
                retvals["n_iter"] += opt.n_iter
                retvals["n_eval"] += opt.n_eval
                status["grad_norm"] = opt.grad_norm
                converged = opt.converged
                if opt.prior_bound_hits:
                    held.update(opt.prior_bound_hits)
                    continue
            g = problem.evaluate(params)[1]
            # at a lower end a maximum has slope <= 0 inwards, at an upper end >= 0
            wrong = [i for i, (_v, side) in held.items() if side * g[i] < 0]
            if not wrong:
                break
            for i in wrong:        # released: maximized with the others next round
                del held[i]
        else:
            converged = False
        parts = []
        for i, (value, side) in held.items():
            boundary[names[i]] = value
            parts.append(f"{names[i]} = {value:.6g}, the {'lower' if side < 0 else 'upper'} end of its "
                         f"prior {spec.prior[names[i]]!r}")
        status["converged"] = retvals["converged"] = converged
        if not parts:
            status["message"] = "an interior posterior mode, reached after leaving the edge of a prior's support"
            return
        status["message"] = ("the posterior increases beyond the support of the prior: its mode is on "
                             "the edge, " + ", ".join(parts)
                             + ("; held there, the other parameters maximized" if converged
                                else "; the other parameters did not converge"))

    def _fit_any(self, data, spec):
        """``_fit`` for exact data, ``_fit_censored`` for censored data."""
        from .._censored import CensoredSample

        if isinstance(data, CensoredSample):
            return self._fit_censored(data, spec)
        return self._fit(data, spec)

    def _fit_censored(self, sample, spec):
        """Maximum likelihood with censored observations.

        Start: the ordinary fit to exact stand-ins (exact values, the finite
        bound of one-sided censoring, interval midpoints), which also gives
        the optimizer's coordinates. Then Newton on the censored
        log-likelihood, each iteration one pass of the natural-parameter
        kernel (log density, log F, log S or log(F(b) - F(a)) per row, with
        their gradients and Hessians).
        """
        from ._natural import has_natural, natural_sums

        if not has_natural(self):
            raise NotImplementedError(f"censored data: {self.name} has no cdf kernel yet")
        if spec.method != "mle":
            raise NotImplementedError("censored data: only method='MLE' is available")
        if self.discrete and "loc" not in spec.fixed:
            raise NotImplementedError(f"censored data: {self.name}'s loc must be fixed (an integer "
                                      f"profile search over censored counts is not implemented)")
        if active_prior(spec) and sample.counts["exact"] != sample.n_rows:
            raise NotImplementedError("censored data: priors (MAP) are not supported yet with censored "
                                      "observations; only flat priors, or exact data")
        if sample.counts["exact"] == sample.n_rows:
            result = self._fit(sample.pseudo_data(), spec)
            result._data = sample
            return result
        # an interval across the end of a fixed support has its midpoint (or
        # one bound) outside it; counts need integer stand-ins; many rows
        # censored at one point are ties that can make the stand-ins' fit
        # degenerate (cauchy, t): then the exact rows alone
        stand_ins = ["upper", "lower"] if self.discrete else ["midpoint"]
        if not self.discrete and sample.counts["interval"]:
            stand_ins += ["upper", "lower"]
        if sample.counts["exact"] >= 2:
            stand_ins.append("exact")
        for k, stand_in in enumerate(stand_ins):
            pseudo = sample.pseudo_data(stand_in)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    start_fit = self._censored_start_fit(pseudo, FitSpec(dict(spec.guesses), dict(spec.fixed),
                                                                         "mle", spec.freed))
                break
            except ValueError as error:
                if k == len(stand_ins) - 1:
                    raise (first_error if k else error)
                if not k:
                    first_error = error
        names = self.param_names
        free = [i for i, n in enumerate(names) if n not in spec.fixed]
        low_need, high_need = sample.support_bounds()

        # beta with both ends free optimizes (..., loc, hi = loc + scale), each
        # end with its own one-sided transform: the same coordinates here
        hi = {"space": False}

        def transforms_at(values):
            """The optimizer's coordinates, scaled at a start point."""
            warm = FitSpec({}, dict(spec.fixed), "mle", spec.freed)
            warm.warm = tuple(values)
            problem = self._problem(pseudo, warm)
            hi["space"] = bool(getattr(problem, "beta_hi_space", False))
            transforms = dict(problem.transforms)
            if "loc" in problem.boundary and "loc" not in spec.fixed and not self.discrete:
                # expon's loc sits at min(x) for exact data; censoring can pull it
                # inside, so it is optimized as a gap below what the data require
                from .._optimize import Below
                li = names.index("loc")
                ref = abs(values[-1]) if names[-1] == "scale" else 1.0
                transforms[li] = Below(low_need, ref)
            missing = [names[i] for i in free if i not in transforms]
            if missing or self.discrete and any(n in problem.boundary for n in self.shapes):
                raise NotImplementedError(f"censored data: {self.name}'s fit with {spec.fixed or 'no'} "
                                          f"fixed parameters has no Newton coordinates for {missing}")
            for i, tr in transforms.items():
                # a one-sided support must hold only what the censored data require
                if type(tr).__name__ == "Below" and names[i] == "loc":
                    transforms[i] = type(tr)(low_need, tr.ref)
                elif type(tr).__name__ == "Above" and (names[i] == "loc" or hi["space"] and names[i] == "scale"):
                    transforms[i] = type(tr)(high_need, tr.ref)
            return transforms

        transforms = transforms_at(start_fit.params)
        hi_space = hi["space"]
        if hi_space:
            li, si = names.index("loc"), names.index("scale")
            J = np.eye(len(names))
            J[si, li] = -1.0            # scale = hi - loc

        def to_natural(q):
            p = np.array(q, dtype=float)
            if hi_space:
                p[si] -= p[li]
            return p

        def natural_evaluate(p):
            try:
                _, ll, g, H, _ = natural_sums(self, sample, p)
            except (ValueError, ZeroDivisionError, OverflowError):
                # a trial point off the parameter space (a shape underflowed to 0)
                return -math.inf, np.zeros(len(p)), np.zeros((len(p), len(p)))
            return ll, g, H

        def evaluate(q):
            if not hi_space:
                return natural_evaluate(q)
            ll, g, H = natural_evaluate(to_natural(q))
            return ll, J.T @ g, J.T @ H @ J

        evaluate = _remember_last(evaluate)

        def newton_from(values, transforms):
            start = np.array([spec.fixed.get(n, v) for n, v in zip(names, values)], dtype=float)
            if hi_space:
                start[si] += start[li]
            for i, tr in transforms.items():
                lo_ok = getattr(tr, "bound", None)
                if lo_ok is not None and type(tr).__name__ == "Below" and not start[i] < tr.bound:
                    start[i] = tr.bound - tr.ref
                if lo_ok is not None and type(tr).__name__ == "Above" and not start[i] > tr.bound:
                    start[i] = tr.bound + tr.ref
            cproblem = Problem(start, transforms, evaluate, sample.nobs)
            if not np.isfinite(cproblem.evaluate(start)[0]):
                return None, start
            params = start.copy()
            opt, floored = _maximize_free(cproblem, params, free)
            boundary = {}
            if floored:
                # the likelihood rises up to the edge of the support the data
                # allow (expon's loc at the smallest exact value; either end
                # of beta's with a shape below 1): each end that gets there is
                # held and the rest maximized
                def at_floor(i):
                    tr = transforms[i]
                    return hasattr(tr, "T_MIN") and tr.to_internal(params[i]) <= tr.T_MIN + 1e-9

                ends = [i for i in free if at_floor(i)] or [names.index("loc")]
                while True:
                    for i in ends:
                        params[i] = transforms[i].to_natural(transforms[i].T_MIN)
                    rest = [i for i in free if i not in ends]
                    if not rest:
                        break
                    opt, floored = _maximize_free(cproblem, params, rest)
                    more = [i for i in rest if at_floor(i)] if floored else []
                    if not more:
                        break
                    ends += more
                for i in ends:
                    boundary[names[i]] = params[i]
            return (cproblem.evaluate(params)[0], params, opt, boundary), to_natural(start)

        best, start = newton_from(start_fit.params, transforms)
        if best is None or not (start_fit.converged and best[2].converged):
            # a doubtful start (an edge or a ridge of the stand-ins' fit, a
            # support that misses censored rows) or a run that stalled:
            # other starts, each on its own ruler, until one converges to a
            # higher point (the starts are made lazily: some cost a fit)
            for values in self._censored_starts(sample, pseudo, spec, start_fit, transforms):
                try:
                    run, _ = newton_from(values, transforms_at(values))
                except (ValueError, NotImplementedError, FloatingPointError):
                    continue
                if run is not None and np.isfinite(run[0]) and (best is None or not run[0] <= best[0]):
                    best = run
                    if run[2].converged:
                        break
        if best is None:
            raise ValueError(f"{self.name}: the censored log-likelihood is not finite at the start "
                             f"{tuple(start)}; the data may lie outside the support of the fixed "
                             f"parameters {spec.fixed}")
        _, params, opt, boundary = best
        params = to_natural(params)
        ll, g, H = natural_evaluate(params)
        if not (np.isfinite(ll) and np.all(np.isfinite(params))):
            raise ValueError(f"{self.name}: the censored fit ended at non-finite values {tuple(params)}")
        message = f"{opt.message}; censored data ({sample.summary()})"
        retvals = {"method": opt.method, "n_iter": opt.n_iter, "n_eval": opt.n_eval,
                   "message": opt.message, "converged": opt.converged, "censored": dict(sample.counts)}
        if boundary:
            message += (f"; {' and '.join(boundary)} {'are' if len(boundary) > 1 else 'is'} at the edge of "
                        "the support the data allow")
        return FitResult(self, params, spec.fixed, ll, sample.nobs, H, opt.converged, message, opt.n_iter,
                         opt.grad_norm, boundary=tuple(boundary), data=sample, mle_retvals=retvals)

    def _censored_start_fit(self, pseudo, spec):
        """Hook: the fit to the exact stand-ins that starts a censored fit
        (default: the ordinary fit; a distribution can skip work that only
        the final answer needs, such as an edge search). Not in a limit
        chart: the censored Newton that goes on from it is in the natural
        coordinates, and a limit's far member would leave it nowhere to go."""
        spec.limit_charts = False
        return self._fit(pseudo, spec)

    def _censored_starts(self, sample, pseudo, spec, start_fit, transforms):
        """Hook: more start points (scipy's order) for the censored Newton,
        tried in turn when the stand-ins' fit or the first run is doubtful;
        a generator, as some cost a fit.

        Default: the regular point of a fit that ended at an edge; for a
        free loc of a one-sided support, the stand-ins' fit with loc held
        beyond the data's extreme by half its distance to the median, from
        which the shapes start in their regular range (a free-loc fit can
        otherwise start on a ridge toward a limiting distribution); the fit
        to the exact rows alone (stand-ins tied at a censoring point can
        pull the start onto them).
        """
        from ._family import sample_quantiles

        interior = start_fit.mle_retvals.get("interior_params")
        if interior is not None:
            yield interior
        names = self.param_names
        fits = []
        if "loc" not in spec.fixed and "loc" in names:
            try:
                lower, upper = self._support(tuple(start_fit.params[:len(self.shapes)]))
            except (AttributeError, NotImplementedError):
                lower = upper = math.inf
            if math.isinf(lower) != math.isinf(upper):
                lowest, median, highest = sample_quantiles(pseudo, [0.0, 0.5, 1.0])
                if math.isinf(upper):
                    floc = lowest - 0.5 * max(median - lowest, 1e-3 * abs(median), 1e-300)
                else:
                    floc = highest + 0.5 * max(highest - median, 1e-3 * abs(median), 1e-300)
                fits.append((self._fit, pseudo, dict(spec.fixed, loc=floc)))
        if 2 <= sample.counts["exact"] < sample.n_rows:
            fits.append((self._censored_start_fit, sample.pseudo_data("exact"), dict(spec.fixed)))
        for fit, data, fixed in fits:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    result = fit(data, FitSpec({}, fixed, "mle", spec.freed))
                except (ValueError, NotImplementedError, FloatingPointError):
                    continue
            yield tuple(result.params)

    def _hold_loc_at_floor(self, problem, params, free, boundary, status, retvals):
        """No regular maximum: the likelihood keeps rising as loc approaches
        min(x) (shape < 1). Hold loc at the closest allowed gap and maximize
        over the other parameters there, which beats any point with a larger
        gap."""
        li = self.param_names.index("loc")
        gap = problem.transforms[li].bound - params[li]
        rest = [i for i in free if i != li]
        if rest:
            opt, _ = _maximize_free(problem, params, rest)
            status["n_iter"] += opt.n_iter
            retvals["n_iter"] += opt.n_iter
            retvals["n_eval"] += opt.n_eval
        boundary["loc"] = params[li]
        status["converged"] = False
        status["message"] = ("the likelihood increases without bound as loc approaches min(x): "
                             f"there is no regular maximum; loc is held at a gap of {gap:.3g} below "
                             "min(x) and the other parameters are maximized there")

    def _compare_with_edge(self, problem, params, free, boundary, status, retvals):
        """Look at the edge of an unbounded likelihood (loc one ulp below
        min(x), the other parameters maximized there) and say how it compares.

        The likelihood there can exceed, without bound, that of any regular
        maximum (shape < 1): the "MLE" is then degenerate, a density spike on
        the smallest observation. Where the optimizer found a regular
        (interior, concave) maximum, that is the estimate, as scipy's
        documentation implies for these families, and the message says the
        edge is higher; the edge point is kept in ``mle_retvals['edge_params']``.
        Only without a regular maximum is the edge point returned.
        """
        li = self.param_names.index("loc")
        ll_interior = problem.evaluate(params)[0]
        if problem.edge_profile is not None:
            edge, ll_edge = problem.edge_profile(problem.edge_loc)
            edge = np.array(edge, dtype=float)
        else:
            edge = params.copy()
            edge[li] = problem.edge_loc
            rest = [i for i in free if i != li]
            if rest:
                _maximize_free(problem, edge, rest)
            ll_edge = problem.evaluate(edge)[0]
        if not (np.isfinite(ll_edge) and ll_edge > ll_interior):
            return
        retvals["edge_params"] = tuple(float(v) for v in edge)
        retvals["edge_llf"] = float(ll_edge)
        if status["converged"]:
            status["message"] += (
                "; the likelihood is unbounded as loc approaches min(x) (already higher one ulp "
                "below min(x): mle_retvals['edge_params']), so there is no global maximum; this "
                "is the best regular (interior) maximum")
            return
        retvals["interior_params"] = tuple(float(v) for v in params)
        params[:] = edge
        boundary["loc"] = params[li]
        status["message"] = ("the likelihood is higher with loc one ulp below min(x) than at the "
                             "point the optimizer stopped at, and unbounded there: there is no "
                             "regular maximum; the estimate is that edge point (the optimizer's "
                             "last point is in mle_retvals['interior_params'])")

    def _natural_map(self, params):
        """Hook: how ``params`` (scipy's order) map onto a family kernel with a
        cdf (a :class:`fastmle.distributions._natural.NaturalMap`), or None.
        Censored data, the robust covariance and ``cdf``/``sf`` need it."""
        return None

    def _std_moments(self, shapes):
        """Hook: mean, variance, skewness and excess kurtosis of the
        standardized variable (loc 0, scale 1) at ``shapes``; for discrete
        distributions, of ``x - loc``. Needed by ``method="MM"``."""
        raise NotImplementedError(f"method='MM' is not available for {self.name}")

    def _moments_at(self, params):
        """(mean, var, skew, excess kurtosis) of X at ``params`` (scipy order)."""
        m = len(self.shapes)
        mean, var, skew, kurt = self._std_moments(tuple(params[:m]))
        if self.discrete:
            return mean + params[m], var, skew, kurt
        loc, scale = params[m], params[m + 1]
        return loc + scale * mean, scale * scale * var, skew, kurt

    def _mm_start(self, data, summary, spec):
        """Start of the moment equations: by default the maximum likelihood
        estimate (close to the moment estimate for well-specified data)."""
        mle_spec = FitSpec(dict(spec.guesses), dict(spec.fixed), "mle", spec.freed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return list(self._fit(data, mle_spec).params)

    def _fit_mm(self, data, spec):
        """Method of moments with scipy's objective (see ``_moments``)."""
        from ._moments import fit_moments

        if type(self)._std_moments is Distribution._std_moments:
            raise NotImplementedError(f"method='MM' is not available for {self.name}")
        summary = data.scan(check_integer=self.discrete)
        if summary.n_nonfinite:     # the integer scan counts them too: no second pass
            data.check_finite()
        start = self._mm_start(data, summary, spec)
        start = [spec.fixed.get(n, v) for n, v in zip(self.param_names, start)]
        params, objective, n_iter, converged = fit_moments(self, summary, spec, start, self._moments_at)
        for i, name in enumerate(self.param_names):
            if name in spec.fixed:
                params[i] = spec.fixed[name]
        ll = self.loglike(data, params)
        message = (f"method of moments: scipy's objective (squared relative errors of the first "
                   f"{len(self.param_names) - len(spec.fixed)} raw moments) = {objective:.3g}")
        if not converged:
            message += "; iteration limit reached"
        result = FitResult(self, params, spec.fixed, ll, summary.sum_w, None, converged, message, n_iter,
                           float("nan"), data=data, method="MM",
                           mle_retvals={"objective": objective, "n_iter": n_iter})
        return result

    # -- helpers for subclasses -------------------------------------------------
    def _start(self, spec, name, default):
        """Fixed value, else the user's guess, else ``default``."""
        if name in spec.fixed:
            return spec.fixed[name]
        return spec.guesses.get(name, default)

    def _support_error(self, data, lower, strict):
        """FitDataError saying how many observations are not above ``lower``."""
        n_out = sum(int(np.count_nonzero(x <= lower if strict else x < lower)) for x, _ in data.chunks)
        rel = ">" if strict else ">="
        return FitDataError(
            f"Invalid values in `data`: maximum likelihood estimation with {self.name!r} requires "
            f"x {rel} loc = {lower!r} for each x in `data`; {n_out} of {data.n_rows} observations "
            f"are not."
        )
