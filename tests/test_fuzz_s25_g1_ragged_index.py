"""Fuzzer G1 (session 25): a ragged index sequence (x[[[0, 1], [1]]], item assignment or take_along_axis with one)
raised NumPy's bare "inhomogeneous shape" ValueError from np.asarray, naming no operation."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call, name", [
    (lambda x: x[[[0, 1], [1]]], "getitem"),
    (lambda x: x[[[0, 1], [1]], 0], "getitem"),
    (lambda x: x[[0, [1, 2]]], "getitem"),
    (lambda x: x.__setitem__([[0, 1], [1]], 1.0), "indexing"),
    (lambda x: ag.take_along_axis(x, [[0, 1], [1]], 1), "take_along_axis"),
])
def test_a_ragged_index_sequence_is_refused_with_the_operation_named(call, name):
    x = ag.zeros((2, 3))
    with pytest.raises(ValueError, match=f"^{name}: the index sequence .* is ragged"):
        call(x)
    assert x._version == 0
    with pytest.raises(ValueError):  # as NumPy
        np.zeros((2, 3))[[[0, 1], [1]]]


def test_rectangular_sequences_still_index():
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    picked = x[[[0, 1], [1, 1]]]
    assert picked.shape == (2, 2, 3)
    picked.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0] * 3, [3.0] * 3])
    np.testing.assert_array_equal(ag.take_along_axis(x, [[2, 0], [1, 1]], 1).data, [[2.0, 0.0], [4.0, 4.0]])
