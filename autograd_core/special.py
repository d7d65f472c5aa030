"""PyTorch's torch.special namespace, for code ported from it (`torch.special.expit(x)`, `special.gammaln`): its
names of the engine's functions, which are the same functions (ag.special.expit is ag.sigmoid, gammaln lgamma, psi
digamma, multigammaln mvlgamma), and ndtr, the standard normal's distribution function, composed of erfc.
Not offered: the Bessel functions (i0, i0e, i1, i1e, ...), log_ndtr, ndtri, the incomplete gamma functions, entr,
xlogy/xlog1py, zeta and the orthogonal polynomials.
"""
import math

from .ops import (digamma, erf, erfc, erfinv, exp2, expm1, lgamma, log1p, log_softmax, logit, logsumexp, mvlgamma,
                  polygamma, round, sigmoid, sinc, softmax)

__all__ = ["digamma", "erf", "erfc", "erfinv", "exp2", "expit", "expm1", "gammaln", "log1p", "log_softmax", "logit",
           "logsumexp", "multigammaln", "ndtr", "polygamma", "psi", "round", "sinc", "softmax"]

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
