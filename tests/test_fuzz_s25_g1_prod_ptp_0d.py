"""Fuzzer G1 (session 25): NumPy's prod and ptp reduce a 0-d input over axis 0 or -1 (as sum, max and min do here);
prod's backward then raised a bare AxisError from normalising that axis, and ptp refused the axis."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradgradcheck


@pytest.mark.parametrize("axis", [0, -1, np.int64(0)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod_of_a_0d_input_along_its_only_axis(axis, keepdims):
    t = ag.tensor(2.5, requires_grad=True)
    out = ag.prod(t, axis=axis, keepdims=keepdims)
    expected = np.prod(np.array(2.5), axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected) and float(out) == float(expected)
    out.backward()
    assert t.grad.shape == () and float(t.grad) == 1.0
    assert gradgradcheck(lambda x: ag.prod(x, axis=axis) ** 3, np.array(1.5))


@pytest.mark.parametrize("axis", [0, -1])
def test_ptp_of_a_0d_input_along_its_only_axis(axis):
    t = ag.tensor(2.5, requires_grad=True)
    out = ag.ptp(t, axis=axis)
    assert out.shape == np.shape(np.ptp(np.array(2.5), axis=axis)) and float(out) == 0.0
    out.backward()
    assert float(t.grad) == 0.0


def test_other_axes_of_a_0d_input_stay_refused():
    for call in (lambda t: ag.ptp(t, axis=1), lambda t: ag.ptp(t, axis=(0,)), lambda t: ag.prod(t, axis=1),
                 lambda t: ag.ptp(t, axis=True)):
        with pytest.raises((np.exceptions.AxisError, TypeError), match="ptp|prod"):
            call(ag.tensor(2.0))
