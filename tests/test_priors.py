"""Priors and maximum a posteriori (MAP) fits.

- each prior's log density against scipy's, its gradient and Hessian
  against finite differences;
- MAP estimates against an independent maximization of the log posterior
  built from ``scipy.stats`` log densities (BFGS, then Newton on
  fourth-order finite differences, started from the MLE), and against
  conjugate closed forms;
- a Flat prior gives the MLE exactly; priors with weights, bounds and the
  quick paths; what is refused, and how.
"""
import math
import warnings

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st

import fastmle
from fastmle import priors as P
from fastmle.distributions import REGISTRY

from test_weights import CASES, data_and_weights

# -- the priors themselves ------------------------------------------------------------

PRIORS = [
    P.Normal(1.5, 2.0), P.LogNormal(0.3, 0.7), P.Gamma(2.5, 1.5), P.Gamma(1.0, 2.0), P.Gamma(0.6, scale=3.0),
    P.HalfNormal(2.0), P.HalfCauchy(1.5), P.Exponential(0.5), P.Exponential(scale=4.0), P.Beta(2.0, 5.0),
    P.Beta(0.7, 1.0), P.Beta(1.0, 1.0), P.Uniform(-1.0, 3.0),
]


def _points(prior):
    lo, hi = prior.support
    lo_, hi_ = max(lo, -5.0), min(hi, 8.0)
    inside = np.linspace(lo_, hi_, 9)[1:-1].tolist() + [lo_ + 1e-3 * (hi_ - lo_), hi_ - 1e-3 * (hi_ - lo_)]
    outside = [v for v in (lo - 0.5, hi + 0.5) if math.isfinite(v)]
    return inside, outside


@pytest.mark.parametrize("prior", PRIORS, ids=repr)
def test_log_density_is_scipys(prior):
    ref = prior.to_scipy()
    inside, outside = _points(prior)
    for v in inside:
        assert prior.logpdf(v) == pytest.approx(ref.logpdf(v), rel=1e-12, abs=1e-13), v
    for v in outside:
        assert prior.logpdf(v) == -math.inf
        assert prior.derivs(v) == (-math.inf, 0.0, 0.0)


@pytest.mark.parametrize("prior", PRIORS, ids=repr)
def test_gradient_and_hessian_against_finite_differences(prior):
    for v in _points(prior)[0]:
        h = 1e-6 * abs(v) if v else 1e-8      # relative: steep near 0 (LogNormal, Gamma, Beta)
        lp, d1, d2 = prior.derivs(v)
        fd1 = (prior.logpdf(v + h) - prior.logpdf(v - h)) / (2 * h)
        fd2 = (prior.derivs(v + h)[1] - prior.derivs(v - h)[1]) / (2 * h)
        assert d1 == pytest.approx(fd1, rel=1e-6, abs=1e-7), v
        assert d2 == pytest.approx(fd2, rel=1e-6, abs=1e-7), v


def test_edges_of_the_support():
    # finite at a closed end, infinite where the density is, 0 (log -inf) where it vanishes
    assert P.HalfNormal(2.0).logpdf(0.0) == pytest.approx(st.halfnorm(scale=2.0).logpdf(0.0))
    assert P.Exponential(2.0).logpdf(0.0) == pytest.approx(math.log(2.0))
    assert P.Gamma(1.0, 3.0).logpdf(0.0) == pytest.approx(math.log(3.0))
    assert P.Gamma(0.5, 1.0).logpdf(0.0) == math.inf
    assert P.Gamma(2.0, 1.0).logpdf(0.0) == -math.inf
    assert P.Beta(0.5, 2.0).logpdf(0.0) == math.inf and P.Beta(2.0, 0.5).logpdf(1.0) == math.inf
    assert P.Uniform(-1, 3).logpdf(-1.0) == P.Uniform(-1, 3).logpdf(3.0) == -math.log(4.0)
    assert P.Gamma(0.5, 1.0).unbounded_at() == (0.0,) and P.Gamma(2, 1).unbounded_at() == ()
    assert P.Beta(0.5, 0.5).unbounded_at() == (0.0, 1.0)
    assert P.Flat().derivs(-1e300) == (0.0, 0.0, 0.0) and P.Flat().flat


def test_parametrizations_and_bad_arguments():
    assert P.Gamma(2, 1) == P.Gamma(2, scale=1.0) == P.Gamma(2.0, rate=1.0)
    assert P.Exponential(0.25) == P.Exponential(scale=4.0)
    assert P.Gamma(3, 2).to_scipy().mean() == pytest.approx(1.5)       # shape / rate
    assert P.LogNormal(0.3, 0.7).to_scipy().median() == pytest.approx(math.exp(0.3))
    with pytest.raises(TypeError, match="rate or scale"):
        P.Gamma(2, 1, scale=1)
    for make, pat in [(lambda: P.Normal(0, -1), "sigma must be positive"), (lambda: P.Gamma(0, 1), "shape a"),
                      (lambda: P.Uniform(2, 1), "hi must exceed lo"), (lambda: P.Beta(1, math.nan), "b must"),
                      (lambda: P.Normal(math.inf, 1), "mu must be finite")]:
        with pytest.raises(ValueError, match=pat):
            make()
    with pytest.raises(TypeError, match="real number"):
        P.HalfNormal("big")
    with pytest.raises(NotImplementedError):
        P.Flat().to_scipy()
    assert repr(P.Gamma(2, 1)) == "Gamma(a=2, rate=1)" and repr(P.Uniform(0, 1)) == "Uniform(0, 1)"


# -- MAP against an independent maximization ------------------------------------------

def _fixed_of(dist, kw):
    fixed = {}
    for k, v in kw.items():
        if k in ("floc", "fscale"):
            fixed[k[1:]] = v
        elif k.startswith("f"):
            s = k[1:]
            fixed[dist.shapes[int(s)] if s.isdigit() else s] = v
    if dist.discrete and "loc" not in fixed:
        fixed["loc"] = 0.0
    return fixed


def reference_map(name, x, kw, prior, start):
    """argmax of sum scipy.logpdf + sum prior logpdf, by BFGS then Newton on
    fourth-order central differences (its fixed point: where that gradient,
    accurate to ~1e-11, vanishes), in log / logit coordinates."""
    dist = REGISTRY[name]
    ref = getattr(st, name)
    names = dist.param_names
    fixed = _fixed_of(dist, kw)
    free = [n for n in names if n not in fixed]
    positive = set(dist.positive) | {"scale", "mu", "n"}
    prob = set(getattr(dist, "probabilities", ()))
    logp = ref.logpmf if dist.discrete else ref.logpdf
    priors = {n: p.to_scipy() for n, p in prior.items() if not p.flat}

    def natural(t):
        p = dict(fixed)
        for n, ti in zip(free, t):
            p[n] = math.exp(ti) if n in positive else (1 / (1 + math.exp(-ti)) if n in prob else ti)
        return [p[n] for n in names]

    def internal(p):
        out = []
        for n in free:
            v = p[names.index(n)]
            out.append(math.log(v) if n in positive else (math.log(v / (1 - v)) if n in prob else v))
        return np.array(out)

    def nlp(t):
        p = natural(t)
        v = np.sum(logp(x, *p)) + sum(d.logpdf(p[names.index(n)]) for n, d in priors.items())
        return -v if np.isfinite(v) else 1e300

    t = so.minimize(nlp, internal(start), method="BFGS", jac="3-point", options={"gtol": 1e-9}).x
    k, h = len(t), 1e-3
    eye = np.eye(k) * h
    for _ in range(4):
        g = np.array([(-nlp(t + 2 * e) + 8 * nlp(t + e) - 8 * nlp(t - e) + nlp(t - 2 * e)) / (12 * h)
                      for e in eye])
        H = np.array([[(nlp(t + e + f) - nlp(t + e - f) - nlp(t - e + f) + nlp(t - e - f)) / (4 * h * h)
                       for f in eye] for e in eye])
        t = t - np.linalg.solve(H, g)
    return np.array(natural(t)), -nlp(t)


def _sample(name, gen, n, seed=11):
    return gen(np.random.default_rng(seed), n)


MAP_CASES = [
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n), {"floc": 0}, {"a": P.Gamma(2, 1), "scale": P.HalfNormal(10)}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n) + 1.0, {},
     {"a": P.LogNormal(1, 0.5), "loc": P.Normal(0, 2), "scale": P.HalfCauchy(5)}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n), {"floc": 0, "fa": 2.5}, {"scale": P.Exponential(1)}),
    ("gamma", lambda r, n: r.gamma(2.5, 3.0, n) + 1.0, {"fscale": 3.0}, {"a": P.Gamma(5, 2)}),
    ("weibull_min", lambda r, n: 3.0 * r.weibull(1.7, n), {"floc": 0}, {"c": P.Gamma(3, 1), "scale": P.LogNormal(0, 1)}),
    ("weibull_min", lambda r, n: 3.0 * r.weibull(2.7, n) + 2.0, {}, {"c": P.Gamma(3, 1), "loc": P.Normal(2, 1)}),
    ("norm", lambda r, n: r.normal(3.0, 2.0, n), {}, {"loc": P.Normal(0, 1), "scale": P.HalfNormal(1)}),
    ("lognorm", lambda r, n: r.lognormal(0.7, 0.6, n), {"floc": 0}, {"s": P.HalfNormal(0.3)}),
    ("invgauss", lambda r, n: st.invgauss.rvs(0.5, scale=2, size=n, random_state=r), {"floc": 0},
     {"mu": P.Gamma(2, 1)}),
    ("t", lambda r, n: r.standard_t(4.0, n), {}, {"df": P.Gamma(2, 0.1)}),
    ("logistic", lambda r, n: r.logistic(1.0, 2.0, n), {}, {"loc": P.Normal(0, 0.5)}),
    ("beta", lambda r, n: r.beta(2.0, 3.0, n), {"floc": 0, "fscale": 1}, {"a": P.Gamma(2, 1), "b": P.Gamma(2, 1)}),
    ("poisson", lambda r, n: r.poisson(3.0, n), {}, {"mu": P.Gamma(2, 2)}),
    ("nbinom", lambda r, n: r.negative_binomial(3.0, 0.4, n), {}, {"n": P.Gamma(2, 0.5), "p": P.Beta(2, 2)}),
    ("binom", lambda r, n: r.binomial(12, 0.3, n), {"fn": 12}, {"p": P.Beta(5, 2)}),
    ("geom", lambda r, n: r.geometric(0.3, n), {}, {"p": P.Beta(5, 2)}),
]


@pytest.mark.parametrize("name,gen,kw,prior", MAP_CASES,
                         ids=[f"{c[0]}-{','.join(c[2]) or 'free'}" for c in MAP_CASES])
def test_map_matches_scipy_maximization_of_the_log_posterior(name, gen, kw, prior):
    x = _sample(name, gen, 60 if REGISTRY[name].discrete else 150)
    mle = fastmle.fit(name, x, **kw)
    res = fastmle.fit(name, x, prior=prior, **kw)
    assert res.converged, res.message
    want, lp = reference_map(name, x, kw, prior, list(mle.params))
    np.testing.assert_allclose(np.array(res.params), want, rtol=1e-8, atol=1e-10)
    # what the result reports: the log-likelihood and the log posterior at the estimate
    dist = getattr(st, name)
    llf = np.sum((dist.logpmf if REGISTRY[name].discrete else dist.logpdf)(x, *res.params))
    assert res.llf == pytest.approx(llf, rel=1e-11)
    assert res.log_posterior == pytest.approx(lp, rel=1e-11, abs=1e-9)
    assert res.log_posterior == pytest.approx(
        llf + sum(p.to_scipy().logpdf(getattr(res.params, n)) for n, p in prior.items()), rel=1e-11)
    assert res.method == "MAP" and res.prior == prior
    assert "maximum a posteriori" in res.message and "Log-posterior" in res.summary()
    # the scipy-style tuple is the same estimate
    assert REGISTRY[name].fit(x, prior=prior, **kw) == tuple(res.params)
    # the prior moved the estimate (the test would not see an ignored prior otherwise)
    assert not np.allclose(np.array(res.params), np.array(mle.params), rtol=1e-6)


def test_covariance_is_the_inverse_posterior_hessian():
    x = np.random.default_rng(4).gamma(2.5, 3.0, 80)
    prior = {"a": P.Gamma(3, 1), "scale": P.LogNormal(1, 0.5)}
    res = fastmle.fit("gamma", x, floc=0, prior=prior)
    a, _, s = res.params

    def lpost(a, s):
        return (np.sum(st.gamma.logpdf(x, a, scale=s)) + st.gamma.logpdf(a, 3, scale=1.0)
                + st.lognorm.logpdf(s, 0.5, scale=math.e))

    h = 1e-4
    p = np.array([a, s])
    H = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * h * p[i], np.eye(2)[j] * h * p[j]
            H[i, j] = (lpost(*(p + ei + ej)) - lpost(*(p + ei - ej)) - lpost(*(p - ei + ej))
                       + lpost(*(p - ei - ej))) / (4 * ei[i] * ej[j])
    cov = res.cov_params()[np.ix_([0, 2], [0, 2])]
    np.testing.assert_allclose(cov, np.linalg.inv(-H), rtol=1e-5)
    # not the likelihood's own: the prior adds curvature, so the variances shrink
    mle_like = fastmle.fit("gamma", x, floc=0, guess={"a": a, "scale": s})
    assert np.all(np.diag(cov) < np.diag(mle_like.cov_params()[np.ix_([0, 2], [0, 2])]))


# -- closed forms (conjugate priors) ----------------------------------------------------

def test_conjugate_closed_forms():
    rng = np.random.default_rng(8)
    # poisson + Gamma(a, rate b): posterior Gamma(a + sum k, b + N), mode (a + K - 1) / (b + N)
    k = rng.poisson(2.0, 40)
    mu = fastmle.fit("poisson", k, prior={"mu": P.Gamma(3, 2)}).params.mu
    assert mu == pytest.approx((3 + k.sum() - 1) / (2 + k.size), rel=1e-10)
    # binom(n) + Beta(a, b): mode (a + K - 1) / (a + b + n N - 2); also all-zero counts,
    # whose MLE sits on the boundary p = 0 and whose posterior mode is inside
    for counts in (rng.binomial(10, 0.3, 25), np.zeros(25, dtype=int)):
        p = fastmle.fit("binom", counts, fn=10, prior={"p": P.Beta(2, 3)}).params.p
        assert p == pytest.approx((2 + counts.sum() - 1) / (5 + 10 * counts.size - 2), rel=1e-10)
    # geom + Beta(a, b): mode (a + N - 1) / (a + b + sum k - 2)
    g = rng.geometric(0.3, 30)
    p = fastmle.fit("geom", g, prior={"p": P.Beta(2, 3)}).params.p
    assert p == pytest.approx((2 + g.size - 1) / (5 + g.sum() - 2), rel=1e-10)
    # norm with known scale + Normal(m, t): the precision-weighted mean
    x = rng.normal(1.0, 2.0, 30)
    loc = fastmle.fit("norm", x, fscale=2.0, prior={"loc": P.Normal(-1.0, 0.5)}).params.loc
    want = (x.sum() / 4.0 - 1.0 / 0.25) / (x.size / 4.0 + 1.0 / 0.25)
    assert loc == pytest.approx(want, rel=1e-10)
    # expon with loc 0 + Gamma(a, rate b) on the scale s: d/ds [-N log s - S/s + (a-1) log s - b s] = 0
    y = rng.exponential(2.0, 30)
    s = fastmle.fit("expon", y, floc=0, prior={"scale": P.Gamma(3, 0.5)}).params.scale
    n_, S, a, b = y.size, y.sum(), 3.0, 0.5
    want = ((a - 1 - n_) + math.sqrt((a - 1 - n_) ** 2 + 4 * b * S)) / (2 * b)
    assert s == pytest.approx(want, rel=1e-10)


# -- a flat prior is the MLE ------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CASES))
def test_flat_prior_reproduces_the_mle_exactly(name):
    dist = REGISTRY[name]
    x, _ = data_and_weights(name)
    for kw in CASES[name][1][:2]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mle = fastmle.fit(name, x, **kw)
            free = [n for n in dist.param_names if n not in dist._parse_fit_args((), dict(kw)).fixed]
            for prior in ({n: P.Flat() for n in free}, {free[-1]: P.Flat()}):
                res = fastmle.fit(name, x, prior=prior, **kw)
                assert tuple(res.params) == tuple(mle.params)
                assert res.llf == mle.llf and res.log_posterior == mle.llf
                assert res.method == "MAP" and res.prior == prior
                assert dist.fit(x, prior=prior, **kw) == tuple(mle.params)


def test_a_wide_prior_approaches_the_mle():
    x = np.random.default_rng(2).gamma(2.5, 3.0, 200)
    mle = np.array(fastmle.fit("gamma", x, floc=0).params)
    gaps = []
    for width in (1e1, 1e3, 1e5):
        res = fastmle.fit("gamma", x, floc=0, prior={"a": P.Normal(0, width), "scale": P.Normal(0, width)})
        gaps.append(np.max(np.abs(np.array(res.params) - mle) / mle.clip(1)))
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-8


# -- priors with weights, bounds, quick paths -------------------------------------------

def test_map_with_weights_equals_map_on_repeated_rows():
    prior = {"c": P.Gamma(3, 1), "scale": P.HalfNormal(5)}
    x, w = data_and_weights("weibull_min")
    a = fastmle.fit("weibull_min", x, weights=w, floc=0, prior=prior)
    b = fastmle.fit("weibull_min", np.repeat(x, w), floc=0, prior=prior)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10)
    assert a.log_posterior == pytest.approx(b.log_posterior, rel=1e-12)


def test_quick_paths_do_not_skip_the_prior():
    rng = np.random.default_rng(6)
    prior_checks = [
        ("gamma", rng.gamma(2.0, 1.0, 50), {"floc": 0}, {"a": P.Gamma(20, 2)}),
        ("norm", rng.normal(0, 1, 50), {}, {"loc": P.Normal(3, 0.1)}),
        ("expon", rng.exponential(1.0, 50), {"floc": 0}, {"scale": P.Gamma(50, 10)}),
        ("binom", rng.binomial(10, 0.3, 50), {"fn": 10}, {"p": P.Beta(50, 5)}),
        ("geom", rng.geometric(0.3, 50), {}, {"p": P.Beta(50, 5)}),
        ("lognorm", rng.lognormal(0, 1, 50), {"floc": 0}, {"s": P.Gamma(50, 50)}),
        ("rayleigh", rng.rayleigh(1.0, 50), {"floc": 0}, {"scale": P.Gamma(50, 10)}),
        ("logistic", rng.logistic(0, 1, 50), {}, {"loc": P.Normal(3, 0.1)}),
    ]
    for name, x, kw, prior in prior_checks:
        dist = REGISTRY[name]
        got = dist.fit(x, prior=prior, **kw)
        assert got == tuple(fastmle.fit(name, x, prior=prior, **kw).params)
        assert got != dist.fit(x, **kw), name


def test_map_is_bitwise_across_threads_and_float32_reads_in_place():
    x = np.random.default_rng(9).gamma(2.5, 2.0, 20_000) + 1.0
    prior = {"a": P.Gamma(2, 1), "loc": P.Normal(0, 2), "scale": P.HalfNormal(5)}
    one = fastmle.fit("gamma", x, prior=prior, n_threads=1)
    two = fastmle.fit("gamma", x, prior=prior, n_threads=2)
    assert tuple(one.params) == tuple(two.params) and one.log_posterior == two.log_posterior
    x32 = x.astype(np.float32)
    np.testing.assert_allclose(fastmle.fit("gamma", x32, prior=prior).params,
                               fastmle.fit("gamma", x32.astype(np.float64), prior=prior).params, rtol=1e-12)


def test_bounds_and_priors_together():
    x = np.random.default_rng(3).gamma(3.0, 1.0, 200)
    prior = {"scale": P.Gamma(2, 1)}
    res = fastmle.fit("gamma", x, bounds={"a": (0.5, 2.0), "loc": (0, 0), "scale": (0.1, 10)}, prior=prior)
    held = fastmle.fit("gamma", x, fa=2.0, floc=0, prior=prior)
    assert res.params.a == 2.0 and "bounds enforced" in res.message
    assert res.params.scale == pytest.approx(held.params.scale, rel=1e-12)
    assert res.log_posterior == pytest.approx(held.log_posterior, rel=1e-12)


# -- the edge of a prior's support ------------------------------------------------------

def test_mode_on_the_edge_of_a_uniform_prior():
    x = np.random.default_rng(3).gamma(3.0, 1.0, 300)
    assert fastmle.fit("gamma", x, floc=0).params.a > 2.5
    res = fastmle.fit("gamma", x, floc=0, prior={"a": P.Uniform(0.5, 2.0)})
    assert res.converged and res.params.a == 2.0 and res.boundary == ("a",)
    assert res.params.scale == pytest.approx(x.mean() / 2.0, rel=1e-10)    # the MLE of the scale at a = 2
    assert np.isnan(res.bse[0]) and res.bse[2] > 0
    assert "upper end of its prior Uniform(0.5, 2)" in res.message


def test_mode_on_the_edge_of_a_half_normal_prior_on_loc():
    y = np.random.default_rng(3).normal(-0.3, 1.0, 100)
    res = fastmle.fit("norm", y, prior={"loc": P.HalfNormal(1.0)})
    assert res.converged and res.params.loc == 0.0 and res.boundary == ("loc",)
    assert res.params.scale == pytest.approx(math.sqrt(np.mean(y * y)), rel=1e-10)
    # both ends held, and a bound that does not bind left alone
    res = fastmle.fit("norm", y, prior={"loc": P.Uniform(-5, -1), "scale": P.Uniform(0.1, 0.5)})
    assert tuple(res.params) == (-1.0, 0.5) and res.converged
    res = fastmle.fit("norm", y, prior={"loc": P.Uniform(-5, 5), "scale": P.Uniform(0.1, 5)})
    mle = fastmle.fit("norm", y)
    np.testing.assert_allclose(res.params, mle.params, rtol=1e-12)
    assert not res.boundary and res.converged


# -- what is refused, and how --------------------------------------------------------------

def test_bad_priors_are_named():
    x = np.random.default_rng(1).gamma(2.0, 1.0, 50)
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['shape'\]"):
        fastmle.fit("gamma", x, prior={"shape": P.Gamma(2, 1)})
    with pytest.raises(ValueError, match="prior on 'loc', which is fixed at 0"):
        fastmle.fit("gamma", x, floc=0, prior={"loc": P.Normal(0, 1)})
    with pytest.raises(ValueError, match="prior on 'loc', which is fixed"):
        fastmle.gamma.fit(x, floc=0, prior={"loc": P.Normal(0, 1)})
    with pytest.raises(ValueError, match="floc=None frees it"):
        fastmle.fit("poisson", [1, 2, 3], prior={"loc": P.Normal(0, 1)})
    with pytest.raises(ValueError, match="fixed"):
        fastmle.fit("gamma", x, bounds={"a": (2, 2), "loc": (0, 0), "scale": (0, 9)}, prior={"a": P.Gamma(2, 1)})
    with pytest.raises(ValueError, match="method='MM' takes no prior"):
        fastmle.fit("gamma", x, method="mm", prior={"a": P.Gamma(2, 1)})
    with pytest.raises(TypeError, match="must be a dict"):
        fastmle.fit("gamma", x, prior=[P.Gamma(2, 1)])
    with pytest.raises(TypeError, match="prior on 'a' must be a fastmle.priors prior"):
        fastmle.fit("gamma", x, prior={"a": st.gamma(2)})


@pytest.mark.parametrize("name,kw,prior,pattern", [
    ("expon", {}, {"loc": P.Normal(0, 1)}, "boundary of the parameter space"),
    ("halfnorm", {}, {"loc": P.Normal(0, 1)}, "boundary of the parameter space"),
    ("laplace", {}, {"loc": P.Normal(0, 1)}, "closed form"),
    ("uniform", {}, {"scale": P.Gamma(2, 1)}, "data's range"),
    ("pareto", {"floc": 0}, {"b": P.Gamma(2, 1)}, "profile search"),
    ("vonmises", {}, {"kappa": P.Gamma(2, 1)}, "circular mean"),
    ("beta", {}, {"a": P.Gamma(2, 1)}, "floc and fscale"),
    ("poisson", {"floc": None}, {"mu": P.Gamma(2, 1)}, "free loc"),
    ("nbinom", {"floc": None}, {"loc": P.Normal(0, 1)}, "search over the integers"),
])
def test_priors_a_fit_cannot_honour_are_refused(name, kw, prior, pattern):
    x, _ = data_and_weights(name)
    with pytest.raises(NotImplementedError, match=pattern):
        fastmle.fit(name, x, prior=prior, **kw)
    with pytest.raises(NotImplementedError, match=pattern):
        REGISTRY[name].fit(x, prior=prior, **kw)
    # but a flat prior there is the MLE, and a prior elsewhere may be fine
    assert tuple(fastmle.fit(name, x, prior={n: P.Flat() for n in prior}, **kw).params) == \
        tuple(fastmle.fit(name, x, **kw).params)


def test_improper_or_impossible_posteriors():
    x = np.random.default_rng(1).gamma(2.0, 1.0, 50) + 3.0
    # infinite prior density inside loc's range: no mode to find
    with pytest.raises(ValueError, match="infinite density at 0.*no mode"):
        fastmle.fit("gamma", x, prior={"loc": P.Gamma(0.5, 1)})
    # all prior mass where the data are impossible (loc must stay below min(x) = 3.x)
    with pytest.raises(ValueError, match="data are impossible"):
        fastmle.fit("gamma", x, prior={"loc": P.Uniform(10, 20)})
    # a skew-normal sample more skewed than any skew-normal, no prior on a: the posterior runs off
    y = np.random.default_rng(0).exponential(1.0, 400)
    with pytest.raises(ValueError, match="no posterior mode"):
        fastmle.fit("skewnorm", y, prior={"scale": P.HalfNormal(5)})
    assert abs(fastmle.fit("skewnorm", y, prior={"a": P.Normal(0, 3)}).params.a) < 30
    # an unbounded posterior at the edge of p's range (all-zero counts, Beta(1/2, .)): not converged, warned
    with pytest.warns(fastmle.ConvergenceWarning, match="did not converge"):
        res = fastmle.fit("binom", np.zeros(20, dtype=int), fn=10, prior={"p": P.Beta(0.5, 3)})
    assert not res.converged and res.params.p < 1e-100


def test_censored_data_with_a_prior_are_refused_and_map_has_no_profile_interval():
    x = np.random.default_rng(2).weibull(1.5, 100) * 2.0
    cens = st.CensoredData(uncensored=x[:80], right=x[80:])
    with pytest.raises(NotImplementedError, match="censored data: priors"):
        fastmle.fit("weibull_min", cens, floc=0, prior={"c": P.Gamma(3, 1)})
    flat = fastmle.fit("weibull_min", cens, floc=0, prior={"c": P.Flat()})
    assert tuple(flat.params) == tuple(fastmle.fit("weibull_min", cens, floc=0).params)
    res = fastmle.fit("weibull_min", x, floc=0, prior={"c": P.Gamma(3, 1)})
    with pytest.warns(RuntimeWarning, match="Maximum a Posteriori estimate"):
        assert np.all(np.isnan(res.conf_int(method="profile")[[0, 2]]))  # it does not maximize the likelihood
    assert np.all(np.isfinite(res.conf_int()[[0, 2]]))                    # Wald: the Laplace approximation
    assert "Log-posterior" in res.summary() and "Maximum a Posteriori" in res.summary()
