"""Invertible maps between the supports of distributions, as torch.distributions.transforms: each Transform maps x
to y = t(x), back with t.inv(y), and gives log|det dy/dx| (log_abs_det_jacobian) so that TransformedDistribution
can write the density of y as the base density at x minus that term. Maps are compositions of autograd_core's
operations, so the gradients with respect to their parameters and to x come from the engine.

>>> import autograd_core as ag
>>> from autograd_core.distributions.transforms import AffineTransform, ExpTransform
>>> t = ExpTransform()
>>> t(ag.tensor(0.0)), t.inv(ag.tensor(1.0)), t.log_abs_det_jacobian(ag.tensor(2.0), t(ag.tensor(2.0)))
(Tensor(1.), Tensor(0.), Tensor(2.))
>>> AffineTransform(1.0, -2.0).inv(ag.tensor(3.0))
Tensor(-1.)
"""
import math
import weakref

import numpy as np

from .._arguments import is_int
from ..ops import abs, arctanh, clip, cumprod, cumsum, exp, expm1, log, log1p, logsumexp, pad, sigmoid, softplus, tanh
from ..primitive import as_operand
from ..tensor import Tensor, as_value
from . import constraints
from .constraints import _shown  # (a bound's number, or its shape, as the reprs show it)
from .distribution import broadcast_to_shape, sum_rightmost

__all__ = ["AbsTransform", "AffineTransform", "CatTransform", "ComposeTransform", "CorrCholeskyTransform",
           "CumulativeDistributionTransform", "ExpTransform", "IndependentTransform", "LowerCholeskyTransform",
           "PositiveDefiniteTransform", "PowerTransform", "ReshapeTransform", "SigmoidTransform", "SoftmaxTransform",
           "SoftplusTransform", "StackTransform", "StickBreakingTransform", "TanhTransform", "Transform",
           "identity_transform"]


class Transform:
    """An invertible (bijective) or not map y = t(x) from domain to codomain (constraints whose event_dim says how
    many rightmost axes make one event); sign is +1 or -1 for monotone maps of scalars. With cache_size=1 the last
    pair (x, y) is kept, so that t.inv(t(x)) is x itself (PyTorch's cache: a tanh sample near 1 keeps its x).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import TanhTransform
    >>> t = TanhTransform(cache_size=1)
    >>> x = ag.tensor(20.0)
    >>> t.inv(t(x)) is x
    True
    """
    domain = constraints.real
    codomain = constraints.real
    bijective = False

    def __init__(self, cache_size=0):
        if cache_size not in (0, 1) or isinstance(cache_size, bool):
            raise ValueError(f"{type(self).__name__}: cache_size must be 0 or 1, got {cache_size!r}")
        self._cache_size = cache_size
        self._cached_pair = None
        self._inverse_ref = None  # (t.inv, weakly: the inverse holds t, so the pair makes no cycle; as PyTorch)

    @property
    def event_dim(self):
        """The number of rightmost axes that make one event, when domain and codomain agree."""
        if self.domain.event_dim != self.codomain.event_dim:
            raise ValueError(f"{type(self).__name__}: event_dim is ambiguous (the domain's is "
                             f"{self.domain.event_dim}, the codomain's {self.codomain.event_dim})")
        return self.domain.event_dim

    @property
    def sign(self):
        """+1 for an increasing map of scalars, -1 for a decreasing one."""
        raise NotImplementedError(f"{type(self).__name__}.sign is not defined")

    @property
    def inv(self):
        """The inverse transform: inv(y) maps back, inv.inv is this transform."""
        inverse = self._inverse_ref() if self._inverse_ref is not None else None
        if inverse is None:
            inverse = _InverseTransform(self)
            self._inverse_ref = weakref.ref(inverse)
        return inverse

    def with_cache(self, cache_size=1):
        """This transform with the given cache_size (a copy when it differs)."""
        if self._cache_size == cache_size:
            return self
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy._cache_size, copy._cached_pair, copy._inverse_ref = cache_size, None, None
        return copy

    def __call__(self, x):
        return self._cached(as_operand(x, f"{type(self).__name__}"), 0, self._call)

    def _inv_call(self, y):
        return self._cached(as_operand(y, f"{type(self).__name__}.inv"), 1, self._inverse_of)

    def _cached(self, given, side, compute):
        """compute(given), or the other side of the cached pair (x, y) when given is its side (0: x, 1: y)."""
        if self._cache_size and self._cached_pair is not None and self._cached_pair[side] is given:
            return self._cached_pair[1 - side]
        result = compute(given)
        if self._cache_size:
            self._cached_pair = (given, result) if side == 0 else (result, given)
        return result

    def _call(self, x):
        raise NotImplementedError(f"{type(self).__name__} does not define its map")

    def _inverse_of(self, y):
        raise NotImplementedError(f"{type(self).__name__} is not invertible")

    def log_abs_det_jacobian(self, x, y):
        """log |dy/dx| at (x, y = t(x)), over the batch (the event's axes summed)."""
        raise NotImplementedError(f"{type(self).__name__}.log_abs_det_jacobian is not defined")

    def forward_shape(self, shape):
        """The shape of t(x) for x of the given shape."""
        return tuple(shape)

    def inverse_shape(self, shape):
        """The shape of t.inv(y) for y of the given shape."""
        return tuple(shape)

    def __getstate__(self):
        """The state to pickle, without the weak reference to the inverse (made again when asked; as PyTorch's)."""
        state = self.__dict__.copy()
        state["_inverse_ref"] = None
        return state

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return f"{type(self).__name__}()"


class _InverseTransform(Transform):
    """t.inv: the map of t read backwards (its log_abs_det_jacobian is minus t's)."""

    def __init__(self, transform):
        super().__init__(transform._cache_size)
        self._forward = transform

    domain = property(lambda self: self._forward.codomain)
    codomain = property(lambda self: self._forward.domain)
    bijective = property(lambda self: self._forward.bijective)
    sign = property(lambda self: self._forward.sign)

    @property
    def inv(self):
        return self._forward

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self._forward._inverse_ref is None:  # (unpickled: t.inv.inv is t again)
            self._forward._inverse_ref = weakref.ref(self)

    def with_cache(self, cache_size=1):
        return self._forward.with_cache(cache_size).inv

    def __call__(self, x):
        return self._forward._inv_call(x)

    def log_abs_det_jacobian(self, x, y):
        return -self._forward.log_abs_det_jacobian(y, x)

    def forward_shape(self, shape):
        return self._forward.inverse_shape(shape)

    def inverse_shape(self, shape):
        return self._forward.forward_shape(shape)

    def __eq__(self, other):
        return isinstance(other, _InverseTransform) and self._forward == other._forward

    def __hash__(self):
        return hash((_InverseTransform, self._forward))

    def __repr__(self):
        return f"{self._forward!r}.inv"


class _Stateless(Transform):
    """A transform without parameters: all instances are equal (PyTorch's ExpTransform() == ExpTransform())."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))


class ExpTransform(_Stateless):
    """y = exp(x), from the reals to the positive numbers.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import ExpTransform
    >>> ExpTransform()(ag.tensor(0.0)), ExpTransform().inv(ag.tensor(1.0))
    (Tensor(1.), Tensor(0.))
    """
    codomain = constraints.positive
    bijective = True
    sign = 1

    def _call(self, x):
        return exp(x)

    def _inverse_of(self, y):
        return log(y)

    def log_abs_det_jacobian(self, x, y):
        return x


def _clipped_sigmoid(x):
    """sigmoid(x) kept inside (0, 1), between its dtype's tiny and 1 - eps (PyTorch's _clipped_sigmoid): log(y) and
    log(1 - y) stay finite."""
    y = sigmoid(x)
    info = np.finfo(y.dtype)
    return clip(y, float(info.tiny), 1 - float(info.eps))


class SigmoidTransform(_Stateless):
    """y = sigmoid(x), from the reals to (0, 1); kept eps inside so that its inverse stays finite (PyTorch's).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import SigmoidTransform
    >>> SigmoidTransform()(ag.tensor(0.0))
    Tensor(0.5)
    """
    codomain = constraints.unit_interval
    bijective = True
    sign = 1

    def _call(self, x):
        return _clipped_sigmoid(x)

    def _inverse_of(self, y):
        info = np.finfo(np.result_type(y.dtype, np.float32))
        y = clip(y, float(info.tiny), 1 - float(info.eps))
        return log(y) - log1p(-y)

    def log_abs_det_jacobian(self, x, y):
        return -softplus(-x) - softplus(x)  # (log(sigmoid(x) (1 - sigmoid(x))), stable)


class TanhTransform(_Stateless):
    """y = tanh(x), from the reals to (-1, 1) (squashed Gaussian policies); its inverse is atanh.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import TanhTransform
    >>> TanhTransform().inv(ag.tensor(0.0))
    Tensor(0.)
    """
    codomain = constraints.interval(-1.0, 1.0)
    bijective = True
    sign = 1

    def _call(self, x):
        return tanh(x)

    def _inverse_of(self, y):
        return arctanh(y)

    def log_abs_det_jacobian(self, x, y):
        # (log(1 - tanh(x)^2) = 2 (log 2 - x - softplus(-2x)): PyTorch's form, finite for large |x|)
        return 2.0 * (math.log(2.0) - x - softplus(-2.0 * x))


class SoftplusTransform(_Stateless):
    """y = log(1 + exp(x)), from the reals to the positive numbers; its inverse is y + log(1 - exp(-y)).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import SoftplusTransform
    >>> SoftplusTransform().inv(SoftplusTransform()(ag.tensor(1.0)))
    Tensor(1.)
    """
    codomain = constraints.positive
    bijective = True
    sign = 1

    def _call(self, x):
        return softplus(x)

    def _inverse_of(self, y):
        return y + log(-expm1(-y))

    def log_abs_det_jacobian(self, x, y):
        return -softplus(-x)  # (log(sigmoid(x)))


class AbsTransform(_Stateless):
    """y = |x|, from the reals to the non-negative numbers; not bijective: inv(y) is y (the non-negative root).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import AbsTransform
    >>> AbsTransform()(ag.tensor([-2.0, 3.0]))
    Tensor([2., 3.])
    """
    codomain = constraints.nonnegative

    def _call(self, x):
        return abs(x)

    def _inverse_of(self, y):
        return y


class SoftmaxTransform(_Stateless):
    """y = softmax(x) over the last axis, from real vectors to the simplex; not bijective (adding a constant to x
    leaves y unchanged), inv(y) is log(y), and it has no log_abs_det_jacobian (as PyTorch's).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import SoftmaxTransform
    >>> SoftmaxTransform()(ag.zeros(2))
    Tensor([0.5, 0.5])
    """
    domain = constraints.real_vector
    codomain = constraints.simplex

    def _call(self, x):
        return exp(x - logsumexp(x, axis=-1, keepdims=True))

    def _inverse_of(self, y):
        return log(y)


class StickBreakingTransform(_Stateless):
    """From real vectors of K numbers to the simplex of K + 1 (PyTorch's stick-breaking): piece k takes the
    fraction sigmoid(x_k - log(K - k)) of the stick left, the last piece the rest; bijective, so LogisticNormal
    has a density. Sigmoids are kept inside (0, 1) as SigmoidTransform's.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import StickBreakingTransform
    >>> t = StickBreakingTransform()
    >>> t(ag.zeros(2)), t.inv(ag.tensor([0.2, 0.3, 0.5]))
    (Tensor([0.33333333, 0.33333333, 0.33333333]), Tensor([-0.69314718, -0.51082562]))
    """
    domain = constraints.real_vector
    codomain = constraints.simplex
    bijective = True

    @staticmethod
    def _log_offsets(n, dtype):
        """log(K - k) for k = 0 .. K - 1: the shift that maps x = 0 to the uniform point of the simplex."""
        return Tensor(np.log(np.arange(n, 0, -1, dtype=dtype)))

    def _call(self, x):
        fraction = _clipped_sigmoid(x - self._log_offsets(x.shape[-1], x.dtype))
        left = cumprod(1 - fraction, axis=-1)
        edge = [(0, 0)] * (x.ndim - 1)
        return pad(fraction, edge + [(0, 1)], constant_values=1) * pad(left, edge + [(1, 0)], constant_values=1)

    def _inverse_of(self, y):
        cropped = y[..., :-1]
        left = clip(1 - cumsum(cropped, axis=-1), float(np.finfo(y.dtype).tiny), None)
        return log(cropped) - log(left) + self._log_offsets(cropped.shape[-1], y.dtype)

    def log_abs_det_jacobian(self, x, y):
        shifted = x - self._log_offsets(x.shape[-1], x.dtype)
        return (-shifted - softplus(-shifted) + log(y[..., :-1])).sum(-1)

    def forward_shape(self, shape):
        if len(shape) < 1:
            raise ValueError(f"StickBreakingTransform: needs vectors (at least one axis), got shape {tuple(shape)}")
        return tuple(shape[:-1]) + (shape[-1] + 1,)

    def inverse_shape(self, shape):
        if len(shape) < 1:
            raise ValueError(f"StickBreakingTransform.inv: needs vectors (at least one axis), got shape "
                             f"{tuple(shape)}")
        return tuple(shape[:-1]) + (shape[-1] - 1,)


class AffineTransform(Transform):
    """y = loc + scale * x, with loc and scale numbers or Tensors broadcasting with x; event_dim axes on the right
    make one event (their log-scales are summed).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import AffineTransform
    >>> t = AffineTransform(0.0, ag.tensor([2.0, 0.5]))
    >>> t.log_abs_det_jacobian(ag.zeros(2), t(ag.zeros(2))).exp()
    Tensor([2. , 0.5])
    """
    bijective = True

    def __init__(self, loc, scale, event_dim=0, cache_size=0):
        super().__init__(cache_size)
        if not is_int(event_dim) or event_dim < 0:
            raise ValueError(f"AffineTransform: event_dim must be a non-negative int, got {event_dim!r}")
        self.loc, self.scale, self._event_dim = loc, scale, int(event_dim)

    @property
    def event_dim(self):
        return self._event_dim

    @property
    def domain(self):
        return constraints.real if self._event_dim == 0 else constraints.independent(constraints.real,
                                                                                      self._event_dim)

    codomain = domain

    @property
    def sign(self):
        """The sign of scale: an int for a number, elementwise (a Tensor) for a Tensor or array, as PyTorch's."""
        return _sign_of(self.scale)

    def _call(self, x):
        return self.loc + self.scale * x

    def _inverse_of(self, y):
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x, y):
        scale = self.scale
        result = log(abs(scale)) if isinstance(scale, Tensor) else Tensor(
            np.log(np.abs(np.asarray(scale, dtype=np.result_type(x.dtype, np.float32)))))
        return sum_rightmost(broadcast_to_shape(result, np.broadcast_shapes(x.shape, result.shape)), self._event_dim)

    def forward_shape(self, shape):
        return np.broadcast_shapes(tuple(shape), np.shape(as_value(self.loc)), np.shape(as_value(self.scale)))

    inverse_shape = forward_shape

    def __eq__(self, other):
        if not isinstance(other, AffineTransform) or other._event_dim != self._event_dim:
            return False
        return _same(self.loc, other.loc) and _same(self.scale, other.scale)

    def __hash__(self):
        return hash((AffineTransform, self._event_dim))

    def __repr__(self):
        return f"AffineTransform(loc={_shown(self.loc)}, scale={_shown(self.scale)}, event_dim={self._event_dim})"


class PowerTransform(Transform):
    """y = x ** exponent, over the positive numbers (exponent a number or a Tensor broadcasting with x).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import PowerTransform
    >>> PowerTransform(2.0)(ag.tensor(3.0)), PowerTransform(2.0).inv(ag.tensor(9.0))
    (Tensor(9.), Tensor(3.))
    """
    domain = constraints.positive
    codomain = constraints.positive
    bijective = True

    def __init__(self, exponent, cache_size=0):
        super().__init__(cache_size)
        self.exponent = exponent

    @property
    def sign(self):
        """The sign of exponent: an int for a number, elementwise (a Tensor) for a Tensor or array, as PyTorch's."""
        return _sign_of(self.exponent)

    def _call(self, x):
        return x ** self.exponent

    def _inverse_of(self, y):
        return y ** (1 / self.exponent)

    def log_abs_det_jacobian(self, x, y):
        return log(abs(self.exponent * y / x))

    def forward_shape(self, shape):
        return np.broadcast_shapes(tuple(shape), np.shape(as_value(self.exponent)))

    inverse_shape = forward_shape

    def __eq__(self, other):
        return isinstance(other, PowerTransform) and _same(self.exponent, other.exponent)

    def __hash__(self):
        return hash(PowerTransform)

    def __repr__(self):
        return f"PowerTransform(exponent={_shown(self.exponent)})"


class ComposeTransform(Transform):
    """The transforms of parts applied in order (parts[0] first); its log_abs_det_jacobian sums theirs, each over
    the event axes the composition has at its step. An empty composition is the identity.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import AffineTransform, ComposeTransform, ExpTransform
    >>> t = ComposeTransform([AffineTransform(1.0, 2.0), ExpTransform()])
    >>> t(ag.tensor(0.0)), t.inv(t(ag.tensor(0.5)))
    (Tensor(2.71828183), Tensor(0.5))
    """

    def __init__(self, parts, cache_size=0):
        if isinstance(parts, Transform) or not all(isinstance(part, Transform) for part in parts):
            raise TypeError(f"ComposeTransform: parts must be a list of Transforms, got {parts!r}")
        if cache_size:
            parts = [part.with_cache(cache_size) for part in parts]
        super().__init__(cache_size)
        self.parts = list(parts)

    @property
    def domain(self):
        if not self.parts:
            return constraints.real
        domain, event_dim = self.parts[0].domain, self.parts[-1].codomain.event_dim
        for part in reversed(self.parts):
            event_dim = max(event_dim + part.domain.event_dim - part.codomain.event_dim, part.domain.event_dim)
        return constraints.independent(domain, event_dim - domain.event_dim) if event_dim > domain.event_dim \
            else domain

    @property
    def codomain(self):
        if not self.parts:
            return constraints.real
        codomain, event_dim = self.parts[-1].codomain, self.parts[0].domain.event_dim
        for part in self.parts:
            event_dim = max(event_dim + part.codomain.event_dim - part.domain.event_dim, part.codomain.event_dim)
        return constraints.independent(codomain, event_dim - codomain.event_dim) if event_dim > codomain.event_dim \
            else codomain

    @property
    def bijective(self):
        return all(part.bijective for part in self.parts)

    @property
    def sign(self):
        sign = 1
        for part in self.parts:
            sign = sign * part.sign
        return sign

    @property
    def inv(self):
        inverse = self._inverse_ref() if self._inverse_ref is not None else None
        if inverse is None:
            inverse = ComposeTransform([part.inv for part in reversed(self.parts)])
            self._inverse_ref, inverse._inverse_ref = weakref.ref(inverse), weakref.ref(self)
        return inverse

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else ComposeTransform(self.parts, cache_size=cache_size)

    def _call(self, x):
        for part in self.parts:
            x = part(x)
        return x

    def _inverse_of(self, y):
        return self.inv(y)

    def log_abs_det_jacobian(self, x, y):
        if not self.parts:
            return Tensor(np.zeros(x.shape, dtype=x.dtype))
        points = [x]
        for part in self.parts[:-1]:
            points.append(part(points[-1]))
        points.append(y)
        total, event_dim = None, self.domain.event_dim
        for part, before, after in zip(self.parts, points[:-1], points[1:]):
            term = sum_rightmost(part.log_abs_det_jacobian(before, after), event_dim - part.domain.event_dim)
            total = term if total is None else total + term
            event_dim += part.codomain.event_dim - part.domain.event_dim
        return total

    def forward_shape(self, shape):
        for part in self.parts:
            shape = part.forward_shape(shape)
        return tuple(shape)

    def inverse_shape(self, shape):
        for part in reversed(self.parts):
            shape = part.inverse_shape(shape)
        return tuple(shape)

    def __eq__(self, other):
        return isinstance(other, ComposeTransform) and self.parts == other.parts

    def __hash__(self):
        return hash((ComposeTransform, len(self.parts)))

    def __repr__(self):
        return f"ComposeTransform([{', '.join(repr(part) for part in self.parts)}])"


def _sign_of(parameter):
    """+1, -1 or 0 for a number; a constant Tensor of the signs for a Tensor or array (PyTorch's parameter.sign())."""
    if isinstance(parameter, (int, float, np.number)) and not isinstance(parameter, bool):
        return 1 if parameter > 0 else -1 if parameter < 0 else 0
    return Tensor(np.sign(np.asarray(as_value(parameter))))


def _same(a, b):
    """Whether two parameters (numbers or Tensors) are one object or equal values of one shape."""
    return a is b or (np.shape(as_value(a)) == np.shape(as_value(b)) and np.array_equal(as_value(a), as_value(b)))


identity_transform = ComposeTransform([])


# (the transforms of slices, in their own module; imported last, as they build on Transform)
from .transform_functors import CatTransform, StackTransform  # noqa: E402
from .event_transforms import (CorrCholeskyTransform, CumulativeDistributionTransform,  # noqa: E402
                               IndependentTransform, LowerCholeskyTransform, PositiveDefiniteTransform,
                               ReshapeTransform)
