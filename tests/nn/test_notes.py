"""What the course notes teach about output units, losses and Algorithm 6.4, checked against formulas written
from the notes (and PyTorch where it has the same quantity): the linear output unit as the mean of a conditional
Gaussian, the minimisers of the squared and absolute errors, and the backward recurrences with a penalty
lambda Omega(theta). XOR and the symmetric initialisation are in test_xor.py and test_symmetry.py."""
import numpy as np
import pytest

import autograd_core as ag
import nn

rng = np.random.default_rng(0)


# ---- linear output units: the mean of a conditional Gaussian ------------------------------------------------
def test_a_linear_unit_under_squared_error_has_the_gradient_of_the_gaussian_negative_log_likelihood():
    # -log N(y; W h + b, s^2 I) = ||y - y_hat||^2 / (2 s^2) + const, so its gradient in W is -(y - y_hat) h^T / s^2
    layer = nn.Linear(3, 2, dtype=np.float64, rng=0)
    h, y, s = rng.normal(size=(5, 3)), rng.normal(size=(5, 2)), 0.7
    (nn.MSELoss(reduction="sum")(layer(h), y) / (2 * s ** 2)).backward()
    y_hat = h @ layer.weight.data.T + layer.bias.data
    np.testing.assert_allclose(layer.weight.grad.data, -(y - y_hat).T @ h / s ** 2, rtol=1e-12)
    np.testing.assert_allclose(layer.bias.grad.data, -(y - y_hat).sum(axis=0) / s ** 2, rtol=1e-12)

    torch = pytest.importorskip("torch")
    weight = torch.tensor(layer.weight.data, requires_grad=True)
    bias = torch.tensor(layer.bias.data, requires_grad=True)
    mean = torch.from_numpy(h) @ weight.T + bias
    (-torch.distributions.Normal(mean, s).log_prob(torch.from_numpy(y)).sum()).backward()
    np.testing.assert_allclose(layer.weight.grad.data, weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.bias.grad.data, bias.grad.numpy(), rtol=1e-12)


def _slope(loss_fn, prediction, y):
    """d loss / d c for the constant prediction c for every example."""
    c = ag.tensor(prediction, requires_grad=True)
    loss_fn(c * np.ones_like(y), y).backward()
    return c.grad.item()


def test_squared_error_is_minimised_by_the_mean_and_absolute_error_by_the_median():
    # The notes' calculus of variations: argmin_f E||y - f||^2 is E[y], argmin_f E||y - f||_1 the median of y.
    y = np.array([0.0, 1.0, 1.5, 2.0, 9.0])  # skewed: mean 2.7, median 1.5
    for loss_fn, best, other in ((nn.MSELoss(), y.mean(), np.median(y)), (nn.L1Loss(), np.median(y), y.mean())):
        assert _slope(loss_fn, best - 0.1, y) < 0 < _slope(loss_fn, best + 0.1, y)  # a minimum, at best
        assert abs(_slope(loss_fn, best, y)) < 1e-15
        assert abs(_slope(loss_fn, other, y)) > 0.1  # not at the other statistic


# ---- Algorithms 6.3 and 6.4 ----------------------------------------------------------------------------------
def test_algorithm_6_4_gives_the_engines_gradients_of_the_regularised_cost():
    # Algorithm 6.3: a(k) = b(k) + W(k) h(k-1), h(k) = f(a(k)), J = L(y_hat, y) + lam Omega(theta), here with
    # f = tanh, L = ||y_hat - y||^2 and Omega = the sum of every parameter's squares.
    lam = 0.01
    net = nn.Sequential(nn.Linear(3, 4, dtype=np.float64, rng=1), nn.Tanh(),
                        nn.Linear(4, 2, dtype=np.float64, rng=2), nn.Tanh())
    x, y = rng.normal(size=3), rng.normal(size=2)
    omega = sum((p * p).sum() for p in net.parameters())
    (((net(x) - y) ** 2).sum() + lam * omega).backward()

    Ws, bs = [net[0].weight.data, net[2].weight.data], [net[0].bias.data, net[2].bias.data]
    hs, activations = [x], []
    for W, b in zip(Ws, bs):
        activations.append(b + W @ hs[-1])
        hs.append(np.tanh(activations[-1]))
    g = 2 * hs[-1] - 2 * y  # g <- grad_y_hat J
    for k in (1, 0):  # k = l, ..., 1 (counted from 0 here)
        g = g * (1 - np.tanh(activations[k]) ** 2)  # g <- g (.) f'(a(k))
        layer = net[2 * k]
        np.testing.assert_allclose(layer.bias.grad.data, g + lam * 2 * bs[k], rtol=1e-12)
        np.testing.assert_allclose(layer.weight.grad.data, np.outer(g, hs[k]) + lam * 2 * Ws[k], rtol=1e-12)
        g = Ws[k].T @ g  # g <- W(k)^T g
