"""Transposed convolution layers and the block layers: ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Fold and
Unfold, as PyTorch's (nn.functional's conv_transpose1d, ..., fold and unfold).

A transposed convolution's weight is (in_channels, out_channels / groups, *kernel_size), PyTorch's layout, and its
bias (out_channels,), initialised as PyTorch's: kaiming_uniform_ with a = sqrt(5) for the weight and
U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias, fan_in computed from that layout as PyTorch does, weight.shape[1] *
prod(kernel_size) = out_channels / groups * prod(kernel_size). Every gradient is the engine's.

>>> import numpy as np, nn
>>> up = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1, rng=0)
>>> up
ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))
>>> up.weight.shape, up(np.zeros((5, 8, 7, 7))).shape
((8, 4, 3, 3), (5, 4, 14, 14))
"""
import numpy as np

from . import functional as F
from ._arguments import takes_device
from ._conv_transpose_functions import output_padding_for
from ._convolution_functions import _checked_rank, _per_axis
from ._fold_functions import _listed as _sizes_listed
from .convolution import _ConvBase, _listed
from .module import Module
from .normalization import _module_input

__all__ = ["ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Fold", "Unfold"]


class _ConvTransposeNd(_ConvBase):
    """What ConvTranspose1d, 2d and 3d share (PyTorch's signature): their settings, parameters (the weight
    (in_channels, out_channels / groups, *kernel_size)) and forward with output_size."""

    @takes_device
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", dtype=np.float32, rng=None):
        super().__init__()
        owner, dims = type(self).__name__, self.dims
        self._settings(owner, in_channels, out_channels, kernel_size, stride, dilation, groups)
        if not isinstance(padding_mode, str) or padding_mode != "zeros":
            raise ValueError(f'{owner}: Only "zeros" padding mode is supported for {owner}, as in PyTorch (a '
                             f"transposed convolution's padding cuts its output), got padding_mode={padding_mode!r}")
        self.padding = _per_axis(_listed(padding), dims, owner, "padding", low=0)
        # (output_padding is checked against stride and dilation at forward, as PyTorch's)
        self.output_padding = _per_axis(_listed(output_padding), dims, owner, "output_padding", low=0)
        self.padding_mode = padding_mode
        self._parameters_of(owner, (self.in_channels, self.out_channels // self.groups) + self.kernel_size, bias,
                            dtype, rng)  # (fan_in = out_channels / groups * prod(kernel), as PyTorch's)

    def forward(self, input, output_size=None):
        """The transposed convolution of input; output_size (its spatial sizes, optionally led by N and C, or C
        unbatched) picks the output_padding that gives it, as PyTorch's, in place of the layer's."""
        owner = type(self).__name__
        x = _module_input(owner, input, self.weight.dtype, cast=True)
        output_padding = self.output_padding
        if output_size is not None:
            _checked_rank(x, self.dims, owner)
            output_padding = output_padding_for(output_size, x.shape, self.kernel_size, self.stride, self.padding,
                                                self.dilation, owner)
        convolve = getattr(F, f"conv_transpose{self.dims}d")
        return convolve(x, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups,
                        self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    """A 1-D transposed convolution over inputs (N, in_channels, L) or (in_channels, L), as PyTorch's
    ConvTranspose1d (F.conv_transpose1d): weight (in_channels, out_channels / groups, kernel_size), bias
    (out_channels,); stride, padding, output_padding, groups, dilation as there; padding_mode 'zeros' only.
    forward(input, output_size=None). dtype: the parameters', to which an input is cast; rng: a Generator or seed.

    >>> import numpy as np, nn
    >>> up = nn.ConvTranspose1d(2, 4, 3, stride=2, rng=0)
    >>> up, up.weight.shape, up(np.ones((5, 2, 10))).shape, up(np.ones((5, 2, 10)), output_size=[22]).shape
    (ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,)), (2, 4, 3), (5, 4, 21), (5, 4, 22))
    """

    dims = 1


class ConvTranspose2d(_ConvTransposeNd):
    """A 2-D transposed convolution over inputs (N, in_channels, H, W) or (in_channels, H, W), as PyTorch's
    ConvTranspose2d (F.conv_transpose2d): weight (in_channels, out_channels / groups, kH, kW), bias (out_channels,);
    kernel_size, stride, padding, output_padding and dilation each an int or a pair; groups; padding_mode 'zeros'
    only. forward(input, output_size=None) as PyTorch's. dtype: the parameters'; rng: a Generator or seed.

    >>> import numpy as np, nn
    >>> up = nn.ConvTranspose2d(4, 6, (3, 2), stride=2, groups=2, bias=False, rng=0)
    >>> up, up.weight.shape, up(np.ones((4, 5, 5))).shape
    (ConvTranspose2d(4, 6, kernel_size=(3, 2), stride=(2, 2), groups=2, bias=False), (4, 3, 3, 2), (6, 11, 10))
    """

    dims = 2


class ConvTranspose3d(_ConvTransposeNd):
    """A 3-D transposed convolution over inputs (N, in_channels, D, H, W) or (in_channels, D, H, W), as PyTorch's
    ConvTranspose3d (F.conv_transpose3d): weight (in_channels, out_channels / groups, kD, kH, kW), bias
    (out_channels,); kernel_size, stride, padding, output_padding and dilation each an int or a triple; groups;
    padding_mode 'zeros' only. forward(input, output_size=None). dtype: the parameters'; rng: a Generator or seed.

    >>> import numpy as np, nn
    >>> up = nn.ConvTranspose3d(2, 1, 2, stride=2, rng=0)
    >>> up.weight.shape, up(np.ones((1, 2, 3, 3, 3))).shape
    ((2, 1, 2, 2, 2), (1, 1, 6, 6, 6))
    """

    dims = 3


class _Blocks(Module):
    """What Fold and Unfold share: the settings, checked when the layer is made and kept as given (PyTorch's repr
    shows them so)."""

    def _settings(self, kernel_size, dilation, padding, stride):
        owner = type(self).__name__
        # (a 1-D integer array or Tensor as the tuple of ints it holds: PyTorch's layers take one)
        kernel_size, dilation, padding, stride = map(_sizes_listed, (kernel_size, dilation, padding, stride))
        _per_axis(kernel_size, 2, owner, "kernel_size")
        _per_axis(dilation, 2, owner, "dilation")
        _per_axis(padding, 2, owner, "padding", low=0)
        _per_axis(stride, 2, owner, "stride")
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Unfold(_Blocks):
    """The sliding blocks of images (N, C, H, W) or (C, H, W) as columns (N, C * kH * kW, L), as PyTorch's Unfold
    (F.unfold); kernel_size, dilation, padding and stride each an int or a pair.

    >>> import numpy as np, nn
    >>> nn.Unfold(2), nn.Unfold(2)(np.ones((5, 3, 4, 4))).shape
    (Unfold(kernel_size=2, dilation=1, padding=0, stride=1), (5, 12, 9))
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self._settings(kernel_size, dilation, padding, stride)

    def forward(self, input):
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)


class Fold(_Blocks):
    """Columns (N, C * kH * kW, L) or (C * kH * kW, L) added back into images of output_size, overlapping blocks
    summed, as PyTorch's Fold (F.fold); output_size, kernel_size, dilation, padding and stride each an int or a pair.

    >>> import numpy as np, nn
    >>> nn.Fold((4, 4), 2), nn.Fold((4, 4), 2)(np.ones((5, 12, 9))).shape
    (Fold(output_size=(4, 4), kernel_size=2, dilation=1, padding=0, stride=1), (5, 3, 4, 4))
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        output_size = _sizes_listed(output_size)  # (torch.tensor([4, 4]) too, as F.fold and PyTorch's Fold)
        _per_axis(output_size, 2, "Fold", "output_size")
        self.output_size = output_size
        self._settings(kernel_size, dilation, padding, stride)

    def forward(self, input):
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return f"output_size={self.output_size}, " + super().extra_repr()
