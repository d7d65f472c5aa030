"""Activation functions as Modules (no parameters), for Sequential and MLP.

>>> import autograd_core as ag, nn
>>> nn.LeakyReLU(negative_slope=-1)(ag.tensor([-2.0, 3.0]))  # |x|: absolute-value rectification
Tensor([2., 3.])
"""
from autograd_core._arguments import is_int

from . import functional as F
from ._arguments import as_flag
from .module import Module

__all__ = ["ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax", "Identity"]


class ReLU(Module):
    """max(x, 0), elementwise.

    >>> import autograd_core as ag, nn
    >>> nn.ReLU()(ag.tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = as_flag(inplace, type(self).__name__, "inplace")

    def forward(self, input):
        return F.relu(input, self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """The course notes' generalized ReLU max(0, x) + alpha min(0, x) with alpha = negative_slope:
    a small positive slope is the leaky ReLU (the notes' slide: max(0.1x, x), alpha = 0.1; PyTorch's default
    0.01), -1 absolute-value rectification |x|.

    >>> import autograd_core as ag, nn
    >>> nn.LeakyReLU(0.1)(ag.tensor([-1.0, 2.0]))
    Tensor([-0.1,  2. ])
    """

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = as_flag(inplace, type(self).__name__, "inplace")

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + ", inplace=True" * bool(self.inplace)


class ELU(Module):
    """x for x > 0, alpha (e**x - 1) otherwise.

    >>> import autograd_core as ag, nn
    >>> nn.ELU()(ag.tensor([0.0, 1.0]))
    Tensor([0., 1.])
    """

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = as_flag(inplace, type(self).__name__, "inplace")

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + ", inplace=True" * bool(self.inplace)


class Sigmoid(Module):
    """The logistic function 1 / (1 + e**-x).

    >>> import autograd_core as ag, nn
    >>> nn.Sigmoid()(ag.tensor(0.0))
    Tensor(0.5)
    """

    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    """Hyperbolic tangent.

    >>> import autograd_core as ag, nn
    >>> nn.Tanh()(ag.tensor(0.0))
    Tensor(0.)
    """

    def forward(self, input):
        return F.tanh(input)


class Softplus(Module):
    """zeta(beta x) / beta with zeta(x) = log(1 + e**x), a smooth ReLU, stable for any x;
    x itself where beta x > threshold (as in PyTorch).

    >>> import autograd_core as ag, nn
    >>> round(nn.Softplus()(ag.tensor(0.0)).item(), 4)
    0.6931
    """

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


def _checked_dim(dim, owner):
    """dim, or a TypeError when it is neither None nor an int (a bool or a float), when the layer is built, as
    PyTorch's Softmax and LogSoftmax refuse it."""
    if dim is not None and not is_int(dim):
        raise TypeError(f"{owner}: dim must be an int or None (the axis to normalise over), got {dim!r}")
    return dim


class Softmax(Module):
    """softmax along dim; dim=None (the default) is PyTorch's deprecated implicit choice, with its warning: dim 0
    for a 0-, 1- or 3-D input, else 1.

    >>> import autograd_core as ag, nn
    >>> nn.Softmax(dim=1)(ag.tensor([[0.0, 0.0]]))
    Tensor([[0.5, 0.5]])
    """

    def __init__(self, dim=None):
        super().__init__()
        self.dim = _checked_dim(dim, type(self).__name__)

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log_softmax along dim, stable for any logits; dim=None (the default) as nn.Softmax's.

    >>> import autograd_core as ag, nn
    >>> nn.LogSoftmax(dim=0)(ag.tensor([0.0, 0.0])).data.round(4)
    array([-0.6931, -0.6931])
    """

    def __init__(self, dim=None):
        super().__init__()
        self.dim = _checked_dim(dim, type(self).__name__)

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. a linear output layer's activation). As PyTorch's, it takes
    any arguments and ignores them, so it stands in for a layer class: `norm_layer = nn.Identity; norm_layer(dim)`.

    >>> import nn
    >>> nn.Identity()(3.0), nn.Identity(64, eps=1e-6)(3.0)
    (3.0, 3.0)
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input
