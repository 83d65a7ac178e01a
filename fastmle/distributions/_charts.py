"""Limit charts: coordinates in which a family's limit is an ordinary point.

With loc, scale and shape all free, a family that models the data poorly
often has no regular maximum: its likelihood rises towards a limit family
reached as the shape goes to infinity (or zero) while loc runs off to minus
infinity. Normal data fitted by gamma run to the normal (a -> inf), by
lognorm and invgauss too, by fisk to the logistic, by weibull_max to the
right-skewed Gumbel; Student's t on normal data runs to the normal as
df -> inf. In scipy's coordinates that ridge is curved and infinitely long,
and Newton crawls along it for hundreds of passes over the data.

A chart rewrites the family as ``(k, mu, sigma)``: ``mu`` and ``sigma`` are the
limit family's location and scale, ``k >= 0`` a shape coordinate with the
limit at ``k = 0``, and the log density is analytic through ``k = 0``
(``src/families/charts.h``). Newton then converges quadratically, either to a
(possibly huge but finite) shape, which is a regular maximum, or onto
``k = 0``. There the limit family's ``(mu, sigma)`` are fitted (closed form
for the normal) and the one-sided slope in ``k`` decides: pointing out of the
family, the supremum is the limit, which no member attains; the fit returns a
member within a small tolerance of it, ``converged=False``, and names the
limit in its message and ``mle_retvals``.

beta has two such shapes (its limits: the gamma, the reflected gamma and
their corner, the normal), handled by an active set: a shape that Newton
drives onto 0 is held there while the limit family is fitted (gamma's own
machinery for the gamma limits), and let go when its slope points back into
the family. skewnorm's chart is its centred parametrization (mean, sd and a
skewness coordinate), which only regularizes: a = 0, where the direct
parametrization's information is singular, is no limit.

Charts are used with every parameter free (never for a MAP fit or a
censored fit's start) where the driver would otherwise head for a limit:
gamma with a start shape a >= 4, lognorm s <= 0.5, invgauss mu <= 1, t
df >= 10, fisk c >= 4 and the Weibulls c >= 2 unless loc starts against the
data's edge; skewnorm and beta always. The fit's natural-parameter
log-likelihood, gradient and Hessian at the answer are computed through the
chart (the natural kernels cancel catastrophically out there).
"""
import math

import numpy as np

from .. import _families, _special
from .._optimize import _BUDGET_MESSAGE, Affine, Log, OptimizeResult
from ._family import assemble_locscale

__all__ = ["Chart", "CHARTS", "maximize_in_chart", "maximize_problem_in_chart"]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_ZERO1, _ZERO2 = np.zeros(1), np.zeros((1, 1))

#: Largest per-observation log-likelihood gap between the returned member and
#: the limit, relative to the limit's mean log-likelihood: 1e-10 (scipy's
#: parity tests allow 1e-9 of the total).
LIMIT_REL_TOL = 1e-10

#: Newton's step tolerance in a chart (relative, in coordinates on the
#: data's own scale): it stops one pass earlier than the driver's 1e-11,
#: at a point within ~1e-7 standard deviations of the maximum, far below
#: any sample's statistical resolution (the log-likelihood is then within
#: ~N 1e-14 of its maximum)
CHART_XTOL = 1e-7

_LIMIT_NAMES = {"norm": "normal", "logistic": "logistic", "gumbel_l": "left-skewed Gumbel (gumbel_l)",
                "gumbel_r": "right-skewed Gumbel (gumbel_r)"}


class NonNegative(Affine):
    """k = center + ref * t with k >= 0 (the limit at k = 0 is the floor)."""

    def __init__(self, center, ref):
        super().__init__(center, ref)
        self.T_MIN = -self.center / self.ref


class Cube:
    """c = t^(1/3) (real cube root): the skew-normal chart's c enters the
    log-likelihood as c^3 (its skewness) at leading order, so the likelihood
    is nearly quadratic in t, and Newton converges where in c it crawls
    (every c-derivative vanishes at c = 0). ``t`` is kept off 0, where dc/dt
    is infinite."""

    T_TINY = 1e-12

    def _t(self, t):
        return t if abs(t) >= self.T_TINY else math.copysign(self.T_TINY, t if t != 0 else 1.0)

    def to_internal(self, p):
        return self._t(math.copysign(abs(p) ** 3, p))

    def to_natural(self, t):
        t = self._t(t)
        return math.copysign(abs(t) ** (1.0 / 3.0), t)

    def derivs(self, t):
        t = self._t(t)
        a = abs(t)
        return a ** (-2.0 / 3.0) / 3.0, -math.copysign(2.0 / 9.0 * a ** (-5.0 / 3.0), t)

    def natural_and_derivs(self, t):
        d1, d2 = self.derivs(t)
        return self.to_natural(t), d1, d2


class Chart:
    """A family in limit coordinates ``theta = (shapes..., mu, sigma)``.

    Subclasses set ``kernel`` (the C density of ``z = (x - mu) / sigma``),
    ``limit`` (scipy's name of the family where the shape is 0), ``shape``
    (scipy's name of the shape), ``k_floor`` (see below) and ``bounded``, and
    implement ``natural`` (to the driver's parameters, with derivatives) and
    ``chart`` (back).
    """

    kernel = None
    limit = None
    going = None        # how scipy's parameters move towards the limit
    #: number of shape coordinates (each >= 0 unless ``signed``)
    m = 1
    #: k of either sign, no limit at k = 0 (a chart that only regularizes)
    signed = False
    #: The smallest k returned for the limit. Out there scipy's parameters
    #: (loc and scale ~ sigma / k, shapes ~ 1/k) make every observation's
    #: log density round by ~eps / k, and so do fastmle's natural kernels;
    #: each chart's floor keeps their sums within ~1e-9 of the chart's
    #: (measured on 3e3 and 1e6 normal draws).
    k_floor = 1e-9
    #: a fixed k for the limit's representative instead (t: df = 1e12)
    k_limit = None
    #: the limit family's (mu, sigma) have a closed form (the normal's)
    normal_limit = True
    #: a start shape below this begins held at 0 (see maximize_in_chart)
    doorstep = 1e-4

    def start(self, params, data):
        """Newton's start in the chart from the driver's start ``params``."""
        return self.chart(params)

    def shape_transform(self, k0):
        """The optimizer's coordinate for a shape (``fastmle._optimize`` interface)."""
        return Affine(k0, 1.0) if self.signed else NonNegative(k0, 1.0)

    @property
    def shape_names(self):
        return (self.shape,)

    def constant(self, k):
        """z-free log density term and its k-derivatives: (c0, c1 (1,), c2 (1, 1))."""
        return -_LOG_SQRT_2PI, _ZERO1, _ZERO2

    def kernel_params(self, k):
        return [k]

    def natural(self, theta):
        """scipy's (shape, loc, scale) at ``theta``, the Jacobian d p / d theta
        (3 x 3) and the second derivatives d2 p_j / d theta^2 (3 x 3 x 3)."""
        raise NotImplementedError

    def chart(self, p):
        """``theta`` of scipy's (shape, loc, scale)."""
        raise NotImplementedError

    # -- the likelihood in chart coordinates -------------------------------------
    #: which ends of the support the shapes bound: "below" (1 + k z > 0),
    #: "above" (1 - k z > 0), "both" (beta) or None
    bounded = "below"

    def covers(self, theta, lo, hi):
        """Whether the support at ``theta`` holds the data's range [lo, hi]
        (the kernel's own test on the extreme observations)."""
        m = self.m
        mu, inv = float(theta[m]), 1.0 / float(theta[m + 1])
        if self.bounded == "below":
            return 1.0 + float(theta[0]) * ((lo - mu) * inv) > 0.0
        if self.bounded == "above":
            return 1.0 - float(theta[0]) * ((hi - mu) * inv) > 0.0
        if self.bounded == "both":
            return 1.0 + float(theta[0]) * ((lo - mu) * inv) > 0.0 and \
                1.0 - float(theta[1]) * ((hi - mu) * inv) > 0.0
        return True

    def evaluate(self, data, theta):
        m = self.m
        shapes = [float(v) for v in theta[:m]]
        mu, sigma = float(theta[m]), float(theta[m + 1])
        scan = data.scan()
        if not self.covers(theta, scan.min, scan.max):
            # outside the support: the line search's trial steps cost no pass
            return -np.inf, np.zeros(m + 2), np.zeros((m + 2, m + 2))
        block = np.array([mu, 1.0 / sigma] + list(self.kernel_params(*shapes)), dtype=float)
        s = data.reduce(_families.sums, self.kernel, block)
        return assemble_locscale(s, m, sigma, self.constant(*shapes))

    def limit_of(self, active):
        """(scipy name, how the parameters move) of the limit with the shapes
        at indices ``active`` at 0."""
        return self.limit, self.going

    def fit_limit(self, data, theta, active):
        """Hook: the limit family's MLE (shapes at ``active`` held at 0),
        fitted by that family itself, as ``(theta, FitResult, shapes found at
        their own limit)``; None: the chart's Newton fits it."""
        return None

    def natural_derivatives(self, theta, ll, g, H):
        """(ll, gradient, Hessian) in scipy's parameters from those in the chart.

        With J = d theta / d p = K^-1: g_p = J' g and
        H_p = J' (H - sum_j g_p[j] d2 p_j / d theta^2) J (differentiating
        theta(p(theta)) = theta twice).
        """
        _, K, D2 = self.natural(theta)
        J = np.linalg.inv(K)
        gp = J.T @ g
        corr = np.tensordot(gp, D2, axes=1)
        return ll, gp, J.T @ (H - corr) @ J


def _box_cox_natural(theta, shape_of_k, mirrored=False):
    """loc = mu -+ sigma/k, scale = sigma/k, shape = f(k): the Box-Cox charts."""
    k, mu, sigma = (float(v) for v in theta)
    shape, d1, d2 = shape_of_k(k)
    sgn = -1.0 if mirrored else 1.0
    ik = 1.0 / k
    p = (shape, mu - sgn * sigma * ik, sigma * ik)
    K = np.array([[d1, 0.0, 0.0],
                  [sgn * sigma * ik * ik, 1.0, -sgn * ik],
                  [-sigma * ik * ik, 0.0, ik]])
    D2 = np.zeros((3, 3, 3))
    D2[0, 0, 0] = d2
    D2[1, 0, 0] = -2.0 * sgn * sigma * ik ** 3
    D2[1, 0, 2] = D2[1, 2, 0] = sgn * ik * ik
    D2[2, 0, 0] = 2.0 * sigma * ik ** 3
    D2[2, 0, 2] = D2[2, 2, 0] = -ik * ik
    return p, K, D2


def _identity(k):
    return k, 1.0, 0.0


def _reciprocal(k):
    return 1.0 / k, -1.0 / (k * k), 2.0 / k ** 3


class BoxCoxChart(Chart):
    """X = loc + scale exp(k B) (or loc - scale exp(k B), ``mirrored``):
    mu = loc +- scale, sigma = k scale; scipy's shape is k
    (``reciprocal_shape`` False) or 1/k."""

    reciprocal_shape = True
    mirrored = False

    def natural(self, theta):
        return _box_cox_natural(theta, _reciprocal if self.reciprocal_shape else _identity, self.mirrored)

    def chart(self, p):
        shape, loc, scale = (float(v) for v in p)
        k = 1.0 / shape if self.reciprocal_shape else shape
        return np.array([k, loc - scale if self.mirrored else loc + scale, k * scale])


class LognormChart(BoxCoxChart):
    """lognorm(s, loc, scale): k = s, mu = loc + scale, sigma = s scale; the
    normal at k = 0 (s -> 0, loc -> -inf)."""

    shape = "s"
    kernel = "chart_lognorm"
    k_floor = 1e-8
    limit = "norm"
    going = "s -> 0 with loc -> -inf and scale -> inf"
    reciprocal_shape = False


class FiskChart(BoxCoxChart):
    """fisk(c, loc, scale): k = 1/c, mu = loc + scale (the median), sigma =
    scale / c; the logistic at k = 0 (c -> inf, loc -> -inf)."""

    shape = "c"
    kernel = "chart_fisk"
    limit = "logistic"
    going = "c -> inf with loc -> -inf and scale -> inf"
    normal_limit = False

    def constant(self, k):
        return 0.0, _ZERO1, _ZERO2


class WeibullMinChart(FiskChart):
    """weibull_min(c, loc, scale): k = 1/c, mu = loc + scale, sigma = scale / c;
    the left-skewed Gumbel (gumbel_l) at k = 0 (c -> inf, loc -> -inf)."""

    kernel = "chart_weibull_min"
    k_floor = 1e-7
    limit = "gumbel_l"


class WeibullMaxChart(FiskChart):
    """weibull_max(c, loc, scale) is genextreme(1/c, loc - scale, scale / c):
    k = 1/c is genextreme's shape, restricted to k >= 0; the right-skewed
    Gumbel (gumbel_r) at k = 0 (c -> inf, loc -> +inf)."""

    kernel = "genextreme"
    bounded = "above"
    k_floor = 1e-7
    limit = "gumbel_r"
    going = "c -> inf with loc -> inf and scale -> inf"
    mirrored = True


# lgamma's Stirling series: (a - 1/2) log a - a - lgamma(a) + log(2 pi)/2
# = -sum_j B_2j / (2j (2j - 1)) a^(1 - 2j), with a = k^-2 a series in k^4
_STIRLING = (1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156)


class GammaChart(Chart):
    """gamma(a, loc, scale): k = 1/sqrt(a) (half the skewness), mu = loc +
    a scale (the mean), sigma = sqrt(a) scale (the sd); the normal at k = 0
    (a -> inf, loc -> -inf)."""

    shape = "a"
    kernel = "chart_gamma"
    limit = "norm"
    going = "a -> inf with loc -> -inf and scale -> 0"
    k_floor = 1e-3      # scipy's gamma logpdf rounds a eps = eps / k^2 per observation

    def constant(self, k):
        """C(k) = (a - 1/2) log a - a - lgamma(a), a = k^-2, with k-derivatives."""
        if k < 0.3:
            # -log(2 pi)/2 - sum_j s_j k^(4j - 2): no cancellation
            c0 = c1 = c2 = 0.0
            for j, s in enumerate(_STIRLING, 1):
                e = 4 * j - 2
                c0 -= s * k ** e
                c1 -= s * e * k ** (e - 1)
                c2 -= s * e * (e - 1) * k ** (e - 2)
            return c0 - _LOG_SQRT_2PI, np.array([c1]), np.array([[c2]])
        a = 1.0 / (k * k)
        la = math.log(a)
        c0 = (a - 0.5) * la - a - float(_special.lgamma(a))
        ca = la - 0.5 / a - float(_special.digamma(a))
        caa = 1.0 / a + 0.5 / (a * a) - float(_special.trigamma(a))
        da, dda = -2.0 / k ** 3, 6.0 / k ** 4
        return c0, np.array([ca * da]), np.array([[caa * da * da + ca * dda]])

    def natural(self, theta):
        k, mu, sigma = (float(v) for v in theta)
        ik = 1.0 / k
        p = (ik * ik, mu - sigma * ik, sigma * k)
        K = np.array([[-2.0 * ik ** 3, 0.0, 0.0],
                      [sigma * ik * ik, 1.0, -ik],
                      [sigma, 0.0, k]])
        D2 = np.zeros((3, 3, 3))
        D2[0, 0, 0] = 6.0 * ik ** 4
        D2[1, 0, 0] = -2.0 * sigma * ik ** 3
        D2[1, 0, 2] = D2[1, 2, 0] = ik * ik
        D2[2, 0, 2] = D2[2, 2, 0] = 1.0
        return p, K, D2

    def chart(self, p):
        a, loc, scale = (float(v) for v in p)
        return np.array([1.0 / math.sqrt(a), loc + a * scale, math.sqrt(a) * scale])


class InvgaussChart(Chart):
    """invgauss(mu, loc, scale): k = sqrt(mu) (a third of the skewness),
    mu_x = loc + mu scale (the mean), sigma = mu^1.5 scale (the sd); the
    normal at k = 0 (mu -> 0, loc -> -inf, scale -> inf)."""

    shape = "mu"
    kernel = "chart_invgauss"
    limit = "norm"
    going = "mu -> 0 with loc -> -inf and scale -> inf"

    def natural(self, theta):
        k, mu, sigma = (float(v) for v in theta)
        ik = 1.0 / k
        p = (k * k, mu - sigma * ik, sigma * ik ** 3)
        K = np.array([[2.0 * k, 0.0, 0.0],
                      [sigma * ik * ik, 1.0, -ik],
                      [-3.0 * sigma * ik ** 4, 0.0, ik ** 3]])
        D2 = np.zeros((3, 3, 3))
        D2[0, 0, 0] = 2.0
        D2[1, 0, 0] = -2.0 * sigma * ik ** 3
        D2[1, 0, 2] = D2[1, 2, 0] = ik * ik
        D2[2, 0, 0] = 12.0 * sigma * ik ** 5
        D2[2, 0, 2] = D2[2, 2, 0] = -3.0 * ik ** 4
        return p, K, D2

    def chart(self, p):
        m, loc, scale = (float(v) for v in p)
        return np.array([math.sqrt(m), loc + m * scale, m ** 1.5 * scale])


class TChart(Chart):
    """t(df, loc, scale): k = 1/df, loc and scale unchanged; the normal at
    k = 0 (df -> inf)."""

    shape = "df"
    bounded = None
    kernel = "chart_t"
    limit = "norm"
    going = "df -> inf"
    k_limit = 1e-12     # df = 1e12, as t's normal limit with loc or scale fixed (fastmle.distributions.t)

    def constant(self, k):
        """C = lgamma((df + 1)/2) - lgamma(df/2) - log(df pi)/2 with df = 1/k."""
        if k <= 0.01:
            # S(x) = lgamma(x + 1/2) - lgamma(x) - log(x)/2 at x = 1/(2k):
            # -k/4 + k^3/24 - k^5/20 + 17 k^7/112 (the series of fastmle.distributions.t)
            c0 = -_LOG_SQRT_2PI + k * (-0.25 + k * k * (1.0 / 24 + k * k * (-0.05 + k * k * 17.0 / 112)))
            c1 = -0.25 + k * k * (0.125 + k * k * (-0.25 + k * k * 17.0 / 16))
            c2 = k * (0.25 + k * k * (-1.0 + k * k * 51.0 / 8))
            return c0, np.array([c1]), np.array([[c2]])
        df = 1.0 / k
        h1, h0 = 0.5 * (df + 1.0), 0.5 * df
        c0 = float(_special.lgamma(h1)) - float(_special.lgamma(h0)) - 0.5 * math.log(df * math.pi)
        d1 = 0.5 * (float(_special.digamma(h1)) - float(_special.digamma(h0))) - 0.5 / df
        d2 = 0.25 * (float(_special.trigamma(h1)) - float(_special.trigamma(h0))) + 0.5 / df ** 2
        # d df / dk = -df^2, d2 df / dk2 = 2 df^3
        return c0, np.array([-d1 * df * df]), np.array([[d2 * df ** 4 + 2.0 * d1 * df ** 3]])

    def natural(self, theta):
        k, mu, sigma = (float(v) for v in theta)
        shape, d1, d2 = _reciprocal(k)
        K = np.diag([d1, 1.0, 1.0])
        D2 = np.zeros((3, 3, 3))
        D2[0, 0, 0] = d2
        return (shape, mu, sigma), K, D2

    def chart(self, p):
        df, loc, scale = (float(v) for v in p)
        return np.array([1.0 / df, loc, scale])


_B2 = 2.0 / math.pi     # b^2 = (E|Z|)^2 of a standard normal


class SkewnormChart(Chart):
    """skewnorm(a, loc, scale) in the centred parametrization: mu and sigma
    the mean and sd, c = mu_z / sqrt(1 - mu_z^2) (mu_z = delta sqrt(2/pi),
    c^3 = 2 skewness / (4 - pi)); the normal at c = 0 is an ordinary, regular
    point (the direct parametrization's information is singular at a = 0).
    ``signed``: c takes either sign and c = 0 is no limit."""

    bounded = None
    kernel = "chart_skewnorm"
    limit = None
    shape = "a"
    signed = True
    #: |c| < C_MAX (|a| finite)
    C_MAX = math.sqrt(_B2 / (1.0 - _B2))

    def shape_transform(self, k0):
        return Cube()

    def start(self, params, data):
        """The moment estimate in these coordinates: the data's mean, sd and
        skewness (the validating scan's) for a start near a = 0, where a
        subsample's skewness (the warm start's) is noise: its standard error
        sqrt(6/32768) = 0.014 puts c off by ~0.3 and costs Newton two passes."""
        s = data.scan()
        sd = math.sqrt(s.var)
        # (a start far from a = 0 is a choice of mode, e.g. the subsample's
        # scan of the profile in a beyond the near-normal maximum: kept)
        if not (abs(s.skew) < 0.99 and sd > 0 and math.isfinite(s.mean) and abs(params[0]) < 1.0):
            return self.chart(params)
        c = math.copysign((2.0 * abs(s.skew) / (4.0 - math.pi)) ** (1.0 / 3.0), s.skew)
        return np.array([c, s.mean, sd])

    def _a(self, c):
        """a(c) and its first two derivatives."""
        D = _B2 - c * c * (1.0 - _B2)
        if not D > 0:
            return math.nan, math.nan, math.nan
        return c / math.sqrt(D), _B2 * D ** -1.5, 3.0 * _B2 * c * (1.0 - _B2) * D ** -2.5

    def kernel_params(self, k):
        a, da, dda = self._a(k)
        return [k, 1.0 / math.sqrt(1.0 + k * k), a, da, dda]

    def constant(self, k):
        r2 = 1.0 + k * k
        return (math.log(2.0) - _LOG_SQRT_2PI - 0.5 * math.log(r2), np.array([-k / r2]),
                np.array([[-(1.0 - k * k) / (r2 * r2)]]))

    def evaluate(self, data, theta):
        if not abs(float(theta[0])) < self.C_MAX:
            return -np.inf, np.zeros(3), np.zeros((3, 3))
        return super().evaluate(data, theta)

    def natural(self, theta):
        c, mu, sigma = (float(v) for v in theta)
        a, da, dda = self._a(c)
        r = math.sqrt(1.0 + c * c)
        p = (a, mu - sigma * c, sigma * r)
        K = np.array([[da, 0.0, 0.0],
                      [-sigma, 1.0, -c],
                      [sigma * c / r, 0.0, r]])
        D2 = np.zeros((3, 3, 3))
        D2[0, 0, 0] = dda
        D2[1, 0, 2] = D2[1, 2, 0] = -1.0
        D2[2, 0, 0] = sigma / r ** 3
        D2[2, 0, 2] = D2[2, 2, 0] = c / r
        return p, K, D2

    def chart(self, p):
        a, loc, scale = (float(v) for v in p)
        mu_z = math.sqrt(_B2) * a / math.sqrt(1.0 + a * a)
        r = 1.0 / math.sqrt(1.0 - mu_z * mu_z)
        return np.array([mu_z * r, loc + scale * mu_z, scale / r])


def _quotient(N, dN, ddN, P, dP, ddP):
    """v = N / P with its gradient and Hessian from those of N and P."""
    v = N / P
    g = (dN * P - N * dP) / (P * P)
    H = ddN / P - (np.outer(dN, dP) + np.outer(dP, dN)) / P ** 2 - N * ddP / P ** 2 \
        + 2.0 * N * np.outer(dP, dP) / P ** 3
    return v, g, H


_STIRLING_V = tuple((s, 2 * j - 1) for j, s in enumerate(_STIRLING, 1))   # phi(x) = sum s v^e, v = 1/x


def _stirling_remainder(v):
    """chi(v) = phi(1/v) = lgamma(x) - (x - 1/2) log x + x - log(2 pi)/2 at
    x = 1/v, with its first two v-derivatives."""
    if v < 0.1:
        c0 = c1 = c2 = 0.0
        for s, e in _STIRLING_V:
            c0 += s * v ** e
            c1 += s * e * v ** (e - 1)
            if e > 1:
                c2 += s * e * (e - 1) * v ** (e - 2)
        return c0, c1, c2
    x = 1.0 / v
    lx = math.log(x)
    f = float(_special.lgamma(x)) - (x - 0.5) * lx + x - _LOG_SQRT_2PI
    f1 = float(_special.digamma(x)) - lx + 0.5 / x
    f2 = float(_special.trigamma(x)) - 1.0 / x - 0.5 / (x * x)
    return f, -x * x * f1, x ** 4 * f2 + 2.0 * x ** 3 * f1


class BetaChart(Chart):
    """beta(a, b, loc, scale) (the driver's coordinates: a, b, loc, hi =
    loc + scale) as (al, be, mu, sigma): mu and sigma the mean and sd,
    al = sqrt(b / (a (a + b + 1))), be = sqrt(a / (b (a + b + 1))), the
    support mu - sigma/al < x < mu + sigma/be. Two limits and their corner:
    be = 0 is the gamma (b -> inf; al its chart's 1/sqrt(a)), al = 0 the
    reflected gamma (a -> inf), both 0 the normal."""

    kernel = "chart_beta"
    bounded = "both"
    m = 2
    k_floor = 1e-7      # scipy's beta switches to asymptotic forms out there (~1e-15 on 1e6 rows)
    #: the subsample's fit of data from a gamma is often a beta with b ~ 500
    #: (be ~ 3e-3), from which Newton on the data goes to be = 0 in 4 passes:
    #: starting there (gamma's fit, then the slope) saves them (gamma data at
    #: 1e6 rows: 10.4 -> 7.4 passes); a beta that really has b ~ 1000 pays
    #: for the gamma fit instead (beta(2, 1000): 9.4 -> 13.7)
    doorstep = 0.01
    #: the normal's (mu, sigma) are closed forms when both shapes are held
    normal_limit = True

    @property
    def shape_names(self):
        return ("a", "b")

    def limit_of(self, active):
        if len(active) == 2:
            return "norm", "a and b -> inf with loc -> -inf and loc + scale -> inf"
        if active == [1]:
            return "gamma", "b -> inf with loc + scale -> inf, a gamma with a free loc"
        return "reflected gamma (a gamma fitted to -x)", "a -> inf with loc -> -inf"

    def kernel_params(self, al, be):
        return [al, be]

    def fit_limit(self, data, theta, active):
        """The gamma (b -> inf) or reflected gamma (a -> inf) limit fitted by
        gamma's own free-loc machinery: there
        the remaining shape is often small (lognormal data: a = 1.6, loc
        against min(x)), where the chart's coordinates crawl (165 passes)
        and gamma's log-gap coordinate does not. The reflected gamma is
        gamma fitted to -x (in-memory data only)."""
        from .. import _data
        from ._base import FitSpec
        from ._realline import quietly
        from .gamma import gamma as gamma_dist

        reflect = active == [0]
        if reflect:
            if data.out_of_core:
                return None
            data = _data.Data([(-x, w) for x, w in data.chunks], data.n_threads)
        # gamma's own start (its subsample fit, whose gap to min(x) it scales
        # to the data's size): from the chart's point its Newton took 15
        # passes on lognormal data, from its own 8
        spec = FitSpec({}, {}, "mle")
        try:
            res = quietly(gamma_dist._fit, data, spec)
        except (ValueError, ArithmeticError):
            return None
        a, loc, scale = (float(v) for v in res.params)
        new = np.zeros(4)
        i = 1 if reflect else 0
        new[i] = 1.0 / math.sqrt(a)
        new[2] = (-1.0 if reflect else 1.0) * (loc + a * scale)
        new[3] = math.sqrt(a) * scale
        more = []
        if "limit" in res.mle_retvals:      # the gamma itself at its normal limit
            new[i] = 0.0
            more = [i]
        return new, res, more

    def constant(self, al, be):
        """-log(2 pi)/2 + log(1 - al be)/2 - phi(a) - phi(b) + phi(a + b),
        phi the remainder of Stirling's series for lgamma, in 1/a, 1/b and
        1/(a + b), which are rational in (al, be) (no cancellation at the
        limits, where they vanish)."""
        P = 1.0 - al * be
        dP = np.array([-be, -al])
        ddP = np.array([[0.0, -1.0], [-1.0, 0.0]])
        c0 = -_LOG_SQRT_2PI + 0.5 * math.log(P)
        c1 = 0.5 * dP / P
        c2 = 0.5 * (ddP / P - np.outer(dP, dP) / P ** 2)
        terms = (
            (-1.0, al * al + al * be, np.array([2 * al + be, al]), np.array([[2.0, 1.0], [1.0, 0.0]])),
            (-1.0, be * be + al * be, np.array([be, 2 * be + al]), np.array([[0.0, 1.0], [1.0, 2.0]])),
            (1.0, al * be, np.array([be, al]), np.array([[0.0, 1.0], [1.0, 0.0]])),
        )
        for sign, N, dN, ddN in terms:
            v, gv, Hv = _quotient(N, dN, ddN, P, dP, ddP)
            f, f1, f2 = _stirling_remainder(v)
            c0 += sign * f
            c1 = c1 + sign * f1 * gv
            c2 = c2 + sign * (f2 * np.outer(gv, gv) + f1 * Hv)
        return c0, c1, c2

    def evaluate(self, data, theta):
        if not (theta[0] * theta[1] < 1.0):
            return -np.inf, np.zeros(4), np.zeros((4, 4))
        return super().evaluate(data, theta)

    def natural(self, theta):
        al, be, mu, sigma = (float(v) for v in theta)
        P = 1.0 - al * be
        f, h = 1.0 / (al * al + al * be), 1.0 / (be * be + al * be)
        fa, fb = -(2 * al + be) * f * f, -al * f * f
        faa, fab, fbb = -2 * f * f + 2 * (2 * al + be) ** 2 * f ** 3, -f * f + 2 * al * (2 * al + be) * f ** 3, \
            2 * al * al * f ** 3
        ha, hb = -be * h * h, -(2 * be + al) * h * h
        haa, hab, hbb = 2 * be * be * h ** 3, -h * h + 2 * be * (2 * be + al) * h ** 3, \
            -2 * h * h + 2 * (2 * be + al) ** 2 * h ** 3
        Pa, Pb = -be, -al
        a, b = P * f, P * h
        p = (a, b, mu - sigma / al, mu + sigma / be)
        K = np.zeros((4, 4))
        K[0, :2] = Pa * f + P * fa, Pb * f + P * fb
        K[1, :2] = Pa * h + P * ha, Pb * h + P * hb
        K[2] = sigma / al ** 2, 0.0, 1.0, -1.0 / al
        K[3] = 0.0, -sigma / be ** 2, 1.0, 1.0 / be
        D2 = np.zeros((4, 4, 4))
        D2[0, 0, 0] = 2 * Pa * fa + P * faa
        D2[0, 1, 1] = 2 * Pb * fb + P * fbb
        D2[0, 0, 1] = D2[0, 1, 0] = -f + Pa * fb + Pb * fa + P * fab
        D2[1, 0, 0] = 2 * Pa * ha + P * haa
        D2[1, 1, 1] = 2 * Pb * hb + P * hbb
        D2[1, 0, 1] = D2[1, 1, 0] = -h + Pa * hb + Pb * ha + P * hab
        D2[2, 0, 0] = -2 * sigma / al ** 3
        D2[2, 0, 3] = D2[2, 3, 0] = 1.0 / al ** 2
        D2[3, 1, 1] = 2 * sigma / be ** 3
        D2[3, 1, 3] = D2[3, 3, 1] = -1.0 / be ** 2
        return p, K, D2

    def chart(self, p):
        a, b, loc, hi = (float(v) for v in p)
        t = a + b
        scale = hi - loc
        m, s = a / t, math.sqrt(a * b / (t * t * (t + 1.0)))
        return np.array([math.sqrt(b / (a * (t + 1.0))), math.sqrt(a / (b * (t + 1.0))),
                         loc + scale * m, scale * s])


CHARTS = {"beta": BetaChart(), "skewnorm": SkewnormChart(), "lognorm": LognormChart(), "fisk": FiskChart(), "weibull_min": WeibullMinChart(),
          "weibull_max": WeibullMaxChart(), "gamma": GammaChart(), "invgauss": InvgaussChart(),
          "t": TChart()}


class _OnFloor(Exception):
    """Newton tried a point with free shapes (``shapes``) on their floor, 0."""

    def __init__(self, shapes):
        super().__init__(f"shapes {shapes} on the floor")
        self.shapes = list(shapes)


def _limit_start(chart, data):
    """(mu, sigma) of the limit family's MLE when it is the normal (the
    validating scan's weighted mean and sd)."""
    s = data.scan()
    return s.mean, math.sqrt(s.var)


def maximize_in_chart(chart, data, params, nobs):
    """Maximize the likelihood over ``chart``'s coordinates from ``params``
    (the problem's, every parameter free; updated in place).

    Newton runs on ``(shapes, mu, sigma)`` with each shape ``>= 0`` (an
    active set): a shape that Newton drives onto 0 is held there and the
    others are fitted again, which is fitting the limit family (the normal's
    ``(mu, sigma)`` in closed form); then the slope of each held shape is
    read: pointing into the family, it is let go (from the maximum of the
    quadratic model) and Newton goes on; pointing out of it, the supremum is
    the limit. A start next to a limit (a warm start that was one) begins
    with those shapes held.

    Returns
    -------
    (OptimizeResult, limit, evaluate)
        ``limit``: None for a regular maximum, else a dict of what the
        result reports about the limit (``mle_retvals``). ``evaluate(p)``:
        the log-likelihood, gradient and Hessian in the problem's parameters
        through the chart at the returned ``params``, None elsewhere.
    """
    from .. import _budget
    from ._base import Problem, _maximize_free, _remember_last

    m = chart.m
    theta = np.array(chart.start(params, data), dtype=float)
    shapes = list(range(m))
    if not chart.signed:
        theta[:m] = np.maximum(theta[:m], 0.0)
    transforms = {i: chart.shape_transform(float(theta[i])) for i in shapes}
    transforms[m] = Affine(theta[m], theta[m + 1])
    transforms[m + 1] = Log(theta[m + 1])
    remembered = _remember_last(lambda th: chart.evaluate(data, th))
    last_good = theta.copy()
    # a shape this close to 0 (a warm start that was a limit, its member a
    # small k away) starts held: the limit's fit and its slopes decide at once
    doorstep = max(chart.doorstep, 2.0 * chart.k_floor, 2.0 * (chart.k_limit or 0.0))
    active = set() if chart.signed else {i for i in shapes if theta[i] <= doorstep}
    theta[list(active)] = 0.0

    def evaluate(th):
        # a trial step that Newton projected onto a free shape's floor: that
        # shape is held from the last point instead (the projected step's line
        # search cost six passes on normal data fitted by beta)
        hits = [i for i in shapes if i not in active and not chart.signed and th[i] <= 0.0]
        if hits:
            raise _OnFloor(hits)
        out = remembered(th)
        if np.isfinite(out[0]):
            last_good[:] = th
        return out

    problem = Problem(theta, transforms, evaluate, nobs)
    n_iter = n_eval = 0
    limit = at_limit = None
    opt = sub = None
    for _ in range(4 + 2 * m):
        free = [i for i in range(m + 2) if i not in active]
        fitted = None if not active or len(active) == m else chart.fit_limit(data, theta, sorted(active))
        if len(active) == m and chart.normal_limit:
            theta[m:] = _limit_start(chart, data)
            sub = None
        elif fitted is not None:
            # the limit family's own fit (beta's gamma limits: gamma's machinery)
            theta[:], sub, more = fitted
            n_iter += sub.n_iter
            active.update(more)
        else:
            try:
                sub, _ = _maximize_free(problem, theta, free, xtol=CHART_XTOL)
            except _OnFloor as hit:
                theta[:] = last_good
                active.update(hit.shapes)
                theta[hit.shapes] = 0.0
                continue
            n_iter += sub.n_iter
            n_eval += sub.n_eval
            opt = sub
            floored = [i for i in shapes if i not in active and getattr(transforms[i], "T_MIN", -math.inf) > -math.inf
                       and transforms[i].to_internal(theta[i]) <= transforms[i].T_MIN + 1e-12]
            if floored:
                active.update(floored)
                theta[floored] = 0.0
                continue
        if not active or _budget.spent():
            break
        # on a limit: the slopes of the held shapes decide
        ll0, g0, H0 = problem.evaluate(theta)
        n_eval += 1
        release = [i for i in sorted(active) if g0[i] > 0.0 and H0[i, i] < 0.0]
        if release:
            # the likelihood rises into the family: a regular maximum near the limit
            for i in release:
                theta[i] = min(-g0[i] / H0[i, i], 0.5)
                active.discard(i)
            continue
        limit, at_limit = _limit_point(chart, problem, theta, sorted(active), ll0, g0, H0, nobs)
        limit["converged"] = sub is None or sub.converged
        family, going = chart.limit_of(sorted(active))
        message = (f"no maximum: the likelihood rises towards the {_LIMIT_NAMES.get(family, family)} limit "
                   f"({going}); the estimate is a point on that ridge within "
                   f"{limit['gap']:.2g} of the limit's log-likelihood {ll0:.10g} "
                   f"(mle_retvals['limit'])")
        rest = [i for i in range(m + 2) if i not in active]
        grad_norm = float(np.max(np.abs(g0[rest])) / max(nobs, 1.0))
        opt = OptimizeResult(theta, ll0, g0, H0, n_iter, n_eval, False, message, grad_norm, "newton")
        break
    if limit is None and active:
        # stopped on a limit before its slopes were read (the work budget of
        # fastmle.select ran out): the member next to it stands for it
        theta[sorted(active)] = chart.k_limit or chart.k_floor
    if opt is None:
        opt = OptimizeResult(theta, math.nan, None, None, n_iter, n_eval, False, _BUDGET_MESSAGE,
                             math.inf, "newton")
    final = theta.copy()
    # (the optimizer's last point, remembered, or the limit's member: no pass)
    at_final = at_limit if limit is not None else problem.evaluate(final)
    if limit is None and opt is not None and opt.converged and len(opt.t) == m + 2:
        final, at_final = _last_step(problem, opt, final, at_final)
    params[:] = chart.natural(final)[0]
    key = tuple(float(v) for v in params)

    def evaluate(q):
        if tuple(float(v) for v in q) != key:
            return None
        return chart.natural_derivatives(final, *at_final)

    opt.n_iter, opt.n_eval = n_iter, n_eval
    return opt, limit, evaluate


def _last_step(problem, opt, theta, at):
    """The Newton step that CHART_XTOL stopped short of, taken without a pass.

    Newton stops when its next step is below 1e-7 (relative); converging
    quadratically, that step would land within ~1e-14 of the maximum. It is
    taken here (in the optimizer's coordinates, where the model is
    quadratic), and the log-likelihood there is the quadratic model's,
    ``ll + g.d / 2`` (its error, ~|d|^3 N, is far below the rounding of a
    sum of N terms), the gradient zero and the Hessian the last one (off by
    ~|d| relative): the answer of one more pass, without the pass.
    """
    ll, _, H = at
    g_t, H_t = np.asarray(opt.grad, dtype=float), np.asarray(opt.hess, dtype=float)
    try:
        L = np.linalg.cholesky(-H_t)
    except np.linalg.LinAlgError:
        return theta, at
    d = np.linalg.solve(L.T, np.linalg.solve(L, g_t))
    if not (np.all(np.isfinite(d)) and np.max(np.abs(d)) <= 1e-6):
        return theta, at
    t = np.asarray(opt.t, dtype=float) + d
    moved = np.array([problem.transforms[i].to_natural(float(t[i])) for i in range(len(t))])
    return moved, (ll + 0.5 * float(g_t @ d), np.zeros_like(at[1]), H)


def _limit_point(chart, problem, theta, active, ll0, g0, H0, nobs):
    """Move ``theta`` (on a limit: the shapes at ``active`` are 0) to the
    member returned for it: each held shape as large as keeps its share of
    the log-likelihood loss, by the quadratic model, within LIMIT_REL_TOL of
    the limit's per observation, and at least the chart's ``k_floor``.
    Returns what ``mle_retvals['limit']`` reports and (ll, grad, hess) at
    the member."""
    tol = LIMIT_REL_TOL * max(abs(ll0), nobs) / len(active)
    for i in active:
        s, h = -float(g0[i]), -float(H0[i, i])     # loss(k) = s k + h k^2 / 2, s >= 0
        if chart.k_limit is not None:
            k = chart.k_limit
        elif h > 0:
            k = max(2.0 * tol / (s + math.sqrt(s * s + 2.0 * h * tol)), chart.k_floor)
        else:
            k = max(tol / max(s, 1e-300), chart.k_floor)
        theta[i] = k
    dk = np.zeros_like(theta)
    dk[active] = theta[active]
    if np.max(dk) <= 1e-6:
        # the quadratic model from the limit, with no pass: its error, ~N k^3,
        # is below the rounding of the log-likelihood's sum
        at = (ll0 + float(g0 @ dk) + 0.5 * float(dk @ H0 @ dk), g0 + H0 @ dk, H0)
    else:
        at = problem.evaluate(theta)
    m = chart.m
    family, _ = chart.limit_of(active)
    return {"family": family, "loc": float(theta[m]), "scale": float(theta[m + 1]), "llf": float(ll0),
            "gap": float(ll0 - at[0]), "slope": float(max(g0[i] for i in active)),
            "shapes": {chart.shape_names[i]: float(theta[i]) for i in range(m) if i not in active}}, at


def maximize_problem_in_chart(problem, data, params, boundary):
    """The driver's hook (``Distribution._fit``): maximize ``problem`` in its
    chart, update ``params``, and make ``problem.evaluate`` answer at the
    result through the chart. At a limit the shape is listed in ``boundary``
    (its variance is not defined). The returned OptimizeResult carries
    ``retvals`` for ``mle_retvals`` (``chart``, and ``limit`` at a limit)."""
    chart = problem.chart
    opt, limit, at_result = maximize_in_chart(chart, data, params, problem.nobs)
    natural = problem.evaluate

    def evaluate(p):
        out = at_result(p)
        return natural(p) if out is None else out

    problem.evaluate = evaluate
    # the closed forms of the natural coordinates would cost a pass and cancel out there
    problem.closed_form = None
    opt.retvals = {"chart": type(chart).__name__}
    if limit is not None:
        opt.retvals["limit"] = limit
        for name in chart.shape_names:
            if name not in limit["shapes"]:
                boundary[name] = params[chart.shape_names.index(name)]
    return opt
