"""Regression by maximum likelihood (issue 5): parity with statsmodels, closed forms, kernel
mathematics, bad input, and the scikit-learn-style estimators.

Parity is with statsmodels' own fits (its discrete models for plain fits, its
GLM with ``freq_weights`` for weighted ones) at small N; the N = 1e6 speed
comparison lives in ``bench/test_bench_regression.py`` and ``fastmle bench``.
"""
import warnings

import numpy as np
import pytest

import fastmle
from fastmle import _glm

sm = pytest.importorskip("statsmodels.api")

RTOL = 1e-6


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def design(rng, n, p, const=True):
    X = rng.standard_normal((n, p))
    if const:
        X[:, 0] = 1.0
    return X


@pytest.fixture
def rng():
    return np.random.default_rng(20261128)


# -- parity with statsmodels ---------------------------------------------------------
def test_logit_spector_matches_statsmodels():
    d = sm.datasets.spector.load_pandas()
    X, y = sm.add_constant(d.exog), d.endog
    ref = sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    res = fastmle.Logit(y, X).fit()
    assert res.converged
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert list(res.params.index) == list(X.columns)            # pandas names kept
    assert list(res.cov_params().columns) == list(X.columns)
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    assert res.llnull == pytest.approx(ref.llnull, rel=1e-9)
    assert res.prsquared == pytest.approx(ref.prsquared, rel=1e-9)
    assert res.llr_pvalue == pytest.approx(ref.llr_pvalue, rel=1e-7)
    assert res.aic == pytest.approx(ref.aic, rel=1e-12) and res.bic == pytest.approx(ref.bic, rel=1e-12)
    assert rel(res.pvalues, ref.pvalues) < 1e-5
    assert np.allclose(np.asarray(res.conf_int(0.1)), np.asarray(ref.conf_int(0.1)), rtol=1e-6)
    assert rel(res.predict(), ref.predict()) < 1e-6
    text = str(res.summary())
    assert "GPA" in text and "Logit" in text


def test_poisson_and_nb2_randhie_match_statsmodels():
    # the RAND health insurance data (20190 rows) that statsmodels' count-model docs use
    d = sm.datasets.randhie.load_pandas()
    X, y = sm.add_constant(d.exog), d.endog
    ref = sm.Poisson(y, X).fit(disp=0, method="newton", tol=1e-12)
    res = fastmle.Poisson(y, X).fit()
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    ref = sm.NegativeBinomial(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    res = fastmle.NegativeBinomial(y, X).fit()
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    assert list(res.params.index) == list(X.columns) + ["alpha"]


@pytest.mark.parametrize("seed", [1, 2])
def test_logit_synthetic_with_offset_matches_statsmodels(seed):
    rng = np.random.default_rng(seed)
    n = 4000
    X = design(rng, n, 5)
    off = 0.3 * rng.standard_normal(n)
    beta = np.array([-0.5, 0.8, -0.3, 0.2, 0.0])
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ beta + off)))).astype(float)
    ref = sm.Logit(y, X, offset=off).fit(disp=0, method="newton", tol=1e-12)
    res = fastmle.Logit(y, X, offset=off).fit()
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    assert res.llnull == pytest.approx(ref.llnull, rel=1e-9)     # null model keeps the offset


def test_logit_weights_match_glm_freq_weights(rng):
    n = 3000
    X = design(rng, n, 4)
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ [0.2, 0.5, -1.0, 0.3])))).astype(float)
    w = rng.integers(0, 4, n).astype(float)
    ref = sm.GLM(y, X, family=sm.families.Binomial(), freq_weights=w).fit(tol=1e-13)
    res = fastmle.Logit(y, X, weights=w).fit()
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert res.llf == pytest.approx(ref.llf, rel=1e-10)


def test_poisson_offset_exposure_match_statsmodels(rng):
    n = 5000
    X = design(rng, n, 5)
    off, expo = 0.2 * rng.standard_normal(n), rng.uniform(0.5, 3.0, n)
    y = rng.poisson(np.exp(X @ [0.3, 0.2, -0.4, 0.1, 0.05] + off) * expo)
    ref = sm.Poisson(y, X, offset=off, exposure=expo).fit(disp=0, method="newton", tol=1e-12)
    res = fastmle.Poisson(y, X, offset=off, exposure=expo).fit()
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    assert res.llnull == pytest.approx(ref.llnull, rel=1e-9)
    new = design(rng, 7, 5)
    assert rel(res.predict(new, exposure=np.full(7, 2.0)),
               ref.predict(new, exposure=np.full(7, 2.0), offset=np.zeros(7))) < 1e-6


def test_poisson_weights_match_glm_freq_weights(rng):
    n = 3000
    X = design(rng, n, 3)
    y = rng.poisson(np.exp(X @ [1.0, 0.3, -0.2]))
    w = rng.integers(1, 5, n).astype(float)
    ref = sm.GLM(y, X, family=sm.families.Poisson(), freq_weights=w).fit(tol=1e-13)
    res = fastmle.Poisson(y, X, weights=w).fit()
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert res.llf == pytest.approx(ref.llf, rel=1e-10)


@pytest.mark.parametrize("alpha", [0.3, 2.0])
def test_negative_binomial_matches_statsmodels(rng, alpha):
    n = 3000
    X = design(rng, n, 4)
    off, expo = 0.1 * rng.standard_normal(n), rng.uniform(0.5, 2.0, n)
    mu = np.exp(X @ [0.8, 0.3, -0.2, 0.1] + off) * expo
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu))
    ref = sm.NegativeBinomial(y, X, offset=off, exposure=expo).fit(disp=0, method="newton", tol=1e-12,
                                                                   maxiter=200)
    res = fastmle.NegativeBinomial(y, X, offset=off, exposure=expo).fit()
    assert res.converged
    assert rel(res.params, ref.params) < RTOL and rel(res.bse, ref.bse) < RTOL
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    assert res.model.exog_names[-1] == "alpha"


def test_gaussian_equals_normal_equations_and_ols(rng):
    n, p = 2000, 4
    X = design(rng, n, p)
    y = X @ [1.0, 2.0, -1.0, 0.5] + rng.standard_normal(n) + 1e3   # far from the origin
    res = fastmle.GaussianLM(y, X).fit()
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    assert rel(res.params, beta) < 1e-10
    rss = float(((y - X @ beta) ** 2).sum())
    assert res.scale == pytest.approx(rss / n, rel=1e-10)
    assert rel(res.bse, np.sqrt(np.diag(rss / n * np.linalg.inv(X.T @ X)))) < 1e-10
    ols = sm.OLS(y, X).fit()
    # statsmodels' OLS divides the residual sum of squares by n - p, the MLE by n
    assert rel(res.bse * np.sqrt(n / (n - p)), ols.bse) < 1e-10
    assert res.llf == pytest.approx(ols.llf, rel=1e-12)
    assert res.rsquared == pytest.approx(ols.rsquared, rel=1e-9)
    assert rel(res.fittedvalues, ols.fittedvalues) < 1e-12


def test_gaussian_weights_are_frequency_weights(rng):
    n = 500
    X = design(rng, n, 3)
    y = X @ [1.0, -1.0, 0.5] + rng.standard_normal(n)
    w = rng.integers(1, 4, n)
    res = fastmle.GaussianLM(y, X, weights=w.astype(float)).fit()
    rep = fastmle.GaussianLM(np.repeat(y, w), np.repeat(X, w, axis=0)).fit()
    assert rel(res.params, rep.params) < 1e-10 and rel(res.bse, rep.bse) < 1e-10
    assert res.llf == pytest.approx(rep.llf, rel=1e-12)


# -- closed forms -------------------------------------------------------------------
def test_intercept_only_logit_and_poisson_closed_forms(rng):
    n = 1000
    ones = np.ones((n, 1))
    yb = (rng.random(n) < 0.3).astype(float)
    m = yb.mean()
    r = fastmle.Logit(yb, ones).fit()
    assert r.params[0] == pytest.approx(np.log(m / (1 - m)), rel=1e-12)
    assert r.bse[0] == pytest.approx(1 / np.sqrt(n * m * (1 - m)), rel=1e-10)
    assert r.llf == pytest.approx(n * (m * np.log(m) + (1 - m) * np.log(1 - m)), rel=1e-12)
    assert r.llnull == pytest.approx(r.llf, rel=1e-12) and abs(r.prsquared) < 1e-12
    yc = rng.poisson(3.0, n)
    r = fastmle.Poisson(yc, ones).fit()
    assert r.params[0] == pytest.approx(np.log(yc.mean()), rel=1e-12)
    assert r.bse[0] == pytest.approx(1 / np.sqrt(yc.sum()), rel=1e-10)


# -- kernel mathematics ----------------------------------------------------------
def _ll(fam, X, y, w, off, beta, alpha):
    return _glm.glm_pass(X, y, w, off, beta, fam, alpha, 0, 1)[0][0]


@pytest.mark.parametrize("fam", ["logit", "poisson", "nb2", "gaussian"])
def test_kernel_derivatives_match_finite_differences(rng, fam):
    n, p = 300, 4
    X = design(rng, n, p)
    beta = np.array([0.2, -0.3, 0.1, 0.4])
    eta = X @ beta
    y = {"logit": (rng.random(n) < 0.5).astype(float), "poisson": rng.poisson(np.exp(eta)).astype(float),
         "nb2": rng.negative_binomial(2, 2 / (2 + np.exp(eta))).astype(float) * 7,   # counts up to ~100
         "gaussian": eta + rng.standard_normal(n)}[fam]
    w, off, alpha = rng.uniform(0.5, 2, n), 0.1 * rng.standard_normal(n), 0.7
    s, g, cross, A = _glm.glm_pass(X, y, w, off, beta, fam, alpha, 2, 1)
    h = 1e-5
    e = np.eye(p)
    fd_g = np.array([(_ll(fam, X, y, w, off, beta + h * e[j], alpha)
                      - _ll(fam, X, y, w, off, beta - h * e[j], alpha)) / (2 * h) for j in range(p)])
    assert np.allclose(g, fd_g, rtol=1e-6, atol=1e-6 * np.abs(g).max())
    fd_H = np.array([(_glm.glm_pass(X, y, w, off, beta + h * e[j], fam, alpha, 1, 1)[1]
                      - _glm.glm_pass(X, y, w, off, beta - h * e[j], fam, alpha, 1, 1)[1]) / (2 * h)
                     for j in range(p)])
    assert np.allclose(-A, fd_H, rtol=1e-6, atol=1e-6 * np.abs(A).max())
    if fam == "nb2":
        fa = (_ll(fam, X, y, w, off, beta, alpha + h) - _ll(fam, X, y, w, off, beta, alpha - h)) / (2 * h)
        assert s[1] == pytest.approx(fa, rel=1e-6)
        sp = _glm.glm_pass(X, y, w, off, beta, fam, alpha + h, 1, 1)
        sm_ = _glm.glm_pass(X, y, w, off, beta, fam, alpha - h, 1, 1)
        assert s[2] == pytest.approx((sp[0][1] - sm_[0][1]) / (2 * h), rel=1e-6)
        assert np.allclose(cross, (sp[1] - sm_[1]) / (2 * h), rtol=1e-6, atol=1e-6 * np.abs(cross).max())


def test_nb2_loglike_matches_the_textbook_formula(rng):
    from scipy.special import gammaln
    n = 400
    X = design(rng, n, 2)
    beta, a = np.array([1.5, 0.5]), 0.4
    mu = np.exp(X @ beta)
    y = rng.negative_binomial(1 / a, 1 / (1 + a * mu)).astype(float)   # counts on both sides of 16
    assert y.max() > 16 and y.min() < 16
    r = 1 / a
    ref = (gammaln(y + r) - gammaln(r) - gammaln(y + 1) + r * np.log(r / (r + mu))
           + y * np.log(mu / (r + mu))).sum()
    model = fastmle.NegativeBinomial(y, X)
    assert model.loglike(np.append(beta, a)) == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("fam", ["logit", "poisson", "nb2", "gaussian"])
def test_kernel_threads_dtypes_strides_bitwise(rng, fam):
    n, p = 20000, 7                     # several blocks: two threads share them
    X = design(rng, n, p).astype(np.float32)
    y = {"logit": (rng.random(n) < 0.5).astype(float), "gaussian": rng.standard_normal(n)}.get(
        fam, rng.poisson(3.0, n).astype(float))
    w, off = rng.uniform(0, 2, n), 0.1 * rng.standard_normal(n)
    beta = rng.standard_normal(p) * 0.2
    a = _glm.glm_pass(X, y, w, off, beta, fam, 0.5, 2, 1)
    b = _glm.glm_pass(X, y, w, off, beta, fam, 0.5, 2, 2)
    c = _glm.glm_pass(X.astype(np.float64), y, w, off, beta, fam, 0.5, 2, 2)
    d = _glm.glm_pass(np.asfortranarray(X), y, w, off, beta, fam, 0.5, 2, 2)
    for other in (b, c, d):
        assert all(np.array_equal(u, v) for u, v in zip(a, other))
    # the implicit intercept column equals an explicit one
    e = _glm.glm_pass(X[:, 1:], y, w, off, beta, fam, 0.5, 2, 2, True)
    assert all(np.array_equal(u, v) for u, v in zip(a, e))


def test_float32_and_readonly_inputs_fit(rng):
    n = 2000
    X = design(rng, n, 3)
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ [0.1, 1.0, -0.5]))).astype(float)
    X32 = X.astype(np.float32)
    X32.setflags(write=False)
    r32 = fastmle.Logit(y, X32).fit()
    r64 = fastmle.Logit(y, X32.astype(np.float64)).fit()
    assert np.array_equal(r32.params, r64.params)


def test_weights_equal_repeated_rows(rng):
    n = 400
    X = design(rng, n, 3)
    y = rng.poisson(np.exp(X @ [0.5, 0.2, -0.3]))
    w = rng.integers(0, 4, n)
    for M in (fastmle.Poisson, fastmle.NegativeBinomial):
        a = M(y, X, weights=w.astype(float)).fit()
        b = M(np.repeat(y, w), np.repeat(X, w, axis=0)).fit()
        assert rel(a.params, b.params) < 1e-8 and rel(a.bse, b.bse) < 1e-7
        assert a.nobs == b.nobs == w.sum()


def test_large_n_warm_start_reaches_the_same_optimum(rng):
    n = 250_000                          # above the subsample warm-start threshold
    X = design(rng, n, 4)
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ [0.3, 0.5, -0.2, 0.1]))).astype(float)
    a = fastmle.Logit(y, X).fit()
    b = fastmle.Logit(y, X).fit(start_params=np.zeros(4))
    assert a.converged and b.converged
    assert np.max(np.abs(a.params - b.params)) < 1e-8


def test_lbfgs_reaches_the_newton_optimum(rng):
    n = 2000
    X = design(rng, n, 4)
    y = rng.poisson(np.exp(X @ [0.5, 0.2, -0.3, 0.1]))
    a = fastmle.Poisson(y, X).fit()
    b = fastmle.Poisson(y, X).fit(method="lbfgs", tol=1e-10)
    assert b.converged and np.max(np.abs(a.params - b.params)) < 1e-6


def test_l2_is_a_map_estimate(rng):
    n = 500
    X = design(rng, n, 4)
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ [0.3, 1.5, -1.0, 0.5]))).astype(float)
    lam = 10.0
    res = fastmle.Logit(y, X).fit(l2=lam)
    b = np.asarray(res.params)
    pen = np.array([0.0, 1, 1, 1]) * lam
    grad = fastmle.Logit(y, X).score(b) - pen * b          # gradient of the log-posterior
    assert np.max(np.abs(grad)) < 1e-8 * n
    assert res.llf == pytest.approx(fastmle.Logit(y, X).loglike(b), rel=1e-12)
    H = fastmle.Logit(y, X).hessian(b) - np.diag(pen)
    assert np.allclose(res.cov_params(), np.linalg.inv(-H), rtol=1e-8)
    assert "MAP" in str(res.summary())


# -- bad input and degenerate data ----------------------------------------------
def test_perfect_separation_warns_and_stops(rng):
    n = 200
    X = design(rng, n, 2)
    y = (X[:, 1] > 0).astype(float)
    with pytest.warns(fastmle.PerfectSeparationWarning):
        res = fastmle.Logit(y, X).fit()
    assert not res.converged and np.all(np.isfinite(res.params))
    assert res.n_iter < 100


def test_quasi_separation_warns(rng):
    n = 200
    X = design(rng, n, 3)
    y = (rng.random(n) < 0.5).astype(float)
    X[:, 2] = 0.0
    X[:10, 2] = 1.0
    y[:10] = 1.0                         # x2 = 1 predicts y = 1 perfectly
    with pytest.warns(fastmle.PerfectSeparationWarning):
        res = fastmle.Logit(y, X).fit()
    assert not res.converged and np.all(np.isfinite(res.params))


def test_collinear_columns_are_named(rng):
    n = 100
    X = design(rng, n, 4)
    X[:, 3] = 2 * X[:, 1] - X[:, 2]
    y = rng.poisson(2.0, n)
    with pytest.raises(ValueError, match="collinear.*x1, x2, x3"):
        fastmle.Poisson(y, X).fit()
    import pandas as pd
    df = pd.DataFrame(X, columns=["const", "age", "height", "combo"])
    with pytest.raises(ValueError, match="age, height, combo"):
        fastmle.Logit((y > 2).astype(float), df).fit()
    X[:, 2] = 0.0
    with pytest.raises(ValueError, match="x2 are all zero"):
        fastmle.GaussianLM(rng.standard_normal(n), X[:, :3]).fit()


@pytest.mark.parametrize("where", ["X", "y"])
def test_nan_inputs_raise(rng, where):
    n = 50
    X = design(rng, n, 3)
    y = (rng.random(n) < 0.5).astype(float)
    if where == "X":
        X[7, 2] = np.nan
        with pytest.raises(ValueError, match="NaN or inf in column.*x2"):
            fastmle.Logit(y, X).fit()
    else:
        y[3] = np.nan
        with pytest.raises(ValueError, match="NaN"):
            fastmle.Logit(y, X)


def test_invalid_responses_raise(rng):
    X = design(rng, 20, 2)
    with pytest.raises(ValueError, match="0 or 1"):
        fastmle.Logit(np.r_[np.zeros(19), 2.0], X)
    with pytest.raises(ValueError, match="non-negative"):
        fastmle.Poisson(np.r_[np.ones(19), -1.0], X)
    with pytest.raises(ValueError, match="integer"):
        fastmle.Poisson(np.r_[np.ones(19), 0.5], X)
    with pytest.raises(ValueError, match="weights"):
        fastmle.Poisson(np.ones(20), X, weights=-np.ones(20))
    with pytest.raises(ValueError, match="exposure"):
        fastmle.Poisson(np.ones(20), X, exposure=np.zeros(20))
    with pytest.raises(ValueError, match="rows"):
        fastmle.Poisson(np.ones(19), X)
    with pytest.raises(ValueError, match="no columns"):
        fastmle.Logit(np.ones(20), np.empty((20, 0)))
    with pytest.raises(TypeError, match="numeric"):
        fastmle.Logit(np.ones(20), np.array([["a"]] * 20))


# -- scikit-learn-style estimators -----------------------------------------------
def test_logistic_regression_matches_sklearn(rng):
    sk = pytest.importorskip("sklearn.linear_model")
    n = 1000
    X = rng.standard_normal((n, 3))
    y = np.where(rng.random(n) < 1 / (1 + np.exp(-(X @ [1.0, -0.5, 0.2] + 0.3))), "yes", "no")
    for C in (1.0, np.inf):
        ref = sk.LogisticRegression(C=C, tol=1e-10, max_iter=10000).fit(X, y)
        est = fastmle.LogisticRegression(C=C).fit(X, y)
        assert np.allclose(est.coef_, ref.coef_, atol=1e-6) and np.allclose(est.intercept_, ref.intercept_,
                                                                              atol=1e-6)
        assert np.allclose(est.predict_proba(X), ref.predict_proba(X), atol=1e-6)
        assert np.array_equal(est.predict(X), ref.predict(X))


def test_poisson_regressor_matches_sklearn_and_clones(rng):
    sk = pytest.importorskip("sklearn.linear_model")
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    n = 1000
    X = rng.standard_normal((n, 3))
    y = rng.poisson(np.exp(X @ [0.3, -0.2, 0.1] + 0.5))
    w = rng.uniform(0.5, 2.0, n)
    for alpha in (0.0, 0.1):
        ref = sk.PoissonRegressor(alpha=alpha, tol=1e-12, max_iter=10000).fit(X, y, sample_weight=w)
        est = fastmle.PoissonRegressor(alpha=alpha).fit(X, y, sample_weight=w)
        assert np.allclose(est.coef_, ref.coef_, atol=1e-6) and est.intercept_ == pytest.approx(ref.intercept_,
                                                                                                 abs=1e-6)
    pipe = make_pipeline(StandardScaler(), clone(fastmle.PoissonRegressor(alpha=0.0)))
    pipe.fit(X, y)
    assert pipe.predict(X[:5]).shape == (5,)
    assert clone(fastmle.LogisticRegression(C=3.0)).get_params()["C"] == 3.0


@pytest.mark.parametrize("intercept", [False, True])
@pytest.mark.parametrize("fam", ["logit", "poisson", "gaussian"])
def test_blas_route_for_wide_designs_equals_the_kernel(rng, fam, intercept):
    from fastmle.regression import _kernel
    n, p = 700, _kernel.BLAS_MIN_P + 3
    X = rng.standard_normal((n, p)).astype(np.float32)
    beta = rng.standard_normal(p + intercept) * 0.02
    y = {"logit": (rng.random(n) < 0.5).astype(float), "poisson": rng.poisson(1.0, n).astype(float),
         "gaussian": rng.standard_normal(n)}[fam]
    w, off = rng.uniform(0, 2, n), 0.1 * rng.standard_normal(n)
    a = _glm.glm_pass(X, y, w, off, beta, fam, 0.0, 2, 2, intercept)
    b = _kernel.glm_pass(X, y, w, off, beta, fam, 0.0, 2, 2, intercept)
    assert a[0][0] == pytest.approx(b[0][0], rel=1e-13)
    assert np.allclose(a[1], b[1], rtol=1e-12, atol=1e-12 * np.abs(a[1]).max())
    assert np.allclose(a[3], b[3], rtol=1e-12, atol=1e-12 * np.abs(a[3]).max())
    assert np.array_equal(b[3], b[3].T)


def test_nb2_without_overdispersion_stops_at_the_boundary(rng):
    n = 2000
    X = design(rng, n, 3)
    # binomial counts: variance below the mean, so the NB2 likelihood rises as alpha -> 0
    y = rng.binomial(10, np.exp(X @ [0.5, 0.2, -0.1]) / 10)
    with pytest.warns(fastmle.ConvergenceWarning, match="alpha -> 0"):
        res = fastmle.NegativeBinomial(y, X).fit()
    pois = fastmle.Poisson(y, X).fit()
    assert not res.converged and res.params[-1] < 1e-9
    assert np.max(np.abs(res.params[:-1] - pois.params)) < 1e-6    # the Poisson fit, in the limit
    assert res.n_iter < 60


def test_constant_response_is_separation_not_a_hang(rng):
    X = design(rng, 300, 3)
    for y in (np.zeros(300), np.ones(300)):
        with pytest.warns(fastmle.PerfectSeparationWarning):
            res = fastmle.Logit(y, X).fit()
        assert not res.converged and res.n_iter < 50


def test_l2_nb2_and_poisson_llf_is_the_log_likelihood(rng):
    n = 400
    X = design(rng, n, 3)
    y = rng.negative_binomial(2, 2 / (2 + np.exp(X @ [0.5, 0.3, -0.2])))
    for M in (fastmle.Poisson, fastmle.NegativeBinomial):
        res = M(y, X).fit(l2=5.0)
        assert res.converged
        assert res.llf == pytest.approx(M(y, X).loglike(np.asarray(res.params)), rel=1e-12)
        assert res.llf < M(y, X).fit().llf                       # the MAP is not the maximum


def test_chi2_survival_function_matches_scipy():
    from scipy.stats import chi2

    from fastmle.regression._results import _chi2_sf
    for k in (1, 2, 3, 7, 20, 150):
        for x in (1e-6, 0.1, 0.5 * k, k, k + 3 * np.sqrt(2 * k), 10 * k + 50):
            assert _chi2_sf(x, k) == pytest.approx(chi2.sf(x, k), rel=1e-10, abs=1e-300)
    assert _chi2_sf(0.0, 3) == 1.0 and _chi2_sf(np.inf, 3) == 0.0


def test_bench_regression_section_runs(tmp_path, capsys):
    pytest.importorskip("sklearn")
    import json

    from fastmle._cli import main
    out_json = tmp_path / "bench.json"
    code = main(["bench", "--sizes", "2000", "--dists", "Logit,Poisson", "--repeat", "2", "--budget", "0.1",
                 "--json", str(out_json)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "statsmodels (ms)" in captured.out and "Logit p=20" in captured.out
    doc = json.loads(out_json.read_text())
    assert doc["results"] == []                   # no distribution case was asked for
    rows = doc["regression"]
    assert [r["case"] for r in rows] == ["Logit p=20", "Poisson p=20"]
    for r in rows:
        assert set(r["status"].values()) == {"ok"}
        assert all(len(t) >= 2 for t in r["times_s"].values())
        # the three fits reach the same optimum
        assert max(r["max_abs_dparam"].values()) <= 1e-6


@pytest.mark.parametrize("access_names_first", [False, True])
def test_a_column_of_ones_on_the_sample_only_is_not_taken_for_the_constant(rng, access_names_first):
    n = 5000
    X = design(rng, n, 3, const=False)
    X[:, 1] = 1.0
    X[3, 1] = 2.0                        # row 3 is not among the ~1000 sampled rows
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ [0.5, 0.2, -0.3])))).astype(float)
    model = fastmle.Logit(y, X)
    assert model._const == [1]           # the sampled guess
    if access_names_first:
        assert model.exog_names == ["x1", "x2", "x3"] and model.k_constant == 0
    res = model.fit(l2=1.0)              # the prior would spare a constant column
    assert model.exog_names == ["x1", "x2", "x3"] and model.k_constant == 0
    pen = np.ones(3)                      # every coefficient penalized: no constant column
    grad = fastmle.Logit(y, X).score(res.params) - pen * res.params
    assert np.max(np.abs(grad)) < 1e-8 * n
    X[3, 1] = 1.0                         # now truly constant: spared by the prior, named const
    res = fastmle.Logit(y, X).fit(l2=1.0)
    assert res.model.exog_names == ["x1", "const", "x2"] and res.model.k_constant == 1


@pytest.mark.parametrize("p", [5, 200])      # our tiles and the BLAS route
def test_kernel_counts_rows_off_the_constant(rng, p):
    from fastmle.regression import _kernel
    n = 3000
    X = rng.standard_normal((n, p))
    X[:, 2] = 1.0
    X[[10, 2000, 2999], 2] = 0.5
    y = (rng.random(n) < 0.5).astype(float)
    for intercept in (False, True):
        s = _kernel.glm_pass(X, y, None, None, np.zeros(p + intercept), "logit", 0.0, 2, 2, intercept,
                             2 + intercept)[0]
        assert s[4] == 3
        s = _kernel.glm_pass(X, y, None, None, np.zeros(p + intercept), "logit", 0.0, 2, 2, intercept, -1)[0]
        assert s[4] == 0
