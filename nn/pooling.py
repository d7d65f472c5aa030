"""Unpooling and adaptive pooling layers: MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, AdaptiveAvgPool1d,
AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d and AdaptiveMaxPool3d, as PyTorch's
(nn.functional's max_unpool1d, adaptive_avg_pool1d, ... in nn/_pooling_functions.py). None holds parameters.

>>> import numpy as np, nn
>>> pool, unpool = nn.MaxPool2d(2, return_indices=True), nn.MaxUnpool2d(2)
>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> out, indices = pool(x)
>>> unpool(out, indices).data[0, 0].tolist()
[[0.0, 0.0, 0.0, 0.0], [0.0, 5.0, 0.0, 7.0], [0.0, 0.0, 0.0, 0.0], [0.0, 13.0, 0.0, 15.0]]
>>> nn.AdaptiveAvgPool2d((1, 1))(np.ones((8, 3, 5, 7))).shape
(8, 3, 1, 1)
"""
from . import functional as F
from ._arguments import as_flag
from ._convolution_functions import _per_axis
from ._pooling_functions import adaptive_sizes
from .convolution import _listed
from .module import Module

__all__ = ["MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d",
           "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"]


class _MaxUnpool(Module):
    """What MaxUnpool1d, MaxUnpool2d and MaxUnpool3d share: the settings, as tuples (PyTorch's), stride None being
    kernel_size."""

    dims = 0

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        owner, dims = type(self).__name__, self.dims
        kernel_size, stride, padding = map(_listed, (kernel_size, stride, padding))
        self.kernel_size = _per_axis(kernel_size, dims, owner, "kernel_size")
        self.stride = self.kernel_size if stride is None else _per_axis(stride, dims, owner, "stride")
        self.padding = _per_axis(padding, dims, owner, "padding", low=0)

    def forward(self, input, indices, output_size=None):
        unpool = getattr(F, f"max_unpool{self.dims}d")
        return unpool(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpool):
    """The inverse of MaxPool1d, as PyTorch's MaxUnpool1d (F.max_unpool1d): forward(input, indices,
    output_size=None) puts each value at its index (MaxPool1d's with return_indices=True) in zeros of length
    (L - 1) stride - 2 padding + kernel_size, or output_size.

    >>> import numpy as np, nn
    >>> nn.MaxUnpool1d(2)
    MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))
    >>> nn.MaxUnpool1d(2)(np.array([[3.0, 5.0]]), np.array([[1, 2]])).tolist()
    [[0.0, 3.0, 5.0, 0.0]]
    """

    dims = 1


class MaxUnpool2d(_MaxUnpool):
    """The inverse of MaxPool2d, as PyTorch's MaxUnpool2d (F.max_unpool2d): forward(input, indices,
    output_size=None) puts each value at its flat index in its plane (MaxPool2d's with return_indices=True) in
    zeros of each spatial size (n - 1) stride - 2 padding + kernel_size, or output_size.

    >>> import numpy as np, nn
    >>> nn.MaxUnpool2d(2, stride=1)
    MaxUnpool2d(kernel_size=(2, 2), stride=(1, 1), padding=(0, 0))
    >>> nn.MaxUnpool2d(2)(np.array([[[7.0]]]), np.array([[[3]]])).tolist()
    [[[0.0, 0.0], [0.0, 7.0]]]
    """

    dims = 2


class MaxUnpool3d(_MaxUnpool):
    """The inverse of MaxPool3d, as PyTorch's MaxUnpool3d (F.max_unpool3d): forward(input, indices,
    output_size=None) puts each value at its flat index in its volume (MaxPool3d's with return_indices=True).

    >>> import numpy as np, nn
    >>> nn.MaxUnpool3d((1, 2, 2))(np.array([[[[7.0]]]]), np.array([[[[2]]]])).tolist()
    [[[[0.0, 0.0], [7.0, 0.0]]]]
    """

    dims = 3


class _AdaptivePool(Module):
    """What the adaptive pooling layers share: output_size, checked when the layer is made and kept as given
    (PyTorch's repr shows it so)."""

    dims = 0

    def __init__(self, output_size):
        super().__init__()
        adaptive_sizes(output_size, self.dims, type(self).__name__)
        self.output_size = output_size

    def extra_repr(self):
        return f"output_size={self.output_size}"


class _AdaptiveAvgPool(_AdaptivePool):
    def forward(self, input):
        return getattr(F, f"adaptive_avg_pool{self.dims}d")(input, self.output_size)


class _AdaptiveMaxPool(_AdaptivePool):
    def __init__(self, output_size, return_indices=False):
        super().__init__(output_size)
        self.return_indices = as_flag(return_indices, type(self).__name__, "return_indices")

    def forward(self, input):
        return getattr(F, f"adaptive_max_pool{self.dims}d")(input, self.output_size, self.return_indices)


class AdaptiveAvgPool1d(_AdaptiveAvgPool):
    """The mean of each of output_size windows along the last axis, as PyTorch's AdaptiveAvgPool1d
    (F.adaptive_avg_pool1d): window i of L entries covers [floor(i L / output_size), ceil((i + 1) L / output_size)).

    >>> import numpy as np, nn
    >>> nn.AdaptiveAvgPool1d(2)
    AdaptiveAvgPool1d(output_size=2)
    >>> nn.AdaptiveAvgPool1d(2)(np.array([[1.0, 2.0, 3.0, 5.0]])).tolist()
    [[1.5, 4.0]]
    """

    dims = 1


class AdaptiveAvgPool2d(_AdaptiveAvgPool):
    """The mean of each of PyTorch's adaptive windows, to the spatial size output_size (an int, or a pair of ints
    or None, None keeping the input's size), as PyTorch's AdaptiveAvgPool2d (F.adaptive_avg_pool2d).

    >>> import numpy as np, nn
    >>> nn.AdaptiveAvgPool2d((None, 1))
    AdaptiveAvgPool2d(output_size=(None, 1))
    >>> nn.AdaptiveAvgPool2d((None, 1))(np.arange(6.0).reshape(1, 2, 3)).tolist()
    [[[1.0], [4.0]]]
    """

    dims = 2


class AdaptiveAvgPool3d(_AdaptiveAvgPool):
    """The mean of each of PyTorch's adaptive windows, to the spatial size output_size (an int, or a triple of ints
    or None), as PyTorch's AdaptiveAvgPool3d (F.adaptive_avg_pool3d).

    >>> import numpy as np, nn
    >>> nn.AdaptiveAvgPool3d(1)(np.arange(8.0).reshape(1, 2, 2, 2)).tolist()
    [[[[3.5]]]]
    """

    dims = 3


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """The maximum of each of output_size windows along the last axis, as PyTorch's AdaptiveMaxPool1d
    (F.adaptive_max_pool1d; the windows AdaptiveAvgPool1d's); at a tie the gradient goes to the first maximum.
    return_indices=True: the output and the index of each maximum.

    >>> import numpy as np, nn
    >>> nn.AdaptiveMaxPool1d(2, return_indices=True)
    AdaptiveMaxPool1d(output_size=2)
    >>> nn.AdaptiveMaxPool1d(2)(np.array([[1.0, 2.0, 3.0, 5.0, 4.0]])).tolist()
    [[3.0, 5.0]]
    """

    dims = 1


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    """The maximum of each of PyTorch's adaptive windows, to the spatial size output_size (an int, or a pair of
    ints or None), as PyTorch's AdaptiveMaxPool2d (F.adaptive_max_pool2d); at a tie the gradient goes to the first
    maximum (row-major). return_indices=True: the output and each maximum's flat index in its plane.

    >>> import numpy as np, nn
    >>> nn.AdaptiveMaxPool2d(1)(np.arange(6.0).reshape(1, 1, 2, 3)).tolist()
    [[[[5.0]]]]
    """

    dims = 2


class AdaptiveMaxPool3d(_AdaptiveMaxPool):
    """The maximum of each of PyTorch's adaptive windows, to the spatial size output_size (an int, or a triple of
    ints or None), as PyTorch's AdaptiveMaxPool3d (F.adaptive_max_pool3d). return_indices=True: the output and each
    maximum's flat index in its volume.

    >>> import numpy as np, nn
    >>> nn.AdaptiveMaxPool3d((1, 1, 2))(np.arange(8.0).reshape(1, 2, 2, 2)).tolist()
    [[[[6.0, 7.0]]]]
    """

    dims = 3
