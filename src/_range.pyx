"""The range of the data in one SIMD-friendly pass: ``(min, max, all finite?)``.

uniform's MLE is the range, and pareto's support starts at the minimum: their
fits need nothing else from a pass. The validating scan (``_scan.scan``)
finds the range too but also counts and sums four moments with a branch per
value; this loop has no branches (four interleaved min/max lanes and a sum
of ``0 * x``, which is NaN exactly when some value is NaN or infinite), so
the compiler vectorizes it and it runs at memory speed.
"""
from cython cimport floating
from libc.math cimport INFINITY, fabs

import numpy as np

from _common cimport block_fn, run_blocks


cdef void _loop(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                double* out) noexcept nogil:
    cdef double lo0 = INFINITY, lo1 = INFINITY, lo2 = INFINITY, lo3 = INFINITY
    cdef double hi0 = -INFINITY, hi1 = -INFINITY, hi2 = -INFINITY, hi3 = -INFINITY
    cdef double z0 = 0.0, z1 = 0.0, z2 = 0.0, z3 = 0.0
    cdef double v0, v1, v2, v3
    cdef Py_ssize_t i = start
    while i + 3 < stop:
        v0 = <double>x[i * stride]
        v1 = <double>x[(i + 1) * stride]
        v2 = <double>x[(i + 2) * stride]
        v3 = <double>x[(i + 3) * stride]
        lo0 = v0 if v0 < lo0 else lo0
        lo1 = v1 if v1 < lo1 else lo1
        lo2 = v2 if v2 < lo2 else lo2
        lo3 = v3 if v3 < lo3 else lo3
        hi0 = v0 if v0 > hi0 else hi0
        hi1 = v1 if v1 > hi1 else hi1
        hi2 = v2 if v2 > hi2 else hi2
        hi3 = v3 if v3 > hi3 else hi3
        z0 += 0.0 * v0
        z1 += 0.0 * v1
        z2 += 0.0 * v2
        z3 += 0.0 * v3
        i += 4
    while i < stop:
        v0 = <double>x[i * stride]
        lo0 = v0 if v0 < lo0 else lo0
        hi0 = v0 if v0 > hi0 else hi0
        z0 += 0.0 * v0
        i += 1
    lo0 = lo1 if lo1 < lo0 else lo0
    lo0 = lo2 if lo2 < lo0 else lo0
    lo0 = lo3 if lo3 < lo0 else lo0
    hi0 = hi1 if hi1 > hi0 else hi0
    hi0 = hi2 if hi2 > hi0 else hi0
    hi0 = hi3 if hi3 > hi0 else hi0
    out[0] = (z0 + z1) + (z2 + z3)
    out[1] = lo0
    out[2] = -hi0       # combined as a minimum


cdef void _block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                 Py_ssize_t start, Py_ssize_t stop, const double* params,
                 double* out) noexcept nogil:
    if is_f32:
        _loop(<const float*>x, stride, start, stop, out)
    else:
        _loop(<const double*>x, stride, start, stop, out)


def data_range(x, int n_threads=1):
    """``(min, max, finite)`` of a 1-D float32/float64 array (any stride).

    ``finite`` is False if any value is NaN or infinite (then ``min`` and
    ``max`` are meaningless). An empty array gives ``(inf, -inf, True)``.
    """
    if x.shape[0] == 0:
        return INFINITY, -INFINITY, True
    out = run_blocks(<block_fn>_block, x, None, np.zeros(1), 3, n_threads, 1)
    return float(out[1]), -float(out[2]), bool(out[0] == 0.0)


cdef void _abs_loop(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                    double c, double* out) noexcept nogil:
    # four lanes, as above: laplace's scale is this one sum, and a single
    # running sum would wait on itself every element
    cdef double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
    cdef Py_ssize_t i = start
    while i + 3 < stop:
        a0 += fabs(<double>x[i * stride] - c)
        a1 += fabs(<double>x[(i + 1) * stride] - c)
        a2 += fabs(<double>x[(i + 2) * stride] - c)
        a3 += fabs(<double>x[(i + 3) * stride] - c)
        i += 4
    while i < stop:
        a0 += fabs(<double>x[i * stride] - c)
        i += 1
    out[0] = (a0 + a1) + (a2 + a3)


cdef void _abs_block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                     Py_ssize_t start, Py_ssize_t stop, const double* params,
                     double* out) noexcept nogil:
    if is_f32:
        _abs_loop(<const float*>x, stride, start, stop, params[0], out)
    else:
        _abs_loop(<const double*>x, stride, start, stop, params[0], out)


def abs_deviation_sum(x, double center, int n_threads=1):
    """``sum(|x - center|)`` over a 1-D float32/float64 array (any stride);
    NaN or infinite if some value is (laplace's scale given its loc)."""
    return float(run_blocks(<block_fn>_abs_block, x, None, np.array([center]), 1, n_threads)[0])
