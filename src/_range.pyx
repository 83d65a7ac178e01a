"""The range of the data in one SIMD-friendly pass: ``(min, max, all finite?)``.

uniform's MLE is the range, and pareto's support starts at the minimum: their
fits need nothing else from a pass. The validating scan (``_scan.scan``)
finds the range too but also counts and sums four moments with a branch per
value; this loop has no branches (16 min/max lanes and a sum of ``0 * x``,
which is NaN exactly when some value is NaN or infinite) and is vectorized
(``_lane_sums.h``).
"""
from cython cimport floating
from libc.math cimport INFINITY, fabs

import numpy as np

from _common cimport block_fn, data_range_block, run_blocks


cdef void _loop(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                double* out) noexcept nogil:
    cdef double lo, hi
    data_range_block(x, stride, start, stop, &lo, &hi, &out[0])
    out[1] = lo
    out[2] = -hi       # combined as a minimum


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
