"""The modified Bessel functions of the first kind of orders 0 and 1, I0 (torch.i0, np.i0) and I1, their
exponentially scaled forms i0e(x) = e^-|x| I0(x) and i1e(x) = e^-|x| I1(x) (torch.special's), and the spherical
Bessel function j0(x) = sin(x) / x (torch.special.spherical_bessel_j0).

Computed in float64 (float32 and float16 rounded once; ints and bools give float64, as the engine's other special
functions) as Cephes' i0.c and i1.c (NumPy's np.i0, torch's) do, with Chebyshev fits of our own: e^-x I0(x) and
e^(-x/2) I1(x) / x on [0, 8], e^-x I_n(x) sqrt(x) in 16 / x beyond, times e^x (in two halves past 709, so that I_n is
finite up to where it overflows, |x| = 713); I0 below 1/32 by its power series (I0(0) = 1 exactly). Within 3 units
in the last place of mpmath's over linspace(0, 700) (torch's: up to 9 for i1), measured; 3-4x faster than the
power series they replace (tests/autograd_core/test_special_bessel.py).

Gradients: I0' = I1, I1'(x) = I0(x) - I1(x) / x (1/2 at 0), i0e' = i1e - sign(x) i0e, i1e' = i0e - i1e (sign(x) +
1 / x) (1/2 at 0), j0'(x) = (cos x - j0(x)) / x (0 at 0): each rule calls the functions, recorded under
create_graph, so every order is differentiable. i0e' is a primitive of its own, fitted as the functions are
(i1e - i0e cancels at large |x|), and i1e' takes i0e - sign(x) i1e from it.
"""
import math

import numpy as np

from ..primitive import Primitive
from .special import _in_float64_of

# Chebyshev expansions f(t) = c[0] + sum_k c[k] T_k(t) of the scaled functions on two intervals (as Cephes' i0.c
# and i1.c, with fits of their own): the coefficients of f's interpolant at the 72 Chebyshev nodes, f from mpmath's
# besseli at 40 digits, kept while above 1e-19 of the largest (the next below 3.1e-20). Where they apply:
_NEAR_UP_TO = 8.0
_I0_SERIES_BELOW = 1 / 32
_I0_NEAR = (  # e^-x I0(x) on [0, 8], in t = x / 4 - 1
    0.33839763720473803, -0.3046826723431984, 0.17162090152220877, -0.09490109704804764, 0.04930528423967071,
    -0.02373741480589947, 0.010546460394594998, -0.004324309995050576, 0.0016394756169413357,
    -0.0005763755745385824, 0.00018850288509584165, -5.754195010082104e-05, 1.6448448070728896e-05,
    -4.4167383584587505e-06, 1.1173875391201037e-06, -2.670793853940612e-07, 6.046995022541919e-08,
    -1.300025009986248e-08, 2.6598237246823866e-09, -5.189795601635263e-10, 9.675809035373237e-11,
    -1.726826291441556e-11, 2.95505266312964e-12, -4.856446783111929e-13, 7.676185498604936e-14,
    -1.1685332877993451e-14, 1.715391285555133e-15, -2.431279846547955e-16, 3.3307945188222384e-17,
    -4.4153416464793395e-18, 5.669178006921496e-19, -7.057100692457294e-20)
_I0_FAR = (  # e^-x I0(x) sqrt(x) on [8, inf), in t = 16 / x - 1
    0.4022452055070544, 0.0033691164782556943, 6.889758346916825e-05, 2.8913705208347567e-06,
    2.0489185894690638e-07, 2.266668990498178e-08, 3.3962320257083865e-09, 4.94060238822497e-10,
    1.1889147107846439e-11, -3.1499165279632416e-11, -1.3215811840447713e-11, -1.7941785315068062e-12,
    7.180124451383666e-13, 3.8527783827421426e-13, 1.54008621752141e-14, -4.150569347287222e-14,
    -9.554846698828307e-15, 3.8116806693526224e-15, 1.7725601330565263e-15, -3.425485619677219e-16,
    -2.8276239805165836e-16, 3.461222867697461e-17, 4.46562142029676e-17, -4.830504485944182e-18,
    -7.233180487874754e-18, 9.921475412173699e-19, 1.193650890845982e-18, -2.4887098371508075e-19,
    -1.938426454160906e-19, 6.444656697373444e-20)
_I1_NEAR = (  # e^(-x/2) I1(x) / x on [0, 8], in t = x / 4 - 1 (e^(-x/2): fewer ulps lost than with e^-x)
    0.5016557960671141, 0.21434352751696323, 0.1873117281781378, -0.002866387364893764, 0.017208834137830864,
    -0.003324430089778451, 0.0014548980187094754, -0.00037900013304999214, 0.00010796419226905365,
    -2.6550877356173354e-05, 6.240759664697854e-06, -1.355735653672437e-06, 2.771423936451657e-07,
    -5.320746788837881e-08, 9.642268261779336e-09, -1.6529004075997958e-09, 2.687936204597282e-10,
    -4.15621955881712e-11, 6.124347398496822e-12, -8.617572968591565e-13, 1.1601023796285066e-13,
    -1.4967665782311686e-14, 1.853809985984863e-15, -2.2074328443875368e-16, 2.5306636581163284e-17,
    -2.7969144281635414e-18, 2.983721412552332e-19)
_I1_FAR = (  # e^-x I1(x) sqrt(x) on [8, inf), in t = 16 / x - 1
    0.38928811750914005, -0.009761097491361469, -0.00011058893876262371, -3.882564808877691e-06,
    -2.512236237870209e-07, -2.6314688468895196e-08, -3.835380385964237e-09, -5.589743462196584e-10,
    -1.8974958123505413e-11, 3.2526035830154884e-11, 1.4125807436613782e-11, 2.0356285441470896e-12,
    -7.198551776245908e-13, -4.0835511110921974e-13, -2.1015418427726643e-14, 4.272440016711951e-14,
    1.0420276984128802e-14, -3.8144030724370075e-15, -1.8803547755107825e-15, 3.3082023109209285e-16,
    2.96262899764595e-16, -3.209525921993424e-17, -4.6503053684893586e-17, 4.414348323071708e-18,
    7.517296310842105e-18, -9.314178867326884e-19, -1.242193275194891e-18, 2.4142767194548486e-19,
    2.0269443840532852e-19, -6.394267188269098e-20)

_I0E_SLOPE_NEAR = (  # (i0e(x) - i1e(x)) e^(x/2) on [0, 8], in t = x / 4 - 1 (29 kept: the next 1.0e-20)
    0.4249888655912742, -0.12630206161285437, 0.2638771346742033, -0.09519058175129015, 0.055284623562708565,
    -0.021783112150935185, 0.008476812565068999, -0.002865867049644881, 0.0008918335649373293, -0.00025267803934945663,
    6.598382515272234e-05, -1.5935194372048207e-05, 3.5790342745104483e-06, -7.50705150150376e-07,
    1.4764520693656142e-07, -2.7324472792570008e-08, 4.773859879498306e-09, -7.896612939046276e-10,
    1.2399969866459548e-10, -1.8529476389513387e-11, 2.6407900906547147e-12, -3.5968269776405667e-13,
    4.6906920988407775e-14, -5.8673288504843425e-15, 7.050642350920166e-16, -8.15173897411494e-17, 9.0804776224996e-18,
    -9.758135151201463e-19, 1.0128630394210561e-19)
_I0E_SLOPE_FAR = (  # (i0e(x) - i1e(x)) x^1.5 on [8, inf), in t = 16 / x - 1 (the same fit, 35 kept: the next 1.1e-20)
    0.2046391449198604, 0.005348526093538557, 0.00019150500095126415, 1.2032615976256658e-05, 1.1956976470208373e-06,
    1.716841771873406e-07, 2.8338106568544693e-08, 3.051206849093951e-09, -7.434135453836242e-10,
    -5.767283909234434e-10, -1.5193610828268228e-10, 5.668790622840184e-12, 1.804470061607724e-11,
    4.253572073419977e-12, -1.1555903826473055e-12, -7.770703288312627e-13, 1.4368043830095462e-14,
    1.0913028331644427e-13, 1.1406069274284166e-14, -1.5049144790858717e-14, -2.8555810704808024e-15,
    2.2314974017002143e-15, 5.272258797814568e-16, -3.688525888515701e-16, -8.53559919668251e-17,
    6.754931522628081e-17, 1.1811455208665337e-17, -1.3225212330303549e-17, -1.0505875291963377e-18,
    2.637200706410813e-18, -1.153582402196744e-19, -5.070077303995214e-19, 1.0063873819425261e-19,
    8.711492681414454e-20, -3.682218440613054e-20)


def _in_float64(compute):
    """compute(|x| as float64, x) rounded once to x's float type (float64 for ints and bools), by special's
    _in_float64_of: I0 overflows past |x| = 713, and float32's past 88.7, to inf without a warning, as torch's."""
    return lambda x: _in_float64_of(lambda wide: compute(np.abs(wide), wide), x)


def _chebyshev(coefficients, t):
    """c[0] + sum_k c[k] T_k(t), elementwise (Clenshaw's recurrence)."""
    later, last = np.zeros_like(t), np.zeros_like(t)
    for c in coefficients[:0:-1]:
        later, last = 2 * t * later - last + c, later
    return t * later - last + coefficients[0]


def _bessel(order, scaled):
    near_fit, far_fit = (_I0_NEAR, _I0_FAR) if order == 0 else (_I1_NEAR, _I1_FAR)

    def compute(y, x):
        near = y <= _NEAR_UP_TO
        close = np.minimum(y, _NEAR_UP_TO)
        far = np.maximum(y, _NEAR_UP_TO)
        fitted = _chebyshev(near_fit, close / 4 - 1)  # (e^-x I0(x), or e^(-x/2) I1(x) / x)
        tail = _chebyshev(far_fit, 16 / far - 1) / np.sqrt(far)  # (e^-x I_n(x), 0 at inf)
        # (I0 below 1/32 by its series 1 + q + q^2/4 + q^3/36, q = x^2/4, to the ulp: I0(0) = 1 exactly)
        square = np.minimum(y, _I0_SERIES_BELOW) ** 2 / 4
        small = 1 + square * (1 + square * (1 / 4 + square / 36))
        if scaled:
            out = np.where(near, fitted * close * np.exp(-close / 2) if order else fitted, tail)
            if order == 0:
                out = np.where(y < _I0_SERIES_BELOW, small * np.exp(-y), out)
        else:
            # e^y, in two halves past 709 (where it overflows), so that I_n stays finite up to where it overflows
            whole = np.exp(np.minimum(y, 709.0))
            half = np.exp(y / 2)
            out = np.where(near, fitted * close * np.exp(close / 2) if order else fitted * whole,
                           np.where(y <= 709.0, tail * whole, tail * half * half))
            if order == 0:
                out = np.where(y < _I0_SERIES_BELOW, small, out)
            out = np.where(np.isinf(y), np.inf, out)
        out = np.where(np.isnan(x), x, out)
        return np.copysign(out, x) if order == 1 else out
    return _in_float64(compute)


_i0, _i0e, _i1, _i1e = _bessel(0, False), _bessel(0, True), _bessel(1, False), _bessel(1, True)


def _i0e_slope_of(y, x):
    """i0e'(x) = i1e(x) - sign(x) i0e(x) (0 at 0, odd), in float64, as -sign(x) times fits of its own of the
    difference i0e - i1e (e^(|x|/2) times it on [0, 8], |x|^1.5 times it beyond), since taken as a difference it
    cancels, about 2|x| times past 8 (e^-x I1(x) / (e^-x I0(x)) is 1 - 1/(2x) + ...): 183 ulps lost at x = 573,
    1.5e9 at 1e10 (torch's too); within 2 ulps of mpmath's now, over [0, 1e10]."""
    far = np.maximum(y, _NEAR_UP_TO)
    tail = _chebyshev(_I0E_SLOPE_FAR, 16 / far - 1) / (far * np.sqrt(far))
    close = np.minimum(y, _NEAR_UP_TO)
    near = _chebyshev(_I0E_SLOPE_NEAR, close / 4 - 1) * np.exp(-close / 2)
    return -np.sign(x) * np.where(y <= _NEAR_UP_TO, near, tail) + 0.0  # (+ 0.0: 0, not -0, at 0 and inf)


_I1_OVER_X_NEAR = 0.25  # (below, the series to x^10: its next term is under 1e-18 of the sum)


def _i1_over_x(x, i1_of_x, scale=None):
    """i1(x) / x (scale times it: e^-|x| for i1e), 1/2 at 0: near 0 by its series sum_k (x/2)^(2k) / (2 k! (k+1)!),
    whose derivatives (the rules' under create_graph) keep their accuracy where those of i1(x) / x cancel (i1's
    second derivative at x = 1e-8 came out 7.45e-9 for 3.75e-9)."""
    near = np.abs(x) < _I1_OVER_X_NEAR
    small = np.where(near, x, 0.0)  # (the series only where taken: x * x overflowed float16 past 256, and inf * e^-inf
    square = small * small  # gave NaN, with NumPy's warnings, in the second derivatives: i1e'' at inf is 0, as torch's)
    series = 0.5 + square * (1 / 16 + square * (1 / 384 + square * (1 / 18432 + square * (
        1 / 1474560 + square * (1 / 176947200)))))  # (not / 176947200: past float16's range, it warned)
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


def _i0e_slope_vjp(g, ans, x):
    # i0e'' = i1e' - sign(x) i0e' (sign's derivative 0), i1e' = (i0e - sign(x) i1e) - i1e / x, and i0e - sign(x)
    # i1e = -sign(x) i0e' but at 0, where it is 1 (i0e'' is 1/2 there, as torch's rule's derivative; 0.0 - keeps
    # 0, not -0, at inf)
    return g * (np.where(x == 0, 1.0, 0.0 - 2 * np.sign(x) * ans) - _i1_over_x(x, i1e.traced(x), np.exp(-np.abs(x))))


_i0e_slope = Primitive("i0e_slope", _in_float64(_i0e_slope_of), (_i0e_slope_vjp,), reads_values=((0, "ans"),),
                       doc="i0e's derivative i1e(x) - sign(x) i0e(x), without its cancellation at large |x|.")
i0e = Primitive("i0e", _i0e, (lambda g, ans, x: g * _i0e_slope.traced(x),), reads_values=((0,),),
                doc="""e^-|x| i0(x), elementwise (torch.special.i0e, scipy's): i0 without its overflow (past |x| =
    713); gradient i1e(x) - sign(x) i0e(x).

    >>> import autograd_core as ag
    >>> ag.special.i0e(ag.tensor([0.0, 1.0, 1000.0]))
    Tensor([1.        , 0.46575961, 0.01261724])
    """)
i1e = Primitive("i1e", _i1e,
                (lambda g, ans, x: g * (np.where(x == 0, 1.0, 0.0 - np.sign(x) * _i0e_slope.traced(x))
                                        - _i1_over_x(x, ans, np.exp(-np.abs(x)))),),
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
    # (cos x - j0(x)) / x = -x/3 + x^3/30 - ... near 0, where the difference cancels: its series there (on x near 0
    # alone: x * x overflows at large |x|, a NaN in the second derivative, as _i1_over_x avoids)
    near = np.abs(x) < 0.25
    small = np.where(near, x, 0.0)
    square = small * small
    series = -1 / 3 + square * (1 / 30 - square * (1 / 840 - square * (1 / 45360 - square / 3991680)))
    return g * np.where(near, series * small, (np.cos(x) - ans) / np.where(near, 1.0, x))


spherical_bessel_j0 = Primitive(
    "spherical_bessel_j0", _in_float64(_j0_compute), (_j0_vjp,), reads_values=((0, "ans"),),
    doc="""The spherical Bessel function of the first kind of order 0, sin(x) / x (1 at 0), elementwise
    (torch.special.spherical_bessel_j0); gradient (cos x - sin(x) / x) / x.

    >>> import autograd_core as ag
    >>> ag.special.spherical_bessel_j0(ag.tensor([0.0, 1.0, 3.0]))
    Tensor([1.        , 0.84147098, 0.04704   ])
    """)
