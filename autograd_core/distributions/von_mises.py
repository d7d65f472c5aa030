"""The von Mises distribution on the circle, as torch.distributions.VonMises: density
exp(concentration cos(x - loc)) / (2 pi I0(concentration)) over [-pi, pi). I0 (and I1, for the circular variance)
come from PyTorch's polynomial approximations (Abramowitz and Stegun 9.8.1-9.8.4), written in autograd_core's
operations so that log_prob is differentiable in the concentration. Samples are drawn by Best and Fisher's rejection
method in float64 (as PyTorch's: in float32 small concentrations stall it); it has no rsample. Its entropy
(which PyTorch's lacks) is the closed form in I0 and I1.

>>> from autograd_core.distributions import VonMises
>>> VonMises(0.0, 1.0).log_prob(0.0)  # 1 - log(2 pi I0(1)), I0(1) = 1.26607
Tensor(-1.0737914)
"""
import math

import numpy as np

from ..ops import cos, log, where
from ..tensor import Tensor
from . import constraints
from .distribution import AT_LOC, Distribution, broadcast_all

__all__ = ["VonMises"]

# the coefficients of the polynomials in (x / 3.75)^2 (x < 3.75) and in 3.75 / x (above), for I0 and I1
_SMALL = {0: (1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2),
          1: (0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3)}
_LARGE = {0: (0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1, 0.2635537e-1,
              -0.1647633e-1, 0.392377e-2),
          1: (0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1, -0.2895312e-1,
              0.1787654e-1, -0.420059e-2)}


def _polynomial(y, coefficients):
    """sum_k coefficients[k] y^k, by Horner's rule."""
    result = coefficients[-1]
    for coefficient in reversed(coefficients[:-1]):
        result = result * y + coefficient
    return result


def log_modified_bessel(x, order=0):
    """log(I_order(x)) for x > 0 and order 0 or 1 (PyTorch's approximation, relative error below ~1e-7).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.von_mises import log_modified_bessel
    >>> log_modified_bessel(ag.tensor([1.0, 10.0]))  # log(I0(1)) = log(1.2660659), log(I0(10)) = log(2815.7166)
    Tensor([0.23591434, 7.9429721 ])
    """
    if order not in (0, 1):
        raise ValueError(f"log_modified_bessel: order must be 0 or 1, got {order!r}")
    below = Tensor(x.data < 3.75)
    small_x = where(below, x, 1.0)  # (each branch sees only the arguments it is good for: no log of a negative)
    small = log(_polynomial((small_x / 3.75) ** 2, _SMALL[order]))
    if order == 1:
        small = small + log(small_x)
    large_x = where(below, 3.75, x)
    large = large_x - 0.5 * log(large_x) + log(_polynomial(3.75 / large_x, _LARGE[order]))
    return where(below, small, large)


class VonMises(Distribution):
    """The von Mises (circular normal) distribution of mean direction loc and concentration (> 0); mean and variance
    are the circular ones (loc and 1 - I1/I0), as PyTorch's.

    >>> from autograd_core.distributions import VonMises
    >>> d = VonMises(0.5, 4.0)
    >>> d.mean, bool(abs(d.sample((2000,), rng=0).mean() - 0.5) < 0.05)
    (Tensor(0.5), True)
    """
    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real

    def __init__(self, loc, concentration, validate_args=None):
        self.loc, self.concentration = broadcast_all(loc, concentration, owner="VonMises")
        super().__init__(self.loc.shape, validate_args=validate_args)

    def log_prob(self, value):
        value = self._checked_value(value)
        return (self.concentration * cos(value - self.loc) - math.log(2 * math.pi)
                - log_modified_bessel(self.concentration, 0))

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        """Best and Fisher's (1979) rejection sampler, in float64, the result in the parameters' dtype."""
        source = self._generator(rng, generator, "sample")
        shape = self._extended_shape(sample_shape)
        kappa = np.broadcast_to(self.concentration.data.astype(np.float64), shape)
        loc = np.broadcast_to(self.loc.data.astype(np.float64), shape)
        with np.errstate(all="ignore"):
            tau = 1 + np.sqrt(1 + 4 * kappa ** 2)
            rho = (tau - np.sqrt(2 * tau)) / (2 * kappa)
            proposal_r = np.where(kappa < 1e-5, 1 / kappa + kappa, (1 + rho ** 2) / (2 * rho))
            x, done = np.zeros(shape), np.zeros(shape, dtype=bool)
            while not done.all():
                u1, u2, u3 = source.random((3,) + shape)
                z = np.cos(math.pi * u1)
                f = (1 + proposal_r * z) / (proposal_r + z)
                c = kappa * (proposal_r - f)
                accept = ~done & ((c * (2 - c) - u2 > 0) | (np.log(c / u2) + 1 - c >= 0))
                x = np.where(accept, np.sign(u3 - 0.5) * np.arccos(np.clip(f, -1, 1)), x)
                done |= accept
        return Tensor(((x + math.pi + loc) % (2 * math.pi) - math.pi).astype(self._dtype))

    def entropy(self):
        """log(2 pi I0(k)) - k I1(k) / I0(k) (PyTorch's VonMises has none)."""
        k = self.concentration
        log_i0 = log_modified_bessel(k, 0)
        return math.log(2 * math.pi) + log_i0 - k * (log_modified_bessel(k, 1) - log_i0).exp()

    mean = mode = AT_LOC

    @property
    def variance(self):
        k = self.concentration
        return 1 - (log_modified_bessel(k, 1) - log_modified_bessel(k, 0)).exp()
