"""PyTorch's torch.sparse namespace as graph code calls it (pygcn's `torch.sparse.FloatTensor(indices, values,
shape)`, LightGCN-style `torch.sparse.mm(adj, x)`), on the dense Tensors PyTorch's sparse ones stand for (see
torch_sparse.py): the values equal PyTorch's, only the memory a large sparse matrix takes differs.
"""
import warnings

from .ops import sum as _sum
from .torch_products import addmm as _addmm
from .torch_sparse import sparse_coo_tensor, spmm

__all__ = ["mm", "addmm", "FloatTensor", "DoubleTensor"]  # (and sum, kept out of star imports, as ag.all)


def mm(mat1, mat2):
    """torch.sparse.mm: the matrix product of a (sparse, here dense) matrix and a dense one, as ag.spmm.

    >>> import autograd_core as ag
    >>> ag.sparse.mm(ag.sparse_coo_tensor([[0, 1], [1, 0]], ag.tensor([2.0, 3.0])), ag.tensor([[1.0], [10.0]]))
    Tensor([[20.],
            [ 3.]])
    """
    return spmm(mat1, mat2)


def addmm(mat, mat1, mat2, *, beta=1.0, alpha=1.0):
    """torch.sparse.addmm: beta * mat + alpha * (mat1 @ mat2), mat1 (sparse, here dense) a matrix, as ag.addmm.

    >>> import autograd_core as ag
    >>> ag.sparse.addmm(ag.ones((2, 1)), ag.eye(2), ag.tensor([[1.0], [2.0]]), alpha=2.0)
    Tensor([[3.],
            [5.]])
    """
    return _addmm(mat, mat1, mat2, beta=beta, alpha=alpha)


def sum(input, dim=None, dtype=None):  # noqa: A001, A002 (PyTorch's names)
    """torch.sparse.sum: the sum of all entries (a 0-d Tensor), or over dim (an int or a tuple of ints); PyTorch
    gives a sparse Tensor for the latter, here the dense one it stands for. dtype casts the input first.

    >>> import autograd_core as ag
    >>> ag.sparse.sum(ag.sparse_coo_tensor([[0, 1, 1], [1, 0, 0]], ag.tensor([1.0, 2.0, 3.0])), dim=1)
    Tensor([1., 5.])
    """
    return _sum(input, axis=dim, dtype=dtype)


def _deprecated_constructor(indices, values, size=None, *, device=None):
    """torch.sparse.FloatTensor(indices, values, size) (and DoubleTensor), PyTorch's deprecated COO constructor:
    ag.sparse_coo_tensor(indices, values, size), values keeping their dtype (as PyTorch's do), with PyTorch's
    warning.

    >>> import warnings, autograd_core as ag
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ag.sparse.FloatTensor(ag.LongTensor([[0, 1], [1, 0]]), ag.FloatTensor([1.0, 2.0]), ag.Size([2, 2]))
    Tensor([[0., 1.],
            [2., 0.]], dtype=float32)
    """
    warnings.warn("torch.sparse.SparseTensor(indices, values, shape, *, device=) is deprecated.  Please use "
                  "torch.sparse_coo_tensor(indices, values, shape, dtype=, device=).", UserWarning, stacklevel=2)
    return sparse_coo_tensor(indices, values, size, device=device)


FloatTensor = DoubleTensor = _deprecated_constructor
