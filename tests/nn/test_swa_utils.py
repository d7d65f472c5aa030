"""nn.optim.swa_utils (torch.optim.swa_utils): AveragedModel's equal-weight and exponential averages of a model's
weights, its buffers copied or averaged, and update_bn's recomputed BatchNorm statistics, each against a NumPy
reference and PyTorch's from the same weights."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.optim.swa_utils import (SWALR, AveragedModel, get_ema_avg_fn, get_ema_multi_avg_fn, get_swa_avg_fn,
                                get_swa_multi_avg_fn, update_bn)


def _model(dtype=np.float32):
    return nn.Sequential(nn.Linear(3, 4, dtype=dtype), nn.BatchNorm1d(4, dtype=dtype), nn.Linear(4, 2, dtype=dtype))


def _snapshots(model, steps=4, seed=0):
    """Change the weights (and, by a training forward, the BatchNorm statistics) `steps` times, yielding after each."""
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        with ag.no_grad():
            for p in model.parameters():
                p.add_(ag.tensor(rng.standard_normal(p.shape).astype(p.dtype)))
        model(ag.tensor(rng.standard_normal((5, 3)).astype(model[0].weight.dtype)))
        yield


def _torch_twin(torch, model):
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    if model[0].weight.dtype == np.float64:
        twin = twin.double()
    twin.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in model.state_dict().items()})
    return twin


def _run_both(make_averaged, make_torch_averaged, steps=4):
    """The averaged state dicts here and in PyTorch after the same weight changes, the NumPy snapshots taken."""
    model = _model()
    averaged = make_averaged(model)
    snapshots = []
    for _ in _snapshots(model, steps):
        averaged.update_parameters(model)
        snapshots.append({k: np.array(v) for k, v in model.state_dict().items()})
    torch = pytest.importorskip("torch") if make_torch_averaged else None
    theirs = None
    if torch is not None:
        twin_source = _model()
        twin = _torch_twin(torch, twin_source)
        torch_averaged = make_torch_averaged(torch, twin)
        for snapshot in snapshots:
            twin.load_state_dict({k: torch.tensor(v) for k, v in snapshot.items()})
            torch_averaged.update_parameters(twin)
        theirs = {k: v.numpy() for k, v in torch_averaged.state_dict().items()}
    return averaged, {k: np.asarray(v) for k, v in averaged.state_dict().items()}, snapshots, theirs


PARAMETERS = ["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"]


def test_default_average_is_the_mean_of_the_models_as_pytorchs():
    averaged, ours, snapshots, theirs = _run_both(
        AveragedModel, lambda torch, twin: torch.optim.swa_utils.AveragedModel(twin, use_buffers=False))
    assert int(ours["n_averaged"]) == 4
    for name in PARAMETERS:
        np.testing.assert_allclose(ours["module." + name], np.mean([s[name] for s in snapshots], axis=0), rtol=1e-6)
        np.testing.assert_array_equal(ours["module." + name], theirs["module." + name])
    # the buffers follow the model's (not averaged)
    np.testing.assert_array_equal(ours["module.1.running_mean"], snapshots[-1]["1.running_mean"])
    assert set(ours) == set(theirs)


@pytest.mark.parametrize("decay", [0.9, 0.3])
def test_ema_multi_avg_fn_is_the_exponential_average_as_pytorchs(decay):
    averaged, ours, snapshots, theirs = _run_both(
        lambda m: AveragedModel(m, multi_avg_fn=get_ema_multi_avg_fn(decay)),
        lambda torch, twin: torch.optim.swa_utils.AveragedModel(
            twin, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(decay)))
    for name in PARAMETERS:
        expected = snapshots[0][name].astype(np.float64)
        for s in snapshots[1:]:
            expected = decay * expected + (1 - decay) * s[name]
        np.testing.assert_allclose(ours["module." + name], expected, rtol=1e-5, atol=1e-6)
        assert ours["module." + name].dtype == np.float32
        # (to float32 rounding: PyTorch's CPU lerp fuses the multiply-add, NumPy rounds the product first)
        np.testing.assert_allclose(ours["module." + name], theirs["module." + name], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("ours_fn, torch_fn", [(get_ema_avg_fn, "get_ema_avg_fn"), (get_swa_avg_fn, "get_swa_avg_fn")])
def test_avg_fn_per_parameter_as_pytorchs(ours_fn, torch_fn):
    args = (0.8,) if ours_fn is get_ema_avg_fn else ()
    _, ours, snapshots, theirs = _run_both(
        lambda m: AveragedModel(m, avg_fn=ours_fn(*args)),
        lambda torch, twin: torch.optim.swa_utils.AveragedModel(
            twin, avg_fn=getattr(torch.optim.swa_utils, torch_fn)(*args)))
    for name in PARAMETERS:
        if ours_fn is get_swa_avg_fn:
            np.testing.assert_allclose(ours["module." + name], np.mean([s[name] for s in snapshots], axis=0),
                                       rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ours["module." + name], theirs["module." + name], rtol=1e-6, atol=1e-7)


def test_use_buffers_averages_the_batch_norm_statistics_as_pytorchs():
    _, ours, snapshots, theirs = _run_both(
        lambda m: AveragedModel(m, multi_avg_fn=get_ema_multi_avg_fn(0.5), use_buffers=True),
        lambda torch, twin: torch.optim.swa_utils.AveragedModel(
            twin, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.5), use_buffers=True))
    expected = snapshots[0]["1.running_var"].astype(np.float64)
    for s in snapshots[1:]:
        expected = 0.5 * expected + 0.5 * s["1.running_var"]
    np.testing.assert_allclose(ours["module.1.running_var"], expected, rtol=1e-6)
    for name in ("1.running_mean", "1.running_var", "1.num_batches_tracked"):
        np.testing.assert_array_equal(ours["module." + name], theirs["module." + name])
    assert ours["module.1.num_batches_tracked"].dtype == np.int64


def test_swa_multi_avg_fn_keeps_the_running_mean():
    values = [ag.tensor([1.0, 2.0]), ag.tensor([3.0, 6.0]), ag.tensor([5.0, 1.0])]
    average = values[0].clone()
    for n, value in enumerate(values[1:], start=1):
        get_swa_multi_avg_fn()([average], [value], ag.tensor(n))
    np.testing.assert_allclose(average.data, [3.0, 3.0])


def test_averaged_model_runs_the_copy_and_leaves_the_model_alone():
    model = _model(np.float64)
    averaged = AveragedModel(model)
    assert averaged.module is not model and averaged.module[0].weight is not model[0].weight
    x = ag.tensor(np.ones((2, 3)))
    averaged.eval(), model.eval()
    np.testing.assert_array_equal(averaged(x).data, model(x).data)
    with ag.no_grad():
        model[0].weight.add_(1.0)
    assert not np.array_equal(averaged.module[0].weight.data, model[0].weight.data)


def test_update_bn_recomputes_the_statistics_as_pytorchs():
    model = _model(np.float64)
    rng = np.random.default_rng(3)
    batches = [rng.standard_normal((6, 3)) for _ in range(3)]
    model.eval()
    update_bn([[ag.tensor(b), ag.tensor(np.zeros(6))] for b in batches], model)
    assert not model.training and model[1].momentum == 0.1  # (mode and momentum restored)
    hidden = [b @ model[0].weight.data.T + model[0].bias.data for b in batches]
    np.testing.assert_allclose(model[1].running_mean.data, np.mean([h.mean(0) for h in hidden], axis=0), rtol=1e-12)
    np.testing.assert_allclose(model[1].running_var.data, np.mean([h.var(0, ddof=1) for h in hidden], axis=0),
                               rtol=1e-12)
    torch = pytest.importorskip("torch")
    twin = _torch_twin(torch, model)
    torch.optim.swa_utils.update_bn([[torch.tensor(b), torch.zeros(6)] for b in batches], twin)
    np.testing.assert_allclose(model[1].running_mean.data, twin[1].running_mean.numpy(), rtol=1e-13)
    np.testing.assert_allclose(model[1].running_var.data, twin[1].running_var.numpy(), rtol=1e-13)
    assert model[1].num_batches_tracked.item() == twin[1].num_batches_tracked.item() == 3


def test_update_bn_without_batch_norm_does_nothing():
    model = nn.Linear(2, 2)
    update_bn([ag.tensor(np.ones((1, 2), np.float32))], model)
    assert model.training


def test_errors_name_the_function_and_what_is_valid():
    with pytest.raises(ValueError, match=r"get_ema_multi_avg_fn: invalid decay value 1.5 .* \[0, 1\]"):
        get_ema_multi_avg_fn(1.5)
    with pytest.raises(ValueError, match="get_ema_avg_fn: invalid decay value -0.1"):
        get_ema_avg_fn(-0.1)
    model = nn.Linear(2, 2)
    with pytest.raises(ValueError, match="AveragedModel: only one of avg_fn and multi_avg_fn"):
        AveragedModel(model, avg_fn=get_swa_avg_fn(), multi_avg_fn=get_swa_multi_avg_fn())
    with pytest.raises(ValueError, match="AveragedModel: device 'cuda' is not available"):
        AveragedModel(model, device="cuda")
    with pytest.raises(TypeError, match="AveragedModel: model must be an nn.Module, got list"):
        AveragedModel([model.weight])
    averaged = AveragedModel(model)
    with pytest.raises(ValueError, match="the model has 6 parameters, the averaged copy 2"):
        averaged.update_parameters(_model())


@pytest.mark.parametrize("strategy, anneal_epochs", [("cos", 3), ("linear", 4), ("cos", 0), ("linear", 1)])
def test_swalr_rates_as_pytorchs(strategy, anneal_epochs):
    """Two groups, one swa_lr each: the rates anneal from lr to swa_lr (hand: lr + (swa_lr - lr) * anneal(t)) and
    equal PyTorch's recurrence to the last bit."""
    weights = [ag.tensor([1.0], requires_grad=True), ag.tensor([2.0], requires_grad=True)]
    opt = nn.optim.SGD([{"params": [weights[0]]}, {"params": [weights[1]], "lr": 0.5}], lr=1.0)
    sched = SWALR(opt, swa_lr=[0.1, 0.05], anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    ours = []
    for _ in range(7):
        opt.step(); sched.step()
        ours.append([g["lr"] for g in opt.param_groups])
    anneal = (lambda t: t) if strategy == "linear" else (lambda t: (1 - np.cos(np.pi * t)) / 2)
    for step, rates in enumerate(ours, start=1):
        t = min(1.0, step / max(1, anneal_epochs))
        np.testing.assert_allclose(rates, [lr + (swa - lr) * anneal(t) for lr, swa in ((1.0, 0.1), (0.5, 0.05))],
                                   rtol=1e-12)
    torch = pytest.importorskip("torch")
    params = [torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))]
    topt = torch.optim.SGD([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.5}], lr=1.0)
    tsched = torch.optim.swa_utils.SWALR(topt, swa_lr=[0.1, 0.05], anneal_epochs=anneal_epochs,
                                         anneal_strategy=strategy)
    theirs = []
    for _ in range(7):
        topt.step(); tsched.step()
        theirs.append([g["lr"] for g in topt.param_groups])
    assert ours == theirs


def test_swalr_errors_name_it():
    opt = nn.optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    with pytest.raises(ValueError, match="SWALR: anneal_strategy must be one of 'cos' or 'linear', got 'step'"):
        SWALR(opt, 0.1, anneal_strategy="step")
    with pytest.raises(ValueError, match="SWALR: anneal_epochs"):
        SWALR(opt, 0.1, anneal_epochs=-1)
    with pytest.raises(ValueError, match="SWALR: swa_lr has 2 values, but the optimizer has 1 parameter group"):
        SWALR(opt, [0.1, 0.2])
