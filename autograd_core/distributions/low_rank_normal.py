"""The multivariate normal with a low-rank-plus-diagonal covariance W W^T + diag(D), as
torch.distributions.LowRankMultivariateNormal: log_prob and entropy go through the m x m capacitance matrix
I + W^T D^-1 W (the Woodbury identity and the matrix determinant lemma), so a covariance of size n costs
O(n m^2) rather than O(n^3): the factor-analysis and VAE posteriors of many dimensions.

>>> import autograd_core as ag
>>> from autograd_core.distributions import LowRankMultivariateNormal
>>> m = LowRankMultivariateNormal(ag.zeros(2), cov_factor=ag.tensor([[1.0], [1.0]]), cov_diag=ag.ones(2))
>>> m.covariance_matrix
Tensor([[2., 1.],
        [1., 2.]])
"""
import math

import numpy as np

from ..ops import linalg, log, sqrt
from ..tensor import Tensor
from . import constraints
from .distribution import AT_LOC, Distribution, broadcast_to_shape, float_tensors, lazy_property
from .multivariate import _matrix_transpose, batch_mahalanobis

__all__ = ["LowRankMultivariateNormal"]


def _capacitance_tril(cov_factor, cov_diag):
    """The Cholesky factor of the capacitance matrix I + W^T D^-1 W (m x m)."""
    rank = cov_factor.shape[-1]
    capacitance = (_matrix_transpose(cov_factor) / cov_diag[..., None, :]) @ cov_factor
    return linalg.cholesky(capacitance + Tensor(np.eye(rank, dtype=capacitance.dtype)))


class LowRankMultivariateNormal(Distribution):
    """The normal distribution over vectors of mean loc (..., n) and covariance cov_factor @ cov_factor^T +
    diag(cov_diag), for cov_factor (..., n, m) and cov_diag (..., n) positive; the batch axes broadcast together.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import LowRankMultivariateNormal
    >>> m = LowRankMultivariateNormal(ag.zeros(3), ag.ones((3, 1)), ag.ones(3))
    >>> m.batch_shape, m.event_shape, m.rsample((4,)).shape, m.variance
    ((), (3,), (4, 3), Tensor([2., 2., 2.]))
    """
    arg_constraints = {"loc": constraints.real_vector, "cov_factor": constraints.independent(constraints.real, 2),
                       "cov_diag": constraints.independent(constraints.positive, 1)}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, cov_factor, cov_diag, validate_args=None):
        loc, cov_factor, cov_diag = float_tensors(loc, cov_factor, cov_diag)
        if loc.ndim < 1:
            raise ValueError("LowRankMultivariateNormal: loc must be at least one-dimensional (the vector along the "
                             "last axis), got a scalar")
        n = loc.shape[-1]
        if cov_factor.ndim < 2 or cov_factor.shape[-2] != n:
            raise ValueError(f"LowRankMultivariateNormal: cov_factor must be matrices of {n} rows (the size of loc's "
                             f"vectors) in its last two axes, (..., {n}, rank), got shape {cov_factor.shape}")
        if cov_diag.ndim < 1 or cov_diag.shape[-1] != n:
            raise ValueError(f"LowRankMultivariateNormal: cov_diag must be vectors of size {n} (the size of loc's "
                             f"vectors) in its last axis, got shape {cov_diag.shape}")
        try:
            batch_shape = np.broadcast_shapes(loc.shape[:-1], cov_factor.shape[:-2], cov_diag.shape[:-1])
        except ValueError:
            raise ValueError(f"LowRankMultivariateNormal: the batch shapes of loc {loc.shape[:-1]}, cov_factor "
                             f"{cov_factor.shape[:-2]} and cov_diag {cov_diag.shape[:-1]} do not broadcast "
                             f"together") from None
        self.loc = broadcast_to_shape(loc, batch_shape + (n,))
        self.cov_factor = broadcast_to_shape(cov_factor, batch_shape + cov_factor.shape[-2:])
        self.cov_diag = broadcast_to_shape(cov_diag, batch_shape + (n,))
        super().__init__(batch_shape, (n,), validate_args=validate_args)
        # (the factors as given, before broadcasting: one capacitance factorisation per distinct matrix)
        self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag = cov_factor, cov_diag
        self._capacitance_tril = _capacitance_tril(cov_factor, cov_diag)

    def _expand_parameters(self, old_batch_shape, batch_shape):
        super()._expand_parameters(old_batch_shape, batch_shape)
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            vars(self).pop(name, None)  # (computed for the old batch_shape: computed again when read)

    @lazy_property
    def covariance_matrix(self):
        factor, diag = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        covariance = factor @ _matrix_transpose(factor) + diag[..., None] * Tensor(np.eye(diag.shape[-1],
                                                                                          dtype=diag.dtype))
        return broadcast_to_shape(covariance, self.batch_shape + self.event_shape * 2)

    @lazy_property
    def scale_tril(self):
        return linalg.cholesky(self.covariance_matrix)

    @lazy_property
    def precision_matrix(self):
        return linalg.inv(self.covariance_matrix)

    def _reparameterised(self, sample_shape, source):
        shape = self._extended_shape(sample_shape)
        factor_noise = Tensor(source.standard_normal(shape[:-1] + self.cov_factor.shape[-1:])
                              .astype(self._dtype))
        diag_noise = self._noise(lambda g, noise_shape: g.standard_normal(noise_shape), sample_shape, source)
        return (self.loc + (self._unbroadcasted_cov_factor @ factor_noise[..., None])[..., 0]
                + sqrt(self._unbroadcasted_cov_diag) * diag_noise)

    def _half_log_det(self):
        """log det(W W^T + D) / 2 = log det(capacitance) / 2 + sum(log D) / 2 (the matrix determinant lemma)."""
        return (log(linalg.diagonal(self._capacitance_tril)).sum(-1)
                + 0.5 * log(self._unbroadcasted_cov_diag).sum(-1))

    def log_prob(self, value):
        value = self._checked_value(value)
        difference = value - self.loc
        factor, diag = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        # (Woodbury: x^T (W W^T + D)^-1 x = x^T D^-1 x - |C^-1 W^T D^-1 x|^2 for C the capacitance's factor)
        projected = (_matrix_transpose(factor / diag[..., None]) @ difference[..., None])[..., 0]
        mahalanobis = (difference ** 2 / diag).sum(-1) - batch_mahalanobis(self._capacitance_tril, projected)
        n = self.event_shape[0]
        return -0.5 * (n * math.log(2 * math.pi) + mahalanobis) - self._half_log_det()

    def entropy(self):
        n = self.event_shape[0]
        return broadcast_to_shape(0.5 * n * (1.0 + math.log(2 * math.pi)) + self._half_log_det(), self.batch_shape)

    mean = mode = AT_LOC

    @property
    def variance(self):
        variance = (self._unbroadcasted_cov_factor ** 2).sum(-1) + self._unbroadcasted_cov_diag
        return broadcast_to_shape(variance, self.batch_shape + self.event_shape)
