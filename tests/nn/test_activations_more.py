"""PyTorch's other activations (nn/activations_more.py, nn/_activation_functions.py): each function declared once
for the suite's generated tests (value against a NumPy formula, gradient and second derivative against central
differences with Hypothesis in float64, kinks avoided, float32 kept, the graph freed), then against
torch.nn.functional (values, gradients and dtypes in float32 and float64, at the kinks exactly), PReLU's learned
slope (its gradient, state_dict, dtype), the modules' reprs, inplace, and the errors."""
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import elements, shapes

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import Op, generated_tests  # noqa: E402
from conftest import assert_same_layer_results, layer_results  # noqa: E402

SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _softmin_ref(x):
    e = np.exp(-x - np.max(-x, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@st.composite
def _prelu_case(draw):
    """x of shape (N, C, ...) (or fewer axes, one channel) and a weight of C slopes or of one."""
    shape = draw(shapes(min_dims=0, max_dims=3, max_side=3))
    channels = shape[1] if len(shape) >= 2 else 1
    return (shape, (draw(st.sampled_from([1, channels])),)), {}


def _prelu_ref(x, w):
    slope = w.reshape(()) if w.size == 1 else w.reshape((-1,) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, slope * x)


# Inputs in [-8, 8] reach every piece (relu6 beyond 6, the hard functions beyond +-3); kinks kept 1e-3 away. The
# second derivative of softsign and celu jumps at 0 (their first is continuous there), so 0 is avoided too.
ACTIVATIONS = [
    Op("gelu", F.gelu, lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))), elements=(-8.0, 8.0)),
    Op("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"),
       lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3))), elements=(-8.0, 8.0)),
    Op("silu", F.silu, lambda x: x / (1 + np.exp(-x)), elements=(-8.0, 8.0)),
    Op("mish", F.mish, lambda x: x * np.tanh(np.log1p(np.exp(x))), elements=(-8.0, 8.0)),
    Op("softsign", F.softsign, lambda x: x / (1 + np.abs(x)), avoid=(0.0,)),
    Op("hardtanh", F.hardtanh, lambda x: np.clip(x, -1, 1), avoid=(-1.0, 1.0)),
    Op("hardtanh_bounds", lambda x: F.hardtanh(x, min_val=-2.0, max_val=0.5), lambda x: np.clip(x, -2, 0.5),
       avoid=(-2.0, 0.5)),
    Op("relu6", F.relu6, lambda x: np.clip(x, 0, 6), elements=(-8.0, 8.0), avoid=(0.0, 6.0)),
    Op("hardsigmoid", F.hardsigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1), elements=(-8.0, 8.0), avoid=(-3.0, 3.0)),
    Op("hardswish", F.hardswish, lambda x: x * np.clip(x + 3, 0, 6) / 6, elements=(-8.0, 8.0), avoid=(-3.0, 3.0)),
    Op("selu", F.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)), avoid=(0.0,)),
    Op("celu", F.celu, lambda x: np.where(x > 0, x, np.expm1(x)), avoid=(0.0,)),
    Op("celu_alpha", lambda x: F.celu(x, alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x / 0.5)),
       avoid=(0.0,)),
    Op("celu_negative_alpha", lambda x: F.celu(x, alpha=-1.5), lambda x: np.where(x > 0, x, -1.5 * np.expm1(x / -1.5)),
       avoid=(0.0,)),
    Op("logsigmoid", F.logsigmoid, lambda x: -np.logaddexp(0, -x), elements=(-30.0, 30.0)),
    Op("tanhshrink", F.tanhshrink, lambda x: x - np.tanh(x)),
    Op("threshold", lambda x: F.threshold(x, 0.5, -2.0), lambda x: np.where(x <= 0.5, -2.0, x), avoid=(0.5,)),
    Op("softmin", lambda x: F.softmin(x, -1), _softmin_ref),
    Op("prelu", F.prelu, _prelu_ref, arity=2, case=_prelu_case(), elements=[elements(-3, 3, avoid=(0.0,)),
                                                                            elements(-1, 1)]),
]

globals().update(generated_tests(ACTIVATIONS))


# ---- against PyTorch: values, gradients and dtypes, kinks included -----------------------------------------------
KINKS = [-6.0, -3.0, -2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 6.0]
GRID = np.concatenate([np.linspace(-8, 8, 33), KINKS, [-50.0, 50.0, np.nextafter(3.0, 0), np.nextafter(-3.0, 0)]])
TORCH_CASES = [("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("mish", {}), ("softsign", {}),
               ("hardtanh", {}), ("hardtanh", {"min_val": -2.0, "max_val": 0.5}), ("relu6", {}), ("hardsigmoid", {}),
               ("hardswish", {}), ("selu", {}), ("celu", {}), ("celu", {"alpha": 0.5}), ("celu", {"alpha": -1.5}),
               ("logsigmoid", {}), ("tanhshrink", {}), ("threshold", {"threshold": 0.5, "value": -2.0}),
               ("softmin", {"dim": -1})]
IDS = [name + "".join(f"-{k}={v}" for k, v in kwargs.items()) for name, kwargs in TORCH_CASES]


def _with_torch(name, kwargs, values, upstream):
    """(our value, our gradient, torch's value, torch's gradient) of F.name at values, upstream as the cotangent."""
    torch = pytest.importorskip("torch")
    x, tx = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    y, ty = getattr(F, name)(x, **kwargs), getattr(torch.nn.functional, name)(tx, **kwargs)
    y.backward(upstream)
    ty.backward(torch.tensor(upstream))
    assert y.dtype == x.grad.dtype == values.dtype
    return y.data, x.grad.data, ty.detach().numpy(), tx.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, kwargs", TORCH_CASES, ids=IDS)
def test_values_and_gradients_match_torch(name, kwargs, dtype):
    values = GRID.astype(dtype)
    upstream = np.linspace(-1.5, 2.0, values.size).astype(dtype)
    value, grad, torch_value, torch_grad = _with_torch(name, kwargs, values, upstream)
    eps = np.finfo(dtype).eps
    # gelu's atol: PyTorch's 0.5 x (1 + erf(x / sqrt 2)) is 0 below x = -8.3 (1 + erf cancels), ours x Phi(x) there
    np.testing.assert_allclose(value, torch_value, rtol=8 * eps, atol=20 * eps * (name == "gelu"))
    # PyTorch's float64 hardsigmoid gradient is float32's 1/6 (0.16666667163...), 3e-8 from 1/6
    rtol = 2e-7 if name == "hardsigmoid" and dtype == np.float64 else 16 * eps
    np.testing.assert_allclose(grad, torch_grad, rtol=rtol, atol=20 * eps)


KINK_CASES = [("hardtanh", {}, [-1.0, 1.0]), ("hardtanh", {"min_val": -2.0, "max_val": 0.5}, [-2.0, 0.5]),
              ("relu6", {}, [0.0, 6.0]), ("hardsigmoid", {}, [-3.0, 3.0, np.nextafter(3.0, 0)]),
              ("hardswish", {}, [-3.0, 3.0, np.nextafter(3.0, 0)]), ("threshold", {"threshold": 0.5, "value": -2.0},
                                                                      [0.5]), ("selu", {}, [0.0]), ("celu", {}, [0.0]),
              ("celu", {"alpha": 0.5}, [0.0, -0.0]), ("softsign", {}, [0.0])]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, kwargs, kinks", KINK_CASES, ids=[c[0] + str(c[2]) for c in KINK_CASES])
def test_the_gradient_at_each_kink_is_torchs(name, kwargs, kinks, dtype):
    values = np.array(kinks, dtype=dtype)
    value, grad, torch_value, torch_grad = _with_torch(name, kwargs, values, np.ones_like(values))
    np.testing.assert_array_equal(value, torch_value)
    rtol = 2e-7 if name == "hardsigmoid" else 4 * np.finfo(dtype).eps  # (torch's float32 1/6, as above)
    np.testing.assert_allclose(grad, torch_grad, rtol=rtol, atol=0)


def test_the_kink_conventions_stated():
    at = lambda f, v: ag.grad(lambda t: f(t).sum())(np.array(v)).data.tolist()
    assert at(F.hardtanh, [-1.0, 1.0, 0.0]) == [0.0, 0.0, 1.0]  # no gradient at the bounds
    assert at(F.relu6, [0.0, 6.0]) == [0.0, 0.0]
    assert at(F.hardsigmoid, [-3.0, 3.0]) == [0.0, 0.0]
    assert at(F.hardswish, [-3.0, 3.0]) == [0.0, 1.0]  # the one-sided derivatives of the outer pieces
    assert at(lambda t: F.threshold(t, 1.0, 0.0), [1.0]) == [0.0]
    assert at(F.selu, [0.0]) == [pytest.approx(SELU_ALPHA * SELU_SCALE)]  # the negative side, as elu
    assert at(lambda t: F.celu(t, alpha=3.0), [0.0]) == [1.0]


@pytest.mark.parametrize("name", ["hardtanh", "relu6", "hardswish", "threshold"])
def test_a_nan_input_gives_a_nan_value_as_torch(name):
    kwargs = {"threshold": 0.5, "value": -2.0} if name == "threshold" else {}
    values = np.array([np.nan, 1.0])
    value, _, torch_value, _ = _with_torch(name, kwargs, values, np.ones(2))
    np.testing.assert_array_equal(value, torch_value)


def test_the_exact_gelu_is_accurate_in_the_negative_tail_where_torchs_rounds_to_0():
    x = np.array([-10.0, -20.0, -37.0])
    expected = [v * 0.5 * math.erfc(-v / math.sqrt(2)) for v in x]  # -7.6e-23, -5.5e-88, -2.1e-298
    # (rtol: erfc(y) magnifies the rounding of y = -x / sqrt(2) by 2 y**2, 1,400 at x = -37)
    np.testing.assert_allclose(F.gelu(ag.tensor(x)).data, expected, rtol=1e-12)
    grad = ag.grad(lambda t: F.gelu(t).sum())(x).data  # Phi(x) + x phi(x)
    exact = [0.5 * math.erfc(-v / math.sqrt(2)) + v * math.exp(-v * v / 2) / math.sqrt(2 * math.pi) for v in x]
    np.testing.assert_allclose(grad, exact, rtol=1e-12)


def test_logsigmoid_is_finite_with_finite_gradients_for_large_inputs():
    x = ag.tensor([-1000.0, -40.0, 40.0, 1000.0], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # (e**-1000 underflows to 0, as it should)
        y = F.logsigmoid(x)
        y.sum().backward()
    np.testing.assert_allclose(y.data, [-1000.0, -40.0, -math.exp(-40.0), 0.0], rtol=1e-15)
    np.testing.assert_allclose(x.grad.data, [1.0, 1.0, math.exp(-40.0), 0.0], rtol=1e-15)


def test_softmin_is_softmax_of_minus_x_along_dim():
    x = ag.tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_allclose(F.softmin(x, dim=0).data, F.softmax(-x, dim=0).data)
    np.testing.assert_allclose(nn.Softmin(dim=1)(x).data, F.softmax(-x, dim=1).data)
    assert F.softmin(x, -1).shape == (2, 3) and nn.Softmin().dim is None


# ---- modules -----------------------------------------------------------------------------------------------------
MODULES = [("GELU", {}, "gelu", {}), ("GELU", {"approximate": "tanh"}, "gelu", {"approximate": "tanh"}),
           ("SiLU", {}, "silu", {}), ("Mish", {}, "mish", {}), ("ReLU6", {}, "relu6", {}), ("SELU", {}, "selu", {}),
           ("Hardsigmoid", {}, "hardsigmoid", {}), ("Hardswish", {}, "hardswish", {}),
           ("Hardtanh", {"min_val": -2.0, "max_val": 3.0}, "hardtanh", {"min_val": -2.0, "max_val": 3.0}),
           ("CELU", {"alpha": 0.5}, "celu", {"alpha": 0.5}),
           ("Threshold", {"threshold": 0.1, "value": 20.0}, "threshold", {"threshold": 0.1, "value": 20.0}),
           ("LogSigmoid", {}, "logsigmoid", {}), ("Softsign", {}, "softsign", {}), ("Tanhshrink", {}, "tanhshrink", {}),
           ("Softmin", {"dim": 0}, "softmin", {"dim": 0})]


@pytest.mark.parametrize("module, settings, function, kwargs", MODULES, ids=[m[0] + str(m[1]) for m in MODULES])
def test_each_module_applies_its_function_and_holds_no_parameter(module, settings, function, kwargs):
    x = ag.tensor(np.linspace(-7, 7, 12).reshape(3, 4))
    layer = getattr(nn, module)(**settings)
    np.testing.assert_array_equal(layer(x).data, getattr(F, function)(x, **kwargs).data)
    assert list(layer.parameters()) == [] and layer.state_dict() == {}


REPRS = [("GELU", {}, "GELU(approximate='none')"), ("GELU", {"approximate": "tanh"}, "GELU(approximate='tanh')"),
         ("SiLU", {}, "SiLU()"), ("SiLU", {"inplace": True}, "SiLU(inplace=True)"), ("Mish", {}, "Mish()"),
         ("ReLU6", {"inplace": True}, "ReLU6(inplace=True)"), ("SELU", {}, "SELU()"),
         ("Hardsigmoid", {"inplace": True}, "Hardsigmoid()"), ("Hardswish", {}, "Hardswish()"),
         ("Hardtanh", {}, "Hardtanh(min_val=-1.0, max_val=1.0)"),
         ("Hardtanh", {"min_val": -2, "max_val": 3, "inplace": True}, "Hardtanh(min_val=-2, max_val=3, inplace=True)"),
         ("CELU", {}, "CELU(alpha=1.0)"), ("CELU", {"alpha": 0.5, "inplace": True}, "CELU(alpha=0.5, inplace=True)"),
         ("Threshold", {"threshold": 0.1, "value": 20}, "Threshold(threshold=0.1, value=20)"),
         ("LogSigmoid", {}, "LogSigmoid()"), ("Softsign", {}, "Softsign()"), ("Tanhshrink", {}, "Tanhshrink()"),
         ("Softmin", {"dim": 1}, "Softmin(dim=1)"), ("PReLU", {}, "PReLU(num_parameters=1)"),
         ("PReLU", {"num_parameters": 3, "init": 0.1}, "PReLU(num_parameters=3)")]


@pytest.mark.parametrize("name, kwargs, text", REPRS, ids=[text for _, _, text in REPRS])
def test_reprs_show_the_settings_as_torchs(name, kwargs, text):
    assert repr(getattr(nn, name)(**kwargs)) == text
    torch = pytest.importorskip("torch")
    assert repr(getattr(torch.nn, name)(**kwargs)) == text


# ---- PReLU: a learned slope ------------------------------------------------------------------------------------
@pytest.mark.parametrize("num_parameters", [1, 3])
def test_prelu_values_and_gradients_for_input_and_slopes_match_torch(num_parameters):
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(0).normal(size=(4, 3, 5)).astype(np.float32)
    values[0, :, 0] = 0.0  # at 0: the slope's side for x (weight), and no gradient for the weight (x * g = 0)
    ours, theirs = nn.PReLU(num_parameters, init=0.3), torch.nn.PReLU(num_parameters, init=0.3)
    with ag.no_grad():
        ours.weight[...] = np.linspace(0.1, 0.4, num_parameters)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(np.linspace(0.1, 0.4, num_parameters)))
    x, tx = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    upstream = np.random.default_rng(1).normal(size=values.shape).astype(np.float32)
    y, ty = ours(x), theirs(tx)
    y.backward(upstream)
    ty.backward(torch.tensor(upstream))
    assert y.dtype == x.grad.dtype == ours.weight.grad.dtype == np.float32
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), rtol=1e-5)


def test_prelu_slope_gradient_matches_finite_differences_and_second_order():
    x = np.random.default_rng(2).normal(size=(3, 2, 4))
    x[np.abs(x) < 1e-2] = 0.5  # off the kink
    w = np.array([0.2, -0.3])
    assert gradcheck(lambda a, b: F.prelu(a, b) ** 2, x, w, atol=1e-7, rtol=1e-6)
    assert gradgradcheck(lambda a, b: ag.sin(F.prelu(a, b)), x, w, atol=1e-7, rtol=1e-6)


def test_prelu_weight_is_a_parameter_in_the_state_dict_and_loads():
    prelu = nn.PReLU(3, init=0.1)
    assert [name for name, _ in prelu.named_parameters()] == ["weight"]
    state = prelu.state_dict()
    assert list(state) == ["weight"] and state["weight"].shape == (3,) and state["weight"].dtype == np.float32
    np.testing.assert_array_equal(state["weight"], np.full(3, 0.1, dtype=np.float32))
    other = nn.PReLU(3)
    other.load_state_dict(state)
    np.testing.assert_array_equal(other.weight.data, np.full(3, 0.1, dtype=np.float32))
    with pytest.raises((KeyError, ValueError, RuntimeError)):
        nn.PReLU(2).load_state_dict(state)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.PReLU(3, init=0.1).state_dict()
    assert list(theirs) == list(state) and tuple(theirs["weight"].shape) == state["weight"].shape


def test_prelu_trains_its_slope_with_an_optimizer():
    prelu = nn.PReLU()
    optimizer = nn.optim.SGD(prelu.parameters(), lr=0.1)
    x = np.array([-1.0, -2.0, 3.0], dtype=np.float32)
    for _ in range(3):
        optimizer.zero_grad()
        loss = ((prelu(x) - np.array([-0.5, -1.0, 3.0], dtype=np.float32)) ** 2).mean()
        loss.backward()
        optimizer.step()
    assert 0.25 < float(prelu.weight[0]) < 0.5  # toward the slope 0.5 that fits


def test_prelu_casts_its_input_to_the_weights_dtype_as_linear_and_follows_module_to():
    prelu = nn.PReLU()
    assert prelu(np.array([-2.0, 1.0])).dtype == np.float32  # float64 data into a float32 slope
    prelu.double()
    assert prelu.weight.dtype == np.float64 and prelu(np.array([-2.0], dtype=np.float32)).dtype == np.float64
    assert nn.PReLU(dtype=np.float64).weight.dtype == np.float64


# ---- inplace -----------------------------------------------------------------------------------------------------
INPLACE = [("silu", {}), ("mish", {}), ("hardtanh", {}), ("relu6", {}), ("hardsigmoid", {}), ("hardswish", {}),
           ("selu", {}), ("celu", {"alpha": 0.5}), ("threshold", {"threshold": 0.5, "value": -2.0})]
SIGNED = np.array([[-4.0, -1.0, 0.0, 0.5, 2.0, 7.0]])


@pytest.mark.parametrize("name, kwargs", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_true_writes_the_result_into_a_constant_input_as_torch(name, kwargs):
    x = ag.tensor(SIGNED)
    expected = getattr(F, name)(ag.tensor(SIGNED), **kwargs).data
    assert getattr(F, name)(x, inplace=True, **kwargs) is x
    np.testing.assert_array_equal(x.data, expected)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(SIGNED)
    getattr(torch.nn.functional, name)(theirs, inplace=True, **kwargs)
    np.testing.assert_allclose(x.data, theirs.numpy(), rtol=1e-15)


@pytest.mark.parametrize("name, kwargs", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_true_on_a_leaf_that_requires_grad_is_refused_and_a_result_takes_the_activation(name, kwargs):
    w = ag.tensor(SIGNED, requires_grad=True)
    with pytest.raises(RuntimeError, match=rf"^{name}\(inplace=True\): a leaf that requires grad \(shape \(1, 6\)\)"):
        getattr(F, name)(w, inplace=True, **kwargs)
    np.testing.assert_array_equal(w.data, SIGNED)
    h = w * 1.0
    assert getattr(F, name)(h, inplace=True, **kwargs) is h
    h.sum().backward()
    reference = ag.tensor(SIGNED, requires_grad=True)
    getattr(F, name)(reference * 1.0, **kwargs).sum().backward()
    np.testing.assert_array_equal(h.data, getattr(F, name)(ag.tensor(SIGNED), **kwargs).data)
    np.testing.assert_array_equal(w.grad.data, reference.grad.data)


@pytest.mark.parametrize("module", ["SiLU", "Mish", "ReLU6", "SELU", "Hardsigmoid", "Hardswish", "Hardtanh", "CELU"])
def test_module_inplace_flags_are_checked_and_used(module):
    with pytest.raises(TypeError, match=rf"{module}: inplace must be True or False"):
        getattr(nn, module)(inplace="no")
    x = ag.tensor(SIGNED)
    assert getattr(nn, module)(inplace=True)(x) is x and getattr(nn, module)()(x) is not x


# ---- errors ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: F.gelu(ag.ones(2), approximate="erf"), ValueError, r"gelu: approximate must be 'none' .* or 'tanh', got 'erf'"),
    (lambda: nn.GELU("Tanh"), ValueError, r"GELU: approximate must be 'none' .* or 'tanh', got 'Tanh'"),
    (lambda: F.celu(ag.ones(2), alpha=0.0), ValueError, r"celu: alpha cannot be 0"),
    (lambda: F.celu(ag.ones(2), alpha="1"), TypeError, r"celu: alpha must be a number, got '1'"),
    (lambda: F.hardtanh(ag.ones(2), 2.0, 1.0), ValueError, r"hardtanh: min_val \(2.0\) cannot be greater than max_val"),
    (lambda: nn.Hardtanh(1.0, 1.0), ValueError, r"Hardtanh: max_val \(1.0\) must be greater than min_val \(1.0\)"),
    (lambda: nn.Hardtanh(None, 1.0), TypeError, r"Hardtanh: min_val must be a number, got None"),
    (lambda: F.threshold(ag.ones(2), None, 0.0), TypeError, r"threshold: threshold must be a number, got None"),
    (lambda: F.threshold(ag.ones(2), 0.0, np.ones(2)), TypeError, r"threshold: value must be a number"),
    (lambda: F.softmin(ag.ones((2, 3)), dim=2), IndexError, r"softmin: dim 2 is out of range .*\(2, 3\).*-2\.\.1"),
    (lambda: F.prelu(ag.ones((2, 3)), ag.ones(2)), ValueError,
     r"prelu: weight of shape \(2,\) gives 2 slope\(s\), but an input of shape \(2, 3\) has 3 channel\(s\) on axis 1"),
    (lambda: F.prelu(ag.ones(3), ag.ones(3)), ValueError, r"input of shape \(3,\) has 1 channel\(s\)"),
    (lambda: F.prelu(ag.ones((2, 2)), ag.ones((2, 1))), ValueError, r"prelu: weight of shape \(2, 1\)"),
    (lambda: nn.PReLU(-1), ValueError, r"PReLU: num_parameters must be an int >= 0, got -1"),
    (lambda: nn.PReLU(2.5), TypeError, r"PReLU: num_parameters must be"),
    (lambda: nn.PReLU(init="a"), TypeError, r"PReLU: init must be"),
    (lambda: nn.PReLU(dtype=np.int32), TypeError, r"PReLU: dtype must be a float dtype"),
    (lambda: F.silu("abc"), TypeError, r"silu: input must be a Tensor or an array of numbers"),
], ids=["gelu", "GELU", "celu 0", "celu text", "hardtanh", "Hardtanh", "Hardtanh None", "threshold", "value", "softmin", "prelu",
        "prelu 1-d", "prelu 2-d weight", "PReLU 0", "PReLU float", "PReLU init", "PReLU dtype", "silu text"])
def test_bad_settings_are_refused_naming_the_function_and_what_is_valid(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_single_slope_serves_any_input_shape_as_torch():
    for shape in [(), (3,), (2, 3), (2, 3, 4)]:
        x = -np.ones(shape)
        np.testing.assert_array_equal(F.prelu(ag.tensor(x), ag.tensor([0.5])).data, -0.5 * np.ones(shape))
    np.testing.assert_array_equal(F.prelu(ag.tensor(-np.ones((2, 2))), ag.tensor(0.5)).data, -0.5 * np.ones((2, 2)))


def test_hardtanh_function_takes_equal_bounds_as_torchs():
    assert F.hardtanh(ag.tensor([0.0, 2.0]), 1.0, 1.0).data.tolist() == [1.0, 1.0]


# ---- PReLU of no slopes, as PyTorch's -----------------------------------------------------------------------------
def test_prelu_of_0_parameters_takes_an_input_of_no_channels():
    layer = nn.PReLU(0)
    assert layer.weight.shape == (0,) and layer.num_parameters == 0
    got = layer_results(layer, [np.ones((2, 0, 3), np.float32)])
    assert got[0].shape == got[1][0].shape == (2, 0, 3) and got[2]["weight"].shape == (0,)
    with pytest.raises(ValueError, match=r"prelu: weight of shape \(0,\) gives 0 slope\(s\), but an input of shape "
                                         r"\(2, 3\) has 3 channel\(s\)"):
        layer(np.ones((2, 3)))  # as PyTorch's "Mismatch of parameter numbers and input channel size"
    torch = pytest.importorskip("torch")
    assert_same_layer_results(got, layer_results(torch.nn.PReLU(0), [np.ones((2, 0, 3), np.float32)], torch))


# ---- found by porting PyTorch's test_nn.py: the in-place functions, integer inputs -------------------------------
@pytest.mark.parametrize("name, args", [("elu_", (0.5,)), ("celu_", (2.0,)), ("selu_", ()), ("hardtanh_", (-0.5, 0.7)),
                                        ("threshold_", (0.1, -3.0)), ("rrelu_", (0.2, 0.4))])
def test_in_place_functions_change_the_input_and_keep_torchs_values_and_gradients(name, args):
    # F.elu_, celu_, selu_, hardtanh_, threshold_ and rrelu_ were missing (test_elu_inplace_with_neg_alpha and
    # test_threshold_inplace_overlap call them)
    torch = pytest.importorskip("torch")
    a = np.array([-2.0, -0.3, 0.0, 0.05, 0.5, 3.0])
    x, t = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y, u = x.clone(), t.clone()
    out, expected = getattr(F, name)(y, *args), getattr(torch.nn.functional, name)(u, *args)
    assert out is y
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-12)
    out.backward(np.linspace(-1.0, 1.0, 6))
    expected.backward(torch.linspace(-1.0, 1.0, 6, dtype=torch.float64))
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name, args", [("hardtanh", ()), ("relu6", ()), ("hardtanh", (-2, 5)), ("threshold", (2, 0.5)),
                                        ("threshold", (2.5, 7))])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.int8, np.uint8])
def test_clamping_activations_keep_an_integer_dtype_as_torch(name, args, dtype):
    # hardtanh, relu6 and threshold of integers gave float64 (PyTorch's keep the integers; test_nn.py's
    # test_threshold_int family)
    torch = pytest.importorskip("torch")
    a = np.array([0, 1, 2, 3, 9], dtype=dtype)
    if name == "hardtanh" and dtype == np.uint8:  # (min_val < 0: refused, as PyTorch's, ValueError and RuntimeError)
        with pytest.raises(RuntimeError, match="cannot do hardtanh on an unsigned type with negative limits"):
            torch.nn.functional.hardtanh(torch.tensor(a), *args)
        with pytest.raises(ValueError, match="hardtanh: cannot do hardtanh on an unsigned type with negative limits"):
            F.hardtanh(ag.tensor(a), *args)
        return
    y = getattr(F, name)(ag.tensor(a), *args)
    expected = getattr(torch.nn.functional, name)(torch.tensor(a), *args).numpy()
    assert y.dtype == expected.dtype == dtype
    np.testing.assert_array_equal(y.data, expected)
    x = ag.tensor(a)
    assert getattr(F, name)(x, *args, inplace=True) is x
    np.testing.assert_array_equal(x.data, expected)


@pytest.mark.parametrize("name", ["elu", "hardswish", "silu", "mish", "leaky_relu", "relu", "hardtanh"])
def test_in_place_of_an_expanded_input_is_refused_in_pytorchs_words(name):
    # test_nn.py's test_*_inplace_overlap match "unsupported operation"; the message said it otherwise
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="unsupported operation"):
        getattr(torch.nn.functional, name)(torch.randn(1, 6).expand(6, 6), inplace=True)
    x = ag.randn((1, 6)).expand((6, 6))
    with pytest.raises(RuntimeError, match=rf"^{name}\(inplace=True\): unsupported operation: more than one element "
                                           r"of the written-to tensor refers to a single memory location: .*clone\(\)"):
        getattr(F, name)(x, inplace=True)


@pytest.mark.parametrize("name, a, args", [
    ("hardtanh", np.array([2 ** 53 + 1, -5]), (-10, 2 ** 60)),  # (bounds through float64 gave 9007199254740992)
    ("threshold", np.array([2 ** 53 + 1, 5]), (0, -1)),
    ("threshold", np.array([2 ** 53 + 1, 5, 2 ** 53]), (2 ** 53, -(2 ** 62 + 1))),
    ("hardtanh", np.array([3, 9, -100], dtype=np.int8), (-1.5, 1.5)),  # (fractions cut toward 0)
    ("threshold", np.array([3, 9, -100], dtype=np.int8), (-7.5, -2.9)),
    ("threshold", np.array([3, 200], dtype=np.uint8), (5, -1)),  # (a negative int wraps around, as PyTorch's)
    ("threshold", np.array([3, 200], dtype=np.uint8), (-5, 1)),
])
def test_integer_clamps_compute_in_integers_as_torch(name, a, args):
    # (found in review: the bounds went through float64, so int64 above 2**53 lost its last bit)
    torch = pytest.importorskip("torch")
    y = getattr(F, name)(ag.tensor(a), *args)
    expected = getattr(torch.nn.functional, name)(torch.tensor(a), *args).numpy()
    assert y.dtype == expected.dtype == a.dtype
    np.testing.assert_array_equal(y.data, expected)


@pytest.mark.parametrize("name, dtype, args, bad", [
    ("threshold", np.int8, (5, 300), "300"), ("threshold", np.int64, (1, 1e30), "1e+30"),
    ("threshold", np.uint8, (5, -1.0), "-1.0"), ("threshold", np.int16, (5, float("nan")), "nan"),
    ("threshold", np.int8, (300, 7), "300"), ("hardtanh", np.int8, (-1.5, 300), "300"),
    ("hardtanh", np.int16, (0, float("inf")), "inf"), ("hardtanh", np.int8, (-300, 5), "-300"),
])
def test_integer_clamps_refuse_a_number_the_dtype_cannot_hold_as_torch(name, dtype, args, bad):
    # (found in review: F.threshold(int8 [3, 9], 5, 300) gave [44, 9], wrapped around; int64 with 1e30 gave -2**63)
    torch = pytest.importorskip("torch")
    a = np.array([3, 9], dtype=dtype)
    with pytest.raises(RuntimeError, match="without overflow"):
        getattr(torch.nn.functional, name)(torch.tensor(a), *args)
    with pytest.raises(RuntimeError, match=rf"{name}: the value {re.escape(bad)} cannot be converted to dtype "
                                           rf"{np.dtype(dtype)} without overflow"):
        getattr(F, name)(ag.tensor(a), *args)
    with pytest.raises(OverflowError):
        getattr(F, name)(ag.tensor(a), *args)
