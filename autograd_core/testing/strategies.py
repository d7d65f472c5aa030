"""Hypothesis strategies for property tests of code built on autograd_core.

Hypothesis is a development dependency: only this module imports it.

>>> from hypothesis import given
>>> from autograd_core.testing.strategies import tensors
>>> @given(tensors(shape=(2, 3)))
... def test_double(t):
...     assert (t + t).shape == (2, 3)
>>> test_double()
"""
import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..tensor import Tensor, as_value

__all__ = ["axes", "broadcastable_shapes", "elements", "float_arrays", "shapes", "tensors"]


def _inward(bound, dtype, toward):
    """bound as the nearest float of dtype on the side of toward (itself when dtype holds it)."""
    rounded = dtype.type(bound)
    if float(rounded) != bound and (float(rounded) < bound) == (toward > 0):
        rounded = np.nextafter(rounded, dtype.type(toward))
    return float(rounded)


def elements(min_value=-10.0, max_value=10.0, *, dtype=np.float64, avoid=(), margin=1e-3):
    """Finite floats in [min_value, max_value], at least margin away from each value in avoid.

    `avoid` lists kinks or forbidden points (e.g. 0 for abs or relu; one number alone too). The floats are
    representable in dtype, and finite there (the bounds are clipped to its range and rounded
    inward to its floats); for an integer dtype the values are the integers in
    [min_value, max_value] that it holds.

    >>> from hypothesis import given, settings
    >>> from autograd_core.testing.strategies import elements
    >>> @settings(max_examples=5)
    ... @given(elements(-1, 1, avoid=(0.0,)))
    ... def check(value):
    ...     assert -1 <= value <= 1 and abs(value) >= 1e-3
    >>> check()
    """
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"elements: dtype {dtype!r} is not a NumPy dtype; give one such as np.float64") from None
    if dtype.kind not in "iuf":
        raise ValueError(f"elements: unsupported dtype {dtype}; give a float or integer dtype")
    avoid = (avoid,) if np.ndim(avoid) == 0 else tuple(avoid)  # one kink, or several
    if any(k != k for k in avoid):  # (no value is margin away from NaN: every draw would be filtered out)
        raise ValueError(f"elements: avoid={avoid} holds NaN; give the points to keep away from as numbers")
    if not (np.ndim(margin) == 0 and np.result_type(margin).kind in "iuf" and 0 <= margin < np.inf):
        raise ValueError(f"elements: margin must be a finite number >= 0, got {margin!r}")
    # None, or a bound past the dtype's range (float32 would give inf), is the dtype's own limit.
    for name, bound in (("min_value", min_value), ("max_value", max_value)):
        if bound is not None and as_value(bound) != as_value(bound):  # NaN (a Python int of any size compares)
            raise ValueError(f"elements: {name} is NaN; give a number, or None for the dtype's own limit")
    if dtype.kind in "iu":  # compared as Python ints: float(2**63 - 1) rounds up to 2**63, past int64
        lowest, highest = int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)
        low = lowest if min_value is None or min_value <= lowest else math.ceil(min_value)
        high = highest if max_value is None or max_value >= highest else math.floor(max_value)
        values = st.integers(low, high)
    else:  # bounds rounded inward to the dtype's floats (0.1 is no float32; Hypothesis wants one)
        info = np.finfo(dtype)
        low = float(info.min) if min_value is None else max(min_value, float(info.min))
        high = float(info.max) if max_value is None else min(max_value, float(info.max))
        low, high = _inward(low, dtype, np.inf), _inward(high, dtype, -np.inf)
        values = st.floats(low, high, allow_nan=False, allow_infinity=False, width=8 * dtype.itemsize)
    if avoid:
        if low <= high and _all_avoided(low, high, avoid, margin):  # (the filter would reject every draw: Hypothesis
            # reports a failed health check about filtering, naming no strategy)
            raise ValueError(f"elements: every value in [{low}, {high}] lies within margin={margin} of a value in "
                             f"avoid={avoid}; widen the bounds or lower the margin")
        values = values.filter(lambda v: all(abs(v - k) >= margin for k in avoid))
    return values


def _all_avoided(low, high, avoid, margin):
    """Does every number in [low, high] lie less than margin from some value in avoid?"""
    allowed = low  # the least number not yet known to be avoided
    for k in sorted(float(k) for k in avoid):
        if allowed > high:
            return True
        if k - margin >= allowed:  # allowed is margin or more below k, and above the kinks before it
            return False
        allowed = max(allowed, k + margin)
    return allowed > high


def shapes(*, min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Array shapes, 0-d (`()`) and size-1 axes included by default.

    >>> from hypothesis import given, settings
    >>> from autograd_core.testing.strategies import shapes
    >>> @settings(max_examples=5)
    ... @given(shapes(max_dims=2))
    ... def check(shape):
    ...     assert len(shape) <= 2
    >>> check()
    """
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(num_shapes=2, *, min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Tuples of num_shapes shapes that broadcast against each other (NumPy rules).

    Shapes of different lengths, 0-d shapes and size-1 axes that stretch all occur.

    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from autograd_core.testing.strategies import broadcastable_shapes
    >>> @settings(max_examples=5)
    ... @given(broadcastable_shapes())
    ... def check(pair):
    ...     np.broadcast_shapes(*pair)  # raises if they do not broadcast
    >>> check()
    """
    if not isinstance(num_shapes, (int, np.integer)) or isinstance(num_shapes, (bool, np.bool_)) or num_shapes < 1:
        hint = ""
        if isinstance(num_shapes, (tuple, list)):  # Hypothesis's broadcastable_shapes takes a shape first
            hint = ("; for single shapes that broadcast against a given one, use "
                    "hypothesis.extra.numpy.broadcastable_shapes(shape)")
        raise ValueError(f"broadcastable_shapes: num_shapes must be an int >= 1 (how many shapes each drawn tuple "
                         f"holds), got {num_shapes!r}{hint}")
    return hnp.mutually_broadcastable_shapes(
        num_shapes=int(num_shapes), min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side,
    ).map(lambda drawn: tuple(drawn.input_shapes))


def float_arrays(shape=None, *, dtype=np.float64, elements=None):
    """NumPy arrays (float by default; integer and bool dtypes too) of shape (a tuple or a strategy; default: shapes()) with the given elements.

    >>> from hypothesis import given, settings
    >>> from autograd_core.testing.strategies import float_arrays
    >>> @settings(max_examples=5)
    ... @given(float_arrays((2,)))
    ... def check(a):
    ...     assert a.shape == (2,)
    >>> check()
    """
    return _arrays(shape, dtype, elements, "float_arrays")


def _arrays(shape, dtype, elements, where):
    """float_arrays, its errors naming where (tensors or float_arrays)."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{where}: dtype {dtype!r} is not a NumPy dtype; give one such as np.float64") from None
    if shape is not None and not isinstance(shape, st.SearchStrategy):  # a fixed shape: Python ints for Hypothesis,
        # which refuses NumPy's ints (and takes True as 1)
        fixed = (shape,) if isinstance(shape, (int, np.integer)) else \
            shape.tolist() if isinstance(shape, np.ndarray) and shape.ndim == 1 else shape  # (np.shape's ints too)
        if not isinstance(fixed, (tuple, list)) or not all(
                isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) and n >= 0 for n in fixed):
            raise ValueError(f"{where}: shape {shape!r} must be ints >= 0 (or a strategy of shapes)")
        shape = tuple(int(n) for n in fixed)
    if dtype.kind not in "biuf":  # (given elements too: a Tensor refuses them when drawn)
        raise ValueError(f"{where}: unsupported dtype {dtype}; Tensors hold bool, integer or float values")
    if elements is None:
        elements = _default_elements(dtype, where)
    return hnp.arrays(dtype=dtype, shape=shapes() if shape is None else shape, elements=elements)


def _default_elements(dtype, where):
    """Finite floats in [-10, 10] for a float dtype; integers in [-10, 10] (or the unsigned type's
    range up to 10) for an integer dtype; both values for bool."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return elements(dtype=dtype)
    if dtype.kind in "iu":
        return st.integers(-10 if dtype.kind == "i" else 0, 10)
    if dtype.kind == "b":
        return st.booleans()
    raise ValueError(f"{where}: unsupported dtype {dtype}; Tensors hold bool, integer or float values")


def tensors(shape=None, *, dtype=np.float64, elements=None, requires_grad=False):
    """Tensors of shape (a tuple or a strategy; default: shapes()), dtype and elements.

    `elements` is a strategy of Python numbers (default: finite floats in [-10, 10], or for
    integer and bool dtypes integers in [-10, 10] and booleans);
    requires_grad is passed to the Tensor.

    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from autograd_core.testing.strategies import tensors
    >>> @settings(max_examples=5)
    ... @given(tensors(shape=(3,), dtype=np.float32, requires_grad=True))
    ... def check(t):
    ...     assert t.shape == (3,) and t.dtype == np.float32 and t.requires_grad
    >>> check()
    """
    arrays = _arrays(shape, dtype, elements, "tensors")
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(f"tensors: requires_grad must be a bool, got {requires_grad!r}")
    if requires_grad and np.dtype(dtype).kind != "f":  # (refused by each Tensor as it is drawn, naming no strategy)
        raise TypeError(f"tensors: requires_grad=True needs a float dtype (only floating-point Tensors can require "
                        f"gradients), got dtype {np.dtype(dtype)}")
    return arrays.map(lambda value: Tensor(value, requires_grad=requires_grad))


def axes(ndim, *, allow_none=True, allow_tuple=True):
    """A valid `axis` argument for an array of ndim dimensions: None, an int or a tuple (negatives too).

    >>> from hypothesis import given, settings
    >>> from autograd_core.testing.strategies import axes
    >>> @settings(max_examples=5)
    ... @given(axes(3, allow_none=False, allow_tuple=False))
    ... def check(axis):
    ...     assert -3 <= axis < 3
    >>> check()
    """
    if not isinstance(ndim, (int, np.integer)) or isinstance(ndim, (bool, np.bool_)) or ndim < 0:
        raise ValueError(f"axes: ndim must be an int >= 0 (the array's number of dimensions), got {ndim!r}")
    ndim = int(ndim)
    choices = []
    if allow_none:
        choices.append(st.none())
    if ndim > 0:
        choices.append(st.integers(-ndim, ndim - 1))
    if allow_tuple:
        choices.append(hnp.valid_tuple_axes(ndim))
    if not choices:
        raise ValueError(f"axes: no valid axis for ndim={ndim} with allow_none=False")
    return st.one_of(choices)
