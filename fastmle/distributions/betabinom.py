"""``betabinom(n, a, b, loc)`` with ``n`` fixed by the caller; Newton in (log a, log b)."""
import math

import numpy as np

from .. import _families, _special
from ._family import ShapeFamily


def _lg(x):
    return float(_special.lgamma(x))


def _dg(x):
    return float(_special.digamma(x))


def _tg(x):
    return float(_special.trigamma(x))


class BetaBinom(ShapeFamily):
    """Beta-binomial distribution, ``scipy.stats.betabinom`` parametrization.

    ``pmf(k) = C(n, k) B(k + a, n - k + b) / B(a, b)`` for ``k = x - loc`` in
    ``0..n``. ``n`` is fixed by the caller (``fn=``, ``f0=``, ``fix_n=``),
    ``a, b > 0`` are estimated by Newton in ``(log a, log b)`` over the table
    of distinct counts, from the method-of-moments start.

    Data no more dispersed than a binomial have no finite MLE when the
    likelihood keeps increasing towards the binomial limit ``a, b -> infinity``
    with ``a / (a + b) = mean / n``: the fit then returns a large ``a + b``
    with that ratio, ``converged=False`` and a ``ConvergenceWarning``. All
    counts equal to 0 (or all to n) leave no maximum either (``a -> 0``): a
    ``ValueError`` says so.
    """

    name = "betabinom"
    shapes = ("n", "a", "b")
    kernel_shapes = ("a", "b")
    positive = ("a", "b")
    required_fixed = ("n",)

    def _kernel_params(self, shapes):
        n, a, b = shapes
        return [a, b, n]

    def _constant(self, shapes):
        n, a, b = shapes
        s, t = a + b, n + a + b
        c0 = _lg(n + 1.0) + _lg(s) - _lg(t) - _lg(a) - _lg(b)
        d = _dg(s) - _dg(t)
        e = _tg(s) - _tg(t)
        c1 = np.array([d - _dg(a), d - _dg(b)])
        c2 = np.array([[e - _tg(a), e], [e, e - _tg(b)]])
        return c0, c1, c2

    def _natural_map(self, params):
        # betabinom_lcdf (src/families/betabinom.h) sums full pmf terms: it
        # reads the derivatives of the k-free constant after [a, b, n]
        nm = super()._natural_map(params)
        _, c1, c2 = nm.const
        return nm._replace(P=list(nm.P) + [float(c1[0]), float(c1[1]), float(c2[0][0]), float(c2[0][1]),
                                           float(c2[1][1])])

    def _support_max(self, shapes):
        return shapes[0]

    def _limit_loglike(self, table, stats, spec, loc):
        """The binomial limit's log-likelihood (p = mean / n), exactly."""
        n = spec.fixed["n"]
        p = stats.mean / n
        if not 0 < p < 1:
            return None
        block = np.array([loc, p, n, math.log(p), math.log1p(-p)])
        return float(table.reduce(_families.sums, "binom", block)[1]) + stats.n * _lg(n + 1.0)

    def _binomial_limit(self, table, stats, n, loc, spec):
        """(a, b) far out on the ray a / (a + b) = mean / n. The
        log-likelihood there is within ~n / (a + b) per observation of the
        binomial limit, and lgamma(a) still has ~1e-8 absolute rounding (scipy's
        betaln has the same), so a + b is not pushed further."""
        p = stats.mean / n
        s = 1e6 * max(1.0, n)
        return p * s, (1.0 - p) * s

    def _fit_shapes(self, table, stats, spec, loc):
        from ._base import Problem, _maximize_free

        n = spec.fixed["n"]
        m, v = stats.mean, stats.var
        fa, fb = spec.fixed.get("a"), spec.fixed.get("b")
        if fa is not None and fb is not None:
            return (n, fa, fb), {}, [], True, None
        if fa is None and fb is None and (m <= 0.0 or m >= n):
            raise ValueError(f"betabinom: every k = x - loc is {'0' if m <= 0 else 'n'}: the likelihood "
                             "increases without bound as a (or b) -> 0 and has no maximum")
        p = min(max(m / n, 1e-3), 1.0 - 1e-3) if n > 0 else 0.5
        r = v / (n * p * (1.0 - p)) if n > 0 else 2.0
        # variance n p (1 - p) (s + n) / (s + 1) with s = a + b
        s = (n - r) / (r - 1.0) if 1.0 < r < n else (10.0 * n if r <= 1.0 else 0.5)
        s = max(s, 1e-2)
        if fa is not None:
            return (n, fa, max(fa * (1.0 - p) / p, 1e-3)), {}, [], False, None
        if fb is not None:
            return (n, max(fb * p / (1.0 - p), 1e-3), fb), {}, [], False, None
        a0, b0 = spec.guesses.get("a", p * s), spec.guesses.get("b", (1.0 - p) * s)
        # the interior maximum, if Newton finds one
        params = np.array([n, a0, b0, loc])
        trs = {1: self._transform("a", a0), 2: self._transform("b", b0)}
        with np.errstate(all="ignore"):
            opt, _ = _maximize_free(Problem(params, trs, lambda q: self._evaluate(table, q), stats.n),
                                    params, [1, 2])
        ll = self._evaluate(table, params)[0]
        a_inf, b_inf = self._binomial_limit(table, stats, n, loc, spec)
        ll_inf = self._evaluate(table, [n, a_inf, b_inf, loc])[0]
        # a + b beyond 1e6 (n + 1) is the binomial limit for every practical
        # purpose: Newton's gradient there is below any tolerance, but the
        # likelihood still rises towards the limit
        runaway = params[1] + params[2] > 1e6 * (n + 1.0)
        if runaway or (not opt.converged and ll_inf >= ll):
            msg = (f"the counts are not overdispersed enough for a beta-binomial (variance {v:.6g}, "
                   f"binomial variance {n * p * (1 - p):.6g}): the likelihood increases towards the "
                   f"binomial limit a, b -> infinity and has no maximum; a + b is held at "
                   f"{a_inf + b_inf:.3g}")
            return (n, a_inf, b_inf), {"a": a_inf, "b": b_inf}, [], True, msg
        return (n, float(params[1]), float(params[2])), {}, [], True, None

    def _std_moments(self, shapes):
        return _betabinom_moments(*shapes)


def _betabinom_moments(n, a, b):
    """Mean, variance, skewness and excess kurtosis from the factorial
    moments E[k (k-1) ... (k-j+1)] = n_(j) a^(j) / (a+b)^(j) (falling
    factorial of n, rising factorials of a and a + b), converted to raw
    moments with the Stirling numbers of the second kind."""
    s = a + b
    f = [1.0]
    for j in range(1, 5):
        f.append(f[-1] * (n - j + 1) * (a + j - 1) / (s + j - 1))
    m1 = f[1]
    m2 = f[2] + f[1]
    m3 = f[3] + 3 * f[2] + f[1]
    m4 = f[4] + 6 * f[3] + 7 * f[2] + f[1]
    var = n * a * b * (s + n) / (s * s * (s + 1.0))     # without cancellation
    mu3 = m3 - 3 * m1 * m2 + 2 * m1 ** 3
    mu4 = m4 - 4 * m1 * m3 + 6 * m1 ** 2 * m2 - 3 * m1 ** 4
    return m1, var, mu3 / var ** 1.5, mu4 / var ** 2 - 3.0


betabinom = BetaBinom()
