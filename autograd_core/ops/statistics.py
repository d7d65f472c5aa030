"""Statistics of NumPy on Tensors: cumprod (running products), ptp, average (weighted) and median.

cumprod is a primitive whose rule divides by nothing, so zeros in the input get their exact gradient (PyTorch's
cumprod_backward gives the same): x_i's gradient is prod(x_j, j < i) times s_i, where s_i = g_i + x_{i+1} s_{i+1}
is a linear recurrence, solved by a scan of log2(n) steps of slices, products and sums, which a create_graph pass
records. ptp and average are compositions; median picks the middle element (the mean of the two middle ones for an
even count, as NumPy, the gradient split between them) at argsort's order, as torch.median picks its element.
"""
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .._arguments import as_index, axis_from_dim, scalar_dims
from ..primitive import Primitive, as_operand
from ..tensor import Tensor, as_value
from .indexing import take_along_axis
from .rearrange import _flattened
from .reductions import _check_keepdims, _exclusive_products, _into, _named_count, in_dtype, max as _max, \
    mean as _mean, min as _min, running_of_scalar, sum as _sum
from .shape import reshape, transpose


def _affine_scan(a, b):
    """s with s_0 = b_0 and s_m = b_m + a_m s_{m-1} along the last axis (a_0 is ignored), by composing the affine
    maps y -> a_m y + b_m in log2(n) doubling steps (Hillis-Steele): NumPy calls only, recorded on Tensors."""
    n = np.shape(b)[-1]
    # (a_0 is never read; 1, not 0, so an inf in x raises no spurious 0 * inf warning in the products)
    a = np.concatenate([np.ones_like(a[..., :1]), a[..., 1:]], axis=-1)
    shift = 1
    while shift < n:
        b = np.concatenate([b[..., :shift], b[..., shift:] + a[..., shift:] * b[..., :-shift]], axis=-1)
        a = np.concatenate([a[..., :shift], a[..., shift:] * a[..., :-shift]], axis=-1)
        shift *= 2
    return b


def _cumprod_vjp(g, ans, x, axis=None):
    # d out_k / d x_i = prod(x_j, j < i) * prod(x_j, i < j <= k) for k >= i: no division, exact at zeros.
    shape = np.shape(x)
    if axis is None or not shape:  # (a 0-d x's running product along axis 0 or -1 is 1-D, as NumPy's)
        axis, x, g, along = None, x.reshape(-1), g.reshape(-1), -1
    else:
        along = axis
        x, g = np.swapaxes(x, along, -1), np.swapaxes(g, along, -1)
    if not np.size(x):
        return np.zeros_like(g).reshape(shape) if axis is None else np.swapaxes(np.zeros_like(g), along, -1)
    after = np.concatenate([x[..., 1:], np.zeros_like(x[..., :1])], axis=-1)  # x_{i+1}, then 0
    reversed_sums = _affine_scan(np.flip(after, -1), np.flip(g, -1))  # s_i, from the end
    grad = _exclusive_products(x) * np.flip(reversed_sums, -1)
    return grad.reshape(shape) if axis is None else np.swapaxes(grad, along, -1)


_cumprod = Primitive("cumprod", lambda x, axis=None: np.cumprod(x, axis=axis), (_cumprod_vjp,),
                     "axis must be None (x flattened) or one int in [-ndim, ndim)", reads_values=((0,),))


def cumprod(x, axis=None, *, dtype=None, dim=None, out=None):
    """Running products along axis (of x flattened for None), as np.cumprod: float32 stays float32, bools and
    integers multiply in int64; dim is PyTorch's name for axis; dtype as cumsum's (a float dtype: x cast to it,
    the gradient coming back in x's dtype, as torch.cumprod(x, dim, dtype=)'s). The gradient is exact where x holds
    zeros (no division), as torch.cumprod's. out as sum's.

    >>> import autograd_core as ag
    >>> x = ag.tensor([2.0, 0.0, 3.0], requires_grad=True)
    >>> ag.cumprod(x)
    Tensor([2., 0., 0.], op=cumprod)
    >>> ag.cumprod(x).sum().backward(); x.grad
    Tensor([1., 8., 0.])
    """
    if dim is not None:  # PyTorch's name (see _arguments)
        axis = axis_from_dim("cumprod", axis, dim)
        if np.ndim(as_value(x)) == 0 and scalar_dims(axis):
            return running_of_scalar(cumprod, "cumprod", x, dtype, out)
    if axis is not None:
        index = as_index(axis)  # (a NumPy integer, a 0-d integer array too, as NumPy's)
        if index is None:
            raise TypeError(f"cumprod: {'axis' if dim is None else 'dim'} must be None or an int, got {axis!r}")
        axis = index
    if out is not None:
        return _into(out, cumprod(x, axis, dtype=out.dtype if dtype is None else dtype), "cumprod", dtype)
    if dtype is not None:  # (as cumsum's)
        x, result = in_dtype("cumprod", x, dtype, lambda v, d: np.cumprod(v, axis=axis, dtype=d))
        if result is not None:
            return result
    return _cumprod(x, axis=axis)


def ptp(x, axis=None, keepdims=False):
    """The range max - min over axis, as np.ptp (peak to peak). The gradient is max's minus min's: ties split.

    >>> import autograd_core as ag
    >>> ag.ptp(ag.tensor([[1.0, 4.0], [2.0, 7.0]]), axis=1)
    Tensor([3., 5.])
    """
    x = as_operand(x, "ptp")
    if _flattened(x, axis):  # (axis 0 or -1 of a 0-d x too, as NumPy's reductions and max and min take it)
        axis = None
    _named_count("ptp", x, axis)
    _check_keepdims("ptp", keepdims)
    if not _named_count("ptp", x, axis):
        raise ValueError(f"ptp: the reduced axes of input shape {x.shape} (axis={axis}) are empty; the range of no "
                         f"elements has no value")
    if x.dtype == np.bool_:
        raise TypeError("ptp: a bool input has no range (NumPy refuses to subtract bools); cast it to int or float")
    return _max(x, axis=axis, keepdims=keepdims) - _min(x, axis=axis, keepdims=keepdims)


def average(x, axis=None, weights=None, returned=False, *, keepdims=False):
    """The weighted mean over axis, sum(x * weights) / sum(weights), as np.average: weights of x's shape, or 1-D
    along a single axis (or of the axes' shape for a tuple); none: the mean. Differentiable in x and in weights.
    returned=True also gives the sum of the weights, broadcast to the result's shape.

    >>> import autograd_core as ag
    >>> ag.average(ag.tensor([1.0, 2.0, 4.0]), weights=[1.0, 1.0, 2.0])
    Tensor(2.75)
    """
    x = as_operand(x, "average")
    _named_count("average", x, axis)
    _check_keepdims("average", keepdims)
    if weights is None:
        avg = _mean(x, axis=axis, keepdims=keepdims)
        scale = Tensor(np.asarray(_named_count("average", x, axis), avg.dtype))
    else:
        w = as_operand(weights, "average")
        # NumPy's result dtype: the inputs' (float64 at least for an integer or bool x)
        dtype = np.result_type(x.dtype, w.dtype, *(("f8",) if x.dtype.kind in "biu" else ()))
        x, w = (t if t.dtype == dtype else t.astype(dtype) for t in (x, w))
        if w.shape != x.shape:
            axes = None if axis is None else normalize_axis_tuple(axis, x.ndim)
            if axes is None:
                raise TypeError(f"average: weights of shape {w.shape} differ from the input's {x.shape}; give axis= "
                                f"when the weights are 1-D (or of the shape of the axes averaged over)")
            wanted = tuple(x.shape[a] for a in axes)
            if w.shape != wanted:
                raise ValueError(f"average: weights of shape {w.shape} fit neither the input's shape {x.shape} nor "
                                 f"the shape {wanted} of axis={axis!r}")
            order = np.argsort(axes)  # weights' axes in the order of x's
            w = transpose(w, tuple(int(i) for i in order))
            shape = [1] * x.ndim
            for a in axes:
                shape[a] = x.shape[a]
            w = reshape(w, tuple(shape))
        scale = _sum(w + np.zeros(np.broadcast_shapes(x.shape, w.shape), dtype), axis=axis, keepdims=keepdims)
        if np.any(np.sum(w.data, axis=axis) == 0):  # (NumPy's check: on the weights before broadcasting)
            raise ZeroDivisionError("average: the weights sum to zero, so the average cannot be normalized")
        avg = _sum(x * w, axis=axis, keepdims=keepdims) / scale
    if returned:
        return avg, scale.broadcast_to(avg.shape) if scale.shape != avg.shape else scale
    return avg


def _moved_last(name, x, axis):
    """x with the axes of axis (all for None) joined into one last axis, and the shape the reduction keeps
    (keepdims: 1 on those axes)."""
    axes = tuple(range(x.ndim)) if axis is None else normalize_axis_tuple(axis, x.ndim)
    kept = tuple(a for a in range(x.ndim) if a not in axes)
    moved = transpose(x, kept + axes) if kept + axes != tuple(range(x.ndim)) else x
    rows = reshape(moved, tuple(x.shape[a] for a in kept) + (math.prod(x.shape[a] for a in axes),))
    return rows, tuple(1 if a in axes else n for a, n in enumerate(x.shape))


def refuse_torch_median(name, dim, keepdim):
    """The TypeError for PyTorch's median(dim=)/nanmedian(dim=), which return (values, indices), the lower middle."""
    given = "dim=" if keepdim is None else "keepdim=" if dim is None else "dim= and keepdim="
    shown = "..." if dim is None else repr(dim)
    quantile = "nanquantile" if name == "nanmedian" else "quantile"
    return TypeError(f"{name}: {given} is not accepted: PyTorch's torch.{name}(x, dim={shown}) returns a (values, "
                     f"indices) pair, the lower of the two middle elements for an even count, while this {name} "
                     f"(NumPy's) returns the values alone, the mean of the two middle ones; write ag.{name}(x, "
                     f"axis={shown}) for NumPy's, or ag.{quantile}(x, 0.5, axis={shown}, method='lower') for torch's "
                     f"values (keepdims=True, not keepdim=, keeps the reduced axis)")


def median(x, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """The median over axis (all axes for None, or a tuple), as np.median: the middle element, or the mean of the two
    middle ones for an even count; NaN for a slice holding a NaN. float32 stays float32, integers give float64. The
    gradient goes to the middle element, or half to each of the two (to the NaN for a slice holding one). PyTorch's
    dim= and keepdim= are refused with a TypeError: torch.median(x, dim=) returns (values, indices), the lower of
    the two middle ones.

    >>> import autograd_core as ag
    >>> x = ag.tensor([3.0, 1.0, 4.0, 2.0], requires_grad=True)
    >>> ag.median(x)
    Tensor(2.5, op=mean)
    >>> ag.median(x).backward(); x.grad
    Tensor([0.5, 0. , 0. , 0.5])
    """
    if dim is not None or keepdim is not None:
        raise refuse_torch_median("median", dim, keepdim)
    x = as_operand(x, "median")
    count = _named_count("median", x, axis)
    _check_keepdims("median", keepdims)
    if x.dtype.kind not in "f" or not x.size:  # no gradient to find: NumPy's value (an empty slice: NaN, warned)
        return Tensor(np.asarray(np.median(np.asarray(x.data), axis=axis, keepdims=bool(keepdims))))
    rows, kept_shape = _moved_last("median", x, axis)
    order = np.argsort(rows.data, axis=-1, kind="stable")
    middles = [count // 2] if count % 2 else [count // 2 - 1, count // 2]
    positions = np.broadcast_to(np.array(middles), rows.shape[:-1] + (len(middles),)).copy()
    has_nan = np.isnan(rows.data).any(axis=-1)
    positions[has_nan] = count - 1  # NaNs sort last: a slice holding one gives NaN, its gradient to a NaN
    picked = take_along_axis(rows, np.take_along_axis(order, positions, axis=-1), axis=-1)
    out = picked[..., 0] if len(middles) == 1 else _mean(picked, axis=-1)
    return reshape(out, kept_shape) if keepdims else out
