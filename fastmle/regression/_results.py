"""Results of a regression fit, with statsmodels' inference API.

``params``, ``bse``, ``tvalues``/``zvalues``, ``pvalues``, ``cov_params()``,
``conf_int(alpha)``, ``llf``, ``llnull``, ``prsquared``, ``aic``, ``bic``,
``nobs``, ``converged``, ``n_iter``, ``mle_retvals``, ``summary()``,
``predict(exog)``. Inference is Wald (normal) inference from the inverse
negative Hessian at the estimate, as statsmodels' discrete models do.
Pandas inputs give pandas outputs labelled with the column names.
"""
import math
import statistics
from datetime import datetime

import numpy as np

from ._data import pandas_module

__all__ = ["RegressionResults"]

_NORMAL = statistics.NormalDist()


def _norm_sf2(z):
    """Two-sided normal tail probability ``2 * P(Z > |z|)`` (accurate in the far tail)."""
    return np.array([math.erfc(abs(v) / math.sqrt(2.0)) if math.isfinite(v) else
                     (0.0 if not math.isnan(v) else math.nan) for v in np.ravel(z)])


def _chi2_sf(x, k):
    """``P(chi2_k > x)`` = Q(k/2, x/2), the regularized upper incomplete gamma function.

    Power series of P(a, z) for z < a + 1, Lentz's continued fraction for Q
    otherwise (DLMF 8.7.1 and 8.9.2); both converge to full double precision
    within a few hundred terms for the arguments met here.
    """
    if not x > 0.0:
        return 1.0
    if math.isinf(x):
        return 0.0
    a, z = 0.5 * k, 0.5 * x
    log_pre = a * math.log(z) - z - math.lgamma(a)
    if z < a + 1.0:
        term = total = 1.0 / a
        n = a
        for _ in range(10_000):
            n += 1.0
            term *= z / n
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return max(0.0, 1.0 - math.exp(log_pre) * total)
    tiny = 1e-300
    b = z + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return math.exp(log_pre) * h


class RegressionResults:
    """The fit of a :class:`Logit`, :class:`Poisson`, :class:`NegativeBinomial` or :class:`GaussianLM`.

    Attributes
    ----------
    model : the model instance
    params : ndarray or pandas.Series
        Estimates (MAP with ``l2 > 0``); NB2: coefficients then ``alpha``.
    bse : standard errors, ``sqrt(diag(cov_params()))``
    tvalues, zvalues : ``params / bse``
    pvalues : two-sided normal p-values of the z statistics
    llf : log-likelihood at ``params`` (without the prior's term)
    llnull : log-likelihood of the intercept-only model (computed on first use)
    llr, llr_pvalue : likelihood ratio statistic against it and its chi-squared p-value
    prsquared : McFadden's pseudo R-squared ``1 - llf / llnull``
    aic, bic : ``-2 llf + 2 k``, ``-2 llf + log(nobs) k`` with k the number of estimated parameters
    nobs : number of observations (the sum of the weights)
    converged : bool
    n_iter : Newton (or L-BFGS) iterations
    mle_retvals : dict, how the optimizer ended
    l2 : the Gaussian prior's precision (0: maximum likelihood)
    """

    def __init__(self, model, params, cov, llf, converged, n_iter, mle_retvals, method, l2):
        self.model = model
        self._params = np.asarray(params, dtype=float)
        self._cov = np.asarray(cov, dtype=float)
        self.llf = float(llf)
        self.converged = bool(converged)
        self.n_iter = int(n_iter)
        self.mle_retvals = dict(mle_retvals)
        self.method = method
        self.l2 = float(l2)
        self.nobs = model.nobs
        self.scale = 1.0
        self._llnull = None

    # -- labelled outputs -------------------------------------------------------
    @property
    def _pandas(self):
        return self.model._design.pandas and pandas_module() is not None

    def _series(self, values, name=None):
        if self._pandas:
            return pandas_module().Series(values, index=list(self.model.exog_names), name=name)
        return values

    @property
    def k_params(self):
        return self._params.shape[0]

    @property
    def params(self):
        return self._series(self._params.copy())

    @property
    def bse(self):
        return self._series(self._bse())

    def _bse(self):
        with np.errstate(invalid="ignore"):
            return np.sqrt(np.diag(self._cov))

    @property
    def tvalues(self):
        return self._series(self._params / self._bse())

    zvalues = tvalues

    @property
    def pvalues(self):
        return self._series(_norm_sf2(self._params / self._bse()))

    def cov_params(self):
        """Covariance of the estimates: the inverse negative Hessian at the optimum
        (of the log-posterior when ``l2 > 0``)."""
        if self._pandas:
            names = list(self.model.exog_names)
            return pandas_module().DataFrame(self._cov.copy(), index=names, columns=names)
        return self._cov.copy()

    def conf_int(self, alpha=0.05):
        """Wald confidence intervals ``params -/+ z_{1-alpha/2} bse``; shape (k, 2)."""
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"alpha must be in (0, 1), got {alpha}")
        q = _NORMAL.inv_cdf(1.0 - alpha / 2.0)
        bse = self._bse()
        ci = np.column_stack([self._params - q * bse, self._params + q * bse])
        if self._pandas:
            return pandas_module().DataFrame(ci, index=list(self.model.exog_names), columns=[0, 1])
        return ci

    # -- likelihood summaries ------------------------------------------------------
    @property
    def llnull(self):
        if self._llnull is None:
            self._llnull = float(self.model._llnull())
        return self._llnull

    @property
    def llr(self):
        """Likelihood ratio statistic against the intercept-only model."""
        return 2.0 * (self.llf - self.llnull)

    @property
    def llr_pvalue(self):
        """p-value of ``llr`` against a chi-squared with ``df_model`` degrees of freedom."""
        return _chi2_sf(self.llr, self.df_model)

    @property
    def prsquared(self):
        return 1.0 - self.llf / self.llnull

    @property
    def df_model(self):
        return float(self.model.k_exog - self.model.k_constant)

    @property
    def df_resid(self):
        return float(self.nobs - self.model.k_exog)

    @property
    def _k_aic(self):
        return self.k_params + getattr(self.model, "_k_extra_aic", 0)

    @property
    def aic(self):
        return -2.0 * self.llf + 2.0 * self._k_aic

    @property
    def bic(self):
        return -2.0 * self.llf + math.log(self.nobs) * self._k_aic

    @property
    def fittedvalues(self):
        """The linear predictor at the data (statsmodels' discrete models' ``fittedvalues``)."""
        return self.predict(which="linear")

    @property
    def rsquared(self):
        """GaussianLM only: ``1 - RSS / TSS`` (TSS about the weighted mean of ``y - offset``),
        from the identity ``llf - llnull = nobs/2 log(TSS / RSS)`` of Gaussian MLEs."""
        if self.model._name != "GaussianLM":
            raise AttributeError("rsquared is defined for GaussianLM; use prsquared")
        return 1.0 - math.exp(-2.0 * (self.llf - self.llnull) / self.nobs)

    def predict(self, exog=None, offset=None, exposure=None, which="mean"):
        """Predicted mean (probability for Logit) or, with ``which="linear"``, the linear predictor.

        ``exog=None`` predicts for the fitted data (with its offset/exposure).
        """
        pred = self.model.predict(self._params, exog, offset=offset, exposure=exposure, which=which)
        if exog is not None and getattr(exog, "index", None) is not None and self._pandas \
                and hasattr(exog, "to_numpy"):
            return pandas_module().Series(pred, index=exog.index)
        return pred

    # -- summary -------------------------------------------------------------------
    def summary(self, alpha=0.05):
        """A statsmodels-style text summary (``print(res.summary())``)."""
        return Summary(self, alpha)


class Summary:
    """Text summary of a :class:`RegressionResults` (``str()``/``as_text()``)."""

    def __init__(self, res, alpha=0.05):
        self.res = res
        self.alpha = alpha

    def as_text(self):
        r = self.res
        m = r.model
        width = 78
        method = "MLE" if r.l2 == 0 else f"MAP (Gaussian prior, l2={r.l2:g})"
        left = [("Dep. Variable:", m.endog_name), ("Model:", m._name), ("Method:", method),
                ("Date:", datetime.now().strftime("%a, %d %b %Y")), ("converged:", str(r.converged)),
                ("Iterations:", str(r.n_iter)), ("", "")]
        right = [("No. Observations:", f"{r.nobs:g}"), ("Df Residuals:", f"{r.df_resid:g}"),
                 ("Df Model:", f"{r.df_model:g}"), ("Log-Likelihood:", f"{r.llf:.5g}"),
                 ("LL-Null:", f"{r.llnull:.5g}"), ("Pseudo R-squ.:", f"{r.prsquared:.4g}"),
                 ("LLR p-value:", f"{r.llr_pvalue:.4g}")]
        if m._name == "GaussianLM":
            right[-2] = ("Scale (sigma^2):", f"{r.scale:.5g}")
        lines = [f"{m._name} Regression Results".center(width), "=" * width]
        for (a, b), (c, d) in zip(left, right):
            lines.append(f"{a:<18}{b:>20}   {c:<20}{d:>17}")
        lines.append("=" * width)
        lo, hi = f"[{self.alpha / 2:g}", f"{1 - self.alpha / 2:g}]"
        lines.append(f"{'':<16}{'coef':>10}{'std err':>11}{'z':>9}{'P>|z|':>9}{lo:>11}{hi:>11}")
        lines.append("-" * width)
        params, bse = r._params, r._bse()
        z = params / bse
        p = _norm_sf2(z)
        ci = np.asarray(r.conf_int(self.alpha))
        for j, name in enumerate(m.exog_names):
            lines.append(f"{str(name)[:15]:<16}{params[j]:>10.4f}{bse[j]:>11.3f}{z[j]:>9.3f}{p[j]:>9.3f}"
                         f"{ci[j, 0]:>11.3f}{ci[j, 1]:>11.3f}")
        lines.append("=" * width)
        if r.l2 > 0:
            lines.append("Estimates are MAP under a Gaussian prior; std errors are posterior (Laplace) ones.")
        if not r.converged:
            lines.append(f"Warning: the fit did not converge ({r.mle_retvals.get('message')}).")
        return "\n".join(lines)

    def __str__(self):
        return self.as_text()

    __repr__ = __str__
