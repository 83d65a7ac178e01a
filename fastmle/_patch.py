"""Make existing scipy code use fastmle: ``patch_scipy``, ``unpatch_scipy``, ``scipy_patched``.

While patched,

- ``scipy.stats.<name>.fit`` (for every ``<name>`` in ``fastmle.REGISTRY``
  whose scipy distribution has a ``fit`` method) is fastmle's
  ``fastmle.<name>.fit``, and
- ``scipy.stats.fit`` is ``fastmle.fit`` for those distributions,

and every call fastmle does not cover goes to the original scipy function
unchanged (see :func:`patch_scipy` for the exact list). This is the only
module of fastmle that imports scipy, and only when asked to patch.

How it patches, and why
-----------------------
``scipy.stats.gamma`` is one instance of the class ``gamma_gen``. The patch
sets an instance attribute ``fit`` on that instance (shadowing the class
method for it alone); unpatching deletes the attribute again, so the class
is never touched. Other instances (a frozen ``scipy.stats.gamma(2)`` holds its
own instance; a user's ``gamma_gen(name="mygamma")`` or a subclass) keep
scipy's ``fit``. Some code binds ``fit = scipy.stats.gamma.fit`` or
``from scipy.stats import fit`` before patching: those names keep the
function they were given (a module attribute cannot reach them).
"""
import contextlib
import functools
import logging
import threading
import warnings

from ._data import FitDataError
from .distributions import REGISTRY

__all__ = ["patch_scipy", "unpatch_scipy", "scipy_patched", "is_scipy_patched"]

logger = logging.getLogger("fastmle")

_lock = threading.RLock()
# None while scipy is unpatched; else what to restore and how it was asked for
_state = None


class _Fallback(Exception):
    """fastmle does not cover this call: let scipy answer it."""


class _Captured(Exception):
    """Raised by the optimizer handed to scipy.stats.fit to capture its validated problem."""

    def __init__(self, kwds):
        super().__init__()
        self.kwds = kwds


def _covered(scipy_dist):
    """The fastmle distribution for a scipy distribution object, or None.

    Only scipy's own instance of the registered name qualifies (same class
    and support as ``scipy.stats.<name>``): a user's subclass or re-made
    instance may have another density under the same name.
    """
    import scipy.stats as st
    name = getattr(scipy_dist, "name", None)
    if not isinstance(name, str) or name not in REGISTRY:
        return None
    ref = getattr(st, name, None)
    if ref is None or type(scipy_dist) is not type(ref):
        return None
    if (getattr(scipy_dist, "a", None), getattr(scipy_dist, "b", None)) != (ref.a, ref.b):
        return None
    return REGISTRY[name]


def _is_censored(data):
    import scipy.stats as st
    censored = getattr(st, "CensoredData", None)
    return censored is not None and isinstance(data, censored)


class _PatchedFit:
    """``scipy.stats.<name>.fit`` while patched: fastmle's fit, else scipy's.

    A module-level class (not a closure) so that a patched scipy
    distribution can still be pickled, e.g. to send ``scipy.stats.gamma`` to
    a multiprocessing worker.
    """

    def __init__(self, name, instance, prior):
        self.name = name
        self.instance = instance
        self.prior = prior        # an instance-level ``fit`` that was there before, or None

    @property
    def __wrapped__(self):        # inspect.signature and help() follow it to scipy's signature
        return self.original

    @property
    def original(self):
        """The ``fit`` scipy would call without the patch."""
        if self.prior is not None:
            return self.prior
        return type(self.instance).fit.__get__(self.instance)

    @property
    def __doc__(self):
        return ("[patched by fastmle.patch_scipy: fastmle's fit, scipy's for what fastmle does not "
                "cover]\n\n" + (self.original.__doc__ or ""))

    def __repr__(self):
        return f"<fastmle-patched scipy.stats.{self.name}.fit>"

    def __call__(self, data, *args, **kwds):
        # a copy of a patched instance (pickled, deep-copied) carries this
        # object along; it follows this process's patch state like the original
        reason = "not patched" if _state is None else self._reason_to_fall_back(data, kwds)
        if reason is None:
            try:
                return REGISTRY[self.name].fit(data, *args, **kwds)
            except NotImplementedError as exc:
                reason = f"fastmle: {exc}"
        logger.debug("scipy.stats.%s.fit: scipy answers (%s)", self.name, reason)
        return self.original(data, *args, **kwds)

    def _reason_to_fall_back(self, data, kwds):
        if self.name not in REGISTRY:
            return "not in fastmle.REGISTRY"
        if _is_censored(data):
            return "censored data"
        method = kwds.get("method", "MLE")
        if not isinstance(method, str) or method.lower() not in ("mle", "mm"):
            return f"method={method!r}"
        # ``optimizer`` is accepted and ignored (fastmle.<name>.fit does the
        # same): it chooses how scipy searches, and fastmle's Newton solve
        # on analytic derivatives reaches an optimum at least as good.
        return None


def _scipy_problem(original, dist, data, bounds, guess, method):
    """Run scipy.stats.fit's own input validation, stopping at its optimizer.

    Returns the keywords scipy would hand the optimizer (the validated
    ``bounds`` array, ``integrality``, ``x0``): the exact problem scipy
    would solve, with scipy's own errors and warnings for bad input.
    """
    def capture(objective, **kwds):
        raise _Captured(kwds)
    try:
        original(dist, data, bounds, guess=guess, method=method, optimizer=capture)
    except _Captured as cap:
        return cap.kwds
    raise _Fallback("scipy.stats.fit returned without calling its optimizer")


def _patched_stats_fit_impl(original, default_optimizer, dist, data, bounds, guess, method, optimizer):
    if optimizer is not default_optimizer:
        # the caller chose how to search (a seed, other settings, another
        # algorithm); fastmle would ignore that choice, so scipy honours it
        raise _Fallback("an explicit optimizer")
    if not isinstance(method, str) or method.lower() != "mle":
        raise _Fallback(f"method={method!r}")
    d = _covered(dist)
    if d is None:
        raise _Fallback(f"{getattr(dist, 'name', dist)!r} is not covered by fastmle")
    if _is_censored(data):
        raise _Fallback("censored data")
    import numpy as np
    with warnings.catch_warnings():
        # scipy warns about ignored bounds or rounded/clipped guesses here:
        # record and re-emit them, once, as scipy would
        warnings.simplefilter("always")
        with warnings.catch_warnings(record=True) as caught:
            problem = _scipy_problem(original, dist, data, bounds, guess, method)
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    box = np.asarray(problem["bounds"], dtype=float)
    names = d.param_names
    integral = problem.get("integrality") or [False] * len(names)
    for name, (lo, hi), is_int in zip(names, box, integral):
        if is_int and lo != hi and name != "loc":
            raise _Fallback(f"the integer parameter {name} is searched")
    if all(lo == hi for lo, hi in box):
        raise _Fallback("every parameter is fixed by its bounds")
    fm_guess = None
    if guess is not None:
        x0 = np.asarray(problem["x0"], dtype=float)
        given = set(guess) if isinstance(guess, dict) else set(names[:len(np.atleast_1d(guess))])
        # scipy clipped the guesses into the bounds; one on a bound (scale at 0) is no start
        fm_guess = {n: float(v) for n, v, (lo, hi) in zip(names, x0, box) if n in given and lo < v < hi}
    from ._api import fit
    return fit(d, data, bounds={n: (float(lo), float(hi)) for n, (lo, hi) in zip(names, box)},
               guess=fm_guess)


def _make_stats_fit(original):
    import inspect
    default_optimizer = inspect.signature(original).parameters["optimizer"].default

    @functools.wraps(original)
    def fit(dist, data, bounds=None, *, guess=None, method="mle", optimizer=default_optimizer):
        try:
            return _patched_stats_fit_impl(original, default_optimizer, dist, data, bounds, guess,
                                           method, optimizer)
        except _Fallback as why:
            reason = str(why)
        except NotImplementedError as exc:
            reason = f"fastmle: {exc}"
        except FitDataError:
            raise          # bad data: the caller hears it from fastmle, as from .fit
        logger.debug("scipy.stats.fit: scipy answers (%s)", reason)
        return original(dist, data, bounds, guess=guess, method=method, optimizer=optimizer)

    fit.__doc__ = ("[patched by fastmle.patch_scipy: fastmle.fit for distributions fastmle "
                   "covers, scipy's for the rest]\n\n" + (original.__doc__ or ""))
    fit._fastmle_patch = True
    return fit


def _apply():
    import scipy.stats as st
    saved = {"stats.fit": st.fit, "instances": {}}
    patched_stats_fit = _make_stats_fit(st.fit)
    for name in sorted(REGISTRY):
        inst = getattr(st, name, None)
        if inst is None or not callable(getattr(inst, "fit", None)):
            # scipy's discrete distributions have no .fit: the patch does
            # not invent one (code relying on it would break unpatched)
            continue
        prior = inst.__dict__.get("fit")
        inst.fit = _PatchedFit(name, inst, prior)
        saved["instances"][name] = (inst, prior)
    st.fit = patched_stats_fit
    saved["patched_stats_fit"] = patched_stats_fit
    return saved


def _restore(saved):
    import scipy.stats as st
    for name, (inst, prior) in saved["instances"].items():
        current = inst.__dict__.get("fit")
        if not (isinstance(current, _PatchedFit) and current.instance is inst):
            warnings.warn(f"scipy.stats.{name}.fit was replaced by someone else while patched; "
                          f"leaving that replacement in place", RuntimeWarning, stacklevel=3)
            continue
        if prior is None:
            del inst.fit
        else:
            inst.fit = prior
    if st.fit is saved["patched_stats_fit"]:
        st.fit = saved["stats.fit"]
    else:
        warnings.warn("scipy.stats.fit was replaced by someone else while patched; leaving that "
                      "replacement in place", RuntimeWarning, stacklevel=3)


def patch_scipy():
    """Make ``scipy.stats.<name>.fit`` and ``scipy.stats.fit`` use fastmle.

    For every distribution in ``fastmle.REGISTRY`` (looked up when this is
    called), ``scipy.stats.<name>.fit`` becomes ``fastmle.<name>.fit`` (same
    arguments, same tuple), and ``scipy.stats.fit`` becomes
    :func:`fastmle.fit` with scipy's rules for ``bounds`` and ``guess``
    (scipy's own input validation runs first, so bad bounds or guesses get
    scipy's errors and warnings; the result is a :class:`fastmle.FitResult`
    with ``params``, ``success``, ``message``, ``nllf()`` and ``plot()``).

    scipy's original function answers instead when fastmle does not cover
    the call:

    - a distribution not in the registry, or not scipy's own instance of it
      (a subclass or a re-made instance with the same name);
    - censored data (``scipy.stats.CensoredData``);
    - ``method`` other than "MLE"/"MM" for ``.fit`` and other than "mle"
      for ``scipy.stats.fit`` (e.g. "MSE");
    - ``scipy.stats.fit`` with an explicit ``optimizer`` (scipy honours it);
      ``.fit``'s ``optimizer`` is ignored, as by ``fastmle.<name>.fit``;
    - ``scipy.stats.fit`` with every parameter fixed by its bounds, or an
      integer-valued shape (binom's ``n``) searched between bounds;
    - anything for which fastmle raises ``NotImplementedError``.

    Bad data (non-finite, outside the support of a fixed location) raise
    ``ValueError`` as before. scipy's discrete distributions have no
    ``.fit``, and the patch does not add one. Fallbacks are logged at DEBUG
    level on the ``"fastmle"`` logger with the reason.

    Patching is idempotent and thread-safe; scipy is imported here, not when
    fastmle is imported.

    See Also
    --------
    unpatch_scipy, scipy_patched
    """
    global _state
    with _lock:
        if _state is None:
            _state = {"saved": _apply(), "explicit": True, "depth": 0}
        else:
            _state["explicit"] = True


def unpatch_scipy():
    """Restore scipy's own ``fit`` functions exactly as they were before patching.

    Idempotent: does nothing if scipy is not patched. Also ends the patch
    of any :func:`scipy_patched` block still open.
    """
    global _state
    with _lock:
        if _state is not None:
            saved, _state = _state["saved"], None
            _restore(saved)


def is_scipy_patched():
    """Whether scipy's fit functions are currently fastmle's."""
    return _state is not None


@contextlib.contextmanager
def scipy_patched():
    """Context manager: scipy uses fastmle inside the block (see :func:`patch_scipy`).

    On leaving the block (also by an exception) scipy is restored, unless
    it was patched before the block began (``patch_scipy()``) or another
    ``scipy_patched`` block, in this or another thread, is still open.

    Examples
    --------
    >>> import fastmle, scipy.stats
    >>> with fastmle.scipy_patched():               # doctest: +SKIP
    ...     a, loc, scale = scipy.stats.gamma.fit(x)   # fastmle answers
    """
    global _state
    with _lock:
        if _state is None:
            _state = {"saved": _apply(), "explicit": False, "depth": 0}
        _state["depth"] += 1
        mine = _state
    try:
        yield
    finally:
        with _lock:
            # an unpatch_scipy() inside the block already restored scipy
            if _state is mine:
                _state["depth"] -= 1
                if _state["depth"] == 0 and not _state["explicit"]:
                    saved, _state = _state["saved"], None
                    _restore(saved)
