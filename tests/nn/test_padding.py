"""Padding in nn (nn/_padding_functions.py, nn/padding.py) and the convolutions' padding_mode (nn/convolution.py):
F.pad's values and gradients as PyTorch's over Hypothesis-drawn shapes, widths (negative ones too) and modes, and as
a NumPy reference written from each mode's definition (which runs without torch); gradients and second derivatives by
finite differences; the padding layers' values, repr and rank checks; Conv1d/Conv2d/Conv3d with padding_mode against
PyTorch and a NumPy convolution; crops past the axis, empty batches and values the dtype cannot hold; and the
errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import torch_older_than

# PyTorch warns that its padding='same' may copy the input; the comparisons need not hear it
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

MODES = ("constant", "reflect", "replicate", "circular")


# ---- a NumPy reference, from each mode's definition ----------------------------------------------------------
def _source(n, before, after, mode):
    """For each entry of a padded axis, the entry of the input it holds (-1: the constant), as PyTorch defines each
    mode: entry j holds input entry j - before, reflected, clamped or (circular: of the input cut by the negative
    widths) wrapped."""
    j = np.arange(n + before + after)
    if mode == "circular":
        start = max(-before, 0)
        kept = n - start - max(-after, 0)
        return start + (j - max(before, 0)) % kept if kept else j * 0
    i = j - before
    if mode == "reflect":
        i = np.abs(i)
        return np.where(i >= n, 2 * (n - 1) - i, i)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    return np.where((i >= 0) & (i < n), i, -1)


def _reference(x, pad, mode, value=0.0, cotangent=None):
    """F.pad(x, pad, mode, value) and, given a cotangent, its gradient (the cotangent added back to the entries each
    entry of the result holds)."""
    pairs = [(0, 0)] * (x.ndim - len(pad) // 2) + [(pad[2 * i], pad[2 * i + 1]) for i in
                                                   reversed(range(len(pad) // 2))]
    sources = [_source(n, b, a, mode) for n, (b, a) in zip(x.shape, pairs)]
    index = np.ix_(*[np.maximum(s, 0) for s in sources])
    inside = np.ones((), dtype=bool)
    for axis, s in enumerate(sources):
        inside = inside & (s >= 0).reshape((-1,) + (1,) * (x.ndim - axis - 1))
    out = np.where(inside, x[index], value)
    if cotangent is None:
        return out
    grad = np.zeros_like(x)
    np.add.at(grad, index, np.where(inside, cotangent, 0))
    return out, grad


# ---- cases valid under PyTorch's rules ----------------------------------------------------------------------
@st.composite
def pad_case(draw, modes=MODES, max_side=4, max_axes=5):
    """(shape, pad, mode): a mode; 1 to 3 padded axes of an input with 1 or 2 axes more (any rank >= the padded
    axes for constant), at most max_axes in all; widths each as PyTorch takes them in that mode, negative ones (crops)
    too."""
    mode = draw(st.sampled_from(modes))
    k = draw(st.integers(0 if mode == "constant" else 1, min(3, max_axes - 1)))
    extra = draw(st.integers(0 if mode == "constant" else 1, min(2, max_axes - k)))
    shape = tuple(draw(st.integers(1, max_side)) for _ in range(k + extra))
    pad = []
    for n in reversed(shape[len(shape) - k:]):  # the last axis first
        if mode == "reflect":
            before, after = draw(st.integers(-n + 1, n - 1)), draw(st.integers(-n + 1, n - 1))
            while n + before + after < 1:
                before += 1
        elif mode == "replicate":
            before, after = draw(st.integers(-n, 5)), draw(st.integers(-n, 5))
            while n + before + after < 1:
                before += 1
        elif mode == "circular":  # cut by the negative widths (never to nothing), wrapped by at most what is left
            cut_before = draw(st.integers(0, n - 1))
            cut_after = draw(st.integers(0, n - 1 - cut_before))
            kept = n - cut_before - cut_after
            before = -cut_before if cut_before else draw(st.integers(0, kept))
            after = -cut_after if cut_after else draw(st.integers(0, kept))
        else:
            before, after = draw(st.integers(-n, 3)), draw(st.integers(-n, 3))
            while n + before + after < 0:
                before += 1
        pad += [before, after]
    return shape, tuple(pad), mode


def _inputs(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@settings(max_examples=150)
@given(case=pad_case(), value=st.sampled_from([0.0, 1.5, -2.0]), seed=st.integers(0, 2 ** 16))
def test_values_and_gradients_match_the_numpy_reference(case, value, seed):
    shape, pad, mode = case
    x = _inputs(shape, seed)
    leaf = ag.tensor(x, requires_grad=True)
    out = F.pad(leaf, pad, mode, value if mode == "constant" else None)
    cotangent = _inputs(out.shape, seed + 1)
    expected, grad = _reference(x, pad, mode, value, cotangent)
    np.testing.assert_array_equal(out.data, expected)
    out.backward(cotangent)
    np.testing.assert_allclose(leaf.grad.data, grad, rtol=1e-12, atol=1e-12)


@settings(max_examples=100)
@given(case=pad_case(), value=st.sampled_from([0.0, 1.5]), seed=st.integers(0, 2 ** 16))
def test_values_and_gradients_match_torch(case, value, seed):
    torch = pytest.importorskip("torch")
    shape, pad, mode = case
    x = _inputs(shape, seed)
    leaf, t = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out = F.pad(leaf, pad, mode, value if mode == "constant" else None)
    expected = torch.nn.functional.pad(t, pad, mode, value if mode == "constant" else None)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    cotangent = _inputs(out.shape, seed + 1)
    out.backward(cotangent)
    expected.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(leaf.grad.data, t.grad.numpy(), rtol=1e-12, atol=1e-12)


@settings(max_examples=25)
@given(case=pad_case(max_side=3, max_axes=3), seed=st.integers(0, 2 ** 16))
def test_gradients_to_second_order_by_finite_differences(case, seed):
    shape, pad, mode = case
    weights = None

    def f(x):
        nonlocal weights
        out = ag.sin(F.pad(x, pad, mode, 0.5 if mode == "constant" else None))
        weights = _inputs(out.shape, seed + 1) if weights is None else weights
        return out * weights

    assert gradcheck(f, _inputs(shape, seed), atol=1e-7, rtol=1e-6)
    assert gradgradcheck(f, _inputs(shape, seed), atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("pad, mode, expected", [
    ((2, 1), "reflect", [2, 1, 0, 1, 2, 3, 4, 3]),
    ((-1, 2), "reflect", [1, 2, 3, 4, 3, 2]),
    ((-6, 4), "reflect", [2, 1, 0]),          # the reflection of the whole input, cut: as PyTorch's
    ((3, -6), "replicate", [0, 0]),
    ((-1, 2), "circular", [1, 2, 3, 4, 1, 2]),  # cut first, then wrapped: as PyTorch's
    ((3, -2), "circular", [0, 1, 2, 0, 1, 2]),
    ((-5, 0), "circular", []),
    ((-2, 1), "constant", [2, 3, 4, 7]),
    ((-5, 0), "constant", []),
])
def test_negative_widths_crop_as_torch(pad, mode, expected):
    x = ag.tensor(np.arange(5.0).reshape(1, 1, 5))
    assert F.pad(x, pad, mode, 7.0 if mode == "constant" else None).data.ravel().tolist() == expected


def test_constant_pads_with_zeros_by_default():
    x = ag.tensor([[1.0, 2.0]])
    assert F.pad(x, (1, 2)).tolist() == F.pad(x, (1, 2), "constant", None).tolist() == [[0.0, 1.0, 2.0, 0.0, 0.0]]
    assert F.pad(x, (1, 0), "reflect", 0.0).tolist() == [[2.0, 1.0, 2.0]]  # (value 0 is no value, as in PyTorch)


def test_dtypes_are_kept():
    for mode in MODES:
        assert F.pad(np.ones((1, 3), dtype=np.float32), (1, 1), mode).dtype == np.float32
        ints = F.pad(np.arange(3).reshape(1, 3), (1, 1), mode)
        assert ints.dtype == np.int64
    assert F.pad(np.arange(3).reshape(1, 3), (1, 1), value=2.5).tolist() == [[2, 0, 1, 2, 2]]  # cast, as torch
    assert F.pad(ag.tensor(3.0), ()).item() == 3.0  # a 0-d input, nothing padded


# ---- the layers -----------------------------------------------------------------------------------------------
LAYERS = [(name, dims) for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular")
          for name, dims in ((f"{kind}Pad1d", 1), (f"{kind}Pad2d", 2), (f"{kind}Pad3d", 3))]


def _layer(lib, name, padding):
    cls = getattr(lib, name)
    return cls(padding, 2.5) if name.startswith("Constant") else cls(padding)


def _layer_case(name, dims, batched, padding):
    """(x, layer, padding as F.pad's tuple, mode): padding an int or a tuple of unequal widths (wider than the axis
    for replicate), on a batched or unbatched input."""
    padding = 1 if padding == "int" else tuple([2, 0, 1, 1, 0, 1][:2 * dims])
    if name.startswith("Replication") and padding != 1:
        padding = tuple(3 * p for p in padding)  # (wider than the axis: the edge repeated)
    x = _inputs((2,) * batched + (3,) + tuple([3, 4, 5][:dims]))
    pad = (padding,) * (2 * dims) if isinstance(padding, int) else padding
    mode = {"Zero": "constant", "Cons": "constant", "Refl": "reflect", "Repl": "replicate", "Circ": "circular"}
    return x, padding, pad, mode[name[:4]]


LAYER_CASES = pytest.mark.parametrize("name, dims, batched, padding", [
    (name, dims, batched, padding) for name, dims in LAYERS for batched in (True, False)
    for padding in ("int", "tuple")])


@LAYER_CASES
def test_layers_match_the_reference(name, dims, batched, padding):
    x, padding, pad, mode = _layer_case(name, dims, batched, padding)
    layer = _layer(nn, name, padding)
    leaf = ag.tensor(x, requires_grad=True)
    out = layer(leaf)
    cotangent = _inputs(out.shape, 1)
    expected, grad = _reference(x, pad, mode, 2.5 if name.startswith("Constant") else 0.0, cotangent)
    np.testing.assert_array_equal(out.data, expected)
    out.backward(cotangent)
    np.testing.assert_allclose(leaf.grad.data, grad, rtol=1e-12)
    assert layer.padding == pad and list(layer.state_dict()) == []


@LAYER_CASES
def test_layers_match_torch(name, dims, batched, padding):
    torch = pytest.importorskip("torch")
    x, padding, _, _ = _layer_case(name, dims, batched, padding)
    ours, theirs = _layer(nn, name, padding), _layer(torch.nn, name, padding)
    assert repr(ours) == repr(theirs)
    leaf, t = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours(leaf), theirs(t)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    cotangent = _inputs(out.shape, 1)
    out.backward(cotangent)
    expected.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(leaf.grad.data, t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name, dims", LAYERS)
def test_layers_check_the_input_rank_as_torch(name, dims):
    layer = _layer(nn, name, 1)
    too_few = np.ones((3,) * dims)
    if name.startswith(("Zero", "Constant")):  # any input with as many axes as padded, as PyTorch's
        assert layer(too_few).shape == (5,) * dims
        assert layer(np.ones((1,) * (dims + 3) + (3,) * dims)).shape == (1,) * (dims + 3) + (5,) * dims
        return
    for shape in (too_few, np.ones((1,) * 3 + (3,) * dims)):
        with pytest.raises(ValueError, match=rf"{name}: mode='\w+' with {dims} padded ax\w+ expects a {dims + 1}-D "
                                             rf"\(unbatched\) or {dims + 2}-D \(batched\) input"):
            layer(shape)


def test_reprs_as_torch():
    assert repr(nn.ZeroPad2d(1)) == "ZeroPad2d((1, 1, 1, 1))"
    assert repr(nn.ConstantPad1d((1, 2), 3)) == "ConstantPad1d(padding=(1, 2), value=3)"
    assert repr(nn.ConstantPad3d(0, 3.5)) == "ConstantPad3d(padding=(0, 0, 0, 0, 0, 0), value=3.5)"
    assert repr(nn.CircularPad1d(np.int64(2))) == "CircularPad1d((2, 2))"
    assert repr(nn.ReflectionPad2d([1, 2, 3, 4])) == "ReflectionPad2d((1, 2, 3, 4))"


def test_layers_in_a_model():
    model = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(1, 2, 3, rng=0), nn.CircularPad2d((0, 1, 0, 0)),
                          nn.Flatten())
    x = ag.tensor(np.ones((2, 1, 4, 4), dtype=np.float32), requires_grad=True)
    out = model(x)
    assert out.shape == (2, 2 * 4 * 5)
    out.sum().backward()
    assert x.grad.shape == x.shape


# ---- convolutions with padding_mode ---------------------------------------------------------------------------
def _numpy_conv(x, weight, bias, stride, dilation):
    """A convolution (cross-correlation) without padding, groups 1, in NumPy: the windows contracted with the weight."""
    dims = weight.ndim - 2
    spans = [d * (k - 1) + 1 for k, d in zip(weight.shape[2:], dilation)]
    windows = np.lib.stride_tricks.sliding_window_view(x, spans, axis=tuple(range(2, 2 + dims)))
    windows = windows[(Ellipsis,) + tuple(slice(None, None, d) for d in dilation)]  # the dilated kernel's taps
    windows = windows[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)]
    letters = "uvw"[:dims]
    kernel = "ijk"[:dims]
    out = np.einsum(f"nc{letters}{kernel},fc{kernel}->nf{letters}", windows, weight)
    return out + bias.reshape((-1,) + (1,) * dims)


@st.composite
def conv_mode_case(draw):
    dims = draw(st.integers(1, 3))
    mode = draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"]))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    if draw(st.booleans()):
        padding, stride = "same", (1,) * dims
        pads = [(d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation)]
    else:
        padding = tuple(draw(st.integers(0, 2)) for _ in range(dims))
        stride = tuple(draw(st.integers(1, 2)) for _ in range(dims))
        pads = [(p, p) for p in padding]
    # each side at least the padding + 1 (reflect's rule), and the padded input at least the dilated kernel
    sizes = tuple(max(draw(st.integers(1, 5)), max(p) + 1, d * (k - 1) + 1 - sum(p))
                  for p, k, d in zip(pads, kernel, dilation))
    batched = draw(st.booleans())
    return dims, mode, kernel, dilation, padding, stride, sizes, batched, pads


def _conv(case, seed):
    dims, mode, kernel, dilation, padding, stride, sizes, batched, pads = case
    conv = (nn.Conv1d, nn.Conv2d, nn.Conv3d)[dims - 1](2, 3, kernel, stride=stride, padding=padding, dilation=dilation,
                                                         padding_mode=mode, dtype=np.float64, rng=seed)
    return conv, _inputs((2,) * batched + (2,) + sizes, seed)


@settings(max_examples=40)
@given(case=conv_mode_case(), seed=st.integers(0, 2 ** 16))
def test_conv_padding_mode_matches_numpy(case, seed):
    """The input padded as F.pad does in that mode (zeros: constant), then convolved without padding, in NumPy."""
    dims, mode, kernel, dilation, padding, stride, sizes, batched, pads = case
    conv, x = _conv(case, seed)
    flat = [w for pair in reversed(pads) for w in pair]
    padded = _reference(x if batched else x[None], flat, "constant" if mode == "zeros" else mode)
    expected = _numpy_conv(padded, conv.weight.data, conv.bias.data, stride, dilation)
    np.testing.assert_allclose(conv(x).data, expected if batched else expected[0], rtol=1e-10, atol=1e-12)


@settings(max_examples=40)
@given(case=conv_mode_case(), seed=st.integers(0, 2 ** 16))
def test_conv_padding_mode_matches_torch(case, seed):
    torch = pytest.importorskip("torch")
    dims, mode, kernel, dilation, padding, stride, sizes, batched, pads = case
    conv, x = _conv(case, seed)
    theirs = (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)[dims - 1](
        2, 3, kernel, stride=stride, padding=padding, dilation=dilation, padding_mode=mode, dtype=torch.float64)
    theirs.load_state_dict({name: torch.tensor(value) for name, value in conv.state_dict().items()})
    leaf, t = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = conv(leaf), theirs(t)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = _inputs(out.shape, seed + 1)
    out.backward(cotangent)
    expected.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(leaf.grad.data, t.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(conv.weight.grad.data, theirs.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(conv.bias.grad.data, theirs.bias.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert repr(conv) == repr(theirs)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv_padding_mode_gradients_to_second_order(mode):
    conv = nn.Conv2d(1, 2, 3, padding=1, padding_mode=mode, dtype=np.float64, rng=0)
    x = _inputs((1, 1, 3, 4))
    weights = _inputs((1, 2, 3, 4), 1)
    assert gradcheck(lambda t: ag.sin(conv(t)) * weights, x, atol=1e-7, rtol=1e-6)
    assert gradgradcheck(lambda t: ag.sin(conv(t)) * weights, x, atol=1e-7, rtol=1e-6)


def test_conv_padding_mode_keeps_the_state_dict_and_shows_in_repr():
    plain, reflecting = nn.Conv2d(2, 3, 3, padding=1, rng=0), nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect",
                                                                        rng=0)
    assert list(plain.state_dict()) == list(reflecting.state_dict()) == ["weight", "bias"]
    reflecting.load_state_dict(plain.state_dict())
    assert repr(reflecting) == "Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), padding_mode=reflect)"
    assert repr(nn.Conv1d(1, 1, 3, padding="same", padding_mode="circular")) == (
        "Conv1d(1, 1, kernel_size=(3,), stride=(1,), padding=same, padding_mode=circular)")
    x = np.ones((1, 2, 5, 5), dtype=np.float32)  # a constant input: every mode pads it with the same ones
    inner = nn.Conv2d(2, 3, 3, padding=0, rng=0)(x).data[..., :1, :1]
    np.testing.assert_allclose(reflecting(x).data, np.broadcast_to(inner, (1, 3, 5, 5)), rtol=1e-6)


# ---- constant widths that crop past the axis, an empty batch, values the dtype cannot hold: as PyTorch's ----------
@pytest.mark.parametrize("shape, pad", [((1, 3), (0, 0, -2, 3)), ((1, 3), (3, 1, -2, 3)), ((3,), (-5, 3)),
                                        ((3,), (-4, 3)), ((2, 4), (2, -6))])
def test_constant_refuses_negative_widths_that_crop_past_the_axis(shape, pad):
    """A negative width that cuts more entries than the axis holds is refused, as PyTorch's narrow() refuses it;
    the result had n + before + after entries' worth of padding but not that many (3 zeros for (-2, 3) on 1 entry,
    where the widths say 2)."""
    with pytest.raises(ValueError, match=r"pad: widths .* the negative widths leave -?\d+ entries there; "
                                         r"mode='constant' needs at least 0"):
        F.pad(ag.tensor(np.ones(shape)), pad)
    with pytest.raises(ValueError, match="the negative widths leave"):
        nn.ConstantPad1d(pad[:2], 1.0)(np.ones(shape)) if len(pad) == 2 else F.pad(np.ones(shape), pad, value=2.0)


def test_constant_crop_to_exactly_nothing_then_pad_is_kept():
    """(-3, 1) on 3 entries cuts all three and pads one: PyTorch's answer, one entry of the value."""
    assert F.pad(ag.tensor([1.0, 2.0, 3.0]), (-3, 1), value=7.0).tolist() == [7.0]
    assert F.pad(ag.tensor(np.ones((2, 3))), (-3, 0)).shape == (2, 0)


def test_constant_crop_past_the_axis_is_refused_as_torch():
    torch = pytest.importorskip("torch")
    for shape, pad in [((1, 3), (0, 0, -2, 3)), ((3,), (-5, 3)), ((2, 4), (2, -6))]:
        with pytest.raises(RuntimeError):
            torch.nn.functional.pad(torch.ones(shape), pad)


@pytest.mark.parametrize("dims", [1, 2, 3])
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_an_empty_batch_pads_in_every_mode(mode, dims):
    """An empty batch (N = 0) is padded to an empty batch, as PyTorch's (reflect and replicate refused it, the
    batch axis's size 0 counted as a padded axis left with no entries); so do the layers and the padding_mode
    convolutions, and the gradient is an empty array."""
    x = ag.tensor(np.ones((0, 2) + (4,) * dims), requires_grad=True)
    y = F.pad(x, (1, 2) * dims, mode)
    assert y.shape == (0, 2) + (7,) * dims
    y.sum().backward()
    assert x.grad.shape == x.shape
    layer = getattr(nn, {"reflect": "ReflectionPad", "replicate": "ReplicationPad", "circular": "CircularPad"}[mode]
                    + f"{dims}d")(1)
    assert layer(np.ones((0, 2) + (4,) * dims)).shape == (0, 2) + (6,) * dims
    conv = getattr(nn, f"Conv{dims}d")(2, 3, 3, padding=1, padding_mode=mode, rng=0)
    assert conv(np.ones((0, 2) + (4,) * dims, dtype=np.float32)).shape == (0, 3) + (4,) * dims


def test_an_empty_batch_pads_as_torch():
    torch = pytest.importorskip("torch")
    for mode in ("reflect", "replicate", "circular"):
        expected = tuple(torch.nn.functional.pad(torch.ones(0, 2, 4, 4), (1, 2, 1, 2), mode).shape)
        assert F.pad(np.ones((0, 2, 4, 4)), (1, 2, 1, 2), mode).shape == expected


@pytest.mark.parametrize("dtype, value", [(np.uint8, -1), (np.uint8, 256), (np.uint8, -0.5), (np.uint8, 256.0),
                                          (np.int8, 128), (np.int8, -129), (np.int8, -128.5), (np.int32, 1e10),
                                          (np.int64, float("nan")), (np.int64, float("inf")), (np.int64, 9.3e18),
                                          (np.float16, 65519.0), (np.float16, -7e4), (np.float32, 1e39)])
def test_constant_refuses_a_value_the_dtype_cannot_hold(dtype, value):
    """A value beyond the input's dtype is refused, as PyTorch's 'value cannot be converted ... without overflow'
    (it was written as NumPy casts it: -1 and 256 wrapped to 255 and 0 in uint8, nan became garbage in int64,
    65519 became inf in float16)."""
    with pytest.raises(ValueError, match=rf"pad: value=.* cannot be written into the input's dtype "
                                         rf"{np.dtype(dtype).name} \(shape \(1, 2\)\) without overflow"):
        F.pad(np.ones((1, 2), dtype=dtype), (1, 1), value=value)
    with pytest.raises(ValueError, match="without overflow"):
        nn.ConstantPad1d(1, value)(np.ones((1, 2), dtype=dtype))


@pytest.mark.parametrize("dtype, value, expected", [(np.uint8, 255, 255), (np.uint8, 2.7, 2), (np.int8, -2.5, -2),
                                                    (np.uint8, 255.5, 255), (np.int8, 127.9, 127),
                                                    (np.int8, -128, -128), (np.float16, 65504.0, 65504.0),
                                                    (np.float16, float("inf"), float("inf")), (np.bool_, 0.5, True),
                                                    (np.int64, 2 ** 62 + 1, 2 ** 62 + 1)])
def test_constant_writes_a_value_that_fits_as_torch(dtype, value, expected):
    """Values within the dtype are written as PyTorch writes them (a fraction cut toward 0, so a float below max + 1
    fits, as in PyTorch 2.14; 2.13 refused 255.5 for uint8); an int exactly, also beyond 2**53 (it went through a
    float)."""
    out = F.pad(np.zeros((1, 2), dtype=dtype), (1, 0), value=value)
    assert out.dtype == dtype and out.data[0, 0].item() == expected


def test_the_refused_values_are_refused_by_torch():
    torch = pytest.importorskip("torch")
    for dtype, value in [(torch.uint8, -1), (torch.uint8, 256), (torch.uint8, 256.0), (torch.uint8, -0.5),
                         (torch.int8, -128.5), (torch.int64, float("nan")), (torch.float16, 65519.0),
                         (torch.float32, 1e39)]:
        with pytest.raises(RuntimeError, match="without overflow"):
            torch.nn.functional.pad(torch.ones(1, 2, dtype=dtype), (1, 1), value=value)


def test_a_float_below_max_plus_1_pads_as_torch():
    torch = pytest.importorskip("torch")
    if torch_older_than(torch, "2.14"):
        pytest.skip("PyTorch before 2.14 refuses a float above the dtype's max (255.5 for uint8); 2.14 and this "
                    "library cut its fraction")
    for dtype, value in [(np.uint8, 255.5), (np.int8, 127.9)]:
        expected = torch.nn.functional.pad(torch.ones(1, 2, dtype=getattr(torch, np.dtype(dtype).name)), (1, 0),
                                           value=value)
        np.testing.assert_array_equal(F.pad(np.ones((1, 2), dtype), (1, 0), value=value).data, expected.numpy())


# ---- errors ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: F.pad(np.ones((1, 3)), (1,)), ValueError,
     r"pad: pad \(1,\) has an odd length 1; it lists a \(left, right\) pair per padded axis"),
    (lambda: F.pad(np.ones((1, 3)), (1,) * 6), ValueError,
     r"pad: pad \(1, 1, 1, 1, 1, 1\) lists 3 \(left, right\) pairs, but the input \(shape \(1, 3\)\) has only 2 axes"),
    (lambda: F.pad(np.ones((1, 3)), 1), TypeError,
     r"pad: pad must be a tuple or list of ints, \(left, right\) pairs from the last axis backwards, got 1"),
    (lambda: F.pad(np.ones((1, 3)), (1.0, 1)), TypeError, r"pad: pad must be a tuple or list of ints"),
    (lambda: F.pad(np.ones((1, 3)), (True, 1)), TypeError, r"pad: pad must be a tuple or list of ints"),
    (lambda: F.pad(np.ones((1, 3)), (1, 1), mode="edge"), ValueError,
     "pad: mode='edge' is not supported; valid modes are 'constant', 'reflect', 'replicate', 'circular'"),
    (lambda: F.pad(np.ones((1, 3)), (1, 1), mode="zeros"), ValueError, "pad: mode='zeros' is not supported"),
    (lambda: F.pad(np.ones((1, 3)), (1, 1), value="a"), TypeError,
     r"pad: value must be a number \(or None, for 0\), got 'a'"),
    (lambda: F.pad(np.ones((1, 3)), (1, 1), mode="reflect", value=2.0), ValueError,
     "pad: mode='reflect' takes no value"),
    (lambda: F.pad(np.ones((1, 3)), (-4, 0)), ValueError,
     r"pad: widths \(-4, 0\) on axis 1 of size 3 \(input shape \(1, 3\)\): the result has -1 entries there; "
     r"mode='constant' needs at least 0"),
    (lambda: F.pad(np.ones(3), (1, 1), mode="reflect"), ValueError,
     r"pad: mode='reflect' with 1 padded axis expects a 2-D \(unbatched\) or 3-D \(batched\) input, \(N, C, W\) or "
     r"\(C, W\), got shape \(3,\)"),
    (lambda: F.pad(np.ones((1, 1, 3, 3)), (1, 1), mode="replicate"), ValueError,
     r"pad: mode='replicate' with 1 padded axis expects a 2-D .* got shape \(1, 1, 3, 3\)"),
    (lambda: F.pad(np.ones((1, 1, 1, 1, 1, 3)), (1,) * 8, mode="circular"), ValueError,
     r"pad: mode='circular' with 4 padded axes expects a pad of 2, 4 or 6 widths"),
    (lambda: F.pad(np.ones((1, 3)), (), mode="circular"), ValueError,
     r"pad: mode='circular' with 0 padded axes expects a pad of 2, 4 or 6 widths"),
    (lambda: F.pad(np.ones((1, 1, 3)), (3, 0), mode="reflect"), ValueError,
     r"pad: mode='reflect' needs each width less than the axis's size: widths \(3, 0\) on axis 2 of size 3"),
    (lambda: F.pad(np.ones((1, 2, 5)), (1, 1, 2, 0), mode="reflect"), ValueError,
     r"widths \(2, 0\) on axis 1 of size 2"),
    (lambda: F.pad(np.ones((1, 0, 3)), (1, 1), mode="reflect"), ValueError,
     r"pad: mode='reflect' needs an input with no empty axis but the batch \(axis 0 of a 3-D input\), got shape "
     r"\(1, 0, 3\)"),
    (lambda: F.pad(np.ones((1, 1, 5)), (-3, -2), mode="replicate"), ValueError,
     r"pad: widths \(-3, -2\) on axis 2 of size 5 .*the result has 0 entries there; mode='replicate' needs at least "
     r"1"),
    (lambda: F.pad(np.ones((1, 1, 3)), (4, 0), mode="circular"), ValueError,
     r"pad: mode='circular' needs each width at most the axis's size \(after any negative width has cut it\): "
     r"widths \(4, 0\) on axis 2 of size 3 .* would wrap around more than once"),
    (lambda: F.pad(np.ones((1, 1, 5)), (4, -2), mode="circular"), ValueError,
     r"widths \(4, -2\) on axis 2 of size 3 \(input shape \(1, 1, 3\)\) would wrap around more than once"),
    (lambda: F.pad(np.ones((1, 1, 5)), (-3, -3), mode="circular"), ValueError,
     r"pad: widths \(-3, -3\) on axis 2 of size 5 .*the negative widths leave -1 entries there"),
    (lambda: F.pad(np.ones((1, 1, 0)), (1, 1), mode="circular"), ValueError, "would wrap around more than once"),
    (lambda: F.pad(None, (1, 1)), TypeError, "pad: input must be a Tensor or an array of numbers"),
    (lambda: nn.ZeroPad2d((1, 2)), ValueError,
     r"ZeroPad2d: padding must be an int or a tuple of 4 ints, \(left, right, top, bottom\), got \(1, 2\) \(2 ints\)"),
    (lambda: nn.ReflectionPad1d(1.5), TypeError,
     r"ReflectionPad1d: padding must be an int or a tuple of 2 ints, \(left, right\), got 1.5"),
    (lambda: nn.CircularPad3d((1, 1, 1, 1, 1, True)), TypeError, "CircularPad3d: padding must be an int or a tuple"),
    (lambda: nn.ConstantPad1d(1, "a"), TypeError, "ConstantPad1d: value must be a number, got 'a'"),
    (lambda: nn.ConstantPad2d(1), TypeError, "value"),
    (lambda: nn.ReflectionPad1d(3)(np.ones((1, 3))), ValueError,
     r"pad: mode='reflect' needs each width less than the axis's size: widths \(3, 3\) on axis 1 of size 3"),
    (lambda: nn.Conv1d(1, 1, 3, padding=3, padding_mode="reflect")(np.ones((1, 1, 3))), ValueError,
     r"pad: mode='reflect' needs each width less than the axis's size"),
    (lambda: nn.Conv2d(1, 1, 3, padding=1, padding_mode="circular")(np.ones((1, 1, 1, 1, 4))), ValueError,
     r"Conv2d: expected input|pad: mode='circular' with 2 padded axes expects a 3-D \(unbatched\) or 4-D"),
    (lambda: nn.Conv2d(1, 1, 3, padding_mode=None), ValueError,
     "Conv2d: padding_mode must be one of 'zeros', 'reflect', 'replicate' or 'circular', got padding_mode=None"),
])
def test_errors_name_the_operation(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_errors_where_torch_raises():
    """Each refused call above that PyTorch has an answer for, PyTorch refuses too."""
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    for call in [lambda: tf.pad(torch.ones(1, 3), (1,)), lambda: tf.pad(torch.ones(1, 3), (1,) * 6),
                 lambda: tf.pad(torch.ones(1, 3), (1, 1), mode="reflect", value=2.0),
                 lambda: tf.pad(torch.ones(1, 3), (-4, 0)), lambda: tf.pad(torch.ones(3), (1, 1), mode="reflect"),
                 lambda: tf.pad(torch.ones(1, 1, 3, 3), (1, 1), mode="replicate"),
                 lambda: tf.pad(torch.ones(1, 1, 3), (3, 0), mode="reflect"),
                 lambda: tf.pad(torch.ones(1, 2, 5), (1, 1, 2, 0), mode="reflect"),
                 lambda: tf.pad(torch.ones(1, 0, 3), (1, 1), mode="reflect"),
                 lambda: tf.pad(torch.ones(1, 1, 5), (-3, -2), mode="replicate"),
                 lambda: tf.pad(torch.ones(1, 1, 3), (4, 0), mode="circular"),
                 lambda: tf.pad(torch.ones(1, 1, 5), (-3, -3), mode="circular"),
                 lambda: tf.pad(torch.ones(1, 1, 0), (1, 1), mode="circular"),
                 lambda: tf.pad(torch.ones(1, 3), (), mode="circular"),
                 lambda: torch.nn.ReflectionPad1d(3)(torch.ones(1, 3)),
                 lambda: torch.nn.CircularPad1d(1)(torch.ones(1, 1, 1, 3))]:
        with pytest.raises((RuntimeError, NotImplementedError, ValueError)):
            call()
