"""Spaced values and filled arrays with NumPy's signatures: linspace and logspace (differentiable in start, stop and
base), full_like and empty_like (and NumPy's zeros_like/ones_like with shape=).

linspace is NumPy's own algorithm (start + arange(num) * step, the last sample set to stop) composed of recorded
operations, so its values are NumPy's to the bit and its gradients flow to start and stop.
"""
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .. import creation
from .._arguments import UNGIVEN, Default, check_device, one_of_two_names
from ..primitive import as_operand
from ..tensor import Tensor, as_value
from .arithmetic import power
from .rearrange import moveaxis
from .shape import _int, broadcast_to, concatenate, expand_dims, reshape


def _count(name, num):
    num = _int(name, "num", num)
    if num < 0:
        raise creation.CreationError(f"{name}: Number of samples, {num}, must be non-negative.")
    return num


def _samples_axis(name, axis, ndim):
    """axis normalized for the result's ndim (the samples' axis and the inputs' broadcast ones), or an AxisError
    naming name."""
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name}: axis must be an int, got {axis!r}") from None
    try:
        return normalize_axis_index(axis, ndim)
    except np.exceptions.AxisError:
        raise np.exceptions.AxisError(f"{name}: axis {axis} is out of range for a result of {ndim} dimension(s) "
                                      f"(the samples' and start's and stop's broadcast ones); valid axes are ints "
                                      f"in [{-ndim}, {ndim})") from None


def linspace(start, stop=UNGIVEN, num=Default(50), endpoint=True, retstep=False, dtype=None, axis=0, *,
             device=None, requires_grad=False, end=None, steps=None):
    """num evenly spaced samples from start to stop (stop left out with endpoint=False), as np.linspace: start and
    stop may be arrays or Tensors (broadcast; the samples lie along axis); retstep=True also returns the step.
    Differentiable in start and stop. torch.linspace(start, end, steps) reads the same by position, PyTorch's
    keywords end= and steps= name stop and num, and requires_grad=True makes the samples a leaf, as torch's (start
    and stop then must not require grad).

    >>> import autograd_core as ag
    >>> ag.linspace(0.0, 1.0, 5)
    Tensor([0.  , 0.25, 0.5 , 0.75, 1.  ])
    >>> ag.linspace(-1.0, 1.0, 3, requires_grad=True)
    Tensor([-1.,  0.,  1.], requires_grad=True)
    >>> ag.linspace(0, 1, steps=3)
    Tensor([0. , 0.5, 1. ])
    """
    check_device(device, "linspace")
    stop, num = _torch_end_and_steps("linspace", stop, end, num, steps)
    result = _linspace("linspace", start, stop, num, endpoint, retstep, dtype, axis)
    if not requires_grad:
        return result
    samples, step = result if retstep else (result, None)
    samples = _leaf("linspace", samples, "start or stop")
    return (samples, step) if retstep else samples


def _leaf(name, samples, inputs):
    """torch's requires_grad=True of linspace and logspace: the samples as a leaf requiring grad, refused where they
    were computed from inputs that require grad."""
    if samples.requires_grad:
        raise ValueError(f"{name}: requires_grad=True asks for a leaf, but {inputs} requires grad, so the samples are "
                         f"computed from them; leave requires_grad out")
    return Tensor(samples.data, requires_grad=True)  # (refuses an integer dtype, as creation helpers do)


def _torch_end_and_steps(name, stop, end, num, steps):
    """stop and num, given as NumPy's or as PyTorch's end= and steps= (torch.linspace(0, 1, steps=5))."""
    return one_of_two_names(name, "stop", stop, "end", end, UNGIVEN), one_of_two_names(name, "num", num, "steps",
                                                                                        steps, UNGIVEN)


def _linspace(name, start, stop, num, endpoint, retstep, dtype, axis):
    """linspace, its errors naming name (logspace's too)."""
    num = _count(name, num)
    div = (num - 1) if endpoint else num
    # NumPy's dtype: a Python number is weak (a float32 start with stop=1.5 stays float32)
    result_dtype = np.result_type(*(t if type(t) in (int, float) else np.asarray(as_value(t)).dtype
                                    for t in (start, stop)), float(num))
    start, stop = as_operand(start, name), as_operand(stop, name)
    if result_dtype.kind != "f":
        raise TypeError(f"{name} on Tensors: start and stop must be real numbers, got {start.dtype} and "
                        f"{stop.dtype}")
    try:
        np.broadcast_shapes(start.shape, stop.shape)
    except ValueError:
        raise ValueError(f"{name}: start and stop must broadcast together, got shapes {start.shape} and "
                         f"{stop.shape}") from None
    start, stop = (t if t.dtype == result_dtype else t.astype(result_dtype) for t in (start, stop))
    delta = stop - start
    steps = Tensor._constant(np.arange(0, num, dtype=result_dtype).reshape((-1,) + (1,) * delta.ndim))
    if div > 0:
        step = delta / div
        if np.any(step.data == 0):  # NumPy's branch for a zero step (underflow): scale, then multiply
            y = steps / div * delta
        else:
            y = steps * step
    else:
        step = Tensor._constant(np.asarray(np.nan))  # (NumPy's: the float nan, undefined for 0 or 1 sample)
        y = steps * delta
    y = y + start
    if endpoint and num > 1:
        last = stop if stop.shape == y.shape[1:] else broadcast_to(stop, y.shape[1:])  # (no + 0: a -0.0 stays)
        y = concatenate([y[:-1], expand_dims(last, 0)], axis=0)
    if axis != 0:
        y = moveaxis(y, 0, _samples_axis(name, axis, y.ndim))
    if dtype is not None and np.dtype(dtype) != y.dtype:
        dtype = np.dtype(dtype)
        if dtype.kind in "iu":  # NumPy floors before the cast to an integer dtype: a constant
            y = Tensor._constant(np.floor(y.data).astype(dtype))
        else:
            y = y.astype(dtype)
    return (y, step) if retstep else y


def logspace(start, stop=UNGIVEN, num=Default(50), endpoint=True, base=10.0, dtype=None, axis=0, *, end=None,
             steps=None, device=None, requires_grad=False):
    """base ** linspace(start, stop, num, endpoint), as np.logspace: num samples spaced evenly on a log scale.
    Differentiable in start, stop and base. PyTorch's keywords end= and steps= name stop and num, and device= and
    requires_grad=True are taken as linspace takes them. endpoint must be a bool: torch.logspace's fourth argument is
    the base, so logspace(0, 2, 3, 2) is refused (write base=2).

    >>> import autograd_core as ag
    >>> ag.logspace(0.0, 2.0, 3), ag.logspace(0, 2, 3, base=2)
    (Tensor([  1.,  10., 100.]), Tensor([1., 2., 4.]))
    >>> ag.logspace(0, 1, steps=2, device="cpu", requires_grad=True)
    Tensor([ 1., 10.], requires_grad=True)
    """
    check_device(device, "logspace")
    if not isinstance(endpoint, (bool, np.bool_)):  # (NumPy reads 2 as True and the base stays 10, silently)
        raise TypeError(f"logspace: endpoint must be True or False, got {endpoint!r}; torch.logspace(start, end, "
                        f"steps, {endpoint!r}) gives the base by position: write logspace(start, end, steps, "
                        f"base={endpoint!r})")
    stop, num = _torch_end_and_steps("logspace", stop, end, num, steps)
    if not isinstance(base, (float, int)):
        as_operand(base, "logspace")  # (a base of another kind raises here, naming logspace)
    if not isinstance(base, (float, int)) and np.ndim(as_value(base)):  # NumPy's: all three broadcast first
        start, stop, base = (as_operand(t, "logspace") for t in (start, stop, base))
        try:
            ndmax = len(np.broadcast_shapes(start.shape, stop.shape, base.shape))
        except ValueError:
            raise ValueError(f"logspace: start, stop and base must broadcast together, got shapes {start.shape}, "
                             f"{stop.shape} and {base.shape}") from None
        start, stop, base = (reshape(t, (1,) * (ndmax - t.ndim) + t.shape) for t in (start, stop, base))
        base = expand_dims(base, _samples_axis("logspace", axis, ndmax + 1))
    y = _linspace("logspace", start, stop, num, endpoint, False, None, axis)
    out = power(base, y)
    if dtype is not None and np.dtype(dtype) != out.dtype:
        dtype = np.dtype(dtype)
        out = Tensor._constant(out.data.astype(dtype)) if dtype.kind in "iu" else out.astype(dtype)
    return _leaf("logspace", out, "start, stop or base") if requires_grad else out


def _like_arguments(name, order, device):
    """NumPy's checks of the *_like functions' order and device (a Tensor's memory layout is NumPy's choice here, so
    a valid order changes nothing)."""
    if order is not None and not isinstance(order, str):
        raise TypeError(f"{name}: order must be a str ('C', 'F', 'A' or 'K'), got {order!r}")
    if order is not None and order.upper() not in ("C", "F", "A", "K"):
        raise ValueError(f"{name}: order must be one of 'C', 'F', 'A' or 'K', got {order!r}")
    check_device(device, name)


def _like_shape(x, shape):
    if shape is None:
        return np.shape(as_value(x))
    return (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)


def full_like(x, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None, requires_grad=False):
    """An array of x's shape (or shape) and dtype (or dtype) filled with fill_value, as np.full_like. A constant,
    unless fill_value is a Tensor that requires grad, which stays in the graph as in ag.full.

    >>> import autograd_core as ag
    >>> ag.full_like(ag.tensor([1, 2]), 7.5)
    Tensor([7, 7])
    """
    _like_arguments("full_like", order, device)
    dtype = np.asarray(as_value(x)).dtype if dtype is None else np.dtype(dtype)
    return creation.full(_like_shape(x, shape), fill_value, dtype=dtype, requires_grad=requires_grad)


def empty_like(x, dtype=None, order="K", subok=True, shape=None, *, device=None, requires_grad=False):
    """An array of x's shape (or shape) and dtype (or dtype), as np.empty_like; here its entries are zeros.

    >>> import autograd_core as ag
    >>> ag.empty_like(ag.tensor([1.0, 2.0])).shape
    (2,)
    """
    _like_arguments("empty_like", order, device)
    dtype = np.asarray(as_value(x)).dtype if dtype is None else np.dtype(dtype)
    return creation.zeros(_like_shape(x, shape), dtype=dtype, requires_grad=requires_grad)


def numpy_full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """np.full_like(t, ...) with NumPy's arguments under NumPy's names (a=): ag.full_like."""
    return full_like(a, fill_value, dtype, order, subok, shape, device=device)


def numpy_zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """np.zeros_like(t, ...) with NumPy's arguments in NumPy's order and under NumPy's names: ag.zeros_like."""
    _like_arguments("zeros_like", order, device)
    return creation.zeros_like(a, dtype, shape=shape)


def numpy_ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """np.ones_like(t, ...) with NumPy's arguments in NumPy's order and under NumPy's names: ag.ones_like."""
    _like_arguments("ones_like", order, device)
    return creation.ones_like(a, dtype, shape=shape)
