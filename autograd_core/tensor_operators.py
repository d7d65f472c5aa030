"""Tensor's Python operators, set on Tensor when the package is imported: the recorded arithmetic (+ - * / ** @ and
their reflections, unary - and abs), t[index], and the comparisons and logic (== != < <= > >=, & | ^ ~, << >>, // %,
divmod, `in`). Given an object of a type the engine does not know, an operator returns NotImplemented, so that the
object's reflected method runs, as PyTorch's operators let it."""
import numbers

import numpy as np

from . import ops
from .primitive import _NO_PARAMS, apply
from .tensor import Tensor, as_value


def _unknown(other):
    """In an operator's `except TypeError:`: NotImplemented for an object of a type the engine does not know (its
    reflected method then runs, as PyTorch's operators let it), else the error raised again."""
    if _foreign(other):
        return NotImplemented
    raise  # (the TypeError being handled, as it was)


def _operator(function, reflected, name):
    """Tensor's operator `name`, `t op other` (or `other op t`) calling function, NotImplemented for an unknown
    object."""
    def method(self, other):
        try:
            return function(other, self) if reflected else function(self, other)
        except TypeError:
            return _unknown(other)
    method.__name__, method.__qualname__ = name, f"Tensor.{name}"
    return method


def _foreign(other):
    """Is other of a type the operators leave to its own reflected method, returning NotImplemented as PyTorch's do
    (an object that is no Tensor, number, array, list or tuple, and that NumPy makes no array of)? Asked only once an
    operation has refused other, so that `t * obj` with obj.__rmul__ runs obj's, and Python names both types."""
    return not isinstance(other, (Tensor, numbers.Number, np.ndarray, np.generic, list, tuple, str)) and not (
        hasattr(other, "__array__") or hasattr(other, "__array_interface__"))


def _comparable(other):
    """Can == compare a Tensor with other elementwise (a number, an array or Tensor of numbers, a list of them)?"""
    if isinstance(other, (Tensor, int, float)):
        return True
    if isinstance(other, (np.ndarray, np.generic)):
        return other.dtype.kind in "biuf"
    if isinstance(other, (list, tuple)):
        try:
            return np.asarray(other).dtype.kind in "biuf"
        except (ValueError, TypeError):
            return False
    return False


class _Operators:
    """The operators written out (set on Tensor below, each under its own name)."""

    def __neg__(self):
        return apply(ops.negative, (self,), _NO_PARAMS)

    def __pos__(self):  # the Tensor itself, as PyTorch's +t; a bool one refused, as by NumPy and PyTorch
        if self.dtype == np.bool_:
            raise TypeError("unary +: not supported for bool Tensors (as in NumPy); use the Tensor itself")
        return self

    def __abs__(self):
        return ops.abs(self)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    # Comparisons and logic: boolean results, not differentiable (<, <=, >, >=, &, |, ^, <<, >>, // and % are set
    # below, from _OPERATORS).
    def __eq__(self, other):
        # "abc", None, an object: unequal, as in PyTorch (so `x in [t]` works); an array of strings or objects:
        # its own == then runs np.equal, which numpy_dispatch compares as NumPy does
        if not _comparable(other):
            return NotImplemented
        return ops.equal(self, other)

    def __ne__(self, other):
        if not _comparable(other):
            return NotImplemented
        return ops.not_equal(self, other)

    def __contains__(self, value):
        """value in t: whether any element equals value (as in NumPy and PyTorch)."""
        return bool(np.any(self.data == as_value(value)))

    def __invert__(self):
        return ops.invert(self)

    def __divmod__(self, other):
        return ops.floor_divide(self, other), ops.remainder(self, other)

    def __rdivmod__(self, other):
        return ops.floor_divide(other, self), ops.remainder(other, self)


for _name, _member in vars(_Operators).items():
    if callable(_member):  # (the functions: not the class's __module__, __doc__ or __hash__ = None)
        _member.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _member)
def _recorded(primitive, reflected, name):
    """Tensor's arithmetic operator `name`: the primitive applied to (self, other), or (other, self) when
    reflected, at once through apply (the hottest path: no call in between), NotImplemented for an unknown object."""
    if reflected:
        def method(self, other):
            try:
                return apply(primitive, (other, self), _NO_PARAMS)
            except TypeError:  # (free in CPython 3.11 when nothing is raised)
                return _unknown(other)
    else:
        def method(self, other):
            try:
                return apply(primitive, (self, other), _NO_PARAMS)
            except TypeError:
                return _unknown(other)
    method.__name__, method.__qualname__ = name, f"Tensor.{name}"
    return method


for _name, _primitive in (("add", ops.add), ("sub", ops.subtract), ("mul", ops.multiply), ("truediv", ops.divide),
                          ("pow", ops.power), ("matmul", ops.matmul)):
    setattr(Tensor, f"__{_name}__", _recorded(_primitive, False, f"__{_name}__"))
    setattr(Tensor, f"__r{_name}__", _recorded(_primitive, True, f"__r{_name}__"))
# The operators that are comparisons, bitwise (& | ^ on booleans: logical), shifts, and floor division and remainder
# (NumPy's // and %: the quotient a constant, the remainder differentiable): name -> (function, reflected)
_OPERATORS = {"__lt__": (ops.less, False), "__le__": (ops.less_equal, False), "__gt__": (ops.greater, False),
              "__ge__": (ops.greater_equal, False), "__and__": (ops.bitwise_and, False),
              "__rand__": (ops.bitwise_and, False), "__or__": (ops.bitwise_or, False),
              "__ror__": (ops.bitwise_or, False), "__xor__": (ops.bitwise_xor, False),
              "__rxor__": (ops.bitwise_xor, False), "__lshift__": (ops.left_shift, False),
              "__rlshift__": (ops.left_shift, True), "__rshift__": (ops.right_shift, False),
              "__rrshift__": (ops.right_shift, True), "__floordiv__": (ops.floor_divide, False),
              "__rfloordiv__": (ops.floor_divide, True), "__mod__": (ops.remainder, False),
              "__rmod__": (ops.remainder, True)}
for _name, (_function, _reflected) in _OPERATORS.items():
    setattr(Tensor, _name, _operator(_function, _reflected, _name))
del _name, _member, _function, _reflected, _primitive
