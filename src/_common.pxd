# cython: language_level=3
"""Shared pieces of every kernel: the block size and the deterministic reduction.

Every kernel cuts its chunk into blocks of ``BLOCK`` observations. Each block
is summed serially into its own row of a ``(n_blocks, k)`` scratch array (the
blocks are shared out among threads by ``prange``), and the rows are then
combined pairwise in an order that depends only on ``n_blocks``. The result is
therefore bitwise identical for any number of threads, and the pairwise tree
keeps the rounding error of the block combination at O(log n_blocks) ulps.
"""

from cython.parallel cimport prange

cdef extern from "_openmp_helpers.h" nogil:
    int fm_openmp_enabled() noexcept
    int fm_omp_max_threads() noexcept

cdef enum:
    BLOCK = 4096
    # Waking a thread team costs more than summing a couple of blocks, and a
    # busy-waiting team steals the core from the main thread on a loaded
    # machine; small chunks therefore run on one thread. (Results do not
    # depend on the thread count either way.)
    MIN_BLOCKS_PER_THREAD = 2


cdef inline Py_ssize_t n_blocks_for(Py_ssize_t n) noexcept nogil:
    return (n + BLOCK - 1) // BLOCK


cdef inline void combine_blocks(double* partial, Py_ssize_t nblocks, Py_ssize_t k,
                                double* out) noexcept nogil:
    """Pairwise (tree) sum of the rows of ``partial`` into ``out``; overwrites ``partial``."""
    cdef Py_ssize_t width = 1, b, j
    while width < nblocks:
        b = 0
        while b + width < nblocks:
            for j in range(k):
                partial[b * k + j] += partial[(b + width) * k + j]
            b += 2 * width
        width *= 2
    for j in range(k):
        out[j] = partial[j] if nblocks > 0 else 0.0


# A block function sums one block [start, stop) of a chunk into out[0:k].
# ``x`` is type-erased (``is_f32`` says float32 or float64) so that one driver
# serves every kernel; each block function dispatches once per block to a
# fused-type loop, never per observation.
ctypedef void (*block_fn)(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                          Py_ssize_t start, Py_ssize_t stop, const double* params,
                          double* out) noexcept nogil


cdef inline object run_blocks(block_fn fn, x, w, const double[::1] params, Py_ssize_t k,
                              int n_threads):
    """Apply ``fn`` to every block of ``x`` in parallel; return the k sums.

    ``x`` is a 1-D float32/float64 ndarray (any stride, read-only allowed) and
    ``w`` None or a contiguous float64 array of the same length; the Python
    layer has checked both. Returns a float64 ndarray of shape (k,).
    """
    import numpy as np
    cdef const double[:] xd
    cdef const float[:] xf
    cdef const double[::1] wv
    cdef const void* xp = NULL
    cdef const double* wp = NULL
    cdef Py_ssize_t n = x.shape[0], stride, b, start, stop
    cdef Py_ssize_t nb = n_blocks_for(n)
    cdef bint is_f32 = x.dtype.itemsize == 4
    cdef double[::1] partial = np.zeros(max(nb, 1) * k)
    cdef double[::1] out = np.zeros(k)
    cdef const double* pp = &params[0] if params.shape[0] > 0 else NULL
    if n == 0:
        return np.asarray(out)
    if is_f32:
        xf = x
        xp = &xf[0]
        stride = xf.strides[0] // <Py_ssize_t>sizeof(float)
    else:
        xd = x
        xp = &xd[0]
        stride = xd.strides[0] // <Py_ssize_t>sizeof(double)
    if w is not None:
        wv = w
        if wv.shape[0] != n:
            raise ValueError("weights and data have different lengths")
        wp = &wv[0]
    n_threads = max(1, min(n_threads, nb // MIN_BLOCKS_PER_THREAD))
    with nogil:
        for b in prange(nb, schedule="static", num_threads=n_threads):
            start = b * BLOCK
            stop = min(start + BLOCK, n)
            fn(xp, stride, is_f32, wp, start, stop, pp, &partial[b * k])
        combine_blocks(&partial[0], nb, k, &out[0])
    return np.asarray(out)
