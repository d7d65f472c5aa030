"""nn.DataParallel (nn/parallel.py), as PyTorch's runs without an accelerator: a wrapper calling its module, its
parameters and state-dict keys under "module.", the CPU accepted and other devices refused."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def _net():
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    with ag.no_grad():
        for i, p in enumerate(net.parameters()):
            p.copy_(ag.tensor(np.linspace(-1.0, 1.0, p.numel()).reshape(p.shape) * (i + 1)))
    return net


def test_wraps_the_module_its_values_gradients_and_training_step_are_the_modules():
    # d2l's train_ch13: net = nn.DataParallel(net, device_ids=devices).to(devices[0]), then an optimizer over it
    inner, X = _net(), ag.tensor(np.linspace(-2.0, 2.0, 15).reshape(5, 3))
    net = nn.DataParallel(inner, device_ids=["cpu"]).to("cpu")
    assert net.module is inner and net.device_ids == []
    W1, b1, W2, b2 = (p.numpy().copy() for p in inner.parameters())
    expected = np.tanh(X.numpy() @ W1.T + b1) @ W2.T + b2
    np.testing.assert_allclose(net(X).numpy(), expected, rtol=1e-13)
    assert [n for n, _ in net.named_parameters()] == ["module.0.weight", "module.0.bias", "module.2.weight",
                                                      "module.2.bias"]
    optimizer = nn.optim.SGD(net.parameters(), lr=0.1)
    net(X).sum().backward()
    grad_b2 = inner[2].bias.grad.numpy().copy()
    np.testing.assert_array_equal(grad_b2, [5.0, 5.0])  # d(sum)/d(b2): one per row
    optimizer.step()
    np.testing.assert_allclose(inner[2].bias.numpy(), b2 - 0.1 * 5.0, rtol=1e-15)


def test_state_dict_keys_are_under_module_and_load_back():
    net = nn.DataParallel(_net())
    state = net.state_dict()
    assert list(state) == ["module.0.weight", "module.0.bias", "module.2.weight", "module.2.bias"]
    other = nn.DataParallel(nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double())
    other.load_state_dict(state)
    X = ag.ones((2, 3))
    np.testing.assert_array_equal(other(X).numpy(), net(X).numpy())


def test_passes_several_inputs_and_keywords_to_the_module():
    class Add(nn.Module):
        def forward(self, a, b, scale=1.0):
            return (a + b) * scale
    out = nn.DataParallel(Add())(ag.ones(2), ag.tensor([1.0, 2.0]), scale=3.0)
    np.testing.assert_array_equal(out.numpy(), [6.0, 9.0])


@pytest.mark.parametrize("kwargs, kind, message", [
    ({"device_ids": [0]}, ValueError, r"DataParallel: device_ids '0' is not available: .* use 'cpu'"),
    ({"device_ids": ["cuda:0", "cuda:1"]}, RuntimeError, r"DataParallel: device_ids 'cuda:0' is not available"),
    ({"output_device": "cuda"}, ValueError, r"DataParallel: output_device 'cuda' is not available"),
])
def test_devices_other_than_the_cpu_are_refused(kwargs, kind, message):
    with pytest.raises(kind, match=message):
        nn.DataParallel(_net(), **kwargs)


def test_module_must_be_a_module():
    with pytest.raises(TypeError, match=r"DataParallel: module must be an nn.Module, got function"):
        nn.DataParallel(lambda x: x)


def test_matches_pytorchs_on_the_cpu():
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("PyTorch's DataParallel replicates on the GPUs here")
    theirs = torch.nn.DataParallel(torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                                       torch.nn.Linear(4, 2)).double())
    ours = nn.DataParallel(_net())
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    assert list(theirs.state_dict()) == list(ours.state_dict()) and theirs.device_ids == ours.device_ids == []
    X = np.linspace(-2.0, 2.0, 15).reshape(5, 3)
    y, t = ours(ag.tensor(X)), theirs(torch.tensor(X))
    np.testing.assert_allclose(y.numpy(), t.detach().numpy(), rtol=1e-13)
    y.sum().backward()
    t.sum().backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-13)


def test_share_memory_returns_the_module_and_tensors_unchanged_so_a_hogwild_loop_runs_in_one_process():
    # mnist_hogwild: model.share_memory(), then train(rank, args, model) per process; here the ranks run in turn
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)).double()
    before = {k: np.array(v) for k, v in net.state_dict().items()}
    tensors = [*net.parameters(), *net.buffers()]
    assert net.share_memory() is net
    assert [*net.parameters(), *net.buffers()] == tensors
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(np.asarray(v), before[k])
    w = ag.ones(2)
    assert w.share_memory_() is w and w.numpy().tolist() == [1.0, 1.0]
    torch = pytest.importorskip("torch")
    t = torch.ones(2)
    assert t.share_memory_() is t  # PyTorch's returns the Tensor itself too
