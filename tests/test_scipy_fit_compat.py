"""fastmle.fit as a drop-in for scipy.stats.fit: arguments, result, bounds, plot."""
import sys

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle._results import _DiscreteTable

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _nllf_not_worse(res, ref):
    """fastmle's optimum is no worse than scipy's (1e-9 relative slack)."""
    a, b = res.nllf(), ref.nllf()
    assert np.isfinite(a)
    assert a <= b + 1e-9 * abs(b), (res.params, ref.params, a, b)


def _scipy_style_report(fit, dist, data, bounds, **kw):
    """Code written for scipy.stats.fit, run with either ``fit``: it only
    touches scipy's documented attributes."""
    res = fit(dist, data, bounds, **kw)
    named = {name: getattr(res.params, name) for name in res.params._fields}
    return {
        "fields": res.params._fields,
        "named": named,
        "tuple": tuple(res.params),
        "success": bool(res.success),
        "message": str(res.message),
        "nllf": res.nllf(),
        "nllf_at_guess": res.nllf(params=tuple(res.params)),
        "nllf_other_data": res.nllf(data=np.asarray(data)[: len(data) // 2]),
        "discrete": res.discrete,
        "res": res,
    }


CASES = [
    ("gamma", lambda r: r.gamma(2.0, 1.5, 400), {"a": (0.1, 10), "scale": (0.1, 10)}),
    ("gamma", lambda r: r.gamma(2.0, 1.5, 400), [(0.1, 10), (-1, 0.05), (0.1, 10)]),
    ("norm", lambda r: r.normal(3.0, 2.0, 300), {"loc": (-10, 10), "scale": (0.1, 10)}),
    ("lognorm", lambda r: r.lognormal(0.5, 0.7, 300), {"s": (0.1, 3), "scale": (0.1, 10)}),
    ("weibull_min", lambda r: r.weibull(1.7, 300) * 2, {"c": (0.2, 5), "scale": (0.1, 10)}),
    ("t", lambda r: r.standard_t(4.0, 300), {"df": (0.5, 30), "loc": (-5, 5), "scale": (0.1, 5)}),
    ("poisson", lambda r: r.poisson(3.3, 300), {"mu": (0, 20)}),
    ("poisson", lambda r: r.poisson(3.3, 300) + 4, {"mu": (0, 20), "loc": (-5, 10)}),
]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name,gen,bounds", CASES)
def test_scipy_fit_code_runs_unchanged(name, gen, bounds, seed):
    data = gen(np.random.default_rng(seed))
    dist = getattr(st, name)
    ours = _scipy_style_report(fastmle.fit, dist, data, bounds)
    ref = _scipy_style_report(st.fit, dist, data, bounds)
    assert ours["fields"] == ref["fields"]
    assert ours["discrete"] == ref["discrete"]
    assert ours["success"]
    np.testing.assert_allclose(ours["nllf"], ours["nllf_at_guess"], rtol=1e-12)
    _nllf_not_worse(ours["res"], ref["res"])
    # nllf with explicit params/data is scipy's nnlf
    for rep in (ours, ref):
        for p in (ours["tuple"], ref["tuple"]):
            np.testing.assert_allclose(rep["res"].nllf(params=p), dist.nnlf(p, data), rtol=1e-10)
        half = np.asarray(data)[: len(data) // 2]
        np.testing.assert_allclose(rep["nllf_other_data"], dist.nnlf(rep["tuple"], half), rtol=1e-10)
    # every estimate inside its bounds, fixed ones exactly at their value
    box = bounds if isinstance(bounds, dict) else dict(zip(ours["fields"], bounds))
    for field, value in ours["named"].items():
        lo, hi = box.get(field, {"loc": (0, 0), "scale": (1, 1)}.get(field))
        assert lo <= value <= hi


def test_guess_method_and_optimizer_are_accepted(rng):
    x = rng.gamma(2.0, 1.5, 500)
    b = {"a": (0.1, 10), "scale": (0.1, 10)}
    base = fastmle.fit(st.gamma, x, b)
    calls = []

    def optimizer(fun, **kw):     # scipy would call it; fastmle documents it is ignored
        calls.append(kw)
        raise AssertionError("not to be called")

    for kw in ({"guess": {"a": 5.0, "scale": 0.5}}, {"guess": [5.0, 0.0, 0.5]}, {"method": "MLE"},
               {"optimizer": optimizer}):
        res = fastmle.fit(st.gamma, x, b, **kw)
        np.testing.assert_allclose(res.params, base.params, rtol=1e-7)
    assert not calls
    with pytest.raises(NotImplementedError, match="mse"):
        fastmle.fit(st.gamma, x, b, method="mse")
    with pytest.raises(ValueError, match="method"):
        fastmle.fit(st.gamma, x, b, method="moments")


def test_bounds_forms_and_errors(rng):
    x = rng.gamma(2.0, 1.5, 500)
    as_dict = fastmle.fit(st.gamma, x, {"a": (0.1, 10), "loc": (0, 0), "scale": (0.1, 10)})
    as_seq = fastmle.fit(st.gamma, x, [(0.1, 10), (0, 0), (0.1, 10)])
    assert as_dict.params == as_seq.params
    # a None bound is the whole domain (scipy.stats.fit's rule): scale is then free
    whole = fastmle.fit(st.gamma, x, {"a": (0.1, 10), "scale": None})
    assert whole.params == as_dict.params
    # equal bounds fix a parameter exactly
    fixed = fastmle.fit(st.gamma, x, {"a": (2.5, 2.5), "scale": (0.1, 10)})
    assert fixed.params.a == 2.5 and "a" in fixed.fixed
    np.testing.assert_allclose(fixed.params.scale, x.mean() / 2.5, rtol=1e-10)   # closed form
    with pytest.raises(ValueError):
        fastmle.fit(st.gamma, x, {"a": (10, 0.1)})
    with pytest.raises(ValueError):
        fastmle.fit(st.gamma, x, [(0.1, 10, 3)])
    with pytest.raises(ValueError):
        fastmle.fit(st.gamma, x, [(0.1, 10)] * 4)
    with pytest.raises(ValueError):                     # discrete loc: no integer inside
        fastmle.fit(st.poisson, rng.poisson(3, 100), {"mu": (0, 10), "loc": (0.2, 0.8)})
    with pytest.warns(RuntimeWarning, match="unrecognized"):
        fastmle.fit(st.gamma, x, {"a": (0.1, 10), "nonsense": (0, 1)})


def test_bad_data_raise_value_error(rng):
    x = rng.gamma(2.0, 1.5, 100)
    for bad in (np.r_[x, np.nan], np.r_[x, np.inf], np.array([])):
        with pytest.raises(ValueError):
            fastmle.fit(st.gamma, bad, {"a": (0.1, 10)})
    with pytest.raises(ValueError):     # loc held at 0 by default: negative data are outside the support
        fastmle.fit(st.gamma, x - 5, {"a": (0.1, 10), "scale": (0.1, 10)})


# -- bounds are enforced ------------------------------------------------------------

BOUND_CASES = [
    # (dist, data generator, bounds, parameters expected on a bound)
    ("gamma", lambda r: r.gamma(2.0, 1.0, 2000), {"a": (5, 10)}, {"a": 5}),
    ("gamma", lambda r: r.gamma(2.0, 1.0, 2000), {"a": (0.1, 1.5), "scale": (0.1, 10)}, {"a": 1.5}),
    ("gamma", lambda r: r.gamma(2.0, 1.0, 2000), {"a": (0.1, 10), "scale": (0.1, 0.5)}, {"scale": 0.5}),
    # both cross at the unconstrained optimum, but with a held at 2.5 the
    # best scale (mean/2.5 ~ 0.8) is inside: only a stays held
    ("gamma", lambda r: r.gamma(2.0, 1.0, 2000), {"a": (2.5, 10), "scale": (0.1, 0.95)}, {"a": 2.5}),
    ("norm", lambda r: r.normal(1.0, 3.0, 1000), {"loc": (-5, 5), "scale": (0.1, 2)}, {"scale": 2}),
    ("norm", lambda r: r.normal(1.0, 3.0, 1000), {"loc": (2, 5), "scale": (0.1, 10)}, {"loc": 2}),
    ("weibull_min", lambda r: r.weibull(1.7, 1000) * 2, {"c": (2.5, 5), "scale": (0.1, 10)}, {"c": 2.5}),
    ("lognorm", lambda r: r.lognormal(0.5, 0.7, 1000), {"s": (0.1, 0.5), "scale": (0.1, 10)}, {"s": 0.5}),
    ("t", lambda r: r.standard_t(3.0, 1000), {"df": (10, 30), "loc": (-5, 5), "scale": (0.1, 5)}, {"df": 10}),
    ("poisson", lambda r: r.poisson(3.3, 1000), {"mu": (0, 2.5)}, {"mu": 2.5}),
]


@pytest.mark.parametrize("name,gen,bounds,on_bound", BOUND_CASES)
def test_bounds_are_enforced_and_not_worse_than_scipy(name, gen, bounds, on_bound):
    data = gen(np.random.default_rng(3))
    dist = getattr(st, name)
    free = fastmle.fit(dist, data, {k: (-np.inf, np.inf) if k == "loc" else (1e-9, np.inf) for k in bounds})
    res = fastmle.fit(dist, data, bounds)
    ref = st.fit(dist, data, bounds)
    assert res.success
    for pname, (lo, hi) in bounds.items():
        assert lo <= getattr(res.params, pname) <= hi
    for pname, value in on_bound.items():
        assert getattr(res.params, pname) == value
        assert not bounds[pname][0] <= getattr(free.params, pname) <= bounds[pname][1]
        assert f"{pname} held at its" in res.message
        assert pname not in res.fixed and pname in res.boundary
    assert set(res.mle_retvals["bounds_held"]) == set(on_bound)
    # a constrained optimum is no better than the unconstrained one, and no worse than scipy's
    assert res.nllf() >= free.nllf() - 1e-9 * abs(free.nllf())
    _nllf_not_worse(res, ref)


def test_boundary_optimum_matches_closed_forms(rng):
    x = rng.normal(1.0, 3.0, 1000)
    # scale held at 2: loc is still the mean
    res = fastmle.fit(st.norm, x, {"loc": (-5, 5), "scale": (0.1, 2)})
    np.testing.assert_allclose(res.params.loc, x.mean(), rtol=1e-10)
    # loc held at 2: scale is the rms deviation about 2
    res = fastmle.fit(st.norm, x, {"loc": (2, 5), "scale": (0.1, 10)})
    np.testing.assert_allclose(res.params.scale, np.sqrt(np.mean((x - 2) ** 2)), rtol=1e-10)
    # gamma with a held at 5: scale = mean / 5
    y = rng.gamma(2.0, 1.0, 1000)
    res = fastmle.fit(st.gamma, y, {"a": (5, 10), "scale": (0.01, 10)})
    np.testing.assert_allclose(res.params.scale, y.mean() / 5, rtol=1e-10)


def test_bounds_with_no_feasible_point_raise(rng):
    x = rng.gamma(2.0, 1.0, 500) + 1.0
    # loc must be below min(x) ~ 1; forcing it >= 3 leaves no positive likelihood
    with pytest.raises(ValueError, match="positive likelihood"):
        fastmle.fit(st.gamma, x, {"a": (0.5, 10), "loc": (3, 4), "scale": (0.1, 10)})


# -- plot -----------------------------------------------------------------------------

def _lines(ax):
    return {ln.get_label(): ln for ln in ax.get_lines()}


@pytest.fixture
def axes():
    fig, ax = plt.subplots(1, 2)
    yield ax
    plt.close(fig)


def test_plot_hist_continuous_matches_scipy(rng, axes):
    x = rng.gamma(2.0, 1.5, 400)
    b = {"a": (0.1, 10), "scale": (0.1, 10)}
    res, ref = fastmle.fit(st.gamma, x, b), st.fit(st.gamma, x, b)
    ours, theirs = res.plot(axes[0]), ref.plot(axes[1])
    assert ours is axes[0]
    for a, b_ in ((ours, theirs),):
        assert a.get_title() == b_.get_title() and "gamma" in a.get_title()
        assert (a.get_xlabel(), a.get_ylabel()) == (b_.get_xlabel(), b_.get_ylabel()) == ("x", "PDF")
        assert [t.get_text() for t in a.get_legend().get_texts()] == \
            [t.get_text() for t in b_.get_legend().get_texts()]
    line = _lines(ours)["Fitted Distribution PDF"]
    gx, gy = line.get_data()
    assert len(gx) == 200 and gx[0] == 0 and gx[-1] == x.max()
    np.testing.assert_allclose(gy, st.gamma.pdf(gx, *res.params), rtol=1e-12)
    # the histogram is normalized: bar areas sum to one
    bars = ours.patches
    assert len(bars) == 50
    np.testing.assert_allclose(sum(p.get_height() * p.get_width() for p in bars), 1.0, rtol=1e-10)


def test_plot_qq_pp_cdf_content(rng, axes):
    x = rng.gamma(2.0, 1.5, 200)
    res = fastmle.fit(st.gamma, x, {"a": (0.1, 10), "scale": (0.1, 10)})
    n = len(x)
    ps = (np.arange(1, n + 1) - 0.5) / n
    ax = res.plot(axes[0], plot_type="qq")
    qx, qy = _lines(ax)["Fitted Distribution Q-Q"].get_data()
    np.testing.assert_allclose(qx, st.gamma.ppf(ps, *res.params), rtol=1e-10)
    np.testing.assert_array_equal(qy, np.sort(x))
    assert ax.get_title() == r"Fitted $\tt gamma$ Q-Q Plot"
    assert "Reference" in _lines(ax)
    axes[1].cla()
    ax = res.plot(axes[1], kind="PP")        # issue 4's name for plot_type
    px, py = _lines(ax)["Fitted Distribution P-P"].get_data()
    np.testing.assert_allclose(px, ps)
    np.testing.assert_allclose(py, st.gamma.cdf(np.sort(x), *res.params), rtol=1e-10)
    assert ax.get_ylabel() == "Data Percentiles" and ax.get_xlim() == (0, 1)
    fig, ax = plt.subplots()
    try:
        res.plot(ax, plot_type="cdf")
        lines = _lines(ax)
        ex, ey = lines["Empirical CDF"].get_data()
        np.testing.assert_array_equal(ex, np.sort(x))
        np.testing.assert_allclose(ey, ps)
        cx, cy = lines["Fitted Distribution CDF"].get_data()
        np.testing.assert_allclose(cy, st.gamma.cdf(cx, *res.params), rtol=1e-10)
        assert ax.get_ylim() == (0, 1) and ax.get_ylabel() == "CDF"
        # scipy orders the legend fitted-first
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Fitted Distribution CDF",
                                                                        "Empirical CDF"]
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="plot_type"):
        res.plot(axes[0], plot_type="violin")
    with pytest.raises(ValueError, match="disagree"):
        res.plot(axes[0], plot_type="qq", kind="pp")


def test_plot_default_axes_and_small_samples(rng):
    x = rng.normal(0.0, 1.0, 30)
    res = fastmle.fit(st.norm, x, {"loc": (-5, 5), "scale": (0.1, 5)})
    fig = plt.figure()
    try:
        ax = res.plot()        # the current axes, as scipy
        assert ax is plt.gca()
        data = _lines(ax)["Data"]       # 50 or fewer observations: points, no histogram
        np.testing.assert_array_equal(np.sort(data.get_xdata()), np.sort(x))
        assert not ax.patches
    finally:
        plt.close(fig)


def test_plot_discrete_matches_scipy(rng, axes):
    k = rng.poisson(3.3, 500)
    b = {"mu": (0, 20)}
    res, ref = fastmle.fit(st.poisson, k, b), st.fit(st.poisson, k, b)
    ours, theirs = res.plot(axes[0]), ref.plot(axes[1])
    assert (ours.get_xlabel(), ours.get_ylabel()) == ("k", "PMF")
    assert ours.get_title() == theirs.get_title()
    stems = ours.collections[0].get_segments()
    tops = np.array([s[1] for s in stems])
    np.testing.assert_allclose(tops[:, 1], st.poisson.pmf(tops[:, 0], *res.params), rtol=1e-12)
    heights = np.array([p.get_height() for p in ours.patches])
    counts = np.bincount(k, minlength=len(heights))[: len(heights)]
    np.testing.assert_allclose(heights, counts / counts.sum(), rtol=1e-12)


def test_weighted_plot_equals_repeated_rows(rng, axes):
    x = np.round(rng.gamma(2.0, 1.5, 100), 1)          # ties on purpose
    w = rng.integers(1, 4, x.size)
    b = {"a": (0.1, 10), "scale": (0.1, 10)}
    weighted = fastmle.fit(st.gamma, x, b, weights=w)
    repeated = fastmle.fit(st.gamma, np.repeat(x, w), b)
    np.testing.assert_allclose(weighted.params, repeated.params, rtol=1e-8)
    wx, wy = _lines(weighted.plot(axes[0], plot_type="cdf"))["Empirical CDF"].get_data()
    rx, ry = _lines(repeated.plot(axes[1], plot_type="cdf"))["Empirical CDF"].get_data()
    order = np.argsort(x, kind="stable")
    ws = w[order]
    np.testing.assert_array_equal(wx, x[order])
    # a row of weight k sits at the mean plotting position of its k copies,
    # so per distinct value the weight-averaged positions agree
    for value in np.unique(x):
        np.testing.assert_allclose(np.average(wy[wx == value], weights=ws[wx == value]),
                                   ry[rx == value].mean(), rtol=1e-12)


def test_discrete_table_is_the_distribution(rng):
    # the numpy-only pmf/cdf/ppf used to draw discrete distributions scipy lacks
    res = fastmle.fit(st.poisson, rng.poisson(3.3, 300), {"mu": (0, 20), "loc": (-3, 3)})
    table = _DiscreteTable(res.dist, tuple(res.params), 12)
    k = np.arange(-3, 25)
    # the table stops where the tail mass is below 1e-12
    np.testing.assert_allclose(table.pxf(k), st.poisson.pmf(k, *res.params), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(table.pxf(k + 0.5), 0.0)
    np.testing.assert_allclose(table.cdf(k + 0.5), st.poisson.cdf(k + 0.5, *res.params), rtol=1e-12,
                               atol=1e-15)
    q = np.linspace(0.001, 0.999, 97)
    np.testing.assert_array_equal(table.ppf(q), st.poisson.ppf(q, *res.params))
    assert table.support()[0] == res.params.loc


def test_plot_without_matplotlib_names_the_extra(rng, monkeypatch):
    res = fastmle.fit(st.gamma, rng.gamma(2.0, 1.5, 100), {"a": (0.1, 10)})
    monkeypatch.setitem(sys.modules, "matplotlib", None)     # import matplotlib now fails
    with pytest.raises(ImportError, match=r"fastmle\[plot\]"):
        res.plot()


def test_method_of_moments_reports_bounds_it_does_not_enforce(rng):
    x = rng.gamma(2.0, 1.0, 500)
    inside = fastmle.fit(st.gamma, x, {"a": (0.1, 10), "scale": (0.1, 10)}, method="mm")
    assert inside.success and inside.method == "MM"
    # gamma's moment equations with loc = 0: a = mean^2 / var
    np.testing.assert_allclose(inside.params.a, x.mean() ** 2 / x.var(), rtol=1e-8)
    with pytest.warns(RuntimeWarning, match="outside its bounds"):
        outside = fastmle.fit(st.gamma, x, {"a": (5, 10), "scale": (0.1, 10)}, method="mm")
    assert not outside.success


def test_scipy_lookalikes_are_not_fit_as_scipy_distributions(rng):
    x = rng.gamma(2.0, 1.5, 100)

    class HeavierGamma(type(st.gamma)):       # another density under scipy's name
        def _pdf(self, x, a):
            return super()._pdf(x, a) * 0.5 + 0.5 * np.exp(-x)
    with pytest.raises(ValueError, match="not scipy.stats.gamma"):
        fastmle.fit(HeavierGamma(a=0.0, name="gamma"), x, {"a": (0.1, 10)})
    with pytest.raises(ValueError, match="not scipy.stats.gamma"):
        fastmle.fit(type(st.gamma)(a=1.0, name="gamma"), x + 1, {"a": (0.1, 10)})    # other support
    same = type(st.gamma)(a=0.0, name="gamma")                  # scipy's own, re-made: fine
    assert fastmle.fit(same, x, {"a": (0.1, 10)}).params == fastmle.fit(st.gamma, x, {"a": (0.1, 10)}).params
