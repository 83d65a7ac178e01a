"""Fit results: estimates with their uncertainty and how the fit ended."""
import math
import warnings
from collections import namedtuple
from statistics import NormalDist

import numpy as np

__all__ = ["FitResult"]

_NAMEDTUPLES = {}


def _params_type(names):
    """scipy's ``FitParams`` namedtuple for these parameter names."""
    key = tuple(names)
    if key not in _NAMEDTUPLES:
        _NAMEDTUPLES[key] = namedtuple("FitParams", key)
    return _NAMEDTUPLES[key]


class FitResult:
    """Result of a maximum likelihood fit.

    Attributes
    ----------
    dist : Distribution
        The fastmle distribution that was fit.
    params : namedtuple
        Estimates with scipy's names and order (``FitParams(a=..., loc=..., scale=...)``);
        fixed parameters hold exactly the value they were fixed at.
    fixed : dict
        Names and values of the parameters held fixed.
    success, converged : bool
        Whether the optimizer met its convergence criterion (the two are
        the same; ``success`` is scipy's name, ``converged`` statsmodels').
    message : str
        How the fit ended.
    n_iter : int
        Newton (or L-BFGS) iterations.
    nobs : float
        Number of observations (the sum of the frequency weights).
    llf : float
        Log-likelihood at ``params``.
    aic, bic : float
        ``2 k - 2 llf`` and ``k log(nobs) - 2 llf`` with ``k`` free parameters.
    grad_norm : float
        ``max |gradient| / nobs`` at the end, in the optimizer's dimensionless
        coordinates (log scale, location in units of the data scale).
    closed_form : dict or None
        Closed-form MLE of the parameters that have one under this set of
        fixed parameters (e.g. normal mean and standard deviation; gamma's
        scale given its shape), computed from the sufficient statistics.
    closed_form_gap : float or None
        Largest relative difference between ``params`` and ``closed_form``.
    mle_retvals : dict
        Optimizer details: method, iterations, kernel passes, message.
    """

    def __init__(self, dist, params, fixed, llf, nobs, hessian, converged, message,
                 n_iter, grad_norm, closed_form=None, boundary=(), data=None,
                 method="MLE", mle_retvals=None):
        self.dist = dist
        names = dist.param_names
        self.param_names = names
        self.params = _params_type(names)(*[float(v) if n not in fixed else fixed[n]
                                            for n, v in zip(names, params)])
        self.fixed = dict(fixed)
        self.llf = float(llf)
        self.nobs = float(nobs)
        self._hessian = None if hessian is None else np.asarray(hessian, dtype=float)
        self.converged = bool(converged)
        self.success = self.converged
        self.message = message
        self.n_iter = int(n_iter)
        self.grad_norm = float(grad_norm)
        self.boundary = tuple(boundary)
        self.method = method
        self.mle_retvals = dict(mle_retvals or {})
        self._data = data
        self.closed_form = closed_form
        self.closed_form_gap = None
        if closed_form:
            gaps = []
            for name, value in closed_form.items():
                est = getattr(self.params, name)
                gaps.append(abs(est - value) / max(abs(value), np.finfo(float).tiny))
            self.closed_form_gap = float(max(gaps))

    # -- counts and criteria -------------------------------------------------
    @property
    def free(self):
        """Names of the estimated (not fixed) parameters."""
        return tuple(n for n in self.param_names if n not in self.fixed)

    @property
    def df_model(self):
        """Number of estimated parameters."""
        return len(self.free)

    @property
    def aic(self):
        return 2.0 * self.df_model - 2.0 * self.llf

    @property
    def bic(self):
        return self.df_model * math.log(self.nobs) - 2.0 * self.llf

    def nllf(self, params=None, data=None):
        """Negative log-likelihood, as ``scipy.stats`` ``FitResult.nllf``.

        Parameters
        ----------
        params : sequence, optional
            Parameters in scipy's order; default the fitted ``params``.
        data : array_like, optional
            Default the data that were fit (with their weights).

        Returns
        -------
        float
            ``inf`` if some observation is outside the support.
        """
        if params is None and data is None:
            return -self.llf
        params = self.params if params is None else tuple(params)
        return -self.dist.loglike(self._data if data is None else data, params)

    # -- uncertainty -----------------------------------------------------------
    def cov_params(self):
        """Covariance of the estimates: inverse observed information.

        The observed information is minus the analytic Hessian of the
        log-likelihood at the estimate, in scipy's parametrization. Rows and
        columns of fixed parameters are zero; those of estimates whose
        variance the Hessian does not give are NaN: estimates on the boundary
        of the parameter space (``expon``'s location at the sample minimum, a
        location at the edge of an unbounded likelihood) and integer-valued
        ones (``poisson``'s free location).

        Returns
        -------
        ndarray, shape (k, k)
        """
        k = len(self.param_names)
        cov = np.zeros((k, k))
        idx = [i for i, n in enumerate(self.param_names) if n not in self.fixed and n not in self.boundary]
        for i, n in enumerate(self.param_names):
            if n in self.boundary:
                cov[i, :] = np.nan
                cov[:, i] = np.nan
        if idx and self._hessian is None:     # method of moments: no information matrix
            cov[np.ix_(idx, idx)] = np.nan
            return cov
        if not idx:
            return cov
        info = -self._hessian[np.ix_(idx, idx)]
        if not np.all(np.isfinite(info)):
            warnings.warn("observed information is not finite; covariance unavailable", RuntimeWarning,
                          stacklevel=2)
            cov[np.ix_(idx, idx)] = np.nan
            return cov
        try:
            np.linalg.cholesky(info)
            sub = np.linalg.inv(info)
        except np.linalg.LinAlgError:
            warnings.warn("the Hessian is not negative definite at the estimate; the "
                          "covariance matrix is unreliable", RuntimeWarning, stacklevel=2)
            sub = np.linalg.pinv(info)
        cov[np.ix_(idx, idx)] = 0.5 * (sub + sub.T)
        return cov

    @property
    def bse(self):
        """Standard errors (square roots of the covariance diagonal); 0 for fixed parameters."""
        d = np.diag(self.cov_params()).copy()
        with np.errstate(invalid="ignore"):
            return np.where(d >= 0, np.sqrt(np.abs(d)), np.nan)

    def conf_int(self, alpha=0.05):
        """Wald confidence intervals ``estimate -/+ z_{1-alpha/2} * bse``.

        Parameters
        ----------
        alpha : float
            ``1 - alpha`` is the coverage.

        Returns
        -------
        ndarray, shape (k, 2)
            Lower and upper bounds; fixed parameters get a zero-width interval.
        """
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be in (0, 1), got {alpha}")
        z = NormalDist().inv_cdf(1 - alpha / 2)
        est = np.array(self.params, dtype=float)
        half = z * self.bse
        return np.column_stack([est - half, est + half])

    # -- display ---------------------------------------------------------------
    def summary(self, alpha=0.05):
        """A readable table of estimates, uncertainty and fit statistics.

        Returns
        -------
        str
        """
        est = np.array(self.params, dtype=float)
        bse = self.bse
        ci = self.conf_int(alpha)
        width = 78
        lo_lbl, hi_lbl = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
        head = [
            f"fastmle fit: {self.dist.name} ({self.method})".center(width),
            "=" * width,
            f"{'Distribution:':<16}{self.dist.name:<23}{'Log-likelihood:':<20}{self.llf:>19.10g}",
            f"{'No. obs.:':<16}{self.nobs:<23.15g}{'AIC:':<20}{self.aic:>19.10g}",
            f"{'Converged:':<16}{str(self.converged):<23}{'BIC:':<20}{self.bic:>19.10g}",
            f"{'Iterations:':<16}{self.n_iter:<23d}{'max|grad|/nobs:':<20}{self.grad_norm:>19.3g}",
            "=" * width,
            f"{'':<10}{'estimate':>14}{'std err':>12}{'z':>10}{'P>|z|':>8}{lo_lbl:>12}{hi_lbl:>12}",
            "-" * width,
        ]
        rows = []
        for i, name in enumerate(self.param_names):
            if name in self.fixed:
                rows.append(f"{name:<10}{est[i]:>14.6g}{'(fixed)':>12}")
                continue
            if name in self.boundary or not np.isfinite(bse[i]) or bse[i] == 0:
                rows.append(f"{name:<10}{est[i]:>14.6g}{'nan':>12}"
                            + ("   (not from the Hessian: see Optimizer)" if name in self.boundary else ""))
                continue
            z = est[i] / bse[i]
            p = math.erfc(abs(z) / math.sqrt(2.0))
            rows.append(f"{name:<10}{est[i]:>14.6g}{bse[i]:>12.4g}{z:>10.3f}{p:>8.3f}"
                        f"{ci[i, 0]:>12.6g}{ci[i, 1]:>12.6g}")
        foot = ["=" * width]
        if self.closed_form:
            foot.append(f"Closed-form check: {self.closed_form_gap:.2e} largest relative gap "
                        f"({', '.join(self.closed_form)})")
        foot.append(f"Optimizer: {self.message}")
        return "\n".join(head + rows + foot)

    def __repr__(self):
        return (f"FitResult(dist={self.dist.name!r}, params={self.params}, llf={self.llf:.6g}, "
                f"converged={self.converged}, nobs={self.nobs:g})")

    def __str__(self):
        return self.summary()
