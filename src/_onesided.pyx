"""One-pass closed-form statistics for the supports bounded at loc (rayleigh,
halfnorm, invgauss with ``loc`` fixed or at ``min(x)``).

scipy's own closed forms for these fits are a few numpy passes; fastmle's
answer is one lean pass that also checks the support (via the minimum) and
finiteness (via the sums), so that ``fit(x, floc=0)`` costs what one
memory-bound sweep costs. Unweighted chunks only: weighted data take the
validating path.
"""
from cython cimport floating
from libc.math cimport isfinite, INFINITY

from _common cimport Chunk, block_fn, chunk_of, sum_chunk, sum_moments


cdef void _sq_loop(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                   double shift, double* out) noexcept nogil:
    cdef double s1 = 0.0, s2 = 0.0, vmin = INFINITY
    sum_moments(x, stride, start, stop, shift, &s1, &s2, &vmin)
    out[0] = <double>(stop - start)
    out[1] = s1
    out[2] = s2
    out[3] = vmin


cdef void _sq_block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                    Py_ssize_t start, Py_ssize_t stop, const double* params,
                    double* out) noexcept nogil:
    if is_f32:
        _sq_loop(<const float*>x, stride, start, stop, params[0], out)
    else:
        _sq_loop(<const double*>x, stride, start, stop, params[0], out)


def min_and_square_sums(x, double shift, int n_threads=1):
    """``(n, sum(x - shift), sum((x - shift)**2), min(x))`` of an unweighted
    chunk in one pass, or None if the data contain NaN or infinite values."""
    cdef Chunk c = chunk_of(x)
    cdef double p[1]
    cdef double s[4]
    if c.n == 0:
        return None
    p[0] = shift
    sum_chunk(<block_fn>_sq_block, c, NULL, p, 4, 3, s, n_threads)
    if not (isfinite(s[1]) and isfinite(s[2]) and isfinite(s[3])):
        return None
    return s[0], s[1], s[2], s[3]


cdef void _inv_loop(const floating* x, Py_ssize_t stride, Py_ssize_t start, Py_ssize_t stop,
                    double shift, double* out) noexcept nogil:
    # two interleaved lanes: the loop is otherwise bound by the latency of
    # one chain of additions (as sum_moments); the division sets the pace
    cdef double a1 = 0.0, b1 = 0.0, a2 = 0.0, b2 = 0.0
    cdef double ai = 0.0, bi = 0.0, ai2 = 0.0, bi2 = 0.0
    cdef double lo = INFINITY, lo1 = INFINITY
    cdef double v0, v1, d0, d1, r0, r1
    cdef Py_ssize_t i = start
    while i + 1 < stop:
        v0 = <double>x[i * stride]
        v1 = <double>x[(i + 1) * stride]
        lo = v0 if v0 < lo else lo
        lo1 = v1 if v1 < lo1 else lo1
        d0 = v0 - shift
        d1 = v1 - shift
        r0 = 1.0 / d0
        r1 = 1.0 / d1
        a1 += d0
        b1 += d1
        a2 += d0 * d0
        b2 += d1 * d1
        ai += r0
        bi += r1
        ai2 += r0 * r0
        bi2 += r1 * r1
        i += 2
    if i < stop:
        v0 = <double>x[i * stride]
        lo = v0 if v0 < lo else lo
        d0 = v0 - shift
        r0 = 1.0 / d0
        a1 += d0
        a2 += d0 * d0
        ai += r0
        ai2 += r0 * r0
    out[0] = <double>(stop - start)
    out[1] = a1 + b1
    out[2] = a2 + b2
    out[3] = ai + bi
    out[4] = ai2 + bi2
    out[5] = lo1 if lo1 < lo else lo


cdef void _inv_block(const void* x, Py_ssize_t stride, bint is_f32, const double* w,
                     Py_ssize_t start, Py_ssize_t stop, const double* params,
                     double* out) noexcept nogil:
    if is_f32:
        _inv_loop(<const float*>x, stride, start, stop, params[0], out)
    else:
        _inv_loop(<const double*>x, stride, start, stop, params[0], out)


def power_sums(x, double shift, int n_threads=1):
    """``(n, sum d, sum d**2, sum 1/d, sum 1/d**2, min(x))`` with ``d = x -
    shift`` for an unweighted chunk in one pass, or None if the data contain
    NaN or infinite values (an observation equal to ``shift`` also gives
    None; one below it gives finite sums and ``min(x) < shift``)."""
    cdef Chunk c = chunk_of(x)
    cdef double p[1]
    cdef double s[6]
    cdef int j
    if c.n == 0:
        return None
    p[0] = shift
    sum_chunk(<block_fn>_inv_block, c, NULL, p, 6, 5, s, n_threads)
    for j in range(1, 6):
        if not isfinite(s[j]):
            return None
    return s[0], s[1], s[2], s[3], s[4], s[5]
