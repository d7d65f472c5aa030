"""PyTorch's names for Tensor methods, for code ported from it: view, unsqueeze, permute, numel, dim, the casts
(float, double, long, int, short, bool, half, type, type_as, to, cpu), contiguous, flatten(start_dim, end_dim),
expand and the _as forms, the new_* creators, add/sub/mul/div/neg and eq/ne/lt/le/gt/ge by name, masked_fill, norm,
fill_, the in-place add_/sub_/mul_/div_, abs_/neg_/exp_/log_/sqrt_/sin_/cos_/tanh_, unsqueeze_/squeeze_ and the
random fills normal_ and uniform_.
Each is a thin alias or a short composition of the engine's recorded operations (gradients, to any order, come from
them). They are set on Tensor when this module is imported, at the end of tensor.py. Names where PyTorch and NumPy
differ keep NumPy's meaning: t.size is the attribute; t.repeat and t.sort stay absent (PyTorch's t.repeat is
np.tile, its t.sort returns indices too); var/std keep ddof. torch_functions.py adds the ag functions (ag.cat,
ag.gather, ag.topk, ...) and the methods that are those functions.
"""
import math
import operator

import numpy as np

from . import ops
from ._arguments import check_device, generator_of, int_from_tensor, names_device
from .grad_mode import is_grad_enabled
from .primitive import as_operand
from .tensor import Tensor, as_value, refusing_recorded_change


class GradFn:
    """What t.grad_fn gives (PyTorch's backward node, read-only): the operation that produced t, named by name(),
    and next_functions, one (grad_fn, 0) pair per input that requires grad, as PyTorch's (a leaf's grad_fn is None,
    where PyTorch shows an AccumulateGrad node). After a backward pass freed the graph, next_functions is empty.

    >>> import autograd_core as ag
    >>> a = ag.tensor([2.0, 3.0], requires_grad=True)
    >>> q = 3 * a ** 3
    >>> q.grad_fn, q.grad_fn.name()
    (<grad_fn multiply>, 'multiply')
    >>> q.grad_fn.next_functions
    ((<grad_fn power>, 0),)
    >>> a.grad_fn is None
    True
    """

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor

    def name(self):
        return self._tensor.op_name

    @property
    def next_functions(self):
        return tuple((parent.grad_fn, 0) for parent in self._tensor._parents)

    def __eq__(self, other):
        return isinstance(other, GradFn) and other._tensor is self._tensor

    def __hash__(self):
        return id(self._tensor)

    def __repr__(self):
        return f"<grad_fn {self.name()}>"


def _in_place_math(name, ufunc, example, result):
    """The method t.<name>_(): t.<name>() written into t itself, returning t, as PyTorch's; refused as add_ is while
    recording, and for a dtype the result does not cast to (an integer Tensor's sqrt_, as PyTorch refuses it)."""
    def method(self):
        try:
            result_dtype = ufunc(np.ones(1, dtype=self.dtype)).dtype
        except TypeError as err:  # (NumPy's negative of bools)
            raise TypeError(f"{name}_: not defined for {self.dtype} Tensors ({err})") from None
        if not np.can_cast(result_dtype, self.dtype, "same_kind"):
            raise TypeError(f"{name}_: the {name} of {self.dtype} values is {result_dtype}, which cannot be written "
                            f"into the Tensor in place (PyTorch refuses it too); use t.{name}() for a new Tensor, or "
                            f"t = t.double() first")
        return self._in_place(0, f"{name}_", lambda array, _: ufunc(array, out=array), _refuse_recording(name),
                              _RECORDED_INSTEAD.format(name))
    method.__name__ = f"{name}_"
    method.__doc__ = f"""PyTorch's {name}_: the {name} of each element written in place, returning self; refused
        while recording (as add_ is) and where the result's dtype does not cast to self's (an integer sqrt_).

        >>> import autograd_core as ag
        >>> ag.tensor({example}).{name}_()
        Tensor({result})
        """
    return method


class _TorchNames:
    """The methods set on Tensor below (a class, so that each keeps its place and reads as a method)."""

    @property
    def grad_fn(self):
        """PyTorch's grad_fn: the GradFn of the operation that produced this Tensor, None for a leaf (and for a
        result computed under no_grad, a constant)."""
        return None if self.is_leaf else GradFn(self)

    def view(self, *shape):
        """PyTorch's view: reshape to a result that shares this Tensor's memory, refused where only a copy can
        have the shape (a transposed Tensor flattened), as PyTorch refuses: a write through the view must reach
        this Tensor. reshape copies there instead.

        >>> import autograd_core as ag
        >>> ag.arange(6.0).view(2, 3).shape
        (2, 3)
        """
        if len(shape) == 1 and (isinstance(shape[0], (type, np.dtype, str)) or type(shape[0]).__name__ == "dtype"):
            raise TypeError(f"view: view(dtype), which reads the bytes as another dtype, is not offered (got "
                            f"{shape[0]!r}); use .to(dtype) to convert the values, or view the array .data")
        out = ops.reshape(self, *shape)
        if out.size and not np.may_share_memory(out.data, self.data):  # NumPy copied
            raise RuntimeError(f"view: a Tensor of shape {self.shape} and strides {self.data.strides} has no view "
                               f"of shape {out.shape} (its elements are not laid out in that order in memory); use "
                               f"reshape, which copies")
        return out

    def unsqueeze(self, dim):
        """PyTorch's name for expand_dims(dim), which takes one int."""
        dim = int_from_tensor(dim)
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"unsqueeze: dim must be an int, got {dim!r}; expand_dims takes a tuple of them")
        return ops.expand_dims(self, dim)

    def permute(self, *dims):
        """PyTorch's name for transpose(*dims), which must name every axis.

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3, 4)).permute(2, 0, 1).shape
        (4, 2, 3)
        """
        if not dims or len(dims) == 1 and dims[0] is None:
            raise TypeError("permute: give the new order of every axis, e.g. t.permute(1, 0); t.T reverses them")
        return ops.transpose(self, *dims)

    def numel(self):
        """PyTorch's name for .size, the number of elements."""
        return self.size

    def dim(self):
        """PyTorch's name for .ndim, the number of dimensions."""
        return self.ndim

    def float(self):
        """PyTorch's float(): astype(np.float32), differentiable from a float dtype; self when already float32 (as
        every cast here: PyTorch's casts return self then, so a leaf stays a leaf).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).float().dtype, ag.tensor([1, 2]).double().dtype
        (dtype('float32'), dtype('float64'))
        """
        return ops.astype(self, np.float32, copy=False)

    def double(self):
        """PyTorch's double(): astype(np.float64), differentiable from a float dtype."""
        return ops.astype(self, np.float64, copy=False)

    def t(self):
        """PyTorch's t(): a matrix transposed; a 0-d or 1-d Tensor as it is (more dimensions are refused)."""
        if self.ndim > 2:
            raise ValueError(f"t: expects a Tensor of at most 2 dimensions, got shape {self.shape}; use .mT to "
                             f"transpose the last two axes, or .permute")
        return ops.transpose(self)  # (a new node for 0-d and 1-d too, as PyTorch's view)


    # ---- casts ----
    def long(self):
        """PyTorch's long(): astype(np.int64), a constant (an integer cast has no gradient).

        >>> import autograd_core as ag
        >>> ag.tensor([1.7, -2.7]).long()
        Tensor([ 1, -2])
        """
        return ops.astype(self, np.int64, copy=False)

    def int(self):
        """PyTorch's int(): astype(np.int32), a constant (an integer cast has no gradient).

        >>> import autograd_core as ag
        >>> ag.tensor([1.7]).int().dtype
        dtype('int32')
        """
        return ops.astype(self, np.int32, copy=False)

    def short(self):
        """PyTorch's short(): astype(np.int16), a constant (an integer cast has no gradient).

        >>> import autograd_core as ag
        >>> ag.tensor([1.7, -2.7]).short()
        Tensor([ 1, -2], dtype=int16)
        """
        return ops.astype(self, np.int16, copy=False)

    def bool(self):
        """PyTorch's bool(): astype(bool), nonzero values True (a constant).

        >>> import autograd_core as ag
        >>> ag.tensor([0.0, 0.5]).bool()
        Tensor([False,  True])
        """
        return ops.astype(self, np.bool_, copy=False)

    def half(self):
        """PyTorch's half(): astype(np.float16), differentiable from a float dtype.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).half().dtype
        dtype('float16')
        """
        return ops.astype(self, np.float16, copy=False)

    def type_as(self, other):
        """PyTorch's type_as: astype(other.dtype), other a Tensor or an array.

        >>> import autograd_core as ag
        >>> ag.tensor([1, 2]).type_as(ag.tensor([0.5])).dtype
        dtype('float64')
        """
        return ops.astype(self, _dtype_of("type_as", other), copy=False)

    def type(self, dtype=None, non_blocking=False):
        """PyTorch's type(dtype): the values converted to dtype, as to(dtype) (self when they have it already;
        torch.float and the other torch dtypes are read by name). PyTorch's type() without a dtype returns a name
        such as 'torch.FloatTensor': here it raises, naming t.dtype.

        >>> import numpy as np, autograd_core as ag
        >>> (ag.tensor([1, 2]) == ag.tensor([1, 3])).type(np.float32)
        Tensor([1., 0.], dtype=float32)
        """
        if dtype is None:
            raise TypeError("type: give the dtype to convert to, as t.type(np.float32); t.dtype is this Tensor's "
                            "dtype (PyTorch's t.type() names its class, such as 'torch.FloatTensor')")
        return self.to(dtype, non_blocking=non_blocking)

    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
        """PyTorch's to: to(dtype), to(device), to(device, dtype), to(other) (other's dtype) or keywords; self when
        nothing changes (copy=True: a copy that keeps the graph). The only device is the CPU ('cpu', 'cpu:0' or a
        torch.device of it); torch's dtypes (torch.float32) are read by name as NumPy's. non_blocking has no effect;
        as in PyTorch, non_blocking and copy may follow the others positionally.

        >>> import numpy as np, autograd_core as ag
        >>> t = ag.tensor([1.0, 2.0])
        >>> t.to(np.float32).dtype, t.to("cpu") is t, t.to("cpu", np.int64)
        (dtype('float32'), True, Tensor([1, 2]))
        """
        flags = 0  # (PyTorch's non_blocking and copy may follow positionally: to(dtype, False, True))
        while flags < min(2, len(args) - 1) and isinstance(args[len(args) - 1 - flags], (bool, np.bool_)):
            flags += 1
        if flags == 2:
            copy = bool(args[-1])
        args = args[:len(args) - flags]
        if len(args) > 2:
            raise TypeError(f"to: takes at most a device and a dtype (or another Tensor), then non_blocking and copy, "
                            f"got {len(args)} arguments before them")
        for arg in args:
            if isinstance(arg, (bool, np.bool_)):
                raise TypeError(f"to: got {arg!r} where a dtype, a device or a Tensor belongs (non_blocking and copy "
                                f"come after them)")
            if isinstance(arg, (Tensor, np.ndarray)):
                if len(args) > 1:
                    raise TypeError("to: a Tensor argument (whose dtype is taken) comes alone")
                dtype = _given("to", "dtype", dtype, arg.dtype)
            elif names_device(arg):
                device = _given("to", "device", device, arg)
            else:
                dtype = _given("to", "dtype", dtype, arg)
        check_device(device, "to")
        out = self if dtype is None or np.dtype(_numpy_dtype("to", dtype)) == self.dtype else ops.astype(
            self, _numpy_dtype("to", dtype))
        return ops.copy(out) if copy and out is self else out

    def cpu(self):
        """PyTorch's cpu(): self (every Tensor is on the CPU)."""
        return self

    @property
    def device(self):
        """Where the values live: always 'cpu', the string NumPy 2's ndarray.device gives (PyTorch's is a
        torch.device, whose str is 'cpu'), so code written for a device, `ag.zeros(n, device=x.device)` or
        `t.to(x.device)`, runs unchanged.

        >>> import autograd_core as ag
        >>> x = ag.ones(2)
        >>> x.device, ag.zeros(2, device=x.device).device, x.to(x.device) is x
        ('cpu', 'cpu', True)
        """
        return "cpu"

    # ---- layout and shape ----
    def contiguous(self):
        """PyTorch's contiguous(): self when its values are laid out in C order, else a C-ordered copy that keeps
        the graph.

        >>> import autograd_core as ag
        >>> t = ag.zeros((2, 3)).T
        >>> t.data.flags.c_contiguous, t.contiguous().data.flags.c_contiguous
        (False, True)
        """
        if self.data.flags.c_contiguous:
            return self
        return ops.flatten(self).reshape(self.shape)  # (flatten copies in C order; reshape of that is a view)

    def flatten(self, start_dim=0, end_dim=-1):
        """Without arguments ag.flatten(self), a 1-D copy as ndarray.flatten(); with them PyTorch's flatten: the
        dims start_dim..end_dim merged into one (a reshape: a view where the layout allows, as torch's).

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3, 4)).flatten(1).shape, ag.zeros((2, 3, 4)).flatten().shape
        ((2, 12), (24,))
        """
        start_dim, end_dim = int_from_tensor(start_dim), int_from_tensor(end_dim)
        if start_dim == 0 and end_dim == -1 and type(start_dim) is type(end_dim) is int:
            return ops.flatten(self)
        for name, value in (("start_dim", start_dim), ("end_dim", end_dim)):
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"flatten: {name} must be an int (PyTorch's flatten(start_dim, end_dim); NumPy's "
                                f"order= is not supported), got {value!r}")
        ndim = max(self.ndim, 1)
        if not (-ndim <= start_dim < ndim and -ndim <= end_dim < ndim):
            raise IndexError(f"flatten: start_dim={start_dim} and end_dim={end_dim} must be in [{-ndim}, {ndim}) for "
                             f"a Tensor of shape {self.shape}")
        start, end = start_dim % ndim, end_dim % ndim
        if start > end:
            raise ValueError(f"flatten: start_dim={start_dim} comes after end_dim={end_dim} (shape {self.shape})")
        shape = self.shape or (1,)
        return ops.reshape(self, shape[:start] + (int(np.prod(shape[start:end + 1])),) + shape[end + 1:])

    def expand(self, *sizes):
        """PyTorch's expand: a broadcast view of new sizes, -1 keeping a size; new axes may be added in front (not
        as -1). Only size-1 axes expand, as torch's (broadcast_to's NumPy rules in PyTorch's spelling).

        >>> import autograd_core as ag
        >>> ag.tensor([[1.0], [2.0]]).expand(3, -1, 4).shape
        (3, 2, 4)
        """
        sizes = _sizes("expand", sizes)
        shape, lead = self.shape, len(sizes) - self.ndim
        if lead < 0:
            raise ValueError(f"expand: the number of sizes given ({len(sizes)}) must be at least the number of "
                             f"dimensions of the Tensor ({self.ndim}, shape {shape}); got sizes {sizes}")
        target = []
        for i, n in enumerate(sizes):
            old = shape[i - lead] if i >= lead else None
            if n == -1 and old is None:
                raise ValueError(f"expand: the size -1 is not allowed in a new leading dimension ({i}); sizes "
                                 f"{sizes}, Tensor shape {shape}")
            if n < -1 or old is not None and n not in (-1, old) and old != 1:
                raise ValueError(f"expand: the expanded size {n} must match the existing size {old} at "
                                 f"non-singleton dimension {i}; target sizes {sizes}, Tensor shape {shape}")
            target.append(old if n == -1 else n)
        return ops.broadcast_to(self, tuple(target))

    def expand_as(self, other):
        """PyTorch's expand_as: expand(*other.shape).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).expand_as(ag.zeros((3, 2))).shape
        (3, 2)
        """
        return self.expand(*_shape_of("expand_as", other))

    def view_as(self, other):
        """PyTorch's view_as: view(*other.shape).

        >>> import autograd_core as ag
        >>> ag.arange(4.0).view_as(ag.zeros((2, 2))).shape
        (2, 2)
        """
        return self.view(*_shape_of("view_as", other))

    def reshape_as(self, other):
        """PyTorch's reshape_as: reshape(*other.shape).

        >>> import autograd_core as ag
        >>> ag.arange(4.0).reshape_as(ag.zeros((2, 2))).shape
        (2, 2)
        """
        return ops.reshape(self, _shape_of("reshape_as", other))

    # ---- new Tensors like self (self's dtype by default; constants unless requires_grad) ----
    def new_zeros(self, *size, dtype=None, requires_grad=False):
        """PyTorch's new_zeros: zeros of size (ints, or one tuple), in self's dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1], dtype="int32").new_zeros(2, 3).dtype
        dtype('int32')
        """
        return _new(self, "new_zeros", size, 0, dtype, requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        """PyTorch's new_ones: ones of size (ints, or one tuple), in self's dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).new_ones((2,))
        Tensor([1., 1.])
        """
        return _new(self, "new_ones", size, 1, dtype, requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, requires_grad=False):
        """PyTorch's new_full: fill_value in every element of size, in self's dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).new_full((2,), 7)
        Tensor([7., 7.])
        """
        return _new(self, "new_full", (size,), fill_value, dtype, requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False):
        """PyTorch's new_empty: a Tensor of size in self's dtype; its values are zeros here (torch leaves them
        uninitialised).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).new_empty(2).shape
        (2,)
        """
        return _new(self, "new_empty", size, 0, dtype, requires_grad)

    def new_tensor(self, data, *, dtype=None, requires_grad=False):
        """PyTorch's new_tensor: a new leaf holding a copy of data (a Tensor's value, cut from its graph), in self's
        dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1], dtype="int32").new_tensor([2.7, 3.1])
        Tensor([2, 3], dtype=int32)
        """
        dtype = self.dtype if dtype is None else _numpy_dtype("new_tensor", dtype)
        return Tensor(data, requires_grad=requires_grad, dtype=dtype)

    # ---- arithmetic and comparisons by name ----
    def add(self, other, *, alpha=1):
        """PyTorch's add: self + alpha * other.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).add(ag.tensor([1.0, 1.0]), alpha=10)
        Tensor([11., 12.])
        """
        return self + _times_alpha(other, alpha, "add")

    def sub(self, other, *, alpha=1):
        """PyTorch's sub: self - alpha * other.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).sub(1.0, alpha=2)
        Tensor([-1.,  0.])
        """
        return self - _times_alpha(other, alpha, "sub")

    def polygamma(self, n):
        """PyTorch's t.polygamma(n): ag.polygamma(n, self), the n-th derivative of digamma.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).polygamma(1)
        Tensor([1.64493407])
        """
        return ops.polygamma(n, self)

    def mul(self, other):
        """PyTorch's mul: self * other.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).mul(3)
        Tensor([3., 6.])
        """
        return self * other

    def div(self, other, *, rounding_mode=None):
        """PyTorch's div: self / other; rounding_mode "floor" rounds the quotient down (self // other, a constant),
        "trunc" towards zero (gradient 0, as torch's); of integers both give integers, exactly, and refuse a 0
        divisor (ZeroDivisionError), as PyTorch's.

        >>> import autograd_core as ag
        >>> ag.tensor([-3.0, 3.0]).div(2, rounding_mode="trunc")
        Tensor([-1.,  1.])
        """
        if rounding_mode is None:
            return self / other
        if rounding_mode not in ("floor", "trunc"):
            raise ValueError(f"div: rounding_mode must be None, 'floor' or 'trunc', got {rounding_mode!r}")
        divisor = np.asarray(as_value(other))
        kind = np.result_type(self.data, divisor if divisor.ndim else as_value(other))
        if kind == np.float16 and isinstance(other, (int, float)):  # (by a Python number PyTorch rounds the
            # float32 quotient once, after rounding; rounded to float16 first, one just below a whole number became it)
            return ops.astype(ops.astype(self, np.float32).div(other, rounding_mode=rounding_mode), np.float16)
        if kind.kind in "iub":
            if not divisor.all() and np.broadcast(self.data, divisor).size:  # (NumPy's gives 0 with a warning)
                raise ZeroDivisionError(f"div: integer division by zero (rounding_mode={rounding_mode!r}, dtype "
                                        f"{self.dtype}), as PyTorch refuses it")
            if rounding_mode == "trunc":  # exact, in the integer dtype, as PyTorch's (not via a float quotient)
                floor = np.asarray((self // other).data)  # (the engine's floor_divide names an operand out of range)
                inexact = np.remainder(self.data, as_value(other)) != 0
                return Tensor._constant(floor + (inexact & (floor < 0)).astype(floor.dtype))
        return self // other if rounding_mode == "floor" else ops.trunc(self / other)

    neg = ops.negative
    matmul = ops.matmul
    eq, ne, lt, le, gt, ge = ops.equal, ops.not_equal, ops.less, ops.less_equal, ops.greater, ops.greater_equal

    def masked_fill(self, mask, value):
        """PyTorch's masked_fill, out of place: value (a number, or a 0-d Tensor, which gets its share of the
        gradient) where the boolean mask is True, self elsewhere, in self's dtype; mask broadcasts with self.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0, 3.0]).masked_fill(ag.tensor([True, False, True]), 0.0)
        Tensor([0., 2., 0.])
        """
        mask_value = _checked_mask("masked_fill", self, mask, value)
        out = ops.where(mask_value, value, self)
        return out if out.dtype == self.dtype else ops.astype(out, self.dtype)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        """PyTorch's Tensor.norm: the p-norm of the entries over dim (None: all of them, as one vector; an int or a
        tuple of ints), on ag.linalg's norms: p a number (inf, -inf, 0, 1, 2, ...), "fro" (the 2-norm of the
        entries) or "nuc" (over two dims). At a zero vector the gradient is 0, as torch's.

        >>> import autograd_core as ag
        >>> ag.tensor([[3.0, 4.0], [0.0, 0.0]]).norm(dim=1)
        Tensor([5., 0.])
        """
        x = self if dtype is None else ops.astype(self, _numpy_dtype("norm", dtype))
        if isinstance(dim, list):
            dim = tuple(dim)
        if dim == ():  # (every entry, as PyTorch's; NumPy's axis=() would take each entry's absolute value)
            dim = None
        if p == "nuc":
            axes = (-2, -1) if dim is None else dim
            if not isinstance(axes, tuple) or len(axes) != 2:
                raise ValueError(f"norm: p='nuc' needs two dims, got dim={dim!r}")
            return ops.linalg.norm(x, "nuc", axis=axes, keepdims=keepdim)
        if p == "fro" or p is None:
            p = 2
        if isinstance(p, str):
            raise ValueError(f"norm: p must be a number, 'fro' or 'nuc', got {p!r}")
        return ops.linalg.vector_norm(x, axis=dim, keepdims=keepdim, ord=p)

    def fill_(self, value):
        """PyTorch's fill_: every element set to value in place, as zero_ (refused on a leaf that requires grad
        while gradients are recorded, and on a recorded result).

        >>> import autograd_core as ag
        >>> ag.zeros(2).fill_(3.0)
        Tensor([3., 3.])
        """
        if np.ndim(value.data if isinstance(value, Tensor) else value) != 0:
            raise ValueError(f"fill_: value must be a number or a 0-d Tensor, got shape {np.shape(value)}")
        if isinstance(value, Tensor) and value.requires_grad and is_grad_enabled():  # (its gradient would be lost)
            raise TypeError("fill_: the value requires grad, and filling in place would cut it from the graph (as "
                            "item assignment refuses it); build a new Tensor, e.g. value.expand(t.shape) or "
                            "ag.where(mask, value, t), or fill under ag.no_grad() to use its value alone")
        value = _fill_value("fill_", value, self.dtype, wraps=False)
        return self._in_place(0, "fill_", lambda array, _: array.fill(value), _refuse_recorded_fill,
                              "use t.new_full(t.shape, value) for a new Tensor")

    def detach_(self):
        """PyTorch's detach_: cut this Tensor from the graph that made it, in place, and return it; it becomes a
        leaf that does not require grad (`p.grad.detach_(); p.grad.zero_()` in a hand-written optimizer's
        zero_grad, where p.grad may have been recorded by backward(create_graph=True)). Unlike PyTorch, results
        computed from it before the call no longer reach the graph behind it either.

        >>> import autograd_core as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> h = (x * 3).detach_()
        >>> h.is_leaf, h.requires_grad, h.grad_fn, h.zero_()
        (True, False, None, Tensor([0., 0.]))
        """
        if self._op is not None:  # (the inputs it held for its gradient rule are released with the graph)
            self._op, self._parents, self._inputs = None, (), None
        self._requires_grad = False
        return self

    def add_(self, other, *, alpha=1):
        """PyTorch's add_: self += alpha * other in place, returning self (`p.add_(p.grad, alpha=-lr)` under
        ag.no_grad()). As the operator `+=` outside recording; while recording, where `x += ...` makes x a new node,
        a method cannot rebind x, so it is refused (write x = x.add(...)).

        >>> import autograd_core as ag
        >>> ag.ones(2).add_(ag.tensor([1.0, 2.0]), alpha=10)
        Tensor([11., 21.])
        """
        return self._in_place(_times_alpha(other, alpha, "add_"), "add_", operator.iadd, _refuse_recording("add"),
                              _RECORDED_INSTEAD.format("add"))

    def sub_(self, other, *, alpha=1):
        """PyTorch's sub_: self -= alpha * other in place, returning self; recording refused as add_'s.

        >>> import autograd_core as ag
        >>> ag.ones(2).sub_(0.5)
        Tensor([0.5, 0.5])
        """
        return self._in_place(_times_alpha(other, alpha, "sub_"), "sub_", operator.isub, _refuse_recording("sub"),
                              _RECORDED_INSTEAD.format("sub"))

    def mul_(self, other):
        """PyTorch's mul_: self *= other in place, returning self; recording refused as add_'s.

        >>> import autograd_core as ag
        >>> ag.ones(2).mul_(3)
        Tensor([3., 3.])
        """
        return self._in_place(other, "mul_", operator.imul, _refuse_recording("mul"),
                              _RECORDED_INSTEAD.format("mul"))

    def div_(self, other):
        """PyTorch's div_: self /= other in place, returning self (an integer Tensor is refused: the quotient is a
        float); recording refused as add_'s.

        >>> import autograd_core as ag
        >>> ag.ones(2).div_(4)
        Tensor([0.25, 0.25])
        """
        return self._in_place(other, "div_", operator.itruediv, _refuse_recording("div"),
                              _RECORDED_INSTEAD.format("div"))

    # PyTorch's in-place elementwise functions, t.sqrt_() and the like: each the method below, under its name
    abs_ = _in_place_math("abs", np.abs, "[-1.5, 2.0]", "[1.5, 2. ]")
    neg_ = _in_place_math("neg", np.negative, "[-1.5, 2.0]", "[ 1.5, -2. ]")
    exp_ = _in_place_math("exp", np.exp, "[0.0, 1.0]", "[1.        , 2.71828183]")
    log_ = _in_place_math("log", np.log, "[1.0, 1.0]", "[0., 0.]")
    sqrt_ = _in_place_math("sqrt", np.sqrt, "[4.0, 9.0]", "[2., 3.]")
    sin_ = _in_place_math("sin", np.sin, "[0.0, 0.0]", "[0., 0.]")
    cos_ = _in_place_math("cos", np.cos, "[0.0, 0.0]", "[1., 1.]")
    tanh_ = _in_place_math("tanh", np.tanh, "[0.0, 0.0]", "[0., 0.]")

    def unsqueeze_(self, dim):
        """PyTorch's unsqueeze_: a size-1 axis inserted at dim in place, returning self (`target.unsqueeze_(-1)`).
        Only the shape changes (the memory stays shared with views), counted as a change, as PyTorch counts it;
        refused on a leaf that requires grad while gradients are recorded, and on a recorded result (write
        x = x.unsqueeze(dim)).

        >>> import autograd_core as ag
        >>> t = ag.tensor([1, 2, 3])
        >>> t.unsqueeze_(-1).shape, t.shape
        ((3, 1), (3, 1))
        """
        return self._reshape_in_place("unsqueeze_", self.detach().unsqueeze(dim).shape, "x = x.unsqueeze(dim)")

    def squeeze_(self, dim=None):
        """PyTorch's squeeze_: size-1 axes (all, or the one at dim) removed in place, returning self; refused as
        unsqueeze_ is. As squeeze, an axis at dim whose size is not 1 is refused (PyTorch keeps it).

        >>> import autograd_core as ag
        >>> t = ag.zeros((1, 3, 1))
        >>> t.squeeze_(0).shape, t.squeeze_().shape
        ((3, 1), (3,))
        """
        shape = self.detach().squeeze(dim=dim).shape if dim is not None else self.detach().squeeze().shape
        return self._reshape_in_place("squeeze_", shape, "x = x.squeeze(dim)")

    def _reshape_in_place(self, owner, shape, instead):
        if self._op is not None or self._requires_grad and is_grad_enabled():
            what = (f"was computed by '{self._op.name}' in a recorded graph" if self._op is not None else
                    "is a leaf that requires grad, while gradients are recorded")
            raise RuntimeError(f"{owner}: this Tensor (shape {self.shape}) {what}, so its shape cannot change in "
                               f"place (backward reads it, and a method cannot rebind x to a new node); write "
                               f"{instead} for a new, recorded Tensor")
        self._data = self.data.reshape(shape)  # (a view of the same memory: expand_dims/squeeze never copy)
        self._count_change()
        return self

    def normal_(self, mean=0.0, std=1.0, *, generator=None, rng=None):
        """PyTorch's normal_: every element replaced in place by a sample of the normal distribution (mean, std),
        drawn from rng (or generator=, PyTorch's name) as ag.randn's. Refused as fill_ is: on a leaf that requires
        grad while gradients are recorded (write it under ag.no_grad(), or use nn.init.normal_), on a recorded
        result, and on a Tensor that is not of a float dtype.

        >>> import autograd_core as ag
        >>> w = ag.zeros((2, 3), requires_grad=True)
        >>> with ag.no_grad():
        ...     _ = w.normal_(0.0, 0.01, rng=0)
        >>> bool((w.data != 0).all()), w.requires_grad
        (True, True)
        """
        mean, std = _number("normal_", "mean", mean), _number("normal_", "std", std, low=0.0)
        return self._fill_random("normal_", rng, generator, lambda draw, shape: draw.normal(mean, std, shape))

    def uniform_(self, from_=0.0, to=1.0, *, generator=None, rng=None):
        """PyTorch's uniform_: every element replaced in place by a sample of the uniform distribution on [from_,
        to) (PyTorch's from, a Python keyword, is from_ here), drawn from rng (or generator=) as ag.randn's; refused
        as normal_ is.

        >>> import autograd_core as ag
        >>> t = ag.zeros(100).uniform_(-1.0, 1.0, rng=0)
        >>> bool((t.data >= -1).all() and (t.data < 1).all())
        True
        """
        low, high = _number("uniform_", "from_", from_), _number("uniform_", "to", to)
        if low > high:
            raise ValueError(f"uniform_: expects from_ <= to, got from_={low} and to={high}")
        return self._fill_random("uniform_", rng, generator, lambda draw, shape: draw.uniform(low, high, shape))

    def _fill_random(self, owner, rng, generator, draw):
        if self.dtype.kind != "f":
            raise TypeError(f"{owner}: fills with random floats, so the Tensor must be of a float dtype, got "
                            f"{self.dtype}; cast it first (t.float())")
        source = generator_of(rng, generator, owner)
        return self._in_place(0, owner, lambda array, _: array.__setitem__(Ellipsis, draw(source, array.shape)),
                              refusing_recorded_change(owner, "use a new Tensor"),
                              f"use nn.init.{owner}(t, ...), which does")


def _numpy_dtype(owner, dtype):
    """dtype as a NumPy dtype; one of torch's (torch.float32) by its name."""
    text = str(dtype)
    if text.startswith("torch."):  # torch.float32, torch.long: NumPy's of the same name
        text = {"torch.long": "int64", "torch.int": "int32", "torch.float": "float32", "torch.double": "float64",
                "torch.half": "float16"}.get(text, text[len("torch."):])
        dtype = text
    try:
        return np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"{owner}: {dtype!r} is not a dtype ({err}); give a NumPy dtype such as np.float32") from None


def _dtype_of(owner, other):
    if not isinstance(other, (Tensor, np.ndarray)):
        raise TypeError(f"{owner}: expects a Tensor (or an array) whose dtype to take, got {type(other).__name__}")
    return other.dtype


def _shape_of(owner, other):
    if not isinstance(other, (Tensor, np.ndarray)):
        raise TypeError(f"{owner}: expects a Tensor (or an array) whose shape to take, got {type(other).__name__}")
    return other.shape


def _given(owner, name, current, value):
    if current is not None:
        raise TypeError(f"{owner}: {name} given twice ({current!r} and {value!r})")
    return value


def _sizes(owner, sizes):
    """sizes given as ints, or as one tuple/list of them, as a tuple of ints."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    sizes = tuple(int_from_tensor(n) for n in sizes)
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) for n in sizes):
        raise TypeError(f"{owner}: sizes must be ints (or one tuple of them), got {sizes!r}")
    return tuple(int(n) for n in sizes)


def _number(owner, name, value, low=None):
    """value (a real number, or a 0-d Tensor or array) as a float, refused when it is not one, not finite, or
    below low."""
    number = value.item() if isinstance(value, (Tensor, np.ndarray, np.generic)) and np.ndim(value) == 0 else value
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        raise TypeError(f"{owner}: {name} must be a finite real number, got {value!r}")
    if low is not None and number < low:
        raise ValueError(f"{owner}: {name} must be >= {low}, got {number}")
    return float(number)


_RECORDED_INSTEAD = "write x = x.{}(...) for a new, recorded Tensor"


def _refuse_recording(name):
    """The refusal of t.<name>_(other) while gradients are recorded: `x op= other` would make x a new node, which a
    method cannot do (its caller's x would stay the old one)."""
    def refuse(x, _):
        why = (f"this Tensor was computed by '{x._op.name}' in a recorded graph" if x._op is not None else
               "the other operand requires grad")
        raise RuntimeError(f"{name}_: {why}, so the result must be a new recorded Tensor, which an in-place method "
                           f"cannot return; {_RECORDED_INSTEAD.format(name)}, or call {name}_ under ag.no_grad()")
    return refuse


_refuse_recorded_fill = refusing_recorded_change("fill_", "use x.new_full(x.shape, value) for a new Tensor")


def _new(tensor, owner, size, fill_value, dtype, requires_grad):
    shape = _sizes(owner, size)
    if any(n < 0 for n in shape):
        raise ValueError(f"{owner}: sizes must be non-negative, got {shape}")
    dtype = tensor.dtype if dtype is None else _numpy_dtype(owner, dtype)
    if np.ndim(fill_value.data if isinstance(fill_value, Tensor) else fill_value) != 0:
        raise ValueError(f"{owner}: fill_value must be a number or a 0-d Tensor, got shape {np.shape(fill_value)}")
    fill_value = np.asarray(_fill_value(owner, fill_value, dtype)).astype(dtype)  # (-1 wraps into uint8, as torch)
    return Tensor(np.full(shape, fill_value, dtype=dtype), requires_grad=requires_grad)


def _times_alpha(other, alpha, owner):
    """alpha * other for add/sub's alpha=, other taken as an array first: alpha * [1.0] would repeat a list."""
    if alpha == 1:
        return other
    return alpha * (other if isinstance(other, Tensor) else as_operand(other, owner))


def _checked_mask(owner, x, mask, value):
    """masked_fill's mask, as a boolean array (a copy, as the index of gather) that broadcasts with x; value checked
    as a fill for x's dtype."""
    mask_value = np.array(mask.data if isinstance(mask, Tensor) else mask)
    if mask_value.dtype != np.bool_:
        raise TypeError(f"{owner}: mask must be a boolean Tensor, got dtype {mask_value.dtype}; for a mask of 0s and "
                        f"1s write mask.bool() (PyTorch takes boolean masks only, too)")
    if np.ndim(value.data if isinstance(value, Tensor) else value) != 0:
        raise ValueError(f"{owner}: value must be a number or a 0-d Tensor, got shape {np.shape(value)}")
    _fill_value(owner, value, x.dtype)
    try:
        np.broadcast_shapes(mask_value.shape, x.shape)
    except ValueError:
        raise ValueError(f"{owner}: mask of shape {mask_value.shape} does not broadcast with the Tensor's shape "
                         f"{x.shape}") from None
    return mask_value


def _fill_value(owner, value, dtype, wraps=True):
    """value (a number, or a 0-d Tensor or array) as a number, refused as PyTorch refuses a fill value that dtype
    cannot hold: for an integer dtype an int out of its range (from -max for an unsigned one, which wraps around as
    in PyTorch, unless wraps is False), or a float that is NaN, ±inf, below its minimum or not below max + 1 (its
    fraction is cut toward 0, so 255.5 gives a uint8 255, as PyTorch 2.14's; 2.13 refused it; a float never wraps);
    for a float dtype a finite number beyond its range (which would become inf). A boolean dtype takes any number."""
    number = value.item() if isinstance(value, (Tensor, np.ndarray, np.generic)) else value
    if not isinstance(number, (int, float)):  # (None or text: NumPy's fill made NaN of None; complex lost its
        raise TypeError(f"{owner}: the value must be a real number (or a 0-d Tensor), got {value!r}")  # imaginary part)
    if dtype.kind not in "iuf" or isinstance(number, bool):
        return number
    if dtype.kind == "f":
        if math.isfinite(number) and abs(number) > float(np.finfo(dtype).max):
            raise OverflowError(f"{owner}: the value {number!r} cannot be converted to dtype {dtype} without "
                                f"overflow; it must be in [{np.finfo(dtype).min}, {np.finfo(dtype).max}] (or ±inf "
                                f"or NaN), as PyTorch requires")
        return number
    info = np.iinfo(dtype)
    low, high = (-int(info.max) if wraps and dtype.kind == "u" else int(info.min)), int(info.max)
    if isinstance(number, int):
        fits = low <= number <= high
    else:  # (Python compares a float with an int exactly: 2.0**63 is not below 2**63)
        fits = math.isfinite(number) and int(info.min) <= number < high + 1
    if not fits:
        raise OverflowError(f"{owner}: the value {number!r} cannot be converted to dtype {dtype} without overflow; "
                            f"it must be an int in [{low}, {high}] or a float in [{info.min}, {high + 1}) (its "
                            f"fraction cut toward 0), as PyTorch requires")
    return number


for _name, _method in list(vars(_TorchNames).items()):
    if not _name.startswith("__"):
        if getattr(_method, "__qualname__", "").startswith("_TorchNames."):  # (not the ops set as they are)
            _method.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _method)
del _name, _method


def _reversed(self):
    """reversed(t): the rows in reverse order as one Tensor, t.flip(0), as PyTorch's (a 0-d Tensor is itself); NumPy's
    gives an iterator of the same rows, so `for row in reversed(t)` means the same in both.

    >>> import autograd_core as ag
    >>> reversed(ag.tensor([[1, 2], [3, 4]]))
    Tensor([[3, 4],
            [1, 2]])
    """
    return self if self.ndim == 0 else ops.flip(self, 0)


_reversed.__name__, _reversed.__qualname__ = "__reversed__", "Tensor.__reversed__"
Tensor.__reversed__ = _reversed

Tensor.movedim = ops.moveaxis  # PyTorch's name
Tensor.clone = ops.copy  # PyTorch's name
Tensor.tril, Tensor.triu = ops.tril, ops.triu  # PyTorch's methods: t.tril(diagonal=0)
# PyTorch's names for the inverse functions, for code ported from it
Tensor.asin, Tensor.acos, Tensor.atan, Tensor.atan2, Tensor.asinh, Tensor.acosh, Tensor.atanh = (
    ops.arcsin, ops.arccos, ops.arctan, ops.arctan2, ops.arcsinh, ops.arccosh, ops.arctanh)

from . import torch_functions  # noqa: E402,F401  (the functions, and the methods that are them)
from . import torch_extras  # noqa: E402,F401  (more of PyTorch's names)
