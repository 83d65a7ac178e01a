"""Peak resident memory of an out-of-core fit (issue 6).

Runs each measurement in a fresh interpreter: imports fastmle, warms it up
on a small fit, resets the kernel's peak-RSS counter (``/proc/self/clear_refs``,
Linux), notes the resident set as the baseline, then fits a memory-mapped
``.npy`` file and reads the peak (``VmHWM``). A control run sums the same
memory map with numpy (no page release) to show that the method sees
file-backed pages: its peak rises by the whole file.

Usage::

    python bench/scale_memory.py PATH.npy [--dist gamma] [--kw '{}']
    python bench/scale_memory.py X.npy --dist Logit --kw '{"y": "y.npy"}'   # a memory-mapped design

Make a 1e8-value float32 file first with ``bench/scale_speed.py --make PATH``.
"""
import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, sys, time
import numpy as np
import fastmle

def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(field)

path, dist, kw, mode = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
mm = np.load(path, mmap_mode="r")
if dist in ("Logit", "Poisson"):          # regression: path is the design X, kw["y"] the response .npy
    y = np.load(kw.pop("y"))              # in memory before the baseline (n values, not n * p)
    model = getattr(fastmle, dist)
    model(y[:100_000], np.array(mm[:100_000])).fit()
else:
    getattr(fastmle, dist).fit(np.array(mm[:100_000]), **kw)  # imports, first calls (a copied prefix)
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")          # reset VmHWM to the current RSS
base = status("VmRSS")
t0 = time.perf_counter()
if mode == "fit" and dist in ("Logit", "Poisson"):
    params = tuple(float(p) for p in getattr(fastmle, dist)(y, mm).fit().params)
elif mode == "fit":
    params = tuple(float(p) for p in getattr(fastmle, dist).fit(mm, **kw))
else:                      # control: numpy reads every page, none released
    params = (float(mm.sum(dtype=np.float64)),)
dt = time.perf_counter() - t0
print(json.dumps({"mode": mode, "n": int(mm.shape[0]), "dtype": str(mm.dtype), "baseline_rss_mb": base / 2**20,
                  "peak_above_baseline_mb": (status("VmHWM") - base) / 2**20, "seconds": dt, "params": params}))
"""


def measure(path, dist, kw, mode):
    out = subprocess.run([sys.executable, "-c", CHILD, path, dist, json.dumps(kw), mode],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"the measuring interpreter failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--dist", default="gamma")
    ap.add_argument("--kw", default="{}", help="fit keywords as JSON, e.g. '{\"floc\": 0}'")
    ap.add_argument("--control", action="store_true", help="also run the numpy control")
    args = ap.parse_args()
    kw = json.loads(args.kw)
    print(json.dumps(measure(args.path, args.dist, kw, "fit")))
    if args.control:
        print(json.dumps(measure(args.path, args.dist, kw, "control")))


if __name__ == "__main__":
    main()
