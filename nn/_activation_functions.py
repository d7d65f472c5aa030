"""PyTorch's other activation functions, which nn.functional re-exports: gelu, silu, mish, the piecewise linear
hardtanh, relu6, hardsigmoid and hardswish, selu, celu, logsigmoid, softsign, the softmax family (softmax,
log_softmax, softmin, and PyTorch's implicit dim when none is given), tanhshrink, threshold and prelu, with
torch.nn.functional's names, arguments and defaults, and the in-place forms PyTorch names with a trailing
underscore (elu_, celu_, selu_, hardtanh_, threshold_; relu_ and leaky_relu_ are nn/functional.py's).

Each is a composition of autograd_core operations, so its gradients and second derivatives are the engine's. At
a kink the gradient is the one PyTorch's backward gives: clip passes none at its bounds (hardtanh and relu6 at
their bounds, hardsigmoid and hardswish at -3 and 3), and where(x > 0, ...) takes the side x <= 0 at 0 (selu,
celu, prelu: alpha's side, as elu's). The inplace flags are relu's (nn/functional.py's _in_place).

Edge cases (see _activation_input and _computed): an integer or bool input is computed in the float type NumPy's exp
gives it (float16 for 8 bits and bool, float32 for 16, float64 beyond), never as integers (-x of a uint8 would
wrap around), except in the clamps hardtanh, relu6 and threshold, which keep an integer dtype, as PyTorch's; a
float16 input is computed in float32 and rounded once, as PyTorch's float16 kernels; at ±inf and near the float
range's end, the values and gradients are PyTorch's, without NumPy's warnings (inf * 0, overflow):
see _quiet_infinities.
"""
import math
import warnings

import numpy as np

import autograd_core as ag
from autograd_core._arguments import InvalidArgumentError, checked_fill_value
from autograd_core.ops.elementwise import _values_replaced
from autograd_core.primitive import OperandOverflowError

from . import functional as F  # its argument checks (nn.functional imports this module: F is read at call time)

_SQRT_HALF = math.sqrt(0.5)
_SQRT_TWO_OVER_PI = math.sqrt(2 / math.pi)
_SELU_ALPHA = 1.6732632423543772848170429916717  # Klambauer et al. (2017), as PyTorch's
_SELU_SCALE = 1.0507009873554804934193349852946


def _returned(input, result, where, inplace):
    """result, or with inplace=True result written into input (relu's inplace)."""
    return result if inplace is False else F._in_place(input, result, where, inplace)


def _number(value, where, name):
    return F._setting(value, where, name, per_unit=False)


_FLOAT16 = np.dtype(np.float16)


def _activation_input(input, where):
    """input as a Tensor of a float dtype: an integer or bool one in the float type NumPy's exp gives it (as
    ag.sigmoid and ag.tanh do), so that no step negates or adds to integers, which would wrap around."""
    return _as_float(F._as_input(input, where))


def _as_float(x):
    """Tensor x, of an integer or bool dtype in the float type NumPy's exp gives it (_activation_input's)."""
    return x.astype(np.result_type(x.dtype, np.float16)) if x.dtype.kind in "biu" else x


def _integer_setting(value, x, where, name):
    """A number setting a clamp of integer x (hardtanh's bounds, threshold's threshold and value) as a Python int of
    x's dtype, as PyTorch converts it: a float's fraction cut toward 0, a negative int wrapping around for an unsigned
    dtype; a number the dtype cannot hold refused, as PyTorch's "value cannot be converted to type int8_t without
    overflow" (never through a float, which would round an int64 above 2**53)."""
    try:
        number = checked_fill_value(where, value, x.dtype)
    except OverflowError as err:
        raise OperandOverflowError(f"{err} ({name}={value!r} for an input of dtype {x.dtype}, shape {x.shape}; cast "
                                   f"the input to a wider dtype)") from None
    number = int(number)
    return number % (1 << 8 * x.dtype.itemsize) if number < 0 and x.dtype.kind == "u" else number


def _computed(x, compute):
    """compute(x); for a float16 x, computed in float32 and rounded once to float16, as PyTorch computes float16
    (rounding to float16 at each step would differ from it by an ulp or more, and overflow past 65504 between
    steps). float32 and float64 take compute(x) as it is.

    >>> import numpy as np, autograd_core as ag
    >>> from nn._activation_functions import _computed
    >>> x = ag.tensor(np.float16(0.7))
    >>> (x * 3 / 7).item(), _computed(x, lambda x: x * 3 / 7).item(), float(np.float16(0.7 * 3 / 7))
    (0.30029296875, 0.300048828125, 0.300048828125)
    """
    if x.dtype is _FLOAT16:
        return compute(x.astype(np.float32)).astype(np.float16)
    return compute(x)


def _apply(input, where, compute):
    """compute of input as a float Tensor (_activation_input), float16 computed in float32 (_computed)."""
    return _computed(_activation_input(input, where), compute)


def _quiet_infinities(x, compute, bound=math.inf, positive=None, big=None):
    """compute(x) where every |x| < bound, which one pass over x tells (the common path); else without NumPy's
    warnings, with PyTorch's values and gradients:

    - at ±inf, where PyTorch's formula meets inf * 0 or inf / inf, NaN as PyTorch's (value and gradient), computed
      as compute(x + c) with c NaN there (-0.0 elsewhere, which changes no x): a NaN meets each product instead of
      an inf, and NaN arithmetic is quiet; positive="x": +inf gives +inf (PyTorch's inf * 1), its gradient and
      tangent NaN (the value put back over the NaN result, whose derivative is kept);
    - big, when given, computes instead of compute (then also for the finite |x| >= bound, where compute would
      overflow on the way).
    """
    data = x.data
    if not data.size or np.abs(data).max() < bound:  # (False for NaN too, which takes the path below unchanged)
        return compute(x)
    infinite = np.isinf(data)
    quiet = x + np.where(infinite, np.nan, -0.0).astype(data.dtype) if infinite.any() else x
    result = (compute if big is None else big)(quiet)
    if positive == "x" and (data == np.inf).any():
        result = _values_replaced(result, data == np.inf, np.array(np.inf, result.dtype))
    return result


def gelu(input, approximate="none"):
    """x Phi(x), Phi the standard normal distribution function, as 0.5 x erfc(-x / sqrt(2)): PyTorch's
    0.5 x (1 + erf(x / sqrt(2))), accurate in the negative tail too. approximate="tanh": PyTorch's approximation
    0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x**3))).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.gelu(ag.tensor([-1.0, 0.0, 1.0]))
    Tensor([-0.15865525,  0.        ,  0.84134475])
    """
    x = _activation_input(input, "gelu")
    if approximate == "none":
        return _computed(x, _gelu)
    if approximate == "tanh":
        return _computed(x, _gelu_tanh)
    raise InvalidArgumentError(f"gelu: approximate must be 'none' (the exact GELU) or 'tanh', got {approximate!r}")


def _gelu(x):
    return _quiet_infinities(x, lambda x: x * 0.5 * ag.erfc(x * -_SQRT_HALF), positive="x")


_GELU_TANH_SATURATES = 1e4  # |x| beyond: tanh(...) is ±1 to the last bit, and x**3 overflows no float32


def _gelu_tanh(x):
    def compute(x, inner=None):
        inner = x if inner is None else inner
        return x * 0.5 * (1 + ag.tanh(_SQRT_TWO_OVER_PI * (inner + 0.044715 * (inner * inner * inner))))
    bound = _GELU_TANH_SATURATES
    return _quiet_infinities(x, compute, bound, positive="x", big=lambda x: compute(x, ag.clip(x, -bound, bound)))


def silu(input, inplace=False):
    """x sigmoid(x), the sigmoid-weighted linear unit (swish).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.silu(ag.tensor([0.0, 2.0])).data.round(4)
    array([0.    , 1.7616])
    """
    return _returned(input, _apply(input, "silu", _silu), "silu", inplace)


def _silu(x):
    return _quiet_infinities(x, lambda x: x * ag.sigmoid(x), positive="x")


def mish(input, inplace=False):
    """x tanh(softplus(x)).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.mish(ag.tensor([0.0, 1.0])).data.round(4)
    array([0.    , 0.8651])
    """
    return _returned(input, _apply(input, "mish", _mish), "mish", inplace)


def _mish(x):
    return _quiet_infinities(x, lambda x: x * ag.tanh(ag.softplus(x)), positive="x")


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x limited to [min_val, max_val] (clip); gradient 1 strictly inside, 0 elsewhere (the bounds too), as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.hardtanh(ag.tensor([-2.0, 0.5, 3.0]))
    Tensor([-1. ,  0.5,  1. ])
    """
    return _hardtanh(input, min_val, max_val, inplace, "hardtanh")


def _hardtanh(input, min_val, max_val, inplace, where):
    low, high = _number(min_val, where, "min_val"), _number(max_val, where, "max_val")
    if low > high:
        raise ValueError(f"{where}: min_val ({min_val}) cannot be greater than max_val ({max_val})")
    x = F._as_input(input, where)
    if x.dtype.kind in "iu":  # integers stay integers, as PyTorch's (bounds truncated to them)
        if x.dtype.kind == "u" and low < 0:
            raise InvalidArgumentError(f"{where}: cannot do hardtanh on an unsigned type with negative limits "
                                       f"(an input of dtype {x.dtype}, min_val={min_val}); give min_val >= 0")
        low, high = (_integer_setting(min_val, x, where, "min_val"), _integer_setting(max_val, x, where, "max_val"))
        return _returned(input, ag.clip(x, low, high).astype(x.dtype), where, inplace)
    return _returned(input, ag.clip(_as_float(x), low, high), where, inplace)  # (exact: no float32)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """PyTorch's F.hardtanh_: hardtanh(input, min_val, max_val, inplace=True), input changed and returned.

    >>> import autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([-2.0, 0.5])
    >>> F.hardtanh_(x) is x, x
    (True, Tensor([-1. ,  0.5]))
    """
    return _hardtanh(input, min_val, max_val, True, "hardtanh")


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh(x, 0, 6), with no gradient at 0 and 6, as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.relu6(ag.tensor([-1.0, 3.0, 8.0]))
    Tensor([0., 3., 6.])
    """
    return _hardtanh(input, 0.0, 6.0, inplace, "relu6")


def hardsigmoid(input, inplace=False):
    """(min(max(x, -3), 3) + 3) / 6: 0 up to -3, 1 from 3, the line x / 6 + 1 / 2 between (gradient 0 at -3 and 3,
    as PyTorch's).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.hardsigmoid(ag.tensor([-4.0, 0.0, 1.5, 4.0]))
    Tensor([0.  , 0.5 , 0.75, 1.  ])
    """
    return _returned(input, _apply(input, "hardsigmoid", lambda x: (ag.clip(x, -3.0, 3.0) + 3) / 6), "hardsigmoid",
                     inplace)


def hardswish(input, inplace=False):
    """x hardsigmoid(x): 0 up to -3, x from 3, x (x + 3) / 6 between (gradient 0 at -3 and 1 at 3, as PyTorch's).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.hardswish(ag.tensor([-4.0, 0.0, 1.5, 4.0]))
    Tensor([-0.   ,  0.   ,  1.125,  4.   ])
    """
    return _returned(input, _apply(input, "hardswish", _hardswish), "hardswish", inplace)


def _hardswish(x):
    # PyTorch's order, x * (x + 3 clamped) / 6: inf past max / 6, and NaN at -inf (gradient 0), as PyTorch's. ±inf
    # are put in apart (+inf as x, -inf as a constant NaN), the formula run on 0 there: its forward-mode tangent
    # would meet inf * 0 (NaN, with NumPy's warning) where the gradients, and PyTorch's tangents, are 1 and 0
    def compute(x):
        return _quiet_forward(x, lambda x: x * (ag.clip(x, -3.0, 3.0) + 3) / 6)
    data = x.data
    infinite = np.isinf(data)
    if not infinite.any():  # (NaN takes the formula, which keeps it)
        return compute(x)
    finite = compute(ag.where(infinite, np.zeros((), data.dtype), x))
    return ag.where(data == math.inf, x, ag.where(data == -math.inf, np.full((), np.nan, data.dtype), finite))


def _quiet_forward(x, compute):
    """compute(x) without NumPy's warnings about an overflow to inf or a NaN from inf * 0 or inf / inf, for the
    activations whose backward pass meets neither (the value and gradient being PyTorch's); cheaper than
    _quiet_infinities' pass over x."""
    with np.errstate(over="ignore", invalid="ignore"):
        return compute(x)


def selu(input, inplace=False):
    """scale * elu(x, alpha) with the self-normalising constants alpha = 1.6733, scale = 1.0507.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.selu(ag.tensor([-1.0, 1.0])).data.round(4)
    array([-1.1113,  1.0507])
    """
    selu = _apply(input, "selu", lambda x: _quiet_forward(x, lambda x: _SELU_SCALE * ag.elu(x, _SELU_ALPHA)))
    return _returned(input, selu, "selu", inplace)  # (inf past max / scale, as PyTorch's)


def selu_(input):
    """PyTorch's F.selu_: selu(input, inplace=True), input changed and returned."""
    return selu(input, inplace=True)


def elu_(input, alpha=1.0):
    """PyTorch's F.elu_: elu(input, alpha, inplace=True), input changed and returned.

    >>> import autograd_core as ag, nn.functional as F
    >>> x = ag.tensor([0.0, 1.0])
    >>> F.elu_(x) is x
    True
    """
    return F.elu(input, alpha, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha (e**(x / alpha) - 1) otherwise (a negative alpha too, as PyTorch's): continuously
    differentiable for any alpha != 0.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.celu(ag.tensor([-1.0, 2.0]), alpha=2.0).data.round(4)
    array([-0.7869,  2.    ])
    """
    alpha = _number(alpha, "celu", "alpha")
    if alpha == 0:
        raise ValueError("celu: alpha cannot be 0 (the negative side is alpha (e**(x / alpha) - 1))")
    return _returned(input, _apply(input, "celu", lambda x: _celu(x, alpha)), "celu", inplace)


def celu_(input, alpha=1.0):
    """PyTorch's F.celu_: celu(input, alpha, inplace=True), input changed and returned."""
    return celu(input, alpha, inplace=True)


def _celu(x, alpha):
    # alpha > 0: elu's negative side (x / alpha <= 0 there, and elu keeps e**(x / alpha) of a large x finite). A
    # negative alpha (PyTorch takes one) turns x <= 0 into x / alpha >= 0, where elu would give x / alpha; its
    # unused side x > 0 has x / alpha < 0, so expm1 stays finite there. For alpha < 1 either may overflow to inf
    # (-inf for alpha < 0 and a large negative x, as PyTorch's; x / alpha on the unused side): quietly.
    def negative():
        return alpha * (ag.elu(x / alpha) if alpha > 0 else ag.expm1(x * (1 / alpha)))  # (PyTorch's rounding)
    if alpha >= 1:
        return ag.where(x > 0, x, negative())
    with np.errstate(over="ignore"):
        return ag.where(x > 0, x, negative())


def logsigmoid(input):
    """log(sigmoid(x)) = -softplus(-x), finite for any x.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.logsigmoid(ag.tensor([-1000.0, 1000.0])).data
    array([-1000.,    -0.])
    """
    return _apply(input, "logsigmoid", lambda x: -ag.softplus(-x))


def softsign(input):
    """x / (1 + |x|).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.softsign(ag.tensor([-3.0, 1.0]))
    Tensor([-0.75,  0.5 ])
    """
    x = _activation_input(input, "softsign")  # (float16 in float16: PyTorch's softsign is this composition too)
    return _quiet_forward(x, lambda x: x / (ag.abs(x) + 1))  # (±inf: NaN, as PyTorch's)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along dim (PyTorch's name for the axis); with dtype=, x is cast to that float dtype
    first, as PyTorch's (HF's Llama: softmax(w, dim=-1, dtype=torch.float32)), the gradient cast back. Without dim,
    PyTorch's deprecated implicit choice, with its warning: dim 0 for a 0-, 1- or 3-D input, else 1.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.softmax(ag.tensor([[1.0, 1.0]]), dim=1)
    Tensor([[0.5, 0.5]])
    >>> F.softmax(ag.tensor([1.0, 1.0], dtype=ag.float32), dim=0, dtype=ag.float64).dtype
    dtype('float64')
    """
    dim = F._check_dim(input, _implicit_dim(input, dim, "softmax", _stacklevel), "softmax")
    x = input if dtype is None else F._cast_to(input, dtype, "softmax")
    return _apply(x, "softmax", lambda x: ag.softmax(x, axis=dim))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """x - logsumexp(x) along dim: finite for any logits; dtype= casts x first, and no dim is PyTorch's deprecated
    implicit choice, as softmax's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.log_softmax(ag.tensor([1e4, 0.0]), dim=0).data
    array([     0., -10000.])
    """
    dim = F._check_dim(input, _implicit_dim(input, dim, "log_softmax", _stacklevel), "log_softmax")
    x = input if dtype is None else F._cast_to(input, dtype, "log_softmax")
    return _apply(x, "log_softmax", lambda x: ag.log_softmax(x, axis=dim))


def _implicit_dim(input, dim, where, stacklevel):
    """dim, or when it is None PyTorch's legacy choice for the softmax family (0 for a 0-, 1- or 3-D input, else 1:
    a batch of vectors, of images), with PyTorch's deprecation warning, pointing stacklevel frames up."""
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {where} has been deprecated. Change the call to include dim=X as an "
                  f"argument.", UserWarning, stacklevel=stacklevel)
    return 0 if np.ndim(input) in (0, 1, 3) else 1


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along dim: small entries get large weights. dtype= casts x first, and no dim is PyTorch's
    deprecated implicit choice, as softmax's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.softmin(ag.tensor([[1.0, 1.0]]), dim=1)
    Tensor([[0.5, 0.5]])
    """
    x = _activation_input(input if dtype is None else F._cast_to(input, dtype, "softmin"), "softmin")
    dim = F._check_dim(x, _implicit_dim(x, dim, "softmin", _stacklevel), "softmin")
    return _computed(x, lambda x: ag.softmax(-x, axis=dim))


def tanhshrink(input):
    """x - tanh(x).

    >>> import autograd_core as ag, nn.functional as F
    >>> F.tanhshrink(ag.tensor([0.0, 1.0])).data.round(4)
    array([0.    , 0.2384])
    """
    x = _activation_input(input, "tanhshrink")  # (float16 in float16: PyTorch's tanhshrink is this composition too)
    return x - ag.tanh(x)


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, value elsewhere (NaN stays NaN), as PyTorch's.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.threshold(ag.tensor([0.5, 2.0]), 1.0, -1.0)
    Tensor([-1.,  2.])
    """
    return _threshold(input, threshold, value, inplace)


def threshold_(input, threshold, value):
    """PyTorch's F.threshold_: threshold(input, threshold, value, inplace=True), input changed and returned."""
    return _threshold(input, threshold, value, True)


def _threshold(input, threshold, value, inplace):
    limit, replacement = _number(threshold, "threshold", "threshold"), _number(value, "threshold", "value")
    x = F._as_input(input, "threshold")
    if x.dtype.kind in "iu":  # integers stay integers, as PyTorch's (threshold and value truncated to them)
        limit = _integer_setting(threshold, x, "threshold", "threshold")
        replacement = _integer_setting(value, x, "threshold", "value")
        return _returned(input, ag.where(x <= limit, replacement, x).astype(x.dtype), "threshold", inplace)
    x = _as_float(x)
    return _returned(input, ag.where(x <= limit, replacement, x), "threshold", inplace)


def prelu(input, weight):
    """x for x > 0, weight * x otherwise, weight a learned slope: one for every entry (weight of one element) or
    one per channel on axis 1 (weight of shape (C,)), as PyTorch's. The gradient at 0 is weight's side.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.prelu(ag.tensor([[-1.0, -1.0], [2.0, 2.0]]), ag.tensor([0.1, 0.5]))
    Tensor([[-0.1, -0.5],
            [ 2. ,  2. ]])
    """
    x, weight = F._as_input(input, "prelu"), F._as_input(weight, "prelu")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if weight.ndim > 1 or weight.numel() not in (1, channels):
        raise InvalidArgumentError(f"prelu: weight of shape {weight.shape} gives {weight.numel()} slope(s), but an "
                                   f"input of shape {x.shape} has {channels} channel(s) on axis 1; give one slope, or "
                                   f"one per channel (shape ({channels},))")
    slope = weight.reshape(()) if weight.numel() == 1 else weight.reshape((channels,) + (1,) * (x.ndim - 2))
    positive = x.data > 0
    # slope times x's negative side alone: the slope's gradient, g x where x <= 0, then meets no inf * 0 at x = +inf
    # (PyTorch's: -inf from an x of -inf, not NaN with NumPy's warning)
    return ag.where(positive, x, slope * ag.where(positive, 0, x))
