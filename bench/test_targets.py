"""The speed promises of fastmle, measured in one run and asserted.

These are benchmark assertions, not unit tests: they depend on the machine
and its load, and they say whether the project meets its targets here and
now. Every ratio is a ratio of medians over several timed calls after a
warm-up; the measured values are printed in the summary whether the
assertions pass or not. Run without ``--benchmark-only`` (which would skip
them: they time with :mod:`fastmle._bench`, not the ``benchmark`` fixture)::

    pytest bench/test_targets.py -q
"""
import statistics
import warnings

import numpy as np
import pytest

pytest.importorskip("scipy")

from fastmle._bench import (CASES, get_case, log_reference_data, time_call,  # noqa: E402
                            time_interleaved, warm_up_scipy)

pytestmark = pytest.mark.filterwarnings("ignore")

BIG = 1_000_000
SMALL = 100


def _quiet(fn):
    def call():
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    return call


def test_gamma_3param_100x_faster_than_scipy_at_1e6(n_threads, record_target):
    """Three-parameter gamma at N = 1e6: at least 100x faster than scipy.stats.gamma.fit."""
    case = get_case("gamma 3-param")
    x = case.data(BIG)
    fm = _quiet(case.fastmle_call(x, n_threads))
    sp = _quiet(case.scipy_call(x))
    fm()
    warm_up_scipy(case, x)
    fm_times, _ = time_call(fm, repeat=15, min_repeat=5, budget=5.0)
    # scipy takes seconds per call here: a median of 3 is what is affordable.
    sp_times, _ = time_call(sp, repeat=3, min_repeat=3)
    t_fm, t_sp = statistics.median(fm_times), statistics.median(sp_times)
    speedup = t_sp / t_fm
    ok = speedup >= 100
    record_target("gamma 3-param N=1e6 speedup vs scipy.stats.gamma.fit",
                  f"{speedup:.1f}x (scipy {t_sp * 1e3:.0f} ms, fastmle {t_fm * 1e3:.1f} ms)", ">= 100x", ok)
    assert ok, f"gamma 3-param at N=1e6 is {speedup:.1f}x faster than scipy (scipy {t_sp * 1e3:.0f} ms, " \
               f"fastmle {t_fm * 1e3:.1f} ms); target >= 100x"


def test_gamma_floc0_within_3x_of_one_log_pass_at_1e6(n_threads, record_target):
    """gamma floc=0 at N = 1e6: a fit costs at most 3 ``np.log(x)`` passes over the same data."""
    case = get_case("gamma floc=0")
    x = log_reference_data(BIG)
    fm = _quiet(case.fastmle_call(x, n_threads))
    log = lambda: np.log(x)   # noqa: E731 - the yardstick, as a user would write it
    fm()
    log()
    fm_times, log_times = time_interleaved([fm, log], repeat=41, budget=5.0)
    t_fm, t_log = statistics.median(fm_times), statistics.median(log_times)
    ratio = t_fm / t_log
    ok = ratio <= 3
    record_target("gamma floc=0 N=1e6 fit time / one np.log pass",
                  f"{ratio:.2f}x (fit {t_fm * 1e3:.2f} ms, np.log {t_log * 1e3:.2f} ms)", "<= 3x", ok)
    assert ok, f"gamma floc=0 at N=1e6 takes {ratio:.2f} np.log passes ({t_fm * 1e3:.2f} ms vs " \
               f"{t_log * 1e3:.2f} ms); target <= 3"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_no_fastmle_fit_slower_than_scipy_at_100(case, n_threads, record_target):
    """At N = 100, where fixed overhead dominates, fastmle is not slower than scipy."""
    x = case.data(SMALL)
    fm = _quiet(case.fastmle_call(x, n_threads))
    sp = _quiet(case.scipy_call(x))
    fm()
    sp()
    # Interleaved rounds: machine noise hits both sides alike.
    fm_times, sp_times = time_interleaved([fm, sp], repeat=201, budget=2.0)
    t_fm, t_sp = statistics.median(fm_times), statistics.median(sp_times)
    speedup = t_sp / t_fm
    ok = t_fm <= t_sp
    record_target(f"N=100 {case.label}: fastmle not slower than scipy",
                  f"{speedup:.2f}x (scipy {t_sp * 1e6:.1f} us, fastmle {t_fm * 1e6:.1f} us)", ">= 1x", ok)
    assert ok, f"{case.label} at N=100: fastmle {t_fm * 1e6:.1f} us vs scipy {t_sp * 1e6:.1f} us " \
               f"({speedup:.2f}x)"
