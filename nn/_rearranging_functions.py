"""Rearranging functions, which nn.functional re-exports: pixel_shuffle, pixel_unshuffle and channel_shuffle, with
torch.nn.functional's names and arguments; and unflatten, what nn.Unflatten does (torch.unflatten's).

Each is a reshape and a transpose (engine operations: the gradient is the inverse rearrangement), so they take
every dtype and second derivatives hold.
"""
import autograd_core as ag
from autograd_core._arguments import InvalidArgumentError, unflattened_shape

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import checked_number


def positive_int(where, name, value):
    """value (an int) checked to be at least 1: a TypeError for no int, else InvalidArgumentError (a ValueError and,
    as PyTorch's functions raise, a RuntimeError)."""
    number = checked_number(value, where, name, integer=True, what="a positive int")
    if number < 1:
        raise InvalidArgumentError(f"{where}: {name} must be a positive int, got {value!r}")
    return number


def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) rearranged to (*, C, H r, W r), r = upscale_factor, as torch.nn.functional.pixel_shuffle:
    output[..., c, h r + i, w r + j] = input[..., c r^2 + i r + j, h, w].

    >>> import numpy as np, nn.functional as F
    >>> F.pixel_shuffle(np.arange(4.0).reshape(4, 1, 1), 2)
    Tensor([[[0., 1.],
             [2., 3.]]])
    """
    where = "pixel_shuffle"
    x = F._as_input(input, where)
    r = positive_int(where, "upscale_factor", upscale_factor)
    if x.ndim < 3:
        raise InvalidArgumentError(f"{where}: expected an input (*, C * upscale_factor**2, H, W) of at least 3 "
                                   f"dimensions, got shape {x.shape}")
    *lead, channels, height, width = x.shape
    if channels % (r * r):
        raise InvalidArgumentError(f"{where}: the input's channel axis (-3) must be divisible by upscale_factor**2 = "
                                   f"{r * r}, got {channels} (shape {x.shape})")
    k = len(lead)
    out = x.reshape(*lead, channels // (r * r), r, r, height, width)
    out = ag.transpose(out, tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2))
    return out.reshape(*lead, channels // (r * r), height * r, width * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) rearranged to (*, C r^2, H, W), r = downscale_factor, as
    torch.nn.functional.pixel_unshuffle: the inverse of pixel_shuffle.

    >>> import numpy as np, nn.functional as F
    >>> F.pixel_unshuffle(np.arange(4.0).reshape(1, 2, 2), 2).shape
    (4, 1, 1)
    """
    where = "pixel_unshuffle"
    x = F._as_input(input, where)
    r = positive_int(where, "downscale_factor", downscale_factor)
    if x.ndim < 3:
        raise InvalidArgumentError(f"{where}: expected an input (*, C, H * downscale_factor, W * downscale_factor) "
                                   f"of at least 3 dimensions, got shape {x.shape}")
    *lead, channels, height, width = x.shape
    for name, n in (("height (axis -2)", height), ("width (axis -1)", width)):
        if n % r:
            raise InvalidArgumentError(f"{where}: the input's {name} must be divisible by downscale_factor = {r}, "
                                       f"got {n} (shape {x.shape})")
    k = len(lead)
    out = x.reshape(*lead, channels, height // r, r, width // r, r)
    out = ag.transpose(out, tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3))
    return out.reshape(*lead, channels * r * r, height // r, width // r)


def channel_shuffle(input, groups):
    """The channels of an input (N, C, *) split into `groups` groups and interleaved, as
    torch.nn.functional.channel_shuffle (ShuffleNet's): output channel j (C / groups) + g is input channel
    g (C / groups) + j, reshaped (N, groups, C / groups, *), transposed, flattened.

    >>> import numpy as np, nn.functional as F
    >>> F.channel_shuffle(np.arange(6.0).reshape(1, 6, 1), 2).data.ravel().tolist()
    [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]
    """
    where = "channel_shuffle"
    x = F._as_input(input, where)
    groups = positive_int(where, "groups", groups)
    if x.ndim < 3:
        raise InvalidArgumentError(f"{where}: expected an input (N, C, *) of more than 2 dimensions, got shape "
                                   f"{x.shape}")
    batch, channels, *rest = x.shape
    if channels % groups:
        raise InvalidArgumentError(f"{where}: the number of channels must be divisible by groups: got {channels} "
                                   f"channels (shape {x.shape}) and groups={groups}")
    out = x.reshape(batch, groups, channels // groups, *rest)
    out = ag.transpose(out, (0, 2, 1) + tuple(range(3, out.ndim)))
    return out.reshape(x.shape)


def unflatten(input, dim, sizes, where="unflatten"):
    """Axis dim of the input split into the axes `sizes` (a tuple of ints, one of them may be -1: the size that
    makes their product the axis's size), as torch.unflatten and nn.Unflatten (ag.unflatten, where naming the
    caller in errors).

    >>> import numpy as np
    >>> from nn._rearranging_functions import unflatten
    >>> unflatten(np.ones((2, 12)), 1, (3, -1)).shape
    (2, 3, 4)
    """
    x = F._as_input(input, where)
    return x.reshape(unflattened_shape(where, x.shape, dim, sizes))
