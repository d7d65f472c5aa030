"""Arithmetic (autograd_core/ops/arithmetic.py): + - * / ** @, negation, abs, astype."""
import re

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import elements, float_arrays
from optable import Op, generated_tests

NONZERO = (-3.0, 3.0)
# np.matmul's gufunc signature: 1-D operands, 2-D operands and broadcast batches of them.
MATMUL_SHAPES = hnp.mutually_broadcastable_shapes(
    signature=np.matmul.signature, max_dims=2, max_side=3
).map(lambda drawn: tuple(drawn.input_shapes))

# linear(x, W, b): one sample, a batch, a batch of batches; W is (out, in), b is (out,) or broadcast.
LINEAR_SHAPES = [((3,), (2, 3), (2,)), ((4, 3), (2, 3), (2,)), ((2, 4, 3), (2, 3), (2,)), ((4, 3), (1, 3), ()),
                 ((4, 3), (2, 3), (1, 2)), ((4, 3), (2, 3), (4, 2)), ((2, 4, 3), (2, 3), (4, 1)),
                 ((2, 2, 4, 3), (2, 3), (2,))]

ARITHMETIC = [
    Op("add", lambda x, y: x + y, np.add, arity=2),
    Op("add_function", ag.add, np.add, arity=2),
    Op("add_python_number", lambda x: 2.5 + x, lambda x: 2.5 + x),
    Op("subtract", lambda x, y: x - y, np.subtract, arity=2),
    Op("rsubtract_python_number", lambda x: 1.5 - x, lambda x: 1.5 - x),
    Op("multiply", lambda x, y: x * y, np.multiply, arity=2),
    Op("multiply_python_number", lambda x: x * -3.0, lambda x: x * -3.0),
    Op("divide", lambda x, y: x / y, np.divide, arity=2, elements=[(-3.0, 3.0), (0.2, 3.0)]),
    Op("divide_negative_divisor", lambda x, y: x / y, np.divide, arity=2, elements=[(-3.0, 3.0), (-3.0, -0.2)]),
    # x % y jumps where x / y is whole: such pairs (and their neighbourhoods) are not drawn.
    Op("remainder", lambda x, y: x % y, np.remainder, arity=2, elements=[(-3.0, 3.0), (0.3, 3.0)],
       valid=lambda x, y: bool(np.all(np.abs(x / y - np.round(x / y)) > 1e-2))),
    Op("remainder_negative_divisor", ag.remainder, np.remainder, arity=2, elements=[(-3.0, 3.0), (-3.0, -0.3)],
       valid=lambda x, y: bool(np.all(np.abs(x / y - np.round(x / y)) > 1e-2))),
    # fmod takes the sign of x (C's, torch.fmod): x of either sign, with divisors of each sign apart (drawing y near 0
    # and filtering it out made Hypothesis give up on the arrays)
    Op("fmod", ag.fmod, np.fmod, arity=2, elements=[(-3.0, 3.0), (0.3, 3.0)],
       valid=lambda x, y: bool(np.all(np.abs(x / y - np.round(x / y)) > 1e-2))),
    Op("fmod_negative_divisor", ag.fmod, np.fmod, arity=2, elements=[(-3.0, 3.0), (-3.0, -0.3)],
       valid=lambda x, y: bool(np.all(np.abs(x / y - np.round(x / y)) > 1e-2))),
    Op("rdivide_python_number", lambda x: 2.0 / x, lambda x: 2.0 / x, elements=(0.2, 3.0)),
    # x ** y with a tensor exponent needs x > 0 (log x in the exponent's gradient).
    Op("power", lambda x, y: x ** y, np.power, arity=2, elements=[(0.2, 3.0), (-2.0, 2.0)]),
    Op("power_integer_exponent", lambda x: x ** 3, lambda x: x ** 3),
    Op("power_fractional_exponent", lambda x: x ** 1.5, lambda x: x ** 1.5, elements=(0.1, 3.0)),
    Op("power_negative_exponent", lambda x: x ** -2, lambda x: x ** -2.0, elements=(0.2, 3.0)),
    Op("rpower_python_number", lambda x: 2.0 ** x, lambda x: 2.0 ** x),
    Op("negative", lambda x: -x, np.negative),
    Op("abs", ag.abs, np.abs, avoid=(0.0,)),
    Op("abs_builtin", abs, np.abs, avoid=(0.0,)),
    Op("matmul", lambda a, b: a @ b, np.matmul, arity=2, shapes=MATMUL_SHAPES),
    Op("matmul_function", ag.matmul, np.matmul, arity=2, shapes=MATMUL_SHAPES),
    Op("linear", ag.linear, lambda x, w, b: x @ w.T + b, arity=3, shapes=st.sampled_from(LINEAR_SHAPES)),
    Op("linear_without_bias", ag.linear, lambda x, w: x @ w.T, arity=2,
       shapes=st.sampled_from([shapes[:2] for shapes in LINEAR_SHAPES])),
    Op("astype_float64", lambda x: x.astype(np.float64) * x, lambda x: x * x, float32=False),
    # Through float32 and back: a step of 1e-2 keeps float32 rounding (~1e-7) out of the finite differences,
    # which are exact for this quadratic; so nothing nonlinear may follow it in the second-derivative check.
    Op("astype_float32_round_trip", lambda x: ag.astype(x, np.float32).astype(np.float64) * x,
       lambda x: x.astype(np.float32).astype(np.float64) * x, float32=False,
       grad_tol={"eps": 1e-2, "atol": 1e-4, "rtol": 1e-3}, downstream=lambda t: t),
]

globals().update(generated_tests(ARITHMETIC))


# ---- matmul shapes, spelled out -------------------------------------------------------------
@pytest.mark.parametrize("shape_a, shape_b", [
    ((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)), ((3,), (5, 3, 2)), ((5, 2, 3), (5, 3, 2)), ((4, 1, 2, 3), (5, 3, 2)),
    ((2, 4, 2, 3), (3, 4)), ((2, 3), (4, 2, 3, 2)), ((0, 2, 3), (3, 4)), ((2, 0), (5, 0, 2)),
])
def test_matmul_gradients_for_1d_2d_and_batched_operands(shape_a, shape_b):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    out = ag.tensor(a) @ ag.tensor(b)
    assert out.shape == np.matmul(a, b).shape
    assert gradcheck(lambda x, y: x @ y, a, b)


@pytest.mark.parametrize("product", [
    lambda x, w: ag.linear(x, w), lambda x, w: x @ w.T, lambda x, w: (w @ x.swapaxes(-1, -2)).swapaxes(-1, -2),
], ids=["linear", "batch @ matrix", "matrix @ batch"])
def test_the_gradient_of_a_matrix_shared_by_a_batch_is_summed_without_a_stack_per_sample(product):
    import tracemalloc

    x = np.random.default_rng(0).standard_normal((256, 8, 64)).astype(np.float32)  # 0.5 MiB
    w = ag.tensor(np.ones((64, 64), np.float32), requires_grad=True)
    out = product(x, w)
    tracemalloc.start()
    try:
        out.sum().backward()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 2**20  # a (256, 64, 64) stack of per-sample gradients would take 4 MiB
    np.testing.assert_allclose(w.grad.data, np.broadcast_to(x.sum(axis=(0, 1)), (64, 64)), rtol=1e-4)


def test_linear_with_a_bias_that_broadcasts_the_output_beyond_the_batch():
    # (PyTorch refuses this forward; NumPy's broadcasting allows it, and the gradient must follow)
    x, bias = np.ones((2, 3, 4)), np.ones((7, 1, 1, 5))
    w = ag.tensor(np.ones((5, 4)), requires_grad=True)
    ag.linear(x, w, bias).sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full((5, 4), 7 * 2 * 3))


def test_matmul_with_ndarray_on_either_side_is_differentiable():
    a = np.arange(6.0).reshape(2, 3)
    x = ag.tensor(np.ones((3, 2)), requires_grad=True)
    left, right = a @ x, x.T @ a.T
    assert isinstance(left, ag.Tensor) and isinstance(right, ag.Tensor)
    (left.sum() + right.sum()).backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.repeat(a.sum(axis=0)[:, None], 2, axis=1))


@pytest.mark.parametrize("shape_a, shape_b", [((2, 3), (4, 2)), ((3,), (4,)), ((2, 2, 3), (3, 3, 2))])
def test_matmul_shape_mismatch_is_a_clear_error(shape_a, shape_b):
    shapes = rf"matmul: .*{re.escape(str(shape_a))}.*{re.escape(str(shape_b))}"
    with pytest.raises(ValueError, match=rf"{shapes}.*a\.shape\[-1\] == b\.shape\[-2\]"):
        ag.ones(shape_a) @ ag.ones(shape_b)


def test_matmul_rejects_scalars_with_a_hint():
    with pytest.raises(ValueError, match="matmul.*use \\*"):
        ag.tensor(2.0) @ ag.ones(2)


def test_broadcast_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match=r"add.*\(2, 3\).*\(4,\).*broadcastable"):
        ag.ones((2, 3)) + ag.ones(4)
    with pytest.raises(ValueError, match=r"multiply.*\(3,\).*\(2,\).*broadcastable"):
        ag.ones(3, requires_grad=True) * np.ones(2)


# ---- power at the edges --------------------------------------------------------------------
def test_power_exponent_gradient_at_zero_base_is_zero():
    # d(x**y)/dy = x**y log x -> 0 as x -> 0+ (for y > 0); the engine uses that limit.
    x = ag.tensor([0.0, 2.0])
    y = ag.tensor([2.0, 3.0], requires_grad=True)
    (x ** y).sum().backward()
    np.testing.assert_allclose(y.grad.data, [0.0, 8 * np.log(2.0)])


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # 0 ** -1 = inf and log 0, as NumPy
def test_power_exponent_gradient_at_zero_base_with_a_negative_exponent_is_minus_infinity_as_pytorch():
    # x**y log x = inf * -inf there; PyTorch uses the limit 0 only for y >= 0.
    x = ag.tensor([0.0, 0.0, 0.0])
    y = ag.tensor([-1.0, 0.0, 0.5], requires_grad=True)
    (x ** y).sum().backward()
    np.testing.assert_array_equal(y.grad.data, [-np.inf, 0.0, 0.0])


def test_square_of_negative_base_with_python_exponent():
    x = ag.tensor([-2.0, 3.0], requires_grad=True)
    (x ** 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [-4.0, 6.0])


def test_abs_subgradient_at_zero_is_zero():
    x = ag.tensor([0.0, -2.0, 3.0], requires_grad=True)
    ag.abs(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, -1.0, 1.0])


def test_third_derivative_of_power_and_product():
    np.testing.assert_allclose(float(ag.grad(ag.grad(ag.grad(lambda x: x ** 4)))(1.5)), 24 * 1.5, rtol=1e-12)
    d3 = ag.grad(ag.grad(ag.grad(lambda x: x * x * x / (x + 1.0))))
    # x^3/(x+1) = x^2 - x + 1 - 1/(x+1): third derivative 6/(x+1)^4.
    np.testing.assert_allclose(float(d3(0.5)), 6 / 1.5 ** 4, rtol=1e-10)


# ---- astype ----------------------------------------------------------------------------------
@settings(max_examples=20)
@given(float_arrays(elements=elements(-3, 3)))
def test_astype_round_trip_value_and_gradient_dtypes(a):
    x = ag.tensor(a, requires_grad=True)
    y = x.astype(np.float32)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y.data, a.astype(np.float32))
    w = ag.tensor(np.full(a.shape, 2.0, dtype=np.float32))
    (y * w).astype(np.float64).sum().backward()
    assert x.grad.dtype == np.float64 and x.grad.shape == a.shape
    np.testing.assert_array_equal(x.grad.data, np.full(a.shape, 2.0))


def test_astype_second_derivative():
    # x -> (x.astype(float32) ** 3).astype(float64): second derivative 6x, up to float32 rounding.
    d2 = ag.grad(ag.grad(lambda x: (x.astype(np.float32) ** 3).astype(np.float64)))
    value = d2(np.float64(1.25))
    assert value.dtype == np.float64
    np.testing.assert_allclose(float(value), 7.5, rtol=1e-6)


def test_astype_copy_false_returns_the_tensor_itself_when_it_has_the_dtype_as_numpy():
    # CS231n's dropout_forward ends with out = out.astype(x.dtype, copy=False): the graph must go through unchanged
    a = np.array([[1.5, -2.0], [0.25, 3.0]])
    x = ag.tensor(a, requires_grad=True)
    y = x * 3.0
    assert y.astype(np.float64, copy=False) is y and a.astype(np.float64, copy=False) is a
    assert y.astype(np.float64) is not y and a.astype(np.float64) is not a  # copy=True (the default) copies, as NumPy
    cast = y.astype(np.float32, copy=False)  # another dtype: a differentiable cast, as without copy=
    assert cast.dtype == np.float32 and cast.requires_grad
    np.testing.assert_array_equal(cast.data, (a * 3.0).astype(np.float32))
    (y.astype(np.float64, copy=False) * ag.tensor(a)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, 3.0 * a)
    assert ag.astype(y, np.float64, copy=False) is y
    counts = ag.tensor([1, 2]).astype(np.int64, copy=False)
    assert counts.dtype == np.int64 and counts.tolist() == [1, 2]


def test_astype_to_integer_is_a_constant():
    x = ag.tensor([1.7, -2.2], requires_grad=True)
    y = x.astype(np.int64)
    assert y.dtype == np.int64 and not y.requires_grad
    np.testing.assert_array_equal(y.data, [1, -2])


def test_fmod_takes_the_sign_of_the_dividend_as_torch_fmod_and_the_checkerboard_mask_builds():
    # UvA's flow tutorial: mask = torch.fmod(xx + yy, 2) on an int32 meshgrid; % takes the divisor's sign instead
    x, y = ag.tensor([5.5, -5.5, 5.5, -5.5], requires_grad=True), ag.tensor([2.0, 2.0, -2.0, -2.0], requires_grad=True)
    out = ag.fmod(x, y)
    np.testing.assert_array_equal(out.data, [1.5, -1.5, 1.5, -1.5])
    np.testing.assert_array_equal(x.fmod(y).data, out.data)
    np.testing.assert_array_equal(np.fmod(x, y).data, out.data)  # (NumPy's function dispatches to it)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(y.grad, -np.trunc(x.data / y.data))  # [-2, 2, 2, -2]
    xx, yy = ag.meshgrid(ag.arange(3, dtype=ag.int32), ag.arange(3, dtype=ag.int32), indexing="ij")
    mask = ag.fmod(xx + yy, 2)
    assert mask.dtype == np.int32 and mask.data.tolist() == [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    np.testing.assert_array_equal(ag.tensor([-3.0, 4.0]).remainder(3).data, [0.0, 1.0])
    torch = pytest.importorskip("torch")
    tx, ty = torch.tensor([5.5, -5.5, 5.5, -5.5], requires_grad=True), torch.tensor([2.0, 2.0, -2.0, -2.0],
                                                                                     requires_grad=True)
    torch.fmod(tx, ty).sum().backward()
    np.testing.assert_array_equal(out.data, torch.fmod(tx, ty).detach().numpy())
    np.testing.assert_array_equal(y.grad, ty.grad.numpy())
    txx, tyy = torch.meshgrid(torch.arange(3, dtype=torch.int32), torch.arange(3, dtype=torch.int32), indexing="ij")
    assert torch.fmod(txx + tyy, 2).tolist() == mask.data.tolist()
    assert torch.tensor([-3.0, 4.0]).remainder(3).tolist() == [0.0, 1.0]

@pytest.mark.parametrize("dtype", ["U3", complex, object])
def test_astype_refuses_the_dtypes_a_tensor_cannot_hold(dtype):
    with pytest.raises(TypeError, match=r"astype: cannot cast to .*; a Tensor holds bool, integer or float values"):
        ag.tensor([1.0]).astype(dtype)


def test_floor_division_is_a_constant_and_divmod_pairs_it_with_the_remainder_as_numpy():
    x = ag.tensor([3.5, -2.5, 7.0], requires_grad=True)
    q, r = divmod(x, 2.0)
    assert not q.requires_grad and r.requires_grad
    np.testing.assert_array_equal(q.data, np.floor_divide(x.data, 2.0))
    np.testing.assert_array_equal(r.data, np.remainder(x.data, 2.0))
    assert (7.0 // ag.tensor(2.0)).item() == 3.0 and (np.array([3.0]) % ag.tensor([2.0])).data.tolist() == [1.0]
    torch = pytest.importorskip("torch")
    tx, ty = torch.tensor([3.5, -2.5], requires_grad=True), torch.tensor([2.0, -1.5], requires_grad=True)
    (tx % ty).sum().backward()
    ours = ag.grad(lambda a, b: (a % b).sum(), argnums=(0, 1))(np.array([3.5, -2.5]), np.array([2.0, -1.5]))
    np.testing.assert_allclose([g.data for g in ours], [tx.grad.numpy(), ty.grad.numpy()])


def test_bitwise_operators_on_masks_update_in_place_under_no_grad():
    mask = ag.tensor([True, True, False])
    alias = mask
    with ag.no_grad():
        mask &= ag.tensor([True, False, False])
        mask |= [False, False, True]
        mask ^= [True, False, False]
    assert mask is alias and mask.data.tolist() == [False, False, True] and mask._version == 3
    assert (ag.tensor([True, False]) ^ [True, True]).data.tolist() == [False, True]


# ---- dtypes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("op", [
    lambda t: t + 1.5, lambda t: 1.5 - t, lambda t: t * 3, lambda t: 2 / t, lambda t: t ** 2.0,
    lambda t: 2.0 ** t, lambda t: t / 7, lambda t: -t,
])
def test_python_numbers_never_upcast_float32(op):
    x = ag.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = op(x)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_mixed_float32_float64_follows_numpy_and_grads_keep_the_param_dtype():
    a = ag.tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    b = ag.tensor(np.ones(2, dtype=np.float64), requires_grad=True)
    out = a * b
    assert out.dtype == np.result_type(np.float32, np.float64)
    out.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64


def test_int_tensor_mixed_with_float_tensor():
    i = ag.tensor([1, 2])
    x = ag.tensor([0.5, 0.5], requires_grad=True)
    out = i * x
    assert out.dtype == np.float64
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 2.0])


def test_power_with_zero_exponent_at_zero_base_has_zero_gradient():
    # Polynomial features x ** [0, 1, 2, 3] at x = 0: d/dx = [0, 1, 0, 0], not NaN from 0 * 0**-1.
    x = ag.tensor(0.0, requires_grad=True)
    (x ** np.arange(4.0) * np.array([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert x.grad.item() == 2.0
    for exponent in (0.0, 0, np.array(0.0)):
        assert float(ag.grad(lambda t: t ** exponent)(0.0)) == 0.0
    y = ag.tensor([0.0, 0.0, 2.0], requires_grad=True)
    x = ag.tensor([0.0, 3.0, 0.0], requires_grad=True)
    (x ** y).sum().backward(create_graph=True)
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(y.grad.data, [0.0, np.log(3.0), 0.0])


def test_power_second_derivative_at_zero_exponent():
    # At y = 0 (x > 0): d/dy [y x**(y-1)] = 1/x, so the zero-exponent convention must apply only at x = 0.
    from autograd_core.testing import gradgradcheck

    assert gradgradcheck(lambda x, y: x ** y, np.array([0.5, 2.0]), np.array([0.0, 0.0]))
    assert gradgradcheck(lambda x: x ** 0.0, np.array([0.5, 2.0]))


def test_second_derivative_of_a_power_with_an_array_exponent():
    # The rule's mask mixes the exponent (an ndarray) with the recorded base: ndarray & Tensor.
    exponent = np.array([2.0, 3.0, 0.0])
    assert gradgradcheck(lambda x: (x ** exponent).sum(), np.array([0.5, 1.5, 2.0]))


def test_an_integer_to_a_negative_integer_power_is_refused_saying_what_to_do():
    with pytest.raises(ValueError, match=r"power: .*an integer base takes no negative integer exponent \(make either "
                                         r"a float"):
        ag.tensor([2]) ** -1
    assert (ag.tensor([2.0]) ** -1).data.tolist() == [0.5]


def test_negation_reads_no_value_so_its_input_may_change_in_place_as_in_pytorch():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (-w).sum()
    with ag.no_grad():
        w += 1.0  # negative's rule is -g: it reads no value (PyTorch's NegBackward saves none either)
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [-1.0, -1.0])  # d(-w)/dw


def test_linear_with_a_wider_bias_promotes_as_numpy():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((4, 3)).astype(np.float32), rng.standard_normal((2, 3)).astype(np.float32)
    b = rng.standard_normal(2)  # float64
    out = ag.linear(ag.tensor(x), ag.tensor(w), ag.tensor(b))
    expected = x @ w.T + b
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("exponent", [0, 0.0, np.zeros(3)], ids=["int", "float", "array"])
def test_power_with_a_zero_exponent_has_zero_gradient_at_nan_and_subnormal_bases(exponent, dtype):
    # x ** 0 is 1 for every x (NumPy: nan ** 0 == 1, as IEEE pow), so d/dx x ** 0 = 0 everywhere; 0 * x ** -1
    # would be NaN where x ** -1 overflows (a subnormal x) or is NaN.
    tiny = np.finfo(dtype).smallest_subnormal
    x = ag.tensor(np.array([np.nan, tiny, 3.0], dtype=dtype), requires_grad=True)
    out = x ** exponent
    np.testing.assert_array_equal(out.data, np.ones(np.shape(out.data)))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])
    assert x.grad.dtype == dtype
    torch = pytest.importorskip("torch")
    t = torch.tensor(x.data, requires_grad=True)
    (t ** torch.as_tensor(exponent, dtype=t.dtype)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


@pytest.mark.parametrize("exponent", [0.0, np.array([0.0, 0.0, 1.0])], ids=["number", "array"])
def test_power_with_a_zero_exponent_stops_an_infinite_or_nan_incoming_gradient_as_pytorch(exponent):
    # d/dx x ** 0 = 0, so inf or NaN coming in gives 0 (PyTorch's where), not inf * 0 = NaN; a nonzero exponent
    # passes it on.
    x = ag.tensor([2.0, -3.0, 5.0], requires_grad=True)
    incoming = np.array([np.inf, np.nan, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no RuntimeWarning on the way
        (x ** exponent).backward(incoming)
    expected = [0.0, 0.0, np.inf] if np.ndim(exponent) else [0.0, 0.0, 0.0]
    np.testing.assert_array_equal(x.grad.data, expected)
    torch = pytest.importorskip("torch")
    t = torch.tensor(x.data, requires_grad=True)
    (t ** torch.as_tensor(exponent)).backward(torch.as_tensor(incoming))
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_abs_gradient_at_nan_and_at_zero_is_zero_as_pytorch():
    values = np.array([np.nan, -2.0, 3.0, 0.0, -0.0])
    x = ag.tensor(values, requires_grad=True)
    ag.abs(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, -1.0, 1.0, 0.0, 0.0])
    torch = pytest.importorskip("torch")
    t = torch.tensor(values, requires_grad=True)
    torch.abs(t).sum().backward()
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_astype_of_a_python_float_casts_it_as_numpy():
    # Every operation takes Python numbers (API.md); ag.astype(2.5, ...) raised AttributeError.
    expected = np.asarray(2.5).astype(np.float32)
    out = ag.astype(2.5, np.float32)
    assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("function, reference, operands", [
    (ag.add, np.add, (True, True)), (ag.multiply, np.multiply, (True, True)), (ag.divide, np.divide, (1, 0)),
    (ag.divide, np.divide, (1.0, 0.0)), (ag.remainder, np.remainder, (5.0, 0.0)), (ag.remainder, np.remainder, (5, 0)),
    (ag.power, np.power, (-8.0, 0.5)), (ag.power, np.power, (0.0, -1)), (ag.multiply, np.multiply, (2 ** 40, 2 ** 40)),
    (ag.add, np.add, (2 ** 63 - 1, 1)), (ag.negative, np.negative, (2.5,)), (ag.abs, np.absolute, (-3,)),
], ids=lambda v: getattr(v, "__name__", None) or repr(v))
def test_an_operation_on_python_numbers_alone_follows_numpy_not_python(function, reference, operands):
    # Python's own rules gave True + True == 2, ZeroDivisionError, a complex (-8.0) ** 0.5 and object-dtype ints.
    with np.errstate(all="ignore"):
        expected = np.asarray(reference(*operands))
        out = function(*operands)
    assert isinstance(out.data, np.ndarray | np.generic) and out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("function, reference, operands", [
    (ag.power, np.power, (2, -1)), (ag.subtract, np.subtract, (True, False)), (ag.negative, np.negative, (True,)),
], ids=["power", "subtract", "negative"])
def test_an_operation_on_python_numbers_that_numpy_refuses_is_refused_naming_it(function, reference, operands):
    with pytest.raises((TypeError, ValueError)) as refused:
        reference(*operands)
    with pytest.raises(type(refused.value), match=rf"^{function.name}: "):
        function(*operands)


@pytest.mark.parametrize("operation, name", [
    (lambda t: t + 2 ** 40, "add"),
    (lambda t: t * 2 ** 40, "multiply"),
    (lambda t: ag.maximum(t, 2 ** 40), "maximum"),
    (lambda t: t - 2 ** 2000, "subtract"),
], ids=["add", "multiply", "maximum", "beyond int64"])
def test_a_python_integer_out_of_the_tensors_integer_range_is_an_error_naming_the_operation(operation, name):
    small = ag.tensor(np.array([1, 2], dtype=np.int32))
    with pytest.raises(OverflowError):
        np.array([1, 2], dtype=np.int32) + 2 ** 40  # the reference: NumPy refuses too
    with pytest.raises(OverflowError, match=rf"^{name}: invalid input of shapes/dtypes \[\(2,\) int32, .*a Python "
                                            r"int must fit the Tensor's integer dtype"):
        operation(small)


def test_power_keeps_the_mixed_second_derivative_at_the_smallest_normal_base():
    # d2(x**y)/dx dy = x**(y-1) (1 + y ln x), 1/x at y = 0: kept wherever 1/x is finite (the rule's comment),
    # the smallest normal float included; only 0, subnormal or NaN bases get 0.
    tiny = np.finfo(np.float64).tiny
    x = ag.tensor(tiny, requires_grad=True)
    y = ag.tensor(0.0, requires_grad=True)
    with np.errstate(over="ignore", invalid="ignore"):  # (other terms of the rules overflow at tiny: unchecked)
        dx = ag.backprop(x ** y, create_graph=True)[x]
        np.testing.assert_allclose(float(ag.backprop(dx)[y]), 1 / tiny, rtol=1e-12)


def test_abs_gradient_at_zero_passes_an_infinite_incoming_gradient_on_as_nan():
    x = ag.tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):  # (the infinities are the point)
        ag.sqrt(ag.abs(x)).sum().backward()  # sqrt'(0) = inf; inf * 0 is NaN (torch: [nan, 0.25])
    assert np.isnan(x.grad.data[0])
    assert x.grad.data[1] == 0.25


def test_abs_gradient_at_nan_input_keeps_a_nan_incoming_gradient():
    x = ag.tensor([np.nan, 4.0], requires_grad=True)
    (ag.abs(x) * ag.abs(x)).sum().backward()  # incoming gradient 2|x| is NaN there (torch: [nan, 8.])
    assert np.isnan(x.grad.data[0])
    assert x.grad.data[1] == 8.0


def test_abs_gradient_with_a_finite_incoming_gradient_at_nan_is_zero():
    x = ag.tensor([np.nan, -3.0, 0.0], requires_grad=True)
    ag.abs(x).sum().backward()  # torch: [0., -1., 0.]
    np.testing.assert_array_equal(x.grad.data, [0.0, -1.0, 0.0])


# ---- found by mutation testing -------------------------------------------------------------------------------------
def _changed_after_recording(lib, op):
    # op "remainder": y's rule reads x and y (-g * floor(x / y)); y requires grad and is changed in place.
    # op "power": the exponent's rule reads the base (g * ans * log(x)); the base is a constant changed in place.
    dtype = np.float64 if lib is ag else lib.float64
    x = lib.tensor([2.5, 3.5], dtype=dtype)
    y = lib.tensor([2.0, 1.5], dtype=dtype, requires_grad=True)
    out = (x % y if op == "remainder" else x ** y).sum()
    with lib.no_grad():
        if op == "remainder":
            y.mul_(2.0) if lib is not ag else y.__imul__(2.0)
        else:
            x.mul_(2.0) if lib is not ag else x.__imul__(2.0)
    return out


@pytest.mark.parametrize("op", ["remainder", "power"])
def test_an_input_the_other_operands_rule_reads_changed_in_place_is_refused_as_pytorch(op):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        _changed_after_recording(torch, op).backward()
    with pytest.raises(RuntimeError, match="was changed in place after the node was recorded"):
        _changed_after_recording(ag, op).backward()


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
@pytest.mark.parametrize("function, reference, operands", [
    (ag.add, np.add, (0.5, 2 ** 64)), (ag.subtract, np.subtract, (2 ** 64, 2.0)),
    (ag.multiply, np.multiply, (-(2 ** 63) - 1, 1.5)), (ag.maximum, np.maximum, (2.0, 2 ** 70)),
], ids=["add", "subtract", "multiply", "maximum"])
def test_a_python_int_beyond_int64_with_a_python_float_follows_numpy(function, reference, operands):
    # NumPy converts the int alongside the float (a float64 result); np.asarray(2 ** 64) is an object array.
    expected = np.asarray(reference(*operands))
    out = function(*operands)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("function, reference, operands", [
    (ag.add, np.add, (2 ** 63, 2 ** 63)), (ag.add, np.add, (2 ** 63, 1)), (ag.multiply, np.multiply, (3, 2 ** 63)),
], ids=["add-wraps-to-0", "add", "multiply"])
def test_python_ints_beyond_int64_alone_are_refused_as_numpy_refuses_them(function, reference, operands):
    # NumPy takes a Python int as int64 and refuses one beyond it; np.asarray(2 ** 63) is uint64, which wrapped
    # 2 ** 63 + 2 ** 63 round to 0 without a word.
    with pytest.raises(OverflowError):
        reference(*operands)
    with pytest.raises(OverflowError):
        function(*operands)


# ---- mixed float16 / float32 promotion: NumPy's rules, through ag and through the np dispatch ----
@pytest.mark.parametrize("op", ["add", "subtract", "multiply", "divide", "maximum", "minimum", "power"])
@pytest.mark.parametrize("other", [np.ones(2, np.float32), np.ones((), np.float32), np.float32(2), 2.0,
                                   np.ones(2, np.int32), np.int8(3), np.float64(2), np.ones(2, np.float64)],
                         ids=lambda v: f"{type(v).__name__}-{getattr(v, 'dtype', '')}")
def test_float16_promotion_as_numpy(op, other):
    x = np.full(2, 1.5, np.float16)
    expected = getattr(np, op)(x, other)
    wrapped = ag.tensor(other) if isinstance(other, np.ndarray) else other
    for result in (getattr(ag, op)(ag.tensor(x), wrapped), getattr(np, op)(ag.tensor(x), wrapped)):
        assert result.dtype == expected.dtype, (op, result.dtype, expected.dtype)
        np.testing.assert_array_equal(result.data, expected)
