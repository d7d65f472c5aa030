"""Fuzzer F3 (session 26): arguments of bincount and histogram.

- bincount's minlength as a 0-d integer array or Tensor is NumPy's (operator.index); it was refused.
- histogram's range holding a Tensor that requires grad was read as a constant number, silently cutting its gradient;
  it is refused, naming what keeps the gradient (edges from ag.linspace). A constant Tensor stays accepted.
"""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


@pytest.mark.parametrize("minlength", [np.array(3), ag.tensor(3), np.array(4, np.uint8)])
def test_bincount_minlength_as_a_0d_integer(minlength):
    x = np.array([0, 1, 1])
    expected = np.bincount(x, minlength=minlength.data if isinstance(minlength, ag.Tensor) else minlength)
    out = ag.bincount(x, minlength=minlength)
    assert out.dtype == expected.dtype and np.array_equal(out.data, expected)
    with pytest.raises(TypeError, match="^bincount: minlength must be an int"):
        ag.bincount(x, minlength=np.array(3.0))


def test_histogram_refuses_a_range_that_requires_grad():
    x = np.array([0.1, 0.5, -0.2])
    lo = ag.tensor(-1.0, requires_grad=True)
    with pytest.raises(TypeError, match="^histogram: range holds a Tensor that requires grad"):
        ag.histogram(x, bins=2, range=(lo, 1.0))
    counts, edges = ag.histogram(x, bins=2, range=(ag.tensor(-1.0), 1.0))
    expected, expected_edges = np.histogram(x, bins=2, range=(-1.0, 1.0))
    assert np.array_equal(counts.data, expected) and np.array_equal(edges.data, expected_edges)
    hi = ag.tensor(1.0, requires_grad=True)
    assert gradcheck(lambda a, b: ag.histogram(x, bins=ag.linspace(a, b, 3), density=True)[0], lo, hi)
