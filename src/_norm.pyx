"""Normal distribution kernel: ``norm(loc, scale)``.

With ``d = x - shift`` for a fixed ``shift`` inside the data, the sums
``[sum w, sum w d, sum w d**2]`` are sufficient statistics. Taking them about
a shift near the mean keeps full float64 precision for data far from the
origin (1e7 + small noise); the driver takes a second pass about the mean
when the first shift was far off.
"""
from cython cimport floating
from libc.math cimport log, isfinite, INFINITY, M_PI

import numpy as np

from _common cimport Chunk, block_fn, chunk_of, first_value, run_blocks, sum_chunk, sum_moments

SUM_FIELDS = ("sum_w", "sum_d", "sum_d2")
cdef enum:
    K = 3


cdef void _loop(const floating* x, Py_ssize_t stride, const double* w, Py_ssize_t start,
                Py_ssize_t stop, double shift, double* out) noexcept nogil:
    cdef double s0 = 0.0, s1 = 0.0, s2 = 0.0, d, wi, lo = INFINITY
    cdef Py_ssize_t i
    if w == NULL:
        sum_moments(x, stride, start, stop, shift, &s1, &s2, &lo)
        s0 = <double>(stop - start)
    else:
        for i in range(start, stop):
            d = <double>x[i * stride] - shift
            wi = w[i]
            s0 += wi
            s1 += wi * d
            s2 += wi * d * d
    out[0] = s0
    out[1] = s1
    out[2] = s2


cdef void _block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                 Py_ssize_t start, Py_ssize_t stop, const double* params,
                 double* out) noexcept nogil:
    if is_f32:
        _loop(<const float*>x, stride, w, start, stop, params[0], out)
    else:
        _loop(<const double*>x, stride, w, start, stop, params[0], out)


def sums(x, w, double shift, int n_threads=1):
    """Sufficient statistics of one chunk about ``shift``: see ``SUM_FIELDS``.

    Returns
    -------
    ndarray, shape (3,)
        Additive over chunks (for a common ``shift``).
    """
    return run_blocks(<block_fn>_block, x, w, np.array([shift]), K, n_threads)


def loglike_grad_hess(const double[::1] s, double shift, double loc, double scale):
    """Log-likelihood, gradient and Hessian in (loc, scale) from `sums`."""
    cdef double n = s[0]
    cdef double m = loc - shift
    # Q = sum w (x - loc)^2 and R = sum w (x - loc), expanded about the shift
    cdef double r = s[1] - m * n
    cdef double q = s[2] - 2.0 * m * s[1] + m * m * n
    cdef double inv_s2 = 1.0 / (scale * scale)
    ll = -n * log(scale) - 0.5 * n * log(2.0 * M_PI) - 0.5 * q * inv_s2
    grad = np.array([r * inv_s2, -n / scale + q * inv_s2 / scale])
    h_ll = -n * inv_s2
    h_ls = -2.0 * r * inv_s2 / scale
    h_ss = n * inv_s2 - 3.0 * q * inv_s2 * inv_s2
    return ll, grad, np.array([[h_ll, h_ls], [h_ls, h_ss]])


def closed_form_fit(x, int n_threads=1):
    """Mean and (ddof=0) variance of an unweighted chunk in one or two passes.

    The first pass takes sums about the first observation; if that lies far
    from the mean (more than 4 standard deviations) a second pass about the
    mean follows, so data far from the origin keep full precision.

    Returns
    -------
    (mean, var) or None
        None if the data contain NaN or infinite values (the caller then
        takes the validating path, which explains the problem).
    """
    cdef Chunk c = chunk_of(x)
    cdef double p[1]
    cdef double s[K]
    cdef double mean, d, var
    if c.n == 0:
        return None
    p[0] = first_value(c)
    for _ in range(2):
        sum_chunk(<block_fn>_block, c, NULL, p, K, K, s, n_threads)
        if not isfinite(s[1] + s[2]):
            return None
        d = s[1] / s[0]
        mean = p[0] + d
        var = s[2] / s[0] - d * d
        # var = m2 - d^2 loses about log10(d^2 / var) digits; with the shift
        # within 4 standard deviations of the mean (the shift is a data value,
        # so this is the usual case) that is at most ~1e-14 relative, and the
        # second pass about the mean is not needed
        if d * d <= 16.0 * var:
            break
        p[0] = mean
    return mean, max(var, 0.0)
