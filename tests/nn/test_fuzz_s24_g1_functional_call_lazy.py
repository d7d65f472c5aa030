"""functional_call on a lazy module that has not inferred its shapes, with values for its uninitialized
parameters: refused with what to do, and the module stays lazy (it became a Linear holding
UninitializedParameters, which every later call refused; PyTorch's call leaves it so too)."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils.stateless import functional_call


@pytest.mark.parametrize("given", [{"weight": np.ones((4, 3)), "bias": np.zeros(4)}, {"weight": np.ones((4, 3))}])
def test_values_for_uninitialized_parameters_are_refused_and_the_module_stays_lazy(given):
    layer = nn.LazyLinear(4, rng=0)
    x = np.linspace(-1, 1, 3)[None]
    with pytest.raises(RuntimeError, match=r"functional_call: LazyLinear has not inferred its shapes yet.*dry run"):
        functional_call(layer, {k: ag.tensor(v) for k, v in given.items()}, (x,))
    assert type(layer).__name__ == "LazyLinear" and layer.has_uninitialized_params()
    np.testing.assert_allclose(layer(x).data, nn.Linear(3, 4, rng=0)(x).data)  # its first forward, as usual
    y = functional_call(layer, {"weight": ag.tensor(np.ones((4, 3))), "bias": ag.tensor(np.zeros(4))}, (x,))
    np.testing.assert_allclose(y.data, np.zeros((1, 4)))  # once materialized, values stand in


def test_nested_lazy_module_and_empty_values():
    net = nn.Sequential(nn.LazyLinear(2, rng=0), nn.Tanh())
    with pytest.raises(RuntimeError, match="has not inferred its shapes yet"):
        functional_call(net, {"0.bias": ag.tensor(np.zeros(2))}, (np.ones((1, 3)),))
    assert functional_call(net, {}, (np.ones((1, 3)),)).shape == (1, 2)  # nothing given: it materializes
    assert type(net[0]).__name__ == "Linear"
