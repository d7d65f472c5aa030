"""Indexing (autograd_core/ops/indexing.py): the memory layout of a pick. Values and gradients against NumPy-hand
references, and against torch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


@pytest.mark.parametrize("index", [
    (slice(None), [3, 1, 2], slice(None)),  # NumPy walks the integer array's axis first: strides (8, 32, 8)
    (slice(None), [[0, 2], [1, 1]]),
    (Ellipsis, [0, 0]),
    (slice(1, 3), [4, 0], 0),
])
def test_a_pick_mixing_slices_and_integer_arrays_is_c_ordered_as_torchs(index):
    # EmilienDupont's neural processes: x[:, locations, :] then x.view(batch_size * num_points, x_dim)
    values = np.arange(4 * 5 * 2.0).reshape(4, 5, 2)
    x = ag.tensor(values, requires_grad=True)
    picked = x[index]
    np.testing.assert_array_equal(picked.data, values[index])
    assert picked.data.flags.c_contiguous
    flat = picked.view(-1)
    (flat * np.arange(flat.shape[0])).sum().backward()
    expected = np.zeros(values.shape)
    np.add.at(expected, index, np.arange(flat.shape[0], dtype=float).reshape(picked.shape))
    np.testing.assert_array_equal(x.grad.data, expected)
    assert gradcheck(lambda t: t[index].view(-1) ** 2, values)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values)[tuple(torch.tensor(i) if isinstance(i, list) else i for i in index)]
    np.testing.assert_array_equal(picked.view(-1).data, theirs.view(-1).numpy())


def test_basic_indexing_stays_a_view_with_its_strides():
    x = ag.tensor(np.arange(24.0).reshape(4, 6))
    every_other = x[1:, ::2]
    assert np.shares_memory(every_other.data, x.data) and not every_other.data.flags.c_contiguous
    x.T[:, 1:][0, 0] = -1.0  # a view of a view writes through to x
    assert x.data[1, 0] == -1.0
