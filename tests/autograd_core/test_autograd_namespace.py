"""PyTorch's torch.autograd names (autograd_core/autograd.py): ag.autograd.Function and ag.autograd.grad, with
PyTorch's arguments; the values are written out (PyTorch's own, checked against it where it is installed)."""
import numpy as np
import pytest

import autograd_core as ag

try:
    import torch
except ImportError:
    torch = None


def test_function_is_the_engines():
    assert ag.autograd.Function is ag.Function


def test_grad_returns_the_gradients_without_touching_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad((x ** 2).sum(), x)
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    assert x.grad is None


def test_grad_with_create_graph_differentiates_again():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad((x ** 3).sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.data, [3.0, 12.0])
    (gg,) = ag.autograd.grad(g.sum(), x)
    np.testing.assert_array_equal(gg.data, [6.0, 12.0])


def test_grad_of_several_outputs_and_grad_outputs():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor(3.0, requires_grad=True)
    gx, gw = ag.autograd.grad([x.sum(), (x * w).sum()], [x, w])
    np.testing.assert_array_equal(gx.data, [4.0, 4.0])
    assert gw.item() == 3.0
    (v,) = ag.autograd.grad(x * 2, x, grad_outputs=ag.tensor([1.0, 10.0]))
    np.testing.assert_array_equal(v.data, [2.0, 20.0])
    with pytest.raises(RuntimeError, match="output 1 has shape"):
        ag.autograd.grad([x.sum(), x * 2], x)


def test_unused_inputs_and_a_freed_graph_are_refused_as_pytorch():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor(3.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 .* was not used.*allow_unused=True"):
        ag.autograd.grad((x * 2).sum(), [x, w])
    assert ag.autograd.grad((x * 2).sum(), [x, w], allow_unused=True)[1] is None
    assert ag.autograd.grad((x * 2).sum(), [x, w], materialize_grads=True)[1].item() == 0.0
    with pytest.raises(RuntimeError, match="input 0 does not require grad"):
        ag.autograd.grad((x * 2).sum(), [ag.ones(2)])
    loss = (x * 2).sum()
    ag.autograd.grad(loss, x)
    with pytest.raises(RuntimeError, match="second time"):
        ag.autograd.grad(loss, x)
    kept = (x * 2).sum()
    ag.autograd.grad(kept, x, retain_graph=True)
    np.testing.assert_array_equal(ag.autograd.grad(kept, x)[0].data, [2.0, 2.0])


@pytest.mark.skipif(torch is None, reason="needs torch")
def test_grad_matches_torch():
    a = np.array([0.5, -1.5, 2.0])
    x, tx = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours = ag.autograd.grad([ag.tanh(x).sum(), (x * x)], x, grad_outputs=[None, ag.tensor([1.0, 2.0, 3.0])])
    theirs = torch.autograd.grad([torch.tanh(tx).sum(), tx * tx], tx, grad_outputs=[None, torch.tensor([1.0, 2.0, 3.0],
                                                                                                       dtype=torch.float64)])
    np.testing.assert_allclose(ours[0].data, theirs[0].numpy(), rtol=1e-15)
