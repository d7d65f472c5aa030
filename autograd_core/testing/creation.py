"""PyTorch's torch.testing.make_tensor: a Tensor of test inputs of a given shape and dtype, drawn uniformly from a
range ([-9, 9) by default), as PyTorch's own tests make them.
"""
import collections.abc
import math
import warnings

import numpy as np

from .._arguments import check_device, generator_of
from ..creation import CreationError, _check_memory_format
from ..tensor import Tensor


def _range(dtype, low, high, lowest, highest, default_low, default_high):
    """[low, high) as make_tensor draws from: the defaults for None, clamped to [lowest, highest) of the dtype, and
    rounded up to integers for an integer or bool dtype; NaN, low >= high, or a range outside the dtype's are
    refused (low == high of a float dtype is allowed with PyTorch's FutureWarning: every value is low)."""
    low, high = (default_low if low is None else low), (default_high if high is None else high)
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise CreationError(f"make_tensor: `low` and `high` cannot be NaN, but got low={low} and high={high}")
    if low == high and dtype.kind == "f":
        warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                      "deprecated since 2.1 and will be removed in 2.3. Use `ag.full(...)` instead.",
                      FutureWarning, stacklevel=3)
    elif low >= high:
        raise CreationError(f"make_tensor: `low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest:
        raise CreationError(f"make_tensor: the value interval specified by `low` and `high` is [{low}, {high}), but "
                            f"{dtype} only supports [{lowest}, {highest})")
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    return (math.ceil(low), math.ceil(high)) if dtype.kind in "biu" else (low, high)


def _uniform(rng, low, high, shape, dtype):
    """Floats of dtype uniform in [low, high): drawn in float64 (halved and doubled when high - low overflows), then
    kept below high and at or above low where rounding to dtype would reach them."""
    if high - low >= np.finfo(np.float64).max:
        values = 2 * rng.uniform(low / 2, high / 2, shape)
    else:
        values = rng.uniform(low, high, shape)
    values = np.asarray(values).astype(dtype)
    if low < high:
        with np.errstate(over="ignore"):
            top, bottom = np.asarray(high, dtype=dtype), np.asarray(low, dtype=dtype)
        top = top if top < high else np.nextafter(top, dtype.type(-np.inf))
        bottom = bottom if bottom >= low else np.nextafter(bottom, dtype.type(np.inf))
        values = np.clip(values, bottom, top)
    return values


def make_tensor(*shape, dtype, device=None, low=None, high=None, requires_grad=False, noncontiguous=False,
                exclude_zero=False, memory_format=None, rng=None, generator=None):
    """PyTorch's torch.testing.make_tensor: a Tensor of the given shape (make_tensor(2, 3, ...) or make_tensor((2,
    3), ...)) and dtype (bool, an integer or a float one), its values uniform in [low, high): by default [0, 2) for
    bool, [0, 10) for unsigned integers, [-9, 10) for signed ones and [-9, 9) for floats; a bound outside the dtype's
    range is clamped to it. requires_grad=True makes a float leaf that requires grad (an integer or bool dtype is
    refused, as in PyTorch); noncontiguous=True a view that is not contiguous (when it has two elements or more);
    exclude_zero=True replaces zeros by 1 (bool, integers) or the dtype's smallest normal number (floats).
    memory_format is None, ag.contiguous_format or ag.preserve_format (all the same here); device None or the CPU.
    rng (or generator=, PyTorch's name) as ag.randn's: by default the generator ag.manual_seed seeds.

    >>> import autograd_core as ag
    >>> from autograd_core.testing import make_tensor
    >>> t = make_tensor((2, 3), dtype=ag.float32, low=-1, high=1, rng=0)
    >>> t.shape, t.dtype, bool(((t >= -1) & (t < 1)).all())
    ((2, 3), dtype('float32'), True)
    >>> make_tensor(4, dtype=ag.int64, low=0, high=3, rng=0).tolist()
    [2, 1, 1, 0]
    """
    check_device(device, "make_tensor")
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf":
        raise TypeError(f"make_tensor: the requested dtype {dtype} is not supported: give bool, an integer or a float "
                        f"dtype (autograd_core has no complex Tensors)")
    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = shape[0]
    shape = tuple(int(n) for n in shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(f"make_tensor: the parameters `noncontiguous` and `memory_format` are mutually exclusive, "
                         f"but got noncontiguous={noncontiguous} and memory_format={memory_format}")
    _check_memory_format(memory_format, "make_tensor")
    if requires_grad and dtype.kind != "f":
        raise ValueError(f"make_tensor: `requires_grad=True` is not supported for boolean and integral dtypes, but "
                         f"got dtype={dtype}")
    rng = generator_of(rng, generator, "make_tensor")
    noncontiguous = noncontiguous and math.prod(shape) > 1
    drawn = (*shape[:-1], 2 * shape[-1]) if noncontiguous else shape
    if dtype.kind == "b":
        low, high = _range(dtype, low, high, 0, 2, 0, 2)
        values = rng.integers(low, high, drawn).astype(bool)
    elif dtype.kind in "iu":
        info = np.iinfo(dtype)  # (int64's greatest value is not drawn, as in PyTorch)
        low, high = _range(dtype, low, high, int(info.min), int(info.max) + (dtype != np.int64), -9, 10)
        values = rng.integers(low, high, drawn, dtype=dtype) if low < high else np.full(drawn, low, dtype)
    else:
        info = np.finfo(dtype)
        low, high = _range(dtype, low, high, float(info.min), float(info.max), -9, 9)
        values = _uniform(rng, low, high, drawn, dtype)
    values = np.asarray(values)
    if exclude_zero:
        values[values == 0] = 1 if dtype.kind in "biu" else np.finfo(dtype).tiny
    result = Tensor(values)
    if noncontiguous:
        result = result[..., 1::2]
    if requires_grad:
        result.requires_grad = True
    return result
