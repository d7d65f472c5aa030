"""Transposed convolution (nn/_conv_transpose_functions.py, nn/conv_transpose.py): values and gradients of input,
weight and bias as PyTorch's over Hypothesis-drawn 1-D, 2-D and 3-D settings (float64), and without torch against the
definition in NumPy (each input entry adds its value times the kernel into the output) and against the engine's
conv's input gradient (the adjoint); gradients and second derivatives by finite differences; the layers' parameters,
initialisation, repr, state dict and forward(output_size=); NaN in the cropped region and empty inputs; the
errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from numeric_helpers import torch_value_and_grads, value_and_grads


@st.composite
def transposed_case(draw, max_dims=3):
    """dims, the input's and weight's shapes (batched or not), a bias or none, and the settings (each an int or a
    tuple), such that the output is not empty."""
    dims = draw(st.integers(1, max_dims))
    groups = draw(st.integers(1, 3))
    in_per_group, out_per_group = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    size = tuple(draw(st.integers(1, 4 if dims < 3 else 3)) for _ in range(dims))
    # padding at most what leaves one output entry: (n - 1) s + d (k - 1) + op + 1 - 2 p >= 1
    padding = tuple(draw(st.integers(0, ((n - 1) * s + d * (k - 1) + op) // 2))
                    for n, k, s, d, op in zip(size, kernel, stride, dilation, output_padding))
    batch = draw(st.sampled_from([(), (1,), (2,)]))
    x_shape = batch + (in_per_group * groups,) + size
    w_shape = (in_per_group * groups, out_per_group) + kernel
    settings_ = {"stride": _one_or_all(draw, stride), "padding": _one_or_all(draw, padding),
                 "output_padding": _one_or_all(draw, output_padding), "groups": groups,
                 "dilation": _one_or_all(draw, dilation)}
    return dims, x_shape, w_shape, draw(st.booleans()), settings_


def _one_or_all(draw, values):
    return values[0] if len(set(values)) == 1 and draw(st.booleans()) else values


def _per_axis(value, dims):
    return (value,) * dims if isinstance(value, int) else tuple(value)


def _reference(x, w, b, stride, padding, output_padding, groups, dilation):
    """The definition: each input entry x[n, c, i] adds x[n, c, i] * w[c, :, q] at i * stride + q * dilation of its
    group's output channels; then padding cut from both sides (output_padding is room no entry reaches)."""
    unbatched = x.ndim == w.ndim - 1
    x = x[None] if unbatched else x
    dims = x.ndim - 2
    stride, padding, output_padding, dilation = (_per_axis(v, dims) for v in (stride, padding, output_padding,
                                                                              dilation))
    per_group, out_per_group, kernel = w.shape[0] // groups, w.shape[1], w.shape[2:]
    full = [(n - 1) * s + d * (k - 1) + 1 + op for n, k, s, d, op in zip(x.shape[2:], kernel, stride, dilation,
                                                                           output_padding)]
    y = np.zeros((x.shape[0], out_per_group * groups, *full))
    for c in range(x.shape[1]):
        first = c // per_group * out_per_group
        for i in np.ndindex(*x.shape[2:]):
            for q in np.ndindex(*kernel):
                at = tuple(a * s + o * d for a, o, s, d in zip(i, q, stride, dilation))
                y[(slice(None), slice(first, first + out_per_group)) + at] += \
                    x[(slice(None), c) + i][:, None] * w[(c, slice(None)) + q]
    y = y[(Ellipsis,) + tuple(slice(p, n - p) for p, n in zip(padding, full))]
    if b is not None:
        y = y + b.reshape(-1, *(1,) * dims)
    return y[0] if unbatched else y


def _arrays(case, seed):
    dims, x_shape, w_shape, with_bias, _ = case
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(x_shape), rng.standard_normal(w_shape)] + (
        [rng.standard_normal(w_shape[1] * case[4]["groups"])] if with_bias else [])


@settings(max_examples=40, deadline=None)
@given(case=transposed_case(), seed=st.integers(0, 2 ** 16))
def test_conv_transpose_matches_torch_values_and_gradients(case, seed):
    torch = pytest.importorskip("torch")
    dims, settings_ = case[0], case[4]
    arrays = _arrays(case, seed)
    ours = [ag.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    name = f"conv_transpose{dims}d"
    out = getattr(F, name)(ours[0], ours[1], *ours[2:], **settings_)
    expected = getattr(torch.nn.functional, name)(theirs[0], theirs[1], *theirs[2:], **settings_)
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = np.random.default_rng(seed + 1).standard_normal(out.shape)
    out.backward(cotangent)
    expected.backward(torch.tensor(cotangent))
    for ours_, theirs_ in zip(ours, theirs):
        np.testing.assert_allclose(ours_.grad.data, theirs_.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(case=transposed_case(), seed=st.integers(0, 2 ** 16))
def test_conv_transpose_is_the_definition(case, seed):
    dims, settings_ = case[0], case[4]
    arrays = _arrays(case, seed)
    out = getattr(F, f"conv_transpose{dims}d")(*arrays, **settings_)
    want = _reference(*arrays + [None] * (3 - len(arrays)), **settings_)
    assert out.shape == want.shape
    np.testing.assert_allclose(out.data, want, rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(case=transposed_case(), seed=st.integers(0, 2 ** 16))
def test_conv_transpose_is_the_input_gradient_of_conv(case, seed):
    """conv_transpose(g, w) is the gradient of conv(x, w) with respect to x, for the x whose size conv maps onto
    g's (output_padding being what conv's floor drops)."""
    dims, x_shape, w_shape, _, settings_ = case
    output_padding, stride = _per_axis(settings_["output_padding"], dims), _per_axis(settings_["stride"], dims)
    if any(op >= s for op, s in zip(output_padding, stride)):
        return  # (such an output_padding, allowed by the dilation, is no size conv could have taken)
    g, w = _arrays(case, seed)[:2]
    conv_settings = {k: settings_[k] for k in ("stride", "padding", "dilation", "groups")}
    y = getattr(F, f"conv_transpose{dims}d")(g, w, **settings_)
    x = ag.tensor(np.zeros(y.shape), requires_grad=True)
    weight = ag.tensor(w, requires_grad=True)
    out = getattr(F, f"conv{dims}d")(x, weight, **conv_settings)
    assert out.shape == g.shape
    out.backward(g)
    np.testing.assert_allclose(x.grad.data, y.data, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dims, settings_", [
    (1, {"stride": 2, "padding": 1, "output_padding": 1}),
    (2, {"stride": (2, 1), "padding": (0, 1), "dilation": (1, 2), "groups": 2}),
    (2, {"stride": 1, "output_padding": 1, "dilation": 2}),
    (3, {"stride": (1, 2, 1), "padding": (0, 1, 0)}),
])
def test_conv_transpose_gradients_to_second_order(dims, settings_):
    rng = np.random.default_rng(dims)
    groups = settings_.get("groups", 1)
    x = rng.standard_normal((1, 2, *(2,) * dims))
    w = rng.standard_normal((2, 3 - groups + 1, *(2,) * dims))
    b = rng.standard_normal(w.shape[1] * groups)
    f = getattr(F, f"conv_transpose{dims}d")

    def g(x, w, b):
        return (f(x, w, b, **settings_) ** 2).sum()  # squared: the second derivative is not zero

    assert gradcheck(g, x, w, b)
    assert gradgradcheck(g, x, w, b)


def test_conv_transpose_keeps_float32():
    x, w = np.ones((1, 2, 3, 3), np.float32), np.ones((2, 1, 2, 2), np.float32)
    y = F.conv_transpose2d(ag.tensor(x, requires_grad=True), ag.tensor(w), np.zeros(1, np.float32), stride=2)
    assert y.dtype == np.float32 and y.shape == (1, 1, 6, 6)


# ---- the layers ---------------------------------------------------------------------------------
def test_layers_parameters_and_initialisation_are_torchs():
    up = nn.ConvTranspose2d(6, 4, (3, 2), groups=2, rng=0)
    assert up.weight.shape == (6, 2, 3, 2) and up.bias.shape == (4,)
    assert up.weight.dtype == np.float32 and list(up.state_dict()) == ["weight", "bias"]
    # torch's fan_in, of the weight (in, out / groups, *kernel): weight.shape[1] * prod(kernel), 3 * 3 * 2 here (the
    # 400 input channels do not count); kaiming_uniform_(a=sqrt(5)) and the bias's bound are both 1/sqrt(fan_in)
    big = nn.ConvTranspose2d(400, 6, (3, 2), groups=2, rng=0)  # many draws reach near the bound, not past it
    assert big.weight.shape == (400, 3, 3, 2)
    bound = 1 / math.sqrt(3 * 3 * 2)
    assert bound * 0.9 < np.abs(big.weight.data).max() <= bound and np.abs(big.bias.data).max() <= bound
    wide = nn.ConvTranspose1d(200, 400, 1, groups=200, rng=0)  # 400 biases, fan_in 2 * 1: the bound 1/sqrt(2)
    assert 0.9 / math.sqrt(2) < np.abs(wide.bias.data).max() <= 1 / math.sqrt(2)
    assert abs(big.weight.data.std() - bound / math.sqrt(3)) < 0.05 * bound  # a uniform's std is its bound / sqrt 3
    assert repr(nn.ConvTranspose2d(4, 6, (3, 2), (2, 1), (1, 0), (1, 0), 2, False, 2)) == (  # torch's text
        "ConvTranspose2d(4, 6, kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(2, 2), "
        "output_padding=(1, 0), groups=2, bias=False)")
    assert nn.ConvTranspose1d(2, 3, 5, bias=False, dtype=np.float64, rng=0).bias is None
    assert nn.ConvTranspose3d(2, 3, 1, dtype=np.float64, rng=0).weight.dtype == np.float64
    np.testing.assert_array_equal(nn.ConvTranspose2d(1, 2, 3, rng=7).weight.data,
                                  nn.ConvTranspose2d(1, 2, 3, rng=7).weight.data)


@pytest.mark.parametrize("name, args, kwargs", [
    ("ConvTranspose1d", (2, 4, 3), {}),
    ("ConvTranspose1d", (2, 4, 3), {"stride": 2, "dilation": 2, "output_padding": 1, "bias": False}),
    ("ConvTranspose2d", (1, 8, 3), {"padding": 1, "stride": 2}),
    ("ConvTranspose2d", (4, 6, (3, 2)), {"stride": (2, 1), "padding": (1, 0), "output_padding": (1, 0), "dilation": 2,
                                         "groups": 2, "bias": False}),
    ("ConvTranspose3d", (2, 2, 2), {"stride": 2, "output_padding": 1}),
])
def test_layers_repr_state_dict_and_outputs_are_torchs(name, args, kwargs):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    ours = getattr(nn, name)(*args, **kwargs, dtype=np.float64)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert all(ours.state_dict()[key].shape == tuple(value.shape) for key, value in theirs.state_dict().items())
    ours.load_state_dict({key: value.detach().numpy() for key, value in theirs.state_dict().items()})
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal((2, args[0]) + (4,) * int(name[-2]))
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours(x[0]).data, theirs(torch.tensor(x[0])).detach().numpy(), rtol=1e-10, atol=1e-12)


def test_forward_output_size_picks_the_output_padding_as_torch():
    up = nn.ConvTranspose2d(2, 3, 3, stride=(2, 3), padding=1, rng=0, dtype=np.float64)
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 4))
    assert up(x).shape == (1, 3, 7, 10)  # the smallest sizes; output_size may add up to stride - 1
    for size in [(7, 10), (8, 12), [1, 3, 8, 11]]:
        y = up(x, output_size=size)
        assert y.shape == (1, 3) + tuple(size[-2:])
        want = F.conv_transpose2d(x, up.weight, up.bias, (2, 3), 1, (size[-2] - 7, size[-1] - 10))
        np.testing.assert_array_equal(y.data, want.data)
    assert up(x[0], output_size=(2, 8, 12)).shape == (3, 8, 12)  # unbatched: C before the spatial sizes
    torch = pytest.importorskip("torch")
    theirs = torch.nn.ConvTranspose2d(2, 3, 3, stride=(2, 3), padding=1).double()
    up.load_state_dict({key: value.detach().numpy() for key, value in theirs.state_dict().items()})
    for size in [(8, 11), (1, 3, 7, 12)]:
        np.testing.assert_allclose(up(x, output_size=size).data,
                                   theirs(torch.tensor(x), output_size=size).detach().numpy(), rtol=1e-10, atol=1e-12)


def test_layer_casts_its_input_and_trains():
    up = nn.ConvTranspose1d(1, 2, 3, stride=2, rng=0)
    x = ag.tensor(np.ones((1, 1, 4)), requires_grad=True)  # float64, cast to the layer's float32
    y = up(x)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float64 and up.weight.grad.shape == (1, 2, 3) and up.bias.grad.shape == (2,)


# ---- NaN and empty inputs ---------------------------------------------------------------------------
def test_conv_transpose_weight_gradient_nan_from_cropped_region():
    # NaN whose contributions are all cropped still makes the weight gradient NaN, as torch's
    x = np.array([[[np.nan, 1.0, 2.0, 3.0]]])
    _, (gx, gw) = value_and_grads(lambda x, w: F.conv_transpose1d(x, w, stride=2, padding=1), x, np.ones((1, 1, 1)))
    assert np.isnan(gw).all()  # the cropped output's gradient 0 times the NaN input, as torch's
    np.testing.assert_array_equal(gx.ravel(), [0.0, 1.0, 1.0, 0.0])
    torch = pytest.importorskip("torch")
    theirs = torch_value_and_grads(lambda x, w: torch.nn.functional.conv_transpose1d(x, w, stride=2, padding=1),
                                   x, np.ones((1, 1, 1)))
    np.testing.assert_array_equal(np.isnan(theirs[1][1]), np.isnan(gw))


# An input with an empty spatial axis (whose output size formula still gives a positive size) is refused naming the
# operation and the input's shape, as PyTorch refuses it; an empty batch still gives an empty output.
@pytest.mark.parametrize("dims,shape", [(1, (1, 2, 0)), (1, (2, 0)), (2, (1, 2, 0, 3)), (2, (2, 3, 0)),
                                        (3, (1, 2, 2, 0, 2)), (3, (2, 0, 1, 1))])
def test_empty_spatial_axis_refused_naming_the_operation(dims, shape):
    fn = getattr(F, f"conv_transpose{dims}d")
    weight = ag.tensor(np.ones((2, 1) + (2,) * dims))
    with pytest.raises(ValueError, match=rf"conv_transpose{dims}d: the input \(shape .*\) has an empty spatial axis"):
        fn(ag.tensor(np.ones(shape)), weight)
    layer = getattr(nn, f"ConvTranspose{dims}d")(2, 1, 2)
    with pytest.raises(ValueError, match="empty spatial axis"):
        layer(np.ones(shape, dtype=np.float32))


def test_empty_batch_still_gives_an_empty_output():
    x = ag.tensor(np.ones((0, 2, 3)), requires_grad=True)
    w = ag.tensor(np.ones((2, 1, 2)), requires_grad=True)
    y = F.conv_transpose1d(x, w, stride=2)
    assert y.shape == (0, 1, 6)
    y.sum().backward()
    assert x.grad.shape == (0, 2, 3) and w.grad.numpy().tolist() == [[[0.0, 0.0]], [[0.0, 0.0]]]


# ---- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), stride=2, output_padding=2),
     ValueError, r"conv_transpose2d: output_padding \(2, 2\) must be smaller than either stride \(2, 2\) or "
                 r"dilation \(1, 1\)"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), groups=3), ValueError,
     r"conv_transpose2d: the weight's 4 input channels \(shape \(4, 2, 3, 3\), its first axis\) do not divide into "
     r"groups=3"),
    (lambda: F.conv_transpose2d(np.ones((1, 3, 5, 5)), np.ones((4, 2, 3, 3))), ValueError,
     r"conv_transpose2d: Given transposed=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 4 "
     r"channels \(the weight's first axis\), but got 3 channels instead"),
    (lambda: F.conv_transpose1d(np.ones((3, 5)), np.ones((4, 2, 3))), ValueError,
     r"conv_transpose1d: .* but got 3 channels instead \(the input's shape is \(3, 5\)\)"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), padding=4), ValueError,
     r"conv_transpose2d: the output's spatial size would be \(-1, -1\) .* each must be at least 1"),
    (lambda: F.conv_transpose2d(np.ones((5, 5)), np.ones((4, 2, 3, 3))), ValueError,
     r"conv_transpose2d: Expected 3D \(unbatched\) or 4D \(batched\) input to conv_transpose2d, but got input of "
     r"size: \[5, 5\]"),
    (lambda: F.conv_transpose3d(np.ones((1, 1, 2, 2, 2)), np.ones((1, 1, 2, 2))), ValueError,
     r"conv_transpose3d: expected a 5-D weight \(in_channels, out_channels / groups, kD, kH, kW\), got shape "
     r"\(1, 1, 2, 2\)"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), np.ones(3)), ValueError,
     r"conv_transpose2d: expected a bias of shape \(2,\), one per output channel .* got \(3,\)"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 0))), ValueError,
     r"conv_transpose2d: the weight \(shape \(4, 2, 3, 0\)\) is empty"),
    (lambda: F.conv_transpose2d(np.ones((1, 0, 5, 5)), np.ones((0, 2, 3, 3))), ValueError,
     r"conv_transpose2d: the weight \(shape \(0, 2, 3, 3\)\) is empty; in_channels, out_channels / groups"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), stride=0), ValueError,
     "conv_transpose2d: stride must be"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), padding=-1), ValueError,
     "conv_transpose2d: padding must be"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), output_padding=-1), ValueError,
     "conv_transpose2d: output_padding must be"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), padding="same"), TypeError,
     "conv_transpose2d: padding must be"),
    (lambda: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), stride=(1, 1, 1)), ValueError,
     r"conv_transpose2d: stride must be an int or a tuple of 2 ints, got \(1, 1, 1\)"),
    (lambda: nn.ConvTranspose2d(4, 2, 3, padding_mode="reflect"), ValueError,
     'ConvTranspose2d: Only "zeros" padding mode is supported for ConvTranspose2d, as in PyTorch'),
    (lambda: nn.ConvTranspose2d(4, 3, 3, groups=2), ValueError,
     "ConvTranspose2d: out_channels=3 must be divisible by groups=2"),
    (lambda: nn.ConvTranspose1d(3, 4, 3, groups=2), ValueError,
     "ConvTranspose1d: in_channels=3 must be divisible by groups=2"),
    (lambda: nn.ConvTranspose2d(-2, 4, 3), ValueError, "ConvTranspose2d: in_channels must be an int >= 0, got -2"),
    (lambda: nn.ConvTranspose3d(1, 1, (1, 2)), ValueError, "ConvTranspose3d: kernel_size must be an int or a tuple"),
    (lambda: nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=2)(np.ones((1, 4, 5, 5))), ValueError,
     r"conv_transpose2d: output_padding \(2, 2\) must be smaller"),
    (lambda: nn.ConvTranspose2d(4, 2, 3, stride=2)(np.ones((1, 4, 5, 5)), output_size=(13, 12)), ValueError,
     r"ConvTranspose2d: requested an output size of \(13, 12\), but valid sizes range from \[11, 11\] to \[12, 12\] "
     r"\(for an input of spatial size \(5, 5\)\)"),
    (lambda: nn.ConvTranspose2d(4, 2, 3, stride=2)(np.ones((1, 4, 5, 5)), output_size=(13,)), ValueError,
     r"ConvTranspose2d: for a 4-D input, output_size must have 2 or 4 elements, got 1"),
    (lambda: nn.ConvTranspose2d(4, 2, 3, stride=2)(np.ones((4, 5, 5)), output_size=(1, 4, 11, 11)), ValueError,
     r"ConvTranspose2d: for a 3-D input, output_size must have 2 or 3 elements, got 4"),
    (lambda: nn.ConvTranspose2d(4, 2, 3)(np.ones((4, 5, 5)), output_size="big"), TypeError,
     "ConvTranspose2d: output_size must be"),
    (lambda: nn.ConvTranspose2d(4, 2, 3)(np.ones((5, 5)), output_size=(7, 7)), ValueError,
     r"ConvTranspose2d: Expected 3D \(unbatched\) or 4D \(batched\) input to ConvTranspose2d"),
])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("call", [
    lambda F: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), stride=2, output_padding=2),
    lambda F: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), groups=3),
    lambda F: F.conv_transpose2d(np.ones((1, 3, 5, 5)), np.ones((4, 2, 3, 3))),
    lambda F: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), padding=4),
    lambda F: F.conv_transpose2d(np.ones((5, 5)), np.ones((4, 2, 3, 3))),
    lambda F: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), np.ones(3)),
    lambda F: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), stride=0),
    lambda F: F.conv_transpose2d(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), output_padding=-1),
])
def test_torch_raises_on_the_same_calls(call):
    torch = pytest.importorskip("torch")

    def as_torch(*args, **kwargs):
        return torch.nn.functional.conv_transpose2d(*(torch.tensor(a) for a in args), **kwargs)

    with pytest.raises(RuntimeError):
        call(type("TorchF", (), {"conv_transpose2d": staticmethod(as_torch)}))
    with pytest.raises(ValueError):
        call(F)


# ---- transposed convolution layers of size 0 ----------------------------------------------------------------------
@pytest.mark.parametrize("dims", [1, 2, 3])
@pytest.mark.parametrize("in_channels, out_channels, groups", [(0, 3, 1), (0, 4, 2), (3, 0, 1), (4, 0, 2), (0, 0, 1)])
def test_transposed_convolutions_of_0_channels_build_and_refuse_the_forward_as_pytorchs(dims, in_channels,
                                                                                      out_channels, groups):
    """Built as PyTorch's: a zero-element weight (in_channels, out_channels / groups, *kernel), kaiming_uniform_'s
    warning, the bias from U(-1/sqrt(fan_in), ...) with fan_in = out_channels / groups * kernel (so random for
    in_channels=0, empty for out_channels=0). Their forward is refused, as PyTorch's is."""
    layer_type = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}[dims]
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        layer = layer_type(in_channels, out_channels, 3, groups=groups, rng=0)
    assert layer.weight.shape == (in_channels, out_channels // groups) + (3,) * dims
    bound = 1 / math.sqrt(out_channels // groups * 3 ** dims) if out_channels else 0
    assert layer.bias.shape == (out_channels,) and np.all(np.abs(layer.bias.data) <= bound)
    with pytest.raises(ValueError, match=rf"conv_transpose{dims}d: the weight \(shape .*\) is empty"):
        layer(np.ones((2, in_channels) + (4,) * dims, np.float32))
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        theirs = getattr(torch.nn, f"ConvTranspose{dims}d")(in_channels, out_channels, 3, groups=groups)
    assert tuple(theirs.weight.shape) == layer.weight.shape and tuple(theirs.bias.shape) == layer.bias.shape
    with pytest.raises(RuntimeError):
        theirs(torch.ones((2, in_channels) + (4,) * dims))
