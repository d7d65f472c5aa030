"""Comparisons and logic: Tensors that are never recorded (they have no gradient).

Every function here gives a boolean Tensor, except the bitwise ones on integers (&, |, ^, ~, <<, >> follow NumPy:
integers in, integers out). eq ne lt le gt ge are PyTorch's names of equal ... greater_equal, bitwise_not invert's.
"""
import numpy as np

from ..primitive import OperandError, OperandTypeError, _dtype_name
from ..tensor import Tensor, as_value


def _constant(name, ufunc, arguments, shown, doc=None):
    """The function `name` applying ufunc to the inputs' values; its docstring's example is
    name(arguments), printing shown."""
    def compare(*args, out=None):
        if out is not None:  # (PyTorch's out=: torch.lt(x, y, out=mask), as ag.mul's; not recorded either way)
            from ..torch_functions import _written_into  # (imported after ops: it needs Tensor's methods)
            return _written_into(out, compare(*args), name)
        try:
            result = ufunc(*(as_value(a) for a in args))
            if result.dtype.kind == "O":  # (an object NumPy gave its own operator, as `t << obj` calls obj.__rlshift__)
                raise TypeError(f"unsupported operand type(s): {', '.join(type(a).__name__ for a in args)}")
            return Tensor._constant(result)
        except (ValueError, TypeError, OverflowError) as err:  # (NumPy's own subclasses need more arguments than a
            # message; an OverflowError is a Python int beyond an integer Tensor's dtype: i & 1000 of int8, i & 2**70)
            described = ", ".join(f"{np.shape(v)} {_dtype_name(v)}" for v in map(as_value, args))
            kind = OperandTypeError if isinstance(err, TypeError) else OverflowError if isinstance(
                err, OverflowError) else OperandError  # (also PyTorch's RuntimeError, as the primitives' errors)
            hint = ("; a Python int must fit the Tensor's integer dtype (cast the Tensor to a wider one, or use a "
                    "float)" if kind is OverflowError else "")
            raise kind(f"{name}: invalid input of shapes/dtypes [{described}]: {err}{hint}") from None
    compare.__name__ = name
    compare.__doc__ = f"""{doc or f"Elementwise np.{ufunc.__name__}, as a boolean Tensor"} (not differentiable;
    PyTorch's out= writes the result into a Tensor, as ag.mul's).

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.ops import {name}
    >>> {name}({arguments})
    {shown}
    """
    return compare


_PAIR = "ag.tensor([1.0, 2.0]), "
_SPECIAL = "ag.tensor([1.0, np.inf, np.nan])"
less = _constant("less", np.less, _PAIR + "1.5", "Tensor([ True, False])")
less_equal = _constant("less_equal", np.less_equal, _PAIR + "1.0", "Tensor([ True, False])")
greater = _constant("greater", np.greater, _PAIR + "1.5", "Tensor([False,  True])")
greater_equal = _constant("greater_equal", np.greater_equal, _PAIR + "2.0", "Tensor([False,  True])")
equal = _constant("equal", np.equal, _PAIR + "2.0", "Tensor([False,  True])")
not_equal = _constant("not_equal", np.not_equal, _PAIR + "2.0", "Tensor([ True, False])")
# PyTorch's names of the comparisons (torch.gt(lam, 0.51), torch.le, ...), the same functions; its long names
# (torch.greater, less_equal, not_equal, ...) are NumPy's. ag.equal is left out: torch.equal is one bool.
eq, ne, lt, le, gt, ge = equal, not_equal, less, less_equal, greater, greater_equal
logical_and = _constant("logical_and", np.logical_and, "ag.tensor([True, True]), [True, False]",
                        "Tensor([ True, False])")
logical_or = _constant("logical_or", np.logical_or, "ag.tensor([False, False]), [True, False]",
                       "Tensor([ True, False])")
logical_xor = _constant("logical_xor", np.logical_xor, "ag.tensor([True, True]), [True, False]",
                        "Tensor([False,  True])")
logical_not = _constant("logical_not", np.logical_not, "ag.tensor([True, False])", "Tensor([False,  True])")
# The operators & | ~, bitwise as in NumPy (logical for booleans, the usual case: masks).
bitwise_and = _constant("bitwise_and", np.bitwise_and, "ag.tensor([True, True]), [True, False]",
                        "Tensor([ True, False])", doc="Elementwise np.bitwise_and (the & operator)")
bitwise_or = _constant("bitwise_or", np.bitwise_or, "ag.tensor([False, False]), [True, False]",
                       "Tensor([ True, False])", doc="Elementwise np.bitwise_or (the | operator)")
bitwise_xor = _constant("bitwise_xor", np.bitwise_xor, "ag.tensor([True, True]), [True, False]",
                        "Tensor([False,  True])", doc="Elementwise np.bitwise_xor (the ^ operator)")
invert = _constant("invert", np.invert, "ag.tensor([True, False])", "Tensor([False,  True])",
                   doc="Elementwise np.invert (the ~ operator)")
# The operators << and >>, NumPy's (and PyTorch's bitwise_left_shift/bitwise_right_shift): a shift by the bit width
# or more gives 0, or -1 for a negative number shifted right, as in PyTorch.
left_shift = _constant("left_shift", np.left_shift, "ag.tensor([1, -2]), 2", "Tensor([ 4, -8])",
                       doc="Elementwise np.left_shift (the << operator)")
right_shift = _constant("right_shift", np.right_shift, "ag.tensor([8, -8]), 2", "Tensor([ 2, -2])",
                        doc="Elementwise np.right_shift (the >> operator)")
isfinite = _constant("isfinite", np.isfinite, _SPECIAL, "Tensor([ True, False, False])")
isnan = _constant("isnan", np.isnan, _SPECIAL, "Tensor([False, False,  True])")
isinf = _constant("isinf", np.isinf, _SPECIAL, "Tensor([False,  True, False])")
signbit = _constant("signbit", np.signbit, "ag.tensor([-1.0, 0.0, -0.0])", "Tensor([ True, False,  True])")
isposinf = _constant("isposinf", np.isposinf, _SPECIAL + ".neg()", "Tensor([False, False, False])",
                    doc="Elementwise np.isposinf (torch.isposinf): True at +inf")
isneginf = _constant("isneginf", np.isneginf, _SPECIAL + ".neg()", "Tensor([False,  True, False])",
                    doc="Elementwise np.isneginf (torch.isneginf): True at -inf")
isreal = _constant("isreal", np.isreal, _SPECIAL, "Tensor([ True,  True,  True])",
                   doc="Elementwise np.isreal (torch.isreal): True everywhere, as Tensors here are real")
bitwise_not = invert  # (PyTorch's name of ~: t.bitwise_not(), torch.bitwise_not)
