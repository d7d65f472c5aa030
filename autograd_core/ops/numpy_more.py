"""More NumPy functions on Tensors: kron, vander, cross, diag, diagflat, meshgrid, nan_to_num, trapezoid (and trapz,
cumulative_trapezoid: PyTorch's), convolve, correlate and interp.

None is a primitive: each is a composition of reshape, broadcasting, indexing (whose rule scatter-adds the gradient
back), where, products and sums, so gradients and second derivatives come with them. Arguments, result shapes and
dtypes are NumPy's.
"""
import warnings

import numpy as np

from .._arguments import (UNGIVEN, Default, InvalidArgumentError, as_index, axis_from_dim, broadcasts_to,
                          one_of_two_names)
from ..primitive import OperandError, as_operand
from ..tensor import Tensor, as_value
from .elementwise import where
from .indexing import getitem
from .rearrange import _axis, moveaxis, ravel
from .reductions import cumsum as _cumsum, sum as _sum
from .selection import diagonal as _diagonal_of
from .shape import (ShapeError, _callers_level, _int, _k_or_diagonal, broadcast_to, concatenate, copy as _copy, flip,
                    reshape, stack)
from .statistics import cumprod


def _zero(dtype):
    return np.zeros((), dtype)


def kron(a, b):
    """The Kronecker product of a and b, as np.kron: the shapes are padded with leading 1s to the same length and
    block (i, j, ...) is a[i, j, ...] * b. Differentiable in both.

    >>> import autograd_core as ag
    >>> ag.kron(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 10.0]))
    Tensor([ 1., 10.,  2., 20.])
    """
    a, b = as_operand(a, "kron"), as_operand(b, "kron")
    d = max(a.ndim, b.ndim)
    sa, sb = (1,) * (d - a.ndim) + a.shape, (1,) * (d - b.ndim) + b.shape
    spread_a = reshape(a, tuple(n for s in sa for n in (s, 1)))
    spread_b = reshape(b, tuple(n for s in sb for n in (1, s)))
    return reshape(spread_a * spread_b, tuple(x * y for x, y in zip(sa, sb)))


def vander(x, N=None, increasing=False):  # noqa: N803 (NumPy's and PyTorch's name)
    """The Vandermonde matrix of a 1-D x, as np.vander and torch.vander: column j is x ** (N - 1 - j) (x ** j with
    increasing=True), N columns (len(x) by default), in x's dtype promoted with int (bool gives int64). The powers
    are running products, so the gradient is exact at 0 too. Differentiable in x.

    >>> import autograd_core as ag
    >>> ag.vander(ag.tensor([1, 2, 3]), 3)
    Tensor([[1, 1, 1],
            [4, 2, 1],
            [9, 3, 1]])
    """
    x = as_operand(x, "vander")
    if x.ndim != 1:
        raise ShapeError(f"vander: x must be a one-dimensional Tensor, got shape {x.shape}")
    n = x.shape[0] if N is None else _int("vander", "N", N)
    if n < 0:
        raise ShapeError(f"vander: N must be non-negative, got {n}")
    dtype = np.promote_types(x.dtype, np.int64)
    x = x if x.dtype == dtype else x.astype(dtype)
    ones = Tensor._constant(np.ones((x.shape[0], min(n, 1)), dtype))
    powers = cumprod(concatenate([ones, broadcast_to(reshape(x, (-1, 1)), (x.shape[0], max(n - 1, 0)))], axis=1),
                     axis=1)
    return powers if increasing else flip(powers, axis=1)


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None, *, dim=None):
    """The cross product of 3-vectors (or 2-vectors, whose z component is 0) along axisa of a and axisb of b, as
    np.cross: the other axes broadcast, the vectors of the result lie along axisc (axis sets all three; dim is
    torch.cross's name for it). Two 2-vectors give the z component alone.

    >>> import autograd_core as ag
    >>> ag.cross(ag.tensor([1.0, 0.0, 0.0]), ag.tensor([0.0, 1.0, 0.0]))
    Tensor([0., 0., 1.])
    """
    a, b = as_operand(a, "cross"), as_operand(b, "cross")
    axis = axis_from_dim("cross", axis, dim)
    if axis is not None:
        axisa = axisb = axisc = axis
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"cross: the inputs must hold vectors (at least 1-D), got shapes {a.shape} and {b.shape}")
    a = moveaxis(a, _axis("cross", axisa, a), -1)
    b = moveaxis(b, _axis("cross", axisb, b), -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(f"cross: incompatible dimensions for cross product (dimension must be 2 or 3): vectors of "
                         f"length {a.shape[-1]} and {b.shape[-1]} (axisa={axisa}, axisb={axisb})")
    try:
        batch = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(f"cross: the shapes {a.shape[:-1]} and {b.shape[:-1]} around the vectors do not "
                         f"broadcast") from None
    if a.dtype == np.bool_ and b.dtype == np.bool_:  # (NumPy's raises in its boolean subtract)
        raise TypeError("cross: boolean inputs are not supported (the product's differences are not defined for "
                        "booleans, as in NumPy); cast one of them to an integer or float dtype")
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    z = a0 * b1 - a1 * b0
    if a.shape[-1] == 2 or b.shape[-1] == 2:
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional vectors instead. "
                      "(deprecated in NumPy 2.0)", DeprecationWarning, stacklevel=2)
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return broadcast_to(z, batch) if z.shape != batch else z
    if a.shape[-1] == 3 and b.shape[-1] == 3:
        a2, b2 = a[..., 2], b[..., 2]
        parts = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, z]
    elif a.shape[-1] == 2:  # a's z is 0, as NumPy's
        b2 = b[..., 2]
        parts = [a1 * b2, -(a0 * b2), z]
    else:
        a2 = a[..., 2]
        parts = [-(a2 * b1), a2 * b0, z]
    parts = [broadcast_to(p, batch) if p.shape != batch else p for p in parts]
    out = stack(parts, axis=-1)
    return moveaxis(out, -1, _axis("cross", axisc, out))


def _placed_on_diagonal(v, k):
    """The matrices with the last axis of v on their k-th diagonal and zeros elsewhere (a where, so no 0 * inf)."""
    m, shift = v.shape[-1], abs(k)
    n = m + shift
    pad = Tensor._constant(np.zeros(v.shape[:-1] + (shift,), v.dtype))
    column = concatenate([v, pad] if k >= 0 else [pad, v], axis=-1) if shift else v  # row i's value
    return where(np.eye(n, k=k, dtype=bool), reshape(column, v.shape[:-1] + (n, 1)), _zero(v.dtype))


def diag(v, k=0, *, diagonal=None, out=None):
    """As np.diag: a 1-D v gives the matrix with v on its k-th diagonal (k > 0 above the main one), a 2-D v its k-th
    diagonal. The gradient goes back along the diagonal. diagonal= is torch.diag's name for k, and t.diag(diagonal)
    the method (RBF kernels' `XX.diag().unsqueeze(1)`); out= a Tensor receives the values, as torch.diag's.

    >>> import autograd_core as ag
    >>> ag.diag(ag.tensor([1.0, 2.0]))
    Tensor([[1., 0.],
            [0., 2.]])
    >>> ag.tensor([[1.0, 2.0], [3.0, 4.0]]).diag(diagonal=1)
    Tensor([2.])
    """
    k = _k_or_diagonal("diag", k, diagonal)
    if out is not None:
        from ..torch_functions import _written_into  # (imported after ops: it needs Tensor's methods)
        return _written_into(out, diag(v, k), "diag")
    v = as_operand(v, "diag")
    k = _int("diag", "the diagonal k", k)
    if v.ndim == 1:
        return _placed_on_diagonal(v, k)
    if v.ndim == 2:  # a copy, as torch.diag's (NumPy's is a read-only view; diagonal's own is writable)
        return _copy(_diagonal_of(v, k))
    raise InvalidArgumentError(f"diag: input must be 1- or 2-d, got shape {v.shape}")


def diagflat(v, k=Default(0), *, offset=None):
    """The matrix with v flattened on its k-th diagonal, as np.diagflat; offset= is torch.diagflat's name for k.

    >>> import autograd_core as ag
    >>> ag.diagflat(ag.tensor([[1.0, 2.0]])).shape
    (2, 2)
    >>> ag.diagflat(ag.tensor([1.0, 2.0]), offset=-1).shape
    (3, 3)
    """
    k = one_of_two_names("diagflat", "k", k, "offset", offset, UNGIVEN)
    return _placed_on_diagonal(ravel(as_operand(v, "diagflat")), _int("diagflat", "the diagonal k", k))


def diag_embed(input, offset=0, dim1=-2, dim2=-1):  # noqa: A002 (PyTorch's argument name)
    """PyTorch's torch.diag_embed: each vector along input's last axis on the offset-th diagonal (offset > 0 above
    the main one) of a square matrix whose two axes are dim1 and dim2 of the result (a diagonal covariance's
    scale_tril, torch.diag_embed(sigma)). The gradient goes back along the diagonal.

    >>> import autograd_core as ag
    >>> ag.diag_embed(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))[1]
    Tensor([[3., 0.],
            [0., 4.]])
    """
    v = as_operand(input, "diag_embed")
    if v.ndim == 0:
        raise ValueError("diag_embed: input must have at least 1 dimension, got a 0-d Tensor")
    offset = _int("diag_embed", "offset", offset)
    ndim = v.ndim + 1
    first, second = (_int("diag_embed", name, d) for name, d in (("dim1", dim1), ("dim2", dim2)))
    for d in (first, second):
        if not -ndim <= d < ndim:
            raise IndexError(f"diag_embed: dim {d} is out of range for the {ndim}-d result (input shape {v.shape} "
                             f"and one more axis); valid dims are ints in [{-ndim}, {ndim})")
    first, second = first % ndim, second % ndim
    if first == second:
        raise ValueError(f"diag_embed: dim1 {dim1} and dim2 {dim2} name the same axis of the {ndim}-d result; give "
                         f"two different axes")
    return moveaxis(_placed_on_diagonal(v, offset), (-2, -1), (first, second))


def meshgrid(*xi, copy=True, sparse=False, indexing=None):
    """Coordinate grids from 1-D coordinate vectors (each input is flattened), as np.meshgrid: a tuple of Tensors;
    indexing 'xy' (Cartesian: the first two axes swapped; NumPy's default) or 'ij' (matrix); sparse keeps length-1
    axes instead of broadcasting. Each grid's gradient is summed back onto its vector. Called as ag.meshgrid with two
    or more vectors and no indexing, it warns, as torch.meshgrid does: PyTorch's default is 'ij', so ported code
    would get its grids turned around (np.meshgrid on Tensors keeps NumPy's default without a word).

    >>> import autograd_core as ag
    >>> X, Y = ag.meshgrid(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([4.0, 5.0]), indexing="xy")
    >>> X.shape, Y.shape
    ((2, 3), (2, 3))
    """
    if indexing is None:
        if len(xi) > 1:
            warnings.warn("meshgrid without indexing= gives NumPy's 'xy' grids (the first two axes swapped), where "
                          "torch.meshgrid's default is 'ij': pass indexing='xy' or indexing='ij'", UserWarning,
                          stacklevel=_callers_level())
        indexing = "xy"
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    if len(xi) == 1 and isinstance(xi[0], (list, tuple)) and any(isinstance(x, Tensor) for x in xi[0]):
        # torch.meshgrid([x, y]) form: NumPy would flatten the list into one vector and give one grid
        raise TypeError(f"meshgrid: got one {type(xi[0]).__name__} of {len(xi[0])} Tensors; as np.meshgrid, pass the "
                        f"vectors as separate arguments: meshgrid(x, y, indexing='ij') gives torch.meshgrid([x, y]) "
                        f"(torch's default indexing is 'ij', NumPy's 'xy')")
    ndim = len(xi)
    vectors = [ravel(as_operand(x, "meshgrid")) for x in xi]
    shapes = [[1] * ndim for _ in range(ndim)]
    for i, x in enumerate(vectors):
        shapes[i][i] = x.shape[0]
    if indexing == "xy" and ndim > 1:
        for s in shapes:
            s[0], s[1] = s[1], s[0]
    grids = [reshape(x, tuple(s)) for x, s in zip(vectors, shapes)]
    if not sparse and grids:
        full = np.broadcast_shapes(*(g.shape for g in grids))
        grids = [broadcast_to(g, full) if g.shape != full else g for g in grids]
    return tuple(grids)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """x with NaN replaced by nan, +inf by posinf and -inf by neginf (default: the largest and the most negative
    finite values of x's dtype), as np.nan_to_num. The gradient is 1 where the value is kept, 0 where replaced; a
    fill that requires grad (a number or an array broadcasting to x) gets the gradients of the entries it fills.
    Integer and bool inputs come back as they are.

    >>> import autograd_core as ag
    >>> ag.nan_to_num(ag.tensor([float("nan"), 1.0, float("inf")]), posinf=9.0)
    Tensor([0., 1., 9.])
    """
    if not isinstance(copy, (bool, np.bool_)):  # (torch.nan_to_num(x, 0.5)'s second argument is nan; NumPy's is copy)
        raise TypeError(f"nan_to_num: copy (NumPy's second argument) must be a bool, got {copy!r}; PyTorch's "
                        f"torch.nan_to_num(x, {copy!r}) is nan_to_num(x, nan={copy!r}) here (or "
                        f"x.nan_to_num({copy!r}))")
    x = as_operand(x, "nan_to_num")
    if x.dtype.kind not in "f":
        if x.dtype.kind == "c":
            raise TypeError("nan_to_num on Tensors: complex inputs are not supported")
        return _copy(x)
    info = np.finfo(x.dtype)
    values = x.data
    out = x
    for name, mask, fill in (("nan", np.isnan(values), nan),
                             ("posinf", np.isposinf(values), info.max if posinf is None else posinf),
                             ("neginf", np.isneginf(values), info.min if neginf is None else neginf)):
        # NumPy's copyto(x, fill, where=mask): a fill of a kind that casts to x's dtype, broadcast to x's shape
        value = np.asarray(as_value(fill))
        if not np.can_cast(value.dtype, x.dtype, "same_kind"):
            raise TypeError(f"nan_to_num: {name}={fill!r} (dtype {value.dtype}) cannot fill an input of dtype "
                            f"{x.dtype}; give a real number")
        extra = max(value.ndim - x.ndim, 0)  # (leading axes of length 1 are dropped, as NumPy's)
        if any(n != 1 for n in value.shape[:extra]) or not broadcasts_to(value.shape[extra:], x.shape):
            raise ValueError(f"nan_to_num: {name} of shape {value.shape} cannot fill an input of shape {x.shape}; "
                             f"it must broadcast to it")
        # a fill that requires grad stays in the graph (as ag.full's); others are constants
        fill = fill.astype(x.dtype) if isinstance(fill, Tensor) and fill.requires_grad else value.astype(x.dtype)
        if extra:
            fill = reshape(fill, value.shape[extra:])
        if mask.any():
            out = where(mask, fill, out)
    return out if out is not x else _copy(x)


def trapezoid(y, x=None, dx=None, axis=Default(-1), *, dim=None):
    """The integral of y along axis by the trapezoidal rule, as np.trapezoid and torch.trapezoid (dim= is PyTorch's
    name for axis; dx=None is a spacing of 1): sample points x (1-D along axis, or of y's shape) or a spacing dx.
    Differentiable in y, x and dx.

    >>> import autograd_core as ag
    >>> ag.trapezoid(ag.tensor([1.0, 2.0, 3.0]))
    Tensor(4.)
    >>> ag.trapezoid(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), dx=2.0, dim=0)
    Tensor([4., 6.])
    """
    terms, given = _trapezoid_terms("trapezoid", y, x, dx, axis_from_dim("trapezoid", axis, dim, UNGIVEN))
    return _sum(terms, axis=given)  # (as given: x may add leading axes, as NumPy's)


def trapz(y, x=None, dx=None, axis=Default(-1), *, dim=None):
    """trapezoid's older name, which torch.trapz still is (np.trapz, deprecated, too): the same arguments.

    >>> import autograd_core as ag
    >>> ag.trapz(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([0.0, 1.0, 3.0]))
    Tensor(6.5)
    """
    return trapezoid(y, x, dx, axis, dim=dim)


def cumulative_trapezoid(y, x=None, dx=None, axis=Default(-1), *, dim=None):
    """The running integral of y along axis by the trapezoidal rule, as torch.cumulative_trapezoid (and SciPy's
    without initial=): one value fewer than y along axis, the last trapezoid's; arguments as trapezoid's.

    >>> import autograd_core as ag
    >>> ag.cumulative_trapezoid(ag.tensor([1.0, 2.0, 3.0]))
    Tensor([1.5, 4. ])
    """
    axis = axis_from_dim("cumulative_trapezoid", axis, dim, UNGIVEN)
    terms, given = _trapezoid_terms("cumulative_trapezoid", y, x, dx, axis)
    return _cumsum(terms, axis=given)


def _trapezoid_terms(name, y, x, dx, axis):
    """(each trapezoid's area along axis, the axis as given) for trapezoid and cumulative_trapezoid, y, x and dx
    checked."""
    y = as_operand(y, name)
    dx = 1.0 if dx is None else dx
    if y.ndim == 0:
        raise np.exceptions.AxisError(f"{name}: axis {axis} is out of range for a 0-d y; y must be at least 1-D")
    given, axis = axis, _axis(name, axis, y)
    if x is None:
        d = dx
    else:
        x = as_operand(x, name)
        if x.ndim == 0:
            raise ValueError(f"{name}: the sample points x must be at least 1-D (one per entry of y along axis, "
                             f"or of y's shape {y.shape}), got a 0-d x")
        # NumPy's np.diff(x, axis=axis): a 1-D x along y's axis; another x along the given axis of its own (counted
        # from the end when negative, from the start otherwise, as NumPy's)
        x_axis = 0 if x.ndim == 1 else _axis(name, given, x)
        if x.ndim == 1 and x.shape[0] != y.shape[axis]:  # (NumPy's broadcasts a length-1 diff over every interval)
            raise OperandError(f"{name}: There must be one `x` value for each sample point: x has {x.shape[0]}, y "
                               f"has {y.shape[axis]} along axis {given} (y of shape {y.shape}), as PyTorch requires")
        lead = (slice(None),) * x_axis
        upper, lower = getitem(x, lead + (slice(1, None),)), getitem(x, lead + (slice(None, -1),))
        d = upper ^ lower if x.dtype == np.bool_ else upper - lower  # (NumPy's diff of booleans: not_equal)
        if x.ndim == 1:
            d = reshape(d, (1,) * axis + (d.shape[0],) + (1,) * (y.ndim - axis - 1))
    lead = (slice(None),) * axis
    upper, lower = getitem(y, lead + (slice(1, None),)), getitem(y, lead + (slice(None, -1),))
    try:
        np.broadcast_shapes(np.shape(as_value(d)), upper.shape)
    except ValueError:
        what, hint = (("dx", "dx must broadcast with that") if x is None else
                      ("of x", f"x must be 1-D of length {y.shape[axis]} or broadcast with y"))
        raise ValueError(f"{name}: the spacings {what} of shape {np.shape(as_value(d))} do not broadcast with y's "
                         f"{upper.shape} (y of shape {y.shape} less one sample along axis {axis}); {hint}") from None
    return d * (upper + lower) / 2.0, given


_MODES = ("full", "same", "valid")


def _mode(name, mode):
    """mode as a name: NumPy's also takes the integers 0 ('valid'), 1 ('same') and 2 ('full')."""
    if isinstance(mode, str):
        if mode not in _MODES:
            raise ValueError(f"{name}: mode must be one of {', '.join(map(repr, _MODES))}, got {mode!r}")
        return mode
    number = as_index(mode)
    if number is None:
        raise TypeError(f"{name}: mode must be one of {', '.join(map(repr, _MODES))} (or NumPy's 0, 1, 2), got "
                        f"{mode!r}")
    if number not in (0, 1, 2):
        raise ValueError(f"{name}: an integer mode must be 0 ('valid'), 1 ('same') or 2 ('full'), got {mode!r}")
    return ("valid", "same", "full")[number]


def _correlate(name, a, v, mode):
    """out[k] = sum_n a[n + k] * v[n], k over NumPy's range for mode (a and v 1-D, either longer)."""
    a, v = as_operand(a, name), as_operand(v, name)
    if a.ndim != 1 or v.ndim != 1:
        depth = "of too small depth" if 0 in (a.ndim, v.ndim) else "too deep"
        raise ValueError(f"{name}: object {depth} for desired array: a and v must be 1-D, got shapes {a.shape} and "
                         f"{v.shape}")
    if not a.shape[0] or not v.shape[0]:
        raise ValueError(f"{name}: {'a' if not a.shape[0] else 'v'} cannot be empty (shapes {a.shape} and {v.shape})")
    mode = _mode(name, mode)
    n, m = a.shape[0], v.shape[0]
    full = n + m - 1
    if mode == "full":
        start, length = 0, full
    elif mode == "valid":
        start, length = min(n, m) - 1, abs(n - m) + 1
    else:
        length = max(n, m)
        start = (m - 1) // 2 if n >= m else n // 2  # (NumPy's centring, found for every pair of lengths)
    # out[k] = sum_j a[k - (m - 1) + j] * v[j] over the j where that index is inside a: the products outside are
    # masked out (a where, not zeros times v, so an inf or a NaN in v reaches only the sums that hold it)
    dtype = np.result_type(a.dtype, v.dtype)
    if length * m > _WINDOWED:  # long sequences: one shifted slice of a per entry of v, not a length x m matrix
        out = _shifted_sum(a, v, start, length)
    else:
        index = np.arange(start, start + length)[:, None] - (m - 1) + np.arange(m)[None, :]
        inside = (index >= 0) & (index < n)
        products = getitem(a, (np.clip(index, 0, n - 1),)) * v
        if not inside.all():
            products = where(inside, products, _zero(products.dtype))
        out = _sum(products, axis=-1)
    # NumPy's dtype: an integer sum is widened to int64 here (NumPy's wraps in the inputs' type, the same modulo its
    # size), a boolean one counts (NumPy's is any): cast back
    return out if out.dtype == dtype else out.astype(dtype)


_WINDOWED = 1 << 20  # the most products held at once as one matrix


def _shifted_sum(a, v, start, length):
    """The same sums as v[j] * a[k - (m - 1) + j] added up one j at a time, each over the k where that index is
    inside a (joined with zeros, never zeros times v): memory of the output's length per step."""
    n, m = a.shape[0], v.shape[0]
    total = None
    for j in range(m):
        lo, hi = max(start, m - 1 - j), min(start + length, n + m - 1 - j)
        if lo >= hi:
            continue
        part = a[lo - (m - 1) + j:hi - (m - 1) + j] * v[j]
        parts = [Tensor._constant(np.zeros(lo - start, part.dtype))] if lo > start else []
        parts += [part] + ([Tensor._constant(np.zeros(start + length - hi, part.dtype))] if hi < start + length
                           else [])
        part = concatenate(parts) if len(parts) > 1 else part
        total = part if total is None else total + part
    return total


def correlate(a, v, mode="valid"):
    """The cross-correlation of two 1-D sequences, out[k] = sum_n a[n + k] * v[n], as np.correlate (modes 'valid',
    'same', 'full'). Differentiable in both.

    >>> import autograd_core as ag
    >>> ag.correlate(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([0.0, 1.0]))
    Tensor([2., 3.])
    """
    return _correlate("correlate", a, v, mode)


def convolve(a, v, mode="full"):
    """The discrete convolution of two 1-D sequences, as np.convolve (modes 'full', 'same', 'valid'): the
    correlation with v reversed, the longer input taken as a. Differentiable in both.

    >>> import autograd_core as ag
    >>> ag.convolve(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([0.0, 1.0, 0.5]))
    Tensor([0. , 1. , 2.5, 4. , 1.5])
    """
    a, v = (reshape(t, (1,)) if t.ndim == 0 else t for t in (as_operand(a, "convolve"), as_operand(v, "convolve")))
    for name, t in (("a", a), ("v", v)):  # (checked before the swap, as NumPy's)
        if t.ndim == 1 and not t.shape[0]:
            raise ValueError(f"convolve: {name} cannot be empty (shapes {a.shape} and {v.shape})")
    if a.ndim == 1 and v.ndim == 1 and v.shape[0] > a.shape[0]:
        a, v = v, a
    if v.ndim == 1:
        v = v[::-1]
    return _correlate("convolve", a, v, mode)


def interp(x, xp, fp, left=None, right=None, period=None):
    """The piecewise linear interpolant through (xp, fp) at x, as np.interp: xp increasing; left and right (default
    fp[0] and fp[-1]) outside [xp[0], xp[-1]]; with period, x and xp are taken modulo it. The result is float64, as
    NumPy's. Differentiable in x, xp and fp (at a point of xp, the gradient in x is the right-hand slope's).

    >>> import autograd_core as ag
    >>> ag.interp(ag.tensor([0.5, 2.0]), [0.0, 1.0], ag.tensor([0.0, 10.0]))
    Tensor([ 5., 10.])
    """
    x, xp, fp = (as_operand(t, "interp") for t in (x, xp, fp))
    if xp.ndim != 1 or fp.ndim != 1 or xp.shape != fp.shape:
        raise ValueError(f"interp: xp and fp must be 1-D sequences of the same length, got shapes {xp.shape} and "
                         f"{fp.shape}")
    if not xp.shape[0]:
        raise ValueError("interp: array of sample points (xp) is empty")
    if any(t.dtype.kind == "c" for t in (x, xp, fp)):
        raise TypeError("interp on Tensors: complex values are not supported")
    x, xp, fp = (t if t.dtype == np.float64 else t.astype(np.float64) for t in (x, xp, fp))
    if period is not None:
        period = as_operand(period, "interp")
        if period.size != 1:
            raise ValueError(f"interp: period must be a single number, got an array of shape {period.shape}")
        if period.data.item() == 0:
            raise ValueError("interp: period must be a non-zero value")
        period = abs(period)
        left = right = None
        x = x % period
        xp = xp % period
        order = np.argsort(xp.data)  # (NumPy's default sort: tied points keep the order np.interp gives them)
        xp, fp = xp[order], fp[order]
        xp = concatenate([xp[-1:] - period, xp, xp[0:1] + period])
        fp = concatenate([fp[-1:], fp, fp[0:1]])
    for name, value in (("left", left), ("right", right)):  # (NumPy's converts them to floats; a period drops them)
        if value is not None and np.ndim(as_value(value)):
            raise TypeError(f"interp: {name} must be a single number (0-d), got an array of shape "
                            f"{np.shape(as_value(value))}")
    n = xp.shape[0]
    if n == 1:
        inside = broadcast_to(fp[0], x.shape)
    else:
        j = np.clip(np.searchsorted(xp.data, x.data, side="right") - 1, 0, n - 2)
        x0, x1, f0, f1 = xp[j], xp[j + 1], fp[j], fp[j + 1]
        # an x outside [xp[0], xp[-1]] or NaN gets left, right or NaN below: the line is evaluated at x0 there
        # instead (a constant), so that an infinite x does not make 0 * inf = NaN gradients for xp and fp
        outside = ~((x.data >= xp.data[0]) & (x.data <= xp.data[-1]))
        x_in = where(outside, xp.data[j], x) if outside.any() else x
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (f1 - f0) / (x1 - x0)
            inside = slope * (x_in - x0) + f0
            # NumPy's fallbacks for non-finite values: from the right end, then f0 where f0 == f1
            failed = np.isnan(inside.data)
            if failed.any():
                inside = where(failed, slope * (x_in - x1) + f1, inside)
                failed = np.isnan(inside.data) & (f0.data == f1.data)
                if failed.any():
                    inside = where(failed, f0, inside)
        # NumPy gives fp[j] at a point of xp (only a non-finite slope makes a difference: elsewhere slope * 0 + fp[j]
        # is fp[j], and the right-hand slope stays the gradient there) and fp[-1] at the last point
        at_knot = (x.data == xp.data[j]) & ~np.isfinite(inside.data)
        if at_knot.any():
            inside = where(at_knot, f0, inside)
        at_end = x.data == xp.data[-1]
        if at_end.any():
            inside = where(at_end, fp[-1], inside)
        if np.isnan(x.data).any():  # a NaN x: NaN (NumPy's, from two sample points on)
            inside = where(np.isnan(x.data), np.float64(np.nan), inside)
    below = x.data < xp.data[0]
    above = x.data > xp.data[-1]
    out = inside
    if below.any():
        out = where(below, fp[0] if left is None else as_operand(left, "interp").astype(np.float64), out)
    if above.any():
        out = where(above, fp[-1] if right is None else as_operand(right, "interp").astype(np.float64), out)
    return out
