"""The kernels' mathematics: values against scipy, derivatives against finite
differences, and the invariances the kernel contract promises (dtype, weights,
strides, thread count)."""
import numpy as np
import pytest
import scipy.stats as st

from _kernels import NAMES, llgh, sample, sums


def _fd_grad(f, p, h):
    """4th-order central differences of a scalar function."""
    p = np.asarray(p, dtype=float)
    g = np.zeros_like(p)
    for i in range(p.size):
        e = np.zeros_like(p)
        e[i] = h[i]
        g[i] = (-f(p + 2 * e) + 8 * f(p + e) - 8 * f(p - e) + f(p - 2 * e)) / (12 * h[i])
    return g


def _free(name):
    # poisson's loc is discrete: no derivatives
    return [0] if name == "poisson" else list(range(len(sample(name, np.random.default_rng(0), 2)[1])))


@pytest.mark.parametrize("name", NAMES)
def test_loglike_matches_scipy(name, rng):
    x, p = sample(name, rng, 5000)
    ll, _, _ = llgh(name, x, None, p)
    dist = getattr(st, name)
    ref = np.sum(dist.logpmf(x, *p) if name == "poisson" else dist.logpdf(x, *p))
    assert ll == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name", NAMES)
def test_gradient_and_hessian_match_finite_differences(name, weighted, rng):
    x, p = sample(name, rng, 3000)
    w = rng.uniform(0.2, 3.0, x.size) if weighted else None
    _, g, H = llgh(name, x, w, p)
    free = _free(name)
    h = 1e-4 * np.maximum(np.abs(p), 1.0)
    p = np.asarray(p, dtype=float)

    def ll_of(q):
        return llgh(name, x, w, q)[0]

    g_fd = _fd_grad(ll_of, p, h)
    np.testing.assert_allclose(g[free], g_fd[free], rtol=1e-6, atol=1e-6 * np.abs(g).max())
    for i in free:
        col_fd = _fd_grad(lambda q: llgh(name, x, w, q)[1][i], p, h)
        np.testing.assert_allclose(H[i, free], col_fd[free], rtol=1e-6, atol=1e-6 * np.abs(H).max())
    np.testing.assert_array_equal(H, H.T)


@pytest.mark.parametrize("name", NAMES)
def test_bitwise_identical_for_any_thread_count(name, rng):
    x, p = sample(name, rng, 100_003)   # not a multiple of the block size
    ref = sums(name, x, None, p, n_threads=1)
    for n_threads in (2, 3, 4):
        np.testing.assert_array_equal(sums(name, x, None, p, n_threads=n_threads), ref)
    w = rng.uniform(0.5, 2.0, x.size)
    ref_w = sums(name, x, w, p, n_threads=1)
    np.testing.assert_array_equal(sums(name, x, w, p, n_threads=2), ref_w)


@pytest.mark.parametrize("name", NAMES)
def test_float32_read_as_is_and_accumulated_in_double(name, rng):
    x, p = sample(name, rng, 20_000)
    x32 = x.astype(np.float32)
    # each float32 is widened exactly, so the sums are bitwise those of the float64 copy
    np.testing.assert_array_equal(sums(name, x32, None, p), sums(name, x32.astype(np.float64), None, p))


@pytest.mark.parametrize("name", NAMES)
def test_strided_and_readonly_views(name, rng):
    x, p = sample(name, rng, 30_000)
    view = x[::3]
    np.testing.assert_array_equal(sums(name, view, None, p), sums(name, np.ascontiguousarray(view), None, p))
    rev = x[::-1]
    np.testing.assert_allclose(sums(name, rev, None, p), sums(name, x, None, p), rtol=1e-12)
    ro = x.copy()
    ro.setflags(write=False)
    np.testing.assert_array_equal(sums(name, ro, None, p), sums(name, x, None, p))


@pytest.mark.parametrize("name", NAMES)
def test_weights_equal_repeated_observations(name, rng):
    x, p = sample(name, rng, 4000)
    w = rng.integers(0, 5, x.size).astype(float)
    got = llgh(name, x, w, p)
    rep = llgh(name, np.repeat(x, w.astype(int)), None, p)
    assert got[0] == pytest.approx(rep[0], rel=1e-12)
    np.testing.assert_allclose(got[1], rep[1], rtol=1e-10, atol=1e-9 * np.abs(rep[1]).max())
    np.testing.assert_allclose(got[2], rep[2], rtol=1e-10, atol=1e-9 * np.abs(rep[2]).max())


def test_empty_chunk_gives_zero_sums():
    for name in NAMES:
        p = sample(name, np.random.default_rng(0), 2)[1]
        np.testing.assert_array_equal(sums(name, np.empty(0), None, p), 0.0)


def test_sums_are_additive_over_chunks(rng):
    # the contract the chunked / distributed drivers rely on
    x, p = sample("weibull_min", rng, 50_000)
    whole = sums("weibull_min", x, None, p)
    parts = sum(sums("weibull_min", part, None, p) for part in np.array_split(x, 7))
    np.testing.assert_allclose(parts, whole, rtol=1e-13)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_count_values_is_bincount(dtype):
    from fastmle import _scan

    k = np.random.default_rng(8).poisson(40.0, 300_001).astype(dtype)
    ref = np.bincount((k - k.min()).astype(np.intp))
    base, width = float(k.min()), int(k.max() - k.min()) + 1
    for n_threads in (1, 2, 3):
        np.testing.assert_array_equal(_scan.count_values(k, base, width, n_threads), ref)
    strided = k[::-3]
    np.testing.assert_array_equal(_scan.count_values(strided, base, width, 2),
                                  np.bincount((strided - base).astype(np.intp), minlength=width))
    assert _scan.count_values(k[:0], 0.0, 4, 2).tolist() == [0.0] * 4
