"""erf and erfc (autograd_core/ops/special.py): values against math.erf and math.erfc to a stated bound in units in
the last place over the whole real line (tiny, huge, subnormal, signed zeros, infinities, NaN), float32 and float16
rounded once, the exact gradient and second derivative, PyTorch's torch.special.erf/erfc; the declarations below
drive the generated gradient, second-derivative, float32 and graph-freeing checks. lgamma, digamma and polygamma:
against math.lgamma, closed forms (Euler's gamma, pi**2 / 6, zeta(3)), the recurrence and reflection identities,
torch.lgamma/digamma/polygamma and mpmath where installed; their declarations (digamma and trigamma against
differences of math.lgamma) check each function's first and second derivatives, polygamma to order 3, by finite
differences. erfinv: against a bisection of math.erf, as the inverse of erf and erfc into the tails, its gradient
sqrt(pi)/2 e^(x^2) and second derivative, and torch.erfinv."""
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

_lgamma_ref = np.vectorize(math.lgamma, otypes=[np.float64])


@np.vectorize
def _erfinv_ref(y):
    """The x with math.erf(x) = y, by bisection (to the last bit: 1100 halvings reach any float64)."""
    low, high = -6.0, 6.0
    for _ in range(1100):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        low, high = (middle, high) if math.erf(middle) < y else (low, middle)
    return high if abs(math.erf(high) - y) <= abs(math.erf(low) - y) else low


def _lgamma_difference(x, order):
    """lgamma's first (digamma) or second (trigamma) derivative by central differences of math.lgamma."""
    if order == 1:
        return (_lgamma_ref(x + 1e-5) - _lgamma_ref(x - 1e-5)) / 2e-5
    return (_lgamma_ref(x + 1e-4) - 2 * _lgamma_ref(x) + _lgamma_ref(x - 1e-4)) / 1e-8


SPECIAL = [
    Op("erf", ag.erf, _erf_ref, elements=(-4.0, 4.0)),
    Op("erf_method", lambda x: x.erf(), _erf_ref),
    Op("erfc", ag.erfc, _erfc_ref, elements=(-4.0, 4.0)),
    Op("erfc_method", lambda x: x.erfc(), _erfc_ref),
    Op("erfinv", ag.erfinv, _erfinv_ref, elements=(-0.95, 0.95)),
    Op("erfinv_method", lambda x: x.erfinv(), _erfinv_ref, elements=(-0.99, 0.99)),
    Op("lgamma", ag.lgamma, _lgamma_ref, elements=(0.05, 8.0)),
    Op("lgamma_method", lambda x: x.lgamma(), _lgamma_ref, elements=(-2.9, -2.1)),
    # digamma and trigamma against central differences of math.lgamma (good to about 1e-9 here, away from their
    # roots); the generated checks differentiate them twice more (polygamma 1 to 3) by finite differences
    Op("digamma", ag.digamma, lambda x: _lgamma_difference(x, 1), elements=(2.0, 9.0), value_rtol=1e-8),
    Op("digamma_method", lambda x: x.digamma(), lambda x: _lgamma_difference(x, 1), elements=(-3.45, -3.1),
       value_rtol=1e-8),
    Op("polygamma_1", lambda x: ag.polygamma(1, x), lambda x: _lgamma_difference(x, 2), elements=(0.3, 9.0),
       value_rtol=1e-5),
    # (between the poles at -2 and -1 the trigamma's third derivative reaches 1e5: sin(0.05 y) downstream keeps the
    # second-derivative check's central differences, good to eps**2 times it, within its tolerance)
    Op("polygamma_1_method", lambda x: x.polygamma(1), lambda x: _lgamma_difference(x, 2), elements=(-1.8, -1.2),
       value_rtol=1e-5, downstream=lambda y: ag.sin(0.05 * y)),
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


# ---- lgamma, digamma, polygamma ----------------------------------------------------------------------------------
EULER_GAMMA = 0.5772156649015329
ZETA_3 = 1.2020569031595942


def test_lgamma_digamma_and_polygamma_at_closed_forms():
    np.testing.assert_allclose(ag.lgamma(ag.tensor([1.0, 2.0, 0.5, 10.0, -0.5])).numpy(),
                               [0.0, 0.0, math.log(math.pi) / 2, math.log(362880.0), math.log(2 * math.sqrt(math.pi))],
                               rtol=1e-14, atol=1e-15)
    harmonic_4 = 1 + 1 / 2 + 1 / 3 + 1 / 4
    np.testing.assert_allclose(ag.digamma(ag.tensor([1.0, 0.5, 5.0, 1e6])).numpy(),
                               [-EULER_GAMMA, -EULER_GAMMA - 2 * math.log(2), harmonic_4 - EULER_GAMMA,
                                math.log(1e6) - 0.5e-6 - 1 / 12e12], rtol=1e-14)
    np.testing.assert_allclose(ag.polygamma(1, ag.tensor([1.0, 0.5])).numpy(), [math.pi ** 2 / 6, math.pi ** 2 / 2],
                               rtol=1e-14)
    np.testing.assert_allclose(ag.polygamma(2, ag.tensor([1.0, 0.5])).numpy(), [-2 * ZETA_3, -14 * ZETA_3], rtol=1e-14)
    np.testing.assert_allclose(ag.polygamma(0, ag.tensor(3.0)).numpy(), ag.digamma(ag.tensor(3.0)).numpy(), rtol=0)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_polygamma_keeps_the_recurrence_and_the_reflection_formula(n):
    x = np.array([-7.3, -2.5, -0.9, -1e-3, 0.2, 0.75, 3.3, 14.6, 40.1])
    # psi_n(x + 1) = psi_n(x) + (-1)**n n! / x**(n + 1), to rounding of the larger of the terms (they cancel near 0)
    term = (-1) ** n * math.factorial(n) / x ** (n + 1)
    error = np.abs(ag.polygamma(n, x + 1).numpy() - (ag.polygamma(n, x).numpy() + term))
    assert np.all(error <= 1e-13 * np.maximum(np.abs(term), np.abs(ag.polygamma(n, x + 1).numpy()))), error
    if n == 1:  # psi_1(1 - x) + psi_1(x) = pi**2 / sin(pi x)**2
        np.testing.assert_allclose(ag.polygamma(1, 1 - x).numpy() + ag.polygamma(1, x).numpy(),
                                   np.pi ** 2 / np.sin(np.pi * x) ** 2, rtol=1e-11)


def test_the_poles_infinities_and_nan_as_torch_where_its_kernels_are_exact():
    x = np.array([0.0, -0.0, -1.0, -3.0, np.inf, -np.inf, np.nan])
    inf, nan = np.inf, np.nan
    np.testing.assert_array_equal(ag.lgamma(x).numpy(), [inf, inf, inf, inf, inf, inf, nan])
    np.testing.assert_array_equal(ag.digamma(x).numpy(), [-inf, inf, nan, nan, inf, nan, nan])
    np.testing.assert_array_equal(ag.polygamma(1, x).numpy(), [inf, inf, inf, inf, 0.0, nan, nan])
    np.testing.assert_array_equal(ag.polygamma(2, x).numpy(), [-inf, -inf, -inf, -inf, 0.0, nan, nan])


def test_the_gradients_are_the_next_polygamma_to_any_order():
    from autograd_core.testing import gradcheck, gradgradcheck
    x = ag.tensor([0.3, 1.7, -2.4, 5.0, 30.0], requires_grad=True)
    np.testing.assert_array_equal(ag.grad(lambda x: ag.lgamma(x).sum())(x).numpy(), ag.digamma(x).numpy())
    np.testing.assert_array_equal(ag.grad(lambda x: ag.digamma(x).sum())(x).numpy(), ag.polygamma(1, x).numpy())
    third = ag.grad(ag.grad(ag.grad(ag.lgamma)))(2.5)
    np.testing.assert_array_equal(third.numpy(), ag.polygamma(2, 2.5).numpy())
    for f in (ag.digamma, lambda x: ag.polygamma(2, x), lambda x: x.polygamma(3)):
        assert gradcheck(f, x) and gradgradcheck(f, x)


def test_float32_is_computed_in_float64_and_rounded_once_and_integers_become_floats():
    x = np.array([0.3, 2.5, -1.5], np.float32)
    for f in (ag.lgamma, ag.digamma, lambda x: ag.polygamma(2, x)):
        y = f(ag.tensor(x))
        assert y.dtype == np.float32
        np.testing.assert_array_equal(y.numpy(), f(ag.tensor(x.astype(np.float64))).numpy().astype(np.float32))
    assert ag.digamma(ag.tensor([1, 2])).dtype == np.float64


@pytest.mark.parametrize("n", [-1, 1.0, True, "1"])
def test_polygamma_refuses_an_order_that_is_no_int_at_least_0(n):
    with pytest.raises(ValueError, match=rf"polygamma: n must be an int >= 0 .*got {n!r}"):
        ag.polygamma(n, ag.tensor([1.0]))


def test_lgamma_digamma_and_polygamma_match_torch():
    torch = pytest.importorskip("torch")
    values = np.concatenate([np.linspace(-9.7, 30.3, 81), [1e-8, 0.5, 1.4616321449683622, 150.0, 1e10]])
    x, tx = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    y, ty = ag.lgamma(x), torch.lgamma(tx)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-13, atol=1e-13)
    y.backward(ag.ones_like(y))
    ty.backward(torch.ones_like(ty))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    for n in (0, 2, 3):
        np.testing.assert_allclose(ag.polygamma(n, values).numpy(), torch.polygamma(n, torch.tensor(values)).numpy(),
                                   rtol=1e-12, atol=1e-14)
    # torch's trigamma kernel is within 1e-9 only (it gives 1.6449340676 at 1, pi**2 / 6 = 1.6449340668)
    np.testing.assert_allclose(ag.polygamma(1, values).numpy(), torch.polygamma(1, torch.tensor(values)).numpy(),
                               rtol=1e-8)


def test_lgamma_and_polygamma_match_mpmath():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 30
    values = np.concatenate([np.random.default_rng(0).uniform(-20, 20, 200), np.exp(np.linspace(-20, 690, 50))])
    expected = np.array([float(mpmath.loggamma(mpmath.mpf(v)).real) for v in values])
    np.testing.assert_allclose(ag.lgamma(values).numpy(), expected, rtol=5e-14, atol=1e-15)
    for n in (0, 1, 2, 3):
        expected = np.array([float(mpmath.polygamma(n, mpmath.mpf(v))) for v in values])
        away_from_roots = np.abs(expected) > 1e-2
        np.testing.assert_allclose(ag.polygamma(n, values).numpy()[away_from_roots], expected[away_from_roots],
                                   rtol=1e-13)


# ---- erfinv ----
def test_erfinv_inverts_erf_and_erfc_to_rounding_into_the_tails():
    x = np.concatenate([np.linspace(-0.49, 0.49, 99), [1e-300, 5e-324, -0.0]])
    np.testing.assert_allclose(ag.erfinv(ag.erf(x)).data, x, rtol=1e-15, atol=0)  # (erf(x) itself is rounded)
    # near 1 the argument is 1 - erfc(x): erfc of the result gives back 1 - y to a few ulps
    complement = 1 - (1 - np.array([2.0 ** -53, 1e-15, 1e-12, 1e-9, 1e-6, 1e-3, 0.3, 0.49]))  # (exact: 1 - y)
    got = ag.erfinv(1 - complement).data
    np.testing.assert_allclose([math.erfc(v) for v in got], complement, rtol=2e-14)
    np.testing.assert_allclose(ag.erfinv(complement - 1).data, -got, rtol=0)
    with np.errstate(invalid="ignore"):
        edges = ag.erfinv(np.array([1.0, -1.0, 1.5, np.nan])).data
    np.testing.assert_array_equal(edges, [np.inf, -np.inf, np.nan, np.nan])
    assert ag.erfinv(np.float32(0.5)).dtype == np.float32


def test_erfinv_gradient_is_sqrt_pi_over_2_exp_of_its_square_and_differentiable_again():
    y = np.array([-0.9, -0.2, 0.0, 0.4, 0.99])
    x = ag.erfinv(y).data
    np.testing.assert_allclose(ag.grad(lambda t: ag.erfinv(t).sum())(y).data, math.sqrt(math.pi) / 2 * np.exp(x * x),
                               rtol=1e-14)
    second = ag.grad(ag.grad(ag.erfinv))(0.4)
    expected = (math.pi / 2) * x[3] * math.exp(2 * x[3] ** 2)  # d/dy (sqrt(pi)/2 e^(x^2)) = 2x (sqrt(pi)/2)^2 e^(2x^2)
    assert float(second) == pytest.approx(expected, rel=1e-12)


def test_erfinv_matches_torch():
    torch = pytest.importorskip("torch")
    y = np.concatenate([np.linspace(-1, 1, 2001), [1 - 2.0 ** -53, -1 + 1e-15]])
    np.testing.assert_allclose(ag.erfinv(y).data, torch.erfinv(torch.tensor(y)).numpy(), rtol=2e-15, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lgamma_and_its_gradients_at_the_largest_floats_overflow_to_inf_quietly_as_torch(dtype):
    # found by porting PyTorch's test_unary_ufuncs: math.lgamma raised OverflowError past 2.5e305, and a float64
    # result beyond float32's maximum warned as it was rounded
    torch = pytest.importorskip("torch")
    big = float(np.finfo(dtype).max)
    x = np.array([big, big / 10, 1e30, -big, np.inf, 3.0], dtype)
    t = ag.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = ag.lgamma(t)
        y.sum().backward()
        ag.digamma(ag.tensor(np.array([np.finfo(dtype).tiny], dtype), requires_grad=True)).sum().backward()
    expected = torch.lgamma(torch.from_numpy(x))
    np.testing.assert_allclose(y.data, expected.numpy(), rtol=1e-6)
    np.testing.assert_allclose(t.grad.data, torch.digamma(torch.from_numpy(x)).numpy(), rtol=1e-6)
    assert y.dtype == dtype and np.isinf(y.data[0])


def test_erfinv_outside_its_domain_is_nan_without_an_overflow_warning():
    # found by porting PyTorch's test_unary_ufuncs: (1 - |y|)(1 + |y|) overflowed, with a warning, for |y| > 1e154
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = ag.erfinv(ag.tensor([np.finfo(np.float64).max, -1e300, 2.0]))
    assert np.isnan(y.data).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("eps", [None, 0.0, 1e-6, 0.2])
def test_logit_and_its_gradient_match_torch_with_and_without_eps(dtype, eps):
    # found by porting PyTorch's test_unary_ufuncs: torch.logit (torch.special.logit) was missing; the ends give
    # -inf and inf, outside [0, 1] NaN (gradient NaN), and eps clamps with no gradient where it clamps
    torch = pytest.importorskip("torch")
    x = np.array([0.0, -0.0, 1e-8, 0.2, 0.3, 0.5, 0.8, 0.999, 1.0, -0.1, 1.1, np.nan], dtype)  # (-0.0: slope +inf)
    tx = torch.tensor(x, requires_grad=True)
    expected = torch.logit(tx, eps)
    expected.backward(torch.ones_like(expected))
    t = ag.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = ag.logit(t, eps) if eps is not None else t.logit()
        y.backward(ag.ones_like(y))
    assert y.dtype == dtype and t.grad.dtype == dtype
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(t.grad.data, tx.grad.numpy(), rtol=1e-6)
    inside = ag.tensor([0.05, 0.3, 0.6], requires_grad=True)
    assert ag.autograd.gradgradcheck(lambda v: ag.logit(v, eps), (inside,))


def test_logit_inverts_sigmoid_and_refuses_an_eps_that_is_no_number():
    x = ag.tensor([-3.0, 0.0, 2.5])
    np.testing.assert_allclose(ag.logit(ag.sigmoid(x)).data, x.data, rtol=1e-12, atol=1e-15)
    with pytest.raises(TypeError, match="logit: eps must be a number"):
        ag.logit(x, "0.1")


def test_mvlgamma_is_torchs_with_digammas_gradients_and_checks_its_domain():
    # found by porting PyTorch's test_unary_ufuncs (test_mvlgamma, test_mvlgamma_argcheck): torch.mvlgamma was
    # missing
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    for p in range(1, 5):
        x = rng.uniform(p, 10, 10)
        expected = torch.mvlgamma(torch.from_numpy(x), p).numpy()
        np.testing.assert_allclose(ag.mvlgamma(ag.tensor(x), p).data, expected, rtol=1e-13)
        np.testing.assert_allclose(ag.tensor(x).mvlgamma(p=p).data, expected, rtol=1e-13)
        assert ag.autograd.gradgradcheck(lambda v: ag.mvlgamma(v, p), (ag.tensor(x[:3], requires_grad=True),))
    with pytest.raises(RuntimeError, match=r"mvlgamma: all elements must be greater than \(p-1\)/2"):
        ag.mvlgamma(ag.linspace(0.5, 10, 10), 3)
    with pytest.raises(ValueError, match="mvlgamma: p"):
        ag.mvlgamma(ag.tensor([3.0]), 0)


def test_polygamma_of_a_negative_order_is_a_runtime_error_as_torchs():
    with pytest.raises(RuntimeError, match="polygamma: n"):
        ag.polygamma(-1, ag.tensor([1.0, 2.0]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logit_with_eps_above_one_half_clamps_as_torch(dtype):
    # found by porting PyTorch's OpInfo entries (logit, eps=0.6): np.clip gave every entry 1 - eps, where torch's
    # clamp takes eps below eps first (logit(eps) there, logit(1 - eps) above), with gradient 0 but at NaN
    x = np.array([0.1, 0.5, 0.9, np.nan, -0.2, 1.3], dtype=dtype)
    wide = x.astype(np.float64)
    for eps in (0.6, 0.5, 1.0, 0.2):  # (by hand: below eps eps, else above 1 - eps 1 - eps; gradient 0 there)
        t = ag.tensor(x, requires_grad=True)
        y = ag.logit(t, eps)
        y.backward(np.ones(6, dtype))
        clamped = np.where(wide < eps, eps, np.where(wide > 1 - eps, 1 - eps, wide))
        with np.errstate(divide="ignore"):
            expected = np.log(clamped / (1 - clamped))
        slope = np.where((wide < eps) | (wide > 1 - eps), 0.0, 1 / (wide * (1 - wide)))
        assert y.dtype == t.grad.dtype == dtype
        np.testing.assert_allclose(y.data, expected, rtol=1e-6, equal_nan=True)
        np.testing.assert_allclose(t.grad.data, slope, rtol=1e-6, equal_nan=True)
    torch = pytest.importorskip("torch")
    for eps in (0.6, 0.5, 1.0):
        t, tt = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y, expected = ag.logit(t, eps), torch.logit(tt, eps)
        y.backward(np.ones(6, dtype))
        expected.backward(torch.ones(6, dtype=tt.dtype))
        assert y.dtype == dtype
        np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-6, equal_nan=True)
        np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-6, equal_nan=True)
