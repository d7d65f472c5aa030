"""Coverage: the Tensor methods (and function forms) API.md promises for every operation, which the suite's tables
check only through the other spelling. Each declaration drives value, gradient and second-derivative checks by
finite differences (Hypothesis, float64, kinks avoided), float32, and the graph freed."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing.strategies import axes, shapes
from optable import Op, generated_tests, new_axis, spaced, squeeze_axis, unnamed


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _axis_keepdims(shapes_):
    (shape,) = shapes_
    return st.fixed_dictionaries({"axis": axes(len(shape)), "keepdims": st.booleans()})


def _logsumexp(x, axis=None, keepdims=False):
    return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))


@st.composite
def _where_case(draw, shapes_):
    cond_shape = draw(hnp.broadcastable_shapes(np.broadcast_shapes(*shapes_), min_dims=0, max_dims=3, max_side=3))
    return {"cond": draw(hnp.arrays(bool, cond_shape))}


@st.composite
def _permutation(draw, shapes_):
    return {"dims": tuple(draw(st.permutations(range(len(shapes_[0])))))}


@st.composite
def _view_shape(draw, shapes_):
    size = int(np.prod(shapes_[0]))
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    d = draw(st.sampled_from(divisors))
    return {"shape": draw(st.sampled_from([(d, size // d), (size // d, -1), (-1,)]))}


@st.composite
def _index(draw, shapes_):
    (shape,) = shapes_
    if shape and draw(st.booleans()):
        n = shape[0]
        return {"index": np.array(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5)))}
    return {"index": draw(hnp.basic_indices(shape, allow_newaxis=True))}


TWO_GRIDS = [spaced(), spaced(offset=0.05)]  # never tied

METHODS_COVERAGE = [
    # elementwise methods
    Op("sin_method", lambda x: x.sin(), np.sin),
    Op("cos_method", lambda x: x.cos(), np.cos),
    Op("tanh_method", lambda x: x.tanh(), np.tanh),
    Op("sqrt_method", lambda x: x.sqrt(), np.sqrt, elements=(0.05, 5.0)),
    Op("log1p_method", lambda x: x.log1p(), np.log1p, elements=(-0.95, 5.0)),
    Op("sigmoid_method", lambda x: x.sigmoid(), _sigmoid, elements=(-8.0, 8.0)),
    Op("softplus_method", lambda x: x.softplus(), lambda x: np.log1p(np.exp(x)), elements=(-8.0, 8.0)),
    Op("relu_method", lambda x: x.relu(), lambda x: np.maximum(x, 0), avoid=(0.0,)),
    Op("leaky_relu_method", lambda x: x.leaky_relu(0.2), lambda x: np.where(x > 0, x, 0.2 * x), avoid=(0.0,)),
    Op("elu_method", lambda x: x.elu(0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)), avoid=(0.0,)),
    Op("minimum_method", lambda x, y: x.minimum(y), np.minimum, arity=2, elements=TWO_GRIDS),
    Op("maximum_python_number", lambda x: ag.maximum(x, 0.5), lambda x: np.maximum(x, 0.5), avoid=(0.5,)),
    Op("where_method", lambda x, y, cond: x.where(cond, y), lambda x, y, cond: np.where(cond, x, y), arity=2,
       kwargs=_where_case),
    # reduction methods
    Op("mean_method", lambda x, **kw: x.mean(**kw), np.mean, kwargs=_axis_keepdims),
    Op("min_method", lambda x, **kw: x.min(**kw), np.min, kwargs=_axis_keepdims, elements=spaced(), unique=True),
    Op("logsumexp_method", lambda x, **kw: x.logsumexp(**kw), _logsumexp, kwargs=_axis_keepdims),
    Op("cumsum_method", lambda x, axis: x.cumsum(axis), lambda x, axis: x.cumsum(axis),
       kwargs=lambda shapes_: st.fixed_dictionaries({"axis": axes(len(shapes_[0]), allow_tuple=False)})),
    # shape methods and function forms
    Op("expand_dims_method", lambda x, dim: x.expand_dims(dim), lambda x, dim: np.expand_dims(x, dim),
       kwargs=new_axis("dim")),
    Op("unsqueeze", lambda x, dim: x.unsqueeze(dim), lambda x, dim: np.expand_dims(x, dim), kwargs=new_axis("dim")),
    Op("squeeze_method", lambda x, axis: x.squeeze(axis), lambda x, axis: np.squeeze(x, axis), kwargs=squeeze_axis),
    Op("permute", lambda x, dims: x.permute(dims), lambda x, dims: np.transpose(x, dims), kwargs=_permutation),
    Op("view", lambda x, shape: x.view(*shape), lambda x, shape: x.reshape(shape), kwargs=_view_shape),
    Op("t", lambda x: x.t(), lambda x: x.T, shapes=shapes(max_dims=2, max_side=3).map(lambda s: (s,))),
    Op("flatten_function", ag.flatten, lambda x: x.flatten()),
    Op("broadcast_to_method", lambda x: x.broadcast_to((2,) + x.shape), lambda x: np.broadcast_to(x, (2,) + x.shape)),
    Op("copy_function", ag.copy, np.copy),
    Op("copy_method", lambda x: x.copy(), np.copy),
    Op("getitem_function", ag.getitem, lambda x, index: x[index], kwargs=_index),
]

globals().update(generated_tests(METHODS_COVERAGE))


def test_each_method_declaration_names_a_tensor_method():
    methods = [op for op in METHODS_COVERAGE if op.name.endswith("_method")]
    assert methods and unnamed(methods, ag.Tensor) == []
    assert unnamed(METHODS_COVERAGE, ag.Tensor, ag) == []
