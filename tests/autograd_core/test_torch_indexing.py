"""PyTorch's indexing functions (autograd_core/torch_indexing.py) where PyTorch's OpInfo entries found them wrong:
take_along_dim's negative indices, which count from the end, as NumPy's and torch 2.14's with a dim. Values and
gradients against torch; the other checks of these functions are in test_torch_functions_edges.py."""
import numpy as np
import pytest

import autograd_core as ag


CASES = [
    ([[-1, -5, 0], [4, -2, -3]], 1),
    ([[-2, 1, -1, 0, -2]], 0),
    ([[-1], [0]], 1),  # broadcast off dim
]


def _scattered_back(cotangent, index, dim, shape):
    """NumPy's reference gradient: each cotangent entry added to the entry of x that take_along_axis picked."""
    index = np.broadcast_to(np.asarray(index) % shape[dim], cotangent.shape)
    positions = list(np.indices(cotangent.shape))
    positions[dim] = index
    grad = np.zeros(shape)
    np.add.at(grad, tuple(positions), cotangent)
    return grad


@pytest.mark.parametrize("index, dim", CASES)
def test_take_along_dim_counts_negative_indices_from_the_end(index, dim):
    # found by porting PyTorch's OpInfo entries for take_along_dim (its "negative indices" sample): ours refused
    # every negative index, where torch.take_along_dim(x, i, dim) reads -1 as the last (as NumPy's take_along_axis)
    values = np.random.default_rng(1).normal(size=(2, 5))
    x = ag.tensor(values, requires_grad=True)
    ours = ag.take_along_dim(x, ag.tensor(index), dim)
    np.testing.assert_array_equal(ours.data, np.take_along_axis(values, np.asarray(index), dim))
    cotangent = np.arange(1.0, ours.size + 1).reshape(ours.shape)
    ours.backward(cotangent)
    np.testing.assert_array_equal(x.grad.data, _scattered_back(cotangent, index, dim, values.shape))


@pytest.mark.parametrize("index, dim", CASES)
def test_take_along_dim_counts_negative_indices_from_the_end_as_torch(index, dim):
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(1).normal(size=(2, 5))
    x, tx = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    ours = ag.take_along_dim(x, ag.tensor(index), dim)
    theirs = torch.take_along_dim(tx, torch.tensor(index), dim)
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    cotangent = np.arange(1.0, ours.size + 1).reshape(ours.shape)
    ours.backward(cotangent)
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


def test_take_along_dim_still_refuses_indices_past_either_end():
    # (torch 2.14 reads them modulo the size, with no error: -6 and 5 of a length-5 axis pick entries 4 and 0)
    x = ag.ones((2, 5))
    for bad in (-6, 5):
        with pytest.raises(IndexError, match=rf"take_along_dim: index {bad} is out of bounds for dimension 1 with "
                                             rf"size 5 \(indices must be in \[-5, 5\)"):
            ag.take_along_dim(x, ag.full((2, 1), bad, dtype=np.int64), 1)
    np.testing.assert_array_equal(ag.take_along_dim(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([-1, -3])).data, [3, 1])
