"""``zipoisson(mu, pi, loc)``: zero-inflated Poisson (not in scipy); closed-form MLE."""
import math

import numpy as np

from ._family import ShapeFamily


def _ztp_mu(ybar):
    """Root mu > 0 of mu / (1 - exp(-mu)) = ybar (> 1): the MLE of a
    zero-truncated Poisson with mean ybar. f(mu) = mu - ybar (1 - e^-mu) is
    convex and increasing past its root, so Newton from mu = ybar (above the
    root) decreases monotonically onto it."""
    mu = ybar
    for _ in range(200):
        e = math.exp(-mu)
        f = mu + ybar * math.expm1(-mu)
        d = 1.0 - ybar * e
        if not d > 0:
            break
        step = f / d
        mu -= step
        if abs(step) <= 1e-15 * mu:
            break
    return mu


class ZIPoisson(ShapeFamily):
    """Zero-inflated Poisson distribution (not in scipy).

    Parametrization: ``zipoisson(mu, pi, loc)`` with ``k = x - loc``,

    - ``pmf(0) = pi + (1 - pi) exp(-mu)``,
    - ``pmf(k) = (1 - pi) exp(-mu) mu**k / k!`` for ``k = 1, 2, ...``,

    ``mu > 0`` the Poisson mean and ``0 <= pi < 1`` the probability of an
    extra zero (zero deflation, ``pi < 0``, is not in the model). ``loc`` is
    held at 0 unless freed, as for the scipy discrete distributions.

    The MLE is closed form up to one scalar root: the positive counts are a
    zero-truncated Poisson, so ``mu`` solves ``mu / (1 - exp(-mu)) = mean of
    the positive counts``, and ``pi = (f0 - exp(-mu)) / (1 - exp(-mu))``
    with ``f0`` the fraction of zeros. When that ``pi`` is negative (no
    zeros, or fewer than a Poisson has) the MLE is on the boundary
    ``pi = 0`` with ``mu = mean`` (a plain Poisson; reported in the
    message, like poisson's ``mu = 0``). All-zero data give ``mu = 0`` and
    ``pi = 0`` on the boundary (any ``pi`` fits equally).
    """

    name = "zipoisson"
    shapes = ("mu", "pi")
    positive = ("mu",)
    probabilities = ("pi",)

    def _default_fixed(self, spec):
        super()._default_fixed(spec)
        if "pi" in spec.fixed and spec.fixed["pi"] == 1.0:
            raise ValueError("zipoisson: fixed pi must be < 1 (pi = 1 is a point mass at loc)")

    def _kernel_params(self, shapes):
        mu, pi = shapes
        return [mu, pi, math.log(mu) if mu > 0 else -math.inf, math.log1p(-pi) if pi < 1 else -math.inf,
                math.exp(-mu)]

    def _fit_shapes(self, table, stats, spec, loc):
        fmu, fpi = spec.fixed.get("mu"), spec.fixed.get("pi")
        N, m = stats.n, stats.mean
        n0 = stats.n_at_min
        if m <= 0.0:
            note = "every k = x - loc is 0: mu = 0 on the boundary"
            if fmu is not None:      # mu > 0 fixed: only pi -> 1 explains all zeros
                return (fmu, 1.0), {"pi": 1.0}, ["every k = x - loc is 0: pi = 1 on the boundary"], True, None
            bnd = {"mu": 0.0}
            if fpi is None:
                bnd["pi"] = 0.0
                note += " (pi is not identified and is set to 0)"
            return (0.0, 0.0 if fpi is None else fpi), bnd, [note], True, None
        if fpi is not None:          # mean of k = (1 - pi) mu: Newton from there
            return (m / (1.0 - fpi), fpi), {}, [], False, None
        if fmu is not None:
            e = math.exp(-fmu)
            pi = (n0 - N * e) / (N * -math.expm1(-fmu))
            if pi <= 0.0:
                return (fmu, 0.0), {"pi": 0.0}, [
                    "no more zeros than a Poisson with this mu: pi = 0 on the boundary"], True, None
            return (fmu, pi), {}, [], True, None
        npos = N - n0
        ybar = m * N / npos
        mu = _ztp_mu(ybar) if ybar > 1.0 else 0.0
        pi = (n0 / N - math.exp(-mu)) / -math.expm1(-mu) if mu > 0 else -1.0
        if pi <= 0.0:
            return (m, 0.0), {"pi": 0.0}, [
                "no more zeros than a Poisson: pi = 0 on the boundary, mu = mean (a Poisson fit)"], True, None
        return (mu, pi), {}, [], True, None

    def _std_moments(self, shapes):
        mu, pi = shapes
        w = 1.0 - pi
        # raw moments: (1 - pi) times the Poisson ones
        m1 = w * mu
        m2 = w * (mu + mu ** 2)
        m3 = w * (mu ** 3 + 3 * mu ** 2 + mu)
        m4 = w * (mu ** 4 + 6 * mu ** 3 + 7 * mu ** 2 + mu)
        var = m2 - m1 * m1
        mu3 = m3 - 3 * m1 * m2 + 2 * m1 ** 3
        mu4 = m4 - 4 * m1 * m3 + 6 * m1 ** 2 * m2 - 3 * m1 ** 4
        return m1, var, mu3 / var ** 1.5, mu4 / var ** 2 - 3.0


zipoisson = ZIPoisson()


def logpmf(k, mu, pi, loc=0):
    """Log pmf of the zero-inflated Poisson (numpy; for reference and tests)."""
    k = np.asarray(k, dtype=float) - loc
    from .. import _special
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = (np.log1p(-pi) - mu + _special.xlogy(k, mu) - _special.lgamma(np.maximum(k, 0) + 1.0))
        zero = np.log(pi + (1.0 - pi) * np.exp(-mu))
    out = np.where(k == 0, zero, pos)
    return np.where((k < 0) | (k != np.floor(k)), -np.inf, out)
