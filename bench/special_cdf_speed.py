"""Cost per call of the cdf special functions in src/_special_cdf.h.

Run: ``PYTHONPATH=. python bench/special_cdf_speed.py [n]``.

Each function is called through its vectorized wrapper in ``fastmle._special``
on n (default 200 000) typical arguments, one thread; the time per element is
the median of 5 repeats, so the Python overhead of one call is spread over n.
scipy's vectorized equivalent (value only) is timed on the same arrays where
one exists.  The machine load is printed first: on a shared machine the
numbers move by tens of percent.
"""
import os
import sys
import time

import numpy as np

from fastmle import _special


def median_ns(fn, n, repeats=5):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e9 * float(np.median(times)) / n


def main(n=200_000):
    rng = np.random.default_rng(0)
    try:
        import scipy.special as sc
        from scipy import stats
    except ImportError:   # scipy is optional: time fastmle alone
        sc = stats = None
    print(f"load average {os.getloadavg()[0]:.2f}, n = {n}")
    z = rng.normal(0.0, 3.0, n)
    a_g = rng.uniform(0.5, 20.0, n)
    x_g = rng.gamma(a_g)
    a_b = rng.uniform(0.5, 20.0, n)
    b_b = rng.uniform(0.5, 20.0, n)
    x_b = rng.beta(a_b, b_b)
    h = rng.normal(0.0, 2.0, n)
    a_t = rng.normal(0.0, 3.0, n)
    k_v = rng.uniform(0.5, 20.0, n)
    x_v = rng.vonmises(0.0, k_v)
    rows = [
        ("ndtr", lambda: _special.ndtr(z), sc and (lambda: sc.ndtr(z))),
        ("log_ndtr", lambda: _special.log_ndtr(z), sc and (lambda: sc.log_ndtr(z))),
        ("log_ndtr_derivs", lambda: _special.log_ndtr_derivs(z), None),
        ("owens_t", lambda: _special.owens_t(h, a_t), sc and (lambda: sc.owens_t(h, a_t))),
        ("log_gammainc value", lambda: _special.log_gammainc(a_g, x_g, derivatives=False),
         sc and (lambda: sc.gammainc(a_g, x_g))),
        ("log_gammainc + 5 derivs", lambda: _special.log_gammainc(a_g, x_g), None),
        ("log_betainc value", lambda: _special.log_betainc(a_b, b_b, x_b, derivatives=False),
         sc and (lambda: sc.betainc(a_b, b_b, x_b))),
        ("log_betainc + 9 derivs", lambda: _special.log_betainc(a_b, b_b, x_b), None),
        ("log_vonmises_cdf value", lambda: _special.log_vonmises_cdf(k_v, x_v, derivatives=False),
         stats and (lambda: stats.vonmises.cdf(x_v, k_v))),
        ("log_vonmises_cdf + 5 derivs", lambda: _special.log_vonmises_cdf(k_v, x_v), None),
    ]
    print(f"{'function':30s} {'fastmle ns/call':>16s} {'scipy ns/call':>14s}")
    for name, ours, theirs in rows:
        t_ours = median_ns(ours, n)
        t_theirs = median_ns(theirs, n) if theirs else float("nan")
        print(f"{name:30s} {t_ours:16.0f} {t_theirs:14.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
