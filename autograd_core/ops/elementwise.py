"""Elementwise functions: exp, log (and log2, log10, exp2), square, reciprocal, sin, cos, tanh, activations, clip,
sign, maximum/minimum, where. The other trigonometric and hyperbolic functions are in trigonometric.py.

Rules reuse the forward's result `ans` where that is cheaper (exp, tanh, sigmoid,
sqrt); under create_graph `ans` is the recorded output, so higher derivatives hold.
"""
import math

import numpy as np

from .._arguments import UNGIVEN
from ..primitive import Primitive, _holds_graph, float_constants, specializes
from ..tensor import Tensor, as_value, saved_value

_SELECT_FROM = 16384  # elements: below, np.where's one call is faster than select's five
_SIGNED_OF_SIZE = {size: np.dtype(f"i{size}") for size in (1, 2, 4, 8)}  # (a dtype object: parsing one takes longer)


def select(mask, a, b=0):
    """np.where(mask, a, b), bit for bit, for a float array a and b a number or an array of a's dtype: at the
    speed of a multiplication, where np.where branches on every element and mispredicts about half the time on a
    mask such as x > 0 (4.7 ms for a million float32 elements here, against 0.25 ms; and g * mask is no selection:
    an inf or nan in g where mask is False would give nan). It picks bits: b ^ ((a ^ b) & m), with m all ones
    where mask holds (with b = 0, relu's rule, mask's 0 or 1 times a's bits, in two calls, faster than np.where at any
    size). One number is picked in Python; anything else (a recorded Tensor under create_graph, ints, few elements
    and b not 0) goes to np.where.

    >>> import numpy as np
    >>> from autograd_core.ops.elementwise import select
    >>> select(np.array([True, False]), np.array([np.inf, np.inf]))
    array([inf,  0.])
    """
    if (type(a) is np.ndarray and a.dtype.kind == "f" and a.itemsize <= 8 and type(mask) is np.ndarray
            and mask.dtype == bool):  # (no 16-byte integer for a long double's bits)
        bits = _SIGNED_OF_SIZE[a.itemsize]
        if type(b) is int and b == 0 and mask.shape == a.shape and a.ndim:  # (relu's rule) in two calls: faster
            return _picked_bits(mask, a, bits)
        other = b if type(b) is np.ndarray else np.asarray(b, a.dtype) if type(b) in (int, float) else None
        if other is not None and other.dtype == a.dtype and a.size >= _SELECT_FROM:
            out = np.empty(np.broadcast_shapes(mask.shape, a.shape, other.shape), a.dtype)
            picked = out.view(bits)
            np.copyto(picked, mask)
            np.negative(picked, out=picked)  # -1, all bits set, where mask holds; 0 elsewhere
            if type(b) is int and b == 0:  # a's bits where mask holds (a float 0 may be -0.0, whose sign bit is set)
                np.bitwise_and(picked, a.view(bits), out=picked)
            else:
                np.bitwise_and(picked, np.bitwise_xor(a.view(bits), other.view(bits)), out=picked)
                np.bitwise_xor(picked, other.view(bits), out=picked)
            return out
    elif (type(mask) is np.bool_ and type(b) in (int, float) and isinstance(a, (np.ndarray, np.generic)) and a.ndim == 0
          and a.dtype.kind == "f"):  # one number: np.where takes 20 times longer (a scalar chain's relu)
        return a[()] if mask else a.dtype.type(b)  # (a[()]: a's value, never a itself, which may change in place)
    return np.where(mask, a, b)

exp = Primitive("exp", np.exp, (lambda g, ans, x: g * ans,), reads_values=(("ans",),), doc="e**x, elementwise.\n\n    >>> import autograd_core as ag\n    >>> ag.exp(ag.tensor(0.0))\n    Tensor(1.)\n    ")
log = Primitive("log", np.log, (lambda g, ans, x: g / x,), "log needs x > 0", reads_values=((0,),), doc="Natural logarithm, elementwise (x > 0).\n\n    >>> import autograd_core as ag\n    >>> ag.log(ag.tensor(1.0))\n    Tensor(0.)\n    ")
expm1 = Primitive("expm1", np.expm1, (lambda g, ans, x: g * (ans + 1),), reads_values=(("ans",),),
                  doc="e**x - 1, accurate for small x.\n\n    >>> import autograd_core as ag\n    >>> ag.expm1(ag.tensor(0.0))\n    Tensor(0.)\n    ")
log1p = Primitive("log1p", np.log1p, (lambda g, ans, x: g / (1 + x),), "log1p needs x > -1", reads_values=((0,),),
                  doc="log(1 + x), accurate for small x.\n\n    >>> import autograd_core as ag\n    >>> ag.log1p(ag.tensor(0.0))\n    Tensor(0.)\n    ")
sqrt = Primitive("sqrt", np.sqrt, (lambda g, ans, x: g / (2 * ans),), "sqrt needs x >= 0", reads_values=(("ans",),),
                 doc="Square root, elementwise (x >= 0).\n\n    >>> import autograd_core as ag\n    >>> ag.sqrt(ag.tensor(4.0))\n    Tensor(2.)\n    ")
sin = Primitive("sin", np.sin, (lambda g, ans, x: g * np.cos(x),), reads_values=((0,),), doc="Sine, elementwise.\n\n    >>> import autograd_core as ag\n    >>> ag.sin(ag.tensor(0.0))\n    Tensor(0.)\n    ")
cos = Primitive("cos", np.cos, (lambda g, ans, x: -g * np.sin(x),), reads_values=((0,),), doc="Cosine, elementwise.\n\n    >>> import autograd_core as ag\n    >>> ag.cos(ag.tensor(0.0))\n    Tensor(1.)\n    ")
_FLOAT16 = np.dtype(np.float16)


def _in_float32(rule, *values):
    """rule(*values) computed in float32 and rounded once to float16: a float16 forward or gradient rule as PyTorch's
    (from the float16 values, in float32)."""
    return rule(*(v if v is None else v.astype(np.float32) for v in values)).astype(np.float16)


def _tanh_vjp(g, ans, x):
    if ans.dtype is _FLOAT16:  # (as PyTorch's float16 rule)
        return _in_float32(_tanh_vjp, g, ans, None)
    return g * (1 - ans * ans)


tanh = Primitive("tanh", np.tanh, (_tanh_vjp,), reads_values=(("ans",),), doc="Hyperbolic tangent, elementwise.\n\n    >>> import autograd_core as ag\n    >>> ag.tanh(ag.tensor(0.0))\n    Tensor(0.)\n    ")


def _overflow_quiet(rule):
    """rule, without NumPy's overflow warning: for rules whose intermediate (x * x, x ln 10) overflows to inf where
    the derivative itself is small and comes out right (1 / inf is 0), and the forward gave no warning; float16
    overflows past 256 already. PyTorch gives none."""
    def quiet(*args, **params):
        with np.errstate(over="ignore"):
            return rule(*args, **params)
    return quiet


# ---- powers and logarithms of other bases (NumPy's names; each forward is NumPy's ufunc, so are the dtypes) --------
_LN2, _LN10 = math.log(2), math.log(10)

log2 = Primitive("log2", np.log2, (lambda g, ans, x: g / (x * _LN2),), "log2 needs x > 0", reads_values=((0,),),
                 doc="""Base-2 logarithm, elementwise (x > 0).

    >>> import autograd_core as ag
    >>> ag.log2(ag.tensor(8.0))
    Tensor(3.)
    """)
log10 = Primitive("log10", np.log10, (_overflow_quiet(lambda g, ans, x: g / (x * _LN10)),), "log10 needs x > 0",
                  reads_values=((0,),),
                  doc="""Base-10 logarithm, elementwise (x > 0).

    >>> import autograd_core as ag
    >>> ag.log10(ag.tensor(100.0))
    Tensor(2.)
    """)
exp2 = Primitive("exp2", np.exp2, (lambda g, ans, x: g * ans * _LN2,), reads_values=(("ans",),),
                 doc="""2**x, elementwise.

    >>> import autograd_core as ag
    >>> ag.exp2(ag.tensor(3.0))
    Tensor(8.)
    """)
# square and reciprocal keep an integer x's dtype, as NumPy's (np.square(True) is int8 1, np.reciprocal(2) is 0);
# PyTorch's reciprocal of an integer is a float.
square = Primitive("square", np.square, (lambda g, ans, x: g * (2 * x),), reads_values=((0,),),
                   doc="""x * x, elementwise (np.square).

    >>> import autograd_core as ag
    >>> ag.square(ag.tensor([-3.0, 0.5]))
    Tensor([9.  , 0.25])
    """)
reciprocal = Primitive("reciprocal", np.reciprocal, (lambda g, ans, x: -g * (ans * ans),), reads_values=(("ans",),),
                       doc="""1 / x, elementwise (np.reciprocal; PyTorch's name too): inf at 0, and its gradient -inf.

    >>> import autograd_core as ag
    >>> ag.reciprocal(ag.tensor([4.0, -0.5]))
    Tensor([ 0.25, -2.  ])
    """)


def _floats(x):
    """x, or an int or bool x in the float type np.exp gives it: -x of an unsigned int would wrap around."""
    if np.result_type(x).kind in "biu":
        x = np.asarray(x)  # (x may be a Python number)
        x = x.astype(np.result_type(x.dtype, np.float16))
    return x


def _sigmoid(x):
    # 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0: e = e^-|x| never overflows, and each
    # branch is a quotient of accurately rounded terms (within 3 ulp, as PyTorch, deep in both tails).
    # float16 is computed in float32 and rounded once, as PyTorch's.
    x = _floats(x)
    if x.dtype is _FLOAT16:
        return _in_float32(_sigmoid, x)
    e = np.exp(-np.abs(x))
    return select(x < 0, e, 1) / (1 + e)


def _sigmoid_vjp(g, ans, x):
    if ans.dtype is _FLOAT16:  # PyTorch's float16 rule: its order, rounding at each step
        return g * (1 - ans) * ans
    return g * ans * (1 - ans)


sigmoid = Primitive("sigmoid", _sigmoid, (_sigmoid_vjp,), reads_values=(("ans",),),
                    doc="The logistic function 1 / (1 + e**-x), stable for any x.\n\n    >>> import autograd_core as ag\n    >>> ag.sigmoid(ag.tensor(0.0))\n    Tensor(0.5)\n    ")


def _softplus(x):
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): e^-|x| never overflows, and log1p keeps it where it is tiny
    # (np.logaddexp(0, x) gives the same values, several times slower). float16 is computed in float32 and rounded
    # once, as PyTorch's (its three roundings in float16 were a unit off for one value in seven).
    x = _floats(x)
    if x.dtype is _FLOAT16:
        return _in_float32(_softplus, x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


# Its derivative is sigmoid(x), from x as PyTorch's (so the same in-place changes are refused).
softplus = Primitive("softplus", _softplus, (lambda g, ans, x: g * sigmoid.traced(x),), reads_values=((0,),), doc="zeta(x) = log(1 + e**x), stable for any x.\n\n    >>> import autograd_core as ag\n    >>> ag.softplus(ag.tensor(0.0))  # log 2\n    Tensor(0.69314718)\n    ")

# relu: at the kink x = 0 the subgradient 0 is used, as in PyTorch. The rule's mask ans > 0 is x > 0 (a NaN x
# included), read from the result as PyTorch does: x may change in place after the call. It selects rather than
# multiplies, as PyTorch does: an inf coming back to a clipped entry (sqrt(relu(x)) at 0) gives 0, not nan.
_ZERO_OF = float_constants(0)  # relu's 0 in x's dtype, for np.maximum and the rule's ans > 0 (see float_constants)


def _relu(x):
    if type(x) is np.ndarray or type(x) is np.bool_:  # (a bool becomes int64, as np.maximum(True, 0))
        return np.maximum(x, _ZERO_OF.get(x.dtype, 0))
    # A NumPy scalar: Python's comparison is ~20x faster than a ufunc call. NaN passes through.
    return x if x > 0 or x != x else type(x)(0)


def _relu_of_floats(x):
    return np.maximum(x, _ZERO_OF[x.dtype])  # (_relu of a float array)


@specializes(_relu)
def _relu_specialized(args, params):  # (_relu's array branch, for a float array)
    return (_relu_of_floats, (0,)) if type(args[0]) is np.ndarray and args[0].dtype in _ZERO_OF else None


# The rules of relu and leaky_relu, as an operation of their own that a create_graph pass records (PyTorch's
# threshold_backward and leaky_relu_backward): its result depends on the value the mask is read from, with derivative
# 0, so that a second derivative through these kinks is zeros, as PyTorch's, rather than "not used" (a mask read as
# a constant cut it off). A pass that needs numbers only calls select directly.
def _masked_gradient(g, source, negative_slope=0.0):
    return select(source > 0, g) if negative_slope == 0 else select(source > 0, g, g * negative_slope)


_masked_gradient_primitive = Primitive("masked_gradient", _masked_gradient, (
    lambda gg, ans, g, source, negative_slope=0.0: _masked_gradient_primitive.traced(
        gg, source, negative_slope=negative_slope),
    lambda gg, ans, g, source, negative_slope=0.0: np.zeros_like(source),
), reads_values=((1,), ()))


_BITS_OF_FLOAT = {dtype: _SIGNED_OF_SIZE[dtype.itemsize] for dtype in _ZERO_OF}  # (float16/32/64: int16/32/64)


def _relu_vjp(g, ans, x):
    if _picks_bits(g, ans):  # (a training step's case)
        return _relu_rule_bits(g, ans)
    if isinstance(ans, Tensor):
        return _masked_gradient_primitive(g, ans)
    return select(ans > _ZERO_OF.get(ans.dtype, 0), g)


def _picks_bits(g, ans):
    """Whether relu's rule is _relu_rule_bits': g and ans arrays of one float dtype and shape, not 0-d."""
    return (type(g) is np.ndarray and type(ans) is np.ndarray and g.dtype is ans.dtype and g.shape == ans.shape
            and g.ndim and g.dtype in _BITS_OF_FLOAT)


def _relu_rule_bits(g, ans):
    return _picked_bits(ans > _ZERO_OF[g.dtype], g, _BITS_OF_FLOAT[g.dtype])  # (select's relu branch, unchecked)


def _picked_bits(mask, a, bits):
    """a's bits where mask holds, 0 elsewhere, for a float array a and a bool mask of its shape (bits: the signed
    integer dtype of a's size)."""
    picked = mask.astype(bits)  # 1 where mask holds, 0 elsewhere: times a's bits, those bits or 0
    np.multiply(picked, a.view(bits), out=picked)  # (a cast with np.negative's dtype= took twice as long)
    return picked.view(a.dtype)


@specializes(_relu_vjp)
def _relu_rule_specialized(args, params):
    return (_relu_rule_bits, (0, 1)) if _picks_bits(*args[:2]) else None


relu = Primitive("relu", _relu, (_relu_vjp,), reads_values=(("ans",),),
                 doc="max(x, 0), elementwise.\n\n    >>> import autograd_core as ag\n    >>> ag.relu(ag.tensor([-1.0, 2.0]))\n    Tensor([0., 2.])\n    ")

# leaky_relu / generalized ReLU: slope 1 for x > 0, negative_slope otherwise (x = 0 included).
_leaky_relu = Primitive(
    "leaky_relu",
    lambda x, negative_slope=0.01: select(x > 0, x, x * negative_slope),
    (lambda g, ans, x, negative_slope=0.01: _masked_gradient_primitive(g, x, negative_slope=negative_slope)
     if isinstance(x, Tensor) else select(x > 0, g, g * negative_slope),),
    reads_values=((0,),),
)


def _elu(x, alpha=1.0):
    return select(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


# elu'(x) = alpha e^x for x <= 0 (the x = 0 side, as PyTorch), else 1 (a NaN x too, as PyTorch); not
# ans + alpha, which cancels for very negative x. The exponent is capped at 0 so the unused branch never
# overflows; where(x < 0, x, 0), not minimum(x, 0), whose tie at 0 would give the second derivative
# alpha / 2 there (PyTorch's is 0).
_elu_primitive = Primitive("elu", _elu, (
    lambda g, ans, x, alpha=1.0: select(x <= 0, g * (alpha * np.exp(select(x < 0, x))), g),
), reads_values=((0,),))


def _setting(name, what, value):
    """An activation's constant (a number, or an array broadcasting against x): never a Tensor that requires grad,
    whose gradient the rule would drop (PyTorch refuses Tensors there)."""
    if isinstance(value, Tensor) and value.requires_grad or isinstance(value, (list, tuple)) and _holds_graph(value):
        raise TypeError(f"{name}: {what} is a constant and gets no gradient, but the Tensor given requires grad; "
                        f"give a number, or build a learned {what} from ag.where")
    if isinstance(value, Tensor):
        value = saved_value(value)
    if type(value) in (int, float):  # (np.asarray(2**70) would be an object array)
        return value
    if np.asarray(value).dtype.kind not in "biuf":  # (np.result_type would read a list as a dtype spec)
        raise TypeError(f"{name}: {what} must be a number (or an array of numbers), got {value!r}")
    return value


def leaky_relu(x, negative_slope=0.01):
    """x for x > 0, negative_slope * x otherwise (negative_slope=-1 gives |x|).

    >>> import autograd_core as ag
    >>> ag.leaky_relu(ag.tensor([-1.0, 2.0]), 0.1)
    Tensor([-0.1,  2. ])
    """
    return _leaky_relu(x, negative_slope=_setting("leaky_relu", "negative_slope", negative_slope))


def elu(x, alpha=1.0):
    """x for x > 0, alpha * (e**x - 1) otherwise.

    >>> import autograd_core as ag
    >>> ag.elu(ag.tensor([0.0, 2.0]))
    Tensor([0., 2.])
    """
    return _elu_primitive(x, alpha=_setting("elu", "alpha", alpha))


def _clip(x, a_min=None, a_max=None):
    if a_min is None and a_max is None:  # as NumPy 2.1+ (2.0 refuses)
        return np.array(x, copy=True)
    return np.clip(x, a_min, a_max)


def _clip_vjp(g, ans, x, a_min=None, a_max=None):
    # Strictly inside (a_min, a_max) the gradient passes; at a bound it does not: the minimum-norm subgradient,
    # as relu's at 0 (and PyTorch's clamp with number bounds, since 2.14; 2.13 and before pass it).
    inside = True
    if a_min is not None:
        inside = inside & (x > a_min)
    if a_max is not None:
        inside = inside & (x < a_max)
    return select(inside, g)


_clip_primitive = Primitive("clip", _clip, (_clip_vjp,), "a_min and a_max are numbers or arrays that broadcast against x",
                            reads_values=((0,),))


def clip(x, a_min=None, a_max=None, *, min=None, max=None, out=None):
    """Limit values to [a_min, a_max] (either bound, or both, may be None; min and max are their other names, as
    NumPy's and PyTorch's). At a number bound x gets no gradient; Tensor bounds, which may require grad, share it as
    in torch.clamp (see _clip_shares). out= a Tensor receives the values, as torch.clip's and ag.clamp's.

    >>> import autograd_core as ag
    >>> ag.clip(ag.tensor([-2.0, 0.5, 3.0]), 0, 1)
    Tensor([0. , 0.5, 1. ])
    >>> ag.tensor([-2.0, 0.5]).clip(min=0)
    Tensor([0. , 0.5])
    """
    for name, value, alias in (("a_min", a_min, min), ("a_max", a_max, max)):
        if value is not None and alias is not None:
            raise TypeError(f"clip: got both {name} and {name[2:]}, which name the same bound; pass one")
    a_min, a_max = a_min if min is None else min, a_max if max is None else max
    if out is not None:
        from ..torch_functions import _written_into  # (imported after ops: it needs Tensor's methods)
        return _written_into(out, clip(x, a_min, a_max), "clip")
    if not (isinstance(a_min, Tensor) or isinstance(a_max, Tensor)):
        return _clip_primitive(x, a_min=a_min, a_max=a_max)
    if a_min is None:
        return _clip_by_tensors(x, a_max, side="max")
    if a_max is None:
        return _clip_by_tensors(x, a_min, side="min")
    return _clip_by_tensors(x, a_min, a_max, side="both")


def _clip_shares(position, x, bounds, side):
    """(half, whole) masks for the input at position (0 for x, then the bounds) of a clip by Tensor bounds: where it
    gets half of the gradient, and where all of it, as torch.clamp with Tensor bounds (PyTorch 2.14). Each output
    element is x, a_min or a_max, and that input gets its gradient; at a tie between x and one bound, each gets half;
    where x == a_min == a_max, x gets it; where a_min > a_max, a_max does (np.clip's value there).
    A NaN (whose output is NaN) follows torch.clamp too. With one bound, as maximum/minimum: both x and the bound get
    the gradient. With two: a NaN x gets it (and a_max too, where the bounds cross); beside a NaN bound, x gets it
    where it is within the other bound, and neither bound gets any."""
    if side != "both":
        (bound,) = bounds
        beaten = x < bound if (side == "min") == (position == 0) else x > bound
        return x == bound, ~beaten  # (~: a NaN on either side gets the gradient)
    lo, hi = bounds
    if position == 0:
        return ((x == lo) | (x == hi)) & (lo < hi), ~((x < lo) | (x > hi))
    if position == 1:
        return (x == lo) & (lo < hi), (x < lo) & (lo <= hi)
    return (x == hi) & (lo < hi), (x > hi) & (lo <= hi) | (lo > hi)


def _clip_by_tensors_rule(position):
    def rule(g, ans, x, *bounds, side):
        half, whole = _clip_shares(position, x, bounds, side)
        return select(half, g * 0.5, select(whole, g))
    return rule


def _clip_by_tensors_forward(x, *bounds, side):
    if side == "both":
        if getattr(x, "dtype", None) is not None and x.dtype.kind in "biu":  # NumPy promotes x and both bounds at
            # once: maximum(x, 2) alone would make a bool x int64 (a float32 a_max then float64), or refuse 300 for int8
            x = x.astype(np.result_type(x, *bounds), copy=False)
        return np.minimum(np.maximum(x, bounds[0]), bounds[1])  # a_max where a_min > a_max, as np.clip
    return (np.maximum if side == "min" else np.minimum)(x, bounds[0])


_clip_by_tensors = Primitive("clip", _clip_by_tensors_forward, tuple(_clip_by_tensors_rule(i) for i in range(3)),
                             "a_min and a_max are numbers or arrays that broadcast against x",
                             reads_values=((0, 1, 2),) * 3)  # (x and both bounds; a side's one bound)


def _zero(g, ans, x):
    return np.zeros(np.shape(g), np.result_type(g))


# Piecewise constant: its derivative is 0 wherever it exists, taken as 0 at 0 too. It is still recorded, as
# PyTorch's sign is, so that a graph through it runs backward (to zeros) instead of being cut.
sign = Primitive("sign", np.sign, (_zero,), "x must be a number array (not bool)", reads_values=False,
                 doc="""-1, 0 or 1 elementwise, in x's dtype (np.sign); its gradient is 0.

    >>> import autograd_core as ag
    >>> ag.sign(ag.tensor([-2.0, 0.0, 3.0]))
    Tensor([-1.,  0.,  1.])
    """)


# maximum/minimum: where the inputs tie, each gets half the gradient; an input gets all of it where the other does not
# beat it, so where either is NaN (the result NaN) both get it, as PyTorch's (2.14) and its clamp by a Tensor bound.
def _tie_split(beaten):
    def vjp(g, ans, x, y):
        return select(x == y, g * 0.5, select(~beaten(x, y), g))
    return vjp


_maximum = Primitive("maximum", np.maximum, (
    _tie_split(lambda x, y: x < y),
    _tie_split(lambda x, y: y < x),
), "operands must have broadcastable shapes", reads_values=((0, 1), (0, 1)))

_minimum = Primitive("minimum", np.minimum, (
    _tie_split(lambda x, y: x > y),
    _tie_split(lambda x, y: y > x),
), "operands must have broadcastable shapes", reads_values=((0, 1), (0, 1)))


def maximum(a, b):
    """max(a, b) elementwise; a tie splits the gradient in half, and where either is NaN both get it (as PyTorch's).

    >>> import autograd_core as ag
    >>> ag.maximum(ag.tensor([1.0, 5.0]), 3.0)
    Tensor([3., 5.])
    """
    return _maximum(a, b)


def minimum(a, b):
    """min(a, b) elementwise; a tie splits the gradient in half, and where either is NaN both get it (as PyTorch's).

    >>> import autograd_core as ag
    >>> ag.minimum(ag.tensor([1.0, 5.0]), b=3.0)
    Tensor([1., 3.])
    """
    return _minimum(a, b)


def _where_forward(cond, x, y):
    return select(cond, x, y)


# The condition is not differentiable; its slot has no rule.
_where = Primitive("where", _where_forward, (
    None,
    lambda g, ans, c, x, y: select(c, g),
    lambda g, ans, c, x, y: select(np.logical_not(c), g),
), "cond, x and y must have broadcastable shapes", reads_values=((), (0,), (0,)))  # the rules read cond


def where(cond=UNGIVEN, a=UNGIVEN, b=UNGIVEN, *, condition=UNGIVEN, input=UNGIVEN, other=UNGIVEN):
    """Pick a where cond holds, else b; differentiable in a and b. PyTorch's keywords name the same three:
    torch.where(condition=c, input=x, other=y) is where(c, x, y). where(cond) alone is nonzero(cond), the indices
    where cond holds (one int64 Tensor per axis), as np.where's and torch.where's.

    >>> import autograd_core as ag
    >>> ag.where(ag.tensor([True, False]), 1.0, ag.tensor([5.0, 6.0]))
    Tensor([1., 6.])
    >>> ag.where(condition=ag.tensor([True, False]), input=1.0, other=0.0)
    Tensor([1., 0.])
    >>> ag.where(ag.tensor([3, 1, 1]) == 1)
    (Tensor([1, 2]),)
    """
    if (cond is UNGIVEN or a is UNGIVEN or b is UNGIVEN or condition is not UNGIVEN or input is not UNGIVEN
            or other is not UNGIVEN):
        return _where_other_forms(cond, a, b, condition, input, other)  # (kept off the common path)
    if not (isinstance(cond, Tensor) and cond.dtype == bool):  # a boolean Tensor goes in as it is: its changes count
        cond = np.asarray(as_value(cond), dtype=bool)
    return _where(cond, a, b)


# x with `values` (a number) where mask holds, its derivative all x's, in both modes, as if nothing were replaced (a
# where would pass none of it there): nn's activations run their formula on NaN at +inf, so that the gradient and
# the tangent there are PyTorch's NaN, and put the value, +inf, back with this (nn/_activation_functions.py).
_values_replaced = Primitive("values_replaced", lambda x, mask, values: np.where(mask, values, x),
                             (lambda g, ans, x, mask, values: g, None, None), "mask must broadcast to x's shape",
                             reads_values=False)


def _where_other_forms(cond, a, b, condition, input, other):  # noqa: A002 (PyTorch's names)
    """where given PyTorch's keywords, where(cond) alone (the indices where cond holds), or missing an operand."""
    if condition is not UNGIVEN or input is not UNGIVEN or other is not UNGIVEN:
        cond, a, b = (_operand_or_torch_name(*names) for names in
                      (("cond", cond, "condition", condition), ("a", a, "input", input), ("b", b, "other", other)))
    if a is UNGIVEN and b is UNGIVEN and cond is not UNGIVEN:  # where(cond): np.where's and torch.where's nonzero
        from .counting import nonzero
        return nonzero(cond)
    if cond is UNGIVEN or a is UNGIVEN or b is UNGIVEN:
        missing = [name for name, value in (("cond", cond), ("a", a), ("b", b)) if value is UNGIVEN]
        raise TypeError(f"where: missing {', '.join(missing)}; give where(cond, a, b) or PyTorch's "
                        f"where(condition=, input=, other=), or where(cond) alone for the indices where cond holds")
    return where(cond, a, b)


def _operand_or_torch_name(name, value, torch_name, torch_value):
    """One of where's operands, given by position (or NumPy-style name) or by PyTorch's keyword, not both."""
    if torch_value is UNGIVEN:
        return value
    if value is not UNGIVEN:
        raise TypeError(f"where: got both {name} and {torch_name}= (PyTorch's name for {name}); give one of them")
    return torch_value
