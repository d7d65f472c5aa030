"""The counting distributions of repeated Bernoulli trials, as torch.distributions': Binomial (successes in
total_count trials), Geometric (failures before the first success) and NegativeBinomial (successes before
total_count failures), each given probs or logits, not both.
Samples are constants; log_prob and entropy are differentiable with respect to the probabilities.

>>> from autograd_core.distributions import Binomial, Geometric
>>> Binomial(4, probs=0.5).log_prob(2.0).exp(), Geometric(probs=0.5).log_prob(1.0).exp()
(Tensor(0.375), Tensor(0.25))
"""
import numpy as np

from ..ops import abs, clip, exp, lgamma, log, log1p, sigmoid, softplus, where
from ..tensor import Tensor
from . import constraints
from .discrete import _ProbsOrLogits
from .distribution import Distribution

__all__ = ["Binomial", "Geometric", "NegativeBinomial"]


class Binomial(_ProbsOrLogits, Distribution):
    """The number of successes in total_count (a non-negative integer, or a Tensor of them) independent trials
    that each succeed with probability probs (or sigmoid(logits)).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Binomial
    >>> d = Binomial(10, logits=ag.tensor([0.0, 2.0]))
    >>> d.mean
    Tensor([5.        , 8.80797078])
    """
    arg_constraints = {"total_count": constraints.nonnegative_integer, "probs": constraints.unit_interval,
                       "logits": constraints.real}
    has_enumerate_support = True

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        self.total_count, _ = self._set_probs_or_logits(probs, logits, total_count)
        super().__init__(self.total_count.shape, validate_args=validate_args)

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self.total_count.data)

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        return self._noise(lambda g, shape: g.binomial(self.total_count.data.astype(np.int64), self.probs.data,
                                                       shape), sample_shape, self._generator(rng, generator, "sample"))

    def log_prob(self, value):
        value = self._checked_value(value)
        n, logits = self.total_count, self.logits
        # n log(1 + exp(logits)) = n (max(logits, 0) + log1p(exp(-|logits|))), PyTorch's stable form; its max is
        # (clip above + logits - clip below) / 2 so that the gradient at logits = 0 is 1/2, as PyTorch's
        positive_part = (clip(logits, 0, None) + logits - clip(logits, None, 0)) / 2
        normaliser = n * positive_part + n * log1p(exp(-abs(logits))) - lgamma(n + 1)
        return value * logits - lgamma(value + 1) - lgamma(n - value + 1) - normaliser

    def entropy(self):
        """The exact sum over the counts 0 .. total_count (one total_count for the whole batch, as PyTorch's)."""
        counts = self.enumerate_support(expand=False)
        log_prob = self.log_prob(counts)
        return -(log_prob.exp() * log_prob).sum(0)

    def enumerate_support(self, expand=True):
        """The counts 0 .. total_count along a new first axis; total_count must be one number over the batch."""
        totals = np.unique(self.total_count.data)
        if totals.size > 1:
            raise NotImplementedError(f"Binomial.enumerate_support (and entropy) need one total_count for the "
                                      f"whole batch (as PyTorch's), got {totals.size} different ones: {totals}")
        values = np.arange(int(totals[0]) + 1, dtype=self._dtype).reshape((-1,) + (1,) * len(self.batch_shape))
        return Tensor(np.broadcast_to(values, values.shape[:1] + self.batch_shape).copy() if expand else values)

    @property
    def mean(self):
        return self.total_count * self.probs

    @property
    def mode(self):
        return Tensor(np.minimum(np.floor((self.total_count.data + 1) * self.probs.data), self.total_count.data))

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)


class Geometric(_ProbsOrLogits, Distribution):
    """The number of failures before the first success of independent trials that each succeed with probability
    probs (in (0, 1]) or sigmoid(logits): P(k) = (1 - p)^k p over k = 0, 1, 2, ...

    >>> from autograd_core.distributions import Geometric
    >>> Geometric(probs=0.25).mean, Geometric(probs=0.25).variance
    (Tensor(3.), Tensor(12.))
    """
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, probs=None, logits=None, validate_args=None):
        (given,) = self._set_probs_or_logits(probs, logits)
        super().__init__(given.shape, validate_args=validate_args)
        if self._validate_args and "probs" in vars(self):  # (a success must be possible: PyTorch's extra check)
            self._check("probs", self.probs, constraints.positive, "parameter")

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        return self._noise(lambda g, shape: g.geometric(self.probs.data, shape) - 1, sample_shape,
                           self._generator(rng, generator, "sample"))

    def log_prob(self, value):
        value = self._checked_value(value)
        # (probs 1 and value 0: 0 * log(0) is 0, PyTorch's special case; the log1p then sees probs 0 there)
        certain = Tensor(np.broadcast_to((self.probs.data == 1) & (np.asarray(value.data) == 0),
                                         np.broadcast_shapes(self.probs.shape, value.shape)))
        probs = where(certain, 0.0, self.probs)
        return value * log1p(-probs) + log(self.probs)

    def entropy(self):
        return (softplus(self.logits) - self.probs * self.logits) / self.probs  # (binary cross-entropy / probs)

    @property
    def mean(self):
        return 1 / self.probs - 1

    @property
    def mode(self):
        return self.probs * 0

    @property
    def variance(self):
        return (1 / self.probs - 1) / self.probs


class NegativeBinomial(_ProbsOrLogits, Distribution):
    """The number of successes before total_count (> 0) failures of independent trials that each succeed with
    probability probs (in [0, 1)) or sigmoid(logits), as PyTorch's: P(k) = C(k + r - 1, k) p^k (1 - p)^r. Samples
    are constants, drawn as a Poisson of a Gamma rate (the gamma-Poisson mixture, as PyTorch's).

    >>> from autograd_core.distributions import NegativeBinomial
    >>> d = NegativeBinomial(3.0, probs=0.25)
    >>> d.mean, d.variance, d.log_prob(0.0).exp()  # r p / (1 - p), mean / (1 - p), (1 - p)^r
    (Tensor(1.), Tensor(1.33333333), Tensor(0.421875))
    """
    arg_constraints = {"total_count": constraints.greater_than_eq(0), "probs": constraints.half_open_interval(0.0, 1.0),
                       "logits": constraints.real}
    support = constraints.nonnegative_integer

    def __init__(self, total_count, probs=None, logits=None, validate_args=None):
        self.total_count, _ = self._set_probs_or_logits(probs, logits, total_count)
        super().__init__(self.total_count.shape, validate_args=validate_args)

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        source = self._generator(rng, generator, "sample")
        shape = self._extended_shape(sample_shape)
        total_count = np.broadcast_to(self.total_count.data, shape)
        odds = np.broadcast_to(np.exp(self.logits.data), shape)
        rate = np.where(total_count > 0, source.standard_gamma(np.where(total_count > 0, total_count, 1)), 0) * odds
        return Tensor(source.poisson(rate).astype(self._dtype))

    def log_prob(self, value):
        value = self._checked_value(value)
        r, logits = self.total_count, self.logits
        # r log(1 - p) + k log(p) = -r softplus(logits) + k (logits - softplus(logits)), stable
        unnormalised = -r * softplus(logits) + value * (logits - softplus(logits))
        normaliser = lgamma(r + value) - lgamma(1 + value) - lgamma(r)
        # (r = 0 and k = 0: probability 1, where the lgammas are inf - inf; PyTorch's special case)
        certain = Tensor(np.broadcast_to((r.data + np.asarray(value.data)) == 0,
                                         np.broadcast_shapes(r.shape, value.shape)))
        return unnormalised + where(certain, 0.0, normaliser)

    @property
    def mean(self):
        return self.total_count * exp(self.logits)

    @property
    def mode(self):
        return Tensor(np.maximum(np.floor((self.total_count.data - 1) * np.exp(self.logits.data)), 0.0))

    @property
    def variance(self):
        return self.mean / sigmoid(-self.logits)
