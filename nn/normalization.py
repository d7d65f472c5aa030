"""Normalisation layers: LayerNorm, BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d and GroupNorm, as PyTorch's
(nn.functional's layer_norm, batch_norm, instance_norm and group_norm).

Each normalises with the engine's mean, var and sqrt, so every gradient, and every second derivative, is the
engine's; the running statistics of the batch and instance normalisations are buffers, in the state dict and
checkpoints, never parameters. The batch and instance normalisations share their settings, parameters and buffers
(_NormBase, as PyTorch's); BatchNorm1d, 2d and 3d differ only in the input ranks they take.

>>> import numpy as np, nn
>>> model = nn.Sequential(nn.Linear(4, 8, rng=0), nn.BatchNorm1d(8), nn.ReLU(), nn.LayerNorm(8))
>>> [name for name in model.state_dict()]  # doctest: +NORMALIZE_WHITESPACE
['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked',
 '3.weight', '3.bias']
>>> model(np.ones((5, 4))).shape
(5, 8)
"""
import math
import warnings

import numpy as np

from autograd_core import Tensor

from . import functional as F
from . import init
from ._arguments import as_flag, checked_number, takes_device
from ._normalization_functions import _batch_norm, _group_norm, _instance_norm, _layer_norm, normalized_shape_of
from ._normalization_functions import NormalizationShapeError, _rms_norm, check_training_eps
from ._parameter_reset import reset_at_construction, resets
from .init import copy_into
from .layers import _check_sizes, _float_dtype
from .module import Module, Parameter

__all__ = ["LayerNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d",
           "InstanceNorm3d", "GroupNorm", "RMSNorm"]


def _module_input(owner, x, dtype, cast):
    """x as an array or Tensor of a float dtype: cast (a Tensor differentiably) to dtype when cast (a layer with
    parameters, as Linear casts) or when it holds no floats (bools, integers); otherwise a float input keeps its
    dtype (a layer without parameters works in any, as PyTorch's)."""
    if not isinstance(x, Tensor):
        F._refuse_held_graph(x, owner)
        x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{owner}: expected input of a bool, integer or float dtype, got {x.dtype} (shape {x.shape})")
    if x.dtype != dtype and (cast or x.dtype.kind != "f"):
        x = x.astype(dtype)
    return x


def _affine_parameters(shape, dtype, affine, bias):
    """The (weight, bias) Parameters of a normalisation, to be filled by reset_parameters, or None without them."""
    if not affine:
        return None, None
    return Parameter(np.empty(shape, dtype=dtype)), Parameter(np.empty(shape, dtype=dtype)) if bias else None


class _AffineNorm(Module):
    """What the normalisations share: reset_parameters, weight ones and bias zeros; the dtype."""

    @property
    def dtype(self):
        """The weight's dtype, to which an input is cast (so it follows Module.to), or without a weight the dtype
        given, to which an integer or bool input is cast (the batch and instance normalisations' also reads their
        running statistics).

        >>> import nn
        >>> nn.LayerNorm(3).double().dtype, nn.GroupNorm(1, 2, affine=False).dtype
        (dtype('float64'), dtype('float32'))
        """
        return self._dtype if self.weight is None else self.weight.dtype

    @resets
    def reset_parameters(self, rng=None):
        """Set the weight (if any) to ones and the bias (if any) to zeros again, in the same Parameters, as the
        constructor did (PyTorch's reset_parameters); the batch and instance normalisations reset their running
        statistics too (reset_running_stats). rng is accepted, as every layer's reset_parameters takes it, and
        unused: nothing is random.

        >>> import numpy as np, nn
        >>> norm = nn.LayerNorm(2)
        >>> _ = nn.init.normal_(norm.weight, rng=0)
        >>> norm.reset_parameters(); norm.weight.data
        array([1., 1.], dtype=float32)
        """
        if self.weight is not None:
            init.ones_(self.weight)
        if getattr(self, "bias", None) is not None:
            init.zeros_(self.bias)


class LayerNorm(_AffineNorm):
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

    @takes_device
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, *, dtype=np.float32):
        super().__init__()
        self.normalized_shape = normalized_shape_of(normalized_shape, "LayerNorm")
        self.eps = checked_number(eps, "LayerNorm", "eps", low=0)
        self.elementwise_affine = as_flag(elementwise_affine, "LayerNorm", "elementwise_affine")
        bias = as_flag(bias, "LayerNorm", "bias")
        self._dtype = _float_dtype("LayerNorm", dtype)
        self.weight, self.bias = _affine_parameters(self.normalized_shape, self._dtype, self.elementwise_affine, bias)
        reset_at_construction(self, None)

    def forward(self, input):  # (PyTorch's parameter name: layer(input=x) works)
        x = _module_input("LayerNorm", input, self.dtype, cast=self.weight is not None)
        return _layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps, "LayerNorm")

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class RMSNorm(_AffineNorm):
    """Root-mean-square normalisation over the last axes, of shape normalized_shape (an int or a tuple): each
    sample's entries there divided by sqrt(mean(x**2) + eps), then times weight (ones at first) of shape
    normalized_shape, as PyTorch's. eps=None: the machine epsilon of the input's dtype (float32's for float16).
    elementwise_affine=False: no weight. dtype (a keyword): the weight's, to which an input is cast, as LayerNorm's.

    >>> import numpy as np, nn
    >>> norm = nn.RMSNorm(2)
    >>> norm
    RMSNorm((2,), eps=None, elementwise_affine=True)
    >>> norm(np.array([[3.0, -4.0]])).data.round(4)
    array([[ 0.8485, -1.1314]], dtype=float32)
    """

    @takes_device
    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, *, dtype=np.float32):
        super().__init__()
        self.normalized_shape = normalized_shape_of(normalized_shape, "RMSNorm")
        self.eps = None if eps is None else checked_number(eps, "RMSNorm", "eps", low=0, what="None or a number >= 0")
        self.elementwise_affine = as_flag(elementwise_affine, "RMSNorm", "elementwise_affine")
        self._dtype = _float_dtype("RMSNorm", dtype)
        self.weight, _ = _affine_parameters(self.normalized_shape, self._dtype, self.elementwise_affine, False)
        reset_at_construction(self, None)

    def forward(self, x):
        x = _module_input("RMSNorm", x, self.dtype, cast=self.weight is not None)
        return _rms_norm(x, self.normalized_shape, self.weight, self.eps, "RMSNorm")

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class _NormBase(_AffineNorm):
    """What BatchNorm and InstanceNorm share, as PyTorch's _NormBase: the settings num_features, eps, momentum (None
    or a number in [0, 1]), affine, track_running_stats (with the keywords bias and dtype), a weight (ones) and a
    bias (zeros) per channel with affine, and with track_running_stats the buffers running_mean (zeros),
    running_var (ones) and num_batches_tracked (0). A subclass names the input ranks it takes (_ranks) and their
    layouts (_layouts), for its errors."""

    _ranks = ()
    _layouts = ""
    # Checkpoints from before PyTorch's BatchNorm version 2 lack this buffer: loading one keeps its value, as PyTorch's.
    _KEPT_WHEN_ABSENT = ("num_batches_tracked",)
    _version = 2  # PyTorch's _NormBase's, in state_dict()._metadata

    def __init__(self, num_features, eps, momentum, affine, track_running_stats, bias, dtype):
        super().__init__()
        name = type(self).__name__
        _check_sizes(name, num_features=num_features)
        self.num_features = int(num_features)
        self.eps = checked_number(eps, name, "eps", low=0)
        self.momentum = None if momentum is None else checked_number(
            momentum, name, "momentum", low=0, high=1, what="None or a number in [0, 1]")
        self.affine = as_flag(affine, name, "affine")
        self.track_running_stats = as_flag(track_running_stats, name, "track_running_stats")
        bias = as_flag(bias, name, "bias")
        self._dtype = _float_dtype(name, dtype)
        self.weight, self.bias = _affine_parameters(self.num_features, self._dtype, self.affine, bias)
        tracked = self.track_running_stats
        self.register_buffer("running_mean", np.zeros(self.num_features, dtype=self._dtype) if tracked else None)
        self.register_buffer("running_var", np.ones(self.num_features, dtype=self._dtype) if tracked else None)
        self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64) if tracked else None)
        reset_at_construction(self, None)

    def reset_parameters(self, rng=None):
        """The weight ones and the bias zeros again (see LayerNorm.reset_parameters), and reset_running_stats, as
        PyTorch's; rng is accepted and unused."""
        super().reset_parameters(rng)  # (its rng check first: a bad rng leaves the statistics as they were)
        self.reset_running_stats()

    def reset_running_stats(self):
        """Set the running statistics back to their start, mean 0, variance 1 and no batch counted, in place, as
        PyTorch's (update_bn starts from there); without track_running_stats there are none and nothing changes.

        >>> import autograd_core as ag, nn
        >>> bn = nn.BatchNorm1d(1, dtype=float)
        >>> _ = bn(ag.tensor([[1.0], [3.0]]))
        >>> bn.reset_running_stats()
        >>> bn.running_mean, bn.running_var, bn.num_batches_tracked.item()
        (Tensor([0.]), Tensor([1.]), 0)
        """
        for buffer, start in ((self.running_mean, 0), (self.running_var, 1), (self.num_batches_tracked, 0)):
            if buffer is not None:
                copy_into(buffer, start)

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

    def _input(self, x):
        """x as a float array or Tensor (cast as _module_input casts) of one of the ranks taken, or an error."""
        name = type(self).__name__
        x = _module_input(name, x, self.dtype, cast=self.weight is not None)
        if x.ndim not in self._ranks:
            ranks = " or ".join(f"{r}D" for r in self._ranks)
            raise ValueError(f"{name}: expected {ranks} input, {self._layouts}, got {x.ndim}D input of shape "
                             f"{x.shape}")
        return x

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    """Batch normalisation per channel (axis 1) over every other axis, F.batch_norm's, as PyTorch's _BatchNorm;
    BatchNorm1d, BatchNorm2d and BatchNorm3d differ only in the input ranks they take."""

    @takes_device
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, *, bias=True,
                 dtype=np.float32):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, bias, dtype)

    def forward(self, input):  # (PyTorch's parameter name: layer(input=x) works)
        x = self._input(input)
        if x.shape[1] != self.num_features:
            raise NormalizationShapeError(f"{type(self).__name__}: expected input with {self.num_features} channels "
                                          f"(num_features) on axis 1, got input of shape {x.shape}")
        # Batch statistics in training, and in eval mode too when there are no running ones (PyTorch's rule).
        batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        if batch_stats:
            check_training_eps(self.eps, type(self).__name__)
        factor = 0.0 if self.momentum is None else self.momentum
        counting = self.training and self.track_running_stats and self.num_batches_tracked is not None
        # (a refused batch, of one value per channel, counts no batch; one of 0 channels counts, as PyTorch's)
        if counting and x.shape[0] * math.prod(x.shape[2:]) > 1:
            copy_into(self.num_batches_tracked, self.num_batches_tracked.data + 1)
            if self.momentum is None:  # the cumulative average
                factor = 1.0 / float(self.num_batches_tracked.data)
        use_running = not self.training or self.track_running_stats
        return _batch_norm(x, self.running_mean if use_running else None,
                             self.running_var if use_running else None, self.weight, self.bias, batch_stats, factor,
                             self.eps, type(self).__name__)


class BatchNorm1d(_BatchNorm):
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

    _ranks = (2, 3)
    _layouts = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of inputs (N, C, H, W) per channel C (num_features), over N, H and W, as PyTorch's:
    BatchNorm1d's settings, buffers and train/eval behaviour (see there) for images.

    >>> import numpy as np, nn
    >>> bn = nn.BatchNorm2d(3)
    >>> y = bn(np.random.default_rng(0).normal(2.0, 3.0, size=(4, 3, 5, 5)))
    >>> y.data.mean(axis=(0, 2, 3)).round(4) + 0.0, y.data.var(axis=(0, 2, 3)).round(4)
    (array([0., 0., 0.], dtype=float32), array([1., 1., 1.], dtype=float32))
    >>> [name for name in bn.state_dict()]
    ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
    """

    _ranks = (4,)
    _layouts = "(N, C, H, W)"


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of inputs (N, C, D, H, W) per channel C (num_features), over N, D, H and W, as
    PyTorch's: BatchNorm1d's settings, buffers and train/eval behaviour (see there) for volumes.

    >>> import numpy as np, nn
    >>> nn.BatchNorm3d(2)(np.ones((2, 2, 3, 3, 3))).shape
    (2, 2, 3, 3, 3)
    """

    _ranks = (5,)
    _layouts = "(N, C, D, H, W)"


class _InstanceNorm(_NormBase):
    """Instance normalisation, F.instance_norm's, as PyTorch's _InstanceNorm: each sample's channel normalised over
    its spatial entries; an unbatched input (one rank less) is taken as one sample."""

    @takes_device
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False, *,
                 bias=True, dtype=np.float32):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, bias, dtype)

    def forward(self, input):  # (PyTorch's parameter name: layer(input=x) works)
        x = self._input(input)
        name, unbatched = type(self).__name__, x.ndim == self._ranks[0]
        channels = x.shape[0 if unbatched else 1]
        if channels != self.num_features:
            message = (f"{name}: expected input with {self.num_features} channels (num_features) on axis "
                       f"{0 if unbatched else 1}, got input of shape {x.shape}")
            if self.affine or self.track_running_stats:  # a weight or a statistic per channel
                raise NormalizationShapeError(message)
            warnings.warn(message + "; num_features is not used since affine=False and track_running_stats=False, "
                          "so the input is normalised as it is (PyTorch's warning)", UserWarning, stacklevel=3)
        if unbatched:
            x = x[None]
        # PyTorch's rule: momentum=None here is 0 (no cumulative average), and num_batches_tracked stays 0.
        out = _instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                             self.training or not self.track_running_stats,
                             0.0 if self.momentum is None else self.momentum, self.eps, name)
        return out[0] if unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of inputs (N, C, L), or unbatched (C, L), as PyTorch's: each sample's channel
    normalised over its L entries to mean 0 and biased variance 1, (x - mean) / sqrt(var + eps), in training and
    in eval mode alike. affine (False by default): a weight (ones) and, unless bias=False, a bias (zeros) per
    channel. track_running_stats (False by default): the buffers running_mean and running_var move in training
    towards the batch's mean of each instance's mean and unbiased variance (running = (1 - momentum) * running +
    momentum * that; momentum=None leaves them, as PyTorch's) and normalise in eval mode; num_batches_tracked stays
    0, as PyTorch's. An input whose channels are not num_features is refused with affine or track_running_stats,
    and otherwise normalised with a warning, as PyTorch's. dtype (a keyword) as BatchNorm1d's.

    >>> import numpy as np, nn
    >>> norm = nn.InstanceNorm1d(2)
    >>> norm
    InstanceNorm1d(2, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)
    >>> norm(np.array([[[1.0, 3.0], [0.0, 5.0]]])).data.round(4)
    array([[[-1.,  1.],
            [-1.,  1.]]])
    """

    _ranks = (2, 3)
    _layouts = "(C, L) or (N, C, L)"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of inputs (N, C, H, W), or unbatched (C, H, W), as PyTorch's: each sample's channel
    normalised over its H x W entries; InstanceNorm1d's settings and behaviour (see there) for images.

    >>> import numpy as np, nn
    >>> y = nn.InstanceNorm2d(3)(np.random.default_rng(0).normal(2.0, 3.0, size=(2, 3, 4, 4)))
    >>> bool(np.abs(y.data.mean(axis=(2, 3))).max() < 1e-6), float(y.data.var(axis=(2, 3)).round(3).min())
    (True, 1.0)
    """

    _ranks = (3, 4)
    _layouts = "(C, H, W) or (N, C, H, W)"


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of inputs (N, C, D, H, W), or unbatched (C, D, H, W), as PyTorch's: each sample's
    channel normalised over its D x H x W entries; InstanceNorm1d's settings and behaviour (see there) for volumes.

    >>> import numpy as np, nn
    >>> nn.InstanceNorm3d(2, affine=True)(np.ones((2, 2, 2, 2))).shape
    (2, 2, 2, 2)
    """

    _ranks = (4, 5)
    _layouts = "(C, D, H, W) or (N, C, D, H, W)"


class GroupNorm(_AffineNorm):
    """Group normalisation, as PyTorch's: the num_channels channels of an input (N, C, *) split into num_groups
    groups of consecutive channels, each sample's group normalised to mean 0 and biased variance 1,
    (x - mean) / sqrt(var + eps), in training and in eval mode alike (no running statistics); then, with affine,
    times a weight (ones) and plus a bias (zeros, unless bias=False) per channel. num_groups must divide
    num_channels. dtype (a keyword): the parameters', to which an input is cast, as Linear's.

    >>> import numpy as np, nn
    >>> norm = nn.GroupNorm(2, 4)
    >>> norm
    GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)
    >>> norm(np.array([[1.0, 3.0, 0.0, 4.0]])).data.round(4)
    array([[-1.,  1., -1.,  1.]], dtype=float32)
    """

    @takes_device
    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, *, bias=True, dtype=np.float32):
        super().__init__()
        _check_sizes("GroupNorm", positive=("num_groups",), num_groups=num_groups, num_channels=num_channels)
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups, self.num_channels = int(num_groups), int(num_channels)
        self.eps = checked_number(eps, "GroupNorm", "eps", low=0)
        self.affine = as_flag(affine, "GroupNorm", "affine")
        bias = as_flag(bias, "GroupNorm", "bias")
        self._dtype = _float_dtype("GroupNorm", dtype)
        self.weight, self.bias = _affine_parameters(self.num_channels, self._dtype, self.affine, bias)
        reset_at_construction(self, None)

    def forward(self, input):  # (PyTorch's parameter name: layer(input=x) works)
        x = _module_input("GroupNorm", input, self.dtype, cast=self.weight is not None)
        if x.ndim < 2 or x.shape[1] != self.num_channels:
            raise NormalizationShapeError(f"GroupNorm: expected an input (N, C, *) with {self.num_channels} channels "
                                          f"(num_channels) on axis 1, got input of shape {x.shape}")
        return _group_norm(x, self.num_groups, self.weight, self.bias, self.eps, "GroupNorm")

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")
