"""Bags of embeddings, which nn.functional re-exports as embedding_bag, with torch.nn.functional's name, arguments
and defaults (nn.EmbeddingBag in nn/embedding_bag.py is its layer).

A composition of engine operations: the bags' indices are laid out as rows of a (bags, longest) table, each bag
repeating an index where it is shorter; the weight's rows are gathered (weight[table], whose gradient scatter-adds
into the weight), the repeats and the padding_idx entries are replaced by 0 (ag.where: they get no gradient, and a
NaN or inf there reaches no other bag), and each row is reduced: a sum (each entry times its per_sample_weight),
a mean over the entries counted, or the max (its first maximum gets the gradient). An empty bag is zeros, as
PyTorch's. max_norm renormalises the weight's rows the input refers to, in place and outside the graph, as
PyTorch's; scale_grad_by_freq divides each row's gradient by how often its index occurs in the input.
"""
import numpy as np

import autograd_core as ag

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number
from ._embedding_functions import _class_indices, _renormed, padding_index
from ._sparse_rows import note_lookup

__all__ = ["embedding_bag"]

_MODES = ("sum", "mean", "max")


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """The sum, mean or max of each bag of rows of weight (num_embeddings, embedding_dim), as
    torch.nn.functional.embedding_bag: input (B, L) holds B bags of L indices; or input is 1-D and offsets (1-D)
    the start of each bag in it (offsets[0] must be 0; with include_last_offset the last offset ends the last bag
    instead of starting one). per_sample_weights (input's shape, mode 'sum' only) weighs each row; of another
    dtype (float64, creation's default, for a float32 weight) they are cast to the weight's, so the bags keep its
    dtype. Entries equal to padding_idx are left out of their bag (and its mean's count); an empty bag gives zeros.
    max_norm: rows the input refers to whose norm_type-norm exceeds it are rescaled to max_norm, in place.
    sparse=True (modes 'sum' and 'mean', as PyTorch's) gives the dense gradient PyTorch's sparse one stands for.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> w = ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    >>> F.embedding_bag(np.array([0, 2, 1, 1]), w, np.array([0, 2, 2]), mode="sum").tolist()
    [[6.0, 8.0], [0.0, 0.0], [6.0, 8.0]]
    >>> F.embedding_bag(np.array([[0, 1], [2, 2]]), w, mode="max").sum().backward(); w.grad.tolist()
    [[0.0, 0.0], [1.0, 1.0], [1.0, 1.0]]
    """
    where = "embedding_bag"
    weight = F._as_input(weight, where)
    if weight.ndim != 2:
        raise ValueError(f"{where}: weight must be 2-D (num_embeddings, embedding_dim), got shape {weight.shape}")
    if weight.dtype.kind != "f":
        raise TypeError(f"{where}: weight must be of a float dtype (float32, float64), got {weight.dtype}")
    if mode not in _MODES:
        raise ValueError(f"{where}: mode must be one of 'sum', 'mean', 'max', got {mode!r}")
    sparse = as_flag(sparse, where, "sparse")
    if sparse and mode == "max":
        raise ValueError(f"{where}: mode='max' does not support sparse weights (sparse=True), as PyTorch's; use "
                         f"mode 'sum' or 'mean', or sparse=False")
    scale_grad_by_freq = as_flag(scale_grad_by_freq, where, "scale_grad_by_freq")
    if scale_grad_by_freq and mode == "max":
        raise NotImplementedError(f"{where}: mode='max' does not support scaling the gradient by the frequency "
                                  f"(scale_grad_by_freq=True), as PyTorch's")
    include_last_offset = as_flag(include_last_offset, where, "include_last_offset")
    rows = weight.shape[0]
    padding = padding_index(padding_idx, rows, where)
    indices = _class_indices(input, where, "input")
    samples = None if per_sample_weights is None else F._as_input(per_sample_weights, where)
    if samples is not None:
        if mode != "sum":
            raise NotImplementedError(f"{where}: per_sample_weights is only supported for mode='sum' (got "
                                      f"mode={mode!r})")
        if samples.shape != indices.shape:
            raise ValueError(f"{where}: per_sample_weights (shape {samples.shape}) must have the input's shape "
                             f"{indices.shape}, one weight per index")
        if samples.dtype != weight.dtype:  # the bags keep the weight's dtype, as PyTorch's (which refuses a mix)
            samples = samples.astype(weight.dtype)  # (a recorded cast: its gradient comes back in samples' dtype)
    starts, ends, flat = _bags(indices, offsets, include_last_offset, where)
    if flat.size and (flat.min() < 0 or flat.max() >= rows):
        bad = flat[(flat < 0) | (flat >= rows)][0]
        raise IndexError(f"{where}: index {bad} is out of range for a weight of {rows} rows (num_embeddings); valid "
                         f"indices are 0..{rows - 1}")
    if max_norm is not None:
        _renormed(weight, flat, checked_number(max_norm, where, "max_norm", low=0),
                  checked_number(norm_type, where, "norm_type"))
    # The (bags, longest) table of positions in flat, each bag repeating its last position (or 0) where shorter.
    sizes = ends - starts
    longest = int(sizes.max()) if sizes.size else 0
    position = starts[:, None] + np.arange(longest)
    inside = position < ends[:, None]
    position = np.minimum(position, np.maximum(ends - 1, 0)[:, None]) if flat.size else np.zeros_like(position)
    table = flat[position] if flat.size else np.zeros(position.shape, dtype=np.int64)
    counted = inside if padding is None else inside & (table != padding)
    picked = weight[table]  # (bags, longest, embedding_dim): its gradient scatter-adds into weight
    if sparse and picked.requires_grad:  # the rows PyTorch's sparse gradient would list, for SparseAdam
        note_lookup(weight, picked, flat, padding)
    if scale_grad_by_freq and picked.requires_grad and flat.size:
        counts = np.bincount(flat, minlength=rows)[table].astype(weight.dtype)[..., None]
        picked = picked.detach() + (picked - picked.detach()) / counts  # the value unchanged, the gradient / count
    if samples is not None:
        picked = picked * samples.reshape(-1)[position][..., None]
    mask = counted[..., None]
    if mode == "max" and longest:
        values = np.where(mask, picked.data, -np.inf)
        first = np.argmax(values, axis=1)[:, None, :] == np.arange(longest)[None, :, None]  # the first maximum
        return ag.where(first & mask, picked, 0).sum(axis=1)  # (an empty bag: zeros)
    total = ag.where(mask, picked, 0).sum(axis=1)
    if mode == "sum":
        return total
    return total / np.maximum(counted.sum(axis=1), 1).astype(weight.dtype)[:, None]


def _bags(indices, offsets, include_last_offset, where):
    """Each bag's start and end in the flat indices, and the flat indices, from a 2-D input or a 1-D one with
    offsets, as PyTorch reads them."""
    if indices.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{where}: if input is 2-D (bags, indices per bag), offsets must be None (each row is a "
                             f"bag), got offsets")
        bags, length = indices.shape  # each row a bag (include_last_offset changes nothing, as PyTorch's)
        starts = np.arange(bags, dtype=np.int64) * length
        return starts, starts + length, indices.reshape(-1)
    if indices.ndim != 1:
        raise ValueError(f"{where}: input must be 1-D (with offsets) or 2-D (bags, indices per bag), got shape "
                         f"{indices.shape}")
    if offsets is None:
        raise ValueError(f"{where}: a 1-D input needs offsets (a 1-D array of each bag's start), got None")
    flat = indices
    offsets = _class_indices(offsets, where, "offsets")
    if offsets.ndim != 1:
        raise ValueError(f"{where}: offsets must be 1-D (each bag's start in the input), got shape {offsets.shape}")
    offsets = offsets.astype(np.int64)
    if offsets.size and offsets[0] != 0:
        raise ValueError(f"{where}: offsets[0] must be 0 (the first bag starts at the input's start), got "
                         f"{offsets[0]}")
    if offsets.size and offsets[-1] > flat.size:
        raise ValueError(f"{where}: offsets[-1] ({offsets[-1]}) must be at most the input's length {flat.size}")
    if np.any(np.diff(offsets) < 0):
        raise ValueError(f"{where}: offsets must be non-decreasing (each bag starts where the one before it ends), "
                         f"got {offsets.tolist()}")
    if include_last_offset:
        return offsets[:-1], offsets[1:], flat
    return offsets, np.append(offsets[1:], flat.size), flat
