"""ag.distributions (autograd_core/distributions/), the rest: kl_divergence for each registered pair against a
NumPy formula (or an exact sum or a quadrature of the densities) and against torch's, its gradients, register_kl's
dispatch and the error for an unregistered pair; validation of parameters and values (PyTorch's default), with
errors naming the distribution, the parameter and what is valid; Categorical's broadcasting of class values;
Independent's shapes; repr."""
import importlib
import math

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import distributions as D
from autograd_core.distributions import constraints
from autograd_core.testing import gradcheck, gradgradcheck

RNG = np.random.default_rng(1)
_lgamma = np.vectorize(math.lgamma)


def _positive(shape=(2, 3)):
    return RNG.uniform(0.5, 2.5, size=shape)


def _quadrature(p, q, low, high, points=200001):
    """KL(p || q) by the trapezoid rule over [low, high] of p's density times the log ratio (scalar p and q)."""
    x = np.linspace(low, high, points)
    log_p, log_q = p.log_prob(x).data, q.log_prob(x).data
    return np.trapezoid(np.exp(log_p) * (log_p - log_q), x)


# ---- kl_divergence against formulas ----
def test_kl_normal_normal_matches_the_closed_form():
    m1, s1, m2, s2 = RNG.normal(size=3), _positive(3), RNG.normal(size=3), _positive(3)
    expected = np.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5
    np.testing.assert_allclose(D.kl_divergence(D.Normal(m1, s1), D.Normal(m2, s2)).data, expected, rtol=1e-12)


def test_kl_of_the_discrete_pairs_matches_the_exact_sums():
    p, q = RNG.dirichlet(np.ones(4), size=2), RNG.dirichlet(np.ones(4), size=2)
    np.testing.assert_allclose(D.kl_divergence(D.Categorical(p), D.Categorical(logits=np.log(q))).data,
                               (p * np.log(p / q)).sum(-1), rtol=1e-12)
    np.testing.assert_allclose(D.kl_divergence(D.OneHotCategorical(p), D.OneHotCategorical(q)).data,
                               (p * np.log(p / q)).sum(-1), rtol=1e-12)
    a, b = RNG.uniform(0.05, 0.95, 3), RNG.uniform(0.05, 0.95, 3)
    np.testing.assert_allclose(D.kl_divergence(D.Bernoulli(a), D.Bernoulli(b)).data,
                               a * np.log(a / b) + (1 - a) * np.log((1 - a) / (1 - b)), rtol=1e-10)
    counts = np.arange(80.0)
    log_pmf = lambda rate: counts * np.log(rate) - rate - _lgamma(counts + 1)  # noqa: E731
    np.testing.assert_allclose(D.kl_divergence(D.Poisson(3.0), D.Poisson(5.0)).data,
                               (np.exp(log_pmf(3.0)) * (log_pmf(3.0) - log_pmf(5.0))).sum(), rtol=1e-10)


def test_kl_of_the_continuous_pairs_matches_quadrature():
    pairs = [(D.Laplace(0.3, 1.2), D.Laplace(-0.5, 0.7), -40, 40), (D.Exponential(2.0), D.Exponential(0.5), 0, 60),
             (D.Gamma(2.5, 1.5), D.Gamma(1.5, 0.8), 1e-9, 80), (D.Beta(2.0, 3.0), D.Beta(1.5, 1.2), 1e-9, 1 - 1e-9),
             (D.Uniform(0.0, 1.0), D.Uniform(-1.0, 2.0), 0.0, 1.0 - 1e-12)]
    for p, q, low, high in pairs:
        np.testing.assert_allclose(D.kl_divergence(p, q).data, _quadrature(p, q, low, high), rtol=1e-5,
                                   err_msg=type(p).__name__)


def test_kl_multivariate_normal_matches_the_closed_form():
    n = 3
    a, b = RNG.normal(size=(2, n, n)), RNG.normal(size=(n, n))
    cov_p, cov_q = a @ a.swapaxes(-1, -2) + np.eye(n), b @ b.T + np.eye(n)
    m_p, m_q = RNG.normal(size=(2, n)), RNG.normal(size=n)
    inv_q = np.linalg.inv(cov_q)
    diff = m_q - m_p
    expected = 0.5 * (np.trace(inv_q @ cov_p, axis1=-2, axis2=-1) + np.einsum("bi,ij,bj->b", diff, inv_q, diff) - n
                      + np.linalg.slogdet(cov_q)[1] - np.linalg.slogdet(cov_p)[1])
    got = D.kl_divergence(D.MultivariateNormal(m_p, cov_p), D.MultivariateNormal(m_q, scale_tril=np.linalg.cholesky(
        cov_q)))
    np.testing.assert_allclose(got.data, expected, rtol=1e-10)


def test_kl_is_infinite_where_q_has_no_mass_that_p_has():
    assert np.isinf(D.kl_divergence(D.Uniform(0.0, 2.0), D.Uniform(0.5, 3.0)).item())
    assert np.isinf(D.kl_divergence(D.Bernoulli(0.5), D.Bernoulli(0.0)).item())
    assert D.kl_divergence(D.Bernoulli(0.0), D.Bernoulli(0.0)).item() == 0.0
    kl = D.kl_divergence(D.Categorical(ag.tensor([0.5, 0.5, 0.0])), D.Categorical(ag.tensor([0.5, 0.0, 0.5])))
    assert np.isinf(kl.item())
    kl = D.kl_divergence(D.Categorical(ag.tensor([0.5, 0.5, 0.0])), D.Categorical(ag.tensor([0.5, 0.5, 0.0])))
    assert kl.item() == 0.0


def test_kl_independent_sums_over_the_reinterpreted_axes():
    p = D.Independent(D.Normal(RNG.normal(size=(2, 3)), _positive()), 1)
    q = D.Independent(D.Normal(RNG.normal(size=(2, 3)), _positive()), 1)
    np.testing.assert_allclose(D.kl_divergence(p, q).data,
                               D.kl_divergence(p.base_dist, q.base_dist).data.sum(-1), rtol=1e-14)
    with pytest.raises(NotImplementedError, match="reinterpreted_batch_ndims"):
        D.kl_divergence(p, D.Independent(q.base_dist, 2))


KL_PAIRS = {
    "Normal": lambda m, a, b: m.Normal(a, b), "Laplace": lambda m, a, b: m.Laplace(a, b),
    "Gamma": lambda m, a, b: m.Gamma(a, b), "Beta": lambda m, a, b: m.Beta(a, b),
    "Exponential": lambda m, a, b: m.Exponential(a * b), "Poisson": lambda m, a, b: m.Poisson(a + b),
    "Bernoulli": lambda m, a, b: m.Bernoulli(a / (a + b)), "Uniform": lambda m, a, b: m.Uniform(-a, 3 * b + 10),
    "Categorical": lambda m, a, b: m.Categorical(logits=a * b),
    "OneHotCategorical": lambda m, a, b: m.OneHotCategorical(probs=a / b),
    "MultivariateNormal": lambda m, a, b: m.MultivariateNormal(a, scale_tril=m._tril(b)),
    "Independent": lambda m, a, b: m.Independent(m.Normal(a, b), 1),
}


class _Ours:
    def __getattr__(self, name):
        return getattr(D, name)

    @staticmethod
    def _tril(b):
        return (b[..., None] * np.eye(3)) + ag.tensor(np.tril(np.full((3, 3), 0.3), -1))


class _Torch:
    def __init__(self, torch):
        self.torch = torch

    def __getattr__(self, name):
        return getattr(self.torch.distributions, name)

    def _tril(self, b):
        return b[..., None] * self.torch.eye(3, dtype=b.dtype) + self.torch.tril(self.torch.full((3, 3), 0.3,
                                                                                               dtype=b.dtype), -1)


@pytest.mark.parametrize("name", list(KL_PAIRS))
def test_kl_values_and_gradients_match_torch(name):
    torch = pytest.importorskip("torch")
    params = [_positive(), _positive(), _positive(), _positive()]
    if name == "Uniform":  # (p inside q: the KL is finite)
        params[2], params[3] = params[0] + 1, params[1] + 1
    build = KL_PAIRS[name]
    ours = [ag.tensor(v, requires_grad=True) for v in params]
    theirs = [torch.tensor(v, requires_grad=True) for v in params]
    got = D.kl_divergence(build(_Ours(), ours[0], ours[1]), build(_Ours(), ours[2], ours[3]))
    expected = torch.distributions.kl_divergence(build(_Torch(torch), theirs[0], theirs[1]),
                                                 build(_Torch(torch), theirs[2], theirs[3]))
    assert got.shape == tuple(expected.shape)
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-9, atol=1e-12)
    got.sum().backward()
    expected.sum().backward()
    for a, b in zip(ours, theirs):
        if b.grad is not None:  # (Beta's through trigamma: its own series, not torch's, agree to ~1e-10)
            np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-9)


def test_kl_gradients_match_finite_differences():
    m1, s1, m2, s2 = RNG.normal(size=3), _positive(3), RNG.normal(size=3), _positive(3)
    assert gradcheck(lambda a, b, c, d: D.kl_divergence(D.Normal(a, b), D.Normal(c, d)), m1, s1, m2, s2)
    assert gradgradcheck(lambda a, b, c, d: D.kl_divergence(D.Normal(a, b), D.Normal(c, d)), m1, s1, m2, s2)
    logits = RNG.normal(size=(2, 4))
    assert gradcheck(lambda a, b: D.kl_divergence(D.Categorical(logits=a), D.Categorical(logits=b)), logits,
                     logits[::-1].copy())
    tril = np.linalg.cholesky(np.array([[2.0, 0.5], [0.5, 1.0]]))
    assert gradcheck(lambda m, L: D.kl_divergence(D.MultivariateNormal(m, scale_tril=L.tril()),
                                                  D.MultivariateNormal(np.zeros(2), np.eye(2))), m1[:2], tril)


# ---- the registry ----
def test_an_unregistered_pair_raises_naming_both_types():
    with pytest.raises(NotImplementedError, match="Cauchy and q a Laplace.*@register_kl\\(Cauchy, Laplace\\)"):
        D.kl_divergence(D.Cauchy(0.0, 1.0), D.Laplace(0.0, 1.0))  # (none in PyTorch either)


def test_register_kl_serves_subclasses_with_the_most_specific_pair():
    class Narrow(D.Normal):
        pass

    assert D.kl_divergence(Narrow(0.0, 1.0), D.Normal(1.0, 1.0)).item() == 0.5  # (Normal-Normal's, inherited)

    @D.register_kl(Narrow, D.Normal)
    def _kl_narrow_normal(p, q):
        return ag.tensor(-1.0)

    assert D.kl_divergence(Narrow(0.0, 1.0), D.Normal(1.0, 1.0)).item() == -1.0
    assert D.kl_divergence(D.Normal(0.0, 1.0), Narrow(1.0, 1.0)).item() == 0.5
    with pytest.raises(TypeError, match="register_kl: type_q must be a Distribution class"):
        D.register_kl(D.Normal, "Normal")


# ---- validation ----
@pytest.mark.parametrize("build,match", [
    (lambda: D.Normal(0.0, 0.0), "Normal: expected parameter scale .* GreaterThan\\(lower_bound=0.0\\)"),
    (lambda: D.Normal(0.0, [1.0, -2.0]), "Normal: expected parameter scale .* invalid values: \\[ 1. -2.\\]"),
    (lambda: D.Normal(math.nan, 1.0), "Normal: expected parameter loc .* Real\\(\\)"),
    (lambda: D.Bernoulli(1.5), "Bernoulli: expected parameter probs .* Interval\\(lower_bound=0.0, upper_bound=1.0"),
    (lambda: D.Categorical(ag.tensor([0.5, -0.5, 1.0])), "Categorical: expected parameter probs .* Simplex\\(\\)"),
    (lambda: D.Exponential(-1.0), "Exponential: expected parameter rate"),
    (lambda: D.Uniform(1.0, 1.0), "Uniform: low must be below high"),
    (lambda: D.Gamma(1.0, 0.0), "Gamma: expected parameter rate"),
    (lambda: D.Poisson(-0.1), "Poisson: expected parameter rate .* GreaterThanEq"),
    (lambda: D.MultivariateNormal(np.zeros(2), np.array([[1.0, 2.0], [2.0, 1.0]])),
     "MultivariateNormal: expected parameter covariance_matrix .* PositiveDefinite"),
    (lambda: D.MultivariateNormal(np.zeros(2), scale_tril=np.array([[1.0, 1.0], [0.0, 1.0]])),
     "MultivariateNormal: expected parameter scale_tril .* LowerCholesky"),
])
def test_invalid_parameters_raise_naming_the_distribution_and_the_constraint(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_values_outside_the_support_raise_in_log_prob_and_cdf():
    with pytest.raises(ValueError, match="Exponential.log_prob: expected the value .* support GreaterThanEq"):
        D.Exponential(1.0).log_prob(-1.0)
    with pytest.raises(ValueError, match="Categorical.log_prob: .* IntegerInterval\\(lower_bound=0, upper_bound=2\\)"):
        D.Categorical(logits=ag.zeros(3)).log_prob(3)
    with pytest.raises(ValueError, match="Bernoulli.log_prob: .* Boolean"):
        D.Bernoulli(0.5).log_prob(0.5)
    with pytest.raises(ValueError, match="Uniform.cdf: .* Interval"):
        D.Uniform(0.0, 1.0).cdf(1.5)
    with pytest.raises(ValueError, match="Normal.log_prob: the value's shape \\(4,\\) does not broadcast"):
        D.Normal(ag.zeros(3), 1.0).log_prob(ag.zeros(4))
    with pytest.raises(ValueError, match="MultivariateNormal.log_prob: the value's shape \\(3,\\) must end in"):
        D.MultivariateNormal(np.zeros(2), np.eye(2)).log_prob(np.zeros(3))


def test_validate_args_false_skips_the_checks_as_in_pytorch():
    with np.errstate(invalid="ignore"):  # (the log of the negative scale)
        assert math.isnan(D.Normal(0.0, -1.0, validate_args=False).log_prob(0.0).item())
    assert D.Uniform(0.0, 1.0, validate_args=False).log_prob(2.0).item() == -math.inf
    D.Distribution.set_default_validate_args(False)
    try:
        assert D.Exponential(-1.0).rate.item() == -1.0
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError, match="Exponential"):
        D.Exponential(-1.0)


def test_argument_errors():
    with pytest.raises(ValueError, match="Bernoulli: give either probs or logits, not both \\(got both\\)"):
        D.Bernoulli(probs=0.5, logits=0.0)
    with pytest.raises(ValueError, match="Categorical: give either probs or logits, not both \\(got neither\\)"):
        D.Categorical()
    with pytest.raises(ValueError, match="Categorical: logits must be at least one-dimensional"):
        D.Categorical(logits=0.0)
    with pytest.raises(ValueError, match="MultivariateNormal: give exactly one of .* got covariance_matrix, "
                                         "scale_tril"):
        D.MultivariateNormal(np.zeros(2), np.eye(2), scale_tril=np.eye(2))
    with pytest.raises(ValueError, match="MultivariateNormal: covariance_matrix must be square matrices"):
        D.MultivariateNormal(np.zeros(3), np.eye(2))
    with pytest.raises(ValueError, match="Normal: the parameters' shapes \\(2,\\), \\(3,\\) do not broadcast"):
        D.Normal(np.zeros(2), np.ones(3))
    with pytest.raises(ValueError, match="Independent: reinterpreted_batch_ndims must be an int in \\[0, 1\\]"):
        D.Independent(D.Normal(np.zeros(2), 1.0), 2)
    with pytest.raises(NotImplementedError, match="Poisson has no rsample"):
        D.Poisson(1.0).rsample()
    with pytest.raises(TypeError, match="Normal.sample: got both rng=0 and generator="):
        D.Normal(0.0, 1.0).sample(rng=0, generator=np.random.default_rng(0))
    with pytest.raises(TypeError, match="Normal.sample: sample_shape must be a tuple of ints"):
        D.Normal(0.0, 1.0).sample("3")


def test_constraints_check_elementwise_and_over_events():
    assert constraints.simplex.check(np.array([[0.2, 0.8], [0.5, 0.6]])).tolist() == [True, False]
    assert constraints.real_vector.check(np.array([[0.0, np.nan], [1.0, 2.0]])).tolist() == [False, True]
    assert constraints.integer_interval(0, 2).check(np.array([0, 2, 3, 1.5])).tolist() == [True, True, False, False]
    assert repr(constraints.independent(constraints.real, 1)) == "IndependentConstraint(Real(), 1)"


# ---- shapes, broadcasting, repr ----
@pytest.mark.parametrize("logits_shape,value_shape", [((4,), ()), ((4,), (3,)), ((2, 4), (2,)), ((2, 4), (5, 1)),
                                                      ((2, 4), (3, 2)), ((1, 4), (3,))])
def test_categorical_log_prob_broadcasts_class_values_as_torch(logits_shape, value_shape):
    logits, values = RNG.normal(size=logits_shape), RNG.integers(0, 4, size=value_shape)
    got = D.Categorical(logits=logits).log_prob(values)
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    shape = np.broadcast_shapes(values.shape, logits.shape[:-1])
    expected = np.take_along_axis(np.broadcast_to(log_probs, shape + (4,)), np.broadcast_to(values, shape)[..., None],
                                  -1)[..., 0]
    np.testing.assert_allclose(got.data, expected, rtol=1e-14)
    torch = pytest.importorskip("torch")
    theirs = torch.distributions.Categorical(logits=torch.tensor(logits)).log_prob(torch.tensor(values))
    assert got.shape == tuple(theirs.shape)


def test_independent_shapes_and_support():
    base = D.Normal(np.zeros((4, 2, 3)), 1.0)
    two = D.Independent(base, 2)
    assert (two.batch_shape, two.event_shape) == ((4,), (2, 3))
    assert two.sample((5,)).shape == (5, 4, 2, 3) and two.has_rsample
    assert two.entropy().shape == (4,)
    with pytest.raises(ValueError, match="Exponential.log_prob"):
        D.Independent(D.Exponential(np.ones(3)), 1).log_prob(-np.ones(3))


def test_enumerate_support():
    np.testing.assert_array_equal(D.Categorical(logits=np.zeros((2, 3))).enumerate_support().data,
                                  [[0, 0], [1, 1], [2, 2]])
    assert D.Bernoulli(np.full(2, 0.5)).enumerate_support(expand=False).shape == (2, 1)
    assert D.OneHotCategorical(logits=np.zeros((2, 3))).enumerate_support().shape == (3, 2, 3)


def test_repr_as_pytorch():
    assert repr(D.Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert repr(D.Normal(np.zeros(2), 1.0)) == "Normal(loc: (2,), scale: (2,))"
    assert repr(D.Categorical(logits=np.zeros(3))) == "Categorical(logits: (3,))"
    assert repr(D.Independent(D.Bernoulli(np.full(2, 0.5)), 1)) == "Independent(Bernoulli(probs: (2,)), 1)"


def test_the_modes():
    np.testing.assert_array_equal(D.Bernoulli(np.array([0.2, 0.5, 0.7])).mode.data, [0.0, np.nan, 1.0])
    assert D.Categorical(probs=np.array([[0.1, 0.6, 0.3]])).mode.data.tolist() == [1]
    assert D.Gamma(0.5, 1.0).mode.item() == 0.0
    np.testing.assert_allclose(D.Beta(np.array([3.0, 0.5, 0.5]), np.array([2.0, 0.4, 0.7])).mode.data,
                               [2 / 3, 1.0, 0.0])
    assert math.isnan(D.Uniform(0.0, 1.0).mode.item())


def test_expand_broadcasts_the_parameters_as_torch():
    cases = [(lambda m: m.Normal(np.zeros(3), 2.0), (4, 3)),
             (lambda m: m.Categorical(logits=np.log([[0.2, 0.8]])), (5, 3)),
             (lambda m: m.OneHotCategorical(probs=np.array([0.2, 0.8])), (2,)),
             (lambda m: m.MultivariateNormal(np.zeros(2), np.eye(2)), (3,)),
             (lambda m: m.Independent(m.Normal(np.zeros((1, 2)), 1.0), 1), (4,))]
    for build, batch_shape in cases:
        expanded = build(D).expand(batch_shape)
        assert expanded.batch_shape == batch_shape
        value = expanded.sample((2,), rng=0)
        assert value.shape == (2,) + batch_shape + expanded.event_shape
        assert expanded.log_prob(value).shape == (2,) + batch_shape
        np.testing.assert_allclose(expanded.entropy().data, np.broadcast_to(build(D).entropy().data, batch_shape))
    with pytest.raises(ValueError, match="Normal.expand: batch_shape \\(3,\\) does not broadcast to \\(2,\\)"):
        D.Normal(np.zeros(3), 1.0).expand((2,))
    loc = ag.tensor(0.5, requires_grad=True)
    D.Normal(loc, 1.0).expand((3,)).log_prob(np.zeros(3)).sum().backward()
    assert loc.grad.item() == pytest.approx(-1.5)  # (the gradient of the expanded parameter sums back)


# ---- the score-function (REINFORCE) gradient ----
def test_reinforce_policy_gradient_matches_the_softmax_formula_and_torch():
    """pytorch/examples' reinforce.py loss, sum(-log pi(a|s) R) over an episode with the returns normalised, for a
    linear policy: the gradient in the logits is (pi - onehot(a)) R, so in W it is states^T ((pi - onehot) R)."""
    states, actions = RNG.normal(size=(6, 4)), np.array([0, 1, 1, 0, 1, 1])
    returns = np.cumsum(np.ones(6)[::-1] * 0.99 ** np.arange(6))[::-1]
    returns = (returns - returns.mean()) / (returns.std(ddof=1) + np.finfo(np.float32).eps)
    weight = ag.tensor(RNG.normal(size=(4, 2)), requires_grad=True)
    policy = D.Categorical(ag.softmax(states @ weight, axis=1))
    (-policy.log_prob(actions) * returns).sum().backward()
    probs = np.exp(states @ weight.data) / np.exp(states @ weight.data).sum(1, keepdims=True)
    expected = states.T @ ((probs - np.eye(2)[actions]) * returns[:, None])
    np.testing.assert_allclose(weight.grad.data, expected, rtol=1e-12)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(weight.data, requires_grad=True)
    policy = torch.distributions.Categorical(torch.softmax(torch.tensor(states) @ theirs, dim=1))
    (-policy.log_prob(torch.tensor(actions)) * torch.tensor(returns)).sum().backward()
    np.testing.assert_allclose(weight.grad.data, theirs.grad.numpy(), rtol=1e-12)


def test_sampling_inside_vmap_follows_its_randomness():
    draw = lambda loc: D.Normal(loc, 1.0).sample()  # noqa: E731
    different = ag.vmap(draw, randomness="different")(ag.zeros(3)).data
    assert len(set(different.tolist())) == 3
    same = ag.vmap(draw, randomness="same")(ag.zeros(3)).data
    assert len(set(same.tolist())) == 1
    with pytest.raises(RuntimeError, match="random operation \\(Normal.sample\\)"):
        ag.vmap(draw)(ag.zeros(3))


def test_pytorch_module_names_of_the_distributions_hold_the_same_classes():
    # UvA's flow tutorial: self.prior = torch.distributions.normal.Normal(loc=0.0, scale=1.0)
    from autograd_core.distributions.categorical import Categorical
    from autograd_core.distributions.relaxed_categorical import ExpRelaxedCategorical, RelaxedOneHotCategorical
    import autograd_core.distributions.multivariate_normal as multivariate_normal
    assert Categorical is D.Categorical and multivariate_normal.MultivariateNormal is D.MultivariateNormal
    assert (ExpRelaxedCategorical, RelaxedOneHotCategorical) == (D.ExpRelaxedCategorical, D.RelaxedOneHotCategorical)
    prior = ag.distributions.normal.Normal(loc=0.0, scale=1.0)
    z = np.array([-1.5, 0.0, 2.0])
    np.testing.assert_allclose(prior.log_prob(z).data, -0.5 * z ** 2 - 0.5 * np.log(2 * np.pi), rtol=1e-15)
    assert D.mixture_same_family.__all__ == ["MixtureSameFamily"]
    torch = pytest.importorskip("torch")
    for module_name, class_names in D._TORCH_MODULES.items():
        torch_module = importlib.import_module(f"torch.distributions.{module_name}")
        for class_name in class_names:
            assert hasattr(torch_module, class_name), (module_name, class_name)
            assert getattr(getattr(D, module_name), class_name) is getattr(D, class_name)
    np.testing.assert_allclose(prior.log_prob(z).data,
                               torch.distributions.normal.Normal(0.0, 1.0).log_prob(torch.tensor(z)).numpy())


def test_independent_enumerate_support_is_the_bases_without_reinterpreted_axes():
    base = D.Bernoulli(ag.tensor([[0.1, 0.2], [0.3, 0.4]]))
    whole = D.Independent(base, 0)
    assert whole.has_enumerate_support
    np.testing.assert_array_equal(whole.enumerate_support().data, np.array([[[0.0] * 2] * 2, [[1.0] * 2] * 2]))
    assert whole.enumerate_support(expand=False).shape == (2, 1, 1)
    reinterpreted = D.Independent(base, 1)
    assert not reinterpreted.has_enumerate_support
    with pytest.raises(NotImplementedError, match="cartesian product of the 1 reinterpreted axes"):
        reinterpreted.enumerate_support()
    # (a distribution without a discrete support says so, as PyTorch's base class)
    with pytest.raises(NotImplementedError, match="Normal.enumerate_support is not defined"):
        D.Normal(0.0, 1.0).enumerate_support()
    torch = pytest.importorskip("torch")
    theirs = torch.distributions.Independent(torch.distributions.Bernoulli(torch.tensor([[0.1, 0.2], [0.3, 0.4]])), 0)
    np.testing.assert_array_equal(whole.enumerate_support().data, theirs.enumerate_support().numpy())
    with pytest.raises(NotImplementedError):
        torch.distributions.Independent(theirs.base_dist, 1).enumerate_support()


def test_uniform_support_is_closed_with_high_of_zero_density_as_pytorchs():
    d = D.Uniform(ag.tensor([0.0, 1.0]), ag.tensor([1.0, 3.0]))
    high = ag.tensor([1.0, 3.0])
    assert d.support.check(high).tolist() == [True, True]
    assert d.log_prob(high).data.tolist() == [-math.inf, -math.inf]
    assert d.cdf(high).data.tolist() == [1.0, 1.0]
    np.testing.assert_allclose(d.log_prob(ag.tensor([0.0, 1.0])).data, [0.0, -math.log(2.0)])
    torch = pytest.importorskip("torch")
    theirs = torch.distributions.Uniform(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 3.0]))
    assert theirs.log_prob(torch.tensor([1.0, 3.0])).tolist() == d.log_prob(high).data.tolist()
    assert theirs.cdf(torch.tensor([1.0, 3.0])).tolist() == d.cdf(high).data.tolist()


@pytest.mark.parametrize("make, name", [
    (lambda x: D.Categorical(logits=x), "probs"), (lambda x: D.Categorical(probs=x.exp()), "logits"),
    (lambda x: D.Bernoulli(logits=x), "probs"), (lambda x: D.OneHotCategorical(logits=x), "probs")])
def test_a_lazy_parameter_first_read_under_no_grad_keeps_its_gradient(make, name):
    # (PyTorch's lazy_property computes under enable_grad: a first read under no_grad, such as logging the probs or
    # sample()'s, stored a constant here, and every later use lost the gradient)
    values = np.array([0.5, -1.0, 2.0])
    x = ag.tensor(values, requires_grad=True)
    d = make(x)
    with ag.no_grad():
        getattr(d, name)
    getattr(d, name)[0].backward()
    fresh = ag.tensor(values, requires_grad=True)
    getattr(make(fresh), name)[0].backward()
    np.testing.assert_allclose(x.grad.data, fresh.grad.data, rtol=1e-12)
    if name == "probs" and make(x).__class__ is not D.Bernoulli:
        softmax = np.exp(values) / np.exp(values).sum()
        np.testing.assert_allclose(x.grad.data, softmax[0] * ((np.arange(3) == 0) - softmax), rtol=1e-12)
    torch = pytest.importorskip("torch")
    t = torch.tensor(values, requires_grad=True)
    theirs = getattr(torch.distributions, type(d).__name__)
    td = theirs(logits=t) if name == "probs" else theirs(probs=t.exp())
    with torch.no_grad():
        getattr(td, name)
    getattr(td, name)[0].backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-6, atol=1e-12)
