"""The modified Bessel functions of the first kind of orders 0 and 1, I0 (torch.i0, np.i0) and I1, their
exponentially scaled forms i0e(x) = e^-|x| I0(x) and i1e(x) = e^-|x| I1(x) (torch.special's), and the spherical
Bessel function j0(x) = sin(x) / x (torch.special.spherical_bessel_j0).

Computed in float64 (float32 and float16 rounded once; ints and bools give float64, as the engine's other special
functions): up to |x| = 40 by the power series I_n(x) = sum_k (x/2)^(2k+n) / (k! (k+n)!), whose terms are all
positive, and beyond by the asymptotic series I_n(x) e^-x = (2 pi x)^(-1/2) sum_k (-1)^k a_k(n) / x^k, a_k(n) =
prod_{j<=k} (4n^2 - (2j-1)^2) / (k! 8^k), summed to its 60th term (below 1e-25 of the sum past 40). Within a few
units in the last place of torch's (tests/autograd_core/test_special_bessel.py).

Gradients: I0' = I1, I1'(x) = I0(x) - I1(x) / x (1/2 at 0), i0e' = i1e - sign(x) i0e, i1e' = i0e - i1e (sign(x) +
1 / x) (1/2 at 0), j0'(x) = (cos x - j0(x)) / x (0 at 0): each rule calls the functions, recorded under
create_graph, so every order is differentiable.
"""
import math

import numpy as np

from ..primitive import Primitive
from .special import _in_float64_of

_SERIES_UP_TO = 40.0
_SERIES_TERMS = 100  # (x/2)^(2k) / (k!)^2 at |x| = 40, k = 100 is below 1e-40 of I0(40) = 1.5e16
_ASYMPTOTIC_TERMS = 60


def _in_float64(compute):
    """compute(|x| as float64, x) rounded once to x's float type (float64 for ints and bools), by special's
    _in_float64_of: I0 overflows past |x| = 713, and float32's past 88.7, to inf without a warning, as torch's."""
    return lambda x: _in_float64_of(lambda wide: compute(np.abs(wide), wide), x)


def _power_series(y, order):
    """I_order(y) for 0 <= y <= 40 (outside, any finite value: the caller discards it)."""
    y = np.minimum(y, _SERIES_UP_TO)
    quarter = y * y / 4
    term = np.ones_like(y) if order == 0 else y / 2
    total = term.copy()
    for k in range(1, _SERIES_TERMS):
        term = term * quarter / (k * (k + order))
        total = total + term
    return total


def _scaled_asymptotic(y, order):
    """I_order(y) e^-y for y >= 40 (elsewhere, any value: the caller discards it)."""
    y = np.maximum(y, _SERIES_UP_TO)
    mu = 4 * order * order
    term = np.ones_like(y)
    total = term.copy()
    for k in range(1, _ASYMPTOTIC_TERMS):
        term = term * -(mu - (2 * k - 1) ** 2) / (k * 8 * y)
        total = total + term
    return np.where(np.isinf(y), 0.0, total / np.sqrt(2 * math.pi * y))


def _bessel(order, scaled):
    def compute(y, x):
        small = y <= _SERIES_UP_TO
        series = _power_series(y, order)
        tail = _scaled_asymptotic(y, order)
        if scaled:
            out = np.where(small, series * np.exp(-y), tail)
        else:
            # e^y split in two halves, so that tail e^(y/2) e^(y/2) stays finite up to where I_n itself overflows
            half = np.exp(y / 2)
            out = np.where(small, series, np.where(np.isinf(y), np.inf, tail * half * half))
        out = np.where(np.isnan(x), x, out)
        return np.copysign(out, x) if order == 1 else out
    return _in_float64(compute)


_i0, _i0e, _i1, _i1e = _bessel(0, False), _bessel(0, True), _bessel(1, False), _bessel(1, True)


_I1_OVER_X_NEAR = 0.25  # (below, the series to x^10: its next term is under 1e-18 of the sum)


def _i1_over_x(x, i1_of_x, scale=None):
    """i1(x) / x (scale times it: e^-|x| for i1e), 1/2 at 0: near 0 by its series sum_k (x/2)^(2k) / (2 k! (k+1)!),
    whose derivatives (the rules' under create_graph) keep their accuracy where those of i1(x) / x cancel (i1's
    second derivative at x = 1e-8 came out 7.45e-9 for 3.75e-9)."""
    near = np.abs(x) < _I1_OVER_X_NEAR
    square = x * x
    series = 0.5 + square * (1 / 16 + square * (1 / 384 + square * (1 / 18432 + square * (
        1 / 1474560 + square / 176947200))))
    if scale is not None:
        series = series * scale
    return np.where(near, series, i1_of_x / np.where(near, 1.0, x))


i0 = Primitive("i0", _i0, (lambda g, ans, x: g * i1.traced(x),), reads_values=((0,),),
               doc="""The modified Bessel function of the first kind of order 0, elementwise (torch.i0, np.i0,
    torch.special.i0); its gradient is i1.

    >>> import autograd_core as ag
    >>> ag.i0(ag.tensor([0.0, 1.0, -2.0]))
    Tensor([1.        , 1.26606588, 2.2795853 ])
    """)
i1 = Primitive("i1", _i1, (lambda g, ans, x: g * (i0.traced(x) - _i1_over_x(x, ans)),),
               reads_values=((0, "ans"),),
               doc="""The modified Bessel function of the first kind of order 1, elementwise (torch.special.i1);
    odd, and its gradient i0(x) - i1(x) / x (1/2 at 0).

    >>> import autograd_core as ag
    >>> ag.special.i1(ag.tensor([0.0, 1.0, -2.0]))
    Tensor([ 0.        ,  0.5651591 , -1.59063685])
    """)
i0e = Primitive("i0e", _i0e, (lambda g, ans, x: g * (i1e.traced(x) - np.sign(x) * ans),), reads_values=((0, "ans"),),
                doc="""e^-|x| i0(x), elementwise (torch.special.i0e, scipy's): i0 without its overflow (past |x| =
    713); gradient i1e(x) - sign(x) i0e(x).

    >>> import autograd_core as ag
    >>> ag.special.i0e(ag.tensor([0.0, 1.0, 1000.0]))
    Tensor([1.        , 0.46575961, 0.01261724])
    """)
i1e = Primitive("i1e", _i1e,
                (lambda g, ans, x: g * (i0e.traced(x) - np.sign(x) * ans - _i1_over_x(x, ans, np.exp(-np.abs(x)))),),
                reads_values=((0, "ans"),),
                doc="""e^-|x| i1(x), elementwise (torch.special.i1e, scipy's); gradient i0e(x) - i1e(x) (sign(x) +
    1 / x) (1/2 at 0).

    >>> import autograd_core as ag
    >>> ag.special.i1e(ag.tensor([0.0, 1.0, -1000.0]))
    Tensor([ 0.        ,  0.20791042, -0.01261093])
    """)


def _j0_compute(y, x):
    near = y < 0.5  # (the Taylor series 1 - x^2/6 + x^4/120 - ..., to x^16: sin(x) / x loses nothing there either,
    # but this keeps j0 and its slope smooth at 0)
    square = np.where(near, x * x, 0.0)
    series = np.zeros_like(square)
    for k in range(8, 0, -1):
        series = (series + (-1) ** k / math.factorial(2 * k + 1)) * square
    with np.errstate(all="ignore"):
        far = np.sin(x) / np.where(near, 1.0, x)
    return np.where(near, series + 1.0, np.where(np.isinf(x), 0.0, far))


def _j0_vjp(g, ans, x):
    # (cos x - j0(x)) / x = -x/3 + x^3/30 - ... near 0, where the difference cancels: its series there
    square = x * x
    series = -1 / 3 + square * (1 / 30 - square * (1 / 840 - square * (1 / 45360 - square / 3991680)))
    near = np.abs(x) < 0.25
    return g * np.where(near, series * x, (np.cos(x) - ans) / np.where(near, 1.0, x))


spherical_bessel_j0 = Primitive(
    "spherical_bessel_j0", _in_float64(_j0_compute), (_j0_vjp,), reads_values=((0, "ans"),),
    doc="""The spherical Bessel function of the first kind of order 0, sin(x) / x (1 at 0), elementwise
    (torch.special.spherical_bessel_j0); gradient (cos x - sin(x) / x) / x.

    >>> import autograd_core as ag
    >>> ag.special.spherical_bessel_j0(ag.tensor([0.0, 1.0, 3.0]))
    Tensor([1.        , 0.84147098, 0.04704   ])
    """)
