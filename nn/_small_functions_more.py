"""More of PyTorch's small functions, which nn.functional re-exports: pdist, gumbel_softmax and
multilabel_margin_loss, with torch.nn.functional's names, arguments and defaults (gumbel_softmax also takes an
`rng`, as dropout does).

Each is a composition of autograd_core operations, so its gradients and second derivatives are the engine's. At a
kink the gradient is PyTorch's: pdist's at two equal rows is 0, multilabel_margin_loss's where a margin is exactly
met is 0 (relu's).
"""
import warnings

import numpy as np

import autograd_core as ag

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, generator, takes_legacy_reduction
from ._loss_functions import LossArgumentError
from ._small_functions import _axis

__all__ = ["pdist", "gumbel_softmax", "multilabel_margin_loss"]


def pdist(input, p=2):
    """The p-norm distances between the rows of input (N, M), each pair i < j once in row-major order (the upper
    triangle of cdist's matrix, flattened): N (N - 1) / 2 values, as torch.nn.functional.pdist. p >= 0 (0 counts the
    entries that differ; inf is the largest difference). The gradient at two equal rows is 0, as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.pdist(ag.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))
    Tensor([5.        , 1.        , 4.24264069])
    """
    return ag.pdist(F._float_input(input, "pdist"), p)  # (nn's dtype checks, then torch.pdist's)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1, *, rng=None):
    """A sample of the Gumbel-softmax distribution, as torch.nn.functional.gumbel_softmax: softmax((logits + g) /
    tau) along dim, g standard Gumbel noise (-log of exponential draws from rng: a numpy Generator or int seed, as
    dropout's). hard=True: the one-hot of each argmax, with the soft sample's gradient (straight-through:
    y_hard - y_soft.detach() + y_soft). eps is deprecated and unused, as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> y = F.gumbel_softmax(ag.tensor([[1.0, 2.0, 3.0]]), tau=0.5, hard=True, rng=0)
    >>> y.data.sum(), sorted(set(y.data.ravel().tolist()))
    (np.float64(1.0), [0.0, 1.0])
    """
    where = "gumbel_softmax"
    x = F._float_input(logits, where)
    hard = as_flag(hard, where, "hard")
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    axis = _axis(x, dim, where) if x.ndim else _axis(x.reshape(1), dim, where)
    noise = -np.log(generator(rng, where).exponential(size=x.shape)).astype(x.dtype)
    y_soft = ag.softmax((x + noise) / tau, axis=axis if x.ndim else None)
    if not hard:
        return y_soft
    index = np.argmax(y_soft.data, axis=axis, keepdims=True) if x.ndim else 0
    y_hard = np.zeros(x.shape, dtype=x.dtype)
    if x.ndim:
        np.put_along_axis(y_hard, index, 1, axis=axis)
    else:
        y_hard[()] = 1
    return y_hard - y_soft.detach() + y_soft


@takes_legacy_reduction
def multilabel_margin_loss(input, target, reduction="mean"):
    """The multi-label hinge loss, as torch.nn.functional.multilabel_margin_loss: input (C,) or (N, C), target of
    the same shape holding each sample's target classes first, ended by the first -1 (the rest is ignored); each
    sample's loss is sum over its targets j and its non-target classes i of max(0, 1 - (x[j] - x[i])), over C. The
    gradient where a margin is exactly met is 0.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.multilabel_margin_loss(ag.tensor([[0.1, 0.2, 0.4, 0.8]]), np.array([[3, 0, -1, 1]]))
    Tensor(0.85)
    """
    where = "multilabel_margin_loss"
    F.check_reduction(reduction, where)
    x = F._float_input(input, where)
    target = F._class_targets(target, where)
    if x.ndim > 2:
        raise LossArgumentError(f"{where}: input must have shape (C,) or (N, C), got {x.shape}")
    classes = x.shape[-1] if x.ndim else 1
    if classes == 0:  # (as PyTorch's, which refuses it; reshape(-1, 0) could not say how many samples)
        raise LossArgumentError(f"{where}: input of shape {x.shape} has no classes (PyTorch: expected a non-empty "
                                f"vector or matrix with optional 0-dim batch size)")
    if target.shape != x.shape and not (x.ndim == 0 and target.shape in ((), (1,))):
        raise LossArgumentError(f"{where}: target shape {target.shape} must be the input's {x.shape}: each sample's "
                                f"target classes, ended by -1")
    rows = x.reshape(-1, classes)
    labels = target.reshape(-1, classes).astype(np.int64)
    bad = (labels < -1) | (labels >= classes)
    if bad.any():
        raise F.TargetRangeError(f"{where}: target value {labels[bad][0]} is out of range for an input with "
                                 f"{classes} classes; valid values are 0..{classes - 1}, or -1 to end the targets")
    listed = np.cumprod(labels != -1, axis=1).astype(bool)  # the entries before each sample's first -1
    picked = np.where(listed, labels, 0)
    is_target = np.zeros(labels.shape, dtype=bool)
    samples = np.arange(len(labels))[:, None]
    is_target[np.broadcast_to(samples, labels.shape)[listed], labels[listed]] = True
    hinge = ag.relu(1 - ag.take_along_axis(rows, picked, axis=1)[:, :, None] + rows[:, None, :])  # (N, j, i)
    counted = listed[:, :, None] & ~is_target[:, None, :]
    loss = ag.where(counted, hinge, 0).sum(axis=(1, 2)) / classes
    loss = loss.reshape(x.shape[:-1] if x.ndim else ())
    return F._reduce(loss, reduction, where)
