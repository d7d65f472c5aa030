"""The normalisations as functions, which nn.functional re-exports: layer_norm, batch_norm, group_norm and
instance_norm, with torch.nn.functional's names, arguments and defaults.

Each normalises with the engine's mean, var and sqrt over some axes of its input (_normalized) and then scales and
shifts (_affine), so its gradients and second derivatives are the engine's: layer_norm over each sample's last
axes, batch_norm over every axis but the channels, group_norm over each sample's groups of C / num_groups channels
(and every spatial entry), instance_norm over each sample's channel (its spatial entries). A float16 input is
normalised in float32 and rounded once (_float16_in_float32). Running statistics are arrays or Tensors updated in
place and never part of the graph.
"""
import math

import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._arguments import InvalidArgumentError
from autograd_core.tensor import saved_value

from . import functional as F  # its checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number
from .init import copy_into

__all__ = ["layer_norm", "batch_norm", "group_norm", "instance_norm", "rms_norm"]


class NormalizationShapeError(InvalidArgumentError):
    """A normalisation's input, normalized_shape, weight, bias or running statistic of a shape it cannot use (an
    input whose trailing axes are not normalized_shape, a running_mean of the wrong length): a ValueError and, as
    PyTorch's errors there are, a RuntimeError."""


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Group normalisation, as PyTorch's: the C channels of an input (N, C, *) split into num_groups groups of
    C / num_groups consecutive channels, each sample's group (its channels' entries together) normalised to mean 0
    and biased variance 1, (x - mean) / sqrt(var + eps); then times weight and plus bias (each (C,), per channel)
    when given. num_groups=1 normalises each sample as a whole (layer_norm over (C, *)); num_groups=C each channel
    of each sample (instance_norm). There are no running statistics: training and evaluation agree.

    >>> import numpy as np, nn.functional as F
    >>> F.group_norm(np.array([[1.0, 3.0, 0.0, 4.0]]), 2, eps=0.0)
    Tensor([[-1.,  1., -1.,  1.]])
    """
    return _group_norm(input, num_groups, weight, bias, eps, "group_norm")


def _group_norm(input, num_groups, weight, bias, eps, where):
    eps = checked_number(eps, where, "eps", low=0)
    x, weight, bias, half = _float16_in_float32(F._float_input(input, where), weight, bias, where)
    out = _group_norm_float(x, num_groups, weight, bias, eps, where)
    return out.astype(np.float16) if half else out  # (float16 computed in float32, rounded once, as PyTorch's)


def _group_norm_float(x, num_groups, weight, bias, eps, where):
    if x.ndim < 2:
        raise NormalizationShapeError(f"{where}: expected an input of shape (N, C, *) with the channels C on axis 1, "
                                      f"got input of shape {x.shape}")
    groups = checked_number(num_groups, where, "num_groups", low=1, integer=True)
    n, channels = x.shape[:2]
    if channels % groups:
        raise NormalizationShapeError(f"{where}: the input's {channels} channels (axis 1 of shape {x.shape}) cannot "
                                      f"be split into num_groups={groups} groups of equal size; num_groups must "
                                      f"divide the channels")
    if n * (channels // groups) * math.prod(x.shape[2:]) == 1:  # PyTorch's rule
        raise ValueError(f"{where}: expected more than 1 value per group in the batch, got input of shape "
                         f"{x.shape} with num_groups={groups}; use a larger batch or fewer groups")
    shape = (1, channels) + (1,) * (x.ndim - 2)  # a channel's weight broadcasts along every other axis
    if x.numel() == 0:  # empty groups (a spatial axis of 0) have no statistics: the empty result, as PyTorch's
        return _affine(x * 1, weight, bias, (channels,), shape, where)  # (a new Tensor, as otherwise)
    grouped = x.reshape(n, groups, channels // groups * math.prod(x.shape[2:]))  # (-1 fails on an empty batch)
    normalized, _, _ = _normalized(grouped, (2,), eps)
    return _affine(normalized.reshape(x.shape), weight, bias, (channels,), shape, where)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Instance normalisation, as PyTorch's, of an input (N, C, *): with use_input_stats, each sample's channel is
    normalised over its spatial entries (*) to mean 0 and biased variance 1, (x - mean) / sqrt(var + eps), and
    running_mean and running_var (arrays or Tensors (C,), or None) are updated in place towards the batch's mean
    over N of each instance's mean and unbiased variance: (1 - momentum) * running + momentum * that. Otherwise
    the running statistics normalise (constants). weight and bias (C,) scale and shift each channel when given.

    >>> import numpy as np, nn.functional as F
    >>> mean, var = np.zeros(1), np.ones(1)
    >>> F.instance_norm(np.array([[[1.0, 3.0]], [[0.0, 4.0]]]), mean, var, eps=0.0)
    Tensor([[[-1.,  1.]],
    <BLANKLINE>
            [[-1.,  1.]]])
    >>> mean, var
    (array([0.2]), array([1.4]))
    """
    return _instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps,
                          "instance_norm")


def _instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps, where):
    use_input_stats = as_flag(use_input_stats, where, "use_input_stats")
    momentum = checked_number(momentum, where, "momentum", low=0, high=1)
    eps = checked_number(eps, where, "eps", low=0)
    x, weight, bias, half = _float16_in_float32(F._float_input(input, where), weight, bias, where)
    out = _instance_norm_float(x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps, where)
    return out.astype(np.float16) if half else out  # (float16 computed in float32, rounded once, as PyTorch's)


def _instance_norm_float(x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps, where):
    if x.ndim < 2:
        raise NormalizationShapeError(f"{where}: expected an input of shape (N, C, *) with the channels C on axis 1, "
                                      f"got input of shape {x.shape}")
    n, channels = x.shape[:2]
    stats = _running_statistics(running_mean, running_var, channels, where)
    shape = (1, channels) + (1,) * (x.ndim - 2)
    if use_input_stats:
        count = math.prod(x.shape[2:])
        if count == 1:  # (none: an empty result, as PyTorch's)
            raise ValueError(f"{where}: expected more than 1 spatial element per channel when using the input's "
                             f"statistics (training), got input of shape {x.shape}; use_input_stats=False "
                             f"normalises with running statistics instead")
        if x.numel() == 0:  # no instance, or none with entries: no statistics, the running ones unchanged
            return _affine(x * 1, weight, bias, (channels,), shape, where)
        axes = tuple(range(2, x.ndim))
        constant = None if eps else x.data.max(axis=axes, keepdims=True) == x.data.min(axis=axes, keepdims=True)
        if constant is not None and constant.any():  # eps=0: PyTorch's 0 for a constant instance, not 0 / 0
            mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
            normalized = ag.where(constant, 0, (x - mean) / ag.sqrt(ag.where(constant, 1, var)))
        else:
            normalized, mean, var = _normalized(x, axes, eps)
        if stats[0] is not None:
            unbiased = var.data.reshape(n, channels) * (count / (count - 1))  # the running variance's, as PyTorch's
            _update_running(stats, (mean.data.reshape(n, channels).mean(axis=0), unbiased.mean(axis=0)), momentum)
    else:
        if stats[0] is None:
            raise NormalizationShapeError(f"{where}: running_mean and running_var are needed when "
                                          f"use_input_stats=False; pass them, or use_input_stats=True to use each "
                                          f"instance's statistics")
        normalized = _by_running_statistics(x, stats, shape, eps)
    return _affine(normalized, weight, bias, (channels,), shape, where)


# ---- layer_norm, batch_norm and what the normalisations share ------------------------------------------------
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation, as PyTorch's: each sample's last len(normalized_shape) axes (which must equal
    normalized_shape) shifted to mean 0 and scaled to variance 1, (x - mean) / sqrt(var + eps) with the biased
    variance, then times weight and plus bias (each of shape normalized_shape) when given. Built from the engine's
    mean, var, sqrt and arithmetic, so its gradients (and second derivatives) are theirs.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.layer_norm(ag.tensor([[1.0, 3.0], [2.0, 2.0]]), (2,)).data.round(4)
    array([[-1.,  1.],
           [ 0.,  0.]])
    """
    return _layer_norm(input, normalized_shape, weight, bias, eps, "layer_norm")


def _layer_norm(input, normalized_shape, weight, bias, eps, where):
    shape = normalized_shape_of(normalized_shape, where)
    eps = checked_number(eps, where, "eps", low=0)
    x = F._float_input(input, where)
    if x.shape[x.ndim - len(shape):] != shape or x.ndim < len(shape):
        raise NormalizationShapeError(f"{where}: normalized_shape={shape} expects an input of shape (*, "
                                      f"{', '.join(map(str, shape))}), got input of shape {x.shape}")
    x, weight, bias, half = _float16_in_float32(x, weight, bias, where)
    if 0 in shape:  # nothing to normalise (PyTorch's LayerNorm(0)): the empty input, without NumPy's mean of nothing
        normalized = x
    else:
        normalized, _, _ = _normalized(x, tuple(range(x.ndim - len(shape), x.ndim)), eps)
    out = _affine(normalized, weight, bias, shape, shape, where)
    return out.astype(np.float16) if half else out


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Root-mean-square normalisation, as PyTorch's: each sample's last len(normalized_shape) axes (which must equal
    normalized_shape) divided by sqrt(mean(x**2) + eps) over them, then times weight (of shape normalized_shape)
    when given. eps=None is the machine epsilon of the dtype computed in (float32 for a float16 input, which is
    computed in float32 and rounded once, as PyTorch's). Built from the engine's mean, sqrt and arithmetic.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.rms_norm(ag.tensor([[3.0, -4.0]]), (2,), eps=0.0).data.round(4)
    array([[ 0.8485, -1.1314]])
    """
    return _rms_norm(input, normalized_shape, weight, eps, "rms_norm")


def _rms_norm(input, normalized_shape, weight, eps, where):
    shape = normalized_shape_of(normalized_shape, where)
    x = F._float_input(input, where)
    if x.shape[x.ndim - len(shape):] != shape or x.ndim < len(shape):
        raise NormalizationShapeError(f"{where}: normalized_shape={shape} expects an input of shape (*, "
                                      f"{', '.join(map(str, shape))}), got input of shape {x.shape}")
    x, weight, _, half = _float16_in_float32(x, weight, None, where)
    eps = float(np.finfo(x.dtype).eps) if eps is None else checked_number(eps, where, "eps", low=0,
                                                                         what="None or a number >= 0")
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    scaled = x if 0 in shape else x / ag.sqrt((x * x).mean(axis=axes, keepdims=True) + eps)  # (0: nothing to scale)
    out = _affine(scaled, weight, None, shape, shape, where)
    return out.astype(np.float16) if half else out


def normalized_shape_of(normalized_shape, where):
    """normalized_shape (an int or a sequence of them, each >= 0: PyTorch's LayerNorm(0) normalises nothing) as a
    tuple, or an error naming where."""
    if isinstance(normalized_shape, (int, np.integer)) and not isinstance(normalized_shape, bool):
        normalized_shape = (normalized_shape,)
    try:
        shape = tuple(normalized_shape)
    except TypeError:
        raise TypeError(f"{where}: normalized_shape must be an int or a tuple of ints (the trailing axes to "
                        f"normalise), got {normalized_shape!r}") from None
    if not shape:
        raise NormalizationShapeError(f"{where}: normalized_shape must hold at least one size (the trailing axes to "
                                      f"normalise), got {normalized_shape!r}")
    return tuple(checked_number(n, where, f"normalized_shape[{k}]", low=0, integer=True)
                 for k, n in enumerate(shape))


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalisation, as PyTorch's, of an input (N, C, *) per channel C. In training, each channel is
    normalised with the batch's mean and biased variance over every axis but C, (x - mean) / sqrt(var + eps), and
    running_mean and running_var (arrays or Tensors of shape (C,), or None) are updated in place:
    (1 - momentum) * running + momentum * batch statistic, the variance unbiased there. Otherwise the running
    statistics normalise (constants). weight and bias (C,) scale and shift each channel when given. The
    gradients come from the engine's mean, var, sqrt and arithmetic. eps must be positive in training, as
    PyTorch's (with eps=0 a constant channel would normalise to 0 / 0). An empty 1-D input (0,) is read as (0, C)
    in evaluation (the empty result, as PyTorch's); an empty training batch is refused.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> mean, var = np.zeros(1), np.ones(1)
    >>> F.batch_norm(ag.tensor([[1.0], [3.0]]), mean, var, training=True).data.round(4)
    array([[-1.],
           [ 1.]])
    >>> mean, var
    (array([0.2]), array([1.1]))
    """
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps, "batch_norm")


def _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps, where):
    training = as_flag(training, where, "training")
    momentum = checked_number(momentum, where, "momentum", low=0, high=1)
    eps = checked_number(eps, where, "eps", low=0)
    if training:
        check_training_eps(eps, where)
    x = F._float_input(input, where)
    if x.shape == (0,):  # (an empty 1-D input: PyTorch returns it; read as (0, C), C the running statistics' length)
        if training:  # (an empty training batch, refused as (0, C) is)
            raise _too_few_values(x.shape, where)
        channels = running_mean.shape[0] if getattr(running_mean, "ndim", None) == 1 else 0
        return _batch_norm(x.reshape(0, channels), running_mean, running_var, weight, bias, training, momentum, eps,
                           where).reshape(0)
    if x.ndim < 2:
        raise NormalizationShapeError(f"{where}: expected an input of shape (N, C) or (N, C, L, ...) with the "
                                      f"channels C on axis 1, got input of shape {x.shape}")
    x, weight, bias, half = _float16_in_float32(x, weight, bias, where)
    out = _batch_norm_float(x, running_mean, running_var, weight, bias, training, momentum, eps, where)
    return out.astype(np.float16) if half else out


def check_training_eps(eps, where):
    """Refuse eps=0 for batch statistics, as PyTorch 2.14's batch_norm does: a channel whose batch values are all
    equal has variance 0, and would normalise to 0 / 0 (NaN) with a NaN gradient.

    >>> from nn._normalization_functions import check_training_eps
    >>> check_training_eps(1e-5, "BatchNorm1d")  # (eps=0 raises a ValueError)
    """
    if eps == 0:
        raise ValueError(f"{where}: eps must be positive when normalising with the batch's statistics (in training, "
                         f"or without running statistics), got eps={eps}: a channel whose values in the batch are "
                         f"all equal would give 0 / 0; use eps > 0 (1e-5 by default)")


def _batch_norm_float(x, running_mean, running_var, weight, bias, training, momentum, eps, where):
    channels = x.shape[1]
    stats = _running_statistics(running_mean, running_var, channels, where)
    shape = (1, channels) + (1,) * (x.ndim - 2)  # a channel's values broadcast along every other axis
    if training:
        count = x.shape[0] * math.prod(x.shape[2:])  # (PyTorch's count, also for no channels: an empty result)
        if count <= 1:
            raise _too_few_values(x.shape, where)
        axes = (0,) + tuple(range(2, x.ndim))
        normalized, mean, var = _normalized(x, axes, eps)
        if stats[0] is not None:
            unbiased = var.data.reshape(channels) * (count / (count - 1))  # the running variance's, as PyTorch's
            _update_running(stats, (mean.data.reshape(channels), unbiased), momentum)
    else:
        if stats[0] is None:
            raise NormalizationShapeError(f"{where}: running_mean and running_var are needed in evaluation mode "
                                          f"(training=False); pass them, or training=True to use the batch's "
                                          f"statistics")
        normalized = _by_running_statistics(x, stats, shape, eps)
    return _affine(normalized, weight, bias, (channels,), shape, where)


def _too_few_values(shape, where):
    """The error for a training batch of at most one value per channel (PyTorch's ValueError)."""
    return ValueError(f"{where}: expected more than 1 value per channel when training, got input of shape {shape}; "
                      f"use a larger batch, or evaluation mode (training=False)")


def _by_running_statistics(x, stats, shape, eps):
    """x normalised by the running mean and variance (constants), reshaped to broadcast over x as shape."""
    mean, var = (saved_value(stat, x.dtype).reshape(shape) for stat in stats)
    return (x - mean) / np.sqrt(var + np.asarray(eps, x.dtype))


def _float16_in_float32(x, weight, bias, where):
    """(x, weight, bias, True) each cast (differentiably) to float32 when x is float16 and weight and bias are float16
    or None, so that the normalisation is computed in float32 and its result rounded once to float16, as PyTorch
    computes float16 normalisations: in float16 steps the backward pass of a small variance overflows to inf
    ((var + eps) ** -1.5 past 65504: a batch of 64 with a standard deviation of 0.003). Otherwise (x, weight, bias,
    False), unchanged (another dtype, or float16 beside wider parameters, which NumPy promotes to)."""
    if x.dtype != np.float16:
        return x, weight, bias, False
    parameters = [None if value is None else F._as_input(value, where) for value in (weight, bias)]
    if any(value is not None and value.dtype != np.float16 for value in parameters):
        return x, weight, bias, False
    weight, bias = (None if value is None else value.astype(np.float32) for value in parameters)
    return x.astype(np.float32), weight, bias, True


def _normalized(x, axes, eps):
    """((x - mean) / sqrt(var + eps), mean, var), mean and the biased var over axes (kept), as engine operations."""
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / ag.sqrt(var + eps), mean, var


def _affine(x, weight, bias, expected, shape, where):
    """x * weight + bias, each (when not None) of shape expected and reshaped to shape to broadcast against x."""
    for value, name in ((weight, "weight"), (bias, "bias")):
        if value is None:
            continue
        value = F._as_input(value, where)
        if value.shape != expected:
            raise NormalizationShapeError(f"{where}: {name} must have shape {expected} (one value per normalised "
                                          f"entry), got shape {value.shape}")
        value = value if value.shape == shape else value.reshape(shape)
        x = x * value if name == "weight" else x + value
    return x


def _running_statistics(running_mean, running_var, channels, where):
    """[running_mean, running_var], each checked (see _running_statistic): both None, or neither."""
    stats = [_running_statistic(s, name, channels, where)
             for s, name in ((running_mean, "running_mean"), (running_var, "running_var"))]
    if (stats[0] is None) != (stats[1] is None):
        raise NormalizationShapeError(f"{where}: pass both running_mean and running_var, or neither (None)")
    return stats


def _update_running(stats, batch, momentum):
    """Each running statistic moved momentum of the way towards the batch's: (1 - momentum) * running + momentum *
    batch, written in place (constants: the running statistics are no part of the graph)."""
    for stat, value in zip(stats, batch):
        _write(stat, (1 - momentum) * saved_value(stat) + momentum * value)


def _running_statistic(stat, name, channels, where):
    """A running statistic checked: None, or an array or a Tensor that requires no grad, of a float dtype and
    shape (channels,) (it is updated in place)."""
    if stat is None:
        return None
    if not isinstance(stat, (Tensor, np.ndarray)):
        raise TypeError(f"{where}: {name} must be a float array or Tensor of shape ({channels},) (updated in place "
                        f"in training), or None; got {type(stat).__name__}")
    if isinstance(stat, Tensor) and stat.requires_grad:
        raise TypeError(f"{where}: {name} is a running statistic, updated in place and never differentiated, but "
                        f"it requires grad; pass a buffer (or t.detach())")
    if stat.dtype.kind != "f" or stat.shape != (channels,):
        raise NormalizationShapeError(f"{where}: {name} must be a float array of shape ({channels},), one value per "
                                      f"channel of the input, got {stat.dtype} of shape {stat.shape}")
    return stat


def _write(stat, values):
    """values written into stat (a Tensor, its change counted, or an array) in place, in stat's dtype."""
    if isinstance(stat, Tensor):
        copy_into(stat, values)
    else:
        stat[...] = values
