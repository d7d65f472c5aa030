"""Fuzzer G1 (session 25): reshape and view of one 0-d array or Tensor as the size (x.view(torch.tensor(6)) in
PyTorch, x.reshape(np.array(6)) in NumPy) tried to iterate it and refused it as no int."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call", [lambda x, s: x.reshape(s), lambda x, s: x.view(s), lambda x, s: ag.reshape(x, s),
                                  lambda x, s: np.reshape(x, s)])
@pytest.mark.parametrize("size", [np.array(6), np.int64(6), ag.tensor(6), ag.tensor(-1)])
def test_a_0d_integer_array_or_tensor_is_one_size(call, size):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    out = call(x, size)
    assert out.shape == (6,)
    (out * ag.arange(6.0)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(6.0).reshape(2, 3))


def test_sizes_that_are_no_ints_stay_refused():
    x = ag.zeros((2, 3))
    assert x.reshape(ag.tensor(2), 3).shape == (2, 3) and x.reshape(ag.tensor([3, 2])).shape == (3, 2)
    for size in (np.array(6.0), ag.tensor(True), 6.0):
        with pytest.raises(TypeError, match="reshape: the new shape must be ints"):
            x.reshape(size)
