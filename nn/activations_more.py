"""PyTorch's other activations as Modules: GELU, SiLU, Mish, ReLU6, SELU, Hardsigmoid, Hardswish, Hardtanh, CELU,
Threshold, LogSigmoid, Softsign, Tanhshrink, Softmin and PReLU (with a learned slope), with torch.nn's names,
arguments, defaults and reprs. Each applies its nn.functional function (nn/_activation_functions.py).

>>> import autograd_core as ag, nn
>>> nn.Sequential(nn.GELU(), nn.Hardtanh(-0.5, 0.5))(ag.tensor([-1.0, 2.0])).data.round(4)
array([-0.1587,  0.5   ])
"""
import numpy as np

from . import functional as F
from . import init
from ._arguments import as_flag, checked_number, takes_device
from ._parameter_reset import reset_at_construction, resets
from .activations import Softmax
from .layers import _check_sizes, _float_dtype
from .module import Module, Parameter
from .normalization import _module_input

__all__ = ["GELU", "SiLU", "Mish", "ReLU6", "SELU", "Hardsigmoid", "Hardswish", "Hardtanh", "CELU", "Threshold",
           "LogSigmoid", "Softsign", "Tanhshrink", "Softmin", "PReLU"]


class _Activation(Module):
    """An activation that applies `function` with its `settings` (attribute names, in the function's order) and
    PyTorch's inplace flag (as ReLU's); its repr shows the settings, and inplace when it is True."""

    function = None  # the nn.functional function, as a staticmethod
    settings = ()
    shows_inplace = True  # (PyTorch's Hardsigmoid and Hardswish leave it out of their reprs)

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = as_flag(inplace, type(self).__name__, "inplace")

    def forward(self, input):
        return self.function(input, *(getattr(self, name) for name in self.settings), inplace=self.inplace)

    def extra_repr(self):
        shown = [f"{name}={getattr(self, name)}" for name in self.settings]
        return ", ".join(shown + ["inplace=True"] * (self.inplace and self.shows_inplace))


class GELU(Module):
    """x Phi(x), Phi the standard normal distribution function; approximate="tanh": PyTorch's tanh approximation.

    >>> import autograd_core as ag, nn
    >>> nn.GELU()(ag.tensor([0.0, 1.0])).data.round(4)
    array([0.    , 0.8413])
    """

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' (the exact GELU) or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class SiLU(_Activation):
    """x sigmoid(x) (swish).

    >>> import autograd_core as ag, nn
    >>> nn.SiLU()(ag.tensor([0.0, 2.0])).data.round(4)
    array([0.    , 1.7616])
    """

    function = staticmethod(F.silu)


class Mish(_Activation):
    """x tanh(softplus(x)).

    >>> import autograd_core as ag, nn
    >>> nn.Mish()(ag.tensor([0.0, 1.0])).data.round(4)
    array([0.    , 0.8651])
    """

    function = staticmethod(F.mish)


class ReLU6(_Activation):
    """min(max(x, 0), 6).

    >>> import autograd_core as ag, nn
    >>> nn.ReLU6()(ag.tensor([-1.0, 3.0, 8.0]))
    Tensor([0., 3., 6.])
    """

    function = staticmethod(F.relu6)


class SELU(_Activation):
    """scale * elu(x, alpha), the self-normalising constants alpha = 1.6733, scale = 1.0507.

    >>> import autograd_core as ag, nn
    >>> nn.SELU()(ag.tensor([1.0])).data.round(4)
    array([1.0507])
    """

    function = staticmethod(F.selu)


class Hardsigmoid(_Activation):
    """(min(max(x, -3), 3) + 3) / 6.

    >>> import autograd_core as ag, nn
    >>> nn.Hardsigmoid()(ag.tensor([-4.0, 1.5]))
    Tensor([0.  , 0.75])
    """

    function, shows_inplace = staticmethod(F.hardsigmoid), False


class Hardswish(_Activation):
    """x hardsigmoid(x).

    >>> import autograd_core as ag, nn
    >>> nn.Hardswish()(ag.tensor([1.5, 4.0]))
    Tensor([1.125, 4.   ])
    """

    function, shows_inplace = staticmethod(F.hardswish), False


class Hardtanh(_Activation):
    """x limited to [min_val, max_val].

    >>> import autograd_core as ag, nn
    >>> nn.Hardtanh(-2, 2)(ag.tensor([-3.0, 1.0]))
    Tensor([-2.,  1.])
    """

    function, settings = staticmethod(F.hardtanh), ("min_val", "max_val")

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        low, high = (F._setting(value, "Hardtanh", name, per_unit=False)
                     for value, name in ((min_val, "min_val"), (max_val, "max_val")))
        if not high > low:  # (as PyTorch's module refuses; its function takes min_val == max_val)
            raise ValueError(f"Hardtanh: max_val ({max_val}) must be greater than min_val ({min_val})")
        super().__init__(inplace)
        self.min_val, self.max_val = min_val, max_val


class CELU(_Activation):
    """x for x > 0, alpha (e**(x / alpha) - 1) otherwise.

    >>> import autograd_core as ag, nn
    >>> nn.CELU(alpha=2.0)(ag.tensor([-1.0, 2.0])).data.round(4)
    array([-0.7869,  2.    ])
    """

    function, settings = staticmethod(F.celu), ("alpha",)

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace)
        self.alpha = alpha


class Threshold(_Activation):
    """x where x > threshold, value elsewhere.

    >>> import autograd_core as ag, nn
    >>> nn.Threshold(1.0, -1.0)(ag.tensor([0.5, 2.0]))
    Tensor([-1.,  2.])
    """

    function, settings = staticmethod(F.threshold), ("threshold", "value")

    def __init__(self, threshold, value, inplace=False):
        super().__init__(inplace)
        self.threshold, self.value = threshold, value


class LogSigmoid(Module):
    """log(sigmoid(x)) = -softplus(-x), finite for any x.

    >>> import autograd_core as ag, nn
    >>> nn.LogSigmoid()(ag.tensor([-1000.0])).data
    array([-1000.])
    """

    def forward(self, input):
        return F.logsigmoid(input)


class Softsign(Module):
    """x / (1 + |x|).

    >>> import autograd_core as ag, nn
    >>> nn.Softsign()(ag.tensor([-3.0, 1.0]))
    Tensor([-0.75,  0.5 ])
    """

    def forward(self, input):
        return F.softsign(input)


class Tanhshrink(Module):
    """x - tanh(x).

    >>> import autograd_core as ag, nn
    >>> nn.Tanhshrink()(ag.tensor([0.0]))
    Tensor([0.])
    """

    def forward(self, input):
        return F.tanhshrink(input)


class Softmin(Softmax):
    """softmax(-x) along dim (dim=None: PyTorch's deprecated implicit choice, as nn.Softmax's).

    >>> import autograd_core as ag, nn
    >>> nn.Softmin(dim=1)(ag.tensor([[0.0, 0.0]]))
    Tensor([[0.5, 0.5]])
    """

    def forward(self, input):
        return F.softmin(input, self.dim, _stacklevel=5)


class PReLU(Module):
    """x for x > 0, weight * x otherwise, with weight a learned Parameter: one slope (num_parameters=1) or one per
    channel on axis 1 of the input, each init at first, as PyTorch's. dtype (a keyword): the weight's, to which an
    input is cast, as Linear's.

    >>> import autograd_core as ag, nn
    >>> prelu = nn.PReLU()
    >>> prelu, prelu.weight.data
    (PReLU(num_parameters=1), array([0.25], dtype=float32))
    >>> prelu(ag.tensor([-2.0, 3.0])).data
    array([-0.5,  3. ], dtype=float32)
    """

    @takes_device
    def __init__(self, num_parameters=1, init=0.25, *, dtype=np.float32):
        super().__init__()
        # (0, as PyTorch's: no slopes, for an input of no channels)
        self.num_parameters, = _check_sizes("PReLU", num_parameters=num_parameters)
        self.init = checked_number(init, "PReLU", "init")
        self.weight = Parameter(np.empty(self.num_parameters, dtype=_float_dtype("PReLU", dtype)))
        reset_at_construction(self, None)

    @resets
    def reset_parameters(self, rng=None):
        """Set every slope to init again, in the same Parameter, as PyTorch's; rng is accepted, as every layer's
        reset_parameters takes it, and unused.

        >>> import nn
        >>> prelu = nn.PReLU(2, init=0.1)
        >>> prelu.weight.data[0] = 3.0
        >>> prelu.reset_parameters(); prelu.weight.data
        array([0.1, 0.1], dtype=float32)
        """
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(_module_input("PReLU", input, self.weight.dtype, cast=True), self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"
