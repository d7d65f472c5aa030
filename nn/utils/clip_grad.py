"""Gradient clipping, as torch.nn.utils: rescale or clamp the parameters' .grad in place between
backward() and the optimizer's step.
"""
import math
import types
import warnings
from collections.abc import Iterable

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from .._arguments import as_flag, checked_number
from .._deprecated import deprecated_alias
from ..module import set_grad_values

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_"]


def _tensors(tensors, where, name="parameters", example="model.parameters()"):
    """tensors as a list (a single Tensor counts as one, as in PyTorch), each checked to be a Tensor."""
    if isinstance(tensors, Tensor):
        tensors = [tensors]
    elif isinstance(tensors, Iterable):
        tensors = list(tensors)
    else:
        raise TypeError(f"{where}: {name} must be a Tensor or an iterable of them (e.g. {example}), "
                        f"got {type(tensors).__name__}")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{where}: {name} must be Tensors (e.g. {example}), got {type(t).__name__}")
    return tensors


def _with_grads(parameters, where):
    """The parameters that have a .grad."""
    return [p for p in _tensors(parameters, where) if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale the gradients so that their total norm (the norm of all of them as one vector) is at most
    max_norm, as torch.nn.utils.clip_grad_norm_; returns the total norm before clipping. norm_type:
    a p-norm's p, or inf (or PyTorch's "inf") for the largest magnitude. A non-finite norm raises when
    error_if_nonfinite. It is get_total_norm of the gradients, then clip_grads_with_norm_ (foreach is accepted
    and ignored).

    >>> import autograd_core as ag, nn
    >>> w = ag.tensor([3.0, 4.0], requires_grad=True)
    >>> (w * w).sum().backward()      # grad [6, 8], norm 10
    >>> float(nn.utils.clip_grad_norm_([w], max_norm=5.0))
    10.0
    >>> w.grad.data.round(4)
    array([3., 4.])
    """
    max_norm = _check_bound("clip_grad_norm_", "max_norm", max_norm)
    params = _tensors(parameters, "clip_grad_norm_")
    if not params and isinstance(parameters, types.GeneratorType):  # (model.parameters() already used up, say)
        warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2)
    params = [p for p in params if p.grad is not None]
    total = _total_norm([p.grad for p in params], norm_type, error_if_nonfinite, "clip_grad_norm_")
    _scale(params, max_norm, total.data)
    return total


clip_grad_norm = deprecated_alias(clip_grad_norm_, "clip_grad_norm", "nn.utils")  # (old code's name, as PyTorch's)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of the tensors taken together as one vector (the norm of their norms), as
    torch.nn.utils.get_total_norm: pass the gradients, [p.grad for p in model.parameters() if p.grad is not None].
    Computed on values (float32 at least), returned as a Tensor of the tensors' dtype; foreach is ignored.

    >>> import autograd_core as ag, nn
    >>> float(nn.utils.get_total_norm([ag.tensor([3.0]), ag.tensor([4.0])]))
    5.0
    """
    tensors = _tensors(tensors, "get_total_norm", "tensors", "the gradients, [p.grad for p in model.parameters()]")
    return _total_norm(tensors, norm_type, error_if_nonfinite, "get_total_norm")


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the parameters' gradients by min(max_norm / (total_norm + 1e-6), 1), in place, as
    torch.nn.utils.clip_grads_with_norm_: the second half of clip_grad_norm_, with the total norm given
    (get_total_norm's, say); foreach is ignored.

    >>> import autograd_core as ag, nn
    >>> w = ag.tensor([3.0, 4.0], requires_grad=True)
    >>> (w * w).sum().backward()      # grad [6, 8], norm 10
    >>> nn.utils.clip_grads_with_norm_([w], 5.0, nn.utils.get_total_norm([w.grad]))
    >>> w.grad.data.round(4)
    array([3., 4.])
    """
    max_norm = _check_bound("clip_grads_with_norm_", "max_norm", max_norm)
    if isinstance(total_norm, Tensor):
        total_norm = total_norm.data
    try:
        total = np.asarray(total_norm, dtype=np.float64)
    except (TypeError, ValueError):
        total = None
    if total is None or total.shape not in ((), (1,)):
        raise TypeError(f"clip_grads_with_norm_: total_norm must be a number or a one-element Tensor, got "
                        f"{total_norm!r}")
    # (refused on purpose: a norm is >= 0, or nan or inf, which scale as PyTorch's; PyTorch takes a negative one and
    # flips the gradients' signs)
    if total.reshape(()) < 0:
        raise ValueError(f"clip_grads_with_norm_: total_norm must be >= 0 (a norm, get_total_norm's), got "
                         f"{float(total.reshape(()))}; a negative one would flip the gradients' signs")
    _scale(_with_grads(parameters, "clip_grads_with_norm_"), max_norm, total.reshape(()))


def _total_norm(tensors, norm_type, error_if_nonfinite, where):
    """The norm of order norm_type of the tensors' values as one vector, as a Tensor of their dtype."""
    if isinstance(norm_type, str) and norm_type in ("inf", "-inf"):  # PyTorch documents 'inf' for the max norm
        norm_type = float(norm_type)
    norm_type = checked_number(norm_type, where, "norm_type", high=math.inf)  # (any p, -inf to inf)
    error_if_nonfinite = as_flag(error_if_nonfinite, where, "error_if_nonfinite")  # "no" would read as True
    if not tensors:
        return ag.tensor(np.float32(0.0))  # (PyTorch's default dtype)
    for t in tensors:
        if t.dtype.kind != "f":
            raise TypeError(f"{where}: the tensors must be floats (gradients), got one of dtype {t.dtype} and shape "
                            f"{t.shape}; as PyTorch's, the norm of integers or booleans is refused (cast them first)")
    if (math.isinf(norm_type) or norm_type < 0) and any(t.numel() == 0 for t in tensors):
        name = {math.inf: "infinity", -math.inf: "-infinity"}.get(norm_type, norm_type)
        raise RuntimeError(f"{where}: cannot compute the {name} norm of an empty tensor (shape "
                           f"{next(t.shape for t in tensors if t.numel() == 0)}): the "
                           f"{'maximum' if norm_type > 0 else 'operation'} has no identity, as in PyTorch (a "
                           f"norm_type >= 0 other than inf takes one, or leave the empty tensors out)")
    with np.errstate(over="ignore"):  # an overflowing norm is inf, handled below, as in PyTorch (no warning)
        # In float32 at least: float16's sum of squares overflows at a norm of 256.
        norms = np.array([np.linalg.norm(_at_least_float32(t.data).ravel(), norm_type) for t in tensors])
        total = np.linalg.norm(norms, norm_type)
    if error_if_nonfinite and not math.isfinite(total):  # (PyTorch's words, which its tests match)
        raise RuntimeError(f"{where}: The total norm of order {norm_type} for gradients from `parameters` is "
                           f"non-finite, so it cannot be clipped. To disable this error and scale the gradients by "
                           f"the non-finite norm anyway, set `error_if_nonfinite=False` (the norm is {total})")
    with np.errstate(over="ignore"):
        return ag.tensor(total.astype(np.result_type(*(t.dtype for t in tensors))))  # the gradients' dtype


def _scale(params, max_norm, total):
    """Multiply each .grad by min(max_norm / (total + 1e-6), 1)."""
    if not params:
        return
    # Applied always, as PyTorch: a factor of 1 changes nothing, a nan norm makes the gradients nan and an inf
    # one zero. (min(nan, 1.0) is nan; a Python float keeps each gradient's dtype.)
    factor = float(min(max_norm / (float(total) + 1e-6), 1.0))
    with np.errstate(invalid="ignore"):  # inf * 0 where a gradient is inf: NaN, as in PyTorch (no warning)
        for p in params:
            set_grad_values(p, p.grad.data * factor)


def _at_least_float32(values):
    return values.astype(np.promote_types(values.dtype, np.float32), copy=False)


def _check_bound(where, name, value):
    """value as a float when it is a number >= 0 (inf too: no bound), else TypeError for no number, ValueError for
    one out of range."""
    return checked_number(value, where, name, low=0, high=math.inf)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient entry into [-clip_value, clip_value] in place, as torch.nn.utils.clip_grad_value_
    (foreach is accepted and ignored, as clip_grad_norm_'s).

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
