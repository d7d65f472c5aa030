"""Rounding and sign-like ufuncs of NumPy on Tensors: floor, ceil, trunc, rint, round (around), heaviside, copysign,
fabs; and the angle conversions deg2rad (radians), rad2deg (degrees).

Each forward is NumPy's own ufunc, so values and dtypes are NumPy's (an int input keeps its dtype where NumPy keeps
it; round of float16 with decimals is float32's rounded once, as PyTorch's). The rounding functions are steps: their
gradient is 0 everywhere, as PyTorch's (round, floor, ceil, trunc; at the jumps too), and so is heaviside's, in both
inputs, and floor_quotient's (torch.div's rounding_mode="floor" of floats). copysign's gradient is PyTorch's: the
sign it applies to x1 (0 at x1 = 0), and nothing to x2. fabs's is sign(x), 0 at 0 and at NaN, as abs's.
"""
import math

import numpy as np

from .._arguments import RuntimeTypeError
from ..primitive import Primitive, as_operand
from ..tensor import Tensor, as_value
from .arithmetic import _abs_vjp


def _zero(g, ans, *inputs, **params):
    # a step function: no gradient, also at its jumps (PyTorch's zeros_like(grad)); a constant, so none beyond
    return np.zeros_like(g)


def _step(name, ufunc, doc):
    return Primitive(name, ufunc, (_zero,), reads_values=False, doc=doc)


floor = _step("floor", np.floor, """The largest integer <= x, elementwise (np.floor); gradient 0.

    >>> import autograd_core as ag
    >>> ag.floor(ag.tensor([-1.5, 1.5]))
    Tensor([-2.,  1.])
    """)
ceil = _step("ceil", np.ceil, """The smallest integer >= x, elementwise (np.ceil); gradient 0.

    >>> import autograd_core as ag
    >>> ag.ceil(ag.tensor([-1.5, 1.5]))
    Tensor([-1.,  2.])
    """)
trunc = _step("trunc", np.trunc, """x rounded towards 0, elementwise (np.trunc); gradient 0.

    >>> import autograd_core as ag
    >>> ag.trunc(ag.tensor([-1.5, 1.5]))
    Tensor([-1.,  1.])
    """)
rint = _step("rint", np.rint, """x rounded to the nearest integer, halves to even, elementwise (np.rint); gradient 0.

    >>> import autograd_core as ag
    >>> ag.rint(ag.tensor([0.5, 1.5, 2.7]))
    Tensor([0., 2., 3.])
    """)


def _round_forward(x, decimals=0):
    if decimals and getattr(x, "dtype", None) == np.float16:
        # np.round scales by 10**decimals in float16 itself: 62.66 to 1 decimal gave 62.6 (626.6 is 626.5 in float16),
        # and -91.8 to 3 gave -inf (91800 overflows). So float32's, rounded once, as PyTorch's.
        with np.errstate(over="ignore"):  # (a result past float16's range is inf, as PyTorch's, without a warning)
            return np.round(x.astype(np.float32), decimals).astype(np.float16)
    return np.round(x, decimals)


_round = Primitive("round", _round_forward,
                   (lambda g, ans, x, decimals=0: np.zeros_like(g),), "decimals must be an int", reads_values=False)


def round(x, decimals=0):
    """x rounded to the given number of decimals (halves to even; decimals < 0 rounds to tens, hundreds...), as
    np.round; gradient 0, as torch.round's.

    >>> import autograd_core as ag
    >>> ag.round(ag.tensor([1.25, 2.5, 123.0]), 1)
    Tensor([  1.2,   2.5, 123. ])
    """
    if isinstance(decimals, (bool, np.bool_)) or not isinstance(decimals, (int, np.integer)):
        raise TypeError(f"round: decimals must be an int, got {decimals!r}")
    return _round(x, decimals=int(decimals))


around = round  # NumPy's other name

# torch.div(x, y, rounding_mode="floor") of floats: NumPy's floor_divide (Python's //, from the remainder, so 1 // 0.1
# is 9.0 where floor(1 / 0.1) is 10.0), a step in both operands, so gradient 0, as PyTorch's (the // operator and
# floor_divide give a constant, PyTorch's backward refusing them).
floor_quotient = Primitive("div", np.floor_divide, (_zero, _zero), "operands must have broadcastable shapes",
                           reads_values=False, doc="""x // y, elementwise, with gradient 0 in both inputs: torch.div
    with rounding_mode="floor" (ag.floor_divide and // give a constant).

    >>> import autograd_core as ag
    >>> from autograd_core.ops.rounding import floor_quotient
    >>> floor_quotient(ag.tensor([1.0, -7.0]), ag.tensor([0.1, 2.0]))
    Tensor([ 9., -4.])
    """)

heaviside = Primitive("heaviside", np.heaviside, (_zero, _zero), "operands must have broadcastable shapes",
                      reads_values=False, doc="""The step function, elementwise: 0 for x1 < 0, x2 at x1 = 0, 1 for
    x1 > 0 (np.heaviside); gradient 0 in both inputs.

    >>> import autograd_core as ag
    >>> ag.heaviside(ag.tensor([-1.0, 0.0, 2.0]), 0.5)
    Tensor([0. , 0.5, 1. ])
    """)


def _copysign_vjp(g, ans, x1, x2):
    # PyTorch's: g times the sign copysign gave x1, 0 where x1 is 0 and NaN where it is NaN; at x1 = +-inf it is
    # +-1 here (PyTorch's result / x1 gives NaN there). The factor is a constant: no second derivative.
    x1, ans = np.asarray(x1), np.asarray(ans)
    factor = np.where(np.signbit(x1) != np.signbit(ans), -1.0, 1.0)
    factor = np.where(x1 == 0, 0.0, np.where(x1 != x1, np.nan, factor)).astype(ans.dtype)
    return g * factor


copysign = Primitive("copysign", np.copysign, (_copysign_vjp, _zero), "operands must have broadcastable shapes",
                     reads_values=((0, "ans"), ()), doc="""|x1| with the sign of x2, elementwise (np.copysign; -0.0
    counts as negative). Differentiable in x1 (the sign applied; 0 at x1 = 0, as PyTorch's); x2 gets gradient 0.

    >>> import autograd_core as ag
    >>> ag.copysign(ag.tensor([1.0, -2.0]), -1.0)
    Tensor([-1., -2.])
    """)

fabs = Primitive("fabs", np.fabs, (_abs_vjp,), reads_values=((0,),),  # (abs's rule: 0 at 0 and at NaN)
                 doc="""|x|, elementwise, as a float (np.fabs; an int input gives NumPy's float). The gradient is
    sign(x), 0 at 0 and at NaN, as abs's (and PyTorch's).

    >>> import autograd_core as ag
    >>> ag.fabs(ag.tensor([-1.5, 2.0]))
    Tensor([1.5, 2. ])
    """)

_DEGREE = math.pi / 180

deg2rad = Primitive("deg2rad", np.deg2rad, (lambda g, ans, x: g * _DEGREE,), reads_values=False,
                    doc="""Degrees to radians, elementwise (np.deg2rad, np.radians).

    >>> import autograd_core as ag
    >>> ag.deg2rad(ag.tensor(180.0))
    Tensor(3.14159265)
    """)
rad2deg = Primitive("rad2deg", np.rad2deg, (lambda g, ans, x: g * (1 / _DEGREE),), reads_values=False,
                    doc="""Radians to degrees, elementwise (np.rad2deg, np.degrees).

    >>> import autograd_core as ag
    >>> ag.rad2deg(ag.tensor(3.141592653589793))
    Tensor(180.)
    """)
radians, degrees = deg2rad, rad2deg  # NumPy's other names
fix = trunc  # (NumPy's np.fix and PyTorch's torch.fix: rounding toward 0)


# ---- PyTorch's frac and NumPy's frexp: a float taken apart ----------------------------------------------------------
def _frac(x):
    with np.errstate(invalid="ignore"):  # (inf - inf: NaN at +-inf, as torch.frac, quietly)
        return x - np.trunc(x)


frac = Primitive("frac", _frac, (lambda g, ans, x: g,), reads_values=False,
                 doc="""The fractional part x - trunc(x), elementwise, with x's sign (torch.frac); NaN at +-inf;
    gradient 1.

    >>> import autograd_core as ag
    >>> ag.frac(ag.tensor([-1.5, 2.25]))
    Tensor([-0.5 ,  0.25])
    """)


class FrexpTypeError(RuntimeTypeError):
    """frexp of a Tensor that is not of a float dtype: a TypeError, and PyTorch's RuntimeError."""


def _mantissa_vjp(g, ans, x):
    # d mantissa / dx = 2**-exponent in x's dtype, the exponent a constant (torch's grad / exponent.exp2(); inf
    # where that passes the dtype's range, a subnormal x's)
    x = as_value(x)
    with np.errstate(over="ignore"):
        return g * np.ldexp(np.ones((), x.dtype), -np.frexp(x)[1])


_mantissa = Primitive("frexp", lambda x: np.frexp(x)[0], (_mantissa_vjp,), reads_values=((0,),))


def frexp(x):
    """x taken apart as mantissa * 2**exponent, mantissa in [0.5, 1) in magnitude (np.frexp, torch.frexp): the pair
    (mantissa, exponent), the exponent int32 and not differentiable, the mantissa differentiable (2**-exponent).

    >>> import autograd_core as ag
    >>> ag.frexp(ag.tensor([8.0, -0.75]))
    (Tensor([ 0.5 , -0.75]), Tensor([4, 0], dtype=int32))
    """
    x = as_operand(x, "frexp")
    if x.dtype.kind != "f":
        raise FrexpTypeError(f"frexp: only floating-point dtypes are taken apart (as torch.frexp), got a Tensor of "
                             f"dtype {x.dtype}; cast it with .double() first")
    return _mantissa(x), Tensor._constant(np.frexp(x.data)[1].astype(np.int32, copy=False))
