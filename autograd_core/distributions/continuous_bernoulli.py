"""The continuous Bernoulli distribution on [0, 1], as torch.distributions.ContinuousBernoulli (Loaiza-Ganem and
Cunningham, 2019): density C(p) p^x (1 - p)^(1 - x), the likelihood a VAE with [0, 1] pixels means when it uses
binary cross-entropy, made a density by its normaliser C(p). Near p = 1/2 (within lims) the closed forms divide 0 by
0, so the normaliser, mean and variance take their Taylor series there, as PyTorch's. rsample is the icdf of uniform
noise.

>>> from autograd_core.distributions import ContinuousBernoulli
>>> ContinuousBernoulli(0.5).log_prob(0.3)  # the uniform density: 0.5^x 0.5^(1-x) 2 = 1
Tensor(0.)
"""
import math


from ..ops import abs, log, log1p, sigmoid, softplus, where
from ..tensor import Tensor
from . import constraints
from .discrete import _clamped, _ProbsOrLogits
from .distribution import Distribution, lazy_property

__all__ = ["ContinuousBernoulli"]


class ContinuousBernoulli(_ProbsOrLogits, Distribution):
    """The continuous Bernoulli of probs (in (0, 1); a shape parameter, not a probability) or logits (its log-odds);
    lims is the interval around 1/2 where Taylor series replace the closed forms.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import ContinuousBernoulli
    >>> d = ContinuousBernoulli(logits=ag.tensor([0.0, 2.0]))
    >>> d.mean, d.icdf(ag.tensor([0.5, 0.5]))
    (Tensor([0.5       , 0.65651764]), Tensor([0.5       , 0.71689042]))
    """
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, probs=None, logits=None, lims=(0.499, 0.501), validate_args=None):
        (given,) = self._set_probs_or_logits(probs, logits)
        self._lims = tuple(float(bound) for bound in lims)
        super().__init__(given.shape, validate_args=validate_args)
        if "probs" in vars(self):  # (validated as given, then kept eps from 0 and 1, as PyTorch's)
            self.probs = _clamped(self.probs)

    @lazy_property
    def probs(self):
        """sigmoid(logits), kept eps from 0 and 1."""
        return _clamped(sigmoid(self.logits))

    def _outside_unstable_region(self):
        probs = self.probs.data
        return Tensor((probs <= self._lims[0]) | (probs > self._lims[1]))

    def _cut_probs(self):
        """probs where the closed forms hold, lims[0] (a harmless stand-in) where the Taylor series serve."""
        return where(self._outside_unstable_region(), self.probs, self._lims[0])

    def _log_normaliser(self):
        """log C(p) = log(|log(1 - p) - log(p)| / |1 - 2p|), or its Taylor series about p = 1/2."""
        cut = self._cut_probs()
        below_half = Tensor(cut.data <= 0.5)
        log_norm = log(abs(log1p(-cut) - log(cut))) - where(below_half, log1p(-2.0 * where(below_half, cut, 0.0)),
                                                           log(2.0 * where(below_half, 1.0, cut) - 1.0))
        x = (self.probs - 0.5) ** 2
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return where(self._outside_unstable_region(), log_norm, taylor)

    def _reparameterised(self, sample_shape, source):
        return self.icdf(self._noise(lambda g, shape: g.random(shape), sample_shape, source))

    def log_prob(self, value):
        value = self._checked_value(value)
        # (-binary_cross_entropy_with_logits(logits, value), stable, plus the log normaliser)
        return value * self.logits - softplus(self.logits) + self._log_normaliser()

    def cdf(self, value):
        value = self._checked_value(value, "cdf")
        cut = self._cut_probs()
        cdfs = (cut ** value * (1.0 - cut) ** (1.0 - value) + cut - 1.0) / (2.0 * cut - 1.0)
        inside = where(self._outside_unstable_region(), cdfs, value)
        return where(Tensor(value.data <= 0), 0.0, where(Tensor(value.data >= 1), 1.0, inside))

    def icdf(self, value):
        cut = self._cut_probs()
        closed = (log1p(-cut + value * (2.0 * cut - 1.0)) - log1p(-cut)) / (log(cut) - log1p(-cut))
        return where(self._outside_unstable_region(), closed, value)

    def entropy(self):
        log_probs0, log_probs1 = log1p(-self.probs), log(self.probs)
        return self.mean * (log_probs0 - log_probs1) - self._log_normaliser() - log_probs0

    @property
    def mean(self):
        cut = self._cut_probs()
        closed = cut / (2.0 * cut - 1.0) + 1.0 / (log1p(-cut) - log(cut))
        x = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * x ** 2) * x
        return where(self._outside_unstable_region(), closed, taylor)

    @property
    def mode(self):
        # (the density is monotone: largest at 1 for probs above 1/2, at 0 below; PyTorch has no mode)
        return Tensor((self.probs.data > 0.5).astype(self._dtype))

    @property
    def variance(self):
        cut = self._cut_probs()
        closed = cut * (cut - 1.0) / (1.0 - 2.0 * cut) ** 2 + 1.0 / (log1p(-cut) - log(cut)) ** 2
        x = (self.probs - 0.5) ** 2
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return where(self._outside_unstable_region(), closed, taylor)
