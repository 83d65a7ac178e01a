"""t and logistic: the first two family-kernel distributions."""
import numpy as np
import pytest

import fastmle

from _family_checks import (check_derivatives, check_dtypes_weights_threads, check_fit_not_worse_than_scipy,
                            check_loglike_matches_scipy)

CASES = [
    ("t", (3.0, 1.0, 2.0), lambda r, n: 1.0 + 2.0 * r.standard_t(3.0, n)),
    ("t", (0.7, -2.0, 0.5), lambda r, n: -2.0 + 0.5 * r.standard_t(0.7, n)),
    ("t", (40.0, 1e3, 1e-2), lambda r, n: 1e3 + 1e-2 * r.standard_t(40.0, n)),
    ("logistic", (1.0, 2.0), lambda r, n: r.logistic(1.0, 2.0, n)),
    ("logistic", (-1e4, 1e-3), lambda r, n: r.logistic(-1e4, 1e-3, n)),
]


@pytest.mark.parametrize("name,params,gen", CASES)
def test_kernel_mathematics(name, params, gen):
    rng = np.random.default_rng(0)
    x = gen(rng, 400)
    dist = getattr(fastmle, name)
    check_loglike_matches_scipy(dist, x, params)
    check_derivatives(dist, x, params)
    check_dtypes_weights_threads(dist, x, params, rng)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [50, 2000])
@pytest.mark.parametrize("name,kw,gen", [
    ("t", {}, lambda r, n: 1.0 + 2.0 * r.standard_t(3.0, n)),
    ("t", {}, lambda r, n: r.standard_cauchy(n)),
    ("t", {"f0": 5.0}, lambda r, n: 1.0 + 2.0 * r.standard_t(5.0, n)),
    ("t", {"floc": 0.0}, lambda r, n: 2.0 * r.standard_t(4.0, n)),
    ("t", {"fscale": 1.0}, lambda r, n: 3.0 + r.standard_t(2.0, n)),
    ("logistic", {}, lambda r, n: r.logistic(1.0, 2.0, n)),
    ("logistic", {"floc": 0.0}, lambda r, n: r.logistic(0.5, 2.0, n)),
    ("logistic", {"fscale": 1.5}, lambda r, n: r.logistic(0.5, 2.0, n)),
])
def test_fit_never_worse_than_scipy(name, kw, gen, n, seed):
    check_fit_not_worse_than_scipy(name, gen(np.random.default_rng(seed), n), kw)
