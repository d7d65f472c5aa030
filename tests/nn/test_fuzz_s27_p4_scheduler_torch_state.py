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
