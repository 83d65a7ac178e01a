"""Checks every family distribution must pass (used by tests/test_dist_*.py).

Each takes a fastmle distribution, data and parameters in scipy's order and
asserts the mathematics: log-likelihood equal to scipy's, gradient and Hessian
equal to central finite differences of it, float32/float64, weights as
repeated rows, 1 vs 2 threads bitwise, and fits never worse than scipy's.
"""
import warnings

import numpy as np
import scipy.stats as st

import fastmle
from fastmle._data import as_data


def llgh(dist, x, params, w=None, n_threads=1):
    """(ll, grad, hess) of ``dist`` at ``params`` straight from its kernel."""
    data = as_data(x, w, n_threads)
    if dist.discrete:
        from fastmle._data import value_table
        data = value_table(data)
    return dist._evaluate(data, [float(p) for p in params])


def scipy_loglike(name, x, params, w=None):
    sd = getattr(st, name)
    lp = sd.logpmf(x, *params) if hasattr(sd, "logpmf") else sd.logpdf(x, *params)
    return float(np.sum(lp if w is None else w * lp))


def check_loglike_matches_scipy(dist, x, params, rtol=1e-12):
    ll = llgh(dist, x, params)[0]
    ref = scipy_loglike(dist.name, x, params)
    assert abs(ll - ref) <= rtol * max(1.0, abs(ref)), (ll, ref)


def check_derivatives(dist, x, params, free=None, rel_step=1e-5, rtol=2e-6):
    """Gradient and Hessian against 4th-order central differences.

    ``free`` lists the parameter indices to check (default: all continuous
    parameters; a discrete loc has no derivative).
    """
    params = np.array(params, dtype=float)
    ll, g, H = llgh(dist, x, params)
    k = len(params)
    free = list(range(k - 1 if dist.discrete else k)) if free is None else free
    names = dist.param_names
    for i in free:
        h = rel_step * max(abs(params[i]), 1e-2)
        if names[i] == "loc" and "scale" in names:      # loc moves on the scale's ruler
            h = 100 * rel_step * params[names.index("scale")]

        def at(step):
            p = params.copy()
            p[i] += step
            return llgh(dist, x, p)

        f = [at(s * h) for s in (-2, -1, 1, 2)]
        fd_g = (f[0][0] - 8 * f[1][0] + 8 * f[2][0] - f[3][0]) / (12 * h)
        fd_H = (f[0][1] - 8 * f[1][1] + 8 * f[2][1] - f[3][1]) / (12 * h)
        scale_g = max(1.0, np.max(np.abs(g)))
        assert abs(g[i] - fd_g) <= rtol * scale_g * 10, (i, g[i], fd_g)
        for j in free:
            scale_h = max(1.0, np.max(np.abs(H)))
            assert abs(H[j, i] - fd_H[j]) <= rtol * scale_h * 10, (i, j, H[j, i], fd_H[j])
    np.testing.assert_array_equal(H, H.T)


def check_dtypes_weights_threads(dist, x, params, rng):
    """float32 input, weights as repeated rows, bitwise 1 vs 2 threads."""
    x32 = x.astype(np.float32)
    a = llgh(dist, x32, params)
    b = llgh(dist, x32.astype(np.float64), params)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-13)
    w = rng.integers(1, 4, size=x.shape[0]).astype(float)
    lw = llgh(dist, x, params, w=w)
    lr = llgh(dist, np.repeat(x, w.astype(int)), params)
    np.testing.assert_allclose(lw[0], lr[0], rtol=1e-11)
    np.testing.assert_allclose(lw[1], lr[1], rtol=1e-9, atol=1e-9 * max(1.0, np.max(np.abs(lr[1]))))
    big = np.tile(x, max(1, 300_000 // x.shape[0]))
    one = llgh(dist, big, params, n_threads=1)
    two = llgh(dist, big, params, n_threads=2)
    assert one[0] == two[0]
    np.testing.assert_array_equal(one[1], two[1])
    np.testing.assert_array_equal(one[2], two[2])


def scipy_fit(name, x, kw):
    """scipy's answer: ``dist.fit`` for continuous, ``scipy.stats.fit`` for discrete."""
    sd = getattr(st, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(sd.fit(x, **kw))


def check_fit_not_worse_than_scipy(name, x, kw, theirs=None):
    """fastmle's tuple has scipy's length and order, fixed values come back
    exactly, and its negative log-likelihood is no larger than at scipy's fit."""
    sd = getattr(st, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = getattr(fastmle, name).fit(x, **kw)
    theirs = scipy_fit(name, x, kw) if theirs is None else theirs
    assert len(ours) == len(theirs)
    names = getattr(fastmle, name).param_names
    for key, value in kw.items():
        if key.startswith("f") and value is not None:
            pname = key[1:] if key[1:] in names else (names[int(key[1:])] if key[1:].isdigit() else key[4:])
            assert ours[names.index(pname)] == value
    nll_ours, nll_theirs = sd.nnlf(ours, x), sd.nnlf(theirs, x)
    assert np.isfinite(nll_ours), ours
    if nll_ours > nll_theirs + 1e-9 * abs(nll_theirs):
        assert_unbounded_edge_reported(name, x, kw, nll_theirs)
    return ours


def assert_unbounded_edge_reported(name, x, kw, nll_theirs):
    """scipy's answer beats fastmle's tuple: allowed only where the likelihood
    is unbounded at loc -> min(x) and fastmle returned the best regular
    maximum, found the edge at least as high as scipy's point, and said so."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = fastmle.fit(name, x, **kw)
    assert "unbounded" in res.message, (res.params, res.message, nll_theirs)
    assert res.converged
    assert -res.mle_retvals["edge_llf"] <= nll_theirs + 1e-9 * abs(nll_theirs)
