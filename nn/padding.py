"""Padding layers, as PyTorch's: ZeroPad1d/2d/3d, ConstantPad1d/2d/3d, ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d
and CircularPad1d/2d/3d, each F.pad (nn/_padding_functions.py) in its mode over the last 1, 2 or 3 axes.

padding is an int (every side) or a tuple of 2, 4 or 6 ints, (left, right[, top, bottom[, front, back]]): the last
axis first, as F.pad lists them. A negative width crops. The constant layers pad any input with at least as many axes;
the others an input (C, *spatial) or (N, C, *spatial), as PyTorch's.

>>> import numpy as np, nn
>>> nn.ReflectionPad1d((2, 1))(np.array([[1.0, 2.0, 3.0]])).tolist()
[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]
>>> nn.Sequential(nn.ReplicationPad2d(1), nn.Conv2d(1, 4, 3, rng=0))(np.ones((2, 1, 5, 5))).shape
(2, 4, 5, 5)
"""
from autograd_core._arguments import as_indices

from . import functional as F
from ._arguments import as_number
from ._padding_functions import checked_rank
from .module import Module

__all__ = ["ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d"]

_SIDES = {1: "(left, right)", 2: "(left, right, top, bottom)", 3: "(left, right, top, bottom, front, back)"}


def _padding(padding, dims, owner):
    """padding, an int or a tuple of 2 * dims ints, as a tuple of 2 * dims ints (PyTorch's _ntuple)."""
    widths = (padding,) * (2 * dims) if not isinstance(padding, (tuple, list)) else tuple(padding)
    if len(widths) != 2 * dims:
        raise ValueError(f"{owner}: padding must be an int or a tuple of {2 * dims} ints, {_SIDES[dims]}, got "
                         f"{padding!r} ({len(widths)} ints)")
    ints = as_indices(widths)
    if ints is None:
        raise TypeError(f"{owner}: padding must be an int or a tuple of {2 * dims} ints, {_SIDES[dims]}, got "
                        f"{padding!r}")
    return ints


class _PadNd(Module):
    """What the padding layers share: padding checked when the layer is made, F.pad in the layer's mode."""

    dims = 0  # the number of padded axes (the subclass's)
    mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = _padding(padding, self.dims, type(self).__name__)

    def forward(self, input):
        if self.mode != "constant":
            checked_rank(F._as_input(input, type(self).__name__), self.dims, self.mode, type(self).__name__)
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    """The constant layers: value fills the padding."""

    def __init__(self, padding, value):
        super().__init__(padding)
        if as_number(value) is None:
            raise TypeError(f"{type(self).__name__}: value must be a number, got {value!r}")
        self.value = value if type(value) in (int, float) else as_number(value)

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last axis with value, as PyTorch's ConstantPad1d: padding an int or (left, right); a negative width
    crops. Input (C, W) or (N, C, W) (any input of at least one axis).

    >>> import numpy as np, nn
    >>> pad = nn.ConstantPad1d((1, 2), 3.5)
    >>> pad, pad(np.array([[1.0, 2.0]])).tolist()
    (ConstantPad1d(padding=(1, 2), value=3.5), [[3.5, 1.0, 2.0, 3.5, 3.5]])
    """

    dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two axes with value, as PyTorch's ConstantPad2d: padding an int or (left, right, top, bottom);
    a negative width crops. Input (C, H, W) or (N, C, H, W) (any input of at least two axes).

    >>> import numpy as np, nn
    >>> nn.ConstantPad2d((1, 0, 0, 1), -1.0)(np.ones((1, 1, 2))).tolist()
    [[[-1.0, 1.0, 1.0], [-1.0, -1.0, -1.0]]]
    """

    dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three axes with value, as PyTorch's ConstantPad3d: padding an int or (left, right, top,
    bottom, front, back); a negative width crops. Input (C, D, H, W) or (N, C, D, H, W) (any input of at least
    three axes).

    >>> import numpy as np, nn
    >>> nn.ConstantPad3d(1, 2.0)(np.ones((1, 1, 1, 1))).shape
    (1, 3, 3, 3)
    """

    dims = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pads the last axis with zeros, as PyTorch's ZeroPad1d: padding an int or (left, right); a negative width
    crops.

    >>> import numpy as np, nn
    >>> pad = nn.ZeroPad1d((2, -1))
    >>> pad, pad(np.array([[1.0, 2.0, 3.0]])).tolist()
    (ZeroPad1d((2, -1)), [[0.0, 0.0, 1.0, 2.0]])
    """

    dims = 1


class ZeroPad2d(_ZeroPadNd):
    """Pads the last two axes with zeros, as PyTorch's ZeroPad2d: padding an int or (left, right, top, bottom); a
    negative width crops.

    >>> import numpy as np, nn
    >>> nn.ZeroPad2d((1, 1, 2, 0))(np.ones((1, 1, 2, 2))).shape
    (1, 1, 4, 4)
    """

    dims = 2


class ZeroPad3d(_ZeroPadNd):
    """Pads the last three axes with zeros, as PyTorch's ZeroPad3d: padding an int or (left, right, top, bottom,
    front, back); a negative width crops.

    >>> import numpy as np, nn
    >>> nn.ZeroPad3d((1, 1, 0, 0, 2, 0))(np.ones((1, 1, 2, 2, 2))).shape
    (1, 1, 4, 2, 4)
    """

    dims = 3


class ReflectionPad1d(_PadNd):
    """Pads the last axis with its reflection (the edge not repeated), as PyTorch's ReflectionPad1d: padding an int
    or (left, right), each less than the axis's size. Input (C, W) or (N, C, W).

    >>> import numpy as np, nn
    >>> pad = nn.ReflectionPad1d(2)
    >>> pad, pad(np.array([[0.0, 1.0, 2.0, 3.0]])).tolist()
    (ReflectionPad1d((2, 2)), [[2.0, 1.0, 0.0, 1.0, 2.0, 3.0, 2.0, 1.0]])
    """

    dims, mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Pads the last two axes with their reflection, as PyTorch's ReflectionPad2d: padding an int or (left, right,
    top, bottom), each less than its axis's size. Input (C, H, W) or (N, C, H, W).

    >>> import numpy as np, nn
    >>> nn.ReflectionPad2d((1, 0, 1, 0))(np.arange(4.0).reshape(1, 2, 2)).tolist()
    [[[3.0, 2.0, 3.0], [1.0, 0.0, 1.0], [3.0, 2.0, 3.0]]]
    """

    dims, mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Pads the last three axes with their reflection, as PyTorch's ReflectionPad3d: padding an int or (left,
    right, top, bottom, front, back), each less than its axis's size. Input (C, D, H, W) or (N, C, D, H, W).

    >>> import numpy as np, nn
    >>> nn.ReflectionPad3d(1)(np.ones((1, 1, 2, 2, 2))).shape
    (1, 1, 4, 4, 4)
    """

    dims, mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Pads the last axis by repeating its edge entries, as PyTorch's ReplicationPad1d: padding an int or (left,
    right). Input (C, W) or (N, C, W).

    >>> import numpy as np, nn
    >>> pad = nn.ReplicationPad1d((1, 3))
    >>> pad, pad(np.array([[1.0, 2.0]])).tolist()
    (ReplicationPad1d((1, 3)), [[1.0, 1.0, 2.0, 2.0, 2.0, 2.0]])
    """

    dims, mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Pads the last two axes by repeating their edge entries, as PyTorch's ReplicationPad2d: padding an int or
    (left, right, top, bottom). Input (C, H, W) or (N, C, H, W).

    >>> import numpy as np, nn
    >>> nn.ReplicationPad2d((1, 0, 0, 1))(np.array([[[1.0, 2.0]]])).tolist()
    [[[1.0, 1.0, 2.0], [1.0, 1.0, 2.0]]]
    """

    dims, mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Pads the last three axes by repeating their edge entries, as PyTorch's ReplicationPad3d: padding an int or
    (left, right, top, bottom, front, back). Input (C, D, H, W) or (N, C, D, H, W).

    >>> import numpy as np, nn
    >>> nn.ReplicationPad3d((1, 0, 0, 0, 0, 2))(np.ones((1, 1, 1, 1))).shape
    (1, 3, 1, 2)
    """

    dims, mode = 3, "replicate"


class CircularPad1d(_PadNd):
    """Pads the last axis by wrapping around (the end before the start, the start after the end), as PyTorch's
    CircularPad1d: padding an int or (left, right), each at most the axis's size; a negative width crops. Input
    (C, W) or (N, C, W).

    >>> import numpy as np, nn
    >>> pad = nn.CircularPad1d((3, 1))
    >>> pad, pad(np.array([[0.0, 1.0, 2.0, 3.0]])).tolist()
    (CircularPad1d((3, 1)), [[1.0, 2.0, 3.0, 0.0, 1.0, 2.0, 3.0, 0.0]])
    """

    dims, mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Pads the last two axes by wrapping around, as PyTorch's CircularPad2d: padding an int or (left, right, top,
    bottom), each at most its axis's size; a negative width crops. Input (C, H, W) or (N, C, H, W).

    >>> import numpy as np, nn
    >>> nn.CircularPad2d((1, 0, 1, 0))(np.arange(4.0).reshape(1, 2, 2)).tolist()
    [[[3.0, 2.0, 3.0], [1.0, 0.0, 1.0], [3.0, 2.0, 3.0]]]
    """

    dims, mode = 2, "circular"


class CircularPad3d(_PadNd):
    """Pads the last three axes by wrapping around, as PyTorch's CircularPad3d: padding an int or (left, right,
    top, bottom, front, back), each at most its axis's size; a negative width crops. Input (C, D, H, W) or
    (N, C, D, H, W).

    >>> import numpy as np, nn
    >>> nn.CircularPad3d(1)(np.ones((1, 1, 2, 2, 2))).shape
    (1, 1, 4, 4, 4)
    """

    dims, mode = 3, "circular"
