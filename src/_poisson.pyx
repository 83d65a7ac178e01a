"""Poisson distribution kernel: ``poisson(mu, loc)``.

Per observation, with ``k = x - loc`` a non-negative integer::

    log p = k log(mu) - mu - lgamma(k + 1)

The sums ``[sum w, sum w k, sum w lgamma(k + 1)]`` are sufficient statistics
for ``mu`` at a given ``loc``.
"""
from cython cimport floating
from libc.math cimport log

import numpy as np

from _common cimport block_fn, run_blocks
from _special cimport fm_lgamma, fm_xlogy

SUM_FIELDS = ("sum_w", "sum_k", "sum_lgamma_k1")
cdef enum:
    K = 3
    N_TABLE = 1024

# log(k!) for small counts, where most Poisson data live: a table lookup
# instead of an lgamma evaluation per observation (same values: filled with
# fm_lgamma itself).
cdef double LOG_FACTORIAL[N_TABLE]
cdef Py_ssize_t _k
for _k in range(N_TABLE):
    LOG_FACTORIAL[_k] = fm_lgamma(_k + 1.0)


cdef inline double _log_factorial(double k) noexcept nogil:
    # k is a validated non-negative integer; out-of-range or invalid values
    # take the lgamma path (which propagates NaN for the caller to detect)
    if 0.0 <= k < N_TABLE:
        return LOG_FACTORIAL[<Py_ssize_t>k]
    return fm_lgamma(k + 1.0)


cdef void _loop(const floating* x, Py_ssize_t stride, const double* w, Py_ssize_t start,
                Py_ssize_t stop, double loc, double* out) noexcept nogil:
    cdef double s0 = 0.0, s1 = 0.0, s2 = 0.0, k, wi
    cdef Py_ssize_t i
    if w == NULL:
        for i in range(start, stop):
            k = <double>x[i * stride] - loc
            s1 += k
            s2 += _log_factorial(k)
        s0 = <double>(stop - start)
    else:
        for i in range(start, stop):
            k = <double>x[i * stride] - loc
            wi = w[i]
            s0 += wi
            s1 += wi * k
            s2 += wi * _log_factorial(k)
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


def sums(x, w, double loc, int n_threads=1):
    """Sufficient statistics of one chunk at integer ``loc``: see ``SUM_FIELDS``."""
    return run_blocks(<block_fn>_block, x, w, np.array([loc]), K, n_threads)


def loglike_grad_hess(const double[::1] t, double mu):
    """Log-likelihood, gradient and Hessian in (mu,) from `sums`."""
    cdef double n = t[0], sk = t[1], slg = t[2]
    ll = fm_xlogy(sk, mu) - n * mu - slg
    grad = np.array([sk / mu - n])
    hess = np.array([[-sk / (mu * mu)]])
    return ll, grad, hess
