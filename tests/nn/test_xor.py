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


def test_a_linear_model_cannot_fit_xor():
    # Least squares over y = x^T w + b: the best linear fit outputs 0.5 everywhere (course notes).
    A = np.hstack([X, np.ones((4, 1))]).astype(np.float64)
    coef, *_ = np.linalg.lstsq(A, Y, rcond=None)
    np.testing.assert_allclose(A @ coef, 0.5, atol=1e-12)


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
