"""PyTorch's functions for code ported from it: cat (and concat), pow, mul, matmul and clamp (with out=), gather,
take_along_dim, scatter, scatter_add, index_select, the method select, masked_select, topk, mm, bmm,
isnan/isinf/isfinite, isclose/allclose, all/any, from_numpy, as_tensor, norm, numel, is_tensor (torch_in_place.py has
the in-place scatter_ and scatter_add_; torch_random.py PyTorch's random functions; torch_from_data.py asarray and
frombuffer).

Each is an alias or a short composition of the engine's recorded operations (take_along_axis, getitem, indexing's
scatter_add primitive, where, matmul), so gradients, to any order, come from them; the checks and errors are
PyTorch's (gather's index shape rules, mm's and bmm's strict shapes). The methods that are these functions (t.gather,
t.topk, ...) are set on Tensor at the end. Names whose NumPy meaning differs from PyTorch's keep NumPy's (ag.equal
is not torch.equal: np.equal compares elementwise).
"""
import collections
import numbers

import numpy as np

from . import ops
from ._arguments import (InvalidArgumentError, RuntimeIndexError, RuntimeTypeError, check_device, checked_fill_value,
                         int_from_tensor)
from .ops.indexing import _scatter
from .ops.reductions import EmptyReductionError
from .primitive import as_operand
from .tensor import Tensor, as_value

pow = ops.power  # noqa: A001 (torch.pow is np.power)
isnan, isinf, isfinite = ops.isnan, ops.isinf, ops.isfinite


def cat(tensors, dim=0, *, axis=None, out=None):
    """PyTorch's cat: the Tensors joined along dim (ag.concatenate(tensors, axis=dim); axis= is its other name). As
    PyTorch's, an empty 1-D Tensor among Tensors of other ranks is skipped (its dtype still counts). out= as
    matmul's.

    >>> import autograd_core as ag
    >>> ag.cat([ag.zeros((2, 3)), ag.ones((1, 3))]).shape
    (3, 3)
    """
    if axis is not None:
        if dim != 0:
            raise TypeError(f"cat: got both dim={dim!r} and axis={axis!r}, which name the same thing; give one")
        dim = axis
    if out is not None:
        return _written_into(out, cat(tensors, dim), "cat")
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"cat: dim must be an int, got {dim!r} (NumPy's axis=None, which flattens, is "
                        f"ag.concatenate's)")
    tensors = list(tensors) if isinstance(tensors, (list, tuple)) else tensors
    if isinstance(tensors, list) and tensors and all(np.shape(as_value(t)) == (0,) for t in tensors):
        return ops.concatenate(tensors, axis=0)  # (only empty 1-D Tensors, skipped along any dim: an empty one)
    if isinstance(tensors, list) and any(np.shape(as_value(t)) == (0,) for t in tensors) and any(
            np.ndim(as_value(t)) != 1 for t in tensors):  # (PyTorch skips an empty 1-D Tensor: cat([empty, x]))
        dtype = np.result_type(*(as_value(t) for t in tensors))
        out = ops.concatenate([t for t in tensors if np.shape(as_value(t)) != (0,)], axis=dim)
        return out if out.dtype == dtype else ops.astype(out, dtype)
    return ops.concatenate(tensors, axis=dim)


concat = cat  # (torch.concat, cat's alias; NumPy 2's np.concat takes the same tensors and axis=)


def mul(input, other, *, out=None):  # noqa: A002
    """PyTorch's mul: input * other (np.multiply); out= as matmul's.

    >>> import autograd_core as ag
    >>> z = ag.zeros(2)
    >>> ag.mul(ag.tensor([1.0, 2.0]), 3, out=z), z
    (Tensor([3., 6.]), Tensor([3., 6.]))
    """
    product = ops.multiply(input, other)
    return product if out is None else _written_into(out, product, "mul")


def matmul(input, other, *, out=None):  # noqa: A002
    """a @ b with np.matmul's rules (the engine's matmul), and PyTorch's out=: a Tensor of the product's shape that
    receives the values in place and is returned; refused when the product would be recorded (PyTorch's out= does
    not support autograd either: use the returned product).

    >>> import autograd_core as ag
    >>> y = ag.zeros((2, 2))
    >>> ag.matmul(ag.ones((2, 3)), ag.ones((3, 2)), out=y), y
    (Tensor([[3., 3.],
            [3., 3.]]), Tensor([[3., 3.],
            [3., 3.]]))
    """
    product = ops.matmul(input, other)
    return product if out is None else _written_into(out, product, "matmul")


def _written_into(out, result, owner, dtype=None):
    """result's values written into out (as out[...] = result, so in out's dtype), which is returned: PyTorch's out=.
    An empty out takes the result's shape first, as PyTorch resizes it (`torch.sum(x, 1, out=torch.tensor(()))`);
    a dtype= other than out's is refused, as PyTorch's."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{owner}: out= must be a Tensor, got {type(out).__name__}")
    if dtype is not None and np.dtype(dtype) != out.dtype:
        raise OutDtypeError(f"{owner}: dtype={np.dtype(dtype)} differs from out's dtype {out.dtype}; give one of them "
                            f"(the result takes out's dtype)")
    result = as_operand(result, owner)
    if result.requires_grad:
        raise RuntimeError(f"{owner}: out= does not support automatic differentiation (an input requires grad), as "
                           f"in PyTorch; use the returned result ({owner} without out=), or call it under ag.no_grad()")
    if out.size == 0 and out.shape != result.shape:
        out.resize_(result.shape)
    if out.shape != result.shape:
        raise ValueError(f"{owner}: out= has shape {out.shape}, the result has shape {result.shape}; give an out of "
                         f"that shape")
    out[...] = result
    return out


class OutDtypeError(TypeError, RuntimeError):
    """out= with a dtype= that differs from out's: a TypeError, and PyTorch's RuntimeError."""


def clamp(input, min=None, max=None, *, out=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's clamp: values limited to [min, max], either bound a number or a Tensor (one may be None), as
    ag.clip: at a number bound the value gets no gradient, Tensor bounds share it at ties (see ag.clip). out= as
    matmul's (torch.clamp(g, -5, 5, out=g) clips a gradient in place).

    >>> import autograd_core as ag
    >>> ag.clamp(ag.tensor([-2.0, 0.5, 3.0]), min=0.0, max=1.0)
    Tensor([0. , 0.5, 1. ])
    """
    if min is None and max is None:
        raise InvalidArgumentError("clamp: at least one of 'min' or 'max' must not be None (give a bound)")
    clamped = ops.clip(input, min=min, max=max)
    return clamped if out is None else _written_into(out, clamped, "clamp")


def clamp_min(input, min):  # noqa: A002
    """PyTorch's clamp_min: clamp(input, min=min).

    >>> import autograd_core as ag
    >>> ag.clamp_min(ag.tensor([-1.0, 2.0]), 0.0)
    Tensor([0., 2.])
    """
    return clamp(input, min=min)


def clamp_max(input, max):  # noqa: A002
    """PyTorch's clamp_max: clamp(input, max=max).

    >>> import autograd_core as ag
    >>> ag.clamp_max(ag.tensor([-1.0, 2.0]), 0.0)
    Tensor([-1.,  0.])
    """
    return clamp(input, max=max)


# ---- gather and scatter: torch's index rules ----
def _int(owner, name, value):
    """value as an int (a 0-d integer Tensor too, as PyTorch takes one), else a TypeError naming owner's name."""
    value = int_from_tensor(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{owner}: {name} must be an int, got {value!r}")
    return int(value)


def _dim(owner, dim, ndim, scalar_dims=True):
    """dim in [0, ndim), from [-ndim, ndim); with scalar_dims a 0-d Tensor has dim 0 or -1, as PyTorch's gather."""
    dim = _int(owner, "dim", dim)
    bound = max(ndim, 1) if scalar_dims else ndim
    if not -bound <= dim < bound:
        valid = f"valid dims are in [{-bound}, {bound})" if bound else "a 0-d Tensor has no dims"
        raise IndexError(f"{owner}: dim {dim} is out of range for a Tensor of {ndim} dimensions; {valid}")
    return dim % bound


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
    broadcast against each other off dim); dim=None picks from input flattened at indices flattened. Differentiable
    in input (the gradient scatter-adds back: an element picked twice gets both gradients).

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
    if positions.size and positions.dtype.kind in "iu" and (positions.min() < 0 or positions.max() >= n):
        bad = positions.min() if positions.min() < 0 else positions.max()
        raise RuntimeIndexError(f"take_along_dim: index {bad} is out of bounds for dimension {dim} with size {n} "
                                f"(indices must be in [0, {n}); negative ones are refused, as by PyTorch)")
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


topk_result = collections.namedtuple("topk", ["values", "indices"])
topk_result.__doc__ = "topk's result, as torch.return_types.topk: (values, indices)."


def topk(input, k, dim=-1, largest=True, sorted=True):  # noqa: A002
    """PyTorch's topk: the k largest (largest=False: smallest) entries along dim and their indices, as a named
    pair (values, indices). NaN counts as the largest value, as in torch. The values are sorted (also for
    sorted=False, where torch leaves the order open); among equal values the lower index comes first (torch's
    choice among ties is its sorting algorithm's). Differentiable in the values.

    >>> import autograd_core as ag
    >>> ag.topk(ag.tensor([1.0, 5.0, 3.0]), 2)
    topk(values=Tensor([5., 3.]), indices=Tensor([1, 2]))
    """
    x = as_operand(input, "topk")
    dim, k = _dim("topk", dim, x.ndim), int_from_tensor(k)
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"topk: k must be an int, got {k!r}")
    n = x.shape[dim] if x.ndim else 1
    if not 0 <= k <= n:
        raise InvalidArgumentError(f"topk: k={k} is out of range for dimension {dim} of size {n}; k must be in "
                                   f"[0, {n}]")
    values = x.data if x.ndim else x.data.reshape(1)
    if 0 < k < n and values.size >= _PARTITION_FROM and not (values.dtype.kind in "fc" and np.isnan(values).any()):
        indices = _top_k_indices(values, k, dim, largest)
    else:
        if largest:  # descending, NaN first, ties by lower index
            order = ops.argsort(values, axis=dim, descending=True).data
        else:
            order = np.argsort(values, axis=dim, kind="stable")  # (NaN last)
        indices = np.take(order, np.arange(k), axis=dim).astype(np.int64)
    if x.ndim == 0:  # (torch gives the value itself for k = 0 too)
        return topk_result(x.reshape(()), Tensor(np.int64(0)))
    return topk_result(ops.take_along_axis(x, indices, axis=dim), Tensor(indices))


_PARTITION_FROM = 4096  # elements: below, one full sort costs less than the partition path's fixed steps


def _top_k_indices(values, k, axis, largest):
    """topk's indices for 0 < k < n and no NaN, in the order of a full stable sort (ties by lower index) without
    sorting whole rows: a partition finds each row's k-th value, the entries beyond it and the lowest-indexed ties
    at it make up the k, and only those k are sorted (DGCNN's k nearest of 1024 points: about 3 times faster).

    >>> import numpy as np
    >>> from autograd_core.torch_functions import _top_k_indices
    >>> _top_k_indices(np.array([[1.0, 3.0, 3.0, 2.0]]), 2, -1, True)
    array([[1, 2]])
    """
    rows = np.moveaxis(values, axis, -1)
    n = rows.shape[-1]
    kth = n - k if largest else k - 1
    threshold = np.partition(rows, kth, axis=-1)[..., kth:kth + 1]
    beyond = rows > threshold if largest else rows < threshold
    tied = rows == threshold
    room = k - beyond.sum(-1, keepdims=True)
    if (tied.sum(-1, keepdims=True) > room).any():  # keep the lowest-indexed ties that fit
        tied &= np.cumsum(tied, -1) <= room
    chosen = np.nonzero((beyond | tied).reshape(-1, n))[1].reshape(rows.shape[:-1] + (k,))  # k per row, by index
    picked = np.take_along_axis(rows, chosen, -1)
    if largest:  # stably descending, tied entries in index order: the reversed values sorted, read backwards
        order = k - 1 - np.argsort(picked[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    else:
        order = np.argsort(picked, axis=-1, kind="stable")
    return np.moveaxis(np.take_along_axis(chosen, order, -1), -1, axis).astype(np.int64)

kthvalue_result = collections.namedtuple("kthvalue", ["values", "indices"])
kthvalue_result.__doc__ = "kthvalue's result, as torch.return_types.kthvalue: (values, indices)."


def kthvalue(input, k, dim=-1, keepdim=False):  # noqa: A002
    """PyTorch's kthvalue: the k-th smallest entry along dim (k from 1) and its index, as a named pair (values,
    indices); keepdim keeps dim with size 1. NaN counts as the largest value, as in torch; among equal values the
    lower index is taken (torch's choice among ties is its selection algorithm's). Differentiable in the values.

    >>> import autograd_core as ag
    >>> ag.kthvalue(ag.tensor([[3.0, 1.0, 2.0], [4.0, 0.0, 5.0]]), 2)
    kthvalue(values=Tensor([2., 4.]), indices=Tensor([2, 0]))
    """
    x = as_operand(input, "kthvalue")
    dim, k = _dim("kthvalue", dim, x.ndim), _int("kthvalue", "k", k)
    n = x.shape[dim] if x.ndim else 1
    if n == 0:
        raise EmptyReductionError(f"kthvalue: Expected reduction dim {dim} to have non-zero size (input shape "
                                  f"{x.shape})")
    if not 1 <= k <= n:
        raise InvalidArgumentError(f"kthvalue: k={k} is out of range for dimension {dim} of size {n}; k must be in "
                                   f"[1, {n}]")
    values, indices = topk(x, k, dim, largest=False)
    if x.ndim == 0:
        return kthvalue_result(values, indices)
    values, indices = (ops.take(t, [k - 1] if keepdim else k - 1, axis=dim) for t in (values, indices))
    return kthvalue_result(values, indices)


def mm(input, mat2):  # noqa: A002
    """PyTorch's mm: the product of two matrices (2-D only, of one dtype: no broadcasting, as torch's).

    >>> import autograd_core as ag
    >>> ag.mm(ag.ones((2, 3)), ag.ones((3, 4))).shape
    (2, 4)
    """
    return _product("mm", input, mat2, (2, 2), "two matrices (2-D)", "use matmul (@) to broadcast or for vectors, bmm "
                    "for batches", "the first's columns must equal the second's rows")


def bmm(input, mat2):  # noqa: A002
    """PyTorch's bmm: batches of matrix products, (b, n, m) @ (b, m, p) -> (b, n, p), 3-D only and the same batch
    size (no broadcasting, as torch's), of one dtype.

    >>> import autograd_core as ag
    >>> ag.bmm(ag.ones((5, 2, 3)), ag.ones((5, 3, 4))).shape
    (5, 2, 4)
    """
    return _product("bmm", input, mat2, (3, 3), "two batches of matrices (3-D)", "use matmul (@) to broadcast",
                    "the same batch size, and the second's rows equal to the first's columns")


def _product(owner, input, other, ndims, expects, advice, need):  # noqa: A002
    """input @ other for PyTorch's mm, bmm and mv: operands of exactly ndims dimensions, their shapes matching with
    no broadcasting, of one dtype, as torch's; owner names the function in the errors."""
    a, b = as_operand(input, owner), as_operand(other, owner)
    if (a.ndim, b.ndim) != ndims:
        raise InvalidArgumentError(f"{owner}: expects {expects}, got shapes {a.shape} and {b.shape}; {advice}")
    inner = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if a.shape[-1] != inner or a.shape[:-2] != b.shape[:-2]:
        raise InvalidArgumentError(f"{owner}: shapes {a.shape} and {b.shape} cannot be multiplied: {need}")
    _same_dtype(owner, a, b)
    return ops.matmul(a, b)


def _same_dtype(owner, a, b):
    if a.dtype != b.dtype:
        # the usual source in ported code: NumPy 2 promotes float32 * np.float64 scalar to float64, PyTorch does not
        hint = ("; a float32 Tensor times a NumPy float64 scalar (w * np.sqrt(2.0 / n)) is float64, as in NumPy, "
                "where PyTorch keeps float32: multiply by float(...) instead"
                if {a.dtype, b.dtype} == {np.dtype(np.float32), np.dtype(np.float64)} else "")
        raise TypeError(f"{owner}: expects both operands of one dtype, as PyTorch, got {a.dtype} and {b.dtype}; cast "
                        f"one with .to(dtype){hint}")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    """np.isclose (torch.isclose, the same defaults) as a boolean Tensor (not differentiable).

    >>> import autograd_core as ag
    >>> ag.isclose(ag.tensor([1.0, 2.0]), ag.tensor([1.0 + 1e-9, 2.1]))
    Tensor([ True, False])
    """
    a, b = _close_operands("isclose", input, other, rtol, atol)
    return Tensor._constant(np.asarray(np.isclose(a, b, rtol, atol, equal_nan)))


def _close_operands(owner, input, other, rtol, atol):  # noqa: A002
    """The values of input and other, checked as PyTorch checks them: tolerances at least 0, shapes that
    broadcast."""
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if isinstance(tolerance, (bool, np.bool_)) or not isinstance(tolerance, numbers.Real):
            raise TypeError(f"{owner}: {name} must be a number, got {tolerance!r}")
        if not tolerance >= 0:
            raise ValueError(f"{owner}: {name} must be greater than or equal to zero, got {tolerance!r}")
    a, b = as_value(input), as_value(other)
    try:
        np.broadcast_shapes(np.shape(a), np.shape(b))
    except ValueError:
        raise ValueError(f"{owner}: the shapes {np.shape(a)} and {np.shape(b)} do not broadcast together") from None
    return a, b


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    """np.allclose (torch.allclose, the same defaults): a Python bool.

    >>> import autograd_core as ag
    >>> ag.allclose(ag.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-9])
    True
    """
    a, b = _close_operands("allclose", input, other, rtol, atol)
    return bool(np.allclose(a, b, rtol, atol, equal_nan))


def _all_of(input, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):  # noqa: A002
    """torch.all (ag.all): whether every entry is true (nonzero), as t.all(): a boolean Tensor, not differentiable;
    dim and keepdim are PyTorch's names for axis and keepdims, out= PyTorch's (a bool or uint8 Tensor, as there).
    Named _all_of here and served as ag.all by the package's __getattr__, so that `from autograd_core import *`
    leaves Python's all alone.

    >>> import autograd_core as ag
    >>> ag.all(ag.tensor([1.0, 2.0]) == ag.tensor([1.0, 2.0])).item()
    True
    >>> ag.all(ag.tensor([[1, 0], [1, 1]]), dim=1)
    Tensor([False,  True])
    """
    return _truth_into(out, Tensor.all(as_operand(input, "all"), axis, keepdims, dim=dim, keepdim=keepdim), "all")


def _any_of(input, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):  # noqa: A002
    """torch.any (ag.any): whether some entry is true (nonzero), as t.any(); served as ag.any as _all_of is as ag.all
    (out= as its).

    >>> import autograd_core as ag
    >>> ag.any(ag.tensor([0.0, 2.0]) > 1).item()
    True
    """
    return _truth_into(out, Tensor.any(as_operand(input, "any"), axis, keepdims, dim=dim, keepdim=keepdim), "any")


def _truth_into(out, result, owner):
    """all's or any's out=: result written into a bool or uint8 out (PyTorch refuses any other dtype)."""
    if out is None:
        return result
    if isinstance(out, Tensor) and out.dtype not in (np.bool_, np.uint8):
        raise OutDtypeError(f"{owner}: {owner} only supports bool tensor for result, got {out.dtype} (out= must be a "
                            f"bool or uint8 Tensor, as PyTorch's)")
    return _written_into(out, result, owner)


def numel(input):  # noqa: A002
    """PyTorch's numel: the number of elements (an int).

    >>> import autograd_core as ag
    >>> ag.numel(ag.zeros((2, 3)))
    6
    """
    return int(np.size(as_value(input)))


def is_tensor(obj):
    """PyTorch's is_tensor: whether obj is a Tensor (an ndarray or a number is not; torchdiffeq asserts it of t).

    >>> import autograd_core as ag
    >>> ag.is_tensor(ag.tensor([1.0])), ag.is_tensor([1.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


def _assert(condition, message):
    """PyTorch's torch._assert, the assert that TorchScript can compile (torchvision's models and detection code
    check shapes and arguments with it): an AssertionError with message when condition is false (a one-element
    Tensor counts by its value). Private, as torch's, so star imports leave it out.

    >>> import autograd_core as ag
    >>> ag._assert(ag.tensor(2.0) > 1, "must be above 1")
    >>> ag._assert(1 > 2, "1 is not above 2")
    Traceback (most recent call last):
    ...
    AssertionError: 1 is not above 2
    """
    assert condition, message


def from_numpy(ndarray):
    """PyTorch's from_numpy: a Tensor sharing ndarray's memory (a change to either shows in the other; NumPy's
    writes are not counted as versions, as PyTorch does not see them either). ndarray must be a NumPy array of
    bool, integer or float dtype. A Tensor that needs no gradient is taken as its array: NumPy's functions give a
    Tensor here where PyTorch's code gets an array (np.meshgrid(np.linspace(x.min(), x.max(), 101), ...)).

    >>> import numpy as np, autograd_core as ag
    >>> a = np.zeros(2)
    >>> t = ag.from_numpy(a)
    >>> a[0] = 5.0
    >>> t
    Tensor([5., 0.])
    >>> ag.from_numpy(np.linspace(ag.tensor(0.0), 1.0, 3))
    Tensor([0. , 0.5, 1. ])
    """
    if isinstance(ndarray, Tensor):
        if ndarray.requires_grad:
            raise TypeError(f"from_numpy: expects a numpy.ndarray, got a Tensor that requires grad (shape "
                            f"{ndarray.shape}); its array would be cut from the graph: use it as it is, or detach() it")
        ndarray = ndarray._data
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy: expects a numpy.ndarray, got {type(ndarray).__name__}; use ag.tensor to copy "
                        f"other data")
    if ndarray.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: unsupported dtype {ndarray.dtype}; a Tensor holds bool, integer or float values")
    if any(step % ndarray.itemsize for step in ndarray.strides):
        raise ValueError(f"from_numpy: the array's strides {ndarray.strides} (bytes) are not a multiple of its element "
                         f"size {ndarray.itemsize}, as PyTorch refuses (its stride() and storage() count elements); "
                         f"pass a copy, ndarray.copy()")
    return Tensor._constant(ndarray)


def as_tensor(data, dtype=None, device=None):
    """PyTorch's as_tensor: data itself when it is a Tensor of that dtype (cast otherwise, keeping the graph), an
    array of that dtype without a copy (as from_numpy), else a new Tensor (ag.tensor(data, dtype=dtype)). Only
    the CPU device exists.

    >>> import numpy as np, autograd_core as ag
    >>> a = np.ones(2)
    >>> ag.as_tensor(a).data is a, ag.as_tensor([1, 2], dtype=np.float32)
    (True, Tensor([1., 2.], dtype=float32))
    """
    from .torch_names import _numpy_dtype
    check_device(device, "as_tensor")
    dtype = None if dtype is None else _numpy_dtype("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype == data.dtype else ops.astype(data, dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype == data.dtype) and data.dtype.kind in "biuf":
        return from_numpy(data)
    return Tensor(data, dtype=dtype)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None, *, out=None):
    """PyTorch's norm: input.norm(p, dim, keepdim, dtype), the p-norm of the entries over dim (None: all of them as
    one vector); ag.linalg.norm is NumPy's (ord=, axis=, matrix norms for 2-D input). out= as matmul's.

    >>> import autograd_core as ag
    >>> ag.norm(ag.tensor([[3.0, 4.0], [0.0, 0.0]]))
    Tensor(5.)
    """
    if not isinstance(input, Tensor):
        input = Tensor(input)
    result = input.norm(p, dim, keepdim, dtype)
    return result if out is None else _written_into(out, result, "norm")


# The methods that are these functions (t.gather(1, index) is ag.gather(t, 1, index)).
for _name in ("pow", "clamp", "clamp_min", "clamp_max", "gather", "take_along_dim", "scatter_add", "scatter",
              "index_select", "select", "masked_select", "topk", "kthvalue", "mm", "bmm", "isnan", "isinf", "isfinite",
              "isclose", "allclose"):
    setattr(Tensor, _name, globals()[_name])
del _name
