"""The base of the distributions, as torch.distributions.Distribution: batch_shape and event_shape, samples drawn
with NumPy Generators (the project's default one, which ag.manual_seed seeds, unless rng=/generator= is given),
and the validation of parameters and values that PyTorch performs by default.

A distribution's parameters are Tensors: log_prob, entropy, cdf and rsample are compositions of autograd_core's
operations, so their gradients (and second derivatives) with respect to the parameters come from the engine.
"""
import numpy as np

from .._arguments import as_flag, broadcasts_to, generator_of, is_int
from ..grad_mode import enable_grad, no_grad
from ..primitive import as_operand
from ..tensor import Tensor, as_value
from ..ops import broadcast_to, log, where
from . import constraints

__all__ = ["Distribution"]


class Distribution:
    """A family of probability distributions over a batch: batch_shape indexes independent distributions, each over
    events of event_shape. Subclasses define arg_constraints, support, log_prob, and sample or rsample.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Normal
    >>> d = Normal(ag.zeros(3), 1.0)
    >>> d.batch_shape, d.event_shape, d.sample((2,)).shape
    ((3,), (), (2, 3))
    """
    has_rsample = False
    has_enumerate_support = False
    arg_constraints = {}
    support = None
    _validate_args = True  # (PyTorch validates by default; set_default_validate_args(False) turns it off)

    @staticmethod
    def set_default_validate_args(value):
        """Turn the validation of parameters and log_prob's values on (the default, as PyTorch's) or off."""
        Distribution._validate_args = as_flag(value, "set_default_validate_args", "value", kind=ValueError)

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None):
        self._batch_shape, self._event_shape = tuple(batch_shape), tuple(event_shape)
        if validate_args is not None:
            self._validate_args = as_flag(validate_args, type(self).__name__, "validate_args")
        if self._validate_args:
            for name, constraint in self.arg_constraints.items():
                if constraints.is_dependent(constraint) or name not in vars(self):
                    continue  # (checked by the subclass, or a parameter given the other way: probs for logits)
                self._check(name, getattr(self, name), constraint, "parameter")

    @property
    def _dtype(self):
        """The dtype of the parameters (the first one's: broadcast_all gives them one)."""
        return next(vars(self)[name].dtype for name in self.arg_constraints if name in vars(self))

    def _filled(self, value):
        """value over the batch shape, in the parameters' dtype: a moment that is NaN or inf for every parameter."""
        return Tensor(np.full(self.batch_shape, value, dtype=self._dtype))

    @property
    def batch_shape(self):
        """The shape over which the distributions are independent and not identical."""
        return self._batch_shape

    @property
    def event_shape(self):
        """The shape of one sample of one distribution."""
        return self._event_shape

    def _extended_shape(self, sample_shape=(), method="sample"):
        """sample_shape + batch_shape + event_shape: the shape of sample(sample_shape)."""
        return _shape_of(sample_shape, f"{type(self).__name__}.{method}") + self._batch_shape + self._event_shape

    def sample(self, sample_shape=(), *, rng=None, generator=None):
        """A constant sample (no gradient) of shape sample_shape + batch_shape + event_shape."""
        shape = _shape_of(sample_shape, f"{type(self).__name__}.sample")
        with no_grad():
            return self._reparameterised(shape, self._generator(rng, generator, "sample")).detach()

    def rsample(self, sample_shape=(), *, rng=None, generator=None):
        """A reparameterised sample: a differentiable function of the parameters and of noise drawn apart."""
        if not self.has_rsample:
            raise NotImplementedError(f"{type(self).__name__} has no rsample (has_rsample is False): its samples are "
                                      f"not differentiable functions of its parameters; use sample()")
        shape = _shape_of(sample_shape, f"{type(self).__name__}.rsample")
        return self._reparameterised(shape, self._generator(rng, generator, "rsample"))

    def _reparameterised(self, sample_shape, source):
        """The sample of sample_shape (a tuple) made from noise drawn from source (a NumPy Generator)."""
        raise NotImplementedError(f"{type(self).__name__}.sample is not defined")

    def _generator(self, rng, generator, method):
        return generator_of(rng, generator, f"{type(self).__name__}.{method}")

    def _noise(self, draw, sample_shape, source):
        """Constant noise of the extended shape in the parameters' dtype: draw(source, shape)."""
        return Tensor(np.asarray(draw(source, self._extended_shape(sample_shape)), dtype=self._dtype))

    def expand(self, batch_shape):
        """The same distribution over a larger batch_shape, to which the current one broadcasts: its parameters
        broadcast (views that keep the graph), as PyTorch's expand.

        >>> from autograd_core.distributions import Normal
        >>> Normal(0.0, 1.0).expand((2, 3)).sample().shape
        (2, 3)
        """
        batch_shape = _shape_of(batch_shape, f"{type(self).__name__}.expand")
        if not broadcasts_to(self._batch_shape, batch_shape):
            raise ValueError(f"{type(self).__name__}.expand: batch_shape {self._batch_shape} does not broadcast to "
                             f"{batch_shape}")
        expanded = object.__new__(type(self))
        expanded.__dict__.update(self.__dict__)
        expanded._batch_shape = batch_shape
        expanded._expand_parameters(self._batch_shape, batch_shape)
        return expanded

    def _expand_parameters(self, old_batch_shape, batch_shape):
        """Broadcast each parameter held (those of arg_constraints) from old_batch_shape to batch_shape."""
        for name in self.arg_constraints:
            if name in vars(self):
                value = vars(self)[name]
                setattr(self, name, broadcast_to(value, batch_shape + value.shape[len(old_batch_shape):]))

    def log_prob(self, value):
        """The log of the density (or mass) at value, over sample_shape + batch_shape."""
        raise NotImplementedError(f"{type(self).__name__}.log_prob is not defined")

    def cdf(self, value):
        """The cumulative distribution function at value."""
        raise NotImplementedError(f"{type(self).__name__}.cdf is not defined here")

    def icdf(self, value):
        """The inverse of cdf: the value at which cdf is the given probability."""
        raise NotImplementedError(f"{type(self).__name__}.icdf is not defined here")

    def enumerate_support(self, expand=True):
        """Every value of a discrete support along a new first axis (where has_enumerate_support), over the batch
        shape (expand) or broadcasting with it."""
        raise NotImplementedError(f"{type(self).__name__}.enumerate_support is not defined (has_enumerate_support is "
                                  f"{self.has_enumerate_support})")

    def entropy(self):
        """The entropy -E[log p(x)] of each distribution of the batch."""
        raise NotImplementedError(f"{type(self).__name__}.entropy is not defined here")

    def perplexity(self):
        """exp(entropy())."""
        return self.entropy().exp()

    @property
    def mean(self):
        """The mean of each distribution (NaN where it has none)."""
        raise NotImplementedError(f"{type(self).__name__}.mean is not defined")

    @property
    def mode(self):
        """The most likely value of each distribution (NaN where there is no single one)."""
        raise NotImplementedError(f"{type(self).__name__}.mode is not defined")

    @property
    def variance(self):
        """The variance of each distribution (NaN where it has none)."""
        raise NotImplementedError(f"{type(self).__name__}.variance is not defined")

    @property
    def stddev(self):
        """The square root of the variance."""
        return self.variance.sqrt()

    # ---- validation ------------------------------------------------------------------------------------------------
    def _check(self, name, value, constraint, kind):
        valid = np.asarray(constraint.check(value))
        if not valid.all():
            bad = np.asarray(as_value(value))
            shown = bad if bad.size <= 8 else f"{np.count_nonzero(~valid)} invalid of {bad.size}"
            raise ValueError(f"{type(self).__name__}: expected {kind} {name} (of shape {bad.shape}) to satisfy the "
                             f"constraint {constraint!r}, but found invalid values: {shown}")

    def _checked_value(self, value, method="log_prob"):
        """value as a Tensor, checked (when validating) to lie in the support and to broadcast with the batch."""
        value = as_operand(value, f"{type(self).__name__}.{method}")
        if not self._validate_args:
            return value
        event = len(self._event_shape)
        if value.ndim < event or value.shape[value.ndim - event:] != self._event_shape:
            raise ValueError(f"{type(self).__name__}.{method}: the value's shape {value.shape} must end in the "
                             f"event_shape {self._event_shape}")
        try:
            np.broadcast_shapes(value.shape, self._batch_shape + self._event_shape)
        except ValueError:
            raise ValueError(f"{type(self).__name__}.{method}: the value's shape {value.shape} does not broadcast "
                             f"with batch_shape + event_shape {self._batch_shape + self._event_shape}") from None
        valid = np.asarray(self.support.check(value))
        if not valid.all():
            raise ValueError(f"{type(self).__name__}.{method}: expected the value (of shape {value.shape}) to be "
                             f"within the support {self.support!r} of {self!r}, but found invalid values"
                             f"{': ' + str(value.data) if value.size <= 8 else ''}")
        return value

    def __repr__(self):
        shown = [f"{name}: {shown_parameter(vars(self)[name])}" for name in self.arg_constraints if name in vars(self)]
        return f"{type(self).__name__}({', '.join(shown)})"


def shown_parameter(value):
    """A parameter (a Tensor) as a distribution's repr shows it: its number if 0-d, else its shape."""
    return value.item() if value.ndim == 0 else value.shape


def _shape_of(sample_shape, owner):
    """sample_shape (an int, a tuple or list of ints, or t.size()) as a tuple."""
    if is_int(sample_shape):
        sample_shape = (sample_shape,)
    if not isinstance(sample_shape, (tuple, list)) or not all(is_int(n) for n in sample_shape):
        raise TypeError(f"{owner}: sample_shape must be a tuple of ints, got {sample_shape!r}")
    if any(n < 0 for n in sample_shape):
        raise ValueError(f"{owner}: sample_shape must hold non-negative ints, got {sample_shape!r}")
    return tuple(int(n) for n in sample_shape)


AT_LOC = property(lambda self: self.loc, doc="loc, where a location family has its mean and mode (Normal, Laplace, "
                                           "VonMises, the multivariate normals: `mean = mode = AT_LOC`) or its mode "
                                           "alone (Cauchy, StudentT, Gumbel: `mode = AT_LOC`).")


def broadcast_all(*values, owner):
    """values (Python numbers, arrays, Tensors) as Tensors broadcast to their common shape, as PyTorch's
    broadcast_all: float Tensors as they are (their graph kept), the rest as float_tensors makes them.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.distribution import broadcast_all
    >>> loc, scale = broadcast_all(ag.zeros(2, dtype=ag.float32), 1.0, owner="Normal")
    >>> scale
    Tensor([1., 1.], dtype=float32)
    """
    tensors = float_tensors(*values)
    try:
        shape = np.broadcast_shapes(*(tensor.shape for tensor in tensors))
    except ValueError:
        shapes = ", ".join(str(tensor.shape) for tensor in tensors)
        raise ValueError(f"{owner}: the parameters' shapes {shapes} do not broadcast together") from None
    return [broadcast_to_shape(tensor, shape) for tensor in tensors]


def float_tensors(*values):
    """values (Python numbers, arrays, Tensors) as float Tensors, not broadcast: float Tensors as they are (their
    graph kept), float arrays in their dtype; numbers, integer and bool values take the dtype of the first float
    Tensor or array among them, float64 otherwise (as ag.tensor(1.0)).

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.distributions.distribution import float_tensors
    >>> [t.dtype for t in float_tensors(2, np.ones(2, dtype=np.float32))]
    [dtype('float32'), dtype('float32')]
    """
    arrays = [as_value(v) for v in values]
    floating = [a.dtype for a in arrays if isinstance(a, (np.ndarray, np.generic)) and a.dtype.kind == "f"]
    dtype = floating[0] if floating else np.dtype(np.float64)
    tensors = []
    for value, array in zip(values, arrays):
        if isinstance(value, Tensor) and value.dtype.kind == "f":
            tensors.append(value)
        elif isinstance(value, Tensor) or np.result_type(array).kind in "biu" or not isinstance(array, np.ndarray):
            tensors.append(Tensor(np.asarray(array, dtype=dtype)))  # (numbers, integer values: the common dtype)
        else:
            tensors.append(Tensor(array))
    return tensors


def where_above(parameter, bound, formula, otherwise):
    """formula(parameter) where parameter > bound and otherwise elsewhere (a moment that is infinite or undefined
    there: Pareto's, FisherSnedecor's); formula sees bound + 1 in those places, so no 0 / 0 reaches the value or the
    gradient, which is zero there.

    >>> import math, autograd_core as ag
    >>> from autograd_core.distributions.distribution import where_above
    >>> where_above(ag.tensor([3.0, 1.0]), 2, lambda df: df / (df - 2), math.nan)
    Tensor([ 3., nan])
    """
    above = Tensor(parameter.data > bound)
    return where(above, formula(where(above, parameter, bound + 1.0)), otherwise)


def broadcast_to_shape(value, shape):
    """value (a Tensor) broadcast to shape, or value itself when it has that shape already (no node recorded).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.distribution import broadcast_to_shape
    >>> x = ag.zeros(2)
    >>> broadcast_to_shape(x, (2,)) is x, broadcast_to_shape(x, (3, 2)).shape
    (True, (3, 2))
    """
    return value if value.shape == shape else broadcast_to(value, shape)


def sum_rightmost(value, dim):
    """value summed over its dim rightmost axes (value itself for dim 0)."""
    return value.sum(tuple(range(-dim, 0))) if dim > 0 else value


def xlogy(x, y):
    """x * log(y), and 0 where x and y are both 0 (PyTorch's xlogy: a Gamma of concentration 1 has density rate at 0,
    a Poisson's probability of 0 is exp(-rate) even for rate 0), with gradient 0 there. Only there: where y > 0 the
    gradient in x is log(y) also at x = 0 (PyTorch's is 0 at any x = 0, which drops log(value) from the gradient of a
    Gamma's, Beta's or Dirichlet's log_prob in a concentration of exactly 1, the usual flat prior and start).

    >>> from autograd_core.distributions.distribution import xlogy
    >>> import autograd_core as ag
    >>> x = ag.tensor([0.0, 0.0, 2.0], requires_grad=True)
    >>> xlogy(x, ag.tensor([0.0, 0.5, 0.5])).sum().backward(); x.grad
    Tensor([ 0.        , -0.69314718, -0.69314718])
    """
    both_zero = Tensor((np.asarray(as_value(x)) == 0) & (np.asarray(as_value(y)) == 0))
    return where(both_zero, 0.0, x * log(where(both_zero, 1.0, y)))


class lazy_property:  # noqa: N801 (a decorator, spelled as property)
    """A property computed once on first use and then stored on the instance (PyTorch's lazy_property): probs of
    a distribution given logits, and logits of one given probs. It is not a data descriptor, so the parameter that
    was given stands in the instance's __dict__ from the start. It is computed with recording on (PyTorch's
    enable_grad there), so a first use under no_grad (sample's) does not store a constant that cuts the gradient
    of every later use."""

    def __init__(self, compute):
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        with enable_grad():
            value = self.compute(instance)
        setattr(instance, self.compute.__name__, value)
        return value
