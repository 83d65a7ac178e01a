"""pytest-benchmark suite: regression fits at N = 1e6, p = 20 -- fastmle, statsmodels, scikit-learn.

Run with ``pytest bench/test_bench_regression.py --benchmark-only``. Each
group holds one model's three fits on the same arrays (the cases of
``fastmle._bench_regression``, which ``fastmle bench`` also runs);
``extra_info`` records the parameters so that "same optimum" can be
checked from the saved JSON. statsmodels and scikit-learn take seconds at
this size: they run 1-3 pedantic rounds.
"""
import warnings

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")
sm = pytest.importorskip("statsmodels.api")
linear_model = pytest.importorskip("sklearn.linear_model")

import fastmle  # noqa: E402
from fastmle._bench_regression import REG_CASES  # noqa: E402

N = 1_000_000
pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def data():
    cache = {}

    def get(case):
        if case.label not in cache:
            cache[case.label] = case.data(N)
        return cache[case.label]
    yield get
    cache.clear()


def _call(side, case, X, y, n_threads):
    if side == "fastmle":
        model = getattr(fastmle, case.model)
        return lambda: np.asarray(model(y, X, n_threads=n_threads).fit().params)
    if side == "statsmodels":
        smm = getattr(sm, case.model)
        return lambda: np.asarray(smm(y, X).fit(disp=0).params)
    if case.model == "Logit":
        est = linear_model.LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-8, max_iter=1000)
    else:
        est = linear_model.PoissonRegressor(alpha=0.0, solver="lbfgs", tol=1e-8, max_iter=1000)

    def sk():
        est.fit(X[:, 1:], y)
        return np.concatenate([np.ravel(est.intercept_), np.ravel(est.coef_)])
    return sk


@pytest.mark.parametrize("case", REG_CASES, ids=lambda c: c.label.replace(" ", "_").replace("=", ""))
@pytest.mark.parametrize("side", ["fastmle", "statsmodels", "sklearn"])
def test_regression_fit(benchmark, case, side, data, n_threads):
    X, y = data(case)
    benchmark.group = f"{case.label} N=1e6"
    fn = _call(side, case, X, y, n_threads)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if side == "fastmle":
            fn()
            params = benchmark(fn)
        else:
            params = benchmark.pedantic(fn, rounds=2, iterations=1, warmup_rounds=0)
    reference = np.asarray(fastmle.Logit(y, X).fit().params if case.model == "Logit"
                           else fastmle.Poisson(y, X).fit().params)
    benchmark.extra_info.update(side=side, params=[float(v) for v in params],
                                max_abs_dparam_vs_fastmle=float(np.max(np.abs(params - reference))))
    assert np.max(np.abs(params - reference)) <= 1e-5
