"""``pareto(b, loc, scale)``: scipy's closed forms, and a 1-D profile for free loc and scale."""
import math
import warnings

import numpy as np

from .. import _gamma, _range
from .._config import threads_for
from .._data import FitDataError
from .._optimize import Log
from .._results import FitResult
from ._base import FitSpec, Problem, _maximize_free
from ._family import LocScaleFamily
from ._base import active_prior


def _maximize_1d(fun, t, max_iter=100, t_max=None):
    """Maximize a smooth scalar function by safeguarded Newton.

    ``fun(t) -> (f, f', f'')``. Newton steps where ``f'' < 0``, otherwise a
    unit step uphill; steps are capped at 2 and halved until ``f`` rises.
    Returns ``(t, f, converged, n_iter)``; with ``t_max`` the search stops
    (not converged) once ``t`` passes it.
    """
    f, d1, d2 = fun(t)
    for it in range(1, max_iter + 1):
        step = -d1 / d2 if d2 < 0 else math.copysign(1.0, d1)
        step = max(-2.0, min(2.0, step))
        while True:
            f_new, n1, n2 = fun(t + step)
            if np.isfinite(f_new) and f_new >= f - 1e-13 * abs(f):
                break
            step *= 0.5
            if abs(step) < 1e-15 * max(1.0, abs(t)):
                return t, f, abs(d1) <= 1e-8 * max(1.0, abs(f)), it
        t, f, d1, d2 = t + step, f_new, n1, n2
        if abs(step) <= 1e-12 * max(1.0, abs(t)):
            return t, f, True, it
        if t_max is not None and t > t_max:
            return t, f, False, it
    return t, f, False, max_iter


class Pareto(LocScaleFamily):
    """Pareto distribution, ``scipy.stats.pareto`` parametrization (shape ``b``).

    Density ``b / z^(b+1)`` for ``z = (x - loc) / scale >= 1``. The
    likelihood grows with ``scale`` up to the support limit ``loc + scale =
    min(x)``, so (as in scipy) every MLE puts the support's start at the data
    minimum, and the shape then has the closed form
    ``b = n / sum log((x - loc) / scale)``:

    - ``floc``: ``scale = min(x) - floc`` (or ``fscale``), one pass;
    - ``fscale``: ``loc = min(x) - fscale``, one pass;
    - neither: the profile likelihood in ``s = min(x) - loc`` (b profiled
      out in closed form) is maximized by Newton in ``log s``, one kernel
      pass (sums of ``log(x - loc)``, ``1/(x - loc)``, ``1/(x - loc)^2``) per
      iteration. scipy solves the same stationarity condition by bracketing;
      where the profile has no interior maximum (it rises toward the
      exponential limit ``loc -> -inf``, ``b -> inf``) the fit stops, warns
      and says so.

    The support check follows scipy: a fixed ``floc`` with ``min(x) - floc <
    fscale`` (or ``< 0``) is a :class:`fastmle.FitDataError`.

    Censored data: the support's start is held at the smallest exact value
    and the rest maximized by Newton, unless left- or interval-censored rows
    below it pull it inside, which the slope there tells; then Newton also
    runs in the gap, and the better end point is kept.
    """

    name = "pareto"
    shapes = ("b",)
    positive = ("b",)

    def _constant(self, shapes):
        b = shapes[0]
        return math.log(b), np.array([1.0 / b]), np.array([[-1.0 / b ** 2]])

    def _support(self, shapes):
        return 1.0, math.inf

    def _initial(self, data, summary, spec):
        return (1.0,), summary.min - 1.0, 1.0

    def _std_moments(self, shapes):
        b = shapes[0]
        mean = b / (b - 1.0) if b > 1 else math.inf
        var = b / (b - 2.0) / (b - 1.0) ** 2 if b > 2 else math.inf
        skew = 2 * (b + 1.0) * math.sqrt(b - 2.0) / ((b - 3.0) * math.sqrt(b)) if b > 3 else math.nan
        kurt = 6.0 * (b ** 3 + b ** 2 - 6 * b - 2) / (b * (b - 3.0) * (b - 4.0)) if b > 4 else math.nan
        return mean, var, skew, kurt

    def _mm_start(self, data, summary, spec):
        # the MLE: the kernel start (b = 1) has no finite moments
        from ._base import Distribution
        return Distribution._mm_start(self, data, summary, spec)

    # -- sums at a location -----------------------------------------------------
    def _log_sums(self, data, loc, derivs=True):
        """(sum w, sum w log(x - loc), sum w /(x - loc), sum w /(x - loc)^2): one pass.

        gamma's sufficient-statistics kernel computes exactly these (with a
        vectorized log), faster than the per-observation family density."""
        s = data.reduce(_gamma.sums, loc, derivs)
        return s[0], s[1], s[3], s[4]

    @staticmethod
    def _from_sums(sums, params):
        """Log-likelihood, gradient and Hessian in (b, loc, scale) from the
        sums of log y, 1/y, 1/y^2 (y = x - loc): no family pass needed.

        ll = n log b + n b log s - (b + 1) sum log y.
        """
        n, S1, R1, R2 = (float(v) for v in sums)
        b, _, s = (float(v) for v in params)
        if not (math.isfinite(S1) and b > 0 and s > 0):
            return -math.inf, np.zeros(3), np.zeros((3, 3))
        ll = n * math.log(b) + n * b * math.log(s) - (b + 1.0) * S1
        g = np.array([n / b + n * math.log(s) - S1, (b + 1.0) * R1, n * b / s])
        H = np.array([[-n / b ** 2, R1, n / s],
                      [R1, (b + 1.0) * R2, 0.0],
                      [n / s, 0.0, -n * b / s ** 2]])
        return ll, g, H

    @staticmethod
    def _aligned_scale(mn, loc, scale):
        """The largest scale <= ``scale`` that keeps ``(min(x) - loc) / scale >= 1``
        in floating point, both as scipy's nnlf computes it and as the kernel
        does (times 1 / scale)."""
        while (mn - loc) / scale < 1.0 or (mn - loc) * (1.0 / scale) < 1.0:
            scale = np.nextafter(scale, 0.0)
        return float(scale)

    def _quick_fit(self, x, kwds, n_threads):
        keys = set(kwds)
        if not keys or keys - {"floc", "fscale"} or any(
                not isinstance(v, (int, float)) or not math.isfinite(v) for v in kwds.values()):
            return None
        if "fscale" in kwds and not kwds["fscale"] > 0:
            return None
        nt = threads_for(x.shape[0], n_threads)
        mn, _, finite = _range.data_range(x, nt)
        if not finite:
            return None
        fixed = {k[1:]: float(v) for k, v in kwds.items()}
        try:
            loc, scale = self._loc_scale(mn, fixed)
        except ValueError:
            return None             # the validating path explains
        sums = _gamma.sums(x, None, loc, False, n_threads=nt)
        n, slog = sums[0], sums[1]
        denom = slog - n * math.log(scale)
        if not denom > 0:
            return None
        return n / denom, loc, scale

    def _loc_scale(self, mn, fixed):
        """scipy's loc and scale when either is fixed: the support starts at min(x)."""
        if "loc" in fixed:
            floc = fixed["loc"]
            if mn - floc < fixed.get("scale", 0.0):
                raise FitDataError(
                    f"Invalid values in `data`: maximum likelihood estimation with 'pareto' and "
                    f"floc={floc!r}" + (f", fscale={fixed['scale']!r}" if "scale" in fixed else "")
                    + f" requires min(x) - floc >= {fixed.get('scale', 0.0)!r}; min(x) = {mn!r}.")
            loc = floc
            scale = fixed.get("scale", mn - floc)
        else:
            scale = fixed["scale"]
            loc = mn - scale
            while (mn - loc) / scale < 1.0:     # keep min(x) inside scipy's support
                loc = float(np.nextafter(loc, -math.inf))
        if not scale > 0:
            raise ValueError("pareto: min(x) equals floc, so the scale MLE min(x) - floc is 0")
        return loc, scale

    def _fixed_loc_or_scale(self, data, summary, fixed):
        loc, scale = self._loc_scale(summary.min, fixed)
        if "b" in fixed:
            b = fixed["b"]
            n = summary.sum_w
        else:
            n, slog, _, _ = self._log_sums(data, loc, False)
            denom = slog - n * math.log(scale)
            if not denom > 0:
                raise ValueError("pareto: every observation equals loc + scale: the shape MLE is "
                                 "infinite (all-equal data)")
            b = n / denom
        return (b, loc, scale), n

    # -- the fit ----------------------------------------------------------------
    def _fit(self, data, spec):
        if active_prior(spec):
            raise NotImplementedError(f"pareto: priors are not supported yet: its fit puts the support's start at min(x) and finds the rest in closed form or by a profile search, not by the Newton iteration a prior enters")
        if spec.method == "mm":
            return super()._fit(data, spec)
        summary = data.check_finite()
        fixed = spec.fixed
        if "loc" in fixed or "scale" in fixed:
            params, _ = self._fixed_loc_or_scale(data, summary, fixed)
            message = "closed form"
            converged, n_iter = True, 0
            boundary = ()
        else:
            params, converged, n_iter, message = self._fit_free(data, summary, spec)
            boundary = ("loc",)
        params = np.array(params, dtype=float)
        ll, g, H = self._from_sums(self._log_sums(data, params[1]), params)
        if not np.isfinite(ll):
            raise ValueError(f"pareto: the fit ended at a non-finite log-likelihood (params "
                             f"{tuple(params)}); the data may be degenerate or overflow float64")
        result = FitResult(self, params, fixed, ll, summary.sum_w, H, converged, message, n_iter, 0.0,
                           boundary=boundary, data=data)
        return result

    def _fit_free(self, data, summary, spec):
        """Free loc and scale: the support starts at min(x); maximize over s = min(x) - loc."""
        mn = summary.min
        sd = math.sqrt(summary.var)
        if not sd > 0:
            raise ValueError("all observations are equal: pareto's loc, scale and shape cannot be "
                             "estimated (the likelihood is unbounded)")
        if not math.isfinite(sd):
            raise ValueError("pareto: the spread of the data overflows float64; rescale the data")
        b_fixed = spec.fixed.get("b")

        def profile(data_, t):
            # l(s) with b profiled out (or fixed) and its derivatives in t = log s
            s = math.exp(t)
            n, S1, R1, R2 = self._log_sums(data_, mn - s)
            if b_fixed is None:
                A = S1 - n * math.log(s)
                if not A > 0:
                    return -math.inf, 0.0, 0.0
                A1, A2 = R1 - n / s, -R2 + n / s ** 2
                f = -n * math.log(A) - S1 + n * math.log(n) - n
                d1 = -n * A1 / A - R1
                d2 = -n * (A2 / A - (A1 / A) ** 2) + R2
            else:
                b = b_fixed
                f = n * math.log(b) + n * b * t - (b + 1.0) * S1
                d1 = n * b / s - (b + 1.0) * R1
                d2 = -n * b / s ** 2 + (b + 1.0) * R2
            return f, s * d1, s * s * d2 + s * d1

        # start: the best of a few gaps on a subsample (cheap), unless guessed
        sub = data.subsample(self.warm_start_rows) if data.n_rows > 4 * self.warm_start_rows else data
        if "scale" in spec.guesses:
            t0 = math.log(spec.guesses["scale"])
        else:
            grid = [math.log(sd * k) for k in (1e-3, 1e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0)]
            t0 = max(grid, key=lambda t: profile(sub, t)[0])
            if sub is not data:
                t0 = _maximize_1d(lambda t: profile(sub, t), t0, t_max=math.log(sd * 1e8))[0]
        t_max = math.log(sd * 1e8)
        t, f, converged, n_iter = _maximize_1d(lambda t: profile(data, t), t0, t_max=t_max)
        message = "converged (profile likelihood in log(min(x) - loc))"
        if t > t_max:
            converged = False
            message = ("the profile likelihood keeps rising as loc -> -inf (the exponential limit, "
                       "b -> inf): there is no finite maximum; the estimate is where the search stopped")
        elif not converged:
            message = "the profile-likelihood Newton iteration did not converge"
        s = math.exp(t)
        loc = mn - s
        scale = self._aligned_scale(mn, loc, mn - loc)
        if b_fixed is None:
            n, S1, _, _ = self._log_sums(data, loc)
            b = n / (S1 - n * math.log(scale))
        else:
            b = b_fixed
        return (b, loc, scale), converged, n_iter, message

    # -- censored data -----------------------------------------------------------
    def _fit_censored(self, sample, spec):
        """Censored data: the support's start ``t0 = loc + scale`` is held
        below what the data require (the smallest exact value ``m``, and
        strictly below every left- or interval-censoring upper bound). In
        log(scale) at fixed ``b`` and ``loc`` every term is concave (exact and
        right-censored rows rise linearly, left-censored and straddling
        intervals are ``log(1 - e^{-b u})``), so, as for exact data, the
        maximum is usually on the boundary ``t0 = m``: the fit holds ``t0`` at
        ``m`` (scipy's alignment: ``(m - loc) / scale >= 1`` in floating
        point) and maximizes the rest by Newton; where the slope toward a
        smaller ``t0`` is positive there (left- and interval-censored rows
        below ``m`` pull the support's start down), or ``t0 = m`` is
        infeasible, Newton runs in the gap ``m - t0 > 0`` as well, and the
        better end point is kept.
        """
        from ._natural import natural_sums

        fixed = spec.fixed
        if (sample.counts["exact"] == sample.n_rows or spec.method != "mle"
                or ("loc" in fixed and "scale" in fixed)):
            return super()._fit_censored(sample, spec)
        lower, upper, exact = sample.lower, sample.upper, sample.exact
        m_exact = float(lower[exact].min()) if exact.any() else math.inf
        tops = upper[np.isfinite(upper) & ~exact]          # F(hi) > 0 needs t0 < hi
        m_top = float(tops.min()) if tops.size else math.inf
        bound = min(m_exact, m_top)
        if not math.isfinite(bound):
            raise ValueError("pareto: every observation is right-censored: the likelihood rises "
                             "without bound as the support's start passes them (no finite maximum)")
        if "loc" in fixed and not fixed["loc"] < bound:
            raise FitDataError(f"Invalid values in `data`: maximum likelihood estimation with "
                               f"'pareto' and floc={fixed['loc']!r} needs observations above floc; "
                               f"the smallest the data allow is {bound!r}.")
        b_fixed = fixed.get("b")
        starts = self._censored_starts_at(sample, spec, bound)

        def evaluate(p):
            if not (p[0] > 0 and p[2] > 0):
                return -math.inf, np.zeros(3), np.zeros((3, 3))
            return natural_sums(self, sample, p)[1:4]

        def solve(t0, with_gap, v0):
            """Newton over (b, [gap], [s]) with loc + scale = t0 - gap (b, gap, s > 0)."""
            base = np.array([0.0 if b_fixed is None else b_fixed, t0, 0.0])
            cols = [np.array([1.0, 0.0, 0.0])] if b_fixed is None else []
            if with_gap:
                cols.append(np.array([0.0, -1.0, 0.0]) if "loc" not in fixed else np.array([0.0, 0.0, -1.0]))
            if "loc" in fixed:
                base[1], base[2] = fixed["loc"], t0 - fixed["loc"]
            elif "scale" in fixed:
                base[1], base[2] = t0 - fixed["scale"], fixed["scale"]
            else:
                cols.append(np.array([0.0, -1.0, 1.0]))
            J = np.column_stack(cols) if cols else np.zeros((3, 0))

            def ev(v):
                ll, g, H = evaluate(base + J @ v)
                return ll, J.T @ g, J.T @ H @ J

            v = np.array(v0[:J.shape[1]], dtype=float)
            opt = None
            if J.shape[1]:
                problem = Problem(v, {i: Log(abs(v[i]) or 1.0) for i in range(len(v))}, ev, sample.nobs)
                opt, _ = _maximize_free(problem, v, list(range(len(v))))
            return base + J @ v, v, opt

        runs = []
        start = starts[0]
        s0 = start[2]
        if m_exact < m_top:
            # on the boundary from each start (the stand-ins' fit can sit on
            # the ridge to the exponential limit, b -> inf, when many rows
            # are censored at one point), the best kept
            for b0, _, scale0 in starts:
                params, v, opt = solve(m_exact, False, [b0, scale0] if b_fixed is None else [scale0])
                params[2] = self._aligned_scale(m_exact, params[1], params[2])
                ll = evaluate(params)[0]
                if np.isfinite(ll):
                    runs.append((ll, params, opt, True))
        if runs:
            ll, params, opt, _ = max(runs, key=lambda r: r[0])
            g = evaluate(params)[1]
            # the slope toward a smaller support start: d/dscale at fixed loc
            # (d/dloc with the scale fixed)
            slope = g[1] if "scale" in fixed else g[2]
            if not slope < 0:
                return self._censored_result(sample, spec, runs, evaluate)
            start = (params[0], params[1], params[2])
            s0 = params[2]
        gap0 = 1e-3 * (s0 if "loc" in fixed else start[2])
        v0 = ([start[0]] if b_fixed is None else []) + [max(gap0, 1e-300)] + [start[2]]
        params, v, opt = solve(bound, True, v0)
        ll, _, _ = evaluate(params)
        if np.isfinite(ll):
            runs.append((ll, params, opt, False))
        if not runs:
            raise ValueError("pareto: the censored log-likelihood is not finite anywhere the fit "
                             "looked; the data may be degenerate")
        return self._censored_result(sample, spec, runs, evaluate)

    def _censored_starts_at(self, sample, spec, bound):
        """Starts (b, loc, scale) with loc + scale <= bound: the stand-ins'
        closed-form fit when it exists, the exact rows' fit, and b = 1 with
        the support's start halfway to the data."""
        starts = []
        sources = [sample.pseudo_data(k) for k in ("midpoint", "upper", "lower")]
        if sample.counts["exact"] >= 2:
            sources.append(sample.pseudo_data("exact"))
        for k, pseudo in enumerate(sources):
            if starts and k < 3:
                continue        # one stand-ins' fit is enough
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    b, loc, scale = self._fit(pseudo, FitSpec({}, dict(spec.fixed), "mle", spec.freed)).params
            except (ValueError, NotImplementedError):
                continue
            if loc + scale <= bound and b > 0 and scale > 0:
                starts.append((float(spec.fixed.get("b", b)), float(loc), float(scale)))
        loc = spec.fixed.get("loc", bound - spec.fixed.get("scale", max(abs(bound), 1.0)))
        scale = spec.fixed.get("scale", 0.5 * (bound - loc))
        starts.append((float(spec.fixed.get("b", 1.0)), float(loc), float(scale)))
        return starts

    def _censored_result(self, sample, spec, runs, evaluate):
        ll, params, opt, on_boundary = max(runs, key=lambda r: r[0])
        ll, g, H = evaluate(params)
        if not (np.isfinite(ll) and np.all(np.isfinite(params))):
            raise ValueError(f"pareto: the censored fit ended at non-finite values {tuple(params)}")
        converged = opt.converged if opt is not None else True
        message = opt.message if opt is not None else "nothing to optimize"
        if on_boundary:
            message += "; the support starts at the smallest exact value (boundary MLE)"
        message += f"; censored data ({sample.summary()})"
        retvals = {"method": "newton", "n_iter": opt.n_iter if opt else 0, "n_eval": opt.n_eval if opt else 0,
                   "message": message, "converged": converged, "censored": dict(sample.counts)}
        boundary = tuple(n for n in ("loc", "scale") if n not in spec.fixed)[:1] if on_boundary else ()
        return FitResult(self, params, spec.fixed, ll, sample.nobs, H, converged, message,
                         opt.n_iter if opt else 0, opt.grad_norm if opt else 0.0, boundary=boundary,
                         data=sample, mle_retvals=retvals)

    def loglike_at(self, data, params):
        b, loc, scale = (float(v) for v in params)
        if not (b > 0 and scale > 0):
            return -np.inf
        ll = self._evaluate(data, params)[0]
        return ll if not math.isnan(ll) else -np.inf


pareto = Pareto()
