"""PyTorch's triangular solves, Cholesky helpers and logdet, for code ported from it (Gaussian processes,
whitening): torch.linalg.solve_triangular, torch.linalg.cholesky_ex, torch.cholesky_solve, torch.cholesky_inverse,
torch.logdet and the older torch.triangular_solve.

solve_triangular is a composition (the triangle it reads, then solve), so its gradient is solve's, masked to that
triangle by tril/triu: torch's. cholesky_solve is a primitive: its forward reads one triangle of L, as torch's (LAPACK's
potrs), but torch's gradient of L, -(gB X^T + X gB^T) L, is a full matrix, not masked; its rules are written with
NumPy calls, recorded on Tensors, so second derivatives hold. NumPy has no triangular solver: the solves go through
np.linalg.solve on the triangle (LU), equal to a substitution's to rounding.
"""
import warnings
from collections import namedtuple

import numpy as np

from .._arguments import as_flag
from ..primitive import Primitive, as_operand
from ._linalg_errors import LinAlgError, raising_linalg_error
from ..tensor import Tensor, as_value
from .elementwise import where
from .shape import copy, swapaxes, tril, triu

__all__ = ["CholeskyExResult", "TriangularSolveResult", "cholesky_ex", "cholesky_inverse", "cholesky_solve", "logdet",
           "solve_triangular", "triangular_solve"]

CholeskyExResult = namedtuple("CholeskyExResult", ["L", "info"])
TriangularSolveResult = namedtuple("TriangularSolveResult", ["solution", "cloned_coefficient"])


def _t(x):
    return np.swapaxes(x, -1, -2)


def _check_square(name, a, a_name="A"):
    a_shape = np.shape(as_value(a))
    if len(a_shape) < 2 or a_shape[-1] != a_shape[-2]:
        raise LinAlgError(f"{name}: {a_name} must be a square matrix or a stack of them (..., n, n), got shape "
                          f"{a_shape}")


def _check_system(name, a, b, left=True, a_name="A", b_name="B"):
    _check_square(name, a, a_name)
    a_shape, b_shape = np.shape(as_value(a)), np.shape(as_value(b))
    axis = -2 if left else -1
    if len(b_shape) < 2 or b_shape[axis] != a_shape[-1]:
        wanted = f"(..., {a_shape[-1]}, k)" if left else f"(..., k, {a_shape[-1]})"
        raise ValueError(f"{name}: {b_name} of shape {b_shape} does not fit {a_name} of shape {a_shape}; give a matrix "
                         f"or a stack of them {wanted} (a vector v as v[:, None])")


def solve_triangular(A, B, *, upper, left=True, unitriangular=False):
    """X with A @ X = B (left=False: X @ A = B), A triangular, as torch.linalg.solve_triangular: only A's upper or
    lower triangle is read (unitriangular: its diagonal taken as ones), and the gradient of A is masked to it.

    >>> import autograd_core as ag
    >>> ag.linalg.solve_triangular(ag.tensor([[2.0, 0.0], [1.0, 4.0]]), ag.tensor([[2.0], [9.0]]), upper=False)
    Tensor([[1.],
            [2.]])
    """
    upper = as_flag(upper, "solve_triangular", "upper (keyword-only, no default, as PyTorch's)")
    _check_system("solve_triangular", A, B, left)
    A, B = as_operand(A, "solve_triangular"), as_operand(B, "solve_triangular")
    diagonal = 1 if unitriangular else 0
    triangle = triu(A, diagonal) if upper else tril(A, -diagonal)
    if unitriangular:
        triangle = triangle + np.eye(A.shape[-1], dtype=A.dtype)
    from .linalg import solve  # (linalg re-exports this module)
    if left:
        return solve(triangle, B)
    return swapaxes(solve(swapaxes(triangle, -1, -2), swapaxes(B, -1, -2)), -1, -2)


def _cholesky_solve_forward(b, l, upper):
    lower = _t(np.triu(l)) if upper else np.tril(l)
    return np.linalg.solve(_t(lower), np.linalg.solve(lower, b))


def _cholesky_solve_gl(g, ans, b, l, upper):
    # torch's cholesky_solve_backward: common = gB X^T + X gB^T, gL = -common L (upper: -U common)
    gb = _cholesky_solve_forward(g, l, upper)
    common = gb @ _t(ans)
    common = common + _t(common)
    return -(l @ common) if upper else -(common @ l)


_cholesky_solve = Primitive("cholesky_solve", raising_linalg_error(_cholesky_solve_forward),
                            (lambda g, ans, b, l, upper: _cholesky_solve_forward(g, l, upper), _cholesky_solve_gl),
                            hint="B: (..., n, k); L: a Cholesky factor (..., n, n), lower (upper=True: upper) "
                                 "triangular with a nonzero diagonal; batch axes broadcast")


def cholesky_solve(B, L, upper=False):
    """X with (L @ L.T) @ X = B, L lower triangular (upper=True: (U.T @ U) @ X = B), as torch.cholesky_solve: B
    first, L from ag.linalg.cholesky. Only L's triangle is read; the gradient of L is torch's (a full matrix).

    >>> import autograd_core as ag
    >>> L = ag.linalg.cholesky(ag.tensor([[4.0, 2.0], [2.0, 5.0]]))
    >>> ag.cholesky_solve(ag.tensor([[6.0], [7.0]]), L)
    Tensor([[1.],
            [1.]])
    """
    upper = as_flag(upper, "cholesky_solve", "upper")
    _check_system("cholesky_solve", L, B, a_name="L", b_name="B")
    return _cholesky_solve(B, L, upper=upper)


def cholesky_inverse(L, upper=False):
    """inv(L @ L.T) from its Cholesky factor L (upper=True: inv(U.T @ U)), as torch.cholesky_inverse (a GP's
    posterior covariance). cholesky_solve of the identity, so the gradient of L is torch's (a full matrix).

    >>> import autograd_core as ag
    >>> ag.cholesky_inverse(ag.tensor([[2.0, 0.0], [1.0, 1.0]]))
    Tensor([[ 0.5, -0.5],
            [-0.5,  1. ]])
    """
    upper = as_flag(upper, "cholesky_inverse", "upper")
    _check_square("cholesky_inverse", L, "L")
    L = as_operand(L, "cholesky_inverse")
    identity = Tensor._constant(np.broadcast_to(np.eye(L.shape[-1], dtype=L.dtype), L.shape))
    return _cholesky_solve(identity, L, upper=upper)


def triangular_solve(b, A, upper=True, transpose=False, unitriangular=False):
    """The older torch.triangular_solve (deprecated there for linalg.solve_triangular, with its warning, kept here
    for the code that calls it): X with A @ X = b (transpose=True: A.T @ X = b), A upper triangular by default, b
    first; returns (solution, cloned_coefficient), the second a copy of A.

    >>> import autograd_core as ag, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # (the deprecation)
    ...     x = ag.triangular_solve(ag.tensor([[2.0], [9.0]]), ag.tensor([[2.0, 0.0], [1.0, 4.0]]), upper=False)
    >>> x.solution
    Tensor([[1.],
            [2.]])
    """
    warnings.warn("torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular and will be removed "
                  "in a future PyTorch release: X = ag.triangular_solve(B, A).solution is "
                  "X = ag.linalg.solve_triangular(A, B, upper=True)", UserWarning, stacklevel=2)
    upper = as_flag(upper, "triangular_solve", "upper")
    transpose = as_flag(transpose, "triangular_solve", "transpose")
    A = as_operand(A, "triangular_solve")
    coefficient = swapaxes(A, -1, -2) if transpose else A
    solution = solve_triangular(coefficient, b, upper=upper != transpose, unitriangular=unitriangular)
    return TriangularSolveResult(solution, copy(A))


def logdet(A):
    """log(det(A)), as torch.logdet: NaN where the determinant is negative, -inf where it is 0; the gradient is
    inv(A).T (slogdet's).

    >>> import autograd_core as ag
    >>> round(ag.logdet(ag.tensor([[2.0, 0.0], [0.0, 3.0]])).item(), 4)
    1.7918
    """
    from .linalg import slogdet  # (linalg re-exports this module)
    sign, logabsdet = slogdet(A)
    with np.errstate(divide="ignore", invalid="ignore"):  # log(-1) is NaN and log(0) -inf, as torch's
        log_sign = np.log(sign.data.astype(logabsdet.dtype))
    return logabsdet + Tensor._constant(log_sign) if np.any(log_sign) else logabsdet


def _failed_minor_orders(a):
    """Per matrix of the stack a, 0 if positive definite, else the order of its first leading minor that is not
    (LAPACK's potrf info, as torch's): a Cholesky by columns that stops at the first pivot <= 0 (or NaN)."""
    a = np.array(a, dtype=np.result_type(a, np.float64))
    batch, n = a.shape[:-2], a.shape[-1]
    info = np.zeros(batch, dtype=np.int32)
    lower = np.zeros_like(a)
    for j in range(n):
        pivot = a[..., j, j] - np.sum(lower[..., j, :j] ** 2, axis=-1)
        failed = (info == 0) & ~(pivot > 0)
        info[failed] = j + 1
        root = np.sqrt(np.where(pivot > 0, pivot, 1.0))
        lower[..., j, j] = root
        below = a[..., j + 1:, j] - np.einsum("...ik,...k->...i", lower[..., j + 1:, :j], lower[..., j, :j])
        lower[..., j + 1:, j] = below / root[..., None]
    return info


def cholesky_ex(A, *, upper=False, check_errors=False):
    """(L, info), as torch.linalg.cholesky_ex: L the Cholesky factor (ag.linalg.cholesky's, differentiable), info
    an int32 Tensor of the batch shape, 0 where the matrix is positive definite and else the order of the first
    leading minor that is not. Where info > 0, L is NaN (torch's holds LAPACK's partial work: use neither);
    check_errors=True raises LinAlgError there instead, as cholesky.

    >>> import autograd_core as ag
    >>> L, info = ag.linalg.cholesky_ex(ag.tensor([[4.0, 2.0], [2.0, 5.0]]))
    >>> L, info.item()
    (Tensor([[2., 0.],
            [1., 2.]]), 0)
    >>> ag.linalg.cholesky_ex(ag.tensor([[1.0, 2.0], [2.0, 1.0]])).info.item()
    2
    """
    from .linalg import cholesky  # (linalg re-exports this module)
    A = as_operand(A, "cholesky_ex")
    _check_square("cholesky_ex", A)
    try:
        return CholeskyExResult(cholesky(A, upper=upper), Tensor._constant(np.zeros(A.shape[:-2], np.int32)))
    except np.linalg.LinAlgError:
        if check_errors:
            raise
    info = _failed_minor_orders(A.data)
    return CholeskyExResult(nan_where_failed(A, info, lambda safe: cholesky(safe, upper=upper)), Tensor._constant(info))


def nan_where_failed(A, info, compute):
    """compute(A) (a result per matrix of the stack A) where LAPACK's info is 0, NaN where it is not: the failed
    matrices are replaced by the identity first, so that the others keep their values and gradients (the _ex
    functions': cholesky_ex, inv_ex, solve_ex)."""
    failed = info > 0
    result = compute(where(Tensor._constant(failed[..., None, None]), np.eye(A.shape[-1], dtype=A.dtype), A))
    return where(Tensor._constant(failed.reshape(failed.shape + (1,) * (result.ndim - failed.ndim))), np.nan, result)


# PyTorch's methods, self the first argument: t.cholesky_solve(L), t.cholesky_inverse(), t.triangular_solve(A)
Tensor.cholesky_solve, Tensor.cholesky_inverse = cholesky_solve, cholesky_inverse
Tensor.triangular_solve = triangular_solve
