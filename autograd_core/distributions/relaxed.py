"""Continuous relaxations of the Bernoulli and the one-hot categorical (the Concrete / Gumbel-softmax
distributions of Maddison et al. and Jang et al., 2017), as torch.distributions': their samples are differentiable
functions of the logits and of Gumbel or logistic noise, so a VAE with discrete latents trains with rsample. As in
PyTorch, RelaxedBernoulli is LogitRelaxedBernoulli through a sigmoid, RelaxedOneHotCategorical is
ExpRelaxedCategorical (log-probability vectors) through exp. A low temperature gives nearly discrete samples.

>>> import autograd_core as ag
>>> from autograd_core.distributions import RelaxedOneHotCategorical
>>> logits = ag.tensor([0.0, 1.0, -1.0], requires_grad=True)
>>> y = RelaxedOneHotCategorical(0.5, logits=logits).rsample(rng=0)
>>> round(float(y.sum()), 12)
1.0
>>> (y[0] * 1.0).backward(); logits.grad.shape
(3,)
"""
import math

from ..ops import log, log1p, logsumexp
from . import constraints
from .discrete import Bernoulli, Categorical, _clamped, binary_logits
from .distribution import Distribution, broadcast_all
from .transformed import TransformedDistribution
from .transforms import ExpTransform, SigmoidTransform

__all__ = ["ExpRelaxedCategorical", "LogitRelaxedBernoulli", "RelaxedBernoulli", "RelaxedOneHotCategorical"]


def _temperature(temperature, dtype, owner):
    """temperature as a Tensor (keeping its graph) of the probabilities' dtype."""
    (temperature,) = broadcast_all(temperature, owner=owner)
    return temperature if temperature.dtype == dtype else temperature.astype(dtype)


def _unit_noise(distribution, sample_shape, source):
    """Uniform noise of the extended shape, kept eps inside (0, 1) so that its logs are finite (PyTorch's
    clamp_probs)."""
    return _clamped(distribution._noise(lambda g, shape: g.random(shape), sample_shape, source))


class LogitRelaxedBernoulli(Distribution):
    """The logit of a RelaxedBernoulli sample: (logits + log u - log(1 - u)) / temperature for u uniform.

    >>> from autograd_core.distributions import LogitRelaxedBernoulli
    >>> LogitRelaxedBernoulli(1.0, logits=0.0).log_prob(0.0)  # the standard logistic density at 0: 1/4
    Tensor(-1.38629436)
    """
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.real
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self._bernoulli = Bernoulli(probs, logits, validate_args=validate_args)
        self.temperature = _temperature(temperature, self._bernoulli._dtype, type(self).__name__)
        super().__init__(self._bernoulli.batch_shape, validate_args=validate_args)
        if self._validate_args:
            self._check("temperature", self.temperature, constraints.positive, "parameter")

    def _expand_parameters(self, old_batch_shape, batch_shape):
        self._bernoulli = self._bernoulli.expand(batch_shape)

    probs = property(lambda self: self._bernoulli.probs, doc="The probability of 1 of the unrelaxed Bernoulli.")
    logits = property(lambda self: self._bernoulli.logits, doc="Its log-odds.")
    _dtype = property(lambda self: self._bernoulli._dtype)

    def _reparameterised(self, sample_shape, source):
        # (the logits of the probabilities, as PyTorch's, rather than those given: the same up to the clamp)
        return (binary_logits(_unit_noise(self, sample_shape, source)) + binary_logits(self.probs)) / self.temperature

    def log_prob(self, value):
        value = self._checked_value(value)
        difference = self.logits - value * self.temperature
        return log(self.temperature) + difference - 2 * log1p(difference.exp())

    def __repr__(self):
        return repr(self._bernoulli).replace("Bernoulli", type(self).__name__, 1)


class RelaxedBernoulli(TransformedDistribution):
    """A relaxed Bernoulli on (0, 1): sigmoid of a LogitRelaxedBernoulli sample, near 0 or 1 at low temperature.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import RelaxedBernoulli
    >>> probs = ag.tensor([0.2, 0.9], requires_grad=True)
    >>> y = RelaxedBernoulli(0.1, probs=probs).rsample((5,), rng=0)
    >>> y.shape, bool(((y > 0) & (y < 1)).all())
    ((5, 2), True)
    """
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        base = LogitRelaxedBernoulli(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base, SigmoidTransform(), validate_args=validate_args)

    temperature = property(lambda self: self.base_dist.temperature, doc="The relaxation's temperature.")
    probs = property(lambda self: self.base_dist.probs, doc="The probability of 1 of the unrelaxed Bernoulli.")
    logits = property(lambda self: self.base_dist.logits, doc="Its log-odds.")

    def __repr__(self):
        return repr(self.base_dist).replace("LogitRelaxedBernoulli", "RelaxedBernoulli", 1)


class ExpRelaxedCategorical(Distribution):
    """The log of a RelaxedOneHotCategorical sample: log_softmax((logits + g) / temperature) for g Gumbel noise,
    over event_shape (K,); working in logs keeps low temperatures stable.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import ExpRelaxedCategorical
    >>> ExpRelaxedCategorical(1.0, logits=ag.zeros(3)).rsample((2,), rng=0).exp().sum(-1)
    Tensor([1., 1.])
    """
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self._categorical = Categorical(probs, logits, validate_args=validate_args)
        self.temperature = _temperature(temperature, self._categorical._dtype, type(self).__name__)
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)
        if self._validate_args:
            self._check("temperature", self.temperature, constraints.positive, "parameter")

    def _expand_parameters(self, old_batch_shape, batch_shape):
        self._categorical = self._categorical.expand(batch_shape)

    probs = property(lambda self: self._categorical.probs, doc="The class probabilities of the unrelaxed one.")
    logits = property(lambda self: self._categorical.logits, doc="Their normalised logs.")
    _dtype = property(lambda self: self._categorical._dtype)

    def _reparameterised(self, sample_shape, source):
        gumbels = -log(-log(_unit_noise(self, sample_shape, source)))
        scores = (self.logits + gumbels) / self.temperature
        return scores - logsumexp(scores, axis=-1, keepdims=True)

    def log_prob(self, value):
        value = self._checked_value(value)
        count = self.event_shape[0]
        log_scale = math.lgamma(count) + (count - 1) * log(self.temperature)
        score = self.logits - value * self.temperature
        return (score - logsumexp(score, axis=-1, keepdims=True)).sum(-1) + log_scale

    def __repr__(self):
        return repr(self._categorical).replace("Categorical", type(self).__name__, 1)


class RelaxedOneHotCategorical(TransformedDistribution):
    """The Gumbel-softmax (Concrete) distribution on the simplex: softmax((logits + g) / temperature) for g Gumbel
    noise; rsample is differentiable in the logits (and the temperature).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import RelaxedOneHotCategorical
    >>> d = RelaxedOneHotCategorical(0.5, probs=ag.tensor([0.1, 0.9]))
    >>> d.batch_shape, d.event_shape, d.rsample((4,), rng=0).shape
    ((), (2,), (4, 2))
    """
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        base = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base, ExpTransform(), validate_args=validate_args)

    temperature = property(lambda self: self.base_dist.temperature, doc="The relaxation's temperature.")
    probs = property(lambda self: self.base_dist.probs, doc="The class probabilities of the unrelaxed one.")
    logits = property(lambda self: self.base_dist.logits, doc="Their normalised logs.")

    def __repr__(self):
        return repr(self.base_dist).replace("ExpRelaxedCategorical", "RelaxedOneHotCategorical", 1)


