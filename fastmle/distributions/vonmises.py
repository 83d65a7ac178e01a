"""``vonmises(kappa, loc, scale)``: circular mean and a scalar root, from one pass."""
import math

import numpy as np

from .. import _families
from .._config import threads_for
from .._results import FitResult
from ._base import FitSpec
from ._family import LocScaleFamily
from ._base import active_prior

_ASY_FROM = 30.0


def bessel_i0e_i1e(kappa):
    """Exponentially scaled modified Bessel functions ``(I0(k) e^-k, I1(k) e^-k)``.

    Power series below ``k = 30`` (positive terms: relative error a few
    ulps), Hankel's asymptotic expansion above it (truncated at its
    smallest term, below 1e-17 there; the omitted exponentially small part
    is ``e^-2k < 1e-26``). Agrees with ``scipy.special.i0e``/``i1e`` to ~1e-15.

    Parameters
    ----------
    kappa : float
        ``kappa >= 0``.

    Returns
    -------
    (float, float)
    """
    k = float(kappa)
    if not k >= 0:
        raise ValueError(f"kappa must be >= 0, got {kappa!r}")
    if k == math.inf:
        return 0.0, 0.0
    if k < _ASY_FROM:
        q = 0.25 * k * k
        t0 = s0 = 1.0
        t1 = s1 = 1.0
        j = 0
        while True:
            j += 1
            t0 *= q / (j * j)
            t1 *= q / (j * (j + 1))
            s0 += t0
            s1 += t1
            if t0 <= 1e-17 * s0:
                break
        e = math.exp(-k)
        return s0 * e, 0.5 * k * s1 * e
    out = []
    for nu4 in (0.0, 4.0):          # 4 nu^2 for nu = 0, 1
        term = total = 1.0
        m = 0
        while True:
            m += 1
            nxt = -term * (nu4 - (2 * m - 1) ** 2) / (8.0 * m * k)
            if abs(nxt) >= abs(term) or abs(nxt) < 1e-17 * abs(total):
                total += nxt if abs(nxt) < abs(term) else 0.0
                break
            term = nxt
            total += term
        out.append(total / math.sqrt(2.0 * math.pi * k))
    return out[0], out[1]


def bessel_ratio(kappa):
    """``A(k) = I1(k) / I0(k)`` (the mean resultant length of a von Mises)."""
    i0, i1 = bessel_i0e_i1e(kappa)
    return i1 / i0


def _kappa_mle(r):
    """Root of ``A(k) = r``: the kappa MLE given the mean resultant length ``r``.

    Follows scipy's conventions at the ends: ``r <= 0`` (no root; the
    likelihood is maximal at kappa = 0) gives the smallest positive float,
    ``r == 1`` (all observations equal) gives 1e16. In between, Newton on
    ``log k`` from the bracket ``r / (1 - r^2) <= k <= 2 r / (1 - r^2)``
    (Amos 1973; scipy uses the same bracket), safeguarded by bisection.
    """
    r = float(r)
    if r <= 0:
        return float(np.finfo(float).tiny)
    if r >= 1:
        return 1e16
    lo = r / (1.0 - r) / (1.0 + r)
    hi = 2.0 * lo
    if bessel_ratio(lo) >= r:
        return lo
    if bessel_ratio(hi) <= r:
        return hi
    k = math.sqrt(lo * hi)
    for _ in range(100):
        a = bessel_ratio(k)
        f = a - r
        if f > 0:
            hi = k
        else:
            lo = k
        da = 1.0 - a / k - a * a        # A'(k) > 0
        k_new = k - f / da if da > 0 else 0.5 * (lo + hi)
        if not lo < k_new < hi:
            k_new = 0.5 * (lo + hi)
        if abs(k_new - k) <= 4e-16 * k:
            return k_new
        k = k_new
    return k


class VonMises(LocScaleFamily):
    """von Mises distribution, ``scipy.stats.vonmises`` parametrization.

    Density ``exp(kappa cos z) / (2 pi I0(kappa))`` of ``z = (x - loc) /
    scale`` (circular: any real x). Like scipy's ``vonmises.fit``:

    - the data are angles: ``loc`` is the circular mean (``atan2`` of the
      sums of sines and cosines), returned wrapped into ``[-pi, pi]``, even
      when fixed by ``floc`` (scipy wraps it too);
    - ``kappa`` solves ``I1(kappa) / I0(kappa) = r``, ``r`` the mean of
      ``cos(x - loc)``; ``r <= 0`` gives the smallest positive float and
      ``r = 1`` gives 1e16 (scipy's conventions);
    - the scale is always 1: ``fscale`` and guesses are ignored, as in scipy.

    One kernel pass (sine and cosine sums) does it all; a second pass about
    the mean only when the data are so concentrated (``1 - r < 1e-4``) that
    ``1 - r`` would lose digits. ``method="MM"`` raises: moments of the real
    line are not meaningful for angles.
    """

    name = "vonmises"
    shapes = ("kappa",)
    positive = ()

    def _constant(self, shapes):
        k = shapes[0]
        i0, i1 = bessel_i0e_i1e(k)
        a = i1 / i0
        da = 1.0 - a / k - a * a if k > 0 else 0.5
        # log I0(k) = log i0e(k) + k; the kernel carries k (cos z - 1)
        return -math.log(2.0 * math.pi * i0), np.array([1.0 - a]), np.array([[-da]])

    def _std_moments(self, shapes):
        raise ValueError("vonmises: method='MM' is not available: the data are angles, and moments "
                         "on the real line do not identify a circular distribution; use the MLE "
                         "(the circular mean and mean resultant length)")

    def _initial(self, data, summary, spec):
        return (1.0,), 0.0, 1.0

    def _quick_fit(self, x, kwds, n_threads):
        # the default call: one kernel pass straight on the array; anything
        # unusual (keywords, non-finite data, very concentrated data) takes
        # the validating path
        if kwds:
            return None
        s = _families.sums(x, None, "vonmises", np.array([0.0, 1.0, 1.0]),
                           n_threads=threads_for(x.shape[0], n_threads))
        n, C, S = float(s[0]), float(s[2] + s[0]), float(-s[3])
        if not (math.isfinite(C) and math.isfinite(S)):
            return None
        r = math.hypot(C, S) / n
        if not 1e-4 <= 1.0 - r:
            return None
        loc = float(np.mod(math.atan2(S, C) + np.pi, 2 * np.pi) - np.pi)
        return _kappa_mle(r), loc, 1.0

    def _trig_sums(self, data, loc):
        """(n, sum cos(x - loc), sum sin(x - loc), sum (cos(x - loc) - 1)): one pass."""
        s = data.reduce(_families.sums, "vonmises", np.array([loc, 1.0, 1.0]))
        # block sums at kappa = 1, scale = 1: [n, lg, g_kappa = cos z - 1, g_z = -sin z, ...]
        return s[0], s[2] + s[0], -s[3], s[2]

    def _parse_fit_args(self, args, kwds, guesses=None, defaults=True):
        kwds = dict(kwds)
        spec = super()._parse_fit_args(args, kwds, guesses, defaults)
        return spec

    def _check_spec(self, spec, defaults=True):
        if "scale" in spec.fixed and len(spec.fixed) < 3:
            # scipy: "fscale is ignored ... the scale is always 1" (only all
            # three fixed is an error)
            del spec.fixed["scale"]
        spec = super()._check_spec(spec, defaults)
        if "kappa" in spec.fixed and not spec.fixed["kappa"] >= 0:
            raise ValueError(f"fixed kappa must be >= 0, got {spec.fixed['kappa']}")
        return spec

    def _fit(self, data, spec):
        if active_prior(spec):
            raise NotImplementedError(f"vonmises: priors are not supported yet: its MLE is the circular mean and a scalar root for kappa, in closed form, not found by the Newton iteration a prior enters")
        if spec.method == "mm":
            self._std_moments(None)
        summary = data.check_finite()
        if "loc" in spec.fixed:
            loc = spec.fixed["loc"]
            n, C, S, _ = self._trig_sums(data, loc)
            r = C / n
            if 1.0 - r < 1e-4 and "kappa" not in spec.fixed:
                r = 1.0 + self._trig_sums(data, loc)[3] / n
        else:
            n, C, S, _ = self._trig_sums(data, 0.0)
            loc = math.atan2(S, C)
            r = math.hypot(C, S) / n
            if 1.0 - r < 1e-4 and "kappa" not in spec.fixed:
                # concentrated data: 1 - r from sum(cos(x - mean) - 1), no cancellation
                n, C2, S2, cm1 = self._trig_sums(data, loc)
                loc += math.atan2(S2, C2)
                r = 1.0 + self._trig_sums(data, loc)[3] / n
        kappa = spec.fixed["kappa"] if "kappa" in spec.fixed else _kappa_mle(r)
        loc = float(np.mod(loc + np.pi, 2 * np.pi) - np.pi)
        params = np.array([kappa, loc, 1.0])
        ll, _, H = self._evaluate(data, params)
        if not np.isfinite(ll):
            raise ValueError(f"vonmises: non-finite log-likelihood at {tuple(params)}")
        # scale is held at 1 by definition (not estimated) and a fixed loc is
        # returned wrapped: both count as fixed (df_model, AIC, summary)
        fixed = {name: value for name, value in (("kappa", kappa), ("loc", loc)) if name in spec.fixed}
        fixed["scale"] = 1.0
        message = "closed form (circular mean) and a scalar root for kappa"
        boundary = ()
        if r <= 0 and "kappa" not in spec.fixed:
            message = ("the mean resultant length about loc is <= 0: the likelihood is maximal at "
                       "kappa = 0; kappa is the smallest positive float (scipy's convention)")
            boundary = ("kappa",)
        elif r >= 1 and "kappa" not in spec.fixed:
            message = "all observations are equal (as angles): kappa is 1e16 (scipy's convention)"
            boundary = ("kappa",)
        return FitResult(self, params, fixed, ll, summary.sum_w, H, True, message, 0, 0.0,
                         boundary=boundary, data=data)

    def _fit_censored(self, sample, spec):
        # the scale is 1 here too (fscale is dropped by _check_spec as scipy
        # ignores it); loc is not wrapped: censoring bounds are read on the
        # circle cut at loc +- pi (vonmises_lcdf), which moves with loc
        fixed = dict(spec.fixed, scale=1.0)
        return super()._fit_censored(sample, FitSpec(dict(spec.guesses), fixed, spec.method, spec.freed,
                                                     spec.bounds))

    def loglike_at(self, data, params):
        kappa, loc, scale = (float(v) for v in params)
        if not (kappa >= 0 and scale > 0):
            return -np.inf
        ll = self._evaluate(data, params)[0]
        return ll if not math.isnan(ll) else -np.inf


vonmises = VonMises()
