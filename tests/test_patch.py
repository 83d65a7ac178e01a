"""fastmle.patch_scipy / unpatch_scipy / scipy_patched: scipy code answered by fastmle."""
import logging
import os
import pickle
import subprocess
import sys
import threading

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle import REGISTRY
from fastmle._patch import _PatchedFit

ORIGINAL_STATS_FIT = st.fit
# a distribution no helper adds to the registry: always scipy's
UNCOVERED = "gengamma"


@pytest.fixture(autouse=True)
def _always_unpatched():
    fastmle.unpatch_scipy()
    yield
    fastmle.unpatch_scipy()
    assert st.fit is ORIGINAL_STATS_FIT


def _scipy_fit_instances():
    """Registry names whose scipy distribution has a ``.fit`` (the continuous ones)."""
    return [n for n in sorted(REGISTRY) if callable(getattr(getattr(st, n, None), "fit", None))]


def _assert_pristine():
    assert st.fit is ORIGINAL_STATS_FIT
    for name in _scipy_fit_instances():
        inst = getattr(st, name)
        assert "fit" not in inst.__dict__
        assert inst.fit.__func__ is type(inst).fit
    assert not fastmle.is_scipy_patched()


class Spy:
    """Counts calls to a fastmle entry point and passes them through."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *args, **kwds):
        self.calls += 1
        return self.fn(*args, **kwds)


@pytest.fixture
def gamma_spy(monkeypatch):
    spy = Spy(fastmle.gamma.fit)
    monkeypatch.setattr(fastmle.gamma, "fit", spy)
    return spy


def test_import_does_not_import_scipy(tmp_path):
    code = "import sys, fastmle; assert 'scipy' not in sys.modules, 'scipy imported'; print('ok')"
    # the fastmle under test (installed, or built in place), not a source
    # checkout that happens to be the working directory
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(fastmle.__file__)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_patched_dist_fit_is_fastmle_and_unpatched_is_scipy(rng, gamma_spy):
    x = rng.gamma(2.0, 1.5, 500)
    scipy_answer = st.gamma.fit(x)
    assert gamma_spy.calls == 0
    fastmle.patch_scipy()
    assert fastmle.is_scipy_patched()
    got = st.gamma.fit(x)
    assert gamma_spy.calls == 1
    assert got == fastmle.gamma.fit(x)      # exactly fastmle's answer, scipy's tuple shape
    assert len(got) == len(scipy_answer) == 3
    assert st.gamma.nnlf(got, x) <= st.gamma.nnlf(scipy_answer, x) + 1e-9 * abs(st.gamma.nnlf(scipy_answer, x))
    # scipy's fit arguments go through: fixed values come back exactly
    calls = gamma_spy.calls
    a, loc, scale = st.gamma.fit(x, floc=0, f0=2.0)
    assert (a, loc) == (2.0, 0.0) and gamma_spy.calls == calls + 1
    np.testing.assert_allclose(scale, x.mean() / 2.0, rtol=1e-10)
    fastmle.unpatch_scipy()
    calls = gamma_spy.calls
    assert st.gamma.fit(x) == scipy_answer and gamma_spy.calls == calls
    _assert_pristine()


def test_every_registry_distribution_with_a_scipy_fit_is_patched(monkeypatch):
    names = _scipy_fit_instances()
    assert "gamma" in names and "norm" in names
    sentinel = object()
    for name in names:
        monkeypatch.setattr(REGISTRY[name], "fit", lambda data, *a, **k: sentinel)
    with fastmle.scipy_patched():
        for name in names:
            assert getattr(st, name).fit(np.array([1.0, 2.0, 3.0])) is sentinel, name
        # scipy's discrete distributions have no .fit, and the patch adds none
        for name in sorted(set(REGISTRY) - set(names)):
            assert not hasattr(getattr(st, name, None), "fit")
    _assert_pristine()


def test_patched_stats_fit_is_fastmle_fit(rng, monkeypatch):
    spy = Spy(fastmle._api.fit)
    monkeypatch.setattr(fastmle._api, "fit", spy)
    x = rng.gamma(2.0, 1.5, 400)
    b = {"a": (0.1, 10), "scale": (0.1, 10)}
    ref = st.fit(st.gamma, x, b)
    assert type(ref).__module__.startswith("scipy") and spy.calls == 0
    with fastmle.scipy_patched():
        res = st.fit(st.gamma, x, b)
        res_seq = st.fit(st.gamma, x, [(0.1, 10), (0, 0), (0.1, 10)], guess=[3.0, 0.0, 1.0])
        k = rng.poisson(3.3, 300)
        res_p = st.fit(st.poisson, k, {"mu": (0, 20)})
    assert isinstance(res, fastmle.FitResult) and isinstance(res_p, fastmle.FitResult)
    assert spy.calls == 3
    assert res.params._fields == ref.params._fields and res.success
    np.testing.assert_allclose(res_seq.params, res.params, rtol=1e-7)
    assert res.nllf() <= ref.nllf() + 1e-9 * abs(ref.nllf())
    np.testing.assert_allclose(res_p.params.mu, k.mean(), rtol=1e-10)
    assert res_p.params.loc == 0
    assert isinstance(st.fit(st.gamma, x, b), type(ref))


def test_patched_stats_fit_enforces_bounds_like_scipy(rng):
    x = rng.gamma(2.0, 1.0, 1000)
    b = {"a": (2.5, 10), "scale": (0.1, 0.95)}
    ref = st.fit(st.gamma, x, b)
    with fastmle.scipy_patched():
        res = st.fit(st.gamma, x, b)
    assert isinstance(res, fastmle.FitResult)
    assert res.params.a == 2.5 and 0.1 <= res.params.scale <= 0.95
    assert res.nllf() <= ref.nllf() + 1e-9 * abs(ref.nllf())


def test_stats_fit_validates_input_as_scipy(rng):
    x = rng.gamma(2.0, 1.5, 200)
    with fastmle.scipy_patched():
        # scipy's own validation runs first: its errors and warnings
        with pytest.raises(ValueError, match="not finite"):
            st.fit(st.gamma, x, {"a": (0, np.inf)})
        with pytest.raises(ValueError, match="finite"):
            st.fit(st.gamma, np.r_[x, np.nan], {"a": (0.1, 10)})
        with pytest.raises(ValueError, match="one-dimensional"):
            st.fit(st.gamma, x.reshape(20, 10), {"a": (0.1, 10)})
        with pytest.raises(ValueError):
            st.fit(st.gamma, x, {"a": (10, 0.1)})
        with pytest.warns(RuntimeWarning, match="unrecognized"):
            res = st.fit(st.gamma, x, {"a": (0.1, 10), "nonsense": (0, 1)})
        assert isinstance(res, fastmle.FitResult)
        with pytest.warns(RuntimeWarning, match="clipped"):
            res = st.fit(st.gamma, x, {"a": (0.1, 10)}, guess={"a": 50})
        assert isinstance(res, fastmle.FitResult) and 0.1 <= res.params.a <= 10
        # data outside the support of the loc held at 0: a ValueError (scipy
        # would spend a differential evolution run to report an infinite nllf)
        with pytest.raises(ValueError):
            st.fit(st.gamma, x - 10, {"a": (0.1, 10), "scale": (0.1, 10)})


def test_dist_fit_bad_data_raise_value_error(rng):
    x = rng.gamma(2.0, 1.5, 200)
    with fastmle.scipy_patched():
        for bad in (np.r_[x, np.nan], np.r_[x, -np.inf]):
            with pytest.raises(ValueError):
                st.gamma.fit(bad)
        with pytest.raises(ValueError):
            st.gamma.fit(x, floc=x.min() + 1)      # data below a fixed loc
        with pytest.raises(ValueError):
            st.gamma.fit(x, fscale=-1)
        with pytest.raises(TypeError):
            st.gamma.fit(x, 1.0, 2.0)              # too many shape guesses, as scipy
        with pytest.raises(ValueError):
            st.norm.fit(x, floc=0, fscale=1)       # nothing to optimize, as scipy


def test_uncovered_calls_fall_back_to_scipy(rng, gamma_spy, caplog, monkeypatch):
    assert UNCOVERED not in REGISTRY
    x = rng.gamma(2.0, 1.5, 60)
    gg = getattr(st, UNCOVERED)
    b = {"a": (0.5, 5), "c": (0.5, 3)}
    expected_fit = gg.fit(x)                       # Nelder-Mead from fixed starts: deterministic
    expected_mse = st.fit(st.gamma, x, {"a": (0.1, 10)}, method="mse", optimizer=_nelder_mead)
    censored = st.CensoredData(uncensored=x[:40], right=x[40:])
    expected_cens = st.gamma.fit(censored, floc=0)
    expected_mm = st.gamma.fit(x, method="MM")
    caplog.set_level(logging.DEBUG, logger="fastmle")
    with fastmle.scipy_patched():
        assert gg.fit(x) == expected_fit
        assert "fit" not in gg.__dict__             # not even wrapped
        res = st.fit(gg, x, b)
        assert type(res).__module__.startswith("scipy")
        # explicit optimizer: scipy honours the caller's search
        calls = []

        def optimizer(fun, **kw):
            calls.append(kw)
            return _nelder_mead(fun, **kw)
        res = st.fit(st.gamma, x, {"a": (0.1, 10)}, optimizer=optimizer)
        assert calls and type(res).__module__.startswith("scipy")
        res = st.fit(st.gamma, x, {"a": (0.1, 10)}, method="mse", optimizer=_nelder_mead)
        np.testing.assert_array_equal(res.params, expected_mse.params)
        res = st.fit(st.gamma, x, {"a": (0.1, 10)}, method="mse")       # scipy's differential evolution
        assert type(res).__module__.startswith("scipy")
        # censored data
        assert st.gamma.fit(censored, floc=0) == expected_cens
        with pytest.raises(ValueError, match="one-dimensional"):    # scipy.stats.fit's own answer
            st.fit(st.gamma, censored, {"a": (0.1, 10)})
        assert gamma_spy.calls == 0
        # whatever fastmle says it does not implement
        monkeypatch.setattr(fastmle.gamma, "fit", _not_implemented)
        assert st.gamma.fit(x, method="MM") == expected_mm
        # every parameter fixed: scipy just evaluates
        res = st.fit(st.norm, x)
        assert type(res).__module__.startswith("scipy") and tuple(res.params) == (0, 1)
    assert any("censored" in r.getMessage() for r in caplog.records)
    assert any("scipy answers (fastmle: not here)" in r.getMessage() for r in caplog.records)
    assert any("scipy answers (method='mse')" in r.getMessage() for r in caplog.records)


def _nelder_mead(fun, bounds, x0=None, **kw):
    from scipy.optimize import minimize
    x0 = np.mean(bounds, axis=1) if x0 is None else x0
    return minimize(fun, x0, bounds=bounds, method="Nelder-Mead")


def _not_implemented(*a, **k):
    raise NotImplementedError("not here")


def test_dist_fit_optimizer_is_ignored(rng, gamma_spy):
    x = rng.gamma(2.0, 1.5, 300)
    called = []
    with fastmle.scipy_patched():
        got = st.gamma.fit(x, optimizer=lambda *a, **k: called.append(1))
    assert not called and gamma_spy.calls == 1
    assert got == fastmle.gamma.fit(x)


def test_other_instances_are_untouched(rng, gamma_spy):
    x = rng.gamma(2.0, 1.5, 200)
    gen = type(st.gamma)

    class MyGamma(gen):
        pass
    mine = MyGamma(a=0.0, name="gamma")
    other = gen(a=0.0, name="gamma")
    class_fit = gen.__dict__["fit"]
    with fastmle.scipy_patched():
        mine.fit(x)
        other.fit(x)
        st.gamma(2.0).dist.fit(x)                  # a frozen distribution's own instance
        assert gamma_spy.calls == 0
        assert gen.__dict__["fit"] is class_fit     # the class is never touched
        # a user's subclass may have another density under scipy's name: scipy.stats.fit is scipy's
        res = st.fit(mine, x, {"a": (0.1, 10), "scale": (0.1, 10)})
        assert type(res).__module__.startswith("scipy")
        st.gamma.fit(x)
        assert gamma_spy.calls == 1


def test_idempotent_and_exactly_reversible(rng):
    prior = lambda data, *a, **k: ("someone else's fit",)    # noqa: E731
    st.lognorm.fit = prior                       # an instance-level fit that was there before
    try:
        fastmle.patch_scipy()
        first = st.gamma.__dict__["fit"]
        fastmle.patch_scipy()
        assert st.gamma.__dict__["fit"] is first    # not wrapped twice
        assert isinstance(st.lognorm.__dict__["fit"], _PatchedFit)
        x = rng.lognormal(0.0, 1.0, 100)
        assert st.lognorm.fit(x) == fastmle.lognorm.fit(x)
        fastmle.unpatch_scipy()
        fastmle.unpatch_scipy()
        assert st.lognorm.__dict__["fit"] is prior
        assert st.lognorm.fit(x) == ("someone else's fit",)
    finally:
        del st.lognorm.fit
    _assert_pristine()


def test_replacement_by_someone_else_is_left_alone(monkeypatch):
    fastmle.patch_scipy()
    theirs = lambda *a, **k: "theirs"             # noqa: E731
    st.fit = theirs
    try:
        with pytest.warns(RuntimeWarning, match="someone else"):
            fastmle.unpatch_scipy()
        assert st.fit is theirs
    finally:
        st.fit = ORIGINAL_STATS_FIT


def test_context_manager_restores_on_exception_and_nests(rng):
    with pytest.raises(KeyError):
        with fastmle.scipy_patched():
            assert fastmle.is_scipy_patched() and st.fit is not ORIGINAL_STATS_FIT
            raise KeyError("boom")
    _assert_pristine()
    with fastmle.scipy_patched():
        with fastmle.scipy_patched():
            pass
        assert fastmle.is_scipy_patched()          # the outer block still holds the patch
    _assert_pristine()
    fastmle.patch_scipy()
    with fastmle.scipy_patched():
        pass
    assert fastmle.is_scipy_patched()              # patched before the block: stays patched
    fastmle.unpatch_scipy()
    with fastmle.scipy_patched():
        fastmle.unpatch_scipy()                    # an explicit unpatch wins inside a block
        _assert_pristine()
    _assert_pristine()


def test_threads_share_the_patch_and_it_ends_with_the_last(rng):
    x = rng.gamma(2.0, 1.5, 300)
    expected = fastmle.gamma.fit(x)
    barrier = threading.Barrier(4)
    errors, results = [], []

    def work():
        try:
            for _ in range(5):
                with fastmle.scipy_patched():
                    barrier.wait(timeout=30)
                    results.append(st.gamma.fit(x))   # every thread is inside a block here
                    barrier.wait(timeout=30)
        except Exception as exc:                      # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 20 and all(r == expected for r in results)
    _assert_pristine()


def test_pickled_patched_distribution_follows_the_patch_state(rng):
    x = rng.gamma(2.0, 1.5, 200)
    with fastmle.scipy_patched():
        copy = pickle.loads(pickle.dumps(st.gamma))
        assert copy.fit(x) == fastmle.gamma.fit(x)
    assert copy.fit(x) == st.gamma.fit(x)          # scipy's again once unpatched


def test_patched_functions_keep_scipy_signature_and_docs():
    import inspect
    with fastmle.scipy_patched():
        assert inspect.signature(st.fit) == inspect.signature(ORIGINAL_STATS_FIT)
        assert "fastmle" in st.fit.__doc__ and ORIGINAL_STATS_FIT.__doc__ in st.fit.__doc__
        assert inspect.signature(st.gamma.fit) == inspect.signature(type(st.gamma).fit.__get__(st.gamma))
        assert "fastmle" in st.gamma.fit.__doc__
