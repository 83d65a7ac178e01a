"""The vectorized one-pass loops of src/_lane_sums.h, through the kernels that use them.

``sum_moments`` (norm, expon), ``data_range_block`` (uniform, pareto) and
``sum_y_and_log_y`` (gamma and pareto with a fixed loc, unweighted) run 16
lanes combined in a fixed order, vectorized for contiguous data and scalar
for strided data. Their promises: the right sums (against exactly rounded
references), the same bits for contiguous and strided input, for float32
and its float64 copy and for 1 and 2 threads, every length handled (a tail
shorter than a 16-value group), and non-finite or out-of-range values
reported, never folded into a finite answer.
"""
import math

import numpy as np
import pytest

from fastmle import _expon, _gamma, _norm, _range

# lengths around the 16-value group and the 4096-value block
LENGTHS = [1, 2, 15, 16, 17, 31, 33, 4095, 4096, 4097, 70_001]


def _strided(x):
    """The same values as a stride-2 view (the strided loop) of a larger array."""
    big = np.empty(2 * x.size, dtype=x.dtype)
    big[::2] = x
    return big[::2]


@pytest.mark.parametrize("n", LENGTHS)
def test_norm_sums_are_the_exact_moments(n, rng):
    x = rng.normal(1e3, 5.0, n)
    shift = float(x[0])
    s = _norm.sums(x, None, shift)
    d = x - shift
    assert s[0] == n
    assert s[1] == pytest.approx(math.fsum(d), rel=1e-13, abs=1e-12)
    assert s[2] == pytest.approx(math.fsum(d * d), rel=1e-13)


@pytest.mark.parametrize("n", LENGTHS)
def test_moments_same_bits_for_strided_float32_and_threads(n, rng):
    x32 = rng.normal(3.0, 2.0, n).astype(np.float32)
    x64 = x32.astype(np.float64)
    ref = _norm.sums(x64, None, 1.5, n_threads=1)
    np.testing.assert_array_equal(_norm.sums(_strided(x64), None, 1.5, n_threads=1), ref)
    np.testing.assert_array_equal(_norm.sums(x32, None, 1.5, n_threads=1), ref)
    np.testing.assert_array_equal(_norm.sums(_strided(x32), None, 1.5, n_threads=2), ref)
    np.testing.assert_array_equal(_norm.sums(x64, None, 1.5, n_threads=2), ref)


@pytest.mark.parametrize("n", LENGTHS)
def test_expon_min_and_mean_excess(n, rng):
    x = rng.exponential(2.0, n) + 7.0
    mn, excess = _expon.min_and_mean_excess(x)
    assert mn == x.min()
    assert excess == pytest.approx(math.fsum(x - x.min()) / n, rel=1e-13, abs=1e-15)
    assert _expon.min_and_mean_excess(_strided(x)) == (mn, excess)


@pytest.mark.parametrize("position", [0, 5, 16, 4100, -1])
def test_min_is_found_in_every_lane_and_the_tail(position, rng):
    x = rng.uniform(1.0, 2.0, 4113)   # 257 groups and a tail of one
    x[position] = 0.5
    assert _expon.min_and_mean_excess(x)[0] == 0.5
    assert _range.data_range(x) == (0.5, x.max(), True)
    x[position] = 9.0
    assert _range.data_range(x)[1] == 9.0


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("position", [0, 7, 4096, -1])
def test_nonfinite_values_are_reported(bad, position, rng):
    x = rng.normal(size=5000)
    x[position] = bad
    assert _range.data_range(x)[2] is False
    assert _range.data_range(_strided(x))[2] is False
    assert _expon.min_and_mean_excess(x) is None
    assert _norm.closed_form_fit(x) is None


@pytest.mark.parametrize("n", LENGTHS)
def test_range_matches_numpy_for_any_layout(n, rng):
    x = rng.standard_cauchy(n)
    expected = (x.min(), x.max(), True)
    assert _range.data_range(x) == expected
    assert _range.data_range(_strided(x), n_threads=2) == expected
    assert _range.data_range(x.astype(np.float32)) == (
        float(x.astype(np.float32).min()), float(x.astype(np.float32).max()), True)


# -- sum(log y) by products -------------------------------------------------------------------
def _log_sums(x, loc=0.0, n_threads=1):
    s = _gamma.sums(x, None, loc, False, n_threads=n_threads)
    return s[0], s[1], s[2]


@pytest.mark.parametrize("data", [
    lambda rng, n: rng.gamma(2.0, 1.5, n),
    lambda rng, n: 1.0 + rng.normal(0.0, 1e-3, n),       # logs near 0: absolute accuracy counts
    lambda rng, n: rng.gamma(50.0, 1e6, n),               # large logs
    lambda rng, n: rng.gamma(3.0, 1e-9, n),               # large negative logs
    lambda rng, n: np.exp(rng.uniform(-41.0, 41.0, n)),   # the whole range the product path takes
], ids=["gamma", "near-one", "large", "small", "wide"])
@pytest.mark.parametrize("n", [1, 17, 4096, 70_001])
def test_sum_of_logs_is_exactly_rounded_to_a_few_ulps(data, n, rng):
    x = data(rng, n)
    count, sum_log, sum_y = _log_sums(x)
    logs = np.log(x)
    ref = math.fsum(logs)
    # products round once per value: ~2**-53 absolute per value, plus the last rounding
    tol = 4 * np.finfo(float).eps * (np.sqrt(n) + abs(ref))
    assert count == n
    assert abs(sum_log - ref) <= tol
    assert sum_y == pytest.approx(math.fsum(x), rel=1e-13)


@pytest.mark.parametrize("n", [1, 15, 16, 17, 4097, 70_001])
def test_log_sums_same_bits_for_strided_float32_and_threads(n, rng):
    x32 = rng.gamma(2.0, 1.0, n).astype(np.float32)
    x64 = x32.astype(np.float64)
    ref = _gamma.sums(x64, None, 0.0, False, n_threads=1)
    for x, nt in [(_strided(x64), 1), (x32, 1), (_strided(x32), 2), (x64, 2)]:
        np.testing.assert_array_equal(_gamma.sums(x, None, 0.0, False, n_threads=nt), ref)


@pytest.mark.parametrize("outlier", [1e-30, 1e30, 2.0 ** -61, 2.0 ** 61, 5e-324])
def test_values_beyond_the_product_range_take_the_log_path(outlier, rng):
    # 2^-60 <= y <= 2^60 keeps 16 products finite; outside, the block takes logs one by one
    x = rng.gamma(2.0, 1.0, 10_000)
    x[4100] = outlier
    _, sum_log, _ = _log_sums(x)
    assert sum_log == pytest.approx(math.fsum(np.log(x)), rel=1e-14)


def test_a_fixed_loc_shifts_before_the_logs(rng):
    x = rng.gamma(2.0, 1.0, 9000) + 100.0
    _, sum_log, sum_y = _log_sums(x, loc=99.5)
    y = x - 99.5
    assert sum_log == pytest.approx(math.fsum(np.log(y)), rel=1e-14)
    assert sum_y == pytest.approx(math.fsum(y), rel=1e-14)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_values_outside_the_support_give_nonfinite_log_sums(bad, rng):
    # the callers test the sums for finiteness and then explain (ValueError)
    x = rng.gamma(2.0, 1.0, 5000)
    x[123] = bad
    s = _gamma.sums(x, None, 0.0, False)
    assert not np.isfinite(s[1]) or not np.isfinite(s[2])
