"""Fuzzer F3 (session 26): quantile, percentile, nanquantile and nanpercentile against NumPy 2.4.

- an input with no elements whose reduced axes are not empty (shape (0, 3), axis=1) has empty quantiles in NumPy;
  they raised "the input is empty". The nan variants of any empty input give NumPy's nanmean of it (NaN, warned).
- an integer input with a float32 or float16 array q blends in their common dtype (uint8 with float32: float32), as
  NumPy's lerp does; they blended in float64.
- a boolean input is NumPy's for the methods that pick an element ('lower', 'higher', 'nearest', and 'linear' with
  integer q); it was refused for all methods. 'midpoint' and 'linear' with a float q still raise (NumPy's b - a).
- an axis out of range raised NumPy's bare AxisError; it now names the function, the shape and the axis.
"""
import warnings

import numpy as np
import pytest

import autograd_core as ag

FUNCS = ["quantile", "percentile", "nanquantile", "nanpercentile"]


def _q(func, q):
    return np.asarray(q) * 100 if "percentile" in func else q


def _same(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.shape, ours.dtype, theirs.shape,
                                                                       theirs.dtype)
    np.testing.assert_array_equal(ours.data, theirs)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("shape, axis", [((0, 3), 1), ((0, 2, 3), 2), ((2, 0, 3), -1), ((0, 3), -1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_empty_input_with_nonempty_reduced_axes(func, shape, axis, keepdims):
    x = np.zeros(shape, np.float32)
    for q in (0.5, np.array([0.25, 0.75])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(np, func)(x, _q(func, q), axis=axis, keepdims=keepdims)
            _same(getattr(ag, func)(ag.tensor(x), _q(func, q), axis=axis, keepdims=keepdims), expected)


@pytest.mark.parametrize("func", ["nanquantile", "nanpercentile"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_nan_variants_of_an_empty_slice_are_nan(func, dtype):
    for shape, axis in (((0,), None), ((3, 0), 1), ((3, 0), None), ((0, 2, 0), 2)):
        x = np.zeros(shape, dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(np, func)(x, _q(func, 0.5), axis=axis)
            out = getattr(ag, func)(ag.tensor(x), _q(func, 0.5), axis=axis)
        _same(out, expected)
    with pytest.warns(RuntimeWarning):
        getattr(ag, func)(ag.tensor(np.zeros((3, 0), dtype)), _q(func, np.array([0.5, 0.2])), axis=1)


@pytest.mark.parametrize("func", ["quantile", "percentile"])
def test_an_empty_reduced_axis_still_raises_naming_the_function(func):
    with pytest.raises(ValueError, match=f"^{func}: the reduced axes"):
        getattr(ag, func)(ag.tensor(np.zeros((3, 0))), _q(func, 0.5), axis=1)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("xdtype", [np.uint8, np.int8, np.int16, np.int32, np.int64])
@pytest.mark.parametrize("qdtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("method", ["linear", "midpoint"])
def test_integers_blend_in_qs_float_dtype(func, xdtype, qdtype, method):
    x = np.array([[3, 1, 7, 2], [5, 5, 0, 9]], xdtype)
    q = _q(func, np.array([0.3, 0.55])).astype(qdtype)
    expected = getattr(np, func)(x, q, axis=1, method=method)
    _same(getattr(ag, func)(ag.tensor(x), q, axis=1, method=method), expected)
    _same(getattr(ag, func)(ag.tensor(x), float(q[0]), axis=1, method=method),
          getattr(np, func)(x, float(q[0]), axis=1, method=method))


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("method", ["lower", "higher", "nearest"])
def test_booleans_with_the_picking_methods(func, method):
    x = np.array([[True, False, True], [False, False, True]])
    for q in (0.4, np.array([0.1, 0.9])):
        _same(getattr(ag, func)(ag.tensor(x), _q(func, q), axis=1, method=method),
              getattr(np, func)(x, _q(func, q), axis=1, method=method))
    if "quantile" in func:  # (integer q: NumPy's linear picks; percentile's q / 100 is a float)
        _same(getattr(ag, func)(ag.tensor(x), np.array([0, 1]), method="linear"),
              getattr(np, func)(x, np.array([0, 1]), method="linear"))


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("method", ["linear", "midpoint"])
def test_booleans_that_would_blend_raise(func, method):
    x = np.array([True, False, True])
    with pytest.raises(TypeError):
        getattr(np, func)(x, _q(func, 0.4), method=method)
    with pytest.raises(TypeError, match=f"^{func}: a must be an array of real numbers for method='{method}'"):
        getattr(ag, func)(ag.tensor(x), _q(func, 0.4), method=method)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("axis", [2, -3, (0, 2)])
def test_an_axis_out_of_range_names_the_function(func, axis):
    with pytest.raises(np.exceptions.AxisError, match=f"^{func}: .*shape \\(3, 1\\)"):
        getattr(ag, func)(ag.tensor(np.ones((3, 1))), _q(func, 0.5), axis=axis)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("method", ["linear", "midpoint", "lower"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_a_single_nan_quantile_keeps_the_inputs_dtype(func, method, dtype):
    """NumPy's quantile of one q over a 1-D slice holding a NaN is that NaN, in x's dtype (an np.float32 or np.float64
    q otherwise sets the dtype); so is a nan variant's of a 1-D input of NaNs alone, along axis 0 too."""
    x = np.array([1.0, np.nan, 3.0], dtype) if "nan" not in func else np.full(3, np.nan, dtype)
    for q in (np.float32(0.3), np.float64(0.3), np.array(0.3)):
        for axis in (None, 0, -1):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = getattr(np, func)(x, _q(func, q), axis=axis, method=method)
                out = getattr(ag, func)(ag.tensor(x), _q(func, q), axis=axis, method=method)
            assert out.shape == np.shape(expected) and out.dtype == np.asarray(expected).dtype
            assert np.isnan(out.data)
