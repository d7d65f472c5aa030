"""Reductions over axes (NumPy's `axis=None, keepdims=False`): sum, mean, prod, max, min, var, std, logsumexp; and
cumsum and logcumsumexp (PyTorch's), the running sums and log-sum-exps along one axis.

sum, mean, max/min, var and logsumexp are primitives (mean is one node rather than sum and divide:
every loss ends in it; var one rather than five, whose backward did three times the work); std is sqrt of var.
"""
import math
import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .._arguments import (axis_from_dim, is_int, reduction_from_torch, refuse_torch_extremum, scalar_dims,
                          spread_from_torch)
from ..primitive import Primitive, add_reduce, as_operand
from ..tensor import Tensor, as_value
from .arithmetic import astype
from .shape import _flip, concatenate

_builtin_max, _builtin_min = max, min  # (this module defines its own max and min)
_CHUNK_WEIGHTS = 2 ** 18  # the entries of one chunk's weights in _logcumsumexp_linear_in_g (2 MB in float64)


def _normalize_axis(axis, ndim):
    """axis as a sorted tuple of non-negative ints (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _restore(g, x, axis, keepdims):
    """g reshaped so it broadcasts against x again (the reduced axes put back as size 1). A full
    reduction's g is 0-d and broadcasts as it is."""
    if keepdims or axis is None or not x.ndim:
        return g
    shape = list(x.shape)
    for a in _normalize_axis(axis, x.ndim):
        shape[a] = 1
    return g.reshape(tuple(shape))


def in_dtype(name, x, dtype, numpy_call):
    """A reduction's dtype= (NumPy's and PyTorch's): (x cast to dtype, None) for a float dtype, the reduction then
    running in it (the cast is recorded: gradients come back in x's dtype); (None, NumPy's result) for an integer or
    bool dtype, a constant in NumPy's integer arithmetic (np.sum of int8 with dtype=np.int8 wraps), refused for a
    Tensor that requires grad. numpy_call(values, dtype) computes that result.

    >>> import numpy as np, autograd_core as ag
    >>> ag.sum(ag.tensor(np.array([100, 100], np.int8)), dtype=np.int8)  # NumPy's wrap-around
    Tensor(-56, dtype=int8)
    """
    x = as_operand(x, name)
    try:
        dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"{name}: dtype={dtype!r} names no NumPy dtype ({err})") from None
    if dtype.kind == "f":
        return (x if x.dtype == dtype else astype(x, dtype)), None
    if dtype.kind not in "biu":
        raise TypeError(f"{name}: dtype={dtype} is not supported; give a float, integer or bool dtype")
    if x.requires_grad:
        raise TypeError(f"{name}: dtype={dtype} would cut a Tensor that requires grad from the graph (no integer "
                        f"gradients); give a float dtype, or detach() first")
    return None, Tensor._constant(np.asarray(numpy_call(x.data, dtype)))


def _count(x, axis):
    """How many elements a reduction over axis combines."""
    shape = x.shape if isinstance(x, (np.ndarray, Tensor)) else np.shape(as_value(x))
    if axis is None:
        return math.prod(shape)
    return math.prod(shape[a] for a in _normalize_axis(axis, len(shape)))


def _whole_of_0d(x, axis):
    """axis, or None where it is axis 0 or -1 of a 0-d x: all of it, as torch.mean(x, dim=0) and torch.var take it
    (for PyTorch's dim=; NumPy's mean and var refuse axis=0 of a 0-d array, its sum takes it)."""
    if axis is None or np.ndim(x) != 0:
        return axis
    try:
        normalize_axis_tuple(axis, 1)
    except (np.exceptions.AxisError, TypeError, ValueError):
        return axis  # (refused, named, by _named_count)
    return None


def _named_count(name, x, axis):
    """_count for the public functions, a bad axis named by the operation and the input's shape."""
    try:
        if isinstance(axis, (list, bool, np.bool_)):  # NumPy's reductions refuse them; _count would take them
            raise TypeError(f"a {type(axis).__name__} is no axis")
        return _count(x, axis)
    except np.exceptions.AxisError as err:
        shape = np.shape(as_value(x))
        raise np.exceptions.AxisError(f"{name}: {err} (input shape {shape}, axis={axis}); "
                                      f"valid axes are None or in [{-len(shape)}, {len(shape)})") from None
    except (TypeError, ValueError) as err:  # axis="x", 1.0, (0, 0)
        shape = np.shape(as_value(x))
        raise type(err)(f"{name}: invalid axis={axis!r} for input shape {shape} ({err}); give None, an int or a "
                        f"tuple of distinct ints in [{-len(shape)}, {len(shape)})") from None


def _check_keepdims(name, keepdims):
    """keepdims a bool or an int (0, 1), as NumPy's reductions take it; None or text is refused as there."""
    if not isinstance(keepdims, (bool, int, np.bool_, np.integer)):
        raise TypeError(f"{name}: keepdims must be True or False, got {keepdims!r}")


def running_of_scalar(running, name, x, dtype, out):
    """running(x) (cumsum, cumprod) with PyTorch's dim= for a 0-d x: 0-d, as torch's (NumPy's is 1-D), into out (as
    sum's out=) when given."""
    if out is not None:
        return _into(out, running(x, dim=0, dtype=out.dtype if dtype is None else dtype), name, dtype)
    return running(x, 0, dtype=dtype).reshape(())


def _into(out, result, name, dtype=None, exact=False):
    """PyTorch's out= of a reduction: result itself for None, else written into out, which is returned (see
    torch_functions._written_into: an empty out is resized, a dtype= other than out's refused). exact: out must
    have the result's dtype, as PyTorch's max, min, amax and amin ask (sum and the others cast)."""
    if out is None:
        return result
    from ..torch_functions import _written_into, OutDtypeError  # (torch_functions imports the ops)
    if exact and isinstance(out, Tensor) and out.dtype != result.dtype:
        raise OutDtypeError(f"{name}: out= has dtype {out.dtype}, the result {result.dtype}; give an out of the "
                            f"result's dtype (Expected out tensor to have dtype {result.dtype}, as PyTorch's)")
    return _written_into(out, result, name, dtype)


def _sum_vjp(g, ans, x, axis=None, keepdims=False):
    # Spread g back over the summed axes: a copy into np.empty, a C loop (np.broadcast_to is a Python wrapper
    # costing more on small arrays; adding g to np.zeros was up to 30x slower at 1e6 elements for a (n, 1) g).
    # A Tensor g (create_graph) is added to zeros instead, which records the broadcast.
    g = _restore(g, x, axis, keepdims)
    if isinstance(g, Tensor):
        return g + np.zeros(x.shape, x.dtype)
    spread = np.empty(x.shape, x.dtype)
    spread[...] = g
    return spread


# add_reduce: np.add.reduce (what np.sum runs, without np.sum's Python wrapper: microseconds on small arrays), as
# accurate over a long leading axis as over the last.
_sum = Primitive("sum", lambda x, axis=None, keepdims=False: add_reduce(x, axis=axis, keepdims=keepdims), (_sum_vjp,),
                 reads_values=False)


def _mean(x, axis=None, keepdims=False):
    dtype = getattr(x, "dtype", None)
    if dtype is not None and (dtype.kind in "biu" or dtype == np.float16):  # summed in float64 (an int64 sum can
        # wrap) and float16 in float32 (a sum or a count over 65,504 is inf there), as NumPy and PyTorch do
        total = add_reduce(x, axis=axis, keepdims=keepdims, dtype=np.float32 if dtype == np.float16 else np.float64)
        mean = total / _count(x, axis)
        return mean.astype(dtype) if dtype == np.float16 else mean
    return add_reduce(x, axis=axis, keepdims=keepdims) / _count(x, axis)


def _mean_vjp(g, ans, x, axis=None, keepdims=False):
    # Over zero elements x itself is empty, and so is its gradient whatever the scale: max(count, 1)
    # only keeps the division from warning. float16 divides in float32 and rounds once, as PyTorch: a count over
    # 65,504 is inf in float16, and 1/count past 16,384 is subnormal there (a product with it is off by ulps).
    count = _builtin_max(_count(x, axis), 1)
    scaled = (g.astype(np.float32) / count).astype(np.float16) if g.dtype == np.float16 else g / count
    return _sum_vjp(scaled, ans, x, axis, keepdims)


_mean_primitive = Primitive("mean", _mean, (_mean_vjp,), reads_values=False)


def _exclusive_products(x):
    """Each entry's product of the entries before it along the last axis ([1, x0, x0 x1, ...]), without a division,
    so zeros are exact. An array: np.cumprod. A Tensor (a create_graph pass): a Hillis-Steele scan, log2(n) steps of
    slices, multiply and concatenate, so that the product is recorded and differentiable again, zeros and all."""
    before = np.concatenate([np.ones_like(x[..., :1]), x[..., :-1]], axis=-1)
    if not isinstance(before, Tensor):
        return np.cumprod(before, axis=-1)
    shift = 1
    while shift < before.shape[-1]:
        before = np.concatenate([before[..., :shift], before[..., shift:] * before[..., :-shift]], axis=-1)
        shift *= 2
    return before


def _product_of_others(x, axis):
    """For each entry of x, the product of the other entries of its slice along axis (every axis for None): the
    derivative of the slice's product by that entry, exact where the slice holds zeros (not prod / x). The reduced
    axes are moved last and joined into one, whose prefix and suffix products multiply."""
    axes = _normalize_axis(axis if x.ndim else None, x.ndim)  # (NumPy reduces a 0-d x over axis 0 or -1 too)
    kept = tuple(a for a in range(x.ndim) if a not in axes)
    order = kept + axes
    moved = x.transpose(order) if order != tuple(range(x.ndim)) else x
    length = math.prod(x.shape[a] for a in axes)  # (not -1, which NumPy cannot work out beside an axis of size 0)
    if not length or not x.size:  # an empty slice, or no slice: x has no entry to differentiate
        return np.zeros_like(x)
    rows = moved.reshape(tuple(x.shape[a] for a in kept) + (length,))
    others = _exclusive_products(rows) * np.flip(_exclusive_products(np.flip(rows, -1)), -1)
    others = others.reshape(moved.shape)
    return others.transpose(tuple(np.argsort(order))) if order != tuple(range(x.ndim)) else others


def _prod_vjp(g, ans, x, axis=None, keepdims=False):
    # d prod / d x_i is the product of the others in x_i's slice, found without dividing by x_i: one zero in the
    # slice gives the product of the rest at the zero's place and 0 elsewhere, two or more 0 everywhere, as
    # PyTorch's prod_backward. Recorded on Tensors, so second derivatives (nonzero across two zeros) are exact too.
    return _restore(g, x, axis, keepdims) * _product_of_others(x, axis)


_prod = Primitive("prod", lambda x, axis=None, keepdims=False: np.prod(x, axis=axis, keepdims=keepdims),
                  (_prod_vjp,), "axis must be None, an int or a tuple of distinct ints in [-ndim, ndim)",
                  reads_values=((0,),))


def _extremum_vjp(g, ans, x, axis=None, keepdims=False):
    # Ties share the gradient equally among the entries that attain the extremum. A NaN entry
    # makes the result NaN and is the one that attains it (x != x only there), as torch.max(x) (torch.amax's
    # gradient is NaN everywhere then).
    winners = x == _restore(ans, x, axis, keepdims)
    if (ans != ans).any():  # (two more passes over x, only then)
        winners = winners | (x != x)
    # The count in x's float type (float32 at least: float16 counts exactly only to 2048), not int64, whose
    # quotient would make the full-size product float64.
    count = np.sum(winners, axis=axis, keepdims=True, dtype=np.promote_types(x.dtype, np.float32))
    return (_restore(g, x, axis, keepdims) / count) * winners  # the division on the reduced shape


# A max or min over a zero-length axis has no value: NumPy's ValueError, named by describe_error.
_EXTREMUM_HINT = ("axis must be None, an int or a tuple of ints, and the reduced axes must not be empty (a max or "
                  "min of no elements has no value)")
_max = Primitive("max", np.max, (_extremum_vjp,), _EXTREMUM_HINT, reads_values=((0, "ans"),))
_min = Primitive("min", np.min, (_extremum_vjp,), _EXTREMUM_HINT, reads_values=((0, "ans"),))


def _shifted(x, axis, plus_inf_to_zero=True):  # (losses._log_softmax_inline copies it with _log_sum_exp_shifted)
    """(x - shift, shift) with shift the max along axis, so exp never overflows; an all -inf slice, or an empty one,
    keeps shift 0, and so does a slice holding +inf unless plus_inf_to_zero is False (softmax, log_softmax: as
    PyTorch, its values are then NaN, not a finite -inf beside the NaN of inf - inf; and so are an all -inf slice's,
    0 / 0 or -inf - -inf there): then a shift that is not finite is NaN, which makes the slice NaN without NumPy's
    warnings."""
    if (x.dtype if type(x) is np.ndarray else np.result_type(x)).kind != "f":  # integers and bools in the float
        x = np.asarray(x)  # type np.exp would give them
        x = x.astype(np.result_type(x.dtype, np.float16))
    shift = np.maximum.reduce(x, axis=axis, keepdims=True, initial=-np.inf)
    finite = np.isfinite(shift)
    # A count first, as np.where costs more (and a ufunc's reduction twice the count). (Not a sum of the shifts:
    # large finite ones, common in float16, overflow it with a RuntimeWarning.)
    if np.count_nonzero(finite) != finite.size:
        shift = np.where(finite, shift, 0 if plus_inf_to_zero else np.nan)
    return x - shift, shift


def _log_sum_exp_shifted(shifted, axis):
    # float16 sums in float32, as PyTorch accumulates: 70,000 terms of 1 would overflow float16's 65,504.
    # (float32 and wider in their own, NumPy's default: np.promote_types with float32 said as much, at a cost)
    wide = np.float32 if shifted.dtype.itemsize == 2 else None
    total = add_reduce(np.exp(shifted), axis=axis, keepdims=True, dtype=wide)
    if not shifted.size:  # an empty slice sums to 0, and log 0 = -inf (as torch), here without NumPy's warning
        return np.full(total.shape, -np.inf, shifted.dtype)
    log_total = np.log(total)
    return log_total if wide is None else log_total.astype(shifted.dtype)  # (float16's back from float32)


def _logsumexp(x, axis=None, keepdims=False):
    shifted, shift = _shifted(x, axis)
    # A slice of -inf alone sums to 0: its log is -inf, as PyTorch's, without NumPy's warning (log_softmax, on the
    # hot path, calls _log_sum_exp_shifted itself; logsumexp pays for errstate)
    with np.errstate(divide="ignore"):
        out = _log_sum_exp_shifted(shifted, axis) + shift
    return out if keepdims else out.squeeze(axis=axis)


def _logsumexp_vjp(g, ans, x, axis=None, keepdims=False):
    # exp(x - ans) is -inf - -inf = NaN for a slice of -inf alone, as PyTorch's gradient, without NumPy's warning
    with np.errstate(invalid="ignore"):
        return _restore(g, x, axis, keepdims) * np.exp(x - _restore(ans, x, axis, keepdims))


_logsumexp_primitive = Primitive("logsumexp", _logsumexp, (_logsumexp_vjp,), reads_values=((0, "ans"),))


def _cumsum_vjp(g, ans, x, axis=None):
    # x_i is in every running sum from i on, so its gradient is the sum of g from i to the end: g's cumsum taken from
    # the end (flip, cumsum, flip; traced, so that create_graph records it). axis=None summed x flattened.
    along = 0 if axis is None else axis
    total = _flip.traced(_cumsum.traced(_flip.traced(g, axis=along), axis=along), axis=along)
    return total if total.shape == x.shape else total.reshape(x.shape)


_cumsum = Primitive("cumsum", lambda x, axis=None: np.cumsum(x, axis=axis), (_cumsum_vjp,),
                    "axis must be None (x flattened) or one int in [-ndim, ndim)", reads_values=False)


def _logcumsumexp_forward(x, axis):
    # np.logaddexp.accumulate: each step log(e**a + e**b) taken stably, so no running sum overflows
    with np.errstate(invalid="ignore"):  # (-inf + inf inside logaddexp for a run of -inf: its result is -inf)
        return np.logaddexp.accumulate(x, axis=axis)


def _logcumsumexp_vjp(g, ans, x, axis):
    # d ans_i / d x_j = exp(x_j - ans_i) for j <= i, each at most 1; the sum over i >= j is taken in log space, g's
    # positive and negative parts apart (as PyTorch's logcumsumexp_backward), so nothing overflows. Traced, so that
    # create_graph records it; log of 1 where g is 0 keeps that entry's gradient finite (the where picks `lowest`).
    lowest = np.finfo(np.result_type(g)).min
    g_value = as_value(g)  # (g's own derivative is _logcumsumexp_linear_in_g's)
    log_magnitude = np.log(np.where(g_value != 0, np.abs(g_value), 1))

    def from_end(v):
        return _flip.traced(_logcumsumexp.traced(_flip.traced(v, axis=axis), axis=axis), axis=axis)

    # (a second derivative adds `lowest` to `lowest`: -inf, whose exp is the 0 wanted, without NumPy's warning; a
    # leading -inf meets -inf - -inf, NaN as PyTorch's gradient there, without NumPy's warning)
    with np.errstate(over="ignore", invalid="ignore"):
        positive = from_end(np.where(g_value > 0, log_magnitude, lowest) - ans)
        negative = from_end(np.where(g_value < 0, log_magnitude, lowest) - ans)
        gradient = np.exp(positive + x) - np.exp(negative + x)
    if isinstance(g, Tensor):  # create_graph: record the dependence on g too (see _logcumsumexp_linear_in_g)
        gradient = gradient + _logcumsumexp_linear_in_g(g, as_value(ans), as_value(x), axis)
    return gradient


def _logcumsumexp_linear_in_g(g, ans, x, axis):
    # The gradient is linear in g, sum over i >= j of g_i exp(x_j - ans_i), but the log-space sums above take g
    # through log|g| and its sign, constant where g is 0: ag.jvp's double-vjp trick differentiates this vjp at a zero
    # g, where that gave zero tangents. This term is that sum taken directly, minus its own value: 0 in value,
    # the exact derivative in g (x and ans held constant here; their derivatives come from the log-space sums, which
    # hold g constant). Each weight exp(x_j - ans_i) is at most 1 (ans_i >= x_j, ans rising along the axis). The axis
    # is cut into chunks of `size`, each (size, size) block of weights at most _CHUNK_WEIGHTS entries over the other
    # axes: within a chunk the sum is the block's; the rest, sum over the later chunks, is exp(x_j - a) times
    # carry = sum of g_i exp(a - ans_i), with a the chunk's last (largest) ans, every factor at most 1, and carry
    # taken from the end chunk by chunk (the next chunk's carry times exp(a - its a), plus that chunk's own terms).
    # Exact however far the values span (a single shift over the whole axis underflowed past a span of ~700).
    g_value = as_value(g)
    n = x.shape[axis]
    if n == 0:
        return g - g_value
    x_last, ans_last = np.moveaxis(x, axis, -1), np.moveaxis(ans, axis, -1)
    g_traced = g.movedim(axis, -1)
    size = _builtin_max(1, _builtin_min(n, math.isqrt(_CHUNK_WEIGHTS // _builtin_max(x.size // n, 1))))
    starts = range(0, n, size)
    later = np.triu(np.ones((size, size), dtype=bool))  # (i >= j, with j the row)
    traced = [None] * len(starts)
    carry_traced = None
    with np.errstate(over="ignore", invalid="ignore"):
        for k in reversed(range(len(starts))):
            s = starts[k]
            e = _builtin_min(s + size, n)
            x_k, ans_k = x_last[..., s:e], ans_last[..., s:e]
            # (weight 0 where ans_i is -inf, every x_j before it -inf: a tangent 0 there, as PyTorch's, not NaN;
            # unless the slice ends at -inf or NaN, all -inf or holding a NaN, where PyTorch's are NaN: kept)
            within = later[:e - s, :e - s] & ((ans_k[..., None, :] != -np.inf) | ~(ans_last[..., -1:, None] > -np.inf))
            weights = np.exp(np.where(within, x_k[..., :, None] - ans_k[..., None, :], -np.inf))
            traced[k] = (Tensor(weights) @ g_traced[..., s:e].unsqueeze(-1)).squeeze(-1)
            a = ans_k[..., -1:]
            a = np.where(np.isfinite(a), a, 0.0)
            if k + 1 < len(starts):  # the later chunks' terms, carry_* from chunk k + 1
                outer = np.exp(x_k - a)
                traced[k] = traced[k] + carry_traced * outer
            if k:  # the carry of chunk k - 1: this chunk's terms and the later ones', seen from its a
                a_before = ans_last[..., s - 1:s]
                a_before = np.where(np.isfinite(a_before), a_before, 0.0)
                inner = np.exp(np.minimum(a_before - ans_k, 0.0))
                own_traced = (g_traced[..., s:e] * inner).sum(axis=-1, keepdims=True)
                if k + 1 < len(starts):
                    step = np.exp(np.minimum(a_before - a, 0.0))
                    own_traced = own_traced + carry_traced * step
                carry_traced = own_traced
    term = (traced[0] if len(traced) == 1 else concatenate(traced, axis=-1)).movedim(-1, axis)
    return term - as_value(term)  # (its own value subtracted as a constant: exactly 0, the derivative in g kept)


_logcumsumexp = Primitive("logcumsumexp", _logcumsumexp_forward, (_logcumsumexp_vjp,),
                          "axis must be one int in [-ndim, ndim)", reads_values=((0, "ans"),))


def logcumsumexp(input, dim):  # noqa: A002 (PyTorch's names)
    """log(cumsum(exp(x))) along dim, as torch.logcumsumexp (also t.logcumsumexp(dim)): stable for large inputs,
    the gradient too (summed in log space, as PyTorch's); of x's shape and float dtype.

    >>> import autograd_core as ag
    >>> ag.logcumsumexp(ag.tensor([1000.0, 1000.0]), dim=0)  # doctest: +ELLIPSIS
    Tensor([1000.        , 1000.69314718])
    """
    x = as_operand(input, "logcumsumexp")
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"logcumsumexp: input must be a floating-point Tensor, got dtype {x.dtype}; write t.float() "
                        f"or t.double()")
    rank = _builtin_max(x.ndim, 1)  # (a 0-d Tensor takes dim 0 or -1, as torch's)
    if not is_int(dim) or not -rank <= dim < rank:
        raise IndexError(f"logcumsumexp: dim must be an int in [{-rank}, {rank}) for a Tensor of shape {x.shape}, "
                         f"got {dim!r}")
    if x.ndim == 0:  # (a 0-d Tensor is its own running log-sum-exp, as torch's)
        return _logcumsumexp(x.reshape(1), axis=0).reshape(())
    return _logcumsumexp(x, axis=int(dim) % x.ndim)


Tensor.logcumsumexp = logcumsumexp  # (torch's method, t.logcumsumexp(dim))


def sum(x, axis=None, keepdims=False, *, dtype=None, dim=None, keepdim=None, out=None):
    """Sum over axis (all axes for None); dim and keepdim are PyTorch's names for axis and keepdims. dtype: a float
    dtype to cast to first, or an integer one for NumPy's own sum of a constant (see in_dtype). out: PyTorch's (a
    Tensor the result is written into, in its dtype, and returned; see _into).

    >>> import autograd_core as ag
    >>> ag.sum(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    Tensor([4., 6.])
    >>> ag.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=1, keepdim=True)
    Tensor([[3.],
            [7.]])
    """
    if dim is not None or keepdim is not None or type(axis) is list:  # PyTorch's names, a list of dims (see _arguments)
        axis, keepdims = reduction_from_torch("sum", axis, keepdims, dim, keepdim, ndim=np.ndim(x))
    if out is not None:
        return _into(out, sum(x, axis, keepdims, dtype=out.dtype if dtype is None else dtype), "sum", dtype)
    if dtype is not None:
        x, result = in_dtype("sum", x, dtype, lambda v, d: np.sum(v, axis=axis, dtype=d, keepdims=bool(keepdims)))
        if result is not None:
            return result
    return _sum(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False, *, dtype=None, dim=None, keepdim=None, out=None):
    """Arithmetic mean over axis; over zero elements it is nan (with NumPy's RuntimeWarning), as NumPy. dim and
    keepdim are PyTorch's names for axis and keepdims; dtype and out as sum's.

    >>> import autograd_core as ag
    >>> ag.mean(ag.tensor([1.0, 2.0, 3.0]))
    Tensor(2.)
    """
    if dim is not None or keepdim is not None or type(axis) is list:  # PyTorch's names, a list of dims (see _arguments)
        axis, keepdims = reduction_from_torch("mean", axis, keepdims, dim, keepdim, ndim=np.ndim(x))
        axis = _whole_of_0d(x, axis)
    if out is not None:
        return _into(out, mean(x, axis, keepdims, dtype=dtype), "mean", dtype)
    if dtype is not None:
        x, result = in_dtype("mean", x, dtype, lambda v, d: np.mean(v, axis=axis, dtype=d, keepdims=bool(keepdims)))
        if result is not None:
            return result
    return _mean_primitive(x, axis=axis, keepdims=keepdims)


def prod(x, axis=None, keepdims=False, *, dtype=None, dim=None, keepdim=None, out=None):
    """Product over axis (all axes for None), as np.prod: bools and integers multiply in int64 (uint64 for unsigned
    ones), not differentiable, float32 stays float32. The gradient is the product of the other entries of each
    slice, right where the slice holds zeros. dim and keepdim are PyTorch's names for axis and keepdims;
    dtype and out as sum's.

    >>> import autograd_core as ag
    >>> x = ag.tensor([[2.0, 3.0], [0.0, 4.0]], requires_grad=True)
    >>> ag.prod(x, axis=1)
    Tensor([6., 0.], op=prod)
    >>> x.prod().backward(); x.grad
    Tensor([[ 0.,  0.],
            [24.,  0.]])
    """
    if dim is not None or keepdim is not None or type(axis) is list:  # PyTorch's names, a list of dims (see _arguments)
        axis, keepdims = reduction_from_torch("prod", axis, keepdims, dim, keepdim, ndim=np.ndim(x))
    _check_keepdims("prod", keepdims)
    if out is not None:
        return _into(out, prod(x, axis, keepdims, dtype=out.dtype if dtype is None else dtype), "prod", dtype)
    if dtype is not None:  # (as sum's)
        x, result = in_dtype("prod", x, dtype, lambda v, d: np.prod(v, axis=axis, dtype=d, keepdims=bool(keepdims)))
        if result is not None:
            return result
    return _prod(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):
    """Maximum over axis (torch.amax); ties split the gradient equally. PyTorch's dim= and keepdim= are refused
    with a TypeError: torch.max(x, dim=...) returns (values, indices); argmax gives the indices. A Tensor or array
    in place of axis that cannot be one (not a single integer) is PyTorch's max(input, other): ag.maximum. out as
    sum's.

    >>> import autograd_core as ag
    >>> ag.max(ag.tensor([1.0, 5.0, 3.0]))
    Tensor(5.)
    >>> ag.max(ag.tensor([-1.0, 2.0]), ag.zeros(2))
    Tensor([0., 2.])
    """
    return _into(out, _extremum("max", _max, x, axis, keepdims, dim, keepdim), "max", exact=True)


def min(x, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):
    """Minimum over axis (torch.amin); ties split the gradient equally. PyTorch's dim= and keepdim= are refused
    with a TypeError: torch.min(x, dim=...) returns (values, indices); argmin gives the indices. A Tensor or array
    in place of axis that cannot be one (not a single integer) is PyTorch's min(input, other): ag.minimum. out as
    sum's.

    >>> import autograd_core as ag
    >>> ag.min(ag.tensor([1.0, 5.0, 3.0]))
    Tensor(1.)
    """
    return _into(out, _extremum("min", _min, x, axis, keepdims, dim, keepdim), "min", exact=True)


def _is_other_operand(axis):
    """Whether max's or min's axis argument is PyTorch's `other` (torch.max(input, other), elementwise): a Tensor
    or array that is no axis, being of a non-integer dtype or of more than one element."""
    return isinstance(axis, (Tensor, np.ndarray)) and (axis.dtype.kind not in "iu" or axis.size != 1)


class EmptyReductionError(ValueError, IndexError, RuntimeError):
    """A max, min, argmax or argmin over no elements: NumPy's ValueError, and the IndexError PyTorch raises (its
    RuntimeError for the whole of an empty input, and for aminmax)."""


def _check_not_empty(name, x, axis):
    """Raise EmptyReductionError, in PyTorch's words, when a reduction over axis of x would combine no elements."""
    shape = np.shape(as_value(x))
    if 0 not in shape:
        return
    if axis is None:
        raise EmptyReductionError(f"{name}: Expected reduction dim to be specified for input.numel() == 0 (input "
                                  f"shape {shape}); the input is empty, and a {name} of no elements has no value")
    try:
        empty = [a for a in _normalize_axis(axis, len(shape)) if shape[a] == 0]
    except (np.exceptions.AxisError, TypeError, ValueError):
        return  # (the reduction reports a bad axis itself)
    if empty:
        raise EmptyReductionError(f"{name}: Expected reduction dim {empty[0]} to have non-zero size (input shape "
                                  f"{shape}); the reduced axis is empty, and a {name} of no elements has no value")


def _extremum(name, reduce, x, axis, keepdims, dim, keepdim):
    """max's or min's call: the reduction, or PyTorch's elementwise max(input, other) (maximum or minimum)."""
    if dim is not None or keepdim is not None:
        raise refuse_torch_extremum(name, dim, keepdim, axis)
    if _is_other_operand(axis):
        if keepdims is not False:
            raise TypeError(f"{name}: keepdims is for a reduction over axes; with a Tensor in place of axis "
                            f"({name}(input, other), PyTorch's elementwise form) there is none: drop keepdims or "
                            f"use ag.{name}imum")
        from . import elementwise  # (elementwise imports this module)
        return getattr(elementwise, name + "imum")(x, axis)
    _check_not_empty(name, x, axis)
    return reduce(x, axis=axis, keepdims=keepdims)


def _degrees_of_freedom(x, axis, ddof):
    """The divisor of var: n - ddof, or 0 (NumPy's) when ddof >= n, making the result inf or nan."""
    return _builtin_max(_count(x, axis) - ddof, 0)


def _var(x, axis=None, keepdims=False, ddof=0):
    centred = x - _mean(x, axis, keepdims=True)
    centred *= centred  # (a fresh array: squared in place)
    return add_reduce(centred, axis=axis, keepdims=keepdims) / _degrees_of_freedom(x, axis, ddof)


def _var_vjp(g, ans, x, axis=None, keepdims=False, ddof=0):
    # g * 2 (x - mean) / (n - ddof), the mean traced so that create_graph records it. The scale goes on the reduced
    # g first, so one full-size product remains. A divisor of 0 gives +-inf, and NaN where x is its mean, as
    # torch.var's over an axis (torch.var over all elements gives +inf there, whatever the sign).
    scale = _restore(g, x, axis, keepdims) * 2 / _degrees_of_freedom(x, axis, ddof)
    return scale * (x - _mean_primitive.traced(x, axis=axis, keepdims=True))


# One primitive rather than mean, subtract, square, sum and divide: their backward did about three times the work.
_var_primitive = Primitive("var", _var, (_var_vjp,), reads_values=((0,),))


def var(x, axis=None, keepdims=False, ddof=0, *, dim=None, keepdim=None, unbiased=None, correction=None, out=None):
    """Variance over axis with NumPy's ddof (0: population variance). With ddof >= the number of
    elements the divisor is 0, so the result is inf or nan (with a RuntimeWarning), as NumPy. PyTorch's correction=
    (ddof) and unbiased= (True: correction=1) are taken, and with one of them its dim= and keepdim=; dim= or keepdim=
    alone is refused with a TypeError, since torch.var's default is ddof=1 (correction=1), NumPy's 0. out as sum's.

    >>> import autograd_core as ag
    >>> ag.var(ag.tensor([1.0, 2.0, 3.0, 4.0]))
    Tensor(1.25)
    >>> ag.tensor([[1.0], [2.0], [3.0], [4.0]]).var(0, keepdim=True, unbiased=True)
    Tensor([[1.66666667]])
    """
    if dim is not None or keepdim is not None or unbiased is not None or correction is not None:
        axis, keepdims, ddof = spread_from_torch("var", axis, keepdims, ddof, dim, keepdim, unbiased, correction,
                                                 ndim=np.ndim(x))
        axis = _whole_of_0d(x, axis)
    if out is not None:
        return _into(out, var(x, axis, keepdims, ddof), "var")
    x = as_operand(x, "var")
    count = _named_count("var", x, axis)  # a bad axis is reported as var's
    _check_keepdims("var", keepdims)
    if isinstance(ddof, (bool, np.bool_)) or not isinstance(ddof, (int, float, np.integer, np.floating)):
        raise TypeError(f"var: ddof must be a number (0: the population variance, 1: the sample's), got {ddof!r}")
    if isinstance(ddof, np.generic):  # a Python number, which keeps x's float type: np.float64(1) made float32 float64
        ddof = ddof.item()
    if x.dtype == np.float16:  # in float32, as NumPy and PyTorch: float16 holds counts and sums up to 65,504 only
        return astype(var(astype(x, np.float32), axis, keepdims, ddof), np.float16)
    if count - ddof <= 0:  # (NumPy's warning and PyTorch's words, not only the division's "divide by zero")
        warnings.warn(f"Degrees of freedom <= 0 for slice: degrees of freedom is <= 0 ({count} elements per slice, "
                      f"ddof/correction {ddof}), so the variance is inf or nan", RuntimeWarning, stacklevel=2)
    return _var_primitive(x, axis=axis, keepdims=bool(keepdims), ddof=ddof)


def std(x, axis=None, keepdims=False, ddof=0, *, dim=None, keepdim=None, unbiased=None, correction=None, out=None):
    """Standard deviation over axis, sqrt(var(x, axis, keepdims, ddof)), with NumPy's default ddof=0
    (torch.std's default is the sample deviation, ddof=1; PyTorch's dim= and keepdim= are taken only with its
    correction= or unbiased=, as var's). out as sum's.

    >>> import autograd_core as ag
    >>> ag.std(ag.tensor([1.0, 3.0]))
    Tensor(1.)
    >>> ag.std(ag.tensor([1.0, 3.0]), unbiased=True)
    Tensor(1.41421356)
    """
    if dim is not None or keepdim is not None or unbiased is not None or correction is not None:
        axis, keepdims, ddof = spread_from_torch("std", axis, keepdims, ddof, dim, keepdim, unbiased, correction,
                                                 ndim=np.ndim(x))
        axis = _whole_of_0d(x, axis)
    x = as_operand(x, "std")
    _named_count("std", x, axis)  # a bad axis is reported as std's
    return _into(out, _std_sqrt(var(x, axis=axis, keepdims=keepdims, ddof=ddof)), "std")


def _std_sqrt_vjp(g, ans, x):
    # A slice without spread (std 0) gets gradient 0, as PyTorch's std_backward masks it, not sqrt's 0 * inf =
    # NaN. The inner where keeps the division finite there, so the second derivative is 0 too.
    zero = ans == 0
    return np.where(zero, 0, g / (2 * np.where(zero, 1, ans)))


_std_sqrt = Primitive("sqrt", np.sqrt, (_std_sqrt_vjp,), reads_values=(("ans",),))


def logsumexp(x, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):
    """log(sum(exp(x))) over axis, stable for large inputs; dim and keepdim are PyTorch's names for axis and keepdims,
    out as sum's.

    >>> import autograd_core as ag
    >>> float(ag.logsumexp(ag.tensor([1000.0, 1000.0])))  # doctest: +ELLIPSIS
    1000.693...
    """
    if dim is not None or keepdim is not None or type(axis) is list:  # PyTorch's names, a list of dims (see _arguments)
        axis, keepdims = reduction_from_torch("logsumexp", axis, keepdims, dim, keepdim, ndim=np.ndim(x))
    _check_keepdims("logsumexp", keepdims)  # its forward tests the truth of keepdims: "no" would keep the axes
    return _into(out, _logsumexp_primitive(x, axis=axis, keepdims=keepdims), "logsumexp")


def cumsum(x, axis=None, *, dtype=None, dim=None, out=None):
    """Running sums along axis (of x flattened for None), as np.cumsum: of the same shape, float32 stays float32 (bools
    and integers sum in int64, as NumPy's); dim is PyTorch's name for axis; dtype and out as sum's.

    >>> import autograd_core as ag
    >>> ag.cumsum(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    Tensor([[1., 3.],
            [3., 7.]])
    >>> ag.cumsum(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([ 1.,  3.,  6., 10.])
    """
    if dim is not None:  # PyTorch's name (see _arguments)
        axis = axis_from_dim("cumsum", axis, dim)
        if np.ndim(as_value(x)) == 0 and scalar_dims(axis):
            return running_of_scalar(cumsum, "cumsum", x, dtype, out)
    if out is not None:
        return _into(out, cumsum(x, axis, dtype=out.dtype if dtype is None else dtype), "cumsum", dtype)
    if dtype is not None:  # (as sum's)
        x, result = in_dtype("cumsum", x, dtype, lambda v, d: np.cumsum(v, axis=axis, dtype=d))
        if result is not None:
            return result
    return _cumsum(x, axis=axis)


def argmax(x, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """Index of the maximum (not differentiable): an int64 Tensor; dim and keepdim are PyTorch's names for axis and
    keepdims.

    >>> import autograd_core as ag
    >>> ag.argmax(ag.tensor([[1.0, 3.0], [4.0, 2.0]]), axis=1)
    Tensor([1, 0])
    """
    return _arg_extremum(np.argmax, "argmax", x, axis, keepdims, dim, keepdim)


def argmin(x, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """Index of the minimum (not differentiable): an int64 Tensor; dim and keepdim are PyTorch's names for axis and
    keepdims.

    >>> import autograd_core as ag
    >>> ag.argmin(ag.tensor([[1.0, 3.0], [4.0, 2.0]]), axis=1)
    Tensor([0, 1])
    """
    return _arg_extremum(np.argmin, "argmin", x, axis, keepdims, dim, keepdim)


def _arg_extremum(arg_extremum, name, x, axis, keepdims, dim, keepdim):
    """argmax's or argmin's call: an int64 Tensor, the axis checked (and PyTorch's dim and keepdim taken)."""
    if dim is not None or keepdim is not None:  # PyTorch's names (see _arguments)
        axis, keepdims = reduction_from_torch(name, axis, keepdims, dim, keepdim)
    value = as_value(x)
    _check_not_empty(name, value, axis)
    try:
        return Tensor(arg_extremum(value, axis=axis, keepdims=keepdims))
    except (ValueError, TypeError, np.exceptions.AxisError) as err:  # (TypeError: a tuple axis)
        raise type(err)(f"{name}: {err} (input shape {np.shape(value)}, axis={axis}); "
                        f"axis must be None or one int in [-ndim, ndim), and the reduced axis must not be empty") from None
