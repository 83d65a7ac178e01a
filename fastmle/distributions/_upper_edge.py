"""The upper end of a GEV (c > 1) or GPD (c < -1) support: an unbounded likelihood.

With ``c > 1`` (genextreme) or ``c < -1`` (genpareto) the density is
infinite at the upper end of the support, ``U = loc + scale / |c|``; putting
``U`` just above ``max(x)`` makes the likelihood as large as float64 allows.
scipy's Nelder-Mead often wanders there. :func:`compare_upper_edge` pins
``U`` one ulp above ``max(x)``, maximizes the other free parameters (Newton
in ``(c, loc)`` with ``scale = |c| (U - loc)``) and applies the project's
policy for unbounded likelihoods (see ``Distribution._compare_with_edge``):
a regular interior maximum stays the estimate and the edge is reported in
the message and ``mle_retvals``; without one the edge point is returned.
"""
import math
import warnings

import numpy as np

from .. import _budget
from .._optimize import Affine, golden_section_max
from .._results import FitResult
from ._base import Problem, _maximize_free, fit_objective, log_prior_at, log_prior_hessian


def _edge_point(dist, data, summary, spec, start, sign):
    """Best (params, ll) with the upper end one ulp above max(x), or None.

    ``sign`` is +1 for genextreme (upper end ``loc + scale / c``, c > 0) and
    -1 for genpareto (``loc - scale / c``, c < 0).
    """
    mx = summary.max
    sd0 = math.sqrt(summary.var) or 1.0
    # Newton runs with a small but safe gap (with a gap of an ulp, the
    # rounding of scale = |c| (U - loc) alone puts max(x) outside at some c);
    # the gap is then squeezed to the float limit (see squeeze below)
    U = mx + max(1e-10 * sd0, 64.0 * math.ulp(abs(mx)))
    c0, loc0 = float(start[0]), float(start[1])
    if sign * c0 <= 1.0:
        c0 = 1.5 * sign
    if not loc0 < U:
        return None
    sd = math.sqrt(summary.var) or 1.0

    def natural(q):
        c, loc = q[0], q[1]
        return [c, loc, sign * c * (U - loc)]

    def evaluate(q):
        c, loc = q[0], q[1]
        p = natural(q)
        if not p[2] > 0:
            return -math.inf, np.zeros(3), np.zeros((3, 3))
        ll, g, H = dist._evaluate(data, p)
        # p = (c, loc, s c (U - loc)): chain rule with U held fixed
        J = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [sign * (U - loc), -sign * c, sign * c]])
        gq = J.T @ g
        Hq = J.T @ H @ J
        Hq[0, 1] += -sign * g[2]
        Hq[1, 0] += -sign * g[2]
        return ll, gq, Hq

    q = np.array([c0 if "c" not in spec.fixed else spec.fixed["c"],
                  loc0 if "loc" not in spec.fixed else spec.fixed["loc"], U])
    if not np.isfinite(evaluate(q)[0]):
        return None
    transforms = {}
    if "c" not in spec.fixed:
        transforms[0] = Affine(q[0], 1.0)
    if "loc" not in spec.fixed:
        transforms[1] = Affine(q[1], sd)
    if not transforms:
        p = natural(q)
        return p, evaluate(q)[0]
    problem = Problem(q, transforms, evaluate, summary.sum_w)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            _maximize_free(problem, q, sorted(transforms))
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):
        return None
    c_n, loc_n = float(q[0]), float(q[1])

    def inside(c, loc, scale):
        # max(x) strictly inside, as scipy standardizes it and as the kernel does
        z1 = (mx - loc) / scale
        z2 = (mx - loc) * (1.0 / scale)
        return 1.0 - sign * c * z1 > 0 and 1.0 - sign * c * z2 > 0

    def squeeze(c, loc):
        """The smallest scale keeping max(x) inside: the support's end as
        close to max(x) as float64 resolves."""
        lo = sign * c * (mx - loc)          # the exact edge (not inside)
        hi = lo * (1.0 + 1e-12) + 1e-300
        while not inside(c, loc, hi):
            hi *= 1.0 + 1e-9
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if not lo < mid < hi:
                break
            if inside(c, loc, mid):
                hi = mid
            else:
                lo = mid
        return hi

    def at(c):
        if not sign * c > 0 or _budget.spent():     # spent: a work budget (fastmle.select) ran out
            return -math.inf, None
        p = [c, loc_n, squeeze(c, loc_n)]
        return dist._evaluate(data, p)[0], p

    # the squeezed gap weighs the spike more: re-optimize c by golden section
    best_ll, best_p = at(c_n)
    if "c" not in spec.fixed:
        # over m = |c| in (1, 4 m + 2]: at the float-limited gap the spike
        # term (1 - 1/m) log(gap) pulls m up, the other observations down;
        # a grid (the function is rough: rounding at the end) and golden
        # section between the best grid point's neighbours
        m_n = max(sign * c_n, 1.0)
        grid = sorted(set([m_n] + list(1.0 + (4.0 * m_n + 1.0) * np.linspace(0.0, 1.0, 25)[1:] ** 2)))
        vals = [at(sign * m)[0] for m in grid]
        i = int(np.argmax(vals))
        if np.isfinite(vals[i]) and vals[i] > best_ll:
            best_ll, best_p = at(sign * grid[i])
        a = sign * (grid[i - 1] if i > 0 else 1.0 + 1e-9)
        b = sign * (grid[i + 1] if i + 1 < len(grid) else grid[i] * 1.5)
        (x1, _), (x2, _) = golden_section_max(lambda c: at(c)[0], a, b)
        for c in (x1, x2):
            ll, p = at(c)
            if np.isfinite(ll) and (best_p is None or ll > best_ll):
                best_ll, best_p = ll, p
    if best_p is None or not np.isfinite(best_ll):
        return None
    return best_p, best_ll


def repair_warm(spec, summary, sign):
    """Make a subsample fit's estimate a feasible start on the full data.

    The full data may reach beyond the subsample's support (its maximum for
    genextreme with c > 0 and genpareto with c < 0, its minimum for
    genextreme with c < 0): the scale is widened until the support covers
    every observation with a margin, keeping c and loc.
    """
    if spec.warm is None:
        return
    c, loc, scale = (float(v) for v in spec.warm)
    mn, mx = summary.min, summary.max
    margin = 0.05 * (mx - mn)
    if sign > 0 and c > 0:              # genextreme: upper end loc + scale / c
        need = c * (mx + margin - loc)
    elif sign > 0 and c < 0:            # genextreme: lower end loc + scale / c
        need = -c * (loc - (mn - margin))
    elif sign < 0 and c < 0:            # genpareto: upper end loc - scale / c
        need = -c * (mx + margin - loc)
    else:
        need = 0.0
    if sign < 0 and not loc <= mn:      # genpareto: the support starts at loc
        spec.warm = None
        return
    if need > scale:
        if "scale" in spec.fixed:
            spec.warm = None
            return
        spec.warm = (c, loc, need)


def compare_upper_edge(dist, data, spec, result, sign):
    """Apply the unbounded-edge policy to a finished MLE ``result``.

    Always looked at below 5000 observations; above, only where the
    interior shape is beyond +-1/2 on the unbounded side and a one-pass
    bound does not rule the edge out. The scale must be free (a fixed scale
    pins the support's length).
    """
    if spec.method != "mle" or "scale" in spec.fixed:
        return result
    c = float(result.params[0])
    summary = data.scan()
    # Small samples always look (one spike gains up to ~37 nats, which a few
    # thousand observations cannot repay); larger ones only with the
    # interior shape well on the unbounded side, and after a cheap bound.
    small = summary.sum_w < 5000
    if not (small or sign * c > 0.5):
        return result
    if sign * c < 1.0 and "c" not in spec.fixed:
        # A cheap bound first (one pass): at |c| = 1 the spike term vanishes;
        # beyond it one observation at the end gains at most ~(1 - 1/|c|) *
        # 37 nats (log of the float-limited gap) while the others lose as
        # |c| moves away from the interior estimate. Large samples never
        # reach the edge's likelihood this way; skip the search for them
        # (and small samples far from it: the search costs ~100 passes).
        loc1 = float(spec.fixed.get("loc", result.params[1]))
        mx = summary.max
        gap = max(1e-10 * (math.sqrt(summary.var) or 1.0), 64.0 * math.ulp(abs(mx)))
        p1 = [float(sign), loc1, mx + gap - loc1]
        ll1 = dist._evaluate(data, p1)[0] if p1[2] > 0 else -math.inf
        if not np.isfinite(ll1) or ll1 + log_prior_at(dist, spec, p1) + 60.0 < fit_objective(dist, spec, result):
            return result
    edge = _edge_point(dist, data, summary, spec, list(result.params), sign)
    # a MAP fit compares log posteriors: the edge point (the likelihood's,
    # pinned one ulp outside the data) plus the priors' log densities there
    if edge is None or not edge[1] + log_prior_at(dist, spec, edge[0]) > fit_objective(dist, spec, result):
        return result
    e_params, e_ll = edge
    retvals = dict(result.mle_retvals)
    retvals["edge_params"] = tuple(float(v) for v in e_params)
    retvals["edge_llf"] = float(e_ll)
    end = "loc + scale/c -> max(x)" if sign > 0 else "loc - scale/c -> max(x)"
    which = "c > 1" if sign > 0 else "c < -1"
    if result.converged and not result.boundary or (result.converged and result.boundary == ("loc",)
                                                     and dist.name == "genpareto"):
        message = (f"{result.message}; the likelihood is unbounded as the upper end of the support "
                   f"{end} with {which} (already higher one ulp above max(x): "
                   "mle_retvals['edge_params']), so there is no global maximum; this is the best "
                   "regular (interior) maximum")
        params, ll, converged = list(result.params), result.llf, True
        H = result._hessian         # of the log-likelihood, or of the log posterior for MAP
    else:
        retvals["interior_params"] = tuple(float(v) for v in result.params)
        message = (f"the likelihood is higher with the upper end of the support one ulp above max(x) "
                   f"({which}) than where the optimizer stopped, and unbounded there: there is no "
                   "regular maximum; the estimate is that edge point")
        params, ll, converged = e_params, e_ll, False
        H = dist._evaluate(data, params)[2] + log_prior_hessian(dist, spec, params)
    return FitResult(dist, params, spec.fixed, ll, result.nobs, H, converged, message, result.n_iter,
                     result.grad_norm, boundary=() if converged else ("loc", "scale"), data=data,
                     mle_retvals=retvals)
