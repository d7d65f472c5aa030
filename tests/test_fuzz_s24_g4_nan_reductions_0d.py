"""Fuzzer G4 (session 24): the nan-reductions of a 0-d input take axis 0 or -1, as NumPy's (they raised AxisError)."""
import warnings

import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin"])
@pytest.mark.parametrize("axis", [0, -1, np.int64(0)])
@pytest.mark.parametrize("value", [2.5, float("nan")])
def test_nan_reduction_of_a_0d_input_takes_axis_0_as_numpy(name, axis, value):
    t = ag.tensor(value, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (a NaN alone: NumPy's All-NaN / empty-slice warning)
        expected = getattr(np, name)(np.array(value), axis=axis, keepdims=True)
        for out in (getattr(np, name)(t, axis=axis, keepdims=True), getattr(ag, name)(t, axis=axis)):
            assert out.shape == np.shape(expected) == ()
            np.testing.assert_array_equal(out.data, expected)
    out.backward()
    assert float(t.grad) == (1.0 if value == value else 0.0)


@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin"])
def test_other_axes_of_a_0d_input_stay_refused_as_numpy(name):
    for axis in (1, -2, (0,)):
        with pytest.raises(np.exceptions.AxisError):
            getattr(np, name)(np.array(1.0), axis=axis)
        with pytest.raises(np.exceptions.AxisError, match=name):
            getattr(ag, name)(ag.tensor(1.0), axis=axis)
