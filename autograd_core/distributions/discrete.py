"""The discrete distributions, as torch.distributions': Bernoulli, Categorical, OneHotCategorical (each given
probs or logits, not both) and Poisson. Samples are constants (no rsample); log_prob and entropy are differentiable
with respect to the parameters, which is what the score-function (REINFORCE) gradient needs.

>>> import autograd_core as ag
>>> from autograd_core.distributions import Categorical
>>> m = Categorical(logits=ag.zeros(4))
>>> m.log_prob(2).exp(), m.entropy().exp()
(Tensor(0.25), Tensor(4.))
"""
import numpy as np

from ..ops import argmax, clip, lgamma, log, log1p, logsumexp, sigmoid, softplus, take_along_axis
from ..tensor import Tensor, as_value
from . import constraints
from .distribution import Distribution, broadcast_all, broadcast_to_shape, lazy_property, xlogy

__all__ = ["Bernoulli", "Categorical", "OneHotCategorical", "Poisson"]


def _probs_or_logits(owner, probs, logits):
    """("probs", probs) or ("logits", logits), whichever is given; a ValueError naming owner for both or neither."""
    if (probs is None) == (logits is None):
        raise ValueError(f"{owner}: give either probs or logits, not both (got "
                         f"{'both' if probs is not None else 'neither'})")
    return ("probs", probs) if probs is not None else ("logits", logits)


def _clamped(probs):
    """probs kept eps from 0 and 1 (PyTorch's clamp_probs), so that their logits are finite."""
    eps = float(np.finfo(probs.dtype).eps)
    return clip(probs, eps, 1 - eps)


def binary_logits(probs):
    """log(p / (1 - p)) of probs kept eps from 0 and 1 (PyTorch's probs_to_logits(probs, is_binary=True)): the
    logits of a Bernoulli, Binomial or Geometric given probs.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.discrete import binary_logits
    >>> binary_logits(ag.tensor([0.5, 0.75]))
    Tensor([0.        , 1.09861229])
    """
    clamped = _clamped(probs)
    return log(clamped) - log1p(-clamped)


class _ProbsOrLogits:
    """probs and logits of a distribution of one success probability (Bernoulli, Binomial, Geometric), given
    either: the other is computed from it on first use (sigmoid, or binary_logits)."""

    def _set_probs_or_logits(self, probs, logits, *others):
        """Set whichever of probs and logits is given, broadcast with the other parameters (Binomial's
        total_count); returns those, broadcast, then the one set."""
        owner = type(self).__name__
        name, given = _probs_or_logits(owner, probs, logits)
        broadcast = broadcast_all(*others, given, owner=owner)
        setattr(self, name, broadcast[-1])
        return broadcast

    @lazy_property
    def probs(self):
        """The success probability (sigmoid(logits) where logits were given)."""
        return sigmoid(self.logits)

    @lazy_property
    def logits(self):
        """The log-odds of success (binary_logits(probs) where probs were given)."""
        return binary_logits(self.probs)


class Bernoulli(_ProbsOrLogits, Distribution):
    """The Bernoulli distribution: 1 with probability probs (or sigmoid(logits)), 0 otherwise.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Bernoulli
    >>> logits = ag.tensor(0.0, requires_grad=True)
    >>> Bernoulli(logits=logits).log_prob(1.0).backward()
    >>> logits.grad  # 1 - sigmoid(0)
    Tensor(0.5)
    """
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        (given,) = self._set_probs_or_logits(probs, logits)
        super().__init__(given.shape, validate_args=validate_args)

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        unit = self._generator(rng, generator, "sample").random(self._extended_shape(sample_shape))
        return Tensor((unit < self.probs.data).astype(self._dtype))

    def log_prob(self, value):
        value = self._checked_value(value)
        return value * self.logits - softplus(self.logits)  # (-binary_cross_entropy_with_logits, stable)

    def entropy(self):
        return softplus(self.logits) - self.probs * self.logits

    def enumerate_support(self, expand=True):
        """The values 0 and 1, along a new first axis (broadcast over the batch when expand)."""
        values = np.arange(2, dtype=self._dtype).reshape((2,) + (1,) * len(self.batch_shape))
        return Tensor(np.broadcast_to(values, (2,) + self.batch_shape).copy() if expand else values)

    @property
    def mean(self):
        return self.probs

    @property
    def mode(self):
        mode = (self.probs.data >= 0.5).astype(self._dtype)
        return Tensor(np.where(self.probs.data == 0.5, np.nan, mode))  # (no single mode at 0.5)

    @property
    def variance(self):
        return self.probs * (1 - self.probs)


class Categorical(Distribution):
    """The distribution over the classes 0 .. K-1 of the last axis of probs (normalised to sum to 1) or logits
    (normalised with logsumexp); the axes before it are the batch.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Categorical
    >>> m = Categorical(probs=ag.tensor([[1.0, 3.0], [1.0, 1.0]]))
    >>> m.batch_shape, m.probs
    ((2,), Tensor([[0.25, 0.75],
            [0.5 , 0.5 ]]))
    >>> m.log_prob(ag.tensor([1, 0])).exp()
    Tensor([0.75, 0.5 ])
    """
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        _, given = _probs_or_logits(type(self).__name__, probs, logits)
        (given,) = broadcast_all(given, owner=type(self).__name__)
        if given.ndim < 1:
            raise ValueError(f"{type(self).__name__}: {'probs' if logits is None else 'logits'} must be at least "
                             f"one-dimensional (the classes along the last axis), got a scalar")
        if logits is None:
            self.probs = given / given.sum(-1, keepdims=True)
        else:
            self.logits = given - logsumexp(given, axis=-1, keepdims=True)
        self._num_events = given.shape[-1]
        super().__init__(given.shape[:-1], validate_args=validate_args)

    @lazy_property
    def probs(self):
        return self.logits.exp()

    @lazy_property
    def logits(self):
        return log(_clamped(self.probs))

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self._num_events - 1)

    @property
    def param_shape(self):
        return self.batch_shape + (self._num_events,)

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        shape = self._extended_shape(sample_shape)
        unit = self._generator(rng, generator, "sample").random(shape + (1,))
        cumulative = np.cumsum(np.asarray(self.probs.data, dtype=np.float64), axis=-1)
        # (the first class whose cumulative probability exceeds the uniform draw: inverse-cdf sampling; the clip
        # guards the last class against a total that rounds below 1)
        classes = np.minimum((cumulative < unit * cumulative[..., -1:]).sum(-1), self._num_events - 1)
        return Tensor(classes.astype(np.int64))

    def log_prob(self, value):
        value = self._checked_value(value)
        indices = np.asarray(value.data).astype(np.int64)[..., None]
        shape = np.broadcast_shapes(indices.shape, self.logits.shape)
        return take_along_axis(broadcast_to_shape(self.logits, shape), np.broadcast_to(indices, shape[:-1] + (1,)),
                               axis=-1)[..., 0]

    def entropy(self):
        # (logits of probability 0 are -inf: clamped to the dtype's minimum, 0 * that is 0, not NaN)
        logits = clip(self.logits, float(np.finfo(self.logits.dtype).min), None)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand=True):
        """The classes 0 .. K-1 along a new first axis (broadcast over the batch when expand)."""
        values = np.arange(self._num_events).reshape((-1,) + (1,) * len(self.batch_shape))
        return Tensor(np.broadcast_to(values, (self._num_events,) + self.batch_shape).copy() if expand else values)

    @property
    def mean(self):
        return self._filled(np.nan)

    @property
    def mode(self):
        return argmax(self.probs, axis=-1)

    @property
    def variance(self):
        return self._filled(np.nan)


class OneHotCategorical(Distribution):
    """Categorical's classes as one-hot vectors: the event_shape is (K,).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import OneHotCategorical
    >>> m = OneHotCategorical(probs=ag.tensor([0.0, 1.0, 0.0]))
    >>> m.sample()
    Tensor([0., 1., 0.])
    """
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        self._categorical = Categorical(probs, logits, validate_args=validate_args)
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    def _expand_parameters(self, old_batch_shape, batch_shape):
        self._categorical = self._categorical.expand(batch_shape)

    @property
    def probs(self):
        return self._categorical.probs

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def param_shape(self):
        return self._categorical.param_shape

    @property
    def _dtype(self):
        return self._categorical._dtype

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        classes = self._categorical.sample(sample_shape, rng=rng, generator=generator).data
        return Tensor((classes[..., None] == np.arange(self.event_shape[0])).astype(self._dtype))

    def log_prob(self, value):
        value = self._checked_value(value)
        return self._categorical.log_prob(np.argmax(as_value(value), axis=-1))

    def entropy(self):
        return self._categorical.entropy()

    def enumerate_support(self, expand=True):
        """The K one-hot vectors along a new first axis (broadcast over the batch when expand)."""
        count = self.event_shape[0]
        values = np.eye(count, dtype=self._dtype).reshape((count,) + (1,) * len(self.batch_shape) + (count,))
        shape = (count,) + self.batch_shape + (count,)
        return Tensor(np.broadcast_to(values, shape).copy() if expand else values)

    @property
    def mean(self):
        return self.probs

    @property
    def mode(self):
        return Tensor((np.argmax(self.probs.data, -1)[..., None] == np.arange(self.event_shape[0]))
                      .astype(self._dtype))

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def __repr__(self):
        return repr(self._categorical).replace("Categorical", "OneHotCategorical", 1)


class Poisson(Distribution):
    """The Poisson distribution of rate (>= 0) over the counts 0, 1, 2, ...

    >>> from autograd_core.distributions import Poisson
    >>> Poisson(2.0).log_prob(0.0).exp()  # exp(-2)
    Tensor(0.13533528)
    """
    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate, owner="Poisson")
        super().__init__(self.rate.shape, validate_args=validate_args)

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        return self._noise(lambda g, shape: g.poisson(self.rate.data, shape), sample_shape,
                           self._generator(rng, generator, "sample"))

    def log_prob(self, value):
        value = self._checked_value(value)
        return xlogy(value, self.rate) - self.rate - lgamma(value + 1)

    @property
    def mean(self):
        return self.rate

    @property
    def mode(self):
        return Tensor(np.floor(self.rate.data))

    @property
    def variance(self):
        return self.rate
