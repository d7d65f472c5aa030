"""Ready-made parametrizations, as torch.nn.utils.parametrizations: weight_norm, spectral_norm and orthogonal,
each registered with nn.utils.parametrize (so the state dict keys are PyTorch's: "parametrizations.weight.original0"
and "original1" for weight_norm, "parametrizations.weight.original" and "parametrizations.weight.0._u" for
spectral_norm, "parametrizations.weight.0.base" for orthogonal).

Every value is a composition of engine operations; orthogonal's "matrix_exp" map is ag.linalg.matrix_exp, and its
"householder" map multiplies the reflections one by one. Random starts (spectral_norm's u and v,
orthogonal's completion of a non-square matrix) come from NumPy's generator (rng, an extension), not torch's:
load a state dict to start from the same values.
"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core.ops.linalg import matrix_exp

from .._arguments import generator
from ..conv_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from ..module import Module
from . import parametrize

__all__ = ["weight_norm", "spectral_norm", "orthogonal"]


def _tensor_of(module, name, where):
    weight = getattr(module, name, None) if isinstance(name, str) else None
    if not isinstance(weight, Tensor):
        raise ValueError(f"{where}: module {type(module).__name__} has no parameter or buffer with name {name!r}")
    return weight


# ---- weight_norm ------------------------------------------------------------------------------
def norm_except_dim(v, dim):
    """The 2-norm of v over every axis but dim (kept, the others of size 1), or over all of v when dim is -1
    (PyTorch's norm_except_dim, and its reading of -1)."""
    if dim == -1:
        return ag.sqrt(ag.sum(v * v))
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not -v.ndim <= dim < v.ndim:
        raise IndexError(f"weight_norm: dimension out of range (expected to be in range of [{-v.ndim}, "
                         f"{v.ndim - 1}], but got {dim!r})")
    axes = tuple(i for i in range(v.ndim) if i != dim % v.ndim)
    return ag.sqrt(ag.sum(v * v, axis=axes, keepdims=True))


class _WeightNorm(Module):
    """weight = g * v / |v|, the norm over every axis but dim: forward(g, v); right_inverse(w) = (|w|, w)."""

    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return weight_v * (weight_g / norm_except_dim(weight_v, self.dim))

    def right_inverse(self, weight):
        return norm_except_dim(weight, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Weight normalisation, as torch.nn.utils.parametrizations.weight_norm: module.<name> becomes g * v / |v|,
    the magnitude g (original0) and the direction v (original1) learnt separately; the norm is over every axis
    but dim (dim=None or -1: over the whole tensor, as PyTorch). A state dict of nn.utils.weight_norm (keys
    "weight_g", "weight_v") loads into it, as PyTorch's. Returns module.

    >>> import numpy as np, nn
    >>> layer = nn.utils.parametrizations.weight_norm(nn.Linear(3, 2))
    >>> {k: v.shape for k, v in layer.state_dict().items()}
    {'bias': (2,), 'parametrizations.weight.original0': (2, 1), 'parametrizations.weight.original1': (2, 3)}
    >>> old = {"weight_g": np.full((2, 1), 2.0), "weight_v": np.ones((2, 3)), "bias": np.zeros(2)}  # older keys
    >>> layer.load_state_dict(old)
    <All keys matched successfully>
    >>> layer.weight.data.round(4)
    array([[1.1547, 1.1547, 1.1547],
           [1.1547, 1.1547, 1.1547]], dtype=float32)
    """
    _tensor_of(module, name, "weight_norm")
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def renamed_old_keys(module, state_dict, prefix, *rest):
        """A state dict of the older nn.utils.weight_norm ("weight_g", "weight_v") loads as PyTorch's does."""
        old_keys = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if all(key in state_dict for key in old_keys):
            for i, key in enumerate(old_keys):
                state_dict[f"{prefix}parametrizations.{name}.original{i}"] = state_dict.pop(key)

    module.register_load_state_dict_pre_hook(renamed_old_keys)
    return module


# ---- spectral_norm ----------------------------------------------------------------------------
def _normalized(x, eps):
    """x / max(|x|, eps) of a 1-d array (F.normalize, here on values: the power method is not recorded)."""
    return x / max(float(np.linalg.norm(x)), eps)


class _SpectralNorm(Module):
    """weight / sigma, sigma the largest singular value of weight as a matrix (dim first, the rest flattened),
    estimated by power iteration on the buffers _u and _v, advanced in training mode only, as PyTorch's."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12, rng=None):
        super().__init__()
        ndim = weight.ndim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not -ndim <= dim < max(ndim, 1):
            raise IndexError(f"spectral_norm: dimension out of range (expected to be in range of [{-ndim}, "
                             f"{ndim - 1}] but got {dim!r})")
        if isinstance(n_power_iterations, bool) or not isinstance(n_power_iterations, (int, np.integer)) \
                or n_power_iterations <= 0:
            raise ValueError(f"spectral_norm: expected n_power_iterations to be a positive int, but got "
                             f"n_power_iterations={n_power_iterations!r}")
        self.dim = int(dim) + ndim if dim < 0 else int(dim)
        self.eps = float(eps)
        if ndim > 1:
            self.n_power_iterations = int(n_power_iterations)
            matrix = self._matrix(weight.data)
            rng = generator(rng, "spectral_norm")
            h, w = matrix.shape
            self.register_buffer("_u", _normalized(rng.standard_normal(h).astype(weight.dtype), self.eps))
            self.register_buffer("_v", _normalized(rng.standard_normal(w).astype(weight.dtype), self.eps))
            self._power_method(matrix, 15)

    def _matrix(self, weight):
        """weight (an array or a Tensor) as a matrix: axis dim first, the others flattened."""
        if self.dim != 0:
            weight = weight.transpose(self.dim, *(d for d in range(weight.ndim) if d != self.dim))
        return weight.reshape(weight.shape[0], -1)

    def _power_method(self, matrix, iterations):
        """iterations steps of the power method on the values of matrix, updating _u and _v in place."""
        u, v = self._u.data, self._v.data
        for _ in range(iterations):
            u[...] = _normalized(matrix @ v, self.eps)
            v[...] = _normalized(matrix.T @ u, self.eps)
        self._u.data, self._v.data = u, v  # (counted as changes)

    def forward(self, weight):
        if weight.ndim == 1:
            return weight / ag.maximum(ag.sqrt(ag.sum(weight * weight)), self.eps)
        matrix = self._matrix(weight)
        if self.training:
            self._power_method(matrix.data, self.n_power_iterations)
        u, v = Tensor(self._u.data.copy()), Tensor(self._v.data.copy())
        sigma = ag.sum(u * ag.matmul(matrix, v))
        return weight / sigma

    def right_inverse(self, value):
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None, *, rng=None):
    """Spectral normalisation, as torch.nn.utils.parametrizations.spectral_norm: module.<name> becomes
    weight / sigma, sigma its largest singular value (the weight as a matrix with axis dim first: dim None means 1
    for ConvTranspose layers, else 0), estimated by n_power_iterations steps of the power method at each read in
    training mode (the vectors are buffers "_u" and "_v", started at random, from rng, then 15 steps; in eval mode
    they stay). A 1-d weight is divided by its norm. Returns module.

    >>> import numpy as np, nn
    >>> layer = nn.utils.parametrizations.spectral_norm(nn.Linear(4, 3, rng=0), rng=0)
    >>> round(float(np.linalg.svd(layer.weight.data, compute_uv=False)[0]), 2)
    1.0
    >>> sorted(layer.state_dict())
    ['bias', 'parametrizations.weight.0._u', 'parametrizations.weight.0._v', 'parametrizations.weight.original']
    """
    weight = _tensor_of(module, name, "spectral_norm")
    if dim is None:
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps, rng))
    return module


# ---- orthogonal -------------------------------------------------------------------------------
_MAPS = ("matrix_exp", "cayley", "householder")


def _householder_product(a, tau):
    """The first k columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^T, v_i column i of a (strictly lower part)
    with a 1 at i: LAPACK's orgqr (PyTorch's householder_product), composed."""
    n, k = a.shape[-2], a.shape[-1]
    eye = np.eye(n, dtype=a.dtype)
    q = ag.tensor(np.broadcast_to(eye, (*a.shape[:-2], n, n)).copy())
    for i in range(k):
        v = a[..., :, i] + eye[:, i]  # (..., n)
        qv = ag.matmul(q, ag.expand_dims(v, -1))  # (..., n, 1)
        q = q - ag.reshape(tau[..., i], (*tau.shape[:-1], 1, 1)) * qv * ag.expand_dims(v, -2)
    return q[..., :, :k]


def _make_orthogonal(a):
    """The Q of a = QR (a tall, values) with diag(R) >= 0, as PyTorch's _make_orthogonal."""
    q, r = np.linalg.qr(a)
    signs = np.sign(np.diagonal(r, axis1=-2, axis2=-1))
    return q * np.expand_dims(np.where(signs == 0, 0, signs), -2)


def _is_orthogonal(q):
    n, k = q.shape[-2:]
    return np.allclose(np.swapaxes(q, -1, -2) @ q, np.eye(k), rtol=1e-5, atol=10.0 * n * np.finfo(q.dtype).eps)


class _Orthogonal(Module):
    """An orthogonal matrix (or one with orthonormal columns or rows) from an unconstrained one, as PyTorch's."""

    def __init__(self, weight, orthogonal_map, *, use_trivialization=True, rng=None):
        super().__init__()
        self.shape, self.orthogonal_map = weight.shape, orthogonal_map
        self._rng = generator(rng, "orthogonal")
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, x):
        n, k = x.shape[-2], x.shape[-1]
        transposed = n < k
        if transposed:
            x, n, k = x.mT, k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            x = ag.tril(x)
            if n != k:
                x = ag.concatenate([x, ag.zeros((*x.shape[:-2], n, n - k), dtype=x.dtype)], axis=-1)
            a = x - x.mT
            if self.orthogonal_map == "matrix_exp":
                q = matrix_exp(a)
            else:  # the Cayley retraction (I + A/2)(I - A/2)^-1, solved as PyTorch does
                eye = ag.tensor(np.eye(n, dtype=a.dtype))
                q = ag.linalg.solve(eye - 0.5 * a, eye + 0.5 * a)
            if n != k:
                q = q[..., :k]
        else:
            a = ag.tril(x, -1)
            tau = 2.0 / (1.0 + ag.sum(a * a, axis=-2))
            q = _householder_product(a, tau)
            # the diagonal of x holds 1s and -1s (truncated, as PyTorch's .int(): no gradient through it)
            q = q * np.expand_dims(np.trunc(np.diagonal(x.data, axis1=-2, axis2=-1)), -2).astype(q.dtype)
        base = vars(self).get("base")
        if base is not None:
            q = ag.matmul(base, q)
        return q.mT if transposed else q

    def right_inverse(self, q):
        if not isinstance(q, Tensor):
            q = ag.tensor(q)
        if q.shape != self.shape:
            raise ValueError(f"orthogonal: expected a matrix or batch of matrices of shape {self.shape}, got a tensor "
                             f"of shape {q.shape}")
        values, shape = np.array(q.data), q.shape
        n, k = shape[-2], shape[-1]
        transpose = n < k
        if transpose:
            values, n, k = np.swapaxes(values, -1, -2), k, n
        if "base" not in vars(self):
            if self.orthogonal_map != "householder":
                raise NotImplementedError("orthogonal: it is not possible to assign to the matrix exponential or the "
                                          "Cayley parametrizations when use_trivialization=False")
            h, tau = np.linalg.qr(values, mode="raw")  # LAPACK's geqrf, transposed
            a = np.swapaxes(h, -1, -2).copy()
            diagonal = np.arange(min(a.shape[-2:]))
            signs = np.sign(a[..., diagonal, diagonal])
            signs[tau == 0.0] *= -1
            a[..., diagonal, diagonal] = signs
            return ag.tensor(np.swapaxes(a, -1, -2) if transpose else a)
        if n == k:
            values = values if _is_orthogonal(values) else _make_orthogonal(values)
        else:
            extra = generator(self._rng, "orthogonal").standard_normal((*values.shape[:-2], n, n - k))
            extra = extra.astype(values.dtype)
            values = _make_orthogonal(np.concatenate([values, extra], axis=-1))
        self.base = ag.tensor(values.astype(q.dtype))
        neg_eye = np.zeros(shape, dtype=q.dtype)
        diagonal = np.arange(min(shape[-2:]))
        neg_eye[..., diagonal, diagonal] = -1.0
        return ag.tensor(neg_eye)


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True, rng=None):
    """Make module.<name> an orthogonal matrix (orthonormal columns or rows if not square; batches of them), as
    torch.nn.utils.parametrizations.orthogonal. orthogonal_map: "matrix_exp" (the default for a square matrix),
    "cayley", or "householder" (the default otherwise). With use_trivialization (the default) the current value,
    made orthogonal (QR), is kept as the buffer "base" and the parametrization starts at it; rng draws the
    completion of a non-square matrix (an extension). Returns module.

    >>> import numpy as np, nn
    >>> layer = nn.utils.parametrizations.orthogonal(nn.Linear(3, 3, dtype=np.float64, rng=0))
    >>> w = layer.weight.data
    >>> bool(np.allclose(w.T @ w, np.eye(3)))
    True
    """
    where = "orthogonal"
    weight = _tensor_of(module, name, where)
    if weight.ndim < 2:
        raise ValueError(f"{where}: expected a matrix or batch of matrices, got a tensor of {weight.ndim} dimensions")
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    if orthogonal_map not in _MAPS:
        raise ValueError(f'{where}: orthogonal_map has to be one of "matrix_exp", "cayley", "householder", got '
                         f'{orthogonal_map!r}')
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization, rng=rng)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
