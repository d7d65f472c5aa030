"""PyTorch's sparse COO names for code that builds a graph's adjacency with them (pytorch/examples' gcn, gat).

The engine has one, dense, layout: `sparse_coo_tensor` builds the dense Tensor that PyTorch's sparse one stands for
(repeated indices summed, as PyTorch's coalesce does), differentiable in its values; `spmm` is `mm`, and a
Tensor's `to_sparse()`/`to_dense()`/`coalesce()` are the Tensor itself (PyTorch's `to_dense()` of a dense Tensor is
too); the stored entries, `_indices()`/`_values()`, are refused with advice (ag.sparse has torch.sparse's functions).
The results equal PyTorch's; only the memory a large sparse matrix takes differs.
"""
import math

import numpy as np

from ._arguments import check_device
from .creation import zeros
from .primitive import as_operand
from .tensor import Tensor, as_value
from .torch_extras import _AbsentAttribute, _check_index_range
from .torch_scatter_reduce import index_add
from .torch_functions import mm


def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None, requires_grad=False,
                      check_invariants=None, is_coalesced=None):
    """torch.sparse_coo_tensor as the dense Tensor it stands for: values[k] placed at indices[:, k] (indices of
    shape (sparse_dims, nnz), values of shape (nnz, *dense_dims)), repeated indices summed. size defaults to each
    sparse axis's largest index + 1. Differentiable in values; indices out of range are refused (PyTorch checks
    them only with check_invariants=True); check_invariants and is_coalesced change nothing else.

    >>> import autograd_core as ag
    >>> ag.sparse_coo_tensor([[0, 0, 1], [1, 1, 2]], ag.tensor([1.0, 2.0, 3.0]), (2, 3))
    Tensor([[0., 3., 0.],
            [0., 0., 3.]])
    """
    check_device(device, "sparse_coo_tensor")
    index = np.asarray(as_value(indices))
    values = as_operand(values, "sparse_coo_tensor")
    if index.ndim != 2 or not (np.issubdtype(index.dtype, np.integer) or index.size == 0):
        raise ValueError(f"sparse_coo_tensor: indices must be a 2-D integer array of shape (sparse_dims, nnz), got "
                         f"shape {index.shape} and dtype {index.dtype}")
    index = index.astype(np.int64)
    sparse_dims, nnz = index.shape
    if values.ndim < 1 or values.shape[0] != nnz:
        raise ValueError(f"sparse_coo_tensor: values must have one entry (row) per index column: indices {index.shape} "
                         f"give {nnz}, values have shape {values.shape}")
    if size is None:
        size = tuple(int(n) + 1 for n in (index.max(axis=1) if nnz else np.full(sparse_dims, -1))) + values.shape[1:]
    size = tuple(int(n) for n in size)
    if len(size) != sparse_dims + values.ndim - 1 or size[sparse_dims:] != values.shape[1:]:
        raise ValueError(f"sparse_coo_tensor: size {size} must be {sparse_dims} sparse axes (indices' rows) followed "
                         f"by values' trailing axes {values.shape[1:]}")
    for axis in range(sparse_dims):
        _check_index_range("sparse_coo_tensor", index[axis], size[axis], axis, negative=False)
    if dtype is not None:
        values = values.to(dtype)
    flat = np.ravel_multi_index(tuple(index), size[:sparse_dims]) if sparse_dims else np.zeros(nnz, np.int64)
    dense = zeros((math.prod(size[:sparse_dims]),) + values.shape[1:], dtype=values.dtype)
    out = index_add(dense, 0, flat, values).reshape(size)
    return out.detach().requires_grad_() if requires_grad else out


def spmm(input, mat2):  # noqa: A002
    """torch.spmm: the matrix product of a (sparse, here dense) matrix and a dense one, as mm.

    >>> import autograd_core as ag
    >>> ag.spmm(ag.eye(2), ag.tensor([[1.0], [2.0]]))
    Tensor([[1.],
            [2.]])
    """
    return mm(input, mat2)


def _itself(self, *args, **kwargs):
    """PyTorch's to_sparse()/to_dense()/coalesce(): the Tensor itself, every Tensor being dense (see
    sparse_coo_tensor), and so its own coalesced form.

    >>> import autograd_core as ag
    >>> x = ag.ones(2)
    >>> x.to_sparse() is x
    True
    """
    return self


Tensor.to_sparse = Tensor.to_dense = Tensor.coalesce = _itself

# a._indices(), a._values(), a._nnz(): a sparse Tensor's stored entries (pyGAT's SpecialSpmmFunction reads a._indices()
# in backward), which a dense Tensor does not keep: the error names what to write instead
_NOT_STORED = ("this Tensor is dense (ag.sparse_coo_tensor builds the matrix a sparse one stands for), so it stores no "
               "indices or values; keep the indices and values it was built from (in an ag.Function, on ctx), or take "
               "ag.argwhere(t).T and t[ag.nonzero(t)] for its nonzero entries")
Tensor._indices, Tensor._values, Tensor._nnz = (_AbsentAttribute(name, _NOT_STORED)
                                                for name in ("_indices", "_values", "_nnz"))
