"""Exponential distribution kernel: ``expon(loc, scale)``.

Per observation ``log f = -log(scale) - (x - loc) / scale`` for ``x >= loc``.
The sums ``[sum w, sum w (x - shift)]`` are sufficient statistics; the MLE
of ``loc`` is the sample minimum, found by the scan pass.
"""
from cython cimport floating
from libc.math cimport log, isfinite, INFINITY

import numpy as np

from _common cimport Chunk, block_fn, chunk_of, first_value, run_blocks, sum_chunk, sum_moments

SUM_FIELDS = ("sum_w", "sum_d")
cdef enum:
    K = 2


cdef void _loop(const floating* x, Py_ssize_t stride, const double* w, Py_ssize_t start,
                Py_ssize_t stop, double shift, double* out) noexcept nogil:
    cdef double s0 = 0.0, s1 = 0.0, lo = INFINITY
    cdef Py_ssize_t i
    if w == NULL:
        sum_moments(x, stride, start, stop, shift, &s1, NULL, &lo)     # no squares: lighter loop
        s0 = <double>(stop - start)
    else:
        for i in range(start, stop):
            s0 += w[i]
            s1 += w[i] * (<double>x[i * stride] - shift)
    out[0] = s0
    out[1] = s1


cdef void _block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                 Py_ssize_t start, Py_ssize_t stop, const double* params,
                 double* out) noexcept nogil:
    if is_f32:
        _loop(<const float*>x, stride, w, start, stop, params[0], out)
    else:
        _loop(<const double*>x, stride, w, start, stop, params[0], out)


def sums(x, w, double shift, int n_threads=1):
    """Sufficient statistics of one chunk about ``shift``: see ``SUM_FIELDS``."""
    return run_blocks(<block_fn>_block, x, w, np.array([shift]), K, n_threads)


def loglike_grad_hess(const double[::1] s, double shift, double loc, double scale):
    """Log-likelihood, gradient and Hessian in (loc, scale) from `sums`.

    Valid for ``loc <= min(x)``; the caller keeps ``loc`` there.
    """
    cdef double n = s[0]
    cdef double r = s[1] - (loc - shift) * n   # sum w (x - loc)
    cdef double inv_s = 1.0 / scale
    ll = -n * log(scale) - r * inv_s
    grad = np.array([n * inv_s, -n * inv_s + r * inv_s * inv_s])
    h_ls = -n * inv_s * inv_s
    h_ss = n * inv_s * inv_s - 2.0 * r * inv_s ** 3
    return ll, grad, np.array([[0.0, h_ls], [h_ls, h_ss]])


cdef void _min_loop(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                    double shift, double* out) noexcept nogil:
    cdef double s1 = 0.0, vmin = INFINITY
    sum_moments(x, stride, start, stop, shift, &s1, NULL, &vmin)
    out[0] = <double>(stop - start)
    out[1] = s1
    out[2] = vmin


cdef void _min_block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                     Py_ssize_t start, Py_ssize_t stop, const double* params,
                     double* out) noexcept nogil:
    if is_f32:
        _min_loop(<const float*>x, stride, start, stop, params[0], out)
    else:
        _min_loop(<const double*>x, stride, start, stop, params[0], out)


def min_and_mean_excess(x, int n_threads=1):
    """``(min(x), mean(x - min(x)))`` of an unweighted chunk in one pass.

    Returns None if the data contain NaN or infinite values (the caller then
    takes the validating path, which explains the problem).
    """
    cdef Chunk c = chunk_of(x)
    cdef double p[1]
    cdef double s[3]
    if c.n == 0:
        return None
    p[0] = first_value(c)
    sum_chunk(<block_fn>_min_block, c, NULL, p, 3, 2, s, n_threads)
    if not (isfinite(s[1]) and isfinite(s[2])):
        return None
    # sum (x - min) = sum (x - x0) - n (min - x0); x0 - min is of the order of the spread
    return s[2], s[1] / s[0] - (s[2] - p[0])
