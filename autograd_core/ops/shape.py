"""Shape operations: reshape, transpose, flip, broadcast_to, concatenate, stack, the triangles tril and triu,
split (NumPy's and PyTorch's, and chunk). pad is in padding.py.

Their gradients move values back to where they came from. Indexing (getitem, take_along_axis) is in indexing.py.
"""
import itertools
import operator
import os
import sys
import warnings
from collections.abc import Iterable

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .._arguments import (UNGIVEN, Default, DuplicateDimError, InvalidArgumentError, as_index, axis_from_dim,
                          check_scalar_dims, is_int)
from ..primitive import PerInput, Primitive, ViewPrimitive, as_operand
from ..tensor import Tensor, as_value
from .indexing import _getitem


class ShapeError(InvalidArgumentError):
    """Shapes an operation cannot join, split or combine (concatenate, stack and the stacks, split and chunk,
    block_diag, broadcast_tensors, cartesian_prod, vander): NumPy's ValueError and PyTorch's RuntimeError at once, so
    that code ported from either catches it."""


def _shape_arg(shape):
    """reshape(2, 3) and reshape((2, 3)) both mean (2, 3). Sizes must be integers, as NumPy's (int(2.5) is 2)."""
    try:
        if len(shape) == 1 and not (np.isscalar(shape[0]) or getattr(shape[0], "ndim", None) == 0):
            shape = tuple(shape[0])  # (one sequence of sizes; a 0-d array or Tensor is one size, as NumPy's integer)
        if any(isinstance(n, (bool, np.bool_)) for n in shape):
            raise TypeError
        sizes = tuple(operator.index(n) for n in shape)
    except TypeError:
        raise TypeError(f"reshape: the new shape must be ints (one of them may be -1), got {shape!r}") from None
    if sizes and min(sizes) < -1:  # (NumPy reads any negative size as -1; PyTorch refuses it)
        raise ValueError(f"reshape: sizes must be at least 0, or -1 for the one size inferred, got {sizes}")
    return sizes


_reshape = ViewPrimitive(
    "reshape", lambda x, shape: np.reshape(x, shape),
    (lambda g, ans, x, shape: g.reshape(x.shape),),
    "the new shape must hold the same number of elements (one axis may be -1)",
)


def reshape(x, *shape):
    """The same values in a new shape (NumPy's reshape; one axis may be -1).

    >>> import autograd_core as ag
    >>> ag.reshape(ag.arange(6.0), 2, 3).shape
    (2, 3)
    """
    return _reshape(x, shape=_shape_arg(shape))


_copy = Primitive("copy", np.copy, (lambda g, ans, x: g,), reads_values=False)
# PyTorch's contiguous() of a strided Tensor: a C-ordered copy with memory of its own (a reshape of a flattened
# copy would be a view of it, and an in-place change to it, Hardtanh(inplace=True) after it, refused)
_contiguous_copy = Primitive("contiguous", lambda x: np.copy(x, order="C"), (lambda g, ans, x: g,),
                             reads_values=False)


def copy(x):
    """A copy of x's value with memory of its own, recorded (gradient: the identity), as np.copy and PyTorch's
    clone(): a change in place to either leaves the other as it was.

    >>> import autograd_core as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> twin = ag.copy(w)
    >>> twin.sum().backward(); w.grad
    Tensor([1., 1.])
    """
    return _copy(x)


def _transpose_vjp(g, ans, x, axes):
    if axes is None:
        return g.transpose()
    return g.transpose(tuple(np.argsort([a % x.ndim for a in axes])))  # the inverse permutation


_transpose = ViewPrimitive("transpose", lambda x, axes: np.transpose(x, axes), (_transpose_vjp,),
                           "axes must be a permutation of range(ndim)")


def transpose(x, *axes):
    """Permute axes (reversed when none are given), as np.transpose. Two axes given apart, where NumPy would need
    x to have exactly two (a permutation), are PyTorch's transpose(dim0, dim1) when x has any other number of axes:
    those two exchanged (swapaxes), and one axis given twice leaves x as it is. On a matrix, transpose(0, 1) stays
    NumPy's identity, with a warning: write t.T or t.t().

    >>> import autograd_core as ag
    >>> ag.transpose(ag.zeros((2, 3, 4)), 1, 0, 2).shape
    (3, 2, 4)
    >>> ag.zeros((2, 3, 4)).transpose(1, 2).shape
    (2, 4, 3)
    """
    if not axes:  # no argument: reversed
        return _transpose(x, axes=None)
    two_apart = len(axes) == 2
    if len(axes) == 1 and (axes[0] is None or not (np.isscalar(axes[0]) or getattr(axes[0], "ndim", None) == 0)):
        axes = axes[0]  # (one sequence of axes; a 0-d array or Tensor is one axis, as a NumPy integer)
    # (an empty sequence names no axis, as NumPy and PyTorch read it: a 0-d input's only order, else an error)
    axes = None if axes is None else tuple(_int("transpose", "each axis", a) for a in axes)
    try:
        result = _transpose(x, axes=axes)
    except ValueError:  # (tried first, so NumPy's permutations pay nothing for PyTorch's form)
        ndim = x.ndim if isinstance(x, Tensor) else np.ndim(x)
        # NumPy refuses two axes there, or one axis twice on a matrix (PyTorch's transpose(0, 0), the identity); a
        # 0-d Tensor's are 0 and -1 (PyTorch's, _swapaxes)
        if two_apart and (ndim != 2 or all(-2 <= a < 2 for a in axes) and axes[0] % 2 == axes[1] % 2):
            return _swapaxes("transpose", x, *axes)
        raise
    if two_apart and result.ndim == 2 and axes in ((0, 1), (-2, -1), (0, -1), (-2, 1)):
        # NumPy's identity permutation, which nobody writes out for itself: PyTorch's swap, which it is not here
        warnings.warn(f"transpose{axes} of a matrix keeps it as it is (NumPy's axes order, the identity), where "
                      f"PyTorch's transpose{axes} swaps the two axes: write t.T (or t.transpose(1, 0)) to swap them",
                      UserWarning, stacklevel=_callers_level())
    return result


def _callers_level():
    """The stacklevel of a warning raised in the function that calls this one that points at the first caller outside
    autograd_core (ag.transpose(t, 0, 1) and t.transpose(0, 1) reach transpose through different frames)."""
    level, frame = 2, sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    return level


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _int(name, what, value, hint=""):
    """value as an int (a NumPy integer too, as NumPy takes them; not a bool, a float or a string); the error
    names name and what, then hint."""
    number = as_index(value)
    if number is None:
        raise TypeError(f"{name}: {what} must be an int, got {value!r}{hint}")
    return number


def swapaxes(x, axis1, axis2):
    """Exchange two axes (a 0-d x takes axes 0 and -1, as PyTorch reads a scalar's dims, and is returned as it is).

    >>> import autograd_core as ag
    >>> ag.swapaxes(ag.zeros((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    return _swapaxes("swapaxes", x, axis1, axis2)


def _swapaxes(name, x, axis1, axis2):
    """swapaxes, its errors naming name (swapdims's too)."""
    x = as_operand(x, name)
    if x.ndim == 0:
        check_scalar_dims(name, axis1, axis2)
        return _transpose(x, axes=())  # (a view, as any swap)
    try:
        axis1, axis2 = normalize_axis_index(axis1, x.ndim), normalize_axis_index(axis2, x.ndim)
    except np.exceptions.AxisError as err:
        raise np.exceptions.AxisError(f"{name}: {err} (input shape {x.shape}, axes {axis1} and {axis2}); "
                                      f"each axis must be in [{-x.ndim}, {x.ndim})") from None
    except TypeError:
        raise TypeError(f"{name}: each axis must be an int in [{-x.ndim}, {x.ndim}), got {axis1!r} and "
                        f"{axis2!r}") from None
    axes = list(range(x.ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return _transpose(x, axes=tuple(axes))


def expand_dims(x, axis):
    """Insert a size-1 axis at position axis.

    >>> import autograd_core as ag
    >>> ag.expand_dims(ag.zeros(3), 0).shape
    (1, 3)
    """
    shape = np.shape(as_value(x))
    try:
        return _reshape(x, shape=np.expand_dims(np.empty(shape, dtype=bool), axis).shape)
    except np.exceptions.AxisError as err:
        raise np.exceptions.AxisError(f"expand_dims: {err} (input shape {shape}); the new axis must be in "
                                      f"[-ndim - 1, ndim]") from None
    except TypeError:
        raise TypeError(f"expand_dims: axis must be an int or a tuple of ints, got {axis!r}") from None
    except ValueError as err:  # an axis named twice
        raise ValueError(f"expand_dims: {err} in axis={axis!r}; name each new axis once") from None


def squeeze(x, axis=None, *, dim=None):
    """Remove size-1 axes (all of them, or the given ones). dim is PyTorch's name for axis, but an axis whose size is
    not 1 is refused, as by NumPy (PyTorch's squeeze(dim) leaves it as it is).

    >>> import autograd_core as ag
    >>> ag.squeeze(ag.zeros((1, 3, 1))).shape
    (3,)
    >>> ag.zeros((1, 3, 1)).squeeze(dim=0).shape
    (3, 1)
    """
    if dim is not None:
        axis = axis_from_dim("squeeze", axis, dim)
    try:
        shape = np.squeeze(np.empty(np.shape(as_value(x)), dtype=bool), axis).shape
    except np.exceptions.AxisError as err:  # (out of range: NumPy's class, a ValueError and an IndexError)
        raise np.exceptions.AxisError(f"squeeze: {err} (shape {np.shape(as_value(x))}, axis={axis})") from None
    except ValueError as err:
        hint = "" if dim is None else ("; unlike PyTorch's squeeze(dim), which leaves an axis whose size is not 1 as "
                                       "it is, this one squeezes only size-1 axes")
        raise ValueError(f"squeeze: {err} (shape {np.shape(as_value(x))}, axis={axis}){hint}") from None
    except TypeError:
        raise TypeError(f"squeeze: axis must be None, an int or a tuple of ints, got {axis!r}") from None
    return _reshape(x, shape=shape)


# flatten copies, as NumPy's does (reshape(-1) is the view).
_flatten = Primitive("flatten", lambda x: np.asarray(x).flatten(), (lambda g, ans, x: g.reshape(np.shape(x)),),
                     reads_values=False)  # its rule reads x's shape only


def flatten(x, start_dim=0, end_dim=-1):
    """The values as a 1-D Tensor: a copy, as ndarray.flatten (x.reshape(-1) is a view). With start_dim/end_dim,
    PyTorch's torch.flatten: the dims start_dim..end_dim merged into one, as the method x.flatten(start_dim, end_dim).

    >>> import autograd_core as ag
    >>> ag.flatten(ag.zeros((2, 3))).shape, ag.flatten(ag.zeros((2, 3, 4)), 1).shape
    ((6,), (2, 12))
    """
    if start_dim == 0 and end_dim == -1 and type(start_dim) is type(end_dim) is int:
        return _flatten(x)
    return as_operand(x, "flatten").flatten(start_dim, end_dim)  # (torch_names.py's method checks the dims)


# A reversal is its own inverse: flip's gradient flips g back. A view, as NumPy's (torch.flip copies).
_flip = ViewPrimitive("flip", lambda x, axis=None: np.flip(x, axis),
                      (lambda g, ans, x, axis=None: _flip.traced(g, axis=axis),),
                      "axis must be None (every axis), an int or a tuple of distinct ints in [-ndim, ndim)")


def flip(x, axis=None, *, dims=None):
    """The elements in reverse order along axis (every axis for None, an int or a tuple of ints), as np.flip;
    torch.flip(x, dims=[-1]) as dims=, PyTorch's name (keyword-only: a positional axis is NumPy's).

    >>> import autograd_core as ag
    >>> ag.flip(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    Tensor([[2., 1.],
            [4., 3.]])
    >>> ag.flip(ag.tensor([[1.0, 2.0]]), dims=[-1])
    Tensor([[2., 1.]])
    """
    if dims is not None:
        if axis is not None:
            raise TypeError(f"flip: got both axis={axis!r} and dims={dims!r} (PyTorch's name for axis); give one of "
                            f"them")
        axis = dims
        if np.ndim(as_value(x)) == 0 and all(map(is_int, np.atleast_1d(dims))):  # (torch.flip: a 0-d input has
            axis = () if all(-1 <= d <= 0 for d in np.atleast_1d(dims)) else dims  # dim 0 or -1, as PyTorch's)
    axis = tuple(axis) if isinstance(axis, list) else axis  # (a list, as NumPy takes it, kept frozen)
    if isinstance(axis, tuple) and all(map(is_int, axis)):  # (an axis named twice: np.flip's ValueError, torch's
        n = max(np.ndim(as_value(x)), 1)                    # RuntimeError; out of range stays the AxisError below)
        named = [a % n for a in axis if -n <= a < n]
        if len(set(named)) != len(named):
            raise DuplicateDimError(f"flip: dims {axis} name an axis more than once (input shape "
                                    f"{np.shape(as_value(x))}); give each axis once")
    return _flip(x, axis=axis)


# tril and triu keep x where a fixed mask holds and put 0 elsewhere (a selection: a NaN outside the triangle gives 0),
# so the gradient is g masked alike (the same primitive, traced). A 1-D x is broadcast to the rows of a square matrix,
# as NumPy's; backprop's unbroadcast sums its gradient over the rows.
_TRIANGLE_HINT = "k is the diagonal (0 the main one, k > 0 above it, k < 0 below it)"
_tril = Primitive("tril", lambda x, k=0: np.tril(x, k), (lambda g, ans, x, k=0: _tril.traced(g, k=k),), _TRIANGLE_HINT,
                  reads_values=False)
_triu = Primitive("triu", lambda x, k=0: np.triu(x, k), (lambda g, ans, x, k=0: _triu.traced(g, k=k),), _TRIANGLE_HINT,
                  reads_values=False)


def _k_or_diagonal(owner, k, diagonal):
    """The diagonal given as NumPy's k or PyTorch's diagonal= (tril, triu, diag), not both."""
    if diagonal is None:
        return k
    if k != 0:
        raise TypeError(f"{owner}: got the diagonal twice, k={k!r} and diagonal={diagonal!r}; give one (diagonal= is "
                        f"PyTorch's name for NumPy's k=)")
    return diagonal


def _triangle(primitive, x, k, diagonal):
    k = _k_or_diagonal(primitive.name, k, diagonal)
    x = as_operand(x, primitive.name)
    if not x.ndim:  # (NumPy's own error: "tri() missing 1 required positional argument: 'N'")
        raise ValueError(f"{primitive.name}: a 0-d input has no matrix; give an array of at least 1 dimension (the "
                         f"last two axes hold the matrices, a 1-D one is repeated as the rows of a square matrix)")
    return primitive(x, k=k)


def tril(x, k=0, *, diagonal=None):
    """The lower triangle of the last two axes, the elements above diagonal k zeroed, as np.tril (a 1-D x is taken as
    the rows of a square matrix); diagonal= is torch.tril's name for k, and t.tril(diagonal) the method.

    >>> import autograd_core as ag
    >>> ag.tril(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([[1., 0.],
            [3., 4.]])
    >>> ag.tril(ag.ones((2, 2)), diagonal=-1)
    Tensor([[0., 0.],
            [1., 0.]])
    """
    return _triangle(_tril, x, k, diagonal)


def triu(x, k=0, *, diagonal=None):
    """The upper triangle of the last two axes, the elements below diagonal k zeroed, as np.triu (a 1-D x is taken as
    the rows of a square matrix); diagonal= is torch.triu's name for k, and t.triu(diagonal) the method.

    >>> import autograd_core as ag
    >>> ag.triu(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), k=1)
    Tensor([[0., 2.],
            [0., 0.]])
    >>> ag.ones((2, 2)).triu(diagonal=1)
    Tensor([[0., 1.],
            [0., 0.]])
    """
    return _triangle(_triu, x, k, diagonal)


# broadcast_to's gradient is the identity: backprop's unbroadcast sums it back down.
_broadcast_to = ViewPrimitive("broadcast_to", lambda x, shape: np.broadcast_to(x, shape),
                              (lambda g, ans, x, shape: g,), "shapes broadcast when trailing axes are equal or 1")


def broadcast_to(x, shape):
    """Broadcast to shape, as np.broadcast_to.

    >>> import autograd_core as ag
    >>> ag.broadcast_to(ag.tensor([1.0, 2.0]), (3, 2)).shape
    (3, 2)
    """
    sizes = np.atleast_1d(shape) if np.ndim(shape) else (shape,)
    return _broadcast_to(x, shape=tuple(_int("broadcast_to", "each size of shape", n) for n in sizes))


def _concatenate_vjp(i, g, ans, inputs, axis=0, _starts=()):
    axis = axis % np.ndim(g)
    start = _starts[i]
    return g[(slice(None),) * axis + (slice(start, start + np.shape(inputs[i])[axis]),)]


# _starts: each input's first index along axis in the result, found once by concatenate (found by the rule, for each
# input in turn, they cost O(n**2) for n inputs); internal, as its "_" says (see given_params).
_concatenate = Primitive("concatenate", lambda *xs, axis=0, _starts=(): np.concatenate(xs, axis=axis),
                         PerInput(_concatenate_vjp), "all inputs need the same shape except along axis",
                         reads_values=False)


def _operands(seq, name, keep_numbers=False):
    """seq's entries as Tensors (numbers, arrays, Tensors), or an error naming the operation; Python numbers kept
    as they are with keep_numbers."""
    if isinstance(seq, (str, bytes)) or not isinstance(seq, Iterable):
        raise TypeError(f"{name}: expected a sequence of Tensors or arrays (a list or tuple), got "
                        f"{type(seq).__name__}")
    return [x if keep_numbers and type(x) in (int, float, bool) else as_operand(x, name) for x in seq]


def _numbers_in_dtype(seq):
    """seq's Python numbers (which only a flattening concatenate takes) as Tensors of the dtype NumPy gives them
    there: the other entries' (NEP 50), so 0.5 does not upcast a float32 Tensor to float64; converted as NumPy's
    concatenate converts them (an int out of an int dtype's range wraps around, as there)."""
    numbers = [type(x) in (int, float, bool) for x in seq]
    if not any(numbers) or all(numbers):
        return seq
    dtype = np.result_type(*(as_value(x) if isinstance(x, Tensor) else x for x in seq))
    return [Tensor(np.asarray(x).astype(dtype)) if number else x for x, number in zip(seq, numbers)]


def concatenate(seq, axis=Default(0), *, dim=None):
    """Join Tensors along an existing axis (axis=None: flattened first, as NumPy; dim: PyTorch's name for axis, as
    in torch.cat).

    >>> import autograd_core as ag
    >>> ag.concatenate([ag.zeros(2), ag.ones(3)]).shape
    (5,)
    >>> ag.concatenate([ag.zeros((2, 1)), ag.ones((2, 3))], dim=1).shape
    (2, 4)
    """
    axis = axis_from_dim("concatenate", axis, dim, UNGIVEN)  # (a Default default as a plain int)
    seq = _operands(seq, "concatenate", keep_numbers=axis is None)
    if not seq:
        raise ShapeError("concatenate: need at least one array to concatenate")
    if axis is None:
        seq, axis = [flatten(x) for x in _numbers_in_dtype(seq)], 0
    shapes = [np.shape(as_value(x)) for x in seq]
    if not all(shapes):
        raise ShapeError("concatenate: zero-dimensional inputs cannot be concatenated; use ag.stack")
    axis = _int("concatenate", "axis", axis)
    try:
        starts = tuple(itertools.accumulate((shape[axis] for shape in shapes[:-1]), initial=0))
    except IndexError:  # an axis out of range: the forward says so
        starts = ()
    try:
        return _concatenate(*seq, axis=axis, _starts=starts)
    except np.exceptions.AxisError:
        raise
    except ValueError as err:  # (shapes that do not fit: NumPy's error, described)
        raise ShapeError(str(err)) from None


def stack(seq, axis=Default(0), *, dim=None, out=None):
    """Join Tensors along a new axis (dim: PyTorch's name for axis). out=, as NumPy's and PyTorch's: a Tensor of the
    result's shape that receives the values in place and is returned (refused while recording, as torch's).

    >>> import autograd_core as ag
    >>> ag.stack([ag.zeros(2), ag.ones(2)], axis=1).shape
    (2, 2)
    >>> ag.stack([ag.zeros(2), ag.ones(2)], dim=-1).shape
    (2, 2)
    """
    axis = axis_from_dim("stack", axis, dim, UNGIVEN)  # (a Default default as a plain int)
    if out is not None:
        from ..torch_functions import _written_into  # (cat's out=, here to avoid an import cycle)
        return _written_into(out, stack(seq, axis), "stack")
    seq = _operands(seq, "stack")
    if not seq:
        raise ShapeError("stack: need at least one array to stack")
    shapes = {np.shape(as_value(x)) for x in seq}
    if len(shapes) != 1:
        raise ShapeError(f"stack: all inputs must have the same shape, got {sorted(shapes)}")
    (shape,) = shapes
    valid = f"the new axis must be an int in [{-len(shape) - 1}, {len(shape)}]"
    try:
        position = normalize_axis_index(axis, len(shape) + 1)
    except np.exceptions.AxisError:
        raise np.exceptions.AxisError(f"stack: axis {axis} is out of range for inputs of shape {shape}; "
                                      f"{valid}") from None
    except TypeError:
        raise TypeError(f"stack: axis must be an int, got {axis!r}; {valid}") from None
    expanded = shape[:position] + (1,) + shape[position:]
    return concatenate([_reshape(x, shape=expanded) for x in seq], axis=position)


# ---- splitting -----------------------------------------------------------------------
def _pieces(name, x, bounds, axis):
    """x cut along axis at the given bounds (start, stop), as Tensors: slices, so each piece's gradient is g put back
    in its place."""
    x = as_operand(x, name)
    try:
        axis = normalize_axis_index(_int(name, "axis", axis), x.ndim)
    except np.exceptions.AxisError:
        raise np.exceptions.AxisError(f"{name}: axis {axis} is out of range for shape {x.shape}; valid axes are in "
                                      f"[{-x.ndim}, {x.ndim})") from None
    before = (slice(None),) * axis
    return [_getitem(x, index=before + (slice(start, stop),)) for start, stop in bounds(x.shape[axis])]


def _section_bounds(name, sections, n, equal):
    """(start, stop) of each of `sections` pieces of n entries: the first n % sections one longer (np.array_split),
    or, with equal, all of one length (np.split)."""
    sections = _int(name, "the number of sections", sections)
    if sections <= 0:
        raise ShapeError(f"{name}: the number of sections must be at least 1, got {sections}")
    if equal and n % sections:
        raise ShapeError(f"{name}: an axis of length {n} does not split into {sections} equal sections; give a "
                         f"divisor of {n}, the indices to split at, or use array_split (unequal sections)")
    size, longer = divmod(n, sections)
    stops = list(itertools.accumulate(size + (k < longer) for k in range(sections)))
    return list(zip([0] + stops[:-1], stops))


def _index_bounds(name, indices, n):
    """(start, stop) of the pieces np.split makes at indices: slices between them, so an index past the axis or
    before the one ahead of it gives an empty piece, as NumPy's."""
    points = [0] + [_int(name, "each index to split at", i) for i in indices] + [n]
    return list(zip(points, points[1:]))


def split(x, indices_or_sections=None, axis=0, *, dim=None, split_size_or_sections=None):
    """NumPy's split, into a list of Tensors (views, each differentiable): an int N cuts axis into N equal pieces (an
    error when they cannot be equal), a sequence of indices cuts at them. Tensor.split is PyTorch's, which takes the
    pieces' sizes instead: x.split(2) is pieces of 2, ag.split(x, 2) two pieces. PyTorch's dim= is refused, naming
    x.split(size, dim): torch.split(x, 1, dim=0) means pieces of one, which NumPy's split would read as one piece.
    ag.split(x, 1) on an axis longer than 1, the whole axis in one piece (NumPy's), warns for the same reason.
    PyTorch's keyword split_size_or_sections= names sizes unmistakably, so it gives PyTorch's split (a tuple), as
    torch.split(x, split_size_or_sections=[3, 2], dim=0).

    >>> import autograd_core as ag
    >>> [piece.tolist() for piece in ag.split(ag.arange(6.0), [1, 4])]
    [[0.0], [1.0, 2.0, 3.0], [4.0, 5.0]]
    >>> [piece.tolist() for piece in ag.split(ag.arange(5.0), split_size_or_sections=[3, 2])]
    [[0.0, 1.0, 2.0], [3.0, 4.0]]
    """
    if split_size_or_sections is not None:
        if indices_or_sections is not None or axis != 0:
            raise TypeError(f"split: split_size_or_sections= (PyTorch's sizes, along dim=) cannot be given with "
                            f"NumPy's indices_or_sections={indices_or_sections!r} or axis={axis!r}: give one of them")
        return torch_split(x, split_size_or_sections, 0 if dim is None else dim)
    if indices_or_sections is None:
        raise TypeError("split: give NumPy's indices_or_sections (a count of equal pieces, or indices to cut at) or "
                        "PyTorch's split_size_or_sections= (the pieces' sizes)")
    if dim is not None:
        raise TypeError(f"split: dim= is PyTorch's torch.split(x, split_size, dim), whose int is each piece's size; "
                        f"ag.split is NumPy's, whose int is the number of pieces (along axis=): for PyTorch's, write "
                        f"x.split({indices_or_sections!r}, dim={dim!r})")
    pieces = _numpy_split("split", x, indices_or_sections, axis, equal=True)
    if len(pieces) == 1 and isinstance(indices_or_sections, (int, np.integer)) and pieces[0].shape[axis] > 1:
        # one piece, x itself: nobody writes that for itself, but torch.split(x, 1) (pieces of one) reads the same
        warnings.warn(f"split(x, 1) is NumPy's split of axis {axis} into one piece, x itself (shape "
                      f"{pieces[0].shape}), where PyTorch's torch.split(x, 1) gives pieces of size 1: write "
                      f"x.split(1) (or x.split(1, dim=...)) for those", UserWarning, stacklevel=_callers_level())
    return pieces


def array_split(x, indices_or_sections, axis=0):
    """NumPy's array_split: split, but an int N need not divide the axis (the first n % N pieces are one longer).

    >>> import autograd_core as ag
    >>> [piece.shape for piece in ag.array_split(ag.zeros(5), 3)]
    [(2,), (2,), (1,)]
    """
    return _numpy_split("array_split", x, indices_or_sections, axis, equal=False)


def _numpy_split(name, x, indices_or_sections, axis, equal):
    if isinstance(indices_or_sections, (int, np.integer)) or not np.iterable(indices_or_sections):  # (2.0: refused)
        return _pieces(name, x, lambda n: _section_bounds(name, indices_or_sections, n, equal), axis)
    return _pieces(name, x, lambda n: _index_bounds(name, indices_or_sections, n), axis)


def _size_bounds(name, sizes, n):
    """(start, stop) of PyTorch's split by sizes: one int, pieces of that size (the last shorter); a list, one piece
    of each size, which must add up to n."""
    if isinstance(sizes, (int, np.integer)) or not np.iterable(sizes):  # (2.0 or None: refused)
        size = _int(name, "split_size", sizes)
        if size < 0 or size == 0 and n:  # (0 cuts an empty axis into one empty piece, as PyTorch's)
            raise ShapeError(f"{name}: split_size must be at least 1 (or 0 for an axis of length 0), got {size} for "
                             f"an axis of length {n}")
        return [(start, min(start + size, n)) for start in range(0, n, size or 1)] or [(0, 0)]
    sizes = [_int(name, "each size", s) for s in sizes]
    if any(s < 0 for s in sizes) or sum(sizes) != n:
        raise ShapeError(f"{name}: the sizes {sizes} must be non-negative and add up to the axis's length {n}")
    stops = list(itertools.accumulate(sizes))
    return list(zip([0] + stops[:-1], stops))


def torch_split(x, split_size_or_sections, dim=0):
    """PyTorch's split, Tensor.split: a tuple of pieces of split_size along dim (the last one shorter), or of the
    given sizes (a list adding up to the axis's length). ag.split is NumPy's, which takes counts or indices.

    >>> import autograd_core as ag
    >>> [piece.tolist() for piece in ag.arange(5.0).split(2)]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    >>> [piece.shape for piece in ag.zeros((2, 5)).split([1, 4], dim=1)]
    [(2, 1), (2, 4)]
    """
    return tuple(_pieces("split", x, lambda n: _size_bounds("split", split_size_or_sections, n), dim))


def chunk(x, chunks, dim=0):
    """PyTorch's chunk: a tuple of at most `chunks` pieces along dim, each of ceil(n / chunks) entries but the last
    (so fewer pieces may come back: 6 entries in 4 chunks are 3 pieces of 2, as in PyTorch).

    >>> import autograd_core as ag
    >>> [piece.shape for piece in ag.zeros(6).chunk(4)]
    [(2,), (2,), (2,)]
    """
    chunks = _int("chunk", "chunks", chunks)
    if chunks <= 0:
        raise ShapeError(f"chunk: chunks must be at least 1, got {chunks}")
    # (an empty axis gives `chunks` empty pieces, as PyTorch's)
    return tuple(_pieces("chunk", x, lambda n: _size_bounds("chunk", -(-n // chunks), n) if n else [(0, 0)] * chunks,
                         dim))

