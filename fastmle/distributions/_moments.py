"""Method of moments (``method="MM"``), with scipy's definition of the answer.

scipy's ``rv_continuous.fit(..., method="MM")`` matches the first ``k`` raw
moments ``E[X^j]`` (``k`` = number of free parameters) by minimizing
``sum_j ((m_j - E_theta[X^j]) / max(|m_j|, 1e-8))**2`` with Nelder-Mead. fastmle
minimizes the same objective with Levenberg-Marquardt on the ``k`` residuals,
in the optimizer's transformed coordinates, from the data's moments alone (one
validating pass, then arithmetic on a handful of numbers). Where the moment
equations have a solution the objective reaches rounding level, which scipy's
simplex does not.

A distribution provides ``_std_moments(shapes)``: mean, variance, skewness
and excess kurtosis of its standardized variable (loc 0, scale 1), or for a
discrete one ``_moments(shapes)``, the same of ``k`` with loc 0.
"""
import math

import numpy as np

from .._optimize import Affine, Log

__all__ = ["raw_moments_from_central", "data_raw_moments", "fit_moments"]


def raw_moments_from_central(mean, var, skew, exkurt, k):
    """``E[X^j]`` for j = 1..k from the mean and standardized central moments."""
    mu2 = var
    mu3 = skew * var ** 1.5 if k >= 3 else 0.0
    mu4 = (exkurt + 3.0) * var * var if k >= 4 else 0.0
    raw = [mean, mu2 + mean ** 2, mu3 + 3 * mean * mu2 + mean ** 3,
           mu4 + 4 * mean * mu3 + 6 * mean ** 2 * mu2 + mean ** 4]
    return np.array(raw[:k], dtype=float)


def data_raw_moments(summary, k):
    """Weighted raw moments ``mean(x**j)``, j = 1..k, from the scan's sums
    (which are taken about ``summary.shift``)."""
    n = summary.sum_w
    c = [1.0] + [summary.sums[2 + j] / n for j in range(1, 5)]    # E[(x - shift)^j]
    a = summary.shift
    out = []
    for j in range(1, k + 1):
        out.append(sum(math.comb(j, i) * a ** (j - i) * c[i] for i in range(j + 1)))
    return np.array(out)


def fit_moments(dist, summary, spec, start, moments_at):
    """Minimize scipy's method-of-moments objective.

    Parameters
    ----------
    dist : Distribution
    summary : ScanSummary
        The validating scan of the data (moment sums).
    spec : FitSpec
        Fixed parameters and guesses.
    start : sequence of float
        Start values of every parameter (scipy order).
    moments_at : callable
        ``moments_at(params) -> (mean, var, skew, exkurt)`` of X.

    Returns
    -------
    (params, objective, n_iter, converged)
        ``converged`` is False only if the iteration limit was reached.
    """
    names = dist.param_names
    free = [i for i, n in enumerate(names) if n not in spec.fixed]
    k = len(free)
    target = data_raw_moments(summary, k)
    denom = np.maximum(np.abs(target), 1e-8)
    positive = set(dist.positive) | ({"scale"} if "scale" in names else set())
    sd = math.sqrt(summary.var) or 1.0
    trs = {}
    for i in free:
        if names[i] in positive:
            trs[i] = Log(start[i])
        else:
            trs[i] = Affine(start[i], max(abs(start[i]), sd) if names[i] != "loc" else sd)
    base = np.array(start, dtype=float)

    def params_of(t):
        p = base.copy()
        for ti, i in zip(t, free):
            p[i] = trs[i].to_natural(ti)
        return p

    def residuals(t):
        p = params_of(t)
        with np.errstate(all="ignore"):
            try:
                m = moments_at(p)
            except (ValueError, ArithmeticError):
                # a step outside the parameter space (a probability above 1
                # in math.sqrt): rejected like a non-finite moment
                return None
            if m is None or not all(np.isfinite(m[:k])) or (k >= 2 and not m[1] > 0):
                return None
            return (raw_moments_from_central(*m, k) - target) / denom

    t = np.array([trs[i].to_internal(base[i]) for i in free])
    r = residuals(t)
    if r is None:
        raise ValueError(f"{dist.name}: the distribution's moments are not finite at the start "
                         f"values {tuple(base)}; the method of moments cannot continue "
                         "(consider method='MLE')")
    f = float(r @ r)
    lam = 1e-3
    n_iter = 0
    converged = False
    for n_iter in range(1, 201):
        if f <= 1e-30:
            converged = True
            break
        jac = np.empty((k, k))
        for j in range(k):
            h = 1e-6 * max(1.0, abs(t[j]))
            tp, tm = t.copy(), t.copy()
            tp[j] += h
            tm[j] -= h
            rp, rm = residuals(tp), residuals(tm)
            if rp is not None and rm is not None:
                jac[:, j] = (rp - rm) / (2 * h)
            elif rp is not None:            # one side leaves the parameter space
                jac[:, j] = (rp - r) / h
            elif rm is not None:
                jac[:, j] = (r - rm) / h
            else:
                jac[:, j] = 0.0
        g = jac.T @ r
        A = jac.T @ jac
        improved = False
        for _ in range(30):
            try:
                step = -np.linalg.solve(A + lam * np.diag(np.diag(A) + 1e-12), g)
            except np.linalg.LinAlgError:
                lam *= 10
                continue
            step = np.clip(step, -5.0, 5.0)
            r_new = residuals(t + step)
            if r_new is not None and float(r_new @ r_new) < f:
                t, r, f = t + step, r_new, float(r_new @ r_new)
                lam = max(lam / 10, 1e-12)
                improved = True
                break
            lam *= 10
        if not improved:          # a minimum of the objective (zero or not)
            converged = True
            break
    return params_of(t), f, n_iter, converged
