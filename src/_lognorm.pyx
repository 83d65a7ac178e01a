"""Log-normal distribution kernel: ``lognorm(s, loc, scale)``.

Per observation, with ``y = x - loc > 0``, ``mu = log(scale)`` and
``D = log y - mu``::

    log f = -log s - log y - log(2 pi) / 2 - D**2 / (2 s**2)

All derivatives in (s, loc, scale) follow from seven sums that depend on
``loc`` only, ``[sum w, sum w L, sum w L**2, sum w/y, sum w L/y, sum w/y**2,
sum w L/y**2]`` with ``L = log y - lshift``; ``lshift`` (a value near the mean
log) keeps the expansion of ``sum w D**2`` free of cancellation. With ``loc``
fixed they are sufficient statistics and the MLE is closed-form.
"""
from cython cimport floating
from libc.math cimport log, M_PI

import numpy as np

from _common cimport SUB, block_fn, init_vecmath, load_shifted_log, run_blocks

init_vecmath()

SUM_FIELDS = ("sum_w", "sum_L", "sum_L2", "sum_inv_y", "sum_L_inv_y", "sum_inv_y2", "sum_L_inv_y2")
cdef enum:
    K = 7


cdef inline void _add_obs(double lv, double wi, double* acc) noexcept nogil:
    acc[0] += wi
    acc[1] += wi * lv
    acc[2] += wi * lv * lv


cdef inline void _add_obs_loc(double y, double lv, double wi, double* acc) noexcept nogil:
    # the 1/y sums are only needed when loc is a free parameter
    cdef double iy = 1.0 / y
    cdef double wiy = wi * iy
    _add_obs(lv, wi, acc)
    acc[3] += wiy
    acc[4] += wiy * lv
    acc[5] += wiy * iy
    acc[6] += wiy * iy * lv


cdef void _loop(const floating* x, Py_ssize_t stride, const double* w, Py_ssize_t start,
                Py_ssize_t stop, double loc, double lshift, bint loc_free,
                double* out) noexcept nogil:
    cdef double y[SUB]
    cdef double lv[SUB]
    cdef double acc[K]
    cdef Py_ssize_t i, j, s0 = start, m
    for j in range(K):
        acc[j] = 0.0
    while s0 < stop:
        # sub-block: widen and shift, one vectorized log, then accumulate
        m = min(<Py_ssize_t>SUB, stop - s0)
        load_shifted_log(x, stride, s0, m, loc, y, lv)
        for i in range(m):
            lv[i] -= lshift
        if loc_free and w == NULL:
            for i in range(m):
                _add_obs_loc(y[i], lv[i], 1.0, acc)
        elif loc_free:
            for i in range(m):
                _add_obs_loc(y[i], lv[i], w[s0 + i], acc)
        elif w == NULL:
            for i in range(m):
                _add_obs(lv[i], 1.0, acc)
        else:
            for i in range(m):
                _add_obs(lv[i], w[s0 + i], acc)
        s0 += m
    for j in range(K):
        out[j] = acc[j]


cdef void _block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                 Py_ssize_t start, Py_ssize_t stop, const double* params,
                 double* out) noexcept nogil:
    if is_f32:
        _loop(<const float*>x, stride, w, start, stop, params[0], params[1], params[2] != 0.0, out)
    else:
        _loop(<const double*>x, stride, w, start, stop, params[0], params[1], params[2] != 0.0, out)


def sums(x, w, double loc, double lshift, bint loc_free=True, int n_threads=1):
    """Additive sums of one chunk at ``loc``, logs taken about ``lshift``.

    With ``loc_free`` False only the first three (sufficient) sums are
    accumulated; the 1/y sums are left at zero.
    """
    return run_blocks(<block_fn>_block, x, w, np.array([loc, lshift, float(loc_free)]), K,
                      n_threads)


def loglike_grad_hess(const double[::1] t, double lshift, double s, double loc, double scale):
    """Log-likelihood, gradient and Hessian in (s, loc, scale) from `sums`."""
    cdef double n = t[0], sl = t[1], sl2 = t[2], siy = t[3], sliy = t[4], siy2 = t[5], sliy2 = t[6]
    cdef double m = log(scale) - lshift
    cdef double sd = sl - n * m                      # sum w D
    cdef double sd2 = sl2 - 2.0 * m * sl + n * m * m  # sum w D^2
    cdef double sdiy = sliy - m * siy                # sum w D / y
    cdef double sdiy2 = sliy2 - m * siy2             # sum w D / y^2
    cdef double v = s * s
    ll = -n * log(s) - (sl + n * lshift) - 0.5 * n * log(2.0 * M_PI) - 0.5 * sd2 / v
    # derivatives in (s, loc, mu) first, then mu = log(scale) by the chain rule
    g_s = -n / s + sd2 / (v * s)
    g_loc = siy + sdiy / v
    g_mu = sd / v
    h_ss = n / v - 3.0 * sd2 / (v * v)
    h_sl = -2.0 * sdiy / (v * s)
    h_smu = -2.0 * sd / (v * s)
    h_ll = siy2 + (sdiy2 - siy2) / v
    h_lmu = -siy / v
    h_mumu = -n / v
    inv_sc = 1.0 / scale
    grad = np.array([g_s, g_loc, g_mu * inv_sc])
    hess = np.array([
        [h_ss, h_sl, h_smu * inv_sc],
        [h_sl, h_ll, h_lmu * inv_sc],
        [h_smu * inv_sc, h_lmu * inv_sc, (h_mumu - g_mu) * inv_sc * inv_sc],
    ])
    return ll, grad, hess

