"""autograd_core/testing/strategies.py: the strategies draw what they promise."""
import re

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import autograd_core as ag
from autograd_core.testing.strategies import axes, broadcastable_shapes, elements, float_arrays, shapes, tensors


@given(tensors(shape=(2, 3), dtype=np.float32, elements=elements(-1, 1), requires_grad=True))
def test_tensors_have_the_requested_shape_dtype_and_range(t):
    assert isinstance(t, ag.Tensor)
    assert t.shape == (2, 3) and t.dtype == np.float32 and t.requires_grad
    assert np.all(np.abs(t.data) <= 1)


@given(tensors())
def test_default_tensors_are_finite_float64(t):
    assert t.dtype == np.float64 and np.all(np.isfinite(t.data)) and t.ndim <= 3


@given(elements(-2, 2, avoid=(0.0, 1.0), margin=0.1))
def test_elements_avoid_kinks(v):
    assert -2 <= v <= 2 and abs(v) >= 0.1 and abs(v - 1) >= 0.1


@given(elements(-1, 1, dtype=np.float32, avoid=(0.0,)))
def test_float32_elements_are_representable_in_float32(v):
    assert float(np.float32(v)) == v and abs(v) >= 1e-3


@given(tensors(shape=(20,), dtype=np.float32, elements=elements(-1e40, 1e40, dtype=np.float32)))
def test_float32_elements_past_its_range_stay_finite(t):
    assert np.all(np.isfinite(t.data))


@given(elements(None, None), elements(0.0, None, dtype=np.float32), elements(-np.inf, np.inf, dtype=np.int8))
def test_a_bound_of_none_or_past_the_dtypes_range_is_the_dtypes_own(unbounded, nonnegative, small):
    assert np.isfinite(unbounded) and 0 <= nonnegative <= np.finfo(np.float32).max and -128 <= small <= 127
    assert float(np.float32(nonnegative)) == nonnegative and isinstance(small, int)


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
@pytest.mark.parametrize("bounds", [(None, None), (0, 1e20)], ids=["unbounded", "past_the_range"])
def test_integer_elements_of_64_bit_dtypes_stay_in_the_dtypes_range(dtype, bounds):
    # float(2**63 - 1) is 2**63: a limit taken through a float drew values the dtype cannot hold, and
    # tensors(dtype=np.int64, elements=...) raised OverflowError while drawing.
    info = np.iinfo(dtype)
    with pytest.raises(NoSuchExample):
        find(elements(*bounds, dtype=dtype), lambda v: not int(info.min) <= v <= int(info.max))
    assert find(elements(*bounds, dtype=dtype), lambda v: v >= int(info.max)) == int(info.max)


@given(tensors(shape=(3,), dtype=np.int32, elements=elements(-2.5, 7, dtype=np.int32, avoid=(0,), margin=1)))
def test_integer_elements_are_the_integers_in_range(t):
    assert t.dtype == np.int32 and np.all((-2 <= t.data) & (t.data <= 7) & (t.data != 0))


def test_shapes_include_0d_and_size1_axes():
    assert find(shapes(), lambda s: s == ()) == ()
    assert 1 in find(shapes(min_dims=1), lambda s: 1 in s)


@given(broadcastable_shapes(3))
def test_broadcastable_shapes_broadcast(shapes_):
    assert len(shapes_) == 3
    np.broadcast_shapes(*shapes_)


def test_broadcastable_shapes_include_0d_size1_and_unequal_ranks():
    assert find(broadcastable_shapes(), lambda s: () in s)
    assert find(broadcastable_shapes(), lambda s: len(s[0]) != len(s[1]))
    assert find(broadcastable_shapes(), lambda s: any(a == 1 and b > 1 for a, b in zip(s[0][::-1], s[1][::-1])))


@given(shapes(min_dims=1, max_dims=2, max_side=3).flatmap(lambda s: st.tuples(st.just(s), axes(len(s)))))
def test_axes_are_valid_for_numpy(case):
    shape, axis = case
    reduced = np.sum(np.ones(shape), axis=axis)  # raises AxisError for an invalid axis
    count = int(np.prod(shape)) if axis is None else int(np.prod([shape[a] for a in np.atleast_1d(axis)]))
    assert np.all(reduced == count)


def test_axes_include_negative_ints():
    assert find(axes(3), lambda a: isinstance(a, int) and a < 0) < 0


@given(axes(3, allow_none=False, allow_tuple=False))
def test_axes_without_none_or_tuples_are_ints(axis):
    assert isinstance(axis, int) and -3 <= axis < 3


@given(float_arrays(shapes(max_dims=2), elements=st.just(0.5)))
def test_float_arrays(a):
    assert isinstance(a, np.ndarray) and a.dtype == np.float64 and np.all(a == 0.5)


@given(tensors(shape=(3,), dtype=np.int64), tensors(shape=(2,), dtype=np.uint8), tensors(shape=(2,), dtype=bool))
def test_integer_and_bool_tensors_get_matching_default_elements(ints, small, flags):
    assert ints.dtype == np.int64 and np.all(np.abs(ints.data) <= 10)
    assert small.dtype == np.uint8 and np.all(small.data <= 10)
    assert flags.dtype == bool


@settings(max_examples=20)
@given(elements(0.1, 0.3, dtype=np.float32))
def test_float32_bounds_that_float32_cannot_hold_are_rounded_inward(v):
    # Hypothesis refused min_value=0.1 for width 32 (0.1 is no float32).
    assert 0.1 <= v <= 0.3 and float(np.float32(v)) == v


def test_shapes_reach_three_dimensions_by_default():
    assert len(find(shapes(), lambda s: len(s) == 3)) == 3


@settings(max_examples=30)
@given(broadcastable_shapes(min_dims=2))
def test_broadcastable_shapes_honour_min_dims(pair):
    assert all(len(s) >= 2 for s in pair)


def test_default_integer_elements_include_negatives():
    find(float_arrays((3,), dtype=np.int64), lambda a: (a < 0).any())



@settings(max_examples=100)
@given(elements(-1.5, 2.5, dtype=np.int64))
def test_integer_elements_stay_inside_fractional_bounds(v):
    assert -1 <= v <= 2


@settings(max_examples=100)
@given(elements())
def test_default_elements_are_within_ten(v):
    assert -10 <= v <= 10


SEARCH = settings(max_examples=150, database=None, derandomize=True)


# ---- broadcastable_shapes ---------------------------------------------------------------------------------
@settings(max_examples=20)
@given(broadcastable_shapes())
def test_broadcastable_shapes_draw_pairs_by_default(shapes_):
    assert len(shapes_) == 2
    np.broadcast_shapes(*shapes_)


def test_broadcastable_shapes_sides_reach_max_side_4_and_no_further_by_default():
    assert 4 in [side for s in find(broadcastable_shapes(), lambda p: any(4 in s for s in p), settings=SEARCH)
                 for side in s]
    with pytest.raises(NoSuchExample):
        find(broadcastable_shapes(), lambda p: any(side > 4 for s in p for side in s), settings=SEARCH)


@pytest.mark.parametrize("num_shapes", [(3, 4), 0, 2.0, True])
def test_broadcastable_shapes_names_a_bad_num_shapes_when_made(num_shapes):
    # Hypothesis refused it only when drawing, naming no strategy; (3, 4) is the shape Hypothesis's own
    # broadcastable_shapes(shape) takes first, so the error points there.
    with pytest.raises(ValueError, match=rf"broadcastable_shapes: num_shapes must be an int >= 1 .*got "
                                         rf"{re.escape(repr(num_shapes))}"):
        broadcastable_shapes(num_shapes)
    with pytest.raises(ValueError, match=r"hypothesis\.extra\.numpy\.broadcastable_shapes\(shape\)"):
        broadcastable_shapes((3, 4))


@settings(max_examples=10)
@given(broadcastable_shapes(np.int64(3)))
def test_broadcastable_shapes_take_a_numpy_int_num_shapes(shapes_):
    assert len(shapes_) == 3


# ---- axes --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ndim", [0, 1, 3])
def test_every_axis_drawn_for_ndim_is_accepted_by_numpy(ndim):
    @settings(max_examples=30, database=None)
    @given(axes(ndim))
    def check(axis):
        array = np.ones((2,) * ndim)
        expected = 2 ** (ndim if axis is None else np.size(axis))  # each summed axis has 2 elements
        np.testing.assert_array_equal(np.sum(array, axis=axis), expected)

    check()


def test_axes_of_a_0_d_array_are_none_or_the_empty_tuple():
    assert find(axes(0), lambda a: a is None, settings=SEARCH) is None
    assert find(axes(0), lambda a: a == (), settings=SEARCH) == ()
    with pytest.raises(NoSuchExample):
        find(axes(0), lambda a: a is not None and a != (), settings=SEARCH)


def test_axes_include_tuples_unless_refused():
    assert len(find(axes(3), lambda a: isinstance(a, tuple) and len(a) >= 2, settings=SEARCH)) >= 2
    with pytest.raises(NoSuchExample):
        find(axes(3, allow_tuple=False), lambda a: isinstance(a, tuple), settings=SEARCH)


@pytest.mark.parametrize("kwargs, kind, message", [
    ({"dtype": "foo"}, TypeError, "tensors: dtype 'foo' is not a NumPy dtype"),
    ({"shape": -1}, ValueError, r"tensors: shape -1 must be ints >= 0"),
    ({"shape": (2, -3)}, ValueError, r"tensors: shape \(2, -3\) must be ints >= 0"),
    ({"dtype": np.complex128}, ValueError, "tensors: unsupported dtype complex128"),
])
def test_a_bad_shape_or_dtype_is_named_when_the_strategy_is_made(kwargs, kind, message):
    with pytest.raises(kind, match=message):  # (NumPy's or Hypothesis's own words, unnamed, when drawn)
        tensors(**kwargs)
    with pytest.raises(kind, match=message.replace("tensors", "float_arrays")):
        float_arrays(**kwargs)


# The strategies name a bad argument when they are made, where they raised Hypothesis's, NumPy's or a Tensor's own
# words while drawing (naming no strategy), or drew what the docstrings rule out.

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
