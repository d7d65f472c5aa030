"""torch.special's ndtri (the inverse of the standard normal distribution function), erfcx (the scaled complementary
error function e^(x^2) erfc(x)) and zeta (Hurwitz's zeta function sum_k (q + k)^-x), computed in float64 from the
engine's erfc and erfinv (ops/special.py) and rounded once to the input's float type (float64 for ints and bools).

ndtri: sqrt(2) erfinv(2p - 1) where |2p - 1| <= 1/2 (2p - 1 is exact there), and in the tails, with q = min(p, 1 - p)
(exact), Newton's steps on log ndtr(x) = log q from Abramowitz and Stegun's 26.2.23 start (within 4.5e-4), ndtr
by erfc, which keeps its relative accuracy deep in the lower tail (ndtri(1e-300) = -37.047). erfcx: e^(x^2) erfc(x)
with x^2 split in an exact sum of two doubles (Dekker), so e^(x^2) keeps its accuracy, up to x = 12, and beyond the
asymptotic series (x sqrt(pi))^-1 sum_k (-1)^k (2k - 1)!! / (2x^2)^k (18 terms: below 1e-30 of the sum). zeta: the
Euler-Maclaurin formula from a = q + N >= 10 (N terms summed directly), with the Bernoulli numbers B2 ... B24; inf
at x = 1 and at q = 0, -1, -2, ...; NaN for x < 1, and for q < 0 with x not an integer, as scipy's and torch's.
Within a few units in the last place of torch's (tests/autograd_core/test_special_more.py).
"""
import math

import numpy as np

from ..primitive import Primitive
from ..tensor import Tensor
from .special import _erfc, _erfinv, _in_float64_of

_SQRT2 = math.sqrt(2)
_SQRT_2PI = math.sqrt(2 * math.pi)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_ONE_OVER_SQRT_PI = 1 / math.sqrt(math.pi)


# ---- ndtri -----------------------------------------------------------------------------------------------------------
def _ndtri_compute(p):
    central = np.abs(2 * p - 1) <= 0.5
    middle = _SQRT2 * _erfinv(np.where(central, 2 * p - 1, 0.0))
    q = np.where(central | ~(p > 0) | ~(p < 1), 0.25, np.minimum(p, 1 - p))  # (the lower tail, below 1/4)
    log_q = np.log(q)
    t = np.sqrt(-2 * log_q)
    x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))))
    for _ in range(4):
        lower = 0.5 * _erfc(-x / _SQRT2)  # ndtr(x), x < 0
        density = np.exp(-0.5 * x * x) / _SQRT_2PI
        x = x - (np.log(lower) - log_q) * lower / density
    tail = np.where(p > 0.5, -x, x)
    out = np.where(central, middle, tail)
    out = np.where(p == 0, -np.inf, np.where(p == 1, np.inf, out))
    return np.where((p < 0) | (p > 1) | np.isnan(p), np.nan, out)


# d/dp ndtri(p) = sqrt(2 pi) e^(ndtri(p)^2 / 2), from the result
ndtri = Primitive("ndtri", lambda p: _in_float64_of(_ndtri_compute, p),
                  (lambda g, ans, p: g * (_SQRT_2PI * np.exp(0.5 * ans * ans)),), reads_values=(("ans",),),
                  doc="""The inverse of the standard normal distribution function ndtr, elementwise
    (torch.special.ndtri, scipy's): ndtr(ndtri(p)) = p; -inf at 0, inf at 1, NaN outside [0, 1]. Its gradient is
    sqrt(2 pi) e^(ndtri(p)^2 / 2).

    >>> import autograd_core as ag
    >>> ag.special.ndtri(ag.tensor([0.5, 0.975, 1e-300]))
    Tensor([  0.        ,   1.95996398, -37.0470963 ])
    """)


# ---- erfcx -----------------------------------------------------------------------------------------------------------
_ASYMPTOTIC_FROM = 12.0
_OVERFLOW_BELOW = -26.7  # 2 e^(x^2) passes float64's maximum below -26.64
_SPLIT = 134217729.0  # 2^27 + 1: Dekker's split of a double into two halves of 26 bits


def _exp_of_square(x):
    """e^(x^2) with x^2 = high + low exactly: e^high e^low keeps e^(x^2)'s accuracy (e^(x*x) loses x^2 ulps)."""
    c = _SPLIT * x
    head = c - (c - x)
    rest = x - head
    high = head * head
    low = (2 * head + rest) * rest
    return np.exp(high) * np.exp(low)


def _erfcx_compute(x):
    near = np.where((x < _ASYMPTOTIC_FROM) & (x > _OVERFLOW_BELOW), x, 0.0)
    direct = _exp_of_square(near) * _erfc(near)
    far = np.where(x >= _ASYMPTOTIC_FROM, x, _ASYMPTOTIC_FROM)
    step = 1 / (2 * far * far)
    term, total = np.ones_like(far), np.ones_like(far)
    for k in range(1, 18):
        term = term * -(2 * k - 1) * step
        total = total + term
    asymptotic = np.where(np.isinf(far), 0.0, total * _ONE_OVER_SQRT_PI / far)
    out = np.where(x >= _ASYMPTOTIC_FROM, asymptotic, direct)
    return np.where(x <= _OVERFLOW_BELOW, np.inf, np.where(np.isnan(x), x, out))


# d/dx erfcx(x) = 2x erfcx(x) - 2 / sqrt(pi)
erfcx = Primitive("erfcx", lambda x: _in_float64_of(_erfcx_compute, x),
                  (lambda g, ans, x: g * (2 * x * ans - _TWO_OVER_SQRT_PI),), reads_values=((0, "ans"),),
                  doc="""The scaled complementary error function e^(x^2) erfc(x), elementwise (torch.special.erfcx,
    scipy's): about 1 / (x sqrt(pi)) for large x, where erfc underflows; inf below x = -26.6. Gradient
    2x erfcx(x) - 2 / sqrt(pi).

    >>> import autograd_core as ag
    >>> ag.special.erfcx(ag.tensor([0.0, 1.0, 100.0]))
    Tensor([1.        , 0.42758358, 0.00564161])
    """)


# ---- Hurwitz's zeta --------------------------------------------------------------------------------------------------
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330,
              854513 / 138, -236364091 / 2730)
_SHIFT_TO = 10.0
_MOST_TERMS = 1 << 16  # q below -65536 + 10 (x an integer) would need more direct terms: NaN there


def _direct_terms(x, q, shifts):
    """sum_{k < shifts} (q + k)^-x elementwise, x, q and shifts of one shape: the k-th step sums over only the
    elements that need k + 1 terms or more (sorted by their number of terms, a prefix), so that one q far below 0
    among many ordinary ones costs its own terms only."""
    order = np.argsort(-shifts.ravel(), kind="stable")
    needed = shifts.ravel()[order]  # (descending)
    xs, qs = x.ravel()[order], q.ravel()[order]
    sums = np.zeros(needed.shape)
    for k in range(int(needed[0]) if needed.size else 0):
        active = int(np.searchsorted(-needed, -k, side="left"))  # (how many need more than k terms)
        sums[:active] += np.power(qs[:active] + k, -xs[:active])
    total = np.empty(needed.shape)
    total[order] = sums
    return total.reshape(shifts.shape)


def _zeta_compute(x, q):
    pole = (q <= 0) & (q == np.floor(q))
    undefined = (x < 1) | ((q < 0) & (x != np.floor(x))) | np.isnan(x) | np.isnan(q)
    # (from a >= 10 + x / 2 the Euler-Maclaurin terms fall by ((x + 2j) / (2 pi a))^2 each: 12 of them suffice)
    target = _SHIFT_TO + np.minimum(np.where(np.isnan(x), 0.0, x), 200.0) / 2
    shifts = np.where(pole | undefined, 0.0, np.maximum(np.ceil(target - q), 0.0))
    too_far = shifts > _MOST_TERMS
    shifts = np.where(too_far, 0.0, shifts)
    total = _direct_terms(x, q, shifts)
    a = np.where(pole | undefined, target, q + shifts)
    power = np.power(a, -x)  # a^-x
    total = total + a * power / (x - 1) + 0.5 * power
    # sum_j B_2j / (2j)! x (x + 1) ... (x + 2j - 2) a^(-x - 2j + 1)
    rising, factor, inverse_square = x * power / a, 1.0, 1 / (a * a)
    for j, b in enumerate(_BERNOULLI, start=1):
        factor = factor / ((2 * j - 1) * 2 * j)
        total = total + b * factor * rising
        rising = rising * (x + 2 * j - 1) * (x + 2 * j) * inverse_square
    out = np.where(x == 1, np.inf, total)
    out = np.where(pole & ~np.isnan(x), np.inf, out)
    return np.where((undefined & ~(pole & (x >= 1))) | too_far, np.nan, out)


def _zeta_x_vjp(g, ans, x, q):
    raise NotImplementedError("zeta: the derivative with respect to x is not implemented (as torch.special.zeta's); "
                              "only q's is (-x zeta(x + 1, q))")


_zeta = Primitive("zeta", lambda x, q: _in_float64_of(_zeta_compute, x, q),
                  (_zeta_x_vjp, lambda g, ans, x, q: g * -x * _zeta.traced(x + 1, q)), reads_values=((), (0, 1)))


def zeta(x, q):
    """Hurwitz's zeta function sum_k (q + k)^-x, k = 0, 1, ..., elementwise (torch.special.zeta,
    scipy's zeta(x, q)); zeta(x, 1) is Riemann's. inf at x = 1 and at q = 0, -1, ...; NaN for x < 1. Its gradient
    with respect to q is -x zeta(x + 1, q); with respect to x it is not offered (as torch's).

    >>> import autograd_core as ag
    >>> ag.special.zeta(ag.tensor([2.0, 4.0]), 1.0)  # pi^2 / 6 and pi^4 / 90
    Tensor([1.64493407, 1.08232323])
    """
    if not isinstance(x, (Tensor, np.ndarray)) and not isinstance(q, (Tensor, np.ndarray)):
        raise TypeError(f"zeta: x or q must be a Tensor (as PyTorch's), got {type(x).__name__} {x!r:.40} and "
                        f"{type(q).__name__} {q!r:.40}; for numbers write ag.special.zeta(ag.tensor(x), q)")
    return _zeta(x, q)
