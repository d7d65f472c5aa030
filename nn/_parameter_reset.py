"""What every layer's reset_parameters shares, as PyTorch's: a layer draws its parameters in
reset_parameters(rng=None) and its constructor calls that with the constructor's rng, so `model.apply(weight_reset)`
draws them again and a seeded construction equals reset_parameters with the same seed.

The draws write into the Parameters' own arrays (nn.init's initialisers), so the Parameter objects stay the same (an
optimizer holding them keeps updating them) and their version counters count the change, as any in-place write
does. rng: a NumPy Generator or an int seed; None draws from the default generator (ag.manual_seed's), as PyTorch's
reset draws from its global one.
"""
import functools
import inspect
import math

import numpy as np

from . import init
from ._arguments import as_flag, generator
from .module import Parameter


def resets(method):
    """method(self, rng), a layer's reset_parameters (or PyTorch's _reset_parameters), as method(self, rng=None)
    with rng made a NumPy Generator, its errors naming Class.method.

    >>> import nn
    >>> nn.Linear(2, 3).reset_parameters(rng="x")
    Traceback (most recent call last):
    ...
    TypeError: Linear.reset_parameters: rng must be None, a non-negative int seed or a numpy.random.Generator, got 'x'
    """
    @functools.wraps(method)
    def reset(self, rng=None):
        return method(self, generator(rng, f"{type(self).__name__}.{method.__name__}"))
    return reset


def reset_at_construction(module, rng, name="reset_parameters"):
    """module.reset_parameters(rng) (or the method name), as a layer's constructor calls it. A subclass's override in
    PyTorch's form, reset_parameters(self) without rng, is called so, as PyTorch's constructors call it (it then
    draws from the default generator).

    >>> import nn
    >>> class Plain(nn.Linear):
    ...     def reset_parameters(self):  # (PyTorch's form: no rng)
    ...         self.weight.data[...] = 1.0
    >>> Plain(2, 1).weight.data.tolist()
    [[1.0, 1.0]]
    """
    method = getattr(module, name)
    if _takes_rng(getattr(type(module), name)):
        method(rng)
    else:
        method()


@functools.lru_cache(maxsize=None)
def _takes_rng(function):
    parameters = inspect.signature(function).parameters.values()
    return any(p.name == "rng" or p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)


def unfilled_weight_and_bias(owner, weight_shape, bias_size, bias, dtype):
    """The (weight, bias) Parameters of Linear, Bilinear and the convolutions, of dtype, for reset_parameters to
    fill: weight of weight_shape, bias of (bias_size,), or None when the flag bias is False (checked, naming owner).

    >>> import numpy as np
    >>> from nn._parameter_reset import unfilled_weight_and_bias
    >>> weight, bias = unfilled_weight_and_bias("Linear", (3, 4), 3, False, np.float32)
    >>> weight.shape, bias
    ((3, 4), None)
    """
    weight = Parameter(np.empty(weight_shape, dtype=dtype))
    has_bias = as_flag(bias, owner, "bias", none=True)
    return weight, Parameter(np.empty(bias_size, dtype=dtype)) if has_bias else None


def reset_weight_and_bias(weight, bias, rng):
    """PyTorch's default draw for Linear and the convolutions: weight from kaiming_uniform_ with a = sqrt(5), bias
    (unless None) from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = prod(weight.shape[1:]) (0 gives a bias of 0).

    >>> import numpy as np, nn
    >>> from nn._parameter_reset import reset_weight_and_bias
    >>> weight, bias = nn.Parameter(np.zeros((3, 4))), nn.Parameter(np.zeros(3))
    >>> reset_weight_and_bias(weight, bias, np.random.default_rng(0))
    >>> bool((np.abs(weight.data) <= 0.5).all() and (np.abs(bias.data) <= 0.5).all())  # 1/sqrt(4)
    True
    """
    init.kaiming_uniform_(weight, a=math.sqrt(5), rng=rng)
    if bias is not None:
        fan_in = math.prod(weight.shape[1:])
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0  # (PyTorch's: no division by fan_in 0)
        init.uniform_(bias, -bound, bound, rng=rng)
