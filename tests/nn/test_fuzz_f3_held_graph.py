"""Regression tests from F3's integration fuzzing: a list or tuple holding Tensors that require grad, given to the
convolution, pooling, padding, normalisation, dropout and recurrent layers and functions (an input, or a GRU's
h_0 given as a list of per-layer states), is refused as the engine's operations refuse it, where it was made
into an array and its Tensors silently got no gradient."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

HELD = "got a list holding Tensors that require grad; its value would be cut from the graph"


def leaf(*shape):
    return ag.tensor(np.ones(shape), requires_grad=True)


@pytest.mark.parametrize("where, call", [
    ("Conv1d", lambda a: nn.Conv1d(1, 1, 1)([[a]])),
    ("conv1d", lambda a: F.conv1d([[a]], np.ones((1, 1, 1)))),
    ("BatchNorm1d", lambda a: nn.BatchNorm1d(3)([a, a])),
    ("InstanceNorm1d", lambda a: nn.InstanceNorm1d(2)([a, a])),
    ("instance_norm", lambda a: F.instance_norm([[a, a]])),
    ("GroupNorm", lambda a: nn.GroupNorm(1, 2)([[a], [a]])),
    ("max_pool1d", lambda a: nn.MaxPool1d(1)([[a]])),
    ("adaptive_avg_pool1d", lambda a: nn.AdaptiveAvgPool1d(1)([[a]])),
    ("pad", lambda a: nn.ZeroPad1d(1)([[a]])),
    ("Dropout2d", lambda a: nn.Dropout2d(0.5)([[[a]]])),
    ("GRU", lambda a: nn.GRU(3, 3)([[a]])),
])
def test_a_list_holding_a_tensor_that_requires_grad_is_refused(where, call):
    with pytest.raises(TypeError, match=rf"^{where}: {HELD}"):
        call(leaf(3))


@pytest.mark.parametrize("make, hx, name", [
    (lambda: nn.GRU(3, 3, num_layers=2), lambda h: [h, h], "GRU: h_0"),
    (lambda: nn.RNN(3, 3, num_layers=2), lambda h: (h, h), "RNN: h_0"),
    (lambda: nn.LSTM(3, 3, num_layers=2), lambda h: ([h, h], [h, h]), "LSTM: h_0"),
])
def test_a_recurrent_state_given_as_a_list_of_tensors_that_require_grad_is_refused(make, hx, name):
    h = leaf(4, 3)  # each (N, H): stacked, they would pass for the (num_layers, N, H) state, h getting no gradient
    with pytest.raises(TypeError, match=rf"^{name}: got a (list|tuple) holding Tensors that require grad"):
        make()(np.ones((5, 4, 3)), hx(h))


def test_lists_of_numbers_and_of_constant_tensors_are_still_taken():
    assert nn.Conv1d(1, 1, 1)([[[1.0, 2.0]]]).shape == (1, 1, 2)
    assert nn.InstanceNorm1d(2)([ag.tensor(np.ones(3)), ag.tensor(np.arange(3.0))]).shape == (2, 3)
    assert F.pad([[1.0, 2.0]], (1, 1)).shape == (1, 4)
    out, h_n = nn.GRU(3, 3, num_layers=2)(np.ones((5, 4, 3)), [np.zeros((4, 3)), np.zeros((4, 3))])
    assert h_n.shape == (2, 4, 3)
    h = leaf(2, 4, 3)  # a stacked state that requires grad gets its gradient
    nn.GRU(3, 3, num_layers=2)(np.ones((5, 4, 3)), h)[0].sum().backward()
    assert h.grad is not None and np.abs(h.grad).sum() > 0
