"""unfold and fold (nn/_fold_functions.py, nn.Unfold, nn.Fold): values and gradients as PyTorch's over
Hypothesis-drawn settings (float64, batched and unbatched), and without torch against the definition in NumPy (a
column per block), the adjoint identity <unfold(x), c> = <x, fold(c)> and fold(unfold(x)) = x times the number of
blocks covering each entry; gradients and second derivatives by finite differences; integer inputs, output_size and
the layers' settings as integer arrays; the layers' repr; the errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck


@st.composite
def block_case(draw):
    """An image shape (batched or not) and settings (each an int or a pair) leaving at least one block."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    size = tuple(max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 4))
                 for k, d, p in zip(kernel, dilation, padding))
    shape = draw(st.sampled_from([(), (1,), (2,)])) + (draw(st.integers(1, 3)),) + size
    settings_ = {name: value[0] if value[0] == value[1] and draw(st.booleans()) else value
                 for name, value in (("kernel_size", kernel), ("dilation", dilation), ("padding", padding),
                                     ("stride", stride))}
    return shape, settings_


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def _reference_unfold(x, kernel_size, dilation, padding, stride):
    """The definition: block (i, j) of the zero-padded image, read at (i stride + a dilation, j stride + b dilation),
    is column i * blocks_W + j, its rows ordered by channel, then a, then b."""
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = map(_pair, (kernel_size, dilation, padding, stride))
    padded = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(ph, ph), (pw, pw)])
    bh = (padded.shape[-2] - dh * (kh - 1) - 1) // sh + 1
    bw = (padded.shape[-1] - dw * (kw - 1) - 1) // sw + 1
    columns = np.zeros(x.shape[:-3] + (x.shape[-3] * kh * kw, bh * bw))
    for i in range(bh):
        for j in range(bw):
            block = padded[..., i * sh: i * sh + dh * (kh - 1) + 1: dh, j * sw: j * sw + dw * (kw - 1) + 1: dw]
            columns[..., i * bw + j] = block.reshape(*x.shape[:-3], -1)
    return columns


@settings(max_examples=40, deadline=None)
@given(case=block_case(), seed=st.integers(0, 2 ** 16))
def test_unfold_and_fold_match_torch_values_and_gradients(case, seed):
    torch = pytest.importorskip("torch")
    shape, settings_ = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    ours, theirs = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    columns, expected = F.unfold(ours, **settings_), torch.nn.functional.unfold(theirs, **settings_)
    np.testing.assert_array_equal(columns.data, expected.detach().numpy())
    c = rng.standard_normal(columns.shape)
    columns.backward(c)
    expected.backward(torch.tensor(c))
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12, atol=1e-12)
    ours, theirs = ag.tensor(c, requires_grad=True), torch.tensor(c, requires_grad=True)
    image = F.fold(ours, shape[-2:], **settings_)
    expected = torch.nn.functional.fold(theirs, shape[-2:], **settings_)
    np.testing.assert_allclose(image.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    image.backward(x)
    expected.backward(torch.tensor(x))
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


@settings(max_examples=40, deadline=None)
@given(case=block_case(), seed=st.integers(0, 2 ** 16))
def test_unfold_is_the_definition_and_fold_its_adjoint(case, seed):
    shape, settings_ = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    columns = F.unfold(x, **settings_)
    np.testing.assert_array_equal(columns.data, _reference_unfold(x, **settings_))
    c = rng.standard_normal(columns.shape)
    image = F.fold(c, shape[-2:], **settings_)
    assert image.shape == shape
    np.testing.assert_allclose((columns.data * c).sum(), (x * image.data).sum(), rtol=1e-10, atol=1e-10)
    # fold(unfold(x)) is x times the number of blocks covering each entry (fold of columns of ones)
    counts = np.zeros(shape[-2:])
    ones = _reference_unfold(np.ones((1,) + shape[-2:]), **settings_)
    for index in np.ndindex(*shape[-2:]):
        probe = np.zeros((1,) + shape[-2:])
        probe[(0,) + index] = 1
        counts[index] = (_reference_unfold(probe, **settings_) * ones).sum()
    np.testing.assert_allclose(F.fold(columns, shape[-2:], **settings_).data, x * counts, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("settings_", [
    {"kernel_size": 2},
    {"kernel_size": (2, 1), "dilation": (1, 2), "padding": 1, "stride": (2, 1)},
])
def test_unfold_and_fold_gradients_to_second_order(settings_):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 3, 3))
    columns = F.unfold(x, **settings_)
    c = rng.standard_normal(columns.shape)
    assert gradcheck(lambda x: (F.unfold(x, **settings_) ** 2).sum(), x)
    assert gradgradcheck(lambda x: (F.unfold(x, **settings_) ** 2).sum(), x)
    assert gradcheck(lambda c: (F.fold(c, (3, 3), **settings_) ** 2).sum(), c)
    assert gradgradcheck(lambda c: (F.fold(c, (3, 3), **settings_) ** 2).sum(), c)


def test_unfold_and_fold_keep_float32_and_unbatched_layout():
    x = np.arange(2 * 4 * 5, dtype=np.float32).reshape(2, 4, 5)
    columns = F.unfold(x, (2, 3))
    assert columns.dtype == np.float32 and columns.shape == (2 * 6, 3 * 3)
    np.testing.assert_array_equal(columns.data, F.unfold(x[None], (2, 3)).data[0])
    image = F.fold(columns, (4, 5), (2, 3))
    assert image.dtype == np.float32 and image.shape == (2, 4, 5)


def test_unfold_and_fold_of_integers_keep_the_dtype():
    x = np.arange(2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    columns = F.unfold(x, 2)
    assert columns.dtype == np.int64  # torch raises for Long (but takes bool)
    np.testing.assert_array_equal(columns.data, F.unfold(ag.tensor(x.astype(float)), 2).data)
    image = F.fold(columns, (4, 4), 2)
    assert image.dtype == np.int64
    np.testing.assert_array_equal(image.data, F.fold(ag.tensor(columns.data.astype(float)), (4, 4), 2).data)


# fold's output_size, and the layers' settings, as a 1-D integer array or Tensor (as PyTorch's layers take them)
@pytest.mark.parametrize("size", [np.array([4, 4]), ag.tensor(np.array([4, 4], np.int32)), np.array([4, 4], np.uint8)],
                         ids=["ndarray", "Tensor", "uint8"])
def test_fold_output_size_array(size):
    columns = np.random.default_rng(1).normal(size=(2, 12, 9))
    np.testing.assert_array_equal(F.fold(columns, size, 2).data, F.fold(columns, (4, 4), 2).data)
    torch = pytest.importorskip("torch")
    expected = torch.nn.functional.fold(torch.tensor(columns), torch.tensor([4, 4]), 2).numpy()
    np.testing.assert_allclose(F.fold(columns, size, 2).data, expected, rtol=1e-12)


def test_fold_output_size_float_array_refused():
    with pytest.raises(TypeError, match=r"fold: output_size must be a positive int, got array\(\[4\., 4\.\]\)"):
        F.fold(np.zeros((2, 12, 9)), np.array([4.0, 4.0]), 2)
    with pytest.raises(ValueError, match=r"fold: output_size must be an int or a tuple of 2 ints, got \(4, 4, 4\)"):
        F.fold(np.zeros((2, 12, 9)), np.array([4, 4, 4]), 2)


@pytest.mark.parametrize("size", [np.array([4, 4]), np.array([4, 4], np.int32), ag.tensor([4, 4])])
def test_fold_layer_takes_an_integer_array_output_size_as_f_fold(size):
    cols = np.random.default_rng(0).standard_normal((1, 4, 9))
    layer = nn.Fold(size, 2)
    assert layer.output_size == (4, 4)
    np.testing.assert_array_equal(layer(cols).data, F.fold(ag.tensor(cols), (4, 4), 2).data)


def test_fold_and_unfold_layers_take_integer_array_settings_as_pytorch_layers():
    x = np.random.default_rng(1).standard_normal((1, 2, 5, 5))
    layer = nn.Unfold(np.array([2, 2]), dilation=np.array([1, 2]), padding=np.array([1, 0]), stride=np.array([2, 1]))
    expected = F.unfold(ag.tensor(x), (2, 2), dilation=(1, 2), padding=(1, 0), stride=(2, 1))
    np.testing.assert_array_equal(layer(x).data, expected.data)
    assert "kernel_size=(2, 2)" in repr(layer)
    with pytest.raises(TypeError, match="Fold: output_size"):
        nn.Fold(np.array([4.0, 4.0]), 2)  # floats stay refused, as PyTorch's


def test_layers_repr_and_outputs_are_torchs():
    layers = [(nn.Unfold(2), "Unfold(kernel_size=2, dilation=1, padding=0, stride=1)"),
              (nn.Unfold((2, 3), dilation=2, padding=1, stride=(1, 2)),
               "Unfold(kernel_size=(2, 3), dilation=2, padding=1, stride=(1, 2))"),
              (nn.Fold((5, 6), 2), "Fold(output_size=(5, 6), kernel_size=2, dilation=1, padding=0, stride=1)")]
    for layer, text in layers:
        assert repr(layer) == text
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 6))
    np.testing.assert_array_equal(layers[2][0](layers[0][0](x)).data,
                                  F.fold(F.unfold(x, 2), (5, 6), 2).data)
    torch = pytest.importorskip("torch")
    assert repr(torch.nn.Unfold((2, 3), dilation=2, padding=1, stride=(1, 2))) == layers[1][1]
    assert repr(torch.nn.Fold((5, 6), 2)) == layers[2][1]
    np.testing.assert_array_equal(layers[1][0](x).data, torch.nn.Unfold((2, 3), 2, 1, (1, 2))(torch.tensor(x)).numpy())


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.unfold(np.ones((5, 6)), 2), ValueError,
     r"unfold: expected a 3-D \(unbatched\) or 4-D \(batched\) input, \(N, C, H, W\) or without N, got shape "
     r"\(5, 6\)"),
    (lambda: F.unfold(np.ones((1, 2, 3, 5, 6)), 2), ValueError, r"unfold: expected a 3-D .* got shape \(1, 2, 3, 5"),
    (lambda: F.unfold(np.ones((2, 3, 5, 6)), 7), ValueError,
     r"unfold: given an input of spatial size \(5, 6\), kernel_size=\(7, 7\), dilation=\(1, 1\), padding=\(0, 0\), "
     r"the array of sliding blocks would have shape \(-1, 0\), but each must be at least 1"),
    (lambda: F.unfold(np.ones((2, 3, 5, 6)), (2, 2, 2)), ValueError,
     r"unfold: kernel_size must be an int or a tuple of 2 ints, got \(2, 2, 2\)"),
    (lambda: F.unfold(np.ones((2, 3, 5, 6)), 0), ValueError, "unfold: kernel_size must be"),
    (lambda: F.unfold(np.ones((2, 3, 5, 6)), 2, padding=-1), ValueError, "unfold: padding must be"),
    (lambda: F.unfold(np.ones((2, 3, 5, 6)), 2, stride=0), ValueError, "unfold: stride must be"),
    (lambda: F.fold(np.ones((2, 12, 20)), (5, 6), 3), ValueError,
     r"fold: the input's dimension 1 \(shape \(2, 12, 20\)\) must be divisible by the product of "
     r"kernel_size=\(3, 3\), 9, but has 12 entries"),
    (lambda: F.fold(np.ones((2, 12, 20)), (5, 7), 2), ValueError,
     r"fold: given output_size=\(5, 7\), kernel_size=\(2, 2\), dilation=\(1, 1\), padding=\(0, 0\), "
     r"stride=\(1, 1\), the input's last dimension \(shape \(2, 12, 20\)\) must be the number of sliding blocks "
     r"4 \* 6 = 24, but is 20"),
    (lambda: F.fold(np.ones((12, 20)), (1, 1), 2), ValueError,
     r"fold: given output_size=\(1, 1\), .* the array of sliding blocks would have shape \(0, 0\), but each must be at "
     r"least 1"),
    (lambda: F.fold(np.ones((1, 9, 1)), (1, 1), 3), ValueError, r"sliding blocks would have shape \(-1, -1\)"),
    (lambda: F.fold(np.ones((1, 4, 0)), (2, 2), 2), ValueError,
     r"must be the number of sliding blocks 1 \* 1 = 1, but is 0"),
    (lambda: F.fold(np.ones((1, 2, 12, 20)), (5, 6), 2), ValueError,
     r"fold: expected a 2-D \(unbatched\) or 3-D \(batched\) input of columns"),
    (lambda: F.fold(np.ones((2, 12, 20)), (5, 6, 1), 2), ValueError,
     r"fold: output_size must be an int or a tuple of 2 ints, got \(5, 6, 1\)"),
    (lambda: nn.Unfold((2, 2, 2)), ValueError, "Unfold: kernel_size must be an int or a tuple of 2 ints"),
    (lambda: nn.Fold((5, 6), 2, stride=0), ValueError, "Fold: stride must be"),
    (lambda: nn.Fold(0, 2), ValueError, "Fold: output_size must be"),
])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("call", [
    lambda F, t: F.unfold(t(np.ones((2, 3, 5, 6))), 7),
    lambda F, t: F.unfold(t(np.ones((2, 3, 5, 6))), 2, stride=0),
    lambda F, t: F.unfold(t(np.ones((1, 2, 3, 5, 6))), 2),
    lambda F, t: F.fold(t(np.ones((2, 12, 20))), (5, 6), 3),
    lambda F, t: F.fold(t(np.ones((2, 12, 20))), (5, 7), 2),
    lambda F, t: F.fold(t(np.ones((1, 2, 12, 20))), (5, 6), 2),
    lambda F, t: F.fold(t(np.ones((1, 9, 1))), (1, 1), 3),
    lambda F, t: F.fold(t(np.ones((1, 4, 0))), (2, 2), 2),
    lambda F, t: F.fold(t(np.ones((1, 5, 9))), (4, 5), (2, 3)),  # (PyTorch's test_fold_invalid_arg)
    lambda F, t: F.fold(t(np.ones((1, 6, 5))), (4, 5), (2, 3), stride=(2, 2), dilation=(1, 2), padding=(2, 0)),
    lambda F, t: F.fold(t(np.ones((1, 12, 12))), (4, 5), (2, 2), stride=1, dilation=8, padding=0),
])
def test_torch_raises_on_the_same_calls(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch.nn.functional, torch.tensor)
    with pytest.raises(RuntimeError) as raised:  # (found by porting PyTorch's test_nn: plain ValueErrors were raised)
        call(F, np.asarray)
    assert isinstance(raised.value, ValueError)
