"""The course notes' warning on initialisation: with symmetric weights, gradient descent updates
every hidden unit of a layer in the same way, so they stay identical throughout training (the
network behaves as if it had one hidden unit); random initialisation breaks the symmetry."""
import numpy as np

import autograd_core as ag
import nn

data_rng = np.random.default_rng(0)
X = data_rng.normal(size=(32, 3))
Y = np.sin(X @ np.array([1.0, -2.0, 0.5]))[:, None]  # a target one hidden unit cannot fit


def _train(model, steps=200, lr=0.1, inputs=X, targets=Y):
    loss_fn = nn.MSELoss()
    for _ in range(steps):
        model.zero_grad()
        loss_fn(model(inputs), targets).backward()
        for p in model.parameters():
            p.data -= lr * p.grad.data
    return model


def _hidden_units(model):
    """The hidden layer's weight rows (one per unit), its biases and its activations on X."""
    first = model.layers[0]
    with ag.no_grad():
        activations = model.layers[1](first(X)).data
    return first.weight.data, first.bias.data, activations


def _symmetric_mlp():
    model = nn.MLP([3, 5, 1], activation="tanh", dtype=np.float64)
    for layer in (model.layers[0], model.layers[2]):
        nn.init.constant_(layer.weight, 0.3)
        nn.init.constant_(layer.bias, 0.1)
    return model


def test_symmetric_initialisation_keeps_hidden_units_identical_through_training():
    model = _train(_symmetric_mlp())
    weights, biases, activations = _hidden_units(model)
    assert not np.allclose(weights, 0.3)  # training did move the weights
    # every unit (row) equals the first: rounding-level differences at most
    np.testing.assert_allclose(weights, np.broadcast_to(weights[:1], weights.shape), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(biases, biases[0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(activations, np.broadcast_to(activations[:, :1], activations.shape), rtol=1e-12,
                               atol=1e-14)
    out_weights = model.layers[2].weight.data
    np.testing.assert_allclose(out_weights, out_weights[0, 0], rtol=1e-12)


def test_the_notes_row_symmetric_weights_leave_a_network_of_one_hidden_unit():
    # The notes' case: W(1) = [[w1, w2]] * 3 (w1 != w2), W(2) = [w3, w3, w3], biases 0, sigmoid units and
    # J = (y - y_d)^2. Every hidden unit gets the same update, so the rows stay equal and the network stays
    # y = sigma(3 w3 sigma(x . [w1, w2] + b1) + b2), one hidden unit.
    inputs, targets = X[:, :2], (Y + 1) / 2  # targets in [0, 1], for a sigmoid output
    model = nn.MLP([2, 3, 1], activation="sigmoid", output_activation="sigmoid", dtype=np.float64)
    model.layers[0].weight.data[:] = [0.4, -0.7]
    nn.init.constant_(model.layers[2].weight, 0.2)
    for layer in (model.layers[0], model.layers[2]):
        nn.init.zeros_(layer.bias)
    _train(model, steps=300, lr=0.5, inputs=inputs, targets=targets)
    weights, biases, out_weights = model.layers[0].weight.data, model.layers[0].bias.data, model.layers[2].weight.data
    assert not np.allclose(weights, [0.4, -0.7], atol=0.05)  # training did move the weights
    np.testing.assert_allclose(weights, np.broadcast_to(weights[:1], weights.shape), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(biases, biases[0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(out_weights, out_weights[0, 0], rtol=1e-12)

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    one_unit = sigmoid(3 * out_weights[0, 0] * sigmoid(inputs @ weights[0] + biases[0]) + model.layers[2].bias.data)
    with ag.no_grad():
        np.testing.assert_allclose(model(inputs).data[:, 0], one_unit, rtol=1e-12)


def test_symmetric_network_fits_far_worse_than_a_randomly_initialised_one():
    loss_fn = nn.MSELoss()
    symmetric = _train(_symmetric_mlp(), steps=500)
    random = _train(nn.MLP([3, 5, 1], activation="tanh", dtype=np.float64, rng=0), steps=500)
    with ag.no_grad():
        symmetric_loss, random_loss = loss_fn(symmetric(X), Y).item(), loss_fn(random(X), Y).item()
    assert random_loss < symmetric_loss / 5


def test_default_random_initialisation_breaks_the_symmetry():
    model = nn.MLP([3, 5, 1], activation="tanh", dtype=np.float64, rng=0)
    weights, _, activations = _hidden_units(_train(model))
    spread = weights.max(axis=0) - weights.min(axis=0)  # across units
    assert np.all(spread > 0.05)
    correlations = np.corrcoef(activations.T)[np.triu_indices(5, k=1)]
    assert np.all(np.abs(correlations) < 0.999)  # no two hidden units compute the same function
