"""The rest of torch.distributions' families: Chi2, FisherSnedecor, Gumbel, HalfCauchy, Pareto, Weibull, Kumaraswamy,
LogisticNormal, VonMises, ContinuousBernoulli and NegativeBinomial (and StickBreakingTransform). Each is declared
once with NumPy references of its log_prob, cdf, entropy and moments; values are checked against them, entropies
and normalisation against numerical integration, everything against torch.distributions (values, shapes and
gradients), in float32 too; gradients against finite differences, seeded samples by their statistics; then the KL
pairs PyTorch registers for these families, against Monte Carlo estimates and torch."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import distributions as D
from autograd_core.distributions.incomplete_gamma import gammainc
from autograd_core.distributions.transforms import StickBreakingTransform
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import elements, float_arrays
from distribution_references import Case, check_matches_torch, check_numpy_formulas, digamma as _digamma, \
    lgamma as _lgamma, quantity_of as _quantity

RNG = np.random.default_rng(7)
EULER = 0.5772156649015329
LOG_2PI = math.log(2 * math.pi)


def _positive(low=0.5, high=3.0, shape=(2, 3)):
    return RNG.uniform(low, high, shape)


def _log_beta(a, b):
    return _lgamma(a) + _lgamma(b) - _lgamma(a + b)


def _stick_breaking(x):
    """NumPy's stick-breaking of PyTorch's StickBreakingTransform, for the references."""
    fractions = 1 / (1 + np.exp(-(x - np.log(np.arange(x.shape[-1], 0, -1)))))
    left = np.cumprod(1 - fractions, -1)
    ones = np.ones(x.shape[:-1] + (1,))
    return np.concatenate([fractions, ones], -1) * np.concatenate([ones, left], -1)


def _logistic_normal_log_prob(p, y):
    """The normal density at the inverse image minus the log|det| of the Jacobian of the first K coordinates of
    the stick-breaking map, by central differences."""
    loc, scale = p
    x = np.log(y[..., :-1]) - np.log(1 - np.cumsum(y[..., :-1], -1)) + np.log(np.arange(loc.shape[-1], 0, -1))
    normal = (-(x - loc) ** 2 / (2 * scale ** 2) - np.log(scale) - LOG_2PI / 2).sum(-1)
    k, h = x.shape[-1], 1e-6
    jacobian = np.stack([(_stick_breaking(x + h * np.eye(k)[j]) - _stick_breaking(x - h * np.eye(k)[j]))[..., :-1]
                         / (2 * h) for j in range(k)], -1)
    return normal - np.log(np.abs(np.linalg.det(jacobian)))


def _chi2_cdf(df, x):
    """P(df / 2, x / 2) by its series, summed in float64 to convergence (x / 2 stays below 30 here)."""
    half, t = np.broadcast_arrays(df / 2, x / 2)
    term, total = np.ones_like(t), np.ones_like(t)
    for n in range(1, 400):
        term = term * t / (half + n)
        total = total + term
    return np.exp(half * np.log(t) - t - _lgamma(half + 1)) * total


def _continuous_bernoulli_log_normaliser(p):
    return np.log(2 * np.arctanh(1 - 2 * p) / (1 - 2 * p))


# ---- the declarations (parameters of batch shape (2, 3), or (2,) with events for LogisticNormal) ----
CASES = [
    Case("Chi2", D.Chi2, lambda t, df: t.distributions.Chi2(df), lambda: (_positive(0.5, 6),),
         lambda p: RNG.uniform(0.1, 6, (4, 2, 3)),
         {"log_prob": lambda p, x: (p[0] / 2 - 1) * np.log(x) - x / 2 - p[0] / 2 * math.log(2) - _lgamma(p[0] / 2),
          "entropy": lambda p: (p[0] / 2 + math.log(2) + _lgamma(p[0] / 2) + (1 - p[0] / 2) * _digamma(p[0] / 2)),
          "cdf": lambda p, x: np.vectorize(math.erf)(np.sqrt(x / 2)) if np.all(p[0] == 1) else _chi2_cdf(p[0], x),
          "mean": lambda p: p[0], "variance": lambda p: 2 * p[0]}),
    Case("FisherSnedecor", D.FisherSnedecor, lambda t, a, b: t.distributions.FisherSnedecor(a, b),
         lambda: (_positive(0.5, 8), _positive(4.5, 12)), lambda p: RNG.uniform(0.1, 5, (4, 2, 3)),
         {"log_prob": lambda p, x: (0.5 * (p[0] * np.log(p[0] * x) + p[1] * np.log(p[1])
                                           - (p[0] + p[1]) * np.log(p[0] * x + p[1])) - np.log(x)
                                    - _log_beta(p[0] / 2, p[1] / 2)),
          "mean": lambda p: p[1] / (p[1] - 2),
          "variance": lambda p: 2 * p[1] ** 2 * (p[0] + p[1] - 2) / (p[0] * (p[1] - 2) ** 2 * (p[1] - 4))}),
    Case("Gumbel", D.Gumbel, lambda t, m, s: t.distributions.Gumbel(m, s),
         lambda: (RNG.normal(size=(2, 3)), _positive()),
         lambda p: 2 * RNG.normal(size=(4, 2, 3)),
         {"log_prob": lambda p, x: -np.log(p[1]) - (x - p[0]) / p[1] - np.exp(-(x - p[0]) / p[1]),
          "cdf": lambda p, x: np.exp(-np.exp(-(x - p[0]) / p[1])), "entropy": lambda p: np.log(p[1]) + EULER + 1,
          "mean": lambda p: p[0] + EULER * p[1], "variance": lambda p: math.pi ** 2 * p[1] ** 2 / 6}),
    Case("HalfCauchy", D.HalfCauchy, lambda t, s: t.distributions.HalfCauchy(s), lambda: (_positive(),),
         lambda p: RNG.uniform(0, 6, (4, 2, 3)),
         {"log_prob": lambda p, x: np.log(2 / (math.pi * p[0] * (1 + (x / p[0]) ** 2))),
          "cdf": lambda p, x: 2 / math.pi * np.arctan(x / p[0]), "entropy": lambda p: np.log(2 * math.pi * p[0])}),
    Case("Pareto", D.Pareto, lambda t, s, a: t.distributions.Pareto(s, a), lambda: (_positive(), _positive(2.2, 5)),
         lambda p: p[0] + RNG.exponential(size=(4, 2, 3)),
         {"log_prob": lambda p, x: np.log(p[1]) + p[1] * np.log(p[0]) - (p[1] + 1) * np.log(x),
          "cdf": lambda p, x: 1 - (p[0] / x) ** p[1], "entropy": lambda p: np.log(p[0] / p[1]) + 1 / p[1] + 1,
          "mean": lambda p: p[1] * p[0] / (p[1] - 1),
          "variance": lambda p: p[0] ** 2 * p[1] / ((p[1] - 1) ** 2 * (p[1] - 2))}),
    Case("Weibull", D.Weibull, lambda t, s, k: t.distributions.Weibull(s, k), lambda: (_positive(), _positive(1.1, 4)),
         lambda p: RNG.uniform(0.05, 5, (4, 2, 3)),
         {"log_prob": lambda p, x: np.log(p[1] / p[0]) + (p[1] - 1) * np.log(x / p[0]) - (x / p[0]) ** p[1],
          "cdf": lambda p, x: 1 - np.exp(-(x / p[0]) ** p[1]),
          "entropy": lambda p: EULER * (1 - 1 / p[1]) + np.log(p[0] / p[1]) + 1,
          "mean": lambda p: p[0] * np.exp(_lgamma(1 + 1 / p[1])),
          "mode": lambda p: p[0] * ((p[1] - 1) / p[1]) ** (1 / p[1]),
          "variance": lambda p: p[0] ** 2 * (np.exp(_lgamma(1 + 2 / p[1])) - np.exp(2 * _lgamma(1 + 1 / p[1])))}),
    Case("Kumaraswamy", D.Kumaraswamy, lambda t, a, b: t.distributions.Kumaraswamy(a, b),
         lambda: (_positive(1.2, 4), _positive(1.2, 4)), lambda p: RNG.uniform(0.02, 0.98, (4, 2, 3)),
         {"log_prob": lambda p, x: np.log(p[0] * p[1]) + (p[0] - 1) * np.log(x) + (p[1] - 1) * np.log1p(-x ** p[0]),
          "cdf": lambda p, x: 1 - (1 - x ** p[0]) ** p[1],
          "mean": lambda p: p[1] * np.exp(_log_beta(1 + 1 / p[0], p[1])),
          "mode": lambda p: ((p[0] - 1) / (p[0] * p[1] - 1)) ** (1 / p[0]),
          "variance": lambda p: (p[1] * np.exp(_log_beta(1 + 2 / p[0], p[1]))
                                 - (p[1] * np.exp(_log_beta(1 + 1 / p[0], p[1]))) ** 2)}),
    Case("LogisticNormal", D.LogisticNormal, lambda t, m, s: t.distributions.LogisticNormal(m, s),
         lambda: (RNG.normal(size=(2, 3)), _positive(0.5, 2)), lambda p: RNG.dirichlet(np.ones(4), (5, 2)),
         {}),
    Case("ContinuousBernoulli", lambda p: D.ContinuousBernoulli(p),
         lambda t, p: t.distributions.ContinuousBernoulli(p),
         lambda: (np.array([[0.1, 0.3, 0.45], [0.6, 0.8, 0.95]]),), lambda p: RNG.uniform(0, 1, (4, 2, 3)),
         {"log_prob": lambda p, x: (x * np.log(p[0]) + (1 - x) * np.log1p(-p[0])
                                    + _continuous_bernoulli_log_normaliser(p[0])),
          "cdf": lambda p, x: (p[0] ** x * (1 - p[0]) ** (1 - x) + p[0] - 1) / (2 * p[0] - 1),
          "mean": lambda p: p[0] / (2 * p[0] - 1) + 1 / (2 * np.arctanh(1 - 2 * p[0]))}),
    Case("ContinuousBernoulli(logits, near 1/2)", lambda z: D.ContinuousBernoulli(logits=z),
         lambda t, z: t.distributions.ContinuousBernoulli(logits=z),
         lambda: (np.array([[-3.0, -1e-3, 0.0], [2e-3, 1.0, 4.0]]),), lambda p: RNG.uniform(0, 1, (4, 2, 3)), {}),
    Case("NegativeBinomial", lambda r, q: D.NegativeBinomial(r, probs=q),
         lambda t, r, q: t.distributions.NegativeBinomial(r, probs=q),
         lambda: (_positive(0.5, 6), RNG.uniform(0.1, 0.9, (2, 3))),
         lambda p: RNG.integers(0, 10, (4, 2, 3)).astype(float),
         {"log_prob": lambda p, k: (_lgamma(k + p[0]) - _lgamma(k + 1) - _lgamma(p[0]) + p[0] * np.log1p(-p[1])
                                    + k * np.log(p[1])),
          "mean": lambda p: p[0] * p[1] / (1 - p[1]), "variance": lambda p: p[0] * p[1] / (1 - p[1]) ** 2}),
    Case("NegativeBinomial(logits)", lambda r, z: D.NegativeBinomial(r, logits=z),
         lambda t, r, z: t.distributions.NegativeBinomial(r, logits=z),
         lambda: (_positive(0.5, 6), RNG.normal(0, 2, (2, 3))), lambda p: RNG.integers(0, 10, (4, 2, 3)).astype(float),
         {}),
    Case("VonMises", D.VonMises, lambda t, m, k: t.distributions.VonMises(m, k),
         lambda: (RNG.normal(size=(2, 3)), _positive(0.1, 9)), lambda p: RNG.uniform(-3, 3, (4, 2, 3)), {}),
]
IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_match_the_numpy_formulas(case):
    check_numpy_formulas(case)


def test_logistic_normal_log_prob_is_the_change_of_variables_by_the_jacobian():
    params = (RNG.normal(size=(2, 3)), _positive(0.5, 2))
    point = RNG.dirichlet(np.ones(4), (5, 2))
    np.testing.assert_allclose(D.LogisticNormal(*params).log_prob(point).data, _logistic_normal_log_prob(params, point),
                               rtol=1e-7)


def test_von_mises_log_prob_and_variance_match_numpy_bessel_functions():
    loc, kappa = RNG.normal(size=(2, 3)), np.array([[0.1, 1.0, 3.7], [3.8, 10.0, 40.0]])
    x = RNG.uniform(-3, 3, (4, 2, 3))
    d = D.VonMises(loc, kappa)
    np.testing.assert_allclose(d.log_prob(x).data, kappa * np.cos(x - loc) - np.log(2 * math.pi * np.i0(kappa)),
                               rtol=2e-7, atol=1e-7)  # (the polynomial approximation's accuracy, as PyTorch's)
    angles = np.linspace(0, math.pi, 20001)
    i1 = np.trapezoid(np.exp(kappa[..., None] * np.cos(angles)) * np.cos(angles), angles, axis=-1) / math.pi
    np.testing.assert_allclose(d.variance.data, 1 - i1 / np.i0(kappa), atol=1e-6)
    assert d.mean is d.loc and d.mode is d.loc


# ---- the densities integrate to 1, their entropies and means to the closed forms (numerical quadrature) ----
INTEGRATED = [(D.Chi2(3.0), 1e-9, 80.0), (D.FisherSnedecor(5.0, 9.0), 1e-9, 800.0), (D.Gumbel(0.3, 1.5), -15.0, 60.0),
              (D.Pareto(1.5, 4.0), 1.5, 3000.0), (D.Weibull(1.5, 2.5), 1e-9, 30.0),
              (D.Kumaraswamy(2.5, 1.7), 1e-12, 1 - 1e-12), (D.ContinuousBernoulli(0.2), 0.0, 1.0),
              (D.ContinuousBernoulli(0.5003), 0.0, 1.0), (D.VonMises(0.4, 2.5), -math.pi, math.pi)]


@pytest.mark.parametrize("dist,low,high", INTEGRATED, ids=[repr(d) for d, _, _ in INTEGRATED])
def test_density_integrates_to_one_with_the_entropy_mean_and_variance(dist, low, high):
    grid = np.geomspace(low, high, 400001) if low > 0 and high > 100 else np.linspace(low, high, 400001)
    density = dist.log_prob(grid).exp().data
    np.testing.assert_allclose(np.trapezoid(density, grid), 1.0, rtol=2e-5)
    log_density = np.log(np.where(density > 0, density, 1.0))
    checks = {"mean": grid * density, "variance": (grid - np.trapezoid(grid * density, grid)) ** 2 * density}
    if not isinstance(dist, D.VonMises):  # (its mean and variance are the circular ones)
        for name, integrand in checks.items():
            np.testing.assert_allclose(np.trapezoid(integrand, grid), getattr(dist, name).item(), rtol=2e-4)
    if not isinstance(dist, D.FisherSnedecor):  # (it has no entropy, as PyTorch's)
        np.testing.assert_allclose(np.trapezoid(-density * log_density, grid), dist.entropy().item(), rtol=1e-4,
                                   atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_shapes_and_gradients_match_torch(case):
    torch = pytest.importorskip("torch")
    tolerance = dict(rtol=1e-9, atol=1e-12) if "VonMises" not in case.name else dict(rtol=1e-7, atol=1e-9)
    # (PyTorch's Weibull and Kumaraswamy modes raise negative numbers to fractional powers:
    # test_modes_where_pytorch_has_nan)
    skip = ("mode",) if case.name in ("Weibull", "Kumaraswamy") else ()
    ours, theirs = check_matches_torch(torch, case, skip=skip, **tolerance)
    assert ours.has_rsample == theirs.has_rsample


def test_modes_where_pytorch_has_nan():
    # Weibull's mode is 0 for concentration <= 1 (the density is largest at 0); Kumaraswamy's
    # ((a - 1) / (a b - 1))^(1 / a) for a, b >= 1, where PyTorch's log-space formula gives NaN
    np.testing.assert_allclose(D.Weibull(2.0, ag.tensor([0.5, 1.0, 3.0])).mode.data, [0, 0, 2 * (2 / 3) ** (1 / 3)])
    np.testing.assert_allclose(D.Kumaraswamy(ag.tensor([2.0, 0.5]), 3.0).mode.data, [0.2 ** 0.5, np.nan])
    assert D.ContinuousBernoulli(ag.tensor([0.2, 0.7])).mode.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_float32_parameters_give_float32_values_close_to_float64(case):
    params = case.params()
    value = case.values(params)
    wide, narrow = case.ours(*params), case.ours(*(p.astype(np.float32) for p in params))
    for quantity in ["log_prob", "entropy", "mean", "variance", "cdf"]:
        try:
            expected = _quantity(wide, quantity, value)
        except NotImplementedError:
            continue
        got = _quantity(narrow, quantity, value.astype(np.float32))
        assert got.dtype == np.float32, (case.name, quantity)
        np.testing.assert_allclose(got.data, expected.data, rtol=2e-4, atol=2e-5, err_msg=f"{case.name}.{quantity}")
    assert narrow.sample((3,)).dtype == np.float32


# ---- finite differences over drawn parameters ----
_reals = float_arrays((2, 3), elements=elements(-2, 2))
_scales = float_arrays((2, 3), elements=elements(0.5, 3))
_shapes = float_arrays((2, 3), elements=elements(1.2, 4))


@settings(max_examples=8, deadline=None)
@given(_reals, _scales, _shapes)
def test_log_prob_cdf_entropy_gradients_match_finite_differences(loc, scale, shape):
    x = np.abs(loc) + 0.3
    unit = 1 / (1 + np.exp(-loc))
    assert gradcheck(lambda m, s, v: D.Gumbel(m, s).log_prob(v) + D.Gumbel(m, s).cdf(v) + D.Gumbel(m, s).entropy(),
                     loc, scale, x)
    assert gradcheck(lambda s, a: D.Pareto(s, a).log_prob(x + s) + D.Pareto(s, a).entropy() + D.Pareto(s, a).mean,
                     scale, shape)
    assert gradcheck(lambda s, k, v: D.Weibull(s, k).log_prob(v) + D.Weibull(s, k).cdf(v) + D.Weibull(s, k).variance,
                     scale, shape, x)
    assert gradcheck(lambda a, b, v: D.Kumaraswamy(a, b).log_prob(v) + D.Kumaraswamy(a, b).entropy()
                     + D.Kumaraswamy(a, b).variance, shape, scale, unit)
    assert gradcheck(lambda s, v: D.HalfCauchy(s).log_prob(v) + D.HalfCauchy(s).cdf(v), scale, x)
    assert gradcheck(lambda df, v: D.Chi2(df).log_prob(v) + D.Chi2(df).entropy(), scale, x)
    assert gradcheck(lambda a, b, v: D.FisherSnedecor(a, b).log_prob(v), scale, shape, x)
    assert gradcheck(lambda m, k, v: D.VonMises(m, k).log_prob(v) + D.VonMises(m, k).variance, loc, 2 * scale, x)
    assert gradcheck(lambda r, z: D.NegativeBinomial(r, logits=z).log_prob(np.round(x * 3)), scale, loc)
    assert gradcheck(lambda m, s: D.LogisticNormal(m, s).log_prob(np.full((2, 4), 0.25)), loc, scale)


# (PyTorch's closed forms lose digits to cancellation just outside lims, probs within ~0.01 of 1/2, where finite
# differences cannot check them: logits there are moved deep into the Taylor region, |logits| < 0.001)
_continuous_bernoulli_logits = float_arrays((2, 3), elements=elements(-4, 4)).map(
    lambda z: np.where(np.abs(z) < 0.1, z / 100, z))


@settings(max_examples=8, deadline=None)
@given(_continuous_bernoulli_logits, float_arrays((2, 3), elements=elements(0.01, 0.99)))
def test_continuous_bernoulli_gradients_match_finite_differences(logits, x):
    assert gradcheck(lambda z, v: D.ContinuousBernoulli(logits=z).log_prob(v) + D.ContinuousBernoulli(logits=z).cdf(v),
                     logits, x)
    assert gradcheck(lambda z: D.ContinuousBernoulli(logits=z).entropy() + D.ContinuousBernoulli(logits=z).variance,
                     logits)


@settings(max_examples=8, deadline=None)
@given(_reals, _scales, _shapes)
def test_rsample_gradients_match_finite_differences(loc, scale, shape):
    # (a fixed seed: each evaluation sees the same noise)
    assert gradcheck(lambda m, s: D.Gumbel(m, s).rsample((2,), rng=0), loc, scale)
    assert gradcheck(lambda s, a: D.Pareto(s, a).rsample((2,), rng=1), scale, shape)
    assert gradcheck(lambda s, k: D.Weibull(s, k).rsample((2,), rng=2), scale, shape)
    assert gradcheck(lambda a, b: D.Kumaraswamy(a, b).rsample((2,), rng=3), shape, scale)
    assert gradcheck(lambda s: D.HalfCauchy(s).rsample((2,), rng=4), scale)
    assert gradcheck(lambda m, s: D.LogisticNormal(m, s).rsample((2,), rng=5), loc, scale)
    away_from_lims = np.where(np.abs(loc) < 0.1, loc / 100, loc)  # (icdf jumps at lims, as PyTorch's)
    assert gradcheck(lambda z: D.ContinuousBernoulli(logits=z).rsample((2,), rng=6), away_from_lims)


def test_chi2_and_fisher_snedecor_rsample_gradients_match_the_gradient_of_the_mean():
    # d/d df of E[x]: Chi2's mean is df; the F's df2 / (df2 - 2) does not depend on df1
    df = ag.tensor(3.0, requires_grad=True)
    D.Chi2(df).rsample((40000,), rng=0).mean().backward()
    assert abs(df.grad.item() - 1.0) < 0.03
    df1, df2 = ag.tensor(4.0, requires_grad=True), ag.tensor(9.0, requires_grad=True)
    D.FisherSnedecor(df1, df2).rsample((200000,), rng=0).mean().backward()
    assert abs(df1.grad.item()) < 0.01 and abs(df2.grad.item() - (-2 / 49)) < 0.01


# ---- samples ----
SAMPLED = [(D.Chi2(3.0), 3.0, 6.0), (D.FisherSnedecor(6.0, 12.0), 1.2, 2 * 144 * 16 / (6 * 100 * 8)),
           (D.Gumbel(1.0, 2.0), 1 + 2 * EULER, math.pi ** 2 * 4 / 6), (D.Pareto(1.0, 5.0), 1.25, 5 / 48),
           (D.Weibull(2.0, 1.5), 2 * math.gamma(1 + 1 / 1.5),
            4 * (math.gamma(1 + 2 / 1.5) - math.gamma(1 + 1 / 1.5) ** 2)),
           (D.Kumaraswamy(2.0, 3.0), 3 * math.exp(_log_beta(1.5, 3.0)), 3 * math.exp(_log_beta(2.0, 3.0))
            - 9 * math.exp(2 * _log_beta(1.5, 3.0))),
           (D.ContinuousBernoulli(0.8), None, None), (D.ContinuousBernoulli(0.5), 0.5, 1 / 12),
           (D.NegativeBinomial(4.0, probs=0.3), 4 * 0.3 / 0.7, 4 * 0.3 / 0.49)]


@pytest.mark.parametrize("dist,mean,variance", SAMPLED, ids=[repr(d) for d, _, _ in SAMPLED])
def test_sample_moments_of_40000_draws(dist, mean, variance):
    mean = dist.mean.item() if mean is None else mean
    variance = dist.variance.item() if variance is None else variance
    np.testing.assert_allclose(dist.mean.item(), mean, rtol=1e-7)
    draws = dist.sample((40000,), rng=0).data.astype(np.float64)
    assert draws.shape == (40000,)
    assert abs(draws.mean() - mean) < 5 * math.sqrt(variance / 40000)
    assert abs(draws.var() - variance) < 0.08 * variance


def test_heavy_tailed_and_circular_samples_by_their_quantiles():
    draws = D.HalfCauchy(2.0).sample((40000,), rng=0).data
    assert abs(np.median(draws) - 2.0) < 0.08  # (the median is the scale)
    draws = D.VonMises(ag.tensor([0.5, 3.0]), ag.tensor([4.0, 0.5])).sample((40000,), rng=0).data
    assert np.all(np.abs(draws) <= math.pi)
    resultant = np.exp(1j * draws).mean(0)  # (the circular mean and 1 - the variance: I1/I0 at the concentration)
    np.testing.assert_allclose(np.angle(resultant), [0.5, 3.0], atol=0.04)
    np.testing.assert_allclose(np.abs(resultant), 1 - D.VonMises(0.0, ag.tensor([4.0, 0.5])).variance.data, atol=0.01)
    draws = D.LogisticNormal(ag.tensor([0.0, 1.0]), ag.tensor([1.0, 0.5])).sample((40000,), rng=0).data
    np.testing.assert_allclose(draws.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.log(draws[:, 0] / (1 - draws[:, 0])).mean(), -math.log(2), atol=0.02)


def test_samples_are_constants_and_parameters_broadcast():
    scale = ag.tensor([1.0, 2.0], requires_grad=True)
    assert not D.Gumbel(0.0, scale).sample().requires_grad and D.Gumbel(0.0, scale).rsample().requires_grad
    assert D.Pareto(ag.ones((3, 1)), scale).sample((4,)).shape == (4, 3, 2)
    assert D.Chi2(ag.tensor([2.0, 3.0])).expand((4, 2)).sample().shape == (4, 2)
    assert D.Chi2(ag.tensor([2.0])).expand((3, 1)).df.shape == (3, 1)
    assert D.Weibull(1.0, scale).expand((3, 2)).log_prob(ag.ones((3, 2))).shape == (3, 2)
    assert D.LogisticNormal(0.0, 1.0).event_shape == (2,)
    with pytest.raises(NotImplementedError, match="VonMises has no rsample"):
        D.VonMises(0.0, 1.0).rsample()


EXPANDED = [
    ("Chi2", lambda m, ones: m.Chi2(2 * ones(3)), np.ones((2, 3))),
    ("FisherSnedecor", lambda m, ones: m.FisherSnedecor(3 * ones(3), 5.0), np.ones((2, 3))),
    ("Gumbel", lambda m, ones: m.Gumbel(0 * ones(3), 2.0), np.ones((2, 3))),
    ("Pareto", lambda m, ones: m.Pareto(ones(3), 2.0), np.full((2, 3), 1.5)),
    ("Weibull", lambda m, ones: m.Weibull(ones(3), 2.0), np.ones((2, 3))),
    ("Kumaraswamy", lambda m, ones: m.Kumaraswamy(2 * ones(3), 3.0), np.full((2, 3), 0.4)),
    ("HalfCauchy", lambda m, ones: m.HalfCauchy(ones(3)), np.ones((2, 3))),
    ("VonMises", lambda m, ones: m.VonMises(0 * ones(3), 2.0), np.ones((2, 3))),
    ("ContinuousBernoulli", lambda m, ones: m.ContinuousBernoulli(0.3 * ones(3)), np.full((2, 3), 0.4)),
    ("NegativeBinomial", lambda m, ones: m.NegativeBinomial(2 * ones(3), probs=0.4), np.ones((2, 3))),
]


@pytest.mark.parametrize("name,build,value", EXPANDED, ids=[case[0] for case in EXPANDED])
def test_expand_broadcasts_the_batch_as_torch(name, build, value):
    dist = build(D, ag.ones)
    expanded = dist.expand((2, 3))
    assert expanded.batch_shape == (2, 3) and expanded.sample((2,)).shape == (2, 2, 3)
    np.testing.assert_allclose(expanded.log_prob(value).data, np.broadcast_to(dist.log_prob(value).data, (2, 3)),
                               rtol=1e-12)
    for quantity in ("mean", "variance"):
        assert getattr(expanded, quantity).shape == (2, 3)
    torch = pytest.importorskip("torch")
    theirs = build(torch.distributions, lambda n: torch.ones(n, dtype=torch.float64)).expand(torch.Size((2, 3)))
    np.testing.assert_allclose(expanded.log_prob(value).data, theirs.log_prob(torch.tensor(value)).numpy(),
                               rtol=1e-9)


# ---- the incomplete gamma function: Gamma's and Chi2's cdf ----
def test_gammainc_matches_its_closed_forms_at_half_integer_and_integer_a():
    x = np.concatenate([[0.0], np.geomspace(1e-6, 700, 300), [np.inf]])
    np.testing.assert_allclose(gammainc(ag.tensor(1.0), ag.tensor(x)).data, -np.expm1(-x), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(gammainc(ag.tensor(0.5), ag.tensor(x)).data,
                               np.vectorize(math.erf)(np.sqrt(x)), rtol=1e-13, atol=1e-300)
    x = np.geomspace(1e-3, 60, 200)  # P(n, x) = 1 - e^-x sum_{k < n} x^k / k!: the Poisson tail
    poisson = sum(np.exp(k * np.log(x) - x - math.lgamma(k + 1)) for k in range(7))
    np.testing.assert_allclose(gammainc(ag.tensor(7.0), ag.tensor(x)).data, 1 - poisson, rtol=1e-11, atol=1e-15)
    edges = gammainc(ag.tensor([0.0, -1.0, np.nan, 2.0]), ag.tensor([1.0, 1.0, 1.0, -1.0])).data
    np.testing.assert_array_equal(edges, [1.0, np.nan, np.nan, np.nan])  # (as torch.special.gammainc)


def test_gammainc_matches_mpmath_across_both_branches():
    mpmath = pytest.importorskip("mpmath")
    a = np.geomspace(0.01, 500, 25)[:, None]
    x = np.geomspace(1e-4, 2000, 40)[None, :]
    expected = np.vectorize(lambda s, t: float(mpmath.gammainc(s, 0, t, regularized=True)))(a, x)
    np.testing.assert_allclose(gammainc(ag.tensor(a), ag.tensor(x)).data, expected, rtol=1e-11, atol=1e-300)


def test_gamma_and_chi2_cdf_and_their_gradients_match_torch():
    torch = pytest.importorskip("torch")
    concentration, rate, x = _positive(0.3, 20), _positive(0.2, 3), RNG.uniform(0.01, 15, (4, 2, 3))
    ours_rate, theirs_rate = ag.tensor(rate, requires_grad=True), torch.tensor(rate, requires_grad=True)
    ours_x, theirs_x = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    got = D.Gamma(concentration, ours_rate).cdf(ours_x)
    expected = torch.distributions.Gamma(torch.tensor(concentration), theirs_rate).cdf(theirs_x)
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-8, atol=1e-9)  # (torch's: ~1e-9)
    got.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(ours_rate.grad.data, theirs_rate.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours_x.grad.data, theirs_x.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(D.Chi2(concentration).cdf(x).data,
                               torch.distributions.Chi2(torch.tensor(concentration)).cdf(torch.tensor(x)).numpy(),
                               rtol=1e-8, atol=1e-9)


def test_gammainc_is_differentiable_in_x_twice_and_not_in_a():
    a = np.array([0.7, 2.5, 9.0])
    assert gradcheck(lambda x: gammainc(ag.tensor(a), x), np.array([0.4, 3.0, 8.0]))
    x = np.array([0.4, 3.0, 8.0])
    density = ag.elementwise_grad(lambda v: gammainc(ag.tensor(a), v))(ag.tensor(x))
    np.testing.assert_allclose(density.data, np.exp((a - 1) * np.log(x) - x - _lgamma(a)), rtol=1e-12)
    slope = ag.elementwise_grad(ag.elementwise_grad(lambda v: gammainc(ag.tensor(a), v)))(ag.tensor(x))
    np.testing.assert_allclose(slope.data, ((a - 1) / x - 1) * density.data, rtol=1e-12)  # (the density's slope)
    concentration = ag.tensor(2.0, requires_grad=True)
    with pytest.raises(NotImplementedError, match="gammainc: the derivative in a"):
        D.Chi2(concentration).cdf(1.0).backward()


# ---- StickBreakingTransform ----
def test_stick_breaking_transform_maps_vectors_onto_the_simplex_and_back():
    x = RNG.normal(size=(4, 3))
    t = StickBreakingTransform()
    y = t(ag.tensor(x))
    np.testing.assert_allclose(y.data, _stick_breaking(x), rtol=1e-12)
    np.testing.assert_allclose(t.inv(y).data, x, atol=1e-12)
    assert t.forward_shape((4, 3)) == (4, 4) and t.inverse_shape((4, 4)) == (4, 3)
    k, h = 3, 1e-6
    jacobian = np.stack([(_stick_breaking(x + h * np.eye(k)[j]) - _stick_breaking(x - h * np.eye(k)[j]))[..., :-1]
                         / (2 * h) for j in range(k)], -1)
    np.testing.assert_allclose(t.log_abs_det_jacobian(ag.tensor(x), y).data, np.log(np.linalg.det(jacobian)),
                               rtol=1e-7)
    assert gradcheck(lambda v: t(v), x) and gradcheck(lambda v: t.inv(v), y.data)


# ---- KL divergences ----
def _pair(name):
    """(p, q) of the KL pair named 'P-Q', over a batch of 3."""
    a, b = ag.tensor([0.5, 1.0, 2.0]), ag.tensor([1.5, 2.5, 4.0])
    builds = {"Gumbel": lambda m, x, y: m.Gumbel(x - 1, y), "Pareto": lambda m, x, y: m.Pareto(x, y + 1),
              "ContinuousBernoulli": lambda m, x, y: m.ContinuousBernoulli(x / (x + y)),
              "Normal": lambda m, x, y: m.Normal(x, y), "Exponential": lambda m, x, y: m.Exponential(x),
              "Gamma": lambda m, x, y: m.Gamma(x + 1, y), "Beta": lambda m, x, y: m.Beta(x, y),
              "Uniform": lambda m, x, y: m.Uniform(x + 1, x + y + 1), "Laplace": lambda m, x, y: m.Laplace(x, y),
              "Uniform01": lambda m, x, y: m.Uniform(x / (x + y + 2), (x + 1) / (x + y + 2)),
              "WideUniform": lambda m, x, y: m.Uniform(-x, y + 1), "Poisson": lambda m, x, y: m.Poisson(x),
              "Bernoulli": lambda m, x, y: m.Bernoulli(x / (x + y)),
              "Binomial": lambda m, x, y: m.Binomial(5, probs=x / (x + y))}
    p_name, q_name = name.split("-")
    return builds[p_name], builds[q_name], (a, b, a * 0.8, b + 0.3)


FINITE_KL = ["Gumbel-Gumbel", "Pareto-Pareto", "ContinuousBernoulli-ContinuousBernoulli", "Beta-ContinuousBernoulli",
             "ContinuousBernoulli-Exponential", "ContinuousBernoulli-Normal", "Exponential-Gumbel", "Gamma-Gumbel",
             "Gumbel-Normal", "Normal-Gumbel", "Uniform-Gumbel", "Pareto-Exponential", "Pareto-Gamma",
             "Pareto-Normal", "Uniform-Pareto",
             # (between the first families)
             "Bernoulli-Poisson", "Beta-Exponential", "Beta-Gamma", "Beta-Normal", "Beta-WideUniform",
             "Exponential-Gamma", "Exponential-Normal", "Gamma-Exponential", "Gamma-Normal", "Laplace-Normal",
             "Normal-Laplace", "Uniform01-Beta", "Uniform-Exponential", "Uniform-Gamma", "Uniform-Normal"]
INFINITE_KL = ["Beta-Pareto", "ContinuousBernoulli-Pareto", "Exponential-ContinuousBernoulli", "Exponential-Pareto",
               "Gamma-ContinuousBernoulli", "Gamma-Pareto", "Gumbel-Beta", "Gumbel-Exponential", "Gumbel-Uniform",
               "Laplace-Pareto", "Normal-ContinuousBernoulli", "Pareto-Beta", "Pareto-Uniform",
               "Beta-Uniform", "Exponential-Beta", "Exponential-Uniform", "Gamma-Beta", "Gamma-Uniform",
               "Laplace-Beta", "Laplace-Exponential", "Laplace-Gamma", "Laplace-Uniform", "Normal-Beta",
               "Normal-Exponential", "Normal-Gamma", "Normal-Uniform", "Poisson-Bernoulli", "Poisson-Binomial"]


@pytest.mark.parametrize("name", FINITE_KL)
def test_kl_matches_a_monte_carlo_estimate(name):
    build_p, build_q, (a, b, c, d) = _pair(name)
    p, q = build_p(D, a, b), build_q(D, c, d)
    draws = p.sample((200000,), rng=0)
    log_ratio = (p.log_prob(draws) - q.log_prob(draws)).data
    estimate, error = log_ratio.mean(0), log_ratio.std(0) / math.sqrt(200000)
    assert np.all(np.abs(D.kl_divergence(p, q).data - estimate) < 5 * error + 1e-3), (name, estimate)


@pytest.mark.parametrize("name", FINITE_KL + INFINITE_KL)
def test_kl_values_and_gradients_match_torch(name):
    torch = pytest.importorskip("torch")
    build_p, build_q, params = _pair(name)
    ours = [ag.tensor(p.data, requires_grad=True) for p in params]
    theirs = [torch.tensor(p.data, requires_grad=True) for p in params]
    got = D.kl_divergence(build_p(D, *ours[:2]), build_q(D, *ours[2:]))
    expected = torch.distributions.kl_divergence(build_p(torch.distributions, *theirs[:2]),
                                                 build_q(torch.distributions, *theirs[2:]))
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-9, atol=1e-12)
    if name in INFINITE_KL:
        assert np.all(np.isinf(got.data))
        return
    got.sum().backward()
    expected.sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data if a.grad is not None else 0.0,
                                   b.grad.numpy() if b.grad is not None else 0.0, rtol=1e-8, atol=1e-10)


def test_kl_uniform_beta_at_the_ends_of_the_unit_interval_is_finite():
    # (x log x is 0 at 0 here: PyTorch's x * log(x) gives NaN for Uniform(0, 1) against a Beta)
    # -E[log(12 x (1 - x)^2)] over the uniform, E[log x] = E[log(1 - x)] = -1: 3 - log(12)
    got = D.kl_divergence(D.Uniform(0.0, 1.0), D.Beta(2.0, 3.0)).item()
    np.testing.assert_allclose(got, 3 - math.log(12), rtol=1e-14)


def test_kl_is_infinite_where_q_misses_part_of_p_support():
    assert np.isinf(D.kl_divergence(D.Pareto(1.0, 2.0), D.Pareto(2.0, 2.0)).item())
    assert np.isinf(D.kl_divergence(D.Pareto(1.0, 1.0), D.Exponential(1.0)).item())  # (p's mean is infinite)
    assert np.isinf(D.kl_divergence(D.Uniform(0.5, 2.0), D.Pareto(1.0, 2.0)).item())
    assert np.isinf(D.kl_divergence(D.ContinuousBernoulli(0.3), D.Uniform(0.0, 2.0)).item())
    assert np.isfinite(D.kl_divergence(D.ContinuousBernoulli(0.3), D.Uniform(-0.5, 2.0)).item())
    assert D.kl_divergence(D.Chi2(3.0), D.Chi2(3.0)).item() == 0.0  # (Gamma's, for the subclass)


def test_kl_of_transformed_families_through_the_same_transforms_is_their_bases():
    loc, scale = RNG.normal(size=(2, 3)), _positive(shape=(2, 3))
    p, q = D.LogisticNormal(loc, scale), D.LogisticNormal(loc / 2, scale + 0.5)
    np.testing.assert_allclose(D.kl_divergence(p, q).data,
                               D.kl_divergence(D.Normal(loc, scale), D.Normal(loc / 2, scale + 0.5)).data.sum(-1))
    np.testing.assert_allclose(D.kl_divergence(D.HalfCauchy(scale), D.HalfCauchy(scale + 1)).data,
                               D.kl_divergence(D.Cauchy(0.0, scale), D.Cauchy(0.0, scale + 1)).data)
    torch = pytest.importorskip("torch")
    t = torch.distributions
    expected = t.kl_divergence(t.LogisticNormal(torch.tensor(loc), torch.tensor(scale)),
                               t.LogisticNormal(torch.tensor(loc / 2), torch.tensor(scale + 0.5)))
    np.testing.assert_allclose(D.kl_divergence(p, q).data, expected.numpy(), rtol=1e-12)
    with pytest.raises(NotImplementedError, match="different transforms"):
        D.kl_divergence(D.Weibull(1.0, 2.0), D.Weibull(1.0, 3.0))


def test_kl_gradients_match_finite_differences():
    a, b = _positive(shape=(3,)), _positive(shape=(3,))
    assert gradcheck(lambda x, y: D.kl_divergence(D.Gumbel(x, y), D.Gumbel(y, x)), a, b)
    assert gradcheck(lambda x, y: D.kl_divergence(D.Pareto(x, y + 1), D.Pareto(x / 2, y)), a, b)
    assert gradcheck(lambda x, y: D.kl_divergence(D.ContinuousBernoulli(logits=x - 1.5),
                                                  D.ContinuousBernoulli(logits=y - 1.5)), a, b)
    assert gradcheck(lambda x, y: D.kl_divergence(D.Normal(x, y), D.Gumbel(y, x)), a, b)


# ---- arguments ----
@pytest.mark.parametrize("build,match", [
    (lambda: D.Chi2(-1.0), "Chi2.*df"), (lambda: D.FisherSnedecor(1.0, 0.0), "FisherSnedecor.*df2"),
    (lambda: D.Gumbel(0.0, -1.0), "Gumbel.*scale"), (lambda: D.Pareto(0.0, 1.0), "Pareto.*scale"),
    (lambda: D.Pareto(1.0, -1.0), "Pareto.*alpha"), (lambda: D.Weibull(1.0, 0.0), "Weibull.*concentration"),
    (lambda: D.Kumaraswamy(-1.0, 1.0), "Kumaraswamy.*concentration1"), (lambda: D.HalfCauchy(0.0), "Cauchy.*scale"),
    (lambda: D.LogisticNormal(0.0, -1.0), "Normal.*scale"), (lambda: D.VonMises(0.0, 0.0), "VonMises.*concentration"),
    (lambda: D.ContinuousBernoulli(1.5), "ContinuousBernoulli.*probs"),
    (lambda: D.ContinuousBernoulli(0.3, logits=0.0), "ContinuousBernoulli: give either probs or logits"),
    (lambda: D.NegativeBinomial(-1.0, probs=0.5), "NegativeBinomial.*total_count"),
    (lambda: D.NegativeBinomial(2.0, probs=1.0), "NegativeBinomial.*probs"),
])
def test_invalid_parameters_raise_naming_the_distribution(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_values_outside_the_support_raise():
    for dist, value in [(D.Pareto(2.0, 1.0), 1.5), (D.Weibull(1.0, 1.0), 0.0), (D.Kumaraswamy(1.0, 1.0), 1.5),
                        (D.HalfCauchy(1.0), -0.5), (D.ContinuousBernoulli(0.3), 1.2), (D.Chi2(2.0), -1.0),
                        (D.NegativeBinomial(2.0, probs=0.5), 1.5),
                        (D.LogisticNormal(ag.zeros(2), 1.0), [0.5, 0.6, 0.1])]:
        with pytest.raises(ValueError, match=f"{type(dist).__name__}.log_prob: .*support"):
            dist.log_prob(value)


def test_torch_module_paths_and_reprs():
    from autograd_core.distributions.continuous_bernoulli import ContinuousBernoulli
    from autograd_core.distributions.von_mises import VonMises
    assert D.gumbel.Gumbel is D.Gumbel and D.chi2.Chi2 is D.Chi2 and D.pareto.Pareto is D.Pareto
    assert D.fishersnedecor.FisherSnedecor is D.FisherSnedecor and D.half_cauchy.HalfCauchy is D.HalfCauchy
    assert D.logistic_normal.LogisticNormal is D.LogisticNormal and D.negative_binomial.NegativeBinomial is \
        D.NegativeBinomial and D.weibull.Weibull is D.Weibull and D.kumaraswamy.Kumaraswamy is D.Kumaraswamy
    assert ContinuousBernoulli is D.ContinuousBernoulli and VonMises is D.VonMises
    assert repr(D.Gumbel(0.0, 2.0)) == "Gumbel(loc: 0.0, scale: 2.0)" and repr(D.Chi2(3.0)) == "Chi2(df: 3.0)"
    assert repr(D.HalfCauchy(ag.ones(2))) == "HalfCauchy(scale: (2,))"


@settings(max_examples=5, deadline=None)
@given(st.floats(0.05, 0.95))
def test_icdf_inverts_cdf(u):
    for dist in [D.Gumbel(0.5, 2.0), D.Pareto(1.0, 3.0), D.Weibull(2.0, 1.5), D.Kumaraswamy(2.0, 3.0),
                 D.HalfCauchy(1.5), D.ContinuousBernoulli(0.2), D.ContinuousBernoulli(0.5)]:
        np.testing.assert_allclose(dist.cdf(dist.icdf(ag.tensor(u))).item(), u, rtol=1e-10)
