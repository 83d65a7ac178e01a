"""Every registered distribution keeps scipy's face: names, order, tuple, docs."""
import inspect

import numpy as np
import pytest
import scipy.stats as st

import fastmle
from fastmle.distributions import REGISTRY

# fastmle's own distributions with no scipy counterpart
NOT_IN_SCIPY = {"zipoisson"}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_names_and_order_are_scipys(name):
    dist = REGISTRY[name]
    assert getattr(fastmle, name) is dist
    assert dist.name == name
    if name in NOT_IN_SCIPY:
        return
    ref = getattr(st, name)
    shapes = tuple(s.strip() for s in ref.shapes.split(",")) if ref.shapes else ()
    assert dist.shapes == shapes
    discrete = isinstance(ref, st.rv_discrete)
    assert dist.discrete == discrete
    assert dist.param_names == shapes + (("loc",) if discrete else ("loc", "scale"))


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_documented(name):
    dist = REGISTRY[name]
    doc = inspect.getdoc(type(dist))
    # the class docstring states the parametrization it shares with scipy
    assert doc and (name in NOT_IN_SCIPY or f"scipy.stats.{name}" in doc), doc
    assert inspect.getdoc(dist.fit)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_unknown_keywords_and_empty_data_are_rejected(name):
    dist = REGISTRY[name]
    # shapes the caller must fix (binom's n) are given, so the data are judged
    kw = {f"f{s}": 30.0 for s in getattr(dist, "required_fixed", ())}
    with pytest.raises(TypeError, match="Unknown"):
        dist.fit(np.arange(1.0, 20.0), fnonsense=1.0, **kw)
    with pytest.raises(ValueError, match="empty"):
        dist.fit(np.array([]), **kw)
    with pytest.raises(ValueError, match="non-finite|NaN"):
        dist.fit(np.array([1.0, 2.0, np.nan, 3.0]), **kw)
