"""Benchmark engine behind ``fastmle bench``: fastmle against scipy, fit by fit.

Every case fits one distribution with fixed keywords to data drawn from a
fixed seed, once with scipy and once with fastmle, on the *same* array in the
same process, and compares

* the median wall time of each call (after a warm-up call),
* the quality of the optimum: ``nnlf(fastmle params) - nnlf(scipy params)``,
  both evaluated with scipy's ``nnlf`` so that neither side grades itself
  (negative = fastmle found the better optimum).

:data:`CASES` is the single list of cases; the pytest-benchmark suites in
``bench/`` import it too. :data:`LOG_REFERENCE` is not a fit: one
``np.log(x)`` pass over the ``gamma floc=0`` data, the yardstick of the
project's promise "gamma floc=0 within 3x one np.log pass".
"""
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Mapping, Optional

import numpy as np

__all__ = [
    "BenchOptionError", "Case", "CASES", "LOG_REFERENCE", "FULL_SIZES", "QUICK_SIZES", "get_case", "time_call",
    "time_interleaved", "warm_up_scipy", "machine_info", "run_benchmarks", "format_table", "format_targets",
    "write_json", "main_bench",
]

class BenchOptionError(ValueError):
    """An invalid ``fastmle bench`` option (reported as a usage error)."""


#: Sizes of a full run and of ``--quick``.
FULL_SIZES = (100, 1_000, 100_000, 1_000_000)
QUICK_SIZES = (100, 10_000, 1_000_000)

# The scipy warm-up call only has to pay scipy's one-off costs (lazy imports,
# first-call dispatch); a prefix of this many observations does that without
# doubling the price of a several-second scipy fit at N = 1e6.
_SCIPY_WARMUP_N = 10_000

# Show "running ..." before a scipy call expected to take longer than this.
_SLOW_CALL_S = 0.25

# scipy calls estimated (from the warm-up prefix) to take longer than this
# are timed once: a median of several 10-60 s fits would make a full run last
# hours. In --quick mode they are skipped above N = 1e5 instead.
_SCIPY_ONCE_S = 3.0
_QUICK_SCIPY_SKIP_S = 2.0


def _scipy_poisson_fit(x):
    """scipy's way to a Poisson MLE: ``scipy.stats.fit`` (differential evolution).

    scipy has no ``poisson.fit``. ``bounds={"mu": (0, max(x) + 1)}`` is what a
    user has to write; ``loc`` is held at 0 by ``scipy.stats.fit``'s default.
    The optimizer is scipy's default, differential evolution, only seeded so
    that repeated runs return the same estimate (and Δnll is reproducible).
    """
    from functools import partial

    from scipy import optimize, stats

    optimizer = partial(optimize.differential_evolution, rng=0)
    res = stats.fit(stats.poisson, x, bounds={"mu": (0.0, float(np.max(x)) + 1.0)}, optimizer=optimizer)
    return tuple(float(v) for v in res.params)



def _scipy_stats_fit(name, bounds, x):
    """``scipy.stats.fit(<name>, x, bounds=bounds(x))`` with differential
    evolution seeded for reproducibility: what a user of a discrete
    distribution writes (scipy has no ``.fit`` for them)."""
    from functools import partial

    from scipy import optimize, stats

    optimizer = partial(optimize.differential_evolution, rng=0)
    res = stats.fit(getattr(stats, name), x, bounds=bounds(x), optimizer=optimizer)
    return tuple(float(v) for v in res.params)


def _zipoisson_nnlf(params, x):
    """Negative log-likelihood of the zero-inflated Poisson (numpy; the
    judge of the zipoisson rows, scipy has no such distribution)."""
    from scipy import special

    mu, pi, loc = params
    k = np.asarray(x, dtype=float) - loc
    if not (mu > 0 and 0 <= pi < 1) or np.any(k < 0):
        return np.inf
    zero = np.log(pi + (1 - pi) * np.exp(-mu))
    pos = np.log1p(-pi) - mu + special.xlogy(k, mu) - special.gammaln(k + 1)
    return -float(np.sum(np.where(k == 0, zero, pos)))


def _scipy_zipoisson_fit(x):
    """What a scipy user writes for a zero-inflated Poisson: L-BFGS-B on the
    numpy log-pmf from the moment start (scipy has no zipoisson)."""
    from scipy import optimize

    m, v = float(np.mean(x)), float(np.var(x))
    pi0 = min(max((v - m) / (v + m * m - m), 0.01), 0.9) if v > m else 0.01
    res = optimize.minimize(lambda q: _zipoisson_nnlf((q[0], q[1], 0.0), x), [m / (1 - pi0), pi0],
                            method="L-BFGS-B", bounds=[(1e-8, None), (0.0, 1 - 1e-9)])
    return float(res.x[0]), float(res.x[1]), 0.0


@dataclass(frozen=True)
class Case:
    """One benchmark case: a distribution, its fit keywords and its data.

    Parameters
    ----------
    label : str
        Name shown in tables and used as pytest id, e.g. ``"gamma floc=0"``.
    dist : str
        Distribution name in both ``scipy.stats`` and ``fastmle``.
    kwds : mapping
        Fit keywords passed unchanged to both sides (``floc=0`` ...).
    generate : callable
        ``generate(rng, n) -> ndarray``: the data, drawn with numpy only.
    seed : int
        Fixed seed; the data of size ``n`` come from ``default_rng([seed, n])``.
    scipy_fit : callable, optional
        ``scipy_fit(x) -> tuple``, when scipy's call is not ``<dist>.fit``.
    scipy_max_n : int, optional
        Largest N at which any run times the scipy side (betabinom's
        differential evolution takes ~10 minutes at N = 1e6).
    scipy_quick_max_n : int, optional
        Largest N at which ``--quick`` runs the scipy side.
    scipy_name : str
        How scipy's side is called, for headers and notes.
    judge : callable, optional
        ``judge(params, x) -> float``, the negative log-likelihood, for a
        distribution scipy does not have (zipoisson); default scipy's ``nnlf``.
    """

    label: str
    dist: str
    kwds: Mapping = field(default_factory=dict)
    generate: Callable = None
    seed: int = 0
    scipy_fit: Optional[Callable] = None
    scipy_max_n: Optional[int] = None
    scipy_quick_max_n: Optional[int] = None
    scipy_name: str = ""
    judge: Optional[Callable] = None

    @property
    def slug(self):
        """The label as an identifier (pytest ids, ``-k``): ``gamma floc=0`` -> ``gamma_floc0``."""
        return self.label.replace(" ", "_").replace("=", "").replace("-", "")

    def data(self, n):
        """The case's data of size ``n`` (same seed -> same array, every run).

        Parameters
        ----------
        n : int
            Number of observations.

        Returns
        -------
        ndarray
        """
        return self.generate(np.random.default_rng([self.seed, int(n)]), int(n))

    def fastmle_call(self, x, n_threads=None):
        """A zero-argument callable running fastmle's fit on ``x``.

        Attribute look-ups happen here, once, so the timed call is the fit.

        Parameters
        ----------
        x : ndarray
        n_threads : int, optional
            Passed to ``fastmle.<dist>.fit``.

        Returns
        -------
        callable
            Returns scipy's parameter tuple.
        """
        import fastmle

        fit = getattr(fastmle, self.dist).fit
        kwds = dict(self.kwds)
        if n_threads is not None:
            kwds["n_threads"] = n_threads
        return lambda: fit(x, **kwds)

    def scipy_call(self, x):
        """A zero-argument callable running scipy's fit on ``x``.

        Parameters
        ----------
        x : ndarray

        Returns
        -------
        callable
            Returns scipy's parameter tuple.
        """
        if self.scipy_fit is not None:
            custom = self.scipy_fit
            return lambda: custom(x)
        from scipy import stats

        fit = getattr(stats, self.dist).fit
        kwds = dict(self.kwds)
        return lambda: fit(x, **kwds)

    def nnlf(self, params, x):
        """scipy's negative log-likelihood of ``params`` on ``x`` (the common judge).

        Parameters
        ----------
        params : sequence of float
        x : ndarray

        Returns
        -------
        float
        """
        from scipy import stats

        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self.judge is not None:
                return float(self.judge(tuple(float(p) for p in params), x))
            return float(getattr(stats, self.dist).nnlf(tuple(float(p) for p in params), x))


def _skewnorm_draw(rng, n, a, loc, scale):
    """skewnorm(a, loc, scale) draws with numpy alone: delta |U0| + sqrt(1 - delta^2) U1."""
    d = a / math.sqrt(1.0 + a * a)
    u0, u1 = rng.standard_normal(n), rng.standard_normal(n)
    return loc + scale * (d * np.abs(u0) + math.sqrt(1.0 - d * d) * u1)


def _shifted(draw, shift):
    def generate(rng, n):
        x = draw(rng, n)
        x += shift
        return x
    return generate


#: Every fit case, in table order. Shape values are chosen so that the
#: 3-parameter fits are regular (gamma a > 2, weibull c > 2, moderate lognorm
#: sigma): there the MLE is an interior maximum scipy can reach, and the
#: comparison measures speed, not which side copes with a degenerate likelihood.
CASES = (
    Case("norm", "norm", {}, lambda rng, n: rng.normal(1.0, 2.0, n), seed=101),
    Case("expon", "expon", {}, _shifted(lambda rng, n: rng.exponential(2.0, n), 1.0), seed=102),
    Case("gamma floc=0", "gamma", {"floc": 0}, lambda rng, n: rng.gamma(2.5, 3.0, n), seed=103),
    Case("gamma 3-param", "gamma", {}, _shifted(lambda rng, n: rng.gamma(2.5, 3.0, n), 5.0), seed=104),
    Case("lognorm floc=0", "lognorm", {"floc": 0}, lambda rng, n: rng.lognormal(0.5, 0.7, n), seed=105),
    Case("lognorm 3-param", "lognorm", {}, _shifted(lambda rng, n: rng.lognormal(0.5, 0.7, n), 3.0),
         seed=106),
    Case("weibull_min floc=0", "weibull_min", {"floc": 0}, lambda rng, n: 2.0 * rng.weibull(1.7, n),
         seed=107),
    Case("weibull_min 3-param", "weibull_min", {},
         _shifted(lambda rng, n: 2.0 * rng.weibull(2.5, n), 3.0), seed=108),
    # positive group (support bounded on one side at loc): the default call and
    # floc=0; shapes keep the free-loc fits regular (chi2 df > 4, fisk c > 2,
    # weibull_max c > 2), as above
    Case("rayleigh", "rayleigh", {}, _shifted(lambda rng, n: rng.rayleigh(2.0, n), 1.0), seed=201),
    Case("rayleigh floc=0", "rayleigh", {"floc": 0}, lambda rng, n: rng.rayleigh(2.0, n), seed=202),
    Case("halfnorm", "halfnorm", {}, _shifted(lambda rng, n: np.abs(rng.normal(0.0, 2.0, n)), 1.0), seed=203),
    Case("halfnorm floc=0", "halfnorm", {"floc": 0}, lambda rng, n: np.abs(rng.normal(0.0, 2.0, n)),
         seed=204),
    Case("invgauss", "invgauss", {}, _shifted(lambda rng, n: rng.wald(1.0, 2.0, n), 1.0), seed=205),
    Case("invgauss floc=0", "invgauss", {"floc": 0}, lambda rng, n: rng.wald(1.0, 2.0, n), seed=206),
    Case("chi2", "chi2", {}, _shifted(lambda rng, n: 2.0 * rng.chisquare(5.0, n), 1.0), seed=207),
    Case("chi2 floc=0", "chi2", {"floc": 0}, lambda rng, n: rng.chisquare(5.0, n), seed=208),
    Case("fisk", "fisk", {}, _shifted(lambda rng, n: 2.0 * np.exp(rng.logistic(0.0, 0.25, n)), 1.0),
         seed=209),
    Case("fisk floc=0", "fisk", {"floc": 0}, lambda rng, n: 2.0 * np.exp(rng.logistic(0.0, 0.25, n)),
         seed=210),
    Case("lomax", "lomax", {}, _shifted(lambda rng, n: 2.0 * rng.pareto(3.0, n), 1.0), seed=211),
    Case("lomax floc=0", "lomax", {"floc": 0}, lambda rng, n: 2.0 * rng.pareto(3.0, n), seed=212),
    Case("weibull_max", "weibull_max", {}, lambda rng, n: 5.0 - 2.0 * rng.weibull(3.0, n), seed=213),
    # scipy.stats.fit's differential evolution costs ~10 s at N = 1e6 on
    # 2 cores: --quick stops the scipy side at 1e5 to stay near a minute.
    Case("poisson", "poisson", {}, lambda rng, n: rng.poisson(4.0, n), seed=109,
         scipy_fit=_scipy_poisson_fit, scipy_quick_max_n=100_000,
         scipy_name='scipy.stats.fit(poisson, bounds={"mu": (0, max+1)})'),
    # discrete (helper "discrete"): scipy.stats.fit with bounds, differential
    # evolution seeded; --quick stops the scipy side at 1e5 (10-60 s at 1e6)
    Case("geom", "geom", {}, lambda rng, n: rng.geometric(0.3, n), seed=110,
         scipy_fit=partial(_scipy_stats_fit, "geom", lambda x: {"p": (0.0, 1.0)}),
         scipy_quick_max_n=100_000, scipy_name='scipy.stats.fit(geom, bounds={"p": (0, 1)})'),
    Case("binom fn=20", "binom", {"fn": 20}, lambda rng, n: rng.binomial(20, 0.3, n), seed=111,
         scipy_fit=partial(_scipy_stats_fit, "binom", lambda x: {"n": (20, 20), "p": (0.0, 1.0)}),
         scipy_quick_max_n=100_000,
         scipy_name='scipy.stats.fit(binom, bounds={"n": (20, 20), "p": (0, 1)})'),
    Case("nbinom", "nbinom", {}, lambda rng, n: rng.negative_binomial(3.0, 0.4, n), seed=112,
         scipy_fit=partial(_scipy_stats_fit, "nbinom", lambda x: {"n": (0.0, 100.0), "p": (0.0, 1.0)}),
         scipy_quick_max_n=100_000,
         scipy_name='scipy.stats.fit(nbinom, bounds={"n": (0, 100), "p": (0, 1)})'),
    Case("betabinom fn=20", "betabinom", {"fn": 20}, lambda rng, n: rng.binomial(20, rng.beta(2.0, 3.0, n)),
         seed=113,
         scipy_fit=partial(_scipy_stats_fit, "betabinom",
                           lambda x: {"n": (20, 20), "a": (0.0, 100.0), "b": (0.0, 100.0)}),
         scipy_max_n=100_000, scipy_quick_max_n=100_000,
         scipy_name='scipy.stats.fit(betabinom, bounds={"n": (20, 20), "a": (0, 100), "b": (0, 100)})'),
    Case("zipoisson", "zipoisson", {},
         lambda rng, n: np.where(rng.random(n) < 0.3, 0, rng.poisson(3.0, n)), seed=114,
         scipy_fit=_scipy_zipoisson_fit, judge=_zipoisson_nnlf, scipy_quick_max_n=100_000,
         scipy_name="scipy.optimize.minimize(L-BFGS-B) on a numpy zipoisson log-pmf"),
    # bounded supports (beta, uniform, pareto, genpareto, genextreme, vonmises).
    # scipy's Nelder-Mead on 3-4 free parameters takes 5-10 s each at N = 1e6:
    # --quick stops those scipy sides at 1e5.
    Case("beta floc=0 fscale=1", "beta", {"floc": 0, "fscale": 1}, lambda rng, n: rng.beta(2.0, 5.0, n),
         seed=301),
    Case("beta 4-param", "beta", {}, lambda rng, n: 1.0 + 2.0 * rng.beta(2.5, 3.5, n), seed=302,
         scipy_quick_max_n=100_000),
    Case("uniform", "uniform", {}, lambda rng, n: rng.uniform(2.0, 5.0, n), seed=303),
    Case("pareto", "pareto", {}, lambda rng, n: 1.0 + 2.0 * rng.pareto(3.0, n), seed=304),
    Case("pareto floc=0", "pareto", {"floc": 0}, lambda rng, n: 2.0 * (1.0 + rng.pareto(3.0, n)), seed=305),
    Case("genpareto", "genpareto", {}, lambda rng, n: 1.0 + 2.0 * (rng.pareto(1.0 / 0.2, n)), seed=306,
         scipy_quick_max_n=100_000),
    Case("genpareto floc=0", "genpareto", {"floc": 0}, lambda rng, n: 2.0 * rng.pareto(1.0 / 0.2, n),
         seed=307),
    Case("genextreme", "genextreme", {}, lambda rng, n: 1.0 - 2.0 * np.log(rng.standard_exponential(n)),
         seed=308, scipy_quick_max_n=100_000),
    Case("vonmises", "vonmises", {}, lambda rng, n: rng.vonmises(1.0, 2.0, n), seed=309),
    # whole-real-line group (t, cauchy, logistic, laplace, gumbel_r/l, skewnorm):
    # the default calls, and floc=0 where users write it (t, logistic, laplace)
    Case("t", "t", {}, _shifted(lambda rng, n: 2.0 * rng.standard_t(3.0, n), 1.0), seed=401),
    Case("t floc=0", "t", {"floc": 0}, lambda rng, n: 2.0 * rng.standard_t(4.0, n), seed=402),
    Case("cauchy", "cauchy", {}, _shifted(lambda rng, n: 2.0 * rng.standard_cauchy(n), 1.0), seed=403),
    Case("logistic", "logistic", {}, lambda rng, n: rng.logistic(1.0, 2.0, n), seed=404),
    Case("logistic floc=0", "logistic", {"floc": 0}, lambda rng, n: rng.logistic(0.0, 2.0, n), seed=405),
    Case("laplace", "laplace", {}, lambda rng, n: rng.laplace(1.0, 2.0, n), seed=406),
    Case("laplace floc=0", "laplace", {"floc": 0}, lambda rng, n: rng.laplace(0.0, 2.0, n), seed=407),
    Case("gumbel_r", "gumbel_r", {}, lambda rng, n: rng.gumbel(1.0, 2.0, n), seed=408),
    Case("gumbel_l", "gumbel_l", {}, lambda rng, n: -rng.gumbel(-1.0, 2.0, n), seed=409),
    Case("skewnorm", "skewnorm", {}, lambda rng, n: _skewnorm_draw(rng, n, 4.0, 1.0, 2.0), seed=410),
)

#: Label of the reference row and the case whose data it reads.
LOG_REFERENCE = "np.log pass"
_LOG_REFERENCE_DATA = "gamma floc=0"


#: The fixed-parameter calls counted with the default calls in issue 3's
#: median ("plus floc=0 where common"): the lifetime models fitted from 0.
COMMON_FIXED_CALLS = frozenset({"gamma floc=0", "lognorm floc=0", "weibull_min floc=0"})


def is_usual_call(label):
    """Is the case a call users write most: a distribution's default call (no
    ``floc``/``fscale``; binom's required ``fn`` is not a choice) or one of
    ``COMMON_FIXED_CALLS``?"""
    if label in COMMON_FIXED_CALLS:
        return True
    try:
        kwds = get_case(label).kwds
    except KeyError:        # not a benchmark case (get_case's only error)
        return False
    return not any(k in kwds for k in ("floc", "fscale"))


def get_case(label):
    """The case with this label.

    Parameters
    ----------
    label : str

    Returns
    -------
    Case

    Raises
    ------
    KeyError
        If no case has that label.
    """
    for case in CASES:
        if case.label == label:
            return case
    raise KeyError(f"no benchmark case {label!r}; cases: {', '.join(c.label for c in CASES)}")


def log_reference_data(n):
    """The data the ``np.log pass`` row reads: the ``gamma floc=0`` data of size ``n``."""
    return get_case(_LOG_REFERENCE_DATA).data(n)


# -- timing ---------------------------------------------------------------------
def time_call(fn, *, repeat, min_repeat=1, budget=None):
    """Time ``fn()`` repeatedly (no warm-up: call it once before).

    Stops after ``repeat`` calls, or earlier once ``budget`` seconds have been
    spent and at least ``min_repeat`` calls were made. The garbage collector
    is off while timing (as in ``timeit``) so that a collection triggered by
    one side's garbage is not billed to the other side.

    Parameters
    ----------
    fn : callable
    repeat : int
        Most calls.
    min_repeat : int, optional
        Fewest calls, whatever the budget.
    budget : float, optional
        Seconds after which to stop (once ``min_repeat`` is reached).

    Returns
    -------
    times : list of float
        Seconds per call.
    result
        What the last call returned.
    """
    times = []
    result = None
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        while len(times) < max(repeat, 1):
            t0 = time.perf_counter()
            result = fn()
            t1 = time.perf_counter()
            times.append(t1 - t0)
            if len(times) >= min_repeat and budget is not None and t1 - start >= budget:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return times, result


def time_interleaved(fns, *, repeat, budget=None):
    """Time several callables in turn, round after round.

    Interleaving makes slow drifts of a shared, noisy machine (another job
    starting, frequency scaling) hit every callable alike, so the *ratio* of
    their medians is steadier than when each is timed in its own block.

    Parameters
    ----------
    fns : sequence of callable
    repeat : int
        Rounds (each calls every callable once).
    budget : float, optional
        Seconds after which to stop early (at least 3 rounds are made).

    Returns
    -------
    list of list of float
        Seconds per call, one list per callable.
    """
    times = [[] for _ in fns]
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for r in range(max(repeat, 1)):
            for fn, t in zip(fns, times):
                t0 = time.perf_counter()
                fn()
                t.append(time.perf_counter() - t0)
            if budget is not None and r >= 2 and time.perf_counter() - start >= budget:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def _quiet_call(fn):
    """Call ``fn`` once, returning (result, warning messages) - for warm-ups."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        result = fn()
    messages = []
    for w in caught:
        text = f"{w.category.__name__}: {str(w.message).splitlines()[0][:160]}"
        if text not in messages:
            messages.append(text)
    return result, messages


# -- machine ----------------------------------------------------------------------
def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(n_threads=None):
    """What the numbers were measured on.

    Parameters
    ----------
    n_threads : int, optional
        The ``--n-threads`` of the run (None: fastmle's default).

    Returns
    -------
    dict
        cpu, cores, platform, python/numpy/scipy versions, fastmle's config.
    """
    import fastmle

    try:
        import scipy
        scipy_version = scipy.__version__
    except ImportError:
        scipy_version = None
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "usable_cores": usable,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy_version,
        "fastmle": fastmle.get_config(),
        "n_threads": n_threads,
        "loadavg": _loadavg(),
    }


def _loadavg():
    try:
        return list(os.getloadavg())
    except (AttributeError, OSError):   # not available on Windows
        return None


def _format_machine(info):
    cfg = info["fastmle"]
    threads = info["n_threads"] if info["n_threads"] is not None else f"{cfg['default_n_threads']} (default)"
    lines = [
        f"machine: {info['cpu']}; {info['usable_cores']} usable of {info['cpu_count']} cores; "
        f"{info['platform']}",
        f"fastmle {cfg['version']} (OpenMP {'on' if cfg['openmp'] else 'OFF'}, threads per fit: {threads}); "
        f"python {info['python']}, numpy {info['numpy']}, scipy {info['scipy']}",
    ]
    load = info.get("loadavg")
    if load is not None:
        line = f"load average at start: {load[0]:.2f} (1 min) on {info['usable_cores']} cores"
        # Other processes on the cores stall OpenMP teams at every barrier:
        # multi-threaded fastmle numbers then say more about the load than the code.
        if load[0] > 0.75:
            line += ("; the machine is busy: multi-threaded timings suffer, "
                     "compare with --n-threads 1")
        lines.append(line)
    return lines


# -- results ----------------------------------------------------------------------
@dataclass
class Row:
    """One (case, N) measurement; times in seconds."""

    label: str
    dist: Optional[str]
    n: int
    kwds: dict = field(default_factory=dict)
    fastmle_times: list = field(default_factory=list)
    scipy_times: list = field(default_factory=list)
    fastmle_params: Optional[tuple] = None
    scipy_params: Optional[tuple] = None
    fastmle_nnlf: Optional[float] = None
    scipy_nnlf: Optional[float] = None
    scipy_status: str = "ok"          # ok | skipped | error | n/a
    fastmle_status: str = "ok"        # ok | error
    notes: list = field(default_factory=list)

    @property
    def fastmle_median(self):
        return statistics.median(self.fastmle_times) if self.fastmle_times else None

    @property
    def scipy_median(self):
        return statistics.median(self.scipy_times) if self.scipy_times else None

    @property
    def speedup(self):
        if self.fastmle_median and self.scipy_median:
            return self.scipy_median / self.fastmle_median
        return None

    @property
    def dnll(self):
        if self.fastmle_nnlf is None or self.scipy_nnlf is None:
            return None
        if self.fastmle_nnlf == self.scipy_nnlf:   # also inf == inf
            return 0.0
        return self.fastmle_nnlf - self.scipy_nnlf

    def as_dict(self):
        def floats(v):
            return None if v is None else [float(p) for p in v]
        return {
            "case": self.label, "dist": self.dist, "n": self.n, "kwds": dict(self.kwds),
            "fastmle_times_s": self.fastmle_times, "scipy_times_s": self.scipy_times,
            "fastmle_median_s": self.fastmle_median, "scipy_median_s": self.scipy_median,
            "speedup": self.speedup, "fastmle_params": floats(self.fastmle_params),
            "scipy_params": floats(self.scipy_params), "fastmle_nnlf": self.fastmle_nnlf,
            "scipy_nnlf": self.scipy_nnlf, "dnll": self.dnll, "scipy_status": self.scipy_status,
            "fastmle_status": self.fastmle_status,
            "notes": list(self.notes),
        }


def _fmt_n(n):
    e = math.log10(n) if n > 0 else 0
    if n >= 1000 and e == int(e):
        return f"1e{int(e)}"
    return str(n)


def _fmt_ms(seconds):
    if seconds is None:
        return "—"
    ms = seconds * 1e3
    for limit, fmt in ((100, "{:.0f}"), (10, "{:.1f}"), (1, "{:.2f}"), (0.01, "{:.3f}")):
        if ms >= limit:
            return fmt.format(ms)
    return f"{ms:.4f}"


def _fmt_speedup(x):
    if x is None:
        return "—"
    return f"{x:.0f}x" if x >= 100 else f"{x:.1f}x" if x >= 10 else f"{x:.2f}x"


def _fmt_dnll(d):
    if d is None:
        return "—"
    if d == 0:
        return "0"
    return f"{d:+.2e}"


class _Progress:
    """Progress on stderr: "running ..." before slow calls, one line per row done."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.pending = False

    def running(self, text):
        if self.stream is None:
            return
        # On a terminal the indicator is overwritten by the row's line;
        # in a log it stays, so that a hang is visible where it happened.
        self.stream.write(f"  running {text} ..." + ("" if self.tty else "\n"))
        self.stream.flush()
        self.pending = self.tty

    def done(self, text):
        if self.stream is None:
            return
        if self.pending:
            self.stream.write("\r\033[K")
            self.pending = False
        self.stream.write(text + "\n")
        self.stream.flush()


def _row_line(row):
    scipy = _fmt_ms(row.scipy_median) + " ms" if row.scipy_status == "ok" else row.scipy_status
    fm = _fmt_ms(row.fastmle_median) + " ms" if row.fastmle_status == "ok" else row.fastmle_status
    return (f"{row.label:<20} N={_fmt_n(row.n):<5} scipy {scipy:>12}  fastmle {fm:>11}"
            f"  {_fmt_speedup(row.speedup):>7}  Δnll {_fmt_dnll(row.dnll)}"
            + (f"  [{'; '.join(row.notes)}]" if row.notes else ""))


def _bench_case(case, n, x, *, n_threads, repeat, min_repeat, budget, quick, progress):
    row = Row(case.label, case.dist, n, dict(case.kwds))
    fm = case.fastmle_call(x, n_threads)
    try:
        # Warm-up on the full data: cheap for fastmle, and it also starts the
        # OpenMP team and touches the array before the clock runs.
        row.fastmle_params, fm_warnings = _quiet_call(fm)
        row.notes += [f"fastmle: {w}" for w in fm_warnings]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            row.fastmle_times, _ = time_call(fm, repeat=repeat, min_repeat=min_repeat, budget=budget)
    except Exception as exc:   # report it in the table and go on with the other cases
        row.fastmle_status = "error"
        row.fastmle_times = []
        row.notes.append(f"fastmle raised {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        row.scipy_status = "n/a"
        return row
    row.fastmle_nnlf = case.nnlf(row.fastmle_params, x)

    if case.scipy_max_n is not None and n > case.scipy_max_n:
        row.scipy_status = "skipped"
        row.notes.append(f"scipy not timed above N={_fmt_n(case.scipy_max_n)} (one call takes many minutes)")
        return row
    if quick and case.scipy_quick_max_n is not None and n > case.scipy_quick_max_n:
        row.scipy_status = "skipped"
        return row
    try:
        estimate = warm_up_scipy(case, x)
        if quick and n > 100_000 and estimate > _QUICK_SCIPY_SKIP_S:
            row.scipy_status = "skipped"
            row.notes.append(f"scipy skipped in --quick mode (estimated {estimate:.0f} s per call)")
            return row
        if estimate > _SLOW_CALL_S:
            progress.running(f"{case.label} N={_fmt_n(n)}: scipy (est. {estimate:.1f} s per call)")
        sp = case.scipy_call(x)
        once = estimate > _SCIPY_ONCE_S
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            row.scipy_times, row.scipy_params = time_call(sp, repeat=1 if once else repeat,
                                                          min_repeat=1 if once else min_repeat,
                                                          budget=budget)
        if once:
            row.notes.append("scipy timed once (a single call takes seconds)")
        for msg in dict.fromkeys(f"{w.category.__name__}: {str(w.message).splitlines()[0][:160]}"
                                 for w in caught):
            row.notes.append(f"scipy: {msg}")
        row.scipy_nnlf = case.nnlf(row.scipy_params, x)
    except Exception as exc:   # a failing scipy call is a result, not a crash of the run
        row.scipy_status = "error"
        row.notes.append(f"scipy raised {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    return row


def warm_up_scipy(case, x):
    """Warm scipy's side up on a prefix of ``x``; return the estimated seconds per full call.

    The warm-up pays scipy's one-off costs (lazy imports, first dispatch)
    without spending a whole several-second fit at N = 1e6; the estimate
    scales the prefix's time linearly to ``len(x)`` (rough: iteration counts
    differ), enough to announce slow calls and choose pedantic rounds.

    Parameters
    ----------
    case : Case
    x : ndarray

    Returns
    -------
    float
    """
    n = len(x)
    m = min(n, _SCIPY_WARMUP_N)
    t0 = time.perf_counter()
    _quiet_call(case.scipy_call(x[:m]))
    return (time.perf_counter() - t0) * n / m


def _bench_log(n, x, *, repeat, min_repeat, budget):
    row = Row(LOG_REFERENCE, None, n)
    fn = lambda: np.log(x)   # noqa: E731 - allocates its output, like a user's np.log(x)
    fn()
    row.fastmle_times, _ = time_call(fn, repeat=repeat, min_repeat=min_repeat, budget=budget)
    row.scipy_status = "n/a"
    row.notes.append(f"reference: np.log over the {_LOG_REFERENCE_DATA} data, in the fastmle column")
    return row


def select_cases(dists=None):
    """Cases whose distribution (or label) is in ``dists``; all when None.

    Parameters
    ----------
    dists : iterable of str, optional
        Distribution names (``gamma``) or case labels (``"gamma floc=0"``);
        ``log`` selects the np.log reference alone.

    Returns
    -------
    cases : list of Case
    with_log : bool
        Whether the np.log reference row is included (with gamma, or asked for).

    Raises
    ------
    ValueError
        For a name matching no case.
    """
    if not dists:
        return list(CASES), True
    wanted = [d.strip() for d in dists if d.strip()]
    known = {c.dist for c in CASES} | {c.label for c in CASES} | {"log"}
    unknown = [d for d in wanted if d not in known]
    if unknown:
        raise ValueError(f"unknown distribution(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(sorted({c.dist for c in CASES}))} (or log)")
    cases = [c for c in CASES if c.dist in wanted or c.label in wanted]
    with_log = "log" in wanted or any(c.label == _LOG_REFERENCE_DATA for c in cases)
    return cases, with_log


def run_benchmarks(cases=None, sizes=FULL_SIZES, *, n_threads=None, repeat=100, min_repeat=3,
                   budget=2.0, quick=False, with_log=True, progress=sys.stderr):
    """Time scipy and fastmle on every (case, N) and judge their optima.

    Parameters
    ----------
    cases : sequence of Case, optional
        Default :data:`CASES`.
    sizes : sequence of int
    n_threads : int, optional
        Threads for fastmle's kernels.
    repeat : int
        Most timed calls per side.
    min_repeat : int
        Fewest timed calls per side, however slow (at least 1).
    budget : float
        Seconds per side after which no new timed call starts
        (once ``min_repeat`` calls are made).
    quick : bool
        Skip scipy calls above a case's ``scipy_quick_max_n``.
    with_log : bool
        Add the ``np.log pass`` reference row after ``gamma floc=0``.
    progress : file-like or None
        Where progress lines go.

    Returns
    -------
    list of Row
    """
    cases = list(CASES if cases is None else cases)
    prog = _Progress(progress)
    rows = []
    for case in cases:
        for n in sizes:
            x = case.data(n)
            row = _bench_case(case, n, x, n_threads=n_threads, repeat=repeat, min_repeat=min_repeat,
                              budget=budget, quick=quick, progress=prog)
            rows.append(row)
            prog.done(_row_line(row))
        if with_log and case.label == _LOG_REFERENCE_DATA:
            rows.extend(_log_rows(sizes, repeat, min_repeat, budget, prog))
    if with_log and not any(c.label == _LOG_REFERENCE_DATA for c in cases):
        rows.extend(_log_rows(sizes, repeat, min_repeat, budget, prog))
    return rows


def _log_rows(sizes, repeat, min_repeat, budget, prog):
    rows = []
    for n in sizes:
        row = _bench_log(n, log_reference_data(n), repeat=repeat, min_repeat=min_repeat, budget=budget)
        rows.append(row)
        prog.done(f"{row.label:<20} N={_fmt_n(n):<5} {_fmt_ms(row.fastmle_median):>8} ms")
    return rows


# -- reporting --------------------------------------------------------------------
_HEADERS = ("case", "N", "scipy (ms)", "fastmle (ms)", "speedup", "Δnll")


def _table_cells(rows):
    cells = []
    for r in rows:
        scipy = _fmt_ms(r.scipy_median) if r.scipy_status == "ok" else (
            "—" if r.scipy_status == "n/a" else r.scipy_status)
        fm = _fmt_ms(r.fastmle_median) if r.fastmle_status == "ok" else r.fastmle_status
        cells.append((r.label, _fmt_n(r.n), scipy, fm, _fmt_speedup(r.speedup),
                      _fmt_dnll(r.dnll)))
    return cells


def format_table(rows, markdown=False):
    """The result table as text.

    Parameters
    ----------
    rows : list of Row
    markdown : bool
        A Markdown (GitHub) table instead of aligned columns.

    Returns
    -------
    str
    """
    cells = _table_cells(rows)
    if markdown:
        lines = ["| " + " | ".join(_HEADERS) + " |", "|:--|--:|--:|--:|--:|--:|"]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
        return "\n".join(lines)
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(_HEADERS)]
    fmt = "  ".join(("{:<%d}" if i == 0 else "{:>%d}") % w for i, w in enumerate(widths))
    lines = [fmt.format(*_HEADERS), "  ".join("-" * w for w in widths)]
    lines += [fmt.format(*c) for c in cells]
    return "\n".join(lines)


def _scipy_never_above(row):
    """Was this row's scipy side left out in any mode (``Case.scipy_max_n``)?"""
    try:
        limit = get_case(row.label).scipy_max_n
    except KeyError:
        return False
    return limit is not None and row.n > limit


def target_ratios(rows):
    """The project's promised ratios, as far as ``rows`` measure them.

    Returns
    -------
    list of (description, measured, target, ok)
        ``ok`` is None when the row needed is missing.
    """
    by = {(r.label, r.n): r for r in rows}
    out = []
    big = 1_000_000
    g3 = by.get(("gamma 3-param", big))
    if g3 is not None:
        s = g3.speedup
        out.append(("gamma 3-param N=1e6: speedup vs scipy.stats.gamma.fit",
                    _fmt_speedup(s), ">= 100x", None if s is None else s >= 100))
    g0, lg = by.get(("gamma floc=0", big)), by.get((LOG_REFERENCE, big))
    if g0 is not None and lg is not None and g0.fastmle_median and lg.fastmle_median:
        ratio = g0.fastmle_median / lg.fastmle_median
        out.append(("gamma floc=0 N=1e6: fastmle time / one np.log pass", f"{ratio:.2f}x", "<= 3x",
                    ratio <= 3))
    at_big = [r for r in rows if r.n == big and r.dist is not None and r.speedup is not None]
    never = [r for r in rows if r.n == big and r.scipy_status == "skipped" and _scipy_never_above(r)]
    skipped_big = [r for r in rows if r.n == big and r.scipy_status == "skipped" and r not in never]
    if skipped_big:
        # --quick leaves out exactly the slow scipy calls: a median without
        # them says nothing about the target
        out.append((f"N=1e6: median speedup and slowest case over every case "
                    f"({len(skipped_big)} scipy calls skipped by --quick: run the full bench)",
                    "n/a", ">= 100x, >= 3x", None))
    elif len(at_big) >= 3:
        # issue 3: median >= 100x over the calls users write most, each
        # distribution's default call plus the common floc=0 ones; no call < 3x
        usual = [r for r in at_big if is_usual_call(r.label)]
        untimed = [r.label for r in never if is_usual_call(r.label)]
        if usual:
            median = statistics.median(r.speedup for r in usual)
            out.append((f"N=1e6: median speedup over the {len(usual)} calls users write most (each "
                        f"distribution's default call, and {', '.join(sorted(COMMON_FIXED_CALLS))})"
                        + (f"; scipy not timed for {', '.join(untimed)}" if untimed else ""),
                        _fmt_speedup(median), ">= 100x", median >= 100))
        median_all = statistics.median(r.speedup for r in at_big)
        out.append((f"  over all {len(at_big)} cases timed on both sides (the rarer fixed-parameter "
                    f"calls too): {_fmt_speedup(median_all)}", "", "", None))
        slowest = min(at_big, key=lambda r: r.speedup)
        out.append((f"N=1e6: slowest case ({slowest.label})", _fmt_speedup(slowest.speedup), ">= 3x",
                    slowest.speedup >= 3))
    small = [r for r in rows if r.n == 100 and r.dist is not None and r.speedup is not None]
    if small:
        worst = min(small, key=lambda r: r.speedup)
        slower = [f"{r.label} ({_fmt_speedup(r.speedup)})" for r in small if r.speedup < 1]
        out.append(("N=100: no fastmle fit slower than scipy's (worst: " + worst.label + ")",
                    _fmt_speedup(worst.speedup), ">= 1x", not slower))
        if slower:
            out.append(("  slower at N=100: " + ", ".join(slower), "", "", False))
    return out


def format_targets(rows, markdown=False):
    """Lines reading the project's targets off the table (empty if none measured)."""
    targets = target_ratios(rows)
    if not targets:
        return ""
    lines = ["Targets (single run, medians):" if not markdown else "**Targets** (single run, medians):", ""]
    for desc, measured, target, ok in targets:
        if not target:   # a detail line under the previous target
            lines.append(("  - " + desc.strip()) if markdown else ("  " + desc))
            continue
        verdict = "n/a" if ok is None else "PASS" if ok else "MISS"
        lines.append(("- " if markdown else "  ") + f"{desc}: {measured} (target {target}) {verdict}")
    return "\n".join(lines)


def format_notes(rows, quick, markdown=False):
    """Footnotes: skipped scipy calls, warnings, errors, fastmle optima worse than scipy's."""
    bullet = "- " if markdown else "  "
    lines = []
    skipped = [r for r in rows if quick and r.scipy_status == "skipped" and not _scipy_never_above(r)
               and (get_case(r.label).scipy_quick_max_n or r.n) < r.n]
    if skipped:
        names = sorted({r.label for r in skipped})
        for label in names:
            case = get_case(label)
            lines.append(f"{bullet}skipped: {case.scipy_name or 'scipy'} for {label} is only timed up to "
                         f"N={_fmt_n(case.scipy_quick_max_n)} in --quick mode")
    for r in rows:
        if r.dist is None:
            continue
        d = r.dnll
        # Above summation round-off of an nnlf over N terms (~1e-12 relative).
        if d is not None and d > 1e-6 + 1e-12 * abs(r.scipy_nnlf):
            lines.append(f"{bullet}{r.label} N={_fmt_n(r.n)}: fastmle's optimum is WORSE than scipy's "
                         f"by {d:.3g} in nll (fastmle {_fmt_params(r.fastmle_params)}, "
                         f"scipy {_fmt_params(r.scipy_params)})")
        for note in r.notes:
            lines.append(f"{bullet}{r.label} N={_fmt_n(r.n)}: {note}")
    if not lines:
        return ""
    return "\n".join(["Notes:", ""] + lines if markdown else ["Notes:"] + lines)


def _fmt_params(params):
    return "(" + ", ".join(f"{float(p):.6g}" for p in params) + ")"


def write_json(path, rows, info, options, elapsed, reg_rows=()):
    """Write the raw results (every timing, params, nnlf values) as JSON."""
    doc = {"machine": info, "options": options, "elapsed_s": elapsed, "loadavg_at_end": _loadavg(),
           "results": [r.as_dict() for r in rows]}
    if reg_rows:
        doc["regression"] = [r.as_dict() for r in reg_rows]
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, default=float)
        f.write("\n")


def _parse_sizes(text):
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise BenchOptionError(f"--sizes: {part!r} is not a number (use e.g. 100,1e4,1e6)") from None
        if not math.isfinite(value) or value < 1 or value != int(value):
            raise BenchOptionError(f"--sizes: {part!r} is not a positive whole number")
        sizes.append(int(value))
    if not sizes:
        raise BenchOptionError("--sizes: no size given")
    return sizes


def add_arguments(parser):
    """Add ``fastmle bench``'s options to an argparse parser."""
    parser.add_argument("--quick", action="store_true",
                        help="N = 100, 1e4, 1e6, fewer repeats, poisson's scipy side only up to 1e5 "
                             "(about a minute on 2 cores)")
    parser.add_argument("--sizes", metavar="N,N,...",
                        help="comma-separated sample sizes, e.g. 100,1e4,1e6 "
                             "(default 100,1e3,1e5,1e6; --quick: 100,1e4,1e6)")
    parser.add_argument("--dists", metavar="NAME,...",
                        help="only these distributions (norm, expon, gamma, lognorm, weibull_min, "
                             "poisson, geom, binom, nbinom, betabinom, zipoisson, ...; log for the "
                             "np.log reference; Logit, Poisson or regression for the regression section)")
    parser.add_argument("--n-threads", type=int, default=None, metavar="K",
                        help="threads for fastmle's kernels (default: fastmle's default)")
    parser.add_argument("--repeat", type=int, default=None, metavar="R",
                        help="most timed calls per side and size (default 100; --quick 25); "
                             "slow calls stop earlier at the time budget")
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="time per side and size after which no new timed call starts "
                             "(default 2; --quick 1)")
    parser.add_argument("--json", metavar="PATH", help="also write the raw results to PATH")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    return parser


def main_bench(args, out=None, err=None):
    """Run ``fastmle bench`` with parsed arguments; return the exit status.

    Raises
    ------
    BenchOptionError
        For invalid options (the CLI turns it into one line on stderr).
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    try:
        import scipy  # noqa: F401
    except ImportError:
        raise RuntimeError("fastmle bench needs scipy (pip install scipy)") from None
    quick = args.quick
    sizes = _parse_sizes(args.sizes) if args.sizes else list(QUICK_SIZES if quick else FULL_SIZES)
    # regression (fastmle vs statsmodels/scikit-learn): --dists Logit,Poisson or regression
    from ._bench_regression import REG_CASES, REG_NAMES, format_regression, run_regression
    wanted = [d.strip() for d in args.dists.split(",") if d.strip()] if args.dists else None
    reg_cases = list(REG_CASES) if wanted is None else (
        list(REG_CASES) if "regression" in wanted else [c for c in REG_CASES if c.model in wanted])
    dist_names = None if wanted is None else [d for d in wanted if d not in REG_NAMES]
    try:
        if dist_names == [] and wanted:
            cases, with_log = [], False
        else:
            cases, with_log = select_cases(dist_names)
    except ValueError as exc:
        raise BenchOptionError(f"--dists: {exc}") from None
    repeat = args.repeat if args.repeat is not None else (25 if quick else 100)
    if repeat < 1:
        raise BenchOptionError(f"--repeat must be at least 1, got {repeat}")
    budget = args.budget if args.budget is not None else (1.0 if quick else 2.0)
    if not budget >= 0:
        raise BenchOptionError(f"--budget must be non-negative, got {budget}")
    if args.n_threads is not None and args.n_threads < 1 and args.n_threads != -1:
        raise BenchOptionError(f"--n-threads must be a positive integer or -1, got {args.n_threads}")
    if args.json:
        # Fail now, not after minutes of benchmarking.
        folder = os.path.dirname(os.path.abspath(args.json))
        if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
            raise BenchOptionError(f"--json: cannot write to {args.json!r} (no such writable folder)")
    # Slow scipy calls: a full run wants a median of 3, --quick accepts one.
    min_repeat = min(repeat, 1 if quick else 3)

    info = machine_info(args.n_threads)
    md = args.markdown
    header = _format_machine(info)
    header.append(f"mode: {'quick' if quick else 'full'}; sizes {', '.join(_fmt_n(n) for n in sizes)}; "
                  f"median of up to {repeat} timed calls per side (at least {min_repeat}, "
                  f"~{budget:g} s budget), after a warm-up call")
    header.append("Δnll = scipy nnlf(fastmle params) - nnlf(scipy params); negative: fastmle's optimum is better")
    print("\n".join(("- " + h) if md else h for h in header), file=out, flush=True)

    t0 = time.perf_counter()
    rows = run_benchmarks(cases, sizes, n_threads=args.n_threads, repeat=repeat, min_repeat=min_repeat,
                          budget=budget, quick=quick, with_log=with_log, progress=err)
    reg_rows = run_regression(sizes, n_threads=args.n_threads, repeat=min(repeat, 5 if quick else 10),
                              min_repeat=1, budget=budget, progress=err, cases=reg_cases,
                              slow_rounds=2 if quick else 3) if reg_cases else []
    elapsed = time.perf_counter() - t0

    print("", file=out)
    if rows:
        print(format_table(rows, markdown=md), file=out)
    if reg_rows:
        print("", file=out)
        print(format_regression(reg_rows, markdown=md), file=out)
    for block in (format_targets(rows, md), format_notes(rows, quick, md)):
        if block:
            print("", file=out)
            print(block, file=out)
    print("", file=out)
    print(f"{'_' if md else ''}total time: {elapsed:.1f} s{'_' if md else ''}", file=out, flush=True)
    if args.json:
        options = {"quick": quick, "sizes": sizes, "dists": args.dists, "n_threads": args.n_threads,
                   "repeat": repeat, "min_repeat": min_repeat, "budget_s": budget}
        write_json(args.json, rows, info, options, elapsed, reg_rows)
        print(f"raw results written to {args.json}", file=err)
    return 0
