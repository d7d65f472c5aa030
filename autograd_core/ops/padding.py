"""Padding: NumPy's pad, its constant mode (the gradient slices the padding away) and its modes that copy entries of
x (edge, reflect, symmetric, wrap; the gradient adds each copy's gradient to the entry it copied)."""
import numpy as np

from ..primitive import Primitive, as_operand
from ..tensor import Tensor, as_value


def _pad_vjp(g, ans, x, pad_width, constant_values=0):
    middle = g[tuple(slice(before, before + n) for (before, _), n in zip(pad_width, np.shape(x)))]  # padding away
    # C order, as PyTorch's gradients through a padding (a convolution's) are, so that grad.view(n, -1) works there
    return middle.contiguous() if isinstance(middle, Tensor) else np.ascontiguousarray(middle)


def _int_pairs(pad_width, ndim):
    return (type(pad_width) is tuple and len(pad_width) == ndim
            and all(type(pair) is tuple and len(pair) == 2 and type(pair[0]) is int and type(pair[1]) is int
                    and pair[0] >= 0 and pair[1] >= 0 for pair in pad_width))


def _pad_forward(x, pad_width, constant_values=0):
    x = np.asarray(x)
    if not pad_width or np.ndim(constant_values):  # (a 0-d x has no axis to pad: pad_width is (), which np.pad
        return np.pad(x, pad_width or 0, constant_values=constant_values)  # refuses, and 0 there)
    # One constant: the result filled with it, x written in the middle; several times faster than np.pad's general
    # path, with its casting (assignment: a float constant beyond an integer dtype raises, as np.pad's does).
    out = np.empty(tuple(before + n + after for (before, after), n in zip(pad_width, x.shape)), x.dtype)
    out[...] = np.asarray(constant_values).ravel()[0]  # (a NumPy scalar, as np.pad writes: -1 wraps in uint8)
    out[tuple(slice(before, before + n) for (before, _), n in zip(pad_width, x.shape))] = x
    return out


_pad = Primitive("pad", _pad_forward, (_pad_vjp,), reads_values=False)


# The index-mapping modes copy entries of x: along each axis, entry i of the result is entry index[i] of x, where
# index is np.pad of the positions 0..n-1 themselves in that mode (NumPy's own rule, also for a width beyond the axis,
# where reflect, symmetric and wrap repeat). The copies of one axis do not depend on the others, so np.pad(x) is that
# gather over every axis at once, and its adjoint adds the gradient of each copy to the entry it copied. The two are
# a pair of primitives whose rules are each other, traced, as sliding_windows and fold_windows.
_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")
_MODES = ("constant",) + _INDEX_MODES


def _unpad_add(g, pad_width, mode):
    """The adjoint of np.pad(x, pad_width, mode) in an index-mapping mode: axis by axis, the middle of g (x's own
    entries) plus the padding's gradients added to the entries they copied (an entry copied twice gets both). Only
    the padding is scattered, the middle being one slice: a few padded slices are added one by one (twice as fast as
    np.add.at for a padding of 1 on an image), more by np.add.at."""
    g = np.asarray(g)
    for axis, (before, after) in enumerate(pad_width):
        if before or after:
            lead = (slice(None),) * axis
            n = g.shape[axis] - before - after
            padding = np.r_[0:before, before + n:before + n + after]
            copied = np.pad(np.arange(n), (before, after), mode)[padding]
            out = g[lead + (slice(before, before + n),)].copy()
            if len(padding) <= 16:
                for source, target in zip(padding.tolist(), copied.tolist()):
                    out[lead + (target,)] += g[lead + (source,)]
            else:
                np.add.at(out, lead + (copied,), g[lead + (padding,)])
            g = out
    return g


_pad_copies = Primitive(
    "pad", lambda x, pad_width, mode: np.pad(x, pad_width or 0, mode),  # (a 0-d x: no axis, pad_width ())
    (lambda g, ans, x, pad_width, mode: _unpad_add_primitive.traced(g, pad_width=pad_width, mode=mode),),
    reads_values=False)  # its rule reads shapes only
_unpad_add_primitive = Primitive(
    "unpad_add", _unpad_add,
    (lambda g, ans, padded, pad_width, mode: _pad_copies.traced(g, pad_width=pad_width, mode=mode),),
    reads_values=False)


def _pad_widths(pad_width, shape):
    """pad_width as one (before, after) pair of ints >= 0 per axis of shape (NumPy's broadcasting of N, (N,),
    (before, after) and one pair per axis), or an error saying what fits."""
    if _int_pairs(pad_width, len(shape)):  # (a 0-d shape's is ())
        return pad_width
    try:
        widths = np.asarray(pad_width)
        if widths.dtype.kind not in "iu" and widths.size:
            raise TypeError
        widths = np.broadcast_to(widths.astype(np.intp), (len(shape), 2))
    except (TypeError, ValueError):
        raise ValueError(f"pad: pad_width {pad_width!r} does not fit shape {shape}; give an int, a (before, after) "
                         f"pair, or one pair per axis ({len(shape)}), of non-negative ints") from None
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width {pad_width!r} holds a negative width; widths must be at least 0")
    return tuple(tuple(int(w) for w in pair) for pair in widths)


def pad(x, pad_width, mode="constant", constant_values=0):
    """NumPy's pad: pad_width is N, (before, after) or one such pair per axis. mode="constant" fills with
    constant_values (a number, or pairs as pad_width; a constant), and its gradient is g with the padding sliced
    away. The index-mapping modes copy entries of x: "edge" the edge entry, "reflect" the mirror image without the
    edge, "symmetric" with it, "wrap" the other end (NumPy's values, also for a width beyond the axis); their
    gradient adds each copy's gradient to the entry it copied. (PyTorch's F.pad lists the last axis first, and
    calls edge "replicate", wrap "circular".)

    >>> import autograd_core as ag
    >>> ag.pad(ag.tensor([[1.0, 2.0]]), ((0, 1), (1, 0)))
    Tensor([[0., 1., 2.],
            [0., 0., 0.]])
    >>> ag.pad(ag.tensor([1.0, 2.0, 3.0]), (2, 1), mode="reflect")
    Tensor([3., 2., 1., 2., 3., 2.])
    """
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(f"pad: mode={mode!r} is not supported; valid modes are 'constant' and those that copy "
                         f"entries of x, {', '.join(map(repr, _INDEX_MODES))} (NumPy's 'maximum', 'mean', 'median', "
                         f"'minimum', 'linear_ramp', 'empty' and a function are not offered)")
    if isinstance(constant_values, Tensor) and constant_values.requires_grad:
        raise TypeError("pad: constant_values is a constant, not differentiated; pass a number, or detach() it")
    x = as_operand(x, "pad")
    if isinstance(constant_values, Tensor):
        constant_values = as_value(constant_values)
    if mode != "constant":
        return _pad_index_mode(x, pad_width, mode, constant_values)
    return _pad(x, pad_width=_pad_widths(pad_width, x.shape), constant_values=constant_values)


def _constant_values_refused(constant_values, mode):
    return ValueError(f"pad: constant_values={constant_values!r} belongs to mode='constant'; mode={mode!r} fills the "
                      f"padding with entries of x")


def _pad_index_mode(x, pad_width, mode, constant_values):
    if np.any(np.asarray(constant_values) != 0):
        raise _constant_values_refused(constant_values, mode)
    widths = _pad_widths(pad_width, x.shape)
    for axis, ((before, after), n) in enumerate(zip(widths, x.shape)):
        if not n and (before or after):
            raise ValueError(f"pad: mode={mode!r} copies entries of x, and axis {axis} of shape {x.shape} has none; "
                             f"give it no padding there, or use mode='constant'")
    return _pad_copies(x, pad_width=widths, mode=mode)
