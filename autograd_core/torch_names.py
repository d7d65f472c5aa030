"""PyTorch's names for Tensor methods, for code ported from it: view, unsqueeze, permute, numel, dim, the casts
(float, double, long, int, bool, half, type_as, to), contiguous, expand and the _as forms, and the new_* creators.
Each is a thin alias or a short composition of the engine's recorded operations (gradients, to any order, come from
them). They are set on Tensor when this module is imported, at the end of tensor.py. Names where PyTorch and NumPy
differ keep NumPy's meaning (t.size is the attribute, t.repeat is np.repeat's); torch_functions.py adds the ag
functions (ag.cat, ag.gather, ag.topk, ...) and the methods that are those functions.
"""
import numpy as np

from . import ops
from .tensor import Tensor


class _TorchNames:
    """The methods set on Tensor below (a class, so that each keeps its place and reads as a method)."""

    def view(self, *shape):
        """PyTorch's view: reshape to a result that shares this Tensor's memory, refused where only a copy can
        have the shape (a transposed Tensor flattened), as PyTorch refuses: a write through the view must reach
        this Tensor. reshape copies there instead.

        >>> import autograd_core as ag
        >>> ag.arange(6.0).view(2, 3).shape
        (2, 3)
        """
        out = ops.reshape(self, *shape)
        if out.size and not np.may_share_memory(out.data, self.data):  # NumPy copied
            raise RuntimeError(f"view: a Tensor of shape {self.shape} and strides {self.data.strides} has no view "
                               f"of shape {out.shape} (its elements are not laid out in that order in memory); use "
                               f"reshape, which copies")
        return out

    def unsqueeze(self, dim):
        """PyTorch's name for expand_dims(dim), which takes one int."""
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"unsqueeze: dim must be an int, got {dim!r}; expand_dims takes a tuple of them")
        return ops.expand_dims(self, dim)

    def permute(self, *dims):
        """PyTorch's name for transpose(*dims), which must name every axis.

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3, 4)).permute(2, 0, 1).shape
        (4, 2, 3)
        """
        if not dims or len(dims) == 1 and dims[0] is None:
            raise TypeError("permute: give the new order of every axis, e.g. t.permute(1, 0); t.T reverses them")
        return ops.transpose(self, *dims)

    def numel(self):
        """PyTorch's name for .size, the number of elements."""
        return self.size

    def dim(self):
        """PyTorch's name for .ndim, the number of dimensions."""
        return self.ndim

    def float(self):
        """PyTorch's float(): astype(np.float32), differentiable from a float dtype.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).float().dtype, ag.tensor([1, 2]).double().dtype
        (dtype('float32'), dtype('float64'))
        """
        return ops.astype(self, np.float32)

    def double(self):
        """PyTorch's double(): astype(np.float64), differentiable from a float dtype."""
        return ops.astype(self, np.float64)

    def t(self):
        """PyTorch's t(): a matrix transposed; a 0-d or 1-d Tensor as it is (more dimensions are refused)."""
        if self.ndim > 2:
            raise ValueError(f"t: expects a Tensor of at most 2 dimensions, got shape {self.shape}; use .mT to "
                             f"transpose the last two axes, or .permute")
        return ops.transpose(self)  # (a new node for 0-d and 1-d too, as PyTorch's view)


for _name, _method in list(vars(_TorchNames).items()):
    if not _name.startswith("__"):
        _method.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _method)
del _name, _method

Tensor.movedim = ops.moveaxis  # PyTorch's name
Tensor.clone = ops.copy  # PyTorch's name
# PyTorch's names for the inverse functions, for code ported from it
Tensor.asin, Tensor.acos, Tensor.atan, Tensor.atan2, Tensor.asinh, Tensor.acosh, Tensor.atanh = (
    ops.arcsin, ops.arccos, ops.arctan, ops.arctan2, ops.arcsinh, ops.arccosh, ops.arctanh)
