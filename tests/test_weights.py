"""Frequency weights, registry-wide: fitting ``x`` with integer weights ``w``
equals fitting ``np.repeat(x, w)``, for every distribution, without expanding
the data; and what counts as a valid weight.

The comparison is to 1e-10 relative on the parameters (a location relative
to the scale, since it may sit near 0) where the fit is well posed: a regular
maximum that both fits converged to. Where it is not, the test says what it
compares instead:

- no regular maximum (a limit point, ``converged=False``), or the method of
  moments stopped by its iteration limit: both fits must report it; the
  point where the search stops is arbitrary;
- ``method="MM"`` where the moment equations have no exact solution (the
  objective stays above 0): the minimum of scipy's objective can be flat or
  a whole curve (t: its third moment is 0 whatever df is, so df and scale
  trade off at equal variance), so the objective values are compared (1e-10
  relative) and the fitted distributions' raw moments (1e-8, looser where
  the objective itself is large), not the parameters.
"""
import math
import warnings

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle.distributions import REGISTRY

# name -> (scipy shape arguments for the sample, fit keyword combinations)
CASES = {
    "beta": ((2.0, 3.0), [{}, {"floc": 0, "fscale": 1}, {"fa": 2.0}]),
    "betabinom": ((12, 2.0, 3.0), [{"fn": 12}, {"fn": 12, "floc": None}]),
    "binom": ((12, 0.3), [{"fn": 12}, {"fn": 12, "floc": None}]),
    "cauchy": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "chi2": ((4.0,), [{}, {"floc": 0}, {"floc": 0, "fscale": 1}]),
    "expon": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "fisk": ((3.0,), [{}, {"floc": 0}]),
    "gamma": ((2.5,), [{}, {"floc": 0}, {"floc": 0, "fa": 2.5}, {"fscale": 1.0}]),
    "genextreme": ((0.2,), [{}, {"floc": 0}, {"f0": 0.2}]),
    "genpareto": ((0.2,), [{}, {"floc": 0}, {"floc": 0, "fscale": 1}]),
    "geom": ((0.3,), [{}, {"floc": None}]),
    "gumbel_l": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "gumbel_r": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "halfnorm": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "invgauss": ((0.5,), [{}, {"floc": 0}, {"floc": 0, "fscale": 1}]),
    "laplace": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "logistic": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "lognorm": ((0.6,), [{}, {"floc": 0}, {"floc": 0, "fscale": 1}]),
    "lomax": ((3.0,), [{}, {"floc": 0}]),
    "nbinom": ((3.0, 0.4), [{}, {"fn": 3.0}, {"floc": None}]),
    "norm": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "pareto": ((3.0,), [{}, {"floc": 0}, {"floc": 0, "fscale": 1}]),
    "poisson": ((3.0,), [{}, {"floc": None}]),
    "rayleigh": ((), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "skewnorm": ((3.0,), [{}, {"floc": 0}, {"fscale": 1.0}]),
    "t": ((4.0,), [{}, {"floc": 0}, {"f0": 4.0}]),
    "uniform": ((), [{}, {"floc": 0}, {"fscale": 1.2}]),
    "vonmises": ((2.0,), [{}, {"floc": 0}]),
    "weibull_max": ((2.5,), [{}, {"floc": 0}]),
    "weibull_min": ((1.7,), [{}, {"floc": 0}, {"floc": 0, "fc": 1.7}]),
    "zipoisson": ((3.0, 0.2), [{}, {"floc": None}]),
}

#: method="MM" is not defined for these (no finite moments, or angles)
NO_MM = {"cauchy", "vonmises"}
#: MM needs moments the sample's fit does not have (lomax's c <= 4, t's df <= 4
#: at the start): those raise on the repeated data too, and are checked to
#: raise the same way
N = 200
SEED = 20240


def test_every_distribution_is_covered():
    assert set(CASES) == set(REGISTRY)


def sample(name, n, rng):
    args = CASES[name][0]
    if name == "zipoisson":
        mu, pi = args
        return np.where(rng.random(n) < pi, 0, rng.poisson(mu, n)).astype(float)
    return np.asarray(getattr(st, name).rvs(*args, size=n, random_state=rng), dtype=float)


def data_and_weights(name, n=N, seed=SEED):
    rng = np.random.default_rng([seed, sorted(REGISTRY).index(name)])
    x = sample(name, n, rng)
    return x, rng.integers(1, 5, x.size)


def gaps(dist, got, want):
    """Per parameter: relative difference, a location relative to the scale."""
    names = dist.param_names
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    ref = np.maximum(np.abs(want), 1e-300)
    if "scale" in names:
        ref[names.index("loc")] = max(abs(want[names.index("loc")]), want[names.index("scale")])
    return np.abs(got - want) / ref


def quiet(call, *args, **kwds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwds)


def fitted_raw_moments(dist, params, k):
    """The first ``k`` raw moments of the fitted distribution (what MM matches)."""
    from fastmle.distributions._moments import raw_moments_from_central
    return raw_moments_from_central(*dist._moments_at(tuple(params)), k)


def compare(dist, weighted, repeated, rtol=1e-10):
    """``weighted`` (a FitResult) against ``repeated``, by the rules of the module doc."""
    if not repeated.converged:
        # a limit point (MLE) or the iteration limit (MM): no answer to compare
        assert not weighted.converged, weighted.message
        return
    assert weighted.converged, weighted.message
    assert weighted.nobs == repeated.nobs
    if weighted.method == "MM":
        # closed-form MM (uniform) keeps no objective: it is exact
        o_w = weighted.mle_retvals.get("objective", 0.0)
        o_r = repeated.mle_retvals.get("objective", 0.0)
        if max(o_w, o_r) > 1e-20:
            assert abs(o_w - o_r) <= rtol * o_r, (o_w, o_r)
            # in float64 the objective resolves a residual only down to about
            # sqrt(eps * objective): t with floc=0 has objective 1 (its mean is
            # held at 0), so its second moment is matched to ~1e-8 only
            k = len(weighted.free)
            np.testing.assert_allclose(fitted_raw_moments(dist, weighted.params, k),
                                       fitted_raw_moments(dist, repeated.params, k),
                                       rtol=1e-8 + 1e-7 * math.sqrt(o_r))
            return
    assert np.all(gaps(dist, weighted.params, repeated.params) <= rtol), \
        (weighted.params, repeated.params)
    if math.isfinite(repeated.llf):
        # at a maximum the log-likelihood moves to second order in the
        # parameters; at a moment estimate to first order (n ulps of them)
        rel = 1e-12 if weighted.method == "MLE" else 1e-10
        assert weighted.llf == pytest.approx(repeated.llf, rel=rel, abs=rel)


def _cases():
    for name in sorted(CASES):
        for kw in CASES[name][1]:
            for method in ("MLE", "MM"):
                if method == "MM" and name in NO_MM:
                    continue
                tag = ",".join(f"{k}={v}" for k, v in kw.items()) or "free"
                yield pytest.param(name, dict(kw, method=method), id=f"{name}-{tag}-{method}")


@pytest.mark.parametrize("name,kw", list(_cases()))
def test_weights_equal_repeated_rows(name, kw):
    dist = REGISTRY[name]
    x, w = data_and_weights(name)
    xr = np.repeat(x, w)
    try:
        repeated = quiet(fastmle.fit, name, xr, **kw)
    except ValueError as exc:
        # MM without finite moments at the start: the weighted fit says the same
        with pytest.raises(ValueError, match="moments are not finite"):
            quiet(fastmle.fit, name, x, weights=w, **kw)
        assert "moments are not finite" in str(exc)
        return
    weighted = quiet(fastmle.fit, name, x, weights=w, **kw)
    compare(dist, weighted, repeated)
    # the scipy-style tuple from .fit: the same numbers as fastmle.fit's params
    # on the weighted data, and as .fit on the repeated rows
    tup_w = quiet(dist.fit, x, weights=w, **kw)
    tup_r = quiet(dist.fit, xr, **kw)
    assert tup_w == tuple(weighted.params)
    if repeated.converged and weighted.mle_retvals.get("objective", 0.0) <= 1e-20:
        assert np.all(gaps(dist, tup_w, tup_r) <= 1e-10), (tup_w, tup_r)


@pytest.mark.parametrize("name", sorted(CASES))
def test_non_integer_weights_are_a_scale(name):
    """Frequency weights: multiplying them all by a constant changes nothing
    but the counts (nobs and the log-likelihood scale with it)."""
    dist = REGISTRY[name]
    kw = CASES[name][1][0]
    x, w = data_and_weights(name)
    base = quiet(fastmle.fit, name, x, weights=w, **kw)
    for c in (0.37, 2.5):
        scaled = quiet(fastmle.fit, name, x, weights=w * c, **kw)
        assert scaled.nobs == pytest.approx(c * base.nobs, rel=1e-14)
        if not base.converged:
            assert not scaled.converged
            continue
        assert scaled.converged
        assert np.all(gaps(dist, scaled.params, base.params) <= 1e-10), (scaled.params, base.params)
        assert scaled.llf == pytest.approx(c * base.llf, rel=1e-11, abs=1e-11)


def _outside_support(name, x):
    """A value the fitted distribution cannot produce (to be given weight 0)."""
    if REGISTRY[name].discrete:
        return 0.5          # not an integer
    if name in ("beta", "uniform"):
        return -50.0 if CASES[name][1][1].get("floc") == 0 else float(np.max(x)) + 1e3
    return float(np.min(x)) - 1e3


@pytest.mark.parametrize("name", sorted(CASES))
def test_zero_weights_drop_the_observation(name):
    """A weight of 0 means the observation is not there, as ``np.repeat``
    (and statsmodels' ``freq_weights``) would have it: even a value outside
    the support, or NaN, given weight 0 is ignored."""
    dist = REGISTRY[name]
    x, w = data_and_weights(name)
    for kw in CASES[name][1][:2]:
        want = quiet(dist.fit, x, weights=w, **kw)
        extra = np.array([_outside_support(name, x), np.nan, float(np.median(x))])
        xz = np.insert(x, [0, 7, 50], extra)
        wz = np.insert(w, [0, 7, 50], 0)
        assert quiet(dist.fit, xz, weights=wz, **kw) == want
        assert tuple(quiet(fastmle.fit, name, xz, weights=wz, **kw).params) == want


BAD_WEIGHTS = [
    (lambda w: -w, "non-negative"),
    (lambda w: np.r_[w[:-1], -1.0], "non-negative; 1 are negative"),
    (lambda w: np.r_[w[:-1], np.nan], "NaN or infinite"),
    (lambda w: np.r_[w[:-1], np.inf], "NaN or infinite"),
    (lambda w: w[:-1], "one value per observation"),
    (lambda w: np.r_[w, 1.0], "one value per observation"),
    (lambda w: w.reshape(2, -1), r"shape \(2, 100\).*data of shape \(200,\)"),
    (lambda w: np.zeros_like(w), "sum to zero"),
]


@pytest.mark.parametrize("make,pattern", BAD_WEIGHTS,
                         ids=["negative", "one-negative", "nan", "inf", "short", "long", "2-d", "zero"])
@pytest.mark.parametrize("name", ["gamma", "norm", "poisson", "binom"])
def test_bad_weights_are_named(name, make, pattern):
    x, w = data_and_weights(name)
    w = make(w.astype(float))
    kw = {"fn": 12} if name == "binom" else {}
    with pytest.raises(ValueError, match=pattern):
        REGISTRY[name].fit(x, weights=w, **kw)
    with pytest.raises(ValueError, match=pattern):
        fastmle.fit(name, x, weights=w, **kw)


def test_weights_in_the_data_shape_and_as_a_column_are_accepted():
    x, w = data_and_weights("gamma")
    want = fastmle.gamma.fit(x, weights=w, floc=0)
    assert fastmle.gamma.fit(x.reshape(20, 10), weights=w.reshape(20, 10), floc=0) == want
    assert fastmle.gamma.fit(x, weights=w.reshape(-1, 1), floc=0) == want
    assert fastmle.gamma.fit(x.reshape(20, 10), weights=w, floc=0) == want
    with pytest.raises(ValueError, match="shape"):
        fastmle.gamma.fit(x.reshape(20, 10), weights=w.reshape(10, 20), floc=0)
