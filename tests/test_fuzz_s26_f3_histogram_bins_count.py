"""Fuzzer F3 (session 26): histogram's bins as a 0-d integer array or Tensor is a count, as NumPy's (operator.index);
it was read as edges and refused (shape ()). A float count raises TypeError, as NumPy's, where it raised ValueError."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("bins", [np.array(3), np.int32(3), np.array(2, np.uint8), ag.tensor(4)])
@pytest.mark.parametrize("kw", [{}, {"range": (0, 1)}, {"weights": np.ones(5)}, {"density": True}])
def test_a_0d_integer_bins_is_a_count(bins, kw):
    x = np.array([0.1, 0.4, 0.5, 0.9, 2.0])
    counts, edges = ag.histogram(ag.tensor(x), bins=bins, **kw)
    expected, expected_edges = np.histogram(x, bins=bins.data if isinstance(bins, ag.Tensor) else bins, **kw)
    assert counts.dtype == expected.dtype and np.array_equal(counts.data, expected)
    assert edges.dtype == expected_edges.dtype and np.array_equal(edges.data, expected_edges)


@pytest.mark.parametrize("bins", [3.0, np.float64(3), np.array(2.5), ag.tensor(2.0)])
def test_a_float_count_raises_type_error(bins):
    x = np.array([0.1, 0.4, 0.5])
    with pytest.raises(TypeError):
        np.histogram(x, bins=bins.data if isinstance(bins, ag.Tensor) else bins)
    with pytest.raises(TypeError, match=r"^histogram: `bins` must be an integer"):
        ag.histogram(ag.tensor(x), bins=bins)
