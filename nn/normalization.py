"""Normalisation layers: LayerNorm and BatchNorm1d, as PyTorch's (nn.functional's layer_norm and batch_norm).

Each normalises with the engine's mean, var and sqrt, so every gradient, and every second derivative, is the
engine's; BatchNorm1d's running statistics are buffers, in the state dict and checkpoints, never parameters.

>>> import numpy as np, nn
>>> model = nn.Sequential(nn.Linear(4, 8, rng=0), nn.BatchNorm1d(8), nn.ReLU(), nn.LayerNorm(8))
>>> [name for name in model.state_dict()]  # doctest: +NORMALIZE_WHITESPACE
['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked',
 '3.weight', '3.bias']
>>> model(np.ones((5, 4))).shape
(5, 8)
"""
import numpy as np

from autograd_core import Tensor

from . import functional as F
from ._arguments import as_flag, checked_number
from .init import copy_into
from .layers import _check_sizes, _float_dtype
from .module import Module, Parameter

__all__ = ["LayerNorm", "BatchNorm1d"]


def _module_input(owner, x, dtype, cast):
    """x as an array or Tensor of a float dtype: cast (a Tensor differentiably) to dtype when cast (a layer with
    parameters, as Linear casts) or when it holds no floats (bools, integers); otherwise a float input keeps its
    dtype (a layer without parameters works in any, as PyTorch's)."""
    if not isinstance(x, Tensor):
        x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{owner}: expected input of a bool, integer or float dtype, got {x.dtype} (shape {x.shape})")
    if x.dtype != dtype and (cast or x.dtype.kind != "f"):
        x = x.astype(dtype)
    return x


def _affine_parameters(shape, dtype, affine, bias):
    """The (weight, bias) Parameters of a normalisation, ones and zeros as PyTorch's, or None without them."""
    if not affine:
        return None, None
    return Parameter(np.ones(shape, dtype=dtype)), Parameter(np.zeros(shape, dtype=dtype)) if bias else None


class LayerNorm(Module):
    """Layer normalisation over the last axes, of shape normalized_shape (an int or a tuple): each sample's
    entries there normalised to mean 0 and (biased) variance 1, (x - mean) / sqrt(var + eps), then times weight
    (ones at first) and plus bias (zeros) of shape normalized_shape, as PyTorch's. elementwise_affine=False: no
    weight nor bias; bias=False: no bias. dtype (a keyword): the parameters', to which an input is cast, as
    Linear's (without parameters, a float input keeps its dtype).

    >>> import numpy as np, nn
    >>> norm = nn.LayerNorm(3)
    >>> norm
    LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=True)
    >>> norm(np.array([[1.0, 2.0, 3.0]])).data.round(4)
    array([[-1.2247,  0.    ,  1.2247]], dtype=float32)
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, *, dtype=np.float32):
        super().__init__()
        self.normalized_shape = F.normalized_shape_of(normalized_shape, "LayerNorm")
        self.eps = checked_number(eps, "LayerNorm", "eps", low=0)
        self.elementwise_affine = as_flag(elementwise_affine, "LayerNorm", "elementwise_affine")
        bias = as_flag(bias, "LayerNorm", "bias")
        self._dtype = _float_dtype("LayerNorm", dtype)
        self.weight, self.bias = _affine_parameters(self.normalized_shape, self._dtype, self.elementwise_affine, bias)

    @property
    def dtype(self):
        """The weight's dtype, to which an input is cast (so it follows Module.to), or without a weight the dtype
        given, to which an integer or bool input is cast.

        >>> import nn
        >>> nn.LayerNorm(3).double().dtype
        dtype('float64')
        """
        return self._dtype if self.weight is None else self.weight.dtype

    def forward(self, x):
        x = _module_input("LayerNorm", x, self.dtype, cast=self.weight is not None)
        return F._layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps, "LayerNorm")

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class BatchNorm1d(Module):
    """Batch normalisation of inputs (N, C) or (N, C, L) per channel C (num_features), as PyTorch's.

    In training, each channel is normalised with the batch's mean and biased variance over N (and L), and, with
    track_running_stats, the buffers running_mean (zeros at first) and running_var (ones) move towards the
    batch's mean and unbiased variance: running = (1 - momentum) * running + momentum * batch, or with
    momentum=None the cumulative average over the num_batches_tracked batches seen. In eval mode the running
    statistics normalise (without track_running_stats, the batch's always do). affine: a weight (ones) and,
    unless bias=False, a bias (zeros) per channel. A training batch with one value per channel is refused, as
    PyTorch refuses it. dtype (a keyword): the parameters' and running statistics', to which an input is cast
    when there are parameters, as Linear's.

    >>> import numpy as np, nn
    >>> bn = nn.BatchNorm1d(2)
    >>> bn
    BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    >>> bn(np.array([[1.0, 0.0], [3.0, 0.0]])).data
    array([[-0.99999...,  0.        ],
           [ 0.99999...,  0.        ]], dtype=float32)
    >>> bn.running_mean, bn.num_batches_tracked
    (Tensor([0.2, 0. ], dtype=float32), Tensor(1))
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, *, bias=True,
                 dtype=np.float32):
        super().__init__()
        _check_sizes("BatchNorm1d", num_features=num_features)
        self.num_features = int(num_features)
        self.eps = checked_number(eps, "BatchNorm1d", "eps", low=0)
        self.momentum = None if momentum is None else checked_number(
            momentum, "BatchNorm1d", "momentum", low=0, high=1, what="None or a number in [0, 1]")
        self.affine = as_flag(affine, "BatchNorm1d", "affine")
        self.track_running_stats = as_flag(track_running_stats, "BatchNorm1d", "track_running_stats")
        bias = as_flag(bias, "BatchNorm1d", "bias")
        self._dtype = _float_dtype("BatchNorm1d", dtype)
        self.weight, self.bias = _affine_parameters(self.num_features, self._dtype, self.affine, bias)
        tracked = self.track_running_stats
        self.register_buffer("running_mean", np.zeros(self.num_features, dtype=self._dtype) if tracked else None)
        self.register_buffer("running_var", np.ones(self.num_features, dtype=self._dtype) if tracked else None)
        self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64) if tracked else None)

    @property
    def dtype(self):
        """The weight's dtype (else the running statistics'), to which an input is cast (so it follows
        Module.to), or without either the dtype given, to which an integer or bool input is cast.

        >>> import nn
        >>> nn.BatchNorm1d(2, affine=False).half().dtype
        dtype('float16')
        """
        held = self.weight if self.weight is not None else self.running_mean
        return self._dtype if held is None else held.dtype

    def forward(self, x):
        x = _module_input("BatchNorm1d", x, self.dtype, cast=self.weight is not None)
        if x.ndim not in (2, 3):
            raise ValueError(f"BatchNorm1d: expected 2D or 3D input, (N, C) or (N, C, L), got {x.ndim}D input of "
                             f"shape {x.shape}")
        if x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d: expected input with {self.num_features} channels (num_features) on axis "
                             f"1, got input of shape {x.shape}")
        factor = 0.0 if self.momentum is None else self.momentum
        counting = self.training and self.track_running_stats and self.num_batches_tracked is not None
        if counting and x.size > self.num_features:  # (a refused batch of one counts no batch)
            copy_into(self.num_batches_tracked, self.num_batches_tracked.data + 1)
            if self.momentum is None:  # the cumulative average
                factor = 1.0 / float(self.num_batches_tracked.data)
        # Batch statistics in training, and in eval mode too when there are no running ones (PyTorch's rule).
        batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        use_running = not self.training or self.track_running_stats
        return F._batch_norm(x, self.running_mean if use_running else None,
                             self.running_var if use_running else None, self.weight, self.bias, batch_stats, factor,
                             self.eps, "BatchNorm1d")

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")
