"""Newton's method with Cholesky and step halving, for the regression models.

The distribution optimizer (``fastmle._optimize``) solves 1-3 parameter
problems with pure-Python linear algebra; here p reaches thousands, so the
solve goes through ``numpy.linalg`` (LAPACK). Each iteration costs one
kernel pass with the Hessian; a rejected step costs passes without it.
"""
import numpy as np

__all__ = ["newton", "Singular"]


class Singular(Exception):
    """The negative Hessian is singular at the start (collinear columns)."""


def _direction(A, g):
    """Solve ``A d = g`` for an SPD ``A`` (Cholesky); else an eigenvalue-floored solve.

    The second case (A not positive definite: NB2 far from its optimum, or a
    model saturating) keeps ``d`` an ascent direction.
    """
    try:
        L = np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(0.5 * (A + A.T))
        top = max(float(np.max(np.abs(vals))), 1e-300)
        vals = np.maximum(np.abs(vals), 1e-8 * top)
        return vecs @ ((vecs.T @ g) / vals), False
    y = np.linalg.solve(L, g)
    return np.linalg.solve(L.T, y), True


class NewtonResult:
    """How Newton ended (``mle_retvals``)."""

    def __init__(self, x, ll, grad, A, extra, n_iter, n_eval, converged, message):
        self.x, self.ll, self.grad, self.A, self.extra = x, ll, grad, A, extra
        self.n_iter, self.n_eval, self.converged, self.message = n_iter, n_eval, converged, message

    def as_dict(self):
        return {"converged": self.converged, "iterations": self.n_iter, "fcalls": self.n_eval,
                "message": self.message, "method": "newton"}


def newton(evaluate, x0, nobs, maxiter=100, tol=1e-8, stop=None, final_step=0.0):
    """Maximize ``ll(x)`` given ``evaluate(x, need) -> (ll, grad, A, extra)``.

    ``A`` is the negative Hessian (``need == 2``), ``extra`` anything the
    caller wants back from the last accepted evaluation. Converged when the
    Newton step is at most ``tol * (1 + |x_j|)`` in every coordinate (the
    step is then not taken: the point is within ``tol`` of the maximum by
    Newton's quadratic convergence) with ``A`` positive definite.

    ``stop(x, ll, extra, n_iter)`` may return a message to end the iteration
    early, not converged (perfect separation).

    ``final_step > 0``: after a full Newton step, a next step of relative
    size at most ``final_step`` is taken without evaluating the data again
    (``ll`` from the quadratic model; ``A`` stays the one before the step).
    """
    x = np.array(x0, dtype=float)
    ll, g, A, extra = evaluate(x, 2)
    n_eval = 1
    if not (np.isfinite(ll) and np.all(np.isfinite(g)) and np.all(np.isfinite(A))):
        return NewtonResult(x, ll, g, A, extra, 0, n_eval, False,
                            "log-likelihood or its derivatives are not finite at the start")
    message = "maximum number of iterations reached"
    converged = False
    it = 0
    full_step = False
    while True:
        d, spd = _direction(A, g)
        size = np.max(np.abs(d) / (1.0 + np.abs(x))) if d.size else 0.0
        if spd and size <= tol:
            converged = True
            message = "Newton step below tolerance"
            break
        if spd and full_step and size <= final_step:
            # In Newton's quadratic regime (the last step was a full one) a
            # step this small leaves the next one at ~size**2: take it without
            # another pass over the data. The log-likelihood moves by g.d/2
            # (exact to O(size**3)); the Hessian kept is the one at x, off by
            # O(size) relative -- below the 1e-6 the standard errors promise.
            x = x + d
            ll = ll + 0.5 * float(g @ d)
            g = np.zeros_like(g)
            converged = True
            message = "Newton step below tolerance (last step taken without re-evaluation)"
            break
        if it >= maxiter:
            break
        if stop is not None:
            why = stop(x, ll, extra, it)
            if why:
                message = why
                break
        slope = float(g @ d)
        # a log-likelihood summed over N rows: changes below this are rounding
        noise = 1e-13 * (abs(ll) + nobs)
        step = 1.0
        accepted = False
        for _ in range(40):
            x_new = x + step * d
            if step == 1.0:
                res = evaluate(x_new, 2)
                ll_new = res[0]
            else:
                ll_new = evaluate(x_new, 0)[0]
                res = None
            n_eval += 1
            if np.isfinite(ll_new) and ll_new >= ll + 1e-4 * step * slope - noise:
                accepted = True
                break
            step *= 0.5
        if not accepted:
            # no increase along the Newton direction: at the rounding floor
            # (converged if the step is already tiny) or a broken model
            if spd and np.all(np.abs(d) <= 1e-6 * (1.0 + np.abs(x))):
                converged = True
                message = "converged: log-likelihood at its rounding floor"
            else:
                message = "line search could not increase the log-likelihood"
            break
        if res is None:
            res = evaluate(x_new, 2)
            n_eval += 1
        ll_new, g_new, A_new, extra_new = res
        if not (np.all(np.isfinite(g_new)) and np.all(np.isfinite(A_new))):
            message = "derivatives not finite"
            break
        it += 1
        full_step = step == 1.0
        x, ll, g, A, extra = x_new, ll_new, g_new, A_new, extra_new
    return NewtonResult(x, ll, g, A, extra, it, n_eval, converged, message)
