"""PyTorch's remaining in-place elementwise methods (autograd_core/torch_in_place_math.py): t.log1p_(), t.erf_(),
t.frac_(), t.bitwise_not_() and the others match torch's values and, written into a recorded result, its gradients;
integer Tensors whose result is a float are refused, as PyTorch refuses them. Found missing by porting PyTorch's
test_unary_ufuncs (its in-place reference tests: rad2deg_, deg2rad_, frac_, absolute_, bitwise_not_)."""
import warnings

import numpy as np
import pytest

import autograd_core as ag

NAMES = ["log1p", "expm1", "exp2", "log2", "log10", "square", "reciprocal", "tan", "sinh", "cosh", "asin", "arcsin",
         "atan", "arctan", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "deg2rad", "rad2deg", "erf",
         "erfc", "lgamma", "digamma", "sinc", "logit", "frac", "absolute", "negative",
         "i0", "sgn"]  # (i0_ and sgn_: found missing by porting PyTorch's OpInfo entries through in-place variants)
_TORCH_NAMES = {"arcsin": "asin", "arctan": "atan", "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh"}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", NAMES)
def test_in_place_math_matches_torch_and_takes_the_record_while_recording(name, dtype):
    torch = pytest.importorskip("torch")
    values = np.array([1.3, 2.0] if name in ("acosh", "arccosh") else [0.3, 0.7, 0.2, 0.9], dtype)
    torch_name = _TORCH_NAMES.get(name, name)
    expected = getattr(torch.from_numpy(values.copy()), torch_name + "_")()
    t = ag.tensor(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert getattr(t, name + "_")() is t
    np.testing.assert_allclose(t.data, expected.numpy(), rtol=1e-6)
    w = ag.tensor(values, requires_grad=True)
    y = w * 1.0
    getattr(y, name + "_")()
    y.sum().backward()
    tw = torch.tensor(values, requires_grad=True)
    getattr(tw * 1.0, torch_name)().sum().backward()  # (torch has no in-place derivative of asinh_ and acosh_)
    np.testing.assert_allclose(w.grad.data, tw.grad.numpy(force=True), rtol=1e-6)  # (sgn's: a ZeroTensor)


def test_bitwise_not_in_place_and_the_refusals_of_a_dtype_the_result_does_not_fit():
    a = ag.arange(5, dtype=np.int8)
    assert a.bitwise_not_() is a
    np.testing.assert_array_equal(a.data, ~np.arange(5, dtype=np.int8))
    flags = ag.tensor([True, False])
    np.testing.assert_array_equal(flags.bitwise_not_().data, [False, True])
    with pytest.raises(TypeError, match="log1p_: the log1p of int64 values is float64"):
        ag.tensor([1, 2]).log1p_()
    with pytest.raises(TypeError, match="bitwise_not_: not defined for float64"):
        ag.tensor([1.0]).bitwise_not_()
    with pytest.raises(RuntimeError):  # (a leaf that requires grad, as every in-place change)
        ag.tensor([0.5], requires_grad=True).erf_()


@pytest.mark.parametrize("name, args, values", [("polygamma", (2,), [0.5, 1.5]), ("mvlgamma", (2,), [1.5, 3.0]),
                                                ("logit", (0.2,), [0.1, 0.5]), ("logit", (), [0.1, 0.5]),
                                                ("nan_to_num", (-1.0,), [np.nan, 0.5])])
def test_in_place_forms_with_a_setting_match_torch(name, args, values):
    # found by porting PyTorch's test_unary_ufuncs (TestUnaryUfuncMathOps' polygamma_0/1/2 in-place tests)
    torch = pytest.importorskip("torch")
    t = ag.tensor(values)
    assert getattr(t, name + "_")(*args) is t
    expected = getattr(torch.tensor(values, dtype=torch.float64), name + "_")(*args)
    np.testing.assert_allclose(t.data, expected.numpy(), rtol=1e-12)
    w = ag.tensor(values, requires_grad=True)
    y = w * 1.0
    getattr(y, name + "_")(*args)
    y.sum().backward()
    tw = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    getattr(tw * 1.0, name)(*args).sum().backward()
    np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-12)
    if name != "nan_to_num":  # (nan_to_num of integers keeps them)
        with pytest.raises(TypeError, match=f"{name}_: the result.s dtype float64 cannot be written into a int64"):
            getattr(ag.tensor([1, 2]), name + "_")(*args)


def test_cumsum_cumprod_and_renorm_in_place_match_torch_and_record_as_add_():
    # found by porting PyTorch's test_torch.py (test_cumsum, test_renorm): t.cumsum_, t.cumprod_, t.renorm_ were missing
    torch = pytest.importorskip("torch")
    a = np.array([[3.0, 4.0, 0.5], [0.3, 0.4, -2.0]])
    for name, args in (("cumsum_", (1,)), ("cumprod_", (0,)), ("renorm_", (2, 0, 1.0))):
        w, tw = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        y, ty = w * 2, tw * 2
        assert getattr(y, name)(*args) is y
        getattr(ty, name)(*args)
        np.testing.assert_allclose(y.data, ty.detach().numpy())
        (y * ag.tensor(a)).sum().backward()
        (ty * torch.tensor(a)).sum().backward()
        np.testing.assert_allclose(w.grad.data, tw.grad.numpy())
    x = ag.tensor([1, 2, 3], dtype=np.int32)
    x.cumsum_(0)
    assert x.dtype == np.int32 and x.tolist() == [1, 3, 6]


def test_argwhere_and_multinomial_are_methods_as_in_torch():
    # found by porting PyTorch's test_torch.py (test_nonzero, test_multinomial)
    x = ag.tensor([[0.0, 1.0], [2.0, 0.0]])
    np.testing.assert_array_equal(x.argwhere().data, [[0, 1], [1, 0]])
    assert ag.tensor([0.0, 1.0]).multinomial(3, replacement=True).tolist() == [1, 1, 1]


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_div_in_place_takes_rounding_mode_as_torch(mode, dtype):
    # found by porting PyTorch's OpInfo entries through their in-place variants: div_(rounding_mode=) was refused
    torch = pytest.importorskip("torch")
    values, divisor = np.array([7, -7, 5, -3], dtype), np.array([2, 2, -3, 2], dtype)
    expected = torch.from_numpy(values.copy()).div_(torch.from_numpy(divisor), rounding_mode=mode)
    t = ag.tensor(values.copy())
    assert t.div_(ag.tensor(divisor), rounding_mode=mode) is t
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.data, expected.numpy())
    if dtype == np.float64:  # (recorded: a gradient of 0, as torch's)
        w = ag.tensor(values, requires_grad=True)
        y = w * 1.0
        y.div_(2.0, rounding_mode=mode)
        y.sum().backward()
        np.testing.assert_array_equal(w.grad.data, np.zeros(4))


@pytest.mark.parametrize("decimals", [0, 2, -2])
def test_round_in_place_takes_decimals_as_torch(decimals):
    # found by porting PyTorch's OpInfo entries through their in-place variants: round_(decimals=) was refused
    torch = pytest.importorskip("torch")
    values = np.array([0.125, 1234.5678, -2.5, 0.5])
    expected = torch.from_numpy(values.copy()).round_(decimals=decimals)
    t = ag.tensor(values.copy())
    assert t.round_(decimals=decimals) is t
    np.testing.assert_allclose(t.data, expected.numpy(), rtol=1e-15)
    w = ag.tensor(values, requires_grad=True)
    y = w * 1.0
    y.round_(decimals=decimals)
    y.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.zeros(4))
