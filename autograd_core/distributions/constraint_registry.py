"""Transforms onto constraints, as torch.distributions.constraint_registry: biject_to(c) is a bijective transform
from the unconstrained space (real numbers, vectors or matrices) onto c, whose log_abs_det_jacobian HMC-style
samplers use; transform_to(c) maps onto c, not always bijectively (SoftmaxTransform for the simplex, a Cholesky
parametrisation for positive definite matrices), for optimising constrained parameters. Both are registries keyed
by the constraint's class: register(constraint, factory) adds one (a constraint class, such as
constraints.greater_than, or an instance standing for its class).

>>> import autograd_core as ag
>>> from autograd_core.distributions import biject_to, constraints
>>> t = biject_to(constraints.positive)
>>> t(ag.tensor(0.0)), constraints.positive.check(t(ag.tensor([-30.0, 30.0])))
(Tensor(1.), array([ True,  True]))
"""
import numbers

from . import constraints
from .event_transforms import CorrCholeskyTransform, IndependentTransform, LowerCholeskyTransform, \
    PositiveDefiniteTransform
from .transform_functors import CatTransform, StackTransform
from .transforms import AffineTransform, ComposeTransform, ExpTransform, SigmoidTransform, SoftmaxTransform, \
    StickBreakingTransform, identity_transform

__all__ = ["ConstraintRegistry", "biject_to", "transform_to"]


class ConstraintRegistry:
    """Factories of transforms by constraint class, as PyTorch's ConstraintRegistry: registry(c) calls the factory
    registered for type(c) with c. name (not in PyTorch) is what its errors call it.

    >>> from autograd_core.distributions import constraints
    >>> from autograd_core.distributions.constraint_registry import ConstraintRegistry
    >>> from autograd_core.distributions.transforms import ExpTransform
    >>> registry = ConstraintRegistry()
    >>> registry.register(constraints.positive, lambda c: ExpTransform())(constraints.positive)
    ExpTransform()
    """

    def __init__(self, name="ConstraintRegistry"):
        self._registry, self._name = {}, name  # (name: which registry the errors name)

    def register(self, constraint, factory=None):
        """Register factory for constraint (a Constraint class or an instance, which stands for its class); without
        factory, a decorator."""
        if factory is None:
            return lambda factory: self.register(constraint, factory)
        if isinstance(constraint, constraints.Constraint):
            constraint = type(constraint)
        if not isinstance(constraint, type) or not issubclass(constraint, constraints.Constraint):
            raise TypeError(f"register: expects a Constraint subclass or instance, got {constraint!r}")
        self._registry[constraint] = factory
        return factory

    def __call__(self, constraint):
        factory = self._registry.get(type(constraint))  # (its own class only, as PyTorch's)
        if factory is None:
            raise NotImplementedError(f"{self._name}: Cannot transform {type(constraint).__name__} constraints "
                                      f"(none registered for that class)")
        return factory(constraint)


biject_to = ConstraintRegistry("biject_to")
transform_to = ConstraintRegistry("transform_to")


def _both(constraint):
    return lambda factory: transform_to.register(constraint, biject_to.register(constraint, factory))


def _each(constraint):
    """Register factory(registry, constraint) in both registries, each calling it with itself (for the constraints
    built of others: the parts are transformed by the same registry)."""
    def register(factory):
        for registry in (biject_to, transform_to):
            registry.register(constraint, lambda c, registry=registry: factory(registry, c))
        return factory
    return register


@_both(constraints.real)
def _to_real(constraint):
    return identity_transform


@_each(constraints.independent)
def _to_independent(registry, constraint):
    return IndependentTransform(registry(constraint.base_constraint), constraint.reinterpreted_batch_ndims)


@_both(constraints.greater_than)  # (positive and nonnegative are instances of these two)
@_both(constraints.greater_than_eq)
def _to_greater_than(constraint):
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.lower_bound, 1)])


@_both(constraints.less_than)
def _to_less_than(constraint):
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.upper_bound, -1)])


@_both(constraints.interval)
@_both(constraints.half_open_interval)
def _to_interval(constraint):
    low, high = constraint.lower_bound, constraint.upper_bound
    if isinstance(low, numbers.Number) and isinstance(high, numbers.Number) and low == 0 and high == 1:
        return SigmoidTransform()
    return ComposeTransform([SigmoidTransform(), AffineTransform(low, high - low)])


@biject_to.register(constraints.simplex)
def _biject_to_simplex(constraint):
    return StickBreakingTransform()


@transform_to.register(constraints.simplex)
def _transform_to_simplex(constraint):
    return SoftmaxTransform()


@transform_to.register(constraints.lower_cholesky)
def _transform_to_lower_cholesky(constraint):
    return LowerCholeskyTransform()


@transform_to.register(constraints.positive_definite)
@transform_to.register(constraints.positive_semidefinite)
def _transform_to_positive_definite(constraint):
    return PositiveDefiniteTransform()


@_both(constraints.corr_cholesky)
def _to_corr_cholesky(constraint):
    return CorrCholeskyTransform()


@_each(constraints.cat)
def _to_cat(registry, constraint):
    return CatTransform([registry(c) for c in constraint.cseq], constraint.dim, constraint.lengths)


@_each(constraints.stack)
def _to_stack(registry, constraint):
    return StackTransform([registry(c) for c in constraint.cseq], constraint.dim)
