"""pytest-benchmark suite: fastmle against scipy, case by case, at N = 1e3, 1e5, 1e6.

Run with ``pytest bench/test_bench_fits.py --benchmark-only``. Each
``benchmark.group`` holds one case at one size, so fastmle's and scipy's rows
sit side by side. Slow scipy calls (N = 1e6, or more than a quarter second)
run through ``benchmark.pedantic`` with 1-3 rounds to keep the suite
affordable; everything else uses pytest-benchmark's calibrated rounds.
"""
import warnings

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")
pytest.importorskip("scipy")

from fastmle._bench import CASES, _fmt_n, warm_up_scipy  # noqa: E402

SIZES = (1_000, 100_000, 1_000_000)

# Seconds of timed scipy calls a pedantic benchmark may spend (1 to 3 rounds).
SCIPY_PEDANTIC_BUDGET = 6.0
_SLOW_SCIPY_S = 0.25

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
@pytest.mark.parametrize("n", SIZES, ids=_fmt_n)
@pytest.mark.parametrize("side", ["fastmle", "scipy"])
def test_fit(benchmark, case, n, side, bench_data, n_threads):
    """Time one side of one case at one size; record its estimate and scipy's nnlf of it."""
    x = bench_data(case, n)
    benchmark.group = f"{case.label} N={_fmt_n(n)}"
    benchmark.extra_info.update(case=case.label, side=side, n=n)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if side == "fastmle":
            fn = case.fastmle_call(x, n_threads)
            fn()   # warm-up (pytest-benchmark's own warm-up is off by default)
            params = benchmark(fn)
        else:
            fn = case.scipy_call(x)
            estimate = warm_up_scipy(case, x)
            if n >= 1_000_000 or estimate > _SLOW_SCIPY_S:
                rounds = int(max(1, min(3, SCIPY_PEDANTIC_BUDGET // max(estimate, 1e-9))))
                params = benchmark.pedantic(fn, rounds=rounds, iterations=1)
            else:
                params = benchmark(fn)
    benchmark.extra_info["params"] = [float(p) for p in params]
    benchmark.extra_info["scipy_nnlf"] = case.nnlf(params, x)
    assert np.all(np.isfinite(params))
