"""rsample by implicit reparameterisation (distributions/reparameterised_gamma.py): the gradient of a standard Gamma
sample in its concentration against central differences of the inverse CDF at a fixed CDF value (the CDF written here
from its series, the inverse by bisection), in float64 and float32, and against torch._standard_gamma_grad; the
gradients of Gamma, Beta, Dirichlet and StudentT samples in their other parameters; Monte Carlo checks that the mean
gradient of a sample is the gradient of the mean in closed form; and the once-differentiable contract."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import distributions as D
from autograd_core.distributions.reparameterised_gamma import floored, standard_gamma, standard_gamma_grad
from autograd_core.testing import gradcheck

ALPHAS = np.geomspace(0.1, 100.0, 19)  # (crosses the three regions of the approximation: x < 0.8, alpha > 8, between)
PROBABILITIES = np.array([0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98])
APPROXIMATION_RTOL = 1e-3  # (PyTorch's approximation: 3e-4 at worst over alpha in [0.1, 100])


# ---- the reference: the regularised lower incomplete gamma function and its inverse ------------------------------
def gamma_cdf(alpha, x):
    """P(alpha, x) = x**alpha e**-x / Gamma(alpha + 1) * sum_n x**n / ((alpha + 1) ... (alpha + n)), in float64."""
    alpha, x = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(x, np.float64))
    term, total = np.ones_like(x), np.ones_like(x)
    for n in range(1, 5000):  # (positive terms: no cancellation; they shrink once n passes x)
        term = term * x / (alpha + n)
        total = total + term
        if np.all(term <= 1e-17 * total):
            break
    log_gamma = np.vectorize(math.lgamma)(alpha + 1)
    return np.exp(alpha * np.log(x) - x - log_gamma) * total


def gamma_icdf(alpha, u):
    """The x with P(alpha, x) = u, by bisection on log(x) (samples of small alpha lie far below 1)."""
    alpha, u = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(u, np.float64))
    low, high = np.full(alpha.shape, -700.0), np.full(alpha.shape, math.log(1e4))
    for _ in range(110):  # (the bracket's width 710 halved 110 times: far below float64's resolution of log(x))
        middle = (low + high) / 2
        below = gamma_cdf(alpha, np.exp(middle)) < u
        low, high = np.where(below, middle, low), np.where(below, high, middle)
    return np.exp((low + high) / 2)


def inverse_cdf_slope(alpha, u):
    """dx/dalpha at fixed u, by central differences of the inverse CDF."""
    step = 1e-5 * alpha
    return (gamma_icdf(alpha + step, u) - gamma_icdf(alpha - step, u)) / (2 * step)


# ---- the implicit gradient ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradient_of_a_standard_gamma_sample_matches_differences_of_the_inverse_cdf(dtype):
    alpha = ag.tensor(np.repeat(ALPHAS, 6).astype(dtype), requires_grad=True)
    sample = standard_gamma(alpha, rng=0)
    sample.sum().backward()
    assert sample.dtype == alpha.grad.dtype == dtype
    # each sample is F^-1(u; alpha) for its own u: hold that u and move alpha
    u = gamma_cdf(alpha.data, sample.data)
    np.testing.assert_allclose(alpha.grad.data, inverse_cdf_slope(alpha.data.astype(np.float64), u),
                               rtol=APPROXIMATION_RTOL)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_standard_gamma_grad_over_a_grid_of_concentrations_and_quantiles(dtype):
    alpha, u = np.meshgrid(ALPHAS, PROBABILITIES)
    x = gamma_icdf(alpha, u)
    got = standard_gamma_grad(ag.tensor(alpha.astype(dtype)), ag.tensor(x.astype(dtype)))
    assert got.dtype == dtype
    np.testing.assert_allclose(got.data, inverse_cdf_slope(alpha, u), rtol=APPROXIMATION_RTOL)


@settings(max_examples=30, deadline=None)
@given(st.floats(math.log(0.1), math.log(100.0)), st.floats(0.01, 0.99))
def test_standard_gamma_grad_matches_differences_of_the_inverse_cdf(log_alpha, u):
    alpha = math.exp(log_alpha)
    x = gamma_icdf(alpha, u)
    np.testing.assert_allclose(standard_gamma_grad(ag.tensor(alpha), ag.tensor(x)).item(),
                               inverse_cdf_slope(alpha, u), rtol=APPROXIMATION_RTOL)


def test_standard_gamma_grad_stays_finite_where_the_power_of_x_underflows():
    # x**alpha is 0 in float64 at x = 1e-300, alpha = 2, and x**(alpha - 1) inf at alpha = 0.3. Near 0,
    # F = x**alpha / Gamma(alpha + 1) to first order, so dx/dalpha = x (digamma(alpha + 1) - log(x)) / alpha there,
    # which the series with that factor cancelled keeps
    alpha, x = np.array([2.0, 0.3]), np.array([1e-300, 1e-300])
    expected = x * (ag.digamma(ag.tensor(alpha + 1)).data - np.log(x)) / alpha  # (ag.digamma: tested on its own)
    np.testing.assert_allclose(standard_gamma_grad(ag.tensor(alpha), ag.tensor(x)).data, expected, rtol=1e-9)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_standard_gamma_grad_matches_torch(dtype):
    torch = pytest.importorskip("torch")
    alpha, u = np.meshgrid(ALPHAS, PROBABILITIES)
    x = gamma_icdf(alpha, u)
    alpha, x = alpha.astype(dtype), x.astype(dtype)
    theirs = torch._standard_gamma_grad(torch.tensor(alpha), torch.tensor(x)).numpy()
    ours = standard_gamma_grad(ag.tensor(alpha), ag.tensor(x)).data
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-13 if dtype == "float64" else 2.5e-7)


def test_the_gradient_is_the_implicit_one_at_the_drawn_sample_and_forward_mode_agrees():
    alpha = ag.tensor([0.3, 4.0, 30.0], requires_grad=True)
    sample = standard_gamma(alpha, rng=3)
    (grad,) = ag.autograd.grad(sample.sum(), alpha)
    np.testing.assert_array_equal(grad.data, standard_gamma_grad(alpha.detach(), sample.detach()).data)
    _, tangent = ag.jvp(lambda a: standard_gamma(a, rng=3), (alpha.detach(),), (ag.ones(3),))
    np.testing.assert_allclose(tangent.data, grad.data, rtol=1e-12)


def test_a_second_derivative_in_the_concentration_raises_naming_the_operation():
    concentration = ag.tensor([0.5, 3.0], requires_grad=True)
    (grad,) = ag.autograd.grad(D.Gamma(concentration, 2.0).rsample(rng=0).sum(), concentration, create_graph=True)
    with pytest.raises(RuntimeError, match="standard_gamma_grad: the derivative of the implicit reparameterisation "
                                           "gradient of a Gamma sample is not implemented"):
        grad.sum().backward()


def test_second_derivatives_in_the_rate_need_no_implicit_term():
    rate = ag.tensor([0.5, 2.0], requires_grad=True)
    sample = D.Gamma(3.0, rate).rsample(rng=0)
    (grad,) = ag.autograd.grad(sample.sum(), rate, create_graph=True)
    (second,) = ag.autograd.grad(grad.sum(), rate)
    standard = sample.data * rate.data  # x = s / rate: dx/drate = -s / rate**2, d2x/drate2 = 2 s / rate**3
    np.testing.assert_allclose(grad.data, -standard / rate.data ** 2, rtol=1e-12)
    np.testing.assert_allclose(second.data, 2 * standard / rate.data ** 3, rtol=1e-12)


def test_standard_gamma_refuses_a_concentration_that_is_not_positive():
    with pytest.raises(ValueError, match=r"standard_gamma: the concentration \(of shape \(3,\), float64\) must be "
                                         r"positive, got \[ 0. -1.\]"):
        standard_gamma(ag.tensor([1.0, 0.0, -1.0]), rng=0)
    assert standard_gamma(np.array([2, 3]), rng=0).dtype == np.float64  # (ints: as NumPy's float64)


# ---- the distributions ---------------------------------------------------------------------------------------------
RSAMPLED = {
    "Gamma": lambda dtype: D.Gamma(np.array([0.3, 2.0, 12.0], dtype), np.array([2.0, 1.0, 0.5], dtype)),
    "Beta": lambda dtype: D.Beta(np.array([0.4, 2.0], dtype), np.array([1.5, 9.0], dtype)),
    "Dirichlet": lambda dtype: D.Dirichlet(np.array([[0.5, 1.0, 3.0], [2.0, 2.0, 20.0]], dtype)),
    "StudentT": lambda dtype: D.StudentT(np.array([1.5, 4.0, 30.0], dtype), np.array(1.0, dtype),
                                         np.array(2.0, dtype))}


@pytest.mark.parametrize("name", sorted(RSAMPLED))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rsample_is_sample_with_a_graph_in_the_dtype_of_the_parameters(name, dtype):
    distribution = RSAMPLED[name](dtype)
    drawn = distribution.rsample((4,), rng=5)
    assert distribution.has_rsample and drawn.dtype == dtype
    assert drawn.shape == (4,) + distribution.batch_shape + distribution.event_shape
    np.testing.assert_array_equal(drawn.data, distribution.sample((4,), rng=5).data)
    assert np.all(np.asarray(distribution.support.check(drawn)))


@pytest.mark.parametrize("name", sorted(RSAMPLED))
def test_rsample_matches_torch_in_has_rsample_and_shapes(name):
    torch = pytest.importorskip("torch")
    ours = RSAMPLED[name](np.float64)
    theirs = getattr(torch.distributions, name)(*(torch.tensor(getattr(ours, parameter).data)
                                                  for parameter in ours.arg_constraints))
    assert theirs.has_rsample and tuple(theirs.rsample((4,)).shape) == ours.rsample((4,), rng=0).shape


@settings(max_examples=15, deadline=None)
@given(st.floats(0.2, 3.0), st.floats(0.3, 3.0), st.floats(-2.0, 2.0))
def test_gradients_in_rate_loc_and_scale_match_finite_differences(rate, scale, loc):
    assert gradcheck(lambda r: D.Gamma(np.array([0.4, 3.0, 15.0]), r).rsample((2,), rng=4), np.full(3, rate))
    assert gradcheck(lambda m, s: D.StudentT(np.array([2.5, 8.0]), m, s).rsample((3,), rng=6),
                     np.full(2, loc), np.full(2, scale))


def test_rate_gradient_is_minus_the_sample_over_the_rate():
    rate = ag.tensor([0.5, 4.0], requires_grad=True)
    drawn = D.Gamma(ag.tensor([0.7, 9.0]), rate).rsample((3,), rng=1)
    drawn.sum().backward()
    np.testing.assert_allclose(rate.grad.data, -(drawn.data / rate.data).sum(0), rtol=1e-12)


def test_tiny_samples_are_floored_and_keep_their_gradient():
    rate = ag.tensor(1e300, requires_grad=True)
    drawn = D.Gamma(0.05, rate).rsample((200,), rng=0)
    assert np.all(drawn.data >= np.finfo(np.float64).tiny) and np.all(np.isfinite(D.Gamma(0.05, 1e300)
                                                                                     .log_prob(drawn).data))
    x = ag.tensor([1e-320, 1.0], requires_grad=True)
    floored(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


# ---- Monte Carlo: the mean gradient of the samples is the gradient of the mean -------------------------------------
def _assert_monte_carlo(per_sample, expected, draws):
    """per_sample: the gradient of each draw's statistic (draws along axis 0); within 5 standard errors."""
    mean, error = per_sample.mean(0), per_sample.std(0) / math.sqrt(draws)
    assert np.all(np.abs(mean - expected) < 5 * error + 1e-12), (mean, expected, error)


def _per_sample_gradients(make, parameter, statistic, draws, seed):
    """d statistic(x_i) / d parameter for each of draws samples x_i, each as its own row (the parameter tiled)."""
    tiled = ag.tensor(np.broadcast_to(parameter, (draws,) + np.shape(parameter)).copy(), requires_grad=True)
    statistic(make(tiled).rsample(rng=seed)).sum().backward()
    return tiled.grad.data


DRAWS = 20000


@pytest.mark.parametrize("concentration", [0.3, 2.0, 15.0])
def test_gamma_mean_and_second_moment_gradients(concentration):
    rate = 0.5
    grads = _per_sample_gradients(lambda c: D.Gamma(c, rate), concentration, lambda x: x, DRAWS, 0)
    _assert_monte_carlo(grads, 1 / rate, DRAWS)  # E[x] = c / rate
    grads = _per_sample_gradients(lambda c: D.Gamma(c, rate), concentration, lambda x: x ** 2, DRAWS, 1)
    _assert_monte_carlo(grads, (2 * concentration + 1) / rate ** 2, DRAWS)  # E[x**2] = c (c + 1) / rate**2


def test_beta_mean_gradient():
    a, b = 0.6, 2.5
    pair = np.array([a, b])
    grads = _per_sample_gradients(lambda p: D.Beta(p[:, 0], p[:, 1]), pair, lambda x: x, DRAWS, 2)
    _assert_monte_carlo(grads, [b / (a + b) ** 2, -a / (a + b) ** 2], DRAWS)  # E[x] = a / (a + b)


def test_dirichlet_mean_gradient():
    concentration = np.array([0.5, 2.0, 6.0])
    total = concentration.sum()
    grads = _per_sample_gradients(lambda c: D.Dirichlet(c), concentration, lambda x: x[:, 0], DRAWS, 3)
    expected = -concentration[0] / total ** 2 + np.array([1 / total, 0, 0])  # E[x_0] = a_0 / sum(a)
    _assert_monte_carlo(grads, expected, DRAWS)


def test_student_t_mean_absolute_value_gradient_in_df():
    # E|x| = scale 2 sqrt(df) Gamma((df + 1) / 2) / (sqrt(pi) (df - 1) Gamma(df / 2)); its log's derivative in df is
    # 1 / (2 df) + digamma((df + 1) / 2) / 2 - 1 / (df - 1) - digamma(df / 2) / 2
    df, scale, draws = 4.0, 1.5, 200000
    mean_absolute = scale * 2 * math.sqrt(df) * math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / (
        math.sqrt(math.pi) * (df - 1))
    digammas = ag.digamma(ag.tensor([(df + 1) / 2, df / 2])).data
    expected = mean_absolute * (1 / (2 * df) + (digammas[0] - digammas[1]) / 2 - 1 / (df - 1))
    grads = _per_sample_gradients(lambda d: D.StudentT(d, 0.0, scale), df, lambda x: x.abs(), draws, 4)
    _assert_monte_carlo(grads, expected, draws)


# ---- Dirichlet (and Beta) samples of small concentrations -----------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_beta_samples_of_small_concentrations_lie_near_0_and_1_never_on_them(dtype):
    # Beta(0.01, 0.01) puts 97.8% of its mass within 0.1 of 0 or 1 (its density ~ 1 / (200 x (1 - x))); float32
    # draws underflowing together used to make a spurious mode at 0.5 (a fifth of the samples), and the normalised
    # coordinates could be exactly 1. PyTorch normalises in double and keeps the samples within (0, 1)
    ag.manual_seed(1)
    concentration = ag.tensor(1e-2, dtype=dtype)
    samples = D.Beta(concentration, concentration).sample((50000,)).data
    assert samples.dtype == dtype
    assert np.count_nonzero(samples == 0) == 0 and np.count_nonzero(samples == 1) == 0
    assert samples.max() == np.nextafter(dtype(1), dtype(0)) and samples.min() >= np.finfo(dtype).tiny
    middle_mass = 2 * math.log(9) / 200  # (the integral of 1 / (200 x (1 - x)) over [0.1, 0.9], about 0.022)
    assert abs(np.mean((samples > 0.1) & (samples < 0.9)) - middle_mass) < 0.01
    assert abs(np.mean(samples < 0.1) - 0.5) < 0.02 and abs(np.mean(samples > 0.9) - 0.5) < 0.02


def test_beta_samples_of_small_concentrations_as_torchs():
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    concentration = torch.tensor(1e-2, dtype=torch.float32)
    theirs = torch.distributions.Beta(concentration, concentration).sample((50000,)).numpy()
    ag.manual_seed(1)
    ours = D.Beta(ag.tensor(1e-2, dtype=np.float32), ag.tensor(1e-2, dtype=np.float32)).sample((50000,)).data
    assert ours.max() == theirs.max() == np.nextafter(np.float32(1), np.float32(0))
    for low, high in ((0.0, 0.1), (0.1, 0.9), (0.9, 1.0)):
        assert abs(np.mean((ours > low) & (ours <= high)) - np.mean((theirs > low) & (theirs <= high))) < 0.015


def test_a_float32_dirichlet_rsample_keeps_its_dtype_and_its_gradient():
    concentration = ag.tensor([2.0, 3.0, 0.5], dtype=np.float32, requires_grad=True)
    sample = D.Dirichlet(concentration).rsample((4,), rng=0)
    assert sample.dtype == np.float32
    np.testing.assert_allclose(sample.data.sum(-1), 1.0, rtol=1e-6)
    # the gradient of sum_i x_i is zero (the coordinates sum to 1 whatever the concentration)
    sample.sum().backward()
    assert concentration.grad.dtype == np.float32
    np.testing.assert_allclose(concentration.grad.data, 0.0, atol=1e-5)


def test_floored_below_one_caps_at_the_largest_number_below_one():
    x = ag.tensor([0.0, 0.5, 1.0], dtype=np.float32, requires_grad=True)
    y = floored(x, below_one=True)
    assert y.data.tolist() == [np.finfo(np.float32).tiny, 0.5, np.nextafter(np.float32(1), np.float32(0))]
    y.backward(ag.ones(3, dtype=np.float32))
    assert x.grad.data.tolist() == [1.0, 1.0, 1.0]
