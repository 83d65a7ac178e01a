"""``fastmle.fit``: the rich entry point, mirroring ``scipy.stats.fit``."""
import math
import warnings

import numpy as np

from ._data import as_data
from .distributions import REGISTRY, Distribution

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
    else:
        raise TypeError(f"dist must be a name, a fastmle distribution or a scipy.stats distribution, "
                        f"got {type(dist).__name__}")
    if name not in REGISTRY:
        raise ValueError(f"fastmle cannot fit {name!r} yet; supported: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]


def _bounds_to_spec(d, bounds, spec):
    """scipy.stats.fit's bounds: equal bounds fix a parameter; loc/scale default fixed at 0/1."""
    names = d.param_names
    n_shapes = len(d.shapes)
    if isinstance(bounds, dict):
        unknown = set(bounds) - set(names)
        if unknown:
            warnings.warn(f"Bounds provided for the following unrecognized parameters will be "
                          f"ignored: {unknown}", RuntimeWarning, stacklevel=3)
        table = {n: tuple(bounds[n]) for n in names if n in bounds}
    else:
        arr = np.asarray(bounds, dtype=float)
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
    for name, (lo, hi) in table.items():
        lo, hi = float(lo), float(hi)
        if lo > hi:
            raise ValueError(f"lower bound of {name} exceeds its upper bound: {lo} > {hi}")
        if lo == hi:
            if name in spec.fixed and spec.fixed[name] != lo:
                raise ValueError(f"{name} is fixed twice, at {spec.fixed[name]} and by bounds at {lo}")
            spec.fixed[name] = lo
        else:
            spec.bounds[name] = (lo, hi)
            spec.freed.add(name)
    return spec


def fit(dist, data, bounds=None, *, guess=None, method="mle", weights=None, n_threads=None, **kwds):
    """Fit a distribution by maximum likelihood and return a rich result.

    Parameters
    ----------
    dist : str, fastmle distribution or scipy.stats distribution
        What to fit, e.g. ``"gamma"``, ``fastmle.gamma`` or ``scipy.stats.gamma``.
    data : array_like
        Observations (any shape; flattened).
    bounds : dict or sequence of (lower, upper), optional
        ``scipy.stats.fit``'s bounds. When given, ``scipy.stats.fit``'s rules
        apply: equal bounds fix a parameter, and ``loc``/``scale`` without a
        bound are fixed at 0 and 1. Unequal bounds are checked against the
        estimate (``success=False`` if it falls outside), not enforced.
        Without ``bounds`` every parameter is free, as in ``dist.fit``
        (discrete distributions hold ``loc`` at 0).
    guess : dict or sequence, optional
        Starting values by name or in scipy's order.
    method : {"mle", "mm"}, optional
        Maximum likelihood (default) or the method of moments with scipy's
        objective (``result.method`` says which; no standard errors for MM).
    weights : array_like, optional
        Frequency weights, one per observation.
    n_threads : int, optional
        Threads for the kernels (default: all cores, or ``OMP_NUM_THREADS``).
    **kwds
        scipy ``fit`` keywords: ``floc``, ``fscale``, ``f0``/``fa``/``fix_a``
        (hold a parameter fixed), ``loc``, ``scale`` (guesses).

    Returns
    -------
    FitResult
        ``params`` (namedtuple with scipy's names), ``success``/``converged``,
        ``message``, ``llf``, ``nllf()``, ``aic``, ``bic``, ``cov_params()``,
        ``bse``, ``conf_int()``, ``grad_norm``, ``closed_form``,
        ``closed_form_gap``, ``summary()``.
    """
    d = get_distribution(dist)
    if not isinstance(method, str) or method.lower() not in ("mle", "mm"):
        raise ValueError(f"method must be 'mle' or 'mm', got {method!r}")
    kwds["method"] = method
    guesses = {}
    if guess is not None:
        if isinstance(guess, dict):
            unknown = set(guess) - set(d.param_names)
            if unknown:
                raise ValueError(f"guess names unknown parameters {sorted(unknown)}; "
                                 f"{d.name} has {d.param_names}")
            guesses = dict(guess)
        else:
            values = np.atleast_1d(np.asarray(guess, dtype=float))
            if values.ndim != 1 or values.shape[0] > len(d.param_names):
                raise ValueError(f"guess must hold at most {len(d.param_names)} values {d.param_names}")
            guesses = dict(zip(d.param_names, values.tolist()))
    # with bounds, scipy.stats.fit's defaults (loc/scale fixed unless bounded)
    # replace the distribution's own (poisson's loc held at 0 unless freed)
    spec = d._parse_fit_args((), kwds, guesses, defaults=bounds is None)
    if bounds is not None:
        spec = d._check_spec(_bounds_to_spec(d, bounds, spec))
    result = d._fit(as_data(data, weights, n_threads), spec)
    for name, (lo, hi) in spec.bounds.items():
        value = getattr(result.params, name)
        if not lo <= value <= hi:
            result.success = result.converged = False
            result.message += (f"; the unconstrained estimate of {name} = {value:.6g} lies outside "
                               f"its bounds [{lo:.6g}, {hi:.6g}]")
            warnings.warn(result.message, RuntimeWarning, stacklevel=2)
    if math.isnan(result.llf):
        raise RuntimeError("internal error: NaN log-likelihood at the estimate")
    return result
