"""The univariate continuous distributions, as torch.distributions': Normal, Uniform, Exponential, Laplace, and Gamma
and Beta (their rsample by implicit reparameterisation, reparameterised_gamma.py). Densities, entropies and cdfs are
compositions of autograd_core's operations, differentiable with respect to the parameters (and to the value).

>>> import autograd_core as ag
>>> from autograd_core.distributions import Normal
>>> Normal(0.0, 1.0).log_prob(0.0)  # -log(sqrt(2 pi))
Tensor(-0.91893853)
"""
import math

import numpy as np

from ..ops import abs, broadcast_to, digamma, erf, erfinv, exp, expm1, lgamma, log, log1p, maximum, sign, stack, where
from ..tensor import Tensor
from . import constraints
from .distribution import AT_LOC, Distribution, broadcast_all, xlogy
from .dirichlet import Dirichlet
from .incomplete_gamma import gammainc
from .reparameterised_gamma import floored, standard_gamma

__all__ = ["Beta", "Exponential", "Gamma", "Laplace", "Normal", "Uniform"]

_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


class Normal(Distribution):
    """The normal distribution of mean loc and standard deviation scale (> 0).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Normal
    >>> loc = ag.tensor([0.0, 1.0], requires_grad=True)
    >>> Normal(loc, 2.0).rsample(rng=0).sum().backward()
    >>> loc.grad
    Tensor([1., 1.])
    >>> Normal(0.0, 1.0).cdf(0.0), Normal(0.0, 1.0).icdf(0.975)
    (Tensor(0.5), Tensor(1.95996398))
    """
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale, owner="Normal")
        super().__init__(self.loc.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        eps = self._noise(lambda g, shape: g.standard_normal(shape), sample_shape, source)
        return self.loc + eps * self.scale

    def log_prob(self, value):
        value = self._checked_value(value)
        return -((value - self.loc) ** 2) / (2 * self.scale ** 2) - log(self.scale) - _HALF_LOG_TWO_PI

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return 0.5 * (1 + erf((value - self.loc) / (self.scale * math.sqrt(2))))

    def icdf(self, value):
        return self.loc + self.scale * erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self):
        return 0.5 + _HALF_LOG_TWO_PI + log(self.scale)

    mean = mode = AT_LOC

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.scale ** 2


class Uniform(Distribution):
    """The uniform distribution on [low, high) (low < high). Its support is the closed [low, high], as PyTorch's: high
    is a valid value of log_prob (-inf there) and of cdf (1).

    >>> from autograd_core.distributions import Uniform
    >>> Uniform(0.0, 4.0).log_prob(1.0).exp()
    Tensor(0.25)
    """
    arg_constraints = {"low": constraints.dependent(is_discrete=False, event_dim=0),
                       "high": constraints.dependent(is_discrete=False, event_dim=0)}
    has_rsample = True

    def __init__(self, low, high, validate_args=None):
        self.low, self.high = broadcast_all(low, high, owner="Uniform")
        super().__init__(self.low.shape, validate_args=validate_args)
        if self._validate_args and not np.all(self.low.data < self.high.data):
            raise ValueError(f"Uniform: low must be below high, got low={self.low.data} and high={self.high.data}")

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        return constraints.interval(self.low, self.high)

    def _reparameterised(self, sample_shape, source):
        unit = self._noise(lambda g, shape: g.random(shape), sample_shape, source)
        return self.low + unit * (self.high - self.low)

    def log_prob(self, value):
        value = self._checked_value(value)
        inside = Tensor((self.low.data <= value.data) & (value.data < self.high.data))
        return where(inside, -log(self.high - self.low), -math.inf)

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return ((value - self.low) / (self.high - self.low)).clip(0, 1)

    def icdf(self, value):
        return value * (self.high - self.low) + self.low

    def entropy(self):
        return log(self.high - self.low)

    @property
    def mean(self):
        return (self.high + self.low) / 2

    @property
    def mode(self):
        return self.high * math.nan

    @property
    def variance(self):
        return (self.high - self.low) ** 2 / 12


class Exponential(Distribution):
    """The exponential distribution of rate (> 0): density rate * exp(-rate * x) for x >= 0.

    >>> from autograd_core.distributions import Exponential
    >>> Exponential(2.0).mean
    Tensor(0.5)
    """
    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate, owner="Exponential")
        super().__init__(self.rate.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        return self._noise(lambda g, shape: g.standard_exponential(shape), sample_shape, source) / self.rate

    def log_prob(self, value):
        value = self._checked_value(value)
        return log(self.rate) - self.rate * value

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return 1 - exp(-self.rate * value)

    def icdf(self, value):
        return -log1p(-value) / self.rate

    def entropy(self):
        return 1.0 - log(self.rate)

    @property
    def mean(self):
        return 1 / self.rate

    @property
    def mode(self):
        return self.rate * 0

    @property
    def stddev(self):
        return 1 / self.rate

    @property
    def variance(self):
        return self.rate ** -2


class Laplace(Distribution):
    """The Laplace distribution of location loc and scale (> 0): density exp(-|x - loc| / scale) / (2 scale).

    >>> from autograd_core.distributions import Laplace
    >>> Laplace(0.0, 1.0).variance
    Tensor(2.)
    """
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale, owner="Laplace")
        super().__init__(self.loc.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        # (PyTorch's: u uniform on (-1, 1), kept off -1 by eps so that log1p(-|u|) stays finite)
        eps = np.finfo(self._dtype).eps
        unit = self._noise(lambda g, shape: g.uniform(eps - 1, 1, shape), sample_shape, source)
        return self.loc - self.scale * sign(unit) * log1p(-abs(unit))

    def log_prob(self, value):
        value = self._checked_value(value)
        return -log(2 * self.scale) - abs(value - self.loc) / self.scale

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return 0.5 - 0.5 * sign(value - self.loc) * expm1(-abs(value - self.loc) / self.scale)

    def icdf(self, value):
        term = value - 0.5
        return self.loc - self.scale * sign(term) * log1p(-2 * abs(term))

    def entropy(self):
        return 1 + log(2 * self.scale)

    mean = mode = AT_LOC

    @property
    def stddev(self):
        return math.sqrt(2) * self.scale

    @property
    def variance(self):
        return 2 * self.scale ** 2


class Gamma(Distribution):
    """The gamma distribution of shape concentration (> 0) and rate (> 0); rsample differentiates its samples in
    both by implicit reparameterisation (as PyTorch's).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Gamma
    >>> Gamma(2.0, 4.0).mean
    Tensor(0.5)
    >>> concentration = ag.tensor(2.0, requires_grad=True)
    >>> Gamma(concentration, 4.0).rsample((1000,), rng=0).mean().backward()
    >>> round(concentration.grad.item(), 2)  # d/dconcentration of the mean concentration / rate: 1 / 4
    0.25
    """
    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, concentration, rate, validate_args=None):
        self.concentration, self.rate = broadcast_all(concentration, rate, owner="Gamma")
        super().__init__(self.rate.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        shape = self._extended_shape(sample_shape)
        return floored(standard_gamma(broadcast_to(self.concentration, shape), source) / self.rate)

    def log_prob(self, value):
        value = self._checked_value(value)
        c = self.concentration
        return c * log(self.rate) + xlogy(c - 1, value) - self.rate * value - lgamma(c)

    def cdf(self, value):
        """P(concentration, rate * value), the regularised incomplete gamma function (differentiable in the rate and
        the value, not in the concentration: as PyTorch's)."""
        value = self._checked_value(value, "cdf")
        return gammainc(self.concentration, self.rate * value)

    def entropy(self):
        c = self.concentration
        return c - log(self.rate) + lgamma(c) + (1 - c) * digamma(c)

    @property
    def mean(self):
        return self.concentration / self.rate

    @property
    def mode(self):
        return maximum((self.concentration - 1) / self.rate, 0.0)

    @property
    def variance(self):
        return self.concentration / self.rate ** 2


class Beta(Distribution):
    """The beta distribution on [0, 1] of concentrations concentration1 (alpha, > 0) and concentration0 (beta, > 0);
    rsample is the first coordinate of a Dirichlet sample of (alpha, beta), as PyTorch's.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Beta
    >>> Beta(2.0, 2.0).mean
    Tensor(0.5)
    >>> Beta(ag.tensor(2.0, requires_grad=True), 2.0).rsample((3,), rng=0).shape
    (3,)
    """
    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None):
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0, owner="Beta")
        super().__init__(self.concentration1.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        both = stack([self.concentration1, self.concentration0], -1)
        return Dirichlet(both, validate_args=False)._reparameterised(sample_shape, source)[..., 0]

    def _log_normaliser(self):
        """log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)."""
        a, b = self.concentration1, self.concentration0
        return lgamma(a) + lgamma(b) - lgamma(a + b)

    def log_prob(self, value):
        value = self._checked_value(value)
        a, b = self.concentration1, self.concentration0
        return xlogy(a - 1, value) + xlogy(b - 1, 1 - value) - self._log_normaliser()

    def entropy(self):
        a, b = self.concentration1, self.concentration0
        return self._log_normaliser() - (a - 1) * digamma(a) - (b - 1) * digamma(b) + (a + b - 2) * digamma(a + b)

    @property
    def mean(self):
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self):
        # (PyTorch's, from the Dirichlet: with both concentrations below 1 the mode is the end of the larger one)
        a1, b1 = maximum(self.concentration1 - 1, 0.0), maximum(self.concentration0 - 1, 0.0)
        both_below_one = Tensor((self.concentration1.data < 1) & (self.concentration0.data < 1))
        larger_end = Tensor((self.concentration1.data >= self.concentration0.data).astype(self._dtype))
        return where(both_below_one, larger_end, a1 / where(both_below_one, 1.0, a1 + b1))

    @property
    def variance(self):
        a, b = self.concentration1, self.concentration0
        total = a + b
        return a * b / (total ** 2 * (total + 1))


