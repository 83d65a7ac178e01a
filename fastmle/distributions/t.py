"""``t(df, loc, scale)``: Student's t on the family kernel."""
import math

import numpy as np

from .. import _special
from ._base import FitSpec, fit_objective
from ._family import LocScaleFamily, sample_quantiles
from ._realline import best_of_loc_starts, robust_loc_transform, check_not_all_equal, quietly
from ._charts import CHARTS
from .._results import FitResult

#: Beyond this df the t log-likelihood is the normal one to ~1e-10 per
#: observation: a df estimate past it means the MLE runs off to infinity.
DF_NORMAL_LIMIT = 1e5
#: The df reported for the normal limit (scipy's Nelder-Mead ends at some
#: df ~ 1e10-1e13 there; at 1e12 the t and normal likelihoods agree to ~1e-12
#: per observation).
DF_INFINITE = 1e12


# Start values: t.ppf(0.9, df) / t.ppf(0.75, df) and t.ppf(0.75, df) on a df
# grid (scipy.stats.t, 6 digits: they only place the start).
_DF_GRID = np.array([0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0])
_RATIO_90_75 = np.array([449.752583, 97.74644, 21.400507, 10.167209, 6.609922, 4.173806, 3.077684,
                         2.517089, 2.309401, 2.141144, 2.030977, 1.960789, 1.919303, 1.905714])
_Q75 = np.array([20.79716, 7.68139, 3.027337, 1.975227, 1.553774, 1.200331, 1.0, 0.872595, 0.816497,
                 0.764892, 0.726687, 0.699812, 0.682756, 0.676951])


def _lgamma_half_diff(x):
    """``lgamma(x + 1/2) - lgamma(x) - log(x)/2`` for x >= 50 (asymptotic
    series; the terms left off are below 1e-18 there)."""
    v = 1.0 / x
    v2 = v * v
    return v * (-1.0 / 8 + v2 * (1.0 / 192 + v2 * (-1.0 / 640 + v2 * 17.0 / 14336)))


#: With every parameter free and a start df above this, the fit runs in the
#: limit chart (1/df, loc, scale) where the normal limit df -> inf is an
#: ordinary point (see ``_charts``).
CHART_ABOVE_DF = 10.0

class T(LocScaleFamily):
    """Student's t distribution, ``scipy.stats.t`` parametrization.

    Log density ``c(df) - (df + 1)/2 log(1 + z^2/df)``, ``z = (x - loc)/scale``.

    Notes
    -----
    * Heavy tails (small ``df``) make the likelihood multimodal in loc:
      samples fitted directly (up to ~1.3e5 rows; larger ones start from a
      subsample's fit) are fitted from the median and both quartiles and
      the best optimum is kept; when the scale is far below the
      interquartile range (a fixed tiny scale, or df << 1), the modes near
      up to 256 observations are compared as well. A fit that collapses
      onto tied observations (the likelihood is unbounded as scale -> 0)
      raises a ValueError.
    * Data that look normal: the df MLE runs off to infinity (the normal
      limit). A fit whose df passes 1e5 is compared with the normal limit
      (df = 1e12, loc/scale refitted there) and the better is returned; the
      result's message says so and ``df`` is listed in ``boundary``.
    * The constant ``c(df)`` and its derivatives use the asymptotic series
      of ``lgamma(x + 1/2) - lgamma(x)`` for df > 100 (no cancellation).
    * ``method="MM"`` moments: the mean exists for df > 1, the variance for
      df > 2 (infinite for 1 < df <= 2), the skewness for df > 3, the
      kurtosis for df > 4 (infinite for 2 < df <= 4); undefined ones are NaN
      (the mean for df <= 1 is inf),
      as ``scipy.stats.t.stats``.
    """

    name = "t"
    shapes = ("df",)
    positive = ("df",)

    def _kernel_params(self, shapes):
        return [shapes[0], 1.0 / shapes[0]]

    def _constant(self, shapes):
        nu = shapes[0]
        if nu > 100.0:
            # x = nu/2: c0 = -log(2 pi)/2 + S(x), c1 = D(x)/2, c2 = E(x)/4 with
            # the leading terms cancelled analytically
            x = 0.5 * nu
            v = 1.0 / x
            v2 = v * v
            c0 = -0.5 * math.log(2.0 * math.pi) + _lgamma_half_diff(x)
            d = v2 * (1.0 / 8 + v2 * (-1.0 / 64 + v2 * (1.0 / 128 - v2 * 17.0 / 2048)))
            e = v2 * v * (-1.0 / 4 + v2 * (1.0 / 16 + v2 * (-3.0 / 64 + v2 * 17.0 / 256)))
            return c0, np.array([0.5 * d]), np.array([[0.25 * e]])
        c0 = (_special.lgamma(0.5 * (nu + 1)) - _special.lgamma(0.5 * nu)
              - 0.5 * math.log(nu * math.pi))
        c1 = 0.5 * (_special.digamma(0.5 * (nu + 1)) - _special.digamma(0.5 * nu)) - 0.5 / nu
        c2 = 0.25 * (_special.trigamma(0.5 * (nu + 1)) - _special.trigamma(0.5 * nu)) + 0.5 / nu ** 2
        return c0, np.array([c1]), np.array([[c2]])

    def _natural_map(self, params):
        # t_lcdf (src/families/t.h) reads P = [df, 1/df, c0, c1]: the density
        # at 0 and its df-derivative give its z-derivatives
        nm = super()._natural_map(params)
        c0, c1, _ = nm.const
        return nm._replace(P=list(nm.P) + [float(c0), float(c1[0])])

    def _initial(self, data, summary, spec):
        check_not_all_equal(self, summary, spec)
        # Quantiles, not moments: heavy tails make the sample moments
        # meaningless. The ratio of the 90% to the 75% quantile of a t
        # (about loc) falls from 450 (df = 0.15) to 1.91 (normal) and gives
        # df; the interquartile range then gives the scale. A start at the
        # right tail weight keeps Newton out of the spikes of tiny scale that
        # a t likelihood with small df has near single observations.
        q10, q25, q50, q75, q90 = sample_quantiles(data, [0.1, 0.25, 0.5, 0.75, 0.9])
        if "df" in spec.fixed:
            df = spec.fixed["df"]
        else:
            ratio = (q90 - q10) / (q75 - q25) if q75 > q25 else math.inf
            df = float(np.exp(np.interp(-ratio, -_RATIO_90_75, np.log(_DF_GRID))))
        half_iqr = 0.5 * (q75 - q25)
        if not half_iqr > 0:
            half_iqr = math.sqrt(summary.var)
        loc = spec.fixed.get("loc", q50)
        if "loc" in spec.fixed:
            half_iqr = max(half_iqr, abs(q50 - loc))
        scale = half_iqr / float(np.exp(np.interp(math.log(df), np.log(_DF_GRID), np.log(_Q75)))) \
            if df <= _DF_GRID[-1] else half_iqr / _Q75[-1]
        return (df,), q50, scale

    def _problem(self, data, spec):
        return robust_loc_transform(self, super()._problem(data, spec))

    def _limit_chart(self, start, data, spec=None):
        return CHARTS["t"] if start[0] >= CHART_ABOVE_DF else None

    def _mm_start(self, data, summary, spec):
        # The method of moments matches k raw moments (k free parameters),
        # which exist only for df > k: a quantile start below that (heavy
        # sample tails, or weights shifting a quantile) could not even be
        # evaluated, so df starts just inside the region where it can (a
        # df guess given by the caller is used as given, as scipy does).
        start = super()._mm_start(data, summary, spec)
        k = len(self.param_names) - len(spec.fixed)
        if "df" not in spec.fixed and "df" not in spec.guesses and not start[0] > k:
            start[0] = k + 1.0
        return start

    def _std_moments(self, shapes):
        df = shapes[0]
        mean = 0.0 if df > 1 else math.inf     # scipy.stats.t.stats says inf
        var = df / (df - 2.0) if df > 2 else (math.inf if df > 1 else math.nan)
        skew = 0.0 if df > 3 else math.nan
        kurt = 6.0 / (df - 4.0) if df > 4 else (math.inf if df > 2 else math.nan)
        return mean, var, skew, kurt

    def _fit(self, data, spec):
        result = quietly(best_of_loc_starts, self, super()._fit, data, spec)
        if spec.method != "mle" or "df" in spec.fixed or not result.params[0] > DF_NORMAL_LIMIT:
            return result
        if "chart" in result.mle_retvals:
            # fitted in the limit chart: a df past DF_NORMAL_LIMIT there is
            # either a regular maximum or the limit itself, and said so
            if "limit" in result.mle_retvals:
                result.message = (f"the df MLE runs off to infinity (the data look normal): the estimate "
                                  f"is the normal limit, reported as df = {result.params[0]:.3g}; loc and "
                                  f"scale are the normal MLE there")
            return result
        return self._normal_limit(data, spec, result)

    def _normal_limit(self, data, spec, result):
        """The df MLE ran off towards infinity: compare with df = 1e12 (loc
        and scale maximized there) and keep the better."""
        summary = data.check_finite()
        loc = spec.fixed.get("loc", summary.mean)
        scale = spec.fixed.get("scale", math.sqrt(summary.var + (summary.mean - loc) ** 2))
        fixed = dict(spec.fixed, df=DF_INFINITE)
        if all(n in fixed for n in self.param_names) or not scale > 0:
            lim = None
        else:
            sub = FitSpec({k: v for k, v in (("loc", loc), ("scale", scale)) if k not in fixed},
                          fixed, "mle", spec.freed, prior=spec.prior)
            lim = quietly(super()._fit, data, sub)
        return self._limit_result(result, lim, spec, data)

    def _fit_censored(self, sample, spec):
        # as for exact data: a df running off to infinity is compared with
        # the normal limit (df = 1e12, loc and scale maximized there)
        result = super()._fit_censored(sample, spec)
        if spec.method != "mle" or "df" in spec.fixed or not result.params[0] > DF_NORMAL_LIMIT:
            return result
        fixed = dict(spec.fixed, df=DF_INFINITE)
        lim = None
        if not all(n in fixed for n in self.param_names):
            try:
                lim = quietly(super()._fit_censored, sample, FitSpec({}, fixed, "mle", spec.freed,
                                                                      prior=spec.prior))
            except ValueError:
                lim = None
        return self._limit_result(result, lim, spec, sample)

    def _limit_result(self, result, lim, spec, data):
        """The better of the fit whose df ran off and its normal limit ``lim``."""
        # with a prior on df, the normal limit carries its log density at df = 1e12
        if lim is None or not fit_objective(self, spec, lim) > fit_objective(self, spec, result):
            params, llf, H, base = tuple(result.params), result.llf, result._hessian, result
        else:
            params, llf, H, base = tuple(lim.params), lim.llf, lim._hessian, lim
        msg = (f"the df MLE runs off to infinity (the data look normal): the estimate is the normal "
               f"limit, reported as df = {params[0]:.3g}; loc and scale are the normal MLE there")
        # the supremum is not attained (df = inf): not "converged", as for
        # the other boundary limits of the driver
        return FitResult(self, params, spec.fixed, llf, result.nobs, H, False, msg,
                         result.n_iter + (lim.n_iter if lim is not None else 0), base.grad_norm,
                         boundary=("df",), data=data, mle_retvals=base.mle_retvals)


t = T()
