"""Fits: parity with scipy, closed forms, the result object, invariances."""
import math
import warnings

import numpy as np
import pytest
import scipy.stats as st

import fastmle

from _family_checks import check_fit_not_worse_than_scipy

# (name, data generator, fit keywords): each valid combination of fixed parameters
CONTINUOUS_CASES = [
    ("norm", lambda r, n: r.normal(3.0, 2.0, n), {}),
    ("norm", lambda r, n: r.normal(3.0, 2.0, n), {"floc": 2.5}),
    ("norm", lambda r, n: r.normal(3.0, 2.0, n), {"fscale": 1.5}),
    ("expon", lambda r, n: r.exponential(2.0, n) + 1.0, {}),
    ("expon", lambda r, n: r.exponential(2.0, n) + 1.0, {"floc": 0.5}),
    ("expon", lambda r, n: r.exponential(2.0, n) + 1.0, {"fscale": 2.0}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n), {"floc": 0}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n), {"floc": 0, "fa": 2.0}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n), {"floc": 0, "fscale": 2.0}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n) + 5.0, {}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n) + 5.0, {"f0": 2.5}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n) + 5.0, {"fscale": 3.0}),
    ("lognorm", lambda r, n: r.lognormal(1.0, 0.5, n), {"floc": 0}),
    ("lognorm", lambda r, n: r.lognormal(1.0, 0.5, n), {"floc": 0, "fs": 0.4}),
    ("lognorm", lambda r, n: r.lognormal(1.0, 0.5, n), {"floc": 0, "fscale": 3.0}),
    ("lognorm", lambda r, n: r.lognormal(1.0, 0.5, n) + 2.0, {}),
    ("weibull_min", lambda r, n: r.weibull(1.7, n) * 3.0, {"floc": 0}),
    ("weibull_min", lambda r, n: r.weibull(1.7, n) * 3.0, {"floc": 0, "fc": 1.5}),
    ("weibull_min", lambda r, n: r.weibull(1.7, n) * 3.0, {"floc": 0, "fscale": 3.0}),
    ("weibull_min", lambda r, n: r.weibull(1.7, n) * 3.0 + 1.0, {}),
]


def _ids(case):
    return f"{case[0]}-{'-'.join(f'{k}={v}' for k, v in case[2].items()) or 'free'}"


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [50, 2000])
@pytest.mark.parametrize("case", CONTINUOUS_CASES, ids=_ids)
def test_never_worse_than_scipy(case, n, seed):
    name, gen, kw = case
    x = gen(np.random.default_rng(seed), n)
    dist = getattr(st, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = getattr(fastmle, name).fit(x, **kw)
        theirs = dist.fit(x, **kw)
    assert len(ours) == len(theirs)
    for key, value in kw.items():
        index = {"floc": -2, "fscale": -1}.get(key, 0)
        assert ours[index] == value            # fixed values come back exactly
    nll_ours, nll_theirs = dist.nnlf(ours, x), dist.nnlf(theirs, x)
    assert np.isfinite(nll_ours)
    assert nll_ours <= nll_theirs + 1e-9 * abs(nll_theirs)


@pytest.mark.parametrize("seed", [0, 1])
def test_poisson_matches_closed_form_and_scipy_fit(seed):
    k = np.random.default_rng(seed).poisson(3.3, 500)
    mu, loc = fastmle.poisson.fit(k)
    assert loc == 0
    assert mu == pytest.approx(k.mean(), rel=1e-12)
    ref = st.fit(st.poisson, k, bounds={"mu": (0, 20)})
    assert -np.sum(st.poisson.logpmf(k, mu)) <= ref.nllf() + 1e-9


def test_poisson_free_loc_finds_the_shift():
    k = np.random.default_rng(3).poisson(6.0, 20_000) + 7
    res = fastmle.fit("poisson", k, floc=None)
    mu, loc = res.params
    # the integer loc must maximize the profile likelihood among its neighbours
    for other in (loc - 1, loc + 1):
        if other <= k.min():
            assert res.llf >= np.sum(st.poisson.logpmf(k, k.mean() - other, other)) - 1e-9
    assert res.llf == pytest.approx(np.sum(st.poisson.logpmf(k, mu, loc)), rel=1e-12)
    assert "loc" in res.boundary


@pytest.mark.parametrize("seed", [0, 1])
def test_norm_closed_form_far_from_origin(seed):
    # 1e7 + small noise: sums about the origin would lose ~7 digits
    x = 1e7 + np.random.default_rng(seed).normal(0.0, 1e-3, 100_000)
    loc, scale = fastmle.norm.fit(x)
    exact_mean = math.fsum(x) / x.size
    exact_sd = math.sqrt(math.fsum((x - exact_mean) ** 2) / x.size)
    assert loc == pytest.approx(exact_mean, rel=1e-15)
    assert scale == pytest.approx(exact_sd, rel=1e-12)


CLOSED_FORM_CASES = [
    ("norm", lambda r: r.normal(-4.0, 0.3, 10_000), {}, {"loc": 0.0, "scale": 5.0}),
    ("norm", lambda r: r.normal(-4.0, 0.3, 10_000), {"floc": -4.1}, {"scale": 0.01}),
    ("expon", lambda r: r.exponential(5.0, 10_000), {"floc": 0}, {"scale": 100.0}),
    ("gamma", lambda r: r.gamma(3.0, 2.0, 10_000), {"floc": 0}, {"a": 0.5, "scale": 30.0}),
    ("gamma", lambda r: r.gamma(3.0, 2.0, 10_000), {"floc": 0, "fa": 2.0}, {"scale": 0.1}),
    ("lognorm", lambda r: r.lognormal(2.0, 0.7, 10_000), {"floc": 0}, {"s": 3.0, "scale": 0.5}),
    ("weibull_min", lambda r: r.weibull(2.5, 10_000) * 4.0, {"floc": 0, "fc": 2.5}, {"scale": 1.0}),
    ("poisson", lambda r: r.poisson(7.0, 10_000), {}, {"mu": 0.5}),
]


@pytest.mark.parametrize("name,gen,kw,start", CLOSED_FORM_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CLOSED_FORM_CASES)])
def test_newton_reproduces_closed_form_from_far_start(name, gen, kw, start):
    x = gen(np.random.default_rng(7))
    d = getattr(fastmle, name)
    args = [start.pop(d.shapes[0])] if d.shapes and d.shapes[0] in start else []
    res = fastmle.fit(name, x, guess=dict(zip(d.shapes, args)), **kw, **start)
    assert res.converged
    assert res.n_iter > 0                      # it really travelled from the far start
    assert res.closed_form
    assert res.closed_form_gap < 1e-10
    for pname, value in res.closed_form.items():
        assert getattr(res.params, pname) == pytest.approx(value, rel=1e-10)


def test_closed_forms_are_the_textbook_ones():
    r = np.random.default_rng(11)
    x = r.normal(2.0, 3.0, 5000)
    res = fastmle.fit("norm", x)
    assert res.closed_form["loc"] == pytest.approx(np.mean(x), rel=1e-13)
    assert res.closed_form["scale"] == pytest.approx(np.std(x), rel=1e-13)
    y = r.exponential(2.0, 5000) + 3.0
    loc, scale = fastmle.expon.fit(y)
    assert loc == y.min() and scale == pytest.approx(y.mean() - y.min(), rel=1e-12)
    z = r.lognormal(0.5, 0.8, 5000)
    s, loc, sc = fastmle.lognorm.fit(z, floc=0)
    assert s == pytest.approx(np.std(np.log(z)), rel=1e-12)
    assert sc == pytest.approx(np.exp(np.mean(np.log(z))), rel=1e-12)
    g = r.gamma(1.5, 2.0, 5000)
    a, loc, sc = fastmle.gamma.fit(g, floc=0)
    assert sc == pytest.approx(g.mean() / a, rel=1e-12)


def _numerical_hessian(f, p, rel=1e-4):
    p = np.asarray(p, dtype=float)
    k = p.size
    h = rel * np.maximum(np.abs(p), 1e-2)
    H = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.zeros(k), np.zeros(k)
            ei[i], ej[j] = h[i], h[j]
            H[i, j] = (f(p + ei + ej) - f(p + ei - ej) - f(p - ei + ej) + f(p - ei - ej)) / (4 * h[i] * h[j])
    return H


@pytest.mark.parametrize("name,gen,kw", [
    ("gamma", lambda r: r.gamma(2.5, 3.0, 4000) + 5.0, {}),
    ("weibull_min", lambda r: r.weibull(1.7, 4000) * 3.0, {"floc": 0}),
    ("lognorm", lambda r: r.lognormal(1.0, 0.5, 4000), {"floc": 0}),
    ("norm", lambda r: r.normal(1.0, 2.0, 4000), {}),
])
def test_covariance_is_inverse_of_scipy_nnlf_hessian(name, gen, kw):
    x = gen(np.random.default_rng(5))
    res = fastmle.fit(name, x, **kw)
    names = res.param_names
    free = [i for i, n in enumerate(names) if n not in res.fixed]
    p = np.array(res.params, dtype=float)

    def nnlf_free(q):
        full = p.copy()
        full[free] = q
        return getattr(st, name).nnlf(full, x)

    H = _numerical_hessian(nnlf_free, p[free])
    cov_fd = np.linalg.inv(H)
    cov = res.cov_params()
    np.testing.assert_allclose(cov[np.ix_(free, free)], cov_fd, rtol=2e-3, atol=1e-9)
    fixed = [i for i in range(len(names)) if i not in free]
    assert np.all(cov[fixed, :] == 0) and np.all(cov[:, fixed] == 0)
    np.testing.assert_allclose(res.bse[free], np.sqrt(np.diag(cov_fd)), rtol=2e-3)


def test_result_object(rng):
    x = rng.gamma(2.0, 1.5, 3000)
    res = fastmle.fit("gamma", x, floc=0)
    assert res.params._fields == ("a", "loc", "scale")
    assert res.params.loc == 0 and res.fixed == {"loc": 0.0}
    assert res.success and res.converged and res.grad_norm < 1e-8
    assert res.nobs == 3000
    k = 2
    assert res.aic == pytest.approx(2 * k - 2 * res.llf)
    assert res.bic == pytest.approx(k * np.log(3000) - 2 * res.llf)
    assert res.llf == pytest.approx(-st.gamma.nnlf(res.params, x), rel=1e-12)
    assert res.nllf() == pytest.approx(-res.llf)
    assert res.nllf((2.0, 0.0, 1.5)) == pytest.approx(st.gamma.nnlf((2.0, 0.0, 1.5), x), rel=1e-12)
    assert res.nllf(data=x[:10]) == pytest.approx(st.gamma.nnlf(res.params, x[:10]), rel=1e-12)
    ci = res.conf_int(0.05)
    z = 1.959963984540054
    np.testing.assert_allclose(ci[:, 1] - ci[:, 0], 2 * z * res.bse, rtol=1e-12)
    assert ci[1, 0] == ci[1, 1] == 0.0
    text = res.summary()
    for token in ("gamma", "a", "loc", "(fixed)", "scale", "Log-likelihood", "AIC", "BIC", "Converged"):
        assert token in text


def test_expon_boundary_loc_has_no_standard_error(rng):
    res = fastmle.fit("expon", rng.exponential(1.0, 1000) + 2.0)
    assert "loc" in res.boundary
    assert np.isnan(res.bse[0]) and res.bse[1] > 0


@pytest.mark.parametrize("name,gen,kw", [
    ("gamma", lambda r: r.gamma(2.5, 3.0, 30_000) + 5.0, {}),
    ("weibull_min", lambda r: r.weibull(1.3, 30_000) * 2.0, {"floc": 0}),
    ("lognorm", lambda r: r.lognormal(1.0, 0.5, 30_000), {"floc": 0}),
    ("norm", lambda r: r.normal(1.0, 2.0, 30_000), {}),
])
def test_fit_invariances(name, gen, kw):
    r = np.random.default_rng(9)
    x = gen(r)
    d = getattr(fastmle, name)
    base = d.fit(x, n_threads=1, **kw)
    assert d.fit(x, n_threads=2, **kw) == base          # bitwise, any thread count
    assert d.fit(x, n_threads=3, **kw) == base
    x32 = x.astype(np.float32)
    np.testing.assert_allclose(d.fit(x32, **kw), d.fit(x32.astype(np.float64), **kw), rtol=1e-12)
    w = r.integers(0, 4, x.size)
    np.testing.assert_allclose(d.fit(x, weights=w, **kw), d.fit(np.repeat(x, w), **kw), rtol=1e-10)


def test_scipy_distribution_objects_and_names_are_accepted(rng):
    x = rng.normal(0.0, 1.0, 500)
    assert fastmle.fit(st.norm, x).params == fastmle.fit("norm", x).params == fastmle.fit(fastmle.norm, x).params
    with pytest.raises(ValueError, match="cannot fit"):
        fastmle.fit("levy_stable", x)


def test_scipy_fit_bounds_semantics(rng):
    x = rng.gamma(2.0, 1.0, 2000)
    # scipy.stats.fit fixes loc=0 and scale=1 unless bounds say otherwise
    res = fastmle.fit(st.gamma, x, bounds={"a": (0.1, 10)})
    assert res.params.loc == 0 and res.params.scale == 1
    ref = st.fit(st.gamma, x, bounds={"a": (0.1, 10)})
    assert res.nllf() <= ref.nllf() + 1e-9 * abs(ref.nllf())
    res2 = fastmle.fit(st.gamma, x, bounds={"a": (0.1, 10), "scale": (0.1, 10)})
    assert res2.params.loc == 0 and res2.params.scale != 1
    # unequal bounds are enforced (scipy.stats.fit searches only inside them)
    held = fastmle.fit(st.gamma, x, bounds={"a": (5, 10)})
    assert held.success and held.params.a == 5 and "a held at its lower bound" in held.message


def test_lbfgs_reaches_the_newton_optimum(rng):
    from fastmle._optimize import maximize

    x = rng.weibull(1.7, 5000) * 3.0
    res = fastmle.fit("weibull_min", x, floc=0)

    def fun(t):
        c, s = np.exp(t)
        ll, g, H = fastmle.weibull_min._evaluate(fastmle._data.as_data(x), (c, 0.0, s), False)
        j = np.array([c, s])
        g2 = g[[0, 2]] * j
        return ll, g2, H[np.ix_([0, 2], [0, 2])] * np.outer(j, j) + np.diag(g2)

    out = maximize(fun, np.log([1.0, 1.0]), x.size, method="lbfgs", gtol=1e-10)
    assert out.converged and out.method == "lbfgs"
    np.testing.assert_allclose(np.exp(out.t), [res.params.c, res.params.scale], rtol=1e-7)


def test_non_convergence_is_reported(rng):
    x = rng.gamma(2.0, 1.0, 2000)
    # fixing a wildly wrong scale leaves a regular problem; starving the
    # optimizer of iterations must surface as a warning and converged=False
    from fastmle import _optimize

    original = _optimize._newton

    def one_step(fun, t0, nobs, maxiter, *rest):
        return original(fun, t0, nobs, 1, *rest)

    _optimize._newton = one_step
    try:
        with pytest.warns(fastmle.ConvergenceWarning, match="did not converge"):
            res = fastmle.fit("gamma", x, guess={"a": 50.0}, floc=0)
    finally:
        _optimize._newton = original
    assert not res.converged and not res.success
    assert "iterations" in res.message


@pytest.mark.parametrize("name,kw", [("gamma", {}), ("weibull_min", {}), ("weibull_min", {"floc": 0}),
                                     ("lognorm", {})])
def test_subsample_warm_start_reaches_the_same_optimum(name, kw, monkeypatch):
    r = np.random.default_rng(21)
    n = 300_000
    x = {"gamma": r.gamma(2.5, 3.0, n) + 5.0, "weibull_min": r.weibull(1.7, n) * 3.0 + (0 if kw else 1.0),
         "lognorm": r.lognormal(1.0, 0.5, n) + 2.0}[name]
    warm = fastmle.fit(name, x, **kw)
    assert warm.converged
    monkeypatch.setattr(type(getattr(fastmle, name)), "warm_start_rows", 10 ** 9)
    cold = fastmle.fit(name, x, **kw)
    assert cold.converged
    np.testing.assert_allclose(warm.params, cold.params, rtol=1e-8)
    assert warm.llf >= cold.llf - 1e-9 * abs(cold.llf)


@pytest.mark.parametrize("name,gen", [
    ("gamma", lambda r: r.gamma(0.7, 2.0, 2000) + 1.0),
    ("weibull_min", lambda r: r.weibull(0.8, 2000) * 2.0 + 1.0),
    ("gamma", lambda r: r.gamma(0.5, 2.0, 200)),
])
def test_unbounded_likelihood_is_reported_and_not_worse_than_scipy(name, gen):
    # shape < 1 with a free location: the likelihood grows without bound as
    # loc -> min(x), so there is no regular MLE; the fit must say so (not
    # converged, a warning) and still not lose to scipy's answer
    x = gen(np.random.default_rng(3))
    with pytest.warns(fastmle.ConvergenceWarning, match="without bound"):
        res = fastmle.fit(name, x)
    assert not res.converged and "loc" in res.boundary
    assert res.params.loc < x.min()
    dist = getattr(st, name)
    assert dist.nnlf(res.params, x) <= dist.nnlf(dist.fit(x), x) + 1e-9
    assert res.mle_retvals["n_eval"] < 100


@pytest.mark.parametrize("a_true", [0.05, 1.0, 30.0, 1e4, 1e8])
def test_gamma_shape_root_is_accurate_for_any_shape(a_true):
    # the shape solves log(a) - digamma(a) = s; for large a the left side is
    # ~1/(2a) and must be computed without cancellation
    mp = pytest.importorskip("mpmath")
    from fastmle import _gamma

    with mp.workdps(40):
        s = float(mp.log(a_true) - mp.digamma(a_true))
        ref = float(mp.findroot(lambda a: mp.log(a) - mp.digamma(a) - mp.mpf(s), a_true))
    assert _gamma.shape_mle(s) == pytest.approx(ref, rel=1e-13)


def test_unbounded_likelihood_returns_the_best_regular_maximum():
    # gamma with free loc on log-normal data: an interior maximum exists
    # (a ~ 1.2) but the likelihood is higher, and unbounded, at the edge
    # loc -> min(x) with a < 1, where scipy's own fit ends. Issue 3's policy:
    # return the regular maximum, say why, and keep the edge point at hand.
    x = np.random.default_rng(1).lognormal(0.0, 1.0, 50)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmle.ConvergenceWarning)
        res = fastmle.fit("gamma", x)
    assert res.converged and "unbounded" in res.message and "best regular" in res.message
    assert "loc" not in res.boundary
    a, loc, scale = res.params
    assert a > 1 and loc < x.min()
    ll, g, H = fastmle.gamma._problem(fastmle._data.as_data(x), fastmle.gamma._parse_fit_args((), {})).evaluate(
        np.array(res.params))
    assert np.all(np.linalg.eigvalsh(H) < 0)            # a regular (concave) maximum
    edge = res.mle_retvals["edge_params"]
    assert edge[1] == x.min() - np.spacing(x.min()) and edge[0] < 1
    assert res.nllf(edge) == pytest.approx(-res.mle_retvals["edge_llf"], rel=1e-12)
    # the edge is at least as high as where scipy's fit ends
    assert res.nllf(edge) <= st.gamma.nnlf(st.gamma.fit(x), x) + 1e-9
    assert fastmle.gamma.fit(x) == tuple(res.params)


@pytest.mark.parametrize("n", [3, 10])
def test_lognorm_free_loc_small_samples_not_worse_than_scipy(n):
    # Hill (1963): the 3-parameter log-normal likelihood is unbounded as loc
    # -> min(x); scipy compares its root with the edge. fastmle returns the
    # regular root where there is one and must then have found the edge too.
    for seed in range(3):
        x = np.random.default_rng(seed).lognormal(1.0, 0.5, n)
        check_fit_not_worse_than_scipy("lognorm", x, {})


def test_weighted_fit_with_warm_start_equals_repeated_data():
    # above the warm-start threshold the weights must follow the subsample too
    r = np.random.default_rng(17)
    x = r.gamma(3.0, 2.0, 200_000) + 1.0
    w = r.integers(0, 3, x.size)
    weighted = fastmle.fit("gamma", x, weights=w)
    repeated = fastmle.fit("gamma", np.repeat(x, w))
    assert weighted.converged and repeated.converged
    np.testing.assert_allclose(weighted.params, repeated.params, rtol=1e-8)
    assert weighted.nobs == w.sum()


def test_scipy_fit_bounds_can_free_a_discrete_loc():
    # scipy.stats.fit frees loc when bounds are given for it; the shifted
    # counts must then be found at their shift, at least as well as scipy
    k = np.random.default_rng(0).poisson(3.3, 500) + 4
    res = fastmle.fit(st.poisson, k, bounds={"mu": (0, 20), "loc": (-5, 10)})
    assert res.params.loc == 4
    ref = st.fit(st.poisson, k, bounds={"mu": (0, 20), "loc": (-5, 10)})
    assert res.nllf() <= ref.nllf() + 1e-9 * abs(ref.nllf())
    held = fastmle.fit(st.poisson, k, bounds={"mu": (0, 20)})    # loc defaults to (0, 0)
    assert held.params.loc == 0 and held.params.mu == pytest.approx(k.mean())


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [3, 10])
@pytest.mark.parametrize("name,gen", [
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n)),
    ("gamma", lambda r, n: r.lognormal(0.0, 1.0, n)),
    ("lognorm", lambda r, n: r.lognormal(1.0, 0.5, n) + 2.0),
    ("weibull_min", lambda r, n: r.weibull(1.7, n) * 3.0),
    ("weibull_min", lambda r, n: r.weibull(0.7, n) * 3.0 + 2.0),
    ("expon", lambda r, n: r.exponential(2.0, n)),
    ("norm", lambda r, n: r.normal(0.0, 1.0, n)),
])
def test_tiny_samples_never_worse_than_scipy(name, gen, n, seed):
    # 3 and 10 points, every parameter free: many of these likelihoods have
    # no regular maximum, which is exactly where optimizers part ways
    x = gen(np.random.default_rng(seed), n)
    ours = check_fit_not_worse_than_scipy(name, x, {})
    assert np.all(np.isfinite(ours))
