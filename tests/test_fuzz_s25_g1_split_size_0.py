"""Fuzzer G1 (session 25): Tensor.split(0) of an axis of length 0 gives one empty piece, as PyTorch's (it was
refused); a split_size of 0 for an axis with entries stays refused, as by PyTorch."""
import numpy as np
import pytest
try:
    import torch
except ImportError:  # (CI has no torch: the shapes are written out still run)
    torch = None

import autograd_core as ag


@pytest.mark.parametrize("shape, dim", [((0,), 0), ((3, 0), 1), ((0, 2), -2), ((2, 0, 4), 1)])
def test_split_size_0_of_an_empty_axis(shape, dim):
    t = ag.zeros(shape, requires_grad=True)
    pieces = t.split(0, dim)
    assert [p.shape for p in pieces] == [shape]  # one empty piece
    if torch is not None:
        assert [tuple(q.shape) for q in torch.zeros(shape).split(0, dim)] == [shape]
    (pieces[0] * 2.0).sum().backward()
    assert t.grad.shape == shape


def test_split_size_0_of_an_axis_with_entries_stays_refused():
    if torch is not None:
        with pytest.raises(RuntimeError):
            torch.zeros(4).split(0)
    with pytest.raises(ValueError, match="split_size must be at least 1 .or 0 for an axis of length 0., got 0"):
        ag.zeros(4).split(0)
    with pytest.raises(ValueError, match="split_size must be at least 1"):
        ag.zeros(0).split(-1)
    np.testing.assert_array_equal([p.shape for p in ag.zeros((0, 3)).split(2)], [(0, 3)])
