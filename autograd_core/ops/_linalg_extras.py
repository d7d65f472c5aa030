"""The rest of np.linalg that composes from the engine's operations, exported by autograd_core.ops.linalg: cond,
matrix_rank (a constant), vecdot, cross, tensorinv, tensorsolve, lstsq, and torch.linalg's matrix_exp. None needs a
gradient rule of its own."""
import math
from collections import namedtuple

import numpy as np

from .._arguments import UNGIVEN, Default, InvalidArgumentError, axis_from_dim
from ..primitive import as_operand
from ._linalg_errors import LinAlgError
from ..tensor import Tensor, as_value
from .reductions import max as _max, min as _min, sum as _sum
from .elementwise import where
from .arithmetic import matmul
from .shape import reshape, stack, transpose


class LstsqResult(namedtuple("LstsqResult", ["x", "residuals", "rank", "s"])):  # (NumPy's is a plain tuple)
    """lstsq's (x, residuals, rank, s), also read by torch.linalg.lstsq's names: solution, singular_values."""
    __slots__ = ()
    solution = property(lambda self: self.x)
    singular_values = property(lambda self: self.s)


def cond(x, p=None):
    """The condition number, as np.linalg.cond: p None, 2 or -2 from the singular values (largest over smallest, or
    the reverse), any other matrix norm order as norm(x, p) * norm(inv(x), p).

    >>> import autograd_core as ag
    >>> ag.linalg.cond(ag.tensor([[2.0, 0.0], [0.0, 0.5]]))
    Tensor(4.)
    """
    from .linalg import inv, norm, svdvals
    x = as_operand(x, "linalg.cond")
    if x.ndim < 2:
        raise LinAlgError(f"cond: input of shape {x.shape} has {x.ndim} dimension(s); give a matrix or a "
                          f"stack of matrices (2 or more axes)")
    if not (x.shape[-1] and x.shape[-2]):
        raise LinAlgError(f"cond: input of shape {x.shape} holds empty matrices; cond is not defined on "
                          f"empty arrays")
    value = np.asarray(x.data)
    if p is None or p == 2 or p == -2:
        s = svdvals(x)
        # a zero divisor (the smallest singular value, or for -2 the largest): NumPy's inf, the matrix replaced by the
        # identity so that no 0 / 0 reaches the others' gradients
        singular = np.asarray(np.min(s.data, axis=-1) == 0 if p != -2 else np.max(s.data, axis=-1) == 0)
        if singular.any():
            s = svdvals(where(singular[..., None, None], np.eye(*x.shape[-2:], dtype=x.dtype), x))
        big, small = _max(s, axis=-1), _min(s, axis=-1)
        result = small / big if p == -2 else big / small
    else:
        if x.shape[-1] != x.shape[-2]:
            raise LinAlgError(f"cond: input of shape {x.shape} is not a stack of square matrices; p={p!r} "
                              f"needs square ones (p None, 2 or -2 take any)")
        # NumPy's: a singular matrix (inv fails) has the condition number inf; it is replaced by the identity so
        # that the others keep their values and gradients
        flat = value.reshape((-1,) + value.shape[-2:])
        singular = np.zeros(len(flat), bool)
        for i, matrix in enumerate(flat):
            try:
                np.linalg.inv(matrix)
            except np.linalg.LinAlgError:
                singular[i] = True
        singular = singular.reshape(value.shape[:-2])
        if singular.any():
            x = where(singular[..., None, None], np.eye(x.shape[-1], dtype=x.dtype), x)
        result = norm(x, p, axis=(-2, -1)) * norm(inv(x), p, axis=(-2, -1))
    # NumPy's: a NaN result becomes inf unless the matrix holds a NaN (0 / 0 for a zero matrix, inf / inf...)
    infinite = singular | (np.isnan(result.data) & ~np.isnan(value).any(axis=(-2, -1)))
    return where(infinite, np.asarray(np.inf, result.dtype), result) if infinite.any() else result


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None, atol=None):
    """The rank (the count of singular values above the tolerance), as np.linalg.matrix_rank: an integer constant.
    atol is torch.linalg.matrix_rank's name for tol (an absolute tolerance, a number or one per matrix); with rtol
    too, the larger of atol and rtol times the largest singular value is used, as torch's.

    >>> import autograd_core as ag
    >>> ag.linalg.matrix_rank(ag.tensor([[1.0, 2.0], [2.0, 4.0]]))
    Tensor(1)
    """
    tol, rtol, atol = (as_value(v) if isinstance(v, Tensor) else v for v in (tol, rtol, atol))
    if atol is not None:
        if tol is not None:
            raise TypeError("matrix_rank: give tol= or atol= (torch's name for it), not both")
        if rtol is None:
            tol = atol
        else:  # (NumPy's takes one of them)
            a = np.asarray(as_value(A))
            s = np.abs(np.linalg.eigvalsh(a)) if hermitian else np.linalg.svd(a, compute_uv=False)
            largest = np.max(s, axis=-1, initial=0.0)
            limit = np.maximum(np.asarray(atol), np.asarray(rtol) * largest)
            return Tensor._constant(np.asarray(np.count_nonzero(s > np.expand_dims(limit, -1), axis=-1)))
    return Tensor._constant(np.asarray(np.linalg.matrix_rank(as_value(A), tol, hermitian, rtol=rtol)))


def vecdot(x1, x2, /, *, axis=Default(-1), dim=None):
    """The dot products of vectors along axis (broadcasting the others), as np.linalg.vecdot. dim is
    torch.linalg.vecdot's name for axis, counted as there in the broadcast shape.

    >>> import autograd_core as ag
    >>> ag.linalg.vecdot(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([1.0, 1.0]))
    Tensor([3., 7.])
    >>> ag.linalg.vecdot(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([[1.0], [1.0]]), dim=0)
    Tensor([4., 6.])
    """
    x1, x2 = as_operand(x1, "linalg.vecdot"), as_operand(x2, "linalg.vecdot")
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError(f"vecdot: inputs of shapes {x1.shape} and {x2.shape}; give arrays of vectors (1 or more axes)")
    axis = axis_from_dim("linalg.vecdot", axis, dim, UNGIVEN)
    if dim is not None:  # torch's: dim counts in the broadcast shape, where a size 1 along it broadcasts too
        try:
            shape = np.broadcast_shapes(x1.shape, x2.shape)
        except ValueError:
            raise ValueError(f"vecdot: inputs of shapes {x1.shape} and {x2.shape} do not broadcast") from None
        if not -len(shape) <= axis < len(shape):
            raise np.exceptions.AxisError(f"vecdot: dim={dim} is out of range for the broadcast shape {shape} of "
                                          f"inputs {x1.shape} and {x2.shape}; give a dim in [{-len(shape)}, "
                                          f"{len(shape)})") from None
        axis -= len(shape) if axis >= 0 else 0
    else:
        try:
            n1, n2 = x1.shape[axis], x2.shape[axis]
        except IndexError:
            raise np.exceptions.AxisError(f"vecdot: axis {axis} is out of range for shapes {x1.shape} and "
                                          f"{x2.shape}") from None
        if n1 != n2:
            raise ValueError(f"vecdot: the vectors along axis {axis} differ in length: shapes {x1.shape} and "
                             f"{x2.shape}")
    dtype = np.result_type(x1.dtype, x2.dtype)  # (NumPy's: sum would widen small integers and bools to int64)
    out = _sum(x1 * x2, axis=axis)
    return out if out.dtype == dtype else out.astype(dtype)


def cross(x1, x2, /, *, axis=Default(-1), dim=None):
    """The cross products of 3-vectors along axis (broadcasting the others), as np.linalg.cross (dim is
    torch.linalg.cross's name for axis).

    >>> import autograd_core as ag
    >>> ag.linalg.cross(ag.tensor([1.0, 0.0, 0.0]), ag.tensor([0.0, 1.0, 0.0]))
    Tensor([0., 0., 1.])
    """
    x1, x2 = as_operand(x1, "linalg.cross"), as_operand(x2, "linalg.cross")
    axis = axis_from_dim("linalg.cross", axis, dim, UNGIVEN)
    try:
        n1, n2 = x1.shape[axis], x2.shape[axis]
    except IndexError:
        raise np.exceptions.AxisError(f"cross: axis {axis} is out of range for shapes {x1.shape} and {x2.shape}") \
            from None
    if n1 != 3 or n2 != 3:
        raise InvalidArgumentError(f"cross: both inputs must be (arrays of) 3-vectors along axis {axis}, got shapes "
                                   f"{x1.shape} and {x2.shape}")
    if axis >= 0 and x1.ndim != x2.ndim:
        raise ValueError(f"cross: a non-negative axis ({axis}) is ambiguous for inputs of {x1.ndim} and {x2.ndim} "
                         f"dimensions; count it from the end (axis=-1)")
    a = [x1[_along(x1.ndim, axis, i)] for i in range(3)]
    b = [x2[_along(x2.ndim, axis, i)] for i in range(3)]
    return stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]], axis=axis)


def _along(ndim, axis, i):
    """The index taking entry i along axis (of ndim axes)."""
    axis = axis % ndim
    return (slice(None),) * axis + (i,)


def vander(x, N=None):
    """The Vandermonde matrices of the vectors in x (..., n), as torch.linalg.vander: (..., n, N), column j holding
    x ** j (increasing powers; N defaults to n and must be at least 2, as torch's; a 0-d x is a vector of one entry,
    as there). Built by repeated products, so the gradient at x = 0 is finite.

    >>> import autograd_core as ag
    >>> ag.linalg.vander(ag.tensor([1.0, 2.0, 3.0]))
    Tensor([[1., 1., 1.],
            [1., 2., 4.],
            [1., 3., 9.]])
    """
    x = as_operand(x, "linalg.vander")
    shape = x.shape
    if x.ndim == 0:  # (one vector of one entry, as torch's)
        x = reshape(x, (1,))
    N = x.shape[-1] if N is None else N
    if not isinstance(N, (int, np.integer)) or isinstance(N, bool) or N < 2:
        raise InvalidArgumentError(f"vander: N must be an integer greater than 1, got {N!r} (x of shape {shape})")
    return increasing_powers(x, N)


def increasing_powers(x, N):
    """x ** 0, ..., x ** (N - 1) along a new last axis, by repeated products (vander's, and np.vander's, any N >= 0)."""
    columns = [where(True, 1, x)]  # (ones of x's shape and dtype, x kept in the graph)
    for _ in range(1, N):
        columns.append(columns[-1] * x)
    return stack(columns[:N], axis=-1) if N else columns[0][..., None][..., :0]


def householder_product(A, tau):
    """The first n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^T, as torch.linalg.householder_product (LAPACK's
    orgqr): v_i is A's column i below the diagonal with a 1 on it (the reflectors geqrf stores), A (..., m, n) with
    m >= n >= k, tau (..., k). A composition (each H_i applied as Q - tau_i (Q v_i) v_i^T), so gradients are exact.

    >>> import autograd_core as ag
    >>> ag.linalg.householder_product(ag.tensor([[1.0], [1.0]]), ag.tensor([1.0]))
    Tensor([[ 0.],
            [-1.]])
    """
    A, tau = as_operand(A, "linalg.householder_product"), as_operand(tau, "linalg.householder_product")
    if A.ndim < 2 or tau.ndim < 1:
        raise InvalidArgumentError(f"householder_product: input of shape {A.shape} must have at least 2 dimensions and "
                                   f"tau of shape {tau.shape} at least 1")
    m, n = A.shape[-2:]
    k = tau.shape[-1]
    if not m >= n >= k or tau.shape[:-1] != A.shape[:-2]:
        raise InvalidArgumentError(f"householder_product: input of shape {A.shape} and tau of shape {tau.shape}: "
                                   f"input.shape[-2] must be >= input.shape[-1] >= tau.shape[-1], and tau's batch "
                                   f"dimensions equal to input.shape[:-2]")
    rows = np.arange(m)
    dtype = np.result_type(A.dtype, tau.dtype)
    Q = Tensor._constant(np.array(np.broadcast_to(np.eye(m, dtype=dtype), A.shape[:-2] + (m, m))))
    if k == 0:  # the identity's first n columns: a result of A still (gradient 0, as PyTorch's), not a constant
        return where(np.ones(A.shape, bool), Q[..., :, :n], A)
    for i in range(k):
        v = where(rows > i, A[..., :, i], 0.0) + (rows == i)  # (..., m)
        Qv = matmul(Q, v[..., :, None])  # (..., m, 1)
        Q = Q - tau[..., i, None, None] * Qv * v[..., None, :]
    return Q[..., :, :n]


def tensorinv(a, ind=2):
    """The inverse of a tensor for tensordot over its first ind axes, as np.linalg.tensorinv.

    >>> import autograd_core as ag
    >>> ag.linalg.tensorinv(2 * ag.eye(4).reshape(4, 2, 2), ind=1).shape
    (2, 2, 4)
    """
    from .linalg import inv
    a = as_operand(a, "linalg.tensorinv")
    if not isinstance(ind, int) or ind <= 0:
        raise InvalidArgumentError(f"tensorinv: ind must be a positive integer, got {ind!r}")
    rows, cols = math.prod(a.shape[:ind]), math.prod(a.shape[ind:])
    if rows != cols:
        raise LinAlgError(f"tensorinv: shape {a.shape} with ind={ind} gives a {rows} x {cols} matrix; the "
                          f"first ind axes and the others must hold as many entries")
    return reshape(inv(reshape(a, rows, cols)), a.shape[ind:] + a.shape[:ind])


def tensorsolve(a, b, axes=None, *, dims=None):
    """x such that tensordot(a, x, axes=x.ndim) = b, as np.linalg.tensorsolve (axes: those of a moved last first;
    dims is torch.linalg.tensorsolve's name for it). As NumPy's and torch's, a's leading axes need only hold as many
    entries as b (b is read flat), and its other axes as many again.

    >>> import autograd_core as ag
    >>> ag.linalg.tensorsolve(2 * ag.eye(4).reshape(2, 2, 4), ag.ones((2, 2))).shape
    (4,)
    """
    from .linalg import solve
    if dims is not None:
        if axes is not None:
            raise TypeError("tensorsolve: give axes= or dims= (torch's name for it), not both")
        axes = dims
    a, b = as_operand(a, "linalg.tensorsolve"), as_operand(b, "linalg.tensorsolve")
    if axes is not None:
        moved = [k % a.ndim for k in axes]
        a = transpose(a, [k for k in range(a.ndim) if k not in moved] + moved)
    x_shape = a.shape[b.ndim:]
    rows, cols = math.prod(a.shape[:b.ndim]), math.prod(x_shape)
    if rows != cols or b.size != rows:
        raise LinAlgError(f"tensorsolve: a of shape {a.shape} (axes moved) and b of shape {b.shape}: a's first "
                          f"b.ndim axes must hold as many entries as b, and the rest as many again")
    return reshape(solve(reshape(a, rows, cols), reshape(b, rows)), x_shape)


def lstsq(a, b, rcond=None, *, driver=None):
    """(x, residuals, rank, s): the least-squares solution of a @ x = b, as np.linalg.lstsq (a 2-D; b 1-D or 2-D;
    singular values below rcond times the largest dropped, default eps * max(m, n); an rcond <= 0 or >= 1 is the
    machine precision, as LAPACK's), computed in float32 when a and b both are, else in float64, as NumPy's. x is
    pinv(a) @ b, differentiable where the rank is constant (as torch's); residuals the squared norms of b - a @ x
    when a has full column rank and more rows than columns, else empty; rank a constant (int32, as NumPy's); s the
    singular values. An a holding inf or NaN raises LinAlgError, as NumPy's.

    As torch.linalg.lstsq too: a may be a stack (..., m, n) with b (..., m, k), or (..., m) for one vector per
    matrix, the stacks broadcast; the result's x and s are also named solution and singular_values; driver
    ('gels', 'gelsy', 'gelsd', 'gelss') is taken and changes nothing, every driver giving the minimum-norm solution
    (torch's 'gels' assumes full rank), with residuals, rank and s filled as 'gelsd' does.

    >>> import autograd_core as ag
    >>> a = ag.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> x, residuals, rank, s = ag.linalg.lstsq(a, ag.tensor([1.0, 2.0, 3.0]))
    >>> x, residuals, int(rank)
    (Tensor([1., 2.]), Tensor([9.]), 2)
    >>> ag.linalg.lstsq(ag.stack([a, 2 * a]), ag.ones((2, 3, 1))).solution.shape
    (2, 2, 1)
    """
    from .linalg import pinv, svdvals
    a, b = as_operand(a, "linalg.lstsq"), as_operand(b, "linalg.lstsq")
    if a.ndim < 2 or b.ndim not in (a.ndim - 1, a.ndim) or b.shape[a.ndim - 2] != a.shape[-2]:
        raise LinAlgError(f"lstsq: a of shape {a.shape} and b of shape {b.shape}; a must be a matrix (..., "
                          f"m, n) and b (..., m, k) or (..., m), with as many rows as a")
    if driver not in (None, "gels", "gelsy", "gelsd", "gelss"):
        raise ValueError(f"linalg.lstsq: driver={driver!r}; give None or one of 'gels', 'gelsy', 'gelsd', 'gelss', "
                         f"as torch.linalg.lstsq's on the CPU")
    m, n = a.shape[-2:]
    for v in (a, b):
        if v.dtype.kind not in "biuf" or v.dtype.kind == "f" and v.dtype not in (np.float32, np.float64):
            raise TypeError(f"linalg.lstsq: array type {v.dtype} is unsupported in linalg (a {a.dtype}, b {b.dtype}); "
                            f"give float32 or float64 (bools and integers are computed in float64), as NumPy's")
    dtype = np.float32 if a.dtype == b.dtype == np.float32 else np.float64  # (NumPy's common type for linalg)
    a, b = (v if v.dtype == dtype else v.astype(dtype) for v in (a, b))
    if not np.all(np.isfinite(a.data)):  # (np.linalg.lstsq's SVD fails on them; pinv's would give 0 for an inf)
        raise LinAlgError(f"lstsq: SVD did not converge in Linear Least Squares: a of shape {a.shape} holds "
                          f"inf or NaN; a must be finite, as np.linalg.lstsq's (b may hold NaN)")
    if rcond is None:
        tolerance = np.finfo(a.dtype).eps * max(m, n)
    elif not 0 < rcond < 1:  # (LAPACK's gelsd, which NumPy calls, takes its machine precision dlamch('E') then)
        tolerance = np.finfo(a.dtype).eps / 2
    else:
        tolerance = rcond
    one_vector = b.ndim == a.ndim - 1
    b_columns = reshape(b, b.shape + (1,)) if one_vector else b
    x = pinv(a, rtol=tolerance) @ b_columns
    s = svdvals(a)
    largest = s.data.max(axis=-1, keepdims=True, initial=0)
    rank = np.sum(s.data > tolerance * largest, axis=-1)
    rank = Tensor._constant(np.asarray(rank, np.int32))  # (NumPy's rank is a C int)
    if np.all(rank.data == n) and m > n:
        residuals = _sum((b_columns - a @ x) ** 2, axis=-2)
    else:
        residuals = Tensor._constant(np.empty((0,), x.dtype))
    if one_vector:
        x = reshape(x, x.shape[:-1])
    return LstsqResult(x, residuals, rank, s)


def matrix_exp(A):
    """exp(A) of a square matrix or a stack of them, as torch.linalg.matrix_exp (also ag.matrix_exp and
    t.matrix_exp()): A / 2**s of 1-norm at most 1/2, a degree-14 Taylor polynomial by Horner's rule (a truncation
    error below 1e-16), then s squarings; composed of recorded products, so every order of derivative holds. float32
    and float16 are computed in float64 and rounded once, as accurate as torch's.

    >>> import autograd_core as ag
    >>> ag.linalg.matrix_exp(ag.tensor([[0.0, 1.0], [0.0, 0.0]]))
    Tensor([[1., 1.],
            [0., 1.]])
    """
    A = as_operand(A, "linalg.matrix_exp")
    if A.ndim < 2 or A.shape[-1] != A.shape[-2] or not np.issubdtype(A.dtype, np.inexact):
        raise LinAlgError(f"linalg.matrix_exp: input of shape {A.shape} and dtype {A.dtype}; give a "
                                    f"floating-point square matrix, or a stack of them in the last two axes")
    if A.dtype.itemsize < 8:  # float32 and float16: in float64, rounded once (the squarings multiply rounding errors)
        return matrix_exp(A.astype(np.float64)).astype(A.dtype)
    n = A.shape[-1]
    norm = float(np.max(np.abs(A.data).sum(axis=-2), initial=0.0))  # the 1-norm bounds the spectral norm
    squarings = max(0, math.ceil(math.log2(norm / 0.5))) if norm > 0.5 else 0
    A = A / (2.0 ** squarings)
    eye = np.eye(n, dtype=A.dtype)
    result = eye + A / 14.0
    for j in range(13, 0, -1):
        result = eye + matmul(A, result) / float(j)
    for _ in range(squarings):
        result = matmul(result, result)
    return result
