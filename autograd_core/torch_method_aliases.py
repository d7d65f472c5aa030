"""PyTorch's Tensor methods that are the engine's functions under PyTorch's names or calling conventions, set on
Tensor directly: reversed(t) (t.flip(0)), t.tile(2, 1), t.clone(memory_format=), t.movedim, t.rot90, t.tril/triu,
t.diag/diagflat/diag_embed, t.kron, t.split_with_sizes and t.adjoint (also functions), and the inverse functions' short
names (t.asin, t.atan2, ...). torch_names.py imports this module.
"""
import numpy as np

from . import ops
from ._arguments import is_int
from .creation import _check_memory_format
from .primitive import OperandTypeError, as_operand
from .tensor import Tensor
from .ops.bessel import i0
from .tensor_methods import _matrices_transposed


def _reversed(self):
    """reversed(t): the rows in reverse order as one Tensor, t.flip(0), as PyTorch's (a 0-d Tensor is itself); NumPy's
    gives an iterator of the same rows, so `for row in reversed(t)` means the same in both.

    >>> import autograd_core as ag
    >>> reversed(ag.tensor([[1, 2], [3, 4]]))
    Tensor([[3, 4],
            [1, 2]])
    """
    return self if self.ndim == 0 else ops.flip(self, 0)


_reversed.__name__, _reversed.__qualname__ = "__reversed__", "Tensor.__reversed__"
Tensor.__reversed__ = _reversed

Tensor.movedim = ops.moveaxis  # PyTorch's name
Tensor.rot90, Tensor.fliplr, Tensor.flipud = ops.rot90, ops.fliplr, ops.flipud  # PyTorch's methods: t.rot90(k, dims)


def _tile(self, *counts, reps=None, dims=None):
    """t.tile(reps) is ag.tile(t, reps); the counts may also come one by one or as dims=, PyTorch's t.tile(2, 1, 1)
    (also its t.repeat, which is not here: NumPy's repeat repeats each element).

    >>> import autograd_core as ag
    >>> ag.tensor([[1, 2]]).tile(2, 1)
    Tensor([[1, 2],
            [1, 2]])
    """
    named = [value for value in (reps, dims) if value is not None]
    if named:
        if counts or len(named) > 1:
            raise TypeError(f"tile: got the counts {counts!r}, reps={reps!r} and dims={dims!r}; give them once")
        counts = tuple(named)
    if not counts:
        raise TypeError("tile: give the counts, t.tile((2, 1)) or t.tile(2, 1)")
    return ops.tile(self, counts[0] if len(counts) == 1 else counts)


_tile.__name__, _tile.__qualname__ = "tile", "Tensor.tile"
Tensor.tile = _tile


def clone(input, *, memory_format=None):  # noqa: A002
    """PyTorch's clone (torch.clone(x), x.clone()): ag.copy's recorded copy; memory_format as PyTorch's
    (ag.preserve_format or ag.contiguous_format: every copy here is NumPy's layout).

    >>> import autograd_core as ag
    >>> ag.tensor([1.0, 2.0]).clone(memory_format=ag.preserve_format)
    Tensor([1., 2.])
    """
    _check_memory_format(memory_format, "clone")
    return ops.copy(input)


Tensor.clone = clone
Tensor.tril, Tensor.triu = ops.tril, ops.triu  # PyTorch's methods: t.tril(diagonal=0)
Tensor.diag = ops.diag  # PyTorch's method: t.diag(diagonal=0)
Tensor.diagflat = ops.diagflat  # PyTorch's method: t.diagflat(offset=0), the offset positional
Tensor.diag_embed, Tensor.kron, Tensor.vdot = ops.diag_embed, ops.kron, ops.vdot  # PyTorch's methods (ndarray has none)


def split_with_sizes(input, split_sizes, dim=0):  # noqa: A002
    """PyTorch's split_with_sizes (torch.split_with_sizes(x, sizes, dim), x.split_with_sizes(sizes, dim)):
    x.split(list(split_sizes), dim), pieces of those sizes, which must add up to the length along dim.

    >>> import autograd_core as ag
    >>> [piece.shape for piece in ag.zeros((5, 2)).split_with_sizes([2, 3])]
    [(2, 2), (3, 2)]
    """
    x = as_operand(input, "split_with_sizes")
    sizes = list(split_sizes) if isinstance(split_sizes, (list, tuple)) else None
    if sizes is None or not all(is_int(size) for size in sizes):
        raise TypeError(f"split_with_sizes: split_sizes must be a list or tuple of ints (the pieces' lengths along "
                        f"dim {dim}), got {split_sizes!r}; for pieces of one length, write x.split(n, dim)")
    return x.split(sizes, dim)


def adjoint(input):  # noqa: A002
    """PyTorch's adjoint (torch.adjoint(x), x.adjoint()): x.mH, the last two axes swapped (conjugated: a no-op on the
    real dtypes here), a view; a 1-D x is refused and a 0-d one returned, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.adjoint(ag.zeros((4, 2, 3))).shape
    (4, 3, 2)
    """
    return _matrices_transposed(as_operand(input, "adjoint"), "adjoint")


Tensor.split_with_sizes, Tensor.adjoint = split_with_sizes, adjoint
# PyTorch's names for the inverse functions, for code ported from it
Tensor.asin, Tensor.acos, Tensor.atan, Tensor.atan2, Tensor.asinh, Tensor.acosh, Tensor.atanh = (
    ops.arcsin, ops.arccos, ops.arctan, ops.arctan2, ops.arcsinh, ops.arccosh, ops.arctanh)


def sgn(input):  # noqa: A002
    """PyTorch's torch.sgn and t.sgn: the sign of real input, as ag.sign (-1, 0 or 1; complex input is not offered).

    >>> import autograd_core as ag
    >>> ag.sgn(ag.tensor([-2.0, 0.0, 3.0]))
    Tensor([-1.,  0.,  1.])
    """
    input = as_operand(input, "sgn")  # noqa: A001
    if input.dtype == np.bool_:  # (sign's own error would name sign)
        raise OperandTypeError("sgn: not supported for bool Tensors (refused as by ag.sign and np.sign; torch.sgn "
                               "gives the bools back); convert first: ag.sgn(x.to(ag.int64))")
    return ops.sign(input)


Tensor.sgn, Tensor.i0 = sgn, i0  # (t.positive is ops.positive, set in tensor_methods)
