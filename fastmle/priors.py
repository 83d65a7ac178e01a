"""Priors for maximum a posteriori (MAP) fits: ``fit(..., prior={name: prior})``.

A prior is a density on one parameter, in that parameter's natural (scipy)
units. Passing priors to :func:`fastmle.fit` or to a distribution's ``fit``
turns maximum likelihood into maximum a posteriori estimation: the same
Newton iteration maximizes ``log L(theta) + sum_j log p_j(theta_j)``, with
each prior's analytic gradient and Hessian added to the likelihood's::

    fastmle.fit("gamma", x, prior={"a": fastmle.priors.Gamma(2, 1),
                                   "scale": fastmle.priors.HalfNormal(10)})

Parametrizations (documented on each class) follow the usual Bayesian
conventions (Stan, PyMC): ``Gamma(shape, rate)`` and ``Exponential(rate)``
take a rate (``scale=`` is accepted instead), ``LogNormal(mu, sigma)`` is the
distribution of ``exp(N(mu, sigma))``. Each prior's ``to_scipy()`` returns
the frozen ``scipy.stats`` distribution with the same density (scipy needed
only for that call).

Every prior gives ``logpdf(x)`` and ``derivs(x) -> (log density, first and
second derivative)``; outside its support the log density is ``-inf``.
:class:`Flat` is improper (log density 0 everywhere): a fit whose priors are
all flat is the maximum likelihood fit, reported as a MAP estimate.
"""
import math

from .distributions._base import _positive_float as _finite_float

__all__ = ["Prior", "Normal", "LogNormal", "Gamma", "HalfNormal", "HalfCauchy", "Exponential",
           "Beta", "Uniform", "Flat"]

_LOG_2PI = math.log(2.0 * math.pi)
_NEG_INF = -math.inf


def _real(value, what, cls):
    """``value`` as a finite float, or the TypeError/ValueError naming it."""
    return _finite_float(value, f"{cls}: {what}")


def _positive(value, what, cls):
    v = _real(value, what, cls)
    if not v > 0:
        raise ValueError(f"{cls}: {what} must be positive, got {value!r}")
    return v


def _rate_or_scale(rate, scale, cls):
    if scale is not None:
        if rate is not None:
            raise TypeError(f"{cls}: give rate or scale, not both")
        return 1.0 / _positive(scale, "scale", cls)
    return _positive(1.0 if rate is None else rate, "rate", cls)


class Prior:
    """Base class of fastmle's priors: a density on one real parameter.

    Subclasses implement ``_derivs(x)`` inside the support and set
    ``support`` (``(lower, upper)``, ends included where the density is
    defined there).

    Attributes
    ----------
    support : (float, float)
        Where the density is positive (``-inf``/``inf`` for unbounded).
    flat : bool
        True for the improper constant density (:class:`Flat`).
    """

    support = (-math.inf, math.inf)
    flat = False

    def logpdf(self, x):
        """Log density at ``x`` (``-inf`` outside the support).

        Parameters
        ----------
        x : float

        Returns
        -------
        float
        """
        return self.derivs(x)[0]

    def derivs(self, x):
        """Log density and its first and second derivatives at ``x``.

        Parameters
        ----------
        x : float

        Returns
        -------
        (float, float, float)
            ``(-inf, 0, 0)`` outside the support, or where the density is 0.
        """
        x = float(x)
        lo, hi = self.support
        if not lo <= x <= hi:
            return _NEG_INF, 0.0, 0.0
        out = self._derivs(x)
        return out if out[0] != _NEG_INF else (_NEG_INF, 0.0, 0.0)

    def _derivs(self, x):
        raise NotImplementedError

    def interior_point(self):
        """A point where the log density is finite (a start value inside the
        support: the mean, or the median where the mean does not exist)."""
        raise NotImplementedError

    def unbounded_at(self):
        """Points of the support where the density is infinite (an edge of
        a Gamma or Beta with shape below 1): a posterior mode cannot be
        found if such a point lies inside a parameter's range."""
        return ()

    def to_scipy(self):
        """The frozen ``scipy.stats`` distribution with this density (needs scipy).

        Raises
        ------
        NotImplementedError
            For :class:`Flat`, which is not a probability distribution.
        """
        raise NotImplementedError

    def _args(self):
        return ()

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{v:g}' for v in self._args())})"

    def __eq__(self, other):
        return type(self) is type(other) and self._args() == other._args()

    def __hash__(self):
        return hash((type(self).__name__, self._args()))


class Normal(Prior):
    """Normal prior with mean ``mu`` and standard deviation ``sigma``.

    ``log p(x) = -log(sigma) - log(2 pi)/2 - (x - mu)**2 / (2 sigma**2)``;
    ``scipy.stats.norm(mu, sigma)``.
    """

    def __init__(self, mu=0.0, sigma=1.0):
        self.mu = _real(mu, "mu", "Normal")
        self.sigma = _positive(sigma, "sigma", "Normal")
        self._c = -math.log(self.sigma) - 0.5 * _LOG_2PI

    def _derivs(self, x):
        s2 = self.sigma * self.sigma
        d = x - self.mu
        return self._c - 0.5 * d * d / s2, -d / s2, -1.0 / s2

    def interior_point(self):
        return self.mu

    def _args(self):
        return self.mu, self.sigma

    def to_scipy(self):
        from scipy import stats
        return stats.norm(self.mu, self.sigma)


class LogNormal(Prior):
    """Log-normal prior: ``log(x)`` is normal with mean ``mu`` and standard
    deviation ``sigma`` (support ``x > 0``); ``scipy.stats.lognorm(sigma,
    scale=exp(mu))``."""

    support = (0.0, math.inf)

    def __init__(self, mu=0.0, sigma=1.0):
        self.mu = _real(mu, "mu", "LogNormal")
        self.sigma = _positive(sigma, "sigma", "LogNormal")
        self._c = -math.log(self.sigma) - 0.5 * _LOG_2PI

    def _derivs(self, x):
        if not x > 0:
            return _NEG_INF, 0.0, 0.0
        s2 = self.sigma * self.sigma
        u = math.log(x) - self.mu
        g = -1.0 - u / s2                   # d log p / d log x
        return self._c - math.log(x) - 0.5 * u * u / s2, g / x, (-1.0 / s2 - g) / (x * x)

    def interior_point(self):
        return math.exp(self.mu)

    def _args(self):
        return self.mu, self.sigma

    def to_scipy(self):
        from scipy import stats
        return stats.lognorm(self.sigma, scale=math.exp(self.mu))


class Gamma(Prior):
    """Gamma prior with shape ``a`` and ``rate`` (Stan's and PyMC's
    convention); pass ``scale=`` (scipy's, ``1 / rate``) instead of ``rate``
    if you prefer.

    ``log p(x) = a log(rate) - lgamma(a) + (a - 1) log(x) - rate x`` for
    ``x > 0``; ``scipy.stats.gamma(a, scale=1/rate)``. With ``a < 1`` the
    density is infinite at 0.

    Examples
    --------
    ``Gamma(2, 1)`` (mean 2) and ``Gamma(2, scale=1)`` are the same prior.
    """

    support = (0.0, math.inf)

    def __init__(self, a, rate=None, *, scale=None):
        self.a = _positive(a, "shape a", "Gamma")
        self.rate = _rate_or_scale(rate, scale, "Gamma")
        self._c = self.a * math.log(self.rate) - math.lgamma(self.a)

    def _derivs(self, x):
        am1 = self.a - 1.0
        if x == 0.0:
            if am1 == 0.0:
                return self._c, -self.rate, 0.0
            return (math.inf if am1 < 0 else _NEG_INF), 0.0, 0.0
        return self._c + am1 * math.log(x) - self.rate * x, am1 / x - self.rate, -am1 / (x * x)

    def interior_point(self):
        return self.a / self.rate

    def unbounded_at(self):
        return (0.0,) if self.a < 1 else ()

    def _args(self):
        return self.a, self.rate

    def __repr__(self):
        return f"Gamma(a={self.a:g}, rate={self.rate:g})"

    def to_scipy(self):
        from scipy import stats
        return stats.gamma(self.a, scale=1.0 / self.rate)


class HalfNormal(Prior):
    """Half-normal prior on ``x >= 0`` with scale ``sigma`` (the standard
    deviation of the normal it folds): ``log p(x) = log(2) - log(sigma) -
    log(2 pi)/2 - x**2 / (2 sigma**2)``; ``scipy.stats.halfnorm(scale=sigma)``."""

    support = (0.0, math.inf)

    def __init__(self, sigma=1.0):
        self.sigma = _positive(sigma, "sigma", "HalfNormal")
        self._c = math.log(2.0) - math.log(self.sigma) - 0.5 * _LOG_2PI

    def _derivs(self, x):
        s2 = self.sigma * self.sigma
        return self._c - 0.5 * x * x / s2, -x / s2, -1.0 / s2

    def interior_point(self):
        return self.sigma * math.sqrt(2.0 / math.pi)

    def _args(self):
        return (self.sigma,)

    def to_scipy(self):
        from scipy import stats
        return stats.halfnorm(scale=self.sigma)


class HalfCauchy(Prior):
    """Half-Cauchy prior on ``x >= 0`` with ``scale``: ``log p(x) = log(2 /
    pi) - log(scale) - log(1 + (x / scale)**2)``; ``scipy.stats.halfcauchy(scale=scale)``.
    A weakly informative choice for scale parameters (Gelman 2006)."""

    support = (0.0, math.inf)

    def __init__(self, scale=1.0):
        self.scale = _positive(scale, "scale", "HalfCauchy")
        self._c = math.log(2.0 / math.pi) - math.log(self.scale)

    def _derivs(self, x):
        s2 = self.scale * self.scale
        r = s2 + x * x
        return (self._c - math.log1p((x / self.scale) ** 2), -2.0 * x / r, -2.0 * (s2 - x * x) / (r * r))

    def interior_point(self):
        return self.scale           # the median (the mean does not exist)

    def _args(self):
        return (self.scale,)

    def to_scipy(self):
        from scipy import stats
        return stats.halfcauchy(scale=self.scale)


class Exponential(Prior):
    """Exponential prior on ``x >= 0`` with ``rate`` (or ``scale = 1 / rate``):
    ``log p(x) = log(rate) - rate x``; ``scipy.stats.expon(scale=1/rate)``."""

    support = (0.0, math.inf)

    def __init__(self, rate=None, *, scale=None):
        self.rate = _rate_or_scale(rate, scale, "Exponential")
        self._c = math.log(self.rate)

    def _derivs(self, x):
        return self._c - self.rate * x, -self.rate, 0.0

    def interior_point(self):
        return 1.0 / self.rate

    def _args(self):
        return (self.rate,)

    def __repr__(self):
        return f"Exponential(rate={self.rate:g})"

    def to_scipy(self):
        from scipy import stats
        return stats.expon(scale=1.0 / self.rate)


class Beta(Prior):
    """Beta prior on ``0 <= x <= 1`` (for probabilities such as binom's
    ``p``): ``log p(x) = (a - 1) log(x) + (b - 1) log(1 - x) - log B(a, b)``;
    ``scipy.stats.beta(a, b)``. With ``a < 1`` (``b < 1``) the density is
    infinite at 0 (at 1)."""

    support = (0.0, 1.0)

    def __init__(self, a, b):
        self.a = _positive(a, "a", "Beta")
        self.b = _positive(b, "b", "Beta")
        self._c = math.lgamma(self.a + self.b) - math.lgamma(self.a) - math.lgamma(self.b)

    def _derivs(self, x):
        am1, bm1 = self.a - 1.0, self.b - 1.0
        if x == 0.0 or x == 1.0:
            e = am1 if x == 0.0 else bm1
            if e < 0:
                return math.inf, 0.0, 0.0
            if e > 0:
                return _NEG_INF, 0.0, 0.0
        lx = math.log(x) if am1 else 0.0
        l1x = math.log1p(-x) if bm1 else 0.0
        g = (am1 / x if am1 else 0.0) - (bm1 / (1.0 - x) if bm1 else 0.0)
        h = -(am1 / (x * x) if am1 else 0.0) - (bm1 / ((1.0 - x) ** 2) if bm1 else 0.0)
        return self._c + am1 * lx + bm1 * l1x, g, h

    def interior_point(self):
        return self.a / (self.a + self.b)

    def unbounded_at(self):
        return tuple(v for v, e in ((0.0, self.a), (1.0, self.b)) if e < 1)

    def _args(self):
        return self.a, self.b

    def to_scipy(self):
        from scipy import stats
        return stats.beta(self.a, self.b)


class Uniform(Prior):
    """Uniform prior on ``[lo, hi]``: log density ``-log(hi - lo)`` inside,
    ``-inf`` outside; ``scipy.stats.uniform(lo, hi - lo)``.

    It bounds the parameter: when the likelihood's maximum lies outside
    ``[lo, hi]`` the posterior mode is on the bound, where the parameter is
    held (named in the result's ``boundary`` and message, no standard error).
    """

    def __init__(self, lo, hi):
        self.lo = _real(lo, "lo", "Uniform")
        self.hi = _real(hi, "hi", "Uniform")
        if not self.hi > self.lo:
            raise ValueError(f"Uniform: hi must exceed lo, got lo={lo!r}, hi={hi!r}")
        self.support = (self.lo, self.hi)
        self._c = -math.log(self.hi - self.lo)

    def _derivs(self, x):
        return self._c, 0.0, 0.0

    def interior_point(self):
        return 0.5 * (self.lo + self.hi)

    def _args(self):
        return self.lo, self.hi

    def to_scipy(self):
        from scipy import stats
        return stats.uniform(self.lo, self.hi - self.lo)


class Flat(Prior):
    """The improper flat prior: log density 0 everywhere.

    A fit whose priors are all flat is exactly the maximum likelihood fit
    (reported as a MAP estimate, with the priors in ``result.prior``).
    """

    flat = True

    def _derivs(self, x):
        return 0.0, 0.0, 0.0

    def interior_point(self):
        return 0.0

    def __repr__(self):
        return "Flat()"

    def to_scipy(self):
        raise NotImplementedError("Flat is an improper prior: there is no scipy distribution for it")
