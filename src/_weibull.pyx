"""Weibull (minimum) distribution kernel: ``weibull_min(c, loc, scale)``.

Per observation, with ``y = x - loc > 0``, ``u = log(y / scale)`` and
``p = exp(c u) = (y / scale)**c``::

    log f = log c - log(scale) + (c - 1) u - p

``p`` depends on every parameter, so there are no sufficient statistics: one
pass per Newton iteration accumulates ten sums
``[sum w, sum w u, sum w p, sum w u p, sum w u^2 p, sum w/y, sum w p/y,
sum w u p/y, sum w/y^2, sum w p/y^2]`` from which the log-likelihood, the
gradient and the Hessian in (c, loc, scale) all follow.
"""
from cython cimport floating
from libc.math cimport log, exp

import numpy as np

from _common cimport (SUB, block_fn, fm_have_simd_exp, fm_have_simd_log, fm_vexp, init_vecmath, load_shifted_log,
                      run_blocks)

init_vecmath()

SUM_FIELDS = ("sum_w", "sum_u", "sum_p", "sum_up", "sum_u2p",
              "sum_inv_y", "sum_p_inv_y", "sum_up_inv_y", "sum_inv_y2", "sum_p_inv_y2")
cdef enum:
    K = 10


cdef inline void _add_obs(double u, double p, double wi, double* acc) noexcept nogil:
    cdef double wp = wi * p
    cdef double wup = wp * u
    acc[0] += wi
    acc[1] += wi * u
    acc[2] += wp
    acc[3] += wup
    acc[4] += wup * u


cdef inline void _add_obs_loc(double y, double u, double p, double wi, double* acc) noexcept nogil:
    # the 1/y sums are only needed when loc is a free parameter
    cdef double iy = 1.0 / y
    cdef double wp = wi * p
    _add_obs(u, p, wi, acc)
    acc[5] += wi * iy
    acc[6] += wp * iy
    acc[7] += wp * u * iy
    acc[8] += wi * iy * iy
    acc[9] += wp * iy * iy


cdef void _loop(const floating* x, Py_ssize_t stride, const double* w, Py_ssize_t start,
                Py_ssize_t stop, double c, double loc, double log_scale, bint loc_free,
                double* out) noexcept nogil:
    cdef double y[SUB]
    cdef double u[SUB]
    cdef double p[SUB]
    cdef double acc[K]
    cdef Py_ssize_t i, j, s0 = start, m
    for j in range(K):
        acc[j] = 0.0
    while s0 < stop:
        # sub-block: u = log(y / scale) and p = exp(c u), each one vectorized call
        m = min(<Py_ssize_t>SUB, stop - s0)
        load_shifted_log(x, stride, s0, m, loc, y, u)
        for i in range(m):
            u[i] -= log_scale
            p[i] = c * u[i]
        fm_vexp(p, m)
        if loc_free and w == NULL:
            for i in range(m):
                _add_obs_loc(y[i], u[i], p[i], 1.0, acc)
        elif loc_free:
            for i in range(m):
                _add_obs_loc(y[i], u[i], p[i], w[s0 + i], acc)
        elif w == NULL:
            for i in range(m):
                _add_obs(u[i], p[i], 1.0, acc)
        else:
            for i in range(m):
                _add_obs(u[i], p[i], w[s0 + i], acc)
        s0 += m
    for j in range(K):
        out[j] = acc[j]


cdef void _block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                 Py_ssize_t start, Py_ssize_t stop, const double* params,
                 double* out) noexcept nogil:
    if is_f32:
        _loop(<const float*>x, stride, w, start, stop, params[0], params[1], params[2],
              params[3] != 0.0, out)
    else:
        _loop(<const double*>x, stride, w, start, stop, params[0], params[1], params[2],
              params[3] != 0.0, out)


def sums(x, w, double c, double loc, double scale, bint loc_free=True, int n_threads=1):
    """Additive sums of one chunk at (c, loc, scale): see ``SUM_FIELDS``.

    With ``loc_free`` False the five 1/y sums (needed only for derivatives in
    ``loc``) are left at zero.
    """
    return run_blocks(<block_fn>_block, x, w, np.array([c, loc, log(scale), float(loc_free)]),
                      K, n_threads)


def loglike_grad_hess(const double[::1] t, double c, double loc, double scale):
    """Log-likelihood, gradient and Hessian in (c, loc, scale) from `sums`
    taken at the same parameters."""
    cdef double n = t[0], su = t[1], sp = t[2], sup = t[3], su2p = t[4]
    cdef double siy = t[5], spiy = t[6], supiy = t[7], siy2 = t[8], spiy2 = t[9]
    cdef double inv_s = 1.0 / scale
    ll = n * log(c) - n * log(scale) + (c - 1.0) * su - sp
    grad = np.array([
        n / c + su - sup,
        c * spiy - (c - 1.0) * siy,
        c * (sp - n) * inv_s,
    ])
    h_cc = -n / (c * c) - su2p
    h_cl = spiy + c * supiy - siy
    h_cs = (sp + c * sup - n) * inv_s
    h_ll = (c - c * c) * spiy2 + (1.0 - c) * siy2
    h_ls = -c * c * spiy * inv_s
    h_ss = -c * ((c + 1.0) * sp - n) * inv_s * inv_s
    hess = np.array([[h_cc, h_cl, h_cs], [h_cl, h_ll, h_ls], [h_cs, h_ls, h_ss]])
    return ll, grad, hess


def simd_status():
    """Whether this module's kernels use numpy's SIMD (log, exp) inner loops.

    Returns
    -------
    (bool, bool)
        False means the libm fallback is in use.
    """
    return bool(fm_have_simd_log()), bool(fm_have_simd_exp())
