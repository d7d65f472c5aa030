"""PyTorch's functions for code ported from it: cat (and concat), pow, mul, matmul and clamp (with out=), topk,
kthvalue, mm, bmm, isnan/isinf/isfinite, isclose/allclose, all/any, from_numpy, as_tensor, norm, numel, is_tensor, and
the dim and int checks the other torch_* modules share (torch_indexing.py has gather, scatter, index_select and the
other indexing functions; torch_in_place.py the in-place scatter_ and scatter_add_; torch_random.py PyTorch's random
functions; torch_from_data.py asarray and frombuffer).

Each is an alias or a short composition of the engine's recorded operations (take_along_axis, matmul, clip, ...), so
gradients, to any order, come from them; the checks and errors are PyTorch's (topk's k, mm's and bmm's strict
shapes). The methods that are these functions (t.clamp, t.topk, ...) are set on Tensor at the end. Names whose NumPy
meaning differs from PyTorch's keep NumPy's (ag.equal is not torch.equal: np.equal compares elementwise).
"""
import collections
import numbers

import numpy as np

from . import ops
from ._arguments import InvalidArgumentError, check_device, int_from_tensor
from .ops.reductions import EmptyReductionError
from .primitive import as_operand
from .tensor import Tensor, as_value

pow = ops.power  # noqa: A001 (torch.pow is np.power)
isnan, isinf, isfinite = ops.isnan, ops.isinf, ops.isfinite


def cat(tensors, dim=0, *, axis=None, out=None):
    """PyTorch's cat: the Tensors joined along dim (ag.concatenate(tensors, axis=dim); axis= is its other name). As
    PyTorch's, an empty 1-D Tensor among Tensors of other ranks is skipped (its dtype still counts). out= as
    matmul's.

    >>> import autograd_core as ag
    >>> ag.cat([ag.zeros((2, 3)), ag.ones((1, 3))]).shape
    (3, 3)
    """
    if axis is not None:
        if dim != 0:
            raise TypeError(f"cat: got both dim={dim!r} and axis={axis!r}, which name the same thing; give one")
        dim = axis
    if out is not None:
        return _written_into(out, cat(tensors, dim), "cat")
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"cat: dim must be an int, got {dim!r} (NumPy's axis=None, which flattens, is "
                        f"ag.concatenate's)")
    tensors = list(tensors) if isinstance(tensors, (list, tuple)) else tensors
    if isinstance(tensors, list) and tensors and all(np.shape(as_value(t)) == (0,) for t in tensors):
        return ops.concatenate(tensors, axis=0)  # (only empty 1-D Tensors, skipped along any dim: an empty one)
    if isinstance(tensors, list) and any(np.shape(as_value(t)) == (0,) for t in tensors) and any(
            np.ndim(as_value(t)) != 1 for t in tensors):  # (PyTorch skips an empty 1-D Tensor: cat([empty, x]))
        dtype = np.result_type(*(as_value(t) for t in tensors))
        out = ops.concatenate([t for t in tensors if np.shape(as_value(t)) != (0,)], axis=dim)
        return out if out.dtype == dtype else ops.astype(out, dtype)
    return ops.concatenate(tensors, axis=dim)


concat = cat  # (torch.concat, cat's alias; NumPy 2's np.concat takes the same tensors and axis=)


def mul(input, other, *, out=None):  # noqa: A002
    """PyTorch's mul: input * other (np.multiply); out= as matmul's.

    >>> import autograd_core as ag
    >>> z = ag.zeros(2)
    >>> ag.mul(ag.tensor([1.0, 2.0]), 3, out=z), z
    (Tensor([3., 6.]), Tensor([3., 6.]))
    """
    product = ops.multiply(input, other)
    return product if out is None else _written_into(out, product, "mul")


def matmul(input, other, *, out=None):  # noqa: A002
    """a @ b with np.matmul's rules (the engine's matmul), and PyTorch's out=: a Tensor of the product's shape that
    receives the values in place and is returned; refused when the product would be recorded (PyTorch's out= does
    not support autograd either: use the returned product).

    >>> import autograd_core as ag
    >>> y = ag.zeros((2, 2))
    >>> ag.matmul(ag.ones((2, 3)), ag.ones((3, 2)), out=y), y
    (Tensor([[3., 3.],
            [3., 3.]]), Tensor([[3., 3.],
            [3., 3.]]))
    """
    product = ops.matmul(input, other)
    return product if out is None else _written_into(out, product, "matmul")


def _written_into(out, result, owner, dtype=None):
    """result's values written into out (as out[...] = result, so in out's dtype), which is returned: PyTorch's out=.
    An empty out takes the result's shape first, as PyTorch resizes it (`torch.sum(x, 1, out=torch.tensor(()))`);
    a dtype= other than out's is refused, as PyTorch's, and so is a result whose dtype does not cast to out's by
    NumPy's same_kind rule (a float into an integer out), as NumPy's and PyTorch's out= refuse it."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{owner}: out= must be a Tensor, got {type(out).__name__}")
    if dtype is not None and np.dtype(dtype) != out.dtype:
        raise OutDtypeError(f"{owner}: dtype={np.dtype(dtype)} differs from out's dtype {out.dtype}; give one of them "
                            f"(the result takes out's dtype)")
    result = as_operand(result, owner)
    if not np.can_cast(result.dtype, out.dtype, "same_kind"):  # (a float into an integer out: NumPy's out= refuses)
        raise OutDtypeError(f"{owner}: the result type {result.dtype} can't be cast to out's dtype {out.dtype} "
                            f"(NumPy's same_kind rule, as PyTorch refuses it); give an out of a dtype it casts to, or "
                            f"use the returned result")
    if result.requires_grad:
        raise RuntimeError(f"{owner}: out= does not support automatic differentiation (an input requires grad), as "
                           f"in PyTorch; use the returned result ({owner} without out=), or call it under ag.no_grad()")
    if out.size == 0 and out.shape != result.shape:
        out.resize_(result.shape)
    if out.shape != result.shape:
        raise ValueError(f"{owner}: out= has shape {out.shape}, the result has shape {result.shape}; give an out of "
                         f"that shape")
    out[...] = result
    return out


class OutDtypeError(TypeError, RuntimeError):
    """out= with a dtype= that differs from out's: a TypeError, and PyTorch's RuntimeError."""


def _pair_written_into(out, result, owner):
    """result, a named pair (values and indices, or min and max), written into out, PyTorch's pair of Tensors of
    the result's dtypes (checked as PyTorch checks them), and returned as the same named pair of out's Tensors."""
    names = type(result)._fields
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(f"{owner}: out= must be a pair of Tensors ({', '.join(names)}), got {out!r}")
    for given, value, name in zip(out, result, names):
        if isinstance(given, Tensor) and given.dtype != value.dtype:  # (PyTorch's check and words)
            raise OutDtypeError(f"{owner}: expected scalar type {value.dtype} but got {given.dtype} for {name} "
                                f"(out=({', '.join(names)}) must have the result's dtypes)")
    return type(result)(*(_written_into(given, value, owner) for given, value in zip(out, result)))


def clamp(input, min=None, max=None, *, out=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's clamp: values limited to [min, max], either bound a number or a Tensor (one may be None), as
    ag.clip: at a number bound the value gets no gradient, Tensor bounds share it at ties (see ag.clip). out= as
    matmul's (torch.clamp(g, -5, 5, out=g) clips a gradient in place).

    >>> import autograd_core as ag
    >>> ag.clamp(ag.tensor([-2.0, 0.5, 3.0]), min=0.0, max=1.0)
    Tensor([0. , 0.5, 1. ])
    """
    if min is None and max is None:
        raise InvalidArgumentError("clamp: at least one of 'min' or 'max' must not be None (give a bound)")
    clamped = ops.clip(input, min=min, max=max)
    return clamped if out is None else _written_into(out, clamped, "clamp")


def clamp_min(input, min):  # noqa: A002
    """PyTorch's clamp_min: clamp(input, min=min).

    >>> import autograd_core as ag
    >>> ag.clamp_min(ag.tensor([-1.0, 2.0]), 0.0)
    Tensor([0., 2.])
    """
    return clamp(input, min=min)


def clamp_max(input, max):  # noqa: A002
    """PyTorch's clamp_max: clamp(input, max=max).

    >>> import autograd_core as ag
    >>> ag.clamp_max(ag.tensor([-1.0, 2.0]), 0.0)
    Tensor([-1.,  0.])
    """
    return clamp(input, max=max)


# ---- dims and ints, checked as PyTorch checks them (here, in torch_indexing.py and the other torch_* modules) ----
def _int(owner, name, value):
    """value as an int (a 0-d integer Tensor too, as PyTorch takes one), else a TypeError naming owner's name."""
    value = int_from_tensor(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{owner}: {name} must be an int, got {value!r}")
    return int(value)


def _dim(owner, dim, ndim, scalar_dims=True):
    """dim in [0, ndim), from [-ndim, ndim); with scalar_dims a 0-d Tensor has dim 0 or -1, as PyTorch's gather."""
    dim = _int(owner, "dim", dim)
    bound = max(ndim, 1) if scalar_dims else ndim
    if not -bound <= dim < bound:
        valid = f"valid dims are in [{-bound}, {bound})" if bound else "a 0-d Tensor has no dims"
        raise IndexError(f"{owner}: dim {dim} is out of range for a Tensor of {ndim} dimensions; {valid}")
    return dim % bound


topk_result = collections.namedtuple("topk", ["values", "indices"])
topk_result.__doc__ = "topk's result, as torch.return_types.topk: (values, indices)."


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):  # noqa: A002
    """PyTorch's topk: the k largest (largest=False: smallest) entries along dim and their indices, as a named
    pair (values, indices). NaN counts as the largest value, as in torch. The values are sorted (also for
    sorted=False, where torch leaves the order open); among equal values the lower index comes first (torch's
    choice among ties is its sorting algorithm's). Differentiable in the values. out: PyTorch's pair of Tensors
    (values, indices) the result is written into (see ag.sum's out=).

    >>> import autograd_core as ag
    >>> ag.topk(ag.tensor([1.0, 5.0, 3.0]), 2)
    topk(values=Tensor([5., 3.]), indices=Tensor([1, 2]))
    """
    if out is not None:
        return _pair_written_into(out, topk(input, k, dim, largest, sorted), "topk")
    x = as_operand(input, "topk")
    dim, k = _dim("topk", dim, x.ndim), int_from_tensor(k)
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"topk: k must be an int, got {k!r}")
    n = x.shape[dim] if x.ndim else 1
    if not 0 <= k <= n:
        raise InvalidArgumentError(f"topk: k={k} is out of range for dimension {dim} of size {n}; k must be in "
                                   f"[0, {n}]")
    values = x.data if x.ndim else x.data.reshape(1)
    if 0 < k < n and values.size >= _PARTITION_FROM and not (values.dtype.kind in "fc" and np.isnan(values).any()):
        indices = _top_k_indices(values, k, dim, largest)
    else:
        if largest:  # descending, NaN first, ties by lower index
            order = ops.argsort(values, axis=dim, descending=True).data
        else:
            order = np.argsort(values, axis=dim, kind="stable")  # (NaN last)
        indices = np.take(order, np.arange(k), axis=dim).astype(np.int64)
    if x.ndim == 0:  # (torch gives the value itself for k = 0 too)
        return topk_result(x.reshape(()), Tensor(np.int64(0)))
    return topk_result(ops.take_along_axis(x, indices, axis=dim), Tensor(indices))


_PARTITION_FROM = 4096  # elements: below, one full sort costs less than the partition path's fixed steps


def _top_k_indices(values, k, axis, largest):
    """topk's indices for 0 < k < n and no NaN, in the order of a full stable sort (ties by lower index) without
    sorting whole rows: a partition finds each row's k-th value, the entries beyond it and the lowest-indexed ties
    at it make up the k, and only those k are sorted (DGCNN's k nearest of 1024 points: about 3 times faster).

    >>> import numpy as np
    >>> from autograd_core.torch_functions import _top_k_indices
    >>> _top_k_indices(np.array([[1.0, 3.0, 3.0, 2.0]]), 2, -1, True)
    array([[1, 2]])
    """
    rows = np.moveaxis(values, axis, -1)
    n = rows.shape[-1]
    kth = n - k if largest else k - 1
    threshold = np.partition(rows, kth, axis=-1)[..., kth:kth + 1]
    beyond = rows > threshold if largest else rows < threshold
    tied = rows == threshold
    room = k - beyond.sum(-1, keepdims=True)
    if (tied.sum(-1, keepdims=True) > room).any():  # keep the lowest-indexed ties that fit
        tied &= np.cumsum(tied, -1) <= room
    chosen = np.nonzero((beyond | tied).reshape(-1, n))[1].reshape(rows.shape[:-1] + (k,))  # k per row, by index
    picked = np.take_along_axis(rows, chosen, -1)
    if largest:  # stably descending, tied entries in index order: the reversed values sorted, read backwards
        order = k - 1 - np.argsort(picked[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    else:
        order = np.argsort(picked, axis=-1, kind="stable")
    return np.moveaxis(np.take_along_axis(chosen, order, -1), -1, axis).astype(np.int64)

kthvalue_result = collections.namedtuple("kthvalue", ["values", "indices"])
kthvalue_result.__doc__ = "kthvalue's result, as torch.return_types.kthvalue: (values, indices)."


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):  # noqa: A002
    """PyTorch's kthvalue: the k-th smallest entry along dim (k from 1) and its index, as a named pair (values,
    indices); keepdim keeps dim with size 1. NaN counts as the largest value, as in torch; among equal values the
    lower index is taken (torch's choice among ties is its selection algorithm's). Differentiable in the values.
    out: PyTorch's pair of Tensors (values, indices) the result is written into (see ag.sum's out=).

    >>> import autograd_core as ag
    >>> ag.kthvalue(ag.tensor([[3.0, 1.0, 2.0], [4.0, 0.0, 5.0]]), 2)
    kthvalue(values=Tensor([2., 4.]), indices=Tensor([2, 0]))
    """
    if out is not None:
        return _pair_written_into(out, kthvalue(input, k, dim, keepdim), "kthvalue")
    x = as_operand(input, "kthvalue")
    dim, k = _dim("kthvalue", dim, x.ndim), _int("kthvalue", "k", k)
    n = x.shape[dim] if x.ndim else 1
    if n == 0:
        raise EmptyReductionError(f"kthvalue: Expected reduction dim {dim} to have non-zero size (input shape "
                                  f"{x.shape})")
    if not 1 <= k <= n:
        raise InvalidArgumentError(f"kthvalue: k={k} is out of range for dimension {dim} of size {n}; k must be in "
                                   f"[1, {n}]")
    values, indices = topk(x, k, dim, largest=False)
    if x.ndim == 0:
        return kthvalue_result(values, indices)
    values, indices = (ops.take(t, [k - 1] if keepdim else k - 1, axis=dim) for t in (values, indices))
    return kthvalue_result(values, indices)


def mm(input, mat2):  # noqa: A002
    """PyTorch's mm: the product of two matrices (2-D only, of one dtype: no broadcasting, as torch's).

    >>> import autograd_core as ag
    >>> ag.mm(ag.ones((2, 3)), ag.ones((3, 4))).shape
    (2, 4)
    """
    return _product("mm", input, mat2, (2, 2), "two matrices (2-D)", "use matmul (@) to broadcast or for vectors, bmm "
                    "for batches", "the first's columns must equal the second's rows")


def bmm(input, mat2):  # noqa: A002
    """PyTorch's bmm: batches of matrix products, (b, n, m) @ (b, m, p) -> (b, n, p), 3-D only and the same batch
    size (no broadcasting, as torch's), of one dtype.

    >>> import autograd_core as ag
    >>> ag.bmm(ag.ones((5, 2, 3)), ag.ones((5, 3, 4))).shape
    (5, 2, 4)
    """
    return _product("bmm", input, mat2, (3, 3), "two batches of matrices (3-D)", "use matmul (@) to broadcast",
                    "the same batch size, and the second's rows equal to the first's columns")


def _product(owner, input, other, ndims, expects, advice, need):  # noqa: A002
    """input @ other for PyTorch's mm, bmm and mv: operands of exactly ndims dimensions, their shapes matching with
    no broadcasting, of one dtype, as torch's; owner names the function in the errors."""
    a, b = as_operand(input, owner), as_operand(other, owner)
    if (a.ndim, b.ndim) != ndims:
        raise InvalidArgumentError(f"{owner}: expects {expects}, got shapes {a.shape} and {b.shape}; {advice}")
    inner = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if a.shape[-1] != inner or a.shape[:-2] != b.shape[:-2]:
        raise InvalidArgumentError(f"{owner}: shapes {a.shape} and {b.shape} cannot be multiplied: {need}")
    _same_dtype(owner, a, b)
    return ops.matmul(a, b)


def _same_dtype(owner, a, b):
    if a.dtype != b.dtype:
        # the usual source in ported code: NumPy 2 promotes float32 * np.float64 scalar to float64, PyTorch does not
        hint = ("; a float32 Tensor times a NumPy float64 scalar (w * np.sqrt(2.0 / n)) is float64, as in NumPy, "
                "where PyTorch keeps float32: multiply by float(...) instead"
                if {a.dtype, b.dtype} == {np.dtype(np.float32), np.dtype(np.float64)} else "")
        raise TypeError(f"{owner}: expects both operands of one dtype, as PyTorch, got {a.dtype} and {b.dtype}; cast "
                        f"one with .to(dtype){hint}")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    """np.isclose (torch.isclose, the same defaults) as a boolean Tensor (not differentiable).

    >>> import autograd_core as ag
    >>> ag.isclose(ag.tensor([1.0, 2.0]), ag.tensor([1.0 + 1e-9, 2.1]))
    Tensor([ True, False])
    """
    a, b = _close_operands("isclose", input, other, rtol, atol)
    return Tensor._constant(np.asarray(_close(a, b, rtol, atol, equal_nan)))


def _close_operands(owner, input, other, rtol, atol):  # noqa: A002
    """The values of input and other, checked as PyTorch checks them: tolerances at least 0, shapes that
    broadcast (else InvalidArgumentError: NumPy's ValueError and PyTorch's RuntimeError)."""
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if isinstance(tolerance, (bool, np.bool_)) or not isinstance(tolerance, numbers.Real):
            raise TypeError(f"{owner}: {name} must be a number, got {tolerance!r}")
        if not tolerance >= 0:
            raise InvalidArgumentError(f"{owner}: {name} must be greater than or equal to zero, got {tolerance!r}")
    a, b = np.asarray(as_value(input)), np.asarray(as_value(other))
    for name, value, given in (("input", a, input), ("other", b, other)):
        if value.dtype.kind not in "biufc":  # (None or text: np.isclose's bare errors, or False with tolerances 0)
            raise TypeError(f"{owner}: {name} must be a Tensor or numbers, got {given!r:.60} ({value.dtype})")
    try:
        np.broadcast_shapes(np.shape(a), np.shape(b))
    except ValueError:
        raise InvalidArgumentError(f"{owner}: the shapes {np.shape(a)} and {np.shape(b)} do not broadcast "
                                   f"together") from None
    return a, b


def _close(a, b, rtol, atol, equal_nan):
    """torch.isclose's mask of arrays a and b (ag.testing.assert_close's too): equal, or both NaN with equal_nan, or a
    finite |a - b| within atol + |rtol * b|; with rtol and atol both 0 an equality, as PyTorch's (np.isclose compares
    integers as floats, so 2**53 and 2**53 + 1 were close)."""
    matches = a == b
    if equal_nan and (a.dtype.kind in "fc" or b.dtype.kind in "fc"):
        matches |= np.isnan(a) & np.isnan(b)
    if rtol == 0 and atol == 0:
        return matches
    if a.dtype.kind not in "fc" and b.dtype.kind not in "fc":  # integers and bool, in float64 (a uint8 difference
        a, b = a.astype(np.float64), b.astype(np.float64)  # would wrap, bool - bool is refused)
    with np.errstate(invalid="ignore", over="ignore"):  # (inf - inf is NaN: not close)
        error = np.abs(a - b)
        return matches | (np.isfinite(error) & (error <= atol + np.abs(rtol * b)))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    """np.allclose (torch.allclose, the same defaults): a Python bool.

    >>> import autograd_core as ag
    >>> ag.allclose(ag.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-9])
    True
    """
    a, b = _close_operands("allclose", input, other, rtol, atol)
    return bool(np.all(_close(a, b, rtol, atol, equal_nan)))


def _all_of(input, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):  # noqa: A002
    """torch.all (ag.all): whether every entry is true (nonzero), as t.all(): a boolean Tensor, not differentiable;
    dim and keepdim are PyTorch's names for axis and keepdims, out= PyTorch's (a bool or uint8 Tensor, as there).
    Named _all_of here and served as ag.all by the package's __getattr__, so that `from autograd_core import *`
    leaves Python's all alone.

    >>> import autograd_core as ag
    >>> ag.all(ag.tensor([1.0, 2.0]) == ag.tensor([1.0, 2.0])).item()
    True
    >>> ag.all(ag.tensor([[1, 0], [1, 1]]), dim=1)
    Tensor([False,  True])
    """
    return _truth_into(out, Tensor.all(as_operand(input, "all"), axis, keepdims, dim=dim, keepdim=keepdim), "all")


def _any_of(input, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):  # noqa: A002
    """torch.any (ag.any): whether some entry is true (nonzero), as t.any(); served as ag.any as _all_of is as ag.all
    (out= as its).

    >>> import autograd_core as ag
    >>> ag.any(ag.tensor([0.0, 2.0]) > 1).item()
    True
    """
    return _truth_into(out, Tensor.any(as_operand(input, "any"), axis, keepdims, dim=dim, keepdim=keepdim), "any")


def _truth_into(out, result, owner):
    """all's or any's out=: result written into a bool or uint8 out (PyTorch refuses any other dtype)."""
    if out is None:
        return result
    if isinstance(out, Tensor) and out.dtype not in (np.bool_, np.uint8):
        raise OutDtypeError(f"{owner}: {owner} only supports bool tensor for result, got {out.dtype} (out= must be a "
                            f"bool or uint8 Tensor, as PyTorch's)")
    return _written_into(out, result, owner)


def numel(input):  # noqa: A002
    """PyTorch's numel: the number of elements (an int).

    >>> import autograd_core as ag
    >>> ag.numel(ag.zeros((2, 3)))
    6
    """
    return int(np.size(as_value(input)))


def is_tensor(obj):
    """PyTorch's is_tensor: whether obj is a Tensor (an ndarray or a number is not; torchdiffeq asserts it of t).

    >>> import autograd_core as ag
    >>> ag.is_tensor(ag.tensor([1.0])), ag.is_tensor([1.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


def _assert(condition, message):
    """PyTorch's torch._assert, the assert that TorchScript can compile (torchvision's models and detection code
    check shapes and arguments with it): an AssertionError with message when condition is false (a one-element
    Tensor counts by its value). Private, as torch's, so star imports leave it out.

    >>> import autograd_core as ag
    >>> ag._assert(ag.tensor(2.0) > 1, "must be above 1")
    >>> ag._assert(1 > 2, "1 is not above 2")
    Traceback (most recent call last):
    ...
    AssertionError: 1 is not above 2
    """
    assert condition, message


def from_numpy(ndarray):
    """PyTorch's from_numpy: a Tensor sharing ndarray's memory (a change to either shows in the other; NumPy's
    writes are not counted as versions, as PyTorch does not see them either). ndarray must be a NumPy array of
    bool, integer or float dtype. A Tensor that needs no gradient is taken as its array: NumPy's functions give a
    Tensor here where PyTorch's code gets an array (np.meshgrid(np.linspace(x.min(), x.max(), 101), ...)).

    >>> import numpy as np, autograd_core as ag
    >>> a = np.zeros(2)
    >>> t = ag.from_numpy(a)
    >>> a[0] = 5.0
    >>> t
    Tensor([5., 0.])
    >>> ag.from_numpy(np.linspace(ag.tensor(0.0), 1.0, 3))
    Tensor([0. , 0.5, 1. ])
    """
    if isinstance(ndarray, Tensor):
        if ndarray.requires_grad:
            raise TypeError(f"from_numpy: expects a numpy.ndarray, got a Tensor that requires grad (shape "
                            f"{ndarray.shape}); its array would be cut from the graph: use it as it is, or detach() it")
        ndarray = ndarray._data
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy: expects a numpy.ndarray, got {type(ndarray).__name__}; use ag.tensor to copy "
                        f"other data")
    if ndarray.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: unsupported dtype {ndarray.dtype}; a Tensor holds bool, integer or float values")
    if any(step % ndarray.itemsize for step in ndarray.strides):
        raise ValueError(f"from_numpy: the array's strides {ndarray.strides} (bytes) are not a multiple of its element "
                         f"size {ndarray.itemsize}, as PyTorch refuses (its stride() and storage() count elements); "
                         f"pass a copy, ndarray.copy()")
    return Tensor._constant(ndarray)


def as_tensor(data, dtype=None, device=None):
    """PyTorch's as_tensor: data itself when it is a Tensor of that dtype (cast otherwise, keeping the graph), an
    array of that dtype without a copy (as from_numpy), else a new Tensor (ag.tensor(data, dtype=dtype)). Only
    the CPU device exists.

    >>> import numpy as np, autograd_core as ag
    >>> a = np.ones(2)
    >>> ag.as_tensor(a).data is a, ag.as_tensor([1, 2], dtype=np.float32)
    (True, Tensor([1., 2.], dtype=float32))
    """
    from .torch_names import _numpy_dtype
    check_device(device, "as_tensor")
    dtype = None if dtype is None else _numpy_dtype("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype == data.dtype else ops.astype(data, dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype == data.dtype) and data.dtype.kind in "biuf":
        return from_numpy(data)
    return Tensor(data, dtype=dtype)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None, *, out=None):
    """PyTorch's norm: input.norm(p, dim, keepdim, dtype), the p-norm of the entries over dim (None: all of them as
    one vector); ag.linalg.norm is NumPy's (ord=, axis=, matrix norms for 2-D input). out= as matmul's.

    >>> import autograd_core as ag
    >>> ag.norm(ag.tensor([[3.0, 4.0], [0.0, 0.0]]))
    Tensor(5.)
    """
    if not isinstance(input, Tensor):
        input = Tensor(input)
    result = input.norm(p, dim, keepdim, dtype)
    return result if out is None else _written_into(out, result, "norm")


# The methods that are these functions (t.topk(2) is ag.topk(t, 2)).
for _name in ("pow", "clamp", "clamp_min", "clamp_max", "topk", "kthvalue", "mm", "bmm", "isnan", "isinf",
              "isfinite", "isclose", "allclose"):
    setattr(Tensor, _name, globals()[_name])
del _name
