"""PyTorch's names for Tensor methods, for code ported from it: view, unsqueeze, permute, numel, dim, the casts
(float, double, long, int, short, bool, half, type, type_as, to, cpu), contiguous, flatten(start_dim, end_dim),
expand and the _as forms, the new_* creators and the legacy new, add/sub/mul/div/neg and eq/ne/lt/le/gt/ge by name,
masked_fill, norm, unique, grad_fn.
Each is a thin alias or a short composition of the engine's recorded operations (gradients, to any order, come from
them). They are set on Tensor when this module is imported, at the end of tensor.py. Names where PyTorch and NumPy
differ keep NumPy's meaning: t.size is NumPy's int (which, called, is PyTorch's size(): see tensor._Size); t.repeat
and t.sort stay absent (PyTorch's t.repeat is np.tile, its t.sort returns indices too; reading either
raises an AttributeError naming the spelling here, torch_extras.py); var/std keep ddof.
torch_functions.py adds the ag functions (ag.cat, ag.topk, ...) and the methods that are those functions,
torch_indexing.py the indexing ones (ag.gather, ag.scatter, ...) and theirs,
torch_in_place.py the in-place methods (add_, fill_, normal_, ...), torch_extras.py more of PyTorch's names.
"""
import numpy as np

from . import ops
from ._arguments import (InvalidArgumentError, RuntimeTypeError, check_device, checked_fill_value, int_from_tensor,
                         is_int, names_device, reduction_from_torch)
from .creation import TENSOR_TYPE_DTYPES, _check_memory_format, contiguous_format, tensor_type_dtype
from .ops.rounding import floor_quotient
from .primitive import as_operand
from .tensor import Tensor, as_value
from .grad_fn import GradFn
from .torch_size import Size


class _Device(str):
    """The string 'cpu' with torch.device's fields type ('cpu') and index (None), so that code asking
    x.device.type == "cuda" (HF transformers' models, autocast's device_type=x.device.type) runs unchanged."""

    __slots__ = ()

    @property
    def type(self):
        return "cpu"

    @property
    def index(self):
        return None


_CPU = _Device("cpu")


class _TorchNames:
    """The methods set on Tensor below (a class, so that each keeps its place and reads as a method)."""

    @property
    def grad_fn(self):
        """PyTorch's grad_fn: the GradFn of the operation that produced this Tensor, None for a leaf (and for a
        result computed under no_grad, a constant)."""
        return None if self.is_leaf else GradFn(self)

    @property
    def output_nr(self):
        """PyTorch's output_nr, which output of its grad_fn this Tensor is: 0 (every node here has one output;
        ag.autograd.graph.GradientEdge(t.grad_fn, t.output_nr) is get_gradient_edge(t))."""
        return 0

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
        order = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        n = max(self.ndim, 1)  # (a dim out of range is left to transpose's AxisError; a dim twice must not reach
        if all(is_int(d) and -n <= d < n for d in order) and (  # transpose(0, 0), which keeps a matrix as it is)
                len(order) != self.ndim or len({d % n for d in order}) < len(order)):
            raise InvalidArgumentError(f"permute: dims {order} must name each of the {self.ndim} axes of the Tensor "
                                       f"(shape {self.shape}) once, as a reordering of range({self.ndim})")
        return ops.transpose(self, *dims)

    def numel(self):
        """PyTorch's numel: the number of elements, a plain int (.size, not called)."""
        return self._data.size

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
        torch.float and the other torch dtypes are read by name), which may also be a tensor type, as PyTorch's:
        ag.FloatTensor (dtype = torch.FloatTensor; x.type(dtype)) or a name, 'torch.FloatTensor'. Without a dtype,
        PyTorch's name of this Tensor's type, such as 'torch.FloatTensor'.

        >>> import numpy as np, autograd_core as ag
        >>> (ag.tensor([1, 2]) == ag.tensor([1, 3])).type(np.float32)
        Tensor([1., 0.], dtype=float32)
        >>> ag.tensor([1, 2]).type(ag.FloatTensor).type()
        'torch.FloatTensor'
        """
        if dtype is None:
            name = next((name for name, known in TENSOR_TYPE_DTYPES.items() if known == self.dtype), None)
            if name is None:
                raise TypeError(f"type: a {self.dtype} Tensor has no PyTorch tensor type name; t.dtype is its dtype")
            return name
        return self.to(tensor_type_dtype("type", dtype), non_blocking=non_blocking)

    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False, memory_format=None):
        """PyTorch's to: to(dtype), to(device), to(device, dtype), to(other) (other's dtype) or keywords; self when
        nothing changes (copy=True: a copy that keeps the graph). The only device is the CPU ('cpu', 'cpu:0' or a
        torch.device of it); torch's dtypes (torch.float32) are read by name as NumPy's. non_blocking has no effect;
        as in PyTorch, non_blocking and copy may follow the others positionally. memory_format=ag.contiguous_format
        gives a C-ordered result (as contiguous()), ag.preserve_format keeps the layout.

        >>> import numpy as np, autograd_core as ag
        >>> t = ag.tensor([1.0, 2.0])
        >>> t.to(np.float32).dtype, t.to("cpu") is t, t.to("cpu", np.int64)
        (dtype('float32'), True, Tensor([1, 2]))
        >>> t.to("cpu", np.float32, memory_format=ag.contiguous_format).dtype
        dtype('float32')
        """
        if memory_format is not None:
            _check_memory_format(memory_format, "to")
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
        if memory_format is contiguous_format:
            out = out.contiguous()
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
        >>> x.device.type, x.device.index
        ('cpu', None)
        """
        return _CPU

    # ---- layout and shape ----
    def contiguous(self, memory_format=None):
        """PyTorch's contiguous(): self when its values are laid out in C order, else a C-ordered copy that keeps
        the graph; memory_format=ag.contiguous_format (or preserve_format) is taken and changes nothing.

        >>> import autograd_core as ag
        >>> t = ag.zeros((2, 3)).T
        >>> t.data.flags.c_contiguous, t.contiguous().data.flags.c_contiguous
        (False, True)
        """
        if memory_format is not None:
            _check_memory_format(memory_format, "contiguous")
        if self.data.flags.c_contiguous:
            return self
        return ops.shape._contiguous_copy(self)  # (memory of its own, as PyTorch's: an in-place change may follow)

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
            raise InvalidArgumentError(f"flatten: start_dim={start_dim} comes after end_dim={end_dim} (shape "
                                       f"{self.shape})")
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
            raise InvalidArgumentError(f"expand: the number of sizes given ({len(sizes)}) must be at least the number "
                                       f"of dimensions of the Tensor ({self.ndim}, shape {shape}); got sizes {sizes}")
        target = []
        for i, n in enumerate(sizes):
            old = shape[i - lead] if i >= lead else None
            if n == -1 and old is None:
                raise InvalidArgumentError(f"expand: the size -1 is not allowed in a new leading dimension ({i}); "
                                           f"sizes {sizes}, Tensor shape {shape}")
            if n < -1 or old is not None and n not in (-1, old) and old != 1:
                raise InvalidArgumentError(f"expand: the expanded size {n} must match the existing size {old} at "
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

    # ---- new Tensors like self (self's dtype by default; constants unless requires_grad; device None or 'cpu') ----
    def new_zeros(self, *size, dtype=None, requires_grad=False, device=None):
        """PyTorch's new_zeros: zeros of size (ints, or one tuple), in self's dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1], dtype="int32").new_zeros(2, 3).dtype
        dtype('int32')
        """
        return _new(self, "new_zeros", size, 0, dtype, requires_grad, device)

    def new_ones(self, *size, dtype=None, requires_grad=False, device=None):
        """PyTorch's new_ones: ones of size (ints, or one tuple), in self's dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).new_ones((2,))
        Tensor([1., 1.])
        """
        return _new(self, "new_ones", size, 1, dtype, requires_grad, device)

    def new_full(self, size, fill_value, *, dtype=None, requires_grad=False, device=None):
        """PyTorch's new_full: fill_value in every element of size, in self's dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).new_full((2,), 7)
        Tensor([7., 7.])
        """
        return _new(self, "new_full", (size,), fill_value, dtype, requires_grad, device)

    def new_empty(self, *size, dtype=None, requires_grad=False, device=None):
        """PyTorch's new_empty: a Tensor of size in self's dtype; its values are zeros here (torch leaves them
        uninitialised).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).new_empty(2).shape
        (2,)
        """
        return _new(self, "new_empty", size, 0, dtype, requires_grad, device)

    def new_tensor(self, data, *, dtype=None, requires_grad=False, device=None):
        """PyTorch's new_tensor: a new leaf holding a copy of data (a Tensor's value, cut from its graph), in self's
        dtype unless dtype is given.

        >>> import autograd_core as ag
        >>> ag.tensor([1], dtype="int32").new_tensor([2.7, 3.1])
        Tensor([2, 3], dtype=int32)
        """
        check_device(device, "new_tensor")
        dtype = self.dtype if dtype is None else _numpy_dtype("new_tensor", dtype)
        return Tensor(data, requires_grad=requires_grad, dtype=dtype)

    def new(self, *args, device=None):
        """PyTorch's legacy Tensor.new, in self's dtype: new(2, 3) or new(ag.Size) is new_empty's (zeros here),
        new() an empty Tensor of shape (0,), new(other) another Tensor of self's dtype sharing other's memory
        (cut from its graph), and new(data) a list's or array's values, as new_tensor (K-FAC's
        `a.new(a.size(0), 1).fill_(1)`; a tuple is data, as in PyTorch).

        >>> import autograd_core as ag
        >>> x = ag.tensor([1.0], dtype="float32")
        >>> x.new(2, 1).fill_(1), x.new([2, 3])
        (Tensor([[1.],
                [1.]], dtype=float32), Tensor([2., 3.], dtype=float32))
        """
        check_device(device, "new")
        if not args or all(map(is_int, args)) or len(args) == 1 and isinstance(args[0], Size):
            return self.new_empty(*args) if args else self.new_empty(0)
        if len(args) > 1:
            raise TypeError(f"new: takes sizes (ints, or one Size), one Tensor or one sequence of data, got {args!r}")
        if isinstance(args[0], Tensor):
            if args[0].dtype != self.dtype:
                raise TypeError(f"new: the Tensor given is {args[0].dtype}, self is {self.dtype}; as PyTorch's, "
                                f"new(other) shares other's memory, so the dtypes must agree (write "
                                f"other.to(self.dtype))")
            return args[0].detach()
        return self.new_tensor(args[0])

    # ---- arithmetic and comparisons by name ----
    def add(self, other, *deprecated, alpha=1):
        """PyTorch's add: self + alpha * other; its deprecated add(alpha, other) is taken with PyTorch's warning.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).add(ag.tensor([1.0, 1.0]), alpha=10)
        Tensor([11., 12.])
        """
        if deprecated:  # (DARTS' dt.add(weight_decay, theta))
            (other,), alpha = torch_in_place.deprecated_scalar_first("add", "other", "alpha",
                                                                     (other, *deprecated), alpha)
        return self + _times_alpha(self, other, alpha, "add")

    def sub(self, other, *deprecated, alpha=1):
        """PyTorch's sub: self - alpha * other; its deprecated sub(alpha, other) is taken with PyTorch's warning.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).sub(1.0, alpha=2)
        Tensor([-1.,  0.])
        """
        if deprecated:
            (other,), alpha = torch_in_place.deprecated_scalar_first("sub", "other", "alpha",
                                                                     (other, *deprecated), alpha)
        return self - _times_alpha(self, other, alpha, "sub")

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
        """PyTorch's div: self / other; rounding_mode "floor" rounds the quotient down (self // other), "trunc"
        towards zero, both with gradient 0, as torch's; of integers both give integers, exactly, and refuse a 0
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
        if rounding_mode == "trunc":
            return ops.trunc(self / other)
        return self // other if kind.kind in "iub" else floor_quotient(self, other)  # (floats: gradient 0)

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
        if dim is not None:  # (a dim named twice: PyTorch's RuntimeError; dim 0 of a 0-d x: all of it; see there)
            dim, _ = reduction_from_torch("norm", None, False, dim, None, ndim=x.ndim)
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

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        """PyTorch's Tensor.unique: ag.unique (np.unique) with PyTorch's arguments, in its order: the sorted unique
        values (of the flattened Tensor, or the unique slices along dim), then on request the inverse indices and
        the counts, as int64 Tensors.

        >>> import autograd_core as ag
        >>> ag.tensor([[0.0], [1.0], [1.0]]).unique(return_counts=True)
        (Tensor([0., 1.]), Tensor([1, 2]))
        """
        return ops.unique(self, return_inverse=return_inverse, return_counts=return_counts, axis=dim, sorted=sorted)

    def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
        """PyTorch's Tensor.unique_consecutive (ag.unique_consecutive): each run of equal neighbours kept once.

        >>> import autograd_core as ag
        >>> ag.tensor([2, 2, 0, 2]).unique_consecutive()
        Tensor([2, 0, 2])
        """
        return ops.unique_consecutive(self, return_inverse=return_inverse, return_counts=return_counts, dim=dim)


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


def _new(tensor, owner, size, fill_value, dtype, requires_grad, device):
    check_device(device, owner)  # (PyTorch's device=: None or the CPU)
    shape = _sizes(owner, size)
    if any(n < 0 for n in shape):
        raise ValueError(f"{owner}: sizes must be non-negative, got {shape}")
    dtype = tensor.dtype if dtype is None else _numpy_dtype(owner, dtype)
    if np.ndim(fill_value.data if isinstance(fill_value, Tensor) else fill_value) != 0:
        raise InvalidArgumentError(f"{owner}: fill_value must be a number or a 0-d Tensor, got shape "
                                   f"{np.shape(fill_value)}")
    fill_value = np.asarray(checked_fill_value(owner, fill_value, dtype)).astype(dtype)  # (-1 wraps into uint8)
    return Tensor(np.full(shape, fill_value, dtype=dtype), requires_grad=requires_grad)


def _times_alpha(x, other, alpha, owner):
    """alpha * other for x.add/sub's alpha=, other taken as an array first: alpha * [1.0] would repeat a list. A
    float alpha for integer operands is refused, as by PyTorch (NumPy would make the sum float)."""
    if alpha == 1 and not isinstance(alpha, (float, np.floating)):
        return other
    other = other if isinstance(other, Tensor) else as_operand(other, owner)
    if isinstance(alpha, (float, np.floating)) and np.result_type(x.dtype, other.dtype).kind in "biu":
        raise InvalidArgumentError(f"{owner}: alpha={alpha!r} is a float, and the inputs ({x.dtype} and "
                                   f"{other.dtype}) are integers: for integral input tensors, argument alpha must "
                                   f"not be a floating point number, as PyTorch says; give an int alpha, or float "
                                   f"inputs")
    return other if alpha == 1 else alpha * other


def _checked_mask(owner, x, mask, value):
    """masked_fill's mask, as a boolean array (a copy, as the index of gather) that broadcasts with x; value checked
    as a fill for x's dtype."""
    mask_value = np.array(mask.data if isinstance(mask, Tensor) else mask)
    if mask_value.dtype != np.bool_:
        raise RuntimeTypeError(f"{owner}: mask must be a boolean Tensor, got dtype {mask_value.dtype}; for a mask of "
                               f"0s and 1s write mask.bool() (PyTorch takes boolean masks only, too)")
    if np.ndim(value.data if isinstance(value, Tensor) else value) != 0:
        raise InvalidArgumentError(f"{owner}: value must be a number or a 0-d Tensor, got shape {np.shape(value)}")
    checked_fill_value(owner, value, x.dtype)
    try:
        np.broadcast_shapes(mask_value.shape, x.shape)
    except ValueError:
        raise ValueError(f"{owner}: mask of shape {mask_value.shape} does not broadcast with the Tensor's shape "
                         f"{x.shape}") from None
    return mask_value


for _name, _method in list(vars(_TorchNames).items()):
    if not _name.startswith("__"):
        if getattr(_method, "__qualname__", "").startswith("_TorchNames."):  # (not the ops set as they are)
            _method.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _method)
del _name, _method


from . import torch_method_aliases  # noqa: E402,F401  (reversed(t), t.tile, t.clone, PyTorch's other method names)
from . import torch_functions  # noqa: E402,F401  (the functions, and the methods that are them)
from . import torch_indexing  # noqa: E402,F401  (gather, scatter, index_select, ..., and their methods)
from . import torch_in_place  # noqa: E402,F401  (the in-place methods, add_, fill_, ...)
from . import torch_in_place_shape  # noqa: E402,F401  (the in-place shape changes: unsqueeze_, resize_, set_, ...)
from . import torch_extras  # noqa: E402,F401  (more of PyTorch's names)
from . import torch_in_place_math  # noqa: E402,F401  (the remaining in-place math methods: log1p_, erf_, frac_, ...)
from . import torch_queries  # noqa: E402,F401  (is_signed, is_same_size, is_nonzero, itemsize, nbytes, ...)
