"""scikit-learn-style estimators over the regression fits (scikit-learn is not needed).

``fit(X, y, sample_weight=None)`` returns ``self`` and sets ``coef_`` and
``intercept_``; ``get_params``/``set_params`` follow scikit-learn's
convention (constructor arguments only), so ``sklearn.base.clone`` and
pipelines work. The intercept is an implicit column of the kernel: ``X`` is
never copied to add it. ``result_`` keeps the full :class:`RegressionResults`
(standard errors, p-values) that scikit-learn's own estimators do not give.
"""
import inspect

import numpy as np

from ._models import Logit, Poisson

__all__ = ["LogisticRegression", "PoissonRegressor"]


class _Estimator:
    def get_params(self, deep=True):
        """Constructor arguments (scikit-learn's estimator API)."""
        return {name: getattr(self, name) for name in inspect.signature(type(self).__init__).parameters
                if name != "self"}

    def set_params(self, **params):
        """Set constructor arguments; returns self."""
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"invalid parameter {key!r} for {type(self).__name__}")
            setattr(self, key, value)
        return self

    def __sklearn_tags__(self):
        """scikit-learn >= 1.6 asks every estimator in a pipeline for its tags;
        built here from scikit-learn itself (imported only when it asks)."""
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags
        classifier = self._estimator_type == "classifier"
        return Tags(estimator_type=self._estimator_type, target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags() if classifier else None,
                    regressor_tags=None if classifier else RegressorTags())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _design(self, X):
        if hasattr(X, "to_numpy") and hasattr(X, "columns"):
            X = X.to_numpy()
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, got shape {X.shape}")
        if X.dtype not in (np.float32, np.float64):
            X = X.astype(np.float64)
        return X

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise AttributeError(f"this {type(self).__name__} is not fitted yet; call fit(X, y) first")

    def _linear(self, X):
        self._check_fitted()
        X = self._design(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, the model was fitted with {self.n_features_in_}")
        return X @ np.ravel(self.coef_) + float(np.ravel(self.intercept_)[0])


class LogisticRegression(_Estimator):
    """Binary logistic regression, scikit-learn's interface, fastmle's Newton fit.

    Parameters
    ----------
    C : float
        Inverse strength of the L2 penalty, as in scikit-learn: the objective
        is ``sum_i w_i loss_i + ||coef||^2 / (2 C)`` (the intercept is not
        penalized). ``C=np.inf`` (or ``penalty=None``) is plain maximum likelihood.
    penalty : {"l2", None}
    fit_intercept : bool
    tol : float
        Newton step tolerance (relative).
    max_iter : int
    n_threads : int, optional

    Attributes
    ----------
    classes_, coef_ (1, n_features), intercept_ (1,), n_iter_ (1,), result_
    """

    _estimator_type = "classifier"

    def __init__(self, C=1.0, penalty="l2", fit_intercept=True, tol=1e-8, max_iter=100, n_threads=None):
        self.C = C
        self.penalty = penalty
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.n_threads = n_threads

    def fit(self, X, y, sample_weight=None):
        """Fit to ``X`` (n, p) and binary labels ``y``; returns self."""
        X = self._design(X)
        y = np.asarray(y)
        classes = np.unique(y)
        if classes.shape[0] != 2:
            raise ValueError(f"LogisticRegression needs exactly 2 classes in y, found {classes.shape[0]}")
        if self.penalty not in ("l2", None, "none"):
            raise ValueError(f"penalty must be 'l2' or None, got {self.penalty!r}")
        l2 = 0.0 if self.penalty in (None, "none") or not np.isfinite(self.C) else 1.0 / float(self.C)
        yb = (y == classes[1]).astype(np.float64)
        model = Logit(yb, X, weights=sample_weight, n_threads=self.n_threads, _intercept=self.fit_intercept)
        res = model.fit(maxiter=self.max_iter, tol=self.tol, l2=l2)
        params = np.asarray(res._params)
        self.classes_ = classes
        self.coef_ = params[int(self.fit_intercept):][None, :]
        self.intercept_ = np.array([params[0] if self.fit_intercept else 0.0])
        self.n_iter_ = np.array([res.n_iter])
        self.n_features_in_ = X.shape[1]
        self.result_ = res
        return self

    def decision_function(self, X):
        """Linear predictor (log-odds of ``classes_[1]``)."""
        return self._linear(X)

    def predict_proba(self, X):
        """Probabilities of ``classes_[0]`` and ``classes_[1]``, shape (n, 2)."""
        eta = self._linear(X)
        e = np.exp(-np.abs(eta))
        p1 = np.where(eta >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return np.column_stack([1.0 - p1, p1])

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))

    def predict(self, X):
        """The more probable class."""
        return self.classes_[(self._linear(X) > 0).astype(int)]

    def score(self, X, y, sample_weight=None):
        """Mean accuracy."""
        return float(np.average(self.predict(X) == np.asarray(y), weights=sample_weight))


class PoissonRegressor(_Estimator):
    """Poisson regression (log link), scikit-learn's interface, fastmle's Newton fit.

    Parameters
    ----------
    alpha : float
        L2 penalty as in scikit-learn: the objective is
        ``mean deviance / 2 + alpha/2 ||coef||^2`` (weighted mean with
        sample weights); ``alpha=0`` is plain maximum likelihood.
    fit_intercept : bool
    tol : float
    max_iter : int
    n_threads : int, optional
    """

    _estimator_type = "regressor"

    def __init__(self, alpha=1.0, fit_intercept=True, tol=1e-8, max_iter=100, n_threads=None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.n_threads = n_threads

    def fit(self, X, y, sample_weight=None):
        """Fit to ``X`` (n, p) and counts ``y``; returns self."""
        X = self._design(X)
        model = Poisson(y, X, weights=sample_weight, n_threads=self.n_threads, _intercept=self.fit_intercept)
        # scikit-learn divides the log-likelihood by the sum of the weights
        l2 = float(self.alpha) * model.nobs
        res = model.fit(maxiter=self.max_iter, tol=self.tol, l2=l2)
        params = np.asarray(res._params)
        self.coef_ = params[int(self.fit_intercept):]
        self.intercept_ = float(params[0]) if self.fit_intercept else 0.0
        self.n_iter_ = res.n_iter
        self.n_features_in_ = X.shape[1]
        self.result_ = res
        return self

    def predict(self, X):
        """Predicted mean counts."""
        return np.exp(self._linear(X))

    def score(self, X, y, sample_weight=None):
        """D^2, the fraction of Poisson deviance explained (scikit-learn's score)."""
        y = np.asarray(y, dtype=float)
        mu = self.predict(X)
        ybar = np.average(y, weights=sample_weight)

        def dev(m):
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(y > 0, y * np.log(y / m), 0.0) - y + m
            return float(np.average(2 * t, weights=sample_weight))
        return 1.0 - dev(mu) / dev(np.full_like(y, ybar))
