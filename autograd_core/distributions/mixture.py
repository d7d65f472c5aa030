"""Mixtures of K components of one family, as torch.distributions.MixtureSameFamily: a Categorical picks the
component, whose batch's last axis holds the K components (a Gaussian mixture is a Categorical over K and a Normal,
or an Independent Normal, with K along its last batch axis). log_prob is a logsumexp over the components of the
mixing log-weights plus the components' log densities, so it is differentiable in all the parameters.

>>> import autograd_core as ag
>>> from autograd_core.distributions import Categorical, MixtureSameFamily, Normal
>>> gmm = MixtureSameFamily(Categorical(probs=ag.tensor([0.5, 0.5])), Normal(ag.tensor([-1.0, 1.0]), 1.0))
>>> gmm.mean, gmm.variance  # the law of total variance: 1 + 1
(Tensor(0.), Tensor(2.))
"""
import numpy as np

from .._arguments import broadcasts_to
from ..ops import expand_dims, log_softmax, logsumexp
from ..tensor import Tensor
from . import constraints
from .discrete import Categorical
from .distribution import Distribution

__all__ = ["MixtureSameFamily"]


class MixtureSameFamily(Distribution):
    """The mixture with weights mixture_distribution (a Categorical of batch_shape B over K) of the components of
    component_distribution (of batch_shape B + (K,)); its batch_shape is B and its event_shape the components'.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Categorical, Independent, MixtureSameFamily, Normal
    >>> mix = Categorical(logits=ag.zeros(3))
    >>> components = Independent(Normal(ag.zeros((3, 2)), ag.ones((3, 2))), 1)
    >>> gmm = MixtureSameFamily(mix, components)
    >>> gmm.batch_shape, gmm.event_shape, gmm.sample((5,)).shape, gmm.log_prob(ag.zeros(2)).shape
    ((), (2,), (5, 2), ())
    """
    arg_constraints = {}
    has_rsample = False

    def __init__(self, mixture_distribution, component_distribution, validate_args=None):
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError(f"MixtureSameFamily: mixture_distribution must be a Categorical, got "
                             f"{type(mixture_distribution).__name__}")
        if not isinstance(component_distribution, Distribution):
            raise ValueError(f"MixtureSameFamily: component_distribution must be a Distribution, got "
                             f"{type(component_distribution).__name__}")
        component_batch = component_distribution.batch_shape
        if len(component_batch) < 1:
            raise ValueError("MixtureSameFamily: component_distribution's batch_shape must hold the components along "
                             "its last axis, got batch_shape ()")
        mixture_batch, count = mixture_distribution.batch_shape, mixture_distribution._num_events
        batch_shape = component_batch[:-1]
        if not broadcasts_to(mixture_batch, batch_shape):
            raise ValueError(f"MixtureSameFamily: mixture_distribution's batch_shape {mixture_batch} must broadcast "
                             f"to component_distribution's batch_shape without its last axis, {batch_shape}")
        if count != component_batch[-1]:
            raise ValueError(f"MixtureSameFamily: mixture_distribution has {count} components but "
                             f"component_distribution has {component_batch[-1]} along its last batch axis")
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        self._event_ndims = len(component_distribution.event_shape)
        super().__init__(batch_shape, component_distribution.event_shape, validate_args=validate_args)

    @property
    def mixture_distribution(self):
        """The Categorical over the components."""
        return self._mixture_distribution

    @property
    def component_distribution(self):
        """The components, along the last batch axis."""
        return self._component_distribution

    def _expand_parameters(self, old_batch_shape, batch_shape):
        count = self._mixture_distribution._num_events
        self._component_distribution = self._component_distribution.expand(batch_shape + (count,))
        self._mixture_distribution = self._mixture_distribution.expand(batch_shape)

    @constraints.dependent_property
    def support(self):
        return self._component_distribution.support

    @property
    def _dtype(self):
        return self._component_distribution._dtype

    def _weights(self):
        """The mixing probabilities with the event's axes appended, to weigh quantities of the components."""
        probs = self._mixture_distribution.probs
        return probs.reshape(probs.shape + (1,) * self._event_ndims)

    def _over_components(self, values):
        """values (... B K E) weighed by the mixing probabilities and summed over K."""
        return (self._weights() * values).sum(-1 - self._event_ndims)

    @property
    def mean(self):
        return self._over_components(self._component_distribution.mean)

    @property
    def variance(self):
        # (the law of total variance: the mean of the variances plus the variance of the means)
        means = self._component_distribution.mean
        mean_of_variances = self._over_components(self._component_distribution.variance)
        overall = expand_dims(self.mean, -1 - self._event_ndims)
        return mean_of_variances + self._over_components((means - overall) ** 2)

    def log_prob(self, value):
        value = self._checked_value(value)
        component_log_probs = self._component_distribution.log_prob(expand_dims(value, -1 - self._event_ndims))
        mixing_log_probs = log_softmax(self._mixture_distribution.logits, axis=-1)
        return logsumexp(component_log_probs + mixing_log_probs, axis=-1)

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        component_cdfs = self._component_distribution.cdf(expand_dims(value, -1 - self._event_ndims))
        return (component_cdfs * self._mixture_distribution.probs).sum(-1)

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        source = self._generator(rng, generator, "sample")
        chosen = self._mixture_distribution.sample(sample_shape, rng=source).data  # (S + B)
        samples = self._component_distribution.sample(sample_shape, rng=source).data  # (S + B + (K,) + E)
        batch_axes = len(sample_shape) + len(self.batch_shape)
        # (the mixture's batch may be shorter than the components': its axes align on the right)
        mixture_batch = self._mixture_distribution.batch_shape
        chosen = chosen.reshape(chosen.shape[:len(chosen.shape) - len(mixture_batch)]
                                + (1,) * (len(self.batch_shape) - len(mixture_batch)) + mixture_batch)
        chosen = np.broadcast_to(chosen, samples.shape[:batch_axes]).reshape(
            samples.shape[:batch_axes] + (1,) * (1 + self._event_ndims))
        chosen = np.broadcast_to(chosen, samples.shape[:batch_axes] + (1,) + self.event_shape)
        return Tensor(np.take_along_axis(samples, chosen, axis=batch_axes).squeeze(batch_axes))

    def __repr__(self):
        return (f"MixtureSameFamily(\n  {self._mixture_distribution!r},\n  {self._component_distribution!r})")

