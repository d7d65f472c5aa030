"""ag.distributions.constraints (autograd_core/distributions/constraints.py): dependent supports. A support that
depends on the parameters (Uniform's, Binomial's, Independent's ...) is a dependent_property, as PyTorch's: on an
instance it is the constraint of those parameters; on the class it is a dependent constraint that knows the
is_discrete and event_dim every instance shares and raises NotImplementedError for what only an instance knows."""
import numpy as np
import pytest

import autograd_core as ag

from autograd_core import distributions as D
from autograd_core.distributions import constraints

# (class, is_discrete, event_dim) known on the class, as PyTorch declares them; None: NotImplementedError
_DEPENDENT_SUPPORTS = [(D.Uniform, False, 0), (D.Binomial, True, 0), (D.Categorical, True, 0), (D.Pareto, False, 0),
                       (D.TransformedDistribution, False, None), (D.Independent, None, None),
                       (D.MixtureSameFamily, None, None)]


@pytest.mark.parametrize("dist, is_discrete, event_dim", _DEPENDENT_SUPPORTS)
def test_a_dependent_support_on_the_class_knows_what_every_instance_shares(dist, is_discrete, event_dim):
    support = dist.support
    assert constraints.is_dependent(support)
    for name, expected in (("is_discrete", is_discrete), ("event_dim", event_dim)):
        if expected is None:
            with pytest.raises(NotImplementedError, match=f"dependent constraint's {name}"):
                getattr(support, name)
        else:
            assert getattr(support, name) == expected


def test_a_dependent_support_on_an_instance_is_the_parameters_constraint():
    d = D.Uniform(1.0, 3.0)
    assert not constraints.is_dependent(d.support)
    assert d.support.check([0.5, 2.0]).tolist() == [False, True]
    assert D.Independent(D.Uniform(1.0, 3.0).expand((2,)), 1).support.event_dim == 1
    assert D.Binomial(4, probs=0.5).support.check([4.0, 5.0]).tolist() == [True, False]


def test_dependent_and_dependent_property_as_torchs():
    torch = pytest.importorskip("torch")
    assert constraints.is_dependent(constraints.dependent) and not constraints.is_dependent(constraints.positive)
    with pytest.raises(NotImplementedError):
        constraints.dependent.event_dim
    for dist, _, _ in _DEPENDENT_SUPPORTS:
        theirs = getattr(torch.distributions, dist.__name__).support
        assert torch.distributions.constraints.is_dependent(theirs)
        for name in ("is_discrete", "event_dim"):
            try:
                expected = getattr(theirs, name)
            except NotImplementedError:
                with pytest.raises(NotImplementedError):
                    getattr(dist.support, name)
            else:
                assert getattr(dist.support, name) == expected, (dist, name)


def test_dependent_property_decorates_with_or_without_arguments():
    class Shifted:
        def __init__(self, low):
            self.low = low

        @constraints.dependent_property
        def plain(self):
            return constraints.greater_than(self.low)

        @constraints.dependent_property(is_discrete=False, event_dim=0)
        def declared(self):
            return constraints.greater_than(self.low)

    assert Shifted(2.0).plain.check([1.0, 3.0]).tolist() == [False, True]
    assert Shifted(2.0).declared.check([1.0, 3.0]).tolist() == [False, True]
    assert Shifted.declared.event_dim == 0 and not Shifted.declared.is_discrete
    with pytest.raises(NotImplementedError):
        Shifted.plain.is_discrete


def test_dependent_called_knows_its_is_discrete_and_event_dim_as_uniforms_parameters():
    declared = constraints.dependent(is_discrete=False, event_dim=0)
    assert constraints.is_dependent(declared) and declared.event_dim == 0 and declared.is_discrete is False
    with pytest.raises(NotImplementedError):
        constraints.dependent(event_dim=1).is_discrete
    for name in ("low", "high"):
        assert D.Uniform.arg_constraints[name].event_dim == 0
    with pytest.raises(ValueError, match="dependent constraint cannot be checked"):
        declared.check(1.0)
    torch = pytest.importorskip("torch")
    theirs = torch.distributions.Uniform(0.0, 1.0).arg_constraints["low"]
    assert (theirs.event_dim, theirs.is_discrete) == (declared.event_dim, declared.is_discrete)


def test_a_value_outside_a_support_with_one_element_bounds_is_reported_with_the_bound():
    # (the bound of shape (1,), Pareto(tensor([1.0]), ...)'s scale: its repr made a TypeError of NumPy's float()
    # instead of the ValueError naming the support)
    with pytest.raises(ValueError, match=r"support GreaterThanEq\(lower_bound=1.0\)"):
        D.Pareto(ag.tensor([1.0]), 1.0).log_prob(ag.tensor(-2.0))
    with pytest.raises(ValueError, match=r"support Interval\(lower_bound=0.0, upper_bound=1.0\)"):
        D.Uniform(ag.zeros(1), ag.ones(1)).log_prob(ag.tensor(-2.0))
    assert repr(constraints.interval(ag.zeros((1, 1)), 2.0)) == "Interval(lower_bound=0.0, upper_bound=2.0)"


def test_constraints_built_on_a_dependent_one_are_made_and_raise_only_when_their_event_dim_is_read_as_torchs():
    for made in (lambda: constraints.independent(constraints.dependent, 1),
                 lambda: constraints.cat([constraints.dependent, constraints.real]),
                 lambda: constraints.stack([constraints.dependent, constraints.real])):
        constraint = made()  # (it raised NotImplementedError here: its event_dim was read when it was made)
        with pytest.raises(NotImplementedError, match="known only from the distribution"):
            constraint.event_dim
    assert constraints.independent(constraints.positive, 2).event_dim == 2
    assert constraints.stack([constraints.positive, constraints.real], dim=-1).event_dim == 1


# (PyTorch's test_constraints.py EXAMPLES: constraint, whether every matrix belongs, value)
_MATRIX_EXAMPLES = [
    ("symmetric", False, [[2., 0], [2., 2]]), ("positive_semidefinite", False, [[2., 0], [2., 2]]),
    ("positive_definite", False, [[2., 0], [2., 2]]), ("symmetric", True, [[3., -5], [-5., 3]]),
    ("positive_semidefinite", False, [[3., -5], [-5., 3]]), ("positive_definite", False, [[3., -5], [-5., 3]]),
    ("symmetric", True, [[1., 2], [2., 4]]), ("positive_semidefinite", True, [[1., 2], [2., 4]]),
    ("positive_definite", False, [[1., 2], [2., 4]]),
    ("positive_semidefinite", True, [[[1., -2], [-2., 4]], [[1., -1], [-1., 1]]]),
    ("positive_definite", False, [[[1., -2], [-2., 4]], [[1., -1], [-1., 1]]]),
    ("positive_definite", True, [[[4., 2], [2., 4]], [[3., -1], [-1., 3]]]),
]


@pytest.mark.parametrize("name, result, value", _MATRIX_EXAMPLES)
def test_matrix_constraints_check_as_torchs_examples(name, result, value):
    # (symmetric, positive_semidefinite and the others below were missing; found by porting test_constraints.py)
    assert bool(getattr(constraints, name).check(ag.tensor(value)).all()) == result


def test_less_than_square_lower_triangular_corr_cholesky_and_positive_integer_as_torchs():
    torch = pytest.importorskip("torch")
    tc = torch.distributions.constraints
    rng = np.random.default_rng(0)
    corr = np.tril(rng.normal(size=(3, 4, 4)))
    corr /= np.linalg.norm(corr, axis=-1, keepdims=True)
    corr[1, 0, 0] = -corr[1, 0, 0]  # (a negative diagonal: not a Cholesky factor)
    values = {"less_than": rng.normal(size=(3, 5)), "square": rng.normal(size=(2, 3, 3)),
              "lower_triangular": np.tril(rng.normal(size=(2, 3, 3))), "corr_cholesky": corr,
              "positive_integer": np.array([0.0, 1.0, 2.5, 3.0])}
    for name, value in values.items():
        ours, theirs = getattr(constraints, name), getattr(tc, name)
        if name == "less_than":
            ours, theirs = ours(0.5), theirs(0.5)
        assert ours.event_dim == theirs.event_dim and ours.is_discrete == theirs.is_discrete, name
        np.testing.assert_array_equal(ours.check(ag.tensor(value)), theirs.check(torch.tensor(value)).numpy())
        assert repr(ours) == repr(theirs)
    np.testing.assert_array_equal(constraints.square.check(np.zeros((3, 2, 3))), [False] * 3)


def test_bounded_constraints_are_classes_as_torchs_so_isinstance_and_registration_take_them():
    # (greater_than, greater_than_eq, less_than, interval and half_open_interval were functions here: PyTorch's
    # isinstance(domain, constraints.interval), as its test_transforms.py writes, raised TypeError)
    from autograd_core.distributions import biject_to
    from autograd_core.distributions.constraint_registry import ConstraintRegistry
    assert isinstance(constraints.unit_interval, constraints.interval)
    assert isinstance(constraints.positive, constraints.greater_than)
    assert isinstance(constraints.nonnegative, constraints.greater_than_eq)
    assert not isinstance(constraints.nonnegative, constraints.greater_than)
    assert isinstance(constraints.half_open_interval(0, 1), constraints.half_open_interval)
    assert not isinstance(constraints.half_open_interval(0, 1), constraints.interval)
    assert isinstance(constraints.less_than(1.0), constraints.less_than)
    registry = ConstraintRegistry()
    registry.register(constraints.interval, lambda c: "interval")
    assert registry(constraints.interval(-1.0, 2.0)) == "interval"
    assert biject_to(constraints.greater_than_eq(2.0))(ag.tensor(0.0)).item() == 3.0


def test_multinomial_constraint_and_identity_transform_as_torchs():
    # (constraints.multinomial and distributions.identity_transform were missing; found by porting
    # test_constraints.py and test_transforms.py)
    torch = pytest.importorskip("torch")
    from autograd_core.distributions import identity_transform
    value = [[1.0, 2.0], [2.0, 2.0], [-1.0, 1.0], [0.0, 0.0]]
    ours, theirs = constraints.multinomial(3), torch.distributions.constraints.multinomial(3)
    np.testing.assert_array_equal(ours.check(value), theirs.check(torch.tensor(value)).numpy())
    assert (ours.event_dim, ours.is_discrete, repr(ours)) == (theirs.event_dim, theirs.is_discrete, repr(theirs))
    assert identity_transform == identity_transform.inv and identity_transform(ag.tensor(2.0)).item() == 2.0


def test_lower_triangular_and_lower_cholesky_reject_a_nan_anywhere_as_torchs():
    # (only the upper triangle was compared with 0, so a NaN on or below the diagonal passed; PyTorch compares
    # tril(v) == v, false at a NaN)
    torch = pytest.importorskip("torch")
    tc = torch.distributions.constraints
    value = np.array([[[np.nan, 0.0], [1.0, 2.0]], [[1.0, 0.0], [np.nan, 1.0]], [[1.0, 0.0], [1.0, 2.0]],
                      [[1.0, np.nan], [1.0, 1.0]]])
    for name in ("lower_triangular", "lower_cholesky"):
        ours = getattr(constraints, name).check(ag.tensor(value))
        np.testing.assert_array_equal(ours, getattr(tc, name).check(torch.tensor(value)).numpy())
        np.testing.assert_array_equal(ours, [False, False, True, False])


def test_positive_definite_checks_a_batch_with_and_without_failing_matrices_as_torchs():
    # (one batched Cholesky factorisation, then one per matrix only when some matrix has none)
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    a = rng.normal(size=(6, 3, 3))
    value = a @ np.swapaxes(a, -1, -2) + np.eye(3)
    theirs = torch.distributions.constraints.positive_definite
    np.testing.assert_array_equal(constraints.positive_definite.check(ag.tensor(value)), [True] * 6)
    value[[1, 4]] = -value[[1, 4]]
    ours = constraints.positive_definite.check(ag.tensor(value))
    np.testing.assert_array_equal(ours, theirs.check(torch.tensor(value)).numpy())
    np.testing.assert_array_equal(ours, [True, False, True, True, False, True])
    assert constraints.positive_definite.check(np.zeros((0, 2, 2))).shape == (0,)


def test_bound_constraints_check_and_repr_as_torchs():
    torch = pytest.importorskip("torch")
    tc = torch.distributions.constraints
    value = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, np.nan])
    for name, bounds in (("greater_than", (0.0,)), ("greater_than_eq", (0.0,)), ("less_than", (1.0,)),
                         ("interval", (0.0, 1.0)), ("half_open_interval", (0.0, 1.0))):
        ours, theirs = getattr(constraints, name)(*bounds), getattr(tc, name)(*bounds)
        np.testing.assert_array_equal(ours.check(ag.tensor(value)), theirs.check(torch.tensor(value)).numpy())
        assert repr(ours) == repr(theirs), name
