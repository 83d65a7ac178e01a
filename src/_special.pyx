"""
Special functions of the fastmle kernels, vectorized for testing.

The functions themselves are C inline functions in ``src/_special.h``,
callable without the GIL from Cython (``from _special cimport fm_digamma``).
This module wraps each of them in a NumPy loop so that they can be compared
with :mod:`scipy.special`.

Functions
---------
lgamma
    Logarithm of the absolute value of the gamma function.
digamma
    Logarithmic derivative of the gamma function.
trigamma
    Derivative of the digamma function.
log1pexp
    ``log(1 + exp(x))`` without overflow.
xlogy
    ``x * log(y)``, zero when ``x == 0``.

Notes
-----
All functions take array-likes, convert them with
``np.asarray(x, dtype=np.float64)`` and return a new float64 ndarray of the
same shape (a 0-d array for a scalar input).  Poles, infinities and nan are
treated as in :mod:`scipy.special`.
"""
import numpy as np

# The extension is built as fastmle._special from src/, so Cython does not
# pick up src/_special.pxd as this module's own .pxd; cimport it explicitly
# (it only holds extern declarations: no run-time import is generated).
from _special cimport fm_digamma, fm_lgamma, fm_log1pexp, fm_log_minus_digamma, fm_trigamma, fm_xlogy

ctypedef double (*unary_fn)(double) noexcept nogil


cdef object _map_unary(unary_fn f, x):
    arr = np.asarray(x, dtype=np.float64)
    flat = np.ascontiguousarray(arr).reshape(-1)
    out = np.empty(flat.shape[0], dtype=np.float64)
    cdef const double[::1] xv = flat
    cdef double[::1] ov = out
    cdef Py_ssize_t i, n = xv.shape[0]
    with nogil:
        for i in range(n):
            ov[i] = f(xv[i])
    return out.reshape(arr.shape)


def lgamma(x):
    """
    Logarithm of the absolute value of the gamma function.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    ndarray
        ``log|Gamma(x)|``; ``inf`` at the poles ``0, -1, -2, ...``.

    See Also
    --------
    scipy.special.gammaln
    """
    return _map_unary(fm_lgamma, x)


def digamma(x):
    """
    Digamma function, the logarithmic derivative of the gamma function.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    ndarray
        ``psi(x)``; ``-inf`` at ``+0``, ``+inf`` at ``-0``, ``nan`` at the
        negative integers.

    See Also
    --------
    scipy.special.psi
    """
    return _map_unary(fm_digamma, x)


def log_minus_digamma(x):
    """
    ``log(x) - digamma(x)`` for ``x > 0``, without cancellation for large x.

    Parameters
    ----------
    x : array_like
        Positive argument.

    Returns
    -------
    ndarray
        About ``1/(2x)`` for large ``x``; ``nan`` for ``x <= 0``.
    """
    return _map_unary(fm_log_minus_digamma, x)


def trigamma(x):
    """
    Trigamma function, the derivative of the digamma function.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    ndarray
        ``psi'(x)``; ``inf`` at the poles ``0, -1, -2, ...``.

    See Also
    --------
    scipy.special.polygamma : ``polygamma(1, x)``.
    """
    return _map_unary(fm_trigamma, x)


def log1pexp(x):
    """
    Compute ``log(1 + exp(x))`` without overflow or cancellation.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    ndarray
        ``log(1 + exp(x))``, the same as ``numpy.logaddexp(0, x)``.
    """
    return _map_unary(fm_log1pexp, x)


def xlogy(x, y):
    """
    Compute ``x * log(y)``, defined as 0 when ``x == 0``.

    Parameters
    ----------
    x, y : array_like
        Real arguments, broadcast against each other.

    Returns
    -------
    ndarray
        ``x * log(y)``, or 0 where ``x == 0`` and ``y`` is not nan.

    See Also
    --------
    scipy.special.xlogy
    """
    xa, ya = np.broadcast_arrays(np.asarray(x, dtype=np.float64),
                                 np.asarray(y, dtype=np.float64))
    shape = xa.shape
    xf = np.ascontiguousarray(xa).reshape(-1)
    yf = np.ascontiguousarray(ya).reshape(-1)
    out = np.empty(xf.shape[0], dtype=np.float64)
    cdef const double[::1] xv = xf
    cdef const double[::1] yv = yf
    cdef double[::1] ov = out
    cdef Py_ssize_t i, n = xv.shape[0]
    with nogil:
        for i in range(n):
            ov[i] = fm_xlogy(xv[i], yv[i])
    return out.reshape(shape)
