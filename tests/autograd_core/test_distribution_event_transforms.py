"""ag.distributions' transforms of whole events (event_transforms.py: IndependentTransform, ReshapeTransform,
LowerCholeskyTransform, PositiveDefiniteTransform, CorrCholeskyTransform, CumulativeDistributionTransform, with
tril_matrix_to_vec/vec_to_tril_matrix) and biject_to/transform_to (constraint_registry.py): maps, inverses,
log|det Jacobian| (against torch's and the autograd Jacobian), shapes, equality and errors; found missing by porting
PyTorch's test_transforms.py and test_constraints.py."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import distributions as D
from autograd_core.autograd.functional import jacobian
from autograd_core.distributions import biject_to, constraints, transform_to
from autograd_core.distributions import transforms as T
from autograd_core.distributions.event_transforms import tril_matrix_to_vec, vec_to_tril_matrix
from tests.conftest import assert_function_matches_torch

RNG = np.random.default_rng(5)

# (ours, torch's name and arguments, points of the domain)
MATRIX_TRANSFORMS = [
    (T.LowerCholeskyTransform, "LowerCholeskyTransform", lambda: RNG.normal(size=(2, 3, 3))),
    (T.PositiveDefiniteTransform, "PositiveDefiniteTransform", lambda: RNG.normal(size=(2, 3, 3))),
    (T.CorrCholeskyTransform, "CorrCholeskyTransform", lambda: RNG.normal(size=(2, 6))),
]


@pytest.mark.parametrize("ours, name, points", MATRIX_TRANSFORMS, ids=[m[1] for m in MATRIX_TRANSFORMS])
def test_matrix_transforms_map_invert_and_differentiate_as_torchs(ours, name, points):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.distributions.transforms, name)()
    x = points()
    assert_function_matches_torch(lambda a: ours()(a), theirs, [x], np.float64, tol_factor=64)
    y = ours()(ag.tensor(x))
    assert y.shape == ours().forward_shape(x.shape) and ours().inverse_shape(y.shape) == x.shape
    assert_function_matches_torch(lambda a: ours().inv(a), theirs.inv, [y.numpy()], np.float64, tol_factor=1e4)
    assert constraints.lower_cholesky.check(y).all() if name != "PositiveDefiniteTransform" else \
        constraints.positive_definite.check(y).all()
    assert ours().bijective == theirs.bijective and ours().domain.event_dim == theirs.domain.event_dim
    assert ours().codomain.event_dim == theirs.codomain.event_dim


def test_corr_cholesky_gives_unit_rows_and_its_log_det_is_the_autograd_jacobians_and_torchs():
    torch = pytest.importorskip("torch")
    t = T.CorrCholeskyTransform()
    x = RNG.normal(size=(3, 6))
    y = t(ag.tensor(x))
    assert y.shape == (3, 4, 4) and constraints.corr_cholesky.check(y).all()
    np.testing.assert_allclose(t.inv(y).numpy(), x, atol=1e-12)
    ours = t.log_abs_det_jacobian(ag.tensor(x), y).numpy()
    theirs = torch.distributions.transforms.CorrCholeskyTransform()
    np.testing.assert_allclose(ours, theirs.log_abs_det_jacobian(torch.tensor(x), theirs(torch.tensor(x))).numpy(),
                               atol=1e-12)
    for row, expected in zip(x, ours):
        jac = jacobian(lambda v: tril_matrix_to_vec(t(v), diag=-1), ag.tensor(row)).numpy()
        np.testing.assert_allclose(np.linalg.slogdet(jac)[1], expected, atol=1e-10)
    with pytest.raises(ValueError, match="no lower triangle"):
        t.forward_shape((4,))
    with pytest.raises(ValueError, match="square"):
        t.inverse_shape((2, 3))


def test_tril_matrix_to_vec_and_back_as_torchs():
    torch = pytest.importorskip("torch")
    from torch.distributions.utils import tril_matrix_to_vec as theirs_to_vec, vec_to_tril_matrix as theirs_to_mat
    m = RNG.normal(size=(2, 4, 4))
    for diag in (-2, -1, 0):
        vec = tril_matrix_to_vec(ag.tensor(m), diag=diag)
        np.testing.assert_array_equal(vec.numpy(), theirs_to_vec(torch.tensor(m), diag=diag).numpy())
        np.testing.assert_array_equal(vec_to_tril_matrix(vec, diag=diag).numpy(),
                                      theirs_to_mat(torch.tensor(vec.numpy()), diag=diag).numpy())
    with pytest.raises(ValueError, match="fill no lower triangle"):
        vec_to_tril_matrix(ag.zeros(4), diag=-1)


def test_independent_transform_sums_the_base_log_det_over_its_event_axes():
    base = T.AffineTransform(ag.tensor(RNG.normal(size=5)), ag.tensor(RNG.normal(size=5)))
    t = T.IndependentTransform(base, 1)
    x = ag.tensor(RNG.normal(size=(4, 5)))
    assert t.domain.event_dim == t.codomain.event_dim == t.event_dim == 1 and t.bijective
    np.testing.assert_allclose(t(x).numpy(), base(x).numpy())
    np.testing.assert_allclose(t.inv(t(x)).numpy(), x.numpy())
    np.testing.assert_allclose(t.log_abs_det_jacobian(x, t(x)).numpy(),
                               base.log_abs_det_jacobian(x, base(x)).numpy().sum(-1))
    assert T.IndependentTransform(T.ExpTransform(), 2).sign == 1
    cached = t.with_cache(1)
    assert cached._cache_size == cached.base_transform._cache_size == 1 and cached(x) is cached(x)
    with pytest.raises(ValueError, match="non-negative int"):
        T.IndependentTransform(base, -1)
    with pytest.raises(ValueError, match=r"needs at least 1 axis, got shape \(\)"):
        t(ag.tensor(1.0))
    with pytest.raises(ValueError, match=r"\.inv: needs at least 2 axes, got shape \(3,\)"):
        T.IndependentTransform(T.ExpTransform(), 2).inv(ag.zeros(3))


def test_reshape_transform_reshapes_the_event_with_a_zero_log_det_and_checks_shapes():
    t = T.ReshapeTransform((4, 5), (2, 5, 2))
    x = ag.tensor(RNG.normal(size=(3, 4, 5)))
    assert t(x).shape == (3, 2, 5, 2) and t.forward_shape((3, 4, 5)) == (3, 2, 5, 2)
    assert t.inv(t(x)).shape == (3, 4, 5) and t.inverse_shape((2, 5, 2)) == (4, 5)
    assert t.log_abs_det_jacobian(x, t(x)).shape == (3,) and not t.log_abs_det_jacobian(x, t(x)).numpy().any()
    assert (t.domain.event_dim, t.codomain.event_dim) == (2, 3)
    with pytest.raises(ValueError, match="different numbers of elements"):
        T.ReshapeTransform((4,), (3,))
    # (ours refuses an input whose trailing shape is not in_shape, call and forward_shape alike; PyTorch's
    # forward_shape raises ValueError, but its call reshapes any input of the right size: (20,) and (5, 4) pass there)
    for call in (lambda: t(ag.zeros(20)), lambda: t(ag.zeros((5, 4))), lambda: t.inv(ag.zeros((5, 4))),
                 lambda: t.forward_shape((5, 4))):
        with pytest.raises((ValueError, RuntimeError), match=r"ReshapeTransform(\.inv)?: expects a shape ending in"):
            call()
    composed = T.ComposeTransform([T.ReshapeTransform((), ()), T.ReshapeTransform((2,), (1, 2)),
                                   T.ReshapeTransform((3, 1, 2), (6,)), T.ReshapeTransform((6,), (2, 3))])
    assert composed.domain.event_dim == composed.codomain.event_dim == 2
    d = D.TransformedDistribution(D.Normal(ag.zeros((5, 3, 2)), 1.0), composed.parts)
    assert (d.batch_shape, d.event_shape, d.support.event_dim) == ((5,), (2, 3), 2)
    assert d.log_prob(d.sample()).shape == (5,)


def test_event_transforms_equality_as_torchs():
    assert T.LowerCholeskyTransform() == T.LowerCholeskyTransform()
    assert T.PositiveDefiniteTransform() == T.PositiveDefiniteTransform()
    assert T.CorrCholeskyTransform() != T.CorrCholeskyTransform()  # (identity, as torch's)
    assert T.ReshapeTransform((2,), (2,)) != T.ReshapeTransform((2,), (2,))
    assert T.LowerCholeskyTransform().inv.inv == T.LowerCholeskyTransform()


def test_cumulative_distribution_transform_is_the_cdf_with_the_log_density_as_log_det():
    torch = pytest.importorskip("torch")
    normal = D.Normal(ag.tensor(0.5), ag.tensor(2.0))
    t = T.CumulativeDistributionTransform(normal)
    theirs = torch.distributions.transforms.CumulativeDistributionTransform(torch.distributions.Normal(0.5, 2.0))
    x = RNG.normal(size=4)
    y = t(ag.tensor(x))
    np.testing.assert_allclose(y.numpy(), theirs(torch.tensor(x)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(t.inv(y).numpy(), x, atol=1e-10)
    np.testing.assert_allclose(t.log_abs_det_jacobian(ag.tensor(x), y).numpy(),
                               theirs.log_abs_det_jacobian(torch.tensor(x), torch.tensor(y.numpy())).numpy())
    assert t.domain is normal.support and t.codomain is constraints.unit_interval and t.sign == 1


CONSTRAINTS = [constraints.real, constraints.real_vector, constraints.positive, constraints.nonnegative,
               constraints.greater_than(ag.tensor([-10., -2, 0, 2, 10])), constraints.greater_than_eq(-2),
               constraints.less_than(ag.tensor([-10., -2, 0, 2, 10])), constraints.less_than(2.0),
               constraints.unit_interval, constraints.interval(ag.tensor([-4., -2, 0, 2, 4]),
                                                               ag.tensor([-3., 3, 1, 5, 5])),
               constraints.half_open_interval(1, 2), constraints.simplex, constraints.corr_cholesky,
               constraints.lower_cholesky, constraints.positive_definite, constraints.positive_semidefinite,
               constraints.independent(constraints.positive, 1),
               constraints.cat([constraints.positive, constraints.real], dim=-1, lengths=[2, 3]),
               constraints.stack([constraints.positive, constraints.unit_interval] * 2 + [constraints.real], dim=0)]


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=repr)
def test_biject_to_and_transform_to_map_onto_the_constraint_and_back(constraint):
    x = ag.tensor(RNG.normal(size=(6, 6) if constraint is constraints.corr_cholesky else (5, 5)))
    t = transform_to(constraint)
    y = t(x)
    assert constraint.check(y).all()
    np.testing.assert_allclose(t(t.inv(y)).numpy(), y.numpy(), atol=1e-8)
    try:
        t = biject_to(constraint)
    except NotImplementedError:
        assert constraint in (constraints.lower_cholesky, constraints.positive_definite,
                              constraints.positive_semidefinite)  # (as torch's, not registered)
        return
    assert t.bijective
    y = t(x)
    assert constraint.check(y).all()
    np.testing.assert_allclose(t.inv(y).numpy(), x.numpy(), atol=1e-8)
    assert t.log_abs_det_jacobian(x, y).shape == x.shape[:x.ndim - t.domain.event_dim]


def test_biject_to_picks_torchs_transforms_and_takes_registrations():
    assert biject_to(constraints.unit_interval) == T.SigmoidTransform()
    assert transform_to(constraints.simplex) == T.SoftmaxTransform()
    assert biject_to(constraints.simplex) == T.StickBreakingTransform()
    assert isinstance(biject_to(constraints.independent(constraints.positive, 1)), T.IndependentTransform)
    with pytest.raises(NotImplementedError, match="^biject_to: Cannot transform _OneHot constraints"):
        biject_to(constraints.one_hot)
    with pytest.raises(NotImplementedError, match="^transform_to: Cannot transform _OneHot constraints"):
        transform_to(constraints.one_hot)

    class Odd(constraints.Constraint):
        def check(self, value):
            return np.asarray(value) % 2 == 1

    registry = D.constraint_registry.ConstraintRegistry()

    @registry.register(Odd)
    def _odd(constraint):
        return T.AffineTransform(1.0, 2.0)

    assert isinstance(registry(Odd()), T.AffineTransform)
    with pytest.raises(TypeError, match="Constraint subclass or instance"):
        registry.register(int, _odd)


def test_independent_cat_and_stack_constraints_are_transformed_part_by_part_by_the_same_registry():
    simplex2 = constraints.independent(constraints.simplex, 1)
    for registry, part in ((biject_to, T.StickBreakingTransform), (transform_to, T.SoftmaxTransform)):
        assert isinstance(registry(simplex2).base_transform, part)
        cat = registry(constraints.cat([constraints.positive, constraints.simplex], dim=-1, lengths=[1, 3]))
        assert isinstance(cat, T.CatTransform) and isinstance(cat.transforms[1], part)
        stack = registry(constraints.stack([constraints.real, simplex2], dim=0))
        assert isinstance(stack, T.StackTransform) and isinstance(stack.transforms[1].base_transform, part)
