"""NumPy's rounding and sign ufuncs and angle conversions (autograd_core/ops/rounding.py), and logaddexp,
logaddexp2, cbrt, sinc, fmax, fmin (autograd_core/ops/elementwise_extra.py). One declaration each drives the generated
tests; then zero gradients at the steps, ties and NaNs (fmax, fmin), infinities (logaddexp), dtypes of integer
inputs, torch's gradients and the errors; then float16's round and sinc (computed in float32, rounded once, as
torch's) and the gradients of fabs at NaN and cbrt at 0 (and cbrt's second derivative at 0 and the infinities)."""
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
try:  # (optional: CI has no PyTorch; the written-out references run without it)
    import torch
except ImportError:
    torch = None

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from checks import INF, NAN, gradient_at
from conftest import torch_older_than
from optable import Op, generated_tests

# A step's gradient is 0: finite differences agree away from the jumps (at integers, or halves for rint/round).
_OFF_INTEGERS = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)
_OFF_HALVES = tuple(k / 2 for k in range(-7, 8))
_OFF_TENTHS = tuple(k / 20 for k in range(-61, 62))


def _decimals(shapes):
    return st.fixed_dictionaries({"decimals": st.integers(0, 1)})


def _apart(a, b):
    return bool(np.all(np.abs(a - b) > 1e-2))  # fmax/fmin: a tie is a kink


ROUNDING = [
    Op("floor", ag.floor, np.floor, avoid=_OFF_INTEGERS, margin=1e-2),
    Op("ceil", ag.ceil, np.ceil, avoid=_OFF_INTEGERS, margin=1e-2),
    Op("trunc", ag.trunc, np.trunc, avoid=_OFF_INTEGERS, margin=1e-2),
    Op("rint", ag.rint, np.rint, avoid=_OFF_HALVES, margin=1e-2),
    Op("round", ag.round, np.round, kwargs=_decimals, avoid=_OFF_TENTHS, margin=1e-3),
    Op("np.round", np.round, np.round, kwargs=_decimals, avoid=_OFF_TENTHS, margin=1e-3),
    Op("np.around", np.around, np.around, avoid=_OFF_HALVES, margin=1e-2),
    Op("fabs", ag.fabs, np.fabs, avoid=(0.0,), margin=1e-2),
    Op("deg2rad", ag.deg2rad, np.deg2rad),
    Op("rad2deg", ag.rad2deg, np.rad2deg),
    Op("np.radians", np.radians, np.radians),
    Op("np.degrees", np.degrees, np.degrees),
    Op("heaviside", ag.heaviside, np.heaviside, arity=2, avoid=(0.0,), margin=1e-2),
    Op("copysign", ag.copysign, np.copysign, arity=2, avoid=(0.0,), margin=1e-2),
    Op("logaddexp", ag.logaddexp, np.logaddexp, arity=2),
    Op("logaddexp2", ag.logaddexp2, np.logaddexp2, arity=2),
    Op("np.logaddexp", np.logaddexp, np.logaddexp, arity=2),
    Op("cbrt", ag.cbrt, np.cbrt, avoid=(0.0,), margin=0.1),
    Op("sinc", ag.sinc, np.sinc, avoid=(0.0,), margin=1e-2),
    Op("fmax", ag.fmax, np.fmax, arity=2, valid=_apart),
    Op("fmin", ag.fmin, np.fmin, arity=2, valid=_apart),
    Op("np.fmax", np.fmax, np.fmax, arity=2, valid=_apart),
]

globals().update(generated_tests(ROUNDING))

UNARY = ["floor", "ceil", "trunc", "rint", "round", "fabs", "deg2rad", "rad2deg", "cbrt", "sinc"]
BINARY = ["heaviside", "copysign", "logaddexp", "logaddexp2", "fmax", "fmin"]


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.float32])
@pytest.mark.parametrize("name", UNARY + BINARY)
def test_an_int_or_bool_input_gives_numpys_dtype_and_values(name, dtype):
    values = np.array([0, 1, 2, 3], dtype) if dtype is not np.bool_ else np.array([False, True])
    args = (values,) if name in UNARY else (values, values[::-1].copy())
    try:
        with np.errstate(all="ignore"):
            expected = getattr(np, name)(*args)
    except TypeError:  # NumPy has no loop for it (round of a bool...): refused here too
        with pytest.raises(TypeError):
            getattr(ag, name)(*(ag.tensor(a) for a in args))
        return
    for out in (getattr(ag, name)(*(ag.tensor(a) for a in args)), getattr(np, name)(*(ag.tensor(a) for a in args))):
        assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype, (name, out.dtype, expected.dtype)
        np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc", "rint", "round"])
def test_steps_have_zero_gradient_even_at_their_jumps_as_torch(name):
    x = ag.tensor([-1.5, -1.0, -0.5, 0.0, 0.5, 2.0, np.inf], requires_grad=True)
    out = getattr(ag, name)(x)
    out.backward(np.full(out.shape, np.inf))  # zeros, not inf * 0
    np.testing.assert_array_equal(x.grad.data, np.zeros(7))


def test_round_with_decimals_is_numpys_and_halves_go_to_even():
    x = np.array([0.125, 2.5, 3.5, -2.5, 1234.5678, 0.05])
    for decimals in (-2, -1, 0, 1, 2, 3):
        np.testing.assert_array_equal(ag.round(ag.tensor(x), decimals).data, np.round(x, decimals))
        np.testing.assert_array_equal(np.around(ag.tensor(x), decimals).data, np.round(x, decimals))


def test_fmax_and_fmin_ignore_nan_and_give_a_tie_to_x1_as_torch():
    a = ag.tensor([1.0, np.nan, 2.0, np.nan, 3.0], requires_grad=True)
    b = ag.tensor([np.nan, 1.0, 2.0, np.nan, 4.0], requires_grad=True)
    for name, expected in (("fmax", np.fmax(a.data, b.data)), ("fmin", np.fmin(a.data, b.data))):
        out = getattr(ag, name)(a, b)
        np.testing.assert_array_equal(out.data, expected)
        out.sum().backward()
        chosen_b = [0.0, 1.0, 0.5, 0.0, 1.0 if name == "fmax" else 0.0]  # (a tie, entry 2: halves)
        np.testing.assert_array_equal(b.grad.data, chosen_b)
        np.testing.assert_array_equal(a.grad.data, 1 - np.array(chosen_b))
        a.grad = b.grad = None


# fmax's and fmin's gradients (cotangent 1, 2, ..., 10) at _A0, _B0: the whole of each to the operand picked, a tie's
# in halves (entries 2, 5, 6), as PyTorch 2.14's (the subgradient of least norm, as torch.maximum's; before 2.14 x1
# got it), and the number beside a NaN (0, 1; x1 when both are NaN, 3), as PyTorch before 2.14 (2.14 gives the whole
# cotangent to both operands where one is NaN: its maximum's rule reused, twice the derivative, to an operand fmax
# ignores)
_A0 = np.array([1.0, np.nan, 2.0, np.nan, -np.inf, 1e300, 0.0, -0.0, -3.0, 5.0])
_B0 = np.array([np.nan, 1.0, 2.0, np.nan, 0.0, 1e300, -0.0, 2.0, 4.0, -np.inf])
_EXTREMA_GRADIENTS = {"fmax": ([1, 0, 1.5, 4, 0, 3, 3.5, 0, 0, 10], [0, 2, 1.5, 0, 5, 3, 3.5, 8, 9, 0]),
                      "fmin": ([1, 0, 1.5, 4, 5, 3, 3.5, 8, 9, 0], [0, 2, 1.5, 0, 0, 3, 3.5, 0, 0, 10])}


def test_fmax_and_fmins_gradients_at_ties_nans_and_infinities():
    for name, (expected_a, expected_b) in _EXTREMA_GRADIENTS.items():
        a, b = ag.tensor(_A0, requires_grad=True), ag.tensor(_B0, requires_grad=True)
        getattr(ag, name)(a, b).backward(np.arange(1.0, 11.0))
        np.testing.assert_array_equal(a.grad.data, expected_a, err_msg=name)
        np.testing.assert_array_equal(b.grad.data, expected_b, err_msg=name)


def test_gradients_match_torch_including_ties_nans_and_infinities():
    torch = pytest.importorskip("torch")
    a0, b0 = _A0, _B0
    pairs = {"fmax": torch.fmax, "fmin": torch.fmin, "logaddexp": torch.logaddexp, "logaddexp2": torch.logaddexp2,
             "copysign": torch.copysign}
    # (fmax's and fmin's gradients at a tie are PyTorch's from 2.14 on, beside a NaN before it: see above)
    nan = np.isnan(a0) | np.isnan(b0)
    same = ~(a0 == b0) if torch_older_than(torch, "2.14") else ~nan
    for name, theirs in pairs.items():
        a, b = ag.tensor(a0, requires_grad=True), ag.tensor(b0, requires_grad=True)
        ta, tb = torch.tensor(a0, requires_grad=True), torch.tensor(b0, requires_grad=True)
        with np.errstate(all="ignore"):
            out = getattr(ag, name)(a, b)
            out.backward(np.arange(1.0, 11.0))
        expected = theirs(ta, tb)
        expected.backward(torch.arange(1.0, 11.0, dtype=torch.float64))
        np.testing.assert_array_equal(out.data, expected.detach().numpy(), err_msg=name)
        expected_grad = ta.grad.numpy().copy()
        if name == "copysign":  # at x1 = -inf made +inf: -1 here, where torch's result / x1 gives NaN
            expected_grad[4] = -5.0
        compared = same if name in _EXTREMA_GRADIENTS else np.ones(10, bool)
        np.testing.assert_array_equal(a.grad.data[compared], expected_grad[compared], err_msg=name)
        if name != "copysign":  # (torch.copysign's other gradient is 0 too, but an undefined one here)
            np.testing.assert_array_equal(b.grad.data[compared], tb.grad.numpy()[compared], err_msg=name)
    x0 = np.array([-2.5, -0.3, 0.0, 0.7, 1.0, 3.25])
    for name, theirs in {"floor": torch.floor, "ceil": torch.ceil, "trunc": torch.trunc, "sinc": torch.sinc,
                         "round": torch.round, "deg2rad": torch.deg2rad, "rad2deg": torch.rad2deg,
                         "fabs": torch.abs}.items():
        x, tx = ag.tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
        out, expected = getattr(ag, name)(x), theirs(tx)
        out.backward(np.arange(1.0, 7.0))
        expected.backward(torch.arange(1.0, 7.0, dtype=torch.float64))
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-15, err_msg=name)
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-15, err_msg=name)


def test_logaddexp_is_stable_and_its_gradient_is_the_softmax_weight():
    x = ag.tensor([1000.0, -np.inf, 0.0], requires_grad=True)
    out = ag.logaddexp(x, ag.tensor([1000.0, 0.0, -1000.0]))
    np.testing.assert_allclose(out.data, [1000 + np.log(2), 0.0, 0.0])
    out.sum().backward()
    np.testing.assert_allclose(x.grad.data, [0.5, 0.0, 1.0])


def test_cbrt_of_negatives_and_its_gradient_at_zero():
    x = ag.tensor([-8.0, 0.0, 27.0], requires_grad=True)
    out = ag.cbrt(x)
    np.testing.assert_array_equal(out.data, np.cbrt([-8.0, 0.0, 27.0]))
    out.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1 / 12, np.inf, 1 / 27])


def test_sinc_gradient_at_zero_is_zero_and_nearby_matches_finite_differences():
    x = ag.tensor([0.0], requires_grad=True)
    ag.sinc(x).sum().backward()
    assert x.grad.item() == 0.0
    assert gradcheck(ag.sinc, np.array([1e-3, -0.25, 2.0]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sinc_gradient_near_zero_is_accurate_and_its_second_derivative_at_zero_is_right(dtype):
    x0 = np.array([1e-6, -3e-3, 1e-3, 0.02, 0.0499, 0.0501, 0.3])
    x = ag.tensor(x0, dtype=dtype, requires_grad=True)
    ag.sinc(x).sum().backward()
    wide = x.data.astype(np.longdouble)  # (80-bit on x86: the cancellation costs less; 1e-6 by its first term)
    pi = np.longdouble(np.pi)
    exact = (np.cos(pi * wide) - np.sin(pi * wide) / (pi * wide)) / wide
    exact[0] = -np.pi ** 2 / 3 * float(x.data[0])
    np.testing.assert_allclose(x.grad.data, exact.astype(float), rtol=1e-5 if dtype == np.float32 else 1e-10)
    assert abs(ag.grad(ag.grad(ag.sinc))(ag.tensor(0.0)).item() + np.pi ** 2 / 3) < 1e-12


def test_sinc_second_derivative_far_out_is_finite_as_its_closed_form():
    # sinc'' = -pi**2 sinc(x) - 2 sinc'(x) / x; the series branch, unused past 0.05, overflowed (x * x) past 1e154,
    # and its derivative, 0 * inf, made the second derivative nan there
    x0 = np.array([1e200, -1e200, 1e160, 3.7])
    d2 = ag.grad(lambda t: ag.grad(lambda u: ag.sinc(u).sum())(t).sum())(x0).data
    d1 = ag.grad(lambda t: ag.sinc(t).sum())(x0).data
    np.testing.assert_allclose(d2, -np.pi ** 2 * np.sinc(x0) - 2 * d1 / x0, rtol=1e-12)
    assert gradgradcheck(ag.sinc, np.array([-2.3, 0.04, 0.06, 3.7]))  # (each side of the series' edge)


def test_float32_stays_float32_beside_python_numbers():
    t = ag.tensor([0.5, -2.0], dtype=np.float32, requires_grad=True)
    for out in (ag.logaddexp(t, 1.0), ag.fmax(t, 0.0), ag.copysign(t, -1.0), ag.heaviside(t, 0.5), ag.round(t, 1),
                ag.deg2rad(t), ag.cbrt(t)):
        assert out.dtype == np.float32
        out.sum().backward()
        assert t.grad.dtype == np.float32
        t.grad = None


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match=r"round: decimals must be an int, got 1.5"):
        ag.round(ag.zeros(2), 1.5)
    with pytest.raises(ValueError, match=r"logaddexp: invalid input of shapes/dtypes \[\(2,\) float64, \(3,\) "
                                         r"float64\].*operands must have broadcastable shapes"):
        ag.logaddexp(ag.zeros(2), ag.zeros(3))
    with pytest.raises(TypeError, match=r"np.round on Tensors: out= is not supported"):
        np.round(ag.zeros(2), out=np.zeros(2))
    with pytest.raises(TypeError, match=r"np.fmax on Tensors takes no keyword arguments"):
        np.fmax(ag.zeros(2), 1.0, dtype=np.float32)


# ---- gradients at NaN and at 0: fabs takes abs's rule, cbrt keeps the one-sided limit ------------------------
# ---- fabs at NaN: abs's rule (0 there, as torch.abs), not sign(NaN) = NaN --------------------------------------
@pytest.mark.parametrize("fabs", [ag.fabs, np.fabs], ids=["ag.fabs", "np.fabs"])
def test_fabs_gradient_is_zero_at_nan_as_abs(fabs):
    values = [NAN, 0.0, -1.5, 2.0]
    grad = gradient_at(fabs, values)
    np.testing.assert_array_equal(grad, [0.0, 0.0, -1.0, 1.0])
    np.testing.assert_array_equal(grad, gradient_at(ag.abs, values))
    g = ag.grad(lambda t: ag.fabs(t).sum())(ag.tensor([NAN, -1.5]))
    np.testing.assert_array_equal(g.data, [0.0, -1.0])


def test_fabs_gradient_at_nan_matches_torch_abs():
    torch = pytest.importorskip("torch")
    values = [NAN, 0.0, -1.5, 2.0]
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    t.abs().sum().backward()
    np.testing.assert_array_equal(gradient_at(ag.fabs, values), t.grad.numpy())


def test_fabs_second_derivative_elsewhere():
    assert gradgradcheck(ag.fabs, np.array([-1.5, 0.7, 2.0]))


# ---- cbrt at 0: kept as the one-sided limit +inf (torch's x ** (1/3) gives inf there too) ----------------------
def test_cbrt_gradient_at_zero_is_inf():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (the division by 0 NumPy warns of)
        grad = gradient_at(ag.cbrt, [0.0, 8.0, -8.0])
    assert grad[0] == INF
    np.testing.assert_allclose(grad[1:], [1 / 12, 1 / 12])


def test_cbrt_gradient_at_zero_as_torch_pow():
    torch = pytest.importorskip("torch")
    t = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    t.pow(1 / 3).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert gradient_at(ag.cbrt, [0.0])[0] == t.grad.item() == INF


# cbrt''(x) = -2 / (9 x**(5/3)): the limits -0 at inf and +0 at -inf, the one-sided limits -inf at +0 and +inf at -0
# (from g / (3 cbrt(x)**2), whose derivative gave 0 * inf = nan at all four)
_CBRT_POINTS = [INF, -INF, 0.0, -0.0, 8.0, -8.0]
_CBRT_SECOND = [-0.0, 0.0, -INF, INF, -2 / 288, 2 / 288]  # (8**(5/3) = 32)


def _cbrt_second_derivative(points):
    x = ag.tensor(points, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (the division by 0 NumPy warns of)
        ag.cbrt(x).sum().backward(create_graph=True)
        first = x.grad
        x.grad = None
        first.sum().backward()
        by_grad = ag.grad(lambda t: ag.grad(lambda u: ag.cbrt(u).sum())(t).sum())(np.array(points))
    np.testing.assert_array_equal(by_grad.data, x.grad.data)
    return x.grad.data


def test_cbrt_second_derivative_at_infinities_and_signed_zeros_is_the_limit():
    second = _cbrt_second_derivative(_CBRT_POINTS)
    np.testing.assert_array_equal(second, _CBRT_SECOND)
    np.testing.assert_array_equal(np.signbit(second), np.signbit(_CBRT_SECOND))
    assert gradgradcheck(ag.cbrt, np.array([-2.0, 0.7, 3.0]))  # (and finite differences' elsewhere)


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
def test_cbrt_second_derivative_matches_torch_pow_where_it_is_cbrt():
    points = [INF, 0.0, 8.0]  # (torch's x ** (1/3) of a negative x is nan)
    t = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(t.pow(1 / 3).sum(), t, create_graph=True)
    (second,) = torch.autograd.grad(first.sum(), t)
    np.testing.assert_array_equal(_cbrt_second_derivative(points), second.numpy())
    np.testing.assert_array_equal(np.signbit(_cbrt_second_derivative(points)), np.signbit(second.numpy()))


# ---- round(x, decimals) of float16: scaled in float32 and rounded once, as torch.round(decimals=) ----------------
# (np.round scales x by 10**decimals in float16 itself: 62.66 to one decimal gives 62.6, since 626.6 is 626.5 in
# float16, and -91.8 to three decimals gives -inf, since 91800 overflows float16)
def test_float16_round_with_decimals_keeps_its_value():
    x = ag.tensor(np.array([62.66, -91.8, 27.39], np.float16))
    np.testing.assert_array_equal(ag.round(x, 1).numpy(), np.array([62.7, -91.8, 27.4], np.float16))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no overflow warning either)
        out = ag.round(x, 3)
    assert np.isfinite(out.numpy()).all() and out.dtype == np.float16
    np.testing.assert_array_equal(out.numpy(), x.numpy())  # (float16 has no digits at 1e-3 there)
    np.testing.assert_array_equal(x.round(1).numpy(), ag.round(x, 1).numpy())
    np.testing.assert_array_equal(np.round(x, 1).numpy(), ag.round(x, 1).numpy())


@pytest.mark.parametrize("decimals", [-5, -2, -1, 0, 1, 2, 3, 5])
def test_float16_round_matches_float32_rounded_once_as_torch_bit_for_bit(decimals):
    rng = np.random.default_rng(decimals + 10)
    x = np.concatenate([rng.uniform(-100, 100, 5000), rng.uniform(-65504, 65504, 500),
                        [0.0, -0.0, np.inf, -np.inf, np.nan, 65504, -65504, 0.125, 2.5, 0.05]]).astype(np.float16)
    ours = ag.round(ag.tensor(x), decimals).numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # torch's, or without it the rule written out: scaled and rounded in float32, cast to float16 once
        theirs = torch.round(torch.tensor(x), decimals=decimals).numpy() if torch is not None else \
            np.round(x.astype(np.float32), decimals).astype(np.float16)
    assert ours.dtype == np.float16
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))


def test_float16_round_gradient_is_still_zero_in_float16():
    x = ag.tensor(np.array([1.26, 2.5], np.float16), requires_grad=True)
    ag.round(x, 1).sum().backward()
    assert x.grad.dtype == np.float16
    np.testing.assert_array_equal(x.grad.numpy(), [0, 0])


# ---- sinc of float16: computed in float32 and rounded once, as torch.sinc --------------------------------------
# (np.sinc rounds pi x to float16 before its sine: far from 0 its values are off by up to 7e-4, sinc(366.5) 8% low,
# and its gradient likewise.) Its gradient at 0 is 0 even for an inf or NaN cotangent, as torch.sinc's.
X = (np.arange(-2000, 2001) / 4).astype(np.float16)  # -500 to 500 by quarters


def test_float16_sinc_is_float32_sinc_rounded_once_as_torch():
    out = ag.sinc(ag.tensor(X))
    assert out.dtype == np.float16
    expected = np.sinc(X.astype(np.float32)).astype(np.float16)
    np.testing.assert_array_equal(np.asarray(out.numpy()), expected)
    if torch is not None:
        np.testing.assert_allclose(np.asarray(out.numpy(), np.float64), torch.sinc(torch.tensor(X)).double().numpy(),
                                   rtol=0, atol=1e-6)
    assert abs(float(ag.sinc(ag.tensor(np.float16(366.5)))) - np.sinc(366.5)) < 1e-6
    assert abs(float(ag.sinc(ag.tensor(np.float16(-183.0))))) < 1e-7  # (np.sinc's float16 gives 7e-4)


def test_float16_sinc_gradient_is_computed_in_float32():
    x = ag.tensor(X, requires_grad=True)
    ag.sinc(x).sum().backward()
    assert x.grad.dtype == np.float16
    wide = ag.tensor(X.astype(np.float32), requires_grad=True)
    ag.sinc(wide).sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad.numpy()), np.asarray(wide.grad.numpy()).astype(np.float16))
    exact = X.astype(np.float64)
    exact = np.where(exact == 0, 0, (np.cos(np.pi * exact) - np.sinc(exact)) / np.where(exact == 0, 1, exact))
    assert np.abs(np.asarray(x.grad.numpy(), np.float64) - exact).max() < 3e-4


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sinc_second_derivative_keeps_the_dtype(dtype):
    x = ag.tensor(np.array([0.5, 3.25, 0.01], dtype), requires_grad=True)
    ag.sinc(x).sum().backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.sum().backward()
    assert first.dtype == dtype and x.grad.dtype == dtype
    expected = np.array([-1.1902271, 0.7236484, -3.2888941])  # (float64's, rounded)
    expected[1] = ag.grad(ag.grad(ag.sinc))(ag.tensor(3.25)).item()
    np.testing.assert_allclose(np.asarray(x.grad.numpy(), np.float64), expected, rtol=2e-3 if dtype == np.float16
                               else 1e-5)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sinc_gradient_at_zero_is_zero_even_for_an_inf_or_nan_cotangent_as_torch(dtype):
    # (not g * 0 = NaN: torch.sinc's backward selects 0 where x == 0)
    x = ag.tensor(np.array([0.0, -0.0, 0.5, 0.0], dtype), requires_grad=True)
    g = np.array([np.inf, np.nan, np.inf, 1.0], dtype)
    ag.sinc(x).backward(ag.tensor(g))
    # 0 where x is 0 whatever g; at 0.5, inf times sinc'(0.5) = (cos(pi/2) - sinc(0.5)) / 0.5 < 0
    np.testing.assert_array_equal(x.grad.numpy(), np.array([0.0, 0.0, -np.inf, 0.0], dtype))
    if torch is not None:
        theirs = torch.tensor(np.array([0.0, -0.0, 0.5, 0.0], dtype), requires_grad=True)
        torch.sinc(theirs).backward(torch.tensor(g))
        np.testing.assert_array_equal(x.grad.numpy(), theirs.grad.numpy())
    assert abs(ag.grad(ag.grad(ag.sinc))(ag.tensor(0.0)).item() + np.pi ** 2 / 3) < 1e-12  # (the series still counts)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_frac_and_frexp_match_torch_with_their_gradients(dtype):
    # found by porting PyTorch's test_unary_ufuncs (test_frexp, the frac reference test): torch.frac and
    # torch.frexp were missing
    torch = pytest.importorskip("torch")
    values = np.array([-1.5, -0.0, 0.0, 2.25, 0.3, -1e4, np.inf, -np.inf, np.nan], dtype)
    t = ag.tensor(values)
    for result in (ag.frac(t), t.frac()):
        np.testing.assert_array_equal(result.data, torch.frac(torch.from_numpy(values)).numpy())
    expected_mantissa, expected_exponent = torch.frexp(torch.from_numpy(values))
    for mantissa, exponent in (ag.frexp(t), t.frexp()):
        assert mantissa.dtype == dtype and exponent.dtype == np.int32
        np.testing.assert_array_equal(mantissa.data, expected_mantissa.numpy())
        np.testing.assert_array_equal(exponent.data, expected_exponent.numpy())
    x = ag.tensor(np.array([0.3, -5.0, 1000.0], dtype), requires_grad=True)
    tx = torch.tensor(x.data, requires_grad=True)
    (ag.frexp(x)[0] * ag.tensor(np.array([1.0, 2.0, 3.0], dtype))).sum().backward()
    (torch.frexp(tx)[0] * torch.tensor([1.0, 2.0, 3.0], dtype=tx.dtype)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    x.grad = None
    ag.frac(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones(3, dtype))


def test_frexp_and_frac_are_differentiable_again_and_frexp_refuses_integers():
    x = ag.tensor([0.3, -5.5, 7.0], requires_grad=True)
    assert gradgradcheck(lambda v: ag.frexp(v)[0], x) and gradgradcheck(ag.frac, x)
    for values in ([1, 2], [True, False]):
        with pytest.raises(RuntimeError, match="frexp: only floating-point dtypes"):
            ag.frexp(ag.tensor(values))


def test_fix_is_trunc_and_numpys_fix_and_frexp_dispatch_to_the_engine():
    # found by porting PyTorch's test_unary_ufuncs: torch.fix was missing, and np.fix and np.frexp of a Tensor were
    # refused
    x = ag.tensor([-1.5, 2.7, np.inf], requires_grad=True)
    for result in (ag.fix(x), x.fix(), np.fix(x)):
        np.testing.assert_array_equal(result.data, [-1.0, 2.0, np.inf])
    mantissa, exponent = np.frexp(x)
    assert mantissa.requires_grad and exponent.dtype == np.int32
    np.testing.assert_array_equal(mantissa.data, np.frexp(x.data)[0])
    t = ag.tensor([-1.5, 2.7])
    assert t.fix_() is t and t.data.tolist() == [-1.0, 2.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_div_floor_rounding_of_floats_has_gradient_zero_as_torch(dtype):
    # found by porting PyTorch's OpInfo entries (div, variant floor_rounding): the result was a constant, where
    # torch.div(rounding_mode="floor") gives both operands gradient 0; values stay Python's // (1 // 0.1 is 9)
    from conftest import assert_function_matches_torch

    x = np.array([1.0, -7.0, 5.5, 3.0, -0.0])
    y = np.array([0.1, 2.0, -2.0, 3.0, 4.0])
    a, b = ag.tensor(x.astype(dtype), requires_grad=True), ag.tensor(y.astype(dtype), requires_grad=True)
    q = a.div(b, rounding_mode="floor")
    assert q.requires_grad and q.dtype == dtype and q.data.tolist() == [9.0, -4.0, -3.0, 1.0, -0.0]
    q.backward(np.arange(1.0, 6.0).astype(dtype))
    assert a.grad.data.tolist() == b.grad.data.tolist() == [0.0] * 5
    assert gradgradcheck(lambda u: u.div(2.5, rounding_mode="floor"), np.array([0.3, 1.7]))
    assert not (a // b).requires_grad  # (// and floor_divide stay constants)
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda a, b: ag.div(a, b, rounding_mode="floor"),
                                  lambda a, b: torch.div(a, b, rounding_mode="floor"), [x, y], dtype)
