"""Convolution and pooling as functions, which nn.functional re-exports: conv1d, conv2d, conv3d, max_pool1d,
max_pool2d, max_pool3d, avg_pool1d, avg_pool2d and avg_pool3d, with torch.nn.functional's names, arguments and
defaults.

Each is composed of engine operations: ag.pad, then ag.sliding_windows (the windows of the input over its spatial
axes, a strided view) and an einsum of the windows with the weight (convolution), their max (max pooling) or their
sum over a count (average pooling). So every gradient is the engine's: the windows' rule adds each window's gradient
back in its place, and second derivatives hold. Max pooling picks each window's first maximum (in row-major order
of the window, or its last NaN), as PyTorch's does, so at a tie the whole gradient goes to that entry, as in
PyTorch. A dilated window wholly in the padding has the max -inf, as PyTorch's, and passes its gradient to its first
entry (PyTorch's to an input entry outside the window). As in PyTorch, a convolution is a cross-correlation (the kernel is
not flipped), inputs are (N, C, L), (N, C, H, W) or (N, C, D, H, W), or without N (unbatched), and a weight is
(out_channels, in_channels / groups, *kernel_size). With return_indices, max pooling also gives the flat index of
each window's chosen entry in its (N, C) plane of the input, as PyTorch's (for max_unpool, nn/_pooling_functions.py).
"""
import math

import numpy as np

import autograd_core as ag

from autograd_core._arguments import InvalidArgumentError

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number


class SlidingWindowError(InvalidArgumentError):
    """A convolution's, pooling's, unpooling's, fold's or unfold's input or argument that cannot be used: a ValueError
    and, as PyTorch's errors there are, a RuntimeError."""


_OUT, _KERNEL = "uvw", "ijk"  # einsum letters of the output's spatial axes and of the kernel's
_LAYOUTS = {1: ("(N, C, L)", "kernel_size"), 2: ("(N, C, H, W)", "kH, kW"), 3: ("(N, C, D, H, W)", "kD, kH, kW")}


def _per_axis(value, dims, where, name, low=1):
    """value, an int or a tuple of dims ints (each >= low), as a tuple of dims ints."""
    values = value if isinstance(value, (tuple, list)) else (value,) * dims
    if len(values) != dims:
        raise SlidingWindowError(f"{where}: {name} must be an int or a tuple of {dims} ints, got {value!r}")
    try:
        return tuple(checked_number(v, where, name, low=low, integer=True) for v in values)
    except ValueError as error:  # (PyTorch's words for a stride, which its tests match)
        why = " (stride must be greater than zero: non-positive stride is not supported)" if name == "stride" else ""
        raise SlidingWindowError(f"{error}{why}") from None


def _listed_shape(shape):
    """A shape as PyTorch's messages write it: [2, 3, 5, 5]."""
    return f"[{', '.join(map(str, shape))}]"


def _checked_rank(x, dims, where):
    """x's rank: dims + 2 (batched) or dims + 1 (unbatched), else an error naming the layouts."""
    if x.ndim not in (dims + 1, dims + 2):
        raise SlidingWindowError(f"{where}: Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to "
                                 f"{where}, but got input of size: {_listed_shape(x.shape)} (the layout is "
                                 f"{_LAYOUTS[dims][0]} or without N)")


def _same_padding(kernel, dilation):
    """PyTorch's padding='same': dilation * (k - 1) in all, the odd one on the right."""
    return tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation))


def conv_padding(padding, kernel, stride, dilation, where):
    """padding (an int, a tuple, 'valid' or 'same') as one (before, after) pair per spatial axis."""
    dims = len(kernel)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * dims
        if padding == "same":
            if any(s != 1 for s in stride):
                raise SlidingWindowError(f"{where}: padding='same' is not supported for strided convolutions (stride "
                                         f"{stride}); give stride=1 or an explicit padding")
            return _same_padding(kernel, dilation)
        raise SlidingWindowError(f"{where}: Invalid padding string {padding!r}: padding must be an int, a tuple of "
                                 f"{dims} ints, 'valid' or 'same'")
    return tuple((p, p) for p in _per_axis(padding, dims, where, "padding", low=0))


def _padded(x, pads, value=0):
    """x padded by pads (one (before, after) pair per trailing axis); x itself when there is nothing to pad."""
    if not any(before or after for before, after in pads):
        return x
    return ag.pad(x, ((0, 0),) * (x.ndim - len(pads)) + tuple(pads), constant_values=value)


def _check_spatial(x, dims, where, shape):
    """An error, as PyTorch's, for an input (given as of shape) with an empty spatial axis unless its batch or channel
    axis is empty too (so is the result then): padded, it would give a result from no input (a bias, -inf, 0)."""
    if 0 in x.shape[-dims:] and 0 not in x.shape[:-dims]:
        raise SlidingWindowError(f"{where}: the input (shape {shape}) has an empty spatial axis; each spatial size "
                                 "must be at least 1 (only the batch or channel axis may be empty)")


def _check_fits(shape, pads, kernel, dilation, where):
    """An error like PyTorch's when the padded input is smaller than the dilated kernel along an axis."""
    padded = tuple(n + before + after for n, (before, after) in zip(shape, pads))
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(span > n for span, n in zip(spans, padded)):
        raise SlidingWindowError(f"{where}: Calculated padded input size per channel: "
                                 f"({' x '.join(map(str, padded))}). Kernel size: ({' x '.join(map(str, spans))}). "
                                 f"Kernel size can't be greater than actual input size (the kernel {kernel} with "
                                 f"dilation {dilation}); give a larger input, or pad it")


def conv_operands(input, weight, groups, dims, where, channels="out_channels, in_channels / groups"):
    """(x, weight, unbatched, groups) of a convolution or transposed convolution (dims 1, 2, 3): the input of the
    right rank, batched (unbatched says whether it was), the weight of rank dims + 2 (its axes `channels`, then the
    kernel's), groups an int >= 1."""
    x, weight = F._as_input(input, where), F._as_input(weight, where)
    _checked_rank(x, dims, where)
    if weight.ndim != dims + 2:
        raise SlidingWindowError(f"{where}: expected a {dims + 2}-D weight ({channels}, {_LAYOUTS[dims][1]}), got "
                                 f"shape {weight.shape}")
    unbatched = x.ndim == dims + 1
    if unbatched:
        x = x.reshape(1, *x.shape)
    return x, weight, unbatched, checked_number(groups, where, "groups", low=1, integer=True, error=SlidingWindowError,
                                                what="a positive int (non-positive groups is not supported)")


def convolution(input, weight, bias, stride, padding, dilation, groups, dims, where):
    """conv1d, conv2d and conv3d (dims 1, 2, 3): the windows of the padded input contracted with the weight."""
    x, weight, unbatched, groups = conv_operands(input, weight, groups, dims, where)
    out_channels, group_channels, kernel = weight.shape[0], weight.shape[1], weight.shape[2:]
    if 0 in kernel:
        raise SlidingWindowError(f"{where}: the weight's kernel (shape {weight.shape}) is empty; each kernel size must "
                                 "be at least 1")
    if out_channels % groups:
        raise SlidingWindowError(f"{where}: the weight's {out_channels} output channels (shape {weight.shape}) do not "
                                 f"divide into groups={groups}")
    if x.shape[1] != group_channels * groups:
        per_group = f" ({group_channels} per group)" if groups > 1 else ""
        raise SlidingWindowError(f"{where}: Given groups={groups}, weight of size {_listed_shape(weight.shape)}, "
                                 f"expected input{_listed_shape(x.shape)} to have {group_channels * groups} "
                                 f"channels{per_group}, but got {x.shape[1]} channels instead (the input's shape is "
                                 f"{x.shape if not unbatched else x.shape[1:]})")
    _check_spatial(x, dims, where, x.shape[1:] if unbatched else x.shape)
    stride = _per_axis(stride, dims, where, "stride")
    dilation = _per_axis(dilation, dims, where, "dilation")
    pads = conv_padding(padding, kernel, stride, dilation, where)
    _check_fits(x.shape[2:], pads, kernel, dilation, where)
    windows = ag.sliding_windows(_padded(x, pads), kernel, stride, dilation)  # (N, C, *out, *kernel)
    out, k = _OUT[:dims], _KERNEL[:dims]
    if groups == 1:
        # the product comes out (N, *out, C_out) in memory: copied to C order, as PyTorch's result is laid out, so
        # that the usual x.view(N, -1) after a convolution works
        y = ag.einsum(f"nc{out}{k},fc{k}->nf{out}", windows, weight).contiguous()
    else:  # the channels split into groups, each convolved with its own slice of the weight
        n, counts = windows.shape[0], windows.shape[2:2 + dims]
        windows = windows.reshape(n, groups, group_channels, *windows.shape[2:])
        weight = weight.reshape(groups, out_channels // groups, group_channels, *kernel)
        y = ag.einsum(f"ngc{out}{k},gfc{k}->ngf{out}", windows, weight).reshape(n, out_channels, *counts)
    return biased(y, bias, unbatched, where)


def biased(y, bias, unbatched, where, detail=""):
    """A convolution's batched result y (N, C_out, *sizes) plus bias (C_out,) or None, unbatched again if the input
    was; detail, said of C_out in the error for a bias of another shape."""
    out_channels, dims = y.shape[1], y.ndim - 2
    if bias is not None:
        bias = F._as_input(bias, where)
        if bias.shape != (out_channels,):
            raise SlidingWindowError(f"{where}: expected a bias of shape ({out_channels},), one per output "
                                     f"channel{detail}, got {bias.shape}")
        y = y + bias.reshape(out_channels, *(1,) * dims)
    return y.reshape(y.shape[1:]) if unbatched else y


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """A 1-D convolution (a cross-correlation, as PyTorch's): input (N, C_in, L) or (C_in, L), weight
    (C_out, C_in / groups, k), bias (C_out,) or None; stride, padding (an int, 'valid' or 'same') and dilation as
    torch.nn.functional.conv1d. Output length (L + 2 padding - dilation (k - 1) - 1) // stride + 1.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.conv1d(ag.tensor([[[1.0, 2.0, 3.0, 4.0]]]), ag.tensor([[[1.0, -1.0]]]))
    Tensor([[[-1., -1., -1.]]])
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """A 2-D convolution (a cross-correlation, as PyTorch's): input (N, C_in, H, W) or (C_in, H, W), weight
    (C_out, C_in / groups, kH, kW), bias (C_out,) or None; stride, padding (an int, a pair, 'valid' or 'same') and
    dilation (an int or a pair) as torch.nn.functional.conv2d; groups splits the channels into that many
    independent convolutions.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> x = ag.tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    >>> y = F.conv2d(x, ag.ones((2, 1, 3, 3)), padding=1)
    >>> y.shape, y.data[0, 0, 0].tolist()
    ((1, 2, 4, 4), [10.0, 18.0, 24.0, 18.0])
    >>> y.sum().backward(); x.grad.data[0, 0, 0].tolist()  # 2 channels times the 4 or 6 windows each entry is in
    [8.0, 12.0, 12.0, 8.0]
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """A 3-D convolution (a cross-correlation, as PyTorch's): input (N, C_in, D, H, W) or (C_in, D, H, W), weight
    (C_out, C_in / groups, kD, kH, kW), bias (C_out,) or None; stride, padding (an int, a triple, 'valid' or
    'same') and dilation (an int or a triple) as torch.nn.functional.conv3d; groups splits the channels into that
    many independent convolutions.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> x = ag.tensor(np.ones((1, 1, 3, 4, 4)), requires_grad=True)
    >>> y = F.conv3d(x, ag.ones((2, 1, 2, 3, 3)), padding=(0, 1, 1))
    >>> y.shape, y.data[0, 0, 0, 0].tolist()  # a corner window holds 2 x 2 x 2 input entries, an edge one 2 x 2 x 3
    ((1, 2, 2, 4, 4), [8.0, 12.0, 12.0, 8.0])
    >>> y.sum().backward(); x.grad.data[0, 0, :, 0, 0].tolist()  # a corner entry: in 1 or 2 depths of 4 windows, x 2
    [8.0, 16.0, 8.0]
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def pool_settings(kernel_size, stride, padding, dilation, dims, where):
    """(kernel, stride, padding, dilation) as tuples of dims ints; stride None (or empty, as PyTorch's default
    []) is the kernel size, and the padding at most half the kernel, as PyTorch requires."""
    kernel = _per_axis(kernel_size, dims, where, "kernel_size")
    empty = isinstance(stride, (tuple, list)) and not stride  # (an array is no default: == [] would compare it)
    stride = kernel if stride is None or empty else _per_axis(stride, dims, where, "stride")
    padding = _per_axis(padding, dims, where, "padding", low=0)
    dilation = _per_axis(dilation, dims, where, "dilation")
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise SlidingWindowError(f"{where}: padding {padding} must be at most half the kernel size {kernel}, as "
                                 "PyTorch requires")
    return kernel, stride, padding, dilation


def _pool_pads(shape, kernel, stride, padding, dilation, ceil_mode, where):
    """One (before, after) pair per spatial axis: the padding, and with ceil_mode what more on the right makes room
    for a last partial window (PyTorch's rule: one that starts in the input or its left padding)."""
    pads = []
    for n, k, s, p, d in zip(shape, kernel, stride, padding, dilation):
        span = d * (k - 1) + 1
        room = n + 2 * p - span
        count = (-(-room // s) if ceil_mode else room // s) + 1
        if ceil_mode and (count - 1) * s >= n + p:
            count -= 1
        if count < 1:
            raise SlidingWindowError(f"{where}: the input's spatial size {tuple(shape)} with padding {padding} is "
                                     f"smaller than the kernel {kernel} with dilation {dilation}; give a larger input, "
                                     "or pad it")
        pads.append((p, p + max(0, (count - 1) * s + span - (n + 2 * p))))
    return tuple(pads)


def _stacked_windows(x, kernel, stride, dilation):
    """The windows of x with the offsets in the window first, one axis of prod(kernel) entries: a pooling reduces
    over it, which NumPy does several times faster over a leading axis of a contiguous array (whole arrays added or
    compared) than over small trailing ones (a loop per window). The reshape copies the strided view in that order."""
    windows = ag.sliding_windows(x, kernel, stride, dilation)  # (..., *counts, *kernel)
    dims = len(kernel)
    lead = windows.ndim - dims
    stacked = ag.transpose(windows, tuple(range(lead, windows.ndim)) + tuple(range(lead)))
    return stacked.reshape(math.prod(kernel), *stacked.shape[dims:])


def _pool_input(input, dims, where):
    x = F._as_input(input, where)
    if x.ndim not in (dims + 1, dims + 2):
        layout = f"{_LAYOUTS[dims][0]} or (C, {_LAYOUTS[dims][0][7:]}"
        raise SlidingWindowError(f"{where}: expected a {dims + 1}-D or {dims + 2}-D input, {layout}, got shape "
                                 f"{x.shape}")
    return x


def max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, dims, where):
    """max_pool1d, max_pool2d and max_pool3d: the max of each window of the input padded with -inf; with
    return_indices, also where each max is (_max_indices)."""
    return_indices = as_flag(return_indices, where, "return_indices")
    x = _pool_input(input, dims, where)
    _check_spatial(x, dims, where, x.shape)
    kernel, stride, padding, dilation = pool_settings(kernel_size, stride, padding, dilation, dims, where)
    pads = _pool_pads(x.shape[-dims:], kernel, stride, padding, dilation, as_flag(ceil_mode, where, "ceil_mode"),
                      where)
    if x.dtype.kind == "f":
        lowest = -np.inf
    elif x.dtype.kind in "iu":
        lowest = np.iinfo(x.dtype).min
    else:
        raise TypeError(f"{where}: expected an input of a float or integer dtype, got {x.dtype} (shape {x.shape})")
    stacked = _stacked_windows(_padded(x, pads, lowest), kernel, stride, dilation)
    mask = _first_maxima(stacked.data)
    if any(before for before, _ in pads) and x.dtype.kind == "f":
        mask = _past_the_padding(mask, stacked.data, x.shape[-dims:], pads, kernel, stride, dilation)
    out = ag.where(mask, stacked, 0).sum(axis=0)
    out = out if out.dtype == x.dtype else out.astype(x.dtype)  # NumPy's sum widens small ints (uint8 to uint64)
    if not return_indices:
        return out
    return out, _max_indices(mask, stacked.data, lowest, x.shape[-dims:], pads, kernel, stride, dilation)


def _max_indices(mask, values, lowest, shape, pads, kernel, stride, dilation):
    """The flat index, in its (N, C) plane of the unpadded input (of spatial shape `shape`), of the entry each window
    of values (its offsets on axis 0, as _stacked_windows gives) takes as its max: mask's, except where no entry
    beats `lowest` (the padding's value), where PyTorch's loop keeps its starting index: along each axis the window's
    first position in or past the input's start, even if that lies past the input's end (a dilated window wholly in
    the padding, whose index then names an entry outside the window or the plane). An int64 Tensor, no gradient."""
    dims = len(shape)
    counts = values.shape[-dims:]
    offsets = np.unravel_index(np.argmax(mask, axis=0), kernel)  # the chosen entry's offset in its window
    chosen = start = 0
    for axis, (n, (before, _), s, d, c, offset) in enumerate(zip(shape, pads, stride, dilation, counts, offsets)):
        begin = (np.arange(c) * s - before).reshape((c,) + (1,) * (dims - 1 - axis))
        chosen = chosen * n + begin + offset * d
        start = start * n + np.where(begin < 0, begin % d, begin)  # the window's first position >= 0
    return ag.tensor(np.where(np.max(values, axis=0) == lowest, start, chosen).astype(np.int64))


def _first_maxima(values):
    """Where in each window (axis 0 of values) PyTorch's max pooling takes its maximum, and so sends its gradient, as
    a mask: its loop over the window keeps a value greater than the maximum so far, or NaN, so it finds the first
    maximum, or the last NaN."""
    best = np.max(values, axis=0)  # (NaN where a window holds one)
    mask = _first_true(values == best)
    if values.dtype.kind == "f":
        nan_windows = np.isnan(best)
        if nan_windows.any():
            mask = np.where(nan_windows, _first_true(np.isnan(values)[::-1])[::-1], mask)
    return mask


def _past_the_padding(mask, values, shape, pads, kernel, stride, dilation):
    """mask with a window whose input entries are all -inf sending its gradient to the first of them, not to the
    -inf of the padding before it: PyTorch's loop starts at the window's first entry in the input. (A window wholly
    in the padding keeps its first entry.)"""
    all_low = np.max(values, axis=0) == -np.inf
    if not all_low.any():
        return mask
    inside = np.zeros(tuple(n + before + after for n, (before, after) in zip(shape, pads)), dtype=bool)
    inside[tuple(slice(before, before + n) for n, (before, _) in zip(shape, pads))] = True
    inside = _stacked_windows(ag.tensor(inside), kernel, stride, dilation).data  # (prod(kernel), *counts)
    inside = inside.reshape(inside.shape[:1] + (1,) * (values.ndim - inside.ndim) + inside.shape[1:])
    return np.where(all_low & inside.any(axis=0), _first_true(np.broadcast_to(inside, values.shape)), mask)


def _first_true(hits):
    """hits with only the first True along axis 0 kept: a loop over the window's offsets (a few), on whole arrays."""
    first, seen = hits.copy(), hits[0].copy()
    for k in range(1, len(hits)):
        np.logical_and(hits[k], ~seen, out=first[k])
        seen |= hits[k]
    return first


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each window of kernel_size entries along the last axis, of an input (N, C, L) or (C, L), as
    torch.nn.functional.max_pool1d: stride (default kernel_size), padding (-inf, at most half the kernel),
    dilation, ceil_mode (a last partial window). At a tie in a window the gradient goes to its first maximum, as in
    PyTorch. return_indices=True: also the index of each maximum along the input's last axis (an int64 Tensor, for
    max_unpool1d).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.max_pool1d(ag.tensor([[1.0, 3.0, 2.0, 5.0, 4.0]]), 2)
    Tensor([[3., 5.]])
    >>> F.max_pool1d(ag.tensor([[1.0, 3.0, 2.0, 5.0, 4.0]]), 2, ceil_mode=True, return_indices=True)
    (Tensor([[3., 5., 4.]]), Tensor([[1, 3, 4]]))
    """
    return max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, "max_pool1d")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each kH x kW window of an input (N, C, H, W) or (C, H, W), as
    torch.nn.functional.max_pool2d (kernel_size, stride, padding, dilation an int or a pair; stride by default
    kernel_size). At a tie in a window the gradient goes to its first maximum (row-major), as in PyTorch.
    return_indices=True: also the flat index of each maximum in its H x W plane (an int64 Tensor, for max_unpool2d).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.max_pool2d(ag.tensor(np.arange(16.0).reshape(1, 4, 4)), 2)
    Tensor([[[ 5.,  7.],
             [13., 15.]]])
    >>> F.max_pool2d(ag.tensor(np.arange(16.0).reshape(1, 4, 4)), 2, return_indices=True)[1].tolist()
    [[[5, 7], [13, 15]]]
    """
    return max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d")


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each kD x kH x kW window of an input (N, C, D, H, W) or (C, D, H, W), as
    torch.nn.functional.max_pool3d (kernel_size, stride, padding, dilation an int or a triple; stride by default
    kernel_size). At a tie in a window the gradient goes to its first maximum (row-major), as in PyTorch.
    return_indices=True: also the flat index of each maximum in its D x H x W volume (an int64 Tensor, for
    max_unpool3d).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> out, indices = F.max_pool3d(ag.tensor(np.arange(27.0).reshape(1, 3, 3, 3)), 2, return_indices=True)
    >>> out.tolist(), indices.tolist()
    ([[[[13.0]]]], [[[[13]]]])
    """
    return max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3, "max_pool3d")


def checked_divisor(divisor_override, owner):
    """avg_pool's divisor_override as an int: any but 0, as PyTorch's (a negative one negates the averages)."""
    divisor = checked_number(divisor_override, owner, "divisor_override", integer=True, what="an int other than 0")
    if divisor == 0:
        raise SlidingWindowError(f"{owner}: divisor_override must be an int other than 0 (each window's sum is "
                                 f"divided by it), got 0")
    return divisor


def avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, dims, where):
    """avg_pool1d, avg_pool2d and avg_pool3d: the sum of each window of the zero-padded input over its count."""
    x = _pool_input(input, dims, where)
    if x.dtype.kind != "f":
        raise TypeError(f"{where}: expected a float input, got {x.dtype} (shape {x.shape}); cast it with "
                        f".astype(np.float32)")
    if x.dtype == np.float16:  # in float32, rounded once, as PyTorch's float16 kernels (a float16 sum of a window
        # drifts by several ulps)
        return avg_pool(x.astype(np.float32), kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override, dims, where).astype(np.float16)
    _check_spatial(x, dims, where, x.shape)
    kernel, stride, padding, dilation = pool_settings(kernel_size, stride, padding, 1, dims, where)
    count_include_pad = as_flag(count_include_pad, where, "count_include_pad")  # checked even where it has no use
    shape = x.shape[-dims:]
    pads = _pool_pads(shape, kernel, stride, padding, dilation, as_flag(ceil_mode, where, "ceil_mode"), where)
    total = _stacked_windows(_padded(x, pads), kernel, stride, dilation).sum(axis=0)
    if divisor_override is not None:
        return total / checked_divisor(divisor_override, where)
    # The count of each window: the entries of the input and, with count_include_pad, of its padding (not of the
    # room ceil_mode adds), as PyTorch's; a constant, counted by the same windows over a mask of ones.
    if all(after == p for (_, after), p in zip(pads, padding)) and (count_include_pad or not any(padding)):
        return total / math.prod(kernel)
    counted = np.zeros(tuple(n + before + after for n, (before, after) in zip(shape, pads)), dtype=x.dtype)
    if count_include_pad:
        counted[tuple(slice(0, n + 2 * p) for n, p in zip(shape, padding))] = 1
    else:
        counted[tuple(slice(p, p + n) for n, p in zip(shape, padding))] = 1
    return total / ag.sliding_windows(counted, kernel, stride).data.sum(axis=tuple(range(-dims, 0)))


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """The mean of each window of kernel_size entries along the last axis, of an input (N, C, L) or (C, L), as
    torch.nn.functional.avg_pool1d: stride (default kernel_size), padding (zeros, at most half the kernel, counted
    in the mean unless count_include_pad=False), ceil_mode (a last partial window, averaged over the entries it
    covers in the padded input).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.avg_pool1d(ag.tensor([[1.0, 3.0, 2.0, 6.0]]), 2)
    Tensor([[2., 4.]])
    """
    return avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d")


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each kH x kW window of an input (N, C, H, W) or (C, H, W), as torch.nn.functional.avg_pool2d
    (kernel_size, stride, padding an int or a pair; stride by default kernel_size; padding zeros, counted in the
    mean unless count_include_pad=False); divisor_override: divide each window's sum by it instead.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.avg_pool2d(ag.tensor(np.arange(16.0).reshape(1, 4, 4)), 2)
    Tensor([[[ 2.5,  4.5],
             [10.5, 12.5]]])
    """
    return avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2,
                    "avg_pool2d")


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each kD x kH x kW window of an input (N, C, D, H, W) or (C, D, H, W), as
    torch.nn.functional.avg_pool3d (kernel_size, stride, padding an int or a triple; stride by default kernel_size;
    padding zeros, counted in the mean unless count_include_pad=False); divisor_override: divide each window's sum
    by it instead.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> F.avg_pool3d(ag.tensor(np.arange(8.0).reshape(1, 2, 2, 2)), 2).tolist()
    [[[[3.5]]]]
    """
    x = _pool_input(input, 3, "avg_pool3d")
    kernel = _per_axis(kernel_size, 3, "avg_pool3d", "kernel_size")
    if any(n < k for n, k in zip(x.shape[-3:], kernel)):  # (PyTorch's avg_pool3d alone asks it, padding or not)
        raise SlidingWindowError(f"avg_pool3d: the input's spatial size {x.shape[-3:]} is smaller than the kernel "
                                 f"{kernel} along an axis; PyTorch's avg_pool3d requires each size to be at least the "
                                 "kernel's, even with padding")
    return avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 3,
                    "avg_pool3d")
