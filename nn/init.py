"""Weight initialisers, with PyTorch's formulas (torch.nn.init).

Each fills a Tensor's .data in place (same array, same dtype) and returns the Tensor;
anything but a Tensor is refused with a TypeError. The kaiming initialisers leave a Tensor with
a zero dimension as it is, with PyTorch's warning; the xavier ones fill it (with nothing) silently, as
PyTorch's, and leave one whose fans are both 0 (shape (0, 0)) with that warning (PyTorch's divide by zero).
`rng` is a numpy Generator or an int seed (None: the default generator, see ag.manual_seed), so a seeded call is
reproducible; `generator=`, PyTorch's name for it, takes the same (not a torch.Generator).
Random initial weights break the symmetry between hidden units that equal initial weights
would keep for ever (course notes, "NN weight initialization").
PyTorch's deprecated names without the trailing underscore (nn.init.xavier_uniform, old code's) call these
after PyTorch's FutureWarning.

>>> import numpy as np, nn
>>> w = nn.Parameter(np.empty((256, 128), dtype=np.float32))
>>> _ = nn.init.kaiming_uniform_(w, nonlinearity="relu", rng=0)
>>> bound = np.sqrt(2) * np.sqrt(3 / 128)
>>> bool(np.abs(w.data).max() <= bound), w.dtype
(True, dtype('float32'))
"""
import functools
import math
import warnings

import numpy as np

from autograd_core import Tensor

from ._arguments import as_finite_number, as_number, checked_number, error_kind, generator_of
from ._deprecated import deprecated_alias

__all__ = ["calculate_gain", "zeros_", "ones_", "constant_", "normal_", "uniform_", "xavier_uniform_",
           "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "trunc_normal_", "eye_", "dirac_",
           "sparse_", "uniform", "normal", "constant", "xavier_uniform", "xavier_normal", "kaiming_uniform",
           "kaiming_normal", "orthogonal", "sparse"]


def copy_into(tensor, values):
    """Write values into tensor's own array (broadcast, cast to its dtype) and return tensor; the change is
    counted, so a graph that saved the old values refuses them (see autograd_core.backprop)."""
    data = tensor.data
    data[...] = values
    tensor.data = data  # assigning .data counts the change
    return tensor


def _initialiser(fn):
    """fn, refusing anything but a Tensor as its first argument (an ndarray's .data is a memoryview)."""
    @functools.wraps(fn)
    def checked(tensor, *args, **kwargs):
        if not isinstance(tensor, Tensor):
            # PyTorch code passes m.weight.data (a Tensor there, an ndarray here): say what to pass instead
            hint = (" (a Tensor's .data is an ndarray here: pass the Tensor itself, e.g. m.weight, not "
                    "m.weight.data)" if isinstance(tensor, np.ndarray) else "")
            raise TypeError(f"nn.init.{fn.__name__}: expected a Tensor (an nn.Parameter), got "
                            f"{type(tensor).__name__}{hint}; wrap an array as nn.Parameter(array) and pass that")
        return fn(tensor, *args, **kwargs)
    return checked


def _is_empty(tensor):
    """True, with PyTorch's warning, for a Tensor with a zero dimension: nothing to fill, and a fan may be 0."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=4)  # the caller's line
        return True
    return False


# gain 1: PyTorch's linear functions and sigmoid, plus identity
_GAIN_ONE = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
             "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity (PyTorch's table).

    linear, identity, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid: 1; tanh: 5/3; relu: sqrt(2);
    leaky_relu: sqrt(2 / (1 + slope**2)), slope `param` (default 0.01); selu: 3/4. Other names are refused.

    >>> import nn
    >>> round(nn.init.calculate_gain("relu"), 4), nn.init.calculate_gain("tanh")
    (1.4142, 1.6666666666666667)
    """
    if nonlinearity in _GAIN_ONE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"calculate_gain: negative_slope {slope!r} is not a number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; valid: "
                     f"{', '.join(_GAIN_ONE)}, tanh, relu, leaky_relu, selu")


def _fans(tensor, owner):
    """(fan_in, fan_out) of a weight of shape (out, in, *receptive_field), as PyTorch computes them."""
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(f"nn.init.{owner}: fan in and fan out need a Tensor with at least 2 dimensions (a weight "
                         f"of shape (out, in, ...)), got shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight (out, in, *kernel): PyTorch's private helper, which custom layers' and timm's
    initialisers call (`fan_in, _ = nn.init._calculate_fan_in_and_fan_out(self.weight)`).

    >>> import numpy as np, nn
    >>> nn.init._calculate_fan_in_and_fan_out(nn.Parameter(np.zeros((8, 3, 5, 5))))
    (75, 200)
    """
    return _fans(tensor, "_calculate_fan_in_and_fan_out")


def _calculate_correct_fan(tensor, mode):
    """fan_in or fan_out of a weight, as mode names it ('fan_in' or 'fan_out', any case): PyTorch's private helper.

    >>> import numpy as np, nn
    >>> nn.init._calculate_correct_fan(nn.Parameter(np.zeros((8, 3, 5, 5))), "fan_out")
    200
    """
    index = _fan_index(mode, "_calculate_correct_fan")  # the mode checked before the shape, as PyTorch
    return _fans(tensor, "_calculate_correct_fan")[index]


def _fan_index(mode, owner):
    """0 for 'fan_in', 1 for 'fan_out' (in any case, as PyTorch); anything else is refused."""
    fan_mode = mode.lower() if isinstance(mode, str) else mode
    if fan_mode not in ("fan_in", "fan_out"):
        raise ValueError(f"nn.init.{owner}: mode must be 'fan_in' or 'fan_out' (in any case), got {mode!r}")
    return 0 if fan_mode == "fan_in" else 1


@_initialiser
def zeros_(tensor, rng=None, *, generator=None):
    """Fill with 0 (rng or generator= is accepted, like every initialiser's, and unused: nothing is random).

    >>> import numpy as np, nn
    >>> nn.init.zeros_(nn.Parameter(np.ones(2))).data
    array([0., 0.])
    """
    generator_of(rng, generator, "nn.init.zeros_")  # (checked, as the random ones check it)
    return copy_into(tensor, 0)


@_initialiser
def ones_(tensor, rng=None, *, generator=None):
    """Fill with 1 (rng or generator= is accepted, like every initialiser's, and unused: nothing is random).

    >>> import numpy as np, nn
    >>> nn.init.ones_(nn.Parameter(np.zeros(2))).data
    array([1., 1.])
    """
    generator_of(rng, generator, "nn.init.ones_")  # (checked, as the random ones check it)
    return copy_into(tensor, 1)


@_initialiser
def constant_(tensor, val):
    """Fill with val.

    >>> import numpy as np, nn
    >>> nn.init.constant_(nn.Parameter(np.zeros(2)), 0.5).data
    array([0.5, 0.5])
    """
    value = val.data if isinstance(val, Tensor) else val  # a 0-d one, as torch takes (its fill_ runs under no_grad)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        raise TypeError(f"nn.init.constant_: val must be a real number, got {val!r}")
    try:  # kept as given (an int stays exact), but it must fit the Tensor's dtype
        with np.errstate(over="ignore"):
            filled = np.asarray(value, dtype=tensor.dtype)
        fits = np.isfinite(filled) or not (isinstance(value, (float, np.floating)) and math.isfinite(value))
    except OverflowError:  # an int beyond an integer dtype
        fits = False
    if not fits:
        raise ValueError(f"nn.init.constant_: val={val!r} overflows the Tensor's dtype {tensor.dtype}")
    return copy_into(tensor, value)


@_initialiser
def uniform_(tensor, a=0.0, b=1.0, rng=None, *, generator=None):
    """Fill with draws from U(a, b).

    >>> import numpy as np, nn
    >>> t = nn.init.uniform_(nn.Parameter(np.zeros(1000)), -2, 2, rng=0)
    >>> bool(t.data.min() >= -2 and t.data.max() < 2)
    True
    """
    rng = generator_of(rng, generator, "nn.init.uniform_")
    return _uniform(tensor, a, b, rng, "uniform_")


def _random_values_fit(tensor, owner):
    if tensor.dtype.kind != "f":  # PyTorch refuses too: the draws would be truncated to integers
        raise TypeError(f"nn.init.{owner}: random values need a float Tensor, got dtype {tensor.dtype}")


def _checked_gain(gain, owner):
    return checked_number(gain, f"nn.init.{owner}", "gain", low=0)


def _uniform(tensor, a, b, rng, owner):  # (rng: a NumPy Generator)
    _random_values_fit(tensor, owner)
    if as_finite_number(a) is None or as_finite_number(b) is None or a > b:
        raise error_kind(a, b)(f"nn.init.{owner}: the bounds must be finite numbers with a <= b, got a={a!r}, "
                               f"b={b!r}")
    return copy_into(tensor, rng.uniform(float(a), float(b), tensor.shape))


def _normal(tensor, mean, std, rng, owner):  # (rng: a NumPy Generator)
    _random_values_fit(tensor, owner)
    if as_finite_number(mean) is None or as_finite_number(std) is None or std < 0:
        raise error_kind(mean, std)(f"nn.init.{owner}: mean must be a finite number and std one >= 0, got "
                                    f"mean={mean!r}, std={std!r}")
    return copy_into(tensor, rng.normal(float(mean), float(std), tensor.shape))


@_initialiser
def normal_(tensor, mean=0.0, std=1.0, rng=None, *, generator=None):
    """Fill with draws from N(mean, std**2).

    >>> import numpy as np, nn
    >>> t = nn.init.normal_(nn.Parameter(np.zeros(10000)), 1.0, 0.5, rng=0)
    >>> round(float(t.data.mean()), 1), round(float(t.data.std()), 1)
    (1.0, 0.5)
    """
    rng = generator_of(rng, generator, "nn.init.normal_")
    return _normal(tensor, mean, std, rng, "normal_")


@_initialiser
def xavier_uniform_(tensor, gain=1.0, rng=None, *, generator=None):
    """Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).

    >>> import numpy as np, nn
    >>> t = nn.init.xavier_uniform_(nn.Parameter(np.zeros((30, 20))), rng=0)
    >>> bool(np.abs(t.data).max() <= np.sqrt(6 / 50))
    True
    """
    rng = generator_of(rng, generator, "nn.init.xavier_uniform_")
    fan_in, fan_out = _fans(tensor, "xavier_uniform_")
    if fan_in + fan_out == 0 and _is_empty(tensor):  # (PyTorch's xavier_ divides by zero there)
        return tensor
    bound = _checked_gain(gain, "xavier_uniform_") * math.sqrt(6.0 / (fan_in + fan_out))
    return _uniform(tensor, -bound, bound, rng, "xavier_uniform_")


@_initialiser
def xavier_normal_(tensor, gain=1.0, rng=None, *, generator=None):
    """Glorot normal: N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)).

    >>> import numpy as np, nn
    >>> t = nn.init.xavier_normal_(nn.Parameter(np.zeros((300, 200))), rng=0)
    >>> round(float(t.data.std() / np.sqrt(2 / 500)), 1)
    1.0
    """
    rng = generator_of(rng, generator, "nn.init.xavier_normal_")
    fan_in, fan_out = _fans(tensor, "xavier_normal_")
    if fan_in + fan_out == 0 and _is_empty(tensor):  # (PyTorch's xavier_ divides by zero there)
        return tensor
    return _normal(tensor, 0.0, _checked_gain(gain, "xavier_normal_") * math.sqrt(2.0 / (fan_in + fan_out)), rng,
                   "xavier_normal_")


def _kaiming_std(tensor, a, mode, nonlinearity, owner):
    index = _fan_index(mode, owner)  # the mode checked before the shape, as PyTorch
    fan = _fans(tensor, owner)[index]
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


@_initialiser
def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", rng=None, *, generator=None):
    """He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a).

    With a = sqrt(5) this is nn.Linear's default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    >>> import numpy as np, nn
    >>> t = nn.init.kaiming_uniform_(nn.Parameter(np.zeros((64, 100))), a=np.sqrt(5), rng=0)
    >>> bool(np.abs(t.data).max() <= 0.1)
    True
    """
    rng = generator_of(rng, generator, "nn.init.kaiming_uniform_")
    if _is_empty(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_")
    return _uniform(tensor, -bound, bound, rng, "kaiming_uniform_")


@_initialiser
def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", rng=None, *, generator=None):
    """He normal: N(0, std**2), std = gain / sqrt(fan), gain = calculate_gain(nonlinearity, a).

    >>> import numpy as np, nn
    >>> t = nn.init.kaiming_normal_(nn.Parameter(np.zeros((400, 200))), nonlinearity="relu", rng=0)
    >>> round(float(t.data.std() / np.sqrt(2 / 200)), 1)
    1.0
    """
    rng = generator_of(rng, generator, "nn.init.kaiming_normal_")
    if _is_empty(tensor):
        return tensor
    return _normal(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_"), rng,
                   "kaiming_normal_")


# ---- structured initialisers: orthogonal_, trunc_normal_, eye_, dirac_ and sparse_ -----------------------------
def _need_dims(tensor, owner, dims):
    if tensor.ndim not in dims:
        wanted = " or ".join(map(str, dims)) if len(dims) < 3 else f"{', '.join(map(str, dims[:-1]))} or {dims[-1]}"
        raise ValueError(f"nn.init.{owner}: only Tensors with {wanted} dimensions are supported, got shape "
                         f"{tensor.shape}")


@_initialiser
def orthogonal_(tensor, gain=1.0, rng=None, *, generator=None):
    """A (semi-)orthogonal matrix times gain (Saxe et al. 2013), as PyTorch's: the Tensor read as rows = shape[0]
    by cols = the rest, filled from the QR decomposition of a standard normal matrix (signs fixed so the
    distribution is uniform), so its rows (rows <= cols) or its columns (rows > cols) are orthonormal.

    >>> import numpy as np, nn
    >>> w = nn.init.orthogonal_(nn.Parameter(np.empty((3, 5))), rng=0)
    >>> np.allclose(w.data @ w.data.T, np.eye(3))
    True
    """
    rng = generator_of(rng, generator, "nn.init.orthogonal_")
    if tensor.ndim < 2:
        raise ValueError(f"nn.init.orthogonal_: only Tensors with 2 or more dimensions are supported, got shape "
                         f"{tensor.shape}")
    _random_values_fit(tensor, "orthogonal_")
    gain = checked_number(gain, "nn.init.orthogonal_", "gain")
    if tensor.size == 0:  # nothing to fill (as PyTorch's, which returns it)
        return tensor
    rows = tensor.shape[0]
    cols = tensor.size // rows
    flat = rng.standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))  # each column's sign from R's diagonal: Haar-distributed Q (Mezzadri 2007)
    if rows < cols:
        q = q.T
    return copy_into(tensor, (q * gain).reshape(tensor.shape))


@_initialiser
def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, rng=None, *, generator=None):
    """Draws from N(mean, std**2) truncated to [a, b] (a and b are values, not multiples of std, as PyTorch's; a = -inf
    or b = inf leaves that side unbounded):
    exact draws, redrawn until inside [a, b] (or, for an interval the normal rarely reaches, from the inverse of its
    distribution function).

    >>> import numpy as np, nn
    >>> t = nn.init.trunc_normal_(nn.Parameter(np.empty(10000)), std=0.02, a=-0.04, b=0.04, rng=0)
    >>> bool(np.abs(t.data).max() <= 0.04), round(float(t.data.std() / 0.02), 1)
    (True, 0.9)
    """
    rng = generator_of(rng, generator, "nn.init.trunc_normal_")
    owner = "trunc_normal_"
    _random_values_fit(tensor, owner)
    values = [as_finite_number(mean), as_finite_number(std), as_number(a), as_number(b)]
    if (None in values or values[1] < 0 or not values[2] <= values[3] or values[2] == math.inf
            or values[3] == -math.inf):
        raise error_kind(mean, std, a, b)(f"nn.init.{owner}: mean, std, a and b must be finite numbers with std >= 0 "
                                          f"and a <= b, got mean={mean!r}, std={std!r}, a={a!r}, b={b!r} (a may "
                                          f"also be -inf and b inf, for no bound)")
    mean, std, a, b = values
    if std == 0 or a == b:
        return copy_into(tensor, min(max(mean, a), b))
    low, high = (a - mean) / std, (b - mean) / std  # the bounds in standard units
    inside = _normal_cdf(high) - _normal_cdf(low)
    if inside >= 0.01:  # rejection: fewer than 100 draws per value expected
        draws = rng.standard_normal(tensor.shape)
        outside = (draws < low) | (draws > high)
        while outside.any():
            draws[outside] = rng.standard_normal(int(outside.sum()))
            outside = (draws < low) | (draws > high)
    else:  # a far tail: the inverse distribution function of uniform draws, found by bisection
        low, high = max(low, -40.0), min(high, 40.0)  # (an infinite bound: beyond ±40 the distribution is 0 or 1)
        draws = _normal_quantile(rng.uniform(_normal_cdf(low), _normal_cdf(high), tensor.shape), low, high)
    return copy_into(tensor, np.clip(draws * std + mean, a, b))


def _normal_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _normal_quantile(p, low, high):
    """The standard normal quantiles of the probabilities p, each between low and high (bisection, to rounding)."""
    cdf = np.frompyfunc(_normal_cdf, 1, 1)
    lo, hi = np.full(p.shape, low), np.full(p.shape, high)
    for _ in range(64):
        middle = (lo + hi) / 2
        below = cdf(middle).astype(float) < p
        lo, hi = np.where(below, middle, lo), np.where(below, hi, middle)
    return (lo + hi) / 2


@_initialiser
def eye_(tensor):
    """The identity matrix (ones on the diagonal of a 2-D Tensor of any shape, zeros elsewhere), as PyTorch's; it
    keeps the inputs of a Linear layer.

    >>> import numpy as np, nn
    >>> nn.init.eye_(nn.Parameter(np.empty((2, 3)))).data
    array([[1., 0., 0.],
           [0., 1., 0.]])
    """
    _need_dims(tensor, "eye_", (2,))
    return copy_into(tensor, np.eye(*tensor.shape))


@_initialiser
def dirac_(tensor, groups=1):
    """The Dirac delta of a convolution weight (out, in, *kernel) of 3, 4 or 5 dimensions, as PyTorch's: in each of
    groups, output channel d takes input channel d at the kernel's centre (size // 2), for d below
    min(out / groups, in); zeros elsewhere. A convolution so filled passes its input through.

    >>> import numpy as np, nn
    >>> nn.init.dirac_(nn.Parameter(np.empty((2, 2, 3)))).data[:, :, 1]
    array([[1., 0.],
           [0., 1.]])
    """
    _need_dims(tensor, "dirac_", (3, 4, 5))
    groups = checked_number(groups, "nn.init.dirac_", "groups", low=1, integer=True)
    if tensor.shape[0] % groups:
        raise ValueError(f"nn.init.dirac_: dim 0 of shape {tensor.shape} ({tensor.shape[0]} output channels) must be "
                         f"divisible by groups={groups}")
    per_group = tensor.shape[0] // groups
    values = np.zeros(tensor.shape, dtype=tensor.dtype)
    centre = tuple(size // 2 for size in tensor.shape[2:])
    for g in range(groups):
        for d in range(min(per_group, tensor.shape[1])):
            values[(g * per_group + d, d) + centre] = 1
    return copy_into(tensor, values)


@_initialiser
def sparse_(tensor, sparsity, std=0.01, rng=None, *, generator=None):
    """A sparse 2-D matrix (Martens 2010), as PyTorch's: draws from N(0, std**2), then in each column
    ceil(sparsity * rows) entries, at random rows, set to 0. sparsity: a number in [0, 1].

    >>> import numpy as np, nn
    >>> w = nn.init.sparse_(nn.Parameter(np.empty((10, 3))), sparsity=0.3, rng=0)
    >>> (w.data == 0).sum(axis=0).tolist()
    [3, 3, 3]
    """
    rng = generator_of(rng, generator, "nn.init.sparse_")
    owner = "sparse_"
    _need_dims(tensor, owner, (2,))
    sparsity = checked_number(sparsity, f"nn.init.{owner}", "sparsity", low=0, high=1)
    _normal(tensor, 0.0, std, rng, owner)
    rows, cols = tensor.shape
    zeros = int(math.ceil(sparsity * rows))
    values = tensor.data.copy()
    for col in range(cols):
        values[rng.permutation(rows)[:zeros], col] = 0
    return copy_into(tensor, values)


# PyTorch's deprecated names without the trailing underscore (old code's nn.init.xavier_uniform(m.weight))
uniform, normal, constant, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, orthogonal, sparse = (
    deprecated_alias(function, function.__name__[:-1], "nn.init")
    for function in (uniform_, normal_, constant_, xavier_uniform_, xavier_normal_, kaiming_uniform_, kaiming_normal_,
                     orthogonal_, sparse_))
