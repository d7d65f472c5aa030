"""Coverage: arithmetic with an ndarray or a Python number on either side (the reflected operators), the function
forms ag.subtract/multiply/divide/power/negative, the remainder and the augmented assignments, each checked as the
suite's tables check an operation (value, gradient and second derivative by finite differences, float32, graph freed).
The suite's ARITHMETIC table draws both operands as Tensors; these draw a constant operand that broadcasts."""
import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing.strategies import shapes
from optable import Op, generated_tests, unnamed, with_array

MATMUL_SHAPES = hnp.mutually_broadcastable_shapes(signature=np.matmul.signature, max_dims=2, max_side=3).map(
    lambda drawn: tuple(drawn.input_shapes))
MATMUL_SHAPES_REVERSED = MATMUL_SHAPES.map(lambda pair: pair[::-1])


def _whole_quotients_avoided(x, other=None, number=None):
    q = x / other if number is None else number / x
    return bool(np.all(np.abs(q - np.round(q)) > 1e-2))


def _iadd(x, y):
    z = x * 1.0
    z += y
    return z


def _isub(x, y):
    z = x * 1.0
    z -= y
    return z


def _imul(x, y):
    z = x * 1.0
    z *= y
    return z


def _itruediv(x, y):
    z = x * 1.0
    z /= y
    return z


def _ipow(x, y):
    z = x * 1.0
    z **= y
    return z


def _result_keeps_x_shape(x, y):
    return np.broadcast_shapes(x.shape, y.shape) == x.shape  # an in-place result keeps its shape (NumPy)


# float64 arrays promote float32 Tensors, as NumPy does: the float32 check applies to the number cases only.
ARRAY = dict(float32=False)

ARITHMETIC_COVERAGE = [
    # ndarray on the left (reflected, through __array_ufunc__) and on the right, broadcasting either way
    Op("radd_ndarray", lambda x, other: other + x, lambda x, other: other + x, case=with_array(), **ARRAY),
    Op("add_ndarray", lambda x, other: x + other, lambda x, other: x + other, case=with_array(), **ARRAY),
    Op("rsub_ndarray", lambda x, other: other - x, lambda x, other: other - x, case=with_array(), **ARRAY),
    Op("sub_ndarray", lambda x, other: x - other, lambda x, other: x - other, case=with_array(), **ARRAY),
    Op("rmul_ndarray", lambda x, other: other * x, lambda x, other: other * x, case=with_array(), **ARRAY),
    Op("mul_ndarray", lambda x, other: x * other, lambda x, other: x * other, case=with_array(), **ARRAY),
    Op("rtruediv_ndarray", lambda x, other: other / x, lambda x, other: other / x, case=with_array(),
       elements=(0.2, 3.0), **ARRAY),
    Op("truediv_ndarray", lambda x, other: x / other, lambda x, other: x / other, case=with_array(0.2, 3.0),
       **ARRAY),
    Op("rpow_ndarray", lambda x, other: other ** x, lambda x, other: other ** x, case=with_array(0.2, 3.0),
       **ARRAY),
    Op("pow_ndarray", lambda x, other: x ** other, lambda x, other: x ** other, case=with_array(-2.0, 2.0),
       elements=(0.2, 3.0), **ARRAY),
    Op("rmatmul_ndarray", lambda x, other: other @ x, lambda x, other: other @ x,
       case=with_array(shapes=MATMUL_SHAPES_REVERSED), **ARRAY),
    Op("matmul_ndarray", lambda x, other: x @ other, lambda x, other: x @ other, case=with_array(shapes=MATMUL_SHAPES),
       **ARRAY),
    Op("rmod_ndarray", lambda x, other: other % x, lambda x, other: other % x, case=with_array(),
       elements=(0.3, 3.0), valid=lambda x, other: _whole_quotients_avoided(other, x), **ARRAY),
    # Python numbers on the side the suite's table does not cover
    Op("rmul_python_number", lambda x: -3.0 * x, lambda x: -3.0 * x),
    Op("sub_python_number", lambda x: x - 1.5, lambda x: x - 1.5),
    Op("truediv_python_number", lambda x: x / 4.0, lambda x: x / 4.0),
    Op("rmod_python_number", lambda x: 2.0 % x, lambda x: 2.0 % x, elements=(0.3, 3.0),
       valid=lambda x: _whole_quotients_avoided(x, number=2.0)),
    Op("mod_python_number", lambda x: x % 0.7, lambda x: x % 0.7,
       valid=lambda x: _whole_quotients_avoided(x, np.full(x.shape, 0.7))),
    # the function forms of the operators
    Op("subtract_function", ag.subtract, np.subtract, arity=2),
    Op("multiply_function", ag.multiply, np.multiply, arity=2),
    Op("divide_function", ag.divide, np.divide, arity=2, elements=[(-3.0, 3.0), (0.2, 3.0)]),
    Op("power_function", ag.power, np.power, arity=2, elements=[(0.2, 3.0), (-2.0, 2.0)]),
    Op("negative_function", ag.negative, np.negative),
    Op("abs_method", lambda x: x.abs(), np.abs, avoid=(0.0,)),
    # augmented assignment on a recorded result (the result itself takes the record), the operand broadcast into it
    Op("iadd", _iadd, lambda x, y: x + y, arity=2, valid=_result_keeps_x_shape),
    Op("isub", _isub, lambda x, y: x - y, arity=2, valid=_result_keeps_x_shape),
    Op("imul", _imul, lambda x, y: x * y, arity=2, valid=_result_keeps_x_shape),
    Op("itruediv", _itruediv, lambda x, y: x / y, arity=2, elements=[(-3.0, 3.0), (0.2, 3.0)],
       valid=_result_keeps_x_shape),
    Op("ipow", _ipow, lambda x, y: x ** y, arity=2, elements=[(0.2, 3.0), (-2.0, 2.0)], valid=_result_keeps_x_shape),
]

globals().update(generated_tests(ARITHMETIC_COVERAGE))


# ---- linear: the suite samples 8 fixed shape triples; here batch shapes, widths and the bias's shape are drawn ----
@st.composite
def _linear_case(draw, bias=True):
    batch = draw(shapes(min_dims=0, max_dims=2, max_side=3))
    n_in, n_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    drawn = [batch + (n_in,), (n_out, n_in)]
    if bias:  # any shape that broadcasts into the output's without enlarging it
        out = batch + (n_out,)
        drawn.append(draw(hnp.broadcastable_shapes(out, max_dims=len(out)).filter(
            lambda s: np.broadcast_shapes(s, out) == out)))
    return tuple(drawn), {}


LINEAR_COVERAGE = [
    Op("linear_drawn_shapes", ag.linear, lambda x, w, b: x @ w.T + b, case=_linear_case()),
    Op("linear_without_bias_drawn_shapes", ag.linear, lambda x, w: x @ w.T, case=_linear_case(bias=False)),
]

globals().update({f"{name}_linear": test for name, test in generated_tests(LINEAR_COVERAGE).items()})


def test_each_declaration_names_the_operator_or_function_it_covers():
    assert unnamed(ARITHMETIC_COVERAGE + LINEAR_COVERAGE, ag.Tensor, ag) == []


def test_positive_is_the_tensor_itself_as_torch_and_numpy():
    # found by porting PyTorch's OpInfo entries (positive): torch.positive and t.positive() were missing
    t = ag.tensor([1.0, -2.0], requires_grad=True)
    assert ag.positive(t) is t and t.positive() is t and np.positive(t) is t
    ints = ag.positive([1, -2])
    assert ints.dtype == np.int64 and ints.data.tolist() == [1, -2]
    assert ag.positive(3.0).dtype == np.float64
    with pytest.raises(TypeError, match="positive: not supported for bool Tensors"):
        ag.positive(ag.tensor([True]))
    with pytest.raises(TypeError):
        np.positive(np.array([True]))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ints.data, torch.positive(torch.tensor([1, -2])).numpy())
    with pytest.raises(NotImplementedError):
        torch.positive(torch.tensor([True]))


@pytest.mark.parametrize("bad, kind, words", [([[1], [2, 3]], ValueError, "cannot make an array of list data"),
                                              ("a", TypeError, "unsupported input of dtype <U1")])
def test_positive_of_what_makes_no_tensor_names_positive(bad, kind, words):
    # (its errors came from "Tensor:", naming no operation)
    with pytest.raises(kind, match=f"^positive: {words}"):
        ag.positive(bad)
