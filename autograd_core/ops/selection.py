"""Picking and ordering functions of NumPy on Tensors: take, diagonal, trace, diff, sort and argsort.

Compositions of indexing (whose rule scatter-adds the gradient back), take_along_axis, concatenate, subtraction and
sum, so their second derivatives come with them. sort picks the elements at np.argsort's stable order, so each
gradient goes to the element that was moved to its position (ties keep their order), as torch.sort's.
"""
import math
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .._arguments import UNGIVEN, Default, InvalidArgumentError, as_flag, axis_from_dim
from ..primitive import ViewPrimitive, as_operand
from ..tensor import Tensor, as_value
from .arithmetic import subtract
from .comparison import not_equal
from .indexing import _scatter, getitem, take_along_axis
from .reductions import in_dtype, sum as _sum
from .rearrange import _axis, _flattened
from .shape import _int, broadcast_to, concatenate, reshape

_TAKE_MODES = ("raise", "wrap", "clip")
_SORT_KINDS = (None, "quicksort", "mergesort", "heapsort", "stable")


def take(x, indices, axis=None, mode="raise"):
    """The elements of x at indices along axis (of x flattened for None), as np.take: the result's shape is x's with
    axis replaced by indices' shape. mode "raise" refuses an index outside [-n, n), "wrap" wraps it around, "clip"
    clips it to [0, n - 1]. The gradient scatter-adds back: an element taken twice gets both gradients.

    >>> import autograd_core as ag
    >>> ag.take(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), [1, 1, 0], axis=1)
    Tensor([[2., 2., 1.],
            [4., 4., 3.]])
    """
    x = as_operand(x, "take")
    if mode not in _TAKE_MODES:
        raise ValueError(f"take: mode must be one of {', '.join(map(repr, _TAKE_MODES))}, got {mode!r}")
    raw = np.asarray(as_value(indices))
    if raw.dtype.kind == "b":  # as NumPy's take: a bool is the index 0 or 1, not a mask
        raw = raw.astype(np.intp)
    if raw.dtype.kind not in "iu" and not (raw.dtype.kind == "f" and not raw.size):
        raise TypeError(f"take: indices must be integers, got dtype {raw.dtype} (shape {raw.shape}); cast them with "
                        f".astype(np.int64)")
    raw = raw.astype(np.intp)
    if _flattened(x, axis):  # (axis 0 of a 0-d x too, as NumPy's)
        x, axis = reshape(x, -1), 0
    axis = _axis("take", axis, x)
    n = x.shape[axis]
    if not math.prod(x.shape[:axis]):  # no row to take from: NumPy checks no index (an empty axis too)
        return reshape(x, x.shape[:axis] + raw.shape + x.shape[axis + 1:])
    if mode == "raise" and raw.size and (raw.min() < -n or raw.max() >= n):
        bad = raw[(raw < -n) | (raw >= n)].flat[0]
        raise IndexError(f"take: index {bad} is out of bounds for axis {axis} with size {n} (input shape {x.shape}); "
                         f"indices must be in [{-n}, {n}), or use mode='wrap' or 'clip'")
    if raw.size and not n:
        raise IndexError(f"take: cannot take from an empty axis {axis} (input shape {x.shape})")
    if mode == "wrap" and n:
        raw = raw % n
    elif mode == "clip" and n:
        raw = np.clip(raw, 0, n - 1)
    return getitem(x, (slice(None),) * axis + (raw,))


def _two_axes(name, x, axis1, axis2):
    if x.ndim < 2:  # (NumPy's ValueError; PyTorch's IndexError for diagonal, RuntimeError for trace)
        kind = np.exceptions.AxisError if name == "diagonal" else InvalidArgumentError
        raise kind(f"{name}: the input must have at least 2 dimensions, got shape {x.shape}")
    try:
        a, b = (normalize_axis_index(operator.index(a), x.ndim) for a in (axis1, axis2))
    except np.exceptions.AxisError:
        raise np.exceptions.AxisError(f"{name}: axis1={axis1} or axis2={axis2} is out of range for input shape "
                                      f"{x.shape}; each must be in [{-x.ndim}, {x.ndim})") from None
    except TypeError:
        raise TypeError(f"{name}: axis1 and axis2 must be ints, got {axis1!r} and {axis2!r}") from None
    if a == b:
        raise InvalidArgumentError(f"{name}: axis1 and axis2 must be different axes, both are {a} (input shape "
                                   f"{x.shape})")
    return a, b


def diagonal(x, offset=0, axis1=Default(0), axis2=Default(1), *, dim1=None, dim2=None):
    """The diagonal of the matrices in the plane of axis1 and axis2 (offset > 0 above the main one, < 0 below), as
    np.diagonal: those axes are removed and the diagonal is the last axis. The gradient goes back onto the diagonal.
    A view, writable, as torch.diagonal's; dim1 and dim2 are PyTorch's names for axis1 and axis2 (keyword only).

    >>> import autograd_core as ag
    >>> ag.diagonal(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([1., 4.])
    """
    axis1 = axis_from_dim("diagonal", axis1, dim1, UNGIVEN)  # (a Default default as a plain int)
    axis2 = axis_from_dim("diagonal", axis2, dim2, UNGIVEN)
    return _diagonal("diagonal", x, offset, axis1, axis2)


def _diagonal(name, x, offset, axis1, axis2):
    x = as_operand(x, name)
    a, b = _two_axes(name, x, axis1, axis2)
    try:
        offset = operator.index(offset)
    except TypeError:
        raise TypeError(f"{name}: offset must be an int, got {offset!r}") from None
    return _diagonal_view(x, offset=offset, axis1=a, axis2=b)


def _diagonal_forward(x, offset, axis1, axis2):
    # NumPy's diagonal is a read-only view; writable when x is, as PyTorch's (`w.diagonal().fill_(1)` under no_grad
    # changes w, and counts as a change of w: ViewPrimitive shares the version count)
    out = np.diagonal(x, offset, axis1, axis2)
    if isinstance(x, np.ndarray) and x.flags.writeable:
        out.flags.writeable = True
    return out


def _diagonal_vjp(g, ans, x, offset, axis1, axis2):
    # g back onto the diagonal of zeros in the plane moved last (traced: under create_graph, its own rule picks the
    # diagonal again), then the plane moved back
    shape = tuple(n for d, n in enumerate(x.shape) if d not in (axis1, axis2)) + (x.shape[axis1], x.shape[axis2])
    length = g.shape[-1]
    i = np.arange(length) + max(-offset, 0)
    j = np.arange(length) + max(offset, 0)
    return np.moveaxis(_scatter.traced(g, index=(Ellipsis, i, j), shape=shape), (-2, -1), (axis1, axis2))


_diagonal_view = ViewPrimitive("diagonal", _diagonal_forward, (_diagonal_vjp,),
                               "axis1 and axis2 must be two different axes of x")


def trace(x, offset=0, axis1=0, axis2=1, dtype=None):
    """The sum of the diagonal (np.trace's arguments; with more than 2 axes, one sum per matrix). dtype: a float dtype
    to cast to first, or an integer one for NumPy's own trace of a constant (see reductions.in_dtype).

    >>> import autograd_core as ag
    >>> ag.trace(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor(5.)
    """
    x = as_operand(x, "trace")
    if dtype is not None:
        x, result = in_dtype("trace", x, dtype, lambda v, d: np.trace(v, offset, axis1, axis2, dtype=d))
        if result is not None:
            return result
    return _sum(_diagonal("trace", x, offset, axis1, axis2), axis=-1)


def _edge(name, value, x, axis):
    """prepend or append as a Tensor to join x along axis: a number is broadcast to x's shape with 1 along axis."""
    value = as_operand(value, name)
    return broadcast_to(value, x.shape[:axis] + (1,) + x.shape[axis + 1:]) if value.ndim == 0 else value


def diff(x, n=1, axis=Default(-1), prepend=np._NoValue, append=np._NoValue, *, dim=None):
    """The n-th differences along axis, out[i] = x[i + 1] - x[i] applied n times, as np.diff (prepend and append are
    joined to x along axis first; a number is broadcast; None, torch.diff's default, joins nothing). Bools give
    x[i + 1] != x[i], as NumPy's. dim is PyTorch's name for axis.

    >>> import autograd_core as ag
    >>> ag.diff(ag.tensor([1.0, 4.0, 9.0, 16.0]), n=2)
    Tensor([2., 2.])
    >>> ag.tensor([[1.0, 4.0], [9.0, 16.0]]).diff(dim=0, prepend=None)
    Tensor([[ 8., 12.]])
    """
    axis = axis_from_dim("diff", axis, dim, UNGIVEN)  # PyTorch's name (see _arguments); a Default as a plain int
    x = as_operand(x, "diff")
    n = _int("diff", "the order n", n)
    if n < 0:  # (both a ValueError, as NumPy's, and torch.diff's RuntimeError)
        raise InvalidArgumentError(f"diff: order n={n} must be non-negative")
    if n == 0:
        return x
    if x.ndim == 0:
        raise InvalidArgumentError("diff: the input must be at least one dimensional, got a 0-d one")
    axis = _axis("diff", axis, x)
    parts = []
    if prepend is not np._NoValue and prepend is not None:
        parts.append(_edge("diff", prepend, x, axis))
    parts.append(x)
    if append is not np._NoValue and append is not None:
        parts.append(_edge("diff", append, x, axis))
    if len(parts) > 1:
        x = concatenate(parts, axis=axis)
    lead = (slice(None),) * axis
    step = not_equal if x.dtype == np.bool_ else subtract
    for _ in range(n):
        x = step(getitem(x, lead + (slice(1, None),)), getitem(x, lead + (slice(None, -1),)))
    return x


def argsort(x, axis=Default(-1), kind=None, order=None, *, stable=None, dim=None, descending=False):
    """The indices that sort x along axis (x flattened for None), as np.argsort: an int64 Tensor, not
    differentiable. NaNs sort last. PyTorch's dim= is axis=, and descending=True (as torch.argsort's) gives the
    largest first, NaNs first and equal elements in their order in x (torch's stable=True order).

    >>> import autograd_core as ag
    >>> ag.argsort(ag.tensor([3.0, 1.0, 2.0]))
    Tensor([1, 2, 0])
    >>> ag.tensor([1.0, 3.0, 1.0]).argsort(dim=-1, descending=True)
    Tensor([1, 0, 2])
    """
    if order is not None:
        raise TypeError("argsort on Tensors: order= (fields of a structured array) is not supported")
    axis = axis_from_dim("argsort", axis, dim, UNGIVEN)
    if isinstance(kind, (bool, np.bool_)):  # torch.argsort(x, dim, descending) positionally
        raise TypeError(f"argsort: the third positional argument is NumPy's kind (a str), got {kind!r}; PyTorch's "
                        f"positional descending is the keyword here: argsort(x, dim={axis!r}, descending={kind!r})")
    value = np.asarray(as_value(x))
    descending = as_flag(descending, "argsort", "descending")
    try:
        if not descending:
            return Tensor(np.argsort(value, axis=axis, kind=kind, stable=stable))
        if axis is None:
            value, axis = value.reshape(-1), -1
        elif value.ndim == 0:  # (NumPy's argsort reads a 0-d input as 1-D, so ascending gives [0]: descending too)
            value = value.reshape(1)
        # A stable ascending sort of x reversed, read backwards: largest first, ties (and NaNs) in x's order.
        ascending = np.argsort(np.flip(value, axis), axis=axis, kind="stable")
        return Tensor(value.shape[axis] - 1 - np.flip(ascending, axis))
    except (np.exceptions.AxisError, ValueError, TypeError) as err:
        n = max(np.ndim(x), 1)  # (a 0-d input is sorted as 1-D)
        raise type(err)(f"argsort: {err} (input shape {np.shape(x)}, axis={axis!r}); axis must be None or an int in "
                        f"[{-n}, {n})") from None


def sort(x, axis=-1, kind=None, order=None, *, stable=None, dim=None, descending=None):
    """x sorted along axis (x flattened for None), as np.sort; NaNs last. The elements are picked at argsort's stable
    order, so each gradient goes back to the element moved to that position. PyTorch's dim= and descending= are
    refused, as max's dim= is: torch.sort returns a (values, indices) pair, and `values, indices = ag.sort(x, dim=1)`
    would unpack the rows of a two-row result; the error names argsort(dim=, descending=) and take_along_axis,
    and for the values alone (torch.sort(x, dim=0)[0]) sort(x, axis=0).

    >>> import autograd_core as ag
    >>> x = ag.tensor([3.0, 1.0, 2.0], requires_grad=True)
    >>> ag.sort(x)
    Tensor([1., 2., 3.], op=take_along_axis)
    >>> (ag.sort(x) * ag.tensor([1.0, 2.0, 3.0])).sum().backward(); x.grad
    Tensor([3., 1., 2.])
    """
    positional = isinstance(kind, (bool, np.bool_)) and dim is None and descending is None
    if positional:  # torch.sort(x, dim, descending)
        dim, descending, kind = axis, kind, None
    if dim is not None or descending is not None:
        given = " and ".join(name for name, value in (("dim=", dim), ("descending=", descending)) if value is not None)
        given = f"a positional descending ({descending!r}, torch.sort's third argument)" if positional else given
        d = -1 if dim is None else dim
        values_alone = f"ag.flip(ag.sort(x, axis={d!r}), {d!r})" if descending else f"ag.sort(x, axis={d!r})"
        raise TypeError(f"sort: {given} is not accepted: torch.sort returns a (values, indices) pair, while this sort "
                        f"(NumPy's) returns the values alone; write indices = ag.argsort(x, dim={d!r}, descending="
                        f"{bool(descending)}) and values = ag.take_along_axis(x, indices, {d!r}) (ties in their order, "
                        f"as torch's stable=True); the values alone (torch.sort(...)[0] or .values) are "
                        f"{values_alone}")
    x = as_operand(x, "sort")
    if axis is None:
        x, axis = reshape(x, -1), -1
    if x.ndim == 0:
        raise np.exceptions.AxisError(f"sort: axis {axis} is out of range for a 0-d input; sort a 1-D one, or give "
                                      f"axis=None")
    if kind not in _SORT_KINDS or order is not None:
        raise ValueError(f"sort on Tensors: kind must be one of {_SORT_KINDS} and order None (fields of a structured "
                         f"array are not supported), got kind={kind!r}, order={order!r}")
    # (always NumPy's stable sort: the values are the same for every kind, and ties keep their order)
    return take_along_axis(x, argsort(x, axis=axis, kind="stable").data, axis=axis)


def msort(input):  # noqa: A002 (PyTorch's name)
    """PyTorch's msort: input sorted along its first axis, sort(input, axis=0), differentiable as sort is; a 0-d
    input is returned as it is, as torch.msort's.

    >>> import autograd_core as ag
    >>> ag.msort(ag.tensor([[3.0, 1.0], [2.0, 4.0]]))
    Tensor([[2., 1.],
            [3., 4.]])
    """
    x = as_operand(input, "msort")
    return x if x.ndim == 0 else sort(x, axis=0)
