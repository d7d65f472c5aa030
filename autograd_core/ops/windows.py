"""Sliding windows: sliding_windows, the windows of a Tensor over its trailing axes (im2col, PyTorch's unfold), and
its adjoint fold_windows, which adds each window back in its place (col2im, PyTorch's fold).

The two are a pair of primitives whose gradient rules are each other: the gradient of taking windows adds the
windows' gradients back where they were read (overlapping windows accumulate), and the gradient of adding them back
reads the windows of g again. Both rules are the other primitive, traced, so second and higher derivatives hold by
construction. Convolution and pooling (nn.functional's conv2d, max_pool2d...) are built on them.
"""
import itertools
import operator

import numpy as np

from .._arguments import as_indices, is_int
from ..primitive import Primitive, ViewPrimitive, as_operand


def _out_sizes(sizes, window_shape, stride, dilation):
    """The number of windows along each axis: (n - dilation * (w - 1) - 1) // stride + 1."""
    return tuple((n - d * (w - 1) - 1) // s + 1 for n, w, s, d in zip(sizes, window_shape, stride, dilation))


def _windows(x, window_shape, stride, dilation):
    """x's windows as a read-only strided view: x.shape[:-k] + (windows along each axis) + window_shape."""
    k = len(window_shape)
    x = np.asarray(x)
    counts = _out_sizes(x.shape[-k:], window_shape, stride, dilation)
    steps = x.strides[-k:]
    strides = (x.strides[:-k] + tuple(t * s for t, s in zip(steps, stride))
               + tuple(t * d for t, d in zip(steps, dilation)))
    return np.lib.stride_tricks.as_strided(x, x.shape[:-k] + counts + tuple(window_shape), strides, writeable=False)


def _fold(windows, shape, stride, dilation):
    """The adjoint of _windows: zeros of shape, each window added back where it was read. One strided slice per
    offset in the window (prod(window_shape) additions, each over every window at once), not one per window."""
    k = len(stride)
    window_shape = windows.shape[-k:]
    counts = windows.shape[-2 * k:-k]
    out = np.zeros(shape, dtype=np.result_type(windows))
    lead = (slice(None),) * (len(shape) - k)
    for offset in itertools.product(*(range(w) for w in window_shape)):
        target = tuple(slice(o * d, o * d + s * (c - 1) + 1, s) for o, d, s, c in zip(offset, dilation, stride, counts))
        out[lead + target] += windows[(Ellipsis,) + offset]
    return out


# Each rule is the other primitive, traced: taking windows and adding them back are adjoint linear maps.
_sliding_windows = ViewPrimitive(
    "sliding_windows", _windows,
    (lambda g, ans, x, window_shape, stride, dilation: _fold_windows.traced(g, shape=x.shape, stride=stride,
                                                                            dilation=dilation),))
_fold_windows = Primitive(
    "fold_windows", _fold,
    (lambda g, ans, windows, shape, stride, dilation: _sliding_windows.traced(
        g, window_shape=windows.shape[-len(stride):], stride=stride, dilation=dilation),),
    reads_values=False)  # its rule reads shapes only


def _per_axis(name, what, value, k):
    """value (an int or one int per axis) as a tuple of k ints >= 1."""
    values = as_indices((value,) * k if is_int(value) else value)
    if values is None or len(values) != k:
        raise TypeError(f"{name}: {what} must be an int or a tuple of {k} ints (one per windowed axis), "
                        f"got {value!r}")
    if any(v < 1 for v in values):
        raise ValueError(f"{name}: {what} must be at least 1 along every axis, got {value!r}")
    return values


def _window_settings(name, window_shape, stride, dilation):
    if isinstance(window_shape, (int, np.integer)) and not isinstance(window_shape, (bool, np.bool_)):
        window_shape = (window_shape,)
    try:
        k = len(window_shape)
    except TypeError:
        raise TypeError(f"{name}: window_shape must be an int or a tuple of ints, got {window_shape!r}") from None
    if k == 0:
        raise ValueError(f"{name}: window_shape is empty; give the window's size along at least one axis")
    return (_per_axis(name, "window_shape", window_shape, k), _per_axis(name, "stride", stride, k),
            _per_axis(name, "dilation", dilation, k))


def sliding_windows(x, window_shape, stride=1, dilation=1):
    """The windows of x over its last len(window_shape) axes, as np.lib.stride_tricks.sliding_window_view over
    those axes, with a stride (the step from one window to the next) and a dilation (the step between the entries of
    one window), each an int or one per axis: of shape x.shape[:-k] + (windows along each axis) + window_shape, there
    being (n - dilation * (w - 1) - 1) // stride + 1 windows along an axis of n entries. A read-only view of x (no
    copy); the gradient adds each window's back in its place (fold_windows), overlapping windows accumulating.

    >>> import autograd_core as ag
    >>> x = ag.arange(5.0, requires_grad=True)
    >>> ag.sliding_windows(x, 3)
    Tensor([[0., 1., 2.],
            [1., 2., 3.],
            [2., 3., 4.]], op=sliding_windows)
    >>> ag.sliding_windows(x, 2, stride=2, dilation=2).tolist()
    [[0.0, 2.0], [2.0, 4.0]]
    >>> ag.sliding_windows(x, 3).sum().backward(); x.grad
    Tensor([1., 2., 3., 2., 1.])
    """
    window_shape, stride, dilation = _window_settings("sliding_windows", window_shape, stride, dilation)
    x = as_operand(x, "sliding_windows")
    k = len(window_shape)
    if x.ndim < k:
        raise ValueError(f"sliding_windows: a window over {k} axes needs an input of at least {k} dimensions, got "
                         f"shape {x.shape}")
    spans = tuple(d * (w - 1) + 1 for w, d in zip(window_shape, dilation))
    if any(span > n for span, n in zip(spans, x.shape[-k:])):
        raise ValueError(f"sliding_windows: the window {window_shape} with dilation {dilation} spans {spans}, more "
                         f"than the last {k} axes of the input (shape {x.shape}) hold; each span, "
                         f"dilation * (size - 1) + 1, must be at most the axis's length")
    return _sliding_windows(x, window_shape=window_shape, stride=stride, dilation=dilation)


def fold_windows(windows, shape, stride=1, dilation=1):
    """The adjoint of sliding_windows: zeros of shape, each window of `windows` (as sliding_windows(x, window_shape,
    stride, dilation) lays them out for an x of that shape) added back where it was read, overlapping windows
    accumulating (PyTorch's fold, col2im). The window covers shape's last k axes, k = windows.ndim - len(shape). Its
    gradient is sliding_windows of g.

    >>> import autograd_core as ag
    >>> ag.fold_windows(ag.ones((3, 3)), (5,))
    Tensor([1., 2., 3., 2., 1.])
    """
    windows = as_operand(windows, "fold_windows")
    try:
        shape = tuple(operator.index(n) for n in shape)
    except TypeError:
        raise TypeError(f"fold_windows: shape must be a tuple of ints, got {shape!r}") from None
    k = windows.ndim - len(shape)
    if k < 1 or k > len(shape):
        raise ValueError(f"fold_windows: windows of shape {windows.shape} do not fit shape {shape}: they need "
                         f"shape's dimensions plus k more (the window), 1 <= k <= {len(shape)}")
    window_shape, stride, dilation = _window_settings("fold_windows", windows.shape[-k:], stride, dilation)
    spans = tuple(d * (w - 1) + 1 for w, d in zip(window_shape, dilation))
    expected = shape[:-k] + (_out_sizes(shape[-k:], window_shape, stride, dilation)
                             if all(span <= n for span, n in zip(spans, shape[-k:])) else ()) + window_shape
    if windows.shape != expected:
        raise ValueError(f"fold_windows: windows of shape {windows.shape} are not those of an input of shape {shape} "
                         f"with stride {stride} and dilation {dilation}; sliding_windows would give shape "
                         f"{expected if len(expected) == windows.ndim else 'none (the window does not fit)'}")
    return _fold_windows(windows, shape=shape, stride=stride, dilation=dilation)
