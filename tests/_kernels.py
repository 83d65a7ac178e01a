"""Call each kernel directly: params (scipy order) -> (ll, grad, hess).

One place that knows every kernel's signature, so the tests can treat the
kernels uniformly.
"""
import numpy as np

from fastmle import _expon, _gamma, _lognorm, _norm, _poisson, _weibull

# name -> (scipy name, params for a test point given data x, llgh function)


def llgh(name, x, w, params, n_threads=1, loc_free=True):
    if name == "norm":
        loc, scale = params
        shift = float(np.median(x))
        return _norm.loglike_grad_hess(_norm.sums(x, w, shift, n_threads=n_threads), shift, loc, scale)
    if name == "expon":
        loc, scale = params
        shift = float(np.min(x))
        return _expon.loglike_grad_hess(_expon.sums(x, w, shift, n_threads=n_threads), shift, loc, scale)
    if name == "gamma":
        a, loc, scale = params
        return _gamma.loglike_grad_hess(_gamma.sums(x, w, loc, loc_free, n_threads=n_threads), a, loc, scale)
    if name == "lognorm":
        s, loc, scale = params
        lshift = 0.7
        t = _lognorm.sums(x, w, loc, lshift, loc_free, n_threads=n_threads)
        return _lognorm.loglike_grad_hess(t, lshift, s, loc, scale)
    if name == "weibull_min":
        c, loc, scale = params
        t = _weibull.sums(x, w, c, loc, scale, loc_free, n_threads=n_threads)
        return _weibull.loglike_grad_hess(t, c, loc, scale)
    if name == "poisson":
        mu, loc = params
        ll, g, h = _poisson.loglike_grad_hess(_poisson.sums(x, w, loc, n_threads=n_threads), mu)
        # loc is discrete: extend to the (mu, loc) layout with zero loc derivatives
        return ll, np.array([g[0], 0.0]), np.array([[h[0, 0], 0.0], [0.0, 0.0]])
    raise KeyError(name)


def sums(name, x, w, params, n_threads=1):
    """The raw additive sums behind llgh (for bitwise / weight checks)."""
    if name == "norm":
        return _norm.sums(x, w, 1.5, n_threads=n_threads)
    if name == "expon":
        return _expon.sums(x, w, 0.0, n_threads=n_threads)
    if name == "gamma":
        return _gamma.sums(x, w, params[1], True, n_threads=n_threads)
    if name == "lognorm":
        return _lognorm.sums(x, w, params[1], 0.7, True, n_threads=n_threads)
    if name == "weibull_min":
        return _weibull.sums(x, w, params[0], params[1], params[2], True, n_threads=n_threads)
    if name == "poisson":
        return _poisson.sums(x, w, params[1], n_threads=n_threads)
    raise KeyError(name)


def sample(name, rng, n):
    """Data and a parameter point (not the MLE) inside the support."""
    if name == "norm":
        return rng.normal(1.5, 2.0, n), (1.2, 1.7)
    if name == "expon":
        return rng.exponential(2.0, n) + 0.5, (0.3, 1.8)
    if name == "gamma":
        return rng.gamma(2.5, 3.0, n) + 1.0, (2.2, 0.6, 2.7)
    if name == "lognorm":
        return rng.lognormal(0.8, 0.6, n) + 1.0, (0.55, 0.7, 2.4)
    if name == "weibull_min":
        return rng.weibull(1.7, n) * 3.0 + 1.0, (1.5, 0.8, 3.3)
    if name == "poisson":
        return rng.poisson(4.5, n).astype(float), (4.0, 0.0)
    raise KeyError(name)


NAMES = ["norm", "expon", "gamma", "lognorm", "weibull_min", "poisson"]
