"""The heavy-tailed location-scale distributions, as torch.distributions': Cauchy (with rsample, cdf and icdf) and
Student's t (with rsample: its chi-squared draw is a reparameterised Gamma's, reparameterised_gamma.py). Their means and
variances are NaN or inf where the tails make them undefined, as PyTorch's.

>>> from autograd_core.distributions import Cauchy, StudentT
>>> Cauchy(0.0, 1.0).cdf(1.0), StudentT(3.0).variance
(Tensor(0.75), Tensor(3.))
"""
import math

import numpy as np

from ..ops import arctan, broadcast_to, digamma, lgamma, log, log1p, tan, where
from ..tensor import Tensor
from . import constraints
from .distribution import AT_LOC, Distribution, broadcast_all, where_above
from .reparameterised_gamma import standard_gamma

__all__ = ["Cauchy", "StudentT"]


class Cauchy(Distribution):
    """The Cauchy (Lorentz) distribution of median loc and half-width scale (> 0): density
    1 / (pi scale (1 + ((x - loc) / scale)^2)); it has no mean and no variance.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Cauchy
    >>> Cauchy(0.0, 2.0).icdf(0.75), Cauchy(0.0, 1.0).mean
    (Tensor(2.), Tensor(nan))
    """
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale, owner="Cauchy")
        super().__init__(self.loc.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        eps = self._noise(lambda g, shape: g.standard_cauchy(shape), sample_shape, source)
        return self.loc + eps * self.scale

    def log_prob(self, value):
        value = self._checked_value(value)
        return -math.log(math.pi) - log(self.scale) - log1p(((value - self.loc) / self.scale) ** 2)

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return arctan((value - self.loc) / self.scale) / math.pi + 0.5

    def icdf(self, value):
        return tan(math.pi * (value - 0.5)) * self.scale + self.loc

    def entropy(self):
        return math.log(4 * math.pi) + log(self.scale)

    @property
    def mean(self):
        return self.loc * math.nan

    mode = AT_LOC

    @property
    def variance(self):
        return self._filled(np.inf)


class StudentT(Distribution):
    """Student's t distribution of df degrees of freedom (> 0), location loc and scale (> 0): the distribution of
    loc + scale * z / sqrt(c / df) for z standard normal and c chi-squared of df degrees. The mean is loc for
    df > 1 (NaN otherwise); the variance scale^2 df / (df - 2) for df > 2, inf for 1 < df <= 2, NaN below.

    >>> from autograd_core.distributions import StudentT
    >>> StudentT(1.0).log_prob(0.0)  # the standard Cauchy's: -log(pi)
    Tensor(-1.14472989)
    >>> import autograd_core as ag
    >>> df = ag.tensor(4.0, requires_grad=True)
    >>> StudentT(df).rsample((3,), rng=0).abs().sum().backward()
    >>> df.grad.shape
    ()
    """
    arg_constraints = {"df": constraints.positive, "loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None):
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale, owner="StudentT")
        super().__init__(self.df.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        # PyTorch's: loc + scale * z / sqrt(c / df), c = Chi2(df) = Gamma(df / 2, rate 1 / 2), reparameterised in df
        normal = self._noise(lambda g, shape: g.standard_normal(shape), sample_shape, source)
        df = broadcast_to(self.df, self._extended_shape(sample_shape))
        chi_squared = 2 * standard_gamma(df / 2, source)
        return self.loc + self.scale * normal * (chi_squared / df) ** -0.5

    def log_prob(self, value):
        value = self._checked_value(value)
        y = (value - self.loc) / self.scale
        normaliser = (log(self.scale) + 0.5 * log(self.df) + 0.5 * math.log(math.pi) + lgamma(0.5 * self.df)
                      - lgamma(0.5 * (self.df + 1)))
        return -0.5 * (self.df + 1) * log1p(y ** 2 / self.df) - normaliser

    def entropy(self):
        df = self.df
        log_beta = lgamma(0.5 * df) + math.lgamma(0.5) - lgamma(0.5 * (df + 1))
        return (log(self.scale) + 0.5 * (df + 1) * (digamma(0.5 * (df + 1)) - digamma(0.5 * df))
                + 0.5 * log(df) + log_beta)

    @property
    def mean(self):
        return where(Tensor(self.df.data > 1), self.loc, math.nan)

    mode = AT_LOC

    @property
    def variance(self):
        # (inf for 1 < df <= 2, NaN for df <= 1)
        undefined = Tensor(np.where(self.df.data > 1, np.inf, np.nan).astype(self._dtype))
        return where_above(self.df, 2, lambda df: self.scale ** 2 * df / (df - 2), undefined)
