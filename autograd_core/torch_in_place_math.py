"""PyTorch's remaining in-place elementwise methods (t.log1p_(), t.erf_(), t.frac_(), t.i0_(), t.sgn_(),
t.bitwise_not_() ...): each t.<name>() written into t, made by torch_in_place's _in_place_math as exp_ and sqrt_ are
(recorded as add_ while recording; refused where the result's dtype does not cast to t's, an integer Tensor's log1p_,
as PyTorch refuses it). Set on Tensor when torch_in_place is imported."""
import numpy as np

from . import ops
from .ops.bessel import i0
from .tensor import Tensor
from .torch_in_place import _in_place_math, _written_in_place, _written_into

# name: (the function, a docstring example's input and printed result)
_MATH = {
    "log1p": (np.log1p, "[0.0, 0.0]", "[0., 0.]"),
    "expm1": (np.expm1, "[0.0, 0.0]", "[0., 0.]"),
    "exp2": (np.exp2, "[1.0, 3.0]", "[2., 8.]"),
    "log2": (np.log2, "[2.0, 8.0]", "[1., 3.]"),
    "log10": (np.log10, "[10.0, 100.0]", "[1., 2.]"),
    "square": (np.square, "[2.0, -3.0]", "[4., 9.]"),
    "reciprocal": (np.reciprocal, "[2.0, 4.0]", "[0.5 , 0.25]"),
    "rsqrt": (lambda x: ops.reciprocal(ops.sqrt(x)), "[4.0, 0.25]", "[0.5, 2. ]"),
    "tan": (np.tan, "[0.0, 0.0]", "[0., 0.]"),
    "sinh": (np.sinh, "[0.0, 0.0]", "[0., 0.]"),
    "cosh": (np.cosh, "[0.0, 0.0]", "[1., 1.]"),
    "arcsin": (np.arcsin, "[0.0, 0.0]", "[0., 0.]"),
    "arctan": (np.arctan, "[0.0, 0.0]", "[0., 0.]"),
    "arcsinh": (np.arcsinh, "[0.0, 0.0]", "[0., 0.]"),
    "arccosh": (np.arccosh, "[1.0, 1.0]", "[0., 0.]"),
    "arctanh": (np.arctanh, "[0.0, 0.0]", "[0., 0.]"),
    "deg2rad": (np.deg2rad, "[0.0, 0.0]", "[0., 0.]"),
    "rad2deg": (np.rad2deg, "[0.0, 0.0]", "[0., 0.]"),
    "bitwise_not": (np.invert, "[True, False]", "[False,  True]"),
    # (functions NumPy lacks: the engine's, written into the array)
    "erf": (ops.erf, "[0.0, 0.0]", "[0., 0.]"),
    "erfc": (ops.erfc, "[0.0, 0.0]", "[1., 1.]"),
    "lgamma": (ops.lgamma, "[1.0, 2.0]", "[0., 0.]"),
    "digamma": (ops.digamma, "[1.0, 1.0]", "[-0.57721566, -0.57721566]"),
    "sinc": (ops.sinc, "[0.0, 0.0]", "[1., 1.]"),
    "frac": (ops.frac, "[-1.5, 2.25]", "[-0.5 ,  0.25]"),
    "i0": (i0, "[0.0, 0.0]", "[1., 1.]"),
}
for _name, (_function, _example, _result) in _MATH.items():
    _compute = _function if isinstance(_function, np.ufunc) else _written_into(lambda array, f=_function: f(array).data)
    _method = _in_place_math(_name, _compute, _example, _result)
    _method.__qualname__ = f"Tensor.{_name}_"
    setattr(Tensor, f"{_name}_", _method)
# PyTorch's other names of the same methods (asin_ is arcsin_, absolute_ abs_, negative_ neg_, ...)
for _alias, _name in (("asin_", "arcsin_"), ("atan_", "arctan_"), ("asinh_", "arcsinh_"), ("acosh_", "arccosh_"),
                      ("atanh_", "arctanh_"), ("absolute_", "abs_"), ("negative_", "neg_"),
                      ("fix_", "trunc_"), ("sgn_", "sign_")):  # (sgn_: sign_ for real Tensors, as PyTorch's)
    setattr(Tensor, _alias, getattr(Tensor, _name))
del _name, _function, _example, _result, _compute, _method, _alias


class _InPlaceWithSettings:
    """The in-place forms of the functions that take a setting besides the Tensor (set on Tensor below)."""

    def polygamma_(self, n):
        """PyTorch's t.polygamma_(n): t.polygamma(n) written into t, returning t (recorded as add_'s).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).polygamma_(0)
        Tensor([-0.57721566,  0.42278434])
        """
        return _written_in_place(self, "polygamma", lambda: ops.polygamma(n, self))

    def mvlgamma_(self, p):
        """PyTorch's t.mvlgamma_(p): t.mvlgamma(p) written into t, returning t (recorded as add_'s).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0]).mvlgamma_(1)
        Tensor([0., 0.])
        """
        return _written_in_place(self, "mvlgamma", lambda: ops.mvlgamma(self, p))

    def logit_(self, eps=None):
        """PyTorch's t.logit_(eps): t.logit(eps) written into t, returning t (recorded as add_'s).

        >>> import autograd_core as ag
        >>> ag.tensor([0.5, 0.0]).logit_(eps=0.5)
        Tensor([0., 0.])
        """
        return _written_in_place(self, "logit", lambda: ops.logit(self, eps))

    def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
        """PyTorch's t.nan_to_num_(nan, posinf, neginf): t.nan_to_num(...) written into t, returning t (recorded as
        add_'s).

        >>> import autograd_core as ag
        >>> ag.tensor([float("nan"), 2.0]).nan_to_num_(-1.0)
        Tensor([-1.,  2.])
        """
        return _written_in_place(self, "nan_to_num",
                                 lambda: ops.nan_to_num(self, nan=nan, posinf=posinf, neginf=neginf))

    def cumsum_(self, dim, *, dtype=None):
        """PyTorch's t.cumsum_(dim): the running sums along dim written into t, returning t (recorded as add_'s).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0, 3.0]).cumsum_(0)
        Tensor([1., 3., 6.])
        """
        return _written_in_place(self, "cumsum", lambda: ops.cumsum(self, dim=dim, dtype=dtype))

    def cumprod_(self, dim, *, dtype=None):
        """PyTorch's t.cumprod_(dim): the running products along dim written into t, returning t (recorded as add_'s).

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0, 3.0]).cumprod_(0)
        Tensor([1., 2., 6.])
        """
        return _written_in_place(self, "cumprod", lambda: ops.cumprod(self, dim=dim, dtype=dtype))

    def renorm_(self, p, dim, maxnorm):
        """PyTorch's t.renorm_(p, dim, maxnorm): t.renorm(p, dim, maxnorm) written into t, returning t (recorded as
        add_'s).

        >>> import autograd_core as ag
        >>> ag.tensor([[3.0, 4.0], [0.3, 0.4]]).renorm_(2, 0, 1.0).round(decimals=4)
        Tensor([[0.6, 0.8],
                [0.3, 0.4]])
        """
        return _written_in_place(self, "renorm", lambda: self.renorm(p, dim, maxnorm))


for _name, _method in list(vars(_InPlaceWithSettings).items()):
    if not _name.startswith("__"):
        _method.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _method)
del _name, _method
