"""unfold and fold as functions, which nn.functional re-exports, with torch.nn.functional's names, arguments and
layout: unfold takes the sliding kH x kW blocks of an image (N, C, H, W) or (C, H, W) as the columns of
(N, C * kH * kW, L), L being the number of blocks (im2col); fold is its adjoint, adding such columns back into an
image of output_size, overlapping blocks summed (col2im).

Both are engine operations reshaped: unfold is ag.sliding_windows of the zero-padded input, its axes put in
PyTorch's order; fold is ag.fold_windows (the adjoint of sliding_windows) of the columns into the padded image,
whose padding is then cut. The two rules are each other, so gradients hold to any order. As PyTorch's, only images
with two spatial axes are supported.
"""
import math

import numpy as np

import autograd_core as ag

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._convolution_functions import SlidingWindowError, _padded, _per_axis


def _settings(kernel_size, dilation, padding, stride, where):
    """(kernel, dilation, padding, stride), each a pair of ints (padding >= 0, the others >= 1)."""
    return (_per_axis(kernel_size, 2, where, "kernel_size"), _per_axis(dilation, 2, where, "dilation"),
            _per_axis(padding, 2, where, "padding", low=0), _per_axis(stride, 2, where, "stride"))


def _listed(value):
    """A 1-D integer ndarray or Tensor (torch.tensor([4, 4]) is taken by PyTorch's fold) as a tuple of ints; any
    other value as it is (a float array is then refused by the argument check, as PyTorch refuses it)."""
    data = value.data if isinstance(value, ag.Tensor) else value
    if isinstance(data, np.ndarray) and data.ndim == 1 and data.dtype.kind in "iu":
        return tuple(int(v) for v in data)
    return value


def _blocks(sizes, kernel, dilation, padding, stride):
    """The number of blocks along each axis: (n + 2 padding - dilation (k - 1) - 1) // stride + 1."""
    return tuple((n + 2 * p - d * (k - 1) - 1) // s + 1 for n, k, d, p, s in zip(sizes, kernel, dilation, padding,
                                                                                  stride))


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """The sliding blocks of an image (N, C, H, W) or (C, H, W) as columns, as torch.nn.functional.unfold: of shape
    (N, C * kH * kW, L) or (C * kH * kW, L), a column per block in row-major order, its entries ordered by channel
    then kernel row then column; kernel_size, dilation, padding (zeros) and stride each an int or a pair.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.unfold(ag.tensor(np.arange(9.0).reshape(1, 3, 3)), 2)
    Tensor([[0., 1., 3., 4.],
            [1., 2., 4., 5.],
            [3., 4., 6., 7.],
            [4., 5., 7., 8.]])
    """
    x = F._as_input(input, "unfold")
    if x.ndim not in (3, 4):
        raise SlidingWindowError(f"unfold: expected a 3-D (unbatched) or 4-D (batched) input, (N, C, H, W) or "
                                 f"without N, got shape {x.shape}; as PyTorch's, only images (two spatial axes) are "
                                 f"supported")
    kernel, dilation, padding, stride = _settings(kernel_size, dilation, padding, stride, "unfold")
    blocks = _blocks(x.shape[-2:], kernel, dilation, padding, stride)
    if any(b < 1 for b in blocks):
        raise SlidingWindowError(f"unfold: given an input of spatial size {x.shape[-2:]}, kernel_size={kernel}, "
                                 f"dilation={dilation}, padding={padding}, the array of sliding blocks would have "
                                 f"shape {blocks}, but each must be at least 1; give a larger input or padding, or a "
                                 f"smaller kernel")
    windows = ag.sliding_windows(_padded(x, tuple((p, p) for p in padding)), kernel, stride, dilation)
    # (..., C, bH, bW, kH, kW)
    lead = windows.ndim - 4
    columns = windows.transpose(*range(lead - 1), lead - 1, lead + 2, lead + 3, lead, lead + 1)
    return columns.reshape(*x.shape[:-3], x.shape[-3] * math.prod(kernel), math.prod(blocks))


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The adjoint of unfold, as torch.nn.functional.fold: columns (N, C * kH * kW, L) or (C * kH * kW, L) added
    back into an image (N, C, *output_size) or (C, *output_size), each column's entries into its block, overlapping
    blocks summed and what falls in the padding dropped; L must be the number of blocks unfold would take.
    output_size: an int or a pair (also a 1-D integer array or Tensor, as PyTorch takes a tensor).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.fold(ag.ones((4, 4)), (3, 3), 2)  # how many 2 x 2 blocks cover each entry
    Tensor([[[1., 2., 1.],
             [2., 4., 2.],
             [1., 2., 1.]]])
    """
    x = F._as_input(input, "fold")
    if x.ndim not in (2, 3):
        raise SlidingWindowError(f"fold: expected a 2-D (unbatched) or 3-D (batched) input of columns, "
                                 f"(N, C * kH * kW, L) or without N, got shape {x.shape}")
    size = _per_axis(_listed(output_size), 2, "fold", "output_size")
    kernel, dilation, padding, stride = _settings(kernel_size, dilation, padding, stride, "fold")
    rows, count = x.shape[-2:]
    if rows % math.prod(kernel):
        raise SlidingWindowError(f"fold: the input's dimension {x.ndim - 2} (shape {x.shape}) must be divisible by the "
                                 f"product of kernel_size={kernel}, {math.prod(kernel)}, but has {rows} entries")
    blocks = _blocks(size, kernel, dilation, padding, stride)
    given = (f"fold: given output_size={size}, kernel_size={kernel}, dilation={dilation}, padding={padding}, "
             f"stride={stride}")
    if any(b < 1 for b in blocks):
        raise SlidingWindowError(f"{given}, the array of sliding blocks would have shape {blocks}, but each must be "
                                 f"at least 1; give a larger output_size or padding, or a smaller kernel")
    if math.prod(blocks) != count:
        raise SlidingWindowError(f"{given}, the input's last dimension (shape {x.shape}) must be the number of sliding "
                                 f"blocks {blocks[0]} * {blocks[1]} = {math.prod(blocks)}, but is {count}")
    lead = x.shape[:-2]
    channels = rows // math.prod(kernel)
    columns = x.reshape(*lead, channels, *kernel, *blocks)
    k = len(lead) + 1  # the first kernel axis
    windows = columns.transpose(*range(k), k + 2, k + 3, k, k + 1)  # (..., C, bH, bW, kH, kW)
    padded = tuple(n + 2 * p for n, p in zip(size, padding))
    y = ag.fold_windows(windows, (*lead, channels, *padded), stride, dilation)
    if any(padding):
        y = y[(Ellipsis,) + tuple(slice(p, p + n) for p, n in zip(padding, size))]
    return y
