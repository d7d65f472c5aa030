"""erf and erfc (autograd_core/ops/special.py): values against math.erf and math.erfc to a stated bound in units in
the last place over the whole real line (tiny, huge, subnormal, signed zeros, infinities, NaN), float32 and float16
rounded once, the exact gradient and second derivative, PyTorch's torch.special.erf/erfc; the declarations below
drive the generated gradient, second-derivative, float32 and graph-freeing checks."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from optable import Op, generated_tests

ERF_ULPS, ERFC_ULPS = 5, 8  # the bounds special.py states, against math.erf and math.erfc (within 1 ulp themselves)
SUBNORMAL_ATOL = 2e-323  # where the result is subnormal, 4 steps of the least float64 (4.9e-324)
_erf_ref = np.vectorize(math.erf, otypes=[np.float64])
_erfc_ref = np.vectorize(math.erfc, otypes=[np.float64])

SPECIAL = [
    Op("erf", ag.erf, _erf_ref, elements=(-4.0, 4.0)),
    Op("erf_method", lambda x: x.erf(), _erf_ref),
    Op("erfc", ag.erfc, _erfc_ref, elements=(-4.0, 4.0)),
    Op("erfc_method", lambda x: x.erfc(), _erfc_ref),
]

globals().update(generated_tests(SPECIAL))


def _assert_close_in_ulps(got, expected, ulps, x):
    if math.isnan(expected):
        assert math.isnan(got), f"at x={x!r}: {got!r}, expected NaN"
        return
    assert math.copysign(1, got) == math.copysign(1, expected), f"at x={x!r}: {got!r} has not the sign of {expected!r}"
    if abs(expected) < np.finfo(np.float64).tiny:  # 0 or subnormal: a few steps of the least float64
        assert abs(got - expected) <= SUBNORMAL_ATOL, f"at x={x!r}: {got!r}, expected {expected!r}"
    else:
        error = abs(got - expected) / math.ulp(expected)
        assert error <= ulps, f"at x={x!r}: {got!r} is {error} ulp from {expected!r} (bound {ulps})"


# Every float64 (subnormals, huge values, infinities, NaN, both zeros), and many where erf and erfc are neither 0 nor
# +-1 nor 2, where each of Cody's three rational functions is used (|x| <= 0.46875, <= 4, beyond).
_ANY = st.floats(allow_nan=True, allow_infinity=True)
_WHERE_IT_VARIES = st.floats(-6.0, 6.0) | st.floats(-27.5, 27.5) | st.floats(0.46, 0.48) | st.floats(3.99, 4.01)


@settings(max_examples=60)
@given(st.lists(_ANY | _WHERE_IT_VARIES, min_size=1, max_size=40))
def test_erf_and_erfc_are_within_their_bounds_of_math_over_the_whole_real_line(values):
    x = np.array(values, dtype=np.float64)
    for got_erf, got_erfc, v in zip(ag.erf(x).data, ag.erfc(x).data, values):
        _assert_close_in_ulps(float(got_erf), math.erf(v), ERF_ULPS, v)
        _assert_close_in_ulps(float(got_erfc), math.erfc(v), ERFC_ULPS, v)


TINY = np.finfo(np.float64).smallest_subnormal
EDGES = [0.0, -0.0, np.inf, -np.inf, np.nan, TINY, -TINY, 1e-310, -1e-310, np.finfo(np.float64).tiny, 1e-200, 1e-17,
         -1e-8, 0.46875, np.nextafter(0.46875, 1), -np.nextafter(0.46875, 1), 0.5, 4.0, np.nextafter(4.0, 5), -4.0,
         5.9, 6.0, -6.0, 10.0, 26.0, 26.5, 27.2, 27.3, -27.3, 28.0, 1e10, -1e300, np.finfo(np.float64).max]


@pytest.mark.parametrize("x", EDGES, ids=repr)
def test_erf_and_erfc_at_the_edges_without_a_warning(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow in x * x, no inf - inf, for any x
        _assert_close_in_ulps(float(ag.erf(x)), math.erf(x), ERF_ULPS, x)
        _assert_close_in_ulps(float(ag.erfc(x)), math.erfc(x), ERFC_ULPS, x)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_gradient_far_out_is_0_without_an_overflow_warning(dtype):
    x = ag.tensor(np.array([300.0, -np.finfo(dtype).max], dtype), requires_grad=True)  # x * x overflows to inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (ag.erf(x) + ag.erfc(x)).sum().backward()
    assert x.grad.data.tolist() == [0.0, 0.0]


def test_erf_keeps_the_sign_of_zero_and_limits_at_infinity():
    values = ag.erf(ag.tensor([0.0, -0.0, np.inf, -np.inf, np.nan])).data
    assert values.tolist()[:4] == [0.0, 0.0, 1.0, -1.0] and np.isnan(values[4])
    assert np.signbit(values[:2]).tolist() == [False, True]
    assert ag.erfc(ag.tensor([np.inf, -np.inf, -0.0])).data.tolist() == [0.0, 2.0, 1.0]


def test_erfc_keeps_its_relative_accuracy_deep_in_the_tail_where_1_minus_erf_is_0():
    x = np.array([5.0, 10.0, 20.0, 26.0])
    np.testing.assert_allclose(ag.erfc(x).data, [math.erfc(v) for v in x], rtol=ERFC_ULPS * 2.3e-16, atol=0)
    assert (1 - ag.erf(x).data[1:] == 0).all()  # what erfc is there for


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("name", ["erf", "erfc"])
def test_a_narrower_float_is_computed_in_float64_and_rounded_once(name, dtype):
    values = np.concatenate([np.linspace(-5, 5, 201), [0.0, -0.0, 1e-30, np.inf, -np.inf, 6e4]]).astype(dtype)
    got = getattr(ag, name)(ag.tensor(values)).data
    assert got.dtype == dtype
    exact = np.array([getattr(math, name)(float(v)) for v in values])
    np.testing.assert_array_less(np.abs(got - exact.astype(dtype)), np.spacing(np.abs(exact).astype(dtype)) * 1.01)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(exact))


@pytest.mark.parametrize("value", [np.array([0, 1, -2]), np.array([0, 1], dtype=np.int8), np.array([True, False]),
                                   np.float32(0.5), 1, 0.5], ids=["int64", "int8", "bool", "float32 scalar", "int", "float"])
def test_erf_of_integers_and_bools_takes_the_float_type_np_exp_gives_them(value):
    for fn in (ag.erf, ag.erfc):
        out = fn(value)
        assert out.dtype == np.exp(value).dtype and out.shape == np.shape(value)


def test_the_gradient_is_2_over_sqrt_pi_exp_minus_x_squared_and_differentiable_again():
    x = np.array([-30.0, -3.0, -0.5, 0.0, 0.25, 2.0, 30.0, np.inf])
    first = 2 / math.sqrt(math.pi) * np.exp(-x * x)
    np.testing.assert_allclose(ag.grad(lambda t: ag.erf(t).sum())(x).data, first, rtol=1e-15, atol=0)
    np.testing.assert_allclose(ag.grad(lambda t: ag.erfc(t).sum())(x).data, -first, rtol=1e-15, atol=0)
    second = ag.grad(ag.grad(ag.erf))
    for v in (-1.5, 0.0, 0.7):
        assert float(second(v)) == pytest.approx(-2 * v * 2 / math.sqrt(math.pi) * math.exp(-v * v), rel=1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["erf", "erfc"])
def test_erf_and_erfc_match_torch_special(name, dtype):
    torch = pytest.importorskip("torch")
    values = np.concatenate([np.linspace(-9, 9, 181), [0.0, -0.0, 1e-30, -1e-30, 26.0, np.inf, -np.inf, np.nan]])
    values = values.astype(dtype)
    x, tx = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    y, ty = getattr(ag, name)(x), getattr(torch.special, name)(tx)
    y.backward(np.ones_like(values))
    ty.backward(torch.ones_like(tx))
    assert y.dtype == x.grad.dtype == dtype
    eps = np.finfo(dtype).eps
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=(2 if dtype == np.float32 else ERFC_ULPS) * eps,
                               atol=np.finfo(dtype).smallest_subnormal)
    np.testing.assert_array_equal(np.signbit(y.data), np.signbit(ty.detach().numpy()))
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-5 if dtype == np.float32 else 1e-13, atol=0)
