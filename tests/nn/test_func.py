"""nn.func (torch.func's module helpers): stack_module_state's stacked parameters and buffers, against each model's
own, a loop over the models, and torch.func.stack_module_state. functional_call itself: test_functional_call.py."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.func import functional_call, stack_module_state


def mlp(seed):
    return nn.Sequential(nn.Linear(3, 4, dtype=np.float64, rng=seed), nn.BatchNorm1d(4, dtype=np.float64),
                         nn.Linear(4, 2, dtype=np.float64, rng=seed + 100))


def test_parameters_and_buffers_are_stacked_by_name_as_new_leaves():
    models = [mlp(seed) for seed in range(3)]
    models[1][1].running_mean.data[:] = 7.0  # (buffers stack each model's own)
    params, buffers = stack_module_state(models)
    assert list(params) == [name for name, _ in models[0].named_parameters()]
    assert list(buffers) == [name for name, _ in models[0].named_buffers()]
    for name, stacked in params.items():
        np.testing.assert_array_equal(stacked.data, np.stack([dict(m.named_parameters())[name].data for m in models]))
        assert stacked.requires_grad and stacked.is_leaf
    for name, stacked in buffers.items():
        np.testing.assert_array_equal(stacked.data, np.stack([dict(m.named_buffers())[name].data for m in models]))
        assert not stacked.requires_grad
    np.testing.assert_array_equal(buffers["1.running_mean"].data[1], np.full(4, 7.0))
    params["0.weight"].data[0] = 0.0  # its own memory: the models' parameters are unchanged
    assert np.all(models[0][0].weight.data != 0.0)


def test_frozen_parameters_stay_without_grad_and_mixed_ones_are_refused():
    models = [nn.Linear(2, 2, rng=seed) for seed in range(2)]
    for m in models:
        m.weight.requires_grad_(False)
    params, _ = stack_module_state(models)
    assert not params["weight"].requires_grad and params["bias"].requires_grad
    models[0].bias.requires_grad_(False)
    with pytest.raises(RuntimeError, match=r"Expected bias from each model to have the same \.requires_grad"):
        stack_module_state(models)


def test_ensemble_through_vmap_equals_the_loop_and_trains_the_stacked_leaves():
    models = [mlp(seed).eval() for seed in range(4)]
    params, buffers = stack_module_state(models)
    x = np.random.default_rng(0).normal(size=(5, 3))
    fmodel = lambda p, b, x: functional_call(models[0], (p, b), (x,))  # noqa: E731
    same = ag.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
    np.testing.assert_allclose(same.data, np.stack([m(x).data for m in models]), rtol=1e-13)
    batches = np.random.default_rng(1).normal(size=(4, 5, 3))
    each = ag.vmap(fmodel)(params, buffers, batches)
    np.testing.assert_allclose(each.data, np.stack([m(b).data for m, b in zip(models, batches)]), rtol=1e-13)
    (each ** 2).sum().backward()
    for k, m in enumerate(models):
        (m(batches[k]) ** 2).sum().backward()
        np.testing.assert_allclose(params["2.weight"].grad.data[k], m[2].weight.grad.data, rtol=1e-12)
    assert models[0][0].weight.grad is not None  # (the loop's backward: the stacked leaves are separate)


def test_refused_models_name_the_problem():
    with pytest.raises(RuntimeError, match="Expected at least one model, got 0"):
        stack_module_state([])
    with pytest.raises(RuntimeError, match="same training/eval mode"):
        stack_module_state([nn.Linear(2, 2), nn.Linear(2, 2).eval()])
    with pytest.raises(RuntimeError, match=r"same class, got \['Linear', 'Tanh'\]"):
        stack_module_state([nn.Linear(2, 2), nn.Tanh()])
    with pytest.raises(RuntimeError, match=r"'weight' has shapes \[\(2, 2\), \(3, 2\)\]"):
        stack_module_state([nn.Linear(2, 2), nn.Linear(2, 3)])
    with pytest.raises(RuntimeError, match=r"model 0 has the parameter 'bias' but model\(s\) \[1\]"):
        stack_module_state([nn.Linear(2, 2), nn.Linear(2, 2, bias=False)])
    with pytest.raises(TypeError, match="model 1 is a str"):
        stack_module_state([nn.Linear(2, 2), "Linear"])


def test_equal_to_torch():
    torch = pytest.importorskip("torch")
    models = [mlp(seed) for seed in range(3)]
    tmodels = []
    for m in models:
        t = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2)).double()
        t.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in m.state_dict().items()})
        tmodels.append(t.eval())
        m.eval()
    params, buffers = stack_module_state(models)
    tparams, tbuffers = torch.func.stack_module_state(tmodels)
    assert list(params) == list(tparams) and list(buffers) == list(tbuffers)
    for ours, theirs in [*zip(params.values(), tparams.values()), *zip(buffers.values(), tbuffers.values())]:
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
        assert ours.requires_grad == theirs.requires_grad and ours.is_leaf == theirs.is_leaf
    x = np.random.default_rng(2).normal(size=(5, 3))
    ours = ag.vmap(lambda p, b: functional_call(models[0], (p, b), (x,)))(params, buffers)
    theirs = torch.func.vmap(lambda p, b: torch.func.functional_call(tmodels[0], (p, b), (torch.tensor(x),)))(
        tparams, tbuffers)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-14)
