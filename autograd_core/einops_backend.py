"""einops on autograd_core Tensors: `einops.rearrange`, `reduce`, `repeat`, `einsum`, `pack` and `unpack` take
Tensors and give Tensors, recorded as the engine's own operations (reshape, transpose, reductions, broadcast_to,
concatenate, einsum), so gradients of any order flow through them. einops finds a backend among the subclasses of
its AbstractBackend whose `framework_name` module is imported; `import autograd_core` imports this module when
einops is installed. The layers (Rearrange, Reduce, EinMix) are nn's: nn/einops_layers.py.

>>> import autograd_core as ag, einops
>>> x = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
>>> y = einops.rearrange(x, "h w -> (w h)")
>>> y
Tensor([1., 4., 2., 5., 3., 6.], op=reshape)
>>> einops.reduce(x, "h w -> w", "max").sum().backward()
>>> x.grad
Tensor([[0., 0., 0.],
        [1., 1., 1.]])
"""
import numpy as np
from einops._backends import AbstractBackend

from . import ops
from .creation import arange, tensor
from .tensor import Tensor
from .torch_functions import _all_of, _any_of

# einops' reductions ('any' and 'all' give booleans, not recorded)
_REDUCTIONS = {"sum": ops.sum, "mean": ops.mean, "max": ops.max, "min": ops.min, "prod": ops.prod, "any": _any_of,
               "all": _all_of}


class AutogradCoreBackend(AbstractBackend):
    """einops' operations as autograd_core's: einops picks this backend for any Tensor."""

    framework_name = "autograd_core"

    def is_appropriate_type(self, tensor):
        return isinstance(tensor, Tensor)

    def from_numpy(self, x):
        # as einops' torch backend (used by its tests): floating arrays become leaves that record
        return tensor(x, requires_grad=np.issubdtype(x.dtype, np.floating))

    def to_numpy(self, x):
        return np.asarray(x.data)

    def arange(self, start, stop):
        return arange(start, stop)

    def reshape(self, x, shape):
        return ops.reshape(x, tuple(shape))

    def transpose(self, x, axes):
        return ops.transpose(x, tuple(axes))

    def reduce(self, x, operation, axes):
        if operation not in _REDUCTIONS:  # einops checks the name first: only a newer einops's reduction gets here
            raise NotImplementedError(f"einops reduce: reduction '{operation}' of a Tensor of shape {x.shape} is "
                                      f"not supported; valid: {sorted(_REDUCTIONS)}")
        return _REDUCTIONS[operation](x, axis=tuple(axes))

    def stack_on_zeroth_dimension(self, tensors):
        return ops.stack(list(tensors))

    def add_axis(self, x, new_position):
        return ops.expand_dims(x, new_position)

    def add_axes(self, x, n_axes, pos2len):
        # broadcast_to rather than tile: no copy forward, one sum backward
        for position in sorted(pos2len):
            x = ops.expand_dims(x, position)
        shape = list(x.shape)
        for position, length in pos2len.items():
            shape[position] = length
        return ops.broadcast_to(x, tuple(shape))

    def tile(self, x, repeats):
        return ops.tile(x, tuple(repeats))

    def concat(self, tensors, axis):
        return ops.concatenate(list(tensors), axis=axis)

    def is_float_type(self, x):
        return np.issubdtype(x.dtype, np.floating)

    def layers(self):
        import nn.einops_layers
        return nn.einops_layers

    def einsum(self, pattern, *x):
        return ops.einsum(pattern, *x)


def rearrange(tensor, pattern, **axes_lengths):
    """torch.func.rearrange (ag.func.rearrange): einops.rearrange's pattern on a Tensor, or on a list or tuple of
    them (stacked first), recorded as the operations it stands for; an ndarray is taken as a constant Tensor, so the
    result is a Tensor as torch's is.

    >>> import autograd_core as ag
    >>> ag.func.rearrange(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), "a b -> b a")
    Tensor([[1., 3.],
            [2., 4.]])
    """
    import einops
    if isinstance(tensor, np.ndarray):
        tensor = Tensor(tensor)
    return einops.rearrange(tensor, pattern, **axes_lengths)
