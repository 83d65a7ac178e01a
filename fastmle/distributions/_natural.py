"""Natural-parameter sums: censored likelihoods, score outer products, cdfs.

A distribution that maps onto a family with a cdf (``src/_natural_loop.h``)
says how, in :meth:`Distribution._natural_map`; this module turns that map
into the kernel's parameter block and the kernel's sums into the
log-likelihood, score, Hessian and sum of score outer products in scipy's
parameters.
"""
import math
from collections import namedtuple

import numpy as np

from .. import _families

__all__ = ["NaturalMap", "natural_sums", "has_natural", "lcdf"]

_MODE_EXACT, _MODE_PAIRED = 0.0, 1.0

NaturalMap = namedtuple("NaturalMap", "family locscale P const index factor loc scale")
NaturalMap.__doc__ = """How scipy's parameters map onto a family kernel.

family : str
    Kernel name in ``fastmle._families.NAT_FAMILIES``.
locscale : bool
    Location-scale kind (else shape kind: counts, integer loc).
P : list of float
    The parameter block the C functions read.
const : (c0, c1, c2)
    z-free constant of the log density with its gradient and Hessian in the
    kernel's shapes (added to exact observations).
index : list of int
    Positions in scipy's parameter vector of the kernel's natural parameters
    (shapes, then loc and scale for location-scale kinds).
factor : list of float
    ``natural = factor * scipy`` for each of them (chi2's df is gamma's 2a).
loc, scale : float
    Location and (kernel) scale.
"""


def has_natural(dist):
    """Whether ``dist`` has a natural-parameter kernel (censored data, robust covariance, cdf)."""
    try:
        nm = dist._natural_map(_probe_params(dist))
    except NotImplementedError:
        return False
    return nm is not None and nm.family in _families.NAT_FAMILIES


def _probe_params(dist):
    m = len(dist.shapes)
    return [1.0] * m + ([0.0] if dist.discrete else [0.0, 1.0])


def _block(nm, mode):
    # families without shapes may give None for the constant's derivatives
    # (as assemble_locscale allows)
    m = 0 if nm.const[1] is None else len(nm.const[1])
    c1 = np.asarray(nm.const[1] if m else [], dtype=float).reshape(m)
    c2 = np.asarray(nm.const[2] if m else [], dtype=float).reshape(m, m)
    packed = [c2[a, b] for a in range(m) for b in range(a, m)]
    head = [mode, nm.loc] + ([1.0 / nm.scale] if nm.locscale else [])
    return np.array(head + [float(nm.const[0])] + c1.tolist() + packed + list(nm.P), dtype=float)


def unpack_upper(v, n):
    """Symmetric n x n matrix from its row-major packed upper triangle."""
    out = np.empty((n, n))
    k = 0
    for a in range(n):
        for b in range(a, n):
            out[a, b] = out[b, a] = v[k]
            k += 1
    return out


def natural_sums(dist, sample, params, n_threads=None):
    """Log-likelihood, score, Hessian and score outer products at ``params``.

    Parameters
    ----------
    dist : Distribution
    sample : Data or CensoredSample
        Exact observations (a ``fastmle._data.Data``, any chunking), or a
        censored sample (:class:`fastmle.Censored` after validation).
    params : sequence of float
        scipy's parameter vector.

    Returns
    -------
    nobs, ll, grad, hess, opg
        Gradient (k,), Hessian and ``sum w s s^T`` (k, k) in scipy's
        parameters; rows of parameters the kernel does not differentiate
        (a discrete loc, binom's n) are zero.
    """
    params = [float(p) for p in params]
    nm = dist._natural_map(params)
    if nm is None or nm.family not in _families.NAT_FAMILIES:
        raise NotImplementedError(f"{dist.name} has no natural-parameter kernel yet "
                                  "(censored data, robust covariance)")
    paired = hasattr(sample, "pairs")
    block = _block(nm, _MODE_PAIRED if paired else _MODE_EXACT)
    if paired:
        threads = sample.n_threads if n_threads is None else n_threads
        s = _families.natural_sums(sample.pairs[:, 0], sample.weights, nm.family, block, threads)
    else:
        s = sample.reduce(_families.natural_sums, nm.family, block)
    n_nat = len(nm.index)
    u = n_nat * (n_nat + 1) // 2
    k = len(params)
    f = np.asarray(nm.factor, dtype=float)
    idx = np.asarray(nm.index)
    grad = np.zeros(k)
    hess = np.zeros((k, k))
    opg = np.zeros((k, k))
    grad[idx] = f * s[2:2 + n_nat]
    ff = np.outer(f, f)
    hess[np.ix_(idx, idx)] = ff * unpack_upper(s[2 + n_nat:2 + n_nat + u], n_nat)
    opg[np.ix_(idx, idx)] = ff * unpack_upper(s[2 + n_nat + u:2 + n_nat + 2 * u], n_nat)
    return float(s[0]), float(s[1]), grad, hess, opg


def lcdf(dist, x, params, upper=False, n_threads=1):
    """``log F(x)`` (``log S(x)`` with ``upper``) of ``dist`` at ``params``, elementwise.

    For discrete distributions ``F(k) = P(K <= k)`` and ``S(k) = P(K > k)``
    at integers; non-integer ``x`` are floored.
    """
    params = [float(p) for p in params]
    nm = dist._natural_map(params)
    if nm is None or nm.family not in _families.NAT_FAMILIES:
        raise NotImplementedError(f"{dist.name} has no cdf kernel yet")
    x = np.ascontiguousarray(x, dtype=float)
    if not nm.locscale:
        x = np.floor(x)
    head = [nm.loc] + ([1.0 / nm.scale] if nm.locscale else [])
    block = np.array(head + list(nm.P), dtype=float)
    flat = x.reshape(-1)
    out = _families.lcdf_values(flat, nm.family, block, bool(upper), n_threads)
    return out.reshape(x.shape)


def locscale_map(family, shapes, loc, scale, P=None, const=None):
    """NaturalMap of a location-scale family whose natural parameters are scipy's."""
    m = len(shapes)
    if const is None:
        const = (0.0, np.zeros(m), np.zeros((m, m)))
    return NaturalMap(family, True, list(shapes) if P is None else list(P), const,
                      list(range(m + 2)), [1.0] * (m + 2), float(loc), float(scale))


LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
