"""PyTorch's group_norm and instance_norm, which nn.functional re-exports beside its layer_norm and batch_norm, with
torch.nn.functional's names, arguments and defaults.

Each normalises with the engine's mean, var and sqrt over some axes of an input (N, C, *), as layer_norm and
batch_norm do (nn.functional's _normalized and _affine), so its gradients and second derivatives are the engine's:
group_norm over each sample's groups of C / num_groups channels (and every spatial entry), instance_norm over each
sample's channel (its spatial entries). Running statistics, as batch_norm's, are arrays or Tensors updated in place
and never part of the graph.
"""
import math

import numpy as np

import autograd_core as ag
from autograd_core.tensor import saved_value

from . import functional as F  # its checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number

__all__ = ["group_norm", "instance_norm"]


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
    x, weight, bias, half = F._float16_in_float32(F._float_input(input, where), weight, bias, where)
    out = _group_norm_float(x, num_groups, weight, bias, eps, where)
    return out.astype(np.float16) if half else out  # (float16 computed in float32, rounded once, as PyTorch's)


def _group_norm_float(x, num_groups, weight, bias, eps, where):
    if x.ndim < 2:
        raise ValueError(f"{where}: expected an input of shape (N, C, *) with the channels C on axis 1, got input "
                         f"of shape {x.shape}")
    groups = checked_number(num_groups, where, "num_groups", low=1, integer=True)
    n, channels = x.shape[:2]
    if channels % groups:
        raise ValueError(f"{where}: the input's {channels} channels (axis 1 of shape {x.shape}) cannot be split into "
                         f"num_groups={groups} groups of equal size; num_groups must divide the channels")
    if n * (channels // groups) * math.prod(x.shape[2:]) == 1:  # PyTorch's rule
        raise ValueError(f"{where}: expected more than 1 value per group in the batch, got input of shape "
                         f"{x.shape} with num_groups={groups}; use a larger batch or fewer groups")
    shape = (1, channels) + (1,) * (x.ndim - 2)  # a channel's weight broadcasts along every other axis
    if x.size == 0:  # empty groups (a spatial axis of 0) have no statistics: the empty result, as PyTorch's
        return F._affine(x * 1, weight, bias, (channels,), shape, where)  # (a new Tensor, as otherwise)
    grouped = x.reshape(n, groups, channels // groups * math.prod(x.shape[2:]))  # (-1 fails on an empty batch)
    normalized, _, _ = F._normalized(grouped, (2,), eps)
    return F._affine(normalized.reshape(x.shape), weight, bias, (channels,), shape, where)


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
    x, weight, bias, half = F._float16_in_float32(F._float_input(input, where), weight, bias, where)
    out = _instance_norm_float(x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps, where)
    return out.astype(np.float16) if half else out  # (float16 computed in float32, rounded once, as PyTorch's)


def _instance_norm_float(x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps, where):
    if x.ndim < 2:
        raise ValueError(f"{where}: expected an input of shape (N, C, *) with the channels C on axis 1, got input "
                         f"of shape {x.shape}")
    n, channels = x.shape[:2]
    stats = [F._running_statistic(s, name, channels, where)
             for s, name in ((running_mean, "running_mean"), (running_var, "running_var"))]
    if (stats[0] is None) != (stats[1] is None):
        raise ValueError(f"{where}: pass both running_mean and running_var, or neither (None)")
    shape = (1, channels) + (1,) * (x.ndim - 2)
    if use_input_stats:
        count = math.prod(x.shape[2:])
        if count == 1:  # (none: an empty result, as PyTorch's)
            raise ValueError(f"{where}: expected more than 1 spatial element per channel when using the input's "
                             f"statistics (training), got input of shape {x.shape}; use_input_stats=False "
                             f"normalises with running statistics instead")
        if x.size == 0:  # no instance, or none with entries: no statistics, the running ones unchanged
            return F._affine(x * 1, weight, bias, (channels,), shape, where)
        axes = tuple(range(2, x.ndim))
        constant = None if eps else x.data.max(axis=axes, keepdims=True) == x.data.min(axis=axes, keepdims=True)
        if constant is not None and constant.any():  # eps=0: PyTorch's 0 for a constant instance, not 0 / 0
            mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
            normalized = ag.where(constant, 0, (x - mean) / ag.sqrt(ag.where(constant, 1, var)))
        else:
            normalized, mean, var = F._normalized(x, axes, eps)
        if stats[0] is not None:  # constants: the running statistics are no part of the graph
            batch = (mean.data.reshape(n, channels).mean(axis=0),
                     (var.data.reshape(n, channels) * (count / (count - 1))).mean(axis=0))  # unbiased, as PyTorch
            for stat, value in zip(stats, batch):
                F._write(stat, (1 - momentum) * saved_value(stat) + momentum * value)
    else:
        if stats[0] is None:
            raise ValueError(f"{where}: running_mean and running_var are needed when use_input_stats=False; pass "
                             f"them, or use_input_stats=True to use each instance's statistics")
        mean, var = (saved_value(stat, x.dtype).reshape(shape) for stat in stats)
        normalized = (x - mean) / np.sqrt(var + np.asarray(eps, x.dtype))
    return F._affine(normalized, weight, bias, (channels,), shape, where)
