"""Resampling and rearranging layers, as PyTorch's: Upsample, UpsamplingNearest2d, UpsamplingBilinear2d
(F.interpolate, nn/_resampling_functions.py), PixelShuffle, PixelUnshuffle, ChannelShuffle and Unflatten
(nn/_rearranging_functions.py). None holds parameters.

>>> import numpy as np, nn
>>> nn.Upsample(scale_factor=2, mode="bilinear")(np.ones((1, 3, 4, 5))).shape
(1, 3, 8, 10)
>>> nn.Sequential(nn.PixelUnshuffle(2), nn.PixelShuffle(2))(np.arange(16.0).reshape(1, 4, 4)).shape
(1, 4, 4)
"""
import numpy as np

from . import functional as F
from ._arguments import as_number
from ._rearranging_functions import positive_int, unflatten
from .module import Module

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle", "PixelUnshuffle",
           "ChannelShuffle", "Unflatten"]


class Upsample(Module):
    """F.interpolate with the settings given here, as PyTorch's Upsample: the input (N, C, d1[, d2[, d3]])
    resampled to `size` or scaled by scale_factor (kept as a float, or a tuple of floats; 0 is None, as PyTorch's)
    in mode 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear' or 'area'.

    >>> import numpy as np, nn
    >>> up = nn.Upsample(scale_factor=2)
    >>> up
    Upsample(scale_factor=2.0, mode='nearest')
    >>> up(np.array([[[1.0, 2.0]]])).tolist()
    [[[1.0, 1.0, 2.0, 2.0]]]
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None):
        super().__init__()
        owner = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(_as_factor(factor, owner) for factor in scale_factor)
        else:
            self.scale_factor = _as_factor(scale_factor, owner) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        info = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"


def _as_factor(value, owner):
    """A scale factor as a float (PyTorch's float(scale_factor)), or a TypeError naming the layer."""
    number = as_number(value)
    if number is None:
        raise TypeError(f"{owner}: scale_factor must be a number or a tuple of numbers, got {value!r}")
    return number


class UpsamplingNearest2d(Upsample):
    """Upsample in mode 'nearest' for 4-D inputs (N, C, H, W), as PyTorch's UpsamplingNearest2d.

    >>> import numpy as np, nn
    >>> nn.UpsamplingNearest2d(scale_factor=2)(np.ones((1, 1, 2, 3))).shape
    (1, 1, 4, 6)
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Upsample in mode 'bilinear' with align_corners=True, for 4-D inputs (N, C, H, W), as PyTorch's
    UpsamplingBilinear2d.

    >>> import numpy as np, nn
    >>> nn.UpsamplingBilinear2d(size=(1, 3))(np.array([[[[0.0, 4.0]]]])).tolist()
    [[[[0.0, 2.0, 4.0]]]]
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class PixelShuffle(Module):
    """(*, C r^2, H, W) rearranged to (*, C, H r, W r), r = upscale_factor, as PyTorch's PixelShuffle
    (F.pixel_shuffle).

    >>> import numpy as np, nn
    >>> nn.PixelShuffle(3), nn.PixelShuffle(3)(np.ones((2, 18, 4, 5))).shape
    (PixelShuffle(upscale_factor=3), (2, 2, 12, 15))
    """

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = positive_int("PixelShuffle", "upscale_factor", upscale_factor)

    def forward(self, input):
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H r, W r) rearranged to (*, C r^2, H, W), r = downscale_factor, as PyTorch's PixelUnshuffle
    (F.pixel_unshuffle), the inverse of PixelShuffle.

    >>> import numpy as np, nn
    >>> nn.PixelUnshuffle(2), nn.PixelUnshuffle(2)(np.ones((3, 4, 6))).shape
    (PixelUnshuffle(downscale_factor=2), (12, 2, 3))
    """

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = positive_int("PixelUnshuffle", "downscale_factor", downscale_factor)

    def forward(self, input):
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"


class ChannelShuffle(Module):
    """The channels of an input (N, C, *) split into `groups` groups and interleaved, as PyTorch's ChannelShuffle
    (F.channel_shuffle).

    >>> import numpy as np, nn
    >>> nn.ChannelShuffle(2), nn.ChannelShuffle(2)(np.arange(4.0).reshape(1, 4, 1)).data.ravel().tolist()
    (ChannelShuffle(groups=2), [0.0, 2.0, 1.0, 3.0])
    """

    def __init__(self, groups):
        super().__init__()
        self.groups = positive_int("ChannelShuffle", "groups", groups)

    def forward(self, input):
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"


class Unflatten(Module):
    """Axis dim split into the axes unflattened_size (a tuple or list of ints; one may be -1, inferred), as
    PyTorch's Unflatten: the partner of Flatten.

    >>> import numpy as np, nn
    >>> nn.Unflatten(1, (2, 5))
    Unflatten(dim=1, unflattened_size=(2, 5))
    >>> nn.Unflatten(1, (2, -1))(nn.Flatten()(np.ones((3, 2, 5)))).shape
    (3, 2, 5)
    """

    def __init__(self, dim, unflattened_size):
        super().__init__()
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"Unflatten: dim must be an int, got {dim!r}")
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(f"Unflatten: unflattened_size must be a tuple or list of ints, got {unflattened_size!r} "
                            f"of type {type(unflattened_size).__name__}")
        for position, size in enumerate(unflattened_size):
            if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
                raise TypeError(f"Unflatten: unflattened_size must be tuple of ints, but found element of type "
                                f"{type(size).__name__} at pos {position} (of {unflattened_size!r})")
        self.dim, self.unflattened_size = int(dim), unflattened_size

    def forward(self, input):
        return unflatten(input, self.dim, self.unflattened_size, "Unflatten")

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
