"""Arithmetic: + - * / ** @, negation, absolute value, and casts.

Each primitive is its forward and one gradient rule per input, `vjp(g, ans, *inputs)`.
Broadcasting is undone by backprop, so rules may return gradients of the broadcast shape.
"""
import math
import operator

import numpy as np

from ..primitive import (_BLAS_FLOATS, _NO_PARAMS, OperandError, OperandTypeError, Primitive, apply, as_operand,
                         specializes)
from ..tensor import Tensor, as_value

_BROADCAST_HINT = "operands must have NumPy-broadcastable shapes (trailing axes equal or 1)"

add = Primitive("add", operator.add, (
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: g,
), _BROADCAST_HINT, doc="""x + y, elementwise, with NumPy broadcasting (the + operator).

    >>> import autograd_core as ag
    >>> ag.add(ag.tensor([1.0, 2.0]), 3.0)
    Tensor([4., 5.])
    """, reads_values=False)

subtract = Primitive("subtract", operator.sub, (
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: -g,
), _BROADCAST_HINT, doc="""x - y, elementwise, with NumPy broadcasting (the - operator).

    >>> import autograd_core as ag
    >>> ag.subtract(ag.tensor([1.0, 2.0]), 3.0)
    Tensor([-2., -1.])
    """, reads_values=False)

multiply = Primitive("multiply", operator.mul, (
    lambda g, ans, x, y: g * y,
    lambda g, ans, x, y: g * x,
), _BROADCAST_HINT, reads_values=((1,), (0,)), doc="""x * y, elementwise, with NumPy broadcasting (the * operator).

    >>> import autograd_core as ag
    >>> ag.multiply(ag.tensor([1.0, 2.0]), 3.0)
    Tensor([3., 6.])
    """)

divide = Primitive("divide", operator.truediv, (
    lambda g, ans, x, y: g / y,
    lambda g, ans, x, y: -g * ans / y,
), _BROADCAST_HINT, reads_values=((1,), ("ans", 1)),  # x's rule reads y only, as PyTorch's
    doc="""x / y, elementwise, with NumPy broadcasting (the / operator).

    >>> import autograd_core as ag
    >>> ag.divide(ag.tensor([1.0, 2.0]), 4.0)
    Tensor([0.25, 0.5 ])
    """)


def _floor_quotient(x, y):
    """floor(x / y) as an array: piecewise constant, so nothing to record (its derivative is 0 almost everywhere)."""
    from ..tensor import as_value

    return np.floor_divide(as_value(x), as_value(y))


# x % y = x - floor(x / y) y (NumPy's and PyTorch's sign convention: that of y); jumps where x / y is whole.
remainder = Primitive("remainder", operator.mod, (
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: -g * _floor_quotient(x, y),
), _BROADCAST_HINT, reads_values=((), (0, 1)), doc="""x % y, elementwise, with the sign of y as np.remainder (the %
    operator); differentiable where x / y is not a whole number, as in PyTorch.

    >>> import autograd_core as ag
    >>> ag.remainder(ag.tensor([5.5, -1.0]), 2.0)
    Tensor([1.5, 1. ])
    """)


# fmod(x, y) = x - trunc(x / y) y (C's and PyTorch's torch.fmod: the sign of x, where % takes that of y).
fmod = Primitive("fmod", np.fmod, (
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: -g * np.trunc(np.true_divide(x, y)),
), _BROADCAST_HINT, reads_values=((), (0, 1)), doc="""The remainder of x / y with the sign of x, elementwise, as
    np.fmod and torch.fmod (ag.remainder and % take the sign of y); differentiable where x / y is not a whole number.

    >>> import autograd_core as ag
    >>> ag.fmod(ag.tensor([5.5, -1.0]), 2.0)
    Tensor([ 1.5, -1. ])
    """)


def floor_divide(x, y):
    """floor(x / y), elementwise (the // operator): a constant, as its derivative is 0 wherever it has one
    (PyTorch's backward raises there).

    >>> import autograd_core as ag
    >>> ag.floor_divide(ag.tensor([5.5, -1.0]), 2.0)
    Tensor([ 2., -1.])
    """
    from ..tensor import Tensor

    try:
        quotient = np.asarray(_floor_quotient(x, y))
        if quotient.dtype.kind == "O":  # (NumPy gave an object its own //: t // obj is obj.__rfloordiv__'s business)
            raise TypeError(f"unsupported operand type(s): {type(x).__name__}, {type(y).__name__}")
        return Tensor._constant(quotient)
    except OverflowError as err:  # (a Python int beyond the integer dtype, named as the other operations name it)
        raise OverflowError(f"floor_divide: {err}; a Python int must fit the Tensor's integer dtype (cast the Tensor "
                            f"to a wider one, or use a float)") from None
    except (TypeError, ValueError) as err:  # (also PyTorch's RuntimeError, as the primitives' errors)
        kind = OperandTypeError if isinstance(err, TypeError) else OperandError
        raise kind(f"floor_divide: {err}; {_BROADCAST_HINT}") from None


def _power_vjp_exponent(g, ans, x, y):
    # d(x**y)/dy = x**y log x. At x == 0 PyTorch takes the limit 0 when y >= 0, so log is taken of 1
    # there; when y < 0, x**y = inf and the product is -inf, as in PyTorch.
    return g * ans * np.log(np.where((x == 0) & (y >= 0), 1, x))


def _power_vjp_base(g, ans, x, y):
    # d(x**y)/dx = y x**(y-1). Where y == 0 and x**-1 or g is not finite (x is 0, subnormal or NaN; g inf or NaN),
    # the gradient is 0, as in PyTorch, not 0 * inf = NaN (x ** arange(n) features at x = 0 stay finite). Only
    # there: elsewhere y x**(y-1) is kept as it is, since its derivative in y (1/x at y = 0) is a second derivative.
    if np.ndim(y) == 0 and y != 0:
        return g * y * x ** (y - 1)
    zero = (y == 0) & ~((np.abs(x) >= np.finfo(np.result_type(x)).tiny) & np.isfinite(as_value(g)))
    return np.where(zero, 0, g) * y * np.where(zero, 1, x) ** (y - 1)  # (0 * 0 * 1 there: no NaN, no warning)


power = Primitive("power", operator.pow, (
    _power_vjp_base,
    _power_vjp_exponent,
), _BROADCAST_HINT + "; an integer base takes no negative integer exponent (make either a float, as NumPy asks)",
    reads_values=((0, 1), ("ans", 0, 1)), doc="""x ** y, elementwise, with NumPy broadcasting (the ** operator).

    >>> import autograd_core as ag
    >>> ag.power(ag.tensor([2.0, 3.0]), 2)
    Tensor([4., 9.])
    """)

negative = Primitive("negative", operator.neg, (lambda g, ans, x: -g,), doc="""-x, elementwise (unary minus).

    >>> import autograd_core as ag
    >>> ag.negative(ag.tensor([1.0, -2.0]))
    Tensor([-1.,  2.])
    """, reads_values=False)


def positive(x):
    """+x: the Tensor itself, as np.positive and torch.positive (a number or array becomes a Tensor; a bool Tensor is
    refused, as by both).

    >>> import autograd_core as ag
    >>> ag.positive(ag.tensor([1.0, -2.0]))
    Tensor([ 1., -2.])
    """
    x = as_operand(x, "positive")
    if x.dtype == np.bool_:
        raise OperandTypeError("positive: not supported for bool Tensors (as np.positive and torch.positive refuse "
                               "them, TypeError and RuntimeError); use the Tensor itself")
    return x


def _abs_vjp(g, ans, x):
    # g * sign(x), the subgradient 0 at the kink x = 0; at a NaN x sign is taken as 0 too, as PyTorch's sgn, so a
    # finite g gives 0 there (and a NaN or inf g still NaN, as PyTorch's: a diverged value is not hidden). On an
    # array the sign is (x > 0) - (x < 0) on the masks' bytes, where NaN compares false both ways: half the time of
    # np.where(np.isnan(x), 0, np.sign(x)), whose np.where branches on every element.
    if type(x) is np.ndarray:
        return g * ((x > 0).view(np.int8) - (x < 0).view(np.int8))
    return g * np.where(np.isnan(x), 0, np.sign(x))


abs = Primitive("abs", np.abs, (_abs_vjp,), reads_values=((0,),), doc="""|x|, elementwise.

    >>> import autograd_core as ag
    >>> ag.abs(ag.tensor(-2.0))
    Tensor(2.)
    """)


# ---- matmul: np.matmul semantics, including 1-D operands and batches -------------------
# Rules call methods (.ndim, .swapaxes) that ndarrays and Tensors share: NumPy's function
# wrappers cost microseconds of Python each, which dominates on small arrays.
def _summed_over_batch(u, v):
    """The sum over the batch of u_i.T @ v_i, for u (..., q) and v (..., r) with equal leading axes, as one 2-D
    product: the gradient of a matrix shared by a batch, without the (batch, q, r) stack a batched product makes."""
    rows = math.prod(u.shape[:-1])
    return u.reshape(rows, u.shape[-1]).T @ v.reshape(rows, v.shape[-1])


def _matmul_vjp_a(g, ans, a, b):
    if b.ndim == 1:  # (..., n) @ (n,) -> (...)
        return np.expand_dims(g, -1) * b
    if a.ndim == 1:  # (n,) @ (..., n, m) -> (..., m)
        return (b @ np.expand_dims(g, -1))[..., 0]
    if a.ndim == 2 and b.ndim > 2:  # one matrix against a batch
        return _summed_over_batch(g.swapaxes(-1, -2), b.swapaxes(-1, -2))
    return g @ b.swapaxes(-1, -2)


def _matmul_vjp_b(g, ans, a, b):
    if a.ndim == 1:
        if b.ndim == 1:
            return g * a
        return np.expand_dims(a, -1) * np.expand_dims(g, -2)
    if b.ndim == 1:  # (..., k, n) @ (n,) -> (..., k)
        return (a.swapaxes(-1, -2) @ np.expand_dims(g, -1))[..., 0]
    if b.ndim == 2 and a.ndim > 2:  # a batch against one matrix
        return _summed_over_batch(a, g)
    return a.swapaxes(-1, -2) @ g


def _matmul_forward(a, b):
    if not np.ndim(a) or not np.ndim(b):
        raise ValueError("matmul does not accept 0-d (scalar) operands; use * for scaling")
    return np.matmul(a, b)


matmul = Primitive(
    "matmul", _matmul_forward, (_matmul_vjp_a, _matmul_vjp_b),
    "a @ b needs a.shape[-1] == b.shape[-2] (or b.shape[0] for 1-D b), and broadcastable batch axes",
    reads_values=((1,), (0,)),  # each operand's rule reads the other only
    doc="""a @ b with np.matmul's rules (1-D operands, broadcast batch axes); scalars are refused.

    >>> import autograd_core as ag
    >>> ag.matmul(ag.ones((2, 3)), ag.ones(3))
    Tensor([3., 3.])
    """,
)


# ---- linear: x @ W.T + b in one node (PyTorch's F.linear) ------------------------------
# A special rule for speed: W's gradient g.T @ x comes out in W's own (out, in) layout, the
# bias is added in place into the fresh product, and a layer is one node instead of three.
def _dots(a, b):
    """Whether linear takes a @ b as np.dot(a, b), by BLAS: arrays of one float32 or float64 dtype, a of 1 or 2
    dimensions, b of 2, each of two elements or more. For C- or Fortran-ordered operands np.dot makes the same BLAS
    call as np.matmul (the same bits), without the ufunc machinery: a third of a microsecond less per product, five
    products in a digits step; other layouts it copies for BLAS, where matmul loops itself (as accurate, other bits).
    (One element is np.dot's scalar path, which drops 0 * inf = NaN: matmul's.) A decision on dtypes and shapes alone,
    by equality, so that a replay keyed on them decides as the eager step does."""
    return (type(a) is np.ndarray and type(b) is np.ndarray and a.dtype in _BLAS_FLOATS and b.dtype == a.dtype
            and 0 < a.ndim < 3 and b.ndim == 2 and a.size > 1 and b.size > 1)


def _product(a, b):
    return np.dot(a, b) if _dots(a, b) else a @ b  # (a Tensor under create_graph: recorded by @)


def _linear_forward(x, weight, bias=None):
    if getattr(weight, "ndim", 0) != 2:
        raise ValueError(f"linear needs a 2-D weight (out_features, in_features), got shape {np.shape(weight)}")
    out = np.dot(x, weight.T) if _dots(x, weight) else np.matmul(x, weight.T)
    if bias is None:
        return out
    if _adds_in_place(out, bias):
        out += bias
        return out
    return out + bias


def _adds_in_place(out, bias):
    """Whether out += bias is exactly out + bias: bias an array of out's dtype (the same dtype object, the common
    case; an equal one adds as out + bias, the same numbers), its shape a suffix of out's."""
    return type(bias) is np.ndarray and bias.dtype is out.dtype and bias.ndim and out.shape[-bias.ndim:] == bias.shape


def _linear_biased(x, weight, bias):
    out = np.dot(x, weight.T)  # (_linear_forward's arithmetic where np.dot applies and the bias adds in place)
    out += bias
    return out


@specializes(_linear_forward)
def _linear_specialized(args, params):
    x, weight, *bias = args
    if not (bias and _dots(x, weight)):
        return None
    product = np.dot(x[..., :0], weight.T[:0])  # (the product's shape and dtype, from an empty one)
    return (_linear_biased, (0, 1, 2)) if _adds_in_place(product, bias[0]) else None


def _linear_vjp_weight(g, ans, x, weight, *bias):
    if x.ndim == 1:  # one sample: the outer product g x^T
        return np.expand_dims(g, -1) * np.expand_dims(x, -2)
    if x.ndim > 2 and g.shape[:-1] == x.shape[:-1]:  # a batch of sequences or images: one 2-D product (unless a
        return _summed_over_batch(g, x)  # bias broadcast the output beyond x's batch)
    return _transposed_product(g, x)


def _linear_vjp_bias(g, ans, x, weight, bias):
    return g  # backprop sums it over the batch axes


@specializes(_linear_vjp_bias)
def _linear_bias_rule_specialized(args, params):
    return None, (0,)  # (g itself)


def _transposed_product(g, x):
    return _product(g.swapaxes(-1, -2), x)  # (the weight's gradient of a batch of rows: g^T x)


def _transposed_dot(g, x):
    return np.dot(g.T, x)  # (_transposed_product of 2-D arrays np.dot takes)


@specializes(_linear_vjp_weight)
def _linear_weight_rule_specialized(args, params):
    g, ans, x = args[:3]  # (x 2-D: _linear_vjp_weight's last branch)
    return (_transposed_dot, (0, 2)) if _dots(g, x) and g.ndim == 2 else None


def _linear_vjp_input(g, ans, x, weight, *bias):
    return _product(g, weight)


_dot = np.dot  # (_linear_vjp_input where np.dot applies)


@specializes(_linear_vjp_input)
def _linear_input_rule_specialized(args, params):
    return (_dot, (0, 3)) if _dots(args[0], args[3]) else None


_linear = Primitive("linear", _linear_forward, (
    _linear_vjp_input,
    _linear_vjp_weight,
    _linear_vjp_bias,
), "x's last axis must equal weight's second axis (in_features); bias, if given, has out_features entries",
    reads_values=((1,), (0,), ()))  # x's rule reads the weight, the weight's x, the bias's nothing


def linear(x, weight, bias=None):
    """x @ weight.T + bias, with weight of shape (out_features, in_features), as torch.nn.functional.linear.

    >>> import numpy as np, autograd_core as ag
    >>> ag.linear(np.ones((2, 3)), ag.ones((4, 3)), ag.zeros(4)).shape
    (2, 4)
    """
    # (apply at once: Primitive.__call__'s checks are for a caller's arguments, and these are two or three)
    return apply(_linear, (x, weight) if bias is None else (x, weight, bias), _NO_PARAMS)


# ---- casts --------------------------------------------------------------------------
_FLOAT16 = np.dtype(np.float16)


def _astype_forward(x, dtype):
    if dtype is _FLOAT16 and x.dtype.kind == "f":  # past float16's range: inf, without NumPy's warning (as PyTorch)
        with np.errstate(over="ignore"):
            return x.astype(dtype)
    return x.astype(dtype)


def _astype_vjp(g, ans, x, dtype):
    # (cast back, quietly to float16 as the forward: a recorded g casts through this primitive)
    dtype = np.result_type(x)
    return g.astype(dtype) if isinstance(g, Tensor) else _astype_forward(g, dtype)


_astype = Primitive("astype", _astype_forward, (_astype_vjp,), reads_values=False)


def astype(x, dtype, *, copy=True):
    """Cast to dtype; differentiable between float dtypes (other targets give a constant). With copy=False, as
    NumPy's, a Tensor that already has dtype is returned itself (CS231n's `out.astype(x.dtype, copy=False)`).

    >>> import numpy as np, autograd_core as ag
    >>> ag.astype(ag.tensor([1.0, 2.0]), np.float32).dtype
    dtype('float32')
    >>> t = ag.tensor([1.0, 2.0]); t.astype(np.float64, copy=False) is t
    True
    """
    from ..tensor import Tensor, as_value

    try:
        dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"astype: {err}; give a NumPy dtype such as np.float32") from None
    if dtype.kind not in "biuf":  # what Tensor itself refuses
        raise TypeError(f"astype: cannot cast to {dtype}; a Tensor holds bool, integer or float values")
    if not copy and isinstance(x, Tensor) and x.dtype == dtype:
        return x
    if dtype.kind == "f" and np.result_type(as_value(x)).kind == "f":
        out = _astype(x if isinstance(x, (Tensor, np.ndarray, np.generic)) else np.asarray(x), dtype=dtype)
    else:
        out = Tensor._constant(np.asarray(as_value(x)).astype(dtype))
    if not out.requires_grad and isinstance(x, Tensor):  # a cast of named data, as nn.Linear makes of its input, is
        out.name = x.name  # still that data in a drawing (a recorded cast is a node of its own, unnamed)
    return out
