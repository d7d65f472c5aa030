"""Fractional max pooling layers: FractionalMaxPool2d and FractionalMaxPool3d, as PyTorch's (nn.functional's
fractional_max_pool2d and fractional_max_pool3d, in nn/_fractional_pooling_functions.py), with rng= (keyword-only)
for their random samples, as the dropouts take it. Neither holds parameters; _random_samples, when given, is a
buffer, as in PyTorch.

>>> import numpy as np, nn
>>> nn.FractionalMaxPool2d(2, output_ratio=0.5, rng=0)(np.ones((8, 3, 10, 12))).shape
(8, 3, 5, 6)
"""
import math

from . import functional as F
from ._arguments import as_flag, as_number, generator
from ._fractional_pooling_functions import _sizes
from .module import Module

__all__ = ["FractionalMaxPool2d", "FractionalMaxPool3d"]


class _FractionalMaxPool(Module):
    """What FractionalMaxPool2d and 3d share: PyTorch's checks of the settings, the rng the samples come from."""

    dims = 0

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None,
                 *, rng=None):
        super().__init__()
        owner, dims = type(self).__name__, self.dims
        self.kernel_size = _sizes(kernel_size, dims, owner, "kernel_size")
        self.return_indices = as_flag(return_indices, owner, "return_indices")
        self.register_buffer("_random_samples", _random_samples)
        if output_size is None and output_ratio is None:
            raise ValueError(f"{owner} requires specifying either an output size, or a pooling ratio (output_size "
                             f"or output_ratio)")
        if output_size is not None and output_ratio is not None:
            raise ValueError(f"{owner}: only one of output_size and output_ratio may be specified, got "
                             f"output_size={output_size!r} and output_ratio={output_ratio!r}")
        self.output_size = None if output_size is None else _sizes(output_size, dims, owner, "output_size", low=0)
        self.output_ratio = None
        if output_ratio is not None:
            ratios = output_ratio if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * dims
            numbers = tuple(as_number(r) for r in ratios)
            if len(numbers) != dims or any(r is None for r in numbers):
                raise ValueError(f"{owner}: output_ratio must be a number or a tuple of {dims} numbers, got "
                                 f"{output_ratio!r}")
            if not all(math.isfinite(r) and 0 < r < 1 for r in numbers):
                raise ValueError(f"{owner}: output_ratio must be between 0 and 1 (exclusive), got {output_ratio!r}")
            self.output_ratio = numbers
        self.rng = generator(rng, owner)

    def forward(self, input):
        pool = getattr(F, f"fractional_max_pool{self.dims}d")
        samples = self._random_samples
        return pool(input, self.kernel_size, self.output_size, self.output_ratio, self.return_indices, samples,
                    rng=self.rng if samples is None else None)


class FractionalMaxPool2d(_FractionalMaxPool):
    """Fractional max pooling of an input (N, C, H, W) or (C, H, W), as PyTorch's FractionalMaxPool2d
    (F.fractional_max_pool2d): windows of kernel_size entries at pseudo-random steps to the spatial size
    output_size, or int(n * output_ratio) (each ratio in (0, 1)). The samples come from rng (a NumPy Generator or
    a seed, drawn afresh at each call), or are _random_samples (N, C, 2) when given.

    >>> import numpy as np, nn
    >>> pool = nn.FractionalMaxPool2d(2, output_size=(2, 3), return_indices=True, rng=0)
    >>> [a.shape for a in pool(np.random.default_rng(0).normal(size=(1, 5, 6)))]
    [(1, 2, 3), (1, 2, 3)]
    """

    dims = 2


class FractionalMaxPool3d(_FractionalMaxPool):
    """Fractional max pooling of an input (N, C, D, H, W) or (C, D, H, W), as PyTorch's FractionalMaxPool3d
    (F.fractional_max_pool3d; _random_samples (N, C, 3)).

    >>> import numpy as np, nn
    >>> nn.FractionalMaxPool3d(2, output_ratio=0.5, rng=0)(np.ones((2, 1, 6, 4, 8))).shape
    (2, 1, 3, 2, 4)
    """

    dims = 3
