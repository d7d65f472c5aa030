"""PyTorch's top-level linear-algebra names, as functions and Tensor methods, on ag.linalg: torch.svd (the older
one, giving V where linalg.svd gives Vh), cholesky, qr, inverse, det, slogdet, pinverse, matrix_power, matrix_exp,
orgqr, nuclear_norm and renorm (t.logdet() too). Each is ag.linalg's recorded function with PyTorch's arguments
(renorm a composition of its norms), so gradients, to any order, are ag.linalg's.
"""
from collections import namedtuple

import numpy as np

from ._arguments import InvalidArgumentError, RuntimeTypeError
from .creation import zeros
from .ops import linalg
from .ops._linalg_triangular import logdet
from .ops.elementwise import where
from .primitive import as_operand
from .tensor import Tensor, as_value
from .torch_functions import _dim

# torch.return_types.svd: the fields (U, S, V), V = Vh transposed
SVD = namedtuple("svd", ["U", "S", "V"])


def svd(input, some=True, compute_uv=True):  # noqa: A002 (PyTorch's names)
    """PyTorch's older torch.svd: (U, S, V) with input = U @ diag(S) @ V.T, V itself where ag.linalg.svd (NumPy's,
    and torch.linalg.svd) gives Vh = V.T; some=True the reduced factors (k = min(m, n) columns). With
    compute_uv=False, U and V are zero-filled (m, m) and (n, n) matrices, as PyTorch's, and S is differentiable.

    >>> import autograd_core as ag
    >>> U, S, V = ag.svd(ag.tensor([[3.0, 0.0], [0.0, -4.0]]))
    >>> S
    Tensor([4., 3.])
    >>> bool(ag.allclose(U @ ag.diag(S) @ V.T, ag.tensor([[3.0, 0.0], [0.0, -4.0]])))
    True
    """
    if not compute_uv:
        shape = np.shape(as_value(input))
        if len(shape) < 2:  # (svdvals names the operation and the shape)
            return SVD(None, linalg.svdvals(input), None)
        dtype = np.result_type(as_value(input), np.float32)
        batch, (m, n) = shape[:-2], shape[-2:]
        return SVD(zeros(batch + (m, m), dtype=dtype), linalg.svdvals(input), zeros(batch + (n, n), dtype=dtype))
    U, S, Vh = linalg.svd(input, full_matrices=not some)
    return SVD(U, S, linalg.matrix_transpose(Vh))


def cholesky(input, upper=False):  # noqa: A002
    """PyTorch's older torch.cholesky (t.cholesky()): ag.linalg.cholesky, upper given by position too.

    >>> import autograd_core as ag
    >>> ag.cholesky(ag.tensor([[4.0, 2.0], [2.0, 5.0]]), True)
    Tensor([[2., 1.],
            [0., 2.]])
    """
    return linalg.cholesky(input, upper=upper)


def qr(input, some=True):  # noqa: A002
    """PyTorch's older torch.qr (t.qr()): ag.linalg.qr's (Q, R), some=True the reduced factors, False the complete.

    >>> import autograd_core as ag
    >>> Q, R = ag.qr(ag.tensor([[3.0, 1.0], [4.0, 2.0], [0.0, 1.0]]), some=False)
    >>> Q.shape, R.shape
    ((3, 3), (3, 2))
    """
    return linalg.qr(input, mode="reduced" if some else "complete")


def inverse(input):  # noqa: A002
    """PyTorch's torch.inverse (t.inverse()): ag.linalg.inv.

    >>> import autograd_core as ag
    >>> ag.inverse(ag.tensor([[2.0, 0.0], [0.0, 4.0]]))
    Tensor([[0.5 , 0.  ],
            [0.  , 0.25]])
    """
    return linalg.inv(input)


def det(input):  # noqa: A002
    """PyTorch's torch.det (t.det()): ag.linalg.det.

    >>> import autograd_core as ag
    >>> ag.det(ag.tensor([[2.0, 1.0], [1.0, 3.0]]))
    Tensor(5.)
    """
    return linalg.det(input)


def slogdet(input):  # noqa: A002
    """PyTorch's torch.slogdet (t.slogdet()): ag.linalg.slogdet's (sign, logabsdet).

    >>> import autograd_core as ag
    >>> ag.slogdet(ag.tensor([[-2.0, 0.0], [0.0, 1.0]])).sign
    Tensor(-1.)
    """
    return linalg.slogdet(input)


def pinverse(input, rcond=1e-15):  # noqa: A002
    """PyTorch's torch.pinverse (t.pinverse()): ag.linalg.pinv, singular values below rcond times the largest
    dropped.

    >>> import autograd_core as ag
    >>> ag.pinverse(ag.tensor([[2.0, 0.0], [0.0, 0.0]]))
    Tensor([[0.5, 0. ],
            [0. , 0. ]])
    """
    return linalg.pinv(input, rcond=rcond)


def matrix_power(input, n):  # noqa: A002
    """PyTorch's torch.matrix_power (t.matrix_power(n)): ag.linalg.matrix_power.

    >>> import autograd_core as ag
    >>> ag.matrix_power(ag.tensor([[1.0, 1.0], [0.0, 1.0]]), 3)
    Tensor([[1., 3.],
            [0., 1.]])
    """
    return linalg.matrix_power(input, n)


def orgqr(input, tau):  # noqa: A002
    """PyTorch's torch.orgqr (t.orgqr(tau)): ag.linalg.householder_product, the first n columns of the product of
    the Householder reflectors stored below input's diagonal with the scales tau.

    >>> import autograd_core as ag
    >>> ag.orgqr(ag.tensor([[1.0, 0.0], [0.0, 1.0]]), ag.tensor([0.0, 0.0]))
    Tensor([[1., 0.],
            [0., 1.]])
    """
    return linalg.householder_product(input, tau)


def nuclear_norm(input, dim=None, keepdim=False):  # noqa: A002
    """PyTorch's nuclear_norm: the sum of the singular values of a matrix (input 2-D), or of each matrix over the
    pair of axes dim; ag.linalg.matrix_norm(..., 'nuc')'s value and gradient.

    >>> import autograd_core as ag
    >>> ag.nuclear_norm(ag.tensor([[3.0, 0.0], [0.0, -4.0]]))
    Tensor(7.)
    """
    x = as_operand(input, "nuclear_norm")
    if dim is None:
        if x.ndim != 2:
            raise InvalidArgumentError(f"nuclear_norm: input of shape {x.shape} must be a matrix (2-D), or give dim= "
                                       f"(a pair of axes)")
        dim = (0, 1)
    return linalg.matrix_norm(x, "nuc", dim, keepdim)


def renorm(input, p, dim, maxnorm):  # noqa: A002
    """PyTorch's renorm (t.renorm(p, dim, maxnorm)): each slice along dim whose p-norm exceeds maxnorm scaled by
    maxnorm / (norm + 1e-7), as torch's, the others kept; differentiable through the norm, as torch's.

    >>> import autograd_core as ag
    >>> ag.renorm(ag.tensor([[3.0, 4.0], [0.3, 0.4]]), 2, 0, 1.0).round(decimals=4)
    Tensor([[0.6, 0.8],
            [0.3, 0.4]])
    """
    x = as_operand(input, "renorm")
    if x.ndim < 2:  # (a vector's slices would be its entries, each clipped alone: PyTorch 2 refuses it)
        raise InvalidArgumentError(f"renorm: input needs at least 2 dimensions (slices along dim to renormalise), "
                                   f"got shape {x.shape}; for one vector write x.unsqueeze(0) and dim=0")
    if x.dtype.kind != "f":  # (the norms of integers would be truncated to 0 on the way back)
        raise RuntimeTypeError(f"renorm: expects a floating-point input, got dtype {x.dtype}; write t.float() or "
                               f"t.double()")
    if not (isinstance(p, (int, float, np.number)) and p > 0) or maxnorm < 0:
        raise InvalidArgumentError(f"renorm: p must be a positive number and maxnorm non-negative, got p={p!r}, "
                                   f"maxnorm={maxnorm!r}")
    dim = _dim("renorm", dim, x.ndim)
    others = tuple(a for a in range(x.ndim) if a != dim)
    norms = linalg.vector_norm(x, float(p), others, True)
    factor = where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return x * factor.astype(x.dtype)


matrix_exp = linalg.matrix_exp  # torch.matrix_exp and t.matrix_exp(): torch.linalg.matrix_exp


for _function in (svd, cholesky, qr, inverse, det, slogdet, pinverse, matrix_power, matrix_exp, orgqr, renorm):
    setattr(Tensor, _function.__name__, _function)
del _function
Tensor.logdet = logdet
