"""Cases found by fuzzing F.pad and the padding layers against PyTorch (session 22, helper F1)."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


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


@pytest.mark.parametrize("dtype, value", [(np.uint8, -1), (np.uint8, 256), (np.uint8, -0.5), (np.uint8, 255.5),
                                          (np.int8, 128), (np.int8, -129), (np.int32, 1e10),
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
                                                    (np.int8, -128, -128), (np.float16, 65504.0, 65504.0),
                                                    (np.float16, float("inf"), float("inf")), (np.bool_, 0.5, True),
                                                    (np.int64, 2 ** 62 + 1, 2 ** 62 + 1)])
def test_constant_writes_a_value_that_fits_as_torch(dtype, value, expected):
    """Values within the dtype are written as PyTorch writes them (a fraction cut toward 0); an int exactly, also
    beyond 2**53 (it went through a float)."""
    out = F.pad(np.zeros((1, 2), dtype=dtype), (1, 0), value=value)
    assert out.dtype == dtype and out.data[0, 0].item() == expected


def test_the_refused_values_are_refused_by_torch():
    torch = pytest.importorskip("torch")
    for dtype, value in [(torch.uint8, -1), (torch.uint8, 256), (torch.uint8, 255.5), (torch.int64, float("nan")),
                         (torch.float16, 65519.0), (torch.float32, 1e39)]:
        with pytest.raises(RuntimeError, match="without overflow"):
            torch.nn.functional.pad(torch.ones(1, 2, dtype=dtype), (1, 1), value=value)
