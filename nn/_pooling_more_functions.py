"""Power-average pooling and PyTorch's pooling and upsampling aliases, which nn.functional re-exports: lp_pool1d,
lp_pool2d, lp_pool3d, max_pool1d_with_indices (2d, 3d), adaptive_max_pool1d_with_indices (2d, 3d), upsample,
upsample_nearest and upsample_bilinear, with torch.nn.functional's names, arguments and defaults.

lp_pool is PyTorch's composition of engine operations: with out = avg_pool(x ** p) (no padding),
(sign(out) * relu(|out|) * kernel_numel) ** (1 / p). sign(out) * relu(|out|) is out, but with gradient 0 where out
is 0 (relu's at 0), so where a window's sum is 0 the gradient is 0 instead of the power's infinite one, as
PyTorch's (its documentation: "if the sum of all inputs to the power of p is zero, the gradient is set to zero");
here the power is taken of 1 there and the result chosen as 0, so no inf or 0 * inf arises.
p = inf and -inf are the max and -max of |x| (max pooling), as PyTorch's.
"""
import math
import warnings

import autograd_core as ag

from ._arguments import as_number
from ._convolution_functions import SlidingWindowError, _per_axis, avg_pool, max_pool
from ._pooling_functions import adaptive_max_pool
from ._resampling_functions import interpolate

__all__ = ["lp_pool1d", "lp_pool2d", "lp_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
           "max_pool3d_with_indices", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "upsample", "upsample_nearest", "upsample_bilinear"]


# ---- power-average pooling -----------------------------------------------------------------------
def lp_pool(input, norm_type, kernel_size, stride, ceil_mode, dims, where):
    """lp_pool1d, 2d and 3d: PyTorch's composition, (sign(out) relu(|out|) prod(kernel)) ** (1 / p), with out
    the average of x ** p over each window."""
    p = as_number(norm_type)
    if p is None or math.isnan(p):
        raise TypeError(f"{where}: norm_type must be a number (the power p; inf for the max of |x|), got "
                        f"{norm_type!r}")
    if p == 0:
        raise SlidingWindowError(f"{where}: norm_type must not be 0 (the result is a power 1 / norm_type), got "
                                 f"{norm_type!r}")
    if math.isinf(p):  # the max of |x| (or minus the max of -|x|), as PyTorch's
        sign = 1 if p > 0 else -1
        return sign * max_pool(sign * ag.abs(input), kernel_size, stride, 0, 1, ceil_mode, False, dims, where)
    kernel = _per_axis(kernel_size, dims, where, "kernel_size")
    x = input if isinstance(input, ag.Tensor) else ag.tensor(input)
    if dims == 3 and x.ndim in (4, 5) and any(n < k for n, k in zip(x.shape[-3:], kernel)):  # (avg_pool3d's rule)
        raise SlidingWindowError(f"{where}: the input's spatial size {x.shape[-3:]} is smaller than the kernel "
                                 f"{kernel} along an axis; PyTorch's lp_pool3d requires each size to be at least the "
                                 "kernel's")
    out = avg_pool(x ** p, kernel, stride, 0, ceil_mode, True, None, dims, where)
    # PyTorch's sign(out) * relu(|out|) is out, with gradient 0 where out is 0 (relu's at 0), which cancels the
    # power's infinite one there: the same, with the power taken of 1 where out is 0 (no inf, no 0 * inf).
    zero = out.data == 0
    if zero.any():
        return ag.where(zero, 0, (ag.where(zero, 1, out) * math.prod(kernel)) ** (1.0 / p))
    return (out * math.prod(kernel)) ** (1.0 / p)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The power-average (sum of x ** p over each window) ** (1 / p) along the last axis of an input (N, C, L) or
    (C, L), as torch.nn.functional.lp_pool1d (p = norm_type; p = 1 is the sum, inf the max of |x|); stride defaults
    to kernel_size; with ceil_mode a last partial window is PyTorch's (its mean times kernel_size).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.lp_pool1d(ag.tensor([[3.0, 4.0, 1.0, 1.0]]), 2, 2)
    Tensor([[5.        , 1.41421356]])
    """
    return lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1, "lp_pool1d")


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The power-average (sum of x ** p over each kH x kW window) ** (1 / p) of an input (N, C, H, W) or
    (C, H, W), as torch.nn.functional.lp_pool2d (kernel_size and stride an int or a pair).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.lp_pool2d(ag.tensor(np.ones((1, 2, 2))), 1, 2).tolist()
    [[[4.0]]]
    """
    return lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2, "lp_pool2d")


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The power-average (sum of x ** p over each kD x kH x kW window) ** (1 / p) of an input (N, C, D, H, W) or
    (C, D, H, W), as torch.nn.functional.lp_pool3d (kernel_size and stride an int or a triple).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.lp_pool3d(ag.tensor(np.full((1, 2, 2, 2), 2.0)), 2, 2).tolist()
    [[[[5.656854249492381]]]]
    """
    return lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3, "lp_pool3d")


# ---- PyTorch's aliases -----------------------------------------------------------------------------
def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """max_pool1d that always returns (output, indices), as torch.nn.functional.max_pool1d_with_indices
    (return_indices is taken and ignored, as PyTorch's).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.max_pool1d_with_indices(ag.tensor([[1.0, 3.0, 2.0, 0.0]]), 2)
    (Tensor([[3., 2.]]), Tensor([[1, 2]]))
    """
    return max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 1, "max_pool1d_with_indices")


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """max_pool2d that always returns (output, indices), as torch.nn.functional.max_pool2d_with_indices.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.max_pool2d_with_indices(ag.tensor(np.arange(4.0).reshape(1, 2, 2)), 2)[1].tolist()
    [[[3]]]
    """
    return max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 2, "max_pool2d_with_indices")


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """max_pool3d that always returns (output, indices), as torch.nn.functional.max_pool3d_with_indices.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.max_pool3d_with_indices(ag.tensor(np.arange(8.0).reshape(1, 2, 2, 2)), 2)[1].tolist()
    [[[[7]]]]
    """
    return max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 3, "max_pool3d_with_indices")


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool1d that always returns (output, indices), as
    torch.nn.functional.adaptive_max_pool1d_with_indices.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.adaptive_max_pool1d_with_indices(ag.tensor([[1.0, 3.0, 2.0]]), 1)
    (Tensor([[3.]]), Tensor([[1]]))
    """
    return adaptive_max_pool(input, output_size, True, 1, "adaptive_max_pool1d_with_indices")


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool2d that always returns (output, indices), as
    torch.nn.functional.adaptive_max_pool2d_with_indices.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.adaptive_max_pool2d_with_indices(ag.tensor(np.arange(4.0).reshape(1, 2, 2)), 1)[1].tolist()
    [[[3]]]
    """
    return adaptive_max_pool(input, output_size, True, 2, "adaptive_max_pool2d_with_indices")


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool3d that always returns (output, indices), as
    torch.nn.functional.adaptive_max_pool3d_with_indices.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.adaptive_max_pool3d_with_indices(ag.tensor(np.arange(8.0).reshape(1, 2, 2, 2)), 1)[1].tolist()
    [[[[7]]]]
    """
    return adaptive_max_pool(input, output_size, True, 3, "adaptive_max_pool3d_with_indices")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """PyTorch's deprecated alias of interpolate (with its warning): interpolate(input, size, scale_factor, mode,
    align_corners).

    >>> import warnings, autograd_core as ag, nn.functional as F
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     F.upsample(ag.tensor([[[1.0, 2.0]]]), scale_factor=2)
    Tensor([[[1., 1., 2., 2.]]])
    """
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """PyTorch's deprecated alias (with its warning): interpolate(input, size, scale_factor, mode="nearest").

    >>> import warnings, autograd_core as ag, nn.functional as F
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     F.upsample_nearest(ag.tensor([[[1.0, 2.0]]]), size=3)
    Tensor([[[1., 1., 2.]]])
    """
    warnings.warn("nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """PyTorch's deprecated alias (with its warning): interpolate(input, size, scale_factor, mode="bilinear",
    align_corners=True), for an input (N, C, H, W).

    >>> import warnings, numpy as np, autograd_core as ag, nn.functional as F
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     F.upsample_bilinear(ag.tensor(np.array([[[[0.0, 2.0]]]])), size=(1, 3)).tolist()
    [[[[0.0, 1.0, 2.0]]]]
    """
    warnings.warn("nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
