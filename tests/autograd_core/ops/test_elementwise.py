"""Elementwise functions (autograd_core/ops/elementwise.py): one declaration each drives the generated tests."""
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.ops import elementwise
from conftest import backward_refused
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import broadcastable_shapes
from optable import Op, generated_tests, spaced


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


@st.composite
def _where_case(draw, shapes):
    cond_shape = draw(hnp.broadcastable_shapes(np.broadcast_shapes(*shapes), min_dims=0, max_dims=3, max_side=3))
    return {"cond": draw(hnp.arrays(bool, cond_shape))}


@st.composite
def _clip_array_bounds(draw):
    """x and array bounds of mutually broadcastable shapes (the result may be larger than x)."""
    x_shape, low_shape, high_shape = draw(broadcastable_shapes(3, min_dims=0, max_dims=3, min_side=1, max_side=3))
    bound = lambda shape: draw(hnp.arrays(np.float64, shape, elements=st.floats(-2.0, 2.0)))
    return (x_shape,), {"a_min": bound(low_shape), "a_max": bound(high_shape)}


def _off_the_bounds(x, a_min, a_max):
    """x is not within 1e-3 of a bound it meets (the kinks of clip)."""
    return bool(np.all(np.abs(x - a_min) > 1e-3) and np.all(np.abs(x - a_max) > 1e-3))


def _off_the_bounds_and_uncrossed(x, a_min, a_max):
    return _off_the_bounds(x, a_min, a_max) and bool(np.all(np.abs(a_min - a_max) > 1e-3))


ELEMENTWISE = [
    Op("exp", ag.exp, np.exp),
    Op("exp_method", lambda x: x.exp(), np.exp),
    Op("log", ag.log, np.log, elements=(0.05, 5.0)),
    Op("log_method", lambda x: x.log(), np.log, elements=(0.05, 5.0)),
    Op("log1p", ag.log1p, np.log1p, elements=(-0.95, 5.0)),
    Op("expm1", ag.expm1, np.expm1),
    Op("expm1_method", lambda x: x.expm1(), np.expm1),
    Op("expm1_numpy", np.expm1, np.expm1),
    Op("sqrt", ag.sqrt, np.sqrt, elements=(0.05, 5.0)),
    Op("sin", ag.sin, np.sin),
    Op("cos", ag.cos, np.cos),
    Op("tanh", ag.tanh, np.tanh),
    Op("sigmoid", ag.sigmoid, _sigmoid, elements=(-8.0, 8.0)),
    Op("softplus", ag.softplus, lambda x: np.log1p(np.exp(x)), elements=(-8.0, 8.0)),
    # Kinks at 0: the values are kept off them.
    Op("relu", ag.relu, lambda x: np.maximum(x, 0), avoid=(0.0,)),
    Op("leaky_relu", ag.leaky_relu, lambda x: np.where(x > 0, x, 0.01 * x), avoid=(0.0,)),
    Op("leaky_relu_slope", lambda x: ag.leaky_relu(x, negative_slope=0.2),
       lambda x: np.where(x > 0, x, 0.2 * x), avoid=(0.0,)),
    Op("elu", ag.elu, lambda x: np.where(x > 0, x, np.expm1(x)), avoid=(0.0,)),
    Op("elu_alpha", lambda x: ag.elu(x, alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)), avoid=(0.0,)),
    Op("sign", ag.ops.sign, np.sign, avoid=(0.0,)),  # (gradient 0: finite differences agree off 0)
    Op("clip", lambda x: ag.clip(x, -1.0, 0.5), lambda x: np.clip(x, -1.0, 0.5), avoid=(-1.0, 0.5)),
    Op("clip_min_only", lambda x: ag.clip(x, a_min=0.25), lambda x: np.clip(x, 0.25, None), avoid=(0.25,)),
    Op("clip_max_only", lambda x: x.clip(a_max=0.25), lambda x: np.clip(x, None, 0.25), avoid=(0.25,)),
    # float64 bounds promote a float32 x, as NumPy's clip does, so the float32 check does not apply.
    Op("clip_array_bounds", ag.clip, np.clip, case=_clip_array_bounds(), valid=_off_the_bounds, float32=False),
    # Bounds that require grad (a primitive of three inputs); kinks where x meets a bound or the bounds cross.
    Op("clip_differentiable_bounds", ag.clip, np.clip, arity=3, valid=_off_the_bounds_and_uncrossed),
    Op("clip_differentiable_min", lambda x, low: ag.clip(x, low), lambda x, low: np.clip(x, low, None), arity=2,
       elements=[spaced(), spaced(offset=0.05)]),
    Op("clip_differentiable_max", lambda x, high: ag.clip(x, None, high), lambda x, high: np.clip(x, None, high),
       arity=2, elements=[spaced(), spaced(offset=0.05)]),
    # maximum/minimum: the two inputs are drawn from interleaved grids, so they never tie.
    Op("maximum", ag.maximum, np.maximum, arity=2, elements=[spaced(), spaced(offset=0.05)]),
    Op("minimum", ag.minimum, np.minimum, arity=2, elements=[spaced(), spaced(offset=0.05)]),
    Op("maximum_method", lambda x, y: x.maximum(y), np.maximum, arity=2, elements=[spaced(), spaced(offset=0.05)]),
    Op("where", lambda x, y, cond: ag.where(cond, x, y), lambda x, y, cond: np.where(cond, x, y), arity=2,
       kwargs=_where_case),
    Op("where_python_number", lambda x, cond: ag.where(cond, x, 2.0), lambda x, cond: np.where(cond, x, 2.0),
       kwargs=lambda shapes: _where_case(shapes)),
    Op("where_tensor_condition", lambda x, y, cond: ag.where(ag.tensor(cond), x, y),
       lambda x, y, cond: np.where(cond, x, y), arity=2, kwargs=_where_case),
]

globals().update(generated_tests(ELEMENTWISE))


# ---- conventions at kinks and ties (the declarations above stay off them) --------------------
def _grad_at(f, x):
    x = ag.tensor(x, requires_grad=True)
    f(x).sum().backward()
    return x.grad.data


def test_relu_subgradient_at_zero_is_zero():
    np.testing.assert_array_equal(_grad_at(ag.relu, [0.0, -1.0, 2.0]), [0.0, 0.0, 1.0])


@pytest.mark.parametrize("outer", [ag.sqrt, ag.log, lambda r: 1 / r, lambda r: r * np.inf],
                         ids=["sqrt", "log", "reciprocal", "times-inf"])
def test_relu_gives_no_gradient_where_it_clipped_even_when_an_inf_or_nan_comes_back(outer):
    values = np.array([[-1.0, 0.0, 2.0], [1.0, 4.0, -3.0]])
    with np.errstate(all="ignore"):  # (the outer function's own infinities at 0)
        grad = _grad_at(lambda x: outer(ag.relu(x)), values)
    np.testing.assert_array_equal(grad[values <= 0], 0.0)  # selected away, as PyTorch's threshold_backward
    torch = pytest.importorskip("torch")
    reference = torch.tensor(values, requires_grad=True)
    outer_torch = {ag.sqrt: torch.sqrt, ag.log: torch.log}.get(outer, outer)
    outer_torch(torch.relu(reference)).sum().backward()
    np.testing.assert_array_equal(grad, reference.grad.numpy())


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_select_gives_np_wheres_bits_for_large_arrays(dtype):
    from autograd_core.ops.elementwise import select
    rng = np.random.default_rng(0)
    special = np.array([np.inf, -np.inf, np.nan, -0.0, 0.0], dtype=dtype)
    a = np.concatenate([special, rng.normal(size=7 * 4700 - 5).astype(dtype)]).reshape(-1, 7)[:, ::-1]  # (strided)
    b = rng.permutation(a.ravel()).reshape(a.shape)
    mask = rng.random(a.shape) < 0.5
    for args in ((mask, a, 0), (mask, a, b), (mask, a, 2.5), (mask, a, b[:1]), (mask[:1], a, b), (mask, a[:1], b)):
        expected = np.where(*args)
        picked = select(*args)
        assert picked.dtype == expected.dtype and picked.shape == expected.shape
        np.testing.assert_array_equal(picked.view(f"u{a.itemsize}"), expected.view(f"u{a.itemsize}"))  # bit for bit
    ints = np.arange(a.size).reshape(a.shape)
    np.testing.assert_array_equal(select(mask, ints), np.where(mask, ints, 0))  # (np.where's own path)
    for number in (*special, dtype(1.5), np.asarray(special[0])):  # one number, picked in Python
        for kept, b in ((np.True_, 0), (np.False_, 0), (np.False_, 2.5)):
            expected, picked = np.where(kept, number, b), select(kept, number, b)
            assert picked.dtype == expected.dtype and np.ndim(picked) == 0
            assert np.asarray(picked).view(f"u{a.itemsize}") == expected.view(f"u{a.itemsize}")


@pytest.mark.parametrize("size", [100, 2 ** 14, 2 ** 15], ids=["below", "threshold", "above"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_where_keeps_a_negative_zero_given_as_y_as_np_where(size, dtype):
    x = np.linspace(-1.0, 1.0, size).astype(dtype)
    expected = np.where(x > 0, x, -0.0)  # -0.0 wherever x <= 0
    picked = ag.where(x > 0, ag.tensor(x), -0.0).data
    assert picked.dtype == expected.dtype
    np.testing.assert_array_equal(np.signbit(picked), np.signbit(expected))
    bits = f"u{x.itemsize}"
    np.testing.assert_array_equal(elementwise.select(x > 0, x, -0.0).view(bits), expected.view(bits))


needs_long_double = pytest.mark.skipif(np.dtype(np.longdouble).itemsize <= 8,
                                       reason="np.longdouble is float64 on this platform")


@needs_long_double
@pytest.mark.parametrize("size", [100, 2 ** 15], ids=["small", "large"])
def test_long_double_arrays_of_any_size_go_through_where_relu_and_sigmoid_as_numpy(size):
    values = np.linspace(-3.0, 3.0, size).astype(np.longdouble)
    np.testing.assert_array_equal(ag.where(values > 0, values, 0.0).data, np.where(values > 0, values, 0.0))
    np.testing.assert_allclose(ag.sigmoid(values).data.astype(np.float64), 1 / (1 + np.exp(-values.astype(np.float64))),
                               rtol=1e-15)
    x = ag.tensor(values, requires_grad=True)
    ag.relu(x).sum().backward()
    assert x.grad.dtype == np.longdouble
    np.testing.assert_array_equal(x.grad.data, (values > 0).astype(np.longdouble))


def test_where_of_a_zero_d_tensor_is_a_new_value_as_torch_where():
    # np.where and torch.where return a new array: a later in-place change to x must not reach the result.
    x = ag.tensor(1.5, requires_grad=True)
    picked = ag.where(x > 0, x, 0.0)
    assert not np.shares_memory(picked.data, x.data)
    product = picked * picked
    with ag.no_grad():
        x += 1.0  # a leaf changed in place (an optimizer step), which where's rule does not read
    np.testing.assert_array_equal(picked.data, 1.5)
    product.backward()
    torch = pytest.importorskip("torch")
    reference = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    picked_torch = torch.where(reference > 0, reference, 0.0)
    product_torch = picked_torch * picked_torch
    with torch.no_grad():
        reference += 1.0
    product_torch.backward()
    np.testing.assert_array_equal(x.grad.data, reference.grad.numpy())  # 2 * 1.5, not 2 * 2.5


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relus_rule_gives_np_wheres_bits_with_infinities_nans_and_signed_zeros(dtype):
    # (its inline path, for g and ans of one dtype and shape: a training step's; NaN where relu passed a NaN gets 0)
    rng = np.random.default_rng(1)
    g = rng.standard_normal((6, 7)).astype(dtype)
    g[0, :5] = [np.inf, -np.inf, np.nan, -0.0, np.inf]
    ans = np.maximum(rng.standard_normal((6, 7)).astype(dtype), 0)
    ans[0, :5] = [0.0, 0.0, 0.0, 0.0, 3.0]
    ans[1, :2] = [np.nan, -0.0]
    grad = elementwise._relu_vjp(g, ans, None)
    assert grad.dtype == dtype and grad.shape == g.shape
    assert grad.tobytes() == np.where(ans > 0, g, dtype(0)).tobytes()


def test_relu_selects_on_large_arrays_too():
    x = ag.tensor(np.linspace(-1.0, 1.0, 2 ** 15), requires_grad=True)
    with np.errstate(divide="ignore"):
        ag.log(ag.relu(x)).sum().backward()
    np.testing.assert_array_equal(x.grad.data[x.data <= 0], 0.0)
    np.testing.assert_array_equal(x.grad.data[x.data > 0], 1 / x.data[x.data > 0])


def test_leaky_relu_at_zero_uses_negative_slope():
    np.testing.assert_allclose(_grad_at(lambda x: ag.leaky_relu(x, 0.1), [0.0, 3.0]), [0.1, 1.0])


@pytest.mark.parametrize("call", [lambda x, s: ag.leaky_relu(x, negative_slope=s), lambda x, s: x.leaky_relu(s),
                                  lambda x, s: ag.elu(x, alpha=s)], ids=["leaky_relu", "method", "elu"])
def test_an_activation_constant_that_requires_grad_is_refused_not_left_without_gradient(call):
    x = ag.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"(leaky_relu|elu): (negative_slope|alpha) is a constant and gets no "
                                        r"gradient, but the Tensor given requires grad"):
        call(x, ag.tensor(0.1, requires_grad=True))
    np.testing.assert_allclose(call(x, ag.tensor(0.5)).data, call(x, 0.5).data)  # a constant Tensor is its value
    with pytest.raises(TypeError, match=r"(leaky_relu|elu): (negative_slope|alpha) must be a number"):
        call(x, "a")


def test_elu_gradient_at_zero_is_alpha_as_pytorch():
    np.testing.assert_allclose(_grad_at(lambda x: ag.elu(x, 0.5), [0.0, 2.0, -1.0]), [0.5, 1.0, 0.5 * np.exp(-1.0)])


def test_elu_second_derivative_at_zero_is_0_as_pytorch():
    """Not alpha / 2, which an exponent capped by minimum(x, 0) gave: the tie at 0 splits minimum's gradient."""
    x = np.array([0.0, -0.5, 0.5])
    second = np.diag(ag.hessian(lambda t: ag.elu(t, 1.5).sum())(x).data)
    np.testing.assert_allclose(second, [0.0, 1.5 * np.exp(-0.5), 0.0], rtol=1e-12)
    torch = pytest.importorskip("torch")
    t = torch.tensor(x, requires_grad=True)
    (g,) = torch.autograd.grad(torch.nn.functional.elu(t, alpha=1.5).sum(), t, create_graph=True)
    np.testing.assert_allclose(second, torch.autograd.grad(g.sum(), t)[0].numpy(), rtol=1e-12)


def test_sigmoid_is_accurate_to_an_ulp_deep_in_both_tails():
    from decimal import Decimal, getcontext

    getcontext().prec = 40
    xs = np.array([-700.0, -300.5, -33.282, -5.0, -1e-9, 0.0, 1e-9, 3.0, 17.5, 36.0])
    exact = np.array([float(1 / (1 + (-Decimal(x)).exp())) for x in xs])
    ulps = np.abs(ag.sigmoid(ag.tensor(xs)).data - exact) / np.spacing(exact)
    assert ulps.max() <= 1, ulps
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e^-x would overflow here: the form used never forms it
        assert ag.sigmoid(ag.tensor([-800.0, 800.0])).data.tolist() == [0.0, 1.0]


def test_elu_gradient_is_accurate_for_very_negative_inputs():
    x = ag.tensor([-37.4, -700.0], requires_grad=True)
    ag.elu(x, alpha=1.5).sum().backward()
    np.testing.assert_allclose(x.grad.data, 1.5 * np.exp([-37.4, -700.0]), rtol=1e-15)


def test_maximum_and_minimum_split_ties_equally():
    for op in (ag.maximum, ag.minimum):
        x = ag.tensor([1.0, 2.0], requires_grad=True)
        y = ag.tensor([1.0, 0.0], requires_grad=True)
        op(x, y).sum().backward()
        expected_x = [0.5, 1.0] if op is ag.maximum else [0.5, 0.0]
        np.testing.assert_array_equal(x.grad.data, expected_x)
        np.testing.assert_array_equal(x.grad.data + y.grad.data, [1.0, 1.0])


def test_where_condition_gets_no_gradient_and_broadcasts():
    x = ag.tensor([[1.0], [2.0]], requires_grad=True)
    y = ag.tensor([5.0, 6.0, 7.0], requires_grad=True)
    out = ag.where(np.array([True, False, True]), x, y)
    assert out.shape == (2, 3)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[2.0], [2.0]])
    np.testing.assert_array_equal(y.grad.data, [0.0, 2.0, 0.0])


@pytest.mark.parametrize("x", [-800.0, -40.0, 40.0, 800.0])
def test_sigmoid_and_softplus_stay_finite_and_correct_far_out(x):
    t = ag.tensor(x, requires_grad=True)
    s = ag.sigmoid(t)
    s.backward()
    assert np.isfinite(s.item()) and np.isfinite(t.grad.item())
    np.testing.assert_allclose(s.item(), 0.0 if x < 0 else 1.0, atol=1e-15)
    t.grad = None
    p = ag.softplus(t)
    p.backward()
    np.testing.assert_allclose(p.item(), max(x, 0.0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(t.grad.item(), 0.0 if x < 0 else 1.0, atol=1e-15)


def test_third_derivatives_of_tanh_sin_and_exp():
    # d3/dx3 tanh = -2 sech^2 (1 - 3 tanh^2) ... compared with the closed forms.
    x = 0.7
    d3 = ag.grad(ag.grad(ag.grad(lambda t: ag.tanh(t))))
    t, s = np.tanh(x), 1 / np.cosh(x) ** 2
    np.testing.assert_allclose(float(d3(x)), -2 * s * (s - 2 * t * t), rtol=1e-10)
    np.testing.assert_allclose(float(ag.grad(ag.grad(ag.grad(ag.sin)))(x)), -np.cos(x), rtol=1e-12)
    np.testing.assert_allclose(float(ag.grad(ag.grad(ag.grad(ag.exp)))(x)), np.exp(x), rtol=1e-12)
    np.testing.assert_allclose(float(ag.grad(ag.grad(ag.grad(ag.sigmoid)))(x)),
                               _sigmoid(x) * (1 - _sigmoid(x)) * (1 - 6 * _sigmoid(x) + 6 * _sigmoid(x) ** 2),
                               rtol=1e-10)


def test_third_derivative_of_log_and_sqrt_by_finite_differences():
    from autograd_core.testing import gradgradcheck

    # gradgradcheck of the engine's own gradient checks the third derivative.
    for f in (ag.log, ag.sqrt, ag.softplus):
        d1 = lambda x, f=f: ag.grad(lambda t: f(t).sum())(x)
        assert gradgradcheck(d1, np.array([0.4, 1.3, 2.0]))


def test_functions_accept_python_numbers_and_arrays():
    assert isinstance(ag.exp(1.0), ag.Tensor)
    np.testing.assert_allclose(ag.tanh(np.array([0.5])).data, np.tanh([0.5]))
    assert gradcheck(lambda x: ag.maximum(x, 0.3) + ag.minimum(1.2, x), np.array([0.1, 0.9, 2.0]))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.bool_])
def test_sigmoid_of_integers_and_booleans_is_computed_in_the_float_type_numpys_exp_gives(dtype):
    # -x of an unsigned integer wraps around: sigmoid(uint8 3) was 0 (e^-253 overflowed), silently.
    values = np.array([0, 1, 3, 100] if dtype is not np.bool_ else [False, True], dtype=dtype)
    out = ag.sigmoid(ag.tensor(values))
    with np.errstate(over="ignore"):  # (e^100 in float16)
        assert out.dtype == np.exp(values).dtype
    np.testing.assert_allclose(out.data, _sigmoid(values.astype(np.float64)), rtol=1e-3)


@pytest.mark.parametrize("x", [3, 0.5, True])
def test_sigmoid_of_a_python_number(x):
    assert ag.sigmoid(x).item() == pytest.approx(_sigmoid(float(x)), rel=1e-3)


@pytest.mark.parametrize("setting", [[0.1, 0.2], (0.1, 0.2), np.array([0.1, 0.2]), 2 ** 70])
def test_activation_settings_may_be_lists_tuples_arrays_and_big_ints(setting):
    x = np.array([-1.0, -2.0])
    expected_leaky = np.where(x > 0, x, x * np.asarray(setting, dtype=float))
    np.testing.assert_allclose(ag.leaky_relu(ag.tensor(x), setting).data, expected_leaky)
    assert ag.elu(ag.tensor(x), setting).shape == (2,)


@pytest.mark.parametrize("wrap", [lambda s: [s], lambda s: (s, s)], ids=["list", "tuple"])
def test_a_list_setting_holding_a_tensor_that_requires_grad_is_refused(wrap):
    with pytest.raises(TypeError, match=r"leaky_relu: negative_slope is a constant and gets no gradient"):
        ag.leaky_relu(ag.tensor([-1.0, 2.0], requires_grad=True), wrap(ag.tensor(0.1, requires_grad=True)))


@pytest.mark.parametrize("value", [np.float64(-2.0), np.float32(-0.5), np.float64(3.0), np.float64(np.nan), np.True_,
                                   np.False_, np.int8(-3)],
                         ids=["float64", "float32", "positive", "nan", "true", "false", "int8"])
def test_relu_of_a_numpy_scalar_is_np_maximum_with_zero(value):
    out = ag.relu(value)
    np.testing.assert_array_equal(out.data, np.maximum(value, 0))
    assert out.dtype == np.maximum(value, 0).dtype


def test_relu_of_a_full_reduction_clamps_negative_sums():
    x = np.array([-1.0, -2.0])
    out = ag.relu(ag.tensor(x).sum())  # a full reduction holds a NumPy scalar
    assert out.item() == np.maximum(x.sum(), 0)


def test_where_reads_a_float_condition_that_requires_grad_as_a_constant_mask():
    cond = ag.tensor([1.0, 0.0, 2.0], requires_grad=True)
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = ag.where(cond, x, 0.0)
    np.testing.assert_array_equal(out.data, np.where(cond.data, x.data, 0.0))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.where(cond.data, 1.0, 0.0))
    assert cond.grad is None  # the condition is not differentiable


def test_maximum_minimum_and_where_take_the_contracts_argument_names():
    # API.md: `maximum(a, b)`, `minimum(a, b)`, `where(cond, a, b)`; its argument names are binding.
    a, b, cond = ag.tensor([1.0, 5.0], requires_grad=True), np.array([3.0, 3.0]), np.array([True, False])
    np.testing.assert_array_equal(ag.maximum(a=a, b=b).data, np.maximum([1.0, 5.0], b))
    np.testing.assert_array_equal(ag.minimum(b=b, a=a).data, np.minimum([1.0, 5.0], b))
    picked = ag.where(cond=cond, a=a, b=0.0)
    np.testing.assert_array_equal(picked.data, np.where(cond, [1.0, 5.0], 0.0))
    picked.sum().backward()
    np.testing.assert_array_equal(a.grad.data, cond.astype(float))


def test_np_sign_of_a_tensor_that_requires_grad_is_recorded_with_gradient_zero_as_torch_sign():
    x = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    s = np.sign(x)
    assert s.requires_grad and s.dtype == x.dtype
    (s * x).sum().backward()  # d/dx (sign(x) x) = sign(x), the sign node adding 0
    np.testing.assert_array_equal(x.grad.data, np.sign(x.data))
    torch = pytest.importorskip("torch")
    theirs = torch.tensor([-2.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
    ours = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    torch.sign(theirs).sum().backward()
    np.sign(ours).sum().backward()
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


def test_elu_gradient_at_nan_is_one_as_pytorch():
    # PyTorch: x <= 0 ? alpha e^x : 1, and NaN <= 0 is false, so 1 (not alpha).
    values = np.array([np.nan, -1.0, 2.0])
    x = ag.tensor(values, requires_grad=True)
    ag.elu(x, 1.5).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.5 * np.exp(-1.0), 1.0])
    torch = pytest.importorskip("torch")
    t = torch.tensor(values, requires_grad=True)
    torch.nn.functional.elu(t, alpha=1.5).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-15)


def test_sign_saves_nothing_so_a_later_change_of_its_input_does_not_stop_backward_as_torch():
    x = ag.tensor([-2.0, 3.0], requires_grad=True)
    s = ag.ops.sign(x)
    with ag.no_grad():
        x += 1.0  # sign's rule reads no value: nothing it saved has changed
    s.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])
    torch = pytest.importorskip("torch")
    t = torch.tensor([-2.0, 3.0], requires_grad=True)
    ts = torch.sign(t)
    with torch.no_grad():
        t += 1.0
    ts.sum().backward()
    np.testing.assert_array_equal(t.grad.numpy(), x.grad.data)


@pytest.mark.parametrize("keywords", [lambda buffer: {"out": buffer}, lambda buffer: {"out": (buffer,)},
                                      lambda buffer: {"out": None}, lambda buffer: {"where": True},
                                      lambda buffer: {"dtype": np.float32}],
                         ids=["out", "out as a tuple", "out None", "where", "dtype"])
@pytest.mark.parametrize("name", ["exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tanh", "abs"])
def test_a_ufunc_keyword_is_refused_at_the_call_naming_the_operation_as_np_exp_and_multiply_refuse_out(name, keywords):
    # The forward is NumPy's ufunc, which takes out= (writing into a buffer the result would then share), where= and
    # dtype=; the gradient rule takes none of them, so backward crashed (found porting PyTorch's Tensors tutorial).
    x, buffer = ag.tensor([0.25, 0.5], requires_grad=True), np.zeros(2)
    given = keywords(buffer)
    with pytest.raises(TypeError, match=rf"^{name} takes no keyword arguments, got {next(iter(given))}="):
        getattr(ag, name)(x, **given)
    np.testing.assert_array_equal(buffer, [0.0, 0.0])
    with pytest.raises(TypeError, match="out="):  # NumPy's own function on a Tensor, and a non-ufunc primitive
        getattr(np, name)(x, out=buffer)
    with pytest.raises(TypeError, match="multiply"):
        ag.multiply(x, x, out=buffer)


# ---- found by mutation testing -------------------------------------------------------------------------------------
_X = np.array([[0.7, -1.3, 1.9], [-1.1, 0.6, 1.6]])
_C = np.array([[1.5, 0.8, 1.25], [0.9, 1.7, 1.05]])

_OPS = {  # name: (autograd_core's f(w, c), PyTorch's f(w, c))
    "sin": (lambda w, c: ag.sin(w), lambda w, c: w.sin()),
    "cos": (lambda w, c: ag.cos(w), lambda w, c: w.cos()),
    "log1p": (lambda w, c: ag.log1p(abs(w)), lambda w, c: w.abs().log1p()),
    "softplus": (lambda w, c: ag.softplus(w), lambda w, c: __import__("torch").nn.functional.softplus(w)),
    "leaky_relu": (lambda w, c: ag.leaky_relu(w, 0.1), lambda w, c: __import__("torch").nn.functional.leaky_relu(w, 0.1)),
    "clip": (lambda w, c: ag.clip(w, -1.0, 1.0), lambda w, c: w.clamp(-1.0, 1.0)),
    "abs": (lambda w, c: ag.abs(w), lambda w, c: w.abs()),
    "maximum, the other a constant": (lambda w, c: ag.maximum(w, c), lambda w, c: w.maximum(c)),
    "matmul, the other a constant": (lambda w, c: w @ c.T, lambda w, c: w @ c.T),
    "max": (lambda w, c: w.max(), lambda w, c: w.max()),
    "min": (lambda w, c: w.min(), lambda w, c: w.min()),
    "logsumexp": (lambda w, c: ag.logsumexp(w, axis=1), lambda w, c: w.logsumexp(dim=1)),
    "maximum, the leaf second": (lambda w, c: ag.maximum(c, w), lambda w, c: c.maximum(w)),
    "minimum, the other a constant": (lambda w, c: ag.minimum(w, c), lambda w, c: w.minimum(c)),
    "minimum, the leaf second": (lambda w, c: ag.minimum(c, w), lambda w, c: c.minimum(w)),
    # probabilities: the leaf and the constant are taken as values in (0, 1) (see _changed)
    "binary_cross_entropy, the target a constant": (
        lambda w, c: ag.binary_cross_entropy(w, c),
        lambda w, c: __import__("torch").nn.functional.binary_cross_entropy(w, c, reduction="none")),
    "binary_cross_entropy, the input a constant": (
        lambda w, c: ag.binary_cross_entropy(c, w),
        lambda w, c: __import__("torch").nn.functional.binary_cross_entropy(c, w, reduction="none")),
    "clip, the upper bound a constant": (lambda w, c: ag.clip(w, -1.0, c), lambda w, c: w.clamp(-1.0 + 0 * c, c)),
}


def _floats(lib, values, requires_grad=False):
    return lib.tensor(values, dtype=np.float64 if lib is ag else lib.float64, requires_grad=requires_grad)


def _changed(lib, name, what):
    """y recorded from a leaf w (and a constant c), then w, c or y's memory changed in place."""
    probabilities = name.startswith("binary_cross_entropy")
    w = _floats(lib, 1 / (1 + np.exp(-_X)) if probabilities else _X, requires_grad=True)
    c = _floats(lib, _C / 2 if probabilities else _C)
    h = _OPS[name][0 if lib is ag else 1](w, c)
    with lib.no_grad():
        target = {"input": w, "constant": c, "output": h.detach()}[what]
        target *= 0.5 if probabilities else -1.5
    return h.sum()


# (Left out: binary_cross_entropy's target changed, its input a constant. The target's rule reads the input only,
# so autograd_core does not refuse; PyTorch saves the target too and refuses.)
_CASES = [(name, what) for name in _OPS for what in ("input", "output")
          if (name, what) != ("binary_cross_entropy, the input a constant", "input")] + [
    ("maximum, the other a constant", "constant"), ("matmul, the other a constant", "constant"),
    ("clip, the upper bound a constant", "constant")] + [
    (name, "constant") for name in _OPS if "leaf second" in name or name.startswith("minimum") or
    name.startswith("binary_cross_entropy")]


@pytest.mark.parametrize("name, what", _CASES)
def test_a_value_changed_after_recording_is_refused_exactly_when_pytorch_refuses_it(name, what):
    torch = pytest.importorskip("torch")
    assert backward_refused(_changed(ag, name, what)) == backward_refused(_changed(torch, name, what))


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
@pytest.mark.parametrize("n", [10, 2 ** 15], ids=["small", "large"])
@pytest.mark.parametrize("y", [np.float64(0.1), np.linspace(-1.0, 0.0, 10)], ids=["numpy-scalar", "float64-array"])
def test_where_of_float32_and_a_float64_operand_promotes_as_np_where(n, y):
    mask = np.arange(n) % 2 == 0
    x = np.linspace(1.0, 2.0, n).astype(np.float32)
    y = np.resize(y, n) if np.ndim(y) else y
    got = ag.where(mask, ag.tensor(x), y).data
    expected = np.where(mask, x, y)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_where_broadcasts_to_the_shape_of_y_alone_on_large_arrays():
    # The result's shape comes from all three operands, even when only y has it.
    mask = (np.arange(2 ** 14) % 3 == 0)[None, :]
    x = ag.tensor(np.linspace(1.0, 2.0, 2 ** 14)[None, :], requires_grad=True)
    y = ag.tensor(np.linspace(-2.0, -1.0, 3 * 2 ** 14).reshape(3, -1), requires_grad=True)
    out = ag.where(mask, x, y)
    expected = np.where(mask, x.data, y.data)
    assert out.shape == expected.shape == (3, 2 ** 14)
    np.testing.assert_array_equal(out.data, expected)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.where(mask, 3.0, 0.0))
    np.testing.assert_array_equal(y.grad.data, np.broadcast_to(np.where(mask, 0.0, 1.0), (3, 2 ** 14)))


def test_expm1_method_is_accurate_for_tiny_x_as_np_expm1():
    x = ag.tensor([1e-10, -3e-12, 1e-300])
    out = x.expm1()
    np.testing.assert_array_equal(out.data, np.expm1(x.data))  # exp(x) - 1 would lose every digit


def test_expm1_gradient_reads_its_result_so_x_may_change_in_place_after_as_torch():
    x = ag.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out = ag.expm1(x)
    with ag.no_grad():
        x[...] = 0.0  # a leaf changed under no_grad: the rule reads the result, not x
    out.sum().backward()
    torch = pytest.importorskip("torch")
    reference = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    tout = torch.expm1(reference)
    with torch.no_grad():
        reference[...] = 0.0
    tout.sum().backward()
    np.testing.assert_allclose(x.grad.data, reference.grad.numpy(), rtol=1e-15)
    np.testing.assert_allclose(x.grad.data, np.exp([0.5, -1.0, 2.0]), rtol=1e-15)


@pytest.mark.parametrize("x", [-40.0, -100.0, -700.0])
def test_softplus_keeps_its_tiny_value_far_left_as_log1p(x):
    # log(1 + e**x) = e**x (1 - e**x / 2 ...): log(1 + e) rounds it to 0 where log1p keeps it.
    np.testing.assert_allclose(ag.softplus(ag.tensor(x)).data, np.exp(x), rtol=1e-15)
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(ag.softplus(ag.tensor(x)).data,
                               torch.nn.functional.softplus(torch.tensor(x, dtype=torch.float64)).numpy(), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint32, np.bool_])
def test_softplus_of_unsigned_and_bool_arrays_in_the_float_type_np_exp_gives(dtype):
    x = np.array([0, 1, 200, 255], dtype)
    out = ag.softplus(x).data
    assert out.dtype == np.exp(x[:1]).dtype
    expected = np.log1p(np.exp(x.astype(np.float64)))  # -x of an unsigned int must not wrap around
    np.testing.assert_allclose(out, expected, rtol=2e-3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_elu_of_a_large_positive_x_is_x_without_an_overflow_warning(dtype):
    import warnings
    x = ag.tensor(np.array([100.0, 1000.0, 3e38], dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e**x of the branch not taken must not be computed at x
        out = ag.elu(x)
        out.sum().backward()
    np.testing.assert_array_equal(out.data, x.data)
    np.testing.assert_array_equal(x.grad.data, np.ones(3, dtype))
