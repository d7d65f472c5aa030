"""Loss primitives: losses whose gradients need a rule of their own, near the edges or for speed.

binary_cross_entropy is a primitive, not a composition of log, so that its gradient is PyTorch's
at p = 0 and p = 1 (finite, from a clamped denominator) instead of the derivative of the clamped
logarithms (0 where the clamp acts, inf in float32 for subnormal p). huber_loss is one for speed: as abs,
where and arithmetic it was six nodes.
"""
import numpy as np

from .._arguments import InvalidArgumentError
from ..primitive import _BLAS_FLOATS, Primitive, apply, float_constants, read_only_cached, specializes
from ..tensor import Tensor, as_value, saved_value
from .indexing import _scatter
from .softmax import _log_softmax, _log_softmax_primitive

_LOG_FLOOR = -100.0  # PyTorch clamps both logarithms at -100, so the loss is at most 100
_EPS = float(np.float32(1e-12))  # PyTorch's floor for p (1 - p) in the input gradient: a float32 1e-12


class ProbabilityRangeError(InvalidArgumentError):
    """binary_cross_entropy's input outside [0, 1]: a ValueError, as the engine raises for bad values, and a
    RuntimeError, as PyTorch's binary_cross_entropy raises."""


def _binary_cross_entropy(p, y):
    # min(0, p) >= 0 and max(1, p) <= 1 hold for every p in [0, 1] (an empty p too), never for NaN.
    if not (np.min(p, initial=0.0) >= 0 and np.max(p, initial=1.0) <= 1):
        raise ProbabilityRangeError(f"all elements of input should be between 0 and 1 (probabilities), got values "
                                    f"in [{np.min(p)}, {np.max(p)}]")
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        return -(y * np.maximum(np.log(p), _LOG_FLOOR) + (1 - y) * np.maximum(np.log1p(-p), _LOG_FLOOR))


def _target_vjp(g, ans, p, y):
    # PyTorch's rule: -logit(p) = log(1 - p) - log(p), not clamped (+inf at p = 0, -inf at p = 1).
    with np.errstate(divide="ignore"):
        return g * (np.log1p(-p) - np.log(p))


def _input_vjp(g, ans, p, y):
    # d/dp = (p - y) / (p (1 - p)), its denominator floored at 1e-12 as in PyTorch: finite at p = 0 and 1,
    # and not the derivative of the clamped logarithms there (that would be 0, or inf in float32). A float16
    # gradient is computed in float32 and rounded once, as PyTorch's kernel: in float16 a mean's g (1/N) times
    # p - y is subnormal for large batches, and the division by p (1 - p) magnifies its rounding (5% at N = 4e4).
    if np.result_type(*(getattr(v, "dtype", v) for v in (g, p, y))) == np.float16:  # (Tensors when recorded)
        with np.errstate(over="ignore"):  # (1e12 at p = 0 or 1 is inf in float16, as PyTorch's)
            wide = _input_vjp(*(np.asarray(v).astype(np.float32) if np.isscalar(v) else v.astype(np.float32)
                                for v in (g, ans, p, y)))
            return wide.astype(np.float16)
    return g * (p - y) / np.maximum(p * (1 - p), _EPS)


_binary_cross_entropy_primitive = Primitive(
    "binary_cross_entropy", _binary_cross_entropy,
    (_input_vjp, _target_vjp),
    "input and target must have NumPy-broadcastable shapes, with input probabilities in [0, 1]",
    reads_values=((0, 1), (0,)),
)


def binary_cross_entropy(input, target):
    """-(y log p + (1 - y) log(1 - p)) elementwise (no reduction), for probabilities p = input and
    targets y, each logarithm clamped at -100 as in PyTorch. The gradient in p is
    (p - y) / max(p (1 - p), 1e-12), finite at p = 0 and p = 1; the gradient in y is log(1 - p) - log(p).

    >>> import autograd_core as ag
    >>> p = ag.tensor([0.5, 0.0], requires_grad=True)
    >>> loss = ag.binary_cross_entropy(p, [1.0, 1.0])
    >>> loss.data.round(4)
    array([  0.6931, 100.    ])
    >>> loss.sum().backward()
    >>> p.grad
    Tensor([-2.e+00, -1.e+12])
    """
    return _binary_cross_entropy_primitive(input, target)


# ---- huber_loss: one node where abs, two wheres and arithmetic made six -----------------------------------
def _huber_loss(x, y, delta=1.0):
    # With m = min(|d|, delta), m (|d| - m / 2) is 0.5 d**2 where |d| < delta and delta (|d| - delta / 2)
    # elsewhere (|d| == delta too), bit for bit, without np.where (a mispredicted branch per element).
    size = np.abs(x - y)
    m = np.minimum(size, delta)  # NaN for a NaN residual
    return m * (size - 0.5 * m)


def _huber_loss_vjp(g, ans, x, y, delta=1.0):
    # d/dx = clip(d, -delta, delta): d inside, +-delta outside (at |d| == delta both agree), and +-delta for an
    # infinite residual, not the 0 * inf = NaN of the square's slope; NaN for a NaN residual, as PyTorch.
    return np.clip(x - y, -delta, delta) * g


_huber_loss_primitive = Primitive(
    "huber_loss", _huber_loss,
    (_huber_loss_vjp, lambda g, ans, x, y, delta=1.0: -_huber_loss_vjp(g, ans, x, y, delta)),
    "input and target must have NumPy-broadcastable shapes",
    reads_values=((0, 1), (0, 1)),
)


def huber_loss(input, target, delta=1.0):
    """Huber loss elementwise (no reduction), for the residual d = input - target: 0.5 d**2 where
    |d| < delta, delta (|d| - 0.5 delta) elsewhere. Its gradient in input is clip(d, -delta, delta)
    (+-delta for an infinite residual), in target minus that. delta: a number > 0.

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.ops.losses import huber_loss
    >>> x = ag.tensor([0.5, 3.0, -np.inf], requires_grad=True)
    >>> loss = huber_loss(x, [0.0, 0.0, 0.0])
    >>> loss
    Tensor([0.125, 2.5  ,   inf], op=huber_loss)
    >>> loss.sum().backward()
    >>> x.grad
    Tensor([ 0.5,  1. , -1. ])
    """
    if not delta > 0:  # (NaN too)
        raise ValueError(f"huber_loss: delta must be a number > 0, got {delta!r}")
    return _huber_loss_primitive(input, target, delta=float(delta))


# ---- nll_loss: one node for the loss every classifier ends in -----------------------------------
# Indexing, negation and a mean would be three nodes and a scatter with np.add.at; PyTorch too has one
# (NllLossBackward). The loss is linear in log_probs: its gradient is -g w_n / divisor at each
# (n, target_n) and 0 elsewhere, a scatter of g, traced (with scatter_add) for higher derivatives.
def _divisor(target, sample_weight):
    """What 'mean' divides the summed loss by: the number of samples, or their total weight."""
    return len(target) if sample_weight is None else np.add.reduce(sample_weight)


class ClassIndexError(IndexError):
    """A class target outside [0, C) reached nll_loss's or cross_entropy's forward. Their callers check the targets
    first, with a clear error; nn.TrainStep's replay relies on this one instead, and runs such a step eagerly."""


_ROWS = {}  # n -> np.arange(n), read-only: the row indices of the batch sizes seen (read_only_cached)


def _flat_index(target, classes):
    """The positions (n, target[n]) of an (N, C) array as indices into it read in C order (its take, or its C-order
    ravel): NumPy picks by one flat index in a third of the time it takes for the pair (rows, target). Raises
    ClassIndexError for a target outside [0, C) (np.ravel_multi_index checks each while it computes the index)."""
    if target.dtype.kind != "i":  # (unsigned as signed: a huge one wraps negative, refused as out of range)
        target = target.astype(np.intp)
    n = len(target)
    rows = _ROWS.get(n)  # (a batch size repeats every step)
    if rows is None:
        rows = read_only_cached(_ROWS, n, np.arange, n)
    try:
        return np.ravel_multi_index((rows, target), (n, classes))
    except ValueError:
        if target.shape != rows.shape:  # (not one target per row: NumPy's own error)
            raise
        raise ClassIndexError(f"a class target is outside [0, {classes}): {target.min()}..{target.max()}") from None


def _nll_loss(log_probs, target, sample_weight=None, reduction="mean"):
    return _reduced_nll(log_probs.take(_flat_index(target, log_probs.shape[1])), target, sample_weight, reduction)


def _reduced_nll(picked, target, sample_weight, reduction):
    """nll_loss's value from picked, log_probs[n, target[n]] for each row n."""
    if sample_weight is not None:
        with np.errstate(invalid="ignore"):  # a weight of 0 drops the sample, even where log_probs is -inf
            picked = np.where(sample_weight == 0, 0, picked * sample_weight)
    if reduction == "none":
        return 0 - picked  # (-picked would make a dropped sample's 0 a -0)
    total = 0 - np.add.reduce(picked)  # one negation of the sum, not one per sample: the same number
    if reduction == "sum":
        return total
    divisor = _divisor(target, sample_weight)
    if divisor:  # (NumPy's errstate costs a microsecond, a tenth of this function: only where it can act)
        return total / divisor
    with np.errstate(invalid="ignore", divide="ignore"):  # no samples, or all weights 0: NaN, as PyTorch
        return total / divisor


def _nll_loss_vjp(g, ans, log_probs, target, sample_weight=None, reduction="mean"):
    if reduction == "mean":
        divisor = _divisor(target, sample_weight)
        g = g / -divisor if divisor else g * 0  # the NaN mean of nothing passes gradient 0
    else:
        g = -g
    if sample_weight is not None:
        g = g * sample_weight
    rows = np.arange(len(target))  # each row's one target: no position twice
    return _scatter.traced(g, index=(rows, target), shape=log_probs.shape, unique=True)


_nll_loss_primitive = Primitive(
    "nll_loss", _nll_loss, (_nll_loss_vjp,),
    "log_probs has shape (N, C); target holds N class indices in [0, C); sample_weight, if given, N weights",
    reads_values=False,  # the rule reads log_probs' shape only (and the targets and weights, raw parameters)
)


# ---- cross_entropy: log_softmax and nll_loss in one node ---------------------------------------
_ONE_OF = float_constants(1)  # the 1 of the onehot in the gradient's dtype (see float_constants)

# nll_loss(log_softmax(z)) with the same forward arithmetic, as one node: a training step's loss costs one
# record and one rule instead of two, and the rule is the two rules fused: softmax(z) - onehot(target), scaled.
def _cross_entropy(z, target, sample_weight=None, reduction="mean", _kept=None):
    floats = _floats(z)
    if floats and _plain_mean(sample_weight, reduction):  # (a training step's loss)
        return _cross_entropy_mean(z, target, [] if _kept is None else _kept)
    log_probs = _log_softmax_inline(z) if floats else _log_softmax(z, axis=1)
    flat = _flat_index(target, z.shape[1])
    if _kept is not None:  # (for the rule: see _cross_entropy_node)
        _kept += log_probs, flat
    return _reduced_nll(log_probs.take(flat), target, sample_weight, reduction)


def _floats(z):
    """Whether z is a non-empty float32 or float64 array (_log_softmax_inline's)."""
    return type(z) is np.ndarray and z.dtype in _BLAS_FLOATS and z.size


def _plain_mean(sample_weight, reduction):
    """Whether the loss is the unweighted mean, _cross_entropy_mean's and its rule's case."""
    return sample_weight is None and reduction == "mean"


def _log_softmax_inline(z):
    """_log_softmax(z, axis=1) of a non-empty float32 or float64 z, the same arithmetic (its _shifted and
    _log_sum_exp_shifted, a test checks the bits) without their calls and checks, which cost a fifth of a digits
    step's loss."""
    shift = np.maximum.reduce(z, axis=1, keepdims=True, initial=-np.inf)
    finite = np.isfinite(shift)
    if np.count_nonzero(finite) != finite.size:
        shift = np.where(finite, shift, np.nan)
    shifted = z - shift
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=1, keepdims=True))


def _cross_entropy_mean(z, target, kept):
    """_cross_entropy's unweighted mean of non-empty float32 or float64 logits (_reduced_nll's mean, inline)."""
    log_probs = _log_softmax_inline(z)
    flat = _flat_index(target, z.shape[1])
    kept += log_probs, flat
    return (0 - np.add.reduce(log_probs.take(flat))) / len(flat)


@specializes(_cross_entropy)
def _cross_entropy_specialized(args, params):
    (z,) = args
    if _floats(z) and _plain_mean(params.get("sample_weight"), params.get("reduction", "mean")) and isinstance(
            params.get("_kept"), list):
        return _cross_entropy_mean, (0, "target", "_kept")
    return None


def _cross_entropy_vjp(g, ans, z, target, sample_weight=None, reduction="mean", _kept=None):
    if isinstance(z, Tensor) or not _kept:  # a recorded pass: the two rules, on a recorded log_softmax of z, so
        log_probs = _log_softmax_primitive(z, axis=1)  # that higher derivatives reach z
        g = _nll_loss_vjp(g, ans, log_probs, target, sample_weight, reduction)
        return _log_softmax_primitive.vjps[0](g, log_probs, z, axis=1)
    # The two rules in one: nll_loss's gives -c_n at each target (c_n = g w_n / divisor), log_softmax's then
    # subtracts softmax(z) times each row's sum, -c_n: (softmax(z) - onehot(target)) c_n.
    if _plain_mean(sample_weight, reduction) and len(_kept[1]):
        return _cross_entropy_mean_vjp(g, _kept)
    if reduction == "mean":  # (g[()]: the 0-d g as a NumPy scalar, whose division skips the ufunc machinery)
        divisor = _divisor(target, sample_weight)
        g = g[()] / divisor if divisor else g * 0  # the NaN mean of nothing passes gradient 0
    if sample_weight is not None:
        g = g * sample_weight
    grad = _softmax_minus_onehot(_kept)
    grad *= g[:, None] if g.ndim else g
    return grad


def _cross_entropy_mean_vjp(g, kept):
    """The rule of an unweighted mean over N >= 1 samples: softmax(z) - onehot(target), times g / N."""
    grad = _softmax_minus_onehot(kept)
    grad *= g[()] / len(kept[1])
    return grad


def _softmax_minus_onehot(kept):
    log_probs, flat = kept[:2]
    grad = np.exp(log_probs, order="C")  # (C order, so that its ravel is a view that flat indexes)
    grad.ravel()[flat] -= _ONE_OF.get(grad.dtype, 1)
    return grad


@specializes(_cross_entropy_vjp)
def _cross_entropy_rule_specialized(args, params):
    kept = params.get("_kept")
    if type(args[2]) is np.ndarray and kept and _plain_mean(params.get("sample_weight"), params.get(
            "reduction", "mean")) and len(kept[1]):
        return _cross_entropy_mean_vjp, (0, "_kept")
    return None


_cross_entropy_primitive = Primitive(
    "cross_entropy", _cross_entropy, (_cross_entropy_vjp,),
    "z has shape (N, C); target holds N class indices in [0, C); sample_weight, if given, N weights",
    reads_values=((0,),),  # z, whose log-probabilities the rule reads (a change to z is a change to them)
)


def _cross_entropy_node(z, target, sample_weight, reduction):
    """nll_loss(log_softmax(z, axis=1), target, sample_weight, reduction) as one node, for a caller that has made
    nll_loss's checks itself (nn's cross_entropy): z of shape (N, C), target and sample_weight as _nll_loss_node's.
    The forward keeps the log-probabilities in an engine setting of the node (_kept), as PyTorch's LogSoftmax
    saves its result, so that the rule does not compute them again; and the targets' flat index (_flat_index)."""
    return apply(_cross_entropy_primitive, (z,), {"target": target, "sample_weight": sample_weight,
                                                  "reduction": reduction, "_kept": []})


_REDUCTIONS = ("mean", "sum", "none")
# The unsigned dtype of each integer size (a dtype object: NumPy parsing f"u{size}" took longer than the view itself)
_UNSIGNED_OF_SIZE = {size: np.dtype(f"u{size}") for size in (1, 2, 4, 8)}


def within_classes(target, classes):
    """Whether every class index in target (an integer array) lies in [0, classes): one reduction, the targets seen
    as unsigned, where a negative index is huge (NumPy would wrap it round to a real class).

    >>> import numpy as np
    >>> from autograd_core.ops.losses import within_classes
    >>> bool(within_classes(np.array([0, 2]), 3)), bool(within_classes(np.array([0, -1]), 3))
    (True, False)
    """
    return not target.size or np.maximum.reduce(target.view(_UNSIGNED_OF_SIZE[target.itemsize]), axis=None) < classes


def nll_loss(log_probs, target, sample_weight=None, reduction="mean"):
    """-log_probs[n, target[n]] for each row n, weighted and reduced: the negative log-likelihood of
    class targets, as torch.nn.functional.nll_loss for 2-D input, in one node.

    log_probs: (N, C); target: N class indices in [0, C) (constant). sample_weight: N constant
    weights w_n; a weight of 0 drops the sample ('mean' is then sum(w_n l_n) / sum(w_n), and NaN with
    gradient 0 when nothing is left, as PyTorch's class weights and ignore_index give).
    reduction: 'mean', 'sum' or 'none'.

    >>> import numpy as np, autograd_core as ag
    >>> logp = ag.log(ag.tensor([[0.5, 0.5], [0.25, 0.75]]))
    >>> round(ag.nll_loss(logp, np.array([0, 1])).item(), 4)
    0.4904
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"nll_loss: reduction must be one of 'mean', 'sum', 'none', got {reduction!r}")
    values = as_value(log_probs)
    shape = getattr(values, "shape", ())  # (a Python number has none)
    if len(shape) != 2:
        raise ValueError(f"nll_loss: log_probs must have shape (N, C), got shape {shape}")
    target = saved_value(target)  # the rule reads target and sample_weight at backward
    if target.dtype.kind not in "iu" or target.shape != shape[:1]:
        raise ValueError(f"nll_loss: target must hold one integer class index per row of log_probs {shape}, "
                         f"got shape {target.shape} and dtype {target.dtype}")
    if not within_classes(target, shape[1]):
        bad = target[(target < 0) | (target >= shape[1])][0]
        raise IndexError(f"nll_loss: target class {bad} is out of range for log_probs of shape {shape}: target holds "
                         f"N class indices in [0, C)")
    if sample_weight is not None:
        if isinstance(sample_weight, Tensor) and sample_weight.requires_grad:
            raise TypeError("nll_loss: sample_weight must be constant (not differentiable, as in PyTorch); "
                            "pass sample_weight.detach()")
        dtype = np.result_type(values)
        # In log_probs' floating type, as PyTorch requires: float64 or integer weights must not promote the loss.
        sample_weight = saved_value(sample_weight, dtype=dtype if dtype.kind == "f" else None)
        if sample_weight.shape != target.shape:
            raise ValueError(f"nll_loss: sample_weight has shape {sample_weight.shape}, expected {target.shape}: "
                             f"one weight per sample")
    return _nll_loss_node(log_probs, target, sample_weight, reduction)


def _nll_loss_node(log_probs, target, sample_weight, reduction):
    """nll_loss's node, for a caller that has made nll_loss's checks itself (nn's cross_entropy): target an array
    of N class indices in [0, C), sample_weight None or an array of N weights in log_probs' float dtype."""
    return apply(_nll_loss_primitive, (log_probs,), {"target": target, "sample_weight": sample_weight,
                                                     "reduction": reduction})
