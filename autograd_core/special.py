"""PyTorch's torch.special namespace, for code ported from it (`torch.special.expit(x)`, `special.gammaln`): its
names of the engine's functions, which are the same functions (ag.special.expit is ag.sigmoid, gammaln lgamma, psi
digamma, multigammaln mvlgamma, xlogy and xlog1py ag's), and ndtr, the standard normal's distribution function
(composed of erfc), log_ndtr, its logarithm, and entr, -x log x; the modified Bessel functions i0, i1 and their scaled
forms i0e, i1e, and spherical_bessel_j0 (ops/bessel.py); ndtri, ndtr's inverse, erfcx, e^(x^2) erfc(x), and
Hurwitz's zeta (ops/special_more.py). Not offered: the other Bessel functions, the incomplete gamma functions and the
orthogonal polynomials.
"""
import math

import numpy as np

from .ops import (astype, digamma, erf, erfc, erfinv, exp2, expm1, isnan, lgamma, log, log1p, log_softmax, logit,
                  logsumexp, mvlgamma, polygamma, round, sigmoid, sinc, softmax, where, xlog1py, xlogy)
from .ops.bessel import i0, i0e, i1, i1e, spherical_bessel_j0
from .ops.special_more import erfcx, ndtri, zeta
from .primitive import Primitive, as_operand

__all__ = ["digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0", "i0e",
           "i1", "i1e", "log1p", "log_softmax", "logit", "log_ndtr", "logsumexp", "multigammaln", "ndtr", "ndtri",
           "polygamma", "psi", "round", "sinc", "softmax", "spherical_bessel_j0", "xlog1py", "xlogy", "zeta"]

expit, gammaln, psi, multigammaln = sigmoid, lgamma, digamma, mvlgamma  # (torch.special's and scipy's names)
_MINUS_ONE_OVER_SQRT2 = -1 / math.sqrt(2)


def ndtr(x):
    """The standard normal distribution function, the area under its density left of x: erfc(-x / sqrt(2)) / 2,
    accurate in the lower tail (ndtr(-30) = 4.9e-198, not 0), as torch.special.ndtr and scipy's.

    >>> import autograd_core as ag
    >>> ag.special.ndtr(ag.tensor([0.0, 1.0, -30.0]))
    Tensor([5.00000000e-001, 8.41344746e-001, 4.90671393e-198])
    """
    return erfc(x * _MINUS_ONE_OVER_SQRT2) * 0.5


_FAR = -37.0  # below, erfc(-x / sqrt(2)) underflows float64: log_ndtr takes its asymptotic series


def log_ndtr(x):
    """log(ndtr(x)), accurate in both tails (torch.special.log_ndtr, scipy's): log(erfc(-x / sqrt(2)) / 2) for
    x <= 0, log1p(-erfc(x / sqrt(2)) / 2) above, and below -37, where erfc underflows, the asymptotic series
    -x**2 / 2 - log(-x) - log(2 pi) / 2 + log(1 - 1/x**2 + 3/x**4 - 15/x**6 + 105/x**8). Computed in float64 (each
    branch at inputs in its range, so the others' gradients stay finite) and returned in x's float dtype.

    >>> import autograd_core as ag
    >>> ag.special.log_ndtr(ag.tensor([0.0, -40.0, 5.0]))
    Tensor([-6.93147181e-01, -8.04608442e+02, -2.86651613e-07])
    """
    x = as_operand(x, "log_ndtr")
    dtype = np.result_type(x.dtype, np.float16) if x.dtype.kind in "biu" else x.dtype
    wide = astype(x, np.float64) if x.dtype != np.float64 else x
    far = wide < _FAR
    low = where(far, wide, _FAR - 1.0)
    middle = where(~far & (wide <= 0), wide, -1.0)
    high = where((wide > 0) | isnan(wide), wide, 1.0)
    finite = where(wide > -np.inf, low, _FAR - 1.0)  # (the series' correction is 1 at -inf: its slope 0, not NaN)
    inverse_square = 1.0 / (finite * finite)
    series = 1.0 + inverse_square * (-1.0 + inverse_square * (3.0 + inverse_square * (-15.0 + inverse_square * 105.0)))
    asymptotic = -0.5 * low * low - log(-low) - 0.5 * math.log(2 * math.pi) + log(series)
    out = where(far, asymptotic, where(wide <= 0, log(0.5 * erfc(middle * _MINUS_ONE_OVER_SQRT2)),
                                       log1p(-0.5 * erfc(high * -_MINUS_ONE_OVER_SQRT2))))
    return astype(out, dtype) if out.dtype != dtype else out


def _entr(x):
    x = x.astype(np.float16) if x.dtype == np.bool_ else x  # (bools as NumPy's float for them: -x refuses a bool)
    with np.errstate(divide="ignore", invalid="ignore"):  # (0 log 0 is taken as 0; x < 0 gives -inf, as torch's)
        out = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)), np.where(x == 0, 0, -np.inf))
    return np.where(np.isnan(x), x, out).astype(np.result_type(x, np.float16), copy=False)


def _entr_vjp(g, ans, x):
    # -(log x + 1): inf at 0, NaN below, as torch's
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * -(np.log(x) + 1)


entr = Primitive("entr", _entr, (_entr_vjp,), reads_values=((0,),),
                 doc="""-x log x elementwise, the entropy of a probability (torch.special.entr, scipy's): 0 at 0, -inf
    for x < 0; gradient -(log x + 1).

    >>> import autograd_core as ag
    >>> ag.special.entr(ag.tensor([0.0, 0.5, 1.0, -1.0]))
    Tensor([ 0.        ,  0.34657359, -0.        ,        -inf])
    """)
