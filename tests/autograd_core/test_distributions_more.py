"""ag.distributions beyond the first set: LogNormal, HalfNormal, Cauchy, StudentT, Dirichlet, Binomial, Geometric,
RelaxedBernoulli, RelaxedOneHotCategorical, MixtureSameFamily and LowRankMultivariateNormal. Each is declared once
with NumPy references of its log_prob, entropy and moments; values are checked against them and against
torch.distributions, gradients against finite differences (parameters drawn by Hypothesis) and against torch's, and
seeded samples by their statistics; then their KL divergences, validation errors and shapes. The transforms and
TransformedDistribution itself are in test_distribution_transforms.py."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import distributions as D
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import elements, float_arrays
from distribution_references import Case, check_matches_torch, check_numpy_formulas, digamma as _digamma, erf as _erf, \
    lgamma as _lgamma

RNG = np.random.default_rng(2)
LOG_2PI = math.log(2 * math.pi)
def _positive(shape=(2, 3), low=0.5, high=2.5):
    return RNG.uniform(low, high, size=shape)


def _simplex(shape):
    points = RNG.gamma(1.5, size=shape)
    return points / points.sum(-1, keepdims=True)


def _logsumexp(x, axis=-1):
    top = x.max(axis, keepdims=True)
    return (top + np.log(np.exp(x - top).sum(axis, keepdims=True))).squeeze(axis)


def _student_t_log_prob(p, x):
    df, loc, scale = p
    z = (x - loc) / scale
    return (_lgamma((df + 1) / 2) - _lgamma(df / 2) - 0.5 * np.log(df * math.pi) - np.log(scale)
            - (df + 1) / 2 * np.log1p(z ** 2 / df))


def _dirichlet_log_prob(p, x):
    a = p[0]
    return ((a - 1) * np.log(x)).sum(-1) + _lgamma(a.sum(-1)) - _lgamma(a).sum(-1)


def _binomial_log_prob(p, k):
    n, q = p
    return _lgamma(n + 1) - _lgamma(k + 1) - _lgamma(n - k + 1) + k * np.log(q) + (n - k) * np.log1p(-q)


def _concrete_log_prob(p, y):
    """The Concrete density of Maddison et al. (2017), eq. (6): (K-1)! T^(K-1) prod(pi y^(-T-1)) / (sum pi y^-T)^K."""
    temperature, probs = p
    t, k = temperature[..., None], y.shape[-1]
    probs = probs / probs.sum(-1, keepdims=True)
    return (math.lgamma(k) + (k - 1) * np.log(temperature) + (np.log(probs) - (t + 1) * np.log(y)).sum(-1)
            - k * np.log((probs * y ** -t).sum(-1)))


def _gmm_log_prob(p, x):
    weights, loc, scale = p
    x = x[..., None]
    logs = np.log(weights) - (x - loc) ** 2 / (2 * scale ** 2) - np.log(scale) - LOG_2PI / 2
    return _logsumexp(logs)


# ---- the declarations ----
# ours(*params) and theirs(torch, *params) build the distribution from ndarrays; params() draws parameters of the
# batch shape (2, 3) (or (2,) for the vector ones); values(params) draws points of the support; reference maps a
# quantity to its NumPy formula of (params, value) or (params).
CASES = [
    Case("LogNormal", D.LogNormal, lambda t, m, s: t.distributions.LogNormal(m, s),
         lambda: (RNG.normal(size=(2, 3)), _positive()), lambda p: RNG.lognormal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: -(np.log(x) - p[0]) ** 2 / (2 * p[1] ** 2) - np.log(p[1] * x) - LOG_2PI / 2,
          "entropy": lambda p: 0.5 + LOG_2PI / 2 + np.log(p[1]) + p[0],
          "mean": lambda p: np.exp(p[0] + p[1] ** 2 / 2),
          "variance": lambda p: (np.exp(p[1] ** 2) - 1) * np.exp(2 * p[0] + p[1] ** 2),
          "cdf": lambda p, x: 0.5 * (1 + _erf((np.log(x) - p[0]) / (p[1] * math.sqrt(2))))}),
    Case("HalfNormal", D.HalfNormal, lambda t, s: t.distributions.HalfNormal(s),
         lambda: (_positive(),), lambda p: RNG.exponential(size=(4, 2, 3)),
         {"log_prob": lambda p, x: math.log(2) - x ** 2 / (2 * p[0] ** 2) - np.log(p[0]) - LOG_2PI / 2,
          "entropy": lambda p: 0.5 * np.log(math.pi * p[0] ** 2 / 2) + 0.5,
          "mean": lambda p: p[0] * math.sqrt(2 / math.pi), "variance": lambda p: p[0] ** 2 * (1 - 2 / math.pi),
          "cdf": lambda p, x: _erf(x / (p[0] * math.sqrt(2)))}),
    Case("Cauchy", D.Cauchy, lambda t, m, s: t.distributions.Cauchy(m, s),
         lambda: (RNG.normal(size=(2, 3)), _positive()), lambda p: 3 * RNG.normal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: -np.log(math.pi * p[1] * (1 + ((x - p[0]) / p[1]) ** 2)),
          "entropy": lambda p: np.log(4 * math.pi * p[1]),
          "cdf": lambda p, x: np.arctan((x - p[0]) / p[1]) / math.pi + 0.5}),
    Case("StudentT", D.StudentT, lambda t, df, m, s: t.distributions.StudentT(df, m, s),
         lambda: (_positive(low=0.6, high=5.0), RNG.normal(size=(2, 3)), _positive()),
         lambda p: 3 * RNG.normal(size=(4, 2, 3)),
         {"log_prob": _student_t_log_prob,
          "entropy": lambda p: (np.log(p[2]) + (p[0] + 1) / 2 * (_digamma((p[0] + 1) / 2) - _digamma(p[0] / 2))
                                + 0.5 * np.log(p[0]) + _lgamma(p[0] / 2) + math.lgamma(0.5)
                                - _lgamma((p[0] + 1) / 2))}),
    Case("Dirichlet", D.Dirichlet, lambda t, a: t.distributions.Dirichlet(a),
         lambda: (_positive((2, 4)),), lambda p: _simplex((3, 2, 4)),
         {"log_prob": _dirichlet_log_prob,
          "entropy": lambda p: (_lgamma(p[0]).sum(-1) - _lgamma(p[0].sum(-1))
                                + (p[0].sum(-1) - 4) * _digamma(p[0].sum(-1))
                                - ((p[0] - 1) * _digamma(p[0])).sum(-1)),
          "mean": lambda p: p[0] / p[0].sum(-1, keepdims=True),
          "variance": lambda p: (p[0] * (p[0].sum(-1, keepdims=True) - p[0])
                                 / (p[0].sum(-1, keepdims=True) ** 2 * (p[0].sum(-1, keepdims=True) + 1)))}),
    Case("Binomial", lambda n, q: D.Binomial(n, probs=q), lambda t, n, q: t.distributions.Binomial(n, probs=q),
         lambda: (np.full((2, 3), 7.0), RNG.uniform(0.1, 0.9, (2, 3))),
         lambda p: RNG.integers(0, 8, (4, 2, 3)).astype(float),
         {"log_prob": _binomial_log_prob, "mean": lambda p: p[0] * p[1], "variance": lambda p: p[0] * p[1] * (1 - p[1]),
          "entropy": lambda p: -sum(np.exp(_binomial_log_prob(p, k)) * _binomial_log_prob(p, k) for k in range(8))}),
    Case("Binomial(logits)", lambda n, z: D.Binomial(n, logits=z),
         lambda t, n, z: t.distributions.Binomial(n, logits=z),
         lambda: (RNG.integers(0, 9, (2, 3)).astype(float), RNG.normal(0, 2, (2, 3))),
         lambda p: np.minimum(RNG.integers(0, 9, (4, 2, 3)), p[0]),
         {"log_prob": lambda p, k: _binomial_log_prob((p[0], 1 / (1 + np.exp(-p[1]))), k),
          "mean": lambda p: p[0] / (1 + np.exp(-p[1]))}),
    Case("Geometric", lambda q: D.Geometric(probs=q), lambda t, q: t.distributions.Geometric(probs=q),
         lambda: (RNG.uniform(0.1, 0.9, (2, 3)),), lambda p: RNG.integers(0, 6, (4, 2, 3)).astype(float),
         {"log_prob": lambda p, k: k * np.log1p(-p[0]) + np.log(p[0]),
          "entropy": lambda p: -((1 - p[0]) * np.log1p(-p[0]) + p[0] * np.log(p[0])) / p[0],
          "mean": lambda p: 1 / p[0] - 1, "variance": lambda p: (1 - p[0]) / p[0] ** 2}),
    Case("RelaxedBernoulli", lambda t, q: D.RelaxedBernoulli(t, probs=q),
         lambda torch, t, q: torch.distributions.RelaxedBernoulli(t, probs=q),
         lambda: (_positive((2, 3), 0.2, 2.0), RNG.uniform(0.1, 0.9, (2, 3))),
         lambda p: RNG.uniform(0.02, 0.98, (4, 2, 3)),
         # (the logistic density of the logit, T exp(-T u + l) / (1 + exp(-T u + l))^2, over dy = y (1 - y) du)
         {"log_prob": lambda p, y: (np.log(p[0]) + np.log(p[1] / (1 - p[1])) - p[0] * np.log(y / (1 - y))
                                    - 2 * np.log1p(np.exp(np.log(p[1] / (1 - p[1])) - p[0] * np.log(y / (1 - y))))
                                    - np.log(y * (1 - y)))}),
    Case("RelaxedOneHotCategorical", lambda t, q: D.RelaxedOneHotCategorical(t, probs=q),
         lambda torch, t, q: torch.distributions.RelaxedOneHotCategorical(t, probs=q),
         lambda: (np.array(RNG.uniform(0.3, 2.0)), RNG.uniform(0.1, 1, (2, 4))), lambda p: _simplex((3, 2, 4)),
         {"log_prob": _concrete_log_prob}),
    Case("MixtureSameFamily", lambda w, m, s: D.MixtureSameFamily(D.Categorical(probs=w), D.Normal(m, s)),
         lambda t, w, m, s: t.distributions.MixtureSameFamily(t.distributions.Categorical(probs=w),
                                                              t.distributions.Normal(m, s)),
         lambda: (_simplex((2, 3)), RNG.normal(size=(2, 3)), _positive()), lambda p: RNG.normal(size=(4, 2)),
         {"log_prob": _gmm_log_prob, "mean": lambda p: (p[0] * p[1]).sum(-1),
          "variance": lambda p: (p[0] * (p[2] ** 2 + p[1] ** 2)).sum(-1) - (p[0] * p[1]).sum(-1) ** 2,
          "cdf": lambda p, x: (p[0] * 0.5 * (1 + _erf((x[..., None] - p[1]) / (p[2] * math.sqrt(2))))).sum(-1)}),
]
IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_match_the_numpy_formulas(case):
    check_numpy_formulas(case)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_shapes_and_gradients_match_torch(case):
    check_matches_torch(pytest.importorskip("torch"), case)


# ---- finite differences over drawn parameters ----
_locations = float_arrays((2, 3), elements=elements(-3, 3))
_scales = float_arrays((2, 3), elements=elements(0.3, 3))
_points = float_arrays((2, 3), elements=elements(0.05, 4))


@settings(max_examples=10, deadline=None)
@given(_locations, _scales, _points)
def test_continuous_log_prob_entropy_cdf_gradients_match_finite_differences(loc, scale, x):
    assert gradcheck(lambda m, s, v: D.LogNormal(m, s).log_prob(v), loc, scale, x)
    assert gradcheck(lambda m, s: D.LogNormal(m, s).entropy() + D.LogNormal(m, s).cdf(x), loc, scale)
    assert gradcheck(lambda s, v: D.HalfNormal(s).log_prob(v) + D.HalfNormal(s).cdf(v), scale, x)
    assert gradcheck(lambda m, s, v: D.Cauchy(m, s).log_prob(v) + D.Cauchy(m, s).cdf(v), loc, scale, x)
    assert gradcheck(lambda df, m, s: D.StudentT(df, m, s).log_prob(x - 2), scale, loc, scale)
    assert gradcheck(lambda df, s: D.StudentT(df, 0.0, s).entropy(), scale, scale)


@settings(max_examples=10, deadline=None)
@given(float_arrays((2, 4), elements=elements(0.3, 4)), float_arrays((2, 4), elements=elements(-3, 3)))
def test_dirichlet_binomial_geometric_gradients_match_finite_differences(concentration, logits):
    point = _simplex((2, 4))
    assert gradcheck(lambda a: D.Dirichlet(a).log_prob(point) + D.Dirichlet(a).entropy(), concentration)
    counts = np.array([[0.0, 3.0, 5.0, 2.0], [1.0, 5.0, 4.0, 0.0]])
    assert gradcheck(lambda z: D.Binomial(5, logits=z).log_prob(counts) + D.Binomial(5, logits=z).entropy(), logits)
    assert gradcheck(lambda z: D.Geometric(logits=z).log_prob(counts) + D.Geometric(logits=z).entropy(), logits)
    assert gradcheck(lambda q: D.Geometric(probs=q).log_prob(counts), 1 / (1 + np.exp(logits)))


@settings(max_examples=10, deadline=None)
@given(float_arrays((2, 3), elements=elements(-3, 3)), st.floats(0.2, 2.0))
def test_relaxed_rsample_and_log_prob_gradients_match_finite_differences(logits, temperature):
    # (a fixed seed: each evaluation sees the same noise, as a reparameterised sample should)
    assert gradcheck(lambda z, t: D.RelaxedBernoulli(t, logits=z).rsample((2,), rng=0), logits, temperature)
    assert gradcheck(lambda z, t: D.RelaxedOneHotCategorical(t, logits=z).rsample((2,), rng=1), logits, temperature)
    point = _simplex((2, 3))
    assert gradcheck(lambda z, t: D.RelaxedOneHotCategorical(t, logits=z).log_prob(point), logits, temperature)
    assert gradcheck(lambda z, t: D.RelaxedBernoulli(t, logits=z).log_prob(point), logits, temperature)


@settings(max_examples=10, deadline=None)
@given(float_arrays((3,), elements=elements(-2, 2)), float_arrays((3,), elements=elements(-3, 3)),
       float_arrays((3,), elements=elements(0.3, 3)))
def test_mixture_log_prob_gradients_match_finite_differences(logits, loc, scale):
    x = np.array([-1.0, 0.2, 2.5])[:, None]
    assert gradcheck(lambda z, m, s: D.MixtureSameFamily(D.Categorical(logits=z), D.Normal(m, s)).log_prob(x),
                     logits, loc, scale)


def test_rsample_carries_the_gradient_of_the_location():
    loc = ag.tensor([0.0, 1.0], requires_grad=True)
    D.Cauchy(loc, 2.0).rsample((3,), rng=0).sum().backward()
    np.testing.assert_array_equal(loc.grad.data, [3.0, 3.0])
    loc = ag.tensor(0.3, requires_grad=True)
    drawn = D.LogNormal(loc, 0.5).rsample((4,), rng=1)
    drawn.sum().backward()
    np.testing.assert_allclose(loc.grad.data, drawn.data.sum())  # (d exp(loc + s e) / d loc = the sample)


# ---- samples ----
SAMPLED = [(D.LogNormal(0.2, 0.5), math.exp(0.325), (math.exp(0.25) - 1) * math.exp(0.65)),
           (D.HalfNormal(2.0), 2 * math.sqrt(2 / math.pi), 4 * (1 - 2 / math.pi)),
           (D.StudentT(6.0, 1.0, 2.0), 1.0, 4 * 6 / 4), (D.Binomial(10, probs=0.3), 3.0, 2.1),
           (D.Geometric(probs=0.3), 7 / 3, 0.7 / 0.09),
           (D.MixtureSameFamily(D.Categorical(probs=ag.tensor([0.3, 0.7])), D.Normal(ag.tensor([-2.0, 1.0]), 0.5)),
            0.1, 0.25 + 0.3 * 4 + 0.7 * 1 - 0.01)]


@pytest.mark.parametrize("dist,mean,variance", SAMPLED, ids=[type(d).__name__ for d, _, _ in SAMPLED])
def test_sample_moments_of_40000_draws(dist, mean, variance):
    draws = dist.sample((40000,), rng=0).data.astype(np.float64)
    assert draws.shape == (40000,)
    assert abs(draws.mean() - mean) < 5 * math.sqrt(variance / 40000)
    assert abs(draws.var() - variance) < 0.08 * variance


def test_cauchy_sample_quartiles_are_loc_plus_and_minus_scale():
    draws = D.Cauchy(1.0, 2.0).sample((40000,), rng=0).data
    np.testing.assert_allclose(np.quantile(draws, [0.25, 0.5, 0.75]), [-1.0, 1.0, 3.0], atol=0.08)


def test_dirichlet_samples_lie_on_the_simplex_with_its_moments():
    concentration = np.array([1.0, 2.0, 5.0])
    draws = D.Dirichlet(concentration).sample((40000,), rng=0).data
    np.testing.assert_allclose(draws.sum(-1), 1.0, rtol=1e-12)
    total = concentration.sum()
    np.testing.assert_allclose(draws.mean(0), concentration / total, atol=0.005)
    np.testing.assert_allclose(draws.var(0), concentration * (total - concentration) / (total ** 2 * (total + 1)),
                               rtol=0.05)


def test_relaxed_samples_keep_the_discrete_probabilities():
    # P(RelaxedBernoulli > 1/2) is probs at every temperature; the argmax of a Gumbel-softmax sample is the
    # class k with probability probs[k] (the Gumbel-max trick)
    draws = D.RelaxedBernoulli(0.7, probs=0.3).sample((40000,), rng=0).data
    assert np.all((draws > 0) & (draws < 1))
    assert abs((draws > 0.5).mean() - 0.3) < 5 * math.sqrt(0.21 / 40000)
    probs = np.array([0.2, 0.5, 0.3])
    draws = D.RelaxedOneHotCategorical(1.5, probs=probs).sample((40000,), rng=0).data
    np.testing.assert_allclose(draws.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.bincount(draws.argmax(-1), minlength=3) / 40000, probs, atol=0.012)
    cold = D.RelaxedOneHotCategorical(0.01, probs=probs).sample((2000,), rng=0).data
    assert cold.max(-1).mean() > 0.99  # (nearly one-hot at low temperature)


def test_samples_are_constants_and_batch_shapes_broadcast():
    scale = ag.tensor([1.0, 2.0], requires_grad=True)
    assert not D.HalfNormal(scale).sample().requires_grad
    assert D.StudentT(ag.tensor([2.0, 3.0]), 0.0, ag.ones((3, 1))).sample((4,)).shape == (4, 3, 2)
    gmm = D.MixtureSameFamily(D.Categorical(logits=ag.zeros((2, 3))),
                              D.Independent(D.Normal(ag.zeros((2, 3, 4)), 1.0), 1))
    assert (gmm.batch_shape, gmm.event_shape, gmm.sample((5,)).shape) == ((2,), (4,), (5, 2, 4))
    assert gmm.log_prob(ag.zeros((5, 2, 4))).shape == (5, 2) and gmm.mean.shape == (2, 4)
    assert gmm.variance.shape == (2, 4)
    assert D.Binomial(ag.tensor([3.0, 4.0]), probs=0.5).sample((6,)).shape == (6, 2)


def test_mixture_samples_pick_the_chosen_component_of_each_batch_entry():
    # components far apart and nearly point masses: each sample shows which component was chosen
    mix = D.Categorical(probs=ag.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    components = D.Normal(ag.tensor([[0.0, 10.0, 20.0], [30.0, 40.0, 50.0]]), 1e-6)
    draws = D.MixtureSameFamily(mix, components).sample((3,), rng=0).data
    np.testing.assert_allclose(draws, np.tile([0.0, 50.0], (3, 1)), atol=1e-4)
    # (one mixture for the whole batch: its batch_shape () broadcasts against the components' (2,))
    shared = D.Categorical(probs=ag.tensor([0.0, 1.0, 0.0]))
    draws = D.MixtureSameFamily(shared, components).sample((5,), rng=0).data
    np.testing.assert_allclose(draws, np.tile([10.0, 40.0], (5, 1)), atol=1e-4)


# ---- KL divergences ----
def test_kl_dirichlet_lognormal_halfnormal_cauchy_match_the_closed_forms():
    a, b = _positive((2, 3)), _positive((2, 3))
    expected = (_lgamma(a.sum(-1)) - _lgamma(b.sum(-1)) - (_lgamma(a) - _lgamma(b)).sum(-1)
                + ((a - b) * (_digamma(a) - _digamma(a.sum(-1))[:, None])).sum(-1))
    np.testing.assert_allclose(D.kl_divergence(D.Dirichlet(a), D.Dirichlet(b)).data, expected, rtol=1e-7)
    m1, s1, m2, s2 = RNG.normal(size=3), _positive(3), RNG.normal(size=3), _positive(3)
    # (atol: with random scales a KL can be near 0, where both sides' rounding of order-1 terms is all that is left)
    normal_kl = np.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5
    np.testing.assert_allclose(D.kl_divergence(D.LogNormal(m1, s1), D.LogNormal(m2, s2)).data, normal_kl,
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(D.kl_divergence(D.HalfNormal(s1), D.HalfNormal(s2)).data,
                               np.log(s2 / s1) + s1 ** 2 / (2 * s2 ** 2) - 0.5, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(D.kl_divergence(D.Cauchy(m1, s1), D.Cauchy(m2, s2)).data,
                               np.log(((s1 + s2) ** 2 + (m1 - m2) ** 2) / (4 * s1 * s2)), rtol=1e-12, atol=1e-14)


def test_kl_binomial_geometric_match_the_exact_sums():
    counts = np.arange(9.0)
    p, q = D.Binomial(8, probs=0.3), D.Binomial(8, probs=0.6)
    log_p, log_q = _binomial_log_prob((8.0, 0.3), counts), _binomial_log_prob((8.0, 0.6), counts)
    np.testing.assert_allclose(D.kl_divergence(p, q).data, (np.exp(log_p) * (log_p - log_q)).sum(), rtol=1e-10)
    assert np.isinf(D.kl_divergence(D.Binomial(9, probs=0.3), q).item())
    with pytest.raises(NotImplementedError, match="fewer trials"):
        D.kl_divergence(q, D.Binomial(9, probs=0.3))
    counts = np.arange(400.0)
    log_p, log_q = counts * np.log1p(-0.3) + np.log(0.3), counts * np.log1p(-0.6) + np.log(0.6)
    np.testing.assert_allclose(D.kl_divergence(D.Geometric(probs=0.3), D.Geometric(probs=0.6)).data,
                               (np.exp(log_p) * (log_p - log_q)).sum(), rtol=1e-10)


KL_PAIRS = {
    "Dirichlet": lambda m, a, b: m.Dirichlet(a * b),
    "LogNormal": lambda m, a, b: m.LogNormal(a - 1, b), "HalfNormal": lambda m, a, b: m.HalfNormal(a * b),
    "Cauchy": lambda m, a, b: m.Cauchy(a, b), "Geometric": lambda m, a, b: m.Geometric(probs=a / (a + b)),
    "Binomial": lambda m, a, b: m.Binomial(5, probs=a / (a + b)),
}


@pytest.mark.parametrize("name", list(KL_PAIRS))
def test_kl_values_and_gradients_match_torch(name):
    torch = pytest.importorskip("torch")
    build = KL_PAIRS[name]
    params = [_positive((2, 3)) for _ in range(4)]
    ours = [ag.tensor(p, requires_grad=True) for p in params]
    theirs = [torch.tensor(p, requires_grad=True) for p in params]
    got = D.kl_divergence(build(D, *ours[:2]), build(D, *ours[2:]))
    expected = torch.distributions.kl_divergence(build(torch.distributions, *theirs[:2]),
                                                 build(torch.distributions, *theirs[2:]))
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-9, atol=1e-12)
    got.sum().backward()
    expected.sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-10)


def test_kl_gradients_match_finite_differences():
    a, b = _positive((2, 3)), _positive((2, 3))
    assert gradcheck(lambda x, y: D.kl_divergence(D.Dirichlet(x), D.Dirichlet(y)), a, b)
    assert gradcheck(lambda x, y: D.kl_divergence(D.LogNormal(x, y), D.LogNormal(y, x)), a, b)
    assert gradcheck(lambda x, y: D.kl_divergence(D.Cauchy(x, y), D.Cauchy(y, x)), a, b)


# ---- validation ----
@pytest.mark.parametrize("build,match", [
    (lambda: D.Dirichlet(np.array([1.0, -1.0])), "Dirichlet.*concentration"),
    (lambda: D.Dirichlet(1.0), "Dirichlet: concentration must be at least one-dimensional"),
    (lambda: D.Binomial(2.5, probs=0.5), "Binomial.*total_count"),
    (lambda: D.Binomial(3, probs=1.5), "Binomial.*probs"),
    (lambda: D.Binomial(3, probs=0.5, logits=0.0), "Binomial: give either probs or logits"),
    (lambda: D.Geometric(probs=0.0), "Geometric.*probs.*GreaterThan"),
    (lambda: D.StudentT(0.0), "StudentT.*df"),
    (lambda: D.Cauchy(0.0, -1.0), "Cauchy.*scale"),
    (lambda: D.HalfNormal(-1.0), "Normal.*scale"),
    (lambda: D.LogNormal(0.0, 0.0), "Normal.*scale"),
    (lambda: D.RelaxedBernoulli(0.0, probs=0.5), "LogitRelaxedBernoulli.*temperature"),
    (lambda: D.RelaxedOneHotCategorical(-1.0, probs=np.ones(3) / 3), "ExpRelaxedCategorical.*temperature"),
])
def test_invalid_parameters_raise_naming_the_distribution(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_values_outside_the_support_raise():
    for dist, value in [(D.Dirichlet(np.ones(3)), [0.5, 0.6, 0.1]), (D.Binomial(3, probs=0.5), 4.0),
                        (D.Binomial(3, probs=0.5), 1.5), (D.Geometric(probs=0.5), -1.0), (D.HalfNormal(1.0), -0.5),
                        (D.LogNormal(0.0, 1.0), 0.0), (D.RelaxedBernoulli(1.0, probs=0.5), 1.5),
                        (D.RelaxedOneHotCategorical(1.0, probs=np.ones(2) / 2), [0.3, 0.3])]:
        with pytest.raises(ValueError, match=f"{type(dist).__name__}.log_prob: .*support"):
            dist.log_prob(value)
    assert D.HalfNormal(1.0, validate_args=False).log_prob(-0.5).item() == -math.inf


def test_mixture_arguments_are_checked():
    with pytest.raises(ValueError, match="mixture_distribution must be a Categorical"):
        D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(np.zeros(2), 1.0))
    with pytest.raises(ValueError, match="2 components but component_distribution has 3"):
        D.MixtureSameFamily(D.Categorical(logits=np.zeros(2)), D.Normal(np.zeros(3), 1.0))
    with pytest.raises(ValueError, match="batch_shape must hold the components"):
        D.MixtureSameFamily(D.Categorical(logits=np.zeros(1)), D.Normal(0.0, 1.0))
    with pytest.raises(ValueError, match=r"batch_shape \(4,\) must broadcast"):
        D.MixtureSameFamily(D.Categorical(logits=np.zeros((4, 2))), D.Normal(np.zeros((3, 2)), 1.0))


def test_binomial_entropy_needs_one_total_count():
    with pytest.raises(NotImplementedError, match="one total_count"):
        D.Binomial(ag.tensor([2.0, 3.0]), probs=0.5).entropy()


def test_expand_and_repr():
    assert D.LogNormal(0.0, 1.0).expand((2, 3)).sample().shape == (2, 3)
    assert D.Dirichlet(np.ones(3)).expand((4,)).sample().shape == (4, 3)
    assert D.RelaxedOneHotCategorical(0.5, logits=np.zeros(3)).expand((2,)).rsample().shape == (2, 3)
    assert D.Geometric(probs=0.5).expand((2,)).log_prob(np.zeros(2)).shape == (2,)
    assert repr(D.LogNormal(0.0, 1.0)) == "LogNormal(loc: 0.0, scale: 1.0)"
    assert repr(D.StudentT(2.0)) == "StudentT(df: 2.0, loc: 0.0, scale: 1.0)"
    assert repr(D.Dirichlet(np.ones(3))) == "Dirichlet(concentration: (3,))"


def test_means_and_variances_where_the_tails_make_them_undefined():
    np.testing.assert_array_equal(D.StudentT(ag.tensor([0.5, 1.5, 3.0])).mean.data, [np.nan, 0.0, 0.0])
    np.testing.assert_array_equal(D.StudentT(ag.tensor([0.5, 1.5, 3.0])).variance.data, [np.nan, np.inf, 3.0])
    assert np.isnan(D.Cauchy(0.0, 1.0).mean.item()) and np.isinf(D.Cauchy(0.0, 1.0).variance.item())


# ---- LowRankMultivariateNormal ----
def _low_rank_params(batch=(2,), n=4, rank=2):
    return RNG.normal(size=batch + (n,)), RNG.normal(size=batch + (n, rank)), _positive(batch + (n,))


def _mvn_log_prob(loc, cov, x):
    diff = x - loc
    solved = np.linalg.solve(cov, diff[..., None])[..., 0]
    return -0.5 * (loc.shape[-1] * LOG_2PI + np.linalg.slogdet(cov)[1] + (diff * solved).sum(-1))


def test_low_rank_normal_matches_the_full_covariance_formulas():
    loc, factor, diag = _low_rank_params()
    cov = factor @ factor.swapaxes(-1, -2) + diag[..., None] * np.eye(4)
    d = D.LowRankMultivariateNormal(loc, factor, diag)
    x = RNG.normal(size=(3, 2, 4))
    np.testing.assert_allclose(d.log_prob(x).data, _mvn_log_prob(loc, cov, x), rtol=1e-10)
    np.testing.assert_allclose(d.entropy().data, 0.5 * 4 * (1 + LOG_2PI) + 0.5 * np.linalg.slogdet(cov)[1],
                               rtol=1e-12)
    np.testing.assert_allclose(d.covariance_matrix.data, cov, rtol=1e-12)
    np.testing.assert_allclose(d.variance.data, np.diagonal(cov, axis1=-2, axis2=-1), rtol=1e-12)
    np.testing.assert_allclose(d.precision_matrix.data, np.linalg.inv(cov), rtol=1e-8)
    np.testing.assert_allclose(d.scale_tril.data, np.linalg.cholesky(cov), rtol=1e-10)
    assert (d.batch_shape, d.event_shape, d.rsample((5,)).shape) == ((2,), (4,), (5, 2, 4))


def test_low_rank_normal_values_and_gradients_match_torch():
    torch = pytest.importorskip("torch")
    params = _low_rank_params()
    x = RNG.normal(size=(3, 2, 4))
    ours = [ag.tensor(p, requires_grad=True) for p in params]
    theirs = [torch.tensor(p, requires_grad=True) for p in params]
    ours_dist = D.LowRankMultivariateNormal(*ours)
    theirs_dist = torch.distributions.LowRankMultivariateNormal(*theirs)
    got, expected = ours_dist.log_prob(x), theirs_dist.log_prob(torch.tensor(x))
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours_dist.entropy().data, theirs_dist.entropy().detach().numpy(), rtol=1e-12)
    (got.sum() + ours_dist.entropy().sum()).backward()
    (expected.sum() + theirs_dist.entropy().sum()).backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-10)
    other = _low_rank_params(batch=())
    np.testing.assert_allclose(
        D.kl_divergence(ours_dist, D.LowRankMultivariateNormal(*other)).data,
        torch.distributions.kl_divergence(theirs_dist, torch.distributions.LowRankMultivariateNormal(
            *(torch.tensor(p) for p in other))).detach().numpy(), rtol=1e-9)


def test_low_rank_normal_gradients_match_finite_differences():
    loc, factor, diag = _low_rank_params()
    x = RNG.normal(size=(2, 4))
    assert gradcheck(lambda m, w, d: D.LowRankMultivariateNormal(m, w, d).log_prob(x), loc, factor, diag)
    assert gradcheck(lambda m, w, d: D.LowRankMultivariateNormal(m, w, d).rsample((2,), rng=0), loc, factor, diag)
    full = D.MultivariateNormal(np.zeros(4), covariance_matrix=np.eye(4) * 2)
    assert gradcheck(lambda m, w, d: D.kl_divergence(D.LowRankMultivariateNormal(m, w, d), full), loc, factor, diag)


def test_low_rank_normal_samples_have_its_covariance():
    loc, factor, diag = np.array([1.0, -1.0, 0.0]), np.array([[1.0], [0.5], [-1.0]]), np.array([0.5, 1.0, 0.2])
    draws = D.LowRankMultivariateNormal(loc, factor, diag).sample((40000,), rng=0).data
    np.testing.assert_allclose(draws.mean(0), loc, atol=0.03)
    np.testing.assert_allclose(np.cov(draws.T), factor @ factor.T + np.diag(diag), atol=0.04)


def test_low_rank_normal_argument_errors():
    with pytest.raises(ValueError, match="cov_factor must be matrices of 3 rows"):
        D.LowRankMultivariateNormal(np.zeros(3), np.zeros((2, 1)), np.ones(3))
    with pytest.raises(ValueError, match="cov_diag must be vectors of size 3"):
        D.LowRankMultivariateNormal(np.zeros(3), np.zeros((3, 1)), np.ones(2))
    with pytest.raises(ValueError, match="LowRankMultivariateNormal.*cov_diag.*constraint"):
        D.LowRankMultivariateNormal(np.zeros(3), np.zeros((3, 1)), -np.ones(3))
    with pytest.raises(ValueError, match="do not broadcast"):
        D.LowRankMultivariateNormal(np.zeros((2, 3)), np.zeros((4, 3, 1)), np.ones(3))
    assert D.LowRankMultivariateNormal(np.zeros(3), np.zeros((3, 1)), np.ones(3)).expand((2,)).log_prob(
        np.zeros(3)).shape == (2,)


# (name, build(module, ones) with module ag.distributions or torch.distributions and ones(n) its float64 ones,
# the expanded batch_shape, a value)
EXPANDED = [
    ("HalfNormal", lambda m, ones: m.HalfNormal(ones(3)), (2, 3), np.ones((2, 3))),
    ("Binomial", lambda m, ones: m.Binomial(5, probs=0.3 * ones(3)), (2, 3), np.ones((2, 3))),
    ("MixtureSameFamily", lambda m, ones: m.MixtureSameFamily(m.Categorical(logits=0 * ones(2)),
                                                               m.Normal(ones(2), 1.0)), (4,), np.zeros(4)),
    ("RelaxedBernoulli", lambda m, ones: m.RelaxedBernoulli(0.5 * ones(1)[0], probs=0.3 * ones(3)), (2, 3),
     np.full((2, 3), 0.4)),
    ("StudentT", lambda m, ones: m.StudentT(3 * ones(3)), (2, 3), np.ones((2, 3))),
    ("Dirichlet", lambda m, ones: m.Dirichlet(ones(3)), (2,), np.full((2, 3), 1 / 3)),
    ("LowRankMultivariateNormal", lambda m, ones: m.LowRankMultivariateNormal(0 * ones(3), ones(3)[:, None], ones(3)),
     (2,), np.ones((2, 3))),
]


@pytest.mark.parametrize("name,build,shape,value", EXPANDED, ids=[case[0] for case in EXPANDED])
def test_expand_broadcasts_the_batch_as_torch(name, build, shape, value):
    dist = build(D, ag.ones)
    expanded = dist.expand(shape)
    assert expanded.batch_shape == shape and expanded.sample((2,)).shape == (2,) + shape + dist.event_shape
    np.testing.assert_allclose(expanded.log_prob(value).data,
                               np.broadcast_to(dist.log_prob(value).data, shape), rtol=1e-12)
    torch = pytest.importorskip("torch")
    theirs = build(torch.distributions, lambda n: torch.ones(n, dtype=torch.float64)).expand(torch.Size(shape))
    np.testing.assert_allclose(expanded.log_prob(value).data, theirs.log_prob(torch.tensor(value)).numpy(),
                               rtol=1e-12)
