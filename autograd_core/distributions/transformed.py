"""Distributions of y = t(x) for x drawn from a base distribution, as torch.distributions.TransformedDistribution:
sample and rsample map the base's samples through the transforms; log_prob maps the value back and subtracts each
transform's log|det Jacobian| (the change of variables). LogNormal (Normal through exp) and HalfNormal (Normal
through abs) are built this way, as in PyTorch.

>>> import autograd_core as ag
>>> from autograd_core.distributions import LogNormal
>>> LogNormal(0.0, 1.0).log_prob(1.0)  # the standard normal's density at log(1) = 0
Tensor(-0.91893853)
"""
import math

import numpy as np

from ..grad_mode import no_grad
from ..ops import where
from ..tensor import Tensor
from . import constraints
from .continuous import Normal
from .distribution import Distribution, shown_parameter, sum_rightmost
from .multivariate import Independent
from .transforms import AbsTransform, ComposeTransform, ExpTransform, Transform

__all__ = ["HalfNormal", "LogNormal", "TransformedDistribution"]


class TransformedDistribution(Distribution):
    """base_distribution pushed through transforms (a Transform or a list of them, applied in order).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Normal, TransformedDistribution
    >>> from autograd_core.distributions.transforms import AffineTransform, ExpTransform
    >>> d = TransformedDistribution(Normal(0.0, 1.0), [AffineTransform(1.0, 2.0), ExpTransform()])
    >>> d.sample((3,)).shape, d.support
    ((3,), GreaterThan(lower_bound=0.0))
    """
    arg_constraints = {}

    def __init__(self, base_distribution, transforms, validate_args=None):
        if not isinstance(base_distribution, Distribution):
            raise TypeError(f"{type(self).__name__}: base_distribution must be a Distribution, got "
                            f"{type(base_distribution).__name__}")
        if isinstance(transforms, Transform):
            transforms = [transforms]
        if not isinstance(transforms, (list, tuple)) or not all(isinstance(t, Transform) for t in transforms):
            raise TypeError(f"{type(self).__name__}: transforms must be a Transform or a list of Transforms, got "
                            f"{transforms!r}")
        self.transforms = list(transforms)
        base_shape = base_distribution.batch_shape + base_distribution.event_shape
        base_event_dim = len(base_distribution.event_shape)
        transform = ComposeTransform(self.transforms)
        if len(base_shape) < transform.domain.event_dim:
            raise ValueError(f"{type(self).__name__}: the base distribution's shape {base_shape} has fewer axes than "
                             f"the transforms' events need ({transform.domain.event_dim})")
        forward_shape = transform.forward_shape(base_shape)
        expanded_base_shape = transform.inverse_shape(forward_shape)
        if base_shape != expanded_base_shape:  # (an AffineTransform with a larger loc or scale widens the batch)
            base_distribution = base_distribution.expand(expanded_base_shape[:len(expanded_base_shape)
                                                                             - base_event_dim])
        reinterpreted = transform.domain.event_dim - base_event_dim
        self.base_dist = Independent(base_distribution, reinterpreted) if reinterpreted > 0 else base_distribution
        event_dim = transform.codomain.event_dim + max(base_event_dim - transform.domain.event_dim, 0)
        cut = len(forward_shape) - event_dim
        super().__init__(forward_shape[:cut], forward_shape[cut:], validate_args=validate_args)

    def _expand_parameters(self, old_batch_shape, batch_shape):
        self.base_dist = self.base_dist.expand(batch_shape + self.base_dist.batch_shape[len(old_batch_shape):])

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @constraints.dependent_property(is_discrete=False)
    def support(self):
        if not self.transforms:
            return self.base_dist.support
        codomain = self.transforms[-1].codomain
        missing = len(self.event_shape) - codomain.event_dim
        return constraints.independent(codomain, missing) if missing > 0 else codomain

    @property
    def _dtype(self):
        return self.base_dist._dtype

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        with no_grad():
            x = self.base_dist.sample(sample_shape, rng=rng, generator=generator)
            for transform in self.transforms:
                x = transform(x)
        return x.detach()

    def rsample(self, sample_shape=(), *, rng=None, generator=None):
        if not self.has_rsample:
            raise NotImplementedError(f"{type(self).__name__} has no rsample: its base distribution "
                                      f"{type(self.base_dist).__name__} has none; use sample()")
        x = self.base_dist.rsample(sample_shape, rng=rng, generator=generator)
        for transform in self.transforms:
            x = transform(x)
        return x

    def log_prob(self, value):
        """The base's log density at the value mapped back, minus the log|det Jacobian| of each transform."""
        y = self._checked_value(value)
        event_dim, log_prob = len(self.event_shape), 0.0
        for transform in reversed(self.transforms):
            x = transform.inv(y)
            event_dim += transform.domain.event_dim - transform.codomain.event_dim
            log_prob = log_prob - sum_rightmost(transform.log_abs_det_jacobian(x, y),
                                                event_dim - transform.domain.event_dim)
            y = x
        return log_prob + sum_rightmost(self.base_dist.log_prob(y), event_dim - len(self.base_dist.event_shape))

    def _monotone_sign(self, method):
        sign = 1
        for transform in self.transforms:
            if not transform.bijective:
                raise NotImplementedError(f"{type(self).__name__}.{method} needs bijective transforms, got "
                                          f"{transform!r}")
            sign = sign * transform.sign
        return sign

    def cdf(self, value):
        """The base's cdf at the value mapped back (1 minus it through a decreasing map)."""
        sign = self._monotone_sign("cdf")
        value = self._checked_value(value, "cdf")
        for transform in reversed(self.transforms):
            value = transform.inv(value)
        return _monotonised(self.base_dist.cdf(value), sign)

    def icdf(self, value):
        """The base's icdf mapped forward."""
        sign = self._monotone_sign("icdf")
        value = self.base_dist.icdf(_monotonised(value, sign))
        for transform in self.transforms:
            value = transform(value)
        return value

    def __repr__(self):
        return f"{type(self).__name__}({self.base_dist!r}, {self.transforms!r})"


def _monotonised(value, sign):
    """value through an increasing map (sign 1) as it is, 1 - value through a decreasing one (-1); sign a Tensor of
    signs (an AffineTransform of several scales) chooses elementwise, as PyTorch's _monotonize_cdf."""
    if isinstance(sign, int):
        return value if sign == 1 else 1 - value if sign == -1 else value * 0 + 0.5
    return sign * (value - 0.5) + 0.5


class LogNormal(TransformedDistribution):
    """The distribution of exp(x) for x normal of mean loc and standard deviation scale.

    >>> from autograd_core.distributions import LogNormal
    >>> LogNormal(0.0, 1.0).mean  # exp(1/2)
    Tensor(1.64872127)
    """
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        super().__init__(Normal(loc, scale, validate_args=validate_args), ExpTransform(), validate_args=validate_args)

    loc = property(lambda self: self.base_dist.loc, doc="The mean of log(x).")
    scale = property(lambda self: self.base_dist.scale, doc="The standard deviation of log(x).")

    def entropy(self):
        return self.base_dist.entropy() + self.loc

    @property
    def mean(self):
        return (self.loc + self.scale ** 2 / 2).exp()

    @property
    def mode(self):
        return (self.loc - self.scale ** 2).exp()

    @property
    def variance(self):
        variance = self.scale ** 2
        return variance.expm1() * (2 * self.loc + variance).exp()

    def __repr__(self):
        return f"LogNormal(loc: {shown_parameter(self.loc)}, scale: {shown_parameter(self.scale)})"


class FoldedAtZero(TransformedDistribution):
    """The distribution of |x| for x from a base distribution symmetric about 0 (HalfNormal, HalfCauchy): twice the
    base's density on [0, inf), its cdf 2 F(x) - 1, its entropy the base's less log 2. Subclasses set scale,
    arg_constraints and the moments."""
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, base, validate_args=None):
        super().__init__(base, AbsTransform(), validate_args=validate_args)

    scale = property(lambda self: self.base_dist.scale, doc="The scale of the distribution folded.")

    def log_prob(self, value):
        value = self._checked_value(value)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return where(Tensor(np.asarray(value.data) >= 0), log_prob, -math.inf)

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, value):
        return self.base_dist.icdf((value + 1) / 2)

    def entropy(self):
        return self.base_dist.entropy() - math.log(2)


class HalfNormal(FoldedAtZero):
    """The distribution of |x| for x normal of mean 0 and standard deviation scale.

    >>> from autograd_core.distributions import HalfNormal
    >>> HalfNormal(1.0).log_prob(0.0)  # log(2) - log(sqrt(2 pi))
    Tensor(-0.22579135)
    """
    arg_constraints = {"scale": constraints.positive}

    def __init__(self, scale, validate_args=None):
        super().__init__(Normal(0.0, scale, validate_args=validate_args), validate_args=validate_args)

    @property
    def mean(self):
        return self.scale * math.sqrt(2 / math.pi)

    @property
    def mode(self):
        return self.scale * 0

    @property
    def variance(self):
        return self.scale ** 2 * (1 - 2 / math.pi)

    def __repr__(self):
        return f"HalfNormal(scale: {shown_parameter(self.scale)})"
