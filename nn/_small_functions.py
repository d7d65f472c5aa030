"""PyTorch's remaining small functions, which nn.functional re-exports: glu, bilinear, hardshrink, softshrink,
rrelu, local_response_norm and triplet_margin_with_distance_loss, with torch.nn.functional's names, arguments and
defaults (rrelu also takes an `rng`, as dropout does).

Each is a composition of autograd_core operations, so its gradients and second derivatives are the engine's. At a
kink the gradient is PyTorch's: hardshrink and softshrink pass none at ±lambd (the zero side), rrelu and its eval
form take the slope's side at 0 (as leaky_relu's).
"""
import numpy as np

import autograd_core as ag
from autograd_core._arguments import InvalidArgumentError

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number, generator
from ._loss_functions import LossArgumentError, _clamp_min_zero

__all__ = ["glu", "bilinear", "hardshrink", "softshrink", "rrelu", "rrelu_", "local_response_norm",
           "triplet_margin_with_distance_loss"]


def glu(input, dim=-1):
    """The gated linear unit a * sigmoid(b), a and b the first and second halves of input along dim (whose size
    must be even), as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.glu(ag.tensor([[1.0, 2.0, 0.0, 100.0]]))
    Tensor([[0.5, 2. ]])
    """
    x = F._float_input(input, "glu")
    if x.ndim == 0:  # (both errors: ValueError and PyTorch's RuntimeError)
        raise InvalidArgumentError("glu: a 0-d input cannot be halved; give one with an even size along dim")
    dim = _axis(x, dim, "glu")
    size = x.shape[dim]
    if size % 2:
        raise InvalidArgumentError(f"glu: halving dimension must be even, but dimension {dim} of the input of shape "
                                   f"{x.shape} has size {size}")
    first, second = ag.split(x, 2, axis=dim)
    return first * ag.sigmoid(second)


def _axis(x, dim, where):
    """dim as an index of x's axes (an IndexError naming the valid range, as PyTorch's)."""
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{where}: dim must be an int, got {dim!r}")
    if not -x.ndim <= dim < x.ndim:
        raise IndexError(f"{where}: dim {dim} is out of range for an input of shape {x.shape}; valid dims are "
                         f"{-x.ndim}..{x.ndim - 1}")
    return int(dim) % x.ndim


def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o], as PyTorch's: weight of shape
    (out_features, in1_features, in2_features), bias (out_features,) or None; input1 (..., in1_features) and
    input2 (..., in2_features) with the same batch dimensions (none: one pair of vectors).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.bilinear(ag.tensor([1.0, 2.0]), ag.tensor([3.0]), ag.tensor(np.ones((1, 2, 1))), ag.tensor([0.5]))
    Tensor([9.5])
    """
    where = "bilinear"
    x1, x2, w = (F._float_input(value, where) for value in (input1, input2, weight))
    if w.ndim != 3:
        raise ValueError(f"{where}: weight must have 3 dimensions (out_features, in1_features, in2_features), got "
                         f"shape {w.shape}")
    if x1.ndim == 0 or x1.ndim != x2.ndim or x1.shape[:-1] != x2.shape[:-1]:
        raise ValueError(f"{where}: input1 of shape {x1.shape} and input2 of shape {x2.shape} must have the same "
                         f"batch dimensions (all but the last, which holds the features)")
    for name, x, axis in (("input1", x1, 1), ("input2", x2, 2)):
        if x.shape[-1] != w.shape[axis]:
            raise ValueError(f"{where}: {name} size does not match weight size: {name} of shape {x.shape} has "
                             f"{x.shape[-1]} features, but weight of shape {w.shape} expects {w.shape[axis]}")
    # input1 with weight first, then input2: PyTorch's order, so an overflow to inf happens where PyTorch's does
    y = ag.einsum("...oj,...j->...o", ag.einsum("...i,oij->...oj", x1, w), x2)
    if bias is None:
        return y
    b = F._float_input(bias, where)
    if b.shape != (w.shape[0],):
        raise ValueError(f"{where}: bias of shape {b.shape} does not match weight of shape {w.shape}; expected "
                         f"shape ({w.shape[0]},)")
    return y + b


def _lambd(lambd, where, low=None, high=None):
    return checked_number(lambd, where, "lambd", low=low, high=high, error=InvalidArgumentError)


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, 0 elsewhere (NaN stays NaN), as PyTorch's; no gradient at ±lambd.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.hardshrink(ag.tensor([-1.0, 0.5, 0.2, 2.0]))
    Tensor([-1.,  0.,  0.,  2.])
    """
    # (any number, as PyTorch's: a negative lambd shrinks nothing, +inf every finite entry; NaN is refused)
    lambd = _lambd(lambd, "hardshrink", high=np.inf)
    x = F._float_input(input, "hardshrink")
    data = x.data
    inside = (data >= -lambd) & (data <= lambd)  # (False for NaN)
    return ag.where(inside, 0, x)


def softshrink(input, lambd=0.5):
    """x - lambd where x > lambd, x + lambd where x < -lambd, 0 between (NaN stays NaN), as PyTorch's; lambd >= 0;
    no gradient at ±lambd.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.softshrink(ag.tensor([-1.0, 0.2, 2.0]))
    Tensor([-0.5,  0. ,  1.5])
    """
    lambd = _lambd(lambd, "softshrink", low=0)
    x = F._float_input(input, "softshrink")
    data = x.data
    inside = (data >= -lambd) & (data <= lambd)
    shift = (np.sign(data) * lambd).astype(data.dtype)  # (a constant: the slope outside is 1)
    return ag.where(inside, 0, x - shift)


def _bounds(lower, upper, where):
    lower, upper = (checked_number(value, where, name) for value, name in ((lower, "lower"), (upper, "upper")))
    if lower > upper:
        raise InvalidArgumentError(f"{where}: the lower bound must be less than or equal to the upper bound, got "
                                   f"lower={lower}, upper={upper}")
    return lower, upper


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False, *, rng=None):
    """Randomized leaky ReLU (Xu et al. 2015): x for x > 0, a * x otherwise, with a drawn from U(lower, upper) for
    each element in training, and a = (lower + upper) / 2 when not training (PyTorch's default here: training=False).
    rng: a numpy Generator or int seed, as dropout's; inplace: as relu's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.rrelu(ag.tensor([-2.0, 3.0]), 0.25, 0.75)
    Tensor([-1.,  3.])
    >>> y = F.rrelu(ag.tensor([-1.0] * 100), 0.1, 0.3, training=True, rng=0)
    >>> bool(-0.3 <= y.data.min() and y.data.max() <= -0.1)
    True
    """
    where = "rrelu"
    lower, upper = _bounds(lower, upper, where)
    x = F._float_input(input, where)
    if not as_flag(training, where, "training"):
        result = ag.leaky_relu(x, (lower + upper) / 2)
    else:
        slopes = generator(rng, where).uniform(lower, upper, x.shape).astype(x.dtype)
        result = ag.where(x.data <= 0, x * slopes, x)  # (a NaN keeps slope 1, as PyTorch's noise)
    return result if inplace is False else F._in_place(input, result, where, inplace)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, *, rng=None):
    """PyTorch's F.rrelu_: rrelu(input, lower, upper, training, inplace=True), input changed and returned.

    >>> import autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([-2.0, 3.0])
    >>> F.rrelu_(x, 0.25, 0.75) is x, x
    (True, Tensor([-1.,  3.]))
    """
    return rrelu(input, lower, upper, training, True, rng=rng)


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """x / (k + alpha * mean of x**2 over `size` neighbouring channels) ** beta, the channels on axis 1 (the window
    of channel c runs from c - size // 2 to c + (size - 1) // 2, zeros past the ends, the mean always over size),
    as PyTorch's; input of 3 or more dimensions (N, C, ...).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> x = ag.tensor(np.full((1, 3, 1), 2.0))
    >>> F.local_response_norm(x, size=3, alpha=3.0, beta=1.0, k=0.0).data.ravel().round(4)
    array([0.25  , 0.1667, 0.25  ])
    """
    where = "local_response_norm"
    size = checked_number(size, where, "size", low=1, integer=True)
    alpha, beta, k = (checked_number(value, where, name) for value, name in ((alpha, "alpha"), (beta, "beta"),
                                                                               (k, "k")))
    x = F._float_input(input, where)
    if x.ndim < 3:
        raise ValueError(f"{where}: expected an input of 3 or more dimensions (N, C, ...), got shape {x.shape}")
    if x.numel() == 0:
        return x
    squares = x * x
    channels = x.shape[1]
    pad = [(0, 0)] * x.ndim
    pad[1] = (size // 2, (size - 1) // 2)
    padded = ag.pad(squares, pad)
    total = padded[:, 0:channels]
    for j in range(1, size):
        total = total + padded[:, j:j + channels]
    return x / ((total / size) * alpha + k) ** beta


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False,
                                      reduction="mean"):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), d the distance_function (a callable of two
    Tensors; None: F.pairwise_distance); with swap, d(anchor, negative) is replaced by d(positive, negative) where
    that is smaller. margin > 0; the three inputs must have the same number of dimensions, as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> a, pos, neg = ag.tensor([[0.0, 0.0]]), ag.tensor([[3.0, 4.0]]), ag.tensor([[1.0, 0.0]])
    >>> F.triplet_margin_with_distance_loss(a, pos, neg, distance_function=lambda x, y: ((x - y) ** 2).sum(-1))
    Tensor(25.)
    """
    where = "triplet_margin_with_distance_loss"
    F.check_reduction(reduction, where)
    margin = checked_number(margin, where, "margin", low=0, low_open=True)
    swap = as_flag(swap, where, "swap")
    if distance_function is not None and not callable(distance_function):
        raise TypeError(f"{where}: distance_function must be a callable of two Tensors (or None: pairwise_distance), "
                        f"got {type(distance_function).__name__}")
    shapes = [np.shape(value) for value in (anchor, positive, negative)]
    if not len(shapes[0]) == len(shapes[1]) == len(shapes[2]):
        raise LossArgumentError(f"{where}: anchor, positive and negative must have the same number of dimensions, "
                                f"got shapes {shapes[0]}, {shapes[1]} and {shapes[2]}")
    distance = F.pairwise_distance if distance_function is None else distance_function
    a, pos, neg = (F._as_input(value, where) for value in (anchor, positive, negative))
    near, far = distance(a, pos), distance(a, neg)
    if swap:
        far = ag.minimum(far, distance(pos, neg))  # (at a tie each gets half the gradient, as torch.minimum's)
    loss = margin + near - far
    return F._reduce(_clamp_min_zero(loss), reduction, where)  # (gradient 0 at 0 and at NaN, as clamp_min)
