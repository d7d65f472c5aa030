"""Coverage: NumPy functions called on Tensors (API.md: they return a differentiable Tensor), with ndarrays mixed in
and broadcasting. tests/autograd_core/test_numpy_dispatch.py checks their gradients at fixed points; here each is
declared once and checked by the suite's generated tests (value, gradient and second derivative by finite
differences under Hypothesis, graph freed; float32 only where no float64 array takes part)."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_core.testing.strategies import axes, broadcastable_shapes, shapes
from optable import SMALL, Op, generated_tests, spaced, unnamed, with_array

ARRAY = dict(float32=False)  # a float64 ndarray operand promotes a float32 Tensor, as in NumPy
MATMUL_SHAPES = hnp.mutually_broadcastable_shapes(signature=np.matmul.signature, max_dims=2, max_side=3).map(
    lambda drawn: tuple(drawn.input_shapes))
DOT_SHAPES = st.sampled_from([((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)), ((), (2, 3)),
                              ((2, 3), ())])


def _axis_keepdims(shapes_):
    (shape,) = shapes_
    return st.fixed_dictionaries({"axis": axes(len(shape)), "keepdims": st.booleans()})


def _spread_out(x, axis=None, keepdims=False):
    return bool(np.all(np.var(x, axis=axis) > 0.05))


@st.composite
def _where_case(draw):
    (x_shape,), kwargs = draw(with_array())
    cond_shape = draw(hnp.broadcastable_shapes(np.broadcast_shapes(x_shape, kwargs["other"].shape), max_dims=3,
                                               max_side=3))
    kwargs["cond"] = draw(hnp.arrays(bool, cond_shape))
    return (x_shape,), kwargs


@st.composite
def _concatenate_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    other_shape = shape[:axis % len(shape)] + (draw(st.integers(1, 3)),) + shape[axis % len(shape) + 1:]
    return (shape,), {"other": draw(hnp.arrays(np.float64, other_shape, elements=st.floats(-3, 3))), "axis": axis}


def _one_axis(shapes_):
    (shape,) = shapes_
    return st.fixed_dictionaries({"axis": axes(len(shape), allow_tuple=False)})


AT_LEAST_1D = shapes(min_dims=1, max_dims=3, max_side=3).map(lambda s: (s,))


@st.composite
def _take_along_axis_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    index_shape = shape[:axis % len(shape)] + (draw(st.integers(1, 4)),) + shape[axis % len(shape) + 1:]
    n = shape[axis]
    return (shape,), {"indices": draw(hnp.arrays(np.int64, index_shape, elements=st.integers(-n, n - 1))),
                      "axis": axis}


TWO_GRIDS = dict(elements=spaced())  # x on a 0.1 grid; the arrays below on the grid offset by 0.05: never tied

NUMPY_DISPATCH_COVERAGE = [
    Op("np.exp", np.exp, np.exp),
    Op("np.log", np.log, np.log, elements=(0.05, 5.0)),
    Op("np.log1p", np.log1p, np.log1p, elements=(-0.95, 5.0)),
    Op("np.sqrt", np.sqrt, np.sqrt, elements=(0.05, 5.0)),
    Op("np.sin", np.sin, np.sin),
    Op("np.cos", np.cos, np.cos),
    Op("np.tanh", np.tanh, np.tanh),
    Op("np.abs", np.abs, np.abs, avoid=(0.0,)),
    Op("np.negative", np.negative, np.negative),
    Op("np.square", np.square, np.square),
    Op("np.add_ndarray_first", lambda x, other: np.add(other, x), lambda x, other: np.add(other, x),
       case=with_array(), **ARRAY),
    Op("np.subtract_ndarray_first", lambda x, other: np.subtract(other, x), lambda x, other: np.subtract(other, x),
       case=with_array(), **ARRAY),
    Op("np.multiply_ndarray_first", lambda x, other: np.multiply(other, x), lambda x, other: np.multiply(other, x),
       case=with_array(), **ARRAY),
    Op("np.divide_ndarray_first", lambda x, other: np.divide(other, x), lambda x, other: np.divide(other, x),
       case=with_array(), elements=(0.2, 3.0), **ARRAY),
    Op("np.power_ndarray_base", lambda x, other: np.power(other, x), lambda x, other: np.power(other, x),
       case=with_array(0.2, 3.0), **ARRAY),
    Op("np.power_tensors", np.power, np.power, arity=2, elements=[(0.2, 3.0), (-2.0, 2.0)]),
    Op("np.matmul_ndarray_first", lambda x, other: np.matmul(other, x), lambda x, other: np.matmul(other, x),
       case=with_array(shapes=MATMUL_SHAPES.map(lambda p: p[::-1])), **ARRAY),
    Op("np.dot", lambda x, other: np.dot(x, other), lambda x, other: np.dot(x, other),
       case=with_array(shapes=DOT_SHAPES), **ARRAY),
    Op("np.maximum_ndarray", lambda x, other: np.maximum(x, other), lambda x, other: np.maximum(x, other),
       case=with_array().map(lambda c: (c[0], {"other": np.round(c[1]["other"], 1) + 0.05})), **TWO_GRIDS, **ARRAY),
    Op("np.minimum_ndarray", lambda x, other: np.minimum(other, x), lambda x, other: np.minimum(other, x),
       case=with_array().map(lambda c: (c[0], {"other": np.round(c[1]["other"], 1) + 0.05})), **TWO_GRIDS, **ARRAY),
    Op("np.where_ndarray", lambda x, other, cond: np.where(cond, x, other),
       lambda x, other, cond: np.where(cond, x, other), case=_where_case(), **ARRAY),
    Op("np.clip", lambda x: np.clip(x, -1.0, 0.5), lambda x: np.clip(x, -1.0, 0.5), avoid=(-1.0, 0.5)),
    Op("np.sum", np.sum, np.sum, kwargs=_axis_keepdims),
    Op("np.add.reduce", lambda x, axis, keepdims: np.add.reduce(x, axis=axis, keepdims=keepdims),
       lambda x, axis, keepdims: np.add.reduce(x, axis=axis, keepdims=keepdims), kwargs=_axis_keepdims),
    Op("np.mean", np.mean, np.mean, kwargs=_axis_keepdims),
    Op("np.max", np.max, np.max, kwargs=_axis_keepdims, elements=spaced(), unique=True),
    Op("np.min", np.min, np.min, kwargs=_axis_keepdims, elements=spaced(), unique=True),
    Op("np.var", np.var, np.var, kwargs=_axis_keepdims),
    Op("np.std", np.std, np.std, kwargs=_axis_keepdims, valid=_spread_out),
    Op("np.reshape", lambda x: np.reshape(x, -1), lambda x: np.reshape(x, -1)),
    Op("np.transpose", np.transpose, np.transpose),
    Op("np.expand_dims", lambda x: np.expand_dims(x, 0), lambda x: np.expand_dims(x, 0)),
    Op("np.squeeze", np.squeeze, np.squeeze),
    Op("np.copy", np.copy, np.copy),
    Op("np.broadcast_to", lambda x: np.broadcast_to(x, (2,) + x.shape), lambda x: np.broadcast_to(x, (2,) + x.shape)),
    Op("np.concatenate_with_ndarray", lambda x, other, axis: np.concatenate([x, other], axis=axis),
       lambda x, other, axis: np.concatenate([x, other], axis=axis), case=_concatenate_case(), **ARRAY),
    Op("np.stack", lambda x, y: np.stack([x, y], axis=-1), lambda x, y: np.stack([x, y], axis=-1), arity=2,
       shapes=shapes(**SMALL).map(lambda s: (s, s))),
    Op("np.cumsum", np.cumsum, np.cumsum, kwargs=_one_axis),
    Op("np.flip", np.flip, np.flip, kwargs=lambda shapes_: st.fixed_dictionaries({"axis": axes(len(shapes_[0]))})),
    Op("np.tril", lambda x: np.tril(x, -1), lambda x: np.tril(x, -1), shapes=AT_LEAST_1D),
    Op("np.triu", lambda x: np.triu(x, k=1), lambda x: np.triu(x, k=1), shapes=AT_LEAST_1D),
    Op("np.take_along_axis", np.take_along_axis, np.take_along_axis, case=_take_along_axis_case()),
]

globals().update(generated_tests(NUMPY_DISPATCH_COVERAGE))


def test_each_declaration_names_the_numpy_function_it_covers():
    assert unnamed(NUMPY_DISPATCH_COVERAGE, np, prefix="np.") == []
