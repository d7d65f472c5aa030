"""Fractional max pooling as functions, which nn.functional re-exports: fractional_max_pool2d,
fractional_max_pool3d and their _with_indices forms, with torch.nn.functional's names, arguments and defaults,
and rng= (keyword-only) for the random samples, as nn.functional.dropout takes it.

Along an axis of n entries pooled by windows of k entries to m outputs, output i's window starts at PyTorch's
(generate_intervals) int((i + u) alpha) - int(u alpha), alpha = (n - k) / (m - 1), in the input's dtype, for
i < m - 1, and at n - k for the last, u being the (N, C) plane's random sample for that axis (in [0, 1): drawn
with NumPy from rng, or given as _random_samples (N, C, dims): for 2-D its entries are for (W, H), for 3-D for
(D, H, W), as PyTorch's). Each window's entries are gathered by integer indexing (ag.take_along_axis, whose
gradient scatter-adds) and the output is the first maximum of each, or the last NaN, as PyTorch's loop finds it;
so every gradient is the engine's and second derivatives hold.
"""
import math

import numpy as np

import autograd_core as ag

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, as_number, generator
from ._convolution_functions import SlidingWindowError, _first_maxima, _per_axis

_AXIS_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}
_SAMPLE_AXES = {2: (1, 0), 3: (0, 1, 2)}  # which sample of a plane each spatial axis uses (2-D: (W, H) samples)


def fractional_max_pool(input, kernel_size, output_size, output_ratio, return_indices, samples, rng, dims, where):
    """fractional_max_pool2d and 3d: the max of each of PyTorch's fractional windows; with return_indices, also
    its flat index in its (N, C) plane."""
    return_indices = as_flag(return_indices, where, "return_indices")
    x = F._as_input(input, where)
    if x.ndim not in (dims + 1, dims + 2):
        layout = "(N, C, H, W)" if dims == 2 else "(N, C, D, H, W)"
        raise SlidingWindowError(f"{where}: expected a {dims + 1}-D or {dims + 2}-D input, {layout} or without N, got "
                                 f"shape {x.shape}")
    if x.dtype.kind != "f":
        raise TypeError(f"{where}: expected a float input, got {x.dtype} (shape {x.shape}); cast it with "
                        f".astype(np.float32)")
    kernel = _sizes(kernel_size, dims, where, "kernel_size")
    spatial = x.shape[-dims:]
    sizes = _output_sizes(output_size, output_ratio, spatial, dims, where)
    for axis, n in enumerate(x.shape[1:], start=1):  # (PyTorch's check: all but the first axis, so an unbatched
        if n == 0:                                    # input may have no channels, a batched one no samples)
            raise SlidingWindowError(f"{where}: Expected input to have non-zero sizes for all axes but the first (C "
                                     "and the spatial ones, or the spatial ones of an unbatched input), got shape "
                                     f"{x.shape}, empty along axis {axis}")
    strict = dims == 3  # (PyTorch's 3-D check is strict: output + kernel - 1 < input; its 2-D one is not)
    for name, n, k, m in zip(_AXIS_NAMES[dims], spatial, kernel, sizes):
        if m + k - 1 > n - strict:
            raise SlidingWindowError(f"{where}: pool {name} {k} too large relative to input {name} {n} for an output "
                                     f"{name} of {m}: it needs output + kernel - 1 {'<' if strict else '<='} input")
    batched = x.ndim == dims + 2
    xb = x if batched else ag.expand_dims(x, 0)
    batch, channels = xb.shape[:2]
    u = _samples(samples, rng, batch, channels, dims, x.dtype, where)[:batch]
    starts = [_intervals(u[..., s], n, m, k, x.dtype) for s, n, m, k in zip(_SAMPLE_AXES[dims], spatial, sizes, kernel)]
    index = 0  # (N, C, *sizes, *kernel): each window entry's flat index in its plane
    for axis, (n, begin, k) in enumerate(zip(spatial, starts, kernel)):
        positions = begin[..., None] + np.arange(k)  # (N, C, m, k)
        shape = (batch, channels) + tuple(m if a == axis else 1 for a, m in enumerate(sizes)) \
            + tuple(k if a == axis else 1 for a in range(dims))
        index = index * n + positions.reshape(shape)  # (the axes of positions keep their order)
    index = np.broadcast_to(index, (batch, channels) + tuple(sizes) + tuple(kernel))
    window = math.prod(kernel)
    flat = xb.reshape(batch, channels, math.prod(spatial))
    gathered = ag.take_along_axis(flat, index.reshape(batch, channels, math.prod(sizes) * window), axis=2)
    stacked = ag.moveaxis(gathered.reshape((batch, channels) + tuple(sizes) + (window,)), -1, 0)
    mask = _first_maxima(stacked.data)
    out = ag.where(mask, stacked, 0).sum(axis=0)
    out = out if batched else out[0]
    if not return_indices:
        return out
    chosen = np.take_along_axis(np.moveaxis(index.reshape((batch, channels) + tuple(sizes) + (window,)), -1, 0),
                                np.argmax(mask, axis=0)[None], axis=0)[0]
    return out, ag.tensor(chosen if batched else chosen[0])


def _sizes(value, dims, where, name, low=1):
    """kernel_size or output_size as dims ints (_per_axis), a sequence of another length refused in PyTorch's words."""
    if isinstance(value, (tuple, list)) and len(value) != dims:
        raise SlidingWindowError(f"{where}: {name} must either be a single int or a tuple of {dims} ints, got "
                                 f"{value!r}")
    return _per_axis(value, dims, where, name, low=low)


def _output_sizes(output_size, output_ratio, spatial, dims, where):
    """The output's spatial sizes: output_size (an int or dims ints), else int(n * ratio) per axis."""
    if output_size is None and output_ratio is None:
        raise SlidingWindowError(f"{where} requires specifying either an output_size or an output_ratio (both are "
                                 "None)")
    if output_size is not None:
        return _sizes(output_size, dims, where, "output_size", low=0)
    ratios = output_ratio if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * dims
    numbers = [as_number(r) for r in ratios]
    if len(ratios) != dims or any(r is None for r in numbers):
        raise SlidingWindowError(f"{where}: output_ratio must be a number or a tuple of {dims} numbers, got "
                                 f"{output_ratio!r}")
    if not all(math.isfinite(r) and r >= 0 for r in numbers):
        raise SlidingWindowError(f"{where}: output_ratio must be finite and not negative (between 0 and 1, exclusive, "
                                 f"to shrink), got {output_ratio!r}")
    return tuple(int(n * r) for n, r in zip(spatial, numbers))


def _samples(samples, rng, batch, channels, dims, dtype, where):
    """The random samples (at least batch, channels, dims) in the input's dtype: drawn from rng (uniform in [0, 1),
    a NumPy Generator or a seed, as dropout's), or _random_samples checked as PyTorch checks them."""
    if samples is None:
        return generator(rng, where).random((batch, channels, dims)).astype(dtype)
    if rng is not None:
        raise SlidingWindowError(f"{where}: give either _random_samples or rng, not both")
    if isinstance(samples, ag.Tensor):
        samples = samples.data
    u = np.asarray(samples)
    if u.ndim != 3:
        raise SlidingWindowError(f"{where}: expected _random_samples to have 3 dimensions (N, C, {dims}), got shape "
                                 f"{u.shape}")
    if u.dtype != dtype:
        raise TypeError(f"{where}: expected _random_samples to have the input's dtype {dtype}, got {u.dtype}")
    if u.shape[2] != dims:
        raise SlidingWindowError(f"{where}: expected _random_samples.shape[2] to be {dims} (one sample per spatial "
                                 f"axis), got shape {u.shape}")
    if u.shape[1] != channels:
        raise SlidingWindowError(f"{where}: expected _random_samples.shape[1] to equal the input's {channels} "
                                 f"channels, got shape {u.shape}")
    if u.shape[0] < batch:
        raise SlidingWindowError(f"{where}: Expect _random_samples.shape[0] to be at least the input's batch size "
                                 f"{batch}, got shape {u.shape}")
    return u


def _intervals(u, n, m, k, dtype):
    """PyTorch's generate_intervals for each sample in u (N, C): the windows' starts (N, C, m) along an axis of n
    entries pooled by k to m: int((i + u) alpha) - int(u alpha), alpha = (n - k) / (m - 1), in dtype (C's int()
    truncates toward zero), and n - k for the last window."""
    p = np.dtype(dtype).type
    starts = np.empty(u.shape + (m,), dtype=np.int64)
    if m > 1:
        alpha = p(n - k) / p(m - 1)
        i = np.arange(m - 1).astype(p)
        with np.errstate(over="ignore", invalid="ignore"):
            starts[..., :-1] = (np.trunc((i + u[..., None]) * alpha).astype(np.int64)
                                - np.trunc(u * alpha).astype(np.int64)[..., None])
    if m > 0:
        starts[..., -1] = n - k
    return starts


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None, *, rng=None):
    """Fractional max pooling of an input (N, C, H, W) or (C, H, W), as torch.nn.functional.fractional_max_pool2d:
    the max of windows of kernel_size entries whose starts step pseudo-randomly (by PyTorch's formula from one
    random sample per plane and axis) to the spatial size output_size, or int(n * output_ratio). The samples are
    drawn from rng (a NumPy Generator or a seed, as dropout's), or given as _random_samples (N, C, 2), in the
    input's dtype. return_indices=True: also each maximum's flat index in its plane.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> x = ag.tensor(np.arange(25.0).reshape(1, 1, 5, 5))
    >>> F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=np.full((1, 1, 2), 0.5)).tolist()
    [[[[6.0, 8.0, 9.0], [16.0, 18.0, 19.0], [21.0, 23.0, 24.0]]]]
    """
    return fractional_max_pool(input, kernel_size, output_size, output_ratio, return_indices, _random_samples, rng,
                               2, "fractional_max_pool2d")


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                                       _random_samples=None, *, rng=None):
    """fractional_max_pool2d returning (output, indices) whatever return_indices says, as PyTorch's.

    >>> import numpy as np, nn.functional as F
    >>> out, index = F.fractional_max_pool2d_with_indices(np.arange(16.0).reshape(1, 4, 4), 2, output_size=2, rng=0)
    >>> out.tolist(), index.tolist()
    ([[[5.0, 7.0], [13.0, 15.0]]], [[[5, 7], [13, 15]]])
    """
    return fractional_max_pool(input, kernel_size, output_size, output_ratio, True, _random_samples, rng, 2,
                               "fractional_max_pool2d_with_indices")


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None, *, rng=None):
    """Fractional max pooling of an input (N, C, D, H, W) or (C, D, H, W), as
    torch.nn.functional.fractional_max_pool3d (fractional_max_pool2d's windows along three axes; _random_samples
    (N, C, 3), one sample for each of D, H and W).

    >>> import numpy as np, nn.functional as F
    >>> F.fractional_max_pool3d(np.arange(64.0).reshape(1, 4, 4, 4), 2, output_size=2, rng=0).tolist()
    [[[[21.0, 23.0], [29.0, 31.0]], [[53.0, 55.0], [61.0, 63.0]]]]
    """
    return fractional_max_pool(input, kernel_size, output_size, output_ratio, return_indices, _random_samples, rng,
                               3, "fractional_max_pool3d")


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                                       _random_samples=None, *, rng=None):
    """fractional_max_pool3d returning (output, indices) whatever return_indices says, as PyTorch's.

    >>> import numpy as np, nn.functional as F
    >>> F.fractional_max_pool3d_with_indices(np.arange(8.0).reshape(1, 2, 2, 2), 1, output_size=1, rng=0)[1].tolist()
    [[[[7]]]]
    """
    return fractional_max_pool(input, kernel_size, output_size, output_ratio, True, _random_samples, rng, 3,
                               "fractional_max_pool3d_with_indices")
