"""Regression kernel: one OpenMP pass over the rows of X per Newton iteration.

``glm_pass`` returns the log-likelihood, the gradient ``X^T (w g)`` and the
negative Hessian ``X^T diag(w h) X`` of a Logit, Poisson, NB2 or Gaussian
model at ``beta`` (formulas and block layout in ``src/_glm.h``).

Determinism: the rows are cut into blocks whose size depends only on
``(n, p)``; each block is summed serially into its own partial row and the
partial rows are combined pairwise in an order fixed by the number of
blocks (``_common.combine_blocks``). Any thread count gives the same bits.

``glm_rows`` is the first half of the alternative measured against it
("BLAS on row blocks": per-row weights here, then numpy matmul on blocks of
rows); see ``fastmle/regression/_kernel.py``.
"""
cimport numpy as cnp
from cython.parallel cimport prange, threadid
from libc.stdlib cimport malloc, free

import numpy as np

from _common cimport combine_blocks, init_vecmath

cnp.import_array()
init_vecmath()

cdef extern from "_glm.h" nogil:
    ctypedef struct fm_glm_problem:
        const char* X
        Py_ssize_t rs, cs
        int is_f32
        Py_ssize_t n, p, q
        int intercept
        Py_ssize_t const_col
        const double* y
        const double* w
        const double* off
        const double* beta
        int family
        double alpha
        int need
    Py_ssize_t fm_glm_row_len(Py_ssize_t q) noexcept
    void fm_glm_block(const fm_glm_problem* P, Py_ssize_t start, Py_ssize_t stop, double* scratch,
                      Py_ssize_t m, double* out) noexcept
    void fm_glm_rows(const fm_glm_problem* P, Py_ssize_t start, Py_ssize_t stop, double* scratch,
                     Py_ssize_t m, double* g_out, double* h_out, double* sums) noexcept
    int FM_LOGIT, FM_POISSON, FM_NB2, FM_GAUSSIAN, FM_GLM_NS

FAMILIES = {"logit": FM_LOGIT, "poisson": FM_POISSON, "nb2": FM_NB2, "gaussian": FM_GAUSSIAN}

cdef enum:
    # rows per block: at least this many ...
    MIN_BLOCK_ROWS = 4096
    # ... and at most this many doubles of partial rows in all (16 MiB): for
    # wide X the blocks grow instead of the scratch
    MAX_PARTIAL = 2 * 1024 * 1024
    # each thread gets at least this many blocks (waking a thread costs more
    # than summing a few thousand rows)
    MIN_BLOCKS_PER_THREAD = 2


cdef inline Py_ssize_t _sub_rows(Py_ssize_t q) noexcept nogil:
    # rows per sub-block: two m x q buffers of ~64 KiB each (L2), at least 32
    # rows so that a 4x4 tile of H is re-read once per 32 rows, not per 8
    # (measured single-threaded, 2e7 values of X: p = 400 285 ms against
    # 340 ms with 8 rows; p = 1000 700 against 943; p = 20, 100 unchanged)
    cdef Py_ssize_t m = 8192 // q
    return 32 if m < 32 else (128 if m > 128 else m)


cdef int _problem(fm_glm_problem* P, cnp.ndarray X, const double[::1] y, w, off, const double[::1] beta,
                  str family, double alpha, int need, bint intercept, Py_ssize_t const_col=-1) except -1:
    cdef const double[::1] wv
    cdef const double[::1] ov
    if X.ndim != 2 or X.dtype.num not in (cnp.NPY_DOUBLE, cnp.NPY_FLOAT):
        raise TypeError("X must be a 2-D float32 or float64 array")
    P.n = X.shape[0]
    P.intercept = intercept
    P.p = X.shape[1] + P.intercept
    if const_col >= P.p:
        raise ValueError("const_col out of range")
    P.const_col = const_col
    P.q = (P.p + 3) // 4 * 4
    P.X = <const char*>cnp.PyArray_DATA(X)
    P.rs = X.strides[0]
    P.cs = X.strides[1]
    P.is_f32 = X.dtype.num == cnp.NPY_FLOAT
    if y.shape[0] != P.n:
        raise ValueError("y and X have different numbers of rows")
    if beta.shape[0] != P.q:
        raise ValueError("beta must be zero-padded to a multiple of 4")
    P.y = &y[0] if P.n > 0 else NULL
    P.w = NULL
    P.off = NULL
    if w is not None:
        wv = w
        if wv.shape[0] != P.n:
            raise ValueError("weights and X have different numbers of rows")
        P.w = &wv[0] if P.n > 0 else NULL
    if off is not None:
        ov = off
        if ov.shape[0] != P.n:
            raise ValueError("offset and X have different numbers of rows")
        P.off = &ov[0] if P.n > 0 else NULL
    P.beta = &beta[0] if P.q > 0 else NULL
    P.family = FAMILIES[family]
    P.alpha = alpha
    P.need = need
    return 0


def block_rows(Py_ssize_t n, Py_ssize_t p):
    """Rows per block for an ``n x p`` problem (a function of the shape only)."""
    cdef Py_ssize_t q = (p + 3) // 4 * 4
    cdef Py_ssize_t L = fm_glm_row_len(q)
    cdef Py_ssize_t max_blocks = max(1, MAX_PARTIAL // L)
    return max(MIN_BLOCK_ROWS, (n + max_blocks - 1) // max_blocks)


def glm_pass(cnp.ndarray X, const double[::1] y, w, off, beta, str family, double alpha=0.0,
             int need=2, int n_threads=1, bint intercept=False, Py_ssize_t const_col=-1):
    """Log-likelihood and derivatives of a regression model at ``beta``.

    Parameters
    ----------
    X : ndarray
        2-D float32/float64, any strides (read in place). Checked finite by
        the caller.
    y : ndarray
        Contiguous float64 response (valid for the family).
    w, off : ndarray or None
        Contiguous float64 weights and offset (log exposure included).
    beta : ndarray
        Coefficients, length p.
    family : {"logit", "poisson", "nb2", "gaussian"}
    alpha : float
        NB2 dispersion.
    need : {0, 1, 2}
        0: log-likelihood only; 1: and the gradient; 2: and the Hessian.
    n_threads : int
    intercept : bool
        Column 0 of the model is an implicit constant 1 (``beta[0]`` its
        coefficient) and ``X`` holds the other columns: a fit_intercept
        without copying ``X``.
    const_col : int
        If >= 0, also count the rows whose model column ``const_col`` is not
        1 (verifying a constant column while the rows are loaded anyway).

    Returns
    -------
    scalars : ndarray
        ``[ll, dll/dalpha, d2ll/dalpha2, saturated rows, rows where column
        const_col is not 1]`` (no data-only constants in ll).
    grad : ndarray (p,)
    cross : ndarray (p,)
        NB2: ``d2 ll / d beta d alpha``; zeros otherwise.
    neg_hess : ndarray (p, p)
        ``X^T diag(w h) X`` (zeros unless ``need == 2``).
    """
    cdef fm_glm_problem P
    cdef Py_ssize_t p = (X.shape[1] if X.ndim == 2 else 0) + intercept
    cdef Py_ssize_t q = (p + 3) // 4 * 4
    bpad = np.zeros(q)
    bpad[:p] = beta
    cdef const double[::1] bv = bpad
    _problem(&P, X, y, w, off, bv, family, alpha, need, intercept, const_col)
    cdef Py_ssize_t L = fm_glm_row_len(q)
    cdef Py_ssize_t R = block_rows(P.n, p)
    cdef Py_ssize_t nb = (P.n + R - 1) // R
    cdef Py_ssize_t m = _sub_rows(q)
    cdef Py_ssize_t S = 2 * m * q + 5 * m
    cdef Py_ssize_t b, start, stop, tid
    cdef double[::1] outv = np.zeros(L)
    if P.n == 0:
        return _unpack(np.asarray(outv), p, q)
    n_threads = max(1, min(n_threads, nb // MIN_BLOCKS_PER_THREAD))
    cdef double* partial = <double*>malloc(nb * L * sizeof(double))
    cdef double* scratch = <double*>malloc(n_threads * S * sizeof(double))
    if partial == NULL or scratch == NULL:
        free(partial)
        free(scratch)
        raise MemoryError("fastmle: cannot allocate regression kernel scratch space")
    try:
        with nogil:
            for b in prange(nb, schedule="dynamic", chunksize=1, num_threads=n_threads):
                tid = threadid()
                start = b * R
                stop = min(start + R, P.n)
                fm_glm_block(&P, start, stop, scratch + tid * S, m, partial + b * L)
            combine_blocks(partial, nb, L, L, &outv[0])
    finally:
        free(partial)
        free(scratch)
    return _unpack(np.asarray(outv), p, q)


def _unpack(out, Py_ssize_t p, Py_ssize_t q):
    ns = FM_GLM_NS
    scalars = out[:ns].copy()
    grad = out[ns:ns + p].copy()
    cross = out[ns + q:ns + q + p].copy()
    H = out[ns + 2 * q:].reshape(q, q)[:p, :p]
    # only the upper block triangle was summed: mirror it
    upper = np.triu(H)
    neg_hess = upper + np.triu(H, 1).T
    return scalars, grad, cross, neg_hess


def glm_rows(cnp.ndarray X, const double[::1] y, w, off, beta, str family, double alpha=0.0,
             int n_threads=1, bint intercept=False):
    """Per-row ``w g`` and ``w h`` (and the log-likelihood) without any product.

    The first half of the "BLAS on row blocks" pass that wide designs use
    (``fastmle/regression/_kernel.py``). Deterministic like ``glm_pass``.

    Returns
    -------
    ll : float
    saturated : float
        Logit rows fitted with probability exactly 0 or 1.
    g, h : ndarray (n,)
    """
    cdef fm_glm_problem P
    cdef Py_ssize_t p = (X.shape[1] if X.ndim == 2 else 0) + intercept
    cdef Py_ssize_t q = (p + 3) // 4 * 4
    bpad = np.zeros(q)
    bpad[:p] = beta
    cdef const double[::1] bv = bpad
    _problem(&P, X, y, w, off, bv, family, alpha, 1, intercept)
    cdef Py_ssize_t R = MIN_BLOCK_ROWS
    cdef Py_ssize_t nb = (P.n + R - 1) // R
    cdef Py_ssize_t m = _sub_rows(q)
    cdef Py_ssize_t b, start, stop, tid
    g = np.empty(P.n)
    h = np.empty(P.n)
    cdef double[::1] gv = g
    cdef double[::1] hv = h
    cdef double[::1] llv = np.zeros(2 * max(nb, 1))
    if P.n == 0:
        return 0.0, 0.0, g, h
    n_threads = max(1, min(n_threads, nb // MIN_BLOCKS_PER_THREAD))
    cdef Py_ssize_t S = m * q + 3 * m
    cdef double* scratch = <double*>malloc(n_threads * S * sizeof(double))
    if scratch == NULL:
        raise MemoryError("fastmle: cannot allocate regression kernel scratch space")
    try:
        with nogil:
            for b in prange(nb, schedule="dynamic", chunksize=1, num_threads=n_threads):
                tid = threadid()
                start = b * R
                stop = min(start + R, P.n)
                fm_glm_rows(&P, start, stop, scratch + tid * S, m, &gv[0], &hv[0], &llv[2 * b])
            combine_blocks(&llv[0], nb, 2, 2, &llv[0])
    finally:
        free(scratch)
    return float(llv[0]), float(llv[1]), g, h
