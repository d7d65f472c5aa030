"""PyTorch's indexing functions for code ported from it: gather, take_along_dim, scatter, scatter_add, index_select,
the method select and masked_select, with torch's checks of their dims and indices (torch_scatter_reduce.py builds
its reductions on these; torch_in_place.py has the in-place scatter_ and scatter_add_).

Each is a short composition of the engine's recorded operations (take_along_axis, getitem, indexing's scatter_add
primitive, where), so gradients, to any order, come from them. The methods that are these functions (t.gather,
t.scatter, ...) are set on Tensor at the end.
"""
import numbers

import numpy as np

from . import ops
from ._arguments import InvalidArgumentError, RuntimeIndexError, RuntimeTypeError, checked_fill_value
from .ops.indexing import _scatter
from .primitive import as_operand
from .tensor import Tensor, as_value
from .torch_functions import _dim, _int


def _index(owner, index, x, dim):
    """index as an integer ndarray, checked as torch checks gather's and scatter's: as many dimensions as x (a 0-d
    one counting as 1-d), each size off dim at most x's, values in [0, n) for x's size n along dim (an empty index
    is not checked, as by torch)."""
    index = np.array(as_value(index))  # (a copy: an index Tensor changed in place later must not move the gradient)
    if index.dtype.kind not in "iu":
        raise RuntimeTypeError(f"{owner}: index must be an integer Tensor or array (torch's int64), got dtype "
                               f"{index.dtype}")
    if not index.size:
        return index
    if max(index.ndim, 1) != max(x.ndim, 1):
        raise InvalidArgumentError(f"{owner}: index must have as many dimensions as input ({x.ndim}, shape "
                                   f"{x.shape}), got index of shape {index.shape}")
    shape, index_shape = x.shape or (1,), index.shape or (1,)
    for d, (n, m) in enumerate(zip(index_shape, shape)):
        if d != dim and n > m:
            raise InvalidArgumentError(f"{owner}: index of shape {index.shape} must be no larger than input of "
                                       f"shape {x.shape} in every dimension but dim={dim} (dimension {d}: {n} > {m})")
    if index.min() < 0 or index.max() >= shape[dim]:
        bad = index.min() if index.min() < 0 else index.max()
        raise RuntimeIndexError(f"{owner}: index {bad} is out of bounds for dimension {dim} with size "
                                f"{shape[dim]} (indices must be in [0, {shape[dim]}); negative ones are refused, as "
                                f"by PyTorch)")
    return index


def _part(x, shape):
    """x[:shape[0], :shape[1], ...]: its leading block of the given shape (x itself when that is all of it)."""
    if x.shape == tuple(shape):
        return x
    return x[tuple(slice(0, n) for n in shape)]


def _positions(index, dim):
    """The integer arrays picking, along dim, index's entries and, along every other dimension, their own
    positions (torch's gather/scatter addressing)."""
    ndim = index.ndim
    return tuple(index if d == dim else np.arange(n).reshape((1,) * d + (n,) + (1,) * (ndim - d - 1))
                 for d, n in enumerate(index.shape))


def _at_least_1d(x):
    return x.reshape(1) if x.ndim == 0 else x


def gather(input, dim, index, *, sparse_grad=False):  # noqa: A002
    """PyTorch's gather: out[i][j] = input[index[i][j]][j] for dim=0 (and so on): index has input's number of
    dimensions, each size off dim at most input's, values in [0, n); the result has index's shape. Differentiable
    in input (the gradient scatter-adds back: an element picked twice gets both gradients). sparse_grad has no
    effect.

    >>> import autograd_core as ag
    >>> ag.gather(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), 1, ag.tensor([[0, 0], [1, 0]]))
    Tensor([[1., 1.],
            [4., 3.]])
    """
    x = as_operand(input, "gather")
    dim = _dim("gather", dim, x.ndim)
    index = _index("gather", index, x, dim)
    if not index.size:  # (no entries to pick: the sizes need not fit, as in torch)
        return x.reshape(-1)[np.zeros(0, np.intp)].reshape(index.shape)
    x1, index1 = _at_least_1d(x), _at_least_1d(index)
    shape = tuple(m if d == dim else n for d, (n, m) in enumerate(zip(index1.shape, x1.shape)))
    out = ops.take_along_axis(_part(x1, shape), index1, axis=dim)
    return out if out.shape == index.shape else out.reshape(index.shape)


def take_along_dim(input, indices, dim=None):  # noqa: A002
    """PyTorch's take_along_dim: NumPy's take_along_axis with dim for axis (input and indices, of as many dimensions,
    broadcast against each other off dim); dim=None picks from input flattened at indices flattened. A negative
    index counts from the end, as NumPy's and torch's with a dim (PyTorch 2.14 refuses them for dim=None).
    Differentiable in input (the gradient scatter-adds back: an element picked twice gets both gradients).

    >>> import autograd_core as ag
    >>> ag.take_along_dim(ag.tensor([[10.0, 30.0], [20.0, 5.0]]), ag.tensor([[1], [0]]), dim=1)
    Tensor([[30.],
            [20.]])
    """
    x = as_operand(input, "take_along_dim")
    indices = indices if isinstance(indices, Tensor) else np.asarray(indices)
    if dim is None:
        x, indices, dim = x.reshape(-1), indices.reshape(-1), 0
    dim = _dim("take_along_dim", dim, x.ndim, scalar_dims=False)
    if indices.ndim != x.ndim:  # (PyTorch's RuntimeError)
        raise ops.indexing.IndexShapeError(f"take_along_dim: input and indices must have the same number of "
                                           f"dimensions, got input of shape {x.shape} and indices of shape "
                                           f"{indices.shape}")
    positions, n = as_value(indices), x.shape[dim]
    if positions.dtype.kind not in "iu":
        raise RuntimeTypeError(f"take_along_dim: indices must hold integers (dtype of indices should be Long, as "
                               f"PyTorch says), got {positions.dtype}")
    if positions.size and positions.dtype.kind in "iu" and (positions.min() < -n or positions.max() >= n):
        bad = positions.min() if positions.min() < -n else positions.max()
        raise RuntimeIndexError(f"take_along_dim: index {bad} is out of bounds for dimension {dim} with size {n} "
                                f"(indices must be in [{-n}, {n}); a negative one counts from the end)")
    return ops.take_along_axis(x, indices, axis=dim)


def _scatter_operands(owner, input, dim, index, src):
    """(x, dim, index, src) checked as torch's scatter checks them, the 0-d ones made 1-d, src cut to index's
    shape."""
    x = as_operand(input, owner)
    dim = _dim(owner, dim, x.ndim)
    index = _index(owner, index, x, dim)
    if src is not None:
        src = as_operand(src, owner)
        if index.size and (max(src.ndim, 1) != max(index.ndim, 1) or any(
                n > m for n, m in zip(index.shape or (1,), src.shape or (1,)))):
            raise InvalidArgumentError(f"{owner}: src (shape {src.shape}) must have index's number of dimensions and "
                                       f"be at least as large in each (index shape {index.shape})")
        if src.dtype != x.dtype:
            raise RuntimeTypeError(f"{owner}: src's dtype {src.dtype} must be input's ({x.dtype}), as in "
                                   f"PyTorch; cast one with .to(dtype)")
        src = _part(_at_least_1d(src), index.shape or (1,)) if index.size else src
    return _at_least_1d(x), dim, _at_least_1d(index), src


def _unchanged(x, src, shape):
    """input unchanged, as a new node, for an empty index: src in the graph too (its gradient zeros)."""
    # (the empty sum cast back: NumPy sums integers and bools in int64, which x + it would promote x to)
    out = ops.copy(x) if src is None else x + ops.astype(src.reshape(-1)[:0].sum(), x.dtype)
    return out.reshape(shape)


def scatter_add(input, dim, index, src):  # noqa: A002
    """PyTorch's scatter_add, out of place: input with src[i][j] added at [index[i][j]][j] for dim=0 (and so on),
    repeated indices accumulating. index as gather's (and at most src's size in every dimension); src has input's
    dtype. Differentiable in input and src (src's gradient gathers back).

    >>> import autograd_core as ag
    >>> ag.scatter_add(ag.zeros(3), 0, ag.tensor([0, 2, 0]), ag.tensor([1.0, 2.0, 3.0]))
    Tensor([4., 0., 2.])
    """
    x, dim, index, src = _scatter_operands("scatter_add", input, dim, index, src)
    shape = np.shape(as_value(input))
    if not index.size:
        return _unchanged(x, src, shape)
    out = x + _scatter(src, index=_positions(index, dim), shape=x.shape)
    return out if out.shape == shape else out.reshape(shape)


def scatter(input, dim, index, src=None, *, value=None, reduce=None):  # noqa: A002
    """PyTorch's scatter, out of place: input with src[i][j] (or the number value) written at [index[i][j]][j] for
    dim=0 (and so on). Where index repeats a position the last write wins (torch leaves it unspecified); only that
    src entry gets the gradient there (torch gives each writer one). reduce='add' or 'multiply' accumulates instead,
    scatter_reduce's 'sum' or 'prod' with input's entry included. Differentiable in input and src.

    >>> import autograd_core as ag
    >>> ag.scatter(ag.zeros(4), 0, ag.tensor([3, 0]), ag.tensor([1.0, 2.0]))
    Tensor([2., 0., 0., 1.])
    >>> ag.scatter(ag.ones(3), 0, ag.tensor([2, 2]), 3.0, reduce="multiply")
    Tensor([1., 1., 9.])
    """
    if isinstance(src, numbers.Number) and not isinstance(src, (Tensor, np.ndarray)):
        src, value = None, _given_once(value, src)
    if (src is None) == (value is None):
        raise TypeError("scatter: give exactly one of src (a Tensor) and value (a number)")
    if reduce is not None:
        return _scatter_reduced(input, dim, index, src, value, reduce)
    x, dim, index, src = _scatter_operands("scatter", input, dim, index, src)
    if value is not None:
        value = checked_fill_value("scatter", value, x.dtype)
    shape = np.shape(as_value(input))
    if not index.size:
        return _unchanged(x, src, shape)
    flat = np.ravel_multi_index(_positions(index, dim), x.shape).ravel()
    targets, first = np.unique(flat[::-1], return_index=True)  # each position's last write
    mask = np.zeros(x.size, bool)
    mask[targets] = True
    mask = mask.reshape(x.shape)
    if src is None:
        out = ops.where(mask, value, x)
    else:
        written = src.reshape(-1)[flat.size - 1 - first]
        out = ops.where(mask, _scatter(written, index=targets, shape=(x.size,), unique=True).reshape(x.shape), x)
    out = out if out.dtype == x.dtype else ops.astype(out, x.dtype)
    return out if out.shape == shape else out.reshape(shape)


def _scatter_reduced(input, dim, index, src, value, reduce):  # noqa: A002
    """scatter with PyTorch's reduce= ('add' or 'multiply'): scatter_reduce's 'sum' or 'prod' of src (or value at
    each index entry) with input's entry included."""
    from .torch_scatter_reduce import scatter_reduce  # (that module builds on this one)
    reductions = {"add": "sum", "multiply": "prod"}
    if not isinstance(reduce, str) or reduce not in reductions:
        raise InvalidArgumentError(f"scatter: reduce must be 'add' or 'multiply' (or None, to write), got {reduce!r}; "
                                   f"for 'sum', 'prod', 'mean', 'amax' or 'amin' use ag.scatter_reduce")
    if src is None:
        x = as_operand(input, "scatter")
        src = Tensor(np.full(np.shape(as_value(index)), checked_fill_value("scatter", value, x.dtype), x.dtype))
    _scatter_operands("scatter", input, dim, index, src)  # (its errors then name scatter)
    return scatter_reduce(input, dim, index, src, reductions[reduce])


def _given_once(value, src):
    if value is not None:
        raise TypeError(f"scatter: got both a number src={src!r} and value={value!r}; give one")
    return src


def index_select(input, dim, index):  # noqa: A002
    """PyTorch's index_select: the entries of input at index (a 1-D integer Tensor, or 0-d) along dim; the result
    has input's shape with dim's size len(index). Differentiable in input (repeated indices accumulate).

    >>> import autograd_core as ag
    >>> ag.index_select(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), 1, ag.tensor([1, 1, 0]))
    Tensor([[2., 2., 1.],
            [4., 4., 3.]])
    """
    x = as_operand(input, "index_select")
    dim = _dim("index_select", dim, x.ndim)
    index = np.array(as_value(index))  # (a copy: an index Tensor changed in place later must not move the gradient)
    if index.dtype.kind not in "iu":
        raise TypeError(f"index_select: index must be an integer Tensor or array, got dtype {index.dtype}")
    if index.ndim > 1:
        raise ValueError(f"index_select: index must be a vector (1-D, or 0-d), got shape {index.shape}")
    n = x.shape[dim] if x.ndim else 1
    if index.size and (index.min() < 0 or index.max() >= n):
        raise IndexError(f"index_select: index out of range: indices must be in [0, {n}) for dimension {dim} of "
                         f"input of shape {x.shape}, got {index.min() if index.min() < 0 else index.max()}")
    if x.ndim == 0:  # (as torch: one index, and a 0-d result)
        if index.size != 1:
            raise ValueError(f"index_select: the index into a 0-d input must hold one value, got {index.size}")
        return x.reshape(())
    return x[(slice(None),) * dim + (index.reshape(-1),)]


def select(input, dim, index):  # noqa: A002
    """PyTorch's t.select(dim, index): the slice at index along dim, that axis removed (t[:, index] for dim=1),
    index negative counting from the end; its gradient reaches that slice alone. A method only: np.select means
    another thing.

    >>> import autograd_core as ag
    >>> ag.tensor([[1.0, 2.0], [3.0, 4.0]]).select(1, 0)
    Tensor([1., 3.])
    """
    x = as_operand(input, "select")
    if x.ndim == 0:
        raise IndexError("select: input is 0-d; it needs at least one dimension")
    dim = _dim("select", dim, x.ndim, scalar_dims=False)
    index, n = _int("select", "index", index), x.shape[dim]
    if not -n <= index < n:
        raise IndexError(f"select: index {index} is out of range for dimension {dim} of size {n}; it must be in "
                         f"[{-n}, {n - 1}]")
    return x[(slice(None),) * dim + (index,)]


def masked_select(input, mask):  # noqa: A002
    """PyTorch's masked_select: the 1-D Tensor of input's elements where the boolean mask is True, both broadcast
    to their common shape first. Differentiable in input.

    >>> import autograd_core as ag
    >>> ag.masked_select(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([True, False]))
    Tensor([1., 3.])
    """
    x = as_operand(input, "masked_select")
    mask = np.array(as_value(mask))  # (a copy: a mask changed in place later must not move the gradient)
    if mask.dtype != np.bool_:
        raise RuntimeTypeError(f"masked_select: mask must be a boolean Tensor, got dtype {mask.dtype}")
    try:
        shape = np.broadcast_shapes(x.shape, mask.shape)
    except ValueError:
        raise ValueError(f"masked_select: mask of shape {mask.shape} does not broadcast with input of shape "
                         f"{x.shape}") from None
    return ops.broadcast_to(x, shape)[np.broadcast_to(mask, shape)]


# The methods that are these functions (t.gather(1, index) is ag.gather(t, 1, index)).
for _name in ("gather", "take_along_dim", "scatter_add", "scatter", "index_select", "select", "masked_select"):
    setattr(Tensor, _name, globals()[_name])
del _name
