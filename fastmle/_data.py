"""Turning what users pass into data the kernels can read, and the one scan.

Data are kept as chunks ``(x, w)``: ``x`` a 1-D float32 or float64 array
(read by the kernels without a copy, any stride), ``w`` None or a contiguous
float64 array of weights. Every kernel quantity is a sum over observations,
so a fit needs nothing from a chunk but its sums. An in-memory array is one
chunk (a list); memory maps, ``fastmle.chunks(...)`` sources and Dask arrays
are a source object (``fastmle._sources``) that yields chunks pass by pass,
or runs the per-chunk sums where the chunks live.

Per-chunk sums are combined pairwise, bottom-up, exactly as the kernels
combine their blocks within a chunk: when every chunk but the last holds the
same power-of-two number of blocks, the result is bitwise the one-chunk sum.
"""
import math

import numpy as np

from . import _budget, _scan
from ._config import resolve_n_threads, threads_for

__all__ = ["Data", "as_data", "FitDataError", "pairwise_sum", "chunked_median"]


def pairwise_sum(parts):
    """Sum a list of arrays bottom-up in pairs, as the kernels combine blocks
    (``combine_blocks`` in ``src/_common.pxd``): adjacent pairs, an odd last
    one carried up. Chunks of equal power-of-two block counts then sum to
    exactly the one-chunk result."""
    parts = list(parts)
    if not parts:
        raise ValueError("data is empty: at least one observation is needed")
    while len(parts) > 1:
        paired = [_add(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
        if len(parts) % 2:
            paired.append(parts[-1])
        parts = paired
    return parts[0]


def _add(a, b):
    """``a + b``, member by member for tuples (a kernel returning several arrays)."""
    if isinstance(a, tuple):
        return tuple(_add(u, v) for u, v in zip(a, b))
    return a + b


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
    chunks : list of (x, w), or a chunk source (``fastmle._sources.Source``)
    n_threads : int, or None for a source that decides per chunk (Dask workers)
    """

    def __init__(self, chunks, n_threads):
        self.chunks = chunks
        self.n_threads = n_threads
        self._source = not isinstance(chunks, list)
        if not self._source:
            self._n_rows = sum(x.shape[0] for x, _ in chunks)
            self._weighted = any(w is not None for _, w in chunks)
        self._scans = {}

    @property
    def n_rows(self):
        """Number of observations (rows with positive weight)."""
        if self._source:
            return self.chunks.n_rows_after(self.scan)
        return self._n_rows

    @property
    def weighted(self):
        if self._source:
            return self.chunks.weighted_after(self.scan)
        return self._weighted

    @property
    def out_of_core(self):
        """True for sources read pass by pass (memory maps, chunk sources, Dask)."""
        return self._source

    def reduce(self, sums_fn, *args):
        """Sum a kernel's per-chunk sums over all chunks (pairwise, see the module doc)."""
        _budget.charge_pass(self)
        if self._source:
            return self.chunks.reduce(sums_fn, args, self.n_threads)
        if len(self.chunks) == 1:
            x, w = self.chunks[0]
            return sums_fn(x, w, *args, n_threads=self.n_threads)
        return pairwise_sum([sums_fn(x, w, *args, n_threads=self.n_threads) for x, w in self.chunks])

    def map(self, fn, *args):
        """``[fn(x, w, *args) for each chunk]`` in chunk order (where the chunks live).

        ``fn`` must return something small; for Dask data it runs on the
        workers and must be picklable.
        """
        _budget.charge_pass(self)
        if self._source:
            return self.chunks.map(fn, args)
        return [fn(x, w, *args) for x, w in self.chunks]

    def scan(self, check_integer=False):
        """Validity counts, range and moments (cached); see ``_scan.scan``."""
        key = bool(check_integer)
        if key not in self._scans:
            if self._source:
                total, lo, hi, shift = self.chunks.scan(key, self.n_threads)
                if key:
                    self._tables = self.chunks.tables
            else:
                x0 = float(self.chunks[0][0][0])
                shift = x0 if np.isfinite(x0) else 0.0
                parts, lo, hi = [], np.inf, -np.inf
                for x, w in self.chunks:
                    s, clo, chi = _scan.scan(x, w, shift, key, self.n_threads)
                    parts.append(s)
                    lo, hi = min(lo, clo), max(hi, chi)
                total = pairwise_sum(parts)
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
        that stays in cache instead of one cache line per observation. Rows
        ``0, step, 2 step, ...`` of the whole data, however they are chunked.
        """
        step = max(1, self.n_rows // max_rows)
        if self._source:
            x, w = self.chunks.strided(step)
            n_threads = self.n_threads if self.n_threads is not None else resolve_n_threads(None)
            return Data([(x, w)], n_threads)
        chunks = [(np.ascontiguousarray(x[::step]), None if w is None else np.ascontiguousarray(w[::step]))
                  for x, w in self.chunks]
        return Data(chunks, self.n_threads)


def _check_weights_shape(w, data_shape):
    """Weights are one per observation: a 1-D array, a single row or column,
    or an array of the data's own shape (flattened the same way). Any other
    shape would pair weights with observations by accident of layout."""
    shape = np.shape(w)
    if len(shape) <= 1 or sum(d != 1 for d in shape) <= 1:
        return
    if data_shape is not None and tuple(shape) == tuple(data_shape):
        return
    raise ValueError(f"weights of shape {tuple(shape)} do not match data of shape "
                     f"{tuple(data_shape) if data_shape is not None else '(unknown)'}: pass one "
                     "weight per observation, as a 1-D array or in the data's shape")


def check_weights(x, w, data_shape=None):
    """Validate weights for the observations ``x``; drop rows of weight zero.

    ``data_shape`` is the shape the data had before flattening (a 2-D
    ``weights`` must have it). A weight of zero removes its observation
    before anything looks at it, whatever its value (outside the support,
    NaN): like ``np.repeat(x, 0)``. Returns ``(x, w)`` with ``w`` a
    contiguous float64 array (``x`` copied only when rows are dropped).
    """
    if isinstance(w, np.ndarray):
        _check_weights_shape(w, data_shape)
    w = _as_float_array(w, "weights")
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
    if not positive.all():
        x, w = x[positive], np.ascontiguousarray(w[positive])
    return x, w


def as_data(data, weights=None, n_threads=None):
    """Validate ``data`` (and ``weights``) and wrap them as :class:`Data`.

    Parameters
    ----------
    data : array_like, ``fastmle.chunks(...)`` or dask array
        Any shape (flattened, as scipy does); float32 and float64 arrays are
        used without a copy, whatever their strides or writeability. Memory
        maps larger than one chunk are read chunk by chunk (their pages
        released after each), chunk sources pass by pass, Dask arrays where
        their chunks live.
    weights : array_like, optional
        Non-negative frequency weights, one per observation (1-D, or in the
        data's shape): fitting with weight ``k`` equals fitting the
        observation repeated ``k`` times, and weights need not be integers
        (only their ratios matter for the estimate). Observations of weight
        zero are dropped before anything else, even NaN or out-of-support
        values, as ``np.repeat(x, 0)`` would drop them.
    n_threads : int, optional

    Raises
    ------
    TypeError
        Non-numeric or complex data or weights.
    ValueError
        Empty data; weights of the wrong length or shape, negative,
        non-finite, or summing to zero.
    """
    if isinstance(data, Data):
        return data
    from . import _sources

    source = _sources.as_source(data, weights)
    if source is not None:
        return Data(source, _sources.source_threads(source, n_threads))
    x = _as_float_array(data, "data")
    if x.shape[0] == 0:
        raise ValueError("data is empty: at least one observation is needed")
    w = None
    if weights is not None:
        if not isinstance(weights, (np.ndarray, str, bytes)):
            weights = np.asarray(weights)       # once: its shape is checked, then its values
        x, w = check_weights(x, weights, np.shape(data) if np.ndim(weights) > 1 else None)
        if w.shape[0] == 0:
            raise ValueError("weights sum to zero: nothing to fit")
    return Data([(x, w)], threads_for(x.shape[0], n_threads))


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
    if data.out_of_core:
        tables = getattr(data, "_tables", None)
        if tables is not None and all(t is not None for t in tables):
            # tabulated by the scan itself: no second pass
            for values, tw in tables:
                np.add.at(total, values - base, tw)
        else:
            # per chunk only the values present cross (from Dask workers: over the network)
            for idx, tw in data.map(_present_values, base, width):
                np.add.at(total, idx, tw)
    else:
        for x, w in data.chunks:
            if w is None:
                total += _scan.count_values(x, base, width, data.n_threads or 1)
            else:
                total += np.bincount((x - base).astype(np.intp), weights=w, minlength=width)
    present = np.flatnonzero(total)
    return Data([((present + base).astype(np.float64), np.ascontiguousarray(total[present]))],
                data.n_threads if data.n_threads is not None else resolve_n_threads(None))


def _present_values(x, w, base, width):
    """The integer values of a chunk (as offsets from ``base``) and their weights."""
    t = np.zeros(width)
    step = 1 << 20      # bounded temporaries, whatever the chunk size
    for s in range(0, x.shape[0], step):
        if w is None and x.dtype in (np.float64, np.float32):
            t += _scan.count_values(x[s:s + step], base, width, 1)
            continue
        k = np.subtract(x[s:s + step], base, dtype=np.float64).astype(np.intp)
        t += np.bincount(k, weights=None if w is None else w[s:s + step], minlength=width)
    idx = np.flatnonzero(t)
    return idx, t[idx]


def _bracket_chunk(x, w, lo, hi):
    """Weight below ``lo``, the values in ``[lo, hi]`` (and their weights), total weight."""
    # compared in float64 (numpy buffers the cast: no float64 copy of the chunk)
    lo, hi = np.float64(lo), np.float64(hi)
    below = x < lo
    inside = x >= lo
    inside &= x <= hi
    xin = x[inside].astype(np.float64)
    if w is None:
        return float(np.count_nonzero(below)), xin, None, float(x.shape[0])
    return float(w[below].sum()), xin, w[inside], float(w.sum())


def chunked_median(data, max_rows=1 << 15):
    """The (weighted) sample median of chunked data, holding O(chunk) rows.

    The same value as ``np.median`` (unweighted: the middle order statistic
    or the midpoint of the middle pair) or the weighted rule of
    ``laplace.weighted_median`` (the first value whose cumulative weight
    reaches half the total; the midpoint when it splits the weight exactly).
    An evenly strided subsample brackets the median (+-5 sample standard
    errors); one pass counts the weight below the bracket and gathers the
    rows inside it, among which the order statistics are selected. A
    bracket that misses (adversarial order) is widened and the pass
    repeated; the last try brackets everything.
    """
    sub = data.subsample(max_rows)
    sample = np.sort(np.asarray(sub.chunks[0][0], dtype=np.float64))
    m = sample.shape[0]
    for width in (5.0, 40.0, None):
        if width is None:
            lo, hi = -np.inf, np.inf
        else:
            half = width * math.sqrt(m) / 2.0
            lo = sample[max(int(m / 2 - half), 0)]
            hi = sample[min(int(m / 2 + half), m - 1)]
        parts = data.map(_bracket_chunk, lo, hi)
        below = sum(p[0] for p in parts)
        total = sum(p[3] for p in parts)
        inside = np.concatenate([p[1] for p in parts])
        if not data.weighted:
            del parts
            n = int(total)
            k1, k2 = (n - 1) // 2, n // 2
            b = int(below)
            if b <= k1 and k2 < b + inside.shape[0]:
                inside.partition([k1 - b, k2 - b] if k1 != k2 else k1 - b)
                return 0.5 * (float(inside[k1 - b]) + float(inside[k2 - b]))
            continue
        win = np.concatenate([np.ones(p[1].shape[0]) if p[2] is None else p[2] for p in parts])
        del parts
        order = np.argsort(inside, kind="stable")
        xs = inside[order]
        if not below < 0.5 * total or xs.shape[0] == 0:
            continue
        i, split = weighted_middle(win[order], total, below)
        if i is None:
            continue
        if split:
            if i + 1 < xs.shape[0]:
                return 0.5 * (float(xs[i]) + float(xs[i + 1]))
            if width is not None:
                continue        # the next value lies above the bracket
        return float(xs[i])
    return float("nan")        # only NaN data get here; the caller's scan has refused them


def weighted_middle(w_sorted, total=None, below=0.0):
    """Where the cumulative weight of sorted values reaches half the total.

    Returns ``(i, split)``: ``i`` the first index whose cumulative weight
    (``below`` plus the weights up to it) reaches ``total / 2`` (``total``
    defaults to ``below`` plus all of ``w_sorted``), None if
    none does; ``split`` True when it equals ``total / 2``, so that every
    point between value ``i`` and the next is a median (the caller takes
    the midpoint, ``np.median``'s rule). Equal means equal up to rounding:
    weights scaled by a constant (0.37 w) are rounded one by one and summed,
    and must split where the integers ``w`` split exactly, or the median
    would depend on the scale of frequency weights. The cumulative sum is
    taken in extended precision where the platform has it; the tolerance
    covers the rounding of each weight and of that sum.
    """
    cw = below + np.cumsum(w_sorted, dtype=np.longdouble)
    if total is None:
        total = float(cw[-1])
    half = 0.5 * total
    n = cw.shape[0]
    # each weight's rounding, a pairwise total's, and the running sum's
    tol = total * (np.finfo(np.float64).eps * (4.0 + math.log2(n + 2))
                   + (n + 2) * float(np.finfo(np.longdouble).eps))
    i = int(np.searchsorted(cw, half - tol, side="left"))
    if i >= cw.shape[0]:
        return None, False
    return i, bool(abs(float(cw[i]) - half) <= tol)
