"""Convolution and pooling layers: Conv1d, Conv2d, Conv3d, MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d and
AvgPool3d, as PyTorch's (nn.functional's conv1d, conv2d, max_pool1d, ... in nn/_convolution_functions.py).

A convolution's weight is (out_channels, in_channels / groups, *kernel_size) and its bias (out_channels,), initialised
as PyTorch's: kaiming_uniform_ with a = sqrt(5) for the weight, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias,
fan_in = in_channels / groups * prod(kernel_size). Every gradient is the engine's (ag.sliding_windows and einsum).

>>> import numpy as np, nn
>>> model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, rng=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
...                       nn.Linear(8 * 4 * 4, 10, rng=0))
>>> model(np.zeros((5, 1, 8, 8), dtype=np.float32)).shape
(5, 10)
>>> model[0]
Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
"""

import numpy as np

from . import functional as F
from ._arguments import as_flag, checked_number, generator, takes_device
from ._parameter_reset import reset_at_construction, reset_weight_and_bias, resets, unfilled_weight_and_bias
from ._convolution_functions import _per_axis, checked_divisor, conv_padding, pool_settings
from .layers import _check_sizes, _float_dtype
from .module import Module
from .normalization import _module_input

__all__ = ["Conv1d", "Conv2d", "Conv3d", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d",
           "AvgPool3d"]

_CONVOLUTIONS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}  # _ConvNd.forward's, by self.dims


def _listed(value):
    """A 1-D array of sizes as the tuple it holds, as PyTorch's layers take it (their _ntuple iterates it); anything
    else as it is (nn.functional's settings refuse arrays, as PyTorch's)."""
    return tuple(value) if isinstance(value, np.ndarray) and value.ndim == 1 else value


class _ConvBase(Module):
    """What the convolutions and transposed convolutions share, as PyTorch's _ConvNd: the channel, group, kernel,
    stride and dilation settings checked, the weight of a layout (PyTorch's for each) and bias made and initialised
    as PyTorch's, and the repr."""

    dims = 0  # the number of spatial axes (the subclass's)

    def _settings(self, owner, in_channels, out_channels, kernel_size, stride, dilation, groups):
        _check_sizes(owner, in_channels=in_channels, out_channels=out_channels)
        self.groups = checked_number(groups, owner, "groups", low=1, integer=True,
                                     message="{owner}: groups must be a positive integer, got {value!r}{of_type}")
        for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
            if channels % self.groups:
                raise ValueError(f"{owner}: {name}={channels} must be divisible by groups={self.groups}")
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _per_axis(_listed(kernel_size), self.dims, owner, "kernel_size")
        self.stride = _per_axis(_listed(stride), self.dims, owner, "stride")
        self.dilation = _per_axis(_listed(dilation), self.dims, owner, "dilation")

    def _parameters_of(self, owner, shape, bias, dtype, rng):
        """The weight of shape and the bias (out_channels,) or None, drawn by reset_parameters."""
        dtype = _float_dtype(owner, dtype)
        rng = generator(rng, owner)
        self.weight, self.bias = unfilled_weight_and_bias(owner, shape, self.out_channels, bias, dtype)
        reset_at_construction(self, rng)

    @resets
    def reset_parameters(self, rng=None):
        """Draw the weight and bias again into the same Parameters, as the constructor did (PyTorch's
        reset_parameters): the weight kaiming_uniform_ with a = sqrt(5), the bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
        fan_in = prod(weight.shape[1:]), as PyTorch computes it for either layout (a bias of 0 when fan_in is 0: a
        Conv with in_channels=0, a ConvTranspose with out_channels=0). rng: a numpy Generator or int seed; None
        draws from the default generator (ag.manual_seed's).

        >>> import nn
        >>> conv = nn.Conv2d(2, 3, 3, rng=0)
        >>> conv.reset_parameters(rng=0)
        >>> bool((conv.weight.data == nn.Conv2d(2, 3, 3, rng=0).weight.data).all())
        True
        """
        reset_weight_and_bias(self.weight, self.bias, rng)

    def extra_repr(self):  # PyTorch's: the settings at their defaults left out
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self.dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        if any(getattr(self, "output_padding", ())):  # (transposed convolutions)
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class _ConvNd(_ConvBase):
    """What Conv1d, Conv2d and Conv3d share (PyTorch's signature): their settings, parameters and forward."""

    @takes_device
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", dtype=np.float32, rng=None):
        super().__init__()
        owner = type(self).__name__
        self._settings(owner, in_channels, out_channels, kernel_size, stride, dilation, groups)
        if not isinstance(padding_mode, str) or padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"{owner}: padding_mode must be one of 'zeros', 'reflect', 'replicate' or 'circular', "
                             f"got padding_mode={padding_mode!r}")
        padding = _listed(padding)
        conv_padding(padding, self.kernel_size, self.stride, self.dilation, owner)  # checked now, not at forward
        self.padding = padding if isinstance(padding, str) else _per_axis(padding, self.dims, owner, "padding", low=0)
        self.padding_mode = padding_mode
        self._parameters_of(owner, (self.out_channels, self.in_channels // self.groups) + self.kernel_size, bias,
                            dtype, rng)

    def forward(self, input):  # (PyTorch's name, so that layer(input=x) works)
        return self._conv_forward(input, self.weight, self.bias)

    def _conv_forward(self, input, weight, bias):  # noqa: A002 (PyTorch's names)
        """This layer's convolution with the weight and bias given, as PyTorch's private _conv_forward, which
        quantisation-aware and weight-standardised subclasses call with a changed weight."""
        x = _module_input(type(self).__name__, input, weight.dtype, cast=True)
        convolve = _CONVOLUTIONS[self.dims]
        if self.padding_mode == "zeros":
            return convolve(x, weight, bias, self.stride, self.padding, self.dilation, self.groups)
        # PyTorch's: the input padded by F.pad in padding_mode (its pairs listed from the last axis backwards, 'same'
        # with the odd entry on the right), then a convolution without padding
        pads = conv_padding(self.padding, self.kernel_size, self.stride, self.dilation, type(self).__name__)
        x = F.pad(x, [width for pair in reversed(pads) for width in pair], self.padding_mode)
        return convolve(x, weight, bias, self.stride, 0, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """A 1-D convolution over inputs (N, in_channels, L) or (in_channels, L), as PyTorch's Conv1d (F.conv1d):
    weight (out_channels, in_channels / groups, kernel_size), bias (out_channels,); stride, padding (an int, 'valid'
    or 'same'), dilation, groups as there; padding_mode 'zeros', 'reflect', 'replicate' or 'circular' (F.pad's
    modes). dtype: the parameters', to which an input is cast (as Linear's); rng: a numpy Generator or int seed.

    >>> import numpy as np, nn
    >>> conv = nn.Conv1d(2, 4, 3, padding="same", rng=0)
    >>> conv, conv.weight.shape, conv(np.ones((5, 2, 10))).shape
    (Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same), (4, 2, 3), (5, 4, 10))
    """

    dims = 1


class Conv2d(_ConvNd):
    """A 2-D convolution over inputs (N, in_channels, H, W) or (in_channels, H, W), as PyTorch's Conv2d (F.conv2d):
    weight (out_channels, in_channels / groups, kH, kW), bias (out_channels,); kernel_size, stride, padding (also
    'valid' or 'same'), dilation each an int or a pair; groups; padding_mode 'zeros', 'reflect', 'replicate' or
    'circular'. dtype: the parameters', to which an input is cast (as Linear's); rng: a numpy Generator or int seed.

    >>> import numpy as np, nn
    >>> conv = nn.Conv2d(4, 6, (3, 2), stride=2, groups=2, bias=False, rng=0)
    >>> conv, conv.weight.shape, conv(np.ones((1, 4, 9, 9))).shape
    (Conv2d(4, 6, kernel_size=(3, 2), stride=(2, 2), groups=2, bias=False), (6, 2, 3, 2), (1, 6, 4, 4))
    """

    dims = 2


class Conv3d(_ConvNd):
    """A 3-D convolution over inputs (N, in_channels, D, H, W) or (in_channels, D, H, W), as PyTorch's Conv3d
    (F.conv3d): weight (out_channels, in_channels / groups, kD, kH, kW), bias (out_channels,); kernel_size, stride,
    padding (also 'valid' or 'same'), dilation each an int or a triple; groups; padding_mode 'zeros', 'reflect',
    'replicate' or 'circular' (F.pad's modes). dtype: the parameters', to which an input is cast (as Linear's); rng: a
    numpy Generator or int seed.

    >>> import numpy as np, nn
    >>> conv = nn.Conv3d(2, 4, (1, 3, 3), padding=(0, 1, 1), rng=0)
    >>> conv, conv.weight.shape, conv(np.ones((5, 2, 3, 6, 6))).shape
    (Conv3d(2, 4, kernel_size=(1, 3, 3), stride=(1, 1, 1), padding=(0, 1, 1)), (4, 2, 1, 3, 3), (5, 4, 3, 6, 6))
    """

    dims = 3


class _Pool(Module):
    """What the pooling layers share: the settings, checked when the layer is made."""

    dims = 0

    def _checked(self, kernel_size, stride, padding, dilation=1):
        """The settings kept as given (PyTorch's repr shows them so), stride None being kernel_size."""
        pool_settings(kernel_size, stride, padding, dilation, self.dims, type(self).__name__)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding


class _MaxPool(_Pool):
    """What MaxPool1d, MaxPool2d and MaxPool3d share."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__()
        self._checked(kernel_size, stride, padding, dilation)
        self.dilation = dilation
        self.return_indices = as_flag(return_indices, type(self).__name__, "return_indices")
        self.ceil_mode = as_flag(ceil_mode, type(self).__name__, "ceil_mode")

    def forward(self, input):  # (PyTorch's name)
        pool = getattr(F, f"max_pool{self.dims}d")
        return pool(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                    self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPool):
    """The maximum of each window of kernel_size entries along the last axis, as PyTorch's MaxPool1d
    (F.max_pool1d): stride (default kernel_size), padding (-inf, at most half the kernel), dilation, ceil_mode. At a
    tie in a window the gradient goes to its first maximum, as in PyTorch. return_indices=True: the output and the
    index of each maximum (for MaxUnpool1d).

    >>> import numpy as np, nn
    >>> nn.MaxPool1d(2)
    MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> nn.MaxPool1d(2)(np.array([[1.0, 3.0, 2.0, 5.0]])).tolist()
    [[3.0, 5.0]]
    """

    dims = 1


class MaxPool2d(_MaxPool):
    """The maximum of each kH x kW window, as PyTorch's MaxPool2d (F.max_pool2d): kernel_size, stride (default
    kernel_size), padding (-inf, at most half the kernel) and dilation each an int or a pair; ceil_mode. At a tie
    in a window the gradient goes to its first maximum, as in PyTorch. return_indices=True: the output and the
    flat index of each maximum in its plane (for MaxUnpool2d).

    >>> import numpy as np, nn
    >>> nn.MaxPool2d(2)(np.arange(16.0).reshape(1, 1, 4, 4)).tolist()
    [[[[5.0, 7.0], [13.0, 15.0]]]]
    """

    dims = 2


class MaxPool3d(_MaxPool):
    """The maximum of each kD x kH x kW window, as PyTorch's MaxPool3d (F.max_pool3d): kernel_size, stride (default
    kernel_size), padding (-inf, at most half the kernel) and dilation each an int or a triple; ceil_mode. At a tie
    in a window the gradient goes to its first maximum, as in PyTorch. return_indices=True: the output and the
    flat index of each maximum in its volume (for MaxUnpool3d).

    >>> import numpy as np, nn
    >>> nn.MaxPool3d((1, 2, 2), return_indices=True)(np.arange(8.0).reshape(1, 1, 2, 2, 2))[1].tolist()
    [[[[[3]], [[7]]]]]
    """

    dims = 3


class AvgPool1d(_Pool):
    """The mean of each window of kernel_size entries along the last axis, as PyTorch's AvgPool1d (F.avg_pool1d):
    stride (default kernel_size), padding (zeros, at most half the kernel), ceil_mode, count_include_pad.

    >>> import numpy as np, nn
    >>> nn.AvgPool1d(2)
    AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))
    >>> nn.AvgPool1d(2)(np.array([[1.0, 3.0, 2.0, 6.0]])).tolist()
    [[2.0, 4.0]]
    """

    dims = 1

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        kernel, stride, padding, _ = pool_settings(kernel_size, stride, padding, 1, 1, "AvgPool1d")
        self.kernel_size, self.stride, self.padding = kernel, stride, padding  # tuples, as PyTorch's AvgPool1d
        self.ceil_mode = as_flag(ceil_mode, "AvgPool1d", "ceil_mode")
        self.count_include_pad = as_flag(count_include_pad, "AvgPool1d", "count_include_pad")

    def forward(self, input):  # (PyTorch's name)
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AvgPool(_Pool):
    """What AvgPool2d and AvgPool3d share (AvgPool1d keeps its settings as tuples and takes no divisor_override, as
    PyTorch's)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__()
        owner = type(self).__name__
        self._checked(kernel_size, stride, padding)
        self.ceil_mode = as_flag(ceil_mode, owner, "ceil_mode")
        self.count_include_pad = as_flag(count_include_pad, owner, "count_include_pad")
        if divisor_override is not None:
            checked_divisor(divisor_override, owner)
        self.divisor_override = divisor_override

    def forward(self, input):  # (PyTorch's name)
        pool = getattr(F, f"avg_pool{self.dims}d")
        return pool(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                    self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPool):
    """The mean of each kH x kW window, as PyTorch's AvgPool2d (F.avg_pool2d): kernel_size, stride (default
    kernel_size) and padding (zeros, at most half the kernel) each an int or a pair; ceil_mode, count_include_pad,
    divisor_override.

    >>> import numpy as np, nn
    >>> nn.AvgPool2d(2)
    AvgPool2d(kernel_size=2, stride=2, padding=0)
    >>> nn.AvgPool2d(2)(np.arange(16.0).reshape(1, 1, 4, 4)).tolist()
    [[[[2.5, 4.5], [10.5, 12.5]]]]
    """

    dims = 2


class AvgPool3d(_AvgPool):
    """The mean of each kD x kH x kW window, as PyTorch's AvgPool3d (F.avg_pool3d): kernel_size, stride (default
    kernel_size) and padding (zeros, at most half the kernel) each an int or a triple; ceil_mode, count_include_pad,
    divisor_override.

    >>> import numpy as np, nn
    >>> nn.AvgPool3d(2)
    AvgPool3d(kernel_size=2, stride=2, padding=0)
    >>> nn.AvgPool3d(2)(np.arange(8.0).reshape(1, 1, 2, 2, 2)).tolist()
    [[[[[3.5]]]]]
    """

    dims = 3
