"""Thread control and build information."""
import os
import sys

__all__ = ["show_config", "get_config", "resolve_n_threads"]


def _count_cores():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


_CORES = _count_cores()   # read once: the affinity syscall costs more than a small fit


def _available_cores():
    return _CORES


def default_n_threads():
    """Threads a fit uses when ``n_threads`` is not given.

    ``OMP_NUM_THREADS`` (its first entry, as OpenMP reads it) wins; otherwise
    every core this process may run on.
    """
    env = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if env:
        try:
            value = int(env)
        except ValueError:
            value = 0
        if value >= 1:
            return value
    return _available_cores()


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
