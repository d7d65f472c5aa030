"""Finding and counting functions of NumPy on Tensors: nonzero, argwhere, flatnonzero, count_nonzero, searchsorted,
isin, unique (and PyTorch's unique_consecutive and unravel_index), bincount and histogram.

Indices and counts are integer Tensors outside any graph, as argmax's are. What is gathered from a differentiable
input stays differentiable: unique's values are picked from the input by indexing, bincount's and histogram's
weighted sums scatter-add the weights (indexing's adjoint, whose gradient gathers), and histogram's edges are computed from the input's
min and max (or given), so their gradients come from the composed operations.
"""
import builtins
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .._arguments import InvalidArgumentError, RuntimeTypeError, axis_from_dim, reduction_from_torch
from ..primitive import as_operand
from ..tensor import Tensor, as_value
from .indexing import _scatter, getitem
from .reductions import _into, cumsum as _cumsum, max as _max, min as _min, sum as _sum
from .shape import concatenate
from .selection import take


def _values(name, x):
    value = np.asarray(as_value(x))
    if value.dtype == object:
        raise TypeError(f"{name}: the input must hold numbers, got dtype object")
    return value


def _named(name, call):
    try:
        return call()
    except (ValueError, TypeError, np.exceptions.AxisError) as err:
        raise type(err)(f"{name}: {err}") from None


def nonzero(x, *, as_tuple=None, out=None):
    """The indices of the nonzero entries, one int64 Tensor per axis, as np.nonzero (and ndarray.nonzero); not
    differentiable: pick the values with x[ag.nonzero(x)]. PyTorch's as_tuple= picks its form: as_tuple=False gives
    torch.nonzero's default, one row per entry (ag.argwhere), and as_tuple=True the tuple (a 0-d x read as 1-D, as
    PyTorch's); without it, NumPy's tuple, as the call torch.nonzero(x) does not give. out= an int64 Tensor receives
    the rows (torch.nonzero(x, out=out), an empty out resized as PyTorch's).

    >>> import autograd_core as ag
    >>> ag.nonzero(ag.tensor([[0.0, 2.0], [3.0, 0.0]]))
    (Tensor([0, 1]), Tensor([1, 0]))
    >>> ag.nonzero(ag.tensor([[0.0, 2.0], [3.0, 0.0]]), as_tuple=False)
    Tensor([[0, 1],
            [1, 0]])
    """
    value = _values("nonzero", x)
    if out is not None:  # (torch.nonzero's out=: the rows, into an int64 Tensor)
        if as_tuple:
            raise InvalidArgumentError("nonzero: out= takes the rows, one per nonzero entry; as_tuple=True gives a "
                                       "tuple, which no out holds: leave out= or as_tuple=True out")
        if not isinstance(out, Tensor) or out.dtype != np.int64:
            raise InvalidArgumentError(f"nonzero: out= must be an int64 Tensor (PyTorch's scalar type Long), got "
                                       f"{getattr(out, 'dtype', type(out).__name__)}")
        from ..torch_functions import _written_into  # (imported after ops: it needs Tensor's methods)
        return _written_into(out, argwhere(value), "nonzero")
    if as_tuple is not None:
        if not isinstance(as_tuple, (bool, np.bool_)):
            raise TypeError(f"nonzero: as_tuple must be True or False (PyTorch's), got {as_tuple!r}")
        if not as_tuple:
            return argwhere(value)
        value = np.atleast_1d(value)
    if value.ndim == 0:
        raise ValueError("nonzero: calling nonzero on 0d arrays is not allowed; use ag.atleast_1d(x).nonzero() "
                         "for the old behavior")
    return tuple(Tensor._constant(i) for i in np.nonzero(value))


def argwhere(x):
    """The indices of the nonzero entries, one row each (shape (count, ndim)), as np.argwhere; an int64 Tensor, not
    differentiable.

    >>> import autograd_core as ag
    >>> ag.argwhere(ag.tensor([0.0, 5.0, 7.0]))
    Tensor([[1],
            [2]])
    """
    return Tensor._constant(np.argwhere(_values("argwhere", x)))


def flatnonzero(x):
    """The indices of the nonzero entries of x flattened, as np.flatnonzero; an int64 Tensor, not differentiable.

    >>> import autograd_core as ag
    >>> ag.flatnonzero(ag.tensor([[0.0, 2.0], [3.0, 0.0]]))
    Tensor([1, 2])
    """
    return Tensor._constant(np.flatnonzero(_values("flatnonzero", x)))


def unravel_index(indices, shape):
    """PyTorch's unravel_index (np.unravel_index's, in C order): the coordinates in shape of the flat positions
    indices, a tuple of int64 Tensors of indices' shape, not differentiable; a negative position counts from the end,
    as PyTorch's (NumPy refuses it), and one out of range is refused (PyTorch wraps it around).

    >>> import autograd_core as ag
    >>> ag.unravel_index(ag.tensor([5, -1, 1]), (2, 3))
    (Tensor([1, 1, 0]), Tensor([2, 2, 1]))
    """
    positions = np.asarray(as_value(indices))
    if positions.dtype.kind not in "iu":
        raise TypeError(f"unravel_index: expected 'indices' to be integer dtype, but got {positions.dtype}")
    if not isinstance(shape, (int, np.integer, list, tuple)) or isinstance(shape, bool):
        raise TypeError(f"unravel_index: expected 'shape' to be int or sequence of ints, got {type(shape).__name__}")
    dims = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) for n in dims):
        raise TypeError(f"unravel_index: expected 'shape' sequence to only contain ints, got {dims}")
    if any(n < 0 for n in dims):
        raise ValueError(f"unravel_index: 'shape' cannot have negative values, but got {dims}")
    size = int(np.prod(dims, dtype=np.int64))
    positions = np.where(positions < 0, positions + size, positions)
    if positions.size and (positions.min() < 0 or positions.max() >= size):
        bad = positions.min() - size if positions.min() < 0 else positions.max()
        raise ValueError(f"unravel_index: position {bad} is out of bounds for shape {dims} ({size} entries: positions "
                         f"in [{-size}, {size}))")
    return tuple(Tensor._constant(i.astype(np.int64)) for i in np.unravel_index(positions, dims))


def count_nonzero(x, axis=None, *, keepdims=False, dim=None):
    """The number of nonzero entries over axis (all for None, or a tuple), as np.count_nonzero and
    torch.count_nonzero (dim=, a list read as dims); an integer Tensor, not differentiable. Also t.count_nonzero().

    >>> import autograd_core as ag
    >>> ag.count_nonzero(ag.tensor([[0.0, 2.0], [3.0, 4.0]]), axis=1)
    Tensor([1, 2])
    >>> ag.tensor([[0.0, 2.0], [3.0, 4.0]]).count_nonzero(dim=0), ag.tensor([0.0, 2.0]).count_nonzero()
    (Tensor([1, 2]), Tensor(1))
    """
    if dim is not None or type(axis) is list:
        axis, keepdims = reduction_from_torch("count_nonzero", axis, keepdims, dim, None, ndim=np.ndim(x))
    value = _values("count_nonzero", x)
    return Tensor._constant(np.asarray(_named("count_nonzero", lambda: np.count_nonzero(value, axis=axis,
                                                                                        keepdims=keepdims))))


class HistogramError(InvalidArgumentError):
    """A histogram's bad bins or range (histc's): a ValueError, and the RuntimeError PyTorch raises."""


class SearchSortedError(InvalidArgumentError):
    """searchsorted's or bucketize's bad side, shapes or sorter: NumPy's ValueError, and PyTorch's RuntimeError."""


class SorterTypeError(RuntimeTypeError):
    """searchsorted's sorter of no integers: NumPy's TypeError, and PyTorch's RuntimeError."""


def searchsorted(a, v, side=np._NoValue, sorter=None, *, right=False, out_int32=False):
    """The indices at which v's entries would be inserted into the sorted 1-D a to keep it sorted, as
    np.searchsorted (side 'left', the default, or 'right'; sorter: the indices that sort a); an int64 Tensor, not
    differentiable. PyTorch's torch.searchsorted(sorted_sequence, values, right=, out_int32=) is taken too: right=True
    is side='right' (with side='left' given too an error, as torch's), out_int32=True gives int32, and an N-D a is
    searched row by row along its last axis, for the v of the same leading shape (NeRF's sample_pdf inverts one CDF
    per ray so); NumPy takes a 1-D a only.

    >>> import autograd_core as ag
    >>> ag.searchsorted(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([2.0, 0.5]), side="right")
    Tensor([2, 0])
    >>> ag.searchsorted(ag.tensor([[0.0, 0.5, 1.0], [0.0, 0.1, 1.0]]), ag.tensor([[0.5], [0.5]]), right=True)
    Tensor([[2],
            [2]])
    """
    value = _values("searchsorted", a)
    given, side = side is not np._NoValue, "left" if side is np._NoValue else side  # (None is refused, as NumPy's)
    side = side.decode() if isinstance(side, bytes) else side  # (NumPy's: a str, or bytes)
    if not isinstance(side, str):
        raise TypeError(f"searchsorted: side must be a str, 'left' or 'right', got {side!r}")
    if side not in ("left", "right"):
        raise SearchSortedError(f"searchsorted: side must be 'left' or 'right' (side can only be 'left' or 'right'), "
                                f"got {side!r}")
    if not isinstance(right, (bool, np.bool_)) or not isinstance(out_int32, (bool, np.bool_)):
        raise TypeError(f"searchsorted: right and out_int32 must be True or False, got {right!r} and {out_int32!r}")
    if right and given and side == "left":
        raise SearchSortedError("searchsorted: side='left' and right=True ask for opposite sides; give one of them "
                                "(right=True is side='right')")
    side = "right" if right else side
    values = np.asarray(as_value(v))
    sorter = None if sorter is None else np.asarray(as_value(sorter))
    if sorter is not None:
        _check_sorter(value, sorter)
    if value.ndim == 0 or (value.ndim > 1 and values.ndim == 0):
        raise SearchSortedError(f"searchsorted: a must be 1-D, got shape {value.shape}, to search a number or a 0-d v "
                                f"(input value can be a scalar only when boundaries tensor dimension is 1)")
    if value.ndim == 1:
        indices = _named("searchsorted", lambda: np.searchsorted(value, values, side=side, sorter=sorter))
    else:
        indices = _searched_by_row(value, values, side, sorter)
    return Tensor._constant(np.asarray(indices, np.int32 if out_int32 else np.int64))


def _searched_by_row(sorted_rows, values, side, sorter):
    """torch.searchsorted's batched form: row r of values searched in row r of sorted_rows (the last axis)."""
    leading = sorted_rows.shape[:-1]
    if sorted_rows.ndim == 0 or values.shape[:-1] != leading or values.ndim != sorted_rows.ndim:
        raise SearchSortedError(f"searchsorted: a must be 1-D, got shape {sorted_rows.shape}, or N-D with v of the "
                                f"same leading dimensions (PyTorch's batched form: the first N-1 dimensions of "
                                f"boundaries tensor and input value tensor must match), got v of shape {values.shape}")
    count = int(np.prod(leading, dtype=np.int64))  # (not -1: NumPy cannot infer it when a row is empty)
    rows = sorted_rows.reshape(count, sorted_rows.shape[-1])
    queries = values.reshape(count, values.shape[-1])
    orders = [None] * len(rows) if sorter is None else sorter.reshape(rows.shape)
    out = np.empty(queries.shape, np.int64)
    for r, (row, query, order) in enumerate(zip(rows, queries, orders)):
        out[r] = _named("searchsorted", lambda: np.searchsorted(row, query, side=side, sorter=order))
    return out.reshape(values.shape)


def _check_sorter(sorted_rows, sorter):
    """torch.searchsorted's checks of sorter: a's shape, integers, indices into a's last axis."""
    if sorter.shape != sorted_rows.shape:
        raise SearchSortedError(f"searchsorted: sorter must have a's shape {sorted_rows.shape} (boundary and sorter "
                                f"must have the same size), got {sorter.shape}")
    if sorter.dtype.kind not in "iu":
        raise SorterTypeError(f"searchsorted: sorter must hold integers (sorter must be a tensor of long dtype), got "
                              f"{sorter.dtype}")
    if sorter.size and (sorter.min() < 0 or sorter.max() >= sorted_rows.shape[-1]):
        raise SearchSortedError(f"searchsorted: sorter index out of range: its indices must be in [0, "
                                f"{sorted_rows.shape[-1]}), got {sorter.min()} to {sorter.max()}")


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's bucketize: the index of the bucket of the sorted 1-D boundaries each entry of input falls in, an
    int64 Tensor of input's shape (int32 for out_int32=True), not differentiable. right=False puts an entry equal to
    a boundary in the bucket below it (boundaries[i-1] < x <= boundaries[i]), right=True in the one above; this is
    np.searchsorted(boundaries, input, side='right' if right else 'left'), the arguments the other way round. out:
    PyTorch's (a Tensor the indices are written into and returned; see sum's).

    >>> import autograd_core as ag
    >>> ag.bucketize(ag.tensor([70, 73, 77, 79, 82]), ag.tensor([73, 76, 79]), right=True)
    Tensor([0, 1, 2, 3, 3])
    """
    if np.ndim(as_value(boundaries)) != 1:  # (searchsorted would take an N-D one as rows, torch.bucketize does not)
        raise SearchSortedError(f"bucketize: boundaries must be 1-D, got shape {np.shape(as_value(boundaries))} "
                                f"(boundaries tensor must be 1 dimension); for one sorted row per entry row, use "
                                f"ag.searchsorted(sorted_rows, values, right=)")
    buckets = searchsorted(boundaries, input, right=bool(right), out_int32=bool(out_int32))
    return buckets if out is None else _into(out, buckets, "bucketize")


def isin(elements, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Whether each entry of elements occurs in test_elements (any shape, or a number), a boolean Tensor of
    elements' shape, not differentiable; NumPy's isin (kind= too) and PyTorch's. invert=True gives the entries
    that do not occur (a recommender's unseen items); np.isin(t, ...) runs it.

    >>> import autograd_core as ag
    >>> ag.isin(ag.tensor([3, 1, 4, 1]), ag.tensor([1, 4])), ag.isin(ag.tensor([3, 1]), 3, invert=True)
    (Tensor([False,  True,  True,  True]), Tensor([False,  True]))
    """
    values, tests = _values("isin", elements), _values("isin", test_elements)
    return Tensor(_named("isin", lambda: np.isin(values, tests, assume_unique=bool(assume_unique),
                                                 invert=bool(invert), kind=kind)))


def unique(x, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True,
           sorted=True, dim=None):
    """The sorted unique values of x (flattened for axis=None, else the unique slices along axis), as np.unique,
    and on request the indices of their first occurrences, the inverse indices and the counts (int64 Tensors).
    The values are picked from x at those first occurrences, so they stay differentiable: each gets the gradient of
    the first entry equal to it. PyTorch's dim= is axis= (torch.unique(x, dim=0): the unique rows).

    >>> import autograd_core as ag
    >>> ag.unique(ag.tensor([3.0, 1.0, 3.0]), return_counts=True)
    (Tensor([1., 3.]), Tensor([1, 2]))
    >>> ag.unique(ag.tensor([[1, 2], [0, 5], [1, 2]]), dim=0)
    Tensor([[0, 5],
            [1, 2]])
    """
    axis = axis_from_dim("unique", axis, dim)
    x = as_operand(x, "unique")
    if not sorted:
        raise ValueError("unique on Tensors: sorted=False is not supported; the values come sorted")
    _, index, inverse, counts = _named("unique", lambda: np.unique(
        x.data, return_index=True, return_inverse=True, return_counts=True, axis=axis, equal_nan=equal_nan))
    picks = index
    if axis is None and not return_index:
        picks, inverse = _as_numpys(x.data, index, inverse, return_inverse, return_counts, equal_nan)
    values = take(x, picks, axis=axis) if x.ndim else take(x, picks)
    extra = [Tensor._constant(a) for a, wanted in ((index, return_index), (inverse, return_inverse),
                                                   (counts, return_counts)) if wanted]
    return (values, *extra) if extra else values


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):  # noqa: A002 (PyTorch's name)
    """PyTorch's unique_consecutive: input (flattened for dim=None, else its slices along dim) with each run of equal
    neighbours kept once, then on request the inverse indices (the run of each entry, in input's shape for dim=None)
    and the run lengths, as int64 Tensors. The kept values are picked at each run's first entry, so they stay
    differentiable. A CTC greedy decoder's collapse of repeated labels.

    >>> import autograd_core as ag
    >>> ag.unique_consecutive(ag.tensor([0, 3, 3, 0, 0, 5, 3]), return_counts=True)
    (Tensor([0, 3, 0, 5, 3]), Tensor([1, 2, 2, 1, 1]))
    """
    x = as_operand(input, "unique_consecutive")
    if dim is None:
        source, axis, rows = x.reshape(-1), 0, x.data.reshape(-1, 1)
    else:
        axis = _named("unique_consecutive", lambda: normalize_axis_index(dim, x.ndim))
        width = math.prod(x.shape[:axis] + x.shape[axis + 1:])  # (not -1: no run along an empty dim to infer it)
        source, rows = x, np.moveaxis(x.data, axis, 0).reshape(x.shape[axis], width)
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = np.any(rows[1:] != rows[:-1], axis=1)
    firsts = np.flatnonzero(starts)
    values = take(source, firsts, axis=axis)
    inverse = (np.cumsum(starts) - 1).reshape(x.shape if dim is None else -1)
    counts = np.diff(np.append(firsts, len(rows)))
    extra = [Tensor._constant(a.astype(np.int64)) for a, wanted in ((inverse, return_inverse),
                                                                     (counts, return_counts)) if wanted]
    return (values, *extra) if extra else values


def _as_numpys(data, index, inverse, return_inverse, return_counts, equal_nan):
    """index (the first occurrences) and inverse as NumPy's unique gives them without return_index: it then sorts
    unstably, so which of the equal -0.0 and 0.0 comes first in its sorted copy, and the order of NaNs that
    equal_nan=False keeps apart, are its own; only its result can say. The zero's pick is re-pointed to a zero of
    its sign, and each NaN's to the first entry its inverse sends there."""
    flat = data.reshape(-1)
    if flat.dtype.kind != "f":
        return index, inverse
    zeros, negative = flat == 0, np.signbit(flat)
    mixed = (zeros & negative).any() and (zeros & ~negative).any()
    nans = not equal_nan and return_inverse and np.count_nonzero(np.isnan(flat)) > 1
    if not (mixed or nans):
        return index, inverse
    theirs = np.unique(data, return_inverse=return_inverse, return_counts=return_counts, equal_nan=equal_nan)
    values = theirs[0] if isinstance(theirs, tuple) else theirs
    index = index.copy()
    if nans:
        inverse = theirs[1]
        first = np.unique(inverse.reshape(-1), return_index=True)[1]  # (each unique value's first entry)
        index[np.isnan(values)] = first[np.isnan(values)]
    if mixed:
        at = np.flatnonzero(values == 0)[0]
        index[at] = np.flatnonzero(zeros & (negative if np.signbit(values[at]) else ~negative))[0]
    return index, inverse


def _integers(name, x):
    value = _values(name, x)
    # (an empty list is NumPy's too, where its float64 array is not; an empty float array or Tensor is refused)
    if value.dtype.kind not in "iub" and not (isinstance(x, (list, tuple)) and not value.size):
        raise TypeError(f"{name}: x must hold non-negative integers, got dtype {value.dtype}; cast it with "
                        f".astype(np.int64)")
    if value.ndim != 1:
        raise ValueError(f"{name}: x must be 1-D, got shape {value.shape}")
    if value.size and value.min() < 0:
        raise ValueError(f"{name}: x must hold non-negative integers, got {value.min()}")
    return value.astype(np.intp)


def _weighted_counts(bins, weights, n):
    """The sum of weights[i] over the i with bins[i] == j, for j in range(n): indexing's adjoint, scatter_add
    (np.add.at, in the order of i as np.bincount sums), whose own gradient gathers, so every order holds."""
    return _scatter(weights, index=bins, shape=(n,))


def bincount(x, weights=None, minlength=0):
    """How often each value 0, 1, ... occurs in the non-negative 1-D integers x, as np.bincount (at least minlength
    bins); with weights, the sum of the weights of each value's occurrences (float64, differentiable in weights).

    >>> import autograd_core as ag
    >>> ag.bincount(ag.tensor([0, 2, 2]), weights=ag.tensor([1.0, 0.5, 0.25]))
    Tensor([1.  , 0.  , 0.75])
    """
    value = _integers("bincount", x)
    if isinstance(minlength, (bool, np.bool_)) or minlength is None:
        raise TypeError(f"bincount: minlength must be an int, got {minlength!r}")
    given = np.asarray(as_value(minlength)) if isinstance(minlength, (np.ndarray, Tensor)) else None
    if given is not None and given.ndim == 0 and given.dtype.kind in "iu":  # (NumPy's operator.index: a 0-d int)
        minlength = int(given)
    minlength = int(minlength) if isinstance(minlength, (int, np.integer)) else minlength
    if not isinstance(minlength, int):
        raise TypeError(f"bincount: minlength must be an int, got {minlength!r}")
    if minlength < 0:
        raise ValueError(f"bincount: minlength must be non-negative, got {minlength}")
    n = max(minlength, int(value.max()) + 1 if value.size else 0)
    if weights is None:
        return Tensor._constant(np.bincount(value, minlength=n))
    weights = as_operand(weights, "bincount")
    if weights.shape != value.shape:
        raise ValueError(f"bincount: weights of shape {weights.shape} must have x's shape {value.shape}")
    if weights.dtype.kind not in "biuf":
        raise TypeError(f"bincount: weights must be numbers, got dtype {weights.dtype}")
    if not value.size:  # (NumPy's bincount of nothing is int64 zeros, weights or not)
        return Tensor._constant(np.zeros(n, np.int64))
    if weights.dtype != np.float64:
        weights = weights.astype(np.float64)  # (NumPy sums the weights in float64)
    return _weighted_counts(value, weights, n)


def _edges(name, x, bins, range_):
    """histogram's bin edges: given (a Tensor or sequence), or bins equal bins over range_ (default: x's min to
    max, differentiable in x through them)."""
    if not isinstance(bins, (int, np.integer)) or isinstance(bins, (bool, np.bool_)):
        if isinstance(bins, str):
            raise ValueError(f"{name} on Tensors: bins={bins!r} (an estimator) is not supported; give a count or "
                             f"the edges")
        edges = as_operand(bins, name)
        if edges.ndim != 1 or edges.shape[0] < 2 or np.any(np.diff(edges.data) < 0):
            raise ValueError(f"{name}: bins must be a positive int or a 1-D increasing sequence of at least 2 edges, "
                             f"got shape {edges.shape}")
        return edges
    if bins < 1:
        raise ValueError(f"{name}: `bins` must be positive, when an integer (got {bins})")
    from .spacing import linspace  # (spacing builds on these modules' operations)
    dtype = np.result_type(x.dtype, np.float64) if x.dtype.kind != "f" else x.dtype
    if range_ is not None or not x.size:
        given = tuple(range_) if range_ is not None else (0, 1)
        lo, hi = (float(v) for v in given)
        if lo > hi:
            raise ValueError(f"{name}: max must be larger than min in range parameter, got range={range_!r}")
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(f"{name}: supplied range of [{lo}, {hi}] is not finite")
        # (constant edges, NumPy's own: linspace in result_type(*range, x), so a Python float keeps float32 x's
        # float32, np.float64 not; computed from the given numbers, widened by 0.5 if equal)
        if any(isinstance(v, Tensor) and v.requires_grad for v in given):
            raise TypeError(f"{name}: range holds a Tensor that requires grad, but its edges are constant numbers, so "
                            f"its gradient would be cut; give bins=ag.linspace(lo, hi, bins + 1) as the edges instead")
        first, last = (np.asarray(as_value(v)) if isinstance(v, Tensor) else v for v in given)
        dtype = np.result_type(first, last, x.dtype)
        dtype = dtype if dtype.kind == "f" else np.result_type(dtype, float)
        if first == last:
            first, last = first - 0.5, last + 0.5
        return Tensor._constant(np.linspace(first, last, bins + 1, endpoint=True, dtype=dtype))
    else:
        if not np.all(np.isfinite(x.data)):
            raise ValueError(f"{name}: autodetected range of [{x.data.min()}, {x.data.max()}] is not finite")
        source = x if x.dtype == dtype else x.astype(dtype)
        first, last = _min(source), _max(source)
    if first.data == last.data:  # NumPy widens an empty range by 0.5 on each side
        first, last = first - 0.5, last + 0.5
    return linspace(first, last, bins + 1, endpoint=True)


_BLOCK = 65536  # (NumPy's histogram sums the weights in blocks of this many)


def _uniform_weighted(x, weights, e):
    """NumPy's weighted counts of equal bins: each block's weights scatter-added in float64 (np.bincount's), rounded
    to the weights' dtype and added up."""
    bin_of = np.searchsorted(e, x, side="right") - 1
    bin_of[x == e[-1]] = e.shape[0] - 2  # the last bin holds its right edge
    inside = (bin_of >= 0) & (bin_of < e.shape[0] - 1)
    counts = None
    for start in builtins.range(0, max(x.shape[0], 1), _BLOCK):
        block = np.zeros(x.shape, bool)
        block[start:start + _BLOCK] = True
        block &= inside
        part = _weighted_counts(bin_of[block], getitem(weights, block).astype(np.float64), e.shape[0] - 1)
        part = part.astype(weights.dtype) if weights.dtype != np.float64 else part
        counts = part if counts is None else counts + part
    return counts


def _edges_weighted(x, weights, e):
    """NumPy's weighted counts of given edges: per block, the running sums of the weights in x's order (np.argsort's),
    read at each edge, summed over the blocks and differenced."""
    total = None
    for start in builtins.range(0, max(x.shape[0], 1), _BLOCK):
        a = x[start:start + _BLOCK]
        order = np.argsort(a)
        running = _cumsum(getitem(weights[start:start + _BLOCK], order))
        running = concatenate((Tensor._constant(np.zeros(1, weights.dtype)), running))
        at = np.concatenate((a[order].searchsorted(e[:-1], "left"), a[order].searchsorted(e[-1:], "right")))
        part = getitem(running, at)
        total = part if total is None else total + part
    return total[1:] - total[:-1]


def histogram(x, bins=10, range=None, density=None, weights=None, *, weight=None):
    """The histogram of x (flattened), as np.histogram: (counts, edges). bins: a count of equal bins over range
    (default: x's min to max) or the edges; each bin is half-open but the last, which holds its right edge. The
    counts are int64 constants; with weights, their sums (differentiable in weights); with density, divided by
    the total and the bin widths (differentiable in the edges too). The edges follow x's min and max, so their
    gradient reaches x there. weight= is torch.histogram's name for weights= (its counts are floats, here int64
    without weights, as NumPy's).

    >>> import autograd_core as ag
    >>> counts, edges = ag.histogram(ag.tensor([0.0, 1.0, 1.0, 3.0]), bins=3)
    >>> counts, edges
    (Tensor([1, 2, 1]), Tensor([0., 1., 2., 3.]))
    """
    if weight is not None:  # (torch.histogram's name)
        if weights is not None:
            raise TypeError("histogram: got both weights= and weight=, which name the same thing (weight= is "
                            "PyTorch's name); give one")
        weights = weight
    x = as_operand(x, "histogram")
    x = x.reshape(-1)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"histogram: x must hold numbers, got dtype {x.dtype}")
    if not isinstance(bins, str) and np.ndim(as_value(bins)) == 0:  # a count: NumPy's operator.index(bins)
        count = np.asarray(as_value(bins))
        if count.dtype.kind not in "iu":
            raise TypeError(f"histogram: `bins` must be an integer (a count), a string or an array (the edges), got "
                            f"{bins!r}")
        bins = int(count)
    edges = _edges("histogram", x, bins, range)
    e = edges.data
    if weights is None:
        counts, _ = np.histogram(x.data, bins=e)
        counts = Tensor._constant(counts)
    else:
        weights = as_operand(weights, "histogram").reshape(-1)
        if weights.shape != x.shape:
            raise ValueError(f"histogram: weights should have the same shape as x, got {weights.shape} and "
                             f"{x.shape}")
        if weights.dtype.kind != "f":  # (nothing to differentiate: NumPy's sums)
            counts = Tensor._constant(np.histogram(x.data, bins=e, weights=weights.data)[0])
        elif isinstance(bins, (int, np.integer)):
            counts = _uniform_weighted(x.data, weights, e)
        else:
            counts = _edges_weighted(x.data, weights, e)
    if density:
        widths = edges[1:] - edges[:-1]
        widths = widths if widths.dtype == np.float64 else widths.astype(np.float64)  # (NumPy's: float64)
        counts = counts.astype(np.float64) if counts.dtype.kind != "f" else counts
        return counts / widths / _sum(counts), edges
    return counts, edges


def histogramdd(input, bins=10, range=None, weight=None, density=False, *, weights=None):  # noqa: A002
    """The D-dimensional histogram of the points in input's rows (N x D, or torch's (..., D): the last axis holds
    each point's coordinates), as np.histogramdd and torch.histogramdd: (counts, edges), edges one 1-D Tensor per
    dimension. bins: one count for every dimension, one per dimension, or the edges per dimension; range: NumPy's
    (min, max) pair per dimension or torch's flat [min0, max0, min1, max1, ...]; weight= (torch's name) or weights=;
    density divides by the total and the bin volumes. The counts are float64, as NumPy's (torch's: input's dtype),
    constants: not differentiable, as torch's.

    >>> import autograd_core as ag
    >>> counts, edges = ag.histogramdd(ag.tensor([[0.0, 0.0], [1.0, 1.0], [1.0, 0.5]]), bins=2)
    >>> counts
    Tensor([[1., 0.],
            [0., 2.]])
    """
    if weight is not None:
        if weights is not None:
            raise TypeError("histogramdd: got both weights= and weight=, which name the same thing (weight= is "
                            "PyTorch's name); give one")
        weights = weight
    x = as_operand(input, "histogramdd")
    if x.ndim < 1 or x.dtype.kind not in "biuf":
        raise TypeError(f"histogramdd: input must hold numbers in at least 1 dimension (..., D), got shape "
                        f"{x.shape} of dtype {x.dtype}")
    d = x.shape[-1] if x.ndim > 1 else 1
    points = x.data.reshape(-1, d)
    if isinstance(bins, (list, tuple)) and len(bins) != d:
        raise ValueError(f"histogramdd: {len(bins)} bins given for points of {d} dimensions (input {x.shape}); give "
                         f"one count for all, or one count or edge array per dimension")
    bins = [as_value(b) if isinstance(b, Tensor) else b for b in bins] if isinstance(bins, (list, tuple)) else bins
    if range is not None:
        flat = [float(v) for v in np.asarray(range, np.float64).reshape(-1)]
        if len(flat) != 2 * d:
            raise ValueError(f"histogramdd: range needs a (min, max) pair per dimension ({2 * d} numbers for {d} "
                             f"dimensions), got {range!r}")
        range = [tuple(flat[2 * i:2 * i + 2]) for i in builtins.range(d)]
    if weights is not None:
        weights = as_value(as_operand(weights, "histogramdd")).reshape(-1)
        if weights.shape[0] != points.shape[0]:
            raise ValueError(f"histogramdd: weight must have one entry per point ({points.shape[0]} points in input "
                             f"{x.shape}), got {weights.shape[0]}")
    try:
        counts, edges = np.histogramdd(points, bins=bins, range=range, density=bool(density), weights=weights)
    except ValueError as err:
        raise ValueError(f"histogramdd: {err}") from None
    return Tensor._constant(counts), [Tensor._constant(e) for e in edges]


# ndarray's methods of the same names and meanings (t.nonzero(), t.searchsorted(v, side, sorter)), and PyTorch's
# t.count_nonzero(dim=None)
Tensor.nonzero = nonzero
Tensor.count_nonzero = count_nonzero
Tensor.bincount = bincount  # (torch's t.bincount(weights, minlength))
Tensor.searchsorted = searchsorted
