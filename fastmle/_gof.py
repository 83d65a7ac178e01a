"""Goodness of fit of a fitted distribution: Kolmogorov-Smirnov, Anderson-Darling
and Cramér-von Mises statistics with asymptotic or parametric-bootstrap p-values.

The statistics are computed from the sorted sample and the fitted cdf of the
distribution's kernel (``log F`` and ``log S`` elementwise, accurate in both
tails, which Anderson-Darling's log terms need). Frequency weights count as
repeated observations: every formula below is written with cumulative
weights and equals the textbook one on the expanded sample.

Continuous distributions (``n`` = total weight, ``F_i`` the fitted cdf at
the i-th smallest observation, ``m_i = (i - 1/2) / n`` its mid-rank):

- ``D = max_i max(i/n - F_i, F_i - (i-1)/n)``
- ``W2 = 1/(12 n) + sum_i (F_i - m_i)^2``
- ``A2 = -n - 2 sum_i (m_i log F_i + (1 - m_i) log S_i)``

Discrete distributions: the exact ``D = sup |F_n - F|`` over the integers and
the discrete Cramér-von Mises and Anderson-Darling statistics of Choulakian,
Lockhart & Stephens (1994), ``W2 = n sum_k Z_k^2 p_k`` and
``A2 = n sum_k Z_k^2 p_k / (F_k S_k)`` with ``Z_k = F_n(k) - F(k)`` over every
integer of the support with non-negligible probability.
"""
import math
import warnings
import weakref
from collections import namedtuple
from collections.abc import Mapping

import numpy as np

from ._sampling import as_generator, sample

__all__ = ["STATISTICS", "GofTest", "GofResult", "goodness_of_fit", "kolmogorov_sf",
           "cramervonmises_sf", "andersondarling_sf"]

#: The tests, by key.
STATISTICS = ("ks", "ad", "cvm")
_NAMES = {"ks": "Kolmogorov-Smirnov", "ad": "Anderson-Darling", "cvm": "Cramér-von Mises"}

# ----------------------------------------------------------------------------
# Asymptotic null distributions (fully specified F, n -> infinity)
# ----------------------------------------------------------------------------


def kolmogorov_sf(t):
    """Survival function of the Kolmogorov distribution (``sqrt(n) D`` as n -> inf).

    ``P(K > t) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 t^2)`` for ``t >= 1``, and
    ``1 - sqrt(2 pi)/t sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 t^2))`` below, where
    each series converges fastest; the first is exact in relative terms in
    the upper tail.

    Parameters
    ----------
    t : array_like

    Returns
    -------
    ndarray or float
    """
    t = np.asarray(t, dtype=float)
    out = np.ones(t.shape)
    k = np.arange(1, 21, dtype=float)
    big = t >= 1.0
    if big.any():
        tb = t[big][..., None]
        signs = np.where(k % 2 == 1, 1.0, -1.0)
        out[big] = 2.0 * np.sum(signs * np.exp(-2.0 * k * k * tb * tb), axis=-1)
    small = (t > 0) & ~big
    if small.any():
        ts = t[small][..., None]
        with np.errstate(under="ignore"):
            cdf = math.sqrt(2 * math.pi) / ts[..., 0] * np.sum(
                np.exp(-((2 * k - 1) ** 2) * math.pi ** 2 / (8 * ts * ts)), axis=-1)
        out[small] = 1.0 - cdf
    out[np.isnan(t)] = np.nan
    return out[()] if out.ndim == 0 else out


# exp(-q) K_nu(q) = int_0^inf exp(-q (1 + cosh u)) cosh(nu u) du by the
# trapezoidal rule: the integrand is analytic in the strip |Im u| < pi/2 and
# decays doubly exponentially, so the rule converges geometrically (step 0.05:
# relative error < 1e-15 for q <= 1e3, checked against scipy.special.kv).
_BESSEL_U = np.arange(0.0, 25.0 + 1e-9, 0.05)
_BESSEL_W = np.full(_BESSEL_U.shape, 0.05)
_BESSEL_W[0] = 0.025


def _scaled_bessel_k(nu, q):
    """``exp(-q) K_nu(q)`` for ``q > 0`` (array)."""
    q = np.asarray(q, dtype=float)[..., None]
    with np.errstate(under="ignore", over="ignore"):
        f = np.exp(-q * (1.0 + np.cosh(_BESSEL_U)) + nu * _BESSEL_U) * (0.5 + 0.5 * np.exp(-2 * nu * _BESSEL_U))
    return f @ _BESSEL_W


def _cvm_cdf(x):
    """Asymptotic cdf of ``n omega^2`` (Csörgő & Faraway 1996, eq. 1.2)::

        V(x) = 1/(pi sqrt x) sum_k G(k + 1/2)/(G(1/2) k!) sqrt(4k+1) exp(-q_k) K_1/4(q_k),
        q_k = (4k + 1)^2 / (16 x).
    """
    x = np.asarray(x, dtype=float)
    total = np.zeros(x.shape)
    coef = 1.0      # G(k + 1/2) / (G(1/2) k!)
    for k in range(200):
        y = 4 * k + 1
        q = y * y / (16.0 * x)
        live = q < 750.0
        if not live.any():
            break
        total[live] += coef * math.sqrt(y) * _scaled_bessel_k(0.25, q[live]) / (math.pi * np.sqrt(x[live]))
        coef *= (k + 0.5) / (k + 1)
    return total


def _ad_cdf(z):
    """Asymptotic cdf of ``A2`` by the series of Anderson & Darling (1954)::

        A(z) = sqrt(2 pi)/z sum_j a_j (4j+1) exp(-c_j) int_0^inf exp(z/(8(w^2+1)) - c_j w^2) dw,
        a_j = (-1)^j G(j + 1/2)/(G(1/2) j!),  c_j = (4j+1)^2 pi^2 / (8 z).

    (the series Marsaglia & Marsaglia 2004 evaluate). Each integral by the
    trapezoidal rule in ``u = w sqrt(c_j)`` with a step of 0.02 in ``w``,
    fine enough for the integrand's singularities at ``w = +-i``.
    """
    total = 0.0
    a = 1.0
    for j in range(200):
        y = 4 * j + 1
        c = y * y * math.pi ** 2 / (8.0 * z)
        if c > 750.0:
            break
        s = 1.0 / math.sqrt(c)
        h = min(0.02 / s, 0.25)
        u = np.arange(0.0, 8.0 + h, h)
        f = np.exp(z / (8.0 * (s * s * u * u + 1.0)) - u * u)
        integral = s * h * (f.sum() - 0.5 * f[0])
        total += a * y * math.exp(-c) * integral
        a *= -(j + 0.5) / (j + 1)
    return math.sqrt(2 * math.pi) / z * total


# Beyond these points 1 - cdf loses its relative precision to cancellation;
# the tail is then the leading term of Q = sum_j lambda_j chi2_1 (largest
# eigenvalue lambda_1, the others in C = prod (1 - lambda_j/lambda_1)^(-1/2))
# with its 1/x correction: relative error below 1e-3 there (checked against
# Imhof's inversion of the characteristic function).
_AD_TAIL_FROM = 25.0
_CVM_TAIL_FROM = 4.0


def cramervonmises_sf(x):
    """Asymptotic survival function of the Cramér-von Mises ``n omega^2``.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    ndarray or float
        ``1 - V(x)`` (Csörgő & Faraway 1996, eq. 1.2); for ``x > 4``
        (p < 5e-10) the tail expansion
        ``2 / sqrt(pi^3 x) exp(-pi^2 x / 2) (1 - 5 / (8 pi^2 x))``.
    """
    x = np.asarray(x, dtype=float)
    out = np.ones(x.shape)
    mid = (x > 0) & (x <= _CVM_TAIL_FROM)
    if mid.any():
        out[mid] = np.clip(1.0 - _cvm_cdf(x[mid]), 0.0, 1.0)
    tail = x > _CVM_TAIL_FROM
    if tail.any():
        xt = x[tail]
        with np.errstate(under="ignore"):
            out[tail] = (2.0 / np.sqrt(math.pi ** 3 * xt) * np.exp(-math.pi ** 2 * xt / 2)
                         * (1.0 - 5.0 / (8.0 * math.pi ** 2 * xt)))
    out[np.isnan(x)] = np.nan
    return out[()] if out.ndim == 0 else out


def andersondarling_sf(z):
    """Asymptotic survival function of the Anderson-Darling ``A2``.

    Parameters
    ----------
    z : array_like

    Returns
    -------
    ndarray or float
        ``1 - A(z)`` by Anderson & Darling's (1954) series; for ``z > 25``
        (p < 3e-12) the tail expansion ``sqrt(3 / (pi z)) exp(-z) (1 - 7 / (36 z))``.
    """
    z = np.asarray(z, dtype=float)
    out = np.ones(z.shape)
    flat = out.reshape(-1)
    for i, v in enumerate(z.reshape(-1).tolist()):
        if math.isnan(v):
            flat[i] = math.nan
        elif v > _AD_TAIL_FROM:
            flat[i] = math.sqrt(3.0 / (math.pi * v)) * math.exp(-v) * (1.0 - 7.0 / (36.0 * v))
        elif v > 0:
            flat[i] = min(max(1.0 - _ad_cdf(v), 0.0), 1.0)
    return out[()] if out.ndim == 0 else out


_ASYMPTOTIC = {
    "ks": lambda stat, n: kolmogorov_sf(math.sqrt(n) * stat),
    "ad": lambda stat, n: andersondarling_sf(stat),
    "cvm": lambda stat, n: cramervonmises_sf(stat),
}

# ----------------------------------------------------------------------------
# The statistics
# ----------------------------------------------------------------------------


def _dot(a, b):
    """``a @ b`` without BLAS: a threaded BLAS dot of 1e6 doubles measured
    30 ms on a busy machine, einsum's loop 0.3 ms (positive sums only here)."""
    return np.einsum("i,i->", a, b)


def _mid_ranks(w, n):
    """Total weight, mid-ranks ``(C_{i-1} + C_i) / (2 n)`` and half-steps ``w_i / (2 n)``."""
    if w is None:
        mid = np.arange(0.5, n, 1.0)
        mid /= n
        return float(n), mid, 0.5 / n
    c = np.cumsum(w)
    total = float(c[-1])
    half = w / (2.0 * total)
    c /= total
    c -= half
    return total, c, half


def continuous_statistics(log_F, log_S, w, names, in_support=True):
    """KS, CvM and AD of a sorted sample from its fitted ``log F`` and ``log S``.

    Parameters
    ----------
    log_F, log_S : ndarray
        At the observations in ascending order.
    w : ndarray or None
        Frequency weights in the same order.
    names : sequence of str
    in_support : bool
        Every observation has a positive density (a finite log-likelihood):
        one with F = 0 or 1 is then at an edge of the support and left out
        of A2. Otherwise such observations lie outside the support and A2
        is infinite.

    Returns
    -------
    stats : dict
    ad_left_out : float
        Weight of observations left out of A2 (see ``goodness_of_fit``).
    """
    n = log_F.shape[0]
    total, mid, half = _mid_ranks(w, n)
    # e = F - mid-rank: the empirical cdf just below and at an observation is
    # mid -/+ half, so D = max(half - e, e + half), and e is CvM's residual
    e = np.exp(log_F)
    e -= mid
    out = {}
    ad_left_out = 0.0
    if "ks" in names:
        if w is None:
            out["ks"] = float(half + max(np.max(e), -np.min(e)))
        else:
            out["ks"] = float(max(np.max(e + half), np.max(half - e)))
    if "cvm" in names:
        if w is None:
            out["cvm"] = float(1.0 / (12.0 * total) + _dot(e, e))
        else:
            # a block of w tied ranks adds w (w^2 - 1) / 12 / n^2 about its mid-rank
            out["cvm"] = float(1.0 / (12.0 * total) + _dot(w * e, e)
                               + _dot(w, w * w - 1.0) / (12.0 * total * total))
    if "ad" in names:
        ok = np.isfinite(log_F) & np.isfinite(log_S)
        if in_support and not ok.all():
            # F = 0 or 1 exactly: an observation at the edge of the support
            # (an endpoint estimated at a sample extreme); A2 is infinite with
            # it and it says nothing about the fit: A2 of the others
            ad_left_out = total - (float(np.count_nonzero(ok)) if w is None else float(w[ok].sum()))
            log_F, log_S = log_F[ok], log_S[ok]
            w = None if w is None else w[ok]
            if log_F.shape[0]:
                _, mid, _ = _mid_ranks(w, log_F.shape[0])
        ad_total = total - ad_left_out
        if not in_support and not ok.all():
            out["ad"] = math.inf            # observations outside the support
        elif ad_total <= 0:
            out["ad"] = math.nan
        else:
            # sum m log F + (1 - m) log S, as log S + m (log F - log S); summed
            # pairwise (np.sum): -n - 2 s cancels down to O(1)
            terms = log_F - log_S
            terms *= mid
            terms += log_S
            if w is not None:
                terms *= w
            out["ad"] = float(-ad_total - 2.0 * np.sum(terms))
    return out, ad_left_out


# a tail probability below exp(-40) adds less than n exp(-80) to any statistic
_LOG_NEGLIGIBLE = -40.0
_MAX_GRID = 1 << 24


def _tail_end(log_tail, start, direction):
    """First integer past ``start`` (stepping ``direction``, doubling) where
    ``log_tail`` is negligible or -inf."""
    step = 1.0
    k = start
    while True:
        v = float(log_tail(np.array([k]))[0])
        if not v > _LOG_NEGLIGIBLE:
            return k
        step *= 2.0
        if step > _MAX_GRID:
            raise NotImplementedError(
                "goodness of fit of a discrete distribution sums over every integer with "
                f"non-negligible probability; its tail spans more than {_MAX_GRID} integers here")
        k = start + direction * step


def discrete_statistics(x, w, log_cdf, names):
    """KS, CvM and AD of integer data against a fitted discrete cdf.

    Parameters
    ----------
    x : ndarray
        Observations (integers as floats) in ascending order.
    w : ndarray or None
        Frequency weights in the same order.
    log_cdf : callable
        ``log_cdf(k, upper)``: ``log P(K <= k)`` or ``log P(K > k)`` at integers ``k``.
    names : sequence of str

    Returns
    -------
    dict
    """
    start_idx = np.concatenate([[0], np.flatnonzero(x[1:] != x[:-1]) + 1])     # x is sorted
    values = x[start_idx]
    if w is None:
        counts = np.diff(np.append(start_idx, x.shape[0])).astype(float)
    else:
        counts = np.add.reduceat(w, start_idx)
    total = float(counts.sum())
    k_lo = _tail_end(lambda k: log_cdf(k, False), values[0] - 1.0, -1.0)
    k_hi = _tail_end(lambda k: log_cdf(k, True), values[-1], 1.0)
    if k_hi - k_lo > _MAX_GRID:
        raise NotImplementedError(f"goodness of fit of a discrete distribution sums over every integer "
                                  f"from {k_lo:g} to {k_hi:g}; more than {_MAX_GRID} here")
    grid = np.arange(k_lo, k_hi + 1.0)
    log_F = log_cdf(grid, False)
    log_S = log_cdf(grid, True)
    F, S = np.exp(log_F), np.exp(log_S)
    # pmf from whichever tail keeps its relative precision; the mass at or
    # below k_lo (negligible) is lumped into the first point
    prev_F = np.concatenate([[-np.inf], log_F[:-1]])
    prev_S = np.concatenate([[0.0], log_S[:-1]])
    with np.errstate(invalid="ignore"):
        p = np.where(F < 0.5, -F * np.expm1(prev_F - log_F), -np.exp(prev_S) * np.expm1(log_S - prev_S))
    p = np.where(np.isnan(p), 0.0, p)
    at = np.zeros(grid.shape[0])
    np.add.at(at, (values - k_lo).astype(np.intp), counts)
    Fn = np.cumsum(at) / total
    Sn = np.cumsum(at[::-1])[::-1] / total - at / total       # weight above k, summed from the top
    Z = np.where(F < 0.5, Fn - F, S - Sn)
    out = {}
    if "ks" in names:
        out["ks"] = float(np.max(np.abs(Z)))
    zz = Z * Z * p
    if "cvm" in names:
        out["cvm"] = float(total * zz.sum())
    if "ad" in names:
        FS = F * S
        pos = FS > 0
        out["ad"] = float(total * np.sum(zz[pos] / FS[pos]))
    return out


def _statistics(dist, x, w, params, names, n_threads, in_support=True):
    """The statistics of a sorted sample at ``params``; (dict, AD's left-out weight)."""
    from .distributions._natural import lcdf

    if dist.discrete:
        return discrete_statistics(
            x, w, lambda k, upper: lcdf(dist, k, params, upper=upper, n_threads=n_threads), names), 0.0
    if x.shape[0] < _ONE_PASS_FROM:
        log_F = lcdf(dist, x, params, upper=False, n_threads=n_threads)
        log_S = lcdf(dist, x, params, upper=True, n_threads=n_threads)
    else:
        log_F, log_S = _log_cdf_and_sf(dist, x, params, n_threads)
    return continuous_statistics(log_F, log_S, w, names, in_support)


# below this many rows two kernel passes cost less than finding the split
_ONE_PASS_FROM = 16


def _log_cdf_and_sf(dist, x, params, n_threads):
    """``log F`` and ``log S`` at sorted ``x`` in about one kernel pass.

    Below the fitted median ``log F`` comes from the kernel and
    ``log S = log1p(-F)`` keeps full relative precision (``F <= 1/2``);
    above it the other way round. The split is found on every s-th point
    and then within one block of s (s ~ sqrt(n)): 2 sqrt(n) extra values
    where a second pass would cost n (cdfs with special functions, gamma's
    or beta's, cost about a microsecond a value).
    """
    from .distributions._natural import lcdf

    n = x.shape[0]
    half = -math.log(2.0)
    s = max(1, math.isqrt(n))
    coarse = lcdf(dist, x[::s], params, upper=False, n_threads=n_threads)
    j = int(np.searchsorted(coarse > half, True))     # first coarse point above the median
    lo = max(0, (j - 1) * s + 1)
    hi = min(n, j * s)                               # the split lies in [lo, hi]
    fine = lcdf(dist, x[lo:hi], params, upper=False, n_threads=1)
    split = lo + int(np.searchsorted(fine > half, True))
    log_F = np.empty(n)
    log_S = np.empty(n)
    log_F[:split] = lcdf(dist, x[:split], params, upper=False, n_threads=n_threads)
    log_S[split:] = lcdf(dist, x[split:], params, upper=True, n_threads=n_threads)
    with np.errstate(divide="ignore"):
        log_S[:split] = np.log1p(-np.exp(log_F[:split]))
        log_F[split:] = np.log1p(-np.exp(log_S[split:]))
    return log_F, log_S


# ----------------------------------------------------------------------------
# The data, sorted once per dataset
# ----------------------------------------------------------------------------

_SORTED = weakref.WeakKeyDictionary()


def _chunk_rows(x, w):
    return np.asarray(x, dtype=np.float64), None if w is None else np.asarray(w, dtype=np.float64)


def sorted_sample(data):
    """All observations of ``data`` in ascending order, with their weights (or None).

    Kept (weakly) per dataset, so that ``select`` sorts once for all its
    candidates. Out-of-core data are read into memory: 8 bytes per row, 16
    with weights.
    """
    cached = _SORTED.get(data)
    if cached is not None:
        return cached
    parts = data.map(_chunk_rows)
    x = np.concatenate([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
    weighted = any(p[1] is not None for p in parts)
    if not weighted:
        out = (np.sort(x), None)
    else:
        w = np.concatenate([np.ones(p[0].shape[0]) if p[1] is None else p[1] for p in parts])
        order = np.argsort(x, kind="stable")
        out = (x[order], w[order])
    _SORTED[data] = out
    return out


# ----------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------

GofTest = namedtuple("GofTest", "statistic pvalue")
GofTest.__doc__ = "One goodness-of-fit test: its statistic and p-value."


class GofResult(Mapping):
    """Goodness-of-fit tests of a fitted distribution.

    A read-only mapping from test key (``"ks"``, ``"ad"``, ``"cvm"``) to
    :class:`GofTest` ``(statistic, pvalue)``; the tests are also attributes
    (``result.ad.pvalue``).

    Attributes
    ----------
    statistic, pvalue : dict
        By test key.
    method : {"asymptotic", "bootstrap", "none"}
        How the p-values were computed; "none" for a discrete distribution
        without ``n_boot`` (statistics only, p-values NaN).
    n_boot : int or None
        Bootstrap samples asked for.
    n_failed : int
        Bootstrap refits that raised (left out of the p-values).
    n_nonconverged : int
        Bootstrap refits that ended with ``converged=False`` (kept).
    null_distribution : dict of ndarray or None
        The bootstrap statistics, by test key.
    nobs : float
        Number of observations (total weight).
    ad_left_out : float
        Weight of observations left out of Anderson-Darling because the
        fitted cdf is exactly 0 or 1 there (see ``FitResult.gof``).
    dist : str
        Distribution name.
    notes : list of str
    """

    def __init__(self, dist, tests, method, n_boot, nobs, ad_left_out=0.0, n_failed=0,
                 n_nonconverged=0, null_distribution=None, notes=()):
        self._tests = dict(tests)
        self.dist = dist
        self.method = method
        self.n_boot = n_boot
        self.nobs = nobs
        self.ad_left_out = ad_left_out
        self.n_failed = n_failed
        self.n_nonconverged = n_nonconverged
        self.null_distribution = null_distribution
        self.notes = list(notes)

    def __getitem__(self, key):
        return self._tests[key]

    def __iter__(self):
        return iter(self._tests)

    def __len__(self):
        return len(self._tests)

    def __getattr__(self, name):
        tests = self.__dict__.get("_tests", {})
        if name in tests:
            return tests[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}"
                             + (f" (tests computed: {sorted(tests)})" if name in STATISTICS else ""))

    @property
    def statistic(self):
        return {k: t.statistic for k, t in self._tests.items()}

    @property
    def pvalue(self):
        return {k: t.pvalue for k, t in self._tests.items()}

    def to_dict(self):
        """Plain data: ``{"method", "n_boot", "nobs", "tests": {key: {"statistic", "pvalue"}}, ...}``."""
        return {"dist": self.dist, "method": self.method, "n_boot": self.n_boot, "nobs": self.nobs,
                "n_failed": self.n_failed, "n_nonconverged": self.n_nonconverged,
                "ad_left_out": self.ad_left_out,
                "tests": {k: {"statistic": t.statistic, "pvalue": t.pvalue} for k, t in self._tests.items()},
                "notes": list(self.notes)}

    def __repr__(self):
        how = self.method + (f", n_boot={self.n_boot}" if self.method == "bootstrap" else "")
        lines = [f"Goodness of fit of {self.dist} ({how}; nobs={self.nobs:g})",
                 f"{'test':<22}{'statistic':>14}{'p-value':>12}"]
        for k, t in self._tests.items():
            lines.append(f"{_NAMES[k]:<22}{t.statistic:>14.6g}{t.pvalue:>12.4g}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


# ----------------------------------------------------------------------------
# The entry point
# ----------------------------------------------------------------------------


def _check_statistics(statistics):
    if isinstance(statistics, str):
        statistics = (statistics,)
    try:
        names = [str(s).lower() for s in statistics]
    except TypeError:
        raise TypeError(f"statistics must be a sequence of test names from {STATISTICS}, "
                        f"got {statistics!r}") from None
    unknown = [s for s in names if s not in STATISTICS]
    if unknown or not names:
        raise ValueError(f"statistics must name tests from {STATISTICS}, got {statistics!r}")
    return tuple(dict.fromkeys(names))


def _check_n_boot(n_boot):
    if n_boot is None:
        return None
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)):
        raise TypeError(f"n_boot must be a positive integer or None, got {n_boot!r}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer or None, got {n_boot}")
    return int(n_boot)


def _refit_spec(result):
    """A fresh copy of the fit's arguments (fixed values, bounds, method)."""
    from .distributions._base import FitSpec

    spec = getattr(result, "_fit_spec", None)     # set by fastmle.fit
    if spec is None:
        return FitSpec({}, dict(result.fixed), result.method.lower())
    return FitSpec(dict(spec.guesses), dict(spec.fixed), spec.method, set(spec.freed), dict(spec.bounds))


def _refit(dist, x, spec):
    """Fit ``x`` as the original fit was made (same fixed values, bounds, method)."""
    from ._api import _fit_within_bounds
    from ._data import as_data
    from .distributions._base import FitSpec

    data = as_data(x, None, 1)
    fresh = FitSpec(dict(spec.guesses), dict(spec.fixed), spec.method, set(spec.freed), dict(spec.bounds))
    fit = dist._fit(data, fresh)
    if fresh.bounds and fresh.method == "mle":
        fit = _fit_within_bounds(dist, data, fresh, fit)
    return fit


# what a refit of a simulated sample may raise (a degenerate sample, a
# boundary the estimator cannot leave); anything else is a bug and propagates
_REFIT_ERRORS = (ValueError, ArithmeticError, np.linalg.LinAlgError)


def _bootstrap(result, observed, names, n_boot, rng):
    from ._optimize import ConvergenceWarning

    dist = result.dist
    params = tuple(float(v) for v in result.params)
    n = int(round(result.nobs))
    spec = _refit_spec(result)
    null = {k: [] for k in names}
    n_failed = n_nonconverged = 0
    block = max(1, min(n_boot, (1 << 22) // max(n, 1)))    # samples drawn per generator call
    done = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        while done < n_boot:
            b = min(block, n_boot - done)
            samples = np.sort(sample(dist, params, (b, n), rng), axis=1)
            for row in samples:
                try:
                    fit = _refit(dist, row, spec)
                    stats, _ = _statistics(dist, row, None, tuple(fit.params), names, 1,
                                           math.isfinite(fit.llf))
                except _REFIT_ERRORS:
                    n_failed += 1
                    continue
                n_nonconverged += not fit.converged
                for k in names:
                    null[k].append(stats[k])
            done += b
    null = {k: np.array(v) for k, v in null.items()}
    pvalues = {}
    for k in names:
        t = null[k]
        # the observed sample counts as one of the replicates (Davison & Hinkley 1997, eq. 4.11)
        pvalues[k] = float((1 + np.count_nonzero(t >= observed[k])) / (t.shape[0] + 1))
    return pvalues, null, n_failed, n_nonconverged


def goodness_of_fit(result, n_boot=None, statistics=STATISTICS, random_state=None):
    """Implementation of :meth:`fastmle.FitResult.gof` (see there)."""
    from ._censored import CensoredSample
    from ._config import resolve_n_threads

    names = _check_statistics(statistics)
    n_boot = _check_n_boot(n_boot)
    data = result._data
    if data is None:
        raise ValueError("this result holds no data to test")
    if isinstance(data, CensoredSample):
        raise NotImplementedError("goodness of fit for censored data is not implemented: the "
                                  "classical statistics need exactly observed values")
    from .distributions._natural import has_natural

    dist = result.dist
    if not has_natural(dist):
        raise NotImplementedError(f"goodness of fit of {dist.name}: {dist.name} has no cdf kernel yet")
    params = tuple(float(v) for v in result.params)
    x, w = sorted_sample(data)
    n_threads = data.n_threads if data.n_threads is not None else resolve_n_threads(None)
    stats, ad_left_out = _statistics(dist, x, w, params, names, n_threads, math.isfinite(result.llf))
    nobs = float(x.shape[0]) if w is None else float(w.sum())
    notes = []
    if ad_left_out and "ad" in names:
        notes.append(f"Anderson-Darling leaves out {ad_left_out:g} observation(s) at which the fitted "
                     f"cdf is exactly 0 or 1 (the edge of the support)")
    null = None
    n_failed = n_nonconverged = 0
    if n_boot is not None:
        rng = as_generator(random_state)
        if w is not None and nobs != round(nobs):
            notes.append(f"bootstrap samples have {round(nobs)} observations (the total weight "
                         f"{nobs:g} rounded)")
        pvalues, null, n_failed, n_nonconverged = _bootstrap(result, stats, names, n_boot, rng)
        method = "bootstrap"
        if n_failed:
            notes.append(f"{n_failed} of {n_boot} bootstrap refits failed and are left out")
        if n_failed > n_boot // 2:
            warnings.warn(f"goodness of fit of {dist.name}: {n_failed} of {n_boot} bootstrap refits "
                          f"failed; the p-values rest on {n_boot - n_failed}", RuntimeWarning, stacklevel=3)
    elif dist.discrete:
        method = "none"
        pvalues = {k: math.nan for k in names}
        notes.append("discrete distribution: the asymptotic null distributions depend on the fitted "
                     "pmf; pass n_boot for bootstrap p-values")
    else:
        method = "asymptotic"
        n_ad = nobs - ad_left_out
        pvalues = {k: float(_ASYMPTOTIC[k](stats[k], n_ad if k == "ad" else nobs)) for k in names}
        if result.free:
            notes.append("asymptotic p-values assume fully specified parameters; with estimated "
                         "parameters they are conservative (too large): use n_boot")
    tests = {k: GofTest(stats[k], pvalues[k]) for k in names}
    return GofResult(dist.name, tests, method, n_boot, nobs, ad_left_out, n_failed, n_nonconverged,
                     null, notes)
