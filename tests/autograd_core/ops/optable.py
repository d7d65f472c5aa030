"""One declaration per operation drives the generated property tests of its family (MyGrad style).

An `Op` names the operation on Tensors, its NumPy reference, how to draw valid
inputs (shapes, elements, kinks and forbidden values to avoid, parameters) and
which checks apply. `generated_tests(TABLE)` returns the test functions a family's
module binds at top level; each is parametrized over the table and driven by
Hypothesis:

- value: the result equals the NumPy reference (shape, dtype and values);
- gradient: the engine's gradient matches central differences in float64 (gradcheck);
- second derivative: gradgradcheck of sin(op(...)) (op's rule then gets a cotangent that depends
  on the inputs), through create_graph=True;
- inputs are not mutated, each leaf's .grad has its shape and dtype, and the graph
  is freed by backward (intermediate nodes die at once with the collector off, and a
  second pass raises);
- float32 inputs give a float32 result and float32 first and second derivatives.
"""
import gc
import weakref
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import broadcastable_shapes, elements, shapes

# Small arrays keep finite differences cheap: at most 3 axes of at most 3 entries.
SMALL = dict(min_dims=0, max_dims=3, min_side=1, max_side=3)


def spaced(lo=-3.0, hi=3.0, step=0.1, offset=0.0):
    """Grid values lo + k * step + offset: with unique=True, two entries never tie (max/min, sort-like ops)."""
    n = int(round((hi - lo) / step))
    return st.integers(0, n).map(lambda k: round(lo + k * step + offset, 10))


@st.composite
def with_array(draw, low=-3.0, high=3.0, shapes=None):
    """((x_shape,), {"other": ndarray}): a float64 array of a shape that broadcasts against x's (either may be the
    larger), its values in [low, high]."""
    x_shape, other_shape = draw(shapes if shapes is not None else broadcastable_shapes(2, **SMALL))
    other = draw(hnp.arrays(np.float64, other_shape, elements=st.floats(low, high)))
    return (x_shape,), {"other": other}


@dataclass(frozen=True)
class Op:
    """The declaration of one differentiable operation.

    fn(*tensors, **kwargs) runs the engine; ref(*arrays, **kwargs) is NumPy's answer.
    `shapes` draws a tuple of input shapes (one per input; default: one shape for a
    unary op, broadcastable shapes otherwise) and `kwargs(shapes)` the parameters
    for them (or `case` draws both together). `elements` is one strategy for every input or a list of one per input;
    values within `margin` of a point in `avoid` (kinks, forbidden values) are never
    drawn, and `valid(*arrays, **kwargs)` rejects joint configurations.
    """

    name: str
    fn: Callable
    ref: Callable
    arity: int = 1
    shapes: Optional[object] = None
    kwargs: Callable = lambda shapes: st.just({})
    elements: object = (-3.0, 3.0)
    avoid: tuple = ()
    margin: float = 1e-3
    unique: bool = False
    valid: Optional[Callable] = None
    gradgrad: bool = True
    float32: bool = True
    value_rtol: float = 1e-7
    # Central differences in float64 with eps=1e-6 are good to about 1e-8 here: gradcheck's public
    # defaults (rtol=1e-3, as torch's) would let a rule off by 0.05% pass.
    grad_tol: dict = field(default_factory=lambda: {"atol": 1e-7, "rtol": 1e-6})
    case: Optional[object] = None  # a strategy of (shapes, kwargs) drawn together, replacing shapes and kwargs
    downstream: Callable = ag.sin  # what consumes op's result in the second-derivative check

    def __str__(self):
        return self.name

    def shape_strategy(self):
        if self.shapes is not None:
            return self.shapes
        if self.arity == 1:
            return shapes(**SMALL).map(lambda s: (s,))
        return broadcastable_shapes(self.arity, **SMALL)

    def element_strategy(self, k):
        spec = self.elements[k] if isinstance(self.elements, list) else self.elements
        if isinstance(spec, tuple):
            return elements(spec[0], spec[1], avoid=self.avoid, margin=self.margin)
        return spec


@st.composite
def one_input(draw, kwargs, min_dims=0):
    """((shape,), kwargs) for a unary op: a SMALL shape (of at least min_dims axes) and kwargs(shape) drawn for it."""
    shape = draw(shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=3))
    return (shape,), draw(kwargs(shape))


def axis_of(shape):
    """One int axis of shape, negative ones too."""
    return st.integers(-len(shape), len(shape) - 1)


def new_axis(key):
    """kwargs {key: where a new axis of the first input goes, in [-ndim - 1, ndim]} (expand_dims, unsqueeze)."""
    return st.composite(lambda draw, shapes_: {key: draw(st.integers(-len(shapes_[0]) - 1, len(shapes_[0])))})


@st.composite
def squeeze_axis(draw, shapes_):
    """kwargs {"axis": None, or an axis of size 1 of the first input} (squeeze)."""
    ones = [i for i, n in enumerate(shapes_[0]) if n == 1]
    return {"axis": draw(st.one_of(st.none(), st.sampled_from(ones) if ones else st.none()))}


@st.composite
def join_case(draw, stack=False):
    """Shapes for concatenate/stack: 1 to 3 inputs equal except along axis (all equal for stack), and the axis."""
    base = draw(shapes(min_dims=0 if stack else 1, max_dims=3, max_side=3))
    ndim = len(base) + (1 if stack else 0)
    axis = draw(st.integers(-ndim, ndim - 1))
    count = draw(st.integers(1, 3))
    if stack:
        return tuple([base] * count), axis
    sizes = draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
    return tuple(base[:axis % ndim] + (n,) + base[axis % ndim + 1:] for n in sizes), axis


@st.composite
def cases(draw, op, dtype=np.float64):
    """(arrays, kwargs) for op: valid inputs drawn from its declaration."""
    if op.case is not None:
        input_shapes, kwargs = draw(op.case)
    else:
        input_shapes = draw(op.shape_strategy())
        kwargs = draw(op.kwargs(input_shapes))
    arrays = [
        draw(hnp.arrays(dtype, shape, elements=op.element_strategy(k), unique=op.unique))
        for k, shape in enumerate(input_shapes)
    ]
    if op.valid is not None:
        assume(op.valid(*arrays, **kwargs))
    return arrays, kwargs


def _bind(op, kwargs):
    return lambda *ts: op.fn(*ts, **kwargs)


def _check_value(op, arrays, kwargs):
    out = op.fn(*(ag.tensor(a) for a in arrays), **kwargs)
    expected = np.asarray(op.ref(*(a.copy() for a in arrays), **kwargs))
    assert isinstance(out, ag.Tensor), f"{op.name} returned {type(out).__name__}, not a Tensor"
    assert out.shape == expected.shape, f"{op.name}: shape {out.shape}, NumPy gives {expected.shape}"
    assert out.dtype == expected.dtype, f"{op.name}: dtype {out.dtype}, NumPy gives {expected.dtype}"
    np.testing.assert_allclose(out.data, expected, rtol=op.value_rtol, atol=1e-12, err_msg=op.name)


def _check_gradient(op, arrays, kwargs):
    assert gradcheck(_bind(op, kwargs), *arrays, **op.grad_tol)


def _check_second_derivative(op, arrays, kwargs):
    # op feeds a nonlinear function (sin), so the cotangent op's rule receives, cos(op(x)), depends
    # on x: a rule that cut its cotangent from the graph would give wrong second derivatives. (With
    # op last, the cotangent is a constant and such a rule passes.)
    f = _bind(op, kwargs)
    assert gradgradcheck(lambda *ts: op.downstream(f(*ts)), *arrays, **op.grad_tol)


def _check_no_mutation_and_freed(op, arrays, kwargs):
    copies = [a.copy() for a in arrays]
    leaves = [ag.tensor(a, requires_grad=True) for a in arrays]
    was_enabled = gc.isenabled()
    gc.disable()  # the graph must be freed by reference counting alone
    try:
        out = op.fn(*leaves, **kwargs)
        intermediates = [weakref.ref(n) for n in ag.topological_order(out) if not n.is_leaf and n is not out]
        cotangent = np.ones(out.shape)
        out.backward(cotangent)
        alive = [r().op_name for r in intermediates if r() is not None]
        assert not alive, f"{op.name}: intermediate nodes {alive} still alive after backward"
        with pytest.raises(RuntimeError, match="second time"):
            out.backward(cotangent)
    finally:
        if was_enabled:
            gc.enable()
    for a, c in zip(arrays, copies):
        np.testing.assert_array_equal(a, c, err_msg=f"{op.name} mutated its input")
    for k, (leaf, a) in enumerate(zip(leaves, arrays)):
        np.testing.assert_array_equal(leaf.data, a, err_msg=f"{op.name} mutated a leaf's data")
        assert leaf.grad is not None and leaf.grad.shape == leaf.shape and leaf.grad.dtype == leaf.dtype
        # Each .grad is the leaf's own writable array: an optimizer may update it in place.
        grad = leaf.grad.data
        assert grad.flags.writeable, f"{op.name}: .grad of input {k} is read-only"
        others = [l.data for l in leaves] + [l.grad.data for l in leaves if l is not leaf] + [cotangent]
        assert not any(np.shares_memory(grad, o) for o in others), f"{op.name}: .grad of input {k} shares memory"


def _check_float32(op, arrays, kwargs):
    leaves = [ag.tensor(a, dtype=np.float32, requires_grad=True) for a in arrays]
    out = op.fn(*leaves, **kwargs)
    assert out.dtype == np.float32, f"{op.name}: float32 inputs gave {out.dtype}"
    out.backward(np.ones(out.shape, dtype=np.float32), create_graph=True)
    for leaf in leaves:
        assert leaf.grad.dtype == np.float32, f"{op.name}: float32 input got a {leaf.grad.dtype} gradient"
    # The recorded gradient is differentiable again, and stays float32 too.
    total = sum((leaf.grad * leaf.grad).sum() for leaf in leaves)
    if total.requires_grad:  # False for linear operations, whose gradient is a constant
        table = ag.backprop(total)
        for leaf in leaves:
            if leaf in table:
                assert table[leaf].dtype == np.float32, f"{op.name}: second derivative of dtype {table[leaf].dtype}"


def _scaled(n):
    """n examples under the default profile (max_examples=40), proportionally more under a thorough one."""
    return max(1, n * settings().max_examples // 40)


def unnamed(table, *namespaces, prefix=""):
    """The declarations of table whose name (prefix left out; qualifiers after an underscore, as in
    "solve_vector" or "add_ndarray_first", cut off one by one) names nothing in namespaces, neither as itself nor
    as its dunder (radd: __radd__): a table's names say what it covers, and this checks them.

    >>> import numpy as np
    >>> unnamed([Op("exp_of_small", np.exp, np.exp), Op("frobnicate", np.exp, np.exp)], np)
    ['frobnicate']
    """
    def has(namespace, dotted):
        for part in dotted.split("."):
            if not hasattr(namespace, part):
                return False
            namespace = getattr(namespace, part)
        return True

    missing = []
    for op in table:
        parts = op.name.removeprefix(prefix).split("_")
        names = ["_".join(parts[:k]) for k in range(len(parts), 0, -1)]
        if not any(has(space, name) or has(space, f"__{name}__") for space in namespaces for name in names):
            missing.append(op.name)
    return missing


def generated_tests(table):
    """The five generated tests over table, as a dict to merge into a test module's globals.

    Example counts per operation are kept modest (the family tables hold ~80 operations).
    """

    def make(check, max_examples, subset=table):
        @settings(max_examples=_scaled(max_examples))
        @pytest.mark.parametrize("op", subset, ids=[op.name for op in subset])
        @given(data=st.data())
        def test(op, data):
            arrays, kwargs = data.draw(cases(op), label="arrays, kwargs")
            check(op, arrays, kwargs)

        return test

    return {
        "test_value_matches_numpy": make(_check_value, 25),
        "test_gradient_matches_finite_differences": make(_check_gradient, 25),
        "test_second_derivative_matches_finite_differences": make(
            _check_second_derivative, 12, [op for op in table if op.gradgrad]),
        "test_inputs_not_mutated_and_graph_freed": make(_check_no_mutation_and_freed, 15),
        "test_float32_stays_float32": make(_check_float32, 8, [op for op in table if op.float32]),
    }
