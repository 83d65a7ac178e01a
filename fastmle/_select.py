"""``fastmle.select``: fit every candidate distribution and rank them by AIC or BIC."""
import json
import math
import time
import warnings
from collections.abc import Mapping

import numpy as np

from ._budget import WorkBudget
from ._data import as_data
from ._optimize import _BUDGET_MESSAGE, ConvergenceWarning

__all__ = ["select", "SelectResult", "default_candidates"]

#: Circular distributions: their density is periodic, normalized over one
#: period and not over the real line, so their likelihood of data spread over
#: more than one period cannot be compared with a density's on the line.
CIRCULAR = ("vonmises",)

_CRITERIA = ("aic", "bic")

#: Goodness-of-fit columns filled from ``FitResult.gof()`` (key, label).
_GOF_TESTS = (("ks", "KS"), ("ad", "AD"), ("cvm", "CvM"))

#: The work budget counts at least this many rows per allowed pass: it is
#: there to bound time, and below this size a pass costs little (and fits
#: start without a subsample warm start, so they need more passes).
_BUDGET_MIN_ROWS = 1 << 18

_CUT_MESSAGE = ("select's work budget (max_passes) ran out before this fit finished: the estimate "
                "is where it got to")
_SCREENED_MESSAGE = ("select stopped this fit after its first {passes} passes, its {crit} being already "
                     "worse than the best candidate's by more than {margin} nats per observation: the "
                     "estimate is where it got to")

#: The screen: every candidate first gets this many passes; one still running
#: then goes on (from the start, with the whole budget) only if its criterion
#: is within this many nats per observation (times 2: AIC/BIC units) of the
#: best candidate's. A fit from a subsample warm start is within about
#: k / 2 * N / 32768 nats of its optimum (~5e-5 per observation for 3
#: parameters) before its first full pass; the margin is 100 times that.
_SCREEN_PASSES = 6
_SCREEN_MARGIN = 0.005

# what a candidate's fit may raise on data it cannot model; anything else is a bug and propagates
_CANDIDATE_ERRORS = (ValueError, ArithmeticError, np.linalg.LinAlgError, RuntimeError)


#: Families that are another candidate's reparametrization unless the named
#: parameter is held fixed: chi2(df, loc, scale) is gamma(df / 2, loc,
#: 2 scale), pareto(b, loc, scale) is lomax(b, loc + scale, scale). Both
#: would fit the same likelihood twice and tie in the ranking.
REPARAMETRIZATIONS = {"chi2": ("gamma", "scale"), "pareto": ("lomax", "loc")}


def default_candidates(discrete=False, fixed=()):
    """The distributions ``select(candidates="all")`` fits.

    Parameters
    ----------
    discrete : bool
        Discrete distributions (for counts) or continuous ones.
    fixed : iterable of str
        Parameters held fixed for every candidate (``"loc"``, ``"scale"``).

    Returns
    -------
    list of str
        Every registered distribution of that kind except the circular ones
        (``vonmises``: see :data:`CIRCULAR`), those with a shape the caller
        must fix (``binom``'s and ``betabinom``'s number of trials ``n``;
        ask for them by name with it, e.g.
        ``candidates={"binom": {"fn": 20}, "poisson": {}}``) and those that
        are another candidate reparametrized (:data:`REPARAMETRIZATIONS`:
        ``chi2`` unless the scale is fixed, ``pareto`` unless loc is).
    """
    from .distributions import REGISTRY

    fixed = set(fixed)
    return [name for name, d in sorted(REGISTRY.items())
            if d.discrete == bool(discrete) and name not in CIRCULAR
            and not getattr(d, "required_fixed", ())
            and not (name in REPARAMETRIZATIONS and REPARAMETRIZATIONS[name][1] not in fixed)]


def _parse_candidates(candidates, data, discrete, fixed=()):
    """(list of (distribution, fit keywords), whether the candidates are discrete)."""
    from ._api import get_distribution

    if isinstance(candidates, str):
        if candidates != "all":
            raise ValueError(f"candidates must be 'all', a list of distribution names or a mapping "
                             f"name -> fit keywords, got {candidates!r}")
        if discrete is None:
            discrete = _are_counts(data)
        elif discrete and not _are_counts(data):
            raise ValueError("discrete=True, but the data are not all non-negative integers "
                             "(counts); discrete distributions cannot model them")
        names = default_candidates(bool(discrete), fixed)
        pairs = [(get_distribution(n), {}) for n in names]
    else:
        if isinstance(candidates, Mapping):
            items = list(candidates.items())
        else:
            try:
                items = [(c, {}) for c in candidates]
            except TypeError:
                raise TypeError(f"candidates must be 'all', a list of distribution names or a mapping "
                                f"name -> fit keywords, got {type(candidates).__name__}") from None
        if not items:
            raise ValueError("candidates is empty: name at least one distribution")
        pairs = []
        for dist, kwds in items:
            if kwds is None:
                kwds = {}
            if not isinstance(kwds, Mapping):
                raise TypeError(f"the fit keywords of candidate {dist!r} must be a dict, got "
                                f"{type(kwds).__name__}")
            pairs.append((get_distribution(dist), dict(kwds)))
        names = [d.name for d, _ in pairs]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"candidates name {', '.join(repeated)} more than once")
        kinds = {d.discrete for d, _ in pairs}
        if len(kinds) > 1:
            raise ValueError("candidates mix discrete and continuous distributions; a pmf's and a "
                             "density's likelihoods are not comparable, so rank them separately")
        discrete = kinds.pop()
    return pairs, bool(discrete)


def _are_counts(data):
    """Whether every observation is a non-negative integer (one cached scan)."""
    summary = data.scan(check_integer=True)
    return summary.n_nonint == 0 and summary.min >= 0


def _gof_columns(result):
    """The goodness-of-fit statistics and p-values of ``result``, by column.

    From ``result.gof()`` (asymptotic p-values); a test that fails for this
    candidate (censored data, a degenerate fit) leaves its columns ``None``.
    """
    cols = {}
    try:
        tests = result.gof()
    except (ValueError, ArithmeticError, NotImplementedError, RuntimeError):
        tests = None
    for key, _ in _GOF_TESTS:
        test = None if tests is None else tests.get(key)
        cols[key] = None if test is None else float(test.statistic)
        cols[f"{key}_pvalue"] = None if test is None else float(test.pvalue)
    return cols


def _fit_candidate(dist, kwds, data, budget_rows):
    """Fit one candidate within a work budget: (FitResult or None, error message or None,
    rows read, whether the budget cut the fit short, seconds)."""
    from ._api import fit

    started = time.perf_counter()
    budget = WorkBudget(budget_rows)
    with budget, warnings.catch_warnings():
        # non-convergence is flagged in the table instead (select warns once,
        # about the winner); numerical RuntimeWarnings of a poor model's
        # search would only bury that
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            result = fit(dist, data, **kwds)
        except _CANDIDATE_ERRORS as exc:
            return None, f"{type(exc).__name__}: {exc}", budget.used, budget.cut, time.perf_counter() - started
    return result, None, budget.used, budget.cut, time.perf_counter() - started


def _flag_cut(result, why):
    """Mark a fit the budget stopped: whatever its last optimizer run reported,
    the estimate is where the fit got to, not its end."""
    result.converged = result.success = False
    if _BUDGET_MESSAGE in result.message:
        result.message = result.message.replace(_BUDGET_MESSAGE, why)
    else:
        result.message = f"{why}; the fit had reached: {result.message}"
    result.mle_retvals["select_budget_cut"] = True


def select(data, candidates="all", criterion="aic", *, weights=None, n_threads=None, discrete=None,
           floc=None, fscale=None, max_passes=20, gof=True):
    """Fit every candidate distribution and rank them by AIC or BIC.

    Each candidate is fitted as ``fastmle.fit`` fits it, on data validated
    and scanned once for all of them. A candidate that cannot model the
    data (observations outside its support, degenerate data) is listed with
    its error instead of raising; a fit that did not converge is ranked by
    the likelihood it reached and flagged (``converged=False``).

    Parameters
    ----------
    data : array_like, ``fastmle.chunks(...)`` or dask array
        Observations (any shape; flattened), as for ``fastmle.fit``.
    candidates : "all", sequence or mapping, optional
        ``"all"`` (default): every continuous distribution for real-valued
        data, or every discrete one when the data are counts (see
        ``discrete``), except circular ones (``vonmises``), those whose
        shape must be fixed (``binom``, ``betabinom``) and reparametrized
        duplicates (``chi2`` is ``gamma`` unless ``fscale`` is given,
        ``pareto`` is ``lomax`` unless ``floc`` is): see
        :func:`fastmle._select.default_candidates`. A sequence names the
        candidates (names, fastmle or scipy distributions); a mapping
        gives each candidate its own fit keywords, e.g.
        ``{"gamma": {"floc": 0}, "binom": {"fn": 20}, "lognorm": {}}``.
        Discrete and continuous candidates cannot be mixed (a probability
        and a density are not comparable likelihoods).
    criterion : {"aic", "bic"}
        ``AIC = 2 k - 2 llf``, ``BIC = k log(nobs) - 2 llf`` with ``k`` the
        number of estimated parameters; smaller is better.
    weights : array_like, optional
        Frequency weights, one per observation.
    n_threads : int, optional
        Threads for the kernels.
    discrete : bool, optional
        With ``candidates="all"``: ``None`` (default) fits the discrete
        distributions when every observation is a non-negative integer and
        the continuous ones otherwise; ``False`` fits the continuous ones to
        counts too (large counts treated as measurements); ``True``
        requires counts. Ignored for an explicit list.
    floc, fscale : float, optional
        Hold every candidate's location (scale) fixed, e.g. ``floc=0`` for
        lifetimes; a candidate's own keywords take precedence. ``fscale``
        applies to continuous candidates only.
    max_passes : float or None, optional
        Work budget of each candidate, in passes over the data: its kernel
        passes may read at most ``max_passes * max(N, 262144)`` rows (a pass
        over a warm-start subsample counts its own rows). Poor models often
        have no regular maximum (the likelihood rises towards a limit such
        as a shape going to infinity) and Newton would crawl along that
        ridge for hundreds of passes; with the budget such a fit stops where
        it got to, flagged as not converged, with a message saying so.
        Every candidate first gets 6 passes; one still running then is fitted
        again with the whole budget only if its criterion is within 0.005
        nats per observation of the best candidate's (a fit from its
        warm start is ~100 times closer than that to its optimum), else it
        stays where it stopped, flagged. The budget counts rows, not
        seconds: the result does not depend on the machine's load.
        ``None``: no budget, every fit runs to its end exactly as
        ``fastmle.fit`` would (slower).
    gof : bool, optional
        Fill the goodness-of-fit columns (KS, AD, CvM statistics and
        asymptotic p-values) from ``FitResult.gof()``.

    Returns
    -------
    SelectResult
        The ranked table (``rows``), ``best``, ``results`` (name ->
        FitResult), ``failed`` (name -> error), ``str()`` a readable
        table, ``to_dict()``/``to_json()``, ``plot()``.

    Raises
    ------
    ValueError
        Empty or non-finite data, an unknown criterion or distribution, an
        empty or mixed candidate list, ``discrete=True`` for data that are
        not counts, or no candidate that could be fitted at all.
    TypeError
        Non-numeric or censored data, candidates of the wrong type.

    Warns
    -----
    fastmle.ConvergenceWarning
        If the best-ranked candidate's fit did not converge.

    Examples
    --------
    >>> import numpy as np, fastmle
    >>> x = np.random.default_rng(0).gamma(2.0, 1.5, 10_000)
    >>> sel = fastmle.select(x, ["gamma", "lognorm", "weibull_min"])
    >>> sel.best.dist.name
    'gamma'
    """
    if not isinstance(criterion, str) or criterion.lower() not in _CRITERIA:
        raise ValueError(f"criterion must be 'aic' or 'bic', got {criterion!r}")
    criterion = criterion.lower()
    if max_passes is not None and not (isinstance(max_passes, (int, float)) and max_passes > 0):
        raise ValueError(f"max_passes must be a positive number or None, got {max_passes!r}")
    from ._censored import is_censored

    if is_censored(data):
        raise TypeError("fastmle.select takes uncensored observations; fit censored data candidate by "
                        "candidate with fastmle.fit and compare their aic")
    data = as_data(data, weights, n_threads)
    data.check_finite()
    fixed = [n for n, v in (("loc", floc), ("scale", fscale)) if v is not None]
    pairs, is_discrete = _parse_candidates(candidates, data, discrete, fixed)
    common = {}
    if floc is not None:
        common["floc"] = floc
    if fscale is not None:
        if is_discrete:
            raise ValueError("fscale: discrete distributions have no scale parameter")
        common["fscale"] = fscale
    pass_rows = max(data.n_rows, _BUDGET_MIN_ROWS)
    budget_rows = math.inf if max_passes is None else float(max_passes) * pass_rows
    screen = max_passes is not None and max_passes > _SCREEN_PASSES
    fits = {dist.name: _fit_candidate(dist, {**common, **kwds}, data,
                                      _SCREEN_PASSES * pass_rows if screen else budget_rows)
            for dist, kwds in pairs}
    screened = set()
    if screen:
        # the screen's winner, and each stopped candidate's criterion so far (a
        # bound: its likelihood only rises); those within the margin get the
        # whole budget, from the start, the others stay where they were stopped
        values = {n: getattr(f[0], criterion) for n, f in fits.items() if f[0] is not None}
        if values:
            best = min(values.values())
            margin = 2.0 * _SCREEN_MARGIN * data.scan().sum_w
            for dist, kwds in pairs:
                first = fits[dist.name]
                if first[0] is None or not first[3]:
                    continue
                if values[dist.name] - best > margin:
                    screened.add(dist.name)
                    continue
                again = _fit_candidate(dist, {**common, **kwds}, data, budget_rows)
                fits[dist.name] = again[:2] + (first[2] + again[2], again[3], first[4] + again[4])
    rows, results, failed = [], {}, {}
    for dist, _ in pairs:
        result, error, used, cut, seconds = fits[dist.name]
        row = {"name": dist.name, "seconds": seconds, "passes": used / data.n_rows, "budget_cut": cut,
               "screened_out": dist.name in screened}
        if result is None:
            failed[dist.name] = error
            row.update(k=None, llf=None, aic=None, bic=None, params=None, converged=None,
                       message=None, error=error)
        else:
            if dist.name in screened:
                _flag_cut(result, _SCREENED_MESSAGE.format(passes=_SCREEN_PASSES, crit=criterion.upper(),
                                                          margin=_SCREEN_MARGIN))
            elif cut:
                _flag_cut(result, _CUT_MESSAGE)
            results[dist.name] = result
            row.update(k=result.df_model, llf=result.llf, aic=result.aic, bic=result.bic,
                       params=dict(result.params._asdict()), converged=result.converged,
                       message=result.message, error=None)
            if gof:
                row.update(_gof_columns(result))
        rows.append(row)
    if not results:
        raise ValueError("no candidate could be fitted: "
                         + "; ".join(f"{n}: {e}" for n, e in failed.items()))
    return SelectResult(rows, results, failed, criterion, data, is_discrete)


def _ranked(rows, criterion):
    """Fitted rows by criterion (ties: fewer parameters, then name), then failed ones; with
    ``rank`` and ``delta`` (difference from the best criterion value)."""
    fitted = [r for r in rows if r["error"] is None]
    fitted.sort(key=lambda r: (r[criterion], r["k"], r["name"]))
    best = fitted[0][criterion]
    for i, r in enumerate(fitted, 1):
        r["rank"] = i
        r["delta"] = r[criterion] - best
    failed = sorted((r for r in rows if r["error"] is not None), key=lambda r: r["name"])
    for r in failed:
        r["rank"] = None
        r["delta"] = None
    return fitted + failed


def _json_value(v):
    """A value JSON can hold: numpy scalars as Python ones, NaN and infinities as None."""
    if isinstance(v, dict):
        return {k: _json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(v) else None
    return v


class SelectResult:
    """Candidates ranked by an information criterion (``fastmle.select``).

    Attributes
    ----------
    rows : list of dict
        One row per candidate, best first, failed candidates last. Keys:
        ``rank`` (None for a failed candidate), ``name``, ``k`` (estimated
        parameters), ``llf``, ``aic``, ``bic``, ``delta`` (criterion minus
        the best one), ``params`` (name -> value), ``converged``,
        ``message``, ``error`` (why the candidate could not be fitted, else
        None), ``budget_cut`` (whether the work budget stopped the fit),
        ``screened_out`` (stopped after the first passes, too far behind
        the best), ``passes`` (rows read / N) and ``seconds``; with goodness of fit
        also ``ks``, ``ad``, ``cvm`` and their ``*_pvalue``.
    results : dict
        Name -> :class:`fastmle.FitResult` of every candidate that was fitted.
    failed : dict
        Name -> error message of every candidate that could not be fitted.
    criterion : str
        ``"aic"`` or ``"bic"``.
    nobs : float
        Number of observations (sum of the weights).
    discrete : bool
        Whether the candidates are discrete distributions.
    """

    def __init__(self, rows, results, failed, criterion, data, discrete):
        self.criterion = criterion
        self.rows = _ranked(rows, criterion)
        self.results = results
        self.failed = failed
        self.discrete = discrete
        self.nobs = float(data.scan().sum_w)
        self._data = data
        best = self.best
        if not best.converged:
            warnings.warn(f"fastmle.select: the best candidate by {criterion.upper()}, "
                          f"{best.dist.name}, did not converge: {best.message}",
                          ConvergenceWarning, stacklevel=3)

    @property
    def best(self):
        """The :class:`fastmle.FitResult` of the best-ranked candidate."""
        return self.results[self.rows[0]["name"]]

    @property
    def ranking(self):
        """Names of the fitted candidates, best first."""
        return [r["name"] for r in self.rows if r["rank"] is not None]

    def __getitem__(self, name):
        """The table row of candidate ``name``."""
        for r in self.rows:
            if r["name"] == name:
                return r
        raise KeyError(f"{name!r} was not a candidate")

    def __len__(self):
        return len(self.rows)

    def to_dict(self):
        """The table as plain Python values (NaN and infinities as None), ready for JSON.

        Returns
        -------
        dict
            ``criterion``, ``nobs``, ``discrete``, ``best`` (name) and
            ``rows`` (see the class attributes).
        """
        return _json_value({"criterion": self.criterion, "nobs": self.nobs, "discrete": self.discrete,
                            "best": self.rows[0]["name"], "rows": self.rows})

    def to_json(self, **kwargs):
        """:meth:`to_dict` as a JSON string (``kwargs`` go to ``json.dumps``)."""
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)

    def __repr__(self):
        return (f"SelectResult(criterion={self.criterion!r}, best={self.rows[0]['name']!r}, "
                f"candidates={len(self.rows)}, failed={len(self.failed)})")

    def __str__(self):
        return self.summary()

    def summary(self, width=None):
        """The ranked table as text: one line per candidate, notes below it.

        Parameters
        ----------
        width : int, optional
            Cut each line at this many characters (default: no limit).

        Returns
        -------
        str
        """
        crit = self.criterion.upper()
        gof_keys = [(k, lbl) for k, lbl in _GOF_TESTS if any(r.get(k) is not None for r in self.rows)]
        head = (f"{'rank':>4}  {'distribution':<12} {'k':>2} {'log-lik':>15} {'AIC':>15} {'BIC':>15} "
                f"{'Δ' + crit:>11} {'conv':>4}"
                + "".join(f" {lbl:>9}" for _, lbl in gof_keys) + "  parameters")
        lines = [f"fastmle.select: {len(self.rows)} {'discrete' if self.discrete else 'continuous'} "
                 f"candidates ranked by {crit}, nobs = {self.nobs:.15g}", "=" * len(head), head,
                 "-" * len(head)]
        notes = []
        for r in self.rows:
            if r["error"] is not None:
                lines.append(f"{'-':>4}  {r['name']:<12} failed: {r['error']}")
                continue
            conv = "yes" if r["converged"] else "NO"
            if not r["converged"]:
                notes.append(f"  {r['name']}: {r['message']}")
            params = ", ".join(f"{n}={v:.6g}" for n, v in r["params"].items())
            gofs = "".join(f" {'' if r.get(k) is None else format(r[k], '.4g'):>9}" for k, _ in gof_keys)
            lines.append(f"{r['rank']:>4}  {r['name']:<12} {r['k']:>2} {r['llf']:>15.8g} {r['aic']:>15.8g} "
                         f"{r['bic']:>15.8g} {r['delta']:>11.4g} {conv:>4}{gofs}  {params}")
        lines.append("=" * len(head))
        if notes:
            lines.append("Not converged (ranked by the likelihood they reached):")
            lines.extend(notes)
        if width:
            lines = [ln if len(ln) <= width else ln[:width - 3] + "..." for ln in lines]
        return "\n".join(lines)

    def plot(self, top=3, ax=None):
        """The data's histogram with the fitted pdfs (pmfs) of the best candidates.

        Needs matplotlib (``pip install 'fastmle[plot]'``); the curves are
        drawn as ``FitResult.plot`` draws them.

        Parameters
        ----------
        top : int
            How many of the best-ranked candidates to draw.
        ax : matplotlib.axes.Axes, optional
            Default the current axes.

        Returns
        -------
        matplotlib.axes.Axes
            One line per candidate, labelled with its name; the legend lists
            the histogram and the candidates in rank order.
        """
        from ._results import _PLOT_EXTRA, _plot_data, _plot_functions

        if not (isinstance(top, (int, np.integer)) and top >= 1):
            raise ValueError(f"top must be a positive integer, got {top!r}")
        try:
            import matplotlib  # noqa: F401
        except ImportError as exc:
            raise ImportError(f"SelectResult.plot needs matplotlib; install the plotting extra: "
                              f"{_PLOT_EXTRA}") from exc
        if ax is None:
            import matplotlib.pyplot as plt
            ax = plt.gca()
        shown = [self.results[n] for n in self.ranking[:top]]
        x, w = _plot_data(shown[0])
        crit = self.criterion.upper()
        if self.discrete:
            ks = np.arange(x[0], x[-1] + 2)
            ax.hist(x, weights=w, density=True, bins=ks, align="left", color="0.75", label="Histogram of data")
            grid = ks[:-1]
        else:
            ax.hist(x, weights=w, density=True, bins=50, color="0.75", label="Histogram of data")
            grid = np.linspace(x[0], x[-1], 400)
        for i, res in enumerate(shown):
            fns = _plot_functions(res, float(x[-1]))
            y = fns.pxf(grid, *np.asarray(res.params, dtype=float))
            style = "o-" if self.discrete else "-"
            delta = self[res.dist.name]["delta"]
            ax.plot(grid, y, style, color=f"C{i}", label=f"{res.dist.name} (Δ{crit} {delta:.4g})")
        ax.set_xlabel("k" if self.discrete else "x")
        ax.set_ylabel("PMF" if self.discrete else "PDF")
        ax.set_title(f"Best {len(shown)} of {len(self.ranking)} candidates by {crit}")
        ax.legend()
        return ax
