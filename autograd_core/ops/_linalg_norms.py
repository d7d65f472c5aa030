"""np.linalg's norms (norm, vector_norm, matrix_norm) and NumPy 2's array-API helpers (trace, diagonal, outer,
matrix_transpose), exported by autograd_core.ops.linalg.

The p-norms over some axes are one primitive, whose rule is torch's linalg_vector_norm_backward: at a zero vector
the 2-norm (and any p >= 1) has the subgradient 0, where a composition sqrt(sum(x**2)) would give nan. The max/min
norms (ord=+-inf) are max/min of abs (ties split the gradient equally, as torch's), ord=0 counts the nonzero entries
(gradient 0); the matrix norms are compositions: 'fro' the 2-norm over two axes, 'nuc' and +-2 the sum/max/min of
the singular values (svd's gradient), +-1 and +-inf max/min of absolute column/row sums.
"""
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .._arguments import DuplicateDimError, InvalidArgumentError, reduction_from_torch, scalar_dims
from ..primitive import Primitive, as_operand
from .arithmetic import abs as _abs, astype
from .contraction import einsum
from .contraction import outer as _outer
from .elementwise import sign, where
from .reductions import max as _max, min as _min, sum as _sum
from .shape import expand_dims, swapaxes, transpose


def _restored(x, axis, keepdims):
    """x (a reduction's result or cotangent) with the reduced axes put back as size 1."""
    return x if keepdims or axis is None else np.expand_dims(x, axis)


def _pnorm_vjp(g, ans, x, p, axis, keepdims):
    # torch's linalg_vector_norm_backward: where the norm is 0, the subgradient 0 (p >= 1)
    if x.dtype == np.float16:  # (in float32, rounded once, as the forward: |x|**(p - 1) overflows float16 early)
        with np.errstate(over="ignore"):
            return _pnorm_vjp(g.astype(np.float32), ans.astype(np.float32), x.astype(np.float32), p, axis,
                              keepdims).astype(np.float16)
    g, ans = _restored(g, axis, keepdims), _restored(ans, axis, keepdims)
    if p == 1:
        return g * np.sign(x)
    zero = ans == 0
    safe = np.where(zero, 1, ans)
    if p == 2:
        return x * np.where(zero, 0, g / safe)
    if p < 1:
        scaled = np.sign(x) * np.where(x == 0, 0, np.where(x == 0, 1, np.abs(x)) ** (p - 1))
        return scaled * g * ans ** (1 - p)
    scaled = np.sign(x) * np.abs(x) ** (p - 1) if p < 2 else x * np.abs(x) ** (p - 2)
    return scaled * np.where(zero, 0, g / safe ** (p - 1))


def _pnorm_forward(x, p, axis, keepdims):
    # a float16 x is summed in float32 and rounded once, as torch's: NumPy's sum of |x|**p overflows at 65504
    if x.dtype != np.float16:
        return np.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=p)
    with np.errstate(over="ignore"):  # (a norm past float16's range is inf, as torch's)
        return np.linalg.vector_norm(x.astype(np.float32), axis=axis, keepdims=keepdims, ord=p).astype(np.float16)


_pnorm = Primitive("linalg.vector_norm", _pnorm_forward, (_pnorm_vjp,))


def _float(x, name):
    x = as_operand(x, name)
    return x if x.dtype.kind == "f" else astype(x, np.float64)  # (NumPy's norms compute ints in float64)


def _largest(v, axis, keepdims=False):
    """The max of v (>= 0) over axis, 0 when those axes are empty, as NumPy's norms (max with initial=0): the sum
    of no entries is that 0, and keeps the result in the graph."""
    axes = range(v.ndim) if axis is None else np.atleast_1d(axis)
    empty = any(v.shape[a] == 0 for a in axes)
    return (_sum if empty else _max)(v, axis=axis, keepdims=keepdims)


def _smallest(v, axis, keepdims, ord, shape):
    """The min of v over axis; over no entries (an empty vector or matrix) a ValueError naming the norm, as NumPy's
    (and torch's) refusal, rather than the bare reduction's."""
    axes = range(v.ndim) if axis is None else np.atleast_1d(axis)
    if any(v.shape[a] == 0 for a in axes):
        raise InvalidArgumentError(f"norm: ord={ord!r} takes the smallest of no values for an input of shape {shape} "
                                   f"(zero-size array to reduction operation minimum which has no identity, as "
                                   f"NumPy's); it needs nonempty vectors or matrices")
    return _min(v, axis=axis, keepdims=keepdims)


def _vector(x, ord, axis, keepdims):
    """The vector ord-norm of a float Tensor over axis (a tuple, or None for all)."""
    if isinstance(ord, str) or np.ndim(ord) != 0:
        raise InvalidArgumentError(f"norm: invalid norm order {ord!r} for vectors; give a number (inf, -inf, 0, 1, 2, "
                                   f"any p)")
    if ord == np.inf:
        return _largest(_abs(x), axis, keepdims)
    if ord == -np.inf:
        return _smallest(_abs(x), axis, keepdims, ord, x.shape)
    if ord == 0:  # the count of nonzero entries (a NaN counts, as NumPy's and torch's); gradient 0
        return _sum(where(np.isnan(x.data), 1, _abs(sign(x))), axis=axis, keepdims=keepdims)
    return _pnorm(x, p=float(ord), axis=axis, keepdims=keepdims)


def _matrix(x, ord, axes, keepdims):
    """The matrix ord-norm of a float Tensor over the two axes (normalized)."""
    row, col = axes
    if ord in ("fro", "f"):
        result = _pnorm(x, p=2.0, axis=axes, keepdims=False)
    elif ord in ("nuc", 2, -2):
        from .linalg import svdvals
        others = [d for d in range(x.ndim) if d not in axes]
        s = svdvals(transpose(x, others + [row, col]))
        result = _sum(s, axis=-1) if ord == "nuc" else _largest(s, -1) if ord == 2 else _smallest(s, -1, False, ord, x.shape)
    elif ord in (1, -1, np.inf, -np.inf):
        summed, kept = (row, col) if ord in (1, -1) else (col, row)  # 1: column sums; inf: row sums
        sums = _sum(_abs(x), axis=summed)
        kept -= kept > summed
        result = _largest(sums, kept) if ord > 0 else _smallest(sums, kept, False, ord, x.shape)
    else:
        raise InvalidArgumentError(f"norm: invalid norm order {ord!r} for matrices; give None, 'fro', 'nuc', inf, "
                                   f"-inf, 1, -1, 2 or -2")
    return expand_dims(result, axes) if keepdims else result


def _cast(x, name, dtype):
    """x as a float Tensor, of dtype when given (torch's dtype=: the input is cast before the norm is taken)."""
    x = _float(x, name)
    if dtype is None:
        return x
    if np.dtype(dtype).kind != "f":
        raise TypeError(f"{name}: dtype={dtype!r} must be a floating dtype (the norm's and the cast input's)")
    return astype(x, dtype)


def norm(x, ord=None, axis=None, keepdims=False, *, dim=None, keepdim=None, dtype=None):
    """A vector or matrix norm, as np.linalg.norm: ord None (2-norm of the flattened x, Frobenius over two axes),
    'fro', 'nuc', inf, -inf, 0, 1, -1, 2, -2 or another p; axis an int (vectors), a pair (matrices) or None (x 1-D
    or 2-D, or any x for ord=None). At a zero vector the 2-norm's gradient is 0, as torch's. dim and keepdim are
    torch.linalg.norm's names for axis and keepdims (its ord and rules are NumPy's); dtype= casts x first, as torch's.

    >>> import autograd_core as ag
    >>> ag.linalg.norm(ag.tensor([3.0, 4.0]))
    Tensor(5.)
    >>> ag.linalg.norm(ag.tensor([[3.0, 4.0], [6.0, 8.0]]), dim=1, keepdim=True)
    Tensor([[ 5.],
            [10.]])
    """
    if dim is not None or keepdim is not None:  # PyTorch's names (see _arguments)
        axis, keepdims = reduction_from_torch("linalg.norm", axis, keepdims, dim, keepdim)
    x = _cast(x, "linalg.norm", dtype)
    if x.ndim == 0 and axis is not None and _scalar_axes(axis):
        return norm(x.reshape(1), ord, axis).reshape(())
    nd, given = x.ndim, axis
    if axis is None:
        if ord is None or ord in ("fro", "f") and nd == 2 or ord == 2 and nd == 1:
            result = _pnorm(x, p=2.0, axis=None, keepdims=False)
            return result.reshape((1,) * nd) if keepdims else result
        if nd not in (1, 2):
            raise InvalidArgumentError(f"norm: improper number of dimensions to norm: input of shape {x.shape} with "
                                       f"ord={ord!r} and axis=None; give axis= (an int or a pair), or a 1-D or 2-D "
                                       f"input")
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = (operator.index(axis),)
        except TypeError:
            raise TypeError(f"norm: axis={axis!r} must be None, an int or a tuple of ints") from None
    try:
        axes = normalize_axis_tuple(axis, nd)
    except np.exceptions.AxisError as err:
        raise np.exceptions.AxisError(f"norm: {err} (input shape {x.shape}, axis={given!r}); valid axes are in "
                                      f"[{-nd}, {nd})") from None
    except ValueError as err:
        raise InvalidArgumentError(f"norm: {err} (axis={given!r}); the axes must be distinct") from None
    if len(axes) == 1:
        if isinstance(ord, str):
            raise InvalidArgumentError(f"norm: invalid norm order {ord!r} for vectors; give None or a number (inf, "
                                       f"-inf, 0, 1, 2, any p)")
        return _vector(x, 2 if ord is None else ord, axes, keepdims)
    if len(axes) == 2:
        return _matrix(x, "fro" if ord is None else ord, axes, keepdims)
    raise InvalidArgumentError(f"norm: improper number of dimensions to norm: axis={axis!r} names {len(axes)} axes; "
                               f"give one (a vector norm) or two (a matrix norm)")


def _scalar_axes(axis):
    """Whether axis names only axis 0 or -1, which a 0-d input takes as one vector of one entry (as torch's)."""
    return scalar_dims(*(axis if isinstance(axis, tuple) else (axis,)))


def vector_norm(x, /, ord=2, dim=None, keepdim=None, *, axis=None, keepdims=False, dtype=None):
    """The vector ord-norm over axis (None: all axes, as one vector; a tuple: those axes), as
    np.linalg.vector_norm: ord inf, -inf, 0 or any p. At a zero vector the gradient is 0 (p >= 1), as torch's.
    dim and keepdim are torch.linalg.vector_norm's names for axis and keepdims, and as there ord, dim and keepdim
    may be given by position; dtype= casts x first, as torch's.

    >>> import autograd_core as ag
    >>> ag.linalg.vector_norm(ag.tensor([[3.0, 4.0], [0.0, 0.0]]), axis=1)
    Tensor([5., 0.])
    """
    if dim is not None or keepdim is not None:  # PyTorch's names (see _arguments)
        axis, keepdims = reduction_from_torch("linalg.vector_norm", axis, keepdims, dim, keepdim)
    x = _cast(x, "linalg.vector_norm", dtype)
    if isinstance(ord, str) or ord is None:
        raise InvalidArgumentError(f"vector_norm: invalid norm order {ord!r}; give a number (inf, -inf, 0, 1, 2, "
                                   f"any p)")
    if axis is None:
        result = _vector(x.reshape(-1), ord, (0,), False)
        return result.reshape((1,) * x.ndim) if keepdims else result
    if x.ndim == 0 and _scalar_axes(axis):
        return vector_norm(x.reshape(1), ord, axis=axis).reshape(())
    try:
        axes = normalize_axis_tuple(axis, x.ndim)
    except np.exceptions.AxisError as err:
        raise np.exceptions.AxisError(f"vector_norm: {err} (input shape {x.shape}, axis={axis!r}); valid axes are "
                                      f"in [{-x.ndim}, {x.ndim})") from None
    except (TypeError, ValueError) as err:  # (a repeated axis: torch's RuntimeError too)
        kind = TypeError if isinstance(err, TypeError) else DuplicateDimError
        raise kind(f"vector_norm: invalid axis={axis!r} for input shape {x.shape} ({err}); give None, an int or a "
                   f"tuple of distinct ints in [{-x.ndim}, {x.ndim})") from None
    return _vector(x, ord, axes, keepdims)


def matrix_norm(x, /, ord="fro", dim=None, keepdim=None, *, keepdims=False, dtype=None):
    """The matrix ord-norm over the last two axes, as np.linalg.matrix_norm ('fro', 'nuc', inf, -inf, 1, -1, 2, -2).
    As torch.linalg.matrix_norm's, ord, dim (the pair of axes, default (-2, -1)) and keepdim may be given by
    position, and dtype= casts x first.

    >>> import autograd_core as ag
    >>> ag.linalg.matrix_norm(ag.tensor([[3.0, 0.0], [0.0, -4.0]]), ord="nuc")
    Tensor(7.)
    """
    if keepdim is not None:  # PyTorch's name (see _arguments)
        _, keepdims = reduction_from_torch("linalg.matrix_norm", None, keepdims, None, keepdim)
    x = _cast(x, "linalg.matrix_norm", dtype)
    if x.ndim < 2:
        raise InvalidArgumentError(f"matrix_norm: input of shape {x.shape} has fewer than 2 dimensions; give a matrix "
                                   f"or a stack of matrices")
    if dim is None:
        return _matrix(x, ord, (x.ndim - 2, x.ndim - 1), keepdims)
    if not (isinstance(dim, (tuple, list)) and len(dim) == 2):
        raise InvalidArgumentError(f"matrix_norm: dim={dim!r} must be a 2-tuple of axes (the matrices' rows and "
                                   f"columns)")
    return norm(x, ord, tuple(dim), keepdims)


def _at_least_2d(name, x):
    if x.ndim < 2:
        raise InvalidArgumentError(f"{name}: input of shape {x.shape} has fewer than 2 dimensions; give a matrix or a "
                                   f"stack of matrices (the last two axes)")


def diagonal(x, /, *, offset=0, dim1=-2, dim2=-1):
    """The diagonal offset of the last two axes, as np.linalg.diagonal (offset > 0 above the main diagonal); as
    torch.linalg.diagonal's, dim1 and dim2 name other axes for the rows and columns (the diagonal goes last).

    >>> import autograd_core as ag
    >>> ag.linalg.diagonal(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), offset=1)
    Tensor([2.])
    >>> ag.linalg.diagonal(ag.ones((2, 3, 4)), dim1=0, dim2=1).shape
    (4, 2)
    """
    x = as_operand(x, "linalg.diagonal")
    _at_least_2d("diagonal", x)
    try:
        offset = operator.index(offset)
    except TypeError:
        raise TypeError(f"diagonal: offset must be an integer, got {offset!r}") from None
    if (dim1, dim2) != (-2, -1):
        try:
            rows, columns = normalize_axis_tuple((dim1, dim2), x.ndim)
        except np.exceptions.AxisError as err:
            raise IndexError(f"diagonal: {err} (dim1={dim1!r}, dim2={dim2!r}, input shape {x.shape}); valid dims "
                             f"are in [{-x.ndim}, {x.ndim})") from None
        except ValueError:
            raise InvalidArgumentError(f"diagonal: dim1 and dim2 name the same axis ({dim1!r}, {dim2!r}) of input "
                                       f"shape {x.shape}; give two distinct axes") from None
        others = [a for a in range(x.ndim) if a not in (rows, columns)]
        x = transpose(x, others + [rows, columns])
    m, n = x.shape[-2:]
    r0, c0 = max(-offset, 0), max(offset, 0)
    k = max(0, min(m - r0, n - c0))
    square = x[..., r0:r0 + k, c0:c0 + k]
    return einsum("...ii->...i", square)


def trace(x, /, *, offset=0, dtype=None):
    """The sum of the diagonal offset of the last two axes, as np.linalg.trace (dtype: cast first).

    >>> import autograd_core as ag
    >>> ag.linalg.trace(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor(5.)
    """
    x = as_operand(x, "linalg.trace")
    _at_least_2d("trace", x)
    if dtype is not None:
        x = astype(x, dtype)
    # NumPy's dtype: dtype= when given, else an int32 trace is int64
    expected = np.linalg.trace(np.zeros((1, 1), x.dtype), dtype=dtype).dtype
    result = _sum(diagonal(x, offset=offset), axis=-1)
    return result if result.dtype == expected else astype(result, expected)


def outer(x1, x2, /):
    """The outer product of two vectors, as np.linalg.outer (1-D inputs only; np.outer flattens).

    >>> import autograd_core as ag
    >>> ag.linalg.outer(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0]))
    Tensor([[3., 4.],
            [6., 8.]])
    """
    x1, x2 = as_operand(x1, "linalg.outer"), as_operand(x2, "linalg.outer")
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"outer: input arrays must be one-dimensional, got shapes {x1.shape} and {x2.shape} (np.outer "
                         f"flattens them)")
    return _outer(x1, x2)


def matrix_transpose(x, /):
    """The last two axes exchanged, as np.linalg.matrix_transpose.

    >>> import autograd_core as ag
    >>> ag.linalg.matrix_transpose(ag.zeros((2, 3, 4))).shape
    (2, 4, 3)
    """
    x = as_operand(x, "linalg.matrix_transpose")
    _at_least_2d("matrix_transpose", x)
    return swapaxes(x, -1, -2)
