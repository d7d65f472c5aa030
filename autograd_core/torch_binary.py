"""PyTorch's names and keywords for the binary elementwise operations beyond the operators: torch.add(alpha=),
torch.divide(rounding_mode=) and t.divide, t.equal (one bool, as torch.equal; ag.equal is left out, NumPy's name),
torch.rsub (other - alpha * input), the bitwise functions
(torch.bitwise_and ... bitwise_left_shift), and the in-place forms t.true_divide_ floor_divide_ remainder_ fmod_
atan2_ hypot_ copysign_ heaviside_ nextafter_ gcd_ lcm_ ldexp_ xlogy_ float_power_, the logical ones (logical_and_, ...,
logical_not_) and the bitwise ones (bitwise_and_, ...) (the comparisons eq_ ... ge_ are torch_in_place's). Each
in-place form writes the out-of-place operation's result into the Tensor (torch_in_place._written_in_place: recorded
as add_'s while recording; a result whose dtype does not cast to the Tensor's, a float into an integer Tensor, is
refused as by PyTorch). Set on Tensor when this module is imported (by autograd_core/__init__.py).
"""
import numpy as np

from . import ops
from .primitive import OperandTypeError, as_operand
from .tensor import Tensor
from .torch_functions import _written_into
from .torch_in_place import _written_in_place, refuse_unrecorded


def add(input, other, *, alpha=1, out=None):  # noqa: A002 (PyTorch's names)
    """PyTorch's torch.add: input + alpha * other (np.add's values and dtypes when alpha is 1; t.add's otherwise);
    out= as ag.mul's (a result that does not cast to out's dtype, a float into an integer out, is refused).

    >>> import autograd_core as ag
    >>> ag.add(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 1.0]), alpha=10)
    Tensor([11., 12.])
    """
    if out is not None:
        return _written_into(out, add(input, other, alpha=alpha), "add")
    if type(alpha) is int and alpha == 1:  # (a float alpha is checked by t.add: refused for integer inputs)
        return ops.add(input, other)
    return as_operand(input, "add").add(other, alpha=alpha)


def divide(input, other, *, rounding_mode=None, out=None):  # noqa: A002
    """PyTorch's torch.divide (np.divide when rounding_mode is None): input / other; rounding_mode "floor" or
    "trunc" rounds the quotient as t.div does (of integers, exactly, in their dtype); out= as ag.mul's.

    >>> import autograd_core as ag
    >>> ag.divide(ag.tensor([7, -7]), 2, rounding_mode="trunc")
    Tensor([ 3, -3])
    """
    if out is not None:
        return _written_into(out, divide(input, other, rounding_mode=rounding_mode), "divide")
    if rounding_mode is None:
        return ops.divide(input, other)
    return as_operand(input, "divide").div(other, rounding_mode=rounding_mode)


def _in_place(name, function, example, shown):
    def method(self, other):
        if name.startswith("logical_"):  # (0s and 1s, no gradient: refused while recording, as eq_ ... ge_ are)
            refuse_unrecorded(self, f"{name}_", "a logical result", f"x = ag.{name}(x, other).to(x.dtype)")
        return _written_in_place(self, name, lambda: function(self, other))
    method.__name__, method.__qualname__ = f"{name}_", f"Tensor.{name}_"
    method.__doc__ = (f"PyTorch's t.{name}_(other): t.{name}(other) written into t, which is returned.\n\n"
                      f"    >>> import autograd_core as ag\n    >>> {example}\n    {shown}\n    ")
    return method


_FLOATS = "ag.tensor([5.0, -3.0])"
_IN_PLACE = {
    "true_divide": (ops.divide, _FLOATS + ".true_divide_(2)", "Tensor([ 2.5, -1.5])"),
    "floor_divide": (ops.floor_divide, _FLOATS + ".floor_divide_(2)", "Tensor([ 2., -2.])"),
    "remainder": (ops.remainder, _FLOATS + ".remainder_(2)", "Tensor([1., 1.])"),
    "fmod": (ops.fmod, _FLOATS + ".fmod_(2)", "Tensor([ 1., -1.])"),
    "atan2": (ops.arctan2, "ag.tensor([1.0, 0.0]).atan2_(ag.tensor([0.0, 1.0]))", "Tensor([1.57079633, 0.        ])"),
    "hypot": (ops.hypot, "ag.tensor([3.0, 5.0]).hypot_(4)", "Tensor([5.        , 6.40312424])"),
    "copysign": (ops.copysign, _FLOATS + ".copysign_(-1)", "Tensor([-5., -3.])"),
    "heaviside": (ops.heaviside, "ag.tensor([-1.0, 0.0, 2.0]).heaviside_(0.5)", "Tensor([0. , 0.5, 1. ])"),
    "logical_and": (ops.logical_and, "ag.tensor([2, 0, 3]).logical_and_(ag.tensor([1, 1, 0]))", "Tensor([1, 0, 0])"),
    "logical_or": (ops.logical_or, "ag.tensor([2, 0, 0]).logical_or_(ag.tensor([0, 0, 5]))", "Tensor([1, 0, 1])"),
    "logical_xor": (ops.logical_xor, "ag.tensor([2, 0, 3]).logical_xor_(ag.tensor([1, 1, 0]))", "Tensor([0, 1, 1])"),
    "nextafter": (ops.nextafter, "ag.tensor([1.0, 2.0]).nextafter_(ag.tensor([2.0, 0.0])) - ag.tensor([1.0, 2.0])",
                  "Tensor([ 2.22044605e-16, -2.22044605e-16])"),
    "gcd": (ops.gcd, "ag.tensor([12, 18]).gcd_(ag.tensor([8, -4]))", "Tensor([4, 2])"),
    "lcm": (ops.lcm, "ag.tensor([4, 6]).lcm_(6)", "Tensor([12,  6])"),
    "ldexp": (ops.ldexp, "ag.tensor([1.0, 3.0]).ldexp_(ag.tensor([2, -1]))", "Tensor([4. , 1.5])"),
    "xlogy": (ops.xlogy, "ag.tensor([0.0, 2.0]).xlogy_(ag.tensor([0.0, 1.0]))", "Tensor([0., 0.])"),
    "bitwise_and": (ops.bitwise_and, "ag.tensor([6, 5]).bitwise_and_(3)", "Tensor([2, 1])"),
    "bitwise_or": (ops.bitwise_or, "ag.tensor([6, 5]).bitwise_or_(3)", "Tensor([7, 7])"),
    "bitwise_xor": (ops.bitwise_xor, "ag.tensor([6, 5]).bitwise_xor_(3)", "Tensor([5, 6])"),
    "bitwise_left_shift": (ops.left_shift, "ag.tensor([1, 3]).bitwise_left_shift_(2)", "Tensor([ 4, 12])"),
    "bitwise_right_shift": (ops.right_shift, "ag.tensor([8, 12]).bitwise_right_shift_(2)", "Tensor([2, 3])"),
}
for _name, (_function, _example, _shown) in _IN_PLACE.items():
    setattr(Tensor, f"{_name}_", _in_place(_name, _function, _example, _shown))
del _name, _function, _example, _shown


def float_power_(self, exponent):
    """PyTorch's t.float_power_(exponent): t.float_power(exponent) written into t, a float64 Tensor (float_power's
    result is float64, which a Tensor of another dtype cannot hold: refused, as by PyTorch).

    >>> import autograd_core as ag
    >>> ag.tensor([2.0, 4.0]).float_power_(-1)
    Tensor([0.5 , 0.25])
    """
    if self.dtype != np.float64:
        raise OperandTypeError(f"float_power_: the result's dtype float64 cannot be written into a {self.dtype} Tensor "
                               f"in place (float64 can't be cast to {self.dtype}, as PyTorch refuses it too); use "
                               f"t.float_power(...) for a new Tensor, or t.double() first")
    return _written_in_place(self, "float_power", lambda: ops.float_power(self, exponent))


def logical_not_(self):
    """PyTorch's t.logical_not_(): t.logical_not() (1 where t is 0, else 0) written into t, in t's dtype; refused
    while recording on a Tensor that requires grad, as logical_and_ is (a logical result has no gradient).

    >>> import autograd_core as ag
    >>> ag.tensor([2.0, 0.0, -1.0]).logical_not_()
    Tensor([0., 1., 0.])
    """
    refuse_unrecorded(self, "logical_not_", "a logical result", "x = ag.logical_not(x).to(x.dtype)")
    return _written_in_place(self, "logical_not", lambda: ops.logical_not(self))


Tensor.float_power_, Tensor.logical_not_ = float_power_, logical_not_
float_power_.__qualname__, logical_not_.__qualname__ = "Tensor.float_power_", "Tensor.logical_not_"
del float_power_, logical_not_


def _equal(self, other):
    """PyTorch's t.equal(other): whether other has t's shape and the same values, as one Python bool (NaN equals
    nothing); ag.eq and np.equal compare elementwise, as ==.

    >>> import autograd_core as ag
    >>> ag.tensor([1.0, 2.0]).equal(ag.tensor([1.0, 2.0])), ag.tensor([1.0]).equal(ag.tensor([1.0, 1.0]))
    (True, False)
    """
    other = as_operand(other, "equal")
    return self.shape == other.shape and bool(np.array_equal(self.data, other.data))


_equal.__name__, _equal.__qualname__ = "equal", "Tensor.equal"
Tensor.equal = _equal


def rsub(input, other, *, alpha=1):  # noqa: A002
    """PyTorch's torch.rsub: other - alpha * input, sub with its operands swapped (a float alpha for integer inputs
    is refused, as by PyTorch).

    >>> import autograd_core as ag
    >>> ag.rsub(ag.tensor([1.0, 2.0]), 10.0, alpha=2)
    Tensor([8., 6.])
    """
    from .torch_names import _times_alpha  # (torch_names imports this module)
    if not isinstance(input, (Tensor, np.ndarray)):
        raise TypeError(f"rsub: input must be a Tensor (as PyTorch's), got {type(input).__name__} {input!r:.40}; for "
                        f"a number minus a Tensor write number - alpha * other")
    input = as_operand(input, "rsub")  # noqa: A001
    # (the float alpha's check on both operands' type, as t.sub's: an integer input beside a float other is float)
    return ops.subtract(other, _times_alpha(as_operand(other, "rsub"), input, alpha, "rsub"))

# PyTorch's bitwise names, functions and methods (NumPy 2 has bitwise_left_shift/right_shift too)
bitwise_and, bitwise_or, bitwise_xor = ops.bitwise_and, ops.bitwise_or, ops.bitwise_xor  # (bitwise_not: ops')
bitwise_left_shift, bitwise_right_shift = ops.left_shift, ops.right_shift
Tensor.bitwise_and, Tensor.bitwise_or, Tensor.bitwise_xor = bitwise_and, bitwise_or, bitwise_xor
Tensor.bitwise_left_shift, Tensor.bitwise_right_shift = bitwise_left_shift, bitwise_right_shift
Tensor.divide = Tensor.div  # (PyTorch's t.divide(other, rounding_mode=None))
