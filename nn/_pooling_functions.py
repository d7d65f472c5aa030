"""Unpooling and adaptive pooling as functions, which nn.functional re-exports: max_unpool1d, max_unpool2d,
max_unpool3d, adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
adaptive_max_pool2d and adaptive_max_pool3d, with torch.nn.functional's names, arguments and defaults.

Each is composed of engine operations, so every gradient is the engine's and second derivatives hold:
- max_unpool puts each input value at its index in zeros: a gather (ag.take_along_axis) of the input, followed by
  a zero, at the input position that writes each output entry, so its gradient picks g at the indices.
- adaptive pooling uses PyTorch's windows: along an axis of n entries pooled to m, window i covers
  [floor(i n / m), ceil((i + 1) n / m)). When m divides n these are the windows of an ordinary pooling with kernel
  and stride n / m, which does the work. Otherwise each window's entries are gathered by integer indexing, one
  axis at a time (a window shorter than the longest repeats its last entry); the average sums those that are no
  repeats over the window's size, and the max takes the first maximum, or the last NaN, as max pooling and PyTorch
  do (a repeat changes neither the max nor where it is).
"""
import math
import operator

import numpy as np

import autograd_core as ag
from autograd_core._arguments import as_index

from ._arguments import as_flag
from ._convolution_functions import SlidingWindowError, _first_maxima, _per_axis, _pool_input, avg_pool, max_pool

# ---- max_unpool ----------------------------------------------------------------------------------
def _unpool_size(x_shape, kernel, stride, padding, output_size, where):
    """The output's spatial size: (n - 1) * stride - 2 * padding + kernel along each axis, or output_size (the
    spatial sizes, or the whole shape) when it is within a stride of that, as PyTorch's."""
    dims = len(kernel)
    default = tuple((n - 1) * s - 2 * p + k for n, k, s, p in zip(x_shape[-dims:], kernel, stride, padding))
    if output_size is None:
        return default
    try:
        sizes = tuple(operator.index(n) for n in output_size)
    except TypeError:
        raise TypeError(f"{where}: output_size must be a sequence of {dims} or {dims + 2} ints, got "
                        f"{output_size!r}") from None
    if len(sizes) == dims + 2:
        sizes = sizes[2:]
    if len(sizes) != dims:
        raise SlidingWindowError(f"{where}: output_size must hold {dims} or {dims + 2} sizes (the spatial ones, or the "
                                 f"whole shape), got {output_size!r}")
    for axis, (n, d, s) in enumerate(zip(sizes, default, stride)):
        if not d - s < n < d + s:
            raise SlidingWindowError(f"{where}: output_size {output_size!r} is invalid: along spatial axis {axis} it "
                                     f"must be between {d - s} and {d + s}, exclusive (within a stride of the default "
                                     f"{d})")
    return sizes


def max_unpool(input, indices, kernel_size, stride, padding, output_size, dims, where):
    """max_unpool1d, max_unpool2d and max_unpool3d: zeros, with each input value at its index in its (N, C) plane."""
    x = _pool_input(input, dims, where)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{where}: expected an input of a bool, integer or float dtype, got {x.dtype}")
    index = np.asarray(indices.data if isinstance(indices, ag.Tensor) else indices)
    if index.dtype.kind not in "iu":
        raise TypeError(f"{where}: indices must be integers (as max_pool{dims}d(..., return_indices=True) gives), got "
                        f"dtype {index.dtype}")
    if index.shape != x.shape:
        raise SlidingWindowError(f"{where}: indices (shape {index.shape}) must have the input's shape {x.shape}, one "
                                 "index per value")
    kernel = _per_axis(kernel_size, dims, where, "kernel_size")
    empty = isinstance(stride, (tuple, list)) and not stride
    stride = kernel if stride is None or empty else _per_axis(stride, dims, where, "stride")
    padding = _per_axis(padding, dims, where, "padding", low=0)
    size = _unpool_size(x.shape, kernel, stride, padding, output_size, where)
    lead, count, plane = x.shape[:-dims], math.prod(x.shape[-dims:]), math.prod(size)
    index = index.reshape(-1, count)
    bad = (index < 0) | (index >= plane)
    if plane and bad.any():  # (an empty output is written nothing: PyTorch's, too, checks no index then)
        raise SlidingWindowError(f"{where}: Found an invalid max index: {index[bad][0]} (output volumes are of size "
                                 f"{'x'.join(map(str, size))}), so an index must be in [0, {plane})")
    # source[r, j]: the input position written last to output position j of plane r (PyTorch's loop writes them in
    # order, so the last wins), or count (the zero appended to each plane) where none is written.
    source = np.full((len(index), plane), -1, dtype=np.int64)
    if plane:
        np.maximum.at(source, (np.arange(len(index))[:, None], index), np.arange(count)[None, :])
    source[source < 0] = count
    planes = x.reshape(-1, count)
    planes = ag.concatenate([planes, ag.zeros((len(index), 1), dtype=x.dtype)], axis=1)
    return ag.take_along_axis(planes, source, axis=1).reshape(*lead, *size)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of max_pool1d, as torch.nn.functional.max_unpool1d: zeros of length (L - 1) stride - 2 padding +
    kernel_size (or output_size, within a stride of that), each value of input (N, C, L) or (C, L) put at its index
    (max_pool1d's return_indices). Where two values share an index the last is kept, and only it gets a gradient.

    >>> import autograd_core as ag, nn.functional as F
    >>> out, indices = F.max_pool1d(ag.tensor([[1.0, 3.0, 2.0, 5.0, 4.0]]), 2, return_indices=True)
    >>> F.max_unpool1d(out, indices, 2), F.max_unpool1d(out, indices, 2, output_size=[5])
    (Tensor([[0., 3., 0., 5.]]), Tensor([[0., 3., 0., 5., 0.]]))
    """
    return max_unpool(input, indices, kernel_size, stride, padding, output_size, 1, "max_unpool1d")


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of max_pool2d, as torch.nn.functional.max_unpool2d: zeros of each spatial size (n - 1) stride -
    2 padding + kernel_size (or output_size, within a stride of that), each value of input (N, C, H, W) or (C, H, W)
    put at its flat index in its plane (max_pool2d's return_indices). Where two values share an index the last is
    kept, and only it gets a gradient.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> out, indices = F.max_pool2d(ag.tensor(np.arange(16.0).reshape(1, 4, 4)), 2, return_indices=True)
    >>> F.max_unpool2d(out, indices, 2)
    Tensor([[[ 0.,  0.,  0.,  0.],
             [ 0.,  5.,  0.,  7.],
             [ 0.,  0.,  0.,  0.],
             [ 0., 13.,  0., 15.]]])
    """
    return max_unpool(input, indices, kernel_size, stride, padding, output_size, 2, "max_unpool2d")


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of max_pool3d, as torch.nn.functional.max_unpool3d: zeros of each spatial size (n - 1) stride -
    2 padding + kernel_size (or output_size), each value of input (N, C, D, H, W) or (C, D, H, W) put at its flat
    index in its volume (max_pool3d's return_indices).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> out, indices = F.max_pool3d(ag.tensor(np.arange(8.0).reshape(1, 2, 2, 2)), 2, return_indices=True)
    >>> F.max_unpool3d(out, indices, 2).tolist()
    [[[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 7.0]]]]
    """
    return max_unpool(input, indices, kernel_size, stride, padding, output_size, 3, "max_unpool3d")


# ---- adaptive pooling ----------------------------------------------------------------------------
def adaptive_sizes(output_size, dims, where, shape=None):
    """output_size (an int, or a tuple of dims ints or None, None keeping the input's size along that axis) as a
    tuple of dims ints >= 0 (with shape, the input's spatial sizes, in place of the None)."""
    sequence = isinstance(output_size, (tuple, list)) or isinstance(output_size, np.ndarray) and output_size.ndim == 1
    sizes = tuple(output_size) if sequence else (output_size,) * dims  # (an array of sizes too, as PyTorch takes it)
    if len(sizes) != dims:
        raise SlidingWindowError(f"{where}: output_size must be an int or a tuple of {dims} (each an int or None), got "
                                 f"{output_size!r}")
    checked = []
    for axis, n in enumerate(sizes):
        if n is None:
            checked.append(None if shape is None else shape[axis])
            continue
        size = as_index(n)
        if size is None:
            raise TypeError(f"{where}: output_size must be an int or a tuple of {dims} (each an int or None), got "
                            f"{output_size!r}")
        if size < 0:
            raise SlidingWindowError(f"{where}: the sizes in output_size must be at least 0, got {output_size!r}")
        checked.append(size)
    return tuple(checked)


def _adaptive_input(input, output_size, dims, where):
    """The input, as a Tensor, and the output's spatial sizes; an error for an empty spatial axis, as PyTorch's."""
    x = _pool_input(input, dims, where)
    shape = x.shape[-dims:]
    if 0 in shape:
        raise SlidingWindowError(f"{where}: the input (shape {x.shape}) is empty along a spatial axis; each of its "
                                 f"last {dims} sizes must be at least 1")
    return x, shape, adaptive_sizes(output_size, dims, where, shape)


def _windows_bounds(n, m):
    """PyTorch's adaptive windows of an axis of n entries pooled to m: starts floor(i n / m), ends ceil((i+1) n / m)."""
    i = np.arange(m)
    return i * n // m, -(-(i + 1) * n // m)


def _uniform(shape, sizes):
    """The kernel (and stride) of an ordinary pooling with the same windows, when each size divides its axis."""
    if all(m and n % m == 0 for n, m in zip(shape, sizes)):
        return tuple(n // m for n, m in zip(shape, sizes))
    return None


def adaptive_avg_pool(input, output_size, dims, where):
    """adaptive_avg_pool1d, 2d and 3d: the mean of each of PyTorch's adaptive windows."""
    x, shape, sizes = _adaptive_input(input, output_size, dims, where)
    if x.dtype.kind != "f":
        raise TypeError(f"{where}: expected a float input, got {x.dtype} (shape {x.shape}); cast it with "
                        f".astype(np.float32)")
    if x.dtype == np.float16:  # in float32, rounded once, as PyTorch's float16 kernels (as avg_pool)
        return adaptive_avg_pool(x.astype(np.float32), output_size, dims, where).astype(np.float16)
    kernel = _uniform(shape, sizes)
    if kernel is not None:
        return avg_pool(x, kernel, kernel, 0, False, True, None, dims, where)
    stacked, _, fresh = _adaptive_windows(x, shape, sizes)
    counts = math.prod(np.ix_(*(ends - starts for starts, ends in map(_windows_bounds, shape, sizes))))
    return ag.where(fresh, stacked, 0).sum(axis=0) / counts.astype(x.dtype)  # (where: a repeat's NaN is no term)


def _adaptive_windows(x, shape, sizes):
    """The entries of each adaptive window, gathered by integer indexing along each axis in turn, the offsets in
    the window first (as max pooling's): (K, *x.shape[:-dims], *sizes), K the product of the longest window along
    each axis, a shorter window repeating its last entry. Also the positions (one (size, longest) array per axis)
    and where the entries are no repeats (a mask that broadcasts against the windows)."""
    dims = len(shape)
    windows, positions, fresh = x, [], True
    for axis, (n, m) in enumerate(zip(shape, sizes)):
        starts, ends = _windows_bounds(n, m)
        longest = int((ends - starts).max()) if m else 1
        offsets = starts[:, None] + np.arange(longest)  # (m, longest)
        positions.append(np.minimum(offsets, ends[:, None] - 1))
        windows = windows[(Ellipsis, positions[-1]) + (slice(None),) * (dims - 1 - axis)]  # axis -> (m, longest)
        inside = (offsets < ends[:, None]).T  # (longest, m), put on axes `axis` (offset) and dims + axis (window)
        fresh = fresh & inside.reshape(tuple(longest if a == axis else m if a == dims + axis else 1
                                             for a in range(2 * dims)))
    lead = x.ndim - dims
    order = tuple(range(lead + 1, x.ndim + dims, 2)) + tuple(range(lead)) + tuple(range(lead, x.ndim + dims, 2))
    stacked = ag.transpose(windows, order)
    stacked = stacked.reshape(math.prod(stacked.shape[:dims]), *stacked.shape[dims:])
    fresh = fresh.reshape((stacked.shape[0],) + (1,) * lead + tuple(sizes))
    return stacked, positions, fresh


def adaptive_max_pool(input, output_size, return_indices, dims, where):
    """adaptive_max_pool1d, 2d and 3d: the max of each of PyTorch's adaptive windows (its first maximum, or last
    NaN), and with return_indices where it is: its flat index in its (N, C) plane."""
    return_indices = as_flag(return_indices, where, "return_indices")
    x, shape, sizes = _adaptive_input(input, output_size, dims, where)
    if x.dtype.kind not in "iuf":
        raise TypeError(f"{where}: expected an input of a float or integer dtype, got {x.dtype} (shape {x.shape})")
    kernel = _uniform(shape, sizes)
    if kernel is not None:
        return max_pool(x, kernel, kernel, 0, 1, False, return_indices, dims, where)
    stacked, positions, _ = _adaptive_windows(x, shape, sizes)
    mask = _first_maxima(stacked.data)  # (a repeat comes after its entry: it is never the first maximum, and where
    # it is the last NaN, it names the same entry)
    out = ag.where(mask, stacked, 0).sum(axis=0)
    out = out if out.dtype == x.dtype else out.astype(x.dtype)  # NumPy's sum widens small ints
    if not return_indices:
        return out
    offsets = np.unravel_index(np.argmax(mask, axis=0), tuple(p.shape[1] for p in positions))
    index = 0
    for axis, (n, picked, offset) in enumerate(zip(shape, positions, offsets)):
        rows = np.arange(picked.shape[0]).reshape((-1,) + (1,) * (dims - 1 - axis))
        index = index * n + picked[rows, offset]
    return out, ag.tensor(np.asarray(index, dtype=np.int64))


def adaptive_avg_pool1d(input, output_size):
    """The mean of each of output_size windows along the last axis of an input (N, C, L) or (C, L), as
    torch.nn.functional.adaptive_avg_pool1d: window i covers [floor(i L / output_size), ceil((i + 1) L /
    output_size)), so neighbours may overlap by one entry.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.adaptive_avg_pool1d(ag.tensor([[1.0, 2.0, 3.0, 4.0, 5.0]]), 3)
    Tensor([[1.5, 3. , 4.5]])
    """
    return adaptive_avg_pool(input, output_size, 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input, output_size):
    """The mean of each of PyTorch's adaptive windows of an input (N, C, H, W) or (C, H, W), to the spatial size
    output_size (an int, or a pair of ints or None, None keeping the input's size), as
    torch.nn.functional.adaptive_avg_pool2d.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.adaptive_avg_pool2d(ag.tensor(np.arange(16.0).reshape(1, 4, 4)), 1).tolist()
    [[[7.5]]]
    >>> F.adaptive_avg_pool2d(ag.tensor(np.arange(16.0).reshape(1, 4, 4)), (None, 3)).shape
    (1, 4, 3)
    """
    return adaptive_avg_pool(input, output_size, 2, "adaptive_avg_pool2d")


def adaptive_avg_pool3d(input, output_size):
    """The mean of each of PyTorch's adaptive windows of an input (N, C, D, H, W) or (C, D, H, W), to the spatial
    size output_size (an int, or a triple of ints or None), as torch.nn.functional.adaptive_avg_pool3d.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.adaptive_avg_pool3d(ag.tensor(np.arange(8.0).reshape(1, 2, 2, 2)), (1, None, 1)).tolist()
    [[[[2.5], [4.5]]]]
    """
    return adaptive_avg_pool(input, output_size, 3, "adaptive_avg_pool3d")


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """The maximum of each of output_size windows along the last axis of an input (N, C, L) or (C, L), as
    torch.nn.functional.adaptive_max_pool1d (the windows as adaptive_avg_pool1d's); at a tie the gradient goes to
    the first maximum. return_indices=True: also the index of each maximum.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.adaptive_max_pool1d(ag.tensor([[1.0, 5.0, 3.0, 2.0, 4.0]]), 3, return_indices=True)
    (Tensor([[5., 5., 4.]]), Tensor([[1, 1, 4]]))
    """
    return adaptive_max_pool(input, output_size, return_indices, 1, "adaptive_max_pool1d")


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """The maximum of each of PyTorch's adaptive windows of an input (N, C, H, W) or (C, H, W), to the spatial size
    output_size (an int, or a pair of ints or None), as torch.nn.functional.adaptive_max_pool2d; at a tie the
    gradient goes to the first maximum (row-major). return_indices=True: also each maximum's flat index in its plane.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.adaptive_max_pool2d(ag.tensor(np.arange(9.0).reshape(1, 3, 3)), 2, return_indices=True)[1].tolist()
    [[[4, 5], [7, 8]]]
    """
    return adaptive_max_pool(input, output_size, return_indices, 2, "adaptive_max_pool2d")


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """The maximum of each of PyTorch's adaptive windows of an input (N, C, D, H, W) or (C, D, H, W), to the
    spatial size output_size (an int, or a triple of ints or None), as torch.nn.functional.adaptive_max_pool3d.
    return_indices=True: also each maximum's flat index in its volume.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.adaptive_max_pool3d(ag.tensor(np.arange(8.0).reshape(1, 2, 2, 2)), (1, 2, 1)).tolist()
    [[[[5.0], [7.0]]]]
    """
    return adaptive_max_pool(input, output_size, return_indices, 3, "adaptive_max_pool3d")
