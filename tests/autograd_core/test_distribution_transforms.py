"""ag.distributions.transforms and TransformedDistribution: each transform's map, inverse and log|det Jacobian|
against NumPy formulas, against a finite-difference derivative of the map, and against torch's; composition and
.inv; the cache; equality; TransformedDistribution's shapes, log_prob (the change of variables), sample, rsample,
cdf and icdf against closed forms and torch; errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings

import autograd_core as ag
from autograd_core import distributions as D
from autograd_core.distributions import constraints, transforms as T
from autograd_core.distributions.transforms import (AffineTransform, CatTransform, ExpTransform, StackTransform,
                                                    identity_transform)
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import elements, float_arrays

RNG = np.random.default_rng(3)
LOG_2PI = math.log(2 * math.pi)

# (name, ours, theirs(torch), forward in NumPy, points of the domain)
ELEMENTWISE = [
    ("Exp", lambda: T.ExpTransform(), lambda t: t.distributions.transforms.ExpTransform(), np.exp,
     lambda: RNG.normal(size=(3, 4))),
    ("Affine", lambda: T.AffineTransform(0.5, -2.0), lambda t: t.distributions.transforms.AffineTransform(0.5, -2.0),
     lambda x: 0.5 - 2.0 * x, lambda: RNG.normal(size=(3, 4))),
    ("Sigmoid", lambda: T.SigmoidTransform(), lambda t: t.distributions.transforms.SigmoidTransform(),
     lambda x: 1 / (1 + np.exp(-x)), lambda: RNG.normal(0, 3, size=(3, 4))),
    ("Tanh", lambda: T.TanhTransform(), lambda t: t.distributions.transforms.TanhTransform(), np.tanh,
     lambda: RNG.normal(0, 2, size=(3, 4))),
    ("Softplus", lambda: T.SoftplusTransform(), lambda t: t.distributions.transforms.SoftplusTransform(),
     lambda x: np.log1p(np.exp(x)), lambda: RNG.normal(0, 2, size=(3, 4))),
    ("Power", lambda: T.PowerTransform(-1.5),
     lambda t: t.distributions.transforms.PowerTransform(t.tensor(-1.5, dtype=t.float64)),
     lambda x: x ** -1.5, lambda: RNG.uniform(0.3, 3, size=(3, 4))),
]
IDS = [name for name, *_ in ELEMENTWISE]


@pytest.mark.parametrize("name,ours,theirs,forward,points", ELEMENTWISE, ids=IDS)
def test_elementwise_transforms_map_invert_and_give_the_log_derivative(name, ours, theirs, forward, points):
    transform, x = ours(), points()
    y = transform(x)
    np.testing.assert_allclose(y.data, forward(x), rtol=1e-12)
    np.testing.assert_allclose(transform.inv(y).data, x, rtol=1e-7, atol=1e-9)
    h = 1e-6  # (log|dy/dx| by a central difference of the NumPy map)
    numeric = np.log(np.abs((forward(x + h) - forward(x - h)) / (2 * h)))
    np.testing.assert_allclose(transform.log_abs_det_jacobian(x, y).data, numeric, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(transform.inv.log_abs_det_jacobian(y, x).data, -numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name,ours,theirs,forward,points", ELEMENTWISE, ids=IDS)
def test_elementwise_transforms_match_torch(name, ours, theirs, forward, points):
    torch = pytest.importorskip("torch")
    ours, theirs, x = ours(), theirs(torch), points()
    y, their_y = ours(x), theirs(torch.tensor(x))
    np.testing.assert_allclose(y.data, their_y.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.inv(y).data, theirs.inv(their_y).numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.log_abs_det_jacobian(x, y).data,
                               theirs.log_abs_det_jacobian(torch.tensor(x), their_y).numpy(), rtol=1e-12, atol=1e-14)
    assert ours.sign == theirs.sign and ours.bijective == theirs.bijective
    assert ours.domain.event_dim == theirs.domain.event_dim


@settings(max_examples=10, deadline=None)
@given(float_arrays((2, 3), elements=elements(-4, 4)), float_arrays((2, 3), elements=elements(0.3, 3)))
def test_transform_gradients_match_finite_differences(x, scale):
    for transform in [T.ExpTransform(), T.SigmoidTransform(), T.TanhTransform(), T.SoftplusTransform()]:
        assert gradcheck(lambda v: transform(v) + transform.log_abs_det_jacobian(v, transform(v)), x)
    assert gradcheck(lambda v, e: T.PowerTransform(e)(v) + T.PowerTransform(e).log_abs_det_jacobian(v, v ** e),
                     scale, -scale / 2)
    assert gradcheck(lambda v, s: T.AffineTransform(1.0, s).inv(v) + T.AffineTransform(1.0, s)
                     .log_abs_det_jacobian(v, v), x, scale)
    assert gradcheck(lambda v: T.SoftmaxTransform()(v), x)


def test_tanh_log_derivative_stays_finite_for_large_inputs():
    x = ag.tensor([-40.0, 0.0, 40.0])
    got = T.TanhTransform().log_abs_det_jacobian(x, T.TanhTransform()(x)).data
    np.testing.assert_allclose(got, [2 * (math.log(2) - 40), 0.0, 2 * (math.log(2) - 40)], rtol=1e-12)


def test_affine_transform_over_events_sums_the_log_scales():
    scale = np.array([2.0, -0.5, 3.0])
    transform = T.AffineTransform(np.zeros(3), scale, event_dim=1)
    x = RNG.normal(size=(4, 3))
    assert transform.domain.event_dim == 1 and transform.codomain.event_dim == 1
    np.testing.assert_allclose(transform.log_abs_det_jacobian(x, transform(x)).data,
                               np.full(4, np.log(np.abs(scale)).sum()), rtol=1e-12)
    assert transform.forward_shape((5, 1, 3)) == (5, 1, 3)
    np.testing.assert_array_equal(transform.sign.numpy(), [1.0, -1.0, 1.0])  # (elementwise, as PyTorch's)


def test_compose_applies_in_order_and_inverts_in_reverse():
    compose = T.ComposeTransform([T.AffineTransform(1.0, 2.0), T.ExpTransform(), T.AffineTransform(0.0, 3.0)])
    x = RNG.normal(size=5)
    y = compose(x)
    np.testing.assert_allclose(y.data, 3 * np.exp(1 + 2 * x), rtol=1e-12)
    np.testing.assert_allclose(compose.inv(y).data, x, rtol=1e-10)
    # (log|d/dx 3 exp(1 + 2x)| = log 6 + 1 + 2x)
    np.testing.assert_allclose(compose.log_abs_det_jacobian(x, y).data, math.log(6) + 1 + 2 * x, rtol=1e-12)
    assert compose.inv.inv is compose and compose.sign == 1 and compose.bijective
    assert T.ComposeTransform([T.AffineTransform(0.0, -1.0), T.ExpTransform()]).sign == -1
    np.testing.assert_array_equal(T.identity_transform(x).data, x)


def test_compose_with_an_event_transform_sums_the_elementwise_terms_over_the_event():
    compose = T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.0, np.ones(3), event_dim=1)])
    x = RNG.normal(size=(2, 3))
    assert compose.domain.event_dim == 1
    np.testing.assert_allclose(compose.log_abs_det_jacobian(x, compose(x)).data, x.sum(-1), rtol=1e-12)


def test_softmax_and_abs_are_not_bijective():
    x = RNG.normal(size=(2, 4))
    y = T.SoftmaxTransform()(x)
    np.testing.assert_allclose(y.data, np.exp(x) / np.exp(x).sum(-1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(T.SoftmaxTransform()(T.SoftmaxTransform().inv(y)).data, y.data, rtol=1e-12)
    assert not T.SoftmaxTransform().bijective and T.SoftmaxTransform().codomain.event_dim == 1
    np.testing.assert_array_equal(T.AbsTransform()(ag.tensor([-2.0, 3.0])).data, [2.0, 3.0])
    with pytest.raises(NotImplementedError, match="SoftmaxTransform.log_abs_det_jacobian"):
        T.SoftmaxTransform().log_abs_det_jacobian(x, y)


def test_cache_returns_the_input_that_made_the_output():
    cached, plain = T.TanhTransform(cache_size=1), T.TanhTransform()
    x = ag.tensor([25.0])  # (tanh(25) rounds to 1: atanh would give inf)
    assert cached.inv(cached(x)) is x
    with np.errstate(divide="ignore"):
        assert np.isinf(plain.inv(plain(x)).item())
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        T.ExpTransform(cache_size=2)


def test_equality_as_pytorch():
    assert T.ExpTransform() == T.ExpTransform() and T.ExpTransform() != T.SigmoidTransform()
    assert T.AffineTransform(1.0, 2.0) == T.AffineTransform(1.0, 2.0) != T.AffineTransform(1.0, 3.0)
    assert T.PowerTransform(2.0) == T.PowerTransform(2.0) != T.PowerTransform(3.0)
    assert T.ExpTransform().inv == T.ExpTransform().inv
    assert T.ComposeTransform([T.ExpTransform()]) == T.ComposeTransform([T.ExpTransform()])
    assert repr(T.ExpTransform().inv) == "ExpTransform().inv"


# ---- TransformedDistribution ----
def test_affine_of_a_normal_is_the_shifted_scaled_normal():
    loc, scale = RNG.normal(size=3), RNG.uniform(0.5, 2, size=3)
    d = D.TransformedDistribution(D.Normal(loc, scale), [T.AffineTransform(1.5, -2.0)])
    x = RNG.normal(size=(4, 3))
    np.testing.assert_allclose(d.log_prob(x).data, D.Normal(1.5 - 2 * loc, 2 * scale).log_prob(x).data, rtol=1e-12)
    np.testing.assert_allclose(d.cdf(x).data, D.Normal(1.5 - 2 * loc, 2 * scale).cdf(x).data, rtol=1e-10)
    np.testing.assert_allclose(d.icdf(np.full(3, 0.3)).data, D.Normal(1.5 - 2 * loc, 2 * scale).icdf(0.3).data,
                               rtol=1e-10)
    assert d.has_rsample and d.batch_shape == (3,) and d.event_shape == ()


def test_an_affine_parameter_wider_than_the_base_widens_the_batch():
    d = D.TransformedDistribution(D.Normal(0.0, 1.0), T.AffineTransform(np.zeros((2, 3)), 1.0))
    assert d.batch_shape == (2, 3) and d.sample((4,)).shape == (4, 2, 3)


def test_squashed_gaussian_log_prob_matches_the_change_of_variables_and_torch():
    # (a SAC policy: tanh of a Gaussian, whose density is the Gaussian's over |d tanh/dx| = 1 - y^2)
    loc, scale = RNG.normal(size=3), RNG.uniform(0.5, 1.5, size=3)
    d = D.TransformedDistribution(D.Normal(loc, scale), [T.TanhTransform()])
    y = np.tanh(RNG.normal(size=(5, 3)))
    x = np.arctanh(y)
    expected = -(x - loc) ** 2 / (2 * scale ** 2) - np.log(scale) - LOG_2PI / 2 - np.log(1 - y ** 2)
    np.testing.assert_allclose(d.log_prob(y).data, expected, rtol=1e-10)
    torch = pytest.importorskip("torch")
    theirs = torch.distributions.TransformedDistribution(torch.distributions.Normal(torch.tensor(loc),
                                                                                    torch.tensor(scale)),
                                                         [torch.distributions.transforms.TanhTransform()])
    np.testing.assert_allclose(d.log_prob(y).data, theirs.log_prob(torch.tensor(y)).numpy(), rtol=1e-12)


def test_rsample_of_a_transformed_distribution_carries_the_gradient():
    loc = ag.tensor([0.2, -0.3], requires_grad=True)
    d = D.TransformedDistribution(D.Normal(loc, 1.0), [T.ExpTransform(), T.AffineTransform(0.0, 2.0)])
    drawn = d.rsample((3,), rng=0)
    drawn.sum().backward()
    np.testing.assert_allclose(loc.grad.data, drawn.data.sum(0), rtol=1e-12)  # (d 2 exp(loc + e) / d loc)
    assert not d.sample().requires_grad
    with pytest.raises(NotImplementedError, match="base distribution Poisson has none"):
        D.TransformedDistribution(D.Poisson(1.0), T.ExpTransform()).rsample()


@settings(max_examples=10, deadline=None)
@given(float_arrays((3,), elements=elements(-2, 2)), float_arrays((3,), elements=elements(0.3, 2)))
def test_transformed_log_prob_gradients_match_finite_differences(loc, scale):
    y = np.array([0.3, -0.7, 0.95])
    assert gradcheck(lambda m, s: D.TransformedDistribution(D.Normal(m, s), T.TanhTransform()).log_prob(y),
                     loc, scale)
    assert gradcheck(lambda m, s: D.TransformedDistribution(D.Normal(m, s), [T.SigmoidTransform()])
                     .log_prob((y + 1) / 2), loc, scale)


def test_an_event_transform_reinterprets_the_base_batch():
    base = D.Normal(np.zeros(3), 1.0)
    d = D.TransformedDistribution(base, T.AffineTransform(0.0, np.array([1.0, 2.0, 4.0]), event_dim=1))
    assert (d.batch_shape, d.event_shape) == ((), (3,))
    x = RNG.normal(size=3)
    expected = D.Normal(0.0, np.array([1.0, 2.0, 4.0])).log_prob(x).data.sum()
    np.testing.assert_allclose(d.log_prob(x).data, expected, rtol=1e-12)


def test_transformed_distribution_errors():
    with pytest.raises(TypeError, match="base_distribution must be a Distribution"):
        D.TransformedDistribution(0.0, T.ExpTransform())
    with pytest.raises(TypeError, match="transforms must be a Transform or a list"):
        D.TransformedDistribution(D.Normal(0.0, 1.0), "exp")
    with pytest.raises(ValueError, match="fewer axes than the transforms' events"):
        D.TransformedDistribution(D.Normal(0.0, 1.0), T.SoftmaxTransform())
    with pytest.raises(ValueError, match="TransformedDistribution.log_prob: .*support"):
        D.TransformedDistribution(D.Normal(0.0, 1.0), T.ExpTransform()).log_prob(-1.0)
    with pytest.raises(NotImplementedError, match="cdf needs bijective transforms"):
        D.TransformedDistribution(D.Normal(0.0, 1.0), T.AbsTransform()).cdf(1.0)
    with pytest.raises(ValueError, match="AffineTransform: event_dim"):
        T.AffineTransform(0.0, 1.0, event_dim=-1)
    with pytest.raises(TypeError, match="ComposeTransform: parts must be a list"):
        T.ComposeTransform(T.ExpTransform())


def test_kl_of_transformed_distributions_through_the_same_transforms_is_the_bases():
    p = D.TransformedDistribution(D.Normal(0.0, 1.0), [T.AffineTransform(1.0, 2.0), T.ExpTransform()])
    q = D.TransformedDistribution(D.Normal(1.0, 2.0), [T.AffineTransform(1.0, 2.0), T.ExpTransform()])
    np.testing.assert_allclose(D.kl_divergence(p, q).data, D.kl_divergence(p.base_dist, q.base_dist).data)
    with pytest.raises(NotImplementedError, match="different transforms"):
        D.kl_divergence(p, D.TransformedDistribution(D.Normal(1.0, 2.0), T.ExpTransform()))


def test_inverses_are_held_weakly_so_transforms_form_no_reference_cycle():
    import gc
    import weakref
    transform = T.ExpTransform()
    inverse = transform.inv
    assert transform.inv is inverse and inverse.inv is transform
    gc.disable()
    try:
        probe = weakref.ref(T.ComposeTransform([T.ExpTransform()]).inv)
        assert probe() is None  # (freed by reference counting alone)
    finally:
        gc.enable()


def test_integer_inputs_give_float_results():
    np.testing.assert_allclose(T.SigmoidTransform()(ag.tensor([0])).data, [0.5])
    np.testing.assert_allclose(T.AffineTransform(0.0, 2.0).log_abs_det_jacobian(ag.tensor([1]), None).data,
                               [math.log(2)])


# ---- CatTransform and StackTransform (transform_functors.py) --------------------------------------------------------
def test_cat_transform_maps_inverts_and_joins_the_pieces_jacobians():
    x = ag.tensor([[-1.0, -2.0], [0.5, 0.25], [3.0, 4.0], [5.0, 6.0]])
    t = CatTransform([ExpTransform(), AffineTransform(1.0, 2.0), identity_transform], dim=0, lengths=[1, 1, 2])
    y = t(x)
    expected = np.concatenate([np.exp(x.data[:1]), 1.0 + 2.0 * x.data[1:2], x.data[2:]])
    np.testing.assert_allclose(y.data, expected, rtol=1e-15)
    np.testing.assert_allclose(t.inv(y).data, x.data, rtol=1e-15)
    np.testing.assert_allclose(t.log_abs_det_jacobian(x, y).data,
                               np.concatenate([x.data[:1], np.full((1, 2), math.log(2.0)), np.zeros((2, 2))]))
    assert t.domain.check(x).shape == (4, 2) and t.codomain.check(y).all()
    assert t.codomain.check(ag.tensor([[-1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])).tolist()[0] == [False, True]
    # along an event axis the pieces' log|det| add up (AffineTransform of event_dim 1 on each half)
    halves = CatTransform([AffineTransform(0.0, 2.0, event_dim=1), AffineTransform(0.0, 3.0, event_dim=1)], dim=1,
                          lengths=[2, 2])
    z = ag.tensor(RNG.normal(size=(5, 4)))
    np.testing.assert_allclose(halves.log_abs_det_jacobian(z, halves(z)).data, np.full(5, 2 * math.log(6.0)))
    torch = pytest.importorskip("torch")
    tt = torch.distributions.transforms
    theirs = tt.CatTransform([tt.ExpTransform(), tt.AffineTransform(1.0, 2.0), tt.identity_transform], dim=0,
                             lengths=[1, 1, 2])
    xt = torch.tensor(x.data)
    np.testing.assert_allclose(y.data, theirs(xt).numpy(), rtol=1e-15)
    np.testing.assert_allclose(t.log_abs_det_jacobian(x, y).data, theirs.log_abs_det_jacobian(xt, theirs(xt)).numpy())
    mixed = [AffineTransform(0.0, 2.0, event_dim=1), ExpTransform()]  # event_dim: the transforms' largest, as torch's
    theirs_mixed = [tt.AffineTransform(0.0, 2.0, event_dim=1), tt.ExpTransform()]
    assert (t.event_dim, halves.event_dim, CatTransform(mixed, dim=1, lengths=[2, 2]).event_dim) == (
        theirs.event_dim, 1, tt.CatTransform(theirs_mixed, dim=1, lengths=[2, 2]).event_dim) == (0, 1, 1)


def test_stack_transform_maps_each_index_and_its_gradient_flows():
    x = ag.tensor([[0.0, 1.0, 2.0], [0.5, -0.5, 1.5]], requires_grad=True)
    t = StackTransform([ExpTransform(), AffineTransform(-1.0, 3.0)], dim=0)
    y = t(x)
    np.testing.assert_allclose(y.data, np.stack([np.exp(x.data[0]), -1.0 + 3.0 * x.data[1]]), rtol=1e-15)
    np.testing.assert_allclose(t.inv(y).data, x.data, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(t.log_abs_det_jacobian(x, y).data, np.stack([x.data[0], np.full(3, math.log(3.0))]))
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.stack([np.exp(x.data[0]), np.full(3, 3.0)]))
    assert t.domain.check(x).shape == (2, 3) and t.bijective
    with pytest.raises(ValueError, match="StackTransform: expects 2 entries along dim 0, got a value of shape"):
        t(ag.zeros((3, 3)))
    with pytest.raises(TypeError, match="StackTransform: tseq must be a non-empty list of Transforms"):
        StackTransform([lambda v: v])
    torch = pytest.importorskip("torch")
    tt = torch.distributions.transforms
    theirs = tt.StackTransform([tt.ExpTransform(), tt.AffineTransform(-1.0, 3.0)], dim=0)
    xt = torch.tensor(x.data)
    np.testing.assert_allclose(y.data, theirs(xt).numpy(), rtol=1e-15)
    np.testing.assert_allclose(t.log_abs_det_jacobian(x, y).data, theirs.log_abs_det_jacobian(xt, theirs(xt)).numpy())
    assert t.domain.event_dim == theirs.domain.event_dim


def test_cat_and_stack_constraints_as_torchs():
    torch = pytest.importorskip("torch")
    c = torch.distributions.constraints
    value = np.array([[1.0, -1.0], [-1.0, 2.0], [0.5, 0.5]])
    ours = constraints.cat([constraints.positive, constraints.real], dim=0, lengths=[1, 2])
    theirs = c.cat([c.positive, c.real], dim=0, lengths=[1, 2])
    np.testing.assert_array_equal(ours.check(value), theirs.check(torch.tensor(value)).numpy())
    ours = constraints.stack([constraints.positive, constraints.real, constraints.unit_interval], dim=0)
    theirs = c.stack([c.positive, c.real, c.unit_interval], dim=0)
    np.testing.assert_array_equal(ours.check(value), theirs.check(torch.tensor(value)).numpy())
    assert (ours.event_dim, ours.is_discrete) == (theirs.event_dim, theirs.is_discrete)


def test_cat_and_stack_log_abs_det_jacobian_refuse_a_value_of_the_wrong_size_as_their_calls_do():
    # narrow and zip cut a value of another size short: a result of the wrong shape, with no error (PyTorch asserts)
    cat = CatTransform([ExpTransform(), identity_transform], dim=0, lengths=[1, 2])
    with pytest.raises(ValueError, match=r"CatTransform: expects 3 entries along dim 0, got a value of shape \(5,\)"):
        cat.log_abs_det_jacobian(ag.zeros(5), ag.zeros(5))
    stacked = StackTransform([ExpTransform(), identity_transform])
    with pytest.raises(ValueError, match=r"StackTransform: expects 2 entries along dim 0, got a value of shape \(3,\)"):
        stacked.log_abs_det_jacobian(ag.zeros(3), ag.zeros(3))
    np.testing.assert_array_equal(cat.log_abs_det_jacobian(ag.tensor([2.0, 0.0, 0.0]), ag.zeros(3)).data,
                                  [2.0, 0.0, 0.0])


def test_a_transformed_distribution_pickles_after_its_inverses_were_taken():
    # (log_prob takes t.inv, whose weak reference made pickle raise TypeError; found by porting PyTorch's
    # test_transforms.py test_save_load_transform)
    import pickle
    d = D.TransformedDistribution(D.Normal(ag.tensor(0.0), ag.tensor(1.0)),
                                  [AffineTransform(2.0, 3.0), ExpTransform().inv.inv, T.SigmoidTransform().inv])
    x = ag.linspace(0.1, 0.9, 5)
    log_prob = d.log_prob(x)
    other = pickle.loads(pickle.dumps(d))
    np.testing.assert_allclose(other.log_prob(x).numpy(), log_prob.numpy())
    inverse = other.transforms[2]
    assert inverse.inv.inv is inverse


def test_sign_of_tensor_parameters_is_elementwise_and_the_cdf_follows_it_as_torchs():
    # (AffineTransform.sign and PowerTransform.sign raised NotImplementedError for several scales or exponents, so a
    # TransformedDistribution's cdf and icdf did too; PyTorch's sign is scale.sign(); found by porting PyTorch's
    # test_transforms.py test_transform_sign)
    torch = pytest.importorskip("torch")
    scale = [2.0, -1.0, 0.5]
    ours = D.TransformedDistribution(D.Normal(ag.zeros(3), 1.0), [AffineTransform(1.0, ag.tensor(scale)),
                                                                  ExpTransform()])
    theirs = torch.distributions.TransformedDistribution(
        torch.distributions.Normal(torch.zeros(3, dtype=torch.float64), 1.0),
        [torch.distributions.AffineTransform(1.0, torch.tensor(scale, dtype=torch.float64)),
         torch.distributions.ExpTransform()])
    value, q = [0.5, 2.0, 3.0], [0.1, 0.2, 0.9]
    f64 = torch.float64
    np.testing.assert_allclose(ours.cdf(ag.tensor(value)).numpy(), theirs.cdf(torch.tensor(value, dtype=f64)).numpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(ours.icdf(ag.tensor(q)).numpy(), theirs.icdf(torch.tensor(q, dtype=f64)).numpy(),
                               rtol=1e-12)
    np.testing.assert_array_equal(T.PowerTransform(ag.tensor([2.0, -0.5])).sign.numpy(), [1.0, -1.0])
    assert AffineTransform(0.0, -3).sign == -1 and T.PowerTransform(2).sign == 1
    x = ag.tensor(RNG.normal(size=3), requires_grad=True)
    t = AffineTransform(0.0, ag.tensor(scale))
    t(x).sum().backward()
    assert (x.grad * t.sign > 0).numpy().all()
