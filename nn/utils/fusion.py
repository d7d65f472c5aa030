"""Folding a batch normalisation into the layer before it, as torch.nn.utils.fusion: in eval mode BatchNorm is
the affine map y = (x - running_mean) / sqrt(running_var + eps) * weight + bias, so a convolution or a Linear
followed by it is one convolution or Linear with a rescaled weight and a shifted bias. The fused weights are new
leaf Parameters (computed on values, as PyTorch's), in the layer's dtypes.
"""
import copy

import numpy as np

from autograd_core import Tensor

from ..module import Parameter

__all__ = ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval", "fuse_linear_bn_weights"]


def _values(tensor):
    return tensor.data if isinstance(tensor, Tensor) else np.asarray(tensor)


def _requires_grad(tensor):
    return isinstance(tensor, Tensor) and tensor.requires_grad


def _batch_norm_terms(bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """(mean, 1/sqrt(var + eps) * weight, bias) as arrays; weight ones and bias zeros when None."""
    mean, var = _values(bn_rm), _values(bn_rv)
    scale = 1.0 / np.sqrt(var + np.asarray(bn_eps, dtype=var.dtype))
    if bn_w is not None:
        scale = scale * _values(bn_w)
    shift = np.zeros_like(mean) if bn_b is None else _values(bn_b)
    return mean, scale, shift


def _check_channels(where, weight, axis, layer_b, bn_terms):
    """Refuse batch-norm terms (running mean and variance, weight, bias; None skipped) of another length than the
    layer's output channels (weight's axis, 1 for one shared by all) or a layer bias of another length, with
    a message naming both, before NumPy's broadcasting error."""
    channels = weight.shape[axis] if weight.ndim > axis else None
    for name, term in zip(("running_mean", "running_var", "weight", "bias"), bn_terms):
        if term is not None and np.shape(_values(term)) not in ((channels,), (1,)):
            raise ValueError(f"{where}: the batch norm's {name} has shape {np.shape(_values(term))}, but the layer's "
                             f"weight of shape {weight.shape} has {channels} output channels (its axis {axis}): "
                             f"fuse a batch norm of num_features={channels}")
    if layer_b is not None and np.shape(_values(layer_b)) != (channels,):
        raise ValueError(f"{where}: the layer's bias has shape {np.shape(_values(layer_b))}, but its weight of shape "
                         f"{weight.shape} has {channels} output channels (its axis {axis})")


def fuse_conv_bn_weights(conv_w, conv_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b, transpose=False):
    """The (weight, bias) Parameters of a convolution that computes conv (weight conv_w, bias conv_b or None)
    followed by an eval-mode batch norm (running mean and variance, eps, weight and bias, each may be None), as
    PyTorch's; transpose=True for a ConvTranspose weight (channels on its axis 1). A missing conv bias gives a
    bias that does not require grad, as PyTorch's.

    >>> import numpy as np, nn
    >>> w, b = nn.utils.fuse_conv_bn_weights(np.ones((2, 1, 3)), None, np.zeros(2), np.full(2, 4.0), 0.0,
    ...                                      np.array([1.0, 2.0]), np.array([0.5, 0.5]))
    >>> w.data[:, 0, 0], b.data
    (array([0.5, 1. ]), array([0.5, 0.5]))
    """
    weight = _values(conv_w)
    _check_channels("fuse_conv_bn_weights", weight, 1 if transpose else 0, conv_b, (bn_rm, bn_rv, bn_w, bn_b))
    mean, scale, shift = _batch_norm_terms(bn_rm, bn_rv, bn_eps, bn_w, bn_b)
    bias_dtype = weight.dtype if conv_b is None else _values(conv_b).dtype
    # (one bias per output channel, also for a batch norm of one feature shared by all, where PyTorch's has one entry)
    bias = np.zeros(weight.shape[1 if transpose else 0], mean.dtype) if conv_b is None else _values(conv_b)
    shape = ([1, -1] if transpose else [-1, 1]) + [1] * (weight.ndim - 2)
    fused_w = (weight * scale.reshape(shape)).astype(weight.dtype)
    fused_b = ((bias - mean) * scale + shift).astype(bias_dtype)
    return (Parameter(fused_w, requires_grad=_requires_grad(conv_w)),
            Parameter(fused_b, requires_grad=_requires_grad(conv_b)))


def fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """The (weight, bias) Parameters of a Linear that computes a Linear (linear_w, linear_b or None) followed by
    an eval-mode batch norm over its outputs, as PyTorch's (bn_w and bn_b may also be None here).

    >>> import numpy as np, nn
    >>> w, b = nn.utils.fuse_linear_bn_weights(np.ones((2, 3)), np.zeros(2), np.zeros(2), np.ones(2), 0.0,
    ...                                        np.array([2.0, 3.0]), np.array([1.0, 0.0]))
    >>> w.data, b.data
    (array([[2., 2., 2.],
           [3., 3., 3.]]), array([1., 0.]))
    """
    weight = _values(linear_w)
    _check_channels("fuse_linear_bn_weights", weight, 0, linear_b, (bn_rm, bn_rv, bn_w, bn_b))
    mean, scale, shift = _batch_norm_terms(bn_rm, bn_rv, bn_eps, bn_w, bn_b)
    bias_dtype = weight.dtype if linear_b is None else _values(linear_b).dtype
    bias = np.zeros_like(mean) if linear_b is None else _values(linear_b)
    fused_w = weight * np.expand_dims(scale, -1).astype(weight.dtype)
    fused_b = ((bias - mean) * scale + shift).astype(bias_dtype)
    return (Parameter(fused_w, requires_grad=_requires_grad(linear_w)),
            Parameter(fused_b, requires_grad=_requires_grad(linear_b)))


def _check_eval(where, layer, bn):
    if layer.training or bn.training:
        raise ValueError(f"{where}: fusion only for eval: call .eval() on the {type(layer).__name__} "
                         f"(training={layer.training}) and the {type(bn).__name__} (training={bn.training}) first")
    if getattr(bn, "running_mean", None) is None or getattr(bn, "running_var", None) is None:
        raise ValueError(f"{where}: the {type(bn).__name__} has no running statistics (track_running_stats=False): "
                         f"it normalises with each batch's own, which no fixed layer can compute")


def fuse_conv_bn_eval(conv, bn, transpose=False):
    """A copy of the convolution conv (in eval mode) computing conv followed by the batch norm bn (in eval mode),
    as torch.nn.utils.fuse_conv_bn_eval; transpose=True for a ConvTranspose layer.

    >>> import numpy as np, nn
    >>> conv, bn = nn.Conv2d(2, 3, 3, rng=0).eval(), nn.BatchNorm2d(3).eval()
    >>> x = np.random.default_rng(0).standard_normal((1, 2, 5, 5)).astype(np.float32)
    >>> bool(np.allclose(nn.utils.fuse_conv_bn_eval(conv, bn)(x).data, bn(conv(x)).data, atol=1e-6))
    True
    """
    _check_eval("fuse_conv_bn_eval", conv, bn)
    channels = conv.weight.shape[1 if transpose else 0]
    if bn.num_features not in (channels, 1):
        raise ValueError(f"fuse_conv_bn_eval: the {type(conv).__name__}'s weight of shape {conv.weight.shape} has "
                         f"{channels} output channels (its axis {1 if transpose else 0}), the {type(bn).__name__} "
                         f"{bn.num_features} features: fuse a batch norm of num_features={channels}"
                         + (" (transpose=True reads a ConvTranspose's weight)" if transpose else ""))
    fused = copy.deepcopy(conv)
    fused.weight, fused.bias = fuse_conv_bn_weights(fused.weight, fused.bias, bn.running_mean, bn.running_var,
                                                    bn.eps, bn.weight, bn.bias, transpose)
    return fused


def fuse_linear_bn_eval(linear, bn):
    """A copy of linear (in eval mode) computing linear followed by the batch norm bn (in eval mode; num_features
    linear.out_features, or 1), as torch.nn.utils.fuse_linear_bn_eval.

    >>> import numpy as np, nn
    >>> linear, bn = nn.Linear(2, 3, rng=0).eval(), nn.BatchNorm1d(3).eval()
    >>> x = np.ones((4, 2), np.float32)
    >>> bool(np.allclose(nn.utils.fuse_linear_bn_eval(linear, bn)(x).data, bn(linear(x)).data))
    True
    """
    _check_eval("fuse_linear_bn_eval", linear, bn)
    if not (linear.out_features == bn.num_features or bn.num_features == 1):
        raise ValueError(f"fuse_linear_bn_eval: to fuse, linear.out_features ({linear.out_features}) must equal "
                         f"bn.num_features ({bn.num_features}), or bn.num_features must be 1")
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(fused.weight, fused.bias, bn.running_mean, bn.running_var,
                                                      bn.eps, bn.weight, bn.bias)
    return fused
