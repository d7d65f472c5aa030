"""The sets a distribution's parameters and values live in, as torch.distributions.constraints: each constraint
says whether values belong to it (`check`, elementwise over the batch) and describes itself for the errors that
validation raises. Checks read values only, never the graph: they are NumPy on the data.

>>> from autograd_core.distributions import constraints
>>> constraints.positive.check([1.0, 0.0, -2.0])
array([ True, False, False])
>>> constraints.interval(0.0, 1.0)
Interval(lower_bound=0.0, upper_bound=1.0)
"""
import numpy as np

from ..tensor import as_value

__all__ = ["Constraint", "boolean", "cat", "corr_cholesky", "dependent", "dependent_property", "greater_than",
           "greater_than_eq", "half_open_interval", "independent", "integer_interval", "interval", "is_dependent",
           "less_than", "lower_cholesky", "lower_triangular", "multinomial", "nonnegative", "nonnegative_integer",
           "one_hot", "positive", "positive_definite", "positive_integer", "positive_semidefinite", "real",
           "real_vector", "simplex", "square", "stack", "symmetric", "unit_interval"]


class Constraint:
    """A set of values: check(value) is a boolean array over the batch (the event_dim rightmost axes of an event
    are reduced: True when the whole event belongs). is_discrete marks integer supports.

    >>> from autograd_core.distributions import constraints
    >>> constraints.simplex.event_dim, constraints.simplex.check([[0.5, 0.5], [0.5, 0.6]])
    (1, array([ True, False]))
    """
    is_discrete = False
    event_dim = 0

    def check(self, value):
        raise NotImplementedError(f"{type(self).__name__}.check is not defined")

    def __repr__(self):
        return f"{type(self).__name__[1:]}()"


class _Dependent(Constraint):
    """A constraint that depends on other parameters (Uniform's low and high): not checked on its own. Its
    is_discrete and event_dim are unknown (NotImplementedError, as PyTorch's) unless given."""

    def __init__(self, *, is_discrete=NotImplemented, event_dim=NotImplemented):
        self._is_discrete, self._event_dim = is_discrete, event_dim

    @property
    def is_discrete(self):
        if self._is_discrete is NotImplemented:
            raise NotImplementedError("a dependent constraint's is_discrete is known only from the distribution")
        return self._is_discrete

    @property
    def event_dim(self):
        if self._event_dim is NotImplemented:
            raise NotImplementedError("a dependent constraint's event_dim is known only from the distribution")
        return self._event_dim

    def __call__(self, *, is_discrete=NotImplemented, event_dim=NotImplemented):
        """A dependent constraint that knows its is_discrete and event_dim, as PyTorch's
        constraints.dependent(is_discrete=False, event_dim=0) (Uniform's low and high)."""
        return _Dependent(is_discrete=is_discrete, event_dim=event_dim)

    def check(self, value):
        raise ValueError("a dependent constraint cannot be checked on its own: the distribution checks it")


class dependent_property(property, _Dependent):  # noqa: N801 (a decorator, spelled as PyTorch's)
    """A distribution's support that depends on its parameters, as torch.distributions.constraints'
    dependent_property: on an instance, the property's value; on the class, a dependent constraint that knows the
    is_discrete and event_dim given here (Uniform.support.is_discrete) and raises NotImplementedError for the others.

    >>> from autograd_core.distributions import Binomial, Uniform
    >>> Uniform.support.event_dim, Uniform(0.0, 2.0).support
    (0, Interval(lower_bound=0.0, upper_bound=2.0))
    >>> Binomial.support.is_discrete
    True
    """

    def __init__(self, fn=None, *, is_discrete=NotImplemented, event_dim=NotImplemented):
        property.__init__(self, fn)
        _Dependent.__init__(self, is_discrete=is_discrete, event_dim=event_dim)

    def __call__(self, fn):
        """Decorate fn, keeping the is_discrete and event_dim given (@dependent_property(is_discrete=True))."""
        return dependent_property(fn, is_discrete=self._is_discrete, event_dim=self._event_dim)


def is_dependent(constraint):
    """Whether constraint is dependent (checked by its distribution, not on its own).

    >>> from autograd_core.distributions import constraints
    >>> constraints.is_dependent(constraints.dependent), constraints.is_dependent(constraints.real)
    (True, False)
    """
    return isinstance(constraint, _Dependent)


class _Real(Constraint):
    def check(self, value):
        value = np.asarray(as_value(value))
        return value == value  # (NaN is the one value that is not real here; inf is, as in PyTorch)


class _Boolean(Constraint):
    is_discrete = True

    def check(self, value):
        value = np.asarray(as_value(value))
        return (value == 0) | (value == 1)


class _IntegerInterval(Constraint):
    """The integers in [lower_bound, upper_bound] (integer_interval).

    >>> from autograd_core.distributions import constraints
    >>> constraints.integer_interval(0, 3).check([1.0, 1.5, 4.0])
    array([ True, False, False])
    """
    is_discrete = True

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value):
        value = np.asarray(as_value(value))
        return (value % 1 == 0) & (self.lower_bound <= value) & (value <= self.upper_bound)

    def __repr__(self):
        return f"IntegerInterval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _IntegerGreaterThanEq(Constraint):
    is_discrete = True

    def __init__(self, lower_bound):
        self.lower_bound = lower_bound

    def check(self, value):
        value = np.asarray(as_value(value))
        return (value % 1 == 0) & (value >= self.lower_bound)

    def __repr__(self):
        return f"IntegerGreaterThan(lower_bound={self.lower_bound})"


class _Bounded(Constraint):
    """The bound constraints' common part: check compares the values with the bounds (numbers or Tensors
    broadcasting with the values) by each subclass's _lower and _upper comparisons (None: that side is open), and
    repr shows the bounds as PyTorch's."""
    _lower = _upper = None  # (np.greater, np.greater_equal, np.less or np.less_equal)

    def check(self, value):
        value = np.asarray(as_value(value))
        result = True
        if self._lower is not None:
            result = self._lower(value, as_value(self.lower_bound))
        if self._upper is not None:
            result = result & self._upper(value, as_value(self.upper_bound))
        return result

    def __repr__(self):
        bounds = [f"{name}={_shown(getattr(self, name))}" for name, side in
                  (("lower_bound", self._lower), ("upper_bound", self._upper)) if side is not None]
        return f"{type(self).__name__[1:]}({', '.join(bounds)})"


class _GreaterThan(_Bounded):
    """Values above lower_bound (a number or a Tensor broadcasting with the values): constraints.greater_than, a
    class as PyTorch's (isinstance(c, constraints.greater_than) holds for constraints.positive).

    >>> from autograd_core.distributions import constraints
    >>> constraints.greater_than(2.0).check([1.0, 3.0])
    array([False,  True])
    """
    _lower = np.greater

    def __init__(self, lower_bound):
        self.lower_bound = lower_bound


class _GreaterThanEq(_Bounded):
    """Values at or above lower_bound (constraints.greater_than_eq).

    >>> from autograd_core.distributions import constraints
    >>> constraints.greater_than_eq(2.0).check([2.0, 1.0])
    array([ True, False])
    """
    _lower = np.greater_equal

    def __init__(self, lower_bound):
        self.lower_bound = lower_bound


class _LessThan(_Bounded):
    """Values below upper_bound (constraints.less_than).

    >>> from autograd_core.distributions import constraints
    >>> constraints.less_than(2.0).check([1.0, 3.0])
    array([ True, False])
    """
    _upper = np.less

    def __init__(self, upper_bound):
        self.upper_bound = upper_bound


class _Interval(_Bounded):
    """Values in [lower_bound, upper_bound] (constraints.interval).

    >>> from autograd_core.distributions import constraints
    >>> constraints.interval(0.0, 1.0).check([1.0, 1.5])
    array([ True, False])
    """
    _lower, _upper = np.greater_equal, np.less_equal

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound, self.upper_bound = lower_bound, upper_bound


class _HalfOpenInterval(_Bounded):
    """Values in [lower_bound, upper_bound) (constraints.half_open_interval).

    >>> from autograd_core.distributions import constraints
    >>> constraints.half_open_interval(0.0, 1.0).check([0.0, 1.0])
    array([ True, False])
    """
    _lower, _upper = np.greater_equal, np.less

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound, self.upper_bound = lower_bound, upper_bound


class _Independent(Constraint):
    """base_constraint over events of reinterpreted_batch_ndims more axes: all of them must hold (independent).

    >>> from autograd_core.distributions import constraints
    >>> constraints.independent(constraints.positive, 1).check([[1.0, 2.0], [1.0, -1.0]])
    array([ True, False])
    """

    def __init__(self, base_constraint, reinterpreted_batch_ndims):
        self.base_constraint, self.reinterpreted_batch_ndims = base_constraint, reinterpreted_batch_ndims

    # (read when asked, as PyTorch's: a dependent base knows them only from its distribution)
    @property
    def is_discrete(self):
        return self.base_constraint.is_discrete

    @property
    def event_dim(self):
        return self.base_constraint.event_dim + self.reinterpreted_batch_ndims

    def check(self, value):
        result = self.base_constraint.check(value)
        axes = tuple(range(-self.reinterpreted_batch_ndims, 0))
        return np.all(result, axis=axes) if axes else result

    def __repr__(self):
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


class _Cat(Constraint):
    """Each constraint of cseq on its slice of lengths[i] entries along dim (cat; lengths default to 1 each), as
    PyTorch's constraints.cat: CatTransform's domain and codomain.

    >>> from autograd_core.distributions import constraints
    >>> constraints.cat([constraints.positive, constraints.real], dim=0, lengths=[2, 1]).check([1.0, -1.0, -1.0])
    array([ True, False,  True])
    """

    def __init__(self, cseq, dim=0, lengths=None):
        self.cseq, self.dim = list(cseq), dim
        self.lengths = [1] * len(self.cseq) if lengths is None else list(lengths)
        if len(self.lengths) != len(self.cseq):
            raise ValueError(f"constraints.cat: {len(self.lengths)} lengths for {len(self.cseq)} constraints")

    @property
    def is_discrete(self):
        return any(c.is_discrete for c in self.cseq)

    @property
    def event_dim(self):
        return max(c.event_dim for c in self.cseq)

    def check(self, value):
        value = np.asarray(as_value(value))
        starts = np.cumsum([0] + self.lengths[:-1])
        return np.concatenate([np.asarray(c.check(np.take(value, range(start, start + length), axis=self.dim)))
                               for c, start, length in zip(self.cseq, starts, self.lengths)], axis=self.dim)

    def __repr__(self):
        return f"Cat({self.cseq!r}, dim={self.dim}, lengths={self.lengths})"


class _Stack(Constraint):
    """Each constraint of cseq on its slice (index i) along dim (stack), as PyTorch's constraints.stack:
    StackTransform's domain and codomain.

    >>> from autograd_core.distributions import constraints
    >>> constraints.stack([constraints.positive, constraints.real], dim=0).check([[1.0, -1.0], [-1.0, -1.0]])
    array([[ True, False],
           [ True,  True]])
    """

    def __init__(self, cseq, dim=0):
        self.cseq, self.dim = list(cseq), dim

    @property
    def is_discrete(self):
        return any(c.is_discrete for c in self.cseq)

    @property
    def event_dim(self):
        event_dim = max(c.event_dim for c in self.cseq)
        return event_dim + 1 if self.dim + event_dim < 0 else event_dim  # (a dim inside the event)

    def check(self, value):
        value = np.asarray(as_value(value))
        if value.shape[self.dim] != len(self.cseq):
            raise ValueError(f"constraints.stack: the value's axis {self.dim} has {value.shape[self.dim]} entries for "
                             f"{len(self.cseq)} constraints")
        return np.stack([np.asarray(c.check(np.take(value, i, axis=self.dim))) for i, c in enumerate(self.cseq)],
                        axis=self.dim)

    def __repr__(self):
        return f"Stack({self.cseq!r}, dim={self.dim})"


class _Simplex(Constraint):
    event_dim = 1

    def check(self, value):
        value = np.asarray(as_value(value))
        return np.all(value >= 0, axis=-1) & (np.abs(value.sum(-1) - 1) < 1e-6)


class _OneHot(Constraint):
    is_discrete = True
    event_dim = 1

    def check(self, value):
        value = np.asarray(as_value(value))
        return np.all((value == 0) | (value == 1), axis=-1) & (value.sum(-1) == 1)


class _Multinomial(Constraint):
    """Vectors of non-negative counts summing to at most upper_bound (constraints.multinomial, as PyTorch's).

    >>> from autograd_core.distributions import constraints
    >>> constraints.multinomial(3).check([[1.0, 2.0], [2.0, 2.0], [-1.0, 1.0]])
    array([ True, False, False])
    """
    is_discrete = True
    event_dim = 1

    def __init__(self, upper_bound):
        self.upper_bound = upper_bound

    def check(self, value):
        value = np.asarray(as_value(value))
        return np.all(value >= 0, axis=-1) & (value.sum(-1) <= self.upper_bound)


class _LowerCholesky(Constraint):
    event_dim = 2

    def check(self, value):
        value = np.asarray(as_value(value))
        return lower_triangular.check(value) & np.all(np.diagonal(value, axis1=-2, axis2=-1) > 0, axis=-1)


class _LowerTriangular(Constraint):
    event_dim = 2

    def check(self, value):
        value = np.asarray(as_value(value))
        return np.all(np.tril(value) == value, axis=(-2, -1))  # (as PyTorch's: a NaN anywhere is not lower triangular)


class _CorrCholesky(Constraint):
    """Lower Cholesky factors of correlation matrices: lower_cholesky with rows of unit norm (within 10 eps times
    the size, as PyTorch's)."""
    event_dim = 2

    def check(self, value):
        value = np.asarray(as_value(value))
        tol = np.finfo(value.dtype if value.dtype.kind == "f" else np.float64).eps * value.shape[-1] * 10
        unit_rows = np.all(np.abs(np.linalg.norm(value, axis=-1) - 1.0) <= tol, axis=-1)
        return lower_cholesky.check(value) & unit_rows


class _Square(Constraint):
    """Square matrices: check is over the batch, all True or all False (PyTorch's constraints.square)."""
    event_dim = 2

    def check(self, value):
        value = np.asarray(as_value(value))
        return np.full(value.shape[:-2], value.shape[-2] == value.shape[-1], dtype=bool)


class _Symmetric(_Square):
    def check(self, value):
        square = super().check(value)
        if not square.all():
            return square
        value = np.asarray(as_value(value))
        return np.all(np.isclose(value, np.swapaxes(value, -1, -2), atol=1e-6), axis=(-2, -1))


class _PositiveSemidefinite(_Symmetric):
    def check(self, value):
        symmetric = super().check(value)
        if not symmetric.all():
            return symmetric
        return np.all(np.linalg.eigvalsh(np.asarray(as_value(value), dtype=np.float64)) >= 0, axis=-1)


class _PositiveDefinite(_Symmetric):
    """Symmetric matrices with a Cholesky factor (PyTorch's test: cholesky_ex succeeds), so a singular positive
    semidefinite matrix is not positive definite even where rounding makes its smallest eigenvalue positive."""

    def check(self, value):
        symmetric = super().check(value)
        if not symmetric.all():
            return symmetric
        value = np.asarray(as_value(value), dtype=np.float64)
        try:  # (one batched factorisation when every matrix has one, the common case)
            np.linalg.cholesky(value)
        except np.linalg.LinAlgError:
            flat = value.reshape((-1,) + value.shape[-2:])
            return np.array([_has_cholesky(matrix) for matrix in flat], dtype=bool).reshape(value.shape[:-2])
        return np.ones(value.shape[:-2], dtype=bool)


def _has_cholesky(matrix):
    """Whether the Cholesky factorisation of a symmetric matrix finds every pivot positive."""
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return False
    return True


def _shown(bound):
    """A bound as PyTorch's repr shows it: the number, or the shape of a Tensor of several."""
    value = as_value(bound)
    return float(np.asarray(value).item()) if np.size(value) == 1 else f"shape {np.shape(value)}"  # (shape (1,) too)


dependent = _Dependent()
real = _Real()
real_vector = _Independent(real, 1)
boolean = _Boolean()
nonnegative_integer = _IntegerGreaterThanEq(0)
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
unit_interval = _Interval(0.0, 1.0)
simplex = _Simplex()
one_hot = _OneHot()
lower_cholesky = _LowerCholesky()
positive_definite = _PositiveDefinite()
positive_semidefinite = _PositiveSemidefinite()
positive_integer = _IntegerGreaterThanEq(1)
lower_triangular = _LowerTriangular()
corr_cholesky = _CorrCholesky()
square = _Square()
symmetric = _Symmetric()
integer_interval = _IntegerInterval
independent = _Independent
cat = _Cat
stack = _Stack
# (classes, as PyTorch's: isinstance(c, constraints.interval) and biject_to.register(constraints.greater_than) work)
greater_than = _GreaterThan
greater_than_eq = _GreaterThanEq
less_than = _LessThan
interval = _Interval
half_open_interval = _HalfOpenInterval
multinomial = _Multinomial
