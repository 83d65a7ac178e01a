# cython: language_level=3
"""Shared pieces of every kernel: the block size and the deterministic reduction.

Every kernel cuts its chunk into blocks of ``BLOCK`` observations. Each block
is summed serially into its own row of a ``(n_blocks, k)`` scratch array (the
blocks are shared out among threads by ``prange``), and the rows are then
combined pairwise in an order that depends only on ``n_blocks``. The result is
therefore bitwise identical for any number of threads, and the pairwise tree
keeps the rounding error of the block combination at O(log n_blocks) ulps.
"""

cimport numpy as cnp
from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport exp, fabs, log
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy

cdef extern from "_vecmath.h" nogil:
    ctypedef void (*fm_loop_fn)(char** args, const Py_ssize_t* dims, const Py_ssize_t* steps,
                                void* data) noexcept
    void fm_set_log_loop(fm_loop_fn fn, void* data) noexcept
    void fm_set_exp_loop(fm_loop_fn fn, void* data) noexcept
    int fm_have_simd_log() noexcept
    int fm_have_simd_exp() noexcept
    void fm_vlog(double* x, Py_ssize_t n) noexcept
    void fm_vlog_to(const double* x, double* out, Py_ssize_t n) noexcept
    void fm_vexp(double* x, Py_ssize_t n) noexcept

cdef extern from "_lane_sums.h" nogil:
    void fm_moments_f64(const double* x, Py_ssize_t stride, Py_ssize_t n, double shift,
                        double* s1, double* s2, double* vmin) noexcept
    void fm_moments_f32(const float* x, Py_ssize_t stride, Py_ssize_t n, double shift,
                        double* s1, double* s2, double* vmin) noexcept
    void fm_range_f64(const double* x, Py_ssize_t stride, Py_ssize_t n,
                      double* lo, double* hi, double* zero) noexcept
    void fm_range_f32(const float* x, Py_ssize_t stride, Py_ssize_t n,
                      double* lo, double* hi, double* zero) noexcept
    int fm_log_sums_f64(const double* x, Py_ssize_t stride, Py_ssize_t n, double shift,
                        double* sum_y, double* sum_log_y) noexcept
    int fm_log_sums_f32(const float* x, Py_ssize_t stride, Py_ssize_t n, double shift,
                        double* sum_y, double* sum_log_y) noexcept

cdef extern from "_openmp_helpers.h" nogil:
    int fm_openmp_enabled() noexcept
    int fm_omp_max_threads() noexcept

cdef enum:
    BLOCK = 4096
    # Waking a sleeping thread team (OMP_WAIT_POLICY=PASSIVE) costs ~0.1 ms,
    # more than summing a few blocks: measured at N = 1e5, a 2-thread norm
    # fit took 0.21 ms against 0.10 ms for scipy. Each thread therefore gets
    # at least this many blocks (64k observations), and smaller chunks run on
    # one thread. Results do not depend on the thread count either way.
    MIN_BLOCKS_PER_THREAD = 16
    # block rows of chunks up to STACK_BLOCKS blocks live on the stack
    STACK_BLOCKS = 8
    MAX_K = 16
    # kernels that call fm_vlog / fm_vexp work through a block in sub-blocks
    # of this many values held in stack buffers (8 KiB each)
    SUB = 1024


cdef inline void load_shifted(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t m,
                              double shift, double* y) noexcept nogil:
    """``y[i] = x[start + i] - shift`` for ``i < m``, widened to double (any stride)."""
    cdef Py_ssize_t i
    if stride == 1:
        for i in range(m):
            y[i] = <double>x[start + i] - shift
    else:
        for i in range(m):
            y[i] = <double>x[(start + i) * stride] - shift


cdef inline void load_shifted_log(const floating* x, Py_ssize_t stride, Py_ssize_t start,
                                  Py_ssize_t m, double shift, double* y, double* log_y) noexcept nogil:
    """``y = x[start:start+m] - shift`` (widened to double) and ``log_y = log(y)``,
    the log through one vectorized call (see _vecmath.h)."""
    load_shifted(x, stride, start, m, shift, y)
    fm_vlog_to(y, log_y, m)


cdef inline void sum_moments(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                             double shift, double* s1, double* s2, double* vmin) noexcept nogil:
    """Unweighted ``sum(x - shift)``, ``sum((x - shift)**2)`` and ``min(x)`` over a block.

    ``vmin`` holds the running minimum (of ``x`` itself, exactly) on entry and
    exit; ``s2 = NULL`` skips the squares. The sums run in 16 lanes combined in a fixed order, vectorized for
    contiguous data (see _lane_sums.h): the same bits for any stride, thread
    count or instruction set.
    """
    if floating is double:
        fm_moments_f64(x + start * stride, stride, stop - start, shift, s1, s2, vmin)
    else:
        fm_moments_f32(x + start * stride, stride, stop - start, shift, s1, s2, vmin)


cdef inline void data_range_block(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                                  double* lo, double* hi, double* zero) noexcept nogil:
    """``min(x)``, ``max(x)`` and ``sum(0 * x)`` (0 if every value is finite, else NaN) over a block."""
    if floating is double:
        fm_range_f64(x + start * stride, stride, stop - start, lo, hi, zero)
    else:
        fm_range_f32(x + start * stride, stride, stop - start, lo, hi, zero)


cdef inline bint sum_y_and_log_y(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                                 double shift, double* sum_y, double* sum_log_y) noexcept nogil:
    """Unweighted ``sum(y)`` and ``sum(log y)``, ``y = x - shift``, over a block without a
    log per value (see _lane_sums.h); False if some ``y`` is outside ``[2**-60, 2**60]``
    or NaN, and then the caller takes the logs itself."""
    if floating is double:
        return fm_log_sums_f64(x + start * stride, stride, stop - start, shift, sum_y, sum_log_y)
    else:
        return fm_log_sums_f32(x + start * stride, stride, stop - start, shift, sum_y, sum_log_y)


cdef inline Py_ssize_t n_blocks_for(Py_ssize_t n) noexcept nogil:
    return (n + BLOCK - 1) // BLOCK


cdef inline void combine_blocks(double* partial, Py_ssize_t nblocks, Py_ssize_t k,
                                Py_ssize_t k_sum, double* out) noexcept nogil:
    """Pairwise (tree) combination of the rows of ``partial`` into ``out``.

    Columns ``[0, k_sum)`` are summed, columns ``[k_sum, k)`` take the
    minimum (a maximum is kept as the minimum of its negation). Overwrites
    ``partial``.
    """
    cdef Py_ssize_t width = 1, b, j
    cdef double* row
    cdef double* other
    while width < nblocks:
        b = 0
        while b + width < nblocks:
            row = partial + b * k
            other = partial + (b + width) * k
            for j in range(k_sum):
                row[j] += other[j]
            for j in range(k_sum, k):
                if other[j] < row[j]:
                    row[j] = other[j]
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


cdef struct Chunk:
    const void* ptr        # first element (NULL if empty)
    Py_ssize_t n
    Py_ssize_t stride      # in elements, may be negative
    bint is_f32


cdef inline Chunk chunk_of(x) except *:
    """Pointer, length and stride of a 1-D float32/float64 array, without a copy.

    The pointer stays valid while the caller holds ``x``.
    """
    cdef const double[:] xd
    cdef const float[:] xf
    cdef Chunk c
    c.n = x.shape[0]
    c.ptr = NULL
    c.stride = 1
    c.is_f32 = x.dtype.itemsize == 4
    if c.n == 0:
        return c
    if c.is_f32:
        xf = x
        c.ptr = &xf[0]
        c.stride = xf.strides[0] // <Py_ssize_t>sizeof(float)
    else:
        xd = x
        c.ptr = &xd[0]
        c.stride = xd.strides[0] // <Py_ssize_t>sizeof(double)
    return c


cdef inline double first_value(Chunk c) noexcept nogil:
    if c.is_f32:
        return (<const float*>c.ptr)[0]
    return (<const double*>c.ptr)[0]


cdef inline int sum_chunk(block_fn fn, Chunk c, const double* w, const double* params,
                          Py_ssize_t k, Py_ssize_t k_sum, double* out, int n_threads) except -1:
    """Run ``fn`` over every block of ``c`` (in parallel) and combine into ``out[0:k]``.

    Small chunks use a stack buffer for the block rows, larger ones one
    allocation made (and checked) before the parallel region.
    """
    cdef double stack_rows[STACK_BLOCKS * MAX_K]
    cdef double* partial = stack_rows
    cdef Py_ssize_t nb = n_blocks_for(c.n), b, start, stop, j
    if c.n == 0:
        for j in range(k):
            out[j] = 0.0
        return 0
    if nb > STACK_BLOCKS or k > MAX_K:
        partial = <double*>malloc(nb * k * sizeof(double))
        if partial == NULL:
            raise MemoryError("fastmle: cannot allocate kernel scratch space")
    n_threads = max(1, min(n_threads, nb // MIN_BLOCKS_PER_THREAD))
    with nogil:
        if n_threads == 1:
            # no parallel region at all: entering one costs ~1 us, half the
            # time of a 100-row kernel call
            for b in range(nb):
                fn(c.ptr, c.stride, c.is_f32, w, b * BLOCK, min(b * BLOCK + BLOCK, c.n), params,
                   partial + b * k)
        else:
            for b in prange(nb, schedule="dynamic", chunksize=4, num_threads=n_threads):
                start = b * BLOCK
                stop = min(start + BLOCK, c.n)
                fn(c.ptr, c.stride, c.is_f32, w, start, stop, params, partial + b * k)
        combine_blocks(partial, nb, k, k_sum, out)
    if partial != stack_rows:
        free(partial)
    return 0


cdef inline object run_blocks(block_fn fn, x, w, const double[::1] params, Py_ssize_t k,
                              int n_threads, Py_ssize_t k_sum=-1):
    """Apply ``fn`` to every block of ``x`` in parallel; return the k combined values.

    ``x`` is a 1-D float32/float64 ndarray (any stride, read-only allowed) and
    ``w`` None or a contiguous float64 array of the same length; the Python
    layer has checked both. The first ``k_sum`` columns (default all) are
    sums, the rest minima. Returns a float64 ndarray of shape (k,).
    """
    import numpy as np
    cdef const double[::1] wv
    cdef const double* wp = NULL
    cdef Chunk c = chunk_of(x)
    cdef double[::1] out = np.empty(k)
    if w is not None:
        wv = w
        if wv.shape[0] != c.n:
            raise ValueError("weights and data have different lengths")
        if c.n > 0:
            wp = &wv[0]
    sum_chunk(fn, c, wp, &params[0] if params.shape[0] > 0 else NULL, k,
              k if k_sum < 0 else k_sum, &out[0], n_threads)
    return np.asarray(out)


cdef inline int _take_loop(ufunc_obj, bint is_log) except -1:
    """Find ``ufunc_obj``'s float64 -> float64 inner loop and install it if it
    agrees with libm to a few ulps on a test vector (else keep libm)."""
    cdef cnp.ufunc u = ufunc_obj
    cdef int i, j
    cdef double probe[64]
    cdef double want[64]
    cdef char* args[2]
    cdef Py_ssize_t dims[1]
    cdef Py_ssize_t steps[2]
    cdef fm_loop_fn fn
    for i in range(u.ntypes):
        if u.nin == 1 and u.nout == 1 and u.types[2 * i] == cnp.NPY_DOUBLE and u.types[2 * i + 1] == cnp.NPY_DOUBLE:
            fn = <fm_loop_fn>u.functions[i]
            for j in range(64):
                probe[j] = (0.37 + 1.91 * j) * (1e-3 if j % 2 else 3.0) if is_log else -30.0 + 0.97 * j
                want[j] = log(probe[j]) if is_log else exp(probe[j])
            args[0] = <char*>probe
            args[1] = <char*>probe
            dims[0] = 64
            steps[0] = sizeof(double)
            steps[1] = sizeof(double)
            fn(args, dims, steps, u.data[i])
            for j in range(64):
                if not fabs(probe[j] - want[j]) <= 4.0 * 2.220446049250313e-16 * fabs(want[j]):
                    return 0
            if is_log:
                fm_set_log_loop(fn, u.data[i])
            else:
                fm_set_exp_loop(fn, u.data[i])
            return 1
    return 0


cdef inline int init_vecmath() except -1:
    """Install numpy's SIMD log/exp loops for this module's kernels."""
    import numpy as np
    cnp.import_array()
    cnp.import_ufunc()
    _take_loop(np.log, True)
    _take_loop(np.exp, False)
    return 0
