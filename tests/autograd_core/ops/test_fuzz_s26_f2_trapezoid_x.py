"""np.trapezoid's sample points x on Tensors as NumPy reads them: boolean x (NumPy's diff of booleans is not_equal;
it raised in a boolean subtract), an x of more axes than y (the sum along the axis as given), an x of fewer axes
with a non-negative axis (NumPy differences x along that axis of its own), and errors naming trapezoid (a 0-d x,
shapes that do not broadcast). Also np.cross of two boolean arrays refused naming cross."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


def _agree(y, x, **kwargs):
    expected = np.trapezoid(y, x, **kwargs)
    for got in (ag.trapezoid(ag.tensor(y), x, **kwargs), np.trapezoid(y, ag.tensor(x), **kwargs)):
        assert got.shape == np.shape(expected) and got.dtype == np.asarray(expected).dtype
        np.testing.assert_allclose(got.data, expected)


def test_boolean_x_is_differenced_as_not_equal():
    _agree(np.array([1.0, 2.0, 4.0]), np.array([False, True, True]))
    _agree(np.array([[1.0, 2.0, 4.0], [3.0, 0.5, 1.0]]), np.array([[True, False, True], [False, False, True]]))
    _agree(np.array([True, False, True]), np.array([False, True, True]))


def test_x_with_more_axes_than_y_sums_along_the_axis_as_given():
    y = np.array([1.0, 2.0, 4.0])
    _agree(y, np.array([[0.0, 1.0, 3.0]]))
    _agree(y, np.array([[0.0, 1.0, 3.0], [0.0, 2.0, 2.5]]), axis=-1)
    _agree(np.ones((3, 2)), np.arange(12.0).reshape(2, 3, 2) ** 2, axis=-2)


def test_x_with_fewer_axes_and_a_non_negative_axis_is_numpys():
    y = np.arange(12.0).reshape(3, 2, 2)
    x = np.array([[0.0], [1.0], [3.0]])
    _agree(y, x, axis=0)
    yt = ag.tensor(y, requires_grad=True)
    assert gradcheck(lambda y: ag.trapezoid(y, x, axis=0), yt)
    with pytest.raises(ValueError, match="trapezoid: the spacings of x of shape \\(3, 3\\)"):
        ag.trapezoid(ag.ones((2, 3, 4)), np.ones((3, 4)), axis=1)  # NumPy raises too (x differenced along its axis 1)


def test_errors_name_trapezoid():
    with pytest.raises(ValueError, match="trapezoid: the sample points x must be at least 1-D"):
        ag.trapezoid(ag.ones((2, 3)), ag.tensor(1.0))
    with pytest.raises(ValueError, match="trapezoid: the spacings of x of shape \\(1, 4\\)"):
        ag.trapezoid(ag.ones((2, 3)), np.ones(5))
    with pytest.raises(ValueError, match="trapezoid: the spacings dx of shape \\(3,\\) .*; dx must broadcast"):
        ag.trapezoid(ag.ones((2, 3)), dx=np.ones(3))
    with pytest.raises(np.exceptions.AxisError, match="trapezoid: axis 2"):
        ag.trapezoid(ag.ones((2, 3)), np.ones((2, 3, 4)), axis=2)


def test_cross_of_booleans_is_refused_naming_cross():
    a = np.array([True, False, True])
    with pytest.raises(TypeError):
        np.cross(a, a)
    with pytest.raises(TypeError, match="cross: boolean inputs"):
        ag.cross(ag.tensor(a), a)
    with pytest.raises(ValueError, match="cross: incompatible dimensions"):  # the shapes are checked first, as NumPy's
        ag.cross(ag.tensor(a), np.ones(4, bool))
    np.testing.assert_array_equal(ag.cross(ag.tensor(a), a.astype(np.int8)).data, np.cross(a, a.astype(np.int8)))
