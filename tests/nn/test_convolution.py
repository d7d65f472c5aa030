"""Convolution and pooling (nn/_convolution_functions.py, nn/convolution.py): values and gradients as PyTorch's over
Hypothesis-drawn shapes, strides, paddings, dilations and groups (float64); gradients and second derivatives through
conv2d by finite differences; max pooling at ties (torch's first maximum); the layers' parameters, initialisation, repr
and state dict; the layers' settings as arrays; the errors; float16 average pooling and convolution rounded once; empty
spatial and channel axes; and a small CNN trained on the 8x8 digits."""
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import layer_results
from nn.data import train_val_test_split
from nn.datasets import load_digits

# PyTorch warns that its padding='same' may copy the input; the comparisons need not hear it
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")


def _torch_grads(torch, result, leaves, cotangent):
    result.backward(torch.tensor(cotangent))
    return [leaf.grad.numpy() for leaf in leaves]


def _our_grads(result, leaves, cotangent):
    result.backward(cotangent)
    return [leaf.grad.data for leaf in leaves]


@st.composite
def conv_case(draw):
    """dims (1 or 2), the input's and weight's shapes (batched or not), the bias or none, and the settings."""
    dims = draw(st.integers(1, 2))
    groups = draw(st.integers(1, 3))
    in_per_group, out_per_group = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    padding = draw(st.one_of(st.integers(0, 2), st.tuples(*[st.integers(0, 2)] * dims), st.just("valid"),
                             st.just("same")))
    if padding == "same":
        stride = (1,) * dims
    pads = (0,) * dims if isinstance(padding, str) else (padding,) * dims if isinstance(padding, int) else padding
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    size = tuple(max(1, span - 2 * p) + draw(st.integers(0, 3)) for span, p in zip(spans, pads))
    batch = draw(st.sampled_from([(), (1,), (2,)]))
    x_shape = batch + (in_per_group * groups,) + size
    w_shape = (out_per_group * groups, in_per_group) + kernel
    settings = {"stride": _one_or_all(draw, stride), "padding": padding, "dilation": _one_or_all(draw, dilation),
                "groups": groups}
    return dims, x_shape, w_shape, draw(st.booleans()), settings


def _one_or_all(draw, values):
    return values[0] if len(set(values)) == 1 and draw(st.booleans()) else values


@settings(max_examples=30)
@given(case=conv_case(), seed=st.integers(0, 2 ** 16))
def test_conv_matches_torch_values_and_gradients(case, seed):
    torch = pytest.importorskip("torch")
    dims, x_shape, w_shape, with_bias, settings_ = case
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(x_shape), rng.standard_normal(w_shape)] + (
        [rng.standard_normal(w_shape[0])] if with_bias else [])
    ours = [ag.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    bias = (ours[2], theirs[2]) if with_bias else (None, None)
    name = f"conv{dims}d"
    out = getattr(F, name)(ours[0], ours[1], bias[0], **settings_)
    expected = getattr(torch.nn.functional, name)(theirs[0], theirs[1], bias[1], **settings_)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = rng.standard_normal(out.shape)
    for got, want in zip(_our_grads(out, ours, cotangent), _torch_grads(torch, expected, theirs, cotangent)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@st.composite
def pool_case(draw, kind):
    """dims, the input's shape and the pooling settings (PyTorch's own limits: padding at most half the kernel)."""
    dims = draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims)) if kind == "max" else (1,) * dims
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    size = tuple(max(1, span - 2 * p) + draw(st.integers(0, 4)) for span, p in zip(spans, padding))
    shape = draw(st.sampled_from([(), (2,), (2, 1)])) + (2,) + size  # (C, ...), (N, C, ...) or more for 1-D
    shape = shape[-(dims + 2):]
    settings = {"kernel_size": _one_or_all(draw, kernel), "stride": draw(st.one_of(st.none(), st.just(stride))),
                "padding": _one_or_all(draw, padding), "ceil_mode": draw(st.booleans())}
    if kind == "max":
        settings["dilation"] = _one_or_all(draw, dilation)
    else:
        settings["count_include_pad"] = draw(st.booleans())
        if dims == 2 and draw(st.integers(0, 3)) == 0:
            settings["divisor_override"] = draw(st.integers(1, 5))
    return dims, shape, settings


def _pooled_sizes_valid(torch_fn, x, settings_):
    """PyTorch's own verdict on the settings (a ceil_mode window past the input may leave no window at all)."""
    try:
        torch_fn(x, **settings_)
    except RuntimeError:
        return False
    return True


@pytest.mark.parametrize("kind", ["max", "avg"])
@settings(max_examples=30)
@given(data=st.data())
def test_pooling_matches_torch_values_and_gradients(kind, data):
    torch = pytest.importorskip("torch")
    dims, shape, settings_ = data.draw(pool_case(kind))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    size = int(np.prod(shape))  # distinct values (no window holds a tie), most of them negative (below max
    values = (rng.permutation(size).reshape(shape) - 0.8 * size) / 7.0  # pooling's padding of -inf, not of 0)
    name = f"{kind}_pool{dims}d"
    theirs = torch.tensor(values, requires_grad=True)
    if not _pooled_sizes_valid(getattr(torch.nn.functional, name), theirs, settings_):
        with pytest.raises(ValueError):
            getattr(F, name)(values, **settings_)
        return
    expected = getattr(torch.nn.functional, name)(theirs, **settings_)
    ours = ag.tensor(values, requires_grad=True)
    out = getattr(F, name)(ours, **settings_)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    if not np.isfinite(out.data).all():  # a dilated window wholly in the padding: its max is -inf, a tie of
        return  # paddings (ours sends its gradient to them, so nowhere; PyTorch's to an input entry outside it)
    cotangent = rng.standard_normal(out.shape)
    np.testing.assert_allclose(_our_grads(out, [ours], cotangent)[0],
                               _torch_grads(torch, expected, [theirs], cotangent)[0], rtol=1e-12, atol=1e-12)


def test_conv2d_gradients_and_second_derivatives_match_finite_differences():
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((2, 4, 5, 4)), rng.standard_normal((2, 2, 2, 3)), rng.standard_normal(2)

    def f(x, w, b):  # a nonlinearity after the convolution: its cotangent depends on the inputs
        return ag.sin(F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2))

    assert gradcheck(f, x, w, b, atol=1e-7, rtol=1e-6)
    assert gradgradcheck(f, x, w, b, atol=1e-7, rtol=1e-6)


def test_pooling_second_derivatives_match_finite_differences():
    values = np.random.default_rng(1).permutation(2 * 25).reshape(2, 5, 5) / 10.0 - 4.0

    def f(x):
        return ag.sin(F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True) * F.avg_pool2d(x, 2, padding=1))

    assert gradgradcheck(f, values, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("dims", [1, 2])
@settings(max_examples=20)
@given(data=st.data())
def test_max_pool_gives_a_tie_s_gradient_to_the_first_maximum_as_torch(dims, data):
    torch = pytest.importorskip("torch")
    shape = (2, 3) + tuple(data.draw(st.integers(2, 7)) for _ in range(dims))
    kernel, stride = data.draw(st.integers(1, 2)), data.draw(st.integers(1, 3))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    values = rng.integers(-2, 3, shape).astype(float)  # five values: windows full of ties
    values[rng.random(shape) < 0.05] = np.nan  # a NaN is a window's maximum, as in PyTorch
    name = f"max_pool{dims}d"
    ours, theirs = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    out = getattr(F, name)(ours, kernel, stride)
    expected = getattr(torch.nn.functional, name)(theirs, kernel, stride)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    cotangent = rng.standard_normal(out.shape)
    np.testing.assert_allclose(_our_grads(out, [ours], cotangent)[0],  # (overlapping windows add in another order)
                               _torch_grads(torch, expected, [theirs], cotangent)[0], rtol=1e-12, atol=1e-12)


def test_max_pool_gives_a_tie_s_gradient_to_the_window_s_first_maximum():
    x = ag.tensor([[[1.0, 3.0], [3.0, 2.0]]], requires_grad=True)  # one 2x2 window, its maximum twice
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[[0.0, 1.0], [0.0, 0.0]]])


def test_max_pool_sends_a_window_of_minus_inf_entries_gradient_to_its_first_entry_not_the_padding():
    # The padding's -inf tied with the input's and took the gradient; PyTorch's starts at the first input entry.
    x = ag.tensor([[-np.inf, -np.inf, 1.0]], requires_grad=True)
    F.max_pool1d(x, 3, stride=1, padding=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.0, 2.0]])
    x = ag.tensor(np.full((1, 3, 3), -np.inf), requires_grad=True)
    F.max_pool2d(x, 2, padding=1, dilation=(1, 2)).sum().backward()  # windows cut by the padding above and left
    np.testing.assert_array_equal(x.grad.data, [[[0.0, 2.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 0.0]]])  # as torch


def test_float32_in_float32_out():
    x = ag.tensor(np.ones((1, 2, 5, 5)), dtype=np.float32, requires_grad=True)
    w = ag.tensor(np.ones((3, 2, 3, 3)), dtype=np.float32, requires_grad=True)
    results = [F.conv2d(x, w, padding="same"), F.max_pool2d(x, 2, padding=1), F.avg_pool2d(x, 3, ceil_mode=True),
               F.avg_pool2d(x, 2, padding=1, count_include_pad=False)]
    assert all(y.dtype == np.float32 for y in results)
    sum(y.sum() for y in results).backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_same_padding_keeps_the_size_with_the_odd_pad_on_the_right_as_torch():
    torch = pytest.importorskip("torch")
    x, w = np.random.default_rng(2).standard_normal((1, 1, 7)), np.random.default_rng(3).standard_normal((1, 1, 4))
    ours = F.conv1d(x, w, padding="same", dilation=1)
    assert ours.shape == (1, 1, 7)
    np.testing.assert_allclose(ours.data, torch.nn.functional.conv1d(torch.tensor(x), torch.tensor(w),
                                                                     padding="same").numpy(), rtol=1e-12)


def test_max_pool_of_integers_keeps_the_dtype():
    out = F.max_pool1d(np.array([[3, -7, 2, 9]]), 2, padding=1)
    assert out.dtype == np.int64 and out.tolist() == [[3, 2, 9]]


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.uint16])
def test_max_pool_of_small_integers_keeps_their_dtype_as_torch(dtype):  # NumPy's sum widened them to 64 bits
    x = np.array([[[3, 7, 2, 9, 1]]], dtype=dtype)
    for out in F.max_pool1d(x, 2), F.max_pool1d(x, 3, padding=1, ceil_mode=True), F.max_pool2d(x, (1, 2)):
        assert out.dtype == dtype
    assert F.max_pool1d(x, 2).tolist() == [[[7, 9]]]


# ---- the layers ---------------------------------------------------------------------------------
def test_conv_layers_parameters_and_initialisation_are_torchs():
    conv = nn.Conv2d(6, 4, (3, 2), groups=2, rng=0)
    assert conv.weight.shape == (4, 3, 3, 2) and conv.bias.shape == (4,)
    assert conv.weight.dtype == np.float32 and [name for name, _ in conv.named_parameters()] == ["weight", "bias"]
    bound = 1 / math.sqrt(3 * 3 * 2)  # kaiming_uniform_(a=sqrt(5)) and the bias's bound are both 1/sqrt(fan_in)
    big = nn.Conv2d(6, 400, (3, 2), groups=2, rng=0)  # many draws: they reach near the bound, not past it
    for p in (big.weight, big.bias):
        assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.9 * bound
    assert nn.Conv1d(2, 3, 5, bias=False, dtype=np.float64, rng=0).bias is None
    assert nn.Conv1d(2, 3, 5, dtype=np.float64, rng=0).weight.dtype == np.float64
    same = [nn.Conv2d(1, 2, 3, rng=7).weight.data, nn.Conv2d(1, 2, 3, rng=7).weight.data]
    np.testing.assert_array_equal(*same)


@pytest.mark.parametrize("name, args, kwargs", [
    ("Conv1d", (2, 4, 3), {"padding": "same"}),
    ("Conv1d", (2, 4, 3), {"stride": 2, "dilation": 2, "bias": False}),
    ("Conv2d", (1, 8, 3), {"padding": 1}),
    ("Conv2d", (4, 6, (3, 2)), {"stride": (2, 1), "padding": (1, 0), "dilation": 2, "groups": 2, "bias": False}),
    ("Conv2d", (2, 2, 2), {"padding": "valid"}),
    ("MaxPool1d", (3,), {}),
    ("MaxPool2d", ((2, 3),), {"stride": 1, "padding": 1, "dilation": 2, "ceil_mode": True}),
    ("AvgPool1d", (3, 1, 1), {}),
    ("AvgPool2d", ((2, 3),), {"ceil_mode": True, "count_include_pad": False, "divisor_override": 2}),
])
def test_layers_repr_and_outputs_are_torchs(name, args, kwargs):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    if name.startswith("Conv"):
        ours = getattr(nn, name)(*args, **kwargs, dtype=np.float64)
        ours.load_state_dict({key: value.detach().numpy() for key, value in theirs.state_dict().items()})
        channels = args[0]
    else:
        ours, channels = getattr(nn, name)(*args, **kwargs), 3
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal((2, channels) + (7,) * int(name[-2]))
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10, atol=1e-12)


def test_conv_layer_casts_its_input_to_its_dtype_differentiably():
    conv = nn.Conv2d(1, 2, 3, rng=0)
    x = ag.tensor(np.ones((1, 1, 4, 4)), requires_grad=True)  # float64
    y = conv(x)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float64 and conv.weight.grad.shape == (2, 1, 3, 3)


def test_state_dict_round_trip(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, rng=0), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(4 * 3 * 3, 5, rng=2))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "4.weight", "4.bias"]
    nn.save(model.state_dict(), tmp_path / "cnn.npz")
    other = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, rng=9), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(4 * 3 * 3, 5, rng=9))
    x = np.random.default_rng(0).standard_normal((2, 1, 6, 6)).astype(np.float32)
    assert not np.allclose(other(x).data, model(x).data)
    other.load_state_dict(nn.load(tmp_path / "cnn.npz"))
    np.testing.assert_array_equal(other(x).data, model(x).data)


# The layers take an array of sizes as the tuple it holds, as PyTorch's (their _ntuple iterates it); nn.functional's
# settings refuse arrays, as PyTorch's functions do.
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_convolution_layers_take_arrays_of_sizes(dims):
    kernel, stride, padding = np.array([3, 2, 1][:dims]), np.array([1, 2, 1][:dims]), np.array([1, 0, 1][:dims])
    conv = getattr(nn, f"Conv{dims}d")(2, 4, kernel, stride=stride, padding=padding, rng=0)
    same = getattr(nn, f"Conv{dims}d")(2, 4, tuple(kernel.tolist()), stride=tuple(stride.tolist()),
                                       padding=tuple(padding.tolist()), rng=0)
    assert repr(conv) == repr(same) and conv.kernel_size == tuple(kernel.tolist())
    x = np.random.default_rng(0).random((1, 2) + (5,) * dims).astype(np.float32)
    assert np.array_equal(conv(x).data, same(x).data)


def test_functions_still_refuse_arrays_as_torch():
    with pytest.raises(TypeError, match="conv2d: stride must be a positive int"):
        F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=np.array([1, 1]))


@pytest.mark.parametrize("kernel, error", [(np.array([3, 3]), ValueError), (np.array([3.0, 3.0, 3.0]), TypeError),
                                           (np.array([[3, 3, 3]]), TypeError)])
def test_arrays_of_the_wrong_length_or_kind_are_still_refused(kernel, error):
    with pytest.raises(error, match="Conv3d: kernel_size must be"):
        nn.Conv3d(2, 4, kernel)


def test_conv_layer_array_settings_as_torch():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Conv2d(2, 4, np.array([3, 2]), stride=np.array([1, 2]))
    assert tuple(layer(torch.ones(1, 2, 5, 5)).shape) == nn.Conv2d(2, 4, np.array([3, 2]), stride=np.array([1, 2]))(
        np.ones((1, 2, 5, 5), np.float32)).shape


# ---- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: F.conv2d(np.ones((1, 3, 5, 5)), np.ones((4, 2, 3, 3)), groups=2), ValueError,
     r"conv2d: Given groups=2, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 4 channels \(2 "
     r"per group\), but got 3 channels instead \(the input's shape is \(1, 3, 5, 5\)\)"),
    (lambda: F.conv2d(np.ones((1, 3, 5, 5)), np.ones((4, 2, 3, 3))), ValueError,
     r"Given groups=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 2 channels, but got 3 "
     r"channels instead"),
    (lambda: F.conv1d(np.ones((3, 5)), np.ones((4, 2, 3))), ValueError,
     r"conv1d: Given groups=1, .* to have 2 channels, but got 3 channels instead \(the input's shape is \(3, 5\)\)"),
    (lambda: F.conv2d(np.ones((1, 4, 5, 5)), np.ones((3, 2, 3, 3)), groups=2), ValueError,
     r"conv2d: the weight's 3 output channels \(shape \(3, 2, 3, 3\)\) do not divide into groups=2"),
    (lambda: F.conv2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3))), ValueError,
     r"conv2d: Calculated padded input size per channel: \(2 x 2\). Kernel size: \(3 x 3\). Kernel size can't be "
     r"greater than actual input size \(the kernel \(3, 3\) with dilation \(1, 1\)\)"),
    (lambda: F.conv1d(np.ones((1, 1, 4)), np.ones((1, 1, 2)), dilation=4), ValueError, r"Kernel size: \(5\)"),
    (lambda: F.conv2d(np.ones((5, 5)), np.ones((1, 1, 3, 3))), ValueError,
     r"conv2d: Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[5, 5\] \(the "
     r"layout is \(N, C, H, W\) or without N\)"),
    (lambda: F.conv1d(np.ones((1, 1, 1, 5)), np.ones((1, 1, 3))), ValueError,
     r"conv1d: Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d, but got input of size: \[1, 1, 1, 5\]"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 3, 3))), ValueError,
     r"conv2d: expected a 4-D weight \(out_channels, in_channels / groups, kH, kW\), got shape \(1, 3, 3\)"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), np.ones(3)), ValueError,
     r"conv2d: expected a bias of shape \(2,\), one per output channel, got \(3,\)"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 0, 3))), ValueError,  # (named sliding_windows)
     r"conv2d: the weight's kernel \(shape \(1, 1, 0, 3\)\) is empty"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=2, padding="same"), ValueError,
     "conv2d: padding='same' is not supported for strided convolutions"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), padding="full"), ValueError,
     "conv2d: Invalid padding string 'full': padding must be an int, a tuple of 2 ints, 'valid' or 'same'"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=(1, 1, 1)), ValueError,
     r"conv2d: stride must be an int or a tuple of 2 ints, got \(1, 1, 1\)"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=0), ValueError, "conv2d: stride must be"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), padding=-1), ValueError,
     "conv2d: padding must be"),
    (lambda: F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), groups=0), ValueError, "conv2d: groups must be"),
    (lambda: F.max_pool2d(np.ones((1, 1, 4, 4)), 2, padding=2), ValueError,
     r"max_pool2d: padding \(2, 2\) must be at most half the kernel size \(2, 2\)"),
    (lambda: F.avg_pool1d(np.ones((1, 5)), 3, padding=2), ValueError,
     r"avg_pool1d: padding \(2,\) must be at most half the kernel size \(3,\)"),
    (lambda: F.max_pool2d(np.ones((1, 1, 2, 2)), 3), ValueError,
     r"max_pool2d: the input's spatial size \(2, 2\) with padding \(0, 0\) is smaller than the kernel \(3, 3\)"),
    (lambda: F.max_pool2d(np.ones(4), 2), ValueError,
     r"max_pool2d: expected a 3-D or 4-D input, \(N, C, H, W\) or \(C, H, W\), got shape \(4,\)"),
    (lambda: F.max_pool1d(np.ones((1, 4)), 2, return_indices=1.0), TypeError,
     "max_pool1d: return_indices must be True or False"),
    (lambda: F.avg_pool1d(np.ones((1, 4), dtype=int), 2), TypeError, "avg_pool1d: expected a float input, got int64"),
    (lambda: F.avg_pool2d(np.ones((1, 4, 4)), 2, divisor_override=0), ValueError,
     "avg_pool2d: divisor_override must be"),
    (lambda: F.max_pool2d(np.ones((1, 4, 4)), 2, stride=np.array([2, 2])), TypeError,
     r"max_pool2d: stride must be a positive int, got array\(\[2, 2\]\)"),
    (lambda: F.avg_pool1d(np.ones((1, 4)), 2, stride=np.array([])), TypeError, "avg_pool1d: stride must be"),
    (lambda: F.avg_pool2d(np.ones((1, 4, 4)), 2, count_include_pad="no"), TypeError,
     "avg_pool2d: count_include_pad must be True or False, got 'no'"),
    (lambda: nn.Conv2d(3, 4, 3, groups=2), ValueError, "Conv2d: in_channels=3 must be divisible by groups=2"),
    (lambda: nn.Conv2d(4, 3, 3, groups=2), ValueError, "Conv2d: out_channels=3 must be divisible by groups=2"),
    (lambda: nn.Conv1d(1, 1, 3, stride=2, padding="same"), ValueError,
     "Conv1d: padding='same' is not supported for strided convolutions"),
    (lambda: nn.Conv2d(1, 1, 3, padding_mode="zero"), ValueError,
     "Conv2d: padding_mode must be one of 'zeros', 'reflect', 'replicate' or 'circular', got padding_mode='zero'"),
    (lambda: nn.Conv2d(1, 1, 0), ValueError, "Conv2d: kernel_size must be"),
    (lambda: nn.Conv2d(-1, 1, 3), ValueError, "Conv2d: in_channels must be an int >= 0, got -1"),
    (lambda: nn.Conv2d(1, 1, 3, dtype=np.int64), TypeError, "Conv2d: dtype must be a float dtype"),
    (lambda: nn.MaxPool2d(2, padding=3), ValueError, r"MaxPool2d: padding \(3, 3\) must be at most half"),
    (lambda: nn.AvgPool1d(2, ceil_mode="yes"), TypeError, "AvgPool1d: ceil_mode must be True or False"),
    (lambda: nn.Conv2d(2, 2, 3, rng=0)(np.ones((1, 3, 5, 5))), ValueError,
     r"conv2d: Given groups=1, weight of size \[2, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 2 channels"),
])
def test_errors_name_the_operation_and_the_numbers(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- float16: average pooling and convolutions add their terms in float32 and round once, as PyTorch's kernels --
def _ulps(value, exact):
    """How many float16 ulps value is from exact (float64) rounded to float16."""
    rounded = exact.astype(np.float16)
    return np.max(np.abs(value.astype(np.float64) - rounded) / np.spacing(np.abs(rounded)).astype(np.float64))


def _data(shape, seed=1):
    return np.random.default_rng(seed).random(shape).astype(np.float16)


@pytest.mark.parametrize("call", [
    lambda x: F.avg_pool1d(x.reshape(1, 8, -1), 32),
    lambda x: F.avg_pool2d(x, 16),
    lambda x: F.avg_pool2d(x, 8, 4, 2, count_include_pad=False),
    lambda x: F.avg_pool2d(x, 16, divisor_override=200),
    lambda x: F.avg_pool3d(x[None], (1, 16, 16)),
    lambda x: F.adaptive_avg_pool1d(x.reshape(1, 8, -1), 3),
    lambda x: F.adaptive_avg_pool2d(x, 3),
    lambda x: F.adaptive_avg_pool2d(x, 2),
    lambda x: F.adaptive_avg_pool3d(x[None], (1, 3, 3)),
])
def test_average_pooling_of_float16_is_rounded_once(call):
    # (added in float16, they were 2 to 16 ulps off)
    x = _data((1, 2, 64, 64))
    out = call(ag.tensor(x))
    exact = call(ag.tensor(x.astype(np.float64))).data
    assert out.dtype == np.float16
    assert _ulps(out.data, exact) <= 1


def test_average_pooling_of_float16_keeps_float16_gradients():
    x = ag.tensor(_data((1, 2, 9, 9)), requires_grad=True)
    (F.adaptive_avg_pool2d(x, 4).sum() + F.avg_pool2d(x, 3, 2, 1).sum()).backward()
    assert x.grad.dtype == np.float16
    exact = ag.tensor(x.data.astype(np.float64), requires_grad=True)
    (F.adaptive_avg_pool2d(exact, 4).sum() + F.avg_pool2d(exact, 3, 2, 1).sum()).backward()
    assert _ulps(x.grad.data, exact.grad.data) <= 1


def test_a_small_float16_convolution_is_rounded_once():
    x, w = _data((1, 16, 5, 5)), _data((2, 16, 3, 3), 2)
    exact = F.conv2d(ag.tensor(x.astype(np.float64)), ag.tensor(w.astype(np.float64))).data
    assert _ulps(F.conv2d(ag.tensor(x), ag.tensor(w)).data, exact) <= 1


def test_float16_average_pooling_as_torch():
    torch = pytest.importorskip("torch")
    x = _data((1, 2, 64, 64))
    tf = torch.nn.functional
    assert np.array_equal(F.avg_pool2d(ag.tensor(x), 16).data, tf.avg_pool2d(torch.tensor(x), 16).numpy())
    assert np.array_equal(F.adaptive_avg_pool2d(ag.tensor(x), 3).data,
                          tf.adaptive_avg_pool2d(torch.tensor(x), 3).numpy())


# ---- empty inputs ----------------------------------------------------------------------------------------------
# Padded, an input with an empty spatial axis gave a result made of no input (the bias, -inf, 0) where PyTorch
# raises; an empty batch or channel axis gives the empty result.
EMPTY_SPATIAL = [
    (lambda: F.conv1d(np.zeros((2, 3, 0)), np.zeros((4, 3, 2)), padding=1), "conv1d"),
    (lambda: F.conv1d(np.zeros((3, 0)), np.zeros((4, 3, 1)), padding=1), "conv1d"),
    (lambda: F.conv2d(np.zeros((1, 3, 0, 4)), np.zeros((4, 3, 1, 1)), padding=1), "conv2d"),
    (lambda: F.conv3d(np.zeros((1, 2, 2, 0, 2)), np.zeros((1, 2, 1, 1, 1)), padding=(0, 1, 0)), "conv3d"),
    (lambda: nn.Conv1d(3, 4, 3, padding="same")(np.zeros((2, 3, 0))), "conv1d"),
    (lambda: nn.Conv2d(3, 4, 1, padding=1)(np.zeros((1, 3, 0, 4))), "conv2d"),
    (lambda: F.max_pool1d(np.zeros((1, 3, 0)), 2, padding=1), "max_pool1d"),
    (lambda: F.max_pool2d(np.zeros((1, 3, 0, 2)), 2, padding=1), "max_pool2d"),
    (lambda: F.max_pool3d(np.zeros((1, 3, 2, 0, 2)), 2, padding=1), "max_pool3d"),
    (lambda: F.avg_pool1d(np.zeros((3, 0)), 2, padding=1), "avg_pool1d"),
    (lambda: F.avg_pool2d(np.zeros((1, 3, 0, 2)), 2, padding=1), "avg_pool2d"),
    (lambda: nn.MaxPool1d(2, padding=1)(np.zeros((1, 3, 0))), "max_pool1d"),
]


@pytest.mark.parametrize("call, where", EMPTY_SPATIAL, ids=[f"{w}-{i}" for i, (_, w) in enumerate(EMPTY_SPATIAL)])
def test_an_empty_spatial_axis_is_refused_naming_the_function(call, where):
    with pytest.raises(ValueError, match=rf"{where}: the input \(shape .*\) has an empty spatial axis; each spatial "
                                         rf"size must be at least 1 \(only the batch or channel axis may be empty\)"):
        call()


def test_an_empty_batch_or_channel_axis_still_gives_the_empty_result_as_pytorchs():
    assert F.conv2d(np.zeros((0, 3, 0, 4)), np.zeros((4, 3, 1, 1)), padding=1).shape == (0, 4, 2, 6)
    assert F.max_pool2d(np.zeros((0, 3, 0, 2)), 2, padding=1).shape == (0, 3, 1, 2)
    assert F.avg_pool1d(np.zeros((0, 0)), 2, padding=1).shape == (0, 1)


# pooling an empty channel axis: the empty result (torch refuses most)
@pytest.mark.parametrize("name, shape, expected", [
    ("max_pool2d", (2, 0, 4, 4), (2, 0, 2, 2)), ("avg_pool2d", (2, 0, 4, 4), (2, 0, 2, 2)),
    ("adaptive_avg_pool2d", (2, 0, 4, 4), (2, 0, 2, 2)), ("adaptive_max_pool2d", (2, 0, 4, 4), (2, 0, 2, 2)),
    ("max_pool1d", (2, 0, 4), (2, 0, 2)), ("avg_pool1d", (2, 0, 4), (2, 0, 2)), ("max_pool2d", (0, 4, 4), (0, 2, 2)),
])
def test_pooling_empty_channels(name, shape, expected):
    x = ag.tensor(np.zeros(shape), requires_grad=True)
    y = getattr(F, name)(x, 2)
    assert y.shape == expected
    y.sum().backward()
    assert x.grad.shape == shape


# ---- a small CNN on the digits -------------------------------------------------------------------
def test_small_cnn_learns_the_digits_in_seconds():
    X, y = load_digits()
    X = (X / np.float32(16)).reshape(-1, 1, 8, 8)
    (X_train, y_train), _, (X_test, y_test) = train_val_test_split(X, y, val=0, test=0.2, rng=0)
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(8 * 4 * 4, 10, rng=rng))
    start = time.perf_counter()
    nn.fit(model, nn.CrossEntropyLoss(), nn.optim.Adam(model.parameters(), lr=1e-2), (X_train, y_train), epochs=12,
           batch_size=32, progress=False, rng=rng)
    seconds = time.perf_counter() - start
    with ag.no_grad():
        accuracy = float((model(X_test).data.argmax(axis=1) == y_test).mean())
    print(f"digits CNN: test accuracy {accuracy:.4f} in {seconds:.2f} s")
    assert accuracy >= 0.97
    assert seconds < 10


# ---- convolution layers of size 0 ---------------------------------------------------------------------------------
ZERO_ELEMENT_WARNING = "Initializing zero-element tensors is a no-op"
CONVOLUTIONS = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}


@pytest.mark.parametrize("dims", [1, 2, 3])
@pytest.mark.parametrize("in_channels, out_channels, groups", [(0, 3, 1), (0, 4, 2), (3, 0, 1), (4, 0, 2), (0, 0, 1)])
def test_convolutions_of_0_channels_build_as_pytorchs_and_sum_over_no_input(dims, in_channels, out_channels, groups):
    """PyTorch's Conv(0, 3) builds a (3, 0, k) weight (kaiming_uniform_'s warning) and a bias of 0 (its bound 0 for
    fan_in 0). Its forward differs, and ours is kept: PyTorch gives an output of 0 channels for an input of 0
    (the bias dropped, its gradient 0) and refuses out_channels=0 ("expected weight to be at least 1 at
    dimension 0"); ours is the sum over no input channels, the bias broadcast (as Linear(0, n), PyTorch's too),
    and an empty output for no output channels (as Linear(n, 0))."""
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        layer = CONVOLUTIONS[dims](in_channels, out_channels, 3, groups=groups, rng=0)
    assert layer.weight.shape == (out_channels, in_channels // groups) + (3,) * dims
    if in_channels == 0:
        np.testing.assert_array_equal(layer.bias.data, np.zeros(out_channels))
    output, (x_grad,), grads = layer_results(layer, [np.ones((2, in_channels) + (4,) * dims, np.float32)])
    assert output.shape == (2, out_channels) + (2,) * dims and not output.any()
    np.testing.assert_array_equal(x_grad, np.zeros((2, in_channels) + (4,) * dims))
    assert grads["weight"].shape == layer.weight.shape
    cotangent = np.arange(1, output.size + 1).reshape(output.shape)
    np.testing.assert_array_equal(grads["bias"], cotangent.sum(axis=(0,) + tuple(range(2, 2 + dims))))
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        theirs = getattr(torch.nn, f"Conv{dims}d")(in_channels, out_channels, 3, groups=groups)
    assert tuple(theirs.weight.shape) == layer.weight.shape and tuple(theirs.bias.shape) == layer.bias.shape
    if in_channels == 0:
        np.testing.assert_array_equal(theirs.bias.detach().numpy(), layer.bias.data)


def test_convolution_layers_refuse_negative_channels_and_groups_0():
    with pytest.raises(ValueError, match="Conv1d: out_channels must be an int >= 0, got -3"):
        nn.Conv1d(2, -3, 3)
    with pytest.raises(ValueError, match="Conv3d: groups must be a positive integer, got 0"):
        nn.Conv3d(0, 0, 3, groups=0)  # PyTorch's words
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        lazy = nn.LazyConv2d(3, 3, rng=0)
        assert lazy(np.ones((1, 0, 4, 4))).shape == (1, 3, 2, 2)  # in_channels=0 inferred, as PyTorch's
    assert lazy.in_channels == 0


@pytest.mark.parametrize("dims, groups", [(1, 1), (2, 1), (2, 2), (3, 1)])
def test_conv_results_are_laid_out_in_c_order_so_view_flattens_them_as_in_pytorch(dims, groups):
    # CS231n's three_layer_convnet flattens F.relu(F.conv2d(...)) with x.view(N, -1), which needs C order
    rng = np.random.default_rng(dims)
    x = rng.standard_normal((4, 4) + (8,) * dims)  # the input larger than the weight
    w = rng.standard_normal((6, 4 // groups) + (3,) * dims)
    b = rng.standard_normal(6)
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[dims]
    y = F.relu(conv(ag.tensor(x), ag.tensor(w, requires_grad=True), ag.tensor(b), padding=1, groups=groups))
    assert y.data.flags.c_contiguous
    flat = y.view(4, -1)
    assert np.may_share_memory(flat.data, y.data) and flat.shape == (4, 6 * 8 ** dims)
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(x, ((0, 0), (0, 0)) + ((1, 1),) * dims),
                                                       (3,) * dims, axis=tuple(range(2, 2 + dims)))
    letters = "uvw"[:dims], "ijk"[:dims]
    grouped = windows.reshape(4, groups, 4 // groups, *windows.shape[2:])
    expected = np.einsum(f"ngc{letters[0]}{letters[1]},gfc{letters[1]}->ngf{letters[0]}", grouped,
                         w.reshape(groups, 6 // groups, 4 // groups, *(3,) * dims)).reshape(4, 6, *(8,) * dims)
    expected = np.maximum(expected + b.reshape(6, *(1,) * dims), 0)
    np.testing.assert_allclose(flat.data, expected.reshape(4, -1), rtol=1e-12, atol=1e-12)
    torch = pytest.importorskip("torch")
    tconv = {1: torch.nn.functional.conv1d, 2: torch.nn.functional.conv2d, 3: torch.nn.functional.conv3d}[dims]
    theirs = torch.relu(tconv(torch.tensor(x), torch.tensor(w), torch.tensor(b), padding=1, groups=groups))
    assert theirs.is_contiguous()
    np.testing.assert_allclose(flat.data, theirs.view(4, -1).numpy(), rtol=1e-10, atol=1e-12)



@pytest.mark.parametrize("kernel, stride, groups", [(1, 2, 1), (1, 1, 1), (3, 1, 4), (3, 2, 2)])
def test_conv_weight_gradient_is_laid_out_in_c_order_so_view_flattens_it_as_in_pytorch(kernel, stride, groups):
    # DARTS' architect concatenates torch.autograd.grad(loss, model.parameters()) with g.view(-1)
    rng = np.random.default_rng(kernel + stride)
    x, w = rng.standard_normal((2, 4, 8, 8)), rng.standard_normal((8, 4 // groups, kernel, kernel))
    weight = ag.tensor(w, requires_grad=True)
    (grad,) = ag.autograd.grad(F.conv2d(ag.tensor(x), weight, stride=stride, groups=groups).sum(), [weight])
    assert grad.data.flags.c_contiguous and grad.view(-1).shape == (w.size,)
    size = (8 - kernel) // stride + 1  # the output's height and width
    expected = np.zeros_like(w)  # d(sum of the outputs)/dw: the sum of the windows each weight entry meets
    per_group = 8 // groups
    for f in range(8):
        channels = slice((f // per_group) * (4 // groups), (f // per_group + 1) * (4 // groups))
        for i in range(kernel):
            for j in range(kernel):
                expected[f, :, i, j] = x[:, channels, i:i + stride * size:stride,
                                         j:j + stride * size:stride].sum(axis=(0, 2, 3))
    np.testing.assert_allclose(grad.data, expected, rtol=1e-13, atol=1e-13)
    torch = pytest.importorskip("torch")
    tw = torch.tensor(w, requires_grad=True)
    (theirs,) = torch.autograd.grad(torch.nn.functional.conv2d(torch.tensor(x), tw, stride=stride, groups=groups)
                                    .sum(), [tw])
    np.testing.assert_allclose(grad.data, theirs.view(-1).numpy().reshape(w.shape), rtol=1e-13, atol=1e-13)


def _gradient_penalty(lib, functional, interpolates, conv_weight, conv_bias, linear_weight):
    """WGAN-GP's penalty (improved-WGAN PyTorch ports): ((|d critic / d input|_2 - 1) ** 2).mean() * 10."""
    def critic(x):
        hidden = functional.leaky_relu(functional.conv2d(x, conv_weight, conv_bias, stride=2, padding=1), 0.2)
        return functional.linear(hidden.reshape(hidden.shape[0], -1), linear_weight)
    scores = critic(interpolates)
    gradients = lib.autograd.grad(outputs=scores, inputs=interpolates, grad_outputs=lib.ones(tuple(scores.shape),
                                  dtype=lib.float64), create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradients = gradients.view(gradients.shape[0], -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean() * 10


def _penalty_arrays():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(2, 3, 1, 6, 6))
    alpha = rng.uniform(size=(3, 1, 1, 1))
    return (alpha * real + (1 - alpha) * fake, rng.normal(0, 0.5, (2, 1, 3, 3)), rng.normal(0, 0.5, 2),
            rng.normal(0, 0.5, (1, 18)))


def test_gradient_penalty_second_order_through_conv_leaky_relu_linear_against_finite_differences():
    interpolates, *weights = _penalty_arrays()

    def penalty(conv_weight, conv_bias, linear_weight):
        return _gradient_penalty(ag, F, ag.tensor(interpolates, requires_grad=True), conv_weight, conv_bias,
                                 linear_weight)
    assert gradcheck(penalty, *weights)


def test_gradient_penalty_value_and_parameter_gradients_match_torch():
    torch = pytest.importorskip("torch")
    interpolates, *weights = _penalty_arrays()
    ours = [ag.tensor(w, requires_grad=True) for w in weights]
    theirs = [torch.tensor(w, requires_grad=True) for w in weights]
    value = _gradient_penalty(ag, F, ag.tensor(interpolates, requires_grad=True), *ours)
    expected = _gradient_penalty(torch, torch.nn.functional, torch.tensor(interpolates, requires_grad=True), *theirs)
    value.backward()
    expected.backward()
    np.testing.assert_allclose(value.item(), expected.item(), rtol=1e-13)
    for mine, reference in zip(ours[::2], theirs[::2]):  # the weights
        np.testing.assert_allclose(mine.grad.data, reference.grad.numpy(), rtol=1e-12, atol=1e-14)
    # the input gradient reads the bias only through leaky_relu's slope mask, whose derivative is 0: both record
    # that link (leaky_relu_backward, masked_gradient here) and give zeros
    np.testing.assert_array_equal(ours[1].grad.data, theirs[1].grad.numpy())
    assert not ours[1].grad.data.any()


# ---- _conv_forward(input, weight, bias), PyTorch's private method that quantisation-aware subclasses call with a
# fake-quantised weight (lsq-net's QuanConv2d) ------------------------------------------------------------------------
@pytest.mark.parametrize("padding_mode", ["zeros", "reflect"])
def test_conv_forward_convolves_with_the_weight_given_as_pytorchs(padding_mode):
    rng = np.random.default_rng(0)
    conv = nn.Conv2d(2, 3, 3, padding=1, padding_mode=padding_mode, dtype=np.float64, rng=0)
    x, weight = rng.standard_normal((2, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    ours = conv._conv_forward(ag.tensor(x), ag.tensor(weight), None)
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="constant" if padding_mode == "zeros" else "reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))  # (N, C, 5, 5, 3, 3)
    np.testing.assert_allclose(ours.data, np.einsum("nchwij,ocij->nohw", windows, weight), rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(conv(x).data, conv._conv_forward(x, conv.weight, conv.bias).data)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Conv2d(2, 3, 3, padding=1, padding_mode=padding_mode).double()
    expected = theirs._conv_forward(torch.tensor(x), torch.tensor(weight), None).detach().numpy()
    np.testing.assert_allclose(ours.data, expected, rtol=1e-13, atol=1e-13)
