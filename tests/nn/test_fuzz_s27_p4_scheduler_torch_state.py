"""A scheduler's state dict saved by PyTorch loads here: its flag _get_lr_called_within_step (False between steps) is
no state to restore, and MultiStepLR's milestones are a Counter there (each epoch with its count)."""
from collections import Counter

import numpy as np
import pytest

import autograd_core as ag
from nn import optim
from nn.optim import lr_scheduler


def _optimizer():
    return optim.SGD([ag.tensor(np.ones(2), requires_grad=True)], lr=1.0, momentum=0.9)


def test_pytorchs_flag_in_a_state_dict_is_ignored():
    saved = lr_scheduler.StepLR(_optimizer(), step_size=2, gamma=0.5).state_dict()
    saved.update(last_epoch=3, _get_lr_called_within_step=False)
    sched = lr_scheduler.StepLR(_optimizer(), step_size=2, gamma=0.5)
    sched.load_state_dict(saved)
    assert sched.last_epoch == 3 and "_get_lr_called_within_step" not in vars(sched)
    with pytest.raises(KeyError, match=r"unexpected keys \['bogus'\]"):  # other keys are still refused
        sched.load_state_dict({**saved, "bogus": 1})


def test_multistep_milestones_given_as_pytorchs_counter():
    opt = _optimizer()
    sched = lr_scheduler.MultiStepLR(opt, milestones=Counter({3: 1, 1: 2}), gamma=0.5)
    assert sched.milestones == [1, 1, 3]
    saved = {**sched.state_dict(), "milestones": Counter({2: 1})}
    sched.load_state_dict(saved)
    assert sched.milestones == [2]


@pytest.mark.parametrize("make", [
    lambda o, S: S.StepLR(o, step_size=2, gamma=0.5),
    lambda o, S: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.5),
    lambda o, S: S.CosineAnnealingLR(o, T_max=7, eta_min=0.01),
    lambda o, S: S.LinearLR(o, start_factor=0.25, total_iters=6),
    lambda o, S: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3),
    lambda o, S: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=2), S.MultiStepLR(o, [3, 4])], [3]),
])
def test_a_torch_scheduler_state_dict_resumes_its_rates(make):
    torch = pytest.importorskip("torch")
    import warnings
    topt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=1.0, momentum=0.9)
    tsched = make(topt, torch.optim.lr_scheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (scheduler steps without optimizer steps)
        for _ in range(4):
            tsched.step()
        opt = _optimizer()
        sched = make(opt, lr_scheduler)
        opt.load_state_dict({"state": {}, "param_groups": topt.state_dict()["param_groups"]})
        sched.load_state_dict(tsched.state_dict())
        for _ in range(8):
            tsched.step()
            sched.step()
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-14)


def _one_cycle_state(three_phase, shape):
    """What PyTorch's OneCycleLR(max_lr=1.0, total_steps=10, pct_start=0.3) saves after 4 steps, written out."""
    saved = lr_scheduler.OneCycleLR(_optimizer(), max_lr=1.0, total_steps=10, three_phase=three_phase,
                                    anneal_strategy=shape).state_dict()
    for key in ("pct_start", "three_phase", "anneal_strategy"):
        del saved[key]
    phases = [{"end_step": 2.0, "start_lr": "initial_lr", "end_lr": "max_lr", "start_momentum": "max_momentum",
               "end_momentum": "base_momentum"}]
    if three_phase:
        phases += [{"end_step": 4.0, "start_lr": "max_lr", "end_lr": "initial_lr", "start_momentum": "base_momentum",
                    "end_momentum": "max_momentum"},
                   {"end_step": 9, "start_lr": "initial_lr", "end_lr": "min_lr", "start_momentum": "max_momentum",
                    "end_momentum": "max_momentum"}]
    else:
        phases += [{"end_step": 9, "start_lr": "max_lr", "end_lr": "min_lr", "start_momentum": "base_momentum",
                    "end_momentum": "max_momentum"}]
    return {**saved, "_schedule_phases": phases, "_anneal_func_type": shape, "_get_lr_called_within_step": False}


@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("shape", ["cos", "linear"])
def test_one_cycle_reads_pytorchs_phases(three_phase, shape):
    sched = lr_scheduler.OneCycleLR(_optimizer(), max_lr=1.0, total_steps=10, pct_start=0.45, three_phase=False,
                                    anneal_strategy="cos")
    sched.load_state_dict(_one_cycle_state(three_phase, shape))
    assert (sched.pct_start, sched.three_phase, sched.anneal_strategy) == (0.3, three_phase, shape)
    reference = lr_scheduler.OneCycleLR(_optimizer(), max_lr=1.0, total_steps=10, three_phase=three_phase,
                                        anneal_strategy=shape)
    for _ in range(9):
        sched.step()
        reference.step()
        assert sched.get_last_lr() == reference.get_last_lr()
    with pytest.raises(ValueError, match=r"^OneCycleLR\.load_state_dict: PyTorch's _schedule_phases must be a list"):
        sched.load_state_dict({**_one_cycle_state(three_phase, shape), "_schedule_phases": []})


def test_one_cycle_resumes_a_torch_state_dict():
    torch = pytest.importorskip("torch")
    import warnings
    topt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=1.0, momentum=0.9)
    kwargs = dict(max_lr=0.5, total_steps=37, pct_start=0.37, three_phase=True, anneal_strategy="linear")
    tsched = torch.optim.lr_scheduler.OneCycleLR(topt, **kwargs)
    opt = _optimizer()
    sched = lr_scheduler.OneCycleLR(opt, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(11):
            tsched.step()
        opt.load_state_dict({"state": {}, "param_groups": topt.state_dict()["param_groups"]})
        sched.load_state_dict(tsched.state_dict())
        for _ in range(25):
            tsched.step()
            sched.step()
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-14)
            assert opt.param_groups[0]["momentum"] == pytest.approx(topt.param_groups[0]["momentum"], rel=1e-14)
