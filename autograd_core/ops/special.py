"""Special functions NumPy lacks: the error function erf, its complement erfc and its inverse erfinv; log|Gamma|
(lgamma, scipy's gammaln) and the polygamma functions (digamma, the derivative of lgamma, and polygamma(n, x), its
n-th derivative), each the next one's gradient rule, so every order is differentiable.

Both are computed in float64 by W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev
approximations for the error function", Math. Comp. 23, 1969; his CALERF routine): x P(x^2) / Q(x^2) for
erf where |x| <= 0.46875, and e^-x^2 R(|x|) for erfc beyond, R a rational function of |x| up to 4 and of 1 / x^2
past it. erfc is computed directly wherever it is small, never as 1 - erf, so it keeps its relative accuracy deep
into the tail (erfc(26) = 5.7e-296), and erf(x) = 1 - erfc(x) there is exact to rounding. In float64, erf is within
5 units in the last place of math.erf and erfc within 8 of math.erfc wherever the result is a normal number (and
within 2e-323 where it is subnormal), both signs of 0 keep theirs, erf(+-inf) = +-1 and NaN stays NaN
(tests/autograd_core/ops/test_special.py); float32 and float16 inputs are computed in float64 and rounded once.

lgamma is math.lgamma elementwise (inf at the poles 0, -1, -2, ..., as torch.lgamma). polygamma(n, x) shifts x
up to 12 + n by the recurrence psi_n(x) = psi_n(x + 1) - (-1)**n n! / x**(n + 1), then sums the asymptotic series
in 1 / x (Bernoulli numbers B2 ... B20); below 1/2 it reflects, psi_n(x) = (-1)**n psi_n(1 - x) - pi**(n + 1)
Q_n(cot(pi x)), Q_n the polynomial with d^n/dx^n cot(pi x) = pi**n Q_n(cot(pi x)). At a pole x = -k, digamma is
-1/x at 0 (-inf, +inf at -0.0) and NaN below, as torch.digamma; polygamma(n >= 1) is (-1)**(n + 1) inf, the sign of
its limit (torch's kernels give 6.6e32 at -1, and NaN at +inf for even n, where the limit 0 is given here).
Within 1e-13 relative of mpmath's values over (-20, 1e300) away from the roots of psi_n (tested against
torch.special where installed).
"""
import functools
import math

import numpy as np

from .._arguments import InvalidArgumentError
from ..primitive import Primitive, as_operand
from .elementwise import _floats, _overflow_quiet

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_ONE_OVER_SQRT_PI = 0.56418958354775628695
_SMALL = 0.46875  # erf by its own rational function up to here; erfc (and 1 - erfc) beyond
_MIDDLE = 4.0  # erfc's rational function in |x| up to here, in 1 / x^2 beyond
_ZERO_BEYOND = 28.0  # erfc(28) = 6.4e-343 is below the least float64 (4.9e-324): erfc is 0 and erf is 1 there

# Cody's coefficients in his order (A, B: erf for |x| <= 0.46875; C, D: erfc up to 4; P, Q: erfc beyond, in
# 1 / x^2), which _ratio nests as he does.
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03,
      1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
      8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
      2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
      3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
      6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
      2.33520497626869185e-3)


def _ratio(t, num, den):
    """num(t) / den(t) in Cody's nesting: num's last coefficient is its leading one and the one before it its
    constant term; den's last is its constant term, its leading coefficient 1 (num has one coefficient more)."""
    n, d = num[-1] * t, t
    for a, b in zip(num[:-2], den[:-1]):
        n, d = (n + a) * t, (d + b) * t
    return (n + num[-2]) / (d + den[-1])


def _erf_near_zero(x):
    """erf(x) for |x| <= 0.46875: x P(x^2) / Q(x^2) (odd, so -0.0 stays -0.0)."""
    return x * _ratio(x * x, _A, _B)


def _erfc_away_from_zero(y):
    """erfc(y) for y >= 0.46875 (NaN stays NaN; inf gives 0)."""
    middle = np.minimum(y, _MIDDLE)
    far = np.clip(y, _MIDDLE, _ZERO_BEYOND)  # clipped so that inf and huge y give finite steps (and 0 at the end)
    s = 1 / (far * far)
    ratio = np.where(y <= _MIDDLE, _ratio(middle, _C, _D), (_ONE_OVER_SQRT_PI - s * _ratio(s, _P, _Q)) / far)
    # e^-y^2 as e^-r^2 e^-(y - r)(y + r) with r = y rounded down to 1/16: y^2 itself would carry y's rounding,
    # magnified 2 y^2 times, into the result
    y = np.minimum(y, _ZERO_BEYOND)
    r = np.trunc(y * 16) / 16
    return np.exp(-r * r) * np.exp(-(y - r) * (y + r)) * ratio


def _in_float64(function):
    """function computed on x as float64 and rounded once to x's float type (np.exp's type for ints and bools)."""
    @functools.wraps(function)
    def computed(x):
        x = _floats(x)
        dtype = np.result_type(x)
        with np.errstate(under="ignore"):  # (e^-x^2 underflows to 0 for large x, as it should)
            out = function(np.asarray(x, np.float64))
        return out.astype(dtype, copy=False) if isinstance(out, np.ndarray) and out.ndim else dtype.type(out)
    return computed


@_in_float64
def _erf(x):
    y = np.abs(x)
    tail = np.copysign((0.5 - _erfc_away_from_zero(np.maximum(y, _SMALL))) + 0.5, x)
    return np.where(y <= _SMALL, _erf_near_zero(np.clip(x, -_SMALL, _SMALL)), tail)  # (NaN takes the tail: NaN)


@_in_float64
def _erfc(x):
    y = np.abs(x)
    upper = _erfc_away_from_zero(np.maximum(y, _SMALL))
    return np.where(y <= _SMALL, 1 - _erf_near_zero(np.clip(x, -_SMALL, _SMALL)), np.where(x < 0, 2 - upper, upper))


# d/dx erf(x) = 2 / sqrt(pi) e^-x^2, written with NumPy calls so that it is recorded under create_graph
erf = Primitive("erf", _erf, (_overflow_quiet(lambda g, ans, x: g * (_TWO_OVER_SQRT_PI * np.exp(-(x * x)))),),
                reads_values=((0,),),
                doc="""The error function, 2 / sqrt(pi) times the integral of e**-t**2 from 0 to x; erf(+-inf) = +-1.

    >>> import autograd_core as ag
    >>> ag.erf(ag.tensor([0.0, 0.5, float("inf")]))
    Tensor([0.        , 0.52049988, 1.        ])
    """)

erfc = Primitive("erfc", _erfc, (_overflow_quiet(lambda g, ans, x: g * (-_TWO_OVER_SQRT_PI * np.exp(-(x * x)))),),
                 reads_values=((0,),), doc="""1 - erf(x), accurate where it is small: erfc(10) = 2.1e-45, not 0.

    >>> import autograd_core as ag
    >>> ag.erfc(ag.tensor([0.0, 10.0]))
    Tensor([1.00000000e+00, 2.08848758e-45])
    """)


# ---- erfinv, the inverse of erf --------------------------------------------------------------------------------------
# Giles' single-precision polynomials in w = -log(1 - y^2) ("Approximating the erfinv function", GPU Computing Gems,
# 2011; highest degree first, as np.polyval takes them) start x; four Newton steps on erf(x) = y then give float64
# accuracy (the error squares at each). For |y| > 1/2 they are taken on log erfc(x) = log(1 - |y|), 1 - |y| exact,
# so the tail keeps its relative accuracy.
_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                  -0.00417768164, 0.246640727, 1.50140941)
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
               0.00943887047, 1.00167406, 2.83297682)
_SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2


@_in_float64
def _erfinv(y):
    size = np.abs(y)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # (|y| = 1 gives inf, |y| > 1 and NaN
        # give NaN, also where (1 - |y|)(1 + |y|) overflows)
        w = -np.log((1 - size) * (1 + size))
        x = size * np.where(w < 5, np.polyval(_GILES_CENTRAL, w - 2.5), np.polyval(_GILES_TAIL, np.sqrt(w) - 3))
        finite = np.isfinite(x)
        tail = size > 0.5
        for _ in range(4):
            safe = np.where(finite, x, 0.0)
            slope = _TWO_OVER_SQRT_PI * np.exp(-safe * safe)
            upper = _erfc(safe)
            # (in the tail, Newton's step on log erfc(x) = log(1 - |y|), nearly quadratic in x, so it converges
            # from Giles's start even where that is poor, 1 - |y| below float32's reach)
            step = np.where(tail, (np.log(upper) - np.log(1 - size)) * upper, size - _erf(safe)) / slope
            x = np.where(finite, safe + step, x)
    return np.copysign(np.where(size == 1, np.inf, x), y)


# d/dy erfinv(y) = sqrt(pi) / 2 e^(erfinv(y)^2), from the result: recorded under create_graph like erf's rule
erfinv = Primitive("erfinv", _erfinv, (_overflow_quiet(lambda g, ans, x: g * (_SQRT_PI_OVER_2 * np.exp(ans * ans))),),
                   "erfinv needs -1 <= x <= 1", reads_values=(("ans",),),
                   doc="""The inverse of erf on [-1, 1] (torch.erfinv): erfinv(erf(x)) = x, erfinv(+-1) = +-inf.

    >>> import autograd_core as ag
    >>> ag.erfinv(ag.tensor([0.0, 0.5, 1.0]))
    Tensor([0.        , 0.47693628,        inf])
    """)

# ---- lgamma and the polygamma functions ---------------------------------------------------------------------------
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330)


def _in_float64_of(compute, *xs):
    """compute(*xs) on the arrays xs in float64 (broadcast together), its result in their float dtype (float64 for
    ints) again: elementwise functions whose series and fractions need float64 (here and in distributions)."""
    xs = [_floats(x) for x in xs]
    dtype = np.result_type(*xs)
    xs = np.broadcast_arrays(*(np.asarray(x, np.float64) for x in xs))
    with np.errstate(all="ignore"):  # (poles and overflow give their infinities, as torch's kernels, also where
        out = compute(*xs)  # a finite float64 result overflows x's narrower dtype: lgamma of float32's maximum)
        return out.astype(dtype, copy=False) if out.ndim else dtype.type(out)


def _lgamma_of(x):
    """math.lgamma(x), inf where the result passes float64's maximum (x beyond 2.5e305), where math raises."""
    try:
        return math.lgamma(x)
    except OverflowError:
        return math.inf


def _lgamma(x):
    def compute(x):
        pole = (x <= 0) & (x == np.floor(x))
        safe = np.where(pole, 1.0, x)
        return np.where(pole, np.inf, np.vectorize(_lgamma_of, otypes=[np.float64])(safe))
    return _in_float64_of(compute, x)


def _cot_derivative_polynomial(n):
    """Q_n's coefficients (lowest first): d^n/dx^n cot(pi x) = pi**n Q_n(cot(pi x)), Q_0(c) = c and
    Q_{k+1}(c) = -Q_k'(c) (1 + c**2), as d/dx cot(pi x) = -pi (1 + cot(pi x)**2)."""
    q = np.polynomial.Polynomial([0.0, 1.0])
    for _ in range(n):
        q = -q.deriv() * np.polynomial.Polynomial([1.0, 0.0, 1.0])
    return q


def _polygamma_at_least_half(n, x):
    """psi_n(x) for x >= 1/2 (or +inf, NaN): the recurrence up to 12 + n, then the asymptotic series."""
    factorial = math.factorial(n)
    start = 12.0 + n
    shifted, correction = x.copy(), np.zeros_like(x)
    for _ in range(int(start) + 1):  # (at most start steps from 1/2)
        low = shifted < start
        if not low.any():
            break
        correction = correction + np.where(low, 1 / np.where(low, shifted, 1.0) ** (n + 1), 0.0)
        shifted = np.where(low, shifted + 1, shifted)
    inverse = 1 / shifted
    if n == 0:
        series = np.log(shifted) - 0.5 * inverse
        for k, b in enumerate(_BERNOULLI, 1):
            series = series - b / (2 * k) * inverse ** (2 * k)
        return series - correction
    series = math.factorial(n - 1) * inverse ** n + factorial / 2 * inverse ** (n + 1)
    for k, b in enumerate(_BERNOULLI, 1):
        series = series + b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) * inverse ** (2 * k + n)
    sign = -1.0 if n % 2 == 0 else 1.0  # (-1)**(n + 1)
    return sign * series - (-1.0) ** n * factorial * correction


def _polygamma_value(n, x):
    def compute(x):
        pole = (x <= 0) & (x == np.floor(x)) & np.isfinite(x)
        reflect = (x < 0.5) & ~pole & ~np.isnan(x)  # (-inf too: cot(pi x) is NaN there, so is the result)
        upper = _polygamma_at_least_half(n, np.where(reflect | pole, 1.0 - np.where(reflect, x, 0.0), x))
        # cot(pi x) from x's distance to its nearest integer, so that a large |x| keeps its accuracy
        cot = 1 / np.tan(np.pi * (x - np.round(np.where(np.isfinite(x), x, 0.0))))
        reflected = (-1.0) ** n * upper - np.pi ** (n + 1) * _cot_derivative_polynomial(n)(cot)
        if n == 0:
            at_pole = np.where(x == 0, -1 / np.where(x == 0, x, 1.0), np.nan)
        else:
            at_pole = np.full_like(x, np.inf if n % 2 else -np.inf)
        return np.where(pole, at_pole, np.where(reflect, reflected, upper))
    return _in_float64_of(compute, x)


class SpecialValueError(InvalidArgumentError):
    """A setting or input out of a special function's domain: a ValueError, and PyTorch's RuntimeError."""


def _order(n, name, what, meaning, low=0):
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < low:
        raise SpecialValueError(f"{name}: {what} must be an int >= {low} ({meaning}), got {n!r}")
    return int(n)


def _polygamma_order(n):
    return _order(n, "polygamma", "n", "the order of the derivative of digamma")


# d/dx lgamma = digamma, d/dx psi_n = psi_(n+1): each rule calls the next function, recorded under create_graph
lgamma = Primitive("lgamma", _lgamma, (lambda g, ans, x: g * digamma.traced(x),), reads_values=((0,),),
                   doc="""log|Gamma(x)|, elementwise (scipy's gammaln, torch.lgamma); inf at 0, -1, -2, ...

    >>> import autograd_core as ag
    >>> ag.lgamma(ag.tensor([1.0, 4.0, 0.5]))
    Tensor([0.        , 1.79175947, 0.57236494])
    """)

_polygamma = Primitive("polygamma", lambda x, n=0: _polygamma_value(n, x),
                       (lambda g, ans, x, n=0: g * _polygamma.traced(x, n=n + 1),), reads_values=((0,),))


digamma = Primitive("digamma", lambda x: _polygamma_value(0, x), (lambda g, ans, x: g * _polygamma.traced(x, n=1),),
                    reads_values=((0,),), doc="""The digamma function psi(x) = d/dx lgamma(x), elementwise
    (torch.digamma, scipy's psi); -inf at 0, NaN at -1, -2, ...

    >>> import autograd_core as ag
    >>> ag.digamma(ag.tensor([1.0, 2.0]))
    Tensor([-0.57721566,  0.42278434])
    """)


def polygamma(n, x):
    """The n-th derivative of digamma at x, elementwise (torch.polygamma's argument order); polygamma(0, x) is
    digamma(x). At a pole (x = 0, -1, ...) it is (-1)**(n + 1) inf for n >= 1.

    >>> import autograd_core as ag
    >>> ag.polygamma(1, ag.tensor([1.0, 0.5]))  # pi**2 / 6 and pi**2 / 2
    Tensor([1.64493407, 4.9348022 ])
    """
    return _polygamma(x, n=_polygamma_order(n))


def mvlgamma(x, p):
    """The multivariate log-gamma function of dimension p (torch.mvlgamma, scipy's multigammaln), elementwise:
    p (p - 1) / 4 log(pi) + the sum of lgamma(x - i / 2) for i < p; every x must exceed (p - 1) / 2.

    >>> import autograd_core as ag
    >>> ag.mvlgamma(ag.tensor([2.5, 4.0]), 2)  # lgamma(x) + lgamma(x - 1/2) + log(pi) / 2
    Tensor([0.85704781, 3.56509801])
    """
    p = _order(p, "mvlgamma", "p", "the dimension", low=1)
    x = as_operand(x, "mvlgamma")
    if not np.all(x.data > (p - 1) / 2):  # (NaN too, as torch's check)
        raise SpecialValueError(f"mvlgamma: all elements must be greater than (p-1)/2 = {(p - 1) / 2} for p = {p}, "
                                f"the domain of scipy's multigammaln (PyTorch 2.14 no longer checks it); got an "
                                f"input of shape {x.shape} whose least value is {np.min(x.data)}")
    out = lgamma(x)  # (composed of lgamma: the gradients are digamma's, to any order)
    for i in range(1, p):
        out = out + lgamma(x - i / 2)
    return out + p * (p - 1) / 4 * math.log(math.pi)


# ---- logit, the inverse of sigmoid (scipy's and torch.special's expit) ----------------------------------------------
def _logit(x, eps=None):
    x = _floats(x)
    with np.errstate(divide="ignore", invalid="ignore"):  # (0 and 1 give -inf and inf, x outside [0, 1] NaN, as torch)
        # (torch's clamp, x < eps first: with eps > 1/2, where np.clip gives 1 - eps everywhere, x < eps gives eps)
        z = x if eps is None else np.where(x < eps, eps, np.where(x > 1 - eps, 1 - eps, x))
        return np.log(z / (1 - z))


def _logit_vjp(g, ans, x, eps=None):
    # 1 / (x (1 - x)), NaN for x outside [0, 1]; with eps, 0 where x is clamped, as torch's (which passes it at
    # x = eps and 1 - eps too). (+ 0.0 makes x = -0.0's product +0.0: the slope there is +inf, logit increasing)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = g / (x * (1 - x) + 0.0)
    if eps is None:
        return np.where((x < 0) | (x > 1), np.nan, slope)
    return np.where((x < eps) | (x > 1 - eps), 0, slope)


_logit_primitive = Primitive("logit", _logit, (_logit_vjp,), reads_values=((0,),))


def logit(x, eps=None):
    """log(x / (1 - x)), the inverse of sigmoid, elementwise (torch.logit, scipy's logit); with eps, x is first
    clamped to [eps, 1 - eps] (no gradient where it is). -inf at 0, inf at 1, NaN outside [0, 1].

    >>> import autograd_core as ag
    >>> ag.logit(ag.tensor([0.5, 0.75, 1.0]))
    Tensor([0.        , 1.09861229,        inf])
    """
    if eps is not None:
        if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.integer, np.floating)):
            raise TypeError(f"logit: eps must be a number or None, got {eps!r} of type {type(eps).__name__}")
        eps = float(eps)
    return _logit_primitive(x, eps=eps)
