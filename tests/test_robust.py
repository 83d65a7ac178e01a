"""The sandwich (Huber-White) covariance: cov_type="robust"."""
import numpy as np
import pytest
import scipy.stats as st

import fastmle


def test_misspecified_exponential_scale_has_the_sample_variance():
    """Fitting expon (floc=0) to gamma data: the MLE of the scale is the mean,
    whose sandwich variance is var(x)/n (the model's own says mean^2/n)."""
    x = st.gamma.rvs(3.0, size=20000, random_state=2)
    r = fastmle.fit("expon", x, floc=0, cov_type="robust")
    n = x.shape[0]
    assert r.cov_type == "robust"
    np.testing.assert_allclose(r.bse[1], x.std() / np.sqrt(n), rtol=1e-10)
    np.testing.assert_allclose(r.cov_params("nonrobust")[1, 1], x.mean() ** 2 / n, rtol=1e-10)


def _sandwich(scores, hess):
    inv = np.linalg.inv(-hess)
    return inv @ (scores.T @ scores) @ inv


@pytest.mark.parametrize("weighted", [False, True])
def test_weibull_sandwich_equals_per_observation_scores(weighted):
    rng = np.random.default_rng(3)
    x = st.lognorm.rvs(0.6, size=3000, random_state=rng)       # misspecified on purpose
    w = rng.integers(1, 4, size=x.shape[0]).astype(float) if weighted else None
    r = fastmle.fit("weibull_min", x, floc=0, weights=w)
    c, _, s = r.params
    # per-observation scores of log f = log c - c log s + (c-1) log x - (x/s)^c
    u = (x / s) ** c
    scores = np.column_stack([1 / c + np.log(x / s) * (1 - u), c * (u - 1) / s])
    if weighted:
        scores = scores * np.sqrt(w)[:, None]
    hess = -np.linalg.inv(r.cov_params("nonrobust")[np.ix_([0, 2], [0, 2])])
    ref = _sandwich(scores, hess)
    got = r.cov_params("robust")[np.ix_([0, 2], [0, 2])]
    np.testing.assert_allclose(got, ref, rtol=1e-8)


def test_robust_matches_nonrobust_for_a_well_specified_large_sample():
    x = st.weibull_min.rvs(1.5, scale=2.0, size=200000, random_state=4)
    r = fastmle.fit("weibull_min", x, floc=0)
    np.testing.assert_allclose(r.cov_params("robust"), r.cov_params(), rtol=0.03, atol=1e-12)


def test_robust_covariance_of_a_censored_fit():
    rng = np.random.default_rng(5)
    x = st.weibull_min.rvs(1.5, scale=2.0, size=400, random_state=rng)
    data = fastmle.Censored.right(np.minimum(x, 2.5), x > 2.5)
    r = fastmle.fit("weibull_min", data, floc=0, cov_type="robust")
    cov = r.cov_params()
    assert np.all(np.isfinite(cov)) and cov[0, 0] > 0 and cov[2, 2] > 0
    np.testing.assert_allclose(np.sqrt(np.diag(cov))[[0, 2]], r.bse[[0, 2]])
    # same order as the model-based one for a correctly specified model
    ratio = np.diag(cov)[[0, 2]] / np.diag(r.cov_params("nonrobust"))[[0, 2]]
    assert np.all((ratio > 0.6) & (ratio < 1.6)), ratio


def test_cov_type_is_validated():
    x = st.norm.rvs(size=50, random_state=6)
    with pytest.raises(ValueError, match="cov_type"):
        fastmle.fit("norm", x, cov_type="HC3")
    with pytest.raises(ValueError, match="cov_type"):
        fastmle.fit("norm", x).cov_params("sandwich")
