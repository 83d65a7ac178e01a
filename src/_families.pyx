"""Family kernels: per-observation densities in C (``src/families/*.h``) run
through one OpenMP block loop (``src/_family_loop.h``).

``sums(x, w, family, params)`` returns a family's additive block sums for one
chunk; ``fastmle/distributions/_family.py`` turns them into the
log-likelihood, gradient and Hessian.
"""
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

#: name -> (index, number of shapes, location-scale?, number of sums)
FAMILIES = {
    FM_FAMILIES[i].name.decode(): (i, FM_FAMILIES[i].n_shapes, FM_FAMILIES[i].kind == FM_LOCSCALE,
                                   FM_FAMILIES[i].n_sums)
    for i in range(FM_N_FAMILIES)
}


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
