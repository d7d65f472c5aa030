"""Power-average pooling layers: LPPool1d, LPPool2d and LPPool3d, as PyTorch's (nn.functional's lp_pool1d, 2d and
3d in nn/_pooling_more_functions.py). None holds parameters.

>>> import numpy as np, nn
>>> nn.LPPool2d(2, 2)(np.full((1, 1, 2, 4), 3.0)).tolist()
[[[[6.0, 6.0]]]]
"""
import math

from . import functional as F
from ._arguments import as_flag, as_number
from ._convolution_functions import _per_axis
from .module import Module

__all__ = ["LPPool1d", "LPPool2d", "LPPool3d"]


class _LPPool(Module):
    """What LPPool1d, LPPool2d and LPPool3d share: the settings, checked when the layer is made and kept as given
    (PyTorch's repr shows them so; stride None is kernel_size)."""

    dims = 0

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        owner = type(self).__name__
        p = as_number(norm_type)
        if p is None or math.isnan(p) or p == 0:
            raise (TypeError if p is None else ValueError)(
                f"{owner}: norm_type must be a nonzero number (the power p; inf for the max of |x|), got {norm_type!r}")
        _per_axis(kernel_size, self.dims, owner, "kernel_size")
        if stride is not None:
            _per_axis(stride, self.dims, owner, "stride")
        self.norm_type, self.kernel_size, self.stride = norm_type, kernel_size, stride
        self.ceil_mode = as_flag(ceil_mode, owner, "ceil_mode")

    def forward(self, input):
        return getattr(F, f"lp_pool{self.dims}d")(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPool):
    """The power-average (sum of x ** p over each window) ** (1 / p) along the last axis, as PyTorch's LPPool1d
    (F.lp_pool1d): norm_type p (1: the sum; inf: the max of |x|), kernel_size, stride (default kernel_size),
    ceil_mode.

    >>> import numpy as np, nn
    >>> nn.LPPool1d(2, 2)
    LPPool1d(norm_type=2, kernel_size=2, stride=None, ceil_mode=False)
    >>> nn.LPPool1d(2, 2)(np.array([[3.0, 4.0]])).tolist()
    [[5.0]]
    """

    dims = 1


class LPPool2d(_LPPool):
    """The power-average (sum of x ** p over each kH x kW window) ** (1 / p), as PyTorch's LPPool2d (F.lp_pool2d):
    norm_type p, kernel_size and stride (default kernel_size) each an int or a pair, ceil_mode.

    >>> import numpy as np, nn
    >>> nn.LPPool2d(1, (1, 2))(np.ones((1, 2, 2))).tolist()
    [[[2.0], [2.0]]]
    """

    dims = 2


class LPPool3d(_LPPool):
    """The power-average (sum of x ** p over each kD x kH x kW window) ** (1 / p), as PyTorch's LPPool3d
    (F.lp_pool3d): norm_type p, kernel_size and stride (default kernel_size) each an int or a triple, ceil_mode.

    >>> import numpy as np, nn
    >>> nn.LPPool3d(1, 2)(np.ones((1, 2, 2, 2))).tolist()
    [[[[8.0]]]]
    """

    dims = 3
