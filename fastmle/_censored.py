"""Censored observations: ``fastmle.Censored`` and ``scipy.stats.CensoredData``.

Each observation is an interval (lower, upper] known to contain the value:
``lower == upper`` is an exact observation, ``lower = -inf`` left-censored
(X <= upper), ``upper = +inf`` right-censored (X > lower), anything else
interval-censored. Fits add ``log F(upper)``, ``log S(lower)`` and
``log(F(upper) - F(lower))`` terms with their gradients and Hessians
(``src/_natural_loop.h``).
"""
import math

import numpy as np

from ._data import as_data, check_weights

__all__ = ["Censored", "CensoredSample", "as_censored", "is_censored"]


class Censored:
    """Censored data as lower and upper bounds, one pair per observation.

    Parameters
    ----------
    lower, upper : array_like
        1-D bounds of the same length. ``lower == upper``: observed exactly;
        ``lower = -inf``: left-censored (the value is at most ``upper``);
        ``upper = +inf``: right-censored (the value exceeds ``lower``);
        otherwise interval-censored, ``lower < value <= upper``. For
        discrete distributions the bounds are counts and inclusive:
        right-censored means ``K >= lower`` and an interval
        ``lower <= K <= upper``.
    weights : array_like, optional
        Frequency weights, one per observation.

    Examples
    --------
    Right-censored lifetimes (units still running at 1000 hours):

    >>> import numpy as np, fastmle
    >>> t = np.array([420.0, 610.0, 1000.0, 1000.0, 870.0])
    >>> running = np.array([False, False, True, True, False])
    >>> data = fastmle.Censored(t, np.where(running, np.inf, t))
    >>> fastmle.weibull_min.fit(data, floc=0)  # doctest: +SKIP
    """

    def __init__(self, lower, upper, weights=None):
        self.lower = _bounds_array(lower, "lower")
        self.upper = _bounds_array(upper, "upper")
        if self.lower.shape != self.upper.shape:
            raise ValueError(f"lower and upper must have the same length, got {self.lower.shape[0]} "
                             f"and {self.upper.shape[0]}")
        self.weights = None if weights is None else np.asarray(weights)

    @classmethod
    def right(cls, values, censored, weights=None):
        """Right-censored data: ``censored[i]`` says the value exceeds ``values[i]``."""
        values, censored = _values_and_flags(values, censored)
        return cls(values, np.where(censored, np.inf, values), weights)

    @classmethod
    def left(cls, values, censored, weights=None):
        """Left-censored data: ``censored[i]`` says the value is at most ``values[i]``."""
        values, censored = _values_and_flags(values, censored)
        return cls(np.where(censored, -np.inf, values), values, weights)

    def __len__(self):
        return self.lower.shape[0]

    def __repr__(self):
        kinds = _kinds(self.lower, self.upper)
        return (f"Censored({len(self)} observations: {kinds['exact']} exact, {kinds['left']} left-, "
                f"{kinds['right']} right-, {kinds['interval']} interval-censored)")


def _values_and_flags(values, censored):
    values = _bounds_array(values, "values")
    censored = np.asarray(censored, dtype=bool)
    if censored.shape != values.shape:
        raise ValueError("values and censored must have the same length")
    return values, censored


def _bounds_array(values, what):
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be numeric") from None
    if arr.ndim != 1:
        raise ValueError(f"{what} must be 1-D, got shape {arr.shape}")
    return arr


def _kinds(lower, upper):
    exact = lower == upper
    left = np.isneginf(lower) & ~exact
    right = np.isposinf(upper) & ~exact & ~left
    return {"exact": int(exact.sum()), "left": int(left.sum()), "right": int(right.sum()),
            "interval": int((~exact & ~left & ~right).sum())}


def is_censored(data):
    """True for a :class:`Censored` or a ``scipy.stats.CensoredData``."""
    return isinstance(data, (Censored, CensoredSample)) or _is_scipy_censored(data)


def _is_scipy_censored(data):
    return type(data).__name__ == "CensoredData" and hasattr(data, "_uncensored")


class CensoredSample:
    """Validated censored data as the kernels read them.

    Attributes
    ----------
    pairs : ndarray, shape (n, 2)
        C-contiguous float64 (lower, upper) rows.
    weights : ndarray or None
    n_threads : int
    nobs : float
        Sum of the weights.
    counts : dict
        Number of exact, left-, right- and interval-censored rows.
    """

    def __init__(self, lower, upper, weights, n_threads):
        from ._config import resolve_n_threads

        n = lower.shape[0]
        if n == 0:
            raise ValueError("`data` must contain at least one observation.")
        bad = np.isnan(lower) | np.isnan(upper)
        if bad.any():
            raise ValueError(f"censored data contain NaN bounds: {int(bad.sum())} of {n} observations")
        bad = lower > upper
        if bad.any():
            raise ValueError(f"censored data need lower <= upper: {int(bad.sum())} of {n} observations "
                             f"have lower > upper")
        bad = (lower == upper) & ~np.isfinite(lower)
        if bad.any():
            raise ValueError(f"an exact observation must be finite: {int(bad.sum())} of {n} observations "
                             f"have lower == upper == +-inf")
        if weights is not None:
            # rows of weight zero are not observations (as for exact data)
            kept, weights = check_weights(np.arange(n), weights)
            if kept.shape[0] != n:
                lower, upper, n = lower[kept], upper[kept], kept.shape[0]
        self.pairs = np.ascontiguousarray(np.column_stack([lower, upper]), dtype=np.float64)
        self.weights = weights
        self.n_threads = resolve_n_threads(n_threads)
        self.nobs = float(n if self.weights is None else self.weights.sum())
        self.counts = _kinds(lower, upper)
        self.n_rows = n

    @property
    def lower(self):
        return self.pairs[:, 0]

    @property
    def upper(self):
        return self.pairs[:, 1]

    @property
    def exact(self):
        return self.pairs[:, 0] == self.pairs[:, 1]

    def pseudo_data(self, interval="midpoint"):
        """Exact stand-ins for start values: exact values, the finite bound
        of one-sided censoring, interval midpoints (or their ``"upper"`` or
        ``"lower"`` bounds: a midpoint can fall outside a support whose end
        the interval straddles); rows censored on both sides at infinity
        carry no information and are left out. ``"exact"``: the exact rows
        alone (stand-ins tied at a censoring point can make a fit degenerate).

        A right-censoring bound below every exact value and interval
        midpoint stands in as the smallest of those (a left-censoring bound
        above them as the largest): "X > 0.3" says nothing that would put
        0.3 inside a support that starts at a fixed loc of 0.5."""
        lo, hi = self.lower, self.upper
        if interval == "exact":
            keep = self.exact
            return as_data(lo[keep], None if self.weights is None else self.weights[keep], self.n_threads)
        both = np.isfinite(lo) & np.isfinite(hi)
        with np.errstate(invalid="ignore"):
            inside = {"midpoint": 0.5 * (lo + hi), "upper": hi, "lower": lo}[interval]
            x = np.where(both, inside, np.where(np.isfinite(lo), lo, hi))
        if both.any():
            inner = x[both]
            x = np.where(np.isposinf(hi) & ~both, np.maximum(x, inner.min()), x)
            x = np.where(np.isneginf(lo) & ~both, np.minimum(x, inner.max()), x)
        keep = np.isfinite(x)
        w = None if self.weights is None else self.weights[keep]
        return as_data(x[keep], w, self.n_threads)

    def support_bounds(self):
        """(smallest value the data require inside the support from above,
        largest from below): a support bounded below must start under the
        first, one bounded above end over the second. Right-censoring
        demands nothing of the lower end, left-censoring nothing of the upper."""
        lo, hi = self.lower, self.upper
        need_low = hi[np.isfinite(hi)]          # exact, left- and interval-censored
        need_high = lo[np.isfinite(lo)]         # exact, right- and interval-censored
        return (float(need_low.min()) if need_low.size else math.inf,
                float(need_high.max()) if need_high.size else -math.inf)

    def summary(self):
        c = self.counts
        return (f"{self.n_rows} observations: {c['exact']} exact, {c['left']} left-, {c['right']} "
                f"right-, {c['interval']} interval-censored")


def as_censored(data, weights=None, n_threads=None):
    """A :class:`CensoredSample` from ``Censored`` or ``scipy.stats.CensoredData``."""
    if isinstance(data, CensoredSample):
        return data
    if isinstance(data, Censored):
        if data.weights is not None and weights is not None:
            raise ValueError("weights given twice: in Censored(...) and as weights=")
        return CensoredSample(data.lower, data.upper, data.weights if weights is None else weights,
                              n_threads)
    if _is_scipy_censored(data):
        if weights is not None:
            raise TypeError("weights= cannot be combined with scipy.stats.CensoredData (its rows are "
                            "regrouped by kind); use fastmle.Censored(lower, upper, weights)")
        unc = np.asarray(data._uncensored, dtype=float)
        left = np.asarray(data._left, dtype=float)
        right = np.asarray(data._right, dtype=float)
        interval = np.asarray(data._interval, dtype=float).reshape(-1, 2)
        lower = np.concatenate([unc, np.full(left.shape, -np.inf), right, interval[:, 0]])
        upper = np.concatenate([unc, left, np.full(right.shape, np.inf), interval[:, 1]])
        return CensoredSample(lower, upper, None, n_threads)
    raise TypeError(f"not censored data: {type(data).__name__}")
