"""The distributions over vectors: MultivariateNormal (one of covariance_matrix, precision_matrix or scale_tril)
and Independent, which reads batch axes of another distribution as event axes. MultivariateNormal's log_prob goes
through the Cholesky factor L of the covariance and a solve with it (ag.linalg), so it is differentiable with
respect to loc and to the matrix given.

>>> import autograd_core as ag
>>> from autograd_core.distributions import MultivariateNormal
>>> m = MultivariateNormal(ag.zeros(2), covariance_matrix=ag.eye(2))
>>> m.batch_shape, m.event_shape, m.log_prob(ag.zeros(2))  # -log(2 pi)
((), (2,), Tensor(-1.83787707))
"""
import math

import numpy as np

from .._arguments import is_int
from ..ops import broadcast_to, linalg, log, tril
from . import constraints
from .distribution import AT_LOC, Distribution, broadcast_to_shape, float_tensors, lazy_property, sum_rightmost

__all__ = ["Independent", "MultivariateNormal"]


def batch_mahalanobis(scale_tril, difference):
    """The squared Mahalanobis distance |L^-1 d|^2 of the vectors d (..., n) under the Cholesky factors L (..., n,
    n), broadcast over their batch axes."""
    shape = np.broadcast_shapes(scale_tril.shape[:-2], difference.shape[:-1])
    n = difference.shape[-1]
    factor = broadcast_to_shape(scale_tril, shape + (n, n))
    whitened = linalg.solve(factor, difference[..., None])[..., 0]
    return (whitened ** 2).sum(-1)


def half_log_det(scale_tril):
    """log det(L L^T) / 2: the sum of the logs of L's diagonal."""
    return log(linalg.diagonal(scale_tril)).sum(-1)


def _matrix_transpose(x):
    return x.swapaxes(-1, -2)


class MultivariateNormal(Distribution):
    """The normal distribution over vectors of mean loc (..., n) and covariance given by exactly one of
    covariance_matrix (positive definite), precision_matrix (its inverse) or scale_tril (its lower Cholesky factor,
    positive diagonal); loc's batch axes and the matrix's broadcast together.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import MultivariateNormal
    >>> m = MultivariateNormal(ag.zeros(2), scale_tril=ag.tensor([[2.0, 0.0], [1.0, 1.0]]))
    >>> m.covariance_matrix
    Tensor([[4., 2.],
            [2., 2.]])
    >>> m.variance
    Tensor([4., 2.])
    """
    arg_constraints = {"loc": constraints.real_vector, "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite, "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None, validate_args=None):
        given = {name: value for name, value in (("covariance_matrix", covariance_matrix),
                                                 ("precision_matrix", precision_matrix),
                                                 ("scale_tril", scale_tril)) if value is not None}
        if len(given) != 1:
            raise ValueError(f"MultivariateNormal: give exactly one of covariance_matrix, precision_matrix or "
                             f"scale_tril, got {', '.join(given) or 'none'}")
        (name, matrix), = given.items()
        loc, matrix = float_tensors(loc, matrix)
        if loc.ndim < 1:
            raise ValueError("MultivariateNormal: loc must be at least one-dimensional (the vector along the last "
                             "axis), got a scalar")
        if matrix.ndim < 2 or matrix.shape[-1] != matrix.shape[-2] or matrix.shape[-1] != loc.shape[-1]:
            raise ValueError(f"MultivariateNormal: {name} must be square matrices of the size of loc's vectors, "
                             f"({loc.shape[-1]}, {loc.shape[-1]}) in the last two axes, got shape {matrix.shape}")
        try:
            batch_shape = np.broadcast_shapes(loc.shape[:-1], matrix.shape[:-2])
        except ValueError:
            raise ValueError(f"MultivariateNormal: loc's batch shape {loc.shape[:-1]} and {name}'s "
                             f"{matrix.shape[:-2]} do not broadcast together") from None
        event_shape = loc.shape[-1:]
        setattr(self, name, broadcast_to_shape(matrix, batch_shape + event_shape * 2))
        self.loc = broadcast_to_shape(loc, batch_shape + event_shape)
        super().__init__(batch_shape, event_shape, validate_args=validate_args)
        # (the factor of the matrix as given, before broadcasting: one Cholesky per distinct matrix)
        if name == "scale_tril":  # (its upper triangle is read as 0, so gets no gradient: PyTorch's solve is
            self._unbroadcasted_scale_tril = tril(matrix)  # triangular)
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = linalg.cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = linalg.cholesky(linalg.inv(matrix))

    @lazy_property
    def scale_tril(self):
        n = self.event_shape[0]
        return broadcast_to(self._unbroadcasted_scale_tril, self.batch_shape + (n, n))

    @lazy_property
    def covariance_matrix(self):
        factor = self._unbroadcasted_scale_tril
        return broadcast_to(factor @ _matrix_transpose(factor), self.batch_shape + self.event_shape * 2)

    @lazy_property
    def precision_matrix(self):
        return broadcast_to(linalg.inv(self.covariance_matrix), self.batch_shape + self.event_shape * 2)

    def _reparameterised(self, sample_shape, source):
        eps = self._noise(lambda g, shape: g.standard_normal(shape), sample_shape, source)
        return self.loc + (self._unbroadcasted_scale_tril @ eps[..., None])[..., 0]

    def log_prob(self, value):
        value = self._checked_value(value)
        n = self.event_shape[0]
        mahalanobis = batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        return -0.5 * (n * math.log(2 * math.pi) + mahalanobis) - half_log_det(self._unbroadcasted_scale_tril)

    def entropy(self):
        n = self.event_shape[0]
        entropy = 0.5 * n * (1.0 + math.log(2 * math.pi)) + half_log_det(self._unbroadcasted_scale_tril)
        return broadcast_to_shape(entropy, self.batch_shape)

    mean = mode = AT_LOC

    @property
    def variance(self):
        variance = (self._unbroadcasted_scale_tril ** 2).sum(-1)
        return broadcast_to_shape(variance, self.batch_shape + self.event_shape)


class Independent(Distribution):
    """base_distribution with its reinterpreted_batch_ndims rightmost batch axes read as event axes: log_prob sums
    over them, so a Normal over a batch of pixels becomes a distribution over images.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Independent, Normal
    >>> m = Independent(Normal(ag.zeros((3, 2)), 1.0), 1)
    >>> m.batch_shape, m.event_shape, m.log_prob(ag.zeros((3, 2))).shape
    ((3,), (2,), (3,))
    """
    arg_constraints = {}

    def __init__(self, base_distribution, reinterpreted_batch_ndims, validate_args=None):
        if not isinstance(base_distribution, Distribution):
            raise TypeError(f"Independent: base_distribution must be a Distribution, got "
                            f"{type(base_distribution).__name__}")
        batch = base_distribution.batch_shape
        if not is_int(reinterpreted_batch_ndims) or not 0 <= reinterpreted_batch_ndims <= len(batch):
            raise ValueError(f"Independent: reinterpreted_batch_ndims must be an int in [0, {len(batch)}] (the "
                             f"base's batch_shape is {batch}), got {reinterpreted_batch_ndims!r}")
        self.base_dist = base_distribution
        self.reinterpreted_batch_ndims = int(reinterpreted_batch_ndims)
        split = len(batch) - self.reinterpreted_batch_ndims
        super().__init__(batch[:split], batch[split:] + base_distribution.event_shape, validate_args=validate_args)

    def _expand_parameters(self, old_batch_shape, batch_shape):
        reinterpreted = self.event_shape[:self.reinterpreted_batch_ndims]
        self.base_dist = self.base_dist.expand(batch_shape + reinterpreted)

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @property
    def has_enumerate_support(self):
        return self.base_dist.has_enumerate_support and self.reinterpreted_batch_ndims == 0

    @constraints.dependent_property
    def support(self):
        return constraints.independent(self.base_dist.support, self.reinterpreted_batch_ndims)

    @property
    def _dtype(self):
        return self.base_dist._dtype

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        return self.base_dist.sample(sample_shape, rng=rng, generator=generator)

    def rsample(self, sample_shape=(), *, rng=None, generator=None):
        return self.base_dist.rsample(sample_shape, rng=rng, generator=generator)

    def log_prob(self, value):
        return sum_rightmost(self.base_dist.log_prob(value), self.reinterpreted_batch_ndims)

    def entropy(self):
        return sum_rightmost(self.base_dist.entropy(), self.reinterpreted_batch_ndims)

    def enumerate_support(self, expand=True):
        """The base's enumerate_support, where no batch axis is reinterpreted (PyTorch enumerates no cartesian
        product of the reinterpreted axes either)."""
        if self.reinterpreted_batch_ndims > 0:
            raise NotImplementedError(f"Independent.enumerate_support: enumerating the cartesian product of the "
                                      f"{self.reinterpreted_batch_ndims} reinterpreted axes is not implemented (nor "
                                      f"in PyTorch)")
        return self.base_dist.enumerate_support(expand=expand)

    def cdf(self, value):
        raise NotImplementedError("Independent.cdf is not defined (PyTorch has none either)")

    @property
    def mean(self):
        return self.base_dist.mean

    @property
    def mode(self):
        return self.base_dist.mode

    @property
    def variance(self):
        return self.base_dist.variance

    def __repr__(self):
        return f"Independent({self.base_dist!r}, {self.reinterpreted_batch_ndims})"
