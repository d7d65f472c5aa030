"""interpolate (torch.nn.functional.interpolate's name, arguments and defaults), which nn.functional re-exports.

It is composed of engine operations: along each spatial axis in turn, from the last to the first, the output
gathers its source entries by integer indexing and sums them weighted (one entry with weight 1 for 'nearest' and
'nearest-exact', two for 'linear', 'bilinear' and 'trilinear', four for 'bicubic'); 'area' is adaptive average
pooling. So every gradient is the engine's (indexing scatter-adds back) and second derivatives hold. The indices
and weights depend only on the sizes, and are computed once with NumPy by PyTorch's CPU kernels' formulas, in
their precision (float64 for a float64 input, float32 otherwise; a float32 index rounded down, as their floorf):
- the ratio is (n - 1) / (m - 1) (0 when m = 1) with align_corners, else 1 / scale_factor when scale_factor is
  given (and recompute_scale_factor is not set), else n / m, for an axis of n entries resampled to m;
- the source coordinate of output entry i is ratio * i for 'nearest' and with align_corners, else
  ratio * (i + 0.5) - 0.5 (rounded once, as their fused multiply-add), held at 0 from below except for 'bicubic';
- 'nearest' takes entry floor(ratio * i) (for a 4-D input i, or i // 2, where the size is kept, or doubled, as
  PyTorch's), 'nearest-exact' floor(coordinate + 0.5), each at most n - 1;
- 'linear' takes floor(coordinate) and the next entry (itself at the end), weighted 1 - t and t; an axis whose
  size is kept (m = n) is copied, as PyTorch's, as 1 x + 0 x (an inf becomes NaN there, as in PyTorch's);
- 'bicubic' takes the four entries floor(coordinate) - 1 .. + 2 (held inside the axis), with Keys' cubic
  convolution weights, A = -0.75.
The output's size along an axis is size, or floor(n * scale_factor).
"""
import math
import operator

import numpy as np

from autograd_core._arguments import InvalidArgumentError, RuntimeTypeError

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, as_number
from ._pooling_functions import adaptive_avg_pool

_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area")
_RANKS = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}  # the input rank each of these modes takes
_CUBIC_A = -0.75
_LARGEST_SIZE = int(np.iinfo(np.intp).max)  # (an output size past it cannot be allocated, nor indexed)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    """The input (N, C, d1[, d2[, d3]]) resampled to the spatial size `size` (an int, or one int per spatial axis),
    or scaled by scale_factor (a number, or one per axis), as torch.nn.functional.interpolate. mode: 'nearest',
    'nearest-exact', 'linear' (3-D input), 'bilinear', 'bicubic' (4-D), 'trilinear' (5-D) or 'area' (adaptive
    average pooling). align_corners (the interpolating modes only; False by default) maps the corner entries'
    centres onto each other; recompute_scale_factor=True computes the coordinates from the sizes, not from
    scale_factor. antialias=True is not supported.

    >>> import autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([[[1.0, 2.0, 4.0]]])
    >>> F.interpolate(x, scale_factor=2)
    Tensor([[[1., 1., 2., 2., 4., 4.]]])
    >>> F.interpolate(x, size=5, mode="linear", align_corners=True)
    Tensor([[[1. , 1.5, 2. , 3. , 4. ]]])
    """
    where = "interpolate"
    x = F._as_input(input, where)
    if not isinstance(mode, str) or mode not in _MODES:
        known = "lanczos (which needs antialias=True, not supported here)" if mode == "lanczos" else f"{mode!r}"
        raise NotImplementedError(f"{where}: mode must be one of {', '.join(map(repr, _MODES))}, got {known}")
    if mode in ("nearest", "nearest-exact", "area"):
        if align_corners is not None:
            raise ValueError(f"{where}: align_corners can only be set with the interpolating modes linear, bilinear, "
                             f"bicubic and trilinear, not with mode={mode!r} (leave it None)")
    else:
        align_corners = False if align_corners is None else as_flag(align_corners, where, "align_corners")
    if x.ndim not in (3, 4, 5):
        raise NotImplementedError(f"{where}: expected a 3-D, 4-D or 5-D input (N, C, d1[, d2[, d3]]): a batch of "
                                  f"1, 2 or 3 spatial axes, got shape {x.shape} (mode {mode!r})")
    if mode in _RANKS and x.ndim != _RANKS[mode]:
        raise NotImplementedError(f"{where}: mode {mode!r} needs a {_RANKS[mode]}-D input, got a {x.ndim}-D one "
                                  f"(shape {x.shape}); 'linear' is for 3-D, 'bilinear' and 'bicubic' for 4-D, "
                                  f"'trilinear' for 5-D inputs")
    dims, shape = x.ndim - 2, x.shape[2:]
    sizes, scales = _output_sizes(shape, size, scale_factor, mode, recompute_scale_factor, where)
    if as_flag(antialias, where, "antialias"):
        if mode not in ("bilinear", "bicubic"):
            raise ValueError(f"{where}: antialias=True is restricted to the modes bilinear and bicubic (4-D input), "
                             f"got mode={mode!r}")
        raise NotImplementedError(f"{where}: antialias=True is not supported; use antialias=False, or 'area' mode "
                                  f"to average when shrinking by a whole factor")
    if mode == "area":
        return adaptive_avg_pool(x, sizes, dims, f"{where} (mode 'area')")
    if x.shape[1] == 0 or 0 in shape or 0 in sizes:
        raise InvalidArgumentError(f"{where}: input and output sizes must be greater than 0: the channels and "
                                   f"spatial sizes of the input (shape {x.shape}) and the output's spatial sizes "
                                   f"{tuple(sizes)} must be at least 1")
    nearest = mode in ("nearest", "nearest-exact")
    if x.dtype.kind not in ("fiub" if nearest else "f"):
        raise RuntimeTypeError(f"{where}: mode {mode!r} needs a float input{' (or integer, or bool)' * nearest}, "
                               f"got {x.dtype} (shape {x.shape}); cast it with .astype(np.float32)")
    if x.dtype == np.float16 and not nearest:  # in float32, rounded once, as PyTorch's float16 kernels
        return interpolate(x.astype(np.float32), size, scale_factor, mode, align_corners, recompute_scale_factor) \
            .astype(np.float16)
    precision = np.float64 if x.dtype == np.float64 else np.float32
    out = x
    for axis in range(dims - 1, -1, -1):  # the last axis first, as PyTorch's kernels nest their sums
        picks = _sources(shape[axis], sizes[axis], scales[axis], mode, align_corners, precision, dims == 2)
        out = _resampled(out, axis - dims, picks)
    return out


def _output_sizes(shape, size, scale_factor, mode, recompute_scale_factor, where):
    """The output's spatial sizes and the scale factors to use for the coordinates (None where the sizes say)."""
    dims = len(shape)
    if size is not None and scale_factor is not None:
        raise ValueError(f"{where}: give only one of size and scale_factor, got size={size!r} and "
                         f"scale_factor={scale_factor!r}")
    if size is None and scale_factor is None:
        raise ValueError(f"{where}: either size or scale_factor must be given (both are None)")
    recompute = recompute_scale_factor is not None and as_flag(recompute_scale_factor, where,
                                                               "recompute_scale_factor")
    if size is not None:
        if recompute:
            raise ValueError(f"{where}: recompute_scale_factor=True is not meaningful with an explicit size "
                             f"(size={size!r}); it applies to scale_factor")
        sizes = _per_spatial_axis(size, dims, shape, where, "size")
        for n in sizes:
            if isinstance(n, (bool, np.bool_)) or _integer(n) is None:
                raise TypeError(f"{where}: size must be an int or a tuple of {dims} ints (one per spatial axis), "
                                f"got {size!r}")
        sizes = tuple(_integer(n) for n in sizes)
        if any(n < 0 for n in sizes):
            raise InvalidArgumentError(f"{where}: the output sizes must be greater than 0, got size={size!r}")
        return sizes, (None,) * dims
    factors = _per_spatial_axis(scale_factor, dims, shape, where, "scale_factor")
    numbers = tuple(as_number(s) for s in factors)
    if any(s is None for s in numbers):
        raise TypeError(f"{where}: scale_factor must be a number or a tuple of {dims} numbers (one per spatial "
                        f"axis), got {scale_factor!r}")
    if not all(math.isfinite(s) for s in numbers):
        raise InvalidArgumentError(f"{where}: scale_factor must be finite, got {scale_factor!r}")
    sizes = tuple(int(n * s) for n, s in zip(shape, numbers))  # (truncated, as PyTorch's)
    if any(m < 0 for m in sizes):
        raise InvalidArgumentError(f"{where}: scale_factor={scale_factor!r} gives the negative output size {sizes} "
                                   f"for the spatial size {tuple(shape)}; the output sizes must be greater than 0")
    if any(m > _LARGEST_SIZE for m in sizes):  # (PyTorch: "value cannot be converted to type int64_t")
        raise InvalidArgumentError(f"{where}: scale_factor={scale_factor!r} gives the output size {sizes} for the "
                                   f"spatial size {tuple(shape)}, past the largest size an array can have, "
                                   f"{_LARGEST_SIZE}")
    if recompute or mode == "area":  # (area pools to the sizes: PyTorch's always recomputes for it)
        return sizes, (None,) * dims
    return sizes, numbers


def _per_spatial_axis(value, dims, shape, where, name):
    """value as a tuple of dims entries: a list or tuple as it is (of dims entries), another value repeated."""
    if isinstance(value, (tuple, list)):
        if len(value) != dims:
            raise ValueError(f"{where}: {name} must have one entry per spatial axis of the input (N, C, d1, ...): "
                             f"{dims} for the spatial size {tuple(shape)}, got {name}={value!r}")
        return tuple(value)
    return (value,) * dims


def _integer(value):
    """value as an int when it is an integer (a Python or NumPy int, or a 0-d integer array or Tensor), else None."""
    try:
        return operator.index(value)
    except TypeError:
        return None


# ---- indices and weights (NumPy: they depend only on the sizes) -------------------------------------------------
def _sources(n, m, scale, mode, align_corners, precision, planar=False):
    """[(indices, weights)]: output entry i of an axis of n entries resampled to m is the sum over the pairs of
    weights[i] * input[indices[i]] (weights None for one pick with weight 1, indices None for the whole axis), in
    PyTorch's order. planar: the input
    is 4-D, where PyTorch's 'nearest' copies an axis whose size is kept and takes entry i // 2 where it is doubled,
    whatever the scale (for 3-D and 5-D inputs it computes these indices from the scale too)."""
    p = precision
    if mode == "nearest" and planar and m in (n, 2 * n):
        return [(np.arange(m) // (m // n), None)]
    i = np.arange(m).astype(p)
    if align_corners:  # (nearest never has it)
        ratio = p(n - 1) / p(m - 1) if m > 1 else p(0)
    else:
        ratio = p(1.0 / scale) if scale is not None and scale > 0 else p(n) / p(m)
    if mode == "nearest":
        return [(np.minimum(_floor(ratio * i), n - 1), None)]
    real = ratio * i if align_corners else _fused(ratio, i + p(0.5), p)
    if mode == "nearest-exact":
        real = np.maximum(real, p(0))
        return [(np.minimum(_floor(real.astype(np.float64) + 0.5), n - 1), None)]
    if mode == "bicubic":
        first = _floor(real)
        t = real - first.astype(p)
        weights = _cubic_weights(t, p)
        return [(np.clip(first - 1 + j, 0, n - 1), weights[j]) for j in range(4)]
    if m == n:  # linear, an axis whose size is kept: copied (PyTorch's shortcut, whatever the scale), as 1 x + 0 x
        return [(None, np.ones(m, p)), (None, np.zeros(m, p))]  # (so an inf becomes NaN, as PyTorch's)
    real = np.maximum(real, p(0))
    first = np.minimum(_floor(real), n - 1)
    t = np.clip(real - first.astype(p), p(0), p(1))
    second = first + (first < n - 1)
    return [(first, p(1) - t), (second, t)]


def _fused(ratio, half, p):
    """ratio * half - 0.5 rounded once to p, as the fused multiply-add PyTorch's compiled kernels compute (rounding
    the product first would make a weight 0 where theirs is 1e-8, or move a 'nearest-exact' index). Exact for
    float32 through float64; for float64 through NumPy's longdouble (exact where that is x86's 80-bit float, for
    sizes below about a thousand; elsewhere at worst rounded twice)."""
    wide = np.float64 if p == np.float32 else np.longdouble
    return (wide(ratio) * half.astype(wide) - wide(0.5)).astype(p)


def _floor(values):
    """floorf(values) as int64: the values rounded to float32 first, as C's floorf takes them."""
    return np.floor(np.asarray(values).astype(np.float32)).astype(np.int64)


def _cubic_weights(t, p):
    """Keys' cubic convolution weights (A = -0.75) of the four entries around a coordinate t past the second, in
    PyTorch's order of operations (get_cubic_upsample_coefficients)."""
    a = p(_CUBIC_A)

    def inner(x):  # |x| <= 1
        return ((a + p(2)) * x - (a + p(3))) * x * x + p(1)

    def outer(x):  # 1 < |x| < 2
        return ((a * x - p(5) * a) * x + p(8) * a) * x - p(4) * a

    return [outer(t + p(1)), inner(t), inner(p(1) - t), outer(p(1) - t + p(1))]


def _resampled(x, axis, picks):
    """x resampled along axis (negative, a spatial one): the sum over picks of weights * x gathered at indices."""
    after = (slice(None),) * (-axis - 1)
    out = None
    for indices, weights in picks:
        gathered = x if indices is None else x[(Ellipsis, indices) + after]  # (None: the axis as it is)
        if weights is not None:
            gathered = gathered * weights.astype(x.dtype).reshape((-1,) + (1,) * (-axis - 1))
        out = gathered if out is None else out + gathered
    return out
