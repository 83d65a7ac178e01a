"""``laplace(loc, scale)``: closed-form MLE (median, mean absolute deviation)."""
import math
import warnings

import numpy as np

from .. import _range
from .._config import threads_for
from .._data import weighted_middle
from .._optimize import Log
from .._results import FitResult
from ._base import FitSpec, Problem, _maximize_free
from ._family import LocScaleFamily, assemble_locscale
from ._realline import quick_kwds


def fast_median(x):
    """``np.median(x)`` of a 1-D array without partitioning all of it.

    For large arrays the median is bracketed by quantiles of an evenly
    strided sample (~32k rows, a bracket of +-5 sample standard errors);
    one pass counts the rows below the bracket and gathers those inside,
    and the order statistics are selected among those few. If the bracket
    misses (adversarial order, NaN), ``np.median`` decides. The result is
    exactly ``np.median``'s (same order statistics, same midpoint rule).
    """
    n = x.shape[0]
    if n < 1 << 17:
        # np.partition alone: np.median's generality costs ~5 us, a third of
        # scipy's whole laplace fit at N = 100 (NaN ends last: the caller's
        # finiteness checks catch it)
        k1, k2 = (n - 1) // 2, n // 2
        part = np.partition(x, [k1, k2] if k1 != k2 else k1)
        return 0.5 * (float(part[k1]) + float(part[k2]))
    step = n >> 15
    sample = np.sort(x[::step])
    m = sample.shape[0]
    half = 5.0 * math.sqrt(m) / 2.0
    lo = sample[max(int(m / 2 - half), 0)]
    hi = sample[min(int(m / 2 + half), m - 1)]
    below = int(np.count_nonzero(x < lo))
    inside = x[(x >= lo) & (x <= hi)]
    k1, k2 = (n - 1) // 2, n // 2           # the middle order statistics (equal for odd n)
    if not (below <= k1 and k2 < below + inside.shape[0]):
        return float(np.median(x))
    part = np.partition(inside, [k1 - below, k2 - below])
    return 0.5 * (float(part[k1 - below]) + float(part[k2 - below]))


def weighted_median(data):
    """The (weighted) sample median: the midpoint of the middle pair when
    the cumulative weight splits exactly in half (``np.median``'s rule for
    unit weights). Unweighted data use ``np.median`` (a partition, no full
    sort); weighted data sort once."""
    if data.out_of_core:
        from .._data import chunked_median      # memory maps, chunk sources, Dask: O(chunk) memory
        return chunked_median(data)
    xs = [np.asarray(x, dtype=float) for x, _ in data.chunks]
    if not data.weighted:
        return fast_median(xs[0] if len(xs) == 1 else np.concatenate(xs))
    x = np.concatenate(xs)
    w = np.concatenate([np.ones(c.shape[0]) if cw is None else cw for c, cw in data.chunks])
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    i, split = weighted_middle(w)
    # an exact split leaves every point of [x_i, x_{i+1}] optimal
    if split and i + 1 < x.shape[0]:
        return 0.5 * (x[i] + x[i + 1])
    return float(x[i])


class Laplace(LocScaleFamily):
    """Laplace (double exponential) distribution, ``scipy.stats.laplace``
    parametrization: log density ``-log(2 scale) - |x - loc| / scale``.

    Notes
    -----
    The MLE is closed form: loc is the sample median (weighted median with
    weights) and scale the mean absolute deviation about loc; with loc
    fixed the scale is the mean absolute deviation about it, with scale
    fixed loc is still the median. No optimizer runs for loc; Newton checks
    the scale's closed form.

    The log-likelihood is not differentiable in loc (a kink at every
    observation), so there is no observed information for it. The result's
    Hessian uses the expected information instead, ``N / scale^2`` for loc
    (and 0 between loc and scale): ``bse`` of loc is then the asymptotic
    standard error of the sample median, ``scale / sqrt(N)``.

    Censored data (``fastmle.Censored``, ``scipy.stats.CensoredData``) with a
    free loc: loc is the root of the profile likelihood's slope (the
    log-likelihood is concave in loc, with a kink at every exact value), the
    scale is Newton's at each trial loc.
    """

    name = "laplace"

    def _constant(self, shapes):
        return -math.log(2.0), None, None

    def _quick_fit(self, x, kwds, n_threads):
        parsed = quick_kwds(kwds)
        if parsed is None:
            return None
        floc, fscale = parsed
        loc = fast_median(x) if floc is None else floc
        if fscale is not None:
            # the median ignores an infinite value: check explicitly
            return (loc, fscale) if math.isfinite(float(np.add.reduce(x, dtype=float))) else None
        if not math.isfinite(loc):
            return None
        # sum |x - loc| in one threaded pass with nothing else to do
        scale = _range.abs_deviation_sum(
            x, loc, threads_for(x.shape[0], n_threads)) / x.shape[0]
        if not (math.isfinite(scale) and scale > 0):
            return None     # non-finite or all-equal data: the general path explains
        return loc, scale

    def _passes_per_iteration(self, spec):
        return False        # closed form: no warm start from a subsample

    def _problem(self, data, spec):
        summary = data.check_finite()
        n = summary.sum_w
        loc = spec.fixed.get("loc")
        if loc is None:
            loc = weighted_median(data)
        scale = spec.fixed.get("scale")
        if scale is None:
            s = self._sums(data, [loc, 1.0])
            # sum w g_z z = -sum w |x - loc| at scale 1
            scale = -s[3] / n
            if not scale > 0:
                raise ValueError("laplace: all observations are equal: the scale MLE is 0 and the "
                                 "likelihood is unbounded")
        start = [loc, scale]
        transforms = {}
        if "scale" not in spec.fixed:
            transforms[1] = Log(spec.guesses.get("scale", scale))

        def evaluate(p):
            s = self._sums(data, p)
            ll, g, H = assemble_locscale(s, 0, p[1], self._constant(()))
            H[0, 0] = -s[0] / (p[1] * p[1])
            H[0, 1] = H[1, 0] = 0.0
            return ll, g, H

        def closed_form(p):
            out = {}
            if "loc" not in spec.fixed:
                out["loc"] = loc
            if "scale" not in spec.fixed:
                out["scale"] = scale
            return out

        return Problem(start, transforms, evaluate, n, closed_form,
                       notes=["closed form: loc = median, scale = mean |x - loc|; loc's standard "
                              "error from the expected information N/scale^2"])

    def _fit_censored(self, sample, spec):
        """Censored data with a free loc: the log-likelihood has a kink in
        loc at every exact value, so Newton cannot move loc. The Laplace
        density is log-concave, so every censored term (log density, log F,
        log S, log of an interval's probability) is concave in loc at a fixed
        scale, and jointly concave in (loc/scale, 1/scale); the profile over
        the scale is then unimodal in loc (its superlevel sets are intervals)
        and loc is found as the root of its slope (bracketed: regula falsi and
        bisection), the scale by
        Newton at each trial loc (or held at fscale). With loc fixed the
        scale alone is smooth: the generic censored Newton.

        The exact rows' loc curvature is zero almost everywhere; as for exact
        data, their expected information (weight / scale^2) stands in for it
        in the reported Hessian.
        """
        from ._natural import natural_sums

        if "loc" in spec.fixed or sample.counts["exact"] == sample.n_rows or spec.method != "mle":
            return super()._fit_censored(sample, spec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = self._fit(sample.pseudo_data(), FitSpec({}, dict(spec.fixed), "mle", spec.freed))
        loc0, scale0 = (float(v) for v in start.params)
        scale_free = "scale" not in spec.fixed
        state = {"scale": scale0, "n_eval": 0, "n_iter": 0}

        def evaluate(p):
            state["n_eval"] += 1
            return natural_sums(self, sample, p)[1:4]

        def at(loc):
            """(ll, slope in loc, params) with the scale maximized at loc."""
            p = np.array([loc, state["scale"]])
            if scale_free:
                problem = Problem(p, {1: Log(p[1])}, evaluate, sample.nobs)
                opt, _ = _maximize_free(problem, p, [1])
                state["n_iter"] += opt.n_iter
                if np.isfinite(p[1]) and p[1] > 0:
                    state["scale"] = p[1]
            ll, g, _ = evaluate(p)
            return ll, g[0], p

        # bracket: slope > 0 at a, < 0 at b (an infinite log-likelihood far
        # out counts as having overshot)
        step = scale0
        a, b = loc0 - step, loc0 + step
        converged = True
        for _ in range(60):
            ll_a, slope_a, _ = at(a)
            if np.isfinite(ll_a) and slope_a > 0:
                break
            step *= 2.0
            a = loc0 - step
        else:
            converged = False
        step = scale0
        for _ in range(60):
            ll_b, slope_b, _ = at(b)
            if np.isfinite(ll_b) and slope_b < 0:
                break
            step *= 2.0
            b = loc0 + step
        else:
            converged = False
        # the slope's root. It jumps down by 2 w / scale at an exact value
        # of weight w (the kernel gives the midpoint there), so first the
        # exact values inside the bracket are bisected by rank, each tested
        # for holding the maximum (slope > 0 just left of it, < 0 just
        # right); between two of them the slope is smooth: regula falsi with
        # the Illinois halving, and a bisection when a step keeps most of
        # the bracket
        exact = sample.exact
        values, inverse = np.unique(sample.lower[exact], return_inverse=True)
        weights = np.bincount(inverse, None if sample.weights is None else sample.weights[exact],
                              minlength=values.shape[0])
        br = {"a": a, "b": b, "fa": slope_a, "fb": slope_b}

        def narrow(x, slope_x=None):
            """Keep the half of the bracket holding the root: +1 if x became
            its lower end, -1 its upper end, 0 if x is the root."""
            if slope_x is None:
                ll_x, slope_x, _ = at(x)
                if not np.isfinite(ll_x) or slope_x == 0.0:
                    br["a"] = br["b"] = x
                    return 0
            if slope_x > 0:
                br["a"], br["fa"] = x, slope_x
                return 1
            br["b"], br["fb"] = x, slope_x
            return -1

        side = 0
        while br["b"] - br["a"] > 4.0 * math.ulp(max(abs(br["a"]), abs(br["b"]))) and br["b"] - br["a"] > 1e-300:
            a, b = br["a"], br["b"]
            i, j = np.searchsorted(values, a, side="right"), np.searchsorted(values, b, side="left")
            if i < j:
                x = float(values[(i + j) // 2])
                _, slope_x, p_x = at(x)
                jump = weights[(i + j) // 2] / p_x[1]
                if slope_x + jump > 0 and slope_x - jump < 0:
                    br["a"] = br["b"] = x
                    break
                narrow(x, slope_x - jump if slope_x - jump >= 0 else slope_x + jump)
                side = 0
                continue
            mid = b - br["fb"] * (b - a) / (br["fb"] - br["fa"])
            moved = narrow(mid if a < mid < b else 0.5 * (a + b))
            if moved == 0:
                break
            if moved == side:       # the same end twice: Illinois halving
                br["fb" if moved == 1 else "fa"] *= 0.5
            side = moved
            if br["b"] - br["a"] > 0.5 * (b - a):
                if narrow(0.5 * (br["a"] + br["b"])) == 0:
                    break
                side = 0
        a, b = br["a"], br["b"]
        ends = [at(a), at(b)] if a != b else [at(a)]
        ll, _, params = max(ends, key=lambda e: e[0])
        ll, g, H = evaluate(params)
        exact_w = float(np.sum(sample.exact if sample.weights is None else sample.weights[sample.exact]))
        H = H.copy()
        H[0, 0] -= exact_w / params[1] ** 2
        grad_norm = abs(g[1]) / sample.nobs if scale_free else 0.0
        if not (np.isfinite(ll) and np.all(np.isfinite(params))):
            raise ValueError(f"laplace: the censored fit ended at non-finite values {tuple(params)}")
        message = ("loc as the root of the profile's slope (the log-likelihood is concave in loc "
                   "with a kink at every exact value), scale by Newton"
                   if converged else "no sign change of the profile's slope in loc was found (the "
                   "likelihood keeps rising toward one end: all censoring on one side)")
        message += f"; censored data ({sample.summary()})"
        retvals = {"method": "bisection+newton", "n_iter": state["n_iter"], "n_eval": state["n_eval"],
                   "message": message, "converged": converged, "censored": dict(sample.counts)}
        return FitResult(self, params, spec.fixed, ll, sample.nobs, H, converged, message, state["n_iter"],
                         grad_norm, data=sample, mle_retvals=retvals)

    def _initial(self, data, summary, spec):
        # method="MM" start (the MLE itself is closed form): variance 2 scale^2
        return (), summary.mean, math.sqrt(0.5 * summary.var) or 1.0

    def _std_moments(self, shapes):
        return 0.0, 2.0, 0.0, 3.0


laplace = Laplace()
