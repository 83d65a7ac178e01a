"""Issue 6, regression side: Logit/Poisson over row chunks of a memory-mapped X."""
import numpy as np
import pytest

import fastmle
from fastmle import _sources


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(_sources, "CHUNK_ROWS", 1 << 15)     # ~ 8192 rows of 4 columns per chunk


def _rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


@pytest.mark.parametrize("model", ["Logit", "Poisson"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_memory_mapped_design_is_fitted_by_row_chunks(tmp_path, small_chunks, model, dtype):
    rng = np.random.default_rng(30)
    n, p = 300_001, 4
    X = rng.normal(size=(n, p)).astype(dtype)
    X[:, 0] = 1.0
    beta = np.array([0.3, -0.5, 0.25, 0.1])
    eta = X.astype(float) @ beta
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float) if model == "Logit" else rng.poisson(np.exp(eta)).astype(float)
    w = rng.integers(0, 3, n).astype(float)
    path = tmp_path / "X.npy"
    np.save(path, X)
    Xm = np.load(path, mmap_mode="r")
    cls = getattr(fastmle, model)
    chunked = cls(y, Xm, weights=w)
    assert chunked._rows is not None and chunked._rows.n_chunks > 30
    a = chunked.fit()
    b = cls(y, X, weights=w).fit()
    assert _rel(a.params, b.params) <= 1e-10
    assert _rel(a.bse, b.bse) <= 1e-8
    assert abs(a.llf - b.llf) <= 1e-10 * abs(b.llf)
    assert chunked._rows.passes >= 2


def _glm_data(n, p, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    X[:, 0] = 1.0
    eta = X @ np.linspace(0.3, -0.3, p)
    yl = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    yp = rng.poisson(np.exp(eta)).astype(float)
    return X, yl, yp, rng.integers(0, 3, n).astype(float), rng.normal(scale=0.1, size=n)


@pytest.mark.parametrize("model", ["Logit", "Poisson"])
def test_dask_design_equals_in_memory_fit(model):
    da = pytest.importorskip("dask.array")
    X, yl, yp, w, off = _glm_data(120_001, 4, 31)
    y = yl if model == "Logit" else yp
    cls = getattr(fastmle, model)
    dX = da.from_array(X, chunks=(25_000, 2))
    kw = {"offset": off} if model == "Logit" else {"exposure": np.exp(off)}
    a = cls(da.from_array(y, chunks=40_000), dX, weights=da.from_array(w, chunks=10_000),
            **{k: da.from_array(v, chunks=60_000) for k, v in kw.items()}).fit()
    b = cls(y, X, weights=w, **kw).fit()
    assert _rel(a.params, b.params) <= 1e-12
    assert _rel(a.bse, b.bse) <= 1e-10
    assert abs(a.llf - b.llf) <= 1e-12 * abs(b.llf)
    assert abs(a.llnull - b.llnull) <= 1e-12 * abs(b.llnull)
    assert a.model._rows.passes >= 2


def test_dask_design_errors():
    da = pytest.importorskip("dask.array")
    X, yl, yp, w, _ = _glm_data(1_000, 3, 32)
    dX = da.from_array(X, chunks=(300, 3))
    with pytest.raises(NotImplementedError, match="NegativeBinomial"):
        fastmle.NegativeBinomial(yp, dX)
    bad = yl.copy()
    bad[500] = 2.0
    with pytest.raises(ValueError, match="0 or 1"):
        fastmle.Logit(bad, dX)
    neg = w.copy()
    neg[3] = -1.0
    with pytest.raises(ValueError, match="non-negative"):
        fastmle.Logit(yl, dX, weights=neg)
