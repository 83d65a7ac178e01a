"""Family kernels: per-observation densities in C (``src/families/*.h``) run
through one OpenMP block loop (``src/_family_loop.h``).

``sums(x, w, family, params)`` returns a family's additive block sums for one
chunk; ``fastmle/distributions/_family.py`` turns them into the
log-likelihood, gradient and Hessian. ``natural_sums`` and ``lcdf_values``
serve censored data, the robust covariance and cdfs
(``src/_natural_loop.h``, ``fastmle/distributions/_natural.py``).
"""
from cython.parallel cimport prange
from libc.math cimport log

import numpy as np

from _common cimport block_fn, init_vecmath, run_blocks

# numpy's SIMD exp/log loops for the vectorized blocks (families/vec_m0.h)
init_vecmath()

cdef extern from "_families.h" nogil:
    ctypedef struct fm_family:
        const char* name
        void* block
        int n_shapes
        int kind
        int n_sums
    const fm_family FM_FAMILIES[]
    const int FM_N_FAMILIES
    const int FM_LOCSCALE
    ctypedef double (*fm_lcdf_fn)(double z, const double* P, int upper, double* g, double* h) noexcept nogil
    ctypedef struct fm_nat_family:
        const char* name
        void* block
        fm_lcdf_fn lcdf
        int n_shapes
        int kind
        int n_sums
    const fm_nat_family FM_NAT_FAMILIES[]
    const int FM_N_NAT_FAMILIES
    const int FM_NAT_PAIRED
    const int FM_NAT_MAX_M

#: name -> (index, number of shapes, location-scale?, number of sums)
FAMILIES = {
    FM_FAMILIES[i].name.decode(): (i, FM_FAMILIES[i].n_shapes, FM_FAMILIES[i].kind == FM_LOCSCALE,
                                   FM_FAMILIES[i].n_sums)
    for i in range(FM_N_FAMILIES)
}


#: name -> (index, number of shapes, location-scale?, number of sums) of the
#: families with a cdf (natural-parameter loop)
NAT_FAMILIES = {
    FM_NAT_FAMILIES[i].name.decode(): (i, FM_NAT_FAMILIES[i].n_shapes,
                                       FM_NAT_FAMILIES[i].kind == FM_LOCSCALE, FM_NAT_FAMILIES[i].n_sums)
    for i in range(FM_N_NAT_FAMILIES)
}


def natural_sums(x, w, str family, const double[::1] params, int n_threads=1):
    """Natural-parameter sums of ``family`` over one chunk (``src/_natural_loop.h``).

    Parameters
    ----------
    x : ndarray
        1-D float32/float64 exact observations, or (mode ``FM_NAT_PAIRED``)
        the first column of a C-contiguous float64 ``(n, 2)`` array of
        (lower, upper) bounds, as the view ``pairs[:, 0]``.
    w : ndarray or None
        Contiguous float64 weights.
    family : str
        A name in ``NAT_FAMILIES``.
    params : ndarray
        ``[mode, loc, 1/scale, c0, c1..., c2..., P...]`` (no ``1/scale`` for
        shape families).

    Returns
    -------
    ndarray
        ``[sum w, sum w ll, score (N), Hessian (packed), score outer products (packed)]``.
    """
    index, _, _, k = NAT_FAMILIES[family]
    if params[0] == FM_NAT_PAIRED:
        # the loop reads x[i * stride + 1] as the upper bound
        if x.dtype != np.float64 or x.strides[0] != 2 * x.itemsize or (x.base is None):
            raise ValueError("paired bounds must be the view pairs[:, 0] of a float64 (n, 2) array")
    return run_blocks(<block_fn>FM_NAT_FAMILIES[index].block, x, w, params, k, n_threads)


def lcdf_values(const double[::1] x, str family, const double[::1] params, bint upper,
                int n_threads=1):
    """``log F`` (or ``log S`` with ``upper``) of ``family`` at each ``x``.

    ``params`` is ``[loc, 1/scale, P...]`` (``[loc, P...]`` for shape
    families); the values are those of ``(x - loc) / scale`` (``x - loc``).
    """
    index, m, locscale, _ = NAT_FAMILIES[family]
    cdef fm_lcdf_fn fn = FM_NAT_FAMILIES[index].lcdf
    cdef Py_ssize_t n = x.shape[0], i
    cdef double loc = params[0]
    cdef double inv = params[1] if locscale else 1.0
    cdef const double* P = &params[2 if locscale else 1] if params.shape[0] > (2 if locscale else 1) else NULL
    cdef int up = upper
    cdef int ls = locscale
    out_arr = np.empty(n)
    cdef double[::1] out = out_arr
    if n == 0:
        return out_arr
    with nogil:
        for i in prange(n, num_threads=max(1, min(n_threads, n // 65536 + 1)), schedule="static"):
            out[i] = _lcdf_at(fn, (x[i] - loc) * inv if ls else x[i] - loc, P, up)
    return out_arr


cdef inline double _lcdf_at(fm_lcdf_fn fn, double z, const double* P, int up) noexcept nogil:
    cdef double g[8]
    cdef double h[16]
    return fn(z, P, up, g, h)


def sums(x, w, str family, const double[::1] params, int n_threads=1):
    """Block sums of ``family`` over one chunk.

    Parameters
    ----------
    x : ndarray
        1-D float32 or float64 data (any stride; read without a copy).
    w : ndarray or None
        Contiguous float64 weights.
    family : str
        A name in ``FAMILIES``.
    params : ndarray
        ``[loc, 1/scale, P...]`` for location-scale families, ``[loc, P...]``
        for shape families; ``P`` as the family's density expects.

    Returns
    -------
    ndarray
        The family's sums (see ``src/_family_loop.h`` for their order).
    """
    index, _, _, k = FAMILIES[family]
    return run_blocks(<block_fn>FM_FAMILIES[index].block, x, w, params, k, n_threads)


def assemble_locscale(const double[::1] s, int m, double scale):
    """Log-likelihood, gradient and Hessian in (shapes..., loc, scale) from a
    location-scale family's sums, without the z-free constant terms.

    The chain rule from (shapes, z) to (shapes, loc, scale), with
    z = (x - loc) / scale and the Jacobian term -log(scale) per observation.
    """
    cdef Py_ssize_t t = m * (m + 1) // 2, o, a, b, k
    cdef double n = s[0], inv = 1.0 / scale
    cdef double g_z = s[2 + m], g_zz = s[3 + m]
    grad_arr = np.empty(m + 2)
    hess_arr = np.empty((m + 2, m + 2))
    cdef double[::1] grad = grad_arr
    cdef double[:, ::1] hess = hess_arr
    for a in range(m):
        grad[a] = s[2 + a]
    grad[m] = -g_z * inv
    grad[m + 1] = -(g_zz + n) * inv
    o = 4 + m
    k = 0
    for a in range(m):
        for b in range(a, m):
            hess[a, b] = s[o + k]
            hess[b, a] = s[o + k]
            k += 1
    o += t
    for a in range(m):
        hess[a, m] = hess[m, a] = -s[o + a] * inv
        hess[a, m + 1] = hess[m + 1, a] = -s[o + m + a] * inv
    o += 2 * m
    hess[m, m] = s[o] * inv * inv
    hess[m, m + 1] = hess[m + 1, m] = (s[o + 1] + g_z) * inv * inv
    hess[m + 1, m + 1] = (s[o + 2] + 2.0 * g_zz + n) * inv * inv
    return s[1] - n * log(scale), grad_arr, hess_arr
