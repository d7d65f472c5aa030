"""ag.distributions (autograd_core/distributions/): each distribution is declared once with a NumPy reference of
its log_prob, entropy, moments and cdf; the values are checked against the references and against
torch.distributions, the gradients of log_prob, entropy, cdf and rsample with respect to the parameters against
finite differences (parameters drawn by Hypothesis) and against torch's, a few second derivatives, the statistics
of 20,000 seeded draws, and the shapes of samples. KL divergences, validation and the registry are in
test_distributions_edges.py."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import distributions as D
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import elements, float_arrays
from distribution_references import Case, check_matches_torch, check_numpy_formulas, digamma as _digamma, erf as _erf, \
    lgamma as _lgamma

RNG = np.random.default_rng(0)
LOG_2PI = math.log(2 * math.pi)


# ---- the declarations (Case: see distribution_references.py) ----
def _positive(shape=(2, 3)):
    return RNG.uniform(0.5, 2.5, size=shape)


def _spd(n=3, batch=(2,)):
    a = RNG.normal(size=batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _mvn_log_prob(p, x):
    loc, cov = p
    diff = x - loc
    solved = np.linalg.solve(cov, diff[..., None])[..., 0]
    return -0.5 * (loc.shape[-1] * LOG_2PI + np.linalg.slogdet(cov)[1] + (diff * solved).sum(-1))


def _picked(log_probs, classes):
    """log_probs (..., K) at the class values, broadcast against its batch."""
    shape = np.broadcast_shapes(classes.shape, log_probs.shape[:-1])
    return np.take_along_axis(np.broadcast_to(log_probs, shape + log_probs.shape[-1:]),
                              np.broadcast_to(classes, shape)[..., None], -1)[..., 0]


def _log_softmax(logits):
    return logits - np.log(np.exp(logits).sum(-1, keepdims=True))


CASES = [
    Case("Normal", lambda m, s: D.Normal(m, s), lambda t, m, s: t.distributions.Normal(m, s),
         lambda: (RNG.normal(size=(2, 3)), _positive()), lambda p: RNG.normal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: -(x - p[0]) ** 2 / (2 * p[1] ** 2) - np.log(p[1]) - LOG_2PI / 2,
          "entropy": lambda p: 0.5 + LOG_2PI / 2 + np.log(p[1]), "mean": lambda p: p[0],
          "variance": lambda p: p[1] ** 2, "cdf": lambda p, x: 0.5 * (1 + _erf((x - p[0]) / (p[1] * math.sqrt(2))))},
         True),
    Case("Laplace", lambda m, s: D.Laplace(m, s), lambda t, m, s: t.distributions.Laplace(m, s),
         lambda: (RNG.normal(size=(2, 3)), _positive()), lambda p: RNG.normal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: -np.log(2 * p[1]) - np.abs(x - p[0]) / p[1],
          "entropy": lambda p: 1 + np.log(2 * p[1]), "mean": lambda p: p[0], "variance": lambda p: 2 * p[1] ** 2,
          "cdf": lambda p, x: np.where(x < p[0], 0.5 * np.exp((x - p[0]) / p[1]),
                                       1 - 0.5 * np.exp(-(x - p[0]) / p[1]))},
         True),
    Case("Exponential", lambda r: D.Exponential(r), lambda t, r: t.distributions.Exponential(r),
         lambda: (_positive(),), lambda p: RNG.exponential(size=(4, 2, 3)),
         {"log_prob": lambda p, x: np.log(p[0]) - p[0] * x, "entropy": lambda p: 1 - np.log(p[0]),
          "mean": lambda p: 1 / p[0], "variance": lambda p: p[0] ** -2.0, "cdf": lambda p, x: 1 - np.exp(-p[0] * x)},
         True),
    Case("Uniform", lambda lo, hi: D.Uniform(lo, hi), lambda t, lo, hi: t.distributions.Uniform(lo, hi),
         lambda: (-1.5 - _positive(), 1.5 + _positive()), lambda p: RNG.uniform(-1, 1, (4, 2, 3)),
         {"log_prob": lambda p, x: -np.log(p[1] - p[0]) + 0 * x, "entropy": lambda p: np.log(p[1] - p[0]),
          "mean": lambda p: (p[0] + p[1]) / 2, "variance": lambda p: (p[1] - p[0]) ** 2 / 12,
          "cdf": lambda p, x: (x - p[0]) / (p[1] - p[0])},
         True),
    Case("Gamma", lambda c, r: D.Gamma(c, r), lambda t, c, r: t.distributions.Gamma(c, r),
         lambda: (_positive(), _positive()), lambda p: RNG.exponential(size=(4, 2, 3)),
         {"log_prob": lambda p, x: p[0] * np.log(p[1]) + (p[0] - 1) * np.log(x) - p[1] * x - _lgamma(p[0]),
          "entropy": lambda p: p[0] - np.log(p[1]) + _lgamma(p[0]) + (1 - p[0]) * _digamma(p[0]),
          "mean": lambda p: p[0] / p[1], "variance": lambda p: p[0] / p[1] ** 2},
         True),
    Case("Beta", lambda a, b: D.Beta(a, b), lambda t, a, b: t.distributions.Beta(a, b),
         lambda: (_positive(), _positive()), lambda p: RNG.uniform(0.05, 0.95, (4, 2, 3)),
         {"log_prob": lambda p, x: ((p[0] - 1) * np.log(x) + (p[1] - 1) * np.log(1 - x) - _lgamma(p[0])
                                    - _lgamma(p[1]) + _lgamma(p[0] + p[1])),
          "entropy": lambda p: (_lgamma(p[0]) + _lgamma(p[1]) - _lgamma(p[0] + p[1]) - (p[0] - 1) * _digamma(p[0])
                                - (p[1] - 1) * _digamma(p[1]) + (p[0] + p[1] - 2) * _digamma(p[0] + p[1])),
          "mean": lambda p: p[0] / (p[0] + p[1]),
          "variance": lambda p: p[0] * p[1] / ((p[0] + p[1]) ** 2 * (p[0] + p[1] + 1))},
         True),
    Case("Poisson", lambda r: D.Poisson(r), lambda t, r: t.distributions.Poisson(r),
         lambda: (_positive(),), lambda p: RNG.integers(0, 6, (4, 2, 3)).astype(float),
         {"log_prob": lambda p, x: x * np.log(p[0]) - p[0] - _lgamma(x + 1), "mean": lambda p: p[0],
          "variance": lambda p: p[0]},
         False),
    Case("Bernoulli", lambda q: D.Bernoulli(probs=q), lambda t, q: t.distributions.Bernoulli(probs=q),
         lambda: (RNG.uniform(0.1, 0.9, (2, 3)),), lambda p: RNG.integers(0, 2, (4, 2, 3)).astype(float),
         {"log_prob": lambda p, x: x * np.log(p[0]) + (1 - x) * np.log(1 - p[0]),
          "entropy": lambda p: -p[0] * np.log(p[0]) - (1 - p[0]) * np.log(1 - p[0]), "mean": lambda p: p[0],
          "variance": lambda p: p[0] * (1 - p[0])},
         False),
    Case("Bernoulli(logits)", lambda z: D.Bernoulli(logits=z), lambda t, z: t.distributions.Bernoulli(logits=z),
         lambda: (RNG.normal(0, 3, (2, 3)),), lambda p: RNG.integers(0, 2, (4, 2, 3)).astype(float),
         {"log_prob": lambda p, x: x * p[0] - np.log1p(np.exp(p[0])), "mean": lambda p: 1 / (1 + np.exp(-p[0]))},
         False),
    Case("Categorical", lambda q: D.Categorical(probs=q), lambda t, q: t.distributions.Categorical(probs=q),
         lambda: (RNG.uniform(0.1, 1, (2, 4)),), lambda p: RNG.integers(0, 4, (3, 2)),
         {"log_prob": lambda p, x: _picked(np.log(p[0] / p[0].sum(-1, keepdims=True)), x),
          "entropy": lambda p: -(p[0] / p[0].sum(-1, keepdims=True) * np.log(p[0] / p[0].sum(-1, keepdims=True)))
          .sum(-1)},
         False),
    Case("Categorical(logits)", lambda z: D.Categorical(logits=z),
         lambda t, z: t.distributions.Categorical(logits=z),
         lambda: (RNG.normal(0, 2, (2, 4)),), lambda p: RNG.integers(0, 4, (3, 2)),
         {"log_prob": lambda p, x: _picked(_log_softmax(p[0]), x),
          "entropy": lambda p: -(np.exp(_log_softmax(p[0])) * _log_softmax(p[0])).sum(-1)},
         False),
    Case("OneHotCategorical", lambda z: D.OneHotCategorical(logits=z),
         lambda t, z: t.distributions.OneHotCategorical(logits=z),
         lambda: (RNG.normal(0, 2, (2, 4)),), lambda p: np.eye(4)[RNG.integers(0, 4, (3, 2))],
         {"log_prob": lambda p, x: (x * _log_softmax(p[0])).sum(-1), "mean": lambda p: np.exp(_log_softmax(p[0]))},
         False),
    Case("MultivariateNormal", lambda m, c: D.MultivariateNormal(m, covariance_matrix=c),
         lambda t, m, c: t.distributions.MultivariateNormal(m, covariance_matrix=c),
         lambda: (RNG.normal(size=(2, 3)), _spd()), lambda p: RNG.normal(size=(4, 2, 3)),
         {"log_prob": _mvn_log_prob,
          "entropy": lambda p: 0.5 * 3 * (1 + LOG_2PI) + 0.5 * np.linalg.slogdet(p[1])[1],
          "mean": lambda p: p[0], "variance": lambda p: np.diagonal(p[1], axis1=-2, axis2=-1)},
         True),
    Case("MultivariateNormal(scale_tril)", lambda m, L: D.MultivariateNormal(m, scale_tril=L),
         lambda t, m, L: t.distributions.MultivariateNormal(m, scale_tril=L),
         lambda: (RNG.normal(size=(2, 3)), np.linalg.cholesky(_spd())), lambda p: RNG.normal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: _mvn_log_prob((p[0], p[1] @ np.swapaxes(p[1], -1, -2)), x)},
         True),
    Case("MultivariateNormal(precision_matrix)", lambda m, P: D.MultivariateNormal(m, precision_matrix=P),
         lambda t, m, P: t.distributions.MultivariateNormal(m, precision_matrix=P),
         lambda: (RNG.normal(size=(2, 3)), _spd()), lambda p: RNG.normal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: _mvn_log_prob((p[0], np.linalg.inv(p[1])), x)},
         True),
    Case("Independent(Normal)", lambda m, s: D.Independent(D.Normal(m, s), 1),
         lambda t, m, s: t.distributions.Independent(t.distributions.Normal(m, s), 1),
         lambda: (RNG.normal(size=(2, 3)), _positive()), lambda p: RNG.normal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: (-(x - p[0]) ** 2 / (2 * p[1] ** 2) - np.log(p[1]) - LOG_2PI / 2).sum(-1),
          "entropy": lambda p: (0.5 + LOG_2PI / 2 + np.log(p[1])).sum(-1)},
         True),
]
IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_match_the_numpy_formulas(case):
    check_numpy_formulas(case)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_and_shapes_match_torch(case):
    ours, theirs = check_matches_torch(pytest.importorskip("torch"), case, gradients=False)
    assert ours.has_rsample == theirs.has_rsample == case.rsample


@pytest.mark.parametrize("case", [c for c in CASES if "Categorical" not in c.name and "Bernoulli" not in c.name
                                  and "Poisson" not in c.name], ids=lambda c: c.name)
def test_gradients_of_log_prob_and_entropy_match_torch(case):
    torch = pytest.importorskip("torch")
    params = case.params()
    value = case.values(params)
    ours = [ag.tensor(p, requires_grad=True) for p in params]
    theirs = [torch.tensor(p, requires_grad=True) for p in params]
    cotangent = RNG.normal(size=value.shape[:value.ndim - len(case.ours(*params).event_shape)])
    (case.ours(*ours).log_prob(value) * cotangent).sum().backward()
    (case.theirs(torch, *theirs).log_prob(torch.tensor(value)) * torch.tensor(cotangent)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", ["Bernoulli(logits)", "Categorical(logits)", "Categorical", "OneHotCategorical"])
def test_gradients_of_the_discrete_log_probs_and_entropies_match_torch(name):
    torch = pytest.importorskip("torch")
    case = CASES[IDS.index(name)]
    params = case.params()
    value = case.values(params)
    ours, theirs = ag.tensor(params[0], requires_grad=True), torch.tensor(params[0], requires_grad=True)
    ours_dist, theirs_dist = case.ours(ours), case.theirs(torch, theirs)
    (ours_dist.log_prob(value).sum() + 0.7 * ours_dist.entropy().sum()).backward()
    (theirs_dist.log_prob(torch.tensor(value)).sum() + 0.7 * theirs_dist.entropy().sum()).backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-8, atol=1e-10)


# ---- finite differences over drawn parameters ----
_locations = float_arrays((2, 3), elements=elements(-3, 3))
_scales = float_arrays((2, 3), elements=elements(0.3, 3))
_concentrations = float_arrays((2, 3), elements=elements(0.3, 3))
_points = float_arrays((2, 3), elements=elements(-3, 3))
SCALE_FAMILIES = [D.Normal, D.Laplace]


@settings(max_examples=10)
@given(_locations, _scales, _points, st.sampled_from(SCALE_FAMILIES))
def test_location_scale_log_prob_entropy_cdf_gradients_match_finite_differences(loc, scale, x, family):
    if family is D.Laplace:  # (|x - loc| has a kink at loc: keep the points away from it)
        x = np.where(np.abs(x - loc) < 1e-2, loc + 0.5, x)
    assert gradcheck(lambda m, s, v: family(m, s).log_prob(v), loc, scale, x)
    assert gradcheck(lambda s: family(0.0, s).entropy(), scale)
    assert gradcheck(lambda m, s: family(m, s).cdf(x), loc, scale)


@settings(max_examples=10)
@given(_concentrations, _concentrations, float_arrays((2, 3), elements=elements(0.05, 4)))
def test_gamma_beta_exponential_poisson_gradients_match_finite_differences(a, b, x):
    assert gradcheck(lambda c, r: D.Gamma(c, r).log_prob(x), a, b)
    assert gradcheck(lambda c, r: D.Gamma(c, r).entropy(), a, b)
    assert gradcheck(lambda c1, c0: D.Beta(c1, c0).log_prob(x / 4.1), a, b)
    assert gradcheck(lambda c1, c0: D.Beta(c1, c0).entropy(), a, b)
    assert gradcheck(lambda r: D.Exponential(r).log_prob(x) + D.Exponential(r).cdf(x), a)
    assert gradcheck(lambda r: D.Poisson(r).log_prob(np.round(x)), a)


def test_concentration_one_keeps_the_log_of_the_value_in_the_gradient():
    # the flat prior and usual start; PyTorch's xlogy gives 0 for d/da (a - 1) log(x) at a = 1, dropping log(x)
    x, rate, point = np.array([0.2, 1.5, 3.0]), 2.0, np.array([0.1, 0.3, 0.6])
    a = ag.tensor(np.ones(3), requires_grad=True)
    D.Gamma(a, rate).log_prob(x).sum().backward()
    np.testing.assert_allclose(a.grad.data, np.log(rate) + np.log(x) - ag.digamma(1.0).item(), rtol=1e-13)
    a.grad = None
    D.Beta(a, 2.0).log_prob(x / 4).sum().backward()
    np.testing.assert_allclose(a.grad.data, np.log(x / 4) - ag.digamma(1.0).item() + ag.digamma(3.0).item(), rtol=1e-13)
    a.grad = None
    D.Dirichlet(a).log_prob(point).backward()
    np.testing.assert_allclose(a.grad.data, np.log(point) - ag.digamma(1.0).item() + ag.digamma(3.0).item(),
                               rtol=1e-13)


@settings(max_examples=10)
@given(float_arrays((2, 4), elements=elements(-4, 4)), st.integers(0, 3))
def test_categorical_and_bernoulli_gradients_match_finite_differences(logits, k):
    assert gradcheck(lambda z: D.Categorical(logits=z).log_prob(np.array([k, 3 - k])), logits)
    assert gradcheck(lambda z: D.Categorical(logits=z).entropy(), logits)
    assert gradcheck(lambda p: D.Categorical(probs=p).log_prob(np.array([k, 0])), np.exp(logits))
    assert gradcheck(lambda z: D.Bernoulli(logits=z).log_prob(np.eye(2, 4)) + D.Bernoulli(logits=z).entropy(),
                     logits)
    assert gradcheck(lambda p: D.Bernoulli(probs=p).log_prob(np.eye(2, 4)), 1 / (1 + np.exp(logits)))


@settings(max_examples=10)
@given(_locations, _scales)
def test_rsample_gradients_match_finite_differences(loc, scale):
    # (a fixed seed: each evaluation sees the same noise, as a reparameterised sample should)
    assert gradcheck(lambda m, s: (D.Normal(m, s).rsample((3,), rng=1) ** 2).mean(0), loc, scale)
    assert gradcheck(lambda m, s: D.Laplace(m, s).rsample((2,), rng=2).sin(), loc, scale)
    assert gradcheck(lambda lo, w: D.Uniform(lo, lo + w).rsample(rng=3), loc, scale)
    assert gradcheck(lambda r: D.Exponential(r).rsample((2,), rng=4), scale)


def test_multivariate_normal_gradients_match_finite_differences():
    loc, cov, x = RNG.normal(size=(2, 3)), _spd(), RNG.normal(size=(2, 3))
    tril = np.linalg.cholesky(cov)
    assert gradcheck(lambda m, c: D.MultivariateNormal(m, covariance_matrix=(c + c.swapaxes(-1, -2)) / 2)
                     .log_prob(x), loc, cov)
    assert gradcheck(lambda m, L: D.MultivariateNormal(m, scale_tril=L.tril()).log_prob(x), loc, tril)
    assert gradcheck(lambda L: D.MultivariateNormal(loc, scale_tril=L.tril()).entropy(), tril)
    assert gradcheck(lambda m, L: D.MultivariateNormal(m, scale_tril=L.tril()).rsample((2,), rng=0), loc, tril)


def test_second_derivatives_of_log_prob_and_entropy():
    loc, scale, x = RNG.normal(size=3), _positive(3), RNG.normal(size=3)
    assert gradgradcheck(lambda m, s: D.Normal(m, s).log_prob(x), loc, scale)
    assert gradgradcheck(lambda z: D.Categorical(logits=z).log_prob(np.array([0, 2])), RNG.normal(size=(2, 3)))
    assert gradgradcheck(lambda z: D.Categorical(logits=z).entropy(), RNG.normal(size=(2, 3)))
    assert gradgradcheck(lambda c, r: D.Gamma(c, r).log_prob(np.abs(x) + 0.1), scale, scale + 1)
    assert gradgradcheck(lambda m, L: D.MultivariateNormal(m, scale_tril=L.tril()).log_prob(x),
                         loc, np.linalg.cholesky(_spd(batch=())))


def test_hessian_of_normal_log_prob_in_the_location_is_minus_one_over_the_variance():
    scale = 1.5
    hessian = ag.hessian(lambda m: D.Normal(m, scale).log_prob(0.3).sum())(np.array([0.1, -0.2]))
    np.testing.assert_allclose(hessian.data, -np.eye(2) / scale ** 2)


# ---- samples ----
SAMPLED = [(D.Normal(1.5, 2.0), 1.5, 4.0), (D.Laplace(-1.0, 0.5), -1.0, 0.5), (D.Exponential(2.0), 0.5, 0.25),
           (D.Uniform(-1.0, 3.0), 1.0, 16 / 12), (D.Gamma(3.0, 2.0), 1.5, 0.75), (D.Beta(2.0, 5.0), 2 / 7, 10 / 392),
           (D.Poisson(3.5), 3.5, 3.5), (D.Bernoulli(0.3), 0.3, 0.21),
           (D.Categorical(probs=ag.tensor([0.2, 0.5, 0.3])), 1.1, 0.49)]


@pytest.mark.parametrize("dist,mean,variance", SAMPLED, ids=[type(d).__name__ for d, _, _ in SAMPLED])
def test_sample_moments_of_20000_draws(dist, mean, variance):
    draws = dist.sample((20000,), rng=0).data.astype(np.float64)
    assert draws.shape == (20000,)
    standard_error = math.sqrt(variance / 20000)
    assert abs(draws.mean() - mean) < 5 * standard_error
    assert abs(draws.var() - variance) < 0.05 * variance


def test_multivariate_normal_sample_covariance():
    cov = np.array([[2.0, 0.6], [0.6, 1.0]])
    draws = D.MultivariateNormal(np.array([1.0, -1.0]), cov).sample((20000,), rng=0).data
    np.testing.assert_allclose(draws.mean(0), [1.0, -1.0], atol=0.05)
    np.testing.assert_allclose(np.cov(draws.T), cov, atol=0.06)


def test_one_hot_categorical_samples_are_one_hot_with_the_class_frequencies():
    draws = D.OneHotCategorical(probs=ag.tensor([0.2, 0.5, 0.3])).sample((20000,), rng=0).data
    assert set(draws.sum(-1)) == {1.0}
    np.testing.assert_allclose(draws.mean(0), [0.2, 0.5, 0.3], atol=0.015)


def test_samples_are_constants_and_rsamples_carry_the_gradient():
    loc = ag.tensor([0.0, 1.0], requires_grad=True)
    assert not D.Normal(loc, 1.0).sample().requires_grad
    drawn = D.Normal(loc, 2.0).rsample((3,), rng=0)
    drawn.sum().backward()
    np.testing.assert_array_equal(loc.grad.data, [3.0, 3.0])


def test_manual_seed_and_rng_give_reproducible_draws():
    ag.manual_seed(7)
    first = D.Normal(0.0, 1.0).sample((4,))
    ag.manual_seed(7)
    np.testing.assert_array_equal(D.Normal(0.0, 1.0).sample((4,)).data, first.data)
    np.testing.assert_array_equal(D.Categorical(logits=ag.zeros(5)).sample((6,), rng=3).data,
                                  D.Categorical(logits=ag.zeros(5)).sample((6,), generator=np.random.default_rng(3))
                                  .data)
    expected = np.random.default_rng(5).standard_normal((2,)) * 2.0 + 1.0
    np.testing.assert_allclose(D.Normal(1.0, 2.0).sample((2,), rng=5).data, expected)


def test_float32_parameters_give_float32_results():
    dist = D.Normal(ag.zeros(2, dtype=ag.float32), 1.0)
    assert dist.scale.dtype == np.float32
    assert dist.sample().dtype == np.float32 and dist.rsample().dtype == np.float32
    assert dist.log_prob(ag.zeros(2, dtype=ag.float32)).dtype == np.float32
    assert D.Categorical(logits=ag.zeros(3, dtype=ag.float32)).entropy().dtype == np.float32


def test_python_numbers_give_float64_parameters():
    assert D.Normal(0, 1).loc.dtype == np.float64 and D.Bernoulli(0.5).probs.dtype == np.float64
