"""Thread control and build information.

How many threads a fit uses, first rule that applies:

1. ``n_threads=`` given to the fit;
2. ``with fastmle.num_threads(n):`` (this thread, inside the block);
3. ``fastmle.set_num_threads(n)`` (the whole process);
4. ``OMP_NUM_THREADS`` (its first entry), else every core this process may
   run on; lowered to OpenMP's own team size when that was changed after
   fastmle loaded its OpenMP runtime (``threadpoolctl.threadpool_limits``
   calls ``omp_set_num_threads``: that is how threadpoolctl limits fastmle).

Inside a Dask task the default is the worker's share of its cores (see
``fastmle._sources``).
"""
import contextlib
import os
import sys
import threading

__all__ = ["show_config", "get_config", "resolve_n_threads", "set_num_threads", "get_num_threads",
           "num_threads"]


def _count_cores():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


_CORES = _count_cores()   # read once: the affinity syscall costs more than a small fit


def _available_cores():
    return _CORES


_GLOBAL = [None]               # set_num_threads
_LOCAL = threading.local()     # num_threads(...) context, per thread
_OMP_AT_LOAD = [None]          # OpenMP's team size when fastmle first asked
_OMP_MAX = [None]              # _scan.omp_max_threads, once imported


def _omp_limit():
    """OpenMP's current team size if something (threadpoolctl) changed it
    since fastmle loaded the runtime, else None.

    The kernels pass their thread count to every parallel region, which
    overrides ``omp_set_num_threads``; reading the runtime's setting here is
    what lets ``threadpoolctl.threadpool_limits(1)`` limit fastmle too.
    """
    if _OMP_MAX[0] is None:     # import once: this runs on every fit's thread default
        from . import _scan
        _OMP_MAX[0] = _scan.omp_max_threads
    now = _OMP_MAX[0]()
    if _OMP_AT_LOAD[0] is None:
        _OMP_AT_LOAD[0] = now
        return None
    return now if now != _OMP_AT_LOAD[0] else None


def _env_or_cores():
    env = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if env:
        try:
            value = int(env)
        except ValueError:
            value = 0
        if value >= 1:
            return value
    return _available_cores()


def default_n_threads():
    """Threads a fit uses when ``n_threads`` is not given (see the module doc).

    A ``fastmle.num_threads`` block, else ``fastmle.set_num_threads``, else
    ``OMP_NUM_THREADS`` (its first entry, as OpenMP reads it) or every core
    this process may run on, at most OpenMP's team size when that was
    lowered at run time (threadpoolctl).
    """
    local = getattr(_LOCAL, "value", None)
    if local is not None:
        return local
    if _GLOBAL[0] is not None:
        return _GLOBAL[0]
    value = _env_or_cores()
    limit = _omp_limit()
    return min(value, limit) if limit is not None else value


def set_num_threads(n_threads):
    """Set the number of threads fits use by default, for the whole process.

    Parameters
    ----------
    n_threads : int or None
        A positive count, ``-1`` for every available core, or ``None`` to go
        back to the default (``OMP_NUM_THREADS`` or every core).

    Returns
    -------
    int or None
        The previous setting (``None`` if there was none), so that it can be
        restored.

    Notes
    -----
    An ``n_threads=`` argument to a fit and a :func:`num_threads` block take
    precedence. Results do not depend on the thread count: every kernel sums
    in an order fixed by the data size alone.
    """
    previous = _GLOBAL[0]
    _GLOBAL[0] = None if n_threads is None else resolve_n_threads(n_threads)
    return previous


def get_num_threads():
    """The number of threads a fit started now would use (``n_threads=None``)."""
    return default_n_threads()


@contextlib.contextmanager
def num_threads(n_threads):
    """Context manager: fits in this thread use ``n_threads`` inside the block.

    Parameters
    ----------
    n_threads : int
        A positive count or ``-1`` (every available core).

    Examples
    --------
    >>> import numpy as np, fastmle
    >>> with fastmle.num_threads(1):
    ...     a, loc, scale = fastmle.gamma.fit(np.random.default_rng(0).gamma(2.0, size=1000))
    """
    value = resolve_n_threads(n_threads)
    previous = getattr(_LOCAL, "value", None)
    _LOCAL.value = value
    try:
        yield value
    finally:
        _LOCAL.value = previous


#: Rows below which every kernel runs on one thread whatever it is given
#: (src/_common.pxd: 2 threads need 2 x MIN_BLOCKS_PER_THREAD blocks of
#: BLOCK rows).
ONE_THREAD_ROWS = 2 * 16 * 4096


def threads_for(n_rows, n_threads):
    """``resolve_n_threads``, except that data too small to be split get 1
    without consulting the environment: the same result (the kernels would
    use one thread), without the microseconds that reading
    ``OMP_NUM_THREADS`` and the runtime costs a 100-row fit."""
    if n_threads is None and n_rows < ONE_THREAD_ROWS:
        return 1
    return resolve_n_threads(n_threads)


def resolve_n_threads(n_threads):
    """Validate an ``n_threads`` argument and return a positive int.

    ``None`` means :func:`default_n_threads`; ``-1`` means every available core.
    """
    if n_threads is None:
        return default_n_threads()
    if type(n_threads) is int and n_threads >= 1:
        return n_threads
    if isinstance(n_threads, bool) or not isinstance(n_threads, (int,)) and not hasattr(n_threads, "__index__"):
        raise TypeError(f"n_threads must be an integer or None, got {n_threads!r}")
    n_threads = int(n_threads)
    if n_threads == -1:
        return _available_cores()
    if n_threads < 1:
        raise ValueError(f"n_threads must be a positive integer or -1, got {n_threads}")
    return n_threads


def get_config():
    """Return the build and threading configuration as a dict.

    Returns
    -------
    dict
        ``version``, ``openmp`` (whether the kernels were built with OpenMP),
        ``openmp_max_threads`` (OpenMP's default team size),
        ``simd_log_exp`` (kernels use numpy's SIMD log/exp loops; else libm),
        ``default_n_threads`` (what a fit uses when ``n_threads`` is None),
        ``available_cores``, ``OMP_NUM_THREADS``, ``OMP_WAIT_POLICY`` (fastmle
        sets ``PASSIVE`` unless it was set before import), ``python``, ``numpy``.
    """
    import numpy as np

    from . import __version__, _scan, _weibull

    return {
        "version": __version__,
        "openmp": _scan.openmp_enabled(),
        "openmp_max_threads": _scan.omp_max_threads(),
        "simd_log_exp": all(_weibull.simd_status()),
        "default_n_threads": default_n_threads(),
        "available_cores": _available_cores(),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
    }


def show_config(file=None):
    """Print how fastmle was built and how many threads fits will use.

    Parameters
    ----------
    file : file-like, optional
        Where to print (default ``sys.stdout``).
    """
    cfg = get_config()
    lines = [f"fastmle {cfg['version']}"]
    if cfg["openmp"]:
        lines.append(f"  OpenMP:             enabled (default team size {cfg['openmp_max_threads']})")
    else:
        lines.append("  OpenMP:             DISABLED: kernels run on one thread (built without OpenMP)")
    lines.append("  log/exp in kernels: " + ("numpy's SIMD loops" if cfg["simd_log_exp"] else "libm (scalar)"))
    if cfg["openmp"]:
        lines.append(f"  threads per fit:    {cfg['default_n_threads']} (n_threads=None)")
    else:
        lines.append("  threads per fit:    1 (n_threads is accepted but has no effect without OpenMP)")
    lines.append(f"  available cores:    {cfg['available_cores']}")
    lines.append(f"  OMP_NUM_THREADS:    {cfg['OMP_NUM_THREADS']}")
    lines.append(f"  OMP_WAIT_POLICY:    {cfg['OMP_WAIT_POLICY']}")
    lines.append(f"  python {cfg['python']}, numpy {cfg['numpy']}")
    print("\n".join(lines), file=file or sys.stdout)
