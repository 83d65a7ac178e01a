"""Confidence intervals (Wald and profile likelihood) and the summary table of a FitResult.

The profile-likelihood interval of a free parameter ``theta_j`` at level
``1 - alpha`` is the set of values whose profile log-likelihood

    l_p(theta_j) = max over the other parameters of l(theta_j, others)

lies within ``q / 2`` of the maximum, ``q = chi2_1(1 - alpha) = z_{1-alpha/2}^2``.
Each end is a root of ``D(theta_j) = z``, ``D = sqrt(2 (llf - l_p))``, searched
on the coordinate the optimizer uses for the parameter (log for positive
parameters, logit for probabilities, else linear in standard errors). The
signed root ``r = +-D`` is close to linear in that coordinate (exactly so where
the log-likelihood is quadratic), with slope ``1 / se`` at the estimate, so
the search starts at the Wald end and predicts the next point from the
inverse function ``u(r)`` through the points seen (a low-degree polynomial:
typically 3 or 4 evaluations per end to ``|D - z| < 1e-9``); steps grow
geometrically while the profile stays inside, and Brent's method takes over
when a prediction leaves the bracket. Every value of ``l_p`` is a fastmle
refit with ``theta_j`` held, started from the line through the two nearest
solutions already found.
"""
import copy
import math
import numbers
import textwrap
import warnings
from statistics import NormalDist

import numpy as np

__all__ = ["ProfileInterval", "profile_intervals", "conf_int", "summary"]

_METHOD_NAMES = {"MLE": "Maximum Likelihood", "MM": "Method of Moments", "MAP": "Maximum a Posteriori"}

#: D = sqrt(2 (llf - l_p)) is solved to this absolute accuracy (2 dl to about 4e-9)
_D_TOL = 1e-9
#: relative width (in the search coordinate) at which a bracket counts as closed
_U_TOL = 1e-12
_MAX_EXPAND = 40      # extrapolations while the profile stays inside the interval
_MAX_EDGE = 45        # bisections towards the edge of the region where the likelihood is finite
_MAX_BRENT = 60
#: |D - z| left when Brent's bracket has collapsed that means D jumps there
_JUMP_TOL = 1e-6
_MAX_REPAIRS = 3      # refits of a jump's outer side from its inner side's solution
#: refits one end may spend (a regular end takes 3 or 4; irregular profiles,
#: small samples of loc-free families with unbounded edges, can take dozens)
_MAX_REFITS = 60


#: above this many rows, a fit whose iterations pass over the data is refit in full
_QUICK_MAX_ROWS = 1 << 16


class _OutOfRefits(Exception):
    pass


def _z(alpha):
    if isinstance(alpha, bool) or not (isinstance(alpha, numbers.Real) and 0 < alpha < 1):
        raise ValueError(f"alpha must be a number in (0, 1), got {alpha!r}")
    return NormalDist().inv_cdf(1.0 - alpha / 2.0)


class ProfileInterval:
    """One parameter's profile-likelihood interval.

    Attributes
    ----------
    name : str
    lower, upper : float
        The ends (NaN when there is no profile interval; a domain limit or
        the edge of the data's support where the profile never falls below
        the threshold; the value itself for a fixed parameter).
    notes : list of str
        Why an end is not a regular crossing, or why there is no interval.
    params_lower, params_upper : tuple or None
        All parameters at each end (the others maximized there), when the
        end is a crossing found by refitting.
    n_refits : int
        Profile evaluations (fits with this parameter held) spent.
    irregular : bool
        Whether an end is not a regular crossing (a limit, a bound, refits
        that did not converge) or there is no interval: ``conf_int`` warns.
    """

    def __init__(self, name, lower, upper, notes=(), params_lower=None, params_upper=None, n_refits=0,
                 irregular=False):
        self.name = name
        self.lower, self.upper = float(lower), float(upper)
        self.notes = list(notes)
        self.params_lower, self.params_upper = params_lower, params_upper
        self.n_refits = n_refits
        self.irregular = irregular

    def __repr__(self):
        return f"ProfileInterval({self.name!r}, {self.lower!r}, {self.upper!r}, notes={self.notes!r})"


# -- the search coordinate of one parameter -------------------------------------------

#: How far the search goes: a factor 1e6 on a positive parameter (or on the
#: odds of a probability), a million standard errors on another. A profile
#: still above the threshold there is flat for any statistical purpose, and
#: further out some kernels lose the digits a profile needs (nbinom's
#: lgamma(k + n) - lgamma(n) at n > 1e10).
_SEARCH_RANGE = {"log": math.log(1e6), "logit": math.log(1e6), "linear": 1e6}


class _Coordinate:
    """theta as a function of the search coordinate u (u = 0 at the estimate),
    with the limits of theta's domain and of the search."""

    def __init__(self, kind, est, scale):
        self.kind, self.est, self.scale = kind, float(est), float(scale)
        if kind == "logit":
            self.c = math.log(est) - math.log1p(-est)
        self.lower_limit = {"log": 0.0, "logit": 0.0}.get(kind, -math.inf)
        self.upper_limit = {"log": math.inf, "logit": 1.0}.get(kind, math.inf)
        self.u_max = _SEARCH_RANGE[kind]

    def value(self, u):
        if self.kind == "log":
            return self.est * math.exp(u) if u < 709.0 else math.inf
        if self.kind == "logit":
            w = self.c + u
            if w >= 0:
                return 1.0 / (1.0 + math.exp(-w))
            e = math.exp(w)
            return e / (1.0 + e)
        return self.est + self.scale * u

    def coordinate(self, theta):
        if self.kind == "log":
            return math.log(theta / self.est)
        if self.kind == "logit":
            return math.log(theta) - math.log1p(-theta) - self.c
        return (theta - self.est) / self.scale

    def derivative(self):
        """d theta / d u at the estimate."""
        return {"log": self.est, "logit": self.est * (1.0 - self.est)}.get(self.kind, self.scale)

    def inside(self, theta):
        return self.lower_limit < theta < self.upper_limit and math.isfinite(theta)


#: Shapes that must be positive although their distribution does not list
#: them in ``positive`` (which rejects a fixed value of 0 that scipy accepts).
_ALSO_POSITIVE = {"poisson": ("mu",), "vonmises": ("kappa",)}


def _coordinate(dist, name, est, se):
    positive = name == "scale" or name in dist.positive or name in _ALSO_POSITIVE.get(dist.name, ())
    if name in getattr(dist, "probabilities", ()):
        kind = "logit"
    elif positive:
        kind = "log"
    else:
        kind = "linear"
    scale = se if (math.isfinite(se) and se > 0) else 0.1 * max(abs(est), 1.0)
    return _Coordinate(kind, est, scale)


# -- the profile of one parameter -----------------------------------------------------

class _Profiler:
    """Refits of one result with one parameter held: the profile log-likelihood."""

    def __init__(self, result):
        from .distributions._base import FitSpec

        self.result = result
        self.dist = result.dist
        self.data = result._data
        self.names = result.param_names
        base = getattr(result, "_fit_spec", None)
        if base is None:
            base = FitSpec({}, dict(result.fixed), "mle", freed=[n for n in self.names if n not in result.fixed])
        self.base = base
        self.bounds = dict(getattr(base, "bounds", None) or {})
        self.llf = result.llf
        self.higher = None      # (theta, ll) where a refit beat the fit's own maximum
        with warnings.catch_warnings():
            # standard errors only scale the first steps; cov_params' warnings are the summary's.
            # The model-based ones: the profile's curvature at the estimate is the information's
            warnings.simplefilter("ignore")
            self.bse = _bse(result.cov_params("nonrobust"))
        # each parameter's scale for extrapolating warm starts (None: held)
        self.coords = [None if (n in result.fixed or n in result.boundary or not math.isfinite(v))
                       else _coordinate(self.dist, n, v, 1.0) for n, v in zip(self.names, result.params)]
        self._quick_cache = {}
        from ._censored import is_censored
        self.censored = is_censored(self.data)

    def refit(self, j, theta, warm):
        """(ll, params, converged) with parameter j held at theta, or None
        where no parameters give the data a finite likelihood."""
        quick = self._quick(j)
        if quick is not None:
            out = quick(theta, warm)
            if out is not None:
                return self._seen(theta, out)
        return self._seen(theta, self._full_refit(j, theta, warm))

    def _seen(self, theta, out):
        if out is not None:
            ll = out[0]
            # (beyond the rounding of a log-likelihood summed over the data)
            if ll > self.llf + 1e-7 * max(1.0, abs(self.llf)) and (self.higher is None or ll > self.higher[1]):
                self.higher = (float(theta), float(ll))
        return out

    def _spec(self, j, theta, warm):
        name = self.names[j]
        fixed = dict(self.result.fixed, **{name: float(theta)})
        spec = copy.copy(self.base)
        spec.fixed = fixed
        spec.freed = set(getattr(self.base, "freed", ())) - {name}
        spec.bounds = {n: b for n, b in self.bounds.items() if n not in fixed}
        # the neighbouring solution as the start of every parameter that moves
        # (not those the fit held on a boundary: they are placed by the fit itself)
        spec.guesses = {n: float(warm[i]) for i, n in enumerate(self.names)
                        if n not in fixed and n not in self.result.boundary and math.isfinite(warm[i])}
        spec.warm = tuple(float(theta) if i == j else float(v) for i, v in enumerate(warm))
        return spec

    def _full_refit(self, j, theta, warm):
        """The fit itself, repeated with parameter j fixed."""
        from ._api import _fit_within_bounds

        spec = self._spec(j, theta, warm)
        try:
            with _quiet():
                if all(n in spec.fixed for n in self.names):
                    params = tuple(spec.fixed[n] for n in self.names)
                    ll, converged = self._loglike(params), True
                else:
                    res = self.dist._fit_any(self.data, spec)
                    if spec.bounds:
                        res = _fit_within_bounds(self.dist, self.data, spec, res)
                    params, ll, converged = tuple(res.params), res.llf, res.converged
        except (ValueError, ArithmeticError):
            return None     # outside the data's support (or overflow there)
        if not math.isfinite(ll):
            return None
        return float(ll), params, converged

    def _loglike(self, params):
        if self.censored:
            return self.dist.loglike(self.data, params)
        return self.dist.loglike_at(self.data, params)

    def _quick(self, j):
        """A faster profile evaluation for parameter j, or None.

        Where a distribution uses the shared fit driver, the optimizer
        problem built with parameter j held (validation, sufficient
        statistics or value tables, start values: for ``gamma`` with ``floc``
        a pass over the data) serves every profile point: each point is only
        the driver's Newton solve over the other parameters, started from the
        neighbouring solution. Used only when the problem's log-likelihood is
        verified to follow parameter j (it does not capture j's value) and the
        fit has none of the driver's special exits (an edge of an unbounded
        likelihood, a limit without maximum, bounds); a point where Newton
        ends on a floor falls back to the full refit.
        """
        if j in self._quick_cache:
            return self._quick_cache[j]
        self._quick_cache[j] = None
        from .distributions._base import Distribution, _maximize_free, _remember_last
        from .distributions._family import ShapeFamily

        dist, names = self.dist, self.names
        if (self.bounds or self.censored or type(dist)._fit not in (Distribution._fit, ShapeFamily._fit)
                or (dist.discrete and "loc" not in self.result.fixed)):
            return None     # (a free integer loc is searched again at every point)
        est = tuple(float(v) for v in self.result.params)
        spec = self._spec(j, est[j], est)
        spec.warm = None
        # Where every Newton iteration passes over the data anyway, a full
        # refit costs the same passes and starts from the warm point with its
        # own closed forms: on large data it wins (weibull_min, floc=0, 1e6
        # rows: 18 passes against 24); on small data Python's overhead rules
        # and the reused problem wins (about 15% at 200 rows).
        if dist._passes_per_iteration(spec) and self.data.n_rows > _QUICK_MAX_ROWS:
            return None
        try:
            with _quiet():
                problem = dist._problem(self.data, spec)
        except (ValueError, ArithmeticError):
            return None
        free = sorted(problem.transforms)
        expected = [i for i, n in enumerate(names)
                    if n not in spec.fixed and n not in self.result.boundary]
        if (free != expected or not free or problem.edge_loc is not None
                or set(problem.boundary) != set(self.result.boundary) - set(spec.fixed)
                or getattr(spec, "no_mle", None)):
            return None
        # the problem must not have captured parameter j's value: compare with
        # the distribution's own log-likelihood a little away from the estimate
        probe = list(est)
        se = float(self.bse[j])
        probe[j] = _coordinate(dist, names[j], est[j], se).value(0.5 if math.isfinite(se) else 0.05)
        try:
            with _quiet():
                mine, theirs = problem.evaluate(np.array(probe))[0], self._loglike(tuple(probe))
        except (ValueError, ArithmeticError):
            return None
        if not (math.isfinite(mine) and abs(mine - theirs) <= 1e-11 * max(1.0, abs(theirs))):
            return None
        problem.evaluate = _remember_last(problem.evaluate)

        def quick(theta, warm):
            params = np.array(warm, dtype=float)
            params[j] = theta
            for name, value in problem.boundary.items():
                params[names.index(name)] = value
            try:
                with _quiet():
                    opt, floored = _maximize_free(problem, params, free)
                    ll = problem.evaluate(params)[0]
            except (ValueError, ArithmeticError):
                return None
            if floored or not (math.isfinite(ll) and np.all(np.isfinite(params))):
                return None         # the full refit decides
            return float(ll), tuple(float(v) for v in params), opt.converged

        self._quick_cache[j] = quick
        return quick


class _quiet(warnings.catch_warnings):
    """Refits are internal: their convergence and overflow warnings are
    summarized on the interval (non-converged refits are counted)."""

    def __enter__(self):
        out = super().__enter__()
        warnings.simplefilter("ignore")
        self._err = np.seterr(all="ignore")
        return out

    def __exit__(self, *exc):
        np.seterr(**self._err)
        return super().__exit__(*exc)


def _brent(f, a, fa, b, fb, xtol, ftol, maxiter):
    """Root of f in [a, b] (fa, fb of opposite signs) by Brent's method
    (secant / inverse quadratic interpolation, safeguarded by bisection).
    Returns (x, fx, c, fc): the point with the smallest |fx| seen and the
    other end of the last bracket."""
    c, fc = a, fa
    d = e = b - a
    for _ in range(maxiter):
        if (fb > 0) == (fc > 0):
            c, fc = a, fa
            d = e = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol = 2.0 * 2.0 ** -52 * abs(b) + 0.5 * xtol
        half = 0.5 * (c - b)
        if abs(half) <= tol or abs(fb) <= ftol:
            break
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:              # secant
                p, q = 2.0 * half * s, 1.0 - s
            else:                   # inverse quadratic interpolation
                qa, r = fa / fc, fb / fc
                p = s * (2.0 * half * qa * (qa - r) - (b - a) * (r - 1.0))
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0)
            if p > 0:
                q = -q
            p = abs(p)
            if 2.0 * p < min(3.0 * half * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:
                d = e = half
        else:
            d = e = half
        a, fa = b, fb
        b = b + (d if abs(d) > tol else math.copysign(tol, half))
        fb = f(b)
    return b, fb, c, fc


class _Evaluator:
    """D(u) = sqrt(2 (llf - l_p)) along one side of one parameter's profile,
    each evaluation a refit warm-started from the nearest point already seen."""

    def __init__(self, prof, j, coord):
        self.prof, self.j, self.coord = prof, j, coord
        self.seen = {}          # u -> parameters at that point
        self.d = {}             # u -> D there
        self.n_refits = 0
        self.converged = {}     # u -> whether the refit kept there converged
        self.invalid = None     # "domain" or "data": why the last invalid point was

    def _warm(self, u):
        """Start of the other parameters at u: the line through the two
        nearest solutions (the estimate counts as one, at u = 0), each
        parameter on its own scale (log, logit, linear); the nearest solution
        where that leaves a parameter's domain."""
        est = tuple(float(v) for v in self.prof.result.params)
        known = sorted(list(self.seen.items()) + [(0.0, est)], key=lambda kv: abs(kv[0] - u))[:2]
        if len(known) < 2 or known[0][0] == known[1][0]:
            return known[0][1]
        (u1, p1), (u2, p2) = known
        w = (u - u1) / (u2 - u1)
        out = []
        for name, coord, a, b in zip(self.prof.names, self.prof.coords, p1, p2):
            if coord is None or not (coord.inside(a) and coord.inside(b)):
                out.append(a)
                continue
            ca, cb = coord.coordinate(a), coord.coordinate(b)
            v = coord.value(ca + w * (cb - ca))
            out.append(v if coord.inside(v) else a)
        return tuple(out)

    def __call__(self, u, warm=None):
        """D at u (0 where the refit is higher than the fit), or None (see
        ``invalid``); ``warm`` replaces the extrapolated start. A point
        evaluated again keeps the better (higher) of its likelihoods."""
        theta = self.coord.value(u)
        if not self.coord.inside(theta):
            self.invalid = "domain"
            return None
        if self.n_refits >= _MAX_REFITS:
            raise _OutOfRefits
        self.n_refits += 1
        out = self.prof.refit(self.j, theta, self._warm(u) if warm is None else warm)
        if out is None:
            self.invalid = "data"
            return None
        ll, params, converged = out
        d = math.sqrt(max(2.0 * (self.prof.llf - ll), 0.0))
        if u not in self.d or d < self.d[u]:
            self.seen[u], self.d[u], self.converged[u] = params, d, converged
        return self.d[u]


def _inverse_prediction(points, se_u, target):
    """u where the signed root r = +-D equals ``target``, from the inverse
    function u(r) through the points (r_i, u_i) closest to it and the origin
    (u(0) = 0, with slope se_u when the standard error is known). r is close
    to linear in u (exactly so for a quadratic log-likelihood), so a low
    degree polynomial in r is accurate, and each new point adds an order."""
    near = sorted(points, key=lambda p: abs(p[0] - target))[:3]
    known_slope = math.isfinite(se_u) and se_u > 0
    first = 2 if known_slope else 1
    rows = [[r ** k for k in range(first, first + len(near))] for r, _ in near]
    rhs = [u - (se_u * r if known_slope else 0.0) for r, u in near]
    try:
        coef = np.linalg.solve(np.array(rows), np.array(rhs))
    except np.linalg.LinAlgError:
        return math.nan
    u = (se_u * target if known_slope else 0.0) + sum(c * target ** k for k, c in enumerate(coef.tolist(), first))
    return u if math.isfinite(u) else math.nan


def _profile_end(prof, j, coord, side, z, u_limit, notes, other=()):
    """One end of parameter j's interval: (theta, params or None, n_refits,
    irregular, [(r, u)] of the end for the other side's first prediction).

    ``side`` is +1 (upper) or -1 (lower); ``u_limit`` the search coordinate of
    a user bound on that side (or None); ``other`` the other end as a point
    (r, u) of the inverse function, if it is known.
    """
    distance = _Evaluator(prof, j, coord)
    try:
        return _search_end(prof, j, coord, side, z, u_limit, notes, other, distance)
    except _OutOfRefits:
        # the outermost point known inside: the interval reaches at least there
        inside = [u for u, d in distance.d.items() if d < z and side * u > 0]
        u = max(inside, key=lambda v: side * v) if inside else 0.0
        theta = coord.value(u)
        notes.append(f"{prof.names[j]}: the search for the {'lower' if side < 0 else 'upper'} end "
                     f"stopped after {_MAX_REFITS} refits (an irregular profile); the interval "
                     f"reaches at least {theta:.10g}, given as that end")
        return theta, distance.seen.get(u), distance.n_refits, True, []


def _search_end(prof, j, coord, side, z, u_limit, notes, other, distance):
    name = prof.names[j]
    which = "lower" if side < 0 else "upper"
    se_u = float(prof.bse[j]) / coord.derivative()
    target = side * z
    domain_limit = coord.lower_limit if side < 0 else coord.upper_limit
    # the search stops at the parameter's bound from `bounds`, or at its range
    u_stop, stop_is_bound = side * coord.u_max, False
    if u_limit is not None and side * (u_limit - u_stop) < 0:
        u_stop, stop_is_bound = u_limit, True

    def done(u, irregular=False):
        # (refits on the way that stop short only cost a step; at the end they matter)
        unsure = not distance.converged.get(u, True)
        if unsure:
            notes.append(f"{name}: the refit at the {which} end did not converge (the profile there "
                         f"may be higher, and the interval wider)")
        return (coord.value(u), distance.seen.get(u), distance.n_refits, irregular or unsure,
                [(side * z, u)])

    def limit(theta, why, u=None):
        notes.append(f"{name}: the profile log-likelihood does not fall below the threshold "
                     f"before {why}; the {which} end is {theta:.10g}")
        return theta, distance.seen.get(u), distance.n_refits, True, []

    # first trial: the Wald end (in this coordinate, by the delta method),
    # or, once the other end is known, the prediction through it
    points = list(other)                    # (r, u): signed roots r = side * D
    u = _inverse_prediction(points, se_u, target) if points else math.nan
    if not side * u > 0:
        u = side * (z * se_u if (math.isfinite(se_u) and se_u > 0) else 0.25)
    inside, outside = (0.0, 0.0), None      # (u, D): outermost point with D < z, innermost with D > z
    for repair in range(_MAX_REPAIRS + 1):
        bad = None
        best = math.inf                     # smallest |D - z| so far
        for _ in range(_MAX_EXPAND):
            at_stop = side * (u - u_stop) >= 0
            if at_stop:
                u = u_stop
            d = distance(u)
            if d is None:
                bad = u
                break
            if abs(d - z) <= _D_TOL:
                return done(u)
            points.append((side * d, u))
            improved, best = abs(d - z) < 0.1 * best, min(best, abs(d - z))
            if d > z:
                outside = (u, d) if outside is None or side * (u - outside[0]) < 0 else outside
            elif side * (u - inside[0]) > 0:
                inside = (u, d)
            if at_stop and d < z:
                if stop_is_bound:
                    notes.append(f"{name}: the profile stays inside the interval up to its bound "
                                 f"{coord.value(u):.6g} (from `bounds`); the {which} end is that bound")
                    return done(u, irregular=True)
                return limit(domain_limit, f"{coord.value(u):.10g}, as far as the search goes (a flat "
                                           f"likelihood)")
            guess = _inverse_prediction(points, se_u, target)
            if outside is not None:
                lo, hi = sorted((inside[0], outside[0]))
                if not (lo < guess < hi and improved):
                    break       # Brent's method finishes in the bracket
                u = guess
                continue
            # no bracket yet: the prediction if it lies further out, at most 3
            # times as far as the outermost point (else 3 times as far)
            step = abs(guess - inside[0]) if side * (guess - inside[0]) > 0 else math.inf
            u = inside[0] + side * min(step, 2.0 * abs(inside[0]))
        if outside is None and bad is None:
            return limit(domain_limit, f"{coord.value(inside[0]):.6g}, as far as the search went (a "
                                       f"flat likelihood)")
        if outside is None and distance.invalid == "domain":
            return limit(domain_limit, "the limit of its domain")
        if outside is None:
            # refits fail beyond some point (outside the data's support): bisect
            # between the last point inside and the first invalid one until the
            # profile crosses the threshold or the edge is found
            for _ in range(_MAX_EDGE):
                m = 0.5 * (inside[0] + bad)
                if m in (inside[0], bad) or abs(bad - inside[0]) <= _U_TOL * max(1.0, abs(inside[0])):
                    break
                d = distance(m)
                if d is None:
                    bad = m
                elif d >= z:
                    outside = (m, d)
                    break
                else:
                    inside = (m, d)
            if outside is None:
                return limit(coord.value(inside[0]), "the edge of the region where the data have a "
                                                     "positive likelihood", inside[0])

        def f(uu):
            dd = distance(uu)
            return 1.0 if dd is None else dd - z

        (ua, da), (ub, db) = inside, outside
        u_end, f_end, u_far, f_far = _brent(f, ua, da - z, ub, db - z,
                                            _U_TOL * max(1.0, abs(ua), abs(ub)), _D_TOL, _MAX_BRENT)
        if abs(f_end) <= _JUMP_TOL:
            return done(u_end)
        # D jumps across the collapsed bracket: the refits on its outer side
        # stand on a worse local maximum of the other parameters (the true
        # profile is continuous, and every refit only bounds it). Refit the
        # outer side from the inner side's solution and search again.
        u_in, u_out = (u_end, u_far) if f_end < 0 else (u_far, u_end)
        d_before = distance.d.get(u_out, math.inf)
        d_out = distance(u_out, warm=distance.seen[u_in])
        if d_out is None or not d_out < d_before - _D_TOL or repair == _MAX_REPAIRS:
            notes.append(f"{name}: the profile log-likelihood jumps at the {which} end (refits of the "
                         f"other parameters reach different local maxima there); the end is the jump, "
                         f"{coord.value(u_end):.10g}")
            return done(u_end, irregular=True)
        # forget what was found beyond the repaired point: it came from that worse branch
        points = [(r, uu) for r, uu in points if side * (uu - u_out) < 0] + [(side * d_out, u_out)]
        for uu in [uu for uu in distance.seen if side * (uu - u_out) > 0]:
            del distance.seen[uu], distance.d[uu], distance.converged[uu]
        inside = (u_in, distance.d[u_in])
        outside = None
        if d_out < z:
            inside = (u_out, d_out)
        else:
            outside = (u_out, d_out)
        u = _inverse_prediction(points, se_u, target)
        if not side * (u - inside[0]) > 0 or (outside is not None and side * (u - outside[0]) >= 0):
            u = inside[0] + side * abs(inside[0]) if outside is None else 0.5 * (inside[0] + outside[0])
    return done(u)      # not reached: the last repair returns above


def _interval(prof, j, z):
    result = prof.result
    name = prof.names[j]
    est = float(result.params[j])
    if name in result.fixed:
        return ProfileInterval(name, est, est, ["fixed"])
    held = (result.mle_retvals or {}).get("bounds_held", {})
    if name in result.boundary and name not in held:
        if prof.dist.discrete and name == "loc":
            why = "integer-valued (chosen by an integer search), no continuous profile"
        else:
            why = "estimate on the boundary of the parameter space, where the likelihood-ratio " \
                  "statistic is not chi-squared"
        return ProfileInterval(name, math.nan, math.nan, [f"{name}: {why}"], irregular=True)
    se = float(prof.bse[j])
    coord = _coordinate(prof.dist, name, est, se)
    if not coord.inside(est):
        return ProfileInterval(name, math.nan, math.nan,
                               [f"{name}: the estimate {est:.6g} is at the limit of its domain"],
                               irregular=True)
    lo_b, hi_b = prof.bounds.get(name, (-math.inf, math.inf))
    notes = []
    ends = []
    n_total = 0
    irregular = False
    known = []
    for side, bound in ((-1, lo_b), (1, hi_b)):
        if name in held and held[name] == bound:
            notes.append(f"{name}: held at its {'lower' if side < 0 else 'upper'} bound {bound:.6g}; "
                         f"the interval ends there")
            ends.append((bound, tuple(result.params)))
            irregular = True        # cut by the bounds: say so, as for a truncated end
            continue
        u_limit = None
        if math.isfinite(bound) and coord.inside(bound):
            u_limit = coord.coordinate(bound)
        theta, params, n, irr, known = _profile_end(prof, j, coord, side, z, u_limit, notes, known)
        n_total += n
        irregular |= irr
        ends.append((theta, params))
    return ProfileInterval(name, ends[0][0], ends[1][0], notes, ends[0][1], ends[1][1], n_total, irregular)


def profile_intervals(result, alpha=0.05):
    """Profile-likelihood intervals of every parameter of ``result`` (cached per alpha).

    Parameters
    ----------
    result : FitResult
    alpha : float
        ``1 - alpha`` is the coverage.

    Returns
    -------
    dict
        Parameter name -> :class:`ProfileInterval`, in scipy's order.
    """
    z = _z(alpha)
    cache = result.__dict__.setdefault("_profile_cache", {})
    key = float(alpha)
    if key in cache:
        return cache[key]
    if result.method != "MLE":
        what = _METHOD_NAMES.get(result.method, result.method)
        out = {}
        for n, v in zip(result.param_names, result.params):
            if n in result.fixed:
                out[n] = ProfileInterval(n, v, v, ["fixed"])
            else:
                out[n] = ProfileInterval(n, math.nan, math.nan, [
                    f"{n}: no profile-likelihood interval for a {what} estimate (it does not "
                    f"maximize the likelihood)"], irregular=True)
        cache[key] = out
        return out
    if result._data is None:
        raise ValueError("this result holds no data: profile-likelihood intervals need the data")
    prof = _Profiler(result)
    out = {name: _interval(prof, j, z) for j, name in enumerate(result.param_names)}
    caveats = []
    if not result.converged:
        caveats.append("the fit did not converge (see its message): these intervals are relative to "
                       "the log-likelihood where it stopped")
    if prof.higher is not None:
        caveats.append(f"a profile refit reached a log-likelihood {prof.higher[1]:.10g} above the "
                       f"fit's {result.llf:.10g}: the estimate is not the global maximum, and these "
                       f"intervals are relative to it")
    profiled = [iv for iv in out.values() if iv.n_refits]
    if caveats and profiled:        # said once, on the first profiled parameter
        profiled[0].notes.extend(caveats)
        profiled[0].irregular = True
    cache[key] = out
    return out




def _bse(cov):
    d = np.diag(cov).copy()
    with np.errstate(invalid="ignore"):
        return np.where(d >= 0, np.sqrt(np.abs(d)), np.nan)


def conf_int(result, alpha=0.05, method="wald", cov_type=None):
    """See :meth:`FitResult.conf_int`."""
    z = _z(alpha)
    if not isinstance(method, str) or method.lower() not in ("wald", "profile"):
        raise ValueError(f"method must be 'wald' or 'profile', got {method!r}")
    if method.lower() == "wald":
        est = np.array(result.params, dtype=float)
        half = z * _bse(result.cov_params(cov_type))
        return np.column_stack([est - half, est + half])
    intervals = profile_intervals(result, alpha)
    messages = [note for iv in intervals.values() if iv.irregular for note in iv.notes]
    if messages:
        warnings.warn("profile-likelihood intervals: " + "; ".join(messages), RuntimeWarning, stacklevel=3)
    return np.array([[iv.lower, iv.upper] for iv in intervals.values()])


# -- the summary table -----------------------------------------------------------------

_WIDTH = 78


def _num(value, width, fmt):
    if value is None:
        return " " * width
    if isinstance(value, float) and math.isnan(value):
        return f"{'nan':>{width}}"
    return f"{value:>{width}{fmt}}"


def summary(result, alpha=0.05, ci_method="wald", cov_type=None):
    """See :meth:`FitResult.summary`."""
    z_crit = _z(alpha)
    if not isinstance(ci_method, str) or ci_method.lower() not in ("wald", "profile"):
        raise ValueError(f"ci_method must be 'wald' or 'profile', got {ci_method!r}")
    ci_method = ci_method.lower()
    est = np.array(result.params, dtype=float)
    cov_type = result.cov_type if cov_type is None else cov_type
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bse = _bse(result.cov_params(cov_type))
    notes = [str(w.message) for w in caught]
    if ci_method == "wald":
        ci = est[:, None] + np.outer(z_crit * bse, [-1.0, 1.0])
        ci_notes = []
    else:
        intervals = profile_intervals(result, alpha)
        ci = np.array([[iv.lower, iv.upper] for iv in intervals.values()])
        ci_notes = [note for iv in intervals.values() for note in iv.notes if note != "fixed"]

    method = _METHOD_NAMES.get(result.method, str(result.method))
    left = [("Distribution:", result.dist.name), ("Method:", method),
            ("No. Observations:", f"{result.nobs:.15g}"), ("Df Model:", str(result.df_model)),
            ("Converged:", str(result.converged)), ("Covariance Type:", cov_type)]
    right = [("Log-likelihood:", f"{result.llf:.10g}"), ("AIC:", f"{result.aic:.10g}"),
             ("BIC:", f"{result.bic:.10g}"), ("Iterations:", str(result.n_iter)),
             ("max|grad|/nobs:", f"{result.grad_norm:.3g}"),
             ("Conf. Int.:", "profile likelihood" if ci_method == "profile" else "Wald")]
    if getattr(result, "log_posterior", None) is not None:      # a MAP fit
        left.append(("Priors:", ", ".join(result.prior)))
        right.append(("Log-posterior:", f"{result.log_posterior:.10g}"))
    half = _WIDTH // 2
    lines = [f"{result.dist.name} fit results".center(_WIDTH), "=" * _WIDTH]
    for (lk, lv), (rk, rv) in zip(left, right):
        lines.append(f"{lk:<19}{lv:>{half - 20}} " f"  {rk:<17}{rv:>{half - 19}}")
    lo_lbl, hi_lbl = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
    lines += ["=" * _WIDTH,
              f"{'':<14}{'coef':>12}{'std err':>11}{'z':>10}{'P>|z|':>9}{lo_lbl:>11}{hi_lbl:>11}",
              "-" * _WIDTH]
    marks = {}
    for i, name in enumerate(result.param_names):
        label = name if len(name) <= 13 else name[:12] + "~"
        if name in result.fixed:
            lines.append(f"{label:<14}{_num(est[i], 12, '.6g')}{'(fixed)':>11}")
            continue
        if name in result.boundary:
            marks[name] = len(marks) + 1
            label = f"{label[:10]}[{marks[name]}]"
        b = float(bse[i])
        if math.isfinite(b) and b > 0:
            zv = est[i] / b
            p = math.erfc(abs(zv) / math.sqrt(2.0))
        else:
            zv = p = math.nan
        lines.append(f"{label:<14}{_num(est[i], 12, '.6g')}{_num(b, 11, '.4g')}{_num(zv, 10, '.3f')}"
                     f"{_num(p, 9, '.3f')}{_num(float(ci[i, 0]), 11, '.5g')}{_num(float(ci[i, 1]), 11, '.5g')}")
    lines.append("=" * _WIDTH)
    foot = []
    for name, k in marks.items():
        held = (result.mle_retvals or {}).get("bounds_held", {})
        why = ("held at a bound given in `bounds`" if name in held
               else "on the boundary of the parameter space (or integer-valued): no standard error "
                    "from the Hessian")
        foot.append(f"[{k}] {name}: {why}")
    if result.closed_form:
        foot.append(f"Closed-form check: {result.closed_form_gap:.2e} largest relative gap "
                    f"({', '.join(result.closed_form)})")
    foot.extend(notes)
    foot.extend(ci_notes)
    foot.append(f"Optimizer: {result.message}")
    wrapped = [textwrap.fill(note, _WIDTH, subsequent_indent="    ") for note in foot]
    return "\n".join(lines + ["Notes:"] + wrapped)
