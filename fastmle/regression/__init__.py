"""Regression by maximum likelihood: statsmodels' models and inference, one kernel pass per iteration.

``Logit``, ``Poisson``, ``NegativeBinomial`` (NB2) and ``GaussianLM`` take
statsmodels' ``(endog, exog, ...)`` arguments and ``fit()`` returns a
:class:`RegressionResults`; ``LogisticRegression`` and ``PoissonRegressor``
are thin scikit-learn-style estimators over the same fits.
"""
from ._models import GaussianLM, Logit, NegativeBinomial, PerfectSeparationWarning, Poisson
from ._results import RegressionResults
from ._sklearn import LogisticRegression, PoissonRegressor

__all__ = ["Logit", "Poisson", "NegativeBinomial", "GaussianLM", "RegressionResults",
           "PerfectSeparationWarning", "LogisticRegression", "PoissonRegressor"]
