"""Fuzzer G1 (session 25): cumprod of a 0-d input along axis 0 or -1 is NumPy's (shape (1,)) and now differentiable:
its backward swapped an axis the 0-d input does not have and raised a bare AxisError."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradgradcheck


@pytest.mark.parametrize("axis", [0, -1, np.int64(0), None])
def test_cumprod_of_a_0d_input_along_its_only_axis(axis):
    t = ag.tensor(2.5, requires_grad=True)
    out = ag.cumprod(t, axis=axis)
    expected = np.cumprod(np.array(2.5), axis=axis)
    assert out.shape == expected.shape == (1,)
    np.testing.assert_array_equal(out.data, expected)
    out.backward(ag.tensor([3.0]))
    assert t.grad.shape == () and float(t.grad) == 3.0
    assert gradgradcheck(lambda x: ag.cumprod(x, axis=axis) ** 2, np.array(1.5))
    np.cumprod(t, axis=axis).sum().backward()  # (through NumPy's function too)


def test_other_axes_of_a_0d_input_stay_refused():
    for axis in (1, -2):
        with pytest.raises(np.exceptions.AxisError, match="cumprod"):
            ag.cumprod(ag.tensor(2.0), axis=axis)
