"""Shared by the shape-location-scale families whose support starts at loc.

For gamma, lognorm and weibull_min the likelihood needs every observation
above ``loc``. A fixed ``loc`` is checked against the data (with a count of
the offending observations); a free ``loc`` is optimized in the coordinate
``log(min(x) - loc)``, which keeps it below the data, from the best of a few
candidate starts scored by the profile likelihood.
"""
import math

import numpy as np

from .._optimize import Affine, Below


def log_shift(y0):
    """Centre for sums of logs: the log of one observation's distance from loc
    (keeps sums of squared logs free of cancellation)."""
    return math.log(y0) if y0 > 0 and math.isfinite(y0) else 0.0


def check_fixed_loc(dist, data, floc):
    """Raise ``FitDataError`` unless every observation is > ``floc``; return the scan."""
    summary = data.check_finite()
    if not summary.min > floc:
        raise dist._support_error(data, floc, strict=True)
    return summary


def explain_nonfinite_sums(dist, data, floc):
    """The sums of a fixed-loc pass were not finite: say why (always raises)."""
    check_fixed_loc(dist, data, floc)
    raise ValueError(f"{dist.name}: the sufficient statistics overflowed (values too large to sum)")


def loc_candidates(summary, guess=None, extra=()):
    """Start candidates for a free location, all strictly below ``min(x)``."""
    mn, sd = summary.min, math.sqrt(summary.var)
    if not math.isfinite(sd):
        raise ValueError("the spread of the data overflows float64 (values too large in "
                         "magnitude); rescale the data before fitting a free location")
    if sd == 0.0:
        raise ValueError("all observations are equal: a free location, shape and scale cannot be "
                         "estimated")
    cands = [] if guess is None or not guess < mn else [guess]
    cands += [v for v in extra if v is not None and np.isfinite(v) and v < mn]
    cands += [mn - k * sd for k in (0.05, 0.3, 1.0, 3.0)]
    return cands


def warm_loc(spec, summary, shape=None):
    """Start of a free loc from the subsample fit (``spec.warm``), below min(x).

    The full data reach lower than the subsample, so its gap ``min - loc``
    must move. Where the density near loc is ``~ y**(shape - 1)`` (gamma's
    ``a``, weibull_min's ``c``), the smallest of ``n`` observations lies
    ``~ n**(-1/shape)`` above loc, and so does the MLE of loc for
    ``shape <= 2``: the subsample's gap is scaled by ``(n_sub / n)**(1/shape)``
    (gamma(2) at 1e6 rows: 0.55e-3 for the full data's 0.63e-3, where a gap
    of 0.01 sd, 0.021, took Newton eight passes to close). For larger shapes
    the subsample's loc itself is the better start while it is below the
    data; ``shape=None`` (lognorm: no power law) keeps the gap as it is.
    """
    loc = spec.warm[-2]
    sub = spec.warm_data.scan() if spec.warm_data is not None else None
    gap = sub.min - loc if sub is not None else math.nan
    if not (gap > 0 and math.isfinite(gap)):
        return loc if loc < summary.min else summary.min - 0.01 * math.sqrt(summary.var)
    if shape is not None and shape > 0:
        gap *= (sub.sum_w / summary.sum_w) ** (1.0 / shape)
    if loc < summary.min and not (shape is not None and shape <= 2.0):
        return loc
    return summary.min - gap


#: Weibull skewness is 0 at c = 3.602 (positive below, negative above): see
#: :func:`edge_barrier`
WEIBULL_SKEW_FREE_C = 3.602


def edge_barrier(spec, shape, gap_sd, skew_free_shape=None):
    """Whether a free ``loc`` starting ``gap_sd`` standard deviations from the
    data's edge is optimized in the log gap rather than on ``loc`` itself.

    Within 0.1 sd on symmetric or loc-side-skewed data (the fitted ``shape``
    at or above ``skew_free_shape``, where the family's skewness changes
    sign) the nearest observation's ``(c - 1) log(x - loc)`` is a barrier,
    linear in the log gap, which Newton on loc itself overshoots
    (weibull_min on 1e6 normal draws: ~10 passes in the log gap, 15 on loc).
    A warm start with a shape below that (data of the family, skewed away
    from loc) places loc by the power law of the smallest observations,
    close to the maximum, where Newton on loc converges in half the passes
    (weibull_max, c = 3, 1e6 rows: 4 against 8). Cold starts sit at a
    candidate gap: the log gap. ``skew_free_shape=None``: a family always
    skewed away from loc (fisk).
    """
    if gap_sd > 0.1:
        return False
    if spec.warm is None:
        return True
    return skew_free_shape is not None and shape >= skew_free_shape


def loc_transform(summary, loc0, shape0, regular_above=2.0, barrier=False):
    """The optimizer's coordinate for a free location.

    With a shape above ``regular_above`` (gamma's a, weibull's c) the density
    vanishes smoothly at loc, the likelihood is regular in loc and Newton
    converges fastest on loc itself (steps past min(x) give a non-finite
    likelihood and are cut back by the line search). Otherwise the maximum
    may sit at, or the likelihood run off to, loc -> min(x), and
    ``log(min(x) - loc)`` keeps the iterates feasible and detects that case.
    ``barrier`` (see :func:`edge_barrier`) asks for the log gap too.
    """
    sd = math.sqrt(summary.var)
    if shape0 > regular_above and not barrier:
        return Affine(loc0, sd)
    return Below(summary.min, sd)


def free_loc_start(spec, summary, candidates, profile, shape_index=None, chart=None):
    """Start (loc, params) for a free location: the subsample fit's estimate
    when there is one (``shape_index``: the shape whose power law places loc
    against min(x), see :func:`warm_loc`), else the best candidate by profile
    likelihood.

    When the data reach below the subsample's loc and loc must move, the
    subsample's shape and scale no longer fit it (t data fitted by
    weibull_min: its minimum 18 units below the subsample's, the warm start's
    log-likelihood 370 times the optimum's). With the family's limit
    ``chart`` (whose ``loc = mu - sigma / k``) the bulk of the fitted
    distribution, its ``mu`` and ``sigma``, is kept and the shape ``k``
    follows the new loc.
    """
    if spec.warm is not None:
        shape = spec.warm[shape_index] if shape_index is not None else None
        loc = warm_loc(spec, summary, shape)
        if chart is not None and loc != spec.warm[-2] and "scale" not in spec.fixed:
            _, mu, sigma = chart.chart(spec.warm)
            if mu > loc:
                params = list(chart.natural((sigma / (mu - loc), mu, sigma))[0])
                params[-2] = loc
                return loc, tuple(params)
        return loc, spec.warm
    loc, params, _ = best_start(candidates, profile, summary.min)
    return loc, params


def best_start(candidates, profile, bound=None):
    """Candidate with the highest profile log-likelihood: (loc, params, ll).

    With ``bound`` (min(x)) given, the best candidate and its neighbours are
    also fitted with a parabola in ``log(bound - loc)`` and its vertex tried:
    one more profile evaluation (cheap) usually saves a Newton iteration or
    two (a pass over the data each).
    """
    scored = []
    for loc in candidates:
        params, ll = profile(loc)
        if np.isfinite(ll):
            scored.append((loc, params, ll))
    if not scored:
        raise ValueError("no finite log-likelihood at any start value")
    best = max(scored, key=lambda item: item[2])
    if bound is not None and len(scored) >= 3:
        by_gap = sorted(scored, key=lambda item: item[0], reverse=True)   # smallest gap first
        i = by_gap.index(best)
        if 0 < i < len(by_gap) - 1:
            (l0, _, f0), (l1, _, f1), (l2, _, f2) = by_gap[i - 1:i + 2]
            u0, u1, u2 = (math.log(bound - v) for v in (l0, l1, l2))
            denom = (u0 - u1) * (u0 - u2) * (u1 - u2)
            a = (u2 * (f1 - f0) + u1 * (f0 - f2) + u0 * (f2 - f1)) / denom
            b = (u2 * u2 * (f0 - f1) + u1 * u1 * (f2 - f0) + u0 * u0 * (f1 - f2)) / denom
            if a < 0:
                u = min(max(-b / (2 * a), u0), u2)
                params, ll = profile(bound - math.exp(u))
                if np.isfinite(ll) and ll > best[2]:
                    best = (bound - math.exp(u), params, ll)
    return best


#: Below this many observations the edge is always examined. The spike on
#: min(x) gains at most (1 - shape) * ~37 nats (log of a one-ulp gap), while
#: moving the shape below 1 costs a sum over every observation: with a few
#: hundred observations and an interior shape above 2 the edge cannot win,
#: with tens it can (seen: gamma on 40 chi-square points, interior a = 2.15).
EDGE_ALWAYS_BELOW_NOBS = 5000


def edge_test(worth_checking, nobs):
    """``worth_checking``, or True for small samples (see ``EDGE_ALWAYS_BELOW_NOBS``)."""
    if nobs < EDGE_ALWAYS_BELOW_NOBS:
        return lambda p: True
    return worth_checking


def check_edge(problem, summary, worth_checking, profile=None):
    """Mark ``problem`` for the edge comparison (see ``Distribution._fit``).

    ``worth_checking(params)`` gets the interior estimate; for gamma and
    weibull_min the edge can only win when the shape is below 1 there, so
    interior shapes above 2 skip the extra passes. ``profile(loc) -> (params,
    ll)``, where the other parameters have a closed form (or a scalar root)
    at fixed loc, saves the Newton iterations at the edge.
    """
    problem.edge_loc = summary.min - math.ulp(abs(summary.min))
    problem.edge_worth_checking = edge_test(worth_checking, summary.sum_w)
    problem.edge_profile = profile
    return problem
