"""``nbinom(n, p, loc)``: negative binomial with real n > 0; 1-D profile in n."""
import math

import numpy as np

from .. import _families, _special
from ._family import ShapeFamily


class NBinom(ShapeFamily):
    """Negative binomial distribution, ``scipy.stats.nbinom`` parametrization.

    ``pmf(k) = Gamma(k + n) / (Gamma(n) k!) p**n (1 - p)**k`` for
    ``k = x - loc >= 0``, ``n > 0`` real, ``0 < p <= 1``. Both shapes are
    estimated (either may be fixed). Given ``n`` the MLE of ``p`` is
    ``n / (n + mean(k))``, so the fit is a 1-D Newton iteration on the profile
    likelihood in ``log n`` over the table of distinct counts, polished by a
    joint Newton step in ``(log n, logit p)``.

    A finite MLE exists only for overdispersed data (variance > mean, the
    variance with divisor N). Otherwise the likelihood keeps increasing as
    ``n -> infinity`` towards the Poisson limit: the fit returns a large ``n``
    (the log-likelihood within about 1e-8 relative of the limit) with its
    profile ``p``, ``converged=False`` and a ``ConvergenceWarning`` saying so.
    All-zero data give ``p = 1`` (any ``n``; n is left at its start value).
    """

    name = "nbinom"
    shapes = ("n", "p")
    positive = ("n",)
    probabilities = ("p",)

    def _kernel_params(self, shapes):
        n, p = shapes
        return [n, p, math.log1p(-p) if p < 1 else -math.inf, float(_special.lgamma(n)),
                float(_special.digamma(n)), float(_special.trigamma(n))]

    def _constant(self, shapes):
        n, p = shapes
        lp = math.log(p)
        return n * lp, np.array([lp, n / p]), np.array([[0.0, 1.0 / p], [1.0 / p, -n / (p * p)]])

    def _limit_loglike(self, table, stats, spec, loc):
        """The Poisson limit's log-likelihood (mean m), exactly: the zipoisson
        density with pi = 0 is the Poisson one."""
        m = stats.mean
        block = np.array([loc, m, 0.0, math.log(m), 0.0, math.exp(-m)])
        return float(table.reduce(_families.sums, "zipoisson", block)[1])

    def _profile_n(self, table, m, loc, n0, nobs):
        """Newton on the profile log-likelihood in t = log n (p = n / (n + m)).

        By the envelope theorem the profile's derivative is the partial
        derivative in n at the profile p; its second derivative is the Schur
        complement H_nn - H_np^2 / H_pp. Returns (n, ll, converged)."""
        def at(t):
            n = math.exp(t)
            p = n / (n + m)
            ll, g, H = self._evaluate(table, [n, p, loc])
            gt = n * g[0]
            ht = n * n * (H[0, 0] - H[0, 1] ** 2 / H[1, 1]) + gt
            return ll, gt, ht

        t = math.log(n0)
        ll, g, h = at(t)
        for _ in range(50):
            # |g| below the rounding of sums of N digammas is as good as zero
            if abs(g) <= 1e-9 * nobs or t > 60:
                return math.exp(t), ll, t <= 60
            step = -g / h if h < 0 else math.copysign(1.0, g)
            step = max(min(step, 3.0), -3.0)
            # a relative change of 1e-7 in n: the driver's joint Newton polishes
            # (two more digits are not worth the rounding noise of far-out counts)
            if abs(step) < 1e-7:
                return math.exp(t), ll, True
            for _ in range(30):
                ll_new, g_new, h_new = at(t + step)
                if ll_new >= ll - 1e-13 * abs(ll):
                    break
                step *= 0.5
            else:           # no increase along the ascent direction: at rounding level
                return math.exp(t), ll, True
            t, ll, g, h = t + step, ll_new, g_new, h_new
        return math.exp(t), ll, False

    def _poisson_limit_n(self, stats):
        """A large n standing for the Poisson limit n -> infinity.

        With p = n / (n + m), log pmf = Poisson log pmf + ((k - m)^2 - k) / (2 n)
        + O(1/n^2) for n >> k, so l(n) is within N (m - var) / (2 n) of the
        limit. n = max(1e7, 1e4 m) puts that gap near 1e-8 per observation
        for moderate m while lgamma(k + n) - lgamma(n) (here and in scipy's
        logpmf) keeps a rounding error of the same order."""
        return float(max(1e7, 1e4 * stats.mean))

    def _fit_shapes(self, table, stats, spec, loc):
        m, v = stats.mean, stats.var
        fn, fp = spec.fixed.get("n"), spec.fixed.get("p")
        if m <= 0.0:        # all counts at loc: pmf(0) = p**n = 1 needs p = 1
            n0 = fn if fn is not None else spec.guesses.get("n", 1.0)
            bnd = {} if fp is not None else {"p": 1.0}
            if fn is None:
                bnd["n"] = n0
            return (n0, 1.0 if fp is None else fp), bnd, [
                "every k = x - loc is 0: p = 1 on the boundary (n is not identified)"], True, None
        if fn is not None:
            return (fn, fn / (fn + m)), {}, [], True, None
        if fp is not None:
            return (max(m * fp / (1.0 - fp), 1e-8) if fp < 1 else 1.0, fp), {}, [], False, None
        if not v > m:
            n = self._poisson_limit_n(stats)
            msg = (f"the counts are not overdispersed (variance {v:.6g} <= mean {m:.6g}): the "
                   "likelihood increases as n -> infinity towards the Poisson limit and has no "
                   f"maximum; n is held at {n:.3g} with its profile p")
            return (n, n / (n + m)), {"n": n}, [], True, msg
        n0 = spec.guesses.get("n", m * m / (v - m))
        n, ll, ok = self._profile_n(table, m, loc, n0, stats.n)
        if not ok and n > 1e20:
            n = self._poisson_limit_n(stats)
            msg = ("the profile likelihood increases as n -> infinity (Poisson limit): no maximum; "
                   f"n is held at {n:.3g}")
            return (n, n / (n + m)), {"n": n}, [], True, msg
        # the profile's maximum is the joint one (p is exact given n); the
        # driver's Newton confirms it in (log n, logit p)
        return (n, n / (n + m)), {}, [], ok, None

    def _std_moments(self, shapes):
        n, p = shapes
        q = 1.0 - p
        return n * q / p, n * q / (p * p), (2.0 - p) / math.sqrt(n * q), 6.0 / n + p * p / (n * q)


nbinom = NBinom()
