"""PyTorch's reductions into indexed positions, as graph neural networks aggregate messages over edges:
index_add (and index_copy, its copying kin), scatter_reduce and index_reduce (sum, prod, mean, amax, amin, with
include_self), index_put (written or accumulated at advanced-indexing positions) and put (likewise at positions in the
Tensor flattened), their methods, and the in-place scatter_reduce_, index_reduce_, index_put_, put_, index_add_ and
index_copy_.

Each is a composition of the engine's recorded operations, so gradients, to any order, come from them: sum and mean
scatter-add (indexing's scatter_add primitive); prod, amax and amin gather each target's contributions into one padded
row (indexing) and reduce it with prod, amax or amin, whose rules give PyTorch's gradients: prod's exact where entries
are zero, amax's and amin's split evenly among the entries equal to the result.
"""
import numpy as np

from . import ops
from ._arguments import InvalidArgumentError, RuntimeTypeError, as_flag
from .ops.indexing import _scatter
from .primitive import as_operand
from .tensor import Tensor, as_value
from .torch_extras import _check_index_range, _index_vector
from .torch_functions import _dim
from .torch_in_place import _written_in_place
from .torch_indexing import _positions, _scatter_operands, _unchanged

_PADDED = {"prod": ops.prod, "amax": ops.max, "amin": ops.min}


def _index_operands(where, input, dim, index, source):  # noqa: A002
    """(x, x1, source, dim, index, expected) for index_add, index_copy and index_reduce, checked: x1 is x at least
    1-D, expected the shape source must have (x1's, with dim of index's length), source of x's dtype."""
    x, source = as_operand(input, where), as_operand(source, where)
    if source.dtype != x.dtype:
        raise RuntimeTypeError(f"{where}: source's dtype {source.dtype} must be input's ({x.dtype}), as in PyTorch")
    x1 = x.reshape(1) if x.ndim == 0 else x
    dim = _dim(where, dim, x1.ndim, scalar_dims=False)
    index = _index_vector(where, index)
    expected = x1.shape[:dim] + (index.size,) + x1.shape[dim + 1:]
    if (source.shape or (1,)) != expected:
        raise InvalidArgumentError(f"{where}: source must have shape {expected} (input's, with dim {dim} of index's "
                                   f"length {index.size}), got {source.shape}")
    _check_index_range(where, index, x1.shape[dim], dim, negative=False)
    return x, x1, source, dim, index, expected


def index_add(input, dim, index, source, *, alpha=1):  # noqa: A002
    """PyTorch's index_add, out of place: input with alpha * source's slices along dim added at the positions index
    (a 1-D integer Tensor) gives, repeated indices accumulating. Differentiable in input and source.

    >>> import autograd_core as ag
    >>> ag.index_add(ag.zeros((3, 2)), 0, ag.tensor([0, 2, 0]), ag.ones((3, 2)))
    Tensor([[2., 2.],
            [0., 0.],
            [1., 1.]])
    """
    x, x1, source, dim, index, expected = _index_operands("index_add", input, dim, index, source)
    added = _scatter(source.reshape(expected), index=(slice(None),) * dim + (index,), shape=x1.shape)
    if x.dtype.kind in "iu" and not isinstance(alpha, Tensor):
        alpha = int(alpha)  # (an integer input keeps its dtype: torch truncates a float alpha, 2.5 * 3 adds 6)
    out = x1 + (added if alpha == 1 else alpha * added)
    # (a view of out would share its memory, and `result[mask] = v` would be refused as a change to a view)
    return out if x.ndim else out.reshape(())


def index_copy(input, dim, index, source):  # noqa: A002
    """PyTorch's index_copy, out of place: input with source's slices along dim written at the positions index (a
    1-D integer Tensor) gives. Differentiable in input (zero at the written positions) and source; with a position
    given twice PyTorch leaves unspecified which slice is kept (here the last), and each gets the gradient there.

    >>> import autograd_core as ag
    >>> ag.index_copy(ag.zeros((3, 2)), 0, ag.tensor([2, 0]), ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([[3., 4.],
            [0., 0.],
            [1., 2.]])
    """
    x, x1, source, dim, index, expected = _index_operands("index_copy", input, dim, index, source)
    out = ops.indexing._assigned(x1, source.reshape(expected), index=(slice(None),) * dim + (index,))
    return out if x.ndim else out.reshape(())


def _reduction(owner, reduce, choices):
    if not isinstance(reduce, str) or reduce not in choices:
        raise ValueError(f"{owner}: reduce must be one of {', '.join(map(repr, choices))}, got {reduce!r}")
    return reduce


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):  # noqa: A002
    """PyTorch's scatter_reduce, out of place: src[i][j] reduced into input at [index[i][j]][j] for dim=0 (and so
    on) with reduce ('sum', 'prod', 'mean', 'amax' or 'amin'), input's own entry taking part where include_self
    (else a position that gets entries holds their reduction alone; one that gets none keeps input's). index and
    src as scatter_add's; an integer 'mean' rounds down, as PyTorch's. Differentiable in input and src: the gradient
    of 'amax'/'amin' is split evenly among the entries equal to the result (PyTorch also counts input's entry there
    when include_self=False; here only the entries that took part).

    >>> import autograd_core as ag
    >>> ag.scatter_reduce(ag.zeros(3), 0, ag.tensor([0, 2, 0]), ag.tensor([1.0, 2.0, 3.0]), 'amax',
    ...                   include_self=False)
    Tensor([3., 0., 2.])
    """
    reduce = _reduction("scatter_reduce", reduce, ("sum", "prod", "mean", "amax", "amin"))
    include_self = as_flag(include_self, "scatter_reduce", "include_self")
    x, dim, index, src = _scatter_operands("scatter_reduce", input, dim, index, src)
    shape = np.shape(as_value(input))
    if not index.size:
        return _unchanged(x, src, shape)
    targets = np.ravel_multi_index(_positions(index, dim), x.shape).reshape(-1)
    out = _reduced_into(x.reshape(-1), targets, src.reshape(-1), reduce, include_self, x.shape)
    return out if out.shape == shape else out.reshape(shape)  # (a 0-d input)


def _reduced_into(flat, targets, values, reduce, include_self, shape):
    """flat (1-D) with values[k] reduced into position targets[k], in shape. The result is no view of a flat one
    (`out[mask] = v` would be refused as a change through a view)."""
    if reduce in ("sum", "mean"):
        counts = np.bincount(targets, minlength=flat.shape[0])
        kept = flat if include_self else ops.where(counts > 0, np.zeros((), flat.dtype), flat)
        total = kept.reshape(shape) + _scatter(values, index=targets, shape=flat.shape).reshape(shape)
        if reduce == "sum":
            return total
        divisor = np.maximum(counts + include_self, 1).astype(flat.dtype).reshape(shape)
        return total // divisor if flat.dtype.kind in "iub" else total / divisor
    # Each target's contributions (and its own entry, first, where include_self) in one row, the rest of the row
    # the reduction's identity; the rows reduced, and the untouched positions kept.
    # (Memory: the touched positions times the most entries one gets, a hub node's degree in a graph.)
    touched, group = np.unique(targets, return_inverse=True)
    counts = np.bincount(group)
    order = np.argsort(group, kind="stable")
    slot = np.empty(targets.size, np.intp)
    slot[order] = np.arange(targets.size) - (np.cumsum(counts) - counts)[group[order]]
    offset = int(include_self)
    identity = targets.size + flat.shape[0]  # (the fill entry's place in the joined vector below)
    pick = np.full((touched.size, counts.max() + offset), identity, np.intp)
    pick[group, slot + offset] = np.arange(targets.size)
    if include_self:
        pick[:, 0] = targets.size + touched
    joined = ops.concatenate([values, flat, Tensor._constant(_identity(reduce, flat.dtype))])
    reduced = _PADDED[reduce](joined[pick], axis=1)
    select = np.arange(flat.shape[0])
    select[touched] = flat.shape[0] + np.arange(touched.size)
    picked = ops.concatenate([flat, reduced.astype(flat.dtype)])[select]
    # (a copy in shape, no view: a 2-D select's gradient, np.add.at off its 1-D fast path, would cost more)
    return picked if picked.shape == shape else picked.reshape(shape).clone()


def _identity(reduce, dtype):
    """The reduction's neutral entry in dtype, as a 1-element array (the padding of a short row)."""
    if reduce == "prod":
        value = 1
    elif dtype.kind == "f":
        value = -np.inf if reduce == "amax" else np.inf
    elif dtype.kind == "b":
        value = reduce == "amin"
    else:
        info = np.iinfo(dtype)
        value = info.min if reduce == "amax" else info.max
    return np.array([value], dtype)


def index_reduce(input, dim, index, source, reduce, *, include_self=True):  # noqa: A002
    """PyTorch's index_reduce, out of place: source's slices along dim reduced into input's slices at the positions
    index (a 1-D integer Tensor, one per slice) gives, with reduce ('prod', 'mean', 'amax' or 'amin'; use index_add
    for a sum), input's own slice taking part where include_self. scatter_reduce's values and gradients.

    >>> import autograd_core as ag
    >>> ag.index_reduce(ag.ones((2, 2)), 0, ag.tensor([1, 1, 1]), ag.tensor([[2.0, 3.0], [4.0, 5.0], [1.0, 0.0]]),
    ...                 'mean', include_self=False)
    Tensor([[1.        , 1.        ],
            [2.33333333, 2.66666667]])
    """
    reduce = _reduction("index_reduce", reduce, ("prod", "mean", "amax", "amin"))
    x, x1, source, dim, index, expected = _index_operands("index_reduce", input, dim, index, source)
    spread = np.broadcast_to(index.reshape((1,) * dim + (-1,) + (1,) * (x1.ndim - dim - 1)), expected)
    out = scatter_reduce(x1, dim, spread, source.reshape(expected), reduce, include_self=include_self)
    return out if x.ndim else out.reshape(())  # (scatter_reduce's result is no view: `out[mask] = v` works)


def index_put(input, indices, values, accumulate=False):  # noqa: A002
    """PyTorch's index_put, out of place: input with values written at input[indices] (indices a tuple or list of
    integer or boolean Tensors, as advanced indexing takes them), or added there with accumulate=True, repeated
    positions accumulating (a scatter-add by edge lists). values broadcast to input[indices]'s shape and have
    input's dtype. Differentiable in input and values.

    >>> import autograd_core as ag
    >>> ag.index_put(ag.zeros(3), (ag.tensor([0, 2, 0]),), ag.tensor([1.0, 2.0, 3.0]), accumulate=True)
    Tensor([4., 0., 2.])
    """
    x, values = as_operand(input, "index_put"), as_operand(values, "index_put")
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"index_put: indices must be a tuple (or list) of index Tensors, one per leading dimension, "
                        f"got {type(indices).__name__}; write (index,) for one")
    index = tuple(np.asarray(as_value(i)) for i in indices)
    if any(i.dtype.kind not in "iub" for i in index):
        raise TypeError(f"index_put: each index must be an integer or boolean Tensor, got dtypes "
                        f"{[str(i.dtype) for i in index]}")
    if values.dtype != x.dtype:
        raise TypeError(f"index_put: values' dtype {values.dtype} must be input's ({x.dtype}), as in PyTorch; cast "
                        f"one with .to(dtype)")
    index = sum((np.nonzero(i) if i.dtype.kind == "b" else (i,) for i in index), ())  # (masks as their positions)
    try:
        shape = x.data[index].shape
    except IndexError as err:
        raise IndexError(f"index_put: the indices do not fit input of shape {x.shape}: {err}") from None
    fitted = ops.indexing.fitted_shape(values.shape, shape)  # (PyTorch's RuntimeError "shape mismatch")
    if not accumulate:
        return ops.indexing._assigned(x, values, index=index)
    values = values if fitted == values.shape else values.reshape(fitted)
    return x + _scatter(ops.broadcast_to(values, shape), index=index, shape=x.shape)


def put(input, index, source, accumulate=False):  # noqa: A002
    """PyTorch's put, out of place (also t.put): input, seen flattened, with source written at the positions index
    (an integer Tensor of any shape, negative counting from the end), or added there with accumulate=True (repeated
    positions accumulating); source has as many entries as index and input's dtype. index_put on the flattened
    input, so differentiable in input and source.

    >>> import autograd_core as ag
    >>> ag.put(ag.zeros((2, 2)), ag.tensor([0, -1]), ag.tensor([5.0, 7.0]))
    Tensor([[5., 0.],
            [0., 7.]])
    """
    x, source = as_operand(input, "put"), as_operand(source, "put")
    positions = np.asarray(as_value(index))
    if positions.dtype.kind not in "iu":
        raise RuntimeTypeError(f"put: index must be an integer Tensor (positions in input flattened), got dtype "
                               f"{positions.dtype}")
    if positions.size != source.size:
        raise InvalidArgumentError(f"put: source must have as many entries as index, got source of shape "
                                   f"{source.shape} ({source.size}) and index of shape {positions.shape} "
                                   f"({positions.size})")
    if positions.size and not (-x.size <= positions.min() and positions.max() < x.size):
        raise IndexError(f"put: index holds positions from {positions.min()} to {positions.max()}, out of range for "
                         f"input of shape {x.shape} ({x.size} entries: positions in [{-x.size}, {x.size}))")
    flat = index_put(x.reshape(-1), (positions.reshape(-1),), source.reshape(-1), accumulate)
    return flat.reshape(x.shape)


def _put_(self, index, source, accumulate=False):
    """PyTorch's in-place put_: ag.put(self, index, source, accumulate) written into self, which is returned;
    recorded as add_'s.

    >>> import autograd_core as ag
    >>> ag.zeros(3).put_(ag.tensor([2, 2]), ag.tensor([1.0, 2.0]), accumulate=True)
    Tensor([0., 0., 3.])
    """
    return _written_in_place(self, "put", lambda: put(self, index, source, accumulate))


def _index_put_(self, indices, values, accumulate=False):
    """PyTorch's in-place index_put_: ag.index_put(self, indices, values, accumulate) written into self, which is
    returned; recorded as add_'s.

    >>> import autograd_core as ag
    >>> ag.zeros(3).index_put_((ag.tensor([1, 1]),), ag.tensor(2.0), accumulate=True)
    Tensor([0., 4., 0.])
    """
    return _written_in_place(self, "index_put", lambda: index_put(self, indices, values, accumulate))


def _index_copy_(self, dim, index, source):
    """PyTorch's in-place index_copy_: ag.index_copy(self, dim, index, source) written into self, which is
    returned; recorded as add_'s.

    >>> import autograd_core as ag
    >>> ag.zeros(3).index_copy_(0, ag.tensor([2]), ag.tensor([5.0]))
    Tensor([0., 0., 5.])
    """
    return _written_in_place(self, "index_copy", lambda: index_copy(self, dim, index, source))


def _scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    """PyTorch's in-place scatter_reduce_: ag.scatter_reduce(self, ...) written into self, which is returned (PyG's
    `x.new_zeros(size).scatter_reduce_(0, index, src, 'amax', include_self=False)`); recorded as add_'s.

    >>> import autograd_core as ag
    >>> ag.zeros(2).scatter_reduce_(0, ag.tensor([1, 1]), ag.tensor([2.0, 4.0]), 'mean', include_self=False)
    Tensor([0., 3.])
    """
    return _written_in_place(self, "scatter_reduce",
                             lambda: scatter_reduce(self, dim, index, src, reduce, include_self=include_self))


def _index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    """PyTorch's in-place index_reduce_: ag.index_reduce(self, ...) written into self, which is returned; recorded
    as add_'s.

    >>> import autograd_core as ag
    >>> ag.ones(2).index_reduce_(0, ag.tensor([0, 0]), ag.tensor([2.0, 5.0]), 'amax')
    Tensor([5., 1.])
    """
    return _written_in_place(self, "index_reduce",
                             lambda: index_reduce(self, dim, index, source, reduce, include_self=include_self))


def _index_add_(self, dim, index, source, *, alpha=1):
    """PyTorch's in-place index_add_: ag.index_add(self, dim, index, source, alpha=alpha) written into self, which
    is returned (a message-passing layer's `out.index_add_(0, target, messages)`); recorded as add_'s.

    >>> import autograd_core as ag
    >>> ag.zeros(3).index_add_(0, ag.tensor([2, 2]), ag.tensor([1.0, 4.0]))
    Tensor([0., 0., 5.])
    """
    return _written_in_place(self, "index_add", lambda: index_add(self, dim, index, source, alpha=alpha))


Tensor.index_add, Tensor.scatter_reduce, Tensor.index_reduce = index_add, scatter_reduce, index_reduce
Tensor.index_put, Tensor.index_copy, Tensor.index_copy_ = index_put, index_copy, _index_copy_
Tensor.put, Tensor.put_ = put, _put_
Tensor.scatter_reduce_, Tensor.index_reduce_, Tensor.index_add_ = _scatter_reduce_, _index_reduce_, _index_add_
Tensor.index_put_ = _index_put_
for _method in (_put_, _scatter_reduce_, _index_reduce_, _index_add_, _index_put_, _index_copy_):
    _method.__name__ = _method.__name__[1:]
    _method.__qualname__ = f"Tensor.{_method.__name__}"
del _method
