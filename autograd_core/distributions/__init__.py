"""Probability distributions, as torch.distributions (the commonly used part): sampling with NumPy Generators,
and log_prob, entropy, cdf and rsample built from autograd_core's operations, so that their gradients with respect
to the parameters come from the engine (REINFORCE's score function, a VAE's reparameterised samples, KL terms).

>>> import autograd_core as ag
>>> from autograd_core.distributions import Categorical
>>> logits = ag.tensor([0.5, -1.0, 2.0], requires_grad=True)
>>> m = Categorical(logits=logits)
>>> action = m.sample(rng=0)
>>> (-m.log_prob(action)).backward()
>>> logits.grad.shape
(3,)
"""
from . import constraints
from .continuous import Beta, Exponential, Gamma, Laplace, Normal, Uniform
from .discrete import Bernoulli, Categorical, OneHotCategorical, Poisson
from .distribution import Distribution
from .kl import kl_divergence, register_kl
from .multivariate import Independent, MultivariateNormal

__all__ = ["Bernoulli", "Beta", "Categorical", "Distribution", "Exponential", "Gamma", "Independent", "Laplace",
           "MultivariateNormal", "Normal", "OneHotCategorical", "Poisson", "Uniform", "constraints", "kl_divergence",
           "register_kl"]
