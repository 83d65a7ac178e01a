"""The optimizer: damped Newton on transformed parameters, L-BFGS as fallback.

The kernels return log-likelihood, gradient and Hessian in the natural
(scipy) parameters. The driver optimizes unconstrained, dimensionless
coordinates ``t``: a positive parameter is ``ref * exp(t)``, a location
``center + ref * t``, a location that must stay below the data
``bound - ref * exp(t)``. With ``ref`` a data scale every coordinate is O(1),
so one tolerance on the gradient per observation means the same for every
parameter and every data scale.
"""
import math

import numpy as np

from . import _budget

__all__ = ["Affine", "Log", "Below", "Above", "OptimizeResult", "maximize", "golden_section_max", "ConvergenceWarning"]


_BUDGET_MESSAGE = "the work budget (fastmle._budget) ran out before convergence"


class ConvergenceWarning(RuntimeWarning):
    """A fit stopped without meeting its convergence criterion."""


class Affine:
    """p = center + ref * t (an unconstrained location)."""

    def __init__(self, center, ref):
        self.center, self.ref = float(center), float(ref)

    def to_internal(self, p):
        return (p - self.center) / self.ref

    def to_natural(self, t):
        return self.center + self.ref * t

    def derivs(self, t):
        return self.ref, 0.0

    def natural_and_derivs(self, t):
        return self.center + self.ref * t, self.ref, 0.0


class Log:
    """p = ref * exp(t) (a positive parameter)."""

    def __init__(self, ref):
        self.ref = float(ref)

    def to_internal(self, p):
        return math.log(p / self.ref)

    def to_natural(self, t):
        return self.ref * math.exp(min(t, 700.0))

    def derivs(self, t):
        p = self.to_natural(t)
        return p, p

    def natural_and_derivs(self, t):
        p = self.ref * math.exp(min(t, 700.0))
        return p, p, p


class Below:
    """p = bound - ref * exp(t) (a location that must stay below the data).

    ``t`` may not go below ``T_MIN``, a gap of one ulp of ``bound`` (the
    closest float64 can resolve): when the likelihood keeps rising as the
    location approaches the smallest observation (shape < 1) there is no
    regular maximum, and the driver stops there and says so.
    """

    def __init__(self, bound, ref):
        self.bound, self.ref = float(bound), float(ref)
        self.T_MIN = math.log(max(math.ulp(abs(self.bound)), 1e-300) / self.ref)

    def to_internal(self, p):
        return math.log((self.bound - p) / self.ref)

    def to_natural(self, t):
        return self.bound - self.ref * math.exp(min(t, 700.0))

    def derivs(self, t):
        d = -self.ref * math.exp(min(t, 700.0))
        return d, d

    def natural_and_derivs(self, t):
        d = -self.ref * math.exp(min(t, 700.0))
        return self.bound + d, d, d


class Above:
    """p = bound + ref * exp(t): a location that must stay above the data
    (the mirror of :class:`Below`, for supports bounded above such as
    weibull_max's, or beta's upper end).

    ``t`` may not go below ``T_MIN``, a gap of one ulp of ``bound``.
    """

    def __init__(self, bound, ref):
        self.bound, self.ref = float(bound), float(ref)
        self.T_MIN = math.log(max(math.ulp(abs(self.bound)), 1e-300) / self.ref)

    def to_internal(self, p):
        return math.log((p - self.bound) / self.ref)

    def to_natural(self, t):
        return self.bound + self.ref * math.exp(min(t, 700.0))

    def derivs(self, t):
        d = self.ref * math.exp(min(t, 700.0))
        return d, d

    def natural_and_derivs(self, t):
        d = self.ref * math.exp(min(t, 700.0))
        return self.bound + d, d, d


class OptimizeResult:
    """How an optimization ended (``mle_retvals`` in statsmodels' terms)."""

    def __init__(self, t, ll, grad, hess, n_iter, n_eval, converged, message, grad_norm, method):
        self.t = t
        self.ll = ll
        self.grad = grad
        self.hess = hess
        self.n_iter = n_iter
        self.n_eval = n_eval
        self.converged = converged
        self.message = message
        self.grad_norm = grad_norm
        self.method = method

    def __repr__(self):
        return (f"OptimizeResult(method={self.method!r}, converged={self.converged}, "
                f"n_iter={self.n_iter}, grad_norm={self.grad_norm:.3g}, message={self.message!r})")


def _finite(*arrays):
    # a sum is NaN or inf iff some element is (or it overflows, which is as bad)
    return all(math.isfinite(sum(a.ravel().tolist())) for a in arrays)


def _cholesky(A):
    """Lower Cholesky factor of a small SPD matrix as nested lists, or None.

    Distribution fits have 1-3 free parameters; plain Python floats beat
    numpy.linalg's per-call overhead by an order of magnitude at that size,
    which matters for fits of 100 observations.
    """
    k = len(A)
    L = [[0.0] * k for _ in range(k)]
    for i in range(k):
        Li = L[i]
        for j in range(i + 1):
            Lj = L[j]
            acc = A[i][j]
            for m in range(j):
                acc -= Li[m] * Lj[m]
            if i == j:
                if not acc > 0.0:
                    return None
                Li[i] = math.sqrt(acc)
            else:
                Li[j] = acc / Lj[j]
    return L


def _cholesky_solve(L, b):
    k = len(L)
    y = [0.0] * k
    for i in range(k):
        acc = b[i]
        for m in range(i):
            acc -= L[i][m] * y[m]
        y[i] = acc / L[i][i]
    x = [0.0] * k
    for i in reversed(range(k)):
        acc = y[i]
        for m in range(i + 1, k):
            acc -= L[m][i] * x[m]
        x[i] = acc / L[i][i]
    return x


def _negative_definite(H):
    return _cholesky((-H).tolist()) is not None


def _ascent_direction(g, H):
    """Newton direction ``(-H)^{-1} g`` as a list; if -H is not positive
    definite its eigenvalues are replaced by their absolute values (floored),
    which keeps the direction an ascent direction near saddles and ridges.
    Also says whether -H was positive definite."""
    A = -H
    L = _cholesky(A.tolist())
    if L is not None:
        return _cholesky_solve(L, g.tolist()), True
    vals, vecs = np.linalg.eigh(0.5 * (A + A.T))
    top = max(np.max(np.abs(vals)), 1e-300)
    vals = np.maximum(np.abs(vals), 1e-6 * top)
    return (vecs @ ((vecs.T @ g) / vals)).tolist(), False


def _within(d, t, xtol, resolution):
    """Is the step ``d`` below the tolerance, or below what float64 can resolve?

    ``d`` and ``t`` are lists of floats; ``resolution(t)`` gives a sequence.
    """
    if all(abs(di) <= xtol * (1.0 + abs(ti)) for di, ti in zip(d, t)):
        return True
    # a resolution limit above 1e-2 would mean a parameter known to two digits
    if resolution is None or max(abs(di) for di in d) > 1e-2:
        return False
    res = resolution(t)
    return all(abs(di) <= max(xtol * (1.0 + abs(ti)), ri) for di, ti, ri in zip(d, t, res))


def _dot(a, b):
    return sum([ai * bi for ai, bi in zip(a, b)])


def _newton(fun, t0, nobs, maxiter, gtol, xtol, max_step, resolution=None, lower=None, upper=None):
    # The iterate, step and gradient are handled as lists of floats: with the
    # 1-4 parameters of a distribution, numpy's per-call overhead made this
    # bookkeeping cost more than evaluating the likelihood of 100 points.
    t = np.array(t0, dtype=float)
    k = t.size
    lower = [-math.inf] * k if lower is None else np.broadcast_to(np.asarray(lower, dtype=float), (k,)).tolist()
    upper = [math.inf] * k if upper is None else np.broadcast_to(np.asarray(upper, dtype=float), (k,)).tolist()
    bounded = any(v > -math.inf for v in lower) or any(v < math.inf for v in upper)
    ll, g, H = fun(t)
    n_eval = 1
    if not math.isfinite(ll) or not _finite(g, H):
        return OptimizeResult(t, ll, g, H, 0, n_eval, False,
                              "log-likelihood or its derivatives are not finite at the start", np.inf, "newton")
    message = "maximum number of iterations reached"
    n_iter = 0
    stalled = False
    resolved = False
    n_floor = 0
    tl = t.tolist()
    d = _ascent_direction(g, H)[0]
    while True:
        if _within(d, tl, xtol, resolution):
            message = "Newton step below tolerance"
            resolved = True
            break
        if bounded and any(ti <= lo and di < 0 for ti, lo, di in zip(tl, lower, d)):
            message = "a coordinate reached its lower bound"
            break
        if bounded and any(ti >= hi and di > 0 for ti, hi, di in zip(tl, upper, d)):
            message = "a coordinate reached its upper bound"
            break
        if n_iter == maxiter:
            break
        if _budget.spent():
            message = _BUDGET_MESSAGE
            break
        size = max(abs(di) for di in d)
        step = min(1.0, max_step / size)
        slope = _dot(g.tolist(), d)
        # the log-likelihood is a sum of N terms: differences below this are rounding
        noise = 1e-13 * (abs(ll) + nobs)
        accepted = False
        for trial in range(60):
            if trial and _budget.spent():
                break
            tl_new = [ti + step * di for ti, di in zip(tl, d)]
            if bounded:     # projected onto the bounds
                tl_new = [min(max(ti, lo), hi) for ti, lo, hi in zip(tl_new, lower, upper)]
            t_new = np.array(tl_new)
            ll_new, g_new, H_new = fun(t_new)
            n_eval += 1
            if math.isfinite(ll_new) and _finite(g_new, H_new) and ll_new >= ll + 1e-4 * step * slope - noise:
                accepted = True
                break
            step *= 0.5
        if not accepted:
            if _budget.spent():
                message = _BUDGET_MESSAGE
                break
            stalled = True
            message = "line search could not increase the log-likelihood"
            break
        n_iter += 1
        t, tl, ll, g, H = t_new, tl_new, ll_new, g_new, H_new
        d_prev, step_prev = d, step
        d = _ascent_direction(g, H)[0]
        if step_prev < 1e-8 and _within([step_prev * di for di in d_prev], tl, xtol, None):
            # the line search crawls: the model is useless here (degenerate data)
            message = "line search steps collapsed"
            break
        # Rounding floor: the gain Newton predicts (g.d / 2) is below the
        # rounding of the log-likelihood, the steps have stopped shrinking
        # (near a maximum they shrink quadratically) and they turn back. The
        # gradient is then rounding noise, and across a flat ridge (nbinom's
        # (n, p) at large n) it moves the iterate to and fro until maxiter.
        # Steps that keep one direction are a climb along a ridge towards a
        # limit (lomax's exponential one), not a floor.
        if _dot(g.tolist(), d) <= noise:
            if max(abs(di) for di in d) > 0.5 * size and _dot(d, d_prev) < 0.0:
                n_floor += 1
                if n_floor == 2:
                    message = "Newton steps at the rounding level of the log-likelihood"
                    resolved = True
                    break
        else:
            n_floor = 0
    grad_norm = float(np.max(np.abs(g)) / nobs) if g.size else 0.0
    concave = _finite(H) and _negative_definite(H)
    # A location far from the origin (1e7 + small noise) cannot be moved by
    # less than one ulp, which may leave a gradient above gtol: a remaining
    # Newton step below float64 resolution counts as converged.
    converged = concave and (grad_norm <= gtol or resolved)
    if converged and stalled:
        message = "converged: log-likelihood at its rounding floor"
    elif converged and message == _BUDGET_MESSAGE:
        message = "converged (gradient below tolerance) as the work budget ran out"
    elif converged and n_iter == maxiter and not resolved:
        message = f"gradient below tolerance after {maxiter} iterations (the steps did not settle)"
    elif not concave and grad_norm <= gtol:
        message = "stationary point is not a maximum (Hessian not negative definite)"
    return OptimizeResult(t, ll, g, H, n_iter, n_eval, converged, message, grad_norm, "newton")


def _lbfgs(fun, t0, nobs, maxiter, gtol, memory=10, max_eval=None):
    """Limited-memory BFGS (maximizing), numpy only; uses values and gradients."""
    t = np.array(t0, dtype=float)
    ll, g, _ = fun(t)
    n_eval = 1
    if not np.isfinite(ll) or not _finite(g):
        return OptimizeResult(t, ll, g, None, 0, n_eval, False,
                              "log-likelihood or gradient not finite at the start", np.inf, "lbfgs")
    s_hist, y_hist = [], []
    message = "maximum number of iterations reached"
    it = 0
    max_eval = max_eval or 20 * maxiter
    for it in range(1, maxiter + 1):
        if n_eval >= max_eval:
            message = "maximum number of function evaluations reached"
            break
        if np.max(np.abs(g)) / nobs <= gtol:
            message = "gradient below tolerance"
            it -= 1
            break
        if _budget.spent():
            message = _BUDGET_MESSAGE
            it -= 1
            break
        # two-loop recursion on the negative log-likelihood (gradient -g)
        q = -g.copy()
        alphas = []
        for s, y in zip(reversed(s_hist), reversed(y_hist)):
            a = (s @ q) / (y @ s)
            alphas.append(a)
            q -= a * y
        if y_hist:
            q *= (s_hist[-1] @ y_hist[-1]) / (y_hist[-1] @ y_hist[-1])
        else:
            q /= max(np.max(np.abs(g)), 1e-300)
        for (s, y), a in zip(zip(s_hist, y_hist), reversed(alphas)):
            b = (y @ q) / (y @ s)
            q += s * (a - b)
        d = -q  # ascent direction
        slope = float(g @ d)
        if slope <= 0:
            s_hist, y_hist = [], []
            d = g / max(np.max(np.abs(g)), 1e-300)
            slope = float(g @ d)
        step = 1.0
        noise = 1e-13 * (abs(ll) + nobs)
        accepted = False
        for _ in range(60):
            t_new = t + step * d
            ll_new, g_new, _ = fun(t_new)
            n_eval += 1
            if np.isfinite(ll_new) and _finite(g_new) and ll_new >= ll + 1e-4 * step * slope - noise:
                accepted = True
                break
            step *= 0.5
        if not accepted:
            message = "line search could not increase the log-likelihood"
            break
        s_vec, y_vec = t_new - t, -(g_new - g)
        if s_vec @ y_vec > 1e-12 * np.linalg.norm(s_vec) * np.linalg.norm(y_vec):
            s_hist.append(s_vec)
            y_hist.append(y_vec)
            if len(s_hist) > memory:
                s_hist.pop(0)
                y_hist.pop(0)
        t, ll, g = t_new, ll_new, g_new
    grad_norm = float(np.max(np.abs(g)) / nobs) if g.size else 0.0
    converged = grad_norm <= gtol
    return OptimizeResult(t, ll, g, None, it, n_eval, converged, message, grad_norm, "lbfgs")


def golden_section_max(f, a, b, n_iter=40):
    """Golden-section search for a maximum of the scalar ``f`` on ``[a, b]``.

    For rough one-dimensional profiles (edges of unbounded likelihoods)
    where derivatives are unreliable. Returns the final bracket's two
    interior points with their values, ``((x1, f1), (x2, f2))``.
    """
    g = 0.5 * (math.sqrt(5.0) - 1.0)
    x1, x2 = b - g * (b - a), a + g * (b - a)
    f1, f2 = f(x1), f(x2)
    for _ in range(n_iter):
        if _budget.spent():     # a budgeted group of fits (fastmle.select) ran out: stop here
            break
        if f1 > f2:
            b, x2, f2 = x2, x1, f1
            x1 = b - g * (b - a)
            f1 = f(x1)
        else:
            a, x1, f1 = x1, x2, f2
            x2 = a + g * (b - a)
            f2 = f(x2)
    return (x1, f1), (x2, f2)


def maximize(fun, t0, nobs, method="newton", maxiter=None, gtol=1e-8, xtol=1e-11, max_step=5.0,
             resolution=None, lower=None, upper=None):
    """Maximize a log-likelihood given by ``fun(t) -> (ll, grad, hess)``.

    Parameters
    ----------
    fun : callable
        Returns the log-likelihood, its gradient and Hessian at ``t``.
    t0 : ndarray
        Start in the transformed coordinates.
    nobs : float
        Number of observations (sum of weights); the gradient criterion is
        ``max|grad| / nobs <= gtol``.
    method : {"newton", "lbfgs"}
        Newton uses the Hessian; "lbfgs" only values and gradients. Newton
        falls back to L-BFGS if the Hessian stops being usable.
    maxiter : int, optional
        Default 200 for Newton, 2000 for L-BFGS.
    gtol : float
        Gradient tolerance per observation for ``converged``.
    xtol : float
        Newton stops once its step is below ``xtol`` (relative).
    max_step : float
        Largest step in any transformed coordinate (a factor e**5 in scale).
    resolution : callable, optional
        ``resolution(t)``: per coordinate, the smallest step float64 can
        represent in the natural parameter (a few ulps); Newton steps below
        it end the iteration as converged.
    lower : array_like, optional
        Lower bounds on the coordinates (Newton steps are projected onto
        them; reaching one with the ascent direction pointing below it ends
        the iteration, not converged).
    upper : array_like, optional
        Upper bounds on the coordinates, the same way.

    Returns
    -------
    OptimizeResult
    """
    nobs = max(float(nobs), 1.0)
    if method == "newton":
        res = _newton(fun, t0, nobs, maxiter or 200, gtol, xtol, max_step, resolution, lower, upper)
        if not res.converged and res.hess is not None and not _finite(res.hess) and np.isfinite(res.ll):
            # a bounded fallback: a Hessian that overflows usually means
            # degenerate data, where thousands of iterations help nobody
            alt = _lbfgs(fun, res.t, nobs, 200, gtol, max_eval=500)
            if alt.ll > res.ll or alt.converged:
                return alt
        return res
    if method == "lbfgs":
        return _lbfgs(fun, t0, nobs, maxiter or 2000, gtol)
    raise ValueError(f"unknown optimizer method {method!r}; use 'newton' or 'lbfgs'")
