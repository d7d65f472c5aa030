"""Activations and losses as functions (PyTorch's torch.nn.functional names and arguments).

Everything here is a composition of autograd_core operations: the gradients come from
the engine. Inputs are Tensors (arrays and numbers are accepted and wrapped); targets
are arrays or Tensors and are never differentiated unless they are Tensors requiring grad.
Losses take `reduction="mean" | "sum" | "none"`.

>>> import numpy as np, autograd_core as ag, nn.functional as F
>>> z = ag.tensor([[2.0, 0.0, -1.0]], requires_grad=True)
>>> loss = F.cross_entropy(z, np.array([0]))
>>> round(loss.item(), 4)
0.1698
"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor

__all__ = ["relu", "leaky_relu", "elu", "sigmoid", "tanh", "softplus", "softmax", "log_softmax", "dropout",
           "mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "cross_entropy", "nll_loss"]


# ---- activations -----------------------------------------------------------------------------
def relu(input):
    """max(x, 0).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.relu(ag.tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """
    return ag.relu(input)


def leaky_relu(input, negative_slope=0.01):
    """x for x > 0, negative_slope * x otherwise: the course notes' generalized ReLU
    max(0, x) + alpha * min(0, x) with alpha = negative_slope (-1 gives |x|).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.leaky_relu(ag.tensor([-2.0, 3.0]), negative_slope=-1)
    Tensor([2., 3.])
    """
    return ag.leaky_relu(input, negative_slope)


def elu(input, alpha=1.0):
    """x for x > 0, alpha * (e**x - 1) otherwise.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.elu(ag.tensor([0.0, 1.0]))
    Tensor([0., 1.])
    """
    return ag.elu(input, alpha)


def sigmoid(input):
    """1 / (1 + e**-x), stable for any x.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.sigmoid(ag.tensor(0.0))
    Tensor(0.5)
    """
    return ag.sigmoid(input)


def tanh(input):
    """Hyperbolic tangent.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.tanh(ag.tensor(0.0))
    Tensor(0.)
    """
    return ag.tanh(input)


def softplus(input, beta=1.0):
    """zeta(beta * x) / beta with zeta(x) = log(1 + e**x), stable for any x.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.softplus(ag.tensor(1000.0))
    Tensor(1000.)
    """
    if beta == 1:
        return ag.softplus(input)
    return ag.softplus(input * beta) / beta


def softmax(input, dim=-1):
    """exp(x) / sum(exp(x)) along dim (PyTorch's name for the axis).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.softmax(ag.tensor([[1.0, 1.0]]), dim=1)
    Tensor([[0.5, 0.5]])
    """
    return ag.softmax(input, axis=dim)


def log_softmax(input, dim=-1):
    """x - logsumexp(x) along dim: finite for any logits.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.log_softmax(ag.tensor([1e4, 0.0])).data
    array([     0., -10000.])
    """
    return ag.log_softmax(input, axis=dim)


def dropout(input, p=0.5, training=True, rng=None):
    """Inverted dropout: zero each element with probability p and scale the rest by 1 / (1 - p),
    so the expected value is unchanged; the identity when not training (or p == 0).
    rng: a numpy Generator or int seed.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> y = F.dropout(ag.ones(8), p=0.5, rng=0)
    >>> sorted(set(y.data.tolist()))
    [0.0, 2.0]
    """
    if not 0 <= p <= 1:
        raise ValueError(f"dropout: probability p must be in [0, 1], got {p}")
    if not training or p == 0:
        return input
    x = input if isinstance(input, Tensor) else ag.tensor(input)
    if p == 1:
        return x * 0
    keep = np.random.default_rng(rng).random(x.shape) >= p
    return x * (keep / (1 - p)).astype(x.dtype)


# ---- helpers for the losses ------------------------------------------------------------------
_REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction, where):
    """Raise a clear error unless reduction is 'mean', 'sum' or 'none'."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{where}: reduction must be one of 'mean', 'sum', 'none', got {reduction!r}")


def _reduce(loss, reduction, where):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    check_reduction(reduction, where)
    return loss


def _as_input(input):
    return input if isinstance(input, Tensor) else ag.tensor(input)


def _as_target(target, input, where):
    """The target as an array of input's dtype and shape (a Tensor that requires grad stays a Tensor)."""
    if not isinstance(target, Tensor):
        target = np.asarray(target)
    elif not target.requires_grad:
        target = target.data
    if target.shape != input.shape:
        raise ValueError(f"{where}: target shape {target.shape} differs from input shape {input.shape}; they must "
                         f"be equal (reshape one, e.g. target.reshape({input.shape}))")
    if isinstance(target, np.ndarray) and target.dtype != input.dtype:
        target = target.astype(input.dtype)
    return target


def _check_range(values, low, high, what, where):
    if values.size and (values.min() < low or values.max() > high):
        raise ValueError(f"{where}: {what} must lie in [{low}, {high}], got values in "
                         f"[{values.min()}, {values.max()}]")


# ---- regression losses -----------------------------------------------------------------------
def mse_loss(input, target, reduction="mean"):
    """Mean squared error: (x - y)**2, reduced.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.mse_loss(ag.tensor([1.0, 3.0]), [0.0, 0.0])
    Tensor(5.)
    """
    input = _as_input(input)
    diff = input - _as_target(target, input, "mse_loss")
    return _reduce(diff * diff, reduction, "mse_loss")


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error: |x - y|, reduced (subgradient 0 where x == y).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.l1_loss(ag.tensor([1.0, -3.0]), [0.0, 0.0])
    Tensor(2.)
    """
    input = _as_input(input)
    return _reduce(ag.abs(input - _as_target(target, input, "l1_loss")), reduction, "l1_loss")


def huber_loss(input, target, reduction="mean", delta=1.0):
    """Huber loss: 0.5 d**2 where |d| < delta, delta * (|d| - 0.5 delta) elsewhere (d = x - y).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.huber_loss(ag.tensor([0.5, 3.0]), [0.0, 0.0], reduction="none")
    Tensor([0.125, 2.5  ])
    """
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    input = _as_input(input)
    diff = input - _as_target(target, input, "huber_loss")
    size = ag.abs(diff)
    loss = ag.where(size.data < delta, 0.5 * diff * diff, delta * (size - 0.5 * delta))
    return _reduce(loss, reduction, "huber_loss")


# ---- binary classification -------------------------------------------------------------------
_LOG_FLOOR = -100.0  # PyTorch clamps the logarithms of binary_cross_entropy at -100


def _clamped_log(p):
    """max(log p, -100); where the clamp acts (p <= e**-100) the gradient is 0, never NaN."""
    keep = p.data > np.exp(_LOG_FLOOR)
    if keep.all():
        return ag.log(p)
    return ag.where(keep, ag.log(ag.where(keep, p, 1.0)), _LOG_FLOOR)


def _check_binary_targets(target, where):
    _check_range(np.asarray(target), 0, 1, "targets (probabilities)", where)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) for probabilities p = input and targets y in [0, 1],
    each logarithm clamped at -100 as in PyTorch. For logits use binary_cross_entropy_with_logits.
    weight: an optional array broadcastable to the input, multiplying each element's loss.

    >>> import autograd_core as ag, nn.functional as F
    >>> round(F.binary_cross_entropy(ag.tensor([0.8]), [1.0]).item(), 4)
    0.2231
    """
    input = _as_input(input)
    target = _as_target(target, input, "binary_cross_entropy")
    _check_range(input.data, 0, 1, "input probabilities", "binary_cross_entropy")
    _check_binary_targets(target, "binary_cross_entropy")
    loss = -(target * _clamped_log(input) + (1 - target) * _clamped_log(1 - input))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(z) for logits z = input, stable for any z.

    With zeta = softplus, -log sigma(z) = zeta(-z) and -log(1 - sigma(z)) = zeta(z), so the loss is
    y zeta(-z) + (1 - y) zeta(z): for y in {0, 1} that is the course notes' zeta((1 - 2y) z), and
    for soft targets the general form; both terms stay finite (and exact) for logits like +-1e4.
    pos_weight multiplies the positive term, weight each element's loss (as in PyTorch).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.binary_cross_entropy_with_logits(ag.tensor([1e4, -1e4]), [1.0, 0.0])
    Tensor(0.)
    """
    input = _as_input(input)
    target = _as_target(target, input, "binary_cross_entropy_with_logits")
    _check_binary_targets(target, "binary_cross_entropy_with_logits")
    positive = target * ag.softplus(-input)
    if pos_weight is not None:
        positive = positive * pos_weight
    loss = positive + (1 - target) * ag.softplus(input)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")


# ---- multi-class classification --------------------------------------------------------------
class TargetRangeError(ValueError, IndexError):
    """A class target outside [0, C): a ValueError, and an IndexError as PyTorch raises."""


def _class_targets(target, where):
    target = np.asarray(target)
    if target.dtype.kind not in "iu":
        raise TypeError(f"{where}: class targets must be integers (class indices), got dtype {target.dtype}; "
                        f"for class probabilities pass a float target of the input's shape")
    return target


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of the target classes: -input[n, target[n]], reduced.

    input: log-probabilities of shape (N, C) (or (C,), or (N, C, d1, ...)); target: class indices of
    shape (N,) (or (), or (N, d1, ...)) in [0, C). weight: per-class weights (C,); with
    reduction='mean' the result is sum(w[y_n] l_n) / sum(w[y_n]). Targets equal to ignore_index
    contribute nothing.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> logp = ag.log(ag.tensor([[0.5, 0.5], [0.25, 0.75]]))
    >>> round(F.nll_loss(logp, np.array([0, 1])).item(), 4)
    0.4904
    """
    return _nll(_as_input(input), _class_targets(target, "nll_loss"), weight, ignore_index, reduction, "nll_loss")


def _nll(input, target, weight, ignore_index, reduction, where):
    check_reduction(reduction, where)
    if input.ndim == 1:  # one sample: (C,) with a scalar target
        loss = _nll(input.reshape(1, -1), target.reshape(1), weight, ignore_index, reduction, where)
        return loss.reshape(()) if reduction == "none" else loss
    if input.ndim > 2:  # (N, C, d1, ...): move the class axis last and flatten the others
        axes = (0,) + tuple(range(2, input.ndim)) + (1,)
        flat = ag.transpose(input, axes).reshape(-1, input.shape[1])
        loss = _nll(flat, target.reshape(-1), weight, ignore_index, reduction, where)
        return loss.reshape(target.shape) if reduction == "none" else loss
    n, classes = input.shape
    if target.shape != (n,):
        raise ValueError(f"{where}: target shape {target.shape} does not match input shape {input.shape}; "
                         f"expected ({n},): one class index per row")
    # The common case costs two reductions: every target a class index, so none can equal an
    # ignore_index outside [0, classes).
    if n and 0 <= target.min() and target.max() < classes and not 0 <= ignore_index < classes:
        ignored, any_ignored = None, False
    else:
        ignored = target == ignore_index
        any_ignored = ignored.any()
        valid = target[~ignored] if any_ignored else target
        if valid.size and (valid.min() < 0 or valid.max() >= classes):
            bad = valid[(valid < 0) | (valid >= classes)][0]
            raise TargetRangeError(f"{where}: target class {bad} is out of range for an input with {classes} "
                                   f"classes; valid class indices are 0..{classes - 1}")
    if any_ignored:
        target = np.where(ignored, 0, target)
    picked = -input[np.arange(n), target]
    if weight is None and not any_ignored:
        return _reduce(picked, reduction, where)
    w = np.ones(n, dtype=input.dtype) if weight is None else np.asarray(weight, dtype=input.dtype)[target]
    if any_ignored:
        w = np.where(ignored, 0, w).astype(input.dtype)
    loss = picked * w
    if reduction == "mean":
        return loss.sum() / w.sum()
    return _reduce(loss, reduction, where)


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Cross-entropy of logits and class targets: nll_loss(log_softmax(input, dim=1), target), with
    log_softmax(z) = z - logsumexp(z), finite for any logits.

    target: class indices (as nll_loss) or class probabilities (a float array of the input's shape,
    loss -sum_c y_c log_softmax(z)_c, times weight[c] if given).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.cross_entropy(ag.tensor([[1e4, -1e4]]), np.array([0]))
    Tensor(0.)
    """
    input = _as_input(input)
    class_axis = 0 if input.ndim == 1 else 1
    logp = ag.log_softmax(input, axis=class_axis)
    target_values = np.asarray(target)
    if target_values.dtype.kind == "f" and target_values.shape == input.shape:  # class probabilities
        probabilities = _as_target(target, input, "cross_entropy")
        if weight is not None:
            shape = [1] * input.ndim
            shape[class_axis] = -1
            probabilities = probabilities * np.asarray(weight, dtype=input.dtype).reshape(shape)
        loss = -(probabilities * logp).sum(axis=class_axis)
        return _reduce(loss, reduction, "cross_entropy")
    target = _class_targets(target_values, "cross_entropy")
    return _nll(logp, target, weight, ignore_index, reduction, "cross_entropy")
