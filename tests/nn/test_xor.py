"""XOR, the course notes' first example: a linear model cannot represent it, the hand-set 2-2-1
ReLU network does exactly, and a 2-8-1 MLP trained by gradient descent learns it."""
import numpy as np
import pytest

import autograd_core as ag
import nn

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)


def test_hand_set_relu_network_of_the_notes_computes_xor_exactly():
    # h = relu(W^T x + c), y = w^T h + b with W = [[1, 1], [1, 1]], c = [0, -1], w = [1, -2], b = 0.
    net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    net.load_state_dict({
        "0.weight": np.array([[1, 1], [1, 1]]).T,  # Linear stores W^T: shape (out, in)
        "0.bias": np.array([0, -1]),
        "2.weight": np.array([[1, -2]]),
        "2.bias": np.array([0]),
    })
    hidden = net[1](net[0](X))
    np.testing.assert_array_equal(hidden.data, [[0, 0], [1, 0], [1, 0], [2, 1]])  # the notes' h
    np.testing.assert_array_equal(net(X).data[:, 0], Y)


def test_a_linear_model_trained_on_xor_ends_at_the_notes_w_0_b_one_half():
    # The notes: f(x) = x^T w + b under J = 1/4 sum (f*(x) - f(x))^2 (MSELoss's mean over the four points);
    # the normal equations give w = 0, b = 1/2, so the model outputs 1/2 everywhere and J = 1/4.
    model = nn.Linear(2, 1, dtype=np.float64, rng=0)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(2000):
        optimizer.zero_grad()
        loss = nn.MSELoss()(model(X), Y[:, None])
        loss.backward()
        optimizer.step()
    np.testing.assert_allclose(model.weight.data, 0.0, atol=1e-9)
    np.testing.assert_allclose(model.bias.data, 0.5, atol=1e-9)
    np.testing.assert_allclose(loss.item(), 0.25, atol=1e-12)
    np.testing.assert_allclose(model(X).data, 0.5, atol=1e-9)


def _train_xor(seed, steps=300, lr=0.5):
    model = nn.MLP([2, 8, 1], rng=seed)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(steps):  # plain full-batch gradient descent
        model.zero_grad()
        loss = loss_fn(model(X)[:, 0], Y)
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad.data
    with ag.no_grad():
        predictions = (model(X).data[:, 0] > 0).astype(np.float32)
    return loss.item(), predictions


@pytest.mark.parametrize("seed", range(5))
def test_a_2_8_1_mlp_trained_from_random_init_reaches_100_percent(seed):
    loss, predictions = _train_xor(seed)
    np.testing.assert_array_equal(predictions, Y)
    assert loss < 0.1
