"""Family kernels: per-observation densities in C (``src/families/*.h``) run
through one OpenMP block loop (``src/_family_loop.h``).

``sums(x, w, family, params)`` returns a family's additive block sums for one
chunk; ``fastmle/distributions/_family.py`` turns them into the
log-likelihood, gradient and Hessian.
"""
import numpy as np

from _common cimport block_fn, run_blocks

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
