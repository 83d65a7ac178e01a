"""Fit results: estimates with their uncertainty and how the fit ended."""
import math
import warnings
from collections import namedtuple

import numpy as np

__all__ = ["FitResult"]

_NAMEDTUPLES = {}


def _params_type(names):
    """scipy's ``FitParams`` namedtuple for these parameter names."""
    key = tuple(names)
    if key not in _NAMEDTUPLES:
        _NAMEDTUPLES[key] = namedtuple("FitParams", key)
    return _NAMEDTUPLES[key]


class FitResult:
    """Result of a maximum likelihood fit.

    Attributes
    ----------
    dist : Distribution
        The fastmle distribution that was fit.
    params : namedtuple
        Estimates with scipy's names and order (``FitParams(a=..., loc=..., scale=...)``);
        fixed parameters hold exactly the value they were fixed at.
    fixed : dict
        Names and values of the parameters held fixed.
    success, converged : bool
        Whether the optimizer met its convergence criterion (the two are
        the same; ``success`` is scipy's name, ``converged`` statsmodels').
    message : str
        How the fit ended.
    n_iter : int
        Newton (or L-BFGS) iterations.
    nobs : float
        Number of observations (the sum of the frequency weights).
    llf : float
        Log-likelihood at ``params``.
    aic, bic : float
        ``2 k - 2 llf`` and ``k log(nobs) - 2 llf`` with ``k`` free parameters.
    grad_norm : float
        ``max |gradient| / nobs`` at the end, in the optimizer's dimensionless
        coordinates (log scale, location in units of the data scale).
    closed_form : dict or None
        Closed-form MLE of the parameters that have one under this set of
        fixed parameters (e.g. normal mean and standard deviation; gamma's
        scale given its shape), computed from the sufficient statistics.
    closed_form_gap : float or None
        Largest relative difference between ``params`` and ``closed_form``.
    mle_retvals : dict
        Optimizer details: method, iterations, kernel passes, message.
    method : {"MLE", "MM", "MAP"}
        Maximum likelihood, method of moments, or maximum a posteriori
        (a fit with ``prior=``).
    prior : dict or None
        For a MAP fit, the priors by parameter name (``fastmle.priors``).
    log_posterior : float or None
        For a MAP fit, the unnormalized log posterior at ``params``:
        ``llf`` plus the priors' log densities (``llf`` stays the
        log-likelihood, and ``aic``/``bic`` are computed from it).
    """

    prior = None
    log_posterior = None

    def __init__(self, dist, params, fixed, llf, nobs, hessian, converged, message,
                 n_iter, grad_norm, closed_form=None, boundary=(), data=None,
                 method="MLE", mle_retvals=None):
        self.dist = dist
        names = dist.param_names
        self.param_names = names
        self.params = _params_type(names)(*[float(v) if n not in fixed else fixed[n]
                                            for n, v in zip(names, params)])
        self.fixed = dict(fixed)
        self.llf = float(llf)
        self.nobs = float(nobs)
        self._hessian = None if hessian is None else np.asarray(hessian, dtype=float)
        self.converged = bool(converged)
        self.success = self.converged
        self.message = message
        self.n_iter = int(n_iter)
        self.grad_norm = float(grad_norm)
        self.boundary = tuple(boundary)
        self.method = method
        self.mle_retvals = dict(mle_retvals or {})
        self._data = data
        self.closed_form = closed_form
        self.closed_form_gap = None
        if closed_form:
            gaps = []
            for name, value in closed_form.items():
                est = getattr(self.params, name)
                gaps.append(abs(est - value) / max(abs(value), np.finfo(float).tiny))
            self.closed_form_gap = float(max(gaps))

    # -- counts and criteria -------------------------------------------------
    @property
    def discrete(self):
        """Whether the distribution is discrete (``scipy.stats`` ``FitResult.discrete``)."""
        return self.dist.discrete

    @property
    def free(self):
        """Names of the estimated (not fixed) parameters."""
        return tuple(n for n in self.param_names if n not in self.fixed)

    @property
    def df_model(self):
        """Number of estimated parameters."""
        return len(self.free)

    @property
    def aic(self):
        return 2.0 * self.df_model - 2.0 * self.llf

    @property
    def bic(self):
        return self.df_model * math.log(self.nobs) - 2.0 * self.llf

    def nllf(self, params=None, data=None):
        """Negative log-likelihood, as ``scipy.stats`` ``FitResult.nllf``.

        Parameters
        ----------
        params : sequence, optional
            Parameters in scipy's order; default the fitted ``params``.
        data : array_like, optional
            Default the data that were fit (with their weights).

        Returns
        -------
        float
            ``inf`` if some observation is outside the support.
        """
        if params is None and data is None:
            return -self.llf
        params = self.params if params is None else tuple(params)
        return -self.dist.loglike(self._data if data is None else data, params)

    # -- uncertainty -----------------------------------------------------------
    #: the covariance ``bse``, ``conf_int`` and ``summary`` use (``fastmle.fit(cov_type=...)``)
    cov_type = "nonrobust"

    def cov_params(self, cov_type=None):
        """Covariance of the estimates.

        ``"nonrobust"``: the inverse observed information, minus the analytic
        Hessian of the log-likelihood at the estimate, in scipy's
        parametrization; for a MAP estimate (``method == "MAP"``) minus the
        Hessian of the log posterior (log-likelihood plus log priors), the
        Laplace approximation of the posterior covariance (the sandwich
        below then has that Hessian as its bread). ``"robust"``: the sandwich (Huber-White) estimator
        ``H^-1 B H^-1`` with ``B`` the sum of the outer products of the
        per-observation scores (weighted), formed in one kernel pass at the
        estimate; it stays valid when the model is misspecified (the
        estimate is then the best approximation in Kullback-Leibler terms).

        Rows and columns of fixed parameters are zero; those of estimates
        whose variance the Hessian does not give are NaN: estimates on the
        boundary of the parameter space (``expon``'s location at the sample
        minimum, a location at the edge of an unbounded likelihood) and
        integer-valued ones (``poisson``'s free location).

        Parameters
        ----------
        cov_type : {"nonrobust", "robust"}, optional
            Default ``self.cov_type`` (set by ``fastmle.fit(cov_type=...)``).

        Returns
        -------
        ndarray, shape (k, k)

        Raises
        ------
        ValueError
            Unknown ``cov_type``.
        NotImplementedError
            ``"robust"`` for a distribution without a natural-parameter
            kernel, or for a result that holds no data.
        """
        cov_type = self.cov_type if cov_type is None else cov_type
        if cov_type not in ("nonrobust", "robust"):
            raise ValueError(f"cov_type must be 'nonrobust' or 'robust', got {cov_type!r}")
        k = len(self.param_names)
        cov = np.zeros((k, k))
        idx = [i for i, n in enumerate(self.param_names) if n not in self.fixed and n not in self.boundary]
        for i, n in enumerate(self.param_names):
            if n in self.boundary:
                cov[i, :] = np.nan
                cov[:, i] = np.nan
        if idx and self._hessian is None:     # method of moments: no information matrix
            cov[np.ix_(idx, idx)] = np.nan
            return cov
        if not idx:
            return cov
        info = -self._hessian[np.ix_(idx, idx)]
        if not np.all(np.isfinite(info)):
            warnings.warn("observed information is not finite; covariance unavailable", RuntimeWarning,
                          stacklevel=2)
            cov[np.ix_(idx, idx)] = np.nan
            return cov
        try:
            np.linalg.cholesky(info)
            sub = np.linalg.inv(info)
        except np.linalg.LinAlgError:
            warnings.warn("the Hessian is not negative definite at the estimate; the "
                          "covariance matrix is unreliable", RuntimeWarning, stacklevel=2)
            sub = np.linalg.pinv(info)
        if cov_type == "robust":
            sub = sub @ self._score_outer_products()[np.ix_(idx, idx)] @ sub
        cov[np.ix_(idx, idx)] = 0.5 * (sub + sub.T)
        return cov

    def _score_outer_products(self):
        """``sum w s s^T`` at the estimate (one natural-parameter kernel pass, cached)."""
        if getattr(self, "_opg", None) is None:
            from .distributions._natural import natural_sums

            if self._data is None:
                raise NotImplementedError("the robust covariance needs the fitted data; this result "
                                          "holds none")
            self._opg = natural_sums(self.dist, self._data, tuple(self.params))[4]
        return self._opg

    @property
    def bse(self):
        """Standard errors (square roots of the ``cov_type`` covariance diagonal); 0 for fixed parameters."""
        d = np.diag(self.cov_params()).copy()
        with np.errstate(invalid="ignore"):
            return np.where(d >= 0, np.sqrt(np.abs(d)), np.nan)

    def conf_int(self, alpha=0.05, method="wald", cov_type=None):
        """Confidence intervals of the parameters.

        Parameters
        ----------
        alpha : float
            ``1 - alpha`` is the coverage.
        method : {"wald", "profile"}
            - ``"wald"``: ``estimate -/+ z_{1-alpha/2} * bse``;
            - ``"profile"``: profile-likelihood intervals, the values of each
              parameter whose profile log-likelihood (the others refitted)
              lies within ``chi2_1(1 - alpha) / 2`` of ``llf``. Each end is
              found by root finding on refits with that parameter held,
              warm-started from the neighbouring solution; the intervals
              respect the parameter's domain (positive parameters stay
              positive, probabilities in (0, 1)) and the ``bounds`` of
              ``fastmle.fit``, and are cached per ``alpha``.
        cov_type : {"nonrobust", "robust"}, optional
            Covariance the Wald intervals use (see :meth:`cov_params`);
            default ``self.cov_type``. Profile intervals do not use it.

        Returns
        -------
        ndarray, shape (k, 2)
            Lower and upper bounds in scipy's parameter order. Fixed
            parameters get a zero-width interval. Profile intervals are NaN
            for estimates on the boundary of the parameter space or integer
            valued (a discrete ``loc``) and for method-of-moments fits; an
            end where the profile does not fall below the threshold is the
            limit of the domain (``0``, ``inf``...) or the edge of the data's
            support. Both cases are explained by a ``RuntimeWarning``.

        Raises
        ------
        ValueError
            ``alpha`` outside (0, 1), an unknown ``method`` or ``cov_type``.
        """
        from ._profile import conf_int
        return conf_int(self, alpha, method, cov_type)

    # -- goodness of fit ----------------------------------------------------------
    def gof(self, n_boot=None, statistics=("ks", "ad", "cvm"), random_state=None):
        """Goodness of fit: Kolmogorov-Smirnov, Anderson-Darling and Cramér-von Mises tests.

        Each statistic compares the data's empirical cdf with the fitted one
        (frequency weights count as repeated observations). The fitted cdf
        comes from the distribution's cdf kernel as ``log F`` and ``log S``,
        so Anderson-Darling's tail terms keep their precision.

        Parameters
        ----------
        n_boot : int, optional
            Parametric bootstrap with this many samples: each is drawn from
            the fitted distribution with the size of the data, refitted the
            way this fit was made (same fixed parameters, bounds and method),
            and its statistics computed at its own estimate. The p-value is
            ``(1 + #{T* >= T}) / (n_boot + 1)``, valid with estimated
            parameters. Default: asymptotic p-values.
        statistics : sequence of {"ks", "ad", "cvm"}
            The tests to compute.
        random_state : None, int, numpy Generator, SeedSequence or RandomState
            Seed of the bootstrap samples.

        Returns
        -------
        GofResult
            A mapping from test key to ``(statistic, pvalue)``; also
            attributes ``result.ks``, ``.ad``, ``.cvm``, ``method``
            ("asymptotic", "bootstrap" or "none"), ``n_boot``, ``notes``,
            and for the bootstrap ``null_distribution``, ``n_failed`` (refits
            that raised, left out) and ``n_nonconverged``.

        Raises
        ------
        NotImplementedError
            The distribution has no cdf kernel yet; censored data.
        ValueError, TypeError
            Unknown test names, an invalid ``n_boot`` or ``random_state``.

        Notes
        -----
        Asymptotic p-values are those of a fully specified distribution:
        the Kolmogorov distribution of ``sqrt(n) D``, and the limiting
        distributions of Cramér-von Mises' ``n omega^2`` (Csörgő & Faraway
        1996) and Anderson-Darling's ``A^2`` (Anderson & Darling 1954),
        without finite-sample corrections. **When parameters were estimated
        from the same data, as in every fit, the statistics are smaller than
        under that null and these p-values are conservative (too large),
        often by far**; ``n_boot`` gives p-values that account for the
        estimation (200-1000 samples are typical).

        Discrete distributions: ``D = sup |F_n - F|`` over the integers and
        the discrete Cramér-von Mises and Anderson-Darling statistics of
        Choulakian, Lockhart & Stephens (1994), summed over every integer
        with non-negligible probability. Their null distributions depend on
        the fitted pmf, so p-values need ``n_boot`` (without it they are NaN
        and ``method`` is "none").

        Observations at which the fitted cdf is exactly 0 or 1 (an endpoint
        estimated at a sample extreme: ``expon``'s or ``pareto``'s free
        location, ``uniform``'s range) make ``A^2`` infinite while saying
        nothing about the fit; Anderson-Darling leaves them out
        (``ad_left_out`` says how many), the bootstrap likewise. Observations
        outside the fitted support (possible with ``method="MM"``, where the
        log-likelihood is ``-inf``) make ``A^2`` infinite.

        The statistics need the sorted sample: out-of-core data are read into
        memory (8 bytes per row), once per dataset.
        """
        from ._gof import goodness_of_fit

        return goodness_of_fit(self, n_boot=n_boot, statistics=statistics, random_state=random_state)

    # -- display ---------------------------------------------------------------
    def summary(self, alpha=0.05, ci_method="wald", cov_type=None):
        """A statsmodels-style table of estimates, uncertainty and fit statistics.

        The header gives the distribution, the method (maximum likelihood,
        method of moments...), the log-likelihood, AIC, BIC, the number of
        observations, convergence, iterations and the covariance type; the
        table gives each parameter's estimate, standard error, z statistic,
        two-sided p-value and confidence interval; notes below explain fixed
        and boundary parameters, intervals that end at a limit, and how the
        optimizer ended.

        Parameters
        ----------
        alpha : float
            ``1 - alpha`` is the coverage of the intervals.
        ci_method : {"wald", "profile"}
            See :meth:`conf_int`.
        cov_type : {"nonrobust", "robust"}, optional
            Covariance of the standard errors, z statistics and Wald
            intervals; default ``self.cov_type``.

        Returns
        -------
        str
        """
        from ._profile import summary
        return summary(self, alpha, ci_method, cov_type)

    # -- plotting ---------------------------------------------------------------
    def plot(self, ax=None, *, plot_type="hist", kind=None):
        """Visually compare the data with the fitted distribution, as scipy's ``FitResult.plot``.

        Needs matplotlib (``pip install 'fastmle[plot]'``). The fitted curve is
        drawn with the same-named ``scipy.stats`` distribution's pdf/pmf, cdf
        and quantiles (also installed by that extra); a discrete distribution
        scipy lacks (``zipoisson``) is drawn from fastmle's own pmf.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; default the current axes (``plt.gca()``).
        plot_type : {"hist", "qq", "pp", "cdf"}
            - ``"hist"``: fitted pdf (pmf) over a normalized histogram of the
              data (the data as points on the axis for 50 or fewer continuous
              observations);
            - ``"qq"``: fitted quantiles at the plotting positions
              ``(k - 0.5) / n`` against the sorted data, with the diagonal;
            - ``"pp"``: the plotting positions against the fitted cdf at the
              sorted data, with the diagonal;
            - ``"cdf"``: the fitted cdf over the empirical one.

            Frequency weights count as repeated observations in all four.
        kind : str, optional
            Another name for ``plot_type`` (``kind="qq"``); given both, they
            must agree.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on. Labels, titles and line styles are scipy's.

        Raises
        ------
        ImportError
            matplotlib (or, for a continuous distribution, scipy) is missing.
        ValueError
            Unknown ``plot_type``, or ``kind`` and ``plot_type`` disagreeing.
        """
        if kind is not None:
            if plot_type != "hist" and str(plot_type).lower() != str(kind).lower():
                raise ValueError(f"plot_type={plot_type!r} and kind={kind!r} disagree; give one")
            plot_type = kind
        return _plot(self, ax, plot_type)

    def __repr__(self):
        return (f"FitResult(dist={self.dist.name!r}, params={self.params}, llf={self.llf:.6g}, "
                f"converged={self.converged}, nobs={self.nobs:g})")

    def __str__(self):
        return self.summary()


# -- plotting (FitResult.plot), after scipy.stats' FitResult.plot -------------------

_PLOT_EXTRA = "pip install 'fastmle[plot]'"


class _DiscreteTable:
    """pmf, cdf and ppf of a fitted discrete fastmle distribution from its own
    log-likelihood, for distributions scipy does not have (zipoisson): the
    pmf at each integer from ``loc`` up, summed into the cdf."""

    def __init__(self, dist, params, hi):
        loc = float(params[-1])
        start = math.floor(loc)
        ks, pmf, total = [], [], 0.0
        k = start
        # the table reaches past the data until the tail mass is negligible
        while (k <= hi or total < 1 - 1e-12) and k - start < 1_000_000:
            ll = dist.loglike(np.array([float(k)]), params)
            p = math.exp(ll) if np.isfinite(ll) else 0.0
            ks.append(k)
            pmf.append(p)
            total += p
            k += 1
        self.k = np.array(ks, dtype=float)
        self.p = np.array(pmf)
        self.c = np.minimum(np.cumsum(self.p), 1.0)
        positive = np.flatnonzero(self.p > 0)
        self.lower = self.k[positive[0]] if positive.size else float(start)

    def pxf(self, x, *_):
        x = np.asarray(x, dtype=float)
        idx = np.clip((x - self.k[0]).astype(np.int64), 0, len(self.k) - 1)
        return np.where((x == np.round(x)) & (x >= self.k[0]) & (x <= self.k[-1]), self.p[idx], 0.0)

    def cdf(self, x, *_):
        x = np.floor(np.asarray(x, dtype=float))
        idx = np.clip((x - self.k[0]).astype(np.int64), 0, len(self.k) - 1)
        return np.where(x < self.k[0], 0.0, np.where(x > self.k[-1], 1.0, self.c[idx]))

    def ppf(self, q, *_):
        q = np.asarray(q, dtype=float)
        idx = np.minimum(np.searchsorted(self.c, q - 1e-12), len(self.k) - 1)
        return self.k[idx]

    def support(self, *_):
        return self.lower, np.inf


class _ScipyTwin:
    """pdf/pmf, cdf, ppf and support of the same-named scipy distribution."""

    def __init__(self, twin, discrete):
        self.pxf = twin.pmf if discrete else twin.pdf
        self.cdf, self.ppf, self.support = twin.cdf, twin.ppf, twin.support


def _plot_functions(result, data_max):
    """What ``plot`` evaluates: scipy's distribution of the same name where
    there is one (fastmle computes likelihoods, not cdfs or quantiles), else,
    for a discrete distribution, a table from fastmle's own pmf."""
    try:
        import scipy.stats as st
    except ImportError:
        st = None
    twin = getattr(st, result.dist.name, None) if st is not None else None
    if twin is not None and hasattr(twin, "cdf"):
        return _ScipyTwin(twin, result.dist.discrete)
    if result.dist.discrete:
        return _DiscreteTable(result.dist, tuple(result.params), data_max)
    if st is None:
        raise ImportError(f"FitResult.plot of a continuous distribution needs scipy for its cdf and "
                          f"quantiles; install the plotting extra: {_PLOT_EXTRA}")
    raise NotImplementedError(f"FitResult.plot: scipy has no distribution {result.dist.name!r} "
                              f"to draw the fitted curve with")


_PLOT_MAX_ROWS = 1 << 20


def _plot_data(result):
    """The fitted observations (sorted) and their frequency weights (or None)."""
    if result._data is None:
        raise ValueError("this result holds no data to plot")
    data = result._data
    if data.out_of_core and data.n_rows > _PLOT_MAX_ROWS:
        # memory maps, chunk sources, Dask: plot an evenly strided subsample, not all rows in memory
        data = data.subsample(_PLOT_MAX_ROWS)
    xs = np.concatenate([np.asarray(x, dtype=float) for x, _ in data.chunks])
    if not data.weighted:
        return np.sort(xs), None
    ws = np.concatenate([np.ones(x.shape[0]) if w is None else np.asarray(w, dtype=float)
                         for x, w in data.chunks])
    order = np.argsort(xs, kind="stable")
    return xs[order], ws[order]


def _plotting_positions(w, n):
    """scipy's ``(k - 0.5) / n``; with frequency weights the same rule counted in weight."""
    if w is None:
        return (np.arange(1, n + 1) - 0.5) / n
    cw = np.cumsum(w)
    return (cw - 0.5 * w) / cw[-1]


def _plot(self, ax, plot_type):
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(f"FitResult.plot needs matplotlib; install the plotting extra: "
                          f"{_PLOT_EXTRA}") from exc
    kinds = {"hist": _hist_plot, "histogram": _hist_plot, "qq": _qq_plot, "pp": _pp_plot,
             "cdf": _cdf_plot}
    if not isinstance(plot_type, str) or plot_type.lower() not in kinds:
        raise ValueError(f"`plot_type` must be one of {set(kinds)}, got {plot_type!r}")
    x, w = _plot_data(self)
    fns = _plot_functions(self, float(x[-1]))
    if ax is None:
        import matplotlib.pyplot as plt
        ax = plt.gca()
    return kinds[plot_type.lower()](self, ax, np.asarray(self.params, dtype=float), fns, x, w)


def _hist_plot(res, ax, p, fns, x, w):
    from matplotlib.ticker import MaxNLocator
    lo, hi = fns.support(*p)
    lb = lo if np.isfinite(lo) else x[0]
    ub = hi if np.isfinite(hi) else x[-1]
    discrete = res.dist.discrete
    if discrete:
        ks = np.arange(lb, ub + 2)
        ax.vlines(ks[:-1], 0, fns.pxf(ks[:-1], *p), label="Fitted Distribution PMF", color="C0")
        ax.hist(x, weights=w, density=True, bins=ks, align="left", color="C1", label="Histogram of Data")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("k")
        ax.set_ylabel("PMF")
    else:
        grid = np.linspace(lb, ub, 200)
        ax.plot(grid, fns.pxf(grid, *p), "--", label="Fitted Distribution PDF", color="C0")
        if len(x) > 50:
            ax.hist(x, weights=w, density=True, bins=50, align="mid", color="C1", label="Histogram of Data")
        else:
            ax.plot(x, np.zeros_like(x), "*", label="Data", color="C1")
        ax.set_xlabel("x")
        ax.set_ylabel("PDF")
    ax.set_title(rf"Fitted $\tt {res.dist.name}$ {'PMF' if discrete else 'PDF'} and Histogram")
    ax.legend(*ax.get_legend_handles_labels())
    return ax


def _qp_plot(res, ax, p, fns, x, w, qq):
    ps = _plotting_positions(w, len(x))
    if qq:
        qp, kind, xs, ys = "Quantiles", "Q-Q", fns.ppf(ps, *p), x
    else:
        qp, kind, xs, ys = "Percentiles", "P-P", ps, fns.cdf(x, *p)
    ax.plot(xs, ys, ".", label=f"Fitted Distribution {kind}", color="C0", zorder=1)
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    lim = [min(xlim[0], ylim[0]), max(xlim[1], ylim[1])]
    if not qq:
        lim = [max(lim[0], 0), min(lim[1], 1)]
    if res.dist.discrete and qq:
        ideal = np.arange(int(lim[0]), int(lim[1] + 1))
        ax.plot(ideal, ideal, "o", label="Reference", color="k", alpha=0.25, markerfacecolor="none",
                clip_on=True)
    elif res.dist.discrete:
        a, b = fns.support(*p)
        p_min = max(lim[0], 0 if np.isfinite(a) else 1e-3)
        p_max = min(lim[1], 1 if np.isfinite(b) else 1 - 1e-3)
        q_min, q_max = fns.ppf(np.array([p_min, p_max]), *p)
        steps = fns.cdf(np.arange(q_min - 1, q_max + 1), *p)
        ax.step(steps, steps, "-", label="Reference", color="k", alpha=0.25, clip_on=True)
    else:
        ax.plot(lim, lim, "-", label="Reference", color="k", alpha=0.25, clip_on=True)
    ax.set_xlim(lim)
    ax.set_ylim(lim)
    ax.set_xlabel(rf"Fitted $\tt {res.dist.name}$ Theoretical {qp}")
    ax.set_ylabel(f"Data {qp}")
    ax.set_title(rf"Fitted $\tt {res.dist.name}$ {kind} Plot")
    ax.legend(*ax.get_legend_handles_labels())
    ax.set_aspect("equal")
    return ax


def _qq_plot(res, ax, p, fns, x, w):
    return _qp_plot(res, ax, p, fns, x, w, qq=True)


def _pp_plot(res, ax, p, fns, x, w):
    return _qp_plot(res, ax, p, fns, x, w, qq=False)


def _cdf_plot(res, ax, p, fns, x, w):
    ecdf = _plotting_positions(w, len(x))
    ls = "--" if len(np.unique(x)) < 30 else "."
    ax.step(x, ecdf, ls, label="Empirical CDF", color="C1", zorder=0)
    xlim = ax.get_xlim()
    q = np.linspace(*xlim, 300)
    ax.plot(q, fns.cdf(q, *p), label="Fitted Distribution CDF", color="C0", zorder=1)
    ax.set_xlim(xlim)
    ax.set_ylim(0, 1)
    ax.set_xlabel("k" if res.dist.discrete else "x")
    ax.set_ylabel("CDF")
    ax.set_title(rf"Fitted $\tt {res.dist.name}$ and Empirical CDF")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1])
    return ax

