"""The arguments nn checks in many places: an `rng` made a NumPy Generator, a number made a float, a flag a bool,
Module.to's arguments a dtype, a layer's device= the CPU, with errors naming the operation that was given them (and
user input echoed in them shortened)."""
import functools
import inspect
import math
import operator
import warnings

import numpy as np

from autograd_core import Tensor
from autograd_core.creation import _check_memory_format
# (nn imports these from here)
from autograd_core._arguments import as_flag, check_device, generator, generator_of, is_cpu, names_device  # noqa: F401
from autograd_core._arguments import RuntimeTypeError


def shorten(text, limit=80):
    """repr(text), cut to its first `limit` characters when longer: error messages echo user input,
    which may be huge (a 100,000-character expression must not flood the terminal).

    >>> from nn._arguments import shorten
    >>> shorten("x*y"), shorten("x" * 100, limit=5)
    ("'x*y'", "'xxxxx'... (100 characters)")
    """
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text):,} characters)"


def as_number(value):
    """value as a Python float when it is a real number (a Python or NumPy number, or a 0-d Tensor or array of
    them, as PyTorch takes a tensor there, but not a Tensor that requires grad), else None; a bool is no number.

    >>> import numpy as np
    >>> from nn._arguments import as_number
    >>> as_number(np.float32(0.5)), as_number(True), as_number("1")
    (0.5, None, None)
    """
    if isinstance(value, (Tensor, np.ndarray)):  # (not one that requires grad: its gradient would be dropped)
        usable = value.ndim == 0 and value.dtype.kind in "iuf" and not getattr(value, "requires_grad", False)
        return float(value) if usable else None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return _as_float(value)
    return None


def error_kind(*values):
    """The error for settings that are invalid: TypeError when one is no number ("0.5", None), as PyTorch's
    comparisons raise; ValueError when all are numbers, one out of range.

    >>> from nn._arguments import error_kind
    >>> error_kind(0.5, "a").__name__, error_kind(-1.0).__name__
    ('TypeError', 'ValueError')
    """
    return TypeError if any(as_number(value) is None for value in values) else ValueError


def as_finite_number(value):
    """as_number(value) when that is finite, else None (NaN and inf are no setting's values).

    >>> from nn._arguments import as_finite_number
    >>> as_finite_number(2), as_finite_number(float("nan")), as_finite_number("1")
    (2.0, None, None)
    """
    number = as_number(value)
    return number if number is not None and math.isfinite(number) else None


def checked_number(value, owner, name, *, low=None, high=None, low_open=False, high_open=False, integer=False,
                   plain=False, what=None, message="{owner}: {name} must be {what}, got {value!r}{of_type}",
                   error=ValueError):
    """value as a Python float (an int with integer=True) when it is a number in the range from low to high (each
    bound inclusive unless open; NaN and inf are out of range unless high is inf), else an error naming owner's
    setting `name`: TypeError when it is no number (text, None, a bool; a float for an int), ValueError when it is
    out of range, as README has it (error: a ValueError class to raise instead, InvalidArgumentError where PyTorch
    raises RuntimeError). A number is one as_number takes (with plain, only a Python or NumPy number);
    what (the valid values) is said from the range unless given; message may reword the error (of_type is
    " of type str" for no number).

    >>> from nn._arguments import checked_number
    >>> checked_number(3, "Linear", "in_features", low=1, integer=True)
    3
    >>> checked_number(1.5, "dropout", "p", low=0, high=1)
    Traceback (most recent call last):
    ...
    ValueError: dropout: p must be a number in [0, 1], got 1.5
    >>> checked_number("0.1", "SGD", "lr", low=0)
    Traceback (most recent call last):
    ...
    TypeError: SGD: lr must be a finite number >= 0, got '0.1' of type str
    """
    if integer:  # an int, a NumPy int, or a 0-d integer array or Tensor (as operator.index takes them)
        number = _as_int(value)
    elif plain:
        usable = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        number = _as_float(value) if usable else None
    else:
        number = as_number(value)
    if number is not None and (type(number) is int or math.isfinite(number) or high == math.inf) and \
            (low is None or number > low or (number == low and not low_open)) and \
            (high is None or number < high or (number == high and not high_open)):
        return number
    what = what or _described_range(low, high, low_open, high_open, integer)
    if number is None:
        raise TypeError(message.format(owner=owner, name=name, what=what, value=value,
                                       of_type=f" of type {type(value).__name__}"))
    raise error(message.format(owner=owner, name=name, what=what, value=value, of_type=""))


def _as_int(value):
    """value as a Python int when it is an integer (not a bool; a 0-d integer array or Tensor too), else None."""
    if isinstance(value, (bool, np.bool_)) or getattr(value, "dtype", np.dtype(int)) == bool:
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _as_float(value):
    """float(value), an int too large for a float being -inf or inf: out of range, not an OverflowError."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _described_range(low, high, low_open, high_open, integer):
    """The valid values in words: "a positive int", "a finite number > 0", "a number in [0, 1)"."""
    if integer:
        if low is None:  # (an int with no bound: the callers compare it themselves)
            return "an int"
        return "a positive int" if low == 1 and high is None else f"an int >= {low}"
    if high is None or high == math.inf:
        kind = "a number" if high == math.inf else "a finite number"
        return kind if low is None else f"{kind} {'>' if low_open else '>='} {low}"
    return f"a number in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


class ModuleCopyError(RuntimeTypeError):
    """Module.to(copy=...): a TypeError here (an argument it does not take) and PyTorch's RuntimeError."""


_FLOATS = tuple(np.dtype(t) for t in (np.float16, np.float32, np.float64))  # what Module.to casts to


def dtype_of_to(where, args, kwargs):
    """The dtype Module.to(*args, **kwargs) asks for, or None: PyTorch's forms to(dtype), to(device),
    to(device, dtype), to(tensor) and to(..., non_blocking), positional or as keywords dtype=, device=,
    non_blocking=, and memory_format= (ag.preserve_format or contiguous_format: a layout, no change here). A None
    is not given, as in PyTorch. The device must be the CPU ("cpu" or "cpu:0")."""
    if "copy" in kwargs:  # (PyTorch's argument parser takes it, then Module.to refuses it: a RuntimeError there)
        raise ModuleCopyError(f"{where}: copy= is not accepted, as in PyTorch's Module.to: the module's Parameters "
                              f"and buffers are cast in place; copy.deepcopy(module) first for a copy")
    unknown = [key for key in kwargs if key not in ("dtype", "device", "non_blocking", "memory_format")]
    if unknown:
        raise TypeError(f"{where}: unexpected keyword argument {unknown[0]!r}; it takes dtype=, device=, "
                        f"non_blocking= and memory_format=")
    _check_memory_format(kwargs.get("memory_format"), where)
    given = {key: value for key, value in kwargs.items() if value is not None}
    if len(args) > 3:
        raise TypeError(f"{where}: takes at most 3 positional arguments (device, dtype, non_blocking), got "
                        f"{len(args)}")
    previous = None  # the key of the positional argument before, if given
    for arg in args:
        if arg is None:
            previous = None
            continue
        if isinstance(arg, (bool, np.bool_)):
            if previous != "dtype":  # PyTorch's forms: to(device, dtype, non_blocking), to(dtype or tensor, ...)
                raise TypeError(f"{where}: a positional non_blocking ({arg!r}) must follow a dtype or a Tensor, as in "
                                f"PyTorch's to(device, dtype, non_blocking) and to(dtype, non_blocking); got {args!r}")
            key = "non_blocking"
        elif isinstance(arg, (Tensor, np.ndarray)):  # to(tensor): its dtype
            key, arg = "dtype", arg.dtype
        elif isinstance(arg, str):
            key = "dtype" if _as_dtype(arg) is not None else "device"
        else:
            key = "dtype"
        if key in given:
            raise TypeError(f"{where}: {key} given twice ({given[key]!r} and {arg!r})")
        given[key], previous = arg, key
    as_flag(given.get("non_blocking", False), where, "non_blocking")  # (ignored: NumPy copies at once)
    device = given.get("device")
    if device is not None and not is_cpu(device):
        if names_device(device):  # PyTorch's device names: refused as every device= here refuses them
            check_device(device, where)
        raise (ValueError if isinstance(device, str) else TypeError)(
            f"{where}: {device!r} is neither a float dtype (float16, float32, float64) nor the device 'cpu'; "
            f"autograd_core computes with NumPy on the CPU only")
    if "dtype" not in given:
        return None
    dtype = _as_dtype(given["dtype"])
    if dtype is None:
        raise TypeError(f"{where}: dtype must be float16, float32 or float64 (a NumPy dtype or its name), got "
                        f"{given['dtype']!r}")
    if dtype not in _FLOATS:  # (PyTorch's takes complex dtypes too: autograd_core has no complex numbers)
        why = "autograd_core has no complex numbers" if dtype.kind == "c" else "a cast applies to float Parameters " \
              "and buffers; integer and bool ones keep their dtype"
        raise TypeError(f"{where}: dtype must be float16, float32 or float64, got {dtype} ({why})")
    return dtype


def _as_dtype(value):
    """value as a NumPy dtype, or None if it names none."""
    try:
        return np.dtype(value)
    except (TypeError, ValueError):
        return None


def takes_device(init):
    """init, a layer's __init__, also taking PyTorch's factory keyword device=, keyword-only (dtype here comes where
    PyTorch's positional device does): None or "cpu", where NumPy computes; any other device raises check_device's
    DeviceError naming the layer. help() and inspect show it, just before dtype where that is keyword-only too.

    >>> import inspect, nn
    >>> print(inspect.signature(nn.PReLU))
    (num_parameters=1, init=0.25, *, device=None, dtype=<class 'numpy.float32'>)
    >>> nn.PReLU(device="cpu").weight.shape
    (1,)
    >>> nn.PReLU(device="cuda")
    Traceback (most recent call last):
    ...
    autograd_core._arguments.DeviceError: PReLU: device 'cuda' is not available: ... (or leave device out)
    """
    @functools.wraps(init)
    def with_device(self, *args, device=None, **kwargs):
        check_device(device, type(self).__name__)
        init(self, *args, **kwargs)

    parameters = list(inspect.signature(init).parameters.values())
    keywords = [p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD)]
    before = "dtype" if "dtype" in keywords else keywords[0] if keywords else None
    place = [p.name for p in parameters].index(before) if before else len(parameters)
    parameters.insert(place, inspect.Parameter("device", inspect.Parameter.KEYWORD_ONLY, default=None))
    with_device.__signature__ = inspect.Signature(parameters)
    return with_device


def takes_legacy_reduction(function):
    """function (a loss, or a loss Module's __init__), also taking PyTorch's deprecated size_average= and reduce=
    as keywords: either given, they decide its reduction with PyTorch's rule and warning, whatever reduction says
    (reduce=False is 'none', else size_average=False is 'sum', else 'mean'; None counts as True).

    >>> import warnings, autograd_core as ag, nn.functional as F
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     F.mse_loss(ag.tensor([1.0, 2.0]), [0.0, 0.0], size_average=False)
    Tensor(5.)
    >>> print(caught[0].message)
    mse_loss: size_average and reduce are deprecated, as in PyTorch; use reduction='sum' instead
    """
    position = list(inspect.signature(function).parameters).index("reduction")

    @functools.wraps(function)
    def with_legacy_reduction(*args, size_average=None, reduce=None, **kwargs):
        if size_average is not None or reduce is not None:
            where = type(args[0]).__name__ if function.__name__ == "__init__" else function.__name__
            reduction = _legacy_reduction(size_average, reduce, where)
            if len(args) > position:  # (a reduction given by position is overruled too, as in PyTorch)
                args = args[:position] + (reduction,) + args[position + 1:]
            else:
                kwargs["reduction"] = reduction
        return function(*args, **kwargs)
    return with_legacy_reduction


def _legacy_reduction(size_average, reduce, where):
    """The reduction PyTorch's _Reduction.legacy_get_string makes of size_average and reduce, with its warning."""
    size_average = as_flag(size_average, where, "size_average", none=True) is not False
    reduce = as_flag(reduce, where, "reduce", none=True) is not False
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(f"{where}: size_average and reduce are deprecated, as in PyTorch; use reduction={reduction!r} "
                  f"instead", UserWarning, stacklevel=3)
    return reduction


def constant_of(value):
    """value as PyTorch hands it back from a dataset or a checkpoint: an array of numbers or bools as a constant Tensor
    sharing its memory (no copy, outside any graph), a NumPy number as a 0-d one, anything else (strings, Tensors) as
    it is.

    >>> import numpy as np
    >>> from nn._arguments import constant_of
    >>> constant_of(np.array([1, 2])), constant_of(np.int64(3)), constant_of(np.array(["a"]))
    (Tensor([1, 2]), Tensor(3), array(['a'], dtype='<U1'))
    """
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in "biuf":
        return Tensor._constant(np.asarray(value))
    return value
