"""``beta(a, b, loc, scale)``: sufficient statistics with fixed support, 4-D Newton otherwise."""
import math

import numpy as np

from .. import _beta, _budget, _special
from .._config import threads_for
from .._data import FitDataError
from .._optimize import Above, Below, Log, golden_section_max
from .._results import FitResult
from ._base import Problem, active_prior
from ._family import LocScaleFamily
from ._charts import CHARTS


def _betaln_derivs(a, b):
    """log B(a, b) with its gradient and Hessian in (a, b)."""
    ab = a + b
    v = _special.lgamma(a) + _special.lgamma(b) - _special.lgamma(ab)
    dab = _special.digamma(ab)
    tab = _special.trigamma(ab)
    g = np.array([_special.digamma(a) - dab, _special.digamma(b) - dab])
    H = np.array([[_special.trigamma(a) - tab, -tab], [-tab, _special.trigamma(b) - tab]])
    return v, g, H


def shape_mle(n, s1, s2, a0, b0, fixed_a=None, fixed_b=None):
    """The beta shape MLE from ``s1 = sum log z``, ``s2 = sum log(1 - z)``.

    The log-likelihood ``-n log B(a, b) + (a - 1) s1 + (b - 1) s2`` is
    concave in ``(a, b)`` (``log B`` is convex), so Newton with step
    halving (keeping both shapes positive) converges from any start. Plain
    floats and a hand-written 2 x 2 solve: at N = 100 this loop, not the
    data pass, is the cost of the fit.

    Returns
    -------
    (a, b, converged)
    """
    # math.lgamma and one vectorized digamma / trigamma call per iteration:
    # fastmle._special's scalar calls return 0-d arrays (~1 us each)
    lgamma, digamma, trigamma = math.lgamma, _special.digamma, _special.trigamma
    free_a, free_b = fixed_a is None, fixed_b is None
    # plain floats: numpy scalars make every operation several times slower
    a = float(a0 if free_a else fixed_a)
    b = float(b0 if free_b else fixed_b)
    m1, m2 = float(s1) / float(n), float(s2) / float(n)        # per observation: the scale of f does not matter

    def f_at(a, b):
        return lgamma(a + b) - lgamma(a) - lgamma(b) + (a - 1.0) * m1 + (b - 1.0) * m2

    f = f_at(a, b)
    for _ in range(200):
        abv = np.array([a, b, a + b])
        dga, dgb, dab = digamma(abv).tolist()
        tga, tgb, tab = trigamma(abv).tolist()
        ga = dab - dga + m1
        gb = dab - dgb + m2
        haa = tab - tga if free_a else -1.0
        hbb = tab - tgb if free_b else -1.0
        hab = tab if free_a and free_b else 0.0
        if not free_a:
            ga = 0.0
        if not free_b:
            gb = 0.0
        det = haa * hbb - hab * hab
        da = -(hbb * ga - hab * gb) / det
        db = -(haa * gb - hab * ga) / det
        if abs(da) <= 1e-9 * a and abs(db) <= 1e-9 * b:
            # quadratic convergence: this last step lands within rounding of
            # the root, where f can no longer tell the points apart
            return a + da, b + db, True
        lam = 1.0
        # positivity: at most a factor 10 smaller per step
        if a + da < 0.1 * a:
            lam = min(lam, 0.9 * a / -da)
        if b + db < 0.1 * b:
            lam = min(lam, 0.9 * b / -db)
        small = abs(da) <= 1e-2 * a and abs(db) <= 1e-2 * b
        while True:
            a1, b1 = a + lam * da, b + lam * db
            if small:
                # close to the root of a concave problem Newton does not
                # overshoot: skip the line search and its three lgamma calls
                f1 = f
                break
            f1 = f_at(a1, b1)
            if f1 >= f - 1e-15 * abs(f):
                break
            lam *= 0.5
            if lam < 1e-12:
                return a, b, max(abs(ga), abs(gb)) <= 1e-8 * max(abs(f), 1.0)
        done = abs(lam * da) <= 1e-13 * a and abs(lam * db) <= 1e-13 * b
        a, b, f = a1, b1, f1
        if done:
            return a, b, True
    return a, b, False


#: With every parameter free and a warm start, a start shape at or above
#: this puts the fit in the limit chart (see ``Beta._limit_chart``).
CHART_ABOVE_SHAPE = 10.0

class Beta(LocScaleFamily):
    """Beta distribution on ``[loc, loc + scale]``, ``scipy.stats.beta``
    parametrization (shapes ``a``, ``b``).

    - ``floc`` and ``fscale`` given (the common call): one kernel pass for
      the sufficient statistics ``sum log z`` and ``sum log(1 - z)``, then
      Newton on the two shapes alone (the likelihood is concave there).
      As in scipy, data outside the open interval ``(floc, floc + fscale)``
      are a :class:`fastmle.FitDataError`.
    - a free ``loc`` and/or ``scale``: Newton in ``(a, b, loc, loc +
      scale)`` with the support's ends kept outside the data (``log(min(x)
      - loc)``, ``log(loc + scale - max(x))``), from the best of a few
      support widths scored by the shape profile. A shape below 1 makes the
      likelihood unbounded as that end approaches the data: the fit then
      stops one ulp from it, says so (``converged=False``), and still
      reports finite values, never NaN. scipy's own fit here is
      Nelder-Mead and often stops far from any optimum.
    """

    name = "beta"
    shapes = ("a", "b")
    positive = ("a", "b")

    def _constant(self, shapes):
        v, g, H = _betaln_derivs(*shapes)
        return -v, -g, -H

    def _support(self, shapes):
        return 0.0, 1.0

    def _std_moments(self, shapes):
        a, b = shapes
        s = a + b
        mean = a / s
        var = a * b / (s * s * (s + 1.0))
        skew = 2.0 * (b - a) * math.sqrt(s + 1.0) / ((s + 2.0) * math.sqrt(a * b))
        kurt = 6.0 * ((a - b) ** 2 * (s + 1.0) - a * b * (s + 2.0)) / (a * b * (s + 2.0) * (s + 3.0))
        return mean, var, skew, kurt

    def _mm_start(self, data, summary, spec):
        from ._base import Distribution
        return Distribution._mm_start(self, data, summary, spec)

    # -- fixed loc and scale: sufficient statistics ---------------------------
    def _log_sums(self, data, loc, scale):
        """(n, sum log z, sum log(1 - z), all strictly inside?) at this support: one pass."""
        s = data.reduce(_beta.sums, loc, scale)
        return s[0], s[1], s[2], s[3] == 0

    @staticmethod
    def _mm_shapes(mean, var, a_fixed=None, b_fixed=None):
        """scipy's moment start for the shapes of data on (0, 1)."""
        if b_fixed is not None:
            return b_fixed * mean / (1.0 - mean), b_fixed
        if a_fixed is not None:
            return a_fixed, a_fixed * (1.0 - mean) / mean
        fac = mean * (1.0 - mean) / var - 1.0 if var > 0 else 1.0
        if not fac > 0:
            fac = 1.0
        return mean * fac, (1.0 - mean) * fac

    def _quick_fit(self, x, kwds, n_threads):
        if set(kwds) != {"floc", "fscale"}:
            return None
        floc, fscale = kwds["floc"], kwds["fscale"]
        if (not isinstance(floc, (int, float)) or not isinstance(fscale, (int, float))
                or not math.isfinite(floc) or not (math.isfinite(fscale) and fscale > 0)):
            return None
        s = _beta.sums(x, None, floc, fscale, n_threads=threads_for(x.shape[0], n_threads))
        n, s1, s2 = s[0], s[1], s[2]
        if s[3]:
            return None         # outside the support or non-finite: the validating path explains
        # mean and variance of z for the start: from a second tiny pass would
        # cost more than Newton's extra step; the sums of logs give a start
        # (geometric means) good enough for a concave problem
        a0, b0 = self._start_from_logs(n, s1, s2)
        a, b, ok = shape_mle(n, s1, s2, a0, b0)
        if not ok:
            return None
        return a, b, float(floc), float(fscale)

    @staticmethod
    def _start_from_logs(n, s1, s2):
        """Shapes from the geometric means G1 = exp(mean log z), G2 = exp(mean log(1 - z)):
        the classical approximation a = 1/2 + G1 / (2 (1 - G1 - G2)) (and b alike)."""
        g1, g2 = math.exp(s1 / n), math.exp(s2 / n)
        d = 1.0 - g1 - g2
        if d > 1e-6:
            return 0.5 + 0.5 * g1 / d, 0.5 + 0.5 * g2 / d
        return 1.0, 1.0

    def _fit_fixed_support(self, data, spec):
        floc, fscale = spec.fixed["loc"], spec.fixed["scale"]
        summary = data.check_finite()
        n, s1, s2, inside = self._log_sums(data, floc, fscale)
        if not inside:
            n_out = sum(int(np.count_nonzero((x <= floc) | (x >= floc + fscale))) for x, _ in data.chunks)
            raise FitDataError(
                f"Invalid values in `data`: maximum likelihood estimation with 'beta' and floc={floc!r}, "
                f"fscale={fscale!r} requires floc < x < floc + fscale for each x in `data`; {n_out} of "
                f"{data.n_rows} observations are not.")
        mean = (summary.mean - floc) / fscale
        var = summary.var / fscale ** 2
        fa, fb = spec.fixed.get("a"), spec.fixed.get("b")
        a0, b0 = self._mm_shapes(mean, var, fa, fb)
        if not (a0 > 0 and b0 > 0):
            a0, b0 = fa or 1.0, fb or 1.0
        a0, b0 = spec.guesses.get("a", a0), spec.guesses.get("b", b0)
        a, b, ok = shape_mle(n, s1, s2, a0, b0, fa, fb)
        v, g, H = _betaln_derivs(a, b)
        ll = -n * v + (a - 1) * s1 + (b - 1) * s2 - n * math.log(fscale)
        hess = np.zeros((4, 4))
        hess[:2, :2] = -n * H
        message = "Newton on the two shapes from the sufficient statistics"
        if not ok:
            message = "the shape Newton iteration did not converge"
        return FitResult(self, [a, b, floc, fscale], spec.fixed, ll, n, hess, ok, message, 0, 0.0, data=data)

    # -- free loc and/or scale --------------------------------------------------
    def _fit(self, data, spec):
        if spec.method == "mle" and "loc" in spec.fixed and "scale" in spec.fixed:
            if active_prior(spec):
                # MAP: the shapes by the shared Newton driver on the posterior
                return super()._fit(data, spec)
            return self._fit_fixed_support(data, spec)
        if active_prior(spec):
            raise NotImplementedError(
                "beta: priors are supported with the support fixed (floc and fscale, e.g. floc=0, "
                "fscale=1 for data on (0, 1)); with a free loc or scale the fit optimizes the ends of "
                "the support in their own coordinates and compares the edges of an unbounded "
                "likelihood, which does not take a prior yet")
        result = super()._fit(data, spec)
        if spec.method != "mle":
            return result
        a, b, loc, scale = (float(v) for v in result.params)
        summary = data.scan()
        if "loc" not in spec.fixed and "scale" not in spec.fixed:
            scale = scale - loc     # the driver worked in (a, b, loc, hi = loc + scale)
        loc, scale = self._inside(summary, loc, scale, "loc" in spec.fixed)
        params = [a, b, loc, scale]
        if "chart" in result.mle_retvals:
            # fitted in the limit chart: its log-likelihood and Hessian (the
            # natural kernel's lgamma differences cancel at large shapes),
            # from (a, b, loc, hi) to (a, b, loc, scale = hi - loc)
            J = np.eye(4)
            J[3, 2] = 1.0
            ll, H = result.llf, J.T @ result._hessian @ J
        else:
            ll, _, H = self._evaluate(data, params)
        converged, message = result.converged, result.message
        boundary = tuple(n for n in result.boundary if n in ("loc", "scale", "a", "b"))
        retvals = dict(result.mle_retvals)
        # the edge can win only with a shape below 1 there; an interior shape
        # above 2 rules that out for large samples, not surely for small ones
        # (one spike gains up to ~37 nats): below 5000 observations the cheap
        # pinned candidates (a pass each) are always looked at, the searches
        # over a free end (~100 passes) only with a shape below 2
        # A gamma limit of the chart (b or a -> inf) was fitted by gamma,
        # whose own edge comparison covered its loc -> min(x) for a shape below
        # 2: the edge candidates and free-end searches (~130 passes on 1e6
        # lognormal draws) are not repeated for it (but for small samples).
        gamma_limit = result.mle_retvals.get("limit", {}).get("family", "norm") != "norm"
        if (min(a, b) < 2.0 and not gamma_limit) or result.nobs < 5000:
            edge = self._best_edge(data, summary, spec, ll, loc, scale,
                                   full_search=min(a, b) < 2.0 and not gamma_limit)
            if edge is not None:
                e_params, e_ll, e_H, which = edge
                retvals["edge_params"] = tuple(float(v) for v in e_params)
                retvals["edge_llf"] = float(e_ll)
                if converged and not result.boundary:
                    # a regular (interior) maximum: it is the estimate, as for
                    # the other unbounded families; the edge is reported
                    message += (f"; the likelihood is unbounded as {which} (a shape below 1; already "
                                "higher one ulp outside the data: mle_retvals['edge_params']), so there "
                                "is no global maximum; this is the best regular (interior) maximum")
                else:
                    retvals["interior_params"] = tuple(float(v) for v in params)
                    params, ll, H = e_params, e_ll, e_H
                    converged = False
                    boundary = ("loc", "scale")
                    message = (f"the likelihood is higher with {which} one ulp outside the data than "
                               "where the optimizer stopped, and unbounded there (a shape below 1): "
                               "there is no regular maximum; the estimate is that edge point")
        out = FitResult(self, params, spec.fixed, ll, result.nobs, H, converged, message,
                        result.n_iter, result.grad_norm, boundary=boundary, data=data,
                        mle_retvals=retvals)
        return out

    @staticmethod
    def _inside(summary, loc, scale, loc_fixed):
        """Nudge (loc, scale) by ulps so that min(x) and max(x) standardize into
        [0, 1] both as scipy computes it and as the kernel does."""
        mn, mx = summary.min, summary.max

        def out_hi(loc, scale):
            # strictly inside: at z = 1 a shape b < 1 has an infinite density
            return (mx - loc) / scale >= 1.0 or (mx - loc) * (1.0 / scale) >= 1.0

        for _ in range(64):
            if not out_hi(loc, scale):
                break
            scale = float(np.nextafter(scale, math.inf))
        if not loc < mn and not loc_fixed:
            loc = float(np.nextafter(mn, -math.inf))
        return loc, scale

    def _best_edge(self, data, summary, spec, ll_interior, loc0, scale0, full_search=True):
        """Compare the interior estimate with supports that end one ulp
        outside the data (shapes profiled by the sufficient statistics).

        Returns ``(params, ll, hess, which)`` of a better edge point, or None.
        """
        mn, mx = summary.min, summary.max
        lo_edge = float(np.nextafter(mn, -math.inf))
        hi_edge = float(np.nextafter(mx, math.inf))
        fixed = spec.fixed
        fa, fb = fixed.get("a"), fixed.get("b")
        cands = []
        if "scale" in fixed:
            w = fixed["scale"]
            up = hi_edge - w
            while (mx - up) / w >= 1.0 or (mx - up) * (1.0 / w) >= 1.0:
                up = float(np.nextafter(up, math.inf))
            cands += [(lo_edge, w, "loc -> min(x)"), (up, w, "loc + scale -> max(x)")]
        elif "loc" in fixed:
            cands.append((fixed["loc"], hi_edge - fixed["loc"], "loc + scale -> max(x)"))
        else:
            cands += [(lo_edge, hi_edge - lo_edge, "both ends of the support"),
                      (lo_edge, loc0 + scale0 - lo_edge, "loc -> min(x)"),
                      (loc0, hi_edge - loc0, "loc + scale -> max(x)")]
        best = None
        for loc, scale, which in cands:
            loc, scale = self._inside(summary, loc, scale, True)
            if not (loc < mn and (mx - loc) / scale < 1.0):
                continue
            n, s1, s2, inside = self._log_sums(data, loc, scale)
            if not inside:
                continue
            a0, b0 = self._start_from_logs(n, s1, s2)
            a, b, _ = shape_mle(n, s1, s2, fa or a0, fb or b0, fa, fb)
            ll, _, H = self._evaluate(data, [a, b, loc, scale])
            if np.isfinite(ll) and ll > ll_interior and (best is None or ll > best[1]):
                best = ([a, b, loc, scale], ll, H, which)
        if "loc" not in fixed and "scale" not in fixed and full_search:
            # one end pinned one ulp outside the data, the other end free: the
            # profile (shapes by their sufficient statistics) maximized over
            # the log-gap of the free end by a grid and golden-section search
            rng = mx - mn

            def prof(lo, hi):
                if _budget.spent():     # a work budget (fastmle.select) ran out: no more passes
                    return -math.inf, None
                n, s1, s2, inside = self._log_sums(data, lo, hi - lo)
                if not inside:
                    return -math.inf, None
                a0, b0 = self._start_from_logs(n, s1, s2)
                a, b, _ = shape_mle(n, s1, s2, fa or a0, fb or b0, fa, fb)
                v = _betaln_derivs(a, b)[0]
                return -n * v + (a - 1) * s1 + (b - 1) * s2 - n * math.log(hi - lo), (a, b)

            u_lo = math.log(max(math.ulp(max(abs(mn), abs(mx))), 1e-300) / rng)
            for end, which in (("lo", "loc -> min(x)"), ("hi", "loc + scale -> max(x)")):
                def f(u):
                    gap = rng * math.exp(u)
                    return prof(lo_edge, mx + gap) if end == "lo" else prof(mn - gap, hi_edge)
                us = np.linspace(u_lo, math.log(10.0), 24)
                vals = [f(u)[0] for u in us]
                i = int(np.argmax(vals))
                x0, x1 = us[max(i - 1, 0)], us[min(i + 1, len(us) - 1)]
                (c, fc), (d, fd) = golden_section_max(lambda u: f(u)[0], x0, x1)
                u_best = max([(vals[i], us[i]), (fc, c), (fd, d)])[1]
                gap = rng * math.exp(u_best)
                lo, hi = (lo_edge, mx + gap) if end == "lo" else (mn - gap, hi_edge)
                ll, shapes = prof(lo, hi)
                if shapes is None:
                    continue
                loc, scale = self._inside(summary, lo, hi - lo, True)
                p = [shapes[0], shapes[1], loc, scale]
                ll, _, H = self._evaluate(data, p)
                if np.isfinite(ll) and ll > ll_interior and (best is None or ll > best[1]):
                    best = (p, ll, H, which)
        return best

    def _problem(self, data, spec):
        summary = data.check_finite()
        mn, mx = summary.min, summary.max
        sd = math.sqrt(summary.var)
        if not sd > 0:
            raise ValueError("all observations are equal: beta's loc, scale and shapes cannot be "
                             "estimated with a free loc or scale")
        if not math.isfinite(sd):
            raise ValueError("beta: the spread of the data overflows float64; rescale the data")
        fixed = spec.fixed
        floc, fscale = fixed.get("loc"), fixed.get("scale")
        if floc is not None and not floc < mn:
            raise FitDataError(f"Invalid values in `data`: beta with floc={floc!r} needs every x > floc; "
                               f"min(x) = {mn!r}")
        if fscale is not None and not fscale > mx - mn:
            raise FitDataError(f"Invalid values in `data`: beta with fscale={fscale!r} needs a scale "
                               f"longer than the data's range {mx - mn!r}")
        fa, fb = fixed.get("a"), fixed.get("b")
        sub = data.subsample(self.warm_start_rows) if data.n_rows > 4 * self.warm_start_rows else data

        def profile(lo, hi):
            # best shapes at this support (one pass over the subsample)
            n, s1, s2, inside = self._log_sums(sub, lo, hi - lo)
            if not inside:
                return -math.inf, None
            a0, b0 = self._start_from_logs(n, s1, s2)
            a, b, _ = shape_mle(n, s1, s2, fa or a0, fb or b0, fa, fb)
            v = _betaln_derivs(a, b)[0]
            return -n * v + (a - 1) * s1 + (b - 1) * s2 - n * math.log(hi - lo), (a, b)

        warm = spec.warm
        if warm is not None and not (warm[2] < mn and warm[2] + warm[3] > mx):
            # the full data reach beyond the subsample's support: widen it to
            # just cover them (the subsample's shapes stay a good start; a
            # fresh start would cost Newton a dozen passes over the data)
            a_w, b_w, lo_w, sc_w = warm
            hi_w = lo_w + sc_w
            gap = 1e-3 * (mx - mn)
            if floc is None:
                lo_w = min(lo_w, mn - gap)
            if fscale is None:
                hi_w = max(hi_w, mx + gap)
            else:
                hi_w = lo_w + fscale
            warm = (a_w, b_w, lo_w, hi_w - lo_w)
            if not (warm[2] < mn and warm[2] + warm[3] > mx):
                warm = None
        if warm is not None:
            start = list(warm)
        else:
            rng = mx - mn
            best = None
            for d in (1e-3, 1e-2, 0.05, 0.2, 1.0):
                lo = floc if floc is not None else (mn - d * rng if fscale is None else
                                                    mn - 0.5 * (fscale - rng))
                hi = lo + fscale if fscale is not None else mx + d * rng
                ll, shapes = profile(lo, hi)
                if shapes is not None and (best is None or ll > best[0]):
                    best = (ll, shapes, lo, hi)
                if floc is not None and fscale is not None or (fscale is not None):
                    break
            if best is None:
                raise ValueError("beta: no finite log-likelihood at any start value")
            _, (a, b), lo, hi = best
            start = [a, b, lo, hi - lo]
        start = [self._start(spec, n, v) for n, v in zip(self.param_names, start)]
        if not (start[2] < mn and start[2] + start[3] > mx):
            raise ValueError(f"beta: the start values {tuple(start)} do not cover the data")
        # optimize in (a, b, loc, hi = loc + scale) when both are free, so that
        # each end of the support has its own one-sided transform
        both = floc is None and fscale is None
        transforms = {}
        if fa is None:
            transforms[0] = Log(start[0])
        if fb is None:
            transforms[1] = Log(start[1])
        if floc is None:
            transforms[2] = Below(mn, sd)
        if fscale is None:
            transforms[3] = Above(mx, sd) if both else Above(mx - start[2], sd)
        q0 = list(start)
        if both:
            q0[3] = start[2] + start[3]
        J = np.eye(4)
        if both:
            J[3, 2] = -1.0              # scale = hi - loc

        def evaluate(q):
            p = list(q)
            if both:
                p[3] = q[3] - q[2]
            ll, g, H = self._evaluate(data, p)
            if both:
                g = J.T @ g
                H = J.T @ H @ J
            return ll, g, H

        problem = Problem(q0, transforms, evaluate, summary.sum_w)
        problem.beta_hi_space = both
        return problem

    def _limit_chart(self, start, data, spec=None):
        # every parameter free: the limit chart (mean, sd, and two shapes whose
        # zeros are the gamma, the reflected gamma and the normal; see
        # _charts.BetaChart), where those limits are regular points (gamma
        # data at 1e6 rows: 64 ms against 688, normal data: 98 against 1700;
        # cold starts from moments on 3000 gamma draws crawl to a saddle in
        # the natural coordinates). Its kernel costs ~2.5x a natural pass (a
        # quadrature per observation), so where a warm start (a converged fit
        # to a subsample) has moderate shapes, the natural coordinates are
        # faster despite more passes (beta(2, 3) at 1e6 rows: 72 ms against
        # 91; beta(20, 30): 155 against 127 in the chart).
        warm = spec is not None and spec.warm is not None
        return None if warm and max(start[0], start[1]) < CHART_ABOVE_SHAPE else CHARTS["beta"]

    def _hold_loc_at_floor(self, problem, params, free, boundary, status, retvals):
        """A shape below 1: the likelihood rises without bound as an end of
        the support reaches the data. Hold the ends that got there and
        maximize the rest; say which."""
        ends = []
        for i, name in ((2, "loc"), (3, "scale")):
            tr = problem.transforms.get(i)
            if tr is not None and tr.to_internal(params[i]) <= tr.T_MIN + 1e-9:
                ends.append(i)
        rest = [i for i in free if i not in ends]
        if rest:
            from ._base import _maximize_free
            opt, _ = _maximize_free(problem, params, rest)
            status["n_iter"] += opt.n_iter
        for i in ends:
            boundary[self.param_names[i]] = params[i]
        status["converged"] = False
        which = " and ".join({2: "loc -> min(x)", 3: "loc + scale -> max(x)"}[i] for i in ends)
        status["message"] = (f"the likelihood increases without bound as {which} (a shape below 1): "
                             "there is no regular maximum; the support is held one ulp outside the data "
                             "and the other parameters are maximized there")


beta = Beta()
