"""``chi2(df, loc, scale)``: gamma's kernels and fit, reparametrized."""
import math

import numpy as np

from .. import _gamma
from .._optimize import Log
from ._base import FitSpec, Problem
from .gamma import Gamma

# chi2(df, loc, scale) is gamma(a = df / 2, loc, scale_g = 2 scale): the
# factors from chi2's parameters to gamma's (exact in binary floating point)
_TO_GAMMA = np.array([0.5, 1.0, 2.0])
_RENAME = {"df": "a"}


def _to_gamma(p):
    return [float(p[0]) * 0.5, float(p[1]), float(p[2]) * 2.0]


def _to_chi2(p):
    return [float(p[0]) * 2.0, float(p[1]), float(p[2]) * 0.5]


class Chi2(Gamma):
    """Chi-squared distribution, ``scipy.stats.chi2`` parametrization.

    ``chi2(df, loc, scale)`` is ``gamma(df / 2, loc, 2 scale)``, so every
    fit is gamma's in other coordinates: with ``loc`` fixed one pass gives
    the sufficient statistics ``sum log(x - loc)`` and ``sum (x - loc)``
    (the scale is then ``mean(x - loc) / df`` given ``df``); with ``loc``
    free each Newton iteration is one pass, and for ``df < 2`` (gamma shape
    below 1) the likelihood is unbounded at ``loc -> min(x)`` and the edge is
    compared as for gamma. Fixed values come back exactly.
    """

    name = "chi2"
    shapes = ("df",)
    positive = ("df",)

    def _natural_map(self, params):
        nm = super()._natural_map(_to_gamma(params))
        return nm._replace(factor=_TO_GAMMA.tolist())

    def _gamma_spec(self, spec):
        factor = dict(zip(("df", "loc", "scale"), _TO_GAMMA.tolist()))
        fixed = {_RENAME.get(k, k): v * factor[k] for k, v in spec.fixed.items()}
        guesses = {_RENAME.get(k, k): v * factor[k] for k, v in spec.guesses.items()}
        g = FitSpec(guesses, fixed, spec.method, spec.freed, spec.bounds)
        g.warm = None if spec.warm is None else tuple(_to_gamma(spec.warm))
        return g

    def _quick_fit(self, x, kwds, n_threads):
        if set(kwds) - {"floc", "f0", "fdf", "fix_df"}:
            return None
        kw = dict(kwds)
        fdf = None
        for key in ("f0", "fdf", "fix_df"):
            if key in kw:
                fdf = kw.pop(key)
                if not isinstance(fdf, (int, float)):
                    return None
                kw["fa"] = 0.5 * fdf
        out = Gamma._quick_fit(self, x, kw, n_threads)
        if out is None:
            return None
        df, loc, scale = _to_chi2(out)
        return (fdf if fdf is not None else df), loc, scale

    def _problem(self, data, spec):
        gp = Gamma._problem(self, data, self._gamma_spec(spec))
        start = _to_chi2(gp.start)
        transforms = {i: (tr if i == 1 else Log(start[i])) for i, tr in gp.transforms.items()}
        J = _TO_GAMMA
        JJ = np.outer(J, J)

        def evaluate(p):
            ll, g, H = gp.evaluate(_to_gamma(p))
            return ll, g * J, H * JJ

        def closed_form(p):
            out = gp.closed_form(_to_gamma(p)) if gp.closed_form else {}
            return {"scale": out["scale"] * 0.5} if "scale" in out else {}

        problem = Problem(start, transforms, evaluate, gp.nobs, closed_form, dict(gp.boundary), gp.notes)
        if gp.edge_loc is not None:
            problem.edge_loc = gp.edge_loc
            problem.edge_worth_checking = lambda p: gp.edge_worth_checking(_to_gamma(p))
            if gp.edge_profile is not None:
                def edge_profile(loc):
                    params, ll = gp.edge_profile(loc)
                    return _to_chi2(params), ll
                problem.edge_profile = edge_profile
        return problem

    def _limit_chart(self, start, data, spec=None):
        return None     # gamma's chart is in gamma's parameters (chi2 is no select candidate)

    def _evaluate(self, data, p):
        """(ll, grad, hess) in (df, loc, scale) from gamma's sums (no support check)."""
        g = _to_gamma(p)
        ll, grad, hess = _gamma.loglike_grad_hess(data.reduce(_gamma.sums, g[1], True), *g)
        return ll, grad * _TO_GAMMA, hess * np.outer(_TO_GAMMA, _TO_GAMMA)

    def loglike_at(self, data, params):
        return Gamma.loglike_at(self, data, _to_gamma(params))

    def _std_moments(self, shapes):
        df = shapes[0]
        return df, 2.0 * df, math.sqrt(8.0 / df), 12.0 / df


chi2 = Chi2()
