"""Censored data: fastmle.Censored and scipy.stats.CensoredData in fits."""
import numpy as np
import pytest
import scipy.stats as st
from scipy.optimize import brentq

import fastmle

# Lieblein and Zelen (1956): endurance of 23 deep-groove ball bearings, in
# millions of revolutions, the classic Weibull reliability data set.
BEARINGS = np.array([17.88, 28.92, 33.00, 41.52, 42.12, 45.60, 48.48, 51.84, 51.96, 54.12, 55.56,
                     67.80, 68.64, 68.64, 68.88, 84.12, 93.12, 98.64, 105.12, 105.84, 127.92,
                     128.04, 173.40])


def test_type_one_censored_weibull_solves_the_textbook_likelihood_equations():
    """The bearing test stopped at 75 million revolutions (8 still running).
    For type-I right-censored Weibull data the MLE solves (Cohen 1965)
    1/c + mean(log t over failures) - sum(t^c log t) / sum(t^c) = 0 over all
    units, and scale = (sum(t^c) / r)^(1/c) with r failures."""
    stop = 75.0
    t = np.minimum(BEARINGS, stop)
    failed = BEARINGS < stop
    r = failed.sum()

    def equation(c):
        tc = t ** c
        return 1 / c + np.log(t[failed]).mean() - np.sum(tc * np.log(t)) / tc.sum()

    c_ref = brentq(equation, 0.1, 20.0, xtol=1e-15, rtol=1e-15)
    scale_ref = (np.sum(t ** c_ref) / r) ** (1 / c_ref)
    c, loc, scale = fastmle.weibull_min.fit(fastmle.Censored.right(t, ~failed), floc=0)
    assert loc == 0
    np.testing.assert_allclose([c, scale], [c_ref, scale_ref], rtol=1e-10)
    # scipy's censored fit agrees (to its Nelder-Mead tolerance) and is no better
    cd = st.CensoredData.right_censored(t, ~failed)
    cs, _, ss = st.weibull_min.fit(cd, floc=0)
    np.testing.assert_allclose([cs, ss], [c, scale], rtol=1e-3)
    assert fastmle.weibull_min.loglike(cd, (c, 0, scale)) >= fastmle.weibull_min.loglike(cd, (cs, 0, ss))


def test_scipy_censored_data_and_censored_give_the_same_fit():
    rng = np.random.default_rng(1)
    x = st.logistic.rvs(1.0, 2.0, size=300, random_state=rng)
    lo = np.where(x > 3, 3.0, np.where(x < -1, -np.inf, x))
    hi = np.where(x > 3, np.inf, np.where(x < -1, -1.0, x))
    ours = fastmle.fit("logistic", fastmle.Censored(lo, hi))
    cd = st.CensoredData(uncensored=x[(x <= 3) & (x >= -1)], left=np.full((x < -1).sum(), -1.0),
                         right=np.full((x > 3).sum(), 3.0))
    theirs = fastmle.fit("logistic", cd)
    np.testing.assert_allclose(tuple(ours.params), tuple(theirs.params), rtol=1e-12)
    assert ours.converged and "censored" in ours.message
    assert ours.mle_retvals["censored"] == {"exact": int(((x <= 3) & (x >= -1)).sum()),
                                            "left": int((x < -1).sum()), "right": int((x > 3).sum()),
                                            "interval": 0}


def test_censored_weights_equal_repeated_rows():
    rng = np.random.default_rng(2)
    x = st.gumbel_r.rvs(size=200, random_state=rng)
    lo, hi = x.copy(), x.copy()
    hi[x > 1.5] = np.inf
    lo[x > 1.5] = 1.5
    w = rng.integers(1, 4, size=x.shape[0])
    a = fastmle.gumbel_r.fit(fastmle.Censored(lo, hi, w))
    b = fastmle.gumbel_r.fit(fastmle.Censored(np.repeat(lo, w), np.repeat(hi, w)))
    np.testing.assert_allclose(a, b, rtol=1e-10)
    c = fastmle.gumbel_r.fit(fastmle.Censored(lo, hi), weights=w)
    np.testing.assert_allclose(a, c, rtol=1e-14)


def test_all_exact_censored_data_is_the_ordinary_fit():
    x = st.expon.rvs(size=100, random_state=3) + 1
    np.testing.assert_allclose(fastmle.expon.fit(fastmle.Censored(x, x)), fastmle.expon.fit(x), rtol=1e-14)


def test_censored_loglike_matches_scipy_terms():
    x = st.weibull_min.rvs(1.3, scale=2, size=50, random_state=4)
    lo = np.where(x > 2, 2.0, x)
    hi = np.where(x > 2, np.inf, x)
    p = (1.2, 0.0, 2.1)
    ref = (st.weibull_min.logpdf(x[x <= 2], *p).sum() + st.weibull_min.logsf(2.0, *p) * (x > 2).sum())
    np.testing.assert_allclose(fastmle.weibull_min.loglike(fastmle.Censored(lo, hi), p), ref, rtol=1e-12)


@pytest.mark.parametrize("lower, upper, match", [
    ([1.0, 2.0], [1.0], "same length"),
    ([1.0, np.nan], [1.0, 2.0], "NaN"),
    ([1.0, 3.0], [1.0, 2.0], "lower <= upper"),
    ([1.0, np.inf], [1.0, np.inf], "finite"),
    ([[1.0]], [[1.0]], "1-D"),
    ([], [], "at least one"),
])
def test_bad_censored_data_raise_value_error(lower, upper, match):
    with pytest.raises(ValueError, match=match):
        fastmle.logistic.fit(fastmle.Censored(lower, upper))


def test_weights_with_scipy_censored_data_are_refused():
    cd = st.CensoredData.right_censored([1.0, 2.0, 3.0], [False, True, False])
    with pytest.raises(TypeError, match="fastmle.Censored"):
        fastmle.fit("weibull_min", cd, weights=[1, 2, 3])


def test_expon_censored_location_can_leave_the_smallest_value():
    """Exact data put expon's loc at min(x); left-censored rows below it pull it lower."""
    x = np.array([2.0, 2.5, 3.0, 4.0, 6.0])
    lo = np.concatenate([x, [-np.inf] * 3])
    hi = np.concatenate([x, [2.2, 2.2, 2.2]])
    res = fastmle.fit("expon", fastmle.Censored(lo, hi))
    theirs = st.expon.fit(st.CensoredData(uncensored=x, left=[2.2, 2.2, 2.2]))
    assert fastmle.expon.loglike(fastmle.Censored(lo, hi), tuple(res.params)) >= \
        fastmle.expon.loglike(fastmle.Censored(lo, hi), theirs) - 1e-9
    assert res.params.loc <= 2.0
