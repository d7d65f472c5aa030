"""affine_grid and grid_sample (torch.nn.functional's names, arguments and defaults), which nn.functional re-exports.

Both are composed of engine operations, so the gradients to the input, the grid and theta are the engine's, and
second derivatives hold:
- affine_grid is a constant base grid (PyTorch's linspace, in theta's dtype) times theta transposed, summed in
  PyTorch's order.
- grid_sample turns each grid coordinate into a source coordinate with engine operations on the grid
  (unnormalize, then 'border' clips it to [0, n - 1] and 'reflection' folds it back into the input, then clips),
  takes the integer positions around it with NumPy (floor, or nearbyint for 'nearest': half to even), gathers the
  input there by integer indexing (ag.take_along_axis, whose gradient scatter-adds) and sums the gathered values
  times weights that are engine functions of the coordinate (1 - t and t for 'bilinear', Keys' cubic with A = -0.75
  for 'bicubic'). A position outside the input gathers 0 (so 'zeros' padding, and a neighbour past the last
  entry, weighted 0 there, reads no inf). The arithmetic is PyTorch's CPU
  kernels', in their order: the vectorized 2-D kernel's for a 4-D input, the scalar 3-D kernel's for a 5-D one
  (unnormalize ((c + 1) * n - 1) / 2 there, (c + 1) * (n / 2) - 0.5 in 2-D; reflection by fmod there, by
  truncated division in 2-D; float16 takes the scalar kernels' in 2-D too, each operation rounded to float16),
  so the values agree with PyTorch's to the last bit for finite grids (bicubic's float32 and float64 to an ulp or
  two: PyTorch's compiler fuses some of its multiply-adds, which are rounded once here where known).
A tie at a kink (a coordinate exactly on a clip bound, where reflection folds, or on an integer) gets the engine's
gradient convention there: a coordinate on a clip bound gets none (as PyTorch's), the weights' slopes are those
of the integer below. Where the input holds inf or NaN, a clipped coordinate's gradient is PyTorch's, the incoming
one times 0 (NaN for inf or NaN); bicubic's grid gradient there may be NaN where PyTorch's is +-inf (the engine adds
the infinite cotangent's share through each term of Keys' polynomial, inf - inf, where PyTorch multiplies it by the
polynomial's derivative).
"""
import itertools
import operator
import warnings

import numpy as np

import autograd_core as ag
from autograd_core._arguments import InvalidArgumentError, RuntimeTypeError

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag

_MODES = ("bilinear", "nearest", "bicubic")
_PADDINGS = ("zeros", "border", "reflection")
_CUBIC_A = -0.75
_DEFAULT_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                    "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                    "grid_sample for details.")


def _align_corners(align_corners, where):
    """align_corners as a bool: None warns (as PyTorch's) and reads as False."""
    if align_corners is None:
        warnings.warn(f"{where}: {_DEFAULT_WARNING}", UserWarning, stacklevel=3)
        return False
    return as_flag(align_corners, where, "align_corners")


# ---- a multiply-add rounded once, as PyTorch's compiled kernels (contracted to FMA instructions) compute it -----
def fused_multiply_add(a, b, c):
    """a * b + c rounded once to the arrays' float dtype (NumPy, elementwise). float32 through float64 (exact
    product, one rounding there, then to float32); float64 by error-free transformations (Dekker's product, Knuth's
    sum): the exact result's leading part, correctly rounded but in cases of a tie after an inexact sum."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v) for v in (a, b, c)))
    dtype = np.result_type(a, b, c)
    wide = [v.astype(np.float64) for v in (a, b, c)]
    if dtype != np.float64:
        return (wide[0] * wide[1] + wide[2]).astype(dtype)
    a, b, c = wide
    with np.errstate(all="ignore"):
        product = a * b
        (ah, al), (bh, bl) = _split(a), _split(b)
        error = ((ah * bh - product) + ah * bl + al * bh) + al * bl  # product + error == a * b exactly
        total = product + c
        back = total - product
        residue = (product - (total - back)) + (c - back)  # total + residue == product + c exactly
        out = total + (residue + error)
    return np.where(np.isfinite(out), out, product + c)


def _split(a):
    """Veltkamp's split of float64 a into a high and a low part of 26 bits each (their products are exact)."""
    t = a * 134217729.0  # 2 ** 27 + 1
    high = t - (t - a)
    return high, a - high


def _fused(a, b, c):
    """a * b + c of engine values (Tensors or constants), its gradient the engine's, its value rounded once as
    fused_multiply_add: the engine's a * b + c plus the constant difference (an ulp or so, exact by Sterbenz)."""
    out = a * b + c
    value = fused_multiply_add(*(v.data if isinstance(v, ag.Tensor) else v for v in (a, b, c))).astype(out.dtype)
    with np.errstate(invalid="ignore"):
        correction = np.where(np.isfinite(value) & np.isfinite(out.data), value - out.data, 0).astype(out.dtype)
    return out + correction if correction.any() else out


# ---- affine_grid ------------------------------------------------------------------------------------------------
def affine_grid(theta, size, align_corners=None):
    """The sampling grid of a batch of affine maps, as torch.nn.functional.affine_grid: theta (N, 2, 3) and size
    (N, C, H, W) give a grid (N, H, W, 2), theta (N, 3, 4) and size (N, C, D, H, W) a grid (N, D, H, W, 3), each
    point theta @ (x, y[, z], 1) for the output's normalized coordinates in [-1, 1] (the corner pixels' centres
    with align_corners=True, their outer edges with False, the default). Pass the grid to grid_sample with the
    same align_corners. With align_corners=True, an output axis of size 1 has its one point at 0 (and a warning
    says so, as PyTorch's: -1 and 1 name that one entry's centre, so the span is empty).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.affine_grid(ag.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]]), (1, 1, 1, 2), align_corners=False).tolist()
    [[[[-0.5, 0.0], [0.5, 0.0]]]]
    """
    where = "affine_grid"
    align_corners = _align_corners(align_corners, where)
    t = F._as_input(theta, where)
    if t.dtype.kind != "f":
        raise ValueError(f"{where}: expected theta to have a floating point dtype, got {t.dtype} (shape {t.shape})")
    try:
        sizes = tuple(operator.index(n) for n in size)  # (ints only, as PyTorch's: 2.5 is refused, not truncated)
    except TypeError:
        raise TypeError(f"{where}: size must be a sequence of 4 or 5 ints, (N, C, H, W) or (N, C, D, H, W), got "
                        f"{size!r}") from None
    if len(sizes) not in (4, 5):
        raise NotImplementedError(f"{where}: only 4-D and 5-D sizes are supported, for 2-D and 3-D affine maps "
                                  f"(theta (N, 2, 3) or (N, 3, 4)), got size {size!r}")
    dims = len(sizes) - 2
    if t.ndim != 3 or t.shape[1:] != (dims, dims + 1):
        raise ValueError(f"{where}: expected a batch of {dims}-D affine matrices of shape (N, {dims}, {dims + 1}) "
                         f"for size {sizes}, got theta of shape {t.shape}")
    spatial = sizes[2:]
    if align_corners and min(spatial) == 1:
        warnings.warn(f"{where}: since version 1.3.0 (of PyTorch), affine_grid behavior has changed for unit-size "
                      f"grids when align_corners=True: all points along a unit axis are at 0. This is not an "
                      f"intended use case of affine_grid. See the documentation of affine_grid for details.",
                      UserWarning, stacklevel=2)
    elif min(sizes) <= 0:
        raise ValueError(f"{where}: expected non-zero, positive output sizes, got size {sizes}")
    if t.shape[0] != sizes[0]:
        raise ValueError(f"{where}: theta holds {t.shape[0]} matrices, but size asks for a batch of {sizes[0]}; "
                         f"theta's first size must equal size[0]")
    p = t.dtype.type
    axes = [_base_axis(n, align_corners, p) for n in reversed(spatial)]  # x (the last axis) first, as PyTorch's
    base = np.empty(spatial + (dims + 1,), dtype=t.dtype)
    for k, values in enumerate(axes):
        base[..., k] = values.reshape((-1,) + (1,) * k)
    base[..., dims] = 1
    rows = ag.transpose(t, (0, 2, 1)).reshape((sizes[0],) + (1,) * dims + (dims + 1, dims))
    half = t.dtype == np.float16  # (PyTorch's float16 bmm sums in float32, rounding once to float16 at the end)
    if half:
        base, rows = base.astype(np.float32), rows.astype(np.float32)
    grid = None
    for k in range(dims + 1):  # base @ theta.T as PyTorch's bmm sums it here: left to right, each product rounded
        term = base[..., k, None] * rows[..., k, :]
        grid = term if grid is None else grid + term
    return grid.astype(np.float16) if half else grid


def _base_axis(n, align_corners, p):
    """PyTorch's linspace_from_neg_one: linspace(-1, 1, n), times (n - 1) / n without align_corners; 0 for n = 1."""
    if n <= 1:
        return np.zeros(max(n, 0), dtype=p)
    values = _linspace(p(-1), p(1), n, p)
    return values if align_corners else values * p(n - 1) / p(n)


def _linspace(start, end, steps, p):
    """torch.linspace's CPU kernel, in its order of operations: step = (end - start) / (steps - 1); the first half
    start + step * i, the second end - step * (steps - i - 1), each rounded once (a fused multiply-add); in
    float16 (c10::Half's operators) the product rounded, then the sum, as NumPy's float16 computes them (PyTorch's
    scalar loop, which it takes below two vectors' length, 32 entries with AVX2)."""
    step = (end - start) / p(steps - 1)
    i = np.arange(steps)
    if p == np.float16:
        return np.where(i < steps // 2, start + step * i.astype(p), end - step * (steps - 1 - i).astype(p)).astype(p)
    first = fused_multiply_add(step, i.astype(p), start)
    second = fused_multiply_add(-step, (steps - 1 - i).astype(p), end)
    return np.where(i < steps // 2, first, second).astype(p)


# ---- grid_sample ------------------------------------------------------------------------------------------------
def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """The input (N, C, H, W) sampled at the points of grid (N, Ho, Wo, 2), or (N, C, D, H, W) at grid
    (N, Do, Ho, Wo, 3), as torch.nn.functional.grid_sample: output (N, C, Ho, Wo) (or (N, C, Do, Ho, Wo)). Each
    grid point holds normalized coordinates (x, y[, z]) in [-1, 1] (x along the last axis): -1 and 1 are the
    corner pixels' centres with align_corners=True, their outer edges with False (the default). mode 'bilinear'
    (trilinear for a 5-D input), 'nearest' or 'bicubic' (4-D only); padding_mode 'zeros' (0 outside the input),
    'border' (the nearest border value) or 'reflection' (the input reflected at its borders).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> x = ag.tensor(np.arange(4.0).reshape(1, 1, 2, 2))
    >>> F.grid_sample(x, ag.tensor([[[[0.0, 0.0], [1.0, -1.0]]]]), align_corners=True).tolist()
    [[[[1.5, 1.0]]]]
    """
    where = "grid_sample"
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(f"{where}: expected mode to be 'bilinear', 'nearest' or 'bicubic', got {mode!r}")
    if not isinstance(padding_mode, str) or padding_mode not in _PADDINGS:
        raise ValueError(f"{where}: expected padding_mode to be 'zeros', 'border' or 'reflection', got "
                         f"{padding_mode!r}")
    align_corners = _align_corners(align_corners, where)
    x, g = F._as_input(input, where), F._as_input(grid, f"{where} (grid)")
    _check_shapes(x, g, mode, where)
    dims = x.ndim - 2
    if 0 in x.shape or 0 in g.shape:  # nothing to gather: the empty output (the spatial sizes are checked above)
        return ag.zeros(x.shape[:2] + g.shape[1:-1], dtype=x.dtype) + (0 * g.sum()).astype(x.dtype) + 0 * x.sum()
    spatial = x.shape[2:]
    planar = dims == 2 and x.dtype != np.float16  # (PyTorch's float16 2-D kernel is its scalar one, in float16)
    coords = []  # the source coordinates, one Tensor (N, *points) per spatial axis, in the input's axis order
    # A coordinate near float's limit overflows to inf when unnormalized, and inf or NaN ones go on as they are
    # (PyTorch's kernels compute the same values without a word): no NumPy warning either.
    with np.errstate(over="ignore", invalid="ignore"):
        for axis, n in enumerate(spatial):
            c = g[(Ellipsis, dims - 1 - axis)]
            unnormalized = _unnormalize(c, n, align_corners, planar)
            coords.append(unnormalized if mode == "bicubic" else _padded(unnormalized, n, padding_mode,
                                                                         align_corners, planar))
    flat = x.reshape(x.shape[:2] + (-1,))
    gather = _Gather(flat, spatial, g.shape[1:-1])
    if mode == "nearest":
        out = gather([np.rint(c.data) for c in coords], None)
        # The output does not vary with the grid, but it is a function of it, as PyTorch's: a grid that requires
        # grad gets a zero gradient (where picks every value of out exactly, and passes the grid's sum none).
        return ag.where(np.True_, out, g.sum()) if g.requires_grad and ag.is_grad_enabled() else out
    if mode == "bicubic":
        return _bicubic(gather, coords, spatial, padding_mode, align_corners)
    return _bilinear(gather, coords) if planar else _multilinear(gather, coords, dims == 3 and padding_mode == "zeros")


def _check_shapes(x, g, mode, where):
    """PyTorch's grid_sampler checks: float dtypes alike, a 4-D or 5-D input, a grid (N, *points, dims); each
    failure a RuntimeError too, as PyTorch's (RuntimeTypeError, InvalidArgumentError)."""
    if x.dtype.kind != "f" or g.dtype.kind != "f":
        raise RuntimeTypeError(f"{where}: expected a float input and grid, got {x.dtype} and {g.dtype} (shapes "
                               f"{x.shape} and {g.shape}); cast them with .astype(np.float32)")
    if x.dtype != g.dtype and x.size and g.size:  # (an empty input or grid is not read: PyTorch's takes it)
        raise RuntimeTypeError(f"{where}: expected the input and grid to have the same dtype, got {x.dtype} and "
                               f"{g.dtype}")
    if x.ndim not in (4, 5):
        raise InvalidArgumentError(f"{where}: expected a 4-D input (N, C, H, W) or a 5-D input (N, C, D, H, W), "
                                   f"got shape {x.shape} (a batch is needed: an unbatched input takes x[None])")
    dims = x.ndim - 2
    if g.ndim != x.ndim or g.shape[-1] != dims:
        raise InvalidArgumentError(f"{where}: for a {x.ndim}-D input the grid must be {x.ndim}-D with {dims} "
                                   f"coordinates last, (N, {', '.join('DHW'[-dims:])}_out, {dims}); got input of "
                                   f"shape {x.shape} and grid of shape {g.shape}")
    if g.shape[0] != x.shape[0]:
        raise InvalidArgumentError(f"{where}: expected the grid and input to have the same batch size, got input of "
                                   f"shape {x.shape} and grid of shape {g.shape}")
    for axis, n in enumerate(x.shape[2:]):
        if n == 0:
            raise InvalidArgumentError(f"{where}: expected the input to have non-empty spatial axes, but input of "
                                       f"shape {x.shape} is empty along axis {axis + 2}")
    if mode == "bicubic" and dims != 2:
        raise InvalidArgumentError(f"{where}: mode 'bicubic' only supports a 4-D input (N, C, H, W), got shape "
                                   f"{x.shape}")


def _unnormalize(c, n, align_corners, planar):
    """A coordinate in [-1, 1] mapped to [0, n - 1] (align_corners) or [-0.5, n - 0.5], in PyTorch's operations."""
    p = c.dtype.type
    if planar:  # the vectorized kernel's: (c + 1) * scale (- 0.5), the scale rounded once
        if align_corners:
            return (c + p(1)) * p(p(n - 1) / p(2))
        return _fused(c + p(1), p(p(n) / p(2)), p(-0.5))
    if align_corners:  # the scalar kernel's
        return (c + p(1)) / p(2) * p(n - 1)
    return ((c + p(1)) * p(n) - p(1)) / p(2)


def _padded(c, n, padding_mode, align_corners, planar):
    """The source coordinate c held in the input: 'border' clips it to [0, n - 1]; 'reflection' reflects it at
    the borders (the corner pixels' centres with align_corners, their outer edges without), then clips."""
    p = c.dtype.type
    if padding_mode == "zeros":
        return c
    if padding_mode == "reflection":
        c = _reflected(c, n, align_corners, planar)
    return _clipped(c, p(0), p(n - 1))


def _clipped(c, low, high):
    """clip(c, low, high) whose gradient is PyTorch's, g times 0 or 1 (0 on and past the bounds): an inf or NaN
    gradient (from an inf or NaN input value) gives NaN where c is clipped, as PyTorch's, not clip's 0. A non-finite
    c is clipped as by clip, with gradient 0."""
    d = c.data
    inside = (d > low) & (d < high)
    finite = np.isfinite(d)
    if not finite.all():
        c = ag.where(finite, c, 0)
    return c * inside.astype(d.dtype) + np.where(inside, 0, np.clip(d, low, high)).astype(d.dtype)


def _reflected(c, n, align_corners, planar):
    """c reflected into [low, low + span], low = 0 and span = n - 1 with align_corners, -0.5 and n without: the
    distance from low is reduced modulo two spans (a constant multiple of them subtracted) and folded at span."""
    p = c.dtype.type
    low, span = (p(0), p(n - 1)) if align_corners else (p(-0.5), p(n))
    if span == 0:
        return c * p(0)  # PyTorch's 0 (a single entry with align_corners); no gradient
    distance = abs(c - low) if low else abs(c)
    d = distance.data
    if planar:  # the vectorized kernel's: extra = d - trunc(d / 2 span) * 2 span; min(extra, 2 span - extra)
        twice = p(2) * span
        extra = distance - (np.trunc(d / twice) * twice).astype(p)
        return ag.minimum(extra, twice - extra) + low
    # the scalar kernel's: extra = fmod(d, span) (exact), flipped when floor(d / span) is odd
    extra = distance - (d - np.fmod(d, span)).astype(p)
    odd = (np.floor(d / span).astype(np.int64) % 2).astype(bool)
    return ag.where(odd, (span - extra) + low, extra + low)


class _Gather:
    """The input's values at integer positions: flat (N, C, prod(spatial)) gathered at (N, *points) positions per
    axis, 0 where a position is outside the input (a neighbour past the last entry, for any padding; so an inf
    there, weighted 0, makes no NaN, as in PyTorch's kernels, which read no value there)."""

    def __init__(self, flat, spatial, points):
        self.flat, self.spatial, self.points = flat, spatial, points

    def values(self, positions):
        positions = [np.asarray(q) for q in positions]
        inside = np.ones(positions[0].shape, dtype=bool)
        index = np.zeros(positions[0].shape, dtype=np.int64)
        for q, n in zip(positions, self.spatial):
            finite = np.isfinite(q) if q.dtype.kind == "f" else True
            inside &= finite & (q > -1) & (q < n)
            index = index * n + np.clip(np.where(finite, q, 0), 0, n - 1).astype(np.int64)
        shape = (self.flat.shape[0], 1, -1)
        out = ag.take_along_axis(self.flat, index.reshape(shape), axis=2)
        out = out.reshape(self.flat.shape[:2] + self.points)
        if not inside.all():
            out = ag.where(inside[:, None], out, 0)
        return out

    def __call__(self, positions, weight):
        values = self.values(positions)
        return values if weight is None else values * weight


def _channels(w):
    """A weight (N, *points) as (N, 1, *points), to broadcast over the channels."""
    return ag.expand_dims(w, 1)


def _bilinear(gather, coords):
    """The 2-D kernel's bilinear sum: nw * v(nw) + ne * v(ne) + sw * v(sw) + se * v(se), w = x - floor(x)."""
    y, x = coords
    x0, y0 = np.floor(x.data), np.floor(y.data)
    p = x.dtype.type
    w = x - x0
    e = p(1) - w
    n = y - y0
    s = p(1) - n
    nw, ne, sw, se = (_channels(v) for v in (s * e, s * w, n * e, n * w))
    out = gather([y0, x0], nw)
    for weight, position in ((ne, [y0, x0 + 1]), (sw, [y0 + 1, x0]), (se, [y0 + 1, x0 + 1])):
        out = _fused(gather.values(position), weight, out)
    return out


def _multilinear(gather, coords, skip_outside=False):
    """The scalar kernels' (the 3-D one's, and the 2-D one's for float16) bilinear or trilinear sum over the
    corners (z, then y, then x, low before high), each weight the product of (high - c) or (c - low) along x, y
    (and z), in that order. skip_outside (the 3-D kernel with 'zeros' padding, which adds only the corners inside
    the input): a point with a non-finite source coordinate gives 0 and passes no gradient, not NaN."""
    finite = None
    if skip_outside:
        finite = np.logical_and.reduce([np.isfinite(c.data) for c in coords])
        if finite.all():
            finite = None
        else:  # (a finite stand-in, so no weight is NaN; the point is masked below)
            coords = [ag.where(finite, c, 0) for c in coords]
    axes = coords[::-1]  # x, y[, z]
    lows = [np.floor(c.data) for c in axes]
    weights = [((lo + 1) - c, c - lo) for c, lo in zip(axes, lows)]  # (of the low corner, of the high one)
    out = None
    for corner in itertools.product((0, 1), repeat=len(axes)):  # (z or y outermost, x innermost)
        high = corner[::-1]  # (along x, y[, z])
        w = weights[0][high[0]]
        for k in range(1, len(axes)):
            w = w * weights[k][high[k]]
        term = gather([lo + h for lo, h in zip(lows[::-1], corner)], _channels(w))
        out = term if out is None else out + term
    return out if finite is None else ag.where(finite[:, None], out, 0)


def _cubic_coefficients(t, p):
    """Keys' cubic convolution weights (A = -0.75) of the four entries around t past the second, in PyTorch's
    order of operations: get_cubic_coefficients' (some multiply-adds rounded once), or for float16 the scalar
    kernel's get_cubic_upsample_coefficients' (each operation rounded to float16)."""
    a = p(_CUBIC_A)
    scalar = p == np.float16

    def outer(u):  # 1 < |u| < 2
        return ((a * u - p(5) * a) * u + p(8) * a) * u - p(4) * a

    def inner(u):  # |u| <= 1
        if scalar:
            return ((a + p(2)) * u - (a + p(3))) * u * u + p(1)
        return _fused(_fused(a + p(2), u, -(a + p(3))) * u, u, p(1))

    if scalar:
        return [outer(t + p(1)), inner(t), inner(p(1) - t), outer((p(1) - t) + p(1))]
    return [outer(t + p(1)), inner(t), inner(p(1) - t), outer(p(2) - t)]


def _tap(q, n, padding_mode, align_corners):
    """An integer position (a float array) held in the input by padding_mode, as the 2-D kernel's
    compute_coordinates does for bicubic's taps (NumPy: the taps are constants)."""
    p = q.dtype.type
    if padding_mode == "zeros":
        return q
    if padding_mode == "reflection":
        low, span = (p(0), p(n - 1)) if align_corners else (p(-0.5), p(n))
        if span == 0:
            q = np.zeros_like(q)
        else:
            twice = p(2) * span
            d = np.abs(q - low)
            extra = d - np.trunc(d / twice) * twice
            q = np.minimum(extra, twice - extra) + low
    return np.clip(q, p(0), p(n - 1))


def _bicubic(gather, coords, spatial, padding_mode, align_corners):
    """The 2-D kernel's bicubic sum: along x, then y, Keys' weights of the four taps floor(c) - 1 .. + 2 (each
    held in the input by the padding), the coordinates unnormalized but not padded."""
    y, x = coords
    p = x.dtype.type
    x0, y0 = np.floor(x.data), np.floor(y.data)
    cx = [_channels(w) for w in _cubic_coefficients(x - x0, p)]
    cy = [_channels(w) for w in _cubic_coefficients(y - y0, p)]
    (h, w) = spatial
    rows = []
    for i in range(4):
        qy = _tap(y0 - 1 + i, h, padding_mode, align_corners)
        terms = [gather([qy, _tap(x0 - 1 + j, w, padding_mode, align_corners)], cx[j]) for j in range(4)]
        rows.append(terms[0] + terms[1] + terms[2] + terms[3])
    if p == np.float16:  # (the scalar kernel's sums, each operation rounded)
        return rows[0] * cy[0] + rows[1] * cy[1] + rows[2] * cy[2] + rows[3] * cy[3]
    out = cy[0] * rows[0]
    for i in range(1, 4):
        out = _fused(cy[i], rows[i], out)
    return out
