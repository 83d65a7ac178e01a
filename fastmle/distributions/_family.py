"""Distributions built on the generic family kernel (``src/_family_loop.h``).

A family's C density (``src/families/<name>.h``) gives, per observation, the
log density of the standardized ``z = (x - loc) / scale`` and its derivatives
in (shapes, z); one OpenMP pass sums them. This module turns those sums into
the log-likelihood, gradient and Hessian in scipy's parameters (chain rule for
loc and scale, plus the z-free constant terms of the density) and runs the
shared driver. A subclass states the parameters, the constants, start values
and, where it wants them, closed forms and moments for ``method="MM"``.
"""
import math

import numpy as np

from .. import _families
from .._data import value_table
from .._optimize import Affine, Log
from ._base import Distribution, Problem

__all__ = ["LocScaleFamily", "ShapeFamily", "assemble_locscale", "assemble_shape", "sample_quantiles"]


def _unpack_tri(v, m):
    """Symmetric m x m matrix from its row-major packed upper triangle."""
    out = np.empty((m, m))
    k = 0
    for a in range(m):
        for b in range(a, m):
            out[a, b] = out[b, a] = v[k]
            k += 1
    return out


def assemble_locscale(s, m, scale, const=None):
    """Log-likelihood, gradient and Hessian in (shapes..., loc, scale).

    Parameters
    ----------
    s : ndarray
        A location-scale family's block sums (see ``src/_family_loop.h``).
    m : int
        Number of shape parameters.
    scale : float
    const : (c0, c1, c2), optional
        Per-observation constant of the log density and its gradient (m,) and
        Hessian (m, m) in the shapes; multiplied by ``sum(w)``.
    """
    ll, grad, hess = _families.assemble_locscale(s, m, scale)
    if const is not None:
        n = s[0]
        ll += n * const[0]
        if m:
            grad[:m] += n * np.asarray(const[1], dtype=float)
            hess[:m, :m] += n * np.asarray(const[2], dtype=float)
    return ll, grad, hess


def assemble_shape(s, m, const=None):
    """Log-likelihood, gradient and Hessian in the shapes from a shape family's sums."""
    n, ll = s[0], s[1]
    grad = np.array(s[2:2 + m], dtype=float)
    hess = _unpack_tri(s[2 + m:], m)
    if const is not None:
        c0, c1, c2 = const
        ll += n * c0
        grad += n * np.asarray(c1, dtype=float)
        hess += n * np.asarray(c2, dtype=float)
    return ll, grad, hess


def sample_quantiles(data, q, max_rows=1 << 15):
    """Weighted quantiles ``q`` of the data (of an evenly strided subsample
    of about ``max_rows`` rows for large data): robust start values."""
    sub = data.subsample(max_rows) if data.n_rows > max_rows else data
    x = np.concatenate([np.asarray(c, dtype=float) for c, _ in sub.chunks])
    if not sub.weighted:
        return np.quantile(x, q)
    w = np.concatenate([np.ones(c.shape[0]) if cw is None else cw for c, cw in sub.chunks])
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    return np.interp(np.asarray(q) * cw[-1], cw - 0.5 * w[order], x[order])


class LocScaleFamily(Distribution):
    """A shape-location-scale distribution computed by a family kernel.

    Subclasses set ``name`` (scipy's), ``shapes``, ``positive`` and
    ``family`` (the kernel name, default ``name``), and override:

    - ``_kernel_params(shapes)``: the parameter block ``P`` the C density
      reads (default: the shapes);
    - ``_constant(shapes)``: ``(c0, c1, c2)``, the z-free part of the log
      density with its gradient and Hessian in the shapes (default: zeros);
    - ``_initial(data, summary, spec)``: start values ``(shapes, loc,
      scale)`` from the data's moments (``summary`` is the validating scan)
      or quantiles (:func:`sample_quantiles`);
    - ``_std_moments(shapes)``: mean, variance, skewness and excess kurtosis
      of the standardized variable, for ``method="MM"``.

    The support is checked by the kernel itself (a density outside it is
    ``-inf``); ``_support(shapes)`` gives the standardized support used to
    explain the error.
    """

    family = None
    #: shape parameters that may take any real value (the others are positive)
    real_shapes = ()

    # -- what a subclass says ---------------------------------------------------
    def _kernel_params(self, shapes):
        return list(shapes)

    def _constant(self, shapes):
        m = len(shapes)
        return 0.0, np.zeros(m), np.zeros((m, m))

    def _support(self, shapes):
        return -math.inf, math.inf

    def _initial(self, data, summary, spec):
        raise NotImplementedError

    # -- the likelihood ---------------------------------------------------------
    @property
    def _kernel(self):
        return self.family or self.name

    def _sums(self, data, p):
        m = len(self.shapes)
        shapes, loc, scale = p[:m], p[m], p[m + 1]
        block = np.array([loc, 1.0 / scale] + list(self._kernel_params(shapes)), dtype=float)
        return data.reduce(_families.sums, self._kernel, block)

    def _evaluate(self, data, p):
        m = len(self.shapes)
        p = [float(v) for v in p]
        s = self._sums(data, p)
        return assemble_locscale(s, m, p[m + 1], self._constant(p[:m]))

    def _passes_per_iteration(self, spec):
        return True

    def loglike_at(self, data, params):
        m = len(self.shapes)
        if not params[m + 1] > 0 or any(not params[self.shapes.index(n)] > 0 for n in self.positive):
            return -np.inf
        ll = self._evaluate(data, params)[0]
        return ll if not math.isnan(ll) else -np.inf

    # -- the fit ----------------------------------------------------------------
    def _transform(self, name, value, ref_loc, ref_scale):
        if name == "loc":
            return Affine(ref_loc, ref_scale)
        if name in self.real_shapes:
            return Affine(value, max(abs(value), 1.0))
        return Log(value)

    def _problem(self, data, spec):
        summary = data.check_finite()
        names = self.param_names
        m = len(self.shapes)
        if spec.warm is not None:
            start = [spec.fixed.get(n, v) for n, v in zip(names, spec.warm)]
        else:
            shapes0, loc0, scale0 = self._initial(data, summary, spec)
            defaults = list(shapes0) + [loc0, scale0]
            start = [self._start(spec, n, v) for n, v in zip(names, defaults)]
        sd = math.sqrt(summary.var) or abs(start[m + 1])
        transforms = {i: self._transform(n, start[i], summary.mean, sd)
                      for i, n in enumerate(names) if n not in spec.fixed}
        first = [True]

        def evaluate(p):
            out = self._evaluate(data, p)
            if first[0]:        # the optimizer's first call is at the start
                first[0] = False
                if not np.isfinite(out[0]):
                    self._explain_start(data, summary, spec, list(p))
            return out

        return Problem(start, transforms, evaluate, summary.sum_w)

    def _mm_start(self, data, summary, spec):
        shapes0, loc0, scale0 = self._initial(data, summary, spec)
        return [self._start(spec, n, v) for n, v in zip(self.param_names, list(shapes0) + [loc0, scale0])]

    def _explain_start(self, data, summary, spec, start):
        """The log-likelihood is not finite at the start: say why (always raises)."""
        m = len(self.shapes)
        lo, hi = self._support(start[:m])
        loc, scale = start[m], start[m + 1]
        if "loc" in spec.fixed and "scale" in spec.fixed or math.isfinite(lo) or math.isfinite(hi):
            xlo, xhi = loc + lo * scale, loc + hi * scale
            n_out = sum(int(np.count_nonzero((x < xlo) | (x > xhi))) for x, _ in data.chunks)
            if n_out and ("loc" in spec.fixed or "scale" in spec.fixed):
                from .._data import FitDataError
                raise FitDataError(
                    f"Invalid values in `data`: maximum likelihood estimation with {self.name!r} and "
                    f"the fixed parameters {spec.fixed} requires every x in [{xlo!r}, {xhi!r}]; "
                    f"{n_out} of {data.n_rows} observations are not.")
        raise ValueError(f"{self.name}: the log-likelihood is not finite at the start values "
                         f"{tuple(start)}; the data may be degenerate or overflow float64")


class ShapeFamily(Distribution):
    """A discrete distribution (shapes and an integer ``loc``) computed by a
    family kernel.

    Like ``scipy.stats.fit``, ``loc`` is held at 0 unless freed. Counts
    usually take few distinct values: the data are first reduced to a table
    of (value, total weight), and every Newton iteration runs over that
    table instead of the observations.
    """

    family = None
    discrete = True
    #: shapes fixed by the caller only (binom's n)
    required_fixed = ()

    def _kernel_params(self, shapes):
        return list(shapes)

    def _constant(self, shapes):
        m = len(shapes)
        return 0.0, np.zeros(m), np.zeros((m, m))

    def _initial(self, data, summary, spec):
        raise NotImplementedError

    @property
    def _kernel(self):
        return self.family or self.name

    def _default_fixed(self, spec):
        if "loc" not in spec.fixed and "loc" not in spec.freed and "loc" not in spec.guesses:
            spec.fixed["loc"] = 0.0
        for name in self.required_fixed:
            if name not in spec.fixed:
                raise ValueError(f"{self.name}: the shape {name!r} must be fixed (e.g. f{name}=...); "
                                 "it is not estimated")
        if "loc" in spec.fixed and spec.fixed["loc"] != math.floor(spec.fixed["loc"]):
            raise ValueError(f"{self.name}'s loc must be an integer, got floc={spec.fixed['loc']}")

    def _validate(self, data):
        summary = data.scan(check_integer=True)
        if summary.n_nonfinite:
            data.check_finite()
        if summary.n_nonint:
            raise ValueError(f"{self.name} data must be integers: {summary.n_nonint} of "
                             f"{data.n_rows} observations are not")
        return summary

    def _evaluate(self, table, p):
        m = len(self.shapes)
        p = [float(v) for v in p]
        block = np.array([p[m]] + list(self._kernel_params(p[:m])), dtype=float)
        s = table.reduce(_families.sums, self._kernel, block)
        return assemble_shape(s, m, self._constant(p[:m]))

    def _table(self, data, loc):
        summary = self._validate(data)
        if summary.min < loc:
            raise self._support_error(data, loc, strict=False)
        return summary, value_table(data)

    def _problem(self, data, spec):
        names = self.param_names
        m = len(self.shapes)
        if "loc" not in spec.fixed:
            raise NotImplementedError(f"{self.name}: a free loc is not supported yet")
        loc = spec.fixed["loc"]
        summary, table = self._table(data, loc)
        shapes0 = self._initial(table, summary, spec)
        start = [self._start(spec, n, v) for n, v in zip(names, list(shapes0) + [loc])]
        if not np.isfinite(self._evaluate(table, start)[0]):
            raise ValueError(f"{self.name}: the log-likelihood is not finite at the start values "
                             f"{tuple(start)}; check the data against the fixed parameters {spec.fixed}")
        transforms = {i: Log(start[i]) for i, n in enumerate(names[:m]) if n not in spec.fixed}

        def evaluate(p):
            return self._evaluate(table, p)

        return Problem(start, transforms, evaluate, summary.sum_w)

    def loglike_at(self, data, params):
        m = len(self.shapes)
        loc = params[m]
        summary = self._validate(data)
        if summary.min < loc or loc != math.floor(loc):
            return -np.inf
        ll = self._evaluate(value_table(data), params)[0]
        return ll if not math.isnan(ll) else -np.inf
