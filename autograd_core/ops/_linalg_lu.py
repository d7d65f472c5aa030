"""PyTorch's LU factorisation with partial pivoting, for code ported from it (Glow's LU-decomposed invertible 1x1
convolution): torch.linalg.lu_factor, lu_factor_ex, lu and lu_solve, torch.lu_unpack, and the older torch.lu (t.lu())
and torch.lu_solve.

lu_factor is a primitive: its forward is LAPACK's getrf (row swaps chosen by the largest magnitude in the column,
the first at a tie, so the pivots are LAPACK's and torch's), written with NumPy over the stack, for any m x n
matrices (k = min(m, n) pivots, L m x k, U k x n); its gradient is torch's linalg_lu_backward (square, wide and
tall), written with NumPy calls so that it is recorded on Tensors and second derivatives hold. lu_unpack is a
composition (the triangles of the packed factor, and a constant permutation), so its gradient needs no rule.
"""
from collections import namedtuple

import numpy as np

from .._arguments import as_flag
from ..primitive import Primitive, as_operand
from ..tensor import Tensor, as_value
from ._linalg_errors import LinAlgError
from ._linalg_triangular import _check_square, _t
from .shape import swapaxes, tril, triu

__all__ = ["LUFactorExResult", "LUFactorResult", "LUResult", "lu", "lu_factor", "lu_factor_ex", "lu_solve",
           "lu_unpack", "torch_lu", "torch_lu_solve"]

LUFactorResult = namedtuple("LUFactorResult", ["LU", "pivots"])
LUFactorExResult = namedtuple("LUFactorExResult", ["LU", "pivots", "info"])
LUResult = namedtuple("LUResult", ["P", "L", "U"])


def _getrf(a):
    """(packed LU, 1-based int32 pivots, int32 info) of the stack a of m x n matrices, as LAPACK's getrf: min(m, n)
    pivots; info is 0, or the 1-based index of the first exactly zero pivot (the factor is then still complete, U
    singular)."""
    a = np.array(a, dtype=np.result_type(a, np.float32))
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    k = min(m, n)
    flat = a.reshape((int(np.prod(batch)), m, n))  # (not -1: a stack of 0 x 0 matrices has no size to infer from)
    rows = np.arange(flat.shape[0])
    pivots = np.zeros((flat.shape[0], k), np.int32)
    info = np.zeros(flat.shape[0], np.int32)
    for j in range(k):
        p = j + np.argmax(np.abs(flat[:, j:, j]), axis=-1)
        pivots[:, j] = p + 1
        flat[rows, j], flat[rows, p] = flat[rows, p], flat[rows, j].copy()
        pivot = flat[:, j, j]
        zero = pivot == 0
        info[zero & (info == 0)] = j + 1
        # a zero pivot leaves its column unscaled, as getrf does
        flat[:, j + 1:, j] /= np.where(zero, 1, pivot)[:, None]
        flat[:, j + 1:, j + 1:] -= flat[:, j + 1:, j, None] * flat[:, j, None, j + 1:]
    return flat.reshape(a.shape), pivots.reshape(batch + (k,)), info.reshape(batch)


def _permutation_matrix(pivots, dtype, m):
    """P (m x m, m the rows of A) with A = P @ L @ U, from LAPACK's sequential row swaps (row i
    swapped with row pivots[i] - 1)."""
    pivots = np.asarray(pivots)
    k = pivots.shape[-1]
    flat = pivots.reshape((int(np.prod(pivots.shape[:-1])), k)) - 1
    order = np.tile(np.arange(m), (flat.shape[0], 1))
    rows = np.arange(flat.shape[0])
    for i in range(k):
        order[rows, i], order[rows, flat[:, i]] = order[rows, flat[:, i]], order[rows, i].copy()
    # (P^T A)[i] = A[order[i]], so P[order[i], i] = 1
    permutation = np.zeros((flat.shape[0], m, m), dtype)
    permutation[rows[:, None], order, np.arange(m)] = 1
    return permutation.reshape(pivots.shape[:-1] + (m, m))


def _lu_packed_forward(a, pivots):
    return _getrf(a)[0]


def _lu_packed_grad(g, ans, a, pivots):
    # torch's linalg_lu_backward, with gL = tril(g, -1) (m x k) and gU = triu(g) (k x n), k = min(m, n):
    # square: gA = P L^{-H} (tril(L^H gL, -1) + triu(gU U^H)) U^{-H}
    # wide (m < n, U = [U1 U2]): gA = P L^{-H} [tril(L^H gL - gU U^H, -1) U1^{-H} + gU1, gU2]
    # tall (m > n, L = [L1; L2]): gA = P [L1^{-H} triu(gU U^H - L^H gL) + gL1; gL2] U^{-H}
    m, n = np.shape(ans)[-2:]
    k = min(m, n)
    dtype = np.result_type(as_value(ans))
    lower = np.tril(ans[..., :, :k], -1) + np.eye(m, k, dtype=dtype)
    upper = np.triu(ans[..., :k, :])
    g_lower, g_upper = np.tril(g[..., :, :k], -1), np.triu(g[..., :k, :])
    if m == n:
        phi = np.tril(_t(lower) @ g_lower, -1) + np.triu(g_upper @ _t(upper))
        inner = _t(np.linalg.solve(upper, _t(np.linalg.solve(_t(lower), phi))))
    elif m < n:
        phi = np.tril(_t(lower) @ g_lower - g_upper @ _t(upper), -1)
        phi = _t(np.linalg.solve(upper[..., :k], _t(phi)))  # phi U1^{-H}
        inner = np.linalg.solve(_t(lower), np.concatenate([phi + g_upper[..., :k], g_upper[..., k:]], axis=-1))
    else:
        phi = np.linalg.solve(_t(lower[..., :k, :]), np.triu(g_upper @ _t(upper) - _t(lower) @ g_lower))
        phi = np.concatenate([phi + g_lower[..., :k, :], g_lower[..., k:, :]], axis=-2)
        inner = _t(np.linalg.solve(upper, _t(phi)))  # phi U^{-H}
    return _permutation_matrix(pivots, dtype, m) @ inner


_lu_packed = Primitive("lu_factor", _lu_packed_forward, (_lu_packed_grad,),
                       hint="A: a matrix or a stack of them (..., m, n)")


def _factor(name, A, pivot):
    if not as_flag(pivot, name, "pivot"):
        raise NotImplementedError(f"{name}: pivot=False (LU without pivoting) is not implemented on the CPU, as "
                                  f"PyTorch's; use pivot=True")
    A = as_operand(A, name)
    if A.ndim < 2:
        raise LinAlgError(f"{name}: A must be a matrix or a stack of them (..., m, n), got shape {A.shape}")
    _, pivots, info = _getrf(A.data)
    return _lu_packed(A, pivots=pivots), Tensor._constant(pivots), info


def lu_factor(A, *, pivot=True):
    """(LU, pivots), as torch.linalg.lu_factor: A = P @ L @ U packed in one matrix (L's unit diagonal not stored),
    pivots the 1-based int32 row swaps of LAPACK's getrf (min(m, n) of them for m x n matrices). Differentiable in A.
    An exactly zero pivot raises LinAlgError, as torch's (lu_factor_ex and lu factor such matrices).

    >>> import autograd_core as ag
    >>> LU, pivots = ag.linalg.lu_factor(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    >>> LU, pivots
    (Tensor([[3.        , 4.        ],
            [0.33333333, 0.66666667]]), Tensor([2, 2], dtype=int32))
    """
    packed, pivots, info = _factor("lu_factor", A, pivot)
    _raise_at_zero_pivot("lu_factor", info, packed.shape,
                         "lu_solve would divide by it; linalg.lu_factor_ex or linalg.lu factor such a matrix")
    return LUFactorResult(packed, pivots)


def _raise_at_zero_pivot(name, info, shape, advice):
    """LinAlgError naming the first matrix of the stack (of shape `shape`) whose factor U has a zero pivot, if any."""
    if info.any():
        first = tuple(int(i) for i in np.argwhere(info > 0)[0])
        where = f"(batch element {', '.join(map(str, first))}) " if first else ""
        raise LinAlgError(f"{name}: {where}U[{info[first]}, {info[first]}] is zero (A of shape {shape}): the "
                          f"factorization has been completed, but the factor U is exactly singular; {advice}")


def lu_factor_ex(A, *, pivot=True, check_errors=False):
    """(LU, pivots, info), as torch.linalg.lu_factor_ex: lu_factor's factor and pivots, and info (int32, of the batch
    shape) 0, or the 1-based index of the first exactly zero pivot of U (the factor is still complete); with
    check_errors=True such a matrix raises LinAlgError, as torch's.

    >>> import autograd_core as ag
    >>> ag.linalg.lu_factor_ex(ag.tensor([[1.0, 2.0], [2.0, 4.0]])).info
    Tensor(2, dtype=int32)
    """
    packed, pivots, info = _factor("lu_factor_ex", A, pivot)
    if as_flag(check_errors, "lu_factor_ex", "check_errors"):
        _raise_at_zero_pivot("lu_factor_ex", info, packed.shape, "check_errors=False returns it with its info")
    return LUFactorExResult(packed, pivots, Tensor._constant(info))


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True):
    """(P, L, U) from lu_factor's packed result, as torch.lu_unpack: L unit lower triangular, U upper triangular
    (both differentiable in LU_data; m x k and k x n for m x n factors, k = min(m, n)), P the constant m x m
    permutation matrix. A part not unpacked is an empty Tensor.

    >>> import autograd_core as ag
    >>> P, L, U = ag.lu_unpack(*ag.linalg.lu_factor(ag.tensor([[1.0, 2.0], [3.0, 4.0]])))
    >>> P @ L @ U
    Tensor([[1., 2.],
            [3., 4.]])
    """
    LU_data = as_operand(LU_data, "lu_unpack")
    if LU_data.ndim < 2:
        raise LinAlgError(f"lu_unpack: LU_data must be a matrix or a stack of them (..., m, n), got shape "
                          f"{LU_data.shape}")
    pivots = as_value(LU_pivots)
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    if np.shape(pivots) != LU_data.shape[:-2] + (k,) or not np.issubdtype(np.asarray(pivots).dtype, np.integer):
        raise ValueError(f"lu_unpack: LU_pivots must be integers of shape {LU_data.shape[:-2] + (k,)} (lu_factor's "
                         f"for LU_data of shape {LU_data.shape}), got {np.asarray(pivots).dtype} of shape "
                         f"{np.shape(pivots)}")
    empty = Tensor._constant(np.empty((0,), LU_data.dtype))
    lower = upper = permutation = empty
    if as_flag(unpack_data, "lu_unpack", "unpack_data"):
        lower = tril(LU_data[..., :, :k], -1) + np.eye(m, k, dtype=LU_data.dtype)
        upper = triu(LU_data[..., :k, :])
    if as_flag(unpack_pivots, "lu_unpack", "unpack_pivots"):
        permutation = Tensor._constant(_permutation_matrix(pivots, LU_data.dtype, m))
    return LUResult(permutation, lower, upper)


def lu(A, *, pivot=True):
    """(P, L, U) with A = P @ L @ U, as torch.linalg.lu: lu_unpack(*lu_factor(A)) (for m x n matrices P is m x m, L
    m x k and U k x n, k = min(m, n)). Differentiable in A.

    >>> import autograd_core as ag
    >>> P, L, U = ag.linalg.lu(ag.tensor([[0.0, 1.0], [2.0, 3.0]]))
    >>> P
    Tensor([[0., 1.],
            [1., 0.]])
    """
    packed, pivots, _ = _factor("lu", A, pivot)
    return lu_unpack(packed, pivots)


def lu_solve(LU, pivots, B, *, left=True, adjoint=False):
    """X with A @ X = B (left=False: X @ A = B; adjoint=True: A.T in A's place), A given by lu_factor's (LU, pivots),
    as torch.linalg.lu_solve: the permutation, then two triangular solves (solve_triangular's), so the gradients of
    LU and B, to any order, are theirs. The stacks broadcast.

    >>> import autograd_core as ag
    >>> A = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ag.linalg.lu_solve(*ag.linalg.lu_factor(A), ag.tensor([[5.0], [11.0]]))
    Tensor([[1.],
            [2.]])
    """
    from ._linalg_triangular import solve_triangular
    _check_square("lu_solve", LU, "LU")
    P, lower, upper = lu_unpack(LU, pivots)
    B = as_operand(B, "lu_solve")
    if B.ndim < 2:
        raise LinAlgError(f"lu_solve: B of shape {B.shape} must be a matrix or a stack of them (..., n, k)")
    left, adjoint = as_flag(left, "lu_solve", "left"), as_flag(adjoint, "lu_solve", "adjoint")
    if not left:  # X A = B is A^T X^T = B^T (and X A^T = B is A X^T = B^T)
        B = swapaxes(B, -1, -2)
    if left == adjoint:  # A^T X = B: U^T L^T P^T X = B
        Y = solve_triangular(swapaxes(upper, -1, -2), B, upper=False)
        X = P @ solve_triangular(swapaxes(lower, -1, -2), Y, upper=True, unitriangular=True)
    else:  # A X = B: P L U X = B
        Y = solve_triangular(lower, swapaxes(P, -1, -2) @ B, upper=False, unitriangular=True)
        X = solve_triangular(upper, Y, upper=True)
    return X if left else swapaxes(X, -1, -2)


def torch_lu_solve(b, LU_data, LU_pivots):
    """The older torch.lu_solve (t.lu_solve(LU_data, LU_pivots)): linalg.lu_solve(LU_data, LU_pivots, b).

    >>> import autograd_core as ag
    >>> ag.lu_solve(ag.tensor([[5.0], [11.0]]), *ag.lu(ag.tensor([[1.0, 2.0], [3.0, 4.0]])))
    Tensor([[1.],
            [2.]])
    """
    return lu_solve(LU_data, LU_pivots, b)


def torch_lu(A, pivot=True, get_infos=False):
    """The older torch.lu (t.lu()): (LU, pivots) as lu_factor, and with get_infos=True the int32 infos too (0, or
    the 1-based index of the first zero pivot of each matrix).

    >>> import autograd_core as ag
    >>> LU, pivots, infos = ag.tensor([[1.0, 2.0], [2.0, 4.0]]).lu(get_infos=True)
    >>> infos
    Tensor(2, dtype=int32)
    """
    packed, pivots, info = _factor("lu", A, pivot)
    if as_flag(get_infos, "lu", "get_infos"):
        return packed, pivots, Tensor._constant(info)
    return packed, pivots


Tensor.lu = torch_lu
Tensor.lu_solve = torch_lu_solve
