"""PyTorch's other losses and distances, which nn.functional re-exports: smooth_l1_loss, kl_div, poisson_nll_loss,
gaussian_nll_loss, soft_margin_loss, margin_ranking_loss, hinge_embedding_loss, cosine_embedding_loss,
multilabel_soft_margin_loss, multi_margin_loss and triplet_margin_loss, and the distances pairwise_distance,
cosine_similarity and normalize, with torch.nn.functional's names, arguments and defaults (the deprecated
size_average and reduce as keywords, as mse_loss's: nn/_arguments.py's takes_legacy_reduction).

Each is a composition of autograd_core operations, so its gradients and second derivatives are the engine's. The
forms are stable: soft margins through softplus (finite for any margin), p-norms of vectors scaled by a power of
two near their largest entry (exact, and free of overflow and underflow). At a kink the gradient is PyTorch's:
its clamp_min(z, 0) (margin ranking, hinge and cosine embedding, triplet margin) passes none at z = 0 (since
PyTorch 2.14: the subgradient of least norm, as relu's; 2.13's passed it), here where(z > 0, z, 0);
multi_margin_loss's max(0, z) passes none at 0 either (relu), as PyTorch's kernel; the norm of a zero
vector has gradient 0, as PyTorch's; the minimum of swap=True splits the gradient at a tie, as torch.minimum.

Shapes: where PyTorch broadcasts input and target silently, so do these; where it warns (smooth_l1_loss, for a target
whose shape differs from the input's, as mse_loss here) or raises, these raise, naming the shapes.
"""
import math
import warnings

import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._arguments import InvalidArgumentError, RuntimeTypeError
from autograd_core.ops.losses import huber_loss as _elementwise_huber_loss
from autograd_core.tensor import saved_value

from . import functional as F  # its checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, as_number, checked_number, takes_legacy_reduction

_COSINE_EPS = float(np.float32(1e-12))  # PyTorch's EPSILON in cosine_embedding_loss, a float 1e-12
_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


class LossArgumentError(InvalidArgumentError):
    """Arguments a loss cannot take (shapes that do not fit together, lengths out of range): a ValueError, as the
    rest of nn raises for them, and a RuntimeError, as PyTorch raises."""


class LossDtypeError(RuntimeTypeError):
    """An argument of a dtype a loss cannot take: a TypeError, as the rest of nn raises for one, and a RuntimeError,
    as PyTorch raises."""


# ---- shared pieces ---------------------------------------------------------------------------------------------
def _target(target, shape, dtype, where, name="target", enlarge=True):
    """target (or another operand named name) as an array of dtype that broadcasts against shape (a Tensor that
    requires grad stays one); unless enlarge, without making a result larger than shape (PyTorch's rule for the
    losses that write into a result of the input's shape)."""
    value = _operand(target, where, name)
    try:
        fits = np.broadcast_shapes(value.shape, shape)
    except ValueError:
        fits = None
    if fits is None or (not enlarge and fits != shape):
        raise LossArgumentError(f"{where}: {name} of shape {value.shape} does not broadcast to the input's shape "
                                f"{shape}; pass one of the input's shape (or one broadcastable to it"
                                f"{'' if enlarge else ' that does not enlarge it'})")
    if isinstance(value, np.ndarray) and value.dtype != dtype:
        value = value.astype(dtype)
    return value


def _operand(value, where, name):
    """value as an array of numbers, or a Tensor when it requires grad (it is differentiated)."""
    F._refuse_held_graph(value, where)  # (a list of Tensors that require grad: made an array, they get no gradient)
    result = value if isinstance(value, Tensor) and value.requires_grad else saved_value(value)
    if result.dtype.kind not in "biuf":  # None, text
        raise TypeError(f"{where}: {name} must hold numbers, got {result.dtype} ({value!r:.60})")
    return result


def _inputs(where, names, *values):
    """The float inputs (Tensors) and their broadcast shape, or an error naming every shape."""
    tensors = [F._float_input(value, where) for value in values]
    try:
        shape = np.broadcast_shapes(*(t.shape for t in tensors))
    except ValueError:
        shapes = ", ".join(f"{name} {t.shape}" for name, t in zip(names, tensors))
        raise LossArgumentError(f"{where}: the shapes {shapes} do not broadcast together: the size of each axis must "
                             f"match the size of the others', or be 1") from None
    return tensors, shape


def _promoted(where, x1, x2):
    """_inputs of x1 and x2, an integer or bool one first cast to the other's float dtype, as PyTorch promotes them
    (int8 with float32: float32; NumPy's rule would give float64 for int64); two without a float dtype are refused.
    Each is made a Tensor once."""
    a, b = F._as_input(x1, where), F._as_input(x2, where)
    kinds = a.dtype.kind + b.dtype.kind
    if kinds != "ff":
        if kinds[0] in "biu" and kinds[1] == "f":
            a = a.astype(b.dtype)
        elif kinds[1] in "biu" and kinds[0] == "f":
            b = b.astype(a.dtype)
        else:
            F._float_input(a if kinds[0] != "f" else b, where)  # (its error)
    try:
        return (a, b), np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        return _inputs(where, ("x1", "x2"), a, b)  # (its error)


def _clamp_min_zero(z):
    """max(z, 0) as PyTorch's clamp_min(z, 0): gradient 0 at z = 0, the subgradient of least norm (its rule passes
    where z > 0 since PyTorch 2.14; 2.13's passed at z >= 0); NaN stays NaN, with gradient 0 there (NaN > 0 is
    false), as PyTorch's, so a NaN distance sends no gradient to the other one."""
    data = z.data
    return ag.where(data > 0, z, np.where(np.isnan(data), data, 0).astype(data.dtype))


def _signs(target, where):
    """target's values (an array), which must be 1 (a similar pair) or -1 (a dissimilar one)."""
    values = saved_value(target)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{where}: target must hold 1 or -1, got {values.dtype} ({target!r:.60})")
    wrong = (values != 1) & (values != -1)
    if wrong.any():
        raise ValueError(f"{where}: target must hold 1 (a similar pair) or -1 (a dissimilar one), got "
                         f"{values[wrong].flat[0].item()!r} (target of shape {values.shape})")
    return values


def _margin(value, where, positive=False):
    if positive:  # (PyTorch's triplet losses refuse a margin <= 0)
        return checked_number(value, where, "margin", low=0, low_open=True)
    return checked_number(value, where, "margin")


def _eps(value, where):
    return checked_number(value, where, "eps", low=0)


def _p(value, where):
    """A norm's p: a number > 0, or inf (PyTorch also takes 0, a count of nonzero entries, and negative p, no norms)."""
    return checked_number(value, where, "p", low=0, low_open=True, high=math.inf)


def _check_kl_reduction(reduction, where):
    if reduction not in ("mean", "batchmean", "sum", "none"):
        raise ValueError(f"{where}: reduction must be one of 'mean', 'batchmean', 'sum', 'none', got {reduction!r}")


def _vector_norm(x, p, axis, keepdims=False):
    """The p-norm of x along axis (an int or a tuple), p > 0 or inf, as torch.linalg.vector_norm. x is divided by a
    power of two near its largest magnitude first (exactly, so the value is PyTorch's to rounding, without overflow
    or underflow: the norm of [1e200, 1e200] is 1.4e200, where PyTorch's is inf). The scale is a constant, which
    changes no derivative of any order: the norm is homogeneous. A zero vector's gradient is 0, as PyTorch's."""
    size = ag.abs(x)  # (gradient sign(x), 0 at 0)
    if p == math.inf:
        return size.max(axis=axis, keepdims=keepdims)
    if p == 1:
        return size.sum(axis=axis, keepdims=keepdims)
    largest = np.max(size.data, axis=axis, keepdims=True, initial=0)
    scale = np.ldexp(np.ones_like(largest), np.frexp(largest)[1])  # 2**k >= largest (1 for 0, inf and NaN)
    if p == 2:  # (of x, not |x|: |x|**2's second derivative at x = 0 would be 0, not 2)
        scaled = x / scale
        powers = scaled * scaled
    else:
        scaled = size / scale  # an entry 0 contributes 0 with gradient 0 (its derivative p 0**(p - 1) is inf for p < 1)
        zero = size.data == 0
        powers = ag.where(zero, 0, ag.where(zero, 1, scaled) ** p) if zero.any() else scaled ** p
    total = powers.sum(axis=axis, keepdims=keepdims)
    empty = total.data == 0  # a zero vector: its root's derivative would be inf
    if empty.any():
        total = ag.where(empty, 1, total)
    root = ag.sqrt(total) if p == 2 else total ** (1 / p)
    if empty.any():
        root = ag.where(empty, 0, root)
    return root * (scale if keepdims else np.squeeze(scale, axis=axis))


# ---- regression and likelihoods --------------------------------------------------------------------------------
@takes_legacy_reduction
def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """0.5 d**2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = x - y); beta = 0 gives l1_loss. The target
    must have the input's shape (PyTorch broadcasts it with a warning; here it raises, as mse_loss). Gradient
    clip(d / beta, -1, 1) (sign(d) for beta = 0, 0 at d = 0), PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.smooth_l1_loss(ag.tensor([0.5, 3.0]), [0.0, 0.0], reduction="none")
    Tensor([0.125, 2.5  ])
    """
    where = "smooth_l1_loss"
    beta = checked_number(beta, where, "beta", low=0)
    F.check_reduction(reduction, where)
    input = F._float_input(input, where)
    target = F._as_target(target, input, where)
    if beta == 0:
        return F._reduce(ag.abs(input - target), reduction, where)
    # huber_loss(d, beta) / beta: beta (|d| - beta / 2) / beta beyond beta, 0.5 d**2 / beta within; one node.
    return F._reduce(_elementwise_huber_loss(input, target, beta) / beta, reduction, where)


@takes_legacy_reduction
def kl_div(input, target, reduction="mean", log_target=False):
    """The Kullback-Leibler divergence of the target distribution from the input's, pointwise, for input
    log-probabilities x: y (log y - x) for probabilities y (0 where y = 0), or e**y (y - x) for log_target=True.
    reduction="batchmean" divides the sum by the batch size (the input's first axis): the divergence per sample;
    "mean" divides by the number of elements, and warns as PyTorch's. Input and target broadcast (as PyTorch's).
    Probabilities below 0 raise (PyTorch gives NaN). At y = 0 the gradient in y is 0 (PyTorch's is NaN there).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> logq = ag.log(ag.tensor([[0.5, 0.5]]))
    >>> round(F.kl_div(logq, np.array([[0.25, 0.75]]), reduction="batchmean").item(), 4)
    0.1308
    """
    where = "kl_div"
    log_target = as_flag(log_target, where, "log_target")
    _check_kl_reduction(reduction, where)
    if reduction == "mean":
        warnings.warn("kl_div: reduction='mean' divides the total loss by both the batch size and the support "
                      "size; 'batchmean' divides only by the batch size, and aligns with the KL divergence's "
                      "definition (as PyTorch warns)", UserWarning, stacklevel=2)
    input = F._float_input(input, where)
    y = _target(target, input.shape, input.dtype, where)
    if log_target:
        loss = ag.exp(y) * (y - input)
    else:
        values = y.data if isinstance(y, Tensor) else y
        if values.size and not values.min() >= 0:  # (NaN too)
            raise ValueError(f"kl_div: target holds probabilities (log_target=False), which cannot be negative; got "
                             f"values in [{values.min()}, {values.max()}]; for log-probabilities pass "
                             f"log_target=True")
        zero = values == 0
        if zero.any():  # y log y is 0 at y = 0: a safe logarithm, its gradient in y 0 there
            loss = ag.where(zero, 0, y * (ag.log(ag.where(zero, 1, y)) - input))
        else:
            loss = y * (ag.log(y) - input)
    if reduction != "batchmean":
        return F._reduce(loss, reduction, where)
    return F._weighted_mean(loss, input.shape[0]) if input.ndim else loss.sum()


@takes_legacy_reduction
def poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-8, reduction="mean"):
    """The negative log-likelihood of counts y under a Poisson distribution of rate lambda: e**x - y x for
    log_input=True (x = log lambda, the stable form), else x - y log(x + eps). full adds Stirling's approximation of
    log(y!), y log y - y + 0.5 log(2 pi y), where y > 1, as PyTorch's. Input and target broadcast (as PyTorch's).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.poisson_nll_loss(ag.tensor([0.0, 1.0]), [1.0, 2.0], reduction="none").data.round(4)
    array([1.    , 0.7183])
    """
    where = "poisson_nll_loss"
    log_input, full = as_flag(log_input, where, "log_input"), as_flag(full, where, "full")
    eps = _eps(eps, where)
    F.check_reduction(reduction, where)
    input = F._float_input(input, where)
    y = _target(target, input.shape, input.dtype, where)
    loss = ag.exp(input) - y * input if log_input else input - y * ag.log(input + eps)
    if full:
        large = (y.data if isinstance(y, Tensor) else y) > 1
        if large.any():
            safe = ag.where(large, y, 2)  # (the term is dropped where y <= 1: no log of 0 or of a negative)
            stirling = safe * ag.log(safe) - safe + 0.5 * ag.log(2 * math.pi * safe)
            loss = loss + ag.where(large, stirling, 0)
    return F._reduce(loss, reduction, where)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """The negative log-likelihood of targets y under normal distributions of means x and variances var:
    0.5 (log v + (x - y)**2 / v) (plus 0.5 log(2 pi) with full), v = max(var, eps). As PyTorch's, the clamp is not
    differentiated: var's gradient is the one at v, also where var < eps. var: a number, or an array or Tensor of the
    input's shape, or of it less the last axis (one variance per row), or differing from it in one axis of size 1;
    its entries must be >= 0. Input and target broadcast (as PyTorch's).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.gaussian_nll_loss(ag.tensor([1.0, 2.0]), [1.0, 0.0], 2.0, reduction="none").data.round(4)
    array([0.3466, 1.3466])
    """
    where = "gaussian_nll_loss"
    full = as_flag(full, where, "full")
    eps = _eps(eps, where)
    F.check_reduction(reduction, where)
    input = F._float_input(input, where)
    y = _target(target, input.shape, input.dtype, where)
    v = _variance(var, input, eps, where)
    d = input - y
    loss = 0.5 * (ag.log(v) + d * d / v)
    return F._reduce(loss + _HALF_LOG_TWO_PI if full else loss, reduction, where)


def _variance(var, input, eps, where):
    """var checked and shaped as PyTorch's gaussian_nll_loss has it, then clamped at eps without a gradient."""
    number = None if isinstance(var, (Tensor, np.ndarray, list, tuple)) else as_number(var)
    if number is not None:  # (PyTorch takes a Python float here)
        if not number >= 0:
            raise ValueError(f"{where}: var has negative entry/entries (variances must be >= 0), got {var!r}")
        return np.full(input.shape, max(number, eps), input.dtype)
    value = _operand(var, where, "var")
    values = value.data if isinstance(value, Tensor) else value
    if values.size and not values.min() >= 0:
        raise ValueError(f"{where}: var has negative entry/entries (variances must be >= 0), got values in "
                         f"[{values.min()}, {values.max()}]")
    if value.shape != input.shape:
        if value.shape == input.shape[:-1]:  # one variance per row: it broadcasts along the last axis
            value, values = value.reshape(value.shape + (1,)), values.reshape(values.shape + (1,))
        elif not (value.ndim == input.ndim and sum(v for x, v in zip(input.shape, value.shape) if x != v) == 1):
            raise ValueError(f"{where}: var is of incorrect size: {value.shape} does not fit the input's shape "
                             f"{input.shape}; give one variance per entry ({input.shape}), one per row "
                             f"({input.shape[:-1]}), or a shape that differs from the input's in one axis, of size 1")
    if isinstance(value, np.ndarray):
        return np.maximum(value.astype(input.dtype, copy=False), eps)
    small = values < eps
    if not small.any():
        return value
    # exactly max(var, eps), with var's gradient 1 (straight through); only where var < eps, so an infinite
    # variance elsewhere stays inf (inf - inf would be NaN)
    with np.errstate(invalid="ignore"):  # (inf - inf in the branch not taken)
        return ag.where(small, (value - values) + np.asarray(eps, values.dtype), value)


# ---- margins ---------------------------------------------------------------------------------------------------
@takes_legacy_reduction
def soft_margin_loss(input, target, reduction="mean"):
    """log(1 + e**(-y x)) for targets y (1 or -1), as softplus(-y x): finite for any x. The target broadcasts to the
    input's shape without enlarging it (as PyTorch's).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.soft_margin_loss(ag.tensor([0.0, -1000.0]), [1.0, 1.0], reduction="none").data.round(4).tolist()
    [0.6931, 1000.0]
    """
    where = "soft_margin_loss"
    F.check_reduction(reduction, where)
    input = F._float_input(input, where)
    y = _target(target, input.shape, input.dtype, where, enlarge=False)
    return F._reduce(ag.softplus(-y * input), reduction, where)


@takes_legacy_reduction
def margin_ranking_loss(input1, input2, target, margin=0, reduction="mean"):
    """max(0, -y (x1 - x2) + margin): y = 1 asks for x1 ranked above x2 by margin, y = -1 below. The three must have
    the same number of axes (as PyTorch's), and broadcast. Gradient 0 at the kink, as PyTorch's clamp_min.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.margin_ranking_loss(ag.tensor([1.0, 1.0]), ag.tensor([0.0, 0.0]), [1.0, -1.0], margin=0.5, reduction="none")
    Tensor([0. , 1.5])
    """
    where = "margin_ranking_loss"
    margin = _margin(margin, where)
    F.check_reduction(reduction, where)
    shapes = [np.shape(value) for value in (input1, input2, target)]
    if not len(shapes[0]) == len(shapes[1]) == len(shapes[2]):
        raise LossArgumentError(f"{where}: input1, input2 and target must have the same number of axes, got shapes "
                                f"{shapes[0]}, {shapes[1]} and {shapes[2]}")
    (x1, x2), shape = _inputs(where, ("input1", "input2"), input1, input2)
    y = _target(target, shape, np.result_type(x1.dtype, x2.dtype), where)
    return F._reduce(_clamp_min_zero(margin - y * (x1 - x2)), reduction, where)


@takes_legacy_reduction
def hinge_embedding_loss(input, target, margin=1.0, reduction="mean"):
    """x where y = 1, max(0, margin - x) where y = -1: for distances x of similar (1) and dissimilar (-1) pairs.
    Targets other than 1 and -1 raise (PyTorch's formula adds both sides for them). Input and target broadcast (as
    PyTorch's). Gradient 0 at the kink x = margin, as PyTorch's clamp_min.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.hinge_embedding_loss(ag.tensor([0.3, 0.3, 2.0]), [1, -1, -1], reduction="none")
    Tensor([0.3, 0.7, 0. ])
    """
    where = "hinge_embedding_loss"
    margin = _margin(margin, where)
    F.check_reduction(reduction, where)
    input = F._float_input(input, where)
    y = _target(_signs(target, where), input.shape, input.dtype, where)
    return F._reduce(ag.where(y == 1, input, _clamp_min_zero(margin - input)), reduction, where)


@takes_legacy_reduction
def cosine_embedding_loss(input1, input2, target, margin=0, reduction="mean"):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, cos along the last axis as PyTorch's
    (x1 . x2) / sqrt((|x1|**2 + eps) (|x2|**2 + eps)), eps the float 1e-12, the root taken of each factor (no
    overflow of the product). Inputs (N, D) with targets (N,), or (D,) with a 0-d target; targets 1 or -1 (PyTorch's
    gives 0 for others); inputs and target broadcast (as PyTorch's).

    >>> import autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([[1.0, 0.0], [1.0, 0.0]])
    >>> F.cosine_embedding_loss(x, ag.tensor([[0.0, 1.0], [1.0, 1.0]]), [1, -1], reduction="none").data.round(4)
    array([1.    , 0.7071])
    """
    where = "cosine_embedding_loss"
    margin = _margin(margin, where)
    F.check_reduction(reduction, where)
    shapes = (np.shape(input1), np.shape(input2))
    rank = np.ndim(target)  # the shapes are checked before the values, as PyTorch's
    if rank > 1:  # (PyTorch's words, here and below)
        raise LossArgumentError(f"{where}: 0D or 1D target tensor expected, multi-target not supported; got a target "
                             f"of shape {np.shape(target)}")
    if not len(shapes[0]) == len(shapes[1]) == rank + 1:
        raise LossArgumentError(f"{where}: {rank}D target tensor expects {rank + 1}D input tensors, but found inputs "
                             f"with sizes {shapes[0]} and {shapes[1]} (inputs (N, D) with a target (N,), or (D,) "
                             f"with a 0-d target)")
    y = _signs(target, where)
    (x1, x2), shape = _inputs(where, ("input1", "input2"), input1, input2)
    y = _target(y, shape[:-1], np.result_type(x1.dtype, x2.dtype), where)
    axis = y.ndim
    norms = [ag.sqrt((x * x).sum(axis=axis) + _COSINE_EPS) for x in (x1, x2)]
    cos = (x1 * x2).sum(axis=axis) / (norms[0] * norms[1])
    return F._reduce(ag.where(y == 1, 1 - cos, _clamp_min_zero(cos - margin)), reduction, where)


@takes_legacy_reduction
def multilabel_soft_margin_loss(input, target, weight=None, reduction="mean"):
    """The mean over the classes (the last axis) of the binary cross-entropies of the logits x and targets y in
    [0, 1]: y softplus(-x) + (1 - y) softplus(x) (stable for any x; PyTorch's -(y logsigmoid(x) + (1 - y)
    logsigmoid(-x))), times weight (broadcastable to the input), one loss per sample. The target broadcasts to the
    input's shape without enlarging it.

    >>> import autograd_core as ag, nn.functional as F
    >>> round(F.multilabel_soft_margin_loss(ag.tensor([[0.0, 1e4]]), [[1.0, 1.0]]).item(), 4)
    0.3466
    """
    where = "multilabel_soft_margin_loss"
    F.check_reduction(reduction, where)
    input = F._float_input(input, where)
    F._check_has_classes(input, where)
    y = _target(target, input.shape, input.dtype, where, enlarge=False)
    loss = y * ag.softplus(-input) + (1 - y) * ag.softplus(input)
    if weight is not None:
        loss = loss * F._elementwise_weight(weight, input, "weight", where)
    return F._reduce(loss.sum(axis=-1) / input.shape[-1], reduction, where)


@takes_legacy_reduction
def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, reduction="mean"):
    """The multi-class hinge loss: for each sample, sum over the classes i other than the target y of
    max(0, margin - x[y] + x[i])**p (times weight[y]), divided by the number of classes C. p: 1 or 2. input (N, C)
    with targets (N,), or (C,) with one target; class indices in [0, C). The gradient at the kink is 0, as PyTorch's.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.multi_margin_loss(ag.tensor([[0.1, 0.2, 0.4, 0.8]]), np.array([3]))
    Tensor(0.325)
    """
    where = "multi_margin_loss"
    if isinstance(p, bool) or p not in (1, 2):
        raise ValueError(f"{where}: p must be 1 or 2 (the hinge, or its square), got {p!r}")
    margin = _margin(margin, where)
    F.check_reduction(reduction, where)
    input = F._float_input(input, where)
    target = F._class_targets(target, where)
    if input.ndim > 2:
        raise LossArgumentError(f"{where}: input must have shape (N, C) or (C,), got {input.shape}")
    classes = input.shape[-1] if input.ndim else 1
    if classes == 0:
        raise LossArgumentError(f"{where}: input of shape {input.shape} has no classes (PyTorch: expected a non-empty "
                                f"vector or matrix with optional 0-dim batch size)")
    samples = input.shape[0] if input.ndim == 2 else 1
    expected = [(samples,)] if input.ndim == 2 else [(), (1,)]
    if target.shape not in expected:
        raise LossArgumentError(f"{where}: target shape {target.shape} does not match input shape {input.shape}; "
                                f"expected {' or '.join(map(str, expected))}: one class index per sample")
    x = input.reshape(samples, classes)
    rows = target.reshape(-1)
    if rows.size and (rows.min() < 0 or rows.max() >= classes):
        bad = rows[(rows < 0) | (rows >= classes)][0]
        raise F.TargetRangeError(f"{where}: target class {bad} is out of range for an input with {classes} classes; "
                                 f"valid class indices are 0..{classes - 1}")
    hinge = ag.relu(margin - x[np.arange(samples), rows].reshape(samples, 1) + x)  # (relu: no gradient at 0)
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        F.check_weight(weight, "weight", where)
        w = saved_value(weight, input.dtype)
        if w.shape != (classes,):
            raise LossArgumentError(f"{where}: weight has shape {w.shape}, but the input has {classes} classes; "
                                    f"expected one weight per class, shape ({classes},)")
        hinge = hinge * w[rows].reshape(samples, 1)
    hinge = ag.where(np.arange(classes) == rows[:, None], 0, hinge)  # the target's own class counts no margin
    loss = (hinge.sum(axis=1) / classes).reshape(target.shape)
    if reduction == "mean" and not samples:
        return loss.sum()  # PyTorch's mean over no samples is 0 here (its other losses' is NaN)
    return F._reduce(loss, reduction, where)


@takes_legacy_reduction
def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, reduction="mean"):
    """max(0, margin + d(a, pos) - d(a, neg)), d = pairwise_distance(., ., p, eps) along the last axis; with swap,
    d(a, neg) is replaced by d(pos, neg) where that is smaller (Balntas et al.'s distance swap). The three must have
    the same number of axes (as PyTorch's), and broadcast. margin > 0; p > 0 or inf.

    >>> import autograd_core as ag, nn.functional as F
    >>> a, pos, neg = ag.tensor([[0.0, 0.0]]), ag.tensor([[3.0, 4.0]]), ag.tensor([[1.0, 0.0]])
    >>> F.triplet_margin_loss(a, pos, neg, eps=0.0)
    Tensor(5.)
    """
    where = "triplet_margin_loss"
    margin = _margin(margin, where, positive=True)
    p, eps, swap = _p(p, where), _eps(eps, where), as_flag(swap, where, "swap")
    F.check_reduction(reduction, where)
    shapes = [np.shape(value) for value in (anchor, positive, negative)]
    if not len(shapes[0]) == len(shapes[1]) == len(shapes[2]):
        raise LossArgumentError(f"{where}: anchor, positive and negative must have the same number of axes, got "
                                f"shapes {shapes[0]}, {shapes[1]} and {shapes[2]}")
    (a, pos, neg), _ = _inputs(where, ("anchor", "positive", "negative"), anchor, positive, negative)
    far = _distance(a, neg, p, eps)
    if swap:
        far = ag.minimum(far, _distance(pos, neg, p, eps))  # (at a tie each gets half the gradient, as torch's)
    return F._reduce(_clamp_min_zero(margin + _distance(a, pos, p, eps) - far), reduction, where)


# ---- distances -------------------------------------------------------------------------------------------------
def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm of x1 - x2 + eps along the last axis (eps keeps the gradient finite for equal vectors), as
    PyTorch's; x1 and x2 broadcast. p > 0 or inf. Stable: no overflow for huge entries (see _vector_norm).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.pairwise_distance(ag.tensor([[0.0, 0.0], [1.0, 1.0]]), ag.tensor([[3.0, 4.0], [1.0, 1.0]]), eps=0.0)
    Tensor([5., 0.])
    """
    where = "pairwise_distance"
    p, eps, keepdim = _p(p, where), checked_number(eps, where, "eps", low=0), as_flag(keepdim, where, "keepdim")
    (x1, x2), _ = _promoted(where, x1, x2)
    return _distance(x1, x2, p, eps, keepdim)


def _distance(x1, x2, p, eps, keepdim=False):
    difference = x1 - x2 + eps
    if difference.ndim == 0:  # a 0-d difference is its own vector
        return ag.abs(difference)
    return _vector_norm(difference, p, -1, keepdim)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """(x1 / max(|x1|, eps)) . (x2 / max(|x2|, eps)) along dim, as PyTorch's: x1 and x2 broadcast first (an integer
    one takes the other's float dtype, as PyTorch promotes), each is divided by its norm (so the result lies in
    [-1, 1], and huge entries do not overflow), and the clamps at eps are not differentiated (PyTorch clamps under
    no_grad): the gradient of a zero vector is the other's direction / eps.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.cosine_similarity(ag.tensor([[1.0, 0.0], [1e200, 1e200]]), ag.tensor([[1.0, 1.0], [1e200, 1e200]]))
    Tensor([0.70710678, 1.        ])
    """
    where = "cosine_similarity"
    eps = checked_number(eps, where, "eps", low=0)
    (x1, x2), shape = _promoted(where, x1, x2)
    dim = F._check_dim(np.broadcast_to(0.0, shape), dim, where)
    if x1.shape != shape:
        x1 = ag.broadcast_to(x1, shape)
    if x2.shape != shape:
        x2 = ag.broadcast_to(x2, shape)
    if not shape:  # 0-d: the vectors are the numbers themselves
        return (x1 / _at_least(ag.abs(x1), eps)) * (x2 / _at_least(ag.abs(x2), eps))
    units = [x / _at_least(_vector_norm(x, 2, dim, keepdims=True), eps) for x in (x1, x2)]
    return (units[0] * units[1]).sum(axis=dim)


def _at_least(norm, eps):
    """max(norm, eps) with norm's gradient 1 everywhere (PyTorch's clamp under no_grad): exactly eps where smaller."""
    values = norm.data
    if values.min(initial=eps) >= eps:
        return norm
    return (norm - values) + np.maximum(values, eps).astype(values.dtype)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(|input|_p, eps) along dim (an int, or a tuple or list of ints), as PyTorch's: unit vectors, a
    vector shorter than eps divided by eps (the clamp differentiated, as PyTorch's clamp_min: no gradient through the
    norm at or below eps). p > 0 or inf. out is not supported (the result is a new, differentiable Tensor).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.normalize(ag.tensor([[3.0, 4.0], [0.0, 0.0]]))
    Tensor([[0.6, 0.8],
            [0. , 0. ]])
    """
    where = "normalize"
    if out is not None:
        raise TypeError(f"{where}: out is not supported; the result is returned as a new (differentiable) Tensor")
    p, eps = _p(p, where), checked_number(eps, where, "eps", low=0)
    x = F._float_input(input, where)
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if not dims:  # (PyTorch's norm over no dims is over all of them; NumPy's axis=() reduces none: say which)
        raise ValueError(f"{where}: dim {dim!r} names no axis; pass the axes to normalise over, e.g. "
                         f"dim={tuple(range(x.ndim)) if x.ndim else 0} for all of them")
    dims = tuple(F._check_dim(x, d, where) for d in dims)
    if x.ndim == 0:
        norm = ag.abs(x)
    else:
        axes = tuple(d % x.ndim for d in dims)
        if len(set(axes)) != len(axes):
            raise ValueError(f"{where}: dim {dim} names an axis twice (input of shape {x.shape})")
        norm = _vector_norm(x, p, axes, keepdims=True)
    return x / ag.where(norm.data <= eps, eps, norm)  # (PyTorch 2.14's clamp_min: gradient 0 at norm == eps)
