"""Thread control and build reporting."""
import io

import numpy as np
import pytest

import fastmle
from fastmle._config import default_n_threads, resolve_n_threads


def test_show_config_reports_openmp_and_threads():
    buf = io.StringIO()
    fastmle.show_config(file=buf)
    text = buf.getvalue()
    cfg = fastmle.get_config()
    assert ("enabled" if cfg["openmp"] else "DISABLED") in text
    assert f"threads per fit:    {cfg['default_n_threads']}" in text
    assert isinstance(cfg["simd_log_exp"], bool)
    assert cfg["openmp_max_threads"] >= 1


def test_omp_num_threads_is_respected(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert default_n_threads() == 3
    assert resolve_n_threads(None) == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "4,2")   # nested lists: the outer level counts
    assert default_n_threads() == 4
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert default_n_threads() == fastmle.get_config()["available_cores"]


@pytest.mark.parametrize("bad,exc", [(0, ValueError), (-2, ValueError), ("2", TypeError), (1.5, TypeError),
                                     (True, TypeError)])
def test_bad_n_threads_is_rejected(bad, exc):
    with pytest.raises(exc, match="n_threads"):
        resolve_n_threads(bad)
    with pytest.raises(exc, match="n_threads"):
        fastmle.gamma.fit(np.arange(1.0, 50.0), n_threads=bad)


def test_all_cores_shorthand():
    assert resolve_n_threads(-1) == fastmle.get_config()["available_cores"]
    assert resolve_n_threads(np.int64(2)) == 2
