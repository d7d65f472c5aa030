"""The Dirichlet distribution over the probability simplex, as torch.distributions.Dirichlet: samples are
normalised Gamma draws, differentiable in the concentration by the Gamma's implicit reparameterisation
(reparameterised_gamma.py; PyTorch differentiates the normalised sample by its own approximation instead, of the same
expectation); log_prob, entropy and the moments are differentiable in the concentration.

>>> import autograd_core as ag
>>> from autograd_core.distributions import Dirichlet
>>> Dirichlet(ag.ones(3)).log_prob(ag.tensor([0.2, 0.3, 0.5])).exp()  # uniform on the simplex: density 2
Tensor(2.)
"""
import numpy as np

from ..ops import broadcast_to, digamma, lgamma, where
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all, xlogy
from .reparameterised_gamma import floored, standard_gamma

__all__ = ["Dirichlet"]


class Dirichlet(Distribution):
    """The Dirichlet distribution of concentration (..., K) (> 0): density
    Gamma(sum a) / prod Gamma(a_k) * prod x_k^(a_k - 1) over the vectors x of the simplex (event_shape (K,)).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Dirichlet
    >>> d = Dirichlet(ag.tensor([1.0, 3.0]))
    >>> d.mean, d.sample((4,)).shape
    (Tensor([0.25, 0.75]), (4, 2))
    >>> concentration = ag.tensor([1.0, 3.0], requires_grad=True)
    >>> Dirichlet(concentration).rsample((2,), rng=0)[:, 0].sum().backward()
    >>> concentration.grad.shape
    (2,)
    """
    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration, validate_args=None):
        (self.concentration,) = broadcast_all(concentration, owner="Dirichlet")
        if self.concentration.ndim < 1:
            raise ValueError("Dirichlet: concentration must be at least one-dimensional (the K categories along the "
                             "last axis), got a scalar")
        super().__init__(self.concentration.shape[:-1], self.concentration.shape[-1:], validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        # The draws and their normalisation in float64, as PyTorch's _sample_dirichlet: in float32 the draws of small
        # concentrations underflow to the floor together, which made a spurious mode at 1/K (Beta(0.01, 0.01) had a
        # fifth of its samples at 0.5)
        concentration = broadcast_to(self.concentration, self._extended_shape(sample_shape))
        gammas = standard_gamma(concentration.double(), source)
        return floored((gammas / gammas.sum(-1, keepdims=True)).astype(concentration.dtype, copy=False),
                       below_one=True)

    def log_prob(self, value):
        value = self._checked_value(value)
        a = self.concentration
        return xlogy(a - 1, value).sum(-1) + lgamma(a.sum(-1)) - lgamma(a).sum(-1)

    def entropy(self):
        a = self.concentration
        k, total = a.shape[-1], a.sum(-1)
        return (lgamma(a).sum(-1) - lgamma(total) - (k - total) * digamma(total)
                - ((a - 1) * digamma(a)).sum(-1))

    @property
    def mean(self):
        return self.concentration / self.concentration.sum(-1, keepdims=True)

    @property
    def mode(self):
        # (PyTorch's: (a - 1)+ normalised; where every concentration is below 1, the vertex of the largest one)
        shifted = (self.concentration - 1).clip(0, None)
        mode = shifted / shifted.sum(-1, keepdims=True)
        all_below_one = np.all(self.concentration.data < 1, axis=-1, keepdims=True)
        vertex = (self.concentration.data == self.concentration.data.max(-1, keepdims=True)).astype(self._dtype)
        return where(Tensor(np.broadcast_to(all_below_one, mode.shape)), Tensor(vertex), mode)

    @property
    def variance(self):
        total = self.concentration.sum(-1, keepdims=True)
        return self.concentration * (total - self.concentration) / (total ** 2 * (total + 1))
