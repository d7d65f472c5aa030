"""Fuzzer G1 (session 25): a slice whose bounds are Tensors or 0-d arrays (x[i:j], as PyTorch takes them) kept those
objects in the recorded index, so changing a bound in place after the forward moved the slice backward put the
gradient in: a silently shifted gradient, or a bare broadcasting ValueError. The bounds are read as ints when
indexing, as PyTorch reads them."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("make", [ag.tensor, np.array])
def test_a_bound_changed_after_the_forward_leaves_the_gradient_in_place(make):
    x = ag.tensor(np.arange(10.0), requires_grad=True)
    i, j = make(2), make(8)
    loss = (x[i:j] * ag.arange(6.0)).sum()
    i += 1
    j += 1
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0, 0, 1, 2, 3, 4, 5, 0, 0])
    x2 = ag.tensor(np.arange(10.0), requires_grad=True)
    k = make(2)
    loss = (x2[:, None][k:, 0] * ag.arange(8.0)).sum()
    k += 3
    loss.backward()
    np.testing.assert_array_equal(x2.grad.data, [0, 0] + list(range(8)))


def test_bounds_that_are_no_integers_stay_refused():
    x = ag.tensor(np.arange(10.0), requires_grad=True)
    for bound in (1.5, ag.tensor(1.5), np.array([1, 2]), ag.tensor(True)):
        with pytest.raises(TypeError, match="getitem"):
            x[bound:]
    np.testing.assert_array_equal(x[ag.tensor(2):ag.tensor(7):ag.tensor(2)].data, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(x[True:3].data, [1.0, 2.0])
