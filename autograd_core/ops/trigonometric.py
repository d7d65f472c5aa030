"""Trigonometric and hyperbolic functions and their inverses: tan, arcsin, arccos, arctan, arctan2, hypot, sinh,
cosh, arcsinh, arccosh, arctanh (sin, cos and tanh are in elementwise.py, beside exp and log).

Each forward is NumPy's ufunc, so values, dtypes (an int or bool input gives the float type np.sin gives it) and
the warnings outside a domain (arcsin(2) is nan, "invalid value encountered") are NumPy's. The rules are
PyTorch's, so the gradients at a domain's edge are too: arcsin'(1) = 1 / sqrt(0) = inf, arccosh' nan for |x| < 1;
so are the second derivatives there, the one-sided limits (arcsin''(1) = inf: see _one_minus_square).
`1 - x*x` is taken as (1 - x)(1 + x), exact near |x| = 1 where 1 - x*x loses digits.
"""
import numpy as np

from ..primitive import Primitive
from .elementwise import _overflow_quiet

_BROADCAST_HINT = "operands must have broadcastable shapes"


# 1 - x**2 and x**2 - 1, in the inverse functions' derivatives, are primitives of their own: recorded as the product
# (1 - x)(1 + x), the second derivative at x = +-1 would be nan (the product rule sends the inf coming back to each
# factor times the other, and one of them is 0), where their rules -2x and 2x give the one-sided limits, as PyTorch's
# 1 - x*x does: arcsin''(1) = inf, arctanh''(-1) = -inf, arccosh''(1) = -inf.
def _one_minus_square_value(x):
    return (1 - x) * (1 + x)  # exact near |x| = 1, where 1 - x*x loses digits; +0 at x = +-1


def _square_minus_one_value(x):
    # exact near |x| = 1; + 0.0 turns the -0 of x = -1 (-2 times +0) into +0, so that arccosh'(-1) is +inf, as
    # PyTorch's rsqrt(x*x - 1), not -inf
    return (x - 1) * (x + 1) + 0.0


_one_minus_square = Primitive("one_minus_square", _one_minus_square_value, (lambda g, ans, x: g * (-2 * x),),
                              reads_values=((0,),))
_square_minus_one = Primitive("square_minus_one", _square_minus_one_value, (lambda g, ans, x: g * (2 * x),),
                              reads_values=((0,),))


def _inverse_sqrt_of_one_minus_square(g, x):
    """g / sqrt(1 - x**2): arcsin's and arccos's derivative; inf at |x| = 1, nan beyond, as PyTorch's rsqrt."""
    return g / np.sqrt(_one_minus_square.traced(x))


# ---- tan and the inverse functions ---------------------------------------------------------------------------------
tan = Primitive("tan", np.tan, (lambda g, ans, x: g * (1 + ans * ans),), reads_values=(("ans",),),
                doc="""Tangent, elementwise (np.tan); its derivative 1 + tan(x)**2 is read from the result.

    >>> import autograd_core as ag
    >>> ag.tan(ag.tensor(0.0))
    Tensor(0.)
    """)

arcsin = Primitive("arcsin", np.arcsin, (lambda g, ans, x: _inverse_sqrt_of_one_minus_square(g, x),),
                   "arcsin is real for -1 <= x <= 1", reads_values=((0,),),
                   doc="""Inverse sine, elementwise, in [-pi/2, pi/2] (np.arcsin; PyTorch's asin): nan outside
    [-1, 1] with NumPy's warning. Its gradient is inf at x = +-1, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.arcsin(ag.tensor(1.0))  # pi / 2
    Tensor(1.57079633)
    """)

arccos = Primitive("arccos", np.arccos, (lambda g, ans, x: -_inverse_sqrt_of_one_minus_square(g, x),),
                   "arccos is real for -1 <= x <= 1", reads_values=((0,),),
                   doc="""Inverse cosine, elementwise, in [0, pi] (np.arccos; PyTorch's acos): nan outside [-1, 1]
    with NumPy's warning. Its gradient is -inf at x = +-1, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.arccos(ag.tensor(1.0))
    Tensor(0.)
    """)

arctan = Primitive("arctan", np.arctan, (_overflow_quiet(lambda g, ans, x: g / (1 + x * x)),), reads_values=((0,),),
                   doc="""Inverse tangent, elementwise, in (-pi/2, pi/2) (np.arctan; PyTorch's atan).

    >>> import autograd_core as ag
    >>> ag.arctan(ag.tensor(1.0))  # pi / 4
    Tensor(0.78539816)
    """)


# atan2(y, x) = the angle of the point (x, y): d = (x dy - y dx) / (x**2 + y**2). At the origin, where it has no
# derivative, both gradients are 0, as PyTorch's: x**2 + y**2 is taken as inf there (a finite g gives 0).
@_overflow_quiet
def _over_squared_radius(g, y, x):
    squared = y * y + x * x
    return g / np.where(squared == 0, np.inf, squared)


arctan2 = Primitive("arctan2", np.arctan2, (
    lambda g, ans, y, x: _over_squared_radius(g, y, x) * x,
    lambda g, ans, y, x: -_over_squared_radius(g, y, x) * y,
), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)),
    doc="""The angle of the point (x, y), in [-pi, pi], elementwise, with NumPy broadcasting (np.arctan2; PyTorch's
    atan2): the quadrant follows the signs of y and x. Differentiable in both; at the origin both gradients are 0,
    as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.arctan2(ag.tensor([1.0, 1.0]), ag.tensor([1.0, -1.0]))  # pi / 4, 3 pi / 4
    Tensor([0.78539816, 2.35619449])
    """)

# hypot(a, b) = sqrt(a**2 + b**2), without overflow for large a, b: d = (a da + b db) / hypot. At the origin 0 / 0
# gives nan, as PyTorch's.
hypot = Primitive("hypot", np.hypot, (
    lambda g, ans, a, b: g * a / ans,
    lambda g, ans, a, b: g * b / ans,
), _BROADCAST_HINT, reads_values=(("ans", 0), ("ans", 1)),
    doc="""sqrt(a**2 + b**2), elementwise, with NumPy broadcasting, without overflow for large a, b (np.hypot).
    Differentiable in both; at a = b = 0 the gradients are nan, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.hypot(ag.tensor(3.0), 4.0)
    Tensor(5.)
    """)


# ---- hyperbolic functions and their inverses ------------------------------------------------------------------------
sinh = Primitive("sinh", np.sinh, (lambda g, ans, x: g * np.cosh(x),), reads_values=((0,),),
                 doc="""Hyperbolic sine, elementwise (np.sinh).

    >>> import autograd_core as ag
    >>> ag.sinh(ag.tensor(0.0))
    Tensor(0.)
    """)

cosh = Primitive("cosh", np.cosh, (lambda g, ans, x: g * np.sinh(x),), reads_values=((0,),),
                 doc="""Hyperbolic cosine, elementwise (np.cosh).

    >>> import autograd_core as ag
    >>> ag.cosh(ag.tensor(0.0))
    Tensor(1.)
    """)

arcsinh = Primitive("arcsinh", np.arcsinh, (_overflow_quiet(lambda g, ans, x: g / np.sqrt(x * x + 1)),),
                    reads_values=((0,),),
                    doc="""Inverse hyperbolic sine, elementwise (np.arcsinh; PyTorch's asinh).

    >>> import autograd_core as ag
    >>> ag.arcsinh(ag.tensor(0.0))
    Tensor(0.)
    """)

arccosh = Primitive("arccosh", np.arccosh,
                    (_overflow_quiet(lambda g, ans, x: g / np.sqrt(_square_minus_one.traced(x))),),
                    "arccosh is real for x >= 1", reads_values=((0,),),
                    doc="""Inverse hyperbolic cosine, elementwise (np.arccosh; PyTorch's acosh): nan below 1 with
    NumPy's warning. Its gradient is inf at x = 1 (and -1) and nan between, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.arccosh(ag.tensor(1.0))
    Tensor(0.)
    """)

arctanh = Primitive("arctanh", np.arctanh, (lambda g, ans, x: g / _one_minus_square.traced(x),),
                    "arctanh is real for -1 <= x <= 1", reads_values=((0,),),
                    doc="""Inverse hyperbolic tangent, elementwise (np.arctanh; PyTorch's atanh): +-inf at x = +-1
    and nan beyond, with NumPy's warnings. Its gradient is inf at x = +-1, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.arctanh(ag.tensor(0.0))
    Tensor(0.)
    """)
