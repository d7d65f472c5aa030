"""PyTorch's split family that keeps NumPy's meaning of an int: tensor_split (np.array_split along dim), hsplit,
vsplit and dsplit (the same in both), and swapdims (PyTorch's name of swapaxes). Each piece is a view of the input
(a recorded slice), so a change through it is seen by the input, as PyTorch's.
"""
import numpy as np

from .ops.shape import ShapeError, _numpy_split, _swapaxes
from .primitive import as_operand
from .tensor import Tensor


def _sections(name, indices_or_sections):
    """A Tensor given as indices_or_sections as PyTorch takes it: a 0-d integer one is a count, a 1-D integer one
    the indices to cut at."""
    if isinstance(indices_or_sections, (Tensor, np.ndarray)):
        if indices_or_sections.dtype.kind not in "iu" or indices_or_sections.ndim > 1:
            raise TypeError(f"{name}: a Tensor as indices_or_sections must be a 0-d or 1-D integer one, got dtype "
                            f"{indices_or_sections.dtype} and shape {tuple(indices_or_sections.shape)}")
    return indices_or_sections  # (_numpy_split reads a 0-d one as a count, a 1-D one as indices)


def tensor_split(input, indices_or_sections, dim=0):  # noqa: A002
    """PyTorch's tensor_split: a tuple of views of input along dim; an int N gives N pieces, the first n % N one
    longer (np.array_split), a sequence of indices cuts at them.

    >>> import autograd_core as ag
    >>> [piece.tolist() for piece in ag.tensor_split(ag.arange(5), 2)]
    [[0, 1, 2], [3, 4]]
    >>> [piece.tolist() for piece in ag.arange(5).tensor_split([1, 4])]
    [[0], [1, 2, 3], [4]]
    """
    x = as_operand(input, "tensor_split")
    if x.ndim == 0:
        raise ShapeError("tensor_split: input is 0-d; it needs at least one dimension")
    return tuple(_numpy_split("tensor_split", x, _sections("tensor_split", indices_or_sections), dim, equal=False))


def _split_along(name, x, indices_or_sections, dim, min_ndim):
    x = as_operand(x, name)
    if x.ndim < min_ndim:
        raise ShapeError(f"{name}: needs a Tensor of at least {min_ndim} dimension(s), got shape {x.shape}")
    return tuple(_numpy_split(name, x, _sections(name, indices_or_sections), dim, equal=True))


def hsplit(input, indices_or_sections):  # noqa: A002
    """np.hsplit and torch.hsplit: views of input split along dim 1 (dim 0 of a 1-D one) into equal pieces or at
    indices.

    >>> import autograd_core as ag
    >>> [piece.shape for piece in ag.hsplit(ag.zeros((2, 4)), 2)]
    [(2, 2), (2, 2)]
    """
    return _split_along("hsplit", input, indices_or_sections, 0 if np.ndim(input) == 1 else 1, 1)


def vsplit(input, indices_or_sections):  # noqa: A002
    """np.vsplit and torch.vsplit: views of input (at least 2-D) split along dim 0 into equal pieces or at indices.

    >>> import autograd_core as ag
    >>> [piece.shape for piece in ag.vsplit(ag.zeros((4, 2)), [1])]
    [(1, 2), (3, 2)]
    """
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input, indices_or_sections):  # noqa: A002
    """np.dsplit and torch.dsplit: views of input (at least 3-D) split along dim 2 into equal pieces or at indices.

    >>> import autograd_core as ag
    >>> [piece.shape for piece in ag.dsplit(ag.zeros((1, 2, 4)), 2)]
    [(1, 2, 2), (1, 2, 2)]
    """
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def swapdims(input, dim0, dim1):  # noqa: A002
    """PyTorch's swapdims: swapaxes under PyTorch's names of its arguments; a 0-d input takes dims 0 and -1 (its
    only one, as PyTorch reads a scalar's dims) and is returned as it is.

    >>> import autograd_core as ag
    >>> ag.swapdims(ag.zeros((2, 3)), dim0=0, dim1=1).shape
    (3, 2)
    """
    return _swapaxes("swapdims", input, dim0, dim1)


Tensor.tensor_split, Tensor.hsplit, Tensor.vsplit, Tensor.dsplit = tensor_split, hsplit, vsplit, dsplit
Tensor.swapdims = swapdims
