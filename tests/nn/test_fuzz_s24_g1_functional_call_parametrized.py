"""functional_call giving a parametrized tensor by its name ("weight"), as torch.func.functional_call accepts."""
import numpy as np

import autograd_core as ag
import nn
from nn.utils import parametrizations, parametrize
from nn.utils.stateless import functional_call


def test_functional_call_on_parametrized_name_uses_the_value_and_restores_the_module():
    layer = parametrizations.weight_norm(nn.Linear(3, 4, rng=0))
    g0 = layer.parametrizations.weight.original0.data.copy()
    v0 = layer.parametrizations.weight.original1.data.copy()
    before = layer.weight.data.copy()
    w = ag.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    x = np.ones((2, 3))
    y = functional_call(layer, {"weight": w}, (x,))
    np.testing.assert_allclose(y.data, x @ w.data.T + layer.bias.data)
    y.sum().backward()
    np.testing.assert_allclose(w.grad.data, np.full((4, 3), 2.0))
    # the originals are untouched and the module reads its own weight again
    np.testing.assert_array_equal(layer.parametrizations.weight.original0.data, g0)
    np.testing.assert_array_equal(layer.parametrizations.weight.original1.data, v0)
    np.testing.assert_array_equal(layer.weight.data, before)
    assert parametrize._given == {}


def test_functional_call_on_parametrized_name_restores_when_forward_raises():
    layer = parametrizations.weight_norm(nn.Linear(3, 4, rng=0))
    before = layer.weight.data.copy()
    try:
        functional_call(layer, {"weight": ag.tensor(np.ones((4, 3)))}, (np.ones((2, 5)),))
    except Exception:
        pass
    np.testing.assert_array_equal(layer.weight.data, before)
    assert parametrize._given == {}


def test_functional_call_hessian_through_parametrized_name():
    layer = parametrizations.weight_norm(nn.Linear(2, 1, bias=False, rng=0))
    x = np.array([[1.0, -2.0]])
    h = ag.hessian(lambda w: (functional_call(layer, {"weight": w}, (x,)) ** 2).sum())(np.ones((1, 2)))
    np.testing.assert_allclose(np.asarray(h.data).reshape(2, 2), 2 * x.T @ x)
