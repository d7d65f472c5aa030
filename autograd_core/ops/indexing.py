"""Indexing: getitem (x[index], NumPy's semantics) and take_along_axis (torch.gather), whose gradients scatter-add
back, so repeated indices accumulate; scatter_add is itself a primitive, the adjoint of indexing and indexing its
adjoint, so every order of derivative holds.
"""
import operator

import numpy as np

from .._arguments import InvalidArgumentError
from ..primitive import Primitive, ViewPrimitive
from ..tensor import Tensor, as_value, saved_value

_BASIC = (slice, int, np.integer, np.bool_, type(None), type(Ellipsis))


def _selects_once(index):
    """True for an index of slices, integers, None, Ellipsis and boolean masks: it never selects an element
    twice. Anything else (an integer array, or a sequence NumPy reads as one) may, so its gradient must
    accumulate."""
    for i in index if type(index) is tuple else (index,):
        if not (isinstance(i, _BASIC) or isinstance(i, np.ndarray) and i.dtype == bool):
            return False
    return True


def _add_rows(out, rows, g, axis=0):
    """out[rows] += g along axis for an integer array of rows (any shape on axis 0; 1-D on another axis): summing
    each row's gradients after a stable sort (none when rows are sorted, as an interpolation's are) is 1.4-4x faster
    than np.add.at once g has 8,192 elements in rows of 4 or more (an embedding's lookup), and about 10x on a later
    axis."""
    n = out.shape[axis]
    rows = rows.ravel().astype(np.intp, copy=False)  # (n may not fit an int8 index's own dtype)
    rows = np.where(rows < 0, rows + n, rows)
    g = g.reshape(out.shape[:axis] + (-1,) + out.shape[axis + 1:])
    if np.any(rows[1:] < rows[:-1]):
        order = np.argsort(rows, kind="stable")
        rows, g = rows[order], np.take(g, order, axis=axis)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    lead = (slice(None),) * axis
    runs = np.diff(np.r_[starts, len(rows)])
    if axis == 0 or runs.max() > _FEW_REPEATS:
        out[lead + (rows[starts],)] = np.add.reduceat(g, starts, axis=axis)
        return
    # Along a later axis reduceat is slow (a strided loop per run): add the k-th entry of every run in turn instead,
    # each pass a gather and an add at distinct rows (an interpolation repeats a row 2-4 times)
    out[lead + (rows[starts],)] = np.take(g, starts, axis=axis)
    for k in range(1, runs.max()):
        picked = starts[runs > k] + k
        out[lead + (rows[picked],)] += np.take(g, picked, axis=axis)


_FEW_REPEATS = 8


def _rows_on_one_axis(index, ndim):
    """(axis, rows) when index picks a 1-D integer array of rows on one axis and all of every other (x[..., rows],
    x[:, rows]), else None."""
    if type(index) is not tuple:
        return None
    entries = list(index)
    if any(i is Ellipsis for i in entries):
        at = next(k for k, i in enumerate(entries) if i is Ellipsis)
        entries[at:at + 1] = [slice(None)] * (ndim - len(entries) + 1)
    arrays = [k for k, i in enumerate(entries) if type(i) is np.ndarray]
    if len(entries) > ndim or len(arrays) != 1:
        return None
    axis, rows = arrays[0], entries[arrays[0]]
    if rows.ndim != 1 or rows.dtype.kind not in "iu" or any(
            type(i) is not slice or i != slice(None) for k, i in enumerate(entries) if k != axis):
        return None
    return axis, rows


def _scatter_add(g, index, shape, unique=False):
    # unique: the caller knows index selects no position twice (one class per row, say), so assigning is
    # adding into zeros, and several times faster than np.add.at.
    # (np.result_type's dtype, read at once from an array or NumPy scalar: result_type calls NumPy's Python dispatcher)
    out = np.zeros(shape, dtype=g.dtype if isinstance(g, (np.ndarray, np.generic)) else np.result_type(g))
    if unique or _selects_once(index):
        out[index] = g
    elif out.dtype == np.float16:  # (summed in float32 and rounded once, as torch.scatter_add: in float16 a sum
        out[...] = _scatter_add(g.astype(np.float32), index, shape)  # stalls at 2048 adding ones)
    elif type(index) is np.ndarray and index.dtype.kind in "iu" and g.size >= 8192 and g.size >= 4 * index.size:
        _add_rows(out, index, g)
    elif g.size >= 8192 and (picked := _rows_on_one_axis(index, len(shape))) and g.size >= 4 * picked[1].size:
        _add_rows(out, picked[1], g, picked[0])
    else:
        np.add.at(out, index, g)  # repeated indices accumulate
    return out


# scatter_add is the adjoint of indexing, and indexing is the adjoint of scatter_add.
_scatter = Primitive("scatter_add", _scatter_add, (lambda g, ans, x, index, shape, unique=False: g[index],),
                     reads_values=False)


def _picked(x, index):
    out = x[index]
    if type(out) is not np.ndarray:  # every axis indexed by an integer: an element
        return _element(x, index)
    # NumPy lays out a pick that mixes slices and integer arrays (x[:, rows]) in the order it walked, not C order;
    # PyTorch's pick is a new C-ordered Tensor, which ported code then reshapes with view(...). A view of x (basic
    # indexing) keeps its strides: its base is x's memory owner.
    if type(out) is np.ndarray and not out.flags.c_contiguous and out.base is not None \
            and out.base is not (x if x.base is None else x.base):
        return np.ascontiguousarray(out)
    return out


def _element(x, index):
    """x's element at index, integers one per axis, as a 0-d view of x's memory, as PyTorch's (NumPy's scalar is a
    copy, so a change in place through it, `bias[0].fill_(1.0)`, would leave x as it was)."""
    entries = index if type(index) is tuple else (index,)
    # (operator.index: a 0-d integer array, a Tensor index's, beside Ellipsis would be NumPy's array index, a copy)
    return x[tuple(map(operator.index, entries)) + (Ellipsis,)]


_getitem = ViewPrimitive(
    "getitem", _picked,
    (lambda g, ans, x, index: _scatter.traced(g, index=index, shape=x.shape),),
    "indices must be ints, slices, None, ..., integer arrays or boolean masks within the shape",
)


def _raw_index(index, top=True, name="indexing"):
    if isinstance(index, tuple) and top:  # one entry per axis; a tuple inside it is a sequence of indices
        return tuple(_raw_index(i, top=False, name=name) for i in index)
    if isinstance(index, Tensor):
        value = saved_value(index)  # the rule reads it at backward
        # a 0-d integer Tensor is an integer, as PyTorch's (x[i] a view of x's row; NumPy's 0-d array picks a copy)
        return int(value) if value.ndim == 0 and value.dtype.kind in "iu" else value
    if type(index) is slice:  # bounds read now, as ints: a Tensor or array bound changed in place later must not move
        bounds = (index.start, index.stop, index.step)  # the slice backward puts g in
        return index if all(b is None or type(b) is int for b in bounds) else slice(*map(_bound, bounds))
    if isinstance(index, (list, tuple, range)):
        try:
            value = np.asarray(index)
        except ValueError:  # NumPy's "inhomogeneous shape", which names no operation
            per_axis = "" if name == "take_along_axis" else ", or one index per axis in a tuple, x[rows, cols]"
            raise ValueError(f"{name}: the index sequence {index!r:.80} is ragged (its rows differ in length), so it "
                             f"makes no integer array; give a rectangular one{per_axis}") from None
        # An empty list selects nothing: NumPy reads it as integers (np.asarray([]) alone is float64).
        return value.astype(np.intp) if not value.size and value.dtype.kind == "f" else value
    return index


def _bound(b):
    if b is None or type(b) is int:
        return b
    try:
        return operator.index(b)
    except TypeError:  # (2.5, an array of several: NumPy's error names it)
        return b


def getitem(x, index):
    """x[index] with NumPy semantics; the gradient scatter-adds back. Basic indexing gives a view of x's memory, and
    so does one element taken by integers (a 0-d view, as PyTorch's, where NumPy's scalar is a copy): a change in
    place through it changes x.

    >>> import autograd_core as ag
    >>> ag.getitem(ag.arange(5.0), [0, 0, 3])
    Tensor([0., 0., 3.])
    >>> v = ag.arange(3.0)
    >>> _ = v[1].fill_(7.0)
    >>> v
    Tensor([0., 7., 2.])
    """
    return _getitem(x, index=_raw_index(index, name="getitem"))


class IndexShapeError(InvalidArgumentError):
    """A value or index whose shape does not fit: t[index] = value with a value that does not broadcast to
    t[index]'s shape, take_along_dim's indices of another rank. NumPy's ValueError and PyTorch's RuntimeError."""


def fitted_shape(shape, target):
    """shape without the leading 1-axes beyond target's rank, when it broadcasts to target (as PyTorch's index_put_
    takes a value); else IndexShapeError naming both shapes."""
    extra = len(shape) - len(target)
    fitted = shape[extra:] if extra > 0 and all(n == 1 for n in shape[:extra]) else shape
    if len(fitted) > len(target) or any(n not in (1, m) for n, m in zip(reversed(fitted), reversed(target))):
        raise IndexShapeError(f"shape mismatch: a value of shape {shape} cannot be broadcast to the indexing "
                              f"result's shape {target}; give a value of that shape, or one broadcasting to it")
    return fitted


def write(out, index, value):
    """out[index] = value, as NumPy's assignment and PyTorch's index_put_: leading 1-axes of value beyond
    out[index]'s rank are dropped (NumPy refuses them for a boolean index on a 0-d array), and a value that does not
    broadcast raises IndexShapeError naming both shapes."""
    try:
        out[index] = value
    except (ValueError, TypeError):  # (NumPy's TypeError: a 2-D value for a mask on a 0-d array)
        shape = np.shape(value)
        fitted = fitted_shape(shape, out[index].shape)
        if fitted == shape:  # (another error: NumPy's)
            raise
        out[index] = np.reshape(value, fitted)


def _assign(x, value, index):
    out = np.array(x)  # (a copy, of x's dtype: NumPy casts value into it)
    write(out, index, value)
    return out


def _assigned_value_vjp(g, ans, x, value, index):
    picked = g[index]  # backprop sums it down to value's shape; NumPy's assignment also drops leading 1-axes
    ndim = np.ndim(value)
    return picked.reshape((1,) * (ndim - picked.ndim) + picked.shape) if picked.ndim < ndim else picked


# x[index] = value as an operation of its own (PyTorch's index_put): x with value written at index. x's gradient is g
# with those positions zeroed (itself this operation, so that it is recorded under create_graph), value's g[index];
# an index naming a position twice passes its gradient to each write, as PyTorch leaves unspecified which one wins.
_assigned = Primitive("assign", _assign, (
    lambda g, ans, x, value, index: _assigned.traced(g, 0, index=index),
    _assigned_value_vjp,
), "value must broadcast to x[index]'s shape", reads_values=((), ()))


def _along_axis(indices, axis, shape):
    """The integer arrays indexing an array of shape as take_along_axis(indices, axis) picks from it (NumPy's own
    construction): indices on axis, each other axis's positions shaped to broadcast against them."""
    ndim = len(shape)
    return tuple(indices if d == axis else np.arange(n).reshape((1,) * d + (n,) + (1,) * (ndim - d - 1))
                 for d, n in enumerate(shape))


def _take_along_axis_vjp(g, ans, x, indices, axis=-1):
    # Picking's adjoint scatter-adds g back into zeros of x's shape (traced: under create_graph its own rule picks
    # again), so an element picked twice gets the sum of its gradients.
    indices = as_value(indices)  # (a Tensor under create_graph)
    if axis is None:  # x flattened
        return _scatter.traced(g, index=indices, shape=(x.size,)).reshape(x.shape)
    return _scatter.traced(g, index=_along_axis(indices, axis % x.ndim, x.shape), shape=x.shape)


# indices is an input, not a setting: messages show its shape and dtype (not its values), and x's rule reading it
# makes backprop refuse if an index Tensor changed in place since.
_take_along_axis = Primitive(
    "take_along_axis", lambda x, indices, axis=-1: np.take_along_axis(x, indices, axis), (_take_along_axis_vjp, None),
    "indices must be an integer array with as many dimensions as x (1-D for axis=None), each of its sizes off axis "
    "equal to x's or 1, and values in [-n, n) for x's size n along axis", reads_values=((1,), ()))


def take_along_axis(x, indices, axis=-1):
    """The elements of x at indices along axis (x flattened for None), as np.take_along_axis and torch.gather: indices
    is an integer array or Tensor with as many dimensions as x, its other sizes equal to x's or 1 (broadcast). The
    gradient scatter-adds back: an element picked twice gets both gradients.

    >>> import autograd_core as ag
    >>> x = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    >>> picked = ag.take_along_axis(x, [[2, 2], [0, 1]], axis=1)
    >>> picked
    Tensor([[3., 3.],
            [4., 5.]], op=take_along_axis)
    >>> picked.sum().backward(); x.grad
    Tensor([[0., 0., 2.],
            [1., 1., 0.]])
    """
    if not isinstance(indices, (Tensor, np.ndarray)):  # a list, a number: an array (an empty list's integers)
        indices = _raw_index(indices, top=False, name="take_along_axis") if isinstance(indices, (list, tuple, range)) \
            else np.asarray(indices)
    dtype = np.result_type(as_value(indices))
    if dtype.kind not in "iu":  # (bools too, as NumPy: a mask is no position)
        raise IndexError(f"take_along_axis: indices must be an integer array or Tensor (torch.gather's index), got "
                         f"dtype {dtype} (shape {np.shape(as_value(indices))}); cast it, e.g. with .astype(np.int64)")
    return _take_along_axis(x, indices, axis=axis)
