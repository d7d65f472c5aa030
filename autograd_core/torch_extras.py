"""More of PyTorch's names common in ported code: amax/amin (np.amax's too), narrow, unbind, unsqueeze, permute,
repeat_interleave, unflatten, rsqrt, var_mean, std_mean, lerp, histc, index_fill, masked_scatter, t, the functions
that are methods (div, sub, eq, masked_fill, ...), and the methods byte, char,
is_floating_point, is_contiguous, stride, storage, storage_offset, flip, unfold, nelement, element_size, ndimension,
logical_not/and/or/xor, floor_divide, true_divide, and t.values/t.indices, t.repeat and t.sort, which raise an
AttributeError naming the spelling here (amax/argmax, ag.tile, argsort: NumPy's meanings differ). Compositions of the
engine's recorded operations (gradients, to any order, come from them; histc's counts are constants); the methods
that are these functions are set on Tensor at the end (torch_names.py imports this module).
"""

import numpy as np

from . import ops
from ._arguments import (InvalidArgumentError, RuntimeTypeError, int_from_tensor, reduction_from_torch,
                         spread_from_torch, unflattened_shape)
from .creation import CreationError, _check_memory_format
from .ops.reductions import _named_count
from .ops.shape import ShapeError
from .primitive import as_operand
from .torch_functions import _dim, _int, _written_into
from .torch_names import _checked_mask  # (torch_names imports this module at its end, after defining it)
from .tensor import Tensor, as_value


def amax(x, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):
    """The maximum over axis, as np.amax (ag.max) and torch.amax (dim=, keepdim=; the values alone), ties sharing
    the gradient equally, as torch.amax's; out= as sum's.

    >>> import autograd_core as ag
    >>> ag.amax(ag.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    Tensor([5., 7.])
    """
    if dim is not None or keepdim is not None or type(axis) is list:
        axis, keepdims = reduction_from_torch("amax", axis, keepdims, dim, keepdim, ndim=np.ndim(x))
    return ops.max(x, axis=axis, keepdims=keepdims, out=out)


def amin(x, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):
    """The minimum over axis, as np.amin (ag.min) and torch.amin (dim=, keepdim=; the values alone), ties sharing
    the gradient equally, as torch.amin's; out= as sum's.

    >>> import autograd_core as ag
    >>> ag.amin(ag.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=0, keepdim=True)
    Tensor([[1., 2.]])
    """
    if dim is not None or keepdim is not None or type(axis) is list:
        axis, keepdims = reduction_from_torch("amin", axis, keepdims, dim, keepdim, ndim=np.ndim(x))
    return ops.min(x, axis=axis, keepdims=keepdims, out=out)


def unflatten(input, dim, sizes):  # noqa: A002
    """PyTorch's unflatten: axis dim split into the axes `sizes` (one may be -1, inferred), flatten's inverse; a
    reshape, so gradients flow back unchanged.

    >>> import autograd_core as ag
    >>> ag.zeros((12, 3)).unflatten(0, (2, -1)).shape
    (2, 6, 3)
    """
    x = as_operand(input, "unflatten")
    return ops.reshape(x, unflattened_shape("unflatten", x.shape, int_from_tensor(dim), sizes))


def narrow(input, dim, start, length):  # noqa: A002
    """PyTorch's narrow: the entries start .. start + length - 1 along dim (start may be negative, counting from the
    end), a slice of input.

    >>> import autograd_core as ag
    >>> ag.narrow(ag.arange(6.0).reshape(2, 3), 1, 1, 2)
    Tensor([[1., 2.],
            [4., 5.]])
    """
    x = as_operand(input, "narrow")
    if x.ndim == 0:
        raise InvalidArgumentError("narrow: input is 0-d; it needs at least one dimension")
    dim = _dim("narrow", dim, x.ndim, scalar_dims=False)
    start, length, n = _int("narrow", "start", start), _int("narrow", "length", length), x.shape[dim]
    if not -n <= start <= n:
        raise IndexError(f"narrow: start {start} is out of range for dimension {dim} of size {n}; it must be in "
                         f"[{-n}, {n}]")
    start = start + n if start < 0 else start
    if length < 0 or start + length > n:
        raise InvalidArgumentError(f"narrow: start ({start}) + length ({length}) exceeds dimension {dim} of size {n} "
                                   f"(or length is negative)")
    return x[(slice(None),) * dim + (slice(start, start + length),)]


def narrow_copy(input, dim, start, length):  # noqa: A002
    """PyTorch's narrow_copy: narrow's entries as a recorded copy with memory of its own.

    >>> import autograd_core as ag
    >>> ag.narrow_copy(ag.arange(5), 0, 1, 2)
    Tensor([1, 2])
    """
    return ops.copy(narrow(input, dim, start, length))

def unbind(input, dim=0):  # noqa: A002
    """PyTorch's unbind: the slices along dim, as a tuple, that axis removed from each.

    >>> import autograd_core as ag
    >>> [t.tolist() for t in ag.unbind(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=1)]
    [[1.0, 3.0], [2.0, 4.0]]
    """
    x = as_operand(input, "unbind")
    if x.ndim == 0:
        raise np.exceptions.AxisError("unbind: input is 0-d; it needs at least one dimension")  # (PyTorch's IndexError)
    dim = _dim("unbind", dim, x.ndim, scalar_dims=False)
    return tuple(x[(slice(None),) * dim + (i,)] for i in range(x.shape[dim]))


def unsqueeze(input, dim):  # noqa: A002
    """PyTorch's torch.unsqueeze: a new axis of length 1 at dim, as t.unsqueeze(dim) (np.expand_dims with one int).

    >>> import autograd_core as ag
    >>> ag.unsqueeze(ag.tensor([1.0, 2.0]), 1).shape
    (2, 1)
    """
    return as_operand(input, "unsqueeze").unsqueeze(dim)


def t(input):  # noqa: A002
    """PyTorch's torch.t: a matrix transposed, a 0-d or 1-d Tensor as it is, as input.t() (more axes are refused).
    Served as ag.t by the package's __getattr__, so that `from autograd_core import *` binds no one-letter `t`.

    >>> import autograd_core as ag
    >>> ag.t(ag.zeros((2, 3))).shape
    (3, 2)
    """
    return as_operand(input, "t").t()


def detach(input):  # noqa: A002
    """PyTorch's torch.detach: input.detach(), the same values cut from the graph, sharing input's memory.

    >>> import autograd_core as ag
    >>> ag.detach(ag.tensor([1.0, 2.0], requires_grad=True))
    Tensor([1., 2.])
    """
    return as_operand(input, "detach").detach()


# PyTorch's functions that are its Tensor methods, torch.<name>(input, ...) being input.<name>(...), for the methods
# whose arguments NumPy's functions lack (div's rounding_mode=, sub's alpha=) or that NumPy lacks: ported calls such
# as a beam search's torch.div(positions, vocab_size, rounding_mode="floor") run as written. Each example is its
# doctest. The others are NumPy's functions under PyTorch's names (ag.eq is ag.equal, in ops).
def _function_of_method(name, example, shown, takes_out=False):
    """torch.<name>(input, ...) as input.<name>(...); takes_out: with PyTorch's out= too, as ag.mul's."""
    def function(input, *args, **kwargs):  # noqa: A002 (PyTorch's name)
        out = kwargs.pop("out", None) if takes_out else None
        result = getattr(as_operand(input, name), name)(*args, **kwargs)
        return result if out is None else _written_into(out, result, name)
    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"PyTorch's torch.{name}(input, ...): input.{name}(...) (see Tensor.{name})"
                        f"{'; out= as ag.mul' if takes_out else ''}.\n\n"
                        f"    >>> import autograd_core as ag\n    >>> {example}\n    {shown}\n    ")
    return function


div = _function_of_method("div", "ag.div(ag.tensor([7, -7]), 2, rounding_mode='floor')", "Tensor([ 3, -4])", True)
sub = _function_of_method("sub", "ag.sub(ag.tensor([5.0]), ag.tensor([2.0]), alpha=2)", "Tensor([1.])", True)
masked_fill = _function_of_method("masked_fill", "ag.masked_fill(ag.tensor([1.0, 2.0]), ag.tensor([True, False]), "
                                  "-ag.inf)", "Tensor([-inf,   2.])")
is_floating_point = _function_of_method("is_floating_point", "ag.is_floating_point(ag.tensor([1, 2]))", "False")
neg, movedim = ops.negative, ops.moveaxis  # (PyTorch's names of NumPy's functions)


def true_divide(input, other, *, out=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's torch.true_divide: input / other (np.divide: integers give a float quotient); out= as ag.mul's (an
    integer out is refused: the quotient's float dtype does not cast to it, as in PyTorch).

    >>> import autograd_core as ag
    >>> ag.true_divide(ag.tensor([5, 3]), 2)
    Tensor([2.5, 1.5])
    """
    quotient = ops.divide(input, other)
    return quotient if out is None else _written_into(out, quotient, "true_divide")


def permute(input, dims):  # noqa: A002
    """PyTorch's torch.permute: the axes in the order dims (a tuple naming every axis), as t.permute(*dims) and
    np.transpose(input, dims).

    >>> import autograd_core as ag
    >>> ag.permute(ag.zeros((2, 3, 4)), (2, 0, 1)).shape
    (4, 2, 3)
    """
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"permute: dims must be a tuple naming every axis, as permute(x, (1, 0)), got {dims!r}")
    return as_operand(input, "permute").permute(tuple(dims))  # (one tuple: a 0-d input's order is ())


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):  # noqa: A002
    """PyTorch's repeat_interleave: each entry of input repeated, consecutively, along dim (input flattened when
    dim is None); repeats is one count for all or one per entry along dim (an int, a list or a 1-D integer Tensor).
    It is np.repeat(input, repeats, axis=dim), so the gradient of a repeated entry is the sum of its copies'. Given
    alone, repeat_interleave(repeats) repeats each index i repeats[i] times. output_size, if given, must be the
    length of the result along dim.

    >>> import autograd_core as ag
    >>> ag.repeat_interleave(ag.tensor([2, 3]), 2)
    Tensor([2, 2, 3, 3])
    >>> ag.repeat_interleave(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([1, 2]), dim=0)
    Tensor([[1., 2.],
            [3., 4.],
            [3., 4.]])
    >>> ag.repeat_interleave(ag.tensor([1, 2]))
    Tensor([0, 1, 1])
    """
    if repeats is None:  # repeat_interleave(repeats): the indices 0 .. n - 1, each repeats[i] times
        if dim is not None:
            raise TypeError("repeat_interleave: given only repeats (the form that repeats the indices), dim must "
                            "be None")
        counts = _counts(input, 0, is_input=True)
        return Tensor(np.repeat(np.arange(len(counts)), counts))
    x = as_operand(input, "repeat_interleave")
    if dim is None:
        x, dim = x.reshape(-1), 0
    else:
        dim = _dim("repeat_interleave", dim, x.ndim, scalar_dims=False)  # (PyTorch refuses a dim of a 0-d input)
    counts = _counts(repeats, x.shape[dim])
    out = ops.repeat(x, counts if len(counts) > 1 else counts[0], axis=dim)
    if output_size is not None and _int("repeat_interleave", "output_size", output_size) != out.shape[dim]:
        raise ShapeError(f"repeat_interleave: output_size {output_size} differs from the result's length "
                         f"{out.shape[dim]} along dim {dim} (the sum of repeats)")
    return out


def _counts(repeats, n, is_input=False):
    """repeats (an int, a sequence or a 0-d or 1-D integer Tensor or array) as a 1-D int64 array of one count, or of
    n counts, none negative."""
    what = "repeats (given alone)" if is_input else "repeats"
    counts = np.asarray(as_value(repeats) if isinstance(repeats, Tensor) else repeats)
    if counts.dtype.kind not in "iu" or counts.ndim > 1 or is_input and counts.ndim != 1:
        kinds = "a 1-D sequence of ints" if is_input else "an int or a 1-D sequence of ints"
        raise TypeError(f"repeat_interleave: {what} must be {kinds}, got {counts.ndim}-D {counts.dtype} {repeats!r}")
    counts = counts.reshape(-1).astype(np.int64)
    if (counts < 0).any():
        raise CreationError(f"repeat_interleave: {what} {counts.tolist()} holds a negative count; each must be at "
                            f"least 0")
    if not is_input and len(counts) not in (1, n):
        raise ShapeError(f"repeat_interleave: {len(counts)} repeats for {n} entries along dim; give one count for all "
                         f"or one per entry")
    return counts


def rsqrt(x):
    """PyTorch's rsqrt: 1 / sqrt(x), elementwise.

    >>> import autograd_core as ag
    >>> ag.rsqrt(ag.tensor([4.0, 0.25]))
    Tensor([0.5, 2. ])
    """
    return ops.reciprocal(ops.sqrt(x))


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):  # noqa: A002
    """PyTorch's var_mean: the pair (var, mean) over dim. The variance is PyTorch's, dividing by n - 1 unless told
    otherwise (correction=1 by default; unbiased=False or correction=0 divide by n): no NumPy function of this name
    disagrees. A weight-standardised convolution writes var, mean = torch.var_mean(w, dim=[1, 2, 3], keepdim=True,
    unbiased=False).

    >>> import autograd_core as ag
    >>> ag.var_mean(ag.tensor([1.0, 2.0, 3.0, 4.0]))
    (Tensor(1.66666667), Tensor(2.5))
    >>> ag.var_mean(ag.tensor([[1.0, 3.0]]), dim=[1], keepdim=True, unbiased=False)
    (Tensor([[1.]]), Tensor([[2.]]))
    """
    x, axis, keepdims, ddof = _spread_arguments("var_mean", input, dim, unbiased, keepdim, correction)
    return ops.var(x, axis, keepdims, ddof), ops.mean(x, axis, keepdims)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):  # noqa: A002
    """PyTorch's std_mean: the pair (std, mean) over dim, the deviation PyTorch's (correction=1 by default, as
    var_mean's).

    >>> import autograd_core as ag
    >>> ag.std_mean(ag.tensor([1.0, 3.0]))
    (Tensor(1.41421356), Tensor(2.))
    >>> ag.std_mean(ag.tensor([1.0, 3.0]), correction=0)
    (Tensor(1.), Tensor(2.))
    """
    x, axis, keepdims, ddof = _spread_arguments("std_mean", input, dim, unbiased, keepdim, correction)
    return ops.std(x, axis, keepdims, ddof), ops.mean(x, axis, keepdims)


def _spread_arguments(owner, input, dim, unbiased, keepdim, correction):  # noqa: A002
    """(x, axis, keepdims, ddof) for var_mean/std_mean, with PyTorch's default correction=1 and its older overload
    var_mean(input, unbiased), a bool in dim's place."""
    if isinstance(dim, (bool, np.bool_)) and unbiased is None:
        dim, unbiased = None, dim
    if unbiased is None and correction is None:
        correction = 1
    axis, keepdims, ddof = spread_from_torch(owner, None, False, 0, dim, keepdim, unbiased, correction)
    x = as_operand(input, owner)
    _named_count(owner, x, axis)  # a bad dim is reported as owner's
    return x, axis, keepdims, ddof


def lerp(input, end, weight):  # noqa: A002
    """PyTorch's lerp: input + weight * (end - input), weight a number or a Tensor (differentiable in all three).
    As PyTorch's, where |weight| >= 0.5 it is computed as end - (end - input) * (1 - weight), so weight 1 gives end
    exactly (the first form loses end's digits when input is much larger), and float16 in float32, rounded once.

    >>> import autograd_core as ag
    >>> ag.lerp(ag.tensor([0.0, 10.0]), ag.tensor([10.0, 20.0]), 0.25)
    Tensor([ 2.5, 12.5])
    >>> ag.lerp(ag.tensor([1e20]), ag.tensor([1.0]), 1.0)
    Tensor([1.])
    """
    if not isinstance(weight, Tensor):
        weight = np.asarray(weight) if isinstance(weight, (list, tuple)) else weight
    if np.result_type(*(as_value(v) for v in (input, end, weight))) == np.float16:  # (in float32, rounded once,
        wider = [ops.astype(v, np.float32) if np.result_type(as_value(v)) == np.float16 else v  # as PyTorch's)
                 for v in (input, end, weight)]
        return ops.astype(lerp(*wider), np.float16)
    if not isinstance(weight, Tensor) and np.ndim(weight) == 0:  # (a number: one of the two forms)
        small = bool(np.abs(weight) < 0.5)
        return input + weight * (end - input) if small else end - (end - input) * (1 - weight)
    small = np.abs(as_value(weight)) < 0.5
    # (one product, so an infinite input gives weight the gradient end - input, not inf * 0 from the other form)
    return ops.where(small, input, end) + ops.where(small, weight, weight - 1) * (end - input)


def histc(input, bins=100, min=0, max=0):  # noqa: A002 (PyTorch's names)
    """PyTorch's histc: the counts of input's elements in `bins` equal bins over [min, max], in input's float dtype
    (fast.ai's activation histograms, acts.abs().histc(40, 0, 10)). Elements outside are left out; the last bin holds
    max; min == max (the default 0, 0) takes input's own min and max (widened by 1 each way if equal). A constant,
    as np.histogram's counts (PyTorch defines no gradient for it). ag.histogram is NumPy's, with the edges.

    >>> import autograd_core as ag
    >>> ag.histc(ag.tensor([0.5, 1.0, 1.5, 4.0, 9.0]), bins=4, min=0, max=4)
    Tensor([1., 2., 0., 1.])
    """
    x = as_operand(input, "histc")
    if x.dtype.kind != "f":
        raise TypeError(f"histc: input must be a float Tensor (PyTorch's histc is not defined for {x.dtype}), got "
                        f"{x.dtype}; cast it first (x.float())")
    bins = _int("histc", "bins", bins)
    if bins <= 0:
        raise ops.counting.HistogramError(f"histc: bins must be at least 1, got {bins} (bins must be > 0)")
    low, high = (float(as_value(bound)) for bound in (min, max))
    if low > high:
        raise ops.counting.HistogramError(f"histc: max must be larger than min, got min={low} and max={high}")
    values = x.data.reshape(-1)
    if low == high and values.size:
        low, high = float(values.min()), float(values.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ops.counting.HistogramError(f"histc: the range of [{low}, {high}] is not finite; give min and max (the "
                                          f"input's own are taken when they are equal)")
    if low == high:  # a constant input (or none): the middle bin of [v - 1, v + 1], as torch's, counted here (v + 1
        counts = np.zeros(bins, np.int64)  # is v itself past 2**53, where np.histogram raised "Too many bins")
        counts[bins // 2] = values.size
    else:
        counts, _ = np.histogram(values, bins=bins, range=(low, high))
    return Tensor._constant(counts.astype(x.dtype))


def index_fill(input, dim, index, value):  # noqa: A002
    """PyTorch's index_fill, out of place: input with value (a number, or a 0-d Tensor, which gets its share of the
    gradient) in every slice along dim at the positions index (a 0-d or 1-D integer Tensor; negative positions count
    from the end, as PyTorch's) gives, in input's dtype; the gradient in input is 0 there. It is masked_fill with the
    mask of those slices.

    >>> import autograd_core as ag
    >>> ag.index_fill(ag.ones((2, 3)), 1, ag.tensor([0, 2]), -1.0)
    Tensor([[-1.,  1., -1.],
            [-1.,  1., -1.]])
    """
    x = as_operand(input, "index_fill")
    dim = _dim("index_fill", dim, max(x.ndim, 1), scalar_dims=False)
    index = _index_vector("index_fill", index)
    n = x.shape[dim] if x.ndim else 1  # (a 0-d input is one entry along dim 0, as PyTorch's)
    _check_index_range("index_fill", index, n, dim, negative=True)
    filled = np.zeros(n, dtype=bool)
    filled[index] = True
    mask = _checked_mask("index_fill", x, filled.reshape((n,) + (1,) * (x.ndim - dim - 1)) if x.ndim else filled[0],
                         value)
    return x.masked_fill(mask, value)


def masked_scatter(input, mask, source):  # noqa: A002
    """PyTorch's masked_scatter, out of place: input (broadcast with the boolean mask) with source's entries, taken
    in order, where the mask is True; source (any shape, input's dtype) needs at least as many entries as the mask has
    True values. PyTorch's `x[mask] = values`, which a recorded value cannot be assigned as, is
    `x = x.masked_scatter(mask, values)`. The gradient in input is 0 under the mask; source's first entries get the
    rest, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.zeros((2, 2)).masked_scatter(ag.tensor([[True, False], [True, True]]), ag.tensor([1.0, 2.0, 3.0, 4.0]))
    Tensor([[1., 0.],
            [2., 3.]])
    """
    x, values = as_operand(input, "masked_scatter"), as_operand(source, "masked_scatter")
    mask_value = _checked_mask("masked_scatter", x, mask, 0)
    if values.dtype != x.dtype:
        raise TypeError(f"masked_scatter: source must have the input's dtype {x.dtype}, got {values.dtype} (PyTorch "
                        f"refuses it too); cast it with source.to({x.dtype})")
    shape = np.broadcast_shapes(x.shape, mask_value.shape)
    hit = np.broadcast_to(mask_value, shape).reshape(-1)
    count = int(hit.sum())
    if values.size < count:
        raise InvalidArgumentError(f"masked_scatter: the mask (shape {mask_value.shape}) has {count} True entries, "
                                   f"but source (shape {values.shape}) only {values.size}; source needs one entry per "
                                   f"True")
    if count == 0 and x.dtype.kind != "f":  # (no gradient to pass: an empty sum would promote bools and int8 to int64)
        return ops.copy(ops.broadcast_to(x, shape))
    if count == 0:  # (source still gets its gradient, zeros, as PyTorch's: through a sum of none of its entries)
        return ops.broadcast_to(x, shape) + ops.reshape(values, (-1,))[:0].sum()
    # Entry k of the mask takes source entry (number of Trues before it); the others take entry 0, unused by where.
    taken = np.where(hit, np.cumsum(hit) - 1, 0)
    return ops.where(hit.reshape(shape), ops.reshape(values, (-1,))[taken].reshape(shape), x)


def _index_vector(owner, index):
    """index (a Tensor, array or sequence of ints; 0-d or 1-D, as PyTorch takes) as a 1-D integer array, a copy (an
    index Tensor changed in place later must not move the gradient)."""
    index = np.array(as_value(index))
    if index.dtype.kind not in "iu" or index.ndim > 1:
        raise RuntimeTypeError(f"{owner}: index must be a 0-d or 1-D integer Tensor, got dtype {index.dtype} and shape "
                        f"{index.shape}")
    return index.reshape(-1)


def _check_index_range(owner, index, n, dim, negative):
    """index's positions along dim (of size n) in range: [0, n), or [-n, n) where negative ones count from the end."""
    low = -n if negative else 0
    if index.size and (index.min() < low or index.max() >= n):
        rule = "" if negative else " (negative ones are refused, as by PyTorch)"
        raise IndexError(f"{owner}: index out of range: indices must be in [{low}, {n}) for dimension {dim} of "
                         f"size {n}{rule}, got {index.min() if index.min() < low else index.max()}")


def _memory_of(array):
    """The ndarray at the root of array's chain of views: the memory its values sit in."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


class _TorchExtras:
    """The methods set on Tensor below."""

    def byte(self):
        """PyTorch's byte(): astype(np.uint8), a constant (an integer cast has no gradient).

        >>> import autograd_core as ag
        >>> ag.tensor([0.0, 1.0]).byte()
        Tensor([0, 1], dtype=uint8)
        """
        return ops.astype(self, np.uint8, copy=False)

    def char(self):
        """PyTorch's char(): astype(np.int8), a constant (an integer cast has no gradient).

        >>> import autograd_core as ag
        >>> ag.tensor([-1.0, 1.0]).char()
        Tensor([-1,  1], dtype=int8)
        """
        return ops.astype(self, np.int8, copy=False)

    def is_floating_point(self):
        """PyTorch's is_floating_point: whether the dtype is a float one.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).is_floating_point(), ag.tensor([1]).is_floating_point()
        (True, False)
        """
        return self.dtype.kind == "f"

    def cov(self, *, correction=1, fweights=None, aweights=None):
        """PyTorch's t.cov(): the covariance matrix of the variables in the rows (observations in the columns),
        divided by N - correction, with PyTorch's (and NumPy's) frequency and analytic weights. A float Tensor keeps
        its dtype, promoted with float aweights', as torch's (ag.cov, NumPy's, computes in float64 unless given
        correction=, as here).

        >>> import autograd_core as ag
        >>> ag.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]], dtype=ag.float32).cov()
        Tensor([[ 1., -1.],
                [-1.,  1.]], dtype=float32)
        """
        return ops.cov(self, correction=correction, fweights=fweights, aweights=aweights)

    def corrcoef(self):
        """PyTorch's t.corrcoef(): the Pearson correlation coefficients of the variables in the rows, clipped to
        [-1, 1]; a float Tensor keeps its dtype, as torch's.

        >>> import autograd_core as ag
        >>> ag.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]).corrcoef()
        Tensor([[ 1., -1.],
                [-1.,  1.]])
        """
        return ops.corrcoef(self, dtype=self.dtype if self.dtype.kind == "f" else np.float64)

    def is_contiguous(self, memory_format=None):
        """PyTorch's is_contiguous: whether the values are laid out in C order (contiguous() is then self);
        memory_format=ag.contiguous_format (timm's norm layers ask so) or preserve_format asks the same.

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3)).is_contiguous(), ag.zeros((2, 3)).T.is_contiguous(memory_format=ag.contiguous_format)
        (True, False)
        """
        if memory_format is not None:
            _check_memory_format(memory_format, "is_contiguous")
        return bool(self.data.flags.c_contiguous)

    def stride(self, dim=None):
        """PyTorch's stride: how many elements one step along each dimension moves in memory (NumPy's strides, which
        count bytes, over the item size); with dim, that dimension's. An expanded Tensor steps 0 along the dimensions
        it repeats.

        >>> import autograd_core as ag
        >>> m = ag.zeros((3, 4))
        >>> m.stride(), m.T.stride(), m.stride(-1)
        ((4, 1), (1, 4), 1)
        >>> ag.tensor([10.0, 20.0, 30.0, 40.0]).expand_as(m).stride()
        (0, 1)
        """
        steps = tuple(step // self.data.itemsize for step in self.data.strides)
        return steps if dim is None else steps[_dim("stride", dim, self.ndim, scalar_dims=False)]

    def storage(self):
        """PyTorch's storage: the one-dimensional memory this Tensor's values sit in, shared with every view of it (an
        index, a transpose, t.t()), as a flat ndarray over that memory: writing to it changes them all. An ndarray
        given to from_numpy is its storage too; when that ndarray is itself a NumPy view, the storage is the whole
        array it views (torch's would start at the view), and storage_offset() counts from there.

        >>> import autograd_core as ag
        >>> points = ag.tensor([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
        >>> points.t().storage()
        array([4., 1., 5., 3., 2., 1.])
        >>> points.storage()[0] = 2.0
        >>> points[0]
        Tensor([2., 1.])
        """
        memory = _memory_of(self.data).ravel(order="K")
        if not np.shares_memory(memory, self.data):
            raise RuntimeError(f"storage: the memory of this Tensor (shape {self.shape}) is not one block NumPy can "
                               f"view flat; t.contiguous().storage() is a copy's")
        return memory

    def storage_offset(self):
        """PyTorch's storage_offset: how many elements into storage() this Tensor's first value is.

        >>> import autograd_core as ag
        >>> points = ag.tensor([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
        >>> points[1].storage_offset(), points[1:, 1].storage_offset(), points.storage_offset()
        (2, 3, 0)
        """
        memory = _memory_of(self.data)
        start = self.data.__array_interface__["data"][0] - memory.__array_interface__["data"][0]
        return start // self.data.itemsize

    def flip(self, *axes, dims=None):
        """PyTorch's flip: the elements in reverse order along the given dims, one int or several (t.flip(1),
        t.flip(0, 1), t.flip([0, 1]), t.flip(dims=(0,))), as ag.flip along them; the dims are required, as PyTorch's
        (ag.flip(t) is NumPy's, which reverses every axis). minGPT's adder reverses its digits with d3.flip(1).

        >>> import autograd_core as ag
        >>> ag.tensor([[1, 2, 3], [4, 5, 6]]).flip(1)
        Tensor([[3, 2, 1],
                [6, 5, 4]])
        """
        if dims is not None:
            if axes:
                raise TypeError(f"flip: got dims {axes!r} and dims={dims!r}; give them once")
            axes = (dims,)
        if not axes:
            raise TypeError("flip: give the dims to reverse, as PyTorch's t.flip(dims) needs them (t.flip(0), "
                            "t.flip((0, 1))); ag.flip(t) reverses every axis, as NumPy's np.flip")
        if len(axes) == 1 and isinstance(axes[0], (list, tuple)):
            axes = tuple(axes[0])  # (an empty one reverses nothing, as PyTorch's t.flip(()))
        axes = tuple(_dim("flip", axis, self.ndim) for axis in axes)
        return ops.flip(self, axes if self.ndim else ())  # (a 0-d Tensor has dim 0 or -1, as PyTorch's)

    def unfold(self, dimension, size, step):
        """PyTorch's t.unfold: the slices of `size` entries along dimension, `step` apart, that dimension becoming
        their number, (n - size) // step + 1, and a new last one of `size` (a read-only view, through
        sliding_windows: the gradients of overlapping slices add up). fastbook's chapter 17 builds a convolution with
        it; F.unfold (im2col over a batch of images) is nn.functional's.

        >>> import autograd_core as ag
        >>> ag.arange(5.0).unfold(0, 2, 2)
        Tensor([[0., 1.],
                [2., 3.]])
        """
        dim = _dim("unfold", dimension, self.ndim)
        size, step = _int("unfold", "size", size), _int("unfold", "step", step)
        n = self.shape[dim] if self.ndim else 1  # (a 0-d Tensor unfolds as one entry, as PyTorch's)
        if step < 1:  # (NumPy's ValueError and PyTorch's RuntimeError at once)
            raise InvalidArgumentError(f"unfold: step is {step} but must be > 0")
        if not 0 <= size <= n:
            raise InvalidArgumentError(f"unfold: size is {size} but must be >= 0 and at most the size {n} of dimension "
                                       f"{dim}")
        x = ops.moveaxis(self, dim, -1) if self.ndim else self.reshape(1)
        if size:
            slices = ops.sliding_windows(x, size, stride=step)
        else:  # (sliding_windows needs a window of at least one entry: the n + 1 empty slices by indexing)
            slices = x[..., np.zeros(((n - size) // step + 1, 0), dtype=np.intp)]
        return ops.moveaxis(slices, -2, dim) if self.ndim else slices.reshape(size)

    def nelement(self):
        """PyTorch's nelement: the number of elements, as numel()."""
        return self._data.size

    def element_size(self):
        """PyTorch's element_size: the bytes one element takes (NumPy's itemsize), as in K-FAC's memory accounts
        `t.nelement() * t.element_size()`.

        >>> import autograd_core as ag
        >>> ag.zeros(3, dtype=ag.float32).element_size(), ag.zeros(3).element_size()
        (4, 8)
        """
        return self._data.itemsize

    def ndimension(self):
        """PyTorch's ndimension: the number of dimensions, as dim()."""
        return self.ndim


class _AbsentAttribute:
    """A PyTorch Tensor attribute absent here, where NumPy gives the name (or the call before it) another
    meaning: reading it raises an AttributeError naming what to write instead of a bare "no attribute". A
    descriptor without __set__, so hasattr stays False and an attribute of the Tensor's own by that name
    (t.indices = ...) is kept as before."""

    def __init__(self, name, advice):
        self.name, self.advice = name, advice

    def __get__(self, tensor, owner=None):
        if tensor is None:
            return self
        raise AttributeError(f"'Tensor' object has no attribute {self.name!r}: {self.advice}")


# t.values and t.indices: PyTorch's fields of t.max(dim)'s (values, indices) pair (the DQN tutorial's
# policy_net(s).max(1).indices), where t.max(dim) is NumPy's max, the values alone (API.md)
_PAIR_ADVICE = ("t.max(dim), t.min(dim) and ag.sort(t, dim) give the values alone here (NumPy's), not PyTorch's "
                "(values, indices) pair; for .values write t.amax(dim) (t.amin(dim), ag.sort(t, dim)), for .indices "
                "t.argmax(dim) (t.argmin(dim), ag.argsort(t, dim)); ag.topk gives both")
Tensor.values, Tensor.indices = _AbsentAttribute("values", _PAIR_ADVICE), _AbsentAttribute("indices", _PAIR_ADVICE)
# t.repeat: PyTorch's tiles (HF Llama's mask.repeat(batch_size, 1, 1, 1)), NumPy's ndarray.repeat interleaves
Tensor.repeat = _AbsentAttribute("repeat", "PyTorch's t.repeat(*sizes) is ag.tile(t, sizes) (t.tile(sizes)); NumPy's "
                                        "ndarray.repeat(n, axis) is t.repeat_interleave(n, dim) (ag.repeat)")
# t.sort: PyTorch's gives a (values, indices) pair, NumPy's sorts in place (UvA tutorial 16: torch.unique(t).sort())
Tensor.sort = _AbsentAttribute(
    "sort", "PyTorch's t.sort(dim) gives a (values, indices) pair and NumPy's sorts in place, so neither is here; "
            "write indices = t.argsort(dim=dim, descending=descending), values = ag.take_along_axis(t, indices, dim) "
            "(ties in their order, as torch's stable=True), or ag.sort(t, dim) for the ascending values alone")


for _name, _method in list(vars(_TorchExtras).items()):
    if not _name.startswith("__"):
        _method.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _method)
for _name in ("amax", "amin", "narrow", "narrow_copy", "unbind", "rsqrt", "lerp", "histc", "index_fill",
              "masked_scatter", "repeat_interleave", "unflatten"):
    setattr(Tensor, _name, globals()[_name])
Tensor.logical_not, Tensor.floor_divide, Tensor.true_divide = ops.logical_not, ops.floor_divide, ops.divide
Tensor.logical_and, Tensor.logical_or, Tensor.logical_xor = ops.logical_and, ops.logical_or, ops.logical_xor
Tensor.is_sparse = Tensor.is_cuda = False  # (PyTorch's flags, read by optimizers: every Tensor is dense, on the CPU)


def share_memory_(self):
    """PyTorch's share_memory_(), for training loops written for torch.multiprocessing (mnist_hogwild): the Tensor
    itself, unchanged. Its NumPy memory belongs to this process; run such a loop's workers in it, one after another.

    >>> import autograd_core as ag
    >>> w = ag.ones(2)
    >>> w.share_memory_() is w
    True
    """
    return self


Tensor.share_memory_ = share_memory_


def is_pinned(self):
    """PyTorch's is_pinned(): False, as for every Tensor on a machine without an accelerator (page-locked memory is
    for copies to a GPU; DataLoader(pin_memory=True) is taken and pins nothing).

    >>> import autograd_core as ag
    >>> ag.ones(2).is_pinned()
    False
    """
    return False


Tensor.is_pinned = is_pinned
del _name, _method
