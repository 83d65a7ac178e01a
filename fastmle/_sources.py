"""Data that are not one array in memory: memory maps, chunk sources, Dask arrays.

A *source* yields the chunks ``(x, w)`` of :class:`fastmle._data.Data` pass by
pass instead of holding them: every kernel quantity is a sum over
observations, so a fit needs from each chunk only its sums (O(k^2) numbers),
never the chunk itself after the pass. Fits whose sufficient statistics have
a closed form read the data once (plus the validating scan); the others once
per Newton iteration.

- :class:`MemmapSource`: a memory-mapped array (``np.memmap``, ``np.load(...,
  mmap_mode="r")``) larger than one chunk is read in slices (views, no
  copy); after each slice its pages are released (``madvise(MADV_DONTNEED)``
  on the read-only or shared mapping), so the process's resident memory
  stays O(chunk) however large the file.
- :func:`chunks` / :class:`ChunkSource`: ``.npy`` files, arrays, a callable
  returning a new iterator of arrays per pass, or a Parquet column read
  batch by batch (pyarrow).
- :class:`DaskSource`: a ``dask.array.Array``. Each pass is one task graph:
  the kernel runs on every chunk where it lives (map), the per-chunk sums are
  added in a binary tree on the workers (reduce), and only the total comes
  back to the client, where the optimizer runs.

Chunk sizes: :data:`CHUNK_ROWS` is 1024 kernel blocks. Sums of chunks that
each hold the same power-of-two number of blocks combine (pairwise, see
:func:`fastmle._data.pairwise_sum`) to exactly the one-chunk sums, so a
memory-mapped fit is bitwise the in-memory fit, and so is a Dask fit whose
chunks are a power of two times 4096 rows.
"""
import functools
import mmap
import operator
import os
import sys
import time
import uuid

import numpy as np

from . import _scan
from ._config import default_n_threads, resolve_n_threads
from ._data import _as_float_array, check_weights, pairwise_sum

__all__ = ["chunks", "CHUNK_ROWS", "Source", "MemmapSource", "ChunkSource", "DaskSource", "RowChunks",
           "as_source", "release_pages"]

_KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))

#: Rows per chunk of a memory-mapped array: 2**22 (1024 blocks of 4096), 16 MB of float32.
CHUNK_ROWS = 1 << 22

# np.memmap modes whose mapping is shared with the file: dropping their pages
# loses nothing (they are re-read, or written back if dirty). A copy-on-write
# mapping ("c") would lose the caller's private changes: never released.
_SHARED_MODES = {"r", "r+", "w+", "readonly", "readwrite", "write"}


# -- pages of memory maps ------------------------------------------------------
def _find_mmap(arr):
    """The ``mmap.mmap`` behind ``arr`` and the np.memmap mode, or (None, None)."""
    a = arr
    for _ in range(64):
        if a is None:
            break
        if isinstance(a, np.memmap) and getattr(a, "_mmap", None) is not None:
            return a._mmap, getattr(a, "mode", None)
        a = getattr(a, "base", None)
    return None, None


def is_memory_mapped(arr):
    return _find_mmap(arr)[0] is not None


def release_pages(arr):
    """Drop the resident pages of a memory-mapped 1-D array from this process.

    The file's pages stay in the OS page cache (a later pass re-maps them
    cheaply); they stop counting in this process's resident memory. Only
    shared mappings are released (see ``_SHARED_MODES``). Anything else is
    left alone.
    """
    if not isinstance(arr, np.ndarray) or arr.ndim != 1 or arr.shape[0] == 0:
        return
    mm, mode = _find_mmap(arr)
    if mm is None or mode not in _SHARED_MODES or not hasattr(mm, "madvise"):
        return
    try:
        base = np.frombuffer(mm, dtype=np.uint8).ctypes.data
        size = len(mm)
    except (ValueError, TypeError, BufferError):   # closed, or empty
        return
    first = arr.ctypes.data
    last = first + (arr.shape[0] - 1) * arr.strides[0]
    lo, hi = min(first, last) - base, max(first, last) + arr.itemsize - base
    page = mmap.PAGESIZE
    lo = max(0, lo // page * page)
    hi = min(size, -(-hi // page) * page)
    if hi > lo:
        try:
            mm.madvise(mmap.MADV_DONTNEED, lo, hi - lo)
        except (OSError, ValueError):
            pass


def _prepare(x, w):
    """A chunk as the kernels read it (see ``as_data``); x may come back empty."""
    xp = _as_float_array(x, "data")
    if w is None:
        return xp, None
    return check_weights(xp, w)


# -- the common part -------------------------------------------------------------
class Source:
    """Chunks ``(x, w)`` produced anew on every pass (a re-iterable).

    Subclasses implement ``_raw()``: an iterator of raw ``(x, w)`` pairs
    (``w`` may be None), validated and converted here one chunk at a time.
    """

    def __init__(self, verbose=False):
        self.verbose = verbose
        self.passes = 0         # full passes over the data so far
        self._n_rows = None     # known up front, or after the first pass
        self._weighted = None
        self.tables = None      # per-chunk value tables of the last integer scan

    # hooks ------------------------------------------------------------------
    def _raw(self):
        raise NotImplementedError

    def _describe(self):
        return type(self).__name__

    # passes -----------------------------------------------------------------
    def _iter_chunks(self):
        for x, w in self._raw():
            xp, wp = _prepare(x, w)
            if xp.shape[0]:
                yield xp, wp
            # the kernels are done with this chunk: its pages may go
            release_pages(x)
            if w is not None:
                release_pages(w)

    def __iter__(self):
        """Every chunk, prepared, in order (one pass; used by rare paths)."""
        with self._pass("read"):
            yield from self._iter_chunks()

    def __getitem__(self, i):
        """Chunk ``i`` (``data.chunks[0]`` gives the first one)."""
        for j, chunk in enumerate(self._iter_chunks()):
            if j == i:
                return chunk
        raise IndexError(i)

    def __len__(self):
        return sum(1 for _ in self._iter_chunks())

    class _Pass:
        def __init__(self, source, kind):
            self.source, self.kind = source, kind

        def __enter__(self):
            self.source.passes += 1
            self.t0 = time.perf_counter()
            return self

        def __exit__(self, *exc):
            if self.source.verbose and exc[0] is None:
                rows = f", {self.source._n_rows:,} rows" if self.source._n_rows is not None else ""
                print(f"fastmle: pass {self.source.passes} ({self.kind}) over {self.source._describe()}"
                      f"{rows}: {time.perf_counter() - self.t0:.3f} s", file=sys.stderr, flush=True)
            return False

    def _pass(self, kind):
        return Source._Pass(self, kind)

    def map(self, fn, args):
        """``[fn(x, w, *args) for each chunk]`` (one pass)."""
        with self._pass("map"):
            return [fn(x, w, *args) for x, w in self._iter_chunks()]

    def reduce(self, sums_fn, args, n_threads):
        """Pairwise sum of a kernel's per-chunk sums (one pass)."""
        parts, rows, weighted = [], 0, False
        with self._pass("sums"):
            for x, w in self._iter_chunks():
                parts.append(sums_fn(x, w, *args, n_threads=n_threads))
                rows += x.shape[0]
                weighted = weighted or w is not None
        if self._n_rows is None:      # a source of unknown length: now known
            self._n_rows, self._weighted = rows, weighted
        return pairwise_sum(parts)

    def scan(self, check_integer, n_threads):
        """The validating scan (one pass); also counts the rows.

        Returns the scan's sums (combined pairwise), min, max and the shift
        the moments are taken about (the first value, as for one chunk).
        """
        out, shift = [], None
        with self._pass("scan"):
            for x, w in self._iter_chunks():
                if shift is None:
                    x0 = float(x[0])
                    shift = x0 if np.isfinite(x0) else 0.0
                out.append(_scan_chunk(x, w, check_integer, shift, n_threads))
        return self._combine_scans(out, shift)

    def _combine_scans(self, out, shift):
        out = [r for r in out if r is not None]
        if not out:
            raise ValueError("data is empty: at least one observation is needed")
        self._n_rows = int(sum(r[3] for r in out))
        self._weighted = any(r[4] for r in out)
        # integer scans also bring each chunk's value table (see _scan_chunk)
        self.tables = [r[5] for r in out]
        return (pairwise_sum([r[0] for r in out]), min(r[1] for r in out), max(r[2] for r in out), shift)

    def n_rows_after(self, scan):
        if self._n_rows is None:
            scan()
        return self._n_rows

    def weighted_after(self, scan):
        if self._weighted is None:
            scan()
        return self._weighted

    def strided(self, step):
        """Rows ``0, step, 2 step, ...`` of the whole data (copied), and their weights."""
        xs, ws, offset = [], [], 0
        with self._pass("subsample"):
            for x, w in self._iter_chunks():
                start = (-offset) % step
                xs.append(np.array(x[start::step]))
                ws.append(None if w is None else np.array(w[start::step]))
                offset += x.shape[0]
        x = np.concatenate(xs)
        if all(w is None for w in ws):
            return x, None
        w = np.concatenate([np.ones(xi.shape[0]) if wi is None else wi for xi, wi in zip(xs, ws)])
        return x, w


# -- memory maps and arrays ----------------------------------------------------------
def _slices(x, w, rows):
    n = x.shape[0]
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        yield x[start:stop], (None if w is None else w[start:stop])


class MemmapSource(Source):
    """A (memory-mapped) 1-D array read in slices of ``chunk_rows`` rows."""

    def __init__(self, x, w=None, chunk_rows=None, verbose=False):
        super().__init__(verbose)
        chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
        if w is not None:
            if not isinstance(w, np.ndarray):
                w = np.asarray(w)
            w = w.reshape(-1)
            if w.shape[0] != x.shape[0]:
                raise ValueError(f"weights must have one value per observation: got {w.shape[0]} "
                                 f"weights for {x.shape[0]} observations")
        self.x, self.w, self.chunk_rows = x, w, int(chunk_rows)
        if w is None:
            self._n_rows, self._weighted = x.shape[0], False

    def _raw(self):
        return _slices(self.x, self.w, self.chunk_rows)

    def _describe(self):
        return f"{-(-self.x.shape[0] // self.chunk_rows)} chunks of a memory map"


class ChunkSource(Source):
    """What :func:`chunks` returns: a re-iterable source of chunks."""

    def __init__(self, make_iter, describe, verbose=False, n_rows=None, weighted=None):
        super().__init__(verbose)
        self._make_iter = make_iter
        self._desc = describe
        self._n_rows, self._weighted = n_rows, weighted

    def _raw(self):
        for item in self._make_iter():
            x, w = _split_item(item)
            if (isinstance(x, np.ndarray) and x.ndim == 1 and x.shape[0] > CHUNK_ROWS
                    and is_memory_mapped(x) and (w is None or isinstance(w, np.ndarray))):
                yield from _slices(x, w, CHUNK_ROWS)
            else:
                yield x, w

    def _describe(self):
        return self._desc


def _split_item(item):
    """An item of a chunk source: an array, or an ``(x, w)`` pair."""
    if isinstance(item, tuple) and len(item) == 2 and not np.isscalar(item[0]):
        return item
    return item, None


def _load(item):
    if isinstance(item, (str, os.PathLike)):
        path = os.fspath(item)
        if not path.endswith(".npy"):
            raise ValueError(f"fastmle.chunks reads .npy files (memory-mapped); got {path!r}")
        return np.load(path, mmap_mode="r")
    return item


def chunks(source, *, weights=None, column=None, weights_column=None, batch_rows=None,
           verbose=False):
    """Data given chunk by chunk, for fits larger than memory.

    A fit reads the source once per pass: once (plus the validating scan)
    for distributions whose sufficient statistics have a closed form, once
    per Newton iteration for the others. Only one chunk is held at a time;
    memory-mapped chunks are read without a copy and their pages released
    after use.

    Parameters
    ----------
    source : list, callable, str, array or dask array
        - a list (or tuple) of ``.npy`` file paths (memory-mapped) or of
          arrays, one chunk each (memory maps larger than 2**22 rows are
          read in slices of that many rows);
        - one array or ``.npy`` path (a memory map is read in slices), or a
          dask array (for ``verbose``);
        - a callable taking no arguments that returns a new iterator of
          arrays (or ``(x, w)`` pairs) each time it is called: it is called
          once per pass;
        - the path of a Parquet file (needs pyarrow): ``column`` is read in
          batches of ``batch_rows`` rows.
        A one-shot iterator or generator is refused (a fit needs several
        passes): wrap the code that makes it in a function.
    weights : list, optional
        Frequency weights for a list source: one array (or ``.npy`` path)
        per chunk, of that chunk's length.
    column, weights_column : str, optional
        Parquet columns of the observations and of their weights.
    batch_rows : int, optional
        Rows per Parquet batch (default 2**22).
    verbose : bool, optional
        Print one line per pass (what, rows, seconds) to stderr.

    Returns
    -------
    ChunkSource
        Pass it wherever data are accepted: ``fastmle.fit(dist, src)``,
        ``fastmle.gamma.fit(src)``.

    Examples
    --------
    >>> import numpy as np, fastmle
    >>> rng = np.random.default_rng(0)
    >>> parts = [rng.gamma(2.0, 3.0, 10_000) for _ in range(4)]
    >>> a, loc, scale = fastmle.gamma.fit(fastmle.chunks(parts), floc=0)
    """
    if isinstance(source, Source):
        source.verbose = verbose or source.verbose
        return source
    if is_dask_array(source):
        return DaskSource(source, weights, verbose=verbose)
    if isinstance(source, (str, os.PathLike)) and not os.fspath(source).endswith(".npy"):
        return _parquet_source(os.fspath(source), column, weights_column,
                               CHUNK_ROWS if batch_rows is None else batch_rows, verbose)
    if isinstance(source, (str, os.PathLike, np.ndarray)):
        source = [source]
        weights = None if weights is None else [weights]
    if isinstance(source, (list, tuple)):
        items = list(source)
        if weights is not None:
            weights = list(weights)
            if len(weights) != len(items):
                raise ValueError(f"weights must hold one entry per chunk: {len(weights)} for "
                                 f"{len(items)} chunks")
        if not items:
            raise ValueError("data is empty: at least one observation is needed")

        def make_iter():
            for i, item in enumerate(items):
                x = _load(item)
                yield (x, _load(weights[i])) if weights is not None else x

        n_rows = None
        if weights is None:
            shapes = [getattr(_load(item), "shape", None) for item in items]
            if all(s is not None for s in shapes):
                n_rows = int(sum(int(np.prod(s)) for s in shapes))
        return ChunkSource(make_iter, f"{len(items)} chunks", verbose, n_rows,
                           False if weights is None else None)
    if callable(source):
        if weights is not None:
            raise TypeError("weights for a callable source: let it yield (x, w) pairs")

        def make_iter():
            it = source()
            if isinstance(it, np.ndarray) or not hasattr(it, "__iter__"):
                raise TypeError(f"the chunk callable must return an iterator of arrays, got "
                                f"{type(it).__name__}")
            return iter(it)

        return ChunkSource(make_iter, "chunks from a callable", verbose)
    if hasattr(source, "__next__"):
        raise TypeError("fastmle.chunks needs a source it can read several times (a fit passes over "
                        "the data more than once); pass a function that returns a new iterator")
    raise TypeError(f"fastmle.chunks: cannot read chunks from a {type(source).__name__}; pass a list "
                    f"of arrays or .npy paths, a callable, or a Parquet path")


def _parquet_source(path, column, weights_column, batch_rows, verbose):
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError("reading Parquet needs pyarrow: pip install pyarrow") from exc
    meta = pq.ParquetFile(path)
    names = meta.schema_arrow.names
    if column is None:
        if len(names) != 1:
            raise ValueError(f"{path} has columns {names}: say which one with column=")
        column = names[0]
    for c in (column, weights_column):
        if c is not None and c not in names:
            raise ValueError(f"{path} has no column {c!r}; it has {names}")
    cols = [column] + ([weights_column] if weights_column else [])
    batch_rows = int(batch_rows)

    def as_numpy(arr):
        # nulls become NaN, which the scan reports as non-finite data
        return arr.to_numpy(zero_copy_only=False)

    def make_iter():
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(batch_size=batch_rows, columns=cols):
            x = as_numpy(batch.column(0))
            yield (x, as_numpy(batch.column(1))) if weights_column else x

    return ChunkSource(make_iter, f"Parquet column {column!r} of {os.path.basename(path)}", verbose,
                       None if weights_column else meta.metadata.num_rows,
                       None if weights_column else False)


# -- Dask ---------------------------------------------------------------------------
def is_dask_array(obj):
    mod = type(obj).__module__ or ""
    return mod.split(".")[0] == "dask" and hasattr(obj, "__dask_graph__") and hasattr(obj, "chunks")


def _worker_threads():
    """Threads for one kernel call inside a task, when the caller gave none.

    In a ``dask.distributed`` worker: this process's default (the nanny sets
    ``OMP_NUM_THREADS=1`` for its workers, so usually 1) divided by the
    worker's task slots (``nthreads``), at least 1: a worker running
    ``nthreads`` tasks at once never runs more kernel threads than its cores.
    """
    try:
        from distributed import get_worker
        worker = get_worker()
    except (ImportError, ValueError):
        return default_n_threads()
    slots = getattr(getattr(worker, "state", None), "nthreads", None) or getattr(worker, "nthreads", 1)
    try:
        # workers sharing this process (LocalCluster(processes=False)) share its cores too
        from distributed.worker import Worker
        together = sum(int(getattr(getattr(w, "state", None), "nthreads", 0) or 0)
                       for w in list(Worker._instances) if str(getattr(w, "status", "")).endswith("running"))
        slots = max(int(slots), together)
    except Exception:
        pass
    return max(1, default_n_threads() // max(1, int(slots)))


def _local_share(n_threads):
    """Threads per task for the scheduler that will run the graph (None: the
    task decides, inside a distributed worker)."""
    if n_threads is not None:
        return n_threads
    import dask
    from dask.base import get_scheduler

    sched = get_scheduler()
    owner = getattr(sched, "__self__", None)
    if owner is not None and (type(owner).__module__ or "").startswith("distributed"):
        return None
    if sched is getattr(dask.local, "get_sync", None):
        return default_n_threads()
    # threads or processes: as many tasks at once as the pool has workers
    from dask.system import CPU_COUNT
    workers = dask.config.get("num_workers", None) or CPU_COUNT
    return max(1, default_n_threads() // max(1, int(workers)))


def _task(fn, args, n_threads, pass_threads, x, w):
    """One chunk's work inside a Dask task: prepare the chunk, run ``fn``."""
    xp, wp = _prepare(x, w)
    if pass_threads:
        return fn(xp, wp, *args, n_threads=n_threads if n_threads is not None else _worker_threads())
    return fn(xp, wp, *args)


def _batch(fn, args, n_threads, pass_threads, extra, xs, ws):
    """Several chunks held by one worker, in one task (see ``DaskSource._batches``);
    ``extra[j]``: arguments of chunk j appended to ``args``."""
    return [_task(fn, args + e, n_threads, pass_threads, x, w) for e, x, w in zip(extra, xs, ws)]


def _scan_chunk(x, w, check_integer, shift, n_threads):
    """One chunk's scan: (sums, min, max, rows, weighted, value table or None).

    An integer scan of a chunk whose values are all finite integers spanning
    fewer than 2**16 values also tabulates them (values, total weights): a
    discrete family then needs no second pass for its table.
    """
    if x.shape[0] == 0:
        return None
    s, lo, hi = _scan.scan(x, w, shift, check_integer, n_threads)
    table = None
    if check_integer and s[0] == 0 and s[1] == 0 and hi - lo < _TABLE_MAX_WIDTH:
        from ._data import _present_values

        base = int(lo)
        idx, tw = _present_values(x, w, base, int(hi - lo) + 1)
        table = (idx + base, tw)
    return s, lo, hi, x.shape[0], w is not None, table


_TABLE_MAX_WIDTH = 1 << 16


def _first_value(x, w):
    return float(x[0]) if x.shape[0] else None


def _strided_raw(x, w, start, step):
    return np.array(x[start::step]), (None if w is None else np.array(w[start::step]))


def _distributed_client():
    """The ``dask.distributed`` Client that will run a compute now, or None."""
    from dask.base import get_scheduler

    owner = getattr(get_scheduler(), "__self__", None)
    if owner is not None and (type(owner).__module__ or "").startswith("distributed"):
        return owner
    return None


class DaskSource(Source):
    """A ``dask.array`` (and optional weights): every pass maps a function over its chunks.

    Each pass runs the kernel where the chunks are: on a ``dask.distributed``
    cluster holding the array in memory (``client.persist``), one task per
    worker task slot takes that worker's chunks (no chunk moves, a few tasks
    per pass); otherwise one task per chunk in the array's graph (default
    scheduler, or an array computed on the fly). Only each chunk's sums come
    back, and the client combines them pairwise in chunk order (the tree of
    :func:`fastmle._data.pairwise_sum`, the order that makes the result
    independent of where and how the chunks were summed).

    A fit passes over the data once per Newton iteration: persist the array
    first (``x = client.persist(x)``), or every pass recomputes its graph
    (reads its files again, say) -- correct, only slower.
    """

    def __init__(self, x, w=None, verbose=False):
        super().__init__(verbose)
        import dask.array as da

        if x.ndim != 1:
            x = x.reshape(-1)
        if any(not np.isfinite(c) for c in x.chunks[0]):
            x = x.compute_chunk_sizes()
        if w is not None:
            if not is_dask_array(w):
                w = np.asarray(w).reshape(-1)
                if w.shape[0] != x.shape[0]:
                    raise ValueError(f"weights must have one value per observation: got {w.shape[0]} "
                                     f"weights for {x.shape[0]} observations")
                w = da.from_array(w, chunks=x.chunks)
            else:
                w = w.reshape(-1)
                if any(not np.isfinite(c) for c in w.chunks[0]):
                    w = w.compute_chunk_sizes()
                if w.shape[0] != x.shape[0]:
                    raise ValueError(f"weights must have one value per observation: got {w.shape[0]} "
                                     f"weights for {x.shape[0]} observations")
                if w.chunks != x.chunks:
                    w = w.rechunk(x.chunks)
        if x.shape[0] == 0:
            raise ValueError("data is empty: at least one observation is needed")
        self.x, self.w = x, w
        self.n_chunks = len(x.chunks[0])
        if w is None:
            self._n_rows, self._weighted = int(x.shape[0]), False

    def _describe(self):
        return f"{self.n_chunks} Dask chunks"

    def _keys(self):
        xk = [(self.x.name, i) for i in range(self.n_chunks)]
        wk = [(self.w.name, i) for i in range(self.n_chunks)] if self.w is not None else [None] * self.n_chunks
        return xk, wk

    # -- the one primitive: a function on every chunk (or some) ---------------------
    def _map_chunks(self, fn, args, n_threads, pass_threads, which=None, chunk_args=None):
        """``[fn(x_i, w_i, *args, *chunk_args[i]) for i in which]`` (default:
        every chunk), run where the chunks are."""
        which = list(range(self.n_chunks)) if which is None else list(which)
        extra = chunk_args or {}
        client = _distributed_client()
        if client is not None:
            batches = self._batches(client, which)
            if batches is not None:
                futures = [client.submit(_batch, fn, args, n_threads, pass_threads,
                                         [tuple(extra.get(i, ())) for i in idx], xs, ws, workers=[addr],
                                         allow_other_workers=True, pure=False,
                                         key=f"fastmle-{getattr(fn, '__name__', 'map')}-{uuid.uuid4().hex}")
                           for addr, idx, xs, ws in batches]
                out = {}
                for (_, idx, _, _), res in zip(batches, client.gather(futures)):
                    out.update(zip(idx, res))
                return [out[i] for i in which]
        return self._map_graph(fn, args, n_threads, pass_threads, which, extra)

    def _batches(self, client, which):
        """Chunks grouped by the worker holding them, one group per task slot
        (contiguous runs of chunks), or None unless every chunk is in the
        cluster's memory."""
        from distributed import futures_of, wait

        xk, wk = self._keys()
        futs = {f.key: f for f in futures_of(self.x)}
        if any(k not in futs for k in xk):
            return None
        if self.w is not None:
            wf = futures_of(self.w)
            if not wf:
                # weights given as a numpy array next to persisted data: send
                # them to the cluster once, not inside every pass's graph
                self.w = client.persist(self.w)
                wait(self.w)
                wk = self._keys()[1]
                wf = futures_of(self.w)
            futs.update({f.key: f for f in wf})
        if any(k not in futs for k in xk) or (self.w is not None and any(k not in futs for k in wk)):
            return None
        try:
            holders = client.who_has([futs[xk[i]] for i in which])
            slots = {a: int(v.get("nthreads", 1) or 1)
                     for a, v in client.scheduler_info().get("workers", {}).items()}
        except Exception:       # a scheduler that cannot say: the plain graph works anyway
            return None
        by_worker = {}
        for i in which:
            held = holders.get(xk[i]) or holders.get(str(xk[i]))
            if not held:
                return None
            by_worker.setdefault(held[0], []).append(i)
        batches = []
        for addr, idx in by_worker.items():
            k = max(1, min(slots.get(addr, 1), len(idx)))
            for j in range(k):
                part = idx[j * len(idx) // k:(j + 1) * len(idx) // k]
                if part:
                    batches.append((addr, part, [futs[xk[i]] for i in part],
                                    [futs[wk[i]] if wk[i] is not None else None for i in part]))
        return batches

    def _map_graph(self, fn, args, n_threads, pass_threads, which, extra):
        import dask
        from dask.delayed import Delayed
        from dask.highlevelgraph import HighLevelGraph

        name = "fastmle-" + getattr(fn, "__name__", "map") + "-" + uuid.uuid4().hex
        xk, wk = self._keys()
        layer = {(name, i): (functools.partial(_task, fn, args + tuple(extra.get(i, ())), n_threads, pass_threads),
                             xk[i], wk[i]) for i in which}
        deps = [self.x] + ([self.w] if self.w is not None else [])
        graph = HighLevelGraph.from_collections(name, layer, dependencies=deps)
        return list(dask.compute(*[Delayed((name, i), graph, layer=name) for i in which], optimize_graph=False))

    # -- passes ---------------------------------------------------------------------
    def map(self, fn, args):
        with self._pass("map"):
            return self._map_chunks(fn, args, None, False)

    def reduce(self, sums_fn, args, n_threads):
        with self._pass("sums"):
            parts = self._map_chunks(sums_fn, args, _local_share(n_threads), True)
        return pairwise_sum(parts)

    def scan(self, check_integer, n_threads):
        # the moments are taken about the first value (as for one chunk); the
        # first chunk is asked alone, then every chunk is scanned about it
        first = None
        for i in range(self.n_chunks):
            first = self._map_chunks(_first_value, (), None, False, [i])[0]
            if first is not None:
                break
        shift = first if first is not None and np.isfinite(first) else 0.0
        with self._pass("scan"):
            out = self._map_chunks(_scan_chunk, (check_integer, shift), _local_share(n_threads), True)
        return self._combine_scans(out, shift)

    def strided(self, step):
        # rows 0, step, 2 step, ... of the whole array, from the raw chunk
        # lengths (rows dropped for weight zero shift the pattern only when weighted)
        starts, offset = [], 0
        for c in self.x.chunks[0]:
            starts.append((-offset) % step)
            offset += int(c)
        with self._pass("subsample"):
            parts = self._map_chunks(_strided_raw, (), None, False,
                                     chunk_args={i: (starts[i], step) for i in range(self.n_chunks)})
        x = np.concatenate([p[0] for p in parts])
        if self.w is None:
            return _prepare(x, None)
        return _prepare(x, np.concatenate([p[1] for p in parts]))

    def _raw(self):
        for i in range(self.n_chunks):
            x = self.x.blocks[i].compute()
            w = self.w.blocks[i].compute() if self.w is not None else None
            yield x, w


# -- row chunks of a design, for regression kernels ------------------------------------
def _release_any(a):
    if a is None:
        return
    if a.ndim == 1:
        release_pages(a)
    elif a.flags.c_contiguous:
        release_pages(a.reshape(-1))
    else:
        for j in range(a.shape[1]):       # columns of a Fortran-ordered design
            release_pages(a[:, j])


def strided_copy(X, step, rows=None):
    """Rows ``0, step, 2 step, ...`` of ``X`` (1-D or 2-D) as a new array.

    A memory map is read a slice of rows at a time and each slice's pages
    are released: even a sparse strided read maps whole runs of pages
    (fault-around, large folios), so reading every 10000th row of a 400 MB
    map at once would make all 400 MB resident.
    """
    n = X.shape[0]
    if not is_memory_mapped(X):
        return np.array(X[::step])
    if rows is None:
        p = int(np.prod(X.shape[1:])) if X.ndim > 1 else 1
        rows = max(BLOCK_ROWS, (CHUNK_ROWS // max(p, 1)) // BLOCK_ROWS * BLOCK_ROWS)
    out = []
    for s in range(0, n, rows):
        e = min(s + rows, n)
        out.append(np.array(X[s + (-s) % step:e:step]))
        _release_any(X[s:e])
    return np.concatenate(out)

def _row_map_task(fn, args, X, *vectors):
    return fn(X, *vectors, *args)


def _row_task(fn, args, n_threads, X, *vectors):
    return fn(X, *vectors, *args, n_threads=n_threads if n_threads is not None else _worker_threads())


class RowChunks:
    """Row-aligned chunks of a design ``X`` (n x p) and of vectors (y, weights,
    offset, ...; None for an absent one), for kernels whose results are sums
    over rows (a regression's log-likelihood, gradient and Hessian).

    numpy arrays are cut into slices of about ``CHUNK_ROWS`` values (views;
    memory-mapped pages released after each); dask arrays keep their row
    chunks (X is rechunked to hold whole rows, the vectors to X's rows) and
    each pass runs one task per chunk where it lives. Per-chunk results (an
    array or a tuple of arrays) are combined pairwise in chunk order.
    """

    def __init__(self, X, *vectors, chunk_rows=None):
        self.dask = is_dask_array(X)
        if X.ndim != 2:
            raise ValueError(f"the design must be 2-D, got shape {X.shape}")
        n = X.shape[0]
        for v in vectors:
            if v is not None and v.shape[0] != n:
                raise ValueError(f"a vector has {v.shape[0]} rows, the design {n}")
        if self.dask:
            import dask.array as da

            if len(X.chunks[1]) != 1:
                X = X.rechunk({1: -1})
            rows = X.chunks[0]
            vectors = tuple(None if v is None else
                            (v if is_dask_array(v) else da.from_array(np.asarray(v), chunks=(rows,))).rechunk((rows,))
                            for v in vectors)
            client = _distributed_client()
            if client is not None:
                from distributed import futures_of, wait

                if futures_of(X):
                    # the design lives on the cluster: vectors that do not are
                    # sent once, not inside every pass's graph
                    vectors = tuple(v if v is None or futures_of(v) else client.persist(v) for v in vectors)
                    wait([v for v in vectors if v is not None])
            self.n_chunks = len(rows)
        else:
            p = max(1, X.shape[1])
            rows = chunk_rows or max(BLOCK_ROWS, (CHUNK_ROWS // p) // BLOCK_ROWS * BLOCK_ROWS)
            self.rows = int(rows)
            self.n_chunks = max(1, -(-n // self.rows))
        self.X, self.vectors = X, vectors
        self.passes = 0

    def _local(self):
        for i in range(self.n_chunks):
            s, e = i * self.rows, (i + 1) * self.rows
            yield (self.X[s:e],) + tuple(None if v is None else v[s:e] for v in self.vectors)

    _release = staticmethod(_release_any)

    def strided_rows(self, step):
        """Rows ``0, step, 2 step, ...`` of a numpy design, copied a chunk at a time."""
        return strided_copy(self.X, step, self.rows)

    def map(self, fn, *args):
        """``[fn(X_c, *vectors_c, *args) for each row chunk]`` (small results)."""
        self.passes += 1
        if not self.dask:
            out = []
            for chunk in self._local():
                out.append(fn(*chunk, *args))
                for a in chunk:
                    self._release(a)
            return out
        return list(self._compute(functools.partial(_row_map_task, fn, args)))

    def _compute(self, task):
        import dask
        from dask.delayed import Delayed
        from dask.highlevelgraph import HighLevelGraph

        name = "fastmle-rows-" + uuid.uuid4().hex
        deps = [self.X] + [v for v in self.vectors if v is not None]
        layer = {(name, i): (task, (self.X.name, i, 0)) + tuple(None if v is None else (v.name, i)
                                                               for v in self.vectors)
                 for i in range(self.n_chunks)}
        graph = HighLevelGraph.from_collections(name, layer, dependencies=deps)
        return dask.compute(*[Delayed((name, i), graph, layer=name) for i in range(self.n_chunks)],
                            optimize_graph=False)

    def reduce(self, fn, *args, n_threads=None):
        """Pairwise sum over the chunks of ``fn(X_c, *vectors_c, *args, n_threads=...)``."""
        self.passes += 1
        if not self.dask:
            n_threads = resolve_n_threads(n_threads)
            parts = []
            for chunk in self._local():
                parts.append(fn(*chunk, *args, n_threads=n_threads))
                for a in chunk:
                    self._release(a)
            return pairwise_sum(parts)
        share = _local_share(None if n_threads is None else resolve_n_threads(n_threads))
        return pairwise_sum(list(self._compute(functools.partial(_row_task, fn, args, share))))


#: kernel block of rows (a row chunk of a numpy design is a multiple of it)
BLOCK_ROWS = 4096


# -- dispatch ----------------------------------------------------------------------
def as_source(data, weights=None):
    """A :class:`Source` for ``data`` if it is not an in-memory array, else None."""
    if isinstance(data, Source):
        if weights is not None:
            raise TypeError("weights with a chunk source: pass them to fastmle.chunks(..., weights=) "
                            "or yield (x, w) pairs")
        return data
    if is_dask_array(data):
        return DaskSource(data, weights)
    # memory maps (pages released after each slice), and large arrays the
    # kernels cannot read in place (integers, float16, ...: converted a slice
    # at a time instead of a full float64 copy)
    if (isinstance(data, np.ndarray) and data.size > CHUNK_ROWS and (data.ndim == 1 or data.flags.c_contiguous)
            and (is_memory_mapped(data) or data.dtype not in _KERNEL_DTYPES)
            and data.dtype.kind in "biuf"):
        if weights is not None and is_dask_array(weights):
            raise TypeError("weights must be an array like the data, not a dask array")
        return MemmapSource(data.reshape(-1), weights)
    return None


def source_threads(source, n_threads):
    """``Data.n_threads`` for a source: resolved here, except for Dask data
    without an explicit count (then each task takes its worker's share)."""
    if isinstance(source, DaskSource):
        return None if n_threads is None else resolve_n_threads(n_threads)
    return resolve_n_threads(n_threads)
