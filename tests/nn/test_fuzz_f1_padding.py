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
