"""Speed of ``fastmle.select`` (issue 4: "at N = 1e6 with every continuous candidate it runs in about a second").

For each data set (N observations from a fixed seed):

``select``
    ``fastmle.select(x)`` with every continuous candidate (``candidates="all"``)
    and the default work budget: the median wall time of ``--repeat`` runs,
    the winner, and per candidate the median seconds and the passes over the
    data (rows read / N); the slowest candidates are listed.
``--no-budget``
    ``fastmle.select(x, max_passes=None)`` once: every fit runs to its own end
    (what a loop of ``fastmle.fit`` costs), with the same breakdown and the
    candidates whose answer the budget changed.
``--scipy``
    scipy's loop, ``scipy.stats.<name>.fit(x)`` once per candidate (what fitter
    and distfit run underneath), ranked by AIC from scipy's own ``logpdf``; each
    fit is timed once (several take minutes at N = 1e6). Fits slower than
    ``--scipy-timeout`` seconds are abandoned in a child process and reported.

Usage::

    python bench/select_speed.py [--n 1e6] [--data gamma,norm,lognorm,t] [--repeat 5]
                                 [--no-budget] [--scipy] [--json out.json]

The load average is printed with every run: on a shared machine compare
medians, and re-run on an idle one for the record.
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import statistics
import time
import warnings

import numpy as np

GENERATORS = {
    "gamma": lambda rng, n: rng.gamma(2.0, 1.5, n),
    "norm": lambda rng, n: rng.normal(5.0, 2.0, n),
    "lognorm": lambda rng, n: rng.lognormal(0.0, 0.8, n),
    "t": lambda rng, n: rng.standard_t(4.0, n),
    "weibull": lambda rng, n: 3.0 + rng.weibull(1.5, n),
    "logistic": lambda rng, n: rng.logistic(1.0, 2.0, n),
}


def load():
    return [round(v, 2) for v in os.getloadavg()]


def make(name, n):
    return GENERATORS[name](np.random.default_rng(1), n)


def run_select(x, max_passes):
    import fastmle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0, c0 = time.perf_counter(), time.process_time()
        sel = fastmle.select(x, max_passes=max_passes, gof=False)
        # CPU seconds of every thread: what the work costs, whatever the load
        sel.cpu_seconds = time.process_time() - c0
        return time.perf_counter() - t0, sel


def breakdown(sels):
    """Per candidate: median seconds, passes, converged, budget cut, over the runs."""
    out = {}
    for r in sels[0].rows:
        name = r["name"]
        rows = [s[name] for s in sels]
        out[name] = {"seconds": statistics.median(x["seconds"] for x in rows), "passes": r["passes"],
                     "converged": r["converged"], "cut": r["budget_cut"], "aic": r["aic"], "error": r["error"]}
    return out


def _scipy_fit_child(name, x, queue):
    import scipy.stats as st

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        try:
            params = getattr(st, name).fit(x)
            ll = float(np.sum(getattr(st, name).logpdf(x, *params)))
            queue.put((time.perf_counter() - t0, tuple(float(p) for p in params), ll, None))
        except Exception as exc:     # report, do not stop the loop
            queue.put((time.perf_counter() - t0, None, math.nan, f"{type(exc).__name__}: {exc}"))


def run_scipy(x, names, timeout):
    ctx = mp.get_context("fork")
    out = {}
    for name in names:
        queue = ctx.Queue()
        proc = ctx.Process(target=_scipy_fit_child, args=(name, x, queue))
        t0 = time.perf_counter()
        proc.start()
        proc.join(timeout)
        if proc.is_alive():
            proc.terminate()
            proc.join()
            out[name] = {"seconds": None, "timed_out_after": timeout, "aic": None}
        else:
            seconds, params, ll, error = queue.get()
            k = None if params is None else len(params)
            out[name] = {"seconds": seconds, "wall": time.perf_counter() - t0, "params": params, "llf": ll,
                         "aic": None if k is None or not math.isfinite(ll) else 2 * k - 2 * ll, "error": error}
        print(f"    scipy {name:12s} {out[name].get('seconds') or float('nan'):8.2f} s", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=float, default=1e6)
    ap.add_argument("--data", default="gamma,norm,lognorm,t")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-budget", action="store_true")
    ap.add_argument("--scipy", action="store_true")
    ap.add_argument("--scipy-timeout", type=float, default=600.0)
    ap.add_argument("--show", type=int, default=8, help="slowest candidates listed per data set")
    ap.add_argument("--json", metavar="PATH")
    args = ap.parse_args()
    import fastmle

    n = int(args.n)
    report = {"n": n, "threads": fastmle.get_num_threads(), "results": {}}
    for name in args.data.split(","):
        x = make(name, n)
        run_select(x[: 10_000], 20)      # warm-up: imports, first calls
        times, sels = [], []
        for _ in range(args.repeat):
            t, sel = run_select(x, 20)
            times.append(t)
            sels.append(sel)
        per = breakdown(sels)
        med = statistics.median(times)
        cpu = statistics.median(s.cpu_seconds for s in sels)
        entry = {"select_median_s": med, "select_times_s": times, "select_median_cpu_s": cpu,
                 "load": load(), "winner": sels[0].rows[0]["name"],
                 "candidates": len(per), "passes_total": sum(v["passes"] for v in per.values()),
                 "per_candidate": per}
        print(f"{name}: N={n:.0e}, {len(per)} candidates, select median {med:.3f} s over {len(times)} runs "
              f"(min {min(times):.3f}, max {max(times):.3f}; CPU {cpu:.3f} s), "
              f"{entry['passes_total']:.0f} passes in total, "
              f"winner {entry['winner']}, load {entry['load']}")
        slow = sorted(per.items(), key=lambda kv: -kv[1]["seconds"])[: args.show]
        for cand, v in slow:
            flag = "cut" if v["cut"] else ("not converged" if v["converged"] is False else "")
            print(f"    {cand:12s} {1e3 * v['seconds']:8.1f} ms {v['passes']:6.1f} passes  {flag}")
        if args.no_budget:
            t, sel = run_select(x, None)
            full = breakdown([sel])
            entry.update(no_budget_s=t, no_budget_winner=sel.rows[0]["name"], no_budget=full,
                         no_budget_passes_total=sum(v["passes"] for v in full.values()))
            print(f"  no budget: {t:.2f} s, {entry['no_budget_passes_total']:.0f} passes, winner "
                  f"{entry['no_budget_winner']}, load {load()}")
            for cand, v in sorted(full.items(), key=lambda kv: -kv[1]["seconds"])[: args.show]:
                d = per[cand]["aic"] - v["aic"] if per[cand]["aic"] is not None and v["aic"] is not None else None
                dtxt = "" if d is None else f"  AIC with budget - without: {d:+.3g}"
                print(f"    {cand:12s} {v['seconds']:8.2f} s {v['passes']:6.1f} passes{dtxt}")
        if args.scipy:
            sp = run_scipy(x, list(per), args.scipy_timeout)
            done = [v["seconds"] for v in sp.values() if v["seconds"] is not None]
            ranked = sorted((v["aic"], c) for c, v in sp.items() if v["aic"] is not None)
            entry.update(scipy=sp, scipy_total_s=sum(done), scipy_winner=ranked[0][1] if ranked else None,
                         scipy_timed_out=[c for c, v in sp.items() if v["seconds"] is None])
            print(f"  scipy loop: {entry['scipy_total_s']:.1f} s for {len(done)} fits "
                  f"(timed out: {entry['scipy_timed_out'] or 'none'}), winner {entry['scipy_winner']}, "
                  f"load {load()}")
        report["results"][name] = entry
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
