"""Turning what users pass into data the kernels can read, and the one scan.

Data are kept as a list of chunks ``(x, w)``: ``x`` a 1-D float32 or float64
array (read by the kernels without a copy, any stride), ``w`` None or a
contiguous float64 array of weights. Every kernel quantity is a sum over
observations, so a fit needs nothing from a chunk but its sums; in-memory
data are one chunk today, and memory-mapped or distributed sources plug in as
more chunks.
"""
import math

import numpy as np

from . import _scan
from ._config import resolve_n_threads

__all__ = ["Data", "as_data", "FitDataError"]


class FitDataError(ValueError):
    """The data are inconsistent with a fixed parameter (outside the support).

    A subclass of ``ValueError``, like ``scipy.stats._continuous_distns.FitDataError``.
    """


def _as_float_array(obj, what):
    """A float32/float64 ndarray viewing ``obj`` when possible, else a float64 copy."""
    if isinstance(obj, (str, bytes)):
        raise TypeError(f"{what} must be numeric, got a string")
    arr = obj if isinstance(obj, np.ndarray) else np.asarray(obj)
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{what} must be real numbers, got complex dtype {arr.dtype}")
    if kind in "USVMm":
        raise TypeError(f"{what} must be numeric, got dtype {arr.dtype}")
    if kind == "O":
        if any(isinstance(v, (complex, np.complexfloating)) for v in arr.ravel()[:1000]):
            raise TypeError(f"{what} must be real numbers, got complex values")
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{what} must be numeric: {exc}") from None
    elif kind in "iub" or (kind == "f" and arr.dtype.itemsize not in (4, 8)):
        arr = arr.astype(np.float64)
    elif not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if arr.ndim != 1:
        arr = arr.ravel()  # as scipy's fit does
    if not arr.flags.aligned or (arr.strides[0] % arr.dtype.itemsize):
        arr = np.array(arr, dtype=arr.dtype)
    return arr


class ScanSummary:
    """What one scan pass learnt about the data (all weighted)."""

    def __init__(self, sums, lo, hi, shift):
        n_bad, n_nonint, sw, s1, s2, s3, s4 = sums
        self.sums = sums      # raw: the moment sums are about ``shift``
        self.n_nonfinite = int(n_bad)
        self.n_nonint = int(n_nonint)
        self.sum_w = sw
        self.min = lo
        self.max = hi
        self.shift = shift
        d = s1 / sw if sw > 0 else np.nan
        self.mean = shift + d
        # central moments from moments about the shift (the shift is a data
        # value, so |d| is of the order of the spread: no cancellation)
        m2 = max(s2 / sw - d * d, 0.0)
        m3 = s3 / sw - 3 * d * s2 / sw + 2 * d ** 3
        m4 = s4 / sw - 4 * d * s3 / sw + 6 * d * d * s2 / sw - 3 * d ** 4
        self.var = m2
        self.skew = m3 / m2 ** 1.5 if m2 > 0 else 0.0
        self.kurtosis = m4 / m2 ** 2 - 3.0 if m2 > 0 else 0.0


class Data:
    """Validated observations (and optional frequency weights) as chunks.

    Parameters
    ----------
    chunks : list of (x, w)
    n_threads : int
    """

    def __init__(self, chunks, n_threads):
        self.chunks = chunks
        self.n_threads = n_threads
        self.n_rows = sum(x.shape[0] for x, _ in chunks)
        self.weighted = any(w is not None for _, w in chunks)
        self._scans = {}

    def reduce(self, sums_fn, *args):
        """Sum a kernel's per-chunk sums over all chunks, in chunk order."""
        total = None
        for x, w in self.chunks:
            s = sums_fn(x, w, *args, n_threads=self.n_threads)
            total = s if total is None else total + s
        return total

    def scan(self, check_integer=False):
        """Validity counts, range and moments (cached); see ``_scan.scan``."""
        key = bool(check_integer)
        if key not in self._scans:
            x0 = float(self.chunks[0][0][0])
            shift = x0 if np.isfinite(x0) else 0.0
            total, lo, hi = None, np.inf, -np.inf
            for x, w in self.chunks:
                s, clo, chi = _scan.scan(x, w, shift, key, self.n_threads)
                total = s if total is None else total + s
                lo, hi = min(lo, clo), max(hi, chi)
            self._scans[key] = ScanSummary(total, lo, hi, shift)
        return self._scans[key]

    def check_finite(self):
        """Raise ``ValueError`` if any observation is NaN or infinite."""
        summary = self.scan()
        if summary.n_nonfinite:
            raise ValueError(
                f"The data contains non-finite values: {summary.n_nonfinite} of "
                f"{self.n_rows} observations are NaN or infinite."
            )
        return summary

    def subsample(self, max_rows):
        """A deterministic, evenly strided subsample of about ``max_rows`` rows.

        It serves as a cheap warm start for fits that pass over the data once
        per iteration. The rows are copied (at most ``max_rows`` of them) so
        that the many small passes of the warm-start fit read a compact array
        that stays in cache instead of one cache line per observation.
        """
        step = max(1, self.n_rows // max_rows)
        chunks = [(np.ascontiguousarray(x[::step]), None if w is None else np.ascontiguousarray(w[::step]))
                  for x, w in self.chunks]
        return Data(chunks, self.n_threads)


def as_data(data, weights=None, n_threads=None):
    """Validate ``data`` (and ``weights``) and wrap them as :class:`Data`.

    Parameters
    ----------
    data : array_like
        Any shape (flattened, as scipy does); float32 and float64 arrays are
        used without a copy, whatever their strides or writeability.
    weights : array_like, optional
        Non-negative frequency weights, one per observation: fitting with
        weight ``k`` equals fitting the observation repeated ``k`` times.
        Observations of weight zero are dropped.
    n_threads : int, optional

    Raises
    ------
    TypeError
        Non-numeric or complex data or weights.
    ValueError
        Empty data; weights of the wrong length, negative, non-finite, or
        summing to zero.
    """
    if isinstance(data, Data):
        return data
    x = _as_float_array(data, "data")
    if x.shape[0] == 0:
        raise ValueError("data is empty: at least one observation is needed")
    w = None
    if weights is not None:
        w = _as_float_array(weights, "weights")
        if w.shape[0] != x.shape[0]:
            raise ValueError(
                f"weights must have one value per observation: got {w.shape[0]} "
                f"weights for {x.shape[0]} observations"
            )
        w = np.ascontiguousarray(w, dtype=np.float64)
        if not np.isfinite(w).all():
            raise ValueError("weights contain NaN or infinite values")
        if (w < 0).any():
            raise ValueError(f"weights must be non-negative; {int((w < 0).sum())} are negative")
        positive = w > 0
        if not positive.any():
            raise ValueError("weights sum to zero: nothing to fit")
        if not positive.all():
            x, w = x[positive], np.ascontiguousarray(w[positive])
    return Data([(x, w)], resolve_n_threads(n_threads))


def value_table(data, max_range=1 << 22):
    """Integer data as a table of distinct values and their total weights.

    Counts take few distinct values; a discrete family's Newton iterations
    then run over the table, not the observations. Returns a :class:`Data`
    of (value, weight) rows, or ``data`` itself when the values span more
    than ``max_range`` integers (the table would not be smaller).
    """
    summary = data.scan(check_integer=True)
    lo, hi = summary.min, summary.max
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo >= max_range or hi - lo >= data.n_rows:
        return data
    base = int(lo)
    width = int(hi - lo) + 1
    total = np.zeros(width)
    for x, w in data.chunks:
        total += np.bincount((x - base).astype(np.intp), weights=w, minlength=width)
    present = np.flatnonzero(total)
    return Data([((present + base).astype(np.float64), np.ascontiguousarray(total[present]))],
                data.n_threads)
