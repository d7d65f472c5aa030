"""PyTorch's dtype queries for code ported from it: torch.finfo and torch.iinfo (HF transformers' attention masks,
torch.finfo(dtype).min), torch.get_default_dtype, torch.promote_types, result_type and can_cast. The numbers are NumPy's
np.finfo/np.iinfo, given as Python numbers with PyTorch's field names."""
import enum

import numpy as np

from .tensor import Tensor

_FLOAT_FIELDS = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution")


class finfo:  # noqa: N801 (PyTorch's name)
    """torch.finfo(type=None): the limits of a float dtype (float32 when none is given, PyTorch's default), as
    Python floats: bits, eps, max, min, tiny (= smallest_normal), resolution, and dtype, the name.

    >>> import autograd_core as ag
    >>> ag.finfo(ag.float32).min, ag.finfo(ag.tensor([1.0]).dtype).eps
    (-3.4028234663852886e+38, 2.220446049250313e-16)
    """

    __slots__ = _FLOAT_FIELDS + ("dtype",)

    def __init__(self, type=None):  # noqa: A002 (PyTorch's name)
        dtype = _dtype_of(np.float32 if type is None else type, "finfo", "f",
                          "a float dtype (float16, float32, float64); ag.iinfo takes the integer ones")
        info = np.finfo(dtype)
        for field in _FLOAT_FIELDS[1:-1]:
            setattr(self, field, float(getattr(info, field)))
        self.bits, self.resolution = int(info.bits), 10.0 ** -info.precision  # (PyTorch's: NumPy's is of the dtype)
        self.dtype = dtype.name

    def __repr__(self):
        fields = ", ".join(f"{field}={getattr(self, field)}" for field in ("resolution", "min", "max", "eps",
                                                                          "smallest_normal", "tiny"))
        return f"finfo({fields}, dtype={self.dtype})"


class iinfo:  # noqa: N801 (PyTorch's name)
    """torch.iinfo(type): the limits of an integer dtype as Python ints: bits, max, min, and dtype, the name.

    >>> import autograd_core as ag
    >>> ag.iinfo(ag.int64).max, ag.iinfo(ag.uint8).min
    (9223372036854775807, 0)
    """

    __slots__ = ("bits", "max", "min", "dtype")

    def __init__(self, type):  # noqa: A002 (PyTorch's name)
        dtype = _dtype_of(type, "iinfo", "iu", "an integer dtype (int8 ... int64, uint8); ag.finfo takes the float "
                                               "ones")
        info = np.iinfo(dtype)
        self.bits, self.max, self.min, self.dtype = int(info.bits), int(info.max), int(info.min), dtype.name

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


def get_default_dtype():
    """PyTorch's default float dtype, float32: the dtype nn's layers are made in (a Python float still makes a
    float64 Tensor here, as in NumPy; there is no set_default_dtype: cast a model with model.double()).

    >>> import autograd_core as ag, nn
    >>> ag.get_default_dtype() == nn.Linear(2, 2).weight.dtype
    True
    """
    return np.float32


def promote_types(type1, type2):
    """torch.promote_types(type1, type2): the smallest dtype both convert to without losing their kind. PyTorch's
    rule, which is NumPy's np.promote_types except that an integer or bool meeting a float gives that float (NumPy
    widens int64 and float32 to float64). CS336's RMSNorm upcasts with x.to(promote_types(x.dtype, float32)).

    >>> import autograd_core as ag
    >>> ag.promote_types(ag.float16, ag.float32), ag.promote_types(ag.int64, ag.float32)
    (dtype('float32'), dtype('float32'))
    >>> ag.promote_types(ag.uint8, ag.int8)
    dtype('int16')
    """
    first = _dtype_of(type1, "promote_types", "biufc", "two dtypes (ag.float32, ag.int64, ...)")
    second = _dtype_of(type2, "promote_types", "biufc", "two dtypes (ag.float32, ag.int64, ...)")
    first_float, second_float = first.kind in "fc", second.kind in "fc"
    if first_float != second_float:  # PyTorch's categories: the float side wins whatever the integer's width
        return first if first_float else second
    return np.promote_types(first, second)


def result_type(*operands):
    """torch.result_type(tensor1, tensor2): the dtype an arithmetic operation on the operands gives here, which is
    NumPy 2's np.result_type (any number of Tensors, arrays, dtypes and Python numbers): a Python number adapts to
    a Tensor's dtype (int32 with 1 stays int32, uint8 with 5.5 is float64), and a 0-d Tensor counts as fully as
    any other (PyTorch's 0-d int64 with a 1-D int32 is int32, here int64; README 'Where it differs').

    >>> import autograd_core as ag
    >>> ag.result_type(ag.tensor([1, 2], dtype=ag.int32), 1), ag.result_type(ag.tensor([1.0], dtype=ag.float32), 1.0)
    (dtype('int32'), dtype('float32'))
    """
    if not operands:
        raise TypeError("result_type: expects at least one Tensor, array, dtype or number")
    values = []
    for operand in operands:
        value = operand.data if isinstance(operand, Tensor) else operand
        if not (isinstance(value, (np.ndarray, np.generic, np.dtype, bool, int, float, complex))
                or isinstance(value, type) and issubclass(value, (np.number, np.bool_, bool, int, float, complex))
                and not issubclass(value, enum.Enum)):  # (no text, object or enum classes: NumPy makes odd dtypes)
            got = f"the class {value.__name__}" if isinstance(value, type) else type(value).__name__
            raise TypeError(f"result_type: expects Tensors, arrays, numbers or dtypes, got {got}")
        values.append(value)
    return np.result_type(*values)


def can_cast(from_, to):
    """torch.can_cast(from_, to): whether an in-place operation or an out= may write a result of dtype from_ into a
    Tensor of dtype to, NumPy's same_kind rule the in-place operations here follow: within a kind, or up the order
    bool, unsigned, signed, float, complex (PyTorch's rule allows a signed integer into an unsigned one too:
    uint8 *= int16 is refused here, as in NumPy).

    >>> import autograd_core as ag
    >>> ag.can_cast(ag.float64, ag.float32), ag.can_cast(ag.float32, ag.int32), ag.can_cast(ag.int16, ag.uint8)
    (True, False, False)
    """
    first = _dtype_of(from_, "can_cast", "biufc", "two dtypes (ag.float32, ag.int64, ...)")
    second = _dtype_of(to, "can_cast", "biufc", "two dtypes (ag.float32, ag.int64, ...)")
    return bool(np.can_cast(first, second, "same_kind"))


def _dtype_of(value, owner, kinds, valid):
    try:
        dtype = np.dtype(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind not in kinds:
        raise TypeError(f"{owner}: expects {valid}, got {value!r}")
    return dtype
