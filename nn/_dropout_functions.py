"""PyTorch's channel and alpha dropouts, which nn.functional re-exports beside its dropout: dropout1d, dropout2d,
dropout3d, alpha_dropout and feature_alpha_dropout, with torch.nn.functional's names, defaults and input-rank rules
(its warnings where it warns), and rng= as nn.functional.dropout takes it (a NumPy Generator or an int seed; the
fourth argument, where PyTorch's is inplace, which is a keyword here).

Each multiplies its input by a random mask drawn with NumPy (and, for the alpha ones, adds a constant), so its
gradient is the engine's: the mask, scaled, where an element was kept, 0 where it was dropped. A channel dropout
draws one mask entry per channel of each sample, shape (N, C, 1, ...), and broadcasts it over the channel's entries.
"""
import math
import warnings

import numpy as np

from autograd_core._arguments import InvalidArgumentError

from . import functional as F  # its checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, generator

__all__ = ["dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]

_SELU_ALPHA_SCALE = 1.7580993408473766  # -SELU's negative saturation, scale * alpha, as PyTorch's alpha dropout


class DropoutShapeError(InvalidArgumentError):
    """An input whose rank a channel dropout cannot take: a ValueError, as the rest of nn raises for shapes, and a
    RuntimeError, as PyTorch raises."""


def _dropout_generator(rng, where):
    """generator(rng, where) for the dropouts, whose rng stands where PyTorch's inplace does (the fourth argument of
    F.dropout and the others, the second of nn.Dropout): a bool there is PyTorch's inplace, refused naming the keyword
    (a bool is no seed anyway)."""
    if isinstance(rng, (bool, np.bool_)):
        raise TypeError(f"{where}: rng must be None, a non-negative int seed or a numpy.random.Generator, got "
                        f"{rng!r}: rng is the argument where PyTorch's {where} takes inplace, which is a keyword here "
                        f"(inplace={rng!r})")
    return generator(rng, where)


def dropout1d(input, p=0.5, training=True, rng=None, *, inplace=False):
    """Channel dropout of an input (N, C, L), or an unbatched (C, L): in training, each channel (a row of L
    entries) of each sample is zeroed as a whole with probability p and the others scaled by 1 / (1 - p); the
    identity when not training (or p == 0). Another rank is refused, as PyTorch refuses it.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.dropout1d(ag.ones((1, 4, 2)), p=0.5, rng=0).data[0]
    array([[2., 2.],
           [0., 0.],
           [0., 0.],
           [0., 0.]])
    """
    return _dropout1d(input, p, training, rng, inplace, "dropout1d")


def _dropout1d(input, p, training, rng, inplace, where):
    F.check_probability(where, "probability p", p)
    if np.ndim(input) not in (2, 3):
        raise DropoutShapeError(f"{where}: Expected 2D or 3D input, but received a {np.ndim(input)}D input of shape "
                                f"{np.shape(input)}: (C, L) or (N, C, L); {where} zeroes whole channels of inputs with "
                                f"one spatial axis (use dropout2d or dropout3d for more, dropout for single elements)")
    return _feature_dropout(input, p, training, rng, inplace, where, batched=np.ndim(input) == 3)


def dropout2d(input, p=0.5, training=True, rng=None, *, inplace=False):
    """Channel dropout of an input (N, C, H, W): in training, each channel (an H x W map) of each sample is zeroed
    as a whole with probability p and the others scaled by 1 / (1 - p); the identity when not training (or
    p == 0). As PyTorch's: a 3-D input is read as (N, C, L) (not as an unbatched (C, H, W)) with a warning, and
    another rank warns and is taken as (N, C, *).

    >>> import autograd_core as ag, nn.functional as F
    >>> y = F.dropout2d(ag.ones((2, 3, 4, 4)), p=0.5, rng=0)
    >>> y.data.max(axis=(2, 3)) == y.data.min(axis=(2, 3))  # each channel kept or dropped as a whole
    array([[ True,  True,  True],
           [ True,  True,  True]])
    """
    return _dropout2d(input, p, training, rng, inplace, "dropout2d")


def _dropout2d(input, p, training, rng, inplace, where):
    F.check_probability(where, "probability p", p)
    ndim, shape = np.ndim(input), np.shape(input)
    if ndim not in (3, 4):
        warnings.warn(f"{where}: Received a {ndim}-D input to dropout2d, of shape {shape}; {where} zeroes whole "
                      f"channels of inputs (N, C, H, W) (a 4-D input), and PyTorch deprecates other ranks (a future "
                      f"release will refuse them); use dropout for single elements", UserWarning, stacklevel=3)
    if ndim == 3:
        warnings.warn(f"{where}: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      f"is desired: the input of shape {shape} is read as (N, C, L) with its channels on axis 1, as "
                      f"PyTorch reads it for now (a future release will read it as an unbatched (C, H, W)); use "
                      f"dropout1d for this 1-D channel dropout", UserWarning, stacklevel=3)
    return _feature_dropout(input, p, training, rng, inplace, where, batched=True)


def dropout3d(input, p=0.5, training=True, rng=None, *, inplace=False):
    """Channel dropout of an input (N, C, D, H, W), or an unbatched (C, D, H, W): in training, each channel (a
    D x H x W volume) of each sample is zeroed as a whole with probability p and the others scaled by
    1 / (1 - p); the identity when not training (or p == 0). Another rank warns, as PyTorch's, and is read as
    unbatched (C, *).

    >>> import autograd_core as ag, nn.functional as F
    >>> sorted(set(F.dropout3d(ag.ones((2, 3, 2, 2, 2)), p=0.25, rng=0).data.ravel().tolist()))
    [0.0, 1.333...]
    """
    return _dropout3d(input, p, training, rng, inplace, "dropout3d")


def _dropout3d(input, p, training, rng, inplace, where):
    F.check_probability(where, "probability p", p)
    ndim, shape = np.ndim(input), np.shape(input)
    if ndim not in (4, 5):
        warnings.warn(f"{where}: Received a {ndim}-D input to dropout3d, of shape {shape}; {where} zeroes whole "
                      f"channels of inputs (N, C, D, H, W) or (C, D, H, W) (5-D or 4-D), and PyTorch deprecates "
                      f"other ranks (a future release will refuse them); use dropout for single elements",
                      UserWarning, stacklevel=3)
    return _feature_dropout(input, p, training, rng, inplace, where, batched=ndim == 5)


def alpha_dropout(input, p=0.5, training=False, rng=None, *, inplace=False):
    """Alpha dropout, as PyTorch's, for self-normalising networks (SELU): in training, each element is set with
    probability p to SELU's negative saturation -1.7581, then every element is mapped by a * x + b, a and b chosen
    so that an input of mean 0 and variance 1 keeps them; the identity when not training (the default, as
    PyTorch's) or p == 0, zeros for p == 1.

    >>> import autograd_core as ag, nn.functional as F
    >>> sorted(set(F.alpha_dropout(ag.zeros(50), 0.5, training=True, rng=0).data.round(4).tolist()))
    [-0.7792, 0.7792]
    """
    return _alpha_dropout(input, p, training, rng, inplace, "alpha_dropout", feature=False)


def feature_alpha_dropout(input, p=0.5, training=False, rng=None, *, inplace=False):
    """Alpha dropout of whole channels, as PyTorch's: in training, each channel of each sample of an input
    (N, C, *) is set as a whole with probability p to SELU's negative saturation, then every element mapped by
    a * x + b, as alpha_dropout's; the identity when not training (the default, as PyTorch's) or p == 0.

    >>> import autograd_core as ag, nn.functional as F
    >>> y = F.feature_alpha_dropout(ag.zeros((4, 3, 5)), 0.5, training=True, rng=0)
    >>> bool((y.data.max(axis=2) == y.data.min(axis=2)).all())
    True
    """
    return _alpha_dropout(input, p, training, rng, inplace, "feature_alpha_dropout", feature=True)


def _alpha_dropout(input, p, training, rng, inplace, where, feature):
    F.check_probability(where, "probability p", p)
    return _masked(input, p, training, rng, inplace, where, batched=True if feature else None, alpha=True)


def _feature_dropout(input, p, training, rng, inplace, where, batched):
    return _masked(input, p, training, rng, inplace, where, batched=batched, alpha=False)


def _masked(input, p, training, rng, inplace, where, batched, alpha):
    """input times a mask of 1 / (1 - p) (kept) and 0 (dropped), or for alpha a * mask + b, drawn per element when
    batched is None, else per channel: one entry per (N, C) when batched, per C (axis 0) when not (unbatched)."""
    inplace = as_flag(inplace, where, "inplace")
    x = F._as_input(input, where)  # a Tensor out in every mode, as from the modules
    if not as_flag(training, where, "training") or p == 0 or x.numel() == 0:
        return x
    if x.dtype.kind != "f":  # the kept values are scaled: an int cast would truncate the scale
        raise TypeError(f"{where}: input of dtype {x.dtype} (shape {x.shape}); {where} scales what it keeps, which "
                        f"needs a float input")
    if p == 1:  # (PyTorch's zeros, for the alpha dropouts too)
        result = x * 0
    else:
        if batched is None:
            mask_shape = x.shape
        else:
            axes = 2 if batched else 1
            if x.ndim < axes:
                raise DropoutShapeError(f"{where}: a channel dropout needs the channels on axis {axes - 1}, got "
                                        f"{x.ndim}-D input of shape {x.shape}; use dropout for single elements")
            mask_shape = x.shape[:axes] + (1,) * (x.ndim - axes)
        keep = _dropout_generator(rng, where).random(mask_shape) >= p
        if alpha:
            a = 1 / math.sqrt((_SELU_ALPHA_SCALE ** 2 * p + 1) * (1 - p))
            shift = np.where(keep, _SELU_ALPHA_SCALE * a * p, _SELU_ALPHA_SCALE * a * (p - 1))
            result = x * (keep * a).astype(x.dtype) + shift.astype(x.dtype)
        else:
            result = x * (keep / (1 - p)).astype(x.dtype)
    return F._in_place(input, result, where) if inplace else result
