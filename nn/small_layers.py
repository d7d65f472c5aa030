"""PyTorch's remaining small layers: GLU, Bilinear, Hardshrink, Softshrink, RReLU, Softmax2d, LocalResponseNorm,
CosineSimilarity, PairwiseDistance and TripletMarginWithDistanceLoss, with torch.nn's names, arguments, defaults
and reprs. Each applies its nn.functional function (nn/_small_functions.py, nn/_loss_functions.py).

>>> import autograd_core as ag, nn
>>> nn.Sequential(nn.GLU(), nn.Softshrink(0.25))(ag.tensor([[1.0, 2.0, 0.0, 100.0]]))
Tensor([[0.25, 1.75]])
"""
import math

import numpy as np

from . import _small_functions as S
from . import functional as F
from . import init
from ._arguments import as_flag, checked_number, generator, takes_device
from ._parameter_reset import reset_at_construction, resets, unfilled_weight_and_bias
from .layers import _check_sizes, _float_dtype, _layer_input
from .losses import _Loss
from .module import Module

__all__ = ["GLU", "Bilinear", "Hardshrink", "Softshrink", "RReLU", "Softmax2d", "LocalResponseNorm",
           "CosineSimilarity", "PairwiseDistance", "TripletMarginWithDistanceLoss"]


class GLU(Module):
    """The gated linear unit a * sigmoid(b), a and b the halves of the input along dim.

    >>> import autograd_core as ag, nn
    >>> nn.GLU()(ag.tensor([1.0, 2.0, 0.0, 100.0]))
    Tensor([0.5, 2. ])
    """

    def __init__(self, dim=-1):
        super().__init__()
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"GLU: dim must be an int, got {dim!r}")
        self.dim = int(dim)

    def forward(self, input):
        return S.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class Bilinear(Module):
    """y = x1^T A x2 + b for each output feature: weight A of shape (out_features, in1_features, in2_features) and
    bias b (out_features,), both drawn from U(-1/sqrt(in1_features), 1/sqrt(in1_features)), as PyTorch's. Inputs
    of another dtype are cast to the weight's, as Linear's. in2_features and out_features may be 0 (PyTorch builds
    those; in1_features must be at least 1, as there); with in2_features=0 the output is the bias, broadcast
    (PyTorch's forward fails to reshape there). dtype and rng (a numpy Generator or int seed): keywords.

    >>> import numpy as np, nn
    >>> layer = nn.Bilinear(2, 3, 4, rng=0)
    >>> layer, layer.weight.shape
    (Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True), (4, 2, 3))
    >>> layer(np.ones((5, 2)), np.ones((5, 3))).shape
    (5, 4)
    """

    @takes_device
    def __init__(self, in1_features, in2_features, out_features, bias=True, *, dtype=np.float32, rng=None):
        super().__init__()
        _check_sizes("Bilinear", positive=("in1_features",), in1_features=in1_features, in2_features=in2_features,
                     out_features=out_features)  # (PyTorch refuses in1_features=0: its bound 1/sqrt(in1_features))
        dtype = _float_dtype("Bilinear", dtype)
        rng = generator(rng, "Bilinear")
        self.in1_features, self.in2_features, self.out_features = int(in1_features), int(in2_features), \
            int(out_features)
        self.weight, self.bias = unfilled_weight_and_bias(
            "Bilinear", (self.out_features, self.in1_features, self.in2_features), self.out_features, bias, dtype)
        reset_at_construction(self, rng)

    @resets
    def reset_parameters(self, rng=None):
        """Draw the weight and bias again from U(-1/sqrt(in1_features), 1/sqrt(in1_features)) into the same
        Parameters, as the constructor did (PyTorch's reset_parameters). rng: a numpy Generator or int seed; None
        draws from the default generator (ag.manual_seed's).

        >>> import nn
        >>> layer = nn.Bilinear(2, 3, 4, rng=0)
        >>> layer.reset_parameters(rng=0)
        >>> bool((layer.weight.data == nn.Bilinear(2, 3, 4, rng=0).weight.data).all())
        True
        """
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound, rng=rng)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound, rng=rng)

    def forward(self, input1, input2):
        dtype = self.weight.dtype
        F._refuse_held_graph(input1, "Bilinear")  # (_layer_input would make the list an array, cut from the graph)
        F._refuse_held_graph(input2, "Bilinear")
        x1 = _layer_input("Bilinear", input1, self.in1_features, dtype, "in1_features", "input1")
        x2 = _layer_input("Bilinear", input2, self.in2_features, dtype, "in2_features", "input2")
        return S.bilinear(x1, x2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class _Shrink(Module):
    """A shrink of threshold lambd (a number >= low, up to high), shown as PyTorch's repr shows it."""

    low = high = None

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = checked_number(lambd, type(self).__name__, "lambd", low=self.low, high=self.high)

    def extra_repr(self):
        return f"{self.lambd}"


class Hardshrink(_Shrink):
    """x where |x| > lambd, 0 elsewhere.

    >>> import autograd_core as ag, nn
    >>> nn.Hardshrink()(ag.tensor([-1.0, 0.3]))
    Tensor([-1.,  0.])
    """

    high = math.inf  # (as F.hardshrink: inf zeroes every entry but NaN)

    def forward(self, input):
        return S.hardshrink(input, self.lambd)


class Softshrink(_Shrink):
    """x - lambd above lambd, x + lambd below -lambd, 0 between (lambd >= 0).

    >>> import autograd_core as ag, nn
    >>> nn.Softshrink(0.5)(ag.tensor([-1.0, 0.3, 2.0]))
    Tensor([-0.5,  0. ,  1.5])
    """

    low = 0

    def forward(self, input):
        return S.softshrink(input, self.lambd)


class RReLU(Module):
    """Randomized leaky ReLU: in training, x for x > 0 and a * x otherwise with a fresh a ~ U(lower, upper) for each
    element at each call; in eval mode the slope (lower + upper) / 2. rng (a keyword): a numpy Generator or int seed,
    as Dropout's.

    >>> import autograd_core as ag, nn
    >>> layer = nn.RReLU(0.1, 0.3, rng=0)
    >>> layer
    RReLU(lower=0.1, upper=0.3)
    >>> layer.eval()(ag.tensor([-1.0, 2.0]))
    Tensor([-0.2,  2. ])
    """

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False, *, rng=None):
        super().__init__()
        self.lower, self.upper = S._bounds(lower, upper, "RReLU")
        self.inplace = as_flag(inplace, "RReLU", "inplace")
        self.rng = generator(rng, "RReLU")

    def forward(self, input):
        return S.rrelu(input, self.lower, self.upper, self.training, self.inplace, rng=self.rng)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + ", inplace=True" * self.inplace


class Softmax2d(Module):
    """softmax over the channels (axis -3) of an input (C, H, W) or (N, C, H, W), at each position.

    >>> import numpy as np, nn
    >>> nn.Softmax2d()(np.zeros((1, 2, 1, 1))).data.ravel()
    array([0.5, 0.5])
    """

    def forward(self, input):
        ndim = np.ndim(input)
        if ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected an input of 3 dimensions (C, H, W) or 4 (N, C, H, W), got shape "
                             f"{np.shape(input)}")
        return F.softmax(input, -3)


class LocalResponseNorm(Module):
    """x / (k + alpha * mean of x**2 over size neighbouring channels) ** beta (see F.local_response_norm).

    >>> import numpy as np, nn
    >>> nn.LocalResponseNorm(2)
    LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)
    >>> nn.LocalResponseNorm(3, alpha=3.0, beta=1.0, k=0.0)(np.full((1, 3, 1), 2.0)).data.ravel().round(4)
    array([0.25  , 0.1667, 0.25  ])
    """

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        where = "LocalResponseNorm"
        self.size = checked_number(size, where, "size", low=1, integer=True)
        self.alpha, self.beta, self.k = (checked_number(value, where, name)
                                         for value, name in ((alpha, "alpha"), (beta, "beta"), (k, "k")))

    def forward(self, input):
        return S.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class CosineSimilarity(Module):
    """The cosine of the angle between x1 and x2 along dim (see F.cosine_similarity).

    >>> import autograd_core as ag, nn
    >>> nn.CosineSimilarity(dim=0)(ag.tensor([1.0, 0.0]), ag.tensor([2.0, 0.0]))
    Tensor(1.)
    """

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"CosineSimilarity: dim must be an int, got {dim!r}")
        self.dim, self.eps = int(dim), checked_number(eps, "CosineSimilarity", "eps", low=0)

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The p-norm of x1 - x2 + eps along the last axis (see F.pairwise_distance).

    >>> import autograd_core as ag, nn
    >>> nn.PairwiseDistance(eps=0.0)(ag.tensor([[0.0, 0.0]]), ag.tensor([[3.0, 4.0]]))
    Tensor([5.])
    """

    def __init__(self, p=2.0, eps=1e-6, keepdim=False):
        super().__init__()
        where = "PairwiseDistance"
        self.norm = checked_number(p, where, "p", low=0, low_open=True, high=math.inf)
        self.eps = checked_number(eps, where, "eps", low=0)
        self.keepdim = as_flag(keepdim, where, "keepdim")

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class TripletMarginWithDistanceLoss(_Loss):  # (a _Loss, as PyTorch's)
    """max(0, margin + d(anchor, positive) - d(anchor, negative)) for a distance_function d (default
    PairwiseDistance(), a child module as in PyTorch); see F.triplet_margin_with_distance_loss. Keyword arguments.

    >>> import autograd_core as ag, nn
    >>> loss = nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(eps=0.0))
    >>> loss(ag.tensor([[0.0, 0.0]]), ag.tensor([[3.0, 4.0]]), ag.tensor([[1.0, 0.0]]))
    Tensor(5.)
    """

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__(reduction)
        where = "TripletMarginWithDistanceLoss"
        if distance_function is not None and not callable(distance_function):
            raise TypeError(f"{where}: distance_function must be a callable of two Tensors (or None: "
                            f"PairwiseDistance()), got {type(distance_function).__name__}")
        self.margin = checked_number(margin, where, "margin", low=0, low_open=True)
        self.swap = as_flag(swap, where, "swap")
        self.distance_function = PairwiseDistance() if distance_function is None else distance_function

    extra_repr = Module.extra_repr  # (PyTorch's repr shows only the distance function)

    def forward(self, anchor, positive, negative):
        return S.triplet_margin_with_distance_loss(anchor, positive, negative,
                                                   distance_function=self.distance_function, margin=self.margin,
                                                   swap=self.swap, reduction=self.reduction)
