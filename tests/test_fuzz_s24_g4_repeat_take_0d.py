"""Fuzzer G4 (session 24): repeat and take of a 0-d input along axis 0 or -1, as NumPy's (they raised AxisError)."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("axis", [0, -1, np.int64(0)])
def test_repeat_of_a_0d_input_along_axis_0_as_numpy(axis):
    for repeats in (3, [3], np.array(2)):
        t = ag.tensor(2.0, requires_grad=True)
        out = np.repeat(t, repeats, axis=axis)
        expected = np.repeat(np.array(2.0), repeats, axis=axis)
        assert out.shape == expected.shape
        np.testing.assert_array_equal(out.data, expected)
        out.sum().backward()
        assert float(t.grad) == expected.size


@pytest.mark.parametrize("axis", [0, -1])
def test_take_of_a_0d_input_along_axis_0_as_numpy(axis):
    for indices, mode in ((0, "raise"), ([0, 0], "raise"), ([1, -3], "wrap"), ([5], "clip")):
        t = ag.tensor(2.0, requires_grad=True)
        out = ag.take(t, indices, axis=axis, mode=mode)
        expected = np.take(np.array(2.0), indices, axis=axis, mode=mode)
        assert out.shape == np.shape(expected)
        np.testing.assert_array_equal(out.data, expected)
        out.sum().backward()
        assert float(t.grad) == np.size(expected)
    with pytest.raises(IndexError, match="take: index 1"):
        np.take(ag.tensor(2.0), [1], axis=axis)


def test_other_axes_of_a_0d_input_stay_refused():
    for axis in (1, -2):
        with pytest.raises(np.exceptions.AxisError, match="repeat"):
            np.repeat(ag.tensor(2.0), 2, axis=axis)
        with pytest.raises(np.exceptions.AxisError, match="take"):
            np.take(ag.tensor(2.0), 0, axis=axis)
