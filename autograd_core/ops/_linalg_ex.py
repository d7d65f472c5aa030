"""PyTorch's torch.linalg.inv_ex and torch.linalg.solve_ex: the inverse or the solution beside LAPACK's info (0, or
the 1-based index of the first exactly zero pivot of the LU factorisation), so a batch holding a singular matrix
is reported per matrix instead of raising, as a mass matrix inverted in a Lagrangian network's step may be.

The values and gradients are ag.linalg.inv's and solve's, info zeros when they succeed; when LAPACK fails, info is
worked out and each singular matrix replaced by the identity before the call again (so the others keep their values
and gradients), its result NaN (torch's holds LAPACK's partial work, inf or garbage: use neither). check_errors=True
raises LinAlgError there instead, as torch's.
"""
from collections import namedtuple

import numpy as np

from .._arguments import as_flag
from ..primitive import as_operand
from ..tensor import Tensor
from ._linalg_errors import LinAlgError
from ._linalg_lu import _getrf
from ._linalg_triangular import _check_square, _check_system, nan_where_failed
from .shape import swapaxes

__all__ = ["InvExResult", "SolveExResult", "inv_ex", "solve_ex"]

# torch.return_types.linalg_inv_ex and linalg_solve_ex
InvExResult = namedtuple("InvExResult", ["inverse", "info"])
SolveExResult = namedtuple("SolveExResult", ["result", "info"])


def _ex(name, A, check_errors, failure, compute):
    """(compute(A), info as a constant int32 Tensor of the batch shape): LAPACK's info worked out (a Python LU,
    _getrf) only when the plain call fails, the singular matrices' results then NaN (or, with check_errors, a
    LinAlgError naming the first)."""
    check_errors = as_flag(check_errors, name, "check_errors")
    try:
        return compute(A), Tensor._constant(np.zeros(A.shape[:-2], np.int32))
    except np.linalg.LinAlgError:
        info = _getrf(A.data)[2]
        if not info.any():  # (LAPACK failed on what the LU here finds regular: its error stands)
            raise
    if check_errors:
        first = int(np.flatnonzero(info)[0])
        where_in_batch = f"(Batch element {first}): " if info.ndim else ""
        raise LinAlgError(f"linalg.{name}: {where_in_batch}{failure} because the input matrix is singular: the "
                          f"diagonal element {int(info.flat[first])} of its LU factor U is zero (check_errors=False "
                          f"reports it in info instead)")
    return nan_where_failed(A, info, compute), Tensor._constant(info)


def inv_ex(A, *, check_errors=False):
    """(inverse, info), as torch.linalg.inv_ex: inverse is ag.linalg.inv's (differentiable), info an int32 Tensor
    of the batch shape, 0 where the matrix is invertible and else the order of the first zero pivot of its LU
    factorisation. Where info > 0, inverse is NaN; check_errors=True raises LinAlgError there instead.

    >>> import autograd_core as ag
    >>> inverse, info = ag.linalg.inv_ex(ag.tensor([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 2.0], [2.0, 4.0]]]))
    >>> inverse[0], info
    (Tensor([[0.5 , 0.  ],
            [0.  , 0.25]]), Tensor([0, 2], dtype=int32))
    """
    from .linalg import inv  # (linalg re-exports this module)
    A = as_operand(A, "inv_ex")
    _check_square("inv_ex", A)
    return InvExResult(*_ex("inv_ex", A, check_errors, "The inversion could not be completed", inv))


def solve_ex(A, B, *, left=True, check_errors=False):
    """(result, info), as torch.linalg.solve_ex: X with A @ X = B (left=False: X @ A = B), ag.linalg.solve's values
    and gradients, info as inv_ex's (result NaN where info > 0). B is a vector, or a batch of them, when it is 1-D or
    has the shape A.shape[:-1] (PyTorch's rule; ag.linalg.solve follows NumPy's, a vector only when 1-D); otherwise a
    matrix (..., n, k).

    >>> import autograd_core as ag
    >>> ag.linalg.solve_ex(ag.tensor([[2.0, 0.0], [0.0, 4.0]]), ag.tensor([1.0, 1.0]))
    SolveExResult(result=Tensor([0.5 , 0.25]), info=Tensor(0, dtype=int32))
    """
    from .linalg import solve  # (linalg re-exports this module)
    A, B = as_operand(A, "solve_ex"), as_operand(B, "solve_ex")
    _check_square("solve_ex", A)
    left = as_flag(left, "solve_ex", "left")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if vector:
        if not left or B.shape[-1] != A.shape[-1]:
            raise ValueError(f"solve_ex: B of shape {B.shape} does not fit A of shape {A.shape}: a vector B needs "
                             f"left=True and {A.shape[-1]} entries (for X @ A = B give B as a matrix (..., k, "
                             f"{A.shape[-1]}))")
    else:
        _check_system("solve_ex", A, B, left)
    if vector:
        compute = lambda M: solve(M, B[..., None])[..., 0]  # noqa: E731
    elif left:
        compute = lambda M: solve(M, B)  # noqa: E731
    else:
        compute = lambda M: swapaxes(solve(swapaxes(M, -1, -2), swapaxes(B, -1, -2)), -1, -2)  # noqa: E731
    return SolveExResult(*_ex("solve_ex", A, check_errors, "The solver failed", compute))
