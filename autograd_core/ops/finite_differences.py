"""gradient: the derivative of sampled values along each axis by central differences, as np.gradient and
torch.gradient: second-order accurate inside, first- or second-order (edge_order) one-sided differences at the two
ends; a spacing per axis (a number) or the sample coordinates along it (a 1-D array, unevenly spaced allowed).
Composed of slicing and arithmetic, so differentiable in the values and in the coordinates, to any order.
"""
import numpy as np

from .._arguments import DuplicateDimError, InvalidArgumentError, is_int
from ..primitive import as_operand
from ..tensor import Tensor
from .arithmetic import astype
from .shape import concatenate, reshape


def _slab(f, axis, start, stop):
    return f[(slice(None),) * axis + (slice(start, stop),)]


def _along(c, axis, ndim):
    """a 1-D c shaped to broadcast along axis of an ndim-d array."""
    shape = [1] * ndim
    shape[axis] = -1
    return reshape(c, tuple(shape))


def _at(f, axis, i):
    """f's slice i along axis (i from the end when negative), kept as an axis of length 1."""
    i %= f.shape[axis]
    return _slab(f, axis, i, i + 1)


def _uniform(f, axis, h, edge_order):
    at = lambda i: _at(f, axis, i)  # noqa: E731
    inside = (_slab(f, axis, 2, None) - _slab(f, axis, None, -2)) / (2 * h)
    if edge_order == 1:
        first, last = (at(1) - at(0)) / h, (at(-1) - at(-2)) / h
    else:
        first = (-1.5 * at(0) + 2 * at(1) - 0.5 * at(2)) / h
        last = (0.5 * at(-3) - 2 * at(-2) + 1.5 * at(-1)) / h
    return first, inside, last


def _uneven(f, axis, x, edge_order):
    ndim = f.ndim
    at = lambda i: _at(f, axis, i)  # noqa: E731
    dx = x[1:] - x[:-1]
    before, after = _along(dx[:-1], axis, ndim), _along(dx[1:], axis, ndim)
    inside = (-after / (before * (before + after)) * _slab(f, axis, None, -2)
              + (after - before) / (before * after) * _slab(f, axis, 1, -1)
              + before / (after * (before + after)) * _slab(f, axis, 2, None))
    if edge_order == 1:
        return (at(1) - at(0)) / dx[0], inside, (at(-1) - at(-2)) / dx[-1]
    d1, d2 = dx[0], dx[1]
    first = (-(2 * d1 + d2) / (d1 * (d1 + d2)) * at(0) + (d1 + d2) / (d1 * d2) * at(1)
             - d1 / (d2 * (d1 + d2)) * at(2))
    d1, d2 = dx[-2], dx[-1]
    last = (d2 / (d1 * (d1 + d2)) * at(-3) - (d2 + d1) / (d1 * d2) * at(-2)
            + (2 * d2 + d1) / (d2 * (d1 + d2)) * at(-1))
    return first, inside, last


def _axes(f, axis):
    if axis is None:
        return tuple(range(f.ndim))
    listed = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in listed:
        if not is_int(a) or not -f.ndim <= a < f.ndim:
            raise InvalidArgumentError(f"gradient: dim {a!r} is out of range for a Tensor of {f.ndim} dimensions "
                                       f"(shape {f.shape}); give ints in [{-f.ndim}, {f.ndim - 1}]")
        if a % f.ndim in out:
            raise DuplicateDimError(f"gradient: dim {a % f.ndim} appears multiple times in dim={axis!r}")
        out.append(int(a) % f.ndim)
    return tuple(out)


def _spacings(f, axes, spacing):
    """One spacing per axis: a number (or 0-d Tensor) or the coordinates along it (1-D, as long as the axis)."""
    if not isinstance(spacing, (tuple, list)):
        spacing = [spacing] * len(axes)
    if len(spacing) != len(axes):
        raise InvalidArgumentError(f"gradient: {len(spacing)} spacings for {len(axes)} dims {axes} of input "
                                   f"{f.shape}; give one number for all, or one number or coordinate array per dim")
    out = []
    for a, h in zip(axes, spacing):
        if isinstance(h, (bool, np.bool_)):
            raise TypeError(f"gradient: a spacing must be a number or 1-D coordinates, got {h!r}")
        if isinstance(h, (int, float, np.integer, np.floating)):
            out.append(h)
            continue
        h = as_operand(h, "gradient")
        if h.ndim != 0 and (h.ndim != 1 or h.shape[0] != f.shape[a]):
            raise InvalidArgumentError(f"gradient: the coordinates along dim {a} must be 1-D with {f.shape[a]} "
                                       f"entries (the input is {f.shape}), got shape {h.shape}")
        out.append(h)
    return out


def gradient(f, *varargs, axis=None, edge_order=1, spacing=None, dim=None):
    """The derivative of the samples f along each axis by finite differences (np.gradient, torch.gradient):
    central differences (f[i+1] - f[i-1]) / 2h inside, one-sided ones of edge_order 1 or 2 at the ends. Spacings as
    np.gradient's varargs or torch's spacing= (one number for every axis, one per axis, or 1-D coordinates per
    axis), axes as axis= or torch's dim= (all by default). Each axis needs edge_order + 1 samples. Integer input gives
    float64. Differentiable in f (and in coordinates given as Tensors).

    Returned as NumPy's: one Tensor for one axis (a 1-D f, or axis=0), a tuple of Tensors for several. Called
    with torch's spacing= or dim=, it is always a tuple, as torch.gradient's: `ag.gradient(x, dim=0)[0]`.

    >>> import autograd_core as ag
    >>> ag.gradient(ag.tensor([1.0, 4.0, 9.0, 16.0]))
    Tensor([3., 4., 6., 7.])
    >>> ag.gradient(ag.tensor([1.0, 4.0, 9.0, 16.0]), spacing=2.0, edge_order=2)
    (Tensor([1., 2., 3., 4.]),)
    """
    torch_style = spacing is not None or dim is not None
    if varargs and spacing is not None:
        raise TypeError("gradient: spacings given both positionally (NumPy's varargs) and as spacing= (PyTorch's); "
                        "give one of them")
    if axis is not None and dim is not None:
        raise TypeError(f"gradient: got both axis={axis!r} and dim={dim!r} (PyTorch's name for axis); give one")
    f = as_operand(f, "gradient")
    if f.dtype.kind not in "iuf":  # (bools too, as NumPy's gradient refuses them)
        raise TypeError(f"gradient: input of dtype {f.dtype} is not offered; give float or integer values")
    if f.dtype.kind in "iu":
        f = astype(f, np.float64)
    if isinstance(edge_order, (bool, np.bool_)) or edge_order not in (1, 2):
        raise InvalidArgumentError(f"gradient: edge_order must be 1 or 2, got {edge_order!r}")
    axes = _axes(f, dim if dim is not None else axis)
    if spacing is None:  # (NumPy's varargs: one number is every axis' spacing, as torch's spacing=number)
        one_number = len(varargs) == 1 and np.ndim(as_operand(varargs[0], "gradient")) == 0
        spacing = varargs[0] if one_number else list(varargs) if varargs else 1.0
    hs = _spacings(f, axes, spacing)
    out = []
    for a, h in zip(axes, hs):
        if f.shape[a] < edge_order + 1:
            raise InvalidArgumentError(f"gradient: dim {a} of input {f.shape} has {f.shape[a]} samples; with "
                                       f"edge_order={edge_order} each dim needs at least {edge_order + 1}")
        pieces = _uneven(f, a, h, edge_order) if isinstance(h, Tensor) and h.ndim == 1 else \
            _uniform(f, a, h, edge_order)
        out.append(concatenate(pieces, axis=a))
    if torch_style or len(out) != 1:
        return tuple(out)
    return out[0]
