"""Per-candidate cost of ``fastmle.select``'s fits: passes over the data and seconds.

For each data set (the generators of ``bench/select_speed.py``) and each
continuous candidate, ``fastmle.fit(name, x)`` runs once without a work
budget (as ``select(max_passes=None)`` would): rows read / N, wall seconds,
CPU seconds (``time.process_time``, all threads), converged and the message.

Usage::

    python bench/candidate_passes.py [--n 1e6] [--data gamma,norm,lognorm,t] [--only beta,t] [--json out.json]
"""
import argparse
import json
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(__file__))

from select_speed import make  # noqa: E402


def run(name, x):
    import fastmle
    from fastmle._budget import WorkBudget

    budget = WorkBudget(float("inf"))
    with budget, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            res = fastmle.fit(name, x)
            err = None
        except (ValueError, ArithmeticError, RuntimeError) as exc:
            res, err = None, f"{type(exc).__name__}: {exc}"
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    out = {"passes": budget.used / len(x), "wall": wall, "cpu": cpu, "error": err}
    if res is not None:
        out.update(llf=float(res.llf), converged=bool(res.converged), message=res.message,
                   params=[float(p) for p in res.params])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=float, default=1e6)
    ap.add_argument("--data", default="gamma,norm,lognorm,t")
    ap.add_argument("--only", default=None, help="comma-separated candidates (default: select's)")
    ap.add_argument("--json", metavar="PATH")
    args = ap.parse_args()
    import fastmle
    from fastmle._select import default_candidates

    names = args.only.split(",") if args.only else default_candidates()
    report = {}
    for data in args.data.split(","):
        x = make(data, int(args.n))
        for name in names:      # warm-up: imports, first calls
            run(name, x[:5000])
        report[data] = {}
        tot_w = tot_c = 0.0
        print(f"{data}: N={args.n:.0e}, load {os.getloadavg()[0]:.1f}")
        for name in names:
            r = run(name, x)
            report[data][name] = r
            tot_w += r["wall"]
            tot_c += r["cpu"]
            flag = "" if r["error"] else ("" if r["converged"] else "NOT CONVERGED")
            msg = r["error"] or r["message"]
            print(f"  {name:12s} {r['passes']:7.1f} passes {r['wall']:7.3f} s wall {r['cpu']:7.3f} s cpu "
                  f"{flag:13s} {r.get('llf', float('nan')):.10g}  {msg[:110]}", flush=True)
        print(f"  total {tot_w:.2f} s wall, {tot_c:.2f} s cpu")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
