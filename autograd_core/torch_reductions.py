"""PyTorch's reductions that return a named pair: aminmax (the minimum and the maximum at once), mode (the most
frequent value along a dim, and where it last appears) and the running cummax and cummin. Compositions of the
engine's min, max and take_along_axis, so the values get their gradients from those rules (mode's, cummax's and
cummin's go to the entry the index names).
"""
import collections

import numpy as np

from . import ops
from .ops.reductions import EmptyReductionError
from .primitive import as_operand
from .tensor import Tensor
from .torch_functions import _dim, _pair_written_into

aminmax_result = collections.namedtuple("aminmax", ["min", "max"])
aminmax_result.__doc__ = "aminmax's result, as torch.return_types.aminmax: (min, max)."
mode_result = collections.namedtuple("mode", ["values", "indices"])
mode_result.__doc__ = "mode's result, as torch.return_types.mode: (values, indices)."
cummax_result = collections.namedtuple("cummax", ["values", "indices"])
cummax_result.__doc__ = "cummax's result, as torch.return_types.cummax: (values, indices)."
cummin_result = collections.namedtuple("cummin", ["values", "indices"])
cummin_result.__doc__ = "cummin's result, as torch.return_types.cummin: (values, indices)."


def aminmax(input, *, dim=None, keepdim=False, out=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's aminmax: (amin, amax) of input over dim (every entry for None) as a named pair (min, max); keepdim
    keeps the reduced axes with size 1. Ties share the gradient, as amin's and amax's. out: PyTorch's pair of
    Tensors (min, max) the result is written into (see ag.sum's out=).

    >>> import autograd_core as ag
    >>> ag.aminmax(ag.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    aminmax(min=Tensor([1., 2.]), max=Tensor([5., 7.]))
    """
    if out is not None:
        return _pair_written_into(out, aminmax(input, dim=dim, keepdim=keepdim), "aminmax")
    x = as_operand(input, "aminmax")
    axis = None if dim is None or x.ndim == 0 else _dim("aminmax", dim, x.ndim)
    if dim is not None and x.ndim == 0:
        _dim("aminmax", dim, 1)  # (a 0-d Tensor takes dim 0 or -1, as PyTorch's)
    keepdims = bool(keepdim) and x.ndim > 0
    if x.size == 0 and (axis is None or x.shape[axis] == 0):  # (min's error would name min)
        raise EmptyReductionError(f"aminmax: cannot compute aminmax over an empty dimension (input shape {x.shape}, "
                                  f"dim={dim}), as PyTorch says")
    return aminmax_result(ops.min(x, axis=axis, keepdims=keepdims), ops.max(x, axis=axis, keepdims=keepdims))


def mode(input, dim=-1, keepdim=False, *, out=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's mode: the most frequent value along dim (the smallest of them at a tie in count) and the index of
    its last appearance, as a named pair (values, indices); keepdim keeps dim with size 1. The values are
    differentiable: each gets the gradient of the entry its index names. out: PyTorch's pair of Tensors (values,
    indices) the result is written into (see ag.sum's out=).

    >>> import autograd_core as ag
    >>> ag.mode(ag.tensor([[1.0, 2.0, 2.0, 1.0], [3.0, 3.0, 0.0, 5.0]]))
    mode(values=Tensor([1., 3.]), indices=Tensor([3, 1]))
    """
    if out is not None:
        return _pair_written_into(out, mode(input, dim, keepdim), "mode")
    x = as_operand(input, "mode")
    if x.ndim == 0:
        _dim("mode", dim, 1)
        return mode_result(x, Tensor(np.array(0, np.int64)))
    axis = _dim("mode", dim, x.ndim)
    if x.shape[axis] == 0:
        raise IndexError(f"mode: Expected reduction dim {axis} to have non-zero size (input shape {x.shape})")
    rows = np.moveaxis(x.data, axis, -1).reshape(-1, x.shape[axis])
    last = np.empty(len(rows), np.int64)
    for i, row in enumerate(rows):
        values, counts = np.unique(row, return_counts=True)  # (sorted: argmax picks the smallest most frequent)
        hits = np.flatnonzero(row == values[np.argmax(counts)])
        last[i] = hits[-1] if hits.size else np.flatnonzero(np.isnan(row))[-1]  # (NaN: unequal to itself)
    shape = list(np.moveaxis(x.data, axis, -1).shape[:-1])
    indices = np.expand_dims(last.reshape(shape), axis)
    values = ops.take_along_axis(x, indices, axis=axis)
    if not keepdim:
        values, indices = ops.squeeze(values, axis=axis), np.squeeze(indices, axis=axis)
    return mode_result(values, Tensor(indices))


def cummax(input, dim):  # noqa: A002 (PyTorch's names)
    """PyTorch's cummax: the running maximum along dim and the index where each was reached, as a named pair
    (values, indices) of input's shape. A tie takes the later index and a NaN stays the maximum from where it appears
    (the latest NaN's index), as torch's. The values are differentiable: each gets the gradient of the entry its
    index names.

    >>> import autograd_core as ag
    >>> ag.cummax(ag.tensor([1.0, 3.0, 2.0, 3.0]), dim=0)
    cummax(values=Tensor([1., 3., 3., 3.]), indices=Tensor([0, 1, 1, 3]))
    """
    return _running_extremum("cummax", cummax_result, np.greater_equal, input, dim)


def cummin(input, dim):  # noqa: A002 (PyTorch's names)
    """PyTorch's cummin: the running minimum along dim and the index where each was reached, as cummax's.

    >>> import autograd_core as ag
    >>> ag.cummin(ag.tensor([2.0, 1.0, 3.0, 1.0]), dim=0)
    cummin(values=Tensor([2., 1., 1., 1.]), indices=Tensor([0, 1, 1, 3]))
    """
    return _running_extremum("cummin", cummin_result, np.less_equal, input, dim)


def _running_extremum(name, result, beats, input, dim):  # noqa: A002
    """cummax's or cummin's pair: an entry takes over where beats(entry, best) holds (ties: the later one) or it is
    NaN, unless the best so far is NaN (then only a NaN takes over), as torch's kernel."""
    x = as_operand(input, name)
    if x.ndim == 0:
        _dim(name, dim, 1)  # (a 0-d Tensor takes dim 0 or -1, as PyTorch's)
        return result(x, Tensor(np.array(0, np.int64)))
    axis = _dim(name, dim, x.ndim)
    rows = np.moveaxis(x.data, axis, 0)
    indices = np.zeros(rows.shape, np.int64)
    if rows.shape[0]:
        best = rows[0].copy()
        with np.errstate(invalid="ignore"):
            for i in range(1, rows.shape[0]):
                take = np.isnan(rows[i]) | (~np.isnan(best) & beats(rows[i], best)) if x.dtype.kind == "f" else \
                    beats(rows[i], best)
                best = np.where(take, rows[i], best)
                indices[i] = np.where(take, i, indices[i - 1])
    indices = np.moveaxis(indices, 0, axis)
    return result(ops.take_along_axis(x, indices, axis=axis), Tensor(indices))


Tensor.aminmax = aminmax
Tensor.mode = mode
Tensor.cummax = cummax
Tensor.cummin = cummin
