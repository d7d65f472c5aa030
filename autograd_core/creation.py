"""Creation helpers: zeros, ones, full, eye, arange and the *_like forms, as in NumPy, and PyTorch's random ones,
randn, rand (and their *_like forms) and randperm. Each takes device= as NumPy 2's and PyTorch's
do: None or the CPU ("cpu", "cpu:0"), the one device here; another is refused (PyTorch's set_default_device
likewise). The random ones draw from rng= (a NumPy Generator or a seed), also named generator= as in PyTorch;
PyTorch's Generator and the seed and state functions are in random_state.py (still importable from here)."""
import functools
import itertools
import warnings

import numpy as np

from . import _arguments
from ._arguments import (UNGIVEN, InvalidArgumentError, check_device, generator_of, int_from_tensor, is_int,
                         one_of_two_names)
from .grad_mode import GRAD_MODE
from .primitive import refuse_held_graph
from .random_state import (Generator, _restored_generator, are_deterministic_algorithms_enabled,  # noqa: F401
                           get_rng_state, initial_seed, is_deterministic_algorithms_warn_only_enabled, manual_seed,
                           set_rng_state, use_deterministic_algorithms)  # (creation's names too, and old pickles')
from .tensor import Tensor, as_value
from .torch_size import Size


def tensor(data, requires_grad=False, dtype=None, name=None, *, device=None):
    """Alias of Tensor(...).

    >>> import autograd_core as ag
    >>> ag.tensor([1, 2]).dtype
    dtype('int64')
    """
    check_device(device, "tensor")
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def set_default_device(device):
    """PyTorch's set_default_device, for code ported from it: the CPU ("cpu", "cpu:0") or None, the one device here,
    is taken and changes nothing; another is refused.

    >>> import autograd_core as ag
    >>> ag.set_default_device("cpu")
    >>> ag.set_default_device("cuda")
    Traceback (most recent call last):
    autograd_core._arguments.DeviceError: set_default_device: device 'cuda' is not available: autograd_core computes on the CPU with NumPy; use 'cpu' (or leave device out)
    """
    check_device(device, "set_default_device")


def get_default_device():
    """PyTorch's get_default_device: "cpu", the device every Tensor is on (as t.device).

    >>> import autograd_core as ag
    >>> ag.get_default_device()
    'cpu'
    """
    return "cpu"


class _MemoryFormat:
    """One of PyTorch's memory formats, taken where its *_like helpers take memory_format= (optimizers copied from
    torch.optim make their state with zeros_like(p, memory_format=torch.preserve_format)): a NumPy array made here
    from another keeps its layout or is C-contiguous, both the same values, so the format changes nothing."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):  # (a pickled or deep-copied format is the same one)
        return self.name


preserve_format, contiguous_format = _MemoryFormat("preserve_format"), _MemoryFormat("contiguous_format")


def _check_memory_format(memory_format, owner):
    """Refuse a memory_format that is neither None nor one of ag.preserve_format and ag.contiguous_format."""
    if memory_format is not None and not isinstance(memory_format, _MemoryFormat):
        raise TypeError(f"{owner}: memory_format must be ag.preserve_format or ag.contiguous_format (PyTorch's; "
                        f"NumPy arrays have no other layout here), got {memory_format!r}")


class CreationError(InvalidArgumentError):
    """A size, count, range or sampling parameter no Tensor can be made of (a negative size or count, an infinite
    range, a negative std): NumPy's ValueError and PyTorch's RuntimeError at once, so that code ported from either
    catches it."""


def _made(helper, make, requires_grad):
    """Tensor(make()), NumPy's refusals (a negative size, a dtype it does not know) named after the helper."""
    try:
        return Tensor(make(), requires_grad=requires_grad)
    except (TypeError, ValueError) as err:
        raise (CreationError if type(err) is ValueError else type(err))(f"{helper}: {err}") from None


def _one_shape(helper):
    """helper(shape, dtype, requires_grad), NumPy's signature, refusing PyTorch's sizes given one by one
    (zeros(2, 3), zeros(1, 1, 32), zeros(n, 51, dtype=ag.double)) with NumPy's form named: Python's own errors for
    them blame a dtype given twice, or too many arguments. An int is never a dtype, so nothing valid is refused.
    The shape may also be given as PyTorch's size= (zeros(size=(3, 4)), as torch.zeros)."""
    name = helper.__name__

    @functools.wraps(helper)
    def make(*args, size=None, **kwargs):
        if len(args) > 1 and is_int(args[0]) and is_int(args[1]):
            text = ", ".join(str(n) for n in itertools.takewhile(is_int, args))
            raise TypeError(f"{name}: the second argument is the dtype (NumPy's {name}(shape, dtype)), got "
                            f"{args[1]!r}; for shape ({text}) write {name}(({text}))")
        if size is None:
            return helper(*args, **kwargs)
        shape = one_of_two_names(name, "shape", args[0] if args else kwargs.pop("shape", UNGIVEN), "size", size,
                                 UNGIVEN)
        return helper(shape, *args[1:], **kwargs)
    return make


@_one_shape
def zeros(shape, dtype=np.float64, requires_grad=False, *, device=None):
    """A Tensor of zeros.

    >>> import autograd_core as ag
    >>> ag.zeros((2, 3)).shape, ag.zeros(size=(3, 4)).shape
    ((2, 3), (3, 4))
    """
    check_device(device, "zeros")
    return _made("zeros", lambda: np.zeros(shape, dtype=dtype), requires_grad)


@_one_shape
def ones(shape, dtype=np.float64, requires_grad=False, *, device=None):
    """A Tensor of ones.

    >>> import autograd_core as ag
    >>> ag.ones(2)
    Tensor([1., 1.])
    """
    check_device(device, "ones")
    return _made("ones", lambda: np.ones(shape, dtype=dtype), requires_grad)


@_one_shape
def empty(shape, dtype=np.float64, requires_grad=False, *, device=None):
    """NumPy's and PyTorch's empty, with zeros's arguments: its entries are zeros here (as empty_like's), so nothing
    uninitialised is ever read.

    >>> import autograd_core as ag
    >>> ag.empty((2, 1), dtype=ag.long).fill_(7)
    Tensor([[7],
            [7]])
    """
    check_device(device, "empty")
    return _made("empty", lambda: np.zeros(shape, dtype=dtype), requires_grad)


# PyTorch's CPU tensor types by name, as t.type() gives them and t.type('torch.FloatTensor') takes them
TENSOR_TYPE_DTYPES = {f"torch.{name}Tensor": np.dtype(dtype) for name, dtype in [
    ("Float", np.float32), ("Double", np.float64), ("Half", np.float16), ("Long", np.int64), ("Int", np.int32),
    ("Short", np.int16), ("Char", np.int8), ("Byte", np.uint8), ("Bool", np.bool_)]}


class LegacyTensorType:
    """PyTorch's legacy tensor types by name (ag.FloatTensor, ag.LongTensor, ...). Called, a Tensor of the type's
    dtype made from data, or of zeros (PyTorch's are uninitialised) when given sizes as ints or as one Size (t.size():
    sizes, as PyTorch's, not data); in isinstance, whether a Tensor has that dtype, as PyTorch's CPU types (old code's
    `isinstance(x, torch.FloatTensor)`, torchattacks' to_type).

    >>> import autograd_core as ag
    >>> ag.LongTensor([1, 0]).dtype, ag.FloatTensor(2, 3).shape, ag.FloatTensor(ag.ones((2, 3)).size()).shape
    (dtype('int64'), (2, 3), (2, 3))
    >>> isinstance(ag.zeros(2, dtype=ag.float32), ag.FloatTensor), isinstance(ag.zeros(2), ag.FloatTensor)
    (True, False)
    """

    def __init__(self, name):
        self.__name__ = self.__qualname__ = name
        self.dtype = TENSOR_TYPE_DTYPES[f"torch.{name}"]

    def __call__(self, *data, device=None):
        name, dtype = self.__name__, self.dtype
        check_device(device, name)
        if len(data) == 1 and isinstance(data[0], Size):  # (Size([]): a 0-d Tensor, as torch's)
            return _made(name, lambda: np.zeros(data[0], dtype=dtype), False)
        if all(map(is_int, data)):
            return _made(name, lambda: np.zeros(data or (0,), dtype=dtype), False)  # (none: (0,), as torch's)
        if len(data) != 1:
            raise TypeError(f"{name}: takes one sequence or array of values, or sizes as ints, got {len(data)} "
                            f"arguments of types {[type(d).__name__ for d in data]}")
        return Tensor(data[0], dtype=dtype)

    def __instancecheck__(self, instance):
        return isinstance(instance, Tensor) and instance.dtype == self.dtype

    def __repr__(self):
        return f"<legacy tensor type {self.__name__}: dtype {self.dtype.name}>"


(FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor,
 BoolTensor) = (LegacyTensorType(name[len("torch."):]) for name in TENSOR_TYPE_DTYPES)


def tensor_type_dtype(owner, tensor_type):
    """The dtype PyTorch's tensor type stands for (dtype = torch.FloatTensor; x.type(dtype), the older tutorials' and
    CS231n's cast): one of the legacy constructors (ag.FloatTensor), or a name ('torch.FloatTensor'; a CUDA type's
    'torch.cuda.FloatTensor' raises DeviceError); anything else is returned as it is.

    >>> import autograd_core as ag
    >>> from autograd_core.creation import tensor_type_dtype
    >>> tensor_type_dtype("type", ag.FloatTensor), tensor_type_dtype("type", "torch.LongTensor")
    (dtype('float32'), dtype('int64'))
    """
    if isinstance(tensor_type, LegacyTensorType):
        return tensor_type.dtype
    if isinstance(tensor_type, str) and tensor_type.startswith("torch.cuda."):
        check_device("cuda", owner)
    if isinstance(tensor_type, str) and tensor_type.startswith("torch.") and tensor_type.endswith("Tensor"):
        if tensor_type not in TENSOR_TYPE_DTYPES:
            raise TypeError(f"{owner}: unknown tensor type {tensor_type!r}; PyTorch's CPU tensor types are "
                            f"{', '.join(TENSOR_TYPE_DTYPES)} (or give a dtype)")
        return TENSOR_TYPE_DTYPES[tensor_type]
    return tensor_type


def full(shape=UNGIVEN, fill_value=UNGIVEN, dtype=None, requires_grad=False, *, size=None, device=None):
    """A Tensor filled with fill_value. A fill value that requires grad stays in the graph (np.full would take
    its value only): each element of the result is it, so its gradient is their gradients' sum. A number the dtype
    cannot hold (NaN or inf for an integer dtype, -1.5 for an unsigned one) raises OverflowError, as fill_. The
    shape may be given as PyTorch's size= (full(size=(2,), fill_value=7.0)), as torch.full.

    >>> import autograd_core as ag
    >>> ag.full(2, 7.0), ag.full(size=(2,), fill_value=7.0)
    (Tensor([7., 7.]), Tensor([7., 7.]))
    >>> w = ag.tensor(2.0, requires_grad=True)
    >>> ag.full(3, w).sum().backward(); w.grad
    Tensor(3.)
    """
    check_device(device, "full")
    shape = one_of_two_names("full", "shape", shape, "size", size, UNGIVEN)
    if fill_value is UNGIVEN:
        raise TypeError("full: missing the argument fill_value (full(shape, fill_value))")
    if isinstance(fill_value, Tensor) and fill_value.requires_grad:
        if requires_grad:
            raise ValueError(f"full: requires_grad=True asks for a leaf, but fill_value (shape {fill_value.shape}) is "
                             f"recorded for gradients, so the result is computed from it; leave requires_grad out")
        try:
            value = fill_value if dtype is None else fill_value.astype(np.dtype(dtype))
        except TypeError as err:  # (a dtype NumPy does not know, named after full as the constant path names it)
            raise TypeError(f"full: {err}") from None
        zeros_ = _made("full", lambda: np.zeros(shape, dtype=value.dtype), False)  # a fresh, writable array
        extra = value.ndim - zeros_.ndim  # leading axes of length 1 beyond the shape's, which np.full drops too
        if extra > 0 and all(n == 1 for n in value.shape[:extra]):
            value = value.reshape(value.shape[extra:])
        try:
            np.broadcast_to(value._data, zeros_.shape)
        except ValueError:
            raise ValueError(f"full: a fill value of shape {fill_value.shape} cannot fill shape {zeros_.shape}; it "
                             f"must broadcast to it (trailing axes equal or 1)") from None
        return value + zeros_
    if GRAD_MODE.enabled:  # (np.full would take the list's values: a constant, cut from the graph)
        refuse_held_graph(fill_value, "full", "fill_value is a", "join them with ag.stack first (ag.full(shape, "
                                                                   "ag.stack([w1, w2])))")
    fill_value = as_value(fill_value)  # (a constant Tensor: its array, which np.full's copyto takes)
    if dtype is not None and np.ndim(fill_value) == 0:  # (NumPy's cast makes NaN or -1.5 an arbitrary integer)
        try:
            target = np.dtype(dtype)
        except TypeError:
            target = None  # (np.full names the dtype it does not know)
        if target is not None:
            fill_value = _arguments.checked_fill_value("full", fill_value, target, wraps=False)
    return _made("full", lambda: np.full(shape, fill_value, dtype=dtype), requires_grad)


def zeros_like(x=UNGIVEN, dtype=None, requires_grad=False, *, shape=None, device=None, input=None,  # noqa: A002
              memory_format=None):
    """Zeros with x's shape (and dtype unless given; shape=, as NumPy's, overrides the shape). x may be given as
    PyTorch's input=; PyTorch's memory_format=ag.preserve_format (or contiguous_format) is taken and changes nothing.

    >>> import autograd_core as ag
    >>> ag.zeros_like(ag.ones(3)), ag.zeros_like(input=ag.arange(2))
    (Tensor([0., 0., 0.]), Tensor([0, 0]))
    """
    check_device(device, "zeros_like")
    _check_memory_format(memory_format, "zeros_like")
    x = one_of_two_names("zeros_like", "x", x, "input", input, UNGIVEN)
    return _made("zeros_like", lambda: np.zeros_like(as_value(x), dtype=dtype, shape=shape), requires_grad)


def ones_like(x=UNGIVEN, dtype=None, requires_grad=False, *, shape=None, device=None, input=None,  # noqa: A002
              memory_format=None):
    """Ones with x's shape (and dtype unless given; shape=, as NumPy's, overrides the shape). x may be given as
    PyTorch's input=.

    >>> import autograd_core as ag
    >>> ag.ones_like(ag.zeros(2))
    Tensor([1., 1.])
    """
    check_device(device, "ones_like")
    _check_memory_format(memory_format, "ones_like")
    x = one_of_two_names("ones_like", "x", x, "input", input, UNGIVEN)
    return _made("ones_like", lambda: np.ones_like(as_value(x), dtype=dtype, shape=shape), requires_grad)


def eye(N, M=None, k=0, dtype=np.float64, requires_grad=False, *, device=None):
    """The identity matrix (N by M), or ones on the k-th diagonal, as np.eye (and its argument names).

    >>> import autograd_core as ag
    >>> ag.eye(2)
    Tensor([[1., 0.],
            [0., 1.]])
    """
    check_device(device, "eye")
    return _made("eye", lambda: np.eye(N, M, k=k, dtype=dtype), requires_grad)


def _triangle_indices(name, numpy_indices, row, col, offset, dtype, device):
    check_device(device, name)
    for arg, value in (("row", row), ("col", col), ("offset", offset)):
        if not is_int(value):
            raise TypeError(f"{name}: {arg} must be an int, got {value!r}")
    if row < 0 or col < 0:
        raise CreationError(f"{name}: row and col must be >= 0, got row={row}, col={col}")
    if np.dtype(dtype) not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise TypeError(f"{name}: dtype must be int64 or int32 (PyTorch's), got {np.dtype(dtype)}")
    return Tensor(np.stack(numpy_indices(int(row), int(offset), int(col))).astype(dtype, copy=False))


def tril_indices(row, col, offset=0, *, dtype=np.int64, device=None):
    """PyTorch's tril_indices: the coordinates of a row-by-col matrix's lower triangle (on and below the offset-th
    diagonal; offset -1 leaves the diagonal out), a 2 x N int64 Tensor, row by row: np.tril_indices(row, offset, col)
    stacked. Picks the distinct pairs of a pairwise product, as dlrm's Z[:, li, lj].

    >>> import autograd_core as ag
    >>> ag.tril_indices(3, 3, -1)
    Tensor([[1, 2, 2],
            [0, 0, 1]])
    """
    return _triangle_indices("tril_indices", np.tril_indices, row, col, offset, dtype, device)


def triu_indices(row, col, offset=0, *, dtype=np.int64, device=None):
    """PyTorch's triu_indices: the coordinates of a row-by-col matrix's upper triangle (on and above the offset-th
    diagonal), a 2 x N int64 Tensor, row by row: np.triu_indices(row, offset, col) stacked (torchrec's DLRM
    interaction picks interactions[:, triu[0], triu[1]] with offset=1).

    >>> import autograd_core as ag
    >>> ag.triu_indices(3, 3, 1)
    Tensor([[0, 0, 1],
            [1, 2, 2]])
    """
    return _triangle_indices("triu_indices", np.triu_indices, row, col, offset, dtype, device)


def arange(*args, start=None, stop=None, step=None, dtype=None, requires_grad=False, device=None, end=None):
    """Evenly spaced values in [start, stop), with np.arange's arguments: arange(3), arange(1, 3),
    arange(0, 1, 0.25), arange(0, 5, 1, np.float32), arange(stop=3), arange(1, stop=3); stop is required
    (arange(start=3) is refused), and an argument given by position is not given by name too. PyTorch's name
    for stop, end=, is taken too: arange(start=0, end=10, step=1).

    >>> import autograd_core as ag
    >>> ag.arange(3), ag.arange(start=1, end=7, step=2)
    (Tensor([0, 1, 2]), Tensor([1, 3, 5]))
    """
    check_device(device, "arange")
    stop = one_of_two_names("arange", "stop", stop, "end", end)
    if len(args) > 4:
        raise TypeError(f"arange: takes at most 4 positional arguments (start, stop, step, dtype), got {len(args)}")
    for position, (name, value) in enumerate((("start", start), ("stop", stop), ("step", step), ("dtype", dtype))):
        if value is not None and len(args) > position:
            raise TypeError(f"arange: {name} given by name and by position")
    if len(args) == 4:
        dtype = args[3]
    if len(args) == 1:  # arange(3) is arange(stop=3); arange(1, stop=3) starts at 1
        start, stop = (0, args[0]) if stop is None else (args[0], stop)
    elif len(args) >= 2:
        if args[0] is None:
            raise TypeError("arange: start must be a number; arange(3) starts at 0")
        start, stop, step = args[0], args[1], args[2] if len(args) >= 3 else step
    step = 1 if step is None else step
    if stop is None:
        raise TypeError("arange: stop is required: arange(3), arange(1, 3) or arange(start=1, stop=3)")
    for name, value in (("start", start), ("stop", stop), ("step", step)):
        if np.ndim(as_value(value)) != 0:  # (step == 0 of an array raised NumPy's "truth value ... is ambiguous")
            raise TypeError(f"arange: {name} must be a number, got shape {np.shape(as_value(value))}; for samples "
                            f"between arrays use ag.linspace")
    if step == 0:
        raise CreationError("arange: step must not be 0")
    if any(np.asarray(as_value(value)).dtype.kind == "f" and not np.isfinite(as_value(value))
           for value in (0 if start is None else start, stop)):  # (NumPy's: "Maximum allowed size exceeded")
        raise CreationError(f"arange: unsupported range: start={start} and stop={stop} must be finite")
    return _made("arange", lambda: np.arange(0 if start is None else start, stop, step, dtype=dtype), requires_grad)


def range_with_end(start=0, end=UNGIVEN, step=1, *, dtype=np.float64, requires_grad=False, device=None):
    """PyTorch's deprecated torch.range, served as ag.range (out of star imports, which would hide Python's range):
    start, start + step, ... up to end included, float64 as the other creation helpers here (float32 in PyTorch,
    its default dtype), with PyTorch's warning; ag.arange(start, end, step) leaves end out.

    >>> import warnings, autograd_core as ag
    >>> with warnings.catch_warnings(record=True):
    ...     ag.range(0, 3)
    Tensor([0., 1., 2., 3.])
    """
    check_device(device, "range")
    if end is UNGIVEN:
        raise TypeError("range: missing the argument end: range(start, end, step) includes end (or use "
                        "ag.arange(end), which leaves it out)")
    for name, value in (("start", start), ("end", end), ("step", step)):
        if np.ndim(as_value(value)) != 0:
            raise TypeError(f"range: {name} must be a number, got shape {np.shape(as_value(value))}")
    if step == 0 or (end - start) * step < 0:
        raise ValueError(f"range: step={step} must be nonzero and go from start={start} toward end={end}")
    warnings.warn("ag.range is deprecated, as torch.range is, because it differs from Python's range: it includes "
                  "end; use ag.arange, which gives values in [start, end)", UserWarning, stacklevel=2)
    count = int(np.floor((end - start) / step)) + 1  # (PyTorch's count)
    return _made("range", lambda: (start + step * np.arange(count)).astype(dtype), requires_grad)


def randn(*shape, size=None, dtype=np.float64, requires_grad=False, rng=None, device=None, generator=None):
    """Standard normal samples of the given shape (PyTorch's randn: randn(2, 3), randn((2, 3)) or randn(size=(2,
    3))), drawn from rng: a NumPy Generator or an int seed (None: the default generator, see manual_seed);
    generator= is PyTorch's name for rng=.

    >>> import autograd_core as ag
    >>> ag.randn(2, 3, rng=0).shape, ag.randn((2, 3), rng=0).dtype, ag.randn(size=(), rng=0).shape
    ((2, 3), dtype('float64'), ())
    """
    check_device(device, "randn")
    return _sampled("randn", lambda rng, size: rng.standard_normal(size), _shape_or_size("randn", shape, size),
                    dtype, requires_grad, generator_of(rng, generator, "randn"))


def rand(*shape, size=None, dtype=np.float64, requires_grad=False, rng=None, device=None, generator=None):
    """Uniform samples in [0, 1) of the given shape (PyTorch's rand; the shape given as randn's); rng (or
    generator=) as randn's.

    >>> import autograd_core as ag
    >>> bool((ag.rand(100, rng=0).data < 1).all()), ag.rand(size=(2, 4), rng=0).shape
    (True, (2, 4))
    """
    check_device(device, "rand")
    return _sampled("rand", lambda rng, size: rng.random(size), _shape_or_size("rand", shape, size), dtype,
                    requires_grad, generator_of(rng, generator, "rand"), below_one=True)


def rand_like(x, dtype=None, requires_grad=False, *, rng=None, generator=None, device=None):
    """PyTorch's rand_like: uniform samples in [0, 1) with x's shape, and x's dtype unless dtype is given; rng (or
    generator=) as randn's. An integer x needs a float dtype= (`rand_like(x_int, dtype=ag.float)`), as in PyTorch.

    >>> import autograd_core as ag
    >>> ag.rand_like(ag.tensor([[1, 2], [3, 4]]), dtype=ag.float, rng=0).dtype
    dtype('float32')
    """
    check_device(device, "rand_like")
    return _sampled("rand_like", lambda rng, size: rng.random(size), _like("rand_like", x, dtype),
                    _like_dtype("rand_like", x, dtype), requires_grad, generator_of(rng, generator, "rand_like"),
                    below_one=True)


def randn_like(x, dtype=None, requires_grad=False, *, rng=None, generator=None, device=None):
    """PyTorch's randn_like: standard normal samples with x's shape, and dtype as rand_like's.

    >>> import autograd_core as ag
    >>> ag.randn_like(ag.zeros((2, 3)), rng=0).shape
    (2, 3)
    """
    check_device(device, "randn_like")
    return _sampled("randn_like", lambda rng, size: rng.standard_normal(size), _like("randn_like", x, dtype),
                    _like_dtype("randn_like", x, dtype), requires_grad, generator_of(rng, generator, "randn_like"))


def _like(helper, x, dtype):
    """x's shape, as the sizes _sampled takes."""
    if not isinstance(x, (Tensor, np.ndarray)):
        raise TypeError(f"{helper}: x must be a Tensor (or an ndarray), got {type(x).__name__}; for a new shape "
                        f"use {helper[:-5]}(*shape)")
    return (tuple(x.shape),)


def _like_dtype(helper, x, dtype):
    """dtype, else x's: a float dtype, since the samples are floats (PyTorch refuses an integer one too)."""
    if dtype is not None:
        return dtype
    if x.dtype.kind != "f":
        raise TypeError(f"{helper}: x has dtype {x.dtype}, and the samples are floats; give a float dtype, e.g. "
                        f"{helper}(x, dtype=ag.float) for float32")
    return x.dtype


def _shape_or_size(helper, shape, size):
    """The sizes given by position, or as PyTorch's size= keyword (a tuple or list of ints), not both."""
    if size is None:
        return shape
    if shape:
        raise TypeError(f"{helper}: the shape is given twice, by position {shape!r} and as size={size!r}; give one")
    if not isinstance(size, (tuple, list)):
        size = (size,)  # (size=3, as torch takes it)
    return (tuple(size),)


def _sampled(helper, draw, shape, dtype, requires_grad, rng, below_one=False):
    """Tensor(draw(rng, shape).astype(dtype)), rng a NumPy Generator: the sizes given as ints or as one tuple, as
    PyTorch's. With below_one, samples the cast rounds up to 1 (float64's just below 1 are none of float16's or
    float32's) are the dtype's largest float below 1, so that they stay in [0, 1)."""
    size = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in size):
        raise TypeError(f"{helper}: the shape must be ints, given as {helper}(2, 3) or {helper}((2, 3)); got {shape!r}")
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{helper}: dtype {dtype!r} is not a NumPy dtype; give a float dtype such as np.float32") \
            from None
    if dtype.kind != "f":
        raise TypeError(f"{helper}: dtype must be a float dtype (float32 or float64), got {dtype}")

    def make():
        values = draw(rng, size).astype(dtype, copy=False)
        if below_one and dtype.itemsize < 8:
            np.minimum(values, np.nextafter(dtype.type(1), dtype.type(0)), out=values)
        return values

    return _made(helper, make, requires_grad)


def randperm(n, *, rng=None, generator=None, dtype=np.int64, requires_grad=False, device=None):
    """A random permutation of 0, 1, ..., n - 1 (PyTorch's randperm), drawn from rng (or generator=) as randn's: it
    is rng.permutation(n). dtype: an integer or float dtype that holds n - 1 exactly (float16 up to n = 2049, as
    PyTorch's); requires_grad only for a float dtype.

    >>> import autograd_core as ag
    >>> p = ag.randperm(5, rng=0)
    >>> sorted(p.tolist()), p.dtype
    ([0, 1, 2, 3, 4], dtype('int64'))
    """
    check_device(device, "randperm")
    rng = generator_of(rng, generator, "randperm")
    count = int_from_tensor(n)
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer)):
        raise TypeError(f"randperm: n must be an int, got {n!r}")
    if count < 0:
        raise CreationError(f"randperm: n must be >= 0 (the permutation of 0, ..., n - 1), got {count}")
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"randperm: dtype {dtype!r} is not a NumPy dtype; give an integer or float dtype such as "
                        f"np.int64") from None
    if dtype.kind not in "iuf":
        raise TypeError(f"randperm: dtype must be an integer or float dtype, got {dtype}")
    largest = 2 ** (np.finfo(dtype).nmant + 1) if dtype.kind == "f" else int(np.iinfo(dtype).max)
    if count - 1 > largest:  # (a float's integers are exact up to 2 ** (mantissa bits + 1))
        raise CreationError(f"randperm: n={count} is too large for dtype {dtype}, which holds every integer up to "
                            f"{largest} (so n up to {largest + 1}); use a wider dtype such as np.int64")
    return _made("randperm", lambda: rng.permutation(count).astype(dtype), requires_grad)
