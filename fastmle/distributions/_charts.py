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

Charts are used only where the driver would otherwise head for the limit
(every parameter free and a start shape far out); the fit's natural-parameter
log-likelihood, gradient and Hessian at the answer are computed through the
chart (the natural kernel cancels catastrophically out there).
"""
import math

import numpy as np

from .. import _families, _special
from .._optimize import Affine, Log, OptimizeResult
from ._family import assemble_locscale

__all__ = ["Chart", "CHARTS", "maximize_in_chart"]

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
    """A family in limit coordinates ``theta = (k, mu, sigma)``.

    Subclasses set ``kernel`` (the C density of ``z = (x - mu) / sigma``),
    ``limit`` (scipy's name of the family at ``k = 0``), ``k_floor`` (the
    smallest ``k`` returned for the limit: below it scipy's formulas, which
    users evaluate the answer with, lose more than ~2e-10 per observation)
    and implement ``natural`` and ``chart``.
    """

    kernel = None
    limit = None
    going = None        # how scipy's parameters move towards the limit
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

    def start(self, params, data):
        """Newton's start in the chart from the driver's start ``params``."""
        return self.chart(params)

    def shape_transform(self, k0):
        """The optimizer's coordinate for k (``fastmle._optimize`` interface)."""
        return Affine(k0, 1.0) if self.signed else NonNegative(k0, 1.0)

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
    def evaluate(self, data, theta):
        k, mu, sigma = (float(v) for v in theta)
        block = np.array([mu, 1.0 / sigma] + list(self.kernel_params(k)), dtype=float)
        s = data.reduce(_families.sums, self.kernel, block)
        return assemble_locscale(s, 1, sigma, self.constant(k))

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


class LognormChart(Chart):
    """lognorm(s, loc, scale): k = s, mu = loc + scale, sigma = s scale; the
    normal at k = 0 (s -> 0, loc -> -inf)."""

    shape = "s"
    kernel = "chart_lognorm"
    k_floor = 1e-8
    limit = "norm"
    going = "s -> 0 with loc -> -inf and scale -> inf"

    def natural(self, theta):
        return _box_cox_natural(theta, _identity)

    def chart(self, p):
        s, loc, scale = (float(v) for v in p)
        return np.array([s, loc + scale, s * scale])


class FiskChart(Chart):
    """fisk(c, loc, scale): k = 1/c, mu = loc + scale (the median), sigma =
    scale / c; the logistic at k = 0 (c -> inf, loc -> -inf)."""

    shape = "c"
    kernel = "chart_fisk"
    limit = "logistic"
    going = "c -> inf with loc -> -inf and scale -> inf"
    normal_limit = False

    def constant(self, k):
        return 0.0, _ZERO1, _ZERO2

    def natural(self, theta):
        return _box_cox_natural(theta, _reciprocal)

    def chart(self, p):
        c, loc, scale = (float(v) for v in p)
        return np.array([1.0 / c, loc + scale, scale / c])


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
    k_floor = 1e-7
    limit = "gumbel_r"
    going = "c -> inf with loc -> inf and scale -> inf"

    def natural(self, theta):
        return _box_cox_natural(theta, _reciprocal, mirrored=True)

    def chart(self, p):
        c, loc, scale = (float(v) for v in p)
        return np.array([1.0 / c, loc - scale, scale / c])


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
        skewness (the validating scan's), where a subsample's skewness (the
        warm start's) is noise at this a: its standard error sqrt(6/32768)
        = 0.014 puts c off by ~0.3 and costs Newton two passes."""
        s = data.scan()
        sd = math.sqrt(s.var)
        if not (abs(s.skew) < 0.99 and sd > 0 and math.isfinite(s.mean)):
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


CHARTS = {"skewnorm": SkewnormChart(), "lognorm": LognormChart(), "fisk": FiskChart(), "weibull_min": WeibullMinChart(),
          "weibull_max": WeibullMaxChart(), "gamma": GammaChart(), "invgauss": InvgaussChart(),
          "t": TChart()}


def _limit_start(chart, data):
    """(mu, sigma) of the limit family's MLE when it is the normal (the
    validating scan's weighted mean and sd), else None."""
    if not chart.normal_limit:
        return None
    s = data.scan()
    return s.mean, math.sqrt(s.var)


def maximize_in_chart(chart, data, params, nobs):
    """Maximize the likelihood over ``chart``'s coordinates from ``params``
    (scipy's, every parameter free; updated in place).

    Newton runs on ``(k, mu, sigma)`` with ``k >= 0``. If it ends on
    ``k = 0`` (or starts next to it, from a warm start that was a limit), the
    limit family's ``(mu, sigma)`` are fitted there and the slope in ``k`` is
    read: pointing into the family, Newton goes on from the maximum of the
    quadratic model in ``k``; pointing out of it, the supremum is the limit.

    Returns
    -------
    (OptimizeResult, limit, evaluate)
        ``limit``: None for a regular maximum, else a dict of what the
        result reports about the limit (``mle_retvals``). ``evaluate(p)``:
        the log-likelihood, gradient and Hessian in scipy's parameters
        through the chart at the returned ``params``, None elsewhere.
    """
    from ._base import Problem, _maximize_free, _remember_last

    theta = np.array(chart.start(params, data), dtype=float)
    if not chart.signed:
        theta[0] = max(theta[0], 0.0)
    k0, mu0, s0 = theta.tolist()
    transforms = {0: chart.shape_transform(k0), 1: Affine(mu0, s0), 2: Log(s0)}
    problem = Problem(theta, transforms, _remember_last(lambda th: chart.evaluate(data, th)), nobs)
    n_iter = n_eval = 0
    limit = None
    # a start at the limit's doorstep (a warm start that was a limit): look there first
    on_limit = not chart.signed and theta[0] <= 2.0 * max(chart.k_floor, chart.k_limit or 0.0)
    opt = None
    for _ in range(3):
        if not on_limit:
            opt, on_limit = _maximize_free(problem, theta, [0, 1, 2], xtol=CHART_XTOL)
            n_iter += opt.n_iter
            n_eval += opt.n_eval
            if not on_limit:
                break
        on_limit = False
        # on the limit: its own (mu, sigma), then the slope in k
        start = _limit_start(chart, data)
        trial = theta.copy()
        trial[0] = 0.0
        sub = None
        if start is not None:
            trial[1:] = start
        else:
            sub, _ = _maximize_free(problem, trial, [1, 2], xtol=CHART_XTOL)
            n_iter += sub.n_iter
            n_eval += sub.n_eval
        ll0, g0, H0 = problem.evaluate(trial)
        n_eval += 1
        if g0[0] > 0.0 and H0[0, 0] < 0.0:
            # the likelihood rises into the family: a regular maximum near k = 0
            trial[0] = min(-g0[0] / H0[0, 0], 0.5)
            theta[:] = trial
            continue
        theta[:] = trial
        limit = _limit_point(chart, problem, theta, ll0, g0, H0, nobs)
        message = (f"no maximum: the likelihood rises towards the {_LIMIT_NAMES[chart.limit]} limit "
                   f"({chart.going}); the estimate is a point on that ridge within "
                   f"{limit['gap']:.2g} of the limit's log-likelihood {ll0:.10g} "
                   f"(mle_retvals['limit'])")
        grad_norm = float(np.max(np.abs(g0[1:])) / max(nobs, 1.0))
        limit["converged"] = sub is None or sub.converged
        opt = OptimizeResult(theta, ll0, g0, H0, n_iter, n_eval, False, message, grad_norm, "newton")
        break
    final = theta.copy()
    at_final = problem.evaluate(final)      # (the optimizer's last point: no pass)
    if limit is None and opt.converged:
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


def _limit_point(chart, problem, theta, ll0, g0, H0, nobs):
    """Move ``theta`` (on the limit, k = 0) to the member returned for it:
    the largest k whose log-likelihood loss, by the quadratic model in k, is
    within LIMIT_REL_TOL of the limit's per observation, and at least the
    chart's ``k_floor``. Returns what ``mle_retvals['limit']`` reports."""
    tol = LIMIT_REL_TOL * max(abs(ll0), nobs)
    s, h = -float(g0[0]), -float(H0[0, 0])     # loss(k) = s k + h k^2 / 2, s >= 0
    if chart.k_limit is not None:
        k = chart.k_limit
    elif h > 0:
        k = max(2.0 * tol / (s + math.sqrt(s * s + 2.0 * h * tol)), chart.k_floor)
    else:
        k = max(tol / max(s, 1e-300), chart.k_floor)
    theta[0] = k
    ll = problem.evaluate(theta)[0]
    return {"family": chart.limit, "loc": float(theta[1]), "scale": float(theta[2]), "llf": float(ll0),
            "gap": float(ll0 - ll), "slope": float(g0[0])}


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
        boundary[chart.shape] = params[0]
    return opt
