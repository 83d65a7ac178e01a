"""Issue 6: out-of-core sources, Dask, thread control and reproducibility.

The claims checked here are arithmetic ones: a fit reads nothing but
per-chunk sums, so the same data cut into chunks of a power-of-two number of
kernel blocks (4096 rows) and combined pairwise give bitwise the in-memory
result, whatever the thread count; other chunkings agree to rounding.
"""
import json
import os
import subprocess
import sys
import threading
import warnings

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle import _sources
from fastmle._bench import CASES
from fastmle.distributions import REGISTRY

BLOCK = 4096

# distributions without a benchmark case: scipy draws them
_EXTRA_SHAPES = {"t": (5.0,), "logistic": (), "cauchy": (), "laplace": (), "gumbel_r": (), "gumbel_l": (),
                 "uniform": (), "genextreme": (0.1,), "genpareto": (0.1,), "vonmises": (2.0,),
                 "skewnorm": (3.0,), "beta": (2.0, 3.0), "pareto": (3.0,), "weibull_max": (3.0,)}


def _all_cases():
    """(label, dist, kwds, data(n)) for every benchmark case, and one default
    fit of every other registered distribution."""
    out = [(c.label, c.dist, dict(c.kwds), c.data) for c in CASES if c.dist in REGISTRY]
    covered = {c[1] for c in out}
    for name in sorted(set(REGISTRY) - covered):
        if name not in _EXTRA_SHAPES:
            continue

        def data(n, name=name):
            return getattr(st, name).rvs(*_EXTRA_SHAPES[name], loc=1.0, scale=2.0, size=n,
                                         random_state=np.random.default_rng([7, n]))
        out.append((name, name, {}, data))
    return out


ALL_CASES = _all_cases()
IDS = [c[0] for c in ALL_CASES]


def test_every_registered_distribution_has_a_case():
    # a new distribution without a case would silently escape these tests
    assert {c[1] for c in ALL_CASES} == set(REGISTRY)


def _quiet_fit(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fastmle.fit(*args, **kw)


def _quiet(fit_fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_fn(*args, **kw)


def _rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


# -- threads: bitwise for 1..4 ----------------------------------------------------
@pytest.mark.parametrize("case", ALL_CASES, ids=IDS)
def test_default_fit_is_bitwise_identical_for_1_to_4_threads(case):
    _, dist, kw, data = case
    # 4 threads engage only with >= 16 blocks each: 64 blocks of 4096 rows
    x = data(64 * BLOCK + 123)
    fits = [_quiet(getattr(fastmle, dist).fit, x, n_threads=k, **kw) for k in (1, 2, 3, 4)]
    for f in fits[1:]:
        assert f == fits[0]


# -- memory maps: chunked, bitwise ---------------------------------------------------
@pytest.fixture
def small_chunks(monkeypatch):
    # 4 blocks per chunk: small files are chunked like 1e8-row ones
    monkeypatch.setattr(_sources, "CHUNK_ROWS", 4 * BLOCK)
    return 4 * BLOCK


@pytest.mark.parametrize("case", ALL_CASES, ids=IDS)
def test_memmap_fit_equals_in_memory_fit(case, tmp_path, small_chunks):
    _, dist, kw, data = case
    x = np.asarray(data(7 * small_chunks + 555), dtype=np.float64)
    path = tmp_path / "x.npy"
    np.save(path, x)
    mm = np.load(path, mmap_mode="r")
    chunked = _quiet_fit(dist, mm, n_threads=1, **kw)
    assert chunked._data.out_of_core
    in_memory = _quiet_fit(dist, x, n_threads=2, **kw)
    assert not in_memory._data.out_of_core
    # the same sums in the same order: bitwise, whatever the thread counts
    assert tuple(chunked.params) == tuple(in_memory.params)
    assert chunked.llf == in_memory.llf
    # the scipy-style call may take a closed-form/root-finder path in memory
    a = _quiet(getattr(fastmle, dist).fit, mm, **kw)
    b = _quiet(getattr(fastmle, dist).fit, x, **kw)
    assert _rel(a, b) <= 1e-11, (a, b)


def _mapped_rss(path):
    """Resident bytes of this process's mappings of ``path`` (/proc/self/smaps)."""
    total, inside = 0, False
    with open("/proc/self/smaps") as f:
        for line in f:
            head = line.split()
            if head and "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                inside = len(head) >= 6 and head[5] == str(path)
            elif inside and line.startswith("Rss:"):
                total += int(head[1]) * 1024
    return total


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="needs Linux /proc")
def test_memmap_pages_are_released_after_each_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(_sources, "CHUNK_ROWS", 1 << 18)     # 1 MiB of float32
    n = 8 << 20                                              # 32 MiB file
    path = tmp_path / "big.npy"
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n,))
    out[:] = np.random.default_rng(1).gamma(2.0, 1.0, n)
    del out
    mm = np.load(path, mmap_mode="r")
    a, loc, scale = fastmle.gamma.fit(mm, floc=0)
    assert 1.9 < a < 2.1
    assert _mapped_rss(path) < 8 << 20
    # control: the measure sees a read that keeps its pages
    float(mm.sum(dtype=np.float64))
    assert _mapped_rss(path) > 24 << 20


def test_copy_on_write_memmaps_are_never_released(tmp_path):
    x = np.arange(1.0, 10_001.0)
    path = tmp_path / "c.npy"
    np.save(path, x)
    mm = np.load(path, mmap_mode="c")
    mm[0] = 42.0                       # a private change madvise would discard
    _sources.release_pages(mm)
    assert mm[0] == 42.0


# -- fastmle.chunks ---------------------------------------------------------------
def _parts(x, sizes):
    cuts = np.cumsum(sizes)[:-1]
    return np.split(x, cuts)


def test_chunks_from_files_arrays_and_callables_are_bitwise(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.standard_t(4.0, 5 * 8 * BLOCK + 77) * 2.0 + 10.0
    parts = _parts(x, [8 * BLOCK] * 5 + [77])
    paths = []
    for i, p in enumerate(parts):
        paths.append(tmp_path / f"p{i}.npy")
        np.save(paths[-1], p)
    ref = fastmle.fit("t", x, n_threads=2)
    for src in (fastmle.chunks(paths), fastmle.chunks(parts), fastmle.chunks(lambda: iter(parts))):
        res = fastmle.fit("t", src, n_threads=1)
        assert tuple(res.params) == tuple(ref.params)
        # one pass per Newton evaluation, plus the scan and the warm-start subsample
        assert src.passes <= res.mle_retvals["n_eval"] + 3
    assert fastmle.t.fit(fastmle.chunks(paths)) == fastmle.t.fit(x)

    def generate():            # a generator function: a fresh generator per pass
        for p in paths:
            yield np.load(p)
    assert tuple(fastmle.fit("t", fastmle.chunks(generate)).params) == tuple(ref.params)
    # one array (a memory map is read in slices) and one .npy path
    assert tuple(fastmle.fit("t", fastmle.chunks(x)).params) == tuple(ref.params)
    # (norm.fit of an in-memory array takes a closed-form kernel of its own: rounding apart)
    assert _rel(fastmle.norm.fit(fastmle.chunks(str(paths[0]))), fastmle.norm.fit(parts[0])) <= 1e-13


def test_uneven_chunks_agree_to_rounding():
    rng = np.random.default_rng(4)
    x = rng.weibull(1.7, 300_001) * 2.0 + 3.0
    parts = _parts(x, [1, 99_999, 50_000, 123_456, 26_545])
    a = _quiet(fastmle.weibull_min.fit, fastmle.chunks(parts))
    b = _quiet(fastmle.weibull_min.fit, x)
    assert _rel(a, b) <= 1e-12


@pytest.mark.parametrize("dist,kw", [("gamma", {"floc": 0}), ("norm", {}), ("expon", {}), ("lognorm", {"floc": 0})])
def test_sufficient_statistics_need_one_pass(dist, kw):
    rng = np.random.default_rng(5)
    x = rng.gamma(3.0, 2.0, 100_000) + 0.5
    src = fastmle.chunks(lambda: iter(_parts(x, [40_000, 40_000, 20_000])))
    res = _quiet_fit(dist, src, **kw)
    assert _rel(tuple(res.params), tuple(_quiet_fit(dist, x, **kw).params)) <= 1e-13
    assert src.passes == 1


def test_weighted_chunks_equal_weighted_in_memory_fit():
    rng = np.random.default_rng(6)
    x = rng.gamma(2.0, 1.5, 60_000) + 1.0
    w = rng.integers(0, 4, x.shape[0]).astype(float)
    pairs = list(zip(_parts(x, [20_000] * 3), _parts(w, [20_000] * 3)))
    a = _quiet(fastmle.gamma.fit, fastmle.chunks(lambda: iter(pairs)))
    b = _quiet(fastmle.gamma.fit, x, weights=w)
    assert _rel(a, b) <= 1e-12
    c = _quiet(fastmle.gamma.fit, fastmle.chunks([p[0] for p in pairs], weights=[p[1] for p in pairs]))
    assert _rel(c, b) <= 1e-12
    # weights are frequencies: repeated rows give the same fit
    d = _quiet(fastmle.gamma.fit, fastmle.chunks([np.repeat(p[0], p[1].astype(int)) for p in pairs]))
    assert _rel(d, b) <= 1e-9


def test_discrete_fits_over_chunks():
    rng = np.random.default_rng(8)
    x = rng.negative_binomial(3.0, 0.4, 90_000).astype(float)
    parts = _parts(x, [30_000] * 3)
    for dist, shift in (("poisson", 0.0), ("nbinom", 0.0), ("geom", 1.0)):
        a = _quiet(getattr(fastmle, dist).fit, fastmle.chunks([p + shift for p in parts]))
        b = _quiet(getattr(fastmle, dist).fit, x + shift)
        assert _rel(a, b) <= 1e-12, dist


def test_parquet_column_in_batches(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rng = np.random.default_rng(9)
    x = rng.lognormal(0.3, 0.6, 50_000)
    w = rng.integers(1, 3, x.shape[0]).astype(float)
    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"x": x, "w": w, "other": np.zeros_like(x)}), path, row_group_size=7_000)
    src = fastmle.chunks(path, column="x", batch_rows=8 * BLOCK)
    assert _rel(_quiet(fastmle.lognorm.fit, src, floc=0), fastmle.lognorm.fit(x, floc=0)) <= 1e-13
    src = fastmle.chunks(str(path), column="x", weights_column="w", batch_rows=10_000)
    assert _rel(fastmle.lognorm.fit(src, floc=0), fastmle.lognorm.fit(x, floc=0, weights=w)) <= 1e-12
    with pytest.raises(ValueError, match="column"):
        fastmle.chunks(path)


def test_verbose_reports_each_pass(capsys):
    x = np.random.default_rng(10).gamma(2.0, 1.0, 20_000) + 1.0
    src = fastmle.chunks([x[:10_000], x[10_000:]], verbose=True)
    _quiet(fastmle.gamma.fit, src)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == src.passes >= 3
    assert all(line.startswith("fastmle: pass ") and "20,000 rows" in line for line in err[1:])


def test_verbose_fit_of_any_data(capsys):
    x = np.random.default_rng(19).gamma(2.0, 1.0, 20_000) + 1.0
    w = np.ones_like(x)
    res = fastmle.fit("gamma", x, weights=w, verbose=True)
    assert tuple(res.params) == tuple(fastmle.fit("gamma", x, weights=w).params)
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(line.startswith("fastmle: pass ") for line in err)


def test_bad_chunk_sources_are_refused():
    with pytest.raises(TypeError, match="several times"):
        fastmle.chunks(iter([np.ones(3)]))
    with pytest.raises(TypeError, match="several times"):
        fastmle.chunks(np.ones(3) for _ in range(2))
    with pytest.raises(ValueError, match="empty"):
        fastmle.norm.fit(fastmle.chunks(lambda: iter([])))
    with pytest.raises(ValueError, match="one entry per chunk"):
        fastmle.chunks([np.ones(3)], weights=[])
    with pytest.raises(TypeError, match="weights"):
        fastmle.norm.fit(fastmle.chunks([np.ones(3)]), weights=np.ones(3))
    with pytest.raises(TypeError, match="numeric"):
        fastmle.norm.fit(fastmle.chunks([np.array(["a", "b"])]))


def test_bad_values_in_a_later_chunk_are_counted_over_all_chunks():
    parts = [np.arange(1.0, 1001.0), np.array([1.0, np.nan, 2.0, np.inf]), np.arange(1.0, 11.0)]
    with pytest.raises(ValueError, match="2 of 1014 observations"):
        fastmle.norm.fit(fastmle.chunks(parts))
    parts = [np.arange(1.0, 1001.0), np.array([-1.0, -2.0, 3.0]), np.array([-5.0])]
    with pytest.raises(fastmle.FitDataError, match="3 of 1004"):
        fastmle.gamma.fit(fastmle.chunks(parts), floc=0)
    with pytest.raises(ValueError, match="negative"):
        fastmle.norm.fit(fastmle.chunks(lambda: iter([(np.ones(3), np.array([1.0, -1.0, 1.0]))])))


# -- Dask ----------------------------------------------------------------------------
def _dask():
    return pytest.importorskip("dask.array")


@pytest.mark.parametrize("dist,kw", [("gamma", {}), ("gamma", {"floc": 0}), ("t", {}), ("norm", {}),
                                     ("weibull_min", {}), ("poisson", {}), ("rayleigh", {"floc": 0})])
def test_dask_fit_is_bitwise_the_in_memory_fit(dist, kw):
    dask_array = _dask()
    rng = np.random.default_rng(11)
    x = rng.gamma(4.0, 2.0, 3 * 16 * BLOCK + 999) + 1.0
    if dist == "poisson":
        x = np.floor(x)
    dx = dask_array.from_array(x, chunks=16 * BLOCK)
    a = _quiet_fit(dist, dx, **kw)
    b = _quiet_fit(dist, x, **kw)
    assert tuple(a.params) == tuple(b.params)
    assert a.llf == b.llf
    assert _rel(_quiet(getattr(fastmle, dist).fit, dx, **kw), _quiet(getattr(fastmle, dist).fit, x, **kw)) <= 1e-11


@pytest.mark.parametrize("case", ALL_CASES, ids=IDS)
def test_every_fit_on_a_dask_array_is_bitwise_the_in_memory_fit(case):
    dask_array = _dask()
    _, dist, kw, data = case
    x = np.asarray(data(3 * 4 * BLOCK + 555), dtype=np.float64)
    a = _quiet_fit(dist, dask_array.from_array(x, chunks=4 * BLOCK), **kw)
    b = _quiet_fit(dist, x, **kw)
    assert tuple(a.params) == tuple(b.params)


def test_dask_uneven_chunks_weights_and_schedulers():
    dask_array = _dask()
    import dask

    rng = np.random.default_rng(12)
    x = rng.logistic(3.0, 2.0, 70_001)
    w = rng.integers(0, 3, x.shape[0]).astype(float)
    dx = dask_array.from_array(x, chunks=(10_000, 30_001, 20_000, 10_000))
    ref = fastmle.logistic.fit(x)
    assert _rel(fastmle.logistic.fit(dx), ref) <= 1e-12
    with dask.config.set(scheduler="synchronous"):
        assert _rel(fastmle.logistic.fit(dx), ref) <= 1e-12
    refw = fastmle.logistic.fit(x, weights=w)
    assert _rel(fastmle.logistic.fit(dx, weights=dask_array.from_array(w, chunks=25_000)), refw) <= 1e-12
    assert _rel(fastmle.logistic.fit(dx, weights=w), refw) <= 1e-12
    with pytest.raises(ValueError, match="non-finite"):
        fastmle.logistic.fit(dask_array.from_array(np.r_[x[:100], np.nan], chunks=50))


def test_dask_threads_per_task_follow_the_scheduler():
    _dask()
    import dask

    with dask.config.set(scheduler="threads", num_workers=2):
        assert _sources._local_share(None) == max(1, fastmle.get_num_threads() // 2)
    with dask.config.set(scheduler="synchronous"):
        assert _sources._local_share(None) == fastmle.get_num_threads()
    assert _sources._local_share(3) == 3


def test_local_cluster_with_two_worker_processes():
    _dask()
    distributed = pytest.importorskip("distributed")
    import dask.array as dask_array

    rng = np.random.default_rng(13)
    x = rng.gamma(3.0, 2.0, 4 * 8 * BLOCK) + 2.0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        dx = client.persist(dask_array.from_array(x, chunks=8 * BLOCK))
        distributed.wait(dx)
        with distributed.get_task_stream(client) as ts:
            res = fastmle.fit("gamma", dx)
        ref = fastmle.fit("gamma", x)
        assert tuple(res.params) == tuple(ref.params)
        assert _rel(fastmle.gamma.fit(dx, floc=0), fastmle.gamma.fit(x, floc=0)) <= 1e-13
        w = rng.integers(0, 3, x.shape[0]).astype(float)
        assert _rel(fastmle.gamma.fit(dx, weights=w), fastmle.gamma.fit(x, weights=w)) <= 1e-12
        # not persisted: the array's own graph runs on the cluster, one task per chunk
        lazy = dask_array.from_array(x, chunks=8 * BLOCK)
        assert tuple(fastmle.fit("gamma", lazy).params) == tuple(ref.params)
        kernel_tasks = [t for t in ts.data if str(t["key"]).find("fastmle-sums") >= 0]
        # the kernels ran in both worker processes, not on the client
        assert len({t["worker"] for t in kernel_tasks}) == 2
        # each worker has 1 task slot and the nanny's OMP_NUM_THREADS=1: one kernel thread per task
        assert client.submit(_sources._worker_threads, pure=False).result() == 1
        # regression: a dask design and response, fitted on the cluster
        Xr = np.column_stack([np.ones(x.shape[0]), np.log(x), rng.normal(size=x.shape[0])])
        yr = (rng.random(x.shape[0]) < 1 / (1 + np.exp(-(Xr @ [0.5, -0.3, 0.2])))).astype(float)
        dXr = client.persist(dask_array.from_array(Xr, chunks=(8 * BLOCK, 3)))
        dyr = client.persist(dask_array.from_array(yr, chunks=8 * BLOCK))
        fit = fastmle.Logit(dyr, dXr).fit()
        assert _rel(fit.params, fastmle.Logit(yr, Xr).fit().params) <= 1e-12
        wr = rng.integers(1, 3, x.shape[0]).astype(float)      # numpy weights next to a persisted design
        fit = fastmle.Logit(yr, dXr, weights=wr).fit()
        assert _rel(fit.params, fastmle.Logit(yr, Xr, weights=wr).fit().params) <= 1e-12


# -- thread control ----------------------------------------------------------------
def test_data_too_small_to_split_runs_on_one_thread_with_the_same_answer():
    from fastmle._config import ONE_THREAD_ROWS

    x = np.random.default_rng(15).gamma(2.0, 1.0, ONE_THREAD_ROWS - 1) + 1.0
    with fastmle.num_threads(2):
        small = fastmle.fit("gamma", x)
        assert small._data.n_threads == 1
        np.testing.assert_array_equal(tuple(small.params), tuple(fastmle.fit("gamma", x, n_threads=2).params))
        assert fastmle.fit("gamma", np.concatenate([x, x[:1]]))._data.n_threads == 2


def test_set_num_threads_and_context_manager():
    # enough rows for a kernel to split (smaller data always run on one thread)
    x = np.random.default_rng(14).gamma(2.0, 1.0, 140_000) + 1.0
    previous = fastmle.set_num_threads(3)
    try:
        assert fastmle.get_num_threads() == 3
        assert fastmle.fit("gamma", x)._data.n_threads == 3
        with fastmle.num_threads(1):
            assert fastmle.get_num_threads() == 1
            assert fastmle.fit("gamma", x)._data.n_threads == 1
            assert fastmle.fit("gamma", x, n_threads=2)._data.n_threads == 2   # explicit wins
            seen = []
            t = threading.Thread(target=lambda: seen.append(fastmle.get_num_threads()))
            t.start()
            t.join()
            assert seen == [3]            # the block is this thread's only
        assert fastmle.get_num_threads() == 3
        assert fastmle.set_num_threads(None) == 3
        assert fastmle.get_num_threads() == fastmle.get_config()["default_n_threads"]
    finally:
        fastmle.set_num_threads(previous)
    with pytest.raises(ValueError, match="n_threads"):
        fastmle.set_num_threads(0)
    with pytest.raises(TypeError, match="n_threads"):
        with fastmle.num_threads(1.5):
            pass


_THREADPOOLCTL_CHILD = r"""
import json, numpy as np
from threadpoolctl import threadpool_info, threadpool_limits
before = [i for i in threadpool_info() if i["user_api"] == "openmp"]
import fastmle
after = [i for i in threadpool_info() if i["user_api"] == "openmp"]
x = np.random.default_rng(0).gamma(2.0, 1.0, 1000) + 1.0
default = fastmle.get_num_threads()
with threadpool_limits(limits=1, user_api="openmp"):
    limited = fastmle.get_num_threads()
    fit_threads = fastmle.fit("gamma", x)._data.n_threads
    explicit = fastmle.fit("gamma", x, n_threads=2)._data.n_threads
restored = fastmle.get_num_threads()
print(json.dumps({"before": len(before), "after": [i["prefix"] for i in after], "default": default,
                  "limited": limited, "fit_threads": fit_threads, "explicit": explicit,
                  "restored": restored}))
"""


def test_threadpoolctl_sees_and_limits_fastmles_openmp(tmp_path):
    pytest.importorskip("threadpoolctl")
    if not fastmle.get_config()["openmp"]:
        pytest.skip("built without OpenMP")
    env = dict(os.environ, OMP_NUM_THREADS="2")
    env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.dirname(fastmle.__file__))]
                                        + [p for p in [env.get("PYTHONPATH")] if p])
    # run outside the source tree: python -c puts the working directory first
    # on sys.path, where a checkout's fastmle (without built kernels) would win
    out = subprocess.run([sys.executable, "-c", _THREADPOOLCTL_CHILD], env=env, capture_output=True,
                         text=True, check=True, cwd=tmp_path)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    # numpy alone loads no OpenMP runtime; fastmle's kernels bring libgomp
    assert r["before"] == 0 and r["after"] and all("gomp" in p or "omp" in p for p in r["after"])
    assert r["default"] == 2
    assert r["limited"] == r["fit_threads"] == 1
    assert r["explicit"] == 2
    assert r["restored"] == 2


def test_plot_data_of_an_out_of_core_fit_is_a_subsample(monkeypatch):
    from fastmle import _results

    monkeypatch.setattr(_results, "_PLOT_MAX_ROWS", 1000)
    x = np.random.default_rng(15).gamma(2.0, 1.0, 10_000) + 1.0
    res = fastmle.fit("gamma", fastmle.chunks([x[:5000], x[5000:]]), floc=0)
    xs, ws = _results._plot_data(res)
    assert ws is None and xs.shape[0] == 1000
    assert np.array_equal(xs, np.sort(x[::10]))      # rows 0, 10, 20, ... of the whole data
    assert _results._plot_data(fastmle.fit("gamma", x, floc=0))[0].shape[0] == 10_000


@pytest.mark.parametrize("n", [1, 2, 99_999, 100_000])
def test_chunked_median_is_numpys(n):
    from fastmle._data import chunked_median
    from fastmle.distributions.laplace import weighted_median

    rng = np.random.default_rng(16 + n)
    x = np.round(rng.standard_cauchy(n), 1)          # heavy tails and ties
    src = fastmle.chunks(_parts(x, [n // 3, n // 3, n - 2 * (n // 3)]) if n >= 3 else [x])
    assert chunked_median(fastmle._data.as_data(src)) == np.median(x)
    w = rng.integers(0, 3, n).astype(float)
    w[0] = 1.0
    pairs = list(zip(_parts(x, [n // 2, n - n // 2]), _parts(w, [n // 2, n - n // 2]))) if n >= 2 else [(x, w)]
    got = chunked_median(fastmle._data.as_data(fastmle.chunks(lambda: iter(pairs))))
    assert got == weighted_median(fastmle._data.as_data(x, w))


def test_chunked_median_survives_a_misleading_subsample():
    from fastmle._data import chunked_median

    n = 1 << 16
    x = np.zeros(n)
    x[:: n >> 15] = 100.0                  # every row the strided subsample reads is an outlier
    x[1::4] = 1.0
    data = fastmle._data.as_data(fastmle.chunks(_parts(x, [n // 2, n // 2])))
    assert chunked_median(data) == np.median(x)


def test_laplace_and_gumbel_over_chunks():
    rng = np.random.default_rng(17)
    x = rng.laplace(3.0, 2.0, 100_001)
    for dist in ("laplace", "gumbel_r", "gumbel_l"):
        for kw in ({}, {"fscale": 1.5}):
            a = getattr(fastmle, dist).fit(fastmle.chunks(_parts(x, [33_333, 33_334, 33_334])), **kw)
            b = getattr(fastmle, dist).fit(x, **kw)
            assert _rel(a, b) <= 1e-12, (dist, kw, a, b)


def test_in_process_workers_share_this_processs_cores():
    distributed = pytest.importorskip("distributed")
    x = np.random.default_rng(18).gamma(2.0, 1.0, 4 * BLOCK) + 1.0
    import dask.array as dask_array

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        # two task slots in this process: each kernel call gets half the cores (at least one)
        share = client.submit(_sources._worker_threads, pure=False).result()
        assert share == max(1, fastmle.get_num_threads() // 2)
        dx = client.persist(dask_array.from_array(x, chunks=BLOCK))
        assert tuple(fastmle.fit("gamma", dx).params) == tuple(fastmle.fit("gamma", x).params)


def _normal_equations(X, y, w, n_threads=1):
    """A toy regression kernel: sums over rows only (X^T W y, X^T W X, sum w)."""
    X = np.asarray(X, dtype=np.float64)
    wy = y if w is None else w * y
    XW = X if w is None else X * w[:, None]
    return X.T @ wy, XW.T @ X, np.array([X.shape[0] if w is None else w.sum()])


@pytest.mark.parametrize("order", ["C", "F"])
def test_row_chunks_of_a_memory_mapped_design(tmp_path, order):
    rng = np.random.default_rng(20)
    n, p = 50_000, 5
    X = np.asarray(rng.normal(size=(n, p)), order=order)
    y = X @ np.arange(1.0, p + 1) + rng.normal(size=n)
    w = rng.integers(0, 3, n).astype(float)
    path = tmp_path / "X.npy"
    np.save(path, X)
    Xm = np.load(path, mmap_mode="r")
    rc = _sources.RowChunks(Xm, y, w, chunk_rows=4096)
    assert rc.n_chunks == 13
    got = rc.reduce(_normal_equations)
    ref = _normal_equations(X, y, w)
    for g, r in zip(got, ref):
        assert _rel(g, r) <= 1e-12
    beta = np.linalg.solve(got[1], got[0])
    assert np.all(np.abs(beta - np.arange(1.0, p + 1)) < 0.05)


def test_row_chunks_of_a_dask_design():
    dask_array = _dask()
    rng = np.random.default_rng(21)
    n, p = 30_001, 4
    X = rng.normal(size=(n, p))
    y = rng.poisson(3.0, n).astype(float)
    dX = dask_array.from_array(X, chunks=(7_000, 2))            # column chunks are merged
    rc = _sources.RowChunks(dX, dask_array.from_array(y, chunks=10_000), None)
    got = rc.reduce(_normal_equations)
    for g, r in zip(got, _normal_equations(X, y, None)):
        assert _rel(g, r) <= 1e-12


def test_large_integer_arrays_are_converted_a_chunk_at_a_time(small_chunks):
    x = np.random.default_rng(22).poisson(4.0, 5 * small_chunks + 7)          # int64
    data = fastmle._data.as_data(x)
    assert data.out_of_core                     # no full float64 copy
    for dist in ("poisson", "nbinom"):
        a = _quiet_fit(dist, x)
        b = _quiet_fit(dist, x.astype(np.float64))
        assert tuple(a.params) == tuple(b.params)
    small = fastmle._data.as_data(x[:100])
    assert not small.out_of_core


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="needs Linux /proc")
def test_strided_copy_of_a_memory_map_keeps_few_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(_sources, "CHUNK_ROWS", 1 << 18)
    n, p = 1 << 20, 8                                         # 32 MiB float32 design
    path = tmp_path / "X.npy"
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, p))
    out[:] = np.arange(n, dtype=np.float32)[:, None]
    del out
    X = np.load(path, mmap_mode="r")
    rows = _sources.strided_copy(X, 1000)
    assert np.array_equal(rows[:, 0], np.arange(0, n, 1000, dtype=np.float32))
    # a strided read maps runs of pages around every row it touches: released per slice
    assert _mapped_rss(path) < 8 << 20
