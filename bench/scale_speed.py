"""Speed targets of issue 6 (out-of-core, threads, Dask), measured on this machine.

Three measurements, each printed as one JSON line and a readable summary:

``linear``
    A gamma fit with free loc on the first N float32 values of a memory-mapped
    ``.npy`` file, N = 1e6 ... 1e8 (median of repeats). Reports seconds, the
    number of passes over the data, and the slope of log(time) against log(N)
    (1.0 = linear) and seconds per 1e8 values.
``threads``
    t and weibull_min (a pass per Newton iteration) at N = 1e7 in memory,
    ``n_threads=1`` against ``n_threads=2``, interleaved repeats; the speedup
    is the ratio of medians.
``dask``
    A 2-worker ``LocalCluster`` (processes, one thread each) holding the
    same 1e8 float32 values in memory (chunks of 2**22 rows, read by the
    workers from the file and persisted): the Dask fit against the in-memory
    fit of the same array in this process (2 threads).

Usage::

    python bench/scale_speed.py --make /path/gamma_1e8_f32.npy   # 400 MB
    python bench/scale_speed.py /path/gamma_1e8_f32.npy [linear] [threads] [dask]

The machine load is printed with every run (``os.getloadavg``): on a shared
machine compare medians, and re-run on an idle one for the record.
"""
import json
import math
import os
import statistics
import sys
import time
import warnings

import numpy as np


def load():
    return [round(v, 2) for v in os.getloadavg()]


def make(path, n=100_000_000):
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n,))
    rng = np.random.default_rng(2026)
    step = 1 << 22
    for s in range(0, n, step):
        e = min(n, s + step)
        out[s:e] = rng.gamma(2.5, 3.0, e - s) + 5.0
    out.flush()


def timed(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def bench_linear(path, sizes=(1_000_000, 3_000_000, 10_000_000, 30_000_000, 100_000_000)):
    import fastmle

    mm = np.load(path, mmap_mode="r")
    rows = []
    for n in sizes:
        x = mm[:n]
        repeat = 3 if n <= 30_000_000 else 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fastmle.fit("gamma", mm[:100_000])
            med, times, res = timed(lambda: fastmle.fit("gamma", x), repeat)
        passes = res._data.chunks.passes if res._data.out_of_core else None
        row = {"bench": "linear", "n": n, "median_s": med, "times_s": times, "passes": passes,
               "n_iter": res.mle_retvals.get("n_iter"), "params": tuple(res.params), "load": load()}
        print(json.dumps(row), flush=True)
        rows.append(row)
    ln = np.log([r["n"] for r in rows])
    lt = np.log([r["median_s"] for r in rows])
    slope = float(np.polyfit(ln, lt, 1)[0])
    big = [r for r in rows if r["n"] >= 10_000_000]
    slope_big = float(np.polyfit(np.log([r["n"] for r in big]), np.log([r["median_s"] for r in big]), 1)[0])
    per_1e8 = [r["median_s"] / r["n"] * 1e8 for r in rows]
    # Newton's iteration count varies with the sample: time per pass is the kernel's scaling
    passes = [r for r in rows if r["passes"]]
    if len(passes) >= 2:
        pp = [r["median_s"] / r["passes"] for r in passes]
        sp = float(np.polyfit(np.log([r["n"] for r in passes]), np.log(pp), 1)[0])
        print(f"linear: seconds per pass: " + ", ".join(f"N={r['n']:.0e}: {p:.4f}" for r, p in zip(passes, pp))
              + f"; log-log slope per pass {sp:.3f}")
    print(f"linear: log-log slope {slope:.3f} over 1e6..1e8 ({slope_big:.3f} over 1e7..1e8); "
          f"seconds per 1e8 values: " + ", ".join(f"N={r['n']:.0e}: {p:.2f}" for r, p in zip(rows, per_1e8)))
    return rows


def bench_threads(n=10_000_000, repeat=5):
    import fastmle

    rng = np.random.default_rng(7)
    data = {"t": rng.standard_t(5.0, n) * 2.0 + 1.0, "weibull_min": 2.0 * rng.weibull(1.7, n) + 1.0}
    out = []
    for dist, x in data.items():
        fit = getattr(fastmle, dist).fit
        kw = {"floc": 1.0 - 1e-9} if dist == "weibull_min" else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit(x[:100_000], **kw)
            t1, t2 = [], []
            for _ in range(repeat):       # interleaved: both see the same machine load
                t0 = time.perf_counter()
                p1 = fit(x, n_threads=1, **kw)
                t1.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                p2 = fit(x, n_threads=2, **kw)
                t2.append(time.perf_counter() - t0)
        assert p1 == p2
        row = {"bench": "threads", "dist": dist, "kw": kw, "n": n, "t1_median_s": statistics.median(t1),
               "t2_median_s": statistics.median(t2), "speedup": statistics.median(t1) / statistics.median(t2),
               "t1_s": t1, "t2_s": t2, "load": load()}
        print(json.dumps(row), flush=True)
        print(f"threads: {dist} N=1e7: 1 thread {row['t1_median_s']:.3f} s, 2 threads "
              f"{row['t2_median_s']:.3f} s, speedup {row['speedup']:.2f}x")
        out.append(row)
    return out


def _load_slice(path, start, stop):
    return np.array(np.load(path, mmap_mode="r")[start:stop])


def bench_dask(path, repeat=3):
    import dask
    import dask.array as da
    from distributed import Client, LocalCluster, wait

    import fastmle

    mm = np.load(path, mmap_mode="r")
    n, step = mm.shape[0], 1 << 22
    t0 = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        startup = time.perf_counter() - t0
        parts = [da.from_delayed(dask.delayed(_load_slice)(path, s, min(n, s + step)), shape=(min(n, s + step) - s,),
                                 dtype=mm.dtype) for s in range(0, n, step)]
        dx = client.persist(da.concatenate(parts))
        wait(dx)
        x = np.array(mm)          # the same values in this process's memory
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fastmle.fit("gamma", x[:100_000])
            tm, td = [], []
            for _ in range(repeat):
                t0 = time.perf_counter()
                a = fastmle.fit("gamma", x)
                tm.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                b = fastmle.fit("gamma", dx)
                td.append(time.perf_counter() - t0)
        row = {"bench": "dask", "n": int(n), "chunks": len(parts), "cluster_startup_s": startup,
               "in_memory_median_s": statistics.median(tm), "dask_median_s": statistics.median(td),
               "ratio": statistics.median(td) / statistics.median(tm), "in_memory_s": tm, "dask_s": td,
               "dask_passes": b._data.chunks.passes, "bitwise_equal": tuple(a.params) == tuple(b.params),
               "params": tuple(a.params), "load": load()}
    print(json.dumps(row), flush=True)
    print(f"dask: gamma free loc N=1e8 float32: in memory {row['in_memory_median_s']:.2f} s, 2-worker "
          f"LocalCluster {row['dask_median_s']:.2f} s, ratio {row['ratio']:.2f} (bitwise equal: "
          f"{row['bitwise_equal']})")
    return row


def main(argv):
    if len(argv) >= 2 and argv[0] == "--make":
        make(argv[1])
        return
    path, which = argv[0], argv[1:] or ["linear", "threads", "dask"]
    import fastmle

    print(json.dumps({"machine": {"cpu_count": os.cpu_count(), "load": load(),
                                  "default_n_threads": fastmle.get_num_threads()}}), flush=True)
    if "linear" in which:
        bench_linear(path)
    if "threads" in which:
        bench_threads()
    if "dask" in which:
        bench_dask(path)


if __name__ == "__main__":
    main(sys.argv[1:])
