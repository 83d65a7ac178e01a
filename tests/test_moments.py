"""method="MM": scipy's method-of-moments objective, solved to rounding level."""
import warnings

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle.distributions._base import Distribution


def mm_objective(name, params, x, n_free):
    """scipy's MM objective: squared relative errors of the first raw moments."""
    dist = getattr(st, name)
    data = np.array([np.mean(x ** j) for j in range(1, n_free + 1)])
    model = np.array([dist.moment(j, *params) for j in range(1, n_free + 1)])
    return float((((data - model) / np.maximum(np.abs(data), 1e-8)) ** 2).sum())


CASES = [
    ("norm", lambda r, n: r.normal(1.0, 2.0, n), {}),
    ("expon", lambda r, n: r.exponential(2.0, n) + 1.0, {}),
    ("expon", lambda r, n: r.exponential(2.0, n), {"floc": 0}),
    ("gamma", lambda r, n: r.gamma(2.0, 3.0, n) + 1.0, {}),
    ("gamma", lambda r, n: r.gamma(2.0, 3.0, n), {"floc": 0}),
    ("gamma", lambda r, n: r.gamma(2.0, 3.0, n), {"floc": 0, "fscale": 2.0}),
    ("lognorm", lambda r, n: r.lognormal(0.0, 0.5, n), {"floc": 0}),
    ("weibull_min", lambda r, n: 2.0 * r.weibull(1.5, n), {"floc": 0}),
    ("weibull_min", lambda r, n: 2.0 * r.weibull(1.5, n) + 1.0, {}),
    ("logistic", lambda r, n: r.logistic(1.0, 2.0, n), {}),
]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name,gen,kw", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_mm_objective_never_worse_than_scipy(name, gen, kw, seed):
    x = gen(np.random.default_rng(seed), 500)
    n_free = len(getattr(fastmle, name).param_names) - len(kw)
    ours = getattr(fastmle, name).fit(x, method="MM", **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(st, name).fit(x, method="MM", **kw)
    assert len(ours) == len(theirs)
    f_ours, f_theirs = mm_objective(name, ours, x, n_free), mm_objective(name, theirs, x, n_free)
    assert f_ours <= max(f_theirs, 1e-20), (ours, theirs, f_ours, f_theirs)


def test_mm_matches_the_analytic_moments():
    x = np.random.default_rng(5).gamma(2.0, 3.0, 1000) + 4.0
    res = fastmle.fit("gamma", x, method="mm")
    a, loc, scale = res.params
    # gamma: skewness 2 / sqrt(a), variance a scale^2, mean loc + a scale
    m, v = x.mean(), x.var()
    skew = np.mean((x - m) ** 3) / v ** 1.5
    assert a == pytest.approx(4.0 / skew ** 2, rel=1e-10)
    assert scale == pytest.approx(np.sqrt(v / a), rel=1e-10)
    assert loc == pytest.approx(m - a * scale, rel=1e-10)
    assert res.method == "MM" and res.converged
    assert np.all(np.isnan(res.bse))        # no information matrix for MM
    assert res.llf == pytest.approx(np.sum(st.gamma.logpdf(x, a, loc, scale)), rel=1e-12)


def test_poisson_mm_is_the_mean():
    k = np.random.default_rng(2).poisson(3.5, 400)
    mu, loc = fastmle.poisson.fit(k, method="MM")
    assert loc == 0 and mu == pytest.approx(k.mean(), rel=1e-12)


def test_mm_weights_equal_repeated_rows():
    rng = np.random.default_rng(3)
    x = rng.gamma(3.0, 1.0, 300)
    w = rng.integers(1, 4, 300)
    a = fastmle.gamma.fit(x, method="MM", weights=w, floc=0)
    b = fastmle.gamma.fit(np.repeat(x, w), method="MM", floc=0)
    np.testing.assert_allclose(a, b, rtol=1e-9)


def test_distribution_without_moments_says_mm_is_unavailable():
    class NoMoments(type(fastmle.gamma)):
        _std_moments = Distribution._std_moments

    with pytest.raises(NotImplementedError, match="MM"):
        NoMoments().fit(np.random.default_rng(4).random(50) + 1.0, method="MM")


def test_mm_with_non_finite_moments_is_a_clear_error():
    # a t with df <= 2 has no variance: the moment equations cannot start there
    x = np.random.default_rng(6).standard_cauchy(200)
    with pytest.raises(ValueError, match="moments"):
        fastmle.t.fit(x, 1.5, method="MM")


def test_bad_method_is_rejected():
    with pytest.raises(ValueError, match="mle"):
        fastmle.gamma.fit([1.0, 2.0, 3.0], method="LSQ")
    with pytest.raises(ValueError, match="mle"):
        fastmle.fit("gamma", [1.0, 2.0, 3.0], method="bayes")
