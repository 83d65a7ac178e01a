"""Regression models fitted by maximum likelihood: Logit, Poisson, NegativeBinomial (NB2), GaussianLM.

The data flow is the one of the distribution fits: the constructor checks
the inputs (with the GIL, clear errors); every Newton iteration is one
kernel pass (``fastmle._glm.glm_pass``: log-likelihood, ``X^T g`` and
``X^T diag(h) X`` in one OpenMP pass over the rows); the result object
carries statsmodels' inference API.
"""
import math
import warnings

import numpy as np

from .. import _scan, _sources
from .._config import resolve_n_threads
from .._optimize import ConvergenceWarning, _lbfgs
from .._special import lgamma
from ._kernel import glm_pass
from ._data import (as_dask_vector, as_design, as_vector, check_finite, default_names, is_pandas,
                    raise_nonfinite, verify_constant_columns)
from ._newton import newton
from ._results import RegressionResults

__all__ = ["Logit", "Poisson", "NegativeBinomial", "GaussianLM", "PerfectSeparationWarning"]

# Above this many rows a fit without start_params first fits a strided
# subsample of about _SUBSAMPLE rows (a view: no copy), so that the full-data
# Newton starts within sampling error of the optimum and needs 2-3 passes.
_WARM_START_N = 200_000
_SUBSAMPLE = 50_000


def _glm_chunk(X, y, w, off, beta, family, alpha, need, intercept, const_col, n_threads=1):
    """One row chunk's kernel sums (``RowChunks.reduce`` adds them pairwise)."""
    return glm_pass(X, y, w, off, beta, family, alpha, need, n_threads, intercept, const_col)


def _count_bad_weights(X, w):
    return int(np.count_nonzero(~np.isfinite(w))), int(np.count_nonzero(w < 0))


def _scan_endog(X, y, w):
    """One row chunk of the response: the scan's sums, min and max."""
    y = np.ascontiguousarray(y, dtype=np.float64)
    s, lo, hi = _scan.scan(y, None if w is None else np.ascontiguousarray(w, dtype=np.float64), 0.0, True, 1)
    return s, lo, hi


def _poisson_constant_chunk(X, y, w, off):
    """-sum w log(y!) over one row chunk."""
    lg = lgamma(np.asarray(y, dtype=np.float64) + 1.0)
    return -float(lg @ w) if w is not None else -float(lg.sum())


class PerfectSeparationWarning(ConvergenceWarning):
    """Logit: the classes are (quasi-)perfectly separated; the MLE does not exist.

    Some coefficients diverge: the returned ``params`` are where the fit
    stopped, ``converged`` is False and their standard errors are meaningless.
    """


def _collinearity_check(A, names):
    """Raise ValueError naming the columns that make ``A = X^T diag(h) X`` singular."""
    d = np.diag(A).copy()
    zero = [names[j] for j in range(len(d)) if not d[j] > 0.0]
    if zero:
        raise ValueError(f"exog column(s) {', '.join(zero)} are all zero (or have zero weight): "
                         "their coefficients are not identified")
    s = 1.0 / np.sqrt(d)
    C = A * s[:, None] * s[None, :]
    try:
        # cheap test first: an exactly dependent column leaves a Schur
        # complement (squared Cholesky pivot) at rounding level
        L = np.linalg.cholesky(C)
        if np.min(np.diag(L)) ** 2 > 1e-10:
            return
    except np.linalg.LinAlgError:
        pass
    vals, vecs = np.linalg.eigh(0.5 * (C + C.T))
    # the correlation-scaled matrix of a full-rank design has eigenvalues far
    # above rounding; exact collinearity leaves ~1e-16
    null = vals <= 1e-12 * max(vals[-1], 1.0)
    if not np.any(null):
        return
    groups = []
    for k in np.flatnonzero(null):
        v = np.abs(vecs[:, k])
        groups.append([names[j] for j in np.flatnonzero(v >= 0.05 * v.max())])
    text = "; ".join(", ".join(g) for g in groups)
    raise ValueError(f"exog columns are collinear (a linear combination of them is constant or zero): "
                     f"{text}. Drop one column of each group.")


class _Model:
    """Shared machinery: data, the kernel call, Newton, results."""

    _family = None
    _name = None
    _k_extra = 0          # parameters beyond the coefficients (NB2's alpha)

    def __init__(self, endog, exog, offset=None, exposure=None, weights=None, n_threads=None,
                 _intercept=False):
        design = as_design(exog)
        # _intercept (the scikit-learn estimators' fit_intercept): column 0 of
        # the model is an implicit constant the kernel writes itself; X is
        # never copied to hold it
        self._implicit = bool(_intercept)
        if self._implicit:
            design.names = ["const"] + [n for n in design.names]
        self._design = design
        self.exog = design.X
        n, p = design.X.shape
        if n == 0:
            raise ValueError("no observations")
        if p + self._implicit == 0:
            raise ValueError("exog has no columns")
        self.endog_name = str(endog.name) if is_pandas(endog) and getattr(endog, "name", None) is not None \
            else "y"
        self._dask = _sources.is_dask_array(self.exog)
        if self._dask:
            # a dask design: the vectors stay dask arrays chunked like its rows,
            # every pass runs where the chunks live (RowChunks)
            if self._family not in ("logit", "poisson") or type(self).__name__ not in ("Logit", "Poisson"):
                raise NotImplementedError(f"{type(self).__name__} does not take dask arrays yet "
                                          "(Logit and Poisson do)")
            rows = self.exog.chunks[0]

            def vector(v, name, allow_none=True):
                return as_dask_vector(v, rows, n, name, allow_none)
        else:
            def vector(v, name, allow_none=True, check=True):
                return as_vector(v, n, name, allow_none=allow_none, check=check)
        self.endog = vector(endog, "endog", allow_none=False) if self._dask else \
            vector(endog, "endog", allow_none=False, check=False)
        self.weights = vector(weights, "weights")
        if self._dask and self.weights is not None:
            bad = _sources.RowChunks(self.exog, self.weights).map(_count_bad_weights)
            if sum(b[0] for b in bad):
                raise ValueError("weights contain NaN or inf")
            if sum(b[1] for b in bad):
                raise ValueError("weights must be non-negative")
        elif self.weights is not None and np.any(self.weights < 0):
            raise ValueError("weights must be non-negative")
        # one threaded pass over y: non-finite and non-integer counts, range,
        # weighted sum (the start value's mean)
        if self._dask:
            parts = _sources.RowChunks(self.exog, self.endog, self.weights).map(_scan_endog)
            sums = _sources.pairwise_sum([q[0] for q in parts])
            lo, hi = min(q[1] for q in parts), max(q[2] for q in parts)
            if sums[0] > 0:
                raise ValueError(f"endog contains NaN or inf ({int(sums[0])} values)")
            if sums[1] or lo < 0.0 or (self._family == "logit" and hi > 1.0):
                raise ValueError(f"endog must be {'0 or 1' if self._family == 'logit' else 'non-negative integer counts'}"
                                 f" for {type(self).__name__}: {int(sums[1])} non-integer values, range "
                                 f"[{lo}, {hi}]")
        else:
            sums, lo, hi = _scan.scan(self.endog, self.weights, 0.0, True, resolve_n_threads(n_threads))
            if sums[0] > 0:
                raise_nonfinite(self.endog, "endog")
        self._ybar = float(sums[3] / sums[2]) if sums[2] > 0 else 0.5
        if not self._dask:
            self._check_endog(self.endog, int(sums[1]), lo, hi)
        self._y_sums = sums
        self.offset = vector(offset, "offset")
        self.exposure = vector(exposure, "exposure")
        if self.exposure is not None:
            if self._family == "logit" or self._family == "gaussian":
                raise ValueError(f"{type(self).__name__} takes no exposure (use offset)")
            if np.any(self.exposure <= 0):
                raise ValueError("exposure must be positive")
        off = self.offset
        if self.exposure is not None:
            off = np.log(self.exposure) if off is None else off + np.log(self.exposure)
        self._off = off
        self._exog_names = list(design.names)
        self.nobs = float(self.weights.sum()) if self.weights is not None else float(n)
        self.k_exog = p + self._implicit
        self._const = [0] if self._implicit else list(design.const)
        # the columns of ones found on a sample are checked in full by the
        # first kernel pass of fit(), or here on first use of the names
        self._const_verified = self._implicit or not self._const
        self.n_threads = resolve_n_threads(n_threads)
        # a memory-mapped design larger than one chunk, or a dask design:
        # kernel passes by row chunks
        self._rows = None
        if self._dask or (self.exog.size > _sources.CHUNK_ROWS and _sources.is_memory_mapped(self.exog)):
            self._rows = _sources.RowChunks(self.exog, self.endog, self.weights, self._off)
        self._ll_const = self._data_constant()

    # -- the constant column ---------------------------------------------------
    @property
    def exog_names(self):
        """Column names (pandas' names, or statsmodels' const, x1, x2, ... for arrays)."""
        self._verify_const()
        return self._exog_names

    @exog_names.setter
    def exog_names(self, names):
        self._exog_names = list(names)

    @property
    def k_constant(self):
        """1 if the model has a column of ones (or an implicit intercept), else 0."""
        self._verify_const()
        return 1 if self._const else 0

    def _verify_const(self, nonconst_first=None):
        """Confirm the sampled constant column(s); True if the model changed.

        ``nonconst_first``: the kernel's count of rows where the first
        candidate is not 1 (None: read the columns with numpy).
        """
        if self._const_verified:
            return False
        cand = list(self._const)
        if nonconst_first is None:
            ok = verify_constant_columns(self.exog, cand)
        else:
            ok = ([cand[0]] if nonconst_first == 0 else []) + verify_constant_columns(self.exog, cand[1:])
        self._const_verified = True
        if ok == cand:
            return False
        self._const = ok
        if not self._design.pandas:
            extra = self._exog_names[self.k_exog:]          # NB2's "alpha"
            self._exog_names = default_names(self.k_exog, ok) + extra
        return True

    # -- hooks ----------------------------------------------------------------
    def _check_endog(self, y, n_nonint, lo, hi):
        pass

    def _data_constant(self):
        """The part of the log-likelihood that depends on the data only."""
        return 0.0

    # -- kernel ---------------------------------------------------------------
    def _kernel(self, X, y, w, off, beta, alpha, need, intercept=None, const_col=-1):
        if intercept is None:
            intercept = self._implicit
        rows = getattr(self, "_rows", None)
        if rows is not None and X is not self.exog:
            rows = getattr(self, "_null_rows", None) if X is getattr(self, "_null_X", None) else None
        if rows is not None:
            # out of core: the same sums, row chunk by row chunk (pages released)
            # (dask tasks take their worker's thread share, see fastmle._sources)
            return rows.reduce(_glm_chunk, beta, self._family, alpha, need, intercept, const_col,
                               n_threads=None if self._dask else self.n_threads)
        return glm_pass(X, y, w, off, beta, self._family, alpha, need, self.n_threads, intercept, const_col)

    def _coef_start(self):
        """Coefficients at the intercept-only closed form (0 without a constant column)."""
        beta = np.zeros(self.k_exog)
        if self._const:
            w = self.weights
            beta[self._const[0]] = self._link(self._ybar) - (float(np.average(self._off, weights=w))
                                                             if self._off is not None and
                                                             (w is None or w.sum() > 0) else 0.0)
        return beta

    def _link(self, mean):
        return mean

    # -- log-likelihood in the optimizer's coordinates -------------------------
    def _evaluator(self, X, y, w, off, l2, const):
        """``evaluate(x, need)`` for Newton: penalized ll, gradient, negative Hessian."""
        p = X.shape[1] + self._implicit
        pen = np.ones(p)
        pen[self._const] = 0.0
        pen *= l2

        def evaluate(x, need, const_col=-1):
            beta, alpha, t = self._split(x)
            s, g, cross, A = self._kernel(X, y, w, off, beta, alpha, need, const_col=const_col)
            ll = s[0] + const - 0.5 * float(pen @ (beta * beta))
            grad = g - pen * beta
            A = A + np.diag(pen)
            if self._k_extra:
                # NB2 in (beta, t = log alpha): chain rule on the alpha derivatives
                ga, gaa = s[1] * alpha, s[2] * alpha * alpha + s[1] * alpha
                grad = np.append(grad, ga)
                A2 = np.empty((p + 1, p + 1))
                A2[:p, :p] = A
                A2[:p, p] = A2[p, :p] = -cross * alpha
                A2[p, p] = -gaa
                A = A2
            return ll, grad, A, s
        return evaluate

    def _split(self, x):
        """(beta, alpha, raw) from the optimizer's vector."""
        return x, 0.0, None

    def fit(self, start_params=None, method="newton", maxiter=None, tol=1e-8, l2=0.0, disp=False,
            warn_convergence=True, n_threads=None):
        """Fit by maximum likelihood (or MAP with ``l2 > 0``).

        Parameters
        ----------
        start_params : array_like, optional
            Coefficients (and alpha for NB2) to start from. Default: the
            intercept-only closed form, refined on a subsample for large N.
        method : {"newton", "lbfgs"}
            Newton with Cholesky and step halving (default; p up to a few
            thousand) or L-BFGS (gradients only; wide problems).
        maxiter : int, optional
            Default 100 (Newton) or 1000 (L-BFGS).
        tol : float
            Newton: converged when every step component is at most
            ``tol * (1 + |param|)``. L-BFGS: ``max|grad| / nobs <= tol``.
        l2 : float
            Gaussian prior ``-l2/2 * sum(beta_j**2)`` on the coefficients
            other than the constant column: the fit is then a MAP estimate,
            ``llf`` stays the log-likelihood and ``cov_params()`` the inverse
            negative Hessian of the log-posterior.
        disp : bool
            Accepted for statsmodels compatibility; ignored.
        warn_convergence : bool
            Issue a ``ConvergenceWarning`` when the fit does not converge.
        n_threads : int, optional
            Threads of the kernel (default: the model's).

        Returns
        -------
        RegressionResults
        """
        if n_threads is not None:
            self.n_threads = resolve_n_threads(n_threads)
        l2 = float(l2)
        if not (l2 >= 0.0 and math.isfinite(l2)):
            raise ValueError(f"l2 must be a non-negative number, got {l2}")
        if method not in ("newton", "lbfgs"):
            raise ValueError(f"unknown method {method!r}; use 'newton' or 'lbfgs'")
        X, y, w, off = self.exog, self.endog, self.weights, self._off
        k = self.k_exog + self._k_extra
        if start_params is not None:
            x0 = self._to_internal(np.asarray(start_params, dtype=float).ravel())
            if x0.shape[0] != k:
                raise ValueError(f"start_params must have {k} values, got {x0.shape[0]}")
        else:
            x0 = self._default_start(l2)
        evaluate = self._evaluator(X, y, w, off, l2, self._ll_const)
        # the first full pass: the constant column, finiteness of X and
        # collinearity (named columns)
        first = evaluate(x0, 2, -1 if self._const_verified else self._const[0])
        if self._verify_const(first[3][4]):
            # a sampled "constant" column is not (start values, the prior and
            # the names assumed it): start again with the corrected model
            return self.fit(start_params, method, maxiter, tol, l2, disp, warn_convergence, n_threads)
        if not (np.all(np.isfinite(first[1])) and np.all(np.isfinite(first[2]))):
            check_finite(X, self.exog_names[self._implicit:])
        p = self.k_exog
        if l2 == 0.0:
            _collinearity_check(first[2][:p, :p], self.exog_names)
        cache = {"x": x0, "res": first}

        def cached(x, need):
            if need == 2 and cache["x"] is not None and np.array_equal(x, cache["x"]):
                cache["x"] = None
                return cache["res"]
            return evaluate(x, need)

        nobs = self.nobs
        if method == "newton":
            # a last step up to 10 * tol is taken without a pass over the data
            # (measured at N = 1e6: bse within 4e-8 of the fully iterated fit)
            res = newton(cached, x0, nobs, maxiter=maxiter or 100, tol=tol, stop=self._stopper(),
                         final_step=10.0 * tol)
            x, ll, A, extra = res.x, res.ll, res.A, res.extra
            converged, n_iter, message = res.converged, res.n_iter, res.message
            retvals = res.as_dict()
        else:
            def fun(t):
                ll, g, _, _ = evaluate(t, 1)
                return ll, g, None
            r = _lbfgs(fun, x0, nobs, maxiter or 1000, tol)
            x, converged, n_iter, message = r.t, r.converged, r.n_iter, r.message
            ll, _, A, extra = evaluate(x, 2)
            retvals = {"converged": converged, "iterations": n_iter, "fcalls": r.n_eval, "message": message,
                       "method": "lbfgs"}
        # rows fitted with probability exactly 0 or 1 at the end: their score
        # is 0 in float64, so Newton can stall there "converged" while the
        # MLE is at infinity (quasi-separation) -- never report that as converged
        separated = self._family == "logit" and extra[3] > 0
        if separated:
            converged = False
            retvals["converged"] = False
            warnings.warn("Perfect separation or prediction detected: some fitted probabilities are 0 or 1 "
                          "to float64 precision and the maximum likelihood estimate does not exist "
                          f"({message}). The parameters are where the fit stopped.",
                          PerfectSeparationWarning, stacklevel=2)
        elif not converged and warn_convergence:
            warnings.warn(f"{type(self).__name__} fit did not converge: {message}", ConvergenceWarning,
                          stacklevel=2)
        params, cov = self._natural(x, A, extra)
        # llf is the log-likelihood: the prior's term is added back, not re-evaluated
        beta = x[:self.k_exog]
        penalty = 0.5 * l2 * (float(beta @ beta) - float(beta[self._const] @ beta[self._const]))
        llf = float(ll) + penalty
        return RegressionResults(self, params, cov, llf, converged, n_iter, retvals, method, l2)

    def _stopper(self):
        return None

    def _to_internal(self, params):
        return params

    def _default_start(self, l2):
        beta0 = self._coef_start()
        n = self.exog.shape[0]
        if n < _WARM_START_N:
            return beta0
        return self._warm_start(beta0, l2)

    def _subsample(self):
        n = self.exog.shape[0]
        step = max(2, n // _SUBSAMPLE)
        sl = slice(None, None, step)

        def cut(v):
            return None if v is None else np.ascontiguousarray(v[sl])
        Xs = self.exog[sl]
        if self._dask:
            return (np.asarray(Xs.compute()),) + tuple(None if v is None else np.ascontiguousarray(v[sl].compute())
                                                       for v in (self.endog, self.weights, self._off)) + (step,)
        if getattr(self, "_rows", None) is not None:
            # a memory map: copy the few rows (the warm start reads them many
            # times), a row chunk at a time, releasing the pages read
            Xs = self._rows.strided_rows(step)
        return Xs, cut(self.endog), cut(self.weights), cut(self._off), step

    def _warm_start(self, x0, l2):
        """Fit a strided subsample (views of X) loosely; its optimum starts the full fit."""
        Xs, ys, ws, offs, step = self._subsample()
        nsub = float(ws.sum()) if ws is not None else float(Xs.shape[0])
        # the subsample's prior is scaled so its MAP estimates the full one
        evaluate = self._evaluator(Xs, ys, ws, offs, l2 * nsub / self.nobs, 0.0)
        try:
            with np.errstate(all="ignore"):
                res = newton(evaluate, x0, nsub, maxiter=30, tol=1e-3, stop=self._stopper(), final_step=1e-2)
        except (np.linalg.LinAlgError, ValueError):
            return x0
        if res.converged and np.all(np.isfinite(res.x)):
            return res.x
        return x0

    def _natural(self, x, A, extra):
        """params and covariance (inverse negative Hessian) at the optimizer's ``x``."""
        return x, _inverse(A)

    # -- statsmodels-style helpers ---------------------------------------------
    def loglike(self, params):
        """Log-likelihood at ``params`` (coefficients, then alpha for NB2)."""
        params = np.asarray(params, dtype=float)
        beta, alpha = params[:self.k_exog], (params[self.k_exog] if self._k_extra else 0.0)
        s = self._kernel(self.exog, self.endog, self.weights, self._off, beta, alpha, 0)[0]
        return float(s[0] + self._ll_const)

    def score(self, params):
        """Gradient of the log-likelihood in the coefficients (and alpha)."""
        params = np.asarray(params, dtype=float)
        beta, alpha = params[:self.k_exog], (params[self.k_exog] if self._k_extra else 0.0)
        s, g, _, _ = self._kernel(self.exog, self.endog, self.weights, self._off, beta, alpha, 1)
        return np.append(g, s[1]) if self._k_extra else g

    def hessian(self, params):
        """Hessian of the log-likelihood in the coefficients (and alpha)."""
        params = np.asarray(params, dtype=float)
        p = self.k_exog
        beta, alpha = params[:p], (params[p] if self._k_extra else 0.0)
        s, _, cross, A = self._kernel(self.exog, self.endog, self.weights, self._off, beta, alpha, 2)
        if not self._k_extra:
            return -A
        H = np.empty((p + 1, p + 1))
        H[:p, :p] = -A
        H[:p, p] = H[p, :p] = cross
        H[p, p] = s[2]
        return H

    def predict(self, params, exog=None, offset=None, exposure=None, which="mean"):
        """Predicted mean (or linear predictor with ``which="linear"``)."""
        params = np.asarray(params, dtype=float)
        beta = params[:self.k_exog]
        if exog is None:
            X = self.exog
            off = self._off if offset is None and exposure is None else None
        else:
            X = as_design(exog).X
            off = None
        n = X.shape[0]
        if X.shape[1] + self._implicit != self.k_exog:
            raise ValueError(f"exog has {X.shape[1]} columns, the model {self.k_exog - self._implicit}")
        eta = X @ beta[self._implicit:] + (beta[0] if self._implicit else 0.0)
        if off is not None:
            eta = eta + off
        if offset is not None:
            eta = eta + as_vector(offset, n, "offset")
        if exposure is not None:
            eta = eta + np.log(as_vector(exposure, n, "exposure"))
        if which == "linear":
            return eta
        if which != "mean":
            raise ValueError(f"which must be 'mean' or 'linear', got {which!r}")
        return self._mean(eta)

    def _mean(self, eta):
        return eta

    # -- null model ------------------------------------------------------------
    def _llnull(self):
        """Log-likelihood of the intercept-only model (same weights, offset, exposure)."""
        n = self.exog.shape[0]
        X0 = np.empty((n, 0))
        w, off, y = self.weights, self._off, self.endog
        if self._dask:
            import dask.array as da

            X0 = da.zeros((n, 0), chunks=(self.exog.chunks[0], (0,)))
            self._null_X, self._null_rows = X0, _sources.RowChunks(X0, y, w, off)
        x0 = self._null_start()

        def evaluate(x, need):
            beta, alpha, _ = self._split_null(x)
            s, g, cross, A = self._kernel(X0, y, w, off, beta, alpha, need, intercept=True)
            ll = s[0] + self._ll_const
            if self._k_extra:
                g = np.append(g, s[1] * alpha)
                A2 = np.empty((2, 2))
                A2[0, 0] = A[0, 0]
                A2[0, 1] = A2[1, 0] = -cross[0] * alpha
                A2[1, 1] = -(s[2] * alpha * alpha + s[1] * alpha)
                A = A2
            return ll, g, A, s
        with np.errstate(all="ignore"):
            res = newton(evaluate, x0, self.nobs, maxiter=100, tol=1e-10)
        return float(res.ll)

    def _null_start(self):
        if self._dask:
            s = self._y_sums
            return np.array([self._link(float(s[3] / s[2]) if s[2] > 0 else 0.5)])
        w = self.weights
        ybar = float(np.average(self.endog, weights=w)) if w is None or w.sum() > 0 else 0.5
        return np.array([self._link(ybar)])

    def _split_null(self, x):
        return x, 0.0, None


def _inverse(A):
    """Inverse of an SPD matrix (Cholesky); a warning and the pseudo-inverse otherwise."""
    try:
        L = np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        warnings.warn("the negative Hessian is not positive definite at the estimate: the covariance "
                      "is a pseudo-inverse and the standard errors are unreliable", RuntimeWarning,
                      stacklevel=3)
        return np.linalg.pinv(0.5 * (A + A.T))
    Linv = np.linalg.inv(L)
    return Linv.T @ Linv


class Logit(_Model):
    """Logistic regression (Bernoulli response, logit link) by maximum likelihood.

    ``fastmle.Logit(endog, exog, offset=None, weights=None)``: statsmodels'
    ``Logit`` interface (add the constant column yourself, e.g. with
    ``statsmodels.api.add_constant``), plus frequency ``weights`` (a row of
    weight k counts as k identical rows).

    Parameters
    ----------
    endog : array_like
        0/1 response (float, int or bool); other values raise ValueError.
    exog : array_like
        (n, p) design matrix; float32 is read without a copy. A pandas
        DataFrame keeps its column names in the results.
    offset : array_like, optional
        Added to the linear predictor.
    weights : array_like, optional
        Non-negative frequency weights.
    n_threads : int, optional
        Kernel threads (default: all available cores, or OMP_NUM_THREADS).

    Notes
    -----
    Per row ``ll = y eta - log(1 + exp(eta))`` computed as
    ``y eta - max(eta, 0) - log1p(exp(-|eta|))`` (no overflow). Perfect
    separation (the MLE does not exist) ends the fit with a
    ``PerfectSeparationWarning`` and ``converged=False``.
    """

    _family = "logit"
    _name = "Logit"

    def __init__(self, endog, exog, offset=None, weights=None, n_threads=None, _intercept=False):
        super().__init__(endog, exog, offset=offset, weights=weights, n_threads=n_threads, _intercept=_intercept)

    def _check_endog(self, y, n_nonint, lo, hi):
        if n_nonint or lo < 0.0 or hi > 1.0:
            bad = y[(y != 0.0) & (y != 1.0)][0]
            raise ValueError(f"endog must be 0 or 1 for Logit, found {bad}")

    def _link(self, mean):
        mean = min(max(mean, 1e-10), 1 - 1e-10)
        return math.log(mean / (1.0 - mean))

    def _mean(self, eta):
        e = np.exp(-np.abs(eta))
        return np.where(eta >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def _stopper(self):
        runs = {"n": 0}

        def stop(x, ll, extra, it):
            # rows fitted exactly (probability 0 or 1 in float64) for three
            # iterations in a row while Newton still moves: the coefficients
            # are running off to infinity (separation), not converging
            runs["n"] = runs["n"] + 1 if extra[3] > 0 else 0
            if runs["n"] >= 3:
                return "perfect separation: fitted probabilities of 0 or 1"
            return None
        return stop


class Poisson(_Model):
    """Poisson regression (log link) by maximum likelihood.

    ``fastmle.Poisson(endog, exog, offset=None, exposure=None, weights=None)``:
    statsmodels' ``Poisson`` interface plus frequency ``weights``.
    ``exposure`` enters as ``log(exposure)`` added to the offset.

    Parameters
    ----------
    endog : array_like
        Non-negative counts (integers; negative or fractional values raise
        ValueError).
    exog : array_like
        (n, p) design matrix (float32 read without a copy; pandas names kept).
    offset, exposure, weights : array_like, optional
    n_threads : int, optional

    Notes
    -----
    ``ll = y eta - exp(eta) - lgamma(y + 1)``; the last term is summed once.
    """

    _family = "poisson"
    _name = "Poisson"

    def __init__(self, endog, exog, offset=None, exposure=None, weights=None, n_threads=None, _intercept=False):
        super().__init__(endog, exog, offset=offset, exposure=exposure, weights=weights, n_threads=n_threads,
                         _intercept=_intercept)

    def _check_endog(self, y, n_nonint, lo, hi):
        if lo < 0.0:
            raise ValueError(f"endog must be non-negative counts, found {y[y < 0][0]}")
        if n_nonint:
            raise ValueError(f"endog must be integer counts, found {y[y != np.floor(y)][0]}")

    def _data_constant(self):
        # -sum w log(y!): through the counts of each value (one bincount
        # instead of an lgamma per row: 2 ms against 43 ms at N = 1e6)
        if self._dask:
            return float(sum(self._rows.map(_poisson_constant_chunk)))
        y, w = self.endog, self.weights
        top = float(y.max())
        if top <= 4.0 * y.shape[0] + 1024:
            counts = np.bincount(y.astype(np.intp), weights=w)
            return -float(counts @ lgamma(np.arange(counts.shape[0]) + 1.0))
        lg = lgamma(y + 1.0)
        return -float(lg @ w) if w is not None else -float(lg.sum())

    def _link(self, mean):
        return math.log(max(mean, 1e-10))

    def _mean(self, eta):
        return np.exp(eta)


class NegativeBinomial(Poisson):
    """Negative binomial regression NB2 (log link, ``Var = mu + alpha mu**2``).

    ``fastmle.NegativeBinomial(endog, exog, offset=None, exposure=None,
    weights=None)``: statsmodels' ``NegativeBinomial(loglike_method="nb2")``;
    the dispersion ``alpha`` is estimated jointly and is the last entry of
    ``params`` (named ``alpha``), its standard error from the Hessian in
    alpha, as in statsmodels.

    Notes
    -----
    ``ll = lgamma(y + 1/alpha) - lgamma(1/alpha) - lgamma(y + 1)
    + (1/alpha) log(1/(1 + alpha mu)) + y log(alpha mu/(1 + alpha mu))``,
    with ``lgamma(y + r) - lgamma(r)`` summed as ``sum_{k<y} log(r + k)``
    for counts below 16 (no cancellation as alpha -> 0). Newton runs in
    ``(beta, log alpha)`` from the Poisson fit.
    """

    _family = "nb2"
    _name = "NegativeBinomial"
    _k_extra = 1

    def __init__(self, endog, exog, offset=None, exposure=None, weights=None, n_threads=None):
        super().__init__(endog, exog, offset=offset, exposure=exposure, weights=weights, n_threads=n_threads)
        self._exog_names = self._exog_names + ["alpha"]

    def _split(self, x):
        return x[:-1], math.exp(min(float(x[-1]), 700.0)), x[-1]

    _split_null = _split

    def _stopper(self):
        def stop(x, ll, extra, it):
            # Newton in log(alpha) walks off to -inf when the data are not
            # overdispersed: the maximum is on the boundary alpha = 0 (Poisson)
            if x[-1] < math.log(1e-10):
                return ("alpha -> 0: the data show no overdispersion; the maximum is on the boundary "
                        "alpha = 0 (the Poisson model)")
            return None
        return stop

    def _to_internal(self, params):
        if not params[-1] > 0:
            raise ValueError("alpha (the last start parameter) must be positive")
        return np.append(params[:-1], math.log(params[-1]))

    def _default_start(self, l2):
        # the Poisson fit (same kernel), then alpha from the moments of its residuals
        pois = Poisson(self.endog, self.exog, offset=self._off, weights=self.weights, n_threads=self.n_threads)
        pois._exog_names = self._exog_names[:-1]
        beta0 = Poisson._default_start(pois, l2)
        ev = pois._evaluator(self.exog, self.endog, self.weights, self._off, l2, 0.0)
        with np.errstate(all="ignore"):
            res = newton(ev, beta0, self.nobs, maxiter=50, tol=1e-6)
        beta = res.x if np.all(np.isfinite(res.x)) else beta0
        eta = self.predict(beta, which="linear")
        mu = np.exp(np.minimum(eta, 700.0))
        w = self.weights if self.weights is not None else np.ones_like(mu)
        alpha0 = float(w @ ((self.endog - mu) ** 2 - mu)) / max(float(w @ (mu * mu)), 1e-300)
        alpha0 = min(max(alpha0, 0.05), 100.0)
        return np.append(beta, math.log(alpha0))

    def _natural(self, x, A, extra):
        # back from (beta, log alpha) to (beta, alpha): params and the Hessian in alpha
        p = self.k_exog
        beta, alpha, _ = self._split(x)
        A_nat = A.copy()
        A_nat[:p, p] = A_nat[p, :p] = A[:p, p] / alpha
        A_nat[p, p] = -extra[2]
        return np.append(beta, alpha), _inverse(A_nat)

    def _null_start(self):
        w = self.weights
        ybar = float(np.average(self.endog, weights=w))
        var = float(np.average((self.endog - ybar) ** 2, weights=w))
        alpha0 = min(max((var - ybar) / max(ybar * ybar, 1e-300), 0.05), 100.0)
        return np.array([self._link(ybar), math.log(alpha0)])


class GaussianLM(_Model):
    """Linear regression with Gaussian errors by maximum likelihood (closed form).

    ``fastmle.GaussianLM(endog, exog, offset=None, weights=None)``. The
    coefficients solve the normal equations ``X^T W X beta = X^T W (y -
    offset)`` (one kernel pass builds both sides, one more refines the
    solution and sums the residuals); ``scale`` is the MLE of the error
    variance ``sum w r**2 / sum w`` and ``bse`` are the MLE standard errors
    ``sqrt(diag(scale (X^T W X)^-1))`` -- statsmodels' OLS divides by the
    residual degrees of freedom instead (bse larger by ``sqrt(n/(n-p))``).
    ``weights`` are frequency weights (statsmodels' WLS weights give the
    same coefficients). ``aic``/``bic`` count the variance as a parameter.
    """

    _family = "gaussian"
    _name = "GaussianLM"

    def __init__(self, endog, exog, offset=None, weights=None, n_threads=None):
        super().__init__(endog, exog, offset=offset, weights=weights, n_threads=n_threads)

    def fit(self, start_params=None, method="newton", maxiter=None, tol=1e-8, l2=0.0, disp=False,
            warn_convergence=True, n_threads=None):
        """Solve the normal equations (``method``, ``maxiter``, ``tol`` and
        ``start_params`` are accepted for interface compatibility; the
        solution is closed-form). ``l2 > 0`` gives the ridge (MAP) solution.

        Returns
        -------
        RegressionResults
        """
        if n_threads is not None:
            self.n_threads = resolve_n_threads(n_threads)
        l2 = float(l2)
        if not (l2 >= 0.0 and math.isfinite(l2)):
            raise ValueError(f"l2 must be a non-negative number, got {l2}")
        X, y, w, off = self.exog, self.endog, self.weights, self._off
        p = self.k_exog
        pen = np.full(p, l2)
        pen[self._const] = 0.0
        beta = np.zeros(p)
        s, g, _, A = self._kernel(X, y, w, off, beta, 0.0, 2, const_col=-1 if self._const_verified
                                  else self._const[0])
        if self._verify_const(s[4]):
            return self.fit(start_params, method, maxiter, tol, l2, disp, warn_convergence, n_threads)
        if not (np.all(np.isfinite(g)) and np.all(np.isfinite(A))):
            check_finite(X, self.exog_names[self._implicit:])
        if l2 == 0.0:
            _collinearity_check(A, self.exog_names)
        A = A + np.diag(pen)
        L = np.linalg.cholesky(A)
        beta = np.linalg.solve(L.T, np.linalg.solve(L, g))
        # one refinement step on the residuals at beta (the normal equations
        # formed from sums lose digits when y is far from its fit)
        s, g, _, _ = self._kernel(X, y, w, off, beta, 0.0, 1)
        beta = beta + np.linalg.solve(L.T, np.linalg.solve(L, g - pen * beta))
        s, _, _, _ = self._kernel(X, y, w, off, beta, 0.0, 0)
        rss = -2.0 * s[0]
        self.scale_ = scale = rss / self.nobs
        cov = scale * _inverse(A)
        llf = -0.5 * self.nobs * (math.log(2.0 * math.pi * scale) + 1.0)
        if l2 > 0:
            llf = -0.5 * self.nobs * math.log(2.0 * math.pi * scale) - 0.5 * rss / scale
        retvals = {"converged": True, "iterations": 1, "fcalls": 3, "message": "normal equations",
                   "method": "normal equations"}
        res = RegressionResults(self, beta, cov, llf, True, 1, retvals, "normal equations", l2)
        res.scale = scale
        return res

    def loglike(self, params, scale=None):
        """Log-likelihood at ``params``; ``scale`` (variance) defaults to its MLE given params."""
        beta = np.asarray(params, dtype=float)
        s = self._kernel(self.exog, self.endog, self.weights, self._off, beta, 0.0, 0)[0]
        rss = -2.0 * s[0]
        if scale is None:
            scale = rss / self.nobs
        return -0.5 * self.nobs * math.log(2.0 * math.pi * scale) - 0.5 * rss / scale

    def _llnull(self):
        # intercept-only Gaussian model: the weighted mean of y - offset
        w = self.weights
        yc = self.endog - (self._off if self._off is not None else 0.0)
        mean = float(np.average(yc, weights=w))
        sq = (yc - mean) ** 2
        rss = float(sq @ w) if w is not None else float(sq.sum())
        return -0.5 * self.nobs * (math.log(2.0 * math.pi * rss / self.nobs) + 1.0)

    _k_extra_aic = 1     # the variance counts in aic/bic
