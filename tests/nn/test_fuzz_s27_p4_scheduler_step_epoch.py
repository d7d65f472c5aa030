"""step(epoch), deprecated in PyTorch but taken there with a warning, is taken here too (it raised a bare TypeError,
"step() takes 1 positional argument"): the scheduler goes to that epoch, its rates from the closed form where it has
one (StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, PolynomialLR, CosineAnnealingLR), else from get_lr(), as
PyTorch's; ReduceLROnPlateau.step(metrics, epoch) records the epoch. An epoch that is no int >= 0 is refused."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from nn import optim
from nn.optim import lr_scheduler


def _optimizer():
    return optim.SGD([ag.tensor(np.ones(2), requires_grad=True)], lr=1.0, momentum=0.9)


def test_step_to_an_epoch_uses_the_closed_form_and_warns_as_pytorch():
    sched = lr_scheduler.StepLR(_optimizer(), step_size=2, gamma=0.5)
    with pytest.warns(UserWarning, match=r"The epoch parameter in `scheduler.step\(\)` was not necessary"):
        sched.step(5)
    assert (sched.get_last_lr(), sched.last_epoch) == ([0.25], 5)
    sched.step()  # and on from there, chainable
    assert (sched.get_last_lr(), sched.last_epoch) == ([0.125], 6)


def test_step_to_an_epoch_without_a_closed_form_uses_get_lr():
    sched = lr_scheduler.MultiplicativeLR(_optimizer(), lr_lambda=lambda epoch: 0.5)
    with pytest.warns(UserWarning):
        sched.step(7)
    assert (sched.get_last_lr(), sched.last_epoch) == ([0.5], 7)


def test_plateau_records_the_epoch():
    sched = lr_scheduler.ReduceLROnPlateau(_optimizer())
    with pytest.warns(UserWarning, match="The epoch parameter"):
        sched.step(1.0, 4)
    assert sched.last_epoch == 4
    sched.step(1.0)
    assert sched.last_epoch == 5


@pytest.mark.parametrize("epoch, error", [(-1, ValueError), (2.5, TypeError), ("3", TypeError), (True, TypeError)])
def test_an_epoch_that_is_no_int_is_refused_and_nothing_changes(epoch, error):
    opt = _optimizer()
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (refused before PyTorch's warning)
        with pytest.raises(error, match=r"ExponentialLR\.step: .*epoch"):
            sched.step(epoch)
        plateau = lr_scheduler.ReduceLROnPlateau(opt)
        with pytest.raises(error, match=r"ReduceLROnPlateau\.step: .*epoch"):
            plateau.step(1.0, epoch)
    assert (sched.last_epoch, sched.get_last_lr(), plateau.last_epoch) == (0, [1.0], 0)


@pytest.mark.parametrize("make", [
    lambda o, S: S.StepLR(o, step_size=3, gamma=0.5),
    lambda o, S: S.CosineAnnealingLR(o, T_max=7, eta_min=0.01),
    lambda o, S: S.LinearLR(o, start_factor=0.25, total_iters=6),
    lambda o, S: S.MultiplicativeLR(o, lr_lambda=lambda e: 0.9 if e % 2 else 1.1),
    lambda o, S: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3),
])
def test_steps_to_epochs_match_pytorch(make):
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=1.0, momentum=0.9)
    tsched, sched = make(topt, torch.optim.lr_scheduler), make(_optimizer(), lr_scheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in [None, 4, None, None, 2, 11, None, 0, None]:
            tsched.step(epoch)
            sched.step(epoch)
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-14)
            assert sched.last_epoch == tsched.last_epoch
