"""``poisson(mu, loc)``: discrete; sufficient statistics and a closed-form mu."""
import math

import numpy as np

from .. import _poisson
from .._optimize import Log
from ._natural import NaturalMap
from ._base import Distribution, Problem, active_prior


class Poisson(Distribution):
    """Poisson distribution, ``scipy.stats.poisson`` parametrization.

    scipy has no ``poisson.fit``; like ``scipy.stats.fit``, fastmle holds
    ``loc`` at 0 unless it is freed (``floc=None``, or a ``loc=`` guess),
    and returns ``(mu, loc)``. ``mu`` is fitted by Newton from the sufficient
    statistics and checked against its closed form ``mean(x - loc)``. A free
    ``loc`` is integer-valued: it is chosen by a search on the profile
    log-likelihood over integers below ``min(x)``, and gets no standard error.
    """

    name = "poisson"
    shapes = ("mu",)
    positive = ()
    discrete = True

    def _default_fixed(self, spec):
        if "loc" not in spec.fixed and "loc" not in spec.freed and "loc" not in spec.guesses:
            spec.fixed["loc"] = 0.0
        if "mu" in spec.fixed and not spec.fixed["mu"] >= 0:
            raise ValueError(f"fixed mu must be non-negative, got {spec.fixed['mu']}")
        if "loc" in spec.fixed and spec.fixed["loc"] != math.floor(spec.fixed["loc"]):
            raise ValueError(f"poisson's loc must be an integer, got floc={spec.fixed['loc']}")

    def _validate(self, data):
        summary = data.scan(check_integer=True)
        if summary.n_nonfinite:
            data.check_finite()
        if summary.n_nonint:
            raise ValueError(f"poisson data must be integer counts: {summary.n_nonint} of "
                             f"{data.n_rows} observations are not integers")
        return summary

    def _sums(self, data, loc):
        return data.reduce(_poisson.sums, loc)

    def _problem(self, data, spec):
        summary = self._validate(data)
        notes = []
        boundary = {}
        if "loc" in spec.fixed:
            loc = spec.fixed["loc"]
            if summary.min < loc:
                raise self._support_error(data, loc, strict=False)
            s = self._sums(data, loc)
        else:
            if active_prior(spec):
                raise NotImplementedError(
                    "poisson: a prior with a free loc is not supported yet: the integer loc is chosen "
                    "by the likelihood's closed-form profile; fix loc (floc=...) for a MAP fit")
            loc, s = self._search_loc(data, summary, spec)
            boundary["loc"] = loc
            notes.append("loc chosen by integer profile-likelihood search")
        n = s[0]
        mu_cf = s[1] / n
        if "mu" in spec.fixed:
            mu0 = spec.fixed["mu"]
            transforms = {}
        elif mu_cf == 0.0 and "mu" in active_prior(spec):
            # every count at loc: the likelihood's maximum is mu = 0, the
            # posterior's may be inside (a Gamma prior with shape > 1)
            mu0 = active_prior(spec)["mu"].interior_point()
            transforms = {0: Log(mu0)}
        elif mu_cf == 0.0:
            mu0 = 0.0
            boundary["mu"] = 0.0
            notes.append("every count equals loc: mu = 0 on the boundary")
            transforms = {}
        else:
            mu0 = spec.guesses.get("mu", mu_cf)
            if not mu0 > 0:
                raise ValueError(f"guess for mu must be positive, got {mu0}")
            transforms = {0: Log(mu_cf)}

        def evaluate(p):
            return _poisson.loglike_grad_hess(s, p[0])

        def closed_form(p):
            return {} if "mu" in spec.fixed else {"mu": mu_cf}

        return Problem([mu0, loc], transforms, evaluate, n, closed_form, boundary, notes)

    def _search_loc(self, data, summary, spec):
        """Integer loc <= min(x) maximizing the profile log-likelihood."""
        mn = summary.min
        if not math.isfinite(summary.var):
            raise ValueError("poisson: the spread of the counts overflows float64 (values too large "
                             "in magnitude) for a free loc")
        fmu = spec.fixed.get("mu")
        # Poisson mean == variance: a shifted Poisson has loc near mean - variance
        lower = min(mn, math.floor(summary.mean - summary.var) - 3 * math.ceil(math.sqrt(summary.var)) - 3)
        values = {}

        def profile(loc):
            if loc not in values:
                s = self._sums(data, loc)
                mu = fmu if fmu is not None else s[1] / s[0]
                ll = _poisson.loglike_grad_hess(s, mu)[0] if mu > 0 else (
                    0.0 - s[2] if s[1] == 0 else -np.inf)
                values[loc] = (ll, s)
            return values[loc][0]

        lo, hi = int(lower), int(mn)
        while hi - lo > 2:           # ternary search on a unimodal profile
            m1 = lo + (hi - lo) // 3
            m2 = hi - (hi - lo) // 3
            if profile(m1) < profile(m2):
                lo = m1 + 1
            else:
                hi = m2 - 1 if profile(m1) > profile(m2) else m2
        best = max(range(lo, hi + 1), key=profile)
        return float(best), values[best][1]

    def _std_moments(self, shapes):
        (mu,) = shapes
        return mu, mu, 1.0 / math.sqrt(mu), 1.0 / mu

    def _natural_map(self, params):
        mu, loc = (float(v) for v in params)
        return NaturalMap("poisson", False, [mu], (0.0, [0.0], [[0.0]]), [0], [1.0], loc, 1.0)

    def loglike_at(self, data, params):
        mu, loc = params
        summary = self._validate(data)
        if mu < 0 or summary.min < loc or loc != math.floor(loc):
            return -np.inf
        s = self._sums(data, loc)
        if mu == 0:
            return -s[2] if s[1] == 0 else -np.inf
        return _poisson.loglike_grad_hess(s, mu)[0]


poisson = Poisson()
