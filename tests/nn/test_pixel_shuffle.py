"""pixel_shuffle, pixel_unshuffle, channel_shuffle and Unflatten (nn/_rearranging_functions.py, nn/resampling.py):
against NumPy loops written from the index formulas (no torch needed) and against PyTorch over Hypothesis-drawn
shapes and factors, values and gradients; finite differences to second order; round trips with their inverses and
with Flatten; the layers' repr; the errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck


# ---- NumPy references, from the index formulas ------------------------------------------------------------------
def reference_pixel_shuffle(x, r):
    """out[..., c, h r + i, w r + j] = x[..., c r^2 + i r + j, h, w]."""
    *lead, channels, height, width = x.shape
    out = np.empty((*lead, channels // r ** 2, height * r, width * r), x.dtype)
    for c, h, w, i, j in np.ndindex(channels // r ** 2, height, width, r, r):
        out[..., c, h * r + i, w * r + j] = x[..., c * r * r + i * r + j, h, w]
    return out


def reference_channel_shuffle(x, groups):
    """out[:, j groups + g] = x[:, g (C / groups) + j]."""
    per = x.shape[1] // groups
    out = np.empty_like(x)
    for g, j in np.ndindex(groups, per):
        out[:, j * groups + g] = x[:, g * per + j]
    return out


@st.composite
def shuffle_case(draw):
    """An input shape (*, C r^2, H, W), with 0 to 2 leading axes, and r."""
    r = draw(st.integers(1, 3))
    lead = tuple(draw(st.integers(0, 2)) for _ in range(draw(st.integers(0, 2))))
    return lead + (draw(st.integers(1, 3)) * r * r, draw(st.integers(1, 3)), draw(st.integers(1, 3))), r


@settings(max_examples=30, deadline=None)
@given(case=shuffle_case(), seed=st.integers(0, 2 ** 16))
def test_pixel_shuffle_matches_numpy_loops_and_unshuffle_inverts_it(case, seed):
    shape, r = case
    rng = np.random.default_rng(seed)
    x = ag.tensor(rng.standard_normal(shape), requires_grad=True)
    out = F.pixel_shuffle(x, r)
    np.testing.assert_array_equal(out.data, reference_pixel_shuffle(x.data, r))
    np.testing.assert_array_equal(F.pixel_unshuffle(out, r).data, x.data)
    cotangent = rng.standard_normal(out.shape)
    out.backward(cotangent)
    np.testing.assert_array_equal(x.grad.data, F.pixel_unshuffle(cotangent, r).data)  # the inverse rearrangement


@settings(max_examples=30, deadline=None)
@given(groups=st.integers(1, 4), per=st.integers(1, 3), rest=st.lists(st.integers(0, 3), max_size=2),
       batch=st.integers(0, 2), seed=st.integers(0, 2 ** 16))
def test_channel_shuffle_matches_numpy_loops(groups, per, rest, batch, seed):
    rng = np.random.default_rng(seed)
    x = ag.tensor(rng.standard_normal((batch, groups * per, 1, *rest)), requires_grad=True)
    out = F.channel_shuffle(x, groups)
    np.testing.assert_array_equal(out.data, reference_channel_shuffle(x.data, groups))
    np.testing.assert_array_equal(F.channel_shuffle(out, per).data, x.data)  # (per groups undo it)
    cotangent = rng.standard_normal(out.shape)
    out.backward(cotangent)
    np.testing.assert_array_equal(x.grad.data, F.channel_shuffle(cotangent, per).data)


def test_second_derivatives_and_dtypes():
    x = np.random.default_rng(0).standard_normal((1, 8, 2, 2))
    for f in (lambda x: F.pixel_shuffle(x, 2) ** 3, lambda x: F.pixel_unshuffle(x, 2) ** 3,
              lambda x: F.channel_shuffle(x, 4) ** 3, lambda x: nn.Unflatten(1, (2, -1))(x) ** 3):
        assert gradcheck(f, x, atol=1e-7, rtol=1e-6) and gradgradcheck(f, x, atol=1e-7, rtol=1e-6)
    for dtype in (np.float32, np.int64, np.bool_):
        ints = np.arange(16).reshape(1, 4, 2, 2).astype(dtype)
        assert F.pixel_shuffle(ints, 2).dtype == F.channel_shuffle(ints, 2).dtype == dtype
        assert F.pixel_unshuffle(ints, 2).dtype == nn.Unflatten(1, (2, 2))(ints).dtype == dtype


def test_worked_examples():
    x = np.arange(8.0).reshape(8, 1, 1)
    assert F.pixel_shuffle(x, 2).shape == (2, 2, 2)
    assert F.pixel_shuffle(x, 2).data[1].tolist() == [[4.0, 5.0], [6.0, 7.0]]
    assert F.pixel_unshuffle(np.arange(4.0).reshape(1, 2, 2), 2).data.ravel().tolist() == [0.0, 1.0, 2.0, 3.0]
    assert F.channel_shuffle(np.arange(6.0).reshape(1, 6, 1), 3).data.ravel().tolist() == [0, 2, 4, 1, 3, 5]
    assert F.pixel_shuffle(np.ones((4, 0, 3)), 2).shape == (1, 0, 6)
    assert F.pixel_unshuffle(np.ones((0, 1, 2, 2)), 2).shape == (0, 4, 1, 1)  # (PyTorch's: (0, 1, 2, 2), unchanged)


def test_unflatten_is_flatten_s_partner():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    for start, end in ((1, -1), (0, 1), (1, 2), (-2, -1), (2, 2)):
        flat = nn.Flatten(start, end)(x)
        first, last = start % 4, end % 4
        back = nn.Unflatten(first, x.shape[first:last + 1])(flat)
        np.testing.assert_array_equal(back.data, x)
    assert nn.Unflatten(-1, (2, -1))(np.ones((3, 4))).shape == (3, 2, 2)
    assert nn.Unflatten(1, [4, 1, 1])(np.ones((3, 4))).shape == (3, 4, 1, 1)
    assert nn.Unflatten(1, (-1, 2))(np.ones((3, 0))).shape == (3, 0, 2)
    assert repr(nn.Unflatten(1, (2, 5))) == "Unflatten(dim=1, unflattened_size=(2, 5))"
    assert repr(nn.Unflatten(1, [2, -1])) == "Unflatten(dim=1, unflattened_size=[2, -1])"
    assert repr(nn.PixelShuffle(3)) == "PixelShuffle(upscale_factor=3)"
    assert repr(nn.PixelUnshuffle(2)) == "PixelUnshuffle(downscale_factor=2)"
    assert repr(nn.ChannelShuffle(2)) == "ChannelShuffle(groups=2)"


@pytest.mark.parametrize("call, error, match", [
    (lambda: F.pixel_shuffle(np.ones((4, 3)), 2), ValueError, r"at least 3 dimensions, got shape \(4, 3\)"),
    (lambda: F.pixel_shuffle(np.ones((5, 3, 3)), 2), ValueError, "divisible by upscale_factor\\*\\*2 = 4, got 5"),
    (lambda: F.pixel_shuffle(np.ones((4, 3, 3)), 0), ValueError, "upscale_factor must be a positive int, got 0"),
    (lambda: F.pixel_shuffle(np.ones((4, 3, 3)), 2.0), TypeError, "upscale_factor must be a positive int"),
    (lambda: F.pixel_unshuffle(np.ones((4, 3, 4)), 2), ValueError, r"height \(axis -2\) must be divisible .* got 3"),
    (lambda: F.pixel_unshuffle(np.ones((4, 4, 3)), 2), ValueError, r"width \(axis -1\) must be divisible .* got 3"),
    (lambda: F.pixel_unshuffle(np.ones((4, 4)), 2), ValueError, "at least 3 dimensions"),
    (lambda: F.pixel_unshuffle(np.ones((4, 4, 4)), -1), ValueError, "downscale_factor must be a positive int"),
    (lambda: F.channel_shuffle(np.ones((2, 4)), 2), ValueError, r"more than 2 dimensions, got shape \(2, 4\)"),
    (lambda: F.channel_shuffle(np.ones((2, 5, 3)), 2), ValueError, "got 5 channels .* and groups=2"),
    (lambda: F.channel_shuffle(np.ones((2, 4, 3)), 0), ValueError, "groups must be a positive int, got 0"),
    (lambda: F.channel_shuffle(np.ones((2, 4, 3)), True), TypeError, "groups must be a positive int"),
    (lambda: nn.ChannelShuffle(-2), ValueError, "ChannelShuffle: groups must be a positive int"),
    (lambda: nn.PixelShuffle("2"), TypeError, "PixelShuffle: upscale_factor must be a positive int"),
    (lambda: nn.Unflatten(1, (2, 2))(np.ones((3, 5))), ValueError, r"\(2, 2\) do not multiply up to the size 5"),
    (lambda: nn.Unflatten(1, ())(np.ones((3, 5))), ValueError, "must be non-empty"),
    (lambda: nn.Unflatten(1, (-1, -1))(np.ones((3, 4))), ValueError, "at most one -1"),
    (lambda: nn.Unflatten(1, (2, -2))(np.ones((3, 4))), ValueError, "ints >= 0"),
    (lambda: nn.Unflatten(1, (-1, 3))(np.ones((3, 4))), ValueError, "cannot infer the -1 .* 4 is no multiple of 3"),
    (lambda: nn.Unflatten(1, (-1, 0))(np.ones((3, 0))), ValueError, "ambiguous"),
    (lambda: nn.Unflatten(2, (1,))(np.ones((3, 4))), IndexError, "dim 2 is out of range .* valid dims are -2..1"),
    (lambda: nn.Unflatten(0, (1,))(np.float64(3.0)), ValueError, "cannot unflatten a 0-d input"),
    (lambda: nn.Unflatten(1, (2.0, 2)), TypeError, "element of type float at pos 0"),
    (lambda: nn.Unflatten(1, 4), TypeError, "unflattened_size must be a tuple or list of ints, got 4 of type int"),
    (lambda: nn.Unflatten(1.0, (2, 2)), TypeError, "Unflatten: dim must be an int"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- against PyTorch --------------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(case=shuffle_case(), seed=st.integers(0, 2 ** 16), groups=st.integers(1, 3))
def test_match_torch_values_and_gradients(case, seed, groups):
    torch = pytest.importorskip("torch")
    shape, r = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    calls = [("pixel_shuffle", r, x), ("pixel_unshuffle", r, F.pixel_shuffle(x, r).data)]
    if len(shape) >= 3:
        calls.append(("channel_shuffle", groups, np.repeat(x, groups, axis=1) + rng.standard_normal(1)))
    for name, factor, value in calls:
        ours, theirs = ag.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
        out, want = getattr(F, name)(ours, factor), getattr(torch.nn.functional, name)(theirs, factor)
        if not out.size:  # (PyTorch's pixel_unshuffle returns an empty input as it is, its backward fails)
            continue
        np.testing.assert_array_equal(out.data, want.detach().numpy())
        cotangent = rng.standard_normal(out.shape)
        out.backward(cotangent)
        want.backward(torch.tensor(cotangent))
        np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


@pytest.mark.parametrize("name, args, shape", [
    ("PixelShuffle", (2,), (3, 8, 2, 3)), ("PixelUnshuffle", (3,), (2, 6, 3)), ("ChannelShuffle", (3,), (2, 6, 4)),
    ("Unflatten", (1, (3, -1)), (2, 6, 4)), ("Unflatten", (-1, [2, 1, 2]), (2, 6, 4))])
def test_layers_match_torch(name, args, shape):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal(shape)
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    np.testing.assert_array_equal(ours(x).data, theirs(torch.tensor(x)).numpy())


@pytest.mark.parametrize("call", [  # (found by porting PyTorch's test_nn: these were plain ValueErrors)
    lambda F, t: F.pixel_shuffle(t(np.ones((4, 3))), 2),
    lambda F, t: F.pixel_shuffle(t(np.ones((5, 3, 3))), 2),
    lambda F, t: F.pixel_shuffle(t(np.ones((4, 3, 3))), 0),
    lambda F, t: F.pixel_unshuffle(t(np.ones((4, 3, 4))), 2),
    lambda F, t: F.pixel_unshuffle(t(np.ones((4, 4))), 2),
    lambda F, t: F.pixel_unshuffle(t(np.ones((4, 4, 4))), -1),
    lambda F, t: F.channel_shuffle(t(np.ones((1, 2))), 2),
    lambda F, t: F.channel_shuffle(t(np.ones((1, 3, 2, 2))), 2),
    lambda F, t: F.channel_shuffle(t(np.ones((1, 3, 2, 2))), 0),
])
def test_shape_and_factor_errors_are_runtime_errors_as_torch_s(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch.nn.functional, torch.tensor)
    with pytest.raises(RuntimeError) as raised:
        call(F, np.asarray)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("layer, value", [("PixelShuffle", 0), ("PixelUnshuffle", -2), ("ChannelShuffle", 0)])
def test_layers_refuse_a_factor_below_1_with_a_runtime_error_too(layer, value):
    # (PyTorch's refuse it when called, with RuntimeError; these refuse it when built, now with that class too)
    with pytest.raises(RuntimeError, match=f"{layer}: .* must be a positive int, got {value}") as raised:
        getattr(nn, layer)(value)
    assert isinstance(raised.value, ValueError)


def test_unflatten_size_of_a_float_is_refused_in_pytorchs_words():
    # found by porting PyTorch's test_nn.py (test_unflatten_invalid_arg's regex); the message said it otherwise
    torch = pytest.importorskip("torch")
    words = r"unflattened_size must be tuple of ints, but found element of type float at pos 2"
    with pytest.raises(TypeError, match=words):
        torch.nn.Unflatten(dim=1, unflattened_size=(2, 5, 5.0))
    with pytest.raises(TypeError, match=r"^Unflatten: " + words + r" \(of \(2, 5, 5\.0\)\)$"):  # (said twice)
        nn.Unflatten(dim=1, unflattened_size=(2, 5, 5.0))
