"""F.embedding and F.one_hot, and the index checks they share with F.embedding_bag (padding_index,
_class_indices): class indices picked or spread, the gradient left to the engine's indexing. nn.functional
re-exports every name here.
"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._arguments import InvalidArgumentError
from autograd_core.tensor import saved_value

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number
from ._sparse_rows import note_lookup

__all__ = ["embedding", "one_hot"]


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False):
    """The rows of weight (num_embeddings, embedding_dim) picked by the integer indices in input (any shape):
    a result of shape input.shape + (embedding_dim,), weight[input], whose gradient scatter-adds back into weight
    (repeated indices accumulate). padding_idx (negative counts from the end, as in PyTorch): that row's entries
    get no gradient; its value is returned as it is. As PyTorch's: max_norm rescales each row the input names whose
    norm_type-norm exceeds it to max_norm, in place and outside the graph, before picking; scale_grad_by_freq divides
    each row's gradient by how often its index occurs in the input; with sparse=True the gradient is the dense
    Tensor PyTorch's sparse one stands for (the engine has one, dense, layout).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> w = ag.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> F.embedding(np.array([[2, 0], [1, 2]]), w, padding_idx=0).shape
    (2, 2, 2)
    >>> F.embedding(np.array([2, 0, 2]), w, padding_idx=0).sum().backward(); w.grad
    Tensor([[0., 0.],
            [0., 0.],
            [2., 2.]])
    """
    return _embedding(input, weight, padding_idx, "embedding", max_norm, norm_type, scale_grad_by_freq, sparse)


def _embedding(input, weight, padding_idx, where, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
               sparse=False):
    weight = F._as_input(weight, where)
    if weight.ndim != 2:
        raise InvalidArgumentError(f"{where}: weight must be 2-D (num_embeddings, embedding_dim), got shape "
                                   f"{weight.shape}")
    sparse = sparse is not False and as_flag(sparse, where, "sparse")  # the gradient is dense either way
    rows = weight.shape[0]
    padding = padding_index(padding_idx, rows, where)
    indices = _class_indices(input, where, "indices")
    if indices.size and (indices.min() < 0 or indices.max() >= rows):
        bad = indices[(indices < 0) | (indices >= rows)][0]
        raise IndexError(f"{where}: index {bad} is out of range for a weight of {rows} rows (num_embeddings); "
                         f"valid indices are 0..{rows - 1} (input of shape {indices.shape})")
    if max_norm is not None:  # (PyTorch's embedding_renorm_: the named rows rescaled in place, unrecorded)
        _renormed(weight, indices.reshape(-1), checked_number(max_norm, where, "max_norm", low=0),
                  checked_number(norm_type, where, "norm_type"))
    picked = weight[indices]  # the engine's indexing: its gradient scatter-adds into weight
    if scale_grad_by_freq is not False and as_flag(scale_grad_by_freq, where, "scale_grad_by_freq") and \
            picked.requires_grad and indices.size:
        counts = np.bincount(indices.reshape(-1), minlength=rows)[indices].astype(picked.dtype)[..., None]
        picked = picked.detach() + (picked - picked.detach()) / counts  # the value unchanged, the gradient / count
    if padding is not None and picked.requires_grad:
        padded = indices == padding
        if padded.any():  # the padding row's value, cut from the graph: it gets no gradient
            picked = ag.where(padded[..., None], picked.detach(), picked)
    if sparse and picked.requires_grad:  # the rows PyTorch's sparse gradient would list, for SparseAdam
        note_lookup(weight, picked, indices, padding)
    return picked


def padding_index(padding_idx, rows, where):
    """padding_idx as a row index in [0, rows) (a negative one counted from the end, as PyTorch's), or None; an
    error naming where and the valid range otherwise."""
    if padding_idx is None:
        return None
    if rows == 0:  # (PyTorch's fails to zero the row: "index 0 is out of bounds for dimension 0 with size 0")
        checked_number(padding_idx, where, "padding_idx", integer=True)
        raise ValueError(f"{where}: padding_idx must be None for a weight of no rows (num_embeddings=0), got "
                         f"{padding_idx!r}")
    index = checked_number(padding_idx, where, "padding_idx", integer=True, low=-rows,
                           what=f"None or an int in [{-rows}, {rows - 1}] (a row of the weight)")
    if index >= rows:
        raise ValueError(f"{where}: padding_idx must be None or an int in [{-rows}, {rows - 1}] (a row of the "
                         f"weight, num_embeddings={rows}), got {padding_idx!r}")
    return index % rows


def _class_indices(input, where, what):
    """input's values as an integer array (a Tensor's or an array's, a list or a number), or a TypeError naming
    where and the dtype: floats and bools are no indices."""
    values = saved_value(input) if isinstance(input, Tensor) else np.asarray(input)
    if values.dtype.kind not in "iu":
        raise TypeError(f"{where}: {what} must be integers (int64, int32...), got dtype {values.dtype} (shape "
                        f"{values.shape}); cast float indices with .astype(np.int64)")
    return values


def one_hot(tensor, num_classes=-1):
    """The class indices in tensor (any shape) as one-hot rows: an int64 Tensor of shape tensor.shape +
    (num_classes,) holding 1 at each index and 0 elsewhere; num_classes=-1 takes the largest index + 1. Not
    differentiable (its values are indices), as in PyTorch.

    >>> import numpy as np, nn.functional as F
    >>> F.one_hot(np.array([0, 2]))
    Tensor([[1, 0, 0],
            [0, 0, 1]])
    >>> F.one_hot(np.array([[1], [0]]), num_classes=2).shape
    (2, 1, 2)
    """
    values = _class_indices(tensor, "one_hot", "class values")
    # the value errors are InvalidArgumentError: NumPy's ValueError and PyTorch's RuntimeError at once
    classes = checked_number(num_classes, "one_hot", "num_classes", integer=True,
                             what="-1 (the largest class + 1) or an int >= 0")
    if classes < -1:
        raise InvalidArgumentError(f"one_hot: num_classes must be -1 (the largest class + 1) or an int >= 0, got "
                                   f"{classes}")
    if values.size and values.min() < 0:
        raise InvalidArgumentError(f"one_hot: class values must be non-negative, got {values.min()}")
    if classes == -1:
        if not values.size:
            raise InvalidArgumentError(f"one_hot: cannot infer the number of classes from an empty input (shape "
                                       f"{values.shape}); pass num_classes")
        classes = int(values.max()) + 1
    elif values.size and values.max() >= classes:
        valid = f"valid classes are 0..{classes - 1}" if classes else "no class is valid"
        raise InvalidArgumentError(f"one_hot: class value {values.max()} is out of range for num_classes={classes}; "
                                   f"{valid} (class values must be smaller than num_classes)")
    return ag.tensor((values[..., None] == np.arange(classes)).astype(np.int64))


def _renormed(weight, flat, max_norm, norm_type):
    """PyTorch's embedding_renorm_: the rows of weight named in flat whose norm_type-norm exceeds max_norm are
    scaled by max_norm / (norm + 1e-7), in place, outside the graph."""
    named = np.unique(flat)
    if not named.size:
        return
    values = saved_value(weight)[named]
    norms = np.linalg.norm(values, ord=norm_type, axis=1) if norm_type != 0 else (values != 0).sum(axis=1)
    norms = norms.astype(np.float64)  # each norm in the weight's dtype, the scale in double, as PyTorch's
    over = norms > max_norm
    if over.any():
        with ag.no_grad():
            scale = (max_norm / (norms[over] + 1e-7)).astype(values.dtype)  # (in float32, 1e-7 would vanish)
            weight[named[over]] = values[over] * scale[:, None]
