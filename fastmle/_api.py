"""``fastmle.fit``: the rich entry point, mirroring ``scipy.stats.fit``."""
import math
import sys
import warnings

import numpy as np

from ._data import FitDataError, as_data
from ._optimize import ConvergenceWarning
from ._results import FitResult
from .distributions import REGISTRY, Distribution
from .distributions._base import (FitSpec, _as_data_or_censored, finish_map, fit_objective, log_prior_at,
                                  warn_if_not_converged)

__all__ = ["fit", "get_distribution"]


def get_distribution(dist):
    """The fastmle distribution for a name, a fastmle distribution or a scipy one.

    Raises
    ------
    ValueError
        If fastmle does not (yet) fit that distribution.
    TypeError
        If ``dist`` is none of the accepted kinds.
    """
    if isinstance(dist, Distribution):
        return dist
    if isinstance(dist, str):
        name = dist
    elif hasattr(dist, "name") and (hasattr(dist, "pdf") or hasattr(dist, "pmf")):
        name = dist.name      # a scipy.stats distribution object (frozen ones are rejected below)
        if hasattr(dist, "dist") and hasattr(dist, "args"):
            raise TypeError("pass the distribution (e.g. scipy.stats.gamma), not a frozen instance")
        # a user's subclass (or an instance with another support) may have
        # another density under scipy's name: fitting it as scipy's would be wrong
        st = sys.modules.get("scipy.stats")
        ref = getattr(st, name, None) if isinstance(name, str) and st is not None else None
        if ref is not None and (type(dist) is not type(ref)
                                or (getattr(dist, "a", None), getattr(dist, "b", None)) != (ref.a, ref.b)):
            raise ValueError(f"{dist!r} is named {name!r} but is not scipy.stats.{name} (another class "
                             f"or support); fastmle fits scipy's own distributions only")
    else:
        raise TypeError(f"dist must be a name, a fastmle distribution or a scipy.stats distribution, "
                        f"got {type(dist).__name__}")
    if name not in REGISTRY:
        raise ValueError(f"fastmle cannot fit {name!r} yet; supported: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]


def _bounds_to_spec(d, bounds, spec):
    """scipy.stats.fit's bounds: equal bounds fix a parameter; loc/scale default fixed at 0/1.

    A ``None`` bound (dict form) means the parameter's whole domain, as in
    ``scipy.stats.fit``. Infinite bounds are accepted (scipy requires finite
    bounds on shapes only because differential evolution needs a box).
    """
    names = d.param_names
    n_shapes = len(d.shapes)
    if isinstance(bounds, dict):
        unknown = set(bounds) - set(names)
        if unknown:
            warnings.warn(f"Bounds provided for the following unrecognized parameters will be "
                          f"ignored: {unknown}", RuntimeWarning, stacklevel=3)
        table = {n: (-math.inf, math.inf) if bounds[n] is None else tuple(bounds[n])
                 for n in names if n in bounds}
    else:
        try:
            arr = np.asarray(bounds, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError("Each element of a `bounds` sequence must be a tuple containing two "
                             "elements: the lower and upper bound of a distribution parameter.") from exc
        if arr.size == 0:
            arr = np.empty((0, 2))
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError("Each element of `bounds` must be a tuple specifying the lower and "
                             "upper bounds of a parameter")
        if not n_shapes <= arr.shape[0] <= len(names):
            raise ValueError(f"A `bounds` sequence must contain between {n_shapes} and {len(names)} "
                             f"elements for parameters {names}")
        table = {names[i]: tuple(arr[i]) for i in range(arr.shape[0])}
    defaults = {"loc": (0.0, 0.0), "scale": (1.0, 1.0)}
    for name in names:
        if name not in table and name in defaults:
            table[name] = defaults[name]
    for name, pair in table.items():
        if len(pair) != 2:
            raise ValueError(f"the bounds of {name} must be a (lower, upper) pair, got {pair!r}")
        lo, hi = float(pair[0]), float(pair[1])
        if math.isnan(lo) or math.isnan(hi):
            raise ValueError(f"the bounds of {name} are NaN: {pair!r}")
        if lo > hi:
            raise ValueError(f"There are no values for `{name}` on the interval [{lo}, {hi}]: "
                             f"the lower bound exceeds the upper bound")
        if d.discrete and name == "loc":
            # scipy.stats.fit searches integer locations of a discrete distribution
            lo, hi = math.ceil(lo), math.floor(hi)
            if lo > hi:
                raise ValueError(f"There are no integer values for `loc` on the interval "
                                 f"[{pair[0]}, {pair[1]}]")
        if lo == hi:
            if name in spec.fixed and spec.fixed[name] != lo:
                raise ValueError(f"{name} is fixed twice, at {spec.fixed[name]} and by bounds at {lo}")
            spec.fixed[name] = lo
        else:
            if name in spec.fixed:
                # floc=... and bounds for loc: the fixed value wins if it lies within the bounds
                if not lo <= spec.fixed[name] <= hi:
                    raise ValueError(f"{name} is fixed at {spec.fixed[name]}, outside its bounds "
                                     f"[{lo}, {hi}]")
                continue
            spec.bounds[name] = (lo, hi)
            spec.freed.add(name)
    return spec


def _parse_guess(d, guess):
    """``guess`` (dict by name or sequence in scipy's order) as a dict by name."""
    if guess is None:
        return {}
    if isinstance(guess, dict):
        unknown = set(guess) - set(d.param_names)
        if unknown:
            raise ValueError(f"guess names unknown parameters {sorted(unknown)}; "
                             f"{d.name} has {d.param_names}")
        return dict(guess)
    values = np.atleast_1d(np.asarray(guess, dtype=float))
    if values.ndim != 1 or values.shape[0] > len(d.param_names):
        raise ValueError(f"guess must hold at most {len(d.param_names)} values {d.param_names}")
    return dict(zip(d.param_names, values.tolist()))


def _refit(d, data, spec, held):
    """Fit again with the parameters in ``held`` fixed at those values (and
    the user's fixed ones); a FitResult even when nothing is left free."""
    fixed = dict(spec.fixed, **held)
    guesses = {n: v for n, v in spec.guesses.items() if n not in fixed}
    bounds = {n: b for n, b in spec.bounds.items() if n not in fixed}
    sub = FitSpec(guesses, fixed, spec.method, spec.freed - set(held), bounds, prior=spec.prior)
    if all(n in fixed for n in d.param_names):
        params = [fixed[n] for n in d.param_names]
        ll = d.loglike_at(data, tuple(params))
        if not math.isfinite(ll + log_prior_at(d, spec, params)):
            raise ValueError(f"no {d.name} parameters within the bounds give the data a positive "
                             f"likelihood: at {dict(zip(d.param_names, params))} it is {ll}")
        return FitResult(d, params, fixed, ll, data.scan().sum_w, None, True, "nothing to optimize",
                         0, 0.0, data=data)
    try:
        with warnings.catch_warnings():
            # a non-converged intermediate fit is reported on the final result only
            warnings.simplefilter("ignore", ConvergenceWarning)
            return d._fit_any(data, sub)
    except FitDataError as exc:
        raise ValueError(f"no {d.name} parameters within the bounds give the data a positive "
                         f"likelihood: holding {held} ({exc})") from exc


def _outside(result, bounds, held):
    return {n: (lo if getattr(result.params, n) < lo else hi)
            for n, (lo, hi) in bounds.items()
            if n not in held and not lo <= getattr(result.params, n) <= hi}


def _fit_within_bounds(d, data, spec, result):
    """Enforce unequal bounds as ``scipy.stats.fit`` does (it searches only
    inside them): an active set. Parameters whose estimate lies outside
    their bounds are held at the bound they crossed and the rest refit;
    then each held parameter is released again if that raises the
    likelihood while staying inside its bounds (a held bound that no longer
    binds). The likelihoods fastmle fits have one interior optimum per
    slice in the cases that matter, so this reaches the boundary optimum
    that scipy's box search approximates."""
    bounds = spec.bounds
    unconstrained = tuple(result.params)
    held = {}
    crossed = {}     # the estimate that crossed each held bound, for the message
    for _ in range(2 * len(bounds) + 2):
        out = _outside(result, bounds, held)
        if out:
            crossed.update({n: getattr(result.params, n) for n in out})
            held.update(out)
            result = _refit(d, data, spec, held)
            continue
        released = False
        for name in list(held):
            trial_held = {n: v for n, v in held.items() if n != name}
            try:
                trial = _refit(d, data, spec, trial_held)
            except ValueError:
                continue
            if (not _outside(trial, bounds, trial_held)
                    and fit_objective(d, spec, trial) > fit_objective(d, spec, result)):
                held, result, released = trial_held, trial, True
                break
        if not released:
            break
    if not held:
        return result
    for name in held:
        result.fixed.pop(name, None)
    result.boundary = tuple(result.boundary) + tuple(n for n in held if n not in result.boundary)
    parts = []
    for name, value in held.items():
        lo, hi = bounds[name]
        parts.append(f"{name} held at its {'lower' if value == lo else 'upper'} bound {value:.6g} "
                     f"(estimate {crossed[name]:.6g} outside [{lo:.6g}, {hi:.6g}])")
    result.message += "; bounds enforced: " + ", ".join(parts) + "; the other parameters are maximized there"
    result.mle_retvals["bounds_held"] = dict(held)
    result.mle_retvals["unconstrained_params"] = unconstrained
    return result


def fit(dist, data, bounds=None, *, guess=None, method="mle", optimizer=None, weights=None,
        prior=None, n_threads=None, verbose=False, cov_type="nonrobust", **kwds):
    """Fit a distribution by maximum likelihood (or a posteriori) and return a rich result.

    Takes ``scipy.stats.fit``'s arguments, so code written for it runs
    unchanged; the search is a deterministic Newton solve on analytic
    derivatives instead of differential evolution.

    Parameters
    ----------
    dist : str, fastmle distribution or scipy.stats distribution
        What to fit, e.g. ``"gamma"``, ``fastmle.gamma`` or ``scipy.stats.gamma``.
    data : array_like, ``fastmle.chunks(...)`` or dask array
        Observations (any shape; flattened). A memory map larger than 2**22
        rows is read chunk by chunk (no copy, O(chunk) resident memory);
        ``fastmle.chunks`` reads files, callables or Parquet pass by pass; a
        dask array is fitted where its chunks live (see ``fastmle.chunks``).
    bounds : dict or sequence of (lower, upper), optional
        ``scipy.stats.fit``'s bounds. When given, ``scipy.stats.fit``'s rules
        apply: equal bounds fix a parameter, ``loc``/``scale`` without a
        bound are fixed at 0 and 1, a ``None`` bound (dict form) means the
        parameter's whole domain. Unequal bounds are enforced: if the
        unconstrained maximum lies outside them, the parameters that cross
        a bound are held at that bound and the others maximized there (the
        maximum over the box, which ``scipy.stats.fit`` searches); the
        result's ``message`` says which. Unlike scipy, infinite bounds are
        allowed. Without ``bounds`` every parameter is free, as in
        ``dist.fit`` (discrete distributions hold ``loc`` at 0).
    guess : dict or sequence, optional
        Starting values by name or in scipy's order.
    method : {"mle", "mm"}, optional
        Maximum likelihood (default) or the method of moments with scipy's
        objective (``result.method`` says which; no standard errors for MM).
        ``"mse"`` (scipy's maximum spacing estimation) raises
        ``NotImplementedError``. Bounds are enforced for ``"mle"``; with
        ``"mm"`` an estimate outside unequal bounds is only reported
        (``success=False`` and a ``RuntimeWarning``).
    optimizer : optional
        Accepted for compatibility with ``scipy.stats.fit`` and ignored:
        fastmle always uses its own Newton solver.
    weights : array_like, optional
        Frequency weights, one per observation (1-D or in the data's
        shape): weight ``k`` counts as the observation repeated ``k`` times,
        non-integer weights are allowed (only their ratios move the
        estimate), and weight 0 drops the observation before anything else,
        even one that is NaN or outside the support.
    prior : dict, optional
        Priors by parameter name, ``fastmle.priors`` objects, e.g.
        ``{"a": fastmle.priors.Gamma(2, 1), "scale": fastmle.priors.HalfNormal(10)}``.
        The fit is then the maximum a posteriori estimate: the same Newton
        iteration on log-likelihood plus log priors. ``result.method`` is
        "MAP", ``result.prior`` holds the priors, ``result.log_posterior``
        the unnormalized log posterior (``llf`` stays the log-likelihood),
        and ``cov_params`` comes from the Hessian of the log posterior. A
        parameter driven beyond the support of its prior (a Uniform's
        bound) is held on that bound. Priors on fixed parameters, and on
        parameters a distribution does not find by Newton (expon's loc, the
        closed forms of uniform, laplace's loc, pareto's search, ...) are
        refused with a clear error; all-Flat priors give the MLE exactly.
    n_threads : int, optional
        Threads for the kernels (default: all cores, or ``OMP_NUM_THREADS``).
    verbose : bool, optional
        Print one line per pass over the data (what, rows, seconds) to
        stderr: progress of long out-of-core or Dask fits.
    cov_type : {"nonrobust", "robust"}, optional
        The covariance behind ``bse``, ``conf_int`` and ``summary``: the
        inverse observed information (default) or the sandwich (Huber-White)
        estimator, robust to misspecification (see ``FitResult.cov_params``).
    **kwds
        scipy ``fit`` keywords: ``floc``, ``fscale``, ``f0``/``fa``/``fix_a``
        (hold a parameter fixed), ``loc``, ``scale`` (guesses).

    Returns
    -------
    FitResult
        ``params`` (namedtuple with scipy's names), ``success``/``converged``,
        ``message``, ``llf``, ``nllf()``, ``plot()``, ``aic``, ``bic``,
        ``cov_params()``, ``bse``, ``conf_int()``, ``grad_norm``,
        ``closed_form``, ``closed_form_gap``, ``summary()``.

    Raises
    ------
    ValueError
        Bad data (non-finite, empty, outside the support of a fixed
        location), invalid bounds or guesses, bounds inside which no
        parameters give the data a positive likelihood.
    NotImplementedError
        ``method="mse"``; a prior on a parameter the distribution does not
        estimate by Newton.
    """
    d = get_distribution(dist)
    if isinstance(method, str) and method.lower() == "mse":
        raise NotImplementedError("fastmle.fit implements method='mle' and 'mm'; use scipy.stats.fit "
                                  "for maximum spacing estimation (method='mse')")
    if not isinstance(method, str) or method.lower() not in ("mle", "mm"):
        raise ValueError(f"method must be 'mle' or 'mm', got {method!r}")
    if cov_type not in ("nonrobust", "robust"):
        raise ValueError(f"cov_type must be 'nonrobust' or 'robust', got {cov_type!r}")
    kwds["method"] = method
    kwds["prior"] = prior
    del optimizer     # scipy's differential evolution is not needed: see the docstring
    guesses = _parse_guess(d, guess)
    # with bounds, scipy.stats.fit's defaults (loc/scale fixed unless bounded)
    # replace the distribution's own (poisson's loc held at 0 unless freed)
    spec = d._parse_fit_args((), kwds, guesses, defaults=bounds is None)
    if bounds is not None:
        spec = d._check_spec(_bounds_to_spec(d, bounds, spec))
    if verbose:
        from ._sources import chunks
        data, weights = chunks(data, weights=weights, verbose=True), None
    data = _as_data_or_censored(data, weights, n_threads)
    result = d._fit_any(data, spec)
    if spec.bounds and spec.method == "mle":
        result = _fit_within_bounds(d, data, spec, result)
    for name, (lo, hi) in spec.bounds.items():
        value = getattr(result.params, name)
        if not lo <= value <= hi:      # method="mm": moments are matched, not maximized in a box
            result.success = result.converged = False
            result.message += (f"; the estimate of {name} = {value:.6g} lies outside its bounds "
                               f"[{lo:.6g}, {hi:.6g}]")
            warnings.warn(result.message, RuntimeWarning, stacklevel=2)
    if math.isnan(result.llf):
        raise RuntimeError("internal error: NaN log-likelihood at the estimate")
    finish_map(d, spec, result)
    result.cov_type = cov_type
    result._fit_spec = spec     # profile-likelihood refits repeat the fit with one parameter held
    warn_if_not_converged(result)
    return result
