"""The activations' edge cases (nn.functional, their modules, and ag.sigmoid / ag.tanh under them): at ±inf and the
float range's end, PyTorch's values and gradients without NumPy's RuntimeWarnings (warnings are errors here);
float16 computed in float32 and rounded once, as PyTorch's kernels; integer and bool inputs in the float type
NumPy's exp gives them, never wrapping around (-x of a uint8). Each checked against exact expected values, and
against torch where it is installed."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck

pytestmark = pytest.mark.filterwarnings("error")  # a NumPy RuntimeWarning fails the test

FLOATS = [np.float64, np.float32, np.float16]

# name: (ours, torch's as a function of torch.nn.functional and torch)
ACTIVATIONS = {
    "relu": (F.relu, lambda TF, torch: TF.relu),
    "leaky_relu": (F.leaky_relu, lambda TF, torch: TF.leaky_relu),
    "elu": (F.elu, lambda TF, torch: TF.elu),
    "sigmoid": (F.sigmoid, lambda TF, torch: torch.sigmoid),
    "tanh": (F.tanh, lambda TF, torch: torch.tanh),
    "softplus": (F.softplus, lambda TF, torch: TF.softplus),
    "softplus_beta2": (lambda x: F.softplus(x, beta=2.0), lambda TF, torch: lambda x: TF.softplus(x, beta=2.0)),
    "gelu": (F.gelu, lambda TF, torch: TF.gelu),
    "gelu_tanh": (lambda x: F.gelu(x, "tanh"), lambda TF, torch: lambda x: TF.gelu(x, approximate="tanh")),
    "silu": (F.silu, lambda TF, torch: TF.silu),
    "mish": (F.mish, lambda TF, torch: TF.mish),
    "hardtanh": (F.hardtanh, lambda TF, torch: TF.hardtanh),
    "relu6": (F.relu6, lambda TF, torch: TF.relu6),
    "hardsigmoid": (F.hardsigmoid, lambda TF, torch: TF.hardsigmoid),
    "hardswish": (F.hardswish, lambda TF, torch: TF.hardswish),
    "selu": (F.selu, lambda TF, torch: TF.selu),
    "celu": (F.celu, lambda TF, torch: TF.celu),
    "celu_half": (lambda x: F.celu(x, 0.5), lambda TF, torch: lambda x: TF.celu(x, 0.5)),
    "celu_negative": (lambda x: F.celu(x, -2.0), lambda TF, torch: lambda x: TF.celu(x, -2.0)),
    "logsigmoid": (F.logsigmoid, lambda TF, torch: TF.logsigmoid),
    "softsign": (F.softsign, lambda TF, torch: TF.softsign),
    "tanhshrink": (F.tanhshrink, lambda TF, torch: TF.tanhshrink),
    "threshold": (lambda x: F.threshold(x, 1.0, -1.0), lambda TF, torch: lambda x: TF.threshold(x, 1.0, -1.0)),
}

nan, inf = np.nan, np.inf
# PyTorch's (value, gradient) at -inf and at +inf (torch 2.13; NaN where its formula meets inf * 0 or inf / inf)
AT_INFINITY = {
    "relu": [(0.0, 0.0), (inf, 1.0)],
    "leaky_relu": [(-inf, 0.01), (inf, 1.0)],
    "elu": [(-1.0, 0.0), (inf, 1.0)],
    "sigmoid": [(0.0, 0.0), (1.0, 0.0)],
    "tanh": [(-1.0, 0.0), (1.0, 0.0)],
    "softplus": [(0.0, 0.0), (inf, 1.0)],
    "softplus_beta2": [(0.0, 0.0), (inf, 1.0)],
    "gelu": [(nan, nan), (inf, nan)],
    "gelu_tanh": [(nan, nan), (inf, nan)],
    "silu": [(nan, nan), (inf, nan)],
    "mish": [(nan, nan), (inf, nan)],
    "hardtanh": [(-1.0, 0.0), (1.0, 0.0)],
    "relu6": [(0.0, 0.0), (6.0, 0.0)],
    "hardsigmoid": [(0.0, 0.0), (1.0, 0.0)],
    "hardswish": [(nan, 0.0), (inf, 1.0)],
    "selu": [(-1.7580993408473766, 0.0), (inf, 1.0507009873554805)],
    "celu": [(-1.0, 0.0), (inf, 1.0)],
    "celu_half": [(-0.5, 0.0), (inf, 1.0)],
    "celu_negative": [(-inf, inf), (inf, 1.0)],
    "logsigmoid": [(-inf, 1.0), (0.0, 0.0)],
    "softsign": [(nan, nan), (nan, nan)],
    "tanhshrink": [(-inf, 1.0), (inf, 1.0)],
    "threshold": [(-1.0, 0.0), (inf, 1.0)],
}


def value_and_grad(function, x, dtype, upstream=None):
    """(value, gradient) of function at the array x (as a Tensor of dtype), the gradient for upstream (ones)."""
    x = ag.tensor(np.asarray(x, dtype), requires_grad=True)
    y = function(x)
    y.backward(ag.tensor(np.ones(y.shape, dtype) if upstream is None else np.asarray(upstream, dtype)))
    return y.data, x.grad.data


def torch_value_and_grad(name, x, dtype, upstream=None):
    """PyTorch's (value, gradient), from its own CPU kernels: oneDNN off, whose AVX-512 float32 GELU (taken on a
    machine with AVX-512, for 2 entries or more) overflows at the range's end, inf at max and NaN at +inf, where
    PyTorch's kernel and oneDNN's AVX2 one give max and inf (any PyTorch version: a property of the machine)."""
    torch = pytest.importorskip("torch")
    function = ACTIVATIONS[name][1](torch.nn.functional, torch)
    enabled = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False  # (set, not torch.backends.mkldnn.flags(), which warns about TF32)
    try:
        x = torch.tensor(np.asarray(x, dtype), requires_grad=True)
        y = function(x)
        y.backward(torch.ones_like(y) if upstream is None else torch.tensor(np.asarray(upstream, dtype)))
    finally:
        torch.backends.mkldnn.enabled = enabled
    return y.detach().numpy(), x.grad.numpy()


def assert_same(ours, expected, rtol=0.0):
    """Equal values (NaN equal to NaN), or within rtol."""
    ours, expected = np.asarray(ours, np.float64), np.asarray(expected, np.float64)
    np.testing.assert_allclose(ours, expected, rtol=rtol, atol=0, equal_nan=True)


# ---- ±inf --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_at_infinity_the_values_and_gradients_are_pytorchs_without_warnings(name, dtype):
    value, grad = value_and_grad(ACTIVATIONS[name][0], [-inf, inf], dtype)
    assert value.dtype == dtype and grad.dtype == dtype
    expected = np.array(AT_INFINITY[name], np.float64)
    assert_same(value, expected[:, 0].astype(dtype))
    assert_same(grad, expected[:, 1].astype(dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_infinities_change_no_other_entry(name, dtype):
    # the slow path taken for an inf gives the finite entries beside it the values and gradients they have alone
    finite = np.array([-3.5, -0.0, 0.0, 0.25, 2.0, 30.0], dtype)
    upstream = np.array([1.0, -2.0, 0.5, 1.5, -1.0, 2.0, 3.0, 1.0], dtype)
    alone = value_and_grad(ACTIVATIONS[name][0], finite, dtype, upstream[:6])
    beside = value_and_grad(ACTIVATIONS[name][0], np.concatenate([finite, [-inf, inf]]), dtype, upstream)
    for ours, expected in zip(beside, alone):
        np.testing.assert_array_equal(ours[:6], expected)
        assert np.array_equal(np.signbit(ours[:6]), np.signbit(expected))  # -0.0 stays -0.0


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_at_infinity_and_the_ranges_end_the_values_and_gradients_are_torchs(name, dtype):
    big = np.finfo(dtype).max
    x = [-inf, inf, -big, big, -big / 8, big / 8, -(big ** 0.34), big ** 0.34, np.finfo(dtype).tiny]
    ours = value_and_grad(ACTIVATIONS[name][0], x, dtype)
    theirs = torch_value_and_grad(name, x, dtype)
    rtol = {np.float64: 1e-7, np.float32: 1e-6, np.float16: 1e-3}[dtype]  # (torch: some float32 constants)
    assert_same(ours[0], theirs[0], rtol)
    defined = ~np.isnan(theirs[1])  # (torch's NaN gradients of gelu_tanh beyond 1e13 are 1 and 0 here, the limits)
    assert_same(ours[1][defined], theirs[1][defined], rtol)


def forward_mode_tangents(function, x, dtype):
    """function's tangents at the array x for a tangent of ones: by ag.func.jvp and by forward_ad's dual Tensors."""
    x = np.asarray(x, dtype)
    _, by_jvp = ag.func.jvp(function, (ag.tensor(x),), (ag.tensor(np.ones_like(x)),))
    with ag.autograd.forward_ad.dual_level():
        dual = ag.autograd.forward_ad.make_dual(ag.tensor(x), ag.tensor(np.ones_like(x)))
        by_dual = ag.autograd.forward_ad.unpack_dual(function(dual)).tangent
    return by_jvp.data, by_dual.data


TANGENTS_AT_INFINITY = {  # PyTorch's tangents (= its gradients) at -inf, +inf and NaN, where they were ours' too
    "gelu": [nan, nan, nan], "gelu_tanh": [nan, nan, nan], "silu": [nan, nan, nan], "mish": [nan, nan, nan],
    "hardswish": [0.0, 1.0, nan]}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(TANGENTS_AT_INFINITY))
def test_at_infinity_the_forward_mode_tangent_is_the_gradient_without_warnings(name, dtype):
    # the tangent at +inf was 1 for gelu, silu and mish (the where putting +inf back passed x's tangent) where their
    # gradient is NaN; hardswish's tangents at ±inf were NaN (inf * 0, warned) where its gradients are 0 and 1
    x = [-inf, inf, nan, 2.0]
    _, grad = value_and_grad(ACTIVATIONS[name][0], x, dtype)
    for tangent in forward_mode_tangents(ACTIVATIONS[name][0], x, dtype):
        assert tangent.dtype == dtype
        assert_same(tangent[:3], np.array(TANGENTS_AT_INFINITY[name], dtype))
        assert_same(tangent, grad, rtol={np.float64: 1e-15, np.float32: 1e-6, np.float16: 0.0}[dtype])  # (rounding)


@pytest.mark.parametrize("name", list(TANGENTS_AT_INFINITY))
def test_at_infinity_the_forward_mode_tangent_is_torchs(name):
    torch = pytest.importorskip("torch")
    x = np.array([-inf, inf, 2.0, -3.5, 0.5])  # (at NaN torch's hardswish tangent is 1, ours NaN)
    with warnings.catch_warnings():  # (torch's forward AD loads its decompositions through torch.jit.script: warns)
        warnings.simplefilter("ignore", FutureWarning)
        _, theirs = torch.func.jvp(ACTIVATIONS[name][1](torch.nn.functional, torch), (torch.tensor(x),),
                                   (torch.ones(5, dtype=torch.float64),))
    for tangent in forward_mode_tangents(ACTIVATIONS[name][0], x, np.float64):
        assert_same(tangent, theirs.numpy(), rtol=1e-12)


LIMITS = {  # the values at x = ±max / 8 (no overflow on the way): (at +x, at -x) as functions of x
    "relu": (lambda x: x, lambda x: 0), "leaky_relu": (lambda x: x, lambda x: -0.01 * x),
    "elu": (lambda x: x, lambda x: -1), "sigmoid": (lambda x: 1, lambda x: 0), "tanh": (lambda x: 1, lambda x: -1),
    "softplus": (lambda x: x, lambda x: 0), "softplus_beta2": (lambda x: x, lambda x: 0),
    "gelu": (lambda x: x, lambda x: 0), "gelu_tanh": (lambda x: x, lambda x: 0), "silu": (lambda x: x, lambda x: 0),
    "mish": (lambda x: x, lambda x: 0), "hardtanh": (lambda x: 1, lambda x: -1), "relu6": (lambda x: 6, lambda x: 0),
    "hardsigmoid": (lambda x: 1, lambda x: 0), "hardswish": (lambda x: x, lambda x: 0),
    "selu": (lambda x: 1.0507009873554805 * x, lambda x: -1.7580993408473766), "celu": (lambda x: x, lambda x: -1),
    "celu_half": (lambda x: x, lambda x: -0.5), "celu_negative": (lambda x: x, lambda x: -inf),
    "logsigmoid": (lambda x: 0, lambda x: -x), "softsign": (lambda x: 1, lambda x: -1),
    "tanhshrink": (lambda x: x, lambda x: -x), "threshold": (lambda x: x, lambda x: -1),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_near_the_ranges_end_the_values_are_the_limits_without_warnings(name, dtype):
    x = np.finfo(dtype).max / 8
    value, grad = value_and_grad(ACTIVATIONS[name][0], [x, -x, np.finfo(dtype).max, -np.finfo(dtype).max], dtype)
    at_plus, at_minus = LIMITS[name]
    assert_same(value[:2], np.array([at_plus(float(x)), at_minus(float(x))], np.float64).astype(dtype),
                rtol={np.float64: 1e-15, np.float32: 1e-7, np.float16: 1e-3}[dtype])
    assert not np.isnan(value).any() and not np.isnan(grad[:2]).any()


@pytest.mark.parametrize("dtype", FLOATS)
def test_gelu_at_the_ranges_end_is_x_and_0(dtype):
    # x Phi(x) at ±max: max (Phi is 1 to the last bit) with gradient 1, and -0 with gradient 0; no overflow on the
    # way (0.5 x (1 + erf) would make x (1 + erf) = 2 max first)
    big = np.finfo(dtype).max
    value, grad = value_and_grad(F.gelu, [big, -big, inf], dtype)
    np.testing.assert_array_equal(value, np.array([big, -0.0, inf], dtype))
    assert np.signbit(value[1])
    np.testing.assert_array_equal(grad[:2], [1.0, 0.0])


def test_the_modules_are_as_quiet_as_their_functions():
    x = ag.tensor([-inf, -1e38, -1.0, 0.0, 1.0, 1e38, inf], dtype=np.float32, requires_grad=True)
    for module in (nn.GELU(), nn.GELU("tanh"), nn.SiLU(), nn.Mish(), nn.Hardswish(), nn.SELU(), nn.CELU(-2.0),
                   nn.Softsign(), nn.LogSigmoid(), nn.Softplus(beta=4.0), nn.ELU(), nn.Sigmoid(), nn.Tanh()):
        module(x).backward(ag.ones(7, dtype=np.float32))  # (no sum: inf + -inf would warn in it)
    assert x.grad.dtype == np.float32


def test_gelu_tanh_beyond_its_saturation_has_the_limits_and_second_derivatives():
    # |x| >= 1e4 takes the clipped cube (x**3 would overflow float32 past 1e13): tanh is ±1 there to the last bit
    x = np.array([-1e30, -2e4, -1e4, -3.0, 0.5, 1e4, 2e4, 1e30])
    value, grad = value_and_grad(lambda t: F.gelu(t, "tanh"), x, np.float64)
    np.testing.assert_array_equal(value[[0, 1, 2, 5, 6, 7]], [-0.0, -0.0, -0.0, 1e4, 2e4, 1e30])
    np.testing.assert_array_equal(grad[[0, 1, 2, 5, 6, 7]], [0, 0, 0, 1, 1, 1])
    gelu_tanh = lambda t: F.gelu(t, "tanh")  # noqa: E731
    assert gradcheck(gelu_tanh, ag.tensor([-2e4, -1.5, 0.3, 2.0, 3e4], requires_grad=True))
    assert gradgradcheck(gelu_tanh, ag.tensor([-2e4, -1.5, 0.3, 2.0, 3e4], requires_grad=True))
    for silu_like in (F.silu, F.gelu, F.mish, F.hardswish, F.softsign, F.selu):  # second derivatives, finite x
        assert gradgradcheck(silu_like, ag.tensor([-4.0, -0.7, 0.2, 1.3, 5.0], requires_grad=True))


def test_nan_inputs_keep_their_behaviour():
    # NaN takes the slow path's check (|x| < bound is False for it) and comes out as before: NaN, quietly
    for name, (function, _) in ACTIVATIONS.items():
        value, _ = value_and_grad(function, [nan, 1.0], np.float64)
        assert np.isnan(value[0]) or name in ("relu6", "hardtanh"), name  # (their clip of NaN is NaN too)


# ---- float16 -----------------------------------------------------------------------------------------------------
def _float16_inputs():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 3, 600), rng.uniform(-12, 12, 600), [0.0, -0.0, 65504.0, -65504.0, 6e4]])
    return x.astype(np.float16), rng.normal(0, 2, x.size).astype(np.float16)


ROUNDED_ONCE = ["leaky_relu", "elu", "softplus", "softplus_beta2", "gelu", "gelu_tanh", "silu", "mish",
                "hardsigmoid", "hardswish", "selu", "celu", "celu_half", "celu_negative", "logsigmoid"]


@pytest.mark.parametrize("name", ROUNDED_ONCE)
def test_float16_is_computed_in_float32_and_rounded_once(name):
    x, upstream = _float16_inputs()
    value, grad = value_and_grad(ACTIVATIONS[name][0], x, np.float16, upstream)
    assert value.dtype == grad.dtype == np.float16
    wide_value, wide_grad = value_and_grad(ACTIVATIONS[name][0], x, np.float32, upstream)
    with np.errstate(over="ignore"):  # (past 65504: inf, as the float16 result)
        np.testing.assert_array_equal(value, wide_value.astype(np.float16))
        np.testing.assert_array_equal(grad, wide_grad.astype(np.float16))


def test_float16_no_longer_overflows_between_steps():
    x = np.array([6e4, -6e4, 300.0, 43.5], np.float16)
    np.testing.assert_array_equal(F.hardswish(x).data, [6e4, -0.0, 300.0, 43.5])  # x * 6 overflowed float16
    np.testing.assert_array_equal(F.gelu(x, "tanh").data, [6e4, -0.0, 300.0, 43.5])  # x**3 overflowed it
    assert F.softplus(ag.tensor(np.float16(6e4)), beta=2.0).item() == np.float16(6e4)


def ulps(a, b):
    """How many float16 steps apart a and b are (NaN equal to NaN)."""
    order = lambda v: np.where(v.view(np.int16) < 0, -(v.view(np.int16) & 0x7FFF), v.view(np.int16))  # noqa: E731
    both_nan = np.isnan(a) & np.isnan(b)
    return np.where(both_nan, 0, np.abs(order(a).astype(np.int64) - order(b).astype(np.int64)))


@pytest.mark.parametrize("name", ROUNDED_ONCE + ["sigmoid", "tanh", "softsign", "tanhshrink"])
def test_float16_matches_torch_to_its_rounding(name):
    x, upstream = _float16_inputs()
    keep = (np.abs(x) < 1e4) & ((x > -3) | (name not in ("gelu", "gelu_tanh")))  # (torch's float32 1 + erf(x)
    x, upstream = x[keep], upstream[keep]  # cancels in gelu's negative tail: the README's departure)
    ours, theirs = value_and_grad(ACTIVATIONS[name][0], x, np.float16, upstream), \
        torch_value_and_grad(name, x, np.float16, upstream)
    exact = name in ("sigmoid", "tanh", "leaky_relu", "softsign", "hardsigmoid", "hardswish", "softplus", "elu")
    assert ulps(ours[0], theirs[0]).max() <= (0 if exact else 1) and np.mean(ours[0] == theirs[0]) > 0.99
    # gradients: PyTorch's own float16 rules round intermediate buffers (logsigmoid's e^-|x|, selu's): an ulp;
    # softsign is a float16 composition in both, whose division rules round in another order (cancelling terms)
    if name != "softsign":
        assert ulps(ours[1], theirs[1]).max() <= (0 if name in ("sigmoid", "tanh", "leaky_relu") else 1)


def test_sigmoid_and_tanh_of_float16_are_pytorchs_bit_for_bit():
    # forward in float32, rounded once; the rules as PyTorch's: sigmoid's g (1 - y) y rounding at each float16
    # step, tanh's g (1 - y * y) in float32 from the float16 result y, rounded once
    x, g = _float16_inputs()
    for function in (ag.sigmoid, ag.tanh):
        value, grad = value_and_grad(function, x, np.float16, g)
        np.testing.assert_array_equal(value, function(x.astype(np.float32)).data.astype(np.float16))
        y32 = value.astype(np.float32)
        expected = g * (1 - value) * value if function is ag.sigmoid else \
            (g.astype(np.float32) * (1 - y32 * y32)).astype(np.float16)
        np.testing.assert_array_equal(grad, expected)
    x = ag.tensor(np.float16(0.5), requires_grad=True)  # second derivatives through the float16 rules
    d = ag.grad(ag.grad(ag.sigmoid))(x)
    s = 1 / (1 + np.exp(-0.5))
    assert d.dtype == np.float16 and abs(float(d) - s * (1 - s) * (1 - 2 * s)) < 1e-3


def test_a_float16_cast_that_overflows_is_inf_quietly_both_ways():
    x = ag.tensor(np.array([1e5, 1.0], np.float32), requires_grad=True)
    y = x.astype(np.float16)
    assert y.data.tolist() == [inf, 1.0]
    h = ag.tensor(np.array([1.0], np.float16), requires_grad=True)
    (h.astype(np.float32) * 1e6).sum().backward()
    assert h.grad.data.tolist() == [inf]


# ---- prelu at ±inf: the slope's gradient, the sum of g x over x <= 0, is -inf from an x of -inf ------------------
# (as PyTorch's; an x of +inf adds nothing, where it made it NaN: 0 * inf, with NumPy's warning)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_prelu_slope_gradient_at_infinities(dtype):
    x = ag.tensor(np.array([[np.inf, -np.inf, 2.0], [np.inf, 1.0, -3.0]], dtype=dtype), requires_grad=True)
    weight = ag.tensor(np.array([0.25], dtype=dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.prelu(x, weight)
        out.backward(np.ones(x.shape, dtype=dtype))
    np.testing.assert_array_equal(out.data, np.array([[np.inf, -np.inf, 2.0], [np.inf, 1.0, -0.75]], dtype=dtype))
    np.testing.assert_array_equal(weight.grad.data, [-np.inf])  # -inf + -3, the +inf entries adding nothing
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.25, 1.0], [1.0, 1.0, 0.25]])


def test_prelu_per_channel_slopes_at_infinities_and_nan():
    x = ag.tensor(np.array([[np.inf, np.inf, np.nan], [np.inf, -2.0, -1.0]]), requires_grad=True)
    weight = ag.tensor(np.array([0.1, 0.2, 0.3]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.prelu(x, weight).backward(np.ones((2, 3)))
    np.testing.assert_array_equal(weight.grad.data, [0.0, -2.0, np.nan])  # a NaN x gives NaN, as PyTorch's
    np.testing.assert_array_equal(x.grad.data, [[1.0, 1.0, 0.3], [1.0, 0.2, 0.3]])


def test_prelu_layer_at_infinities():
    layer = nn.PReLU(2, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer(np.array([[np.inf, -1.0], [1.0, np.inf]])).sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.data, [0.0, -1.0])


def test_prelu_second_derivatives():
    rng = np.random.default_rng(0)
    assert gradgradcheck(lambda x, w: F.prelu(x, w), rng.normal(size=(2, 3, 2)), rng.normal(size=3))


def test_prelu_against_torch_at_infinities():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    for dtype, tdtype in ((np.float64, torch.float64), (np.float32, torch.float32), (np.float16, torch.float16)):
        xv = rng.normal(size=(3, 4, 5)).astype(dtype)
        xv[0, :, 0], xv[1, :, 1], xv[2, 0, 2] = np.inf, -np.inf, np.nan
        for wv in (rng.normal(size=1).astype(dtype), rng.normal(size=4).astype(dtype)):
            g = (np.abs(rng.normal(size=xv.shape)) + 0.1).astype(dtype)  # (mixed signs would add inf and -inf)
            x, w = ag.tensor(xv, requires_grad=True), ag.tensor(wv, requires_grad=True)
            F.prelu(x, w).backward(g)
            tx, tw = torch.tensor(xv, requires_grad=True), torch.tensor(wv, requires_grad=True)
            torch.nn.functional.prelu(tx, tw).backward(torch.tensor(g))
            np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
            np.testing.assert_allclose(w.grad.data.astype(np.float64), tw.grad.numpy().astype(np.float64),
                                       rtol=1e-2 if dtype == np.float16 else 1e-5)


# ---- integers and bools ------------------------------------------------------------------------------------------
INTEGER_INPUTS = {np.uint8: [0, 1, 3, 200, 255], np.int8: [-128, -3, 0, 1, 127], np.int16: [-300, -1, 0, 2, 300],
                  np.int64: [-5, -1, 0, 1, 7], np.bool_: [True, False]}


# relu and the clamps hardtanh, relu6 and threshold keep an integer dtype, as PyTorch's (the clamps' bools become floats)
KEEP_INTEGERS = ("relu", "hardtanh", "relu6", "threshold")


@pytest.mark.parametrize("name, dtype", [  # (the integers KEEP_INTEGERS keep: test_activations_more.py)
    (name, dtype) for name in ACTIVATIONS for dtype in INTEGER_INPUTS
    if name != "relu" and (name not in KEEP_INTEGERS or dtype == np.bool_)])
def test_an_integer_input_is_computed_in_the_float_type_numpys_exp_gives_it(name, dtype):
    x = np.array(INTEGER_INPUTS[dtype], dtype)
    floating = np.result_type(dtype, np.float16)  # float16 for 8 bits and bool, float32 for 16, float64 beyond
    value = ACTIVATIONS[name][0](ag.tensor(x)).data
    assert value.dtype == floating
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(value, ACTIVATIONS[name][0](ag.tensor(x.astype(floating))).data)


def test_unsigned_integers_never_wrap_around():
    x = np.array([0, 1, 255], np.uint8)
    np.testing.assert_allclose(F.logsigmoid(x).data, [-np.log(2), -np.log1p(np.exp(-1.0)), 0], atol=1e-3)
    np.testing.assert_allclose(F.softsign(x).data, [0, 0.5, 255 / 256], rtol=1e-3)  # (255 + 1 was 0 in uint8)
    np.testing.assert_allclose(F.softmin(x, 0).data, [1 / (1 + np.exp(-1.0)), np.exp(-1.0) / (1 + np.exp(-1.0)), 0],
                               rtol=1e-3)
    assert F.logsigmoid(np.array([True])).dtype == np.float16  # (NumPy refuses -x of a bool)
    np.testing.assert_array_equal(nn.LogSigmoid()(x).data, F.logsigmoid(x.astype(np.float16)).data)


def test_integer_inputs_against_torch_on_the_same_floats():
    torch = pytest.importorskip("torch")
    x = np.array([0, 1, 3, 200, 255], np.uint8)
    for name in ("logsigmoid", "softsign", "silu", "gelu", "hardswish"):
        theirs = ACTIVATIONS[name][1](torch.nn.functional, torch)(torch.tensor(x.astype(np.float16)))
        np.testing.assert_array_equal(ACTIVATIONS[name][0](x).data, theirs.numpy(), err_msg=name)


# ---- the softmax family --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_slices_holding_infinities_are_pytorchs_without_warnings(name, dtype):
    function = getattr(F, name)
    sign = -1 if name == "softmin" else 1  # (softmin is softmax(-x): its masked entries are +inf)
    rows = sign * np.array([[-inf, 0.0, 1.0],  # a masked entry: a clean row
                            [-inf, -inf, -inf],  # all masked: NaN, as PyTorch (0 / 0 there, -inf - -inf)
                            [inf, 0.0, 1.0],  # +inf: NaN (inf - inf)
                            [nan, 0.0, 1.0]])
    x = ag.tensor(rows.astype(dtype), requires_grad=True)
    y = function(x, dim=1)
    y.backward(ag.tensor(np.array([[1.0, -2.0, 0.5]] * 4, dtype)))
    assert np.isnan(y.data[1:]).all() and np.isnan(x.grad.data[1:]).all()
    e = np.exp(-1.0)
    expected = [0.0, e / (1 + e), 1 / (1 + e)] if name != "log_softmax" else [-inf, -np.log1p(np.exp(1.0)),
                                                                                 -np.log1p(e)]
    assert_same(y.data[0], np.array(expected, dtype), rtol=1e-3 if dtype == np.float16 else 1e-6)
    torch = pytest.importorskip("torch")
    tx = torch.tensor(rows.astype(dtype), requires_grad=True)
    ty = getattr(torch.nn.functional, name)(tx, dim=1)
    ty.backward(torch.tensor(np.array([[1.0, -2.0, 0.5]] * 4, dtype)))
    assert_same(y.data, ty.detach().numpy(), rtol=1e-3 if dtype == np.float16 else 1e-6)
    assert_same(x.grad.data, tx.grad.numpy(), rtol=1e-2 if dtype == np.float16 else 1e-6)
