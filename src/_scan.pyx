"""Validation and moment scan: one OpenMP pass that nothing can make fail.

The Python layer calls :func:`scan` on every chunk before any likelihood
kernel. It counts the values that would make a fit meaningless (non-finite,
non-integer for discrete families), finds the range (for support checks and
free-location starts) and accumulates the shifted, weighted moments used for
start values and method-of-moments fits.
"""
from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport isfinite, floor, INFINITY

import numpy as np

from _common cimport Chunk, block_fn, chunk_of, run_blocks, fm_openmp_enabled, fm_omp_max_threads

# Layout of the sums returned by `scan`.
SCAN_FIELDS = ("n_nonfinite", "n_nonint", "sum_w", "s1", "s2", "s3", "s4")
cdef enum:
    K_SCAN = 7


def openmp_enabled():
    """Whether the compiled kernels were built with OpenMP."""
    return bool(fm_openmp_enabled())


def omp_max_threads():
    """OpenMP's default team size (1 without OpenMP)."""
    return fm_omp_max_threads()


cdef void _scan_loop(const floating* x, Py_ssize_t stride, const double* w, Py_ssize_t start,
                     Py_ssize_t stop, double shift, bint check_int, double* out) noexcept nogil:
    cdef Py_ssize_t i
    cdef double v, d, d2, wi = 1.0
    cdef double n_bad = 0, n_nonint = 0, sw = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0
    cdef double vmin = INFINITY, vmax = -INFINITY
    for i in range(start, stop):
        v = <double>x[i * stride]
        if w != NULL:
            wi = w[i]
        if not isfinite(v):
            n_bad += 1
            continue
        if check_int and v != floor(v):
            n_nonint += 1
        if v < vmin:
            vmin = v
        if v > vmax:
            vmax = v
        d = v - shift
        d2 = d * d
        sw += wi
        s1 += wi * d
        s2 += wi * d2
        s3 += wi * d2 * d
        s4 += wi * d2 * d2
    out[0] = n_bad
    out[1] = n_nonint
    out[2] = sw
    out[3] = s1
    out[4] = s2
    out[5] = s3
    out[6] = s4
    out[7] = vmin
    out[8] = -vmax      # combined as a minimum


cdef void _scan_block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                      Py_ssize_t start, Py_ssize_t stop, const double* params,
                      double* out) noexcept nogil:
    if is_f32:
        _scan_loop(<const float*>x, stride, w, start, stop, params[0], params[1] != 0.0, out)
    else:
        _scan_loop(<const double*>x, stride, w, start, stop, params[0], params[1] != 0.0, out)


def scan(x, w=None, double shift=0.0, bint check_integer=False, int n_threads=1):
    """One pass over a chunk: validity counts, range and shifted moments.

    Parameters
    ----------
    x : 1-D float32 or float64 ndarray (any stride, read-only allowed)
    w : 1-D float64 contiguous weights of the same length, or None
    shift : float
        Moments are accumulated about ``shift`` (pick a value inside the data
        so that data far from the origin keep full precision).
    check_integer : bool
        Also count finite values that are not integers.
    n_threads : int

    Returns
    -------
    sums : ndarray, shape (7,)
        Fields named by ``SCAN_FIELDS``; all are additive over chunks.
    lo, hi : float
        Minimum and maximum of the finite values (``inf``/``-inf`` if there
        are none).
    """
    out = run_blocks(<block_fn>_scan_block, x, w, np.array([shift, float(check_integer)]),
                     K_SCAN + 2, n_threads, K_SCAN)
    if x.shape[0] == 0:
        return out[:K_SCAN], INFINITY, -INFINITY
    return out[:K_SCAN], float(out[K_SCAN]), -float(out[K_SCAN + 1])


cdef void _count_segment(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                         double base, double* counts) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(start, stop):
        counts[<Py_ssize_t>(<double>x[i * stride] - base)] += 1.0


def count_values(x, double base, Py_ssize_t width, int n_threads=1):
    """How often each integer ``base + k`` (``0 <= k < width``) occurs in ``x``.

    For unweighted integer data that a scan has validated (every value a
    finite integer in ``[base, base + width)``): one pass, each thread
    counting its own contiguous segment. Counts are exact integers, so the
    result does not depend on the thread count. Replaces numpy's bincount on
    a converted copy (two temporaries of the data's size).

    Returns
    -------
    ndarray, shape (width,), float64
    """
    cdef Chunk c = chunk_of(x)
    cdef Py_ssize_t n_seg = max(1, min(n_threads, c.n // (1 << 16))), s, lo, hi
    counts = np.zeros((n_seg, width))
    cdef double[:, ::1] cv = counts
    if c.n == 0:
        return counts.sum(axis=0)
    with nogil:
        for s in prange(n_seg, schedule="static", num_threads=n_seg):
            lo = s * c.n // n_seg
            hi = (s + 1) * c.n // n_seg
            if c.is_f32:
                _count_segment(<const float*>c.ptr, c.stride, lo, hi, base, &cv[s, 0])
            else:
                _count_segment(<const double*>c.ptr, c.stride, lo, hi, base, &cv[s, 0])
    return counts.sum(axis=0)
