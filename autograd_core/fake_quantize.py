"""PyTorch's fake quantisation for quantisation-aware training: torch.fake_quantize_per_tensor_affine and
fake_quantize_per_channel_affine. x is rounded to one of the levels quant_min..quant_max of the grid
(level - zero_point) * scale and returned at its grid value, in x's dtype; the gradient is the straight-through
estimator, the incoming gradient where x's level fell inside [quant_min, quant_max] and 0 where it was clamped.

As PyTorch's CPU kernels, to the last bit: the scale is taken in float32, x is multiplied by the float32 1 / scale
(in float32 for float16/float32 input, in float64 for float64) and rounded half to even; the grid value is formed in
float32 per tensor (so a float64 input gets float32's grid values, as PyTorch's) and in float64 per channel, then
rounded to x's dtype. The scale and zero point are constants (PyTorch's are not differentiable
here either; its _fake_quantize_learnable_* variants are not provided).
"""
import numpy as np

from ._arguments import as_index
from .primitive import Primitive, as_operand
from .tensor import as_value

__all__ = ["fake_quantize_per_tensor_affine", "fake_quantize_per_channel_affine"]


def _levels(x, scale, zero_point):
    """Each entry's level, before clamping: rint(x * (1 / scale)) + zero_point (an integer zero point, added after
    rounding) or rint(x * (1 / scale) + zero_point) (a floating one), as PyTorch's kernels."""
    x = as_value(x)
    work = np.result_type(x.dtype, np.float32)
    inverse = (np.float32(1.0) / scale).astype(work)
    with np.errstate(invalid="ignore", over="ignore"):
        if zero_point.dtype.kind == "f":
            return np.rint(x.astype(work, copy=False) * inverse + zero_point.astype(work))
        return np.rint(x.astype(work, copy=False) * inverse) + zero_point


def _fake_quantize(x, scale, zero_point, quant_min, quant_max, grid_dtype):
    steps = np.clip(_levels(x, scale, zero_point), quant_min, quant_max).astype(np.float64) - zero_point
    return (steps.astype(grid_dtype) * scale.astype(grid_dtype)).astype(x.dtype, copy=False)


def _fake_quantize_vjp(g, ans, x, scale, zero_point, quant_min, quant_max, grid_dtype):
    levels = _levels(x, scale, zero_point)
    return g * ((levels >= quant_min) & (levels <= quant_max))  # the straight-through estimator, inside the range


_fake_quantize_primitive = Primitive(
    "fake_quantize", _fake_quantize, (_fake_quantize_vjp, None, None),
    "a floating-point input; scale and zero_point broadcast against it", reads_values=((0, 1, 2), (), ()))


def _checked_range(where, quant_min, quant_max):
    low, high = as_index(quant_min), as_index(quant_max)
    if low is None or high is None or low > high:
        raise ValueError(f"{where}: quant_min and quant_max must be ints with quant_min <= quant_max, got "
                         f"quant_min={quant_min!r}, quant_max={quant_max!r}")
    return low, high


def _checked_input(where, input):  # noqa: A002 (PyTorch's names)
    x = as_operand(input, where)
    if x.dtype.kind != "f":
        raise TypeError(f"{where}: input must be a floating-point Tensor (float16, float32, float64), got dtype "
                        f"{x.dtype}")
    return x


def _checked_zero_points(where, zero_point, low, high):
    zero_point = np.asarray(as_value(zero_point))
    if zero_point.dtype.kind not in "iuf" or np.any((zero_point < low) | (zero_point > high)):
        raise ValueError(f"{where}: zero_point must be numbers between quant_min ({low}) and quant_max ({high}), got "
                         f"{zero_point.tolist()!r}")
    return zero_point if zero_point.dtype.kind == "f" else zero_point.astype(np.int64)


def fake_quantize_per_tensor_affine(input, scale, zero_point, quant_min, quant_max):  # noqa: A002
    """x rounded to the grid (q - zero_point) * scale, q an int in [quant_min, quant_max], as
    torch.fake_quantize_per_tensor_affine; its gradient passes straight through where x was not clamped (0 where it
    was). scale: a positive number (or 1-element Tensor), taken in float32; zero_point: an int (or 1-element integer
    Tensor) in [quant_min, quant_max].

    >>> import autograd_core as ag
    >>> x = ag.tensor([-1.0, 0.26, 0.74, 3.0], requires_grad=True)
    >>> y = ag.fake_quantize_per_tensor_affine(x, 0.5, 0, -2, 3)
    >>> y
    Tensor([-1. ,  0.5,  0.5,  1.5], op=fake_quantize)
    >>> y.sum().backward(); x.grad
    Tensor([1., 1., 1., 0.])
    """
    where = "fake_quantize_per_tensor_affine"
    x = _checked_input(where, input)
    low, high = _checked_range(where, quant_min, quant_max)
    scale, zero_point = np.asarray(as_value(scale)), _checked_zero_points(where, zero_point, low, high)
    if scale.size != 1 or zero_point.size != 1 or scale.dtype.kind not in "iuf" or not scale.reshape(()) > 0 \
            or zero_point.dtype.kind == "f":
        raise ValueError(f"{where}: scale must be one positive number and zero_point one int (per tensor), got "
                         f"scale={scale.tolist()!r}, zero_point={zero_point.tolist()!r}; for one scale per channel "
                         f"use fake_quantize_per_channel_affine")
    return _fake_quantize_primitive(x, scale.reshape(()).astype(np.float32), zero_point.reshape(()),
                                    quant_min=low, quant_max=high, grid_dtype=np.float32)


def fake_quantize_per_channel_affine(input, scale, zero_point, axis, quant_min, quant_max):  # noqa: A002
    """x rounded, channel by channel along axis, to the grid (q - zero_point[c]) * scale[c], q an int in
    [quant_min, quant_max], as torch.fake_quantize_per_channel_affine; its gradient passes straight through where x
    was not clamped (0 where it was). scale: positive, one per channel (1-D, taken in float32); zero_point: one per
    channel, ints (or floats, added before rounding, as PyTorch's) in [quant_min, quant_max].

    >>> import autograd_core as ag
    >>> w = ag.tensor([[0.3, -0.9], [0.3, -0.9]])
    >>> ag.fake_quantize_per_channel_affine(w, ag.tensor([0.25, 0.5]), ag.tensor([0, 0]), 0, -2, 1)
    Tensor([[ 0.25, -0.5 ],
            [ 0.5 , -1.  ]])
    """
    where = "fake_quantize_per_channel_affine"
    x = _checked_input(where, input)
    low, high = _checked_range(where, quant_min, quant_max)
    scale, zero_point = np.asarray(as_value(scale)), _checked_zero_points(where, zero_point, low, high)
    position = as_index(axis)
    if position is None or not -x.ndim <= position < x.ndim:
        raise IndexError(f"{where}: axis must be an int in [{-x.ndim}, {x.ndim}) for input of shape {x.shape}, got "
                         f"{axis!r}")
    position %= x.ndim
    channels = x.shape[position]
    if scale.ndim != 1 or zero_point.ndim != 1 or scale.size != channels or zero_point.size != channels:
        raise ValueError(f"{where}: scale {scale.shape} and zero_point {zero_point.shape} must be 1-D with one entry "
                         f"per channel: input {x.shape} has {channels} along axis {axis}")
    if scale.dtype.kind not in "iuf" or not np.all(scale > 0):
        raise ValueError(f"{where}: scale must hold positive numbers, got {scale.tolist()!r}")
    shape = [1] * x.ndim
    shape[position] = channels
    return _fake_quantize_primitive(x, scale.astype(np.float32).reshape(shape), zero_point.reshape(shape),
                                    quant_min=low, quant_max=high, grid_dtype=np.float64)
