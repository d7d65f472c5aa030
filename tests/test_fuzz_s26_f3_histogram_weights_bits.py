"""Fuzzer F3 (session 26): histogram's weighted counts and range edges are NumPy's to the bit.

- equal bins: NumPy sums each block of 65,536 weights in float64 (np.bincount) and rounds to the weights' dtype;
  histogram summed float32 weights in float32 (a unit in the last place off, ag [-5.519652] against NumPy's
  [-5.5196524]).
- given edges: NumPy differences running sums of the weights in x's sorted order; histogram summed them directly.
- range=: NumPy's edges are linspace in result_type(*range, x), from the given numbers: a Python float range keeps
  float32 x's edges float32 but computes them in float64 first, an np.float64 range makes them float64; histogram
  rounded the range to x's dtype first, and made them float32 for np.float64 too.
"""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


def _bits_equal(ours, theirs):
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.data.tobytes() == theirs.tobytes(), (ours.data, theirs)


@pytest.mark.parametrize("n", [7, 40, 70_000])
@pytest.mark.parametrize("edges", [False, True])
@pytest.mark.parametrize("density", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
def test_weighted_counts_equal_numpys(n, edges, density, dtype):
    rng = np.random.default_rng(n)
    x, w = rng.normal(size=n).astype(np.float32), rng.normal(size=n).astype(dtype)
    bins = np.sort(rng.normal(size=6)) if edges else 7
    counts, bin_edges = ag.histogram(x, bins=bins, weights=ag.tensor(w, requires_grad=True), density=density)
    expected, expected_edges = np.histogram(x, bins=bins, weights=w, density=density)
    _bits_equal(counts, expected)
    np.testing.assert_array_equal(bin_edges.data, expected_edges)


def test_the_fuzzed_float32_case():
    x = np.ones(12)
    w = np.array([-0.03058761, -0.6056436, -1.5508912, -0.60334194, 0.3784757, -1.405083, -0.17024693, -1.434867,
                  0.22444971, -1.7433741, 0.7362951, 0.68516254], np.float32)
    _bits_equal(ag.histogram(x, bins=1, weights=w)[0], np.histogram(x, bins=1, weights=w)[0])


@pytest.mark.parametrize("range_", [(0.0363694, 1.7849101), (-2.1065611872332948, 0.01368401932219881),
                                    (np.float64(0.1), np.float64(0.9)), (0, 1), (np.float32(0.1), np.float32(0.7)),
                                    (0.5, 0.5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64, np.int32])
def test_range_edges_equal_numpys(range_, dtype):
    x = np.array([0.1, 0.5, 0.9, 0.3]).astype(dtype)
    w = np.array([1.0, 2.0, 0.5, 0.25], np.float32)
    for weights in (None, w):
        counts, edges = ag.histogram(ag.tensor(x), bins=4, range=range_, weights=weights)
        expected, expected_edges = np.histogram(x, bins=4, range=range_, weights=weights)
        _bits_equal(edges, expected_edges)
        _bits_equal(counts, expected)


def test_gradients_of_the_weights_hold():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=6), rng.normal(size=6)
    for bins in (3, np.array([-3.0, -0.5, 0.2, 3.0])):
        for density in (False, True):
            def f(ww):
                return ag.histogram(x, bins=bins, weights=ww, density=density)[0]
            assert gradcheck(f, ag.tensor(w, requires_grad=True))
            assert gradgradcheck(lambda ww: f(ww) ** 2, ag.tensor(w, requires_grad=True))
    w32 = ag.tensor(w.astype(np.float32), requires_grad=True)
    ag.histogram(x, bins=3, weights=w32)[0].sum().backward()
    assert w32.grad.dtype == np.float32 and np.all(w32.grad.data == 1)
