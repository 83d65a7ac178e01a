"""``gumbel_r(loc, scale)``: the right-skewed Gumbel (maximum extreme value)."""
import math

import numpy as np

from ._family import LocScaleFamily
from ._realline import check_not_all_equal, quick_newton_m0, quick_start

EULER_GAMMA = 0.57721566490153286061
#: skewness of the standard gumbel_r: 12 sqrt(6) zeta(3) / pi^3
GUMBEL_SKEW = 1.1395470994046486575


def _log_mean_exp_parts(x, w, factor):
    """(top, sum w exp(v - top), sum w) of ``v = factor * x`` over one chunk."""
    v = factor * np.asarray(x, dtype=float)
    top = float(v.max())
    e = np.exp(v - top)
    return top, float(e.sum() if w is None else e @ w), float(x.shape[0] if w is None else w.sum())


class GumbelR(LocScaleFamily):
    """Right-skewed Gumbel distribution, ``scipy.stats.gumbel_r``
    parametrization: log density ``-log(scale) - z - exp(-z)``.

    Notes
    -----
    Given the scale, the loc MLE is closed form,
    ``loc = -scale log(mean(exp(-x/scale)))`` (a log-mean-exp, exact for any
    scale): it is the answer with ``fscale`` and the start otherwise (scale
    from the moments, sd sqrt(6)/pi). Samples up to 4096 rows skip the general driver: a
    scalar Newton iteration on the C kernel's sums (see
    ``_realline.quick_newton_m0``); larger ones, weights and unusual
    arguments take the shared driver (warm-started from a subsample).
    """

    name = "gumbel_r"
    _sign = 1.0

    def _quick_fit(self, x, kwds, n_threads):
        start = quick_start(x, kwds)
        if start is None:
            return None     # NaN/inf data, unusual arguments: the validating path explains
        floc, fscale, mean = start
        if fscale is not None:
            # loc given the scale is closed form (no overflow for any scale)
            loc = self._loc_given_scale([(x, None)], fscale)
            return (loc, fscale) if math.isfinite(loc) else None
        sd = float(np.std(x)) if floc is None else math.sqrt(float(np.mean((x - floc) ** 2)))
        scale0 = sd * math.sqrt(6.0) / math.pi
        loc0 = mean - self._sign * EULER_GAMMA * scale0 if floc is None else floc
        return quick_newton_m0(self.name, x, loc0, scale0, floc, fscale, 0.0)

    def _loc_given_scale(self, chunks, s):
        """The loc MLE for a given scale: ``loc = -s log(mean(exp(-x/s)))``
        (gumbel_r; x -> -x for gumbel_l), a log-mean-exp taken about its
        largest term so that no exponential overflows, even for a tiny s."""
        sg = self._sign
        # chunk by chunk (out-of-core data hold one chunk at a time; Dask
        # data compute where they live), each about its own largest term,
        # rescaled to the overall largest
        parts = chunks.map(_log_mean_exp_parts, -sg / s) if hasattr(chunks, "map") else \
            [_log_mean_exp_parts(x, w, -sg / s) for x, w in chunks]
        top = max(p[0] for p in parts)
        num = sum(p[1] * math.exp(p[0] - top) for p in parts)
        den = sum(p[2] for p in parts)
        return -sg * s * (top + math.log(num / den))

    def _initial(self, data, summary, spec):
        check_not_all_equal(self, summary, spec)
        loc = spec.fixed.get("loc")
        scale = spec.fixed.get("scale")
        if scale is None:
            m2 = summary.var if loc is None else summary.var + (summary.mean - loc) ** 2
            scale = math.sqrt(6.0 * m2) / math.pi or 1.0
        if loc is None:
            # closed form given the scale: exact when the scale is fixed, and
            # a start with no overflowing exp(-z) otherwise
            loc = self._loc_given_scale(data, scale)
        return (), loc, scale

    def _std_moments(self, shapes):
        return self._sign * EULER_GAMMA, math.pi ** 2 / 6.0, self._sign * GUMBEL_SKEW, 2.4


gumbel_r = GumbelR()
