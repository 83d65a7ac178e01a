"""Gamma distribution kernel: ``gamma(a, loc, scale)`` in scipy's parametrization.

Per observation, with ``y = x - loc > 0``::

    log f = (a - 1) log y - y / scale - lgamma(a) - a log(scale)

Every derivative with respect to (a, loc, scale) is a combination of five
sums over the data, ``[sum w, sum w log y, sum w y, sum w / y, sum w / y**2]``,
which depend on ``loc`` only. With ``loc`` fixed they are sufficient
statistics (one pass, then the optimizer never touches the data again); with
``loc`` free the driver recomputes them once per Newton iteration.
"""
from cython cimport floating
from libc.math cimport log, exp, sqrt, fabs

import numpy as np

from _common cimport SUB, block_fn, fm_vlog, init_vecmath, load_shifted_log, run_blocks, sum_y_and_log_y
from _special cimport fm_digamma, fm_lgamma, fm_log_minus_digamma, fm_trigamma

init_vecmath()

SUM_FIELDS = ("sum_w", "sum_log_y", "sum_y", "sum_inv_y", "sum_inv_y2")
cdef enum:
    K = 5


cdef inline void _add_obs(double y, double log_y, double wi, double* acc) noexcept nogil:
    acc[0] += wi
    acc[1] += wi * log_y
    acc[2] += wi * y


cdef inline void _add_obs_loc(double y, double log_y, double wi, double* acc) noexcept nogil:
    # the 1/y sums are only needed when loc is a free parameter
    cdef double iy = 1.0 / y
    _add_obs(y, log_y, wi, acc)
    acc[3] += wi * iy
    acc[4] += wi * iy * iy


cdef inline void _plain_sums(const floating* x, Py_ssize_t stride, Py_ssize_t s0, Py_ssize_t m,
                             double loc, double* buf, double* acc) noexcept nogil:
    # loc fixed, no weights, and values sum_y_and_log_y cannot take: sum y
    # while widening it into the buffer, take the log in place, sum that; four independent lanes
    # each, since one running sum per quantity would chain every addition on
    # the previous one (4 cycles each: this pass ran at twice np.log's cost).
    cdef double l0 = 0.0, l1 = 0.0, l2 = 0.0, l3 = 0.0
    cdef double y0 = 0.0, y1 = 0.0, y2 = 0.0, y3 = 0.0
    cdef Py_ssize_t i = 0
    while i + 4 <= m:
        buf[i] = <double>x[(s0 + i) * stride] - loc
        buf[i + 1] = <double>x[(s0 + i + 1) * stride] - loc
        buf[i + 2] = <double>x[(s0 + i + 2) * stride] - loc
        buf[i + 3] = <double>x[(s0 + i + 3) * stride] - loc
        y0 += buf[i]
        y1 += buf[i + 1]
        y2 += buf[i + 2]
        y3 += buf[i + 3]
        i += 4
    while i < m:
        buf[i] = <double>x[(s0 + i) * stride] - loc
        y0 += buf[i]
        i += 1
    fm_vlog(buf, m)
    i = 0
    while i + 4 <= m:
        l0 += buf[i]
        l1 += buf[i + 1]
        l2 += buf[i + 2]
        l3 += buf[i + 3]
        i += 4
    while i < m:
        l0 += buf[i]
        i += 1
    acc[0] += <double>m
    acc[1] += (l0 + l1) + (l2 + l3)
    acc[2] += (y0 + y1) + (y2 + y3)


cdef void _loop(const floating* x, Py_ssize_t stride, const double* w, Py_ssize_t start,
                Py_ssize_t stop, double loc, bint loc_free, double* out) noexcept nogil:
    cdef double y[SUB]
    cdef double ly[SUB]
    cdef double acc[K]
    cdef Py_ssize_t i, j, s0 = start, m
    for j in range(K):
        acc[j] = 0.0
    if not loc_free and w == NULL and sum_y_and_log_y(x, stride, start, stop, loc, &acc[2], &acc[1]):
        # the common case (loc fixed, no weights): sums by products, no logs
        acc[0] = <double>(stop - start)
        s0 = stop
    while s0 < stop:
        # sub-block: widen and shift, then one vectorized log over the buffer
        m = min(<Py_ssize_t>SUB, stop - s0)
        if not loc_free and w == NULL:
            _plain_sums(x, stride, s0, m, loc, y, acc)
            s0 += m
            continue
        load_shifted_log(x, stride, s0, m, loc, y, ly)
        if loc_free and w == NULL:
            for i in range(m):
                _add_obs_loc(y[i], ly[i], 1.0, acc)
        elif loc_free:
            for i in range(m):
                _add_obs_loc(y[i], ly[i], w[s0 + i], acc)
        else:
            for i in range(m):
                _add_obs(y[i], ly[i], w[s0 + i], acc)
        s0 += m
    for j in range(K):
        out[j] = acc[j]


cdef void _block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                 Py_ssize_t start, Py_ssize_t stop, const double* params,
                 double* out) noexcept nogil:
    if is_f32:
        _loop(<const float*>x, stride, w, start, stop, params[0], params[1] != 0.0, out)
    else:
        _loop(<const double*>x, stride, w, start, stop, params[0], params[1] != 0.0, out)


def sums(x, w, double loc, bint loc_free=True, int n_threads=1):
    """Additive sums of one chunk at location ``loc``: see ``SUM_FIELDS``.

    Parameters
    ----------
    x : ndarray, 1-D float32 or float64
        Values outside the support (``x <= loc``) or non-finite values make
        the sums non-finite; the caller checks and explains.
    w : ndarray of float64 weights, same length, or None
    loc : float
    loc_free : bool
        Also accumulate the 1/y sums, which only the derivatives in ``loc``
        need (left at zero otherwise).
    n_threads : int

    Returns
    -------
    ndarray, shape (5,)
        Sums over chunks of these are the sums of the concatenated data.
    """
    return run_blocks(<block_fn>_block, x, w, np.array([loc, float(loc_free)]), K, n_threads)


def loglike_grad_hess(const double[::1] s, double a, double loc, double scale):
    """Log-likelihood, gradient and Hessian in (a, loc, scale) from `sums`.

    Returns
    -------
    ll : float
    grad : ndarray, shape (3,)
    hess : ndarray, shape (3, 3)
    """
    cdef double n = s[0], sl = s[1], sy = s[2], siy = s[3], siy2 = s[4]
    cdef double ls = log(scale), inv_s = 1.0 / scale
    ll = (a - 1.0) * sl - sy * inv_s - n * fm_lgamma(a) - n * a * ls
    grad = np.array([
        sl - n * fm_digamma(a) - n * ls,
        -(a - 1.0) * siy + n * inv_s,
        sy * inv_s * inv_s - n * a * inv_s,
    ])
    h_aa = -n * fm_trigamma(a)
    h_al = -siy
    h_as = -n * inv_s
    h_ll = -(a - 1.0) * siy2
    h_ls = -n * inv_s * inv_s
    h_ss = -2.0 * sy * inv_s ** 3 + n * a * inv_s * inv_s
    hess = np.array([[h_aa, h_al, h_as], [h_al, h_ll, h_ls], [h_as, h_ls, h_ss]])
    return ll, grad, hess


def shape_mle(double s):
    """Solve ``log a - digamma(a) = s`` for ``a`` (``s > 0``).

    ``s = log(mean y) - mean(log y)`` is the log of the ratio of arithmetic
    to geometric mean; the root is the shape MLE given ``loc``, with
    ``scale = mean(y) / a``. Minka's (2002) closed-form approximation
    starts a Newton iteration on ``log a`` that reaches machine precision in
    a few steps.
    """
    cdef double a, f, fp, step
    cdef int it
    if not s > 0:
        raise ValueError("all observations are equal: the gamma shape MLE is infinite")
    a = (3.0 - s + sqrt((s - 3.0) * (s - 3.0) + 24.0 * s)) / (12.0 * s)
    for it in range(100):
        f = fm_log_minus_digamma(a) - s
        fp = 1.0 / a - fm_trigamma(a)       # negative for every a > 0
        step = f / (fp * a)
        if step > 2.0:
            step = 2.0
        elif step < -2.0:
            step = -2.0
        a *= exp(-step)
        if fabs(step) < 1e-15:
            break
    return a

