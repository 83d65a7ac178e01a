"""Helpers shared by the whole-real-line families (t, cauchy, logistic,
laplace, gumbel_r, gumbel_l, skewnorm).

* :func:`best_of_loc_starts`: heavy tails (cauchy, t with small df) make the
  likelihood multimodal in loc; Newton from the median alone can end on a
  secondary mode, so small and medium samples are fitted from the median and
  the quartiles and the highest likelihood wins.
* :func:`quick_newton_m0`: for N = 100, scipy's ``fit`` overrides (logistic,
  gumbel) take ~0.1-0.3 ms; the general driver (validation scan, problem,
  transforms) costs about that much again. A scalar Newton iteration on the
  C kernel's sums of the array serves small samples; anything unusual
  returns None and the general path takes over (and explains errors).
* :func:`check_not_all_equal`, :func:`check_collapse`: clear errors where
  the likelihood is unbounded (all-equal data; ties under heavy tails).
* :func:`quietly`: run an inner fit with numpy's floating-point warnings
  silenced (fits warn about non-convergence only at the public entry points,
  on the answer returned).
"""
import math
import warnings

import numpy as np

from .. import _families
from .._optimize import Affine
from ._base import FitSpec, fit_objective
from ._family import sample_quantiles

__all__ = ["best_of_loc_starts", "robust_loc_transform", "check_collapse", "check_not_all_equal", "quietly",
           "quick_kwds", "quick_start", "quick_newton_m0", "QUICK_MAX_ROWS"]

#: quick numpy paths serve samples up to this size (beyond it the C kernel wins)
QUICK_MAX_ROWS = 4096


def best_of_loc_starts(dist, fit_one, data, spec, quantiles=(0.5, 0.25, 0.75)):
    """Fit from several loc starts (sample quantiles) and keep the best.

    Parameters
    ----------
    dist : LocScaleFamily
    fit_one : callable
        ``fit_one(data, spec) -> FitResult`` (the base class's ``_fit``).
    data : Data
    spec : FitSpec

    Only used when loc is free, the caller gave no loc guess and the fit is
    not already warm-started from a subsample (large data: the subsample's
    fit went through here and chose the mode).
    """
    if (spec.method != "mle" or "loc" in spec.fixed or "loc" in spec.guesses
            or spec.warm is not None):
        return fit_one(data, spec)
    dist._warm_start(data, spec)
    if spec.warm is not None:
        return fit_one(data, spec)
    data.check_finite()
    starts = sample_quantiles(data, list(quantiles))
    best = None
    seen = set()
    for q in starts.tolist():
        if q in seen:
            continue
        seen.add(q)
        sub = FitSpec(dict(spec.guesses, loc=q), dict(spec.fixed), spec.method, spec.freed, spec.bounds,
                      prior=spec.prior)
        try:
            res = quietly(fit_one, data, sub)
        except (ValueError, ArithmeticError):
            if q == starts[0]:
                raise
            continue
        if best is None or fit_objective(dist, spec, res) > fit_objective(dist, spec, best):
            best = res
    best = _scan_spiky_modes(dist, fit_one, data, spec, best, starts)
    check_collapse(dist, data, best)
    return best


def _scan_spiky_modes(dist, fit_one, data, spec, best, quartiles, max_cands=256, max_rows=4096):
    """A scale far below the spread (fixed by the caller, or t with a tiny
    df) puts a local maximum in loc near nearly every observation: compare
    the log-likelihood with loc at up to 256 observations (on up to 4096
    rows) and run Newton from the best three."""
    names = dist.param_names
    m = len(dist.shapes)
    q50, q25, q75 = quartiles.tolist()
    scale = best.params[m + 1]
    if not scale < (q75 - q25) / 20.0:
        return best
    sub = data if data.n_rows <= max_rows else data.subsample(max_rows)
    x = np.unique(np.concatenate([np.asarray(c, dtype=float) for c, _ in sub.chunks]))
    cands = x[::max(1, x.shape[0] // max_cands)]
    shapes = tuple(best.params[:m])
    lls = np.array([dist.loglike_at(sub, shapes + (float(c), scale)) for c in cands])
    for c in cands[np.argsort(lls)[-3:]].tolist():
        guesses = {n: v for n, v in zip(names, best.params) if n not in spec.fixed}
        guesses["loc"] = c
        sub_spec = FitSpec(guesses, dict(spec.fixed), spec.method, spec.freed, spec.bounds,
                           prior=spec.prior)
        try:
            res = quietly(fit_one, data, sub_spec)
        except (ValueError, ArithmeticError):
            continue
        if fit_objective(dist, spec, res) > fit_objective(dist, spec, best):
            best = res
    return best


def robust_loc_transform(dist, problem):
    """Move a free loc on the start's own ruler, ``loc = loc0 + scale0 t``.

    The shared driver centres loc at the sample mean in units of the sample
    standard deviation; for heavy tails (cauchy, t with df <= 2) those are
    noise, possibly 1e10 wide, and loc could then only move in steps of
    ~1e10 ulps. The start (median, quartile-based scale) is robust."""
    names = dist.param_names
    i, j = names.index("loc"), names.index("scale")
    if i in problem.transforms:
        problem.transforms[i] = Affine(problem.start[i], abs(problem.start[j]))
    return problem


def quietly(fit, *args):
    """``fit(*args)`` with numpy's floating-point warnings silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return fit(*args)


def check_collapse(dist, data, result):
    """Raise if the fit collapsed onto observations: no regular maximum.

    With ``k`` observations at loc, the t log-likelihood behaves like
    ``(k - (N - k) df) log(1/scale)`` as scale -> 0 (the k terms gain
    ``log(1/scale)`` each, the others lose ``df log(1/scale)``): it is
    unbounded when ``(N - k) df < k`` -- cauchy (df = 1) when more than half
    of the sample is tied, t with a free df always (df -> 0 along the way),
    t with a small fixed df on tiny samples. scipy returns some point along
    that path. A fit whose scale ended below 1e-3 of the interquartile range
    (of the standard deviation if that is 0) with observations within 10
    scales of loc that satisfy the condition is reported as such.
    """
    if "scale" in result.fixed or "loc" in result.fixed:
        return
    names = dist.param_names
    loc, scale = result.params[names.index("loc")], result.params[names.index("scale")]
    df = result.params[0] if "df" in names else 1.0
    summary = data.scan()
    q25, q75 = sample_quantiles(data, [0.25, 0.75])
    # a robust spread (heavy tails inflate the standard deviation); the
    # interquartile range is 0 when over half of the sample is tied
    spread = q75 - q25 if q75 > q25 else math.sqrt(summary.var)
    if not scale < 1e-3 * spread:
        return
    k = 0.0
    for x, w in data.chunks:
        near = np.abs(np.asarray(x, dtype=float) - loc) <= 10.0 * scale
        k += float(near.sum() if w is None else w[near].sum())
    n = summary.sum_w
    if k >= 1 and (n - k) * df < k:
        raise ValueError(
            f"{dist.name}: {k:g} of {n:g} observations sit at x = {loc!r} and (N - k) df = "
            f"{(n - k) * df:.3g} < k: the likelihood grows without bound as scale -> 0 with loc "
            f"there (the fit reached scale = {scale:.3g}); there is no regular maximum. Fix the "
            "scale (fscale=...) or the location, or remove the ties.")


def check_not_all_equal(dist, summary, spec):
    """Raise the clear error for all-equal data when the scale is free
    (its MLE is 0 and the likelihood is unbounded)."""
    if "scale" not in spec.fixed and not summary.max > summary.min:
        raise ValueError(f"{dist.name}: all observations are equal: the scale MLE is 0 and the "
                         "likelihood is unbounded")


def quick_kwds(kwds):
    """``(floc, fscale)`` if ``kwds`` hold at most one of them as a finite
    number (fscale positive), else None (the general path decides)."""
    if not kwds:
        return None, None
    if len(kwds) > 1 or set(kwds) - {"floc", "fscale"}:
        return None
    (key, value), = kwds.items()
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return None
    if key == "fscale":
        return (None, float(value)) if value > 0 else None
    return float(value), None


def quick_start(x, kwds):
    """The shared opening of the small-sample quick paths (logistic, gumbel):
    ``(floc, fscale, mean)``, or None when the general path must decide (too
    many or too few rows, other keywords, NaN/inf or overflowing data)."""
    if x.shape[0] > QUICK_MAX_ROWS or x.shape[0] < 2:
        return None
    parsed = quick_kwds(kwds)
    if parsed is None:
        return None
    mean = float(np.add.reduce(x, dtype=float)) / x.shape[0]
    if not math.isfinite(mean):
        return None
    return parsed[0], parsed[1], mean


def quick_newton_m0(family, x, loc, scale, floc, fscale, c0, maxiter=60):
    """Newton on (loc, log scale) for a shape-free family, straight on the
    C kernel's sums of one small float32/float64 array (one thread).

    Returns ``(loc, scale)`` or None whenever anything is unusual
    (non-finite values, a Hessian that is not negative definite, no
    convergence): the general driver then takes over and explains.
    """
    if not (math.isfinite(loc) and math.isfinite(scale) and scale > 0):
        return None
    free_loc, free_scale = floc is None, fscale is None
    block = np.empty(2)

    def at(lc, sc):
        block[0], block[1] = lc, 1.0 / sc
        n, lg, gz, gzz, hzz, hzz1, hzz2 = _families.sums(x, None, family, block, n_threads=1).tolist()
        ll = lg - n * math.log(sc) + n * c0
        # gradient and Hessian in (loc, u = log scale)
        return ll, -gz / sc, -(gzz + n), hzz / (sc * sc), (hzz1 + gz) / sc, hzz2 + gzz

    ll, g1, g2, h11, h12, h22 = at(loc, scale)
    if not math.isfinite(ll):
        return None
    for _ in range(maxiter):
        if free_loc and free_scale:
            det = h11 * h22 - h12 * h12
            if not (h11 < 0 and det > 0):
                return None
            d1 = -(h22 * g1 - h12 * g2) / det
            d2 = -(h11 * g2 - h12 * g1) / det
        elif free_loc:
            if not h11 < 0:
                return None
            d1, d2 = -g1 / h11, 0.0
        else:
            if not h22 < 0:
                return None
            d1, d2 = 0.0, -g2 / h22
        d2 = max(min(d2, 2.0), -2.0)
        step = 1.0
        for _ in range(40):
            lc, sc = loc + step * d1, scale * math.exp(step * d2)
            new = at(lc, sc)
            if new[0] >= ll - 1e-12 * abs(ll):
                break
            step *= 0.5
        else:
            return None
        loc, scale = lc, sc
        ll, g1, g2, h11, h12, h22 = new
        if not math.isfinite(ll):
            return None
        if abs(step * d1) <= 1e-11 * scale and abs(step * d2) <= 1e-11:
            return (loc if free_loc else floc), (scale if free_scale else fscale)
    return None
