"""The strategies name a bad argument when they are made, where they raised Hypothesis's, NumPy's or a Tensor's
own words while drawing (naming no strategy), or drew what the docstrings rule out."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_core.testing.strategies import axes, elements, float_arrays, tensors


@pytest.mark.parametrize("kwargs, message", [
    ({"dtype": np.complex128, "elements": st.complex_numbers(max_magnitude=1)}, "unsupported dtype complex128"),
    ({"dtype": "U2", "elements": st.text(max_size=2)}, "unsupported dtype <U2"),
    ({"dtype": object, "elements": st.integers(0, 3)}, "unsupported dtype object"),
])
def test_dtype_outside_bool_integer_float_refused_even_with_elements(kwargs, message):
    # float_arrays drew complex or text arrays; tensors raised Tensor's error at each draw
    for make, name in ((tensors, "tensors"), (float_arrays, "float_arrays")):
        with pytest.raises(ValueError, match=f"{name}: {message}"):
            make(**kwargs)


@pytest.mark.parametrize("shape", [(True,), (2, False), [2.0]])
def test_shape_of_bools_or_floats_refused(shape):
    with pytest.raises(ValueError, match=r"tensors: shape .* must be ints >= 0"):
        tensors(shape)


@settings(max_examples=10)
@given(tensors((np.int64(2), np.int32(3))), float_arrays(np.int64(4)), tensors([1, 2]), tensors(np.array([3, 1])))
def test_numpy_ints_and_lists_as_shapes_are_taken(t, a, u, v):
    # Hypothesis refused NumPy's ints ("Array shape must be integer in each dimension") when drawing
    assert t.shape == (2, 3) and a.shape == (4,) and u.shape == (1, 2) and v.shape == (3, 1)


@pytest.mark.parametrize("dtype", [np.int64, np.bool_, np.uint8])
def test_requires_grad_needs_a_float_dtype(dtype):
    with pytest.raises(TypeError, match=r"tensors: requires_grad=True needs a float dtype"):
        tensors(dtype=dtype, requires_grad=True)
    with pytest.raises(TypeError, match=r"tensors: requires_grad must be a bool, got 'yes'"):
        tensors(requires_grad="yes")


@settings(max_examples=30)
@given(elements(-1, 1, avoid=0.5, margin=0.1))
def test_one_number_to_avoid(v):  # was TypeError: 'float' object is not iterable
    assert -1 <= v <= 1 and abs(v - 0.5) >= 0.1


@pytest.mark.parametrize("make, kind, message", [
    (lambda: elements(-1, 1, avoid=(0.0,), margin=2), ValueError,
     r"elements: every value in \[-1.0, 1.0\] lies within margin=2 of a value in avoid=\(0.0,\)"),
    (lambda: elements(0, 1, avoid=(0.0, 0.5, 1.0), margin=0.3), ValueError, r"elements: every value in"),
    (lambda: elements(-3, 3, dtype=np.int8, avoid=(-2, 0, 2), margin=1.5), ValueError, r"elements: every value in"),
    (lambda: elements(-1, 1, avoid=(0.0,), margin=-1), ValueError, r"elements: margin must be a finite number >= 0"),
    (lambda: elements(np.nan, 1), ValueError, r"elements: min_value is NaN"),
    (lambda: elements(-1, 1, avoid=(0.0, float("nan"))), ValueError, r"elements: avoid=\(0.0, nan\) holds NaN"),
    (lambda: elements(0, float("nan"), dtype=np.int8), ValueError, r"elements: max_value is NaN"),
    (lambda: elements(dtype="foo"), TypeError, r"elements: dtype 'foo' is not a NumPy dtype"),
    (lambda: axes(-1), ValueError, r"axes: ndim must be an int >= 0"),
    (lambda: axes(2.0), ValueError, r"axes: ndim must be an int >= 0"),
])
def test_elements_and_axes_arguments_named(make, kind, message):  # (axes: when made, not when drawn)
    with pytest.raises(kind, match=message):
        make()


@settings(max_examples=50)
@given(elements(0, 1, avoid=(0.0, 0.5, 1.0), margin=0.2), elements(-3, 3, dtype=np.int8, avoid=(-2, 0, 2),
                                                                    margin=1))
def test_gaps_left_open_are_drawn_from(v, i):  # not refused: only bounds every value of which is avoided are
    assert 0.2 <= v <= 0.3 or 0.7 <= v <= 0.8
    assert i in (-3, -1, 1, 3)
