"""nn.optim.swa_utils: AveragedModel (SWA, EMA, avg_fn/multi_avg_fn, use_buffers), SWALR and update_bn, against hand
values and, where installed, torch.optim.swa_utils from the same weights."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.optim import SGD
from nn.optim.swa_utils import (SWALR, AveragedModel, get_ema_avg_fn, get_ema_multi_avg_fn, get_swa_avg_fn,
                                get_swa_multi_avg_fn, update_bn)


def _weights(seed, count):
    rng = np.random.default_rng(seed)
    return [{"0.weight": rng.normal(size=(3, 2)), "0.bias": rng.normal(size=3), "1.weight": rng.normal(size=3),
             "1.bias": rng.normal(size=3), "1.running_mean": rng.normal(size=3), "1.running_var": rng.uniform(1, 2, 3),
             "1.num_batches_tracked": np.array(i + 1)} for i in range(count)]


def _model():
    return nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).double()


def _averaged(averaged_model, weights, **kwargs):
    """The averaged model's state after update_parameters with each state in weights."""
    model = _model()
    swa = averaged_model(model, **kwargs)
    for state in weights:
        model.load_state_dict(state)
        swa.update_parameters(model)
    return {k: np.array(v) for k, v in swa.module.state_dict().items()}, swa


def test_default_average_is_the_mean_of_the_parameters_and_copies_the_buffers():
    weights = _weights(0, 4)
    state, swa = _averaged(AveragedModel, weights)
    for name in ("0.weight", "0.bias", "1.weight", "1.bias"):
        np.testing.assert_allclose(state[name], np.mean([w[name] for w in weights], axis=0), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(state["1.running_mean"], weights[-1]["1.running_mean"])  # copied, not averaged
    assert swa.n_averaged.item() == 4 and swa.n_averaged.dtype == np.int64
    assert "n_averaged" in swa.state_dict() and "module.0.weight" in swa.state_dict()


def test_ema_with_buffers_is_the_hand_recurrence():
    weights, decay = _weights(1, 3), 0.9
    state, _ = _averaged(AveragedModel, weights, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)
    for name in ("0.weight", "1.running_mean", "1.running_var"):
        expected = weights[0][name]
        for w in weights[1:]:
            expected = expected + (1 - decay) * (w[name] - expected)  # lerp's form for a weight below 0.5
        np.testing.assert_allclose(state[name], expected, rtol=0, atol=1e-15)
    # integer buffers: decay * e + (1 - decay) * current, cast back
    assert state["1.num_batches_tracked"] == int((1 * decay + 2 * 0.1) * decay + 3 * 0.1)


def test_avg_fn_gets_the_count_and_its_result_is_written():
    seen = []

    def halfway(averaged, current, count):
        seen.append(count.item())
        return (averaged + current) / 2
    weights = _weights(2, 3)
    state, _ = _averaged(AveragedModel, weights, avg_fn=halfway)
    expected = (weights[0]["0.bias"] + weights[1]["0.bias"]) / 2
    np.testing.assert_allclose(state["0.bias"], (expected + weights[2]["0.bias"]) / 2, rtol=0, atol=1e-15)
    assert seen == [1] * 4 + [2] * 4  # four parameters, counts 1 and 2 (the first update copies)


def test_functions_give_their_formulas():
    a, c = ag.tensor([1.0, 3.0]), ag.tensor([5.0, 7.0])
    np.testing.assert_array_equal(get_swa_avg_fn()(a, c, 3).data, [2.0, 4.0])
    np.testing.assert_allclose(get_ema_avg_fn(0.75)(a, c, 3).data, [2.0, 4.0])
    get_swa_multi_avg_fn()([a], [c], 1)
    np.testing.assert_array_equal(a.data, [3.0, 5.0])
    counts = ag.tensor([4])
    get_swa_multi_avg_fn()([counts], [ag.tensor([9])], 1)  # an integer Tensor: a + (c - a) / (n + 1), cast back
    assert counts.data.tolist() == [6]


def test_bad_arguments_are_refused_with_their_names():
    with pytest.raises(ValueError, match=r"Invalid decay value 1.5 .*\[0,1\]"):
        get_ema_multi_avg_fn(1.5)
    with pytest.raises(ValueError, match="Invalid decay value -0.1"):
        get_ema_avg_fn(-0.1)
    with pytest.raises(AssertionError, match="Only one of avg_fn and multi_avg_fn"):
        AveragedModel(_model(), avg_fn=get_swa_avg_fn(), multi_avg_fn=get_swa_multi_avg_fn())
    with pytest.raises(TypeError, match="AveragedModel: model must be an nn.Module"):
        AveragedModel([ag.ones(2)])
    swa = AveragedModel(_model())
    with pytest.raises(ValueError, match="update_parameters: the averaged model has 4 parameters, model 2"):
        swa.update_parameters(nn.Linear(2, 3))
    opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    with pytest.raises(ValueError, match="anneal_strategy must be one of 'cos' or 'linear'"):
        SWALR(opt, swa_lr=0.1, anneal_strategy="exp")
    with pytest.raises(ValueError, match="SWALR: anneal_epochs must be an int >= 0, got -1"):
        SWALR(opt, swa_lr=0.1, anneal_epochs=-1)
    with pytest.raises(ValueError, match="SWALR: swa_lr has 2 values, but the optimizer has 1 parameter group"):
        SWALR(opt, swa_lr=[0.1, 0.2])
    # PyTorch's words too ("swa_lr must have the same length", which its test_swalr_hypers matches)
    with pytest.raises(ValueError, match="swa_lr must have the same length as optimizer.param_groups"):
        SWALR(opt, swa_lr=[1.0, 0.1, 0.01])
    # a fractional anneal_epochs: a ValueError as PyTorch's (its test_swalr_hypers), not a TypeError
    with pytest.raises(ValueError, match="SWALR: anneal_epochs must be an int >= 0, got 1.7"):
        SWALR(opt, swa_lr=0.1, anneal_epochs=1.7)
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    with pytest.raises(ValueError, match="anneal_epochs must"):
        torch.optim.swa_utils.SWALR(topt, swa_lr=0.1, anneal_epochs=1.7)


def test_update_bn_recomputes_the_statistics_as_a_cumulative_average():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)).double()
    model.eval()
    rng = np.random.default_rng(3)
    batches = [ag.tensor(rng.normal(size=(5, 2))) for _ in range(3)]
    update_bn([(x, None) for x in batches], model)  # a tuple batch: its first item is the input
    bn = model[1]
    with ag.no_grad():
        outs = [model[0](x).data for x in batches]
    np.testing.assert_allclose(bn.running_mean.data, np.mean([o.mean(0) for o in outs], 0), rtol=0, atol=1e-15)
    np.testing.assert_allclose(bn.running_var.data, np.mean([o.var(0, ddof=1) for o in outs], 0), rtol=0, atol=1e-15)
    assert bn.momentum == 0.1 and not model.training and bn.num_batches_tracked.item() == 3
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("anneal_epochs", [0, 1, 3])
def test_swalr_rates_equal_torch(strategy, anneal_epochs):
    torch = pytest.importorskip("torch")
    opt = SGD([{"params": [ag.tensor([1.0], requires_grad=True)]},
               {"params": [ag.tensor([1.0], requires_grad=True)], "lr": 0.3}], lr=1.0)
    sched = SWALR(opt, swa_lr=[0.05, 0.01], anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    t_opt = torch.optim.SGD([{"params": [torch.zeros(1, requires_grad=True)]},
                             {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.3}], lr=1.0)
    t_sched = torch.optim.swa_utils.SWALR(t_opt, swa_lr=[0.05, 0.01], anneal_epochs=anneal_epochs,
                                          anneal_strategy=strategy)
    for _ in range(6):
        assert sched.get_last_lr() == t_sched.get_last_lr()
        opt.step(); sched.step(); t_opt.step(); t_sched.step()
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.01]
    if anneal_epochs == 3 and strategy == "cos":  # by hand: halfway along the cosine at step 1 of 3
        alpha = (1 - math.cos(math.pi / 3)) / 2
        fresh = SWALR(SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0), swa_lr=0.05, anneal_epochs=3)
        fresh.optimizer.step(); fresh.step()
        assert fresh.get_last_lr()[0] == 0.05 * alpha + 1.0 * (1 - alpha)


@pytest.mark.parametrize("kind", ["swa", "ema", "ema_buffers", "ema_avg_fn", "swa_multi"])
def test_averaged_model_equals_torch_through_training(kind):
    torch = pytest.importorskip("torch")
    options = {"swa": {}, "ema": {"multi_avg_fn": "ema"}, "ema_buffers": {"multi_avg_fn": "ema", "use_buffers": True},
               "ema_avg_fn": {"avg_fn": "ema"}, "swa_multi": {"multi_avg_fn": "swa"}}[kind]

    def made(module, **given):
        fns = {"multi_avg_fn": {"ema": module.get_ema_multi_avg_fn(0.8), "swa": module.get_swa_multi_avg_fn()},
               "avg_fn": {"ema": module.get_ema_avg_fn(0.8)}}
        return {k: (fns[k][v] if k in fns else v) for k, v in given.items()}
    torch.manual_seed(0)
    t_model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 1)).double()
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1)).double()
    model.load_state_dict({k: v.detach().numpy().copy() for k, v in t_model.state_dict().items()})
    t_avg = torch.optim.swa_utils.AveragedModel(t_model, **made(torch.optim.swa_utils, **options))
    avg = AveragedModel(model, **made(__import__("nn.optim.swa_utils").optim.swa_utils, **options))
    t_opt, opt = torch.optim.SGD(t_model.parameters(), lr=0.1), SGD(model.parameters(), lr=0.1)
    rng = np.random.default_rng(4)
    for _ in range(5):
        x, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
        t_opt.zero_grad(); ((t_model(torch.tensor(x)) - torch.tensor(y)) ** 2).mean().backward(); t_opt.step()
        opt.zero_grad(); ((model(ag.tensor(x)) - ag.tensor(y)) ** 2).mean().backward(); opt.step()
        t_avg.update_parameters(t_model)
        avg.update_parameters(model)
    t_state = t_avg.state_dict()
    for name, value in avg.state_dict().items():
        np.testing.assert_allclose(np.asarray(value), t_state[name].numpy(), rtol=0, atol=1e-14, err_msg=name)
    x = rng.normal(size=(4, 2))
    t_loader = [torch.tensor(rng.normal(size=(8, 2))) for _ in range(2)]
    torch.optim.swa_utils.update_bn(t_loader, t_avg)
    update_bn([ag.tensor(b.numpy()) for b in t_loader], avg)
    t_avg.eval(); avg.eval()
    np.testing.assert_allclose(avg(ag.tensor(x)).data, t_avg(torch.tensor(x)).detach().numpy(), rtol=0, atol=1e-13)
