"""nn.optim.lr_scheduler.ReduceLROnPlateau: on scripted metric sequences (patience, cooldown, the threshold modes
in min and max mode, min_lr per group, eps, NaN, a loss Tensor), against torch's on random sequences, and its state
dict round trip; split from test_lr_scheduler_more.py, whose optimizer helper it shares."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from nn import optim
from nn.optim import lr_scheduler as ours
from nn.serialization import load, save
from test_lr_scheduler_more import _half, optimizer, snapshot

# These tests follow the schedules themselves, mostly without optimizer steps: PyTorch's warning about that
# order (asserted on its own in test_lr_scheduler.py) would only be noise here.
pytestmark = pytest.mark.filterwarnings(r"ignore:Detected call of `lr_scheduler.step\(\)` before")


def plateau(metrics, groups=1, **kwargs):
    """The rates after each step(metric)."""
    opt = optimizer(optim, groups)
    scheduler = ours.ReduceLROnPlateau(opt, **kwargs)
    seen = []
    for metric in metrics:
        scheduler.step(metric)
        seen.append(scheduler.get_last_lr() if groups > 1 else scheduler.get_last_lr()[0])
        assert seen[-1] == ([g["lr"] for g in opt.param_groups] if groups > 1 else opt.param_groups[0]["lr"])
    return seen


def test_plateau_waits_patience_epochs_without_improvement():
    assert plateau([5, 5, 5, 5, 5, 5, 5], factor=0.5, patience=2) == [.1, .1, .1, .05, .05, .05, .025]
    assert plateau([5, 4, 3, 2, 1], factor=0.5, patience=0) == [.1] * 5  # always improving
    assert plateau([5, 6, 4, 6, 6], factor=0.5, patience=1) == [.1, .1, .1, .1, .05]  # an improvement resets


def test_plateau_cooldown_ignores_the_epochs_after_a_reduction():
    assert plateau([1, 2, 2, 2, 2, 2, 2], factor=0.5, patience=0, cooldown=2) == \
        [.1, .05, .05, .05, .025, .025, .025]


def test_plateau_threshold_modes():
    # best 10: "rel" needs below 10 * (1 - 0.1) = 9, "abs" below 10 - 0.1 = 9.9; 9.5 improves only the latter
    assert plateau([10, 9.5, 9.5], factor=0.5, patience=1, threshold=0.1, threshold_mode="rel") == [.1, .1, .05]
    assert plateau([10, 9.5, 9.5], factor=0.5, patience=1, threshold=0.1, threshold_mode="abs") == [.1, .1, .1]
    # mode "max" (an accuracy): above 0.5 * 1.1 = 0.55 (rel) or 0.5 + 0.1 = 0.6 (abs)
    assert plateau([.5, .58, .58], mode="max", factor=0.5, patience=1, threshold=0.1) == [.1, .1, .1]
    assert plateau([.5, .58, .58], mode="max", factor=0.5, patience=1, threshold=0.1, threshold_mode="abs") == \
        [.1, .1, .05]


def test_plateau_min_lr_per_group_and_eps():
    np.testing.assert_allclose(plateau([1] * 6, groups=2, patience=0, min_lr=[0.005, 0.0]),
                               [[.1, .03], [.01, .003], [.005, .0003], [.005, .00003], [.005, 3e-6], [.005, 3e-7]],
                               rtol=1e-12)
    # eps: a change of 1e-8 or less is not made (0.03 -> 3e-3 -> ... -> 3e-8, then 3e-9 would change it by 2.7e-8)
    assert plateau([1] * 10, groups=2, patience=0, min_lr=0.0, eps=3e-8)[-1][1] == pytest.approx(3e-8)
    assert plateau([1] * 10, groups=2, patience=0, min_lr=0.0, eps=1e-8)[-1][1] == pytest.approx(3e-9)


def test_plateau_takes_a_loss_tensor_and_counts_nan_as_no_improvement():
    loss = (ag.tensor([2.0], requires_grad=True) ** 2).sum()
    scheduler = ours.ReduceLROnPlateau(optimizer(optim), factor=0.5, patience=0)
    scheduler.step(loss)
    assert scheduler.best == 4.0
    scheduler.step(float("nan"))
    assert scheduler.get_last_lr() == [0.05] and scheduler.best == 4.0
    scheduler.step(ag.tensor([2.0], requires_grad=True) * 1.5)  # a loss of one element, shape (1,), as torch's float()
    scheduler.step(np.array([1.0]))
    assert scheduler.best == 1.0
    with pytest.raises(TypeError, match=r"ReduceLROnPlateau.step: metrics must be a number"):
        scheduler.step(np.array([1.0, 2.0]))


def test_plateau_with_a_group_added_later():
    opt = optimizer(optim)
    scheduler = ours.ReduceLROnPlateau(opt, patience=0, min_lr=0.02)
    opt.add_param_group({"params": [ag.tensor([1.0], requires_grad=True)], "lr": 0.1})
    scheduler.step(1), scheduler.step(1)
    assert scheduler.get_last_lr() == [0.02, 0.02]
    opt = optimizer(optim)
    scheduler = ours.ReduceLROnPlateau(opt, patience=0, min_lr=[0.02])
    opt.add_param_group({"params": [ag.tensor([1.0], requires_grad=True)], "lr": 0.1})
    scheduler.step(1)
    with pytest.raises(RuntimeError, match=r"ReduceLROnPlateau: The number of param groups in the optimizer \(2\) "
                                           r"differs from the 1 values of min_lr"):
        scheduler.step(1)


@pytest.mark.parametrize("make, steps", [
    (lambda opt: ours.LambdaLR(opt, lambda epoch: 0.5), 1), (lambda opt: ours.MultiplicativeLR(opt, _half), 1),
    (lambda opt: ours.CosineAnnealingWarmRestarts(opt, T_0=3), 1), (lambda opt: ours.OneCycleLR(opt, 1.0, 10), 1),
    (lambda opt: ours.CosineAnnealingLR(opt, T_max=2), 3)], ids=["lambda", "multiplicative", "warm", "one_cycle",
                                                                 "cosine at its bottom"])
def test_a_group_added_later_is_refused_where_the_scheduler_needs_one_entry_per_group(make, steps):
    # (torch's refuses at the same steps with a zip error; these gave IndexError, KeyError, or left the group's
    # rate silently unscheduled, the cosine's at 0)
    opt = optimizer(optim)
    scheduler = make(opt)
    opt.add_param_group({"params": [ag.tensor([1.0], requires_grad=True)], "lr": 0.05})
    for _ in range(steps - 1):
        scheduler.step()
    epoch, rates = scheduler.last_epoch, snapshot(opt)
    with pytest.raises(ValueError, match=rf"{type(scheduler).__name__}: the optimizer has 2 parameter groups, but "
                                         r"this scheduler was made for 1 \(was a group added since\?\)"):
        scheduler.step()
    assert scheduler.last_epoch == epoch and snapshot(opt) == rates
    class Halve(ours.LRScheduler):  # a subclass's get_lr may give any iterable, as before
        def get_lr(self):
            return (group["lr"] * 0.5 for group in self.optimizer.param_groups)
    scheduler = Halve(optimizer(optim))  # (its constructor's step halves 0.1 too)
    scheduler.step()
    assert scheduler.get_last_lr() == [0.025]
    opt = optimizer(optim)  # a chainable scheduler schedules the added group, as torch's
    scheduler = ours.StepLR(opt, step_size=1, gamma=0.5)
    opt.add_param_group({"params": [ag.tensor([1.0], requires_grad=True)], "lr": 0.05})
    scheduler.step()
    assert scheduler.get_last_lr() == [0.05, 0.025]


def test_plateau_state_dict_round_trip_continues(tmp_path):
    metrics = [5, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2]
    expected = plateau(metrics, groups=2, patience=1, cooldown=1, factor=0.5)
    opt = optimizer(optim, 2)
    scheduler = ours.ReduceLROnPlateau(opt, patience=1, cooldown=1, factor=0.5)
    for metric in metrics[:5]:
        scheduler.step(metric)
    save({"optimizer": opt.state_dict(), "scheduler": scheduler.state_dict()}, tmp_path / "c.npz")
    state = load(tmp_path / "c.npz")
    opt = optimizer(optim, 2)
    scheduler = ours.ReduceLROnPlateau(opt)  # other settings: the state dict holds them
    opt.load_state_dict(state["optimizer"]), scheduler.load_state_dict(state["scheduler"])
    rest = []
    for metric in metrics[5:]:
        scheduler.step(metric)
        rest.append(scheduler.get_last_lr())
    assert rest == expected[5:]


@settings(max_examples=30)
@given(metrics=st.lists(st.sampled_from([1.0, 0.9, 0.99999, 1.1, 2.0, 0.5, float("nan")]), max_size=25),
       mode=st.sampled_from(["min", "max"]), threshold_mode=st.sampled_from(["rel", "abs"]),
       patience=st.integers(0, 3), cooldown=st.integers(0, 2), factor=st.sampled_from([0.0, 0.1, 0.5, 0.9]),
       min_lr=st.sampled_from([0.0, 0.001, [0.02, 0.0]]), eps=st.sampled_from([0.0, 1e-8, 1e-3]))
def test_plateau_equals_torch_on_any_metric_sequence(metrics, mode, threshold_mode, patience, cooldown, factor,
                                                     min_lr, eps):
    torch = pytest.importorskip("torch")
    kwargs = dict(mode=mode, threshold_mode=threshold_mode, patience=patience, cooldown=cooldown, factor=factor,
                  min_lr=min_lr, eps=eps, threshold=0.01)
    schedulers = [ours.ReduceLROnPlateau(optimizer(optim, 2), **kwargs),
                  torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer(torch, 2), **kwargs)]
    for metric in metrics:
        for scheduler in schedulers:
            scheduler.step(metric)
        assert schedulers[0].get_last_lr() == schedulers[1].get_last_lr()
    mine, theirs = (scheduler.state_dict() for scheduler in schedulers)
    for key in set(mine) & set(theirs):
        assert mine[key] == theirs[key] or (key == "best" and math.isnan(mine[key]) and math.isnan(theirs[key])), key
