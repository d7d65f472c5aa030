"""Activations, losses, embeddings and normalisations as functions (PyTorch's torch.nn.functional names and
arguments).

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
from autograd_core.in_place_record import take_record
from autograd_core.ops.losses import (_REDUCTIONS, _cross_entropy_node, _nll_loss_node,
                                      huber_loss as _elementwise_huber_loss, within_classes)
from autograd_core.primitive import _holds_graph, refuse_held_graph
from autograd_core.tensor import saved_value

from ._arguments import as_flag, as_number, checked_number, dtype_of_to, takes_legacy_reduction
from ._activation_functions import (celu, gelu, hardsigmoid, hardswish, hardtanh, log_softmax, logsigmoid, mish, prelu,
                                    relu6, selu, silu, softmax, softmin, softsign, tanhshrink, threshold)
from ._activation_functions import celu_, elu_, hardtanh_, selu_, threshold_
from ._activation_functions import _activation_input, _apply, _computed
from ._convolution_functions import (avg_pool1d, avg_pool2d, avg_pool3d, conv1d, conv2d, conv3d, max_pool1d,
                                     max_pool2d, max_pool3d)
from ._pooling_functions import (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
                                 adaptive_max_pool2d, adaptive_max_pool3d, max_unpool1d, max_unpool2d, max_unpool3d)
from ._loss_functions import (LossArgumentError, cosine_embedding_loss, cosine_similarity, gaussian_nll_loss,
                              hinge_embedding_loss, kl_div, margin_ranking_loss, multi_margin_loss,
                              multilabel_soft_margin_loss, normalize, pairwise_distance, poisson_nll_loss,
                              smooth_l1_loss, soft_margin_loss, triplet_margin_loss)
from ._normalization_functions import batch_norm, group_norm, instance_norm, layer_norm, rms_norm
from ._attention_functions import scaled_dot_product_attention
from ._multi_head_attention_functions import multi_head_attention_forward
from ._dropout_functions import alpha_dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout
from ._dropout_functions import _dropout_generator
from ._padding_functions import pad
from ._conv_transpose_functions import conv_transpose1d, conv_transpose2d, conv_transpose3d
from ._fold_functions import fold, unfold
from ._small_functions import (bilinear, glu, hardshrink, local_response_norm, rrelu, rrelu_, softshrink,
                               triplet_margin_with_distance_loss)
from ._resampling_functions import interpolate
from ._rearranging_functions import channel_shuffle, pixel_shuffle, pixel_unshuffle
from ._ctc_loss_functions import ctc_loss
from ._embedding_bag_functions import embedding_bag
from ._embedding_functions import embedding, one_hot
from ._pooling_more_functions import (adaptive_max_pool1d_with_indices, adaptive_max_pool2d_with_indices,
                                      adaptive_max_pool3d_with_indices, lp_pool1d, lp_pool2d, lp_pool3d,
                                      max_pool1d_with_indices, max_pool2d_with_indices, max_pool3d_with_indices,
                                      upsample, upsample_bilinear, upsample_nearest)
from ._small_functions_more import gumbel_softmax, multilabel_margin_loss, pdist
from ._grid_sample_functions import affine_grid, grid_sample
from ._fractional_pooling_functions import (fractional_max_pool2d, fractional_max_pool2d_with_indices,
                                            fractional_max_pool3d, fractional_max_pool3d_with_indices)

__all__ = ["linear", "relu", "relu_", "leaky_relu", "elu", "sigmoid", "tanh", "softplus", "softmax", "log_softmax",
           "leaky_relu_", "dropout", "gelu", "silu", "mish", "hardtanh", "relu6", "hardsigmoid", "hardswish", "selu",
           "celu", "elu_", "celu_", "selu_", "hardtanh_", "threshold_", "rrelu_",
           "logsigmoid", "softsign", "softmin", "tanhshrink", "threshold", "prelu",
           "mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "cross_entropy", "nll_loss", "smooth_l1_loss", "kl_div", "poisson_nll_loss", "gaussian_nll_loss",
           "soft_margin_loss", "margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss",
           "multilabel_soft_margin_loss", "multi_margin_loss", "triplet_margin_loss", "pairwise_distance",
           "cosine_similarity", "normalize", "embedding", "one_hot", "layer_norm", "batch_norm",
           "conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
           "group_norm", "instance_norm", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
           "feature_alpha_dropout",
           "conv3d", "max_pool3d", "avg_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d", "adaptive_avg_pool1d",
           "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d",
           "adaptive_max_pool3d", "pad",
           "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "unfold", "fold",
           "glu", "bilinear", "hardshrink", "softshrink", "rrelu", "local_response_norm",
           "triplet_margin_with_distance_loss",
           "scaled_dot_product_attention", "multi_head_attention_forward", "rms_norm", "interpolate",
           "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "ctc_loss",
           "embedding_bag", "lp_pool1d", "lp_pool2d", "lp_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
           "max_pool3d_with_indices", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "upsample", "upsample_nearest", "upsample_bilinear", "pdist",
           "gumbel_softmax", "multilabel_margin_loss",
           "affine_grid", "grid_sample", "fractional_max_pool2d", "fractional_max_pool2d_with_indices",
           "fractional_max_pool3d", "fractional_max_pool3d_with_indices"]


def linear(input, weight, bias=None):
    """input @ weight.T + bias, with weight of shape (out_features, in_features), as torch.nn.functional.linear
    (the engine's ag.linear: one recorded operation).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.linear(np.ones((2, 3)), ag.ones((4, 3)), ag.zeros(4)).shape
    (2, 4)
    """
    return ag.linear(input, weight, bias)


# ---- activations (gelu to prelu, PyTorch's others, are in nn/_activation_functions.py) --------
def relu(input, inplace=False):
    """max(x, 0). inplace=True writes the result into input and returns it (see _in_place).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.relu(ag.tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """
    return ag.relu(input) if inplace is False else _in_place(input, ag.relu(input), "relu", inplace)


relu_ = ag.relu_  # (PyTorch's F.relu_ is torch.relu_: x.relu_())


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, negative_slope * x otherwise: the course notes' generalized ReLU
    max(0, x) + alpha * min(0, x) with alpha = negative_slope (-1 gives |x|). inplace: as relu's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.leaky_relu(ag.tensor([-2.0, 3.0]), negative_slope=-1)
    Tensor([2., 3.])
    """
    slope = _setting(negative_slope, "leaky_relu", "negative_slope")
    result = _apply(input, "leaky_relu", lambda x: ag.leaky_relu(x, slope))  # (float16: slope * x in float32)
    return result if inplace is False else _in_place(input, result, "leaky_relu", inplace)


def leaky_relu_(input, negative_slope=0.01):
    """PyTorch's F.leaky_relu_: leaky_relu(input, negative_slope, inplace=True), the result written into input,
    which is returned (as relu_'s).

    >>> import autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([-2.0, 3.0])
    >>> F.leaky_relu_(x, 0.5) is x, x
    (True, Tensor([-1.,  3.]))
    """
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (e**x - 1) otherwise. inplace: as relu's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.elu(ag.tensor([0.0, 1.0]))
    Tensor([0., 1.])
    """
    alpha = _setting(alpha, "elu", "alpha")
    result = _apply(input, "elu", lambda x: ag.elu(x, alpha))
    return result if inplace is False else _in_place(input, result, "elu", inplace)


def _in_place(input, result, where, inplace=True):
    """PyTorch's inplace=True: result written into input, which is returned (inplace: the flag, checked here,
    off the common path of inplace=False; text would read as True). An input recorded for gradients takes result's
    record (autograd_core.in_place_record.take_record: every name for it sees the change, as in PyTorch). Refused for
    a value a recorded graph holds (README: In place), and for a result of another dtype (-0.01 * x written into
    integers would be truncated), as PyTorch's cast rule.

    >>> import autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([-1.0, 2.0])
    >>> F.relu(x, inplace=True) is x, x
    (True, Tensor([0., 2.]))
    """
    if not as_flag(inplace, where, "inplace"):
        return result
    if not isinstance(input, Tensor):
        raise TypeError(f"{where}(inplace=True): the input must be a Tensor to be changed in place, got "
                        f"{type(input).__name__}; use inplace=False")
    if result.requires_grad:  # input becomes result, record and all, as PyTorch's change in place
        return take_record(input, result, f"{where}(inplace=True)")
    if result.dtype != input.dtype:
        raise TypeError(f"{where}(inplace=True): the result's dtype {result.dtype} cannot be written into the "
                        f"input's {input.dtype} (shape {input.shape}); use inplace=False, or a float input")
    try:
        input[...] = result
    except (TypeError, RuntimeError) as err:
        data = input.data  # an expanded input (a stride of 0): PyTorch's words first, so that its regexes match
        shared = any(n > 1 and not stride for n, stride in zip(data.shape, data.strides))
        words = "unsupported operation: more than one element of the written-to tensor refers to a single memory " \
                "location: " if shared else ""
        raise type(err)(f"{where}(inplace=True): {words}{err}; or use inplace=False") from None
    return input


def sigmoid(input):
    """1 / (1 + e**-x), stable for any x.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.sigmoid(ag.tensor(0.0))
    Tensor(0.5)
    """
    return ag.sigmoid(input)  # (float16: computed in float32 by the engine, as PyTorch's)


def tanh(input):
    """Hyperbolic tangent.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.tanh(ag.tensor(0.0))
    Tensor(0.)
    """
    return ag.tanh(input)  # (float16: computed in float32 by the engine, as PyTorch's)


def softplus(input, beta=1.0, threshold=20.0):
    """zeta(beta * x) / beta with zeta(x) = log(1 + e**x), stable for any x; x itself (gradient 1)
    where beta * x > threshold, as in PyTorch.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.softplus(ag.tensor([0.0, 21.0])).data.round(4)
    array([ 0.6931, 21.    ])
    """
    x = _activation_input(input, "softplus")
    beta, threshold = (_setting(value, "softplus", name, per_unit=False)
                       for value, name in ((beta, "beta"), (threshold, "threshold")))
    return _computed(x, lambda x: _softplus(x, beta, threshold))


def _softplus(x, beta, threshold):
    if beta == 1:
        scaled = x
    else:
        with np.errstate(over="ignore"):  # beta * x past the float range: inf, where x itself is taken (as PyTorch)
            scaled = x * beta
    smooth = ag.softplus(scaled) if beta == 1 else ag.softplus(scaled) / beta
    linear = scaled.data > threshold
    return ag.where(linear, x, smooth) if linear.any() else smooth


def _cast_to(input, dtype, where):
    """input cast (differentiably) to the float dtype PyTorch's dtype= names (checked: where names the caller)."""
    dtype = dtype_of_to(where, (), {"dtype": dtype})
    return input.astype(dtype) if isinstance(input, Tensor) else ag.tensor(input, dtype=dtype)


def _check_dim(input, dim, where):
    """dim, or an error naming where, the shape and the valid range (a 0-d input takes -1 or 0, as in PyTorch)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{where}: dim must be an int (the axis to normalise over), got {dim!r}")
    n = max(np.ndim(input), 1)
    if not -n <= dim < n:
        raise np.exceptions.AxisError(f"{where}: dim {dim} is out of range for an input of shape {np.shape(input)}; "
                                      f"valid dims are {-n}..{n - 1}")
    return dim


def dropout(input, p=0.5, training=True, rng=None, *, inplace=False):
    """Inverted dropout: zero each element with probability p and scale the rest by 1 / (1 - p),
    so the expected value is unchanged; the identity when not training (or p == 0). Always returns a
    Tensor (an array input is wrapped). rng: a numpy Generator or int seed; inplace: as relu's (a
    keyword here, where PyTorch's fourth argument is inplace).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> y = F.dropout(ag.ones(8), p=0.5, rng=0)
    >>> sorted(set(y.data.tolist()))
    [0.0, 2.0]
    """
    check_probability("dropout", "probability p", p)
    inplace = as_flag(inplace, "dropout", "inplace")
    x = _as_input(input, "dropout")  # a Tensor out in every mode, as from the Dropout module
    if not as_flag(training, "dropout", "training") or p == 0:
        return x
    if x.dtype.kind != "f":  # the kept values are scaled by 1 / (1 - p): an int cast would truncate it to 1
        raise TypeError(f"dropout: input of dtype {x.dtype} (shape {x.shape}); dropout scales what it keeps by "
                        f"1 / (1 - p), which needs a float input")
    if p == 1:
        result = x * 0
    else:
        keep = _dropout_generator(rng, "dropout").random(x.shape) >= p
        result = x * (keep / (1 - p)).astype(x.dtype)
    return _in_place(input, result, "dropout") if inplace else result


def check_probability(owner, name, p, closed=True):
    """Raise an error unless p is a Python or NumPy number in [0, 1] ([0, 1) when not closed): TypeError for no
    number."""
    checked_number(p, owner, name, low=0, high=1, high_open=not closed, plain=True,
                   what=f"in [0, 1{']' if closed else ')'}")


# ---- helpers for the losses (PyTorch's other losses, and the distances, are in nn/_loss_functions.py) ----
def check_reduction(reduction, where):
    """Raise a clear error unless reduction is 'mean', 'sum' or 'none'."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{where}: reduction must be one of 'mean', 'sum', 'none', got {reduction!r}")


def _reduce(loss, reduction, where):
    if reduction == "mean":
        return loss.mean() if loss.numel() else _weighted_mean(loss, 0)
    if reduction == "sum":
        return loss.sum()
    check_reduction(reduction, where)
    return loss


def _weighted_mean(loss, total):
    """loss.sum() / total; for total 0 (no elements, or every target ignored) NaN as in PyTorch, with
    gradient 0 rather than NaN and no division by zero."""
    if total:
        return loss.sum() / total
    return ag.where(False, loss.sum(), np.nan)


_refuse_held_graph = refuse_held_graph  # (the engine's check, under the name nn's modules call)


def _as_input(input, where):
    """input as a Tensor, where naming the function in an error."""
    if isinstance(input, Tensor):
        return input
    _refuse_held_graph(input, where)
    try:
        return ag.tensor(input)
    except TypeError as err:  # None, text
        raise TypeError(f"{where}: input must be a Tensor or an array of numbers ({err})") from None


def _setting(value, where, name, per_unit=True):
    """A number setting an activation (a slope) as a Python float, which never changes the input's dtype (a NumPy
    float64 would make a float32 input float64, as NumPy promotes); with per_unit, an array of them as it is."""
    number = as_number(value)
    if number is not None:
        return number
    if per_unit and isinstance(value, (np.ndarray, Tensor)) and value.dtype.kind in "iuf":
        return value
    raise TypeError(f"{where}: {name} must be a number{' (or an array of numbers, one per unit)' * per_unit}, "
                    f"got {value!r}")


def _as_target(target, input, where):
    """The target as an array of input's dtype and shape (a Tensor that requires grad stays a Tensor)."""
    if not isinstance(target, Tensor):
        _refuse_held_graph(target, where)  # (its Tensors would get no gradient)
        target = np.asarray(target)
    elif not target.requires_grad:
        target = saved_value(target)
    if target.dtype.kind not in "biuf":  # None, a string: not a shape problem
        raise TypeError(f"{where}: target must hold numbers, got {target.dtype} ({target!r:.60})")
    if target.shape != input.shape:
        raise LossArgumentError(f"{where}: Using a target size {target.shape} that is different to the input size "
                                f"{input.shape}; they must be equal (reshape one, e.g. target.reshape({input.shape}))")
    if isinstance(target, np.ndarray) and target.dtype != input.dtype:  # a float input's dtype; for an integer
        # input, a dtype holding both (PyTorch promotes; a cast to the input's would truncate a target of 0.5)
        target = target.astype(input.dtype if input.dtype.kind == "f" else np.result_type(input.dtype, target.dtype))
    return target


def check_positive(where, name, value, error=ValueError):
    """value as a float when it is a finite number > 0 (NaN would give NaN losses), else an error naming it:
    TypeError for no number, `error` (a ValueError) for one out of range."""
    return checked_number(value, where, name, low=0, low_open=True, error=error)


def _check_range(values, low, high, what, where):
    if values.size and not (values.min() >= low and values.max() <= high):  # NaN fails both comparisons
        raise ValueError(f"{where}: {what} must lie in [{low}, {high}], got values in "
                         f"[{values.min()}, {values.max()}]")


# ---- regression losses -----------------------------------------------------------------------
@takes_legacy_reduction
def mse_loss(input, target, reduction="mean", weight=None):
    """Mean squared error: (x - y)**2, reduced. weight (PyTorch's, of the input's shape) multiplies each element's
    loss; the weighted mean is then sum(w l) / sum(w), as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.mse_loss(ag.tensor([1.0, 3.0]), [0.0, 0.0])
    Tensor(5.)
    """
    input = _as_input(input, "mse_loss")
    diff = input - _as_target(target, input, "mse_loss")
    if weight is not None:
        return _weighted_regression(diff * diff, input, weight, reduction, "mse_loss", by_weight=True)
    return _reduce(diff * diff, reduction, "mse_loss")


@takes_legacy_reduction
def l1_loss(input, target, reduction="mean", weight=None):
    """Mean absolute error: |x - y|, reduced (subgradient 0 where x == y). weight (PyTorch's, of the input's shape)
    multiplies each element's loss; the weighted mean is then sum(w l) / sum(w), as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.l1_loss(ag.tensor([1.0, -3.0]), [0.0, 0.0])
    Tensor(2.)
    """
    input = _as_input(input, "l1_loss")
    loss = ag.abs(input - _as_target(target, input, "l1_loss"))
    if weight is not None:
        return _weighted_regression(loss, input, weight, reduction, "l1_loss", by_weight=True)
    return _reduce(loss, reduction, "l1_loss")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber loss: 0.5 d**2 where |d| < delta, delta * (|d| - 0.5 delta) elsewhere (d = x - y). weight (PyTorch's,
    of the input's shape) multiplies each element's loss before the reduction (the mean divides by the number of
    elements, as PyTorch's huber_loss, where mse_loss and l1_loss divide by the weights' sum).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.huber_loss(ag.tensor([0.5, 3.0]), [0.0, 0.0], reduction="none")
    Tensor([0.125, 2.5  ])
    """
    delta = check_positive("huber_loss", "delta", delta, error=LossArgumentError)
    input = _as_input(input, "huber_loss")
    loss = _elementwise_huber_loss(input, _as_target(target, input, "huber_loss"), delta)  # one node, the engine's
    if weight is not None:
        return _weighted_regression(loss, input, weight, reduction, "huber_loss", by_weight=False)
    return _reduce(loss, reduction, "huber_loss")


def _weighted_regression(loss, input, weight, reduction, where, by_weight):
    """loss times weight (numbers of exactly the input's shape, as PyTorch requires), reduced: a mean divides the sum
    by the weights' sum (by_weight, mse_loss and l1_loss) or by the count (huber_loss), as PyTorch's. A weight that
    requires grad is differentiated, as PyTorch's composition does; another is a constant of the input's dtype."""
    check_reduction(reduction, where)
    if isinstance(weight, Tensor) and weight.requires_grad:
        w = weight if weight.dtype == input.dtype or input.dtype.kind != "f" else weight.astype(input.dtype)
    else:
        check_weight(weight, "weight", where)
        w = saved_value(weight, input.dtype if input.dtype.kind == "f" else None)
    if w.shape != input.shape:
        raise ValueError(f"{where}: weight of shape {w.shape} must have the input's shape {input.shape}, one weight "
                         f"per element (as PyTorch's)")
    loss = loss * w
    if reduction != "mean" or not by_weight:
        return _reduce(loss, reduction, where)
    if isinstance(w, Tensor):
        with np.errstate(divide="ignore", invalid="ignore"):  # (weights summing to 0: inf or NaN, as PyTorch's)
            return loss.sum() / w.sum()
    return _weighted_mean(loss, w.sum())  # (NaN for weights summing to 0, as PyTorch's 0 / 0, without a warning)


# ---- binary classification -------------------------------------------------------------------
def check_weight(weight, name, where, masks=False):
    """Raise a clear error unless weight is None or holds numbers (with masks, bools too: BCE's weight takes a
    mask in PyTorch, its pos_weight and the class weights do not): a loss's weights are constants, so one that
    requires grad, whose gradient would be dropped, is refused (as a string or None inside would give NaN)."""
    if weight is None:
        return
    if _holds_graph((weight,)):  # (a Tensor that requires grad, or a list or tuple holding one)
        raise TypeError(f"{where}: {name} is a constant and gets no gradient, but it holds a Tensor that requires "
                        f"grad; pass its values (t.detach())")
    values = np.asarray(weight.data if isinstance(weight, Tensor) else weight)
    if values.dtype.kind not in ("biuf" if masks else "iuf"):
        raise TypeError(f"{where}: {name} must hold numbers{' (or bools)' * masks}, got {weight!r:.80}")


def _elementwise_weight(weight, input, name, where):
    """weight as an array of the input's dtype (a float32 loss stays float32) that broadcasts to the
    input's shape without enlarging it, or an error naming both shapes."""
    check_weight(weight, name, where, masks=name == "weight")
    w = saved_value(weight, input.dtype)
    try:
        fits = np.broadcast_shapes(w.shape, input.shape) == input.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"{where}: {name} of shape {w.shape} does not broadcast to the input's shape "
                         f"{input.shape}; pass one broadcastable to it (e.g. one value per column, shape "
                         f"{input.shape[-1:]})")
    return w


@takes_legacy_reduction
def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) for probabilities p = input and targets y in [0, 1],
    each logarithm clamped at -100 as in PyTorch (the engine's ag.binary_cross_entropy, whose
    gradient stays finite at p = 0 and 1). For logits use binary_cross_entropy_with_logits.
    weight: an optional array broadcastable to the input, multiplying each element's loss.

    >>> import autograd_core as ag, nn.functional as F
    >>> round(F.binary_cross_entropy(ag.tensor([0.8]), [1.0]).item(), 4)
    0.2231
    """
    input = _as_input(input, "binary_cross_entropy")
    target = _as_target(target, input, "binary_cross_entropy")
    _check_range(np.asarray(target), 0, 1, "targets (probabilities)", "binary_cross_entropy")
    loss = ag.binary_cross_entropy(input, target)
    if weight is not None:
        loss = loss * _elementwise_weight(weight, input, "weight", "binary_cross_entropy")
    return _reduce(loss, reduction, "binary_cross_entropy")


@takes_legacy_reduction
def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(z) for logits z = input, stable for any z.

    With zeta = softplus, -log sigma(z) = zeta(-z) and -log(1 - sigma(z)) = zeta(z), so the loss is
    y zeta(-z) + (1 - y) zeta(z): for y in {0, 1} that is the course notes' zeta((1 - 2y) z), and
    for soft targets the general form; both terms stay finite (and exact) for logits like +-1e4.
    pos_weight multiplies the positive term, weight each element's loss (as in PyTorch). Targets may
    be any numbers (as in PyTorch; probabilities in [0, 1] give a cross-entropy).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.binary_cross_entropy_with_logits(ag.tensor([1e4, -1e4]), [1.0, 0.0])
    Tensor(0.)
    """
    where = "binary_cross_entropy_with_logits"
    input = _float_input(input, where)  # logits (PyTorch refuses integers and bools, whose negation NumPy refuses)
    target = _as_target(target, input, where)
    positive = target * ag.softplus(-input)
    if pos_weight is not None:
        positive = positive * _elementwise_weight(pos_weight, input, "pos_weight", where)
    loss = positive + (1 - target) * ag.softplus(input)
    if weight is not None:
        loss = loss * _elementwise_weight(weight, input, "weight", where)
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")


# ---- multi-class classification --------------------------------------------------------------
class TargetRangeError(ValueError, IndexError):
    """A class target outside [0, C): a ValueError, and an IndexError as PyTorch raises."""


def _class_targets(target, where, probabilities=False):
    # A Tensor's values copied (saved_value), as ag.nll_loss takes them: the rule reads them at backward, and the
    # Tensor may change in place before then (an array is the caller's, as there)
    target = saved_value(target) if isinstance(target, Tensor) else np.asarray(target)
    if target.dtype.kind not in "iu":
        hint = "; for class probabilities pass a float target of the input's shape" if probabilities else ""
        raise TypeError(f"{where}: class targets must be integers (class indices), got dtype {target.dtype}{hint}")
    return target


@takes_legacy_reduction
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
    check_class_options(weight, ignore_index, 0.0, "nll_loss")
    return _nll(_as_input(input, "nll_loss"), _class_targets(target, "nll_loss"), weight, ignore_index, reduction,
                "nll_loss")


def _class_weights(weight, classes, dtype, where):
    """weight as an array of dtype holding one entry per class, or an error naming both sizes."""
    check_weight(weight, "weight", where)
    w = saved_value(weight, dtype)
    if w.shape != (classes,):
        raise LossArgumentError(f"{where}: weight tensor should be defined either for all {classes} classes or no "
                                f"classes: weight has shape {w.shape}, but the input has {classes} classes; expected "
                                f"one weight per class, shape ({classes},)")
    return w


def _check_has_classes(input, where):
    if input.ndim == 0:
        raise ValueError(f"{where}: input of shape () has no class axis; expected (C,), (N, C) or (N, C, d1, ...)")


def _nll(input, target, weight, ignore_index, reduction, where, label_smoothing=0.0, logits=False):
    """nll_loss of input, log-probabilities along axis 1 (or logits, turned into them by log_softmax)."""
    check_reduction(reduction, where)
    ndim = input.ndim
    if ndim != 2:
        _check_has_classes(input, where)
    args = weight, ignore_index, reduction, where, label_smoothing, logits
    if ndim == 1:  # one sample: (C,) with a scalar target
        if target.size != 1:
            raise ValueError(f"{where}: target shape {target.shape} does not match input shape {input.shape}; "
                             f"expected (): one class index")
        loss = _nll(input.reshape(1, -1), target.reshape(1), *args)
        return loss.reshape(()) if reduction == "none" else loss
    if ndim > 2:  # (N, C, d1, ...): move the class axis last and flatten the others
        expected = input.shape[:1] + input.shape[2:]
        if target.shape != expected:  # same size is not enough: positions would be paired wrongly
            raise ValueError(f"{where}: target shape {target.shape} does not match input shape {input.shape}; "
                             f"expected {expected}: one class index per position (N, d1, ...)")
        axes = (0,) + tuple(range(2, input.ndim)) + (1,)
        flat = ag.transpose(input, axes).reshape(-1, input.shape[1])
        loss = _nll(flat, target.reshape(-1), *args)
        return loss.reshape(target.shape) if reduction == "none" else loss
    n, classes = input.shape
    if target.shape != (n,):  # (PyTorch's words first: its tests match them)
        what = (f"Expected input batch_size ({n}) to match target batch_size ({len(target)})" if target.ndim == 1 else
                "1D target tensor expected, multi-target not supported")
        raise LossArgumentError(f"{where}: {what}: target shape {target.shape} does not match input shape "
                                f"{input.shape}; expected ({n},): one class index per row")
    w = None if weight is None else _class_weights(weight, classes, input.dtype, where)
    target, ignored = _ignored(target, classes, ignore_index, where)
    # Each sample's weight: its class's, 0 if ignored; None when every sample counts once.
    sample_weight = None if w is None else w[target]
    if ignored is not None:
        sample_weight = np.where(ignored, 0, 1 if sample_weight is None else sample_weight).astype(input.dtype)
    if not label_smoothing:  # ag.nll_loss's node (with log_softmax's for logits), without its checks: all made
        # above (its target check again would cost a reduction every step), and sample_weight is of input's dtype
        return (_cross_entropy_node if logits else _nll_loss_node)(input, target, sample_weight, reduction)
    log_probs = ag.log_softmax(input, axis=1) if logits else input
    return _smoothed_loss(log_probs, target, w, sample_weight, ignored, label_smoothing, reduction, where)


def _ignored(target, classes, ignore_index, where):
    """(target, ignored): ignored marks the targets equal to ignore_index, which become class 0 in target, or is
    None when none is; any other target outside [0, classes) raises TargetRangeError."""
    if type(ignore_index) is not int:  # (a 0-d integer array or Tensor, as torch takes: compared as the int it holds)
        ignore_index = int(ignore_index.data if isinstance(ignore_index, Tensor) else ignore_index)
    # The common case costs one reduction: every target a class index, so none can equal an ignore_index outside
    # [0, classes).
    if within_classes(target, classes) and not 0 <= ignore_index < classes:
        return target, None
    ignored = target == ignore_index
    any_ignored = ignored.any()
    valid = target[~ignored] if any_ignored else target
    if valid.size and (valid.min() < 0 or valid.max() >= classes):
        bad = valid[(valid < 0) | (valid >= classes)][0]
        raise TargetRangeError(f"{where}: target class {bad} is out of range for an input with {classes} "
                               f"classes; valid class indices are 0..{classes - 1}")
    return (np.where(ignored, 0, target), ignored) if any_ignored else (target, None)


def _smoothed_loss(input, target, w, sample_weight, ignored, label_smoothing, reduction, where):
    """The loss with label smoothing s, as PyTorch's: (1 - s) * nll + s / C * sum_c -w_c log p_c (the target
    (1 - s) onehot + s / C), 0 for an ignored target; its weighted mean divides by the counted targets' weight."""
    uniform = -(input if w is None else input * w).sum(axis=1)
    loss = (1 - label_smoothing) * ag.nll_loss(input, target, sample_weight, "none") + (
        label_smoothing / input.shape[1]) * uniform
    if ignored is not None:
        loss = ag.where(ignored, 0, loss)
    if reduction != "mean" or sample_weight is None:
        return _reduce(loss, reduction, where)
    # PyTorch's weighted mean: divided by the total weight of the counted targets, sum w[y_n].
    return _weighted_mean(loss, sample_weight.sum())


def check_class_options(weight, ignore_index, label_smoothing, where):
    """Raise a clear error unless weight is None or holds numbers, ignore_index is an int and label_smoothing a
    number in [0, 1] (what the losses over classes take, checked when a loss module is made too)."""
    if weight is None and type(ignore_index) is int and type(label_smoothing) in (float, int) and \
            label_smoothing == 0:  # the defaults: every training step
        return
    check_weight(weight, "weight", where)  # (its length is checked against the input's classes)
    index = np.asarray(ignore_index.data if isinstance(ignore_index, Tensor) else ignore_index)
    if index.ndim != 0 or index.dtype.kind not in "iu":  # (an int, or a 0-d array or Tensor of one, as torch)
        raise TypeError(f"{where}: ignore_index must be an int (a class index to skip), got {ignore_index!r}")
    checked_number(label_smoothing, where, "label_smoothing", low=0, high=1)


@takes_legacy_reduction
def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits and class targets: nll_loss(log_softmax(input, dim=1), target), with
    log_softmax(z) = z - logsumexp(z), finite for any logits.

    target: class indices (as nll_loss) or class probabilities (a float array of the input's shape,
    loss -sum_c y_c log_softmax(z)_c, times weight[c] if given; no class can be ignored then, so
    ignore_index must stay negative, as in PyTorch). label_smoothing s in [0, 1] mixes the target with
    the uniform distribution, (1 - s) y + s / C, as in PyTorch (with class indices the uniform part is
    weighted by weight[c] too, and ignored targets drop out of both parts).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.cross_entropy(ag.tensor([[1e4, -1e4]]), np.array([0]))
    Tensor(0.)
    >>> round(F.cross_entropy(ag.tensor([[1e4, -1e4]]), np.array([0]), label_smoothing=0.2).item(), 4)
    2000.0
    """
    check_class_options(weight, ignore_index, label_smoothing, "cross_entropy")
    input = _as_input(input, "cross_entropy")
    _check_has_classes(input, "cross_entropy")
    class_axis = 0 if input.ndim == 1 else 1
    target_values = np.asarray(target)
    if target_values.dtype.kind == "f" and target_values.shape == input.shape:  # class probabilities
        if ignore_index >= 0:  # a negative one (the default -100) matches no class, so PyTorch lets it pass
            raise ValueError(f"cross_entropy: ignore_index={ignore_index} is not supported for class-probability "
                             "(floating point) targets; only class-index targets can be ignored")
        probabilities = _as_target(target, input, "cross_entropy")
        classes = input.shape[class_axis]
        if label_smoothing:
            probabilities = probabilities * (1 - label_smoothing) + label_smoothing / classes
        if weight is not None:
            shape = [1] * input.ndim
            shape[class_axis] = -1
            w = _class_weights(weight, classes, input.dtype, "cross_entropy")
            probabilities = probabilities * w.reshape(shape)
        loss = -(probabilities * ag.log_softmax(input, axis=class_axis)).sum(axis=class_axis)
        return _reduce(loss, reduction, "cross_entropy")
    target = _class_targets(target, "cross_entropy", probabilities=True)
    return _nll(input, target, weight, ignore_index, reduction, "cross_entropy", label_smoothing, logits=True)


# ---- shared by the normalisations (nn/_normalization_functions.py) and the losses ----------------------------
def _float_input(input, where):
    x = _as_input(input, where)
    if x.dtype.kind != "f":
        raise TypeError(f"{where}: expected an input of a float dtype (float32, float64), got {x.dtype} (shape "
                        f"{x.shape}); cast it with .astype(np.float32)")
    return x
