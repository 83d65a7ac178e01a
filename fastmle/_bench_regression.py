"""The regression section of ``fastmle bench``: fastmle against statsmodels and scikit-learn.

Each case fits one model (Logit or Poisson, dense float64 X with a constant
column and p - 1 standard normal columns, fixed seed) three ways on the same
arrays in the same process:

* statsmodels ``Logit(y, X).fit()`` / ``Poisson(y, X).fit()`` (defaults),
* scikit-learn ``LogisticRegression(C=inf, solver="lbfgs", tol=1e-8)`` /
  ``PoissonRegressor(alpha=0, solver="lbfgs", tol=1e-8)`` on ``X[:, 1:]``
  with ``fit_intercept=True`` (no penalty: the same optimum; scikit-learn
  1.8 deprecated ``penalty=None`` in favour of ``C=np.inf``),
* ``fastmle.Logit(y, X).fit()`` / ``fastmle.Poisson(y, X).fit()``,

and reports the median wall times, the speedups, the largest parameter
difference to each of the others (the "same optimum" check), fastmle's time
per Newton iteration (fit time / kernel passes with the Hessian) and one
``X.T @ X`` (numpy/BLAS), the floor for a dense Hessian.
"""
import statistics
import time
import warnings
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

__all__ = ["RegCase", "REG_CASES", "REG_NAMES", "run_regression", "format_regression", "regression_sizes"]


@dataclass(frozen=True)
class RegCase:
    """One regression benchmark: ``model`` in {"Logit", "Poisson"} with ``p`` columns."""

    label: str
    model: str
    p: int = 20
    seed: int = 0

    def data(self, n):
        rng = np.random.default_rng([self.seed, int(n)])
        X = np.empty((n, self.p))
        X[:, 0] = 1.0
        X[:, 1:] = rng.standard_normal((n, self.p - 1))
        beta = np.random.default_rng(self.seed).standard_normal(self.p) * 0.2
        eta = X @ beta
        if self.model == "Logit":
            y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.float64)
        else:
            y = rng.poisson(np.exp(eta)).astype(np.float64)
        return X, y


REG_CASES = (
    RegCase("Logit p=20", "Logit", 20, seed=201),
    RegCase("Poisson p=20", "Poisson", 20, seed=202),
)
#: names accepted by ``--dists`` for this section
REG_NAMES = {"Logit", "Poisson", "regression"}


def regression_sizes(sizes):
    """The sizes of the run at which the regression cases are timed (N >= 1000)."""
    return [n for n in sizes if n >= 1000]


@dataclass
class RegRow:
    label: str
    n: int
    p: int
    times: dict = field(default_factory=dict)       # side -> list of seconds
    params: dict = field(default_factory=dict)      # side -> ndarray
    status: dict = field(default_factory=dict)      # side -> ok | n/a | error
    n_passes: Optional[int] = None
    xtx_s: Optional[float] = None
    notes: list = field(default_factory=list)

    def median(self, side):
        t = self.times.get(side)
        return statistics.median(t) if t else None

    def speedup(self, side):
        a, b = self.median(side), self.median("fastmle")
        return a / b if a and b else None

    def dparam(self, side):
        if side not in self.params or "fastmle" not in self.params:
            return None
        return float(np.max(np.abs(self.params[side] - self.params["fastmle"])))

    def as_dict(self):
        return {"case": self.label, "n": self.n, "p": self.p,
                "times_s": {k: list(v) for k, v in self.times.items()},
                "median_s": {k: self.median(k) for k in self.times},
                "max_abs_dparam": {k: self.dparam(k) for k in self.params if k != "fastmle"},
                "status": dict(self.status), "newton_passes": self.n_passes,
                "ms_per_newton_pass": (None if not self.n_passes or self.median("fastmle") is None
                                       else 1e3 * self.median("fastmle") / self.n_passes),
                "xtx_s": self.xtx_s, "notes": list(self.notes)}


def _sides(case, X, y, n_threads):
    import fastmle

    sides = {}
    model = getattr(fastmle, case.model)
    sides["fastmle"] = lambda: np.asarray(model(y, X, n_threads=n_threads).fit().params)
    try:
        import statsmodels.api as sm
        smm = getattr(sm, case.model)
        sides["statsmodels"] = lambda: np.asarray(smm(y, X).fit(disp=0).params)
    except ImportError:
        sides["statsmodels"] = None
    try:
        from sklearn.linear_model import LogisticRegression, PoissonRegressor
        if case.model == "Logit":
            est = LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-8, max_iter=1000)
        else:
            est = PoissonRegressor(alpha=0.0, solver="lbfgs", tol=1e-8, max_iter=1000)

        def sk():
            est.fit(X[:, 1:], y)
            return np.concatenate([np.ravel(est.intercept_), np.ravel(est.coef_)])
        sides["sklearn"] = sk
    except ImportError:
        sides["sklearn"] = None
    return sides


def run_regression(sizes, *, n_threads=None, repeat=5, min_repeat=1, budget=2.0, progress=None,
                   cases=REG_CASES, slow_rounds=3):
    """Time every regression case at every size; returns a list of RegRow.

    After one warm-up call per side, the sides are timed *interleaved*
    (``fastmle._bench.time_interleaved``: fastmle, statsmodels, scikit-learn,
    fastmle, ...), so that the load of a shared machine drifting during the
    run hits all three alike and the speedups (ratios of medians) stay
    meaningful. Rounds: ``repeat`` (within ``budget`` seconds), or
    ``slow_rounds`` when some side takes over a second per call (N = 1e6).
    """
    from ._bench import time_call, time_interleaved

    rows = []
    for case in cases:
        for n in regression_sizes(sizes):
            X, y = case.data(n)
            row = RegRow(case.label, n, case.p)
            ready = {}
            slow = False
            for side, fn in _sides(case, X, y, n_threads).items():
                if fn is None:
                    row.status[side] = "n/a"
                    row.notes.append(f"{side} is not installed")
                    continue
                try:
                    with warnings.catch_warnings(), np.errstate(all="ignore"):
                        warnings.simplefilter("ignore")
                        t0 = time.perf_counter()
                        row.params[side] = fn()                # warm-up; its estimate is the row's
                        slow = slow or time.perf_counter() - t0 > 1.0
                    ready[side] = fn
                    row.status[side] = "ok"
                except Exception as exc:   # a failing side is a result, not a crash of the run
                    row.status[side] = "error"
                    row.notes.append(f"{side} raised {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
            if ready:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    times = time_interleaved(list(ready.values()),
                                             repeat=max(min_repeat, slow_rounds if slow else repeat),
                                             budget=None if slow else budget)
                row.times = dict(zip(ready, times))
            if row.status.get("fastmle") == "ok":
                import fastmle
                res = getattr(fastmle, case.model)(y, X, n_threads=n_threads).fit()
                row.n_passes = res.mle_retvals["fcalls"]
                xtx, _ = time_call(lambda: X.T @ X, repeat=5, min_repeat=1, budget=budget)
                row.xtx_s = statistics.median(xtx)
            rows.append(row)
            if progress is not None:
                progress.write(_line(row) + "\n")
                progress.flush()
    return rows


def _ms(s):
    from ._bench import _fmt_ms
    return _fmt_ms(s)


def _line(row):
    from ._bench import _fmt_n, _fmt_speedup
    return (f"{row.label:<14} N={_fmt_n(row.n):<5} statsmodels {_ms(row.median('statsmodels'))} ms  "
            f"sklearn {_ms(row.median('sklearn'))} ms  fastmle {_ms(row.median('fastmle'))} ms  "
            f"({_fmt_speedup(row.speedup('statsmodels'))} / {_fmt_speedup(row.speedup('sklearn'))})")


_HEADERS = ("case", "N", "statsmodels (ms)", "sklearn (ms)", "fastmle (ms)", "vs sm", "vs sk",
            "max|Δparam|", "ms/pass", "X.T@X (ms)")


def format_regression(rows, markdown=False):
    """The regression table (and the issue's targets read off it)."""
    from ._bench import _fmt_n, _fmt_speedup
    cells = []
    for r in rows:
        d = [r.dparam(s) for s in ("statsmodels", "sklearn")]
        dmax = max((x for x in d if x is not None), default=None)
        per = (r.median("fastmle") / r.n_passes) if r.n_passes and r.median("fastmle") else None
        cells.append((r.label, _fmt_n(r.n), _ms(r.median("statsmodels")), _ms(r.median("sklearn")),
                      _ms(r.median("fastmle")), _fmt_speedup(r.speedup("statsmodels")),
                      _fmt_speedup(r.speedup("sklearn")), "—" if dmax is None else f"{dmax:.1e}",
                      _ms(per), _ms(r.xtx_s)))
    if markdown:
        lines = ["| " + " | ".join(_HEADERS) + " |", "|:--" + "|--:" * (len(_HEADERS) - 1) + "|"]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
    else:
        widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(_HEADERS)]
        fmt = "  ".join(("{:<%d}" if i == 0 else "{:>%d}") % w for i, w in enumerate(widths))
        lines = [fmt.format(*_HEADERS), "  ".join("-" * w for w in widths)] + [fmt.format(*c) for c in cells]
    lines.append("")
    lines.append("Regression: medians of interleaved rounds (fastmle, statsmodels, scikit-learn in turn).")
    lines.append("Regression targets (N=1e6, p=20): >= 4x scikit-learn, >= 10x statsmodels, max|Δparam| <= 1e-6; "
                 "ms/pass = fastmle fit time / its full-data kernel passes (the subsample warm start and setup "
                 "included), against one X.T @ X")
    for r in rows:
        if r.n != 1_000_000:
            continue
        for side, target in (("sklearn", 4.0), ("statsmodels", 10.0)):
            s, d = r.speedup(side), r.dparam(side)
            if s is None:
                continue
            ok = s >= target and d is not None and d <= 1e-6
            lines.append(f"  {r.label} vs {side}: {_fmt_speedup(s)} (target >= {target:g}x), "
                         f"max|Δparam| {d:.1e} {'PASS' if ok else 'MISS'}")
    for r in rows:
        for note in r.notes:
            lines.append(f"  {r.label} N={_fmt_n(r.n)}: {note}")
    return "\n".join(lines)
