"""Gradient checkpointing (autograd_core/checkpoint.py) as torch.utils.checkpoint (non-reentrant): the outputs it
takes (a dict of Tensors, values that are no Tensors), and the Generators of modules the function reads as globals,
replayed as PyTorch's preserve_rng_state replays its global RNG. (The values, gradients, memory and errors against
torch.utils.checkpoint are in tests/nn/test_checkpoint_utils.py.)"""
import copy

import numpy as np

import autograd_core as ag
import nn
from autograd_core.checkpoint import checkpoint
from autograd_core.testing import gradgradcheck


# A dropout inside a module the function reads as a global (a model defined at the top of a script) is drawn again
# as it was.

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


def test_dict_output():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = checkpoint(lambda t: {"a": ag.sin(t), "n": 3, "b": t * t}, x)
    assert type(out) is dict and list(out) == ["a", "n", "b"] and out["n"] == 3
    (out["a"].sum() + 2 * out["b"].sum()).backward()
    np.testing.assert_allclose(x.grad.data, np.cos(x.data) + 4 * x.data)


def test_dict_output_second_derivatives():
    gradgradcheck(lambda t: checkpoint(lambda u: {"y": ag.tanh(u) * u}, t)["y"], (np.array([0.3, -1.2]),))


def test_outputs_without_tensors_are_returned():
    x = ag.tensor([1.0], requires_grad=True)
    assert checkpoint(lambda t: None, x) is None
    assert checkpoint(lambda t: 3.0, x) == 3.0
    assert checkpoint(lambda t: {"k": "v"}, x) == {"k": "v"}
