"""checkpoint takes what torch.utils.checkpoint (non-reentrant) takes as the function's output: a dict of
Tensors, and values that are no Tensors (None, a number)."""
import numpy as np

import autograd_core as ag
from autograd_core.checkpoint import checkpoint
from autograd_core.testing import gradgradcheck


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
