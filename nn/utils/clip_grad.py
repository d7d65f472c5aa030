"""Gradient clipping, as torch.nn.utils: rescale or clamp the parameters' .grad in place between
backward() and the optimizer's step.
"""
import math
from collections.abc import Iterable

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from .._arguments import checked_number
from ..module import set_grad_values

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _with_grads(parameters, where):
    """The parameters that have a .grad (a single Tensor counts as one, as in PyTorch)."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    elif isinstance(parameters, Iterable):
        parameters = list(parameters)
    else:
        raise TypeError(f"{where}: parameters must be a Tensor or an iterable of them (e.g. model.parameters()), "
                        f"got {type(parameters).__name__}")
    for p in parameters:
        if not isinstance(p, Tensor):
            raise TypeError(f"{where}: parameters must be Tensors (e.g. model.parameters()), got {type(p).__name__}")
    return [p for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale the gradients so that their total norm (the norm of all of them as one vector) is at most
    max_norm, as torch.nn.utils.clip_grad_norm_; returns the total norm before clipping. norm_type:
    a p-norm's p, or inf for the largest magnitude. A non-finite norm raises when error_if_nonfinite.

    >>> import autograd_core as ag, nn
    >>> w = ag.tensor([3.0, 4.0], requires_grad=True)
    >>> (w * w).sum().backward()      # grad [6, 8], norm 10
    >>> float(nn.utils.clip_grad_norm_([w], max_norm=5.0))
    10.0
    >>> w.grad.data.round(4)
    array([3., 4.])
    """
    max_norm = _check_bound("clip_grad_norm_", "max_norm", max_norm)
    norm_type = checked_number(norm_type, "clip_grad_norm_", "norm_type", high=math.inf)  # (any p, -inf to inf)
    params = _with_grads(parameters, "clip_grad_norm_")
    if not params:
        return ag.tensor(np.float32(0.0))  # (PyTorch's default dtype)
    with np.errstate(over="ignore"):  # an overflowing norm is inf, handled below, as in PyTorch (no warning)
        # In float32 at least: float16's sum of squares overflows at a norm of 256.
        norms = np.array([np.linalg.norm(_at_least_float32(p.grad.data).ravel(), norm_type) for p in params])
        total = np.linalg.norm(norms, norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}; "
                           f"pass error_if_nonfinite=False to scale them anyway")
    # Applied always, as PyTorch: a factor of 1 changes nothing, a nan norm makes the gradients nan and an inf
    # one zero. (min(nan, 1.0) is nan; a Python float keeps each gradient's dtype.)
    factor = float(min(max_norm / (total + 1e-6), 1.0))
    with np.errstate(invalid="ignore"):  # inf * 0 where a gradient is inf: NaN, as in PyTorch (no warning)
        for p in params:
            set_grad_values(p, p.grad.data * factor)
    with np.errstate(over="ignore"):
        return ag.tensor(total.astype(np.result_type(*(p.grad.dtype for p in params))))  # the gradients' dtype


def _at_least_float32(values):
    return values.astype(np.promote_types(values.dtype, np.float32), copy=False)


def _check_bound(where, name, value):
    """value as a float when it is a number >= 0 (inf too: no bound), else TypeError for no number, ValueError for
    one out of range."""
    return checked_number(value, where, name, low=0, high=math.inf)


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient entry into [-clip_value, clip_value] in place, as torch.nn.utils.clip_grad_value_.

    >>> import autograd_core as ag, nn
    >>> w = ag.tensor([3.0, -4.0], requires_grad=True)
    >>> (w * w).sum().backward()      # grad [6, -8]
    >>> nn.utils.clip_grad_value_([w], 1.0)
    >>> w.grad
    Tensor([ 1., -1.])
    """
    clip_value = _check_bound("clip_grad_value_", "clip_value", clip_value)
    for p in _with_grads(parameters, "clip_grad_value_"):
        set_grad_values(p, np.clip(p.grad.data, -clip_value, clip_value))
