"""More binary elementwise functions of PyTorch and NumPy: xlogy, xlog1py, float_power and ldexp, composites of the
engine's operations (so differentiable to any order); nextafter, gradient 1 in x1 (a step of one ulp; 0 where x1 ==
x2), as PyTorch's; gcd and lcm, constants (NumPy's ufuncs: no gradient, as PyTorch's have none).
"""
import numpy as np

from ..primitive import OperandError, Primitive, as_operand
from .arithmetic import astype, multiply, power
from .comparison import _constant, isfinite, isnan
from .elementwise import log, log1p, where


def _x_times(name, logarithm, x, y, lowest):
    """x * logarithm(y), 0 where x is 0 and y is no NaN; where also y <= lowest (outside the logarithm's domain, or
    at its pole) the gradient in x is 0 too, elsewhere logarithm(y), as PyTorch's. A Python number stays one, so
    that it does not promote a float32 Tensor (torch.xlogy(t, 5) is float32)."""
    if _is_number(y):
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = float(logarithm.forward(float(y)))
        x = as_operand(x, name) if _is_number(x) else x
        return x * factor if y != y or np.isfinite(factor) else where(x == 0, 0.0, x * factor)
    y = as_operand(y, name)
    if _is_number(x):
        return x * logarithm(y) if x != 0 else where(isnan(y), y, 0.0)  # (0, or NaN for a NaN y)
    x = as_operand(x, name)
    zero = (x == 0) & ~isnan(y)
    product = x * logarithm(where(zero & ~(y > lowest), 1.0 + lowest, y))
    return where(zero & ~isfinite(product), 0.0, product)  # (0 * log(inf))


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def xlogy(x, y):
    """x * log(y), and 0 where x is 0 (unless y is NaN), as torch.xlogy and scipy.special.xlogy; the gradient in x
    is log(y), and 0 where x is 0 and y <= 0, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.xlogy(ag.tensor([0.0, 2.0]), ag.tensor([0.0, 0.5]))
    Tensor([ 0.        , -1.38629436])
    """
    return _x_times("xlogy", log, x, y, 0.0)


def xlog1py(x, y):
    """x * log1p(y), and 0 where x is 0 (unless y is NaN), as torch.special.xlog1py and scipy.special.xlog1py.

    >>> import autograd_core as ag
    >>> ag.xlog1py(ag.tensor([0.0, 2.0]), ag.tensor([-1.0, 1.0]))
    Tensor([0.        , 1.38629436])
    """
    return _x_times("xlog1py", log1p, x, y, -1.0)


def float_power(x, y):
    """x ** y computed in float64, as torch.float_power and np.float_power (float64 whatever the inputs' dtypes).

    >>> import autograd_core as ag
    >>> ag.float_power(ag.tensor([2, 4], dtype=ag.int32), -1)
    Tensor([0.5 , 0.25])
    """
    x, y = as_operand(x, "float_power"), as_operand(y, "float_power")
    return power(astype(x, np.float64), astype(y, np.float64))


def ldexp(x, exponent):
    """x * 2 ** exponent in x's float dtype (of an integer x, float64), as torch.ldexp and np.ldexp; differentiable
    in x. A float exponent, which np.ldexp refuses, gives torch.ldexp's x * 2 ** exponent in the promoted dtype,
    differentiable in both.

    >>> import autograd_core as ag
    >>> ag.ldexp(ag.tensor([1.0, 3.0], dtype=ag.float32), ag.tensor([3, -1]))
    Tensor([8. , 1.5], dtype=float32)
    """
    x = as_operand(x, "ldexp")
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    if isinstance(exponent, float):  # (a Python float keeps x's dtype, as a number does elsewhere; past the
        with np.errstate(over="ignore", invalid="ignore"):  # dtype's range inf (0 * inf NaN), as torch's)
            return multiply(astype(x, dtype), dtype.type(np.float64(2.0) ** exponent))
    exponent = as_operand(exponent, "ldexp")
    try:
        np.broadcast_shapes(x.shape, exponent.shape)
    except ValueError as err:
        reason = str(err).rstrip(".")
        raise OperandError(f"ldexp: invalid input of shapes/dtypes [{x.shape} {x.dtype}, {exponent.shape} "
                           f"{exponent.dtype}]: {reason}; operands must have broadcastable shapes") from None
    if exponent.dtype.kind == "f":  # (PyTorch's x * 2 ** exponent, differentiable in both)
        return multiply(astype(x, dtype), power(2.0, exponent))
    return multiply(astype(x, dtype), np.ldexp(np.ones((), dtype), exponent.data))


# nextafter moves x1 by one ulp: PyTorch's rule passes x1 the gradient unchanged (1), but none where x1 == x2 (the
# result is x2 there), and x2 none (0).
_nextafter = Primitive("nextafter", np.nextafter, (
    lambda g, ans, x1, x2: np.where(x1 == x2, 0, g),
    lambda g, ans, x1, x2: np.zeros_like(g),
), "operands must have broadcastable shapes", reads_values=((0, 1), ()))


def nextafter(x1, x2, *, out=None):
    """The next float after x1 towards x2, elementwise (np.nextafter, torch.nextafter); the gradient is 1 in x1 (0
    where x1 == x2) and 0 in x2, as PyTorch's. PyTorch's out= writes the result into a Tensor, as ag.mul's.

    >>> import autograd_core as ag
    >>> ag.nextafter(ag.tensor([1.0, 1.0]), ag.tensor([2.0, 0.0])) - 1
    Tensor([ 2.22044605e-16, -1.11022302e-16])
    """
    if out is not None:
        from ..torch_functions import _written_into  # (imported after ops: it needs Tensor's methods)
        return _written_into(out, nextafter(x1, x2), "nextafter")
    return _nextafter(x1, x2)


gcd = _constant("gcd", np.gcd, "ag.tensor([12, 0, -4]), ag.tensor([18, 5, 6])", "Tensor([6, 5, 2])",
                doc="The greatest common divisor of integers, elementwise (np.gcd, torch.gcd)")
lcm = _constant("lcm", np.lcm, "ag.tensor([4, 0, -4]), ag.tensor([6, 5, 6])", "Tensor([12,  0, 12])",
                doc="The least common multiple of integers, elementwise (np.lcm, torch.lcm)")
