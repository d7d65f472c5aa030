"""More elementwise ufuncs of NumPy on Tensors: logaddexp, logaddexp2, cbrt, sinc, fmax and fmin.

Each forward is NumPy's own ufunc (its values, dtypes and NaN handling; a float16 sinc is float32's rounded once, as
PyTorch's); each rule is PyTorch's where PyTorch has the function: logaddexp's 1 / (1 + exp(other - self)), which is
1/2 at a tie and 0 beside an infinitely larger other; fmax and fmin give the whole gradient to x1 at a tie and to the
number beside a NaN (torch.fmax's); sinc's derivative is 0 at 0, and near 0 its Taylor series (more accurate than
PyTorch's there). The rules are NumPy calls the engine records under create_graph.
"""

import numpy as np

from ..primitive import Primitive
from ..tensor import as_value
from .elementwise import _FLOAT16, _in_float32, select

_BROADCAST_HINT = "operands must have broadcastable shapes"


def _quiet(rule):
    """rule without NumPy's overflow and division warnings: exp(large) = inf and 1 / 0 = inf give the right
    limits (a gradient 0, or cbrt's inf at 0, as PyTorch's pow)."""
    def quiet(*args, **params):
        with np.errstate(over="ignore", divide="ignore"):
            return rule(*args, **params)
    return quiet


logaddexp = Primitive("logaddexp", np.logaddexp, (
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp(x2 - x1))),
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp(x1 - x2))),
), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)), doc="""log(exp(x1) + exp(x2)), elementwise, without overflow
    (np.logaddexp). Each input's gradient is its softmax weight, 1 / (1 + exp(other - self)), as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.logaddexp(ag.tensor(1000.0), 1000.0)
    Tensor(1000.69314718)
    """)

logaddexp2 = Primitive("logaddexp2", np.logaddexp2, (
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp2(x2 - x1))),
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp2(x1 - x2))),
), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)), doc="""log2(2**x1 + 2**x2), elementwise, without overflow
    (np.logaddexp2); gradients 1 / (1 + 2**(other - self)), as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.logaddexp2(ag.tensor(3.0), 3.0)
    Tensor(4.)
    """)

# cbrt'(x) = 1 / (3 cbrt(x)**2), written as (1 / cbrt(x))**2 / 3 so that its own derivative has the limits: from
# g / (3 ans * ans) the chain rule meets 0 * inf (nan) at +-inf and at 0, where this gives cbrt''(x) =
# -2 / (9 x**(5/3)): -0 at inf, +0 at -inf, -inf at +0 and +inf at -0 (the one-sided limits).
cbrt = Primitive("cbrt", np.cbrt, (_quiet(lambda g, ans, x: np.square(np.reciprocal(ans)) * (g / 3)),),
                 reads_values=(("ans",),),
                 doc="""The real cube root, elementwise, negative for x < 0 (np.cbrt). Its gradient
    1 / (3 cbrt(x)**2) is inf at 0.

    >>> import autograd_core as ag
    >>> ag.cbrt(ag.tensor([-8.0, 27.0]))
    Tensor([-2.,  3.])
    """)


# sinc'(x) = (cos(pi x) - sinc(x)) / x loses digits near 0 to cancellation (1% at x = 1e-3 in float32, also in
# PyTorch's form), so below |x| = 0.05 it is its Taylor series, x (c1 + c3 x**2 + c5 x**4 + c7 x**6), good to 1e-15
# there; the series is 0 at 0 with the right second derivative -pi**2 / 3. Both branches are recorded NumPy calls.
_SINC_SERIES = (-np.pi ** 2 / 3, np.pi ** 4 / 30, -np.pi ** 6 / 840, np.pi ** 8 / 45360)


def _sinc(x):
    # np.sinc rounds pi x to x's type before its sine: in float16 that is off by up to half a unit in 2048 past
    # x = 650 (sinc(366.5) came out 8% low, sinc of a whole number up to 7e-4 instead of 0). So float16 is computed
    # in float32 and rounded once, as PyTorch's.
    if getattr(x, "dtype", None) is _FLOAT16:
        return _in_float32(np.sinc, x)
    return np.sinc(x)


def _sinc_vjp(g, ans, x):
    if x.dtype is _FLOAT16:  # (in float32, rounded once, as the forward and PyTorch's)
        return _in_float32(_sinc_vjp, g, None, x)
    at_zero = np.asarray(x) == 0
    if at_zero.any():  # sinc'(0) = 0 takes even an inf or NaN g to 0, as PyTorch's (which selects, 0 * inf is NaN);
        # g itself is masked, so the series' derivative in x (the second derivative) still counts there
        g = np.where(at_zero & ~np.isfinite(as_value(g)), 0, g)
    small = np.abs(np.asarray(x)) < 0.05
    away = np.where(small, 0.5, x)  # (the exact form only where it is used: no division by 0)
    exact = (np.cos(np.pi * away) - np.sinc(away)) / away
    near = select(small, x)  # (the series only where it is used: x * x overflows past 1e154, and the unused
    c1, c3, c5, c7 = _SINC_SERIES  # branch's derivative, 0 * inf, made the second derivative nan there)
    squared = near * near
    series = near * (c1 + squared * (c3 + squared * (c5 + squared * c7)))
    return g * np.where(small, series, exact)


sinc = Primitive("sinc", _sinc, (_sinc_vjp,), reads_values=((0,),),
                 doc="""The normalized sinc, sin(pi x) / (pi x), 1 at 0, elementwise (np.sinc, torch.sinc).

    >>> import autograd_core as ag
    >>> ag.sinc(ag.tensor([0.0, 0.5]))
    Tensor([1.        , 0.63661977])
    """)


def _x1_chosen(x1, x2, prefers):
    """Where fmax/fmin picked x1: where it wins, and beside a NaN x2 (np.fmax gives x1 then: a number, or NaN if
    both are)."""
    x1, x2 = np.asarray(x1), np.asarray(x2)
    return prefers(x1, x2) | (x2 != x2)


def _extremum_rules(prefers):
    """The gradient goes to the operand picked, a tie's in halves (the subgradient of least norm, as maximum's and
    PyTorch 2.14's fmax's); beside a NaN, to the number alone (the NaN does not change the result)."""
    def share(chosen):
        return lambda g, ans, x1, x2: np.where(np.asarray(x1) == np.asarray(x2), g / 2,
                                               np.where(_x1_chosen(x1, x2, prefers) == chosen, g, 0))
    return share(True), share(False)


fmax = Primitive("fmax", np.fmax, _extremum_rules(np.greater_equal), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)),
                 doc="""The larger of x1 and x2, elementwise, a NaN ignored beside a number (np.fmax; np.maximum
    propagates NaN). The gradient goes to the value picked, a tie's in halves, as torch.fmax's.

    >>> import autograd_core as ag
    >>> ag.fmax(ag.tensor([1.0, float("nan")]), ag.tensor([2.0, 3.0]))
    Tensor([2., 3.])
    """)
fmin = Primitive("fmin", np.fmin, _extremum_rules(np.less_equal), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)),
                 doc="""The smaller of x1 and x2, elementwise, a NaN ignored beside a number (np.fmin; np.minimum
    propagates NaN). The gradient goes to the value picked, a tie's in halves, as torch.fmin's.

    >>> import autograd_core as ag
    >>> ag.fmin(ag.tensor([1.0, float("nan")]), ag.tensor([2.0, 3.0]))
    Tensor([1., 3.])
    """)
