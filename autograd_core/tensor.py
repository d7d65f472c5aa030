"""The Tensor: a value in a NumPy array plus, when it was computed, the record of how.

One class serves scalars (0-d) and n-d arrays. A Tensor made by an operation on
inputs that require grad records, in its own slots, the primitive (`_op`), the input
values (`_inputs`), the inputs that require grad (`_parents`) and their positions
(`_slots`), and the operation's parameters (`_params`): everything backprop needs, and
no closure, so a graph holds no reference cycles and reference counting frees it the
moment it is dropped. (Slots rather than a record object: one GC-tracked object per
node instead of three, which is most of the cost of building a graph of scalars.)

Here: the class with its value, gradient, hook, conversion and copy methods. Its operators (+, ==, t[i] ...) are
set on it by tensor_operators, its in-place ones by in_place_record, its other methods by tensor_methods and
torch_names.
"""
import copy
import copyreg
import numbers
import warnings

import numpy as np

from ._arguments import InvalidArgumentError, is_int
from .grad_mode import GRAD_MODE, enable_grad, no_grad
from .registries import DUAL_LEVELS, HOOK_KEYS, HOOKED, RETAINING_GRAD, RemovableHandle
from .shared_memory import share_memory
from .torch_size import Size

_PY_SCALARS = (int, float, bool)



def as_value(x):
    """The raw value of x: a Tensor's data, a NumPy array or scalar, or a Python number."""
    if isinstance(x, Tensor):
        return x._data
    if type(x) in _PY_SCALARS or isinstance(x, (np.ndarray, np.generic)):
        return x
    if isinstance(x, (list, tuple)):
        return np.asarray([as_value(v) for v in x]) if any(isinstance(v, Tensor) for v in x) else np.asarray(x)
    if type(x) is _Size:  # t.size: the Python int it stands for, which NumPy promotes weakly (an array would not)
        return int(x)
    return np.asarray(x)


def saved_value(x, dtype=None):
    """x as an array a gradient rule can read at backward, outside any version count (an index, a target, a
    bound): a Tensor's value copied, since it may change in place before then; an array as it is, the caller's
    (as an array shared with PyTorch through torch.from_numpy)."""
    if isinstance(x, Tensor):
        return np.array(x._data, dtype=dtype)
    return np.asarray(as_value(x), dtype=dtype)


def non_number(values):
    """The first element of an object array that is no real number (None, text, a complex number), described,
    else "": what a cast to a float dtype must not turn into a number (NaN, or one read from text).

    >>> import numpy as np
    >>> from autograd_core.tensor import non_number
    >>> non_number(np.array([2 ** 70, 1.5], dtype=object)), non_number(np.array([1, None], dtype=object))
    ('', 'None (NoneType)')
    """
    for v in values.flat:
        if not isinstance(v, (numbers.Real, np.bool_)) and (not isinstance(v, numbers.Number)
                                                             or isinstance(v, numbers.Complex)):
            return f"{v!r:.40} ({type(v).__name__})"
    return ""


def _leaf(value, requires_grad, name):
    return Tensor(value, requires_grad=requires_grad, name=name)


def _rows(tensor, grad_enabled):
    switch = enable_grad if grad_enabled else no_grad
    for i in range(len(tensor)):
        with switch():  # (left before the caller resumes)
            row = tensor[i]
        yield row


def _sizes_hint(*arguments):
    """For PyTorch's Tensor(2, 3, 4) (sizes, not data): what to write here, or "" for other arguments."""
    sizes = []
    for value in arguments:
        if not is_int(value):
            break
        sizes.append(int(value))
    if len(sizes) < 2:
        return ""
    return (f"; Tensor takes the data first (data, requires_grad, dtype, name): for PyTorch's Tensor of sizes "
            f"{', '.join(map(str, sizes))}, write ag.empty({tuple(sizes)}) or ag.zeros({tuple(sizes)})")


class RaggedDataError(TypeError, ValueError):
    """Data NumPy makes no array of (nested lists of unequal lengths): the TypeError this error was, and NumPy's and
    PyTorch's ValueError at once, so that code ported from either catches it."""


class GradDtypeError(TypeError, RuntimeError):
    """requires_grad asked of an integer or bool Tensor: a TypeError, as this error was, and PyTorch's RuntimeError
    ("Only Tensors of floating point ... can require gradients") at once, so that code ported from PyTorch catches
    it."""


def _check_float(dtype, what):
    if dtype.kind != "f":
        raise GradDtypeError(
            f"{what}: only floating-point Tensors can require gradients, got dtype {dtype}; "
            f"create it with dtype=np.float32 or np.float64 (e.g. ag.tensor([1, 2], dtype=np.float64))"
        )


class _Size(int):
    """What t.size gives: NumPy's number of elements, an int in every use (arithmetic on it gives plain ints), that
    called is PyTorch's size(), so that ported code's x.size(0) runs as written: t.size() is the shape, t.size(d) and
    t.size(dim=d) the length along axis d (from the end for a negative d). A pickle or copy of it is the plain int.
    """

    def __call__(self, dim=None):
        if dim is None:
            return Size(self._shape)
        return self._shape[_dim("size", dim, len(self._shape), scalar_dims=False)]

    __call__.__qualname__ = "Tensor.size"  # (a wrong call's TypeError names the method ported code called)

    def __reduce__(self):
        return int, (int(self),)

    # NumPy promotes an int subclass as it does an int64 array, where a Python int (what t.size was) keeps a float32
    # array float32 (NEP 50): NumPy's functions get the plain int instead.
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return getattr(ufunc, method)(*map(_plain, inputs), **{k: _plain(v) for k, v in kwargs.items()})

    def __array_function__(self, func, types, args, kwargs):
        return func(*map(_plain, args), **{k: _plain(v) for k, v in kwargs.items()})


def _plain(value):
    """value, or the plain int a _Size stands for."""
    return int(value) if type(value) is _Size else value


class GradAssignmentError(ValueError, RuntimeError):
    """A gradient assigned to t.grad that t cannot take (another shape or dtype, or t itself): NumPy's ValueError,
    as this error was, and PyTorch's RuntimeError at once, so that code ported from PyTorch catches it."""


class Tensor:
    """An n-d array (0-d for a scalar) that records the operations applied to it.

    >>> import autograd_core as ag
    >>> x = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad
    Tensor([2., 4.])
    """

    # __dict__: any other attribute is the user's, as PyTorch lets code write t.g = ... (fast.ai's manual backprop);
    # it is made on the first such write only, so a Tensor that never gets one costs a pointer, no dict
    __slots__ = ("_data", "_requires_grad", "_grad", "name", "_op", "_inputs", "_parents", "_slots", "_params",
                 "_seq", "_version", "_saved_version", "_memory", "_hooks", "__weakref__", "__dict__")
    __hash__ = object.__hash__  # identity: Tensors are grad_table keys
    _deepcopy_keeps_grad = True  # as PyTorch's Tensor; its Parameter's deep copy starts without one
    __array_priority__ = 1000

    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        if isinstance(data, Tensor):
            data = data._data
        try:
            raw = as_value(data)
            if dtype is not None and type(raw) not in _PY_SCALARS:  # the cast must not make numbers of the rest
                raw = np.asarray(raw)
                if raw.dtype.kind == "c":
                    raise TypeError("complex numbers are not supported (a cast would drop the imaginary part)")
                if raw.dtype == object and (odd := non_number(raw)):
                    raise TypeError(f"the data holds {odd}; it must hold numbers")
                if raw.dtype.kind not in "biufO":
                    raise TypeError(f"unsupported dtype {raw.dtype} (text, dates); the data must hold numbers")
            value = np.array(raw, dtype=dtype)
        except (TypeError, ValueError) as err:
            ragged = isinstance(err, ValueError) and "inhomogeneous" in str(err)  # (not NaN into an integer dtype)
            raise (RaggedDataError if ragged else TypeError)(
                f"Tensor: cannot make an array of {type(data).__name__} data: {err}"
                f"{_sizes_hint(data, requires_grad, dtype, name)}") from None
        if dtype is not None and isinstance(data, (list, tuple)) and value.dtype.kind in "iu" and \
                raw.dtype.kind in "iu" and not np.array_equal(value, raw):  # (Python ints: NumPy raises, not wraps)
            raise OverflowError(f"Tensor: the data's integers (from {raw.min()} to {raw.max()}) do not all fit "
                                f"{value.dtype}; give a dtype that holds them, such as np.int64")
        if value.dtype.kind not in "biuf":
            if value.dtype == object and not non_number(value):  # Python ints beyond 64 bits: NumPy keeps objects
                numbers = list(value.flat)
                raise OverflowError(f"Tensor: the data holds integers that fit neither int64 nor uint64 (its numbers "
                                    f"run from {min(numbers)} to {max(numbers)}); give them as floats, or pass "
                                    f"dtype=np.float64")
            raise TypeError(f"Tensor: unsupported dtype {value.dtype}; use a bool, integer or float dtype")
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"Tensor: requires_grad must be a bool, got {requires_grad!r}"
                            f"{_sizes_hint(data, requires_grad, dtype, name)}")
        if requires_grad:
            _check_float(value.dtype, "Tensor(requires_grad=True)")
        self._data = value
        self._requires_grad = bool(requires_grad)
        self._grad = None
        self.name = name
        self._op = None  # a leaf
        self._parents = ()
        self._seq = 0  # creation number, set for recorded results (see primitive.apply)
        self._version = 0  # in-place changes so far (see backprop: a graph refuses values changed under it)
        self._memory = None  # a SharedMemory once a view or a detached copy shares this value's memory (left unset
        # on the results of operations, which then pay nothing for it: read it with getattr(t, "_memory", None))

    @classmethod
    def _constant(cls, value):
        """A Tensor holding value as it is (no copy), outside any graph."""
        node = object.__new__(cls)
        node._data = value
        node._requires_grad = False
        node._grad = None
        node.name = None
        node._op = None
        node._parents = ()
        node._seq = 0
        node._version = 0
        node._memory = None
        return node

    # ---- value ---------------------------------------------------------------
    @property
    def data(self):
        """The value as an ndarray (operations may hold NumPy scalars internally, for speed)."""
        value = self._data
        if type(value) is not np.ndarray:
            value = self._data = np.asarray(value)
        return value

    @data.setter
    def data(self, value):
        # `p.data -= step` ends by setting the same ndarray back, changed in place: a change to the memory it shares
        # with its views and detached copies too. A new array replaces only this Tensor's value, and ends the sharing.
        # Either way a new version, which graphs that recorded the old value refuse.
        if value is not self._data:  # a new value: what the constructor and requires_grad allow
            value = value if type(value) is np.ndarray else np.asarray(as_value(value))
            if value.dtype.kind not in "biuf":
                raise TypeError(f"data: unsupported dtype {value.dtype}; a Tensor holds bool, integer or float values")
            if self._requires_grad and value.dtype.kind != "f":  # gradients would be truncated to its integers
                _check_float(value.dtype, "data (of a Tensor that requires grad)")
        memory = getattr(self, "_memory", None)
        if memory is None:
            self._version += 1
        elif value is self._data:
            memory.count_change(self)
        else:
            self._version += 1
            memory.leave(self)
        self._data = value

    @property
    def grad(self):
        """d(output)/d(self) accumulated by .backward() (None until then); assignable, as in PyTorch,
        with a Tensor of this Tensor's shape and dtype, or None. Read on a result that does not retain its gradient,
        it warns, as PyTorch's: backward fills only the leaves' .grad."""
        grad = self._grad
        if grad is None and self._op is not None and self not in RETAINING_GRAD:
            # The usual way in from NumPy code: `W = W - lr * dW` on a parameter while recording makes W a result,
            # and retain_grad would then chain every step's graph to the next.
            warnings.warn("grad: this Tensor is not a leaf (it was computed by "
                          f"'{self._op.name}'), so backward does not fill its .grad; call .retain_grad() on it before "
                          "backward to keep it, or read the leaves' .grad. A parameter updated as "
                          "`w = w - lr * w.grad` while recording is such a result: update it in place, "
                          "`with ag.no_grad(): w -= lr * w.grad`, then `w.grad = None`", UserWarning, stacklevel=2)
        return grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"grad: the assigned gradient must be a Tensor or None, got {type(value).__name__}; "
                                f"wrap an array with ag.tensor(...)")
            if value is self:  # (PyTorch refuses it too: every later change to the gradient would change the value)
                raise GradAssignmentError(f"grad: a Tensor (shape {self.shape}) cannot be its own gradient; assign "
                                          f"a copy, t.grad = t.clone()")
            if value.shape != self.shape or value.dtype != self.dtype:
                # (the dtypes part most often after adding noise made with a creation default, NumPy's float64, to a
                # float32 parameter's gradient: Opacus's p.grad = (p.summed_grad + noise).view_as(p))
                cast = "" if value.dtype == self.dtype else (
                    f"; cast it with .to(ag.{self.dtype}), or make the terms added to it with dtype=ag.{self.dtype} "
                    f"(creation functions give NumPy's float64 by default)")
                raise GradAssignmentError(f"grad: the assigned gradient has shape {value.shape} and dtype "
                                          f"{value.dtype}; it must match the Tensor's shape {self.shape} and dtype "
                                          f"{self.dtype}{cast}")
        self._grad = value

    @grad.deleter
    def grad(self):
        """`del t.grad` sets it to None, as PyTorch's."""
        self._grad = None

    @property
    def requires_grad(self):
        """Whether operations on this Tensor are recorded; settable on leaves only."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if not isinstance(flag, (bool, np.bool_)):  # "no" would be True
            raise TypeError(f"requires_grad must be a bool, got {flag!r}")
        if not self.is_leaf:
            if flag:  # a recorded result requires grad already: nothing to change (as PyTorch)
                return
            raise RuntimeError(
                "requires_grad: only leaf Tensors' flag can be changed; use .detach() to cut a result from the graph"
            )
        if flag:
            _check_float(self._data.dtype, "requires_grad")
            if DETACHED and self in DETACHED:  # (detach_ then requires_grad_: the uses recorded before still refuse)
                requires_grad_after_detach(self)
        self._requires_grad = bool(flag)

    def requires_grad_(self, flag=True):
        """Set requires_grad in place and return self (PyTorch style).

        >>> import autograd_core as ag
        >>> ag.ones(2).requires_grad_().requires_grad
        True
        """
        self.requires_grad = flag
        return self

    @property
    def is_leaf(self):
        """True for Tensors no recorded operation produced."""
        return self._op is None

    @property
    def op_name(self):
        """The name of the operation that produced this Tensor, or None for a leaf."""
        return None if self._op is None else self._op.name

    @property
    def shape(self):
        """The shape, a tuple (as ndarray.shape)."""
        return self._data.shape

    @property
    def ndim(self):
        """The number of axes (0 for a scalar)."""
        return self._data.ndim

    @property
    def size(self):
        """The number of elements, an int as ndarray.size; called, PyTorch's size(): t.size() the shape, t.size(d)
        the length along axis d (see _Size).

        >>> import autograd_core as ag
        >>> x = ag.zeros((2, 3))
        >>> x.size, x.size(), x.size(0), x.size(dim=-1), x.size().numel()
        (6, Size([2, 3]), 2, 3, 6)
        """
        data = self._data
        size = _Size(data.size)
        size._shape = data.shape
        return size

    @property
    def dtype(self):
        """The NumPy dtype of the value."""
        return self._data.dtype

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return len(self._data)

    def numpy(self, *, force=False):
        """The value as an ndarray (shares memory with the Tensor; read-only when the Tensor requires grad,
        where PyTorch refuses: a write would change what its graph saved without being counted). force=True is
        PyTorch's t.detach().numpy(): writable even then (the write is then not counted, as in PyTorch).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).numpy()
        array([1., 2.])
        >>> ag.tensor([1.0, 2.0], requires_grad=True).numpy(force=True).flags.writeable
        True
        """
        if force:
            return self.detach().__array__()
        return self.__array__()

    def __array__(self, dtype=None, copy=None):
        value = self.data
        if self._requires_grad and not copy and (dtype is None or dtype == value.dtype):
            value = value.view()
            value.flags.writeable = False
            return value
        if dtype is not None and dtype != value.dtype:
            if copy is False:
                raise ValueError(f"Tensor.__array__: converting dtype {value.dtype} to {np.dtype(dtype)} needs a copy, "
                                 f"but copy=False was given")
            return value.astype(dtype)
        return value.copy() if copy else value

    def item(self):
        """The single value as a Python number.

        >>> import autograd_core as ag
        >>> ag.tensor([[2.5]]).item()
        2.5
        """
        if self._data.size != 1:
            raise InvalidArgumentError(f"item: only a Tensor with one element converts to a Python number, got shape "
                                       f"{self.shape}")
        return self.data.item()

    def tolist(self):
        """The value as nested Python lists (a Python number for a 0-d Tensor).

        >>> import autograd_core as ag
        >>> ag.tensor([[1, 2], [3, 4]]).tolist()
        [[1, 2], [3, 4]]
        """
        return self.data.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise ValueError(
                f"The truth value of a Tensor of shape {self.shape} is ambiguous; use t.any() or t.all()"
            )
        return bool(self.item())

    def __index__(self):
        if self.dtype.kind not in "iu" or self._data.size != 1:  # TypeError: Python's "not an index", as NumPy's
            raise TypeError(f"only integer Tensors of one element can be used as an index, got dtype {self.dtype} "
                            f"and shape {self.shape}")
        return int(self.item())

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extras = []
        if self._data.size == 0 and self.ndim != 1:  # "[]" alone would hide it, as NumPy's and PyTorch's reprs say
            extras.append(f"shape={self.shape}")
        if self.dtype not in (np.float64, np.int64, np.bool_):
            extras.append(f"dtype={self.dtype}")
        if self._op is not None:
            extras.append(f"op={self._op.name}")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        if self.name:
            extras.append(f"name={self.name!r}")
        if DUAL_LEVELS and self._requires_grad and (tangent := DUAL_LEVELS[-1].shown_tangent(self)) is not None:
            extras.append(f"tangent={tangent!r}")  # (forward AD, as PyTorch's repr shows it)
        return f"Tensor({', '.join([body] + extras)})"

    def __reduce_ex__(self, protocol):
        """A pickle holds the value, requires_grad and name (and the user's own attributes, a subclass's too), not
        the .grad or hooks, as PyTorch's. A recorded result pickles (and deep-copies) as a leaf of its value, as
        torch.save saves one: its graph holds the operations' functions, which pickle cannot write."""
        if self._op is not None:
            leaf = _leaf, (np.array(self.data), self._requires_grad, self.name)
            return (*leaf, (self.__dict__, {})) if self.__dict__ else leaf  # (state as the slots' form has it)
        reduced = super().__reduce_ex__(max(protocol, 2))  # 0 and 1 refuse __slots__; 2's form pickles with any
        attributes, slots = reduced[2]
        slots = {name: value for name, value in slots.items() if name != "_hooks"}
        return (*reduced[:2], (attributes, {**slots, "_grad": None}), *reduced[3:])

    def __deepcopy__(self, memo):
        """copy.deepcopy: as a pickle round trip, and a leaf keeps a copy of its .grad, as PyTorch's Tensor (not
        its Parameter, see _deepcopy_keeps_grad).

        >>> import copy, autograd_core as ag
        >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> (w * w).sum().backward()
        >>> copy.deepcopy(w).grad
        Tensor([2., 4.])
        """
        rebuild, arguments, *state = self.__reduce_ex__(4)
        twin = memo[id(self)] = rebuild(*copy.deepcopy(arguments, memo))
        if state:
            attributes, slots = state[0]
            for name, value in {**(attributes or {}), **slots}.items():
                setattr(twin, name, copy.deepcopy(value, memo))
        if self._op is None and self._deepcopy_keeps_grad:
            twin._grad = copy.deepcopy(self._grad, memo)
        return twin

    def __copy__(self):
        """copy.copy: a leaf sharing self's memory (a change in place counts for both, as with detach()), with
        its requires_grad and name but without its .grad or hooks, as PyTorch's copy.

        >>> import copy, autograd_core as ag
        >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> twin = copy.copy(w)
        >>> twin.requires_grad, twin.grad, twin is w
        (True, None, False)
        """
        twin = type(self)._constant(self.data)
        for slot in set(copyreg._slotnames(type(self))) - _OWN_SLOTS:  # a subclass's (names mangled as stored)
            if hasattr(self, slot):
                setattr(twin, slot, getattr(self, slot))
        if hasattr(self, "__dict__"):
            twin.__dict__.update(self.__dict__)
        twin._requires_grad, twin.name = self._requires_grad, self.name
        share_memory(twin, self)
        return twin

    def __format__(self, spec):
        """f"{loss:.4f}": a 0-d Tensor formats as its number, as NumPy's and PyTorch's do; others as str()."""
        if self.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError(f"format: the spec {spec!r} applies to a number, and this Tensor has shape {self.shape}; "
                            f"format t.item() for a one-element Tensor, or each element of t.tolist()")
        return str(self)

    def __iter__(self):
        """The rows, t[0], t[1], ...: each recorded under the gradient mode of the iter() call, as PyTorch's
        iter(t.unbind(0)), but made one at a time.

        >>> import autograd_core as ag
        >>> [row.tolist() for row in ag.tensor([[1, 2], [3, 4]])]
        [[1, 2], [3, 4]]
        """
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d Tensor")
        return _rows(self, GRAD_MODE.enabled)

    def detach(self):
        """The same value, cut from the graph. It shares memory with self, so an in-place change to either is a
        change to both (and graphs that saved self refuse to backpropagate after it, as in PyTorch).

        >>> import autograd_core as ag
        >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> d = w.detach()
        >>> d += 1
        >>> w
        Tensor([2., 3.], requires_grad=True)
        """
        # .data: a reduction may hold a NumPy scalar, which nothing can share. A view, not the array itself: a
        # pickle or deep copy of both then gives each its own memory, as their version counts are their own.
        detached = Tensor._constant(self.data.view())
        share_memory(detached, self)
        detached._version = self._version  # one version counter, as PyTorch's detach shares its
        return detached

    def backward(self, gradient=None, retain_graph=False, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's .grad, and into the .grad of every Tensor of the graph
        that retain_grad() was called on (Algorithm 6.2 over the graph). Given inputs (a Tensor or a sequence of
        Tensors, leaves or not), as PyTorch's: only their .grad is filled (and that of the Tensors retaining grad
        between them and self); the pass visits only the nodes between them and self.

        >>> import autograd_core as ag
        >>> w = ag.tensor(3.0, requires_grad=True)
        >>> (w * w).backward()
        >>> float(w.grad)
        6.0
        >>> b = ag.tensor(1.0, requires_grad=True)
        >>> (w * b).backward(inputs=[b])
        >>> float(b.grad), float(w.grad)
        (3.0, 6.0)
        """
        _backward((self,), (gradient,), retain_graph, create_graph, inputs)

    def retain_grad(self):
        """Have .backward() fill this non-leaf Tensor's .grad too, accumulating as it does leaves' (PyTorch
        style). A no-op on a leaf, whose .grad is filled anyway.

        >>> import autograd_core as ag
        >>> x = ag.tensor(3.0, requires_grad=True)
        >>> h = x * x
        >>> h.retain_grad()
        >>> (2 * h).backward()
        >>> float(h.grad), h.retains_grad
        (2.0, True)
        """
        if not self._requires_grad:
            raise RuntimeError(
                f"retain_grad: this Tensor (shape {self.shape}) does not require grad, so no gradient reaches it; "
                f"call it on a result computed, outside ag.no_grad(), from a Tensor with requires_grad=True")
        if self._op is not None:
            RETAINING_GRAD.add(self)

    def register_hook(self, hook):
        """Have backward call hook(grad) each time it has computed this Tensor's gradient, as
        torch.Tensor.register_hook: the hook may return a replacement of the same shape, which is what flows
        on (and what a leaf's .grad receives), or None. Hooks run in the order registered. Returns a handle
        whose remove() unregisters the hook.

        >>> import autograd_core as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> handle = x.register_hook(lambda grad: 2 * grad)
        >>> (x * x).sum().backward()
        >>> x.grad
        Tensor([4., 8.])
        >>> handle.remove()
        """
        if not self._requires_grad:
            raise RuntimeError(
                f"register_hook: this Tensor (shape {self.shape}) does not require grad, so no gradient reaches it; "
                f"register hooks on Tensors with requires_grad=True or on results computed from them")
        if not callable(hook):
            raise TypeError(f"register_hook: the hook must be callable, got {type(hook).__name__}")
        hooks = getattr(self, "_hooks", None)  # a slot set only on Tensors with hooks
        if hooks is None:
            hooks = self._hooks = {}
        key = next(HOOK_KEYS)
        hooks[key] = hook
        HOOKED.add(self)
        return RemovableHandle(self, key)

    @property
    def retains_grad(self):
        """Whether .backward() fills this non-leaf Tensor's .grad (after retain_grad()); False for leaves, as in
        PyTorch. Read-only."""
        return self in RETAINING_GRAD

    def _count_change(self):
        """A new version of this Tensor, and of every Tensor sharing its memory (see SharedMemory)."""
        memory = getattr(self, "_memory", None)
        if memory is None:
            self._version += 1
        else:
            memory.count_change(self)

    # NumPy interoperation: np.exp(t), np.sum(t), ndarray + t ... dispatch to the engine.
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return numpy_dispatch.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return numpy_dispatch.array_function(func, args, kwargs)


_OWN_SLOTS = frozenset(Tensor.__slots__)  # what __copy__ sets itself; a subclass's slots it copies

# numpy_dispatch, backprop and the modules that set methods need the Tensor class, so they are imported after it.
from . import numpy_dispatch  # noqa: E402
from .backprop import backward as _backward  # noqa: E402
from .in_place_record import DETACHED, TENSOR_METHODS, requires_grad_after_detach  # noqa: E402
from . import tensor_operators  # noqa: E402,F401  (the operators, + == t[i] ..., set on Tensor)

for _name, _method in TENSOR_METHODS.items():  # (`x += y`, t[i] = v, zero_: in_place_record, beside take_record)
    setattr(Tensor, _name, _method)
del _name, _method
from . import tensor_methods  # noqa: E402,F401  (the function API's methods, set on Tensor)
from . import torch_names  # noqa: E402,F401  (PyTorch's names for the methods, set on Tensor)
from .torch_functions import _dim  # noqa: E402  (t.size(dim)'s check)
