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
ndtr, log_ndtr, ndtr_ratio, log_ndtr_derivs
    Standard normal cdf, its log, and the inverse Mills ratio.
owens_t
    Owen's T function.
log_gammainc, log_betainc, log_vonmises_cdf
    Logs of the regularized incomplete gamma and beta functions and of the
    von Mises cdf, with derivatives in all arguments (``src/_special_cdf.h``).
log_diff_exp
    ``log(exp(hi) - exp(lo))`` with its gradient and Hessian.

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
from _special cimport (fm_log_betainc, fm_log_diff_exp, fm_log_gammainc, fm_log_ndtr,
                       fm_log_ndtr_derivs, fm_log_vonmises_cdf, fm_ndtr, fm_ndtr_ratio,
                       fm_owens_t)

ctypedef double (*unary_fn)(double) noexcept nogil
ctypedef double (*binary_fn)(double, double) noexcept nogil


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


cdef object _map_binary(binary_fn f, x, y):
    xa, ya = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    xf = np.ascontiguousarray(xa).reshape(-1)
    yf = np.ascontiguousarray(ya).reshape(-1)
    out = np.empty(xf.shape[0], dtype=np.float64)
    cdef const double[::1] xv = xf
    cdef const double[::1] yv = yf
    cdef double[::1] ov = out
    cdef Py_ssize_t i, n = xv.shape[0]
    with nogil:
        for i in range(n):
            ov[i] = f(xv[i], yv[i])
    return out.reshape(xa.shape)


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
    return _map_binary(fm_xlogy, x, y)


def ndtr(x):
    """
    Standard normal cumulative distribution function.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    ndarray
        ``Phi(x)``, relative error a few ulp for ``x <= 0``.

    See Also
    --------
    scipy.special.ndtr
    """
    return _map_unary(fm_ndtr, x)


def log_ndtr(x):
    """
    Logarithm of the standard normal cdf, accurate in both tails.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    ndarray
        ``log Phi(x)``; about ``-x**2/2`` for very negative ``x`` and
        ``-Phi(-x)`` for large ``x``.

    See Also
    --------
    scipy.special.log_ndtr
    """
    return _map_unary(fm_log_ndtr, x)


def ndtr_ratio(x):
    """
    Inverse Mills ratio ``phi(x) / Phi(x)``, the derivative of ``log Phi(x)``.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    ndarray
        ``phi(x) / Phi(x)``; about ``-x`` for very negative ``x``.
    """
    return _map_unary(fm_ndtr_ratio, x)


cdef object _with_derivs(int which, tuple args, int upper, int nd, bint derivatives):
    """Broadcast ``args``, call one of the shape-derivative functions per
    element (``which``: 0 log_ndtr_derivs, 1 log_gammainc, 2 log_betainc,
    3 log_vonmises_cdf), and return the
    values and, if asked, an array of shape ``(..., nd)`` of derivatives."""
    arrs = np.broadcast_arrays(*[np.asarray(a, dtype=np.float64) for a in args])
    shape = arrs[0].shape
    flat = [np.ascontiguousarray(a).reshape(-1) for a in arrs]
    n = flat[0].shape[0]
    out = np.empty(n, dtype=np.float64)
    dout = np.empty((n if derivatives else 1, nd), dtype=np.float64)
    cdef const double[::1] x0 = flat[0]
    cdef const double[::1] x1 = flat[1] if len(flat) > 1 else flat[0]
    cdef const double[::1] x2 = flat[2] if len(flat) > 2 else flat[0]
    cdef double[::1] ov = out
    cdef double[:, ::1] dv = dout
    cdef Py_ssize_t i, m = n
    cdef double* dp
    with nogil:
        for i in range(m):
            dp = &dv[i, 0] if derivatives else NULL
            if which == 0:
                ov[i] = fm_log_ndtr_derivs(x0[i], &dv[i if derivatives else 0, 0])
            elif which == 1:
                ov[i] = fm_log_gammainc(x0[i], x1[i], upper, dp)
            elif which == 2:
                ov[i] = fm_log_betainc(x0[i], x1[i], x2[i], upper, dp)
            elif which == 3:
                ov[i] = fm_log_vonmises_cdf(x0[i], x1[i], upper, dp)
    values = out.reshape(shape)
    if not derivatives:
        return values
    return values, dout.reshape(shape + (nd,))


def log_ndtr_derivs(x):
    """
    ``log Phi(x)`` with its first and second derivative.

    Parameters
    ----------
    x : array_like
        Real argument.

    Returns
    -------
    value : ndarray
        ``log Phi(x)``.
    derivs : ndarray, shape ``x.shape + (2,)``
        ``d/dx log Phi(x)`` and ``d2/dx2 log Phi(x)``.
    """
    return _with_derivs(0, (x,), 0, 2, True)


def log_gammainc(a, x, upper=False, derivatives=True):
    """
    Log of the regularized incomplete gamma function, with derivatives.

    Parameters
    ----------
    a : array_like
        Shape, ``a > 0``.
    x : array_like
        Argument, ``x >= 0``; broadcast against ``a``.
    upper : bool, optional
        False for ``log P(a, x)`` (``scipy.special.gammainc``), True for
        ``log Q(a, x)`` (``scipy.special.gammaincc``).
    derivatives : bool, optional
        Also return the derivatives (default True).

    Returns
    -------
    value : ndarray
        ``log P(a, x)`` or ``log Q(a, x)``.
    derivs : ndarray, shape ``value.shape + (5,)``
        Derivatives of ``value`` with respect to (a, x, aa, ax, xx); only if
        ``derivatives`` is True.
    """
    return _with_derivs(1, (a, x), 1 if upper else 0, 5, derivatives)


def log_betainc(a, b, x, upper=False, derivatives=True):
    """
    Log of the regularized incomplete beta function, with derivatives.

    Parameters
    ----------
    a, b : array_like
        Shapes, ``a > 0``, ``b > 0``.
    x : array_like
        Argument in ``[0, 1]``; broadcast against ``a`` and ``b``.
    upper : bool, optional
        False for ``log I_x(a, b)`` (``scipy.special.betainc``), True for
        ``log(1 - I_x(a, b))`` (``scipy.special.betaincc``).
    derivatives : bool, optional
        Also return the derivatives (default True).

    Returns
    -------
    value : ndarray
        ``log I_x(a, b)`` or ``log(1 - I_x(a, b))``.
    derivs : ndarray, shape ``value.shape + (9,)``
        Gradient in (a, b, x), then the Hessian packed as
        (aa, ab, ax, bb, bx, xx); only if ``derivatives`` is True.
    """
    return _with_derivs(2, (a, b, x), 1 if upper else 0, 9, derivatives)


def log_diff_exp(hi, lo, g_hi, g_lo, h_hi, h_lo):
    """
    ``log(exp(hi) - exp(lo))`` with gradient and Hessian, row by row.

    The log-likelihood term of an interval-censored observation,
    ``log(F(b) - F(a))``, from ``log F(b)`` and ``log F(a)`` and their
    derivatives.

    Parameters
    ----------
    hi, lo : array_like, shape (m,)
        The two logs, ``lo < hi``.
    g_hi, g_lo : array_like, shape (m, n)
        Their gradients in n variables.
    h_hi, h_lo : array_like, shape (m, n (n + 1) / 2)
        Their Hessians, upper triangle packed row by row.

    Returns
    -------
    value : ndarray, shape (m,)
        ``log(exp(hi) - exp(lo))``; ``-inf`` where ``lo >= hi``.
    grad : ndarray, shape (m, n)
    hess : ndarray, shape (m, n (n + 1) / 2)
    """
    hi_a = np.ascontiguousarray(hi, dtype=np.float64).reshape(-1)
    lo_a = np.ascontiguousarray(lo, dtype=np.float64).reshape(-1)
    m = hi_a.shape[0]
    gh = np.ascontiguousarray(g_hi, dtype=np.float64).reshape(m, -1)
    gl = np.ascontiguousarray(g_lo, dtype=np.float64).reshape(m, -1)
    n = gh.shape[1]
    npk = n * (n + 1) // 2
    hh = np.ascontiguousarray(h_hi, dtype=np.float64).reshape(m, npk)
    hl = np.ascontiguousarray(h_lo, dtype=np.float64).reshape(m, npk)
    if lo_a.shape[0] != m or gl.shape != (m, n) or hl.shape != (m, npk):
        raise ValueError("log_diff_exp: hi, lo, gradients and Hessians must have matching rows")
    out = np.empty(m)
    g = np.zeros((m, n))
    h = np.zeros((m, npk))
    cdef const double[::1] hv = hi_a
    cdef const double[::1] lv = lo_a
    cdef const double[:, ::1] ghv = gh
    cdef const double[:, ::1] glv = gl
    cdef const double[:, ::1] hhv = hh
    cdef const double[:, ::1] hlv = hl
    cdef double[::1] ov = out
    cdef double[:, ::1] gv = g
    cdef double[:, ::1] hov = h
    cdef Py_ssize_t i, rows = m
    cdef int nn = n
    if n == 0:
        raise ValueError("log_diff_exp: at least one variable is needed")
    with nogil:
        for i in range(rows):
            ov[i] = fm_log_diff_exp(hv[i], lv[i], nn, &ghv[i, 0], &glv[i, 0], &hhv[i, 0],
                                    &hlv[i, 0], &gv[i, 0], &hov[i, 0])
    return out, g, h


def owens_t(h, a):
    """
    Owen's T function.

    Parameters
    ----------
    h, a : array_like
        Real arguments, broadcast against each other.

    Returns
    -------
    ndarray
        ``T(h, a) = 1/(2 pi) int_0^a exp(-h**2 (1 + x**2)/2) / (1 + x**2) dx``,
        absolute error ~1e-16.

    See Also
    --------
    scipy.special.owens_t
    """
    return _map_binary(fm_owens_t, h, a)


def log_vonmises_cdf(kappa, x, upper=False, derivatives=True):
    """
    Log of the von Mises cdf (or survival function), with derivatives.

    Parameters
    ----------
    kappa : array_like
        Concentration, ``0 < kappa <= 1e8``.
    x : array_like
        Angle in ``[-pi, pi]`` (location 0); broadcast against ``kappa``.
    upper : bool, optional
        False for ``log F(x)`` (``scipy.stats.vonmises.cdf``), True for
        ``log(1 - F(x))``.
    derivatives : bool, optional
        Also return the derivatives (default True).

    Returns
    -------
    value : ndarray
        ``log F(x)`` or ``log S(x)``.
    derivs : ndarray, shape ``value.shape + (5,)``
        Derivatives with respect to (kappa, x, kappa kappa, kappa x, x x);
        only if ``derivatives`` is True.
    """
    return _with_derivs(3, (kappa, x), 1 if upper else 0, 5, derivatives)
