"""One kernel pass: our blocked symmetric product, or BLAS on row blocks for wide X.

Both compute the log-likelihood, ``X^T (w g)`` and ``X^T diag(w h) X``.
Measured on this 2-core machine (single-threaded CPU time, logit, n*p = 2e7,
medians of 3, load average ~5 on 2 cores, OPENBLAS_NUM_THREADS=1):

    p        20    100   200   400   1000
    ours     50     95   158   293    747   ms  (src/_glm.h, 4x4 tiles)
    BLAS     85    101   116   167    335   ms  (row pass + syrk on blocks)
    X.T@X    29     53    72   121    253   ms  (the floor)

so designs with at least ``BLAS_MIN_P`` columns take the BLAS route: the
kernel's row pass (``glm_rows``: per-row ``w g``, ``w h``, in parallel and
deterministic) and then, block by block of rows in a fixed order,
``Z = sqrt(w h) X_b`` and ``H += Z^T Z`` -- numpy recognizes ``Z.T @ Z`` and
calls BLAS's symmetric rank-k update (half the flops of a general product).
Its result is as deterministic as the BLAS (OpenBLAS splits the output, not
the sum, between its threads). NB2 (which also needs the alpha derivatives)
always uses our kernel.

Caveat measured on the shared machine (load ~5 on 2 cores, p = 500,
n = 5e4, one pass): BLAS route 2.4 s with OpenBLAS's default threads
(they spin while other processes hold the cores; ``X.T @ X`` alone took
1.5 s), 0.39 s with ``OPENBLAS_NUM_THREADS=1``; our kernel 0.70 s either way
(its OpenMP threads wait passively). On a busy machine set
``OPENBLAS_NUM_THREADS=1``. For wide designs ``fit(method="lbfgs")`` needs
one Hessian pass in all (for the covariance) instead of one per iteration.
"""
import numpy as np

from .. import _glm

__all__ = ["glm_pass", "BLAS_MIN_P"]

BLAS_MIN_P = 160
# rows per BLAS block: a 2 MiB scratch Z
_BLOCK_VALUES = 1 << 18


def glm_pass(X, y, w, off, beta, family, alpha, need, n_threads, intercept, const_col=-1):
    """``(scalars, grad, cross, neg_hess)`` as ``fastmle._glm.glm_pass`` returns them."""
    p = X.shape[1] + intercept
    if need < 2 or p < BLAS_MIN_P or family == "nb2":
        return _glm.glm_pass(X, y, w, off, beta, family, alpha, need, n_threads, intercept, const_col)
    ll, nsat, g, h = _glm.glm_rows(X, y, w, off, beta, family, alpha, n_threads, intercept)
    n = X.shape[0]
    grad = np.empty(p)
    grad[intercept:] = X.T @ g
    H = np.zeros((p, p))
    Hx = H[intercept:, intercept:]
    sh = np.sqrt(h)   # h >= 0 for every family here (weights are non-negative)
    B = max(64, _BLOCK_VALUES // max(p, 1))
    for s in range(0, n, B):
        Z = X[s:s + B] * sh[s:s + B, None]
        Hx += Z.T @ Z
        if intercept:
            H[0, 1:] += sh[s:s + B] @ Z
    if intercept:
        grad[0] = g.sum()
        H[0, 0] = h.sum()
        H[1:, 0] = H[0, 1:]
    nonconst = 0.0
    if const_col >= 0:
        col = X[:, const_col - intercept] if const_col >= intercept else None
        nonconst = 0.0 if col is None else float(np.count_nonzero(col != 1.0))
    scalars = np.array([ll, 0.0, 0.0, nsat, nonconst])
    return scalars, grad, np.zeros(p), H
