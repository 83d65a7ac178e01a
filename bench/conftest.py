"""Shared fixtures of the benchmark suites in ``bench/`` (not the unit tests).

The cases (distribution, fit keywords, seeded data, scipy's call and
fastmle's call) come from :mod:`fastmle._bench`, the engine behind
``fastmle bench``, so the CLI and these suites measure the same things.
"""
import os
import sys

import pytest

try:
    import fastmle  # noqa: F401
except ImportError:
    # Run from a source checkout without PYTHONPATH: pytest puts bench/ (not
    # the repository root) on sys.path, so add the root to find the in-place build.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import fastmle  # noqa: F401

_TARGETS = pytest.StashKey()


def pytest_addoption(parser):
    group = parser.getgroup("fastmle benchmarks")
    group.addoption("--fastmle-threads", type=int, default=None, metavar="K",
                    help="n_threads for fastmle's fits in bench/ (default: fastmle's default)")


def pytest_configure(config):
    config.stash[_TARGETS] = []


def pytest_benchmark_update_machine_info(config, machine_info):
    """Record fastmle's build and thread settings and scipy's version with the results."""
    import scipy

    machine_info["fastmle"] = fastmle.get_config()
    machine_info["scipy"] = scipy.__version__
    machine_info["fastmle_threads_option"] = config.getoption("--fastmle-threads")


@pytest.fixture(scope="session")
def n_threads(pytestconfig):
    """``n_threads`` for fastmle's fits (``--fastmle-threads``; None = default)."""
    return pytestconfig.getoption("--fastmle-threads")


@pytest.fixture(scope="session")
def bench_data():
    """``bench_data(case, n)``: the case's seeded data, generated once per session.

    Both sides of a comparison (and every round) read the very same array.
    """
    cache = {}

    def get(case, n):
        key = (case.label, int(n))
        if key not in cache:
            cache[key] = case.data(n)
        return cache[key]

    yield get
    cache.clear()


@pytest.fixture
def record_target(pytestconfig):
    """``record_target(description, measured, target, ok)``: show a ratio in the summary.

    Target tests assert; this keeps the measured numbers visible whether they
    pass or fail (and with ``-q``).
    """
    def record(description, measured, target, ok):
        pytestconfig.stash[_TARGETS].append((description, measured, target, ok))
    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    targets = config.stash.get(_TARGETS, [])
    if not targets:
        return
    terminalreporter.section("fastmle speed targets (medians, this run)")
    cfg = fastmle.get_config()
    try:
        load = f"{os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):
        load = "n/a"
    threads = config.getoption("--fastmle-threads") or f"{cfg['default_n_threads']} (default)"
    terminalreporter.write_line(f"fastmle threads per fit: {threads}; {cfg['available_cores']} cores; "
                                f"load average now: {load}")
    for description, measured, target, ok in targets:
        terminalreporter.write_line(f"{'PASS' if ok else 'MISS'}  {description}: {measured} (target {target})")
