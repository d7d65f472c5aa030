"""Primitives (autograd_core/primitive.py): apply, recording, unbroadcast, error descriptions."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.primitive import Primitive, add_reduce, sum_rows, unbroadcast
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import broadcastable_shapes, elements

# A primitive declared the way the engine's own are: forward, one rule per input, a hint.
_hypot = Primitive("hypot", np.hypot, (
    lambda g, ans, x, y: g * x / ans,
    lambda g, ans, x, y: g * y / ans,
), "operands must broadcast")


def test_a_user_primitive_is_differentiable_to_second_order():
    x, y = np.array([3.0, 1.0]), np.array([4.0, -2.0])
    np.testing.assert_allclose(_hypot(ag.tensor(x), ag.tensor(y)).data, [5.0, np.sqrt(5)])
    assert gradcheck(lambda a, b: _hypot(a, b), x, y)
    assert gradgradcheck(lambda a, b: _hypot(a, b), x, y)


def test_results_record_only_when_an_input_requires_grad_and_grad_is_enabled():
    w = ag.tensor(2.0, requires_grad=True)
    c = ag.tensor(2.0)
    assert _hypot(w, c).op_name == "hypot" and not _hypot(w, c).is_leaf
    assert _hypot(c, c).is_leaf and not _hypot(c, c).requires_grad
    with ag.no_grad():
        assert _hypot(w, c).is_leaf
    assert _hypot(c, 3.0).item() == pytest.approx(np.hypot(2.0, 3.0))


@pytest.mark.parametrize("op", [lambda a, b: ag.exp(a), _hypot, lambda a, b: ag.where(np.array([True, False]), a, b)],
                         ids=["one input", "two inputs", "three inputs"])
def test_constant_tensor_inputs_are_neither_recorded_nor_in_the_grad_table(op):
    c = ag.tensor([1.0, 2.0])
    w = ag.tensor([3.0, 4.0], requires_grad=True)
    assert op(c, c).is_leaf and not op(c, c).requires_grad
    table = ag.backprop(op(w, c).sum() + op(c, w).sum())
    assert w in table and c not in table


def test_traced_is_raw_for_arrays_and_recorded_for_tensors():
    assert isinstance(ag.exp.traced(np.zeros(2)), np.ndarray)
    out = ag.exp.traced(ag.tensor([0.0], requires_grad=True))
    assert isinstance(out, ag.Tensor) and out.op_name == "exp"
    constant = _hypot.traced(ag.tensor(3.0), 4.0)  # np.hypot gets the values: it does not dispatch on Tensors
    assert isinstance(constant, ag.Tensor) and constant.item() == 5.0 and not constant.requires_grad


def test_errors_name_the_operation_shapes_dtypes_and_the_hint():
    with pytest.raises(ValueError) as info:
        _hypot(ag.ones((2, 3)), ag.ones((4,), dtype=np.float32))
    message = str(info.value)
    assert message.startswith("hypot: invalid input")
    assert "(2, 3) float64" in message and "(4,) float32" in message and "operands must broadcast" in message


@settings(max_examples=30)
@given(broadcastable_shapes(2, max_dims=3, max_side=3).flatmap(
    lambda pair: hnp.arrays(np.float64, np.broadcast_shapes(*pair), elements=elements()).map(lambda g: (g, pair[0]))))
def test_unbroadcast_is_the_adjoint_of_broadcasting(case):
    g, shape = case
    reduced = unbroadcast(g, shape)
    assert reduced.shape == shape
    # <broadcast(v), g> == <v, unbroadcast(g)> for every v: the defining property of the adjoint.
    v = np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape)
    np.testing.assert_allclose(np.sum(np.broadcast_to(v, g.shape) * g), np.sum(v * reduced), rtol=1e-10, atol=1e-8)


def test_operations_on_python_numbers_alone_give_proper_tensors():
    for out, dtype in [(ag.add(1.0, 2.0), np.float64), (ag.multiply(2, 3), np.int64), (ag.relu(-1.0), np.float64)]:
        assert isinstance(out.data, np.ndarray) and out.shape == () and out.dtype == dtype
    assert ag.power(2.0, 3.0).item() == 8.0


def test_a_list_holding_tensors_that_require_grad_is_refused_not_cut_from_the_graph():
    a, b = ag.tensor(1.0, requires_grad=True), ag.tensor(2.0, requires_grad=True)
    with pytest.raises(TypeError, match=r"sum: got a list holding Tensors that require grad.*ag.stack"):
        ag.sum([a, b])
    with pytest.raises(TypeError, match=r"maximum: got a list"):
        ag.maximum([[a]], 0.0)
    assert ag.sum([1.0, ag.tensor(2.0)]).item() == 3.0  # constants only: nothing to cut
    assert ag.sum(ag.stack([a, b])).requires_grad


@pytest.mark.parametrize("name, call", [("var", ag.var), ("std", ag.std),
                                        ("swapaxes", lambda x: ag.swapaxes(x, 0, 1))])
def test_operations_composed_of_primitives_refuse_such_a_list_too(name, call):
    a, b = ag.tensor([1.0], requires_grad=True), ag.tensor([3.0], requires_grad=True)
    with pytest.raises(TypeError, match=rf"^{name}: got a list holding Tensors that require grad"):
        call([a, b])
    with pytest.raises(TypeError, match=rf"^{name}: unsupported input of dtype <U1"):
        call([["a"]])
    assert call([[1.0], [3.0]]).shape == call(np.array([[1.0], [3.0]])).shape  # constants still work
    if name != "swapaxes":  # (a number has no axes to swap)
        assert call(3.0).item() == 0.0 and call(2).item() == 0.0  # numbers too


def test_non_numeric_inputs_are_refused_naming_the_operation():
    t = ag.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=r"multiply: unsupported input of dtype <U1"):
        t * "a"
    with pytest.raises(TypeError, match=r"where: unsupported input of dtype <U1"):
        ag.where(t > 1, t, "a")


def test_numpy_errors_that_take_extra_constructor_arguments_are_still_described():
    # NumPy's "no loop" error cannot be rebuilt from a message alone: a base class carries it.
    with pytest.raises(TypeError, match=r"^clip: invalid input of shapes/dtypes \[\(1,\) float64\]"):
        ag.clip(ag.tensor([1.0]), np.array(["a"]), 1.0)


def test_an_extra_input_is_refused_rather_than_taken_as_numpys_out():
    """ag.exp(a, b) ran np.exp(a, b), which wrote the result into b's memory without counting a change."""
    a, b = ag.tensor([1.0, 2.0]), ag.tensor([5.0, 5.0])
    with pytest.raises(TypeError, match=r"^exp takes at most 1 input\(s\), got 2; its settings are keyword arguments"):
        ag.exp(a, b)
    with pytest.raises(TypeError, match=r"^maximum takes at most 2 input\(s\), got 3"):  # np.maximum's out= too
        ag.ops.elementwise._maximum(a, b, b)
    with pytest.raises(TypeError, match=r"maximum\(\) takes 2 positional arguments but 3 were given"):
        ag.maximum(a, b, b)
    with pytest.raises(TypeError, match=r"add\(\) takes 2 positional arguments but 3 were given"):  # (torch.add's)
        ag.add(a, b, b)
    assert b.data.tolist() == [5.0, 5.0] and b._version == 0
    assert ag.concatenate([a, b, a]).shape == (6,)  # any number of inputs where that is the operation
    scale = ag.Primitive("scale", lambda x, s: x * s, (lambda g, ans, x, s: g * s,))  # s: a constant, no rule
    x = ag.tensor(2.0, requires_grad=True)
    scale(x, 3.0).backward()
    assert x.grad.item() == 3.0


def _ulps(got, exact, dtype):
    exact = np.asarray(exact, dtype=np.float64)
    spacing = np.spacing(np.abs(exact).astype(dtype)).astype(np.float64)
    return np.abs(np.asarray(got, dtype=np.float64) - exact) / spacing


def _batch(rows=2**17, features=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, features)).astype(np.float32)
    g = (1 + rng.random((rows, features))).astype(np.float32)  # positive: the exact sum has no cancellation
    exact = np.array([math.fsum(g[:, j].astype(np.float64)) for j in range(features)])
    return x, g, exact


def test_gradient_of_a_bias_broadcast_over_a_float32_batch_is_accurate_to_a_few_ulp_as_pytorch():
    x, g, exact = _batch()
    b = ag.tensor(np.zeros(x.shape[1], np.float32), requires_grad=True)
    (ag.tensor(x) + b).backward(g)
    ulps = _ulps(b.grad.data, exact, np.float32)
    assert ulps.max() <= 8, ulps  # PyTorch: 1.1 ulp; NumPy's sum down the rows: 64 ulp


def test_linear_bias_gradient_over_a_float32_batch_is_accurate_to_a_few_ulp_as_pytorch():
    x, g, exact = _batch(seed=1)
    weight = ag.tensor(np.eye(x.shape[1], dtype=np.float32), requires_grad=True)
    bias = ag.tensor(np.zeros(x.shape[1], np.float32), requires_grad=True)
    ag.linear(x, weight, bias).backward(g)
    ulps = _ulps(bias.grad.data, exact, np.float32)
    assert ulps.max() <= 8, ulps


def test_linear_bias_gradient_agrees_with_torch_to_a_few_ulp():
    torch = pytest.importorskip("torch")
    x, g, exact = _batch(seed=2)
    bias = ag.tensor(np.zeros(x.shape[1], np.float32), requires_grad=True)
    ag.linear(x, ag.tensor(np.eye(x.shape[1], dtype=np.float32)), bias).backward(g)
    theirs = torch.zeros(x.shape[1], requires_grad=True)
    torch.nn.functional.linear(torch.tensor(x), torch.eye(x.shape[1]), theirs).backward(torch.tensor(g))
    ours_ulps = _ulps(bias.grad.data, exact, np.float32).max()
    their_ulps = _ulps(theirs.grad.numpy(), exact, np.float32).max()
    assert ours_ulps <= max(4 * their_ulps, 8), (ours_ulps, their_ulps)


@pytest.mark.parametrize("shape, axis, keepdims", [
    ((3, 2000, 4), (0, 2), True), ((3, 2000, 4), 1, False), ((2000, 3), -2, True), ((5, 4), 0, False),
    ((2000, 3), (0, 1), False)])
def test_add_reduce_gives_numpys_shapes_and_dtypes_over_any_axes(shape, axis, keepdims):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    for array in (x, np.asfortranarray(x), x[::-1]):
        expected = np.add.reduce(array, axis=axis, keepdims=keepdims, dtype=np.float64)
        got = add_reduce(array, axis=axis, keepdims=keepdims, dtype=np.float64)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("rows", [1000, 1024, 4096])
def test_bias_gradient_over_many_rows_is_differentiable_again_as_pytorch(rows):
    # The second derivative of sum((x + b)^3) in b, through the bias gradient (unbroadcast over the rows).
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((rows, 3))
    b = np.array([0.1, -0.2, 0.3])
    ours = ag.grad(lambda c: (ag.grad(lambda d: ((ag.tensor(x) + d) ** 3).sum())(c) ** 2).sum())(b)
    theirs_b = torch.tensor(b, requires_grad=True)
    g, = torch.autograd.grad(((torch.tensor(x) + theirs_b) ** 3).sum(), theirs_b, create_graph=True)
    theirs, = torch.autograd.grad((g ** 2).sum(), theirs_b)
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-9)


@pytest.mark.parametrize("rows", [1000, 2048])
def test_backward_with_create_graph_records_a_bias_gradient_over_many_rows(rows):
    # PyTorch: b.grad of a graph recorded with create_graph requires grad, whatever the batch size.
    x = ag.tensor(np.ones((rows, 3)), requires_grad=True)
    b = ag.tensor(np.zeros(3), requires_grad=True)
    ((x + b) ** 2).sum().backward(create_graph=True)
    assert b.grad.requires_grad
    x.grad = None
    b.grad.sum().backward()  # d/dx sum_j 2 (x_ij + b_j) = 2
    np.testing.assert_array_equal(x.grad.data, np.full((rows, 3), 2.0))


@pytest.mark.parametrize("rows", [1000, 2048])
def test_backward_with_create_graph_through_a_scalar_scale_of_a_long_vector(rows):
    # d/db sum((x b)^2) = 2 b sum(x^2): its derivative in b is 2 sum(x^2) = 2 rows.
    x = ag.tensor(np.ones(rows))
    b = ag.tensor(0.5, requires_grad=True)
    ((x * b) ** 2).sum().backward(create_graph=True)
    gb = b.grad
    b.grad = None
    gb.backward()
    np.testing.assert_allclose(b.grad.data, 2.0 * rows)


@pytest.mark.parametrize("rows", [1000, 1024])
def test_log_softmax_over_a_long_axis_has_pytorchs_second_derivative(rows):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal((rows, 3))
    inner = ag.grad(lambda z: (ag.log_softmax(z, axis=0) ** 2).sum())
    ours = ag.grad(lambda z: (inner(z) ** 2).sum())(x)
    t = torch.tensor(x, requires_grad=True)
    g, = torch.autograd.grad((torch.log_softmax(t, 0) ** 2).sum(), t, create_graph=True)
    theirs, = torch.autograd.grad((g ** 2).sum(), t)
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("axis", [np.int64(0), np.intp(-2), np.int32(0)])
def test_a_long_sum_over_rows_is_pairwise_for_a_numpy_integer_axis_too(axis):
    # README: long sums over leading axes agree with PyTorch's to a few ulp; the exact sum is the reference.
    x = np.full((2 ** 17, 2), 0.1, dtype=np.float32)
    exact = 2 ** 17 * float(np.float32(0.1))
    ulp = float(np.spacing(np.float32(exact)))
    for total in (ag.sum(ag.tensor(x), axis=axis).data, ag.tensor(x).mean(axis=axis).data * 2 ** 17):
        assert abs(float(total[0]) - exact) <= 4 * ulp


@settings(max_examples=60, deadline=None)
@given(rows=st.sampled_from([1, 15, 16, 17, 1023, 1024, 1025, 2049]), cols=st.integers(1, 3),
       axis=st.sampled_from([0, -2, (0,), (0, 1), (1,), 1, -1, None, np.int64(0)]),
       keepdims=st.booleans(), dtype=st.sampled_from([np.float16, np.float32, np.float64, np.int32, np.bool_]),
       layout=st.sampled_from(["C", "F", "reversed"]))
def test_add_reduce_agrees_with_numpy_for_every_axis_layout_and_dtype(rows, cols, axis, keepdims, dtype, layout):
    x = np.random.default_rng(rows * cols).uniform(-3, 3, (rows, cols)).astype(dtype)
    x = {"C": x, "F": np.asfortranarray(x), "reversed": x[::-1]}[layout]
    expected = np.add.reduce(x, axis=axis, keepdims=keepdims)
    got = add_reduce(x, axis=axis, keepdims=keepdims)
    assert np.shape(got) == np.shape(expected) and np.result_type(got) == np.result_type(expected)
    tolerance = {np.float16: 2e-2, np.float32: 1e-4}.get(dtype, 1e-10)
    np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(expected, np.float64), rtol=tolerance,
                               atol=tolerance * rows)


@pytest.mark.parametrize("rows", [1024, 2049])
@pytest.mark.parametrize("dtype, out", [(np.int8, np.int8), (np.uint8, np.uint8), (np.int16, np.int16),
                                        (np.float64, np.bool_), (np.bool_, np.bool_)])
def test_add_reduce_keeps_an_explicit_dtype_over_long_leading_axes_as_numpy(rows, dtype, out):
    x = np.random.default_rng(rows).integers(0, 100, (rows, 3)).astype(dtype)
    expected = np.add.reduce(x, axis=0, dtype=out)
    got = add_reduce(x, axis=0, dtype=out)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_add_reduce_in_int8_wraps_as_numpy_over_a_long_leading_axis():
    x = np.ones((2048, 2), np.int8)
    # 2048 ones added in int8 wrap to 2048 mod 256 = 0
    np.testing.assert_array_equal(add_reduce(x, axis=0, dtype=np.int8), np.array([0, 0], np.int8))


@settings(max_examples=60, deadline=None)
@given(rows=st.sampled_from([0, 1, 2, 31, 256, 1023, 1024, 2049]), cols=st.integers(0, 70),
       dtype=st.sampled_from([np.float16, np.float32, np.float64, np.int32]),
       layout=st.sampled_from(["C", "F", "3-D"]))
def test_sum_rows_is_the_sum_over_the_first_axis_at_least_as_accurate_as_numpys(rows, cols, dtype, layout):
    # (a bias's gradient: BLAS's ones @ g for a C-contiguous 2-D float32 or float64, add_reduce's otherwise)
    x = np.random.default_rng(rows + cols).uniform(-3, 3, (rows, cols)) * 10 ** np.random.default_rng(1).uniform(
        -2, 1, cols)  # (float16 sums of 2,049 rows stay finite)
    x = x.astype(dtype)
    x = {"C": x, "F": np.asfortranarray(x), "3-D": x.reshape(rows, cols, 1)}[layout]
    got, numpys = sum_rows(x), np.add.reduce(x, axis=0)
    assert got.shape == numpys.shape and got.dtype == numpys.dtype
    exact = np.add.reduce(x.astype(np.float64), axis=0)
    if dtype == np.int32:
        np.testing.assert_array_equal(got, numpys)
    else:  # no further from the exact sum than NumPy's, to a unit in the last place of the total's magnitude
        size = np.add.reduce(np.abs(x.astype(np.float64)), axis=0)
        slack = np.finfo(dtype).eps * size
        assert (np.abs(got - exact) <= np.abs(numpys.astype(np.float64) - exact) + slack).all()


def test_a_bias_gradient_over_the_batch_is_sum_rows_bit_for_bit():
    x = ag.tensor(np.random.default_rng(0).standard_normal((32, 5)).astype(np.float32))
    b = ag.tensor(np.zeros(5, np.float32), requires_grad=True)
    upstream = np.random.default_rng(1).standard_normal((32, 5)).astype(np.float32)
    (x + b).backward(upstream)
    assert b.grad.data.tobytes() == sum_rows(upstream).tobytes()
    assert sum_rows(upstream).tobytes() == (np.ones(32, np.float32) @ upstream).tobytes()


# ---- found by mutation testing -------------------------------------------------------------------------------------
@pytest.mark.parametrize("keyword", ["out", "where", "dtype"])
def test_a_keyword_to_a_ufunc_primitive_given_its_full_inputs_is_refused_as_a_keyword(keyword):
    # exp takes one input (np.exp.nin): given it, a NumPy keyword is refused for being a keyword, not a count.
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    value = {"out": np.empty(2), "where": np.array([True, False]), "dtype": np.float32}[keyword]
    with pytest.raises(TypeError, match=rf"exp takes no keyword arguments, got {keyword}="):
        ag.exp(x, **{keyword: value})


# Found by porting PyTorch's test_binary_ufuncs.py: its test_not_broadcastable and test_add_broadcast_empty catch
# RuntimeError, which the operations' ValueError/TypeError for bad operands were not.
@pytest.mark.parametrize("op", [ag.add, ag.subtract, ag.multiply, ag.divide, ag.pow, ag.remainder, ag.fmod,
                                ag.atan2, ag.hypot, ag.copysign, ag.maximum, ag.logaddexp, ag.heaviside])
@pytest.mark.parametrize("shapes", [((2,), (3,)), ((3, 1), (2, 1)), ((1, 3, 2), (3,)), ((5, 0), (0, 5))])
def test_operands_that_do_not_broadcast_raise_value_and_runtime_error(op, shapes):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):  # the reference refuses too
        torch.add(torch.ones(shapes[0]), torch.ones(shapes[1]))
    with pytest.raises(ValueError, match="could not be broadcast") as caught:
        op(ag.ones(shapes[0]), ag.ones(shapes[1]))
    assert isinstance(caught.value, RuntimeError)
    assert "invalid input of shapes/dtypes" in str(caught.value)


def test_an_integer_to_a_negative_power_and_bool_minus_bool_raise_runtime_error_too():
    with pytest.raises(ValueError, match=r"Integers to negative integer powers are not allowed\.") as caught:
        ag.pow(ag.tensor([1, 2], dtype=np.int32), -2)
    assert isinstance(caught.value, RuntimeError)
    with pytest.raises(TypeError, match="subtract: .*boolean subtract") as caught:
        ag.tensor([True]) - ag.tensor([False])
    assert isinstance(caught.value, RuntimeError)


def test_a_python_int_beyond_the_integer_dtype_raises_overflow_and_runtime_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):  # the reference refuses too
        torch.pow(torch.tensor([1, 2], dtype=torch.uint8), -2)
    with pytest.raises(OverflowError, match=r"^power: .*Python integer -2 out of bounds for uint8") as caught:
        ag.pow(ag.tensor([1, 2], dtype=np.uint8), -2)
    assert isinstance(caught.value, RuntimeError)


def test_a_singular_matrix_keeps_numpy_s_linalg_error():
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        ag.linalg.inv(ag.zeros((2, 2)))
