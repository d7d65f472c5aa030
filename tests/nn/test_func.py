"""nn.func, PyTorch's torch.func namespace: its names, stack_module_state's stacked parameters and buffers (against
each model's own, a loop over the models, and torch.func.stack_module_state), per-sample gradients and Jacobians of
a tiny MLP through functional_call, and replace_all_batch_norm_modules_. functional_call itself:
test_functional_call.py; the transforms' own conventions: tests/autograd_core/test_func_namespace.py."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.func import functional_call, grad, jacrev, replace_all_batch_norm_modules_, stack_module_state, vmap


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


def test_names_are_torch_funcs():
    assert nn.func.grad is ag.func.grad and nn.func.vmap is ag.vmap and nn.func.jacrev is ag.func.jacrev
    torch = pytest.importorskip("torch")
    assert set(nn.func.__all__) == set(torch.func.__all__)


def tiny_mlp(seed):
    return nn.Sequential(nn.Linear(3, 4, dtype=np.float64, rng=seed), nn.Tanh(),
                         nn.Linear(4, 1, dtype=np.float64, rng=seed + 100))


def _sample_loss(model):
    """loss(params, x, y) of one sample (x of shape (3,), y a number), as torch.func's per-sample-gradient recipe."""
    def loss(params, x, y):
        prediction = functional_call(model, params, (x.reshape(1, 3),))
        return ((prediction.reshape(()) - y) ** 2)
    return loss


def _hand_sample_gradients(model, x, y):
    """The gradients of (w2 tanh(w1 x + b1) + b2 - y)^2 by hand, for one sample."""
    w1, b1 = model[0].weight.data, model[0].bias.data
    w2, b2 = model[2].weight.data, model[2].bias.data
    h = np.tanh(w1 @ x + b1)
    r = 2 * ((w2 @ h + b2)[0] - y)
    dh = r * w2[0] * (1 - h ** 2)
    return {"0.weight": np.outer(dh, x), "0.bias": dh, "2.weight": r * h[None, :], "2.bias": np.array([r])}


def test_per_sample_gradients_of_an_mlp_by_vmap_of_grad():
    model = tiny_mlp(0)
    params = {name: p.detach() for name, p in model.named_parameters()}
    rng = np.random.default_rng(3)
    xs, ys = rng.normal(size=(6, 3)), rng.normal(size=6)
    per_sample = vmap(grad(_sample_loss(model)), in_dims=(None, 0, 0))(params, ag.tensor(xs), ag.tensor(ys))
    assert {name: g.shape for name, g in per_sample.items()} == {name: (6,) + p.shape for name, p in params.items()}
    for k in range(6):
        for name, expected in _hand_sample_gradients(model, xs[k], ys[k]).items():
            np.testing.assert_allclose(per_sample[name].data[k], expected, rtol=1e-12, atol=1e-15)
    model.zero_grad()
    ((model(xs).reshape(-1) - ag.tensor(ys)) ** 2).sum().backward()  # (their sum is the batch's gradient)
    np.testing.assert_allclose(per_sample["0.weight"].data.sum(0), model[0].weight.grad.data, rtol=1e-12)


def test_jacrev_with_argnums_pair_over_params_and_input():
    model = tiny_mlp(1)
    params = {name: p.detach() for name, p in model.named_parameters()}
    x = np.array([0.5, -1.0, 2.0])
    d_params, d_x = jacrev(lambda p, x: functional_call(model, p, (x,)), argnums=(0, 1))(params, ag.tensor(x))
    w1, b1, w2 = model[0].weight.data, model[0].bias.data, model[2].weight.data
    h = np.tanh(w1 @ x + b1)
    np.testing.assert_allclose(d_x.data, ((w2[0] * (1 - h ** 2)) @ w1).reshape(1, 3), rtol=1e-12)
    np.testing.assert_allclose(d_params["2.weight"].data, h.reshape(1, 1, 4), rtol=1e-12)
    np.testing.assert_allclose(d_params["0.bias"].data, (w2[0] * (1 - h ** 2)).reshape(1, 4), rtol=1e-12)


def test_replace_all_batch_norm_modules_drops_running_statistics():
    model = mlp(0)
    assert replace_all_batch_norm_modules_(model) is model
    norm = model[1]
    assert not norm.track_running_stats and norm.running_mean is None and norm.running_var is None
    assert norm.num_batches_tracked is None and dict(model.named_buffers()) == {}
    x = np.random.default_rng(4).normal(size=(5, 3))
    hidden = model[0](x).data
    expected = (hidden - hidden.mean(0)) / np.sqrt(hidden.var(0) + norm.eps)
    np.testing.assert_allclose(model[1](model[0](x)).data, expected, rtol=1e-12)
    model.eval()  # (no running statistics: the batch's, in eval mode too)
    np.testing.assert_allclose(model[1](model[0](x)).data, expected, rtol=1e-12)
    with pytest.raises(TypeError, match="root must be an nn.Module, got list"):
        replace_all_batch_norm_modules_([model])


def test_ensemble_and_per_sample_gradients_equal_to_torch_func():
    torch = pytest.importorskip("torch")
    models = [tiny_mlp(seed) for seed in range(3)]
    tmodels = []
    for m in models:
        t = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)).double()
        t.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in m.state_dict().items()})
        tmodels.append(t)
    rng = np.random.default_rng(5)
    xs, ys = rng.normal(size=(4, 3)), rng.normal(size=4)
    params, _ = stack_module_state(models)
    tparams, _ = torch.func.stack_module_state(tmodels)

    def ensemble_loss(p, x, y, call, module):
        return ((call(module, p, (x,)).reshape(-1) - y) ** 2).mean()

    ours = vmap(grad(lambda p: ensemble_loss(p, xs, ys, functional_call, models[0])))(params)
    theirs = torch.func.vmap(torch.func.grad(lambda p: ensemble_loss(p, torch.tensor(xs), torch.tensor(ys),
                                                                     torch.func.functional_call, tmodels[0])))(tparams)
    for name in params:
        np.testing.assert_allclose(ours[name].data, theirs[name].detach().numpy(), rtol=1e-12, atol=1e-14)

    def tsample_loss(p, x, y):
        return (torch.func.functional_call(tmodels[0], p, (x.reshape(1, 3),)).reshape(()) - y) ** 2

    single = {name: p.detach() for name, p in models[0].named_parameters()}
    ours = vmap(grad(_sample_loss(models[0])), in_dims=(None, 0, 0))(single, ag.tensor(xs), ag.tensor(ys))
    theirs = torch.func.vmap(torch.func.grad(tsample_loss), in_dims=(None, 0, 0))(
        {k: v.detach() for k, v in tmodels[0].named_parameters()}, torch.tensor(xs), torch.tensor(ys))
    for name in single:
        np.testing.assert_allclose(ours[name].data, theirs[name].detach().numpy(), rtol=1e-12, atol=1e-14)
    d_params, d_x = jacrev(lambda p, x: functional_call(models[0], p, (x,)), argnums=(0, 1))(single, ag.tensor(xs[0]))
    t_params, t_x = torch.func.jacrev(lambda p, x: torch.func.functional_call(tmodels[0], p, (x,)), argnums=(0, 1))(
        {k: v.detach() for k, v in tmodels[0].named_parameters()}, torch.tensor(xs[0]))
    np.testing.assert_allclose(d_x.data, t_x.numpy(), rtol=1e-12, atol=1e-14)
    for name in single:
        np.testing.assert_allclose(d_params[name].data, t_params[name].numpy(), rtol=1e-12, atol=1e-14)
