"""checkpoint replays the Generators of modules that the function reads as globals (a model defined at the top
of a script), as PyTorch's preserve_rng_state replays its global RNG: a dropout inside is drawn again as it was."""
import copy

import numpy as np

import autograd_core as ag
import nn
from autograd_core.checkpoint import checkpoint

NET = nn.Sequential(nn.Linear(4, 6, rng=0), nn.Dropout(0.4, rng=0), nn.Tanh(), nn.Linear(6, 1, rng=1)).double()


def _step(t):
    return NET(t) * 2


def test_global_module_read_by_a_function():
    ref = copy.deepcopy(NET)
    x = ag.tensor(np.linspace(-1, 1, 12).reshape(3, 4), requires_grad=True)
    xr = ag.tensor(x.data, requires_grad=True)
    checkpoint(_step, x).sum().backward()  # (was: RuntimeError, different values when run again)
    (ref(xr) * 2).sum().backward()
    np.testing.assert_allclose(x.grad.data, xr.grad.data)
    np.testing.assert_allclose(NET(x.data).data, ref(x.data).data)  # the Generator advanced once, as ref's


def test_nested_checkpoint_with_a_global_module_in_a_lambda():
    ref = copy.deepcopy(NET)
    x0 = np.linspace(-1, 1, 4)
    h = ag.hessian(lambda x: checkpoint(lambda t: checkpoint(NET, t) ** 2, x).sum())(x0)
    np.testing.assert_allclose(h.data, ag.hessian(lambda x: (ref(x) ** 2).sum())(x0).data, atol=1e-12)
