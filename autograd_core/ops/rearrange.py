"""Rearranging functions of NumPy on Tensors: tile, repeat, roll, moveaxis, rollaxis, ravel, the stacks (vstack,
hstack, dstack, column_stack), atleast_1d/2d/3d, rot90, fliplr, flipud and resize.

None is a primitive: each is a composition of reshape, transpose, broadcast_to, flip, concatenate and indexing,
whose rules move the gradient back to where each value came from (a value copied twice gets both gradients), and
whose second derivatives come with them. Arguments, result shapes and dtypes are NumPy's.
"""
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from .._arguments import UNGIVEN, InvalidArgumentError, as_indices, one_of_two_names, scalar_dims
from ..primitive import as_operand
from ..tensor import Tensor, as_value
from .indexing import getitem
from .padding import pad
from .shape import (ShapeError, _contiguous_copy, _int, _operands, broadcast_to, concatenate, copy, flip, reshape,
                    transpose)


def _ints(name, what, values):
    """values (an int or a sequence of ints) as a tuple of ints, or a TypeError naming name and what."""
    values = as_value(values) if isinstance(values, Tensor) else values
    ints = as_indices(np.ravel(values).tolist() if np.ndim(values) else (values,))
    if ints is None:
        raise TypeError(f"{name}: {what} must be an int or a sequence of ints, got {values!r}")
    return ints


def _axis(name, axis, x):
    """axis normalized for x (an int in [-ndim, ndim)), or an AxisError naming name and x's shape; an axis that is
    no integer (a float, a tuple, None, a bool) raises TypeError, as NumPy's np.diff, np.repeat and np.take."""
    axis = _int(name, "axis", axis, f" (input shape {x.shape}; valid axes are ints in [{-x.ndim}, {x.ndim}))")
    try:
        return normalize_axis_index(axis, x.ndim)
    except np.exceptions.AxisError:
        raise np.exceptions.AxisError(f"{name}: axis {axis!r} is out of range for input shape {x.shape}; valid axes "
                                      f"are ints in [{-x.ndim}, {x.ndim})") from None


def _flattened(x, axis):
    """Whether x is taken flattened for axis: None, or 0 or -1 of a 0-d x (NumPy's repeat and take take it so)."""
    return axis is None or (x.ndim == 0 and scalar_dims(axis))


def _own_memory(out, x):
    """out, or a C-ordered copy of it (contiguous()'s) where it still shares x's memory: NumPy's tile and repeat
    return new C-ordered memory, where a broadcast reshaped may be a view of x (stride 0 along a repeated axis of
    length 1, or x itself for counts of 1), which PyTorch code then reshapes with view, or changes in place."""
    return _contiguous_copy(out) if np.may_share_memory(out.data, x.data) else out


def tile(x, reps):
    """x repeated reps times along each axis, as np.tile: reps and x's shape are padded with leading 1s to the same
    length. A broadcast and a reshape, so the gradient of each copy is summed back.

    >>> import autograd_core as ag
    >>> ag.tile(ag.tensor([1.0, 2.0]), (2, 2))
    Tensor([[1., 2., 1., 2.],
            [1., 2., 1., 2.]])
    """
    x = as_operand(x, "tile")
    reps = _ints("tile", "reps", reps)
    if any(r < 0 for r in reps):
        raise InvalidArgumentError(f"tile: reps {reps} holds a negative count; each must be at least 0")
    d = max(len(reps), x.ndim)
    reps = (1,) * (d - len(reps)) + reps
    shape = (1,) * (d - x.ndim) + x.shape
    spread = reshape(x, tuple(n for s in shape for n in (1, s)))
    spread = broadcast_to(spread, tuple(n for r, s in zip(reps, shape) for n in (r, s)))
    return _own_memory(reshape(spread, tuple(r * s for r, s in zip(reps, shape))), x)


def repeat(x, repeats, axis=None):
    """Each element repeated, as np.repeat: repeats is one count for all, or one per element along axis (x flattened
    for axis=None). The gradient of an element is the sum over its copies.

    >>> import autograd_core as ag
    >>> ag.repeat(ag.tensor([[1.0, 2.0]]), [1, 2], axis=1)
    Tensor([[1., 2., 2.]])
    """
    x = as_operand(x, "repeat")
    counts = _ints("repeat", "repeats", repeats)
    if np.ndim(as_value(repeats) if isinstance(repeats, Tensor) else repeats) > 1:  # (_ints flattens it)
        raise ValueError(f"repeat: repeats must be an int or a 1-D sequence of ints, got {np.ndim(repeats)}-D "
                         f"{repeats!r} (input shape {x.shape}); a nested one is refused, as by NumPy's and "
                         f"torch.repeat_interleave")
    if any(r < 0 for r in counts):
        raise ValueError(f"repeat: repeats {repeats!r} holds a negative count; each must be at least 0")
    if _flattened(x, axis):
        x, axis = reshape(x, -1), 0
    axis = _axis("repeat", axis, x)
    n = x.shape[axis]
    if len(counts) == 1 and np.ndim(repeats) == 0:  # one count: a broadcast along a new axis after `axis`
        r = counts[0]
        spread = reshape(x, x.shape[:axis + 1] + (1,) + x.shape[axis + 1:])
        spread = broadcast_to(spread, x.shape[:axis + 1] + (r,) + x.shape[axis + 1:])
        return _own_memory(reshape(spread, x.shape[:axis] + (n * r,) + x.shape[axis + 1:]), x)
    if len(counts) == 1:
        counts = counts * n
    if len(counts) != n:
        raise ValueError(f"repeat: {len(counts)} repeats for an axis of length {n} (input shape {x.shape}, axis "
                         f"{axis}); give one count, or one per element")
    return getitem(x, (slice(None),) * axis + (np.repeat(np.arange(n), counts),))


def roll(x, shift=UNGIVEN, axis=None, *, shifts=None, dims=None):
    """The elements shifted along axis, those past the end coming back at the start, as np.roll (x flattened for
    axis=None; shift and axis may be tuples, broadcast against each other, and shifts on one axis add up).
    PyTorch's names shifts= and dims= (torch.roll's) are taken for shift and axis; given by them, the shifts must
    align with the dims one to one (or be one shift with no dims), as torch.roll's.

    >>> import autograd_core as ag
    >>> ag.roll(ag.tensor([1.0, 2.0, 3.0]), 1)
    Tensor([3., 1., 2.])
    >>> ag.roll(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), shifts=1, dims=1)
    Tensor([[2., 1.],
            [4., 3.]])
    """
    torch_spelling = shifts is not None or dims is not None  # (PyTorch's names, kept apart from NumPy's)
    shift = one_of_two_names("roll", "shift", shift, "shifts", shifts, UNGIVEN)
    axis = one_of_two_names("roll", "axis", axis, "dims", dims)
    x = as_operand(x, "roll")
    shifts = _ints("roll", "shift", shift)
    if torch_spelling and len(shifts) != (1 if axis is None else len(_ints("roll", "axis", axis))):
        raise InvalidArgumentError(f"roll: shifts {shift!r} and dims {axis!r} must align, one shift per dim (or one "
                                   f"shift and no dims, which rolls the flattened input), as torch.roll's")
    if axis is None:
        return reshape(roll(reshape(x, -1), sum(shifts), 0), x.shape)
    axes = _ints("roll", "axis", axis)
    try:
        pairs = np.broadcast(np.array(shifts), np.array(axes))
    except ValueError:
        raise ValueError(f"roll: shift {shift!r} and axis {axis!r} must have broadcastable lengths (one of them a "
                         f"single value, or both of one length)") from None
    total = [0] * x.ndim
    for s, a in pairs:
        total[_axis("roll", int(a), x)] += int(s)
    out = x
    for a, s in enumerate(total):
        n = x.shape[a]
        if n and s % n:
            cut = n - s % n
            lead = (slice(None),) * a
            out = concatenate([getitem(out, lead + (slice(cut, None),)), getitem(out, lead + (slice(None, cut),))],
                              axis=a)
    return copy(out) if out is x else out  # (a new Tensor, as NumPy's roll returns a copy)


def moveaxis(x, source, destination):
    """The axes source moved to the positions destination, the others keeping their order, as np.moveaxis.

    >>> import autograd_core as ag
    >>> ag.moveaxis(ag.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    x = as_operand(x, "moveaxis")
    try:
        source = normalize_axis_tuple(_ints("moveaxis", "source", source), x.ndim, "source")
        destination = normalize_axis_tuple(_ints("moveaxis", "destination", destination), x.ndim, "destination")
    except (np.exceptions.AxisError, ValueError) as err:  # (a repeated axis: NumPy's ValueError, torch's RuntimeError)
        kind = type(err) if isinstance(err, np.exceptions.AxisError) else InvalidArgumentError
        raise kind(f"moveaxis: {err} (input shape {x.shape}); each axis must be named once, in "
                   f"[{-x.ndim}, {x.ndim})") from None
    if len(source) != len(destination):
        raise InvalidArgumentError(f"moveaxis: source {source} and destination {destination} must name as many axes")
    order = [n for n in range(x.ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return transpose(x, tuple(order))


def rollaxis(x, axis, start=0):
    """Axis moved back until it lies before position start, as np.rollaxis (np.moveaxis is the clearer one).

    >>> import autograd_core as ag
    >>> ag.rollaxis(ag.zeros((2, 3, 4)), 2).shape
    (4, 2, 3)
    """
    x = as_operand(x, "rollaxis")
    n = x.ndim
    axis = _axis("rollaxis", axis, x)
    start = _int("rollaxis", "start", start)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise np.exceptions.AxisError(f"rollaxis: start {start - n if start < 0 else start} is out of range for input "
                                      f"shape {x.shape}; it must be in [{-n}, {n}]")
    if axis < start:
        start -= 1
    if axis == start:
        return transpose(x, tuple(range(n)))
    order = list(range(n))
    order.remove(axis)
    order.insert(start, axis)
    return transpose(x, tuple(order))


def ravel(x, order="C"):
    """The elements as a 1-D Tensor, as np.ravel: in row-major order ("C"), column-major ("F"), column-major if the
    value is laid out so in memory and row-major otherwise ("A"), or in the order of its memory layout ("K").

    >>> import autograd_core as ag
    >>> ag.ravel(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), order="F")
    Tensor([1., 3., 2., 4.])
    """
    x = as_operand(x, "ravel")
    if order not in ("C", "F", "A", "K"):
        raise ValueError(f"ravel: order must be one of 'C', 'F', 'A', 'K', got {order!r}")
    value = np.asarray(x.data)
    if order == "K" and x.ndim > 1 and not value.flags.c_contiguous:
        # NumPy's: the axes in the order of their strides in memory, largest first (a negative stride counts as
        # positive: that axis is read forwards), ties and size-1 axes in the C order
        axes = tuple(sorted(range(x.ndim), key=lambda a: -abs(value.strides[a]) if value.shape[a] > 1 else 0))
        return reshape(transpose(x, axes), -1)
    if order in ("A", "K"):
        order = "F" if value.flags.f_contiguous and not value.flags.c_contiguous else "C"
    return reshape(transpose(x) if order == "F" else x, -1)


def _at_least(name, ndim, arrays):
    out = []
    for x in arrays:
        x = as_operand(x, name)
        if x.ndim < ndim:
            shape = {0: (1, 1, 1), 1: (1,) + x.shape + (1,), 2: x.shape + (1,)}[x.ndim] if ndim == 3 else \
                (1,) * (ndim - x.ndim) + x.shape
            x = reshape(x, shape)
        out.append(x)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arrays):
    """Each input with at least 1 axis (a 0-d one becomes shape (1,)), as np.atleast_1d: one Tensor, or a tuple.

    >>> import autograd_core as ag
    >>> ag.atleast_1d(ag.tensor(2.0)).shape
    (1,)
    """
    return _at_least("atleast_1d", 1, arrays)


def atleast_2d(*arrays):
    """Each input with at least 2 axes (leading 1s added), as np.atleast_2d: one Tensor, or a tuple.

    >>> import autograd_core as ag
    >>> ag.atleast_2d(ag.zeros(3)).shape
    (1, 3)
    """
    return _at_least("atleast_2d", 2, arrays)


def atleast_3d(*arrays):
    """Each input with at least 3 axes, as np.atleast_3d: (N,) becomes (1, N, 1) and (M, N) becomes (M, N, 1).

    >>> import autograd_core as ag
    >>> ag.atleast_3d(ag.zeros(3)).shape
    (1, 3, 1)
    """
    return _at_least("atleast_3d", 3, arrays)


def _sequence(name, tup):
    seq = _operands(tup, name)
    if not seq:
        raise ShapeError(f"{name}: need at least one array to concatenate")
    return seq


def _joined(name, seq, axis):
    """concatenate(seq, axis), its error for shapes that do not fit named by the stacking function."""
    try:
        return concatenate(seq, axis=axis)
    except ValueError:
        shapes = ", ".join(str(x.shape) for x in seq)
        raise ShapeError(f"{name}: the inputs' shapes {shapes} (after {name}'s reshaping to at least "
                         f"{seq[0].ndim} dimensions) must be equal except along axis {axis}") from None


def _stack_options(name, dtype, casting):
    if dtype is not None or casting != "same_kind":
        raise TypeError(f"{name} on Tensors: dtype= and casting= are not supported; cast the inputs with .astype first")


def vstack(tup, *, dtype=None, casting="same_kind"):
    """The inputs stacked row-wise (along axis 0, 1-D ones as rows), as np.vstack.

    >>> import autograd_core as ag
    >>> ag.vstack([ag.zeros(2), ag.ones(2)]).shape
    (2, 2)
    """
    _stack_options("vstack", dtype, casting)
    return _joined("vstack", [_at_least("vstack", 2, [x]) for x in _sequence("vstack", tup)], 0)


def hstack(tup, *, dtype=None, casting="same_kind"):
    """The inputs stacked column-wise (along axis 1; 1-D ones end to end), as np.hstack.

    >>> import autograd_core as ag
    >>> ag.hstack([ag.zeros(2), ag.ones(3)]).shape
    (5,)
    """
    _stack_options("hstack", dtype, casting)
    seq = [_at_least("hstack", 1, [x]) for x in _sequence("hstack", tup)]
    return _joined("hstack", seq, 0 if seq[0].ndim == 1 else 1)


def dstack(tup):
    """The inputs stacked depth-wise (along axis 2, after atleast_3d), as np.dstack.

    >>> import autograd_core as ag
    >>> ag.dstack([ag.zeros(2), ag.ones(2)]).shape
    (1, 2, 2)
    """
    return _joined("dstack", [_at_least("dstack", 3, [x]) for x in _sequence("dstack", tup)], 2)


def column_stack(tup):
    """1-D inputs as the columns of a 2-D Tensor (others as they are, at least 2-D), stacked along axis 1, as
    np.column_stack.

    >>> import autograd_core as ag
    >>> ag.column_stack([ag.zeros(3), ag.ones(3)]).shape
    (3, 2)
    """
    seq = [reshape(x, (-1, 1)) if x.ndim < 2 else x for x in _sequence("column_stack", tup)]
    return _joined("column_stack", seq, 1)


def fliplr(x):
    """The columns (axis 1) in reverse order, as np.fliplr (x needs at least 2 axes).

    >>> import autograd_core as ag
    >>> ag.fliplr(ag.tensor([[1.0, 2.0]]))
    Tensor([[2., 1.]])
    """
    x = as_operand(x, "fliplr")
    if x.ndim < 2:
        raise InvalidArgumentError(f"fliplr: the input must have at least 2 dimensions, got shape {x.shape}")
    return flip(x, 1)


def flipud(x):
    """The rows (axis 0) in reverse order, as np.flipud (x needs at least 1 axis).

    >>> import autograd_core as ag
    >>> ag.flipud(ag.tensor([1.0, 2.0]))
    Tensor([2., 1.])
    """
    x = as_operand(x, "flipud")
    if x.ndim < 1:
        raise InvalidArgumentError("flipud: the input must have at least 1 dimension, got a 0-d one")
    return flip(x, 0)


def rot90(x, k=1, axes=(0, 1), *, dims=None):
    """x rotated by 90 degrees k times in the plane of axes, from the first axis towards the second, as np.rot90;
    dims= is PyTorch's name for axes (torch.rot90(x, k, dims=[0, 1]), also the method x.rot90(k, dims)). Bad axes
    raise a ValueError that is also PyTorch's RuntimeError.

    >>> import autograd_core as ag
    >>> ag.rot90(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([[2., 4.],
            [1., 3.]])
    >>> ag.tensor([[1, 2], [3, 4]]).rot90(1, [1, 0])
    Tensor([[3, 1],
            [4, 2]])
    """
    x = as_operand(x, "rot90")
    if dims is not None:
        if axes != (0, 1):
            raise TypeError(f"rot90: got both axes={axes!r} and dims={dims!r} (PyTorch's name for axes); give one")
        axes = dims
    axes = _ints("rot90", "axes", axes)
    if len(axes) != 2:
        raise InvalidArgumentError(f"rot90: axes must name 2 axes, got {axes}")
    if x.ndim < 2:
        raise InvalidArgumentError(f"rot90: the input must have at least 2 dimensions, got shape {x.shape}")
    if not all(-x.ndim <= a < x.ndim for a in axes):  # (NumPy's ValueError, PyTorch's IndexError)
        raise np.exceptions.AxisError(f"rot90: axes {axes} are out of range for input shape {x.shape}; each must be "
                                      f"in [{-x.ndim}, {x.ndim})")
    if axes[0] % x.ndim == axes[1] % x.ndim:
        raise InvalidArgumentError(f"rot90: axes {axes} must be two different axes of input shape {x.shape}")
    k = _int("rot90", "k", k) % 4
    if k == 0:
        return x[...]
    if k == 2:
        return flip(flip(x, axes[0]), axes[1])
    order = list(range(x.ndim))
    a, b = axes[0] % x.ndim, axes[1] % x.ndim
    order[a], order[b] = order[b], order[a]
    if k == 1:
        return transpose(flip(x, axes[1]), tuple(order))
    return flip(transpose(x, tuple(order)), axes[1])


def resize(x, new_shape):
    """A Tensor of new_shape filled with x's elements in order, repeated as often as needed, as np.resize (zeros
    when x is empty). The gradient of an element sums over its copies.

    >>> import autograd_core as ag
    >>> ag.resize(ag.tensor([1.0, 2.0, 3.0]), (2, 2))
    Tensor([[1., 2.],
            [3., 1.]])
    """
    x = as_operand(x, "resize")
    new_shape = _ints("resize", "new_shape", new_shape)
    if any(n < 0 for n in new_shape):
        raise ValueError(f"resize: new_shape {new_shape} holds a negative size; each must be at least 0")
    total = math.prod(new_shape)
    if not x.size or not total:  # zeros, as NumPy's: padded from no entries, so recorded as x's other results are
        return reshape(pad(getitem(reshape(x, -1), slice(0, 0)), (0, total)), new_shape)
    return reshape(getitem(reshape(x, -1), np.arange(total) % x.size), new_shape)
