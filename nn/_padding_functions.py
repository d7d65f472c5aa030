"""Padding as a function, which nn.functional re-exports: pad, with torch.nn.functional.pad's arguments, modes,
restrictions and errors.

pad lists (before, after) pairs from the LAST axis backwards, as PyTorch's: (left, right) pads the last axis,
(left, right, top, bottom) the last two. Its modes are NumPy's under PyTorch's names: 'constant' fills with value,
'reflect' mirrors without the edge, 'replicate' repeats the edge (NumPy's 'edge'), 'circular' wraps around (NumPy's
'wrap'). Each is ag.pad in that mode, so every gradient is the engine's (a copy's gradient is added to the entry it
copied). A negative width crops, as in PyTorch: in 'constant', 'reflect' and 'replicate' the result is the input
padded by the positive widths with the negative ones cut off; in 'circular' the input is cut first and the cut input
wrapped, as PyTorch's.
"""
import math

import numpy as np

import autograd_core as ag
from autograd_core._arguments import as_indices

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_number

MODES = ("constant", "reflect", "replicate", "circular")
_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}
_LAYOUTS = {1: "(N, C, W) or (C, W)", 2: "(N, C, H, W) or (C, H, W)", 3: "(N, C, D, H, W) or (C, D, H, W)"}


def pad_widths(pad, where):
    """pad (a tuple or list of ints, (before, after) pairs from the last axis backwards) as a tuple of ints."""
    widths = as_indices(pad) if isinstance(pad, (tuple, list)) else None
    if widths is None:
        raise TypeError(f"{where}: pad must be a tuple or list of ints, (left, right) pairs from the last axis "
                        f"backwards, got {pad!r}")
    if len(widths) % 2:
        raise ValueError(f"{where}: pad {pad!r} has an odd length {len(widths)}; it lists a (left, right) pair per "
                         f"padded axis, from the last axis backwards")
    return widths


def checked_rank(x, padded_axes, mode, where):
    """PyTorch's restriction on the modes other than 'constant': 1, 2 or 3 padded axes, of an input with one axis
    more (unbatched) or two more (batched)."""
    if padded_axes not in (1, 2, 3) or x.ndim not in (padded_axes + 1, padded_axes + 2):
        if padded_axes in (1, 2, 3):
            expected = (f"{padded_axes + 1}-D (unbatched) or {padded_axes + 2}-D (batched) input, "
                        f"{_LAYOUTS[padded_axes]}")
        else:
            expected = "pad of 2, 4 or 6 widths (1, 2 or 3 padded axes) on an input of 1 or 2 axes more"
        raise ValueError(f"{where}: mode={mode!r} with {padded_axes} padded ax{'is' if padded_axes == 1 else 'es'} "
                         f"expects a {expected}, got shape {x.shape} (as PyTorch's: only mode='constant' pads any "
                         f"axes)")


def pad(input, pad, mode="constant", value=None):
    """Pad input as torch.nn.functional.pad: pad holds (left, right) pairs from the LAST axis backwards ((1, 2)
    pads the last axis, (1, 2, 0, 3) the last two); mode 'constant' (filled with value, default 0; any number of
    axes), 'reflect' (mirrored without the edge; each width less than the axis), 'replicate' (the edge repeated) or
    'circular' (wrapped around; each width at most the axis). The last three pad 1, 2 or 3 axes of an input with
    1 or 2 axes more, as PyTorch's. A negative width crops. (ag.pad is NumPy's: one pair per axis, first axis first.)

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([[[1.0, 2.0, 3.0]]])
    >>> F.pad(x, (2, 1), mode="reflect")
    Tensor([[[3., 2., 1., 2., 3., 2.]]])
    >>> F.pad(x, (1, -1), value=9.0)
    Tensor([[[9., 1., 2.]]])
    >>> F.pad(ag.tensor(np.arange(4.0).reshape(1, 2, 2)), (1, 1, 0, 1), mode="replicate").tolist()
    [[[0.0, 0.0, 1.0, 1.0], [2.0, 2.0, 3.0, 3.0], [2.0, 2.0, 3.0, 3.0]]]
    """
    x = F._as_input(input, "pad")
    widths = pad_widths(pad, "pad")
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"pad: mode={mode!r} is not supported; valid modes are {', '.join(map(repr, MODES))}")
    padded_axes = len(widths) // 2
    if padded_axes > x.ndim:
        raise ValueError(f"pad: pad {pad!r} lists {padded_axes} (left, right) pairs, but the input (shape "
                         f"{x.shape}) has only {x.ndim} axes; give at most one pair per axis")
    # one (before, after) pair per axis, first axis first, as ag.pad takes them
    pairs = ((0, 0),) * (x.ndim - padded_axes) + tuple(
        (widths[2 * i], widths[2 * i + 1]) for i in reversed(range(padded_axes)))
    if mode == "constant":
        return _constant(x, pairs, value)
    if value is not None and as_number(value) != 0:
        raise ValueError(f"pad: mode={mode!r} takes no value (got value={value!r}); value fills mode='constant' "
                         f"only")
    checked_rank(x, padded_axes, mode, "pad")
    return _copying(x, pairs, mode, padded_axes)


def _constant(x, pairs, value):
    number = 0.0 if value is None else as_number(value)
    if number is None:
        raise TypeError(f"pad: value must be a number (or None, for 0), got {value!r}")
    if isinstance(value, (int, np.integer)):  # (exact: a float rounds an int64 beyond 2**53)
        number = int(value)
    _check_value_fits(x, number, value)
    _check_sizes(x, pairs, "constant", low=0)
    _check_sizes(x, pairs, "constant", low=0, before_padding=True)  # (a crop past the axis: PyTorch's narrow refuses)
    return ag.pad(_cropped(x, pairs), tuple((max(b, 0), max(a, 0)) for b, a in pairs), constant_values=number)


def _copying(x, pairs, mode, padded_axes):
    """reflect, replicate and circular: ag.pad's reflect, edge and wrap, with PyTorch's conditions."""
    axes = range(x.ndim - padded_axes, x.ndim)
    if mode != "circular":  # PyTorch's kernels need every axis but a batch's non-empty
        first = 1 if x.ndim == padded_axes + 2 else 0
        if 0 in x.shape[first:]:
            raise ValueError(f"pad: mode={mode!r} needs an input with no empty axis but the batch (axis 0 of a "
                             f"{padded_axes + 2}-D input), got shape {x.shape}")
    if mode == "reflect":
        for axis in axes:
            n, (before, after) = x.shape[axis], pairs[axis]
            if before >= n or after >= n:
                raise ValueError(f"pad: mode='reflect' needs each width less than the axis's size: widths "
                                 f"({before}, {after}) on axis {axis} of size {n} (input shape {x.shape})")
    if mode == "circular":  # cut first, then wrap the cut input around, as PyTorch's
        _check_sizes(x, pairs, mode, low=0, before_padding=True)
        x = _cropped(x, pairs)
        for axis in axes:
            n, (before, after) = x.shape[axis], pairs[axis]
            if before > n or after > n:
                raise ValueError(f"pad: mode='circular' needs each width at most the axis's size (after any "
                                 f"negative width has cut it): widths ({before}, {after}) on axis {axis} of size "
                                 f"{n} (input shape {x.shape}) would wrap around more than once")
        return ag.pad(x, tuple((max(b, 0), max(a, 0)) for b, a in pairs), "wrap")
    _check_sizes(x, pairs, mode, low=1)
    padded = ag.pad(x, tuple((max(b, 0), max(a, 0)) for b, a in pairs), _NUMPY_MODES[mode])
    return _cropped(padded, pairs)


def _check_value_fits(x, number, value):
    """An error, as PyTorch's, when value cannot be written into x's dtype without overflow: an integer dtype takes an
    int in its range, or a finite float from its minimum to below max + 1 (the fraction is cut toward 0: 255.5 pads
    a uint8 with 255, as PyTorch 2.14's; 2.13 refused it), a float dtype any number up to its largest finite one,
    inf or nan; bool any number."""
    kind = x.dtype.kind
    if kind in "iu":
        info = np.iinfo(x.dtype)
        if isinstance(number, int):
            fits = info.min <= number <= info.max
        else:
            fits = math.isfinite(number) and info.min <= number < int(info.max) + 1
        valid = f"an int in [{info.min}, {info.max}] or a float in [{info.min}, {int(info.max) + 1})"
    elif kind == "f":
        fits = not math.isfinite(number) or abs(number) <= float(np.finfo(x.dtype).max)
        valid = f"a number of magnitude at most {np.finfo(x.dtype).max}, inf or nan"
    else:
        return
    if not fits:
        raise ValueError(f"pad: value={value!r} cannot be written into the input's dtype {x.dtype} (shape {x.shape}) "
                         f"without overflow; give {valid}, or cast the input")


def _check_sizes(x, pairs, mode, low, before_padding=False):
    """An error when a negative width leaves an axis smaller than low (with before_padding: the input cut by the
    negative widths alone, as circular pads what is left)."""
    for axis, (n, (before, after)) in enumerate(zip(x.shape, pairs)):
        if not (before or after):  # (an axis not padded keeps its size: an empty batch stays empty, as PyTorch's)
            continue
        size = n + min(before, 0) + min(after, 0) if before_padding else n + before + after
        if size < low:
            what = "the negative widths leave" if before_padding else "the result has"
            raise ValueError(f"pad: widths ({before}, {after}) on axis {axis} of size {n} (input shape {x.shape}): "
                             f"{what} {size} entries there; mode={mode!r} needs at least {low}")


def _cropped(x, pairs):
    """x with each negative width's entries cut off its side (x itself when no width is negative)."""
    if not any(before < 0 or after < 0 for before, after in pairs):
        return x
    return x[tuple(slice(-min(before, 0), n + min(after, 0)) for n, (before, after) in zip(x.shape, pairs))]
