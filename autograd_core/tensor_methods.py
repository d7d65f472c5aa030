"""The Tensor methods that mirror the function API (t.exp() is ag.exp(t), x.sum(dim=1) is ag.sum(x, dim=1)), set on
Tensor when the package is imported: the ag functions themselves where they take the Tensor first (a method cannot
drift from its function), short methods where the order or the names of the arguments differ."""
import numpy as np

from . import ops
from ._arguments import InvalidArgumentError, reduction_from_torch
from .tensor import Tensor


class MatrixShapeError(InvalidArgumentError):
    """x.mT or x.mH of a 1-D Tensor: a ValueError, and PyTorch's RuntimeError for ported code."""


def _matrices_transposed(tensor, name):
    """tensor.mT (and .mH): the last two axes exchanged; 0-d gives a view of itself (as torch's), 1-D is refused."""
    if tensor.ndim == 1:
        raise MatrixShapeError(f"{name}: only matrices or batches of matrices (2-D or more) have one, as PyTorch's, "
                               f"got shape {tensor.shape}; use x.T or x.reshape(1, -1) for a vector")
    return ops.transpose(tensor) if tensor.ndim == 0 else ops.swapaxes(tensor, -1, -2)


class _FunctionAPIMethods:
    """The methods written out (set on Tensor below, each under its own name)."""

    def leaky_relu(self, negative_slope=0.01):
        """ag.leaky_relu(self, negative_slope): x for x > 0, negative_slope * x otherwise."""
        return ops.leaky_relu(self, negative_slope)

    def elu(self, alpha=1.0):
        """ag.elu(self, alpha): x for x > 0, alpha * (e**x - 1) otherwise."""
        return ops.elu(self, alpha)

    def clip(self, a_min=None, a_max=None, *, min=None, max=None):
        """ag.clip(self, a_min, a_max): values limited to [a_min, a_max] (or [min, max], as ndarray.clip's)."""
        return ops.clip(self, a_min, a_max, min=min, max=max)

    def where(self, condition, other):
        """self where condition holds, else other: ag.where(condition, self, other), as torch.Tensor.where."""
        return ops.where(condition, self, other)

    # sum, mean, prod, max, min, var, std, logsumexp, argmax, argmin, softmax, log_softmax, squeeze and cumsum are the
    # ag functions themselves, made methods below (x.sum(dim=1) is ag.sum(x, dim=1)).

    def any(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """np.any of the values: a boolean Tensor (not differentiable); dim and keepdim are PyTorch's names for axis
        and keepdims.

        >>> import autograd_core as ag
        >>> (ag.tensor([[1.0, -2.0], [3.0, 4.0]]) < 0).any(axis=1)
        Tensor([ True, False])
        """
        if dim is not None or keepdim is not None:  # PyTorch's names for axis and keepdims
            axis, keepdims = reduction_from_torch("any", axis, keepdims, dim, keepdim, ndim=self.ndim)
        return np.any(self, axis=axis, keepdims=keepdims)  # (numpy_dispatch: a boolean Tensor)

    def all(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """np.all of the values: a boolean Tensor (not differentiable); dim and keepdim are PyTorch's names for axis
        and keepdims.

        >>> import autograd_core as ag
        >>> (ag.tensor([1.0, 2.0]) > 0).all()
        Tensor(True)
        """
        if dim is not None or keepdim is not None:  # PyTorch's names for axis and keepdims
            axis, keepdims = reduction_from_torch("all", axis, keepdims, dim, keepdim, ndim=self.ndim)
        return np.all(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape):
        """ag.reshape(self, *shape): the same values in a new shape."""
        return ops.reshape(self, *shape)

    def transpose(self, *axes):
        """ag.transpose(self, *axes): axes permuted (reversed when none are given)."""
        return ops.transpose(self, *axes)

    def swapaxes(self, axis1, axis2):
        """ag.swapaxes(self, axis1, axis2): two axes exchanged."""
        return ops.swapaxes(self, axis1, axis2)

    @property
    def T(self):
        """ag.transpose(self): the axes reversed."""
        return ops.transpose(self)

    @property
    def mT(self):
        """ag.swapaxes(self, -1, -2): the last two axes exchanged (transposes a batch of matrices); of a 0-d Tensor,
        a view of it, as torch's.

        >>> import autograd_core as ag
        >>> ag.zeros((4, 2, 3)).mT.shape
        (4, 3, 2)
        """
        return _matrices_transposed(self, "mT")

    @property
    def H(self):
        """PyTorch's H of a real matrix: its transpose, self.T (no conjugate: Tensors here are real); a 0-d Tensor
        is itself, as torch's.

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3)).H.shape
        (3, 2)
        """
        if self.ndim not in (0, 2):
            raise ValueError(f"H: only a matrix (2-D) has one, as PyTorch's, got shape {self.shape}; use x.mH for a "
                             f"batch of matrices")
        return ops.transpose(self)

    @property
    def mH(self):
        """PyTorch's mH of real matrices: self.mT, the last two axes exchanged (no conjugate: Tensors here are
        real)."""
        return _matrices_transposed(self, "mH")

    def expand_dims(self, axis):
        """ag.expand_dims(self, axis): a size-1 axis inserted at position axis."""
        return ops.expand_dims(self, axis)

    def broadcast_to(self, shape):
        """ag.broadcast_to(self, shape): broadcast to shape, as np.broadcast_to."""
        return ops.broadcast_to(self, shape)

    def astype(self, dtype, copy=True):
        """ag.astype(self, dtype, copy=copy): cast to dtype; differentiable between float dtypes; copy=False returns
        self when it already has dtype, as NumPy's."""
        return ops.astype(self, dtype, copy=copy)

    def split(self, split_size, dim=0):
        """PyTorch's Tensor.split (keyword split_size, as its): a tuple of pieces of split_size along dim (the last
        shorter), or of the given sizes. ag.split(x, n) is NumPy's, which cuts into n pieces (or at indices)."""
        return ops.torch_split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        """ag.chunk(self, chunks, dim): PyTorch's chunk, at most `chunks` pieces of ceil(n / chunks) along dim."""
        return ops.chunk(self, chunks, dim)


    def absolute(self):
        """ag.absolute(self), abs's other name (PyTorch's t.absolute()): |x| elementwise."""
        return ops.abs(self)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        """PyTorch's t.nan_to_num(nan, posinf, neginf) (positional as its, where ag.nan_to_num's second argument is
        NumPy's copy): ag.nan_to_num(self, nan=nan, posinf=posinf, neginf=neginf).

        >>> import autograd_core as ag
        >>> ag.tensor([float("nan"), 1.0]).nan_to_num(-1.0)
        Tensor([-1.,  1.])
        """
        return ops.nan_to_num(self, nan=nan, posinf=posinf, neginf=neginf)

    def quantile(self, q, dim=None, keepdim=None, *, interpolation=None, **numpys):
        """PyTorch's t.quantile(q, dim, keepdim, interpolation=) (positional as its, where ag.quantile's third
        argument is NumPy's out): ag.quantile(self, q, dim=dim, keepdim=keepdim, interpolation=interpolation);
        NumPy's axis=, keepdims= and method= by keyword.

        >>> import autograd_core as ag
        >>> ag.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).quantile(0.5, 0, True)
        Tensor([[1.5, 2.5, 3.5]])
        """
        return ops.quantile(self, q, dim=dim, keepdim=keepdim, interpolation=interpolation, **numpys)

    def nanquantile(self, q, dim=None, keepdim=None, *, interpolation=None, **numpys):
        """PyTorch's t.nanquantile(q, dim, keepdim, interpolation=), positional as its: ag.nanquantile's
        PyTorch-named call, as t.quantile's.

        >>> import autograd_core as ag
        >>> ag.tensor([[0.0, float("nan")], [3.0, 4.0]]).nanquantile(0.5, 1)
        Tensor([0. , 3.5])
        """
        return ops.nanquantile(self, q, dim=dim, keepdim=keepdim, interpolation=interpolation, **numpys)


for _name, _member in vars(_FunctionAPIMethods).items():
    if not _name.startswith("__"):
        (_member.fget if isinstance(_member, property) else _member).__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _member)

# The ag functions taking axis= (and PyTorch's dim=) as methods, themselves rather than methods calling them: one
# Python call fewer per x.sum(), which more than pays for the keyword-only dim/keepdim (CPython 3.11 spends about 400
# more instructions calling a function that has two, filling their defaults), and a method cannot drift from its
# function.
(Tensor.sum, Tensor.mean, Tensor.prod, Tensor.max, Tensor.min, Tensor.var, Tensor.std, Tensor.logsumexp,
 Tensor.argmax, Tensor.argmin, Tensor.softmax, Tensor.log_softmax, Tensor.squeeze, Tensor.cumsum) = (
    ops.sum, ops.mean, ops.prod, ops.max, ops.min, ops.var, ops.std, ops.logsumexp, ops.argmax, ops.argmin,
    ops.softmax, ops.log_softmax, ops.squeeze, ops.cumsum)

# The ag functions that take the Tensor and nothing else (or one other operand) as methods, themselves (a primitive
# set on a class binds as a function does): t.exp() is ag.exp(t), and the two cannot drift apart.
for _name in ("exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tanh", "log2", "log10", "exp2", "square",
              "reciprocal", "sign", "tan", "arcsin", "arccos", "arctan", "arctan2", "hypot", "sinh", "cosh",
              "arcsinh", "arccosh", "arctanh", "sigmoid", "relu", "softplus", "erf", "erfc", "erfinv", "lgamma",
              "digamma", "abs", "maximum", "minimum", "flatten", "dot", "inner", "outer", "copy",
              # ndarray's methods of the same name and meaning, and PyTorch's for the NumPy functions (not repeat,
              # sort or median: PyTorch's t.repeat is np.tile, its t.sort and t.median return indices too)
              "ravel", "diagonal", "trace", "cumprod", "round", "take", "argsort", "floor", "ceil", "trunc", "roll",
              "tile", "moveaxis", "diff", "nansum", "nanmean", "fmax", "fmin", "logaddexp", "sinc", "cbrt",
              "deg2rad", "rad2deg", "fmod", "remainder", "logit", "mvlgamma", "frac", "frexp", "fix",
              "copysign", "heaviside", "logaddexp2", "xlogy", "float_power", "ldexp", "nextafter", "gcd", "lcm",
              "isin", "msort", "positive",  # (PyTorch's t.isin(test_elements), t.msort() and t.positive())
              "histogram",  # (PyTorch's t.histogram(bins, range=, weight=, density=): counts and edges)
              # PyTorch's predicates and other names (not recorded: boolean or integer results)
              "signbit", "isposinf", "isneginf", "isreal", "bitwise_not", "argwhere"):
    setattr(Tensor, _name, getattr(ops, _name))
del _name, _member
