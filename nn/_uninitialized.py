"""Parameters and buffers without values yet, as PyTorch's nn.UninitializedParameter and nn.UninitializedBuffer:
what a lazy module (nn.lazy) holds until its first forward tells it their shapes.

Such a Tensor keeps its dtype and requires_grad (so Module.to casts it and an optimizer can be made over it, as in
PyTorch), and in place of an array a UninitializedValues, which refuses every use of values with an error naming the
parameter: its shape, arithmetic, NumPy functions, conversion to an array. materialize(shape) gives it an array
and turns it, the same object, into an ordinary Parameter (or Buffer).
"""
import numpy as np

from autograd_core import Tensor
from autograd_core._arguments import check_device

from ._arguments import as_flag
from .module import Buffer, Parameter

_ADVICE = ("its lazy module infers its shape at its first forward: call the model on a batch first (a dry run), or "
           "load a state dict into it")


class UninitializedValues:
    """What an uninitialized parameter or buffer holds in place of an array: its dtype, and for any use of its
    values an error naming it (what: "LazyLinear.weight", say, or "" unnamed; kind: "parameter" or "buffer")."""

    __slots__ = ("dtype", "what", "kind")

    def __init__(self, dtype, what, kind):
        self.dtype, self.what, self.kind = np.dtype(dtype), what, kind

    def fail(self, action, error=ValueError):
        """Raise error: cannot action (with {} for the parameter: "an uninitialized parameter (its name)", the
        words of PyTorch's messages, which ported tests match)."""
        cls = "UninitializedParameter" if self.kind == "parameter" else "UninitializedBuffer"
        subject = f"an uninitialized {self.kind}" + (f" ({self.what})" if self.what else "")
        raise error(f"cannot {action.format(subject)}: an nn.{cls} has no shape or values yet; {_ADVICE}")

    def astype(self, dtype, copy=True):  # (Module.to's cast: the dtype changes, there are still no values)
        return UninitializedValues(dtype, self.what, self.kind)

    def __getattr__(self, name):
        if name.startswith("__"):  # (protocols probed by NumPy, copy and pickle: absent, as usual)
            raise AttributeError(name)
        self.fail(f"read the {name} of {{}}")

    def __array__(self, *args, **kwargs):
        self.fail("make an array of {}")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        self.fail(f"use {{}} in numpy.{ufunc.__name__}")

    def __array_function__(self, func, types, args, kwargs):
        self.fail(f"use {{}} in numpy.{func.__name__}")

    def __deepcopy__(self, memo):  # immutable
        return self

    def __copy__(self):
        return self

    def __reduce__(self):
        return UninitializedValues, (self.dtype, self.what, self.kind)

    def __repr__(self):
        return f"<no values: {self.what or self.kind}, dtype {self.dtype}>"


def _refusing(name):
    def refuse(self, *args, **kwargs):
        self.fail(f"use {{}} in {name}")
    refuse.__name__ = name
    return refuse


for _name in ("__getitem__", "__setitem__", "__len__", "__iter__", "__bool__", "__float__", "__int__", "__index__",
              "__neg__", "__pos__", "__abs__", "__invert__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__",
              "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__",
              "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__lt__", "__le__", "__gt__", "__ge__",
              "__iadd__", "__isub__", "__imul__", "__itruediv__"):
    setattr(UninitializedValues, _name, _refusing(_name))
del _name


class UninitializedTensorMixin:
    """What UninitializedParameter and UninitializedBuffer share, as PyTorch's: no shape nor values (their use is
    refused, naming the parameter), a dtype, materialize(shape), and the repr <UninitializedParameter>."""

    __slots__ = ()
    cls_to_become = None
    _kind = "parameter"

    def _no_values(self, dtype, what):
        self._data = UninitializedValues(dtype, what, self._kind)

    @property
    def data(self):
        """No array: what it holds instead refuses every use of values (its dtype it has)."""
        return self._data

    @data.setter
    def data(self, value):
        if not isinstance(value, UninitializedValues):  # (Module.to assigns one with the new dtype)
            named = f" ({self._data.what})" if self._data.what else ""
            raise RuntimeError(f"cannot assign values to an uninitialized {self._kind}{named}: give it a shape with "
                               f"materialize(shape) first, or {_ADVICE}")
        self._data = UninitializedValues(value.dtype, self._data.what, self._kind)

    @property
    def shape(self):
        self._data.fail("access the shape of {}", RuntimeError)

    ndim = size = shape

    def __len__(self):
        self._data.fail("access the length of {}", RuntimeError)

    def __array__(self, dtype=None, copy=None):
        self._data.fail("make an array of {}")

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def share_memory_(self):
        """Refused, as PyTorch's: there is no memory to share yet (Module.share_memory() calls it)."""
        self._data.fail("share memory on {}", RuntimeError)

    def materialize(self, shape, device=None, dtype=None):
        """Give this parameter (or buffer) an array of shape (zeros, where PyTorch's holds uninitialised memory) of
        its dtype (or dtype), and make it, the same object, an ordinary Parameter (or Buffer), as PyTorch's.
        device: None or "cpu" (NumPy's).

        >>> import nn
        >>> w = nn.UninitializedParameter()
        >>> w.materialize((2, 3)); type(w).__name__, w.shape, w.dtype
        ('Parameter', (2, 3), dtype('float32'))
        """
        where = f"{type(self).__name__}.materialize"
        check_device(device, where)
        sizes = (shape,) if isinstance(shape, (int, np.integer)) else shape
        try:
            sizes = tuple(sizes)
        except TypeError:
            raise TypeError(f"{where}: shape must be an int or a tuple of ints, got {shape!r}") from None
        if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in sizes):
            raise TypeError(f"{where}: shape must be an int or a tuple of ints, got {shape!r}")
        if any(n < 0 for n in sizes):
            raise ValueError(f"{where}: shape must hold sizes >= 0, got {shape!r}")
        dtype = self._data.dtype if dtype is None else np.dtype(dtype)
        if self._requires_grad and dtype.kind != "f":
            raise TypeError(f"{where}: a parameter that requires grad needs a float dtype, got {dtype}")
        self._data = np.zeros(sizes, dtype=dtype)
        self.__class__ = self.cls_to_become


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A Parameter whose shape is not known yet, as PyTorch's: what a lazy module (nn.LazyLinear, ...) holds until
    its first forward. It has a dtype (default float32) and requires_grad, and Module.to casts it; its shape, its
    values and any operation on it are refused with an error naming it. materialize(shape) (the lazy module's
    first forward calls it) turns it, the same object, into an ordinary Parameter, so an optimizer made over it
    before then updates it after.

    >>> import nn
    >>> w = nn.UninitializedParameter()
    >>> w, w.dtype, w.requires_grad
    (<UninitializedParameter>, dtype('float32'), True)
    >>> w.shape
    Traceback (most recent call last):
    ...
    RuntimeError: cannot access the shape of an uninitialized parameter: an nn.UninitializedParameter has no ...
    """

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad=True, device=None, dtype=None):
        check_device(device, "UninitializedParameter")
        super().__init__(np.empty(0, dtype=np.float32 if dtype is None else dtype), requires_grad=requires_grad)
        self._no_values(self.dtype, "")


class UninitializedBuffer(UninitializedTensorMixin, Buffer):
    """A buffer whose shape is not known yet, as PyTorch's (a lazy BatchNorm's running_mean, say): as
    UninitializedParameter (see there), but not requiring grad. As an nn.Buffer, assigning it to a module attribute
    registers it as a buffer (persistent or not); materialize(shape) makes it an ordinary nn.Buffer (a Tensor).

    >>> import nn
    >>> m = nn.Module(); m.scale = nn.UninitializedBuffer()
    >>> list(m.state_dict())
    ['scale']
    >>> m.scale.materialize(2); m.scale
    Tensor([0., 0.], dtype=float32)
    """

    __slots__ = ()
    cls_to_become = Buffer
    _kind = "buffer"

    def __init__(self, requires_grad=False, device=None, dtype=None, persistent=True):
        check_device(device, "UninitializedBuffer")
        Tensor.__init__(self, np.empty(0, dtype=np.float32 if dtype is None else dtype), requires_grad=requires_grad)
        self.persistent = as_flag(persistent, "nn.UninitializedBuffer", "persistent")
        self._no_values(self.dtype, "")


# ids of the modules whose uninitialized parameters or buffers functional_call replaces for the current call: their
# lazy hook leaves them lazy (their shapes come from a later forward of their own, or a state dict)
STANDING_IN = set()


def is_lazy(value):
    """Whether value is an UninitializedParameter or UninitializedBuffer (PyTorch's torch.nn.parameter.is_lazy).

    >>> import nn
    >>> from nn._uninitialized import is_lazy
    >>> is_lazy(nn.UninitializedParameter()), is_lazy(nn.Parameter([1.0]))
    (True, False)
    """
    return isinstance(value, UninitializedTensorMixin)


def refuse_lazy(module, name, where, what):
    """ValueError (PyTorch's words) if module's parameter name is still uninitialized: where (weight_norm, say)
    reads its values to set itself up, which what (weight normalization) needs before the module's first forward.

    >>> import nn
    >>> from nn._uninitialized import refuse_lazy
    >>> refuse_lazy(nn.Linear(2, 3), "weight", "weight_norm", "weight normalization")
    """
    if is_lazy(vars(module).get(name)):
        raise ValueError(f"{where}: the module passed ({type(module).__name__}) can't have uninitialized parameters: "
                         f"its '{name}' has no shape yet; make sure to run the dummy forward (model(batch)) before "
                         f"applying {what}")
