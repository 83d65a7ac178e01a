"""Random samples from fastmle's distributions, for the parametric bootstrap.

Each distribution draws its standardized variable (loc 0, scale 1; for
discrete ones, ``k = x - loc``) with a numpy ``Generator`` method or a
transform of one; location and scale are applied here. A distribution
without an entry in :data:`STANDARD_SAMPLERS` is sampled by inverting its
cdf kernel (:func:`sample_by_inversion`), so every distribution with a cdf
can be bootstrapped.
"""
import math

import numpy as np

__all__ = ["sample", "sample_by_inversion", "as_generator", "STANDARD_SAMPLERS"]


def as_generator(random_state):
    """A ``numpy.random.Generator`` from ``random_state``.

    Parameters
    ----------
    random_state : None, int, array_like of int, SeedSequence, Generator or RandomState
        ``None`` draws fresh entropy; a ``Generator`` is used as it is; a
        legacy ``RandomState`` seeds a new ``Generator`` from one draw of it
        (so the same ``RandomState`` state gives the same samples).

    Raises
    ------
    TypeError
        Anything else.
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2 ** 63 - 1, dtype=np.int64))
    try:
        return np.random.default_rng(random_state)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"random_state must be None, an integer seed, a SeedSequence, a numpy "
                        f"Generator or RandomState, got {random_state!r}") from exc


def _expm1_over(c, y):
    """``expm1(c y) / c``, and ``y`` at ``c = 0`` (its limit)."""
    if c == 0:
        return y
    return np.expm1(c * y) / c


def _skewnorm(rng, a, size):
    # Azzalini's representation: delta |U0| + sqrt(1 - delta^2) U1
    delta = a / math.sqrt(1.0 + a * a)
    return delta * np.abs(rng.standard_normal(size)) + math.sqrt(1.0 - delta * delta) * rng.standard_normal(size)


def _zipoisson(rng, mu, pi, size):
    k = rng.poisson(mu, size).astype(np.float64)
    k[rng.random(size) < pi] = 0.0
    return k


#: name -> ``f(rng, shapes, size)`` drawing the standardized variable in
#: scipy's parametrization (``X = loc + scale * Z``; discrete: ``K = loc + k``).
STANDARD_SAMPLERS = {
    "norm": lambda rng, s, size: rng.standard_normal(size),
    "expon": lambda rng, s, size: rng.standard_exponential(size),
    "gamma": lambda rng, s, size: rng.standard_gamma(s[0], size),
    "chi2": lambda rng, s, size: rng.chisquare(s[0], size),
    "lognorm": lambda rng, s, size: np.exp(s[0] * rng.standard_normal(size)),
    "weibull_min": lambda rng, s, size: rng.weibull(s[0], size),
    "weibull_max": lambda rng, s, size: -rng.weibull(s[0], size),
    "beta": lambda rng, s, size: rng.beta(s[0], s[1], size),
    "t": lambda rng, s, size: rng.standard_t(s[0], size),
    "logistic": lambda rng, s, size: rng.logistic(0.0, 1.0, size),
    "laplace": lambda rng, s, size: rng.laplace(0.0, 1.0, size),
    "cauchy": lambda rng, s, size: rng.standard_cauchy(size),
    "gumbel_r": lambda rng, s, size: rng.gumbel(0.0, 1.0, size),
    "gumbel_l": lambda rng, s, size: -rng.gumbel(0.0, 1.0, size),
    # numpy's pareto is the Lomax (Pareto II) distribution on x >= 0
    "pareto": lambda rng, s, size: 1.0 + rng.pareto(s[0], size),
    "lomax": lambda rng, s, size: rng.pareto(s[0], size),
    # scipy's invgauss(mu) is the Wald distribution with mean mu and shape 1
    "invgauss": lambda rng, s, size: rng.wald(s[0], 1.0, size),
    "rayleigh": lambda rng, s, size: rng.rayleigh(1.0, size),
    "halfnorm": lambda rng, s, size: np.abs(rng.standard_normal(size)),
    "uniform": lambda rng, s, size: rng.random(size),
    # log-logistic: exp(L / c) with L standard logistic
    "fisk": lambda rng, s, size: np.exp(rng.logistic(0.0, 1.0, size) / s[0]),
    # F(x) = exp(-(1 - c x)^(1/c)): x = (1 - exp(-c G)) / c with G standard Gumbel
    "genextreme": lambda rng, s, size: _expm1_over(-s[0], rng.gumbel(0.0, 1.0, size)),
    # S(x) = (1 + c x)^(-1/c): x = expm1(c E) / c with E standard exponential
    "genpareto": lambda rng, s, size: _expm1_over(s[0], rng.standard_exponential(size)),
    "vonmises": lambda rng, s, size: rng.vonmises(0.0, s[0], size),
    "skewnorm": lambda rng, s, size: _skewnorm(rng, s[0], size),
    "poisson": lambda rng, s, size: rng.poisson(s[0], size),
    "geom": lambda rng, s, size: rng.geometric(s[0], size),
    "binom": lambda rng, s, size: rng.binomial(int(s[0]), s[1], size),
    # failures before the n-th success, for real n > 0 (a gamma-Poisson mixture)
    "nbinom": lambda rng, s, size: rng.negative_binomial(s[0], s[1], size),
    "betabinom": lambda rng, s, size: rng.binomial(int(s[0]), rng.beta(s[1], s[2], size)),
    "zipoisson": lambda rng, s, size: _zipoisson(rng, s[0], s[1], size),
}


def sample(dist, params, size, rng):
    """Draw ``size`` observations of ``dist`` at ``params`` (scipy's order).

    Parameters
    ----------
    dist : Distribution
    params : sequence of float
    size : int or tuple of int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float64, shape ``size``
    """
    params = [float(p) for p in params]
    m = len(dist.shapes)
    shapes = params[:m]
    draw = STANDARD_SAMPLERS.get(dist.name)
    if draw is None:
        return sample_by_inversion(dist, params, size, rng)
    z = np.asarray(draw(rng, shapes, size), dtype=np.float64)
    if dist.discrete:
        return z + params[m]
    return params[m] + params[m + 1] * z


def sample_by_inversion(dist, params, size, rng, n_threads=1):
    """Draw by inverting the cdf kernel: ``X = F^-1(U)`` by bisection.

    Each ``U`` is drawn uniform on (0, 1), split into whichever of
    ``log U`` (``U < 1/2``, solved on ``log F``) and ``log(1 - U)``
    (solved on ``log S``) keeps its tail resolution, and bracketed by
    doubling steps away from the location; then every point is bisected at
    once, one kernel call per step, down to adjacent floats (continuous)
    or adjacent integers (discrete, the smallest ``k`` with ``F(k) >= U``).

    Raises
    ------
    NotImplementedError
        ``dist`` has no cdf kernel.
    """
    from .distributions._natural import lcdf

    params = [float(p) for p in params]
    m = len(dist.shapes)
    u = rng.random(size)
    shape = u.shape
    u = u.reshape(-1)
    lower = u < 0.5
    # the target as a log probability in the tail that resolves it
    target = np.where(lower, np.log(u), np.log1p(-u))
    loc = params[m]
    unit = 1.0 if dist.discrete else params[m + 1]

    def below(x):
        """Whether x is below the quantile of each point (its cdf under U)."""
        out = np.empty(x.shape, dtype=bool)
        lf = lcdf(dist, x[lower], params, upper=False, n_threads=n_threads)
        ls = lcdf(dist, x[~lower], params, upper=True, n_threads=n_threads)
        out[lower] = lf < target[lower]
        out[~lower] = ls > target[~lower]
        return out

    lo = np.full(u.shape, loc - unit)
    hi = np.full(u.shape, loc + unit)
    step = unit
    # bracket: lo below every quantile, hi at or above it
    for _ in range(2100):
        move = ~below(lo)
        if not move.any():
            break
        step *= 2.0
        lo[move] = loc - step
    step = unit
    for _ in range(2100):
        move = below(hi)
        if not move.any():
            break
        step *= 2.0
        hi[move] = loc + step
    for _ in range(2200):
        if dist.discrete:
            gap = hi - lo > 1.0
            mid = np.floor(0.5 * (lo + hi))
        else:
            mid = lo + 0.5 * (hi - lo)
            gap = (mid > lo) & (mid < hi)
        if not gap.any():
            break
        go_up = below(mid) & gap
        go_down = ~go_up & gap
        lo[go_up] = mid[go_up]
        hi[go_down] = mid[go_down]
    return hi.reshape(shape)
