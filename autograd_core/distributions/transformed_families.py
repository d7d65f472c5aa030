"""The families torch.distributions builds as TransformedDistributions of simpler ones, built the same way here so that
their samples (and rsample's gradients) are those of the maps: Gumbel (uniform noise through -log(-log u)), Pareto
(an exponential through exp and a scale), Weibull (an exponential through a power and a scale), Kumaraswamy (a
uniform through powers), HalfCauchy (|Cauchy|) and LogisticNormal (a normal vector through stick-breaking onto the
simplex). Their log_prob, cdf, icdf, entropy and moments are the closed forms, as PyTorch's.

>>> from autograd_core.distributions import Gumbel, Pareto
>>> Gumbel(0.0, 1.0).cdf(0.0), Pareto(1.0, 3.0).mean  # exp(-1), 3 / 2
(Tensor(0.36787944), Tensor(1.5))
"""
import math

import numpy as np

from ..ops import digamma, exp, expm1, lgamma, log, log1p, where
from ..tensor import Tensor
from . import constraints
from .continuous import Exponential, Normal, Uniform
from .distribution import AT_LOC, Distribution, broadcast_all, shown_parameter, where_above
from .heavy_tailed import Cauchy
from .transformed import FoldedAtZero, TransformedDistribution
from .transforms import AffineTransform, ExpTransform, PowerTransform, StickBreakingTransform

__all__ = ["Gumbel", "HalfCauchy", "Kumaraswamy", "LogisticNormal", "Pareto", "Weibull"]

EULER_GAMMA = 0.57721566490153286060


class _OwnParameters(TransformedDistribution):
    """A TransformedDistribution that holds its own parameters (those of arg_constraints, validated by
    Distribution) beside those its base and transforms hold: expand broadcasts both."""

    def _validated_first(self, validate_args):
        """Check the parameters (as Distribution does) before the transforms are built from them: a zero
        concentration is refused by name rather than divided by."""
        if Distribution._validate_args if validate_args is None else validate_args:
            for name, constraint in self.arg_constraints.items():
                self._check(name, getattr(self, name), constraint, "parameter")

    def _expand_parameters(self, old_batch_shape, batch_shape):
        Distribution._expand_parameters(self, old_batch_shape, batch_shape)
        super()._expand_parameters(old_batch_shape, batch_shape)

    def __repr__(self):
        return Distribution.__repr__(self)


class Gumbel(_OwnParameters):
    """The Gumbel (type-I extreme value) distribution of location loc and scale (> 0): the law of the maximum of many
    light-tailed draws; cdf exp(-exp(-(x - loc) / scale)). Samples are loc - scale log(-log u), u uniform.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Gumbel
    >>> Gumbel(1.0, 2.0).mode, Gumbel(0.0, 1.0).log_prob(0.0)  # loc; -1
    (Tensor(1.), Tensor(-1.))
    """
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale, owner="Gumbel")
        info = np.finfo(self.loc.dtype)
        base = Uniform(np.full(self.loc.shape, info.tiny, self.loc.dtype),
                       np.full(self.loc.shape, 1 - info.eps, self.loc.dtype), validate_args=validate_args)
        transforms = [ExpTransform().inv, AffineTransform(0.0, -np.ones(self.loc.shape, self.loc.dtype)),
                      ExpTransform().inv, AffineTransform(self.loc, -self.scale)]
        super().__init__(base, transforms, validate_args=validate_args)

    def log_prob(self, value):
        value = self._checked_value(value)
        z = (self.loc - value) / self.scale
        return z - exp(z) - log(self.scale)

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return exp(-exp((self.loc - value) / self.scale))

    def icdf(self, value):
        return self.loc - self.scale * log(-log(value))

    def entropy(self):
        return log(self.scale) + (1 + EULER_GAMMA)

    @property
    def mean(self):
        return self.loc + self.scale * EULER_GAMMA

    mode = AT_LOC

    @property
    def stddev(self):
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def variance(self):
        return self.stddev ** 2


class Pareto(_OwnParameters):
    """The Pareto distribution of scale (> 0, the least value) and shape alpha (> 0): density
    alpha scale^alpha / x^(alpha + 1) for x >= scale; scale exp(e) for e exponential of rate alpha. The mean is inf
    for alpha <= 1, the variance inf for alpha <= 2 (as PyTorch's).

    >>> from autograd_core.distributions import Pareto
    >>> Pareto(2.0, 1.0).cdf(4.0), Pareto(1.0, 2.0).variance
    (Tensor(0.5), Tensor(inf))
    """
    arg_constraints = {"scale": constraints.positive, "alpha": constraints.positive}
    has_rsample = True

    def __init__(self, scale, alpha, validate_args=None):
        self.scale, self.alpha = broadcast_all(scale, alpha, owner="Pareto")
        self._validated_first(validate_args)
        super().__init__(Exponential(self.alpha, validate_args=validate_args),
                         [ExpTransform(), AffineTransform(0.0, self.scale)], validate_args=validate_args)

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        return constraints.greater_than_eq(self.scale)

    def log_prob(self, value):
        value = self._checked_value(value)
        return log(self.alpha) + self.alpha * log(self.scale) - (self.alpha + 1) * log(value)

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return 1 - (self.scale / value) ** self.alpha

    def icdf(self, value):
        return self.scale * (1 - value) ** (-1 / self.alpha)

    def entropy(self):
        return log(self.scale / self.alpha) + (1 + 1 / self.alpha)

    @property
    def mean(self):
        return where_above(self.alpha, 1, lambda alpha: self.scale * alpha / (alpha - 1), math.inf)

    @property
    def mode(self):
        return self.scale

    @property
    def variance(self):
        return where_above(self.alpha, 2, lambda alpha: self.scale ** 2 * alpha / ((alpha - 1) ** 2 * (alpha - 2)),
                           math.inf)


class Weibull(_OwnParameters):
    """The Weibull distribution of scale (> 0) and shape concentration (> 0): cdf 1 - exp(-(x / scale)^k) for
    x >= 0; scale e^(1 / k) for e standard exponential.

    >>> from autograd_core.distributions import Weibull
    >>> Weibull(2.0, 1.0).mean, Weibull(2.0, 3.0).cdf(2.0)  # the exponential's; 1 - exp(-1) at the scale
    (Tensor(2.), Tensor(0.63212056))
    """
    arg_constraints = {"scale": constraints.positive, "concentration": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, scale, concentration, validate_args=None):
        self.scale, self.concentration = broadcast_all(scale, concentration, owner="Weibull")
        self._validated_first(validate_args)
        base = Exponential(np.ones(self.scale.shape, self.scale.dtype), validate_args=validate_args)
        super().__init__(base, [PowerTransform(1 / self.concentration), AffineTransform(0.0, self.scale)],
                         validate_args=validate_args)

    def log_prob(self, value):
        value = self._checked_value(value)
        k, z = self.concentration, value / self.scale
        return log(k / self.scale) + (k - 1) * log(z) - z ** k

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return -expm1(-(value / self.scale) ** self.concentration)

    def icdf(self, value):
        return self.scale * (-log1p(-value)) ** (1 / self.concentration)

    def entropy(self):
        return EULER_GAMMA * (1 - 1 / self.concentration) + log(self.scale / self.concentration) + 1

    @property
    def mean(self):
        return self.scale * exp(lgamma(1 + 1 / self.concentration))

    @property
    def mode(self):
        # scale ((k - 1) / k)^(1 / k) for k > 1, and 0 for k <= 1, where the density is largest at 0 (PyTorch's
        # formula raises the negative (k - 1) / k to the power 1 / k there)
        return where_above(self.concentration, 1, lambda k: self.scale * ((k - 1) / k) ** (1 / k), 0.0)

    @property
    def variance(self):
        k = self.concentration
        return self.scale ** 2 * (exp(lgamma(1 + 2 / k)) - exp(2 * lgamma(1 + 1 / k)))


class Kumaraswamy(_OwnParameters):
    """The Kumaraswamy distribution on (0, 1) of concentrations concentration1 (a, > 0) and concentration0 (b, > 0):
    density a b x^(a - 1) (1 - x^a)^(b - 1), cdf 1 - (1 - x^a)^b; a Beta-like law whose cdf has a closed form, so
    samples are (1 - u^(1 / b))^(1 / a), u uniform.

    >>> from autograd_core.distributions import Kumaraswamy
    >>> Kumaraswamy(1.0, 1.0).log_prob(0.3), Kumaraswamy(2.0, 1.0).mean  # uniform; 2 / 3
    (Tensor(0.), Tensor(0.66666667))
    """
    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None):
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0, owner="Kumaraswamy")
        self._validated_first(validate_args)
        shape, dtype = self.concentration1.shape, self.concentration1.dtype
        base = Uniform(np.zeros(shape, dtype), np.ones(shape, dtype), validate_args=validate_args)
        transforms = [PowerTransform(1 / self.concentration0), AffineTransform(1.0, -1.0),
                      PowerTransform(1 / self.concentration1)]
        super().__init__(base, transforms, validate_args=validate_args)

    def log_prob(self, value):
        value = self._checked_value(value)
        a, b = self.concentration1, self.concentration0
        return log(a) + log(b) + (a - 1) * log(value) + (b - 1) * log1p(-value ** a)

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return 1 - (1 - value ** self.concentration1) ** self.concentration0

    def icdf(self, value):
        return (1 - (1 - value) ** (1 / self.concentration0)) ** (1 / self.concentration1)

    def _moment(self, n):
        """E[x^n] = b B(1 + n / a, b)."""
        a, b = self.concentration1, self.concentration0
        return exp(log(b) + lgamma(1 + n / a) + lgamma(b) - lgamma(1 + b + n / a))

    def entropy(self):
        a, b = self.concentration1, self.concentration0
        return (1 - 1 / b) + (1 - 1 / a) * (digamma(b + 1) + EULER_GAMMA) - log(a) - log(b)

    @property
    def mean(self):
        return self._moment(1)

    @property
    def mode(self):
        # ((a - 1) / (a b - 1))^(1 / a) where a, b >= 1 (not both 1), NaN elsewhere (PyTorch's intent: its log-space
        # formula takes log1p(-b), NaN for b > 1 too)
        a, b = self.concentration1, self.concentration0
        defined = Tensor((a.data >= 1) & (b.data >= 1) & (a.data * b.data > 1))
        ratio = where(defined, (a - 1) / where(defined, a * b - 1, 1.0), 1.0)
        return where(defined, ratio ** (1 / a), math.nan)

    @property
    def variance(self):
        return self._moment(2) - self._moment(1) ** 2


class HalfCauchy(FoldedAtZero):
    """The distribution of |x| for x Cauchy of location 0 and scale (> 0); it has no mean and no variance (inf, as
    PyTorch's).

    >>> from autograd_core.distributions import HalfCauchy
    >>> HalfCauchy(1.0).cdf(1.0), HalfCauchy(2.0).icdf(0.5)  # 2 atan(1) / pi; the median is the scale
    (Tensor(0.5), Tensor(2.))
    """
    arg_constraints = {"scale": constraints.positive}

    def __init__(self, scale, validate_args=None):
        (scale,) = broadcast_all(scale, owner="HalfCauchy")
        super().__init__(Cauchy(0.0, scale, validate_args=validate_args), validate_args=validate_args)

    @property
    def mean(self):
        return self._filled(np.inf)

    @property
    def mode(self):
        return self.scale * 0

    @property
    def variance(self):
        return self._filled(np.inf)

    def __repr__(self):
        return f"HalfCauchy(scale: {shown_parameter(self.scale)})"


class LogisticNormal(TransformedDistribution):
    """The distribution on the simplex of K + 1 parts of stick-breaking (StickBreakingTransform) applied to a
    normal vector of K independent coordinates of means loc and standard deviations scale (> 0); a scalar loc and
    scale give K = 1 (PyTorch's).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import LogisticNormal
    >>> d = LogisticNormal(ag.zeros(2), ag.ones(2))
    >>> d.event_shape, d.sample((4,), rng=0).sum(-1)
    ((3,), Tensor([1., 1., 1., 1.]))
    """
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        base = Normal(loc, scale, validate_args=validate_args)
        if not base.batch_shape:
            base = base.expand((1,))
        super().__init__(base, StickBreakingTransform(), validate_args=validate_args)

    loc = property(lambda self: self.base_dist.base_dist.loc, doc="The means of the normal coordinates.")
    scale = property(lambda self: self.base_dist.base_dist.scale, doc="Their standard deviations.")

    def __repr__(self):
        return f"LogisticNormal(loc: {shown_parameter(self.loc)}, scale: {shown_parameter(self.scale)})"
