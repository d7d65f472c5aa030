"""np.linalg on Tensors: `ag.linalg.inv(t)`, and `np.linalg.inv(t)` through the NumPy dispatch.

Every function takes NumPy's arguments and works on stacks of matrices (the last two axes), with NumPy's result
shapes and dtypes. Each factorisation is one primitive whose forward calls np.linalg and whose gradient rule, beside
it, is written with NumPy calls (np.matmul, np.swapaxes, np.linalg.inv, np.linalg.solve...) that the engine dispatches
on Tensors: under create_graph=True the rule is recorded, so second derivatives hold. The rules are PyTorch's
(torch/csrc/autograd/FunctionsManual.cpp), so degenerate inputs give what torch's formulas give (eigh with repeated
eigenvalues: inf/nan; svd with repeated singular values: likewise).

Functions with several results (eigh, svd, qr) are one primitive whose forward packs the results into one array
(each flattened along a last axis after the batch axes, then concatenated) and whose results are getitem views of it,
reshaped. Backprop then sums what each result receives into one cotangent of the packed array (zeros for a result
left unused), and the rule unpacks it: one factorisation per call, every result differentiable, and the unpacked
factors are Tensors of the recorded graph in a create_graph pass. eigvalsh and svdvals are primitives of their own,
whose rules get the vectors by calling eigh/svd (recorded on Tensors): without the vectors' terms, which divide by
the gaps, their gradients stay finite at repeated values, as torch's. slogdet's sign is a constant (its gradient is 0
almost everywhere), so it is computed beside one primitive for logabsdet.

Departures from torch at exactly singular inputs: det's gradient is the cofactor matrix (the derivative; torch 2.13
returns 0 there); slogdet's and qr's gradients are refused with a LinAlgError naming the function (torch's formulas
give inf/nan).

The norms and the array-API helpers (vector_norm, matrix_norm, trace, diagonal, outer, matrix_transpose) are in
_linalg_norms, the other compositions (cond, matrix_rank, vecdot, cross, tensorinv, tensorsolve,
lstsq, matrix_exp, vander, householder_product) in _linalg_extras,
PyTorch's solve_triangular in _linalg_triangular, its LU (lu_factor, lu_factor_ex, lu, lu_solve) in _linalg_lu,
inv_ex and solve_ex in _linalg_ex; all are re-exported
here. A factorisation that fails on its input
raises LinAlgError (_linalg_errors): NumPy's np.linalg.LinAlgError and, as torch.linalg's, a RuntimeError.
"""
from collections import namedtuple

import numpy as np

from .._arguments import InvalidArgumentError, as_flag
from ..primitive import OperandTypeError, Primitive, as_operand
from ..tensor import Tensor, as_value
from .arithmetic import matmul  # noqa: F401 (np.linalg.matmul and torch.linalg.matmul: the matrix product)
from .elementwise import where
from ._linalg_errors import LinAlgError, raising_linalg_error
from ._linalg_extras import (cond, cross, householder_product, lstsq, matrix_exp, matrix_rank, tensorinv, tensorsolve,
                             vander, vecdot)
from ._linalg_triangular import CholeskyExResult, cholesky_ex, solve_triangular  # noqa: F401 (the result type)
from ._linalg_lu import (LUFactorExResult, LUFactorResult, LUResult, lu, lu_factor, lu_factor_ex,  # noqa: F401
                         lu_solve)
from ._linalg_ex import InvExResult, SolveExResult, inv_ex, solve_ex  # noqa: F401 (the result types)
from ._linalg_norms import diagonal, matrix_norm, matrix_transpose, norm, outer, trace, vector_norm

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
QRResult = namedtuple("QRResult", ["Q", "R"])

__all__ = ["LinAlgError", "cholesky", "cholesky_ex", "cond", "cross", "det", "diagonal", "eigh", "eigvalsh",
           "householder_product", "inv", "inv_ex", "lstsq", "lu", "lu_factor", "lu_factor_ex", "lu_solve",
           "matmul", "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "multi_dot", "matrix_exp",
           "norm", "outer", "pinv", "qr", "slogdet", "solve", "solve_ex", "solve_triangular", "svd", "svdvals",
           "tensorinv", "tensorsolve", "trace", "vander", "vecdot", "vector_norm"]

_SQUARE = "give square matrices in the last two axes (a stack of them for more axes)"


# ---- helpers, on ndarrays or Tensors alike (the rules run on both) ---------------------------------------------------

def _t(x):
    return np.swapaxes(x, -1, -2)


def _eye(n, like):
    return np.eye(n, dtype=np.result_type(as_value(like)))


def _diag_embed(v):
    """(..., n) -> (..., n, n) with v on the diagonal."""
    return np.expand_dims(v, -1) * _eye(v.shape[-1], v)


def _unused(*cotangents):
    """Per matrix of the stack: True where all the given cotangents are 0 by value (a result left unused: backprop
    gives it zeros), the case torch's rules skip as an undefined gradient."""
    return np.logical_and.reduce([np.all(as_value(g) == 0, axis=(-1, -2)) for g in cotangents])


def _ratio(num, den, unused):
    """num / den, but 0 where den is 0 in a matrix whose vectors' cotangents are unused (num is 0 there): eigh's
    eigenvalues alone and svd's S alone then have torch's finite gradients at repeated (or zero) values instead of
    0 / 0. Any other 0 divisor stays, as in torch's formulas (inf/nan)."""
    skip = np.expand_dims(unused, (-1, -2)) & (as_value(den) == 0)
    return num / np.where(skip, 1, den) if skip.any() else num / den


def _pack(*parts, batch):
    # (each core's size spelled out: -1 cannot be inferred when the batch is empty)
    return np.concatenate([np.reshape(p, batch + (int(np.prod(np.shape(p)[len(batch):], dtype=np.int64)),))
                           for p in parts], axis=-1)


def _unpack(packed, batch, cores):
    """The pieces of a packed array (or Tensor), of shapes batch + core for each core."""
    pieces, start = [], 0
    for core in cores:
        size = int(np.prod(core, dtype=np.int64))
        pieces.append(packed[..., start:start + size].reshape(batch + tuple(core)))
        start += size
    return pieces


def _square_matrices(name, a):
    shape = np.shape(as_value(a))
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise LinAlgError(f"{name}: input of shape {shape} is not a stack of square matrices; {_SQUARE}")


# ---- inv, det, slogdet, solve ----------------------------------------------------------------------------------------

# d(A^-1) = -A^-1 dA A^-1, so gA = -A^-T g A^-T (reads the result only)
_inv = Primitive("linalg.inv", raising_linalg_error(np.linalg.inv), (lambda g, ans, a: -_t(ans) @ g @ _t(ans),),
                 hint=f"{_SQUARE}, none singular", reads_values=(("ans",),))


def inv(a):
    """The inverse of a square matrix (of each in a stack), as np.linalg.inv.

    >>> import autograd_core as ag
    >>> ag.linalg.inv(ag.tensor([[2.0, 0.0], [0.0, 4.0]]))
    Tensor([[0.5 , 0.  ],
            [0.  , 0.25]])
    """
    return _inv(a)


def _inverse_for(name, a):
    """np.linalg.inv(a) inside the rule of name: a singular a is refused, naming the rule."""
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError as err:  # (NumPy's on an ndarray, ours on a Tensor)
        if isinstance(a, Tensor):  # (already described by inv)
            raise
        raise LinAlgError(f"{name}: no gradient at a singular matrix (shape {np.shape(a)}): logabsdet is -inf there, "
                          f"and the rule inverts the matrix ({err})") from None


def _det_by_svd(g, a):
    """g times the cofactor matrix by torch's form from the SVD A = U diag(s) Vh: det(U) det(Vh) U diag(prod_{j != i}
    s_j) Vh, which holds everywhere (its own derivative needs distinct singular values)."""
    u, s, vh = np.linalg.svd(a)
    others = np.where(_eye(s.shape[-1], s).astype(bool), 1, np.expand_dims(s, -2))  # row i: s with s_i -> 1
    scale = np.linalg.det(u) * np.linalg.det(vh) * g
    return np.expand_dims(scale, (-1, -2)) * (u * np.expand_dims(np.prod(others, axis=-1), -2)) @ vh


# A recorded rule (create_graph) takes the SVD form for a matrix whose smallest singular value is below this times its
# largest: the derivative of det(A) A^-T subtracts terms of size |det| cond(A)^2 that cancel, so that second
# derivatives at a (numerically) singular matrix that inv does not refuse came out wrong by O(1)
_ILL_CONDITIONED = 1e-5


def _det_vjp(g, ans, a):
    # d det(A) = det(A) tr(A^-1 dA): gA = g times the cofactor matrix, det(A) A^-T; at a singular A (in the stack),
    # the SVD form, as torch's
    value = as_value(a)
    if isinstance(a, Tensor) and value.shape[-1]:
        s = np.linalg.svd(value, compute_uv=False)
        ill = s[..., -1] <= _ILL_CONDITIONED * s[..., 0]
        if ill.any():  # each matrix by its form; the other form sees a harmless stand-in (no 0 / 0 in its rule)
            n = value.shape[-1]
            mask = np.expand_dims(ill, (-1, -2))
            regular = np.where(mask, _eye(n, value), a)
            singular = np.where(mask, a, np.diag(np.arange(1.0, n + 1)).astype(value.dtype))
            by_inverse = np.expand_dims(g * np.linalg.det(regular), (-1, -2)) * _t(np.linalg.inv(regular))
            return np.where(mask, _det_by_svd(g, singular), by_inverse)
    try:
        inverse = np.linalg.inv(value)
    except np.linalg.LinAlgError:
        return _det_by_svd(g, a)
    if isinstance(a, Tensor):  # (recorded: inv's own rule gives the second derivatives)
        inverse = np.linalg.inv(a)
    return np.expand_dims(g * ans, (-1, -2)) * _t(inverse)


_det = Primitive("linalg.det", raising_linalg_error(np.linalg.det), (_det_vjp,), hint=_SQUARE)


def det(a):
    """The determinant of a square matrix (of each in a stack), as np.linalg.det. The gradient is the cofactor
    matrix, at singular matrices too (torch's form from the SVD).

    >>> import autograd_core as ag
    >>> ag.linalg.det(ag.tensor([[2.0, 1.0], [1.0, 3.0]]))
    Tensor(5.)
    """
    return _det(a)


_logabsdet = Primitive("linalg.slogdet", raising_linalg_error(lambda a: np.linalg.slogdet(a)[1]),
                       (lambda g, ans, a: np.expand_dims(g, (-1, -2)) * _t(_inverse_for("linalg.slogdet", a)),),
                       hint=_SQUARE)


def slogdet(a):
    """(sign, logabsdet) of the determinant, as np.linalg.slogdet: sign is a constant, logabsdet differentiable
    (gradient A^-T, as torch's).

    >>> import autograd_core as ag
    >>> sign, logabsdet = ag.linalg.slogdet(ag.tensor([[-2.0, 0.0], [0.0, 1.0]]))
    >>> float(sign), round(float(logabsdet), 4)
    (-1.0, 0.6931)
    """
    logabsdet = _logabsdet(a)
    sign = np.linalg.slogdet(as_value(a))[0]  # (a's shape and dtype were checked by the primitive)
    return SlogdetResult(Tensor._constant(np.asarray(sign)), logabsdet)


def _solve_forward(a, b):
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        raise
    except ValueError as err:  # (sizes that do not match, the gufunc's: torch's RuntimeError too)
        raise LinAlgError(*err.args) from None


def _solve_gb(g, a, b):
    """A^-T g: the gradient of b, shaped as the result (b a vector: NumPy 2's rule, only when b is 1-D)."""
    if np.ndim(b) == 1:
        return np.linalg.solve(_t(a), np.expand_dims(g, -1))[..., 0]
    return np.linalg.solve(_t(a), g)


def _solve_ga(g, ans, a, b):
    gb = _solve_gb(g, a, b)
    if np.ndim(b) == 1:
        return -np.expand_dims(gb, -1) * np.expand_dims(ans, -2)
    return -gb @ _t(ans)


_solve = Primitive("linalg.solve", raising_linalg_error(_solve_forward),
                   (_solve_ga, lambda g, ans, a, b: _solve_gb(g, a, b)),
                   hint=f"a: {_SQUARE}, none singular; b: a vector (1-D) of a's size, or a stack of matrices "
                        f"(..., M, K) whose batch axes broadcast against a's")


def solve(a, b, *, left=True):
    """x such that a @ x = b, as np.linalg.solve (NumPy 2's rule: b is a vector only when 1-D, else a stack of
    matrices, batch axes broadcasting); left=False, torch.linalg.solve's, gives x @ a = b (b a matrix, or a stack).

    >>> import autograd_core as ag
    >>> ag.linalg.solve(ag.tensor([[2.0, 0.0], [0.0, 4.0]]), ag.tensor([1.0, 1.0]))
    Tensor([0.5 , 0.25])
    >>> ag.linalg.solve(ag.tensor([[2.0, 0.0], [0.0, 4.0]]), ag.tensor([[1.0, 1.0]]), left=False)
    Tensor([[0.5 , 0.25]])
    """
    if as_flag(left, "linalg.solve", "left"):
        return _solve(a, b)
    shapes = np.shape(as_value(a)), np.shape(as_value(b))
    if len(shapes[1]) < 2:
        raise LinAlgError(f"linalg.solve: with left=False (x @ a = b) b must be a matrix or a stack of them (..., k, "
                          f"n), got shapes a {shapes[0]} and b {shapes[1]}")
    if len(shapes[0]) >= 2 and shapes[1][-1] != shapes[0][-1]:  # (else _solve's error names the transposed shapes)
        raise LinAlgError(f"linalg.solve: with left=False, x @ a = b needs b (..., k, {shapes[0][-1]}) for a of "
                          f"shape {shapes[0]}, got b of shape {shapes[1]}")
    return _t(_solve(_t(a), _t(b)))  # x a = b is a^T x^T = b^T


# ---- cholesky --------------------------------------------------------------------------------------------------------

def _cholesky_vjp(g, ans, a, upper):
    # torch's cholesky_backward: with P = tril(L^T gL), its diagonal halved, gA = L^-T P L^-1, symmetrized (the
    # factorisation reads one triangle; the gradient, as torch's, is that of the symmetric input).
    lower, gl = (_t(ans), _t(g)) if upper else (ans, g)
    x = _t(lower) @ gl
    phi = np.tril(x) - 0.5 * x * _eye(x.shape[-1], x)
    linv = np.linalg.inv(lower)
    ga = _t(linv) @ phi @ linv
    return 0.5 * (ga + _t(ga))


_cholesky = Primitive("linalg.cholesky", raising_linalg_error(lambda a, upper: np.linalg.cholesky(a, upper=upper)),
                      (_cholesky_vjp,),
                      hint=f"{_SQUARE}, symmetric positive definite")


def cholesky(a, /, *, upper=False):
    """The Cholesky factor L (a = L @ L.T, L lower triangular; upper=True: U = L.T), as np.linalg.cholesky. The
    gradient is torch's, that of a symmetric input (both triangles share it).

    >>> import autograd_core as ag
    >>> ag.linalg.cholesky(ag.tensor([[4.0, 2.0], [2.0, 5.0]]))
    Tensor([[2., 0.],
            [1., 2.]])
    """
    try:
        return _cholesky(a, upper=bool(upper))
    except LinAlgError as err:  # where, in torch's words
        raise LinAlgError(f"{err}{_first_failed_minor(as_value(a))}") from None


def _first_failed_minor(a):
    """torch's account of a failed Cholesky factorisation: the first matrix (of the stack) that is not positive
    definite and the order of its first leading minor that is not ('' for input of the wrong shape)."""
    from ._linalg_triangular import _failed_minor_orders
    if np.ndim(a) < 2 or np.shape(a)[-1] != np.shape(a)[-2]:
        return ""
    info = _failed_minor_orders(a)
    if not info.any():
        return ""
    first = tuple(int(i) for i in np.argwhere(info > 0)[0])
    where_ = f"(batch element {', '.join(map(str, first))}) " if first else ""
    return (f" ({where_}the factorization could not be completed because the input is not positive-definite: the "
            f"leading minor of order {info[first]} is not positive-definite)")


# ---- eigh, eigvalsh --------------------------------------------------------------------------------------------------

def _uplo(name, UPLO):
    """UPLO in either case, as NumPy's and torch's read it; anything else a ValueError and, as torch's, RuntimeError."""
    if not (isinstance(UPLO, str) and UPLO.upper() in ("L", "U")):
        raise InvalidArgumentError(f"{name}: UPLO must be 'L' or 'U', got {UPLO!r} (either case is read)")
    return UPLO.upper()


def _eigh_forward(a, UPLO):
    w, v = np.linalg.eigh(a, UPLO=UPLO)
    return np.concatenate([np.expand_dims(w, -2), v], axis=-2)  # (..., n + 1, n): the eigenvalues, then V


def _eigh_vjp(g, ans, a, UPLO):
    # torch's linalg_eig_backward (hermitian): gA = V (diag(gw) + skew(V^T gV) / E) V^T with E[i, j] = w[j] - w[i]
    # off the diagonal; repeated eigenvalues divide by 0 (inf/nan), as torch's, unless the eigenvectors are unused
    # (zero cotangent: torch skips its undefined gV, so eigh(a)[0] alone is as eigvalsh).
    w, v = ans[..., 0, :], ans[..., 1:, :]
    gw, gv = g[..., 0, :], g[..., 1:, :]
    n = w.shape[-1]
    eye = _eye(n, w)
    vtgv = _t(v) @ gv
    skew = 0.5 * (vtgv - _t(vtgv))
    gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1) + eye  # (1 on the diagonal, where skew is 0)
    inner = _ratio(skew, gaps, _unused(gv)) + _diag_embed(gw)
    return v @ inner @ _t(v)


_eigh = Primitive("linalg.eigh", raising_linalg_error(_eigh_forward), (_eigh_vjp,),
                  hint=f"{_SQUARE} (symmetric: one triangle is read)")


def eigh(a, UPLO="L"):
    """(eigenvalues, eigenvectors) of a symmetric matrix (of each in a stack), as np.linalg.eigh: eigenvalues
    ascending, eigenvectors as columns. Only the UPLO triangle is read; the gradient is torch's, that of a symmetric
    input. An eigenvector's sign is arbitrary: losses should not depend on it.

    >>> import autograd_core as ag
    >>> w, v = ag.linalg.eigh(ag.tensor([[2.0, 0.0], [0.0, 1.0]]))
    >>> w
    Tensor([1., 2.])
    """
    UPLO = _uplo("eigh", UPLO)
    packed = _eigh(a, UPLO=UPLO)
    return EighResult(packed[..., 0, :], packed[..., 1:, :])


# gA = V diag(g) V^T, V from eigh (recorded on Tensors): without the eigenvectors' terms, which divide by the gaps,
# repeated eigenvalues are fine, as with torch's eigvalsh
_eigvalsh = Primitive("linalg.eigvalsh", raising_linalg_error(lambda a, UPLO: np.linalg.eigvalsh(a, UPLO=UPLO)),
                      (lambda g, ans, a, UPLO: (lambda v: (v * np.expand_dims(g, -2)) @ _t(v))(
                          np.linalg.eigh(a, UPLO=UPLO)[1]),), hint=_eigh.hint)


def eigvalsh(a, UPLO="L"):
    """The eigenvalues of a symmetric matrix, ascending, as np.linalg.eigvalsh (gradient V diag(g) V^T, finite for
    repeated eigenvalues, as torch's).

    >>> import autograd_core as ag
    >>> ag.linalg.eigvalsh(ag.tensor([[2.0, 1.0], [1.0, 2.0]]))
    Tensor([1., 3.])
    """
    UPLO = _uplo("eigvalsh", UPLO)
    return _eigvalsh(a, UPLO=UPLO)


# ---- svd, svdvals, pinv ----------------------------------------------------------------------------------------------

def _svd_cores(shape, full_matrices):
    m, n = shape[-2:]
    k = min(m, n)
    return ((m, m if full_matrices else k), (k,), (n if full_matrices else k, n))


def _svd_forward(a, full_matrices, hermitian):
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices, compute_uv=True, hermitian=hermitian)
    return _pack(u, s, vh, batch=a.shape[:-2])


def _svd_vjp(g, ans, a, full_matrices, hermitian):
    # torch's svd_backward (real case); with full_matrices, the extra columns of U and rows of Vh get no gradient
    # (torch ignores them too). Repeated singular values divide by 0 (inf/nan), as torch's, unless U and Vh are both
    # unused (zero cotangents: torch skips its undefined gU, gVh, so svd(a).S alone is as svdvals).
    shape = a.shape
    batch, cores = shape[:-2], _svd_cores(shape, full_matrices)
    m, n = shape[-2:]
    k = min(m, n)
    u, s, vh = _unpack(ans, batch, cores)
    gu, gs, gvh = _unpack(g, batch, cores)
    if full_matrices:
        u, gu, vh, gvh = u[..., :, :k], gu[..., :, :k], vh[..., :k, :], gvh[..., :k, :]
    unused = _unused(gu, gvh)
    utgu = _t(u) @ gu
    vtgv = vh @ _t(gvh)
    skew_u, skew_v = utgu - _t(utgu), vtgv - _t(vtgv)
    s2 = s * s
    gaps = np.expand_dims(s2, -2) - np.expand_dims(s2, -1) + _eye(k, s)
    inner = _ratio(skew_u * np.expand_dims(s, -2) + np.expand_dims(s, -1) * skew_v, gaps, unused) + _diag_embed(gs)
    if m > k:  # gA = [U inner + (I - U U^T) gU S^-1] Vh
        gu_sinv = _ratio(gu, np.expand_dims(s, -2), unused)
        return (u @ inner + gu_sinv - u @ (_t(u) @ gu_sinv)) @ vh
    if n > k:  # gA = U [inner Vh + S^-1 gVh (I - V Vh)]
        sinv_gvh = _ratio(gvh, np.expand_dims(s, -1), unused)
        return u @ (inner @ vh + sinv_gvh - (sinv_gvh @ _t(vh)) @ vh)
    return u @ inner @ vh


_svd = Primitive("linalg.svd", raising_linalg_error(_svd_forward), (_svd_vjp,),
                 hint="give a matrix or a stack of matrices (2 or more axes) of finite values")


# gA = U diag(g) Vh, U and Vh from svd (recorded on Tensors): finite for repeated singular values, as torch's
_svdvals = Primitive("linalg.svdvals", raising_linalg_error(
    lambda a, hermitian: np.linalg.svd(a, compute_uv=False, hermitian=hermitian)),
                     (lambda g, ans, a, hermitian: (lambda u, s, vh: (u * np.expand_dims(g, -2)) @ vh)(
                         *np.linalg.svd(a, full_matrices=False, hermitian=hermitian)),), hint=_svd.hint)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False, *, driver=None):
    """(U, S, Vh) with a = U @ diag(S) @ Vh, as np.linalg.svd; S alone for compute_uv=False. The gradient is torch's
    (for distinct singular values); with full_matrices=True, the columns of U and rows of Vh beyond min(m, n) get
    none, as in torch. A singular vector's sign is arbitrary: losses should not depend on it. driver is
    torch.linalg.svd's, None on the CPU (its cuSOLVER drivers are CUDA's).

    >>> import autograd_core as ag
    >>> ag.linalg.svd(ag.tensor([[3.0, 0.0], [0.0, -4.0]])).S
    Tensor([4., 3.])
    """
    if driver is not None:
        raise InvalidArgumentError(f"svd: driver={driver!r} is only supported on CUDA inputs with cuSOLVER, as "
                                   f"torch.linalg.svd's; on the CPU give driver=None")
    value = as_value(a)
    shape = np.shape(value)
    if len(shape) < 2:
        raise LinAlgError(f"svd: input of shape {shape} has {len(shape)} dimension(s); give a matrix or a stack of "
                          f"matrices (2 or more axes)")
    if not compute_uv:
        return _svdvals(a, hermitian=bool(hermitian))
    full_matrices = bool(full_matrices)
    packed = _svd(a, full_matrices=full_matrices, hermitian=bool(hermitian))
    u, s, vh = _unpack(packed, shape[:-2], _svd_cores(shape, full_matrices))
    return SVDResult(u, s, vh)


def svdvals(x, /, *, driver=None):
    """The singular values, descending, as np.linalg.svdvals (gradient U @ diag(g) @ Vh); driver as svd's.

    >>> import autograd_core as ag
    >>> ag.linalg.svdvals(ag.tensor([[0.0, 2.0], [1.0, 0.0]]))
    Tensor([2., 1.])
    """
    return svd(x, full_matrices=False, compute_uv=False, driver=driver)


def _pinv_vjp(g, ans, a, rcond, hermitian, rtol):
    # torch's pinv_backward, exact where the rank is constant: with P = pinv(A),
    # gA = -P^T g P^T + (I - A P) g^T P P^T + P^T P g^T (I - P A)
    p, gt = ans, _t(g)
    k = gt @ p
    k_pt = k @ _t(p)
    return -_t(p @ k) + k_pt - (a @ p) @ k_pt + (_t(p) @ p) @ (gt - k @ a)


_pinv = Primitive("linalg.pinv", raising_linalg_error(
                  lambda a, rcond, hermitian, rtol: np.linalg.pinv(a, rcond, hermitian=hermitian, rtol=rtol)),
                  (_pinv_vjp,), hint="give a matrix or a stack of matrices (2 or more axes)")


def pinv(a, rcond=None, hermitian=False, *, rtol=np._NoValue, atol=None):
    """The Moore-Penrose pseudo-inverse, as np.linalg.pinv (singular values below rcond, or rtol, times the largest
    are dropped; NumPy's defaults: rcond 1e-15, rtol=None max(m, n) * eps). In float32 and float16, where 1e-15 is
    below the rounding noise (a rank-1 3 x 3 float32 matrix has singular values near 1e-9, and NumPy's pinv is then
    near 1e9), the default is rtol=None's, as torch.linalg.pinv's. torch.linalg.pinv's atol= drops those below it
    too (the larger tolerance counts; atol alone: rtol 0, as torch's). The gradient is torch's, exact where the rank
    does not change.

    >>> import autograd_core as ag
    >>> ag.linalg.pinv(ag.tensor([[2.0, 0.0], [0.0, 0.0]]))
    Tensor([[0.5, 0. ],
            [0. , 0. ]])
    """
    if rtol is not np._NoValue and rcond is not None:
        raise ValueError("pinv: give rcond= or rtol=, not both (rtol is the NumPy 2 name of rcond)")
    rcond, rtol, atol = (x.data if isinstance(x, Tensor) else x for x in (rcond, rtol, atol))  # (not differentiated)
    shape = np.shape(as_value(a))
    if len(shape) < 2:
        raise LinAlgError(f"pinv: input of shape {shape} has {len(shape)} dimension(s); give a matrix or a stack of "
                          f"matrices (2 or more axes)")
    dtype = np.result_type(as_value(a))
    if dtype == np.float16:  # (else NumPy's error, listing arguments as given that were not)
        raise OperandTypeError(f"linalg.pinv: a float16 input (shape {shape}) is not supported (NumPy's linalg has "
                               f"no float16, nor has torch's); cast it to float32 first (a.float())")
    if rcond is None and rtol is np._NoValue and atol is None and dtype.kind == "f" and dtype.itemsize < 8:
        rtol = None  # (max(m, n) * eps of the dtype)
    if atol is not None:  # as a relative tolerance, atol / the largest singular value (0 for a zero matrix)
        largest = np.max(np.linalg.svd(as_value(a), compute_uv=False), axis=-1, initial=0.0)
        relative = np.where(largest > 0, np.asarray(atol) / np.where(largest > 0, largest, 1.0), 0.0)
        given = rcond if rcond is not None else 0.0 if rtol is np._NoValue or rtol is None else rtol
        rcond, rtol = np.maximum(relative, given), np._NoValue
    return _pinv(a, rcond=rcond, hermitian=bool(hermitian), rtol=rtol)


# ---- qr -------------------------------------------------------------------------------------------------------------

def _qr_forward(a, mode):
    q, r = np.linalg.qr(a, mode=mode)
    return _pack(q, r, batch=a.shape[:-2])


def _qr_cores(shape, mode):
    m, n = shape[-2:]
    k = m if mode == "complete" else min(m, n)
    return (m, k), (k, n)


def _qr_square_vjp(gq, gr, q, r):
    """The gradient for m >= n (Q m x n, R n x n): M = R gR^T - gQ^T Q, gA = (gQ + Q copyltu(M)) R^-T."""
    m_ = r @ _t(gr) - _t(gq) @ q
    copyltu = np.tril(m_) + _t(np.tril(m_, -1))
    b = gq + q @ copyltu
    try:
        return _t(np.linalg.solve(r, _t(b)))
    except np.linalg.LinAlgError as err:
        if isinstance(r, Tensor):
            raise
        raise LinAlgError(f"qr: no gradient where R has a zero on its diagonal (the first min(m, n) columns of the "
                          f"input dependent, R of shape {np.shape(r)}): the rule solves with R ({err}); torch's "
                          f"gives inf/nan there") from None


def _qr_vjp(g, ans, a, mode):
    shape = a.shape
    batch, cores = shape[:-2], _qr_cores(shape, mode)
    m, n = shape[-2:]
    if mode == "complete" and m > n:
        raise RuntimeError(f"qr: the QR decomposition is not differentiable when mode='complete' and the matrices "
                           f"have more rows than columns (shape {shape}), as in torch; use mode='reduced'")
    q, r = _unpack(ans, batch, cores)
    gq, gr = _unpack(g, batch, cores)
    if m >= n:
        return _qr_square_vjp(gq, gr, q, r)
    # m < n: A = [X | Y], R = [U | V] with X = Q U and Y = Q V: gY = Q gV, and X's gradient is the square case's
    # with gQ + Y gV^T.
    y, gv = a[..., :, m:], gr[..., :, m:]
    gx = _qr_square_vjp(gq + y @ _t(gv), gr[..., :, :m], q, r[..., :, :m])
    return np.concatenate([gx, q @ gv], axis=-1)


_qr = Primitive("linalg.qr", _qr_forward, (_qr_vjp,), hint="give a matrix or a stack of matrices (2 or more axes)")


def qr(a, mode="reduced"):
    """(Q, R) with a = Q @ R, as np.linalg.qr: mode 'reduced' (default), 'complete' or 'r' (R alone). The gradient is
    torch's; mode='complete' with more rows than columns has none (as in torch). Each column of Q and row of R is
    defined up to a sign: losses should not depend on it.

    >>> import autograd_core as ag
    >>> q, r = ag.linalg.qr(ag.tensor([[3.0, 1.0], [4.0, 2.0]]))
    >>> abs(r.data.round(4)).tolist()
    [[5.0, 2.2], [0.0, 0.4]]
    """
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode={mode!r} is not supported on Tensors; give 'reduced', 'complete' or 'r' ('raw' "
                         f"returns LAPACK's Householder reflectors, which have no gradient here)")
    shape = np.shape(as_value(a))
    if len(shape) < 2:
        raise LinAlgError(f"qr: input of shape {shape} has {len(shape)} dimension(s); give a matrix or a stack of "
                          f"matrices (2 or more axes)")
    packed = _qr(a, mode="reduced" if mode == "r" else mode)
    q, r = _unpack(packed, shape[:-2], _qr_cores(shape, "reduced" if mode == "r" else mode))
    return r if mode == "r" else QRResult(q, r)


# ---- compositions: matrix_power, multi_dot ---------------------------------------------------------------------------

def matrix_power(a, n):
    """a raised to the integer power n, as np.linalg.matrix_power: repeated squaring with matmul; a negative n
    inverts first; n = 0 gives the identity (gradient 0).

    >>> import autograd_core as ag
    >>> ag.linalg.matrix_power(ag.tensor([[1.0, 1.0], [0.0, 1.0]]), 3)
    Tensor([[1., 3.],
            [0., 1.]])
    """
    import operator
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: the exponent must be an integer, got {n!r}") from None
    a = as_operand(a, "linalg.matrix_power")
    _square_matrices("matrix_power", a)
    if n == 0:  # the identity, in the graph with gradient 0 (a * 0 would be nan for an infinite a)
        return where(np.zeros(a.shape, bool), a, _eye(a.shape[-1], a))
    if n < 0:
        a, n = inv(a), -n
    result, power = None, a
    while n:
        if n & 1:
            result = power if result is None else result @ power
        n >>= 1
        if n:
            power = power @ power
    return result


def multi_dot(arrays, *, out=None):
    """The product of a sequence of matrices, as np.linalg.multi_dot: the first may be a vector (a row), the last a
    vector (a column); all others are 2-D. Computed left to right (NumPy picks the cheapest order: the values agree
    to rounding).

    >>> import autograd_core as ag
    >>> ag.linalg.multi_dot([ag.tensor([1.0, 2.0]), ag.eye(2), ag.tensor([3.0, 4.0])])
    Tensor(11.)
    """
    if out is not None:
        raise TypeError("multi_dot on Tensors: out= is not supported; use the Tensor it returns")
    arrays = [as_operand(x, "linalg.multi_dot") for x in arrays]
    if len(arrays) < 2:
        raise InvalidArgumentError(f"multi_dot: expecting at least two arrays, got {len(arrays)}")
    ndims = [x.ndim for x in arrays]
    if (ndims[0] not in (1, 2) or ndims[-1] not in (1, 2)
            or any(d != 2 for d in ndims[1:-1])):
        raise LinAlgError(f"multi_dot: arrays of {ndims} dimensions; the first and last must be 1-D or 2-D, the others "
                         f"2-D (shapes {[x.shape for x in arrays]})")
    result = arrays[0]
    for x in arrays[1:]:
        if result.shape[-1] != x.shape[0]:
            raise InvalidArgumentError(f"multi_dot: shapes {[x.shape for x in arrays]} are not aligned: each array's "
                                       f"last axis must match the next one's first")
        result = result @ x
    return result
