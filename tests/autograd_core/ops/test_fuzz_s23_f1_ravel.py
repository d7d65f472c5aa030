"""Regression found by fuzzing ravel on strided Tensors against NumPy (session 23, F1)."""
import numpy as np
import pytest

import autograd_core as ag

_BASE = np.arange(48.0).reshape(2, 3, 8)


@pytest.mark.parametrize("view", [
    _BASE.transpose(1, 0, 2),  # neither C- nor F-contiguous: NumPy's "K" reads in memory order
    _BASE.transpose(2, 0, 1),
    _BASE[:, ::-1, ::2].transpose(0, 2, 1),
    np.broadcast_to(_BASE[:1], (4, 3, 8)),
    _BASE.T,
    _BASE[:, ::-1],
], ids=["swap01", "perm201", "flip-strided-perm", "broadcast", "F", "flipped"])
@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_ravel_follows_numpy_memory_order(view, order):
    x = ag.tensor(view, requires_grad=True)
    data = np.asarray(x.data)
    want = np.ravel(data, order=order)
    got = ag.ravel(x, order=order)
    assert np.array_equal(got.data, want)
    assert np.array_equal(np.ravel(x, order).data, want) and np.array_equal(x.ravel(order).data, want)
    weights = np.arange(1.0, want.size + 1)
    (got * weights).sum().backward()
    # each weight goes back to the element at its position: summed per distinct value of the input
    per_value = {}
    for value, weight in zip(want, weights):
        per_value[value] = per_value.get(value, 0.0) + weight
    copies = {value: np.count_nonzero(data == value) for value in per_value}
    expected = np.vectorize(lambda value: per_value[value] / copies[value])(data)
    grad = x.grad.data
    for value in per_value:  # (copies of one broadcast value share its gradient: compare the sums)
        assert np.isclose(grad[data == value].sum(), expected[data == value].sum())
