"""NumPy called on Tensors: `np.exp(t)`, `np.sum(t)`, `ndarray + t` run the engine's operations.

A NumPy function the engine does not know raises a TypeError instead of silently
returning an ndarray cut from the graph. This is also what lets one gradient rule,
written with NumPy calls, be recorded when it runs on Tensors (create_graph=True).
"""
import functools
import inspect
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from . import ops
from ._arguments import without_torch_names
from .grad_mode import GRAD_MODE
from .ops import linalg, spacing
from .ops.padding import _INDEX_MODES, _constant_values_refused
from .tensor import Tensor, as_value


def _power(x, y):
    """np.power: ops.power (the ** operator), except for a bool base to a constant exponent, which NumPy's **
    squares into int8 where np.power gives int64: a constant, as np.power computes it."""
    if np.result_type(as_value(x)) == np.bool_ and not (isinstance(y, Tensor) and y.requires_grad):
        return Tensor._constant(np.asarray(np.power(as_value(x), as_value(y))))
    return ops.power(x, y)


UFUNCS = {
    np.add: ops.add, np.subtract: ops.subtract, np.multiply: ops.multiply, np.true_divide: ops.divide,
    np.power: _power, np.matmul: ops.matmul, np.negative: ops.negative, np.absolute: ops.abs,
    np.exp: ops.exp, np.expm1: ops.expm1, np.log: ops.log, np.log1p: ops.log1p, np.sqrt: ops.sqrt, np.sin: ops.sin,
    np.cos: ops.cos, np.tanh: ops.tanh, np.maximum: ops.maximum, np.minimum: ops.minimum,
    np.square: ops.square, np.positive: operator.pos,  # (+t: the Tensor itself; a bool one refused)
    np.tan: ops.tan, np.arcsin: ops.arcsin, np.arccos: ops.arccos, np.arctan: ops.arctan, np.arctan2: ops.arctan2,
    np.hypot: ops.hypot, np.sinh: ops.sinh, np.cosh: ops.cosh, np.arcsinh: ops.arcsinh, np.arccosh: ops.arccosh,
    np.arctanh: ops.arctanh, np.log2: ops.log2, np.log10: ops.log10, np.exp2: ops.exp2, np.reciprocal: ops.reciprocal,
    np.less: ops.less, np.less_equal: ops.less_equal, np.greater: ops.greater,
    np.greater_equal: ops.greater_equal, np.equal: ops.equal, np.not_equal: ops.not_equal,
    np.logical_and: ops.logical_and, np.logical_or: ops.logical_or, np.logical_not: ops.logical_not,
    np.logical_xor: ops.logical_xor,
    np.bitwise_and: ops.bitwise_and, np.bitwise_or: ops.bitwise_or, np.bitwise_xor: ops.bitwise_xor,
    np.invert: ops.invert, np.floor_divide: ops.floor_divide, np.remainder: ops.remainder, np.fmod: ops.fmod,
    np.divmod: lambda x, y: (ops.floor_divide(x, y), ops.remainder(x, y)),
    np.sign: ops.sign, np.isfinite: ops.isfinite, np.isnan: ops.isnan, np.isinf: ops.isinf,
    np.signbit: ops.signbit, np.frexp: ops.frexp,
    # NumPy's other ufuncs (ops/elementwise_extra.py, ops/rounding.py)
    np.logaddexp: ops.logaddexp, np.logaddexp2: ops.logaddexp2, np.cbrt: ops.cbrt,
    np.fmax: ops.fmax, np.fmin: ops.fmin, np.floor: ops.floor, np.ceil: ops.ceil, np.trunc: ops.trunc,
    np.rint: ops.rint, np.fabs: ops.fabs, np.deg2rad: ops.deg2rad, np.rad2deg: ops.rad2deg,
    np.heaviside: ops.heaviside, np.copysign: ops.copysign, np.radians: ops.deg2rad, np.degrees: ops.rad2deg,
    # NumPy's generalized ufuncs of vectors (ops/contraction.py, ops/_linalg_extras.py)
    np.vecdot: linalg.vecdot, np.matvec: ops.matvec, np.vecmat: ops.vecmat,
}


# ufunc.reduce, what ndarray.sum/max/min run: gradient rules call it directly to skip those
# methods' Python wrappers. (np.add.reduce's default axis is 0, not None.)
REDUCTIONS = {np.add: ops.sum, np.multiply: ops.prod, np.maximum: ops.max, np.minimum: ops.min}


def _values(func):
    """A NumPy function whose result is a plain value (shape, bool...), applied to the Tensors' values (other
    arguments, such as np.result_type's dtypes, as they are)."""
    return lambda *args, **kwargs: func(*(a._data if isinstance(a, Tensor) else a for a in args), **kwargs)


def _einsum(subscripts, *operands, out=None, optimize=False, **options):
    """np.einsum: optimize= is accepted and changes nothing (the engine picks its own order); out=, dtype=, order= and
    casting= are refused unless at their defaults."""
    if not isinstance(subscripts, str):  # (checked before the operands, which the interleaved form mixes with lists)
        raise TypeError("np.einsum on Tensors: the interleaved form np.einsum(a, [0, 1], b, [1, 2]) is not "
                        "supported; give the subscripts as a string, np.einsum('ij,jk->ik', a, b)")
    given = {name: value for name, value in options.items()
             if not (value is None or name == "order" and value == "K" or name == "casting" and value == "safe")}
    if out is not None or given:
        extra = ", ".join(f"{name}=" for name in (["out"] if out is not None else []) + list(given))
        raise TypeError(f"np.einsum on Tensors: {extra} not supported; use the Tensor it returns (cast with .astype)")
    return ops.einsum(subscripts, *operands)


def _pad(array, pad_width, mode="constant", **kwargs):
    """np.pad: mode='constant' with constant_values=, or a mode that copies entries ('edge', 'reflect', 'symmetric',
    'wrap'; reflect_type='even' only, NumPy's default: 'odd' computes new values)."""
    if mode in ("reflect", "symmetric") and kwargs.get("reflect_type", "even") == "even":
        kwargs.pop("reflect_type", None)
    if mode in _INDEX_MODES and "constant_values" in kwargs:  # (NumPy refuses it there, 0 too; ag.pad, whose
        # default is 0, can refuse only another value)
        raise _constant_values_refused(kwargs["constant_values"], mode)
    unknown = set(kwargs) - {"constant_values"}
    if unknown:
        raise TypeError(f"np.pad on Tensors: {', '.join(f'{name}={kwargs[name]!r}' for name in sorted(unknown))} not "
                        f"supported with mode={mode!r}; only constant_values= (mode='constant') and "
                        f"reflect_type='even' (mode='reflect' or 'symmetric')")
    return ops.pad(array, pad_width, mode, **kwargs)


def _sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    """np.lib.stride_tricks.sliding_window_view: ops.sliding_windows over the axes named (all, in order, for None),
    moved last and back: each named axis holds its count of windows where it was, the windows' axes come last in the
    order named. Each axis may be named once; the view is read-only (writeable=True refused)."""
    if writeable:
        raise TypeError("np.lib.stride_tricks.sliding_window_view on Tensors: writeable=True not supported; the "
                        "windows are a read-only view")
    ndim = np.ndim(as_value(x))
    window_shape = tuple(window_shape) if np.iterable(window_shape) else (window_shape,)
    try:
        axes = [normalize_axis_index(a, ndim) for a in (range(ndim) if axis is None else np.atleast_1d(axis))]
    except (np.exceptions.AxisError, TypeError):
        raise np.exceptions.AxisError(f"sliding_window_view: axis {axis!r} is out of range for {ndim} dimensions; "
                                      f"each must be an int in [{-ndim}, {ndim})") from None
    if len(set(axes)) != len(axes) or len(axes) != len(window_shape):
        raise ValueError(f"sliding_window_view on Tensors: window_shape {window_shape} and axis {axis!r} must name "
                         f"each axis once, one window size per axis")
    others = [d for d in range(ndim) if d not in axes]
    windows = ops.sliding_windows(ops.transpose(x, others + axes), window_shape)  # others, counts, window
    back = [others.index(d) if d in others else len(others) + axes.index(d) for d in range(ndim)]
    return ops.transpose(windows, back + list(range(ndim, ndim + len(axes))))


def _as_numpy_calls(func, op):
    """op taking func's arguments as NumPy binds them: np.std(t, 0, None) passes dtype=None, not keepdims. An
    argument op lacks (dtype, out, initial, where...) is accepted only at its default."""
    # (supported without PyTorch's dim/keepdim: NumPy's own dispatcher refuses them before the engine is called)
    numpy_signature, supported = inspect.signature(func), without_torch_names(inspect.signature(op))
    accepted = frozenset(supported.parameters)

    def call(a, *args, **kwargs):
        if len(args) <= 1 and accepted.issuperset(kwargs):  # (t), (t, axis), keywords of op's: as they are
            return op(a, *args, **kwargs)
        try:
            arguments = numpy_signature.bind(a, *args, **kwargs).arguments
        except TypeError as err:
            raise TypeError(f"np.{func.__name__} on Tensors: {err}") from None
        options = {}
        for name, value in list(arguments.items())[1:]:  # after the array itself
            if value is np._NoValue or (name == "where" and value is True):  # NumPy's own defaults
                continue
            if name == "dtype" and value is not None and name not in accepted:  # NumPy computes in dtype: cast
            # first (sum, mean, prod, cumsum and trace take dtype= themselves, with the same meaning)
                if _integer_result(value) and not (isinstance(a, Tensor) and a.requires_grad) and \
                        arguments.get("out") is None:  # a constant in NumPy's integer arithmetic (np.mean(t,
                    # dtype=int) truncates, np.sum(t, dtype=np.int8) wraps): NumPy's own result, where the cast
                    # first then the engine's reduction (in float64, or int64) gave another value or dtype
                    return _numpy_constant(func, a, args, kwargs)
                a = _in_dtype(func, a, value)
                continue
            if name in supported.parameters:
                options[name] = value
            elif value is not None:
                raise TypeError(f"np.{func.__name__} on Tensors: {name}={value!r} is not supported; the "
                                f"arguments it supports are {supported}")
        return op(a, **options)

    return call


def _integer_result(dtype):
    try:
        return np.dtype(dtype).kind in "biu"
    except TypeError:
        return False  # (refused by _in_dtype, by name)


def _numpy_constant(func, a, args, kwargs):
    """func run by NumPy on the values of a and its arguments: a constant."""
    plain = [a, *args]
    return Tensor._constant(np.asarray(func(*(v._data if isinstance(v, Tensor) else v for v in plain),
                                            **{k: v._data if isinstance(v, Tensor) else v for k, v in kwargs.items()})))


def _in_dtype(func, a, dtype):
    try:
        dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"np.{func.__name__} on Tensors: dtype={dtype!r}: {err}") from None
    if dtype == (a.dtype if isinstance(a, Tensor) else np.asarray(as_value(a)).dtype):
        return a
    if dtype.kind != "f":
        raise TypeError(f"np.{func.__name__} on Tensors: dtype={dtype} is not supported; give a float dtype (the "
                        f"input is cast to it first, differentiably) or none")
    return ops.astype(a, dtype)


def _where(condition, *x_y):
    """np.where(condition, x, y), or with the condition alone the indices where it holds (np.nonzero)."""
    if not x_y:
        return tuple(Tensor._constant(indices) for indices in np.nonzero(as_value(condition)))
    return ops.where(condition, *x_y)


def _broadcast_arrays(*args, subok=False):
    """np.broadcast_arrays: each Tensor broadcast by ops.broadcast_to (its gradient summed back), each other
    argument as NumPy broadcasts it; a tuple, as NumPy 2's. matplotlib's bar() calls it on the heights it is given."""
    shape = np.broadcast_shapes(*(a.shape if isinstance(a, Tensor) else np.shape(a) for a in args))
    return tuple(ops.broadcast_to(a, shape) if isinstance(a, Tensor) else np.broadcast_to(a, shape, subok=subok)
                 for a in args)


def _append(arr, values, axis=None):
    """np.append: both raveled and joined (axis=None), or joined along axis, as NumPy's concatenate does."""
    if axis is None:
        return ops.concatenate([ops.ravel(arr), ops.ravel(values)])
    return ops.concatenate([arr, values], axis=axis)


def _delete(arr, obj, axis=None):
    """np.delete: the entries kept, picked with ops.take; NumPy's np.delete on their positions reads obj (an int, a
    slice, integers or a boolean mask) and checks it."""
    if axis is None:
        arr, axis = ops.ravel(arr), 0
    shape = np.shape(as_value(arr))
    try:
        axis = normalize_axis_index(axis, len(shape))
    except (np.exceptions.AxisError, TypeError):
        raise np.exceptions.AxisError(f"np.delete on Tensors: axis {axis!r} is out of range for {len(shape)} "
                                      f"dimensions; give an int in [{-len(shape)}, {len(shape)}) or None") from None
    return ops.take(arr, np.delete(np.arange(shape[axis]), obj._data if isinstance(obj, Tensor) else obj), axis=axis)


def _unravel_index(indices, shape, order="C"):
    """np.unravel_index of index Tensors (np.argmax's): constant index Tensors, as np.nonzero gives."""
    return tuple(Tensor._constant(np.asarray(i)) for i in np.unravel_index(as_value(indices), shape, order=order))


def _clip(a, a_min=np._NoValue, a_max=np._NoValue, out=None, *, min=np._NoValue, max=np._NoValue):
    """np.clip, with NumPy 2.1's keywords min= and max= as well as a_min= and a_max=; out= a Tensor receives the
    values in place, as torch.clamp's out= (min-char-rnn's np.clip(dparam, -5, 5, out=dparam) on the gradients)."""
    lower = None if a_min is np._NoValue else a_min
    upper = None if a_max is np._NoValue else a_max
    if min is not np._NoValue or max is not np._NoValue:
        if lower is not None or upper is not None:
            raise TypeError("np.clip: give the bounds as a_min/a_max or as min/max, not both")
        lower, upper = (None if bound is np._NoValue else bound for bound in (min, max))
    clipped = ops.clip(a, lower, upper)
    if out is None:
        return clipped
    from .torch_functions import _written_into  # (imported after this module: it needs Tensor's methods)
    return _written_into(out, clipped, "np.clip")


def _numpy_round(a, decimals=0, out=None):
    """np.round and np.around (not ufuncs): ops.round; out= only as None."""
    if out is not None:
        raise TypeError("np.round on Tensors: out= is not supported; use the result")
    return ops.round(a, decimals)


def _take(a, indices, axis=None, out=None, mode="raise"):
    if out is not None:
        raise TypeError("np.take on Tensors: out= is not supported; use the result")
    return ops.take(a, indices, axis=axis, mode=mode)


def _median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """np.median: out= only as None (overwrite_input= changes nothing here: the input is never reordered)."""
    if out is not None:
        raise TypeError("np.median on Tensors: out= is not supported; use the result")
    return ops.median(a, axis=axis, keepdims=keepdims)


def _ptp(a, axis=None, out=None, keepdims=False):
    if out is not None:
        raise TypeError("np.ptp on Tensors: out= is not supported; use the result")
    return ops.ptp(a, axis=axis, keepdims=False if keepdims is np._NoValue else keepdims)


def _trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    if out is not None:
        raise TypeError("np.trace on Tensors: out= is not supported; use the result")
    return ops.trace(a, offset, axis1, axis2, dtype)  # (its dtype= as sum's: reductions.in_dtype)


_NUMPY_EXTRA = {
    np.tile: ops.tile, np.repeat: ops.repeat, np.roll: ops.roll, np.moveaxis: ops.moveaxis, np.rollaxis: ops.rollaxis,
    np.ravel: ops.ravel, np.vstack: ops.vstack, np.hstack: ops.hstack, np.dstack: ops.dstack,
    np.column_stack: ops.column_stack, np.atleast_1d: ops.atleast_1d, np.atleast_2d: ops.atleast_2d,
    np.atleast_3d: ops.atleast_3d, np.take: _take, np.diagonal: ops.diagonal, np.trace: _trace, np.rot90: ops.rot90,
    np.fliplr: ops.fliplr, np.flipud: ops.flipud, np.diff: ops.diff, np.sort: ops.sort, np.argsort: ops.argsort,
    np.resize: ops.resize, np.round: _numpy_round, np.around: _numpy_round, np.sinc: ops.sinc,
    np.cumprod: _as_numpy_calls(np.cumprod, ops.cumprod), np.ptp: _ptp,
    np.average: ops.average, np.median: _median,
    np.nansum: _as_numpy_calls(np.nansum, ops.nansum), np.nanmean: _as_numpy_calls(np.nanmean, ops.nanmean),
    np.nanmax: _as_numpy_calls(np.nanmax, ops.nanmax), np.nanmin: _as_numpy_calls(np.nanmin, ops.nanmin),
    # more of NumPy (ops/numpy_more.py, counting.py, quantiles.py, spacing.py)
    **{getattr(np, name): getattr(ops, name) for name in (
        "kron", "vander", "cross", "diag", "diagflat", "nan_to_num", "interp", "convolve", "correlate", "trapezoid",
        "nonzero", "argwhere", "flatnonzero", "count_nonzero", "searchsorted", "isin", "unique", "bincount",
        "histogram", "quantile", "percentile", "nanquantile", "nanpercentile", "nanmedian", "cov", "corrcoef",
        "empty_like", "linspace", "logspace", "isposinf", "isneginf", "isreal")},
    np.fix: ops.trunc,  # (np.fix rounds toward 0, as trunc)
    np.gradient: ops.gradient,  # (ops/finite_differences.py)
    np.histogramdd: ops.histogramdd,
    np.meshgrid: functools.partial(ops.meshgrid, indexing="xy"),  # (NumPy's default, given: no warning)
    np.full_like: spacing.numpy_full_like, np.zeros_like: spacing.numpy_zeros_like,
    np.ones_like: spacing.numpy_ones_like,  # (NumPy's argument names, a=)
}

_REDUCING = {np.sum: ops.sum, np.mean: ops.mean, np.prod: ops.prod, np.max: ops.max, np.amax: ops.max, np.min: ops.min,
             np.amin: ops.min, np.var: ops.var, np.std: ops.std, np.argmax: ops.argmax, np.argmin: ops.argmin}

FUNCTIONS = {
    **{func: _as_numpy_calls(func, op) for func, op in _REDUCING.items()},
    np.clip: _clip, np.where: _where,
    np.append: _append, np.delete: _delete, np.unravel_index: _unravel_index,
    np.reshape: lambda x, shape=None, *, newshape=None: ops.reshape(x, shape if shape is not None else newshape),
    np.transpose: lambda x, axes=None: ops.transpose(x, axes),
    np.swapaxes: ops.swapaxes, np.expand_dims: ops.expand_dims, np.squeeze: ops.squeeze, np.copy: ops.copy,
    np.broadcast_to: ops.broadcast_to, np.broadcast_arrays: _broadcast_arrays,
    np.concatenate: ops.concatenate, np.stack: ops.stack,
    np.cumsum: _as_numpy_calls(np.cumsum, ops.cumsum),  # (dtype= casts first; out= only as None)
    np.flip: ops.flip, np.tril: ops.tril, np.triu: ops.triu, np.take_along_axis: ops.take_along_axis,
    np.dot: ops.dot, np.vdot: ops.vdot, np.einsum: _einsum, np.tensordot: ops.tensordot, np.inner: ops.inner,
    np.outer: _as_numpy_calls(np.outer, ops.outer),  # (out= only as None)
    np.split: ops.split, np.array_split: ops.array_split, np.pad: _pad,
    np.lib.stride_tricks.sliding_window_view: _sliding_window_view,
    np.shape: _values(np.shape), np.ndim: _values(np.ndim), np.size: _values(np.size),
    np.allclose: _values(np.allclose), np.array_equal: _values(np.array_equal),
    np.isclose: lambda *a, **k: Tensor(_values(np.isclose)(*a, **k)),
    np.result_type: _values(np.result_type),
    np.any: lambda a, axis=None, keepdims=False: Tensor._constant(np.any(as_value(a), axis=axis, keepdims=keepdims)),
    np.all: lambda a, axis=None, keepdims=False: Tensor._constant(np.all(as_value(a), axis=axis, keepdims=keepdims)),
    # np.linalg (autograd_core/ops/linalg.py)
    **{getattr(np.linalg, name): getattr(linalg, name) for name in linalg.__all__
       if name != "LinAlgError" and hasattr(np.linalg, name)},  # (solve_triangular is PyTorch's alone)
    np.linalg.matmul: ops.matmul, np.linalg.tensordot: ops.tensordot,
    # rearranging, picking, ordering and statistics (ops/rearrange.py, selection.py, statistics.py, nan_reductions.py)
    **_NUMPY_EXTRA,
}


def _unsupported(name):
    return TypeError(
        f"np.{name} is not supported on autograd_core Tensors (NumPy would return a plain array, outside any graph); "
        f"use the ag.* operation of the same name if there is one, or call it on t.detach().numpy() explicitly"
    )


def _into_arrays(ufunc, method, inputs, kwargs):
    """A ufunc writing into ndarrays given as out=, as `w.data -= lr * w.grad` does: the caller asks
    for plain arrays, so it runs on the values, unless that would drop a gradient being recorded."""
    name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
    if any(isinstance(o, Tensor) for o in kwargs["out"]):
        raise TypeError(f"np.{name}: out= takes ndarrays, not Tensors; to update a Tensor in place, use its "
                        f"operator (t += ..., under ag.no_grad() for a leaf that requires grad)")
    if GRAD_MODE.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in inputs):
        raise TypeError(f"np.{name}: writing into out= ndarrays would cut an input that requires grad from the "
                        f"graph; leave out= away for a recorded Tensor, or compute under ag.no_grad()")
    return getattr(ufunc, method)(*(as_value(a) for a in inputs), **kwargs)


def _at(ufunc, inputs):
    """ufunc.at(a, indices[, b]): NumPy's unbuffered update of a in place at indices, each repeated index counted
    (cs231n's word_embedding_backward: np.add.at(dW, x, dout)). An ndarray a gets the values, as out= does (refused
    for a value that requires grad while recording, which it would cut from the graph); a Tensor a is updated in
    place as `a[indices] += b` is outside recording (its change counted); while recording it is refused, where
    `a[indices] += b` is recorded as an assignment (under no_grad both change a recorded result, counted)."""
    name = f"np.{ufunc.__name__}.at"
    target, rest = inputs[0], inputs[1:]
    values = [as_value(a) for a in rest]
    if not isinstance(target, Tensor):
        if GRAD_MODE.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in rest):
            raise TypeError(f"{name}: writing into an ndarray would cut a value that requires grad from the graph; "
                            f"compute under ag.no_grad() (or on value.detach()) for the values alone")
        return ufunc.at(target, *values)
    target._in_place(rest[-1] if len(rest) > 1 else 0, name, lambda array, _: ufunc.at(array, *values),
                     _refusing_recorded_at(name), _AT_INSTEAD)


_AT_INSTEAD = "write a = ag.index_add(a, axis, index, values) for a new, recorded Tensor (PyTorch's index_add)"


def _refusing_recorded_at(name):
    def refuse(a, _):
        why = (f"this Tensor was computed by '{a._op.name}' in a recorded graph" if a._op is not None else
               "the value requires grad")
        raise RuntimeError(f"{name}: {why}, and an update in place would not be recorded; {_AT_INSTEAD}, or update "
                           f"under ag.no_grad()")
    return refuse


def array_ufunc(ufunc, method, inputs, kwargs):
    if kwargs.get("out") is not None:
        return _into_arrays(ufunc, method, inputs, kwargs)
    if method == "reduce" and ufunc in REDUCTIONS:
        given = [name for name, value in kwargs.items() if name not in ("axis", "keepdims") and value is not None
                 and not (name == "where" and value is True)]  # (where=True: NumPy's default)
        if given:  # (np.add.reduce itself is supported: name what is not)
            raise TypeError(f"np.{ufunc.__name__}.reduce with {', '.join(f'{name}=' for name in given)} is not "
                            f"supported on autograd_core Tensors; it takes axis= and keepdims="
                            + (" (cast with t.astype(dtype) first)" if "dtype" in given else ""))
        (x,) = inputs
        return REDUCTIONS[ufunc](x, axis=kwargs.get("axis", 0), keepdims=kwargs.get("keepdims", False))
    op = UFUNCS.get(ufunc)
    if op is None or method != "__call__":
        if method == "at" and not kwargs:  # (here, off the path of the ufunc calls)
            return _at(ufunc, inputs)
        raise _unsupported(ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}")
    extra = {name: value for name, value in kwargs.items()
             if value is not None and not (type(value) in (bool, np.bool_, str) and name in _UFUNC_DEFAULTS
                                           and value == _UFUNC_DEFAULTS[name])}
    if extra:
        raise TypeError(f"np.{ufunc.__name__} on Tensors takes no keyword arguments; got "
                        f"{', '.join(f'{k}={v!r}' for k, v in extra.items())}"
                        + (" (cast with t.astype(dtype) first)" if "dtype" in extra else ""))
    if ufunc in _EQUALITY and any(isinstance(a, np.ndarray) and a.dtype.kind not in "biuf" for a in inputs):
        # array == t or t == array (Tensor.__eq__ defers to the array), the array of strings or objects: elementwise
        # as NumPy's == (strings: all unequal), a constant
        x, y = (as_value(a) for a in inputs)
        return Tensor._constant(np.asarray(_EQUALITY[ufunc](x, y)))
    return op(*inputs)


_EQUALITY = {np.equal: operator.eq, np.not_equal: operator.ne}
# A ufunc's keywords at NumPy's defaults change nothing: taken, as np.sum(t, where=True) is.
_UFUNC_DEFAULTS = {"where": True, "subok": True, "casting": "same_kind", "order": "K"}


def array_function(func, args, kwargs):
    op = FUNCTIONS.get(func)
    if op is None:  # named as called: np.linalg.norm, not np.norm
        submodule = (getattr(func, "__module__", None) or "numpy").removeprefix("numpy").lstrip(".")
        raise _unsupported(f"{submodule}.{func.__name__}" if submodule else func.__name__)
    try:
        return op(*args, **kwargs)
    except TypeError:
        try:  # was it the call itself (an argument NumPy has and the engine does not)?
            inspect.signature(op).bind(*args, **kwargs)
        except TypeError as err:
            raise TypeError(f"np.{func.__name__} on Tensors: {err}; the arguments it supports are "
                            f"{without_torch_names(inspect.signature(op))}") from None
        raise
