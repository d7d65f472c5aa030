"""Transforms of whole events, as torch.distributions.transforms': IndependentTransform (a transform's event made of
more axes), ReshapeTransform, the matrix transforms LowerCholeskyTransform, PositiveDefiniteTransform and
CorrCholeskyTransform, and CumulativeDistributionTransform (a distribution's cdf); with PyTorch's
distributions.utils helpers tril_matrix_to_vec and vec_to_tril_matrix. Built from the engine's operations, so their
gradients come from it.

>>> import autograd_core as ag
>>> from autograd_core.distributions.transforms import ReshapeTransform
>>> t = ReshapeTransform((4,), (2, 2))
>>> t(ag.zeros((3, 4))).shape, t.inverse_shape((3, 2, 2))
((3, 2, 2), (3, 4))
"""
import math

import numpy as np

from ..ops import clip, cumprod, cumsum, diag_embed, diagonal, exp, log, log1p, matmul, pad, reshape, \
    softplus, sqrt, swapaxes, tanh, tril
from ..ops.linalg import cholesky
from ..ops.shape import ShapeError
from ..primitive import as_operand
from ..tensor import Tensor
from . import constraints
from .distribution import sum_rightmost
from .transforms import Transform, _Stateless

__all__ = ["CorrCholeskyTransform", "CumulativeDistributionTransform", "IndependentTransform",
           "LowerCholeskyTransform", "PositiveDefiniteTransform", "ReshapeTransform", "tril_matrix_to_vec",
           "vec_to_tril_matrix"]


def tril_matrix_to_vec(mat, diag=0):
    """The entries of mat's lower triangle (up to diagonal diag) row by row, as PyTorch's distributions.utils
    tril_matrix_to_vec.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.event_transforms import tril_matrix_to_vec
    >>> tril_matrix_to_vec(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), diag=-1)
    Tensor([3.])
    """
    mat = as_operand(mat, "tril_matrix_to_vec")
    if mat.ndim < 2 or mat.shape[-1] != mat.shape[-2]:
        raise ValueError(f"tril_matrix_to_vec: needs square matrices on the last two axes, got shape {mat.shape}")
    rows, cols = np.tril_indices(mat.shape[-1], diag)
    return mat.reshape(mat.shape[:-2] + (-1,))[..., rows * mat.shape[-1] + cols]


def vec_to_tril_matrix(vec, diag=0):
    """The square matrices whose lower triangle (up to diagonal diag) holds vec's entries row by row, zeros elsewhere,
    as PyTorch's distributions.utils vec_to_tril_matrix.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.event_transforms import vec_to_tril_matrix
    >>> vec_to_tril_matrix(ag.tensor([3.0]), diag=-1)
    Tensor([[0., 0.],
            [3., 0.]])
    """
    vec = as_operand(vec, "vec_to_tril_matrix")
    m = vec.shape[-1] if vec.ndim else 0
    b = 1 + 2 * diag
    n = (-b + math.sqrt(b * b + 8 * m + 4 * abs(diag) * (diag + 1))) / 2
    if vec.ndim < 1 or abs(round(n) - n) > 1e-6:
        raise ValueError(f"vec_to_tril_matrix: {m} entries fill no lower triangle (diag={diag}); got shape "
                         f"{vec.shape}")
    n = round(n)
    rows, cols = np.tril_indices(n, diag)
    source = np.full(n * n, m)  # (index m: the zero appended below)
    source[rows * n + cols] = np.arange(len(rows))
    padded = pad(vec, [(0, 0)] * (vec.ndim - 1) + [(0, 1)])
    return padded[..., source].reshape(vec.shape[:-1] + (n, n))


def _axes(n):
    return "1 axis" if n == 1 else f"{n} axes"


class IndependentTransform(Transform):
    """base_transform with reinterpreted_batch_ndims more rightmost axes in its event: the same map, its
    log_abs_det_jacobian summed over them (PyTorch's IndependentTransform).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import ExpTransform, IndependentTransform
    >>> t = IndependentTransform(ExpTransform(), 1)
    >>> t.log_abs_det_jacobian(ag.tensor([1.0, 2.0]), t(ag.tensor([1.0, 2.0])))
    Tensor(3.)
    """

    def __init__(self, base_transform, reinterpreted_batch_ndims, cache_size=0):
        if not isinstance(base_transform, Transform):
            raise TypeError(f"IndependentTransform: base_transform must be a Transform, got {base_transform!r}")
        if isinstance(reinterpreted_batch_ndims, bool) or not isinstance(reinterpreted_batch_ndims, (int, np.integer)) \
                or reinterpreted_batch_ndims < 0:
            raise ValueError(f"IndependentTransform: reinterpreted_batch_ndims must be a non-negative int, got "
                             f"{reinterpreted_batch_ndims!r}")
        super().__init__(cache_size)
        self.base_transform = base_transform.with_cache(cache_size)
        self.reinterpreted_batch_ndims = int(reinterpreted_batch_ndims)

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return IndependentTransform(self.base_transform, self.reinterpreted_batch_ndims, cache_size=cache_size)

    @property
    def domain(self):
        return constraints.independent(self.base_transform.domain, self.reinterpreted_batch_ndims)

    @property
    def codomain(self):
        return constraints.independent(self.base_transform.codomain, self.reinterpreted_batch_ndims)

    bijective = property(lambda self: self.base_transform.bijective)
    sign = property(lambda self: self.base_transform.sign)

    def _call(self, x):
        if x.ndim < self.domain.event_dim:
            raise ValueError(f"IndependentTransform: needs at least {_axes(self.domain.event_dim)}, "
                             f"got shape {x.shape}")
        return self.base_transform(x)

    def _inverse_of(self, y):
        if y.ndim < self.codomain.event_dim:
            raise ValueError(f"IndependentTransform.inv: needs at least {_axes(self.codomain.event_dim)}, got shape "
                             f"{y.shape}")
        return self.base_transform.inv(y)

    def log_abs_det_jacobian(self, x, y):
        return sum_rightmost(self.base_transform.log_abs_det_jacobian(x, y), self.reinterpreted_batch_ndims)

    def forward_shape(self, shape):
        return self.base_transform.forward_shape(shape)

    def inverse_shape(self, shape):
        return self.base_transform.inverse_shape(shape)

    def __repr__(self):
        return f"IndependentTransform({self.base_transform!r}, {self.reinterpreted_batch_ndims})"


class ReshapeTransform(Transform):
    """The rightmost axes of shape in_shape reshaped to out_shape (the same number of elements); its Jacobian's
    log-determinant is 0 (PyTorch's ReshapeTransform).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import ReshapeTransform
    >>> ReshapeTransform((2, 2), (4,)).inv(ag.tensor([1.0, 2.0, 3.0, 4.0]))
    Tensor([[1., 2.],
            [3., 4.]])
    """
    bijective = True

    def __init__(self, in_shape, out_shape, cache_size=0):
        self.in_shape, self.out_shape = tuple(int(n) for n in in_shape), tuple(int(n) for n in out_shape)
        if math.prod(self.in_shape) != math.prod(self.out_shape):
            raise ValueError(f"ReshapeTransform: in_shape {self.in_shape} and out_shape {self.out_shape} have "
                             f"different numbers of elements")
        super().__init__(cache_size)

    @property
    def domain(self):
        return constraints.independent(constraints.real, len(self.in_shape))

    @property
    def codomain(self):
        return constraints.independent(constraints.real, len(self.out_shape))

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else ReshapeTransform(self.in_shape, self.out_shape, cache_size)

    def _call(self, x):
        return reshape(x, self.forward_shape(x.shape))

    def _inverse_of(self, y):
        return reshape(y, self.inverse_shape(y.shape))

    def log_abs_det_jacobian(self, x, y):
        x = as_operand(x, "ReshapeTransform")
        return Tensor(np.zeros(x.shape[:x.ndim - len(self.in_shape)], dtype=x.dtype))

    def forward_shape(self, shape):
        return _reshaped("ReshapeTransform", tuple(shape), self.in_shape, self.out_shape)

    def inverse_shape(self, shape):
        return _reshaped("ReshapeTransform.inv", tuple(shape), self.out_shape, self.in_shape)

    def __repr__(self):
        return f"ReshapeTransform(in_shape={self.in_shape}, out_shape={self.out_shape})"


def _reshaped(owner, shape, old, new):
    cut = len(shape) - len(old)
    # (the call too refuses, on purpose: PyTorch's forward_shape raises ValueError, but its call reshapes any input
    # whose size it can, so (5, 4) or (20,) silently become (2, 5, 2) for in_shape (4, 5))
    if cut < 0 or shape[cut:] != old:
        raise ShapeError(f"{owner}: expects a shape ending in {old}, got {shape}")
    return shape[:cut] + new


class _MatrixTransform(_Stateless):
    """Maps of square matrices (event_dim 2) without parameters: all instances are equal."""
    domain = constraints.independent(constraints.real, 2)


def _exp_diagonal(x):
    return tril(x, -1) + diag_embed(exp(diagonal(x, axis1=-2, axis2=-1)))


class LowerCholeskyTransform(_MatrixTransform):
    """Square matrices to lower-triangular ones with a positive diagonal: the strict lower triangle kept, the diagonal
    exponentiated (PyTorch's; not bijective, and no log_abs_det_jacobian).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import LowerCholeskyTransform
    >>> LowerCholeskyTransform()(ag.tensor([[0.0, 5.0], [2.0, 0.0]]))
    Tensor([[1., 0.],
            [2., 1.]])
    """
    codomain = constraints.lower_cholesky

    def _call(self, x):
        return _exp_diagonal(x)

    def _inverse_of(self, y):
        return tril(y, -1) + diag_embed(log(diagonal(y, axis1=-2, axis2=-1)))


class PositiveDefiniteTransform(_MatrixTransform):
    """Square matrices to positive definite ones: L @ L.T of LowerCholeskyTransform's L (PyTorch's); its inverse
    takes the Cholesky factor back.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import PositiveDefiniteTransform
    >>> PositiveDefiniteTransform()(ag.tensor([[0.0, 5.0], [2.0, 0.0]]))
    Tensor([[1., 2.],
            [2., 5.]])
    """
    codomain = constraints.positive_definite

    def _call(self, x):
        factor = _exp_diagonal(x)
        return matmul(factor, swapaxes(factor, -1, -2))

    def _inverse_of(self, y):
        return LowerCholeskyTransform()._inverse_of(cholesky(y))


class CorrCholeskyTransform(Transform):
    """Real vectors of D(D-1)/2 numbers to the Cholesky factors of D x D correlation matrices (PyTorch's
    CorrCholeskyTransform): tanh of each number, then stick-breaking along each row so that rows have unit norm.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import CorrCholeskyTransform
    >>> CorrCholeskyTransform()(ag.zeros(1))
    Tensor([[1., 0.],
            [0., 1.]])
    """
    domain = constraints.real_vector
    codomain = constraints.corr_cholesky
    bijective = True

    def _call(self, x):
        eps = float(np.finfo(x.dtype).eps)
        r = vec_to_tril_matrix(clip(tanh(x), -1 + eps, 1 - eps), diag=-1)
        left = cumprod(sqrt(1 - r ** 2), axis=-1)
        edge = [(0, 0)] * (r.ndim - 1)
        return (r + Tensor(np.eye(r.shape[-1], dtype=r.dtype))) * pad(left[..., :-1], edge + [(1, 0)],
                                                                      constant_values=1)

    def _inverse_of(self, y):
        left = 1 - cumsum(y * y, axis=-1)
        shifted = pad(left[..., :-1], [(0, 0)] * (y.ndim - 1) + [(1, 0)], constant_values=1)
        t = tril_matrix_to_vec(y, diag=-1) / sqrt(tril_matrix_to_vec(shifted, diag=-1))
        return (log1p(t) - log1p(-t)) / 2

    def log_abs_det_jacobian(self, x, y):
        left = tril_matrix_to_vec(1 - cumsum(y * y, axis=-1), diag=-2)
        return 0.5 * log(left).sum(-1) - 2 * (x + softplus(-2 * x) - math.log(2.0)).sum(-1)

    def forward_shape(self, shape):
        if len(shape) < 1:
            raise ValueError(f"CorrCholeskyTransform: needs vectors, got shape {tuple(shape)}")
        n = shape[-1]
        d = round((0.25 + 2 * n) ** 0.5 + 0.5)
        if d * (d - 1) // 2 != n:
            raise ValueError(f"CorrCholeskyTransform: a vector of {n} numbers is no lower triangle D(D-1)/2")
        return tuple(shape[:-1]) + (d, d)

    def inverse_shape(self, shape):
        if len(shape) < 2 or shape[-1] != shape[-2]:
            raise ValueError(f"CorrCholeskyTransform.inv: needs square matrices, got shape {tuple(shape)}")
        return tuple(shape[:-2]) + (shape[-1] * (shape[-1] - 1) // 2,)


class CumulativeDistributionTransform(Transform):
    """y = distribution.cdf(x), from the distribution's support to (0, 1); its inverse is the icdf and its
    log_abs_det_jacobian the log-density (PyTorch's CumulativeDistributionTransform, for copulas).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Normal
    >>> from autograd_core.distributions.transforms import CumulativeDistributionTransform
    >>> CumulativeDistributionTransform(Normal(0.0, 1.0))(ag.tensor(0.0))
    Tensor(0.5)
    """
    bijective = True
    codomain = constraints.unit_interval
    sign = 1

    def __init__(self, distribution, cache_size=0):
        super().__init__(cache_size)
        self.distribution = distribution

    @property
    def domain(self):
        return self.distribution.support

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else CumulativeDistributionTransform(self.distribution,
                                                                                           cache_size)

    def _call(self, x):
        return self.distribution.cdf(x)

    def _inverse_of(self, y):
        return self.distribution.icdf(y)

    def log_abs_det_jacobian(self, x, y):
        return self.distribution.log_prob(x)

    def __repr__(self):
        return f"CumulativeDistributionTransform({self.distribution!r})"

